#include "supercircuit/ranking.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/error.h"
#include "supercircuit/rng.h"
#include "supercircuit/train_model.h"

using namespace qnas::supercircuit;
namespace fs = std::filesystem;

namespace {

// ---- rank statistics ----------------------------------------------------------------------------

// Definition-level references: rank = 1 + #smaller + (#equal − 1) / 2, Pearson on those ranks;
// τ-b from the tie-group sizes (n1 = Σ t(t−1)/2 over groups of equal x), not from pair flags.
double brute_spearman(const std::vector<double>& x, const std::vector<double>& y) {
    auto ranks = [](const std::vector<double>& v) {
        std::vector<double> r;
        for (const double a : v) {
            double less = 0, equal = 0;
            for (const double b : v) less += b < a, equal += b == a;
            r.push_back(1 + less + (equal - 1) / 2);
        }
        return r;
    };
    const auto rx = ranks(x), ry = ranks(y);
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < rx.size(); ++i) mx += rx[i] / rx.size(), my += ry[i] / ry.size();
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < rx.size(); ++i)
        sxy += (rx[i] - mx) * (ry[i] - my), sxx += (rx[i] - mx) * (rx[i] - mx), syy += (ry[i] - my) * (ry[i] - my);
    return sxy / std::sqrt(sxx * syy);
}

double brute_kendall(const std::vector<double>& x, const std::vector<double>& y) {
    const double n = static_cast<double>(x.size());
    auto tied_pairs = [](const std::vector<double>& v) {
        std::map<double, double> groups;
        for (const double a : v) groups[a] += 1;
        double t = 0;
        for (const auto& [value, size] : groups) t += size * (size - 1) / 2;
        return t;
    };
    double concordant = 0, discordant = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
        for (std::size_t j = 0; j < x.size(); ++j) {
            if (i == j) continue;
            const double p = (x[i] - x[j]) * (y[i] - y[j]);
            concordant += p > 0, discordant += p < 0;
        }
    concordant /= 2, discordant /= 2;  // every pair was seen twice
    const double n0 = n * (n - 1) / 2;
    return (concordant - discordant) / std::sqrt((n0 - tied_pairs(x)) * (n0 - tied_pairs(y)));
}

// ---- a tiny classification setup ------------------------------------------------------------------

Dataset toy_data(std::size_t n, std::uint64_t seed) {
    Dataset d;
    d.n_features = 16;
    d.n_classes = 4;
    CounterRng r = rng_stream(seed, RngDomain::Init, 7);
    for (std::size_t i = 0; i < n; ++i) {
        int label = static_cast<int>(uniform_index(r, 4));
        for (int f = 0; f < 16; ++f) d.x.push_back(uniform_double(r) + (f % 4 == label ? 1.0 : 0.0));
        d.y.push_back(label);
    }
    return d;
}

Splits tiny_splits() { return {toy_data(24, 1), toy_data(10, 2), toy_data(10, 3)}; }

TrainOptions tiny_recipe() {
    TrainOptions o;
    o.epochs = 2;
    o.batch_size = 8;
    o.schedule = {ScheduleKind::Constant, 0.05, 2, 0, 1e-3};
    o.seed = 5;
    o.readout_groups = {{0}, {1}, {2}, {3}};
    return o;
}

void check_same_results(const std::vector<RankRecord>& a, const std::vector<RankRecord>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        RankRecord x = a[i], y = b[i];
        x.seconds = y.seconds = 0;  // the only field allowed to differ
        CHECK(record_to_json(x).dump() == record_to_json(y).dump());
    }
}

}  // namespace

TEST_CASE("average_ranks shares tied ranks", "[ranking]") {
    CHECK(average_ranks(std::vector<double>{10, 20, 20, 5}) == std::vector<double>{2, 3.5, 3.5, 1});
    CHECK(average_ranks(std::vector<double>{7, 7, 7}) == std::vector<double>{2, 2, 2});
    CHECK(average_ranks(std::vector<double>{}).empty());
}

