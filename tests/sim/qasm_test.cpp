#include "sim/qasm.h"

#include <bit>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "reference.h"
#include "sim/error.h"

using namespace qnas;
using namespace qnas::sim;

namespace {

constexpr double kPi = std::numbers::pi;

std::filesystem::path data_dir() {
    // ctest sets QNAS_SOURCE_DIR; a runner started by hand falls back to this file's location.
    if (const char* src = std::getenv("QNAS_SOURCE_DIR")) return std::filesystem::path(src) / "tests/data/qasm";
    return std::filesystem::path(__FILE__).parent_path().parent_path() / "data/qasm";
}

std::string data_file(const std::string& name) { return (data_dir() / name).string(); }

std::vector<GateKind> kinds(const Circuit& c) {
    std::vector<GateKind> k;
    for (const Op& op : c.ops) k.push_back(op.kind);
    return k;
}

// Equal as circuits, and every used angle equal bit for bit (== would let -0.0 match 0.0).
void require_identical(const Circuit& a, const Circuit& b) {
    REQUIRE(a == b);
    for (std::size_t i = 0; i < a.ops.size(); ++i)
        for (int j = 0; j < gate_info(a.ops[i].kind).n_params; ++j)
            REQUIRE(std::bit_cast<std::uint64_t>(a.ops[i].params[static_cast<std::size_t>(j)].offset) ==
                    std::bit_cast<std::uint64_t>(b.ops[i].params[static_cast<std::size_t>(j)].offset));
}

double angle(const Op& op, int j = 0) { return op.params[static_cast<std::size_t>(j)].offset; }

const std::string kHeader = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";

// The declarations of to_qasm's output (the `gate` lines), with each gate also declared a second
// time as NAME_body, a new name, so that calling NAME_body expands the exported body itself.
std::string declarations_with_body_copies(const std::string& qasm) {
    std::istringstream in(qasm);
    std::string line, originals, copies;
    while (std::getline(in, line)) {
        if (line.rfind("gate ", 0) != 0) continue;
        originals += line + "\n";
        const auto name_end = line.find_first_of("( ", 5);
        copies += line.substr(0, name_end) + "_body" + line.substr(name_end) + "\n";
    }
    return originals + copies;
}

}  // namespace

TEST_CASE("every gate of the table survives export and import", "[qasm]") {
    std::mt19937_64 rng(11);
    for (const GateInfo& g : gate_table()) {
        CAPTURE(g.name);
        // Operands in a shuffled order on 3 qubits, so operand order and little-endianness matter.
        Circuit c(3);
        Op op;
        op.kind = g.kind;
        std::array<int, 3> qs{2, 0, 1};
        std::shuffle(qs.begin(), qs.end(), rng);
        for (int k = 0; k < g.n_qubits; ++k) op.qubits[static_cast<std::size_t>(k)] = qs[static_cast<std::size_t>(k)];
        const auto angles = test::random_angles(g.n_params, rng);
        for (int j = 0; j < g.n_params; ++j)
            op.params[static_cast<std::size_t>(j)] = Param::constant(angles[static_cast<std::size_t>(j)]);
        c.add(op);
        const std::string text = to_qasm(c);
        CAPTURE(text);
        const Circuit back = parse_qasm(text, "gate.qasm");
        CHECK(kinds(back) == kinds(c));
        require_identical(back, c);
        CHECK(test::phase_insensitive_distance(test::circuit_unitary(back), test::circuit_unitary(c)) < 1e-12);
    }
}

TEST_CASE("random circuits round-trip bit for bit", "[qasm]") {
    std::mt19937_64 rng(2024);
    for (int trial = 0; trial < 120; ++trial) {
        const int n = 1 + trial % 6;
        Circuit c = test::random_circuit(n, 1 + static_cast<int>(rng() % 24), rng);
        if (trial % 3 == 0) {  // some circuits also measure
            c.n_clbits = n + 1;
            for (int q = 0; q < n; q += 2) c.measures.push_back({q, (q + 1) % c.n_clbits});
        }
        const auto theta = test::random_angles(c.n_trainable, rng);
        const auto x = test::random_angles(c.n_inputs, rng);
        const std::string text = to_qasm(c, theta, x);
        CAPTURE(trial, text);
        const Circuit back = parse_qasm(text, "random.qasm");
        require_identical(back, sim::bind(c, theta, x));
        CHECK(test::phase_insensitive_distance(test::circuit_unitary(back), test::circuit_unitary(c, theta, x)) <
              1e-10);
    }
}

