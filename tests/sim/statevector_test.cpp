#include "sim/statevector.h"

#include <random>

#include <catch2/catch.hpp>

#include "../test_scale.h"
#include "reference.h"
#include "sim/error.h"

using namespace qnas;
using namespace qnas::sim;

TEST_CASE("used_trainables lists the distinct trainable indices read, ascending", "[circuit]") {
    Circuit c(2);
    Op a;
    a.kind = GateKind::U3;
    a.qubits[0] = 0;
    a.params = {Param::trainable(5), Param::input(0), Param::trainable(2)};
    c.add(a);
    Op b;
    b.kind = GateKind::RY;
    b.qubits[0] = 1;
    b.params[0] = Param::trainable(5);
    c.add(b);
    CHECK(used_trainables(c) == std::vector<int>{2, 5});
    CHECK(used_trainables(Circuit(1)).empty());
}

TEST_CASE("random circuits match the dense Kronecker reference", "[statevector]") {
    for (std::uint64_t seed = 0; seed < static_cast<std::uint64_t>(test::scaled(120)); ++seed) {
        std::mt19937_64 rng(seed);
        const int n = 1 + static_cast<int>(seed % 8);
        const Circuit c = test::random_circuit(n, 25, rng);
        const auto theta = test::random_angles(c.n_trainable, rng);
        const auto x = test::random_angles(c.n_inputs, rng);
        const State psi = simulate(c, theta, x);
        const Eigen::VectorXcd ref = test::circuit_state(c, theta, x);
        const Eigen::VectorXcd got = Eigen::Map<const Eigen::VectorXcd>(psi.data(), ref.size());
        INFO("seed " << seed << " n " << n);
        CHECK((got - ref).norm() < 1e-10);
    }
}

TEST_CASE("Pauli expectations match dense operators", "[statevector]") {
    std::mt19937_64 rng(7);
    const int n = 4;
    const State psi = test::random_state(n, rng);
    const Eigen::VectorXcd v = Eigen::Map<const Eigen::VectorXcd>(psi.data(), 1 << n);
    const Matrix px{{0, 1}, {1, 0}}, py{{0, cplx(0, -1)}, {cplx(0, 1), 0}}, pz{{1, 0}, {0, -1}};
    for (const char* label : {"IIIZ", "XIYZ", "YYYY", "ZXZX", "IIII"}) {
        const auto t = PauliTerm::from_label(label, 0.5);
        Matrix op = Matrix::Identity(1, 1);
        for (int i = 0; i < n; ++i) {
            const char ch = label[i];
            op = test::kron(op, ch == 'X' ? px : ch == 'Y' ? py : ch == 'Z' ? pz : Matrix(Matrix::Identity(2, 2)));
        }
        INFO(label);
        CHECK(expectation(psi, t) == Approx(0.5 * (v.adjoint() * op * v)(0, 0).real()).margin(1e-12));
        CHECK(t.label(n) == label);
    }
    CHECK_THROWS_AS(PauliTerm::from_label("XQ"), Error);
}

TEST_CASE("sampling follows the probabilities", "[statevector]") {
    const std::vector<double> p{0.1, 0.0, 0.6, 0.3};
    const int shots = 200000;
    const auto s = sample_counts_indices(p, shots, 42);
    std::vector<int> counts(4, 0);
    for (auto i : s) counts[i]++;
    for (std::size_t i = 0; i < 4; ++i) {
        const double sigma = std::sqrt(p[i] * (1 - p[i]) / shots);
        CHECK(std::abs(counts[i] / double(shots) - p[i]) <= 5 * sigma + 1e-12);
    }
    CHECK(sample_counts_indices(p, 100, 5) == sample_counts_indices(p, 100, 5));
}