TEST_CASE("spearman and kendall_tau on hand-computed cases", "[ranking]") {
    // Ranks x = 1..5, y = 1, 2, 3.5, 5, 3.5 (the 7s tie): ρ = 0.8207826816681233 (scipy's doc example).
    const std::vector<double> x{1, 2, 3, 4, 5}, y{5, 6, 7, 8, 7};
    CHECK(spearman(x, y) == Approx(0.8207826816681233).epsilon(1e-14));
    // C − D = −4 over 10 pairs, 2 tied in x, 1 in y: τ-b = −4 / sqrt(8 · 9) (scipy's doc example).
    const std::vector<double> a{12, 2, 1, 12, 2}, b{1, 4, 7, 1, 0};
    CHECK(kendall_tau(a, b) == Approx(-4 / std::sqrt(72.0)).epsilon(1e-14));
    // No ties: τ = (C − D) / 10; x vs reversed-but-one-swap: 1 2 3 4 5 vs 5 4 3 1 2 → C = 1, D = 9.
    CHECK(kendall_tau(x, std::vector<double>{5, 4, 3, 1, 2}) == Approx(-0.8));
    // ρ = 1 − 6 Σd² / (n(n² − 1)): d = (−4, −2, 0, 3, 3), Σd² = 38 → 1 − 228/120 = −0.9.
    CHECK(spearman(x, std::vector<double>{5, 4, 3, 1, 2}) == Approx(-0.9));
    CHECK(spearman(x, x) == Approx(1.0));
    CHECK(kendall_tau(x, std::vector<double>{50, 40, 30, 20, 10}) == Approx(-1.0));
    // Undefined: a constant list, fewer than two items.
    CHECK(std::isnan(spearman(x, std::vector<double>{1, 1, 1, 1, 1})));
    CHECK(std::isnan(kendall_tau(x, std::vector<double>{1, 1, 1, 1, 1})));
    CHECK(std::isnan(spearman(std::vector<double>{1}, std::vector<double>{2})));
    CHECK_THROWS_AS(spearman(x, std::vector<double>{1}), qnas::Error);
    CHECK_THROWS_AS(kendall_tau(x, std::vector<double>{1, 2}), qnas::Error);
}

TEST_CASE("spearman and kendall_tau match brute-force definitions, with many ties", "[ranking]") {
    CounterRng r = rng_stream(11, RngDomain::Init, 0);
    for (int trial = 0; trial < 50; ++trial) {
        const std::size_t n = 2 + uniform_index(r, 30);
        const std::uint64_t levels = 2 + uniform_index(r, 8);  // few levels → many ties
        std::vector<double> x, y;
        for (std::size_t i = 0; i < n; ++i) {
            x.push_back(static_cast<double>(uniform_index(r, levels)));
            y.push_back(x.back() * 0.5 + static_cast<double>(uniform_index(r, levels)));
        }
        auto constant = [](const std::vector<double>& v) {
            return std::all_of(v.begin(), v.end(), [&](double a) { return a == v[0]; });
        };
        if (constant(x) || constant(y)) {  // undefined
            CHECK(std::isnan(spearman(x, y)));
            CHECK(std::isnan(kendall_tau(x, y)));
            continue;
        }
        CHECK(spearman(x, y) == Approx(brute_spearman(x, y)).margin(1e-12));
        CHECK(kendall_tau(x, y) == Approx(brute_kendall(x, y)).margin(1e-12));
    }
}

