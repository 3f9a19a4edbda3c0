#include "sim/batch_simulator.h"

#include <algorithm>
#include <string>

#include "sim/batch_engine.h"
#include "sim/error.h"
#include "sim/parallel.h"
#include "sim/random.h"

namespace qnas::sim {

namespace {

constexpr int L = batch::kLanes;
constexpr int kMaxBatchQubits = 24;

bool reads(const std::array<Param, kMaxGateParams>& params, int n, Param::Source src) {
    for (int j = 0; j < n; ++j)
        if (params[static_cast<std::size_t>(j)].source == src) return true;
    return false;
}

}  // namespace

BatchProgram BatchProgram::compile(const Circuit& c, std::vector<PauliTerm> observables) {
    validate(c);
    if (c.n_qubits < 1 || c.n_qubits > kMaxBatchQubits)
        throw Error("batch simulator: " + std::to_string(c.n_qubits) + " qubits outside 1.." +
                    std::to_string(kMaxBatchQubits));
    BatchProgram p;
    p.n_qubits_ = c.n_qubits;
    p.n_trainable_ = c.n_trainable;
    p.n_inputs_ = c.n_inputs;
    if (observables.empty())
        for (int q = 0; q < c.n_qubits; ++q) observables.push_back(PauliTerm::z_on(q));
    const std::uint64_t reg = c.n_qubits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << c.n_qubits) - 1;
    for (const PauliTerm& t : observables)
        if ((t.x | t.z) & ~reg)
            throw Error("batch simulator: observable " + t.label(64) + " acts outside the " +
                        std::to_string(c.n_qubits) + "-qubit register");
    p.observables_ = std::move(observables);

    std::vector<bool> touched(static_cast<std::size_t>(c.n_qubits), false);
    for (const Op& op : c.ops) {
        const GateInfo& g = gate_info(op.kind);
        if (op.kind == GateKind::I) continue;
        const bool trainable = reads(op.params, g.n_params, Param::Source::Trainable);
        const bool per_sample = reads(op.params, g.n_params, Param::Source::Input);
        if (g.n_qubits == 1 && !trainable && !touched[static_cast<std::size_t>(op.qubits[0])]) {
            PrefixOp po{op.kind, op.qubits[0], op.params, g.n_params, per_sample, 0};
            std::size_t& store = per_sample ? p.lane_doubles_ : p.shared_doubles_;
            po.matrix_offset = store;
            store += 2 * 4 * L;
            p.prefix_.push_back(po);
            continue;
        }
        CompiledOp co;
        co.kind = op.kind;
        co.dim = batch::core_dim(op.kind);
        co.params = op.params;
        co.n_params = g.n_params;
        co.per_sample = per_sample;
        co.trainable = trainable;
        co.diagonal = batch::is_diagonal(op.kind) && co.dim <= 4;
        if (batch::is_controlled(op.kind))
            co.groups = batch::make_group_index(c.n_qubits, &op.qubits[1], 1, &op.qubits[0], 1);
        else
            co.groups = batch::make_group_index(c.n_qubits, op.qubits.data(), g.n_qubits, nullptr, 0);
        const std::size_t dd = static_cast<std::size_t>(co.dim * co.dim);
        std::size_t& store = per_sample ? p.lane_doubles_ : p.shared_doubles_;
        co.matrix_offset = store;
        store += 2 * dd * L;
        if (trainable && !per_sample) {
            co.deriv_offset = p.shared_derivs_;
            p.shared_derivs_ += dd * static_cast<std::size_t>(g.n_params);
        }
        for (int a = 0; a < g.n_qubits; ++a)
            touched[static_cast<std::size_t>(op.qubits[static_cast<std::size_t>(a)])] = true;
        p.ops_.push_back(co);
    }
    p.first_trainable_ = static_cast<int>(p.ops_.size());
    for (std::size_t i = 0; i < p.ops_.size(); ++i)
        if (p.ops_[i].trainable) {
            p.first_trainable_ = static_cast<int>(i);
            break;
        }
    return p;
}

