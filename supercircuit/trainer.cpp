#include "supercircuit/trainer.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <numeric>
#include <set>
#include <sstream>

#include "sim/adjoint.h"
#include "sim/error.h"
#include "supercircuit/checkpoint.h"
#include "supercircuit/format_duration.h"
#include "supercircuit/rng.h"

namespace qnas::supercircuit {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxGroups = 64;
constexpr std::int64_t kEvalChunk = 4096;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Group logits of one sample from its ⟨Z_q⟩ values.
void group_logits(std::span<const double> e, const std::vector<std::vector<int>>& groups, std::span<double> out) {
    for (std::size_t g = 0; g < groups.size(); ++g) {
        double s = 0.0;
        for (const int q : groups[g]) s += e[static_cast<std::size_t>(q)];
        out[g] = s;
    }
}

int argmax(std::span<const double> v) { return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin()); }

struct CachedProgram {
    sim::BatchProgram program;
    std::vector<int> active;  // trainable weight indices the circuit reads, ascending
};

class ProgramCache {
public:
    // `observables` empty: ⟨Z_q⟩ per qubit (classification); VQE passes the Hamiltonian's readout.
    ProgramCache(const TrainModel& m, std::size_t capacity, std::vector<sim::PauliTerm> observables = {})
        : model_(m), capacity_(std::max<std::size_t>(capacity, 1)), observables_(std::move(observables)) {}

    const CachedProgram& get(std::span<const int> arch) {
        std::vector<int> key = model_.cache_key ? model_.cache_key(arch) : std::vector<int>(arch.begin(), arch.end());
        auto it = cache_.find(key);
        if (it != cache_.end()) return it->second;
        if (cache_.size() >= capacity_) cache_.clear();  // simple and deterministic; results never depend on it
        const sim::Circuit c = model_.circuit(arch);
        if (c.n_trainable > model_.n_weights)
            throw Error("train: circuit reads weight " + std::to_string(c.n_trainable - 1) + " of only " +
                        std::to_string(model_.n_weights));
        sim::Circuit padded = c;
        padded.n_trainable = model_.n_weights;
        std::set<int> active;
        for (const auto& op : c.ops)
            for (const auto& p : op.params)
                if (p.source == sim::Param::Source::Trainable) active.insert(p.index);
        ++compiled_;
        return cache_
            .emplace(std::move(key), CachedProgram{sim::BatchProgram::compile(padded, observables_),
                                                   std::vector<int>(active.begin(), active.end())})
            .first->second;
    }
    std::size_t compiled() const { return compiled_; }

private:
    const TrainModel& model_;
    std::size_t capacity_;
    std::vector<sim::PauliTerm> observables_;
    std::map<std::vector<int>, CachedProgram> cache_;
    std::size_t compiled_ = 0;
};

nlohmann::json fingerprint(const TrainModel& model, const Splits& data, const TrainOptions& o) {
    nlohmann::json f = {{"n_weights", model.n_weights},
                        {"arch_positions", model.arch_choices.size()},
                        {"epochs", o.epochs},
                        {"batch_size", o.batch_size},
                        {"seed", o.seed},
                        {"lr", o.schedule.lr},
                        {"scheduler", schedule_kind_name(o.schedule.kind)},
                        {"sampler", sampler_kind_name(o.sampler.kind)},
                        {"n_train", data.train.size()}};
    // Only VQE runs carry this key, so classification checkpoints keep their fingerprint.
    if (o.energy)
        f["energy"] = {{"hamiltonian", o.energy->hamiltonian.name},
                       {"n_terms", o.energy->hamiltonian.terms.size()},
                       {"kind", energy_kind_name(o.energy->kind)},
                       {"steps_per_epoch", o.energy->steps_per_epoch}};
    return f;
}

void check_dataset(const Dataset& d, const char* name, int n_inputs, std::size_t n_groups) {
    if (d.size() == 0) return;
    if (d.n_features != n_inputs)
        throw Error(std::string("train: ") + name + " set has " + std::to_string(d.n_features) +
                    " features, the encoder reads " + std::to_string(n_inputs));
    if (d.x.size() != d.size() * static_cast<std::size_t>(d.n_features))
        throw Error(std::string("train: ") + name + " set: feature matrix size does not match the labels");
    for (const int y : d.y)
        if (y < 0 || static_cast<std::size_t>(y) >= n_groups)
            throw Error(std::string("train: ") + name + " set has label " + std::to_string(y) + " but only " +
                        std::to_string(n_groups) + " readout groups");
}

}  // namespace

