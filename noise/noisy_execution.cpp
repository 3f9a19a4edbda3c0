#include "noise/noisy_execution.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <span>

#include "noise/idle.h"
#include "sim/channels.h"
#include "sim/density_matrix.h"
#include "sim/error.h"
#include "sim/random.h"
#include "sim/statevector.h"

namespace qnas::noise {

namespace {

constexpr int kMaxDensityQubits = 14;  // 4^14 complex entries = 4 GiB
constexpr int kMaxStateQubits = 24;    // 2^24 amplitudes = 256 MiB per trajectory in flight
constexpr int kMaxClbits = 24;
// Trajectories are accumulated in fixed blocks (independent of the thread count) whose partial
// sums are merged in block order: the result is bit-identical at any thread count.
constexpr std::size_t kTrajectoryBlock = 16;
constexpr std::size_t kAccumulatorBudget = std::size_t{512} << 20;  // bytes of block accumulators per wave
// Domain separators so the shot and trajectory streams of one seed never share random words.
constexpr std::uint64_t kShotStream = 0x73686f7473000001ULL;
constexpr std::uint64_t kTrajectoryStream = 0x7472616a65637401ULL;
constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;

// The k-th uniform of a counter-based stream (SplitMix64 sequence starting at `key`).
double uniform(std::uint64_t key, std::uint64_t k) { return sim::unit_double(sim::mix64(key + k * kGamma)); }
std::uint64_t stream_key(std::uint64_t seed, std::uint64_t domain, std::uint64_t index) {
    return sim::mix64(sim::mix64(seed ^ domain) + index);
}

// The circuit restricted to the physical qubits it touches, with everything the methods share.
struct Prepared {
    sim::Circuit local;                        // touched qubits relabelled 0..k-1 (ascending physical)
    std::vector<int> touched;                  // local → physical
    std::vector<const GateNoise*> noise;       // per op of `local`; nullptr = no error
    std::vector<sim::Matrix> with_idle;        // per op: gate error then idle relaxation; empty = none
    std::vector<std::size_t> clbit_mask;       // per local qubit: the clbits that read it
    std::vector<const ReadoutError*> readout;  // per clbit; nullptr when never measured
    int n_clbits = 0;

    // The channel after op i's ideal gate, or nullptr for none.
    const sim::Matrix* error(std::size_t i) const {
        if (with_idle[i].size() > 0) return &with_idle[i];
        return noise[i] ? &noise[i]->superop : nullptr;
    }
};

std::string op_name(const sim::Circuit& c, std::size_t i) {
    std::string s = "op ";
    s.append(std::to_string(i)).append(" (").append(sim::gate_info(c.ops[i].kind).name).append(")");
    return s;
}

Prepared prepare(const sim::Circuit& c, const NoiseModel& model) {
    if (c.n_qubits > model.n_qubits())
        throw Error("execute: the circuit has " + std::to_string(c.n_qubits) + " qubits, the device " +
                    std::to_string(model.n_qubits()));
    sim::validate(c);
    if (c.n_clbits > kMaxClbits)
        throw Error("execute: the circuit has " + std::to_string(c.n_clbits) + " clbits; at most " +
                    std::to_string(kMaxClbits) + " are supported (the result has 2^n_clbits entries)");
    for (std::size_t i = 0; i < c.ops.size(); ++i) {
        const auto& g = sim::gate_info(c.ops[i].kind);
        for (int j = 0; j < g.n_params; ++j)
            if (c.ops[i].params[static_cast<std::size_t>(j)].source != sim::Param::Source::Const)
                throw Error("execute: " + op_name(c, i) + " has a non-constant angle; bind the circuit first");
    }
    const auto nq = static_cast<std::size_t>(c.n_qubits);
    std::vector<char> used(nq, 0), measured(nq, 0), written(static_cast<std::size_t>(c.n_clbits), 0);
    for (const sim::Op& op : c.ops)
        for (int a = 0; a < sim::gate_info(op.kind).n_qubits; ++a)
            used[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])] = 1;
    for (const sim::Measure& m : c.measures) {
        if (measured[static_cast<std::size_t>(m.qubit)])
            throw Error("execute: qubit " + std::to_string(m.qubit) +
                        " is measured twice (mid-circuit measurement is not supported)");
        if (written[static_cast<std::size_t>(m.clbit)])
            throw Error("execute: clbit " + std::to_string(m.clbit) + " is written by two measures");
        measured[static_cast<std::size_t>(m.qubit)] = 1;
        written[static_cast<std::size_t>(m.clbit)] = 1;
        used[static_cast<std::size_t>(m.qubit)] = 1;
    }

