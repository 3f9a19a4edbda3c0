#include "analysis/entanglement.h"

#include <cmath>
#include <string>
#include <vector>

#include "analysis/sampling.h"
#include "analysis/state_runner.h"
#include "sim/error.h"

namespace qnas::analysis {

double meyer_wallach(const sim::State& psi, int n_qubits) {
    if (n_qubits < 1 || n_qubits > 30 || psi.size() != (std::size_t{1} << n_qubits))
        throw Error("meyer_wallach: state of size " + std::to_string(psi.size()) + " is not a " +
                    std::to_string(n_qubits) + "-qubit state");
    double purity_sum = 0.0;
    for (int k = 0; k < n_qubits; ++k) {
        // ρ_k = [[a, c], [c*, b]]: a, b the weights of bit k = 0 / 1, c = Σ ψ(…0…) ψ*(…1…).
        const std::size_t s = std::size_t{1} << k;
        double a = 0.0, b = 0.0, cre = 0.0, cim = 0.0;
        for (std::size_t i = 0; i < psi.size(); ++i) {
            if (i & s) continue;
            const sim::cplx u = psi[i], v = psi[i | s];
            a += std::norm(u);
            b += std::norm(v);
            cre += u.real() * v.real() + u.imag() * v.imag();  // u·conj(v)
            cim += u.imag() * v.real() - u.real() * v.imag();
        }
        const double tr = a + b;  // 1 for a normalised state; dividing makes Q scale-free
        purity_sum += (a * a + b * b + 2.0 * (cre * cre + cim * cim)) / (tr * tr);
    }
    return 2.0 * (1.0 - purity_sum / n_qubits);
}

EntanglementResult entangling_capability(const sim::Circuit& c, const EntanglementOptions& options) {
    if (options.samples < 1)
        throw Error("entangling capability: samples must be >= 1, got " + std::to_string(options.samples));
    const detail::StateRunner runner(c);
    const auto samples = static_cast<std::size_t>(options.samples);
    std::vector<double> q(samples);
    constexpr std::size_t kPerTask = 64;
    qnas::parallel_for((samples + kPerTask - 1) / kPerTask, options.parallelism, [&](std::size_t t) {
        sim::State psi;
        std::vector<double> theta;
        for (std::size_t k = t * kPerTask; k < std::min(samples, (t + 1) * kPerTask); ++k) {
            runner.draw_angles(options.seed, k, options.angle_range, theta);  // = sample_angles on used θ
            runner.run(theta, psi);
            q[k] = meyer_wallach(psi, c.n_qubits);
        }
    });
    EntanglementResult r;
    r.samples = options.samples;
    for (double v : q) r.mean += v;
    r.mean /= static_cast<double>(samples);
    if (samples > 1) {
        // Shifted by q[0] so a constant Q (circuit 9) gives exactly 0.
        double shift_mean = 0.0;
        for (double v : q) shift_mean += v - q[0];
        shift_mean /= static_cast<double>(samples);
        double ss = 0.0;
        for (double v : q) ss += (v - q[0] - shift_mean) * (v - q[0] - shift_mean);
        r.std_error = std::sqrt(ss / static_cast<double>(samples - 1)) / std::sqrt(static_cast<double>(samples));
    }
    return r;
}

}  // namespace qnas::analysis
