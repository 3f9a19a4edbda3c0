// Idle-qubit decoherence, an opt-in extension of the device noise model (NoiseModelOptions::idle).
// Aer's NoiseModel.from_backend attaches relaxation to gates only, so a qubit waiting for the
// others decoheres for free (noise_models.md §2); on a real device it does not, and on a device
// with a hub qubit (yorktown's bow tie) most of a deep circuit is waiting. The compiled circuit is
// scheduled as late as possible with the calibrated gate durations — Qiskit's default for IBM
// backends, so qubits start as late as they can — and every measure happens at the common end (as
// behind a barrier). Each gap between two gates of a qubit, and the wait from its last gate to the
// measurement, gets thermal relaxation (T1, T2) for its length. Waiting before the first gate
// costs nothing: |0⟩ is a fixed point of relaxation.
#pragma once

#include <Eigen/Dense>
#include <array>
#include <optional>
#include <span>
#include <vector>

#include "noise/noise_model.h"
#include "sim/circuit.h"

namespace qnas::noise {

struct IdleSchedule {
    std::vector<double> start;  // per op: start time in seconds (the first gate starts at 0)
    // Per op and operand: seconds the qubit waits after this op, before its next op or (after its
    // last op) the measurement at `duration`.
    std::vector<std::array<double, sim::kMaxGateQubits>> idle_after;
    double duration = 0;  // of the whole circuit, up to the measurements
};

// ALAP schedule of a compiled physical circuit with the model's gate durations (virtual and
// uncalibrated gates take no time).
IdleSchedule alap_schedule(const sim::Circuit& physical, const NoiseModel& model);

// Thermal relaxation of `op`'s operands for the given waits, as one superoperator on the op's
// qubits (sim/channels.h convention: operand a is local qubit a); nullopt when every wait is 0.
std::optional<sim::Matrix> idle_superop(const sim::Op& op, std::span<const double> waits, const NoiseModel& model);

// The same channel as a real Pauli transfer matrix on one qubit (basis I, X, Y, Z):
// ⟨X⟩, ⟨Y⟩ → e^{−t/T2}·⟨X⟩, ⟨Y⟩ and ⟨Z⟩ → p + (1 − p)·⟨Z⟩ with p = 1 − e^{−t/T1}.
Eigen::Matrix4d idle_pauli_transfer(const RelaxationParams& r);

}  // namespace qnas::noise