namespace batch {

void check_call(const BatchProgram& p, std::span<const double> theta, std::span<const double> X, std::int64_t batch) {
    if (static_cast<int>(theta.size()) != p.n_trainable())
        throw Error("batch simulator: theta has " + std::to_string(theta.size()) + " values, the circuit expects " +
                    std::to_string(p.n_trainable()));
    if (batch < 0) throw Error("batch simulator: negative batch size");
    if (X.size() != static_cast<std::size_t>(batch) * static_cast<std::size_t>(p.n_inputs()))
        throw Error("batch simulator: X has " + std::to_string(X.size()) + " values, expected batch " +
                    std::to_string(batch) + " × " + std::to_string(p.n_inputs()) + " inputs");
}

namespace {

void broadcast(const cplx* m, int dd, double* out) {
    for (int k = 0; k < dd; ++k)
        for (int l = 0; l < L; ++l) {
            out[k * L + l] = m[k].real();
            out[(dd + k) * L + l] = m[k].imag();
        }
}

}  // namespace

CallContext make_call_context(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                              std::int64_t batch, bool need_derivatives) {
    check_call(p, theta, X, batch);
    CallContext ctx;
    ctx.program = &p;
    ctx.theta = theta;
    ctx.X = X;
    ctx.batch = batch;
    ctx.shared_matrices.assign(p.shared_matrix_doubles(), 0.0);
    cplx m[64];
    double a[kMaxGateParams] = {};
    auto resolve = [&](const std::array<Param, kMaxGateParams>& params, int n) {
        for (int j = 0; j < n; ++j) a[j] = params[static_cast<std::size_t>(j)].resolve(theta, {});
    };
    for (const PrefixOp& op : p.prefix()) {
        if (op.per_sample) continue;
        resolve(op.params, op.n_params);
        core_matrix(op.kind, a, m);
        broadcast(m, 4, ctx.shared_matrices.data() + op.matrix_offset);
    }
    if (need_derivatives) ctx.shared_derivatives.assign(p.shared_derivative_values(), cplx{0.0, 0.0});
    for (const CompiledOp& op : p.ops()) {
        if (op.per_sample) continue;
        resolve(op.params, op.n_params);
        core_matrix(op.kind, a, m);
        const int dd = op.dim * op.dim;
        broadcast(m, dd, ctx.shared_matrices.data() + op.matrix_offset);
        if (need_derivatives && op.trainable)
            for (int j = 0; j < op.n_params; ++j)
                core_derivative(op.kind, a, j,
                                ctx.shared_derivatives.data() + op.deriv_offset + static_cast<std::size_t>(j * dd));
    }
    return ctx;
}

void TileScratch::prepare(const CallContext& ctx, std::int64_t tile) {
    const BatchProgram& p = *ctx.program;
    const std::size_t amps = (std::size_t{1} << p.n_qubits()) * L;
    const auto k = static_cast<std::size_t>(p.n_outputs());
    const auto n_in = static_cast<std::size_t>(p.n_inputs());
    if (psi_re.size() != amps) {
        psi_re.assign(amps, 0.0);
        psi_im.assign(amps, 0.0);
        b_re.assign(amps, 0.0);
        b_im.assign(amps, 0.0);
        r_re.assign(64 * L, 0.0);
        r_im.assign(64 * L, 0.0);
        prod.assign(static_cast<std::size_t>(p.n_qubits()) * 4 * L, 0.0);
        expect.assign(k * L, 0.0);
        dlde.assign(k * L, 0.0);
        lane_matrices.assign(p.lane_matrix_doubles(), 0.0);
        x.assign(n_in * L, 0.0);
    }
    first_sample = tile * L;
    n_valid = static_cast<int>(std::min<std::int64_t>(L, ctx.batch - first_sample));
    std::fill(x.begin(), x.end(), 0.0);
    std::copy_n(ctx.X.data() + static_cast<std::size_t>(first_sample) * n_in, static_cast<std::size_t>(n_valid) * n_in,
                x.begin());
    std::fill(dlde.begin(), dlde.end(), 0.0);
}

void for_each_tile(const CallContext& ctx, const BatchOptions& opts,
                   const std::function<void(std::int64_t tile, TileScratch& scratch)>& body) {
    const std::int64_t n_tiles = ctx.n_tiles();
    if (n_tiles == 0) return;
    // Tiles are grouped into a few contiguous chunks per thread; each chunk allocates its scratch
    // once. Chunking only decides who computes a tile, never how, so results do not depend on it.
    auto run = [&](int n_threads) {
        const Parallelism par{n_threads};
        const std::int64_t n_chunks = std::min<std::int64_t>(n_tiles, n_threads == 1 ? 1 : 4 * thread_count(par));
        parallel_for(static_cast<std::size_t>(n_chunks), par, [&](std::size_t chunk) {
            TileScratch s;
            const auto c = static_cast<std::int64_t>(chunk);
            for (std::int64_t t = n_tiles * c / n_chunks; t < n_tiles * (c + 1) / n_chunks; ++t) {
                s.prepare(ctx, t);
                body(t, s);
            }
        });
    };
    if (opts.arena)
        opts.arena->execute([&] { run(0); });
    else
        run(opts.n_threads);
}

}  // namespace batch

