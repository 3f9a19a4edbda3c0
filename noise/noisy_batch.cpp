#include "noise/noisy_batch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <string>

#include "noise/idle.h"
#include "sim/channels.h"
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

Eigen::Matrix2cd op_matrix2(const Op& op, std::span<const double> theta, std::span<const double> x) {
    const auto a = sim::resolve_angles(op, theta, x);
    const double c = std::cos(a[0] / 2), s = std::sin(a[0] / 2);
    Eigen::Matrix2cd m;
    // The encoders' rotations without a heap-allocated matrix (same formulas as the gate table).
    switch (op.kind) {
        case GateKind::RX: m << c, cplx(0, -s), cplx(0, -s), c; return m;
        case GateKind::RY: m << c, -s, s, c; return m;
        case GateKind::RZ: m << cplx(c, -s), 0, 0, cplx(c, s); return m;
        default: {
            const auto& info = sim::gate_info(op.kind);
            return sim::gate_matrix(op.kind,
                                    std::span<const double>(a.data(), static_cast<std::size_t>(info.n_params)));
        }
    }
}

// The 2^a × 2^a Pauli matrix with base-4 digits `index` (digit j on local qubit j, 0 = I, 1 = X,
// 2 = Y, 3 = Z; local qubit 0 is the low bit, as in gate matrices).
Matrix pauli_matrix(std::size_t index, int a) {
    static const cplx kI(0, 1);
    Matrix m = Matrix::Identity(1, 1);
    for (int j = 0; j < a; ++j, index /= 4) {
        Matrix p(2, 2);
        switch (index % 4) {
            case 0: p << 1, 0, 0, 1; break;
            case 1: p << 0, 1, 1, 0; break;
            case 2: p << 0, -kI, kI, 0; break;
            default: p << 1, 0, 0, -1; break;
        }
        Matrix next(m.rows() * 2, m.cols() * 2);
        for (Eigen::Index r = 0; r < 2; ++r)
            for (Eigen::Index c = 0; c < 2; ++c)
                next.block(r * m.rows(), c * m.cols(), m.rows(), m.cols()) = p(r, c) * m;
        m = std::move(next);
    }
    return m;
}

