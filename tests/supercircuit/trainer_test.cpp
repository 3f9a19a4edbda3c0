#include "supercircuit/trainer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/error.h"
#include "supercircuit/checkpoint.h"
#include "supercircuit/rng.h"

using namespace qnas::supercircuit;
namespace fs = std::filesystem;
using qnas::sim::GateKind;
using qnas::sim::Param;

namespace {

// Synthetic 4-class data: features x_q ∈ [0, π) encoded by RY(x_q) on qubit q, so ⟨Z_q⟩ = cos x_q
// before the trainable part; the label is the qubit with the smallest feature (largest ⟨Z⟩).
Dataset synthetic(std::size_t n, std::uint64_t seed) {
    Dataset d;
    d.n_features = 4;
    d.n_classes = 4;
    CounterRng r = rng_stream(seed, RngDomain::Init, 99);
    for (std::size_t i = 0; i < n; ++i) {
        int best = 0;
        double lo = 10;
        for (int q = 0; q < 4; ++q) {
            const double x = std::numbers::pi * uniform_double(r);
            d.x.push_back(x);
            if (x < lo) lo = x, best = q;
        }
        d.y.push_back(best);
    }
    return d;
}

Splits synthetic_splits(std::size_t n_train = 150) {
    return {synthetic(n_train, 1), synthetic(40, 2), synthetic(40, 3)};
}

// A toy two-block U3+CU3 space: gene = [u3 count, cu3 count, u3 count, cu3 count, n_blocks];
// block b uses weights 24b .. 24b+23 (U3 on wire q: 24b + 3q, CU3 on pair p: 24b + 12 + 3p).
qnas::sim::Circuit toy_circuit(std::span<const int> arch) {
    qnas::sim::Circuit c(4);
    for (int q = 0; q < 4; ++q) c.add(GateKind::RY, {q}, {Param::input(q)});
    const int n_blocks = arch.empty() ? 2 : arch[4];
    for (int b = 0; b < n_blocks; ++b) {
        const int n_u3 = arch.empty() ? 4 : arch[2 * b], n_cu3 = arch.empty() ? 4 : arch[2 * b + 1];
        for (int q = 0; q < n_u3; ++q) {
            const int w = 24 * b + 3 * q;
            c.add(GateKind::U3, {q}, {Param::trainable(w), Param::trainable(w + 1), Param::trainable(w + 2)});
        }
        for (int p = 0; p < n_cu3; ++p) {
            const int w = 24 * b + 12 + 3 * p;
            c.add(GateKind::CU3, {p, (p + 1) % 4},
                  {Param::trainable(w), Param::trainable(w + 1), Param::trainable(w + 2)});
        }
    }
    c.n_trainable = 48;
    return c;
}

TrainModel toy_super(int max_blocks = 2) {
    TrainModel m;
    m.n_weights = 48;
    m.arch_choices = {{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}, {}};
    for (int b = 1; b <= max_blocks; ++b) m.arch_choices.back().push_back(b);
    m.circuit = toy_circuit;
    m.probes = {{"largest", {4, 4, 4, 4, max_blocks}}, {"smallest", {1, 1, 1, 1, 1}}};
    return m;
}

TrainModel toy_fixed() {
    TrainModel m;
    m.n_weights = 48;
    m.circuit = [](std::span<const int>) { return toy_circuit({}); };
    return m;
}

TrainOptions small_options(int epochs) {
    TrainOptions o;
    o.epochs = epochs;
    o.batch_size = 32;
    o.schedule.kind = ScheduleKind::Cosine;
    o.schedule.lr = 0.05;
    o.seed = 11;
    o.quiet = true;
    o.n_threads = 1;
    return o;
}

fs::path fresh_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("qnas_trainer_test_" + name);
    fs::remove_all(d);
    return d;
}

std::size_t count_lines(const fs::path& p) {
    std::ifstream in(p);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
}

}  // namespace

TEST_CASE("trainer: a fixed circuit learns the synthetic task", "[supercircuit][train]") {
    const Splits data = synthetic_splits();
    const TrainResult r = train(toy_fixed(), data, small_options(8));
    REQUIRE(r.metrics.size() == 8);
    CHECK(r.epochs_done == 8);
    const double first = r.metrics.front()["train_loss"], last = r.metrics.back()["train_loss"];
    CHECK(last < first - 0.05);
    CHECK(r.metrics.back()["train_acc"].get<double>() > 0.5);
    CHECK(r.metrics.back()["valid_acc"].get<double>() > 0.4);
    // 150 samples, batch 32: 5 steps per epoch (the last one has 22 samples).
    CHECK(r.metrics.back()["steps"] == 40);
    CHECK(r.best_epoch >= 1);
    double best = 0;
    for (const auto& m : r.metrics) best = std::max(best, m["valid_acc"].get<double>());
    CHECK(r.best_valid_accuracy == best);
    CHECK(r.metrics[r.best_epoch - 1]["test_acc"].get<double>() == r.best_test_accuracy);
    CHECK(r.programs_compiled == 1);
}

