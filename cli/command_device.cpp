// qnas device show NAME_OR_PATH [--data-dir D]: a device calibration's summary (qubits, basis,
// coupling, medians of T1/T2/readout and gate errors, clamps applied on load).
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "noise/noise.h"
#include "sim/error.h"

namespace qnas::cli {

namespace {

namespace po = boost::program_options;

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string num(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const auto& x : v) {
        if (!s.empty()) s += sep;
        s += x;
    }
    return s;
}

constexpr std::size_t kMaxWarningsShown = 10;
constexpr int kMaxQubitsForEdgeList = 27;

}  // namespace

int command_device(std::span<const std::string> args, std::ostream& out) {
    po::options_description opts("qnas device show NAME_OR_PATH [options]");
    opts.add_options()("data-dir", po::value<std::string>()->default_value(noise::default_data_dir()),
                       "folder holding devices/<name>/{props,conf}.json")("help,h", "print this help");
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        out << opts;
        return 0;
    }
    if (args[0] != "show") throw Error("device: expected a subcommand, one of: show (got '" + args[0] + "')");
    const po::variables_map vm = parse_options(args.subspan(1), opts, "device", "device name or folder", "device");
    if (vm.count("help")) {
        out << opts;
        return 0;
    }
    if (!vm.count("device")) throw Error("device show: expected a device name or folder");
    const noise::Device d = noise::load_device(vm["device"].as<std::string>(), vm["data-dir"].as<std::string>());
    const noise::NoiseModel m = noise::build_noise_model(d);

    std::vector<double> t1, t2, ro, e1, e2, len2;
    for (const auto& q : d.qubits) {
        t1.push_back(q.t1 * 1e6);
        t2.push_back(q.t2_reported * 1e6);
        ro.push_back(q.readout_error);
    }
    const std::string g2 = d.two_qubit_gate();
    for (const auto& g : d.gates) {
        if (g.name == "sx" && g.gate_error) e1.push_back(*g.gate_error);
        if (g.name == g2 && g.qubits.size() == 2) {
            if (g.gate_error) e2.push_back(*g.gate_error);
            len2.push_back(g.gate_length * 1e9);
        }
    }

    out << "device: " << d.name << " (" << d.backend_name << ")\n";
    out << "qubits: " << d.n_qubits << "\n";
    out << "basis: " << join(d.basis_gates, ", ") << "\n";
    out << "two-qubit gate: " << (g2.empty() ? "-" : g2) << "\n";
    out << "coupling: " << d.coupling_map.size() << " directed edges";
    if (d.n_qubits <= kMaxQubitsForEdgeList) {
        out << ":";
        for (auto [a, b] : d.coupling_map) out << " " << a << "-" << b;
    }
    out << "\n";
    out << "dt: " << num("%.6g", d.dt * 1e9) << " ns\n";
    out << "median T1: " << num("%.1f", median(t1)) << " us\n";
    out << "median T2: " << num("%.1f", median(t2)) << " us (as reported)\n";
    out << "median readout error: " << num("%.3g", median(ro)) << "\n";
    out << "median 1q error (sx): " << num("%.3g", median(e1)) << "\n";
    out << "median 2q error (" << (g2.empty() ? "-" : g2) << "): " << num("%.3g", median(e2)) << "\n";
    if (!len2.empty())
        out << "2q gate length: " << num("%.0f", *std::min_element(len2.begin(), len2.end())) << "-"
            << num("%.0f", *std::max_element(len2.begin(), len2.end())) << " ns\n";
    std::vector<std::string> lines = d.warnings;
    for (const auto& w : m.warnings())
        if (w.find("clamped") != std::string::npos) lines.push_back(w);
    int no_depol = 0;
    for (const auto& g : m.gates()) no_depol += g.gate_error && *g.gate_error > 0 && !g.has_depolarizing;
    out << "gates with relaxation error >= reported error (no depolarizing part): " << no_depol << "\n";
    out << "clamps and warnings: " << lines.size() << "\n";
    for (std::size_t i = 0; i < lines.size() && i < kMaxWarningsShown; ++i) out << "  " << lines[i] << "\n";
    if (lines.size() > kMaxWarningsShown) out << "  ... and " << lines.size() - kMaxWarningsShown << " more\n";
    return 0;
}

}  // namespace qnas::cli
