// QuantumNAS's baselines: the human designs (fixed archs in the design spaces) and TorchQuantum's
// random U3/CU3 circuits with a parameter budget.
#include <algorithm>
#include <optional>
#include <string_view>

#include "sim/error.h"
#include "sim/random.h"
#include "supercircuit/design_space.h"

namespace qnas::supercircuit {

namespace {

// One human design: the leading layer values (the rest of the gene is 0) and n_blocks.
struct HumanDesign {
    std::string_view space;
    std::string_view name;
    std::vector<int> layers;
    int n_blocks;
};

// Transcribed from TorchQuantum branch allconfigs,
// examples/configs/mnist/four0123/train/baseline/<space>_s0/human/paramN.yml (`sample_arch`; the
// trailing zeros are omitted here). All twelve files exist there; none is derived.
// Barren: the files give 4 for the 3-gate CZ brick layer; TorchQuantum's forward clamps (`k <
// sample_arch` over 3 gates), so it is written as 3 here, which keeps values within the layer.
std::vector<HumanDesign> human_designs() {
    return {
        {"u3cu3", "param18", {4, 2}, 1},
        {"u3cu3", "param21", {4, 3}, 1},
        {"u3cu3", "param36", {4, 4, 4}, 2},
        {"u3cu3", "param60", {4, 4, 4, 4, 4}, 3},
        {"seth", "param4", {4}, 1},
        {"seth", "param7", {4, 3}, 1},
        {"farhi", "param8", {4, 4}, 1},
        {"farhi", "param15", {4, 4, 4, 3}, 2},
        {"barren", "param13", {4, 4, 4, 4, 3, 1}, 2},
        {"barren", "param26", {4, 4, 4, 4, 3, 4, 4, 4, 3, 2}, 3},
        {"maxwell", "param9", {4, 4, 4, 4, 4, 4, 1}, 1},
        {"maxwell", "param17", {4, 4, 4, 4, 4, 4, 4, 4, 4, 2, 1}, 1},
    };
}

// "barren_fixed_a0" → "barren".
std::string base_space(const DesignSpace& s) {
    std::string b = s.name;
    if (b.ends_with("_a0")) b.resize(b.size() - 3);
    if (b == "barren_fixed") b = "barren";
    return b;
}

}  // namespace

std::vector<std::string> human_baseline_names(const DesignSpace& s) {
    std::vector<std::string> out;
    const std::string base = base_space(s);
    for (const auto& d : human_designs())
        if (d.space == base) out.emplace_back(d.name);
    return out;
}

namespace {

// "fillN": the first gates of the SuperCircuit in layer order (front first, each layer's gates in
// its order) until exactly N trainable angles, on the fewest blocks that run them — the rule every
// U3+CU3 paramN design above follows (param36 = fill36), for any N. Zero-angle gates passed on the
// way are included. Empty when `name` is not of that form.
std::optional<Arch> fill_design(const DesignSpace& s, const std::string& name) {
    if (name.size() < 5 || name.rfind("fill", 0) != 0) return std::nullopt;
    const std::string digits = name.substr(4);
    if (digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const int n = std::stoi(digits);
    const int L = n_layers(s);
    Arch a(static_cast<std::size_t>(L + 1), 0);
    a[static_cast<std::size_t>(L)] = s.max_blocks;
    int have = 0;
    for (int i = 0; i < L && have < n; ++i) {
        const int width = layer_width(s, layer_at(s, i));
        for (int k = 1; k <= width && have < n; ++k) {
            a[static_cast<std::size_t>(i)] = s.arbitrary ? (1 << k) - 1 : k;
            have = count_params(s, a);
        }
    }
    if (n < 1 || have != n)
        throw Error("human baseline " + name + ": filling the gates of " + s.name + " in order gives no design with " +
                    std::to_string(n) + " parameters (" + (have > n ? "skips it" : "the largest has fewer") + ")");
    auto& blocks = a[static_cast<std::size_t>(L)];
    while (blocks > 1) {  // the fewest blocks that still run every filled gate
        --blocks;
        if (count_params(s, a) != n) {
            ++blocks;
            break;
        }
    }
    validate_human_arch(s, a);
    return a;
}

}  // namespace

Arch human_baseline(const DesignSpace& s, const std::string& name) {
    if (auto fill = fill_design(s, name)) return *fill;
    const std::string base = base_space(s);
    for (const auto& d : human_designs()) {
        if (d.space != base || d.name != name) continue;
        if (s.n_qubits != 4)
            throw Error("human baseline " + base + " " + name + ": defined for 4 qubits (space has " +
                        std::to_string(s.n_qubits) + ")");
        const int L = n_layers(s);
        if (static_cast<int>(d.layers.size()) > L || d.n_blocks > s.max_blocks)
            throw Error("human baseline " + base + " " + name + ": needs " + std::to_string(d.n_blocks) +
                        " blocks, space has " + std::to_string(s.max_blocks));
        Arch a(static_cast<std::size_t>(L + 1), 0);
        for (std::size_t i = 0; i < d.layers.size(); ++i)
            a[i] = s.arbitrary ? (1 << d.layers[i]) - 1 : d.layers[i];  // first k gates as a bitmask
        a[static_cast<std::size_t>(L)] = d.n_blocks;
        validate_human_arch(s, a);
        return a;
    }
    std::string known;
    for (const auto& n : human_baseline_names(s)) {
        if (!known.empty()) known.append(", ");
        known.append(n);
    }
    throw Error("unknown human baseline '" + name + "' for space " + s.name + "; known: " +
                (known.empty() ? std::string("none") : known) + ", or fillN (the first gates up to N parameters)");
}

sim::Circuit random_baseline(int n_qubits, int param_budget, std::uint64_t seed) {
    if (n_qubits < 2) throw Error("random baseline: n_qubits " + std::to_string(n_qubits) + " must be ≥ 2");
    if (param_budget <= 0 || param_budget % 3 != 0)
        throw Error("random baseline: parameter budget " + std::to_string(param_budget) +
                    " must be a positive multiple of 3 (U3 and CU3 have 3 angles each)");
    // A counter-based SplitMix64 stream: draw t is mix64(key ^ mix64(t)).
    const std::uint64_t key = sim::mix64(seed ^ 0x72616e646f6d3055ULL);  // "random0U"
    std::uint64_t counter = 0;
    auto uniform = [&](int n) {
        const double u = sim::unit_double(sim::mix64(key ^ sim::mix64(counter++)));
        return std::min(n - 1, static_cast<int>(u * n));
    };
    sim::Circuit c(n_qubits);
    for (int g = 0; g < param_budget / 3; ++g) {
        sim::Op op;
        // np.random.choice([U3, CU3]) then np.random.choice(wires, size=n_op_wires, replace=False).
        const bool two = uniform(2) == 1;
        op.kind = two ? sim::GateKind::CU3 : sim::GateKind::U3;
        op.qubits[0] = uniform(n_qubits);
        if (two) {
            const int other = uniform(n_qubits - 1);
            op.qubits[1] = other < op.qubits[0] ? other : other + 1;
        }
        for (int j = 0; j < 3; ++j) op.params[static_cast<std::size_t>(j)] = sim::Param::trainable(3 * g + j);
        c.add(op);
    }
    return c;
}

}  // namespace qnas::supercircuit
