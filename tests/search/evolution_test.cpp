#include "search/evolution.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/error.h"

using namespace qnas::search;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// 3 layout positions on 6 "physical qubits", then 10 arch positions with 4 values each.
GeneSpace toy_space() {
    GeneSpace s;
    s.n_layout = 3;
    s.choices.assign(3, {0, 1, 2, 3, 4, 5});
    for (int i = 0; i < 10; ++i) s.choices.push_back({0, 1, 2, 3});
    return s;
}

const Gene kTarget = {4, 1, 3, 0, 3, 2, 1, 1, 0, 3, 2, 0, 1};

// L1 distance to the hidden target (layout positions count 0/1: wrong or right qubit).
Evaluation distance(const Gene& g) {
    double d = 0;
    for (std::size_t i = 0; i < g.size(); ++i) d += i < 3 ? (g[i] != kTarget[i]) : std::abs(g[i] - kTarget[i]);
    return {d, {{"sum", std::accumulate(g.begin(), g.end(), 0)}}};
}

EvolutionOptions small_options(std::uint64_t seed = 7) {
    EvolutionOptions o;
    o.population = 20;
    o.parents = 5;
    o.mutants = 10;
    o.crossovers = 5;
    o.mutation_prob = 0.3;
    o.iterations = 12;
    o.seed = seed;
    o.n_threads = 1;
    return o;
}

nlohmann::json scored(const ScoredGene& g) {
    return {{"gene", g.gene}, {"score", g.evaluation.score}, {"info", g.evaluation.info}};
}

// Everything of a result except timings.
nlohmann::json without_seconds(const SearchResult& r) {
    nlohmann::json j;
    j["best"] = scored(r.best);
    for (const auto& g : r.population) j["population"].push_back(scored(g));
    j["generations_done"] = r.generations_done;
    for (auto line : r.log) {
        line.erase("seconds");
        j["log"].push_back(line);
    }
    return j;
}

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::vector<nlohmann::json> log_lines(const fs::path& p) {
    std::vector<nlohmann::json> out;
    std::istringstream in(slurp(p));
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line);
        j.erase("seconds");
        out.push_back(j);
    }
    return out;
}

fs::path fresh_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("qnas_evolution_" + name);
    fs::remove_all(d);
    return d;
}

}  // namespace

TEST_CASE("evolution: finds a hidden target; random search does no better", "[search][evolution]") {
    double evo_total = 0, random_total = 0;
    for (const std::uint64_t seed : {1, 2, 3}) {
        // 30 generations at mutation_prob 0.2 end within distance 2 for each of seeds 1..30 (mean
        // 0.5); random search with the same budget averages 6.5.
        EvolutionOptions o = small_options(seed);
        o.iterations = 30;
        o.mutation_prob = 0.2;
        const SearchResult r = evolve(toy_space(), distance, {}, o);
        REQUIRE(r.generations_done == 30);
        REQUIRE(r.log.size() == 30);
        CHECK(r.best.evaluation.score <= 2.0);
        // The log's best of all time never rises and ends at the result's best.
        for (std::size_t g = 1; g < r.log.size(); ++g)
            CHECK(r.log[g]["best_score"].get<double>() <= r.log[g - 1]["best_score"].get<double>());
        CHECK(r.log.back()["best_score"].get<double>() == r.best.evaluation.score);
        CHECK(r.population.front().evaluation.score == r.best.evaluation.score);  // elitism
        evo_total += r.best.evaluation.score;

        o.random_search = true;
        random_total += evolve(toy_space(), distance, {}, o).best.evaluation.score;
    }
    CHECK(evo_total < random_total);
}

