// Device calibrations: an IBM backend's `props.json` (per-qubit T1/T2/readout, per-gate error and
// duration) and `conf.json` (qubit count, basis gates, coupling map, dt) loaded into one value
// type, converted to SI units (seconds, Hz) and validated. Every problem in the input is one
// qnas::Error line naming the file and the JSON pointer of the offending value. The clamps a
// physical model needs (T2 ≤ 2·T1, gate error ≤ d/(d+1)) are applied here and recorded in
// Device::warnings; noise_model.h builds Qiskit Aer's noise model from the result.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qnas::noise {

// One physical qubit. Times in seconds, frequency in Hz, probabilities in [0, 1].
struct QubitCalibration {
    double t1 = 0.0;
    double t2 = 0.0;           // after the clamp T2 ≤ 2·T1
    double t2_reported = 0.0;  // as in props.json (converted to seconds)
    double readout_error = 0.0;
    double prob_meas0_prep1 = 0.0;  // P(read 0 | prepared 1); = readout_error when absent
    double prob_meas1_prep0 = 0.0;  // P(read 1 | prepared 0); = readout_error when absent
    std::optional<double> readout_length;
    std::optional<double> frequency;
};

// One calibrated gate entry of props.json: gate `name` on the ordered physical `qubits`.
struct GateCalibration {
    std::string name;   // basis-gate name as in props: id, rz, sx, x, cx, ecr, reset, ...
    std::string label;  // props entry name, e.g. "cx0_1"
    std::vector<int> qubits;
    std::optional<double> gate_error;  // 1 − average gate fidelity; absent for reset
    double gate_length = 0.0;          // seconds; 0 for virtual gates (rz)
};

struct Device {
    std::string name;          // folder name (or the path's last component)
    std::string backend_name;  // e.g. "ibmq_quito"
    int n_qubits = 0;
    std::vector<std::string> basis_gates;          // conf order
    std::vector<std::array<int, 2>> coupling_map;  // directed edges, conf order
    double dt = 0.0;                               // seconds
    std::vector<QubitCalibration> qubits;
    std::vector<GateCalibration> gates;  // props order
    std::vector<std::string> warnings;   // clamps applied on load, one line each

    // The entry for gate `name` on exactly these ordered qubits, or nullptr.
    const GateCalibration* find_gate(std::string_view name, std::span<const int> qubits) const;
    // The two-qubit basis gate ("cx" or "ecr"), or "" when the basis has none.
    std::string two_qubit_gate() const;

    std::map<std::string, std::size_t> gate_index;  // key "name:q0,q1" → index into gates
};

// Loads a device. `name_or_path` is a device name, resolved to <data_dir>/devices/<name>/, or a
// path (anything containing '/' or naming an existing folder) to a folder holding props.json and
// conf.json, or to one of those two files. Throws qnas::Error (one line: file, JSON pointer,
// problem) on invalid input. Unlike Aer (which treats a missing T1 as ∞), missing T1/T2 is an
// error; readout probabilities default to readout_error, then 0.
Device load_device(const std::string& name_or_path, const std::string& data_dir);

// $QNAS_DATA_DIR when set, else "data" (relative to the working directory).
std::string default_data_dir();

// Names of the device folders under <data_dir>/devices (those holding a props.json), sorted.
// Throws qnas::Error if <data_dir>/devices is not a readable folder.
std::vector<std::string> list_devices(const std::string& data_dir);

// Converts a calibration value to SI: times (s, ms, us, µs, ns) to seconds, frequencies (Hz,
// kHz, MHz, GHz) to Hz, "" (dimensionless) unchanged. Returns nullopt for an unknown unit.
std::optional<double> to_si(double value, std::string_view unit);

// "cx:0,1": the lookup key of a gate on ordered physical qubits, shared by Device and NoiseModel.
std::string gate_key(std::string_view name, std::span<const int> qubits);

}  // namespace qnas::noise