    Prepared p;
    p.n_clbits = c.n_clbits;
    std::vector<int> to_local(nq, -1);
    for (int q = 0; q < c.n_qubits; ++q)
        if (used[static_cast<std::size_t>(q)]) {
            to_local[static_cast<std::size_t>(q)] = static_cast<int>(p.touched.size());
            p.touched.push_back(q);
        }
    p.local = sim::Circuit(static_cast<int>(p.touched.size()));
    p.local.ops.reserve(c.ops.size());
    p.noise.reserve(c.ops.size());
    for (const sim::Op& op : c.ops) {
        const int arity = sim::gate_info(op.kind).n_qubits;
        sim::Op l = op;
        for (int a = 0; a < arity; ++a)
            l.qubits[static_cast<std::size_t>(a)] =
                to_local[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])];
        p.local.ops.push_back(l);
        // Errors are calibrated on the original physical qubits, in the op's operand order.
        p.noise.push_back(model.find(op.kind, std::span<const int>(op.qubits.data(), static_cast<std::size_t>(arity))));
    }
    p.with_idle.resize(c.ops.size());
    if (model.options().idle) {
        const IdleSchedule sched = alap_schedule(c, model);
        for (std::size_t i = 0; i < c.ops.size(); ++i) {
            const auto idle = idle_superop(c.ops[i], sched.idle_after[i], model);
            if (!idle) continue;
            p.with_idle[i] = p.noise[i] ? sim::Matrix(*idle * p.noise[i]->superop) : *idle;
        }
    }
    p.clbit_mask.assign(p.touched.size(), 0);
    p.readout.assign(static_cast<std::size_t>(c.n_clbits), nullptr);
    for (const sim::Measure& m : c.measures) {
        p.clbit_mask[static_cast<std::size_t>(to_local[static_cast<std::size_t>(m.qubit)])] |= std::size_t{1}
                                                                                               << m.clbit;
        p.readout[static_cast<std::size_t>(m.clbit)] = &model.readout(m.qubit);
    }
    return p;
}

// Distribution over the touched qubits → distribution over the classical register.
std::vector<double> to_clbits(std::span<const double> local, const Prepared& p) {
    std::vector<double> out(std::size_t{1} << p.n_clbits, 0.0);
    for (std::size_t i = 0; i < local.size(); ++i) {
        std::size_t m = 0;
        for (std::size_t q = 0; q < p.clbit_mask.size(); ++q)
            if ((i >> q) & 1U) m |= p.clbit_mask[q];
        out[m] += local[i];
    }
    return out;
}

// Each measured clbit's confusion matrix (rows prepared, columns reported) on its own bit: the
// tensor product of the per-clbit matrices, one O(2^n) pass per clbit.
void apply_readout(std::vector<double>& probs, const Prepared& p) {
    for (int c = 0; c < p.n_clbits; ++c) {
        const ReadoutError* r = p.readout[static_cast<std::size_t>(c)];
        if (r == nullptr || r->is_ideal()) continue;
        const Eigen::Matrix2d m = r->matrix();
        const std::size_t stride = std::size_t{1} << c;
        for (std::size_t base = 0; base < probs.size(); base += 2 * stride)
            for (std::size_t i0 = base; i0 < base + stride; ++i0) {
                const double a = probs[i0], b = probs[i0 + stride];
                probs[i0] = a * m(0, 0) + b * m(1, 0);
                probs[i0 + stride] = a * m(0, 1) + b * m(1, 1);
            }
    }
}

// `shots` draws from `probs` (negative rounding noise counts as 0), tallied per entry.
std::vector<std::uint64_t> sample_counts(std::span<const double> probs, int shots, std::uint64_t seed) {
    std::vector<double> cdf(probs.size());
    double acc = 0.0;
    for (std::size_t i = 0; i < probs.size(); ++i) cdf[i] = (acc += std::max(probs[i], 0.0));
    QNAS_CHECK(acc > 0.0, "execute: cannot sample an all-zero distribution");
    std::vector<std::uint64_t> counts(probs.size(), 0);
    const std::uint64_t key = stream_key(seed, kShotStream, 0);
    for (int s = 0; s < shots; ++s) {
        const double u = uniform(key, static_cast<std::uint64_t>(s)) * acc;
        auto idx = static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
        if (idx >= probs.size()) idx = probs.size() - 1;
        ++counts[idx];
    }
    return counts;
}

