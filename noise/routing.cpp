#include "noise/routing.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/error.h"
#include "sim/gates.h"
#include "sim/random.h"

namespace qnas::noise {

namespace {

using sim::GateKind;
using sim::Op;

std::size_t uz(int i) { return static_cast<std::size_t>(i); }

// The circuit's dependency DAG: an op depends on the previous op on each of its qubits, so it has
// at most two successors (flat arrays: no per-op allocations, the layout search routes often).
struct Dag {
    std::vector<std::array<int, 2>> successors;  // -1 when absent
    std::vector<int> n_predecessors;
    std::vector<int> arity;
    std::vector<std::array<int, 2>> qubits;
};

Dag build_dag(const sim::Circuit& c) {
    Dag d;
    const std::size_t n = c.ops.size();
    d.successors.assign(n, {-1, -1});
    d.n_predecessors.assign(n, 0);
    d.arity.assign(n, 0);
    d.qubits.assign(n, {0, 0});
    std::vector<int> last(uz(c.n_qubits), -1);
    for (std::size_t i = 0; i < n; ++i) {
        const Op& op = c.ops[i];
        const int k = sim::gate_info(op.kind).n_qubits;
        d.arity[i] = k;
        d.qubits[i] = {op.qubits[0], k == 2 ? op.qubits[1] : op.qubits[0]};
        for (int a = 0; a < k; ++a) {
            const int q = op.qubits[uz(a)];
            const int p = last[uz(q)];
            // A 2-qubit op whose two qubits were both last touched by the same op depends on it once.
            if (p >= 0 && (a == 0 || p != last[uz(op.qubits[0])])) {
                auto& succ = d.successors[uz(p)];
                (succ[0] < 0 ? succ[0] : succ[1]) = static_cast<int>(i);
                ++d.n_predecessors[i];
            }
        }
        for (int a = 0; a < k; ++a) last[uz(op.qubits[uz(a)])] = static_cast<int>(i);
    }
    return d;
}

// A small deterministic generator (SplitMix64 stream) for the tie-breaks of one trial.
class TrialRng {
public:
    explicit TrialRng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() { return sim::mix64(state_++); }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

private:
    std::uint64_t state_;
};

using TrialResult = RoutingTrace;

class Trial {
public:
    Trial(const Dag& dag, const CouplingGraph& g, std::span<const int> layout, const RoutingOptions& o,
          std::uint64_t seed)
        : dag_(dag),
          g_(g),
          opt_(o),
          rng_(seed),
          l2p_(layout.begin(), layout.end()),
          p2l_(uz(g.n_qubits), -1),
          remaining_(dag.n_predecessors),
          decay_(uz(g.n_qubits), 1.0),
          scratch_(dag.arity.size(), 0),
          stamp_(dag.arity.size(), 0) {
        for (std::size_t l = 0; l < l2p_.size(); ++l) p2l_[uz(l2p_[l])] = static_cast<int>(l);
        // Qiskit's bound on swaps without progress before the release valve opens.
        max_stall_ = 10 * std::max(g.n_qubits, 1);
    }

    TrialResult run() {
        TrialResult res;
        res.steps.reserve(dag_.arity.size() + dag_.arity.size() / 4);
        std::vector<int>& ready = ready_;
        for (std::size_t i = 0; i < dag_.arity.size(); ++i)
            if (remaining_[i] == 0) ready.push_back(static_cast<int>(i));
        int stall = 0, since_reset = 0;
        bool first = true;
        while (true) {
            // Execute everything executable; newly released ops are tried in the same sweep.
            bool executed = false;
            std::vector<int>& blocked = blocked_;
            blocked.clear();
            for (std::size_t h = 0; h < ready.size(); ++h) {
                const int i = ready[h];
                if (!executable(i)) {
                    blocked.push_back(i);
                    continue;
                }
                res.steps.push_back({i, phys(dag_.qubits[uz(i)][0]), phys(dag_.qubits[uz(i)][1])});
                executed = true;
                for (int s : dag_.successors[uz(i)])
                    if (s >= 0 && --remaining_[uz(s)] == 0) ready.push_back(s);
            }
            std::swap(front_, blocked);
            ready.clear();
            if (front_.empty()) break;
            std::sort(front_.begin(), front_.end());
            if (executed) {
                std::fill(decay_.begin(), decay_.end(), 1.0);
                since_reset = 0;
                stall = 0;
            }
            if (executed || first) build_extended_set();
            first = false;
            if (stall >= max_stall_) {
                release_valve(res);
                std::fill(decay_.begin(), decay_.end(), 1.0);
                since_reset = 0;
                stall = 0;
            } else {
                const auto [a, b] = choose_swap();
                apply_swap(a, b, res);
                decay_[uz(a)] += opt_.decay_delta;
                decay_[uz(b)] += opt_.decay_delta;
                if (++since_reset >= opt_.decay_reset) {
                    std::fill(decay_.begin(), decay_.end(), 1.0);
                    since_reset = 0;
                }
                ++stall;
            }
            ready.assign(front_.begin(), front_.end());  // re-check the front under the new layout
        }
        res.final_layout = l2p_;
        return res;
    }

private:
    int phys(int logical) const { return l2p_[uz(logical)]; }

