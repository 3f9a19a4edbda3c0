// Single-state state-vector simulation: the simple, general path (any gate, any width up to
// memory) used for QASM simulation, as a reference inside tests of the batched simulator, and
// by noise/ for pure-state checks. The batched training path lives in batch_simulator.h.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/circuit.h"
#include "sim/pauli.h"

namespace qnas::sim {

using State = std::vector<cplx>;

// |0…0⟩ on n qubits.
State zero_state(int n_qubits);

// Applies a 2^k × 2^k matrix to the given qubits (matrix index bit a ↔ qubits[a]).
// Precondition: qubits distinct and < n_qubits of the state.
void apply_matrix(State& psi, const Matrix& m, std::span<const int> qubits);

// Applies one op with its angles resolved from θ and x.
void apply_op(State& psi, const Op& op, std::span<const double> theta = {}, std::span<const double> x = {});

// U|0…0⟩ for the circuit (measurements ignored).
State simulate(const Circuit& c, std::span<const double> theta = {}, std::span<const double> x = {});

std::vector<double> probabilities(const State& psi);
// ⟨ψ|P|ψ⟩·coeff for a Pauli string, and Σ over a Pauli sum.
double expectation(const State& psi, const PauliTerm& p);
double expectation(const State& psi, const PauliSum& h);
// P|ψ⟩ (times coeff).
State apply_pauli(const State& psi, const PauliTerm& p);

// `shots` basis-state indices drawn from `probs` with a seeded generator.
std::vector<std::uint64_t> sample_counts_indices(std::span<const double> probs, int shots, std::uint64_t seed);

}  // namespace qnas::sim
