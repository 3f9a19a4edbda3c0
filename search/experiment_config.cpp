#include "search/experiment_config.h"

#include <algorithm>
#include <array>

#include "sim/error.h"
#include "supercircuit/json_reader.h"

namespace qnas::search {

namespace {

using nlohmann::json;
using supercircuit::ObjectReader;

constexpr std::array<const char*, 7> kStages = {"device", "noise_model", "search", "retrain",
                                                "prune",  "finetune",    "eval"};

std::vector<int> read_int_list(const json& v, ObjectReader& r, const std::string& path) {
    if (!v.is_array()) r.fail(path, "expected an array of integers");
    std::vector<int> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_number_integer()) r.fail(path + "/" + std::to_string(i), "expected an integer");
        const auto x = v[i].get<std::int64_t>();
        if (x < 0 || x > 1'000'000) r.fail(path + "/" + std::to_string(i), "out of range");
        out.push_back(static_cast<int>(x));
    }
    return out;
}

void parse_proxies(const json& j, const std::string& source, ProxyConfig& p) {
    ObjectReader r(j, source, "/search/proxies");
    // A filter is a number or null (off).
    const auto filter = [&](const char* key, std::optional<double>& out, double lo, double hi) {
        if (const json* v = r.find(key)) {
            if (v->is_null()) {
                out.reset();
                return;
            }
            if (!v->is_number()) r.fail(r.at(key), "expected a number or null");
            const double x = v->get<double>();
            if (!(x >= lo && x <= hi))
                r.fail(r.at(key), "out of range [" + json(lo).dump() + ", " + json(hi).dump() + "]");
            out = x;
        }
    };
    filter("expressibility_max", p.expressibility_max, 0.0, 1e6);
    filter("entanglement_min", p.entanglement_min, 0.0, 1.0);
    filter("success_rate_min", p.success_rate_min, 0.0, 1.0);
    r.number("expressibility", p.expressibility, 0.0, 1000.0);
    r.number("entanglement", p.entanglement, 0.0, 1000.0);
    r.number("success_rate", p.success_rate, 0.0, 1000.0);
    r.integer("pairs", p.pairs, 1);
    r.integer("samples", p.samples, 1);
    r.integer("seed", p.seed, 0);
    r.finish();
}

void parse_search(const json& j, const std::string& source, SearchConfig& s) {
    ObjectReader r(j, source, "/search");
    r.string("mode", s.mode, {"co_search", "noise_unaware", "fix_layout", "fix_arch", "random"});
    r.integer("population", s.population, 1);
    r.integer("parents", s.parents, 1);
    r.integer("mutants", s.mutants, 0);
    r.number("mutation_prob", s.mutation_prob, 0.0, 1.0);
    r.integer("crossovers", s.crossovers, 0);
    r.integer("iterations", s.iterations, 1);
    if (s.parents + s.mutants + s.crossovers != s.population)
        r.fail("/search/population", "must equal parents + mutants + crossovers (" + std::to_string(s.parents) + " + " +
                                         std::to_string(s.mutants) + " + " + std::to_string(s.crossovers) + ")");
    r.integer("n_valid_samples", s.n_valid_samples, 1);
    r.string("noise", s.noise, {"none", "exact", "shots", "trajectories"});
    r.string("score", s.score, {"loss", "loss_succ", "acc_succ"});
    r.integer("shots", s.shots, 1);
    r.integer("trajectories", s.trajectories, 1);
    r.string("weights", s.weights, {"final", "best"});
    if (const json* v = r.find("layout")) s.layout = read_int_list(*v, r, "/search/layout");
    if (const json* v = r.find("arch")) {
        if (v->is_array()) {
            read_int_list(*v, r, "/search/arch");
        } else if (!v->is_string()) {
            r.fail("/search/arch", "expected an array of integers or a human baseline name");
        }
        s.arch = *v;
    }
    r.integer("routing_trials", s.routing_trials, 1);
    r.boolean("optimize", s.optimize);
    r.integer("min_params", s.min_params, 0);
    r.integer("max_params", s.max_params, 0);
    if (s.max_params > 0 && s.min_params > s.max_params)
        r.fail("/search/min_params", "must be at most search.max_params (" + std::to_string(s.max_params) + ")");
    if (const json* v = r.find("proxies")) parse_proxies(*v, source, s.proxies);
    r.finish();
}

