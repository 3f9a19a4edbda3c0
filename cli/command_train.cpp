// qnas train CONFIG.json: trains a SuperCircuit (weight-shared, one sampled SubCircuit per step) or
// a fixed circuit, as a classifier or (task "vqe") to minimise a Hamiltonian's energy, from a JSON
// config (docs/config.md) into a run directory: the resolved config
// (config.json), per-epoch metrics (metrics.jsonl), the checkpoint after every epoch
// (checkpoint.json, from which --resume continues bit-identically), a log (train.log) and the
// final summary with weights (result.json). Progress goes to stderr, the summary to stdout.
#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "sim/error.h"
#include "supercircuit/checkpoint.h"
#include "supercircuit/dataset.h"
#include "supercircuit/design_space.h"
#include "supercircuit/encoder.h"
#include "supercircuit/hamiltonian.h"
#include "supercircuit/train_config.h"
#include "supercircuit/train_setup.h"
#include "supercircuit/trainer.h"

namespace qnas::cli {

namespace po = boost::program_options;
namespace sc = qnas::supercircuit;

int command_train(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    po::options_description opts("qnas train CONFIG.json [options]");
    opts.add_options()("out", po::value<std::string>(), "run directory (default: runs/<config name>)")(
        "threads", po::value<int>(), "worker threads (default: the config's, 0 = all)")(
        "seed", po::value<std::uint64_t>(), "seed (overrides the config's)")(
        "data-dir", po::value<std::string>(), "data folder (overrides the config's data.dir)")(
        "resume", "continue from the run directory's checkpoint")("quiet", "no progress on stderr")("help,h",
                                                                                                    "print this help");
    const po::variables_map vm = parse_options(args, opts, "config", "JSON training config", "train");
    if (vm.count("help")) {
        out << opts
            << "Trains a SuperCircuit or a fixed circuit, as a classifier or for VQE (\"task\": \"vqe\");\n"
               "the config keys are documented in docs/config.md.\n"
               "Run directory: config.json (resolved), metrics.jsonl, checkpoint.json, train.log, result.json.\n"
               "Examples:\n"
               "  qnas train experiments/mnist4_human.json --out runs/human36 --seed 1\n"
               "  qnas train experiments/mnist4_super_u3cu3.json --threads 2\n"
               "  qnas train experiments/mnist4_super_u3cu3.json --resume\n"
               "  qnas train experiments/vqe_h2_u3cu3.json\n";
        return 0;
    }
    if (!vm.count("config")) throw Error("train: missing the CONFIG.json argument");
    const std::string config_path = vm["config"].as<std::string>();
    sc::TrainConfig c = sc::load_train_config(config_path);
    if (vm.count("seed")) c.seed = vm["seed"].as<std::uint64_t>();
    if (vm.count("threads")) {
        c.threads = vm["threads"].as<int>();
        if (c.threads < 0) throw Error("train: --threads must be at least 0");
    }
    if (vm.count("data-dir")) c.data.dir = vm["data-dir"].as<std::string>();
    const std::string run_dir =
        vm.count("out") ? vm["out"].as<std::string>()
                        : (std::filesystem::path("runs") / std::filesystem::path(config_path).stem()).string();

    // Everything that can fail on the config is resolved before any data is read.
    const sc::TrainSetup setup = sc::make_train_setup(c, config_path);
    const sc::DesignSpace& space = setup.space;
    const std::optional<sc::Arch>& arch = setup.arch;
    if (setup.hamiltonian) c.vqe.hamiltonian = setup.hamiltonian_path;  // the file actually read

    std::filesystem::create_directories(run_dir);
    const std::string resolved_path = (std::filesystem::path(run_dir) / "config.json").string();
    sc::write_file_atomically(resolved_path, sc::resolved_config(c).dump(2) + "\n");

    const auto t0 = std::chrono::steady_clock::now();
    const sc::Splits data = sc::load_config_data(c, setup.task);

    sc::TrainOptions o = sc::train_options(c, setup);
    o.run_dir = run_dir;
    o.resume = vm.count("resume") > 0;
    o.quiet = vm.count("quiet") > 0;
    o.progress = &err;
    if (!o.quiet && setup.hamiltonian)
        err << "train: " << (arch ? "fixed circuit" : "SuperCircuit") << " on " << c.space << ", VQE of "
            << setup.hamiltonian_path << " (" << setup.hamiltonian->n_qubits << " qubits, "
            << setup.hamiltonian->terms.size() << " terms, " << c.vqe.energy << " energy), " << c.epochs << " × "
            << c.vqe.steps_per_epoch << " steps, run directory " << run_dir << "\n";
    else if (!o.quiet)
        err << "train: " << (arch ? "fixed circuit" : "SuperCircuit") << " on " << c.space << ", task " << c.task
            << " (" << data.train.size() << "/" << data.valid.size() << "/" << data.test.size()
            << " train/valid/test), " << c.epochs << " epochs, run directory " << run_dir << "\n";
    const sc::TrainResult r = sc::train(setup.model, data, o);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    nlohmann::json summary;
    summary["run_dir"] = run_dir;
    summary["kind"] = arch ? "fixed" : "supercircuit";
    summary["space"] = space.name;
    if (arch) {
        summary["arch"] = *arch;
        summary["n_params"] = sc::count_params(space, *arch);
    }
    summary["epochs"] = r.epochs_done;
    summary["seconds"] = seconds;
    if (setup.hamiltonian) {
        summary["hamiltonian"] = setup.hamiltonian_path;
        summary["energy_kind"] = c.vqe.energy;
        if (!r.metrics.empty())
            summary["final"] = {{"energy", r.metrics.back()["energy"]},
                                {"train_energy", r.metrics.back()["train_energy"]}};
        summary["best"] = {{"epoch", r.best_epoch}, {"energy", r.best_energy.value_or(0.0)}};
        // Small Hamiltonians: the exact ground energy to compare with (dense diagonalisation).
        if (setup.hamiltonian->n_qubits <= 10) {
            const double exact = sc::ground_energy(*setup.hamiltonian);
            summary["exact_ground_energy"] = exact;
            if (r.best_energy) summary["best"]["error"] = *r.best_energy - exact;
        }
    } else {
        if (!r.metrics.empty()) {
            const auto& last = r.metrics.back();
            summary["final"] = {{"valid_loss", last["valid_loss"]},
                                {"valid_acc", last["valid_acc"]},
                                {"test_loss", last["test_loss"]},
                                {"test_acc", last["test_acc"]}};
        }
        summary["best"] = {
            {"epoch", r.best_epoch}, {"valid_acc", r.best_valid_accuracy}, {"test_acc", r.best_test_accuracy}};
    }
    nlohmann::json result = summary;
    result["weights"] = r.weights;
    result["best_weights"] = r.best_weights;
    sc::write_file_atomically((std::filesystem::path(run_dir) / "result.json").string(), result.dump() + "\n");
    out << summary.dump() << "\n";
    return 0;
}

}  // namespace qnas::cli
