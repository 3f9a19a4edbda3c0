#include "analysis/reference_circuits.h"

#include <numbers>

#include <catch2/catch.hpp>

#include "../sim/reference.h"
#include "analysis/sampling.h"
#include "sim/error.h"

using namespace qnas;
using namespace qnas::analysis;
using sim::GateKind;
using sim::Param;

TEST_CASE("sim19 parameter counts per layer are those of training_and_metrics.md 5.3", "[analysis][sim19]") {
    const int expected[20] = {0, 8, 8, 11, 11, 28, 28, 19, 19, 4, 8, 12, 12, 16, 16, 8, 11, 11, 12, 12};
    for (int id = 1; id <= 19; ++id) {
        INFO("circuit " << id);
        CHECK(sim19_params_per_layer(id) == expected[id]);
        const sim::Circuit c = sim19_circuit(id, 3);
        CHECK(c.n_qubits == 4);
        CHECK(c.n_trainable == 3 * expected[id]);
        CHECK(sim::count_trainable_occurrences(c) == c.n_trainable);  // every angle its own trainable
        CHECK_NOTHROW(sim::validate(c));
    }
    // Generalised widths: n = 2 and 6 (chains n−1→…→0, rings through 0).
    CHECK(sim19_params_per_layer(1, 6) == 12);
    CHECK(sim19_params_per_layer(3, 6) == 17);
    CHECK(sim19_params_per_layer(5, 6) == 12 + 30 + 12);
    CHECK(sim19_params_per_layer(7, 6) == 12 + 3 + 12 + 2);
    CHECK(sim19_params_per_layer(11, 6) == 12 + 8);
    CHECK(sim19_params_per_layer(13, 6) == 24);
    CHECK(sim19_params_per_layer(18, 2) == 6);
    for (int id = 1; id <= 19; ++id) CHECK_NOTHROW(sim::validate(sim19_circuit(id, 2, 2)));
}

TEST_CASE("sim19 circuits have the gates of 5.3 in order", "[analysis][sim19]") {
    auto t = [](int i) { return Param::trainable(i); };
    SECTION("circuit 13: RY; CRZ ring 3→0, 2→3, 1→2, 0→1; RY; CRZ 3→2, 0→3, 1→0, 2→1") {
        sim::Circuit h(4);
        int k = 0;
        for (int q = 0; q < 4; ++q) h.add(GateKind::RY, {q}, {t(k++)});
        for (auto [a, b] : {std::pair{3, 0}, {2, 3}, {1, 2}, {0, 1}}) h.add(GateKind::CRZ, {a, b}, {t(k++)});
        for (int q = 0; q < 4; ++q) h.add(GateKind::RY, {q}, {t(k++)});
        for (auto [a, b] : {std::pair{3, 2}, {0, 3}, {1, 0}, {2, 1}}) h.add(GateKind::CRZ, {a, b}, {t(k++)});
        CHECK(sim19_circuit(13) == h);
    }
    SECTION("circuit 11: RY, RZ; CNOT 1→0, 3→2; RY, RZ on 1, 2; CNOT 2→1") {
        sim::Circuit h(4);
        int k = 0;
        for (int q = 0; q < 4; ++q) h.add(GateKind::RY, {q}, {t(k++)});
        for (int q = 0; q < 4; ++q) h.add(GateKind::RZ, {q}, {t(k++)});
        h.add(GateKind::CX, {1, 0}).add(GateKind::CX, {3, 2});
        h.add(GateKind::RY, {1}, {t(k++)}).add(GateKind::RY, {2}, {t(k++)});
        h.add(GateKind::RZ, {1}, {t(k++)}).add(GateKind::RZ, {2}, {t(k++)});
        h.add(GateKind::CX, {2, 1});
        CHECK(sim19_circuit(11) == h);
    }
    SECTION("circuit 7 (two layers): fresh trainables per layer") {
        const sim::Circuit c = sim19_circuit(7, 2);
        REQUIRE(c.ops.size() == 2 * (8 + 2 + 8 + 1));
        CHECK(c.ops[8].kind == GateKind::CRZ);
        CHECK(c.ops[8].qubits[0] == 1);
        CHECK(c.ops[8].qubits[1] == 0);
        CHECK(c.ops[18].qubits[0] == 2);
        CHECK(c.ops[18].qubits[1] == 1);
        CHECK(c.ops[19].params[0] == Param::trainable(19));
    }
}

