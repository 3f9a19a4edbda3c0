#include "sim/gates.h"

#include <cmath>
#include <numbers>
#include <unordered_map>

#include "sim/error.h"

namespace qnas::sim {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr cplx kI{0.0, 1.0};

Matrix mat2(cplx a, cplx b, cplx c, cplx d) {
    Matrix m(2, 2);
    m << a, b, c, d;
    return m;
}

Matrix pauli(char p) {
    switch (p) {
        case 'X': return mat2(0, 1, 1, 0);
        case 'Y': return mat2(0, -kI, kI, 0);
        case 'Z': return mat2(1, 0, 0, -1);
        default: return Matrix::Identity(2, 2);
    }
}

// kron(hi, lo): `lo` acts on the first operand (low bit), `hi` on the second.
Matrix kron(const Matrix& hi, const Matrix& lo) {
    Matrix out(hi.rows() * lo.rows(), hi.cols() * lo.cols());
    for (Eigen::Index i = 0; i < hi.rows(); ++i)
        for (Eigen::Index j = 0; j < hi.cols(); ++j)
            out.block(i * lo.rows(), j * lo.cols(), lo.rows(), lo.cols()) = hi(i, j) * lo;
    return out;
}

// Controlled 1-qubit matrix, control = first operand (low bit), target = second.
Matrix controlled(const Matrix& u, bool derivative = false) {
    Matrix m = Matrix::Identity(4, 4);
    if (derivative) m.setZero();
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 2; ++c) m(1 + 2 * r, 1 + 2 * c) = u(r, c);
    return m;
}

// exp(−iθ/2·P) for an involutory P, and its derivative.
Matrix pauli_rotation(const Matrix& p, double theta) {
    return std::cos(theta / 2) * Matrix::Identity(p.rows(), p.cols()) - kI * std::sin(theta / 2) * p;
}
Matrix pauli_rotation_d(const Matrix& p, double theta) {
    return -0.5 * std::sin(theta / 2) * Matrix::Identity(p.rows(), p.cols()) - 0.5 * kI * std::cos(theta / 2) * p;
}

Matrix u3_m(double t, double f, double l) {
    const double c = std::cos(t / 2), s = std::sin(t / 2);
    return mat2(c, -std::exp(kI * l) * s, std::exp(kI * f) * s, std::exp(kI * (f + l)) * c);
}
Matrix u3_d(double t, double f, double l, int j) {
    const double c = std::cos(t / 2), s = std::sin(t / 2);
    const cplx el = std::exp(kI * l), ef = std::exp(kI * f), efl = std::exp(kI * (f + l));
    switch (j) {
        case 0: return mat2(-s / 2, -el * c / 2.0, ef * c / 2.0, -efl * s / 2.0);
        case 1: return mat2(0, 0, kI * ef * s, kI * efl * c);
        default: return mat2(0, -kI * el * s, 0, kI * efl * c);
    }
}
Matrix phase_m(double l) { return mat2(1, 0, 0, std::exp(kI * l)); }
Matrix phase_d(double l) { return mat2(0, 0, 0, kI * std::exp(kI * l)); }

Matrix rot1(char axis, double t) { return pauli_rotation(pauli(axis), t); }

Matrix zero_deriv(std::span<const double>, int) {
    QNAS_CHECK(false, "derivative requested for a gate without parameters");
}

