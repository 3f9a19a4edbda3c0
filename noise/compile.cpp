#include "noise/compile.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "noise/optimize.h"
#include "sim/error.h"
#include "sim/gates.h"

namespace qnas::noise {

namespace {

using sim::GateKind;
using sim::Op;

std::size_t uz(int i) { return static_cast<std::size_t>(i); }

std::string op_name(const sim::Circuit& c, std::size_t i) {
    return std::string("gate ")
        .append(std::to_string(i))
        .append(" (")
        .append(sim::gate_info(c.ops[i].kind).name)
        .append(")");
}

void check_input(const sim::Circuit& bound, const Device& device) {
    sim::validate(bound);
    for (std::size_t i = 0; i < bound.ops.size(); ++i) {
        const auto& info = sim::gate_info(bound.ops[i].kind);
        for (int j = 0; j < info.n_params; ++j)
            if (bound.ops[i].params[uz(j)].source != sim::Param::Source::Const)
                throw Error(std::string("compile: ")
                                .append(op_name(bound, i))
                                .append(" has a non-constant angle; bind the circuit (sim::bind) first"));
    }
    // Measures are kept apart from the ops in the IR (and the QASM reader rejects a gate after a
    // measure), so they are terminal by construction; sim::validate checked their ranges.
    if (bound.n_qubits > device.n_qubits)
        throw Error(std::string("compile: the circuit has ")
                        .append(std::to_string(bound.n_qubits))
                        .append(" qubits but ")
                        .append(device.name)
                        .append(" has only ")
                        .append(std::to_string(device.n_qubits)));
}

// cx(c, t) in the native gate on a supported direction; returns the global phase.
double lower_cx(int c, int t, const CouplingGraph& g, const Basis& basis, std::vector<Op>& out) {
    if (g.native[uz(c)][uz(t)]) return append_cx(c, t, basis, out, false);
    QNAS_CHECK(g.native[uz(t)][uz(c)], "routed cx on an uncoupled pair");
    return append_cx(c, t, basis, out, true);
}

}  // namespace

CompiledCircuit compile(const sim::Circuit& bound, const Device& device, const CompileOptions& options) {
    check_input(bound, device);
    const Basis basis = Basis::from_names(device.basis_gates);
    const CouplingGraph graph = coupling_graph(device);
    const int n_logical = bound.n_qubits;

    // 1. {1-qubit basis gates, cx}: routing and direction fixing work on cx.
    const Compiled translated = translate(bound, Basis{basis.has_x, GateKind::CX});
    CompiledCircuit res;
    res.two_qubit_before = two_qubit_count(translated.circuit);
    res.depth_before = depth(translated.circuit);

    // 2. Layout.
    std::vector<int> layout;
    if (options.layout) {
        layout = *options.layout;
        validate_layout(layout, n_logical, device, graph);
    } else {
        layout = noise_aware_layout(translated.circuit, device, graph, options.routing);
    }

    // 3. Route.
    const Routed routed = sabre_route(translated.circuit, graph, layout, options.routing);

    // 4. Lower swaps and cx to the native gate in supported directions.
    double phase = translated.global_phase;
    sim::Circuit lowered(device.n_qubits);
    lowered.ops.reserve(routed.circuit.ops.size() * 2);
    for (const Op& op : routed.circuit.ops) {
        if (op.kind == GateKind::Swap) {
            // swap = cx(a,b)·cx(b,a)·cx(a,b) exactly. On a one-way edge the outer two go the native
            // way, so only the middle one needs reversing.
            int a = op.qubits[0], b = op.qubits[1];
            if (!graph.native[uz(a)][uz(b)]) std::swap(a, b);
            phase += lower_cx(a, b, graph, basis, lowered.ops);
            phase += lower_cx(b, a, graph, basis, lowered.ops);
            phase += lower_cx(a, b, graph, basis, lowered.ops);
        } else if (op.kind == GateKind::CX) {
            phase += lower_cx(op.qubits[0], op.qubits[1], graph, basis, lowered.ops);
        } else {
            QNAS_CHECK(sim::gate_info(op.kind).n_qubits == 1 && basis.contains(op.kind), "unexpected routed gate");
            lowered.ops.push_back(op);
        }
    }

    // 5. Measures land where their logical qubit ends up.
    if (!bound.measures.empty()) {
        lowered.n_clbits = bound.n_clbits;
        for (const auto& m : bound.measures) lowered.measures.push_back({routed.final_layout[uz(m.qubit)], m.clbit});
    } else if (options.measure_all) {
        lowered.n_clbits = n_logical;
        for (int l = 0; l < n_logical; ++l) lowered.measures.push_back({routed.final_layout[uz(l)], l});
    } else {
        lowered.n_clbits = bound.n_clbits;
    }

    // 6. Optimise.
    if (options.optimize) {
        Compiled o = optimize_with_phase(lowered, basis);
        res.circuit = std::move(o.circuit);
        phase += o.global_phase;
    } else {
        res.circuit = std::move(lowered);
    }
    res.global_phase = std::remainder(phase, 2.0 * std::numbers::pi);
    res.initial_layout = routed.initial_layout;
    res.final_layout = routed.final_layout;
    res.n_swaps = routed.n_swaps;
    return res;
}

std::vector<int> touched_qubits(const sim::Circuit& physical) {
    std::vector<bool> t(uz(std::max(physical.n_qubits, 0)), false);
    auto touch = [&](int q) {
        if (q < 0 || q >= physical.n_qubits)
            throw Error(std::string("touched_qubits: qubit ")
                            .append(std::to_string(q))
                            .append(" outside the circuit's ")
                            .append(std::to_string(physical.n_qubits)));
        t[uz(q)] = true;
    };
    for (const auto& op : physical.ops)
        for (int a = 0; a < sim::gate_info(op.kind).n_qubits; ++a) touch(op.qubits[uz(a)]);
    for (const auto& m : physical.measures) touch(m.qubit);
    std::vector<int> out;
    for (int q = 0; q < physical.n_qubits; ++q)
        if (t[uz(q)]) out.push_back(q);
    return out;
}

}  // namespace qnas::noise
