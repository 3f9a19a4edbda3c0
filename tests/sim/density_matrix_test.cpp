#include "sim/density_matrix.h"

#include <cmath>
#include <random>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>

#include "random_channel.h"
#include "reference.h"
#include "sim/channels.h"
#include "sim/error.h"

using namespace qnas;
using namespace qnas::sim;

using test::gaussian_matrix;
using test::random_channel;

namespace {

double max_diff(const Matrix& a, const Matrix& b) { return (a - b).cwiseAbs().maxCoeff(); }

// A full-rank mixed state: A A† / Tr(A A†) with a Gaussian A.
Matrix random_rho(int n, std::mt19937_64& rng) {
    const Eigen::Index d = Eigen::Index{1} << n;
    const Matrix a = gaussian_matrix(d, d, rng);
    const Matrix rho = a * a.adjoint();
    return rho / rho.trace();
}

// `count` distinct random qubits of n.
std::vector<int> random_qubits(int count, int n, std::mt19937_64& rng) {
    std::vector<int> qs(static_cast<std::size_t>(n));
    for (int q = 0; q < n; ++q) qs[static_cast<std::size_t>(q)] = q;
    std::shuffle(qs.begin(), qs.end(), rng);
    qs.resize(static_cast<std::size_t>(count));
    return qs;
}

// Σ_i K_i ρ K_i† with 2^n × 2^n expanded operators.
Matrix dense_channel(const Matrix& rho, const KrausSet& kraus, const std::vector<int>& qubits, int n) {
    Matrix out = Matrix::Zero(rho.rows(), rho.cols());
    for (const Matrix& k : kraus) {
        const Matrix full = test::expand(k, qubits, n);
        out += full * rho * full.adjoint();
    }
    return out;
}

Matrix pauli_matrix(const std::string& label) {  // Qiskit order: rightmost char = qubit 0
    const cplx i{0.0, 1.0};
    Matrix out = Matrix::Identity(1, 1);
    for (char ch : label) {
        Matrix p(2, 2);
        switch (ch) {
            case 'X': p << 0, 1, 1, 0; break;
            case 'Y': p << 0, -i, i, 0; break;
            case 'Z': p << 1, 0, 0, -1; break;
            default: p << 1, 0, 0, 1; break;
        }
        out = test::kron(out, p);
    }
    return out;
}

// Named test channels on k qubits.
std::vector<std::pair<std::string, KrausSet>> test_channels(int k, std::mt19937_64& rng) {
    std::vector<std::pair<std::string, KrausSet>> out;
    if (k == 1) {
        out.emplace_back("amplitude damping", amplitude_damping_kraus(0.37));
        out.emplace_back("phase damping", phase_damping_kraus(0.21));
        out.emplace_back("depolarizing", depolarizing_kraus(0.3, 1));
    }
    if (k == 2) {
        out.emplace_back("depolarizing 2q", depolarizing_kraus(0.2, 2));
        out.emplace_back("relax x damp", kraus_tensor(amplitude_damping_kraus(0.1), phase_damping_kraus(0.4)));
    }
    for (int m = 1; m <= 4; ++m) out.emplace_back("random isometry m=" + std::to_string(m), random_channel(k, m, rng));
    return out;
}

// The closed-form thermal relaxation Kraus set of noise_models.md §3.2 (p1 = 0).
KrausSet relaxation_kraus(double t, double t1, double t2) {
    const double p_reset = 1.0 - std::exp(-t / t1), c = std::exp(-t / t2);
    Matrix k0 = Matrix::Zero(2, 2), k1 = Matrix::Zero(2, 2), k2 = Matrix::Zero(2, 2);
    k0(0, 0) = 1.0;
    k0(1, 1) = c;
    k1(1, 1) = std::sqrt(1.0 - p_reset - c * c);
    k2(0, 1) = std::sqrt(p_reset);
    return {k0, k1, k2};
}

}  // namespace

