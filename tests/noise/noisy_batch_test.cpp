#include "noise/noisy_batch.h"

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "batch_circuits.h"
#include "noise/calibration.h"
#include "noise/compile.h"
#include "noise/noise_model.h"
#include "sim/density_matrix.h"
#include "sim/error.h"
#include "sim/statevector.h"
#include "tests/sim/reference.h"
#include "tests/test_data.h"

using namespace qnas;
using noise::NoisyBatchOptions;
using noise::NoisyBatchProgram;

namespace {

using qnas::test::data_dir;

std::vector<double> uniform(std::size_t n, std::mt19937_64& rng, double lo = -3.1, double hi = 3.1) {
    std::uniform_real_distribution<double> d(lo, hi);
    std::vector<double> v(n);
    for (auto& a : v) a = d(rng);
    return v;
}

// Independent reference: the compiled circuit of one sample evolved forwards as a full density
// matrix over its touched qubits (every gate, then its error), the distribution over the clbits
// read off the diagonal, each clbit's readout confusion applied, then ⟨Π_{l∈S} Z_l⟩ over clbits.
std::vector<double> reference_expectations(const sim::Circuit& physical, const noise::NoiseModel& model,
                                           const std::vector<sim::PauliTerm>& obs, bool gate_noise, bool readout) {
    const auto touched = noise::touched_qubits(physical);
    std::vector<int> local(static_cast<std::size_t>(physical.n_qubits), -1);
    for (std::size_t i = 0; i < touched.size(); ++i) local[static_cast<std::size_t>(touched[i])] = static_cast<int>(i);
    sim::Circuit c(static_cast<int>(touched.size()));
    for (auto op : physical.ops) {
        for (int a = 0; a < sim::gate_info(op.kind).n_qubits; ++a)
            op.qubits[static_cast<std::size_t>(a)] =
                local[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])];
        c.ops.push_back(op);
    }
    // Errors are looked up on the physical qubits of the op with the same index.
    const auto rho = sim::simulate_noisy_density(c, {}, {}, [&](const sim::Op&, std::size_t i) -> const sim::Matrix* {
        if (!gate_noise) return nullptr;
        const auto& op = physical.ops[i];
        const auto* g = model.find(
            op.kind,
            std::span<const int>(op.qubits.data(), static_cast<std::size_t>(sim::gate_info(op.kind).n_qubits)));
        return g ? &g->superop : nullptr;
    });
    const int n_c = physical.n_clbits;
    std::vector<int> qubit_of_clbit(static_cast<std::size_t>(n_c), -1);
    for (const auto& m : physical.measures) qubit_of_clbit[static_cast<std::size_t>(m.clbit)] = m.qubit;
    std::vector<int> measured_local;
    for (int cb = 0; cb < n_c; ++cb) {
        REQUIRE(qubit_of_clbit[static_cast<std::size_t>(cb)] >= 0);
        measured_local.push_back(local[static_cast<std::size_t>(qubit_of_clbit[static_cast<std::size_t>(cb)])]);
    }
    auto probs = sim::marginal_probabilities(rho, measured_local);
    if (readout) {
        for (int cb = 0; cb < n_c; ++cb) {
            const auto m = model.readout(qubit_of_clbit[static_cast<std::size_t>(cb)]).matrix();
            std::vector<double> next(probs.size(), 0.0);
            for (std::size_t i = 0; i < probs.size(); ++i) {
                const int bit = static_cast<int>((i >> cb) & 1);
                for (int rep = 0; rep < 2; ++rep) {
                    const std::size_t j = (i & ~(std::size_t{1} << cb)) | (static_cast<std::size_t>(rep) << cb);
                    next[j] += probs[i] * m(bit, rep);
                }
            }
            probs = next;
        }
    }
    std::vector<double> out;
    for (const auto& t : obs) {
        double e = 0.0;
        for (std::size_t i = 0; i < probs.size(); ++i) e += probs[i] * ((std::popcount(i & t.z) % 2) ? -1.0 : 1.0);
        out.push_back(t.coeff * e);
    }
    return out;
}

// The ops touching each qubit, in circuit order.
std::vector<std::vector<const sim::Op*>> wires(const sim::Circuit& c) {
    std::vector<std::vector<const sim::Op*>> w(static_cast<std::size_t>(c.n_qubits));
    for (const auto& op : c.ops)
        for (int a = 0; a < sim::gate_info(op.kind).n_qubits; ++a)
            w[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])].push_back(&op);
    return w;
}

