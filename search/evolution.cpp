#include "search/evolution.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "sim/error.h"
#include "sim/parallel.h"
#include "supercircuit/checkpoint.h"
#include "supercircuit/format_duration.h"
#include "supercircuit/rng.h"

namespace qnas::search {

namespace {

using Clock = std::chrono::steady_clock;
using supercircuit::CounterRng;
using supercircuit::RngDomain;

constexpr int kCheckpointVersion = 1;
// Bound on re-draws of an illegal layout (only spaces whose layout positions have different
// choices can need many; after that a deterministic fallback is used, never an endless loop).
constexpr int kMaxAttempts = 1000;
// Random draws for a feasible gene under a constraint (a narrow parameter budget can admit well
// under 1 % of the genes; a draw costs microseconds).
constexpr int kMaxFeasibleDraws = 20000;

std::string gene_string(const std::vector<int>& g) { return nlohmann::json(g).dump(); }

std::uint64_t stream_of(int generation, std::size_t slot) {
    return (static_cast<std::uint64_t>(generation) << 32) | static_cast<std::uint64_t>(slot);
}

bool is_fixed(const GeneSpace& s, std::size_t i) { return !s.mask.empty() && s.mask[i] >= 0; }

int pick(const std::vector<int>& values, CounterRng& r) {
    return values[supercircuit::uniform_index(r, values.size())];
}

// A legal assignment of the free layout positions (Kuhn's augmenting paths), or nothing when none
// exists. Used by validate (existence) and as random_gene's fallback.
std::optional<Gene> matched_layout(const GeneSpace& s) {
    Gene gene(s.choices.size(), 0);
    std::set<int> fixed_values;
    std::vector<std::size_t> free_pos;
    for (std::size_t i = 0; i < static_cast<std::size_t>(s.n_layout); ++i) {
        if (is_fixed(s, i)) {
            gene[i] = s.mask[i];
            fixed_values.insert(s.mask[i]);
        } else {
            free_pos.push_back(i);
        }
    }
    std::map<int, std::size_t> owner;  // value → index into free_pos
    std::function<bool(std::size_t, std::set<int>&)> augment = [&](std::size_t p, std::set<int>& seen) {
        for (const int v : s.choices[free_pos[p]]) {
            if (fixed_values.count(v) || !seen.insert(v).second) continue;
            const auto it = owner.find(v);
            if (it == owner.end() || augment(it->second, seen)) {
                owner[v] = p;
                return true;
            }
        }
        return false;
    };
    for (std::size_t p = 0; p < free_pos.size(); ++p) {
        std::set<int> seen;
        if (!augment(p, seen)) return std::nullopt;
    }
    for (const auto& [v, p] : owner) gene[free_pos[p]] = v;
    return gene;
}

void validate_space(const GeneSpace& s) {
    const std::size_t n = s.choices.size();
    if (n == 0) throw Error("gene space: no positions");
    for (std::size_t i = 0; i < n; ++i) {
        const auto& c = s.choices[i];
        if (c.empty()) throw Error("gene space: position " + std::to_string(i) + " has no choices");
        for (std::size_t k = 1; k < c.size(); ++k)
            if (c[k] <= c[k - 1])
                throw Error("gene space: position " + std::to_string(i) + ": choices must be ascending and distinct");
    }
    if (s.n_layout < 0 || static_cast<std::size_t>(s.n_layout) > n)
        throw Error("gene space: n_layout " + std::to_string(s.n_layout) + " not in [0, " + std::to_string(n) + "]");
    if (!s.mask.empty()) {
        if (s.mask.size() != n)
            throw Error("gene space: mask has " + std::to_string(s.mask.size()) + " entries, the gene has " +
                        std::to_string(n) + " positions");
        for (std::size_t i = 0; i < n; ++i) {
            const int v = s.mask[i];
            if (v == -1) continue;
            if (!std::binary_search(s.choices[i].begin(), s.choices[i].end(), v))
                throw Error("gene space: mask position " + std::to_string(i) + " value " + std::to_string(v) +
                            " is not among its choices");
        }
    }
    std::map<int, std::size_t> fixed;
    std::set<int> all_values;
    for (std::size_t i = 0; i < static_cast<std::size_t>(s.n_layout); ++i) {
        all_values.insert(s.choices[i].begin(), s.choices[i].end());
        if (!is_fixed(s, i)) continue;
        const auto [it, inserted] = fixed.emplace(s.mask[i], i);
        if (!inserted)
            throw Error("gene space: mask fixes layout positions " + std::to_string(it->second) + " and " +
                        std::to_string(i) + " to the same value " + std::to_string(s.mask[i]));
    }
    if (all_values.size() < static_cast<std::size_t>(s.n_layout))
        throw Error("gene space: " + std::to_string(s.n_layout) + " layout positions but only " +
                    std::to_string(all_values.size()) + " distinct layout choices (layout wider than its choices)");
    if (!matched_layout(s))
        throw Error("gene space: no layout with distinct values exists within the layout choices and the mask");
}

// Draws the free layout positions one after another among the values still unused: for layout
// positions sharing one choice list this is exactly the uniform distribution over legal layouts
// (= i.i.d. uniform draws re-drawn until distinct) without the rejection loop.
bool draw_layout(const GeneSpace& s, Gene& gene, CounterRng& r) {
    std::set<int> used;
    for (std::size_t i = 0; i < static_cast<std::size_t>(s.n_layout); ++i)
        if (is_fixed(s, i)) used.insert(s.mask[i]);
    std::vector<int> avail;
    for (std::size_t i = 0; i < static_cast<std::size_t>(s.n_layout); ++i) {
        if (is_fixed(s, i)) continue;
        avail.clear();
        for (const int v : s.choices[i])
            if (!used.count(v)) avail.push_back(v);
        if (avail.empty()) return false;
        gene[i] = pick(avail, r);
        used.insert(gene[i]);
    }
    return true;
}

Gene masked_start(const GeneSpace& s) {
    Gene g(s.choices.size(), 0);
    for (std::size_t i = 0; i < g.size(); ++i) g[i] = is_fixed(s, i) ? s.mask[i] : s.choices[i].front();
    return g;
}

// One draw: the free layout positions (legal), then every free arch position uniformly.
Gene draw_gene(const GeneSpace& s, CounterRng& r) {
    Gene g = masked_start(s);
    bool ok = false;
    for (int attempt = 0; attempt < kMaxAttempts && !ok; ++attempt) ok = draw_layout(s, g, r);
    if (!ok) {
        const auto m = matched_layout(s);
        QNAS_CHECK(m.has_value(), "validated gene space without a legal layout");
        std::copy(m->begin(), m->begin() + s.n_layout, g.begin());
    }
    for (std::size_t i = static_cast<std::size_t>(s.n_layout); i < g.size(); ++i)
        if (!is_fixed(s, i)) g[i] = pick(s.choices[i], r);
    return g;
}

int violation(const GeneSpace& s, const Gene& g) {
    if (!s.constraint.violation) return 0;
    const int v = s.constraint.violation(g);
    QNAS_CHECK(v >= 0, "constraint violation must be >= 0");
    return v;
}

// Greedy repair of an infeasible gene: per step, the single free-position change (layout changes
// that keep it legal) that most reduces the violation; lowest position and value win ties.
std::optional<Gene> repair(const GeneSpace& s, Gene g) {
    int v = violation(s, g);
    while (v > 0) {
        int best_v = v;
        std::size_t best_i = 0;
        int best_value = 0;
        for (std::size_t i = 0; i < g.size(); ++i) {
            if (is_fixed(s, i)) continue;
            const int old = g[i];
            for (const int value : s.choices[i]) {
                if (value == old) continue;
                g[i] = value;
                if (i < static_cast<std::size_t>(s.n_layout) && !layout_is_legal(s, g)) continue;
                const int cand = violation(s, g);
                if (cand < best_v) {
                    best_v = cand;
                    best_i = i;
                    best_value = value;
                }
            }
            g[i] = old;
        }
        if (best_v == v) return std::nullopt;  // a local minimum: no single change helps
        g[best_i] = best_value;
        v = best_v;
    }
    return g;
}

Gene random_gene_unchecked(const GeneSpace& s, std::uint64_t seed, std::uint64_t stream) {
    CounterRng r = supercircuit::rng_stream(seed, RngDomain::Search, stream);
    Gene g = draw_gene(s, r);
    if (violation(s, g) == 0) return g;  // always without a constraint: no further draws
    for (int attempt = 1; attempt < kMaxFeasibleDraws; ++attempt) {
        g = draw_gene(s, r);
        if (violation(s, g) == 0) return g;
    }
    if (auto fixed = repair(s, g)) return *fixed;
    throw Error("search: no gene satisfies the constraint " + s.constraint.description.dump() + " (" +
                std::to_string(kMaxFeasibleDraws) + " random draws and a greedy repair failed)");
}

// A random parent; every free position re-drawn with probability p; the whole child re-drawn while
// its layout is illegal or it is infeasible (after kMaxAttempts: a copy of the last parent drawn).
Gene mutate(const GeneSpace& s, const std::vector<ScoredGene>& parents, double p, CounterRng& r) {
    const Gene* parent = nullptr;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
        parent = &parents[supercircuit::uniform_index(r, parents.size())].gene;
        Gene c = *parent;
        for (std::size_t i = 0; i < c.size(); ++i) {
            if (is_fixed(s, i)) {
                c[i] = s.mask[i];
                continue;
            }
            if (supercircuit::uniform_double(r) < p) c[i] = pick(s.choices[i], r);
        }
        if (layout_is_legal(s, c) && violation(s, c) == 0) return c;
    }
    return *parent;
}

// Two distinct random parents, each free position 50/50 from either; re-drawn while the layout is
// illegal or the child infeasible (after kMaxAttempts: a copy of the first parent).
Gene crossover(const GeneSpace& s, const std::vector<ScoredGene>& parents, CounterRng& r) {
    const Gene* first = nullptr;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
        const std::size_t a = supercircuit::uniform_index(r, parents.size());
        std::size_t b = supercircuit::uniform_index(r, parents.size() - 1);
        if (b >= a) ++b;
        first = &parents[a].gene;
        const Gene& second = parents[b].gene;
        Gene c(first->size());
        for (std::size_t i = 0; i < c.size(); ++i)
            c[i] = is_fixed(s, i) ? s.mask[i] : (supercircuit::uniform_double(r) < 0.5 ? (*first)[i] : second[i]);
        if (layout_is_legal(s, c) && violation(s, c) == 0) return c;
    }
    return *first;
}

