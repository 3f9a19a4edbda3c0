#include "noise/layout.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <deque>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "noise/routing.h"
#include "sim/error.h"
#include "sim/gates.h"

namespace qnas::noise {

namespace {

using sim::GateKind;

std::size_t uz(int i) { return static_cast<std::size_t>(i); }

// −log(1 − e), with (1 − e) floored at 1e-5 as QuantumNAS's estimate floors a zero factor.
double neg_log_fidelity(double error) { return -std::log(std::max(1.0 - error, 1e-5)); }

void validate_impl(std::span<const int> layout, int n_logical, const std::string& device, const CouplingGraph& graph) {
    const std::string dev = device.empty() ? std::string("the device") : device;
    auto fail = [](std::string msg) { throw Error(std::string("layout: ").append(msg)); };
    if (n_logical < 0) fail("negative number of logical qubits");
    if (n_logical > graph.n_qubits)
        fail("the circuit has " + std::to_string(n_logical) + " qubits but " + dev + " has only " +
             std::to_string(graph.n_qubits));
    if (static_cast<int>(layout.size()) != n_logical)
        fail(std::to_string(layout.size()) + " entries for a circuit of " + std::to_string(n_logical) + " qubits");
    std::vector<int> owner(uz(graph.n_qubits), -1);
    for (int i = 0; i < n_logical; ++i) {
        const int p = layout[uz(i)];
        const std::string entry = "entry " + std::to_string(i) + " (physical qubit " + std::to_string(p) + ")";
        if (p < 0 || p >= graph.n_qubits)
            fail(entry + " is out of range for " + dev + " (" + std::to_string(graph.n_qubits) + " qubits)");
        if (owner[uz(p)] >= 0) fail(entry + " repeats entry " + std::to_string(owner[uz(p)]));
        owner[uz(p)] = i;
    }
    for (int i = 1; i < n_logical; ++i)
        if (graph.distance[uz(layout[0])][uz(layout[uz(i)])] < 0)
            fail("entry " + std::to_string(i) + " (physical qubit " + std::to_string(layout[uz(i)]) +
                 ") is not connected to entry 0 (physical qubit " + std::to_string(layout[0]) +
                 ") in the coupling map of " + dev);
}

// Diagonal 1-qubit gates are virtual (frame changes) on IBM devices; everything else costs about one
// sx pulse (u3 two).
int pulses_1q(GateKind k) {
    switch (k) {
        case GateKind::I:
        case GateKind::Z:
        case GateKind::S:
        case GateKind::Sdg:
        case GateKind::T:
        case GateKind::Tdg:
        case GateKind::RZ:
        case GateKind::P:
        case GateKind::U1: return 0;
        case GateKind::U3: return 2;
        default: return 1;
    }
}

// Per-qubit and per-edge costs −log(fidelity) from the calibration.
struct Costs {
    std::vector<double> readout;            // per physical qubit
    std::vector<double> pulse;              // sx error, per physical qubit
    std::vector<double> idle;               // t_2q·(1/T1 + 1/T2), per physical qubit
    std::vector<std::vector<double>> edge;  // better direction of the native 2-qubit gate; +inf if uncoupled
};

Costs device_costs(const Device& device, const CouplingGraph& graph) {
    const int n = graph.n_qubits;
    Costs c;
    c.readout.assign(uz(n), 0.0);
    c.pulse.assign(uz(n), 0.0);
    c.idle.assign(uz(n), 0.0);
    c.edge.assign(uz(n), std::vector<double>(uz(n), std::numeric_limits<double>::infinity()));
    const std::string g2 = device.two_qubit_gate();
    double length_sum = 0.0;
    int length_count = 0;
    for (int a = 0; a < n; ++a)
        for (int b : graph.neighbours[uz(a)]) {
            double best = 1.0;
            for (const auto& dir : {std::array<int, 2>{a, b}, std::array<int, 2>{b, a}}) {
                const GateCalibration* cal = device.find_gate(g2, dir);
                if (cal == nullptr) continue;
                best = std::min(best, cal->gate_error.value_or(0.0));
                length_sum += cal->gate_length;
                ++length_count;
            }
            c.edge[uz(a)][uz(b)] = neg_log_fidelity(best);
        }
    const double t2q = length_count > 0 ? length_sum / length_count : 0.0;
    for (int q = 0; q < n && q < static_cast<int>(device.qubits.size()); ++q) {
        const auto& cal = device.qubits[uz(q)];
        c.readout[uz(q)] = neg_log_fidelity(cal.readout_error);
        const int qs[1] = {q};
        if (const GateCalibration* sx = device.find_gate("sx", qs))
            c.pulse[uz(q)] = neg_log_fidelity(sx->gate_error.value_or(0.0));
        if (cal.t1 > 0 && cal.t2 > 0) c.idle[uz(q)] = t2q * (1.0 / cal.t1 + 1.0 / cal.t2);
    }
    return c;
}

// The circuit's qubit-pair interaction counts (wider gates count as their pairs).
std::vector<std::vector<double>> interactions(const sim::Circuit& c) {
    std::vector<std::vector<double>> w(uz(c.n_qubits), std::vector<double>(uz(c.n_qubits), 0.0));
    for (const auto& op : c.ops) {
        const int k = sim::gate_info(op.kind).n_qubits;
        for (int i = 0; i < k; ++i)
            for (int j = i + 1; j < k; ++j) {
                const int a = op.qubits[uz(i)], b = op.qubits[uz(j)];
                w[uz(a)][uz(b)] += 1.0;
                w[uz(b)][uz(a)] += 1.0;
            }
    }
    return w;
}

// A copy of the circuit with every op of three or more qubits replaced by cx on its qubit pairs,
// so the router (1- and 2-qubit ops only) can estimate it.
sim::Circuit routable(const sim::Circuit& c) {
    sim::Circuit r = c;
    r.ops.clear();
    for (const auto& op : c.ops) {
        const int k = sim::gate_info(op.kind).n_qubits;
        if (k <= 2) {
            r.ops.push_back(op);
            continue;
        }
        for (int i = 0; i < k; ++i)
            for (int j = i + 1; j < k; ++j) {
                sim::Op cx;
                cx.kind = GateKind::CX;
                cx.qubits = {op.qubits[uz(i)], op.qubits[uz(j)], 0};
                r.ops.push_back(cx);
            }
    }
    return r;
}

double estimate(const sim::Circuit& routable_circuit, std::span<const int> layout, const Costs& costs,
                const CouplingGraph& graph, const RoutingOptions& ro) {
    const RoutingTrace r = sabre_trace(routable_circuit, graph, layout, ro);
    double cost = 0.0;
    for (const auto& step : r.steps) {
        if (step.op < 0) {
            cost += 3.0 * costs.edge[uz(step.p0)][uz(step.p1)];
        } else if (step.p0 == step.p1) {
            cost += pulses_1q(routable_circuit.ops[uz(step.op)].kind) * costs.pulse[uz(step.p0)];
        } else {
            cost += costs.edge[uz(step.p0)][uz(step.p1)];
        }
    }
    if (routable_circuit.measures.empty()) {
        for (int p : r.final_layout) cost += costs.readout[uz(p)];
    } else {
        for (const auto& m : routable_circuit.measures) cost += costs.readout[uz(r.final_layout[uz(m.qubit)])];
    }
    return std::exp(-cost);
}

}  // namespace

CouplingGraph coupling_graph(const Device& device) {
    CouplingGraph g;
    const int n = device.n_qubits;
    if (n < 0) throw Error("coupling map: negative qubit count for " + device.name);
    g.n_qubits = n;
    g.neighbours.assign(uz(n), {});
    g.native.assign(uz(n), std::vector<bool>(uz(n), false));
    for (const auto& e : device.coupling_map) {
        if (e[0] < 0 || e[0] >= n || e[1] < 0 || e[1] >= n || e[0] == e[1])
            throw Error("coupling map of " + device.name + ": invalid edge [" + std::to_string(e[0]) + ", " +
                        std::to_string(e[1]) + "]");
        g.native[uz(e[0])][uz(e[1])] = true;
        g.neighbours[uz(e[0])].push_back(e[1]);
        g.neighbours[uz(e[1])].push_back(e[0]);
    }
    for (auto& nb : g.neighbours) {
        std::sort(nb.begin(), nb.end());
        nb.erase(std::unique(nb.begin(), nb.end()), nb.end());
    }
    g.distance.assign(uz(n), std::vector<int>(uz(n), -1));
    std::vector<int> queue;
    queue.reserve(uz(n));
    for (int s = 0; s < n; ++s) {
        auto& d = g.distance[uz(s)];
        d[uz(s)] = 0;
        queue.assign(1, s);
        for (std::size_t head = 0; head < queue.size(); ++head) {
            const int u = queue[head];
            for (int v : g.neighbours[uz(u)])
                if (d[uz(v)] < 0) {
                    d[uz(v)] = d[uz(u)] + 1;
                    queue.push_back(v);
                }
        }
    }
    return g;
}

void validate_layout(std::span<const int> layout, int n_logical, const Device& device, const CouplingGraph& graph) {
    validate_impl(layout, n_logical, device.name, graph);
}

void validate_layout(std::span<const int> layout, int n_logical, const CouplingGraph& graph) {
    validate_impl(layout, n_logical, "", graph);
}

std::vector<int> parse_layout(const std::string& text) {
    const auto fail = [&] {
        throw Error(std::string("layout: cannot parse '")
                        .append(text)
                        .append("': expected comma-separated physical qubit numbers such as 0,1,2,3"));
    };
    std::vector<int> out;
    std::size_t i = 0;
    auto skip_space = [&] {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    };
    while (true) {
        skip_space();
        const std::size_t start = i;
        long long v = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            v = v * 10 + (text[i] - '0');
            if (v > 1'000'000) fail();
            ++i;
        }
        if (i == start) fail();
        out.push_back(static_cast<int>(v));
        skip_space();
        if (i == text.size()) break;
        if (text[i] != ',') fail();
        ++i;
    }
    return out;
}

