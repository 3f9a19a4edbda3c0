// Core gate matrices (allocation-free closed forms) and the tile functions of the batched
// simulator, compiled once per SIMD variant. The tile bodies are always_inline templates; each
// variant below is a thin wrapper carrying a `target` attribute, so the same source is vectorised
// for AVX-512, AVX2+FMA and the baseline ISA, and the wrapper to call is chosen at run time.
#include "sim/batch_kernels.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>

#include "sim/batch_engine.h"
#include "sim/error.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define QNAS_X86_DISPATCH 1
#define QNAS_TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma,bmi2,popcnt")))
#define QNAS_TARGET_AVX2 __attribute__((target("avx2,fma,bmi2,popcnt")))
#else
#define QNAS_X86_DISPATCH 0
#endif

namespace qnas::sim::batch {

namespace {

constexpr cplx kI{0.0, 1.0};
constexpr int L = kLanes;

// ---- core matrices -------------------------------------------------------------------------------

void set2(cplx* o, cplx a, cplx b, cplx c, cplx d) {
    o[0] = a;
    o[1] = b;
    o[2] = c;
    o[3] = d;
}

void u3_core(double t, double f, double l, cplx* o) {
    const double c = std::cos(t / 2), s = std::sin(t / 2);
    const cplx el = std::polar(1.0, l), ef = std::polar(1.0, f), efl = std::polar(1.0, f + l);
    set2(o, c, -el * s, ef * s, efl * c);
}

void u3_core_d(double t, double f, double l, int j, cplx* o) {
    const double c = std::cos(t / 2), s = std::sin(t / 2);
    const cplx el = std::polar(1.0, l), ef = std::polar(1.0, f), efl = std::polar(1.0, f + l);
    switch (j) {
        case 0: set2(o, -s / 2, -el * c / 2.0, ef * c / 2.0, -efl * s / 2.0); break;
        case 1: set2(o, 0, 0, kI * ef * s, kI * efl * c); break;
        default: set2(o, 0, -kI * el * s, 0, kI * efl * c); break;
    }
}

// The Pauli product P of a two-qubit rotation exp(−iθ/2·P), as gates.h defines them.
char rotation_paulis(GateKind k, char* hi) {
    switch (k) {
        case GateKind::RXX: *hi = 'X'; return 'X';
        case GateKind::RYY: *hi = 'Y'; return 'Y';
        case GateKind::RZZ: *hi = 'Z'; return 'Z';
        default: *hi = 'X'; return 'Z';  // rzx: Z on operand 0 (low bit), X on operand 1
    }
}

cplx pauli_entry(char p, int r, int c) {
    switch (p) {
        case 'X': return r != c ? 1.0 : 0.0;
        case 'Y': return r == c ? cplx{0.0} : (r == 0 ? -kI : kI);
        default: return r != c ? 0.0 : (r == 0 ? 1.0 : -1.0);
    }
}

// a·I + b·(P_hi ⊗ P_lo) as a 4×4 row-major matrix.
void pauli_pair(GateKind k, cplx a, cplx b, cplx* o) {
    char hi = 'X';
    const char lo = rotation_paulis(k, &hi);
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            o[r * 4 + c] = (r == c ? a : 0.0) + b * pauli_entry(hi, r >> 1, c >> 1) * pauli_entry(lo, r & 1, c & 1);
}

// Extracts the core block of a full gate matrix from the table (slow path, allocates).
void from_table(GateKind kind, const Matrix& m, cplx* out) {
    if (is_controlled(kind)) {
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 2; ++c) out[r * 2 + c] = m(1 + 2 * r, 1 + 2 * c);
        return;
    }
    const int d = static_cast<int>(m.rows());
    for (int r = 0; r < d; ++r)
        for (int c = 0; c < d; ++c) out[r * d + c] = m(r, c);
}

}  // namespace

bool is_controlled(GateKind kind) {
    switch (kind) {
        case GateKind::CX:
        case GateKind::CY:
        case GateKind::CZ:
        case GateKind::CRX:
        case GateKind::CRY:
        case GateKind::CRZ:
        case GateKind::CP:
        case GateKind::CU1:
        case GateKind::CU3: return true;
        default: return false;
    }
}

