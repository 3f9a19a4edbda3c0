#include <oneapi/tbb/task_arena.h>
#include <random>

#include <catch2/catch.hpp>

#include "reference.h"
#include "sim/adjoint.h"
#include "sim/batch_simulator.h"
#include "sim/error.h"
#include "sim/parameter_shift.h"

using namespace qnas;
using namespace qnas::sim;

namespace {

struct Problem {
    Circuit c;
    std::vector<PauliTerm> obs;
    std::vector<double> theta, X;
    std::int64_t B = 0;
    std::vector<int> labels;  // NLL loss when non-empty, else the linear loss Σ W∘E
    Eigen::MatrixXd W;
};

double loss_of(const Problem& pr, const Eigen::MatrixXd& E, Eigen::MatrixXd* dlde = nullptr) {
    if (pr.labels.empty()) {
        if (dlde) *dlde = pr.W;
        return pr.W.cwiseProduct(E).sum();
    }
    double l = 0.0;
    if (dlde) dlde->resize(E.rows(), E.cols());
    std::vector<double> row(static_cast<std::size_t>(E.cols())), d(row.size());
    for (Eigen::Index b = 0; b < E.rows(); ++b) {
        for (Eigen::Index k = 0; k < E.cols(); ++k) row[static_cast<std::size_t>(k)] = E(b, k);
        l += nll_log_softmax(row, pr.labels[static_cast<std::size_t>(b)], d);
        if (dlde)
            for (Eigen::Index k = 0; k < E.cols(); ++k) (*dlde)(b, k) = d[static_cast<std::size_t>(k)];
    }
    return l;
}

SampleLoss sample_loss(const Problem& pr) {
    if (!pr.labels.empty()) return nll_log_softmax_loss(pr.labels);
    return [&pr](std::int64_t b, std::span<const double> e, std::span<double> w) {
        double l = 0.0;
        for (std::size_t k = 0; k < e.size(); ++k) {
            w[k] = pr.W(b, static_cast<Eigen::Index>(k));
            l += w[k] * e[k];
        }
        return l;
    };
}

Eigen::MatrixXd evaluate(const Problem& pr, const Circuit& c, std::span<const double> theta) {
    return batch_expectations(BatchProgram::compile(c, pr.obs), theta, pr.X, pr.B);
}

// Central differences with a 4-point stencil (error O(h⁴)).
Eigen::VectorXd finite_difference(const Problem& pr) {
    Eigen::VectorXd g(pr.c.n_trainable);
    const double h = 1e-3;
    for (int i = 0; i < pr.c.n_trainable; ++i) {
        auto at = [&](double d) {
            auto t = pr.theta;
            t[static_cast<std::size_t>(i)] += d;
            return loss_of(pr, evaluate(pr, pr.c, t));
        };
        g[i] = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
    }
    return g;
}

void check_gradients(const Problem& pr, const std::string& what) {
    const BatchProgram p = BatchProgram::compile(pr.c, pr.obs);
    std::vector<double> adj(static_cast<std::size_t>(pr.c.n_trainable));
    Eigen::MatrixXd E;
    const double l = value_and_grad(p, pr.theta, pr.X, pr.B, sample_loss(pr), adj, {}, &E);
    Eigen::MatrixXd W;
    const double l_ref = loss_of(pr, evaluate(pr, pr.c, pr.theta), &W);
    INFO(what);
    CHECK(l == Approx(l_ref).epsilon(1e-12).margin(1e-12));
    const auto ps = parameter_shift_gradient(pr.c, W, [&](const Circuit& c) { return evaluate(pr, c, pr.theta); });
    CHECK(ps.n_evaluations == parameter_shift_cost(pr.c));
    const Eigen::VectorXd fd = finite_difference(pr);
    for (int i = 0; i < pr.c.n_trainable; ++i) {
        const double a = adj[static_cast<std::size_t>(i)];
        INFO("theta " << i << " adjoint " << a << " shift " << ps.grad[i] << " fd " << fd[i]);
        CHECK(std::abs(a - ps.grad[i]) <= 1e-8 * std::max(1.0, std::abs(a)));
        CHECK(std::abs(a - fd[i]) <= 1e-8 * std::max(1.0, std::abs(a)));
    }
}

Problem random_problem(std::uint64_t seed, bool nll) {
    std::mt19937_64 rng(seed);
    Problem pr;
    const int n = 1 + static_cast<int>(seed % 5);
    pr.c = test::random_circuit(n, 12 + static_cast<int>(seed % 12), rng, 4, 3);
    pr.obs.clear();
    for (int q = 0; q < n; ++q) pr.obs.push_back(PauliTerm::z_on(q));
    if (!nll) {  // X/Y strings in the readout too
        const std::uint64_t mask = (std::uint64_t{1} << n) - 1;
        pr.obs.push_back(PauliTerm{rng() & mask, rng() & mask, 0.7});
    }
    pr.B = 3 + static_cast<std::int64_t>(rng() % 8);
    pr.theta = test::random_angles(pr.c.n_trainable, rng);
    pr.X = test::random_angles(static_cast<int>(pr.B) * pr.c.n_inputs, rng);
    const auto K = static_cast<Eigen::Index>(pr.obs.size());
    if (nll) {
        for (std::int64_t b = 0; b < pr.B; ++b) pr.labels.push_back(static_cast<int>(rng() % static_cast<unsigned>(K)));
    } else {
        pr.W = Eigen::MatrixXd::Random(pr.B, K);
    }
    return pr;
}

// The QNN shape of the benchmarks: an encoder, then layers mixing every source, with the four-term
// gates, shared and scaled θ, and input-dependent gates after trainable ones.
Problem qnn_problem(bool nll) {
    Problem pr;
    Circuit& c = pr.c;
    c = Circuit(3);
    for (int q = 0; q < 3; ++q) c.add(GateKind::RY, {q}, {Param::input(q)});
    c.add(GateKind::RZ, {0}, {Param::input(3)});
    c.add(GateKind::U3, {0}, {Param::trainable(0), Param::trainable(1), Param::trainable(2)});
    c.add(GateKind::CU3, {0, 1}, {Param::trainable(3), Param::trainable(4, 0.5), Param::trainable(0, -1.5)});
    c.add(GateKind::CRX, {1, 2}, {Param::trainable(5)});
    c.add(GateKind::RX, {1}, {Param::input(1)});
    Param shifted = Param::trainable(5, 2.0);
    shifted.offset = 0.4;
    c.add(GateKind::CRY, {2, 0}, {shifted});
    c.add(GateKind::U3, {2}, {Param::input(2), Param::trainable(6), Param::trainable(3)});
    c.add(GateKind::CRZ, {0, 2}, {Param::trainable(7)});
    c.add(GateKind::RZZ, {1, 2}, {Param::input(0, 0.5)});
    c.add(GateKind::CU3, {2, 1}, {Param::input(3), Param::trainable(7), Param::trainable(1)});
    c.add(GateKind::CCX, {0, 1, 2});
    c.add(GateKind::RXX, {0, 2}, {Param::trainable(2, 0.75)});
    for (int q = 0; q < 3; ++q) pr.obs.push_back(PauliTerm::z_on(q));
    std::mt19937_64 rng(17);
    pr.B = 13;
    pr.theta = test::random_angles(c.n_trainable, rng);
    pr.X = test::random_angles(static_cast<int>(pr.B) * c.n_inputs, rng);
    if (nll)
        for (std::int64_t b = 0; b < pr.B; ++b) pr.labels.push_back(static_cast<int>(b % 3));
    else
        pr.W = Eigen::MatrixXd::Random(pr.B, 3);
    return pr;
}

}  // namespace

