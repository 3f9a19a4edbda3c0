#include "search/experiment_config.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "search/config_docs.h"
#include "sim/error.h"

using nlohmann::json;
using qnas::search::parse_experiment_config;

namespace {

std::string error_of(const json& j) {
    try {
        parse_experiment_config(j, "exp.json");
    } catch (const qnas::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("experiment config: defaults are QuantumNAS's search settings") {
    const auto c = parse_experiment_config(json::object(), "exp.json");
    CHECK(c.device == "quito");
    CHECK(c.search.mode == "co_search");
    CHECK(c.search.population == 40);
    CHECK(c.search.parents == 10);
    CHECK(c.search.mutants == 20);
    CHECK(c.search.mutation_prob == 0.4);
    CHECK(c.search.crossovers == 10);
    CHECK(c.search.iterations == 40);
    CHECK(c.search.n_valid_samples == 500);
    CHECK(c.search.noise == "exact");
    CHECK(c.prune.target_ratio == 0.1);
    CHECK(c.prune.lr == 2e-3);
    CHECK(c.eval.n_test_samples == 300);
    CHECK(c.eval.split == "test");
    CHECK(c.train.task == "mnist4");
}

TEST_CASE("experiment config: the resolved config parses back to itself") {
    const json in = {{"task", "fashion2"},
                     {"device", "lima"},
                     {"noise_model", {{"idle", true}}},
                     {"epochs", 3},
                     {"search", {{"mode", "fix_layout"}, {"layout", {1, 0, 2, 3}}, {"iterations", 2}}},
                     {"prune", {{"target_ratio", 0.3}}},
                     {"eval", {{"noise", {"exact"}}}}};
    const auto c = parse_experiment_config(in, "exp.json");
    const json r = qnas::search::resolved_config(c);
    CHECK(r["search"]["layout"] == json({1, 0, 2, 3}));
    CHECK(c.noise_model.idle);
    CHECK(qnas::search::resolved_config(parse_experiment_config(r, "resolved.json")) == r);
}

TEST_CASE("experiment config: bad keys and values name the file and the JSON path") {
    CHECK(error_of({{"search", {{"populaton", 4}}}}).rfind("exp.json: /search/populaton: unknown key", 0) == 0);
    CHECK(error_of({{"search", {{"population", 41}}}}).rfind("exp.json: /search/population: must equal", 0) == 0);
    CHECK(error_of({{"search", {{"noise", "loud"}}}}).rfind("exp.json: /search/noise: 'loud' is not one of", 0) == 0);
    CHECK(error_of({{"search", {{"layout", {0, -1}}}}}) == "exp.json: /search/layout/1: out of range");
    CHECK(error_of({{"prune", {{"lr", "x"}}}}) == "exp.json: /prune/lr: expected a number");
    CHECK(error_of({{"eval", {{"noise", {"exact", "exact"}}}}}) == "exp.json: /eval/noise/1: listed twice");
    CHECK(error_of({{"eval", {{"split", "train"}}}}) == "exp.json: /eval/split: 'train' is not one of test, valid");
    CHECK(error_of({{"device", 3}}).rfind("exp.json: /device:", 0) == 0);
    CHECK(error_of({{"noise_model", {{"idle", 1}}}}) == "exp.json: /noise_model/idle: expected a boolean");
    CHECK(error_of({{"noise_model", {{"idel", true}}}}) == "exp.json: /noise_model/idel: unknown key");
    CHECK(error_of({{"noise_model", true}}) == "exp.json: /noise_model: expected an object");
    CHECK(error_of({{"epochz", 3}}).rfind("exp.json: /epochz: unknown key", 0) == 0);
    CHECK(error_of({{"search", {{"min_params", 40}, {"max_params", 30}}}})
              .rfind("exp.json: /search/min_params: must be at most", 0) == 0);
    CHECK(error_of({{"search", {{"max_params", -3}}}}).rfind("exp.json: /search/max_params:", 0) == 0);
}

TEST_CASE("experiment config: every key is documented and every documented key exists") {
    const auto keys = qnas::search::experiment_config_keys();
    std::vector<std::string> documented;
    for (const auto& d : qnas::search::experiment_key_docs()) documented.push_back(d.key);
    for (const auto& k : keys) {
        INFO("undocumented key " << k << " (add it to search/config_docs.cpp)");
        CHECK(std::find(documented.begin(), documented.end(), k) != documented.end());
    }
    for (const auto& k : documented) {
        INFO("documented key " << k << " is not in any resolved config");
        CHECK(std::find(keys.begin(), keys.end(), k) != keys.end());
    }
}

TEST_CASE("experiment config: the finetune section") {
    const auto c = parse_experiment_config(json::object(), "exp.json");
    CHECK_FALSE(c.finetune.enabled);
    CHECK(c.finetune.epochs == 15);
    CHECK(c.finetune.shots == 1024);
    CHECK(c.finetune.ratio == 0.5);
    const json r = qnas::search::resolved_config(c);
    CHECK(r["finetune"]["enabled"] == false);
    CHECK(r["finetune"]["n_train"] == 100);
    const auto e =
        parse_experiment_config({{"finetune", {{"enabled", true}, {"shots", 0}, {"ratio", 0.0}}}}, "exp.json");
    CHECK(e.finetune.enabled);
    CHECK(e.finetune.shots == 0);
    CHECK(qnas::search::resolved_config(parse_experiment_config(qnas::search::resolved_config(e), "r.json")) ==
          qnas::search::resolved_config(e));
    CHECK(error_of({{"finetune", {{"w_a", 0}}}}) == "exp.json: /finetune/w_a: must be at least 1");
    CHECK(error_of({{"finetune", {{"w_p", -1}}}}) == "exp.json: /finetune/w_p: must be at least 0");
    CHECK(error_of({{"finetune", {{"ratio", 1.0}}}}).rfind("exp.json: /finetune/ratio: must be below 1", 0) == 0);
    CHECK(error_of({{"finetune", {{"ratio", -0.1}}}}).rfind("exp.json: /finetune/ratio: out of range", 0) == 0);
    CHECK(error_of({{"finetune", {{"epochs", 0}}}}) == "exp.json: /finetune/epochs: must be at least 1");
    CHECK(error_of({{"finetune", {{"shots", -1}}}}) == "exp.json: /finetune/shots: must be at least 0");
    CHECK(error_of({{"finetune", {{"n_train", 0}}}}) == "exp.json: /finetune/n_train: must be at least 1");
    CHECK(error_of({{"finetune", {{"batch_size", 0}}}}) == "exp.json: /finetune/batch_size: must be at least 1");
    CHECK(error_of({{"finetune", {{"lr", 0.0}}}}) == "exp.json: /finetune/lr: must be positive");
    CHECK(error_of({{"finetune", {{"enabled", 1}}}}) == "exp.json: /finetune/enabled: expected true or false");
    CHECK(error_of({{"finetune", {{"epoch", 3}}}}).rfind("exp.json: /finetune/epoch: unknown key", 0) == 0);
    CHECK(error_of({{"finetune", 3}}) == "exp.json: /finetune: expected an object");
}
