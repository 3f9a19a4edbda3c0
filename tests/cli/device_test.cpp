#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

#include "cli_helpers.h"

using qnas::test::data_dir;
using qnas::test::run;

namespace {

int count_lines(const std::string& s) {
    int n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

}  // namespace

TEST_CASE("list devices prints one line per shipped device", "[cli][device]") {
    const auto r = run({"list", "devices", "--data-dir", data_dir()});
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    CHECK(count_lines(r.out) == 24);
    CHECK(r.out.find("quito          5 qubits  basis id,rz,sx,x,cx,reset   2q cx\n") != std::string::npos);
    CHECK(r.out.find("kyiv         127 qubits  basis ecr,id,rz,sx,x        2q ecr\n") != std::string::npos);
    CHECK(r.out.rfind("athens ", 0) == 0);  // sorted by size, then name
    // list gates keeps working.
    CHECK(run({"list", "gates"}).code == 0);
}

TEST_CASE("list devices with a missing data dir is one error line", "[cli][device]") {
    const auto r = run({"list", "devices", "--data-dir", data_dir() + "/nowhere"});
    CHECK(r.code == 1);
    CHECK(r.err == "error: " + data_dir() +
                       "/nowhere/devices: not a folder (set --data-dir to the folder holding "
                       "devices/)\n");
}

TEST_CASE("device show summarises a calibration with the README medians", "[cli][device]") {
    const auto r = run({"device", "show", "quito", "--data-dir", data_dir()});
    REQUIRE(r.code == 0);
    CHECK(r.out ==
          "device: quito (ibmq_quito)\n"
          "qubits: 5\n"
          "basis: id, rz, sx, x, cx, reset\n"
          "two-qubit gate: cx\n"
          "coupling: 8 directed edges: 0-1 1-0 1-2 1-3 2-1 3-1 3-4 4-3\n"
          "dt: 0.222222 ns\n"
          "median T1: 60.2 us\n"
          "median T2: 26.8 us (as reported)\n"
          "median readout error: 0.0443\n"
          "median 1q error (sx): 0.0016\n"
          "median 2q error (cx): 0.0358\n"
          "2q gate length: 235-533 ns\n"
          "gates with relaxation error >= reported error (no depolarizing part): 3\n"
          "clamps and warnings: 0\n");
}

TEST_CASE("device show reports clamps and works by path and on 127-qubit devices", "[cli][device]") {
    auto r = run({"device", "show", data_dir() + "/devices/brisbane"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("qubits: 127\n") != std::string::npos);
    CHECK(r.out.find("coupling: 144 directed edges\n") != std::string::npos);
    CHECK(r.out.find("median T1: 232.0 us\n") != std::string::npos);
    CHECK(r.out.find("  qubit 119: T2 139") != std::string::npos);
    CHECK(r.out.find("gate ecr25_24: gate_error 1 > d/(d+1) = 0.8") != std::string::npos);
    CHECK(r.out.find("(no depolarizing part): 160\n") != std::string::npos);
}

TEST_CASE("device show errors are one line", "[cli][device]") {
    auto r = run({"device", "show", "atlantis", "--data-dir", data_dir()});
    CHECK(r.code == 1);
    CHECK(r.err.rfind("error: unknown device 'atlantis'", 0) == 0);
    CHECK(count_lines(r.err) == 1);
    const char* root = std::getenv("QNAS_SOURCE_DIR");
    r = run({"device", "show", std::string(root) + "/tests/noise/data/nonnumeric_t1"});
    CHECK(r.code == 1);
    CHECK(r.err == "error: " + std::string(root) +
                       "/tests/noise/data/nonnumeric_t1/props.json: /qubits/1/0/value: expected a number, got "
                       "\"abc\"\n");
    r = run({"device", "frobnicate"});
    CHECK(r.code == 1);
    CHECK(r.err == "error: device: expected a subcommand, one of: show (got 'frobnicate')\n");
    r = run({"device", "show"});
    CHECK(r.code == 1);
    CHECK(count_lines(r.err) == 1);
    r = run({"help"});
    CHECK(r.out.find("device show NAME_OR_PATH") != std::string::npos);
}
