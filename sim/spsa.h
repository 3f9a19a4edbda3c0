// SPSA (Spall's simultaneous-perturbation stochastic approximation): a two-evaluation gradient
// estimate for any scalar loss, the cheap baseline next to parameter shift on noisy devices.
// Seeded and counter-based: the estimate is a pure function of (θ, c, seed, loss).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <span>

namespace qnas::sim {

using ScalarLoss = std::function<double(std::span<const double> theta)>;

// ĝ = (1/R) Σ_{r<R} (y(θ + cΔ_r) − y(θ − cΔ_r)) / (2c) · Δ_r with Rademacher Δ_r ∈ {−1, +1}^p drawn
// from (seed, r). Makes 2·resamplings loss evaluations. Throws qnas::Error if c ≤ 0 or
// resamplings < 1.
Eigen::VectorXd spsa_gradient(std::span<const double> theta, double c, std::uint64_t seed, const ScalarLoss& loss,
                              int resamplings = 1);

// The perturbation direction Δ_r used by spsa_gradient (exposed for tests).
Eigen::VectorXd spsa_direction(std::size_t n, std::uint64_t seed, int resampling);

// Spall's gain sequences (k counts from 0): a_k = a / (A + k + 1)^α, c_k = c / (k + 1)^γ, with the
// practical exponents α = 0.602, γ = 0.101 and A ≈ 10 % of the planned iterations.
struct SpsaGains {
    double a = 0.1;
    double c = 0.2;
    double A = 0.0;
    double alpha = 0.602;
    double gamma = 0.101;
    double learning_rate(int k) const;
    double perturbation(int k) const;
};

}  // namespace qnas::sim
