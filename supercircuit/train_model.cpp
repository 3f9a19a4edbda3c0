#include "supercircuit/train_model.h"

#include <utility>

#include "supercircuit/rng.h"

namespace qnas::supercircuit {

TrainModel supercircuit_model(const DesignSpace& space, const Encoder& encoder, std::uint64_t probe_seed) {
    TrainModel m;
    m.n_weights = n_weights(space);
    m.arch_choices = arch_choices(space);
    m.circuit = [space, encoder](std::span<const int> arch) {
        return prepend_encoder(encoder, build_subcircuit(space, arch));
    };
    m.cache_key = [space](std::span<const int> arch) { return active_key(space, arch); };
    std::vector<int> random;
    CounterRng r = rng_stream(probe_seed, RngDomain::Probe, 0);
    for (const auto& c : m.arch_choices) random.push_back(c[uniform_index(r, c.size())]);
    m.probes = {{"largest", largest_arch(space)}, {"smallest", smallest_arch(space)}, {"random", std::move(random)}};
    return m;
}

TrainModel fixed_arch_model(const DesignSpace& space, const Encoder& encoder, std::vector<int> arch) {
    TrainModel m;
    m.n_weights = n_weights(space);
    sim::Circuit c = prepend_encoder(encoder, build_subcircuit(space, arch));
    c.n_trainable = m.n_weights;
    m.circuit = [c = std::move(c)](std::span<const int>) { return c; };
    m.probes = {{"model", {}}};
    return m;
}

TrainModel fixed_circuit_model(sim::Circuit circuit) {
    TrainModel m;
    m.n_weights = circuit.n_trainable;
    m.circuit = [c = std::move(circuit)](std::span<const int>) { return c; };
    m.probes = {{"model", {}}};
    return m;
}

}  // namespace qnas::supercircuit
