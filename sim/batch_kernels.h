// Lane-tile kernels of the batched simulator (internal to sim/; the public API is
// batch_simulator.h and adjoint.h). A tile holds kLanes samples in structure-of-arrays form:
// amplitude i of lane l is (re[i·kLanes + l], im[i·kLanes + l]), so every kernel is a loop over
// amplitude groups with an inner loop over lanes that the compiler vectorises (8 doubles = one
// AVX-512 register, two AVX2 registers). Gate matrices are stored the same way, one value per lane
// ("lane matrices"), so a matrix shared by the batch and a per-sample encoder matrix use the same
// kernel. Everything here is always_inline so that it is compiled into each ISA-specific tile
// function of batch_kernels.cpp with that function's instruction set.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "sim/gates.h"

#if defined(__GNUC__)
#define QNAS_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define QNAS_ALWAYS_INLINE inline
#endif

namespace qnas::sim::batch {

// Samples per tile. Fixed (not chosen per instruction set) so that the tiling, and with it every
// floating-point operation order, is the same whichever SIMD variant runs.
inline constexpr int kLanes = 8;

// How to enumerate the amplitude groups one gate touches: `n_groups` groups; group g's base index
// is g with zero bits inserted at the sorted positions of its targets and controls, OR `ctrl_mask`
// (controls must be 1); member d of the group is base | offsets[d].
struct GroupIndex {
    // Zero-bit insertion as three fixed steps (unused steps have low_mask = ~0 and do nothing), so
    // computing a base is a handful of branch-free integer operations.
    std::array<std::uint64_t, kMaxGateQubits> low_mask{~std::uint64_t{0}, ~std::uint64_t{0}, ~std::uint64_t{0}};
    std::uint64_t ctrl_mask = 0;
    std::array<std::uint64_t, 8> offsets{};
    std::uint64_t n_groups = 0;

