#include "analysis/state_runner.h"

#include <algorithm>
#include <cmath>

#include "analysis/sampling.h"
#include "sim/error.h"
#include "sim/random.h"

namespace qnas::analysis::detail {

namespace {

using sim::cplx;
using sim::GateKind;

// Plain complex product: std::complex's operator* guards against inf/NaN (a libcall without
// -ffast-math), which costs more than the gate itself at these sizes.
inline cplx mul(cplx a, cplx b) {
    return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

// A 2×2 matrix in registers (row-major a b / c d).
struct M2 {
    cplx a, b, c, d;
};

// exp(−iθP/2) for P = X, Y, Z.
M2 rotation(char p, double t) {
    const double co = std::cos(t / 2), si = std::sin(t / 2);
    switch (p) {
        case 'X': return {co, {0, -si}, {0, -si}, co};
        case 'Y': return {co, -si, si, co};
        default: return {{co, -si}, 0.0, 0.0, {co, si}};
    }
}

M2 u3(double t, double f, double l) {
    const double co = std::cos(t / 2), si = std::sin(t / 2);
    const cplx ef{std::cos(f), std::sin(f)}, el{std::cos(l), std::sin(l)};
    return {co, -si * el, si * ef, co * mul(ef, el)};
}

// The 2×2 closed forms: 1-qubit rotations, and the U of controlled ones (`controlled` set).
bool closed_form_2x2(GateKind kind, std::span<const double> p, M2& u, bool& controlled) {
    controlled = false;
    switch (kind) {
        case GateKind::CRX: controlled = true; [[fallthrough]];
        case GateKind::RX: u = rotation('X', p[0]); return true;
        case GateKind::CRY: controlled = true; [[fallthrough]];
        case GateKind::RY: u = rotation('Y', p[0]); return true;
        case GateKind::CRZ: controlled = true; [[fallthrough]];
        case GateKind::RZ: u = rotation('Z', p[0]); return true;
        case GateKind::CP:
        case GateKind::CU1: controlled = true; [[fallthrough]];
        case GateKind::P:
        case GateKind::U1: u = {1.0, 0.0, 0.0, std::polar(1.0, p[0])}; return true;
        case GateKind::CU3: controlled = true; [[fallthrough]];
        case GateKind::U3: u = u3(p[0], p[1], p[2]); return true;
        default: return false;
    }
}

M2 to_m2(const std::array<cplx, 4>& u) { return {u[0], u[1], u[2], u[3]}; }

// The 2×2 update of one amplitude pair, in plain doubles: building std::complex values in the loop
// made GCC spill them half by half and reload them whole (a store-forwarding stall per pair).
struct Kernel2 {
    double ar, ai, br, bi, cr, ci, dr, di;
    explicit Kernel2(const M2& m)
        : ar(m.a.real()),
          ai(m.a.imag()),
          br(m.b.real()),
          bi(m.b.imag()),
          cr(m.c.real()),
          ci(m.c.imag()),
          dr(m.d.real()),
          di(m.d.imag()) {}
    void operator()(double* x, double* y) const {
        const double xr = x[0], xi = x[1], yr = y[0], yi = y[1];
        x[0] = ar * xr - ai * xi + br * yr - bi * yi;
        x[1] = ar * xi + ai * xr + br * yi + bi * yr;
        y[0] = cr * xr - ci * xi + dr * yr - di * yi;
        y[1] = cr * xi + ci * xr + dr * yi + di * yr;
    }
};

// std::complex<double> is layout-compatible with double[2] ([complex.numbers]).
inline double* re_im(sim::State& psi, std::size_t i) { return reinterpret_cast<double*>(psi.data() + i); }

void apply1(sim::State& psi, const M2& m, int q) {
    const Kernel2 k(m);
    const std::size_t s = std::size_t{1} << q, dim = psi.size();
    for (std::size_t hi = 0; hi < dim; hi += 2 * s)
        for (std::size_t i = hi; i < hi + s; ++i) k(re_im(psi, i), re_im(psi, i | s));
}

// j with a 0 bit inserted at position `bit` (enumerates the indices whose bit is 0 without a branch).
inline std::size_t insert_zero(std::size_t j, int bit) {
    const std::size_t low = (std::size_t{1} << bit) - 1;
    return ((j & ~low) << 1) | (j & low);
}

void apply2(sim::State& psi, const std::array<cplx, 16>& m, int q0, int q1) {
    const std::size_t s0 = std::size_t{1} << q0, s1 = std::size_t{1} << q1;
    const std::size_t off[4] = {0, s0, s1, s0 | s1};
    const int lo = std::min(q0, q1), hi = std::max(q0, q1);
    for (std::size_t j = 0; j < psi.size() / 4; ++j) {
        const std::size_t base = insert_zero(insert_zero(j, lo), hi);
        cplx in[4], out[4];
        for (int l = 0; l < 4; ++l) in[l] = psi[base | off[l]];
        for (int r = 0; r < 4; ++r) {
            cplx acc{0.0, 0.0};
            for (int k = 0; k < 4; ++k) acc += mul(m[static_cast<std::size_t>(r * 4 + k)], in[k]);
            out[r] = acc;
        }
        for (int l = 0; l < 4; ++l) psi[base | off[l]] = out[l];
    }
}

// |0⟩⟨0|⊗I + |1⟩⟨1|⊗U with the control on the low bit: rows/columns 0 and 2 are those of I.
bool is_controlled(const std::array<cplx, 16>& m) {
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) {
            if ((r & 1) && (c & 1)) continue;  // the U block
            const cplx want = r == c ? cplx{1.0, 0.0} : cplx{0.0, 0.0};
            if (m[static_cast<std::size_t>(r * 4 + c)] != want) return false;
        }
    return true;
}

// U on the target where the control bit is 1.
void apply_controlled(sim::State& psi, const M2& m, int control, int target) {
    const Kernel2 k(m);
    const std::size_t sc = std::size_t{1} << control, st = std::size_t{1} << target;
    const int lo = std::min(control, target), hi = std::max(control, target);
    for (std::size_t j = 0; j < psi.size() / 4; ++j) {
        const std::size_t i = insert_zero(insert_zero(j, lo), hi) | sc;  // control 1, target 0
        k(re_im(psi, i), re_im(psi, i | st));
    }
}

void from_eigen(const sim::Matrix& e, std::array<cplx, 16>& m) {
    const auto d = static_cast<int>(e.rows());
    for (int r = 0; r < d; ++r)
        for (int c = 0; c < d; ++c) m[static_cast<std::size_t>(r * d + c)] = e(r, c);
}

}  // namespace

bool closed_form_matrix(GateKind kind, std::span<const double> p, std::array<cplx, 16>& m) {
    M2 u;
    bool ctl = false;
    if (!closed_form_2x2(kind, p, u, ctl)) return false;
    m.fill(cplx{0.0, 0.0});
    if (!ctl) {
        m[0] = u.a, m[1] = u.b, m[2] = u.c, m[3] = u.d;
    } else {  // |0⟩⟨0|⊗I + |1⟩⟨1|⊗U, control = low bit (sim/gates.h)
        m[0 * 4 + 0] = 1.0;
        m[2 * 4 + 2] = 1.0;
        m[1 * 4 + 1] = u.a, m[1 * 4 + 3] = u.b, m[3 * 4 + 1] = u.c, m[3 * 4 + 3] = u.d;
    }
    return true;
}

StateRunner::StateRunner(const sim::Circuit& c) : n_qubits_(c.n_qubits), n_trainable_(c.n_trainable) {
    sim::validate(c);
    check_analysable(c);
    prepared_.reserve(c.ops.size());
    for (const auto& op : c.ops) {
        const auto& g = sim::gate_info(op.kind);
        Prepared p;
        p.op = op;
        p.n_qubits = g.n_qubits;
        p.fixed = true;
        for (int j = 0; j < g.n_params; ++j)
            if (op.params[static_cast<std::size_t>(j)].source != sim::Param::Source::Const) p.fixed = false;
        if (g.n_qubits <= 2) {
            if (p.fixed) {
                const auto angles = sim::resolve_angles(op, {}, {});
                if (!closed_form_matrix(op.kind, angles, p.m)) from_eigen(g.matrix(angles), p.m);
                if (g.n_qubits == 1) {
                    p.u = {p.m[0], p.m[1], p.m[2], p.m[3]};
                } else if (is_controlled(p.m)) {
                    p.controlled = true;
                    p.u = {p.m[5], p.m[7], p.m[13], p.m[15]};
                }
            } else {
                const std::array<double, sim::kMaxGateParams> zeros{};
                M2 unused;
                p.closed = closed_form_2x2(op.kind, zeros, unused, p.controlled);
            }
        }
        prepared_.push_back(p);
    }
    used_ = sim::used_trainables(c);
}

void StateRunner::draw_angles(std::uint64_t seed, std::uint64_t draw, double angle_range,
                              std::vector<double>& theta) const {
    theta.assign(static_cast<std::size_t>(n_trainable_), 0.0);
    const std::uint64_t key = stream_key(seed, Stream::Angles, draw);
    for (int i : used_)
        theta[static_cast<std::size_t>(i)] =
            angle_range * sim::unit_double(sim::mix64(key ^ sim::mix64(static_cast<std::uint64_t>(i))));
}

void StateRunner::run(std::span<const double> theta, sim::State& psi) const {
    QNAS_CHECK(theta.size() == static_cast<std::size_t>(n_trainable_), "StateRunner: wrong θ size");
    psi.assign(std::size_t{1} << n_qubits_, cplx{0.0, 0.0});
    psi[0] = 1.0;
    for (const auto& p : prepared_) {
        const int q0 = p.op.qubits[0], q1 = p.op.qubits[1];
        if (p.n_qubits > 2) {
            sim::apply_op(psi, p.op, theta);
        } else if (p.fixed) {
            if (p.n_qubits == 1)
                apply1(psi, to_m2(p.u), q0);
            else if (p.controlled)
                apply_controlled(psi, to_m2(p.u), q0, q1);
            else
                apply2(psi, p.m, q0, q1);
        } else if (p.closed) {
            const auto angles = sim::resolve_angles(p.op, theta, {});
            M2 u;
            bool ctl = false;
            closed_form_2x2(p.op.kind, angles, u, ctl);
            if (ctl)
                apply_controlled(psi, u, q0, q1);
            else
                apply1(psi, u, q0);
        } else {  // a rotation without a closed form here (u2, rxx, …): the gate table's matrix
            std::array<cplx, 16> m{};
            from_eigen(sim::gate_info(p.op.kind).matrix(sim::resolve_angles(p.op, theta, {})), m);
            if (p.n_qubits == 1)
                apply1(psi, M2{m[0], m[1], m[2], m[3]}, q0);
            else
                apply2(psi, m, q0, q1);
        }
    }
}

double fidelity(const sim::State& a, const sim::State& b) {
    QNAS_CHECK(a.size() == b.size(), "fidelity: state sizes differ");
    double re = 0.0, im = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        // conj(a)·b
        re += a[i].real() * b[i].real() + a[i].imag() * b[i].imag();
        im += a[i].real() * b[i].imag() - a[i].imag() * b[i].real();
    }
    return re * re + im * im;
}

std::uint64_t stream_key(std::uint64_t seed, Stream stream, std::uint64_t a) {
    return sim::mix64(sim::mix64(seed ^ (static_cast<std::uint64_t>(stream) << 56)) ^ a);
}

std::uint64_t stream_bits(std::uint64_t seed, Stream stream, std::uint64_t a, std::uint64_t b) {
    return sim::mix64(stream_key(seed, stream, a) ^ sim::mix64(b));
}

double stream_uniform(std::uint64_t seed, Stream stream, std::uint64_t a, std::uint64_t b) {
    return sim::unit_double(stream_bits(seed, stream, a, b));
}

}  // namespace qnas::analysis::detail