TEST_CASE("exported declarations are correct QASM for every non-strict gate", "[qasm]") {
    Circuit all(3);
    for (const GateInfo& g : gate_table()) {
        Op op;
        op.kind = g.kind;
        op.qubits = {0, 1, 2};
        all.add(op);
    }
    const std::string decls = declarations_with_body_copies(to_qasm(all));
    std::mt19937_64 rng(5);
    int checked = 0;
    for (const GateInfo& g : gate_table()) {
        if (g.strict_qelib1) continue;
        CAPTURE(g.name);
        const auto angles = test::random_angles(g.n_params, rng);
        std::string call = std::string(g.name) + "_body";
        if (g.n_params > 0) {
            call += "(";
            for (int j = 0; j < g.n_params; ++j)
                call.append(j ? ", " : "").append(qasm_real(angles[static_cast<std::size_t>(j)]));
            call += ")";
        }
        for (int k = 0; k < g.n_qubits; ++k) call.append(k ? ", q[" : " q[").append(std::to_string(k)).append("]");
        const std::string text = kHeader + decls + "qreg q[" + std::to_string(g.n_qubits) + "];\n" + call + ";\n";
        CAPTURE(text);
        const Circuit body = parse_qasm(text, "decl.qasm");
        CHECK(body.ops.size() == g.decomposition.size());
        CHECK(test::phase_insensitive_distance(test::circuit_unitary(body), g.matrix(angles)) < 1e-12);
        ++checked;
    }
    CHECK(checked >= 10);
}

TEST_CASE("declarations come before first use, in dependency order", "[qasm]") {
    Circuit c(2);
    c.add(GateKind::ECR, {0, 1}).add(GateKind::SSwap, {1, 0}).add(GateKind::RZX, {0, 1}, {Param::constant(0.5)});
    const std::string text = to_qasm(c);
    const auto pos = [&](const std::string& s) { return text.find(s); };
    CHECK(pos("gate rzx(theta) a,b {") < pos("gate ecr a,b {"));
    CHECK(pos("gate rxx(theta) a,b {") < pos("gate sswap a,b {"));
    CHECK(pos("gate ryy(theta) a,b {") < pos("gate sswap a,b {"));
    CHECK(pos("gate rzz(theta) a,b {") < pos("gate sswap a,b {"));
    CHECK(pos("gate ecr") < pos("qreg q[2];"));
    CHECK(text.find("gate rzx", pos("gate rzx") + 1) == std::string::npos);  // declared once
    // Angles in bodies are exact expressions of the parameter names.
    CHECK(text.find("gate ecr a,b { rzx(pi/4) a, b; x a; rzx(-pi/4) a, b; }") != std::string::npos);
    CHECK(text.find("gate sswap a,b { rxx(pi/4) a, b; ryy(pi/4) a, b; rzz(pi/4) a, b; }") != std::string::npos);
    Circuit d(2);
    d.add(GateKind::CRX, {0, 1}, {Param::constant(1)});
    CHECK(to_qasm(d).find("gate crx(lambda) a,b { u1(pi/2) b; cx a, b; u3(-lambda/2, 0, 0) b; cx a, b; "
                          "u3(lambda/2, -pi/2, 0) b; }") != std::string::npos);
}

// Golden file: every gate of the table, in table order, with fixed angles and a measurement.
// The export is a compatibility promise, so any change to it must show up as a diff here.
// Regenerate after an intended change with: QNAS_UPDATE_GOLDEN=1 ./qnas_tests_sim "[qasm]"
TEST_CASE("export of every gate matches the golden file", "[qasm]") {
    Circuit c(3);
    c.n_clbits = 1;
    int i = 0;
    for (const GateInfo& g : gate_table()) {
        Op op;
        op.kind = g.kind;
        for (int k = 0; k < g.n_qubits; ++k) op.qubits[static_cast<std::size_t>(k)] = (i + k) % 3;
        for (int j = 0; j < g.n_params; ++j)
            op.params[static_cast<std::size_t>(j)] = Param::constant(0.1 * (i + 1) - 0.7 * j);
        c.add(op);
        ++i;
    }
    c.measures = {{2, 0}};
    const std::string text = to_qasm(c);
    const std::string path = data_file("all_gates.qasm");
    if (std::getenv("QNAS_UPDATE_GOLDEN")) std::ofstream(path) << text;
    std::ifstream in(path);
    REQUIRE(in.good());
    std::stringstream golden;
    golden << in.rdbuf();
    CHECK(text == golden.str());
    require_identical(load_qasm(path), c);
}

