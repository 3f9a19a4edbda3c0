// qnas rank RUN_DIR: how well a trained SuperCircuit ranks SubCircuits (issue 5). Draws SubCircuits
// (n distinct plain draws, or k per parameter count), scores each with its inherited weights and
// after from-scratch training with the run's recipe (supercircuit/ranking.h), and writes
// rank.jsonl (one line per finished SubCircuit; --resume skips those), summary.json (Spearman ρ
// and Kendall τ of inherited vs scratch loss and accuracy; per size: accuracy statistics) and
// rank_config.json (the options, checked on --resume) to the output directory.
#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "search/experiment_config.h"
#include "sim/error.h"
#include "supercircuit/checkpoint.h"
#include "supercircuit/ranking.h"
#include "supercircuit/train_config.h"
#include "supercircuit/train_setup.h"

namespace qnas::cli {

namespace po = boost::program_options;
namespace sc = qnas::supercircuit;
namespace fs = std::filesystem;

namespace {

std::vector<int> parse_param_list(const std::string& text) {
    std::vector<int> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        std::size_t used = 0;
        int v = 0;
        try {
            v = std::stoi(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != item.size() || v < 1)
            throw Error("rank: --params: '" + item + "' is not a positive integer");
        out.push_back(v);
    }
    if (out.empty()) throw Error("rank: --params: expected a comma-separated list such as 12,36,45");
    return out;
}

nlohmann::json read_json(const fs::path& p) {
    std::ifstream in(p);
    if (!in) throw Error(p.string() + ": cannot read");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error&) {
        throw Error(p.string() + ": invalid JSON");
    }
}

}  // namespace