// The groups of 2^a amplitudes an a-qubit operator mixes: group g's base index has zeros at the
// op's qubits (g's bits spread around them), member l sits at base | offset[l] (bit b of l ↔
// qubits[b], the gate-matrix convention).
struct Groups {
    int a = 0;
    std::array<int, sim::kMaxGateQubits> sorted{};
    std::array<std::size_t, std::size_t{1} << sim::kMaxGateQubits> offset{};

    explicit Groups(std::span<const int> qubits) : a(static_cast<int>(qubits.size())) {
        std::copy(qubits.begin(), qubits.end(), sorted.begin());
        std::sort(sorted.begin(), sorted.begin() + a);
        for (std::size_t l = 0; l < (std::size_t{1} << a); ++l)
            for (std::size_t b = 0; b < qubits.size(); ++b)
                if ((l >> b) & 1U) offset[l] |= std::size_t{1} << qubits[b];
    }
    std::size_t base(std::size_t g) const {
        for (int i = 0; i < a; ++i) {  // ascending, so each insertion position is final
            const auto s = static_cast<unsigned>(sorted[static_cast<std::size_t>(i)]);
            g = ((g >> s) << (s + 1)) | (g & ((std::size_t{1} << s) - 1));
        }
        return g;
    }
};

// ψ ← scale · M ψ on the group's qubits, M row-major D × D.
template <std::size_t D>
void apply_groups(sim::State& psi, const Groups& gr, const std::vector<sim::cplx>& m, double scale) {
    const std::size_t n_groups = psi.size() / D;
    std::array<sim::cplx, D> v;
    for (std::size_t g = 0; g < n_groups; ++g) {
        const std::size_t b = gr.base(g);
        for (std::size_t l = 0; l < D; ++l) v[l] = psi[b | gr.offset[l]];
        for (std::size_t r = 0; r < D; ++r) {
            sim::cplx acc{0.0, 0.0};
            for (std::size_t c = 0; c < D; ++c) acc += m[r * D + c] * v[c];
            psi[b | gr.offset[r]] = acc * scale;
        }
    }
}

// ρ_Q(r, c) = Σ_rest ψ(rest, r)·conj(ψ(rest, c)) over the group's qubits, row-major D × D.
template <std::size_t D>
std::array<sim::cplx, D * D> reduced_density(const sim::State& psi, const Groups& gr) {
    std::array<sim::cplx, D * D> rho{};
    const std::size_t n_groups = psi.size() / D;
    std::array<sim::cplx, D> v;
    for (std::size_t g = 0; g < n_groups; ++g) {
        const std::size_t b = gr.base(g);
        for (std::size_t l = 0; l < D; ++l) v[l] = psi[b | gr.offset[l]];
        for (std::size_t r = 0; r < D; ++r)
            for (std::size_t c = 0; c < D; ++c) rho[r * D + c] += v[r] * std::conj(v[c]);
    }
    return rho;
}

std::vector<sim::cplx> row_major(const sim::Matrix& m) {
    std::vector<sim::cplx> out(static_cast<std::size_t>(m.size()));
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c) out[static_cast<std::size_t>(r * m.cols() + c)] = m(r, c);
    return out;
}

// One op of a trajectory: the ideal gate U, or for a noisy gate the Kraus branches A_j = K_j·U of
// "gate, then error" with M_j = A_j†A_j, so that p_j = ‖A_j ψ‖² = Tr(M_j ρ_Q) needs only the
// reduced density matrix ρ_Q of the op's qubits (one pass), then one pass applies the branch.
struct TrajectoryOp {
    Groups groups;
    std::vector<sim::cplx> u;                  // row-major
    std::vector<std::vector<sim::cplx>> a, m;  // row-major, per Kraus branch
};