TEST_CASE("spearman_bootstrap: a degenerate interval for a perfect ranking, the normal width otherwise", "[ranking]") {
    std::vector<double> x(50), y(50), z(50);
    qnas::supercircuit::CounterRng r = qnas::supercircuit::rng_stream(7, qnas::supercircuit::RngDomain::Init, 0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = static_cast<double>(i);
        y[i] = 2.0 * static_cast<double>(i) + 1.0;
        z[i] = qnas::supercircuit::uniform_double(r);
    }
    const auto perfect = qnas::supercircuit::spearman_bootstrap(x, y);
    CHECK(perfect.lo == 1.0);
    CHECK(perfect.hi == 1.0);
    // Independent lists: ρ's sampling sd is ≈ 1/√(n − 1) = 0.143, so the 95 % interval is ≈ ±0.28
    // around the sample ρ.
    const double rho = qnas::supercircuit::spearman(x, z);
    const auto ci = qnas::supercircuit::spearman_bootstrap(x, z);
    CHECK(ci.lo < rho);
    CHECK(ci.hi > rho);
    CHECK(ci.hi - ci.lo == Approx(2 * 1.96 / std::sqrt(49.0)).epsilon(0.2));
    CHECK(qnas::supercircuit::spearman_bootstrap(x, z).lo == ci.lo);  // seeded
    CHECK(std::isnan(qnas::supercircuit::spearman_bootstrap(std::vector<double>{1, 2}, std::vector<double>{1, 2}).lo));
}

TEST_CASE("median", "[ranking]") {
    CHECK(median({3, 1, 2}) == 2);
    CHECK(median({4, 1, 3, 2}) == 2.5);
    CHECK(std::isnan(median({})));
}

TEST_CASE("sample_distinct_archs: distinct valid genes, seeded, bounded", "[ranking]") {
    const DesignSpace s = design_space("u3cu3", 4, 8);
    const auto a = sample_distinct_archs(s, 60, 3);
    REQUIRE(a.size() == 60);
    std::set<std::vector<int>> keys;
    for (const auto& g : a) {
        CHECK_NOTHROW(validate_arch(s, g));
        keys.insert(active_key(s, g));
    }
    CHECK(keys.size() == 60);
    CHECK(sample_distinct_archs(s, 60, 3) == a);
    CHECK(sample_distinct_archs(s, 60, 4) != a);
    // 2 qubits, 1 block: u3 ∈ {1, 2} × cu3 ∈ {1, 2} → exactly 4 SubCircuits.
    const DesignSpace small = design_space("u3cu3", 2, 1);
    CHECK(sample_distinct_archs(small, 4, 1).size() == 4);
    CHECK_THROWS_WITH(sample_distinct_archs(small, 5, 1), Catch::Contains("only 4 SubCircuits"));
}

TEST_CASE("SubCircuits per parameter count: counts match enumeration of every gene", "[ranking]") {
    for (const char* name : {"u3cu3", "seth", "barren", "u3cu3_a0"}) {
        const DesignSpace s = design_space(name, name == std::string("u3cu3_a0") ? 3 : 4, 2);
        INFO(name);
        // Every gene (odometer over the choices), distinct circuits by active key, grouped by count.
        const auto choices = arch_choices(s);
        std::vector<std::size_t> digit(choices.size(), 0);
        std::map<int, std::set<std::vector<int>>> by_count;
        for (bool more = true; more;) {
            Arch g;
            for (std::size_t p = 0; p < choices.size(); ++p) g.push_back(choices[p][digit[p]]);
            by_count[count_params(s, g)].insert(active_key(s, g));
            more = false;
            for (std::size_t p = 0; p < choices.size() && !more; ++p)
                if (++digit[p] < choices[p].size())
                    more = true;
                else
                    digit[p] = 0;
        }
        std::vector<int> counts;
        for (const auto& [count, keys] : by_count) {
            counts.push_back(count);
            CHECK(count_archs_with_params(s, count) == static_cast<double>(keys.size()));
        }
        CHECK(achievable_param_counts(s) == counts);
        // Asking for all SubCircuits of a count returns exactly that set.
        const int mid = counts[counts.size() / 2];
        const auto all = sample_archs_with_params(s, mid, static_cast<int>(by_count[mid].size()), 9);
        std::set<std::vector<int>> got;
        for (const auto& g : all) got.insert(active_key(s, g));
        CHECK(got == by_count[mid]);
        CHECK_THROWS_WITH(sample_archs_with_params(s, mid, static_cast<int>(by_count[mid].size()) + 1, 9),
                          Catch::Contains("SubCircuits with " + std::to_string(mid) + " parameters"));
    }
}

