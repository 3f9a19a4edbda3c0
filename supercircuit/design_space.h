// The QuantumNAS design spaces (quantumnas.md §1): a SuperCircuit is `front` layers then
// `max_blocks` repetitions of the block's layers; every gate position of it is a *slot* with its
// own angles at a fixed offset of one shared weight vector. An arch gene selects a SubCircuit:
// one value per layer (front layers, then the layers of every block), then n_blocks. Share-front
// layers (`*_s0`, the paper's): value k activates the first k gates of the layer (1q layer: wires
// 0..k−1; ring: pairs [0,1],[1,2],…,[n−1,0] (first wire = control); brick: even pairs then odd
// ones, e.g. [0,1],[2,3],[1,2] on 4 wires). Arbitrary layers (`*_a0`): the value is a non-empty
// bitmask of active gates. Only layers with index < n_front + n_blocks·layers_per_block run —
// which reproduces TorchQuantum's RXYZ quirk: its extra front layer shifts the window, so the last
// active block's CZ layer never runs (kept, documented; `barren_fixed` runs it).
//
// Spaces (4-qubit arch-gene lengths): u3cu3 (U3+CU3, 17), seth (ZZ+RY, 17), barren (RXYZ, 34),
// farhi (ZX+XX, 17), maxwell (RXYZ+U1+CU3, 45), ibmbasis (IBMQ basis, 49).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/circuit.h"

namespace qnas::supercircuit {

enum class Placement { OneQubit, Ring, Brick };

struct LayerSpec {
    sim::GateKind gate = sim::GateKind::U3;
    Placement placement = Placement::OneQubit;
    std::vector<double> fixed_angles;  // for gates with constant angles (e.g. shadamard); empty = trainable
};

struct DesignSpace {
    std::string name;        // code name: u3cu3, seth, barren, farhi, maxwell, ibmbasis (+ "_a0" variants)
    std::string paper_name;  // U3+CU3, ZZ+RY, RXYZ, ZX+XX, RXYZ+U1+CU3, IBMQ basis
    int n_qubits = 4;
    std::vector<LayerSpec> front;  // before the blocks (barren: SHadamard)
    std::vector<LayerSpec> block;  // one block
    int max_blocks = 8;
    bool arbitrary = false;  // *_a0: layer values are bitmasks
    bool skip_quirk = true;  // TorchQuantum's window (see above); false runs every active layer
};

// `name` ∈ design_space_names(), optionally suffixed "_a0" (arbitrary subsets) ; n_qubits ≥ 2;
// max_blocks 0 = the documented default (8; maxwell 4). Throws qnas::Error naming the known spaces.
DesignSpace design_space(const std::string& name, int n_qubits = 4, int max_blocks = 0);
std::vector<std::string> design_space_names();

using Arch = std::vector<int>;

// Number of gates in one layer of the space (n for 1-qubit and ring layers, n−1 for brick).
int layer_width(const DesignSpace& s, const LayerSpec& layer);
// Per gene position, its allowed values in ascending order (share-front: 1..width; arbitrary:
// 1..2^width−1; n_blocks: 1..max_blocks).
std::vector<std::vector<int>> arch_choices(const DesignSpace& s);
int arch_length(const DesignSpace& s);
// Throws qnas::Error ("arch: position i (layer …) value v not in [lo, hi]") when invalid.
void validate_arch(const DesignSpace& s, std::span<const int> arch);
// Largest / smallest SubCircuits.
Arch largest_arch(const DesignSpace& s);
Arch smallest_arch(const DesignSpace& s);

// Size of the shared weight vector (all slots of the full SuperCircuit).
int n_weights(const DesignSpace& s);
// The SubCircuit: its active gates in order, angles Param::trainable(slot offset) into the shared
// weight vector (n_trainable = n_weights(s)), no encoder and no measures.
sim::Circuit build_subcircuit(const DesignSpace& s, std::span<const int> arch);
// Trainable angles the SubCircuit uses (its parameter count, the paper's #params).
int count_params(const DesignSpace& s, std::span<const int> arch);
// Weight indices the SubCircuit uses, ascending (inherited weights = W restricted to these).
std::vector<int> active_weights(const DesignSpace& s, std::span<const int> arch);
// The active part of the gene (values of layers that run, and n_blocks): equal keys ⇔ same circuit.
std::vector<int> active_key(const DesignSpace& s, std::span<const int> arch);

// Human baselines (quantumnas.md §1.3: u3cu3 param18/21/36/60, seth param4/7, farhi param8/15,
// barren param13/26, maxwell param9/17): the arch, throws qnas::Error for an unknown name.
Arch human_baseline(const DesignSpace& s, const std::string& name);
std::vector<std::string> human_baseline_names(const DesignSpace& s);

// TorchQuantum's random baseline (q_fc_rand0): random U3 / CU3 gates on random wires until the
// parameter budget is reached; seeded; trainable indices 0..budget−1.
sim::Circuit random_baseline(int n_qubits, int param_budget, std::uint64_t seed);

}  // namespace qnas::supercircuit
