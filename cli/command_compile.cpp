// qnas compile CIRCUIT.qasm --device NAME: compiles a logical OpenQASM 2.0 circuit to a device
// (noise/compile.h: basis translation, layout, SABRE routing, native 2-qubit directions,
// optimisation) and writes the physical circuit as OpenQASM 2.0 (`qreg q[n_device]`, measures
// onto `creg c[n_logical]`) — the input `qnas simulate --device` expects. A one-line summary
// (layout, swaps, gate counts, depth, success-rate proxy) goes to stderr so stdout stays QASM.
#include <boost/program_options.hpp>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "noise/calibration.h"
#include "noise/compile.h"
#include "noise/layout.h"
#include "noise/noise_model.h"
#include "noise/optimize.h"
#include "sim/error.h"
#include "sim/qasm.h"

namespace qnas::cli {

namespace {

namespace po = boost::program_options;

std::string join(const std::vector<int>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s.append(i ? "," : "").append(std::to_string(v[i]));
    return s;
}

}  // namespace

int command_compile(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    po::options_description opts("qnas compile CIRCUIT.qasm --device NAME [options]");
    opts.add_options()("device", po::value<std::string>(), "device name (see qnas list devices) or calibration folder")(
        "layout", po::value<std::string>(),
        "physical qubit of each logical qubit, e.g. 0,1,3 (default: a noise-aware layout)")(
        "seed", po::value<std::uint64_t>()->default_value(42), "seed of the SABRE routing trials")(
        "data-dir", po::value<std::string>()->default_value(noise::default_data_dir()),
        "folder holding devices/<name>/{props,conf}.json")(
        "output,o", po::value<std::string>(), "write the compiled QASM here (default: stdout)")("help,h",
                                                                                                "print this help");
    const po::variables_map vm = parse_options(args, opts, "circuit", "OpenQASM 2.0 file", "compile");
    if (vm.count("help")) {
        out << opts
            << "Writes OpenQASM 2.0 on the device's physical qubits; prints a one-line summary to stderr.\n"
               "Examples:\n"
               "  qnas compile ghz.qasm --device quito -o ghz_quito.qasm\n"
               "  qnas compile ghz.qasm --device brisbane --layout 0,1,2 --seed 7\n"
               "  qnas simulate ghz_quito.qasm --device quito --noise exact\n";
        return 0;
    }
    if (!vm.count("circuit")) throw Error("compile: missing the CIRCUIT.qasm argument");
    if (!vm.count("device")) throw Error("compile: --device is required (qnas list devices shows the names)");
    const std::string path = vm["circuit"].as<std::string>();

    noise::CompileOptions options;
    options.routing.seed = vm["seed"].as<std::uint64_t>();
    if (vm.count("layout")) options.layout = noise::parse_layout(vm["layout"].as<std::string>());
    const noise::Device device = noise::load_device(vm["device"].as<std::string>(), vm["data-dir"].as<std::string>());
    const sim::Circuit logical = sim::bind(sim::load_qasm(path), {}, {});
    const noise::CompiledCircuit compiled = noise::compile(logical, device, options);
    const std::string qasm = sim::to_qasm(compiled.circuit);

    if (vm.count("output")) {
        const std::string target = vm["output"].as<std::string>();
        std::ofstream file(target, std::ios::binary);
        if (!(file << qasm) || !file.flush()) throw Error("compile: cannot write " + target);
    } else {
        out << qasm;
    }

    char rate[32];
    std::snprintf(rate, sizeof rate, "%.4g", noise::success_rate(device, compiled.circuit));
    std::string summary = "compiled for ";
    summary.append(device.name)
        .append(": layout ")
        .append(join(compiled.initial_layout))
        .append(" -> final ")
        .append(join(compiled.final_layout))
        .append(", swaps ")
        .append(std::to_string(compiled.n_swaps))
        .append(", 2q gates ")
        .append(std::to_string(compiled.two_qubit_before))
        .append(" -> ")
        .append(std::to_string(noise::two_qubit_count(compiled.circuit)))
        .append(" (")
        .append(device.two_qubit_gate())
        .append("), depth ")
        .append(std::to_string(compiled.depth_before))
        .append(" -> ")
        .append(std::to_string(noise::depth(compiled.circuit)))
        .append(", success rate ")
        .append(rate);
    err << summary << "\n";
    return 0;
}

}  // namespace qnas::cli