bool is_diagonal(GateKind kind) {
    switch (kind) {
        case GateKind::I:
        case GateKind::Z:
        case GateKind::S:
        case GateKind::Sdg:
        case GateKind::T:
        case GateKind::Tdg:
        case GateKind::RZ:
        case GateKind::P:
        case GateKind::U1:
        case GateKind::CZ:
        case GateKind::CRZ:
        case GateKind::CP:
        case GateKind::CU1:
        case GateKind::RZZ: return true;
        default: return false;
    }
}

int core_dim(GateKind kind) { return is_controlled(kind) ? 2 : 1 << gate_info(kind).n_qubits; }

void core_matrix(GateKind kind, const double* a, cplx* o) {
    using G = GateKind;
    switch (kind) {
        case G::RX:
        case G::CRX: {
            const double c = std::cos(a[0] / 2), s = std::sin(a[0] / 2);
            return set2(o, c, -kI * s, -kI * s, c);
        }
        case G::RY:
        case G::CRY: {
            const double c = std::cos(a[0] / 2), s = std::sin(a[0] / 2);
            return set2(o, c, -s, s, c);
        }
        case G::RZ:
        case G::CRZ: return set2(o, std::polar(1.0, -a[0] / 2), 0, 0, std::polar(1.0, a[0] / 2));
        case G::P:
        case G::U1:
        case G::CP:
        case G::CU1: return set2(o, 1, 0, 0, std::polar(1.0, a[0]));
        case G::U2: return u3_core(std::numbers::pi / 2, a[0], a[1], o);
        case G::U3:
        case G::CU3: return u3_core(a[0], a[1], a[2], o);
        case G::RXX:
        case G::RYY:
        case G::RZZ:
        case G::RZX: return pauli_pair(kind, std::cos(a[0] / 2), -kI * std::sin(a[0] / 2), o);
        default: {
            const auto& g = gate_info(kind);
            return from_table(kind, g.matrix(std::span<const double>(a, static_cast<std::size_t>(g.n_params))), o);
        }
    }
}

void core_derivative(GateKind kind, const double* a, int j, cplx* o) {
    using G = GateKind;
    switch (kind) {
        case G::RX:
        case G::CRX: {
            const double c = std::cos(a[0] / 2), s = std::sin(a[0] / 2);
            return set2(o, -s / 2, -kI * c / 2.0, -kI * c / 2.0, -s / 2);
        }
        case G::RY:
        case G::CRY: {
            const double c = std::cos(a[0] / 2), s = std::sin(a[0] / 2);
            return set2(o, -s / 2, -c / 2, c / 2, -s / 2);
        }
        case G::RZ:
        case G::CRZ: return set2(o, -0.5 * kI * std::polar(1.0, -a[0] / 2), 0, 0, 0.5 * kI * std::polar(1.0, a[0] / 2));
        case G::P:
        case G::U1:
        case G::CP:
        case G::CU1: return set2(o, 0, 0, 0, kI * std::polar(1.0, a[0]));
        case G::U2: return u3_core_d(std::numbers::pi / 2, a[0], a[1], j + 1, o);
        case G::U3:
        case G::CU3: return u3_core_d(a[0], a[1], a[2], j, o);
        case G::RXX:
        case G::RYY:
        case G::RZZ:
        case G::RZX: return pauli_pair(kind, -std::sin(a[0] / 2) / 2, -kI * std::cos(a[0] / 2) / 2.0, o);
        default: {
            const auto& g = gate_info(kind);
            return from_table(kind, g.derivative(std::span<const double>(a, static_cast<std::size_t>(g.n_params)), j),
                              o);
        }
    }
}

GroupIndex make_group_index(int n_qubits, const int* targets, int n_targets, const int* controls, int n_controls) {
    GroupIndex gi;
    QNAS_CHECK(n_targets + n_controls <= kMaxGateQubits, "too many gate qubits");
    std::array<int, kMaxGateQubits> pos{};
    int n_pos = 0;
    for (int a = 0; a < n_targets; ++a) pos[static_cast<std::size_t>(n_pos++)] = targets[a];
    for (int a = 0; a < n_controls; ++a) {
        pos[static_cast<std::size_t>(n_pos++)] = controls[a];
        gi.ctrl_mask |= std::uint64_t{1} << controls[a];
    }
    // Inserting at ascending positions keeps earlier insertions below later ones.
    for (int i = 1; i < n_pos; ++i)  // insertion sort of ≤ 3 values (std::sort trips -Warray-bounds here)
        for (int k = i; k > 0 && pos[static_cast<std::size_t>(k - 1)] > pos[static_cast<std::size_t>(k)]; --k)
            std::swap(pos[static_cast<std::size_t>(k - 1)], pos[static_cast<std::size_t>(k)]);
    for (int k = 0; k < n_pos; ++k)
        gi.low_mask[static_cast<std::size_t>(k)] = (std::uint64_t{1} << pos[static_cast<std::size_t>(k)]) - 1;
    for (int d = 0; d < (1 << n_targets); ++d) {
        std::uint64_t off = 0;
        for (int a = 0; a < n_targets; ++a)
            if ((d >> a) & 1) off |= std::uint64_t{1} << targets[a];
        gi.offsets[static_cast<std::size_t>(d)] = off;
    }
    gi.n_groups = std::uint64_t{1} << (n_qubits - n_targets - n_controls);
    return gi;
}

