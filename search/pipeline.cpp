#include "search/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <optional>
#include <set>
#include <sstream>

#include "noise/calibration.h"
#include "noise/compile.h"
#include "noise/layout.h"
#include "noise/noise_model.h"
#include "noise/noisy_batch.h"
#include "noise/noisy_execution.h"
#include "noise/routing.h"
#include "search/evolution.h"
#include "search/fitness.h"
#include "search/gate_pruning.h"
#include "search/gene_space.h"
#include "search/gradient_pruning.h"
#include "search/proxies.h"
#include "sim/error.h"
#include "sim/qasm.h"
#include "sim/random.h"
#include "sim/statevector.h"
#include "supercircuit/checkpoint.h"
#include "supercircuit/design_space.h"
#include "supercircuit/energy.h"
#include "supercircuit/train_model.h"
#include "supercircuit/train_setup.h"
#include "supercircuit/trainer.h"

namespace qnas::search {

namespace {

namespace fs = std::filesystem;
namespace sc = qnas::supercircuit;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string fmt(double v, int digits = 4) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

json read_json(const fs::path& p, const std::string& missing_hint) {
    if (!fs::exists(p)) throw Error(p.string() + ": missing (" + missing_hint + ")");
    std::ifstream in(p);
    if (!in) throw Error(p.string() + ": cannot read");
    try {
        return json::parse(in);
    } catch (const json::parse_error&) {
        throw Error(p.string() + ": invalid JSON");
    }
}

void write_json(const fs::path& p, const json& j) { sc::write_file_atomically(p.string(), j.dump(2) + "\n"); }

// A field of a stage result, as a one-line error naming the file and the field when absent or mistyped.
template <class T>
T field(const json& j, const char* key, const fs::path& file) {
    try {
        return j.at(key).get<T>();
    } catch (const json::exception&) {
        throw Error(file.string() + ": /" + key + ": missing or of the wrong type");
    }
}

std::vector<int> trivial_layout(int n) {
    std::vector<int> l(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) l[static_cast<std::size_t>(i)] = i;
    return l;
}

// search.arch resolved; resolve_arch names the top-level /arch, the key is /search/arch here.
sc::Arch resolve_search_arch(const ExperimentConfig& c, const sc::DesignSpace& space, const std::string& source) {
    try {
        return sc::resolve_arch(c.search.arch, space, source);
    } catch (const Error& e) {
        std::string m = e.what();
        const std::string from = source + ": /arch";
        if (m.rfind(from, 0) == 0) m = source + ": /search/arch" + m.substr(from.size());
        throw Error(m);
    }
}

void check_layout(const std::vector<int>& layout, int n_logical, int n_physical, const std::string& device,
                  const std::string& source) {
    if (static_cast<int>(layout.size()) != n_logical)
        throw Error(source + ": /search/layout: " + std::to_string(layout.size()) + " entries, the circuit has " +
                    std::to_string(n_logical) + " qubits");
    std::set<int> seen;
    for (std::size_t i = 0; i < layout.size(); ++i) {
        const std::string path = source + ": /search/layout/" + std::to_string(i);
        if (layout[i] >= n_physical)
            throw Error(path + ": qubit " + std::to_string(layout[i]) + " is not on " + device + " (" +
                        std::to_string(n_physical) + " qubits)");
        if (!seen.insert(layout[i]).second)
            throw Error(path + ": qubit " + std::to_string(layout[i]) + " is used twice");
    }
}

// search.min_params / max_params against the space (and fix_arch's fixed design): a budget no
// candidate meets is an error before anything runs.
void check_param_budget(const ExperimentConfig& c, const sc::DesignSpace& space, const std::string& source) {
    const SearchConfig& s = c.search;
    if (s.min_params == 0 && s.max_params == 0) return;
    const std::string path = source + (s.max_params > 0 ? ": /search/max_params: " : ": /search/min_params: ");
    if (s.mode == "fix_arch") {
        const int n = sc::count_params(space, resolve_search_arch(c, space, source));
        if (n < s.min_params || (s.max_params > 0 && n > s.max_params))
            throw Error(path + "the fixed arch (search.arch) has " + std::to_string(n) +
                        " parameters, outside the budget [" + std::to_string(s.min_params) + ", " +
                        std::to_string(s.max_params) + "]");
        return;
    }
    try {
        param_budget(space, s.min_params, s.max_params);
    } catch (const Error& e) {
        throw Error(path + e.what());
    }
}

// make_train_setup with its errors naming the config file and the field (the task and space
// lookups report only the unknown name).
sc::TrainSetup checked_setup(const sc::TrainConfig& c, const std::string& source) {
    try {
        return sc::make_train_setup(c, source);
    } catch (const Error& e) {
        const std::string m = e.what();
        if (m.rfind(source, 0) == 0) throw;
        if (m.rfind("unknown task", 0) == 0) throw Error(source + ": /task: " + m);
        if (m.rfind("unknown design space", 0) == 0) throw Error(source + ": /space: " + m);
        throw Error(source + ": " + m);
    }
}

// Everything derived from a run's config that the stages share.
struct Run {
    fs::path dir;
    std::string config_path;
    ExperimentConfig c;
    sc::TrainSetup setup;
};

Run open_run(const std::string& run_dir, const StageOptions& o) {
    Run r;
    r.dir = run_dir;
    r.config_path = (r.dir / "config.json").string();
    r.c = load_run_config(run_dir);
    if (!o.data_dir.empty()) r.c.train.data.dir = o.data_dir;
    if (o.threads > 0) r.c.train.threads = o.threads;
    r.setup = checked_setup(r.c.train, r.config_path);
    return r;
}

void require_search_run(const Run& r) {
    if (r.setup.hamiltonian)
        throw Error(r.config_path + ": /task: a vqe run has no classification data to search with");
    if (r.setup.arch)
        throw Error(r.config_path + ": /arch: a fixed-circuit run; the search needs a SuperCircuit run (no /arch)");
}

noise::Device load_run_device(const Run& r) { return noise::load_device(r.c.device, r.c.train.data.dir); }
noise::NoiseModel run_noise_model(const Run& r, const noise::Device& d) {
    return noise::build_noise_model(d, r.c.noise_model);
}

std::vector<std::vector<int>> readout_groups(const Run& r) {
    return sc::resolve_readout_groups(r.setup.task.readout_groups, r.setup.space.n_qubits);
}

// Compile options shared by the search's scoring, the evaluation and the export (so the exported
// compiled circuit is the one that was scored).
noise::CompileOptions compile_options(const ExperimentConfig& c) {
    noise::CompileOptions co;
    co.routing.seed = c.train.seed;
    co.routing.trials = c.search.routing_trials;
    co.optimize = c.search.optimize;
    return co;
}

sc::TrainOptions base_train_options(const Run& r, const StageOptions& o) {
    sc::TrainOptions t = sc::train_options(r.c.train, r.setup);
    t.resume = o.resume && !o.force;
    t.quiet = o.progress == nullptr;
    t.progress = o.progress;
    t.stop_after_epochs = o.stop_after;
    return t;
}

// The retrain recipe (also the baselines'): from scratch, retrain.epochs at retrain.lr.
sc::TrainOptions retrain_options(const Run& r, const StageOptions& o) {
    sc::TrainOptions t = base_train_options(r, o);
    t.epochs = r.c.retrain.epochs;
    t.schedule = {sc::parse_schedule_kind(r.c.retrain.scheduler), r.c.retrain.lr, r.c.retrain.epochs,
                  r.c.train.warmup_epochs, r.c.train.min_lr};
    return t;
}

std::uint64_t fnv1a(const std::string& s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const unsigned char ch : s) h = (h ^ ch) * 1099511628211ULL;
    return h;
}

// Epochs a trainer run directory has completed (0 without a checkpoint).
int epochs_done(const fs::path& dir) {
    const fs::path p = dir / "checkpoint.json";
    return fs::exists(p) ? sc::load_checkpoint(p.string()).epochs_done : 0;
}

json eval_summary(const sc::TrainResult& t) {
    json j;
    if (!t.metrics.empty()) {
        const auto& last = t.metrics.back();
        j["final"] = {{"valid_loss", last["valid_loss"]},
                      {"valid_acc", last["valid_acc"]},
                      {"test_loss", last["test_loss"]},
                      {"test_acc", last["test_acc"]}};
    }
    j["best"] = {{"epoch", t.best_epoch}, {"valid_acc", t.best_valid_accuracy}, {"test_acc", t.best_test_accuracy}};
    return j;
}

// ---- train ----------------------------------------------------------------------------------

json train_core(const ExperimentConfig& c, const sc::TrainSetup& setup, const fs::path& dir, const StageOptions& o) {
    const auto t0 = Clock::now();
    const sc::Splits data = sc::load_config_data(c.train, setup.task);
    sc::TrainOptions t = sc::train_options(c.train, setup);
    t.run_dir = dir.string();
    t.resume = o.resume && !o.force;
    t.quiet = o.progress == nullptr;
    t.progress = o.progress;
    t.stop_after_epochs = o.stop_after;
    const bool fixed = setup.arch.has_value();
    if (o.progress && setup.hamiltonian)
        *o.progress << "train: " << (fixed ? "fixed circuit" : "SuperCircuit") << " on " << c.train.space << ", VQE of "
                    << setup.hamiltonian_path << " (" << setup.hamiltonian->n_qubits << " qubits, "
                    << setup.hamiltonian->terms.size() << " terms, " << c.train.vqe.energy << " energy), "
                    << c.train.epochs << " × " << c.train.vqe.steps_per_epoch << " steps, run directory "
                    << dir.string() << "\n";
    else if (o.progress)
        *o.progress << "train: " << (fixed ? "fixed circuit" : "SuperCircuit") << " on " << c.train.space << ", task "
                    << c.train.task << " (" << data.train.size() << "/" << data.valid.size() << "/" << data.test.size()
                    << " train/valid/test), " << c.train.epochs << " epochs, run directory " << dir.string() << "\n";
    const sc::TrainResult r = sc::train(setup.model, data, t);
    if (r.epochs_done < c.train.epochs) return {{"stopped", true}, {"stage", "train"}, {"epochs", r.epochs_done}};

    json summary;
    summary["run_dir"] = dir.string();
    summary["kind"] = fixed ? "fixed" : "supercircuit";
    summary["space"] = setup.space.name;
    if (fixed) {
        summary["arch"] = *setup.arch;
        summary["n_params"] = sc::count_params(setup.space, *setup.arch);
    }
    summary["epochs"] = r.epochs_done;
    summary["seconds"] = seconds_since(t0);
    if (setup.hamiltonian) {
        summary["hamiltonian"] = setup.hamiltonian_path;
        summary["energy_kind"] = c.train.vqe.energy;
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
        summary.update(eval_summary(r));
    }
    json result = summary;
    result["weights"] = r.weights;
    result["best_weights"] = r.best_weights;
    sc::write_file_atomically((dir / "result.json").string(), result.dump() + "\n");
    return summary;
}

json stage_train(const Run& r, const StageOptions& o) {
    json summary = train_core(r.c, r.setup, r.dir, o);
    if (summary.contains("stopped")) return summary;
    return read_json(r.dir / "result.json", "");
}

// ---- search ---------------------------------------------------------------------------------

std::vector<double> supercircuit_weights(const Run& r) {
    const fs::path p = r.dir / "result.json";
    const json res = read_json(p, "the SuperCircuit training has not finished: run qnas train or qnas run");
    const char* key = r.c.search.weights == "best" ? "best_weights" : "weights";
    const auto w = field<std::vector<double>>(res, key, p);
    if (static_cast<int>(w.size()) != r.setup.model.n_weights)
        throw Error(p.string() + ": /" + key + ": " + std::to_string(w.size()) + " weights, the SuperCircuit of " +
                    r.config_path + " has " + std::to_string(r.setup.model.n_weights));
    return w;
}

json stage_search(const Run& r, const StageOptions& o) {
    require_search_run(r);
    const auto t0 = Clock::now();
    const ExperimentConfig& c = r.c;
    const SearchConfig& s = c.search;
    const std::vector<double> weights = supercircuit_weights(r);
    const sc::DesignSpace& space = r.setup.space;

    ScoringContext ctx;
    ctx.space = space;
    ctx.encoder = r.setup.encoder;
    ctx.readout_groups = readout_groups(r);
    ctx.device = load_run_device(r);
    ctx.model = run_noise_model(r, ctx.device);
    // A seeded subset, not the first N: the npm split is ordered by class (QuantumNAS's first N of a
    // randomly ordered split is the same in distribution).
    ctx.data = sc::load_config_data(c.train, r.setup.task)
                   .valid.subset(static_cast<std::size_t>(s.n_valid_samples),
                                 sim::mix64(c.train.data.split_seed ^ 0x7365617263682d76ULL));

    GeneSpace gs = co_search_space(space, ctx.device.n_qubits);
    const std::vector<int> layout = s.layout.empty() ? trivial_layout(space.n_qubits) : s.layout;
    const bool noise_unaware = s.mode == "noise_unaware";
    if (s.mode == "fix_layout" || noise_unaware) gs.mask = fix_layout_mask(space, layout);
    if (s.mode == "fix_arch") {
        // The arch positions get the fixed value as their only choice: a human design may use 0 for
        // an empty layer, which the search bounds (fix_arch_mask) exclude.
        const sc::Arch arch = resolve_search_arch(c, space, r.config_path);
        gs.mask.assign(static_cast<std::size_t>(gs.n_layout), -1);
        for (std::size_t i = 0; i < arch.size(); ++i) {
            gs.choices[static_cast<std::size_t>(gs.n_layout) + i] = {arch[i]};
            gs.mask.push_back(arch[i]);
        }
    }
    check_param_budget(c, space, r.config_path);  // a hand-edited RUN/config.json: name the JSON path
    if ((s.min_params > 0 || s.max_params > 0) && s.mode != "fix_arch")
        gs.constraint = param_budget(space, s.min_params, s.max_params);
    const CacheKey key = co_search_key(space, !noise_unaware);

    FitnessOptions fo;
    fo.method = noise_unaware ? noise::NoiseMethod::None : noise::parse_noise_method(s.noise);
    fo.score = parse_score_kind(s.score);
    fo.shots = s.shots;
    fo.trajectories = s.trajectories;
    fo.seed = c.train.seed;
    fo.compile = compile_options(c);
    fo.parallelism = Parallelism{1};
    const ProxyScorer proxies(space, s.proxies);  // search.proxies: inactive by default (no change)
    const Fitness fitness = [&](const Gene& g) {
        const LayoutAndArch la = split_gene(space, g);
        const CandidateMetrics m = score_candidate(ctx, la.arch, weights, la.layout, fo);
        return proxies.apply(la.arch, m.success_rate, Evaluation{m.score, to_json(m)});
    };

    EvolutionOptions eo;
    eo.population = s.population;
    eo.parents = s.parents;
    eo.mutants = s.mutants;
    eo.mutation_prob = s.mutation_prob;
    eo.crossovers = s.crossovers;
    eo.iterations = s.iterations;
    eo.random_search = s.mode == "random";
    eo.seed = c.train.seed;
    eo.n_threads = c.train.threads;
    eo.run_dir = (r.dir / "search").string();
    eo.resume = o.resume && !o.force;
    eo.stop_after_generations = o.stop_after;
    eo.progress = o.progress;
    json search_fingerprint = resolved_config(c)["search"];
    // Inactive proxies leave the fingerprint as before they existed: older run directories resume.
    if (!s.proxies.active()) search_fingerprint.erase("proxies");
    // Likewise unset budget keys.
    for (const char* k : {"min_params", "max_params"})
        if (search_fingerprint[k] == 0) search_fingerprint.erase(k);
    eo.fingerprint = {{"search", search_fingerprint},
                      {"device", c.device},
                      {"weights", "result.json"},  // relative: a moved run directory still resumes
                      {"weights_hash", fnv1a(json(weights).dump())}};
    // Idle noise changes every score; the default leaves older fingerprints as they were.
    if (c.noise_model.idle) eo.fingerprint["noise_model"] = {{"idle", true}};
    fs::create_directories(eo.run_dir);
    if (o.progress)
        *o.progress << "search: " << s.mode << " on " << ctx.device.name << " (" << ctx.device.n_qubits
                    << " qubits), noise " << to_string(fo.method) << ", score " << s.score << ", population "
                    << s.population << " × " << s.iterations << " iterations, " << ctx.data.size()
                    << " validation samples\n";
    if (o.progress && s.proxies.active())
        *o.progress << "search: proxies " << resolved_config(c)["search"]["proxies"].dump() << "\n";
    const SearchResult res = evolve(gs, fitness, key, eo);
    if (res.generations_done < s.iterations)
        return {{"stopped", true}, {"stage", "search"}, {"generations", res.generations_done}};

    const json ckpt = read_json(fs::path(eo.run_dir) / "search_checkpoint.json", "");
    const LayoutAndArch best = split_gene(space, res.best.gene);
    json out = {{"mode", s.mode},
                {"gene", res.best.gene},
                {"layout", best.layout},
                {"arch", best.arch},
                {"n_params", sc::count_params(space, best.arch)},
                {"score", res.best.evaluation.score},
                {"metrics", res.best.evaluation.info},
                {"generations", res.generations_done},
                {"evaluations", ckpt.value("evaluations", json(res.evaluations))},
                {"cache_hits", ckpt.value("cache_hits", json(res.cache_hits))},
                {"seconds", seconds_since(t0)}};
    write_json(r.dir / "search" / "result.json", out);
    return out;
}

// ---- retrain --------------------------------------------------------------------------------

struct Winner {
    std::vector<int> layout;
    sc::Arch arch;
    Gene gene;
};

Winner load_winner(const Run& r) {
    const fs::path p = r.dir / "search" / "result.json";
    const json j = read_json(p, "the search has not finished: run qnas search " + r.dir.string());
    Winner w{field<std::vector<int>>(j, "layout", p), field<std::vector<int>>(j, "arch", p),
             field<std::vector<int>>(j, "gene", p)};
    sc::validate_human_arch(r.setup.space, w.arch);  // fix_arch may have searched for a human design
    return w;
}

json stage_retrain(const Run& r, const StageOptions& o) {
    require_search_run(r);
    const auto t0 = Clock::now();
    const Winner w = load_winner(r);
    const fs::path dir = r.dir / "retrain";
    json out = {{"enabled", r.c.retrain.enabled}, {"arch", w.arch}};
    if (!r.c.retrain.enabled) {
        const std::vector<double> inherited = supercircuit_weights(r);
        out["weights"] = inherited;
        out["best_weights"] = inherited;
        out["seconds"] = seconds_since(t0);
    } else {
        const sc::TrainModel model = sc::fixed_arch_model(r.setup.space, r.setup.encoder, w.arch);
        const sc::Splits data = sc::load_config_data(r.c.train, r.setup.task);
        sc::TrainOptions t = retrain_options(r, o);
        t.run_dir = dir.string();
        fs::create_directories(dir);
        if (o.progress)
            *o.progress << "retrain: the winner (" << sc::count_params(r.setup.space, w.arch)
                        << " parameters) from scratch, " << t.epochs << " epochs\n";
        const sc::TrainResult tr = sc::train(model, data, t);
        if (tr.epochs_done < t.epochs) return {{"stopped", true}, {"stage", "retrain"}, {"epochs", tr.epochs_done}};
        out["epochs"] = tr.epochs_done;
        out.update(eval_summary(tr));
        out["weights"] = tr.weights;
        out["best_weights"] = tr.best_weights;
        out["seconds"] = seconds_since(t0);
    }
    fs::create_directories(dir);
    write_json(dir / "result.json", out);
    return out;
}

// ---- prune ----------------------------------------------------------------------------------

json stage_prune(const Run& r, const StageOptions& o) {
    require_search_run(r);
    const auto t0 = Clock::now();
    const Winner w = load_winner(r);
    const fs::path rp = r.dir / "retrain" / "result.json";
    const json retrained = read_json(rp, "the retraining has not finished: run qnas retrain " + r.dir.string());
    const auto start = field<std::vector<double>>(retrained, "best_weights", rp);
    const fs::path dir = r.dir / "prune";
    const PruneConfig& p = r.c.prune;
    json out = {{"enabled", p.enabled}};
    if (!p.enabled) {
        out["weights"] = start;
        out["pruned"] = std::vector<int>(start.size(), 0);
        out["final_ratio"] = 0.0;
        out["n_pruned"] = 0;
    } else {
        const sc::TrainModel model = sc::fixed_arch_model(r.setup.space, r.setup.encoder, w.arch);
        const sc::Splits data = sc::load_config_data(r.c.train, r.setup.task);
        GatePruningOptions po = default_gate_pruning_options();
        po.initial_ratio = p.initial_ratio;
        po.target_ratio = p.target_ratio;
        po.start_epoch = p.start_epoch;
        po.end_epoch = p.end_epoch;
        po.remove_threshold = p.remove_threshold;
        po.train = base_train_options(r, o);
        po.train.epochs = p.epochs;
        po.train.schedule = {sc::ScheduleKind::Cosine, p.lr, p.epochs, r.c.train.warmup_epochs, r.c.train.min_lr};
        po.train.run_dir = dir.string();
        fs::create_directories(dir);
        if (o.progress)
            *o.progress << "prune: ratio " << p.initial_ratio << " → " << p.target_ratio << " (epochs " << p.start_epoch
                        << "–" << p.end_epoch << "), " << p.epochs << " fine-tuning epochs\n";
        const GatePruningResult g = prune_and_finetune(model, data, start, po);
        const int done = epochs_done(dir);
        if (done < p.epochs) return {{"stopped", true}, {"stage", "prune"}, {"epochs", done}};
        std::vector<int> mask(g.pruned.begin(), g.pruned.end());
        out["epochs"] = done;
        if (!g.metrics.empty()) {
            const auto& last = g.metrics.back();
            out["final"] = {{"valid_loss", last["valid_loss"]},
                            {"valid_acc", last["valid_acc"]},
                            {"test_loss", last["test_loss"]},
                            {"test_acc", last["test_acc"]}};
        }
        out["weights"] = g.weights;
        out["pruned"] = mask;
        out["final_ratio"] = g.final_ratio;
        out["n_pruned"] = std::count(mask.begin(), mask.end(), 1);
    }
    out["seconds"] = seconds_since(t0);
    fs::create_directories(dir);
    write_json(dir / "result.json", out);
    return out;
}

// ---- eval -----------------------------------------------------------------------------------

struct FinalCircuit {
    Winner winner;
    std::vector<double> weights;
    std::vector<int> pruned;
    sim::Circuit logical;  // encoder + SubCircuit, pruned gates removed, no measures
};

// The final circuit's weights read from `from` (checked against the space) and its logical circuit
// rebuilt with the gates whose angles are all ~0 removed.
void set_final_weights(const Run& r, FinalCircuit& f, std::vector<double> weights, const fs::path& from) {
    if (static_cast<int>(weights.size()) != sc::n_weights(r.setup.space))
        throw Error(from.string() + ": /weights: " + std::to_string(weights.size()) + " weights, the space has " +
                    std::to_string(sc::n_weights(r.setup.space)));
    f.weights = std::move(weights);
    f.logical = remove_pruned_gates(candidate_circuit(r.setup.space, r.setup.encoder, f.winner.arch), f.weights,
                                    r.c.prune.remove_threshold);
}

// The pruned winner (prune/result.json): what the finetune stage starts from.
FinalCircuit load_pruned(const Run& r) {
    FinalCircuit f;
    f.winner = load_winner(r);
    const fs::path pp = r.dir / "prune" / "result.json";
    const json pr = read_json(pp, "the pruning has not finished: run qnas prune " + r.dir.string());
    std::vector<double> weights = field<std::vector<double>>(pr, "weights", pp);
    f.pruned = field<std::vector<int>>(pr, "pruned", pp);
    set_final_weights(r, f, std::move(weights), pp);
    return f;
}

// What eval and export use: with finetune enabled its weights (finetune/result.json), else the
// pruned winner as it is.
FinalCircuit load_final(const Run& r) {
    FinalCircuit f = load_pruned(r);
    if (!r.c.finetune.enabled) return f;
    const fs::path fp = r.dir / "finetune" / "result.json";
    const json fr = read_json(fp, "the fine-tuning has not finished: run qnas finetune " + r.dir.string());
    set_final_weights(r, f, field<std::vector<double>>(fr, "weights", fp), fp);
    return f;
}

// ---- finetune -------------------------------------------------------------------------------

// `c` with every trainable angle marked in `pruned` replaced by its value as a constant, so
// on-chip training never shifts or updates it (the pruned angles stay exactly where pruning put them).
sim::Circuit freeze_angles(sim::Circuit c, std::span<const double> theta, const std::vector<int>& pruned) {
    for (sim::Op& op : c.ops)
        for (sim::Param& p : op.params)
            if (p.source == sim::Param::Source::Trainable && static_cast<std::size_t>(p.index) < pruned.size() &&
                pruned[static_cast<std::size_t>(p.index)] != 0)
                p = sim::Param::constant(p.resolve(theta, {}));
    return c;
}

json curve_point_json(const OnChipPoint& p) {
    return {{"epoch", p.epoch},
            {"circuit_runs", p.circuit_runs},
            {"train_loss", p.train_loss},
            {"valid_acc", p.valid_accuracy}};
}

json on_chip_state_json(const OnChipTrainState& s, const json& fingerprint) {
    json curve = json::array();
    for (const OnChipPoint& p : s.curve) curve.push_back(curve_point_json(p));
    return {{"fingerprint", fingerprint},
            {"epochs_done", s.epochs_done},
            {"step", s.step},
            {"weights", s.weights},
            {"adam", {{"m", s.adam.m}, {"v", s.adam.v}, {"steps", s.adam.steps}}},
            {"accumulator", s.accumulator},
            {"curve", curve},
            {"circuit_runs", s.circuit_runs}};
}

OnChipTrainState on_chip_state_from_json(const json& j, const fs::path& file) {
    OnChipTrainState s;
    try {
        s.epochs_done = j.at("epochs_done").get<int>();
        s.step = j.at("step").get<std::uint64_t>();
        s.weights = j.at("weights").get<std::vector<double>>();
        s.adam.m = j.at("adam").at("m").get<std::vector<double>>();
        s.adam.v = j.at("adam").at("v").get<std::vector<double>>();
        s.adam.steps = j.at("adam").at("steps").get<std::vector<std::int64_t>>();
        s.accumulator = j.at("accumulator").get<std::vector<double>>();
        for (const json& p : j.at("curve"))
            s.curve.push_back({p.at("epoch").get<int>(), p.at("circuit_runs").get<std::int64_t>(),
                               p.at("train_loss").get<double>(), p.at("valid_acc").get<double>(), 0.0});
        s.circuit_runs = j.at("circuit_runs").get<std::int64_t>();
    } catch (const json::exception&) {
        throw Error(file.string() + ": malformed fine-tuning checkpoint (--force restarts the stage)");
    }
    return s;
}

json stage_finetune(const Run& r, const StageOptions& o) {
    require_search_run(r);
    const auto t0 = Clock::now();
    const FinetuneConfig& fc = r.c.finetune;
    const FinalCircuit f = load_pruned(r);
    const fs::path dir = r.dir / "finetune";
    json out = {{"enabled", fc.enabled}};
    if (!fc.enabled) {
        out["weights"] = f.weights;
        out["pruned"] = f.pruned;
        out["seconds"] = seconds_since(t0);
        fs::create_directories(dir);
        write_json(dir / "result.json", out);
        return out;
    }
    const noise::Device device = load_run_device(r);
    const noise::NoiseModel model = run_noise_model(r, device);
    // Seeded subsets (the npm split is ordered by class), each with its own stream; no test set: the
    // evaluation measures it.
    const sc::Splits all = sc::load_config_data(r.c.train, r.setup.task);
    sc::Splits data;
    data.train = all.train.subset(static_cast<std::size_t>(fc.n_train),
                                  sim::mix64(r.c.train.data.split_seed ^ 0x66696e652d7472ULL));
    data.valid = all.valid.subset(static_cast<std::size_t>(fc.n_valid),
                                  sim::mix64(r.c.train.data.split_seed ^ 0x66696e652d7661ULL));
    const sim::Circuit circuit = freeze_angles(f.logical, f.weights, f.pruned);
    const std::size_t n_angles = sim::used_trainables(circuit).size();

    OnChipTrainOptions to;
    to.epochs = fc.epochs;
    to.batch_size = fc.batch_size;
    to.schedule = {sc::ScheduleKind::Cosine, fc.lr, fc.epochs};
    to.adam = {r.c.train.beta1, r.c.train.beta2, r.c.train.eps, r.c.train.weight_decay};
    to.pgp.accumulation_window = fc.w_a;
    to.pgp.pruning_window = fc.w_p;
    to.pgp.ratio = fc.ratio;
    to.noisy = true;
    to.shots = fc.shots;
    to.layout = f.winner.layout;
    to.compile = compile_options(r.c);
    to.readout_groups = readout_groups(r);
    to.seed = r.c.train.seed;

    // What a checkpoint must have been made with to be continued.
    json fingerprint = {{"finetune", resolved_config(r.c)["finetune"]},
                        {"device", r.c.device},
                        {"noise_model", {{"idle", r.c.noise_model.idle}}},
                        {"seed", r.c.train.seed},
                        {"layout", f.winner.layout},
                        {"arch", f.winner.arch},
                        {"start_hash", fnv1a(json(f.weights).dump())}};
    const fs::path ckpt = dir / "checkpoint.json";
    std::optional<OnChipTrainState> resumed;
    if (o.resume && !o.force && fs::exists(ckpt)) {
        const json j = read_json(ckpt, "");
        if (j.value("fingerprint", json()) != fingerprint)
            throw Error(ckpt.string() +
                        ": made with other settings or another pruned winner; cannot resume (--force restarts the "
                        "stage)");
        resumed = on_chip_state_from_json(j, ckpt);
        to.resume = &*resumed;
    }
    fs::create_directories(dir);
    const auto write_curve = [&](const std::vector<OnChipPoint>& curve) {
        std::string text;
        for (const OnChipPoint& p : curve) text += curve_point_json(p).dump() + "\n";
        sc::write_file_atomically((dir / "curve.jsonl").string(), text);
    };
    int epochs_this_call = 0;
    to.after_epoch = [&](const OnChipTrainState& st) {
        // The curve first: a checkpoint never refers to epochs curve.jsonl lacks.
        write_curve(st.curve);
        write_json(ckpt, on_chip_state_json(st, fingerprint));
        const OnChipPoint& p = st.curve.back();
        if (o.progress)
            *o.progress << "finetune: epoch " << p.epoch << "/" << fc.epochs << " train loss " << fmt(p.train_loss)
                        << " valid acc " << fmt(p.valid_accuracy) << " circuit runs " << p.circuit_runs << " ("
                        << fmt(seconds_since(t0), 1) << " s)\n"
                        << std::flush;
        ++epochs_this_call;
        return o.stop_after <= 0 || epochs_this_call < o.stop_after;
    };
    if (o.progress)
        *o.progress << "finetune: on-chip PGP (w_a " << fc.w_a << ", w_p " << fc.w_p << ", ratio " << fc.ratio
                    << ") on " << device.name << ", " << n_angles << " angles, " << data.train.size()
                    << " training samples, " << fc.epochs << " epochs, " << fc.shots << " shots"
                    << (resumed ? ", resuming after epoch " + std::to_string(resumed->epochs_done) : std::string())
                    << "\n";
    const OnChipTrainResult res = train_on_chip(circuit, f.weights, data, device, model, to);
    if (res.epochs_done < fc.epochs) return {{"stopped", true}, {"stage", "finetune"}, {"epochs", res.epochs_done}};

    out["epochs"] = res.epochs_done;
    out["shots"] = fc.shots;
    out["pgp"] = {{"w_a", fc.w_a}, {"w_p", fc.w_p}, {"ratio", fc.ratio}};
    out["n_train"] = data.train.size();
    out["n_valid"] = data.valid.size();
    out["n_angles"] = n_angles;
    out["circuit_runs"] = res.circuit_runs;
    out["final"] = {{"train_loss", res.curve.back().train_loss}, {"valid_acc", res.curve.back().valid_accuracy}};
    out["weights"] = res.weights;
    out["pruned"] = f.pruned;
    out["seconds"] = seconds_since(t0);
    write_json(dir / "result.json", out);
    return out;
}

// Distinct trainable angles the circuit reads whose value is not (within `threshold`) 0 mod 2π.
int nonzero_params(const sim::Circuit& c, std::span<const double> theta, double threshold) {
    std::set<int> used;
    for (const auto& op : c.ops)
        for (const auto& p : op.params)
            if (p.source == sim::Param::Source::Trainable && std::abs(wrap_angle(theta[p.index])) > threshold)
                used.insert(p.index);
    return static_cast<int>(used.size());
}

// Scores one circuit with every eval.noise method on one layout.
json evaluate_circuit(const Run& r, const sim::Circuit& logical, std::span<const double> theta, const sc::Dataset& test,
                      const noise::Device& device, const noise::NoiseModel& model, const std::vector<int>& layout) {
    json methods = json::object();
    CandidateMetrics first;
    bool have_first = false;
    for (const std::string& name : r.c.eval.noise) {
        FitnessOptions fo;
        fo.method = noise::parse_noise_method(name);
        fo.shots = r.c.eval.shots;
        fo.trajectories = r.c.search.trajectories;
        fo.seed = r.c.train.seed;
        fo.compile = compile_options(r.c);
        fo.parallelism = Parallelism{r.c.train.threads};
        const CandidateMetrics m = score_circuit(logical, theta, test, readout_groups(r), device, model, layout, fo);
        methods[name] = {{"loss", m.loss}, {"accuracy", m.accuracy}};
        if (!have_first) first = m, have_first = true;
    }
    return {{"layout", layout},
            {"n_params", nonzero_params(logical, theta, r.c.prune.remove_threshold)},
            {"n_gates", first.n_gates},
            {"compiled_gates", first.compiled_gates},
            {"compiled_depth", first.compiled_depth},
            {"compiled_two_qubit", first.compiled_two_qubit},
            {"n_swaps", first.n_swaps},
            {"success_rate", first.success_rate},
            {"test", methods}};
}

// A human baseline trained from scratch with the retrain recipe (cached in RUN/baselines/<name>/);
// returns its best-valid weights.
std::vector<double> baseline_weights(const Run& r, const StageOptions& o, const std::string& name, const sc::Arch& arch,
                                     const sc::Splits& data) {
    const fs::path dir = r.dir / "baselines" / name;
    const fs::path rp = dir / "result.json";
    if (fs::exists(rp)) return field<std::vector<double>>(read_json(rp, ""), "best_weights", rp);
    const sc::TrainModel model = sc::fixed_arch_model(r.setup.space, r.setup.encoder, arch);
    StageOptions bo = o;
    bo.stop_after = 0;
    bo.force = false;
    sc::TrainOptions t = retrain_options(r, bo);
    t.run_dir = dir.string();
    fs::create_directories(dir);
    if (o.progress) *o.progress << "eval: baseline " << name << " from scratch, " << t.epochs << " epochs\n";
    const auto t0 = Clock::now();
    const sc::TrainResult tr = sc::train(model, data, t);
    json out = {{"name", name}, {"arch", arch}, {"n_params", sc::count_params(r.setup.space, arch)}};
    out["epochs"] = tr.epochs_done;
    out.update(eval_summary(tr));
    out["weights"] = tr.weights;
    out["best_weights"] = tr.best_weights;
    out["seconds"] = seconds_since(t0);
    write_json(rp, out);
    return tr.best_weights;
}

json stage_eval(const Run& r, const StageOptions& o) {
    require_search_run(r);
    const auto t0 = Clock::now();
    const FinalCircuit f = load_final(r);
    const noise::Device device = load_run_device(r);
    const noise::NoiseModel model = run_noise_model(r, device);
    const sc::Splits data = sc::load_config_data(r.c.train, r.setup.task);
    // A seeded subset, not the first N (the npm test split is ordered by class: its first 300 samples
    // hold only digits 0 and 1).
    const bool on_valid = r.c.eval.split == "valid";
    const sc::Dataset test = (on_valid ? data.valid : data.test)
                                 .subset(static_cast<std::size_t>(r.c.eval.n_test_samples),
                                         sim::mix64(r.c.train.data.split_seed ^ 0x6576616c2d74ULL));
    if (o.progress) *o.progress << "eval: the winner on " << test.size() << " " << r.c.eval.split << " samples, noise";
    if (o.progress)
        for (const auto& m : r.c.eval.noise) *o.progress << " " << m;
    if (o.progress) *o.progress << "\n";

    json out;
    out["n_test_samples"] = test.size();
    out["split"] = r.c.eval.split;
    out["device"] = device.name;
    out["searched"] = evaluate_circuit(r, f.logical, f.weights, test, device, model, f.winner.layout);
    out["searched"]["arch"] = f.winner.arch;
    out["baselines"] = json::object();
    const noise::CouplingGraph graph = noise::coupling_graph(device);
    for (const std::string& name : r.c.eval.baselines) {
        const sc::Arch arch = sc::human_baseline(r.setup.space, name);
        const std::vector<double> w = baseline_weights(r, o, name, arch, data);
        const sim::Circuit logical = candidate_circuit(r.setup.space, r.setup.encoder, arch);
        const sim::Circuit bound = sim::bind(logical, w, noise::generic_inputs(logical.n_inputs));
        const std::vector<int> aware = noise::noise_aware_layout(bound, device, graph, compile_options(r.c).routing);
        if (o.progress) *o.progress << "eval: baseline " << name << " on the trivial and the noise-aware layout\n";
        json b;
        b["arch"] = arch;
        b["trivial"] = evaluate_circuit(r, logical, w, test, device, model, trivial_layout(r.setup.space.n_qubits));
        b["noise_aware"] = evaluate_circuit(r, logical, w, test, device, model, aware);
        out["baselines"][name] = b;
    }
    out["seconds"] = seconds_since(t0);
    write_json(r.dir / "eval.json", out);
    return out;
}

// ---- export ---------------------------------------------------------------------------------

std::string join(const json& a) {
    std::ostringstream s;
    bool first = true;
    for (const auto& v : a) {
        if (!first) s << ' ';
        s << v.dump();
        first = false;
    }
    return s.str();
}

std::string summary_markdown(const Run& r, const json& best, const json& eval, double export_seconds) {
    std::ostringstream md;
    md << "# QuantumNAS run `" << r.dir.filename().string() << "`\n\n"
       << "Task " << r.c.train.task << ", space " << r.setup.space.name << ", device " << r.c.device << ", seed "
       << r.c.train.seed << ", search mode " << r.c.search.mode << ".\n\n## Stages\n\n| stage | what | seconds |\n"
       << "|---|---|---|\n";
    const auto secs = [&](const std::string& stage) {
        const fs::path p = r.dir / stage_result_file(stage);
        if (!fs::exists(p)) return std::string("—");
        const json j = read_json(p, "");
        return j.contains("seconds") ? fmt(j["seconds"].get<double>(), 1) : std::string("—");
    };
    md << "| train | SuperCircuit, " << r.c.train.epochs << " epochs | " << secs("train") << " |\n"
       << "| search | " << r.c.search.population << " × " << r.c.search.iterations << " evolutionary "
       << r.c.search.mode << ", noise " << r.c.search.noise << " on " << r.c.search.n_valid_samples
       << " valid samples | " << secs("search") << " |\n"
       << "| retrain | "
       << (r.c.retrain.enabled ? "from scratch, " + std::to_string(r.c.retrain.epochs) + " epochs"
                               : std::string("disabled (inherited weights)"))
       << " | " << secs("retrain") << " |\n"
       << "| prune | "
       << (r.c.prune.enabled
               ? "target ratio " + fmt(r.c.prune.target_ratio, 2) + ", " + std::to_string(r.c.prune.epochs) + " epochs"
               : std::string("disabled"))
       << " | " << secs("prune") << " |\n";
    if (r.c.finetune.enabled)  // a disabled stage leaves summary.md as it was before the stage existed
        md << "| finetune | on-chip PGP (ratio " << fmt(r.c.finetune.ratio, 2) << "), " << r.c.finetune.epochs
           << " epochs, " << r.c.finetune.shots << " shots | " << secs("finetune") << " |\n";
    md << "| eval | " << eval["n_test_samples"].get<int>() << " " << eval.value("split", std::string("test"))
       << " samples (baselines trained here) | " << secs("eval") << " |\n"
       << "| export | best.json, best.qasm, best." << r.c.device << ".qasm | " << fmt(export_seconds, 1) << " |\n\n";
    const json& s = eval["searched"];
    md << "## Winner\n\n| gene | layout | params | gates | compiled depth | 2-qubit gates | swaps | success rate |\n"
       << "|---|---|---|---|---|---|---|---|\n"
       << "| " << join(best["gene"]) << " | " << join(best["layout"]) << " | " << s["n_params"] << " | " << s["n_gates"]
       << " | " << s["compiled_depth"] << " | " << s["compiled_two_qubit"] << " | " << s["n_swaps"] << " | "
       << fmt(s["success_rate"].get<double>()) << " |\n\n";
    md << "## " << (eval.value("split", std::string("test")) == "valid" ? "Validation" : "Test")
       << " accuracy\n\n| circuit | layout | params | 2-qubit gates | success rate |";
    for (const auto& m : r.c.eval.noise) md << " " << m << " |";
    md << "\n|---|---|---|---|---|";
    for (std::size_t i = 0; i < r.c.eval.noise.size(); ++i) md << "---|";
    md << "\n";
    const auto row = [&](const std::string& name, const json& e) {
        md << "| " << name << " | " << join(e["layout"]) << " | " << e["n_params"] << " | " << e["compiled_two_qubit"]
           << " | " << fmt(e["success_rate"].get<double>()) << " |";
        for (const auto& m : r.c.eval.noise) md << " " << fmt(e["test"][m]["accuracy"].get<double>()) << " |";
        md << "\n";
    };
    row("searched", s);
    for (const auto& [name, b] : eval["baselines"].items()) {
        row(name + " (trivial layout)", b["trivial"]);
        row(name + " (noise-aware layout)", b["noise_aware"]);
    }
    return md.str();
}

json stage_export(const Run& r, const StageOptions& o) {
    require_search_run(r);
    const auto t0 = Clock::now();
    const FinalCircuit f = load_final(r);
    const fs::path ep = r.dir / "eval.json";
    json eval = read_json(ep, "the evaluation has not finished: run qnas eval " + r.dir.string());
    const noise::Device device = load_run_device(r);
    const sc::Splits data = sc::load_config_data(r.c.train, r.setup.task);
    if (data.test.size() == 0) throw Error(r.config_path + ": the test split is empty; nothing to export a sample of");
    if (o.progress) *o.progress << "export: best.json, best.qasm, best." << device.name << ".qasm, summary.md\n";

    // The logical circuit with every qubit measured into its own clbit, bound to test sample 0.
    sim::Circuit measured = f.logical;
    measured.n_clbits = measured.n_qubits;
    measured.measures.clear();
    for (int q = 0; q < measured.n_qubits; ++q) measured.measures.push_back({q, q});
    const std::size_t nf = static_cast<std::size_t>(data.test.n_features);
    const std::vector<double> x0(data.test.x.begin(), data.test.x.begin() + static_cast<std::ptrdiff_t>(nf));
    const int label = data.test.y[0];
    const sim::Circuit bound = sim::bind(measured, f.weights, x0);
    const std::vector<double> probs = sim::probabilities(sim::simulate(bound));
    std::vector<double> z(static_cast<std::size_t>(measured.n_qubits), 0.0);
    for (std::size_t i = 0; i < probs.size(); ++i)
        for (int q = 0; q < measured.n_qubits; ++q)
            z[static_cast<std::size_t>(q)] += ((i >> q) & 1U) ? -probs[i] : probs[i];
    const auto groups = readout_groups(r);
    int predicted = 0;
    double best_logit = -1e300;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        double logit = 0.0;
        for (const int q : groups[g]) logit += z[static_cast<std::size_t>(q)];
        if (logit > best_logit) best_logit = logit, predicted = static_cast<int>(g);
    }
    std::ostringstream header;
    header << "// qnas export: " << r.c.train.task << " winner on " << r.setup.space.name << ", arch";
    for (const int a : f.winner.arch) header << " " << a;
    header << "\n// encoder bound to test sample 0 (label " << label << "); noise-free prediction " << predicted
           << ", <Z> =";
    for (const double v : z) header << " " << sim::qasm_real(v);
    header << "\n// logical qubit l is measured into clbit l; best." << device.name
           << ".qasm is this circuit compiled on layout";
    for (const int l : f.winner.layout) header << " " << l;
    header << "\n";
    const auto with_header = [&](const std::string& qasm) {
        const std::size_t nl = qasm.find('\n');
        return qasm.substr(0, nl + 1) + header.str() + qasm.substr(nl + 1);
    };
    noise::CompileOptions co = compile_options(r.c);
    co.layout = f.winner.layout;
    const noise::CompiledCircuit compiled = noise::compile(bound, device, co);

