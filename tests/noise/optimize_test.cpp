#include "noise/optimize.h"

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "../test_scale.h"
#include "compile_helpers.h"
#include "noise/basis.h"
#include "sim/error.h"
#include "sim/sim.h"
#include "tests/sim/reference.h"

using namespace qnas;
using sim::GateKind;
using sim::Matrix;
using sim::Param;
using test::all_in_basis;
using test::exact_distance;

namespace {

// Translate + optimise, checking the result; returns the optimised circuit.
sim::Circuit compile_checked(const sim::Circuit& c, const noise::Basis& b) {
    const auto t = noise::translate(c, b);
    const auto o = noise::optimize_with_phase(t.circuit, b);
    CHECK(all_in_basis(o.circuit, b));
    CHECK(o.circuit.ops.size() <= t.circuit.ops.size());
    CHECK(noise::two_qubit_count(o.circuit) <= noise::two_qubit_count(t.circuit));
    const Matrix u0 = test::circuit_unitary(c), u1 = test::circuit_unitary(o.circuit);
    CHECK(test::phase_insensitive_distance(u0, u1) < 1e-9);
    CHECK(exact_distance(u0, u1, t.global_phase + o.global_phase) < 1e-9);
    return o.circuit;
}

const noise::Basis kBases[] = {noise::Basis::ibm_cx(), noise::Basis::ibm_ecr()};

}  // namespace

TEST_CASE("random circuits translate and optimise exactly", "[noise][optimize]") {
    std::mt19937_64 rng(2024);
    int total_before = 0, total_after = 0;
    for (int i = 0; i < test::scaled(240); ++i) {
        const int n = 1 + i % 5;
        const auto c = test::random_circuit(n, 30, rng);
        const auto theta = test::random_angles(c.n_trainable, rng);
        const auto x = test::random_angles(c.n_inputs, rng);
        const auto bound = sim::bind(c, theta, x);
        for (const auto& b : kBases) {
            INFO("circuit " << i << " basis " << sim::gate_info(b.two_qubit).name);
            const auto t = noise::translate_to_basis(bound, b);
            const auto o = compile_checked(bound, b);
            total_before += static_cast<int>(t.ops.size());
            total_after += static_cast<int>(o.ops.size());
            // Fixed point: optimising again changes nothing.
            CHECK(noise::optimize(o, b).ops.size() == o.ops.size());
        }
    }
    CHECK(total_after < total_before);
}

TEST_CASE("known reductions", "[noise][optimize]") {
    for (const auto& b : kBases) {
        auto compiled = [&](const sim::Circuit& c) { return compile_checked(c, b); };
        sim::Circuit hh(2);
        hh.add(GateKind::H, {1}).add(GateKind::H, {1});
        CHECK(compiled(hh).ops.empty());

        sim::Circuit cxcx(3);
        cxcx.add(GateKind::CX, {2, 0}).add(GateKind::CX, {2, 0});
        CHECK(compiled(cxcx).ops.empty());

        sim::Circuit nested(3);
        nested.add(GateKind::H, {0}).add(GateKind::CX, {0, 1}).add(GateKind::RZ, {2}, {Param::constant(0.3)});
        nested.add(GateKind::CX, {0, 1}).add(GateKind::H, {0});
        const auto nn = compiled(nested);
        CHECK(nn.ops.size() == 1);

        sim::Circuit blocked(2);
        blocked.add(GateKind::CX, {0, 1}).add(GateKind::RX, {1}, {Param::constant(0.3)}).add(GateKind::CX, {0, 1});
        CHECK(noise::two_qubit_count(compiled(blocked)) == 2);

        sim::Circuit reversed(2);
        reversed.add(GateKind::CX, {0, 1}).add(GateKind::CX, {1, 0});
        CHECK(noise::two_qubit_count(compiled(reversed)) == 2);

        sim::Circuit xx(1);
        xx.add(GateKind::X, {0}).add(GateKind::X, {0});
        CHECK(compiled(xx).ops.empty());

        sim::Circuit rzrz(1);
        rzrz.add(GateKind::RZ, {0}, {Param::constant(0.4)}).add(GateKind::RZ, {0}, {Param::constant(1.1)});
        const auto r = compiled(rzrz);
        REQUIRE(r.ops.size() == 1);
        CHECK(r.ops[0].kind == GateKind::RZ);

        sim::Circuit rz0(1);
        rz0.add(GateKind::RZ, {0}, {Param::constant(0.4)}).add(GateKind::RZ, {0}, {Param::constant(-0.4)});
        CHECK(compiled(rz0).ops.empty());

        sim::Circuit sxsx(1);
        sxsx.add(GateKind::SX, {0}).add(GateKind::SX, {0});
        const auto s = compiled(sxsx);
        REQUIRE(s.ops.size() == 1);
        CHECK(s.ops[0].kind == GateKind::X);

        std::mt19937_64 rng(5);
        for (int rep = 0; rep < 20; ++rep) {
            sim::Circuit u(1);
            const GateKind kinds[] = {GateKind::U3, GateKind::RX, GateKind::RY, GateKind::H, GateKind::SH};
            for (int k = 0; k < 5; ++k) {
                const auto kind = kinds[rng() % 5];
                const auto a = test::random_angles(3, rng);
                sim::Op op;
                op.kind = kind;
                for (int j = 0; j < sim::gate_info(kind).n_params; ++j)
                    op.params[static_cast<std::size_t>(j)] = Param::constant(a[static_cast<std::size_t>(j)]);
                u.add(op);
            }
            CHECK(compiled(u).ops.size() <= 5);
        }
    }
}

TEST_CASE("ecr pairs cancel and the optimiser rejects non-basis gates", "[noise][optimize]") {
    sim::Circuit c(2);
    c.add(GateKind::ECR, {0, 1}).add(GateKind::ECR, {0, 1});
    CHECK(noise::optimize(c, noise::Basis::ibm_ecr()).ops.empty());
    sim::Circuit h(1);
    h.add(GateKind::H, {0});
    CHECK_THROWS_AS(noise::optimize(h, noise::Basis::ibm_cx()), Error);
}

TEST_CASE("depth and two-qubit count", "[noise][optimize]") {
    sim::Circuit c(3);
    c.add(GateKind::X, {0}).add(GateKind::CX, {0, 1}).add(GateKind::X, {2}).add(GateKind::CX, {1, 2});
    CHECK(noise::two_qubit_count(c) == 2);
    CHECK(noise::depth(c) == 3);
}
