#include "noise/idle.h"

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "batch_circuits.h"
#include "noise/calibration.h"
#include "noise/compile.h"
#include "noise/noisy_batch.h"
#include "noise/noisy_execution.h"
#include "tests/test_data.h"

using namespace qnas;
using sim::GateKind;

namespace {

using qnas::test::data_dir;

noise::NoiseModel idle_model(const noise::Device& dev) {
    noise::NoiseModelOptions o;
    o.idle = true;
    return noise::build_noise_model(dev, o);
}

// P(clbit c = 1) of an exact execution without readout error.
double p_one(const sim::Circuit& c, const noise::NoiseModel& m, int clbit) {
    noise::ExecutionOptions o;
    o.readout = false;
    const auto r = noise::execute(c, m, o);
    double p = 0;
    for (std::size_t i = 0; i < r.probabilities.size(); ++i)
        if ((i >> clbit) & 1U) p += r.probabilities[i];
    return p;
}

}  // namespace

TEST_CASE("idle: ALAP schedule by hand (gaps, the wait before the measurement, start times)", "[noise][idle]") {
    const auto dev = noise::load_device("quito", data_dir());
    const auto model = idle_model(dev);
    const int q01[2] = {0, 1}, q0[1] = {0}, q1[1] = {1};
    const double s0 = model.gate_length(GateKind::SX, q0), s1 = model.gate_length(GateKind::SX, q1);
    const double cx = model.gate_length(GateKind::CX, q01);
    REQUIRE(s0 > 0);
    REQUIRE(cx > s1);
    sim::Circuit c(5);
    c.add(GateKind::SX, {0});
    c.add(GateKind::CX, {0, 1});
    c.add(GateKind::RZ, {1}, {sim::Param::constant(0.3)});  // virtual: no time
    c.add(GateKind::SX, {1});
    c.add(GateKind::SX, {1});
    const auto s = noise::alap_schedule(c, model);
    // Backwards from the end: q1's two sx take 2·s1, so the cx ends at −2·s1 and q0 waits 2·s1.
    CHECK(s.duration == Approx(s0 + cx + 2 * s1).epsilon(1e-12));
    CHECK(s.start[0] == Approx(0.0).margin(1e-18));
    CHECK(s.start[1] == Approx(s0).epsilon(1e-12));
    CHECK(s.start[3] == Approx(s0 + cx).epsilon(1e-12));
    CHECK(s.idle_after[0][0] == Approx(0.0).margin(1e-18));
    CHECK(s.idle_after[1][0] == Approx(2 * s1).epsilon(1e-12));
    CHECK(s.idle_after[1][1] == Approx(0.0).margin(1e-18));
    CHECK(s.idle_after[4][0] == Approx(0.0).margin(1e-18));
}

TEST_CASE("idle: a waiting |1> decays by exp(-t/T1), a waiting superposition dephases by exp(-t/T2)", "[noise][idle]") {
    const auto dev = noise::load_device("quito", data_dir());
    const auto aer = noise::build_noise_model(dev);
    const auto model = idle_model(dev);
    const int q1[1] = {1};
    const double s1 = model.gate_length(GateKind::SX, q1);
    const int n_wait = 200;  // q1 works through 200 sx while q0 waits
    const double t1 = dev.qubits[0].t1, t2 = dev.qubits[0].t2;

    // Population: x on q0, then cx(1 → 0) with q1 in |0⟩ (identity on q0, but it pins q0's x before
    // q1's work: ALAP would otherwise start q0 late). The wait scales P(q0 = 1) by e^{−t/T1} exactly.
    sim::Circuit c(2);
    c.n_clbits = 2;
    c.add(GateKind::X, {0});
    c.add(GateKind::CX, {1, 0});
    for (int i = 0; i < n_wait; ++i) c.add(GateKind::SX, {1});
    c.measures = {{0, 0}, {1, 1}};
    const double t = noise::alap_schedule(c, model).idle_after[1][1];
    CHECK(t == Approx(n_wait * s1).epsilon(1e-12));
    CHECK(p_one(c, model, 0) == Approx(p_one(c, aer, 0) * std::exp(-t / t1)).epsilon(1e-10));
    CHECK(p_one(c, model, 1) == Approx(p_one(c, aer, 1)).epsilon(1e-12));  // q1 never waits

    // Coherence: sx, cx(1 → 0), wait, sx on q0. q0's Bloch vector before the wait is (x, y, z); the
    // wait makes it (c·x, c·y, p + (1 − p)·z) with c = e^{−t/T2}; the last sx turns y into ⟨Z⟩. So
    // ⟨Z⟩ with the wait is c·⟨Z⟩ without it, up to the last sx's own relaxation (~1e-4).
    sim::Circuit d(2);
    d.n_clbits = 1;
    d.add(GateKind::SX, {0});
    d.add(GateKind::CX, {1, 0});
    for (int i = 0; i < n_wait; ++i) d.add(GateKind::SX, {1});
    d.add(GateKind::SX, {0});
    d.measures = {{0, 0}};
    const double td = noise::alap_schedule(d, model).idle_after[1][1];
    CHECK(td == Approx(n_wait * s1 - model.gate_length(GateKind::SX, std::vector<int>{0})).epsilon(1e-12));
    const double z_idle = 1 - 2 * p_one(d, model, 0), z_aer = 1 - 2 * p_one(d, aer, 0);
    const double c2 = std::exp(-td / t2);
    REQUIRE(1 - c2 > 0.02);  // the test would be vacuous on a qubit with a huge T2
    CHECK(z_idle == Approx(c2 * z_aer).margin(1e-3));
}

