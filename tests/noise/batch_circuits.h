// Candidate circuits shaped like the search's: the 4x4_ryzxy image encoder (16 features: RY on
// wires 0–3, then RZ, RX, RY) followed by U3+CU3 blocks (U3 on each wire, CU3 ring).
#pragma once

#include "sim/circuit.h"

namespace qnas::test {

inline sim::Circuit encoder_4x4_ryzxy(int n_qubits = 4) {
    sim::Circuit c(n_qubits);
    const sim::GateKind order[4] = {sim::GateKind::RY, sim::GateKind::RZ, sim::GateKind::RX, sim::GateKind::RY};
    int feature = 0;
    for (auto kind : order)
        for (int q = 0; q < 4; ++q) c.add(kind, {q % n_qubits}, {sim::Param::input(feature++)});
    return c;
}

// Appends n_blocks of U3 on every wire + CU3 on the ring [0,1],[1,2],…,[n−1,0].
inline void add_u3cu3_blocks(sim::Circuit& c, int n_blocks) {
    const int n = c.n_qubits;
    int t = c.n_trainable;
    for (int b = 0; b < n_blocks; ++b) {
        for (int q = 0; q < n; ++q, t += 3)
            c.add(sim::GateKind::U3, {q},
                  {sim::Param::trainable(t), sim::Param::trainable(t + 1), sim::Param::trainable(t + 2)});
        for (int q = 0; q < n; ++q, t += 3)
            c.add(sim::GateKind::CU3, {q, (q + 1) % n},
                  {sim::Param::trainable(t), sim::Param::trainable(t + 1), sim::Param::trainable(t + 2)});
    }
}

inline sim::Circuit mnist4_u3cu3(int n_blocks) {
    auto c = encoder_4x4_ryzxy();
    add_u3cu3_blocks(c, n_blocks);
    return c;
}

}  // namespace qnas::test
