// qnas train on VQE configs: a short run into a run directory, and bad Hamiltonian files.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "cli_helpers.h"
#include "tests/test_data.h"

using qnas::test::run;
using qnas::test::TempDir;
namespace fs = std::filesystem;

using qnas::test::slurp;

namespace {

using qnas::test::source_dir;

nlohmann::json first_line(const fs::path& p) {
    std::ifstream in(p);
    std::string line;
    std::getline(in, line);
    return nlohmann::json::parse(line);
}

int count_lines(const fs::path& p) {
    std::ifstream in(p);
    int n = 0;
    for (std::string line; std::getline(in, line);) n += !line.empty();
    return n;
}

}  // namespace

TEST_CASE("train vqe: a short run of the shipped H2 config writes the run directory", "[cli][train][vqe]") {
    const std::string root = source_dir();
    const TempDir d("qnas_vqe_cli_");
    const std::string out = (d.path / "run").string();
    // The shipped config, shortened by a copy with fewer epochs (the Hamiltonian is found under
    // --data-dir's hamiltonians/).
    nlohmann::json cfg = nlohmann::json::parse(slurp(fs::path(root) / "experiments/vqe_h2_u3cu3.json"));
    cfg["epochs"] = 3;
    const std::string path = d.write("h2.json", cfg.dump());
    auto r = run({"train", path, "--out", out, "--data-dir", root + "/data", "--threads", "1"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto summary = nlohmann::json::parse(r.out);
    CHECK(summary["epochs"] == 3);
    CHECK(summary["kind"] == "fixed");
    CHECK(summary["n_params"] == 24);
    CHECK(summary["energy_kind"] == "joint");
    CHECK(summary["hamiltonian"] == root + "/data/hamiltonians/h2.txt");
    CHECK(std::abs(summary["exact_ground_energy"].get<double>() - (-1.857275030202)) < 1e-9);
    CHECK(summary["best"]["energy"].get<double>() >= summary["exact_ground_energy"].get<double>() - 1e-12);
    for (const char* f : {"config.json", "metrics.jsonl", "checkpoint.json", "train.log", "result.json"})
        CHECK(fs::exists(fs::path(out) / f));
    CHECK(count_lines(fs::path(out) / "metrics.jsonl") == 3);
    const auto m = first_line(fs::path(out) / "metrics.jsonl");
    CHECK(m["steps"] == 50);
    CHECK(m.contains("energy"));
    CHECK(m.contains("lr"));
    CHECK(m.contains("seconds"));
    const auto resolved = nlohmann::json::parse(slurp(fs::path(out) / "config.json"));
    CHECK(resolved["vqe"]["hamiltonian"] == root + "/data/hamiltonians/h2.txt");
    CHECK(resolved["batch_size"] == 1);
    CHECK(r.err.find("VQE of") != std::string::npos);
    CHECK(r.err.find("epoch 3/3") != std::string::npos);

    // Resuming the finished run changes nothing.
    const auto weights = nlohmann::json::parse(slurp(fs::path(out) / "result.json"))["weights"];
    r = run({"train", path, "--out", out, "--data-dir", root + "/data", "--resume", "--quiet"});
    REQUIRE(r.code == 0);
    CHECK(nlohmann::json::parse(slurp(fs::path(out) / "result.json"))["weights"] == weights);
}

TEST_CASE("train vqe: the shipped SuperCircuit config runs", "[cli][train][vqe]") {
    const std::string root = source_dir();
    const TempDir d("qnas_vqe_cli_");
    nlohmann::json cfg = nlohmann::json::parse(slurp(fs::path(root) / "experiments/vqe_h2_super_u3cu3.json"));
    cfg["epochs"] = 2;
    cfg["vqe"]["steps_per_epoch"] = 5;
    const auto r = run({"train", d.write("s.json", cfg.dump()), "--out", (d.path / "run").string(), "--data-dir",
                        root + "/data", "--quiet"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto summary = nlohmann::json::parse(r.out);
    CHECK(summary["kind"] == "supercircuit");
    const auto m = first_line(d.path / "run/metrics.jsonl");
    CHECK(m["probes"].contains("smallest"));
}

TEST_CASE("train vqe: a bad Hamiltonian file is a one-line error", "[cli][train][vqe]") {
    const TempDir d("qnas_vqe_cli_");
    const std::string h = d.write("bad.txt", "h2 bk 2\n-1.05 I0 I1\n0.39 I0 Z7\n");
    const std::string cfg =
        d.write("c.json", R"({"task": "vqe", "vqe": {"hamiltonian": ")" + h + R"("}, "arch": "largest"})");
    auto r = run({"train", cfg, "--out", (d.path / "run").string(), "--quiet"});
    CHECK(r.code != 0);
    CHECK(r.err.find(h + ":3: 'Z7': wire 7 is not below n_wires 2") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

    // A missing file, and an unknown key, name the JSON path.
    const std::string missing = d.write("m.json", R"({"task": "vqe", "vqe": {"hamiltonian": "nope.txt"}})");
    r = run({"train", missing, "--out", (d.path / "run2").string(), "--data-dir", (d.path / "empty").string()});
    CHECK(r.code != 0);
    CHECK(r.err.find("/vqe/hamiltonian: 'nope.txt' not found") != std::string::npos);
    const std::string unknown =
        d.write("u.json", R"({"task": "vqe", "vqe": {"hamiltonian": "h2.txt", "energyy": "joint"}})");
    r = run({"train", unknown, "--out", (d.path / "run3").string()});
    CHECK(r.code != 0);
    CHECK(r.err.find("/vqe/energyy: unknown key") != std::string::npos);
}
