#include "sim/gates.h"

#include <numbers>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "reference.h"

using namespace qnas;
using namespace qnas::sim;

namespace {

std::vector<double> some_params(const GateInfo& g, std::mt19937_64& rng) {
    auto v = test::random_angles(kMaxGateParams, rng);
    v.resize(static_cast<std::size_t>(std::max(g.n_params, 0)));
    return v;
}

// The decomposition multiplied out on the gate's own operands, recursing into non-strict gates.
Matrix decomposed_matrix(GateKind kind, std::span<const double> params) {
    const auto& g = gate_info(kind);
    if (g.strict_qelib1) return g.matrix(params);
    Matrix u = Matrix::Identity(Eigen::Index{1} << g.n_qubits, Eigen::Index{1} << g.n_qubits);
    for (const auto& d : g.decomposition) {
        const auto& dg = gate_info(d.kind);
        std::vector<double> a(static_cast<std::size_t>(dg.n_params));
        for (int j = 0; j < dg.n_params; ++j)
            a[static_cast<std::size_t>(j)] = d.angles[static_cast<std::size_t>(j)].eval(params);
        const Matrix m = decomposed_matrix(d.kind, a);
        u = test::expand(m, std::vector<int>(d.qubits.begin(), d.qubits.begin() + dg.n_qubits), g.n_qubits) * u;
    }
    return u;
}

}  // namespace

TEST_CASE("gate table is complete, ordered and uniquely named", "[gates]") {
    std::set<std::string_view> names;
    REQUIRE(gate_table().size() == static_cast<std::size_t>(kGateCount));
    for (int k = 0; k < kGateCount; ++k) {
        const auto& g = gate_table()[static_cast<std::size_t>(k)];
        CHECK(static_cast<int>(g.kind) == k);
        CHECK(names.insert(g.name).second);
        CHECK(gate_by_name(g.name) == g.kind);
        CHECK(g.n_qubits >= 1);
        CHECK(g.n_qubits <= kMaxGateQubits);
        for (int j = 0; j < g.n_params; ++j) CHECK_FALSE(g.shift_rules[static_cast<std::size_t>(j)].empty());
        CHECK(g.strict_qelib1 == g.decomposition.empty());
    }
    // Every gate the issue names is present.
    for (const char* n : {"id",  "h",   "x",   "y",  "z",   "s",   "sdg", "t",   "tdg", "sx",   "sxdg",  "rx",
                          "ry",  "rz",  "p",   "u1", "u2",  "u3",  "cx",  "cy",  "cz",  "swap", "sswap", "crx",
                          "cry", "crz", "cu1", "cp", "cu3", "rxx", "ryy", "rzz", "rzx", "ecr",  "ccx",   "shadamard"})
        CHECK(gate_by_name(n).has_value());
}

TEST_CASE("every gate matrix is unitary", "[gates]") {
    std::mt19937_64 rng(1);
    for (const auto& g : gate_table())
        for (int rep = 0; rep < 5; ++rep) {
            const auto p = some_params(g, rng);
            const Matrix u = g.matrix(p);
            INFO(g.name);
            REQUIRE(u.rows() == (1 << g.n_qubits));
            CHECK((u * u.adjoint() - Matrix::Identity(u.rows(), u.cols())).norm() < 1e-12);
            if (g.hermitian_self_inverse) CHECK((u * u - Matrix::Identity(u.rows(), u.cols())).norm() < 1e-12);
        }
}

TEST_CASE("every decomposition equals its gate up to a global phase", "[gates]") {
    std::mt19937_64 rng(2);
    for (const auto& g : gate_table())
        for (int rep = 0; rep < 5; ++rep) {
            const auto p = some_params(g, rng);
            INFO(g.name);
            CHECK(test::phase_insensitive_distance(g.matrix(p), decomposed_matrix(g.kind, p)) < 1e-12);
        }
}

