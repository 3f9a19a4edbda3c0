// Quantum gate pruning (quantumnas.md §4): global magnitude pruning of a trained circuit's angles
// with fine-tuning. Every trainable angle is wrapped to (−π, π]; before every epoch e (0-based,
// i.e. after the previous one) the fraction r(e) = r₀ + (r_T − r₀)·(1 − (1 − t/T)^p)
// (t = e − start, clamped to [0, T]; tfmot's PolynomialDecay, p = 3) of the smallest |θ| is set to
// 0 and frozen for that epoch (no Adam update: it stays exactly 0); pruned angles stay pruned
// (they are the smallest at the next recomputation, as r never decreases). Fine-tuning uses the
// trainer (trainer.h, TrainOptions::initial_weights and before_epoch) with Adam lr 2e-3, wd 1e-4,
// cosine, 200 epochs by default. At export a gate whose angles are all within `remove_threshold`
// of 0 mod 2π is dropped when it is the identity up to a phase there (not for a controlled
// rotation at an odd multiple of 2π, which is a Z on its control: such gates are kept).
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "sim/circuit.h"
#include "supercircuit/dataset.h"
#include "supercircuit/schedule.h"
#include "supercircuit/trainer.h"

namespace qnas::search {

struct GatePruningOptions {
    double initial_ratio = 0.05;  // r₀
    double target_ratio = 0.1;    // r_T (QuantumNAS: 0.1 … 0.5)
    int start_epoch = 0;
    int end_epoch = 100;  // T = end_epoch − start_epoch
    double power = 3.0;
    double remove_threshold = 1e-3;
    // Fine-tuning recipe (epochs, lr 2e-3, wd 1e-4, cosine, batch, seed, threads, run_dir/resume,
    // progress). Its schedule and Adam defaults are set by default_gate_pruning_options();
    // train.initial_weights and train.before_epoch are overwritten by prune_and_finetune.
    supercircuit::TrainOptions train;
};
GatePruningOptions default_gate_pruning_options();

// r(epoch) as above (epochs before start_epoch: 0).
double pruning_ratio(const GatePruningOptions& o, int epoch);

// θ wrapped to (−π, π].
double wrap_angle(double theta);

// The indices among `prunable` to prune at `ratio`: the floor(ratio · |prunable|) smallest |wrap(θ)|,
// ties broken by index (deterministic); returned ascending. The floor forgives 1e-9 of rounding
// (0.3 · 10 prunes 3).
std::vector<int> magnitude_prune_set(std::span<const double> theta, std::span<const int> prunable, double ratio);

struct GatePruningResult {
    std::vector<double> weights;  // after the last epoch (pruned angles exactly 0)
    std::vector<char> pruned;     // per weight: pruned at the last epoch
    double final_ratio = 0.0;
    std::vector<nlohmann::json> metrics;  // per epoch: the trainer's fields + ratio, n_pruned
};

// Fine-tunes a fixed-circuit model (train_model.h fixed_arch_model / fixed_circuit_model) from
// `weights` while pruning its active angles (the trainable indices its circuit reads). Resumable
// like the trainer (checkpoint per epoch; the mask is recomputed from the restored weights).
GatePruningResult prune_and_finetune(const supercircuit::TrainModel& model, const supercircuit::Splits& data,
                                     std::vector<double> weights, const GatePruningOptions& options);

// The circuit with every gate whose trainable angles (all of them trainable, none reading an
// input) are within `threshold` of 0 mod 2π removed; other ops kept in order.
sim::Circuit remove_pruned_gates(const sim::Circuit& c, std::span<const double> theta, double threshold);

}  // namespace qnas::search