TEST_CASE("evolution: identical at 1 and 2 threads; ties broken by slot order", "[search][evolution]") {
    EvolutionOptions o = small_options();
    const SearchResult one = evolve(toy_space(), distance, {}, o);
    o.n_threads = 2;
    const SearchResult two = evolve(toy_space(), distance, {}, o);
    CHECK(without_seconds(one) == without_seconds(two));
    CHECK(one.evaluations == two.evaluations);

    // All scores equal: the best is the first gene ever drawn (generation 0, slot 0).
    const SearchResult flat = evolve(
        toy_space(),
        [](const Gene&) {
            return Evaluation{0.5, {}};
        },
        {}, o);
    CHECK(flat.best.gene == random_gene(toy_space(), o.seed, 0));
}

TEST_CASE("evolution: a resumed search equals an uninterrupted one", "[search][evolution][resume]") {
    EvolutionOptions o = small_options();
    o.iterations = 8;
    o.fingerprint = {{"task", "toy"}};
    const fs::path a = fresh_dir("full"), b = fresh_dir("resumed");
    o.run_dir = a.string();
    const SearchResult full = evolve(toy_space(), distance, {}, o);

    o.run_dir = b.string();
    o.stop_after_generations = 3;
    const SearchResult first = evolve(toy_space(), distance, {}, o);
    REQUIRE(first.generations_done == 3);
    o.resume = true;
    o.n_threads = 2;
    const SearchResult part = evolve(toy_space(), distance, {}, o);  // 3 more
    REQUIRE(part.generations_done == 6);
    REQUIRE(part.log.front()["generation"] == 3);

    // A kill after the log append but before the checkpoint, then one mid-append.
    {
        std::string text = slurp(b / "search.jsonl");
        auto last = nlohmann::json::parse(text.substr(text.rfind('\n', text.size() - 2) + 1));
        last["generation"] = 6;
        std::ofstream f(b / "search.jsonl", std::ios::app | std::ios::binary);
        f << last.dump() << "\n"
          << R"({"generation": 7, "best)";
    }
    o.stop_after_generations = 0;
    const SearchResult rest = evolve(toy_space(), distance, {}, o);
    REQUIRE(rest.log.size() == 2);

    nlohmann::json expect = without_seconds(full);
    nlohmann::json got = without_seconds(rest);
    expect.erase("log"), got.erase("log");
    CHECK(got == expect);
    CHECK(slurp(a / "search_checkpoint.json") == slurp(b / "search_checkpoint.json"));
    CHECK(log_lines(a / "search.jsonl") == log_lines(b / "search.jsonl"));
    CHECK(full.evaluations == first.evaluations + part.evaluations + rest.evaluations);

    // Extending a finished search: iterations may grow, the result equals a longer run.
    o.iterations = 10;
    const SearchResult extended = evolve(toy_space(), distance, {}, o);
    CHECK(extended.log.size() == 2);
    EvolutionOptions longer = small_options();
    longer.iterations = 10;
    longer.fingerprint = o.fingerprint;
    longer.run_dir = a.string();
    const SearchResult long_run = evolve(toy_space(), distance, {}, longer);
    CHECK(scored(long_run.best) == scored(extended.best));
    CHECK(slurp(a / "search_checkpoint.json") == slurp(b / "search_checkpoint.json"));

    // What must not change is checked, naming the field.
    EvolutionOptions other = o;
    other.fingerprint = {{"task", "other"}};
    CHECK_THROWS_WITH(evolve(toy_space(), distance, {}, other), Contains("fingerprint"));
    other = o;
    other.mutation_prob = 0.5;
    CHECK_THROWS_WITH(evolve(toy_space(), distance, {}, other), Contains("mutation_prob"));
    other = o;
    other.seed = 8;
    CHECK_THROWS_WITH(evolve(toy_space(), distance, {}, other), Contains("seed"));
    fs::remove_all(a), fs::remove_all(b);
}