std::vector<std::vector<int>> resolve_readout_groups(std::vector<std::vector<int>> groups, int n_qubits) {
    if (groups.empty())
        for (int q = 0; q < n_qubits; ++q) groups.push_back({q});
    if (groups.size() > kMaxGroups) throw Error("readout: more than 64 groups");
    for (const auto& g : groups) {
        if (g.empty()) throw Error("readout: an empty group");
        for (const int q : g)
            if (q < 0 || q >= n_qubits)
                throw Error("readout: qubit " + std::to_string(q) + " outside 0.." + std::to_string(n_qubits - 1));
    }
    return groups;
}

std::vector<double> initial_weights(int n_weights, std::uint64_t seed) {
    CounterRng r = rng_stream(seed, RngDomain::Init, 0);
    std::vector<double> w(static_cast<std::size_t>(std::max(n_weights, 0)));
    for (double& x : w) x = -std::numbers::pi + 2.0 * std::numbers::pi * uniform_double(r);
    return w;
}

SampleReadout readout_sample(std::span<const double> z, const std::vector<std::vector<int>>& groups, int label) {
    if (groups.size() > kMaxGroups) throw Error("readout: more than 64 groups");
    std::array<double, kMaxGroups> logits{}, dl{};
    const std::span<double> lg(logits.data(), groups.size()), dg(dl.data(), groups.size());
    group_logits(z, groups, lg);
    return {sim::nll_log_softmax(lg, label, dg, 1.0), argmax(lg) == label};
}

EvalResult evaluate(const sim::BatchProgram& program, std::span<const double> weights, const Dataset& data,
                    const std::vector<std::vector<int>>& groups, const sim::BatchOptions& opts) {
    const auto n = static_cast<std::int64_t>(data.size());
    if (n == 0) return {};
    double loss = 0.0;
    std::int64_t correct = 0;
    const auto f = static_cast<std::size_t>(data.n_features);
    for (std::int64_t start = 0; start < n; start += kEvalChunk) {
        const std::int64_t b = std::min(kEvalChunk, n - start);
        const std::span<const double> x(data.x.data() + static_cast<std::size_t>(start) * f,
                                        static_cast<std::size_t>(b) * f);
        const Eigen::MatrixXd e = sim::batch_expectations(program, weights, x, b, opts);
        std::vector<double> row(static_cast<std::size_t>(e.cols()));
        for (std::int64_t s = 0; s < b; ++s) {
            for (Eigen::Index k = 0; k < e.cols(); ++k) row[static_cast<std::size_t>(k)] = e(s, k);
            const SampleReadout r = readout_sample(row, groups, data.y[static_cast<std::size_t>(start + s)]);
            loss += r.nll;
            correct += r.correct;
        }
    }
    return {loss / static_cast<double>(n), static_cast<double>(correct) / static_cast<double>(n)};
}

double energy_and_grad(const sim::BatchProgram& program, std::span<const double> weights, const EnergyReadout& readout,
                       std::span<double> grad, const sim::BatchOptions& opts) {
    if (program.n_inputs() != 0) throw Error("energy: the circuit reads inputs (VQE has no data)");
    const sim::SampleLoss loss_fn = [&](std::int64_t, std::span<const double> e, std::span<double> d) {
        return readout_energy(readout, e, d);
    };
    return sim::value_and_grad(program, weights, {}, 1, loss_fn, grad, opts);
}

double energy_step(const sim::BatchProgram& program, std::span<const int> active, const EnergyReadout& readout,
                   std::span<double> weights, AdamState& adam, double lr, const AdamOptions& adam_options,
                   std::span<double> grad, const sim::BatchOptions& opts) {
    const double energy = energy_and_grad(program, weights, readout, grad, opts);
    adam_step(weights, grad, active, adam, lr, adam_options);
    return energy;
}

