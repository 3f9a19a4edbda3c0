#include "supercircuit/train_model.h"

#include <set>
#include <vector>

#include <catch2/catch.hpp>

#include "supercircuit/design_space.h"
#include "supercircuit/encoder.h"
#include "supercircuit/rng.h"

using namespace qnas::supercircuit;

namespace {

Dataset synthetic16(std::size_t n, std::uint64_t seed) {
    Dataset d;
    d.n_features = 16;
    d.n_classes = 4;
    CounterRng r = rng_stream(seed, RngDomain::Init, 5);
    for (std::size_t i = 0; i < n * 16; ++i) d.x.push_back(-0.4 + 3.2 * uniform_double(r));
    for (std::size_t i = 0; i < n; ++i) d.y.push_back(static_cast<int>(uniform_index(r, 4)));
    return d;
}

}  // namespace

TEST_CASE("train model: U3+CU3 SuperCircuit probes and weights", "[supercircuit][train]") {
    const DesignSpace space = design_space("u3cu3", 4, 3);
    const TrainModel m = supercircuit_model(space, encoder_by_name("4x4_ryzxy"), 3);
    CHECK(m.n_weights == n_weights(space));
    CHECK(m.arch_choices == arch_choices(space));
    REQUIRE(m.probes.size() == 3);
    CHECK(m.probes[0].arch == largest_arch(space));
    CHECK(m.probes[1].arch == smallest_arch(space));
    validate_arch(space, m.probes[2].arch);
    CHECK(supercircuit_model(space, encoder_by_name("4x4_ryzxy"), 3).probes[2].arch == m.probes[2].arch);
    // The circuit is the encoder followed by the SubCircuit.
    const qnas::sim::Circuit c = m.circuit(m.probes[1].arch);
    CHECK(c.n_inputs == 16);
    CHECK(c.ops.size() == 16 + build_subcircuit(space, m.probes[1].arch).ops.size());
}

TEST_CASE("train model: a fixed human baseline only trains its own weights", "[supercircuit][train]") {
    const DesignSpace space = design_space("u3cu3", 4, 8);
    const Arch arch = human_baseline(space, "param36");
    const TrainModel m = fixed_arch_model(space, encoder_by_name("4x4_ryzxy"), arch);
    TrainOptions o;
    o.epochs = 1;
    o.batch_size = 16;
    o.quiet = true;
    o.seed = 4;
    const TrainResult r = train(m, {synthetic16(48, 1), synthetic16(16, 2), synthetic16(16, 3)}, o);
    const std::vector<double> init = initial_weights(m.n_weights, o.seed);
    const std::vector<int> active = active_weights(space, arch);
    CHECK(active.size() == 36);
    const std::set<int> act(active.begin(), active.end());
    for (int i = 0; i < m.n_weights; ++i) {
        INFO("weight " << i);
        CHECK((r.weights[static_cast<std::size_t>(i)] != init[static_cast<std::size_t>(i)]) == (act.count(i) == 1));
    }
}

TEST_CASE("train model: SuperCircuit training compiles each active key once", "[supercircuit][train]") {
    const DesignSpace space = design_space("u3cu3", 4, 2);
    const TrainModel m = supercircuit_model(space, encoder_by_name("4x4_ryzxy"), 0);
    TrainOptions o;
    o.epochs = 2;
    o.batch_size = 8;
    o.quiet = true;
    o.sampler = {SamplerKind::LimitDiff, 1, 3, 40};
    const TrainResult r = train(m, {synthetic16(64, 1), synthetic16(8, 2), synthetic16(8, 3)}, o);
    // Exactly one compilation per distinct active key among the 16 sampled genes and the probes.
    ArchSampler replay = make_sampler(m.arch_choices, o.sampler, o.seed, 16);
    std::set<std::vector<int>> keys;
    for (int i = 0; i < 16; ++i) keys.insert(active_key(space, sample_arch(replay)));
    for (const auto& p : m.probes) keys.insert(active_key(space, p.arch));
    CHECK(r.programs_compiled == keys.size());
    CHECK(keys.size() < 19);
    CHECK(r.metrics.size() == 2);
}

TEST_CASE("train model: a SuperCircuit that can only sample one gene trains exactly as that SubCircuit alone",
          "[supercircuit][train]") {
    // Weight sharing must not change the optimisation of the SubCircuit being trained: with every
    // gene position restricted to one choice, SuperCircuit training = from-scratch training.
    const DesignSpace space = design_space("u3cu3", 4, 3);
    const Encoder enc = encoder_by_name("4x4_ryzxy");
    const Arch gene = {3, 2, 4, 1, 2, 3, 3};
    TrainModel super = supercircuit_model(space, enc, 0);
    for (std::size_t i = 0; i < gene.size(); ++i) super.arch_choices[i] = {gene[i]};
    const TrainModel alone = fixed_arch_model(space, enc, gene);
    TrainOptions o;
    o.epochs = 3;
    o.batch_size = 16;
    o.quiet = true;
    o.seed = 9;
    const Splits data{synthetic16(40, 1), synthetic16(16, 2), synthetic16(16, 3)};
    const TrainResult a = train(super, data, o);
    const TrainResult b = train(alone, data, o);
    CHECK(a.weights == b.weights);
    CHECK(a.weights != initial_weights(super.n_weights, o.seed));
    // And the inherited SubCircuit scores what it scores trained alone.
    REQUIRE(a.metrics.size() == 3);
    CHECK(a.metrics.back()["train_loss"] == b.metrics.back()["train_loss"]);
}