TEST_CASE("export format: header, registers, bound angles, measurements", "[qasm]") {
    Circuit c(2);
    c.n_clbits = 2;
    c.add(GateKind::H, {0})
        .add(GateKind::RY, {1}, {Param::trainable(0, 2.0)})
        .add(GateKind::RZ, {0}, {Param::input(0)})
        .add(GateKind::RX, {1}, {Param::constant(1e-5)});
    c.measures = {{0, 1}, {1, 0}};
    const std::vector<double> theta{0.25}, x{-0.75};
    CHECK(to_qasm(c, theta, x) ==
          "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\nry(0.5) q[1];\nrz(-0.75) q[0];\n"
          "rx(1.0e-05) q[1];\nmeasure q[0] -> c[1];\nmeasure q[1] -> c[0];\n");
    CHECK(qasm_real(0.1) == "0.1");
    CHECK(qasm_real(1e300) == "1.0e+300");
    CHECK(qasm_real(kPi) == "3.141592653589793");
    CHECK_THROWS_AS(to_qasm(c), Error);  // θ and x missing
    Circuit bad(1);
    bad.add(GateKind::RX, {0}, {Param::constant(std::nan(""))});
    CHECK_THROWS_AS(to_qasm(bad), Error);
}

TEST_CASE("qelib1 gates outside the table are defined exactly", "[qasm]") {
    const auto cmat = [](const Matrix& u) {  // control on operand 0 (low bit)
        Matrix m = Matrix::Identity(4, 4);
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 2; ++c) m(1 + 2 * r, 1 + 2 * c) = u(r, c);
        return m;
    };
    const auto unitary = [](const std::string& body, int n) {
        return test::circuit_unitary(parse_qasm(kHeader + "qreg q[" + std::to_string(n) + "];\n" + body, "q.qasm"));
    };
    const auto exact = [](const Matrix& a, const Matrix& b) { return (a - b).norm() < 1e-12; };
    CHECK(exact(unitary("ch q[0], q[1];", 2), cmat(gate_matrix(GateKind::H, {}))));
    CHECK(exact(unitary("csx q[0], q[1];", 2), cmat(gate_matrix(GateKind::SX, {}))));
    const std::vector<double> a{0.3, -1.1, 2.0};
    CHECK(exact(unitary("cu(0.3, -1.1, 2, 0.7) q[0], q[1];", 2),
                cmat(std::exp(cplx(0, 0.7)) * gate_matrix(GateKind::U3, a))));
    CHECK(exact(unitary("u0(5) q[0];", 1), Matrix::Identity(2, 2)));
    Matrix fredkin = Matrix::Identity(8, 8);  // control operand 0, swap operands 1 and 2
    fredkin(3, 3) = fredkin(5, 5) = 0;
    fredkin(3, 5) = fredkin(5, 3) = 1;
    CHECK(exact(unitary("cswap q[0], q[1], q[2];", 3), fredkin));
}

TEST_CASE("parameter expressions evaluate like C++", "[qasm]") {
    const Circuit c = load_qasm(data_file("expressions.qasm"));
    REQUIRE(c.ops.size() == 12);
    const std::vector<double> want{1e-3,
                                   25.0,
                                   0.5,
                                   -kPi / 2 + 2 * kPi / 4,
                                   -4.0,
                                   0.5,
                                   512.0,
                                   ((1.0 + 2.0) * 3.0) / 4.0,
                                   std::sin(kPi / 6) + std::cos(kPi / 3) - std::tan(kPi / 4),
                                   std::exp(1.0) * std::log(2.0) / std::sqrt(2.0),
                                   1.5};
    for (std::size_t i = 0; i < want.size(); ++i) {
        CAPTURE(i);
        CHECK(c.ops[i].kind == GateKind::RZ);
        CHECK(angle(c.ops[i]) == want[i]);
    }
    CHECK(c.ops[11].kind == GateKind::U3);
    CHECK(angle(c.ops[11], 0) == 0.1);
    CHECK(angle(c.ops[11], 1) == -0.2e-1);
    CHECK(angle(c.ops[11], 2) == 3.0);
}

