#include "noise/routing.h"

#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "noise/layout.h"
#include "routing_helpers.h"
#include "sim/error.h"
#include "tests/sim/reference.h"

using namespace qnas;
using sim::GateKind;
using sim::Param;

namespace {

// A device with only a coupling map (both directions of every listed edge).
noise::Device graph_device(const std::string& name, int n, const std::vector<std::array<int, 2>>& edges) {
    noise::Device d;
    d.name = name;
    d.n_qubits = n;
    for (const auto& e : edges) {
        d.coupling_map.push_back(e);
        d.coupling_map.push_back({e[1], e[0]});
    }
    return d;
}

noise::CouplingGraph line(int n) {
    std::vector<std::array<int, 2>> e;
    for (int q = 0; q + 1 < n; ++q) e.push_back({q, q + 1});
    return noise::coupling_graph(graph_device("line", n, e));
}

noise::CouplingGraph grid(int rows, int cols) {
    std::vector<std::array<int, 2>> e;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            if (c + 1 < cols) e.push_back({r * cols + c, r * cols + c + 1});
            if (r + 1 < rows) e.push_back({r * cols + c, (r + 1) * cols + c});
        }
    return noise::coupling_graph(graph_device("grid", rows * cols, e));
}

// A random circuit of 1- and 2-qubit gates only (what routing accepts), bound.
sim::Circuit random_2q(int n, int n_ops, std::mt19937_64& rng) {
    sim::Circuit c(n);
    std::uniform_real_distribution<double> ang(-3.2, 3.2);
    const GateKind two[] = {GateKind::CX, GateKind::CZ, GateKind::RZZ, GateKind::CU3, GateKind::Swap, GateKind::RZX};
    const GateKind one[] = {GateKind::H, GateKind::RX, GateKind::U3, GateKind::T};
    for (int i = 0; i < n_ops; ++i) {
        sim::Op op;
        const bool pair = n > 1 && rng() % 3 != 0;
        op.kind = pair ? two[rng() % 6] : one[rng() % 4];
        const auto& info = sim::gate_info(op.kind);
        op.qubits[0] = static_cast<int>(rng() % static_cast<unsigned>(n));
        if (pair) do
                op.qubits[1] = static_cast<int>(rng() % static_cast<unsigned>(n));
            while (op.qubits[1] == op.qubits[0]);
        for (int j = 0; j < std::min(info.n_params, sim::kMaxGateParams); ++j)
            op.params[static_cast<std::size_t>(j)] = Param::constant(ang(rng));
        c.add(op);
    }
    return c;
}