// ---- matrix functions, one per gate ------------------------------------------------------
Matrix m_i(std::span<const double>) { return Matrix::Identity(2, 2); }
Matrix m_h(std::span<const double>) { return mat2(1, 1, 1, -1) / std::sqrt(2.0); }
Matrix m_x(std::span<const double>) { return pauli('X'); }
Matrix m_y(std::span<const double>) { return pauli('Y'); }
Matrix m_z(std::span<const double>) { return pauli('Z'); }
Matrix m_s(std::span<const double>) { return mat2(1, 0, 0, kI); }
Matrix m_sdg(std::span<const double>) { return mat2(1, 0, 0, -kI); }
Matrix m_t(std::span<const double>) { return phase_m(kPi / 4); }
Matrix m_tdg(std::span<const double>) { return phase_m(-kPi / 4); }
Matrix m_sx(std::span<const double>) { return mat2(cplx(1, 1), cplx(1, -1), cplx(1, -1), cplx(1, 1)) / 2.0; }
Matrix m_sxdg(std::span<const double>) { return mat2(cplx(1, -1), cplx(1, 1), cplx(1, 1), cplx(1, -1)) / 2.0; }
Matrix m_rx(std::span<const double> p) { return rot1('X', p[0]); }
Matrix m_ry(std::span<const double> p) { return rot1('Y', p[0]); }
Matrix m_rz(std::span<const double> p) { return rot1('Z', p[0]); }
Matrix d_rx(std::span<const double> p, int) { return pauli_rotation_d(pauli('X'), p[0]); }
Matrix d_ry(std::span<const double> p, int) { return pauli_rotation_d(pauli('Y'), p[0]); }
Matrix d_rz(std::span<const double> p, int) { return pauli_rotation_d(pauli('Z'), p[0]); }
Matrix m_p(std::span<const double> p) { return phase_m(p[0]); }
Matrix d_p(std::span<const double> p, int) { return phase_d(p[0]); }
Matrix m_u2(std::span<const double> p) { return u3_m(kPi / 2, p[0], p[1]); }
Matrix d_u2(std::span<const double> p, int j) { return u3_d(kPi / 2, p[0], p[1], j + 1); }
Matrix m_u3(std::span<const double> p) { return u3_m(p[0], p[1], p[2]); }
Matrix d_u3(std::span<const double> p, int j) { return u3_d(p[0], p[1], p[2], j); }

Matrix m_cx(std::span<const double>) { return controlled(pauli('X')); }
Matrix m_cy(std::span<const double>) { return controlled(pauli('Y')); }
Matrix m_cz(std::span<const double>) { return controlled(pauli('Z')); }
Matrix m_swap(std::span<const double>) {
    Matrix m = Matrix::Zero(4, 4);
    m(0, 0) = m(3, 3) = 1;
    m(1, 2) = m(2, 1) = 1;
    return m;
}
Matrix m_sswap(std::span<const double>) {
    Matrix m = Matrix::Zero(4, 4);
    m(0, 0) = m(3, 3) = 1;
    m(1, 1) = m(2, 2) = cplx(0.5, 0.5);
    m(1, 2) = m(2, 1) = cplx(0.5, -0.5);
    return m;
}
Matrix m_crx(std::span<const double> p) { return controlled(rot1('X', p[0])); }
Matrix m_cry(std::span<const double> p) { return controlled(rot1('Y', p[0])); }
Matrix m_crz(std::span<const double> p) { return controlled(rot1('Z', p[0])); }
Matrix d_crx(std::span<const double> p, int) { return controlled(pauli_rotation_d(pauli('X'), p[0]), true); }
Matrix d_cry(std::span<const double> p, int) { return controlled(pauli_rotation_d(pauli('Y'), p[0]), true); }
Matrix d_crz(std::span<const double> p, int) { return controlled(pauli_rotation_d(pauli('Z'), p[0]), true); }
Matrix m_cp(std::span<const double> p) { return controlled(phase_m(p[0])); }
Matrix d_cp(std::span<const double> p, int) { return controlled(phase_d(p[0]), true); }
Matrix m_cu3(std::span<const double> p) { return controlled(u3_m(p[0], p[1], p[2])); }
Matrix d_cu3(std::span<const double> p, int j) { return controlled(u3_d(p[0], p[1], p[2], j), true); }

