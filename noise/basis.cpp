#include "noise/basis.h"

#include <cmath>
#include <numbers>

#include "noise/optimize.h"
#include "sim/error.h"

namespace qnas::noise {

using sim::cplx;
using sim::GateKind;
using sim::Matrix;
using sim::Op;
using sim::Param;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kAngleTol = 1e-12;

// Wraps to (−π, π].
double wrap(double a) {
    a = std::remainder(a, 2.0 * kPi);
    if (a <= -kPi) a += 2.0 * kPi;
    return a;
}

Op make(GateKind k, std::initializer_list<int> qs, std::initializer_list<double> angles = {}) {
    Op op;
    op.kind = k;
    std::size_t i = 0;
    for (int q : qs) op.qubits[i++] = q;
    i = 0;
    for (double a : angles) op.params[i++] = Param::constant(a);
    return op;
}

std::array<double, sim::kMaxGateParams> const_angles(const Op& op) {
    std::array<double, sim::kMaxGateParams> a{};
    const int np = sim::gate_info(op.kind).n_params;
    for (int j = 0; j < np; ++j) {
        const auto& p = op.params[static_cast<std::size_t>(j)];
        if (p.source != Param::Source::Const)
            throw Error("translate_to_basis: gate " + std::string(sim::gate_info(op.kind).name) +
                        " has a non-constant angle (bind the circuit first)");
        a[static_cast<std::size_t>(j)] = p.offset * p.scale;
    }
    return a;
}

Matrix op_matrix(const Op& op) {
    const auto a = const_angles(op);
    return sim::gate_matrix(op.kind, std::span<const double>(a.data(), a.size()));
}

// arg of tr(new†·orig): the φ with orig = e^{iφ}·new when they agree up to phase.
double phase_between(const Matrix& orig, const Matrix& now) { return std::arg((now.adjoint() * orig).trace()); }

void push_rz(double a, int q, std::vector<Op>& out) {
    a = wrap(a);
    if (std::abs(a) > kAngleTol) out.push_back(make(GateKind::RZ, {q}, {a}));
}

// Expands any table gate into 1-qubit gates, cx and the basis' native 2-qubit gate.
void expand(const Op& op, const Basis& basis, std::vector<Op>& out) {
    const auto& info = sim::gate_info(op.kind);
    if (info.n_qubits == 1 || op.kind == GateKind::CX || op.kind == basis.two_qubit) {
        out.push_back(op);
        return;
    }
    const auto a = const_angles(op);
    const int q0 = op.qubits[0], q1 = op.qubits[1], q2 = op.qubits[2];
    auto rec = [&](const Op& o) { expand(o, basis, out); };
    switch (op.kind) {
        case GateKind::CY:
            rec(make(GateKind::Sdg, {q1}));
            rec(make(GateKind::CX, {q0, q1}));
            rec(make(GateKind::S, {q1}));
            return;
        case GateKind::CZ:
            rec(make(GateKind::H, {q1}));
            rec(make(GateKind::CX, {q0, q1}));
            rec(make(GateKind::H, {q1}));
            return;
        case GateKind::CRZ:
            rec(make(GateKind::RZ, {q1}, {a[0] / 2}));
            rec(make(GateKind::CX, {q0, q1}));
            rec(make(GateKind::RZ, {q1}, {-a[0] / 2}));
            rec(make(GateKind::CX, {q0, q1}));
            return;
        case GateKind::CU1:
            rec(make(GateKind::U1, {q0}, {a[0] / 2}));
            rec(make(GateKind::CX, {q0, q1}));
            rec(make(GateKind::U1, {q1}, {-a[0] / 2}));
            rec(make(GateKind::CX, {q0, q1}));
            rec(make(GateKind::U1, {q1}, {a[0] / 2}));
            return;
        case GateKind::CU3: {
            const double th = a[0], ph = a[1], la = a[2];
            rec(make(GateKind::U1, {q0}, {(la + ph) / 2}));
            rec(make(GateKind::U1, {q1}, {(la - ph) / 2}));
            rec(make(GateKind::CX, {q0, q1}));
            rec(make(GateKind::U3, {q1}, {-th / 2, 0.0, -(ph + la) / 2}));
            rec(make(GateKind::CX, {q0, q1}));
            rec(make(GateKind::U3, {q1}, {th / 2, ph, 0.0}));
            return;
        }
        case GateKind::CCX:
            rec(make(GateKind::H, {q2}));
            rec(make(GateKind::CX, {q1, q2}));
            rec(make(GateKind::Tdg, {q2}));
            rec(make(GateKind::CX, {q0, q2}));
            rec(make(GateKind::T, {q2}));
            rec(make(GateKind::CX, {q1, q2}));
            rec(make(GateKind::Tdg, {q2}));
            rec(make(GateKind::CX, {q0, q2}));
            rec(make(GateKind::T, {q1}));
            rec(make(GateKind::T, {q2}));
            rec(make(GateKind::H, {q2}));
            rec(make(GateKind::CX, {q0, q1}));
            rec(make(GateKind::T, {q0}));
            rec(make(GateKind::Tdg, {q1}));
            rec(make(GateKind::CX, {q0, q1}));
            return;
        default: break;
    }
    QNAS_CHECK(!info.decomposition.empty(), "gate without decomposition");
    for (const auto& d : info.decomposition) {
        Op o;
        o.kind = d.kind;
        const auto& di = sim::gate_info(d.kind);
        for (int i = 0; i < di.n_qubits; ++i)
            o.qubits[static_cast<std::size_t>(i)] =
                op.qubits[static_cast<std::size_t>(d.qubits[static_cast<std::size_t>(i)])];
        for (int j = 0; j < di.n_params; ++j)
            o.params[static_cast<std::size_t>(j)] = Param::constant(
                d.angles[static_cast<std::size_t>(j)].eval(std::span<const double>(a.data(), a.size())));
        rec(o);
    }
}

// 1-qubit gate as a single matrix, synthesised.
void lower_1q(const Matrix& m, int q, const Basis& basis, std::vector<Op>& out) { synthesize_1q(m, q, basis, out); }

// cx(c, t) with the native gate on (c, t). Phase not returned (the caller measures it).
void lower_cx_native(int c, int t, const Basis& basis, std::vector<Op>& out) {
    switch (basis.two_qubit) {
        case GateKind::CX: out.push_back(make(GateKind::CX, {c, t})); return;
        case GateKind::CZ:
            lower_1q(sim::gate_matrix(GateKind::H, {}), t, basis, out);
            out.push_back(make(GateKind::CZ, {c, t}));
            lower_1q(sim::gate_matrix(GateKind::H, {}), t, basis, out);
            return;
        case GateKind::ECR: {
            // CX ∝ RZ_c(π/2)·RX_t(π/2)·ECR(c,t)·X_c.
            if (basis.has_x)
                out.push_back(make(GateKind::X, {c}));
            else
                lower_1q(sim::gate_matrix(GateKind::X, {}), c, basis, out);
            out.push_back(make(GateKind::ECR, {c, t}));
            push_rz(kPi / 2, c, out);
            const double rx = kPi / 2;
            lower_1q(sim::gate_matrix(GateKind::RX, std::span<const double>(&rx, 1)), t, basis, out);
            return;
        }
        default: QNAS_CHECK(false, "unreachable basis gate");
    }
}

}  // namespace

