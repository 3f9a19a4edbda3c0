#include "sim/spsa.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "sim/error.h"

using namespace qnas;
using namespace qnas::sim;

namespace {

// A smooth test function with a known gradient.
double f(std::span<const double> t) {
    double v = 0.0;
    for (std::size_t i = 0; i < t.size(); ++i) v += (0.5 + 0.1 * static_cast<double>(i)) * std::sin(t[i]);
    for (std::size_t i = 0; i + 1 < t.size(); ++i) v += 0.3 * t[i] * t[i + 1];
    return v;
}

Eigen::VectorXd grad_f(std::span<const double> t) {
    const std::size_t n = t.size();
    Eigen::VectorXd g(static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i) {
        double v = (0.5 + 0.1 * static_cast<double>(i)) * std::cos(t[i]);
        if (i + 1 < n) v += 0.3 * t[i + 1];
        if (i > 0) v += 0.3 * t[i - 1];
        g[static_cast<Eigen::Index>(i)] = v;
    }
    return g;
}

}  // namespace

TEST_CASE("SPSA is deterministic for a seed and uses Rademacher directions", "[spsa]") {
    const std::vector<double> theta{0.1, -0.4, 1.2, 0.7};
    const auto a = spsa_gradient(theta, 0.01, 5, f, 3);
    const auto b = spsa_gradient(theta, 0.01, 5, f, 3);
    CHECK((a.array() == b.array()).all());
    CHECK((a.array() != spsa_gradient(theta, 0.01, 6, f, 3).array()).any());
    const auto d = spsa_direction(1000, 1, 0);
    CHECK((d.array().abs() == 1.0).all());
    CHECK(std::abs(d.sum()) < 5 * std::sqrt(1000.0));  // balanced signs
    int evals = 0;
    (void)spsa_gradient(
        theta, 0.1, 1,
        [&](std::span<const double> t) {
            ++evals;
            return f(t);
        },
        4);
    CHECK(evals == 8);
    CHECK_THROWS_AS(spsa_gradient(theta, 0.0, 1, f), Error);
    CHECK_THROWS_AS(spsa_gradient(theta, 0.1, 1, f, 0), Error);
}

TEST_CASE("the mean of many SPSA estimates converges to the gradient", "[spsa]") {
    // For a smooth f, ĝ_i = Δ_i Δ·∇f + O(c²) = ∂_i f + Σ_{j≠i} Δ_i Δ_j ∂_j f + O(c²), so the mean of N
    // independent estimates has standard deviation sqrt(Σ_{j≠i} (∂_j f)² / N) per component.
    const std::vector<double> theta{0.3, -1.1, 0.8, 2.0, -0.2, 0.5};
    const Eigen::VectorXd g = grad_f(theta);
    const int N = 4000;
    const double c = 1e-3;
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(6);
    for (int s = 0; s < N; ++s) mean += spsa_gradient(theta, c, static_cast<std::uint64_t>(s), f);
    mean /= N;
    for (Eigen::Index i = 0; i < 6; ++i) {
        const double sigma = std::sqrt((g.squaredNorm() - g[i] * g[i]) / N);
        INFO("component " << i << " mean " << mean[i] << " true " << g[i] << " sigma " << sigma);
        CHECK(std::abs(mean[i] - g[i]) <= 5 * sigma + 1e-5);  // 1e-5 ≫ the O(c²) bias
    }
    // And with one resampling of the same direction the estimate is exact along Δ.
    const auto one = spsa_gradient(theta, c, 9, f);
    const auto d = spsa_direction(6, 9, 0);
    CHECK(one.dot(d) / 6.0 == Approx(g.dot(d)).epsilon(1e-5));
}

TEST_CASE("Spall gain sequences", "[spsa]") {
    SpsaGains gains;
    gains.a = 0.5;
    gains.c = 0.2;
    gains.A = 10;
    CHECK(gains.learning_rate(0) == Approx(0.5 / std::pow(11.0, 0.602)));
    CHECK(gains.learning_rate(5) == Approx(0.5 / std::pow(16.0, 0.602)));
    CHECK(gains.perturbation(0) == Approx(0.2));
    CHECK(gains.perturbation(9) == Approx(0.2 / std::pow(10.0, 0.101)));
}
