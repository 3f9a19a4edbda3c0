// TrainModels (trainer.h) from the design spaces: a SuperCircuit (every SubCircuit of a space over
// its shared weights, programs cached by the gene's active key, probes largest / smallest / a fixed
// random SubCircuit) and fixed circuits (one gene of a space — human baselines, U3CU3Layer0-style
// full blocks, searched SubCircuits trained from scratch — or any circuit).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/circuit.h"
#include "supercircuit/design_space.h"
#include "supercircuit/encoder.h"
#include "supercircuit/trainer.h"

namespace qnas::supercircuit {

// The probe "random" is a plain draw from the seed's Probe stream (the same for every run with
// this seed, so probe curves of different runs compare).
TrainModel supercircuit_model(const DesignSpace& space, const Encoder& encoder, std::uint64_t probe_seed);

// One SubCircuit of `space` (weights laid out as in the SuperCircuit; unused ones never change).
TrainModel fixed_arch_model(const DesignSpace& space, const Encoder& encoder, std::vector<int> arch);

// Any circuit already holding its encoder (n_inputs features, n_trainable weights).
TrainModel fixed_circuit_model(sim::Circuit circuit);

}  // namespace qnas::supercircuit