    json best = {{"task", r.c.train.task},
                 {"space", r.setup.space.name},
                 {"device", device.name},
                 {"seed", r.c.train.seed},
                 {"config", "config.json"},
                 {"gene", f.winner.gene},
                 {"layout", f.winner.layout},
                 {"arch", f.winner.arch},
                 {"n_params", eval["searched"]["n_params"]},
                 {"weights", f.weights},
                 {"pruned", f.pruned},
                 {"sample", {{"split", "test"}, {"index", 0}, {"label", label}, {"predicted", predicted}, {"z", z}}}};
    json eval_no_time = eval;
    eval_no_time.erase("seconds");
    best["eval"] = eval_no_time;
    if (r.c.finetune.enabled) {  // absent when disabled: best.json keeps its bytes
        const fs::path fp = r.dir / "finetune" / "result.json";
        json ft = read_json(fp, "the fine-tuning has not finished: run qnas finetune " + r.dir.string());
        for (const char* k : {"weights", "pruned", "seconds"}) ft.erase(k);
        best["finetune"] = ft;
    }

    sc::write_file_atomically((r.dir / "best.qasm").string(), with_header(sim::to_qasm(bound)));
    sc::write_file_atomically((r.dir / ("best." + device.name + ".qasm")).string(),
                              with_header(sim::to_qasm(compiled.circuit)));
    sc::write_file_atomically((r.dir / "summary.md").string(), summary_markdown(r, best, eval, seconds_since(t0)));
    write_json(r.dir / "best.json", best);
    return best;
}

