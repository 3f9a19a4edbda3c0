// Translation + peephole optimisation of the U3+CU3 design space's 4-qubit × 8-block circuit
// (u3 on every qubit, then cu3 on the ring (0,1), (1,2), (2,3), (3,0), per block). Counters:
// 2-qubit gate count and depth of the translated circuit before and after optimisation
// (before layout and routing: gates stay on their logical qubits).
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "noise/basis.h"
#include "noise/optimize.h"
#include "sim/circuit.h"

namespace {

using namespace qnas;

sim::Circuit u3cu3(int n, int blocks, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> ang(-3.14, 3.14);
    sim::Circuit c(n);
    auto p = [&] { return sim::Param::constant(ang(rng)); };
    for (int b = 0; b < blocks; ++b) {
        for (int q = 0; q < n; ++q) c.add(sim::GateKind::U3, {q}, {p(), p(), p()});
        for (int q = 0; q < n; ++q) c.add(sim::GateKind::CU3, {q, (q + 1) % n}, {p(), p(), p()});
    }
    return c;
}

void run(benchmark::State& state, const noise::Basis& basis) {
    std::mt19937_64 rng(1);
    const auto c = u3cu3(4, 8, rng);
    sim::Circuit t, o;
    for (auto _ : state) {
        t = noise::translate_to_basis(c, basis);
        o = noise::optimize(t, basis);
        benchmark::DoNotOptimize(o.ops.data());
    }
    state.counters["ops_in"] = static_cast<double>(c.ops.size());
    state.counters["2q_translated"] = noise::two_qubit_count(t);
    state.counters["2q_optimized"] = noise::two_qubit_count(o);
    state.counters["depth_translated"] = noise::depth(t);
    state.counters["depth_optimized"] = noise::depth(o);
    state.counters["ops_translated"] = static_cast<double>(t.ops.size());
    state.counters["ops_optimized"] = static_cast<double>(o.ops.size());
}

void BM_compile_u3cu3_cx(benchmark::State& s) { run(s, noise::Basis::ibm_cx()); }
void BM_compile_u3cu3_ecr(benchmark::State& s) { run(s, noise::Basis::ibm_ecr()); }
BENCHMARK(BM_compile_u3cu3_cx)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_compile_u3cu3_ecr)->Unit(benchmark::kMicrosecond);

}  // namespace
