#include "search/fitness.h"

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "noise/noise_model.h"
#include "noise/noisy_batch.h"
#include "noise/optimize.h"
#include "sim/error.h"
#include "supercircuit/ranking.h"
#include "supercircuit/train_model.h"
#include "supercircuit/trainer.h"
#include "tests/test_data.h"

using namespace qnas;
using search::CandidateMetrics;
using search::FitnessOptions;
using search::ScoreKind;
using search::ScoringContext;

namespace {

using qnas::test::data_dir;

// Synthetic MNIST-4-like samples: 16 features in the range of the preprocessed images, 4 classes.
supercircuit::Dataset synthetic_data(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> feature(-0.5, 2.8);
    std::uniform_int_distribution<int> label(0, 3);
    supercircuit::Dataset d;
    d.n_features = 16;
    d.n_classes = 4;
    for (std::size_t s = 0; s < n; ++s) {
        for (int f = 0; f < 16; ++f) d.x.push_back(feature(rng));
        d.y.push_back(label(rng));
    }
    return d;
}

ScoringContext make_context(std::size_t n_samples, const std::string& device = "quito") {
    ScoringContext ctx;
    ctx.space = supercircuit::design_space("u3cu3", 4);
    ctx.encoder = supercircuit::encoder_by_name("4x4_ryzxy");
    ctx.readout_groups = supercircuit::resolve_readout_groups({}, 4);
    ctx.data = synthetic_data(n_samples, 7);
    ctx.device = noise::load_device(device, data_dir());
    ctx.model = noise::build_noise_model(ctx.device);
    return ctx;
}

// u3cu3 gene: 2 layers per block × 8 blocks, then n_blocks.
std::vector<int> arch(int u3, int cu3, int n_blocks) {
    std::vector<int> a;
    for (int b = 0; b < 8; ++b) a.insert(a.end(), {u3, cu3});
    a.push_back(n_blocks);
    return a;
}

// The device with every error zeroed: no gate error, zero-length gates (no relaxation), ideal readout.
noise::Device noiseless(noise::Device d) {
    for (auto& g : d.gates) {
        if (g.gate_error) g.gate_error = 0.0;
        g.gate_length = 0.0;
    }
    for (auto& q : d.qubits) q.readout_error = q.prob_meas0_prep1 = q.prob_meas1_prep0 = 0.0;
    return d;
}

// Definition-level readout: logits = summed ⟨Z⟩ per group, NLL = logsumexp − logit[label].
double nll(const std::vector<double>& z, const std::vector<std::vector<int>>& groups, int label) {
    std::vector<double> logits;
    for (const auto& g : groups) {
        double s = 0;
        for (const int q : g) s += z[static_cast<std::size_t>(q)];
        logits.push_back(s);
    }
    double sum = 0;
    for (const double l : logits) sum += std::exp(l);
    return std::log(sum) - logits[static_cast<std::size_t>(label)];
}

void require_same(const CandidateMetrics& a, const CandidateMetrics& b) {
    REQUIRE(search::to_json(a) == search::to_json(b));
}

}  // namespace

