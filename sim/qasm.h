// OpenQASM 2.0 import and export for the circuit IR.
//
// Export writes `OPENQASM 2.0;` + `include "qelib1.inc";`, a `gate` declaration (in strict
// qelib1 gates, generated from the gate table's decompositions) for every gate outside the
// 23-gate strict qelib1.inc, then the circuit with every angle bound and printed at round-trip
// precision, so export → import reproduces each angle bit for bit.
//
// Import reads OpenQASM 2.0 (registers, includes, gate definitions, parameter expressions,
// broadcasting, barrier, measure) into a Circuit with constant angles. Gate definitions whose
// name and arity match a table gate keep the table gate (as Qiskit's legacy loader does);
// other definitions are expanded inline. Everything qnas cannot represent exactly (`if`,
// `opaque`, mid-circuit reset, gates after a measurement on the same qubit) is rejected with a
// QasmError located at the offending token. Not supported: OpenQASM 3.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "sim/circuit.h"

namespace qnas::sim {

// The circuit as OpenQASM 2.0 text with Trainable angles taken from θ and Input angles from x.
// Throws qnas::Error if the circuit is invalid, θ or x is shorter than the circuit expects, or
// an angle is not finite.
std::string to_qasm(const Circuit& c, std::span<const double> theta = {}, std::span<const double> x = {});

// The `gate name(params) a,b { ... }` line the exporter writes for a gate outside strict
// qelib1.inc (its body uses strict gates and other declared gates). Empty for strict gates.
std::string qasm_gate_declaration(GateKind kind);

// Parses OpenQASM 2.0 text. `filename` is used in error messages and to resolve includes
// (relative to its directory). All angles are constants; measurements go to Circuit::measures.
// Throws qnas::QasmError (`file:line:col: message`) on any invalid or unsupported input.
Circuit parse_qasm(std::string_view text, const std::string& filename);

// Reads and parses a file; throws qnas::Error naming the file if it cannot be read.
Circuit load_qasm(const std::string& path);

// A double as the shortest text that reads back to the same value (C locale). An exponent
// always follows a decimal point ("1.0e-05"), as strict OpenQASM 2.0 readers require.
std::string qasm_real(double v);

// Limits that keep the importer from exhausting stack or memory on hostile input.
inline constexpr int kQasmMaxExpressionDepth = 64;  // nested parentheses / unary operators
inline constexpr int kQasmMaxGateNesting = 64;      // gate definitions calling definitions
inline constexpr int kQasmMaxIncludeDepth = 16;     // nested include files
inline constexpr long kQasmMaxOps = 1L << 20;       // gates after expansion, and measurements
inline constexpr long kQasmMaxBits = 1L << 20;      // total qubits, and total classical bits

}  // namespace qnas::sim
