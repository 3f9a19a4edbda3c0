#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../sim/reference.h"
#include "noise/noise.h"
#include "sim/error.h"
#include "tests/test_data.h"

using namespace qnas::noise;
using qnas::sim::Circuit;
using qnas::sim::GateKind;
using qnas::sim::Matrix;
using qnas::sim::Param;

namespace {

using qnas::test::data_dir;

// A random physical circuit in the device basis on `qubits` (rz with random angles, sx, x, id,
// and the 2-qubit basis gate on coupling-map pairs inside `qubits`), then `measures`.
Circuit random_physical(const Device& d, const std::vector<int>& qubits, int n_ops, int n_clbits,
                        const std::vector<qnas::sim::Measure>& measures, std::mt19937_64& rng) {
    const std::string two = d.two_qubit_gate();
    const GateKind kind2 = two == "ecr" ? GateKind::ECR : GateKind::CX;
    std::vector<std::array<int, 2>> pairs;
    for (const auto& e : d.coupling_map)
        if (std::count(qubits.begin(), qubits.end(), e[0]) && std::count(qubits.begin(), qubits.end(), e[1]) &&
            d.find_gate(two, e))
            pairs.push_back(e);
    REQUIRE(!pairs.empty());
    std::uniform_real_distribution<double> ang(-3.2, 3.2);
    Circuit c(d.n_qubits);
    c.n_clbits = n_clbits;
    for (int i = 0; i < n_ops; ++i) {
        const int q = qubits[rng() % qubits.size()];
        switch (rng() % 6) {
            case 0: c.add(GateKind::RZ, {q}, {Param::constant(ang(rng))}); break;
            case 1: c.add(GateKind::SX, {q}); break;
            case 2: c.add(GateKind::X, {q}); break;
            case 3: c.add(GateKind::I, {q}); break;
            default: {
                const auto& e = pairs[rng() % pairs.size()];
                c.add(kind2, {e[0], e[1]});
            }
        }
    }
    c.measures = measures;
    return c;
}

Matrix to_complex(const Eigen::Matrix2d& m) { return m.cast<qnas::sim::cplx>(); }

// The dense reference: ρ on the touched qubits as a full 2^k × 2^k matrix, every gate U ρ U†
// then its error Σ K ρ K† with K = Kraus operators of the model's superoperator embedded by
// Kronecker products, the diagonal mapped onto the clbits, then the readout confusion of all
// clbits as one dense Kronecker product.
std::vector<double> dense_reference(const Circuit& c, const NoiseModel& model, bool noisy = true) {
    std::set<int> touched_set;
    for (const auto& op : c.ops)
        for (int a = 0; a < qnas::sim::gate_info(op.kind).n_qubits; ++a) touched_set.insert(op.qubits[a]);
    for (const auto& m : c.measures) touched_set.insert(m.qubit);
    const std::vector<int> touched(touched_set.begin(), touched_set.end());
    const int k = static_cast<int>(touched.size());
    auto local = [&](int q) {
        return static_cast<int>(std::find(touched.begin(), touched.end(), q) - touched.begin());
    };
    const Eigen::Index dim = Eigen::Index{1} << k;
    Matrix rho = Matrix::Zero(dim, dim);
    rho(0, 0) = 1.0;
    std::map<std::pair<const GateNoise*, std::vector<int>>, std::vector<Matrix>> embedded;  // full Kraus ops
    for (const auto& op : c.ops) {
        const auto& g = qnas::sim::gate_info(op.kind);
        std::vector<int> phys(op.qubits.begin(), op.qubits.begin() + g.n_qubits), loc;
        for (int q : phys) loc.push_back(local(q));
        const Matrix u = qnas::test::expand(g.matrix(qnas::sim::resolve_angles(op, {}, {})), loc, k);
        rho = u * rho * u.adjoint();
        const GateNoise* e = noisy ? model.find(op.kind, phys) : nullptr;
        if (e) {
            auto it = embedded.find({e, loc});
            if (it == embedded.end()) {
                std::vector<Matrix> full;
                for (const Matrix& kr : qnas::sim::kraus_from_superop(e->superop))
                    full.push_back(qnas::test::expand(kr, loc, k));
                it = embedded.emplace(std::make_pair(e, loc), std::move(full)).first;
            }
            Matrix next = Matrix::Zero(dim, dim);
            for (const Matrix& kf : it->second) next += kf * rho * kf.adjoint();
            rho = next;
        }
    }
    const Eigen::Index n_out = Eigen::Index{1} << c.n_clbits;
    Eigen::VectorXcd p = Eigen::VectorXcd::Zero(n_out);
    for (Eigen::Index i = 0; i < dim; ++i) {
        Eigen::Index m = 0;
        for (const auto& ms : c.measures)
            if ((i >> local(ms.qubit)) & 1) m |= Eigen::Index{1} << ms.clbit;
        p(m) += rho(i, i);
    }
    Matrix conf = Matrix::Identity(1, 1);
    for (int cb = c.n_clbits - 1; cb >= 0; --cb) {
        Matrix r = Matrix::Identity(2, 2);
        for (const auto& ms : c.measures)
            if (ms.clbit == cb && noisy) r = to_complex(model.readout(ms.qubit).matrix());
        conf = qnas::test::kron(conf, r);
    }
    const Eigen::VectorXcd out = conf.transpose() * p;
    std::vector<double> v(static_cast<std::size_t>(n_out));
    for (Eigen::Index i = 0; i < n_out; ++i) v[static_cast<std::size_t>(i)] = out(i).real();
    return v;
}

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    double d = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

ExecutionOptions with(NoiseMethod m) {
    ExecutionOptions o;
    o.method = m;
    return o;
}

std::string error_of(const Circuit& c, const NoiseModel& model, const ExecutionOptions& o) {
    try {
        execute(c, model, o);
    } catch (const qnas::Error& e) {
        return e.what();
    }
    return "no error";
}

struct Case {
    std::string device;
    std::vector<int> qubits;  // touched by gates
    std::vector<qnas::sim::Measure> measures;
    int n_clbits;
};

// Measures in a permuted clbit order, one gate-touched qubit left unmeasured, one clbit unwritten.
const std::vector<Case> kCases = {
    {"quito", {0, 1, 3, 4}, {{3, 0}, {0, 2}, {4, 1}}, 4},
    {"lagos", {1, 3, 5, 6, 4}, {{6, 1}, {1, 3}, {5, 0}, {4, 4}}, 5},
    {"brisbane", {0, 1, 2, 3}, {{2, 0}, {0, 1}, {1, 3}}, 4},
    {"belem", {0, 1, 2}, {{1, 1}, {0, 0}}, 3},
};

}  // namespace