// Outputs of the stages after `stage` (removed when `stage` is forced to re-run).
void remove_later_outputs(const fs::path& dir, const std::string& stage) {
    const auto& names = stage_names();
    const auto it = std::find(names.begin(), names.end(), stage);
    for (auto later = it + 1; later != names.end(); ++later) {
        if (*later == "search" || *later == "retrain" || *later == "prune" || *later == "finetune")
            fs::remove_all(dir / *later);
        if (*later == "eval") fs::remove(dir / "eval.json");
        if (*later == "export") {
            fs::remove(dir / "best.json");
            fs::remove(dir / "summary.md");
            for (const auto& e : fs::directory_iterator(dir)) {
                const std::string n = e.path().filename().string();
                if (n.rfind("best.", 0) == 0 && e.path().extension() == ".qasm") fs::remove(e.path());
            }
        }
    }
}

}  // namespace

const std::vector<std::string>& stage_names() {
    static const std::vector<std::string> names = {"train", "search", "retrain", "prune", "finetune", "eval", "export"};
    return names;
}

std::string stage_result_file(const std::string& stage) {
    if (stage == "train") return "result.json";
    if (stage == "search" || stage == "retrain" || stage == "prune" || stage == "finetune")
        return stage + "/result.json";
    if (stage == "eval") return "eval.json";
    if (stage == "export") return "best.json";
    throw Error("unknown stage '" + stage + "' (train, search, retrain, prune, finetune, eval, export)");
}

