// In-process driver for CLI tests: runs qnas::cli::main with captured stdout and stderr.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/main.h"
#include "tests/test_data.h"

namespace qnas::test {

struct CliResult {
    int code;
    std::string out, err;
};

// `args` are the arguments after the program name, e.g. {"simulate", "bell.qasm"}.
inline CliResult run(std::vector<std::string> args) {
    args.insert(args.begin(), "qnas");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int code = qnas::cli::main(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
}

// A scratch directory under the system temp dir, removed with its contents when it goes out of scope.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& prefix) {
        path = std::filesystem::temp_directory_path() / (prefix + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    // Writes `text` to `name` inside the directory; returns the file's path.
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

// The whole file as a string (empty when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The shipped data/ of the source tree (ctest sets QNAS_SOURCE_DIR).

inline int count_lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// A failed command: non-zero exit, nothing on stdout, one "error: ..." line on stderr holding `fragment`.
inline void check_one_line_error(const CliResult& r, const std::string& fragment) {
    CAPTURE(r.err);
    CHECK(r.code != 0);
    CHECK(r.out.empty());
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(r.err.find(fragment) != std::string::npos);
}

// The pipeline tests' run in a few seconds: 60/20/20 samples, 2 blocks, 2 epochs per training, a
// 4 × 3 search on quito, exact + 256-shot evaluation beside the default baselines.
inline nlohmann::json tiny_pipeline_config() {
    return nlohmann::json::parse(
        R"({"task": "mnist4", "data": {"split": "npm_70_10_20", "max_train": 60, "max_valid": 20,
        "max_test": 20}, "space": "u3cu3", "max_blocks": 2, "epochs": 2, "batch_size": 16, "seed": 3,
        "scheduler": {"name": "cosine"}, "device": "quito",
        "search": {"population": 4, "parents": 2, "mutants": 1, "crossovers": 1, "iterations": 3,
                   "n_valid_samples": 20},
        "retrain": {"epochs": 2}, "prune": {"epochs": 2, "end_epoch": 1, "target_ratio": 0.3},
        "eval": {"n_test_samples": 20, "shots": 256}})");
}

}  // namespace qnas::test
