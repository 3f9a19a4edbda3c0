#include "analysis/barren_plateau.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>

#include "analysis/reference_circuits.h"
#include "analysis/sampling.h"
#include "sim/error.h"
#include "sim/gates.h"
#include "sim/statevector.h"

namespace qnas::analysis {

namespace {

using sim::cplx;

// Real arithmetic on purpose: std::complex's operator* carries a NaN-recovery branch that keeps
// GCC from vectorising the loops below, and these kernels are the whole cost of a plateau run.
inline cplx mul(cplx a, cplx b) {
    return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

// One gate with its angles resolved, in the cheapest form its kind allows. The McClean circuits
// are RX/RY/RZ and CZ (see SignTable) only; everything else takes the dense 2×2 / 4×4 path (3-qubit gates the
// general sim::apply_matrix).
struct Gate {
    enum class Type { RX, RY, RZ, Dense1, Dense2, General } type = Type::General;
    int q0 = 0, q1 = 0;
    double c = 1.0, s = 0.0;  // cos, sin of half the angle (rotations)
    cplx m[16];               // row-major (dense types only), index bit a ↔ operand a (gates.h convention)
    sim::Matrix general;
    std::array<int, sim::kMaxGateQubits> qubits{};
    int arity = 0;
};

void load_dense(Gate& g, const sim::Matrix& m) {
    const auto d = m.rows();
    for (Eigen::Index r = 0; r < d; ++r)
        for (Eigen::Index k = 0; k < d; ++k) g.m[r * d + k] = m(r, k);
}

Gate make_gate(const sim::Op& op, std::span<const double> theta) {
    const auto& info = sim::gate_info(op.kind);
    Gate g;
    g.q0 = op.qubits[0];
    g.q1 = op.qubits[1];
    g.qubits = op.qubits;
    g.arity = info.n_qubits;
    const auto angles = sim::resolve_angles(op, theta, {});
    switch (op.kind) {
        case sim::GateKind::RX: g.type = Gate::Type::RX; break;
        case sim::GateKind::RY: g.type = Gate::Type::RY; break;
        case sim::GateKind::RZ: g.type = Gate::Type::RZ; break;
        default:
            if (info.n_qubits == 1) {
                g.type = Gate::Type::Dense1;
                load_dense(g, info.matrix(angles));
            } else if (info.n_qubits == 2) {
                g.type = Gate::Type::Dense2;
                load_dense(g, info.matrix(angles));
            } else {
                g.general = info.matrix(angles);
            }
            return g;
    }
    g.c = std::cos(0.5 * angles[0]);
    g.s = std::sin(0.5 * angles[0]);
    return g;
}

// Dense m (2^k × 2^k, k = arity) on the gate's qubits — for derivative matrices.
Gate dense_gate(const sim::Op& op, int arity, const sim::Matrix& m) {
    Gate g;
    g.q0 = op.qubits[0];
    g.q1 = op.qubits[1];
    g.qubits = op.qubits;
    g.arity = arity;
    if (arity == 1) {
        g.type = Gate::Type::Dense1;
        load_dense(g, m);
    } else if (arity == 2) {
        g.type = Gate::Type::Dense2;
        load_dense(g, m);
    } else {
        g.general = m;
    }
    return g;
}

// Calls f(x, y) on every amplitude pair (i, i + s) of ψ and, when given, of D: after the
// differentiated op both vectors see the same gates, so one sweep serves the two.
template <class F>
void pair_sweep(std::size_t s, sim::State& psi, sim::State* d, F f) {
    const std::size_t dim = psi.size();
    cplx* p = psi.data();
    cplx* q = d ? d->data() : nullptr;
    for (std::size_t b = 0; b < dim; b += 2 * s)
        for (std::size_t i = b; i < b + s; ++i) {
            f(p[i], p[i + s]);
            if (q) f(q[i], q[i + s]);
        }
}

void apply_dense2(const Gate& g, sim::State& psi) {
    const std::size_t s0 = std::size_t{1} << g.q0, s1 = std::size_t{1} << g.q1, mask = s0 | s1;
    cplx* p = psi.data();
    for (std::size_t i = 0; i < psi.size(); ++i) {
        if (i & mask) continue;
        const std::size_t idx[4] = {i, i | s0, i | s1, i | s0 | s1};
        const cplx in[4] = {p[idx[0]], p[idx[1]], p[idx[2]], p[idx[3]]};
        for (int r = 0; r < 4; ++r)
            p[idx[r]] = mul(g.m[4 * r], in[0]) + mul(g.m[4 * r + 1], in[1]) + mul(g.m[4 * r + 2], in[2]) +
                        mul(g.m[4 * r + 3], in[3]);
    }
}

// g on ψ, and on D when d is given.
void apply_gate(const Gate& g, sim::State& psi, sim::State* d = nullptr) {
    const std::size_t s0 = std::size_t{1} << g.q0;
    const double c = g.c, s = g.s;
    switch (g.type) {
        case Gate::Type::RX:  // [[c, −is], [−is, c]]
            pair_sweep(s0, psi, d, [c, s](cplx& x, cplx& y) {
                const cplx a = x, b = y;
                x = {c * a.real() + s * b.imag(), c * a.imag() - s * b.real()};
                y = {c * b.real() + s * a.imag(), c * b.imag() - s * a.real()};
            });
            return;
        case Gate::Type::RY:  // [[c, −s], [s, c]]
            pair_sweep(s0, psi, d, [c, s](cplx& x, cplx& y) {
                const cplx a = x, b = y;
                x = {c * a.real() - s * b.real(), c * a.imag() - s * b.imag()};
                y = {s * a.real() + c * b.real(), s * a.imag() + c * b.imag()};
            });
            return;
        case Gate::Type::RZ:  // diag(c − is, c + is)
            pair_sweep(s0, psi, d, [c, s](cplx& x, cplx& y) {
                const cplx a = x, b = y;
                x = {c * a.real() + s * a.imag(), c * a.imag() - s * a.real()};
                y = {c * b.real() - s * b.imag(), c * b.imag() + s * b.real()};
            });
            return;
        case Gate::Type::Dense1:
            pair_sweep(s0, psi, d, [&m = g.m](cplx& x, cplx& y) {
                const cplx a = x, b = y;
                x = mul(m[0], a) + mul(m[1], b);
                y = mul(m[2], a) + mul(m[3], b);
            });
            return;
        case Gate::Type::Dense2:
            apply_dense2(g, psi);
            if (d) apply_dense2(g, *d);
            return;
        case Gate::Type::General: {
            const std::span<const int> qubits(g.qubits.data(), static_cast<std::size_t>(g.arity));
            sim::apply_matrix(psi, g.general, qubits);
            if (d) sim::apply_matrix(*d, g.general, qubits);
            return;
        }
    }
}

// A run of consecutive CZ gates (a McClean layer's entangler) applied in one pass: their product is
// the diagonal sign (−1)^{Σ_pairs b_a b_b}, tabulated once per distinct run and reused by every
// layer — n − 1 sweeps over the state become one branch-free multiply.
struct SignTable {
    std::vector<std::array<int, 2>> pairs;
    std::vector<double> sign;
};

const std::vector<double>& sign_table(std::vector<SignTable>& cache, const std::vector<std::array<int, 2>>& pairs,
                                      std::size_t dim) {
    for (const auto& t : cache)
        if (t.pairs == pairs) return t.sign;
    SignTable t{pairs, std::vector<double>(dim)};
    for (std::size_t i = 0; i < dim; ++i) {
        std::size_t parity = 0;
        for (const auto& [a, b] : pairs) parity ^= (i >> a) & (i >> b) & 1U;
        t.sign[i] = parity ? -1.0 : 1.0;
    }
    cache.push_back(std::move(t));
    return cache.back().sign;
}

// The sign table on ψ, and on D when given.
void apply_signs(const std::vector<double>& sign, sim::State& psi, sim::State* d) {
    cplx* p = psi.data();
    cplx* q = d ? d->data() : nullptr;
    for (std::size_t i = 0; i < psi.size(); ++i) {
        p[i] = {sign[i] * p[i].real(), sign[i] * p[i].imag()};
        if (q) q[i] = {sign[i] * q[i].real(), sign[i] * q[i].imag()};
    }
}

}  // namespace

// Forward-mode differentiation: alongside ψ carry D = ∂ψ/∂θ; an op that reads θ adds
// Σ_j scale_j · ∂G/∂angle_j · ψ_before to G·D. Then ∂E/∂θ = 2 Re⟨ψ|Z₀Z₁|D⟩. Exact (the same value
// as the parameter-shift rule) at the cost of two state-vector passes.
double zz_gradient(const sim::Circuit& c, std::span<const double> theta, int parameter) {
    sim::State psi = sim::zero_state(c.n_qubits);
    sim::State d(psi.size(), cplx{0.0, 0.0});
    sim::State spawn;
    std::vector<SignTable> signs;
    std::vector<std::array<int, 2>> run;
    bool started = false;  // D is zero until the first op that reads θ
    for (std::size_t k = 0; k < c.ops.size();) {
        if (c.ops[k].kind == sim::GateKind::CZ) {
            run.clear();
            for (; k < c.ops.size() && c.ops[k].kind == sim::GateKind::CZ; ++k)
                run.push_back({c.ops[k].qubits[0], c.ops[k].qubits[1]});
            const std::vector<double>& sign = sign_table(signs, run, psi.size());
            apply_signs(sign, psi, started ? &d : nullptr);
            continue;
        }
        const sim::Op& op = c.ops[k++];
        const auto& info = sim::gate_info(op.kind);
        bool reads = false;
        for (int j = 0; j < info.n_params; ++j) {
            const auto& prm = op.params[static_cast<std::size_t>(j)];
            reads =
                reads || (prm.source == sim::Param::Source::Trainable && prm.index == parameter && prm.scale != 0.0);
        }
        if (reads) {
            const auto angles = sim::resolve_angles(op, theta, {});
            sim::Matrix dg = sim::Matrix::Zero(std::int64_t{1} << info.n_qubits, std::int64_t{1} << info.n_qubits);
            for (int j = 0; j < info.n_params; ++j) {
                const auto& prm = op.params[static_cast<std::size_t>(j)];
                if (prm.source == sim::Param::Source::Trainable && prm.index == parameter)
                    dg += prm.scale * info.derivative(angles, j);
            }
            spawn = psi;
            apply_gate(dense_gate(op, info.n_qubits, dg), spawn);
        }
        const Gate g = make_gate(op, theta);
        apply_gate(g, psi, started ? &d : nullptr);
        if (reads) {
            for (std::size_t i = 0; i < d.size(); ++i) d[i] += spawn[i];
            started = true;
        }
    }
    double acc = 0.0;
    for (std::size_t i = 0; i < psi.size(); ++i) {
        const double re = psi[i].real() * d[i].real() + psi[i].imag() * d[i].imag();
        acc += (((i ^ (i >> 1)) & 1U) ? -re : re);  // Z₀Z₁ = (−1)^{b₀ ⊕ b₁}
    }
    return 2.0 * acc;
}

namespace {

PlateauPoint summarise(int n, const std::vector<double>& g) {
    PlateauPoint pt;
    pt.n_qubits = n;
    const double count = static_cast<double>(g.size());
    double sum = 0.0;
    for (double v : g) sum += v;
    pt.mean = sum / count;
    double ss = 0.0;
    for (double v : g) ss += (v - pt.mean) * (v - pt.mean);
    pt.variance = ss / (count - 1.0);
    pt.std_error = pt.variance * std::sqrt(2.0 / (count - 1.0));
    return pt;
}

// Least-squares slope of ln(variance) against n over the points with a positive variance.
double fit_ln_slope(const std::vector<PlateauPoint>& points) {
    double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, k = 0.0;
    for (const auto& p : points) {
        if (!(p.variance > 0.0)) continue;
        const double x = p.n_qubits, y = std::log(p.variance);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        k += 1.0;
    }
    const double den = k * sxx - sx * sx;
    if (k < 2.0 || den <= 0.0) return 0.0;
    return (k * sxy - sx * sy) / den;
}

void check_options(const PlateauOptions& o, const std::string& what) {
    if (o.qubits.empty()) throw Error(what + ": no qubit counts given");
    for (int n : o.qubits)
        if (n < 2 || n > 24)
            throw Error(what + ": qubit count " + std::to_string(n) + " out of range [2, 24] (⟨Z₀Z₁⟩ needs 2)");
    if (o.circuits < 2)
        throw Error(what + ": circuits must be at least 2 (a sample variance), got " + std::to_string(o.circuits));
    if (o.layers < 1) throw Error(what + ": layers must be at least 1, got " + std::to_string(o.layers));
}

}  // namespace

double mcclean_variance_prediction(int n_qubits) {
    const double d = std::ldexp(1.0, n_qubits);
    return d / (3.0 * (d * d - 1.0));
}

PlateauResult mcclean_plateau(const PlateauOptions& options) {
    check_options(options, "plateau");
    PlateauResult result;
    for (int n : options.qubits) {
        std::vector<double> grads(static_cast<std::size_t>(options.circuits));
        qnas::parallel_for(grads.size(), options.parallelism, [&](std::size_t i) {
            // Angles and Pauli choices come from independent streams of the seed (state_runner.h).
            const sim::Circuit c = mcclean_circuit(n, options.layers, options.seed, i);
            const auto theta = sample_angles(c.n_trainable, options.seed, i);
            grads[i] = zz_gradient(c, theta, 0);
        });
        PlateauPoint pt = summarise(n, grads);
        pt.predicted = mcclean_variance_prediction(n);
        result.points.push_back(pt);
    }
    result.ln_slope = fit_ln_slope(result.points);
    return result;
}

PlateauResult gradient_variance(const std::function<sim::Circuit(int n_qubits)>& build, const PlateauOptions& options,
                                int parameter) {
    check_options(options, "gradient variance");
    PlateauResult result;
    for (int n : options.qubits) {
        const sim::Circuit c = build(n);
        check_analysable(c);
        sim::validate(c);
        const std::string where = "gradient variance (" + std::to_string(n) + "-qubit circuit)";
        if (c.n_qubits < 2) throw Error(where + ": needs at least 2 qubits for ⟨Z₀Z₁⟩");
        const auto used = sim::used_trainables(c);
        if (!std::binary_search(used.begin(), used.end(), parameter))
            throw Error(where + ": trainable " + std::to_string(parameter) + " is not used by the circuit");
        std::vector<double> grads(static_cast<std::size_t>(options.circuits));
        qnas::parallel_for(grads.size(), options.parallelism, [&](std::size_t i) {
            const auto theta = sample_angles(c.n_trainable, options.seed, i);
            grads[i] = zz_gradient(c, theta, parameter);
        });
        result.points.push_back(summarise(n, grads));
    }
    result.ln_slope = fit_ln_slope(result.points);
    return result;
}

}  // namespace qnas::analysis
