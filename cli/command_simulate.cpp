// qnas simulate: reads an OpenQASM 2.0 file and prints JSON probabilities.
//  - Without --device: the ideal output state over all declared qubits, as 2^n probabilities or
//    amplitudes ([re, im] pairs), little-endian (qubit 0 is the lowest bit of the index).
//    Measurements are ignored.
//  - With --device: the circuit must already be a physical circuit of that device (what `qnas
//    compile` writes: basis gates on calibrated qubits and pairs); it is executed under the
//    device's noise model (noise/noisy_execution.h) and the distribution over the classical
//    register is printed (clbit 0 is the lowest bit), readout error included.
#include <algorithm>
#include <boost/program_options.hpp>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "noise/calibration.h"
#include "noise/noise_model.h"
#include "noise/noisy_execution.h"
#include "sim/error.h"
#include "sim/qasm.h"
#include "sim/statevector.h"

namespace qnas::cli {

namespace {

namespace po = boost::program_options;

// A state vector needs 16·2^n bytes; beyond this the command refuses rather than exhausting memory.
constexpr int kMaxSimulateQubits = 24;

void write_number(std::ostream& out, double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip, C locale, valid JSON
    out.write(buf, r.ptr - buf);
}

void write_list(std::ostream& out, const std::vector<double>& v) {
    out << "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out << ", ";
        write_number(out, v[i]);
    }
    out << "]\n";
}

std::string join_qubits(std::span<const int> q) {
    std::string s;
    for (std::size_t i = 0; i < q.size(); ++i) s.append(i ? "," : "").append(std::to_string(q[i]));
    return s;
}

// Refuses a circuit that is not a physical circuit of the device, naming the first offending op.
// Running a logical circuit on qubits 0..n-1 would silently skip routing and basis translation
// (and Aer-style noise lookups would find no error for the gates), so this is an error.
void check_on_device(const sim::Circuit& c, const noise::Device& d, const std::string& path) {
    std::string hint = "; run 'qnas compile ";
    hint.append(path).append(" --device ").append(d.name).append("' first");
    if (c.n_qubits > d.n_qubits)
        throw Error(path + ": the circuit has " + std::to_string(c.n_qubits) + " qubits, " + d.name + " has " +
                    std::to_string(d.n_qubits) + hint);
    for (std::size_t i = 0; i < c.ops.size(); ++i) {
        const sim::Op& op = c.ops[i];
        const std::string name = noise::calibration_name(op.kind);
        const std::span<const int> qubits(op.qubits.data(), static_cast<std::size_t>(sim::gate_info(op.kind).n_qubits));
        std::string where = path;
        where.append(": gate ").append(std::to_string(i)).append(" (").append(name).append(" on qubit");
        where.append(qubits.size() > 1 ? "s " : " ").append(join_qubits(qubits)).append(")");
        if (std::find(d.basis_gates.begin(), d.basis_gates.end(), name) == d.basis_gates.end())
            throw Error(where + " is not in " + d.name + "'s basis" + hint);
        if (d.find_gate(name, qubits) == nullptr)
            throw Error(where + (qubits.size() > 1 ? " is not a native pair of " : " is not calibrated on ") + d.name +
                        hint);
    }
}

int simulate_on_device(const po::variables_map& vm, const std::string& path, std::ostream& out) {
    const std::string device_name = vm["device"].as<std::string>();
    if (vm["output"].as<std::string>() != "probabilities")
        throw Error(
            "simulate: with --device only --output probabilities is available (a noisy run has no state "
            "vector)");
    noise::ExecutionOptions o;
    try {
        o.method = noise::parse_noise_method(vm.count("noise") ? vm["noise"].as<std::string>() : "exact");
    } catch (const Error& e) {
        throw Error(std::string("simulate: --") + e.what());
    }
    if (vm.count("shots") && o.method != noise::NoiseMethod::Shots)
        throw Error("simulate: --shots needs --noise shots");
    if (vm.count("trajectories") && o.method != noise::NoiseMethod::Trajectories)
        throw Error("simulate: --trajectories needs --noise trajectories");
    if (vm.count("shots")) o.shots = vm["shots"].as<int>();
    if (vm.count("trajectories")) o.trajectories = vm["trajectories"].as<int>();
    if (vm.count("seed")) o.seed = vm["seed"].as<std::uint64_t>();

    const sim::Circuit c = sim::load_qasm(path);
    const noise::Device d = noise::load_device(device_name, vm["data-dir"].as<std::string>());
    check_on_device(c, d, path);
    noise::NoiseModelOptions mo;
    mo.idle = vm.count("idle-noise") > 0;
    const noise::NoiseModel model = noise::build_noise_model(d, mo);
    noise::ExecutionResult r;
    try {
        r = noise::execute(c, model, o);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    write_list(out, r.probabilities);
    return 0;
}

}  // namespace

int command_simulate(std::span<const std::string> args, std::ostream& out) {
    po::options_description opts("qnas simulate CIRCUIT.qasm [options]");
    opts.add_options()("output", po::value<std::string>()->default_value("probabilities"),
                       "what to print: probabilities (2^n numbers) or statevector (2^n [re, im] pairs); "
                       "probabilities only with --device")(
        "device", po::value<std::string>(),
        "run the compiled circuit (see qnas compile) under this device's noise model; prints the "
        "distribution over the classical register")(
        "noise", po::value<std::string>(),
        "with --device: none, exact (density matrix, default), shots or trajectories")(
        "shots", po::value<int>(), "with --noise shots: number of shots (default 8192)")(
        "trajectories", po::value<int>(), "with --noise trajectories: number of trajectories (default 1000)")(
        "seed", po::value<std::uint64_t>(), "with --device: seed for shots / trajectories (default 42)")(
        "idle-noise", "with --device: also relax waiting qubits (ALAP schedule; noise_model.idle in configs)")(
        "data-dir", po::value<std::string>()->default_value(noise::default_data_dir()),
        "folder holding devices/<name>/{props,conf}.json")("help,h", "print this help");
    const po::variables_map vm = parse_options(args, opts, "circuit", "OpenQASM 2.0 file", "simulate");
    if (vm.count("help")) {
        out << opts
            << "Prints JSON, little-endian: index bit k is qubit k (Qiskit's order); with --device, bit k is "
               "clbit k.\n"
               "Examples:\n"
               "  qnas simulate bell.qasm\n"
               "  qnas compile ghz.qasm --device quito -o ghz_quito.qasm\n"
               "  qnas simulate ghz_quito.qasm --device quito --noise shots --shots 8192 --seed 1\n"
               "  qnas simulate ghz_quito.qasm --device quito --idle-noise\n";
        return 0;
    }
    if (!vm.count("circuit")) throw Error("simulate: missing the CIRCUIT.qasm argument");
    const std::string path = vm["circuit"].as<std::string>();
    if (vm.count("device")) return simulate_on_device(vm, path, out);
    for (const char* flag : {"noise", "shots", "trajectories", "seed", "idle-noise"})
        if (vm.count(flag)) throw Error(std::string("simulate: --").append(flag).append(" needs --device"));
    const std::string output = vm["output"].as<std::string>();
    if (output != "probabilities" && output != "statevector")
        throw Error("simulate: --output must be one of probabilities, statevector (got '" + output + "')");

    const sim::Circuit c = sim::load_qasm(path);
    if (c.n_qubits > kMaxSimulateQubits)
        throw Error(path + ": the circuit has " + std::to_string(c.n_qubits) + " qubits; simulate supports at most " +
                    std::to_string(kMaxSimulateQubits) + " (a state vector of 2^n amplitudes)");
    const sim::State psi = sim::simulate(c);

    if (output == "probabilities") {
        write_list(out, sim::probabilities(psi));
    } else {
        out << "[";
        for (std::size_t i = 0; i < psi.size(); ++i) {
            out << (i ? ", [" : "[");
            write_number(out, psi[i].real());
            out << ", ";
            write_number(out, psi[i].imag());
            out << "]";
        }
        out << "]\n";
    }
    return 0;
}

}  // namespace qnas::cli