double evaluate_energy(const sim::BatchProgram& program, std::span<const double> weights, const EnergyReadout& readout,
                       const sim::BatchOptions& opts) {
    const Eigen::MatrixXd e = sim::batch_expectations(program, weights, {}, 1, opts);
    std::vector<double> row(static_cast<std::size_t>(e.cols()));
    for (Eigen::Index k = 0; k < e.cols(); ++k) row[static_cast<std::size_t>(k)] = e(0, k);
    return readout_energy(readout, row);
}

double train_step(const sim::BatchProgram& program, std::span<const int> active, std::span<const double> X,
                  std::span<const int> labels, const std::vector<std::vector<int>>& groups, std::span<double> weights,
                  AdamState& adam, double lr, const AdamOptions& adam_options, std::span<double> grad,
                  std::span<char> hit, const sim::BatchOptions& opts) {
    const std::size_t b = labels.size();
    if (hit.size() < b) throw Error("train_step: hit buffer smaller than the batch");
    if (groups.size() > kMaxGroups) throw Error("train_step: more than 64 readout groups");
    const double scale = 1.0 / static_cast<double>(b);
    const sim::SampleLoss loss_fn = [&](std::int64_t s, std::span<const double> e, std::span<double> d) {
        std::array<double, kMaxGroups> logits{}, dl{};
        const std::span<double> lg(logits.data(), groups.size()), dg(dl.data(), groups.size());
        group_logits(e, groups, lg);
        const int label = labels[static_cast<std::size_t>(s)];
        const double l = sim::nll_log_softmax(lg, label, dg, scale);
        for (std::size_t g = 0; g < groups.size(); ++g)
            for (const int q : groups[g]) d[static_cast<std::size_t>(q)] += dg[g];
        hit[static_cast<std::size_t>(s)] = argmax(lg) == label;
        return l;
    };
    const double loss = sim::value_and_grad(program, weights, X, static_cast<std::int64_t>(b), loss_fn, grad, opts);
    adam_step(weights, grad, active, adam, lr, adam_options);
    return loss;
}

