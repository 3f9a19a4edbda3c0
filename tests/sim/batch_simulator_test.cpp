#include "sim/batch_simulator.h"

#include <algorithm>
#include <limits>
#include <numbers>
#include <oneapi/tbb/task_arena.h>
#include <random>

#include <catch2/catch.hpp>

#include "reference.h"
#include "sim/batch_kernels.h"
#include "sim/error.h"

using namespace qnas;
using namespace qnas::sim;

namespace {

std::vector<PauliTerm> random_observables(int n, std::mt19937_64& rng, int count) {
    std::vector<PauliTerm> obs;
    for (int q = 0; q < n; ++q) obs.push_back(PauliTerm::z_on(q));
    const std::uint64_t mask = (std::uint64_t{1} << n) - 1;
    std::uniform_real_distribution<double> coeff(-1.5, 1.5);
    for (int i = 0; i < count; ++i) obs.push_back(PauliTerm{rng() & mask, rng() & mask, coeff(rng)});
    return obs;
}

std::vector<SimdVariant> supported_variants() {
    std::vector<SimdVariant> v{SimdVariant::Baseline};
    if (best_simd_variant() >= SimdVariant::Avx2) v.push_back(SimdVariant::Avx2);
    if (best_simd_variant() >= SimdVariant::Avx512) v.push_back(SimdVariant::Avx512);
    return v;
}

}  // namespace

TEST_CASE("core matrices and derivatives match the gate table", "[batch]") {
    std::mt19937_64 rng(3);
    for (const GateInfo& g : gate_table()) {
        const auto a = test::random_angles(kMaxGateParams, rng);
        const Matrix full = g.matrix(a);
        const int d = batch::core_dim(g.kind);
        std::vector<cplx> m(static_cast<std::size_t>(d * d));
        batch::core_matrix(g.kind, a.data(), m.data());
        const bool ctrl = batch::is_controlled(g.kind);
        auto full_index = [&](int i) { return ctrl ? 1 + 2 * i : i; };
        INFO(g.name);
        if (batch::is_diagonal(g.kind)) {  // the diagonal kernels read only the diagonal
            for (int r = 0; r < d; ++r)
                for (int c = 0; c < d; ++c)
                    if (r != c) CHECK(m[static_cast<std::size_t>(r * d + c)] == cplx(0.0, 0.0));
            for (int j = 0; j < g.n_params; ++j) {
                std::vector<cplx> dm(m.size());
                batch::core_derivative(g.kind, a.data(), j, dm.data());
                for (int r = 0; r < d; ++r)
                    for (int c = 0; c < d; ++c)
                        if (r != c) CHECK(std::abs(dm[static_cast<std::size_t>(r * d + c)]) == 0.0);
            }
        }
        for (int r = 0; r < d; ++r)
            for (int c = 0; c < d; ++c)
                CHECK(std::abs(m[static_cast<std::size_t>(r * d + c)] - full(full_index(r), full_index(c))) < 1e-14);
        if (ctrl)  // the rest of a controlled gate is the identity on the control-0 subspace
            for (int r = 0; r < 4; ++r)
                for (int c = 0; c < 4; ++c)
                    if ((r & 1) == 0 || (c & 1) == 0) CHECK(std::abs(full(r, c) - (r == c ? 1.0 : 0.0)) < 1e-14);
        for (int j = 0; j < g.n_params; ++j) {
            const Matrix fd = g.derivative(a, j);
            batch::core_derivative(g.kind, a.data(), j, m.data());
            for (int r = 0; r < d; ++r)
                for (int c = 0; c < d; ++c)
                    CHECK(std::abs(m[static_cast<std::size_t>(r * d + c)] - fd(full_index(r), full_index(c))) < 1e-14);
            if (ctrl)
                for (int r = 0; r < 4; ++r)
                    for (int c = 0; c < 4; ++c)
                        if ((r & 1) == 0 || (c & 1) == 0) CHECK(std::abs(fd(r, c)) < 1e-14);
        }
    }
}