TEST_CASE("exact execution equals a dense density-matrix reference", "[noise][execution]") {
    std::mt19937_64 rng(7);
    for (const Case& cs : kCases) {
        const Device d = load_device(cs.device, data_dir());
        const NoiseModel model = build_noise_model(d);
        for (int rep = 0; rep < 2; ++rep) {
            const Circuit c = random_physical(d, cs.qubits, 40, cs.n_clbits, cs.measures, rng);
            const ExecutionResult r = execute(c, model, with(NoiseMethod::Exact));
            INFO(cs.device << " rep " << rep);
            CHECK(r.n_simulated_qubits == static_cast<int>(cs.qubits.size()));
            CHECK(r.std_error.empty());
            CHECK(r.counts.empty());
            const std::vector<double> ref = dense_reference(c, model);
            CHECK(max_diff(r.probabilities, ref) < 1e-12);
            // The noise matters: the noiseless distribution is far from it.
            CHECK(max_diff(r.probabilities, dense_reference(c, model, false)) > 1e-3);
        }
    }
}

TEST_CASE("only touched qubits are simulated; a measure-only qubit counts", "[noise][execution]") {
    const NoiseModel model = build_noise_model(load_device("quito", data_dir()));
    std::mt19937_64 rng(3);
    const Device d = load_device("quito", data_dir());
    Circuit c = random_physical(d, {0, 1, 2}, 20, 2, {{2, 0}, {1, 1}}, rng);
    const ExecutionResult r = execute(c, model, with(NoiseMethod::Exact));
    CHECK(r.n_simulated_qubits == 3);
    CHECK(max_diff(r.probabilities, dense_reference(c, model)) < 1e-12);
    // Declaring only the touched qubits (nothing to drop) changes nothing.
    Circuit narrow = c;
    narrow.n_qubits = 3;
    CHECK(execute(narrow, model, with(NoiseMethod::Exact)).probabilities == r.probabilities);
    // A qubit that is only measured is simulated too (it carries readout error).
    c.n_clbits = 3;
    c.measures.push_back({4, 2});
    const ExecutionResult m = execute(c, model, with(NoiseMethod::Exact));
    CHECK(m.n_simulated_qubits == 4);
    CHECK(max_diff(m.probabilities, dense_reference(c, model)) < 1e-12);
    // No gates, no measures, no clbits: the empty distribution [1].
    const ExecutionResult empty = execute(Circuit(5), model, with(NoiseMethod::Exact));
    CHECK(empty.n_simulated_qubits == 0);
    REQUIRE(empty.probabilities.size() == 1);
    CHECK(empty.probabilities[0] == 1.0);
}

