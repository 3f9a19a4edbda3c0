#include "supercircuit/ranking.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "sim/error.h"
#include "sim/parallel.h"
#include "supercircuit/checkpoint.h"
#include "supercircuit/format_duration.h"
#include "supercircuit/rng.h"
#include "supercircuit/train_model.h"

namespace qnas::supercircuit {

namespace {

using Clock = std::chrono::steady_clock;

// Stream index of the from-scratch seeds within RngDomain::Ranking (sampling uses 0 and 1 + #params).
constexpr std::uint64_t kScratchStreams = std::uint64_t{1} << 40;

template <class T>
T field(const nlohmann::json& j, const char* key, const std::string& source) {
    if (!j.contains(key)) throw Error(source + ": missing \"" + key + "\"");
    try {
        return j.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw Error(source + ": \"" + key + "\" has the wrong type");
    }
}

// NaN-safe for JSON: nlohmann writes NaN as null, which reads back as NaN here.
double number(const nlohmann::json& j, const char* key, const std::string& source) {
    if (j.contains(key) && j.at(key).is_null()) return std::nan("");
    return field<double>(j, key, source);
}

nlohmann::json stats(const std::vector<double>& v) {
    if (v.empty()) return nullptr;
    return {{"median", median(v)},
            {"min", *std::min_element(v.begin(), v.end())},
            {"max", *std::max_element(v.begin(), v.end())}};
}

RankRecord run_gene(const DesignSpace& space, const Encoder& encoder, const TrainModel& super,
                    std::span<const double> weights, const Splits& data, const RankGene& gene, int index,
                    const RankOptions& o) {
    const auto t0 = Clock::now();
    RankRecord r;
    r.index = index;
    r.arch = gene.arch;
    r.n_params = count_params(space, gene.arch);
    r.requested_params = gene.requested_params;
    const sim::BatchOptions one_thread{1, nullptr, sim::SimdVariant::Auto};
    r.inherited_valid = evaluate_inherited(super, gene.arch, weights, data.valid, o.scratch.readout_groups, one_thread);
    r.inherited_test = evaluate_inherited(super, gene.arch, weights, data.test, o.scratch.readout_groups, one_thread);

    TrainOptions t = o.scratch;
    t.n_threads = 1;  // parallelism is across genes; one thread keeps nesting out of TBB's way
    t.run_dir.clear();
    t.resume = false;
    t.stop_after_epochs = 0;
    t.quiet = true;
    t.progress = nullptr;
    const int repeats = std::max(1, o.scratch_repeats);
    for (int rep = 0; rep < repeats; ++rep) {
        t.seed = scratch_seed(o.scratch.seed, index, rep);
        if (rep == 0) r.scratch_seed = t.seed;
        const TrainResult tr = train(fixed_arch_model(space, encoder, gene.arch), data, t);
        const nlohmann::json& last = tr.metrics.back();
        r.scratch_valid.loss += last["valid_loss"].get<double>() / repeats;
        r.scratch_valid.accuracy += last["valid_acc"].get<double>() / repeats;
        r.scratch_test.loss += last["test_loss"].get<double>() / repeats;
        r.scratch_test.accuracy += last["test_acc"].get<double>() / repeats;
        if (rep == 0) r.scratch_best_epoch = tr.best_epoch;
        r.scratch_best_valid_acc += tr.best_valid_accuracy / repeats;
        r.scratch_best_test_acc += tr.best_test_accuracy / repeats;
        if (repeats > 1) r.scratch_valid_losses.push_back(last["valid_loss"].get<double>());
    }
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return r;
}

void append_line(const std::string& path, const std::string& line) {
    // One fwrite of the whole line in append mode: a kill leaves at worst a final partial line,
    // which load_rank_records drops.
    std::FILE* f = std::fopen(path.c_str(), "ab");
    if (!f) throw Error("cannot open " + path + " for appending");
    const bool ok = std::fwrite(line.data(), 1, line.size(), f) == line.size() && std::fflush(f) == 0;
    if (std::fclose(f) != 0 || !ok) throw Error("cannot write " + path);
}

}  // namespace

EvalResult evaluate_inherited(const TrainModel& super, std::span<const int> arch, std::span<const double> weights,
                              const Dataset& data, const std::vector<std::vector<int>>& readout_groups,
                              const sim::BatchOptions& opts) {
    if (weights.size() != static_cast<std::size_t>(super.n_weights))
        throw Error("evaluate_inherited: " + std::to_string(weights.size()) + " weights, the SuperCircuit has " +
                    std::to_string(super.n_weights));
    sim::Circuit c = super.circuit(arch);
    if (c.n_trainable > super.n_weights) throw Error("evaluate_inherited: the circuit reads more weights than exist");
    c.n_trainable = super.n_weights;
    const sim::BatchProgram program = sim::BatchProgram::compile(c);
    return evaluate(program, weights, data, resolve_readout_groups(readout_groups, program.n_qubits()), opts);
}

std::uint64_t scratch_seed(std::uint64_t base_seed, int index, int repeat) {
    CounterRng r = rng_stream(base_seed, RngDomain::Ranking, kScratchStreams + static_cast<std::uint64_t>(index));
    std::uint64_t s = r.next();
    for (int k = 0; k < repeat; ++k) s = r.next();
    return s;
}

nlohmann::json record_to_json(const RankRecord& r) {
    nlohmann::json j;
    j["index"] = r.index;
    j["arch"] = r.arch;
    j["n_params"] = r.n_params;
    if (r.requested_params > 0) j["requested_params"] = r.requested_params;
    j["inherited_valid_loss"] = r.inherited_valid.loss;
    j["inherited_valid_acc"] = r.inherited_valid.accuracy;
    j["inherited_test_loss"] = r.inherited_test.loss;
    j["inherited_test_acc"] = r.inherited_test.accuracy;
    j["scratch_valid_loss"] = r.scratch_valid.loss;
    j["scratch_valid_acc"] = r.scratch_valid.accuracy;
    j["scratch_test_loss"] = r.scratch_test.loss;
    j["scratch_test_acc"] = r.scratch_test.accuracy;
    j["scratch_best_epoch"] = r.scratch_best_epoch;
    j["scratch_best_valid_acc"] = r.scratch_best_valid_acc;
    j["scratch_best_test_acc"] = r.scratch_best_test_acc;
    j["scratch_seed"] = r.scratch_seed;
    if (!r.scratch_valid_losses.empty()) j["scratch_valid_losses"] = r.scratch_valid_losses;
    j["seconds"] = r.seconds;
    return j;
}

RankRecord record_from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object()) throw Error(source + ": expected a JSON object");
    RankRecord r;
    r.index = field<int>(j, "index", source);
    r.arch = field<Arch>(j, "arch", source);
    r.n_params = field<int>(j, "n_params", source);
    r.requested_params = j.contains("requested_params") ? field<int>(j, "requested_params", source) : 0;
    r.inherited_valid = {number(j, "inherited_valid_loss", source), number(j, "inherited_valid_acc", source)};
    r.inherited_test = {number(j, "inherited_test_loss", source), number(j, "inherited_test_acc", source)};
    r.scratch_valid = {number(j, "scratch_valid_loss", source), number(j, "scratch_valid_acc", source)};
    r.scratch_test = {number(j, "scratch_test_loss", source), number(j, "scratch_test_acc", source)};
    r.scratch_best_epoch = field<int>(j, "scratch_best_epoch", source);
    r.scratch_best_valid_acc = number(j, "scratch_best_valid_acc", source);
    r.scratch_best_test_acc = number(j, "scratch_best_test_acc", source);
    r.scratch_seed = field<std::uint64_t>(j, "scratch_seed", source);
    if (j.contains("scratch_valid_losses")) {
        if (!j["scratch_valid_losses"].is_array()) throw Error(source + ": scratch_valid_losses: expected a list");
        for (const auto& v : j["scratch_valid_losses"]) {
            if (!v.is_number()) throw Error(source + ": scratch_valid_losses: expected numbers");
            r.scratch_valid_losses.push_back(v.get<double>());
        }
    }
    r.seconds = number(j, "seconds", source);
    return r;
}