Matrix m_rxx(std::span<const double> p) { return pauli_rotation(kron(pauli('X'), pauli('X')), p[0]); }
Matrix m_ryy(std::span<const double> p) { return pauli_rotation(kron(pauli('Y'), pauli('Y')), p[0]); }
Matrix m_rzz(std::span<const double> p) { return pauli_rotation(kron(pauli('Z'), pauli('Z')), p[0]); }
Matrix m_rzx(std::span<const double> p) { return pauli_rotation(kron(pauli('X'), pauli('Z')), p[0]); }
Matrix d_rxx(std::span<const double> p, int) { return pauli_rotation_d(kron(pauli('X'), pauli('X')), p[0]); }
Matrix d_ryy(std::span<const double> p, int) { return pauli_rotation_d(kron(pauli('Y'), pauli('Y')), p[0]); }
Matrix d_rzz(std::span<const double> p, int) { return pauli_rotation_d(kron(pauli('Z'), pauli('Z')), p[0]); }
Matrix d_rzx(std::span<const double> p, int) { return pauli_rotation_d(kron(pauli('X'), pauli('Z')), p[0]); }
Matrix m_ecr(std::span<const double>) {
    // Qiskit's ECRGate matrix (little-endian), = (IX − XY)/√2 in Qiskit's operator notation.
    Matrix m(4, 4);
    m << 0, 1, 0, kI, 1, 0, -kI, 0, 0, kI, 0, 1, -kI, 0, 1, 0;
    return m / std::sqrt(2.0);
}
Matrix m_ccx(std::span<const double>) {
    Matrix m = Matrix::Identity(8, 8);
    // Controls are operands 0 and 1 (bits 0, 1); target operand 2 (bit 2): swap |011⟩ and |111⟩.
    m(3, 3) = m(7, 7) = 0;
    m(3, 7) = m(7, 3) = 1;
    return m;
}
Matrix m_sh(std::span<const double>) { return rot1('Y', kPi / 4); }

// ---- decomposition helpers ----------------------------------------------------------------
AffineAngle c(double v) { return AffineAngle{v, {}}; }
AffineAngle th(double k, int j = 0, double offset = 0.0) {
    AffineAngle a{offset, {}};
    a.coeff[static_cast<std::size_t>(j)] = k;
    return a;
}
DecompositionOp op(GateKind k, std::array<int, 3> q, std::array<AffineAngle, 3> a = {}) { return {k, q, a}; }
using G = GateKind;

