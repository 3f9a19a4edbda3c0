#include "search/gradient_pruning.h"

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/adjoint.h"
#include "sim/error.h"
#include "sim/parameter_shift.h"
#include "supercircuit/trainer.h"
#include "tests/test_data.h"

using namespace qnas;
using namespace qnas::search;
using sim::GateKind;
using sim::Param;
namespace sc = qnas::supercircuit;

namespace {

constexpr double kPi = std::numbers::pi;

using qnas::test::data_dir;

// 2 features in [0, π) on RY(x_q); label 0 when x_0 > x_1 (the encoder alone predicts the
// opposite: ⟨Z_q⟩ = cos x_q is largest for the smaller feature), so the circuit has to learn a flip.
sc::Dataset two_class(std::size_t n, std::uint64_t seed) {
    sc::Dataset d;
    d.n_features = 2;
    d.n_classes = 2;
    sc::CounterRng r = sc::rng_stream(seed, sc::RngDomain::Init, 55);
    for (std::size_t i = 0; i < n; ++i) {
        const double a = kPi * sc::uniform_double(r), b = kPi * sc::uniform_double(r);
        d.x.insert(d.x.end(), {a, b});
        d.y.push_back(a > b ? 0 : 1);
    }
    return d;
}

// RY encoder then RX, RY, RZ per qubit and a CZ, `blocks` times: only two-term angles.
sim::Circuit rxyz(int blocks) {
    sim::Circuit c(2);
    for (int q = 0; q < 2; ++q) c.add(GateKind::RY, {q}, {Param::input(q)});
    int w = 0;
    for (int b = 0; b < blocks; ++b) {
        for (int q = 0; q < 2; ++q)
            for (const GateKind k : {GateKind::RX, GateKind::RY, GateKind::RZ}) c.add(k, {q}, {Param::trainable(w++)});
        c.add(GateKind::CZ, {0, 1});
    }
    return c;
}

OnChipTrainOptions quick(bool noisy) {
    OnChipTrainOptions o;
    o.epochs = 2;
    o.batch_size = 4;
    o.noisy = noisy;
    o.shots = 1024;
    o.seed = 7;
    return o;
}

}  // namespace

