#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "cli_helpers.h"
#include "noise/calibration.h"
#include "noise/noise_model.h"
#include "noise/noisy_execution.h"
#include "sim/qasm.h"

using qnas::test::check_one_line_error;
using qnas::test::count_lines;
using qnas::test::data_dir;
using qnas::test::run;
using qnas::test::TempDir;

namespace {

namespace fs = std::filesystem;

const std::string kBell =
    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0], q[1];\nmeasure q -> c;\n";

}  // namespace

TEST_CASE("simulate prints Bell probabilities and amplitudes", "[cli][qasm]") {
    TempDir dir("qnas_simulate_test_");
    const std::string bell = dir.write("bell.qasm", kBell);
    for (const auto& args : {std::vector<std::string>{"simulate", bell},
                             std::vector<std::string>{"simulate", bell, "--output", "probabilities"}}) {
        const auto r = run(args);
        REQUIRE(r.code == 0);
        CHECK(r.err.empty());
        CHECK(count_lines(r.out) == 1);
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
    TempDir dir("qnas_simulate_test_");
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
    TempDir dir("qnas_simulate_test_");
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

namespace {

// A physical circuit of quito (basis gates on native pairs), measures in swapped clbit order and
// one clbit left unwritten.
const std::string kQuitoPhysical =
    "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[5];\ncreg c[3];\nrz(0.3) q[0];\nsx q[0];\ncx q[0], q[1];\n"
    "x q[3];\ncx q[3], q[1];\nmeasure q[0] -> c[1];\nmeasure q[1] -> c[0];\n";

std::vector<double> parse_list(const std::string& s) { return nlohmann::json::parse(s).get<std::vector<double>>(); }

}  // namespace

TEST_CASE("simulate --device runs the noise model over the classical register", "[cli][execution]") {
    TempDir dir("qnas_simulate_test_");
    const std::string f = dir.write("quito.qasm", kQuitoPhysical);
    const std::string dd = data_dir();
    const auto exact = run({"simulate", f, "--device", "quito", "--data-dir", dd});
    REQUIRE(exact.code == 0);
    CHECK(exact.err.empty());
    const std::vector<double> p = parse_list(exact.out);
    // Same numbers as the library on the same file (the CLI only plumbs).
    const qnas::noise::NoiseModel model = qnas::noise::build_noise_model(qnas::noise::load_device("quito", dd));
    const auto lib = qnas::noise::execute(qnas::sim::load_qasm(f), model, {});
    REQUIRE(p.size() == 8);
    for (std::size_t i = 0; i < 8; ++i) CHECK(p[i] == lib.probabilities[i]);
    CHECK(p[4] == 0.0);  // clbit 2 is never written
    const auto none = run({"simulate", f, "--device", "quito", "--noise", "none", "--data-dir", dd});
    REQUIRE(none.code == 0);
    const std::vector<double> ideal = parse_list(none.out);
    double diff = 0.0;
    for (std::size_t i = 0; i < 8; ++i) diff = std::max(diff, std::abs(ideal[i] - p[i]));
    CHECK(diff > 1e-3);
    // Noise-free reference: the ideal state vector of the same file, marginalised by hand.
    const auto sv = parse_list(run({"simulate", f}).out);
    std::vector<double> marg(8, 0.0);
    for (std::size_t i = 0; i < sv.size(); ++i) marg[((i >> 1) & 1) | ((i & 1) << 1)] += sv[i];
    for (std::size_t i = 0; i < 8; ++i) CHECK(ideal[i] == Approx(marg[i]).margin(1e-12));

    const std::vector<std::string> shots = {"simulate", f,      "--device", "quito", "--noise",    "shots",
                                            "--shots",  "4000", "--seed",   "5",     "--data-dir", dd};
    const auto s1 = run(shots), s2 = run(shots);
    REQUIRE(s1.code == 0);
    CHECK(s1.out == s2.out);
    auto other = shots;
    other[9] = "6";
    CHECK(run(other).out != s1.out);
    double total = 0.0;
    for (double v : parse_list(s1.out)) {
        CHECK(v * 4000 == std::round(v * 4000));  // counts / shots
        total += v;
    }
    CHECK(total == Approx(1.0));
    const auto traj =
        run({"simulate", f, "--device", "quito", "--noise", "trajectories", "--trajectories", "400", "--data-dir", dd});
    REQUIRE(traj.code == 0);
    const auto t = parse_list(traj.out);
    REQUIRE(t.size() == 8);
    for (std::size_t i = 0; i < 8; ++i) CHECK(t[i] == Approx(p[i]).margin(0.05));

    // --idle-noise: the library's model with idle relaxation, and only with --device.
    const auto idle = run({"simulate", f, "--device", "quito", "--idle-noise", "--data-dir", dd});
    REQUIRE(idle.code == 0);
    qnas::noise::NoiseModelOptions mo;
    mo.idle = true;
    const auto lib_idle = qnas::noise::execute(
        qnas::sim::load_qasm(f), qnas::noise::build_noise_model(qnas::noise::load_device("quito", dd), mo), {});
    const auto pi = parse_list(idle.out);
    REQUIRE(pi.size() == 8);
    double moved = 0.0;
    for (std::size_t i = 0; i < 8; ++i) {
        CHECK(pi[i] == lib_idle.probabilities[i]);
        moved = std::max(moved, std::abs(pi[i] - p[i]));
    }
    CHECK(moved > 1e-5);  // q0 waits while cx(3, 1) runs
    check_one_line_error(run({"simulate", f, "--idle-noise"}), "simulate: --idle-noise needs --device");
}

TEST_CASE("simulate --device refuses circuits that are not compiled for the device", "[cli][execution]") {
    TempDir dir("qnas_simulate_test_");
    const std::string dd = data_dir();
    auto sim_on = [&](const std::string& name, const std::string& body) {
        const std::string f =
            dir.write(name, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[5];\ncreg c[2];\n" + body);
        return run({"simulate", f, "--device", "quito", "--data-dir", dd});
    };
    check_one_line_error(sim_on("h.qasm", "h q[0];\n"),
                         "gate 0 (h on qubit 0) is not in quito's basis; run 'qnas compile");
    check_one_line_error(sim_on("far.qasm", "sx q[1];\ncx q[0], q[2];\n"),
                         "gate 1 (cx on qubits 0,2) is not a native pair of quito; run 'qnas compile");
    qnas::sim::Circuit ecr(5);
    ecr.add(qnas::sim::GateKind::ECR, {0, 1});  // to_qasm declares ecr (not in qelib1.inc)
    const std::string ecr_file = dir.write("ecr.qasm", qnas::sim::to_qasm(ecr));
    check_one_line_error(run({"simulate", ecr_file, "--device", "quito", "--data-dir", dd}),
                         "(ecr on qubits 0,1) is not in quito's basis");
    const std::string wide = dir.write("wide.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[6];\nx q[5];\n");
    check_one_line_error(run({"simulate", wide, "--device", "quito", "--data-dir", dd}),
                         "the circuit has 6 qubits, quito has 5; run 'qnas compile " + wide + " --device quito' first");
    const std::string ok = dir.write("ok.qasm", kQuitoPhysical);
    check_one_line_error(run({"simulate", ok, "--device", "nosuchdevice", "--data-dir", dd}), "nosuchdevice");
    check_one_line_error(run({"simulate", ok, "--device", "quito", "--noise", "dense", "--data-dir", dd}),
                         "none, exact, shots, trajectories (got 'dense')");
    check_one_line_error(run({"simulate", ok, "--device", "quito", "--shots", "10", "--data-dir", dd}),
                         "--shots needs --noise shots");
    check_one_line_error(
        run({"simulate", ok, "--device", "quito", "--noise", "shots", "--shots", "0", "--data-dir", dd}),
        "shots must be at least 1");
    check_one_line_error(run({"simulate", ok, "--device", "quito", "--noise", "trajectories", "--trajectories", "abc",
                              "--data-dir", dd}),
                         "--trajectories");
    check_one_line_error(run({"simulate", ok, "--noise", "exact"}), "--noise needs --device");
    check_one_line_error(run({"simulate", ok, "--seed", "1"}), "--seed needs --device");
    check_one_line_error(run({"simulate", ok, "--device", "quito", "--output", "statevector", "--data-dir", dd}),
                         "only --output probabilities");
}
