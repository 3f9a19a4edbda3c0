#include "search/gene_space.h"

#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/error.h"

using namespace qnas::search;
using Catch::Matchers::Contains;
using qnas::supercircuit::arch_choices;
using qnas::supercircuit::design_space;

TEST_CASE("gene space: co-search genes are a layout then an arch gene", "[search][gene_space]") {
    const auto space = design_space("u3cu3", 4);
    const GeneSpace g = co_search_space(space, 5);
    REQUIRE(g.choices.size() == 21u);  // 4 layout + 17 arch
    CHECK(g.n_layout == 4);
    for (int i = 0; i < 4; ++i) CHECK(g.choices[static_cast<std::size_t>(i)] == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(std::vector<std::vector<int>>(g.choices.begin() + 4, g.choices.end()) == arch_choices(space));
    CHECK_NOTHROW(validate(g, EvolutionOptions{}));
    CHECK_THROWS_WITH(co_search_space(space, 3), Contains("device too small for the circuit") && Contains("3"));

    const Gene gene = random_gene(g, 5, 0);
    const LayoutAndArch parts = split_gene(space, gene);
    CHECK(parts.layout == std::vector<int>(gene.begin(), gene.begin() + 4));
    CHECK(parts.arch.size() == 17u);
    CHECK_THROWS_WITH(split_gene(space, Gene(20, 1)), Contains("expected 21"));
}

TEST_CASE("gene space: the key ignores blocks that never run", "[search][gene_space]") {
    const auto space = design_space("u3cu3", 4);
    // n_blocks 2: layers 0..3 run; position 4 + 10 (block 5) does not.
    Gene a = {0, 1, 2, 3};
    for (int i = 0; i < 16; ++i) a.push_back(1 + i % 4);
    a.push_back(2);
    Gene b = a;
    b[4 + 10] = 4;
    Gene c = a;
    c[4 + 1] = 4;  // layer 1 runs
    Gene moved = a;
    std::swap(moved[0], moved[1]);
    const CacheKey noisy = co_search_key(space, true), noise_free = co_search_key(space, false);
    CHECK(noisy(a) == noisy(b));
    CHECK(noisy(a) != noisy(c));
    CHECK(noisy(a) != noisy(moved));
    CHECK(noise_free(a) == noise_free(moved));
    CHECK(noise_free(a) == std::vector<int>{1, 2, 3, 4, 2});
}

TEST_CASE("gene space: fix-layout and fix-arch masks hold through a search", "[search][gene_space]") {
    const auto space = design_space("u3cu3", 4, 2);
    GeneSpace g = co_search_space(space, 5);
    const std::vector<int> layout = {3, 0, 4, 1};
    g.mask = fix_layout_mask(space, layout);
    CHECK_THROWS_WITH(fix_layout_mask(space, {0, 0, 1, 2}), Contains("distinct"));
    EvolutionOptions o;
    o.population = 8, o.parents = 2, o.mutants = 4, o.crossovers = 2, o.iterations = 3, o.n_threads = 1;
    // Prefers small archs: the score only sees the arch part.
    const Fitness f = [&](const Gene& gene) {
        const auto arch = split_gene(space, gene).arch;
        double s = 0;
        for (const int v : arch) s += v;
        return Evaluation{s, {}};
    };
    for (const auto& sg : evolve(g, f, co_search_key(space, true), o).population)
        CHECK(split_gene(space, sg.gene).layout == layout);

    const qnas::supercircuit::Arch arch = {1, 2, 3, 4, 2};
    g.mask = fix_arch_mask(space, 4, arch);
    CHECK_THROWS(fix_arch_mask(space, 4, {9, 9}));
    for (const auto& sg : evolve(g, f, co_search_key(space, true), o).population) {
        CHECK(split_gene(space, sg.gene).arch == arch);
        CHECK(layout_is_legal(g, sg.gene));
    }
}

TEST_CASE("gene space: achievable parameter counts equal brute force", "[search][gene_space][budget]") {
    // Every search-bounds arch enumerated (small spaces): u3cu3 2 blocks, barren 1 block (its
    // zero-angle layers and the window quirk), farhi 2 blocks.
    for (const auto& [name, blocks] :
         std::vector<std::pair<std::string, int>>{{"u3cu3", 2}, {"barren", 1}, {"farhi", 2}}) {
        const auto space = design_space(name, 4, blocks);
        const auto choices = arch_choices(space);
        std::set<int> brute;
        std::vector<std::size_t> idx(choices.size(), 0);
        for (;;) {
            qnas::supercircuit::Arch a;
            for (std::size_t i = 0; i < choices.size(); ++i) a.push_back(choices[i][idx[i]]);
            brute.insert(qnas::supercircuit::count_params(space, a));
            std::size_t i = 0;
            while (i < idx.size() && ++idx[i] == choices[i].size()) idx[i++] = 0;
            if (i == idx.size()) break;
        }
        INFO(name);
        CHECK(achievable_param_counts(space) == std::vector<int>(brute.begin(), brute.end()));
    }
    const auto u = design_space("u3cu3", 4);
    const auto counts = achievable_param_counts(u);
    CHECK(counts.front() == 6);
    CHECK(counts.back() == 192);
    CHECK(counts.size() == 63u);  // every multiple of 3 in [6, 192]
}

TEST_CASE("gene space: a parameter budget constrains random genes; impossible budgets fail",
          "[search][gene_space][budget]") {
    const auto space = design_space("u3cu3", 4);
    GeneSpace g = co_search_space(space, 5);
    const auto n_params = [&](const Gene& gene) {
        return qnas::supercircuit::count_params(space, split_gene(space, gene).arch);
    };
    // [6, 6]: about 1 gene in 128; 192: a single arch (every layer full, 8 blocks) that random draws
    // never hit — the repair finds it.
    for (const auto& [lo, hi] : std::vector<std::pair<int, int>>{{6, 6}, {30, 36}, {0, 12}, {150, 0}, {192, 192}}) {
        g.constraint = param_budget(space, lo, hi);
        for (std::uint64_t stream = 0; stream < 5; ++stream) {
            const Gene gene = random_gene(g, 11, stream);
            INFO(lo << ".." << hi << " " << nlohmann::json(gene).dump());
            CHECK(n_params(gene) >= lo);
            CHECK((hi == 0 || n_params(gene) <= hi));
            CHECK(layout_is_legal(g, gene));
            CHECK(is_feasible(g, gene));
        }
    }
    CHECK_THROWS_WITH(param_budget(space, 0, 5), Contains("no SubCircuit of u3cu3") && Contains("6 to 192"));
    CHECK_THROWS_WITH(param_budget(space, 7, 8), Contains("[7, 8]"));  // counts are multiples of 3
    CHECK_THROWS_WITH(param_budget(space, 195, 0), Contains("no SubCircuit"));
    CHECK_THROWS_WITH(param_budget(space, 40, 30), Contains("exceeds max_params"));
    // A mask that makes the budget unreachable: the error names the constraint.
    g.constraint = param_budget(space, 150, 0);
    g.mask.assign(g.choices.size(), -1);
    g.mask.back() = 1;  // n_blocks 1: at most 24 parameters
    CHECK_THROWS_WITH(random_gene(g, 11, 0), Contains("no gene satisfies the constraint") && Contains("150"));
}

TEST_CASE("gene space: every candidate a budgeted search scores is in budget, at any thread count",
          "[search][gene_space][budget]") {
    const auto space = design_space("u3cu3", 4);
    GeneSpace g = co_search_space(space, 5);
    g.constraint = param_budget(space, 33, 39);
    std::mutex m;
    std::vector<int> seen;
    // Favours many U3 gates and layout qubit 4 on logical 0: pulls towards the budget's edges.
    const Fitness fitness = [&](const Gene& gene) {
        const int n = qnas::supercircuit::count_params(space, split_gene(space, gene).arch);
        {
            const std::lock_guard<std::mutex> lock(m);
            seen.push_back(n);
        }
        return Evaluation{-static_cast<double>(n) - (gene[0] == 4 ? 0.5 : 0.0) + 0.01 * gene[4], {}};
    };
    EvolutionOptions o;
    o.population = 12;
    o.parents = 4;
    o.mutants = 5;
    o.crossovers = 3;
    o.iterations = 6;
    o.seed = 5;
    o.n_threads = 1;
    const SearchResult one = evolve(g, fitness, co_search_key(space, true), o);
    REQUIRE(!seen.empty());
    for (const int n : seen) {
        CHECK(n >= 33);
        CHECK(n <= 39);
    }
    CHECK(qnas::supercircuit::count_params(space, split_gene(space, one.best.gene).arch) == 39);
    o.n_threads = 2;
    const SearchResult two = evolve(g, fitness, co_search_key(space, true), o);
    CHECK(two.best.gene == one.best.gene);
    REQUIRE(two.population.size() == one.population.size());
    for (std::size_t i = 0; i < one.population.size(); ++i) CHECK(two.population[i].gene == one.population[i].gene);
}
