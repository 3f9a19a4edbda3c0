// Qubit Hamiltonians for VQE: a Pauli sum H = Σ_k c_k P_k read from TorchQuantum's text format
// (data/hamiltonians/README.md), its conversion to the simulator's Pauli strings, and its dense
// matrix for exact diagonalisation in tests and reference energies.
//
// Wires: the Pauli letter on file wire w acts on our qubit w, so a circuit with the same gates on
// the same wires has the same energy in qnas and in TorchQuantum. (TorchQuantum's dense matrix
// puts wire 0 in the most significant bit; ours puts qubit w in bit w, as sim/statevector.h
// does. The spectrum is the same; only the matrix layout differs.)
#pragma once

#include <Eigen/Dense>
#include <string>
#include <string_view>
#include <vector>

#include "sim/pauli.h"

namespace qnas::supercircuit {

struct HamiltonianTerm {
    double coefficient = 0.0;
    std::string paulis;  // one letter per wire (I, X, Y, Z), index = wire; size n_qubits
};

struct Hamiltonian {
    std::string name;       // header field 1, e.g. "h2"
    std::string transform;  // header field 2, e.g. "bk" (Bravyi–Kitaev), "jw" (Jordan–Wigner)
    int n_qubits = 0;
    std::vector<HamiltonianTerm> terms;  // in file order
};

// Parses the text format: line 1 "<name> <transform> <n_wires>", every other non-blank line
// "<coefficient> <P><wire> ..." (fields split on any whitespace, letters I/X/Y/Z in either case,
// wires not named are identity). Throws qnas::Error "<source>:<line>: <problem>" for a missing or
// malformed header, a malformed coefficient, an unknown letter, a wire ≥ n_wires, or a wire named
// twice in one term. n_wires is limited to 1..30 (dense matrices and the simulator's masks).
Hamiltonian parse_hamiltonian(std::string_view text, const std::string& source);
Hamiltonian load_hamiltonian(const std::string& path);

// The term as a simulator Pauli string (qubit w = wire w) with its coefficient.
sim::PauliTerm pauli_term(const HamiltonianTerm& t);
sim::PauliSum pauli_sum(const Hamiltonian& h);

// The 2^n × 2^n Hermitian matrix in the simulator's basis order (index bit w = qubit w).
Eigen::MatrixXcd dense_matrix(const Hamiltonian& h);
// Eigenvalues ascending (exact diagonalisation of dense_matrix; small n only).
Eigen::VectorXd eigenvalues(const Hamiltonian& h);
double ground_energy(const Hamiltonian& h);

}  // namespace qnas::supercircuit