// Classical check of a routing on any device size: replaying the routed ops with the swaps
// updating a physical → logical map, the non-swap ops are the input's ops (same kind, angles and
// logical qubits) in an order that keeps every qubit's own sequence; the replayed map ends at the
// final layout. Returns false (with a message) on the first discrepancy.
bool replay_matches(const sim::Circuit& logical, const noise::Routed& r, const noise::CouplingGraph& g) {
    std::vector<int> p2l(static_cast<std::size_t>(g.n_qubits), -1);
    for (std::size_t l = 0; l < r.initial_layout.size(); ++l)
        p2l[static_cast<std::size_t>(r.initial_layout[l])] = static_cast<int>(l);
    // Per logical qubit: the input's ops on it, in order, and how many were replayed.
    std::vector<std::vector<std::size_t>> per_qubit(static_cast<std::size_t>(logical.n_qubits));
    for (std::size_t i = 0; i < logical.ops.size(); ++i)
        for (int a = 0; a < sim::gate_info(logical.ops[i].kind).n_qubits; ++a)
            per_qubit[static_cast<std::size_t>(logical.ops[i].qubits[static_cast<std::size_t>(a)])].push_back(i);
    std::vector<std::size_t> next(per_qubit.size(), 0);
    std::size_t replayed = 0;
    int swaps = 0;
    for (const auto& op : r.circuit.ops) {
        const int k = sim::gate_info(op.kind).n_qubits;
        if (k == 2 && !g.coupled(op.qubits[0], op.qubits[1])) {
            UNSCOPED_INFO("2-qubit op on uncoupled pair " << op.qubits[0] << "," << op.qubits[1]);
            return false;
        }
        if (op.kind == GateKind::Swap && replayed < logical.ops.size()) {
            // A routing swap, unless it is the input's own swap due next on both qubits.
            const int la = p2l[static_cast<std::size_t>(op.qubits[0])],
                      lb = p2l[static_cast<std::size_t>(op.qubits[1])];
            bool own = la >= 0 && lb >= 0;
            if (own) {
                const auto& qa = per_qubit[static_cast<std::size_t>(la)];
                const auto& qb = per_qubit[static_cast<std::size_t>(lb)];
                const auto na = next[static_cast<std::size_t>(la)], nb = next[static_cast<std::size_t>(lb)];
                own =
                    na < qa.size() && nb < qb.size() && qa[na] == qb[nb] && logical.ops[qa[na]].kind == GateKind::Swap;
            }
            if (!own) {
                std::swap(p2l[static_cast<std::size_t>(op.qubits[0])], p2l[static_cast<std::size_t>(op.qubits[1])]);
                ++swaps;
                continue;
            }
        }
        const int l0 = p2l[static_cast<std::size_t>(op.qubits[0])];
        if (l0 < 0) {
            UNSCOPED_INFO("op on an ancilla");
            return false;
        }
        const auto& seq = per_qubit[static_cast<std::size_t>(l0)];
        if (next[static_cast<std::size_t>(l0)] >= seq.size()) {
            UNSCOPED_INFO("extra op on logical " << l0);
            return false;
        }
        const std::size_t i = seq[next[static_cast<std::size_t>(l0)]];
        sim::Op expect = logical.ops[i];
        for (int a = 0; a < k; ++a) {
            const int l = p2l[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])];
            if (l != expect.qubits[static_cast<std::size_t>(a)] ||
                per_qubit[static_cast<std::size_t>(l)][next[static_cast<std::size_t>(l)]] != i) {
                UNSCOPED_INFO("op " << i << " out of order or on the wrong qubits");
                return false;
            }
            expect.qubits[static_cast<std::size_t>(a)] = op.qubits[static_cast<std::size_t>(a)];
        }
        if (!(expect == op)) {
            UNSCOPED_INFO("op " << i << " changed");
            return false;
        }
        for (int a = 0; a < k; ++a)
            ++next[static_cast<std::size_t>(logical.ops[i].qubits[static_cast<std::size_t>(a)])];
        ++replayed;
    }
    if (replayed != logical.ops.size()) return false;
    for (std::size_t l = 0; l < r.final_layout.size(); ++l)
        if (p2l[static_cast<std::size_t>(r.final_layout[l])] != static_cast<int>(l)) return false;
    return swaps == r.n_swaps;
}

}  // namespace

TEST_CASE("a circuit that fits the coupling map needs no swaps", "[noise][routing]") {
    const auto& quito = test::device("quito");  // edges 0-1, 1-2, 1-3, 3-4
    const auto g = noise::coupling_graph(quito);
    sim::Circuit c(5);
    c.add(GateKind::H, {0}).add(GateKind::CX, {0, 1}).add(GateKind::CX, {1, 2}).add(GateKind::CX, {3, 1});
    c.add(GateKind::CX, {3, 4}).add(GateKind::RZ, {4}, {Param::constant(0.4)}).add(GateKind::CX, {4, 3});
    const auto r = noise::sabre_route(c, g, noise::trivial_layout(5));
    CHECK(r.n_swaps == 0);
    CHECK(r.circuit.ops == c.ops);
    CHECK(r.final_layout == r.initial_layout);
    // Under another layout the ops follow it: logical 0-1-2 on the path 0-1-3.
    sim::Circuit d(3);
    d.add(GateKind::CX, {0, 1}).add(GateKind::CX, {1, 2});
    const auto rd = noise::sabre_route(d, g, std::vector<int>{0, 1, 3});
    CHECK(rd.n_swaps == 0);
    REQUIRE(rd.circuit.ops.size() == 2);
    CHECK(rd.circuit.ops[1].qubits[1] == 3);
}