// Real Pauli transfer matrix R_PQ = Tr(P·E(Q))/2^a of a superoperator (channels.h convention).
Eigen::MatrixXd pauli_transfer(const Matrix& superop, int a) {
    const std::size_t n = std::size_t{1} << (2 * a), d = std::size_t{1} << a;
    std::vector<Matrix> paulis;
    for (std::size_t i = 0; i < n; ++i) paulis.push_back(pauli_matrix(i, a));
    Eigen::MatrixXd r(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    for (std::size_t q = 0; q < n; ++q) {
        const Eigen::VectorXcd vec = Eigen::Map<const Eigen::VectorXcd>(paulis[q].data(), static_cast<Eigen::Index>(n));
        const Eigen::VectorXcd out = superop * vec;
        const Eigen::Map<const Matrix> e(out.data(), static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
        for (std::size_t p = 0; p < n; ++p)
            r(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(q)) =
                (paulis[p] * e).trace().real() / static_cast<double>(d);
    }
    return r;
}

// Superoperator of gate `op` (constant angles) followed by its error channel (or none).
Matrix channel_superop(const Op& op, const Matrix* error) {
    const auto ang = sim::resolve_angles(op, {}, {});
    const Matrix u = sim::gate_matrix(
        op.kind, std::span<const double>(ang.data(), static_cast<std::size_t>(sim::gate_info(op.kind).n_params)));
    Matrix s = sim::superop_from_unitary(u);
    return error ? Matrix(*error * s) : s;
}

// (A ⊗ B) on base-4 digits: A on the low digit, B on the high one.
Eigen::Matrix<double, 16, 16> ptm_tensor(const Eigen::Matrix4d& low, const Eigen::Matrix4d& high) {
    Eigen::Matrix<double, 16, 16> t;
    for (int i = 0; i < 16; ++i)
        for (int j = 0; j < 16; ++j) t(i, j) = low(i % 4, j % 4) * high(i / 4, j / 4);
    return t;
}

// w ← Rᵀ·w on the digits of local qubits `q` (1 or 2 of them) for every column of W (one column per
// observable). Groups whose weights are all zero (outside the observables' backward light cone)
// are skipped.
template <int N>
void apply_transposed(Eigen::MatrixXd& w, const Eigen::Matrix<double, N, N>& r, std::span<const int> q) {
    const auto rows = static_cast<std::size_t>(w.rows());
    const auto cols = w.cols();
    std::size_t stride[2] = {std::size_t{1} << (2 * q[0]), q.size() > 1 ? std::size_t{1} << (2 * q[1]) : 0};
    std::array<std::size_t, N> offs{};
    for (int i = 0; i < N; ++i) offs[i] = (i % 4) * stride[0] + (N > 4 ? (i / 4) * stride[1] : 0);
    const Eigen::Matrix<double, N, N> rt = r.transpose();
    Eigen::Matrix<double, N, Eigen::Dynamic> g(N, cols);
    for (std::size_t base = 0; base < rows; ++base) {
        bool first = true;
        for (int j = 0; j < (N > 4 ? 2 : 1); ++j)
            if ((base / stride[j]) % 4 != 0) first = false;
        if (!first) continue;
        bool zero = true;
        for (int i = 0; i < N; ++i) {
            g.row(i) = w.row(static_cast<Eigen::Index>(base + offs[i]));
            if (zero && !g.row(i).isZero(0.0)) zero = false;
        }
        if (zero) continue;
        const Eigen::Matrix<double, N, Eigen::Dynamic> h = rt * g;
        for (int i = 0; i < N; ++i) w.row(static_cast<Eigen::Index>(base + offs[i])) = h.row(i);
    }
}

}  // namespace

std::vector<double> generic_inputs(int n) {
    std::vector<double> x(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        x[static_cast<std::size_t>(i)] = 0.37 + 0.9 * sim::unit_double(sim::mix64(0x51ed270b27f1a2c3ULL + i));
    return x;
}

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
    // Idle relaxation (model option): the waits of the ALAP schedule. The body's waits do not
    // depend on the prefixes (ALAP schedules backwards from the measurements), and a prefix never
    // waits (its gates run back to back into the qubit's first 2-qubit gate).
    const bool idle = options.gate_noise && model.options().idle;
    const IdleSchedule sched = idle ? alap_schedule(cc, model) : IdleSchedule{};
    std::vector<std::array<double, sim::kMaxGateQubits>> body_idle;
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
                    QNAS_CHECK(!idle || sched.idle_after[i][0] == 0.0, "noisy batch: a prefix gate waits");
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
            if (idle) body_idle.push_back(sched.idle_after[i]);
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
        pre.fixed = Eigen::Matrix2cd(local_unitary(prefix_ops[ui], qs)) * l0.adjoint();
        for (GateKind g : {GateKind::SX, GateKind::X}) {
            Op op;
            op.kind = g;
            op.qubits[0] = pre.physical;
            const GateNoise* e = options.gate_noise ? model.find(g, qs) : nullptr;
            (g == GateKind::SX ? pre.sx_ptm : pre.x_ptm) =
                pauli_transfer(channel_superop(op, e ? &e->superop : nullptr), 1);
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
    const std::size_t width = std::size_t{1} << (2 * k);
    Eigen::MatrixXd w =
        Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(width), static_cast<Eigen::Index>(observables.size()));
    for (std::size_t o = 0; o < observables.size(); ++o) {
        const auto& term = observables[o];
        if (term.x != 0)
            throw Error("noisy batch: observable " + std::to_string(o) + " (" + term.label(n) +
                        ") is not Z-type; only Z strings are measured without basis changes");
        if (n < 64 && (term.z >> n) != 0)
            throw Error("noisy batch: observable " + std::to_string(o) + " acts on a qubit beyond the circuit's " +
                        std::to_string(n));
        // coeff · Π_l (a_l·I + b_l·Z_l) on the physical qubit holding l at the end, where the
        // readout maps a measured ⟨Z⟩ to a + b·⟨Z⟩; expanded into its 2^|S| Pauli terms.
        std::vector<std::pair<std::size_t, double>> terms = {{0, term.coeff}};
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
            if (q < 0) {  // an idle, untouched wire reads |0⟩: Z → 1
                for (auto& t : terms) t.second *= a + b;
                continue;
            }
            const std::size_t z_digit = std::size_t{3} << (2 * q);
            const std::size_t count = terms.size();
            for (std::size_t t = 0; t < count; ++t) {
                terms.push_back({terms[t].first + z_digit, terms[t].second * b});
                terms[t].second *= a;
            }
        }
        for (const auto& [idx, v] : terms) w(static_cast<Eigen::Index>(idx), static_cast<Eigen::Index>(o)) += v;
    }

    // The body as fused channels: each 2-qubit gate with its error, preceded by the pending
    // 1-qubit channels of its two wires; what is left on a wire at the end is one 1-qubit channel.
    struct Block {
        int a = -1, b = -1;  // local qubits; b = -1 for a 1-qubit block
        Eigen::Matrix<double, 16, 16> r2 = Eigen::Matrix<double, 16, 16>::Identity();
        Eigen::Matrix4d r1 = Eigen::Matrix4d::Identity();
    };
    std::vector<Block> blocks;
    std::vector<Eigen::Matrix4d> pending(static_cast<std::size_t>(k), Eigen::Matrix4d::Identity());
    std::map<std::pair<int, std::array<int, 2>>, Eigen::MatrixXd> ptm_cache;  // constant gates: (kind, qubits)
    for (std::size_t bi = 0; bi < p.body_.size(); ++bi) {
        const Op& op = p.body_[bi];
        const int a = arity(op);
        const GateNoise* g =
            options.gate_noise
                ? model.find(op.kind, std::span<const int>(op.qubits.data(), static_cast<std::size_t>(a)))
                : nullptr;
        const bool parametric = sim::gate_info(op.kind).n_params > 0;
        Eigen::MatrixXd r;
        const auto key =
            std::make_pair(static_cast<int>(op.kind), std::array<int, 2>{op.qubits[0], a > 1 ? op.qubits[1] : -1});
        if (!parametric) {
            auto [it, fresh] = ptm_cache.try_emplace(key);
            if (fresh) it->second = pauli_transfer(channel_superop(op, g ? &g->superop : nullptr), a);
            r = it->second;
        } else if (op.kind == GateKind::RZ && !g) {
            // A virtual rz turns X, Y by its angle and fixes I, Z.
            const double t = op.params[0].offset;
            r = Eigen::MatrixXd::Identity(4, 4);
            r(1, 1) = r(2, 2) = std::cos(t);
            r(2, 1) = std::sin(t);
            r(1, 2) = -std::sin(t);
        } else {
            r = pauli_transfer(channel_superop(op, g ? &g->superop : nullptr), a);
        }
        if (idle) {
            const auto& wait = body_idle[bi];
            const Eigen::Matrix4d i0 = idle_pauli_transfer(model.idle_relaxation(op.qubits[0], wait[0]));
            if (a == 1)
                r = i0 * r;
            else
                r = Eigen::MatrixXd(ptm_tensor(i0, idle_pauli_transfer(model.idle_relaxation(op.qubits[1], wait[1])))) *
                    r;
        }
        const int qa = local[static_cast<std::size_t>(op.qubits[0])];
        if (a == 1) {
            pending[static_cast<std::size_t>(qa)] = r * pending[static_cast<std::size_t>(qa)];
            continue;
        }
        QNAS_CHECK(a == 2, "noisy batch: compiled circuits have 1- and 2-qubit gates only");
        const int qb = local[static_cast<std::size_t>(op.qubits[1])];
        Block blk;
        blk.a = qa;
        blk.b = qb;
        blk.r2 = Eigen::Matrix<double, 16, 16>(r) *
                 ptm_tensor(pending[static_cast<std::size_t>(qa)], pending[static_cast<std::size_t>(qb)]);
        pending[static_cast<std::size_t>(qa)].setIdentity();
        pending[static_cast<std::size_t>(qb)].setIdentity();
        blocks.push_back(blk);
    }
    for (int q = 0; q < k; ++q)
        if (!pending[static_cast<std::size_t>(q)].isIdentity(0.0)) {
            Block blk;
            blk.a = q;
            blk.r1 = pending[static_cast<std::size_t>(q)];
            blocks.push_back(blk);
        }
    // Heisenberg picture, last channel first: w ← Rᵀ·w.
    for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
        if (it->b < 0) {
            const int q[1] = {it->a};
            apply_transposed<4>(w, it->r1, q);
        } else {
            const int q[2] = {it->a, it->b};
            apply_transposed<16>(w, it->r2, q);
        }
    }
    p.coeffs_ = w.transpose();
    return p;
}