// ---- checkpoint -----------------------------------------------------------------------------------

struct State {
    int generations_done = 0;
    std::vector<ScoredGene> population;  // sorted by score
    ScoredGene best;
    std::map<std::vector<int>, Evaluation> cache;
    std::size_t evaluations = 0;  // all calls
    std::size_t cache_hits = 0;
};

nlohmann::json scored_to_json(const ScoredGene& g) {
    return {{"gene", g.gene}, {"score", g.evaluation.score}, {"info", g.evaluation.info}};
}

// The options a resumed search must share with the run it continues (iterations may grow).
nlohmann::json fixed_options(const GeneSpace& s, const EvolutionOptions& o) {
    nlohmann::json j = {{"choices", s.choices},
                        {"n_layout", s.n_layout},
                        {"mask", s.mask},
                        {"population", o.population},
                        {"parents", o.parents},
                        {"mutants", o.mutants},
                        {"mutation_prob", o.mutation_prob},
                        {"crossovers", o.crossovers},
                        {"random_search", o.random_search},
                        {"seed", o.seed},
                        {"fingerprint", o.fingerprint}};
    // Only when set: checkpoints of unconstrained searches keep their bytes.
    if (s.constraint.violation) j["constraint"] = s.constraint.description;
    return j;
}

nlohmann::json state_to_json(const State& st, const GeneSpace& s, const EvolutionOptions& o) {
    nlohmann::json j;
    j["version"] = kCheckpointVersion;
    j["generations_done"] = st.generations_done;
    j["iterations"] = o.iterations;
    j["options"] = fixed_options(s, o);
    j["best"] = scored_to_json(st.best);
    nlohmann::json pop = nlohmann::json::array();
    for (const auto& g : st.population) pop.push_back(scored_to_json(g));
    j["population"] = std::move(pop);
    nlohmann::json cache = nlohmann::json::array();
    for (const auto& [k, e] : st.cache) cache.push_back({{"key", k}, {"score", e.score}, {"info", e.info}});
    j["cache"] = std::move(cache);
    j["evaluations"] = st.evaluations;
    j["cache_hits"] = st.cache_hits;
    return j;
}

