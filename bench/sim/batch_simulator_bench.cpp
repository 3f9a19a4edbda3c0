// Per-sample cost of the batched simulator on the QuantumNAS U3+CU3 design (encoder 4x4_ryzxy /
// its 10-qubit generalisation, B blocks of [u3 on every wire, cu3 ring], ⟨Z_q⟩ → log_softmax →
// NLL), batch 256: forward and forward+backward (adjoint), at 1 thread and at all threads. Each
// row reports us_per_sample and the speed-up over a naive reference measured in the same run: the
// reference single-state simulator (statevector.h, one Eigen matrix per gate) with a plain unfused
// adjoint (per angle: apply ∂U to a copy, one inner product). Rows: BM_<what>/<qubits>/<blocks>/<threads>.
#include <chrono>
#include <ctime>
#include <map>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "sim/adjoint.h"
#include "sim/batch_simulator.h"
#include "sim/statevector.h"

using namespace qnas::sim;

namespace {

constexpr std::int64_t kBatch = 256;

Circuit u3cu3_circuit(int n, int blocks) {
    Circuit c(n);
    c.n_inputs = 16;
    if (n == 4) {
        const GateKind enc[4] = {GateKind::RY, GateKind::RZ, GateKind::RX, GateKind::RY};
        for (int k = 0; k < 16; ++k) c.add(enc[k / 4], {k % 4}, {Param::input(k)});
    } else {  // RY on wires 0..n−1 for the first n features, then RZ on wires 0.. for the rest
        for (int k = 0; k < 16; ++k) c.add(k < n ? GateKind::RY : GateKind::RZ, {k % n}, {Param::input(k)});
    }
    int t = 0;
    for (int b = 0; b < blocks; ++b) {
        for (int q = 0; q < n; ++q)
            c.add(GateKind::U3, {q}, {Param::trainable(t), Param::trainable(t + 1), Param::trainable(t + 2)}), t += 3;
        for (int q = 0; q < n; ++q)
            c.add(GateKind::CU3, {q, (q + 1) % n},
                  {Param::trainable(t), Param::trainable(t + 1), Param::trainable(t + 2)}),
                t += 3;
    }
    return c;
}

struct Workload {
    Circuit circuit;
    BatchProgram program;
    std::vector<double> theta, X;
    std::vector<int> labels;
};

const Workload& workload(int n, int blocks) {
    static std::map<std::pair<int, int>, Workload> cache;
    auto it = cache.find({n, blocks});
    if (it != cache.end()) return it->second;
    Workload w;
    w.circuit = u3cu3_circuit(n, blocks);
    w.program = BatchProgram::compile(w.circuit);
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> ang(-3.14159, 3.14159), feat(0.0, 3.14159);
    for (int i = 0; i < w.circuit.n_trainable; ++i) w.theta.push_back(ang(rng));
    for (std::int64_t i = 0; i < kBatch * 16; ++i) w.X.push_back(feat(rng));
    for (std::int64_t b = 0; b < kBatch; ++b) w.labels.push_back(static_cast<int>(rng() % static_cast<unsigned>(n)));
    return cache.emplace(std::make_pair(n, blocks), std::move(w)).first->second;
}

// ---- naive reference: single-state simulator + plain adjoint -------------------------------------

std::vector<int> op_qubits(const Op& op) {
    return {op.qubits.begin(), op.qubits.begin() + gate_info(op.kind).n_qubits};
}

double naive_sample(const Workload& w, std::int64_t b, bool backward, std::vector<double>& grad) {
    const Circuit& c = w.circuit;
    const std::span<const double> x(w.X.data() + b * 16, 16);
    State psi = simulate(c, w.theta, x);
    const int n = c.n_qubits;
    std::vector<double> e(static_cast<std::size_t>(n)), d(e.size());
    for (int q = 0; q < n; ++q) e[static_cast<std::size_t>(q)] = expectation(psi, PauliTerm::z_on(q));
    const double loss = nll_log_softmax(e, w.labels[static_cast<std::size_t>(b)], d);
    if (!backward) return loss;
    State bs(psi.size(), cplx{0.0, 0.0});
    for (int q = 0; q < n; ++q) {
        const State zp = apply_pauli(psi, PauliTerm::z_on(q, d[static_cast<std::size_t>(q)]));
        for (std::size_t i = 0; i < bs.size(); ++i) bs[i] += zp[i];
    }
    for (std::size_t k = c.ops.size(); k-- > 0;) {
        const Op& op = c.ops[k];
        const GateInfo& g = gate_info(op.kind);
        const auto a = resolve_angles(op, w.theta, x);
        const Matrix udg = g.matrix(a).adjoint();
        const auto qs = op_qubits(op);
        apply_matrix(psi, udg, qs);
        for (int j = 0; j < g.n_params; ++j) {
            const Param& p = op.params[static_cast<std::size_t>(j)];
            if (p.source != Param::Source::Trainable) continue;
            State mu = psi;
            apply_matrix(mu, g.derivative(a, j), qs);
            cplx ip{0.0, 0.0};
            for (std::size_t i = 0; i < mu.size(); ++i) ip += std::conj(bs[i]) * mu[i];
            grad[static_cast<std::size_t>(p.index)] += p.scale * 2.0 * ip.real();
        }
        apply_matrix(bs, udg, qs);
    }
    return loss;
}

// µs per sample of the naive reference, measured once per configuration in this process.
double naive_us(int n, int blocks, bool backward) {
    static std::map<std::tuple<int, int, bool>, double> cache;
    auto it = cache.find({n, blocks, backward});
    if (it != cache.end()) return it->second;
    const Workload& w = workload(n, blocks);
    std::vector<double> grad(static_cast<std::size_t>(w.circuit.n_trainable), 0.0);
    const std::int64_t samples = n <= 4 ? 256 : 16;
    double best = 1e300;
    for (int rep = 0; rep < 3; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        double acc = 0.0;
        for (std::int64_t b = 0; b < samples; ++b) acc += naive_sample(w, b, backward, grad);
        benchmark::DoNotOptimize(acc);
        const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
        best = std::min(best, us / static_cast<double>(samples));
    }
    return cache[{n, blocks, backward}] = best;
}

// CPU time of the calling thread: robust to other jobs on a shared machine, and equal to the wall
// time at 1 thread when the machine is quiet (meaningless with more threads).
double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Wall and thread-CPU time of the timed calls only.
struct Timer {
    double wall = 0.0, cpu = 0.0;
    std::chrono::steady_clock::time_point t0;
    double c0 = 0.0;
    void start() {
        c0 = thread_cpu_seconds();
        t0 = std::chrono::steady_clock::now();
    }
    void stop() {
        wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        cpu += thread_cpu_seconds() - c0;
    }
};

void report(benchmark::State& state, const Timer& t, std::int64_t samples, double reference_us) {
    const double us = t.wall * 1e6 / static_cast<double>(samples);
    state.counters["us_per_sample"] = us;
    state.counters["cpu_us_per_sample"] = t.cpu * 1e6 / static_cast<double>(samples);
    state.counters["naive_us_per_sample"] = reference_us;
    state.counters["speedup"] = reference_us / us;
    state.counters["simd"] = static_cast<double>(best_simd_variant());
}

void BM_Forward(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0)), blocks = static_cast<int>(state.range(1));
    const Workload& w = workload(n, blocks);
    BatchOptions opts;
    opts.n_threads = static_cast<int>(state.range(2));
    const double ref = naive_us(n, blocks, false);
    Timer timer;
    std::int64_t samples = 0;
    for (auto _ : state) {
        timer.start();
        Eigen::MatrixXd e = batch_expectations(w.program, w.theta, w.X, kBatch, opts);
        benchmark::DoNotOptimize(e.data());
        timer.stop();
        samples += kBatch;
    }
    report(state, timer, samples, ref);
}

