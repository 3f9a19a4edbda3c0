#include "search/gate_pruning.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <filesystem>
#include <numbers>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/error.h"
#include "sim/statevector.h"
#include "supercircuit/rng.h"
#include "supercircuit/train_model.h"

using namespace qnas;
using namespace qnas::search;
using sim::GateKind;
using sim::Param;
namespace fs = std::filesystem;
namespace sc = qnas::supercircuit;

namespace {

constexpr double kPi = std::numbers::pi;

// Synthetic 4-class task (as in the trainer tests): RY(x_q) on qubit q, label = the qubit with the
// smallest feature.
sc::Dataset synthetic(std::size_t n, std::uint64_t seed) {
    sc::Dataset d;
    d.n_features = 4;
    d.n_classes = 4;
    sc::CounterRng r = sc::rng_stream(seed, sc::RngDomain::Init, 77);
    for (std::size_t i = 0; i < n; ++i) {
        int best = 0;
        double lo = 10;
        for (int q = 0; q < 4; ++q) {
            const double x = kPi * sc::uniform_double(r);
            d.x.push_back(x);
            if (x < lo) lo = x, best = q;
        }
        d.y.push_back(best);
    }
    return d;
}

// RY encoder, then U3 on every qubit and a ring of CU3: 24 angles.
sim::Circuit small_circuit() {
    sim::Circuit c(4);
    for (int q = 0; q < 4; ++q) c.add(GateKind::RY, {q}, {Param::input(q)});
    for (int q = 0; q < 4; ++q)
        c.add(GateKind::U3, {q}, {Param::trainable(3 * q), Param::trainable(3 * q + 1), Param::trainable(3 * q + 2)});
    for (int p = 0; p < 4; ++p)
        c.add(GateKind::CU3, {p, (p + 1) % 4},
              {Param::trainable(12 + 3 * p), Param::trainable(13 + 3 * p), Param::trainable(14 + 3 * p)});
    return c;
}

GatePruningOptions small_pruning(int epochs) {
    GatePruningOptions o = default_gate_pruning_options();
    o.initial_ratio = 0.1;
    o.target_ratio = 0.5;
    o.end_epoch = 3;
    o.train.epochs = epochs;
    o.train.batch_size = 16;
    o.train.schedule.lr = 0.02;
    o.train.seed = 5;
    o.train.n_threads = 1;
    o.train.quiet = true;
    return o;
}

// A briefly trained starting point (the "from-scratch" SubCircuit).
std::vector<double> pretrained(const sc::TrainModel& m, const sc::Splits& data) {
    sc::TrainOptions t;
    t.epochs = 4;
    t.batch_size = 16;
    t.schedule = {sc::ScheduleKind::Cosine, 0.05};
    t.seed = 3;
    t.n_threads = 1;
    t.quiet = true;
    return sc::train(m, data, t).weights;
}

double overlap(const sim::State& a, const sim::State& b) {
    std::complex<double> s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += std::conj(a[i]) * b[i];
    return std::abs(s);
}

}  // namespace

TEST_CASE("gate pruning: polynomial schedule", "[search][prune]") {
    GatePruningOptions o;
    o.initial_ratio = 0.05;
    o.target_ratio = 0.45;
    o.start_epoch = 10;
    o.end_epoch = 30;  // T = 20
    CHECK(pruning_ratio(o, 0) == 0.0);
    CHECK(pruning_ratio(o, 9) == 0.0);
    CHECK(pruning_ratio(o, 10) == Approx(0.05).margin(1e-15));
    // t = T/2: 0.05 + 0.4·(1 − 1/8) = 0.4
    CHECK(pruning_ratio(o, 20) == Approx(0.4).margin(1e-15));
    // t = T/4: 0.05 + 0.4·(1 − 27/64) = 0.28125
    CHECK(pruning_ratio(o, 15) == Approx(0.28125).margin(1e-15));
    CHECK(pruning_ratio(o, 30) == Approx(0.45).margin(1e-15));
    CHECK(pruning_ratio(o, 500) == Approx(0.45).margin(1e-15));
    o.power = 1.0;
    CHECK(pruning_ratio(o, 20) == Approx(0.25).margin(1e-15));
}