void parse_retrain(const json& j, const std::string& source, RetrainConfig& c) {
    ObjectReader r(j, source, "/retrain");
    r.boolean("enabled", c.enabled);
    r.integer("epochs", c.epochs, 1);
    r.number("lr", c.lr, 0.0, 1e3);
    r.string("scheduler", c.scheduler, {"constant", "cosine", "cosine_warm"});
    r.finish();
}

void parse_prune(const json& j, const std::string& source, PruneConfig& c) {
    ObjectReader r(j, source, "/prune");
    r.boolean("enabled", c.enabled);
    r.number("initial_ratio", c.initial_ratio, 0.0, 0.999);
    r.number("target_ratio", c.target_ratio, 0.0, 0.999);
    r.integer("start_epoch", c.start_epoch, 0);
    r.integer("end_epoch", c.end_epoch, 0);
    if (c.end_epoch < c.start_epoch) r.fail("/prune/end_epoch", "must be at least start_epoch");
    r.integer("epochs", c.epochs, 1);
    r.number("lr", c.lr, 0.0, 1e3);
    r.number("remove_threshold", c.remove_threshold, 0.0, 1.0);
    r.finish();
}

void parse_finetune(const json& j, const std::string& source, FinetuneConfig& c) {
    ObjectReader r(j, source, "/finetune");
    r.boolean("enabled", c.enabled);
    r.integer("epochs", c.epochs, 1);
    r.integer("shots", c.shots, 0);
    r.number("lr", c.lr, 0.0, 1e3);
    if (!(c.lr > 0.0)) r.fail("/finetune/lr", "must be positive");
    r.integer("batch_size", c.batch_size, 1);
    r.integer("n_train", c.n_train, 1);
    r.integer("n_valid", c.n_valid, 1);
    r.integer("w_a", c.w_a, 1);
    r.integer("w_p", c.w_p, 0);
    r.number("ratio", c.ratio, 0.0, 1.0);
    if (!(c.ratio < 1.0)) r.fail("/finetune/ratio", "must be below 1 (0 ≤ ratio < 1)");
    r.finish();
}

void parse_eval(const json& j, const std::string& source, EvalConfig& c) {
    ObjectReader r(j, source, "/eval");
    r.integer("n_test_samples", c.n_test_samples, 1);
    if (const json* v = r.find("split")) {
        if (!v->is_string()) r.fail("/eval/split", "expected a string");
        c.split = v->get<std::string>();
        if (c.split != "test" && c.split != "valid")
            r.fail("/eval/split", "'" + c.split + "' is not one of test, valid");
    }
    r.integer("shots", c.shots, 1);
    if (const json* v = r.find("noise")) {
        if (!v->is_array() || v->empty()) r.fail("/eval/noise", "expected a non-empty array of method names");
        c.noise.clear();
        for (std::size_t i = 0; i < v->size(); ++i) {
            const json& m = (*v)[i];
            const std::string path = "/eval/noise/" + std::to_string(i);
            if (!m.is_string()) r.fail(path, "expected a string");
            const auto name = m.get<std::string>();
            if (name != "none" && name != "exact" && name != "shots" && name != "trajectories")
                r.fail(path, "'" + name + "' is not one of none, exact, shots, trajectories");
            if (std::find(c.noise.begin(), c.noise.end(), name) != c.noise.end()) r.fail(path, "listed twice");
            c.noise.push_back(name);
        }
    }
    if (const json* v = r.find("baselines")) {
        if (!v->is_array()) r.fail("/eval/baselines", "expected an array of human baseline names");
        c.baselines.clear();
        for (std::size_t i = 0; i < v->size(); ++i) {
            const json& m = (*v)[i];
            const std::string path = "/eval/baselines/" + std::to_string(i);
            if (!m.is_string() || m.get<std::string>().empty()) r.fail(path, "expected a human baseline name");
            const auto name = m.get<std::string>();
            if (std::find(c.baselines.begin(), c.baselines.end(), name) != c.baselines.end())
                r.fail(path, "listed twice");
            c.baselines.push_back(name);
        }
    }
    r.finish();
}

}  // namespace

