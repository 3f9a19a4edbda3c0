#include "supercircuit/encoder.h"

#include <cmath>
#include <complex>
#include <random>

#include <catch2/catch.hpp>

#include "sim/error.h"
#include "supercircuit/design_space.h"

using namespace qnas;
using namespace qnas::supercircuit;
using sim::GateKind;
using C = std::complex<double>;

namespace {

// Hand-written 2×2 rotations (Qiskit's matrices) acting on a 1-qubit state.
using V2 = std::array<C, 2>;
V2 ry(double t, V2 v) {
    const double c = std::cos(t / 2), s = std::sin(t / 2);
    return {c * v[0] - s * v[1], s * v[0] + c * v[1]};
}
V2 rz(double t, V2 v) { return {std::polar(1.0, -t / 2) * v[0], std::polar(1.0, t / 2) * v[1]}; }
V2 rx(double t, V2 v) {
    const double c = std::cos(t / 2), s = std::sin(t / 2);
    const C mi(0, -1);
    return {c * v[0] + mi * s * v[1], mi * s * v[0] + c * v[1]};
}

// Product state ⊗ v_q with qubit 0 the least significant bit of the index.
sim::State product(const std::vector<V2>& qubits) {
    const std::size_t dim = std::size_t{1} << qubits.size();
    sim::State out(dim);
    for (std::size_t i = 0; i < dim; ++i) {
        C amp = 1.0;
        for (std::size_t q = 0; q < qubits.size(); ++q) amp *= qubits[q][(i >> q) & 1];
        out[i] = amp;
    }
    return out;
}

double distance(const sim::State& a, const sim::State& b) {
    REQUIRE(a.size() == b.size());
    double d = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

sim::State encode(const std::string& name, const std::vector<double>& x) {
    const auto e = encoder_by_name(name);
    return sim::simulate(prepend_encoder(e, sim::Circuit(e.n_qubits)), {}, x);
}

std::vector<double> features(int n, std::uint64_t seed, double lo, double hi) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<double> x(static_cast<std::size_t>(n));
    for (auto& v : x) v = u(rng);
    return x;
}

}  // namespace

TEST_CASE("4x4_ryzxy: per wire q, RY(x[q]) then RZ(x[4+q]), RX(x[8+q]), RY(x[12+q])", "[supercircuit][encoder]") {
    const auto e = encoder_by_name("4x4_ryzxy");
    CHECK(e.n_qubits == 4);
    CHECK(e.n_features == 16);
    REQUIRE(e.ops.size() == 16);
    const GateKind kinds[4] = {GateKind::RY, GateKind::RZ, GateKind::RX, GateKind::RY};
    for (int i = 0; i < 16; ++i) {
        const auto& op = e.ops[static_cast<std::size_t>(i)];
        CHECK(op.kind == kinds[i / 4]);
        CHECK(op.qubits[0] == i % 4);
        CHECK(op.params[0] == sim::Param::input(i));
    }
    for (const auto& x :
         {std::vector<double>{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6},
          features(16, 1, -0.42, 2.8)}) {
        std::vector<V2> q(4);
        for (int w = 0; w < 4; ++w) {
            V2 v{1.0, 0.0};
            v = ry(x[static_cast<std::size_t>(w)], v);
            v = rz(x[static_cast<std::size_t>(4 + w)], v);
            v = rx(x[static_cast<std::size_t>(8 + w)], v);
            v = ry(x[static_cast<std::size_t>(12 + w)], v);
            q[static_cast<std::size_t>(w)] = v;
        }
        CHECK(distance(encode("4x4_ryzxy", x), product(q)) < 1e-12);
    }
}

TEST_CASE("6x6_ryzxy: RY, RZ, RX on wires 0-9 then RY on wires 0-5; 10_ryzx: RY, RZ on 0-3, RX on 0,1",
          "[supercircuit][encoder]") {
    {
        const auto x = features(36, 2, -0.42, 2.8);
        std::vector<V2> q(10);
        for (std::size_t w = 0; w < 10; ++w) {
            V2 v{1.0, 0.0};
            v = ry(x[w], v);
            v = rz(x[10 + w], v);
            v = rx(x[20 + w], v);
            if (w < 6) v = ry(x[30 + w], v);
            q[w] = v;
        }
        const auto e = encoder_by_name("6x6_ryzxy");
        CHECK(e.n_qubits == 10);
        CHECK(e.n_features == 36);
        CHECK(distance(encode("6x6_ryzxy", x), product(q)) < 1e-12);
    }
    {
        const auto x = features(10, 3, 0.0, 1.0);
        std::vector<V2> q(4);
        for (std::size_t w = 0; w < 4; ++w) {
            V2 v{1.0, 0.0};
            v = ry(x[w], v);
            v = rz(x[4 + w], v);
            if (w < 2) v = rx(x[8 + w], v);
            q[w] = v;
        }
        const auto e = encoder_by_name("10_ryzx");
        CHECK(e.n_qubits == 4);
        CHECK(e.n_features == 10);
        CHECK(distance(encode("10_ryzx", x), product(q)) < 1e-12);
    }
    CHECK(encoder_names() == std::vector<std::string>{"4x4_ryzxy", "6x6_ryzxy", "10_ryzx"});
    CHECK_THROWS_WITH(encoder_by_name("16_ry"), "unknown encoder '16_ry'; known: 4x4_ryzxy, 6x6_ryzxy, 10_ryzx");
}