void validate_experiment(const ExperimentConfig& c, const std::string& source) {
    const sc::TrainSetup setup = checked_setup(c.train, source);
    if (setup.hamiltonian) throw Error(source + ": /task: vqe runs have nothing to search (the pipeline classifies)");
    if (setup.arch) throw Error(source + ": /arch: a fixed circuit; the pipeline searches a SuperCircuit (no /arch)");
    const sc::DesignSpace& space = setup.space;
    if (c.search.mode == "fix_arch") resolve_search_arch(c, space, source);
    check_param_budget(c, space, source);
    // The data before the device: a data.dir without data would otherwise be reported as a missing device.
    sc::Splits data;
    try {
        data = sc::load_config_data(c.train, setup.task);
    } catch (const Error& e) {
        throw Error(source + ": /data: " + e.what());
    }
    if (data.valid.size() == 0)
        throw Error(source + ": /data: the validation split is empty (the search scores on it)");
    if (data.test.size() == 0) throw Error(source + ": /data: the test split is empty (the evaluation needs it)");
    noise::Device device;
    try {
        device = noise::load_device(c.device, c.train.data.dir);
    } catch (const Error& e) {
        throw Error(source + ": /device: " + e.what());
    }
    if (device.n_qubits < space.n_qubits)
        throw Error(source + ": /device: " + c.device + " has " + std::to_string(device.n_qubits) +
                    " qubits, device too small for the circuit's " + std::to_string(space.n_qubits));
    if (!c.search.layout.empty()) check_layout(c.search.layout, space.n_qubits, device.n_qubits, c.device, source);
    for (std::size_t i = 0; i < c.eval.baselines.size(); ++i) {
        try {
            sc::human_baseline(space, c.eval.baselines[i]);
        } catch (const Error& e) {
            throw Error(source + ": /eval/baselines/" + std::to_string(i) + ": " + e.what() +
                        " (\"baselines\": [] for none)");
        }
    }
}