TEST_CASE("trainer: cosine lr per epoch is in the metrics", "[supercircuit][train]") {
    TrainOptions o = small_options(4);
    const TrainResult r = train(toy_fixed(), synthetic_splits(40), o);
    for (int e = 0; e < 4; ++e)
        CHECK(r.metrics[e]["lr"].get<double>() == learning_rate({ScheduleKind::Cosine, 0.05, 4, 0, 0}, e));
}

TEST_CASE("trainer: a SuperCircuit step only updates the sampled SubCircuit's weights", "[supercircuit][train]") {
    // n_blocks is always 1: the second block's weights must keep their initial values.
    TrainOptions o = small_options(2);
    const TrainResult r = train(toy_super(1), synthetic_splits(60), o);
    const std::vector<double> init = initial_weights(48, o.seed);
    for (int i = 24; i < 48; ++i) CHECK(r.weights[i] == init[i]);
    int changed = 0;
    for (int i = 0; i < 24; ++i) changed += r.weights[i] != init[i];
    CHECK(changed == 24);
    REQUIRE(r.metrics.back().contains("probes"));
    CHECK(r.metrics.back()["probes"].contains("smallest"));
}

TEST_CASE("trainer: step_inactive keeps stepping a weight after its first gradient (torch < 2.0 zero_grad)",
          "[supercircuit][train]") {
    // 60 samples, batch 32: 2 steps per epoch, 6 steps. The sampled genes do not depend on the weights,
    // so both runs see the same SubCircuits.
    const Splits data = synthetic_splits(60);
    TrainOptions o = small_options(3);
    const fs::path off_dir = fresh_dir("lazy"), on_dir = fresh_dir("dense");
    o.run_dir = off_dir.string();
    const TrainResult off = train(toy_super(), data, o);
    o.run_dir = on_dir.string();
    o.adam.step_inactive = true;
    const TrainResult on = train(toy_super(), data, o);
    const TrainCheckpoint a = load_checkpoint((off_dir / "checkpoint.json").string());
    const TrainCheckpoint b = load_checkpoint((on_dir / "checkpoint.json").string());
    const std::vector<double> init = initial_weights(48, o.seed);
    int more = 0;
    for (std::size_t i = 0; i < 48; ++i) {
        INFO("weight " << i);
        CHECK((a.adam.steps[i] > 0) == (b.adam.steps[i] > 0));  // the same weights were ever active
        CHECK(b.adam.steps[i] >= a.adam.steps[i]);
        if (b.adam.steps[i] == 0) CHECK(on.weights[i] == init[i]);  // never active: never moved
        more += b.adam.steps[i] > a.adam.steps[i];
    }
    // Block 1's first U3 is in every SubCircuit: stepped at all 6 steps either way.
    for (std::size_t i = 0; i < 3; ++i) CHECK((a.adam.steps[i] == 6 && b.adam.steps[i] == 6));
    // With step_inactive every stepped weight is stepped at every step after its first one: the
    // counts are 6 − (first active step) + 1, and some weights were idle at some step.
    CHECK(*std::max_element(b.adam.steps.begin(), b.adam.steps.end()) == 6);
    CHECK(more > 0);
    CHECK(on.weights != off.weights);
}

TEST_CASE("trainer: SuperCircuit training is identical at 1 and 2 threads", "[supercircuit][train]") {
    const Splits data = synthetic_splits(100);
    TrainOptions o = small_options(2);
    o.sampler = {SamplerKind::LimitDiff, 2, 3, 40};
    const TrainResult a = train(toy_super(), data, o);
    o.n_threads = 2;
    const TrainResult b = train(toy_super(), data, o);
    CHECK(a.weights == b.weights);
    CHECK(a.metrics.back()["valid_loss"] == b.metrics.back()["valid_loss"]);
    o.seed = 12;
    const TrainResult c = train(toy_super(), data, o);
    CHECK(a.weights != c.weights);
}

