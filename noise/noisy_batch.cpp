#include "noise/noisy_batch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <string>

#include "sim/density_matrix.h"
#include "sim/error.h"
#include "sim/gates.h"
#include "sim/random.h"

namespace qnas::noise {

using sim::cplx;
using sim::GateKind;
using sim::Matrix;
using sim::Op;

namespace {

constexpr int kMaxQubits = 12;
constexpr std::size_t kChunk = 64;  // samples per task; fixed so rounding never depends on threads

int arity(const Op& op) { return sim::gate_info(op.kind).n_qubits; }

bool uses_input(const Op& op) {
    for (int j = 0; j < sim::gate_info(op.kind).n_params; ++j)
        if (op.params[static_cast<std::size_t>(j)].source == sim::Param::Source::Input) return true;
    return false;
}

std::string op_name(const Op& op) { return std::string(sim::gate_info(op.kind).name); }

// Generic encoder angles for the reference compilation: far from the special values (0, ±π/2, π)
// where the 1-qubit synthesis emits fewer gates, so the body compiled with them is the body of
// every sample.
std::vector<double> generic_inputs(int n) {
    std::vector<double> x(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        x[static_cast<std::size_t>(i)] = 0.37 + 0.9 * sim::unit_double(sim::mix64(0x51ed270b27f1a2c3ULL + i));
    return x;
}

Eigen::Matrix2cd op_matrix2(const Op& op, std::span<const double> theta, std::span<const double> x) {
    const auto a = sim::resolve_angles(op, theta, x);
    const auto& info = sim::gate_info(op.kind);
    return sim::gate_matrix(op.kind, std::span<const double>(a.data(), static_cast<std::size_t>(info.n_params)));
}

// ρ ← S vec(ρ) for a 1-qubit superoperator in channels.h's column-stacking convention.
void apply_superop2(Eigen::Matrix2cd& rho, const Matrix& s) {
    Eigen::Vector4cd v(rho(0, 0), rho(1, 0), rho(0, 1), rho(1, 1));
    const Eigen::Vector4cd w = s * v;
    rho << w(0), w(2), w(1), w(3);
}

// In-place transform of an operator stored in DensityMatrix layout to its Pauli traces Tr(P·O):
// per qubit, the (row bit, column bit) block [[a00, a01], [a10, a11]] becomes I = a00 + a11,
// X = a01 + a10, Y = i(a01 − a10), Z = a00 − a11 (stored at row/col bits 00, 10, 01, 11).
void pauli_traces(std::span<cplx> d, int n) {
    const std::size_t size = d.size();
    for (int q = 0; q < n; ++q) {
        const std::size_t rb = std::size_t{1} << q, cb = std::size_t{1} << (n + q);
        for (std::size_t i = 0; i < size; ++i) {
            if (i & (rb | cb)) continue;
            const cplx a00 = d[i], a10 = d[i | rb], a01 = d[i | cb], a11 = d[i | rb | cb];
            d[i] = a00 + a11;
            d[i | rb] = a01 + a10;
            d[i | cb] = cplx(0, 1) * (a01 - a10);
            d[i | rb | cb] = a00 - a11;
        }
    }
}

}  // namespace

NoisyBatchProgram NoisyBatchProgram::prepare(const sim::Circuit& logical, std::span<const double> theta,
                                             const Device& device, const NoiseModel& model,
                                             const NoisyBatchOptions& options) {
    sim::validate(logical);
    if (theta.size() < static_cast<std::size_t>(logical.n_trainable))
        throw Error("noisy batch: " + std::to_string(theta.size()) + " trainable angles given, the circuit needs " +
                    std::to_string(logical.n_trainable));
    const int n = logical.n_qubits;
    NoisyBatchProgram p;
    p.n_inputs_ = logical.n_inputs;
    p.gate_noise_ = options.gate_noise;
    p.basis_ = Basis::from_names(device.basis_gates);

    // The logical prefix of each wire: its 1-qubit ops before its first multi-qubit op, with the
    // trainable angles bound and the input angles kept symbolic.
    std::vector<std::vector<Op>> logical_prefix(static_cast<std::size_t>(n));
    {
        std::vector<char> entangled(static_cast<std::size_t>(n), 0);
        for (std::size_t i = 0; i < logical.ops.size(); ++i) {
            Op op = logical.ops[i];
            if (arity(op) > 1) {
                if (uses_input(op))
                    throw Error("noisy batch: op " + std::to_string(i) + " (" + op_name(op) +
                                ") is a multi-qubit gate with an input angle; only 1-qubit encoders are supported");
                for (int a = 0; a < arity(op); ++a) entangled[static_cast<std::size_t>(op.qubits[a])] = 1;
                continue;
            }
            const auto q = static_cast<std::size_t>(op.qubits[0]);
            if (entangled[q]) {
                if (uses_input(op))
                    throw Error("noisy batch: op " + std::to_string(i) + " (" + op_name(op) +
                                ") uses an input angle after the first 2-qubit gate on qubit " + std::to_string(q) +
                                "; the encoder must come first on every wire");
                continue;
            }
            for (auto& prm : op.params)
                if (prm.source == sim::Param::Source::Trainable) prm = sim::Param::constant(prm.resolve(theta, {}));
            logical_prefix[q].push_back(op);
        }
    }

    const auto x0 = generic_inputs(logical.n_inputs);
    p.compiled_ = compile(sim::bind(logical, theta, x0), device, options.compile);
    const auto& cc = p.compiled_.circuit;
    p.qubits_ = touched_qubits(cc);
    const int k = static_cast<int>(p.qubits_.size());
    if (k > kMaxQubits)
        throw Error("noisy batch: the compiled circuit touches " + std::to_string(k) + " qubits; at most " +
                    std::to_string(kMaxQubits) + " fit the exact density-matrix path");
    std::vector<int> local(static_cast<std::size_t>(device.n_qubits), -1);
    for (int i = 0; i < k; ++i) local[static_cast<std::size_t>(p.qubits_[static_cast<std::size_t>(i)])] = i;
    std::vector<int> holder(static_cast<std::size_t>(device.n_qubits), -1);  // physical → logical at the start
    for (int l = 0; l < n; ++l)
        holder[static_cast<std::size_t>(p.compiled_.initial_layout[static_cast<std::size_t>(l)])] = l;

    // Split the compiled circuit into per-qubit prefixes and the body.
    std::vector<std::vector<Op>> prefix_ops(static_cast<std::size_t>(k));
    std::vector<std::size_t> first_prefix(static_cast<std::size_t>(k), cc.ops.size());
    std::vector<std::size_t> first_use(static_cast<std::size_t>(k), cc.ops.size());
    {
        std::vector<char> entangled(static_cast<std::size_t>(k), 0);
        p.is_prefix_.assign(cc.ops.size(), 0);
        for (std::size_t i = 0; i < cc.ops.size(); ++i) {
            const Op& op = cc.ops[i];
            const int a = arity(op);
            for (int j = 0; j < a; ++j) {
                const auto q = static_cast<std::size_t>(local[static_cast<std::size_t>(op.qubits[j])]);
                first_use[q] = std::min(first_use[q], i);
            }
            if (a == 1) {
                const auto q = static_cast<std::size_t>(local[static_cast<std::size_t>(op.qubits[0])]);
                if (!entangled[q]) {
                    p.is_prefix_[i] = 1;
                    prefix_ops[q].push_back(op);
                    first_prefix[q] = std::min(first_prefix[q], i);
                    continue;
                }
            } else {
                for (int j = 0; j < a; ++j)
                    entangled[static_cast<std::size_t>(local[static_cast<std::size_t>(op.qubits[j])])] = 1;
            }
            p.body_.push_back(op);
        }
    }

    // V_p = U(compiled prefix at x0) · L(x0)†: the fixed part every sample's prefix shares.
    for (int i = 0; i < k; ++i) {
        Prefix pre;
        pre.physical = p.qubits_[static_cast<std::size_t>(i)];
        pre.logical = holder[static_cast<std::size_t>(pre.physical)];
        const auto ui = static_cast<std::size_t>(i);
        pre.position = first_prefix[ui] < cc.ops.size() ? first_prefix[ui] : first_use[ui];
        const int qs[1] = {pre.physical};
        Eigen::Matrix2cd l0 = Eigen::Matrix2cd::Identity();
        if (pre.logical >= 0) {
            pre.logical_ops = logical_prefix[static_cast<std::size_t>(pre.logical)];
            for (const auto& op : pre.logical_ops) l0 = op_matrix2(op, theta, x0) * l0;
        }
        pre.fixed = local_unitary(prefix_ops[ui], qs) * l0.adjoint();
        if (options.gate_noise) {
            for (GateKind g : {GateKind::SX, GateKind::X}) {
                const GateNoise* e = model.find(g, qs);
                (g == GateKind::SX ? pre.sx_error : pre.x_error) = e ? &e->superop : nullptr;
            }
        }
        p.prefixes_.push_back(std::move(pre));
    }

    // Observables: Z-strings on logical qubits, placed on the physical qubit holding that logical
    // qubit at the end, with each measured qubit's readout folded in (Z → a + b·Z).
    auto observables = options.observables;
    if (observables.empty())
        for (int l = 0; l < n; ++l) observables.push_back(sim::PauliTerm::z_on(l));
    p.n_logical_ = n;
    if (options.shots < 0) throw Error("noisy batch: shots must be positive");
    if (options.shots > 0) {
        if (n > 8)
            throw Error("noisy batch: shots need the whole distribution over the logical qubits; " + std::to_string(n) +
                        " qubits is more than 8 (use the exact expectations)");
        for (std::size_t o = 0; o < observables.size(); ++o)
            if (observables[o].x != 0)
                throw Error("noisy batch: observable " + std::to_string(o) + " (" + observables[o].label(n) +
                            ") is not Z-type; only Z strings are measured without basis changes");
        p.shots_ = options.shots;
        p.seed_ = options.seed;
        p.requested_ = observables;
        observables.clear();
        for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) observables.push_back({0, mask, 1.0});
    }
    std::vector<char> measured(static_cast<std::size_t>(device.n_qubits), 0);
    for (const auto& m : cc.measures) measured[static_cast<std::size_t>(m.qubit)] = 1;
    const std::size_t dim = std::size_t{1} << k;
    p.coeffs_.resize(static_cast<Eigen::Index>(observables.size()), static_cast<Eigen::Index>(dim * dim));
    std::map<const GateNoise*, Matrix> adjoint_error;
    for (std::size_t o = 0; o < observables.size(); ++o) {
        const auto& term = observables[o];
        if (term.x != 0)
            throw Error("noisy batch: observable " + std::to_string(o) + " (" + term.label(n) +
                        ") is not Z-type; only Z strings are measured without basis changes");
        if (n < 64 && (term.z >> n) != 0)
            throw Error("noisy batch: observable " + std::to_string(o) + " acts on a qubit beyond the circuit's " +
                        std::to_string(n));
        struct Factor {
            std::size_t bit;
            double a, b;
        };
        std::vector<Factor> factors;
        for (int l = 0; l < n; ++l) {
            if (!((term.z >> l) & 1)) continue;
            const int phys = p.compiled_.final_layout[static_cast<std::size_t>(l)];
            const int q = local[static_cast<std::size_t>(phys)];
            double a = 0.0, b = 1.0;
            if (options.readout && measured[static_cast<std::size_t>(phys)]) {
                const auto& r = model.readout(phys);
                a = r.p0_given1 - r.p1_given0;
                b = 1.0 - r.p1_given0 - r.p0_given1;
            }
            // A logical qubit on an untouched physical qubit (an idle wire) still reads |0⟩.
            factors.push_back({q >= 0 ? std::size_t{1} << q : 0, a, b});
        }
        sim::DensityMatrix obs(k);
        auto d = obs.data();
        std::fill(d.begin(), d.end(), cplx(0));
        for (std::size_t i = 0; i < dim; ++i) {
            double v = term.coeff;
            for (const auto& f : factors) v *= f.a + f.b * ((i & f.bit) ? -1.0 : 1.0);
            obs(i, i) = v;
        }
        // Heisenberg picture, last op first: O ← U†·E†(O)·U.
        const qnas::Parallelism one{1};
        for (auto it = p.body_.rbegin(); it != p.body_.rend(); ++it) {
            const Op& op = *it;
            const int a = arity(op);
            std::array<int, sim::kMaxGateQubits> lq{};
            for (int j = 0; j < a; ++j) lq[static_cast<std::size_t>(j)] = local[static_cast<std::size_t>(op.qubits[j])];
            const std::span<const int> qs(lq.data(), static_cast<std::size_t>(a));
            if (options.gate_noise) {
                if (const GateNoise* g =
                        model.find(op.kind, std::span<const int>(op.qubits.data(), static_cast<std::size_t>(a)))) {
                    auto [pos, fresh] = adjoint_error.try_emplace(g);
                    if (fresh) pos->second = g->superop.adjoint();
                    sim::apply_superop(obs, pos->second, qs, one);
                }
            }
            const auto ang = sim::resolve_angles(op, {}, {});
            const Matrix u = sim::gate_matrix(
                op.kind,
                std::span<const double>(ang.data(), static_cast<std::size_t>(sim::gate_info(op.kind).n_params)));
            sim::apply_unitary(obs, u.adjoint(), qs, one);
        }
        pauli_traces(obs.data(), k);
        // Re-index from (row bits, column bits) to base-4 digits, dividing by 2^k.
        const double norm = 1.0 / static_cast<double>(dim);
        for (std::size_t r = 0; r < dim; ++r)
            for (std::size_t c = 0; c < dim; ++c) {
                std::size_t idx = 0, place = 1;
                for (int q = 0; q < k; ++q, place *= 4) idx += (((r >> q) & 1) + 2 * ((c >> q) & 1)) * place;
                p.coeffs_(static_cast<Eigen::Index>(o), static_cast<Eigen::Index>(idx)) = obs(r, c).real() * norm;
            }
    }
    return p;
}

void NoisyBatchProgram::bloch_vectors(std::span<const double> x, std::span<double> out) const {
    std::vector<Op> ops;
    for (std::size_t i = 0; i < prefixes_.size(); ++i) {
        const Prefix& pre = prefixes_[i];
        Eigen::Matrix2cd u = pre.fixed;
        Eigen::Matrix2cd l = Eigen::Matrix2cd::Identity();
        for (const auto& op : pre.logical_ops) l = op_matrix2(op, {}, x) * l;
        u = u * l;
        ops.clear();
        synthesize_1q(Matrix(u), pre.physical, basis_, ops);
        Eigen::Matrix2cd rho;
        rho << 1, 0, 0, 0;
        for (const auto& op : ops) {
            const Eigen::Matrix2cd g = op_matrix2(op, {}, {});
            rho = g * rho * g.adjoint();
            const Matrix* e = op.kind == GateKind::SX ? pre.sx_error : op.kind == GateKind::X ? pre.x_error : nullptr;
            if (e) apply_superop2(rho, *e);
        }
        double* r = out.data() + 4 * i;
        r[0] = 1.0;
        r[1] = 2.0 * rho(1, 0).real();
        r[2] = 2.0 * rho(1, 0).imag();
        r[3] = (rho(0, 0) - rho(1, 1)).real();
    }
}

std::vector<double> NoisyBatchProgram::expectations(std::span<const double> x, std::size_t n_samples,
                                                    const qnas::Parallelism& par) const {
    const auto n_in = static_cast<std::size_t>(n_inputs_);
    if (x.size() != n_samples * n_in)
        throw Error("noisy batch: " + std::to_string(x.size()) + " input values for " + std::to_string(n_samples) +
                    " samples of " + std::to_string(n_in));
    const std::size_t k = qubits_.size();
    const auto n_obs = static_cast<std::size_t>(n_observables());
    const auto width = static_cast<std::size_t>(coeffs_.cols());  // 4^k
    std::vector<double> out(n_samples * n_obs);
    const std::size_t n_chunks = (n_samples + kChunk - 1) / kChunk;
    qnas::parallel_for(n_chunks, par, [&](std::size_t chunk) {
        const std::size_t s0 = chunk * kChunk, s1 = std::min(n_samples, s0 + kChunk);
        Eigen::MatrixXd prod(static_cast<Eigen::Index>(width), static_cast<Eigen::Index>(s1 - s0));
        std::vector<double> bloch(4 * k);
        for (std::size_t s = s0; s < s1; ++s) {
            bloch_vectors(x.subspan(s * n_in, n_in), bloch);
            // ⊗_q r_q with qubit 0 the lowest base-4 digit, built from the top qubit down.
            double* col = prod.col(static_cast<Eigen::Index>(s - s0)).data();
            col[0] = 1.0;
            std::size_t len = 1;
            for (std::size_t q = k; q-- > 0;) {
                const double* r = bloch.data() + 4 * q;
                for (std::size_t j = len; j-- > 0;) {
                    const double v = col[j];
                    for (std::size_t dgt = 4; dgt-- > 0;) col[4 * j + dgt] = v * r[dgt];
                }
                len *= 4;
            }
        }
        const Eigen::MatrixXd res = coeffs_ * prod;  // internal observables × samples
        for (std::size_t s = s0; s < s1; ++s) {
            const double* e = res.col(static_cast<Eigen::Index>(s - s0)).data();
            if (shots_ > 0)
                sample_shots(e, s, std::span<double>(out).subspan(s * n_obs, n_obs));
            else
                std::copy(e, e + n_obs, out.begin() + static_cast<std::ptrdiff_t>(s * n_obs));
        }
    });
    return out;
}

void NoisyBatchProgram::sample_shots(const double* z_strings, std::size_t sample, std::span<double> out) const {
    // Distribution over the logical bits from the expectations of all Z-strings (Walsh–Hadamard):
    // P(b) = 2^−n Σ_S (−1)^{|b ∧ S|} ⟨Z_S⟩.
    const std::size_t dim = std::size_t{1} << n_logical_;
    std::vector<double> p(z_strings, z_strings + dim);
    for (std::size_t h = 1; h < dim; h <<= 1)
        for (std::size_t i = 0; i < dim; i += 2 * h)
            for (std::size_t j = i; j < i + h; ++j) {
                const double a = p[j], b = p[j + h];
                p[j] = a + b;
                p[j + h] = a - b;
            }
    std::vector<double> cdf(dim);
    double acc = 0.0;
    for (std::size_t b = 0; b < dim; ++b) cdf[b] = (acc += std::max(0.0, p[b]));
    std::vector<std::uint64_t> counts(dim, 0);
    const std::uint64_t key = sim::mix64(seed_ ^ sim::mix64(0x9e3779b97f4a7c15ULL * (sample + 1)));
    for (int shot = 0; shot < shots_; ++shot) {
        const double u = sim::unit_double(sim::mix64(key + static_cast<std::uint64_t>(shot))) * acc;
        auto b = static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
        ++counts[std::min(b, dim - 1)];
    }
    for (std::size_t o = 0; o < requested_.size(); ++o) {
        double e = 0.0;
        for (std::size_t b = 0; b < dim; ++b)
            if (counts[b])
                e += static_cast<double>(counts[b]) * ((std::popcount(b & requested_[o].z) & 1) ? -1.0 : 1.0);
        out[o] = requested_[o].coeff * e / static_cast<double>(shots_);
    }
}

sim::Circuit NoisyBatchProgram::circuit_for(std::span<const double> x) const {
    if (x.size() != static_cast<std::size_t>(n_inputs_))
        throw Error("noisy batch: " + std::to_string(x.size()) + " input values, the circuit has " +
                    std::to_string(n_inputs_));
    const auto& cc = compiled_.circuit;
    std::vector<std::vector<Op>> fresh(cc.ops.size() + 1);
    for (const auto& pre : prefixes_) {
        Eigen::Matrix2cd l = Eigen::Matrix2cd::Identity();
        for (const auto& op : pre.logical_ops) l = op_matrix2(op, {}, x) * l;
        synthesize_1q(Matrix(pre.fixed * l), pre.physical, basis_, fresh[pre.position]);
    }
    sim::Circuit out = cc;
    out.ops.clear();
    for (std::size_t i = 0; i <= cc.ops.size(); ++i) {
        out.ops.insert(out.ops.end(), fresh[i].begin(), fresh[i].end());
        if (i < cc.ops.size() && !is_prefix_[i]) out.ops.push_back(cc.ops[i]);
    }
    return out;
}

}  // namespace qnas::noise