namespace {

// ---- scalar helpers shared by every variant (not hot: once per op per tile at most) --------------

template <class ParamArray>
void resolve_lane_angles(const ParamArray& params, int n_params, std::span<const double> theta, const double* x,
                         std::size_t n_inputs, double* angles) {
    for (int j = 0; j < n_params; ++j)
        angles[j] = params[static_cast<std::size_t>(j)].resolve(theta, std::span<const double>(x, n_inputs));
}

// Per-lane matrices of a per-sample op, laid out re[D·D][L] then im[D·D][L].
template <class OpT>
void fill_lane_matrix(const CallContext& ctx, const TileScratch& s, const OpT& op, int dim, double* out) {
    const auto n_in = static_cast<std::size_t>(ctx.program->n_inputs());
    const int dd = dim * dim;
    cplx m[64];
    double angles[kMaxGateParams] = {};
    for (int l = 0; l < L; ++l) {
        resolve_lane_angles(op.params, op.n_params, ctx.theta, s.x.data() + static_cast<std::size_t>(l) * n_in, n_in,
                            angles);
        core_matrix(op.kind, angles, m);
        for (int k = 0; k < dd; ++k) {
            out[k * L + l] = m[k].real();
            out[(dd + k) * L + l] = m[k].imag();
        }
    }
}

// ∂L/∂θ contributions of one trainable op from its accumulated R (per lane, R[c][r] at (c·D + r)).
QNAS_ALWAYS_INLINE void accumulate_gradient(const CallContext& ctx, const TileScratch& s, const CompiledOp& op,
                                            double* grad) {
    const int D = op.dim, dd = D * D;
    if (!op.per_sample) {
        // Same ∂M for every lane: per-lane traces (vectorised), then a fixed-order lane sum.
        const double* __restrict rr = s.r_re.data();
        const double* __restrict ri = s.r_im.data();
        for (int j = 0; j < op.n_params; ++j) {
            const Param& p = op.params[static_cast<std::size_t>(j)];
            if (p.source != Param::Source::Trainable) continue;
            const cplx* dm = ctx.shared_derivatives.data() + op.deriv_offset + static_cast<std::size_t>(j * dd);
            alignas(64) double gl[L] = {};
            for (int r = 0; r < D; ++r)
                for (int c = 0; c < D; ++c) {
                    const double dr = dm[r * D + c].real(), di = dm[r * D + c].imag();
                    const int k = c * D + r;
                    for (int l = 0; l < L; ++l) gl[l] += dr * rr[k * L + l] - di * ri[k * L + l];
                }
            static_assert(L == 8, "lane sum below is written for 8 lanes");
            const double g = ((gl[0] + gl[1]) + (gl[2] + gl[3])) + ((gl[4] + gl[5]) + (gl[6] + gl[7]));
            grad[p.index] += p.scale * 2.0 * g;
        }
        return;
    }
    // Mixed-source op: ∂M differs per lane.
    const auto n_in = static_cast<std::size_t>(ctx.program->n_inputs());
    cplx dm[64];
    double angles[kMaxGateParams] = {};
    for (int j = 0; j < op.n_params; ++j) {
        const Param& p = op.params[static_cast<std::size_t>(j)];
        if (p.source != Param::Source::Trainable) continue;
        double g = 0.0;
        for (int l = 0; l < L; ++l) {
            resolve_lane_angles(op.params, op.n_params, ctx.theta, s.x.data() + static_cast<std::size_t>(l) * n_in,
                                n_in, angles);
            core_derivative(op.kind, angles, j, dm);
            for (int r = 0; r < D; ++r)
                for (int c = 0; c < D; ++c) {
                    const std::size_t k = static_cast<std::size_t>((c * D + r) * L + l);
                    g += dm[r * D + c].real() * s.r_re[k] - dm[r * D + c].imag() * s.r_im[k];
                }
        }
        grad[p.index] += p.scale * 2.0 * g;
    }
}

// ---- tile bodies (compiled per SIMD variant) ----------------------------------------------------

// Vectorised per-lane matrices for the gates encoders use (rotations, phases, u2/u3 and their
// controlled forms); other gates, or angles too large for sincos_lanes, take the scalar path.
template <class OpT>
QNAS_ALWAYS_INLINE void fill_lane_matrix_vec(const CallContext& ctx, const TileScratch& s, const OpT& op,
                                             double* __restrict out) {
    using G = GateKind;
    const auto n_in = static_cast<std::size_t>(ctx.program->n_inputs());
    alignas(64) double ang[kMaxGateParams][L];
    for (int j = 0; j < op.n_params; ++j) {
        const Param& p = op.params[static_cast<std::size_t>(j)];
        const double off = p.offset, sc = p.scale;
        if (p.source == Param::Source::Input) {
            const double* __restrict xs = s.x.data() + p.index;
            for (int l = 0; l < L; ++l) ang[j][l] = off + sc * xs[static_cast<std::size_t>(l) * n_in];
        } else {
            const double v =
                p.source == Param::Source::Trainable ? off + sc * ctx.theta[static_cast<std::size_t>(p.index)] : off;
            for (int l = 0; l < L; ++l) ang[j][l] = v;
        }
    }
    double* __restrict re = out;
    double* __restrict im = out + 4 * L;
    alignas(64) double h[L], sn[L], cs[L];
    switch (op.kind) {
        case G::RX:
        case G::CRX:
        case G::RY:
        case G::CRY:
        case G::RZ:
        case G::CRZ: {
            for (int l = 0; l < L; ++l) h[l] = 0.5 * ang[0][l];
            if (!sincos_lanes(h, sn, cs)) break;
            const bool x = op.kind == G::RX || op.kind == G::CRX, y = op.kind == G::RY || op.kind == G::CRY;
            for (int l = 0; l < L; ++l) {
                re[l] = cs[l];
                re[3 * L + l] = cs[l];
                im[l] = 0.0;
                im[3 * L + l] = 0.0;
                re[L + l] = re[2 * L + l] = im[L + l] = im[2 * L + l] = 0.0;
            }
            if (x) {
                for (int l = 0; l < L; ++l) im[L + l] = im[2 * L + l] = -sn[l];
            } else if (y) {
                for (int l = 0; l < L; ++l) {
                    re[L + l] = -sn[l];
                    re[2 * L + l] = sn[l];
                }
            } else {
                for (int l = 0; l < L; ++l) {
                    im[l] = -sn[l];
                    im[3 * L + l] = sn[l];
                }
            }
            return;
        }
        case G::P:
        case G::U1:
        case G::CP:
        case G::CU1: {
            if (!sincos_lanes(ang[0], sn, cs)) break;
            for (int l = 0; l < L; ++l) {
                re[l] = 1.0;
                im[l] = re[L + l] = im[L + l] = re[2 * L + l] = im[2 * L + l] = 0.0;
                re[3 * L + l] = cs[l];
                im[3 * L + l] = sn[l];
            }
            return;
        }
        case G::U2:
        case G::U3:
        case G::CU3: {
            const bool u2 = op.kind == G::U2;
            alignas(64) double sf[L], cf[L], sl[L], cl[L];
            if (!sincos_lanes(ang[u2 ? 0 : 1], sf, cf) || !sincos_lanes(ang[u2 ? 1 : 2], sl, cl)) break;
            if (u2) {
                const double c = std::cos(std::numbers::pi / 4);
                for (int l = 0; l < L; ++l) sn[l] = cs[l] = c;
            } else {
                for (int l = 0; l < L; ++l) h[l] = 0.5 * ang[0][l];
                if (!sincos_lanes(h, sn, cs)) break;
            }
            for (int l = 0; l < L; ++l) {
                const double cfl = cf[l] * cl[l] - sf[l] * sl[l], sfl = sf[l] * cl[l] + cf[l] * sl[l];
                re[l] = cs[l];
                im[l] = 0.0;
                re[L + l] = -cl[l] * sn[l];
                im[L + l] = -sl[l] * sn[l];
                re[2 * L + l] = cf[l] * sn[l];
                im[2 * L + l] = sf[l] * sn[l];
                re[3 * L + l] = cfl * cs[l];
                im[3 * L + l] = sfl * cs[l];
            }
            return;
        }
        default: break;
    }
    fill_lane_matrix(ctx, s, op, batch::core_dim(op.kind), out);
}

QNAS_ALWAYS_INLINE const double* op_matrix(const CallContext& ctx, TileScratch& s, const CompiledOp& op, bool fill) {
    if (!op.per_sample) return ctx.shared_matrices.data() + op.matrix_offset;
    double* m = s.lane_matrices.data() + op.matrix_offset;
    if (fill) fill_lane_matrix_vec(ctx, s, op, m);
    return m;
}

QNAS_ALWAYS_INLINE void forward_impl(const CallContext& ctx, TileScratch& s) {
    const BatchProgram& p = *ctx.program;
    const int n = p.n_qubits();
    // Product state of the prefix: one 2-vector per qubit and lane, v[q] = (re0, im0, re1, im1)[L].
    double* v = s.prod.data();
    for (int q = 0; q < n; ++q) {
        double* vq = v + q * 4 * L;
        for (int l = 0; l < L; ++l) {
            vq[l] = 1.0;
            vq[L + l] = 0.0;
            vq[2 * L + l] = 0.0;
            vq[3 * L + l] = 0.0;
        }
    }
    for (const PrefixOp& op : p.prefix()) {
        const double* m;
        if (op.per_sample) {
            double* mm = s.lane_matrices.data() + op.matrix_offset;
            fill_lane_matrix_vec(ctx, s, op, mm);
            m = mm;
        } else {
            m = ctx.shared_matrices.data() + op.matrix_offset;
        }
        const double* __restrict mr = m;
        const double* __restrict mi = m + 4 * L;
        double* __restrict vq = v + op.qubit * 4 * L;
        for (int l = 0; l < L; ++l) {
            const double a0r = vq[l], a0i = vq[L + l], a1r = vq[2 * L + l], a1i = vq[3 * L + l];
            vq[l] = mr[l] * a0r - mi[l] * a0i + mr[L + l] * a1r - mi[L + l] * a1i;
            vq[L + l] = mr[l] * a0i + mi[l] * a0r + mr[L + l] * a1i + mi[L + l] * a1r;
            vq[2 * L + l] = mr[2 * L + l] * a0r - mi[2 * L + l] * a0i + mr[3 * L + l] * a1r - mi[3 * L + l] * a1i;
            vq[3 * L + l] = mr[2 * L + l] * a0i + mi[2 * L + l] * a0r + mr[3 * L + l] * a1i + mi[3 * L + l] * a1r;
        }
    }
    double* __restrict re = s.psi_re.data();
    double* __restrict im = s.psi_im.data();
    for (int l = 0; l < L; ++l) {
        re[l] = v[l];
        im[l] = v[L + l];
        re[L + l] = v[2 * L + l];
        im[L + l] = v[3 * L + l];
    }
    for (int q = 1; q < n; ++q) {
        const std::size_t half = std::size_t{1} << q;
        const double* __restrict vq = v + q * 4 * L;
        for (std::size_t i = 0; i < half; ++i) {
            double* __restrict lr = re + i * L;
            double* __restrict li = im + i * L;
            double* __restrict hr = re + (i + half) * L;
            double* __restrict hi = im + (i + half) * L;
            for (int l = 0; l < L; ++l) {
                const double ar = lr[l], ai = li[l];
                hr[l] = ar * vq[2 * L + l] - ai * vq[3 * L + l];
                hi[l] = ar * vq[3 * L + l] + ai * vq[2 * L + l];
                lr[l] = ar * vq[l] - ai * vq[L + l];
                li[l] = ar * vq[L + l] + ai * vq[l];
            }
        }
    }
    for (const CompiledOp& op : p.ops()) {
        const double* m = op_matrix(ctx, s, op, true);
        const double* mi = m + op.dim * op.dim * L;
        if (op.diagonal) {
            if (op.dim == 2)
                apply_diag<2>(op.groups, m, mi, re, im);
            else
                apply_diag<4>(op.groups, m, mi, re, im);
            continue;
        }
        switch (op.dim) {
            case 2: apply_2x2(op.groups, m, mi, re, im); break;
            case 4: apply_core<4>(op.groups, m, mi, re, im); break;
            default: apply_core<8>(op.groups, m, mi, re, im); break;
        }
    }
}

// i^k · (ar + i·ai)
QNAS_ALWAYS_INLINE void times_i_power(int k, double ar, double ai, double& orr, double& oi) {
    switch (k & 3) {
        case 0: orr = ar, oi = ai; break;
        case 1: orr = -ai, oi = ar; break;
        case 2: orr = -ar, oi = -ai; break;
        default: orr = ai, oi = -ar; break;
    }
}

QNAS_ALWAYS_INLINE void expectations_impl(const CallContext& ctx, TileScratch& s) {
    const BatchProgram& p = *ctx.program;
    const std::uint64_t dim = std::uint64_t{1} << p.n_qubits();
    const double* __restrict re = s.psi_re.data();
    const double* __restrict im = s.psi_im.data();
    for (int k = 0; k < p.n_outputs(); ++k) {
        const PauliTerm& t = p.observables()[static_cast<std::size_t>(k)];
        alignas(64) double acc[L] = {};
        if (t.x == 0) {
            for (std::uint64_t i = 0; i < dim; ++i) {
                const double sg = (std::popcount(i & t.z) & 1) ? -1.0 : 1.0;
                for (int l = 0; l < L; ++l)
                    acc[l] += sg * (re[i * L + l] * re[i * L + l] + im[i * L + l] * im[i * L + l]);
            }
        } else {
            const int ny = t.n_y();
            for (std::uint64_t i = 0; i < dim; ++i) {
                const std::uint64_t j = i ^ t.x;
                const double sg = (std::popcount(i & t.z) & 1) ? -1.0 : 1.0;
                for (int l = 0; l < L; ++l) {
                    double tr, ti;
                    times_i_power(ny, re[i * L + l], im[i * L + l], tr, ti);
                    acc[l] += sg * (re[j * L + l] * tr + im[j * L + l] * ti);
                }
            }
        }
        for (int l = 0; l < L; ++l) s.expect[static_cast<std::size_t>(k * L + l)] = t.coeff * acc[l];
    }
}

QNAS_ALWAYS_INLINE void backward_impl(const CallContext& ctx, TileScratch& s, double* grad) {
    const BatchProgram& p = *ctx.program;
    const std::uint64_t dim = std::uint64_t{1} << p.n_qubits();
    double* __restrict re = s.psi_re.data();
    double* __restrict im = s.psi_im.data();
    double* __restrict bre = s.b_re.data();
    double* __restrict bim = s.b_im.data();
    // b = Σ_k w_k·P_k ψ (w_k = coeff_k · ∂L/∂⟨P_k⟩ per lane).
    std::fill(s.b_re.begin(), s.b_re.begin() + static_cast<std::ptrdiff_t>(dim * L), 0.0);
    std::fill(s.b_im.begin(), s.b_im.begin() + static_cast<std::ptrdiff_t>(dim * L), 0.0);
    for (int k = 0; k < p.n_outputs(); ++k) {
        const PauliTerm& t = p.observables()[static_cast<std::size_t>(k)];
        alignas(64) double w[L];
        for (int l = 0; l < L; ++l) w[l] = t.coeff * s.dlde[static_cast<std::size_t>(k * L + l)];
        const int ny = t.n_y();
        for (std::uint64_t i = 0; i < dim; ++i) {
            const std::uint64_t j = i ^ t.x;
            const double sg = (std::popcount(i & t.z) & 1) ? -1.0 : 1.0;
            for (int l = 0; l < L; ++l) {
                double tr, ti;
                times_i_power(ny, re[i * L + l], im[i * L + l], tr, ti);
                bre[j * L + l] += sg * w[l] * tr;
                bim[j * L + l] += sg * w[l] * ti;
            }
        }
    }
    const auto& ops = p.ops();
    for (int i = static_cast<int>(ops.size()) - 1; i >= p.first_trainable_op(); --i) {
        const CompiledOp& op = ops[static_cast<std::size_t>(i)];
        const double* m = op_matrix(ctx, s, op, false);
        const double* mi = m + op.dim * op.dim * L;
        double* rr = s.r_re.data();
        double* ri = s.r_im.data();
        if (op.diagonal) {
            if (op.trainable) {
                if (op.dim == 2)
                    adjoint_diag<2, true>(op.groups, m, mi, re, im, bre, bim, rr, ri);
                else
                    adjoint_diag<4, true>(op.groups, m, mi, re, im, bre, bim, rr, ri);
                accumulate_gradient(ctx, s, op, grad);
            } else if (op.dim == 2) {
                adjoint_diag<2, false>(op.groups, m, mi, re, im, bre, bim, rr, ri);
            } else {
                adjoint_diag<4, false>(op.groups, m, mi, re, im, bre, bim, rr, ri);
            }
            continue;
        }
        if (op.trainable) {
            switch (op.dim) {
                case 2: adjoint_2x2<true>(op.groups, m, mi, re, im, bre, bim, rr, ri); break;
                case 4: adjoint_core<4, true>(op.groups, m, mi, re, im, bre, bim, rr, ri); break;
                default: adjoint_core<8, true>(op.groups, m, mi, re, im, bre, bim, rr, ri); break;
            }
            accumulate_gradient(ctx, s, op, grad);
        } else {
            switch (op.dim) {
                case 2: adjoint_2x2<false>(op.groups, m, mi, re, im, bre, bim, rr, ri); break;
                case 4: adjoint_core<4, false>(op.groups, m, mi, re, im, bre, bim, rr, ri); break;
                default: adjoint_core<8, false>(op.groups, m, mi, re, im, bre, bim, rr, ri); break;
            }
        }
    }
}

void forward_baseline(const CallContext& c, TileScratch& s) { forward_impl(c, s); }
void expectations_baseline(const CallContext& c, TileScratch& s) { expectations_impl(c, s); }
void backward_baseline(const CallContext& c, TileScratch& s, double* g) { backward_impl(c, s, g); }

#if QNAS_X86_DISPATCH
QNAS_TARGET_AVX2 void forward_avx2(const CallContext& c, TileScratch& s) { forward_impl(c, s); }
QNAS_TARGET_AVX2 void expectations_avx2(const CallContext& c, TileScratch& s) { expectations_impl(c, s); }
QNAS_TARGET_AVX2 void backward_avx2(const CallContext& c, TileScratch& s, double* g) { backward_impl(c, s, g); }
QNAS_TARGET_AVX512 void forward_avx512(const CallContext& c, TileScratch& s) { forward_impl(c, s); }
QNAS_TARGET_AVX512 void expectations_avx512(const CallContext& c, TileScratch& s) { expectations_impl(c, s); }
QNAS_TARGET_AVX512 void backward_avx512(const CallContext& c, TileScratch& s, double* g) { backward_impl(c, s, g); }
#endif

}  // namespace