namespace {

ExperimentConfig with_overrides(ExperimentConfig c, const StageOptions& o) {
    if (o.seed) c.train.seed = *o.seed;
    if (!o.data_dir.empty()) c.train.data.dir = o.data_dir;
    if (o.threads > 0) c.train.threads = o.threads;
    return c;
}

}  // namespace

void init_run(const ExperimentConfig& config, const std::string& source, const std::string& run_dir,
              const StageOptions& options) {
    const ExperimentConfig c = with_overrides(config, options);
    validate_experiment(c, source);
    fs::create_directories(run_dir);
    sc::write_file_atomically((fs::path(run_dir) / "config.json").string(), resolved_config(c).dump(2) + "\n");
}

ExperimentConfig load_run_config(const std::string& run_dir) {
    const fs::path p = fs::path(run_dir) / "config.json";
    if (!fs::exists(p)) throw Error(p.string() + ": missing (RUN_DIR must be a qnas run or qnas train directory)");
    return load_experiment_config(p.string());
}

json train_run(const ExperimentConfig& config, const std::string& source, const std::string& run_dir,
               const StageOptions& options) {
    ExperimentConfig c = with_overrides(config, options);
    // Everything that can fail on the config is resolved before any data is read.
    const sc::TrainSetup setup = checked_setup(c.train, source);
    if (setup.hamiltonian) c.train.vqe.hamiltonian = setup.hamiltonian_path;  // the file actually read
    fs::create_directories(run_dir);
    sc::write_file_atomically((fs::path(run_dir) / "config.json").string(), resolved_config(c).dump(2) + "\n");
    return train_core(c, setup, run_dir, options);
}

