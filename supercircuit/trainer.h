// Training of QNN classifiers on the batched simulator: (a) a weight-shared SuperCircuit, one
// sampled SubCircuit per optimisation step, only that SubCircuit's weights updated (QuantumNAS's
// SuperQTrainer), and (b) a fixed circuit (from-scratch training, human and random baselines) with
// the same code. Per step: the step's circuit (encoder + SubCircuit, compiled once per active key
// and cached) runs on a batch (last partial batch kept, as torch's DataLoader with
// drop_last=False); loss = mean NLL of log_softmax over the task's readout groups of summed ⟨Z⟩;
// gradient by adjoint differentiation (sim/adjoint.h); PyTorch Adam on the active weights.
// After each epoch: running train loss/accuracy, valid and test loss/accuracy of the probe
// circuits, lr and seconds → one JSON object (metrics.jsonl in the run directory), and a
// checkpoint written atomically, from which `resume` continues to the bit-identical result of an
// uninterrupted run. Results depend on the seed only (not on threads: the simulator's reductions
// are in a fixed order; shuffles, init and sampling are counter-based streams of rng.h).
//
// VQE uses the same trainer (TrainOptions::energy): no data and no encoder; each step runs the
// step's circuit once (batch 1) and minimises the energy of a Hamiltonian (energy.h), gradient by
// adjoint through the Hamiltonian's Pauli readout; epochs are `steps_per_epoch` steps; the probes
// are scored by their energy and the best weights are those of the lowest first-probe energy.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "sim/batch_simulator.h"
#include "sim/circuit.h"
#include "supercircuit/adam.h"
#include "supercircuit/dataset.h"
#include "supercircuit/energy.h"
#include "supercircuit/hamiltonian.h"
#include "supercircuit/sampler.h"
#include "supercircuit/schedule.h"

