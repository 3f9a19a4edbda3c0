#include "analysis/barren_plateau.h"

#include <cmath>
#include <numbers>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/reference_circuits.h"
#include "analysis/sampling.h"
#include "sim/error.h"
#include "sim/statevector.h"

using namespace qnas;
using sim::GateKind;
using sim::Param;

namespace {

// ⟨Z₀Z₁⟩ by the general simulator (sim/statevector.h), independent of the plateau kernels.
double zz(const sim::Circuit& c, const std::vector<double>& theta) {
    return sim::expectation(sim::simulate(c, theta), sim::PauliTerm::from_label("ZZ"));
}

double central_difference(const sim::Circuit& c, std::vector<double> theta, int k) {
    const double h = 1e-5, t = theta[static_cast<std::size_t>(k)];
    theta[static_cast<std::size_t>(k)] = t + h;
    const double up = zz(c, theta);
    theta[static_cast<std::size_t>(k)] = t - h;
    return (up - zz(c, theta)) / (2 * h);
}

}  // namespace

TEST_CASE("McClean variance closed form 2^n / (3(4^n - 1))") {
    CHECK(analysis::mcclean_variance_prediction(2) == Approx(4.0 / 45.0).epsilon(1e-14));
    CHECK(analysis::mcclean_variance_prediction(4) == Approx(16.0 / 765.0).epsilon(1e-14));
    CHECK(analysis::mcclean_variance_prediction(8) == Approx(1.302e-3).epsilon(1e-3));
}

TEST_CASE("zz_gradient equals central finite differences") {
    SECTION("a McClean circuit, several trainables") {
        const sim::Circuit c = analysis::mcclean_circuit(4, 6, 3, 11);
        const auto theta = analysis::sample_angles(c.n_trainable, 5, 0);
        for (int k : {0, 1, 7, c.n_trainable - 1})
            CHECK(analysis::zz_gradient(c, theta, k) == Approx(central_difference(c, theta, k)).margin(1e-7));
    }
    SECTION("dense and 3-qubit gates, a trainable read twice with scales") {
        sim::Circuit c(3);
        c.add(GateKind::H, {0})
            .add(GateKind::U3, {1}, {Param::trainable(0), Param::trainable(1), Param::trainable(2)})
            .add(GateKind::CU3, {0, 2}, {Param::trainable(1, 0.5), Param::trainable(3), Param::constant(0.3)})
            .add(GateKind::CRX, {2, 1}, {Param::trainable(0, -2.0)})
            .add(GateKind::CCX, {1, 2, 0})
            .add(GateKind::RZZ, {0, 1}, {Param::trainable(1)})
            .add(GateKind::RY, {2}, {Param::trainable(3)});
        const std::vector<double> theta{0.4, 1.3, -0.8, 2.2};
        for (int k = 0; k < 4; ++k)
            CHECK(analysis::zz_gradient(c, theta, k) == Approx(central_difference(c, theta, k)).margin(1e-7));
    }
}

// training_and_metrics.md §6.3: n = 2…8, L = 100, 2000 circuits.
TEST_CASE("McClean barren plateau: variances follow 2^n / (3(4^n - 1))") {
    analysis::PlateauOptions o;
    o.qubits = {2, 3, 4, 5, 6, 7, 8};
    o.layers = 100;
    o.circuits = 2000;
    o.seed = 2018;
    const analysis::PlateauResult r = analysis::mcclean_plateau(o);
    REQUIRE(r.points.size() == 7);
    for (const auto& p : r.points) {
        INFO("n = " << p.n_qubits << ", variance " << p.variance << ", mean " << p.mean);
        CHECK(p.predicted == analysis::mcclean_variance_prediction(p.n_qubits));
        CHECK(std::abs(p.variance / p.predicted - 1.0) < 0.12);
        // Mean 0: §6.3's |mean| < 0.01 is 1.5 standard errors of the mean at n = 2 and 2.2 at n = 3
        // (s.e. = √(variance / 2000)), so it would fail for ~1 seed in 7 there; those two get a
        // 4-standard-error bound instead, every n at least that.
        CHECK(std::abs(p.mean) < 4.0 * std::sqrt(p.variance / 2000.0));
        if (p.n_qubits >= 4) CHECK(std::abs(p.mean) < 0.01);
        CHECK(p.std_error == Approx(p.variance * std::sqrt(2.0 / 1999.0)));
    }
    INFO("ln slope " << r.ln_slope);
    CHECK(r.ln_slope >= -0.76);
    CHECK(r.ln_slope <= -0.64);
}

TEST_CASE("gradient_variance of a family with a known variance, and its errors") {
    // E = cos θ₀ · (cos θ₁ …): ∂E/∂θ₀ = −sin θ₀ cos θ₁ whatever n is, so Var = E[sin²]E[cos²] = 1/4
    // for uniform angles, the mean is 0 and the ln-slope is 0.
    const auto family = [](int n) {
        sim::Circuit c(n);
        for (int q = 0; q < n; ++q) c.add(GateKind::RY, {q}, {Param::trainable(q)});
        return c;
    };
    analysis::PlateauOptions o;
    o.qubits = {2, 3, 4};
    o.circuits = 4000;
    o.seed = 9;
    const auto r = analysis::gradient_variance(family, o);
    for (const auto& p : r.points) {
        CHECK(p.variance == Approx(0.25).epsilon(0.06));
        CHECK(std::abs(p.mean) < 0.03);
        CHECK(p.predicted == 0.0);
    }
    CHECK(std::abs(r.ln_slope) < 0.05);

    CHECK_THROWS_AS(analysis::gradient_variance(family, o, 7), Error);  // not read by a 2-qubit circuit
    o.circuits = 1;
    CHECK_THROWS_AS(analysis::gradient_variance(family, o), Error);
    o.circuits = 10;
    o.qubits = {1};
    CHECK_THROWS_AS(analysis::mcclean_plateau(o), Error);
    o.qubits = {2};
    const auto with_input = [](int n) {
        sim::Circuit c(n);
        c.add(GateKind::RY, {0}, {Param::input(0)}).add(GateKind::RY, {1}, {Param::trainable(0)});
        return c;
    };
    CHECK_THROWS_AS(analysis::gradient_variance(with_input, o), Error);
}
