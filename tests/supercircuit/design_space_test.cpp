#include "supercircuit/design_space.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "../noise/design_spaces.h"
#include "sim/error.h"
#include "sim/statevector.h"

using namespace qnas;
using namespace qnas::supercircuit;
using sim::GateKind;

namespace {

std::vector<double> random_weights(int n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-std::numbers::pi, std::numbers::pi);
    std::vector<double> w(static_cast<std::size_t>(n));
    for (auto& v : w) v = u(rng);
    return w;
}

Arch random_arch(const DesignSpace& s, std::mt19937_64& rng) {
    Arch a;
    for (const auto& c : arch_choices(s))
        a.push_back(c[std::uniform_int_distribution<std::size_t>(0, c.size() - 1)(rng)]);
    return a;
}

double state_distance(const sim::State& a, const sim::State& b) {
    REQUIRE(a.size() == b.size());
    double d = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

// Adds a gate with constant angles theta[first..first+n_params−1].
void add_const(sim::Circuit& c, GateKind k, std::vector<int> qubits, const std::vector<double>& theta, int first,
               int n_params) {
    sim::Op op;
    op.kind = k;
    std::copy(qubits.begin(), qubits.end(), op.qubits.begin());
    for (int j = 0; j < n_params; ++j)
        op.params[static_cast<std::size_t>(j)] = sim::Param::constant(theta[static_cast<std::size_t>(first + j)]);
    c.add(op);
}

std::vector<int> op_qubits(const sim::Op& op) {
    const int n = sim::gate_info(op.kind).n_qubits;
    return {op.qubits.begin(), op.qubits.begin() + n};
}

const std::map<std::string, int> kGeneLength4q{{"u3cu3", 17}, {"seth", 17},    {"barren", 34},
                                               {"farhi", 17}, {"maxwell", 45}, {"ibmbasis", 49}};
const std::map<std::string, int> kParamsPerBlock4q{{"u3cu3", 24}, {"seth", 8},     {"barren", 12},
                                                   {"farhi", 8},  {"maxwell", 28}, {"ibmbasis", 12}};

}  // namespace

TEST_CASE("the six spaces have the documented 4-qubit gene lengths, block sizes and parameter counts",
          "[supercircuit][space]") {
    CHECK(design_space_names() == std::vector<std::string>{"u3cu3", "seth", "barren", "farhi", "maxwell", "ibmbasis"});
    for (const auto& name : design_space_names()) {
        INFO(name);
        const auto s = design_space(name);
        CHECK(arch_length(s) == kGeneLength4q.at(name));
        CHECK(static_cast<int>(arch_choices(s).size()) == arch_length(s));
        CHECK(s.max_blocks == (name == "maxwell" ? 4 : 8));
        // Params of one full block = difference of the largest arch with b+1 and b blocks.
        const int per_block = kParamsPerBlock4q.at(name);
        Arch a = largest_arch(s);
        for (int b = 1; b <= s.max_blocks; ++b) {
            a.back() = b;
            CHECK(count_params(s, a) == b * per_block);
        }
        CHECK(n_weights(s) == s.max_blocks * per_block);
        CHECK(count_params(s, largest_arch(s)) == n_weights(s));
    }
}

TEST_CASE("gene choices: 1..width per layer (brick 1..n-1), n_blocks 1..max_blocks; 10 qubits for MNIST-10",
          "[supercircuit][space]") {
    for (int n : {4, 10}) {
        for (const auto& name : design_space_names()) {
            INFO(name << " on " << n << " qubits");
            const auto s = design_space(name, n);
            const auto ch = arch_choices(s);
            REQUIRE(static_cast<int>(ch.size()) == kGeneLength4q.at(name));  // length is independent of n
            for (std::size_t i = 0; i + 1 < ch.size(); ++i) {
                const bool brick = name == "barren" && i % 4 == 0 && i > 0;
                std::vector<int> expect;
                for (int v = 1; v <= (brick ? n - 1 : n); ++v) expect.push_back(v);
                CHECK(ch[i] == expect);
            }
            std::vector<int> blocks;
            for (int b = 1; b <= s.max_blocks; ++b) blocks.push_back(b);
            CHECK(ch.back() == blocks);
            CHECK(smallest_arch(s) == Arch(ch.size(), 1));
            const auto big = build_subcircuit(s, largest_arch(s));
            CHECK_NOTHROW(sim::validate(big));
            CHECK(big.n_qubits == n);
        }
    }
    // MNIST-10 U3+CU3: 8 blocks × (10 U3 + 10 CU3) × 3 angles.
    CHECK(n_weights(design_space("u3cu3", 10)) == 480);
    CHECK(arch_choices(design_space("u3cu3", 10))[0].back() == 10);
}