TEST_CASE("evolution: the cache scores every key once", "[search][evolution][cache]") {
    // The key ignores the last position: genes differing only there are one candidate.
    const CacheKey key = [](const Gene& g) { return Gene(g.begin(), g.end() - 1); };
    std::mutex m;
    std::multiset<Gene> scored_keys;
    std::atomic<int> calls{0};
    const Fitness f = [&](const Gene& g) {
        ++calls;
        std::lock_guard<std::mutex> lock(m);
        scored_keys.insert(key(g));
        return distance(g);
    };
    EvolutionOptions o = small_options();
    o.n_threads = 2;
    const SearchResult r = evolve(toy_space(), f, key, o);
    CHECK(static_cast<std::size_t>(calls.load()) == r.evaluations);
    CHECK(std::set<Gene>(scored_keys.begin(), scored_keys.end()).size() == scored_keys.size());
    CHECK(r.cache_hits > 0);
    CHECK(r.evaluations + r.cache_hits == 20u + 11u * 15u);
    std::size_t logged_evals = 0, logged_hits = 0;
    for (const auto& line : r.log)
        logged_evals += line["evaluations"].get<std::size_t>(), logged_hits += line["cache_hits"].get<std::size_t>();
    CHECK(logged_evals == r.evaluations);
    CHECK(logged_hits == r.cache_hits);

    // mutation_prob 0 and no crossovers: mutants copy parents, nothing new is ever scored.
    o.mutation_prob = 0.0;
    o.mutants = 15;
    o.crossovers = 0;
    const SearchResult copy = evolve(toy_space(), distance, {}, o);
    std::set<Gene> first_generation;
    for (int k = 0; k < 20; ++k)
        first_generation.insert(random_gene(toy_space(), o.seed, static_cast<std::uint64_t>(k)));
    CHECK(copy.evaluations == first_generation.size());
    for (const auto& g : copy.population) CHECK(first_generation.count(g.gene) == 1);
}

TEST_CASE("evolution: masks are honoured and layouts stay legal", "[search][evolution][mask]") {
    GeneSpace s = toy_space();
    s.mask.assign(s.choices.size(), -1);
    s.mask[1] = 2;  // a fixed layout position: the free ones must avoid qubit 2
    s.mask[5] = 3;
    std::mutex m;
    std::vector<Gene> seen;
    const Fitness f = [&](const Gene& g) {
        std::lock_guard<std::mutex> lock(m);
        seen.push_back(g);
        return distance(g);
    };
    for (const bool random : {false, true}) {
        EvolutionOptions o = small_options();
        o.random_search = random;
        o.mutation_prob = 0.8;
        const SearchResult r = evolve(s, f, {}, o);
        for (const auto& g : r.population) seen.push_back(g.gene);
    }
    bool all_ok = true;
    for (const Gene& g : seen) all_ok = all_ok && g[1] == 2 && g[5] == 3 && layout_is_legal(s, g);
    CHECK(all_ok);
    CHECK(seen.size() > 100);

    // random_gene: uniform over the legal layouts (positions 0 and 2 free on the 5 qubits other
    // than 2: 5·4 = 20 pairs, each expected n/20 times).
    std::map<std::pair<int, int>, int> counts;
    const int n = 20000;
    bool legal = true;
    for (int k = 0; k < n; ++k) {
        const Gene g = random_gene(s, 11, static_cast<std::uint64_t>(k));
        legal = legal && layout_is_legal(s, g) && g[1] == 2;
        ++counts[{g[0], g[2]}];
    }
    CHECK(legal);
    REQUIRE(counts.size() == 20u);
    for (const auto& [pair, c] : counts) CHECK(std::abs(c - n / 20) < 5 * std::sqrt(n / 20.0));

    // Layout positions with different choices: re-drawn until legal, never stuck.
    GeneSpace tight;
    tight.n_layout = 2;
    tight.choices = {{0, 1}, {0}, {0, 1, 2}};
    for (int k = 0; k < 50; ++k) CHECK(random_gene(tight, 3, static_cast<std::uint64_t>(k))[0] == 1);
}

