#include "search/gene_space.h"

#include <set>
#include <string>

#include "sim/error.h"

namespace qnas::search {

GeneSpace co_search_space(const supercircuit::DesignSpace& space, int n_physical_qubits) {
    if (n_physical_qubits < space.n_qubits)
        throw Error("co-search: device too small for the circuit (" + std::to_string(n_physical_qubits) +
                    " physical qubits, the design space has " + std::to_string(space.n_qubits) + ")");
    GeneSpace g;
    std::vector<int> physical(static_cast<std::size_t>(n_physical_qubits));
    for (int q = 0; q < n_physical_qubits; ++q) physical[static_cast<std::size_t>(q)] = q;
    g.choices.assign(static_cast<std::size_t>(space.n_qubits), physical);
    for (auto& c : supercircuit::arch_choices(space)) g.choices.push_back(std::move(c));
    g.n_layout = space.n_qubits;
    return g;
}

LayoutAndArch split_gene(const supercircuit::DesignSpace& space, const Gene& gene) {
    const std::size_t n_layout = static_cast<std::size_t>(space.n_qubits);
    const std::size_t expected = n_layout + static_cast<std::size_t>(supercircuit::arch_length(space));
    if (gene.size() != expected)
        throw Error("co-search: gene has " + std::to_string(gene.size()) + " positions, expected " +
                    std::to_string(expected) + " (" + std::to_string(n_layout) + " layout + arch of " + space.name +
                    ")");
    const auto mid = gene.begin() + static_cast<std::ptrdiff_t>(n_layout);
    return {std::vector<int>(gene.begin(), mid), supercircuit::Arch(mid, gene.end())};
}

CacheKey co_search_key(const supercircuit::DesignSpace& space, bool include_layout) {
    return [space, include_layout](const Gene& gene) {
        LayoutAndArch parts = split_gene(space, gene);
        std::vector<int> key = include_layout ? std::move(parts.layout) : std::vector<int>{};
        const std::vector<int> active = supercircuit::active_key(space, parts.arch);
        key.insert(key.end(), active.begin(), active.end());
        return key;
    };
}

std::vector<int> fix_layout_mask(const supercircuit::DesignSpace& space, const std::vector<int>& layout) {
    if (layout.size() != static_cast<std::size_t>(space.n_qubits))
        throw Error("fix layout: " + std::to_string(layout.size()) + " qubits given, the circuit has " +
                    std::to_string(space.n_qubits));
    std::set<int> seen;
    for (const int q : layout)
        if (q < 0 || !seen.insert(q).second)
            throw Error("fix layout: " + nlohmann::json(layout).dump() +
                        " must list distinct non-negative physical qubits");
    std::vector<int> mask = layout;
    mask.resize(mask.size() + static_cast<std::size_t>(supercircuit::arch_length(space)), -1);
    return mask;
}

std::vector<int> fix_arch_mask(const supercircuit::DesignSpace& space, int n_layout, const supercircuit::Arch& arch) {
    if (n_layout < 0) throw Error("fix arch: n_layout must be ≥ 0");
    supercircuit::validate_arch(space, arch);
    std::vector<int> mask(static_cast<std::size_t>(n_layout), -1);
    mask.insert(mask.end(), arch.begin(), arch.end());
    return mask;
}

}  // namespace qnas::search