TEST_CASE("readout alone: measures on |0...0> give the product of the P(read | 0) rows", "[noise][execution]") {
    const Device d = load_device("quito", data_dir());
    const NoiseModel model = build_noise_model(d);
    Circuit c(5);
    c.n_clbits = 4;
    c.measures = {{2, 0}, {0, 1}, {4, 3}};  // clbit 2 never written
    const ExecutionResult r = execute(c, model, with(NoiseMethod::Exact));
    REQUIRE(r.probabilities.size() == 16);
    CHECK(r.n_simulated_qubits == 3);
    for (std::size_t m = 0; m < 16; ++m) {
        double expected = 1.0;
        for (const auto& ms : c.measures) {
            const double p1 = d.qubits[static_cast<std::size_t>(ms.qubit)].prob_meas1_prep0;
            REQUIRE(p1 > 0.0);
            expected *= ((m >> ms.clbit) & 1U) ? p1 : 1.0 - p1;
        }
        if ((m >> 2) & 1U) expected = 0.0;
        INFO("m = " << m);
        CHECK(std::abs(r.probabilities[m] - expected) < 1e-15);
    }
    // Without readout error the register reads 0 exactly.
    ExecutionOptions o = with(NoiseMethod::Exact);
    o.readout = false;
    const ExecutionResult clean = execute(c, model, o);
    CHECK(clean.probabilities[0] == 1.0);
}

TEST_CASE("z_expectations and readout: <Z> after readout is the affine map of <Z> before", "[noise][execution]") {
    const Device d = load_device("lagos", data_dir());
    const NoiseModel model = build_noise_model(d);
    std::mt19937_64 rng(11);
    const Case& cs = kCases[1];
    const Circuit c = random_physical(d, cs.qubits, 30, cs.n_clbits, cs.measures, rng);
    ExecutionOptions o = with(NoiseMethod::Exact);
    const std::vector<double> z = z_expectations(execute(c, model, o).probabilities, c.n_clbits);
    o.readout = false;
    const std::vector<double> z_before = z_expectations(execute(c, model, o).probabilities, c.n_clbits);
    // Independent: ⟨Z_c⟩ = Σ_m p_m (−1)^{bit c}, from the dense reference without noise on readout.
    REQUIRE(z.size() == 5);
    for (const auto& ms : c.measures) {
        const auto cb = static_cast<std::size_t>(ms.clbit);
        CHECK(std::abs(z[cb] - model.readout(ms.qubit).apply_to_z(z_before[cb])) < 1e-12);
        CHECK(std::abs(z_before[cb] - z[cb]) > 1e-4);
    }
    CHECK(std::abs(z[2] - 1.0) < 1e-12);  // never written: reads 0
    CHECK(z_expectations({0.25, 0.25, 0.5, 0.0}, 2) == std::vector<double>{0.5, 0.0});
    CHECK_THROWS_AS(z_expectations({1.0, 0.0}, 2), qnas::Error);
}