std::vector<RankRecord> load_rank_records(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    std::vector<RankRecord> out;
    std::set<int> seen;
    std::size_t start = 0;
    for (int line = 1;; ++line) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string::npos) break;  // no newline: a partial final line (or nothing) — dropped
        const std::string source = path + ":" + std::to_string(line);
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(text.substr(start, end - start));
        } catch (const nlohmann::json::parse_error&) {
            throw Error(source + ": invalid JSON");
        }
        RankRecord r = record_from_json(j, source);
        if (!seen.insert(r.index).second) throw Error(source + ": index " + std::to_string(r.index) + " repeated");
        out.push_back(std::move(r));
        start = end + 1;
    }
    std::sort(out.begin(), out.end(), [](const RankRecord& a, const RankRecord& b) { return a.index < b.index; });
    return out;
}

std::vector<RankRecord> rank_subcircuits(const DesignSpace& space, const Encoder& encoder, const TrainModel& super,
                                         std::span<const double> weights, const Splits& data,
                                         const std::vector<RankGene>& genes, const RankOptions& o) {
    const bool to_file = !o.jsonl_path.empty();
    std::vector<RankRecord> records = to_file && o.resume ? load_rank_records(o.jsonl_path) : std::vector<RankRecord>{};
    std::set<int> done;
    for (const auto& r : records) {
        if (r.index < 0 || static_cast<std::size_t>(r.index) >= genes.size() ||
            r.arch != genes[static_cast<std::size_t>(r.index)].arch)
            throw Error(o.jsonl_path + ": index " + std::to_string(r.index) +
                        " is not the gene this run ranks there (written with other options?); cannot resume");
        done.insert(r.index);
    }
    if (to_file) {  // the kept records only (drops a partial final line; empties the file on a fresh run)
        std::string kept;
        for (const auto& r : records) kept += record_to_json(r).dump() + "\n";
        write_file_atomically(o.jsonl_path, kept);
    }
    std::vector<int> todo;
    for (int i = 0; i < static_cast<int>(genes.size()); ++i)
        if (!done.count(i)) todo.push_back(i);

    std::mutex mutex;
    std::atomic<int> claimed{0};
    int finished = 0;
    const auto t0 = Clock::now();
    if (o.progress && !done.empty())
        *o.progress << "rank: resumed with " << done.size() << " of " << genes.size() << " SubCircuits done\n"
                    << std::flush;
    parallel_for(todo.size(), Parallelism{o.n_threads}, [&](std::size_t t) {
        if (o.stop_after > 0 && claimed.fetch_add(1) >= o.stop_after) return;
        const int index = todo[t];
        RankRecord r = run_gene(space, encoder, super, weights, data, genes[static_cast<std::size_t>(index)], index, o);
        const std::string line = record_to_json(r).dump() + "\n";
        std::lock_guard<std::mutex> lock(mutex);
        if (to_file) append_line(o.jsonl_path, line);
        ++finished;
        if (o.progress) {
            const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
            const std::size_t left = todo.size() - static_cast<std::size_t>(finished);
            std::ostringstream s;
            s.precision(4);
            s << "rank: " << done.size() + static_cast<std::size_t>(finished) << "/" << genes.size() << " gene "
              << index << " (" << r.n_params << " params) inherited " << r.inherited_valid.loss << " / "
              << r.inherited_valid.accuracy << ", scratch " << r.scratch_valid.loss << " / " << r.scratch_valid.accuracy
              << " (valid loss / acc), " << format_duration(r.seconds) << ", ETA "
              << format_duration(elapsed / finished * static_cast<double>(left));
            *o.progress << s.str() << "\n" << std::flush;
        }
        records.push_back(std::move(r));
    });
    std::sort(records.begin(), records.end(),
              [](const RankRecord& a, const RankRecord& b) { return a.index < b.index; });
    return records;
}

