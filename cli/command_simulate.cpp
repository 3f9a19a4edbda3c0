// qnas simulate: reads an OpenQASM 2.0 file and prints its output state as JSON, either the
// 2^n probabilities or the amplitudes as [re, im] pairs, little-endian over all declared qubits
// (qubit 0 is the lowest bit of the index). Measurements are ignored.
#include <boost/program_options.hpp>
#include <charconv>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
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

}  // namespace

int command_simulate(std::span<const std::string> args, std::ostream& out) {
    po::options_description opts("qnas simulate CIRCUIT.qasm [options]");
    opts.add_options()("output", po::value<std::string>()->default_value("probabilities"),
                       "what to print: probabilities (2^n numbers) or statevector (2^n [re, im] pairs)")(
        "help,h", "print this help");
    const po::variables_map vm = parse_options(args, opts, "circuit", "OpenQASM 2.0 file", "simulate");
    if (vm.count("help")) {
        out << opts << "Prints JSON, little-endian: index bit k is qubit k (Qiskit's order).\n";
        return 0;
    }
    if (!vm.count("circuit")) throw Error("simulate: missing the CIRCUIT.qasm argument");
    const std::string path = vm["circuit"].as<std::string>();
    const std::string output = vm["output"].as<std::string>();
    if (output != "probabilities" && output != "statevector")
        throw Error("simulate: --output must be one of probabilities, statevector (got '" + output + "')");

    const sim::Circuit c = sim::load_qasm(path);
    if (c.n_qubits > kMaxSimulateQubits)
        throw Error(path + ": the circuit has " + std::to_string(c.n_qubits) + " qubits; simulate supports at most " +
                    std::to_string(kMaxSimulateQubits) + " (a state vector of 2^n amplitudes)");
    const sim::State psi = sim::simulate(c);

    out << "[";
    if (output == "probabilities") {
        const std::vector<double> p = sim::probabilities(psi);
        for (std::size_t i = 0; i < p.size(); ++i) {
            if (i) out << ", ";
            write_number(out, p[i]);
        }
    } else {
        for (std::size_t i = 0; i < psi.size(); ++i) {
            out << (i ? ", [" : "[");
            write_number(out, psi[i].real());
            out << ", ";
            write_number(out, psi[i].imag());
            out << "]";
        }
    }
    out << "]\n";
    return 0;
}

}  // namespace qnas::cli