std::vector<GateInfo> build_table() {
    const auto two = two_term_shift_rule();
    const auto four = four_term_shift_rule();
    auto rec = [](GateKind k, std::string_view name, int nq, int np, std::array<std::string_view, 3> pn, bool strict,
                  bool involution, Matrix (*m)(std::span<const double>), Matrix (*d)(std::span<const double>, int),
                  std::array<std::vector<ShiftTerm>, 3> rules, std::vector<DecompositionOp> dec) {
        return GateInfo{k, name, nq, np, pn, strict, involution, m, d, std::move(rules), std::move(dec)};
    };
    std::vector<GateInfo> t;
    t.reserve(kGateCount);
    t.push_back(rec(G::I, "id", 1, 0, {}, true, true, m_i, zero_deriv, {}, {}));
    t.push_back(rec(G::H, "h", 1, 0, {}, true, true, m_h, zero_deriv, {}, {}));
    t.push_back(rec(G::X, "x", 1, 0, {}, true, true, m_x, zero_deriv, {}, {}));
    t.push_back(rec(G::Y, "y", 1, 0, {}, true, true, m_y, zero_deriv, {}, {}));
    t.push_back(rec(G::Z, "z", 1, 0, {}, true, true, m_z, zero_deriv, {}, {}));
    t.push_back(rec(G::S, "s", 1, 0, {}, true, false, m_s, zero_deriv, {}, {}));
    t.push_back(rec(G::Sdg, "sdg", 1, 0, {}, true, false, m_sdg, zero_deriv, {}, {}));
    t.push_back(rec(G::T, "t", 1, 0, {}, true, false, m_t, zero_deriv, {}, {}));
    t.push_back(rec(G::Tdg, "tdg", 1, 0, {}, true, false, m_tdg, zero_deriv, {}, {}));
    t.push_back(rec(G::SX, "sx", 1, 0, {}, false, false, m_sx, zero_deriv, {},
                    {op(G::Sdg, {0}), op(G::H, {0}), op(G::Sdg, {0})}));
    t.push_back(rec(G::SXdg, "sxdg", 1, 0, {}, false, false, m_sxdg, zero_deriv, {},
                    {op(G::S, {0}), op(G::H, {0}), op(G::S, {0})}));
    t.push_back(rec(G::RX, "rx", 1, 1, {"theta"}, true, false, m_rx, d_rx, {two}, {}));
    t.push_back(rec(G::RY, "ry", 1, 1, {"theta"}, true, false, m_ry, d_ry, {two}, {}));
    t.push_back(rec(G::RZ, "rz", 1, 1, {"phi"}, true, false, m_rz, d_rz, {two}, {}));
    t.push_back(rec(G::P, "p", 1, 1, {"lambda"}, false, false, m_p, d_p, {two}, {op(G::U1, {0}, {th(1)})}));
    t.push_back(rec(G::U1, "u1", 1, 1, {"lambda"}, true, false, m_p, d_p, {two}, {}));
    t.push_back(rec(G::U2, "u2", 1, 2, {"phi", "lambda"}, true, false, m_u2, d_u2, {two, two}, {}));
    t.push_back(rec(G::U3, "u3", 1, 3, {"theta", "phi", "lambda"}, true, false, m_u3, d_u3, {two, two, two}, {}));
    t.push_back(rec(G::CX, "cx", 2, 0, {}, true, true, m_cx, zero_deriv, {}, {}));
    t.push_back(rec(G::CY, "cy", 2, 0, {}, true, true, m_cy, zero_deriv, {}, {}));
    t.push_back(rec(G::CZ, "cz", 2, 0, {}, true, true, m_cz, zero_deriv, {}, {}));
    t.push_back(rec(G::Swap, "swap", 2, 0, {}, false, true, m_swap, zero_deriv, {},
                    {op(G::CX, {0, 1}), op(G::CX, {1, 0}), op(G::CX, {0, 1})}));
    t.push_back(
        rec(G::SSwap, "sswap", 2, 0, {}, false, false, m_sswap, zero_deriv, {},
            {op(G::RXX, {0, 1}, {c(kPi / 4)}), op(G::RYY, {0, 1}, {c(kPi / 4)}), op(G::RZZ, {0, 1}, {c(kPi / 4)})}));
    // crx/cry as in Qiskit's legacy qelib1.inc.
    t.push_back(rec(G::CRX, "crx", 2, 1, {"lambda"}, false, false, m_crx, d_crx, {four},
                    {op(G::U1, {1}, {c(kPi / 2)}), op(G::CX, {0, 1}), op(G::U3, {1}, {th(-0.5), c(0), c(0)}),
                     op(G::CX, {0, 1}), op(G::U3, {1}, {th(0.5), c(-kPi / 2), c(0)})}));
    t.push_back(rec(G::CRY, "cry", 2, 1, {"lambda"}, false, false, m_cry, d_cry, {four},
                    {op(G::RY, {1}, {th(0.5)}), op(G::CX, {0, 1}), op(G::RY, {1}, {th(-0.5)}), op(G::CX, {0, 1})}));
    t.push_back(rec(G::CRZ, "crz", 2, 1, {"lambda"}, true, false, m_crz, d_crz, {four}, {}));
    t.push_back(rec(G::CP, "cp", 2, 1, {"lambda"}, false, false, m_cp, d_cp, {two}, {op(G::CU1, {0, 1}, {th(1)})}));
    t.push_back(rec(G::CU1, "cu1", 2, 1, {"lambda"}, true, false, m_cp, d_cp, {two}, {}));
    t.push_back(rec(G::CU3, "cu3", 2, 3, {"theta", "phi", "lambda"}, true, false, m_cu3, d_cu3, {four, two, two}, {}));
    t.push_back(rec(G::RXX, "rxx", 2, 1, {"theta"}, false, false, m_rxx, d_rxx, {two},
                    {op(G::H, {0}), op(G::H, {1}), op(G::CX, {0, 1}), op(G::RZ, {1}, {th(1)}), op(G::CX, {0, 1}),
                     op(G::H, {0}), op(G::H, {1})}));
    t.push_back(
        rec(G::RYY, "ryy", 2, 1, {"theta"}, false, false, m_ryy, d_ryy, {two},
            {op(G::RX, {0}, {c(kPi / 2)}), op(G::RX, {1}, {c(kPi / 2)}), op(G::CX, {0, 1}), op(G::RZ, {1}, {th(1)}),
             op(G::CX, {0, 1}), op(G::RX, {0}, {c(-kPi / 2)}), op(G::RX, {1}, {c(-kPi / 2)})}));
    t.push_back(rec(G::RZZ, "rzz", 2, 1, {"theta"}, false, false, m_rzz, d_rzz, {two},
                    {op(G::CX, {0, 1}), op(G::RZ, {1}, {th(1)}), op(G::CX, {0, 1})}));
    t.push_back(rec(G::RZX, "rzx", 2, 1, {"theta"}, false, false, m_rzx, d_rzx, {two},
                    {op(G::H, {1}), op(G::CX, {0, 1}), op(G::RZ, {1}, {th(1)}), op(G::CX, {0, 1}), op(G::H, {1})}));
    t.push_back(rec(G::ECR, "ecr", 2, 0, {}, false, true, m_ecr, zero_deriv, {},
                    {op(G::RZX, {0, 1}, {c(kPi / 4)}), op(G::X, {0}), op(G::RZX, {0, 1}, {c(-kPi / 4)})}));
    t.push_back(rec(G::CCX, "ccx", 3, 0, {}, true, true, m_ccx, zero_deriv, {}, {}));
    t.push_back(rec(G::SH, "shadamard", 1, 0, {}, false, false, m_sh, zero_deriv, {}, {op(G::RY, {0}, {c(kPi / 4)})}));
    for (int k = 0; k < kGateCount; ++k)
        QNAS_CHECK(static_cast<int>(t[static_cast<std::size_t>(k)].kind) == k, "gate table out of enum order");
    return t;
}