TEST_CASE("fitness: noise-free scoring equals the inherited evaluation", "[search][fitness]") {
    const ScoringContext ctx = make_context(24);
    const auto weights = supercircuit::initial_weights(supercircuit::n_weights(ctx.space), 3);
    const auto super = supercircuit::supercircuit_model(ctx.space, ctx.encoder, 1);
    FitnessOptions opt;
    opt.method = noise::NoiseMethod::None;
    const std::vector<int> layout = {1, 0, 2, 3};
    for (const auto& a : {arch(4, 4, 2), arch(2, 3, 3)}) {
        const auto ref = supercircuit::evaluate_inherited(super, a, weights, ctx.data, ctx.readout_groups);
        const CandidateMetrics m = search::score_candidate(ctx, a, weights, layout, opt);
        CHECK(m.loss == Approx(ref.loss).margin(1e-12));
        CHECK(m.accuracy == Approx(ref.accuracy).margin(1e-12));
        CHECK(m.score == m.loss);
        CHECK(m.n_params == supercircuit::count_params(ctx.space, a));
        CHECK(m.n_gates == static_cast<int>(supercircuit::build_subcircuit(ctx.space, a).ops.size()));
        // The compiled metrics come from the device even without noisy simulation.
        CHECK(m.layout == layout);
        CHECK(m.success_rate > 0.0);
        CHECK(m.success_rate < 1.0);
        CHECK(m.compiled_two_qubit > 0);
        CHECK(m.compiled_depth > 0);
        CHECK(m.compiled_gates > 0);
    }
    // Without a device the layout is unused and the compiled fields stay empty.
    ScoringContext bare = ctx;
    bare.device = {};
    const CandidateMetrics m = search::score_candidate(bare, arch(4, 4, 2), weights, {}, opt);
    CHECK(m.loss == search::score_candidate(ctx, arch(4, 4, 2), weights, layout, opt).loss);
    CHECK(m.success_rate == 1.0);
    CHECK(m.compiled_gates == 0);
    CHECK(m.layout.empty());
    opt.method = noise::NoiseMethod::Exact;
    CHECK_THROWS_AS(search::score_candidate(bare, arch(4, 4, 2), weights, {}, opt), Error);
}

TEST_CASE("fitness: exact scoring equals per-sample compilation and density-matrix execution", "[search][fitness]") {
    const ScoringContext ctx = make_context(5);
    const auto weights = supercircuit::initial_weights(supercircuit::n_weights(ctx.space), 11);
    const auto a = arch(4, 4, 1);
    const std::vector<int> layout = {3, 1, 0, 2};
    FitnessOptions opt;  // Exact
    const CandidateMetrics m = search::score_candidate(ctx, a, weights, layout, opt);

    const sim::Circuit logical = search::candidate_circuit(ctx.space, ctx.encoder, a);
    noise::CompileOptions co = opt.compile;
    co.layout = layout;
    double loss = 0;
    int correct = 0;
    for (std::size_t s = 0; s < ctx.data.size(); ++s) {
        const std::span<const double> x(ctx.data.x.data() + 16 * s, 16);
        const auto cc = noise::compile(sim::bind(logical, weights, x), ctx.device, co);
        noise::ExecutionOptions eo;
        eo.method = noise::NoiseMethod::Exact;
        const auto z = noise::z_expectations(noise::execute(cc.circuit, ctx.model, eo).probabilities, 4);
        loss += nll(z, ctx.readout_groups, ctx.data.y[s]) / static_cast<double>(ctx.data.size());
        int best = 0;
        for (int q = 1; q < 4; ++q)
            if (z[static_cast<std::size_t>(q)] > z[static_cast<std::size_t>(best)]) best = q;
        correct += best == ctx.data.y[s];
    }
    CHECK(m.loss == Approx(loss).margin(1e-9));
    CHECK(m.accuracy == Approx(correct / static_cast<double>(ctx.data.size())).margin(1e-12));

    // Compiled metrics: the generic-angle compilation, the same under every method.
    const auto cc = noise::compile(sim::bind(logical, weights, noise::generic_inputs(16)), ctx.device, co);
    CHECK(m.success_rate == Approx(noise::success_rate(ctx.device, cc.circuit)).epsilon(1e-14));
    CHECK(m.compiled_two_qubit == noise::two_qubit_count(cc.circuit));
    CHECK(m.n_swaps == cc.n_swaps);
    CHECK(m.compiled_gates < static_cast<int>(cc.circuit.ops.size()));
    FitnessOptions none = opt;
    none.method = noise::NoiseMethod::None;
    const CandidateMetrics n = search::score_candidate(ctx, a, weights, layout, none);
    CHECK(n.success_rate == m.success_rate);
    CHECK(n.compiled_gates == m.compiled_gates);
    CHECK(n.compiled_depth == m.compiled_depth);
    CHECK(n.n_swaps == m.n_swaps);
}