SimdVariant resolve_simd(SimdVariant v) {
    const SimdVariant best = best_simd_variant();
    if (v == SimdVariant::Auto) return best;
    if (static_cast<int>(v) > static_cast<int>(best))
        throw Error(std::string("SIMD variant ") + simd_variant_name(v) + " is not supported by this CPU or build");
    return v;
}

const TileKernels& tile_kernels(SimdVariant v) {
    static const TileKernels baseline{forward_baseline, expectations_baseline, backward_baseline};
#if QNAS_X86_DISPATCH
    static const TileKernels avx2{forward_avx2, expectations_avx2, backward_avx2};
    static const TileKernels avx512{forward_avx512, expectations_avx512, backward_avx512};
    switch (resolve_simd(v)) {
        case SimdVariant::Avx512: return avx512;
        case SimdVariant::Avx2: return avx2;
        default: return baseline;
    }
#else
    (void)resolve_simd(v);
    return baseline;
#endif
}

}  // namespace qnas::sim::batch

namespace qnas::sim {

SimdVariant best_simd_variant() {
#if QNAS_X86_DISPATCH
    static const SimdVariant best = [] {
        __builtin_cpu_init();
        // Exactly the features named in QNAS_TARGET_AVX2 / QNAS_TARGET_AVX512.
        const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                          __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
        if (avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
            __builtin_cpu_supports("avx512vl"))
            return SimdVariant::Avx512;
        if (avx2) return SimdVariant::Avx2;
        return SimdVariant::Baseline;
    }();
    return best;
#else
    return SimdVariant::Baseline;
#endif
}

const char* simd_variant_name(SimdVariant v) {
    switch (v) {
        case SimdVariant::Auto: return "auto";
        case SimdVariant::Baseline: return "baseline";
        case SimdVariant::Avx2: return "avx2";
        case SimdVariant::Avx512: return "avx512";
    }
    return "?";
}

}  // namespace qnas::sim