template <class T>
T field(const nlohmann::json& j, const char* key, const std::string& source) {
    if (!j.is_object() || !j.contains(key)) throw Error(source + ": missing \"" + key + "\"");
    try {
        return j.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw Error(source + ": \"" + key + "\" has the wrong type");
    }
}

Evaluation evaluation_from_json(const nlohmann::json& j, const std::string& source) {
    Evaluation e;
    e.score = field<double>(j, "score", source);
    e.info = j.contains("info") ? j.at("info") : nlohmann::json::object();
    return e;
}

ScoredGene scored_from_json(const nlohmann::json& j, std::size_t length, const std::string& source) {
    ScoredGene g{field<Gene>(j, "gene", source), evaluation_from_json(j, source)};
    if (g.gene.size() != length)
        throw Error(source + ": gene " + gene_string(g.gene) + " has " + std::to_string(g.gene.size()) +
                    " positions, the gene space " + std::to_string(length));
    return g;
}

State load_state(const std::string& path, const GeneSpace& s, const EvolutionOptions& o) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error("cannot open " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(ss.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(path + ": invalid JSON (byte " + std::to_string(e.byte) + ")");
    }
    if (field<int>(j, "version", path) != kCheckpointVersion)
        throw Error(path + ": unsupported version " + j.at("version").dump());
    const nlohmann::json stored = field<nlohmann::json>(j, "options", path);
    const nlohmann::json now = fixed_options(s, o);
    std::set<std::string> names;  // both ways: a constraint dropped since the checkpoint is a change too
    for (auto it = now.begin(); it != now.end(); ++it) names.insert(it.key());
    if (stored.is_object())
        for (auto it = stored.begin(); it != stored.end(); ++it) names.insert(it.key());
    for (const std::string& name : names) {
        const nlohmann::json old = stored.is_object() && stored.contains(name) ? stored[name] : nlohmann::json();
        const nlohmann::json cur = now.contains(name) ? now[name] : nlohmann::json();
        if (old != cur)
            throw Error(path + ": " + name + " was " + old.dump() + ", now " + cur.dump() +
                        "; cannot resume (use a fresh run_dir or the original options)");
    }
    State st;
    const std::size_t length = s.choices.size();
    st.generations_done = field<int>(j, "generations_done", path);
    if (st.generations_done < 1) throw Error(path + ": generations_done must be ≥ 1");
    st.best = scored_from_json(field<nlohmann::json>(j, "best", path), length, path + ": best");
    const auto pop = field<nlohmann::json>(j, "population", path);
    if (!pop.is_array() || pop.size() != static_cast<std::size_t>(o.population))
        throw Error(path + ": population must list " + std::to_string(o.population) + " genes");
    for (const auto& g : pop) {
        st.population.push_back(scored_from_json(g, length, path + ": population"));
        if (!is_feasible(s, st.population.back().gene))
            throw Error(path + ": population gene " + gene_string(st.population.back().gene) +
                        " violates the constraint " + s.constraint.description.dump());
    }
    const auto cache = field<nlohmann::json>(j, "cache", path);
    if (!cache.is_array()) throw Error(path + ": cache must be a list");
    for (const auto& c : cache)
        st.cache.emplace(field<std::vector<int>>(c, "key", path + ": cache"),
                         evaluation_from_json(c, path + ": cache"));
    st.evaluations = field<std::size_t>(j, "evaluations", path);
    st.cache_hits = field<std::size_t>(j, "cache_hits", path);
    return st;
}

