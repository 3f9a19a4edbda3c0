#include "noise/layout.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "noise/calibration.h"
#include "noise/compile.h"
#include "noise/noise_model.h"
#include "routing_helpers.h"
#include "sim/error.h"

using namespace qnas;
using sim::GateKind;

namespace {

std::string layout_error(const std::vector<int>& layout, int n_logical, const noise::Device& dev) {
    try {
        noise::validate_layout(layout, n_logical, dev, noise::coupling_graph(dev));
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

// Success of a compiled circuit measured independently of the layout heuristic: QuantumNAS's
// estimate (product of calibrated gate fidelities) times the readout fidelity of every measured
// qubit.
double compiled_success(const sim::Circuit& bound, const noise::Device& dev, const std::vector<int>& layout) {
    noise::CompileOptions o;
    o.layout = layout;
    const auto cc = noise::compile(bound, dev, o);
    double s = noise::success_rate(dev, cc.circuit);
    for (const auto& m : cc.circuit.measures) s *= 1.0 - dev.qubits[static_cast<std::size_t>(m.qubit)].readout_error;
    return s;
}

}  // namespace

TEST_CASE("coupling graph: adjacency, native directions and hop distances", "[noise][layout]") {
    for (const char* name : {"quito", "lagos", "melbourne", "brisbane"}) {
        const auto& dev = test::device(name);
        const auto g = noise::coupling_graph(dev);
        INFO(name);
        REQUIRE(g.n_qubits == dev.n_qubits);
        const auto n = static_cast<std::size_t>(g.n_qubits);
        // Floyd–Warshall on the conf's edge list as the reference.
        const int inf = 1 << 20;
        std::vector<std::vector<int>> d(n, std::vector<int>(n, inf));
        for (std::size_t i = 0; i < n; ++i) d[i][i] = 0;
        for (const auto& e : dev.coupling_map) {
            d[static_cast<std::size_t>(e[0])][static_cast<std::size_t>(e[1])] = 1;
            d[static_cast<std::size_t>(e[1])][static_cast<std::size_t>(e[0])] = 1;
            CHECK(g.native[static_cast<std::size_t>(e[0])][static_cast<std::size_t>(e[1])]);
            CHECK(g.coupled(e[1], e[0]));
        }
        for (std::size_t k = 0; k < n; ++k)
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = 0; j < n; ++j) d[i][j] = std::min(d[i][j], d[i][k] + d[k][j]);
        int native_count = 0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                CHECK(g.distance[i][j] == (d[i][j] >= inf ? -1 : d[i][j]));
                native_count += g.native[i][j] ? 1 : 0;
            }
        CHECK(native_count == static_cast<int>(dev.coupling_map.size()));
        for (std::size_t i = 0; i < n; ++i) {
            CHECK(std::is_sorted(g.neighbours[i].begin(), g.neighbours[i].end()));
            for (int j : g.neighbours[i]) CHECK(g.distance[i][static_cast<std::size_t>(j)] == 1);
        }
    }
    // ECR devices list one direction per edge.
    const auto b = noise::coupling_graph(test::device("brisbane"));
    int one_way = 0;
    for (int i = 0; i < b.n_qubits; ++i)
        for (int j : b.neighbours[static_cast<std::size_t>(i)])
            one_way += b.native[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] !=
                       b.native[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)];
    CHECK(one_way == 2 * 144);
    CHECK(noise::coupling_graph(test::device("quito")).distance[0][4] == 3);
}

TEST_CASE("layout validation names the offending entry", "[noise][layout]") {
    const auto& quito = test::device("quito");
    CHECK(layout_error({0, 1, 2}, 3, quito) == "(no error)");
    CHECK(layout_error({4, 3, 1, 0, 2}, 5, quito) == "(no error)");
    CHECK(layout_error({0, 1, 9}, 3, quito) ==
          "layout: entry 2 (physical qubit 9) is out of range for quito (5 qubits)");
    CHECK(layout_error({0, -1}, 2, quito) ==
          "layout: entry 1 (physical qubit -1) is out of range for quito (5 qubits)");
    CHECK(layout_error({3, 1, 3}, 3, quito) == "layout: entry 2 (physical qubit 3) repeats entry 0");
    CHECK(layout_error({0, 1}, 3, quito) == "layout: 2 entries for a circuit of 3 qubits");
    CHECK(layout_error({0, 1, 2, 3}, 3, quito) == "layout: 4 entries for a circuit of 3 qubits");
    CHECK(layout_error({0, 1, 2, 3, 4, 5}, 6, quito) == "layout: the circuit has 6 qubits but quito has only 5");
    CHECK_THROWS_WITH(noise::noise_aware_layout(sim::Circuit(6), quito, noise::coupling_graph(quito)),
                      "layout: the circuit has 6 qubits but quito has only 5");
}

