// Noisy scoring of one candidate circuit on many samples — the search's inner loop. The samples
// differ only in their encoder angles, and the encoder is 1-qubit rotations at the front of every
// wire, so the compiled circuit splits into
//   - a per-sample *prefix*: on each physical qubit, the 1-qubit gates before its first 2-qubit gate
//     (encoder merged with whatever fixed 1-qubit gates follow, re-synthesised as ≤ rz·sx·rz·sx·rz
//     exactly as the optimiser does), whose noisy output is a product state ⊗ρ_p;
//   - a fixed *body*, the same gates and the same noise for every sample.
// The body's noise channel is applied once per candidate, backwards, to the observables
// (Heisenberg picture), with the readout error folded into the observables first. Everything is
// real: observables are Pauli-coefficient vectors, each channel (gate then its error) is a real
// Pauli transfer matrix, 1-qubit channels are fused into the adjacent 2-qubit one, and a sample's
// prefix is a Bloch vector pushed through ≤ 5 1-qubit channels. A sample then costs its prefixes
// plus one dot product with ⊗_p (1, ⟨X⟩, ⟨Y⟩, ⟨Z⟩)_p per observable.
// The result equals compiling every sample's bound circuit and evolving its density matrix
// exactly (tests check this to 1e-10), at a fraction of the cost.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <span>
#include <vector>

#include "noise/compile.h"
#include "noise/noise_model.h"
#include "sim/circuit.h"
#include "sim/parallel.h"
#include "sim/pauli.h"

namespace qnas::noise {

struct NoisyBatchOptions {
    CompileOptions compile;  // layout, routing seed, ...
    bool gate_noise = true;  // apply the gates' error channels (and idle relaxation when the model has it)
    bool readout = true;     // fold the readout confusion into the observables
    // Z-type Pauli strings over the *logical* qubits (coefficients kept). Empty: Z on every logical
    // qubit, the QuantumNAS classifier readout.
    std::vector<sim::PauliTerm> observables;
    // > 0: estimate the observables from `shots` measurements per sample, drawn from the exact
    // noisy distribution over the logical qubits' bits (as Aer's density-matrix method samples its
    // final diagonal) with a counter-based RNG keyed by (seed, sample index). Needs the whole
    // distribution, so the circuit may have at most 8 logical qubits.
    int shots = 0;
    std::uint64_t seed = 42;
};

// Generic encoder angles for the reference compilation (prepare's compiled()): far from the
// special values (0, ±π/2, π) where the 1-qubit synthesis emits fewer gates, so the body compiled
// with them is the body of every sample. Public so callers can compile the same reference circuit.
std::vector<double> generic_inputs(int n_inputs);

class NoisyBatchProgram {
public:
    // Compiles `logical` with its trainable angles bound to `theta` and evolves the observables
    // through the body. Requirements (qnas::Error otherwise): every op with an input angle is a
    // 1-qubit op before the first multi-qubit op on its qubit; observables are Z-type on existing
    // qubits; at most 12 simulated (touched) physical qubits.
    static NoisyBatchProgram prepare(const sim::Circuit& logical, std::span<const double> theta, const Device& device,
                                     const NoiseModel& model, const NoisyBatchOptions& options = {});

    // Noisy expectations of the observables for each sample: x holds n_samples rows of n_inputs
    // values; out[s · n_observables + k]. Bit-identical at any thread count.
    std::vector<double> expectations(std::span<const double> x, std::size_t n_samples,
                                     const qnas::Parallelism& par = {}) const;

    // The compiled physical circuit one sample runs (prefixes synthesised for `x`, then the body,
    // then the measures): what compile() gives for the bound circuit, for checking and export.
    sim::Circuit circuit_for(std::span<const double> x) const;

    // The candidate compiled with generic encoder angles (layout, swaps, gate counts).
    const CompiledCircuit& compiled() const { return compiled_; }
    int n_observables() const {
        return shots_ > 0 ? static_cast<int>(requested_.size()) : static_cast<int>(coeffs_.rows());
    }
    int n_inputs() const { return n_inputs_; }
    // Physical qubits simulated (touched by the compiled circuit), ascending.
    const std::vector<int>& qubits() const { return qubits_; }

private:
    struct Prefix {
        int physical = 0;                  // device qubit
        int logical = -1;                  // logical qubit it holds at the start, -1 for an ancilla
        std::size_t position = 0;          // where its gates go in compiled_.circuit.ops (circuit_for)
        Eigen::Matrix2cd fixed;            // V: prefix unitary = V · L(x), up to a global phase
        std::vector<sim::Op> logical_ops;  // the logical prefix L(x) (trainable angles bound)
        Eigen::Matrix4d sx_ptm, x_ptm;     // Pauli transfer matrices of sx and x with their errors
    };

    // Per-qubit Bloch vectors (1, ⟨X⟩, ⟨Y⟩, ⟨Z⟩) of the noisy prefixes for one sample.
    void bloch_vectors(std::span<const double> x, std::span<double> out) const;
    // Shots mode: draws shots_ outcomes from the distribution the 2^n Z-string expectations define
    // and writes the requested observables' estimates.
    void sample_shots(const double* z_strings, std::size_t sample, std::span<double> out) const;

    CompiledCircuit compiled_;
    Basis basis_;
    std::vector<int> qubits_;
    std::vector<Prefix> prefixes_;  // one per entry of qubits_
    std::vector<sim::Op> body_;     // physical qubits
    std::vector<char> is_prefix_;   // per op of compiled_.circuit
    // Row k: the weights w_P of observable k evolved back to the start of the body, so that
    // ⟨O_k⟩ = Σ_P w_P·Tr(P·ρ) for the prefixes' product state ρ; P indexed by Σ_q digit_q·4^q with
    // digit 0 = I, 1 = X, 2 = Y, 3 = Z on local qubit q (qubits_[q]).
    Eigen::MatrixXd coeffs_;
    int n_inputs_ = 0;
    int n_logical_ = 0;
    bool gate_noise_ = true;
    // Shots mode: coeffs_ holds all 2^n logical Z-strings (row = mask) and these are the requested ones.
    int shots_ = 0;
    std::uint64_t seed_ = 42;
    std::vector<sim::PauliTerm> requested_;
};

}  // namespace qnas::noise