TEST_CASE("none equals the noiseless state-vector probabilities", "[noise][execution]") {
    const Device d = load_device("quito", data_dir());
    const NoiseModel model = build_noise_model(d);
    std::mt19937_64 rng(5);
    const Case& cs = kCases[0];
    const Circuit c = random_physical(d, cs.qubits, 40, cs.n_clbits, cs.measures, rng);
    const ExecutionResult r = execute(c, model, with(NoiseMethod::None));
    // Reference: the full 5-qubit state vector by dense expanded gates, marginalised by hand.
    const Eigen::VectorXcd psi = qnas::test::circuit_state(c);
    std::vector<double> ref(std::size_t{1} << c.n_clbits, 0.0);
    for (Eigen::Index i = 0; i < psi.size(); ++i) {
        std::size_t m = 0;
        for (const auto& ms : c.measures)
            if ((i >> ms.qubit) & 1) m |= std::size_t{1} << ms.clbit;
        ref[m] += std::norm(psi(i));
    }
    CHECK(max_diff(r.probabilities, ref) < 1e-12);
    CHECK(max_diff(r.probabilities, dense_reference(c, model, false)) < 1e-12);
    CHECK(max_diff(r.probabilities, execute(c, model, with(NoiseMethod::Exact)).probabilities) > 1e-3);
}

TEST_CASE("shots: seeded, sums to shots, frequencies within 5 sigma of exact", "[noise][execution]") {
    const Device d = load_device("quito", data_dir());
    const NoiseModel model = build_noise_model(d);
    std::mt19937_64 rng(9);
    const Case& cs = kCases[0];
    const Circuit c = random_physical(d, cs.qubits, 30, cs.n_clbits, cs.measures, rng);
    const std::vector<double> exact = execute(c, model, with(NoiseMethod::Exact)).probabilities;
    ExecutionOptions o = with(NoiseMethod::Shots);
    o.shots = 20000;
    o.seed = 1;
    const ExecutionResult a = execute(c, model, o);
    const ExecutionResult b = execute(c, model, o);
    o.seed = 2;
    const ExecutionResult other = execute(c, model, o);
    CHECK(a.counts == b.counts);
    CHECK(a.probabilities == b.probabilities);
    CHECK(a.counts != other.counts);
    REQUIRE(a.counts.size() == exact.size());
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < exact.size(); ++i) {
        total += a.counts[i];
        CHECK(a.probabilities[i] == static_cast<double>(a.counts[i]) / o.shots);
        const double sigma = std::sqrt(exact[i] * (1 - exact[i]) / o.shots);
        INFO("entry " << i << " exact " << exact[i] << " freq " << a.probabilities[i]);
        CHECK(std::abs(a.probabilities[i] - exact[i]) <= 5 * sigma + 1.0 / o.shots);
        if (exact[i] == 0.0) CHECK(a.counts[i] == 0);
    }
    CHECK(total == 20000);
}

