// Qubit layouts on a device: the coupling graph (undirected adjacency, native directions, hop
// distances), validation of a logical → physical layout, and a noise-aware layout heuristic for
// when the user (or the search gene) gives none. layout[l] = physical qubit of logical qubit l.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "noise/calibration.h"
#include "sim/circuit.h"

namespace qnas::noise {

struct RoutingOptions;  // routing.h

struct CouplingGraph {
    int n_qubits = 0;
    std::vector<std::vector<int>> neighbours;  // undirected, sorted ascending
    std::vector<std::vector<int>> distance;    // hop distance; -1 when unreachable
    std::vector<std::vector<bool>> native;     // native[a][b]: the 2-qubit basis gate exists on (a, b)

    bool coupled(int a, int b) const { return native[a][b] || native[b][a]; }
};

// From conf.json's coupling_map (both directions of an edge may be listed; a one-way edge is
// still routable, with direction fixing).
CouplingGraph coupling_graph(const Device& device);

// Throws qnas::Error ("layout: ...", naming the offending entry) when the layout does not have
// exactly n_logical entries, has a repeated or out-of-range physical qubit, or places the circuit on
// physical qubits that are not all in one connected component of the coupling graph.
void validate_layout(std::span<const int> layout, int n_logical, const Device& device, const CouplingGraph& graph);
// Same checks with "the device" in the messages (for callers that only hold the graph).
void validate_layout(std::span<const int> layout, int n_logical, const CouplingGraph& graph);

// Parses "0,1,2,3" (the CLI's --layout). Throws qnas::Error on anything else.
std::vector<int> parse_layout(const std::string& text);

// The identity layout 0..n-1 (checked like any other layout).
std::vector<int> trivial_layout(int n_logical);

// A noise-aware layout for `logical` (2-qubit interactions drive the placement) on the device.
// The heuristic, in three cheap steps (no full compilation):
//  1. Regions: from every physical qubit s, a connected region of n_logical qubits is grown
//     greedily, each step adding the frontier qubit with the lowest cost: −log(1 − e) of its best
//     2-qubit link into the region, plus −log(1 − readout error) and −log(1 − sx error) of the qubit,
//     plus a small idle term t_2q·(1/T1 + 1/T2) that prefers long-lived qubits (ties: more links
//     into the region, then the lower index).
//  2. Placement: logical qubits in order of interaction (the most-interacting first, then the one
//     most connected to those placed) go to the free region qubit that minimises the weighted
//     cost of their interactions with the placed ones (link cost when adjacent, three links per
//     missing hop otherwise) plus the qubit's own cost.
//  3. Scoring: the 12 distinct candidates of lowest static cost are routed with one SABRE trial
//     and ranked by estimated success (below); the best two are refined with SABRE's reverse
//     traversal (route forwards, route the reversed circuit from where that ends, start from
//     where that ends; two rounds), each refinement scored the same way.
//  4. The best three are re-scored with the routing compile() will run (all trials, fewest swaps
//     kept) — one trial's swaps can land on a much worse edge than the kept trial's — and the
//     highest estimated success wins.
// About 30 single-trial routings of the circuit whatever the device size. Deterministic for the
// routing seed: ties break on the lexicographically smallest layout. Throws qnas::Error when the
// circuit has more qubits than the device (or than any connected part of it).
std::vector<int> noise_aware_layout(const sim::Circuit& logical, const Device& device, const CouplingGraph& graph);
std::vector<int> noise_aware_layout(const sim::Circuit& logical, const Device& device, const CouplingGraph& graph,
                                    const RoutingOptions& routing);

// The success estimate noise_aware_layout ranks layouts by: the product of (1 − error) over the
// gates SABRE routing (default or given options) would execute — 2-qubit gates at the calibrated error of their
// edge (the better direction), each swap as three of them, non-diagonal 1-qubit gates at the
// qubit's sx error, diagonal ones free (virtual rz) — and of the readout fidelities of the measured
// qubits at their final places (all logical qubits when the circuit has no measures). Gates wider
// than two qubits count as their qubit pairs. A factor (1 − e) below 1e-5 counts as 1e-5, as
// QuantumNAS's estimate does. The layout is validated first.
double estimated_success(const sim::Circuit& logical, std::span<const int> layout, const Device& device,
                         const CouplingGraph& graph);
double estimated_success(const sim::Circuit& logical, std::span<const int> layout, const Device& device,
                         const CouplingGraph& graph, const RoutingOptions& routing);

}  // namespace qnas::noise