TEST_CASE("param36: arch [4,4,4,0,...,0,2] has 36 parameters; 0 is a human value, not a search value",
          "[supercircuit][space]") {
    const auto s = design_space("u3cu3");
    Arch a(17, 0);
    a[0] = a[1] = a[2] = 4;
    a[16] = 2;
    CHECK(human_baseline(s, "param36") == a);
    CHECK(count_params(s, a) == 36);
    const auto c = build_subcircuit(s, a);
    REQUIRE(c.ops.size() == 12);
    for (int i = 0; i < 12; ++i)
        CHECK(c.ops[static_cast<std::size_t>(i)].kind == (i / 4 == 1 ? GateKind::CU3 : GateKind::U3));
    CHECK(sim::count_trainable_occurrences(c) == 36);
    CHECK_NOTHROW(validate_human_arch(s, a));
    CHECK_THROWS_WITH(validate_arch(s, a), "arch: position 3 (block 2 cu3 ring) value 0 not in [1, 4]");
}

TEST_CASE("validate_arch: one-line errors naming position and bounds", "[supercircuit][space]") {
    const auto s = design_space("u3cu3");
    Arch a = largest_arch(s);
    CHECK_NOTHROW(validate_arch(s, a));
    a[0] = 5;
    CHECK_THROWS_WITH(validate_arch(s, a), "arch: position 0 (block 1 u3) value 5 not in [1, 4]");
    CHECK_THROWS_AS(build_subcircuit(s, a), Error);
    a[0] = 4;
    a[16] = 9;
    CHECK_THROWS_WITH(validate_arch(s, a), "arch: position 16 (n_blocks) value 9 not in [1, 8]");
    a[16] = 0;
    CHECK_THROWS_WITH(validate_human_arch(s, a), "arch: position 16 (n_blocks) value 0 not in [1, 8]");
    a.pop_back();
    CHECK_THROWS_WITH(validate_arch(s, a), Catch::Contains("length 16, expected 17"));
    const auto b = design_space("barren");
    Arch g = largest_arch(b);
    g[4] = 4;  // the CZ brick has 3 gates on 4 qubits
    CHECK_THROWS_WITH(validate_arch(b, g), "arch: position 4 (block 1 cz brick) value 4 not in [1, 3]");
    g = largest_arch(b);
    g[0] = 0;
    CHECK_THROWS_WITH(validate_arch(b, g), "arch: position 0 (front shadamard) value 0 not in [1, 4]");
    CHECK(gene_position_name(design_space("maxwell"), 11 + 8) == "block 2 sswap ring");
    CHECK_THROWS_WITH(design_space("nope"), Catch::Contains("known: u3cu3, seth, barren, farhi, maxwell, ibmbasis"));
    CHECK_THROWS_AS(design_space("u3cu3", 1), Error);
    CHECK_THROWS_AS(design_space("u3cu3_a0", 20), Error);
}

