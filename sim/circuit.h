// Circuit IR: a list of gate applications whose angles are affine functions of a constant, a
// shared trainable angle θ_i, or a per-sample input feature x_i. The same IR feeds the batched
// simulator (θ shared, x per sample), the density-matrix simulator and QASM export.
#pragma once

#include <array>
#include <initializer_list>
#include <span>
#include <vector>

#include "sim/gates.h"

namespace qnas::sim {

// One gate angle: offset + scale · value, where value is θ[index], x[index] or nothing.
struct Param {
    enum class Source : std::uint8_t { Const, Trainable, Input };
    Source source = Source::Const;
    int index = -1;
    double scale = 1.0;
    double offset = 0.0;

    static Param constant(double v) { return {Source::Const, -1, 1.0, v}; }
    static Param trainable(int i, double scale = 1.0) { return {Source::Trainable, i, scale, 0.0}; }
    static Param input(int i, double scale = 1.0) { return {Source::Input, i, scale, 0.0}; }
    double resolve(std::span<const double> theta, std::span<const double> x) const;
    bool operator==(const Param&) const = default;
};

struct Op {
    GateKind kind = GateKind::I;
    std::array<int, kMaxGateQubits> qubits{};
    std::array<Param, kMaxGateParams> params{};
    bool operator==(const Op&) const = default;
};

struct Measure {
    int qubit;
    int clbit;
    bool operator==(const Measure&) const = default;
};

struct Circuit {
    int n_qubits = 0;
    int n_clbits = 0;
    int n_trainable = 0;  // length of θ the circuit expects
    int n_inputs = 0;     // length of x the circuit expects
    std::vector<Op> ops;
    std::vector<Measure> measures;

    Circuit() = default;
    explicit Circuit(int nq) : n_qubits(nq) {}
    // Appends a gate; grows n_trainable / n_inputs to cover the parameters used.
    Circuit& add(GateKind kind, std::initializer_list<int> qubits, std::initializer_list<Param> params = {});
    Circuit& add(const Op& op);
    bool operator==(const Circuit&) const = default;
};

// Throws qnas::Error when an op has wrong arity, repeated or out-of-range qubits, or parameter
// indices outside n_trainable / n_inputs.
void validate(const Circuit& c);

// The angles of one op for given θ and x.
std::array<double, kMaxGateParams> resolve_angles(const Op& op, std::span<const double> theta,
                                                  std::span<const double> x);

// A copy with every angle turned into a constant.
Circuit bind(const Circuit& c, std::span<const double> theta, std::span<const double> x = {});

// Number of trainable angle occurrences (ops × parameters with Source::Trainable).
int count_trainable_occurrences(const Circuit& c);

// The distinct trainable indices the circuit's ops read, ascending.
std::vector<int> used_trainables(const Circuit& c);

}  // namespace qnas::sim
