// VQE energies of a Hamiltonian (hamiltonian.h): on a single state, and as a readout of the
// batched simulator with its gradient for adjoint training (trainer.h).
//
// Two estimators:
// * Joint (the default, the physical energy): E = Σ_k c_k ⟨ψ|P_k|ψ⟩, the expectation of each whole
//   Pauli string (parity of the rotated bits), as later TorchQuantum (algorithm/vqe.py) computes it.
// * MarginalProduct (opt-in, QuantumNAS's quirk, quantumnas.md §5): the QuantumNAS code
//   (SuperVQEModel0 and its Qiskit path) measures, per term, every wire's single-qubit ⟨P_w⟩ after
//   the basis rotation and multiplies them: E = Σ_k c_k Π_{w: P_k,w ≠ I} ⟨ψ|P_{k,w}|ψ⟩ (identity
//   wires count 1, an all-identity term contributes c_k). This mean-field product equals the
//   joint value only for product states; its minimum is not an eigenvalue of H. Kept so the
//   reference's VQE numbers can be reproduced.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "sim/pauli.h"
#include "sim/statevector.h"
#include "supercircuit/hamiltonian.h"

namespace qnas::supercircuit {

enum class EnergyKind { Joint, MarginalProduct };
// "joint", "marginal_product"; parse throws qnas::Error naming both.
const char* energy_kind_name(EnergyKind k);
EnergyKind parse_energy_kind(const std::string& name);

// The energy as a function of the expectations of a few Pauli observables: E = Σ_k c_k Π_{j ∈
// factors_k} e_j. Joint: one factor per non-identity term (its whole string, coefficient 1);
// MarginalProduct: one per non-identity wire (single-qubit Paulis, shared between terms).
// All-identity terms have no factors.
struct EnergyReadout {
    sim::PauliSum observables;  // coefficient 1 each: what the batched program reads out
    struct Term {
        double coefficient = 0.0;
        std::vector<int> factors;  // indices into observables
    };
    std::vector<Term> terms;
};
EnergyReadout energy_readout(const Hamiltonian& h, EnergyKind kind = EnergyKind::Joint);

// E from the observables' expectations `e`; if `de` is non-empty it receives dE/de_j (overwritten).
double readout_energy(const EnergyReadout& r, std::span<const double> e, std::span<double> de = {});

// The energy of a state (on h.n_qubits qubits, qubit w = wire w).
double energy(const sim::State& psi, const Hamiltonian& h, EnergyKind kind = EnergyKind::Joint);

}  // namespace qnas::supercircuit
