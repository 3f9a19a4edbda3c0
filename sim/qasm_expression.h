// Parameter expressions of the OpenQASM 2.0 importer (internal to sim/qasm_*.cpp), stored in
// postfix order and evaluated with an explicit stack, so evaluating a long or deep expression
// never recurses. Variables are the parameters of the enclosing gate definition, by position.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace qnas::sim::qasm {

enum class Code : std::uint8_t { Number, Variable, Neg, Add, Sub, Mul, Div, Pow, Sin, Cos, Tan, Exp, Ln, Sqrt };

struct Instr {
    Code code;
    double value = 0.0;  // Number
    int index = 0;       // Variable
};

struct Expr {
    std::vector<Instr> code;  // postfix; a well-formed expression leaves exactly one value
    int line = 0, col = 0;    // where it starts, for errors found at evaluation
};

// Value of the expression with variables bound to `vars` (may be NaN or ±inf).
double evaluate(const Expr& e, std::span<const double> vars);

}  // namespace qnas::sim::qasm
