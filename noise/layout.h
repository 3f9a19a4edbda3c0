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

// Parses "0,1,2,3" (the CLI's --layout). Throws qnas::Error on anything else.
std::vector<int> parse_layout(const std::string& text);

// The identity layout 0..n-1 (checked like any other layout).
std::vector<int> trivial_layout(int n_logical);

// A noise-aware layout for `logical` (2-qubit interactions drive the placement) on the device:
// candidate connected regions are grown from every physical qubit, preferring low 2-qubit gate
// error, low readout error and long T1/T2; the circuit's interaction graph is placed onto each
// region; the candidate with the highest estimated success (product of (1 − error) over the
// gates it would execute including the swaps its routing needs, and of the measured qubits'
// readout fidelities) wins. Deterministic: ties break on the lexicographically smallest layout.
// Throws qnas::Error when the circuit has more qubits than the device.
std::vector<int> noise_aware_layout(const sim::Circuit& logical, const Device& device, const CouplingGraph& graph);

}  // namespace qnas::noise
