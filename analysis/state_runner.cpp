#include "analysis/state_runner.h"

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

void set2(std::array<cplx, 16>& m, cplx a, cplx b, cplx c, cplx d) { m[0] = a, m[1] = b, m[2] = c, m[3] = d; }

// 4×4 |0⟩⟨0|⊗I + |1⟩⟨1|⊗U with the control on the low bit (sim/gates.h).
void controlled(std::array<cplx, 16>& m, cplx a, cplx b, cplx c, cplx d) {
    m.fill(cplx{0.0, 0.0});
    m[0 * 4 + 0] = 1.0;
    m[2 * 4 + 2] = 1.0;
    m[1 * 4 + 1] = a, m[1 * 4 + 3] = b, m[3 * 4 + 1] = c, m[3 * 4 + 3] = d;
}

// exp(−iθP/2) entries for P = X, Y, Z.
void rotation(char p, double t, cplx& a, cplx& b, cplx& c, cplx& d) {
    const double co = std::cos(t / 2), si = std::sin(t / 2);
    switch (p) {
        case 'X': a = co, b = {0, -si}, c = {0, -si}, d = co; break;
        case 'Y': a = co, b = -si, c = si, d = co; break;
        default: a = {co, -si}, b = 0.0, c = 0.0, d = {co, si}; break;
    }
}

void u3(double t, double f, double l, cplx& a, cplx& b, cplx& c, cplx& d) {
    const double co = std::cos(t / 2), si = std::sin(t / 2);
    const cplx ef{std::cos(f), std::sin(f)}, el{std::cos(l), std::sin(l)};
    a = co;
    b = -si * el;
    c = si * ef;
    d = co * mul(ef, el);
}

void apply1(sim::State& psi, const std::array<cplx, 16>& m, int q) {
    const std::size_t s = std::size_t{1} << q, dim = psi.size();
    for (std::size_t hi = 0; hi < dim; hi += 2 * s)
        for (std::size_t i = hi; i < hi + s; ++i) {
            const cplx a = psi[i], b = psi[i | s];
            psi[i] = mul(m[0], a) + mul(m[1], b);
            psi[i | s] = mul(m[2], a) + mul(m[3], b);
        }
}

void apply2(sim::State& psi, const std::array<cplx, 16>& m, int q0, int q1) {
    const std::size_t s0 = std::size_t{1} << q0, s1 = std::size_t{1} << q1, mask = s0 | s1;
    const std::size_t off[4] = {0, s0, s1, s0 | s1};
    for (std::size_t base = 0; base < psi.size(); ++base) {
        if (base & mask) continue;
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

// U (row-major 2×2 in m[0..3]) on the target where the control bit is 1.
void apply_controlled(sim::State& psi, const std::array<cplx, 16>& m, int control, int target) {
    const std::size_t sc = std::size_t{1} << control, st = std::size_t{1} << target;
    for (std::size_t i = 0; i < psi.size(); ++i) {
        if (!(i & sc) || (i & st)) continue;
        const cplx a = psi[i], b = psi[i | st];
        psi[i] = mul(m[0], a) + mul(m[1], b);
        psi[i | st] = mul(m[2], a) + mul(m[3], b);
    }
}

void from_eigen(const sim::Matrix& e, std::array<cplx, 16>& m) {
    const auto d = static_cast<int>(e.rows());
    for (int r = 0; r < d; ++r)
        for (int c = 0; c < d; ++c) m[static_cast<std::size_t>(r * d + c)] = e(r, c);
}

}  // namespace

bool closed_form_matrix(GateKind kind, std::span<const double> p, std::array<cplx, 16>& m) {
    cplx a, b, c, d;
    switch (kind) {
        case GateKind::RX:
            rotation('X', p[0], a, b, c, d);
            set2(m, a, b, c, d);
            return true;
        case GateKind::RY:
            rotation('Y', p[0], a, b, c, d);
            set2(m, a, b, c, d);
            return true;
        case GateKind::RZ:
            rotation('Z', p[0], a, b, c, d);
            set2(m, a, b, c, d);
            return true;
        case GateKind::P:
        case GateKind::U1: set2(m, 1.0, 0.0, 0.0, std::polar(1.0, p[0])); return true;
        case GateKind::U3:
            u3(p[0], p[1], p[2], a, b, c, d);
            set2(m, a, b, c, d);
            return true;
        case GateKind::CRX:
            rotation('X', p[0], a, b, c, d);
            controlled(m, a, b, c, d);
            return true;
        case GateKind::CRY:
            rotation('Y', p[0], a, b, c, d);
            controlled(m, a, b, c, d);
            return true;
        case GateKind::CRZ:
            rotation('Z', p[0], a, b, c, d);
            controlled(m, a, b, c, d);
            return true;
        case GateKind::CP:
        case GateKind::CU1: controlled(m, 1.0, 0.0, 0.0, std::polar(1.0, p[0])); return true;
        case GateKind::CU3:
            u3(p[0], p[1], p[2], a, b, c, d);
            controlled(m, a, b, c, d);
            return true;
        default: return false;
    }
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
            } else {
                const std::array<double, sim::kMaxGateParams> zeros{};
                p.closed = closed_form_matrix(op.kind, zeros, p.m);
            }
        }
        if (g.n_qubits == 2 && (p.fixed || p.closed)) {
            if (p.fixed) {
                p.controlled = is_controlled(p.m);
            } else {
                std::array<cplx, 16> probe{};
                const std::array<double, sim::kMaxGateParams> some{0.3, 0.7, 1.1};
                closed_form_matrix(op.kind, some, probe);
                p.controlled = is_controlled(probe);  // the closed forms are controlled for every angle or none
            }
            if (p.controlled && p.fixed) p.m = {p.m[5], p.m[7], p.m[13], p.m[15]};
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
    std::array<cplx, 16> scratch{};
    for (const auto& p : prepared_) {
        if (p.n_qubits > 2) {
            sim::apply_op(psi, p.op, theta);
            continue;
        }
        const std::array<cplx, 16>* m = &p.m;
        if (!p.fixed) {
            const auto angles = sim::resolve_angles(p.op, theta, {});
            if (p.closed)
                closed_form_matrix(p.op.kind, angles, scratch);
            else
                from_eigen(sim::gate_info(p.op.kind).matrix(angles), scratch);
            if (p.controlled) scratch = {scratch[5], scratch[7], scratch[13], scratch[15]};
            m = &scratch;
        }
        if (p.controlled)
            apply_controlled(psi, *m, p.op.qubits[0], p.op.qubits[1]);
        else if (p.n_qubits == 1)
            apply1(psi, *m, p.op.qubits[0]);
        else
            apply2(psi, *m, p.op.qubits[0], p.op.qubits[1]);
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
