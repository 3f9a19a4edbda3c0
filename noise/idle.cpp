#include "noise/idle.h"

#include <algorithm>

#include "sim/channels.h"
#include "sim/gates.h"

namespace qnas::noise {

IdleSchedule alap_schedule(const sim::Circuit& c, const NoiseModel& model) {
    IdleSchedule s;
    s.start.assign(c.ops.size(), 0.0);
    s.idle_after.assign(c.ops.size(), {});
    // Backwards from the measurements at time 0: each op ends when the earliest of its qubits' next
    // ops starts, so times are ≤ 0 until shifted at the end.
    std::vector<double> next(static_cast<std::size_t>(c.n_qubits), 0.0);
    double earliest = 0.0;
    for (std::size_t i = c.ops.size(); i-- > 0;) {
        const sim::Op& op = c.ops[i];
        const int a = sim::gate_info(op.kind).n_qubits;
        const std::span<const int> qs(op.qubits.data(), static_cast<std::size_t>(a));
        double end = 0.0;
        for (int q : qs) end = std::min(end, next[static_cast<std::size_t>(q)]);
        const double begin = end - model.gate_length(op.kind, qs);
        for (int j = 0; j < a; ++j) {
            auto& n = next[static_cast<std::size_t>(qs[static_cast<std::size_t>(j)])];
            s.idle_after[i][static_cast<std::size_t>(j)] = n - end;
            n = begin;
        }
        s.start[i] = begin;
        earliest = std::min(earliest, begin);
    }
    s.duration = -earliest;
    for (double& t : s.start) t += s.duration;
    return s;
}

Eigen::Matrix4d idle_pauli_transfer(const RelaxationParams& r) {
    Eigen::Matrix4d m = Eigen::Matrix4d::Zero();
    m(0, 0) = 1;
    m(1, 1) = m(2, 2) = r.c;
    m(3, 0) = r.p_reset;
    m(3, 3) = 1 - r.p_reset;
    return m;
}

std::optional<sim::Matrix> idle_superop(const sim::Op& op, std::span<const double> waits, const NoiseModel& model) {
    const int a = sim::gate_info(op.kind).n_qubits;
    bool any = false;
    for (int j = 0; j < a; ++j) any = any || waits[static_cast<std::size_t>(j)] > 0;
    if (!any) return std::nullopt;
    sim::Matrix s;
    for (int j = 0; j < a; ++j) {
        const auto uj = static_cast<std::size_t>(j);
        const sim::Matrix one = sim::superop_from_kraus(
            thermal_relaxation_kraus(model.idle_relaxation(op.qubits[uj], std::max(0.0, waits[uj]))));
        s = j == 0 ? one : sim::superop_tensor(s, one);
    }
    return s;
}

}  // namespace qnas::noise
