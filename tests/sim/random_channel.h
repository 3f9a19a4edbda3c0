// Random test inputs for the density-matrix tests: Gaussian matrices and random CPTP channels.
#pragma once

#include <Eigen/Dense>
#include <random>

#include "sim/channels.h"

namespace qnas::test {

inline sim::Matrix gaussian_matrix(Eigen::Index rows, Eigen::Index cols, std::mt19937_64& rng) {
    std::normal_distribution<double> g;
    sim::Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = sim::cplx(g(rng), g(rng));
    return m;
}

// A random CPTP channel on k qubits with m Kraus operators: the blocks of a random isometry
// V (m·d × d, V†V = I), so Σ K_i†K_i = V†V = I.
inline sim::KrausSet random_channel(int k, int m, std::mt19937_64& rng) {
    const Eigen::Index d = Eigen::Index{1} << k;
    const Eigen::HouseholderQR<sim::Matrix> qr(gaussian_matrix(m * d, d, rng));
    const sim::Matrix v = qr.householderQ() * sim::Matrix::Identity(m * d, d);
    sim::KrausSet out;
    for (int i = 0; i < m; ++i) out.push_back(v.block(i * d, 0, d, d));
    return out;
}

}  // namespace qnas::test
