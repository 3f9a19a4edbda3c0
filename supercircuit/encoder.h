// Classical-data encoders: functions from a feature vector to gates (angle encoders, whose angles
// are sim::Param::input so one circuit serves every sample) or to a state (amplitude, basis).
// Features are used as rotation angles unscaled, as TorchQuantum's GeneralEncoder does.
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

// The encoder's ops followed by `body`'s (on body.n_qubits ≥ encoder.n_qubits qubits, else
// qnas::Error); n_inputs = the encoder's feature count (or body's, if larger: a body may re-read
// inputs); trainable indices, n_trainable, measures and clbits of the body kept.
sim::Circuit prepend_encoder(const Encoder& encoder, const sim::Circuit& body);

// Amplitude encoding: the 2^n features (zero-padded when shorter) normalised to a unit state
// vector (little-endian index: feature i is the amplitude of basis state i). Signed features
// give signed amplitudes. Throws qnas::Error for an all-zero, non-finite or too long vector, or
// n_qubits outside [1, 24].
sim::State amplitude_encode(std::span<const double> features, int n_qubits);
// The same state prepared by gates from |0…0⟩: uniformly controlled RY rotations (Möttönen et
// al. 2004), target qubit n−1 first, each decomposed into 2^k ry and 2^k cx (k = controls, Gray-code
// order); constant angles. For real features the RZ (phase) stage of Möttönen's scheme is not
// needed: the last stage (target qubit 0) uses signed angles 2·atan2(a_{2j+1}, a_{2j}), which
// produce the signs directly, so the state is equal, not only up to a global phase.
sim::Circuit amplitude_encoding_circuit(std::span<const double> features, int n_qubits);

// Basis encoding: feature i non-zero sets qubit i with an x gate (state |Σ_i b_i 2^i⟩); at most
// n_qubits features. Throws qnas::Error for too many features.
sim::Circuit basis_encoding_circuit(std::span<const double> features, int n_qubits);

}  // namespace qnas::supercircuit
