// Training checkpoints: everything a resumed run needs to continue bit-identically (weights, Adam
// moments and per-weight steps, sampler step and previous gene, epochs done, best-valid weights),
// as JSON (doubles printed shortest-round-trip, so they read back exactly), written atomically
// (temporary file + rename) so a kill mid-write leaves the previous checkpoint intact. Shuffles
// and initialisation are counter-based streams keyed by (seed, epoch): the seed is their state.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "supercircuit/adam.h"
#include "supercircuit/sampler.h"

namespace qnas::supercircuit {

struct TrainCheckpoint {
    int epochs_done = 0;
    std::vector<double> weights;
    AdamState adam;
    SamplerState sampler;
    std::uint64_t seed = 0;
    int best_epoch = 0;
    double best_valid_accuracy = -1.0;
    double best_test_accuracy = -1.0;
    std::vector<double> best_weights;
    std::optional<double> best_energy;  // VQE: the best_weights' energy (absent for classification)
    // Options that must not change between the run and its resumption (checked on resume).
    nlohmann::json fingerprint;
};

nlohmann::json checkpoint_to_json(const TrainCheckpoint& c);
// Throws qnas::Error naming `source` and the field for malformed input.
TrainCheckpoint checkpoint_from_json(const nlohmann::json& j, const std::string& source);

void save_checkpoint(const TrainCheckpoint& c, const std::string& path);
TrainCheckpoint load_checkpoint(const std::string& path);

// Writes `text` to `path` through `path`.tmp and a rename (atomic on POSIX file systems).
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace qnas::supercircuit