TEST_CASE("SubCircuits per parameter count in U3+CU3, 8 blocks (the paper's sizes)", "[ranking]") {
    const DesignSpace s = design_space("u3cu3", 4, 8);
    CHECK(nearest_achievable_params(s, 145) == 144);  // counts are multiples of 3
    CHECK(nearest_achievable_params(s, 12) == 12);
    CHECK(nearest_achievable_params(s, 1) == 6);  // smallest: one U3 and one CU3
    CHECK(nearest_achievable_params(s, 1000) == 192);
    // 12 parameters: n_blocks 1 with u3 + cu3 = 4 gates (3 ways), or n_blocks 2 with one gate per layer.
    CHECK(count_archs_with_params(s, 12) == 4);
    CHECK(count_archs_with_params(s, 145) == 0);
    for (const int p : {36, 45, 90, 144, 180}) {
        // 180 is about one plain draw in a million: the constructive draw still finds 8 at once.
        const auto a = sample_archs_with_params(s, p, 8, 42);
        REQUIRE(a.size() == 8);
        std::set<std::vector<int>> keys;
        for (const auto& g : a) {
            CHECK(count_params(s, g) == p);
            CHECK_NOTHROW(validate_arch(s, g));
            keys.insert(active_key(s, g));
        }
        CHECK(keys.size() == 8);
        CHECK(sample_archs_with_params(s, p, 8, 42) == a);
    }
}

TEST_CASE("evaluate_inherited equals the fixed SubCircuit with the same weights", "[ranking]") {
    const DesignSpace s = design_space("u3cu3", 4, 3);
    const Encoder enc = encoder_by_name("4x4_ryzxy");
    const TrainModel super = supercircuit_model(s, enc, 1);
    const auto w = initial_weights(super.n_weights, 17);
    const Dataset d = toy_data(20, 4);
    const std::vector<std::vector<int>> groups{{0}, {1}, {2}, {3}};
    for (const auto& arch : sample_distinct_archs(s, 5, 2)) {
        const EvalResult got = evaluate_inherited(super, arch, w, d, groups);
        const TrainModel fixed = fixed_arch_model(s, enc, arch);
        const auto program = qnas::sim::BatchProgram::compile(fixed.circuit({}));
        const EvalResult want = evaluate(program, w, d, groups);
        CHECK(got.loss == want.loss);
        CHECK(got.accuracy == want.accuracy);
    }
    CHECK_THROWS_AS(evaluate_inherited(super, largest_arch(s), std::vector<double>(3), d, groups), qnas::Error);
}

