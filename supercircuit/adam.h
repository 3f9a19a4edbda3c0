// PyTorch's Adam (torch.optim.Adam, amsgrad off) for the shared SuperCircuit weights, with one step
// count per weight: a step updates only the weights listed in `active`. With torch ≥ 2.0 the inactive
// gates of a SubCircuit have grad None and Adam skips them (the trainer's default: active = the
// SubCircuit's weights); with torch < 2.0, which QuantumNAS ran, zero_grad() left zero gradients and
// Adam kept stepping them (AdamOptions::step_inactive).
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
    // The trainer also steps weights outside the step's SubCircuit once they have had a gradient, with
    // gradient 0 (+ weight decay): what torch < 2.0's zero_grad() (zeroed grads, not None) made
    // QuantumNAS's SuperCircuit trainer do. Off: only the SubCircuit's weights move (torch ≥ 2.0).
    bool step_inactive = false;
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
