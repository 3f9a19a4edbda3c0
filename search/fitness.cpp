#include "search/fitness.h"

#include <algorithm>
#include <set>

#include "noise/layout.h"
#include "noise/noisy_batch.h"
#include "noise/optimize.h"
#include "sim/batch_simulator.h"
#include "sim/error.h"
#include "sim/random.h"
#include "supercircuit/trainer.h"

namespace qnas::search {

namespace {

// Domain separator of the per-sample trajectory seeds (see sample_seed).
constexpr std::uint64_t kTrajectoryDomain = 0x7f4a7c15f17e55ULL;

// The seed of sample s's trajectories: a pure function of (seed, s), so any thread may run any sample.
std::uint64_t sample_seed(std::uint64_t seed, std::size_t s) {
    return sim::mix64(sim::mix64(seed ^ kTrajectoryDomain) + static_cast<std::uint64_t>(s));
}

int arity(const sim::Op& op) { return sim::gate_info(op.kind).n_qubits; }

bool reads_input(const sim::Op& op) {
    for (int j = 0; j < sim::gate_info(op.kind).n_params; ++j)
        if (op.params[static_cast<std::size_t>(j)].source == sim::Param::Source::Input) return true;
    return false;
}

// Gates of a compiled circuit after the per-qubit prefixes (the 1-qubit gates before a qubit's first
// multi-qubit gate, where the encoder lands), as noisy_batch.h splits it.
int body_gates(const sim::Circuit& c) {
    std::vector<char> entangled(static_cast<std::size_t>(c.n_qubits), 0);
    int n = 0;
    for (const auto& op : c.ops) {
        const int a = arity(op);
        if (a == 1 && !entangled[static_cast<std::size_t>(op.qubits[0])]) continue;
        for (int j = 0; j < a; ++j) entangled[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(j)])] = 1;
        ++n;
    }
    return n;
}

void fill_compiled(CandidateMetrics& m, const noise::CompiledCircuit& cc, const noise::Device& device) {
    m.compiled_gates = body_gates(cc.circuit);
    m.compiled_depth = noise::depth(cc.circuit);
    m.compiled_two_qubit = noise::two_qubit_count(cc.circuit);
    m.n_swaps = cc.n_swaps;
    m.success_rate = noise::success_rate(device, cc.circuit);
    m.layout = cc.initial_layout;
}

void check_data(const sim::Circuit& logical, const supercircuit::Dataset& data, std::size_t n_groups) {
    if (data.size() == 0) return;
    if (data.n_features != logical.n_inputs)
        throw Error("fitness: the dataset has " + std::to_string(data.n_features) + " features, the circuit reads " +
                    std::to_string(logical.n_inputs));
    if (data.x.size() != data.size() * static_cast<std::size_t>(data.n_features))
        throw Error("fitness: dataset feature matrix size does not match its labels");
    for (const int y : data.y)
        if (y < 0 || static_cast<std::size_t>(y) >= n_groups)
            throw Error("fitness: dataset label " + std::to_string(y) + " but only " + std::to_string(n_groups) +
                        " readout groups");
}

void check_layout(std::span<const int> layout, int n_logical, const noise::Device& device) {
    if (device.n_qubits < n_logical)
        throw Error("fitness: device " + device.name + " has " + std::to_string(device.n_qubits) +
                    " qubits, the circuit needs " + std::to_string(n_logical));
    noise::validate_layout(layout, n_logical, device, noise::coupling_graph(device));
}

// Mean loss and accuracy of row-major ⟨Z_q⟩ values (n_samples × n_obs), summed in sample order.
void readout_metrics(std::span<const double> z, std::size_t n_obs, const supercircuit::Dataset& data,
                     const std::vector<std::vector<int>>& groups, CandidateMetrics& m) {
    const std::size_t n = data.size();
    if (n == 0) return;
    double loss = 0.0;
    std::size_t correct = 0;
    for (std::size_t s = 0; s < n; ++s) {
        const auto r = supercircuit::readout_sample(z.subspan(s * n_obs, n_obs), groups, data.y[s]);
        loss += r.nll;
        correct += r.correct ? 1 : 0;
    }
    m.loss = loss / static_cast<double>(n);
    m.accuracy = static_cast<double>(correct) / static_cast<double>(n);
}

}  // namespace