void append_line(const std::string& path, const std::string& line) {
    // One fwrite of the whole line: a kill leaves at worst a partial final line, dropped on resume.
    std::FILE* f = std::fopen(path.c_str(), "ab");
    if (!f) throw Error("cannot open " + path + " for appending");
    const bool ok = std::fwrite(line.data(), 1, line.size(), f) == line.size() && std::fflush(f) == 0;
    if (std::fclose(f) != 0 || !ok) throw Error("cannot write " + path);
}

// Keeps the complete lines of generations < generations_done (a kill after the append but before
// the checkpoint leaves one line too many; a kill mid-append a partial line).
void truncate_log(const std::string& path, int generations_done) {
    std::ifstream in(path, std::ios::binary);
    std::string kept;
    if (in) {
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        std::size_t start = 0;
        for (int line = 1;; ++line) {
            const std::size_t end = text.find('\n', start);
            if (end == std::string::npos) break;
            const std::string s = text.substr(start, end - start);
            start = end + 1;
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(s);
            } catch (const nlohmann::json::parse_error&) {
                throw Error(path + ":" + std::to_string(line) + ": invalid JSON");
            }
            if (field<int>(j, "generation", path + ":" + std::to_string(line)) < generations_done) kept += s + "\n";
        }
    }
    supercircuit::write_file_atomically(path, kept);
}

