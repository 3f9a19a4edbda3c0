// The device noise model, exactly Qiskit Aer's `NoiseModel.from_backend` (temperature 0), as
// written down in docs noise_models.md §2–§5: for every calibrated (gate, ordered physical
// qubits) an error applied *after* the ideal gate, E = Relax ∘ Depol_λ (depolarizing first, then
// thermal relaxation for the gate's duration on each qubit, tensored), with λ chosen so that
// 1 − F_avg(E) equals the reported gate_error (clamps of §3.3); virtual gates (rz: zero length and
// zero error) get no error; and a per-qubit asymmetric readout confusion matrix (§5).
// Superoperators follow sim/channels.h (local qubit a = a-th entry of the gate's qubit list).
#pragma once

#include <Eigen/Dense>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "noise/calibration.h"
#include "sim/channels.h"
#include "sim/circuit.h"
#include "sim/gates.h"

namespace qnas::noise {

// Thermal relaxation of one qubit for time t (temperature 0): p_reset = 1 − e^{−t/T1},
// c = e^{−t/T2}. Kraus K0 = diag(1, c), K1 = diag(0, √(1 − p_reset − c²)), K2 = √p_reset |0⟩⟨1|
// (valid for T2 ≤ 2·T1, both the mixture and the Kraus regime of Aer).
struct RelaxationParams {
    double t1 = 0, t2 = 0, time = 0;
    double p_reset = 0;  // 1 − exp(−t/T1)
    double c = 1;        // exp(−t/T2)
    // Aer's mixture probabilities (meaningful when T2 ≤ T1): Z with p_z, reset with p_reset.
    double p_z() const;
    // Process fidelity (1 + 2c + e^{−t/T1})/4.
    double process_fidelity() const;
};
RelaxationParams relaxation_params(double t1, double t2, double time);
sim::KrausSet thermal_relaxation_kraus(const RelaxationParams& p);

struct GateNoise {
    std::string gate;                       // props name: id, sx, x, cx, ecr, reset, ...
    std::optional<sim::GateKind> kind;      // nullopt for non-gates (reset)
    std::vector<int> qubits;                // ordered physical qubits
    double gate_length = 0;                 // seconds
    std::optional<double> gate_error;       // reported (before clamping)
    std::vector<RelaxationParams> relax;    // per qubit of `qubits`; empty when gate_length = 0
    double relaxation_infidelity = 0;       // r = 1 − F_avg(relaxation)
    bool has_depolarizing = false;          // false when e ≤ r (or no gate_error)
    bool error_clamped = false;             // e > d/(d+1) → e = d/(d+1)
    bool lambda_clamped = false;            // λ > 4ⁿ/(4ⁿ − 1) → clamped
    double lambda = 0;                      // depolarizing parameter (Aer's)
    Eigen::MatrixXcd relaxation_superop;    // identity when gate_length = 0
    Eigen::MatrixXcd depolarizing_superop;  // identity when !has_depolarizing
    Eigen::MatrixXcd superop;               // relaxation ∘ depolarizing, 4ⁿ × 4ⁿ
    double modelled_error = 0;              // 1 − F_avg(superop) (= gate_error unless clamped or e ≤ r)
};

// Readout confusion matrix, rows = prepared state, columns = reported bit (§5).
struct ReadoutError {
    double p1_given0 = 0;  // prob_meas1_prep0
    double p0_given1 = 0;  // prob_meas0_prep1
    Eigen::Matrix2d matrix() const;
    // ⟨Z⟩ after readout error: (P(0|1) − P(1|0)) + (1 − P(1|0) − P(0|1))·⟨Z⟩.
    double apply_to_z(double z) const;
    bool is_ideal() const { return p1_given0 == 0 && p0_given1 == 0; }
};

// Options of the model beyond Aer's from_backend. Defaults reproduce Aer exactly.
struct NoiseModelOptions {
    // Thermal relaxation of idle qubits (noise/idle.h): every gap in the as-late-as-possible
    // schedule of a compiled circuit, and the wait from a qubit's last gate to the common
    // measurement. Real devices decohere while waiting; Aer's model (and QuantumNAS's search) does not.
    bool idle = false;
};

class NoiseModel {
public:
    // The error attached to this gate on these ordered physical qubits, or nullptr when the gate
    // gets none (virtual rz, or not in the calibration — like Aer, which then adds no noise).
    const GateNoise* find(sim::GateKind kind, std::span<const int> physical_qubits) const;
    const GateNoise* find(std::string_view gate, std::span<const int> physical_qubits) const;
    const ReadoutError& readout(int qubit) const;
    int n_qubits() const { return static_cast<int>(readout_.size()); }
    const std::vector<GateNoise>& gates() const { return gates_; }
    // Clamps and "relaxation exceeds reported error" cases, one line each.
    const std::vector<std::string>& warnings() const { return warnings_; }
    const NoiseModelOptions& options() const { return options_; }
    // Thermal relaxation of a physical qubit left alone for `seconds` (T2 clamped to 2·T1).
    RelaxationParams idle_relaxation(int qubit, double seconds) const;
    // Duration of a gate on these ordered physical qubits in seconds (0 for virtual or uncalibrated gates).
    double gate_length(sim::GateKind kind, std::span<const int> physical_qubits) const;

private:
    friend NoiseModel build_noise_model(const Device&, const NoiseModelOptions&);
    NoiseModelOptions options_;
    std::vector<double> t1_, t2_;  // per qubit, seconds
    std::vector<GateNoise> gates_;
    std::map<std::string, std::size_t> index_;
    std::vector<ReadoutError> readout_;
    std::vector<std::string> warnings_;
};

// One gate's error per §3.4 (temperature 0). `t1`, `t2` per qubit of the gate, T2 already
// clamped to 2·T1. gate_error nullopt (reset) means relaxation only.
GateNoise build_gate_noise(const std::string& gate, std::span<const int> qubits, double gate_length,
                           std::optional<double> gate_error, std::span<const double> t1, std::span<const double> t2);

NoiseModel build_noise_model(const Device& device, const NoiseModelOptions& options = {});

// The props gate name of a gate kind ("id" for I, else the gate table's name).
std::string calibration_name(sim::GateKind kind);

// QuantumNAS's `estnoise` proxy: Π over the compiled circuit's gates of (1 − gate_error) from the
// calibration, with a factor of 0 (gate_error 1) replaced by 1e-5 as QuantumNAS does. Virtual
// gates (rz, p, u1, and any calibrated zero-error gate) count 0 error. Throws qnas::Error for a
// gate that is not calibrated on those qubits (the circuit is not compiled to the device).
double success_rate(const Device& device, const sim::Circuit& compiled_physical);

}  // namespace qnas::noise