    bool executable(int i) const {
        if (dag_.arity[uz(i)] == 1) return true;
        return g_.distance[uz(phys(dag_.qubits[uz(i)][0]))][uz(phys(dag_.qubits[uz(i)][1]))] == 1;
    }

    void apply_swap(int a, int b, TrialResult& res) {
        res.steps.push_back({-1, a, b});
        ++res.n_swaps;
        std::swap(p2l_[uz(a)], p2l_[uz(b)]);
        if (p2l_[uz(a)] >= 0) l2p_[uz(p2l_[uz(a)])] = a;
        if (p2l_[uz(b)] >= 0) l2p_[uz(p2l_[uz(b)])] = b;
    }

    // The next 2-qubit ops after the front layer: a breadth-first walk of the DAG that releases an op
    // once all its predecessors are in the front layer or already visited (1-qubit ops pass through).
    void build_extended_set() {
        extended_.clear();
        ++epoch_;
        std::vector<int>& queue = queue_;
        queue.assign(front_.begin(), front_.end());
        for (std::size_t h = 0; h < queue.size() && static_cast<int>(extended_.size()) < opt_.extended_set_size; ++h)
            for (int s : dag_.successors[uz(queue[h])]) {
                if (s < 0) continue;
                if (stamp_[uz(s)] != epoch_) {
                    stamp_[uz(s)] = epoch_;
                    scratch_[uz(s)] = remaining_[uz(s)];
                }
                if (--scratch_[uz(s)] != 0) continue;
                queue.push_back(s);
                if (dag_.arity[uz(s)] == 2) {
                    extended_.push_back(s);
                    if (static_cast<int>(extended_.size()) >= opt_.extended_set_size) break;
                }
            }
    }

    // Sum of hop distances of the ops' qubit pairs with the physical qubits a and b exchanged.
    double distance_sum(const std::vector<int>& ops, int a, int b) const {
        double sum = 0.0;
        for (int i : ops) {
            int p = phys(dag_.qubits[uz(i)][0]), q = phys(dag_.qubits[uz(i)][1]);
            p = p == a ? b : p == b ? a : p;
            q = q == a ? b : q == b ? a : q;
            sum += g_.distance[uz(p)][uz(q)];
        }
        return sum;
    }

    std::pair<int, int> choose_swap() {
        candidates_.clear();
        for (int i : front_) {
            for (int a = 0; a < 2; ++a) {
                const int p = phys(dag_.qubits[uz(i)][uz(a)]);
                for (int nb : g_.neighbours[uz(p)]) candidates_.emplace_back(std::min(p, nb), std::max(p, nb));
            }
        }
        std::sort(candidates_.begin(), candidates_.end());
        candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
        const double nf = static_cast<double>(front_.size());
        const double ne = static_cast<double>(extended_.size());
        double best = 0.0;
        best_.clear();
        for (const auto& [a, b] : candidates_) {
            double h = distance_sum(front_, a, b) / nf;
            if (ne > 0) h += opt_.extended_set_weight * distance_sum(extended_, a, b) / ne;
            h *= std::max(decay_[uz(a)], decay_[uz(b)]);
            if (best_.empty() || h < best - 1e-12) {
                best = h;
                best_.assign(1, {a, b});
            } else if (h <= best + 1e-12) {
                best_.emplace_back(a, b);
            }
        }
        return best_[rng_.below(best_.size())];
    }