ScoreKind parse_score_kind(const std::string& name) {
    if (name == "loss") return ScoreKind::Loss;
    if (name == "loss_succ") return ScoreKind::LossSucc;
    if (name == "acc_succ") return ScoreKind::AccSucc;
    throw Error("score: unknown kind \"" + name + "\" (expected loss, loss_succ or acc_succ)");
}

std::string to_string(ScoreKind k) {
    switch (k) {
        case ScoreKind::Loss: return "loss";
        case ScoreKind::LossSucc: return "loss_succ";
        case ScoreKind::AccSucc: return "acc_succ";
    }
    return "loss";
}

nlohmann::json to_json(const CandidateMetrics& m) {
    return {{"score", m.score},
            {"loss", m.loss},
            {"accuracy", m.accuracy},
            {"success_rate", m.success_rate},
            {"n_params", m.n_params},
            {"n_gates", m.n_gates},
            {"compiled_gates", m.compiled_gates},
            {"compiled_depth", m.compiled_depth},
            {"compiled_two_qubit", m.compiled_two_qubit},
            {"n_swaps", m.n_swaps},
            {"layout", m.layout}};
}

sim::Circuit candidate_circuit(const supercircuit::DesignSpace& space, const supercircuit::Encoder& encoder,
                               std::span<const int> arch) {
    return supercircuit::prepend_encoder(encoder, supercircuit::build_subcircuit(space, arch));
}

CandidateMetrics score_candidate(const ScoringContext& ctx, std::span<const int> arch, std::span<const double> weights,
                                 std::span<const int> layout, const FitnessOptions& options) {
    const int n_w = supercircuit::n_weights(ctx.space);
    if (weights.size() != static_cast<std::size_t>(n_w))
        throw Error("fitness: " + std::to_string(weights.size()) + " weights, design space " + ctx.space.name +
                    " has " + std::to_string(n_w));
    const sim::Circuit logical = candidate_circuit(ctx.space, ctx.encoder, arch);
    CandidateMetrics m =
        score_circuit(logical, weights, ctx.data, ctx.readout_groups, ctx.device, ctx.model, layout, options);
    m.n_params = supercircuit::count_params(ctx.space, arch);
    return m;
}

