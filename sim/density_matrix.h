// Density-matrix simulation: exact noisy execution of a circuit, one gate and one channel at a
// time. noise/ scores candidate circuits with it (gate, then that gate's error channel, then
// readout applied by noise/ to probabilities()). It holds no noise model and does no sampling.
//
// Layout: ρ on n qubits is stored as one contiguous column-major array of 4^n complex numbers,
// data[r + 2^n·c] = ρ(r, c) with r, c little-endian basis indices (qubit q = bit q). Read as a
// vector this is vec(ρ) (column stacking) and equally a 2n-qubit "state" whose bit q is the row
// bit and bit n+q the column bit of qubit q. Applying a k-qubit unitary U is then U on bits Q
// and conj(U) on bits Q+n, and a superoperator (channels.h convention) acts directly on the 2k
// bits (Q, Q+n): every kernel is one pass over the array, touching groups of 4^k entries.
// Kernels: unitaries with one non-zero per row (x, cx, rz, cz, swap, ccx, ...) cost one complex
// product per entry, other unitaries U X U† on each 2^k × 2^k block, superoperators a dense
// product or, when at most half the entries are non-zero (device errors: depolarizing and
// relaxation), a sparse one. n ≤ 14 (4 GiB); larger circuits need trajectories.
//
// Threads: kernels take a Parallelism (parallel.h; default: the current TBB arena) and split the
// array into fixed chunks over threads once it is large enough (n ≥ 7). Every output entry is
// computed by the same arithmetic whatever the split, and reductions (trace, expectations,
// probabilities) are sequential, so results are bit-identical at any thread count. Callers that
// already parallelise over circuits pass Parallelism{1}.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "sim/channels.h"
#include "sim/circuit.h"
#include "sim/parallel.h"
#include "sim/pauli.h"
#include "sim/statevector.h"

namespace qnas::sim {

class DensityMatrix {
public:
    // |0…0⟩⟨0…0| on n qubits (n = 0 is the 1 × 1 matrix [1]).
    explicit DensityMatrix(int n_qubits = 0);
    // |ψ⟩⟨ψ|; ψ's length must be a power of two.
    static DensityMatrix from_state(std::span<const cplx> psi);
    // A copy of a dense 2^n × 2^n matrix (not checked for being a state: tests feed it anything).
    static DensityMatrix from_matrix(const Matrix& rho);
    // The dense 2^n × 2^n matrix.
    Matrix to_matrix() const;

    int n_qubits() const { return n_; }
    std::size_t dim() const { return std::size_t{1} << n_; }
    cplx operator()(std::size_t row, std::size_t col) const { return data_[row + (col << n_)]; }
    cplx& operator()(std::size_t row, std::size_t col) { return data_[row + (col << n_)]; }
    // The 4^n entries in the layout described above.
    std::span<cplx> data() { return data_; }
    std::span<const cplx> data() const { return data_; }
    bool operator==(const DensityMatrix&) const = default;

private:
    int n_;
    std::vector<cplx> data_;
};

// Kernels. Argument order: state, operator, qubits. Preconditions (checked, qnas::Error):
// qubits distinct and < n_qubits, operator size matching the number of qubits (k ≤ 3).

// ρ ← U ρ U† for a 2^k × 2^k matrix U on `qubits` (matrix index bit a ↔ qubits[a]).
// U need not be unitary (ρ ← A ρ A† for any A).
void apply_unitary(DensityMatrix& rho, const Matrix& u, std::span<const int> qubits, const Parallelism& par = {});
// One circuit op with its angles resolved from θ and x.
void apply_op(DensityMatrix& rho, const Op& op, std::span<const double> theta = {}, std::span<const double> x = {},
              const Parallelism& par = {});
// ρ ← Σ_i K_i ρ K_i† on `qubits` (k ≤ 3, all K_i the same size).
void apply_kraus(DensityMatrix& rho, std::span<const Matrix> kraus, std::span<const int> qubits,
                 const Parallelism& par = {});
// vec(ρ_Q) ← S vec(ρ_Q) for a 4^k × 4^k superoperator in the channels.h convention: local qubit
// a of S is qubits[a] (for a 2-qubit S, qubits[0] carries the low bit of both the row and the
// column index).
void apply_superop(DensityMatrix& rho, const Matrix& superop, std::span<const int> qubits, const Parallelism& par = {});

// One op followed by its error channel E (a superoperator on the op's qubits, in op.qubits
// order; nullptr = no error): ρ ← E(U ρ U†). The gate and E are fused into one superoperator
// pass when that is estimated cheaper (1-qubit gates, and permutation/diagonal gates such as cx
// and rz, whose superoperators keep E sparse); otherwise two passes (a dense 2-qubit gate would
// destroy the sparsity of device errors). Equal to apply_op then apply_superop up to rounding.
void apply_op_with_error(DensityMatrix& rho, const Op& op, std::span<const double> theta, std::span<const double> x,
                         const Matrix* error, const Parallelism& par = {});

// Called after each op of simulate_density with the op's index in c.ops (arbitrary noise,
// measurement-free instrumentation, ...).
using AfterOpHook = std::function<void(DensityMatrix& rho, const Op& op, std::size_t op_index)>;

// U ρ U† of the circuit from |0…0⟩ (measurements ignored), with an optional hook after each op.
DensityMatrix simulate_density(const Circuit& c, std::span<const double> theta = {}, std::span<const double> x = {},
                               const AfterOpHook& after_op = {}, const Parallelism& par = {});

// The error superoperator after an op (owned by the caller's noise model and alive for the
// whole simulation), or nullptr for a noiseless op.
using OpErrorFn = std::function<const Matrix*(const Op& op, std::size_t op_index)>;

// The noisy circuit: every op through apply_op_with_error with the channel `error` returns.
// This is the path noise/ uses to score circuits (Aer's "ideal gate, then its error").
DensityMatrix simulate_noisy_density(const Circuit& c, std::span<const double> theta, std::span<const double> x,
                                     const OpErrorFn& error, const Parallelism& par = {});

// Tr ρ (complex: a non-Hermitian input keeps its imaginary part) and Tr ρ² (= Σ |ρ_rc|², real
// for Hermitian ρ).
cplx trace(const DensityMatrix& rho);
double purity(const DensityMatrix& rho);
// Re ρ(i, i) for every basis index i (little-endian), the noiseless measurement distribution.
std::vector<double> probabilities(const DensityMatrix& rho);
// Distribution of the bits of `qubits` only: entry m has bit a = outcome of qubits[a].
std::vector<double> marginal_probabilities(const DensityMatrix& rho, std::span<const int> qubits);
// coeff · Re Tr(P ρ) for a Pauli string on up to 64 qubits (bits above n must be zero), and Σ
// over a Pauli sum.
double expectation(const DensityMatrix& rho, const PauliTerm& p);
double expectation(const DensityMatrix& rho, const PauliSum& h);

}  // namespace qnas::sim
