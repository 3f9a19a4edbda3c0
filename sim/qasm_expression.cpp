#include "sim/qasm_expression.h"

#include <cmath>

#include "sim/error.h"

namespace qnas::sim::qasm {

double evaluate(const Expr& e, std::span<const double> vars) {
    std::vector<double> stack;
    stack.reserve(e.code.size());
    auto pop = [&stack] {
        QNAS_CHECK(!stack.empty(), "malformed postfix expression");
        const double v = stack.back();
        stack.pop_back();
        return v;
    };
    for (const Instr& in : e.code) {
        switch (in.code) {
            case Code::Number: stack.push_back(in.value); break;
            case Code::Variable:
                QNAS_CHECK(in.index >= 0 && static_cast<std::size_t>(in.index) < vars.size(), "unbound variable");
                stack.push_back(vars[static_cast<std::size_t>(in.index)]);
                break;
            case Code::Neg: stack.push_back(-pop()); break;
            case Code::Sin: stack.push_back(std::sin(pop())); break;
            case Code::Cos: stack.push_back(std::cos(pop())); break;
            case Code::Tan: stack.push_back(std::tan(pop())); break;
            case Code::Exp: stack.push_back(std::exp(pop())); break;
            case Code::Ln: stack.push_back(std::log(pop())); break;
            case Code::Sqrt: stack.push_back(std::sqrt(pop())); break;
            default: {
                const double b = pop(), a = pop();
                switch (in.code) {
                    case Code::Add: stack.push_back(a + b); break;
                    case Code::Sub: stack.push_back(a - b); break;
                    case Code::Mul: stack.push_back(a * b); break;
                    case Code::Div: stack.push_back(a / b); break;
                    default: stack.push_back(std::pow(a, b)); break;
                }
            }
        }
    }
    QNAS_CHECK(stack.size() == 1, "malformed postfix expression");
    return stack.back();
}

}  // namespace qnas::sim::qasm