TEST_CASE("density: construction and dense conversion", "[density]") {
    const DensityMatrix zero(3);
    Matrix expect = Matrix::Zero(8, 8);
    expect(0, 0) = 1.0;
    CHECK(zero.to_matrix() == expect);
    CHECK(zero.dim() == 8);
    CHECK(zero.data().size() == 64);

    std::mt19937_64 rng(1);
    const State psi = test::random_state(3, rng);
    const Eigen::VectorXcd v = Eigen::Map<const Eigen::VectorXcd>(psi.data(), 8);
    CHECK(max_diff(DensityMatrix::from_state(psi).to_matrix(), v * v.adjoint()) < 1e-15);

    const Matrix rho = random_rho(3, rng);
    const DensityMatrix dm = DensityMatrix::from_matrix(rho);
    CHECK(dm.to_matrix() == rho);
    // Layout: data[r + 2^n·c] = ρ(r, c).
    CHECK(dm.data()[5 + 8 * 2] == rho(5, 2));
    CHECK(dm(5, 2) == rho(5, 2));

    CHECK_THROWS_AS(DensityMatrix::from_matrix(Matrix::Zero(3, 3)), Error);
    CHECK_THROWS_AS(DensityMatrix::from_state(State(3)), Error);
    CHECK_THROWS_AS(DensityMatrix(-1), Error);
}

TEST_CASE("density: random unitary circuits give the state-vector |psi><psi|", "[density]") {
    for (std::uint64_t seed = 0; seed < 120; ++seed) {
        std::mt19937_64 rng(seed);
        const int n = 1 + static_cast<int>(seed % 6);
        const Circuit c = test::random_circuit(n, 30, rng);
        const auto theta = test::random_angles(c.n_trainable, rng);
        const auto x = test::random_angles(c.n_inputs, rng);
        const State psi = simulate(c, theta, x);
        const DensityMatrix rho = simulate_density(c, theta, x);
        INFO("seed " << seed << " n " << n);
        CHECK(max_diff(rho.to_matrix(), DensityMatrix::from_state(psi).to_matrix()) < 1e-10);
        CHECK(std::abs(trace(rho) - 1.0) < 1e-12);
        CHECK(purity(rho) == Approx(1.0).margin(1e-10));
    }
}

TEST_CASE("density: every gate alone matches dense U rho U^dagger on a mixed state", "[density]") {
    std::mt19937_64 rng(11);
    const int n = 4;
    for (const GateInfo& g : gate_table()) {
        for (int rep = 0; rep < 3; ++rep) {
            const auto qubits = random_qubits(g.n_qubits, n, rng);
            const auto angles = test::random_angles(g.n_params, rng);
            const Matrix u = g.matrix(angles);
            const Matrix rho = random_rho(n, rng);
            DensityMatrix dm = DensityMatrix::from_matrix(rho);
            apply_unitary(dm, u, qubits);
            const Matrix full = test::expand(u, qubits, n);
            INFO(g.name << " rep " << rep);
            CHECK(max_diff(dm.to_matrix(), full * rho * full.adjoint()) < 1e-12);
        }
    }
    // apply_op resolves θ and x like the state-vector path.
    Op op;
    op.kind = GateKind::CU3;
    op.qubits = {2, 0, 0};
    op.params = {Param::trainable(1, 0.5), Param::input(0), Param::constant(0.3)};
    const std::vector<double> theta{0.1, 1.7}, x{-0.8};
    const Matrix rho = random_rho(3, rng);
    DensityMatrix dm = DensityMatrix::from_matrix(rho);
    apply_op(dm, op, theta, x);
    const Matrix full = test::op_unitary(op, 3, theta, x);
    CHECK(max_diff(dm.to_matrix(), full * rho * full.adjoint()) < 1e-12);
}

