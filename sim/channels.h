// Quantum channels as small dense matrices: Kraus sets, superoperators and Choi matrices on
// k ≤ 3 qubits, conversions between them, composition, CPTP checks and gate fidelities. This is
// the algebra noise/ uses to build each gate's error; applying a channel to a density matrix
// lives in density_matrix.h. Nothing here knows about circuits or devices.
//
// Conventions (written down once, here):
//  * A k-qubit operator has index bit(q0) + 2·bit(q1) + 4·bit(q2) over the qubits it is applied
//    to (little-endian, as in gates.h): local qubit a is the a-th entry of the qubit list.
//  * Vectorisation is column stacking: vec(ρ)[r + d·c] = ρ(r, c), d = 2^k, so
//    vec(A ρ B) = (Bᵀ ⊗ A) vec(ρ). A Kraus set {K_i} has superoperator S = Σ_i conj(K_i) ⊗ K_i
//    (Kronecker product with the left factor on the high index bits), a 4^k × 4^k matrix.
//    Seen as a 2k-bit index, the superoperator's bits are (row bit of local qubit 0, …, row bit
//    of local qubit k−1, column bit of local qubit 0, …, column bit of local qubit k−1), which is
//    exactly how density_matrix.h lays ρ out, so S acts on ρ with no reshuffling.
//  * Choi matrix, Qiskit's convention: Λ = Σ_ij |i⟩⟨j| ⊗ E(|i⟩⟨j|) (input on the high index
//    bits), i.e. Λ(i·d + a, j·d + b) = E(|i⟩⟨j|)(a, b). E is completely positive ⇔ Λ ⪰ 0 and
//    trace preserving ⇔ Tr_out Λ = I.
//  * Composition order follows circuits: compose_channels(first, then) is "apply first, then then".
#pragma once

#include <span>
#include <vector>

#include "sim/gates.h"

namespace qnas::sim {

using KrausSet = std::vector<Matrix>;

// Number of qubits k of a 2^k × 2^k operator or a 4^k × 4^k superoperator; throws qnas::Error
// when the size is not of that form (or k > 3).
int operator_qubits(const Matrix& op);
int superop_qubits(const Matrix& superop);

// S = Σ_i conj(K_i) ⊗ K_i. Precondition: a non-empty set of equal-sized square matrices.
Matrix superop_from_kraus(std::span<const Matrix> kraus);
// S = conj(U) ⊗ U for the map ρ ↦ U ρ U†.
Matrix superop_from_unitary(const Matrix& u);

// Choi ↔ superoperator (both 4^k × 4^k; a reshuffle of entries, exact).
Matrix choi_from_superop(const Matrix& superop);
Matrix superop_from_choi(const Matrix& choi);
// A Kraus set of a completely positive map from its superoperator (eigen-decomposition of the
// Choi matrix; eigenvalues below `tol` are dropped). Throws qnas::Error if the Choi matrix has
// an eigenvalue below −tol (the map is not CP).
KrausSet kraus_from_superop(const Matrix& superop, double tol = 1e-12);

// "first, then `then`" on the same qubits: S_then · S_first.
Matrix compose_channels(const Matrix& first, const Matrix& then);
// Independent channels on two disjoint qubit groups as one superoperator on the union:
// `low` acts on local qubits 0..k_low−1, `high` on the next k_high qubits (total ≤ 3 qubits).
// For thermal relaxation on both qubits of a cx: superop_tensor(relax_q0, relax_q1).
Matrix superop_tensor(const Matrix& low, const Matrix& high);
// The same for Kraus sets (all products K_low ⊗ K_high, `low` on the low bits).
KrausSet kraus_tensor(std::span<const Matrix> low, std::span<const Matrix> high);

// Σ K†K = I within `tol` (max-abs entry), all operators the same 2^k × 2^k size.
bool is_cptp(std::span<const Matrix> kraus, double tol = 1e-10);
// Choi matrix Hermitian and positive semidefinite (smallest eigenvalue ≥ −tol) and its partial
// trace over the output equal to I within `tol`.
bool is_cptp_superop(const Matrix& superop, double tol = 1e-10);

// Process (entanglement) fidelity with a unitary target: F_pro = Tr(S_U† S) / d².
double process_fidelity(const Matrix& superop, const Matrix& target_unitary);
// Average gate fidelity: F_avg = (d·F_pro + 1) / (d + 1). noise/ checks 1 − F_avg = gate_error.
double average_gate_fidelity(const Matrix& superop, const Matrix& target_unitary);
// Against the identity (the error channel on its own).
double average_gate_fidelity(const Matrix& superop);

// Standard channels, as Kraus sets on one qubit unless stated.
// Amplitude damping: K0 = diag(1, √(1−γ)), K1 = √γ |0⟩⟨1|.
KrausSet amplitude_damping_kraus(double gamma);
// Phase damping: K0 = diag(1, √(1−λ)), K1 = diag(0, √λ) (coherences scale by √(1−λ)).
KrausSet phase_damping_kraus(double lambda);
// Depolarizing on n = 1 or 2 qubits in Aer's parametrisation: ρ ↦ (1−λ)ρ + λ·Tr(ρ)·I/d, as the
// Pauli mixture √(1 − λ(4ⁿ−1)/4ⁿ)·I and √(λ/4ⁿ)·P for the 4ⁿ − 1 other Pauli strings.
// 0 ≤ λ ≤ 4ⁿ/(4ⁿ − 1).
KrausSet depolarizing_kraus(double lambda, int n_qubits);

}  // namespace qnas::sim
