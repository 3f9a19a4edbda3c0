#include "noise/noise_model.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/error.h"

namespace qnas::noise {

namespace {

std::string fmt(double v) {
    std::ostringstream os;
    os.precision(6);
    os << v;
    return os.str();
}

Eigen::MatrixXcd identity_superop(int n) {
    const auto d2 = static_cast<Eigen::Index>(1) << (2 * n);
    return Eigen::MatrixXcd::Identity(d2, d2);
}

}  // namespace

double RelaxationParams::p_z() const {
    if (time <= 0) return 0;
    return (1 - p_reset) * (1 - std::exp(-time / t2 + time / t1)) / 2;
}

double RelaxationParams::process_fidelity() const { return (1 + 2 * c + (1 - p_reset)) / 4; }

RelaxationParams relaxation_params(double t1, double t2, double time) {
    RelaxationParams p;
    p.t1 = t1;
    p.t2 = t2;
    p.time = time;
    p.p_reset = -std::expm1(-time / t1);
    p.c = std::exp(-time / t2);
    return p;
}

sim::KrausSet thermal_relaxation_kraus(const RelaxationParams& p) {
    sim::Matrix k0 = sim::Matrix::Zero(2, 2), k1 = sim::Matrix::Zero(2, 2), k2 = sim::Matrix::Zero(2, 2);
    k0(0, 0) = 1;
    k0(1, 1) = p.c;
    k1(1, 1) = std::sqrt(std::max(0.0, 1 - p.p_reset - p.c * p.c));
    k2(0, 1) = std::sqrt(p.p_reset);
    return {k0, k1, k2};
}

Eigen::Matrix2d ReadoutError::matrix() const {
    Eigen::Matrix2d m;
    m << 1 - p1_given0, p1_given0, p0_given1, 1 - p0_given1;
    return m;
}

double ReadoutError::apply_to_z(double z) const { return (p0_given1 - p1_given0) + (1 - p1_given0 - p0_given1) * z; }

GateNoise build_gate_noise(const std::string& gate, std::span<const int> qubits, double gate_length,
                           std::optional<double> gate_error, std::span<const double> t1, std::span<const double> t2) {
    const int n = static_cast<int>(qubits.size());
    QNAS_CHECK(n >= 1 && n <= 2, "gate noise is built for 1- and 2-qubit gates");
    QNAS_CHECK(t1.size() == qubits.size() && t2.size() == qubits.size(), "one T1, T2 per gate qubit");
    GateNoise g;
    g.gate = gate;
    g.kind = sim::gate_by_name(gate);
    g.qubits.assign(qubits.begin(), qubits.end());
    g.gate_length = gate_length;
    g.gate_error = gate_error;
    const double d = std::ldexp(1.0, n);

    // Thermal relaxation (skipped for zero duration).
    double f_pro = 1;
    g.relaxation_superop = identity_superop(n);
    if (gate_length > 0) {
        for (int a = 0; a < n; ++a) {
            const auto i = static_cast<std::size_t>(a);
            g.relax.push_back(relaxation_params(t1[i], std::min(t2[i], 2 * t1[i]), gate_length));
            f_pro *= g.relax.back().process_fidelity();
        }
        const auto k0 = thermal_relaxation_kraus(g.relax[0]);
        g.relaxation_superop = sim::superop_from_kraus(k0);
        if (n == 2)
            g.relaxation_superop = sim::superop_tensor(g.relaxation_superop,
                                                       sim::superop_from_kraus(thermal_relaxation_kraus(g.relax[1])));
    }
    const double f_r = (d * f_pro + 1) / (d + 1);
    g.relaxation_infidelity = 1 - f_r;

    // Depolarizing part (§3.3), only when the reported error exceeds the relaxation's.
    g.depolarizing_superop = identity_superop(n);
    if (gate_error && *gate_error > g.relaxation_infidelity) {
        double e = *gate_error;
        if (e > d / (d + 1)) {
            e = d / (d + 1);
            g.error_clamped = true;
        }
        double lambda = d * (e - g.relaxation_infidelity) / (d * f_r - 1);
        const double lambda_max = (d * d) / (d * d - 1);
        if (lambda > lambda_max) {
            lambda = lambda_max;
            g.lambda_clamped = true;
        }
        g.lambda = lambda;
        g.has_depolarizing = true;
        g.depolarizing_superop = sim::superop_from_kraus(sim::depolarizing_kraus(lambda, n));
    }
    g.superop = sim::compose_channels(g.depolarizing_superop, g.relaxation_superop);
    g.modelled_error = 1 - sim::average_gate_fidelity(g.superop);
    return g;
}

std::string calibration_name(sim::GateKind kind) { return std::string(sim::gate_info(kind).name); }

const GateNoise* NoiseModel::find(std::string_view gate, std::span<const int> qubits) const {
    auto it = index_.find(gate_key(gate, qubits));
    return it == index_.end() ? nullptr : &gates_[it->second];
}

const GateNoise* NoiseModel::find(sim::GateKind kind, std::span<const int> qubits) const {
    return find(calibration_name(kind), qubits);
}

const ReadoutError& NoiseModel::readout(int qubit) const {
    if (qubit < 0 || qubit >= n_qubits())
        throw Error("readout: qubit " + std::to_string(qubit) + " out of range (device has " +
                    std::to_string(n_qubits()) + " qubits)");
    return readout_[static_cast<std::size_t>(qubit)];
}

RelaxationParams NoiseModel::idle_relaxation(int qubit, double seconds) const {
    if (qubit < 0 || qubit >= n_qubits())
        throw Error("idle relaxation: qubit " + std::to_string(qubit) + " out of range (device has " +
                    std::to_string(n_qubits()) + " qubits)");
    const auto q = static_cast<std::size_t>(qubit);
    return relaxation_params(t1_[q], t2_[q], seconds);
}

double NoiseModel::gate_length(sim::GateKind kind, std::span<const int> physical_qubits) const {
    const GateNoise* g = find(kind, physical_qubits);
    return g ? g->gate_length : 0.0;
}

NoiseModel build_noise_model(const Device& device, const NoiseModelOptions& options) {
    NoiseModel m;
    m.options_ = options;
    for (const auto& q : device.qubits) {
        m.readout_.push_back({q.prob_meas1_prep0, q.prob_meas0_prep1});
        m.t1_.push_back(q.t1);
        m.t2_.push_back(std::min(q.t2, 2 * q.t1));
    }
    for (const auto& gc : device.gates) {
        const bool has_error = gc.gate_error && *gc.gate_error > 0;
        if (gc.gate_length <= 0 && !has_error) continue;  // virtual gate (rz): no error, as in Aer
        if (gc.qubits.size() > 2) continue;               // not produced by IBM calibrations
        std::vector<double> t1, t2;
        for (int q : gc.qubits) {
            t1.push_back(device.qubits[static_cast<std::size_t>(q)].t1);
            t2.push_back(device.qubits[static_cast<std::size_t>(q)].t2);
        }
        GateNoise g = build_gate_noise(gc.name, gc.qubits, gc.gate_length, gc.gate_error, t1, t2);
        const std::string label = gc.label.empty() ? gate_key(gc.name, gc.qubits) : gc.label;
        if (g.lambda_clamped)
            m.warnings_.push_back("gate " + label + ": depolarizing parameter clamped to its maximum " + fmt(g.lambda) +
                                  " (uniform Pauli channel)");
        if (gc.gate_error && !g.has_depolarizing && *gc.gate_error > 0)
            m.warnings_.push_back("gate " + label + ": relaxation error " + fmt(g.relaxation_infidelity) +
                                  " >= gate_error " + fmt(*gc.gate_error) + ", no depolarizing part");
        m.index_.emplace(gate_key(gc.name, gc.qubits), m.gates_.size());
        m.gates_.push_back(std::move(g));
    }
    return m;
}

double success_rate(const Device& device, const sim::Circuit& c) {
    double rate = 1;
    for (const auto& op : c.ops) {
        const auto& info = sim::gate_info(op.kind);
        const std::span<const int> qs(op.qubits.data(), static_cast<std::size_t>(info.n_qubits));
        const GateCalibration* gc = device.find_gate(info.name, qs);
        if (!gc) {
            if (op.kind == sim::GateKind::RZ || op.kind == sim::GateKind::P || op.kind == sim::GateKind::U1) continue;
            std::string q;
            for (int x : qs) {
                if (!q.empty()) q += ',';
                q += std::to_string(x);
            }
            throw Error("success rate: gate " + std::string(info.name) + " on qubits " + q + " is not calibrated on " +
                        device.name + " (compile the circuit to the device first)");
        }
        const double f = 1 - gc->gate_error.value_or(0.0);
        rate *= f > 0 ? f : 1e-5;
    }
    return rate;
}

}  // namespace qnas::noise
