// Independent references for simulator tests: full 2^n × 2^n operators built as sums of
// Kronecker products (no index arithmetic shared with the simulators), Haar-ish random states
// and random circuits over the whole gate table.
#pragma once

#include <random>
#include <vector>

#include "sim/circuit.h"
#include "sim/gates.h"
#include "sim/statevector.h"

namespace qnas::test {

using sim::cplx;
using sim::Matrix;

// kron(a, b) with b on the lower qubits.
inline Matrix kron(const Matrix& a, const Matrix& b) {
    Matrix out(a.rows() * b.rows(), a.cols() * b.cols());
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = 0; j < a.cols(); ++j)
            out.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
    return out;
}

// U_full = Σ_{r,c} m(r,c) · ⊗_{q=n−1..0} E_q, with E_q = |r_a⟩⟨c_a| on operand a's qubit, I elsewhere.
inline Matrix expand(const Matrix& m, const std::vector<int>& qubits, int n) {
    const Eigen::Index dim = m.rows();
    Matrix full = Matrix::Zero(Eigen::Index{1} << n, Eigen::Index{1} << n);
    for (Eigen::Index r = 0; r < dim; ++r)
        for (Eigen::Index c = 0; c < dim; ++c) {
            if (m(r, c) == cplx(0.0, 0.0)) continue;
            Matrix term = Matrix::Identity(1, 1);
            for (int q = n - 1; q >= 0; --q) {
                Matrix e = Matrix::Identity(2, 2);
                for (std::size_t a = 0; a < qubits.size(); ++a)
                    if (qubits[a] == q) {
                        e = Matrix::Zero(2, 2);
                        e((r >> a) & 1, (c >> a) & 1) = 1.0;
                    }
                term = kron(term, e);
            }
            full += m(r, c) * term;
        }
    return full;
}

inline Matrix op_unitary(const sim::Op& op, int n, std::span<const double> theta = {}, std::span<const double> x = {}) {
    const auto& g = sim::gate_info(op.kind);
    const auto a = sim::resolve_angles(op, theta, x);
    return expand(g.matrix(a), std::vector<int>(op.qubits.begin(), op.qubits.begin() + g.n_qubits), n);
}

inline Matrix circuit_unitary(const sim::Circuit& c, std::span<const double> theta = {},
                              std::span<const double> x = {}) {
    Matrix u = Matrix::Identity(Eigen::Index{1} << c.n_qubits, Eigen::Index{1} << c.n_qubits);
    for (const auto& op : c.ops) u = op_unitary(op, c.n_qubits, theta, x) * u;
    return u;
}

// U|0…0⟩ by applying each expanded op to a vector (cheaper than multiplying unitaries).
inline Eigen::VectorXcd circuit_state(const sim::Circuit& c, std::span<const double> theta = {},
                                      std::span<const double> x = {}) {
    Eigen::VectorXcd v = Eigen::VectorXcd::Zero(Eigen::Index{1} << c.n_qubits);
    v(0) = 1.0;
    for (const auto& op : c.ops) v = op_unitary(op, c.n_qubits, theta, x) * v;
    return v;
}

// |⟨a|b⟩| / (|a||b|) close to 1 ⇔ equal up to a global phase.
inline double phase_insensitive_distance(const Matrix& a, const Matrix& b) {
    const cplx ip = (a.adjoint() * b).trace();
    const double na = a.norm(), nb = b.norm();
    return std::abs(1.0 - std::abs(ip) / (na * nb)) + std::abs(na - nb) / std::max(na, 1e-300);
}

inline sim::State random_state(int n, std::mt19937_64& rng) {
    std::normal_distribution<double> g;
    sim::State s(std::size_t{1} << n);
    double norm = 0.0;
    for (auto& a : s) {
        a = {g(rng), g(rng)};
        norm += std::norm(a);
    }
    for (auto& a : s) a /= std::sqrt(norm);
    return s;
}

// A random circuit over every gate in the table that fits in n qubits. Each parametric angle is
// drawn as a constant, a trainable θ_i (with a random scale and offset) or an input x_i.
inline sim::Circuit random_circuit(int n, int n_ops, std::mt19937_64& rng, int n_trainable = 6, int n_inputs = 3,
                                   bool allow_inputs = true) {
    std::uniform_real_distribution<double> ang(-3.2, 3.2);
    sim::Circuit c(n);
    c.n_trainable = n_trainable;
    c.n_inputs = allow_inputs ? n_inputs : 0;
    std::vector<sim::GateKind> kinds;
    for (const auto& g : sim::gate_table())
        if (g.n_qubits <= n) kinds.push_back(g.kind);
    for (int i = 0; i < n_ops; ++i) {
        sim::Op op;
        op.kind = kinds[rng() % kinds.size()];
        const auto& g = sim::gate_info(op.kind);
        std::vector<int> qs(static_cast<std::size_t>(n));
        for (int q = 0; q < n; ++q) qs[static_cast<std::size_t>(q)] = q;
        std::shuffle(qs.begin(), qs.end(), rng);
        for (int a = 0; a < g.n_qubits; ++a) op.qubits[static_cast<std::size_t>(a)] = qs[static_cast<std::size_t>(a)];
        for (int j = 0; j < g.n_params; ++j) {
            const auto pick = rng() % (allow_inputs ? 3 : 2);
            sim::Param p = sim::Param::constant(ang(rng));
            if (pick == 1 && n_trainable > 0) {
                p = sim::Param::trainable(static_cast<int>(rng() % static_cast<unsigned>(n_trainable)),
                                          0.5 + (rng() % 3) * 0.5);
                p.offset = (rng() % 2) ? 0.0 : ang(rng);
            } else if (pick == 2 && n_inputs > 0) {
                p = sim::Param::input(static_cast<int>(rng() % static_cast<unsigned>(n_inputs)));
            }
            op.params[static_cast<std::size_t>(j)] = p;
        }
        c.ops.push_back(op);
    }
    return c;
}

inline std::vector<double> random_angles(int n, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> ang(-3.2, 3.2);
    std::vector<double> v(static_cast<std::size_t>(n));
    for (auto& a : v) a = ang(rng);
    return v;
}

}  // namespace qnas::test