TEST_CASE("adjoint = parameter shift = finite differences on a QNN with every source", "[gradient]") {
    check_gradients(qnn_problem(true), "qnn nll");
    check_gradients(qnn_problem(false), "qnn linear");
}

TEST_CASE("adjoint = parameter shift = finite differences on random circuits", "[gradient]") {
    for (std::uint64_t seed = 0; seed < 60; ++seed) {
        check_gradients(random_problem(seed, seed % 2 == 0), "seed " + std::to_string(seed));
    }
}

TEST_CASE("parameter shift: analytic values, four-term rule, selection and cost", "[gradient]") {
    // f(θ) = ⟨Z₁⟩ after X(0), CRX(θ)(0→1) = cos θ: the two-term rule would be wrong here.
    Circuit c(2);
    c.add(GateKind::X, {0});
    c.add(GateKind::CRX, {0, 1}, {Param::trainable(0)});
    c.add(GateKind::RY, {0}, {Param::trainable(1)});
    const std::vector<double> theta{0.9, 0.3};
    const Eigen::MatrixXd W = (Eigen::MatrixXd(1, 2) << 0.0, 1.0).finished();
    auto eval = [&](const Circuit& cc) {
        return batch_expectations(BatchProgram::compile(cc), theta, std::vector<double>{}, 1);
    };
    const auto all = parameter_shift_gradient(c, W, eval);
    CHECK(all.grad[0] == Approx(-std::sin(0.9)).margin(1e-12));
    CHECK(all.grad[1] == Approx(0.0).margin(1e-12));
    CHECK(all.n_evaluations == 4 + 2);
    const std::vector<int> only{1};
    const auto one = parameter_shift_gradient(c, W, eval, only);
    CHECK(one.n_evaluations == 2);
    CHECK(one.grad[0] == 0.0);
    const std::vector<int> bad{2};
    CHECK_THROWS_AS(parameter_shift_gradient(c, W, eval, bad), Error);
}

