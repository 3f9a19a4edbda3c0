#include "supercircuit/energy.h"

#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/batch_simulator.h"
#include "sim/error.h"
#include "sim/statevector.h"
#include "supercircuit/design_space.h"
#include "supercircuit/trainer.h"

using namespace qnas::supercircuit;
using qnas::sim::GateKind;
using qnas::sim::Param;

namespace {

const char* kH2 =
    "h2 bk 2\n-1.052373245772859 I0 I1\n0.39793742484318045 I0 Z1\n-0.39793742484318045 Z0 I1\n"
    "-0.01128010425623538 Z0 Z1\n0.18093119978423156 X0 X1\n";

// Single-qubit ⟨σ⟩ on qubit q of a 2-qubit state a (index bit q = qubit q), written out by hand.
double marginal(const qnas::sim::State& a, int q, char sigma) {
    double r = 0.0;
    for (std::size_t i = 0; i < 4; ++i) {
        const bool bit = (i >> q) & 1U;
        const std::size_t j = i ^ (std::size_t{1} << q);
        if (sigma == 'Z') r += (bit ? -1.0 : 1.0) * std::norm(a[i]);
        // ⟨X⟩ = Σ conj(a_j)·a_i over the flipped pairs; ⟨Y⟩ adds the phase of Y|b⟩ = i(−1)^b|1−b⟩.
        if (sigma == 'X') r += (std::conj(a[j]) * a[i]).real();
        if (sigma == 'Y') r += (std::conj(a[j]) * a[i] * std::complex<double>(0.0, bit ? -1.0 : 1.0)).real();
    }
    return r;
}

}  // namespace

TEST_CASE("energy: joint vs QuantumNAS's marginal product on a Bell state", "[supercircuit][vqe]") {
    const Hamiltonian h = parse_hamiltonian(kH2, "h2");
    // (|00⟩ + |11⟩)/√2: every single-qubit marginal is 0, ⟨Z0Z1⟩ = ⟨X0X1⟩ = 1.
    const double s = std::sqrt(0.5);
    const qnas::sim::State bell = {s, 0.0, 0.0, s};
    CHECK(std::abs(energy(bell, h) - (-1.052373245772859 - 0.01128010425623538 + 0.18093119978423156)) < 1e-14);
    CHECK(std::abs(energy(bell, h, EnergyKind::MarginalProduct) - (-1.052373245772859)) < 1e-14);
}

TEST_CASE("energy: marginal product matches a hand computation", "[supercircuit][vqe]") {
    const Hamiltonian h = parse_hamiltonian("t t 2\n0.7 Y0 Z1\n-0.3 X0\n0.2 I0 I1\n0.5 X1 Y0\n", "t");
    std::mt19937_64 g(7);
    std::normal_distribution<double> nd;
    for (int trial = 0; trial < 4; ++trial) {
        qnas::sim::State a(4);
        double norm = 0.0;
        for (auto& x : a) x = {nd(g), nd(g)}, norm += std::norm(x);
        for (auto& x : a) x /= std::sqrt(norm);
        const double hand = 0.7 * marginal(a, 0, 'Y') * marginal(a, 1, 'Z') - 0.3 * marginal(a, 0, 'X') + 0.2 +
                            0.5 * marginal(a, 1, 'X') * marginal(a, 0, 'Y');
        CHECK(std::abs(energy(a, h, EnergyKind::MarginalProduct) - hand) < 1e-13);
        // ...and differs from the joint energy on an entangled state.
        CHECK(std::abs(energy(a, h, EnergyKind::Joint) - hand) > 1e-6);
    }
    const EnergyReadout r = energy_readout(h, EnergyKind::MarginalProduct);
    CHECK(r.observables.size() == 4);  // Y0, Z1, X0, X1: shared between terms
    CHECK(parse_energy_kind("marginal_product") == EnergyKind::MarginalProduct);
    CHECK_THROWS_WITH(parse_energy_kind("product"), Catch::Contains("joint, marginal_product"));
}

TEST_CASE("energy: adjoint gradient matches finite differences", "[supercircuit][vqe]") {
    const Hamiltonian h = parse_hamiltonian("t t 3\n0.3 X0 Y1 Z2\n-0.7 Y0\n0.2 Z0 Z1\n1.1 I0\n0.9 X1 X2\n", "t");
    const DesignSpace space = design_space("u3cu3", 3, 2);
    const qnas::sim::Circuit c = build_subcircuit(space, largest_arch(space));
    std::vector<double> w = initial_weights(c.n_trainable, 3);
    for (const EnergyKind kind : {EnergyKind::Joint, EnergyKind::MarginalProduct}) {
        INFO(energy_kind_name(kind));
        const EnergyReadout r = energy_readout(h, kind);
        const auto program = qnas::sim::BatchProgram::compile(c, r.observables);
        std::vector<double> grad(w.size());
        const double e = energy_and_grad(program, w, r, grad);
        // The batched readout agrees with the single-state energy.
        CHECK(std::abs(e - energy(qnas::sim::simulate(c, w), h, kind)) < 1e-12);
        CHECK(std::abs(evaluate_energy(program, w, r) - e) < 1e-12);
        double max_abs = 0.0;
        for (std::size_t i = 0; i < w.size(); ++i) {
            const double eps = 1e-6, keep = w[i];
            w[i] = keep + eps;
            const double up = evaluate_energy(program, w, r);
            w[i] = keep - eps;
            const double down = evaluate_energy(program, w, r);
            w[i] = keep;
            CHECK(std::abs(grad[i] - (up - down) / (2 * eps)) < 1e-7);
            max_abs = std::max(max_abs, std::abs(grad[i]));
        }
        CHECK(max_abs > 1e-2);  // not trivially zero
    }
}
