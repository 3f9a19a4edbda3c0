// Internal to analysis/ (not a public API): the hot path of the metrics. Every metric simulates
// thousands of small states of one circuit at different θ; sim::simulate builds an Eigen matrix
// per gate and allocates per application, which dominates at 4–10 qubits. StateRunner prepares
// the circuit once (fixed gates' matrices precomputed; rotations built from closed forms that the
// tests compare with the gate table) and applies 1- and 2-qubit gates with tight loops; 3-qubit
// gates fall back to sim::apply_matrix.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/circuit.h"
#include "sim/statevector.h"

namespace qnas::analysis::detail {

// Row-major 2×2 or 4×4 matrix of `kind` at `angles` when a closed form is implemented (rotations
// and controlled rotations, u3/cu3, p/cp/u1/cu1); false otherwise. Same convention as the gate
// table (sim/gates.h: first operand = low bit of the matrix index).
bool closed_form_matrix(sim::GateKind kind, std::span<const double> angles, std::array<sim::cplx, 16>& out);

class StateRunner {
public:
    // Validates `c` (sim::validate) and rejects input features (check_analysable).
    explicit StateRunner(const sim::Circuit& c);

    int n_qubits() const { return n_qubits_; }
    int n_trainable() const { return n_trainable_; }

    // ψ = U(θ)|0…0⟩ into `psi` (resized to 2ⁿ).
    void run(std::span<const double> theta, sim::State& psi) const;

    // θ of draw `draw` (sampling.h sample_angles) into `theta` (resized to n_trainable), filling only
    // the trainables the circuit reads (others 0): a SubCircuit reads a few of its space's weight
    // slots, and the state depends on nothing else.
    void draw_angles(std::uint64_t seed, std::uint64_t draw, double angle_range, std::vector<double>& theta) const;

private:
    struct Prepared {
        sim::Op op;
        int n_qubits = 1;
        bool fixed = false;             // no trainable angle: matrix precomputed
        bool closed = false;            // trainable, 2×2 closed form available (closed_form_matrix's kinds)
        bool controlled = false;        // 2-qubit |0⟩⟨0|⊗I + |1⟩⟨1|⊗U: only U on the control-1 half
        std::array<sim::cplx, 4> u{};   // fixed 1-qubit or controlled: the 2×2 (row-major)
        std::array<sim::cplx, 16> m{};  // fixed other 2-qubit gates: the 4×4
    };
    int n_qubits_ = 0;
    int n_trainable_ = 0;
    std::vector<Prepared> prepared_;
    std::vector<int> used_;  // sim::used_trainables
};

// |⟨a|b⟩|².
double fidelity(const sim::State& a, const sim::State& b);

// Keys of the analysis streams (sim/random.h mix64): a value is a pure function of
// (seed, stream, a, b), so any thread can draw it. Distinct streams are independent.
enum class Stream : std::uint64_t { Angles = 1, Bootstrap = 2, HaarFloor = 3, McClean = 4 };
// The key of (seed, stream, a); stream_bits = mix64(key ^ mix64(b)).
std::uint64_t stream_key(std::uint64_t seed, Stream stream, std::uint64_t a);
std::uint64_t stream_bits(std::uint64_t seed, Stream stream, std::uint64_t a, std::uint64_t b);
double stream_uniform(std::uint64_t seed, Stream stream, std::uint64_t a, std::uint64_t b);

}  // namespace qnas::analysis::detail