double median_score(const std::vector<ScoredGene>& sorted) {
    const std::size_t n = sorted.size();
    return n % 2 ? sorted[n / 2].evaluation.score
                 : 0.5 * (sorted[n / 2 - 1].evaluation.score + sorted[n / 2].evaluation.score);
}

}  // namespace

void validate(const GeneSpace& space, const EvolutionOptions& o) {
    validate_space(space);
    auto need = [](bool ok, const std::string& msg) {
        if (!ok) throw Error("search: " + msg);
    };
    need(o.population >= 1, "population must be ≥ 1");
    need(o.parents >= 1, "parents must be ≥ 1");
    need(o.mutants >= 0, "mutants must be ≥ 0");
    need(o.crossovers >= 0, "crossovers must be ≥ 0");
    need(o.parents + o.mutants + o.crossovers == o.population,
         "parents + mutants + crossovers (" + std::to_string(o.parents) + " + " + std::to_string(o.mutants) + " + " +
             std::to_string(o.crossovers) + ") must equal population (" + std::to_string(o.population) + ")");
    need(o.mutation_prob >= 0.0 && o.mutation_prob <= 1.0, "mutation_prob must be in [0, 1]");
    need(o.random_search || o.crossovers == 0 || o.parents >= 2, "crossovers need at least 2 parents");
    need(o.iterations >= 1, "iterations must be ≥ 1");
    need(o.n_threads >= 0, "n_threads must be ≥ 0");
    need(o.stop_after_generations >= 0, "stop_after_generations must be ≥ 0");
    need(!o.resume || !o.run_dir.empty(), "resume needs a run_dir");
}

Gene random_gene(const GeneSpace& space, std::uint64_t seed, std::uint64_t stream) {
    validate_space(space);
    return random_gene_unchecked(space, seed, stream);
}

bool is_feasible(const GeneSpace& space, const Gene& gene) { return violation(space, gene) == 0; }

bool layout_is_legal(const GeneSpace& space, const Gene& gene) {
    if (gene.size() < static_cast<std::size_t>(space.n_layout) || space.choices.size() < gene.size()) return false;
    std::set<int> seen;
    for (std::size_t i = 0; i < static_cast<std::size_t>(space.n_layout); ++i) {
        const auto& c = space.choices[i];
        if (!std::binary_search(c.begin(), c.end(), gene[i]) || !seen.insert(gene[i]).second) return false;
    }
    return true;
}

