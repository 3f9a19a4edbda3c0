// Pauli strings as bit masks (x, z; y = x & z) with a real coefficient, for expectations on
// up to 64 qubits, and Pauli sums (Hamiltonians, weighted observables).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qnas::sim {

struct PauliTerm {
    std::uint64_t x = 0;  // bit q set: X or Y on qubit q
    std::uint64_t z = 0;  // bit q set: Z or Y on qubit q
    double coeff = 1.0;

    // Z on one qubit, the readout of every QNN classifier.
    static PauliTerm z_on(int qubit, double coeff = 1.0);
    // From a Qiskit-order label: the rightmost character acts on qubit 0 ("XIZ" = X₂ Z₀).
    // Throws qnas::Error on characters other than I, X, Y, Z.
    static PauliTerm from_label(std::string_view label, double coeff = 1.0);
    // The Qiskit-order label over n qubits.
    std::string label(int n_qubits) const;
    int n_y() const;
    bool operator==(const PauliTerm&) const = default;
};

using PauliSum = std::vector<PauliTerm>;

}  // namespace qnas::sim
