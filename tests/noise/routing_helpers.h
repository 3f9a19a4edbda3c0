// Shared by the layout, routing and compile tests: devices loaded once, random layouts, the
// design spaces' largest circuits, and the exactness check of a compiled (or routed) circuit
// against its input through the tracked layouts and global phase.
#pragma once

#include <algorithm>
#include <complex>
#include <cstdlib>
#include <map>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "design_spaces.h"
#include "noise/basis.h"
#include "noise/calibration.h"
#include "noise/compile.h"
#include "noise/layout.h"
#include "sim/circuit.h"
#include "sim/gates.h"
#include "tests/sim/reference.h"
#include "tests/test_data.h"

namespace qnas::test {

inline const noise::Device& device(const std::string& name) {
    static std::map<std::string, noise::Device> cache;
    auto it = cache.find(name);
    if (it == cache.end()) {
        it = cache.emplace(name, noise::load_device(name, data_dir())).first;
    }
    return it->second;
}

// A random valid layout: n distinct physical qubits drawn from a small random connected ball
// (on large devices a scattered layout would make routing touch too many qubits for a dense
// reference), in random order.
inline std::vector<int> random_layout(int n, const noise::CouplingGraph& g, std::mt19937_64& rng) {
    const int start = static_cast<int>(rng() % static_cast<unsigned>(g.n_qubits));
    std::vector<int> ball;
    for (int radius = 0; static_cast<int>(ball.size()) < std::min(n + 2, g.n_qubits); ++radius) {
        ball.clear();
        for (int q = 0; q < g.n_qubits; ++q) {
            const int d = g.distance[static_cast<std::size_t>(start)][static_cast<std::size_t>(q)];
            if (d >= 0 && d <= radius) ball.push_back(q);
        }
    }
    std::shuffle(ball.begin(), ball.end(), rng);
    ball.resize(static_cast<std::size_t>(n));
    return ball;
}

// Applies a gate matrix to a state vector on the given qubits (first = low bit): the plain
// gather–multiply–scatter, independent of the simulators' kernels.
inline void apply_gate(Eigen::VectorXcd& psi, const sim::Matrix& m, const std::vector<int>& qubits) {
    const int k = static_cast<int>(qubits.size());
    const Eigen::Index dim = psi.size(), sub = Eigen::Index{1} << k;
    Eigen::Index mask = 0;
    for (int q : qubits) mask |= Eigen::Index{1} << q;
    Eigen::VectorXcd in(sub), out(sub);
    for (Eigen::Index base = 0; base < dim; ++base) {
        if (base & mask) continue;
        auto index = [&](Eigen::Index local) {
            Eigen::Index i = base;
            for (int a = 0; a < k; ++a)
                if ((local >> a) & 1) i |= Eigen::Index{1} << qubits[static_cast<std::size_t>(a)];
            return i;
        };
        for (Eigen::Index l = 0; l < sub; ++l) in(l) = psi(index(l));
        out = m * in;
        for (Eigen::Index l = 0; l < sub; ++l) psi(index(l)) = out(l);
    }
}

// The largest set of physical qubits the exact check below may simulate densely.
inline constexpr int kMaxCheckedQubits = 12;

// Checks a circuit on physical qubits against the logical circuit it implements:
// U(logical) = e^{i·phase}·P_final†·U(physical)·P_initial on the logical subspace, i.e. for every
// logical basis input, placed by `initial` with the other touched qubits (ancillas) in |0⟩, the
// output is U(logical)'s column placed by `final`, ancillas back in |0⟩, times e^{−i·phase}.
// Returns the largest deviation; the number of simulated qubits goes to `n_checked`.
inline double layout_distance(const sim::Circuit& logical, const sim::Circuit& physical,
                              const std::vector<int>& initial, const std::vector<int>& final_layout, double phase,
                              int* n_checked = nullptr) {
    std::vector<int> qs = noise::touched_qubits(physical);
    qs.insert(qs.end(), initial.begin(), initial.end());
    qs.insert(qs.end(), final_layout.begin(), final_layout.end());
    std::sort(qs.begin(), qs.end());
    qs.erase(std::unique(qs.begin(), qs.end()), qs.end());
    const int k = static_cast<int>(qs.size());
    if (n_checked) *n_checked = k;
    REQUIRE(k <= kMaxCheckedQubits);
    std::vector<int> local(static_cast<std::size_t>(physical.n_qubits), -1);
    for (int i = 0; i < k; ++i) local[static_cast<std::size_t>(qs[static_cast<std::size_t>(i)])] = i;
    const int n = logical.n_qubits;
    auto place = [&](Eigen::Index x, const std::vector<int>& layout) {
        Eigen::Index i = 0;
        for (int l = 0; l < n; ++l)
            if ((x >> l) & 1)
                i |= Eigen::Index{1} << local[static_cast<std::size_t>(layout[static_cast<std::size_t>(l)])];
        return i;
    };
    const sim::Matrix u = circuit_unitary(logical);
    const std::complex<double> undo = std::exp(std::complex<double>(0.0, -phase));
    double worst = 0.0;
    for (Eigen::Index x = 0; x < (Eigen::Index{1} << n); ++x) {
        Eigen::VectorXcd psi = Eigen::VectorXcd::Zero(Eigen::Index{1} << k);
        psi(place(x, initial)) = 1.0;
        for (const auto& op : physical.ops) {
            const auto& info = sim::gate_info(op.kind);
            std::vector<int> q;
            for (int a = 0; a < info.n_qubits; ++a)
                q.push_back(local[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])]);
            apply_gate(psi, info.matrix(sim::resolve_angles(op, {}, {})), q);
        }
        Eigen::VectorXcd expected = Eigen::VectorXcd::Zero(psi.size());
        for (Eigen::Index y = 0; y < (Eigen::Index{1} << n); ++y) expected(place(y, final_layout)) = undo * u(y, x);
        worst = std::max(worst, (psi - expected).cwiseAbs().maxCoeff());
    }
    return worst;
}

// Every 2-qubit gate on a natively supported ordered pair.
inline bool all_native(const sim::Circuit& c, const noise::CouplingGraph& g) {
    for (const auto& op : c.ops)
        if (sim::gate_info(op.kind).n_qubits == 2 &&
            !g.native[static_cast<std::size_t>(op.qubits[0])][static_cast<std::size_t>(op.qubits[1])])
            return false;
    return true;
}

// Every 2-qubit gate on a coupled pair (either direction): what routing promises.
inline bool all_coupled(const sim::Circuit& c, const noise::CouplingGraph& g) {
    for (const auto& op : c.ops)
        if (sim::gate_info(op.kind).n_qubits == 2 && !g.coupled(op.qubits[0], op.qubits[1])) return false;
    return true;
}

}  // namespace qnas::test
