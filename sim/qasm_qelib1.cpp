#include "sim/qasm_qelib1.h"

#include <array>

namespace qnas::sim::qasm {

std::span<const std::string_view> qelib1_table_gates() {
    static constexpr std::array<std::string_view, 32> names{
        // strict qelib1.inc
        "u3", "u2", "u1", "cx", "id", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "rx", "ry", "rz", "cz", "cy", "ccx",
        "crz", "cu1", "cu3",
        // Qiskit's legacy qelib1.inc
        "u", "p", "sx", "sxdg", "swap", "crx", "cry", "cp", "rxx", "rzz"};
    return names;
}

std::string_view qelib1_definitions() {
    // ch: H = RY(π/4)·Z·RY(−π/4), so the controlled form only needs a cz between the two ry.
    return "gate ch a,b { ry(-pi/4) b; cz a,b; ry(pi/4) b; }\n"
           "gate cswap a,b,c { cx c,b; ccx a,b,c; cx c,b; }\n"
           "gate cu(theta,phi,lambda,gamma) c,t { u1(gamma) c; cu3(theta,phi,lambda) c,t; }\n"
           "gate csx a,b { h b; cu1(pi/2) a,b; h b; }\n"
           "gate u0(gamma) q { id q; }\n";
}

}  // namespace qnas::sim::qasm
