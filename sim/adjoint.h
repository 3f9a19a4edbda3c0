// Adjoint differentiation on the batched simulator: the training path. One forward sweep per tile,
// a per-sample loss callback that turns the expectations into dL/d⟨P_k⟩, then one reverse sweep
// that undoes each gate on ψ and on b = Σ_k w_k P_k ψ while accumulating, per trainable op,
// R = Σ_rest ψ_prev b† over the untouched qubits; ∂L/∂angle_j = 2·Re Tr(∂U/∂angle_j · R) gives all
// of an op's angles from that one pass. The sweep stops at the first trainable op (the encoder in
// front is never undone). Exact for every gate in the table; not for noisy (non-unitary) circuits —
// use parameter_shift.h there.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/batch_simulator.h"

namespace qnas::sim {

// Loss of one sample from its K expectations; writes dL/d⟨P_k⟩ into `dloss_dexpectations` (K
// values, zeroed on entry) and returns the loss. Called concurrently from worker threads for
// different samples: it must not write shared state except at the sample's own index.
using SampleLoss = std::function<double(std::int64_t sample, std::span<const double> expectations,
                                        std::span<double> dloss_dexpectations)>;

// Σ_samples loss and its gradient w.r.t. θ (written to grad_out, size n_trainable), summed over
// the batch. If `expectations_out` is given it receives the B × K expectations of the forward
// pass. Bit-identical for any thread count (per-tile partials reduced in tile order).
double value_and_grad(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                      std::int64_t batch, const SampleLoss& loss, std::span<double> grad_out,
                      const BatchOptions& opts = {}, Eigen::MatrixXd* expectations_out = nullptr);

// NLL of log_softmax over the K expectations (TorchQuantum's classifier loss, the expectations are
// the logits), per sample, times `scale` (pass 1/B for a batch mean). Labels must be in 0..K−1.
SampleLoss nll_log_softmax_loss(std::vector<int> labels, double scale = 1.0);

// The same loss in scalar form, for tests and references: returns the loss and fills dL/dE.
double nll_log_softmax(std::span<const double> logits, int label, std::span<double> dlogits, double scale = 1.0);

}  // namespace qnas::sim