TEST_CASE("density: non-unitary and monomial operators A rho A^dagger", "[density]") {
    // Exercises both kernels on operators that are not gates: dense random A, and matrices with
    // one non-zero per row (the monomial path), including zero rows and repeated columns.
    std::mt19937_64 rng(12);
    const int n = 5;
    for (int k = 1; k <= 3; ++k) {
        const Eigen::Index d = Eigen::Index{1} << k;
        Matrix mono = Matrix::Zero(d, d);
        for (Eigen::Index r = 0; r + 1 < d; ++r) mono(r, static_cast<Eigen::Index>(rng() % d)) = cplx(0.3 * r - 1, 0.7);
        for (const Matrix& a : {gaussian_matrix(d, d, rng), mono}) {
            const auto qubits = random_qubits(k, n, rng);
            const Matrix rho = random_rho(n, rng);
            DensityMatrix dm = DensityMatrix::from_matrix(rho);
            apply_unitary(dm, a, qubits);
            const Matrix full = test::expand(a, qubits, n);
            INFO("k " << k);
            CHECK(max_diff(dm.to_matrix(), full * rho * full.adjoint()) < 1e-12);
        }
    }
}

TEST_CASE("density: Kraus channels match dense sum K rho K^dagger", "[density]") {
    std::mt19937_64 rng(21);
    for (int n = 2; n <= 5; ++n)
        for (int k = 1; k <= 2; ++k)
            for (const auto& [name, kraus] : test_channels(k, rng)) {
                REQUIRE(is_cptp(kraus));
                const auto qubits = random_qubits(k, n, rng);
                const Matrix rho = random_rho(n, rng);
                DensityMatrix dm = DensityMatrix::from_matrix(rho);
                apply_kraus(dm, kraus, qubits);
                INFO(name << " n " << n << " qubits " << qubits[0]);
                CHECK(max_diff(dm.to_matrix(), dense_channel(rho, kraus, qubits, n)) < 1e-12);
                CHECK(std::abs(trace(dm) - 1.0) < 1e-12);
            }
    // Three qubits too (the kernels allow k ≤ 3).
    const KrausSet k3 = random_channel(3, 3, rng);
    const auto qubits = random_qubits(3, 5, rng);
    const Matrix rho = random_rho(5, rng);
    DensityMatrix dm = DensityMatrix::from_matrix(rho);
    apply_kraus(dm, k3, qubits);
    CHECK(max_diff(dm.to_matrix(), dense_channel(rho, k3, qubits, 5)) < 1e-12);
}

TEST_CASE("density: superoperator path equals the Kraus path", "[density]") {
    std::mt19937_64 rng(31);
    for (int n = 3; n <= 6; ++n)
        for (int k = 1; k <= 3; ++k) {
            auto channels = test_channels(k, rng);
            for (const auto& [name, kraus] : channels) {
                const auto qubits = random_qubits(k, n, rng);
                const Matrix rho = random_rho(n, rng);
                DensityMatrix a = DensityMatrix::from_matrix(rho), b = a;
                apply_kraus(a, kraus, qubits);
                apply_superop(b, superop_from_kraus(kraus), qubits);
                INFO(name << " n " << n << " k " << k);
                CHECK(max_diff(a.to_matrix(), b.to_matrix()) < 1e-12);
            }
        }
    // Device-like errors (depolarizing ∘ amplitude damping) against the dense reference; the
    // 2-qubit one takes the sparse superoperator kernel, phase damping above the 1-qubit one.
    for (int k = 1; k <= 2; ++k) {
        const KrausSet relax = k == 1 ? kraus_tensor(amplitude_damping_kraus(0.05), KrausSet{Matrix::Identity(1, 1)})
                                      : kraus_tensor(amplitude_damping_kraus(0.05), amplitude_damping_kraus(0.02));
        const Matrix s = compose_channels(superop_from_kraus(depolarizing_kraus(0.04, k)), superop_from_kraus(relax));
        if (k == 2) CHECK((s.array() != cplx(0.0, 0.0)).count() * 4 <= s.size());  // sparse kernel
        const KrausSet kraus = kraus_from_superop(s);
        const auto qubits = random_qubits(k, 5, rng);
        const Matrix rho = random_rho(5, rng);
        DensityMatrix dm = DensityMatrix::from_matrix(rho);
        apply_superop(dm, s, qubits);
        CHECK(max_diff(dm.to_matrix(), dense_channel(rho, kraus, qubits, 5)) < 1e-12);
    }
    // A unitary as a superoperator equals the unitary kernel.
    const Matrix u = gate_matrix(GateKind::U3, std::vector<double>{0.3, -1.1, 2.0});
    const Matrix rho = random_rho(3, rng);
    DensityMatrix a = DensityMatrix::from_matrix(rho), b = a;
    apply_unitary(a, u, std::vector<int>{1});
    apply_superop(b, superop_from_unitary(u), std::vector<int>{1});
    CHECK(max_diff(a.to_matrix(), b.to_matrix()) < 1e-14);
}