    // Brings the front op whose qubits are closest together into contact along a shortest path,
    // moving both ends towards the middle (deterministic: the lowest-numbered next hop).
    void release_valve(TrialResult& res) {
        int pick = front_.front();
        int best = -1;
        for (int i : front_) {
            const int d = g_.distance[uz(phys(dag_.qubits[uz(i)][0]))][uz(phys(dag_.qubits[uz(i)][1]))];
            if (best < 0 || d < best) {
                best = d;
                pick = i;
            }
        }
        const int src = phys(dag_.qubits[uz(pick)][0]), dst = phys(dag_.qubits[uz(pick)][1]);
        std::vector<int> path{src};
        while (path.back() != dst) {
            const int u = path.back();
            for (int v : g_.neighbours[uz(u)])
                if (g_.distance[uz(v)][uz(dst)] == g_.distance[uz(u)][uz(dst)] - 1) {
                    path.push_back(v);
                    break;
                }
        }
        // path = src … dst; len − 2 swaps make the ends adjacent.
        const int n_swaps = static_cast<int>(path.size()) - 2;
        const int from_src = (n_swaps + 1) / 2;
        for (int k = 0; k < from_src; ++k) apply_swap(path[uz(k)], path[uz(k + 1)], res);
        for (int k = 0; k < n_swaps - from_src; ++k) {
            const int j = static_cast<int>(path.size()) - 1 - k;
            apply_swap(path[uz(j)], path[uz(j - 1)], res);
        }
    }

    const Dag& dag_;
    const CouplingGraph& g_;
    const RoutingOptions& opt_;
    TrialRng rng_;
    std::vector<int> l2p_, p2l_;
    std::vector<int> remaining_;
    std::vector<double> decay_;
    std::vector<int> front_, extended_, ready_, blocked_, queue_;
    std::vector<int> scratch_;
    std::vector<std::uint32_t> stamp_;
    std::uint32_t epoch_ = 0;
    std::vector<std::pair<int, int>> candidates_, best_;
    int max_stall_ = 0;
};

}  // namespace

RoutingTrace sabre_trace(const sim::Circuit& logical, const CouplingGraph& graph, std::span<const int> initial_layout,
                         const RoutingOptions& options) {
    validate_layout(initial_layout, logical.n_qubits, graph);
    for (std::size_t i = 0; i < logical.ops.size(); ++i) {
        const Op& op = logical.ops[i];
        const auto& info = sim::gate_info(op.kind);
        if (info.n_qubits > 2)
            throw Error(std::string("routing: op ")
                            .append(std::to_string(i))
                            .append(" (")
                            .append(info.name)
                            .append(") acts on ")
                            .append(std::to_string(info.n_qubits))
                            .append(" qubits; translate it to 1- and 2-qubit gates first"));
        for (int a = 0; a < info.n_qubits; ++a)
            if (op.qubits[uz(a)] < 0 || op.qubits[uz(a)] >= logical.n_qubits)
                throw Error(std::string("routing: op ")
                                .append(std::to_string(i))
                                .append(" acts on qubit ")
                                .append(std::to_string(op.qubits[uz(a)]))
                                .append(" outside the circuit's ")
                                .append(std::to_string(logical.n_qubits)));
        if (info.n_qubits == 2 && op.qubits[0] == op.qubits[1])
            throw Error(std::string("routing: op ").append(std::to_string(i)).append(" repeats a qubit"));
    }
    if (options.trials < 1) throw Error("routing: trials must be at least 1");
    if (options.extended_set_size < 0) throw Error("routing: extended_set_size must not be negative");
    if (options.decay_reset < 1) throw Error("routing: decay_reset must be at least 1");

    const Dag dag = build_dag(logical);
    RoutingTrace best;
    for (int t = 0; t < options.trials; ++t) {
        const std::uint64_t seed = sim::mix64(options.seed ^ sim::mix64(static_cast<std::uint64_t>(t) + 1));
        Trial trial(dag, graph, initial_layout, options, seed);
        RoutingTrace r = trial.run();
        if (t == 0 || r.n_swaps < best.n_swaps) best = std::move(r);
        if (best.n_swaps == 0) break;  // no trial can do better
    }
    return best;
}

Routed sabre_route(const sim::Circuit& logical, const CouplingGraph& graph, std::span<const int> initial_layout,
                   const RoutingOptions& options) {
    RoutingTrace trace = sabre_trace(logical, graph, initial_layout, options);
    Routed out;
    out.circuit.n_qubits = graph.n_qubits;
    out.circuit.n_clbits = logical.n_clbits;
    out.circuit.n_trainable = logical.n_trainable;
    out.circuit.n_inputs = logical.n_inputs;
    out.circuit.ops.reserve(trace.steps.size());
    for (const auto& step : trace.steps) {
        Op op;
        if (step.op < 0) {
            op.kind = GateKind::Swap;
        } else {
            op = logical.ops[uz(step.op)];
        }
        op.qubits[0] = step.p0;
        if (op.kind == GateKind::Swap || sim::gate_info(op.kind).n_qubits == 2) op.qubits[1] = step.p1;
        out.circuit.ops.push_back(op);
    }
    out.initial_layout.assign(initial_layout.begin(), initial_layout.end());
    out.final_layout = std::move(trace.final_layout);
    out.n_swaps = trace.n_swaps;
    return out;
}

}  // namespace qnas::noise
