#include "supercircuit/checkpoint.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "sim/error.h"

namespace qnas::supercircuit {

namespace {

constexpr const char* kFormat = "qnas-train-checkpoint";

template <class T>
T field(const nlohmann::json& j, const char* key, const std::string& source, const std::string& where) {
    const std::string path = where + "/" + key;
    if (!j.is_object() || !j.contains(key)) throw Error(source + ": " + path + ": missing");
    try {
        return j.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw Error(source + ": " + path + ": wrong type");
    }
}

}  // namespace

nlohmann::json checkpoint_to_json(const TrainCheckpoint& c) {
    nlohmann::json j;
    j["format"] = kFormat;
    j["version"] = 1;
    j["epochs_done"] = c.epochs_done;
    j["seed"] = c.seed;
    j["weights"] = c.weights;
    j["adam"] = {{"m", c.adam.m}, {"v", c.adam.v}, {"steps", c.adam.steps}};
    j["sampler"] = {{"step", c.sampler.step}, {"previous", c.sampler.previous}};
    j["best"] = {{"epoch", c.best_epoch},
                 {"valid_accuracy", c.best_valid_accuracy},
                 {"test_accuracy", c.best_test_accuracy},
                 {"weights", c.best_weights}};
    if (c.best_energy) j["best"]["energy"] = *c.best_energy;
    j["fingerprint"] = c.fingerprint;
    return j;
}

TrainCheckpoint checkpoint_from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object() || j.value("format", "") != kFormat)
        throw Error(source + ": not a qnas training checkpoint (no \"format\": \"" + kFormat + "\")");
    if (field<int>(j, "version", source, "") != 1) throw Error(source + ": /version: unsupported (expected 1)");
    TrainCheckpoint c;
    c.epochs_done = field<int>(j, "epochs_done", source, "");
    c.seed = field<std::uint64_t>(j, "seed", source, "");
    c.weights = field<std::vector<double>>(j, "weights", source, "");
    const auto& adam = j.at("adam");
    c.adam.m = field<std::vector<double>>(adam, "m", source, "/adam");
    c.adam.v = field<std::vector<double>>(adam, "v", source, "/adam");
    c.adam.steps = field<std::vector<std::int64_t>>(adam, "steps", source, "/adam");
    if (!j.contains("sampler")) throw Error(source + ": /sampler: missing");
    c.sampler.step = field<std::int64_t>(j.at("sampler"), "step", source, "/sampler");
    c.sampler.previous = field<std::vector<int>>(j.at("sampler"), "previous", source, "/sampler");
    if (!j.contains("best")) throw Error(source + ": /best: missing");
    const auto& best = j.at("best");
    c.best_epoch = field<int>(best, "epoch", source, "/best");
    c.best_valid_accuracy = field<double>(best, "valid_accuracy", source, "/best");
    c.best_test_accuracy = field<double>(best, "test_accuracy", source, "/best");
    c.best_weights = field<std::vector<double>>(best, "weights", source, "/best");
    if (best.contains("energy")) c.best_energy = field<double>(best, "energy", source, "/best");
    c.fingerprint = j.value("fingerprint", nlohmann::json::object());
    const std::size_t n = c.weights.size();
    if (c.adam.m.size() != n || c.adam.v.size() != n || c.adam.steps.size() != n)
        throw Error(source + ": /adam: moment sizes differ from the " + std::to_string(n) + " weights");
    if (c.epochs_done < 0) throw Error(source + ": /epochs_done: negative");
    return c;
}

void write_file_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!(f << text) || !f.flush()) throw Error("cannot write " + tmp);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) throw Error("cannot rename " + tmp + " to " + path);
}

void save_checkpoint(const TrainCheckpoint& c, const std::string& path) {
    write_file_atomically(path, checkpoint_to_json(c).dump() + "\n");
}

TrainCheckpoint load_checkpoint(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error("cannot open checkpoint " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(ss.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(path + ": invalid JSON (byte " + std::to_string(e.byte) + ")");
    }
    return checkpoint_from_json(j, path);
}

}  // namespace qnas::supercircuit
