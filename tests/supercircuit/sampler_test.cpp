#include "supercircuit/sampler.h"

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/error.h"

using namespace qnas::supercircuit;

namespace {

// The U3+CU3 4-qubit, 8-block gene: 16 layer values in 1..4, then n_blocks in 1..8.
std::vector<std::vector<int>> u3cu3_choices() {
    std::vector<std::vector<int>> c(16, {1, 2, 3, 4});
    c.push_back({1, 2, 3, 4, 5, 6, 7, 8});
    return c;
}

std::vector<int> range(int lo, int hi) {
    std::vector<int> v;
    for (int i = lo; i <= hi; ++i) v.push_back(i);
    return v;
}

// n_blocks values allowed in `epoch` of a 200-epoch run with 92 steps per epoch (MNIST-4).
std::vector<int> allowed_at_epoch(int epoch, int n_chunks) {
    const std::int64_t total = 92 * 200;
    const std::vector<int> first =
        blkexpand_allowed(range(1, 8), blkexpand_chunk(92 * epoch, total, 40, n_chunks), n_chunks);
    const std::vector<int> last =
        blkexpand_allowed(range(1, 8), blkexpand_chunk(92 * epoch + 91, total, 40, n_chunks), n_chunks);
    REQUIRE(first == last);  // stages are whole epochs here
    return first;
}

}  // namespace

TEST_CASE("sampler: ldiff_blkexpand chu3_sta40 epoch ranges over 200 epochs", "[supercircuit][sampler]") {
    for (int e = 0; e < 200; ++e) {
        INFO("epoch " << e);
        if (e < 5)
            CHECK(allowed_at_epoch(e, 3) == range(6, 8));
        else if (e < 10)
            CHECK(allowed_at_epoch(e, 3) == range(3, 8));
        else
            CHECK(allowed_at_epoch(e, 3) == range(1, 8));
    }
}

TEST_CASE("sampler: ldiff_blkexpand chu10_sta40 widens every 5 epochs until epoch 45", "[supercircuit][sampler]") {
    // start index per chunk: round(7·(1 − (c+1)/10)) = 6, 6, 5, 4, 4 (3.5), 3, 2, 1, 1, 0.
    const int start[10] = {6, 6, 5, 4, 4, 3, 2, 1, 1, 0};
    for (int e = 0; e < 200; ++e) {
        INFO("epoch " << e);
        const int chunk = std::min(e / 5, 9);
        CHECK(allowed_at_epoch(e, 10) == range(start[chunk] + 1, 8));
    }
    CHECK(allowed_at_epoch(0, 10) == std::vector<int>{7, 8});
    CHECK(allowed_at_epoch(44, 10) == range(2, 8));
    CHECK(allowed_at_epoch(45, 10) == range(1, 8));
}

TEST_CASE("sampler: Python rounding and floor division", "[supercircuit][sampler]") {
    // (6 − 1)·(1 − 1/2) = 2.5 rounds to 2 (half to even), not 3.
    CHECK(blkexpand_allowed(range(1, 6), 0, 2) == range(3, 6));
    // 1.5 → 2: 4 choices, 1 − 1/2 → 3·0.5 = 1.5.
    CHECK(blkexpand_allowed(range(1, 4), 0, 2) == range(3, 4));
    CHECK(python_floordiv(7.0, 2.0) == 3.0);
    CHECK(python_floordiv(460.0, 460.0) == 1.0);
    CHECK(python_floordiv(459.0, 460.0) == 0.0);
    // 1 // 0.1 is 9.0 in Python (0.1 is slightly above 1/10), while floor(1 / 0.1) = 10.
    CHECK(python_floordiv(1.0, 0.1) == 9.0);
}

TEST_CASE("sampler: ldiff_blkexpand respects the allowed n_blocks and n_diffs", "[supercircuit][sampler]") {
    ArchSampler s = make_sampler(u3cu3_choices(), {SamplerKind::LdiffBlkexpand, 7, 3, 40}, 42, 92 * 200);
    std::vector<int> prev = std::vector<int>(16, 4);
    prev.push_back(8);
    std::set<int> blocks_seen;
    for (std::int64_t step = 0; step < 92 * 12; ++step) {
        const int chunk = blkexpand_chunk(step, 92 * 200, 40, 3);
        const std::vector<int> allowed = blkexpand_allowed(range(1, 8), chunk, 3);
        const std::vector<int> a = sample_arch(s);
        REQUIRE(a.size() == 17);
        CHECK(a.back() >= allowed.front());
        int diffs = 0;
        for (std::size_t i = 0; i < a.size(); ++i) diffs += a[i] != prev[i];
        CHECK(diffs <= 7);
        if (step >= 92 * 10) blocks_seen.insert(a.back());
        prev = a;
    }
    CHECK(blocks_seen.count(1) == 1);  // fully expanded from epoch 10 on
    CHECK(s.state.step == 92 * 12);
}

TEST_CASE("sampler: limit_diff changes at most n_diffs positions", "[supercircuit][sampler]") {
    ArchSampler s = make_sampler(u3cu3_choices(), {SamplerKind::LimitDiff, 3, 3, 40}, 7, 1000);
    std::vector<int> prev = sample_arch(s);
    int max_diffs = 0;
    for (int i = 0; i < 500; ++i) {
        const std::vector<int> a = sample_arch(s);
        int diffs = 0;
        for (std::size_t j = 0; j < a.size(); ++j) diffs += a[j] != prev[j];
        CHECK(diffs <= 3);
        max_diffs = std::max(max_diffs, diffs);
        prev = a;
    }
    CHECK(max_diffs == 3);
}

