#include "analysis/entanglement.h"

#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "../sim/reference.h"
#include "analysis/reference_circuits.h"
#include "sim/error.h"

using namespace qnas;
using namespace qnas::analysis;

namespace {

// Meyer & Wallach's original definition, independent of reduced density matrices:
// Q = (4/n) Σ_k D(ι_k(0)ψ, ι_k(1)ψ), D(u, v) = ½ Σ_{i,j} |u_i v_j − u_j v_i|², where ι_k(b)ψ is
// the 2^{n−1}-vector of amplitudes with bit k = b.
double mw_wedge(const sim::State& psi, int n) {
    double q = 0.0;
    for (int k = 0; k < n; ++k) {
        std::vector<sim::cplx> u, v;
        for (std::size_t i = 0; i < psi.size(); ++i)
            if (!((i >> k) & 1U)) u.push_back(psi[i]), v.push_back(psi[i | (std::size_t{1} << k)]);
        double d = 0.0;
        for (std::size_t i = 0; i < u.size(); ++i)
            for (std::size_t j = 0; j < u.size(); ++j) d += 0.5 * std::norm(u[i] * v[j] - u[j] * v[i]);
        q += 4.0 * d / n;
    }
    return q;
}

// 1 − Tr ρ_k² with ρ_k the dense partial trace of |ψ⟩⟨ψ| (Eigen), summed into Q.
double mw_dense(const sim::State& psi, int n) {
    const Eigen::Map<const Eigen::VectorXcd> v(psi.data(), static_cast<Eigen::Index>(psi.size()));
    const Eigen::MatrixXcd rho = v * v.adjoint();
    double purity = 0.0;
    for (int k = 0; k < n; ++k) {
        Eigen::Matrix2cd r = Eigen::Matrix2cd::Zero();
        for (Eigen::Index i = 0; i < rho.rows(); ++i)
            for (Eigen::Index j = 0; j < rho.cols(); ++j)
                if (((i ^ j) & ~(Eigen::Index{1} << k)) == 0) r((i >> k) & 1, (j >> k) & 1) += rho(i, j);
        purity += (r * r).trace().real();
    }
    return 2.0 * (1.0 - purity / n);
}

EntanglementOptions opts(int samples, std::uint64_t seed) {
    EntanglementOptions o;
    o.samples = samples;
    o.seed = seed;
    return o;
}

}  // namespace

TEST_CASE("Meyer-Wallach: GHZ 1, product 0, random states as the dense and wedge references",
          "[analysis][entanglement]") {
    for (int n : {2, 3, 5}) {
        sim::State ghz(std::size_t{1} << n, 0.0);
        ghz.front() = ghz.back() = 1.0 / std::sqrt(2.0);
        CHECK(meyer_wallach(ghz, n) == Approx(1.0).margin(1e-12));
        sim::State plus(std::size_t{1} << n, 1.0 / std::sqrt(static_cast<double>(std::size_t{1} << n)));
        CHECK(meyer_wallach(plus, n) == Approx(0.0).margin(1e-12));
    }
    std::mt19937_64 rng(9);
    for (int n : {1, 2, 3, 4, 6}) {
        for (int rep = 0; rep < 3; ++rep) {
            const auto psi = qnas::test::random_state(n, rng);
            const double q = meyer_wallach(psi, n);
            INFO("n = " << n);
            CHECK(q == Approx(mw_dense(psi, n)).margin(1e-12));
            CHECK(q == Approx(mw_wedge(psi, n)).margin(1e-12));
        }
    }
    CHECK_THROWS_AS(meyer_wallach(sim::State(8), 2), Error);
}

TEST_CASE("Meyer-Wallach of Haar states averages 2(2^{n-1}-1)/(2^n+1)", "[analysis][entanglement]") {
    std::mt19937_64 rng(17);
    double sum = 0.0, sq = 0.0;
    const int m = 4000;
    for (int s = 0; s < m; ++s) {
        const double q = meyer_wallach(qnas::test::random_state(4, rng), 4);
        sum += q, sq += q * q;
    }
    const double mean = sum / m, se = std::sqrt((sq / m - mean * mean) / m);
    CHECK(se < 0.002);
    CHECK(mean == Approx(14.0 / 17.0).margin(4 * se));
}

TEST_CASE("entangling capability anchors: circuit 1 is 0, circuit 9 is 1", "[analysis][entanglement]") {
    const auto e1 = entangling_capability(sim19_circuit(1, 3), opts(300, 1));
    CHECK(e1.mean == Approx(0.0).margin(1e-12));
    const auto e9 = entangling_capability(sim19_circuit(9, 1), opts(300, 1));
    CHECK(e9.mean == Approx(1.0).margin(1e-12));
    CHECK(e9.std_error < 1e-12);
    CHECK(e9.samples == 300);
}

TEST_CASE("entangling capability within 0.01 of the recomputed 5.5 columns", "[analysis][entanglement]") {
    // (circuit, layers, own value of training_and_metrics.md 5.5 — 5 seeds × 10 000 states).
    struct Row {
        int id, layers;
        double ref;
    };
    const Row rows[] = {{2, 1, 0.622},  {4, 1, 0.311},  {6, 1, 0.686},  {10, 2, 0.562},
                        {13, 2, 0.623}, {15, 3, 0.775}, {18, 1, 0.219}, {9, 4, 0.681}};
    for (const auto& r : rows) {
        const auto e = entangling_capability(sim19_circuit(r.id, r.layers), opts(10000, 55));
        INFO("circuit " << r.id << " L " << r.layers << ": " << e.mean << " ± " << e.std_error << " vs " << r.ref);
        CHECK(e.std_error < 0.003);
        CHECK(std::abs(e.mean - r.ref) < 0.01);
    }
}

TEST_CASE("entangling capability is identical at any thread count [threads]", "[analysis][entanglement][threads]") {
    auto o = opts(700, 8);
    o.parallelism = qnas::Parallelism{1};
    const auto a = entangling_capability(sim19_circuit(14, 2), o);
    o.parallelism = qnas::Parallelism{3};
    const auto b = entangling_capability(sim19_circuit(14, 2), o);
    CHECK(a.mean == b.mean);
    CHECK(a.std_error == b.std_error);
}

TEST_CASE("bad entanglement input throws qnas::Error", "[analysis][entanglement]") {
    CHECK_THROWS_WITH(entangling_capability(sim19_circuit(2), opts(0, 1)), Catch::Contains("samples"));
    sim::Circuit enc(2);
    enc.add(sim::GateKind::RY, {0}, {sim::Param::input(0)});
    CHECK_THROWS_WITH(entangling_capability(enc, opts(5, 1)), Catch::Contains("input feature"));
}
