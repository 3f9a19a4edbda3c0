#include "search/gate_pruning.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <string>

#include "sim/error.h"
#include "sim/gates.h"

namespace qnas::search {

namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

void check_options(const GatePruningOptions& o) {
    if (!(o.initial_ratio >= 0.0 && o.initial_ratio <= 1.0))
        throw Error("gate pruning: initial_ratio must be in [0, 1]");
    if (!(o.target_ratio >= 0.0 && o.target_ratio <= 1.0)) throw Error("gate pruning: target_ratio must be in [0, 1]");
    if (o.end_epoch < o.start_epoch) throw Error("gate pruning: end_epoch must not be before start_epoch");
    if (!(o.power > 0.0)) throw Error("gate pruning: power must be positive");
    if (!(o.remove_threshold >= 0.0)) throw Error("gate pruning: remove_threshold must be non-negative");
}

// Whether a gate matrix is a phase times the identity.
bool is_identity_up_to_phase(const sim::Matrix& m) {
    const sim::cplx phase = m(0, 0);
    if (std::abs(std::abs(phase) - 1.0) > 1e-9) return false;
    return (m - phase * sim::Matrix::Identity(m.rows(), m.cols())).cwiseAbs().maxCoeff() < 1e-9;
}

}  // namespace

GatePruningOptions default_gate_pruning_options() {
    GatePruningOptions o;
    o.train.epochs = 200;
    o.train.batch_size = 256;
    o.train.schedule = {supercircuit::ScheduleKind::Cosine, 2e-3};
    o.train.adam = {0.9, 0.999, 1e-8, 1e-4};
    return o;
}

double pruning_ratio(const GatePruningOptions& o, int epoch) {
    if (epoch < o.start_epoch) return 0.0;
    const int span = o.end_epoch - o.start_epoch;
    if (span <= 0) return o.target_ratio;
    const double t = std::min(static_cast<double>(epoch - o.start_epoch), static_cast<double>(span));
    return o.initial_ratio +
           (o.target_ratio - o.initial_ratio) * (1.0 - std::pow(1.0 - t / static_cast<double>(span), o.power));
}

double wrap_angle(double theta) {
    // remainder() is exact and lands in [−π, π]; −π itself belongs to π.
    double w = std::remainder(theta, kTwoPi);
    if (w <= -std::numbers::pi) w += kTwoPi;
    return w;
}

std::vector<int> magnitude_prune_set(std::span<const double> theta, std::span<const int> prunable, double ratio) {
    if (!(ratio >= 0.0 && ratio <= 1.0)) throw Error("magnitude pruning: ratio must be in [0, 1]");
    for (const int i : prunable)
        if (i < 0 || static_cast<std::size_t>(i) >= theta.size())
            throw Error("magnitude pruning: index " + std::to_string(i) + " outside the " +
                        std::to_string(theta.size()) + " weights");
    const auto count = static_cast<std::size_t>(std::floor(ratio * static_cast<double>(prunable.size()) + 1e-9));
    std::vector<std::pair<double, int>> keyed;
    keyed.reserve(prunable.size());
    for (const int i : prunable) keyed.emplace_back(std::abs(wrap_angle(theta[static_cast<std::size_t>(i)])), i);
    std::sort(keyed.begin(), keyed.end());  // (|θ|, index): ties by index
    std::vector<int> out;
    for (std::size_t k = 0; k < std::min(count, keyed.size()); ++k) out.push_back(keyed[k].second);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

GatePruningResult prune_and_finetune(const supercircuit::TrainModel& model, const supercircuit::Splits& data,
                                     std::vector<double> weights, const GatePruningOptions& options) {
    check_options(options);
    if (!model.circuit) throw Error("gate pruning: the model has no circuit builder");
    if (!model.arch_choices.empty()) throw Error("gate pruning: needs a fixed circuit, not a SuperCircuit");
    if (weights.size() != static_cast<std::size_t>(model.n_weights))
        throw Error("gate pruning: " + std::to_string(weights.size()) + " weights, the model has " +
                    std::to_string(model.n_weights));
    const std::vector<int> prunable = sim::used_trainables(model.circuit({}));

    supercircuit::TrainOptions t = options.train;
    t.initial_weights = std::move(weights);
    std::vector<int> last_set;
    int last_epoch = -1;
    t.before_epoch = [&](int epoch, std::span<double> w, std::vector<char>& frozen) {
        const double r = pruning_ratio(options, epoch);
        last_set = magnitude_prune_set(w, prunable, r);
        last_epoch = epoch;
        for (const int i : last_set) {
            w[static_cast<std::size_t>(i)] = 0.0;
            frozen[static_cast<std::size_t>(i)] = 1;
        }
        return nlohmann::json{{"ratio", r}, {"n_pruned", last_set.size()}};
    };
    supercircuit::TrainResult tr = supercircuit::train(model, data, t);

    GatePruningResult res;
    res.final_ratio = pruning_ratio(options, tr.epochs_done - 1);
    // A resume that had nothing left to run never called the hook: the last mask is that of the
    // final weights (its angles are exactly 0, hence the smallest).
    if (last_epoch != tr.epochs_done - 1) last_set = magnitude_prune_set(tr.weights, prunable, res.final_ratio);
    res.weights = std::move(tr.weights);
    res.pruned.assign(res.weights.size(), 0);
    for (const int i : last_set) res.pruned[static_cast<std::size_t>(i)] = 1;
    res.metrics = std::move(tr.metrics);
    return res;
}

sim::Circuit remove_pruned_gates(const sim::Circuit& c, std::span<const double> theta, double threshold) {
    if (!(threshold >= 0.0)) throw Error("remove_pruned_gates: threshold must be non-negative");
    if (theta.size() < static_cast<std::size_t>(c.n_trainable))
        throw Error("remove_pruned_gates: " + std::to_string(theta.size()) + " angles for a circuit reading " +
                    std::to_string(c.n_trainable));
    sim::Circuit out = c;
    out.ops.clear();
    for (const sim::Op& op : c.ops) {
        const sim::GateInfo& g = sim::gate_info(op.kind);
        bool removable = g.n_params > 0;
        std::array<double, sim::kMaxGateParams> nearest{};  // the multiple of 2π each angle is near
        for (int j = 0; j < g.n_params && removable; ++j) {
            const sim::Param& p = op.params[static_cast<std::size_t>(j)];
            if (p.source != sim::Param::Source::Trainable) {
                removable = false;
                break;
            }
            const double a = p.resolve(theta, {});
            removable = std::abs(wrap_angle(a)) <= threshold;
            nearest[static_cast<std::size_t>(j)] = kTwoPi * std::round(a / kTwoPi);
        }
        if (removable)
            removable = is_identity_up_to_phase(sim::gate_matrix(
                op.kind, std::span<const double>(nearest.data(), static_cast<std::size_t>(g.n_params))));
        if (!removable) out.ops.push_back(op);
    }
    return out;
}

}  // namespace qnas::search
