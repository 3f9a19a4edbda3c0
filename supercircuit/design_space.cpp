// The six QuantumNAS design spaces (TorchQuantum allconfigs torchquantum/super_layers.py,
// `super_layer_name_dict`), their genes and the SubCircuits they select.
#include "supercircuit/design_space.h"

#include <algorithm>
#include <string_view>

#include "sim/error.h"
#include "sim/gates.h"

namespace qnas::supercircuit {

namespace {

using sim::GateKind;

struct SpaceDef {
    std::string_view name;
    std::string_view paper_name;
    std::vector<LayerSpec> front;
    std::vector<LayerSpec> block;
    int default_blocks;
};

LayerSpec one(GateKind g) { return {g, Placement::OneQubit, {}}; }
LayerSpec ring(GateKind g) { return {g, Placement::Ring, {}}; }
LayerSpec brick(GateKind g) { return {g, Placement::Brick, {}}; }

// Block contents in TorchQuantum's order (super_layers.py *ShareFrontLayer0 classes).
std::vector<SpaceDef> space_defs() {
    using G = GateKind;
    return {
        {"u3cu3", "U3+CU3", {}, {one(G::U3), ring(G::CU3)}, 8},
        {"seth", "ZZ+RY", {}, {ring(G::RZZ), one(G::RY)}, 8},
        {"barren", "RXYZ", {one(G::SH)}, {one(G::RX), one(G::RY), one(G::RZ), brick(G::CZ)}, 8},
        {"farhi", "ZX+XX", {}, {ring(G::RZX), ring(G::RXX)}, 8},
        {"maxwell",
         "RXYZ+U1+CU3",
         {},
         {one(G::RX), one(G::S), ring(G::CX), one(G::RY), one(G::T), ring(G::Swap), one(G::RZ), one(G::T),
          ring(G::SSwap), one(G::U1), ring(G::CU3)},
         4},
        {"ibmbasis", "IBMQ basis", {}, {one(G::RZ), one(G::X), one(G::RZ), one(G::SX), one(G::RZ), ring(G::CX)}, 8},
    };
}

std::string placement_name(Placement p) {
    switch (p) {
        case Placement::OneQubit: return "";
        case Placement::Ring: return " ring";
        case Placement::Brick: return " brick";
    }
    return "";
}

bool trainable(const LayerSpec& l) { return l.fixed_angles.empty() && sim::gate_info(l.gate).n_params > 0; }

// Weights one gate of the layer owns.
int weights_per_gate(const LayerSpec& l) { return trainable(l) ? sim::gate_info(l.gate).n_params : 0; }

int max_layer_value(const DesignSpace& s, const LayerSpec& l) {
    const int w = layer_width(s, l);
    return s.arbitrary ? (1 << w) - 1 : w;
}

void check_length(const DesignSpace& s, std::span<const int> arch) {
    if (static_cast<int>(arch.size()) != arch_length(s))
        throw Error("arch: length " + std::to_string(arch.size()) + ", expected " + std::to_string(arch_length(s)) +
                    " for space " + s.name + " (" + std::to_string(n_layers(s)) + " layer values, then n_blocks)");
}

void check_value(const DesignSpace& s, int position, int value, int lo, int hi) {
    if (value < lo || value > hi) {
        std::string m = "arch: position ";
        m.append(std::to_string(position))
            .append(" (")
            .append(gene_position_name(s, position))
            .append(") value ")
            .append(std::to_string(value))
            .append(" not in [")
            .append(std::to_string(lo))
            .append(", ")
            .append(std::to_string(hi))
            .append("]");
        throw Error(m);
    }
}

void validate_bounds(const DesignSpace& s, std::span<const int> arch, int layer_lo) {
    check_length(s, arch);
    const int L = n_layers(s);
    for (int i = 0; i < L; ++i)
        check_value(s, i, arch[static_cast<std::size_t>(i)], layer_lo, max_layer_value(s, layer_at(s, i)));
    check_value(s, L, arch[static_cast<std::size_t>(L)], 1, s.max_blocks);
}

bool gate_active(const DesignSpace& s, int value, int k) { return s.arbitrary ? ((value >> k) & 1) != 0 : k < value; }

// Calls f(layer spec, layer index, gate index k, weight offset of that gate) for every active gate
// of the SubCircuit, in circuit order.
template <class F>
void for_each_active_gate(const DesignSpace& s, std::span<const int> arch, F&& f) {
    validate_human_arch(s, arch);
    const int L = n_layers(s);
    const int running = n_running_layers(s, arch[static_cast<std::size_t>(L)]);
    int offset = 0;
    for (int i = 0; i < L; ++i) {
        const LayerSpec& l = layer_at(s, i);
        const int w = layer_width(s, l), per = weights_per_gate(l);
        if (i < running)
            for (int k = 0; k < w; ++k)
                if (gate_active(s, arch[static_cast<std::size_t>(i)], k)) f(l, i, k, offset + k * per);
        offset += w * per;
    }
}

}  // namespace

std::vector<std::string> design_space_names() {
    std::vector<std::string> out;
    for (const auto& d : space_defs()) out.emplace_back(d.name);
    return out;
}

DesignSpace design_space(const std::string& name, int n_qubits, int max_blocks) {
    std::string base = name;
    bool arbitrary = false;
    if (base.size() > 3 && base.ends_with("_a0")) {
        arbitrary = true;
        base.resize(base.size() - 3);
    }
    bool fixed = false;
    if (base == "barren_fixed") {
        fixed = true;
        base = "barren";
    }
    for (const auto& d : space_defs()) {
        if (d.name != base) continue;
        if (n_qubits < 2 || n_qubits > 30)
            throw Error("design space " + name + ": n_qubits " + std::to_string(n_qubits) + " not in [2, 30]");
        if (arbitrary && n_qubits > 16)
            throw Error("design space " + name + ": arbitrary-subset spaces list 2^n choices per layer; n_qubits " +
                        std::to_string(n_qubits) + " > 16");
        if (max_blocks < 0)
            throw Error("design space " + name + ": max_blocks " + std::to_string(max_blocks) +
                        " must be ≥ 1 (0 = default)");
        DesignSpace s;
        s.name = name;
        s.paper_name = std::string(d.paper_name);
        s.n_qubits = n_qubits;
        s.front = d.front;
        s.block = d.block;
        s.max_blocks = max_blocks == 0 ? d.default_blocks : max_blocks;
        s.arbitrary = arbitrary;
        s.skip_quirk = !fixed;
        return s;
    }
    std::string known;
    for (const auto& n : design_space_names()) known.append(n).append(", ");
    known.append("barren_fixed (each also with suffix _a0)");
    throw Error("unknown design space '" + name + "'; known: " + known);
}

int layer_width(const DesignSpace& s, const LayerSpec& layer) {
    return layer.placement == Placement::Brick ? s.n_qubits - 1 : s.n_qubits;
}

std::vector<int> layer_gate_qubits(const DesignSpace& s, const LayerSpec& layer, int k) {
    const int n = s.n_qubits;
    QNAS_CHECK(k >= 0 && k < layer_width(s, layer), "gate index out of range");
    switch (layer.placement) {
        case Placement::OneQubit: return {k};
        case Placement::Ring: return {k, (k + 1) % n};
        case Placement::Brick: {
            // Even pairs [0,1],[2,3],… then odd ones [1,2],[3,4],… (Super2QAlterShareFrontLayer, jump 1).
            const int n_even = n / 2;
            const int first = k < n_even ? 2 * k : 2 * (k - n_even) + 1;
            return {first, first + 1};
        }
    }
    return {};
}

int n_layers(const DesignSpace& s) {
    return static_cast<int>(s.front.size() + static_cast<std::size_t>(s.max_blocks) * s.block.size());
}

const LayerSpec& layer_at(const DesignSpace& s, int index) {
    QNAS_CHECK(index >= 0 && index < n_layers(s), "layer index out of range");
    const auto i = static_cast<std::size_t>(index);
    if (i < s.front.size()) return s.front[i];
    return s.block[(i - s.front.size()) % s.block.size()];
}

int arch_length(const DesignSpace& s) { return n_layers(s) + 1; }

std::vector<std::vector<int>> arch_choices(const DesignSpace& s) {
    std::vector<std::vector<int>> out;
    const int L = n_layers(s);
    for (int i = 0; i < L; ++i) {
        std::vector<int> c;
        for (int v = 1; v <= max_layer_value(s, layer_at(s, i)); ++v) c.push_back(v);
        out.push_back(std::move(c));
    }
    std::vector<int> blocks;
    for (int b = 1; b <= s.max_blocks; ++b) blocks.push_back(b);
    out.push_back(std::move(blocks));
    return out;
}

std::string gene_position_name(const DesignSpace& s, int position) {
    const int L = n_layers(s);
    if (position == L) return "n_blocks";
    QNAS_CHECK(position >= 0 && position < L, "gene position out of range");
    const LayerSpec& l = layer_at(s, position);
    std::string out;
    const auto nf = static_cast<int>(s.front.size());
    if (position < nf)
        out = "front";
    else
        out = "block " + std::to_string((position - nf) / static_cast<int>(s.block.size()) + 1);
    out.append(" ").append(sim::gate_info(l.gate).name).append(placement_name(l.placement));
    return out;
}

void validate_arch(const DesignSpace& s, std::span<const int> arch) { validate_bounds(s, arch, 1); }

void validate_human_arch(const DesignSpace& s, std::span<const int> arch) { validate_bounds(s, arch, 0); }

Arch largest_arch(const DesignSpace& s) {
    Arch a;
    for (const auto& c : arch_choices(s)) a.push_back(c.back());
    return a;
}

Arch smallest_arch(const DesignSpace& s) {
    Arch a;
    for (const auto& c : arch_choices(s)) a.push_back(c.front());
    return a;
}

int n_running_layers(const DesignSpace& s, int n_blocks) {
    const int in_blocks = n_blocks * static_cast<int>(s.block.size());
    // TorchQuantum's `k < n_blocks * n_layers_per_block` counts the front layers too.
    return std::min(n_layers(s), s.skip_quirk ? in_blocks : in_blocks + static_cast<int>(s.front.size()));
}

int n_weights(const DesignSpace& s) {
    int total = 0;
    for (int i = 0; i < n_layers(s); ++i) {
        const LayerSpec& l = layer_at(s, i);
        total += layer_width(s, l) * weights_per_gate(l);
    }
    return total;
}

sim::Circuit build_subcircuit(const DesignSpace& s, std::span<const int> arch) {
    sim::Circuit c(s.n_qubits);
    for_each_active_gate(s, arch, [&](const LayerSpec& l, int, int k, int offset) {
        sim::Op op;
        op.kind = l.gate;
        const auto q = layer_gate_qubits(s, l, k);
        for (std::size_t a = 0; a < q.size() && a < op.qubits.size(); ++a) op.qubits[a] = q[a];
        const auto np = static_cast<std::size_t>(sim::gate_info(l.gate).n_params);
        for (std::size_t j = 0; j < op.params.size() && j < np; ++j)
            op.params[j] = trainable(l) ? sim::Param::trainable(offset + static_cast<int>(j))
                                        : sim::Param::constant(l.fixed_angles.at(j));
        c.add(op);
    });
    c.n_trainable = n_weights(s);
    return c;
}

std::vector<int> active_weights(const DesignSpace& s, std::span<const int> arch) {
    std::vector<int> w;
    for_each_active_gate(s, arch, [&](const LayerSpec& l, int, int, int offset) {
        for (int j = 0; j < weights_per_gate(l); ++j) w.push_back(offset + j);
    });
    // Circuit order is slot order, so w is already ascending.
    return w;
}

int count_params(const DesignSpace& s, std::span<const int> arch) {
    return static_cast<int>(active_weights(s, arch).size());
}

std::vector<int> active_key(const DesignSpace& s, std::span<const int> arch) {
    validate_human_arch(s, arch);
    const int L = n_layers(s);
    const int n_blocks = arch[static_cast<std::size_t>(L)];
    std::vector<int> key(arch.begin(), arch.begin() + n_running_layers(s, n_blocks));
    key.push_back(n_blocks);
    return key;
}

}  // namespace qnas::supercircuit