TEST_CASE("human baselines: archs from TorchQuantum's allconfigs configs have their named parameter counts",
          "[supercircuit][space]") {
    const std::map<std::string, std::vector<std::string>> expected{
        {"u3cu3", {"param18", "param21", "param36", "param60"}},
        {"seth", {"param4", "param7"}},
        {"farhi", {"param8", "param15"}},
        {"barren", {"param13", "param26"}},
        {"maxwell", {"param9", "param17"}},
        {"ibmbasis", {}}};
    for (const auto& [space, names] : expected) {
        for (const auto& variant : {space, space + "_a0"}) {
            const auto s = design_space(variant);
            CHECK(human_baseline_names(s) == names);
            for (const auto& n : names) {
                INFO(variant << " " << n);
                const Arch a = human_baseline(s, n);
                CHECK(static_cast<int>(a.size()) == arch_length(s));
                CHECK(count_params(s, a) == std::stoi(n.substr(5)));
                CHECK(sim::count_trainable_occurrences(build_subcircuit(s, a)) == std::stoi(n.substr(5)));
            }
        }
    }
    // The _a0 form is the same circuit as bitmasks.
    CHECK(build_subcircuit(design_space("farhi_a0"), human_baseline(design_space("farhi_a0"), "param15")) ==
          build_subcircuit(design_space("farhi"), human_baseline(design_space("farhi"), "param15")));
    // Barren param13 (file: [4,4,4,4,4,1,0…,2]): SH×4, RX×4, RY×4, RZ×4, CZ×3, RX on wire 0; n_blocks 2 runs
    // layers 0..7, so the block-2 RY/RZ layers (value 0) and nothing else follow.
    const auto b = design_space("barren");
    const auto c = build_subcircuit(b, human_baseline(b, "param13"));
    REQUIRE(c.ops.size() == 20);
    CHECK(c.ops[16].kind == GateKind::CZ);
    CHECK(c.ops[18].kind == GateKind::CZ);
    CHECK(c.ops[19].kind == GateKind::RX);
    CHECK(c.ops[19].qubits[0] == 0);
    CHECK_THROWS_WITH(human_baseline(design_space("seth"), "param36"), Catch::Contains("known: param4, param7"));
    CHECK_THROWS_AS(human_baseline(design_space("u3cu3", 5), "param36"), Error);
    CHECK_THROWS_AS(human_baseline(design_space("u3cu3", 4, 2), "param60"), Error);
    CHECK(count_params(design_space("u3cu3", 4, 3), human_baseline(design_space("u3cu3", 4, 3), "param60")) == 60);
}

TEST_CASE("fillN human designs: the first gates in layer order, the rule of the named designs",
          "[supercircuit][space]") {
    // Every named design but maxwell's param17 (U1 ×2 then one CU3) is the fill of its size.
    for (const auto& [space, name] : std::vector<std::pair<std::string, std::string>>{{"u3cu3", "param18"},
                                                                                      {"u3cu3", "param21"},
                                                                                      {"u3cu3", "param36"},
                                                                                      {"u3cu3", "param60"},
                                                                                      {"seth", "param7"},
                                                                                      {"farhi", "param15"},
                                                                                      {"barren", "param13"},
                                                                                      {"barren", "param26"},
                                                                                      {"maxwell", "param9"},
                                                                                      {"u3cu3_a0", "param36"}}) {
        INFO(space << " " << name);
        const auto s = design_space(space);
        CHECK(human_baseline(s, "fill" + name.substr(5)) == human_baseline(s, name));
    }
    // U3+CU3: every multiple of 3 up to the full SuperCircuit, on the fewest blocks (24 angles each).
    const auto u = design_space("u3cu3");
    for (int n = 3; n <= 192; n += 3) {
        const Arch a = human_baseline(u, "fill" + std::to_string(n));
        INFO(n);
        CHECK(count_params(u, a) == n);
        CHECK(a.back() == (n + 23) / 24);
    }
    CHECK(human_baseline(design_space("u3cu3", 6), "fill18").back() == 1);  // any qubit count
    CHECK_THROWS_WITH(human_baseline(u, "fill7"), Catch::Contains("no design with 7 parameters"));
    CHECK_THROWS_WITH(human_baseline(u, "fill195"), Catch::Contains("the largest has fewer"));
    CHECK_THROWS_WITH(human_baseline(design_space("maxwell"), "fill17"), Catch::Contains("skips it"));
    CHECK_THROWS_WITH(human_baseline(u, "fill0"), Catch::Contains("no design with 0"));
    CHECK_THROWS_WITH(human_baseline(u, "fillx"), Catch::Contains("unknown human baseline"));
}

