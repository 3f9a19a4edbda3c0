#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_helpers.h"
#include "noise/basis.h"
#include "noise/calibration.h"
#include "sim/qasm.h"
#include "sim/statevector.h"

using qnas::test::check_one_line_error;
using qnas::test::count_lines;
using qnas::test::data_dir;
using qnas::test::run;
using qnas::test::TempDir;

namespace {

namespace fs = std::filesystem;

std::vector<double> parse_list(const std::string& s) { return nlohmann::json::parse(s).get<std::vector<double>>(); }

// GHZ on 3 qubits with a non-Clifford detour that cancels (rz then its inverse), measured 0→0, 1→1, 2→2.
const std::string kGhz =
    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\ncreg c[3];\nh q[0];\ncx q[0], q[1];\nry(0.4) q[2];\n"
    "ry(-0.4) q[2];\ncx q[1], q[2];\nmeasure q -> c;\n";

// The ideal GHZ distribution over 3 clbits.
void check_ghz(const std::vector<double>& p, double tol) {
    REQUIRE(p.size() == 8);
    for (std::size_t i = 0; i < 8; ++i) CHECK(p[i] == Approx(i == 0 || i == 7 ? 0.5 : 0.0).margin(tol));
}

}  // namespace

TEST_CASE("compile then simulate --device: GHZ round trip on quito", "[cli][compile]") {
    TempDir dir("qnas_compile_test_");
    const std::string dd = data_dir();
    const std::string ghz = dir.write("ghz.qasm", kGhz);
    const auto c = run({"compile", ghz, "--device", "quito", "--data-dir", dd});
    REQUIRE(c.code == 0);
    INFO(c.err);
    CHECK(count_lines(c.err) == 1);
    CHECK(c.err.rfind("compiled for quito: layout ", 0) == 0);
    for (const char* part : {" -> final ", ", swaps ", ", 2q gates 2 -> ", "(cx), depth ", ", success rate 0."})
        CHECK(c.err.find(part) != std::string::npos);
    // Physical QASM: the device's qubits, the logical clbits, basis gates only.
    const qnas::sim::Circuit phys = qnas::sim::parse_qasm(c.out, "compiled.qasm");
    CHECK(phys.n_qubits == 5);
    CHECK(phys.n_clbits == 3);
    CHECK(phys.measures.size() == 3);
    const auto basis = qnas::noise::Basis::ibm_cx();
    for (const auto& op : phys.ops) CHECK(basis.contains(op.kind));
    CHECK(c.out.find("qreg q[5];") != std::string::npos);
    CHECK(c.out.find("creg c[3];") != std::string::npos);

    const std::string compiled = dir.write("ghz_quito.qasm", c.out);
    const auto none = run({"simulate", compiled, "--device", "quito", "--noise", "none", "--data-dir", dd});
    REQUIRE(none.code == 0);
    check_ghz(parse_list(none.out), 1e-12);
    const auto exact = run({"simulate", compiled, "--device", "quito", "--data-dir", dd});
    REQUIRE(exact.code == 0);
    const auto p = parse_list(exact.out);
    check_ghz(p, 0.2);
    double diff = 0.0;
    for (std::size_t i = 0; i < 8; ++i) diff = std::max(diff, std::abs(p[i] - (i == 0 || i == 7 ? 0.5 : 0.0)));
    CHECK(diff > 1e-3);  // noise and readout error are there

    // -o writes the same text to a file and nothing to stdout; the same seed gives the same output.
    const std::string out_file = (dir.path / "out.qasm").string();
    const auto o = run({"compile", ghz, "--device", "quito", "--data-dir", dd, "-o", out_file});
    REQUIRE(o.code == 0);
    CHECK(o.out.empty());
    std::ifstream in(out_file);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == c.out);
    CHECK(run({"compile", ghz, "--device", "quito", "--data-dir", dd, "--seed", "42"}).out == c.out);
    // An explicit layout is honoured (and reported).
    const auto l = run({"compile", ghz, "--device", "quito", "--data-dir", dd, "--layout", "3,1,0"});
    REQUIRE(l.code == 0);
    CHECK(l.err.find("layout 3,1,0 -> final ") != std::string::npos);
    const std::string compiled_l = dir.write("ghz_l.qasm", l.out);
    check_ghz(parse_list(run({"simulate", compiled_l, "--device", "quito", "--noise", "none", "--data-dir", dd}).out),
              1e-12);
    // Shots on the compiled circuit are deterministic for a seed.
    const std::vector<std::string> shots = {"simulate", compiled, "--device", "quito",      "--noise",
                                            "shots",    "--seed", "3",        "--data-dir", dd};
    CHECK(run(shots).out == run(shots).out);
}