TEST_CASE("trajectories converge to exact, seeded and thread-count independent", "[noise][execution]") {
    std::mt19937_64 rng(13);
    // belem has T2 > T1 qubits (relaxation in its Kraus regime); brisbane is an ECR device.
    for (const std::string name : {"belem", "brisbane"}) {
        const Device d = load_device(name, data_dir());
        const NoiseModel model = build_noise_model(d);
        const Case& cs = name == std::string("belem") ? kCases[3] : kCases[2];
        const std::vector<int> qubits(cs.qubits.begin(), cs.qubits.begin() + 3);
        std::vector<qnas::sim::Measure> measures;
        for (const auto& m : cs.measures)
            if (std::count(qubits.begin(), qubits.end(), m.qubit)) measures.push_back(m);
        const Circuit c = random_physical(d, qubits, 30, cs.n_clbits, measures, rng);
        const std::vector<double> exact = execute(c, model, with(NoiseMethod::Exact)).probabilities;
        ExecutionOptions o = with(NoiseMethod::Trajectories);
        o.trajectories = 2000;
        o.seed = 17;
        o.parallelism = qnas::Parallelism{1};
        const ExecutionResult r1 = execute(c, model, o);
        o.parallelism = qnas::Parallelism{2};
        const ExecutionResult r2 = execute(c, model, o);
        INFO(name);
        CHECK(r1.probabilities == r2.probabilities);
        CHECK(r1.std_error == r2.std_error);
        CHECK(r1.counts.empty());
        REQUIRE(r1.std_error.size() == exact.size());
        double se_sum = 0.0;
        for (std::size_t i = 0; i < exact.size(); ++i) {
            INFO("entry " << i << " exact " << exact[i] << " mean " << r1.probabilities[i] << " se "
                          << r1.std_error[i]);
            CHECK(std::abs(r1.probabilities[i] - exact[i]) <= 5 * r1.std_error[i] + 1e-12);
            se_sum += r1.std_error[i];
        }
        CHECK(se_sum > 1e-4);  // the trajectories really branch
        // Noise-free trajectories would be far off: the convergence is to the noisy result.
        CHECK(max_diff(r1.probabilities, execute(c, model, with(NoiseMethod::None)).probabilities) > 1e-3);
        // A quarter of the trajectories: the standard error grows by ~2.
        o.trajectories = 500;
        const ExecutionResult quarter = execute(c, model, o);
        double se_quarter = 0.0;
        for (double s : quarter.std_error) se_quarter += s;
        CHECK(se_quarter / se_sum > 1.5);
        CHECK(se_quarter / se_sum < 2.7);
        o.seed = 18;
        CHECK(execute(c, model, o).probabilities != quarter.probabilities);
        // sample_shots draws counts from the averaged distribution.
        o.sample_shots = true;
        o.shots = 1000;
        const ExecutionResult sampled = execute(c, model, o);
        std::uint64_t total = 0;
        for (auto n : sampled.counts) total += n;
        CHECK(total == 1000);
    }
}

TEST_CASE("execute: bad input is one qnas::Error line", "[noise][execution]") {
    const NoiseModel quito = build_noise_model(load_device("quito", data_dir()));
    Circuit twice(5);
    twice.add(GateKind::SX, {0});
    twice.n_clbits = 2;
    twice.measures = {{0, 0}, {0, 1}};
    CHECK_THAT(error_of(twice, quito, {}), Catch::Contains("qubit 0 is measured twice (mid-circuit"));
    Circuit clash(5);
    clash.n_clbits = 1;
    clash.measures = {{0, 0}, {1, 0}};
    CHECK_THAT(error_of(clash, quito, {}), Catch::Contains("clbit 0 is written by two measures"));
    Circuit symbolic(5);
    symbolic.add(GateKind::RZ, {1}, {Param::trainable(0)});
    CHECK_THAT(error_of(symbolic, quito, {}), Catch::Contains("op 0 (rz) has a non-constant angle"));
    CHECK_THAT(error_of(Circuit(6), quito, {}), Catch::Contains("the circuit has 6 qubits, the device 5"));
    Circuit many_clbits(5);
    many_clbits.n_clbits = 25;
    CHECK_THAT(error_of(many_clbits, quito, {}), Catch::Contains("25 clbits"));
    ExecutionOptions o = with(NoiseMethod::Shots);
    o.shots = 0;
    CHECK_THAT(error_of(Circuit(5), quito, o), Catch::Contains("shots must be at least 1"));
    o = with(NoiseMethod::Trajectories);
    o.trajectories = 0;
    CHECK_THAT(error_of(Circuit(5), quito, o), Catch::Contains("trajectories must be at least 1"));
    // 15 touched qubits: too wide for a density matrix (refused before allocating anything).
    const NoiseModel brisbane = build_noise_model(load_device("brisbane", data_dir()));
    Circuit wide(127);
    wide.n_clbits = 15;
    for (int q = 0; q < 15; ++q) wide.measures.push_back({q, q});
    CHECK_THAT(error_of(wide, brisbane, with(NoiseMethod::Exact)), Catch::Contains("touches 15 physical qubits"));
    CHECK_THAT(error_of(wide, brisbane, with(NoiseMethod::Shots)), Catch::Contains("use trajectories"));
    CHECK(execute(wide, brisbane, with(NoiseMethod::None)).n_simulated_qubits == 15);
    CHECK(parse_noise_method("trajectories") == NoiseMethod::Trajectories);
    CHECK(to_string(parse_noise_method("shots")) == "shots");
    CHECK_THROWS_WITH(parse_noise_method("dense"), Catch::Contains("none, exact, shots, trajectories"));
}