TEST_CASE("idle: the noisy batch equals per-sample compile + exact execution (yorktown's hub)",
          "[noise][idle][batch]") {
    const auto dev = noise::load_device("yorktown", data_dir());
    const auto model = idle_model(dev);
    const auto aer = noise::build_noise_model(dev);
    std::mt19937_64 rng(21);
    std::uniform_real_distribution<double> ang(-3.1, 3.1), feat(0.0, 3.0);
    for (int blocks : {1, 3}) {
        const sim::Circuit logical = test::mnist4_u3cu3(blocks);
        std::vector<double> theta(static_cast<std::size_t>(logical.n_trainable));
        for (auto& v : theta) v = ang(rng);
        noise::NoisyBatchOptions opt;
        opt.compile.layout = std::vector<int>{0, 1, 2, 3};
        const auto prog = noise::NoisyBatchProgram::prepare(logical, theta, dev, model, opt);
        const auto plain = noise::NoisyBatchProgram::prepare(logical, theta, dev, aer, opt);
        const int n_samples = 3;
        std::vector<double> x(static_cast<std::size_t>(n_samples * logical.n_inputs));
        for (auto& v : x) v = feat(rng);
        const auto got = prog.expectations(x, n_samples);
        const auto without = plain.expectations(x, n_samples);
        double shrink = 0;
        for (int s = 0; s < n_samples; ++s) {
            const auto xs = std::span<const double>(x).subspan(static_cast<std::size_t>(s * logical.n_inputs),
                                                               static_cast<std::size_t>(logical.n_inputs));
            const sim::Circuit circuit = prog.circuit_for(xs);
            const auto r = noise::execute(circuit, model, {});
            const auto z = noise::z_expectations(r.probabilities, circuit.n_clbits);
            for (int l = 0; l < 4; ++l) {
                INFO("blocks " << blocks << " sample " << s << " qubit " << l);
                const auto k = static_cast<std::size_t>(s * 4 + l);
                CHECK(got[k] == Approx(z[static_cast<std::size_t>(l)]).margin(1e-10));
                shrink += std::abs(without[k] - got[k]);
            }
        }
        CHECK(shrink > 1e-3);  // the waits change the answer
    }
}

TEST_CASE("idle: trajectories agree with the exact density matrix within 5 standard errors", "[noise][idle]") {
    const auto dev = noise::load_device("yorktown", data_dir());
    const auto model = idle_model(dev);
    std::mt19937_64 rng(22);
    std::uniform_real_distribution<double> ang(-3.1, 3.1);
    sim::Circuit logical = test::mnist4_u3cu3(2);
    std::vector<double> theta(static_cast<std::size_t>(logical.n_trainable));
    for (auto& v : theta) v = ang(rng);
    const std::vector<double> x(16, 0.7);
    noise::CompileOptions co;
    co.layout = std::vector<int>{0, 1, 2, 3};
    co.measure_all = true;
    const auto cc = noise::compile(sim::bind(logical, theta, x), dev, co);
    const auto exact = noise::execute(cc.circuit, model, {});
    noise::ExecutionOptions o;
    o.method = noise::NoiseMethod::Trajectories;
    o.trajectories = 400;
    o.seed = 5;
    const auto traj = noise::execute(cc.circuit, model, o);
    for (std::size_t i = 0; i < exact.probabilities.size(); ++i) {
        INFO("outcome " << i);
        CHECK(std::abs(traj.probabilities[i] - exact.probabilities[i]) <= 5 * traj.std_error[i] + 1e-3);
    }
}