CandidateMetrics score_circuit(const sim::Circuit& logical, std::span<const double> theta,
                               const supercircuit::Dataset& data, const std::vector<std::vector<int>>& readout_groups,
                               const noise::Device& device, const noise::NoiseModel& model, std::span<const int> layout,
                               const FitnessOptions& options) {
    sim::validate(logical);
    if (theta.size() < static_cast<std::size_t>(logical.n_trainable))
        throw Error("fitness: " + std::to_string(theta.size()) + " trainable angles given, the circuit needs " +
                    std::to_string(logical.n_trainable));
    if (!logical.measures.empty())
        throw Error("fitness: the circuit has measures; the readout measures every logical qubit itself");
    const auto groups = supercircuit::resolve_readout_groups(readout_groups, logical.n_qubits);
    check_data(logical, data, groups.size());
    const bool has_device = device.n_qubits > 0;
    const noise::NoiseMethod method = options.method;
    if (method != noise::NoiseMethod::None && !has_device)
        throw Error("fitness: method " + noise::to_string(method) + " needs a device");
    if (method == noise::NoiseMethod::Shots && options.shots < 1) throw Error("fitness: shots must be at least 1");
    if (method == noise::NoiseMethod::Trajectories && options.trajectories < 1)
        throw Error("fitness: trajectories must be at least 1");
    if (has_device) check_layout(layout, logical.n_qubits, device);

    CandidateMetrics m;
    {
        std::set<int> used;
        for (const auto& op : logical.ops) {
            if (!reads_input(op)) ++m.n_gates;
            for (const auto& p : op.params)
                if (p.source == sim::Param::Source::Trainable) used.insert(p.index);
        }
        m.n_params = static_cast<int>(used.size());
    }
    noise::CompileOptions co = options.compile;
    co.layout = std::vector<int>(layout.begin(), layout.end());
    co.measure_all = true;  // logical qubit l → clbit l, the readout below relies on it
    const std::size_t n = data.size();
    const auto n_q = static_cast<std::size_t>(logical.n_qubits);
    // The compiled candidate with generic encoder angles: what noisy_batch.h's prepare compiles.
    auto compile_reference = [&] {
        return noise::compile(sim::bind(logical, theta, noise::generic_inputs(logical.n_inputs)), device, co);
    };

    switch (method) {
        case noise::NoiseMethod::None: {
            sim::Circuit padded = logical;
            padded.n_trainable = static_cast<int>(theta.size());
            const sim::BatchProgram program = sim::BatchProgram::compile(padded);
            const sim::BatchOptions bopts{options.parallelism.n_threads, nullptr, sim::SimdVariant::Auto};
            const supercircuit::EvalResult r = supercircuit::evaluate(program, theta, data, groups, bopts);
            m.loss = r.loss;
            m.accuracy = r.accuracy;
            if (has_device) fill_compiled(m, compile_reference(), device);
            break;
        }
        case noise::NoiseMethod::Exact:
        case noise::NoiseMethod::Shots: {
            noise::NoisyBatchOptions nb;
            nb.compile = co;
            nb.shots = method == noise::NoiseMethod::Shots ? options.shots : 0;
            nb.seed = options.seed;
            const auto program = noise::NoisyBatchProgram::prepare(logical, theta, device, model, nb);
            const std::vector<double> z = program.expectations(data.x, n, options.parallelism);
            readout_metrics(z, static_cast<std::size_t>(program.n_observables()), data, groups, m);
            fill_compiled(m, program.compiled(), device);
            break;
        }
        case noise::NoiseMethod::Trajectories: {
            // Each sample's bound circuit compiled on its own (what the transpiler does per sample;
            // the same circuit noisy_batch.h's circuit_for builds) and run as state-vector
            // trajectories. No 12-qubit limit here: this is the path for wide circuits.
            const auto f = static_cast<std::size_t>(data.n_features);
            std::vector<double> z(n * n_q);
            qnas::parallel_for(n, options.parallelism, [&](std::size_t s) {
                const std::span<const double> x(data.x.data() + s * f, f);
                const noise::CompiledCircuit cc = noise::compile(sim::bind(logical, theta, x), device, co);
                noise::ExecutionOptions eo;
                eo.method = noise::NoiseMethod::Trajectories;
                eo.trajectories = options.trajectories;
                eo.seed = sample_seed(options.seed, s);
                eo.parallelism = qnas::Parallelism{1};
                const noise::ExecutionResult r = noise::execute(cc.circuit, model, eo);
                // compile measures logical qubit l into clbit l.
                const std::vector<double> e = noise::z_expectations(r.probabilities, cc.circuit.n_clbits);
                std::copy_n(e.begin(), n_q, z.begin() + static_cast<std::ptrdiff_t>(s * n_q));
            });
            readout_metrics(z, n_q, data, groups, m);
            fill_compiled(m, compile_reference(), device);
            break;
        }
    }

    switch (options.score) {
        case ScoreKind::Loss: m.score = m.loss; break;
        case ScoreKind::LossSucc: m.score = m.loss / m.success_rate; break;
        case ScoreKind::AccSucc: m.score = -(m.accuracy * m.success_rate); break;
    }
    return m;
}

}  // namespace qnas::search