nlohmann::json rank_summary(const std::vector<RankRecord>& records, const std::string& split) {
    if (split != "valid" && split != "test") throw Error("rank: split must be valid or test, not " + split);
    const bool valid = split == "valid";
    std::vector<double> il, sl, ia, sa;
    for (const auto& r : records) {
        const EvalResult& i = valid ? r.inherited_valid : r.inherited_test;
        const EvalResult& s = valid ? r.scratch_valid : r.scratch_test;
        il.push_back(i.loss), sl.push_back(s.loss), ia.push_back(i.accuracy), sa.push_back(s.accuracy);
    }
    auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
    nlohmann::json j;
    j["n"] = records.size();
    j["split"] = split;
    j["spearman_loss"] = num(spearman(il, sl));
    const Interval ci = spearman_bootstrap(il, sl);
    j["spearman_loss_ci95"] = {num(ci.lo), num(ci.hi)};
    j["spearman_acc"] = num(spearman(ia, sa));
    j["kendall_loss"] = num(kendall_tau(il, sl));
    j["kendall_acc"] = num(kendall_tau(ia, sa));
    // The trivial predictor "more parameters, lower loss": what the inherited ranking has to beat.
    std::vector<double> neg_params;
    for (const auto& r : records) neg_params.push_back(-static_cast<double>(r.n_params));
    j["spearman_loss_params_baseline"] = num(spearman(neg_params, sl));
    std::vector<int> order;  // requested sizes in first-seen order
    std::map<int, std::vector<const RankRecord*>> by_size;
    for (const auto& r : records) {
        if (r.requested_params <= 0) continue;
        if (!by_size.count(r.requested_params)) order.push_back(r.requested_params);
        by_size[r.requested_params].push_back(&r);
    }
    if (!order.empty()) {
        nlohmann::json sizes = nlohmann::json::array();
        for (const int req : order) {
            std::vector<double> st, sb, it;
            for (const RankRecord* r : by_size[req]) {
                st.push_back(r->scratch_test.accuracy);
                sb.push_back(r->scratch_best_test_acc);
                it.push_back(r->inherited_test.accuracy);
            }
            sizes.push_back(nlohmann::json{{"requested_params", req},
                                           {"n_params", by_size[req].front()->n_params},
                                           {"n", st.size()},
                                           {"scratch_test_acc", stats(st)},
                                           {"scratch_best_test_acc", stats(sb)},
                                           {"inherited_test_acc", stats(it)}});
        }
        j["sizes"] = sizes;
    }
    return j;
}

}  // namespace qnas::supercircuit
