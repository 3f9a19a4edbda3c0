#include "sim/spsa.h"

#include <cmath>
#include <vector>

#include "sim/error.h"
#include "sim/random.h"

namespace qnas::sim {

Eigen::VectorXd spsa_direction(std::size_t n, std::uint64_t seed, int resampling) {
    Eigen::VectorXd d(static_cast<Eigen::Index>(n));
    const std::uint64_t key = mix64(mix64(seed) ^ static_cast<std::uint64_t>(resampling));
    for (std::size_t i = 0; i < n; ++i) d[static_cast<Eigen::Index>(i)] = (mix64(key ^ mix64(i)) >> 63) ? 1.0 : -1.0;
    return d;
}

Eigen::VectorXd spsa_gradient(std::span<const double> theta, double c, std::uint64_t seed, const ScalarLoss& loss,
                              int resamplings) {
    if (!(c > 0.0)) throw Error("spsa: perturbation c must be positive");
    if (resamplings < 1) throw Error("spsa: resamplings must be at least 1");
    const std::size_t n = theta.size();
    Eigen::VectorXd g = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
    std::vector<double> plus(n), minus(n);
    for (int r = 0; r < resamplings; ++r) {
        const Eigen::VectorXd d = spsa_direction(n, seed, r);
        for (std::size_t i = 0; i < n; ++i) {
            plus[i] = theta[i] + c * d[static_cast<Eigen::Index>(i)];
            minus[i] = theta[i] - c * d[static_cast<Eigen::Index>(i)];
        }
        const double diff = loss(plus) - loss(minus);
        g += (diff / (2.0 * c)) * d;
    }
    return g / static_cast<double>(resamplings);
}

double SpsaGains::learning_rate(int k) const { return a / std::pow(A + k + 1, alpha); }
double SpsaGains::perturbation(int k) const { return c / std::pow(k + 1, gamma); }

}  // namespace qnas::sim