TEST_CASE("custom gates expand, calling custom gates", "[qasm]") {
    const Circuit c = load_qasm(data_file("custom_gates.qasm"));
    const double t = 0.3;
    Circuit want(3);
    want.add(GateKind::RY, {0}, {Param::constant(t)})
        .add(GateKind::RZZ, {0, 2}, {Param::constant(2 * (-t / 2))})
        .add(GateKind::RY, {2}, {Param::constant(kPi - t)})
        .add(GateKind::RZZ, {2, 0}, {Param::constant(2 * t)})
        .add(GateKind::RY, {1}, {Param::constant(1)})
        .add(GateKind::RZZ, {1, 0}, {Param::constant(4)});
    require_identical(c, want);
}

TEST_CASE("a declaration matching a table gate keeps the table gate", "[qasm]") {
    // As in Qiskit's legacy loader, name and arity decide; the body is only checked for syntax.
    const Circuit c =
        parse_qasm(kHeader + "gate ryy(t) a, b { rx(t) a; }\nqreg q[2];\nryy(0.5) q[1], q[0];\n", "m.qasm");
    Circuit want(2);
    want.add(GateKind::RYY, {1, 0}, {Param::constant(0.5)});
    require_identical(c, want);
    // Without qelib1.inc too; and a new name with the same body is expanded instead.
    const Circuit d = parse_qasm(
        "OPENQASM 2.0;\ngate sx a { U(pi/2, -pi/2, pi/2) a; }\ngate mysx a { U(pi/2, -pi/2, pi/2) a; }\n"
        "qreg q[1];\nsx q[0];\nmysx q[0];\n",
        "m.qasm");
    CHECK(kinds(d) == std::vector<GateKind>{GateKind::SX, GateKind::U3});
    CHECK_THROWS_WITH(parse_qasm(kHeader + "gate sx a { bogus a; }\n", "m.qasm"),
                      Catch::Contains("m.qasm:3:13: unknown gate 'bogus'"));
}

TEST_CASE("the built-in U and CX work without qelib1.inc", "[qasm]") {
    const Circuit c = parse_qasm("OPENQASM 2.0;\nqreg q[2];\nU(pi/2, 0, pi) q[1];\nCX q[1], q[0];\n", "b.qasm");
    Circuit want(2);
    want.add(GateKind::U3, {1}, {Param::constant(kPi / 2), Param::constant(0), Param::constant(kPi)})
        .add(GateKind::CX, {1, 0});
    require_identical(c, want);
    CHECK_THROWS_WITH(parse_qasm("OPENQASM 2;\nqreg q[1];\nh q[0];", "b.qasm"),
                      Catch::Contains("b.qasm:3:1: unknown gate 'h' (missing 'include \"qelib1.inc\";'?)"));
}

TEST_CASE("registers flatten in order; broadcasting and measure forms", "[qasm]") {
    const Circuit c = load_qasm(data_file("registers.qasm"));
    CHECK(c.n_qubits == 5);
    CHECK(c.n_clbits == 5);
    Circuit want(5);
    want.n_clbits = 5;
    want.add(GateKind::H, {0})
        .add(GateKind::H, {1})
        .add(GateKind::CX, {0, 2})
        .add(GateKind::CX, {1, 3})
        .add(GateKind::CX, {4, 0})
        .add(GateKind::CX, {4, 1});
    want.measures = {{0, 0}, {1, 1}, {3, 4}};
    require_identical(c, want);
}

TEST_CASE("includes resolve relative to the including file", "[qasm]") {
    const Circuit c = load_qasm(data_file("include_main.qasm"));
    CHECK(kinds(c) == std::vector<GateKind>{GateKind::H, GateKind::CX, GateKind::X});
    try {
        load_qasm(data_file("include_cycle.qasm"));
        FAIL("expected an include-cycle error");
    } catch (const QasmError& e) {
        CHECK(e.file() == data_file("include/cycle_b.inc"));
        CHECK(e.line() == 1);
        CHECK(e.col() == 9);
        CHECK(std::string(e.what()).find("include cycle") != std::string::npos);
    }
    CHECK_THROWS_WITH(parse_qasm(kHeader + "include \"no/such.inc\";\n", data_file("x.qasm")),
                      Catch::Contains("x.qasm:3:9: cannot read included file"));
    CHECK_THROWS_WITH(load_qasm(data_file("missing.qasm")), Catch::Contains("missing.qasm: no such file"));
}

