// Expressibility (Sim19, training_and_metrics.md §5.1): D_KL(P̂_PQC(F) ‖ P_Haar(F)) of the
// fidelities F = |⟨ψ_θ|ψ_φ⟩|² of independently sampled parameter pairs, histogrammed on [0, 1]
// in equal bins; lower = more expressive. The Haar bin masses are exact:
// Q_j = (1 − F_lo)^{N−1} − (1 − F_hi)^{N−1}, N = 2ⁿ; KL in natural log over bins where P̂ > 0.
// Values below the estimator's floor (≈ 0.004 at 4 qubits, 5000 pairs, 75 bins) are noise:
// the result carries that floor and a standard error so users can tell.
#pragma once

#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

#include "sim/circuit.h"
#include "sim/parallel.h"

namespace qnas::analysis {

struct ExpressibilityOptions {
    int pairs = 5000;
    int bins = 75;
    std::uint64_t seed = 0;
    double angle_range = 2.0 * std::numbers::pi;  // θ ~ U[0, angle_range)
    int bootstrap = 200;                          // resamples of the pairs for the standard error; 0: none
    qnas::Parallelism parallelism{0};
};

struct ExpressibilityResult {
    double kl = 0.0;
    double std_error = 0.0;         // bootstrap standard deviation of the KL (0 when bootstrap = 0)
    double haar_floor = 0.0;        // mean KL of the same estimator on exact Haar fidelities (same n, pairs, bins)
    std::vector<double> histogram;  // P̂ per bin (sums to 1)
    int n_qubits = 0;
    int pairs = 0;
    int bins = 0;
};

// Haar probability that F ∈ [f_lo, f_hi] for n qubits.
double haar_bin_mass(int n_qubits, double f_lo, double f_hi);

// KL of the histogram of `fidelities` (each in [0, 1]; F = 1 falls in the last bin) from Haar.
double kl_from_haar(std::span<const double> fidelities, int n_qubits, int bins);

// The `pairs` fidelities: pair k uses draws 2k and 2k+1 of sampling.h sample_angles(seed).
// Throws qnas::Error for pairs < 1, bins < 1 or a circuit with input features.
std::vector<double> sample_fidelities(const sim::Circuit& c, const ExpressibilityOptions& options);

ExpressibilityResult expressibility(const sim::Circuit& c, const ExpressibilityOptions& options = {});

}  // namespace qnas::analysis
