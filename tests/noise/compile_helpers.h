// Checks shared by the basis-translation and optimiser tests.
#pragma once

#include <complex>

#include "noise/basis.h"
#include "sim/circuit.h"

namespace qnas::test {

inline bool all_in_basis(const sim::Circuit& c, const noise::Basis& b) {
    for (const auto& op : c.ops)
        if (!b.contains(op.kind)) return false;
    return true;
}

// max |U_orig − e^{iφ}·U_new|: equality including the tracked global phase.
inline double exact_distance(const sim::Matrix& orig, const sim::Matrix& now, double phase) {
    return (orig - std::exp(std::complex<double>(0.0, phase)) * now).cwiseAbs().maxCoeff();
}

}  // namespace qnas::test
