// The QuantumNAS pipeline as stages over one run directory (`qnas run` runs them all; `qnas train`,
// `search`, `retrain`, `prune`, `finetune`, `eval`, `export` run one each on the previous stage's
// directory):
//
//   train    SuperCircuit training (supercircuit/trainer.h)      RUN/{metrics.jsonl, checkpoint.json,
//                                                                 train.log, result.json}
//   search   evolutionary co-search of SubCircuit + layout under  RUN/search/{search.jsonl,
//            the device noise model, inherited weights            search_checkpoint.json, result.json}
//   retrain  the winner from scratch, noise-free                  RUN/retrain/{metrics.jsonl, checkpoint.json,
//                                                                 result.json}
//   prune    gate pruning + fine-tuning of the retrained winner   RUN/prune/{metrics.jsonl, checkpoint.json,
//                                                                 result.json}
//   finetune on-chip fine-tuning with probabilistic gradient      RUN/finetune/{curve.jsonl, checkpoint.json,
//            pruning under the device noise (off by default)      result.json}
//   eval     test accuracy noise-free / exact-noisy / shots, gate RUN/eval.json
//            counts, compiled depth, 2-qubit count, success rate
//   export   best.json, best.qasm (logical), best.<device>.qasm   RUN/best.*, RUN/summary.md
//            (compiled), summary.md
//
// RUN/config.json holds the resolved experiment config (experiment_config.h) every stage reads.
// Each stage writes its result.json (or eval.json / best.json) last and atomically, so a stage is
// complete exactly when that file exists; a killed stage resumes from its checkpoint (search: per
// generation; training stages, finetune included: per epoch) to the result of an uninterrupted run. A stage whose
// input is missing fails with one line naming the missing file and the command that makes it.
// Bad configs, devices and data fail before any directory is created or any file is written.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "search/experiment_config.h"