TEST_CASE("rank_subcircuits: scratch runs are train() with the derived seed, any thread count", "[ranking]") {
    const DesignSpace s = design_space("u3cu3", 4, 2);
    const Encoder enc = encoder_by_name("4x4_ryzxy");
    const TrainModel super = supercircuit_model(s, enc, 1);
    const auto w = initial_weights(super.n_weights, 3);
    const Splits data = tiny_splits();
    std::vector<RankGene> genes;
    for (auto& a : sample_distinct_archs(s, 4, 8)) genes.push_back({std::move(a), 0});

    RankOptions o;
    o.scratch = tiny_recipe();
    o.n_threads = 1;
    const auto one = rank_subcircuits(s, enc, super, w, data, genes, o);
    o.n_threads = 2;
    const auto two = rank_subcircuits(s, enc, super, w, data, genes, o);
    check_same_results(one, two);

    REQUIRE(one.size() == 4);
    for (int i = 0; i < 4; ++i) {
        const RankRecord& r = one[static_cast<std::size_t>(i)];
        CHECK(r.index == i);
        CHECK(r.arch == genes[static_cast<std::size_t>(i)].arch);
        CHECK(r.n_params == count_params(s, r.arch));
        const EvalResult iv = evaluate_inherited(super, r.arch, w, data.valid, o.scratch.readout_groups);
        CHECK(r.inherited_valid.loss == iv.loss);
        TrainOptions t = tiny_recipe();
        t.n_threads = 1;
        t.seed = scratch_seed(tiny_recipe().seed, i);
        CHECK(r.scratch_seed == t.seed);
        const TrainResult tr = train(fixed_arch_model(s, enc, r.arch), data, t);
        CHECK(r.scratch_valid.loss == tr.metrics.back()["valid_loss"].get<double>());
        CHECK(r.scratch_test.accuracy == tr.metrics.back()["test_acc"].get<double>());
        CHECK(r.scratch_best_test_acc == tr.best_test_accuracy);
        CHECK(r.scratch_best_epoch == tr.best_epoch);
    }
    CHECK(scratch_seed(5, 0) != scratch_seed(5, 1));
    CHECK(scratch_seed(5, 0) != scratch_seed(6, 0));
    CHECK(scratch_seed(5, 0, 1) != scratch_seed(5, 0));
    CHECK(scratch_seed(5, 0, 0) == scratch_seed(5, 0));

    // Repeats: the mean over trainings with the repeat seeds, per-repeat losses kept.
    o.scratch_repeats = 2;
    const auto rep = rank_subcircuits(s, enc, super, w, data, {genes[1]}, o);
    REQUIRE(rep.size() == 1);
    REQUIRE(rep[0].scratch_valid_losses.size() == 2);
    double mean = 0.0;
    for (int k = 0; k < 2; ++k) {
        TrainOptions t = tiny_recipe();
        t.n_threads = 1;
        t.seed = scratch_seed(tiny_recipe().seed, 0, k);
        const double loss =
            train(fixed_arch_model(s, enc, genes[1].arch), data, t).metrics.back()["valid_loss"].get<double>();
        CHECK(rep[0].scratch_valid_losses[static_cast<std::size_t>(k)] == loss);
        mean += loss / 2;
    }
    CHECK(rep[0].scratch_valid.loss == Approx(mean).epsilon(1e-15));
    CHECK(rep[0].scratch_valid_losses[0] != rep[0].scratch_valid_losses[1]);
    CHECK(record_from_json(record_to_json(rep[0]), "r").scratch_valid_losses == rep[0].scratch_valid_losses);
}

TEST_CASE("rank_subcircuits: stop, resume, records file", "[ranking]") {
    const DesignSpace s = design_space("u3cu3", 4, 2);
    const Encoder enc = encoder_by_name("4x4_ryzxy");
    const TrainModel super = supercircuit_model(s, enc, 1);
    const auto w = initial_weights(super.n_weights, 3);
    const Splits data = tiny_splits();
    std::vector<RankGene> genes;
    for (auto& a : sample_archs_with_params(s, 36, 3, 8)) genes.push_back({std::move(a), 36});

    const fs::path dir = fs::temp_directory_path() / "qnas_ranking_test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    RankOptions o;
    o.scratch = tiny_recipe();
    o.n_threads = 2;
    o.jsonl_path = (dir / "full.jsonl").string();
    const auto full = rank_subcircuits(s, enc, super, w, data, genes, o);
    check_same_results(load_rank_records(o.jsonl_path), full);

    o.jsonl_path = (dir / "part.jsonl").string();
    o.stop_after = 1;
    CHECK(rank_subcircuits(s, enc, super, w, data, genes, o).size() == 1);
    CHECK(load_rank_records(o.jsonl_path).size() == 1);
    // A kill mid-write leaves a final partial line: dropped on load and on resume.
    std::ofstream(o.jsonl_path, std::ios::app) << R"({"index": 2, "arch": [1)";
    CHECK(load_rank_records(o.jsonl_path).size() == 1);
    o.stop_after = 0;
    o.resume = true;
    std::ostringstream progress;
    o.progress = &progress;
    const auto resumed = rank_subcircuits(s, enc, super, w, data, genes, o);
    check_same_results(resumed, full);
    check_same_results(load_rank_records(o.jsonl_path), full);
    const std::string said = progress.str();
    CHECK(said.find("resumed with 1 of 3") != std::string::npos);
    CHECK(said.find("3/3") != std::string::npos);
    CHECK(std::count(said.begin(), said.end(), '\n') == 3);  // the resume line + 2 genes

    // Resuming against another gene list is refused.
    std::vector<RankGene> other = genes;
    std::swap(other[0], other[1]);
    CHECK_THROWS_WITH(rank_subcircuits(s, enc, super, w, data, other, o), Catch::Contains("cannot resume"));
    // A fresh (non-resume) call starts the file over.
    o.resume = false;
    o.progress = nullptr;
    o.stop_after = 1;
    rank_subcircuits(s, enc, super, w, data, genes, o);
    CHECK(load_rank_records(o.jsonl_path).size() == 1);
    // Malformed complete lines are errors naming the file and line.
    std::ofstream(o.jsonl_path, std::ios::app) << "{oops\n";
    CHECK_THROWS_WITH(load_rank_records(o.jsonl_path), Catch::Contains("part.jsonl:2: invalid JSON"));
    CHECK(load_rank_records((dir / "none.jsonl").string()).empty());
    fs::remove_all(dir);
}

