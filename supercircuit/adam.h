// PyTorch's Adam (torch.optim.Adam, amsgrad off) for the shared SuperCircuit weights, with one step
// count per weight: a step updates only the weights the step's SubCircuit uses. In TorchQuantum the
// inactive gates get no gradient and torch's Adam skips parameters whose grad is None, so inactive
// weights keep their value, moments and bias-correction step — mirrored here by `active`.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace qnas::supercircuit {

struct AdamOptions {
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0.0;  // L2: added to the gradient (torch's Adam, not AdamW)
};

struct AdamState {
    std::vector<double> m;            // first moment (exp_avg)
    std::vector<double> v;            // second moment (exp_avg_sq)
    std::vector<std::int64_t> steps;  // per-weight step count (bias correction)
};

AdamState adam_init(std::size_t n_weights);

// One step at learning rate `lr` on the weights listed in `active` (any order, no repeats):
//   g = grad + wd·w;  m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  t += 1
//   w −= (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + eps)
// in torch's operation order. Throws qnas::Error on size mismatches or an index out of range.
void adam_step(std::span<double> weights, std::span<const double> grad, std::span<const int> active, AdamState& state,
               double lr, const AdamOptions& options);

}  // namespace qnas::supercircuit
