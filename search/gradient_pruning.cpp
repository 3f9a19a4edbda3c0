#include "search/gradient_pruning.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "noise/noisy_batch.h"
#include "sim/adjoint.h"
#include "sim/error.h"
#include "sim/parameter_shift.h"
#include "supercircuit/trainer.h"

namespace qnas::search {

namespace sc = qnas::supercircuit;

namespace {

// Shot-seed key spaces: training steps use their step number, epoch-end evaluations start here.
constexpr std::uint64_t kEvalStreams = std::uint64_t{1} << 60;

// The shot seed of evaluation `e` of step `step` (its own stream, so no two runs share shots).
std::uint64_t shot_seed(std::uint64_t seed, std::uint64_t step, std::uint64_t e) {
    sc::CounterRng r = sc::rng_stream(seed, sc::RngDomain::OnChip, 2 * step + 1);
    r.counter = e;
    return r.next();
}

// B × K expectations (⟨Z_q⟩ per logical qubit) of `c` at θ on the rows of x.
Eigen::MatrixXd run_batch(const sim::Circuit& c, std::span<const double> theta, std::span<const double> x,
                          std::int64_t batch, const noise::Device& device, const noise::NoiseModel& model,
                          const OnChipTrainOptions& o, std::uint64_t seed) {
    if (!o.noisy) return sim::batch_expectations(sim::BatchProgram::compile(c), theta, x, batch);
    noise::NoisyBatchOptions nb;
    nb.compile = o.compile;
    if (!o.layout.empty()) {
        nb.compile.layout = o.layout;
    } else if (!nb.compile.layout) {
        std::vector<int> trivial(static_cast<std::size_t>(c.n_qubits));
        std::iota(trivial.begin(), trivial.end(), 0);
        nb.compile.layout = trivial;
    }
    nb.shots = o.shots;
    nb.seed = seed;
    const noise::NoisyBatchProgram p = noise::NoisyBatchProgram::prepare(c, theta, device, model, nb);
    const std::vector<double> e = p.expectations(x, static_cast<std::size_t>(batch));
    const int k = p.n_observables();
    Eigen::MatrixXd out(batch, k);
    for (std::int64_t s = 0; s < batch; ++s)
        for (int j = 0; j < k; ++j) out(s, j) = e[static_cast<std::size_t>(s * k + j)];
    return out;
}

// Mean NLL over the batch of log_softmax of the group logits; fills W = dL/dE and the hits.
double loss_and_weights(const Eigen::MatrixXd& E, std::span<const int> labels,
                        const std::vector<std::vector<int>>& groups, Eigen::MatrixXd& W, std::span<char> hit) {
    const auto b = static_cast<std::int64_t>(labels.size());
    W = Eigen::MatrixXd::Zero(E.rows(), E.cols());
    std::array<double, 64> lg{}, dg{};
    double loss = 0.0;
    for (std::int64_t s = 0; s < b; ++s) {
        for (std::size_t g = 0; g < groups.size(); ++g) {
            double v = 0.0;
            for (const int q : groups[g]) v += E(s, q);
            lg[g] = v;
            dg[g] = 0.0;
        }
        const std::span<double> l(lg.data(), groups.size()), d(dg.data(), groups.size());
        const int label = labels[static_cast<std::size_t>(s)];
        loss += sim::nll_log_softmax(l, label, d, 1.0 / static_cast<double>(b));
        for (std::size_t g = 0; g < groups.size(); ++g)
            for (const int q : groups[g]) W(s, q) += dg[g];
        hit[static_cast<std::size_t>(s)] = std::max_element(l.begin(), l.end()) - l.begin() == label;
    }
    return loss;
}

double accuracy(const sim::Circuit& c, std::span<const double> theta, const sc::Dataset& d,
                const std::vector<std::vector<int>>& groups, const noise::Device& device,
                const noise::NoiseModel& model, const OnChipTrainOptions& o, std::uint64_t stream) {
    if (d.size() == 0) return 0.0;
    const Eigen::MatrixXd E =
        run_batch(c, theta, d.x, static_cast<std::int64_t>(d.size()), device, model, o, shot_seed(o.seed, stream, 0));
    std::size_t correct = 0;
    for (std::size_t s = 0; s < d.size(); ++s) {
        int best = 0;
        double hi = -std::numeric_limits<double>::infinity();
        for (std::size_t g = 0; g < groups.size(); ++g) {
            double v = 0.0;
            for (const int q : groups[g]) v += E(static_cast<Eigen::Index>(s), q);
            if (v > hi) hi = v, best = static_cast<int>(g);
        }
        correct += best == d.y[s];
    }
    return static_cast<double>(correct) / static_cast<double>(d.size());
}

void check_data(const sc::Dataset& d, const char* name, const sim::Circuit& c, std::size_t n_groups) {
    if (d.size() == 0) return;
    if (d.n_features != c.n_inputs)
        throw Error(std::string("on-chip training: ") + name + " set has " + std::to_string(d.n_features) +
                    " features, the circuit reads " + std::to_string(c.n_inputs));
    if (d.x.size() != d.size() * static_cast<std::size_t>(d.n_features))
        throw Error(std::string("on-chip training: ") + name + " set: feature matrix size does not match the labels");
    for (const int y : d.y)
        if (y < 0 || static_cast<std::size_t>(y) >= n_groups)
            throw Error(std::string("on-chip training: ") + name + " set has label " + std::to_string(y) +
                        " but only " + std::to_string(n_groups) + " readout groups");
}

}  // namespace

std::vector<int> weighted_sample_without_replacement(std::span<const double> weights, int k,
                                                     supercircuit::CounterRng& rng) {
    const auto n = static_cast<int>(weights.size());
    if (k < 0 || k > n) throw Error("weighted sampling: k = " + std::to_string(k) + " outside 0.." + std::to_string(n));
    for (const double w : weights)
        if (!(w > 0.0) || !std::isfinite(w)) throw Error("weighted sampling: weights must be positive and finite");
    // Key log(u)/w orders items as u^{1/w} does without underflow; u ∈ (0, 1).
    std::vector<std::pair<double, int>> keys(weights.size());
    for (int i = 0; i < n; ++i) {
        const double u = (static_cast<double>(rng.next() >> 11) + 0.5) * 0x1.0p-53;
        keys[static_cast<std::size_t>(i)] = {std::log(u) / weights[static_cast<std::size_t>(i)], i};
    }
    // Largest keys first, ties by the lower index.
    std::partial_sort(keys.begin(), keys.begin() + k, keys.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<int> out(static_cast<std::size_t>(k));
    for (int i = 0; i < k; ++i) out[static_cast<std::size_t>(i)] = keys[static_cast<std::size_t>(i)].second;
    std::sort(out.begin(), out.end());
    return out;
}

OnChipGradient on_chip_gradient(const sim::Circuit& logical, std::span<const double> theta, std::span<const double> x,
                                std::span<const int> labels, std::span<const int> selected, const noise::Device& device,
                                const noise::NoiseModel& model, const OnChipTrainOptions& o, std::uint64_t step) {
    const auto b = static_cast<std::int64_t>(labels.size());
    if (b == 0) throw Error("on-chip gradient: empty batch");
    if (x.size() != static_cast<std::size_t>(b) * static_cast<std::size_t>(logical.n_inputs))
        throw Error("on-chip gradient: x has " + std::to_string(x.size()) + " values for " + std::to_string(b) +
                    " samples of " + std::to_string(logical.n_inputs) + " inputs");
    const std::vector<std::vector<int>> groups = sc::resolve_readout_groups(o.readout_groups, logical.n_qubits);
    OnChipGradient out;
    out.hit.assign(static_cast<std::size_t>(b), 0);
    std::uint64_t e = 0;
    const Eigen::MatrixXd E = run_batch(logical, theta, x, b, device, model, o, shot_seed(o.seed, step, e++));
    Eigen::MatrixXd W;
    out.loss = loss_and_weights(E, labels, groups, W, out.hit);
    const sim::ExpectationEvaluator eval = [&](const sim::Circuit& shifted) {
        return run_batch(shifted, theta, x, b, device, model, o, shot_seed(o.seed, step, e++));
    };
    const sim::ParameterShiftResult ps = sim::parameter_shift_gradient(logical, W, eval, selected);
    out.grad.assign(ps.grad.data(), ps.grad.data() + ps.grad.size());
    out.evaluations = 1 + ps.n_evaluations;
    return out;
}

OnChipTrainResult train_on_chip(const sim::Circuit& logical, std::vector<double> weights,
                                const supercircuit::Splits& data, const noise::Device& device,
                                const noise::NoiseModel& model, const OnChipTrainOptions& o) {
    const PgpOptions& pg = o.pgp;
    if (o.epochs < 1) throw Error("on-chip training: epochs must be at least 1");
    if (o.batch_size < 1) throw Error("on-chip training: batch_size must be at least 1");
    if (o.shots < 0) throw Error("on-chip training: shots must be non-negative");
    if (pg.accumulation_window < 1) throw Error("on-chip training: accumulation_window must be at least 1");
    if (pg.pruning_window < 0) throw Error("on-chip training: pruning_window must be non-negative");
    if (!(pg.ratio >= 0.0 && pg.ratio < 1.0)) throw Error("on-chip training: pgp ratio must be in [0, 1)");
    if (!(pg.floor > 0.0)) throw Error("on-chip training: pgp floor must be positive");
    if (data.train.size() == 0) throw Error("on-chip training: the training set is empty");
    sim::validate(logical);
    if (o.resume) weights = o.resume->weights;
    if (weights.empty()) weights = sc::initial_weights(logical.n_trainable, o.seed);
    if (weights.size() != static_cast<std::size_t>(logical.n_trainable))
        throw Error("on-chip training: " + std::to_string(weights.size()) + " weights, the circuit has " +
                    std::to_string(logical.n_trainable));
    const std::vector<std::vector<int>> groups = sc::resolve_readout_groups(o.readout_groups, logical.n_qubits);
    check_data(data.train, "training", logical, groups.size());
    check_data(data.valid, "validation", logical, groups.size());
    check_data(data.test, "test", logical, groups.size());

    const std::vector<int> used = sim::used_trainables(logical);
    const auto n = static_cast<int>(used.size());
    const int k = std::max(1, static_cast<int>(std::floor((1.0 - pg.ratio) * n + 1e-9)));
    const int window = pg.accumulation_window + pg.pruning_window;
    sc::Schedule schedule = o.schedule;
    schedule.n_epochs = o.epochs;
    sc::AdamState adam = sc::adam_init(weights.size());
    std::vector<double> M(used.size(), 0.0), sample_w(used.size());
    OnChipTrainResult res;
    std::uint64_t t = 0;  // global step
    int first_epoch = 0;
    if (const OnChipTrainState* st = o.resume) {
        if (st->epochs_done < 0 || st->epochs_done > o.epochs ||
            st->curve.size() != static_cast<std::size_t>(st->epochs_done))
            throw Error("on-chip training: the resumed state has " + std::to_string(st->epochs_done) +
                        " epochs done and " + std::to_string(st->curve.size()) + " curve points for " +
                        std::to_string(o.epochs) + " epochs");
        if (st->adam.m.size() != weights.size() || st->adam.v.size() != weights.size() ||
            st->adam.steps.size() != weights.size() || st->accumulator.size() != used.size())
            throw Error("on-chip training: the resumed state does not match the circuit (" +
                        std::to_string(st->accumulator.size()) + " accumulator entries for " + std::to_string(n) +
                        " angles)");
        adam = st->adam;
        M = st->accumulator;
        t = st->step;
        first_epoch = st->epochs_done;
        res.curve = st->curve;
        res.circuit_runs = st->circuit_runs;
    }

    const std::size_t n_train = data.train.size(), bsz = static_cast<std::size_t>(o.batch_size);
    const std::size_t steps_per_epoch = (n_train + bsz - 1) / bsz;
    const auto f = static_cast<std::size_t>(data.train.n_features);
    std::vector<std::size_t> order(n_train);
    std::vector<double> xb(bsz * f);
    std::vector<int> yb(bsz);

    for (int epoch = first_epoch; epoch < o.epochs; ++epoch) {
        const double lr = sc::learning_rate(schedule, epoch);
        std::iota(order.begin(), order.end(), std::size_t{0});
        sc::CounterRng shuffle_rng = sc::rng_stream(o.seed, sc::RngDomain::Shuffle, static_cast<std::uint64_t>(epoch));
        sc::shuffle(std::span<std::size_t>(order), shuffle_rng);
        double loss_sum = 0.0;
        for (std::size_t step = 0; step < steps_per_epoch; ++step, ++t) {
            const std::size_t start = step * bsz, b = std::min(bsz, n_train - start);
            for (std::size_t i = 0; i < b; ++i) {
                const std::size_t s = order[start + i];
                std::copy_n(data.train.x.begin() + static_cast<std::ptrdiff_t>(s * f), f,
                            xb.begin() + static_cast<std::ptrdiff_t>(i * f));
                yb[i] = data.train.y[s];
            }
            // PGP (training_and_metrics.md §1.4): which angles this step shifts.
            const auto j = static_cast<int>(t % static_cast<std::uint64_t>(window));
            const bool accumulate = j < pg.accumulation_window;
            std::vector<int> selected;
            if (accumulate || k >= n) {
                selected = used;
            } else {
                for (std::size_t i = 0; i < used.size(); ++i) sample_w[i] = M[i] + pg.floor;
                sc::CounterRng r = sc::rng_stream(o.seed, sc::RngDomain::OnChip, 2 * t);
                for (const int i : weighted_sample_without_replacement(sample_w, k, r))
                    selected.push_back(used[static_cast<std::size_t>(i)]);
            }
            const OnChipGradient g =
                on_chip_gradient(logical, weights, std::span<const double>(xb.data(), b * f),
                                 std::span<const int>(yb.data(), b), selected, device, model, o, t);
            if (accumulate) {
                if (j == 0) std::fill(M.begin(), M.end(), 0.0);
                for (std::size_t i = 0; i < used.size(); ++i)
                    M[i] += std::abs(g.grad[static_cast<std::size_t>(used[i])]);
            }
            // ZeroGrad: every used angle steps (unselected ones with gradient 0); Freeze: only the
            // selected ones.
            const std::vector<int>& active = pg.pruned_update == PrunedUpdate::Freeze ? selected : used;
            sc::adam_step(weights, g.grad, active, adam, lr, o.adam);
            res.circuit_runs += g.evaluations * static_cast<std::int64_t>(b);
            loss_sum += g.loss * static_cast<double>(b);
        }
        OnChipPoint p;
        p.epoch = epoch + 1;
        p.circuit_runs = res.circuit_runs;
        p.train_loss = loss_sum / static_cast<double>(n_train);
        const auto stream = kEvalStreams + 2 * static_cast<std::uint64_t>(epoch);
        p.valid_accuracy = accuracy(logical, weights, data.valid, groups, device, model, o, stream);
        p.test_accuracy = accuracy(logical, weights, data.test, groups, device, model, o, stream + 1);
        res.curve.push_back(p);
        if (o.progress) {
            std::ostringstream line;
            line.precision(4);
            line << "epoch " << p.epoch << "/" << o.epochs << " lr " << lr << " train loss " << p.train_loss
                 << " valid acc " << p.valid_accuracy << " test acc " << p.test_accuracy << " circuit runs "
                 << p.circuit_runs;
            *o.progress << line.str() << "\n" << std::flush;
        }
        if (o.after_epoch) {
            const OnChipTrainState st{epoch + 1, t, weights, adam, M, res.curve, res.circuit_runs};
            if (!o.after_epoch(st)) break;
        }
    }
    res.epochs_done = static_cast<int>(res.curve.size());
    res.weights = std::move(weights);
    return res;
}

}  // namespace qnas::search