TEST_CASE("rank_summary: correlations and per-size statistics", "[ranking]") {
    std::vector<RankRecord> rs;
    const double inh[] = {1.0, 1.2, 1.1, 1.3}, scr[] = {0.9, 1.1, 1.2, 1.25};
    for (int i = 0; i < 4; ++i) {
        RankRecord r;
        r.index = i;
        r.n_params = i < 2 ? 12 : 144;
        r.requested_params = i < 2 ? 12 : 145;
        r.inherited_valid = {inh[i], 0.1 * i};
        r.scratch_valid = {scr[i], 0.2 * i};
        r.inherited_test = {0, 0.5 + 0.1 * i};
        r.scratch_test = {0, 0.6 + 0.1 * i};
        r.scratch_best_test_acc = 0.7;
        rs.push_back(r);
    }
    const auto j = rank_summary(rs, "valid");
    CHECK(j["n"] == 4);
    // Loss ranks 1 3 2 4 vs 1 2 3 4: Σd² = 2 → ρ = 1 − 12/60 = 0.8; τ = (5 − 1) / 6.
    CHECK(j["spearman_loss"].get<double>() == Approx(0.8));
    CHECK(j["kendall_loss"].get<double>() == Approx(4.0 / 6.0));
    CHECK(j["spearman_acc"].get<double>() == Approx(1.0));
    // Baseline −n_params: mid-ranks 3.5 3.5 1.5 1.5 vs 1 2 3 4 → ρ = −4 / (2·√5).
    CHECK(j["spearman_loss_params_baseline"].get<double>() == Approx(-2.0 / std::sqrt(5.0)));
    REQUIRE(j["sizes"].size() == 2);
    CHECK(j["sizes"][1]["requested_params"] == 145);
    CHECK(j["sizes"][1]["n_params"] == 144);
    CHECK(j["sizes"][1]["n"] == 2);
    CHECK(j["sizes"][1]["scratch_test_acc"]["median"].get<double>() == Approx(0.85));
    CHECK(j["sizes"][1]["scratch_test_acc"]["min"].get<double>() == Approx(0.8));
    CHECK(j["sizes"][0]["inherited_test_acc"]["max"].get<double>() == Approx(0.6));
    // Test split: constant scratch test losses → ρ undefined → null.
    CHECK(rank_summary(rs, "test")["spearman_loss"].is_null());
    CHECK(rank_summary(std::vector<RankRecord>(rs.begin(), rs.begin() + 1), "valid")["spearman_loss"].is_null());
    CHECK_THROWS_AS(rank_summary(rs, "train"), qnas::Error);
}
