#include "analysis/reference_circuits.h"

#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "analysis/state_runner.h"
#include "sim/error.h"

namespace qnas::analysis {

namespace {

using sim::GateKind;
using sim::Param;

// Appends gates to one circuit, giving every rotation a fresh trainable in op order.
struct Builder {
    sim::Circuit c;
    int next = 0;
    explicit Builder(int n) : c(n) {}
    void rot(GateKind k, int q) { c.add(k, {q}, {Param::trainable(next++)}); }
    void all(GateKind k) {
        for (int q = 0; q < c.n_qubits; ++q) rot(k, q);
    }
    void on(GateKind k, const std::vector<int>& qs) {
        for (int q : qs) rot(k, q);
    }
    // Two-qubit gate control → target; trainable if the kind has an angle.
    void two(GateKind k, int control, int target) {
        if (sim::gate_info(k).n_params > 0)
            c.add(k, {control, target}, {Param::trainable(next++)});
        else
            c.add(k, {control, target});
    }
    void pairs(GateKind k, const std::vector<std::pair<int, int>>& ps) {
        for (const auto& [a, b] : ps) two(k, a, b);
    }
};

// n−1→n−2, …, 1→0 (Sim19's "3→2, 2→1, 1→0").
std::vector<std::pair<int, int>> chain_down(int n) {
    std::vector<std::pair<int, int>> out;
    for (int i = n - 1; i >= 1; --i) out.emplace_back(i, i - 1);
    return out;
}

// (i+1)→i for i ≡ parity (mod 2): parity 0 gives 1→0, 3→2, …; parity 1 gives 2→1, 4→3, ….
std::vector<std::pair<int, int>> bricks(int n, int parity) {
    std::vector<std::pair<int, int>> out;
    for (int i = parity; i + 1 < n; i += 2) out.emplace_back(i + 1, i);
    return out;
}

// Qubits touched by bricks(n, 1) (circuit 11/12's middle rotations: qubits 1, 2 at n = 4).
std::vector<int> odd_brick_qubits(int n) {
    std::vector<int> out;
    for (const auto& [a, b] : bricks(n, 1)) out.push_back(b), out.push_back(a);
    return out;
}

// Sim19's first ring: n−1→0, n−2→n−1, …, 0→1 (control i, target i+1 mod n, i descending).
std::vector<std::pair<int, int>> ring_up(int n) {
    std::vector<std::pair<int, int>> out;
    for (int i = n - 1; i >= 0; --i) out.emplace_back(i, (i + 1) % n);
    return out;
}

// Sim19's second ring (circuits 13–15): n−1→n−2, 0→n−1, 1→0, …, n−2→n−3 (control c, target c−1 mod n,
// controls n−1, 0, 1, …, n−2).
std::vector<std::pair<int, int>> ring_down(int n) {
    std::vector<std::pair<int, int>> out;
    for (int k = 0; k < n; ++k) {
        const int c = (n - 1 + k) % n;
        out.emplace_back(c, (c - 1 + n) % n);
    }
    return out;
}

// Every ordered pair, controls n−1, …, 0 in turn (targets descending; same-control gates commute).
std::vector<std::pair<int, int>> all_to_all(int n) {
    std::vector<std::pair<int, int>> out;
    for (int c = n - 1; c >= 0; --c)
        for (int t = n - 1; t >= 0; --t)
            if (t != c) out.emplace_back(c, t);
    return out;
}

void check_args(int id, int n_qubits) {
    if (id < 1 || id > 19) throw Error("sim19 circuit id must be in 1..19, got " + std::to_string(id));
    if (n_qubits < 2) throw Error("sim19 circuits need n_qubits >= 2, got " + std::to_string(n_qubits));
}

void add_layer(Builder& b, int id) {
    const int n = b.c.n_qubits;
    const auto rx_rz = [&] { b.all(GateKind::RX), b.all(GateKind::RZ); };
    switch (id) {
        case 1: rx_rz(); break;
        case 2: rx_rz(), b.pairs(GateKind::CX, chain_down(n)); break;
        case 3: rx_rz(), b.pairs(GateKind::CRZ, chain_down(n)); break;
        case 4: rx_rz(), b.pairs(GateKind::CRX, chain_down(n)); break;
        case 5:
        case 6: rx_rz(), b.pairs(id == 5 ? GateKind::CRZ : GateKind::CRX, all_to_all(n)), rx_rz(); break;
        case 7:
        case 8: {
            const GateKind k = id == 7 ? GateKind::CRZ : GateKind::CRX;
            rx_rz(), b.pairs(k, bricks(n, 0)), rx_rz(), b.pairs(k, bricks(n, 1));
            break;
        }
        case 9:
            for (int q = 0; q < n; ++q) b.c.add(GateKind::H, {q});
            b.pairs(GateKind::CZ, chain_down(n));
            b.all(GateKind::RX);
            break;
        case 10: {
            b.all(GateKind::RY);
            auto ring = chain_down(n);
            if (n > 2) ring.emplace_back(n - 1, 0);  // at n = 2 the closing CZ would repeat 1–0
            b.pairs(GateKind::CZ, ring);
            b.all(GateKind::RY);
            break;
        }
        case 11:
        case 12: {
            const GateKind k = id == 11 ? GateKind::CX : GateKind::CZ;
            b.all(GateKind::RY), b.all(GateKind::RZ);
            b.pairs(k, bricks(n, 0));
            const auto mid = odd_brick_qubits(n);
            b.on(GateKind::RY, mid), b.on(GateKind::RZ, mid);
            b.pairs(k, bricks(n, 1));
            break;
        }
        case 13:
        case 14:
        case 15: {
            const GateKind k = id == 13 ? GateKind::CRZ : id == 14 ? GateKind::CRX : GateKind::CX;
            b.all(GateKind::RY), b.pairs(k, ring_up(n));
            b.all(GateKind::RY), b.pairs(k, ring_down(n));
            break;
        }
        case 16:
        case 17: {
            const GateKind k = id == 16 ? GateKind::CRZ : GateKind::CRX;
            rx_rz(), b.pairs(k, bricks(n, 0)), b.pairs(k, bricks(n, 1));
            break;
        }
        case 18:
        case 19: rx_rz(), b.pairs(id == 18 ? GateKind::CRZ : GateKind::CRX, ring_up(n)); break;
        default: break;
    }
}

}  // namespace

sim::Circuit sim19_circuit(int id, int layers, int n_qubits) {
    check_args(id, n_qubits);
    if (layers < 1) throw Error("sim19 circuit layers must be >= 1, got " + std::to_string(layers));
    Builder b(n_qubits);
    for (int l = 0; l < layers; ++l) add_layer(b, id);
    b.c.n_trainable = b.next;
    return b.c;
}

int sim19_params_per_layer(int id, int n_qubits) {
    check_args(id, n_qubits);
    Builder b(n_qubits);
    add_layer(b, id);
    return b.next;
}

sim::Circuit mcclean_circuit(int n_qubits, int layers, std::uint64_t seed, std::uint64_t index) {
    if (n_qubits < 1) throw Error("mcclean circuit needs n_qubits >= 1, got " + std::to_string(n_qubits));
    if (layers < 1) throw Error("mcclean circuit layers must be >= 1, got " + std::to_string(layers));
    sim::Circuit c(n_qubits);
    // Reserved: the plateau check builds thousands of these (1500 ops at n = 8, L = 100), and
    // regrowing the vector dominated its run time.
    c.ops.reserve(static_cast<std::size_t>(n_qubits) + static_cast<std::size_t>(layers) * (2 * n_qubits - 1));
    for (int q = 0; q < n_qubits; ++q) c.add(GateKind::RY, {q}, {Param::constant(std::numbers::pi / 4)});
    static constexpr GateKind kAxes[3] = {GateKind::RX, GateKind::RY, GateKind::RZ};
    int k = 0;
    for (int l = 0; l < layers; ++l) {
        for (int q = 0; q < n_qubits; ++q, ++k) {
            // P of trainable k: uniform in {X, Y, Z} from the (seed, index) McClean stream.
            const double u =
                detail::stream_uniform(seed, detail::Stream::McClean, index, static_cast<std::uint64_t>(k));
            const int axis = u < 1.0 / 3.0 ? 0 : u < 2.0 / 3.0 ? 1 : 2;
            c.add(kAxes[axis], {q}, {Param::trainable(k)});
        }
        for (int q = 0; q + 1 < n_qubits; ++q) c.add(GateKind::CZ, {q, q + 1});
    }
    return c;
}

}  // namespace qnas::analysis