ExperimentConfig parse_experiment_config(const json& j, const std::string& source) {
    if (!j.is_object()) throw Error(source + ": /: expected an object");
    ExperimentConfig c;
    // The training keys are read by the training config's own parser (which rejects unknown keys),
    // so the stage sections are taken out first.
    json train = j;
    for (const char* k : kStages) train.erase(k);
    c.train = supercircuit::parse_train_config(train, source);

    if (const auto it = j.find("device"); it != j.end()) {
        if (!it->is_string() || it->get<std::string>().empty())
            throw Error(source + ": /device: expected a device name or calibration file");
        c.device = it->get<std::string>();
    }
    if (const auto it = j.find("noise_model"); it != j.end()) {
        if (!it->is_object()) throw Error(source + ": /noise_model: expected an object");
        for (const auto& [k, v] : it->items()) {
            if (k != "idle") throw Error(source + ": /noise_model/" + k + ": unknown key");
            if (!v.is_boolean()) throw Error(source + ": /noise_model/idle: expected a boolean");
            c.noise_model.idle = v.get<bool>();
        }
    }
    if (const auto it = j.find("search"); it != j.end()) parse_search(*it, source, c.search);
    if (const auto it = j.find("retrain"); it != j.end()) parse_retrain(*it, source, c.retrain);
    if (const auto it = j.find("prune"); it != j.end()) parse_prune(*it, source, c.prune);
    if (const auto it = j.find("finetune"); it != j.end()) parse_finetune(*it, source, c.finetune);
    if (const auto it = j.find("eval"); it != j.end()) parse_eval(*it, source, c.eval);
    return c;
}

ExperimentConfig load_experiment_config(const std::string& path) {
    return parse_experiment_config(supercircuit::load_json_file(path), path);
}

json resolved_config(const ExperimentConfig& c) {
    json j = supercircuit::resolved_config(c.train);
    j["device"] = c.device;
    j["noise_model"] = {{"idle", c.noise_model.idle}};
    const SearchConfig& s = c.search;
    j["search"] = {{"mode", s.mode},
                   {"population", s.population},
                   {"parents", s.parents},
                   {"mutants", s.mutants},
                   {"mutation_prob", s.mutation_prob},
                   {"crossovers", s.crossovers},
                   {"iterations", s.iterations},
                   {"n_valid_samples", s.n_valid_samples},
                   {"noise", s.noise},
                   {"score", s.score},
                   {"shots", s.shots},
                   {"trajectories", s.trajectories},
                   {"weights", s.weights},
                   {"layout", s.layout},
                   {"arch", s.arch},
                   {"routing_trials", s.routing_trials},
                   {"optimize", s.optimize},
                   {"min_params", s.min_params},
                   {"max_params", s.max_params}};
    const auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    const ProxyConfig& p = s.proxies;
    j["search"]["proxies"] = {{"expressibility_max", opt(p.expressibility_max)},
                              {"entanglement_min", opt(p.entanglement_min)},
                              {"success_rate_min", opt(p.success_rate_min)},
                              {"expressibility", p.expressibility},
                              {"entanglement", p.entanglement},
                              {"success_rate", p.success_rate},
                              {"pairs", p.pairs},
                              {"samples", p.samples},
                              {"seed", p.seed}};
    j["retrain"] = {{"enabled", c.retrain.enabled},
                    {"epochs", c.retrain.epochs},
                    {"lr", c.retrain.lr},
                    {"scheduler", c.retrain.scheduler}};
    j["prune"] = {{"enabled", c.prune.enabled},
                  {"initial_ratio", c.prune.initial_ratio},
                  {"target_ratio", c.prune.target_ratio},
                  {"start_epoch", c.prune.start_epoch},
                  {"end_epoch", c.prune.end_epoch},
                  {"epochs", c.prune.epochs},
                  {"lr", c.prune.lr},
                  {"remove_threshold", c.prune.remove_threshold}};
    const FinetuneConfig& f = c.finetune;
    j["finetune"] = {{"enabled", f.enabled},
                     {"epochs", f.epochs},
                     {"shots", f.shots},
                     {"lr", f.lr},
                     {"batch_size", f.batch_size},
                     {"n_train", f.n_train},
                     {"n_valid", f.n_valid},
                     {"w_a", f.w_a},
                     {"w_p", f.w_p},
                     {"ratio", f.ratio}};
    j["eval"] = {{"n_test_samples", c.eval.n_test_samples},
                 {"split", c.eval.split},
                 {"shots", c.eval.shots},
                 {"noise", c.eval.noise},
                 {"baselines", c.eval.baselines}};
    return j;
}

}  // namespace qnas::search