TEST_CASE("largest SubCircuits equal tests/noise/design_spaces.h gate for gate (barren: quirk drops 3 CZ)",
          "[supercircuit][space]") {
    for (int n : {4, 5}) {
        std::mt19937_64 rng(7);
        const auto ref = test::design_space_circuits(n, rng);
        const std::map<std::string, std::string> ref_name{{"u3cu3", "u3cu3"},         {"seth", "zz_ry"},
                                                          {"barren_fixed", "rxyz"},   {"farhi", "zx_xx"},
                                                          {"maxwell", "rxyz_u1_cu3"}, {"ibmbasis", "ibmq_basis"}};
        for (const auto& [ours, theirs] : ref_name) {
            INFO(ours << " on " << n << " qubits");
            const auto it = std::find_if(ref.begin(), ref.end(), [&](const auto& r) { return r.name == theirs; });
            REQUIRE(it != ref.end());
            const auto s = design_space(ours, n);
            const auto c = build_subcircuit(s, largest_arch(s));
            REQUIRE(c.ops.size() == it->circuit.ops.size());
            for (std::size_t i = 0; i < c.ops.size(); ++i) {
                CHECK(c.ops[i].kind == it->circuit.ops[i].kind);
                CHECK(op_qubits(c.ops[i]) == op_qubits(it->circuit.ops[i]));
            }
        }
        // The TorchQuantum window: barren's largest SubCircuit is the fixed one minus the last CZ layer.
        const auto quirk = build_subcircuit(design_space("barren", n), largest_arch(design_space("barren", n)));
        const auto fixed =
            build_subcircuit(design_space("barren_fixed", n), largest_arch(design_space("barren_fixed", n)));
        REQUIRE(quirk.ops.size() + static_cast<std::size_t>(n - 1) == fixed.ops.size());
        CHECK(std::equal(quirk.ops.begin(), quirk.ops.end(), fixed.ops.begin()));
        CHECK(quirk.ops.back().kind == GateKind::RZ);
        CHECK(std::all_of(fixed.ops.end() - (n - 1), fixed.ops.end(),
                          [](const sim::Op& o) { return o.kind == GateKind::CZ; }));
    }
}

TEST_CASE("barren quirk: gene position 0 drives the RY(pi/4) layer, the last active block's CZ never runs",
          "[supercircuit][space]") {
    const auto s = design_space("barren");
    CHECK(s.skip_quirk);
    Arch a = smallest_arch(s);  // all 1, one block
    const auto c = build_subcircuit(s, a);
    REQUIRE(c.ops.size() == 4);
    CHECK(c.ops[0].kind == GateKind::SH);
    CHECK(c.ops[3].kind == GateKind::RZ);
    a[0] = 3;
    CHECK(build_subcircuit(s, a).ops.size() == 6);
    // Value of the skipped CZ layer does not matter; in barren_fixed it does.
    Arch b = largest_arch(s);
    b.back() = 2;
    Arch b2 = b;
    b2[8] = 1;
    CHECK(build_subcircuit(s, b) == build_subcircuit(s, b2));
    CHECK(active_key(s, b) == active_key(s, b2));
    auto f = design_space("barren_fixed");
    CHECK_FALSE(f.skip_quirk);
    CHECK(build_subcircuit(f, b).ops.size() == build_subcircuit(f, b2).ops.size() + 2);
    CHECK(active_key(f, b) != active_key(f, b2));
    // The flag alone does the same as the name.
    auto g = design_space("barren");
    g.skip_quirk = false;
    CHECK(build_subcircuit(g, b) == build_subcircuit(f, b));
    CHECK(n_running_layers(s, 2) == 8);
    CHECK(n_running_layers(f, 2) == 9);
    CHECK(n_running_layers(f, 8) == 33);
}

