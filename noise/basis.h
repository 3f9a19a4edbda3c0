// Translation of a bound qnas circuit to a device basis (IBM's {rz, sx, x, cx} or
// {rz, sx, x, ecr}; {rz, sx, cz} also works). No layout and no routing: every gate stays on its
// own qubits, 2-qubit gates in either direction. 1-qubit gates are synthesised from their 2×2
// matrix through ZYZ Euler angles as rz(λ)·sx·rz(θ+π)·sx·rz(φ+π) (fewer gates when θ is 0, π/2
// or π, as Qiskit's U3 → ZSX synthesis does). The global phase is tracked exactly: the input's
// unitary equals e^{i·global_phase} times the output's.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/circuit.h"
#include "sim/gates.h"

namespace qnas::noise {

// A device basis: rz + sx are required, x optional, and one entangling gate (cx, ecr or cz).
struct Basis {
    bool has_x = true;
    sim::GateKind two_qubit = sim::GateKind::CX;  // CX, ECR or CZ

    // From basis-gate names (e.g. conf.json's basis_gates). id, reset, measure, delay are ignored;
    // throws qnas::Error on an unknown name, a basis without rz and sx, or without cx/ecr/cz
    // (cx is preferred when several entangling gates are listed, then ecr, then cz).
    static Basis from_names(std::span<const std::string> names);
    static Basis ibm_cx() { return {true, sim::GateKind::CX}; }
    static Basis ibm_ecr() { return {true, sim::GateKind::ECR}; }

    bool contains(sim::GateKind k) const;
    std::vector<sim::GateKind> gates() const;
};

// A circuit with the global phase it drops: U(original) = e^{i·global_phase}·U(circuit).
struct Compiled {
    sim::Circuit circuit;
    double global_phase = 0.0;
};

// Translates a circuit with constant angles (call sim::bind first; throws qnas::Error otherwise).
Compiled translate(const sim::Circuit& bound, const Basis& basis);
// Same, dropping the phase.
sim::Circuit translate_to_basis(const sim::Circuit& bound, const Basis& basis);

// Basis gates realising a 2×2 unitary on `qubit` up to a global phase: at most
// rz·sx·rz·sx·rz. Appends to `out` and returns φ with U = e^{iφ}·(product of the appended gates).
double synthesize_1q(const sim::Matrix& u, int qubit, const Basis& basis, std::vector<sim::Op>& out);

// cx(control, target) in the basis with the native 2-qubit gate on (control, target); with
// `reversed` the native gate is applied on (target, control) instead, using
// cx(b,a) = (h⊗h)·cx(a,b)·(h⊗h) — the direction fixing a directed coupling map will need.
// Appends to `out`; returns the global phase as synthesize_1q does.
double append_cx(int control, int target, const Basis& basis, std::vector<sim::Op>& out, bool reversed = false);
// The native 2-qubit gate of the basis on (a, b) re-expressed with the native gate on (b, a)
// plus 1-qubit basis gates (direction reversal). Returns the global phase.
double flip_native(int a, int b, const Basis& basis, std::vector<sim::Op>& out);

// ZYZ Euler angles: U = e^{i·phase}·Rz(phi)·Ry(theta)·Rz(lambda), theta ∈ [0, π].
struct EulerZYZ {
    double theta, phi, lambda, phase;
};
EulerZYZ euler_zyz(const sim::Matrix& u);
EulerZYZ euler_zyz(const Eigen::Matrix2cd& u);

// The gates synthesize_1q emits for the Euler angles `e` (no phase bookkeeping, no allocation
// beyond `out`): the per-sample path of noisy_batch.h uses it to synthesise exactly as the
// optimiser does.
void synthesize_1q_gates(const EulerZYZ& e, int qubit, const Basis& basis, std::vector<sim::Op>& out);

// Unitary (on the listed qubits, first = low bit) of constant-angle ops; ops may only touch
// those qubits. Small helper for phase bookkeeping and tests.
sim::Matrix local_unitary(std::span<const sim::Op> ops, std::span<const int> qubits);

}  // namespace qnas::noise