TEST_CASE("gate pruning: wrap_angle lands in (−π, π]", "[search][prune]") {
    CHECK(wrap_angle(0.0) == 0.0);
    CHECK(wrap_angle(kPi) == kPi);
    CHECK(wrap_angle(-kPi) == kPi);
    CHECK(std::abs(wrap_angle(3 * kPi)) == Approx(kPi).margin(1e-12));
    CHECK(wrap_angle(2 * kPi) == Approx(0.0).margin(1e-15));
    CHECK(wrap_angle(-2 * kPi + 0.25) == Approx(0.25).margin(1e-12));
    CHECK(wrap_angle(7.0) == Approx(7.0 - 2 * kPi).margin(1e-12));
    CHECK(wrap_angle(-4.0) == Approx(-4.0 + 2 * kPi).margin(1e-12));
    for (const double a : {-100.0, -3.2, 3.2, 55.5}) {
        const double w = wrap_angle(a);
        CHECK(w > -kPi);
        CHECK(w <= kPi);
        CHECK(std::remainder(w - a, 2 * kPi) == Approx(0.0).margin(1e-12));
    }
}

TEST_CASE("gate pruning: magnitude_prune_set picks the smallest |wrapped θ|, ties by index", "[search][prune]") {
    // Values with ties (0.3 and −0.3, 2π + 0.1 ≡ 0.1, 0 and −2π ≡ 0) and an unprunable index 1.
    const std::vector<double> theta{0.3, 0.0, -0.3, 2 * kPi + 0.1, 2.5, -2 * kPi, 0.0, -3.0, 1.0, 0.1};
    const std::vector<int> prunable{0, 2, 3, 4, 5, 6, 7, 8, 9};
    for (const double ratio : {0.0, 0.1, 0.3, 0.5, 0.7, 1.0}) {
        // Brute force: stable sort by rounded magnitude keeps index order among ties.
        std::vector<int> order = prunable;
        auto mag = [&](int i) { return std::round(std::abs(std::remainder(theta[i], 2 * kPi)) * 1e9); };
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return mag(a) < mag(b); });
        const auto n = static_cast<std::size_t>(std::floor(ratio * 9 + 1e-9));
        std::vector<int> expect(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n));
        std::sort(expect.begin(), expect.end());
        CHECK(magnitude_prune_set(theta, prunable, ratio) == expect);
    }
    CHECK(magnitude_prune_set(theta, prunable, 0.3) == std::vector<int>{5, 6});
    CHECK_THROWS_AS(magnitude_prune_set(theta, std::vector<int>{10}, 0.5), Error);
    CHECK_THROWS_AS(magnitude_prune_set(theta, prunable, 1.5), Error);
}

TEST_CASE("gate pruning: prune_and_finetune reaches the target sparsity and keeps accuracy", "[search][prune]") {
    const sc::Splits data{synthetic(96, 1), synthetic(48, 2), synthetic(48, 3)};
    const sc::TrainModel model = sc::fixed_circuit_model(small_circuit());
    const std::vector<double> w0 = pretrained(model, data);
    const GatePruningOptions o = small_pruning(5);
    const GatePruningResult r = prune_and_finetune(model, data, w0, o);
    REQUIRE(r.metrics.size() == 5);
    CHECK(r.final_ratio == Approx(0.5));
    const int n_zero = static_cast<int>(std::count(r.weights.begin(), r.weights.end(), 0.0));
    CHECK(n_zero == 12);  // floor(0.5 · 24)
    CHECK(std::count(r.pruned.begin(), r.pruned.end(), 1) == 12);
    for (std::size_t i = 0; i < r.weights.size(); ++i)
        if (r.pruned[i]) CHECK(r.weights[i] == 0.0);
    for (int e = 0; e < 5; ++e) {
        CHECK(r.metrics[e]["ratio"].get<double>() == Approx(pruning_ratio(o, e)));
        CHECK(r.metrics[e]["n_pruned"].get<int>() == static_cast<int>(std::floor(pruning_ratio(o, e) * 24 + 1e-9)));
    }
    // The pruned model still classifies far above chance (0.25).
    CHECK(r.metrics.back()["valid_acc"].get<double>() > 0.45);
}