TEST_CASE("small known routing cases", "[noise][routing]") {
    const auto g = line(4);
    SECTION("cx ring on a line: one swap closes the ring") {
        sim::Circuit c(4);
        for (int q = 0; q < 4; ++q) c.add(GateKind::CX, {q, (q + 1) % 4});
        const auto r = noise::sabre_route(c, g, noise::trivial_layout(4));
        CHECK(r.n_swaps >= 1);
        CHECK(r.n_swaps <= 2);
        CHECK(test::layout_distance(c, r.circuit, r.initial_layout, r.final_layout, 0.0) < 1e-12);
    }
    SECTION("ends of a line: distance 3 needs two swaps") {
        sim::Circuit c(4);
        c.add(GateKind::CX, {0, 3});
        const auto r = noise::sabre_route(c, g, noise::trivial_layout(4));
        CHECK(r.n_swaps == 2);
        CHECK(test::layout_distance(c, r.circuit, r.initial_layout, r.final_layout, 0.0) < 1e-12);
    }
    SECTION("a repeated distant pair is brought together once") {
        sim::Circuit c(2);
        for (int i = 0; i < 10; ++i) c.add(GateKind::CX, {i % 2, 1 - i % 2});
        const auto r = noise::sabre_route(c, line(6), std::vector<int>{0, 5});
        CHECK(r.n_swaps == 4);
    }
    SECTION("ancillas are used as stepping stones") {
        sim::Circuit c(2);
        c.add(GateKind::CX, {0, 1});
        const auto r = noise::sabre_route(c, grid(3, 3), std::vector<int>{0, 8});
        CHECK(r.n_swaps == 3);
        CHECK(test::layout_distance(c, r.circuit, r.initial_layout, r.final_layout, 0.0) < 1e-12);
    }
}

TEST_CASE("routed random circuits are exact on small graphs", "[noise][routing]") {
    std::mt19937_64 rng(99);
    const noise::CouplingGraph graphs[] = {line(5), grid(2, 3), noise::coupling_graph(test::device("quito")),
                                           noise::coupling_graph(test::device("lagos"))};
    for (int i = 0; i < 60; ++i) {
        const auto& g = graphs[i % 4];
        const int n = 2 + static_cast<int>(rng() % static_cast<unsigned>(std::min(g.n_qubits, 5) - 1));
        const auto c = random_2q(n, 25, rng);
        noise::RoutingOptions o;
        o.seed = rng();
        const auto r = noise::sabre_route(c, g, test::random_layout(n, g, rng), o);
        INFO("case " << i);
        CHECK(test::all_coupled(r.circuit, g));
        CHECK(replay_matches(c, r, g));
        CHECK(test::layout_distance(c, r.circuit, r.initial_layout, r.final_layout, 0.0) < 1e-10);
    }
}

