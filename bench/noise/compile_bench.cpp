// Compilation benchmarks.
//
// BM_compile_u3cu3_{cx,ecr}: translation + peephole optimisation of the U3+CU3 design space's
// 4-qubit × 8-block circuit (u3 on every qubit, then cu3 on the ring (0,1), (1,2), (2,3), (3,0),
// per block), before layout and routing: gates stay on their logical qubits. Counters: 2-qubit
// gate count and depth of the translated circuit before and after optimisation.
//
// BM_compile/<circuit>/<device>/<layout>: the full compile() (translate to {1q, cx}, layout, SABRE,
// lowering to the native gate in supported directions, optimisation) of every design space's
// largest circuit and of U3+CU3 4q × {2, 4, 8} blocks, on quito (5 qubits, T-shaped, cx) and
// brisbane (127 qubits, heavy hex, one-way ecr), with the given layout 0,1,2,3 and with the
// noise-aware layout. Counters: 2q_before / depth_before (the {1q, cx} translation, before
// routing), 2q_after / depth_after (compiled), swaps (SABRE), greedy_swaps (reference router
// below, same initial layout as SABRE ended up using), sabre_over_greedy (swap ratio) and success
// (QuantumNAS's estimate: product of calibrated gate fidelities times the measured qubits' readout
// fidelities — what the noise-aware layout maximises, rather than the swap count).
//
// The reference router: go through the ops in order; when a 2-qubit op's qubits are not adjacent,
// swap its first qubit along a shortest path (lowest-numbered next hop) until they are.
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "noise/basis.h"
#include "noise/calibration.h"
#include "noise/compile.h"
#include "noise/design_spaces.h"
#include "noise/layout.h"
#include "noise/noise_model.h"
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

// ---- Full compile() and the greedy reference router.

const noise::Device& device(const std::string& name) {
    static std::map<std::string, noise::Device> cache;
    auto it = cache.find(name);
    if (it == cache.end()) {
        const char* root = std::getenv("QNAS_SOURCE_DIR");
        const std::string data = root ? std::string(root).append("/data") : noise::default_data_dir();
        it = cache.emplace(name, noise::load_device(name, data)).first;
    }
    return it->second;
}

int greedy_swaps(const sim::Circuit& translated, const noise::CouplingGraph& g, std::vector<int> l2p) {
    std::vector<int> p2l(static_cast<std::size_t>(g.n_qubits), -1);
    for (std::size_t l = 0; l < l2p.size(); ++l) p2l[static_cast<std::size_t>(l2p[l])] = static_cast<int>(l);
    auto d = [&](int a, int b) { return g.distance[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)]; };
    int swaps = 0;
    for (const auto& op : translated.ops) {
        if (sim::gate_info(op.kind).n_qubits != 2) continue;
        const int target = l2p[static_cast<std::size_t>(op.qubits[1])];
        while (d(l2p[static_cast<std::size_t>(op.qubits[0])], target) > 1) {
            const int u = l2p[static_cast<std::size_t>(op.qubits[0])];
            int next = -1;
            for (int v : g.neighbours[static_cast<std::size_t>(u)])
                if (d(v, target) == d(u, target) - 1) {
                    next = v;
                    break;
                }
            const int lu = p2l[static_cast<std::size_t>(u)], lv = p2l[static_cast<std::size_t>(next)];
            std::swap(p2l[static_cast<std::size_t>(u)], p2l[static_cast<std::size_t>(next)]);
            if (lu >= 0) l2p[static_cast<std::size_t>(lu)] = next;
            if (lv >= 0) l2p[static_cast<std::size_t>(lv)] = u;
            ++swaps;
        }
    }
    return swaps;
}

void full_compile(benchmark::State& state, const sim::Circuit& c, const std::string& dev_name, bool noise_aware) {
    const auto& dev = device(dev_name);
    noise::CompileOptions opts;
    if (!noise_aware) opts.layout = std::vector<int>{0, 1, 2, 3};
    noise::CompiledCircuit cc;
    for (auto _ : state) {
        cc = noise::compile(c, dev, opts);
        benchmark::DoNotOptimize(cc.circuit.ops.data());
    }
    const auto basis = noise::Basis::from_names(dev.basis_gates);
    const auto translated = noise::translate(c, noise::Basis{basis.has_x, sim::GateKind::CX}).circuit;
    const int greedy = greedy_swaps(translated, noise::coupling_graph(dev), cc.initial_layout);
    state.counters["2q_before"] = cc.two_qubit_before;
    state.counters["depth_before"] = cc.depth_before;
    state.counters["2q_after"] = noise::two_qubit_count(cc.circuit);
    state.counters["depth_after"] = noise::depth(cc.circuit);
    state.counters["swaps"] = cc.n_swaps;
    state.counters["greedy_swaps"] = greedy;
    double success = noise::success_rate(dev, cc.circuit);
    for (const auto& m : cc.circuit.measures)
        success *= 1.0 - dev.qubits[static_cast<std::size_t>(m.qubit)].readout_error;
    state.counters["success"] = success;
    state.counters["sabre_over_greedy"] = greedy > 0 ? static_cast<double>(cc.n_swaps) / greedy : 1.0;
}

const bool kRegistered = [] {
    std::mt19937_64 rng(7);
    std::vector<test::NamedCircuit> circuits = test::design_space_circuits(4, rng);
    for (int blocks : {2, 4}) {
        auto extra = test::design_space_circuits(4, rng, blocks).front();
        extra.name = "u3cu3_" + std::to_string(blocks) + "blk";
        circuits.push_back(extra);
    }
    circuits.front().name = "u3cu3_8blk";
    for (const auto& nc : circuits)
        for (const char* dev : {"quito", "brisbane"})
            for (bool aware : {false, true}) {
                const std::string name = std::string("BM_compile/")
                                             .append(nc.name)
                                             .append("/")
                                             .append(dev)
                                             .append(aware ? "/noise_aware" : "/layout_0123");
                benchmark::RegisterBenchmark(name.c_str(), [c = nc.circuit, d = std::string(dev),
                                                            aware](benchmark::State& s) {
                    full_compile(s, c, d, aware);
                })->Unit(benchmark::kMicrosecond);
            }
    return true;
}();

}  // namespace
