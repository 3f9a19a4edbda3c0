// Evolutionary co-search (quantumnas.md §3, TorchQuantum's EvolutionEngine): genes are integer
// vectors, the first `n_layout` positions a logical→physical qubit layout (distinct values), the
// rest an architecture gene. Lower score is better. Per generation: the best `parents` survive
// unchanged (elitist), `mutants` children copy a random parent and re-draw each free position with
// probability `mutation_prob` (illegal layouts are re-drawn), `crossovers` children take each
// position 50/50 from two distinct random parents; `random_search` replaces both by fresh random
// genes. Results are cached by a caller-given key (the active part of the gene), so a gene that
// reappears is not re-scored.
//
// Determinism: every random draw comes from counter streams keyed by (seed, generation), made in
// the calling thread before any scoring; the generation's distinct new keys are then scored in
// parallel, each result in its own slot, and merged in index order — the search is identical at
// any thread count. A checkpoint (population, cache, best, generations done) is written atomically
// after every generation and one JSON line per generation is appended to search.jsonl, so a
// killed search resumes to the same result as an uninterrupted one.
//
// Details: the initial population and random-search genes draw the free layout positions one by
// one among the still unused values (for layout positions sharing one choice list: exactly the
// uniform distribution over legal layouts that re-drawing i.i.d. genes until legal gives). Mutants
// and crossovers are re-drawn whole while their layout is illegal; re-draws are bounded (after
// 1000 failures — only possible in spaces whose layout positions have different choices — the
// child is a copy of its parent).
// Constraint (GeneSpace::constraint, e.g. a parameter budget): random genes are drawn whole up to
// 20 000 times until feasible, then the last draw is repaired greedily (one free
// position at a time, the change that most reduces the violation, lowest position and value
// first; no draws) — a qnas::Error when even that finds no feasible gene. Mutants and crossovers
// are re-drawn while infeasible like illegal layouts (their fallback, a parent, is feasible), so
// every gene ever scored is feasible. Without a constraint no extra draw is made: the results are
// those of the engine without this feature. Parents carry their evaluation over; every other gene is looked
// up in the cache (a hit when its key was scored before or earlier in the same generation), so a
// full run makes evaluations + cache_hits = population + (iterations − 1)·(population − parents).
// Files in run_dir: search_checkpoint.json (generations_done, population, best, cache, totals of
// evaluations and cache hits, and the options that must match on resume: the gene space, the
// sizes, mutation_prob, random_search, seed and fingerprint — iterations may grow to extend a
// search) and search.jsonl (per generation: generation, best_score of all time, generation_best_
// score, median_score, best_gene, best_info, evaluations, cache_hits, seconds). Per generation the
// log line is appended before the checkpoint is replaced; a resume cuts the log back to the
// checkpoint's generations, so a kill at any point neither loses nor repeats a line. A fresh run
// (resume false, or no checkpoint yet) empties search.jsonl and removes an old checkpoint.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace qnas::search {

using Gene = std::vector<int>;

// A feasibility constraint on whole genes (e.g. the SubCircuit's parameter budget). violation(g) is
// 0 for feasible genes and > 0 otherwise, growing with the distance from feasibility (it guides the
// repair of random genes). Must be deterministic; it is called from the searching thread only.
struct GeneConstraint {
    std::function<int(const Gene&)> violation;  // unset: every gene is feasible
    nlohmann::json description;                 // stored in the checkpoint; a resume must give the same
};

struct GeneSpace {
    // Per position, its allowed values (ascending). Layout positions: 0..n_physical−1.
    std::vector<std::vector<int>> choices;
    int n_layout = 0;  // the first n_layout positions are the layout; their values must be distinct
    // Empty, or one entry per position: −1 free, otherwise the value the position is fixed to
    // (fix-layout / fix-arch baselines). Fixed values must be among the position's choices.
    std::vector<int> mask;
    GeneConstraint constraint;
};

struct EvolutionOptions {
    int population = 40;
    int parents = 10;
    int mutants = 20;
    double mutation_prob = 0.4;
    int crossovers = 10;  // parents + mutants + crossovers must equal population
    int iterations = 40;  // generations scored (the initial population is generation 0)
    bool random_search = false;
    std::uint64_t seed = 42;
    int n_threads = 0;  // 0: all threads of the current TBB arena
    // Empty: nothing written. Otherwise search_checkpoint.json and search.jsonl go there.
    std::string run_dir;
    bool resume = false;               // continue from run_dir/search_checkpoint.json when it exists
    int stop_after_generations = 0;    // > 0: return after this many generations of this call (tests)
    std::ostream* progress = nullptr;  // one line per generation with ETA; null: none
    nlohmann::json fingerprint;        // must match on resume (the caller's config); stored in the checkpoint
};

// What scoring a gene gives: the score (lower is better; NaN or ±inf is an error naming the gene)
// and any details the caller wants kept with it (loss, accuracy, success rate, gate counts).
struct Evaluation {
    double score = 0.0;
    nlohmann::json info = nlohmann::json::object();
};

// Must be deterministic and safe to call concurrently from several threads.
using Fitness = std::function<Evaluation(const Gene&)>;
// Genes with equal keys are the same candidate (cache key); unset: the gene itself.
using CacheKey = std::function<std::vector<int>(const Gene&)>;

struct ScoredGene {
    Gene gene;
    Evaluation evaluation;
};

struct SearchResult {
    ScoredGene best;                     // lowest score seen (first seen wins ties)
    std::vector<ScoredGene> population;  // last generation, sorted by score
    int generations_done = 0;            // in total (resumed ones included)
    std::vector<nlohmann::json> log;     // one object per generation run by this call (as in search.jsonl)
    std::size_t evaluations = 0;         // fitness calls made by this call
    std::size_t cache_hits = 0;          // genes served from the cache by this call (parents excluded)
};

// Checks the space, mask and options (sizes, sums, probabilities, a layout wider than its choices);
// throws qnas::Error naming the field.
void validate(const GeneSpace& space, const EvolutionOptions& options);
// A uniform random gene with a legal layout honouring the mask (draws from `seed`, `stream`);
// with a constraint, uniform among the feasible ones (or repaired, see above; qnas::Error when no
// feasible gene is found).
Gene random_gene(const GeneSpace& space, std::uint64_t seed, std::uint64_t stream);
bool layout_is_legal(const GeneSpace& space, const Gene& gene);
// constraint.violation(gene) == 0 (true without a constraint).
bool is_feasible(const GeneSpace& space, const Gene& gene);

SearchResult evolve(const GeneSpace& space, const Fitness& fitness, const CacheKey& key,
                    const EvolutionOptions& options);

}  // namespace qnas::search
