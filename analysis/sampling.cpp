#include "analysis/sampling.h"

#include <string>

#include "analysis/state_runner.h"
#include "sim/error.h"
#include "sim/random.h"

namespace qnas::analysis {

// Keying: angle i of draw k under seed s is stream_uniform(s, Angles, k, i) (state_runner.h): the
// 64-bit key mix64(mix64(s ^ tag(Angles)) ^ k) names the draw, and element i is
// mix64(key ^ mix64(i)) — so draws never share numbers and a longer circuit's first angles equal a
// shorter one's.
std::vector<double> sample_angles(int n_trainable, std::uint64_t seed, std::uint64_t draw, double angle_range) {
    if (n_trainable < 0) throw Error("sample_angles: n_trainable must be >= 0, got " + std::to_string(n_trainable));
    std::vector<double> theta(static_cast<std::size_t>(n_trainable));
    const std::uint64_t key = detail::stream_key(seed, detail::Stream::Angles, draw);
    for (int i = 0; i < n_trainable; ++i)
        theta[static_cast<std::size_t>(i)] =
            angle_range * sim::unit_double(sim::mix64(key ^ sim::mix64(static_cast<std::uint64_t>(i))));
    return theta;
}

void check_analysable(const sim::Circuit& c) {
    for (std::size_t k = 0; k < c.ops.size(); ++k) {
        const auto& op = c.ops[k];
        const int np = sim::gate_info(op.kind).n_params;
        for (int j = 0; j < np; ++j)
            if (op.params[static_cast<std::size_t>(j)].source == sim::Param::Source::Input)
                throw Error("circuit op " + std::to_string(k) + " (" + std::string(sim::gate_info(op.kind).name) +
                            ") reads input feature x[" + std::to_string(op.params[static_cast<std::size_t>(j)].index) +
                            "]: PQC metrics are defined over trainable angles only (analyse the circuit without its "
                            "encoder)");
    }
}

sim::Circuit free_angles(const sim::Circuit& c) {
    sim::Circuit out = c;
    int next = c.n_trainable;
    for (auto& op : out.ops) {
        const int np = sim::gate_info(op.kind).n_params;  // rotations are exactly the gates with angles
        for (int j = 0; j < np; ++j) {
            auto& p = op.params[static_cast<std::size_t>(j)];
            if (p.source == sim::Param::Source::Const) p = sim::Param::trainable(next++);
        }
    }
    out.n_trainable = next;
    return out;
}

}  // namespace qnas::analysis
