#include "analysis/hardware_efficiency.h"

#include <string>

#include "analysis/sampling.h"
#include "noise/noise_model.h"
#include "noise/optimize.h"
#include "sim/error.h"

namespace qnas::analysis {

HardwareReport hardware_efficiency(const sim::Circuit& c, const noise::Device& device,
                                   const std::optional<std::vector<int>>& layout, std::uint64_t seed) {
    check_analysable(c);
    if (c.n_qubits > device.n_qubits)
        throw Error("hardware: the circuit has " + std::to_string(c.n_qubits) + " qubits, device " + device.name +
                    " only " + std::to_string(device.n_qubits));
    const sim::Circuit bound = sim::bind(c, sample_angles(c.n_trainable, seed, 0));
    noise::CompileOptions options;
    options.layout = layout;
    const noise::CompiledCircuit compiled = noise::compile(bound, device, options);

    HardwareReport r;
    r.device = device.name;
    r.layout = compiled.initial_layout;
    r.logical_gates = static_cast<int>(c.ops.size());
    r.logical_two_qubit = compiled.two_qubit_before;
    r.logical_depth = compiled.depth_before;
    r.compiled_gates = static_cast<int>(compiled.circuit.ops.size());
    r.compiled_two_qubit = noise::two_qubit_count(compiled.circuit);
    r.compiled_depth = noise::depth(compiled.circuit);
    r.swaps = compiled.n_swaps;
    r.success_rate = noise::success_rate(device, compiled.circuit);
    return r;
}

}  // namespace qnas::analysis