TEST_CASE("gate pruning: resume after a kill is bit-identical", "[search][prune]") {
    const sc::Splits data{synthetic(48, 4), synthetic(16, 5), synthetic(16, 6)};
    const sc::TrainModel model = sc::fixed_circuit_model(small_circuit());
    const std::vector<double> w0 = sc::initial_weights(24, 9);
    GatePruningOptions o = small_pruning(4);
    const GatePruningResult ref = prune_and_finetune(model, data, w0, o);
    const fs::path dir = fs::temp_directory_path() / "qnas_gate_pruning_resume";
    fs::remove_all(dir);
    o.train.run_dir = dir.string();
    o.train.stop_after_epochs = 2;
    const GatePruningResult part = prune_and_finetune(model, data, w0, o);
    CHECK(part.metrics.size() == 2);
    CHECK(part.weights != ref.weights);
    o.train.stop_after_epochs = 0;
    o.train.resume = true;
    const GatePruningResult rest = prune_and_finetune(model, data, w0, o);
    CHECK(rest.metrics.size() == 2);
    CHECK(rest.weights == ref.weights);
    CHECK(rest.pruned == ref.pruned);
    CHECK(rest.metrics.back()["n_pruned"] == ref.metrics.back()["n_pruned"]);
    // Nothing left to run: the mask comes from the final weights.
    const GatePruningResult again = prune_and_finetune(model, data, w0, o);
    CHECK(again.metrics.empty());
    CHECK(again.pruned == ref.pruned);
    fs::remove_all(dir);
}

TEST_CASE("gate pruning: remove_pruned_gates drops identity gates only", "[search][prune]") {
    sim::Circuit c(3);
    for (int q = 0; q < 3; ++q) c.add(GateKind::H, {q});
    c.add(GateKind::U3, {0}, {Param::trainable(0), Param::trainable(1), Param::trainable(2)});      // kept
    c.add(GateKind::U3, {1}, {Param::trainable(3), Param::trainable(4), Param::trainable(5)});      // 0, 2π, −2π
    c.add(GateKind::CU3, {0, 1}, {Param::trainable(6), Param::trainable(7), Param::trainable(8)});  // all 0
    c.add(GateKind::CU3, {1, 2}, {Param::trainable(9), Param::trainable(6), Param::trainable(6)});  // θ = 2π: Z on q1
    c.add(GateKind::RZ, {2}, {Param::constant(0.0)});                                               // not trainable
    c.add(GateKind::RY, {2}, {Param::input(0)});                                                    // reads an input
    c.add(GateKind::CX, {2, 0});
    c.add(GateKind::RX, {2}, {Param::trainable(10)});                                              // 4π
    c.add(GateKind::RZ, {0}, {Param::trainable(11)});                                              // 0.5
    c.add(GateKind::U3, {1}, {Param::trainable(12), Param::trainable(13), Param::trainable(12)});  // tiny angles
    const std::vector<double> theta{0.4, -1.2, 0.7,     0.0,     2 * kPi, -2 * kPi, 0.0,
                                    0.0, 0.0,  2 * kPi, 4 * kPi, 0.5,     5e-4,     -8e-4};
    const sim::Circuit r = remove_pruned_gates(c, theta, 1e-3);
    REQUIRE(r.ops.size() == c.ops.size() - 4);
    std::vector<sim::Op> expect;
    for (const std::size_t i : {0, 1, 2, 3, 6, 7, 8, 9, 11}) expect.push_back(c.ops[i]);
    CHECK(r.ops == expect);
    CHECK(r.n_trainable == c.n_trainable);

    // Same state up to a global phase when the removed angles are exactly 0 mod 2π (the tiny U3 is
    // removed too, so compare against the circuit with its angles set to 0).
    std::vector<double> exact = theta;
    exact[12] = exact[13] = 0.0;
    const std::vector<double> x{0.9};
    CHECK(overlap(sim::simulate(c, exact, x), sim::simulate(r, exact, x)) == Approx(1.0).margin(1e-12));
    // Removing the controlled rotation at θ = 2π would change the state.
    sim::Circuit wrong = r;
    wrong.ops.erase(wrong.ops.begin() + 4);
    CHECK(overlap(sim::simulate(c, exact, x), sim::simulate(wrong, exact, x)) < 0.99);
    // A larger threshold removes the RZ(0.5) as well.
    CHECK(remove_pruned_gates(c, theta, 0.6).ops.size() == r.ops.size() - 1);
}
