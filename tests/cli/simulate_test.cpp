#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "cli_helpers.h"

using qnas::test::run;

namespace {

namespace fs = std::filesystem;

// A scratch directory per test run, removed at exit.
struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("qnas_simulate_test_" + std::to_string(std::random_device{}()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

const std::string kBell =
    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0], q[1];\nmeasure q -> c;\n";

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// A failed command: non-zero exit, nothing on stdout, one "error: ..." line on stderr.
void check_one_line_error(const qnas::test::CliResult& r, const std::string& fragment) {
    CAPTURE(r.err);
    CHECK(r.code != 0);
    CHECK(r.out.empty());
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(r.err.find(fragment) != std::string::npos);
}

}  // namespace

TEST_CASE("simulate prints Bell probabilities and amplitudes", "[cli][qasm]") {
    TempDir dir;
    const std::string bell = dir.write("bell.qasm", kBell);
    for (const auto& args : {std::vector<std::string>{"simulate", bell},
                             std::vector<std::string>{"simulate", bell, "--output", "probabilities"}}) {
        const auto r = run(args);
        REQUIRE(r.code == 0);
        CHECK(r.err.empty());
        CHECK(lines(r.out) == 1);
        const auto p = nlohmann::json::parse(r.out);
        REQUIRE(p.size() == 4);
        CHECK(p[0].get<double>() == Approx(0.5));
        CHECK(p[1].get<double>() == 0.0);
        CHECK(p[2].get<double>() == 0.0);
        CHECK(p[3].get<double>() == Approx(0.5));
    }
    const auto r = run({"simulate", bell, "--output", "statevector"});
    REQUIRE(r.code == 0);
    const auto psi = nlohmann::json::parse(r.out);
    REQUIRE(psi.size() == 4);
    const double h = 1 / std::sqrt(2.0);
    for (int i = 0; i < 4; ++i) {
        REQUIRE(psi[i].size() == 2);
        CHECK(psi[i][0].get<double>() == Approx(i == 0 || i == 3 ? h : 0.0).margin(1e-15));
        CHECK(psi[i][1].get<double>() == Approx(0.0).margin(1e-15));
    }
}

TEST_CASE("simulate output is little-endian over all declared qubits", "[cli][qasm]") {
    TempDir dir;
    const std::string f = dir.write("x0.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\nx q[0];\n");
    const auto r = run({"simulate", f});
    REQUIRE(r.code == 0);
    CHECK(r.out == "[0, 1, 0, 0, 0, 0, 0, 0]\n");
    const auto s = run({"simulate", f, "--output=statevector"});
    REQUIRE(s.code == 0);
    CHECK(s.out == "[[0, 0], [1, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]\n");
    // Two registers: the second one's qubit is bit 2.
    const std::string g =
        dir.write("regs.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg a[2];\nqreg b[1];\nx b[0];\n");
    CHECK(run({"simulate", g}).out == "[0, 0, 0, 0, 1, 0, 0, 0]\n");
}

TEST_CASE("simulate reports bad input in one line", "[cli][qasm]") {
    TempDir dir;
    const std::string bell = dir.write("bell.qasm", kBell);
    check_one_line_error(run({"simulate", bell, "--frobnicate"}), "'--frobnicate'");
    check_one_line_error(run({"simulate", bell, "--output", "density"}),
                         "--output must be one of probabilities, statevector (got 'density')");
    const std::string missing = (dir.path / "missing.qasm").string();
    check_one_line_error(run({"simulate", missing}), missing + ": no such file");
    check_one_line_error(run({"simulate", dir.path.string()}), "is a directory");
    check_one_line_error(run({"simulate"}), "missing the CIRCUIT.qasm argument");
    const std::string bad = dir.write("bad.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nh q[0]\n");
    check_one_line_error(run({"simulate", bad}), bad + ":4:7: expected ';' before end of file");
    const std::string wide = dir.write("wide.qasm", "OPENQASM 2.0;\nqreg q[25];\n");
    check_one_line_error(run({"simulate", wide}), "25 qubits; simulate supports at most 24");
}

TEST_CASE("simulate --help describes the flags", "[cli][qasm]") {
    const auto r = run({"simulate", "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("--output") != std::string::npos);
    CHECK(r.out.find("statevector") != std::string::npos);
}
