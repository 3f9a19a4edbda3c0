#include "sim/density_matrix.h"

#include <algorithm>
#include <array>
#include <bit>
#include <string>

#include "sim/error.h"
#include "sim/parallel.h"

namespace qnas::sim {

namespace {

// Below this many qubits a pass is too short to share: on 6 qubits (4096 entries) a 2-qubit
// channel takes ~5–20 µs, the order of the cost of waking and joining worker threads.
constexpr int kParallelMinQubits = 7;
// Entries per TBB task: big enough to amortise scheduling, small enough to balance 2–8 threads.
constexpr std::size_t kGrainEntries = std::size_t{1} << 13;
constexpr int kMaxDmQubits = 14;  // 4^14 entries = 4 GiB; beyond that use trajectories
// A superoperator with at most 1/kSparseRatio non-zero entries takes the sparse kernel.
constexpr Eigen::Index kSparseRatio = 2;

// Where a kernel works: B bits of the 2n-bit index (ρ viewed as a vector), in "local" order
// (row bits of the k qubits, then their column bits). A group is the L = 2^B entries that share
// all other bits; groups are enumerated by j ∈ [0, 4^n / L) with zeros inserted at the B bits.
template <int B>
struct Plan {
    static constexpr int L = 1 << B;
    std::array<std::size_t, L> offset;  // index of local entry l relative to the group base
    std::array<int, B> sorted_bits;     // the B bit positions, ascending
    std::size_t groups;
};

template <int B>
Plan<B> make_plan(int n, std::span<const int> qubits) {
    constexpr int k = B / 2;
    std::array<int, B> bits{};
    for (int a = 0; a < k; ++a) {
        bits[static_cast<std::size_t>(a)] = qubits[static_cast<std::size_t>(a)];
        bits[static_cast<std::size_t>(k + a)] = n + qubits[static_cast<std::size_t>(a)];
    }
    Plan<B> p{};
    for (std::size_t l = 0; l < Plan<B>::L; ++l)
        for (int a = 0; a < B; ++a)
            if ((l >> a) & 1U) p.offset[l] |= std::size_t{1} << bits[static_cast<std::size_t>(a)];
    p.sorted_bits = bits;
    std::sort(p.sorted_bits.begin(), p.sorted_bits.end());
    p.groups = (std::size_t{1} << (2 * n)) >> B;
    return p;
}

template <int B>
inline std::size_t group_base(const Plan<B>& p, std::size_t j) {
    for (int a = 0; a < B; ++a) {
        const std::size_t low = (std::size_t{1} << p.sorted_bits[static_cast<std::size_t>(a)]) - 1;
        j = ((j & ~low) << 1) | (j & low);
    }
    return j;
}

// Runs body(j0, j1) over all groups, in fixed chunks spread over threads for large ρ. Groups are
// disjoint and each is transformed by the same arithmetic whatever the split, so the result
// does not depend on the number of threads.
template <class Body>
void for_groups(int n, std::size_t groups, std::size_t group_size, const Parallelism& par, const Body& body) {
    if (n < kParallelMinQubits || par.n_threads == 1) {
        body(std::size_t{0}, groups);
        return;
    }
    const std::size_t chunk = std::max<std::size_t>(1, kGrainEntries / group_size);
    const std::size_t n_chunks = (groups + chunk - 1) / chunk;
    parallel_for(n_chunks, par, [&](std::size_t i) { body(i * chunk, std::min(groups, (i + 1) * chunk)); });
}

// Complex numbers as separate real/imaginary doubles: plain multiply-adds vectorise, while
// std::complex's operator* carries a NaN-recovery branch (Annex G) that blocks it.
template <int L>
struct SplitVec {
    alignas(64) double re[L];
    alignas(64) double im[L];
};

template <int B>
inline void gather(const double* d, const Plan<B>& p, std::size_t base, SplitVec<Plan<B>::L>& x) {
    for (int l = 0; l < Plan<B>::L; ++l) {
        const double* e = d + 2 * (base + p.offset[static_cast<std::size_t>(l)]);
        x.re[l] = e[0];
        x.im[l] = e[1];
    }
}

template <int B>
inline void scatter(double* d, const Plan<B>& p, std::size_t base, const SplitVec<Plan<B>::L>& x) {
    for (int l = 0; l < Plan<B>::L; ++l) {
        double* e = d + 2 * (base + p.offset[static_cast<std::size_t>(l)]);
        e[0] = x.re[l];
        e[1] = x.im[l];
    }
}

// A square matrix stored column-major as split doubles: m.re[c·N + r] = Re M(r, c).
template <int N>
struct SplitMat {
    alignas(64) double re[N * N];
    alignas(64) double im[N * N];
};

template <int N>
SplitMat<N> split(const Matrix& m) {
    SplitMat<N> s;
    for (int c = 0; c < N; ++c)
        for (int r = 0; r < N; ++r) {
            s.re[c * N + r] = m(r, c).real();
            s.im[c * N + r] = m(r, c).imag();
        }
    return s;
}

// ---- superoperator: y = S x on each group of 4^k entries ----------------------------------

template <int K>
void dense_superop_pass(DensityMatrix& rho, const Matrix& s, std::span<const int> qubits, const Parallelism& par) {
    constexpr int B = 2 * K, L = 1 << B;
    const Plan<B> plan = make_plan<B>(rho.n_qubits(), qubits);
    const SplitMat<L> m = split<L>(s);
    double* d = reinterpret_cast<double*>(rho.data().data());
    for_groups(rho.n_qubits(), plan.groups, L, par, [&](std::size_t j0, std::size_t j1) {
        SplitVec<L> x, y;
        for (std::size_t j = j0; j < j1; ++j) {
            const std::size_t base = group_base(plan, j);
            gather(d, plan, base, x);
            for (int r = 0; r < L; ++r) y.re[r] = y.im[r] = 0.0;
            for (int c = 0; c < L; ++c) {
                const double a = x.re[c], b = x.im[c];
                const double* mr = m.re + c * L;
                const double* mi = m.im + c * L;
                for (int r = 0; r < L; ++r) {
                    y.re[r] += mr[r] * a - mi[r] * b;
                    y.im[r] += mr[r] * b + mi[r] * a;
                }
            }
            scatter(d, plan, base, y);
        }
    });
}

// Device error channels are sparse superoperators: relaxation keeps populations among
// themselves and only scales coherences, depolarizing mixes populations and scales the rest
// (2 qubits: ~30 non-zeros of 256 for depolarizing ∘ relaxation). Visiting only the non-zeros
// (row-compressed) beats the vectorised dense product by several times there.
template <int K>
void sparse_superop_pass(DensityMatrix& rho, const Matrix& s, std::span<const int> qubits, const Parallelism& par) {
    constexpr int B = 2 * K, L = 1 << B;
    const Plan<B> plan = make_plan<B>(rho.n_qubits(), qubits);
    std::array<int, L + 1> row_start{};
    std::vector<int> cols;
    std::vector<double> vre, vim;
    for (int r = 0; r < L; ++r) {
        row_start[static_cast<std::size_t>(r)] = static_cast<int>(cols.size());
        for (int c = 0; c < L; ++c)
            if (s(r, c) != cplx(0.0, 0.0)) {
                cols.push_back(c);
                vre.push_back(s(r, c).real());
                vim.push_back(s(r, c).imag());
            }
    }
    row_start[L] = static_cast<int>(cols.size());
    const int* col = cols.data();
    const double* mr = vre.data();
    const double* mi = vim.data();
    double* d = reinterpret_cast<double*>(rho.data().data());
    for_groups(rho.n_qubits(), plan.groups, L, par, [&](std::size_t j0, std::size_t j1) {
        SplitVec<L> x, y;
        for (std::size_t j = j0; j < j1; ++j) {
            const std::size_t base = group_base(plan, j);
            gather(d, plan, base, x);
            for (int r = 0; r < L; ++r) {
                double ar = 0.0, ai = 0.0;
                for (int t = row_start[static_cast<std::size_t>(r)]; t < row_start[static_cast<std::size_t>(r) + 1];
                     ++t) {
                    const int c = col[t];
                    ar += mr[t] * x.re[c] - mi[t] * x.im[c];
                    ai += mr[t] * x.im[c] + mi[t] * x.re[c];
                }
                y.re[r] = ar;
                y.im[r] = ai;
            }
            scatter(d, plan, base, y);
        }
    });
}

template <int K>
void superop_pass(DensityMatrix& rho, const Matrix& s, std::span<const int> qubits, const Parallelism& par) {
    constexpr int L = 1 << (2 * K);
    const auto nonzeros = (s.array() != cplx(0.0, 0.0)).count();
    if (nonzeros * kSparseRatio <= L * L)
        sparse_superop_pass<K>(rho, s, qubits, par);
    else
        dense_superop_pass<K>(rho, s, qubits, par);
}

// ---- Kraus / unitary: Z = Σ_i K_i X K_i† on each 2^k × 2^k block X --------------------------

template <int K>
void kraus_pass(DensityMatrix& rho, std::span<const Matrix> kraus, std::span<const int> qubits,
                const Parallelism& par) {
    constexpr int D = 1 << K, B = 2 * K, L = 1 << B;
    const Plan<B> plan = make_plan<B>(rho.n_qubits(), qubits);
    std::vector<SplitMat<D>> ops;
    ops.reserve(kraus.size());
    for (const Matrix& k : kraus) ops.push_back(split<D>(k));
    double* d = reinterpret_cast<double*>(rho.data().data());
    for_groups(rho.n_qubits(), plan.groups, L, par, [&](std::size_t j0, std::size_t j1) {
        SplitVec<L> x, y, z;  // block entry (r, c) at r + D·c
        for (std::size_t j = j0; j < j1; ++j) {
            const std::size_t base = group_base(plan, j);
            gather(d, plan, base, x);
            for (int l = 0; l < L; ++l) z.re[l] = z.im[l] = 0.0;
            for (const SplitMat<D>& m : ops) {
                // Y = K·X: Y(r, c) = Σ_i K(r, i) X(i, c).
                for (int l = 0; l < L; ++l) y.re[l] = y.im[l] = 0.0;
                for (int c = 0; c < D; ++c)
                    for (int i = 0; i < D; ++i) {
                        const double a = x.re[i + D * c], b = x.im[i + D * c];
                        const double* mr = m.re + i * D;
                        const double* mi = m.im + i * D;
                        for (int r = 0; r < D; ++r) {
                            y.re[r + D * c] += mr[r] * a - mi[r] * b;
                            y.im[r + D * c] += mr[r] * b + mi[r] * a;
                        }
                    }
                // Z += Y·K†: Z(r, c) += Σ_i Y(r, i) conj(K(c, i)).
                for (int i = 0; i < D; ++i)
                    for (int c = 0; c < D; ++c) {
                        const double a = m.re[i * D + c], b = -m.im[i * D + c];
                        for (int r = 0; r < D; ++r) {
                            z.re[r + D * c] += y.re[r + D * i] * a - y.im[r + D * i] * b;
                            z.im[r + D * c] += y.re[r + D * i] * b + y.im[r + D * i] * a;
                        }
                    }
            }
            scatter(d, plan, base, z);
        }
    });
}

// ---- monomial A (at most one non-zero per row: permutations, diagonal and controlled-phase
// gates, X, Y, CX, CCX, SWAP, …): (A X A†)(r, c) = a_r conj(a_c) X(π(r), π(c)), one complex
// product per entry instead of 2·2^k.

// π and a_r when every row of m has at most one non-zero entry.
template <int D>
bool monomial_form(const Matrix& m, std::array<int, D>& perm, std::array<cplx, D>& amp) {
    for (int r = 0; r < D; ++r) {
        perm[static_cast<std::size_t>(r)] = 0;
        amp[static_cast<std::size_t>(r)] = 0.0;
        int nonzero = 0;
        for (int c = 0; c < D; ++c)
            if (m(r, c) != cplx(0.0, 0.0)) {
                if (++nonzero > 1) return false;
                perm[static_cast<std::size_t>(r)] = c;
                amp[static_cast<std::size_t>(r)] = m(r, c);
            }
    }
    return true;
}

template <int K>
void monomial_pass(DensityMatrix& rho, const std::array<int, 1 << K>& perm, const std::array<cplx, 1 << K>& amp,
                   std::span<const int> qubits, const Parallelism& par) {
    constexpr int D = 1 << K, B = 2 * K, L = 1 << B;
    const Plan<B> plan = make_plan<B>(rho.n_qubits(), qubits);
    std::array<int, L> src{};
    SplitVec<L> w;
    for (int c = 0; c < D; ++c)
        for (int r = 0; r < D; ++r) {
            const auto ur = static_cast<std::size_t>(r), uc = static_cast<std::size_t>(c);
            src[static_cast<std::size_t>(r + D * c)] = perm[ur] + D * perm[uc];
            const cplx f = amp[ur] * std::conj(amp[uc]);
            w.re[r + D * c] = f.real();
            w.im[r + D * c] = f.imag();
        }
    double* d = reinterpret_cast<double*>(rho.data().data());
    for_groups(rho.n_qubits(), plan.groups, L, par, [&](std::size_t j0, std::size_t j1) {
        SplitVec<L> x, z;
        for (std::size_t j = j0; j < j1; ++j) {
            const std::size_t base = group_base(plan, j);
            gather(d, plan, base, x);
            for (int l = 0; l < L; ++l) {
                const int s = src[static_cast<std::size_t>(l)];
                z.re[l] = w.re[l] * x.re[s] - w.im[l] * x.im[s];
                z.im[l] = w.re[l] * x.im[s] + w.im[l] * x.re[s];
            }
            scatter(d, plan, base, z);
        }
    });
}

template <int K>
void unitary_pass(DensityMatrix& rho, const Matrix& u, std::span<const int> qubits, const Parallelism& par) {
    constexpr int D = 1 << K;
    std::array<int, D> perm{};
    std::array<cplx, D> amp{};
    if (monomial_form<D>(u, perm, amp))
        monomial_pass<K>(rho, perm, amp, qubits, par);
    else
        kraus_pass<K>(rho, std::span<const Matrix>(&u, 1), qubits, par);
}

// Estimated cost per ρ entry of one pass, in units of one complex multiply-add of the dense
// kernels, with a fixed share for the gather/scatter of each group (from the pass benchmarks).
constexpr double kPassOverhead = 2.0;
constexpr double kSparseCostPerNonzero = 1.5;
constexpr int kFuseMinQubits = 4;

double superop_pass_cost(const Matrix& s) {
    const auto l = static_cast<double>(s.rows());
    const auto nonzeros = (s.array() != cplx(0.0, 0.0)).count();
    const bool sparse = nonzeros * kSparseRatio <= s.size();
    return kPassOverhead + (sparse ? kSparseCostPerNonzero * static_cast<double>(nonzeros) / l : l);
}

// Exactly one non-zero in every row and every column (permutation times phases: x, cx, rz, ccx...).
bool is_permutation_like(const Matrix& u) {
    for (Eigen::Index i = 0; i < u.rows(); ++i)
        if ((u.row(i).array() != cplx(0.0, 0.0)).count() != 1 || (u.col(i).array() != cplx(0.0, 0.0)).count() != 1)
            return false;
    return true;
}

double unitary_pass_cost(const Matrix& u, bool permutation_like) {
    return kPassOverhead + (permutation_like ? 1.5 : 2.0 * static_cast<double>(u.rows()));
}

// E · S_U for a permutation-like U: S_U = conj(U) ⊗ U then has one non-zero per column, at row
// σ(j), so column j of the product is S_U(σ(j), j) · E(:, σ(j)); O(L²) instead of O(L³), and
// E's sparsity survives.
Matrix compose_permutation_like(const Matrix& su, const Matrix& e) {
    Matrix out(e.rows(), e.cols());
    for (Eigen::Index j = 0; j < su.cols(); ++j) {
        Eigen::Index i = 0;
        while (su(i, j) == cplx(0.0, 0.0)) ++i;
        out.col(j) = su(i, j) * e.col(i);
    }
    return out;
}

// Validates qubits against ρ and an operator on k qubits.
void check_qubits(const DensityMatrix& rho, std::span<const int> qubits, int k, const char* what) {
    if (static_cast<int>(qubits.size()) != k)
        throw Error(std::string(what) + ": operator acts on " + std::to_string(k) + " qubits but " +
                    std::to_string(qubits.size()) + " were given");
    if (k < 1 || k > 3) throw Error(std::string(what) + ": only 1 to 3 qubits are supported");
    for (std::size_t a = 0; a < qubits.size(); ++a) {
        if (qubits[a] < 0 || qubits[a] >= rho.n_qubits())
            throw Error(std::string(what) + ": qubit " + std::to_string(qubits[a]) + " out of range for " +
                        std::to_string(rho.n_qubits()) + " qubits");
        for (std::size_t b = 0; b < a; ++b)
            if (qubits[a] == qubits[b])
                throw Error(std::string(what) + ": repeated qubit " + std::to_string(qubits[a]));
    }
}

}  // namespace

DensityMatrix::DensityMatrix(int n_qubits) : n_(n_qubits) {
    if (n_qubits < 0 || n_qubits > kMaxDmQubits)
        throw Error("density matrix: qubit count " + std::to_string(n_qubits) + " out of range [0, " +
                    std::to_string(kMaxDmQubits) + "]");
    data_.assign(std::size_t{1} << (2 * n_qubits), cplx{0.0, 0.0});
    data_[0] = 1.0;
}

DensityMatrix DensityMatrix::from_state(std::span<const cplx> psi) {
    const std::size_t dim = psi.size();
    if (!std::has_single_bit(dim)) throw Error("density matrix: state length is not a power of two");
    DensityMatrix rho(std::countr_zero(dim));
    for (std::size_t c = 0; c < dim; ++c) {
        const cplx cc = std::conj(psi[c]);
        for (std::size_t r = 0; r < dim; ++r) rho.data_[r + c * dim] = psi[r] * cc;
    }
    return rho;
}

DensityMatrix DensityMatrix::from_matrix(const Matrix& m) {
    const auto dim = static_cast<std::size_t>(m.rows());
    if (m.rows() != m.cols() || !std::has_single_bit(dim))
        throw Error("density matrix: expected a 2^n x 2^n matrix, got " + std::to_string(m.rows()) + "x" +
                    std::to_string(m.cols()));
    DensityMatrix rho(std::countr_zero(dim));
    // Both column-major: a straight copy.
    std::copy(m.data(), m.data() + m.size(), rho.data_.begin());
    return rho;
}

Matrix DensityMatrix::to_matrix() const {
    const auto d = static_cast<Eigen::Index>(dim());
    return Eigen::Map<const Matrix>(data_.data(), d, d);
}

void apply_unitary(DensityMatrix& rho, const Matrix& u, std::span<const int> qubits, const Parallelism& par) {
    const int k = operator_qubits(u);
    check_qubits(rho, qubits, k, "apply_unitary");
    switch (k) {
        case 1: unitary_pass<1>(rho, u, qubits, par); break;
        case 2: unitary_pass<2>(rho, u, qubits, par); break;
        default: unitary_pass<3>(rho, u, qubits, par); break;
    }
}

void apply_op(DensityMatrix& rho, const Op& op, std::span<const double> theta, std::span<const double> x,
              const Parallelism& par) {
    const GateInfo& g = gate_info(op.kind);
    const auto angles = resolve_angles(op, theta, x);
    apply_unitary(rho, g.matrix(angles), std::span<const int>(op.qubits.data(), static_cast<std::size_t>(g.n_qubits)),
                  par);
}

void apply_kraus(DensityMatrix& rho, std::span<const Matrix> kraus, std::span<const int> qubits,
                 const Parallelism& par) {
    if (kraus.empty()) throw Error("apply_kraus: empty Kraus set");
    const int k = operator_qubits(kraus[0]);
    for (const Matrix& m : kraus)
        if (m.rows() != kraus[0].rows() || m.cols() != kraus[0].cols())
            throw Error("apply_kraus: Kraus operators of different sizes");
    check_qubits(rho, qubits, k, "apply_kraus");
    switch (k) {
        case 1: kraus_pass<1>(rho, kraus, qubits, par); break;
        case 2: kraus_pass<2>(rho, kraus, qubits, par); break;
        default: kraus_pass<3>(rho, kraus, qubits, par); break;
    }
}

void apply_superop(DensityMatrix& rho, const Matrix& superop, std::span<const int> qubits, const Parallelism& par) {
    const int k = superop_qubits(superop);
    check_qubits(rho, qubits, k, "apply_superop");
    switch (k) {
        case 1: superop_pass<1>(rho, superop, qubits, par); break;
        case 2: superop_pass<2>(rho, superop, qubits, par); break;
        default: superop_pass<3>(rho, superop, qubits, par); break;
    }
}

void apply_op_with_error(DensityMatrix& rho, const Op& op, std::span<const double> theta, std::span<const double> x,
                         const Matrix* error, const Parallelism& par) {
    const GateInfo& g = gate_info(op.kind);
    const auto angles = resolve_angles(op, theta, x);
    const Matrix u = g.matrix(angles);
    const std::span<const int> qubits(op.qubits.data(), static_cast<std::size_t>(g.n_qubits));
    if (error == nullptr) {
        apply_unitary(rho, u, qubits, par);
        return;
    }
    if (superop_qubits(*error) != g.n_qubits)
        throw Error(std::string("apply_op_with_error: the error channel of ") + std::string(g.name) + " acts on " +
                    std::to_string(superop_qubits(*error)) + " qubits, the gate on " + std::to_string(g.n_qubits));
    // Fusing costs a superoperator product: O(L²) for permutation-like gates, 64 multiply-adds
    // for one qubit; a general 2- or 3-qubit product (O(L³) = 4096+) would cost more than the
    // pass it saves on the small ρ this simulator is for, and so would any 3-qubit superoperator
    // (64 × 64), so those are never fused. Below kFuseMinQubits the fixed cost of building the
    // fused matrix exceeds the pass it saves.
    if (g.n_qubits <= 2 && rho.n_qubits() >= kFuseMinQubits) {
        const bool perm = is_permutation_like(u);
        if (perm || g.n_qubits == 1) {
            const Matrix su = superop_from_unitary(u);
            const Matrix fused = perm ? compose_permutation_like(su, *error) : compose_channels(su, *error);
            if (superop_pass_cost(fused) <= unitary_pass_cost(u, perm) + superop_pass_cost(*error)) {
                apply_superop(rho, fused, qubits, par);
                return;
            }
        }
    }
    apply_unitary(rho, u, qubits, par);
    apply_superop(rho, *error, qubits, par);
}

DensityMatrix simulate_noisy_density(const Circuit& c, std::span<const double> theta, std::span<const double> x,
                                     const OpErrorFn& error, const Parallelism& par) {
    DensityMatrix rho(c.n_qubits);
    for (std::size_t i = 0; i < c.ops.size(); ++i)
        apply_op_with_error(rho, c.ops[i], theta, x, error ? error(c.ops[i], i) : nullptr, par);
    return rho;
}

DensityMatrix simulate_density(const Circuit& c, std::span<const double> theta, std::span<const double> x,
                               const AfterOpHook& after_op, const Parallelism& par) {
    DensityMatrix rho(c.n_qubits);
    for (std::size_t i = 0; i < c.ops.size(); ++i) {
        apply_op(rho, c.ops[i], theta, x, par);
        if (after_op) after_op(rho, c.ops[i], i);
    }
    return rho;
}

cplx trace(const DensityMatrix& rho) {
    cplx t{0.0, 0.0};
    for (std::size_t i = 0; i < rho.dim(); ++i) t += rho(i, i);
    return t;
}

double purity(const DensityMatrix& rho) {
    // Re Tr ρ² = Σ_{r,c} Re ρ(r, c)·ρ(c, r), in a fixed order.
    double p = 0.0;
    for (std::size_t c = 0; c < rho.dim(); ++c)
        for (std::size_t r = 0; r < rho.dim(); ++r) p += (rho(r, c) * rho(c, r)).real();
    return p;
}

std::vector<double> probabilities(const DensityMatrix& rho) {
    std::vector<double> p(rho.dim());
    for (std::size_t i = 0; i < rho.dim(); ++i) p[i] = rho(i, i).real();
    return p;
}

std::vector<double> marginal_probabilities(const DensityMatrix& rho, std::span<const int> qubits) {
    for (std::size_t a = 0; a < qubits.size(); ++a) {
        if (qubits[a] < 0 || qubits[a] >= rho.n_qubits())
            throw Error("marginal_probabilities: qubit " + std::to_string(qubits[a]) + " out of range");
        for (std::size_t b = 0; b < a; ++b)
            if (qubits[a] == qubits[b]) throw Error("marginal_probabilities: repeated qubit");
    }
    std::vector<double> p(std::size_t{1} << qubits.size(), 0.0);
    for (std::size_t i = 0; i < rho.dim(); ++i) {
        std::size_t m = 0;
        for (std::size_t a = 0; a < qubits.size(); ++a) m |= ((i >> qubits[a]) & 1U) << a;
        p[m] += rho(i, i).real();
    }
    return p;
}

double expectation(const DensityMatrix& rho, const PauliTerm& p) {
    const int n = rho.n_qubits();
    if (n < 64 && ((p.x | p.z) >> n) != 0) throw Error("expectation: Pauli string acts on qubits beyond the state");
    // P = Σ_j c_j |j⊕x⟩⟨j| with c_j = i^{n_y}(−1)^{|j∧z|}, so Tr(Pρ) = Σ_j c_j ρ(j, j⊕x).
    static const cplx kIPow[4] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    const cplx phase = kIPow[p.n_y() % 4];
    cplx acc{0.0, 0.0};
    for (std::size_t j = 0; j < rho.dim(); ++j) {
        const cplx v = rho(j, j ^ p.x);
        acc += (std::popcount(static_cast<std::uint64_t>(j) & p.z) & 1) ? -v : v;
    }
    return p.coeff * (phase * acc).real();
}

double expectation(const DensityMatrix& rho, const PauliSum& h) {
    double e = 0.0;
    for (const PauliTerm& t : h) e += expectation(rho, t);
    return e;
}

}  // namespace qnas::sim
