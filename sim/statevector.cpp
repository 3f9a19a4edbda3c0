#include "sim/statevector.h"

#include <algorithm>
#include <bit>
#include <random>

#include "sim/error.h"

namespace qnas::sim {

State zero_state(int n_qubits) {
    QNAS_CHECK(n_qubits >= 0 && n_qubits < 40, "qubit count out of range for a state vector");
    State s(std::size_t{1} << n_qubits, cplx{0.0, 0.0});
    s[0] = 1.0;
    return s;
}

void apply_matrix(State& psi, const Matrix& m, std::span<const int> qubits) {
    const int k = static_cast<int>(qubits.size());
    const std::size_t dim = std::size_t{1} << k;
    QNAS_CHECK(static_cast<std::size_t>(m.rows()) == dim && static_cast<std::size_t>(m.cols()) == dim,
               "matrix size does not match qubit count");
    std::vector<std::size_t> offsets(dim, 0);
    std::size_t mask = 0;
    for (std::size_t l = 0; l < dim; ++l)
        for (int a = 0; a < k; ++a)
            if ((l >> a) & 1U) offsets[l] |= std::size_t{1} << qubits[static_cast<std::size_t>(a)];
    for (int a = 0; a < k; ++a) mask |= std::size_t{1} << qubits[static_cast<std::size_t>(a)];
    std::vector<cplx> in(dim), out(dim);
    for (std::size_t base = 0; base < psi.size(); ++base) {
        if (base & mask) continue;  // visit each group once, at its all-zeros member
        for (std::size_t l = 0; l < dim; ++l) in[l] = psi[base | offsets[l]];
        for (std::size_t r = 0; r < dim; ++r) {
            cplx acc{0.0, 0.0};
            for (std::size_t cidx = 0; cidx < dim; ++cidx)
                acc += m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(cidx)) * in[cidx];
            out[r] = acc;
        }
        for (std::size_t l = 0; l < dim; ++l) psi[base | offsets[l]] = out[l];
    }
}

void apply_op(State& psi, const Op& op, std::span<const double> theta, std::span<const double> x) {
    const auto& g = gate_info(op.kind);
    const auto angles = resolve_angles(op, theta, x);
    apply_matrix(psi, g.matrix(angles), std::span<const int>(op.qubits.data(), static_cast<std::size_t>(g.n_qubits)));
}

State simulate(const Circuit& c, std::span<const double> theta, std::span<const double> x) {
    State psi = zero_state(c.n_qubits);
    for (const Op& op : c.ops) apply_op(psi, op, theta, x);
    return psi;
}

std::vector<double> probabilities(const State& psi) {
    std::vector<double> p(psi.size());
    for (std::size_t i = 0; i < psi.size(); ++i) p[i] = std::norm(psi[i]);
    return p;
}

State apply_pauli(const State& psi, const PauliTerm& p) {
    // P|i⟩ = i^{n_y} (−1)^{popcount(i & z)} |i ⊕ x⟩ — Y = iXZ, so each Y contributes a factor i.
    static const cplx kIPow[4] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    const cplx phase = kIPow[p.n_y() % 4] * p.coeff;
    State out(psi.size());
    for (std::size_t i = 0; i < psi.size(); ++i) {
        const double sign = (std::popcount(static_cast<std::uint64_t>(i) & p.z) & 1) ? -1.0 : 1.0;
        out[i ^ p.x] = phase * sign * psi[i];
    }
    return out;
}

double expectation(const State& psi, const PauliTerm& p) {
    const State q = apply_pauli(psi, p);
    cplx acc{0.0, 0.0};
    for (std::size_t i = 0; i < psi.size(); ++i) acc += std::conj(psi[i]) * q[i];
    return acc.real();
}

double expectation(const State& psi, const PauliSum& h) {
    double e = 0.0;
    for (const auto& t : h) e += expectation(psi, t);
    return e;
}

std::vector<std::uint64_t> sample_counts_indices(std::span<const double> probs, int shots, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<double> cdf(probs.size());
    double acc = 0.0;
    for (std::size_t i = 0; i < probs.size(); ++i) cdf[i] = (acc += probs[i]);
    std::vector<std::uint64_t> out(static_cast<std::size_t>(std::max(shots, 0)));
    for (auto& o : out) {
        // 53-bit uniform in [0, acc): independent of the standard library's distributions.
        const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53 * acc;
        o = static_cast<std::uint64_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
        if (o >= probs.size()) o = probs.size() - 1;
    }
    return out;
}

}  // namespace qnas::sim
