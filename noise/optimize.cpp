#include "noise/optimize.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/error.h"

namespace qnas::noise {

using sim::GateKind;
using sim::Matrix;
using sim::Op;

namespace {

int arity(const Op& op) { return sim::gate_info(op.kind).n_qubits; }

void check_in_basis(const sim::Circuit& c, const Basis& basis) {
    for (const auto& op : c.ops)
        if (!basis.contains(op.kind))
            throw Error("optimize: gate '" + std::string(sim::gate_info(op.kind).name) + "' is not in the basis");
}

}  // namespace

namespace {

// Merges maximal runs of 1-qubit gates per wire with `synth` (which appends the replacement and
// returns its phase); a run is replaced only when the replacement is shorter.
template <class Synth>
bool merge_runs(sim::Circuit& c, double& global_phase, Synth synth_fn) {
    const std::size_t n = c.ops.size();
    std::vector<char> removed(n, 0);
    std::vector<std::vector<Op>> replacement(n);
    std::vector<char> has_replacement(n, 0);
    std::vector<std::vector<std::size_t>> run(static_cast<std::size_t>(c.n_qubits));
    bool changed = false;

    auto flush = [&](int q) {
        auto& r = run[static_cast<std::size_t>(q)];
        if (r.empty()) return;
        std::vector<Op> ops;
        ops.reserve(r.size());
        for (auto i : r) ops.push_back(c.ops[i]);
        const int qs[1] = {q};
        const Matrix u = local_unitary(ops, qs);
        std::vector<Op> synth;
        const double ph = synth_fn(u, q, synth);
        if (synth.size() < r.size()) {
            for (auto i : r) removed[i] = 1;
            has_replacement[r.back()] = 1;
            replacement[r.back()] = std::move(synth);
            global_phase += ph;
            changed = true;
        }
        r.clear();
    };

    for (std::size_t i = 0; i < n; ++i) {
        const Op& op = c.ops[i];
        const int k = arity(op);
        if (k == 1) {
            run[static_cast<std::size_t>(op.qubits[0])].push_back(i);
        } else {
            for (int a = 0; a < k; ++a) flush(op.qubits[static_cast<std::size_t>(a)]);
        }
    }
    for (int q = 0; q < c.n_qubits; ++q) flush(q);
    if (!changed) return false;
    std::vector<Op> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (has_replacement[i]) out.insert(out.end(), replacement[i].begin(), replacement[i].end());
        if (!removed[i]) out.push_back(c.ops[i]);
    }
    c.ops = std::move(out);
    return true;
}

}  // namespace

bool merge_1q_runs(sim::Circuit& c, const Basis& basis, double& global_phase) {
    return merge_runs(c, global_phase,
                      [&](const Matrix& u, int q, std::vector<Op>& out) { return synthesize_1q(u, q, basis, out); });
}

bool merge_1q_runs_u3(sim::Circuit& c, double& global_phase) {
    return merge_runs(c, global_phase, [](const Matrix& u, int q, std::vector<Op>& out) {
        const auto e = euler_zyz(u);
        const double tol = 1e-12;
        const double sum = std::remainder(e.phi + e.lambda, 2.0 * std::numbers::pi);
        if (std::abs(e.theta) < tol && std::abs(sum) < tol) return e.phase;  // identity up to phase
        Op op;
        op.kind = GateKind::U3;
        op.qubits[0] = q;
        op.params[0] = sim::Param::constant(e.theta);
        op.params[1] = sim::Param::constant(e.phi);
        op.params[2] = sim::Param::constant(e.lambda);
        out.push_back(op);
        const int qs[1] = {q};
        return std::arg((local_unitary(out, qs).adjoint() * u).trace());
    });
}

bool cancel_inverse_pairs(sim::Circuit& c) {
    const std::size_t n = c.ops.size();
    std::vector<char> removed(n, 0);
    std::vector<std::vector<std::size_t>> stack(static_cast<std::size_t>(c.n_qubits));
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
        const Op& op = c.ops[i];
        const auto& info = sim::gate_info(op.kind);
        const int k = info.n_qubits;
        bool cancel = false;
        std::size_t prev = 0;
        if (info.hermitian_self_inverse && info.n_params == 0) {
            auto& s0 = stack[static_cast<std::size_t>(op.qubits[0])];
            if (!s0.empty()) {
                prev = s0.back();
                const Op& p = c.ops[prev];
                cancel = p.kind == op.kind && p.qubits == op.qubits;
                for (int a = 1; a < k && cancel; ++a) {
                    const auto& sa = stack[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])];
                    cancel = !sa.empty() && sa.back() == prev;
                }
            }
        }
        if (cancel) {
            removed[prev] = removed[i] = 1;
            for (int a = 0; a < k; ++a)
                stack[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])].pop_back();
            changed = true;
        } else {
            for (int a = 0; a < k; ++a)
                stack[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])].push_back(i);
        }
    }
    if (!changed) return false;
    std::vector<Op> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        if (!removed[i]) out.push_back(c.ops[i]);
    c.ops = std::move(out);
    return true;
}

Compiled optimize_with_phase(const sim::Circuit& in_basis, const Basis& basis) {
    check_in_basis(in_basis, basis);
    Compiled res{in_basis, 0.0};
    for (int iter = 0; iter < 1000; ++iter) {
        bool changed = merge_1q_runs(res.circuit, basis, res.global_phase);
        changed = cancel_inverse_pairs(res.circuit) || changed;
        if (!changed) break;
    }
    res.global_phase = std::remainder(res.global_phase, 2.0 * std::numbers::pi);
    return res;
}

sim::Circuit optimize(const sim::Circuit& in_basis, const Basis& basis) {
    return optimize_with_phase(in_basis, basis).circuit;
}

int two_qubit_count(const sim::Circuit& c) {
    return static_cast<int>(std::count_if(c.ops.begin(), c.ops.end(), [](const Op& op) { return arity(op) >= 2; }));
}

int depth(const sim::Circuit& c) {
    std::vector<int> level(static_cast<std::size_t>(c.n_qubits), 0);
    int d = 0;
    for (const auto& op : c.ops) {
        int l = 0;
        for (int a = 0; a < arity(op); ++a)
            l = std::max(l, level[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])]);
        ++l;
        for (int a = 0; a < arity(op); ++a) level[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])] = l;
        d = std::max(d, l);
    }
    return d;
}

}  // namespace qnas::noise
