#include "search/proxies.h"

#include <vector>

#include <catch2/catch.hpp>

#include "analysis/expressibility.h"
#include "search/experiment_config.h"
#include "sim/error.h"
#include "sim/parallel.h"

using namespace qnas::search;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace sc = qnas::supercircuit;

namespace {

ProxyConfig small_config() {
    ProxyConfig p;
    p.pairs = 300;
    p.samples = 300;
    p.seed = 3;
    return p;
}

}  // namespace

TEST_CASE("proxies: inactive by default, evaluation unchanged", "[search][proxies]") {
    const auto space = sc::design_space("u3cu3", 4);
    const ProxyScorer scorer(space, ProxyConfig{});
    CHECK_FALSE(ProxyConfig{}.active());
    const Evaluation base{0.75, {{"score", 0.75}, {"loss", 0.75}}};
    const Evaluation out = scorer.apply(sc::largest_arch(space), 0.8, base);
    CHECK(out.score == base.score);
    CHECK(out.info == base.info);
}

TEST_CASE("proxies: weights move the score in the documented direction", "[search][proxies]") {
    const auto space = sc::design_space("u3cu3", 4);
    const sc::Arch small = sc::smallest_arch(space), large = sc::largest_arch(space);
    ProxyConfig p = small_config();
    p.expressibility = 0.5;
    const ProxyScorer expr(space, p);
    const ArchProxies ms = expr.measure(small), ml = expr.measure(large);
    REQUIRE(ms.expressibility);
    REQUIRE(ml.expressibility);
    CHECK_FALSE(ms.entanglement);  // only what the config needs
    // The SubCircuit alone with every angle free, as analysis::expressibility measures it.
    qnas::analysis::ExpressibilityOptions o;
    o.pairs = 300, o.seed = 3, o.bootstrap = 0;
    CHECK(*ms.expressibility == qnas::analysis::expressibility(sc::build_subcircuit(space, small), o).kl);
    CHECK(*ms.expressibility > *ml.expressibility);  // the bigger circuit is more expressive
    const Evaluation es = expr.apply(small, 1.0, {0.3, {{"score", 0.3}}});
    const Evaluation el = expr.apply(large, 1.0, {0.3, {{"score", 0.3}}});
    CHECK(es.score == Approx(0.3 + 0.5 * *ms.expressibility));
    CHECK(el.score < es.score);  // equal base scores: the more expressive one ranks first
    CHECK(es.info["base_score"] == 0.3);
    CHECK(es.info["expressibility"] == *ms.expressibility);
    CHECK(es.info["score"] == es.score);
    CHECK_FALSE(es.info.contains("feasible"));

    ProxyConfig q = small_config();
    q.entanglement = 2.0;
    q.success_rate = 1.0;
    const ProxyScorer ent(space, q);
    const double e_small = *ent.measure(small).entanglement, e_large = *ent.measure(large).entanglement;
    CHECK(e_large > e_small);
    const Evaluation a = ent.apply(large, 0.9, {1.0, {}});
    CHECK(a.score == Approx(1.0 - 2.0 * e_large - 0.9));
    // A higher success rate ranks a candidate better, all else equal.
    CHECK(ent.apply(large, 0.9, {1.0, {}}).score < ent.apply(large, 0.5, {1.0, {}}).score);
}

