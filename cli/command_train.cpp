// qnas train CONFIG.json: trains a SuperCircuit (weight-shared, one sampled SubCircuit per step) or
// a fixed circuit, as a classifier or (task "vqe") to minimise a Hamiltonian's energy, from a JSON
// config (docs/config.md) into a run directory: the resolved config
// (config.json), per-epoch metrics (metrics.jsonl), the checkpoint after every epoch
// (checkpoint.json, from which --resume continues bit-identically), a log (train.log) and the
// final summary with weights (result.json). Progress goes to stderr, the summary to stdout.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "search/experiment_config.h"
#include "search/pipeline.h"
#include "sim/error.h"

namespace qnas::cli {

namespace po = boost::program_options;

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
    // The experiment config (training keys + device and stage sections), so that the run directory's
    // config.json serves `qnas search` / `qnas rank` later; only the training part is used here.
    search::ExperimentConfig c = search::load_experiment_config(config_path);
    search::StageOptions o;
    if (vm.count("seed")) o.seed = vm["seed"].as<std::uint64_t>();
    if (vm.count("threads")) {
        c.train.threads = vm["threads"].as<int>();
        if (c.train.threads < 0) throw Error("train: --threads must be at least 0");
    }
    if (vm.count("data-dir")) o.data_dir = vm["data-dir"].as<std::string>();
    o.resume = vm.count("resume") > 0;
    o.progress = vm.count("quiet") ? nullptr : &err;
    const std::string run_dir =
        vm.count("out") ? vm["out"].as<std::string>()
                        : (std::filesystem::path("runs") / std::filesystem::path(config_path).stem()).string();
    out << search::train_run(c, config_path, run_dir, o).dump() << "\n";
    return 0;
}

}  // namespace qnas::cli