void fwd_bwd(benchmark::State& state, const BatchOptions& opts) {
    const int n = static_cast<int>(state.range(0)), blocks = static_cast<int>(state.range(1));
    const Workload& w = workload(n, blocks);
    const double ref = naive_us(n, blocks, true);
    const SampleLoss loss = nll_log_softmax_loss(w.labels, 1.0 / kBatch);
    std::vector<double> grad(static_cast<std::size_t>(w.circuit.n_trainable));
    Timer timer;
    std::int64_t samples = 0;
    for (auto _ : state) {
        timer.start();
        const double l = value_and_grad(w.program, w.theta, w.X, kBatch, loss, grad, opts);
        benchmark::DoNotOptimize(l);
        benchmark::DoNotOptimize(grad.data());
        timer.stop();
        samples += kBatch;
    }
    report(state, timer, samples, ref);
}

void BM_ForwardBackward(benchmark::State& state) {
    BatchOptions opts;
    opts.n_threads = static_cast<int>(state.range(2));
    fwd_bwd(state, opts);
}

// Forward+backward at 1 thread for each compiled SIMD variant the CPU supports (0 baseline,
// 1 AVX2+FMA, 2 AVX-512): shows which one runs and what it buys.
void BM_ForwardBackwardSimd(benchmark::State& state) {
    BatchOptions opts;
    opts.n_threads = 1;
    opts.simd = static_cast<SimdVariant>(state.range(2) + 1);
    if (opts.simd > best_simd_variant()) {
        state.SkipWithError("SIMD variant not supported by this CPU");
        return;
    }
    fwd_bwd(state, opts);
}

// The naive reference on its own rows (fewer samples at 10 qubits; reported per sample).
void BM_NaiveReference(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0)), blocks = static_cast<int>(state.range(1));
    const bool backward = state.range(2) != 0;
    const Workload& w = workload(n, blocks);
    std::vector<double> grad(static_cast<std::size_t>(w.circuit.n_trainable), 0.0);
    std::int64_t b = 0, samples = 0;
    Timer timer;
    for (auto _ : state) {
        timer.start();
        benchmark::DoNotOptimize(naive_sample(w, b, backward, grad));
        timer.stop();
        b = (b + 1) % kBatch;
        ++samples;
    }
    state.counters["us_per_sample"] = timer.wall * 1e6 / static_cast<double>(samples);
    state.counters["cpu_us_per_sample"] = timer.cpu * 1e6 / static_cast<double>(samples);
}

void configs(benchmark::internal::Benchmark* b) {
    b->ArgNames({"qubits", "blocks", "threads"});
    for (int n : {4, 10})
        for (int blocks : {2, 4})
            for (int threads : {1, 0}) b->Args({n, blocks, threads});
    b->Unit(benchmark::kMicrosecond)->MinTime(0.5);
}

}  // namespace

BENCHMARK(BM_Forward)->Apply(configs);
BENCHMARK(BM_ForwardBackward)->Apply(configs);
BENCHMARK(BM_ForwardBackwardSimd)
    ->ArgNames({"qubits", "blocks", "simd"})
    ->ArgsProduct({{4, 10}, {2, 4}, {0, 1, 2}})
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(0.5);
BENCHMARK(BM_NaiveReference)
    ->ArgNames({"qubits", "blocks", "backward"})
    ->ArgsProduct({{4, 10}, {2, 4}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);
