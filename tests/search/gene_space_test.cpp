#include "search/gene_space.h"

#include <string>
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