json run_stage(const std::string& stage, const std::string& run_dir, const StageOptions& options) {
    const fs::path result = fs::path(run_dir) / stage_result_file(stage);
    const Run r = open_run(run_dir, options);
    if (fs::exists(result) && !options.force) return read_json(result, "");
    if (options.force) {
        fs::remove(result);
        remove_later_outputs(run_dir, stage);
    }
    if (stage == "train") return stage_train(r, options);
    if (stage == "search") return stage_search(r, options);
    if (stage == "retrain") return stage_retrain(r, options);
    if (stage == "prune") return stage_prune(r, options);
    if (stage == "finetune") return stage_finetune(r, options);
    if (stage == "eval") return stage_eval(r, options);
    return stage_export(r, options);
}

json run_pipeline(const ExperimentConfig& config, const std::string& source, const std::string& run_dir,
                  const StageOptions& options) {
    const ExperimentConfig c = with_overrides(config, options);
    const fs::path cfg = fs::path(run_dir) / "config.json";
    if (fs::exists(cfg)) {
        validate_experiment(c, source);
        if (!options.resume)
            throw Error(run_dir +
                        ": already holds a run (config.json); --resume continues it, --out picks another "
                        "directory");
        json before = resolved_config(load_run_config(run_dir));
        json now = resolved_config(c);
        for (json* j : {&before, &now}) {
            (*j)["data"].erase("dir");
            j->erase("threads");
        }
        const json diff = json::diff(before, now);
        if (!diff.empty())
            throw Error(cfg.string() + ": " + diff[0].value("path", std::string("/")) + " differs from " + source +
                        "; cannot resume (use --out for a new run)");
    } else {
        init_run(config, source, run_dir, options);
    }
    StageOptions o = options;
    o.force = false;
    json last;
    const auto& names = stage_names();
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (o.progress) *o.progress << "run: stage " << i + 1 << "/" << names.size() << " " << names[i] << "\n";
        last = run_stage(names[i], run_dir, o);
        if (last.contains("stopped")) return last;
    }
    return last;
}

}  // namespace qnas::search