int command_rank(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    po::options_description visible("qnas rank RUN_DIR [options]");
    visible.add_options()("samples", po::value<int>(), "number of distinct random SubCircuits (default 50)")(
        "params", po::value<std::string>(), "parameter counts, e.g. 12,36,45,90,144,180 (instead of --samples)")(
        "per-size", po::value<int>()->default_value(8), "SubCircuits per parameter count")(
        "scratch-epochs", po::value<int>()->default_value(200), "from-scratch epochs (QuantumNAS's retrain: 200)")(
        "scratch-repeats", po::value<int>()->default_value(1),
        "from-scratch trainings per SubCircuit (seeds), averaged: a less noisy ground truth")(
        "scratch-scheduler", po::value<std::string>()->default_value("cosine"),
        "from-scratch lr schedule: cosine (QuantumNAS's retrain) or run (the SuperCircuit run's)")(
        "weights", po::value<std::string>()->default_value("final"), "inherited weights: final | best (best valid)")(
        "split", po::value<std::string>()->default_value("valid"), "split the summary correlates: valid | test")(
        "seed", po::value<std::uint64_t>(), "seed of the draws and the scratch runs (default: the run's)")(
        "threads", po::value<int>()->default_value(0), "SubCircuits trained concurrently (0 = all cores)")(
        "out", po::value<std::string>(), "output directory (default RUN_DIR/rank or RUN_DIR/rank_params)")(
        "data-dir", po::value<std::string>(), "data folder (overrides the run's data.dir)")(
        "resume", "keep the SubCircuits already in the output's rank.jsonl")("quiet", "no progress on stderr")(
        "help,h", "print this help");
    po::options_description all;
    all.add(visible).add_options()("stop-after", po::value<int>()->default_value(0), "tests: stop after N SubCircuits");
    const po::variables_map vm = parse_options(args, all, "run_dir", "qnas train run directory", "rank");
    if (vm.count("help")) {
        out << visible
            << "Scores SubCircuits of a trained SuperCircuit with inherited weights and trained from scratch\n"
               "(the run's recipe, one thread per SubCircuit); Spearman rho / Kendall tau in summary.json.\n"
               "Examples:\n"
               "  qnas rank runs/mnist4_super_u3cu3 --samples 50 --threads 2\n"
               "  qnas rank runs/mnist4_super_u3cu3 --params 12,36,45,90,144,180 --per-size 8\n"
               "  qnas rank runs/mnist4_super_u3cu3 --resume   (continue an interrupted run)\n";
        return 0;
    }
    if (!vm.count("run_dir")) throw Error("rank: missing the RUN_DIR argument (a qnas train SuperCircuit run)");
    const fs::path run_dir = vm["run_dir"].as<std::string>();
    const bool params_mode = vm.count("params") > 0;
    if (params_mode && vm.count("samples")) throw Error("rank: --samples and --params exclude each other");
    const int samples = vm.count("samples") ? vm["samples"].as<int>() : 50;
    if (samples < 1) throw Error("rank: --samples must be at least 1");
    const std::vector<int> param_list =
        params_mode ? parse_param_list(vm["params"].as<std::string>()) : std::vector<int>{};
    const int per_size = vm["per-size"].as<int>();
    if (per_size < 1) throw Error("rank: --per-size must be at least 1");
    const std::string weights_kind = vm["weights"].as<std::string>();
    if (weights_kind != "final" && weights_kind != "best") throw Error("rank: --weights must be final or best");
    const std::string split = vm["split"].as<std::string>();
    if (split != "valid" && split != "test") throw Error("rank: --split must be valid or test");
    const int threads = vm["threads"].as<int>();
    if (threads < 0) throw Error("rank: --threads must be at least 0");
    const int stop_after = vm["stop-after"].as<int>();

    const fs::path config_path = run_dir / "config.json";
    if (!fs::exists(config_path))
        throw Error(config_path.string() + ": missing (RUN_DIR must be a qnas train run directory)");
    sc::TrainConfig c = search::load_experiment_config(config_path.string()).train;
    if (!c.supercircuit())
        throw Error(config_path.string() + ": not a SuperCircuit run (it trains the fixed circuit in /arch)");
    if (c.is_vqe())
        throw Error(config_path.string() + ": /task: vqe runs have no validation data to rank SubCircuits on");
    if (vm.count("data-dir")) c.data.dir = vm["data-dir"].as<std::string>();
    const int scratch_epochs = vm["scratch-epochs"].as<int>();
    if (scratch_epochs < 1) throw Error("rank: --scratch-epochs must be at least 1");
    const int scratch_repeats = vm["scratch-repeats"].as<int>();
    if (scratch_repeats < 1) throw Error("rank: --scratch-repeats must be at least 1");
    const std::string scratch_scheduler = vm["scratch-scheduler"].as<std::string>();
    if (scratch_scheduler != "cosine" && scratch_scheduler != "run")
        throw Error("rank: --scratch-scheduler must be cosine or run");
    const std::uint64_t seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : c.seed;
    const sc::TrainSetup setup = sc::make_train_setup(c, config_path.string());

    const fs::path result_path = run_dir / "result.json";
    if (!fs::exists(result_path))
        throw Error(result_path.string() + ": missing (the training has not finished; run qnas train --resume)");
    const nlohmann::json result = read_json(result_path);
    const char* weights_key = weights_kind == "final" ? "weights" : "best_weights";
    std::vector<double> weights;
    try {
        weights = result.at(weights_key).get<std::vector<double>>();
    } catch (const nlohmann::json::exception&) {
        throw Error(result_path.string() + ": /" + weights_key + ": missing or not a list of numbers");
    }
    if (weights.size() != static_cast<std::size_t>(setup.model.n_weights))
        throw Error(result_path.string() + ": /" + weights_key + ": " + std::to_string(weights.size()) +
                    " weights, the SuperCircuit of config.json has " + std::to_string(setup.model.n_weights));

    const bool quiet = vm.count("quiet") > 0;
    std::vector<sc::RankGene> genes;
    if (params_mode) {
        for (const int req : param_list) {
            const int achieved = sc::nearest_achievable_params(setup.space, req);
            if (achieved != req && !quiet)
                err << "rank: no " << setup.space.name << " SubCircuit has " << req << " parameters; using " << achieved
                    << "\n";
            // Small counts can have fewer SubCircuits than asked (U3+CU3 has 4 with 12 parameters): take them all.
            const double available = sc::count_archs_with_params(setup.space, achieved);
            const int k = available < per_size ? static_cast<int>(available) : per_size;
            if (k < per_size && !quiet)
                err << "rank: only " << k << " " << setup.space.name << " SubCircuits have " << achieved
                    << " parameters; ranking all of them\n";
            for (auto& a : sc::sample_archs_with_params(setup.space, achieved, k, seed))
                genes.push_back({std::move(a), req});
        }
    } else {
        for (auto& a : sc::sample_distinct_archs(setup.space, samples, seed)) genes.push_back({std::move(a), 0});
    }

    const fs::path out_dir =
        vm.count("out") ? fs::path(vm["out"].as<std::string>()) : run_dir / (params_mode ? "rank_params" : "rank");
    fs::create_directories(out_dir);
    const bool resume = vm.count("resume") > 0;
    nlohmann::json options = {{"space", setup.space.name},
                              {"weights", weights_kind},
                              {"scratch_epochs", scratch_epochs},
                              {"scratch_scheduler", scratch_scheduler},
                              {"scratch_repeats", scratch_repeats},
                              {"seed", seed},
                              {"n", genes.size()}};
    if (params_mode)
        options["params"] = param_list, options["per_size"] = per_size;
    else
        options["samples"] = samples;
    const fs::path options_path = out_dir / "rank_config.json";
    if (resume && fs::exists(options_path)) {
        const nlohmann::json before = read_json(options_path);
        for (auto it = options.begin(); it != options.end(); ++it)
            if (!before.contains(it.key()) || before[it.key()] != it.value())
                throw Error(options_path.string() + ": was written with a different " + it.key() + " (" +
                            before.value(it.key(), nlohmann::json()).dump() + ", now " + it.value().dump() +
                            "); cannot resume");
    }
    sc::write_file_atomically(options_path.string(), options.dump(2) + "\n");

    const auto t0 = std::chrono::steady_clock::now();
    const sc::Splits data = sc::load_config_data(c, setup.task);
    sc::RankOptions o;
    o.scratch = sc::train_options(c, setup.task);
    o.scratch.epochs = scratch_epochs;
    // QuantumNAS retrains searched SubCircuits with plain cosine annealing (no warm-up) for 200 epochs.
    if (scratch_scheduler == "cosine") o.scratch.schedule.kind = sc::ScheduleKind::Cosine;
    o.scratch.seed = seed;
    o.scratch_repeats = scratch_repeats;
    o.n_threads = threads;
    o.jsonl_path = (out_dir / "rank.jsonl").string();
    o.resume = resume;
    o.stop_after = stop_after;
    o.progress = quiet ? nullptr : &err;
    if (!quiet)
        err << "rank: " << genes.size() << " SubCircuits of " << setup.space.name << " (" << weights_kind
            << " weights of " << run_dir.string() << "), " << scratch_epochs << " scratch epochs each, "
            << data.train.size() << "/" << data.valid.size() << "/" << data.test.size() << " train/valid/test, into "
            << out_dir.string() << "\n";
    const auto done = sc::rank_subcircuits(setup.space, setup.encoder, setup.model, weights, data, genes, o);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (done.size() < genes.size()) {
        if (!quiet) err << "rank: stopped after " << done.size() << " of " << genes.size() << "; --resume continues\n";
        out << nlohmann::json{{"stopped", true}, {"done", done.size()}, {"n", genes.size()}}.dump() << "\n";
        return 0;
    }

    // The summary comes from the file (every record, sorted by index), which is rewritten in index
    // order so that it does not depend on the completion order.
    const auto records = sc::load_rank_records(o.jsonl_path);
    std::string lines;
    for (const auto& r : records) lines += sc::record_to_json(r).dump() + "\n";
    sc::write_file_atomically(o.jsonl_path, lines);
    nlohmann::json summary = sc::rank_summary(records, split);
    summary["space"] = setup.space.name;
    summary["weights"] = weights_kind;
    summary["scratch_epochs"] = scratch_epochs;
    summary["scratch_scheduler"] = scratch_scheduler;
    summary["scratch_repeats"] = scratch_repeats;
    sc::write_file_atomically((out_dir / "summary.json").string(), summary.dump(2) + "\n");
    nlohmann::json line = {{"n", summary["n"]},
                           {"spearman_loss", summary["spearman_loss"]},
                           {"spearman_acc", summary["spearman_acc"]},
                           {"kendall_loss", summary["kendall_loss"]},
                           {"spearman_loss_params_baseline", summary["spearman_loss_params_baseline"]},
                           {"out", out_dir.string()},
                           {"seconds", seconds}};
    out << line.dump() << "\n";
    return 0;
}

}  // namespace qnas::cli