TEST_CASE("density: channel composition and tensor products", "[density]") {
    std::mt19937_64 rng(41);
    const int n = 4;
    for (int k = 1; k <= 2; ++k) {
        const KrausSet first = random_channel(k, 3, rng), then = random_channel(k, 2, rng);
        const auto qubits = random_qubits(k, n, rng);
        const Matrix rho = random_rho(n, rng);
        DensityMatrix seq = DensityMatrix::from_matrix(rho), fused = seq;
        apply_kraus(seq, first, qubits);
        apply_kraus(seq, then, qubits);
        apply_superop(fused, compose_channels(superop_from_kraus(first), superop_from_kraus(then)), qubits);
        CHECK(max_diff(seq.to_matrix(), fused.to_matrix()) < 1e-12);
    }
    // Gate then its error as one superoperator (what noise/ can precompute per gate).
    {
        const Matrix cx = gate_matrix(GateKind::CX, {});
        const KrausSet err = depolarizing_kraus(0.05, 2);
        const std::vector<int> qubits{3, 1};
        const Matrix rho = random_rho(n, rng);
        DensityMatrix seq = DensityMatrix::from_matrix(rho), fused = seq;
        apply_unitary(seq, cx, qubits);
        apply_kraus(seq, err, qubits);
        apply_superop(fused, compose_channels(superop_from_unitary(cx), superop_from_kraus(err)), qubits);
        CHECK(max_diff(seq.to_matrix(), fused.to_matrix()) < 1e-12);
    }
    // Independent channels on two qubits: superop_tensor(low, high) on (a, b) = low on a, high on b.
    const KrausSet low = random_channel(1, 2, rng), high = random_channel(1, 3, rng);
    const std::vector<int> qubits{2, 0};
    const Matrix rho = random_rho(n, rng);
    DensityMatrix seq = DensityMatrix::from_matrix(rho), tensor = seq, ktensor = seq;
    apply_kraus(seq, low, std::vector<int>{2});
    apply_kraus(seq, high, std::vector<int>{0});
    apply_superop(tensor, superop_tensor(superop_from_kraus(low), superop_from_kraus(high)), qubits);
    apply_kraus(ktensor, kraus_tensor(low, high), qubits);
    CHECK(max_diff(seq.to_matrix(), tensor.to_matrix()) < 1e-12);
    CHECK(max_diff(seq.to_matrix(), ktensor.to_matrix()) < 1e-12);
    // 1 + 2 qubits.
    const KrausSet two = random_channel(2, 2, rng);
    DensityMatrix seq3 = DensityMatrix::from_matrix(rho), tensor3 = seq3;
    apply_kraus(seq3, low, std::vector<int>{1});
    apply_kraus(seq3, two, std::vector<int>{3, 0});
    apply_superop(tensor3, superop_tensor(superop_from_kraus(low), superop_from_kraus(two)), std::vector<int>{1, 3, 0});
    CHECK(max_diff(seq3.to_matrix(), tensor3.to_matrix()) < 1e-12);
}

