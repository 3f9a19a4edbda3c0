// Scoring one candidate of the co-search (quantumnas.md §3 "Fitness"): a SubCircuit of a design
// space with the weights it inherits from a trained SuperCircuit, placed on a device by a layout,
// compiled to the device's basis and coupling (noise/compile.h) and run on the first N samples
// of a dataset under the device's noise model. The candidate's logical circuit is the task's
// encoder followed by the SubCircuit; logits are the summed ⟨Z⟩ of the readout groups and the
// loss is the mean NLL of their log-softmax — the same readout as training (trainer.h).
//
// Methods: noise-free (the batched state-vector simulator; layout and device used only for the
// compiled metrics), exact (noisy_batch.h: exact density-matrix expectations, readout error
// included), shots (the exact noisy distribution sampled per sample, noisy_batch.h's counter-based
// stream keyed by (seed, sample)) and trajectories (each sample's bound circuit compiled on its own
// — the circuit noisy_batch.h's circuit_for builds — and run as options.trajectories Monte-Carlo
// state vectors, noisy_execution.h, seed derived from (seed, sample index); no 12-qubit limit, for
// circuits too wide for exact). Scores (lower is better):
//   loss       the loss under the chosen method (QuantumNAS's `loss_succ` in its `noise` mode,
//              where the success rate is 1);
//   loss_succ  loss ÷ success-rate proxy;
//   acc_succ   −(accuracy × success-rate proxy) (QuantumNAS's `estnoise` mode: noise-free
//              accuracy times the proxy, no noisy simulation).
// The success-rate proxy is noise/noise_model.h success_rate of the compiled circuit.
// QuantumNAS's `estnoise` setup is method None + acc_succ; acc_succ under a noisy method uses the
// noisy accuracy instead (accuracy is always the chosen method's).
//
// Compiled metrics: the candidate bound to its weights and to generic encoder angles
// (noisy_batch.h generic_inputs; the same circuit NoisyBatchProgram::compiled() holds, whatever
// the method) compiled on the device with the candidate's layout. success_rate, compiled_depth and
// compiled_two_qubit count the whole compiled circuit, encoder included (as QuantumNAS's proxy over
// the transpiled circuit; with generic angles each encoded qubit's prefix is rz·sx·rz·sx·rz, i.e.
// two sx); compiled_gates counts only the body after the per-qubit 1-qubit prefixes.
// A Device with n_qubits = 0 means "no device": allowed only with method None (layout ignored).
//
// Everything here is a pure function of its arguments (the seeds included): safe to call from
// many threads at once, identical at any thread count.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "noise/calibration.h"
#include "noise/compile.h"
#include "noise/noise_model.h"
#include "noise/noisy_execution.h"
#include "sim/circuit.h"
#include "sim/parallel.h"
#include "supercircuit/dataset.h"
#include "supercircuit/design_space.h"
#include "supercircuit/encoder.h"

namespace qnas::search {

enum class ScoreKind { Loss, LossSucc, AccSucc };
// "loss", "loss_succ", "acc_succ"; throws qnas::Error naming the accepted values.
ScoreKind parse_score_kind(const std::string& name);
std::string to_string(ScoreKind k);

struct FitnessOptions {
    noise::NoiseMethod method = noise::NoiseMethod::Exact;
    ScoreKind score = ScoreKind::Loss;
    int shots = 8192;         // Shots
    int trajectories = 200;   // Trajectories
    std::uint64_t seed = 42;  // shots / trajectories streams
    // Routing seed, trials and optimisation; its layout is ignored (the candidate's is used).
    noise::CompileOptions compile;
    qnas::Parallelism parallelism{1};  // within one candidate (the search parallelises candidates)
};

// What one candidate scores; every field is filled whatever the score kind (the compiled fields
// from compiling the candidate on the device, see above, except under NoiseMethod::None without a
// device, where they stay 0, success_rate 1 and layout empty).
struct CandidateMetrics {
    double score = 0.0;
    double loss = 0.0;      // under the chosen method
    double accuracy = 0.0;  // under the chosen method
    double success_rate = 1.0;
    int n_params = 0;        // trainable angles of the SubCircuit
    int n_gates = 0;         // gates of the logical SubCircuit (no encoder)
    int compiled_gates = 0;  // gates of the compiled body (encoder prefixes excluded)
    int compiled_depth = 0;
    int compiled_two_qubit = 0;
    int n_swaps = 0;
    std::vector<int> layout;  // initial layout used (logical → physical)
};
nlohmann::json to_json(const CandidateMetrics& m);

// What every candidate of one search shares (read-only while scoring).
struct ScoringContext {
    supercircuit::DesignSpace space;
    supercircuit::Encoder encoder;
    std::vector<std::vector<int>> readout_groups;  // resolved (one group per class)
    supercircuit::Dataset data;                    // the samples scored (e.g. the first 500 of valid)
    noise::Device device;
    noise::NoiseModel model;
};

// The candidate's logical circuit: encoder then SubCircuit (trainable indices into the shared
// weight vector of the space, as build_subcircuit).
sim::Circuit candidate_circuit(const supercircuit::DesignSpace& space, const supercircuit::Encoder& encoder,
                               std::span<const int> arch);

// Scores SubCircuit `arch` with the shared weights `weights` (size n_weights(space)) on `layout`
// (size space.n_qubits, distinct physical qubits of one connected part of the device; qnas::Error
// naming the layout or the device otherwise — also under None when a device is given). Throws
// qnas::Error when weights do not have n_weights(space) entries, the data do not match the encoder
// (features) or the readout groups (labels). Score = options.score of the result.
CandidateMetrics score_candidate(const ScoringContext& ctx, std::span<const int> arch, std::span<const double> weights,
                                 std::span<const int> layout, const FitnessOptions& options);

// The same for any logical circuit holding its encoder (human designs, random baselines, the
// retrained or pruned winner): `theta` are its trainable angles. n_params counts its trainable
// angles in use; n_gates its gates that read no input. The circuit must have no measures (every
// logical qubit l is measured into clbit l) and at least n_trainable angles in theta.
CandidateMetrics score_circuit(const sim::Circuit& logical, std::span<const double> theta,
                               const supercircuit::Dataset& data, const std::vector<std::vector<int>>& readout_groups,
                               const noise::Device& device, const noise::NoiseModel& model, std::span<const int> layout,
                               const FitnessOptions& options);

}  // namespace qnas::search
