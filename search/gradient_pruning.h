// Probabilistic gradient pruning (QOC; training_and_metrics.md §1.4, the clean specification, not
// the reference code's bugs) for on-chip training: every gradient is a parameter-shift gradient
// (sim/parameter_shift.h) whose circuits run on the noisy device simulation with shots
// (noise/noisy_batch.h), so its error does not shrink with the gradient. Steps are grouped into
// windows: w_a accumulation steps (every angle shifted, |g| summed into M; M reset at the start
// of each window) then w_p pruning steps (only k = max(1, floor((1 − r)·n)) angles shifted, drawn
// without replacement with weights M_i + ε — Efraimidis–Spirakis keys u^{1/w}, the k largest; the
// others get gradient 0). r = 0 is plain parameter-shift training, bit for bit.
//
// Cost accounting (§1.5): a step costs 1 + (number of shifted-circuit evaluations) circuit runs
// per sample of the batch (2 per two-term angle, 4 per four-term angle such as cu3's θ); the
// result counts them so curves can be plotted against circuit runs.
//
// Determinism: every evaluation (the forward run and each shifted circuit) gets its own shot seed,
// a pure function of (seed, step, evaluation index); the subset draw of step t uses the stream
// (seed, OnChip, 2t); epoch e's shuffle is the trainer's (seed, Shuffle, e). n counts the angles
// the circuit reads; floor((1 − r)·n) forgives 1e-9 of rounding.
//
// Resumption (the pipeline's finetune stage): OnChipTrainOptions::after_epoch sees the complete
// state after every epoch (OnChipTrainState: weights, Adam moments, the global step — which fixes
// the PGP window position and every stream — the accumulator M, the curve and the run count) and
// may stop the run; OnChipTrainOptions::resume continues from such a state bit-identically.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "noise/calibration.h"
#include "noise/compile.h"
#include "noise/noise_model.h"
#include "sim/circuit.h"
#include "supercircuit/adam.h"
#include "supercircuit/dataset.h"
#include "supercircuit/rng.h"
#include "supercircuit/schedule.h"

namespace qnas::search {

enum class PrunedUpdate { ZeroGrad, Freeze };  // TQ semantics (zero gradient into Adam) or skip the update

struct PgpOptions {
    int accumulation_window = 1;  // w_a ≥ 1
    int pruning_window = 2;       // w_p ≥ 0
    double ratio = 0.5;           // r ∈ [0, 1); 0 = plain parameter shift
    double floor = 0.01;          // ε
    PrunedUpdate pruned_update = PrunedUpdate::ZeroGrad;
};

// k distinct indices in [0, weights.size()) drawn without replacement with probability
// proportional to `weights` (all > 0), by Efraimidis–Spirakis keys; returned ascending.
std::vector<int> weighted_sample_without_replacement(std::span<const double> weights, int k,
                                                     supercircuit::CounterRng& rng);

struct OnChipPoint {
    int epoch = 0;
    std::int64_t circuit_runs = 0;  // cumulative, in circuits (runs × samples)
    double train_loss = 0.0;
    double valid_accuracy = 0.0, test_accuracy = 0.0;  // evaluated the same way as training (noisy, shots)
};

// Everything a continuation needs, as it stands after `epochs_done` epochs.
struct OnChipTrainState {
    int epochs_done = 0;
    std::uint64_t step = 0;  // global step count (PGP window position: step mod (w_a + w_p))
    std::vector<double> weights;
    supercircuit::AdamState adam;
    std::vector<double> accumulator;  // PGP's M, one entry per angle the circuit reads (ascending)
    std::vector<OnChipPoint> curve;
    std::int64_t circuit_runs = 0;
};

struct OnChipTrainOptions {
    int epochs = 15;
    int batch_size = 25;
    // Cosine from lr 0.05 (TorchQuantum's PGP example); n_epochs is taken from `epochs`.
    supercircuit::Schedule schedule{supercircuit::ScheduleKind::Cosine, 0.05};
    supercircuit::AdamOptions adam{0.9, 0.999, 1e-8, 1e-4};
    PgpOptions pgp;
    bool noisy = true;        // false: exact noise-free expectations (tests)
    int shots = 8192;         // 0: exact noisy expectations
    std::vector<int> layout;  // logical → physical; empty: trivial
    noise::CompileOptions compile;
    std::vector<std::vector<int>> readout_groups;  // empty: one per qubit
    std::uint64_t seed = 42;                       // init (when no weights given), shuffles, sampling, shots
    std::ostream* progress = nullptr;
    // Set: continue from this state (the `weights` argument is then ignored); it must come from a
    // run with the same circuit, data and options.
    const OnChipTrainState* resume = nullptr;
    // Called after every epoch (e.g. to checkpoint); returning false stops the run there.
    std::function<bool(const OnChipTrainState&)> after_epoch;
};

struct OnChipTrainResult {
    std::vector<double> weights;
    std::vector<OnChipPoint> curve;  // one point per epoch done (resumed ones included)
    std::int64_t circuit_runs = 0;
    int epochs_done = 0;  // < options.epochs when after_epoch stopped the run
};

// One gradient of the batch's mean NLL (log_softmax over the readout groups of summed ⟨Z⟩) at θ, as
// train_on_chip measures it: the forward run, then sim::parameter_shift_gradient over `selected`
// (empty: every angle), every run on the device simulation with options.shots (or exact when
// !options.noisy). `step` keys the shot seeds. x holds labels.size() rows of n_inputs values.
struct OnChipGradient {
    double loss = 0.0;
    std::vector<double> grad;      // n_trainable entries, 0 outside `selected`
    std::vector<char> hit;         // per sample: the forward run's prediction was right
    std::int64_t evaluations = 0;  // batch evaluations: 1 forward + the shifted ones
};
OnChipGradient on_chip_gradient(const sim::Circuit& logical, std::span<const double> theta, std::span<const double> x,
                                std::span<const int> labels, std::span<const int> selected, const noise::Device& device,
                                const noise::NoiseModel& model, const OnChipTrainOptions& options, std::uint64_t step);

// Trains `logical` (encoder + trainable circuit) on data.train from `weights` (empty: U(−π, π)
// from the seed, as the trainer) by parameter shift on the device (or noise-free), with PGP as
// configured. Valid/test accuracy after every epoch is measured the same way (shots included);
// an empty valid or test set scores 0.
OnChipTrainResult train_on_chip(const sim::Circuit& logical, std::vector<double> weights,
                                const supercircuit::Splits& data, const noise::Device& device,
                                const noise::NoiseModel& model, const OnChipTrainOptions& options);

}  // namespace qnas::search