double sample_uniform(std::uint64_t seed, std::uint64_t sample, std::uint64_t shot) {
    const std::uint64_t key = mix64(mix64(seed) ^ (sample * 0xd1342543de82ef95ULL));
    return unit_double(mix64(key ^ mix64(shot)));
}

Eigen::MatrixXd batch_expectations(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                                   std::int64_t batch, const BatchOptions& opts) {
    const batch::CallContext ctx = batch::make_call_context(p, theta, X, batch, false);
    const batch::TileKernels& kern = batch::tile_kernels(opts.simd);
    Eigen::MatrixXd out(batch, p.n_outputs());
    batch::for_each_tile(ctx, opts, [&](std::int64_t, batch::TileScratch& s) {
        kern.forward(ctx, s);
        kern.expectations(ctx, s);
        for (int l = 0; l < s.n_valid; ++l)
            for (int k = 0; k < p.n_outputs(); ++k)
                out(s.first_sample + l, k) = s.expect[static_cast<std::size_t>(k * L + l)];
    });
    return out;
}

Eigen::MatrixXd batch_probabilities(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                                    std::int64_t batch, const BatchOptions& opts) {
    const batch::CallContext ctx = batch::make_call_context(p, theta, X, batch, false);
    const batch::TileKernels& kern = batch::tile_kernels(opts.simd);
    const std::int64_t dim = std::int64_t{1} << p.n_qubits();
    Eigen::MatrixXd out(batch, dim);
    batch::for_each_tile(ctx, opts, [&](std::int64_t, batch::TileScratch& s) {
        kern.forward(ctx, s);
        for (int l = 0; l < s.n_valid; ++l)
            for (std::int64_t i = 0; i < dim; ++i) {
                const double r = s.psi_re[static_cast<std::size_t>(i * L + l)];
                const double m = s.psi_im[static_cast<std::size_t>(i * L + l)];
                out(s.first_sample + l, i) = r * r + m * m;
            }
    });
    return out;
}

std::vector<std::uint64_t> batch_sample(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                                        std::int64_t batch, int shots, std::uint64_t seed, const BatchOptions& opts) {
    if (shots < 0) throw Error("batch simulator: negative shot count");
    const batch::CallContext ctx = batch::make_call_context(p, theta, X, batch, false);
    const batch::TileKernels& kern = batch::tile_kernels(opts.simd);
    const std::size_t dim = std::size_t{1} << p.n_qubits();
    std::vector<std::uint64_t> out(static_cast<std::size_t>(batch) * static_cast<std::size_t>(shots));
    batch::for_each_tile(ctx, opts, [&](std::int64_t, batch::TileScratch& s) {
        kern.forward(ctx, s);
        s.cdf.resize(dim);
        for (int l = 0; l < s.n_valid; ++l) {
            double acc = 0.0;
            for (std::size_t i = 0; i < dim; ++i) {
                const double r = s.psi_re[i * L + static_cast<std::size_t>(l)];
                const double m = s.psi_im[i * L + static_cast<std::size_t>(l)];
                s.cdf[i] = (acc += r * r + m * m);
            }
            const auto sample = static_cast<std::uint64_t>(s.first_sample + l);
            std::uint64_t* row = out.data() + sample * static_cast<std::uint64_t>(shots);
            for (int j = 0; j < shots; ++j) {
                const double u = sample_uniform(seed, sample, static_cast<std::uint64_t>(j)) * acc;
                auto idx = static_cast<std::uint64_t>(std::upper_bound(s.cdf.begin(), s.cdf.end(), u) - s.cdf.begin());
                row[j] = std::min<std::uint64_t>(idx, dim - 1);
            }
        }
    });
    return out;
}

std::vector<std::int64_t> batch_counts(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                                       std::int64_t batch, int shots, std::uint64_t seed, const BatchOptions& opts) {
    const std::vector<std::uint64_t> s = batch_sample(p, theta, X, batch, shots, seed, opts);
    const std::size_t dim = std::size_t{1} << p.n_qubits();
    std::vector<std::int64_t> counts(static_cast<std::size_t>(batch) * dim, 0);
    for (std::int64_t b = 0; b < batch; ++b)
        for (int j = 0; j < shots; ++j)
            ++counts[static_cast<std::size_t>(b) * dim +
                     s[static_cast<std::size_t>(b) * static_cast<std::size_t>(shots) + static_cast<std::size_t>(j)]];
    return counts;
}

}  // namespace qnas::sim
