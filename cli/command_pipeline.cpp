// qnas run CONFIG.json: the whole QuantumNAS pipeline (search/pipeline.h) into a run directory, and
// qnas search|retrain|prune|finetune|eval|export RUN_DIR: one stage on a run directory made by `qnas run`
// or `qnas train`. Progress goes to stderr, the stage's result (weights left out) to stdout.
#include <boost/program_options.hpp>
#include <filesystem>
#include <map>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "search/experiment_config.h"
#include "search/pipeline.h"
#include "sim/error.h"

namespace qnas::cli {

namespace po = boost::program_options;

namespace {

// The stage result printed on stdout: everything but the weight vectors.
nlohmann::json printable(nlohmann::json j) {
    for (const char* k : {"weights", "best_weights", "pruned"}) j.erase(k);
    return j;
}

int threads_option(const po::variables_map& vm, const std::string& command) {
    if (!vm.count("threads")) return 0;
    const int t = vm["threads"].as<int>();
    if (t < 1) throw Error(command + ": --threads must be at least 1");
    return t;
}

}  // namespace

int command_run(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    po::options_description opts("qnas run CONFIG.json [options]");
    opts.add_options()("out", po::value<std::string>(), "run directory (default: runs/<config name>)")(
        "threads", po::value<int>(), "worker threads (default: the config's, 0 = all)")(
        "seed", po::value<std::uint64_t>(), "seed (overrides the config's)")(
        "data-dir", po::value<std::string>(), "data folder with devices/ and the datasets (overrides data.dir)")(
        "resume", "continue an existing run directory (complete stages are skipped)")("quiet", "no progress on stderr")(
        "help,h", "print this help");
    const po::variables_map vm = parse_options(args, opts, "config", "JSON experiment config", "run");
    if (vm.count("help")) {
        out << opts
            << "Runs the QuantumNAS pipeline: train (SuperCircuit) → search (evolutionary co-search of\n"
               "SubCircuit and qubit layout under the device's noise model) → retrain (winner from scratch)\n"
               "→ prune (gate pruning + fine-tuning) → finetune (on-chip fine-tuning with probabilistic\n"
               "gradient pruning under the device's noise, off by default) → eval (test accuracy noise-free /\n"
               "noisy, vs the human baselines) → export (best.json, best.qasm, best.<device>.qasm, summary.md).\n"
               "The config keys: docs/config_keys.md (qnas list keys). Everything is validated before the\n"
               "run directory is created. An existing run directory is an error unless --resume, which\n"
               "continues it (its config.json must match the config; data.dir and threads may differ).\n"
               "Examples:\n"
               "  qnas run experiments/quickstart.json --threads 2\n"
               "  qnas run experiments/mnist4_quito.json --out runs/quito_s1 --seed 1\n"
               "  qnas run experiments/mnist4_quito.json --out runs/quito_s1 --resume\n";
        return 0;
    }
    if (!vm.count("config")) throw Error("run: missing the CONFIG.json argument");
    const std::string config_path = vm["config"].as<std::string>();
    search::ExperimentConfig c = search::load_experiment_config(config_path);
    search::StageOptions o;
    if (vm.count("seed")) o.seed = vm["seed"].as<std::uint64_t>();
    if (vm.count("threads")) {
        c.train.threads = vm["threads"].as<int>();
        if (c.train.threads < 0) throw Error("run: --threads must be at least 0");
    }
    if (vm.count("data-dir")) o.data_dir = vm["data-dir"].as<std::string>();
    o.resume = vm.count("resume") > 0;
    o.progress = vm.count("quiet") ? nullptr : &err;
    const std::string run_dir =
        vm.count("out") ? vm["out"].as<std::string>()
                        : (std::filesystem::path("runs") / std::filesystem::path(config_path).stem()).string();
    const nlohmann::json best = search::run_pipeline(c, config_path, run_dir, o);
    nlohmann::json line = printable(best);
    line["run_dir"] = run_dir;
    out << line.dump() << "\n";
    return 0;
}

int command_stage(const std::string& stage, std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    po::options_description opts("qnas " + stage + " RUN_DIR [options]");
    opts.add_options()("threads", po::value<int>(), "worker threads (default: the run config's)")(
        "data-dir", po::value<std::string>(), "data folder with devices/ and the datasets (overrides data.dir)")(
        "resume", "continue the stage from its checkpoint")(
        "force", "re-run a complete stage (later stages' outputs are deleted)")("quiet", "no progress on stderr")(
        "help,h", "print this help");
    const po::variables_map vm = parse_options(args, opts, "run_dir", "run directory", stage);
    static const std::map<std::string, std::string> what = {
        {"search",
         "Evolutionary co-search of SubCircuit and qubit layout with the SuperCircuit's inherited weights,\n"
         "scored under the device's noise model (RUN_DIR/search/result.json; needs RUN_DIR/result.json\n"
         "from qnas train or qnas run).\n"},
        {"retrain", "Trains the searched SubCircuit from scratch (RUN_DIR/retrain/).\n"},
        {"prune", "Gate pruning with fine-tuning of the retrained winner (RUN_DIR/prune/).\n"},
        {"finetune",
         "On-chip fine-tuning of the pruned winner with probabilistic gradient pruning: parameter-shift\n"
         "gradients under the device's noise model with shots (RUN_DIR/finetune/{curve.jsonl,result.json}).\n"
         "Off unless the config sets \"finetune\": {\"enabled\": true}; then eval and export use its weights.\n"},
        {"eval",
         "Test loss and accuracy of the final circuit per noise method, compiled metrics, and the human\n"
         "baselines (eval.baselines) on the trivial and the noise-aware layout (RUN_DIR/eval.json).\n"},
        {"export",
         "Writes RUN_DIR/best.json, best.qasm (logical circuit bound to test sample 0), best.<device>.qasm\n"
         "(compiled on the searched layout) and summary.md.\n"}};
    if (vm.count("help")) {
        out << opts << what.at(stage)
            << "The stage's settings come from RUN_DIR/config.json. A complete stage is not re-run\n"
               "without --force. Examples:\n"
               "  qnas "
            << stage << " runs/quickstart\n  qnas " << stage << " runs/quickstart --resume --threads 2\n";
        return 0;
    }
    if (!vm.count("run_dir")) throw Error(stage + ": missing the RUN_DIR argument");
    search::StageOptions o;
    o.threads = threads_option(vm, stage);
    if (vm.count("data-dir")) o.data_dir = vm["data-dir"].as<std::string>();
    o.resume = vm.count("resume") > 0;
    o.force = vm.count("force") > 0;
    o.progress = vm.count("quiet") ? nullptr : &err;
    out << printable(search::run_stage(stage, vm["run_dir"].as<std::string>(), o)).dump() << "\n";
    return 0;
}

}  // namespace qnas::cli
