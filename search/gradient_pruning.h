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
#pragma once

#include <cstdint>
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
};

struct OnChipPoint {
    int epoch = 0;
    std::int64_t circuit_runs = 0;  // cumulative, in circuits (runs × samples)
    double train_loss = 0.0;
    double valid_accuracy = 0.0, test_accuracy = 0.0;  // evaluated the same way as training (noisy, shots)
};

struct OnChipTrainResult {
    std::vector<double> weights;
    std::vector<OnChipPoint> curve;  // one point per epoch
    std::int64_t circuit_runs = 0;
};

// Trains `logical` (encoder + trainable circuit) on data.train from `weights` by parameter shift
// on the device (or noise-free), with PGP as configured.
OnChipTrainResult train_on_chip(const sim::Circuit& logical, std::vector<double> weights,
                                const supercircuit::Splits& data, const noise::Device& device,
                                const noise::NoiseModel& model, const OnChipTrainOptions& options);

}  // namespace qnas::search
