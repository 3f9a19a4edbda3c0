// Built-in circuits of the PQC literature: Sim et al. 2019's 19 ansätze (training_and_metrics.md
// §5.3, 4 qubits, generalised to n ≥ 2 qubits the natural way: chains run n−1→…→0, rings close
// through qubit 0) and McClean et al. 2018's random barren-plateau circuits (§6.1).
#pragma once

#include <cstdint>

#include "sim/circuit.h"

namespace qnas::analysis {

// Sim19 circuit `id` (1…19) with `layers` repetitions; every layer has fresh trainables, so
// n_trainable = layers × sim19_params_per_layer(id, n_qubits). Throws qnas::Error for an id out of
// range, layers < 1 or n_qubits < 2.
sim::Circuit sim19_circuit(int id, int layers = 1, int n_qubits = 4);
int sim19_params_per_layer(int id, int n_qubits = 4);

// McClean18's circuit number `index` of a seed: RY(π/4) on every qubit, then `layers` layers of
// R_P(θ) on every qubit with P uniform in {X, Y, Z} (drawn from (seed, index)) followed by CZ on
// (0,1), (1,2), …, (n−2, n−1). Trainable k is the rotation of layer k / n on qubit k % n.
sim::Circuit mcclean_circuit(int n_qubits, int layers, std::uint64_t seed, std::uint64_t index);

}  // namespace qnas::analysis
