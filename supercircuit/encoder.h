// Classical-data encoders: functions from a feature vector to gates (angle encoders, whose angles
// are sim::Param::input so one circuit serves every sample) or to a state (amplitude, basis).
// The angle encoders are TorchQuantum's, exactly (quantumnas.md §5): `4x4_ryzxy` (features 0–3 →
// RY on wires 0–3, 4–7 → RZ, 8–11 → RX, 12–15 → RY), `6x6_ryzxy` (RY 0–9, RZ 10–19, RX 20–29 on
// wires 0–9, then RY 30–35 on wires 0–5) and `10_ryzx` (RY on wires 0–3, RZ on 0–3, RX on 0,1).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "sim/circuit.h"
#include "sim/statevector.h"

namespace qnas::supercircuit {

struct Encoder {
    std::string name;
    int n_qubits = 0;
    int n_features = 0;
    std::vector<sim::Op> ops;  // 1-qubit rotations with Param::input(feature) angles, in order
};

// "4x4_ryzxy", "6x6_ryzxy", "10_ryzx"; throws qnas::Error naming the known encoders.
Encoder encoder_by_name(const std::string& name);
std::vector<std::string> encoder_names();

// The encoder's ops followed by `body`'s (on body.n_qubits ≥ encoder.n_qubits qubits); n_inputs =
// the encoder's feature count, trainable indices kept.
sim::Circuit prepend_encoder(const Encoder& encoder, const sim::Circuit& body);

// Amplitude encoding: the 2^n features (zero-padded when shorter) normalised to a unit state
// vector (little-endian index). Throws qnas::Error for an all-zero or too long vector.
sim::State amplitude_encode(std::span<const double> features, int n_qubits);
// The same state prepared by gates from |0…0⟩ (uniformly controlled RY/RZ rotations, Möttönen et
// al. 2004, decomposed into ry, rz and cx), up to a global phase; constant angles.
sim::Circuit amplitude_encoding_circuit(std::span<const double> features, int n_qubits);

// Basis encoding: bit i of the feature vector (non-zero = 1) sets qubit i with an x gate.
sim::Circuit basis_encoding_circuit(std::span<const double> features, int n_qubits);

}  // namespace qnas::supercircuit