TEST_CASE("SubCircuits simulate like circuits hand-built from the documented layer lists", "[supercircuit][space]") {
    const int n = 4;
    SECTION("U3+CU3: block = U3 on wires 0..k-1, CU3 on ring pairs; slot (layer L, gate k) at 12L+3k") {
        const auto s = design_space("u3cu3");
        const auto w = random_weights(n_weights(s), 1);
        const Arch a{3, 2, 4, 4, 1, 3, 2, 1, 4, 4, 4, 4, 4, 4, 4, 4, 4};
        sim::Circuit ref(n);
        for (int b = 0; b < 4; ++b) {
            for (int q = 0; q < a[static_cast<std::size_t>(2 * b)]; ++q)
                add_const(ref, GateKind::U3, {q}, w, 2 * b * 12 + 3 * q, 3);
            for (int k = 0; k < a[static_cast<std::size_t>(2 * b + 1)]; ++k)
                add_const(ref, GateKind::CU3, {k, (k + 1) % n}, w, (2 * b + 1) * 12 + 3 * k, 3);
        }
        CHECK(state_distance(sim::simulate(build_subcircuit(s, a), w), sim::simulate(ref)) < 1e-12);
        CHECK(count_params(s, a) == 3 * (3 + 2 + 4 + 4 + 1 + 3 + 2 + 1));
    }
    SECTION("RXYZ: SH layer, then RX/RY/RZ each wire and CZ on [0,1],[2,3],[1,2]; window skips the last CZ") {
        const auto s = design_space("barren");
        const auto w = random_weights(n_weights(s), 2);
        Arch a(34, 3);
        const std::vector<int> head{2, 4, 3, 1, 3, 2, 2, 4, 2, 1, 3, 3};
        std::copy(head.begin(), head.end(), a.begin());
        a.back() = 3;  // layers 0..11 run: SH, block 1 (4 layers), block 2 (4), block 3 RX RY RZ
        const std::vector<std::vector<int>> cz{{0, 1}, {2, 3}, {1, 2}};
        sim::Circuit ref(n);
        for (int q = 0; q < a[0]; ++q) ref.add(GateKind::SH, {q});
        for (int b = 0; b < 3; ++b) {
            const GateKind rot[3] = {GateKind::RX, GateKind::RY, GateKind::RZ};
            for (int r = 0; r < 3; ++r)
                for (int q = 0; q < a[static_cast<std::size_t>(1 + 4 * b + r)]; ++q)
                    add_const(ref, rot[r], {q}, w, 12 * b + 4 * r + q, 1);
            if (b < 2)
                for (int k = 0; k < a[static_cast<std::size_t>(4 + 4 * b)]; ++k)
                    ref.add(GateKind::CZ, {cz[static_cast<std::size_t>(k)][0], cz[static_cast<std::size_t>(k)][1]});
        }
        CHECK(state_distance(sim::simulate(build_subcircuit(s, a), w), sim::simulate(ref)) < 1e-12);
    }
    SECTION("RXYZ+U1+CU3: per block RX S CX-ring RY T SWAP-ring RZ T SSWAP-ring U1 CU3-ring, 28 weights a block") {
        const auto s = design_space("maxwell");
        const auto w = random_weights(n_weights(s), 3);
        Arch a(45, 1);
        const std::vector<int> head{2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2};
        std::copy(head.begin(), head.end(), a.begin());
        a.back() = 2;
        sim::Circuit ref(n);
        for (int b = 0; b < 2; ++b) {
            auto v = [&](int layer) { return a[static_cast<std::size_t>(11 * b + layer)]; };
            const int o = 28 * b;
            for (int q = 0; q < v(0); ++q) add_const(ref, GateKind::RX, {q}, w, o + q, 1);
            for (int q = 0; q < v(1); ++q) ref.add(GateKind::S, {q});
            for (int k = 0; k < v(2); ++k) ref.add(GateKind::CX, {k, (k + 1) % n});
            for (int q = 0; q < v(3); ++q) add_const(ref, GateKind::RY, {q}, w, o + 4 + q, 1);
            for (int q = 0; q < v(4); ++q) ref.add(GateKind::T, {q});
            for (int k = 0; k < v(5); ++k) ref.add(GateKind::Swap, {k, (k + 1) % n});
            for (int q = 0; q < v(6); ++q) add_const(ref, GateKind::RZ, {q}, w, o + 8 + q, 1);
            for (int q = 0; q < v(7); ++q) ref.add(GateKind::T, {q});
            for (int k = 0; k < v(8); ++k) ref.add(GateKind::SSwap, {k, (k + 1) % n});
            for (int q = 0; q < v(9); ++q) add_const(ref, GateKind::U1, {q}, w, o + 12 + q, 1);
            for (int k = 0; k < v(10); ++k) add_const(ref, GateKind::CU3, {k, (k + 1) % n}, w, o + 16 + 3 * k, 3);
        }
        CHECK(state_distance(sim::simulate(build_subcircuit(s, a), w), sim::simulate(ref)) < 1e-12);
    }
    SECTION("arbitrary subsets: bit k of the value activates gate k") {
        const auto s = design_space("seth_a0");
        CHECK(arch_choices(s)[0].back() == 15);
        const auto w = random_weights(n_weights(s), 4);
        Arch a(17, 1);
        a[0] = 0b1010;  // RZZ on [1,2] and [3,0]
        a[1] = 0b0101;  // RY on wires 0 and 2
        a[2] = 0b1000;  // RZZ on [3,0]
        a.back() = 2;
        sim::Circuit ref(n);
        add_const(ref, GateKind::RZZ, {1, 2}, w, 1, 1);
        add_const(ref, GateKind::RZZ, {3, 0}, w, 3, 1);
        add_const(ref, GateKind::RY, {0}, w, 4, 1);
        add_const(ref, GateKind::RY, {2}, w, 6, 1);
        add_const(ref, GateKind::RZZ, {3, 0}, w, 8 + 3, 1);
        add_const(ref, GateKind::RY, {0}, w, 12, 1);
        CHECK(state_distance(sim::simulate(build_subcircuit(s, a), w), sim::simulate(ref)) < 1e-12);
        CHECK(count_params(s, a) == 6);
        a[0] = 0;
        CHECK_THROWS_WITH(validate_arch(s, a), "arch: position 0 (block 1 rzz ring) value 0 not in [1, 15]");
    }
}

