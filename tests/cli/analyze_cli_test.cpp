#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/analysis.h"
#include "cli_helpers.h"
#include "noise/calibration.h"
#include "supercircuit/design_space.h"

using nlohmann::json;
using qnas::test::check_one_line_error;
using qnas::test::count_lines;
using qnas::test::data_dir;
using qnas::test::run;
using qnas::test::TempDir;

namespace {

// Success: one JSON object on stdout, one summary line on stderr starting with the metric.
json ok(const qnas::test::CliResult& r, const std::string& metric) {
    CAPTURE(r.err);
    REQUIRE(r.code == 0);
    CHECK(count_lines(r.out) == 1);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind(metric + " ", 0) == 0);
    const json j = json::parse(r.out);
    CHECK(j.at("metric") == metric);
    return j;
}

}  // namespace

TEST_CASE("analyze plateau: McClean circuits and a design space", "[cli][analyze]") {
    const json j = ok(run({"analyze", "plateau", "--qubits", "2..3", "--layers", "20", "--circuits", "200", "--seed",
                           "3", "--threads", "2"}),
                      "plateau");
    qnas::analysis::PlateauOptions o;
    o.qubits = {2, 3};
    o.layers = 20;
    o.circuits = 200;
    o.seed = 3;
    const auto ref = qnas::analysis::mcclean_plateau(o);
    REQUIRE(j.at("points").size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        const json& p = j.at("points")[i];
        CHECK(p.at("n_qubits") == ref.points[i].n_qubits);
        CHECK(p.at("variance").get<double>() == ref.points[i].variance);  // any thread count, same value
        CHECK(p.at("predicted").get<double>() == qnas::analysis::mcclean_variance_prediction(ref.points[i].n_qubits));
    }
    CHECK(j.at("ln_slope").get<double>() == ref.ln_slope);

    const json s =
        ok(run({"analyze", "plateau", "--space", "u3cu3", "--qubits", "2,3", "--circuits", "50"}), "plateau");
    CHECK(s.at("circuit").at("space") == "u3cu3");
    REQUIRE(s.at("points").size() == 2);
    CHECK(s.at("points")[1].at("variance").get<double>() > 0.0);
}

TEST_CASE("analyze hardware: a Sim19 circuit and a QASM file on quito", "[cli][analyze]") {
    const json j = ok(run({"analyze", "hardware", "--circuit", "sim19:2", "--device", "quito", "--layout", "0,1,2,3",
                           "--seed", "5", "--data-dir", data_dir()}),
                      "hardware");
    const auto d = qnas::noise::load_device("quito", data_dir());
    const auto ref =
        qnas::analysis::hardware_efficiency(qnas::analysis::sim19_circuit(2, 1, 4), d, std::vector<int>{0, 1, 2, 3}, 5);
    CHECK(j.at("layout").get<std::vector<int>>() == ref.layout);
    CHECK(j.at("compiled").at("swaps") == ref.swaps);
    CHECK(j.at("compiled").at("two_qubit") == ref.compiled_two_qubit);
    CHECK(j.at("logical").at("depth") == ref.logical_depth);
    CHECK(j.at("success_rate").get<double>() == ref.success_rate);

    TempDir dir("qnas_analyze_test_");
    const std::string qasm = dir.write("ghz.qasm",
                                       "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\nh q[0];\ncx q[0], q[1];\n"
                                       "ry(0.4) q[2];\ncx q[1], q[2];\n");
    const json g =
        ok(run({"analyze", "hardware", "--qasm", qasm, "--device", "quito", "--data-dir", data_dir()}), "hardware");
    CHECK(g.at("circuit").at("n_qubits") == 3);
    CHECK(g.at("circuit").at("n_trainable") == 1);  // the ry angle became free
    CHECK(g.at("logical").at("two_qubit") == 2);
    CHECK(g.at("success_rate").get<double>() > 0.5);
}

TEST_CASE("analyze expressibility and entanglement match the library", "[cli][analyze]") {
    const json e = ok(
        run({"analyze", "expressibility", "--circuit", "sim19:1", "--pairs", "400", "--bootstrap", "0", "--seed", "2"}),
        "expressibility");
    qnas::analysis::ExpressibilityOptions eo;
    eo.pairs = 400;
    eo.bootstrap = 0;
    eo.seed = 2;
    const auto ref = qnas::analysis::expressibility(qnas::analysis::sim19_circuit(1, 1, 4), eo);
    CHECK(e.at("kl").get<double>() == ref.kl);
    CHECK(e.at("pairs") == 400);
    CHECK(e.at("bins") == 75);

    const json m = ok(run({"analyze", "entanglement", "--circuit", "sim19:9", "--samples", "50"}), "entanglement");
    CHECK(m.at("mean").get<double>() == Approx(1.0).margin(1e-9));  // §5.2: graph state + local RX
    CHECK(m.at("haar").get<double>() == Approx(14.0 / 17.0));

    const json s = ok(run({"analyze", "entanglement", "--space", "u3cu3", "--arch", "param36", "--samples", "50"}),
                      "entanglement");
    CHECK(s.at("circuit").at("params") == 36);
    CHECK(s.at("mean").get<double>() > 0.0);
}

TEST_CASE("analyze rejects bad input with one line", "[cli][analyze]") {
    check_one_line_error(run({"analyze", "entanglement", "--circuit", "foo"}), "unknown circuit 'foo'");
    check_one_line_error(run({"analyze", "expressibility", "--circuit", "sim19:20"}), "sim19:20");
    check_one_line_error(run({"analyze", "entanglement", "--qasm", "/nonexistent/x.qasm"}), "/nonexistent/x.qasm");
    check_one_line_error(run({"analyze", "hardware", "--circuit", "sim19:2", "--device", "quito", "--layout", "0,1,x",
                              "--data-dir", data_dir()}),
                         "layout");
    check_one_line_error(run({"analyze", "hardware", "--circuit", "sim19:2", "--device", "quito", "--layout", "0,1,1,2",
                              "--data-dir", data_dir()}),
                         "layout");
    check_one_line_error(run({"analyze", "hardware", "--circuit", "sim19:2", "--qubits", "7", "--device", "quito",
                              "--data-dir", data_dir()}),
                         "qubits");
    check_one_line_error(run({"analyze", "entropy", "--circuit", "sim19:1"}), "unknown metric 'entropy'");
    check_one_line_error(run({"analyze", "entanglement", "--space", "u3cu3", "--arch", "largest", "--layers", "2"}),
                         "--layers");
    check_one_line_error(run({"analyze", "entanglement"}), "exactly one of");
    check_one_line_error(run({"analyze", "plateau", "--circuit", "sim19:1"}), "mcclean");
    check_one_line_error(run({"analyze", "plateau", "--qubits", "1..3"}), "out of range");
    const auto help = run({"analyze", "--help"});
    CHECK(help.code == 0);
    CHECK(help.out.find("qnas analyze plateau") != std::string::npos);
}
