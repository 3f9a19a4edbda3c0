// Parameter-shift gradients: the on-device / noisy-simulator path. Works with any expectation
// evaluator (exact batch simulator, shot-sampled, noisy density matrix), because each shifted
// circuit is just another circuit to evaluate: every occurrence of a trainable angle is shifted on
// its own (its op's Param::offset), using the gate table's rule for that angle (two-term ±π/2, or
// four-term for crx/cry/crz and cu3's θ), and the chain rule through Param::scale sums the
// occurrences. Exact whenever the noise does not depend on θ.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/batch_simulator.h"
#include "sim/circuit.h"

namespace qnas::sim {

// Returns B × K expectations of a circuit (the batch and observables are the evaluator's business).
using ExpectationEvaluator = std::function<Eigen::MatrixXd(const Circuit&)>;

struct ParameterShiftResult {
    Eigen::VectorXd grad;            // dL/dθ, size n_trainable (0 for indices not selected)
    std::int64_t n_evaluations = 0;  // calls of `evaluate` (each one a whole batch), for cost accounting
};

// dL/dθ_i = Σ_{occurrences of θ_i} scale · Σ_t c_t · Σ_{b,k} W(b,k) · E_t(b,k), where E_t are the
// expectations with that occurrence's angle shifted by s_t and W = dL/dE at θ (B × K).
// `selected`: the trainable indices to differentiate (empty = all); the others get 0 and cost
// nothing. Occurrences with scale 0 are skipped. Throws qnas::Error on a bad index or an evaluator
// result whose shape differs from W.
ParameterShiftResult parameter_shift_gradient(const Circuit& c, const Eigen::MatrixXd& W,
                                              const ExpectationEvaluator& evaluate, std::span<const int> selected = {});

// The exact (noise-free) evaluator: compiles each circuit for the batch simulator with these
// observables (empty: ⟨Z_q⟩ per qubit) and runs it on X (B × n_inputs, row-major) at θ. Copies
// its arguments.
ExpectationEvaluator batch_evaluator(std::vector<PauliTerm> observables, std::vector<double> theta,
                                     std::vector<double> X, std::int64_t batch, BatchOptions opts = {});

// Number of evaluations parameter_shift_gradient will make for these indices (no evaluation).
std::int64_t parameter_shift_cost(const Circuit& c, std::span<const int> selected = {});

}  // namespace qnas::sim