std::vector<sim::PauliTerm> z_each(int n) {
    std::vector<sim::PauliTerm> v;
    for (int l = 0; l < n; ++l) v.push_back(sim::PauliTerm::z_on(l));
    return v;
}

// The batch path against per-sample compilation + forward density-matrix evolution.
void check_against_reference(const sim::Circuit& logical, const noise::Device& dev, const NoisyBatchOptions& opt,
                             std::mt19937_64& rng, int n_samples) {
    const auto model = noise::build_noise_model(dev);
    const auto theta = uniform(static_cast<std::size_t>(logical.n_trainable), rng);
    const auto prog = NoisyBatchProgram::prepare(logical, theta, dev, model, opt);
    const auto x = uniform(static_cast<std::size_t>(n_samples * logical.n_inputs), rng, 0.0, 3.0);
    const auto got = prog.expectations(x, static_cast<std::size_t>(n_samples));
    const auto obs = opt.observables.empty() ? z_each(logical.n_qubits) : opt.observables;
    REQUIRE(got.size() == obs.size() * static_cast<std::size_t>(n_samples));
    auto copt = opt.compile;
    copt.layout = prog.compiled().initial_layout;
    for (int s = 0; s < n_samples; ++s) {
        const auto xs = std::span<const double>(x).subspan(static_cast<std::size_t>(s * logical.n_inputs),
                                                           static_cast<std::size_t>(logical.n_inputs));
        // The sample's own compilation is what the batch path claims to evaluate.
        const auto compiled = noise::compile(sim::bind(logical, theta, xs), dev, copt);
        const auto mine = prog.circuit_for(xs);
        REQUIRE(mine.ops.size() == compiled.circuit.ops.size());
        // Same circuit = the same sequence of ops on every wire (the global order of ops on
        // different wires is free).
        const auto a = wires(mine), b = wires(compiled.circuit);
        for (std::size_t q = 0; q < a.size(); ++q) {
            REQUIRE(a[q].size() == b[q].size());
            for (std::size_t i = 0; i < a[q].size(); ++i) {
                INFO("sample " << s << " qubit " << q << " op " << i);
                const auto &x1 = *a[q][i], &x2 = *b[q][i];
                REQUIRE(x1.kind == x2.kind);
                REQUIRE(x1.qubits == x2.qubits);
                for (int j = 0; j < sim::gate_info(x1.kind).n_params; ++j)
                    CHECK(std::remainder(x1.params[static_cast<std::size_t>(j)].offset -
                                             x2.params[static_cast<std::size_t>(j)].offset,
                                         2 * M_PI) == Approx(0.0).margin(1e-9));
            }
        }
        REQUIRE(mine.measures == compiled.circuit.measures);
        const auto ref = reference_expectations(compiled.circuit, model, obs, opt.gate_noise, opt.readout);
        for (std::size_t o = 0; o < obs.size(); ++o) {
            INFO("sample " << s << " observable " << o);
            CHECK(got[static_cast<std::size_t>(s) * obs.size() + o] == Approx(ref[o]).margin(1e-10));
        }
    }
}

}  // namespace

TEST_CASE("noisy batch = per-sample compile + exact density matrix (quito, U3+CU3)", "[noise][batch]") {
    std::mt19937_64 rng(11);
    const auto dev = noise::load_device("quito", data_dir());
    for (int blocks : {1, 2, 4}) {
        INFO("blocks " << blocks);
        NoisyBatchOptions opt;
        opt.compile.layout = std::vector<int>{0, 1, 2, 3};
        check_against_reference(test::mnist4_u3cu3(blocks), dev, opt, rng, 4);
        opt.compile.layout = std::vector<int>{3, 1, 4, 0};  // a different region, swaps on the T
        check_against_reference(test::mnist4_u3cu3(blocks), dev, opt, rng, 3);
    }
}

TEST_CASE("noisy batch on a 7-qubit device, an ECR device, and with the noise-aware layout", "[noise][batch]") {
    std::mt19937_64 rng(12);
    NoisyBatchOptions opt;
    check_against_reference(test::mnist4_u3cu3(2), noise::load_device("nairobi", data_dir()), opt, rng, 3);
    check_against_reference(test::mnist4_u3cu3(2), noise::load_device("belem", data_dir()), opt, rng, 3);
    check_against_reference(test::mnist4_u3cu3(2), noise::load_device("brisbane", data_dir()), opt, rng, 2);
}