TEST_CASE("weight sharing: a gate reads the same weights in every SubCircuit that contains it",
          "[supercircuit][space]") {
    std::mt19937_64 rng(11);
    for (const auto& name : design_space_names()) {
        for (const auto& variant : {name, name + "_a0"}) {
            INFO(variant);
            const auto s = design_space(variant);
            const auto full = build_subcircuit(s, largest_arch(s));
            // Slot of each weight in the full SuperCircuit: (kind, qubits, param indices).
            std::map<int, sim::Op> by_first;
            for (const auto& op : full.ops)
                if (op.params[0].source == sim::Param::Source::Trainable) by_first[op.params[0].index] = op;
            const int W = n_weights(s);
            const auto w = random_weights(W, 5);
            for (int t = 0; t < 8; ++t) {
                const Arch a = random_arch(s, rng);
                const auto c = build_subcircuit(s, a);
                CHECK(c.n_trainable == W);
                std::vector<int> used;
                for (const auto& op : c.ops) {
                    if (op.params[0].source != sim::Param::Source::Trainable) continue;
                    const auto it = by_first.find(op.params[0].index);
                    REQUIRE(it != by_first.end());
                    CHECK(it->second == op);
                    for (int j = 0; j < sim::gate_info(op.kind).n_params; ++j)
                        used.push_back(op.params[static_cast<std::size_t>(j)].index);
                }
                std::sort(used.begin(), used.end());
                CHECK(used == active_weights(s, a));
                CHECK(count_params(s, a) == static_cast<int>(used.size()));
                // Weights outside the active set do not change the state; an active one does.
                if (static_cast<int>(used.size()) < W && !used.empty()) {
                    std::vector<double> w2 = w;
                    for (int i = 0; i < W; ++i)
                        if (!std::binary_search(used.begin(), used.end(), i)) w2[static_cast<std::size_t>(i)] += 1.0;
                    CHECK(state_distance(sim::simulate(c, w), sim::simulate(c, w2)) < 1e-12);
                }
            }
        }
    }
    // Two different SubCircuits containing block 1's first U3: perturbing its weights changes both.
    const auto s = design_space("u3cu3");
    const Arch a{1, 4, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2};
    const Arch b{2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3};
    CHECK(build_subcircuit(s, a).ops[0] == build_subcircuit(s, b).ops[0]);
    auto w = random_weights(n_weights(s), 6);
    const auto sa = sim::simulate(build_subcircuit(s, a), w), sb = sim::simulate(build_subcircuit(s, b), w);
    w[1] += 0.5;
    CHECK(state_distance(sa, sim::simulate(build_subcircuit(s, a), w)) > 1e-3);
    CHECK(state_distance(sb, sim::simulate(build_subcircuit(s, b), w)) > 1e-3);
}

