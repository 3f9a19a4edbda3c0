// One SuperCircuit training step (quantumnas.md §2): 4 qubits, 4x4_ryzxy encoder, U3+CU3 with 8
// blocks, batch 256, a random (plain-sampled) SubCircuit per iteration: adjoint value_and_grad of
// the NLL loss + Adam on the active weights (supercircuit::train_step, the trainer's own step).
// "warm": the SubCircuits' programs are compiled beforehand (the trainer's cache hit); "cold":
// each iteration builds and compiles its SubCircuit too (a cache miss). The counter
// `x_vs_TQ` = TorchQuantum's 15.5 ms median step (torchquantum_cpu.md §6, 1 thread) / ours.
#include <vector>

#include <benchmark/benchmark.h>

#include "sim/batch_simulator.h"
#include "supercircuit/design_space.h"
#include "supercircuit/encoder.h"
#include "supercircuit/rng.h"
#include "supercircuit/sampler.h"
#include "supercircuit/trainer.h"

namespace {

using namespace qnas::supercircuit;
constexpr double kTorchQuantumStepSeconds = 15.5e-3;
constexpr int kBatch = 256;

struct Fixture {
    DesignSpace space = design_space("u3cu3", 4, 8);
    Encoder encoder = encoder_by_name("4x4_ryzxy");
    std::vector<double> x, weights, grad;
    std::vector<int> labels;
    std::vector<char> hit = std::vector<char>(kBatch);
    std::vector<std::vector<int>> groups = {{0}, {1}, {2}, {3}};
    AdamState adam;
    ArchSampler sampler;

    Fixture() {
        CounterRng r = rng_stream(1, RngDomain::Init, 7);
        for (int i = 0; i < kBatch * 16; ++i) x.push_back(-0.42 + 3.2 * uniform_double(r));
        for (int i = 0; i < kBatch; ++i) labels.push_back(static_cast<int>(uniform_index(r, 4)));
        weights = initial_weights(n_weights(space), 3);
        grad.assign(weights.size(), 0.0);
        adam = adam_init(weights.size());
        sampler = make_sampler(arch_choices(space), {}, 5, 1);
    }
    qnas::sim::BatchProgram compile(const std::vector<int>& arch) const {
        qnas::sim::Circuit c = prepend_encoder(encoder, build_subcircuit(space, arch));
        c.n_trainable = static_cast<int>(weights.size());
        return qnas::sim::BatchProgram::compile(c);
    }
    double step(const qnas::sim::BatchProgram& p, const std::vector<int>& active, int threads) {
        return train_step(p, active, x, labels, groups, weights, adam, 1e-3, AdamOptions{0.9, 0.999, 1e-8, 1e-4}, grad,
                          hit, {threads, nullptr, qnas::sim::SimdVariant::Auto});
    }
};

void report(benchmark::State& state) {
    state.counters["x_vs_TQ"] =
        benchmark::Counter(kTorchQuantumStepSeconds, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_SuperCircuitStepWarm(benchmark::State& state) {
    Fixture f;
    const int threads = static_cast<int>(state.range(0));
    struct Entry {
        qnas::sim::BatchProgram program;
        std::vector<int> active;
    };
    std::vector<Entry> cache;
    for (int i = 0; i < 512; ++i) {
        const std::vector<int> arch = sample_arch(f.sampler);
        cache.push_back({f.compile(arch), active_weights(f.space, arch)});
    }
    std::size_t i = 0;
    for (auto _ : state) {
        const Entry& e = cache[i++ % cache.size()];
        benchmark::DoNotOptimize(f.step(e.program, e.active, threads));
    }
    report(state);
}

void BM_SuperCircuitStepCold(benchmark::State& state) {
    Fixture f;
    const int threads = static_cast<int>(state.range(0));
    for (auto _ : state) {
        const std::vector<int> arch = sample_arch(f.sampler);
        const qnas::sim::BatchProgram p = f.compile(arch);
        benchmark::DoNotOptimize(f.step(p, active_weights(f.space, arch), threads));
    }
    report(state);
}

void BM_SubCircuitCompile(benchmark::State& state) {
    Fixture f;
    for (auto _ : state) benchmark::DoNotOptimize(f.compile(sample_arch(f.sampler)));
}

// Fixed full-block circuits (TorchQuantum's U3CU3Layer0): fwd+bwd 10.8 / 17.9 ms at 2 / 4 blocks.
void BM_FullBlocksStep(benchmark::State& state) {
    Fixture f;
    const int blocks = static_cast<int>(state.range(0));
    std::vector<int> arch = largest_arch(f.space);
    arch.back() = blocks;
    const qnas::sim::BatchProgram p = f.compile(arch);
    const std::vector<int> active = active_weights(f.space, arch);
    for (auto _ : state) benchmark::DoNotOptimize(f.step(p, active, 1));
}

}  // namespace

BENCHMARK(BM_SuperCircuitStepWarm)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SuperCircuitStepCold)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SubCircuitCompile)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FullBlocksStep)->Arg(2)->Arg(4)->Arg(8)->Unit(benchmark::kMicrosecond);