TEST_CASE("prepend_encoder: encoder then body, inputs and trainable indices kept", "[supercircuit][encoder]") {
    const auto s = design_space("u3cu3");
    const auto body = build_subcircuit(s, human_baseline(s, "param36"));
    const auto e = encoder_by_name("4x4_ryzxy");
    const auto c = prepend_encoder(e, body);
    CHECK(c.n_qubits == 4);
    CHECK(c.n_inputs == 16);
    CHECK(c.n_trainable == n_weights(s));
    REQUIRE(c.ops.size() == e.ops.size() + body.ops.size());
    CHECK(std::equal(e.ops.begin(), e.ops.end(), c.ops.begin()));
    CHECK(std::equal(body.ops.begin(), body.ops.end(), c.ops.begin() + 16));
    CHECK_NOTHROW(sim::validate(c));
    // Same as applying the body to the encoded state.
    const auto x = features(16, 4, -0.4, 2.8), w = features(n_weights(s), 5, -3.0, 3.0);
    auto psi = encode("4x4_ryzxy", x);
    for (const auto& op : body.ops) sim::apply_op(psi, op, w);
    CHECK(distance(sim::simulate(c, w, x), psi) < 1e-12);
    // The 10-qubit encoder does not fit a 4-qubit body.
    CHECK_THROWS_AS(prepend_encoder(encoder_by_name("6x6_ryzxy"), body), Error);
    // A wider body is fine (encoder on the low wires).
    CHECK(prepend_encoder(e, sim::Circuit(6)).n_qubits == 6);
}

TEST_CASE("amplitude_encode normalises the padded features into a little-endian state", "[supercircuit][encoder]") {
    const std::vector<double> f{1.0, -2.0, 3.0};
    const auto psi = amplitude_encode(f, 2);
    REQUIRE(psi.size() == 4);
    const double n = std::sqrt(14.0);
    CHECK(std::abs(psi[0] - C(1.0 / n)) < 1e-15);
    CHECK(std::abs(psi[1] - C(-2.0 / n)) < 1e-15);
    CHECK(std::abs(psi[2] - C(3.0 / n)) < 1e-15);
    CHECK(std::abs(psi[3]) == 0.0);
    CHECK_THROWS_WITH(amplitude_encode(std::vector<double>{0.0, 0.0}, 1), Catch::Contains("all features are zero"));
    CHECK_THROWS_WITH(amplitude_encode(std::vector<double>(5, 1.0), 2),
                      Catch::Contains("5 features do not fit 2 qubits"));
    CHECK_THROWS_AS(amplitude_encode(std::vector<double>{NAN}, 1), Error);
}

TEST_CASE("amplitude_encoding_circuit prepares amplitude_encode's state (1-5 qubits, signed, padded)",
          "[supercircuit][encoder]") {
    std::mt19937_64 rng(9);
    for (int n = 1; n <= 5; ++n) {
        const std::size_t dim = std::size_t{1} << n;
        std::vector<std::vector<double>> cases{
            features(static_cast<int>(dim), rng(), 0.0, 1.0),           // non-negative
            features(static_cast<int>(dim), rng(), -1.0, 1.0),          // signed
            features(static_cast<int>(dim / 2 + 1), rng(), -1.0, 1.0),  // padded with zeros
            std::vector<double>(dim, 0.0)};                             // one basis state
        cases.back().back() = -2.0;
        if (n >= 2) {
            auto sparse = features(static_cast<int>(dim), rng(), -1.0, 1.0);  // a whole zero half-block
            for (std::size_t i = 0; i < dim / 2; ++i) sparse[i] = 0.0;
            cases.push_back(sparse);
        }
        for (const auto& f : cases) {
            INFO(n << " qubits, " << f.size() << " features");
            const auto c = amplitude_encoding_circuit(f, n);
            CHECK_NOTHROW(sim::validate(c));
            int n_ry = 0, n_cx = 0;
            for (const auto& op : c.ops) {
                REQUIRE((op.kind == GateKind::RY || op.kind == GateKind::CX));
                (op.kind == GateKind::RY ? n_ry : n_cx) += 1;
            }
            CHECK(n_ry == static_cast<int>(dim) - 1);
            CHECK(n_cx == static_cast<int>(dim) - 2);
            const auto want = amplitude_encode(f, n);
            const auto got = sim::simulate(c);
            C overlap = 0.0;
            for (std::size_t i = 0; i < dim; ++i) overlap += std::conj(want[i]) * got[i];
            CHECK(std::abs(std::abs(overlap) - 1.0) < 1e-12);  // equal up to a global phase …
            CHECK(distance(got, want) < 1e-12);                // … which is in fact 1 for real features
        }
    }
    CHECK_THROWS_AS(amplitude_encoding_circuit(std::vector<double>(3, 1.0), 1), Error);
}

TEST_CASE("basis_encoding_circuit: x on the qubits of non-zero features", "[supercircuit][encoder]") {
    const std::vector<double> f{1.0, 0.0, 0.5, -3.0};
    const auto c = basis_encoding_circuit(f, 5);
    CHECK(c.n_qubits == 5);
    CHECK(c.ops.size() == 3);
    const auto psi = sim::simulate(c);
    for (std::size_t i = 0; i < psi.size(); ++i) CHECK(std::abs(psi[i]) == (i == 0b01101 ? 1.0 : 0.0));
    CHECK(basis_encoding_circuit(std::vector<double>{0.0, 0.0}, 2).ops.empty());
    CHECK_THROWS_WITH(basis_encoding_circuit(f, 3), Catch::Contains("4 features for 3 qubits"));
}