Basis Basis::from_names(std::span<const std::string> names) {
    bool rz = false, sx = false, x = false, cx = false, ecr = false, cz = false;
    for (const auto& n : names) {
        if (n == "id" || n == "reset" || n == "measure" || n == "delay" || n == "barrier") continue;
        if (n == "rz")
            rz = true;
        else if (n == "sx")
            sx = true;
        else if (n == "x")
            x = true;
        else if (n == "cx")
            cx = true;
        else if (n == "ecr")
            ecr = true;
        else if (n == "cz")
            cz = true;
        else
            throw Error("basis: unsupported basis gate '" + n + "'");
    }
    if (!rz || !sx) throw Error("basis: needs rz and sx");
    if (!cx && !ecr && !cz) throw Error("basis: needs an entangling gate (cx, ecr or cz)");
    Basis b;
    b.has_x = x;
    b.two_qubit = cx ? GateKind::CX : ecr ? GateKind::ECR : GateKind::CZ;
    return b;
}

bool Basis::contains(GateKind k) const {
    return k == GateKind::RZ || k == GateKind::SX || (k == GateKind::X && has_x) || k == two_qubit;
}

std::vector<GateKind> Basis::gates() const {
    std::vector<GateKind> g{GateKind::RZ, GateKind::SX};
    if (has_x) g.push_back(GateKind::X);
    g.push_back(two_qubit);
    return g;
}