TEST_CASE("density: CPTP checks accept valid and reject invalid channels", "[density]") {
    std::mt19937_64 rng(51);
    for (int k = 1; k <= 2; ++k)
        for (const auto& [name, kraus] : test_channels(k, rng)) {
            INFO(name);
            CHECK(is_cptp(kraus));
            CHECK(is_cptp_superop(superop_from_kraus(kraus)));
            // Round trip through the Choi matrix and back to Kraus operators.
            const Matrix s = superop_from_kraus(kraus);
            CHECK(max_diff(superop_from_choi(choi_from_superop(s)), s) == 0.0);
            CHECK(max_diff(superop_from_kraus(kraus_from_superop(s)), s) < 1e-12);
        }
    CHECK(is_cptp_superop(superop_from_unitary(gate_matrix(GateKind::ECR, {}))));

    // Not trace preserving: scaled up, scaled down, a lone projector.
    KrausSet scaled = amplitude_damping_kraus(0.2);
    for (auto& m : scaled) m *= 1.01;
    CHECK_FALSE(is_cptp(scaled));
    CHECK_FALSE(is_cptp_superop(superop_from_kraus(scaled)));
    Matrix proj = Matrix::Zero(2, 2);
    proj(0, 0) = 1.0;
    CHECK_FALSE(is_cptp(KrausSet{proj}));
    CHECK_FALSE(is_cptp_superop(superop_from_kraus(KrausSet{proj})));
    // Trace preserving and positive but not completely positive: the transpose map.
    Matrix transpose = Matrix::Zero(4, 4);
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 2; ++c) transpose(c + 2 * r, r + 2 * c) = 1.0;
    CHECK_FALSE(is_cptp_superop(transpose));
    CHECK_THROWS_AS(kraus_from_superop(transpose), Error);
    // Malformed.
    CHECK_FALSE(is_cptp(KrausSet{}));
    CHECK_FALSE(is_cptp(KrausSet{Matrix::Identity(2, 2), Matrix::Zero(4, 4)}));
    CHECK_FALSE(is_cptp_superop(Matrix::Identity(8, 8)));
    CHECK_THROWS_AS(superop_from_kraus(KrausSet{Matrix::Identity(3, 3)}), Error);
}

