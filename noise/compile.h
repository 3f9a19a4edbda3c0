// Compilation of a logical circuit to a device, the part Qiskit's transpiler did for QuantumNAS
// (optimization_level 2): translate to {1-qubit, cx}, choose or check the layout, route with SABRE,
// lower to the device's native 2-qubit gate in a direction its coupling map supports (swap = 3 cx,
// reversed cx by Hadamard conjugation, ecr with local corrections), then optimise (optimize.h).
// The result lives on the device's physical qubits; measurements land on the physical qubit that
// holds their logical qubit at the end (the tracked final permutation).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "noise/basis.h"
#include "noise/calibration.h"
#include "noise/layout.h"
#include "noise/routing.h"
#include "sim/circuit.h"

namespace qnas::noise {

struct CompileOptions {
    std::optional<std::vector<int>> layout;  // logical → physical; noise_aware_layout when absent
    RoutingOptions routing;                  // seed, trials, SABRE weights
    bool optimize = true;                    // optimize.h passes after lowering
    bool measure_all = true;                 // measure every logical qubit l → clbit l when the input has no measures
};

struct CompiledCircuit {
    // n_qubits = device.n_qubits, only basis gates, 2-qubit gates only in native directions,
    // constant angles; measures (physical qubit → clbit), n_clbits as the input's (or n_logical).
    sim::Circuit circuit;
    double global_phase = 0.0;        // U(input) = e^{iφ}·P_final†·U(circuit)·P_initial on the logical subspace
    std::vector<int> initial_layout;  // logical → physical
    std::vector<int> final_layout;    // logical → physical after routing
    int n_swaps = 0;
    int two_qubit_before = 0;  // 2-qubit gates of the input after translation to {1q, cx}, before routing
    int depth_before = 0;      // depth of that translation
};

// Compiles a bound circuit (constant angles; call sim::bind first, otherwise qnas::Error). Measures
// in the input must be terminal (no gate after a measure on that qubit); throws qnas::Error
// otherwise, for an invalid layout, or when the circuit is wider than the device.
CompiledCircuit compile(const sim::Circuit& bound, const Device& device, const CompileOptions& options = {});

// Physical qubits the compiled circuit touches (ops or measures), ascending.
std::vector<int> touched_qubits(const sim::Circuit& physical);

}  // namespace qnas::noise
