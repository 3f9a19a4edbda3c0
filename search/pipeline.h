// The QuantumNAS pipeline as stages over one run directory (`qnas run` runs them all; `qnas train`,
// `search`, `retrain`, `prune`, `eval`, `export` run one each on the previous stage's directory):
//
//   train    SuperCircuit training (supercircuit/trainer.h)      RUN/{metrics.jsonl, checkpoint.json,
//                                                                 train.log, result.json}
//   search   evolutionary co-search of SubCircuit + layout under  RUN/search/{search.jsonl,
//            the device noise model, inherited weights            search_checkpoint.json, result.json}
//   retrain  the winner from scratch, noise-free                  RUN/retrain/{metrics.jsonl, checkpoint.json,
//                                                                 result.json}
//   prune    gate pruning + fine-tuning of the retrained winner   RUN/prune/{metrics.jsonl, checkpoint.json,
//                                                                 result.json}
//   eval     test accuracy noise-free / exact-noisy / shots, gate RUN/eval.json
//            counts, compiled depth, 2-qubit count, success rate
//   export   best.json, best.qasm (logical), best.<device>.qasm   RUN/best.*, RUN/summary.md
//            (compiled), summary.md
//
// RUN/config.json holds the resolved experiment config (experiment_config.h) every stage reads.
// Each stage writes its result.json (or eval.json / best.json) last and atomically, so a stage is
// complete exactly when that file exists; a killed stage resumes from its checkpoint (search: per
// generation; training stages: per epoch) to the result of an uninterrupted run. A stage whose
// input is missing fails with one line naming the missing file and the command that makes it.
// Bad configs, devices and data fail before any directory is created or any file is written.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

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

// The stage names in pipeline order.
const std::vector<std::string>& stage_names();

// Writes RUN/config.json (the resolved config, with the options' seed/data_dir applied) after
// validating everything that can be checked without training (task, space, device, data files,
// layout bounds). Throws qnas::Error before touching the file system on bad input.
void init_run(const ExperimentConfig& config, const std::string& run_dir, const StageOptions& options);

// Loads RUN/config.json (qnas::Error naming it when missing or malformed).
ExperimentConfig load_run_config(const std::string& run_dir);

// One stage; returns its result JSON (also written to the stage's result file). A complete stage
// is not re-run (its result is returned) unless options.force.
nlohmann::json run_stage(const std::string& stage, const std::string& run_dir, const StageOptions& options);

// init_run, then every stage in order (complete ones skipped), then summary.md. Returns the
// export stage's best.json.
nlohmann::json run_pipeline(const ExperimentConfig& config, const std::string& run_dir, const StageOptions& options);

}  // namespace qnas::search
