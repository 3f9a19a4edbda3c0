// Hardware efficiency of a PQC on a device (the lecture's third axis): compile it with a layout
// (noise/compile.h) and report what the device would run — gates, 2-qubit gates, depth, swaps —
// and the success-rate proxy (noise/noise_model.h success_rate), beside the logical circuit's own
// counts so the cost of mapping is visible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "noise/calibration.h"
#include "noise/compile.h"
#include "sim/circuit.h"

namespace qnas::analysis {

struct HardwareReport {
    std::string device;
    std::vector<int> layout;  // logical → physical (initial)
    int logical_gates = 0;
    int logical_two_qubit = 0;  // after translation to {1q, cx} (compile's two_qubit_before)
    int logical_depth = 0;      // of that translation
    int compiled_gates = 0;
    int compiled_two_qubit = 0;
    int compiled_depth = 0;
    int swaps = 0;
    double success_rate = 1.0;
};

// Trainable angles are bound to a seeded generic draw (sampling.h sample_angles(seed, 0)) so no
// gate compiles away by accident; a circuit with input features is an error (as the other
// metrics). `layout` empty: the noise-aware layout compile() chooses. Throws qnas::Error for a
// circuit wider than the device or an invalid layout.
HardwareReport hardware_efficiency(const sim::Circuit& c, const noise::Device& device,
                                   const std::optional<std::vector<int>>& layout = std::nullopt,
                                   std::uint64_t seed = 0);

}  // namespace qnas::analysis