TEST_CASE("sim19 circuit 2 equals the dense product of its layers", "[analysis][sim19]") {
    // Dense reference from 2×2 blocks: U = CX(1→0)·CX(2→1)·CX(3→2)·⊗RZ·⊗RX, built with Kronecker
    // products (qubit 0 = rightmost factor) independently of the circuit IR.
    const auto theta = sample_angles(8, 5, 0);
    const sim::cplx i{0.0, 1.0};
    auto rx = [&](double a) {
        sim::Matrix m(2, 2);
        m << std::cos(a / 2), -i * std::sin(a / 2), -i * std::sin(a / 2), std::cos(a / 2);
        return m;
    };
    auto rz = [&](double a) {
        sim::Matrix m = sim::Matrix::Zero(2, 2);
        m(0, 0) = std::exp(-i * (a / 2));
        m(1, 1) = std::exp(i * (a / 2));
        return m;
    };
    sim::Matrix RX = sim::Matrix::Identity(1, 1), RZ = RX;
    for (int q = 3; q >= 0; --q)
        RX = qnas::test::kron(RX, rx(theta[static_cast<std::size_t>(q)])),
        RZ = qnas::test::kron(RZ, rz(theta[static_cast<std::size_t>(4 + q)]));
    auto cx = [](int c, int tq) {  // permutation matrix: flip bit tq where bit c is set
        sim::Matrix m = sim::Matrix::Zero(16, 16);
        for (int b = 0; b < 16; ++b) m(((b >> c) & 1) ? b ^ (1 << tq) : b, b) = 1.0;
        return m;
    };
    const sim::Matrix u = cx(1, 0) * cx(2, 1) * cx(3, 2) * RZ * RX;
    const sim::Matrix got = qnas::test::circuit_unitary(sim19_circuit(2), theta);
    CHECK((u - got).norm() < 1e-12);
}

TEST_CASE("mcclean circuits: RY(π/4) prefix, random Pauli axes, CZ chain", "[analysis][sim19]") {
    const sim::Circuit c = mcclean_circuit(3, 4, 11, 2);
    CHECK(c.n_trainable == 12);
    REQUIRE(c.ops.size() == 3 + 4 * (3 + 2));
    for (int q = 0; q < 3; ++q) {
        CHECK(c.ops[static_cast<std::size_t>(q)].kind == GateKind::RY);
        CHECK(c.ops[static_cast<std::size_t>(q)].params[0] == Param::constant(std::numbers::pi / 4));
    }
    for (int k = 0; k < 12; ++k) {
        const auto& op = c.ops[static_cast<std::size_t>(3 + (k / 3) * 5 + k % 3)];
        CHECK(op.qubits[0] == k % 3);
        CHECK(op.params[0] == Param::trainable(k));
    }
    CHECK(c.ops[6].kind == GateKind::CZ);
    CHECK(c.ops[7].qubits[0] == 1);
    CHECK(mcclean_circuit(3, 4, 11, 2) == c);
    CHECK(!(mcclean_circuit(3, 4, 11, 3) == c));
    // The axes are spread over X, Y, Z across many circuits.
    int total[3] = {0, 0, 0};
    for (std::uint64_t idx = 0; idx < 50; ++idx)
        for (const auto& op : mcclean_circuit(4, 3, 1, idx).ops)
            if (op.params[0].source == Param::Source::Trainable)
                total[op.kind == GateKind::RX ? 0 : op.kind == GateKind::RY ? 1 : 2] += 1;
    for (int a = 0; a < 3; ++a) CHECK(total[a] > 150);  // 600 draws, 200 expected each
}

TEST_CASE("bad reference-circuit arguments throw qnas::Error", "[analysis][sim19]") {
    CHECK_THROWS_WITH(sim19_circuit(0), Catch::Contains("1..19"));
    CHECK_THROWS_WITH(sim19_circuit(20), Catch::Contains("1..19"));
    CHECK_THROWS_AS(sim19_params_per_layer(20), Error);
    CHECK_THROWS_WITH(sim19_circuit(3, 0), Catch::Contains("layers"));
    CHECK_THROWS_WITH(sim19_circuit(3, 1, 1), Catch::Contains("n_qubits"));
    CHECK_THROWS_AS(mcclean_circuit(0, 3, 0, 0), Error);
    CHECK_THROWS_AS(mcclean_circuit(2, 0, 0, 0), Error);
}
