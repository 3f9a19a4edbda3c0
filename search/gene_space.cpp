#include "search/gene_space.h"

#include <algorithm>
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

std::vector<int> achievable_param_counts(const supercircuit::DesignSpace& space, const std::vector<int>& fixed_arch) {
    const std::vector<std::vector<int>> choices = supercircuit::arch_choices(space);
    const int L = supercircuit::n_layers(space);
    if (!fixed_arch.empty() && fixed_arch.size() != choices.size())
        throw Error("parameter counts: fixed arch has " + std::to_string(fixed_arch.size()) + " positions, expected " +
                    std::to_string(choices.size()));
    auto options_at = [&](std::size_t i) {
        if (!fixed_arch.empty() && fixed_arch[i] >= 0) return std::vector<int>{fixed_arch[i]};
        return choices[i];
    };
    // The angles one layer value adds: count_params is a sum over the running layers, so measure
    // each layer on its own (all other layers 0 — the human-design bounds allow it).
    supercircuit::Arch probe(choices.size(), 0);
    probe[static_cast<std::size_t>(L)] = space.max_blocks;
    std::vector<std::vector<int>> contributions(static_cast<std::size_t>(L));
    for (int i = 0; i < L; ++i) {
        std::set<int> c;
        for (const int v : options_at(static_cast<std::size_t>(i))) {
            probe[static_cast<std::size_t>(i)] = v;
            c.insert(supercircuit::count_params(space, probe));
        }
        probe[static_cast<std::size_t>(i)] = 0;
        contributions[static_cast<std::size_t>(i)].assign(c.begin(), c.end());
    }
    std::set<int> out;
    for (const int b : options_at(static_cast<std::size_t>(L))) {
        std::set<int> sums = {0};
        for (int i = 0; i < supercircuit::n_running_layers(space, b); ++i) {
            std::set<int> next;
            for (const int s : sums)
                for (const int c : contributions[static_cast<std::size_t>(i)]) next.insert(s + c);
            sums = std::move(next);
        }
        out.insert(sums.begin(), sums.end());
    }
    return {out.begin(), out.end()};
}

GeneConstraint param_budget(const supercircuit::DesignSpace& space, int min_params, int max_params) {
    if (min_params < 0 || max_params < 0) throw Error("parameter budget: bounds must be ≥ 0");
    if (max_params > 0 && min_params > max_params)
        throw Error("parameter budget: min_params " + std::to_string(min_params) + " exceeds max_params " +
                    std::to_string(max_params));
    const std::vector<int> counts = achievable_param_counts(space);
    const int hi = max_params > 0 ? max_params : counts.back();
    if (std::none_of(counts.begin(), counts.end(), [&](int n) { return n >= min_params && n <= hi; }))
        throw Error("parameter budget [" + std::to_string(min_params) + ", " + std::to_string(hi) +
                    "]: no SubCircuit of " + space.name + " (" + std::to_string(space.max_blocks) +
                    " blocks) has that many parameters (it has " + std::to_string(counts.front()) + " to " +
                    std::to_string(counts.back()) + ")");
    GeneConstraint c;
    c.description = {{"min_params", min_params}, {"max_params", max_params}};
    c.violation = [space, min_params, max_params](const Gene& gene) {
        const int n = supercircuit::count_params(space, split_gene(space, gene).arch);
        if (n < min_params) return min_params - n;
        if (max_params > 0 && n > max_params) return n - max_params;
        return 0;
    };
    return c;
}

}  // namespace qnas::search