namespace qnas::search {

struct StageOptions {
    int threads = 0;                    // 0: the config's `threads` (0 = all cores)
    std::optional<std::uint64_t> seed;  // overrides the config's seed (run / train only)
    std::string data_dir;               // non-empty: overrides the config's data.dir
    bool resume = false;                // continue an interrupted stage from its checkpoint
    bool force = false;                 // re-run a stage that is already complete
    std::ostream* progress = nullptr;   // progress lines (stderr in the CLI); null: quiet
    int stop_after = 0;                 // tests: stop a stage after this many epochs / generations
};

// The stage names in pipeline order: train, search, retrain, prune, finetune, eval, export.
const std::vector<std::string>& stage_names();

// The file whose existence marks `stage` complete, relative to the run directory
// (result.json, search/result.json, retrain/result.json, prune/result.json, finetune/result.json,
// eval.json, best.json).
std::string stage_result_file(const std::string& stage);

// Checks everything that can be checked without training, reading nothing but the config's
// device and data: the training part (task, space, arch), that it is a classification
// SuperCircuit run (VQE and fixed-circuit runs have nothing to search), search.layout and
// search.arch against the space and the device, eval.baselines against the space, the data
// sources (the splits are loaded once), the device (noise::load_device with data.dir) and its size
// (at least the task's qubits). Errors name `source` and the JSON path.
void validate_experiment(const ExperimentConfig& config, const std::string& source);

// Writes RUN/config.json (the resolved config, with the options' seed/data_dir/threads applied)
// after validate_experiment. Throws qnas::Error before touching the file system on bad input.
void init_run(const ExperimentConfig& config, const std::string& source, const std::string& run_dir,
              const StageOptions& options);

// Loads RUN/config.json (qnas::Error naming it when missing or malformed).
ExperimentConfig load_run_config(const std::string& run_dir);

// `qnas train`: the train stage on a config given directly. Checks the training part only
// (supercircuit::make_train_setup: a train-only run needs no device and may be VQE or a fixed
// circuit), writes RUN/config.json as the resolved experiment config (so `qnas search RUN` and
// `qnas rank RUN` work on the directory), loads the data and trains; result.json (summary +
// weights + best_weights) is written last. Returns the summary (result.json without the weights).
// A run stopped by options.stop_after writes no result.json and returns {"stopped": true, ...}.
nlohmann::json train_run(const ExperimentConfig& config, const std::string& source, const std::string& run_dir,
                         const StageOptions& options);

// One stage on RUN (its inputs: RUN/config.json and the previous stage's result file); returns its
// result JSON (also written to the stage's result file). A complete stage is not re-run (its
// result is returned) unless options.force, which also deletes the outputs of the later stages
// (they were computed from the old result) but not the baselines (they depend on the config
// only). A stage interrupted by options.stop_after returns {"stopped": true, ...} and writes no
// result file. options.seed is ignored (RUN/config.json holds the seed).
//
// Stage semantics:
//  train    as train_run on RUN/config.json.
//  search   SuperCircuit weights from RUN/result.json (search.weights: final or best), candidates
//           scored (search/fitness.h) on search.n_valid_samples validation samples (a seeded subset) under
//           the device's noise model. Modes: co_search (layout + arch, cache key with the layout),
//           noise_unaware (method none, layout fixed to search.layout or the trivial 0..n−1 —
//           that is the layout the winner is evaluated on — and left out of the cache key),
//           fix_layout (search.layout or trivial), fix_arch (search.arch, a gene or a human
//           baseline name; only the layout is searched), random (random search). Fitness seed,
//           routing seed: the config's seed. Result: best gene, layout, arch, n_params, score,
//           metrics, generations, evaluations, cache_hits, seconds.
//  retrain  the winner (fixed_arch_model) from scratch with retrain.epochs / lr / scheduler and the
//           config's batch, seed, Adam; RUN/retrain is the trainer's run directory. Result: final
//           weights and best_weights (maximal valid accuracy: what pruning starts from).
//           retrain.enabled = false: the inherited SuperCircuit weights (search.weights) are
//           passed through as both.
//  prune    prune_and_finetune from the retrain best_weights (prune section; Adam as the config,
//           cosine at prune.lr), RUN/prune the trainer's run directory. Result: weights (final,
//           pruned angles exactly 0), pruned mask, final_ratio. prune.enabled = false: the retrain
//           best_weights pass through with an empty mask.
//  finetune finetune.enabled: train_on_chip (search/gradient_pruning.h) from the prune weights on
//           the prune stage's circuit (encoder + SubCircuit, removed gates out; the pruned angles
//           are frozen as constants, so they stay exactly 0): parameter shift on the device noise
//           model (run's noise_model) on the searched layout with the search's routing, the task's
//           readout groups, finetune.shots, PGP (w_a, w_p, ratio), cosine at finetune.lr, the
//           config's Adam and seed, on seeded subsets of finetune.n_train training and
//           finetune.n_valid validation samples. finetune/curve.jsonl: one line per epoch (epoch,
//           circuit_runs, train_loss, valid_acc); finetune/checkpoint.json after every epoch (the
//           complete OnChipTrainState: --resume continues bit-identically). Result: epochs, shots,
//           pgp, n_train, n_valid, n_angles, circuit_runs, final {train_loss, valid_acc}, weights,
//           pruned (prune's mask), seconds. Disabled (the default): prune's weights and mask pass
//           through, and eval / export read prune/result.json exactly as without the stage.
//  eval     the final logical circuit (encoder + SubCircuit with the gates remove_pruned_gates
//           drops at prune.remove_threshold; fine-tuned weights when finetune is enabled) on the
//           searched layout, score_circuit on a seeded
//           subset of eval.n_test_samples test samples per eval.noise method; plus eval.baselines (human
//           designs trained from scratch with the retrain recipe into RUN/baselines/<name>/, best
//           valid weights) on the trivial layout and on noise_aware_layout. Compiled metrics
//           (depth, 2-qubit gates, swaps, success rate) from compiling with the search's routing
//           options. n_params counts the distinct trainable angles in use that are not pruned.
//  export   RUN/best.json (gene, layout, arch, n_params, weights, pruned, eval — no timings, so a
//           resumed run gives the same bytes), RUN/best.qasm (the logical circuit bound to test
//           sample 0 and the weights, every qubit measured), RUN/best.<device>.qasm (that circuit
//           compiled on the searched layout), RUN/summary.md. With finetune enabled best.json also
//           holds the finetune result (no weights, no seconds) and summary.md a finetune row.
nlohmann::json run_stage(const std::string& stage, const std::string& run_dir, const StageOptions& options);

// validate_experiment; a new run directory is initialised (init_run). An existing one (it has a
// config.json) is an error without options.resume; with it, its config must equal this one
// (data.dir and threads aside) and it continues: complete stages are skipped, interrupted ones
// resume from their checkpoints. Then every stage in order. Returns the export stage's best.json
// (or the {"stopped": true, ...} of a stage stopped by options.stop_after).
nlohmann::json run_pipeline(const ExperimentConfig& config, const std::string& source, const std::string& run_dir,
                            const StageOptions& options);

}  // namespace qnas::search
