// The gate table: every gate qnas knows is one GateInfo record (name, arity, matrix, analytic
// derivative, parameter-shift rule, decomposition into strict qelib1.inc gates). Simulators,
// QASM I/O and (later) compilation all read this one table; adding a gate is adding a record.
//
// Conventions (the single place they are written down; docs/conventions.md repeats them):
//  * Matrices are Qiskit's, including global phase as qelib1.inc defines the gate
//    (e.g. rz(θ) = diag(e^{-iθ/2}, e^{iθ/2}), u1(θ) = diag(1, e^{iθ})).
//  * Little-endian: qubit 0 is the least significant bit of a basis index. For a gate applied
//    to qubits (q0, q1, q2) its matrix index is bit(q0) + 2·bit(q1) + 4·bit(q2), so the first
//    operand (the control of cx, cu3, …) is the low bit of the gate matrix, as in Qiskit.
//  * rxx/ryy/rzz(θ) = exp(−iθ/2 P⊗P); rzx(θ) = exp(−iθ/2 Z_{q0} X_{q1}) (Z on the first operand).
//  * cu3 is Qiskit's CU3Gate: |0⟩⟨0|⊗I + |1⟩⟨1|⊗U3 with the control on the first operand.
//  * shadamard is TorchQuantum's "SHadamard" of the RXYZ space; its matrix is exactly RY(π/4).
#pragma once

#include <Eigen/Dense>
#include <array>
#include <complex>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace qnas::sim {

using cplx = std::complex<double>;
using Matrix = Eigen::MatrixXcd;

enum class GateKind : std::uint8_t {
    I,
    H,
    X,
    Y,
    Z,
    S,
    Sdg,
    T,
    Tdg,
    SX,
    SXdg,
    RX,
    RY,
    RZ,
    P,
    U1,
    U2,
    U3,
    CX,
    CY,
    CZ,
    Swap,
    SSwap,
    CRX,
    CRY,
    CRZ,
    CP,
    CU1,
    CU3,
    RXX,
    RYY,
    RZZ,
    RZX,
    ECR,
    CCX,
    SH,
    Count
};
inline constexpr int kGateCount = static_cast<int>(GateKind::Count);
inline constexpr int kMaxGateQubits = 3;
inline constexpr int kMaxGateParams = 3;

// An angle of a decomposed gate as an affine function of the parent gate's parameters:
// offset + Σ_j coeff[j]·θ_j. Exact, so decompositions stay symbolic in exported QASM.
struct AffineAngle {
    double offset = 0.0;
    std::array<double, kMaxGateParams> coeff{};
    double eval(std::span<const double> params) const;
};

// One gate of a decomposition; qubits index the parent gate's operands (0, 1, 2).
struct DecompositionOp {
    GateKind kind;
    std::array<int, kMaxGateQubits> qubits;
    std::array<AffineAngle, kMaxGateParams> angles;
};

// Parameter-shift rule for one angle: ∂f/∂θ = Σ_t coeff_t · f(θ + shift_t). Exact for any
// expectation (noisy too) of a circuit in which θ enters only through this gate.
struct ShiftTerm {
    double coeff;
    double shift;
};

struct GateInfo {
    GateKind kind;
    std::string_view name;  // qnas name; equal to the QASM name
    int n_qubits;
    int n_params;
    std::array<std::string_view, kMaxGateParams> param_names;  // as written in gate declarations
    bool strict_qelib1;           // defined by the 23-gate qelib1.inc of the OpenQASM 2.0 paper
    bool hermitian_self_inverse;  // U·U = I (lets the optimiser cancel adjacent pairs)
    Matrix (*matrix)(std::span<const double> params);
    // ∂U/∂θ_j, analytic (tests compare with finite differences).
    Matrix (*derivative)(std::span<const double> params, int j);
    // Shift rule per parameter (empty for fixed gates).
    std::array<std::vector<ShiftTerm>, kMaxGateParams> shift_rules;
    // Gates that realise this one up to a global phase; empty when strict_qelib1.
    std::vector<DecompositionOp> decomposition;
};

// The record for a kind.
const GateInfo& gate_info(GateKind kind);
// All records, indexed by GateKind.
std::span<const GateInfo> gate_table();
// Looks a gate up by its QASM name (and the aliases id, cnot, u, cphase, ...).
std::optional<GateKind> gate_by_name(std::string_view name);

// Dense matrix of a gate for given parameter values (size 2^n_qubits).
Matrix gate_matrix(GateKind kind, std::span<const double> params);
// Hermitian generator G_j with ∂U/∂θ_j = −i·G_j·U (exists for every gate in the table).
Matrix gate_generator(GateKind kind, std::span<const double> params, int j);

// The two standard shift rules, shared by the table and by gradient code.
const std::vector<ShiftTerm>& two_term_shift_rule();   // ±π/2, coefficients ±1/2
const std::vector<ShiftTerm>& four_term_shift_rule();  // ±π/2, ±3π/2 (controlled rotations)

}  // namespace qnas::sim