TEST_CASE("active_key: equal keys exactly when the circuits are equal", "[supercircuit][space]") {
    std::mt19937_64 rng(3);
    for (const auto& name : {"u3cu3", "barren", "maxwell", "farhi_a0"}) {
        INFO(name);
        const auto s = design_space(name);
        for (int t = 0; t < 40; ++t) {
            Arch a = random_arch(s, rng);
            a.back() = 1 + static_cast<int>(rng() % 2);  // short SubCircuits: many inactive layers
            Arch b = random_arch(s, rng);
            b.back() = a.back();
            // Copy a's active part into b: the keys and circuits must agree.
            const auto ka = active_key(s, a);
            std::copy(ka.begin(), ka.end() - 1, b.begin());
            CHECK(active_key(s, b) == ka);
            CHECK(build_subcircuit(s, a) == build_subcircuit(s, b));
            // Change one active value: both differ.
            Arch d = a;
            const auto ch = arch_choices(s)[0];
            d[0] = d[0] == ch.back() ? ch.front() : d[0] + 1;
            CHECK(active_key(s, d) != ka);
            CHECK_FALSE(build_subcircuit(s, d) == build_subcircuit(s, a));
        }
    }
}

TEST_CASE("random baseline: U3/CU3 on random distinct wires until the budget, seeded", "[supercircuit][space]") {
    const auto c = random_baseline(4, 36, 0);
    CHECK(c.n_trainable == 36);
    CHECK(c.ops.size() == 12);
    CHECK(sim::count_trainable_occurrences(c) == 36);
    CHECK_NOTHROW(sim::validate(c));
    CHECK(random_baseline(4, 36, 0) == c);
    CHECK_FALSE(random_baseline(4, 36, 1) == c);
    // Over many gates both kinds and every ordered wire pair appear.
    const auto big = random_baseline(4, 3 * 2000, 42);
    std::set<std::pair<int, int>> pairs;
    int n_cu3 = 0;
    for (std::size_t g = 0; g < big.ops.size(); ++g) {
        const auto& op = big.ops[g];
        REQUIRE((op.kind == GateKind::U3 || op.kind == GateKind::CU3));
        for (int j = 0; j < 3; ++j)
            CHECK(op.params[static_cast<std::size_t>(j)] == sim::Param::trainable(static_cast<int>(3 * g) + j));
        if (op.kind == GateKind::CU3) {
            ++n_cu3;
            pairs.insert({op.qubits[0], op.qubits[1]});
        }
    }
    CHECK(pairs.size() == 12);
    CHECK(n_cu3 > 900);
    CHECK(n_cu3 < 1100);
    CHECK_THROWS_WITH(random_baseline(4, 35, 0), Catch::Contains("multiple of 3"));
    CHECK_THROWS_AS(random_baseline(1, 36, 0), Error);
}
