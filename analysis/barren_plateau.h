// Barren plateaus (McClean18, training_and_metrics.md §6): the variance over random circuits of
// ∂E/∂θ₁ for E = ⟨Z₀Z₁⟩ decays exponentially with the qubit count. For McClean's setup with a deep
// (2-design) remainder the closed form is Var = 2ⁿ / (3(4ⁿ − 1)), ln-slope → −ln 2 per qubit.
// Also the same measurement for any circuit family (random parameters of one fixed circuit per n),
// so a design space can be checked for plateaus.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/circuit.h"
#include "sim/parallel.h"

namespace qnas::analysis {

// 2ⁿ / (3(4ⁿ − 1)).
double mcclean_variance_prediction(int n_qubits);

struct PlateauOptions {
    std::vector<int> qubits{2, 3, 4, 5, 6, 7, 8};
    int layers = 100;
    int circuits = 2000;  // random circuits (or parameter draws) per qubit count
    std::uint64_t seed = 0;
    qnas::Parallelism parallelism{0};
};

struct PlateauPoint {
    int n_qubits = 0;
    double mean = 0.0;       // mean of ∂E/∂θ
    double variance = 0.0;   // unbiased sample variance of ∂E/∂θ
    double std_error = 0.0;  // of the variance: variance · √(2 / (circuits − 1))
    double predicted = 0.0;  // mcclean_variance_prediction (McClean setup only; 0 otherwise)
};

struct PlateauResult {
    std::vector<PlateauPoint> points;
    double ln_slope = 0.0;  // least-squares slope of ln(variance) against n
};

// McClean's setup: circuit c of qubit count n is mcclean_circuit(n, layers, seed, c); gradient of
// ⟨Z₀Z₁⟩ with respect to trainable 0, exact (two-term parameter shift or adjoint: same value).
PlateauResult mcclean_plateau(const PlateauOptions& options);

// ∂⟨Z₀Z₁⟩/∂θ_parameter at θ (size n_trainable), exact: forward-mode differentiation on the state
// vector, equal to the parameter-shift value. What both functions below average; exposed for
// tests and single-circuit checks. Precondition: validated circuit, no input features, ≥ 2 qubits.
double zz_gradient(const sim::Circuit& c, std::span<const double> theta, int parameter = 0);

// Any family: for each n, build(n) gives one circuit (trainable angles only, ≥ 1 trainable, ≥ 2
// qubits); its parameters are drawn `circuits` times (sampling.h sample_angles(seed), angles in
// [0, 2π)) and the gradient of ⟨Z₀Z₁⟩ with respect to trainable `parameter` is taken each time.
PlateauResult gradient_variance(const std::function<sim::Circuit(int n_qubits)>& build, const PlateauOptions& options,
                                int parameter = 0);

}  // namespace qnas::analysis