TEST_CASE("sampler: plain is uniform per position and seeded", "[supercircuit][sampler]") {
    ArchSampler s = make_sampler(u3cu3_choices(), {}, 1, 1);
    const int n = 8000;
    std::map<int, int> blocks, layer;
    for (int i = 0; i < n; ++i) {
        const std::vector<int> a = sample_arch(s);
        ++blocks[a.back()];
        ++layer[a[3]];
    }
    REQUIRE(blocks.size() == 8);
    for (auto [v, count] : blocks) CHECK(std::abs(count - n / 8) < 5 * std::sqrt(n / 8.0));
    REQUIRE(layer.size() == 4);
    for (auto [v, count] : layer) CHECK(std::abs(count - n / 4) < 5 * std::sqrt(n / 4.0));

    ArchSampler a = make_sampler(u3cu3_choices(), {}, 5, 1), b = a, c = make_sampler(u3cu3_choices(), {}, 6, 1);
    bool differs = false;
    for (int i = 0; i < 20; ++i) {
        const auto x = sample_arch(a);
        CHECK(x == sample_arch(b));
        differs |= x != sample_arch(c);
    }
    CHECK(differs);
}

TEST_CASE("sampler: a restored state continues the same sequence", "[supercircuit][sampler]") {
    ArchSampler s = make_sampler(u3cu3_choices(), {SamplerKind::LimitDiff, 7, 3, 40}, 3, 100);
    for (int i = 0; i < 10; ++i) sample_arch(s);
    const SamplerState saved = s.state;
    std::vector<std::vector<int>> expected;
    for (int i = 0; i < 10; ++i) expected.push_back(sample_arch(s));
    ArchSampler r = make_sampler(u3cu3_choices(), {SamplerKind::LimitDiff, 7, 3, 40}, 3, 100);
    r.state = saved;
    for (int i = 0; i < 10; ++i) CHECK(sample_arch(r) == expected[i]);
}

TEST_CASE("sampler: bad options are errors", "[supercircuit][sampler]") {
    CHECK_THROWS_AS(make_sampler(u3cu3_choices(), {SamplerKind::LimitDiff, 18, 3, 40}, 0, 10), qnas::Error);
    CHECK_THROWS_AS(make_sampler(u3cu3_choices(), {SamplerKind::LdiffBlkexpand, 7, 0, 40}, 0, 10), qnas::Error);
    CHECK_THROWS_AS(make_sampler({}, {}, 0, 10), qnas::Error);
    CHECK_THROWS_AS(parse_sampler_kind("progressive"), qnas::Error);
    CHECK(parse_sampler_kind("ldiff_blkexpand") == SamplerKind::LdiffBlkexpand);
}

TEST_CASE("sampler: sandwich cycles largest / smallest / random layers, n_blocks uniform", "[supercircuit][sampler]") {
    const auto choices = u3cu3_choices();
    ArchSampler s = make_sampler(choices, {SamplerKind::Sandwich, 7, 3, 40, 2}, 11, 1000);
    std::set<int> blocks_seen;
    std::map<int, int> random_layer_values;
    bool random_differs_from_extremes = false;
    for (int step = 0; step < 400; ++step) {
        const std::vector<int> a = sample_arch(s);
        REQUIRE(a.size() == choices.size());
        blocks_seen.insert(a.back());
        const std::vector<int> layers(a.begin(), a.end() - 1);
        if (step % 4 == 0) {
            CHECK(layers == std::vector<int>(16, 4));
        } else if (step % 4 == 1) {
            CHECK(layers == std::vector<int>(16, 1));
        } else {
            for (const int v : layers) ++random_layer_values[v];
            if (layers != std::vector<int>(16, 4) && layers != std::vector<int>(16, 1))
                random_differs_from_extremes = true;
        }
    }
    CHECK(random_differs_from_extremes);
    CHECK(blocks_seen == std::set<int>{1, 2, 3, 4, 5, 6, 7, 8});
    // 200 random steps × 16 layers = 3200 uniform draws over 1..4: each ≈ 800 (σ ≈ 24.5).
    REQUIRE(random_layer_values.size() == 4);
    for (const auto& [v, n] : random_layer_values) CHECK(std::abs(n - 800) < 150);

    // Resumable: the state (step count) alone determines the continuation.
    ArchSampler a = make_sampler(choices, {SamplerKind::Sandwich, 7, 3, 40, 1}, 5, 100);
    for (int i = 0; i < 7; ++i) sample_arch(a);
    ArchSampler b = make_sampler(choices, {SamplerKind::Sandwich, 7, 3, 40, 1}, 5, 100);
    b.state = a.state;
    for (int i = 0; i < 6; ++i) CHECK(sample_arch(a) == sample_arch(b));

    // sandwich_random 0: largest and smallest alternate.
    ArchSampler z = make_sampler(choices, {SamplerKind::Sandwich, 7, 3, 40, 0}, 5, 100);
    CHECK(sample_arch(z)[0] == 4);
    CHECK(sample_arch(z)[0] == 1);
    CHECK(sample_arch(z)[0] == 4);

    CHECK_THROWS_AS(make_sampler(choices, {SamplerKind::Sandwich, 7, 3, 40, -1}, 0, 10), qnas::Error);
    CHECK(parse_sampler_kind("sandwich") == SamplerKind::Sandwich);
    CHECK(std::string(sampler_kind_name(SamplerKind::Sandwich)) == "sandwich");
}