namespace qnas::supercircuit {

struct NamedArch {
    std::string name;
    std::vector<int> arch;
};

// What is trained: a family of circuits over one shared weight vector (see train_model.h for the
// design-space and fixed-circuit constructors).
struct TrainModel {
    int n_weights = 0;
    // Per gene position, its choices; empty for a fixed circuit (the gene is then empty).
    std::vector<std::vector<int>> arch_choices;
    // The full circuit (encoder included, n_trainable = n_weights) of a gene.
    std::function<sim::Circuit(std::span<const int> arch)> circuit;
    // Genes with equal keys give the same circuit (program cache key); unset: the gene itself.
    std::function<std::vector<int>(std::span<const int> arch)> cache_key;
    // Circuits evaluated on valid and test after every epoch; the first one's valid accuracy
    // selects the best-valid weights. Fixed circuits: one probe named "model" with an empty gene.
    std::vector<NamedArch> probes;
};

// VQE: what is minimised instead of the classification loss.
struct EnergyObjective {
    Hamiltonian hamiltonian;  // on the circuit's first n_qubits qubits (qubit w = wire w)
    EnergyKind kind = EnergyKind::Joint;
    int steps_per_epoch = 50;  // QuantumNAS's VQE recipe (quantumnas.md §8)
};

struct TrainOptions {
    int epochs = 200;
    int batch_size = 256;
    Schedule schedule;  // its n_epochs is taken from `epochs`
    AdamOptions adam{0.9, 0.999, 1e-8, 1e-4};
    SamplerOptions sampler;  // SuperCircuits only
    std::uint64_t seed = 0;  // weight init, shuffles, sampling, the random probe
    int n_threads = 0;       // 0: all threads of the current TBB arena
    // Logits = summed ⟨Z_q⟩ per group; empty: one group per qubit.
    std::vector<std::vector<int>> readout_groups;
    std::string run_dir;                        // empty: nothing is written (tests)
    bool resume = false;                        // continue from run_dir/checkpoint.json when it exists
    int stop_after_epochs = 0;                  // > 0: return after this many epochs of this call (tests: a "kill")
    bool quiet = false;                         // no progress lines
    std::ostream* progress = nullptr;           // progress lines (stderr in the CLI); null: none
    std::size_t program_cache_capacity = 4096;  // compiled programs kept (cleared when full)
    // Set: VQE (data, batch_size and readout_groups unused; the circuit must read no inputs).
    std::optional<EnergyObjective> energy;
    // Set: a fresh run starts from these weights (size n_weights) instead of initial_weights();
    // ignored on resume (the checkpoint holds the weights).
    std::optional<std::vector<double>> initial_weights;
    // Set: called before every epoch (after a resume's restore) with the 0-based epoch, the weights
    // and a per-weight `frozen` mask (all 0 on entry). It may change weights (gate pruning zeroes
    // angles) and freeze some: frozen weights leave the steps' active sets for this epoch (no Adam
    // update at all). Must be a pure function of (epoch, weights) for resume to stay bit-identical.
    // A returned JSON object's fields are added to the epoch's metrics (null: nothing).
    std::function<nlohmann::json(int epoch, std::span<double> weights, std::vector<char>& frozen)> before_epoch;
};

struct EvalResult {
    double loss = 0.0;
    double accuracy = 0.0;
};

struct TrainResult {
    std::vector<double> weights;       // after the last epoch run
    std::vector<double> best_weights;  // at the epoch of maximal valid accuracy (first probe)
    int best_epoch = 0;                // 1-based epoch of best_weights (0: none yet)
    double best_valid_accuracy = -1.0;
    double best_test_accuracy = -1.0;     // test accuracy of the first probe at best_epoch
    int epochs_done = 0;                  // epochs completed in total (resumed ones included)
    std::vector<nlohmann::json> metrics;  // one object per epoch completed by this call
    std::size_t programs_compiled = 0;    // by this call
    // VQE: the lowest first-probe energy after an epoch (the best_weights' energy, at best_epoch).
    std::optional<double> best_energy;
};

TrainResult train(const TrainModel& model, const Splits& data, const TrainOptions& options);

// One optimisation step on one batch: mean NLL over the batch of log_softmax of the group logits,
// gradient by adjoint, Adam on `active` at `lr`. `hit` (size ≥ batch) receives per sample whether
// the prediction (before the update) was right; `grad` has n_trainable entries. Returns the loss.
double train_step(const sim::BatchProgram& program, std::span<const int> active, std::span<const double> X,
                  std::span<const int> labels, const std::vector<std::vector<int>>& readout_groups,
                  std::span<double> weights, AdamState& adam, double lr, const AdamOptions& adam_options,
                  std::span<double> grad, std::span<char> hit, const sim::BatchOptions& opts = {});

// Loss (mean NLL of log_softmax over the readout groups) and top-1 accuracy of a compiled
// program (⟨Z_q⟩ readout) on a dataset. Empty datasets give {0, 0}.
EvalResult evaluate(const sim::BatchProgram& program, std::span<const double> weights, const Dataset& data,
                    const std::vector<std::vector<int>>& readout_groups, const sim::BatchOptions& opts = {});

// The classifier readout of one sample, shared by evaluate and the noisy candidate scoring
// (search/fitness.h): logits = summed ⟨Z_q⟩ (z[q]) per readout group; nll = −log_softmax(logits)
// at `label`; correct = the first maximal logit is the label's. At most 64 groups.
struct SampleReadout {
    double nll = 0.0;
    bool correct = false;
};
SampleReadout readout_sample(std::span<const double> z, const std::vector<std::vector<int>>& readout_groups, int label);

// The energy of a compiled program (observables = readout.observables, no inputs, batch 1) and its
// gradient (n_trainable entries) by adjoint differentiation through the readout.
double energy_and_grad(const sim::BatchProgram& program, std::span<const double> weights, const EnergyReadout& readout,
                       std::span<double> grad, const sim::BatchOptions& opts = {});

// One VQE step: the energy of the program's readout (no inputs, batch 1) and its gradient by
// adjoint, then Adam on `active` at `lr`. `grad` has n_trainable entries. Returns the energy
// before the update.
double energy_step(const sim::BatchProgram& program, std::span<const int> active, const EnergyReadout& readout,
                   std::span<double> weights, AdamState& adam, double lr, const AdamOptions& adam_options,
                   std::span<double> grad, const sim::BatchOptions& opts = {});

// The energy of a compiled program whose observables are readout.observables (no inputs).
double evaluate_energy(const sim::BatchProgram& program, std::span<const double> weights, const EnergyReadout& readout,
                       const sim::BatchOptions& opts = {});

// U(−π, π) initial weights (TorchQuantum's reset_params) from the seed's Init stream.
std::vector<double> initial_weights(int n_weights, std::uint64_t seed);

// One group per qubit when `groups` is empty; otherwise checks every qubit index is < n_qubits.
std::vector<std::vector<int>> resolve_readout_groups(std::vector<std::vector<int>> groups, int n_qubits);

}  // namespace qnas::supercircuit
