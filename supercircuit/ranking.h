// Ranking SubCircuits with a trained SuperCircuit (issue 5, quantumnas.md §2, paper_tables.md §1.3
// and §1.4): each SubCircuit is scored twice, with the weights it inherits from the SuperCircuit
// and after training it alone from scratch with the SuperCircuit run's recipe; the Spearman ρ
// between the two says how well the SuperCircuit ranks SubCircuits, and the from-scratch
// accuracies per parameter count reproduce the "accuracy grows with #params" figure.
//
// Genes are independent, so they run in parallel (one gene per task, each trained on one thread:
// results do not depend on the thread count). Every finished gene is appended as one JSON line
// with its index to a file (rank.jsonl), so a long run loses no finished work: a resumed call skips
// the indices already there, and the summary is computed from the file's records sorted by index.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "sim/batch_simulator.h"
#include "supercircuit/dataset.h"
#include "supercircuit/design_space.h"
#include "supercircuit/encoder.h"
#include "supercircuit/rank_correlation.h"
#include "supercircuit/subcircuit_sampling.h"
#include "supercircuit/trainer.h"

namespace qnas::supercircuit {

// Loss and accuracy of one SubCircuit `arch` of a SuperCircuit model (train_model.h
// supercircuit_model) with the shared weights `weights` (size model.n_weights).
EvalResult evaluate_inherited(const TrainModel& super, std::span<const int> arch, std::span<const double> weights,
                              const Dataset& data, const std::vector<std::vector<int>>& readout_groups,
                              const sim::BatchOptions& opts = {});

// One SubCircuit to rank; `requested_params` > 0 in the per-parameter-count mode (the count asked
// for; the gene's own count may be the nearest achievable one).
struct RankGene {
    Arch arch;
    int requested_params = 0;
};

struct RankRecord {
    int index = 0;
    Arch arch;
    int n_params = 0;
    int requested_params = 0;
    EvalResult inherited_valid, inherited_test;
    // After the last from-scratch epoch; with several repeats (seeds), the means over them.
    EvalResult scratch_valid, scratch_test;
    int scratch_best_epoch = 0;                                        // epoch of maximal valid accuracy (first repeat)
    double scratch_best_valid_acc = 0.0, scratch_best_test_acc = 0.0;  // means over the repeats
    std::uint64_t scratch_seed = 0;                                    // first repeat's seed
    std::vector<double> scratch_valid_losses;                          // per repeat (only when > 1)
    double seconds = 0.0;  // wall time of this gene (the only field that varies between runs)
};

nlohmann::json record_to_json(const RankRecord& r);
// Throws qnas::Error naming `source` for malformed records.
RankRecord record_from_json(const nlohmann::json& j, const std::string& source);

// The seed of gene `index`'s from-scratch training number `repeat`, derived from the base seed.
std::uint64_t scratch_seed(std::uint64_t base_seed, int index, int repeat = 0);

struct RankOptions {
    // The from-scratch recipe (epochs, batch, schedule, Adam, readout groups) and the base seed;
    // run_dir, resume, progress, n_threads are ignored (each gene trains on one thread, silently).
    TrainOptions scratch;
    // From-scratch trainings per gene (different seeds), averaged: one seed's final loss carries
    // seed noise comparable to the spread between good SubCircuits, which blurs the ranking.
    int scratch_repeats = 1;
    int n_threads = 0;                 // genes run concurrently; 0: all threads of the current TBB arena
    std::string jsonl_path;            // empty: nothing written (records only returned)
    bool resume = false;               // keep the records already in jsonl_path and skip their indices
    int stop_after = 0;                // > 0: stop after this many genes finished in this call (tests: a "kill")
    std::ostream* progress = nullptr;  // one line per finished gene, with ETA; null: none
};

// Scores every gene (inherited on valid and test, then from scratch) and returns all records known
// (resumed ones included) sorted by index. Throws qnas::Error when a resumed record's gene differs
// from genes[index] (the file was written for another gene list).
std::vector<RankRecord> rank_subcircuits(const DesignSpace& space, const Encoder& encoder, const TrainModel& super,
                                         std::span<const double> weights, const Splits& data,
                                         const std::vector<RankGene>& genes, const RankOptions& options);

// Records of a rank.jsonl file sorted by index (a final line without its newline, left by a kill
// mid-write, is dropped). A missing file gives none.
std::vector<RankRecord> load_rank_records(const std::string& path);

// n, Spearman ρ and Kendall τ-b between inherited and scratch loss and accuracy on `split`
// ("valid" or "test"), ρ of the parameter-count baseline (−n_params vs scratch loss); with requested_params set, per
// requested size (in first-seen order): the achieved count, n, median/min/max of scratch test accuracy (final and at
// best valid) and of inherited test accuracy. NaN statistics are null.
nlohmann::json rank_summary(const std::vector<RankRecord>& records, const std::string& split);

}  // namespace qnas::supercircuit
