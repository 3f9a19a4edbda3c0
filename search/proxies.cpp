#include "search/proxies.h"

#include <utility>

#include "analysis/entanglement.h"
#include "analysis/expressibility.h"

namespace qnas::search {

bool ProxyConfig::active() const {
    return needs_expressibility() || needs_entanglement() || success_rate_min.has_value() || success_rate != 0.0;
}

ProxyScorer::ProxyScorer(supercircuit::DesignSpace space, ProxyConfig config)
    : space_(std::move(space)), config_(std::move(config)) {}

ArchProxies ProxyScorer::measure(std::span<const int> arch) const {
    const std::vector<int> key = supercircuit::active_key(space_, arch);
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
    }
    // Computed outside the lock (two threads may both compute one key: same value, first insert wins).
    const sim::Circuit sub = supercircuit::build_subcircuit(space_, arch);
    ArchProxies p;
    if (config_.needs_expressibility()) {
        analysis::ExpressibilityOptions o;
        o.pairs = config_.pairs;
        o.seed = config_.seed;
        o.bootstrap = 0;
        o.parallelism = qnas::Parallelism{1};  // the search parallelises candidates
        p.expressibility = analysis::expressibility(sub, o).kl;
    }
    if (config_.needs_entanglement()) {
        analysis::EntanglementOptions o;
        o.samples = config_.samples;
        o.seed = config_.seed;
        o.parallelism = qnas::Parallelism{1};
        p.entanglement = analysis::entangling_capability(sub, o).mean;
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    return cache_.emplace(key, p).first->second;
}

Evaluation ProxyScorer::apply(std::span<const int> arch, double success_rate, Evaluation base) const {
    if (!config_.active()) return base;
    const ProxyConfig& c = config_;
    const ArchProxies p = measure(arch);
    double score = base.score;
    if (p.expressibility) score += c.expressibility * *p.expressibility;
    if (p.entanglement) score -= c.entanglement * *p.entanglement;
    score -= c.success_rate * success_rate;
    double violation = 0.0;
    bool feasible = true;
    if (c.expressibility_max && *p.expressibility > *c.expressibility_max)
        feasible = false, violation += *p.expressibility - *c.expressibility_max;
    if (c.entanglement_min && *p.entanglement < *c.entanglement_min)
        feasible = false, violation += *c.entanglement_min - *p.entanglement;
    if (c.success_rate_min && success_rate < *c.success_rate_min)
        feasible = false, violation += *c.success_rate_min - success_rate;

    Evaluation out = std::move(base);
    out.info["base_score"] = out.score;
    if (p.expressibility) out.info["expressibility"] = *p.expressibility;
    if (p.entanglement) out.info["entanglement"] = *p.entanglement;
    if (c.expressibility_max || c.entanglement_min || c.success_rate_min) out.info["feasible"] = feasible;
    out.score = feasible ? score : kInfeasibleScore + violation;
    out.info["score"] = out.score;
    return out;
}

}  // namespace qnas::search