SearchResult evolve(const GeneSpace& space, const Fitness& fitness, const CacheKey& key, const EvolutionOptions& o) {
    validate(space, o);
    if (!fitness) throw Error("search: no fitness function");
    const auto key_of = [&](const Gene& g) { return key ? key(g) : g; };

    const std::filesystem::path dir = o.run_dir;
    const bool to_files = !o.run_dir.empty();
    const std::string ckpt_path = to_files ? (dir / "search_checkpoint.json").string() : "";
    const std::string log_path = to_files ? (dir / "search.jsonl").string() : "";

    State st;
    if (to_files) {
        std::filesystem::create_directories(dir);
        if (o.resume && std::filesystem::exists(ckpt_path))
            st = load_state(ckpt_path, space, o);
        else
            std::filesystem::remove(ckpt_path);  // a fresh run: a stale checkpoint must not be resumed later
        // Order of writes per generation: the log line, then the checkpoint. Whatever a kill
        // interrupted, the checkpoint is the truth and the log is cut back to it here.
        truncate_log(log_path, st.generations_done);
    }
    if (o.progress && st.generations_done > 0)
        *o.progress << "search: resumed after generation " << st.generations_done << " of " << o.iterations << "\n"
                    << std::flush;

    SearchResult result;
    const auto t_start = Clock::now();
    const std::size_t n_pop = static_cast<std::size_t>(o.population);
    int run = 0;
    for (int g = st.generations_done; g < o.iterations; ++g) {
        if (o.stop_after_generations > 0 && run >= o.stop_after_generations) break;
        const auto t0 = Clock::now();

        // 1. The generation's genes, all drawn here (streams keyed by seed, generation, slot).
        std::vector<ScoredGene> pop(n_pop);
        std::size_t first_new = 0;
        if (g == 0) {
            for (std::size_t k = 0; k < n_pop; ++k) pop[k].gene = random_gene_unchecked(space, o.seed, stream_of(g, k));
        } else {
            const std::vector<ScoredGene> parents(st.population.begin(), st.population.begin() + o.parents);
            first_new = parents.size();
            std::copy(parents.begin(), parents.end(), pop.begin());  // elitist: kept with their scores
            for (std::size_t k = first_new; k < n_pop; ++k) {
                if (o.random_search) {
                    pop[k].gene = random_gene_unchecked(space, o.seed, stream_of(g, k));
                    continue;
                }
                CounterRng r = supercircuit::rng_stream(o.seed, RngDomain::Search, stream_of(g, k));
                pop[k].gene = k < first_new + static_cast<std::size_t>(o.mutants)
                                  ? mutate(space, parents, o.mutation_prob, r)
                                  : crossover(space, parents, r);
            }
        }

        // 2. Distinct keys not in the cache, scored in parallel (one slot each), merged in order.
        std::vector<std::vector<int>> keys(n_pop);
        std::vector<std::size_t> todo;  // index of the first gene of each new key
        std::set<std::vector<int>> queued;
        std::size_t hits = 0;
        for (std::size_t k = first_new; k < n_pop; ++k) {
            keys[k] = key_of(pop[k].gene);
            if (st.cache.count(keys[k]) || !queued.insert(keys[k]).second)
                ++hits;
            else
                todo.push_back(k);
        }
        std::vector<Evaluation> fresh(todo.size());
        parallel_for(todo.size(), Parallelism{o.n_threads},
                     [&](std::size_t t) { fresh[t] = fitness(pop[todo[t]].gene); });
        for (std::size_t t = 0; t < todo.size(); ++t) {
            if (!std::isfinite(fresh[t].score))
                throw Error("search: fitness of gene " + gene_string(pop[todo[t]].gene) + " is " +
                            std::to_string(fresh[t].score) + " (must be finite)");
            st.cache.emplace(keys[todo[t]], std::move(fresh[t]));
        }
        for (std::size_t k = first_new; k < n_pop; ++k) pop[k].evaluation = st.cache.at(keys[k]);

        // 3. Sort (stable: ties keep slot order) and keep the best of all time (first seen wins ties).
        std::stable_sort(pop.begin(), pop.end(), [](const ScoredGene& a, const ScoredGene& b) {
            return a.evaluation.score < b.evaluation.score;
        });
        if (g == 0 || pop.front().evaluation.score < st.best.evaluation.score) st.best = pop.front();
        st.population = std::move(pop);
        st.generations_done = g + 1;
        st.evaluations += todo.size();
        st.cache_hits += hits;
        result.evaluations += todo.size();
        result.cache_hits += hits;
        ++run;

        // 4. Log line, then checkpoint (see truncate_log), then progress.
        const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        nlohmann::json line = {{"generation", g},
                               {"best_score", st.best.evaluation.score},
                               {"generation_best_score", st.population.front().evaluation.score},
                               {"median_score", median_score(st.population)},
                               {"best_gene", st.best.gene},
                               {"best_info", st.best.evaluation.info},
                               {"evaluations", todo.size()},
                               {"cache_hits", hits},
                               {"seconds", seconds}};
        if (to_files) {
            append_line(log_path, line.dump() + "\n");
            supercircuit::write_file_atomically(ckpt_path, state_to_json(st, space, o).dump() + "\n");
        }
        if (o.progress) {
            const double elapsed = std::chrono::duration<double>(Clock::now() - t_start).count();
            const int left = o.iterations - st.generations_done;
            std::ostringstream s;
            s.precision(6);
            s << "search: generation " << st.generations_done << "/" << o.iterations << " best "
              << st.best.evaluation.score << " (generation best " << st.population.front().evaluation.score
              << ", median " << median_score(st.population) << "), " << todo.size() << " evaluations, " << hits
              << " cache hits, " << supercircuit::format_duration(seconds) << ", ETA "
              << supercircuit::format_duration(elapsed / run * left);
            *o.progress << s.str() << "\n" << std::flush;
        }
        result.log.push_back(std::move(line));
    }
    result.best = st.best;
    result.population = st.population;
    result.generations_done = st.generations_done;
    return result;
}

}  // namespace qnas::search
