#include "sim/parallel.h"

#include <atomic>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

using namespace qnas;

TEST_CASE("parallel_for visits every task once at any thread count", "[parallel][thread]") {
    for (int threads : {0, 1, 2, 3, 8}) {
        std::vector<int> hits(1000, 0);
        parallel_for(hits.size(), Parallelism{threads}, [&](std::size_t i) { hits[i] += 1; });
        CHECK(std::accumulate(hits.begin(), hits.end(), 0) == 1000);
        CHECK(*std::min_element(hits.begin(), hits.end()) == 1);
    }
}

TEST_CASE("parallel_for rethrows a task's exception in the caller", "[parallel][thread]") {
    std::atomic<int> done{0};
    CHECK_THROWS_AS(parallel_for(64, Parallelism{2},
                                 [&](std::size_t i) {
                                     if (i == 17) throw std::runtime_error("task failed");
                                     done++;
                                 }),
                    std::runtime_error);
    CHECK(thread_count(Parallelism{3}) == 3);
    CHECK(thread_count(Parallelism{}) >= 1);
}
