#include "supercircuit/energy.h"

#include <map>
#include <utility>

#include "sim/error.h"

namespace qnas::supercircuit {

const char* energy_kind_name(EnergyKind k) { return k == EnergyKind::Joint ? "joint" : "marginal_product"; }

EnergyKind parse_energy_kind(const std::string& name) {
    if (name == "joint") return EnergyKind::Joint;
    if (name == "marginal_product") return EnergyKind::MarginalProduct;
    throw Error("energy: '" + name + "' is not one of joint, marginal_product");
}

EnergyReadout energy_readout(const Hamiltonian& h, EnergyKind kind) {
    EnergyReadout r;
    std::map<std::pair<std::uint64_t, std::uint64_t>, int> index;  // (x, z) → observable
    const auto observable = [&](sim::PauliTerm p) {
        p.coeff = 1.0;
        const auto [it, inserted] = index.emplace(std::pair{p.x, p.z}, static_cast<int>(r.observables.size()));
        if (inserted) r.observables.push_back(p);
        return it->second;
    };
    for (const auto& t : h.terms) {
        EnergyReadout::Term term{t.coefficient, {}};
        const sim::PauliTerm p = pauli_term(t);
        if (p.x != 0 || p.z != 0) {
            if (kind == EnergyKind::Joint) {
                term.factors.push_back(observable(p));
            } else {
                for (int w = 0; w < h.n_qubits; ++w) {
                    const std::uint64_t bit = std::uint64_t{1} << w;
                    if ((p.x | p.z) & bit) term.factors.push_back(observable({p.x & bit, p.z & bit, 1.0}));
                }
            }
        }
        r.terms.push_back(std::move(term));
    }
    return r;
}

double readout_energy(const EnergyReadout& r, std::span<const double> e, std::span<double> de) {
    if (e.size() != r.observables.size() || (!de.empty() && de.size() != e.size()))
        throw Error("readout_energy: " + std::to_string(e.size()) + " expectations for " +
                    std::to_string(r.observables.size()) + " observables");
    for (double& d : de) d = 0.0;
    double energy = 0.0;
    for (const auto& t : r.terms) {
        double product = t.coefficient;
        for (const int j : t.factors) product *= e[static_cast<std::size_t>(j)];
        energy += product;
        if (de.empty()) continue;
        // d/de_j of c·Π e_i: the product of the other factors (no division: e_j may be 0).
        for (std::size_t a = 0; a < t.factors.size(); ++a) {
            double others = t.coefficient;
            for (std::size_t b = 0; b < t.factors.size(); ++b)
                if (b != a) others *= e[static_cast<std::size_t>(t.factors[b])];
            de[static_cast<std::size_t>(t.factors[a])] += others;
        }
    }
    return energy;
}

double energy(const sim::State& psi, const Hamiltonian& h, EnergyKind kind) {
    if (psi.size() != (std::size_t{1} << h.n_qubits))
        throw Error("energy: the state has " + std::to_string(psi.size()) + " amplitudes, the Hamiltonian " +
                    std::to_string(h.n_qubits) + " qubits");
    const EnergyReadout r = energy_readout(h, kind);
    std::vector<double> e;
    for (const auto& p : r.observables) e.push_back(sim::expectation(psi, p));
    return readout_energy(r, e);
}

}  // namespace qnas::supercircuit
