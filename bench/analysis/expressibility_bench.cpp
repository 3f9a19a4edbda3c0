// Expressibility of a 4-qubit, 3-layer Sim19 circuit (6: 84 trainables, 36 CRX; 13: 48
// trainables, 24 CRZ) with the default estimator: 5000 pairs (10 000 states), 75 bins, 200
// bootstrap resamples, Haar floor. Rows: BM_Expressibility/circuit/threads (threads 0 = all).
// Also the entangling capability of the same circuits (5000 states) for comparison.
#include <benchmark/benchmark.h>

#include "analysis/entanglement.h"
#include "analysis/expressibility.h"
#include "analysis/reference_circuits.h"

using namespace qnas;

namespace {

void BM_Expressibility(benchmark::State& state) {
    const sim::Circuit c = analysis::sim19_circuit(static_cast<int>(state.range(0)), 3);
    analysis::ExpressibilityOptions o;
    o.parallelism = qnas::Parallelism{static_cast<int>(state.range(1))};
    double kl = 0.0;
    for (auto _ : state) {
        // No benchmark::DoNotOptimize(kl) here: with this GCC and libbenchmark it made the counters
        // report garbage (0, 1, denormals); the out-of-line call cannot be elided anyway.
        kl = analysis::expressibility(c, o).kl;
    }
    state.counters["expr"] = kl;
    state.counters["threads"] = qnas::thread_count(o.parallelism);
}

void BM_EntanglingCapability(benchmark::State& state) {
    const sim::Circuit c = analysis::sim19_circuit(static_cast<int>(state.range(0)), 3);
    analysis::EntanglementOptions o;
    o.parallelism = qnas::Parallelism{static_cast<int>(state.range(1))};
    double ent = 0.0;
    for (auto _ : state) {
        ent = analysis::entangling_capability(c, o).mean;
    }
    state.counters["ent"] = ent;
    state.counters["threads"] = qnas::thread_count(o.parallelism);
}

}  // namespace

BENCHMARK(BM_Expressibility)
    ->ArgNames({"circuit", "threads"})
    ->Args({6, 1})
    ->Args({6, 0})
    ->Args({13, 1})
    ->Args({13, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_EntanglingCapability)
    ->ArgNames({"circuit", "threads"})
    ->Args({6, 1})
    ->Args({13, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
