#include "sim/circuit.h"

#include <algorithm>
#include <set>
#include <string>

#include "sim/error.h"

namespace qnas::sim {

double Param::resolve(std::span<const double> theta, std::span<const double> x) const {
    switch (source) {
        case Source::Const: return offset;
        case Source::Trainable: return offset + scale * theta[static_cast<std::size_t>(index)];
        case Source::Input: return offset + scale * x[static_cast<std::size_t>(index)];
    }
    return offset;
}

Circuit& Circuit::add(GateKind kind, std::initializer_list<int> qubits, std::initializer_list<Param> params) {
    Op op;
    op.kind = kind;
    std::copy_n(qubits.begin(), std::min<std::size_t>(qubits.size(), kMaxGateQubits), op.qubits.begin());
    std::copy_n(params.begin(), std::min<std::size_t>(params.size(), kMaxGateParams), op.params.begin());
    QNAS_CHECK(static_cast<int>(qubits.size()) == gate_info(kind).n_qubits, "wrong number of qubits for gate");
    QNAS_CHECK(static_cast<int>(params.size()) == gate_info(kind).n_params, "wrong number of parameters for gate");
    return add(op);
}

Circuit& Circuit::add(const Op& op) {
    const auto& g = gate_info(op.kind);
    for (int q = 0; q < g.n_qubits; ++q) n_qubits = std::max(n_qubits, op.qubits[static_cast<std::size_t>(q)] + 1);
    for (int j = 0; j < g.n_params; ++j) {
        const Param& p = op.params[static_cast<std::size_t>(j)];
        if (p.source == Param::Source::Trainable) n_trainable = std::max(n_trainable, p.index + 1);
        if (p.source == Param::Source::Input) n_inputs = std::max(n_inputs, p.index + 1);
    }
    ops.push_back(op);
    return *this;
}

void validate(const Circuit& c) {
    for (std::size_t i = 0; i < c.ops.size(); ++i) {
        const Op& op = c.ops[i];
        const auto& g = gate_info(op.kind);
        const std::string where = "op " + std::to_string(i) + " (" + std::string(g.name) + "): ";
        for (int a = 0; a < g.n_qubits; ++a) {
            const int q = op.qubits[static_cast<std::size_t>(a)];
            if (q < 0 || q >= c.n_qubits)
                throw Error(where + "qubit " + std::to_string(q) + " outside 0.." + std::to_string(c.n_qubits - 1));
            for (int b = 0; b < a; ++b)
                if (op.qubits[static_cast<std::size_t>(b)] == q)
                    throw Error(where + "qubit " + std::to_string(q) + " used twice");
        }
        for (int j = 0; j < g.n_params; ++j) {
            const Param& p = op.params[static_cast<std::size_t>(j)];
            if (p.source == Param::Source::Trainable && (p.index < 0 || p.index >= c.n_trainable))
                throw Error(where + "trainable index " + std::to_string(p.index) + " out of range");
            if (p.source == Param::Source::Input && (p.index < 0 || p.index >= c.n_inputs))
                throw Error(where + "input index " + std::to_string(p.index) + " out of range");
        }
    }
    for (const Measure& m : c.measures)
        if (m.qubit < 0 || m.qubit >= c.n_qubits || m.clbit < 0 || m.clbit >= c.n_clbits)
            throw Error("measure " + std::to_string(m.qubit) + " -> " + std::to_string(m.clbit) + " out of range");
}

std::array<double, kMaxGateParams> resolve_angles(const Op& op, std::span<const double> theta,
                                                  std::span<const double> x) {
    std::array<double, kMaxGateParams> a{};
    const int np = gate_info(op.kind).n_params;
    for (int j = 0; j < np; ++j)
        a[static_cast<std::size_t>(j)] = op.params[static_cast<std::size_t>(j)].resolve(theta, x);
    return a;
}

Circuit bind(const Circuit& c, std::span<const double> theta, std::span<const double> x) {
    Circuit out = c;
    out.n_trainable = 0;
    out.n_inputs = 0;
    for (Op& op : out.ops) {
        const auto a = resolve_angles(op, theta, x);
        const int np = gate_info(op.kind).n_params;
        for (int j = 0; j < np; ++j)
            op.params[static_cast<std::size_t>(j)] = Param::constant(a[static_cast<std::size_t>(j)]);
    }
    return out;
}

int count_trainable_occurrences(const Circuit& c) {
    int n = 0;
    for (const Op& op : c.ops)
        for (int j = 0; j < gate_info(op.kind).n_params; ++j)
            n += op.params[static_cast<std::size_t>(j)].source == Param::Source::Trainable;
    return n;
}

std::vector<int> used_trainables(const Circuit& c) {
    std::set<int> s;
    for (const auto& op : c.ops)
        for (int j = 0; j < gate_info(op.kind).n_params; ++j)
            if (op.params[static_cast<std::size_t>(j)].source == Param::Source::Trainable)
                s.insert(op.params[static_cast<std::size_t>(j)].index);
    return {s.begin(), s.end()};
}

}  // namespace qnas::sim
