#include "supercircuit/adam.h"

#include <cmath>
#include <string>

#include "sim/error.h"

namespace qnas::supercircuit {

AdamState adam_init(std::size_t n_weights) {
    return {std::vector<double>(n_weights, 0.0), std::vector<double>(n_weights, 0.0),
            std::vector<std::int64_t>(n_weights, 0)};
}

void adam_step(std::span<double> weights, std::span<const double> grad, std::span<const int> active, AdamState& state,
               double lr, const AdamOptions& o) {
    const std::size_t n = weights.size();
    if (grad.size() != n || state.m.size() != n || state.v.size() != n || state.steps.size() != n)
        throw Error("adam: weights, gradient and optimizer state differ in size");
    for (const int i : active) {
        if (i < 0 || static_cast<std::size_t>(i) >= n)
            throw Error("adam: active weight index " + std::to_string(i) + " out of range");
        double g = grad[i];
        if (o.weight_decay != 0.0) g += o.weight_decay * weights[i];
        state.m[i] = state.m[i] * o.beta1 + (1.0 - o.beta1) * g;
        state.v[i] = state.v[i] * o.beta2 + (1.0 - o.beta2) * g * g;
        const std::int64_t t = ++state.steps[i];
        const double bias1 = 1.0 - std::pow(o.beta1, static_cast<double>(t));
        const double bias2 = 1.0 - std::pow(o.beta2, static_cast<double>(t));
        const double step_size = lr / bias1;
        const double denom = std::sqrt(state.v[i]) / std::sqrt(bias2) + o.eps;
        weights[i] -= step_size * (state.m[i] / denom);
    }
}

}  // namespace qnas::supercircuit