TEST_CASE("malformed input is rejected at the offending token", "[qasm]") {
    struct Case {
        std::string text;
        std::string where;    // "line:col"
        std::string message;  // a substring of the message
    };
    const std::string h = kHeader + "qreg q[2];\ncreg c[2];\n";  // lines 1-4; a case's own text starts on line 5
    const std::string deep = "rx(" + std::string(200, '(') + "1" + std::string(200, ')') + ") q[0];";
    const std::vector<Case> cases{
        {"qreg q[1];", "1:1", "expected 'OPENQASM 2.0;'"},
        {"", "1:1", "empty file"},
        {"OPENQASM 3.0;", "1:10", "unsupported OpenQASM version '3.0'"},
        {"OPENQASM 2.0\nqreg q[1];", "1:13", "expected ';' before 'qreg'"},
        {h + "if (c==1) x q[0];", "5:1", "'if'"},
        {h + "opaque g a;", "5:1", "opaque gates are not supported"},
        {h + "h q[0];\nreset q[0];", "6:1", "mid-circuit reset"},
        {h + "measure q[1] -> c[1];\nreset q[1];", "6:1", "mid-circuit reset"},
        {h + "measure q[1] -> c[1];\nx q[1];", "6:1", "after it was measured"},
        {h + "foo q[0];", "5:1", "unknown gate 'foo'"},
        {h + "rzx(0.1) q[0], q[1];", "5:1", "unknown gate 'rzx' (not in qelib1.inc"},
        {kHeader.substr(0, 14) + "qreg q[1];\nh q[0];", "3:1", "missing 'include \"qelib1.inc\";'"},
        {h + "rx q[0];", "5:1", "gate 'rx' takes 1 parameter, but 0 were given"},
        {h + "h(0.1) q[0];", "5:1", "gate 'h' takes 0 parameters, but 1 was given"},
        {h + "cx q[0];", "5:1", "gate 'cx' acts on 2 qubits, but 1 was given"},
        {h + "h r[0];", "5:3", "undeclared register 'r'"},
        {h + "h c[0];", "5:3", "'c' is a classical register"},
        {h + "h q[2];", "5:5", "index 2 out of range for qreg q[2]"},
        {h + "h q[-1];", "5:5", "expected an index"},
        {h + "cx q[1], q[1];", "5:10", "qubit q[1] is used twice"},
        {h + "cx q[0], q;", "5:10", "qubit q[0] is used twice"},
        {h + "qreg r[3];\ncx q, r;", "6:7", "different sizes"},
        {h + "qreg q[1];", "5:6", "register 'q' is already declared (at 3:6)"},
        {h + "creg q[1];", "5:6", "register 'q' is already declared"},
        {h + "qreg r[0];", "5:8", "at least 1"},
        {h + "qreg pi[1];", "5:6", "reserved word"},
        {h + "gate g a { h a; }\ngate g a { x a; }", "6:6", "gate 'g' is already defined"},
        {h + "gate rzz a, b { }", "5:6", "gate 'rzz' is already defined with 1 parameter and 2 qubits"},
        {h + "gate U a { }", "5:6", "cannot redefine the built-in gate 'U'"},
        {h + "gate g(t, t) a { }", "5:11", "duplicate name 't'"},
        {h + "gate g a { h a; ", "5:17", "missing '}' to close the body of gate 'g' opened at 5:10"},
        {h + "gate g a h a; }", "5:10", "expected '{'"},
        {h + "gate g(t) a { rx(u) a; }", "5:18", "unknown parameter 'u'"},
        {h + "gate g a { g a; }", "5:12", "cannot call itself"},
        {h + "gate g a { h a[0]; }", "5:15", "cannot be indexed"},
        {h + "gate g a { h b; }", "5:14", "'b' is not a qubit argument of gate 'g'"},
        {h + "gate g a, b { cx a, a; }", "5:21", "used twice"},
        {h + "gate g a { measure a -> c[0]; }", "5:12", "not allowed inside a gate body"},
        {h + "h q[0]\nh q[1];", "5:7", "expected ';' before 'h'"},
        {h + "h q[0]", "5:7", "expected ';' before end of file"},
        {h + "rx(theta) q[0];", "5:4", "unknown identifier 'theta'"},
        {h + "rx(1/0) q[0];", "5:4", "finite"},
        {h + "rx(ln(0)) q[0];", "5:4", "finite"},
        {h + "rx(1e999) q[0];", "5:4", "out of range"},
        {h + "rx(1e) q[0];", "5:5", "malformed exponent"},
        {h + "rx(1 +) q[0];", "5:7", "expected an expression, found ')'"},
        {h + "rx((1) q[0];", "5:8", "expected ')'"},
        {h + deep, "5:68", "expression nested too deeply"},
        {h + "measure q -> c[0];", "5:14", "both sides indexed or both whole registers"},
        {h + "creg d[3];\nmeasure q -> d;", "6:14", "sizes differ"},
        {h + "measure q[0] -> q[1];", "5:17", "'q' is a quantum register"},
        {h + "measure q[0], c[0];", "5:13", "expected '->'"},
        {h + "/* never closed\nh q[0];", "5:1", "unterminated comment"},
        {h + "include \"qelib1.inc;\n", "5:9", "unterminated string"},
        {h + "include qelib1.inc;", "5:9", "expected a file name in double quotes"},
        {h + "h q[0]; @", "5:9", "unexpected character '@'"},
        {h + "h q[0]; \x01", "5:9", "unexpected byte 0x01"},
        {h + "OPENQASM 2.0;", "5:1", "must be the first statement"},
        {h + "-> q;", "5:1", "expected a statement, found '->'"},
        {h + "CX q[0];", "5:1", "acts on 2 qubits"},
        {h + "U(1, 2) q[0];", "5:1", "takes 3 parameters"},
    };
    for (const Case& k : cases) {
        CAPTURE(k.text);
        try {
            parse_qasm(k.text, "bad.qasm");
            FAIL("no error");
        } catch (const QasmError& e) {
            const std::string what = e.what();
            CHECK(what.rfind("bad.qasm:" + k.where + ": ", 0) == 0);
            CHECK(what.find(k.message) != std::string::npos);
            CHECK(what.find('\n') == std::string::npos);
            CHECK(what == e.file() + ":" + std::to_string(e.line()) + ":" + std::to_string(e.col()) +
                              what.substr(what.find(": ")));
        }
    }
}