TEST_CASE("gradients are bit-identical for 1, 2, 3 and 4 threads", "[gradient][threads]") {
    std::mt19937_64 rng(23);
    const Circuit c = test::random_circuit(5, 40, rng, 8, 4);
    const BatchProgram p = BatchProgram::compile(c);
    const std::int64_t B = 61;
    const auto theta = test::random_angles(c.n_trainable, rng);
    const auto X = test::random_angles(static_cast<int>(B) * c.n_inputs, rng);
    std::vector<int> labels;
    for (std::int64_t b = 0; b < B; ++b) labels.push_back(static_cast<int>(b % 5));
    std::vector<double> g1(static_cast<std::size_t>(c.n_trainable));
    const double l1 = value_and_grad(p, theta, X, B, nll_log_softmax_loss(labels, 1.0 / B), g1, {1});
    for (int threads : {2, 3, 4}) {
        tbb::task_arena arena(threads);
        BatchOptions o;
        o.arena = &arena;
        std::vector<double> g(g1.size());
        const double l = value_and_grad(p, theta, X, B, nll_log_softmax_loss(labels, 1.0 / B), g, o);
        CHECK(l == l1);
        CHECK(g == g1);
    }
}

TEST_CASE("every SIMD variant gives the same gradients to rounding", "[gradient]") {
    const Problem pr = qnn_problem(true);
    const BatchProgram p = BatchProgram::compile(pr.c, pr.obs);
    std::vector<double> base(static_cast<std::size_t>(pr.c.n_trainable));
    BatchOptions o;
    o.simd = SimdVariant::Baseline;
    const double l0 = value_and_grad(p, pr.theta, pr.X, pr.B, sample_loss(pr), base, o);
    for (SimdVariant v : {SimdVariant::Avx2, SimdVariant::Avx512}) {
        if (v > best_simd_variant()) {
            o.simd = v;
            CHECK_THROWS_AS(value_and_grad(p, pr.theta, pr.X, pr.B, sample_loss(pr), base, o), Error);
            continue;
        }
        o.simd = v;
        std::vector<double> g(base.size());
        CHECK(value_and_grad(p, pr.theta, pr.X, pr.B, sample_loss(pr), g, o) == Approx(l0).epsilon(1e-13));
        for (std::size_t i = 0; i < g.size(); ++i) CHECK(g[i] == Approx(base[i]).margin(1e-12));
    }
}

TEST_CASE("parameter shift is exact for any evaluator, e.g. one with θ-independent noise", "[gradient]") {
    // A global depolarising channel before readout shrinks every expectation by (1 − p); the shift
    // rule must then return exactly (1 − p) times the noise-free gradient.
    const Problem pr = qnn_problem(false);
    const double shrink = 0.83;
    const ExpectationEvaluator exact = batch_evaluator(pr.obs, pr.theta, pr.X, pr.B);
    const auto clean = parameter_shift_gradient(pr.c, pr.W, exact);
    const auto noisy =
        parameter_shift_gradient(pr.c, pr.W, [&](const Circuit& c) -> Eigen::MatrixXd { return shrink * exact(c); });
    CHECK(noisy.n_evaluations == clean.n_evaluations);
    for (int i = 0; i < pr.c.n_trainable; ++i) CHECK(noisy.grad[i] == Approx(shrink * clean.grad[i]).margin(1e-12));
}
