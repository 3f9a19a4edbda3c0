// OpenQASM 2.0 export: gate declarations generated from the gate table, then the bound circuit.
#include <charconv>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/qasm.h"

namespace qnas::sim {

namespace {

constexpr std::array<const char*, kMaxGateQubits> kArgNames{"a", "b", "c"};

// k·π/d for small integers, when that expression evaluates (left to right, as the importer
// does) to exactly v; empty otherwise. Keeps declared bodies readable and exact.
std::string pi_fraction(double v) {
    for (int d = 1; d <= 16; ++d) {
        const double k = std::nearbyint(v * d / std::numbers::pi);
        if (k == 0 || std::abs(k) > 64) continue;
        const double value =
            k == 1 ? std::numbers::pi / d : (k == -1 ? -(std::numbers::pi / d) : k * std::numbers::pi / d);
        if (value != v) continue;
        std::string s = k == -1 ? "-" : (k == 1 ? "" : std::to_string(static_cast<long>(k)).append("*"));
        s.append("pi");
        if (d != 1) s.append("/").append(std::to_string(d));
        return s;
    }
    return {};
}

std::string constant(double v) {
    if (std::string s = pi_fraction(v); !s.empty()) return s;
    return qasm_real(v);
}

// coeff·name, written so that the importer computes exactly coeff·θ.
std::string scaled(double coeff, std::string_view name) {
    const std::string n(name);
    if (coeff == 1) return n;
    if (coeff == -1) return std::string("-").append(n);
    for (int d = 2; d <= 64; d *= 2) {  // θ/2^k is exactly θ·2^-k
        if (coeff == 1.0 / d) return std::string(n).append("/").append(std::to_string(d));
        if (coeff == -1.0 / d) return std::string("-").append(n).append("/").append(std::to_string(d));
    }
    return qasm_real(coeff).append("*").append(n);
}

// offset + Σ coeff_j·θ_j as an expression of the parameter names: "-lambda/2", "pi/4",
// "theta/2 + pi/2". Exact for the table's angles, which use at most one parameter each.
std::string render_angle(const AffineAngle& a, const GateInfo& g) {
    std::vector<std::string> terms;
    for (int j = 0; j < g.n_params; ++j)
        if (const double k = a.coeff[static_cast<std::size_t>(j)]; k != 0)
            terms.push_back(scaled(k, g.param_names[static_cast<std::size_t>(j)]));
    if (a.offset != 0 || terms.empty()) terms.push_back(constant(a.offset));
    std::string out = terms[0];
    for (std::size_t i = 1; i < terms.size(); ++i)
        out.append(terms[i][0] == '-' ? " - " : " + ").append(terms[i], terms[i][0] == '-' ? 1 : 0);
    return out;
}

std::string declaration(const GateInfo& g) {
    std::string s = std::string("gate ").append(g.name);
    if (g.n_params > 0) {
        s += "(";
        for (int j = 0; j < g.n_params; ++j) s.append(j ? "," : "").append(g.param_names[static_cast<std::size_t>(j)]);
        s += ")";
    }
    for (int q = 0; q < g.n_qubits; ++q) s.append(q ? "," : " ").append(kArgNames[static_cast<std::size_t>(q)]);
    s += " {";
    for (const DecompositionOp& d : g.decomposition) {
        const GateInfo& dg = gate_info(d.kind);
        s.append(" ").append(dg.name);
        if (dg.n_params > 0) {
            s += "(";
            for (int j = 0; j < dg.n_params; ++j)
                s.append(j ? ", " : "").append(render_angle(d.angles[static_cast<std::size_t>(j)], g));
            s += ")";
        }
        for (int q = 0; q < dg.n_qubits; ++q)
            s.append(q ? ", " : " ").append(kArgNames[static_cast<std::size_t>(d.qubits[static_cast<std::size_t>(q)])]);
        s += ";";
    }
    return s + " }\n";
}

// Post-order over decompositions: every non-strict gate after the non-strict gates it uses.
void declare(GateKind k, std::vector<bool>& done, std::string& out) {
    const GateInfo& g = gate_info(k);
    if (g.strict_qelib1 || done[static_cast<std::size_t>(k)]) return;
    done[static_cast<std::size_t>(k)] = true;
    for (const DecompositionOp& d : g.decomposition) declare(d.kind, done, out);
    out += declaration(g);
}

}  // namespace

std::string qasm_real(double v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    QNAS_CHECK(r.ec == std::errc(), "to_chars failed");
    std::string s(buf, r.ptr);
    const auto e = s.find('e');
    if (e != std::string::npos && s.find('.') == std::string::npos) s.insert(e, ".0");
    return s;
}

std::string qasm_gate_declaration(GateKind kind) {
    const GateInfo& g = gate_info(kind);
    return g.strict_qelib1 ? std::string() : declaration(g);
}

std::string to_qasm(const Circuit& c, std::span<const double> theta, std::span<const double> x) {
    validate(c);
    if (theta.size() < static_cast<std::size_t>(c.n_trainable))
        throw Error("QASM export: the circuit has " + std::to_string(c.n_trainable) + " trainable angles but " +
                    std::to_string(theta.size()) + " values were given");
    if (x.size() < static_cast<std::size_t>(c.n_inputs))
        throw Error("QASM export: the circuit has " + std::to_string(c.n_inputs) + " inputs but " +
                    std::to_string(x.size()) + " values were given");

    std::string out = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";
    std::vector<bool> done(static_cast<std::size_t>(kGateCount), false);
    for (const Op& op : c.ops) declare(op.kind, done, out);
    if (c.n_qubits > 0) out += "qreg q[" + std::to_string(c.n_qubits) + "];\n";
    if (c.n_clbits > 0) out += "creg c[" + std::to_string(c.n_clbits) + "];\n";

    for (std::size_t i = 0; i < c.ops.size(); ++i) {
        const Op& op = c.ops[i];
        const GateInfo& g = gate_info(op.kind);
        const auto angles = resolve_angles(op, theta, x);
        out += g.name;
        if (g.n_params > 0) {
            out += "(";
            for (int j = 0; j < g.n_params; ++j) {
                const double a = angles[static_cast<std::size_t>(j)];
                if (!std::isfinite(a))
                    throw Error("QASM export: op " + std::to_string(i) + " (" + std::string(g.name) +
                                ") has a non-finite angle");
                out.append(j ? ", " : "").append(qasm_real(a));
            }
            out += ")";
        }
        for (int q = 0; q < g.n_qubits; ++q)
            out.append(q ? ", q[" : " q[").append(std::to_string(op.qubits[static_cast<std::size_t>(q)])).append("]");
        out += ";\n";
    }
    for (const Measure& m : c.measures)
        out += "measure q[" + std::to_string(m.qubit) + "] -> c[" + std::to_string(m.clbit) + "];\n";
    return out;
}

}  // namespace qnas::sim