TEST_CASE("PGP: weighted sampling without replacement", "[search][pgp]") {
    const std::vector<double> w{1, 2, 4, 8, 3};
    double W = 0;
    for (const double v : w) W += v;
    // Exact inclusion probabilities of k = 2 successive weighted draws without replacement.
    std::vector<double> p(w.size());
    for (std::size_t i = 0; i < w.size(); ++i) {
        p[i] = w[i] / W;
        for (std::size_t j = 0; j < w.size(); ++j)
            if (j != i) p[i] += w[j] / W * w[i] / (W - w[j]);
    }
    const int draws = 6000;
    std::vector<int> count(w.size(), 0);
    sc::CounterRng rng = sc::rng_stream(3, sc::RngDomain::OnChip, 0);
    bool ascending_pairs = true;
    for (int d = 0; d < draws; ++d) {
        const std::vector<int> s = weighted_sample_without_replacement(w, 2, rng);
        ascending_pairs = ascending_pairs && s.size() == 2 && s[0] < s[1];
        for (const int i : s) ++count[static_cast<std::size_t>(i)];
    }
    CHECK(ascending_pairs);
    for (std::size_t i = 0; i < w.size(); ++i) {
        const double sigma = std::sqrt(p[i] * (1 - p[i]) / draws);
        CHECK(std::abs(count[i] / static_cast<double>(draws) - p[i]) < 4 * sigma);
    }
    // Ranked by weight: 0 < 1 < 4 < 2 < 3.
    CHECK(count[0] < count[1]);
    CHECK(count[1] < count[4]);
    CHECK(count[4] < count[2]);
    CHECK(count[2] < count[3]);

    CHECK(weighted_sample_without_replacement(w, 5, rng) == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(weighted_sample_without_replacement(w, 0, rng).empty());
    CHECK_THROWS_AS(weighted_sample_without_replacement(w, 6, rng), Error);
    CHECK_THROWS_AS(weighted_sample_without_replacement(w, -1, rng), Error);
    CHECK_THROWS_AS(weighted_sample_without_replacement(std::vector<double>{1, 0}, 1, rng), Error);
    CHECK_THROWS_AS(weighted_sample_without_replacement(std::vector<double>{1, -2}, 1, rng), Error);
    // A pure function of the stream.
    sc::CounterRng a = sc::rng_stream(9, sc::RngDomain::OnChip, 4), b = a;
    CHECK(weighted_sample_without_replacement(w, 3, a) == weighted_sample_without_replacement(w, 3, b));
}

TEST_CASE("PGP: noise-free parameter-shift gradient equals the adjoint gradient", "[search][pgp]") {
    // Two-term, four-term (cu3 θ, crx) and shared angles with scales.
    sim::Circuit c(3);
    for (int q = 0; q < 3; ++q) c.add(GateKind::RY, {q}, {Param::input(q)});
    c.add(GateKind::U3, {0}, {Param::trainable(0), Param::trainable(1), Param::trainable(2)});
    c.add(GateKind::CU3, {0, 1}, {Param::trainable(3), Param::trainable(4), Param::trainable(5)});
    c.add(GateKind::CRX, {1, 2}, {Param::trainable(6)});
    c.add(GateKind::RZZ, {2, 0}, {Param::trainable(7, 0.5)});
    c.add(GateKind::RX, {1}, {Param::trainable(7, -1.5)});
    c.add(GateKind::U3, {2}, {Param::trainable(0), Param::trainable(8), Param::trainable(1)});
    const std::vector<double> theta{0.3, -1.1, 2.0, 0.7, -0.4, 1.3, 2.2, -0.9, 0.5};
    const std::vector<double> x{0.1, 1.2, 2.3, 2.9, 0.4, 1.7, 0.8, 0.8, 3.0};
    const std::vector<int> labels{1, 0, 1};
    noise::Device dev;
    const noise::NoiseModel model;
    OnChipTrainOptions o = quick(false);
    o.readout_groups = {{0, 2}, {1}};
    const OnChipGradient g = on_chip_gradient(c, theta, x, labels, {}, dev, model, o, 0);

    const sim::BatchProgram prog = sim::BatchProgram::compile(c);
    const sim::SampleLoss loss = [&](std::int64_t s, std::span<const double> e, std::span<double> d) {
        const std::vector<double> lg{e[0] + e[2], e[1]};
        std::vector<double> dl(2);
        const double l = sim::nll_log_softmax(lg, labels[static_cast<std::size_t>(s)], dl, 1.0 / 3);
        d[0] += dl[0], d[2] += dl[0], d[1] += dl[1];
        return l;
    };
    std::vector<double> adj(theta.size());
    const double l = sim::value_and_grad(prog, theta, x, 3, loss, adj);
    CHECK(g.loss == Approx(l).margin(1e-12));
    for (std::size_t i = 0; i < theta.size(); ++i) CHECK(g.grad[i] == Approx(adj[i]).margin(1e-8));
    CHECK(g.evaluations == 1 + sim::parameter_shift_cost(c));

    // A selection differentiates only those angles.
    const std::vector<int> sel{1, 6};
    const OnChipGradient h = on_chip_gradient(c, theta, x, labels, sel, dev, model, o, 0);
    for (std::size_t i = 0; i < theta.size(); ++i) CHECK(h.grad[i] == (i == 1 || i == 6 ? g.grad[i] : 0.0));
    CHECK(h.evaluations == 1 + sim::parameter_shift_cost(c, sel));
}

TEST_CASE("PGP: circuit runs follow the cost accounting", "[search][pgp]") {
    const sc::Splits data{two_class(10, 1), two_class(4, 2), two_class(4, 3)};
    const noise::Device dev = noise::load_device("quito", data_dir());
    const noise::NoiseModel model = noise::build_noise_model(dev);
    OnChipTrainOptions o = quick(true);  // 10 samples, batch 4: steps of 4, 4, 2 per epoch
    o.pgp = {1, 2, 0.5};                 // n = 6 angles, k = 3
    const OnChipTrainResult r = train_on_chip(rxyz(1), {}, data, dev, model, o);
    // Steps t = 0 … 5: accumulation at t = 0, 3 (1 + 2n = 13 runs per sample), pruning otherwise (1 + 2k = 7).
    REQUIRE(r.curve.size() == 2);
    CHECK(r.curve[0].circuit_runs == 13 * 4 + 7 * 4 + 7 * 2);
    CHECK(r.curve[1].circuit_runs == 2 * (13 * 4 + 7 * 4 + 7 * 2));
    CHECK(r.circuit_runs == r.curve[1].circuit_runs);
    // r = 0.2: k = floor(0.8 · 6) = 4.
    o.pgp.ratio = 0.2;
    CHECK(train_on_chip(rxyz(1), {}, data, dev, model, o).circuit_runs == 2 * (13 * 4 + 9 * 4 + 9 * 2));
    // Plain parameter shift: every step is a full one.
    o.pgp.ratio = 0.0;
    CHECK(train_on_chip(rxyz(1), {}, data, dev, model, o).circuit_runs == 2 * 13 * 10);
    // A four-term angle (cu3's θ) costs 4 shifted runs, its φ and λ 2 each: 1 + 6 + 8 = 15.
    sim::Circuit c = rxyz(1);
    c.add(GateKind::CU3, {0, 1}, {Param::trainable(6), Param::trainable(7), Param::trainable(8)});
    o.noisy = false;
    o.epochs = 1;
    CHECK(train_on_chip(c, {}, data, dev, model, o).circuit_runs == (1 + 12 + 8) * 10);
}

TEST_CASE("PGP: ratio 0 is plain parameter-shift training, bit for bit", "[search][pgp]") {
    const sc::Splits data{two_class(12, 4), two_class(6, 5), two_class(6, 6)};
    const noise::Device dev = noise::load_device("quito", data_dir());
    const noise::NoiseModel model = noise::build_noise_model(dev);
    OnChipTrainOptions o = quick(true);
    o.layout = {2, 1};
    o.pgp = {1, 2, 0.0};
    const OnChipTrainResult a = train_on_chip(rxyz(1), {}, data, dev, model, o);
    o.pgp = {3, 0, 0.0};  // only accumulation windows
    const OnChipTrainResult b = train_on_chip(rxyz(1), {}, data, dev, model, o);
    CHECK(a.weights == b.weights);
    CHECK(a.circuit_runs == b.circuit_runs);
    CHECK(a.curve.back().test_accuracy == b.curve.back().test_accuracy);
    CHECK(a.curve.back().train_loss == b.curve.back().train_loss);
    // A plain loop over the same steps: full gradients, Adam on every angle.
    std::vector<double> w = sc::initial_weights(6, o.seed);
    sc::AdamState adam = sc::adam_init(6);
    const std::vector<int> all{0, 1, 2, 3, 4, 5};
    std::uint64_t t = 0;
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        std::vector<std::size_t> order(12);
        for (std::size_t i = 0; i < 12; ++i) order[i] = i;
        sc::CounterRng rs = sc::rng_stream(o.seed, sc::RngDomain::Shuffle, static_cast<std::uint64_t>(epoch));
        sc::shuffle(std::span<std::size_t>(order), rs);
        for (std::size_t s = 0; s < 12; s += 4, ++t) {
            std::vector<double> x;
            std::vector<int> y;
            for (std::size_t i = s; i < s + 4; ++i) {
                x.insert(x.end(), {data.train.x[2 * order[i]], data.train.x[2 * order[i] + 1]});
                y.push_back(data.train.y[order[i]]);
            }
            const OnChipGradient g = on_chip_gradient(rxyz(1), w, x, y, {}, dev, model, o, t);
            sc::adam_step(w, g.grad, all, adam, sc::learning_rate({o.schedule.kind, o.schedule.lr, o.epochs}, epoch),
                          o.adam);
        }
    }
    CHECK(w == a.weights);
    // Pruning changes the trajectory; Freeze differs from zero gradients.
    o.pgp = {1, 2, 0.5};
    const OnChipTrainResult c = train_on_chip(rxyz(1), {}, data, dev, model, o);
    CHECK(c.weights != a.weights);
    o.pgp.pruned_update = PrunedUpdate::Freeze;
    CHECK(train_on_chip(rxyz(1), {}, data, dev, model, o).weights != c.weights);
}

