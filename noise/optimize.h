// Peephole optimisation of a circuit already in a device basis, in the spirit of Qiskit's
// optimisation level 2: runs of consecutive 1-qubit gates on a wire are merged and
// re-synthesised into at most rz·sx·rz·sx·rz (kept as they are unless that is shorter), identities
// are dropped, adjacent self-inverse pairs (cx·cx on the same ordered pair, ecr·ecr, cz·cz, x·x)
// with nothing between them on their wires cancel; repeated to a fixed point. Never increases the
// gate count or the 2-qubit gate count. The global phase is tracked exactly.
#pragma once

#include "noise/basis.h"
#include "sim/circuit.h"

namespace qnas::noise {

// U(input) = e^{i·global_phase}·U(result.circuit). Throws qnas::Error when the input has a gate
// outside the basis or a non-constant angle.
Compiled optimize_with_phase(const sim::Circuit& in_basis, const Basis& basis);
sim::Circuit optimize(const sim::Circuit& in_basis, const Basis& basis);

// One pass each (exposed for tests); return true when the circuit changed.
bool merge_1q_runs(sim::Circuit& c, const Basis& basis, double& global_phase);
bool cancel_inverse_pairs(sim::Circuit& c);
// Merges runs of 1-qubit gates (any kind, constant angles) into one u3 each, dropping identities;
// used by translate_to_basis before lowering cx to the native gate.
bool merge_1q_runs_u3(sim::Circuit& c, double& global_phase);

// Number of 2-qubit (and wider) gates.
int two_qubit_count(const sim::Circuit& c);
// Circuit depth (longest chain of ops sharing qubits).
int depth(const sim::Circuit& c);

}  // namespace qnas::noise