std::vector<TrajectoryOp> trajectory_ops(const Prepared& p) {
    std::map<const sim::Matrix*, sim::KrausSet> kraus;  // each used error decomposed once
    std::vector<TrajectoryOp> out;
    out.reserve(p.local.ops.size());
    for (std::size_t i = 0; i < p.local.ops.size(); ++i) {
        const sim::Op& op = p.local.ops[i];
        const auto& g = sim::gate_info(op.kind);
        const sim::Matrix u = g.matrix(sim::resolve_angles(op, {}, {}));
        TrajectoryOp t{
            Groups(std::span<const int>(op.qubits.data(), static_cast<std::size_t>(g.n_qubits))), row_major(u), {}, {}};
        if (const sim::Matrix* e = p.error(i)) {
            auto it = kraus.find(e);
            if (it == kraus.end()) it = kraus.emplace(e, sim::kraus_from_superop(*e)).first;
            for (const sim::Matrix& k : it->second) {
                const sim::Matrix a = k * u;
                t.a.push_back(row_major(a));
                t.m.push_back(row_major(a.adjoint() * a));
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

template <std::size_t D>
void trajectory_step(sim::State& psi, const TrajectoryOp& op, std::uint64_t key, std::uint64_t& draw) {
    if (op.a.empty()) {
        apply_groups<D>(psi, op.groups, op.u, 1.0);
        return;
    }
    const auto rho = reduced_density<D>(psi, op.groups);
    const double r = uniform(key, draw++);
    double acc = 0.0, chosen_p = 0.0;
    std::size_t chosen = op.a.size();
    for (std::size_t j = 0; j < op.a.size(); ++j) {
        double pj = 0.0;  // Re Tr(M_j ρ) = Re Σ_rc M_j(r, c)·ρ(c, r)
        for (std::size_t x = 0; x < D; ++x)
            for (std::size_t y = 0; y < D; ++y) pj += (op.m[j][x * D + y] * rho[y * D + x]).real();
        if (pj <= 0.0) continue;
        chosen = j;
        chosen_p = pj;
        acc += pj;
        if (acc > r) break;
    }
    QNAS_CHECK(chosen < op.a.size(), "execute: a trajectory lost its norm");
    apply_groups<D>(psi, op.groups, op.a[chosen], 1.0 / std::sqrt(chosen_p));
}

// One trajectory's exact distribution over the touched qubits: every noisy gate draws one Kraus
// branch with its Born probability (Aer's apply_kraus: r uniform, the first branch whose running
// sum exceeds r; the last branch with non-zero weight takes the remainder).
std::vector<double> run_trajectory(const std::vector<TrajectoryOp>& ops, int n_qubits, std::uint64_t key) {
    sim::State psi = sim::zero_state(n_qubits);
    std::uint64_t draw = 0;
    for (const TrajectoryOp& op : ops) {
        switch (op.groups.a) {
            case 1: trajectory_step<2>(psi, op, key, draw); break;
            case 2: trajectory_step<4>(psi, op, key, draw); break;
            default: trajectory_step<8>(psi, op, key, draw); break;
        }
    }
    std::vector<double> probs = sim::probabilities(psi);
    double total = 0.0;
    for (double v : probs) total += v;
    for (double& v : probs) v /= total;  // removes the renormalisation drift of many branches
    return probs;
}

// Running mean and sum of squared deviations (Welford; blocks merged with Chan's formula).
struct Moments {
    double n = 0;
    std::vector<double> mean, m2;
    explicit Moments(std::size_t size = 0) : mean(size, 0.0), m2(size, 0.0) {}
    void add(const std::vector<double>& x) {
        n += 1;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double d = x[i] - mean[i];
            mean[i] += d / n;
            m2[i] += d * (x[i] - mean[i]);
        }
    }
    void merge(const Moments& b) {
        if (b.n == 0) return;
        const double total = n + b.n;
        for (std::size_t i = 0; i < mean.size(); ++i) {
            const double d = b.mean[i] - mean[i];
            mean[i] += d * b.n / total;
            m2[i] += b.m2[i] + d * d * n * b.n / total;
        }
        n = total;
    }
};

ExecutionResult run_trajectories(const Prepared& p, const ExecutionOptions& o) {
    const std::vector<TrajectoryOp> ops = trajectory_ops(p);
    const auto n_traj = static_cast<std::size_t>(o.trajectories);
    const std::size_t n_blocks = (n_traj + kTrajectoryBlock - 1) / kTrajectoryBlock;
    const std::size_t size = std::size_t{1} << p.n_clbits;
    const std::uint64_t base_key = o.seed;
    // Blocks run in waves so that memory stays at a few accumulators per thread (fewer when the
    // register is wide: 24 clbits make one accumulator 256 MiB); the wave size only bounds
    // memory, the merge order is always block order.
    const std::size_t per_block = 2 * size * sizeof(double);
    const std::size_t wave = std::clamp<std::size_t>(
        kAccumulatorBudget / per_block, 1, static_cast<std::size_t>(std::max(1, thread_count(o.parallelism))) * 4);
    Moments total(size);
    for (std::size_t first = 0; first < n_blocks; first += wave) {
        const std::size_t count = std::min(wave, n_blocks - first);
        std::vector<Moments> blocks(count, Moments(size));
        parallel_for(count, o.parallelism, [&](std::size_t b) {
            const std::size_t begin = (first + b) * kTrajectoryBlock;
            const std::size_t end = std::min(n_traj, begin + kTrajectoryBlock);
            for (std::size_t t = begin; t < end; ++t) {
                std::vector<double> probs =
                    to_clbits(run_trajectory(ops, p.local.n_qubits, stream_key(base_key, kTrajectoryStream, t)), p);
                if (o.readout) apply_readout(probs, p);
                blocks[b].add(probs);
            }
        });
        for (const Moments& b : blocks) total.merge(b);
    }
    ExecutionResult res;
    res.probabilities = std::move(total.mean);
    res.std_error.assign(size, 0.0);
    if (n_traj > 1) {
        const double n = static_cast<double>(n_traj);
        for (std::size_t i = 0; i < size; ++i) res.std_error[i] = std::sqrt(std::max(total.m2[i], 0.0) / (n - 1) / n);
    }
    return res;
}

}  // namespace

NoiseMethod parse_noise_method(const std::string& name) {
    if (name == "none") return NoiseMethod::None;
    if (name == "exact") return NoiseMethod::Exact;
    if (name == "shots") return NoiseMethod::Shots;
    if (name == "trajectories") return NoiseMethod::Trajectories;
    throw Error("noise method must be one of none, exact, shots, trajectories (got '" + name + "')");
}

std::string to_string(NoiseMethod m) {
    switch (m) {
        case NoiseMethod::None: return "none";
        case NoiseMethod::Exact: return "exact";
        case NoiseMethod::Shots: return "shots";
        case NoiseMethod::Trajectories: return "trajectories";
    }
    return "?";
}

ExecutionResult execute(const sim::Circuit& physical, const NoiseModel& model, const ExecutionOptions& options) {
    const Prepared p = prepare(physical, model);
    const int k = p.local.n_qubits;
    const bool density = options.method == NoiseMethod::Exact || options.method == NoiseMethod::Shots;
    const int cap = density ? kMaxDensityQubits : kMaxStateQubits;
    if (k > cap)
        throw Error("execute: the circuit touches " + std::to_string(k) + " physical qubits; " +
                    to_string(options.method) + " supports at most " + std::to_string(cap) +
                    (density ? " (a density matrix; use trajectories)" : " (a state vector)"));
    const bool sampling =
        options.method == NoiseMethod::Shots || (options.method == NoiseMethod::Trajectories && options.sample_shots);
    if (sampling && options.shots < 1)
        throw Error("execute: shots must be at least 1 (got " + std::to_string(options.shots) + ")");
    if (options.method == NoiseMethod::Trajectories && options.trajectories < 1)
        throw Error("execute: trajectories must be at least 1 (got " + std::to_string(options.trajectories) + ")");

    ExecutionResult res;
    res.n_simulated_qubits = k;
    switch (options.method) {
        case NoiseMethod::None: res.probabilities = to_clbits(sim::probabilities(sim::simulate(p.local)), p); break;
        case NoiseMethod::Exact:
        case NoiseMethod::Shots: {
            const sim::OpErrorFn error = [&p](const sim::Op&, std::size_t i) -> const sim::Matrix* {
                return p.error(i);
            };
            const sim::DensityMatrix rho = sim::simulate_noisy_density(p.local, {}, {}, error, options.parallelism);
            res.probabilities = to_clbits(sim::probabilities(rho), p);
            if (options.readout) apply_readout(res.probabilities, p);
            break;
        }
        case NoiseMethod::Trajectories:
            res = run_trajectories(p, options);
            res.n_simulated_qubits = k;
            break;
    }
    if (sampling) {
        res.counts = sample_counts(res.probabilities, options.shots, options.seed);
        if (options.method == NoiseMethod::Shots)
            for (std::size_t i = 0; i < res.counts.size(); ++i)
                res.probabilities[i] = static_cast<double>(res.counts[i]) / options.shots;
    }
    return res;
}

std::vector<double> z_expectations(const std::vector<double>& probabilities, int n_clbits) {
    if (n_clbits < 0 || n_clbits > kMaxClbits || probabilities.size() != (std::size_t{1} << n_clbits))
        throw Error("z_expectations: expected 2^" + std::to_string(n_clbits) + " probabilities, got " +
                    std::to_string(probabilities.size()));
    std::vector<double> z(static_cast<std::size_t>(n_clbits), 0.0);
    for (std::size_t m = 0; m < probabilities.size(); ++m)
        for (int c = 0; c < n_clbits; ++c)
            z[static_cast<std::size_t>(c)] += ((m >> c) & 1U) ? -probabilities[m] : probabilities[m];
    return z;
}

}  // namespace qnas::noise
