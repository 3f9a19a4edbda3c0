#include "analysis/sampling.h"

#include <random>

#include <catch2/catch.hpp>

#include "../sim/reference.h"
#include "analysis/state_runner.h"
#include "sim/error.h"

using namespace qnas;
using namespace qnas::analysis;
using sim::GateKind;
using sim::Param;

TEST_CASE("sample_angles is a pure function of (seed, draw, index)", "[analysis][sampling]") {
    const auto a = sample_angles(12, 7, 3);
    CHECK(a == sample_angles(12, 7, 3));
    CHECK(a != sample_angles(12, 7, 4));
    CHECK(a != sample_angles(12, 8, 3));
    // A longer vector extends a shorter one (element i depends on i, not on the length).
    const auto b = sample_angles(5, 7, 3);
    CHECK(std::equal(b.begin(), b.end(), a.begin()));
    CHECK(sample_angles(0, 1, 2).empty());
    // Range and rough uniformity over many draws.
    double sum = 0.0, lo = 1e9, hi = -1e9;
    const int n = 4000;
    for (int d = 0; d < n / 4; ++d)
        for (double v : sample_angles(4, 1, static_cast<std::uint64_t>(d), 2.0))
            sum += v, lo = std::min(lo, v), hi = std::max(hi, v);
    CHECK(lo >= 0.0);
    CHECK(hi < 2.0);
    CHECK(sum / n == Approx(1.0).margin(0.03));  // mean of U[0,2): 1 ± 4σ (σ = 0.0091)
    CHECK_THROWS_AS(sample_angles(-1, 0, 0), Error);
}

TEST_CASE("check_analysable rejects input features with a clear message", "[analysis][sampling]") {
    sim::Circuit c(2);
    c.add(GateKind::RY, {0}, {Param::trainable(0)});
    CHECK_NOTHROW(check_analysable(c));
    c.add(GateKind::RX, {1}, {Param::input(0)});
    CHECK_THROWS_WITH(check_analysable(c), Catch::Contains("input feature") && Catch::Contains("encoder"));
}

TEST_CASE("free_angles turns constant rotation angles into new trainables", "[analysis][sampling]") {
    sim::Circuit c(2);
    c.add(GateKind::H, {0});
    c.add(GateKind::RZ, {0}, {Param::trainable(0)});
    c.add(GateKind::RX, {1}, {Param::constant(0.3)});
    c.add(GateKind::CX, {0, 1});
    c.add(GateKind::U3, {1}, {Param::constant(0.1), Param::trainable(0, 2.0), Param::constant(0.2)});
    const sim::Circuit f = free_angles(c);
    REQUIRE(f.ops.size() == c.ops.size());
    CHECK(f.n_trainable == 4);
    CHECK(f.ops[0] == c.ops[0]);  // fixed gates kept
    CHECK(f.ops[1] == c.ops[1]);  // existing trainables keep their index
    CHECK(f.ops[2].params[0] == Param::trainable(1));
    CHECK(f.ops[3] == c.ops[3]);
    CHECK(f.ops[4].params[0] == Param::trainable(2));
    CHECK(f.ops[4].params[1] == Param::trainable(0, 2.0));
    CHECK(f.ops[4].params[2] == Param::trainable(3));
    // Binding the new trainables to the old constants gives back the same state.
    const std::vector<double> theta{0.7, 0.3, 0.1, 0.2};
    const auto a = sim::simulate(c, std::vector<double>{0.7}), b = sim::simulate(f, theta);
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(std::abs(a[i] - b[i]) < 1e-12);
}

TEST_CASE("closed-form gate matrices equal the gate table", "[analysis][sampling]") {
    std::mt19937_64 rng(3);
    int covered = 0;
    for (const auto& g : sim::gate_table()) {
        const auto angles = qnas::test::random_angles(3, rng);
        std::array<sim::cplx, 16> m{};
        if (!detail::closed_form_matrix(g.kind, angles, m)) continue;
        ++covered;
        const sim::Matrix ref =
            sim::gate_matrix(g.kind, std::span<const double>(angles.data(), static_cast<std::size_t>(g.n_params)));
        const auto d = ref.rows();
        double err = 0.0;
        for (Eigen::Index r = 0; r < d; ++r)
            for (Eigen::Index c = 0; c < d; ++c)
                err = std::max(err, std::abs(ref(r, c) - m[static_cast<std::size_t>(r * d + c)]));
        INFO(g.name);
        CHECK(err < 1e-14);
    }
    CHECK(covered == 12);
}

TEST_CASE("the analysis state runner matches the dense reference on random circuits", "[analysis][sampling]") {
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        std::mt19937_64 rng(seed);
        const int n = 1 + static_cast<int>(seed % 5);
        const sim::Circuit c = qnas::test::random_circuit(n, 20, rng, 6, 0, false);
        const auto theta = qnas::test::random_angles(c.n_trainable, rng);
        const detail::StateRunner runner(c);
        sim::State psi;
        runner.run(theta, psi);
        const Eigen::VectorXcd ref = qnas::test::circuit_state(c, theta);
        double err = 0.0;
        for (Eigen::Index i = 0; i < ref.size(); ++i)
            err = std::max(err, std::abs(ref(i) - psi[static_cast<std::size_t>(i)]));
        INFO("seed " << seed);
        CHECK(err < 1e-12);
    }
}

TEST_CASE("sampled fidelities and draws are those of sim::simulate at sample_angles", "[analysis][sampling]") {
    // A circuit reading 3 of its 9 trainables (as a SubCircuit reads a few weight slots), with
    // controlled gates of every kind the runner specialises.
    sim::Circuit c(3);
    c.n_trainable = 9;
    c.add(GateKind::H, {0}).add(GateKind::U3, {1}, {Param::trainable(7), Param::trainable(2), Param::constant(0.4)});
    c.add(GateKind::CU3, {0, 1}, {Param::trainable(2), Param::trainable(4, 0.5), Param::trainable(7)});
    c.add(GateKind::CX, {1, 2}).add(GateKind::CZ, {2, 0}).add(GateKind::CRX, {2, 1}, {Param::trainable(4)});
    c.add(GateKind::CP, {1, 0}, {Param::trainable(2)}).add(GateKind::CY, {0, 2}).add(GateKind::Swap, {0, 2});
    const detail::StateRunner runner(c);
    std::vector<double> theta;
    sim::State psi;
    for (std::uint64_t d = 0; d < 6; ++d) {
        const auto ref = sample_angles(9, 21, d, 3.0);
        runner.draw_angles(21, d, 3.0, theta);
        for (int i : {2, 4, 7}) CHECK(theta[static_cast<std::size_t>(i)] == ref[static_cast<std::size_t>(i)]);
        runner.run(theta, psi);
        const auto want = sim::simulate(c, ref);
        double err = 0.0;
        for (std::size_t i = 0; i < psi.size(); ++i) err = std::max(err, std::abs(psi[i] - want[i]));
        CHECK(err < 1e-12);
    }
}