TEST_CASE("hostile inputs hit limits instead of exhausting time or memory", "[qasm]") {
    // 40 gates each calling the previous twice would expand to 2^40 gates.
    std::string doubling = kHeader + "gate g0 a { x a; }\n";
    for (int i = 1; i < 40; ++i)
        doubling += "gate g" + std::to_string(i) + " a { g" + std::to_string(i - 1) + " a; g" + std::to_string(i - 1) +
                    " a; }\n";
    doubling += "qreg q[1];\ng39 q[0];\n";
    CHECK_THROWS_WITH(parse_qasm(doubling, "bomb.qasm"),
                      Catch::Contains("bomb.qasm:44:1: the circuit expands to more"));

    std::string chain = kHeader + "gate g0 a { x a; }\n";
    for (int i = 1; i < 100; ++i) chain += "gate g" + std::to_string(i) + " a { g" + std::to_string(i - 1) + " a; }\n";
    CHECK_THROWS_WITH(parse_qasm(chain, "chain.qasm"), Catch::Contains("nested more than 64 deep"));

    std::string unary = kHeader + "qreg q[1];\nrx(" + std::string(100000, '-') + "1) q[0];\n";
    CHECK_THROWS_WITH(parse_qasm(unary, "neg.qasm"), Catch::Contains("nested too deeply"));

    // A long flat sum is fine: it neither recurses while parsing nor while evaluating.
    std::string sum = kHeader + "qreg q[1];\nrx(0";
    for (int i = 0; i < 100000; ++i) sum += "+1";
    const Circuit c = parse_qasm(sum + ") q[0];\n", "sum.qasm");
    CHECK(angle(c.ops.at(0)) == 100000.0);
}

TEST_CASE("truncated and corrupted files give QasmError, never a crash", "[qasm]") {
    std::ifstream in(data_file("custom_gates.qasm"));
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    REQUIRE(text.size() > 100);
    std::mt19937_64 rng(9);
    int errors = 0;
    const auto attempt = [&](const std::string& t) {
        try {
            parse_qasm(t, "fuzz.qasm");
        } catch (const QasmError&) {
            ++errors;
        }
    };
    for (std::size_t len = 0; len < text.size(); ++len) attempt(text.substr(0, len));
    const std::string alphabet = "(){}[];,->^*/+ \nqxh0123456789.e\"/*";
    for (int i = 0; i < 2000; ++i) {
        std::string t = text;
        for (int m = 0; m < 3; ++m) t[rng() % t.size()] = alphabet[rng() % alphabet.size()];
        attempt(t);
    }
    CHECK(errors > 1000);
}