TEST_CASE("gates outside the calibration run noise-free on every path (incl. a 3-qubit gate)", "[noise][execution]") {
    const Device d = load_device("belem", data_dir());
    const NoiseModel model = build_noise_model(d);
    Circuit c(5);
    c.n_clbits = 3;
    c.add(GateKind::H, {0}).add(GateKind::SX, {1}).add(GateKind::CX, {1, 0}).add(GateKind::CCX, {0, 1, 2});
    c.add(GateKind::RY, {2}, {Param::constant(0.7)}).add(GateKind::SX, {2}).add(GateKind::CX, {3, 1});
    c.measures = {{2, 0}, {0, 2}, {1, 1}};
    REQUIRE(model.find(GateKind::CCX, std::vector<int>{0, 1, 2}) == nullptr);
    const std::vector<double> exact = execute(c, model, with(NoiseMethod::Exact)).probabilities;
    CHECK(max_diff(exact, dense_reference(c, model)) < 1e-12);
    CHECK(max_diff(execute(c, model, with(NoiseMethod::None)).probabilities, dense_reference(c, model, false)) < 1e-12);
    ExecutionOptions o = with(NoiseMethod::Trajectories);
    o.trajectories = 2000;
    const ExecutionResult t = execute(c, model, o);
    for (std::size_t i = 0; i < exact.size(); ++i) {
        INFO("entry " << i);
        CHECK(std::abs(t.probabilities[i] - exact[i]) <= 5 * t.std_error[i] + 1e-12);
    }
}

TEST_CASE("trajectories converge to exact under strong noise (Kraus branches matter)", "[noise][execution]") {
    // belem with T1, T2 divided by 200 (q0 keeps T2 > T1: the Kraus regime) and gate errors ×20:
    // every branch is drawn often, so a wrong branch probability shows up well beyond 5σ.
    Device d = load_device("belem", data_dir());
    for (auto& q : d.qubits) {
        q.t1 /= 200;
        q.t2 /= 200;
    }
    for (auto& g : d.gates)
        if (g.gate_error) *g.gate_error = std::min(0.5, 20 * *g.gate_error);
    const NoiseModel model = build_noise_model(d);
    std::mt19937_64 rng(21);
    // Two qubits and 10 gates keep a trajectory cheap, so 10^5 of them resolve ~1% biases.
    Circuit c = random_physical(d, {0, 1}, 10, 2, {{0, 1}, {1, 0}}, rng);
    // sx·sx on a state off the x-z plane: the branch weights of the second sx depend on ⟨Y⟩
    // before it (a conjugated reduced density matrix would get them wrong).
    c.add(GateKind::RZ, {0}, {Param::constant(0.9)}).add(GateKind::SX, {0}).add(GateKind::SX, {0});
    const std::vector<double> exact = execute(c, model, with(NoiseMethod::Exact)).probabilities;
    CHECK(max_diff(exact, dense_reference(c, model)) < 1e-12);
    CHECK(max_diff(exact, execute(c, model, with(NoiseMethod::None)).probabilities) > 0.05);
    ExecutionOptions o = with(NoiseMethod::Trajectories);
    o.trajectories = 100000;
    o.readout = false;  // the state's distribution itself
    const ExecutionResult t = execute(c, model, o);
    o.method = NoiseMethod::Exact;
    const std::vector<double> state_exact = execute(c, model, o).probabilities;
    for (std::size_t i = 0; i < exact.size(); ++i) {
        INFO("entry " << i << " exact " << state_exact[i] << " mean " << t.probabilities[i] << " se "
                      << t.std_error[i]);
        // Plus 3/N: an outcome reached only through a rare combination of branches (here ~1e-4)
        // may be drawn by no trajectory at all, and then its sample σ is 0 too.
        CHECK(std::abs(t.probabilities[i] - state_exact[i]) <= 5 * t.std_error[i] + 3.0 / o.trajectories);
    }
}
