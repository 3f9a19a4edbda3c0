// PQC-analysis proxies in the co-search (issue 7 "Use in the search"): optional filters and extra
// score terms from the SubCircuit's expressibility and entangling capability (analysis/, Sim19)
// and the candidate's success-rate proxy (noise/noise_model.h, already in CandidateMetrics).
// Off by default: with no filter and all weights 0 the search is byte-identical to one without.
//
// Score: score' = score + w_e·Expr − w_ent·Ent − w_s·succ (lower is better: less expressive raises
// it, more entangling and a higher success rate lower it). Filters: a candidate with Expr above
// expressibility_max, Ent below entanglement_min or succ below success_rate_min is infeasible; its
// score is kInfeasibleScore + the summed violation (Expr − max, min − Ent, min − succ), so every
// feasible candidate ranks above every infeasible one (feasible scores stay far below 1e9 for
// weights ≤ 1000), the search is steered towards feasibility, and the best gene is infeasible only
// when no feasible gene was ever seen (then its info says "feasible": false). Infeasible candidates
// are still scored in full, so their metrics stay comparable.
//
// Expr and Ent are measured on the SubCircuit alone (supercircuit build_subcircuit: no encoder,
// every angle a free trainable, inherited weights ignored — a property of the architecture), with
// the analysis defaults (75 bins, angles U[0, 2π)) and `pairs` / `samples` / `seed`, computed
// only when a filter or weight needs them and cached per active arch key (the layout does not
// change them). Each value is a pure function of (arch, settings): the cache is filled under a
// mutex and the result is identical at any thread count or scoring order.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <vector>

#include "search/evolution.h"
#include "search/experiment_config.h"
#include "supercircuit/design_space.h"

namespace qnas::search {

inline constexpr double kInfeasibleScore = 1e9;

struct ArchProxies {
    std::optional<double> expressibility;
    std::optional<double> entanglement;
};

class ProxyScorer {
public:
    ProxyScorer(supercircuit::DesignSpace space, ProxyConfig config);

    const ProxyConfig& config() const { return config_; }

    // Expr / Ent of the SubCircuit `arch` (only those the config needs); cached, thread-safe.
    ArchProxies measure(std::span<const int> arch) const;

    // `base` with the proxies applied: its score adjusted as above and its info extended by
    // "base_score", "expressibility" / "entanglement" (when measured) and "feasible" (when a
    // filter is set). `success_rate` is the candidate's proxy. Inactive config: `base` unchanged.
    Evaluation apply(std::span<const int> arch, double success_rate, Evaluation base) const;

private:
    supercircuit::DesignSpace space_;
    ProxyConfig config_;
    mutable std::mutex mutex_;
    mutable std::map<std::vector<int>, ArchProxies> cache_;
};

}  // namespace qnas::search