TEST_CASE("proxies: a filter makes violating candidates infeasible and the search avoids them", "[search][proxies]") {
    const auto space = sc::design_space("u3cu3", 4);
    ProxyConfig p = small_config();
    p.expressibility_max = 0.25;
    const ProxyScorer scorer(space, p);
    const sc::Arch small = sc::smallest_arch(space);
    const Evaluation bad = scorer.apply(small, 1.0, {0.1, {}});
    CHECK(bad.info["feasible"] == false);
    CHECK(bad.score >= kInfeasibleScore);
    CHECK(bad.score == Approx(kInfeasibleScore + *scorer.measure(small).expressibility - 0.25));

    // A search whose base score prefers small circuits (few parameters, poorly expressive): without
    // the filter it ends at a violating gene; with it, the best is feasible.
    GeneSpace gs;
    gs.choices = sc::arch_choices(space);
    EvolutionOptions eo;
    eo.population = 8, eo.parents = 2, eo.mutants = 4, eo.crossovers = 2, eo.iterations = 5, eo.seed = 1;
    eo.n_threads = 1;
    const auto run = [&](const ProxyScorer& s) {
        return evolve(
            gs,
            [&](const Gene& g) {
                const double base = sc::count_params(space, g);
                return s.apply(g, 1.0, Evaluation{base, json::object()});
            },
            [&](const Gene& g) { return sc::active_key(space, g); }, eo);
    };
    const ProxyScorer off(space, small_config());
    const SearchResult plain = run(off), filtered = run(scorer);
    CHECK(*scorer.measure(plain.best.gene).expressibility > 0.25);
    CHECK(filtered.best.evaluation.info["feasible"] == true);
    CHECK(filtered.best.evaluation.score < kInfeasibleScore);
    CHECK(*scorer.measure(filtered.best.gene).expressibility <= 0.25);
    CHECK(filtered.best.evaluation.score >= plain.best.evaluation.score);  // the constraint costs parameters

    ProxyConfig s = small_config();
    s.success_rate_min = 0.6;
    const ProxyScorer succ(space, s);
    CHECK(succ.apply(small, 0.5, {0.1, {}}).info["feasible"] == false);
    CHECK(succ.apply(small, 0.7, {0.1, {}}).score == 0.1);
}

TEST_CASE("proxies are identical at any thread count [threads]", "[search][proxies][threads]") {
    const auto space = sc::design_space("u3cu3", 4);
    ProxyConfig p = small_config();
    p.expressibility = 1.0;
    p.entanglement = 1.0;
    GeneSpace gs;
    gs.choices = sc::arch_choices(space);
    std::vector<Gene> genes;
    for (std::uint64_t k = 0; k < 12; ++k) genes.push_back(random_gene(gs, 9, k % 6));  // repeats hit the cache
    const auto scores = [&](int threads) {
        const ProxyScorer scorer(space, p);
        std::vector<double> out(genes.size());
        qnas::parallel_for(genes.size(), qnas::Parallelism{threads}, [&](std::size_t i) {
            out[i] = scorer.apply(genes[i], 0.8, {0.0, {}}).score;
        });
        return out;
    };
    CHECK(scores(1) == scores(3));
}

TEST_CASE("proxies config: defaults, round trip and one-line errors naming the path", "[search][proxies]") {
    const ExperimentConfig d = parse_experiment_config(json::object(), "c.json");
    CHECK_FALSE(d.search.proxies.active());
    const json r = resolved_config(d);
    CHECK(r["search"]["proxies"]["expressibility_max"].is_null());
    CHECK(r["search"]["proxies"]["pairs"] == 2000);

    const json j = {{"search", {{"proxies", {{"expressibility_max", 0.1}, {"entanglement", 0.5}, {"pairs", 500}}}}}};
    const ExperimentConfig c = parse_experiment_config(j, "c.json");
    CHECK(c.search.proxies.active());
    CHECK(*c.search.proxies.expressibility_max == 0.1);
    CHECK_FALSE(c.search.proxies.entanglement_min);
    CHECK(c.search.proxies.pairs == 500);
    CHECK(resolved_config(parse_experiment_config(resolved_config(c), "r.json")) == resolved_config(c));

    const auto err = [](const json& proxies) {
        return [proxies] { parse_experiment_config({{"search", {{"proxies", proxies}}}}, "c.json"); };
    };
    CHECK_THROWS_WITH(err({{"pairs", -5}})(), Contains("c.json: /search/proxies/pairs"));
    CHECK_THROWS_WITH(err({{"samples", 0}})(), Contains("/search/proxies/samples"));
    CHECK_THROWS_WITH(err({{"expresibility", 1.0}})(), Contains("/search/proxies/expresibility: unknown key"));
    CHECK_THROWS_WITH(err({{"entanglement_min", 1.5}})(), Contains("/search/proxies/entanglement_min: out of range"));
    CHECK_THROWS_WITH(err({{"expressibility_max", "low"}})(), Contains("expected a number or null"));
    CHECK_THROWS_WITH(err({{"success_rate", -1.0}})(), Contains("/search/proxies/success_rate"));
    CHECK_THROWS_WITH(err(json::array())(), Contains("/search/proxies: expected an object"));
}
