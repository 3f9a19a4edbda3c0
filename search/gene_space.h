// The QuantumNAS co-search genes (quantumnas.md §3) on top of the generic evolution engine: a gene
// is a logical→physical qubit layout (one position per logical qubit, values 0..n_physical−1,
// distinct) followed by an arch gene of a design space (supercircuit/design_space.h, search
// bounds of arch_choices). The cache key is the layout followed by the active part of the arch
// (active_key), so genes that differ only in blocks that never run are one candidate; a
// noise-unaware search drops the layout from the key because its score does not depend on it.
// Masks give the paper's ablations: fix_layout (layout fixed, arch searched) and fix_arch (arch
// fixed, only the layout searched). A parameter budget (param_budget) is a GeneConstraint on the
// SubCircuit's trainable-angle count (count_params), the knob of the paper's accuracy-vs-#params
// figure.
#pragma once

#include <string>
#include <vector>

#include "search/evolution.h"
#include "supercircuit/design_space.h"

namespace qnas::search {

// Layout positions (space.n_qubits, choices 0..n_physical_qubits−1) then arch_choices(space); no
// mask. Throws qnas::Error naming both sizes when the device has fewer qubits than the circuit.
GeneSpace co_search_space(const supercircuit::DesignSpace& space, int n_physical_qubits);

// layout ++ active_key(arch) (include_layout), or active_key(arch) alone (noise-unaware search).
// The key function throws qnas::Error for a gene of the wrong length.
CacheKey co_search_key(const supercircuit::DesignSpace& space, bool include_layout);

// A mask for co_search_space fixing the layout (size space.n_qubits, distinct, non-negative) and
// leaving the arch free. Throws qnas::Error for a malformed layout.
std::vector<int> fix_layout_mask(const supercircuit::DesignSpace& space, const std::vector<int>& layout);
// A mask leaving the first n_layout positions free and fixing the arch (a search-bounds arch,
// validate_arch). Throws qnas::Error for an invalid arch.
std::vector<int> fix_arch_mask(const supercircuit::DesignSpace& space, int n_layout, const supercircuit::Arch& arch);

struct LayoutAndArch {
    std::vector<int> layout;
    supercircuit::Arch arch;
};
// The two parts of a co_search_space gene; qnas::Error when its length is not
// space.n_qubits + arch_length(space).
LayoutAndArch split_gene(const supercircuit::DesignSpace& space, const Gene& gene);

// Every parameter count (count_params) a search-bounds arch of `space` can have, ascending; with
// `fixed_arch` positions ≥ 0 (one per arch position, −1 free) only archs with those values count.
// Computed per n_blocks as a subset-sum over the running layers, not by enumeration.
std::vector<int> achievable_param_counts(const supercircuit::DesignSpace& space,
                                         const std::vector<int>& fixed_arch = {});

// Genes of co_search_space(space, …) whose SubCircuit has between min_params and max_params
// trainable angles (0: no bound on that side); the violation is the distance in parameters. Throws
// qnas::Error naming the bounds when min > max or no arch has a count in range.
GeneConstraint param_budget(const supercircuit::DesignSpace& space, int min_params, int max_params);

}  // namespace qnas::search
