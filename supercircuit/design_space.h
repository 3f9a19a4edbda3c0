// The QuantumNAS design spaces (quantumnas.md §1): a SuperCircuit is `front` layers then
// `max_blocks` repetitions of the block's layers; every gate position of it is a *slot* with its
// own angles at a fixed offset of one shared weight vector (offsets in circuit order: layer by
// layer, gate by gate, angle by angle; gates without trainable angles take none). Because the
// offset belongs to the slot, the same gate in two SubCircuits reads the same weights — that is
// the weight sharing / inheritance of SuperCircuit training.
//
// An arch gene selects a SubCircuit: one value per layer (front layers, then the layers of every
// block), then n_blocks. Share-front layers (`*_s0`, the paper's): value k activates the first k
// gates of the layer (1q layer: wires 0..k−1; ring: pairs [0,1],[1,2],…,[n−1,0] (first wire =
// control); brick: even pairs then odd ones, e.g. [0,1],[2,3],[1,2] on 4 wires). Arbitrary layers
// (`*_a0`): the value is a non-empty bitmask of active gates (bit k = gate k of that order).
//
// Which layers run: TorchQuantum runs layer index k < n_blocks·layers_per_block, counting the
// front layers. With front layers (only RXYZ has one: SHadamard) the window is shifted, so the
// last active block's CZ layer never runs and gene position 0 controls the RY(π/4) layer. qnas
// keeps this quirk by default (DesignSpace::skip_quirk, so inherited results match the
// reference); `barren_fixed` (skip_quirk = false) runs layer k < n_front + n_blocks·layers_per_block.
//
// Two sets of bounds: search genes (validate_arch, arch_choices) take layer values 1..width
// (arbitrary: 1..2^width−1) and n_blocks 1..max_blocks, as TorchQuantum's arch_space. The human
// baselines also use 0 = "no gate in this layer", which TorchQuantum's forward accepts but its
// search never samples; build_subcircuit, count_params, active_weights and active_key accept 0
// (validate_human_arch).
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
    std::string name;        // code name: u3cu3, seth, barren, farhi, maxwell, ibmbasis, barren_fixed (+ "_a0")
    std::string paper_name;  // U3+CU3, ZZ+RY, RXYZ, ZX+XX, RXYZ+U1+CU3, IBMQ basis
    int n_qubits = 4;
    std::vector<LayerSpec> front;  // before the blocks (barren: SHadamard)
    std::vector<LayerSpec> block;  // one block
    int max_blocks = 8;
    bool arbitrary = false;  // *_a0: layer values are bitmasks
    bool skip_quirk = true;  // TorchQuantum's window (see above); false runs every active layer
};

// `name` ∈ design_space_names() or "barren_fixed", optionally suffixed "_a0" (arbitrary subsets);
// 2 ≤ n_qubits ≤ 30 (arbitrary: ≤ 16, the bitmask choices are listed); max_blocks 0 = the
// documented default (8; maxwell 4). Throws qnas::Error naming the known spaces.
DesignSpace design_space(const std::string& name, int n_qubits = 4, int max_blocks = 0);
// The six spaces of the paper, in its order.
std::vector<std::string> design_space_names();

using Arch = std::vector<int>;

// Number of gates in one layer of the space (n for 1-qubit and ring layers, n−1 for brick).
int layer_width(const DesignSpace& s, const LayerSpec& layer);
// The qubits of gate k of a layer (1 for one-qubit layers, 2 for rings and bricks).
std::vector<int> layer_gate_qubits(const DesignSpace& s, const LayerSpec& layer, int k);
// Number of layers of the full SuperCircuit (front + max_blocks · block); arch_length = this + 1.
int n_layers(const DesignSpace& s);
// The spec of layer `index` (0 ≤ index < n_layers(s)).
const LayerSpec& layer_at(const DesignSpace& s, int index);
// Per gene position, its allowed values in ascending order (share-front: 1..width; arbitrary:
// 1..2^width−1; n_blocks: 1..max_blocks). TorchQuantum lists an arbitrary layer's subsets by size
// (itertools.combinations); the set of choices is the same, so uniform sampling is too.
std::vector<std::vector<int>> arch_choices(const DesignSpace& s);
int arch_length(const DesignSpace& s);
// What gene position i selects, e.g. "block 2 cu3 ring", "front shadamard", "n_blocks".
std::string gene_position_name(const DesignSpace& s, int position);
// Search bounds. Throws qnas::Error ("arch: position i (block b cu3 ring) value v not in [lo, hi]")
// when invalid, or naming the expected length.
void validate_arch(const DesignSpace& s, std::span<const int> arch);
// The human-design bounds (layer values may be 0); what the functions below accept.
void validate_human_arch(const DesignSpace& s, std::span<const int> arch);
// Largest / smallest SubCircuits of the search space.
Arch largest_arch(const DesignSpace& s);
Arch smallest_arch(const DesignSpace& s);
// Layers that run for n_blocks (the window above): layer indices < this.
int n_running_layers(const DesignSpace& s, int n_blocks);

// Size of the shared weight vector (all slots of the full SuperCircuit).
int n_weights(const DesignSpace& s);
// The SubCircuit: its active gates in order, angles Param::trainable(slot offset) into the shared
// weight vector (n_trainable = n_weights(s)), no encoder and no measures.
sim::Circuit build_subcircuit(const DesignSpace& s, std::span<const int> arch);
// Trainable angles the SubCircuit uses (its parameter count, the paper's #params).
int count_params(const DesignSpace& s, std::span<const int> arch);
// Weight indices the SubCircuit uses, ascending (inherited weights = W restricted to these).
std::vector<int> active_weights(const DesignSpace& s, std::span<const int> arch);
// The active part of the gene (values of layers that run, and n_blocks): for search genes, equal
// keys ⇔ same circuit (the search's result cache key). Human genes with empty (0) layers can give
// one circuit under two keys (e.g. a trailing all-zero block).
std::vector<int> active_key(const DesignSpace& s, std::span<const int> arch);

// Human baselines (quantumnas.md §1.3: u3cu3 param18/21/36/60, seth param4/7, farhi param8/15,
// barren param13/26, maxwell param9/17), the archs of TorchQuantum's allconfigs
// `examples/configs/mnist/four0123/train/baseline/<space>_s0/human/paramN.yml`. Defined for 4
// qubits (the values count gates on 4 wires); any max_blocks that holds them; `_a0` spaces get the
// same circuit as bitmasks. Also "fillN" for any N and space: the first gates in layer order up to
// exactly N trainable angles, on the fewest blocks (the rule of the U3+CU3 designs: fill36 =
// param36); an error when filling skips N. Throws qnas::Error for an unknown name or an
// incompatible space.
Arch human_baseline(const DesignSpace& s, const std::string& name);
std::vector<std::string> human_baseline_names(const DesignSpace& s);

// TorchQuantum's random baseline (q_fc_rand0, tq.RandomLayer with op_types u3, cu3): gates drawn
// uniformly from {U3, CU3} on uniformly drawn distinct wires (first = control) until the parameter
// budget is reached; budget must be a positive multiple of 3 (both gates have 3 angles, so the
// reference would loop forever otherwise). Seeded by SplitMix64 (platform independent); gate g
// reads trainable indices 3g..3g+2, n_trainable = budget.
sim::Circuit random_baseline(int n_qubits, int param_budget, std::uint64_t seed);

}  // namespace qnas::supercircuit