TEST_CASE("routing is deterministic for a seed and best-of-trials", "[noise][routing]") {
    std::mt19937_64 rng(4);
    const auto g = noise::coupling_graph(test::device("melbourne"));
    const auto c = random_2q(10, 200, rng);
    const auto layout = test::random_layout(10, g, rng);
    noise::RoutingOptions o;
    o.seed = 1234;
    const auto a = noise::sabre_route(c, g, layout, o);
    const auto b = noise::sabre_route(c, g, layout, o);
    CHECK(a.circuit == b.circuit);
    CHECK(a.final_layout == b.final_layout);
    CHECK(a.n_swaps == b.n_swaps);
    CHECK(a.n_swaps > 0);
    CHECK(replay_matches(c, a, g));
    // The trace is the same routing, step for step.
    const auto trace = noise::sabre_trace(c, g, layout, o);
    REQUIRE(trace.steps.size() == a.circuit.ops.size());
    for (std::size_t i = 0; i < trace.steps.size(); ++i) {
        const auto& step = trace.steps[i];
        const auto& op = a.circuit.ops[i];
        CHECK(op.qubits[0] == step.p0);
        CHECK(op.kind == (step.op < 0 ? GateKind::Swap : c.ops[static_cast<std::size_t>(step.op)].kind));
        if (sim::gate_info(op.kind).n_qubits == 2) CHECK(op.qubits[1] == step.p1);
    }
    CHECK(trace.final_layout == a.final_layout);
    CHECK(trace.n_swaps == a.n_swaps);
    // Trial 0 is the same in both runs, so keeping the best of 8 can only help.
    noise::RoutingOptions one = o;
    one.trials = 1;
    CHECK(a.n_swaps <= noise::sabre_route(c, g, layout, one).n_swaps);
    // Symbolic angles are carried through unchanged.
    sim::Circuit s(3);
    s.n_trainable = 1;
    s.add(GateKind::RZZ, {0, 2}, {Param::trainable(0, 0.5)});
    const auto rs = noise::sabre_route(s, line(3), noise::trivial_layout(3));
    REQUIRE(rs.circuit.ops.size() == 2);
    CHECK(rs.circuit.ops[1].params[0] == Param::trainable(0, 0.5));
    CHECK(rs.circuit.n_trainable == 1);
}

TEST_CASE("routing terminates on a long random circuit on a 127-qubit device", "[noise][routing]") {
    std::mt19937_64 rng(8);
    const auto g = noise::coupling_graph(test::device("brisbane"));
    const auto c = random_2q(24, 600, rng);
    // A scattered layout: the logical qubits start far apart.
    std::vector<int> all(127);
    for (int q = 0; q < 127; ++q) all[static_cast<std::size_t>(q)] = q;
    std::shuffle(all.begin(), all.end(), rng);
    all.resize(24);
    noise::RoutingOptions o;
    o.trials = 2;
    const auto r = noise::sabre_route(c, g, all, o);
    CHECK(r.n_swaps > 0);
    CHECK(replay_matches(c, r, g));
}

TEST_CASE("the release valve ends a stalled search", "[noise][routing]") {
    // A negative lookahead weight rewards pulling later gates apart, so the heuristic alone keeps
    // swapping without executing anything; only the release valve makes progress.
    std::mt19937_64 rng(12);
    const auto g = grid(3, 4);
    const auto c = random_2q(8, 80, rng);
    noise::RoutingOptions o;
    o.extended_set_weight = -50.0;
    o.trials = 2;
    const auto r = noise::sabre_route(c, g, test::random_layout(8, g, rng), o);
    CHECK(replay_matches(c, r, g));
    noise::RoutingOptions normal;
    normal.trials = 2;
    // Stalls cost at least 10·n_physical useless swaps each.
    CHECK(r.n_swaps > 120);
    CHECK(r.n_swaps > noise::sabre_route(c, g, r.initial_layout, normal).n_swaps);
}

TEST_CASE("routing rejects what it cannot route", "[noise][routing]") {
    const auto g = line(4);
    sim::Circuit c(3);
    c.add(GateKind::CCX, {0, 1, 2});
    CHECK_THROWS_WITH(noise::sabre_route(c, g, noise::trivial_layout(3)),
                      Catch::Contains("op 0 (ccx) acts on 3 qubits"));
    sim::Circuit d(2);
    CHECK_THROWS_WITH(noise::sabre_route(d, g, std::vector<int>{0, 7}), Catch::Contains("layout: entry 1"));
    noise::RoutingOptions o;
    o.trials = 0;
    CHECK_THROWS_AS(noise::sabre_route(d, g, noise::trivial_layout(2), o), Error);
    // Disconnected device: qubits in different parts cannot interact.
    const auto split = noise::coupling_graph(graph_device("split", 4, {{0, 1}, {2, 3}}));
    CHECK_THROWS_WITH(noise::sabre_route(d, split, std::vector<int>{0, 2}), Catch::Contains("not connected"));
}