const std::vector<GateInfo>& table() {
    static const std::vector<GateInfo> t = build_table();
    return t;
}

}  // namespace

double AffineAngle::eval(std::span<const double> params) const {
    double v = offset;
    for (std::size_t j = 0; j < params.size() && j < coeff.size(); ++j) v += coeff[j] * params[j];
    return v;
}

const std::vector<ShiftTerm>& two_term_shift_rule() {
    static const std::vector<ShiftTerm> r{{0.5, kPi / 2}, {-0.5, -kPi / 2}};
    return r;
}

const std::vector<ShiftTerm>& four_term_shift_rule() {
    static const std::vector<ShiftTerm> r = [] {
        const double cp = (std::sqrt(2.0) + 1) / (4 * std::sqrt(2.0));
        const double cm = (std::sqrt(2.0) - 1) / (4 * std::sqrt(2.0));
        return std::vector<ShiftTerm>{{cp, kPi / 2}, {-cp, -kPi / 2}, {-cm, 3 * kPi / 2}, {cm, -3 * kPi / 2}};
    }();
    return r;
}

const GateInfo& gate_info(GateKind kind) {
    const int k = static_cast<int>(kind);
    QNAS_CHECK(k >= 0 && k < kGateCount, "gate kind out of range");
    return table()[static_cast<std::size_t>(k)];
}

std::span<const GateInfo> gate_table() { return table(); }

std::optional<GateKind> gate_by_name(std::string_view name) {
    static const std::unordered_map<std::string_view, GateKind> by_name = [] {
        std::unordered_map<std::string_view, GateKind> m;
        for (const auto& g : table()) m.emplace(g.name, g.kind);
        m.emplace("i", G::I);
        m.emplace("u", G::U3);
        m.emplace("U", G::U3);
        m.emplace("CX", G::CX);
        m.emplace("cnot", G::CX);
        m.emplace("phase", G::P);
        m.emplace("cphase", G::CP);
        return m;
    }();
    auto it = by_name.find(name);
    if (it == by_name.end()) return std::nullopt;
    return it->second;
}

Matrix gate_matrix(GateKind kind, std::span<const double> params) {
    const auto& g = gate_info(kind);
    QNAS_CHECK(static_cast<int>(params.size()) >= g.n_params, "too few parameters for gate");
    return g.matrix(params);
}

Matrix gate_generator(GateKind kind, std::span<const double> params, int j) {
    const auto& g = gate_info(kind);
    QNAS_CHECK(j >= 0 && j < g.n_params, "parameter index out of range");
    // ∂U = −i·G·U  ⇒  G = i·∂U·U†.
    return kI * g.derivative(params, j) * g.matrix(params).adjoint();
}

}  // namespace qnas::sim
