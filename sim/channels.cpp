#include "sim/channels.h"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <string>

#include "sim/error.h"

namespace qnas::sim {

namespace {

using Index = Eigen::Index;

// Kronecker product, `hi` on the high index bits.
Matrix kron(const Matrix& hi, const Matrix& lo) {
    Matrix out(hi.rows() * lo.rows(), hi.cols() * lo.cols());
    for (Index i = 0; i < hi.rows(); ++i)
        for (Index j = 0; j < hi.cols(); ++j)
            out.block(i * lo.rows(), j * lo.cols(), lo.rows(), lo.cols()) = hi(i, j) * lo;
    return out;
}

// k with 2^k = size, k ≤ limit; −1 otherwise.
int log2_exact(Index size, int limit) {
    for (int k = 0; k <= limit; ++k)
        if (size == (Index{1} << k)) return k;
    return -1;
}

Matrix pauli_1q(int p) {
    const cplx i{0.0, 1.0};
    Matrix m = Matrix::Zero(2, 2);
    switch (p) {
        case 0: m << 1, 0, 0, 1; break;
        case 1: m << 0, 1, 1, 0; break;
        case 2: m << 0, -i, i, 0; break;
        default: m << 1, 0, 0, -1; break;
    }
    return m;
}

void check_probability(double v, double hi, const char* what) {
    if (!(v >= 0.0 && v <= hi))
        throw Error(std::string(what) + " must be in [0, " + std::to_string(hi) + "], got " + std::to_string(v));
}

}  // namespace

int operator_qubits(const Matrix& op) {
    const int k = log2_exact(op.rows(), 3);
    if (k < 0 || op.cols() != op.rows())
        throw Error("expected a 2^k x 2^k operator with k <= 3, got " + std::to_string(op.rows()) + "x" +
                    std::to_string(op.cols()));
    return k;
}

int superop_qubits(const Matrix& superop) {
    const int b = log2_exact(superop.rows(), 6);
    if (b < 0 || b % 2 != 0 || superop.cols() != superop.rows())
        throw Error("expected a 4^k x 4^k superoperator with k <= 3, got " + std::to_string(superop.rows()) + "x" +
                    std::to_string(superop.cols()));
    return b / 2;
}

Matrix superop_from_kraus(std::span<const Matrix> kraus) {
    if (kraus.empty()) throw Error("a Kraus set needs at least one operator");
    const int k = operator_qubits(kraus[0]);
    const Index d = Index{1} << k;
    Matrix s = Matrix::Zero(d * d, d * d);
    for (const Matrix& m : kraus) {
        if (m.rows() != d || m.cols() != d) throw Error("Kraus operators of different sizes");
        s += kron(m.conjugate(), m);
    }
    return s;
}

Matrix superop_from_unitary(const Matrix& u) {
    operator_qubits(u);
    return kron(u.conjugate(), u);
}

// S(a + d·b, i + d·j) = E(|i⟩⟨j|)(a, b) = Λ(i·d + a, j·d + b): a permutation of entries.
Matrix choi_from_superop(const Matrix& superop) {
    const Index d = Index{1} << superop_qubits(superop);
    Matrix choi(d * d, d * d);
    for (Index i = 0; i < d; ++i)
        for (Index j = 0; j < d; ++j)
            for (Index a = 0; a < d; ++a)
                for (Index b = 0; b < d; ++b) choi(i * d + a, j * d + b) = superop(a + d * b, i + d * j);
    return choi;
}

Matrix superop_from_choi(const Matrix& choi) {
    const Index d = Index{1} << superop_qubits(choi);
    Matrix s(d * d, d * d);
    for (Index i = 0; i < d; ++i)
        for (Index j = 0; j < d; ++j)
            for (Index a = 0; a < d; ++a)
                for (Index b = 0; b < d; ++b) s(a + d * b, i + d * j) = choi(i * d + a, j * d + b);
    return s;
}

// Λ = Σ_m λ_m |v_m⟩⟨v_m|, and |v⟩ = Σ_{i,a} v(i·d + a) |i⟩|a⟩ is the Choi vector of
// K(a, i) = v(i·d + a), so K_m = √λ_m · reshape(v_m).
KrausSet kraus_from_superop(const Matrix& superop, double tol) {
    const Index d = Index{1} << superop_qubits(superop);
    const Matrix choi = choi_from_superop(superop);
    const Eigen::SelfAdjointEigenSolver<Matrix> es(0.5 * (choi + choi.adjoint()));
    KrausSet out;
    for (Index m = es.eigenvalues().size() - 1; m >= 0; --m) {  // largest first
        const double lambda = es.eigenvalues()(m);
        if (lambda < -tol) throw Error("the map is not completely positive (negative Choi eigenvalue)");
        if (lambda <= tol) continue;
        Matrix k(d, d);
        for (Index i = 0; i < d; ++i)
            for (Index a = 0; a < d; ++a) k(a, i) = std::sqrt(lambda) * es.eigenvectors()(i * d + a, m);
        out.push_back(std::move(k));
    }
    return out;
}

Matrix compose_channels(const Matrix& first, const Matrix& then) {
    if (superop_qubits(first) != superop_qubits(then)) throw Error("composing superoperators of different sizes");
    return then * first;
}

// Local index of the union: row bits (low…, high…), column bits (low…, high…). Entry
// S(r_l + d_l r_h + d(c_l + d_l c_h), …) = S_low(r_l + d_l c_l, …) · S_high(r_h + d_h c_h, …).
Matrix superop_tensor(const Matrix& low, const Matrix& high) {
    const int kl = superop_qubits(low), kh = superop_qubits(high);
    if (kl + kh > 3) throw Error("superop_tensor: more than 3 qubits");
    const Index dl = Index{1} << kl, dh = Index{1} << kh, d = dl * dh;
    Matrix s(d * d, d * d);
    auto split = [&](Index idx, Index& lo, Index& hi) {
        const Index r = idx % d, c = idx / d;
        lo = (r % dl) + dl * (c % dl);
        hi = (r / dl) + dh * (c / dl);
    };
    for (Index out = 0; out < d * d; ++out) {
        Index ol, oh;
        split(out, ol, oh);
        for (Index in = 0; in < d * d; ++in) {
            Index il, ih;
            split(in, il, ih);
            s(out, in) = low(ol, il) * high(oh, ih);
        }
    }
    return s;
}

KrausSet kraus_tensor(std::span<const Matrix> low, std::span<const Matrix> high) {
    if (low.empty() || high.empty()) throw Error("kraus_tensor: empty Kraus set");
    if (operator_qubits(low[0]) + operator_qubits(high[0]) > 3) throw Error("kraus_tensor: more than 3 qubits");
    KrausSet out;
    for (const Matrix& h : high)
        for (const Matrix& l : low) out.push_back(kron(h, l));
    return out;
}

bool is_cptp(std::span<const Matrix> kraus, double tol) {
    if (kraus.empty()) return false;
    const Index d = kraus[0].rows();
    if (log2_exact(d, 3) < 0) return false;
    Matrix sum = Matrix::Zero(d, d);
    for (const Matrix& m : kraus) {
        if (m.rows() != d || m.cols() != d) return false;
        sum += m.adjoint() * m;
    }
    return (sum - Matrix::Identity(d, d)).cwiseAbs().maxCoeff() <= tol;
}

bool is_cptp_superop(const Matrix& superop, double tol) {
    const int b = log2_exact(superop.rows(), 6);
    if (b < 0 || b % 2 != 0 || superop.cols() != superop.rows()) return false;
    const Index d = Index{1} << (b / 2);
    const Matrix choi = choi_from_superop(superop);
    if ((choi - choi.adjoint()).cwiseAbs().maxCoeff() > tol) return false;
    // Tr_out Λ (i, j) = Σ_a Λ(i·d + a, j·d + a) = Tr E(|i⟩⟨j|) must be δ_ij.
    for (Index i = 0; i < d; ++i)
        for (Index j = 0; j < d; ++j) {
            cplx t{0.0, 0.0};
            for (Index a = 0; a < d; ++a) t += choi(i * d + a, j * d + a);
            if (std::abs(t - cplx(i == j ? 1.0 : 0.0, 0.0)) > tol) return false;
        }
    const Eigen::SelfAdjointEigenSolver<Matrix> es(0.5 * (choi + choi.adjoint()), Eigen::EigenvaluesOnly);
    return es.eigenvalues().minCoeff() >= -tol;
}

double process_fidelity(const Matrix& superop, const Matrix& target_unitary) {
    const int k = superop_qubits(superop);
    if (operator_qubits(target_unitary) != k) throw Error("process_fidelity: target and channel sizes differ");
    const Matrix su = superop_from_unitary(target_unitary);
    const double d = static_cast<double>(Index{1} << k);
    // Tr(S_U† S) = Σ conj(S_U) ∘ S, without forming the product.
    return (su.conjugate().cwiseProduct(superop)).sum().real() / (d * d);
}

double average_gate_fidelity(const Matrix& superop, const Matrix& target_unitary) {
    const double d = static_cast<double>(Index{1} << superop_qubits(superop));
    return (d * process_fidelity(superop, target_unitary) + 1.0) / (d + 1.0);
}

double average_gate_fidelity(const Matrix& superop) {
    const Index d = Index{1} << superop_qubits(superop);
    return average_gate_fidelity(superop, Matrix::Identity(d, d));
}

KrausSet amplitude_damping_kraus(double gamma) {
    check_probability(gamma, 1.0, "amplitude damping gamma");
    Matrix k0 = Matrix::Zero(2, 2), k1 = Matrix::Zero(2, 2);
    k0(0, 0) = 1.0;
    k0(1, 1) = std::sqrt(1.0 - gamma);
    k1(0, 1) = std::sqrt(gamma);
    return {k0, k1};
}

KrausSet phase_damping_kraus(double lambda) {
    check_probability(lambda, 1.0, "phase damping lambda");
    Matrix k0 = Matrix::Zero(2, 2), k1 = Matrix::Zero(2, 2);
    k0(0, 0) = 1.0;
    k0(1, 1) = std::sqrt(1.0 - lambda);
    k1(1, 1) = std::sqrt(lambda);
    return {k0, k1};
}

KrausSet depolarizing_kraus(double lambda, int n_qubits) {
    if (n_qubits != 1 && n_qubits != 2) throw Error("depolarizing_kraus: n_qubits must be 1 or 2");
    const double n_paulis = n_qubits == 1 ? 4.0 : 16.0;
    check_probability(lambda, n_paulis / (n_paulis - 1.0), "depolarizing lambda");
    KrausSet out;
    const int count = static_cast<int>(n_paulis);
    for (int p = 0; p < count; ++p) {
        // Pauli string p: qubit 0 gets p % 4, qubit 1 gets p / 4 (identity first).
        const Matrix pm = n_qubits == 1 ? pauli_1q(p) : kron(pauli_1q(p / 4), pauli_1q(p % 4));
        const double w = p == 0 ? 1.0 - lambda * (n_paulis - 1.0) / n_paulis : lambda / n_paulis;
        if (w > 0.0) out.push_back(std::sqrt(w) * pm);
    }
    if (out.empty()) throw Error("depolarizing_kraus: empty channel");  // unreachable for valid λ
    return out;
}

}  // namespace qnas::sim
