#include "noise/compile.h"

#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../test_scale.h"
#include "compile_helpers.h"
#include "noise/basis.h"
#include "noise/layout.h"
#include "noise/optimize.h"
#include "routing_helpers.h"
#include "sim/error.h"
#include "tests/sim/reference.h"

using namespace qnas;
using sim::GateKind;
using sim::Param;

namespace {

// Compiles and runs every acceptance check; returns the compiled circuit.
noise::CompiledCircuit compile_checked(const sim::Circuit& bound, const noise::Device& dev,
                                       const noise::CompileOptions& opts) {
    const auto graph = noise::coupling_graph(dev);
    const auto basis = noise::Basis::from_names(dev.basis_gates);
    const auto cc = noise::compile(bound, dev, opts);
    CHECK(cc.circuit.n_qubits == dev.n_qubits);
    CHECK(test::all_in_basis(cc.circuit, basis));
    CHECK(test::all_native(cc.circuit, graph));
    if (opts.layout) CHECK(cc.initial_layout == *opts.layout);
    noise::validate_layout(cc.initial_layout, bound.n_qubits, dev, graph);
    noise::validate_layout(cc.final_layout, bound.n_qubits, dev, graph);
    // Measures follow the final permutation.
    if (bound.measures.empty()) {
        CHECK(cc.circuit.n_clbits == bound.n_qubits);
        REQUIRE(cc.circuit.measures.size() == static_cast<std::size_t>(bound.n_qubits));
        for (int l = 0; l < bound.n_qubits; ++l)
            CHECK(cc.circuit.measures[static_cast<std::size_t>(l)] ==
                  sim::Measure{cc.final_layout[static_cast<std::size_t>(l)], l});
    } else {
        REQUIRE(cc.circuit.measures.size() == bound.measures.size());
        for (std::size_t i = 0; i < bound.measures.size(); ++i)
            CHECK(cc.circuit.measures[i] ==
                  sim::Measure{cc.final_layout[static_cast<std::size_t>(bound.measures[i].qubit)],
                               bound.measures[i].clbit});
    }
    int k = 0;
    CHECK(test::layout_distance(bound, cc.circuit, cc.initial_layout, cc.final_layout, cc.global_phase, &k) < 1e-9);
    return cc;
}

sim::Circuit random_bound(int n, int n_ops, std::mt19937_64& rng) {
    const auto c = test::random_circuit(n, n_ops, rng);
    return sim::bind(c, test::random_angles(c.n_trainable, rng), test::random_angles(c.n_inputs, rng));
}

const char* const kDevices[] = {"quito", "lagos", "brisbane", "melbourne"};

}  // namespace

TEST_CASE("random circuits compile exactly onto devices", "[noise][compile]") {
    std::mt19937_64 rng(7);
    int checked = 0, with_swaps = 0;
    for (int i = 0; i < test::scaled(200); ++i) {
        const int n = 1 + i % 5;
        const auto bound = random_bound(n, 12 + static_cast<int>(rng() % 14), rng);
        const auto& dev = test::device(kDevices[(i / 5) % 4]);
        const auto graph = noise::coupling_graph(dev);
        INFO("circuit " << i << " on " << dev.name << " with " << n << " qubits");
        noise::CompileOptions given;
        given.layout = test::random_layout(n, graph, rng);
        given.routing.seed = rng();
        const auto a = compile_checked(bound, dev, given);
        const auto b = compile_checked(bound, dev, {});
        checked += 2;
        with_swaps += (a.n_swaps > 0) + (b.n_swaps > 0);
    }
    CHECK(checked == 2 * test::scaled(200));
    CHECK(with_swaps > test::scaled(200) / 10);  // the checks above saw real routing, not only lucky layouts
}

TEST_CASE("design spaces' largest circuits compile exactly", "[noise][compile]") {
    std::mt19937_64 rng(11);
    for (const auto& nc : test::design_space_circuits(4, rng)) {
        for (const char* name : {"quito", "jakarta", "brisbane"}) {
            const auto& dev = test::device(name);
            const auto graph = noise::coupling_graph(dev);
            INFO(nc.name << " on " << name);
            noise::CompileOptions given;
            given.layout = noise::trivial_layout(4);
            if (dev.n_qubits > 100) given.layout = std::vector<int>{0, 1, 2, 3};
            const auto a = compile_checked(nc.circuit, dev, given);
            const auto b = compile_checked(nc.circuit, dev, {});
            // Rings need swaps on quito's T shape whatever the layout.
            if (std::string(name) == "quito" && nc.name != "rxyz") CHECK(a.n_swaps + b.n_swaps > 0);
            CHECK(a.two_qubit_before > 0);
            CHECK(a.depth_before > 0);
        }
    }
}

TEST_CASE("compile keeps explicit measures and clbits", "[noise][compile]") {
    sim::Circuit c(3);
    c.n_clbits = 4;
    c.add(GateKind::H, {0}).add(GateKind::CX, {0, 2}).add(GateKind::CX, {2, 1}).add(GateKind::CX, {1, 0});
    c.measures = {{2, 3}, {0, 1}};
    const auto& dev = test::device("quito");
    noise::CompileOptions o;
    o.layout = std::vector<int>{0, 4, 2};  // 0–4 not adjacent on quito
    const auto cc = compile_checked(c, dev, o);
    CHECK(cc.circuit.n_clbits == 4);
    CHECK(cc.n_swaps > 0);

    noise::CompileOptions none;
    none.measure_all = false;
    sim::Circuit d(2);
    d.add(GateKind::CX, {0, 1});
    const auto cd = noise::compile(d, dev, none);
    CHECK(cd.circuit.measures.empty());
}

TEST_CASE("compile without optimisation is exact too", "[noise][compile]") {
    std::mt19937_64 rng(5);
    const auto& dev = test::device("brisbane");
    noise::CompileOptions o;
    o.optimize = false;
    for (int i = 0; i < 10; ++i) {
        const auto bound = random_bound(3, 15, rng);
        const auto cc = compile_checked(bound, dev, o);
        CHECK(noise::two_qubit_count(cc.circuit) >= cc.two_qubit_before);
    }
}

TEST_CASE("compile rejects bad input", "[noise][compile]") {
    const auto& dev = test::device("quito");
    sim::Circuit c(2);
    c.n_trainable = 1;
    c.add(GateKind::RX, {0}, {Param::trainable(0)});
    CHECK_THROWS_WITH(noise::compile(c, dev), Catch::Contains("non-constant angle"));
    CHECK_THROWS_WITH(noise::compile(sim::Circuit(6), dev), Catch::Contains("6 qubits but quito has only 5"));
    noise::CompileOptions o;
    o.layout = std::vector<int>{0, 0};
    CHECK_THROWS_WITH(noise::compile(sim::Circuit(2), dev, o), Catch::Contains("layout: entry 1"));
    o.layout = std::vector<int>{0};
    CHECK_THROWS_AS(noise::compile(sim::Circuit(2), dev, o), Error);
}

TEST_CASE("touched_qubits lists ops and measures", "[noise][compile]") {
    sim::Circuit c(6);
    c.add(GateKind::CX, {4, 1}).add(GateKind::SX, {2});
    c.n_clbits = 1;
    c.measures = {{5, 0}};
    CHECK(noise::touched_qubits(c) == std::vector<int>{1, 2, 4, 5});
    c.measures = {{6, 0}};
    CHECK_THROWS_WITH(noise::touched_qubits(c), "touched_qubits: qubit 6 outside the circuit's 6");
}