TEST_CASE("PGP: on-chip training of a 2-class task beats chance", "[search][pgp]") {
    const sc::Splits data{two_class(40, 7), two_class(40, 8), two_class(40, 9)};
    const noise::Device dev = noise::load_device("quito", data_dir());
    const noise::NoiseModel model = noise::build_noise_model(dev);
    OnChipTrainOptions o = quick(true);
    o.epochs = 6;
    o.batch_size = 10;
    o.schedule.lr = 0.1;
    o.pgp = {1, 2, 0.5};
    const OnChipTrainResult r = train_on_chip(rxyz(1), {}, data, dev, model, o);
    REQUIRE(r.curve.size() == 6);
    CHECK(r.curve.back().train_loss < r.curve.front().train_loss);
    CHECK(r.curve.back().valid_accuracy > 0.7);
    CHECK(r.curve.back().test_accuracy > 0.7);
    CHECK_THROWS_AS(train_on_chip(rxyz(1), {1.0}, data, dev, model, o), Error);
    o.pgp.ratio = 1.0;
    CHECK_THROWS_AS(train_on_chip(rxyz(1), {}, data, dev, model, o), Error);
}

TEST_CASE("PGP: a run stopped after an epoch continues from its state bit for bit", "[search][pgp]") {
    const sc::Splits data{two_class(10, 10), two_class(6, 11), two_class(4, 12)};
    const noise::Device dev = noise::load_device("quito", data_dir());
    const noise::NoiseModel model = noise::build_noise_model(dev);
    OnChipTrainOptions o = quick(true);
    o.epochs = 3;
    o.pgp = {2, 3, 0.5};  // window 5 over 3 steps per epoch: the resumption lands mid-window
    std::vector<OnChipTrainState> states;
    o.after_epoch = [&](const OnChipTrainState& s) {
        states.push_back(s);
        return true;
    };
    const OnChipTrainResult full = train_on_chip(rxyz(1), {}, data, dev, model, o);
    REQUIRE(states.size() == 3);
    CHECK(full.epochs_done == 3);
    CHECK(states[0].step == 3);
    CHECK(states[0].accumulator.size() == 6);
    CHECK(states[2].weights == full.weights);
    // Stopped after epoch 1: one point; then resumed from that state (weights argument ignored).
    o.after_epoch = [](const OnChipTrainState&) { return false; };
    const OnChipTrainResult part = train_on_chip(rxyz(1), {}, data, dev, model, o);
    CHECK(part.epochs_done == 1);
    CHECK(part.weights == states[0].weights);
    o.after_epoch = nullptr;
    o.resume = &states[0];
    const OnChipTrainResult rest = train_on_chip(rxyz(1), {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, data, dev, model, o);
    CHECK(rest.weights == full.weights);
    CHECK(rest.circuit_runs == full.circuit_runs);
    REQUIRE(rest.curve.size() == 3);
    CHECK(rest.curve[2].train_loss == full.curve[2].train_loss);
    CHECK(rest.curve[2].valid_accuracy == full.curve[2].valid_accuracy);
    // A state that does not fit the circuit is refused.
    OnChipTrainState bad = states[0];
    bad.accumulator.pop_back();
    o.resume = &bad;
    CHECK_THROWS_AS(train_on_chip(rxyz(1), {}, data, dev, model, o), Error);
}
