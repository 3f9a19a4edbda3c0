// The JSON configuration of a whole QuantumNAS experiment (`qnas run`, and every stage command on
// its run directory): the training keys of `qnas train` (supercircuit/train_config.h) at the top
// level, plus a device and one section per pipeline stage — search, retrain, prune, finetune, eval. Every
// key is optional with QuantumNAS's setting as the default (quantumnas.md §3, §4, §8); unknown keys
// and wrong types are one-line errors naming the file and the JSON path. The resolved config (all
// defaults filled in) is what a run directory keeps, so a stage run later reads exactly the
// settings the earlier stages used.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "noise/noise_model.h"
#include "supercircuit/train_config.h"

namespace qnas::search {

// search.proxies (search/proxies.h): PQC-analysis filters and score terms, off by default.
struct ProxyConfig {
    std::optional<double> expressibility_max;  // filters; nullopt (JSON null): off
    std::optional<double> entanglement_min;
    std::optional<double> success_rate_min;
    double expressibility = 0.0;  // weights, each in [0, 1000]
    double entanglement = 0.0;
    double success_rate = 0.0;
    int pairs = 2000;        // expressibility fidelity pairs
    int samples = 2000;      // entangling-capability states
    std::uint64_t seed = 0;  // analysis sample_angles seed

    bool active() const;
    bool needs_expressibility() const { return expressibility_max.has_value() || expressibility != 0.0; }
    bool needs_entanglement() const { return entanglement_min.has_value() || entanglement != 0.0; }
};

struct SearchConfig {
    // co_search (layout + arch, the paper's), noise_unaware (noise-free loss, layout ignored),
    // fix_layout (arch only, on `layout`), fix_arch (layout only, for `arch`), random (random search).
    std::string mode = "co_search";
    int population = 40, parents = 10, mutants = 20, crossovers = 10, iterations = 40;
    double mutation_prob = 0.4;
    int n_valid_samples = 500;    // a seeded subset of N validation samples scores a candidate
    std::string noise = "exact";  // none | exact | shots | trajectories
    std::string score = "loss";   // loss | loss_succ | acc_succ (search/fitness.h)
    int shots = 8192, trajectories = 200;
    std::string weights = "final";    // inherited SuperCircuit weights: final | best (best valid)
    std::vector<int> layout;          // fix_layout's layout (empty: 0, 1, …, n−1)
    nlohmann::json arch = "param36";  // fix_arch's gene or human baseline name
    int routing_trials = 1;
    bool optimize = true;  // peephole optimisation after lowering (noise/optimize.h)
    // Parameter budget of the searched SubCircuit (count_params), 0 = no bound on that side:
    // candidates outside [min_params, max_params] are never drawn (search/gene_space.h param_budget).
    int min_params = 0, max_params = 0;
    ProxyConfig proxies;
};

struct RetrainConfig {
    bool enabled = true;
    int epochs = 200;  // QuantumNAS: from scratch, 200 epochs, plain cosine
    double lr = 5e-3;
    std::string scheduler = "cosine";
};

struct PruneConfig {
    bool enabled = true;
    double initial_ratio = 0.05, target_ratio = 0.1;  // the artifact's 0.1
    int start_epoch = 0, end_epoch = 100;
    int epochs = 200;
    double lr = 2e-3;
    double remove_threshold = 1e-3;
};

// On-chip fine-tuning of the pruned winner with probabilistic gradient pruning
// (search/gradient_pruning.h): parameter-shift gradients on the device's noise model with shots.
// Off by default (the stage then passes the pruned weights through untouched).
struct FinetuneConfig {
    bool enabled = false;
    int epochs = 15;
    int shots = 1024;  // 0: exact noisy expectations
    double lr = 0.05;  // cosine
    int batch_size = 25;
    int n_train = 100;  // a seeded subset of the training split
    int n_valid = 50;   // a seeded subset of the validation split (the per-epoch curve)
    int w_a = 1, w_p = 2;
    double ratio = 0.5;  // 0: plain parameter shift
};

struct EvalConfig {
    int n_test_samples = 300;  // a seeded subset of N test samples (QuantumNAS: its first 300)
    // "test", or "valid" to evaluate on the validation split instead (model selection, e.g. of a
    // parameter budget, without looking at the test set).
    std::string split = "test";
    int shots = 8192;
    std::vector<std::string> noise = {"none", "exact", "shots"};
    // Human designs of the space trained from scratch with the retrain recipe and evaluated like
    // the winner (trivial and noise-aware layouts); empty: no baselines.
    std::vector<std::string> baselines = {"param36"};
};

struct ExperimentConfig {
    supercircuit::TrainConfig train;       // the SuperCircuit run (top-level keys)
    std::string device = "quito";          // a name under <data.dir>/devices or a calibration file
    noise::NoiseModelOptions noise_model;  // beyond Aer's from_backend (idle relaxation); defaults = Aer
    SearchConfig search;
    RetrainConfig retrain;
    PruneConfig prune;
    FinetuneConfig finetune;
    EvalConfig eval;
};

// Throws qnas::Error "<source>: <json path>: <problem>".
ExperimentConfig parse_experiment_config(const nlohmann::json& j, const std::string& source);
ExperimentConfig load_experiment_config(const std::string& path);
// Every key with its value (defaults filled in), in the input format.
nlohmann::json resolved_config(const ExperimentConfig& c);

}  // namespace qnas::search