TEST_CASE("fitness: device noise changes the loss, a noiseless device does not", "[search][fitness]") {
    ScoringContext ctx = make_context(8);
    const auto weights = supercircuit::initial_weights(supercircuit::n_weights(ctx.space), 5);
    const auto a = arch(4, 4, 2);
    const std::vector<int> layout = {0, 1, 2, 3};
    FitnessOptions exact, none;
    none.method = noise::NoiseMethod::None;
    const double clean = search::score_candidate(ctx, a, weights, layout, none).loss;
    const double noisy = search::score_candidate(ctx, a, weights, layout, exact).loss;
    CHECK(std::abs(noisy - clean) > 1e-3);

    ctx.device = noiseless(ctx.device);
    ctx.model = noise::build_noise_model(ctx.device);
    const CandidateMetrics m = search::score_candidate(ctx, a, weights, layout, exact);
    CHECK(m.loss == Approx(clean).margin(1e-9));
    CHECK(m.success_rate == 1.0);
}

TEST_CASE("fitness: shots and trajectories estimate the exact loss", "[search][fitness]") {
    const ScoringContext ctx = make_context(6);
    const auto weights = supercircuit::initial_weights(supercircuit::n_weights(ctx.space), 9);
    const auto a = arch(3, 4, 2);
    const std::vector<int> layout = {2, 1, 0, 3};
    FitnessOptions opt;
    const CandidateMetrics exact = search::score_candidate(ctx, a, weights, layout, opt);

    // |∂NLL/∂logits|₁ ≤ 2, so |Δloss| ≤ 2·max|Δ⟨Z⟩|; 5σ of a ⟨Z⟩ estimate from S shots ≤ 5/√S.
    opt.method = noise::NoiseMethod::Shots;
    opt.shots = 8192;
    const CandidateMetrics shots = search::score_candidate(ctx, a, weights, layout, opt);
    CHECK(shots.loss != exact.loss);
    CHECK(std::abs(shots.loss - exact.loss) < 2 * 5 / std::sqrt(8192.0));
    require_same(shots, search::score_candidate(ctx, a, weights, layout, opt));
    opt.seed = 43;
    CHECK(search::score_candidate(ctx, a, weights, layout, opt).loss != shots.loss);

    // Each trajectory's ⟨Z⟩ differs from the exact noisy one only through its drawn error branches
    // (a few % per gate), so a few hundred trajectories land close.
    opt.method = noise::NoiseMethod::Trajectories;
    opt.trajectories = 256;
    const CandidateMetrics traj = search::score_candidate(ctx, a, weights, layout, opt);
    CHECK(traj.loss != exact.loss);
    CHECK(std::abs(traj.loss - exact.loss) < 0.05);
    CHECK(traj.success_rate == exact.success_rate);
    CHECK(traj.compiled_gates == exact.compiled_gates);
    opt.parallelism = qnas::Parallelism{3};
    require_same(traj, search::score_candidate(ctx, a, weights, layout, opt));
}

TEST_CASE("fitness: score kinds and metrics serialisation", "[search][fitness]") {
    const ScoringContext ctx = make_context(6);
    const auto weights = supercircuit::initial_weights(supercircuit::n_weights(ctx.space), 2);
    const auto a = arch(4, 2, 3);
    const std::vector<int> layout = {4, 3, 1, 0};
    FitnessOptions opt;
    opt.score = ScoreKind::Loss;
    const CandidateMetrics loss = search::score_candidate(ctx, a, weights, layout, opt);
    opt.score = ScoreKind::LossSucc;
    const CandidateMetrics ls = search::score_candidate(ctx, a, weights, layout, opt);
    opt.score = ScoreKind::AccSucc;
    opt.method = noise::NoiseMethod::None;  // QuantumNAS's estnoise setup
    const CandidateMetrics as = search::score_candidate(ctx, a, weights, layout, opt);
    REQUIRE(loss.success_rate > 0.0);
    REQUIRE(loss.success_rate <= 1.0);
    CHECK(loss.score == loss.loss);
    CHECK(ls.loss == loss.loss);
    CHECK(ls.score == loss.loss / loss.success_rate);
    CHECK(as.success_rate == loss.success_rate);
    CHECK(as.score == -(as.accuracy * as.success_rate));

    for (const auto k : {ScoreKind::Loss, ScoreKind::LossSucc, ScoreKind::AccSucc})
        CHECK(search::parse_score_kind(search::to_string(k)) == k);
    CHECK_THROWS_AS(search::parse_score_kind("accuracy"), Error);
    const auto j = search::to_json(ls);
    CHECK(j["score"] == ls.score);
    CHECK(j["layout"] == std::vector<int>(layout));
    CHECK(j["n_swaps"] == ls.n_swaps);
    CHECK(j.size() == 11);
}