namespace {

template <class M>
EulerZYZ euler_zyz_impl(const M& u) {
    const cplx det = u(0, 0) * u(1, 1) - u(0, 1) * u(1, 0);
    const cplx coeff = 1.0 / std::sqrt(det);
    const double phase = -std::arg(coeff);
    const cplx v00 = coeff * u(0, 0), v10 = coeff * u(1, 0), v11 = coeff * u(1, 1);  // in SU(2)
    const double theta = 2.0 * std::atan2(std::abs(v10), std::abs(v00));
    const double sum = 2.0 * std::arg(v11);   // φ + λ
    const double diff = 2.0 * std::arg(v10);  // φ − λ
    return {theta, (sum + diff) / 2.0, (sum - diff) / 2.0, phase};
}

}  // namespace

EulerZYZ euler_zyz(const Matrix& u) {
    QNAS_CHECK(u.rows() == 2 && u.cols() == 2, "euler_zyz needs a 2x2 matrix");
    return euler_zyz_impl(u);
}

EulerZYZ euler_zyz(const Eigen::Matrix2cd& u) { return euler_zyz_impl(u); }

void synthesize_1q_gates(const EulerZYZ& e, int q, const Basis& basis, std::vector<Op>& out) {
    constexpr double tol = 1e-10;
    auto push_x = [&] {
        if (basis.has_x) {
            out.push_back(make(GateKind::X, {q}));
        } else {
            out.push_back(make(GateKind::SX, {q}));
            out.push_back(make(GateKind::SX, {q}));
        }
    };
    if (std::abs(e.theta) < tol) {
        push_rz(e.phi + e.lambda, q, out);
    } else if (std::abs(e.theta - kPi / 2) < tol) {
        push_rz(e.lambda - kPi / 2, q, out);
        out.push_back(make(GateKind::SX, {q}));
        push_rz(e.phi + kPi / 2, q, out);
    } else if (std::abs(e.theta - kPi) < tol) {
        push_x();
        push_rz(e.phi - e.lambda + kPi, q, out);
    } else {
        push_rz(e.lambda, q, out);
        out.push_back(make(GateKind::SX, {q}));
        push_rz(e.theta + kPi, q, out);
        out.push_back(make(GateKind::SX, {q}));
        push_rz(e.phi + kPi, q, out);
    }
}

double synthesize_1q(const Matrix& u, int q, const Basis& basis, std::vector<Op>& out) {
    const std::size_t start = out.size();
    synthesize_1q_gates(euler_zyz(u), q, basis, out);
    const int qs[1] = {q};
    const Matrix now = local_unitary(std::span<const Op>(out).subspan(start), qs);
    return phase_between(u, now);
}

double append_cx(int control, int target, const Basis& basis, std::vector<Op>& out, bool reversed) {
    const std::size_t start = out.size();
    if (!reversed) {
        lower_cx_native(control, target, basis, out);
    } else {
        const Matrix h = sim::gate_matrix(GateKind::H, {});
        lower_1q(h, control, basis, out);
        lower_1q(h, target, basis, out);
        lower_cx_native(target, control, basis, out);
        lower_1q(h, control, basis, out);
        lower_1q(h, target, basis, out);
    }
    const int qs[2] = {control, target};
    return phase_between(sim::gate_matrix(GateKind::CX, {}),
                         local_unitary(std::span<const Op>(out).subspan(start), qs));
}

double flip_native(int a, int b, const Basis& basis, std::vector<Op>& out) {
    const std::size_t start = out.size();
    const Matrix h = sim::gate_matrix(GateKind::H, {});
    switch (basis.two_qubit) {
        case GateKind::CZ:  // symmetric
            out.push_back(make(GateKind::CZ, {b, a}));
            break;
        case GateKind::CX: append_cx(a, b, basis, out, true); break;
        case GateKind::ECR: {
            // CX(a,b) ∝ RZ_a(π/2)·RX_b(π/2)·ECR(a,b)·X_a, so
            // ECR(a,b) ∝ RZ_a(−π/2)·RX_b(−π/2)·CX(a,b)·X_a, with CX(a,b) built on ECR(b,a).
            lower_1q(sim::gate_matrix(GateKind::X, {}), a, basis, out);
            append_cx(a, b, basis, out, true);
            const double m90 = -kPi / 2;
            push_rz(m90, a, out);
            lower_1q(sim::gate_matrix(GateKind::RX, std::span<const double>(&m90, 1)), b, basis, out);
            break;
        }
        default: QNAS_CHECK(false, "unreachable basis gate");
    }
    const int qs[2] = {a, b};
    return phase_between(sim::gate_matrix(basis.two_qubit, {}),
                         local_unitary(std::span<const Op>(out).subspan(start), qs));
}

