// Angle encoders (TorchQuantum's encoder_op_list_name_dict entries), amplitude and basis encoding.
#include "supercircuit/encoder.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string_view>

#include "sim/error.h"

namespace qnas::supercircuit {

namespace {

using sim::GateKind;

// One run of rotations: gate `kind` on wires 0..count−1 reading features first, first+1, ….
struct Run {
    GateKind kind;
    int first_feature;
    int count;
};

struct EncoderDef {
    std::string_view name;
    int n_qubits;
    std::vector<Run> runs;
};

// torchquantum/encoding.py (allconfigs): 4x4_ryzxy, 6x6_ryzxy, 10_ryzx.
std::vector<EncoderDef> encoder_defs() {
    using G = GateKind;
    return {
        {"4x4_ryzxy", 4, {{G::RY, 0, 4}, {G::RZ, 4, 4}, {G::RX, 8, 4}, {G::RY, 12, 4}}},
        {"6x6_ryzxy", 10, {{G::RY, 0, 10}, {G::RZ, 10, 10}, {G::RX, 20, 10}, {G::RY, 30, 6}}},
        {"10_ryzx", 4, {{G::RY, 0, 4}, {G::RZ, 4, 4}, {G::RX, 8, 2}}},
    };
}

sim::Op rotation(GateKind kind, int qubit, sim::Param p) {
    sim::Op op;
    op.kind = kind;
    op.qubits[0] = qubit;
    op.params[0] = p;
    return op;
}

void check_qubits(const char* what, int n_qubits, int hi) {
    if (n_qubits < 1 || n_qubits > hi)
        throw Error(std::string(what) + ": n_qubits " + std::to_string(n_qubits) + " not in [1, " + std::to_string(hi) +
                    "]");
}

// Uniformly controlled RY on `target` with controls target+1 … target+k (k = log2 angles.size()):
// for control value c (bit i ↔ qubit target+1+i) the target gets RY(angles[c]). Gray-code
// decomposition: RY(φ_j) then CX(control p_j → target), j = 0 … 2^k−1, where p_j is the bit in
// which gray(j) and gray(j+1) differ (k−1 for the last). Conjugating by X flips an RY angle, so
// control value c sees Σ_j (−1)^{popcount(c & gray(j))} φ_j; that matrix is ±1 with orthogonal
// columns, hence φ_j = 2^{−k} Σ_c (−1)^{popcount(c & gray(j))} θ_c.
void add_uniformly_controlled_ry(sim::Circuit& circ, int target, const std::vector<double>& angles) {
    const std::size_t m = angles.size();
    if (m == 1) {
        circ.add(rotation(GateKind::RY, target, sim::Param::constant(angles[0])));
        return;
    }
    int k = 0;
    while ((std::size_t{1} << k) < m) ++k;
    for (std::size_t j = 0; j < m; ++j) {
        const std::size_t gray = j ^ (j >> 1);
        double phi = 0.0;
        for (std::size_t c = 0; c < m; ++c) phi += (std::popcount(c & gray) % 2 ? -1.0 : 1.0) * angles[c];
        circ.add(rotation(GateKind::RY, target, sim::Param::constant(phi / static_cast<double>(m))));
        const int bit = j + 1 < m ? std::countr_zero(j + 1) : k - 1;
        circ.add(GateKind::CX, {target + 1 + bit, target});
    }
}

std::vector<double> padded(std::span<const double> features, int n_qubits, const char* what) {
    const std::size_t dim = std::size_t{1} << n_qubits;
    if (features.size() > dim)
        throw Error(std::string(what) + ": " + std::to_string(features.size()) + " features do not fit " +
                    std::to_string(n_qubits) + " qubits (at most " + std::to_string(dim) + ")");
    std::vector<double> a(dim, 0.0);
    double norm2 = 0.0;
    for (std::size_t i = 0; i < features.size(); ++i) {
        if (!std::isfinite(features[i]))
            throw Error(std::string(what) + ": feature " + std::to_string(i) + " is not finite");
        a[i] = features[i];
        norm2 += a[i] * a[i];
    }
    if (norm2 == 0.0) throw Error(std::string(what) + ": all features are zero (no state to encode)");
    const double inv = 1.0 / std::sqrt(norm2);
    for (double& v : a) v *= inv;
    return a;
}

}  // namespace

std::vector<std::string> encoder_names() {
    std::vector<std::string> out;
    for (const auto& d : encoder_defs()) out.emplace_back(d.name);
    return out;
}

Encoder encoder_by_name(const std::string& name) {
    for (const auto& d : encoder_defs()) {
        if (d.name != name) continue;
        Encoder e;
        e.name = name;
        e.n_qubits = d.n_qubits;
        for (const auto& r : d.runs) {
            for (int q = 0; q < r.count; ++q)
                e.ops.push_back(rotation(r.kind, q, sim::Param::input(r.first_feature + q)));
            e.n_features = std::max(e.n_features, r.first_feature + r.count);
        }
        return e;
    }
    std::string known;
    for (const auto& n : encoder_names()) {
        if (!known.empty()) known.append(", ");
        known.append(n);
    }
    throw Error("unknown encoder '" + name + "'; known: " + known);
}

sim::Circuit prepend_encoder(const Encoder& encoder, const sim::Circuit& body) {
    if (body.n_qubits < encoder.n_qubits)
        throw Error("encoder " + encoder.name + " needs " + std::to_string(encoder.n_qubits) +
                    " qubits, the circuit has " + std::to_string(body.n_qubits));
    sim::Circuit c(body.n_qubits);
    for (const auto& op : encoder.ops) c.add(op);
    for (const auto& op : body.ops) c.add(op);
    c.n_trainable = std::max(c.n_trainable, body.n_trainable);
    c.n_inputs = std::max({c.n_inputs, encoder.n_features, body.n_inputs});
    c.n_clbits = body.n_clbits;
    c.measures = body.measures;
    return c;
}

sim::State amplitude_encode(std::span<const double> features, int n_qubits) {
    check_qubits("amplitude encoding", n_qubits, 24);
    const auto a = padded(features, n_qubits, "amplitude encoding");
    return sim::State(a.begin(), a.end());
}

sim::Circuit amplitude_encoding_circuit(std::span<const double> features, int n_qubits) {
    check_qubits("amplitude encoding circuit", n_qubits, 16);
    const auto a = padded(features, n_qubits, "amplitude encoding circuit");
    // norms[t][c]: norm of the amplitudes whose bits ≥ t equal c (c < 2^{n−t}); norms[0] = |a|.
    const int n = n_qubits;
    std::vector<std::vector<double>> norms(static_cast<std::size_t>(n + 1));
    norms[0].resize(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) norms[0][i] = std::abs(a[i]);
    for (int t = 1; t <= n; ++t) {
        const auto& lower = norms[static_cast<std::size_t>(t - 1)];
        auto& cur = norms[static_cast<std::size_t>(t)];
        cur.resize(lower.size() / 2);
        for (std::size_t c = 0; c < cur.size(); ++c) cur[c] = std::hypot(lower[2 * c], lower[2 * c + 1]);
    }
    sim::Circuit circ(n);
    // Target n−1 first (no controls), down to target 0 (controls 1..n−1). For block c (the values
    // of the qubits above the target), RY(θ)|0⟩ = cos θ/2 |0⟩ + sin θ/2 |1⟩ must split the block's
    // norm into its bit-0 and bit-1 halves: θ = 2·atan2(|right|, |left|). At t = 0 the signed
    // amplitudes are used, which carries their signs into the state.
    for (int t = n - 1; t >= 0; --t) {
        const auto& lower = t == 0 ? a : norms[static_cast<std::size_t>(t)];
        const std::size_t blocks = std::size_t{1} << (n - 1 - t);
        std::vector<double> angles(blocks);
        for (std::size_t c = 0; c < blocks; ++c) angles[c] = 2.0 * std::atan2(lower[2 * c + 1], lower[2 * c]);
        add_uniformly_controlled_ry(circ, t, angles);
    }
    return circ;
}

sim::Circuit basis_encoding_circuit(std::span<const double> features, int n_qubits) {
    check_qubits("basis encoding", n_qubits, 30);
    if (static_cast<int>(features.size()) > n_qubits)
        throw Error("basis encoding: " + std::to_string(features.size()) + " features for " + std::to_string(n_qubits) +
                    " qubits (one bit per qubit)");
    sim::Circuit c(n_qubits);
    for (std::size_t i = 0; i < features.size(); ++i)
        if (features[i] != 0.0) c.add(GateKind::X, {static_cast<int>(i)});
    return c;
}

}  // namespace qnas::supercircuit
