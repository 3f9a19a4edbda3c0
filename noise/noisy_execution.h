// Noisy execution of a compiled circuit (physical qubits, basis gates, terminal measures) under a
// device noise model, the way Qiskit Aer runs NoiseModel.from_backend: every gate then its error,
// readout error on the measured bits; with the model's idle option, also relaxation of waiting
// qubits (noise/idle.h). Only the physical qubits the circuit touches are simulated (untouched
// qubits stay |0⟩, a fixed point of every channel, so they cannot matter). Methods:
//  - none:          noise-free probabilities (still over the classical register);
//  - exact:         density-matrix evolution, readout confusion applied to the distribution exactly;
//  - shots:         the exact distribution sampled `shots` times with a seeded counter-based RNG
//                   (Aer's density-matrix method samples its final diagonal the same way);
//  - trajectories:  seeded Monte-Carlo state vectors, one Kraus branch drawn per noisy gate with
//                   Born probabilities (Aer's statevector method), averaged; for circuits too wide
//                   for a density matrix. Result = mean of the trajectories' exact |ψ|² (then readout),
//                   with the per-entry standard error of that mean.
// Results are over the classical register: entry m has bit c = clbit c (clbit 0 least significant);
// a clbit no measure writes reads 0, and each measured clbit gets its physical qubit's readout
// confusion independently. Same seed → same result at any thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "noise/noise_model.h"
#include "sim/circuit.h"
#include "sim/parallel.h"

namespace qnas::noise {

enum class NoiseMethod { None, Exact, Shots, Trajectories };
// "none", "exact", "shots", "trajectories"; throws qnas::Error naming the accepted values.
NoiseMethod parse_noise_method(const std::string& name);
std::string to_string(NoiseMethod m);

struct ExecutionOptions {
    NoiseMethod method = NoiseMethod::Exact;
    int shots = 8192;           // for Shots (and sampled on top of Trajectories when sample_shots)
    int trajectories = 1000;    // for Trajectories
    bool sample_shots = false;  // Trajectories: also draw `shots` counts from the averaged distribution
    std::uint64_t seed = 42;
    bool readout = true;        // apply the readout confusion matrices
    Parallelism parallelism{};  // density-matrix kernels (Exact/Shots), trajectories (Trajectories)
};

struct ExecutionResult {
    std::vector<double> probabilities;  // 2^n_clbits entries (counts / shots for Shots)
    std::vector<double> std_error;      // Trajectories: per-entry standard error of the mean (0 for one
                                        // trajectory); else empty
    std::vector<std::uint64_t> counts;  // Shots (and Trajectories with sample_shots): 2^n_clbits entries
    int n_simulated_qubits = 0;         // touched physical qubits
};

// Throws qnas::Error when the circuit has a mid-circuit measure (the IR keeps measures terminal,
// so this is a qubit measured twice; a clbit written twice is rejected too), a non-constant
// angle, more qubits than the noise model, more than 24 clbits, more than 14 touched qubits
// (Exact/Shots: a density matrix) or 24 (None/Trajectories: a state vector), or shots /
// trajectories < 1 where they are used.
ExecutionResult execute(const sim::Circuit& physical, const NoiseModel& model, const ExecutionOptions& options);

// ⟨Z_c⟩ = P(clbit c = 0) − P(clbit c = 1) for each clbit, from a distribution over the register.
std::vector<double> z_expectations(const std::vector<double>& probabilities, int n_clbits);

}  // namespace qnas::noise