TEST_CASE("batch expectations and probabilities match the reference simulator per sample", "[batch]") {
    const auto variants = supported_variants();
    for (std::uint64_t seed = 0; seed < 120; ++seed) {
        std::mt19937_64 rng(seed + 1000);
        const int n = 1 + static_cast<int>(seed % 8);
        const Circuit c = test::random_circuit(n, 10 + static_cast<int>(seed % 25), rng, 5, 4);
        const auto obs = random_observables(n, rng, 3);
        const BatchProgram p = BatchProgram::compile(c, obs);
        const std::int64_t B = 1 + static_cast<std::int64_t>(rng() % 19);  // full and partial tiles
        const auto theta = test::random_angles(c.n_trainable, rng);
        const auto X = test::random_angles(static_cast<int>(B) * c.n_inputs, rng);
        const SimdVariant v = variants[seed % variants.size()];
        const Eigen::MatrixXd e = batch_expectations(p, theta, X, B, {1, nullptr, v});
        const Eigen::MatrixXd pr = batch_probabilities(p, theta, X, B, {1, nullptr, v});
        REQUIRE(e.rows() == B);
        REQUIRE(e.cols() == static_cast<Eigen::Index>(obs.size()));
        REQUIRE(pr.cols() == (Eigen::Index{1} << n));
        double err_e = 0.0, err_p = 0.0;
        for (std::int64_t b = 0; b < B; ++b) {
            const std::span<const double> x(X.data() + b * c.n_inputs, static_cast<std::size_t>(c.n_inputs));
            const State psi = simulate(c, theta, x);
            for (std::size_t k = 0; k < obs.size(); ++k)
                err_e = std::max(err_e, std::abs(e(b, static_cast<Eigen::Index>(k)) - expectation(psi, obs[k])));
            for (std::size_t i = 0; i < psi.size(); ++i)
                err_p = std::max(err_p, std::abs(pr(b, static_cast<Eigen::Index>(i)) - std::norm(psi[i])));
        }
        INFO("seed " << seed << " n " << n << " B " << B << " simd " << simd_variant_name(v));
        CHECK(err_e < 1e-10);
        CHECK(err_p < 1e-12);
    }
}

TEST_CASE("encoder-style prefix, controlled and 3-qubit ops on a fixed circuit", "[batch]") {
    Circuit c(3);
    c.add(GateKind::RY, {0}, {Param::input(0)});
    c.add(GateKind::H, {1});
    c.add(GateKind::RZ, {2}, {Param::input(1, 0.5)});
    c.add(GateKind::CU3, {0, 2}, {Param::trainable(0), Param::input(2), Param::trainable(1, -2.0)});
    c.add(GateKind::RX, {0}, {Param::input(0)});  // after a 2-qubit op on qubit 0: not folded
    c.add(GateKind::CCX, {2, 0, 1});
    c.add(GateKind::RY, {1}, {Param::trainable(0)});
    const BatchProgram p = BatchProgram::compile(c);
    CHECK(p.prefix().size() == 3);
    CHECK(p.ops().size() == 4);
    CHECK(p.first_trainable_op() == 0);
    std::mt19937_64 rng(5);
    const auto theta = test::random_angles(2, rng);
    const auto X = test::random_angles(3 * 9, rng);
    const Eigen::MatrixXd e = batch_expectations(p, theta, X, 9);
    for (int b = 0; b < 9; ++b) {
        const State psi = simulate(c, theta, std::span<const double>(X.data() + 3 * b, 3));
        for (int q = 0; q < 3; ++q) CHECK(e(b, q) == Approx(expectation(psi, PauliTerm::z_on(q))).margin(1e-12));
    }
}

TEST_CASE("batch outputs are bit-identical for 1, 2, 3 and 4 threads", "[batch][threads]") {
    std::mt19937_64 rng(11);
    const Circuit c = test::random_circuit(6, 40, rng, 6, 4);
    const BatchProgram p = BatchProgram::compile(c, random_observables(6, rng, 2));
    const std::int64_t B = 77;
    const auto theta = test::random_angles(c.n_trainable, rng);
    const auto X = test::random_angles(static_cast<int>(B) * c.n_inputs, rng);
    const Eigen::MatrixXd e1 = batch_expectations(p, theta, X, B, {1});
    const auto s1 = batch_sample(p, theta, X, B, 50, 99, {1});
    // A sample's results do not depend on which other samples share its tile: the first 5 rows
    // alone (one padded tile) give the same bits as inside the full batch.
    const std::span<const double> head(X.data(), static_cast<std::size_t>(5 * c.n_inputs));
    CHECK((batch_expectations(p, theta, head, 5, {1}).array() == e1.topRows(5).array()).all());
    const auto s5 = batch_sample(p, theta, head, 5, 50, 99, {1});
    CHECK(std::equal(s5.begin(), s5.end(), s1.begin()));
    for (int threads : {2, 3, 4}) {
        tbb::task_arena arena(threads);
        BatchOptions o;
        o.arena = &arena;
        const Eigen::MatrixXd e = batch_expectations(p, theta, X, B, o);
        CHECK((e.array() == e1.array()).all());
        CHECK(batch_sample(p, theta, X, B, 50, 99, o) == s1);
        BatchOptions on;
        on.n_threads = threads;
        CHECK((batch_expectations(p, theta, X, B, on).array() == e1.array()).all());
    }
}