TEST_CASE("compile + exact simulate behave on every shipped device", "[cli][compile]") {
    TempDir dir("qnas_compile_test_");
    const std::string dd = data_dir();
    const std::string ghz = dir.write("ghz.qasm", kGhz);
    const std::vector<std::string> devices = qnas::noise::list_devices(dd);
    CHECK(devices.size() >= 24);
    for (const std::string& name : devices) {
        INFO(name);
        const auto c = run({"compile", ghz, "--device", name, "--data-dir", dd});
        REQUIRE(c.code == 0);
        CHECK(c.err.rfind("compiled for " + name + ": ", 0) == 0);
        const std::string compiled = dir.write(name + ".qasm", c.out);
        const auto e = run({"simulate", compiled, "--device", name, "--data-dir", dd});
        INFO(e.err);
        REQUIRE(e.code == 0);
        const auto p = parse_list(e.out);
        REQUIRE(p.size() == 8);
        double total = 0.0;
        for (double v : p) total += v;
        CHECK(total == Approx(1.0).margin(1e-12));
        CHECK(p[0] + p[7] > 0.5);
        CHECK(p[0] + p[7] < 1.0);
    }
}

TEST_CASE("compile reports bad input in one line", "[cli][compile]") {
    TempDir dir("qnas_compile_test_");
    const std::string dd = data_dir();
    const std::string ghz = dir.write("ghz.qasm", kGhz);
    check_one_line_error(run({"compile", ghz, "--device", "nosuchdevice", "--data-dir", dd}), "nosuchdevice");
    check_one_line_error(run({"compile", ghz, "--data-dir", dd}), "compile: --device is required");
    check_one_line_error(run({"compile", "--device", "quito", "--data-dir", dd}), "missing the CIRCUIT.qasm argument");
    check_one_line_error(run({"compile", ghz, "--device", "quito", "--layout", "0,0,1", "--data-dir", dd}), "layout");
    check_one_line_error(run({"compile", ghz, "--device", "quito", "--layout", "0,1,x", "--data-dir", dd}), "layout");
    check_one_line_error(run({"compile", ghz, "--device", "quito", "--layout", "0,1,7", "--data-dir", dd}), "layout");
    check_one_line_error(run({"compile", ghz, "--device", "quito", "--layout", "0,1", "--data-dir", dd}), "layout");
    const std::string wide =
        dir.write("wide.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[6];\ncx q[0], q[5];\n");
    check_one_line_error(run({"compile", wide, "--device", "quito", "--data-dir", dd}), "6");
    check_one_line_error(run({"compile", ghz, "--device", "quito", "--frobnicate"}), "'--frobnicate'");
    check_one_line_error(
        run({"compile", ghz, "--device", "quito", "--data-dir", dd, "-o", (dir.path / "no" / "x.qasm").string()}),
        "cannot write");
    // A logical circuit handed to simulate --device is refused with the compile hint.
    check_one_line_error(run({"simulate", ghz, "--device", "quito", "--data-dir", dd}), "run 'qnas compile");
}

TEST_CASE("compile --help and the command list", "[cli][compile]") {
    const auto h = run({"compile", "--help"});
    CHECK(h.code == 0);
    for (const char* flag : {"--device", "--layout", "--seed", "--data-dir", "--output", "Examples"})
        CHECK(h.out.find(flag) != std::string::npos);
    const auto all = run({"help"});
    CHECK(all.out.find("compile CIRCUIT.qasm --device NAME") != std::string::npos);
    CHECK(all.out.find("simulate CIRCUIT.qasm --device NAME") != std::string::npos);
}