TEST_CASE("fitness: invalid layouts and devices are errors", "[search][fitness]") {
    const ScoringContext ctx = make_context(2);
    const auto weights = supercircuit::initial_weights(supercircuit::n_weights(ctx.space), 2);
    const auto a = arch(4, 4, 1);
    for (const auto method : {noise::NoiseMethod::None, noise::NoiseMethod::Exact}) {
        FitnessOptions opt;
        opt.method = method;
        for (const std::vector<int>& bad : {std::vector<int>{0, 1, 1, 2}, std::vector<int>{0, 1, 2, 7},
                                            std::vector<int>{0, 1, 2}, std::vector<int>{0, 1, 2, -1}})
            CHECK_THROWS_WITH(search::score_candidate(ctx, a, weights, bad, opt), Catch::Contains("layout"));
        CHECK_THROWS_AS(search::score_candidate(ctx, a, std::vector<double>(3, 0.0), std::vector<int>{0, 1, 2, 3}, opt),
                        Error);
    }
    // A 6-qubit SubCircuit on the 5-qubit quito.
    ScoringContext wide = ctx;
    wide.space = supercircuit::design_space("u3cu3", 6);
    wide.readout_groups = supercircuit::resolve_readout_groups({}, 6);
    std::vector<int> a6;
    for (int b = 0; b < 8; ++b) a6.insert(a6.end(), {6, 6});
    a6.push_back(1);
    CHECK_THROWS_WITH(
        search::score_candidate(wide, a6, supercircuit::initial_weights(supercircuit::n_weights(wide.space), 1),
                                std::vector<int>{0, 1, 2, 3, 4, 5}, FitnessOptions{}),
        Catch::Contains("device quito"));
}

TEST_CASE("fitness: concurrent scoring equals sequential scoring", "[search][fitness]") {
    const ScoringContext ctx = make_context(6);
    const auto weights = supercircuit::initial_weights(supercircuit::n_weights(ctx.space), 4);
    const std::vector<std::vector<int>> archs = {arch(4, 4, 1), arch(2, 3, 2), arch(3, 4, 2), arch(1, 2, 3)};
    const std::vector<std::vector<int>> layouts = {{0, 1, 2, 3}, {4, 3, 1, 2}, {2, 1, 3, 0}, {1, 3, 4, 0}};
    for (const auto method : {noise::NoiseMethod::Exact, noise::NoiseMethod::Shots}) {
        FitnessOptions opt;
        opt.method = method;
        opt.shots = 512;
        std::vector<CandidateMetrics> seq, par(archs.size());
        for (std::size_t i = 0; i < archs.size(); ++i)
            seq.push_back(search::score_candidate(ctx, archs[i], weights, layouts[i], opt));
        qnas::parallel_for(archs.size(), qnas::Parallelism{4}, [&](std::size_t i) {
            par[i] = search::score_candidate(ctx, archs[i], weights, layouts[i], opt);
        });
        for (std::size_t i = 0; i < archs.size(); ++i) require_same(seq[i], par[i]);
        // Threads within one candidate do not change it either.
        opt.parallelism = qnas::Parallelism{3};
        require_same(seq[1], search::score_candidate(ctx, archs[1], weights, layouts[1], opt));
    }
}