TEST_CASE("sampled counts follow the probabilities within 5 sigma", "[batch][sampling]") {
    // Per-sample distributions differ (input-dependent RY), so a mix-up of sample streams shows.
    Circuit c(2);
    c.add(GateKind::RY, {0}, {Param::input(0)});
    c.add(GateKind::CRY, {0, 1}, {Param::trainable(0)});
    const BatchProgram p = BatchProgram::compile(c);
    const std::vector<double> theta{1.1};
    const std::vector<double> X{0.3, 1.2, 2.0, 2.9, 1.7};
    const std::int64_t B = 5;
    const int shots = 40000;
    const auto counts = batch_counts(p, theta, X, B, shots, 2024);
    const Eigen::MatrixXd pr = batch_probabilities(p, theta, X, B);
    for (std::int64_t b = 0; b < B; ++b) {
        // The test needs enough shots to separate the four outcomes' rates of every sample.
        for (int i = 0; i < 4; ++i) {
            const double prob = pr(b, i);
            const double sigma = std::sqrt(prob * (1 - prob) / shots);
            const double freq = static_cast<double>(counts[static_cast<std::size_t>(b * 4 + i)]) / shots;
            INFO("sample " << b << " outcome " << i << " p " << prob << " freq " << freq);
            CHECK(std::abs(freq - prob) <= 5 * sigma + 1e-12);
        }
    }
    // Seeded: same seed, same shots; another seed, other shots.
    CHECK(batch_sample(p, theta, X, B, 100, 7) == batch_sample(p, theta, X, B, 100, 7));
    CHECK(batch_sample(p, theta, X, B, 100, 7) != batch_sample(p, theta, X, B, 100, 8));
}

TEST_CASE("batch simulator rejects bad sizes", "[batch]") {
    Circuit c(2);
    c.add(GateKind::RY, {0}, {Param::input(0)});
    c.add(GateKind::CRX, {0, 1}, {Param::trainable(0)});
    const BatchProgram p = BatchProgram::compile(c);
    const std::vector<double> theta{0.1}, X{0.1, 0.2};
    CHECK_THROWS_AS(batch_expectations(p, std::vector<double>{}, X, 2), Error);
    CHECK_THROWS_AS(batch_expectations(p, theta, X, 3), Error);
    CHECK_THROWS_AS(BatchProgram::compile(c, {PauliTerm::z_on(5)}), Error);
    CHECK(batch_expectations(p, theta, std::vector<double>{}, 0).rows() == 0);
}

TEST_CASE("vectorised sincos matches libm", "[batch]") {
    std::mt19937_64 rng(8);
    std::uniform_real_distribution<double> small(-10.0, 10.0), big(-9e4, 9e4);
    double worst = 0.0;
    for (int rep = 0; rep < 2000; ++rep) {
        alignas(64) double x[batch::kLanes], s[batch::kLanes], c[batch::kLanes];
        for (int l = 0; l < batch::kLanes; ++l) x[l] = rep % 2 ? small(rng) : big(rng);
        if (rep == 0) x[0] = 0.0, x[1] = -0.0, x[2] = std::numbers::pi / 4, x[3] = 3 * std::numbers::pi / 2;
        REQUIRE(batch::sincos_lanes(x, s, c));
        for (int l = 0; l < batch::kLanes; ++l) {
            worst = std::max(worst, std::abs(s[l] - std::sin(x[l])));
            worst = std::max(worst, std::abs(c[l] - std::cos(x[l])));
        }
    }
    CHECK(worst < 4e-16);
    alignas(64) double x[batch::kLanes] = {0, 1, 2, 3, 4, 5, 6, 2e5}, s[batch::kLanes], c[batch::kLanes];
    CHECK_FALSE(batch::sincos_lanes(x, s, c));  // out of range: callers fall back to libm
    x[7] = std::numeric_limits<double>::quiet_NaN();
    CHECK_FALSE(batch::sincos_lanes(x, s, c));
}