TEST_CASE("parse_layout and trivial_layout", "[noise][layout]") {
    CHECK(noise::parse_layout("0,1,2,3") == std::vector<int>{0, 1, 2, 3});
    CHECK(noise::parse_layout(" 4, 2 ,13") == std::vector<int>{4, 2, 13});
    CHECK(noise::parse_layout("7") == std::vector<int>{7});
    for (const char* bad : {"", ",", "1,", "1,,2", "a", "-1", "1;2", "1 2", "1.5", "99999999999"})
        CHECK_THROWS_WITH(noise::parse_layout(bad), Catch::StartsWith("layout: cannot parse '"));
    CHECK(noise::trivial_layout(3) == std::vector<int>{0, 1, 2});
    CHECK(noise::trivial_layout(0).empty());
    CHECK_THROWS_AS(noise::trivial_layout(-1), Error);
}

TEST_CASE("noise-aware layout is valid, deterministic and beats trivial and random layouts", "[noise][layout]") {
    std::mt19937_64 rng(21);
    for (const char* name : {"quito", "lagos", "melbourne", "brisbane"}) {
        const auto& dev = test::device(name);
        const auto g = noise::coupling_graph(dev);
        for (int i = 0; i < 3; ++i) {
            const auto circuits = test::design_space_circuits(4, rng, 2 + 2 * i);
            const auto& nc = circuits[static_cast<std::size_t>(i)];
            const auto t = noise::translate(nc.circuit, noise::Basis::ibm_cx()).circuit;
            const auto best = noise::noise_aware_layout(t, dev, g);
            INFO(nc.name << " on " << name);
            noise::validate_layout(best, 4, dev, g);
            CHECK(noise::noise_aware_layout(t, dev, g) == best);
            const double s_best = compiled_success(nc.circuit, dev, best);
            std::vector<double> random;
            for (int k = 0; k < 15; ++k)
                random.push_back(compiled_success(nc.circuit, dev, test::random_layout(4, g, rng)));
            std::sort(random.begin(), random.end());
            const double s_trivial = compiled_success(nc.circuit, dev, noise::trivial_layout(4));
            INFO("noise-aware " << s_best << ", trivial " << s_trivial << ", median random "
                                << random[random.size() / 2] << ", best random " << random.back());
            CHECK(s_best >= s_trivial);
            CHECK(s_best >= random[random.size() / 2]);
        }
    }
}

TEST_CASE("noise-aware layout ranks among the best of all layouts on quito", "[noise][layout]") {
    std::mt19937_64 rng(5);
    const auto& dev = test::device("quito");
    const auto g = noise::coupling_graph(dev);
    for (int i = 0; i < 3; ++i) {
        const auto circuits = test::design_space_circuits(4, rng, 2);
        const auto& nc = circuits[static_cast<std::size_t>(i)];
        const auto t = noise::translate(nc.circuit, noise::Basis::ibm_cx()).circuit;
        const double s = compiled_success(nc.circuit, dev, noise::noise_aware_layout(t, dev, g));
        // Every injective placement of 4 logical qubits on 5 physical ones.
        int better = 0, total = 0;
        std::vector<int> perm{0, 1, 2, 3, 4};
        do {
            better += compiled_success(nc.circuit, dev, std::vector<int>(perm.begin(), perm.begin() + 4)) > s;
            ++total;
            std::reverse(perm.begin() + 4, perm.end());
        } while (std::next_permutation(perm.begin(), perm.end()));
        INFO(nc.name << ": " << better << " of " << total << " layouts are better");
        CHECK(total == 120);
        CHECK(better < total / 4);
    }
}

TEST_CASE("noise-aware layout on small circuits", "[noise][layout]") {
    const auto& quito = test::device("quito");
    const auto g = noise::coupling_graph(quito);
    // One qubit: the single qubit with the best readout and sx fidelity.
    sim::Circuit one(1);
    one.add(GateKind::SX, {0});
    const auto l1 = noise::noise_aware_layout(one, quito, g);
    REQUIRE(l1.size() == 1);
    double best = 0.0;
    int best_q = -1;
    for (int q = 0; q < 5; ++q) {
        const int qs[1] = {q};
        const double s = (1.0 - quito.qubits[static_cast<std::size_t>(q)].readout_error) *
                         (1.0 - quito.find_gate("sx", qs)->gate_error.value_or(0.0));
        if (s > best) {
            best = s;
            best_q = q;
        }
    }
    CHECK(l1[0] == best_q);
    // Two interacting qubits land on a coupled pair; no gates at all still gives a valid layout.
    sim::Circuit two(2);
    two.add(GateKind::CX, {0, 1}).add(GateKind::CX, {1, 0});
    const auto l2 = noise::noise_aware_layout(two, quito, g);
    CHECK(g.coupled(l2[0], l2[1]));
    noise::validate_layout(noise::noise_aware_layout(sim::Circuit(5), quito, g), 5, quito, g);
    CHECK(noise::noise_aware_layout(sim::Circuit(0), quito, g).empty());
    // A malformed circuit is an error, not a crash.
    sim::Circuit bad(3);
    sim::Op op;
    op.kind = GateKind::CX;
    op.qubits = {0, 7, 0};
    bad.ops.push_back(op);
    CHECK_THROWS_AS(noise::noise_aware_layout(bad, quito, g), Error);
    // Wider gates count as their pairs.
    sim::Circuit three(3);
    three.add(GateKind::CCX, {0, 1, 2});
    noise::validate_layout(noise::noise_aware_layout(three, quito, g), 3, quito, g);
}