TEST_CASE("density: analytic channel values", "[density]") {
    SECTION("amplitude damping on |1><1| gives P(1) = 1 - gamma") {
        for (double gamma : {0.0, 0.1, 0.5, 0.93, 1.0}) {
            DensityMatrix rho(2);
            apply_unitary(rho, gate_matrix(GateKind::X, {}), std::vector<int>{1});
            apply_kraus(rho, amplitude_damping_kraus(gamma), std::vector<int>{1});
            const auto p = marginal_probabilities(rho, std::vector<int>{1});
            CHECK(p[1] == Approx(1.0 - gamma).margin(1e-15));
            CHECK(p[0] == Approx(gamma).margin(1e-15));
            CHECK(probabilities(rho)[2] == Approx(1.0 - gamma).margin(1e-15));
        }
    }
    SECTION("phase damping scales <X> by sqrt(1 - lambda)") {
        DensityMatrix rho(1);
        apply_unitary(rho, gate_matrix(GateKind::H, {}), std::vector<int>{0});
        apply_kraus(rho, phase_damping_kraus(0.36), std::vector<int>{0});
        CHECK(expectation(rho, PauliTerm::from_label("X")) == Approx(0.8).margin(1e-15));
        CHECK(purity(rho) == Approx(0.5 * (1 + 0.64)).margin(1e-15));
    }
    SECTION("depolarizing: F_avg = 1 - lambda (d - 1) / d, and rho -> (1 - lambda) rho + lambda I/d") {
        for (double lambda : {0.0, 0.01, 0.3, 1.0, 4.0 / 3.0}) {
            const Matrix s1 = superop_from_kraus(depolarizing_kraus(lambda, 1));
            CHECK(average_gate_fidelity(s1) == Approx(1.0 - lambda / 2).margin(1e-14));
            CHECK(is_cptp_superop(s1));
        }
        for (double lambda : {0.0, 0.02, 0.5, 16.0 / 15.0}) {
            const Matrix s2 = superop_from_kraus(depolarizing_kraus(lambda, 2));
            CHECK(average_gate_fidelity(s2) == Approx(1.0 - lambda * 3 / 4).margin(1e-14));
            std::mt19937_64 rng(61);
            const Matrix rho = random_rho(2, rng);
            DensityMatrix dm = DensityMatrix::from_matrix(rho);
            apply_superop(dm, s2, std::vector<int>{0, 1});
            CHECK(max_diff(dm.to_matrix(), (1 - lambda) * rho + lambda * Matrix::Identity(4, 4) / 4.0) < 1e-14);
        }
        // Against a unitary target: the gate itself is perfect, a wrong gate is not.
        const Matrix h = gate_matrix(GateKind::H, {});
        CHECK(average_gate_fidelity(superop_from_unitary(h), h) == Approx(1.0).margin(1e-14));
        CHECK(average_gate_fidelity(superop_from_unitary(h), gate_matrix(GateKind::X, {})) ==
              Approx((2 * 0.5 + 1) / 3.0).margin(1e-14));
        CHECK_THROWS_AS(depolarizing_kraus(1.5, 1), Error);
    }
    SECTION("Aer's relaxation Choi matrix and the yorktown cx0_1 worked example (noise_models.md 3.2, 9.1)") {
        const double t = 440.888889, t1a = 48233.935, t2a = 22946.009, t1b = 42865.333, t2b = 24545.081;
        const double e = 0.021170783846888724;
        // Choi matrix of one qubit's relaxation as the note writes it (p1 = 0).
        const double p_reset = 1.0 - std::exp(-t / t1a), c = std::exp(-t / t2a);
        Matrix choi = Matrix::Zero(4, 4);
        choi(0, 0) = 1.0;
        choi(0, 3) = choi(3, 0) = c;
        choi(2, 2) = p_reset;
        choi(3, 3) = 1.0 - p_reset;
        const Matrix relax_a = superop_from_kraus(relaxation_kraus(t, t1a, t2a));
        CHECK(max_diff(choi_from_superop(relax_a), choi) < 1e-15);
        CHECK(p_reset == Approx(9.098988e-3).epsilon(1e-6));
        // Pair relaxation, then depolarizing with the λ that makes 1 − F_avg = e.
        const Matrix relax = superop_tensor(relax_a, superop_from_kraus(relaxation_kraus(t, t1b, t2b)));
        const double f_r = average_gate_fidelity(relax);
        const double f_pro_closed = (1 + 2 * std::exp(-t / t2a) + std::exp(-t / t1a)) / 4 *
                                    (1 + 2 * std::exp(-t / t2b) + std::exp(-t / t1b)) / 4;
        CHECK(f_r == Approx((4 * f_pro_closed + 1) / 5).margin(1e-15));
        CHECK(1 - f_r == Approx(0.01849139).margin(1e-8));
        const double lambda = 4 * (e - (1 - f_r)) / (4 * f_r - 1);
        CHECK(lambda == Approx(0.00366284).margin(1e-8));
        const Matrix error = compose_channels(superop_from_kraus(depolarizing_kraus(lambda, 2)), relax);
        CHECK(is_cptp_superop(error));
        CHECK(1 - average_gate_fidelity(error) == Approx(e).margin(1e-12));
        // The same error after a cx, against the cx target.
        const Matrix cx = gate_matrix(GateKind::CX, {});
        CHECK(1 - average_gate_fidelity(compose_channels(superop_from_unitary(cx), error), cx) ==
              Approx(e).margin(1e-12));
    }
}