TEST_CASE("evolution: validate names the bad field", "[search][evolution][validate]") {
    const GeneSpace s = toy_space();
    EvolutionOptions o = small_options();
    CHECK_NOTHROW(validate(s, o));
    o.mutants = 9;
    CHECK_THROWS_WITH(validate(s, o), Contains("must equal population"));
    o = small_options();
    o.mutation_prob = 1.5;
    CHECK_THROWS_WITH(validate(s, o), Contains("mutation_prob"));
    o = small_options();
    o.parents = 1, o.mutants = 14;
    CHECK_THROWS_WITH(validate(s, o), Contains("2 parents"));
    o = small_options();

    GeneSpace wide;
    wide.n_layout = 4;
    wide.choices.assign(4, {0, 1, 2});
    CHECK_THROWS_WITH(validate(wide, o), Contains("layout wider than its choices"));
    CHECK_THROWS_WITH(random_gene(wide, 1, 0), Contains("layout wider"));
    GeneSpace stuck;
    stuck.n_layout = 3;
    stuck.choices = {{0}, {0}, {0, 1, 2}};
    CHECK_THROWS_WITH(validate(stuck, o), Contains("no layout"));
    GeneSpace masked = s;
    masked.mask.assign(s.choices.size(), -1);
    masked.mask[4] = 7;
    CHECK_THROWS_WITH(validate(masked, o), Contains("mask position 4 value 7"));
    masked.mask[4] = -1;
    masked.mask[0] = masked.mask[2] = 1;
    CHECK_THROWS_WITH(validate(masked, o), Contains("same value"));
    masked.mask.pop_back();
    CHECK_THROWS_WITH(validate(masked, o), Contains("mask has"));

    const Fitness bad = [](const Gene&) { return Evaluation{std::nan(""), {}}; };
    CHECK_THROWS_WITH(evolve(s, bad, {}, small_options()), Contains("must be finite"));
}

TEST_CASE("evolution: a constraint every gene meets changes nothing; constrained searches resume",
          "[search][evolution][constraint]") {
    // Unconstrained and always-feasible: the same draws, so the same search (the default path is
    // the engine without constraints).
    EvolutionOptions o = small_options();
    o.iterations = 6;
    GeneSpace always = toy_space();
    always.constraint.violation = [](const Gene&) { return 0; };
    always.constraint.description = "always";
    CHECK(without_seconds(evolve(always, distance, {}, o)) == without_seconds(evolve(toy_space(), distance, {}, o)));

    // Sum of the arch positions at most 12 (the target's is 13): every scored gene obeys it.
    GeneSpace capped = toy_space();
    capped.constraint.violation = [](const Gene& g) {
        return std::max(0, std::accumulate(g.begin() + 3, g.end(), 0) - 12);
    };
    capped.constraint.description = {{"max_sum", 12}};
    std::mutex m;
    int worst = 0;
    const Fitness f = [&](const Gene& g) {
        const std::lock_guard<std::mutex> lock(m);
        worst = std::max(worst, std::accumulate(g.begin() + 3, g.end(), 0));
        return distance(g);
    };
    const fs::path a = fresh_dir("c_full"), b = fresh_dir("c_resumed");
    o.run_dir = a.string();
    const SearchResult full = evolve(capped, f, {}, o);
    CHECK(worst <= 12);
    CHECK(full.best.evaluation.score >= 1.0);  // the target itself is out of bounds
    o.run_dir = b.string();
    o.stop_after_generations = 2;
    evolve(capped, f, {}, o);
    o.stop_after_generations = 0;
    o.resume = true;
    const SearchResult rest = evolve(capped, f, {}, o);
    CHECK(scored(rest.best) == scored(full.best));
    CHECK(slurp(a / "search_checkpoint.json") == slurp(b / "search_checkpoint.json"));
    // A different or a dropped constraint cannot resume the checkpoint.
    GeneSpace other = capped;
    other.constraint.description = {{"max_sum", 11}};
    CHECK_THROWS_WITH(evolve(other, f, {}, o), Contains("constraint"));
    CHECK_THROWS_WITH(evolve(toy_space(), f, {}, o), Contains("constraint"));
    fs::remove_all(a), fs::remove_all(b);
}
