#include "supercircuit/adam.h"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/error.h"

using namespace qnas::supercircuit;

TEST_CASE("adam: two hand-computed steps match torch's formula", "[supercircuit][adam]") {
    // Step 1 (g = 0.5): m̂ = 0.5, √v̂ = 0.5 → w = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.900000002.
    // Step 2 (g = −0.2): m = 0.025, v = 2.8975e-4, m̂ = 0.025/0.19, v̂ = 2.8975e-4/0.001999.
    std::vector<double> w{1.0};
    AdamState st = adam_init(1);
    const std::vector<int> active{0};
    AdamOptions o;
    adam_step(w, std::vector<double>{0.5}, active, st, 0.1, o);
    CHECK(w[0] == Approx(0.900000002).epsilon(1e-14));
    CHECK(st.m[0] == Approx(0.05).epsilon(1e-14));
    CHECK(st.v[0] == Approx(2.5e-4).epsilon(1e-14));
    adam_step(w, std::vector<double>{-0.2}, active, st, 0.1, o);
    const double mhat = 0.025 / 0.19, vhat = 2.8975e-4 / 0.001999;
    CHECK(w[0] == Approx(0.900000002 - 0.1 * mhat / (std::sqrt(vhat) + 1e-8)).epsilon(1e-13));
    CHECK(w[0] == Approx(0.8654394181165108).epsilon(1e-13));
    CHECK(st.steps[0] == 2);
}

TEST_CASE("adam: weight decay is added to the gradient (L2, not decoupled)", "[supercircuit][adam]") {
    std::vector<double> w{2.0};
    AdamState st = adam_init(1);
    AdamOptions o;
    o.weight_decay = 0.5;
    adam_step(w, std::vector<double>{0.3}, std::vector<int>{0}, st, 0.01, o);
    // g = 0.3 + 0.5·2 = 1.3: m̂ = 1.3, √v̂ = 1.3.
    CHECK(w[0] == Approx(2.0 - 0.01 * 1.3 / (1.3 + 1e-8)).epsilon(1e-14));
    CHECK(st.m[0] == Approx(0.13).epsilon(1e-14));
    adam_step(w, std::vector<double>{0.1}, std::vector<int>{0}, st, 0.01, o);
    CHECK(w[0] == Approx(1.9800808968220296).epsilon(1e-13));
}

TEST_CASE("adam: inactive weights keep value, moments and step count", "[supercircuit][adam]") {
    std::vector<double> w{1.0, 1.0, 1.0};
    AdamState st = adam_init(3);
    AdamOptions o;
    const std::vector<double> g{0.5, 0.5, 0.5};
    adam_step(w, g, std::vector<int>{0}, st, 0.1, o);
    CHECK(w[1] == 1.0);
    CHECK(w[2] == 1.0);
    CHECK(st.m[1] == 0.0);
    CHECK(st.steps[1] == 0);
    adam_step(w, g, std::vector<int>{0, 1}, st, 0.1, o);
    CHECK(st.steps[0] == 2);
    CHECK(st.steps[1] == 1);
    // Weight 1's first step is bias-corrected as a first step: w = 1 − lr·g/(|g| + eps).
    CHECK(w[1] == Approx(0.900000002).epsilon(1e-14));
    CHECK(w[0] != w[1]);
    CHECK(w[2] == 1.0);
}

TEST_CASE("adam: converges on a quadratic", "[supercircuit][adam]") {
    const std::vector<double> a{1.0, 10.0, 0.1}, c{0.5, -1.5, 2.0};
    std::vector<double> w{0.0, 0.0, 0.0}, g(3);
    AdamState st = adam_init(3);
    const std::vector<int> active{0, 1, 2};
    for (int it = 0; it < 5000; ++it) {
        for (int i = 0; i < 3; ++i) g[i] = 2 * a[i] * (w[i] - c[i]);
        adam_step(w, g, active, st, it < 3000 ? 0.01 : 0.001, AdamOptions{});
    }
    for (int i = 0; i < 3; ++i) CHECK(w[i] == Approx(c[i]).margin(1e-3));
}

TEST_CASE("adam: bad sizes and indices are errors", "[supercircuit][adam]") {
    std::vector<double> w{1.0};
    AdamState st = adam_init(1);
    CHECK_THROWS_AS(adam_step(w, std::vector<double>{1, 2}, std::vector<int>{0}, st, 0.1, {}), qnas::Error);
    CHECK_THROWS_AS(adam_step(w, std::vector<double>{1}, std::vector<int>{1}, st, 0.1, {}), qnas::Error);
}
