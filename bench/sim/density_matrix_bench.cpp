// Density-matrix simulator benchmarks: a noisy circuit (a 1- or 2-qubit error channel after each
// gate, as noise/ runs it) against a naive dense reference measured in the same run, plus the
// single-pass kernels. Counters: `speedup_vs_dense` = dense time / kernel time per circuit.
#include <chrono>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "sim/channels.h"
#include "sim/density_matrix.h"
#include "sim/reference.h"

namespace {

using namespace qnas;
using namespace qnas::sim;

constexpr int kGates = 100;

// Thermal relaxation (closed-form Kraus set, noise_models.md §3.2) for a gate of length t.
KrausSet relaxation(double t, double t1, double t2) {
    const double p = 1.0 - std::exp(-t / t1), c = std::exp(-t / t2);
    Matrix k0 = Matrix::Zero(2, 2), k1 = Matrix::Zero(2, 2), k2 = Matrix::Zero(2, 2);
    k0(0, 0) = 1.0;
    k0(1, 1) = c;
    k1(1, 1) = std::sqrt(1.0 - p - c * c);
    k2(0, 1) = std::sqrt(p);
    return {k0, k1, k2};
}

// A device-like circuit: `kGates` gates from the whole table, each followed by its error
// (depolarizing then relaxation; 2-qubit for 2- and 3-qubit gates, on the first two operands,
// plus a 1-qubit error on a third operand).
struct NoisyCircuit {
    Circuit circuit;
    std::vector<double> theta, x;
    Matrix err1, err2, err3;  // superoperators; err3 = err2 on operands 0, 1 and err1 on operand 2
    KrausSet kraus1, kraus2;
};

NoisyCircuit make_noisy_circuit(int n) {
    std::mt19937_64 rng(2024 + static_cast<unsigned>(n));
    NoisyCircuit nc;
    nc.circuit = test::random_circuit(n, kGates, rng);
    nc.theta = test::random_angles(nc.circuit.n_trainable, rng);
    nc.x = test::random_angles(nc.circuit.n_inputs, rng);
    const Matrix relax1 = superop_from_kraus(relaxation(35.6, 48000.0, 23000.0));
    const Matrix relax2 = superop_tensor(superop_from_kraus(relaxation(440.9, 48000.0, 23000.0)),
                                         superop_from_kraus(relaxation(440.9, 43000.0, 24500.0)));
    nc.err1 = compose_channels(superop_from_kraus(depolarizing_kraus(1.3e-3, 1)), relax1);
    nc.err2 = compose_channels(superop_from_kraus(depolarizing_kraus(3.7e-3, 2)), relax2);
    nc.err3 = superop_tensor(nc.err2, nc.err1);
    nc.kraus1 = kraus_from_superop(nc.err1);
    nc.kraus2 = kraus_from_superop(nc.err2);
    return nc;
}

// What noise/ runs: each gate followed by its error, fused into one pass where cheaper.
DensityMatrix run_fast(const NoisyCircuit& nc) {
    return simulate_noisy_density(nc.circuit, nc.theta, nc.x, [&](const Op& op, std::size_t) {
        const int k = gate_info(op.kind).n_qubits;
        return k == 1 ? &nc.err1 : k == 2 ? &nc.err2 : &nc.err3;
    });
}

// The same with the error applied by a hook as separate superoperator passes (never fused).
DensityMatrix run_unfused(const NoisyCircuit& nc) {
    return simulate_density(nc.circuit, nc.theta, nc.x, [&](DensityMatrix& rho, const Op& op, std::size_t) {
        const int k = gate_info(op.kind).n_qubits;
        const Matrix& e = k == 1 ? nc.err1 : k == 2 ? nc.err2 : nc.err3;
        apply_superop(rho, e, std::span<const int>(op.qubits.data(), static_cast<std::size_t>(k)));
    });
}

// The naive reference: every gate and every Kraus operator expanded to 2^n × 2^n beforehand,
// then ρ ← U ρ U† and ρ ← Σ K ρ K† as dense Eigen products. Only the products are timed.
struct DenseCircuit {
    std::vector<Matrix> unitaries;
    std::vector<std::vector<Matrix>> channels;  // per gate: expanded Kraus operators
};

DenseCircuit make_dense(const NoisyCircuit& nc) {
    const int n = nc.circuit.n_qubits;
    DenseCircuit dc;
    for (const Op& op : nc.circuit.ops) {
        dc.unitaries.push_back(test::op_unitary(op, n, nc.theta, nc.x));
        std::vector<Matrix> ks;
        const int k = gate_info(op.kind).n_qubits;
        if (k == 1) {
            for (const Matrix& m : nc.kraus1) ks.push_back(test::expand(m, {op.qubits[0]}, n));
        } else {
            for (const Matrix& m : nc.kraus2) ks.push_back(test::expand(m, {op.qubits[0], op.qubits[1]}, n));
        }
        dc.channels.push_back(std::move(ks));
        if (k == 3) {  // the third operand's 1-qubit error as an extra identity "gate"
            dc.unitaries.push_back(Matrix::Identity(Eigen::Index{1} << n, Eigen::Index{1} << n));
            std::vector<Matrix> k3;
            for (const Matrix& m : nc.kraus1) k3.push_back(test::expand(m, {op.qubits[2]}, n));
            dc.channels.push_back(std::move(k3));
        }
    }
    return dc;
}

Matrix run_dense(const DenseCircuit& dc, int n) {
    Matrix rho = DensityMatrix(n).to_matrix();
    Matrix acc(rho.rows(), rho.cols());
    for (std::size_t g = 0; g < dc.unitaries.size(); ++g) {
        rho = dc.unitaries[g] * rho * dc.unitaries[g].adjoint();
        acc.setZero();
        for (const Matrix& k : dc.channels[g]) acc.noalias() += k * rho * k.adjoint();
        rho.swap(acc);
    }
    return rho;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Kernel time per circuit, with the dense reference timed in the same run for the ratio.
void BM_noisy_circuit(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    const NoisyCircuit nc = make_noisy_circuit(n);
    const DenseCircuit dc = make_dense(nc);
    // Best of a few dense runs (it is the slow side; its minimum is the fair reference).
    double dense = 1e30;
    for (int rep = 0; rep < 3; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(run_dense(dc, n));
        dense = std::min(dense, seconds_since(t0));
    }
    const double err = (run_dense(dc, n) - run_fast(nc).to_matrix()).cwiseAbs().maxCoeff();
    const auto t0 = std::chrono::steady_clock::now();
    for (auto _ : state) benchmark::DoNotOptimize(run_fast(nc));
    const double fast = seconds_since(t0) / static_cast<double>(state.iterations());
    state.counters["gates"] = static_cast<double>(nc.circuit.ops.size());
    state.counters["dense_ms"] = dense * 1e3;
    state.counters["speedup_vs_dense"] = dense / fast;
    state.counters["max_abs_diff"] = err;
}
BENCHMARK(BM_noisy_circuit)->DenseRange(3, 6)->Unit(benchmark::kMicrosecond);

void BM_noisy_circuit_unfused(benchmark::State& state) {
    const NoisyCircuit nc = make_noisy_circuit(static_cast<int>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(run_unfused(nc));
}
BENCHMARK(BM_noisy_circuit_unfused)->DenseRange(3, 6)->Unit(benchmark::kMicrosecond);

// Larger circuits, kernel only (dense is too slow to time there), serial and all threads.
void BM_noisy_circuit_large(benchmark::State& state) {
    const NoisyCircuit nc = make_noisy_circuit(static_cast<int>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(run_fast(nc));
    state.counters["gates"] = static_cast<double>(nc.circuit.ops.size());
}
BENCHMARK(BM_noisy_circuit_large)->DenseRange(7, 9)->Unit(benchmark::kMillisecond)->UseRealTime();

// The dense reference alone, for the table.
void BM_dense_reference(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    const NoisyCircuit nc = make_noisy_circuit(n);
    const DenseCircuit dc = make_dense(nc);
    for (auto _ : state) benchmark::DoNotOptimize(run_dense(dc, n));
}
BENCHMARK(BM_dense_reference)->DenseRange(3, 6)->Unit(benchmark::kMicrosecond);

// Single passes: entries processed per second. arg0 = n, arg1 = threads (0 = all, 1 = serial).
template <int Kind>
void BM_pass(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    const Parallelism par{static_cast<int>(state.range(1))};
    std::mt19937_64 rng(7);
    DensityMatrix rho(n);
    const Matrix u3 = gate_matrix(GateKind::U3, std::vector<double>{0.3, 0.2, 0.1});
    const Matrix rxx = gate_matrix(GateKind::RXX, std::vector<double>{0.4});
    const Matrix rz = gate_matrix(GateKind::RZ, std::vector<double>{0.4});
    const Matrix s2 = compose_channels(superop_from_unitary(rxx), superop_from_kraus(depolarizing_kraus(0.01, 2)));
    const Matrix device2 = make_noisy_circuit(2).err2;  // depolarizing ∘ relaxation: sparse
    const Matrix s1 = superop_from_kraus(amplitude_damping_kraus(0.01));
    const std::vector<int> q1{n / 2}, q2{n - 1, 0};
    for (auto _ : state) {
        if constexpr (Kind == 0) apply_unitary(rho, u3, q1, par);
        if constexpr (Kind == 1) apply_unitary(rho, rz, q1, par);
        if constexpr (Kind == 2) apply_unitary(rho, rxx, q2, par);
        if constexpr (Kind == 3) apply_superop(rho, s1, q1, par);
        if constexpr (Kind == 4) apply_superop(rho, s2, q2, par);
        if constexpr (Kind == 5) apply_superop(rho, device2, q2, par);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rho.data().size()));
}
void pass_args(benchmark::internal::Benchmark* b) {
    for (int n : {5, 7, 9}) b->Args({n, 1});
    for (int n : {7, 9}) b->Args({n, 0});
    b->UseRealTime();
}
BENCHMARK_TEMPLATE(BM_pass, 0)->Name("BM_pass_unitary_1q")->Apply(pass_args);
BENCHMARK_TEMPLATE(BM_pass, 1)->Name("BM_pass_diagonal_1q")->Apply(pass_args);
BENCHMARK_TEMPLATE(BM_pass, 2)->Name("BM_pass_unitary_2q")->Apply(pass_args);
BENCHMARK_TEMPLATE(BM_pass, 3)->Name("BM_pass_superop_1q")->Apply(pass_args);
BENCHMARK_TEMPLATE(BM_pass, 4)->Name("BM_pass_superop_2q_dense")->Apply(pass_args);
BENCHMARK_TEMPLATE(BM_pass, 5)->Name("BM_pass_superop_2q_device")->Apply(pass_args);

}  // namespace
