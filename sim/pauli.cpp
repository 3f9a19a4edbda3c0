#include "sim/pauli.h"

#include <bit>

#include "sim/error.h"

namespace qnas::sim {

PauliTerm PauliTerm::z_on(int qubit, double coeff) {
    QNAS_CHECK(qubit >= 0 && qubit < 64, "Pauli qubit out of range");
    return {0, std::uint64_t{1} << qubit, coeff};
}

PauliTerm PauliTerm::from_label(std::string_view label, double coeff) {
    if (label.size() > 64) throw Error("Pauli label longer than 64 qubits: " + std::string(label));
    PauliTerm t{0, 0, coeff};
    const std::size_t n = label.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t bit = std::uint64_t{1} << (n - 1 - i);
        switch (label[i]) {
            case 'I': break;
            case 'X': t.x |= bit; break;
            case 'Y':
                t.x |= bit;
                t.z |= bit;
                break;
            case 'Z': t.z |= bit; break;
            default: throw Error("invalid Pauli label '" + std::string(label) + "': expected only I, X, Y, Z");
        }
    }
    return t;
}

std::string PauliTerm::label(int n_qubits) const {
    std::string s(static_cast<std::size_t>(n_qubits), 'I');
    for (int q = 0; q < n_qubits; ++q) {
        const bool bx = (x >> q) & 1U, bz = (z >> q) & 1U;
        s[static_cast<std::size_t>(n_qubits - 1 - q)] = bx ? (bz ? 'Y' : 'X') : (bz ? 'Z' : 'I');
    }
    return s;
}

int PauliTerm::n_y() const { return std::popcount(x & z); }

}  // namespace qnas::sim
