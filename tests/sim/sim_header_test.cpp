#include <catch2/catch.hpp>

#include "sim/sim.h"

// The umbrella header compiles on its own and exposes the whole public API.
TEST_CASE("sim.h exposes the public API", "[sim]") {
    using namespace qnas::sim;
    Circuit c(2);
    c.add(GateKind::H, {0}).add(GateKind::CX, {0, 1});
    const auto probs = probabilities(simulate(c));
    CHECK(probs[0] == Approx(0.5));
    CHECK(probs[3] == Approx(0.5));
    const auto rho = simulate_density(c);
    CHECK(probabilities(rho)[3] == Approx(0.5));
    CHECK(parse_qasm(to_qasm(c), "<roundtrip>") == c);
}
