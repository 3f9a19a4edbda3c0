// The QuantumNAS design spaces' largest circuits (shared docs quantumnas.md §1.2) with random
// constant angles, all gates active: U3+CU3, ZZ+RY, RXYZ, ZX+XX and IBMQ-basis with 8 blocks,
// RXYZ+U1+CU3 with 4. Rings are [0,1],[1,2],…,[n−1,0]. Shared by the compile tests and the
// compile benchmark (no test framework here).
#pragma once

#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "sim/circuit.h"
#include "sim/gates.h"

namespace qnas::test {

struct NamedCircuit {
    std::string name;
    sim::Circuit circuit;
};

inline std::vector<NamedCircuit> design_space_circuits(int n, std::mt19937_64& rng, int u3cu3_blocks = 8) {
    using sim::GateKind;
    std::uniform_real_distribution<double> ang(-std::numbers::pi, std::numbers::pi);
    auto p = [&] { return sim::Param::constant(ang(rng)); };
    auto each = [&](sim::Circuit& c, GateKind k, int n_params) {
        for (int q = 0; q < n; ++q) {
            sim::Op op;
            op.kind = k;
            op.qubits[0] = q;
            for (int j = 0; j < n_params; ++j) op.params[static_cast<std::size_t>(j)] = p();
            c.add(op);
        }
    };
    auto ring = [&](sim::Circuit& c, GateKind k, int n_params) {
        for (int q = 0; q < n; ++q) {
            sim::Op op;
            op.kind = k;
            op.qubits[0] = q;
            op.qubits[1] = (q + 1) % n;
            for (int j = 0; j < n_params; ++j) op.params[static_cast<std::size_t>(j)] = p();
            c.add(op);
        }
    };
    std::vector<NamedCircuit> out;
    {
        sim::Circuit c(n);
        for (int b = 0; b < u3cu3_blocks; ++b) {
            each(c, GateKind::U3, 3);
            ring(c, GateKind::CU3, 3);
        }
        out.push_back({"u3cu3", c});
    }
    {
        sim::Circuit c(n);
        for (int b = 0; b < 8; ++b) {
            ring(c, GateKind::RZZ, 1);
            each(c, GateKind::RY, 1);
        }
        out.push_back({"zz_ry", c});
    }
    {
        sim::Circuit c(n);
        each(c, GateKind::SH, 0);
        for (int b = 0; b < 8; ++b) {
            each(c, GateKind::RX, 1);
            each(c, GateKind::RY, 1);
            each(c, GateKind::RZ, 1);
            for (int q = 0; q + 1 < n; q += 2) c.add(GateKind::CZ, {q, q + 1});
            for (int q = 1; q + 1 < n; q += 2) c.add(GateKind::CZ, {q, q + 1});
        }
        out.push_back({"rxyz", c});
    }
    {
        sim::Circuit c(n);
        for (int b = 0; b < 8; ++b) {
            ring(c, GateKind::RZX, 1);
            ring(c, GateKind::RXX, 1);
        }
        out.push_back({"zx_xx", c});
    }
    {
        sim::Circuit c(n);
        for (int b = 0; b < 4; ++b) {
            each(c, GateKind::RX, 1);
            each(c, GateKind::S, 0);
            ring(c, GateKind::CX, 0);
            each(c, GateKind::RY, 1);
            each(c, GateKind::T, 0);
            ring(c, GateKind::Swap, 0);
            each(c, GateKind::RZ, 1);
            each(c, GateKind::T, 0);
            ring(c, GateKind::SSwap, 0);
            each(c, GateKind::U1, 1);
            ring(c, GateKind::CU3, 3);
        }
        out.push_back({"rxyz_u1_cu3", c});
    }
    {
        sim::Circuit c(n);
        for (int b = 0; b < 8; ++b) {
            each(c, GateKind::RZ, 1);
            each(c, GateKind::X, 0);
            each(c, GateKind::RZ, 1);
            each(c, GateKind::SX, 0);
            each(c, GateKind::RZ, 1);
            ring(c, GateKind::CX, 0);
        }
        out.push_back({"ibmq_basis", c});
    }
    return out;
}

}  // namespace qnas::test