TrainResult train(const TrainModel& model, const Splits& data, const TrainOptions& o) {
    if (!model.circuit) throw Error("train: the model has no circuit builder");
    if (model.n_weights < 0) throw Error("train: negative weight count");
    if (o.epochs < 1) throw Error("train: epochs must be at least 1");
    if (o.batch_size < 1) throw Error("train: batch_size must be at least 1");
    const bool vqe = o.energy.has_value();
    if (!vqe && data.train.size() == 0) throw Error("train: the training set is empty");
    if (vqe && o.energy->steps_per_epoch < 1) throw Error("train: steps_per_epoch must be at least 1");
    const bool super = !model.arch_choices.empty();
    std::vector<NamedArch> probes = model.probes;
    if (probes.empty()) probes.push_back({super ? "largest" : "model", {}});
    if (super && probes.front().arch.empty())
        for (const auto& c : model.arch_choices) probes.front().arch.push_back(c.back());

    std::optional<EnergyReadout> readout;
    if (vqe) {
        readout = energy_readout(o.energy->hamiltonian, o.energy->kind);
        const int n = model.circuit(probes.front().arch).n_qubits;
        if (n < o.energy->hamiltonian.n_qubits)
            throw Error("train: the Hamiltonian acts on " + std::to_string(o.energy->hamiltonian.n_qubits) +
                        " qubits, the circuit has " + std::to_string(n));
    }
    ProgramCache cache(model, o.program_cache_capacity, vqe ? readout->observables : std::vector<sim::PauliTerm>{});
    const sim::BatchProgram& first_program = cache.get(probes.front().arch).program;
    if (vqe && first_program.n_inputs() != 0) throw Error("train: a VQE circuit must read no inputs (no encoder)");
    const std::vector<std::vector<int>> groups =
        vqe ? std::vector<std::vector<int>>{} : resolve_readout_groups(o.readout_groups, first_program.n_qubits());
    if (!vqe) {
        check_dataset(data.train, "training", first_program.n_inputs(), groups.size());
        check_dataset(data.valid, "validation", first_program.n_inputs(), groups.size());
        check_dataset(data.test, "test", first_program.n_inputs(), groups.size());
    }

    const std::size_t n_train = vqe ? 0 : data.train.size();
    const auto bsz = static_cast<std::size_t>(vqe ? 1 : o.batch_size);
    const std::size_t steps_per_epoch =
        vqe ? static_cast<std::size_t>(o.energy->steps_per_epoch) : (n_train + bsz - 1) / bsz;
    Schedule schedule = o.schedule;
    schedule.n_epochs = o.epochs;
    const sim::BatchOptions bopts{o.n_threads, nullptr, sim::SimdVariant::Auto};

    // State: fresh or from the checkpoint.
    TrainCheckpoint st;
    st.seed = o.seed;
    st.fingerprint = fingerprint(model, data, o);
    const std::filesystem::path dir = o.run_dir;
    const std::string ckpt_path = o.run_dir.empty() ? "" : (dir / "checkpoint.json").string();
    const std::string metrics_path = o.run_dir.empty() ? "" : (dir / "metrics.jsonl").string();
    bool resumed = false;
    if (!o.run_dir.empty()) std::filesystem::create_directories(dir);
    if (o.resume && !ckpt_path.empty() && std::filesystem::exists(ckpt_path)) {
        st = load_checkpoint(ckpt_path);
        const nlohmann::json expect = fingerprint(model, data, o);
        for (auto it = expect.begin(); it != expect.end(); ++it)
            if (!st.fingerprint.contains(it.key()) || st.fingerprint[it.key()] != it.value())
                throw Error(ckpt_path + ": was written with a different " + it.key() + " (" +
                            st.fingerprint.value(it.key(), nlohmann::json()).dump() + ", now " + it.value().dump() +
                            "); cannot resume");
        if (st.weights.size() != static_cast<std::size_t>(model.n_weights))
            throw Error(ckpt_path + ": /weights: " + std::to_string(st.weights.size()) + " weights, the model has " +
                        std::to_string(model.n_weights));
        resumed = true;
    } else {
        if (o.initial_weights && o.initial_weights->size() != static_cast<std::size_t>(model.n_weights))
            throw Error("train: initial_weights has " + std::to_string(o.initial_weights->size()) +
                        " weights, the model has " + std::to_string(model.n_weights));
        st.weights = o.initial_weights ? *o.initial_weights : initial_weights(model.n_weights, o.seed);
        st.adam = adam_init(st.weights.size());
        st.best_weights = st.weights;
    }

    // metrics.jsonl keeps exactly the lines of the epochs the checkpoint covers.
    if (!metrics_path.empty()) {
        std::string kept;
        if (resumed) {
            std::ifstream in(metrics_path);
            std::string line;
            for (int i = 0; i < st.epochs_done && std::getline(in, line); ++i) kept += line + "\n";
        }
        write_file_atomically(metrics_path, kept);
    }
    std::ofstream log;
    if (!o.run_dir.empty()) log.open(dir / "train.log", std::ios::app);
    auto say = [&](const std::string& line, bool to_log) {
        if (!o.quiet && o.progress) *o.progress << line << "\n" << std::flush;
        if (to_log && log) log << line << "\n" << std::flush;
    };
    if (resumed) say("resumed from " + ckpt_path + " after epoch " + std::to_string(st.epochs_done), true);

    ArchSampler sampler;
    if (super) {
        sampler =
            make_sampler(model.arch_choices, o.sampler, o.seed, static_cast<std::int64_t>(steps_per_epoch) * o.epochs);
        sampler.state = st.sampler;
    }

    TrainResult result;
    std::vector<double> grad(st.weights.size());
    std::vector<std::size_t> order(n_train);
    const auto f = static_cast<std::size_t>(data.train.n_features);
    std::vector<double> xb(bsz * f);
    std::vector<int> yb(bsz);
    std::vector<char> hit(bsz);
    const auto t_run = Clock::now();
    std::size_t steps_this_call = 0;
    const std::size_t total_steps_left = steps_per_epoch * static_cast<std::size_t>(o.epochs - st.epochs_done);
    int epochs_this_call = 0;
    std::vector<char> frozen;
    std::vector<int> active_buf;  // the weights a step's Adam update touches, when not just cp.active

    for (int epoch = st.epochs_done; epoch < o.epochs; ++epoch) {
        if (o.stop_after_epochs > 0 && epochs_this_call >= o.stop_after_epochs) break;
        const auto t_epoch = Clock::now();
        const double lr = learning_rate(schedule, epoch);
        nlohmann::json hook_metrics;
        bool any_frozen = false;
        if (o.before_epoch) {
            frozen.assign(st.weights.size(), 0);
            hook_metrics = o.before_epoch(epoch, st.weights, frozen);
            if (frozen.size() != st.weights.size()) throw Error("train: before_epoch resized the frozen mask");
            any_frozen = std::any_of(frozen.begin(), frozen.end(), [](char c) { return c != 0; });
        }
        std::iota(order.begin(), order.end(), std::size_t{0});
        CounterRng shuffle_rng = rng_stream(o.seed, RngDomain::Shuffle, static_cast<std::uint64_t>(epoch));
        shuffle(std::span<std::size_t>(order), shuffle_rng);

        double loss_sum = 0.0;
        std::size_t correct = 0;
        auto t_print = Clock::now();
        for (std::size_t step = 0; step < steps_per_epoch; ++step) {
            // VQE steps see no data: one run of the circuit, loss = its energy.
            std::size_t b = 1, seen = step + 1;
            if (!vqe) {
                const std::size_t start = step * bsz;
                b = std::min(bsz, n_train - start);
                seen = start + b;
                for (std::size_t i = 0; i < b; ++i) {
                    const std::size_t s = order[start + i];
                    std::copy_n(data.train.x.begin() + static_cast<std::ptrdiff_t>(s * f), f,
                                xb.begin() + static_cast<std::ptrdiff_t>(i * f));
                    yb[i] = data.train.y[s];
                }
            }
            const std::vector<int> arch = super ? sample_arch(sampler) : std::vector<int>{};
            const CachedProgram& cp = cache.get(arch);
            std::span<const int> active = cp.active;
            if (o.adam.step_inactive) {
                // Also every weight that has had a gradient before (Adam step count > 0): its gradient
                // is 0 here, so it moves by momentum and weight decay (torch < 2.0's zero_grad()).
                // adam_step takes the indices in any order: the stepped ones, then the new ones.
                auto free = [&](std::size_t i) { return !(any_frozen && frozen[i]); };
                active_buf.clear();
                for (std::size_t i = 0; i < st.weights.size(); ++i)
                    if (st.adam.steps[i] > 0 && free(i)) active_buf.push_back(static_cast<int>(i));
                for (const int i : cp.active) {
                    const auto u = static_cast<std::size_t>(i);
                    if (st.adam.steps[u] == 0 && free(u)) active_buf.push_back(i);
                }
                active = active_buf;
            } else if (any_frozen) {
                active_buf.clear();
                for (const int i : cp.active)
                    if (!frozen[static_cast<std::size_t>(i)]) active_buf.push_back(i);
                active = active_buf;
            }
            if (vqe) {
                loss_sum += energy_step(cp.program, active, *readout, st.weights, st.adam, lr, o.adam, grad, bopts);
            } else {
                const double loss = train_step(cp.program, active, std::span<const double>(xb.data(), b * f),
                                               std::span<const int>(yb.data(), b), groups, st.weights, st.adam, lr,
                                               o.adam, grad, hit, bopts);
                loss_sum += loss * static_cast<double>(b);
                for (std::size_t i = 0; i < b; ++i) correct += hit[i] != 0;
            }
            ++steps_this_call;
            if (!o.quiet && o.progress && seconds_since(t_print) > 2.0) {
                t_print = Clock::now();
                const double per_step = seconds_since(t_run) / static_cast<double>(steps_this_call);
                std::ostringstream line;
                line << "epoch " << epoch + 1 << "/" << o.epochs << " step " << step + 1 << "/" << steps_per_epoch
                     << (vqe ? " energy " : " loss ") << loss_sum / static_cast<double>(seen);
                if (!vqe) line << " acc " << static_cast<double>(correct) / static_cast<double>(seen);
                line << " ETA " << format_duration(per_step * static_cast<double>(total_steps_left - steps_this_call));
                say(line.str(), false);
            }
        }
        nlohmann::json m;
        m["epoch"] = epoch + 1;
        m["steps"] = steps_per_epoch * static_cast<std::size_t>(epoch + 1);
        m["lr"] = lr;
        if (hook_metrics.is_object()) m.update(hook_metrics);
        std::ostringstream line;  // the epoch's progress line, up to its timing
        nlohmann::json probe_json = nlohmann::json::object();
        if (vqe) {
            // Probes scored by their energy; the best weights minimise the first probe's.
            const double train_energy = loss_sum / static_cast<double>(steps_per_epoch);
            double first_energy = 0.0;
            for (std::size_t p = 0; p < probes.size(); ++p) {
                const CachedProgram& cp = cache.get(probes[p].arch);
                const double e = evaluate_energy(cp.program, st.weights, *readout, bopts);
                if (p == 0) first_energy = e;
                if (super) probe_json[probes[p].name] = {{"arch", probes[p].arch}, {"energy", e}};
            }
            m["train_energy"] = train_energy;
            m["energy"] = first_energy;
            if (!st.best_energy || first_energy < *st.best_energy) {
                st.best_energy = first_energy;
                st.best_epoch = epoch + 1;
                st.best_weights = st.weights;
            }
            m["best_energy"] = *st.best_energy;
            line.precision(10);
            line << "epoch " << epoch + 1 << "/" << o.epochs << " lr " << lr << " train energy " << train_energy
                 << " | " << probes.front().name << " energy " << first_energy << " best " << *st.best_energy;
        } else {
            const double train_loss = loss_sum / static_cast<double>(n_train);
            const double train_acc = static_cast<double>(correct) / static_cast<double>(n_train);
            m["train_loss"] = train_loss;
            m["train_acc"] = train_acc;
            EvalResult first_valid, first_test;
            for (std::size_t p = 0; p < probes.size(); ++p) {
                const CachedProgram& cp = cache.get(probes[p].arch);
                const EvalResult v = evaluate(cp.program, st.weights, data.valid, groups, bopts);
                const EvalResult t = evaluate(cp.program, st.weights, data.test, groups, bopts);
                if (p == 0) first_valid = v, first_test = t;
                if (super)
                    probe_json[probes[p].name] = {{"arch", probes[p].arch},
                                                  {"valid_loss", v.loss},
                                                  {"valid_acc", v.accuracy},
                                                  {"test_loss", t.loss},
                                                  {"test_acc", t.accuracy}};
            }
            m["valid_loss"] = first_valid.loss;
            m["valid_acc"] = first_valid.accuracy;
            m["test_loss"] = first_test.loss;
            m["test_acc"] = first_test.accuracy;
            if (first_valid.accuracy > st.best_valid_accuracy) {
                st.best_valid_accuracy = first_valid.accuracy;
                st.best_test_accuracy = first_test.accuracy;
                st.best_epoch = epoch + 1;
                st.best_weights = st.weights;
            }
            line.precision(4);
            line << "epoch " << epoch + 1 << "/" << o.epochs << " lr " << lr << " train loss " << train_loss << " acc "
                 << train_acc << " | " << probes.front().name << " valid loss " << first_valid.loss << " acc "
                 << first_valid.accuracy << " test acc " << first_test.accuracy;
        }
        if (super) m["probes"] = probe_json;
        m["best_epoch"] = st.best_epoch;
        m["seconds"] = seconds_since(t_epoch);
        st.epochs_done = epoch + 1;
        st.sampler = super ? sampler.state : SamplerState{};

        if (!metrics_path.empty()) {
            std::ofstream out(metrics_path, std::ios::app);
            if (!(out << m.dump() << "\n") || !out.flush()) throw Error("cannot write " + metrics_path);
        }
        if (!ckpt_path.empty()) save_checkpoint(st, ckpt_path);
        result.metrics.push_back(m);
        ++epochs_this_call;

        line << " | " << format_duration(m["seconds"]) << " ETA "
             << format_duration(seconds_since(t_run) / epochs_this_call * (o.epochs - epoch - 1));
        say(line.str(), true);
    }

    result.weights = st.weights;
    result.best_weights = st.best_weights;
    result.best_epoch = st.best_epoch;
    result.best_valid_accuracy = st.best_valid_accuracy;
    result.best_test_accuracy = st.best_test_accuracy;
    result.epochs_done = st.epochs_done;
    result.best_energy = st.best_energy;
    result.programs_compiled = cache.compiled();
    return result;
}

}  // namespace qnas::supercircuit
