#include "noise/basis.h"

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "compile_helpers.h"
#include "sim/error.h"
#include "sim/sim.h"
#include "tests/sim/reference.h"

using namespace qnas;
using sim::GateKind;
using sim::Matrix;
using test::all_in_basis;
using test::exact_distance;

namespace {

constexpr double kPi = std::numbers::pi;

const noise::Basis kBases[] = {noise::Basis::ibm_cx(), noise::Basis::ibm_ecr(), noise::Basis{false, GateKind::CZ}};

}  // namespace

TEST_CASE("basis from names", "[noise][basis]") {
    const std::vector<std::string> cx{"id", "rz", "sx", "x", "cx", "reset", "measure", "delay"};
    auto b = noise::Basis::from_names(cx);
    CHECK(b.two_qubit == GateKind::CX);
    CHECK(b.has_x);
    const std::vector<std::string> ecr{"ecr", "id", "rz", "sx", "x"};
    CHECK(noise::Basis::from_names(ecr).two_qubit == GateKind::ECR);
    const std::vector<std::string> none{"rz", "sx", "x"};
    CHECK_THROWS_AS(noise::Basis::from_names(none), Error);
    const std::vector<std::string> no_sx{"rz", "x", "cx"};
    CHECK_THROWS_AS(noise::Basis::from_names(no_sx), Error);
    const std::vector<std::string> unknown{"rz", "sx", "cx", "u3"};
    CHECK_THROWS_AS(noise::Basis::from_names(unknown), Error);
}

TEST_CASE("euler zyz edge cases", "[noise][basis]") {
    std::vector<Matrix> ms;
    ms.push_back(Matrix::Identity(2, 2));
    ms.push_back(-Matrix::Identity(2, 2));
    Matrix diag(2, 2);
    diag << std::polar(1.0, 0.3), 0, 0, std::polar(1.0, -1.1);
    ms.push_back(diag);
    Matrix anti(2, 2);
    anti << 0, std::polar(1.0, 0.7), std::polar(1.0, 2.9), 0;
    ms.push_back(anti);
    for (auto k : {GateKind::X, GateKind::Y, GateKind::Z, GateKind::H, GateKind::S, GateKind::Sdg, GateKind::T,
                   GateKind::SX, GateKind::SXdg, GateKind::SH})
        ms.push_back(sim::gate_matrix(k, {}));
    for (double t : {0.0, 1e-12, kPi / 2, kPi, kPi - 1e-12, -kPi, kPi + 1e-12, 3 * kPi / 2, 2 * kPi - 1e-13})
        for (double p : {0.0, kPi, -kPi + 1e-13, kPi - 1e-13, 1.0})
            for (double l : {0.0, kPi, -kPi, -kPi + 1e-13, 0.4}) {
                const double a[3] = {t, p, l};
                ms.push_back(sim::gate_matrix(GateKind::U3, a));
            }
    for (const auto& b : kBases) {
        for (const auto& m : ms) {
            const auto e = noise::euler_zyz(m);
            const double rz1 = e.lambda, ry = e.theta, rz2 = e.phi;
            const Matrix rec = std::exp(std::complex<double>(0.0, e.phase)) *
                               sim::gate_matrix(GateKind::RZ, std::span<const double>(&rz2, 1)) *
                               sim::gate_matrix(GateKind::RY, std::span<const double>(&ry, 1)) *
                               sim::gate_matrix(GateKind::RZ, std::span<const double>(&rz1, 1));
            CHECK((rec - m).cwiseAbs().maxCoeff() < 1e-9);
            std::vector<sim::Op> ops;
            const double ph = noise::synthesize_1q(m, 0, b, ops);
            CHECK(ops.size() <= 5);
            const int qs[1] = {0};
            CHECK(exact_distance(m, noise::local_unitary(ops, qs), ph) < 1e-9);
            for (const auto& op : ops) CHECK(b.contains(op.kind));
        }
        // Identity and pure-phase diagonal matrices need no gate / one rz.
        std::vector<sim::Op> ops;
        noise::synthesize_1q(Matrix::Identity(2, 2), 0, b, ops);
        CHECK(ops.empty());
        noise::synthesize_1q(diag, 0, b, ops);
        CHECK(ops.size() == 1);
    }
}

TEST_CASE("every gate alone translates exactly", "[noise][basis]") {
    std::mt19937_64 rng(7);
    for (const auto& b : kBases) {
        for (const auto& g : sim::gate_table()) {
            for (int rep = 0; rep < 4; ++rep) {
                const int n = 3 + static_cast<int>(rng() % 2);
                std::vector<int> qs(static_cast<std::size_t>(n));
                for (int q = 0; q < n; ++q) qs[static_cast<std::size_t>(q)] = q;
                std::shuffle(qs.begin(), qs.end(), rng);
                sim::Circuit c(n);
                sim::Op op;
                op.kind = g.kind;
                for (int a = 0; a < g.n_qubits; ++a)
                    op.qubits[static_cast<std::size_t>(a)] = qs[static_cast<std::size_t>(a)];
                const auto angles = test::random_angles(g.n_params, rng);
                for (int j = 0; j < g.n_params; ++j)
                    op.params[static_cast<std::size_t>(j)] = sim::Param::constant(angles[static_cast<std::size_t>(j)]);
                c.add(op);
                const auto t = noise::translate(c, b);
                INFO("gate " << g.name << " basis " << sim::gate_info(b.two_qubit).name);
                CHECK(all_in_basis(t.circuit, b));
                const Matrix u0 = test::circuit_unitary(c), u1 = test::circuit_unitary(t.circuit);
                CHECK(test::phase_insensitive_distance(u0, u1) < 1e-9);
                CHECK(exact_distance(u0, u1, t.global_phase) < 1e-9);
                for (const auto& o : t.circuit.ops)
                    for (int a = 0; a < sim::gate_info(o.kind).n_qubits; ++a)
                        CHECK(std::find(qs.begin(), qs.begin() + g.n_qubits, o.qubits[static_cast<std::size_t>(a)]) !=
                              qs.begin() + g.n_qubits);
            }
        }
    }
}

TEST_CASE("cx and native-gate direction reversal", "[noise][basis]") {
    for (const auto& b : kBases) {
        for (bool rev : {false, true}) {
            std::vector<sim::Op> ops;
            const double ph = noise::append_cx(2, 0, b, ops, rev);
            for (const auto& op : ops) CHECK(b.contains(op.kind));
            for (const auto& op : ops)
                if (op.kind == b.two_qubit) CHECK(op.qubits[0] == (rev ? 0 : 2));
            const int qs[2] = {2, 0};
            CHECK(exact_distance(sim::gate_matrix(GateKind::CX, {}), noise::local_unitary(ops, qs), ph) < 1e-9);
        }
        std::vector<sim::Op> ops;
        const double ph = noise::flip_native(1, 3, b, ops);
        for (const auto& op : ops) {
            CHECK(b.contains(op.kind));
            if (op.kind == b.two_qubit && b.two_qubit != GateKind::CZ) CHECK(op.qubits[0] == 3);
        }
        const int qs[2] = {1, 3};
        CHECK(exact_distance(sim::gate_matrix(b.two_qubit, {}), noise::local_unitary(ops, qs), ph) < 1e-9);
    }
}

TEST_CASE("translation rejects unbound circuits", "[noise][basis]") {
    sim::Circuit c(1);
    c.n_trainable = 1;
    c.add(GateKind::RX, {0}, {sim::Param::trainable(0)});
    CHECK_THROWS_AS(noise::translate_to_basis(c, noise::Basis::ibm_cx()), Error);
}