TEST_CASE("noisy batch: custom Z-string observables, encoder-only wires and random circuits", "[noise][batch]") {
    std::mt19937_64 rng(13);
    const auto dev = noise::load_device("quito", data_dir());
    NoisyBatchOptions opt;
    opt.observables = {sim::PauliTerm::from_label("ZZII", 0.5), sim::PauliTerm::from_label("ZIZZ", -1.25),
                       sim::PauliTerm::from_label("IIII", 2.0)};
    check_against_reference(test::mnist4_u3cu3(2), dev, opt, rng, 3);

    // Wire 3 has only encoder gates: its whole wire is a prefix.
    auto c = test::encoder_4x4_ryzxy();
    c.add(sim::GateKind::CX, {0, 1});
    c.add(sim::GateKind::CU3, {1, 2}, {sim::Param::trainable(0), sim::Param::trainable(1), sim::Param::trainable(2)});
    check_against_reference(c, dev, NoisyBatchOptions{}, rng, 3);

    // Random trainable bodies after an encoder on 3 qubits, without readout or without gate noise.
    for (int i = 0; i < 6; ++i) {
        auto r = test::encoder_4x4_ryzxy(3);
        const auto body = test::random_circuit(3, 12, rng);
        for (auto op : body.ops) {
            for (auto& p : op.params)
                if (p.source == sim::Param::Source::Input) p = sim::Param::trainable(p.index + body.n_trainable);
            r.add(op);
        }
        NoisyBatchOptions o;
        o.gate_noise = i % 3 != 1;
        o.readout = i % 3 != 2;
        INFO("random circuit " << i);
        check_against_reference(r, dev, o, rng, 2);
    }
}

TEST_CASE("noisy batch without noise equals the noiseless state vector", "[noise][batch]") {
    std::mt19937_64 rng(14);
    const auto dev = noise::load_device("quito", data_dir());
    const auto model = noise::build_noise_model(dev);
    const auto c = test::mnist4_u3cu3(3);
    const auto theta = uniform(static_cast<std::size_t>(c.n_trainable), rng);
    NoisyBatchOptions opt;
    opt.gate_noise = false;
    opt.readout = false;
    opt.compile.layout = std::vector<int>{4, 3, 1, 0};
    const auto prog = NoisyBatchProgram::prepare(c, theta, dev, model, opt);
    const int n_samples = 5;
    const auto x = uniform(static_cast<std::size_t>(n_samples * c.n_inputs), rng);
    const auto got = prog.expectations(x, n_samples);
    for (int s = 0; s < n_samples; ++s) {
        const auto xs = std::span<const double>(x).subspan(static_cast<std::size_t>(s * c.n_inputs), 16);
        const auto psi = sim::simulate(c, theta, xs);
        for (int l = 0; l < 4; ++l)
            CHECK(got[static_cast<std::size_t>(s * 4 + l)] ==
                  Approx(sim::expectation(psi, sim::PauliTerm::z_on(l))).margin(1e-10));
    }
}

TEST_CASE("noisy batch is bit-identical at any thread count and noise lowers |<Z>|", "[noise][batch]") {
    std::mt19937_64 rng(15);
    const auto dev = noise::load_device("quito", data_dir());
    const auto model = noise::build_noise_model(dev);
    const auto c = test::mnist4_u3cu3(4);
    const auto theta = uniform(static_cast<std::size_t>(c.n_trainable), rng);
    const auto prog = NoisyBatchProgram::prepare(c, theta, dev, model);
    const std::size_t n_samples = 300;
    const auto x = uniform(n_samples * 16, rng, 0.0, 3.0);
    const auto one = prog.expectations(x, n_samples, qnas::Parallelism{1});
    const auto two = prog.expectations(x, n_samples, qnas::Parallelism{2});
    CHECK(one == two);
    NoisyBatchOptions clean;
    clean.gate_noise = false;
    clean.readout = false;
    clean.compile.layout = prog.compiled().initial_layout;
    const auto ideal = NoisyBatchProgram::prepare(c, theta, dev, model, clean).expectations(x, n_samples);
    double sum_noisy = 0, sum_ideal = 0;
    for (std::size_t i = 0; i < one.size(); ++i) sum_noisy += std::abs(one[i]), sum_ideal += std::abs(ideal[i]);
    CHECK(sum_noisy < sum_ideal);
}