    QNAS_ALWAYS_INLINE std::uint64_t base(std::uint64_t g) const {
        for (int k = 0; k < kMaxGateQubits; ++k) {
            const std::uint64_t m = low_mask[static_cast<std::size_t>(k)];
            g = (g & m) | ((g & ~m) << 1);
        }
        return g | ctrl_mask;
    }
};

// Builds the group index for a core matrix acting on `targets` (matrix bit a ↔ targets[a]) in the
// subspace where every qubit in `controls` is 1, on an n-qubit state.
GroupIndex make_group_index(int n_qubits, const int* targets, int n_targets, const int* controls, int n_controls);

// Core (non-identity) matrix of a gate and its derivatives, written into caller storage as
// row-major complex dim×dim: for controlled gates (cx, cy, cz, crx, cry, crz, cp, cu1, cu3) the
// 2×2 block acting on the target when the control is 1, otherwise the full matrix. Allocation-free
// closed forms for every parametric gate; the others fall back to the gate table.
int core_dim(GateKind kind);
bool is_controlled(GateKind kind);
// The core matrix is diagonal for every angle (and so is its derivative).
bool is_diagonal(GateKind kind);
void core_matrix(GateKind kind, const double* angles, cplx* out);
void core_derivative(GateKind kind, const double* angles, int j, cplx* out);

// ---- kernels ------------------------------------------------------------------------------------
// Argument order: group index, matrices, then state arrays (preconditions: arrays hold
// 2^n · kLanes doubles, matrix arrays D·D · kLanes doubles, no aliasing between them).

// ψ ← M ψ on each group, per lane.
template <int D>
QNAS_ALWAYS_INLINE void apply_core(const GroupIndex& gi, const double* __restrict mre, const double* __restrict mim,
                                   double* __restrict re, double* __restrict im) {
    constexpr int L = kLanes;
    for (std::uint64_t g = 0; g < gi.n_groups; ++g) {
        const std::uint64_t base = gi.base(g);
        alignas(64) double ar[D][L], ai[D][L];
        for (int d = 0; d < D; ++d) {
            const std::uint64_t idx = (base | gi.offsets[static_cast<std::size_t>(d)]) * L;
            for (int l = 0; l < L; ++l) {
                ar[d][l] = re[idx + l];
                ai[d][l] = im[idx + l];
            }
        }
        for (int r = 0; r < D; ++r) {
            alignas(64) double orr[L] = {}, oi[L] = {};
            for (int c = 0; c < D; ++c) {
                const double* __restrict xr = mre + (r * D + c) * L;
                const double* __restrict xi = mim + (r * D + c) * L;
                for (int l = 0; l < L; ++l) {
                    orr[l] += xr[l] * ar[c][l] - xi[l] * ai[c][l];
                    oi[l] += xr[l] * ai[c][l] + xi[l] * ar[c][l];
                }
            }
            const std::uint64_t idx = (base | gi.offsets[static_cast<std::size_t>(r)]) * L;
            for (int l = 0; l < L; ++l) {
                re[idx + l] = orr[l];
                im[idx + l] = oi[l];
            }
        }
    }
}

// One step of the adjoint sweep over a gate U = M: φ ← M†φ and b ← M†b on each group and, when
// kAccum, R[c][r] += φ_prev,c · conj(b_r) per lane (b before it is undone, i.e. the adjoint state
// after the gate), so that ∂L/∂angle_j = 2·Re Σ_{r,c} ∂M[r][c]·R[c][r].
template <int D, bool kAccum>
QNAS_ALWAYS_INLINE void adjoint_core(const GroupIndex& gi, const double* __restrict mre, const double* __restrict mim,
                                     double* __restrict pre, double* __restrict pim, double* __restrict bre,
                                     double* __restrict bim, double* __restrict rre, double* __restrict rim) {
    constexpr int L = kLanes;
    alignas(64) double accr[kAccum ? D * D : 1][L] = {}, acci[kAccum ? D * D : 1][L] = {};
    for (std::uint64_t g = 0; g < gi.n_groups; ++g) {
        const std::uint64_t base = gi.base(g);
        std::uint64_t idx[D];
        alignas(64) double pr[D][L], pi[D][L], br[D][L], bi[D][L];
        for (int d = 0; d < D; ++d) {
            idx[d] = (base | gi.offsets[static_cast<std::size_t>(d)]) * L;
            for (int l = 0; l < L; ++l) {
                pr[d][l] = pre[idx[d] + l];
                pi[d][l] = pim[idx[d] + l];
                br[d][l] = bre[idx[d] + l];
                bi[d][l] = bim[idx[d] + l];
            }
        }
        for (int c = 0; c < D; ++c) {
            // Column c of M, conjugated: (M†)[c][r] = conj(M[r][c]).
            alignas(64) double qr[L] = {}, qi[L] = {}, sr[L] = {}, si[L] = {};
            for (int r = 0; r < D; ++r) {
                const double* __restrict xr = mre + (r * D + c) * L;
                const double* __restrict xi = mim + (r * D + c) * L;
                for (int l = 0; l < L; ++l) {
                    qr[l] += xr[l] * pr[r][l] + xi[l] * pi[r][l];
                    qi[l] += xr[l] * pi[r][l] - xi[l] * pr[r][l];
                    sr[l] += xr[l] * br[r][l] + xi[l] * bi[r][l];
                    si[l] += xr[l] * bi[r][l] - xi[l] * br[r][l];
                }
            }
            if constexpr (kAccum) {
                for (int r = 0; r < D; ++r)
                    for (int l = 0; l < L; ++l) {
                        // φ_prev,c · conj(b_r)
                        accr[c * D + r][l] += qr[l] * br[r][l] + qi[l] * bi[r][l];
                        acci[c * D + r][l] += qi[l] * br[r][l] - qr[l] * bi[r][l];
                    }
            }
            for (int l = 0; l < L; ++l) {
                pre[idx[c] + l] = qr[l];
                pim[idx[c] + l] = qi[l];
                bre[idx[c] + l] = sr[l];
                bim[idx[c] + l] = si[l];
            }
        }
    }
    if constexpr (kAccum) {
        for (int k = 0; k < D * D; ++k)
            for (int l = 0; l < L; ++l) {
                rre[k * L + l] = accr[k][l];
                rim[k * L + l] = acci[k][l];
            }
    } else {
        (void)rre;
        (void)rim;
    }
}

// ---- the hot case, D = 2 (1-qubit gates and controlled 1-qubit gates) ------------------------------
// Same contracts as apply_core<2> / adjoint_core<2, kAccum>, written out so the four matrix entries
// stay in registers for the whole sweep.

QNAS_ALWAYS_INLINE void apply_2x2(const GroupIndex& gi, const double* __restrict mre, const double* __restrict mim,
                                  double* __restrict re, double* __restrict im) {
    constexpr int L = kLanes;
    alignas(64) double ar[4][L], ai[4][L];
    for (int k = 0; k < 4; ++k)
        for (int l = 0; l < L; ++l) {
            ar[k][l] = mre[k * L + l];
            ai[k][l] = mim[k * L + l];
        }
    const std::uint64_t off = gi.offsets[1];
    for (std::uint64_t g = 0; g < gi.n_groups; ++g) {
        const std::uint64_t i0 = gi.base(g) * L, i1 = i0 + off * L;
        for (int l = 0; l < L; ++l) {
            const double x0r = re[i0 + l], x0i = im[i0 + l], x1r = re[i1 + l], x1i = im[i1 + l];
            re[i0 + l] = ar[0][l] * x0r - ai[0][l] * x0i + ar[1][l] * x1r - ai[1][l] * x1i;
            im[i0 + l] = ar[0][l] * x0i + ai[0][l] * x0r + ar[1][l] * x1i + ai[1][l] * x1r;
            re[i1 + l] = ar[2][l] * x0r - ai[2][l] * x0i + ar[3][l] * x1r - ai[3][l] * x1i;
            im[i1 + l] = ar[2][l] * x0i + ai[2][l] * x0r + ar[3][l] * x1i + ai[3][l] * x1r;
        }
    }
}

template <bool kAccum>
QNAS_ALWAYS_INLINE void adjoint_2x2(const GroupIndex& gi, const double* __restrict mre, const double* __restrict mim,
                                    double* __restrict pre, double* __restrict pim, double* __restrict bre,
                                    double* __restrict bim, double* __restrict rre, double* __restrict rim) {
    constexpr int L = kLanes;
    alignas(64) double ar[4][L], ai[4][L];
    for (int k = 0; k < 4; ++k)
        for (int l = 0; l < L; ++l) {
            ar[k][l] = mre[k * L + l];
            ai[k][l] = mim[k * L + l];
        }
    alignas(64) double accr[4][L] = {}, acci[4][L] = {};
    const std::uint64_t off = gi.offsets[1];
    for (std::uint64_t g = 0; g < gi.n_groups; ++g) {
        const std::uint64_t i0 = gi.base(g) * L, i1 = i0 + off * L;
        for (int l = 0; l < L; ++l) {
            const double p0r = pre[i0 + l], p0i = pim[i0 + l], p1r = pre[i1 + l], p1i = pim[i1 + l];
            const double b0r = bre[i0 + l], b0i = bim[i0 + l], b1r = bre[i1 + l], b1i = bim[i1 + l];
            // M† = [[conj m00, conj m10], [conj m01, conj m11]]
            const double q0r = ar[0][l] * p0r + ai[0][l] * p0i + ar[2][l] * p1r + ai[2][l] * p1i;
            const double q0i = ar[0][l] * p0i - ai[0][l] * p0r + ar[2][l] * p1i - ai[2][l] * p1r;
            const double q1r = ar[1][l] * p0r + ai[1][l] * p0i + ar[3][l] * p1r + ai[3][l] * p1i;
            const double q1i = ar[1][l] * p0i - ai[1][l] * p0r + ar[3][l] * p1i - ai[3][l] * p1r;
            if constexpr (kAccum) {  // R[c][r] += q_c · conj(b_r)
                accr[0][l] += q0r * b0r + q0i * b0i;
                acci[0][l] += q0i * b0r - q0r * b0i;
                accr[1][l] += q0r * b1r + q0i * b1i;
                acci[1][l] += q0i * b1r - q0r * b1i;
                accr[2][l] += q1r * b0r + q1i * b0i;
                acci[2][l] += q1i * b0r - q1r * b0i;
                accr[3][l] += q1r * b1r + q1i * b1i;
                acci[3][l] += q1i * b1r - q1r * b1i;
            }
            pre[i0 + l] = q0r;
            pim[i0 + l] = q0i;
            pre[i1 + l] = q1r;
            pim[i1 + l] = q1i;
            bre[i0 + l] = ar[0][l] * b0r + ai[0][l] * b0i + ar[2][l] * b1r + ai[2][l] * b1i;
            bim[i0 + l] = ar[0][l] * b0i - ai[0][l] * b0r + ar[2][l] * b1i - ai[2][l] * b1r;
            bre[i1 + l] = ar[1][l] * b0r + ai[1][l] * b0i + ar[3][l] * b1r + ai[3][l] * b1i;
            bim[i1 + l] = ar[1][l] * b0i - ai[1][l] * b0r + ar[3][l] * b1i - ai[3][l] * b1r;
        }
    }
    if constexpr (kAccum) {
        for (int k = 0; k < 4; ++k)
            for (int l = 0; l < L; ++l) {
                rre[k * L + l] = accr[k][l];
                rim[k * L + l] = acci[k][l];
            }
    } else {
        (void)rre;
        (void)rim;
    }
}

// ---- diagonal gates (rz, p, z, s, t, cz, crz, cp, rzz, …) ----------------------------------------
// Only the diagonal of the lane matrix is read: half the work of apply_2x2, a quarter of
// apply_core<4>. The adjoint writes R's diagonal and zeros elsewhere (∂M is diagonal as well).

template <int D>
QNAS_ALWAYS_INLINE void apply_diag(const GroupIndex& gi, const double* __restrict mre, const double* __restrict mim,
                                   double* __restrict re, double* __restrict im) {
    constexpr int L = kLanes;
    alignas(64) double dr[D][L], di[D][L];
    for (int d = 0; d < D; ++d)
        for (int l = 0; l < L; ++l) {
            dr[d][l] = mre[(d * D + d) * L + l];
            di[d][l] = mim[(d * D + d) * L + l];
        }
    for (std::uint64_t g = 0; g < gi.n_groups; ++g) {
        const std::uint64_t base = gi.base(g);
        for (int d = 0; d < D; ++d) {
            const std::uint64_t i = (base | gi.offsets[static_cast<std::size_t>(d)]) * L;
            for (int l = 0; l < L; ++l) {
                const double xr = re[i + l], xi = im[i + l];
                re[i + l] = dr[d][l] * xr - di[d][l] * xi;
                im[i + l] = dr[d][l] * xi + di[d][l] * xr;
            }
        }
    }
}

template <int D, bool kAccum>
QNAS_ALWAYS_INLINE void adjoint_diag(const GroupIndex& gi, const double* __restrict mre, const double* __restrict mim,
                                     double* __restrict pre, double* __restrict pim, double* __restrict bre,
                                     double* __restrict bim, double* __restrict rre, double* __restrict rim) {
    constexpr int L = kLanes;
    alignas(64) double dr[D][L], di[D][L];
    for (int d = 0; d < D; ++d)
        for (int l = 0; l < L; ++l) {
            dr[d][l] = mre[(d * D + d) * L + l];
            di[d][l] = mim[(d * D + d) * L + l];
        }
    alignas(64) double accr[D][L] = {}, acci[D][L] = {};
    for (std::uint64_t g = 0; g < gi.n_groups; ++g) {
        const std::uint64_t base = gi.base(g);
        for (int d = 0; d < D; ++d) {
            const std::uint64_t i = (base | gi.offsets[static_cast<std::size_t>(d)]) * L;
            for (int l = 0; l < L; ++l) {
                const double pr = pre[i + l], pi = pim[i + l], br = bre[i + l], bi = bim[i + l];
                const double qr = dr[d][l] * pr + di[d][l] * pi, qi = dr[d][l] * pi - di[d][l] * pr;
                if constexpr (kAccum) {
                    accr[d][l] += qr * br + qi * bi;
                    acci[d][l] += qi * br - qr * bi;
                }
                pre[i + l] = qr;
                pim[i + l] = qi;
                bre[i + l] = dr[d][l] * br + di[d][l] * bi;
                bim[i + l] = dr[d][l] * bi - di[d][l] * br;
            }
        }
    }
    if constexpr (kAccum) {
        for (int k = 0; k < D * D; ++k)
            for (int l = 0; l < L; ++l) {
                const bool on_diag = k % (D + 1) == 0;
                rre[k * L + l] = on_diag ? accr[k / (D + 1)][l] : 0.0;
                rim[k * L + l] = on_diag ? acci[k / (D + 1)][l] : 0.0;
            }
    } else {
        (void)rre;
        (void)rim;
    }
}

// ---- per-lane trigonometry ----------------------------------------------------------------------

// sin and cos of kLanes angles, branch-free so it vectorises: Cody–Waite reduction by π/2 (exact
// for |x| < 2^20·π/2) and fdlibm's minimax polynomials on [−π/4, π/4]; within 2 ulp of libm.
// Returns false (leaving s, c unspecified) if some |x| ≥ 1e5 or is not finite: use libm then.
QNAS_ALWAYS_INLINE bool sincos_lanes(const double* __restrict x, double* __restrict s, double* __restrict c) {
    constexpr int L = kLanes;
    int bad = 0;
    for (int l = 0; l < L; ++l) bad |= !(std::abs(x[l]) < 1e5);  // NaN counts as bad too
    if (bad) return false;
    constexpr double kTwoOverPi = 6.36619772367581382433e-01;
    constexpr double kP1 = 1.57079632673412561417e+00, kP2 = 6.07710050630396597660e-11,
                     kP3 = 2.02226624871116645580e-21;
    constexpr double kRound = 0x1.8p52;
    constexpr double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
                     S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
                     S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    constexpr double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
                     C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09,
                     C6 = -1.13596475577881948265e-11;
    for (int l = 0; l < L; ++l) {
        const double t = x[l] * kTwoOverPi + kRound;  // round to nearest; low mantissa bits = k
        const double k = t - kRound;
        const auto q = static_cast<std::uint64_t>(std::bit_cast<std::int64_t>(t));
        const double r = ((x[l] - k * kP1) - k * kP2) - k * kP3;
        const double z = r * r;
        const double sr = r + r * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
        const double cr = 1.0 - 0.5 * z + z * z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
        const bool swap = q & 1;
        const double sv = swap ? cr : sr, cv = swap ? sr : cr;
        s[l] = (q & 2) ? -sv : sv;
        c[l] = ((q + 1) & 2) ? -cv : cv;
    }
    return true;
}

}  // namespace qnas::sim::batch