TEST_CASE("density: Pauli expectations, probabilities, trace and purity match dense formulas", "[density]") {
    std::mt19937_64 rng(71);
    const int n = 4;
    const Matrix rho = random_rho(n, rng);
    const DensityMatrix dm = DensityMatrix::from_matrix(rho);
    PauliSum h;
    double h_dense = 0.0;
    for (const char* label : {"IIII", "IIIZ", "XIYZ", "YYYY", "ZXZX", "IYII", "XXXX", "YZIX"}) {
        const auto t = PauliTerm::from_label(label, -0.7);
        const double dense = -0.7 * (pauli_matrix(label) * rho).trace().real();
        INFO(label);
        CHECK(expectation(dm, t) == Approx(dense).margin(1e-14));
        h.push_back(t);
        h_dense += dense;
    }
    CHECK(expectation(dm, h) == Approx(h_dense).margin(1e-13));
    CHECK_THROWS_AS(expectation(dm, PauliTerm::z_on(4)), Error);

    CHECK(std::abs(trace(dm) - rho.trace()) < 1e-15);
    CHECK(purity(dm) == Approx((rho * rho).trace().real()).margin(1e-14));
    const auto p = probabilities(dm);
    for (int i = 0; i < (1 << n); ++i) CHECK(p[static_cast<std::size_t>(i)] == rho(i, i).real());
    // Marginal over (qubit 3, qubit 1): entry m has bit 0 = qubit 3, bit 1 = qubit 1.
    const auto m = marginal_probabilities(dm, std::vector<int>{3, 1});
    std::vector<double> expect(4, 0.0);
    for (int i = 0; i < (1 << n); ++i)
        expect[static_cast<std::size_t>(((i >> 3) & 1) | (((i >> 1) & 1) << 1))] += rho(i, i).real();
    for (std::size_t j = 0; j < 4; ++j) CHECK(m[j] == Approx(expect[j]).margin(1e-15));
    CHECK(marginal_probabilities(dm, std::vector<int>{}).at(0) == Approx(1.0).margin(1e-14));
    CHECK_THROWS_AS(marginal_probabilities(dm, std::vector<int>{1, 1}), Error);
}

TEST_CASE("density: bad qubits and sizes are rejected", "[density]") {
    DensityMatrix rho(3);
    const Matrix x = gate_matrix(GateKind::X, {});
    const Matrix cx = gate_matrix(GateKind::CX, {});
    CHECK_THROWS_AS(apply_unitary(rho, x, std::vector<int>{3}), Error);
    CHECK_THROWS_AS(apply_unitary(rho, x, std::vector<int>{-1}), Error);
    CHECK_THROWS_AS(apply_unitary(rho, cx, std::vector<int>{1, 1}), Error);
    CHECK_THROWS_AS(apply_unitary(rho, cx, std::vector<int>{1}), Error);
    CHECK_THROWS_AS(apply_superop(rho, x, std::vector<int>{1}), Error);      // 2x2 is no superoperator
    CHECK_THROWS_AS(apply_superop(rho, cx, std::vector<int>{0, 1}), Error);  // 4x4 acts on one qubit
    CHECK_THROWS_AS(apply_kraus(rho, KrausSet{}, std::vector<int>{1}), Error);
    CHECK_THROWS_AS(apply_kraus(rho, KrausSet{x, cx}, std::vector<int>{1}), Error);
    CHECK(rho == DensityMatrix(3));  // nothing was half-applied
}

TEST_CASE("density: the after-op hook applies per-gate noise", "[density]") {
    std::mt19937_64 rng(81);
    const Circuit c = test::random_circuit(4, 40, rng);
    const auto theta = test::random_angles(c.n_trainable, rng);
    const auto x = test::random_angles(c.n_inputs, rng);
    const Matrix s1 = superop_from_kraus(kraus_tensor(depolarizing_kraus(0.01, 1), amplitude_damping_kraus(0.02)));
    const KrausSet k1 = kraus_tensor(depolarizing_kraus(0.01, 1), amplitude_damping_kraus(0.02));
    std::size_t calls = 0;
    const DensityMatrix noisy = simulate_density(c, theta, x, [&](DensityMatrix& rho, const Op& op, std::size_t index) {
        CHECK(index == calls++);
        const int k = gate_info(op.kind).n_qubits;
        if (k == 1) return;
        apply_superop(rho, s1, std::vector<int>{op.qubits[0], op.qubits[1]});
    });
    CHECK(calls == c.ops.size());
    // The same by hand with the dense reference.
    Matrix ref = DensityMatrix(4).to_matrix();
    for (const Op& op : c.ops) {
        const Matrix u = test::op_unitary(op, 4, theta, x);
        ref = u * ref * u.adjoint();
        if (gate_info(op.kind).n_qubits > 1) ref = dense_channel(ref, k1, {op.qubits[0], op.qubits[1]}, 4);
    }
    CHECK(max_diff(noisy.to_matrix(), ref) < 1e-12);
    CHECK(purity(noisy) < 0.99);
}