std::vector<int> trivial_layout(int n_logical) {
    if (n_logical < 0) throw Error("layout: negative number of logical qubits");
    std::vector<int> l(uz(n_logical));
    for (int i = 0; i < n_logical; ++i) l[uz(i)] = i;
    return l;
}

std::vector<int> noise_aware_layout(const sim::Circuit& logical, const Device& device, const CouplingGraph& graph,
                                    const RoutingOptions& routing) {
    sim::validate(logical);
    const int n = logical.n_qubits;
    const int np = graph.n_qubits;
    if (n > np)
        throw Error("layout: the circuit has " + std::to_string(n) + " qubits but " + device.name + " has only " +
                    std::to_string(np));
    if (n == 0) return {};
    const Costs costs = device_costs(device, graph);
    std::vector<double> node(uz(np));
    for (int q = 0; q < np; ++q) node[uz(q)] = costs.readout[uz(q)] + costs.pulse[uz(q)] + costs.idle[uz(q)];

    // Logical order: the most-interacting qubit first, then repeatedly the one most connected to
    // those already ordered (ties: higher total interaction, lower index).
    const auto w = interactions(logical);
    std::vector<double> degree(uz(n), 0.0);
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) degree[uz(a)] += w[uz(a)][uz(b)];
    std::vector<int> order;
    std::vector<bool> ordered(uz(n), false);
    for (int step = 0; step < n; ++step) {
        int best = -1;
        double best_link = -1.0;
        for (int l = 0; l < n; ++l) {
            if (ordered[uz(l)]) continue;
            double link = 0.0;
            for (int m : order) link += w[uz(l)][uz(m)];
            if (best < 0 || link > best_link || (link == best_link && degree[uz(l)] > degree[uz(best)])) {
                best = l;
                best_link = link;
            }
        }
        ordered[uz(best)] = true;
        order.push_back(best);
    }

    // Hub positions are all tried for small circuits, routed candidates and refinements are capped:
    // the layout search stays a few routings of the circuit whatever the device size.
    constexpr int kHubVariantsUpTo = 8;
    constexpr std::size_t kRouted = 12, kRefined = 2, kFinalists = 3;
    constexpr int kRefineRounds = 2;
    struct Candidate {
        double static_cost;
        std::vector<int> layout;
    };
    std::vector<Candidate> candidates;
    std::set<std::vector<int>> seen;
    std::vector<bool> in_region(uz(np));
    for (int s = 0; s < np; ++s) {
        // 1. Grow a connected region from s.
        std::vector<int> region{s};
        std::fill(in_region.begin(), in_region.end(), false);
        in_region[uz(s)] = true;
        while (static_cast<int>(region.size()) < n) {
            int best = -1, best_links = 0;
            double best_cost = 0.0;
            for (int r : region)
                for (int q : graph.neighbours[uz(r)]) {
                    if (in_region[uz(q)]) continue;
                    double link = std::numeric_limits<double>::infinity();
                    int links = 0;
                    for (int t : graph.neighbours[uz(q)])
                        if (in_region[uz(t)]) {
                            link = std::min(link, costs.edge[uz(q)][uz(t)]);
                            ++links;
                        }
                    const double cost = link + node[uz(q)];
                    if (best < 0 || cost < best_cost ||
                        (cost == best_cost && (links > best_links || (links == best_links && q < best)))) {
                        best = q;
                        best_cost = cost;
                        best_links = links;
                    }
                }
            if (best < 0) break;  // s's connected part is too small
            in_region[uz(best)] = true;
            region.push_back(best);
        }
        if (static_cast<int>(region.size()) < n) continue;

        // 2. Place the logical qubits on the region, once per position of the first (most
        // interacting) one. A missing hop costs about three links (a swap).
        double mean_link = 0.0;
        int n_links = 0;
        for (int a : region)
            for (int b : graph.neighbours[uz(a)])
                if (in_region[uz(b)]) {
                    mean_link += costs.edge[uz(a)][uz(b)];
                    ++n_links;
                }
        mean_link = n_links > 0 ? mean_link / n_links : 0.0;
        int busiest = region.front(), most_links = -1;
        for (int q : region) {
            int links = 0;
            for (int t : graph.neighbours[uz(q)]) links += in_region[uz(t)] ? 1 : 0;
            if (links > most_links) {
                busiest = q;
                most_links = links;
            }
        }
        for (int hub : region) {
            if (n > kHubVariantsUpTo && hub != busiest) continue;
            std::vector<int> layout(uz(n), -1);
            std::vector<bool> used(uz(np), false);
            double total = node[uz(hub)];
            layout[uz(order.front())] = hub;
            used[uz(hub)] = true;
            for (std::size_t k = 1; k < order.size(); ++k) {
                const int l = order[k];
                int best = -1;
                double best_cost = 0.0;
                for (int p : region) {
                    if (used[uz(p)]) continue;
                    double cost = node[uz(p)];
                    for (int m = 0; m < n; ++m) {
                        if (layout[uz(m)] < 0 || w[uz(l)][uz(m)] == 0.0) continue;
                        const int d = graph.distance[uz(p)][uz(layout[uz(m)])];
                        cost += w[uz(l)][uz(m)] *
                                (d == 1 ? costs.edge[uz(p)][uz(layout[uz(m)])] : 3.0 * (d - 1) * mean_link);
                    }
                    if (best < 0 || cost < best_cost) {
                        best = p;
                        best_cost = cost;
                    }
                }
                layout[uz(l)] = best;
                used[uz(best)] = true;
                total += best_cost;
            }
            if (seen.insert(layout).second) candidates.push_back({total, std::move(layout)});
        }
    }
    if (candidates.empty())
        throw Error("layout: no connected part of " + device.name + " has " + std::to_string(n) + " qubits");

    // 3. Route the cheapest few and rank them by estimated success; then refine the best two with
    // SABRE's reverse traversal (Li et al. §4.3): route forwards, route the reversed circuit from
    // the final layout, and take where that ends as a new initial layout.
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return a.static_cost != b.static_cost ? a.static_cost < b.static_cost : a.layout < b.layout;
    });
    if (candidates.size() > kRouted) candidates.resize(kRouted);
    const sim::Circuit r = routable(logical);
    RoutingOptions one = routing;
    one.trials = 1;
    std::vector<std::pair<double, std::vector<int>>> scored;
    for (auto& c : candidates) scored.emplace_back(-estimate(r, c.layout, costs, graph, one), std::move(c.layout));
    std::sort(scored.begin(), scored.end());
    sim::Circuit reversed = r;
    std::reverse(reversed.ops.begin(), reversed.ops.end());
    const std::size_t n_refined = std::min<std::size_t>(kRefined, scored.size());
    for (std::size_t i = 0; i < n_refined; ++i) {
        std::vector<int> layout = scored[i].second;
        for (int round = 0; round < kRefineRounds; ++round) {
            const auto forward = sabre_trace(r, graph, layout, one);
            layout = sabre_trace(reversed, graph, forward.final_layout, one).final_layout;
            scored.emplace_back(-estimate(r, layout, costs, graph, one), layout);
        }
    }
    // 4. The finalists are scored as compile() will route them (all trials, fewest swaps kept): a
    // single trial's luck can differ a lot from the best-of-trials result on a noisy edge.
    std::sort(scored.begin(), scored.end());
    scored.erase(std::unique(scored.begin(), scored.end()), scored.end());
    if (routing.trials > 1) {
        scored.resize(std::min<std::size_t>(kFinalists, scored.size()));
        for (auto& [score, layout] : scored) score = -estimate(r, layout, costs, graph, routing);
    }
    // Highest success first, ties on the smallest layout.
    return std::min_element(scored.begin(), scored.end())->second;
}

std::vector<int> noise_aware_layout(const sim::Circuit& logical, const Device& device, const CouplingGraph& graph) {
    return noise_aware_layout(logical, device, graph, RoutingOptions{});
}

double estimated_success(const sim::Circuit& logical, std::span<const int> layout, const Device& device,
                         const CouplingGraph& graph) {
    return estimated_success(logical, layout, device, graph, RoutingOptions{});
}

double estimated_success(const sim::Circuit& logical, std::span<const int> layout, const Device& device,
                         const CouplingGraph& graph, const RoutingOptions& routing) {
    sim::validate(logical);
    validate_layout(layout, logical.n_qubits, device, graph);
    return estimate(routable(logical), layout, device_costs(device, graph), graph, routing);
}

}  // namespace qnas::noise
