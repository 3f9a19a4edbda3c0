#include "analysis/hardware_efficiency.h"

#include <cstdlib>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/sampling.h"
#include "noise/noise_model.h"
#include "noise/optimize.h"
#include "sim/error.h"
#include "tests/test_data.h"

using namespace qnas;
using sim::GateKind;
using sim::Param;

namespace {

noise::Device quito() { return noise::load_device("quito", qnas::test::data_dir()); }

// CX 0→1, 1→2, 2→3.
sim::Circuit cnot_chain() {
    sim::Circuit c(4);
    for (int q = 0; q < 3; ++q) c.add(GateKind::CX, {q, q + 1});
    return c;
}

}  // namespace

TEST_CASE("hardware efficiency of a CNOT chain on quito's T-shaped coupling") {
    const noise::Device d = quito();  // edges 0-1, 1-2, 1-3, 3-4
    SECTION("a layout on a path of the coupling map needs no swap") {
        const std::vector<int> layout{2, 1, 3, 4};
        const auto r = analysis::hardware_efficiency(cnot_chain(), d, layout);
        CHECK(r.device == "quito");
        CHECK(r.layout == layout);
        CHECK(r.logical_gates == 3);
        CHECK(r.logical_two_qubit == 3);
        CHECK(r.logical_depth == 3);
        CHECK(r.swaps == 0);
        CHECK(r.compiled_two_qubit == 3);
        CHECK(r.compiled_gates == 3);
        CHECK(r.compiled_depth == 3);
        // By hand: the three cx on (2,1), (1,3), (3,4), each (1 − gate_error).
        double expected = 1.0;
        for (auto [a, b] : {std::pair{2, 1}, std::pair{1, 3}, std::pair{3, 4}}) {
            const std::vector<int> q{a, b};
            const auto* g = d.find_gate("cx", q);
            REQUIRE(g != nullptr);
            REQUIRE(g->gate_error.has_value());
            expected *= 1.0 - *g->gate_error;
        }
        CHECK(r.success_rate == Approx(expected).epsilon(1e-12));
    }
    SECTION("the trivial layout forces swaps (2 and 3 are not coupled)") {
        const auto r = analysis::hardware_efficiency(cnot_chain(), d, std::vector<int>{0, 1, 2, 3});
        CHECK(r.swaps >= 1);
        CHECK(r.compiled_two_qubit > r.logical_two_qubit);
        CHECK(r.success_rate < 1.0);
    }
}

TEST_CASE("hardware efficiency equals a direct compile of the seeded binding") {
    const noise::Device d = quito();
    sim::Circuit c(3);
    c.add(GateKind::U3, {0}, {Param::trainable(0), Param::trainable(1), Param::trainable(2)})
        .add(GateKind::CU3, {0, 2}, {Param::trainable(3), Param::trainable(4), Param::trainable(5)})
        .add(GateKind::RZZ, {1, 2}, {Param::trainable(6)})
        .add(GateKind::H, {1});
    for (const std::optional<std::vector<int>>& layout :
         {std::optional<std::vector<int>>{}, std::optional<std::vector<int>>{std::vector<int>{4, 3, 0}}}) {
        const auto r = analysis::hardware_efficiency(c, d, layout, 17);
        noise::CompileOptions o;
        o.layout = layout;
        const auto direct = noise::compile(sim::bind(c, analysis::sample_angles(c.n_trainable, 17, 0)), d, o);
        CHECK(r.layout == direct.initial_layout);
        CHECK(r.logical_gates == 4);
        CHECK(r.logical_two_qubit == direct.two_qubit_before);
        CHECK(r.logical_depth == direct.depth_before);
        CHECK(r.compiled_gates == static_cast<int>(direct.circuit.ops.size()));
        CHECK(r.compiled_two_qubit == noise::two_qubit_count(direct.circuit));
        CHECK(r.compiled_depth == noise::depth(direct.circuit));
        CHECK(r.swaps == direct.n_swaps);
        CHECK(r.success_rate == noise::success_rate(d, direct.circuit));
        CHECK(r.success_rate > 0.0);
        CHECK(r.success_rate < 1.0);
    }
}

TEST_CASE("hardware efficiency rejects what cannot run") {
    const noise::Device d = quito();
    CHECK_THROWS_AS(analysis::hardware_efficiency(sim::Circuit(6), d), Error);  // wider than 5 qubits
    CHECK_THROWS_AS(analysis::hardware_efficiency(cnot_chain(), d, std::vector<int>{0, 1, 1, 2}), Error);
    CHECK_THROWS_AS(analysis::hardware_efficiency(cnot_chain(), d, std::vector<int>{0, 1, 9, 2}), Error);
    sim::Circuit encoded(2);
    encoded.add(GateKind::RY, {0}, {Param::input(0)});
    CHECK_THROWS_AS(analysis::hardware_efficiency(encoded, d), Error);
}
