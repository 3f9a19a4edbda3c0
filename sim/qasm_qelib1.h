// What `include "qelib1.inc";` brings into scope for the OpenQASM 2.0 importer (internal to
// sim/qasm_*.cpp). Gates of the table are used directly; qelib1 gates the table lacks are
// defined by QASM text and expanded into table gates like any user definition.
#pragma once

#include <span>
#include <string_view>

namespace qnas::sim::qasm {

// Names that become table gates: the strict 23-gate qelib1.inc (except ch) plus the extras of
// Qiskit's legacy qelib1.inc that the table holds (u, p, sx, sxdg, swap, crx, cry, cp, rxx, rzz),
// which Qiskit's own exporter writes without declaring them.
std::span<const std::string_view> qelib1_table_gates();

// Definitions of the remaining qelib1 gates (strict: ch; legacy: cswap, cu, csx, u0), in
// terms of table gates, exact including global phase.
std::string_view qelib1_definitions();

}  // namespace qnas::sim::qasm