Matrix local_unitary(std::span<const Op> ops, std::span<const int> qubits) {
    const int k = static_cast<int>(qubits.size());
    const Eigen::Index dim = Eigen::Index{1} << k;
    Matrix u = Matrix::Identity(dim, dim);
    for (const auto& op : ops) {
        const auto& info = sim::gate_info(op.kind);
        const Matrix g = op_matrix(op);
        std::array<int, sim::kMaxGateQubits> pos{};
        for (int i = 0; i < info.n_qubits; ++i) {
            int p = -1;
            for (int j = 0; j < k; ++j)
                if (qubits[static_cast<std::size_t>(j)] == op.qubits[static_cast<std::size_t>(i)]) p = j;
            QNAS_CHECK(p >= 0, "op outside the listed qubits");
            pos[static_cast<std::size_t>(i)] = p;
        }
        int mask = 0;
        for (int i = 0; i < info.n_qubits; ++i) mask |= 1 << pos[static_cast<std::size_t>(i)];
        auto sub = [&](Eigen::Index r) {
            Eigen::Index s = 0;
            for (int i = 0; i < info.n_qubits; ++i) s |= ((r >> pos[static_cast<std::size_t>(i)]) & 1) << i;
            return s;
        };
        Matrix full = Matrix::Zero(dim, dim);
        for (Eigen::Index r = 0; r < dim; ++r)
            for (Eigen::Index c = 0; c < dim; ++c)
                if ((r & ~mask) == (c & ~mask)) full(r, c) = g(sub(r), sub(c));
        u = full * u;
    }
    return u;
}

Compiled translate(const sim::Circuit& bound, const Basis& basis) {
    Compiled res;
    res.circuit = bound;
    res.circuit.ops.clear();
    res.circuit.n_trainable = 0;
    res.circuit.n_inputs = 0;
    // Stage 1: every gate as 1-qubit gates, cx and the native gate.
    sim::Circuit stage = res.circuit;
    std::vector<Op> tmp;
    for (const auto& op : bound.ops) {
        const auto& info = sim::gate_info(op.kind);
        if (op.kind == GateKind::I) continue;
        tmp.clear();
        expand(op, basis, tmp);
        const std::span<const int> qs(op.qubits.data(), static_cast<std::size_t>(info.n_qubits));
        res.global_phase += phase_between(op_matrix(op), local_unitary(tmp, qs));
        stage.ops.insert(stage.ops.end(), tmp.begin(), tmp.end());
    }
    // Stage 2: cancel cx pairs and merge 1-qubit runs while cx is still cx (after lowering to
    // ecr the pairs are no longer adjacent).
    for (int iter = 0; iter < 1000; ++iter) {
        bool changed = merge_1q_runs_u3(stage, res.global_phase);
        changed = cancel_inverse_pairs(stage) || changed;
        if (!changed) break;
    }
    // Stage 3: lower to the basis.
    auto& out = res.circuit.ops;
    for (const auto& t : stage.ops) {
        const std::size_t start = out.size();
        const auto& info = sim::gate_info(t.kind);
        if (info.n_qubits == 1)
            lower_1q(op_matrix(t), t.qubits[0], basis, out);
        else if (t.kind == basis.two_qubit)
            out.push_back(t);
        else if (t.kind == GateKind::CX)
            lower_cx_native(t.qubits[0], t.qubits[1], basis, out);
        else
            QNAS_CHECK(false, "unreachable basis gate");
        const std::span<const int> qs(t.qubits.data(), static_cast<std::size_t>(info.n_qubits));
        res.global_phase += phase_between(op_matrix(t), local_unitary(std::span<const Op>(out).subspan(start), qs));
    }
    res.global_phase = wrap(res.global_phase);
    return res;
}

sim::Circuit translate_to_basis(const sim::Circuit& bound, const Basis& basis) {
    return translate(bound, basis).circuit;
}

}  // namespace qnas::noise