TEST_CASE("density: gate plus error, fused or not, equals apply_op then apply_superop", "[density]") {
    std::mt19937_64 rng(85);
    const int n = 4;
    // Per arity: a sparse device-like error and a dense random one.
    const Matrix dev1 = compose_channels(superop_from_kraus(depolarizing_kraus(0.03, 1)),
                                         superop_from_kraus(amplitude_damping_kraus(0.02)));
    const Matrix dev2 = compose_channels(superop_from_kraus(depolarizing_kraus(0.05, 2)),
                                         superop_tensor(superop_from_kraus(amplitude_damping_kraus(0.02)),
                                                        superop_from_kraus(phase_damping_kraus(0.1))));
    const std::vector<std::vector<Matrix>> errors{
        {dev1, superop_from_kraus(random_channel(1, 2, rng))},
        {dev2, superop_from_kraus(random_channel(2, 3, rng))},
        {superop_tensor(dev2, dev1), superop_from_kraus(random_channel(3, 2, rng))}};
    for (const GateInfo& g : gate_table())
        for (const Matrix& err : errors[static_cast<std::size_t>(g.n_qubits - 1)]) {
            Op op;
            op.kind = g.kind;
            const auto qubits = random_qubits(g.n_qubits, n, rng);
            std::copy(qubits.begin(), qubits.end(), op.qubits.begin());
            const auto angles = test::random_angles(g.n_params, rng);
            for (int j = 0; j < g.n_params; ++j)
                op.params[static_cast<std::size_t>(j)] = Param::constant(angles[static_cast<std::size_t>(j)]);
            const Matrix rho = random_rho(n, rng);
            DensityMatrix fused = DensityMatrix::from_matrix(rho), seq = fused, none = fused;
            apply_op_with_error(fused, op, {}, {}, &err);
            apply_op(seq, op);
            apply_superop(seq, err, qubits);
            INFO(g.name);
            CHECK(max_diff(fused.to_matrix(), seq.to_matrix()) < 1e-12);
            apply_op_with_error(none, op, {}, {}, nullptr);
            apply_op(seq = DensityMatrix::from_matrix(rho), op);
            CHECK(none == seq);
        }
    Op cx;
    cx.kind = GateKind::CX;
    cx.qubits = {0, 1, 0};
    DensityMatrix rho(2);
    CHECK_THROWS_AS(apply_op_with_error(rho, cx, {}, {}, &dev1), Error);

    // The whole noisy circuit against the hook-based path.
    const Circuit c = test::random_circuit(5, 60, rng);
    const auto theta = test::random_angles(c.n_trainable, rng);
    const auto x = test::random_angles(c.n_inputs, rng);
    const auto pick = [&](const Op& op, std::size_t index) -> const Matrix* {
        if (index % 5 == 4) return nullptr;
        return &errors[static_cast<std::size_t>(gate_info(op.kind).n_qubits - 1)][index % 2];
    };
    const DensityMatrix noisy = simulate_noisy_density(c, theta, x, pick);
    const DensityMatrix hooked = simulate_density(c, theta, x, [&](DensityMatrix& r, const Op& op, std::size_t i) {
        if (const Matrix* e = pick(op, i))
            apply_superop(
                r, *e, std::span<const int>(op.qubits.data(), static_cast<std::size_t>(gate_info(op.kind).n_qubits)));
    });
    CHECK(max_diff(noisy.to_matrix(), hooked.to_matrix()) < 1e-12);
    CHECK(std::abs(trace(noisy) - 1.0) < 1e-12);
    CHECK(purity(noisy) < 0.9);
}