TEST_CASE("analytic derivatives and generators match finite differences", "[gates]") {
    std::mt19937_64 rng(3);
    const double h = 1e-6;
    for (const auto& g : gate_table())
        for (int j = 0; j < g.n_params; ++j)
            for (int rep = 0; rep < 4; ++rep) {
                auto p = some_params(g, rng);
                auto pp = p, pm = p;
                pp[static_cast<std::size_t>(j)] += h;
                pm[static_cast<std::size_t>(j)] -= h;
                const Matrix fd = (g.matrix(pp) - g.matrix(pm)) / (2 * h);
                INFO(g.name << " parameter " << j);
                CHECK((g.derivative(p, j) - fd).norm() < 1e-8);
                const Matrix gen = gate_generator(g.kind, p, j);
                CHECK((gen - gen.adjoint()).norm() < 1e-12);
                CHECK((cplx(0, -1) * gen * g.matrix(p) - fd).norm() < 1e-8);
            }
}

TEST_CASE("shift rules give exact derivatives of expectations", "[gates]") {
    // f(θ) = ⟨ψ| A† G(θ)† B† O B G(θ) A |ψ⟩ for random A, B on 3 qubits and O = Z₀ + 0.3·X₁Y₂.
    std::mt19937_64 rng(4);
    const int n = 3;
    for (const auto& g : gate_table())
        for (int j = 0; j < g.n_params; ++j) {
            const Circuit a = test::random_circuit(n, 6, rng, 0, 0, false);
            const Circuit b = test::random_circuit(n, 6, rng, 0, 0, false);
            const Matrix ua = test::circuit_unitary(a), ub = test::circuit_unitary(b);
            Matrix obs = test::expand(Matrix{{1, 0}, {0, -1}}, {0}, n) +
                         0.3 * test::expand(Matrix{{0, 1}, {1, 0}}, {1}, n) *
                             test::expand(Matrix{{0, cplx(0, -1)}, {cplx(0, 1), 0}}, {2}, n);
            std::vector<int> qs{2, 0, 1};
            qs.resize(static_cast<std::size_t>(g.n_qubits));
            const Eigen::VectorXcd psi0 = Eigen::Map<const Eigen::VectorXcd>(test::random_state(n, rng).data(), 1 << n);
            auto f = [&](std::vector<double> p) {
                const Eigen::VectorXcd s = ub * test::expand(g.matrix(p), qs, n) * ua * psi0;
                return (s.adjoint() * obs * s)(0, 0).real();
            };
            const auto p = some_params(g, rng);
            double shift = 0.0;
            for (const auto& t : g.shift_rules[static_cast<std::size_t>(j)]) {
                auto q = p;
                q[static_cast<std::size_t>(j)] += t.shift;
                shift += t.coeff * f(q);
            }
            auto pp = p, pm = p;
            pp[static_cast<std::size_t>(j)] += 1e-6;
            pm[static_cast<std::size_t>(j)] -= 1e-6;
            INFO(g.name << " parameter " << j);
            CHECK(shift == Approx((f(pp) - f(pm)) / 2e-6).margin(1e-8));
        }
}

TEST_CASE("spot values in Qiskit's conventions", "[gates]") {
    // cx with control on qubit 0 (low bit): |01⟩ (index 1) → |11⟩ (index 3).
    const Matrix cx = gate_matrix(GateKind::CX, {});
    CHECK(std::abs(cx(3, 1) - 1.0) < 1e-15);
    // rz carries the qelib1 global phase, u1 does not.
    const std::vector<double> a{0.7};
    CHECK(std::abs(gate_matrix(GateKind::RZ, a)(0, 0) - std::exp(cplx(0, -0.35))) < 1e-15);
    CHECK(std::abs(gate_matrix(GateKind::U1, a)(0, 0) - 1.0) < 1e-15);
    // shadamard is exactly RY(π/4).
    const std::vector<double> q{std::numbers::pi / 4};
    CHECK((gate_matrix(GateKind::SH, {}) - gate_matrix(GateKind::RY, q)).norm() < 1e-15);
    // rzx puts Z on the first operand: rzx(θ)|q1=0,q0=1⟩ picks up e^{+iθ/2}·cos part.
    const Matrix rzx = gate_matrix(GateKind::RZX, a);
    CHECK(std::abs(rzx(1, 1) - std::cos(0.35)) < 1e-15);
    CHECK(std::abs(rzx(3, 1) - cplx(0, std::sin(0.35))) < 1e-15);
}