void NoisyBatchProgram::bloch_vectors(std::span<const double> x, std::span<double> out) const {
    std::vector<Op> ops;
    ops.reserve(8);
    for (std::size_t i = 0; i < prefixes_.size(); ++i) {
        const Prefix& pre = prefixes_[i];
        Eigen::Matrix2cd l = Eigen::Matrix2cd::Identity();
        for (const auto& op : pre.logical_ops) l = op_matrix2(op, {}, x) * l;
        const Eigen::Matrix2cd u = pre.fixed * l;
        ops.clear();
        synthesize_1q_gates(euler_zyz(u), pre.physical, basis_, ops);
        Eigen::Vector4d r(1.0, 0.0, 0.0, 1.0);  // |0⟩
        for (const auto& op : ops) {
            if (op.kind == GateKind::RZ) {
                // Rz(θ) turns the Bloch vector by θ about z; rz carries no error.
                const double t = op.params[0].offset, c = std::cos(t), s = std::sin(t);
                const double bx = r(1), by = r(2);
                r(1) = c * bx - s * by;
                r(2) = s * bx + c * by;
            } else {
                r = (op.kind == GateKind::SX ? pre.sx_ptm : pre.x_ptm) * r;
            }
        }
        for (int j = 0; j < 4; ++j) out[4 * i + static_cast<std::size_t>(j)] = r(j);
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
        synthesize_1q_gates(euler_zyz(Eigen::Matrix2cd(pre.fixed * l)), pre.physical, basis_, fresh[pre.position]);
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