TEST_CASE("trainer: resume after a kill gives the bit-identical result", "[supercircuit][train]") {
    const Splits data = synthetic_splits(100);
    TrainOptions o = small_options(3);
    o.sampler = {SamplerKind::LdiffBlkexpand, 3, 2, 4};
    const fs::path full = fresh_dir("full"), killed = fresh_dir("killed");
    o.run_dir = full.string();
    const TrainResult ref = train(toy_super(), data, o);
    CHECK(count_lines(full / "metrics.jsonl") == 3);

    o.run_dir = killed.string();
    o.stop_after_epochs = 1;
    const TrainResult part = train(toy_super(), data, o);
    CHECK(part.epochs_done == 1);
    CHECK(part.weights != ref.weights);
    // A stray line past the checkpoint (killed between metrics and checkpoint) is dropped on resume.
    std::ofstream(killed / "metrics.jsonl", std::ios::app) << "{\"epoch\": 2}\n";
    o.stop_after_epochs = 0;
    o.resume = true;
    const TrainResult rest = train(toy_super(), data, o);
    CHECK(rest.metrics.size() == 2);
    CHECK(rest.epochs_done == 3);
    CHECK(rest.weights == ref.weights);
    CHECK(rest.best_weights == ref.best_weights);
    CHECK(rest.best_epoch == ref.best_epoch);
    CHECK(count_lines(killed / "metrics.jsonl") == 3);
    const TrainCheckpoint a = load_checkpoint((full / "checkpoint.json").string());
    const TrainCheckpoint b = load_checkpoint((killed / "checkpoint.json").string());
    CHECK(a.adam.m == b.adam.m);
    CHECK(a.adam.v == b.adam.v);
    CHECK(a.adam.steps == b.adam.steps);
    CHECK(a.sampler.step == b.sampler.step);
    CHECK(a.sampler.previous == b.sampler.previous);
    CHECK(fs::exists(killed / "train.log"));

    // Resuming with a different seed is refused.
    o.seed = 99;
    CHECK_THROWS_WITH(train(toy_super(), data, o), Catch::Contains("different seed"));
    fs::remove_all(full);
    fs::remove_all(killed);
}

TEST_CASE("trainer: two-class readout groups and bad input", "[supercircuit][train]") {
    Splits data = synthetic_splits(60);
    for (auto* d : {&data.train, &data.valid, &data.test})
        for (int& y : d->y) y = y < 2 ? 0 : 1;
    TrainOptions o = small_options(1);
    o.readout_groups = {{0, 1}, {2, 3}};
    const TrainResult r = train(toy_fixed(), data, o);
    CHECK(r.metrics.size() == 1);
    // valid loss of two logits in [−2, 2] is below log(1 + e^4).
    CHECK(r.metrics[0]["valid_loss"].get<double>() < std::log(1 + std::exp(4.0)));

    o.readout_groups = {{0, 7}};
    CHECK_THROWS_AS(train(toy_fixed(), data, o), qnas::Error);
    o.readout_groups = {};
    Splits bad = synthetic_splits(20);
    bad.train.y[0] = 9;
    CHECK_THROWS_WITH(train(toy_fixed(), bad, o), Catch::Contains("label 9"));
    bad = synthetic_splits(20);
    bad.train.n_features = 3;
    CHECK_THROWS_AS(train(toy_fixed(), bad, o), qnas::Error);
}

TEST_CASE("trainer: malformed checkpoints are one-line errors naming the file", "[supercircuit][train]") {
    const fs::path d = fresh_dir("badckpt");
    fs::create_directories(d);
    std::ofstream(d / "checkpoint.json") << "{\"format\": \"qnas-train-checkpoint\", \"version\": 1}";
    TrainOptions o = small_options(1);
    o.run_dir = d.string();
    o.resume = true;
    CHECK_THROWS_WITH(train(toy_fixed(), synthetic_splits(20), o), Catch::Contains("checkpoint.json: /epochs_done"));
    std::ofstream(d / "checkpoint.json") << "{not json";
    CHECK_THROWS_WITH(train(toy_fixed(), synthetic_splits(20), o), Catch::Contains("invalid JSON"));
    fs::remove_all(d);
}

TEST_CASE("trainer: initial weights are uniform in (−π, π) and seeded", "[supercircuit][train]") {
    const std::vector<double> w = initial_weights(2000, 5);
    double mean = 0;
    for (double x : w) {
        CHECK(std::abs(x) < std::numbers::pi);
        mean += x / 2000;
    }
    CHECK(std::abs(mean) < 0.25);
    CHECK(initial_weights(10, 5) == std::vector<double>(w.begin(), w.begin() + 10));
    CHECK(initial_weights(10, 6) != initial_weights(10, 5));
}

TEST_CASE("trainer: progress lines on the stream unless quiet", "[supercircuit][train]") {
    std::ostringstream progress;
    TrainOptions o = small_options(2);
    o.progress = &progress;
    o.quiet = false;
    train(toy_fixed(), synthetic_splits(40), o);
    CHECK(progress.str().find("epoch 1/2") != std::string::npos);
    CHECK(progress.str().find("epoch 2/2") != std::string::npos);
    CHECK(progress.str().find("ETA") != std::string::npos);
    std::ostringstream silent;
    o.progress = &silent;
    o.quiet = true;
    train(toy_fixed(), synthetic_splits(40), o);
    CHECK(silent.str().empty());
}
