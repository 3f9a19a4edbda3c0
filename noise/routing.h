// SABRE swap routing (Li, Ding, Xie, ASPLOS 2019, "Tackling the qubit mapping problem for NISQ-era
// quantum devices"), as published and as Qiskit's SabreSwap implements it: a front layer of the
// circuit's dependency DAG; gates whose qubits are adjacent are executed; otherwise every SWAP on
// an edge touching a front-layer qubit is scored with the lookahead heuristic
//   H = max(decay(a), decay(b)) · ( (1/|F|)·Σ_F D + W·(1/|E|)·Σ_E D )
// (F front layer, E extended set of the next gates, D hop distance under the trial layout), the best
// is applied (ties broken by the seeded RNG), decay grows for swapped qubits and resets every few
// swaps or when a gate executes. A release valve (as Qiskit's: after 10·n_physical swaps without
// executing a gate) brings the front gate whose qubits are closest together into contact along a
// shortest path, so routing always terminates. Several seeded trials run and the one
// with the fewest swaps is kept (ties: lowest trial index), so the result is deterministic for a
// seed and independent of the thread count.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "noise/layout.h"
#include "sim/circuit.h"

namespace qnas::noise {

struct RoutingOptions {
    std::uint64_t seed = 42;
    int trials = 8;                    // independent seeded trials, best kept
    int extended_set_size = 20;        // |E|
    double extended_set_weight = 0.5;  // W
    double decay_delta = 0.001;        // decay increment per swap on a qubit
    int decay_reset = 5;               // decay values reset after this many swaps
};

struct Routed {
    // On the device's physical qubits (n_qubits = graph.n_qubits): the input's ops with qubits mapped,
    // plus SWAP ops, every 2-qubit op on a coupled pair (either direction). Measurements are not
    // copied (compile() maps them through final_layout).
    sim::Circuit circuit;
    std::vector<int> initial_layout;  // logical → physical before the first op
    std::vector<int> final_layout;    // logical → physical after the last op
    int n_swaps = 0;
};

// What one routing did, without building the output circuit (cheap enough for a layout search
// that routes many candidates): per executed op the input op's index (−1 for an inserted swap) and
// the physical qubits it ran on (p1 = p0 for 1-qubit ops), in output order.
struct RoutedStep {
    int op;
    int p0, p1;
};
struct RoutingTrace {
    std::vector<RoutedStep> steps;
    std::vector<int> final_layout;
    int n_swaps = 0;
};

// Routes a circuit of 1- and 2-qubit ops (constant or symbolic angles; wider ops throw qnas::Error)
// under `initial_layout` (validated). Logical qubits beyond those of the circuit do not exist:
// only the n_logical physical qubits of the layout carry logical state, the rest are ancillas the
// swaps may move through.
Routed sabre_route(const sim::Circuit& logical, const CouplingGraph& graph, std::span<const int> initial_layout,
                   const RoutingOptions& options = {});
// The same routing (same checks, same result) as a trace.
RoutingTrace sabre_trace(const sim::Circuit& logical, const CouplingGraph& graph, std::span<const int> initial_layout,
                         const RoutingOptions& options = {});

}  // namespace qnas::noise