TEST_CASE("noisy batch rejects what it cannot evaluate", "[noise][batch]") {
    const auto dev = noise::load_device("quito", data_dir());
    const auto model = noise::build_noise_model(dev);
    sim::Circuit late(2);
    late.add(sim::GateKind::CX, {0, 1});
    late.add(sim::GateKind::RY, {0}, {sim::Param::input(0)});
    CHECK_THROWS_WITH(NoisyBatchProgram::prepare(late, {}, dev, model),
                      Catch::Contains("input angle after the first 2-qubit gate"));
    sim::Circuit crx(2);
    crx.add(sim::GateKind::CRX, {0, 1}, {sim::Param::input(0)});
    CHECK_THROWS_WITH(NoisyBatchProgram::prepare(crx, {}, dev, model), Catch::Contains("multi-qubit gate"));
    NoisyBatchOptions opt;
    opt.observables = {sim::PauliTerm::from_label("XZ")};
    sim::Circuit ok(2);
    ok.add(sim::GateKind::RY, {0}, {sim::Param::input(0)});
    ok.add(sim::GateKind::CX, {0, 1});
    CHECK_THROWS_WITH(NoisyBatchProgram::prepare(ok, {}, dev, model, opt), Catch::Contains("not Z-type"));
    const auto prog = NoisyBatchProgram::prepare(ok, {}, dev, model);
    const std::vector<double> three(3, 0.1);
    CHECK_THROWS_AS(prog.expectations(three, 2), Error);
}

TEST_CASE("noisy batch shots: seeded, unbiased within 5 sigma of the exact expectations", "[noise][batch]") {
    std::mt19937_64 rng(16);
    const auto dev = noise::load_device("belem", data_dir());
    const auto model = noise::build_noise_model(dev);
    const auto c = test::mnist4_u3cu3(2);
    const auto theta = uniform(static_cast<std::size_t>(c.n_trainable), rng);
    NoisyBatchOptions exact;
    exact.observables = {sim::PauliTerm::z_on(0), sim::PauliTerm::from_label("ZZII", 0.5),
                         sim::PauliTerm::from_label("ZIIZ", -2.0)};
    exact.compile.layout = std::vector<int>{0, 1, 2, 3};
    auto shots = exact;
    shots.shots = 4000;
    shots.seed = 99;
    const std::size_t n_samples = 70;
    const auto x = uniform(n_samples * 16, rng, 0.0, 3.0);
    const auto e = NoisyBatchProgram::prepare(c, theta, dev, model, exact).expectations(x, n_samples);
    const auto prog = NoisyBatchProgram::prepare(c, theta, dev, model, shots);
    REQUIRE(prog.n_observables() == 3);
    const auto s1 = prog.expectations(x, n_samples, Parallelism{1});
    CHECK(s1 == prog.expectations(x, n_samples, Parallelism{2}));
    shots.seed = 100;
    CHECK(s1 != NoisyBatchProgram::prepare(c, theta, dev, model, shots).expectations(x, n_samples));
    const double coeff[3] = {1.0, 0.5, 2.0};
    double chi2 = 0.0;
    for (std::size_t i = 0; i < e.size(); ++i) {
        const double m = e[i] / coeff[i % 3];  // in [−1, 1]
        const double sigma = coeff[i % 3] * std::sqrt(std::max(1e-12, (1 - m * m) / 4000.0));
        CHECK(std::abs(s1[i] - e[i]) <= 5 * sigma + 1e-12);
        chi2 += (s1[i] - e[i]) * (s1[i] - e[i]) / (sigma * sigma);
        // Estimates are multiples of coeff/shots.
        CHECK(std::abs(std::remainder(s1[i] * 4000.0 / coeff[i % 3], 1.0)) < 1e-6);
    }
    // The mean squared z-score is ~1 for an unbiased estimator with the right spread.
    const double mean_z2 = chi2 / static_cast<double>(e.size());
    CHECK(mean_z2 > 0.6);
    CHECK(mean_z2 < 1.5);
}
