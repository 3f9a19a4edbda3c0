// qnas analyze expressibility|entanglement|hardware|plateau: the PQC metrics of analysis/ on a
// built-in circuit (Sim et al.'s 19, McClean's random circuits), a design-space SubCircuit, or a
// QASM file whose constant angles become free parameters. One JSON object goes to stdout, a
// one-line human summary to stderr.
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "noise/calibration.h"
#include "noise/layout.h"
#include "sim/error.h"
#include "sim/qasm.h"
#include "supercircuit/design_space.h"

namespace qnas::cli {

namespace {

namespace po = boost::program_options;
using nlohmann::json;

// A non-negative integer, the whole of `text`, or nullopt.
std::optional<int> parse_int(const std::string& text) {
    if (text.empty() || text.size() > 9) return std::nullopt;
    int v = 0;
    for (char ch : text) {
        if (ch < '0' || ch > '9') return std::nullopt;
        v = v * 10 + (ch - '0');
    }
    return v;
}

// "1,2,3" → {1, 2, 3}; throws naming the option.
std::vector<int> parse_int_list(const std::string& text, const std::string& option) {
    std::vector<int> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const auto v = parse_int(item);
        if (!v) throw Error("analyze: " + option + " '" + text + "': expected comma-separated non-negative integers");
        out.push_back(*v);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

// "2..8", "2,3,5" or "4".
std::vector<int> parse_qubits(const std::string& text) {
    const std::size_t dots = text.find("..");
    if (dots == std::string::npos) return parse_int_list(text, "--qubits");
    const auto lo = parse_int(text.substr(0, dots)), hi = parse_int(text.substr(dots + 2));
    if (!lo || !hi || *lo > *hi) throw Error("analyze: --qubits '" + text + "': expected LO..HI with LO <= HI");
    std::vector<int> out;
    for (int n = *lo; n <= *hi; ++n) out.push_back(n);
    return out;
}

std::string join(const std::vector<int>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s.append(i ? "," : "").append(std::to_string(v[i]));
    return s;
}

// "2..8" for a contiguous ascending run, else "2,4,6".
std::string range_text(const std::vector<int>& v) {
    bool run = v.size() > 2;
    for (std::size_t i = 1; i < v.size(); ++i) run = run && v[i] == v[i - 1] + 1;
    return run ? std::to_string(v.front()) + ".." + std::to_string(v.back()) : join(v);
}

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

// " 6q" in labels; nothing for the usual 4 qubits.
std::string qubit_suffix(int n) {
    std::string s;
    if (n != 4) s.append(" ").append(std::to_string(n)).append("q");
    return s;
}

// The circuit being analysed and how to name it.
struct Source {
    sim::Circuit circuit;
    std::string label;  // e.g. "sim19:9 L=1", "u3cu3 4q arch 4,4,...", "ghz.qasm"
    json description;
};

// sim19:N → N (1…19); throws for anything else.
int sim19_id(const std::string& spec) {
    if (spec.rfind("sim19:", 0) != 0)
        throw Error("analyze: unknown circuit '" + spec + "' (expected sim19:1 ... sim19:19" +
                    std::string(spec == "mcclean" ? "; mcclean is for the plateau metric" : "") + ")");
    const auto id = parse_int(spec.substr(6));
    if (!id || *id < 1 || *id > 19) throw Error("analyze: unknown circuit '" + spec + "' (Sim et al. number 1 ... 19)");
    return *id;
}

int single_qubit_count(const po::variables_map& vm, int fallback) {
    if (!vm.count("qubits")) return fallback;
    const auto q = parse_qubits(vm["qubits"].as<std::string>());
    if (q.size() != 1) throw Error("analyze: --qubits takes one count for this metric");
    return q[0];
}

supercircuit::Arch parse_arch(const supercircuit::DesignSpace& s, const std::string& text) {
    if (text == "largest") return supercircuit::largest_arch(s);
    if (text == "smallest") return supercircuit::smallest_arch(s);
    if (!text.empty() && (text[0] < '0' || text[0] > '9')) return supercircuit::human_baseline(s, text);
    supercircuit::Arch arch = parse_int_list(text, "--arch");
    supercircuit::validate_human_arch(s, arch);
    return arch;
}

Source load_source(const po::variables_map& vm) {
    const int n_sources = static_cast<int>(vm.count("circuit") + vm.count("space") + vm.count("qasm"));
    if (n_sources != 1)
        throw Error("analyze: give exactly one of --circuit sim19:N, --space NAME --arch GENE, --qasm FILE");
    if (vm.count("layers") && !vm.count("circuit")) throw Error("analyze: --layers applies to --circuit sim19:N only");
    if (vm.count("arch") && !vm.count("space")) throw Error("analyze: --arch needs --space NAME");
    Source src;
    if (vm.count("circuit")) {
        const std::string spec = vm["circuit"].as<std::string>();
        const int id = sim19_id(spec);
        const int layers = vm.count("layers") ? vm["layers"].as<int>() : 1;
        const int n = single_qubit_count(vm, 4);
        if (layers < 1) throw Error("analyze: --layers must be at least 1");
        if (n < 2 || n > 20) throw Error("analyze: --qubits " + std::to_string(n) + " out of range [2, 20]");
        src.circuit = analysis::sim19_circuit(id, layers, n);
        src.label = spec + " L=" + std::to_string(layers) + qubit_suffix(n);
        src.description = {{"kind", "sim19"}, {"id", id}, {"layers", layers}};
    } else if (vm.count("space")) {
        if (!vm.count("arch"))
            throw Error("analyze: --space needs --arch (1,2,... | largest | smallest | a baseline name)");
        const int n = single_qubit_count(vm, 4);
        const auto space = supercircuit::design_space(vm["space"].as<std::string>(), n);
        const supercircuit::Arch arch = parse_arch(space, vm["arch"].as<std::string>());
        src.circuit = supercircuit::build_subcircuit(space, arch);
        src.label = space.name + " arch " + join(arch) + qubit_suffix(n);
        src.description = {{"kind", "space"},
                           {"space", space.name},
                           {"arch", arch},
                           {"params", supercircuit::count_params(space, arch)}};
    } else {
        const std::string path = vm["qasm"].as<std::string>();
        src.circuit = analysis::free_angles(sim::load_qasm(path));
        src.label = path;
        src.description = {{"kind", "qasm"}, {"file", path}};
    }
    src.description["n_qubits"] = src.circuit.n_qubits;
    src.description["n_trainable"] = src.circuit.n_trainable;
    return src;
}

qnas::Parallelism threads_of(const po::variables_map& vm) {
    const int t = vm["threads"].as<int>();
    if (t < 0) throw Error("analyze: --threads must be at least 0");
    return qnas::Parallelism{t};
}

int run_expressibility(const po::variables_map& vm, std::ostream& out, std::ostream& err) {
    const Source src = load_source(vm);
    analysis::ExpressibilityOptions o;
    o.pairs = vm["pairs"].as<int>();
    o.bins = vm["bins"].as<int>();
    o.bootstrap = vm["bootstrap"].as<int>();
    o.seed = vm["seed"].as<std::uint64_t>();
    o.parallelism = threads_of(vm);
    if (o.bootstrap < 0) throw Error("analyze: --bootstrap must be at least 0");
    const auto r = analysis::expressibility(src.circuit, o);
    const json j = {
        {"metric", "expressibility"}, {"circuit", src.description}, {"kl", r.kl},     {"std_error", r.std_error},
        {"haar_floor", r.haar_floor}, {"pairs", r.pairs},           {"bins", r.bins}, {"seed", o.seed},
        {"histogram", r.histogram}};
    out << j.dump() << "\n";
    err << "expressibility " << src.label << ": " << fmt("%.4g", r.kl) << " ± " << fmt("%.2g", r.std_error)
        << " (Haar floor " << fmt("%.2g", r.haar_floor) << ", " << r.pairs << " pairs)\n";
    return 0;
}

int run_entanglement(const po::variables_map& vm, std::ostream& out, std::ostream& err) {
    const Source src = load_source(vm);
    analysis::EntanglementOptions o;
    o.samples = vm["samples"].as<int>();
    o.seed = vm["seed"].as<std::uint64_t>();
    o.parallelism = threads_of(vm);
    const auto r = analysis::entangling_capability(src.circuit, o);
    const double n = std::ldexp(1.0, src.circuit.n_qubits);
    const double haar = 2.0 * (n / 2.0 - 1.0) / (n + 1.0);  // Meyer–Wallach Q of Haar states
    const json j = {{"metric", "entanglement"},
                    {"circuit", src.description},
                    {"mean", r.mean},
                    {"std_error", r.std_error},
                    {"samples", r.samples},
                    {"haar", haar},
                    {"seed", o.seed}};
    out << j.dump() << "\n";
    err << "entanglement " << src.label << ": " << fmt("%.4f", r.mean) << " ± " << fmt("%.4f", r.std_error) << " (Haar "
        << fmt("%.4f", haar) << ", " << r.samples << " samples)\n";
    return 0;
}

int run_hardware(const po::variables_map& vm, std::ostream& out, std::ostream& err) {
    if (!vm.count("device")) throw Error("analyze: hardware needs --device NAME (qnas list devices shows the names)");
    std::optional<std::vector<int>> layout;
    if (vm.count("layout")) layout = noise::parse_layout(vm["layout"].as<std::string>());
    const noise::Device device = noise::load_device(vm["device"].as<std::string>(), vm["data-dir"].as<std::string>());
    const Source src = load_source(vm);
    const std::uint64_t seed = vm["seed"].as<std::uint64_t>();
    const auto r = analysis::hardware_efficiency(src.circuit, device, layout, seed);
    const json j = {
        {"metric", "hardware"},
        {"circuit", src.description},
        {"device", r.device},
        {"layout", r.layout},
        {"logical", {{"gates", r.logical_gates}, {"two_qubit", r.logical_two_qubit}, {"depth", r.logical_depth}}},
        {"compiled",
         {{"gates", r.compiled_gates},
          {"two_qubit", r.compiled_two_qubit},
          {"depth", r.compiled_depth},
          {"swaps", r.swaps}}},
        {"success_rate", r.success_rate},
        {"seed", seed}};
    out << j.dump() << "\n";
    err << "hardware " << src.label << " on " << r.device << ": layout " << join(r.layout) << ", swaps " << r.swaps
        << ", 2q gates " << r.logical_two_qubit << " -> " << r.compiled_two_qubit << ", depth " << r.logical_depth
        << " -> " << r.compiled_depth << ", success rate " << fmt("%.4g", r.success_rate) << "\n";
    return 0;
}

int run_plateau(const po::variables_map& vm, std::ostream& out, std::ostream& err) {
    if (vm.count("qasm")) throw Error("analyze: plateau takes --circuit mcclean or --space NAME, not --qasm");
    if (vm.count("arch")) throw Error("analyze: plateau uses the largest arch of --space per qubit count; drop --arch");
    analysis::PlateauOptions o;
    o.qubits =
        vm.count("qubits") ? parse_qubits(vm["qubits"].as<std::string>()) : std::vector<int>{2, 3, 4, 5, 6, 7, 8};
    o.layers = vm.count("layers") ? vm["layers"].as<int>() : 100;
    o.circuits = vm["circuits"].as<int>();
    o.seed = vm["seed"].as<std::uint64_t>();
    o.parallelism = threads_of(vm);
    for (int n : o.qubits)
        if (n < 2 || n > 16) throw Error("analyze: plateau --qubits " + std::to_string(n) + " out of range [2, 16]");

    json circuit;
    std::string label;
    analysis::PlateauResult r;
    if (vm.count("space")) {
        if (vm.count("layers"))
            throw Error("analyze: --layers is for --circuit mcclean; a space uses its largest arch");
        const std::string name = vm["space"].as<std::string>();
        const auto build = [&](int n) {
            const auto s = supercircuit::design_space(name, n);
            return supercircuit::build_subcircuit(s, supercircuit::largest_arch(s));
        };
        const auto used = sim::used_trainables(build(o.qubits.front()));
        if (used.empty()) throw Error("analyze: space " + name + " has no trainable angle");
        circuit = {{"kind", "space"}, {"space", name}, {"arch", "largest"}, {"parameter", used.front()}};
        label = name + " (largest arch), trainable " + std::to_string(used.front());
        r = analysis::gradient_variance(build, o, used.front());
    } else {
        const std::string spec = vm.count("circuit") ? vm["circuit"].as<std::string>() : "mcclean";
        if (spec != "mcclean")
            throw Error("analyze: plateau --circuit must be mcclean (or use --space NAME), got '" + spec + "'");
        circuit = {{"kind", "mcclean"}, {"layers", o.layers}};
        label = "mcclean L=" + std::to_string(o.layers);
        r = analysis::mcclean_plateau(o);
    }
    json points = json::array();
    for (const auto& p : r.points)
        points.push_back({{"n_qubits", p.n_qubits},
                          {"mean", p.mean},
                          {"variance", p.variance},
                          {"std_error", p.std_error},
                          {"predicted", p.predicted}});
    const json j = {{"metric", "plateau"}, {"circuit", circuit}, {"circuits", o.circuits},
                    {"seed", o.seed},      {"points", points},   {"ln_slope", r.ln_slope}};
    out << j.dump() << "\n";
    err << "plateau " << label << ": ln-slope " << fmt("%.3f", r.ln_slope)
        << " per qubit over n = " << range_text(o.qubits) << " (2-design: -ln 2 = -0.693; " << o.circuits
        << " circuits per n)\n";
    return 0;
}

}  // namespace

int command_analyze(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    po::options_description opts(
        "qnas analyze expressibility|entanglement|hardware|plateau [circuit] [options]\n"
        "circuit: --circuit sim19:N [--layers L] [--qubits n] | --space NAME --arch GENE [--qubits n] | --qasm FILE");
    opts.add_options()("circuit", po::value<std::string>(),
                       "sim19:1 ... sim19:19 (Sim et al. 2019), or mcclean (plateau; the default there)")(
        "layers", po::value<int>(), "layers of the built-in circuit (default 1; plateau 100)")(
        "qubits", po::value<std::string>(),
        "qubit count (default 4); plateau: a range or list, e.g. 2..8 (the default) or 2,4,6")(
        "space", po::value<std::string>(),
        "design space (qnas list spaces); plateau: its largest arch per qubit count")(
        "arch", po::value<std::string>(), "gene of --space: 1,2,... | largest | smallest | a baseline name (param36)")(
        "qasm", po::value<std::string>(), "OpenQASM 2.0 file; every constant rotation angle becomes a free parameter")(
        "pairs", po::value<int>()->default_value(5000), "expressibility: fidelity pairs")(
        "bins", po::value<int>()->default_value(75), "expressibility: histogram bins on [0, 1]")(
        "bootstrap", po::value<int>()->default_value(200),
        "expressibility: resamples for the standard error (0: none)")("samples", po::value<int>()->default_value(5000),
                                                                      "entanglement: sampled parameter vectors")(
        "circuits", po::value<int>()->default_value(2000), "plateau: random circuits (or draws) per qubit count")(
        "device", po::value<std::string>(), "hardware: device name (qnas list devices) or calibration folder")(
        "layout", po::value<std::string>(), "hardware: physical qubit of each logical qubit (default: noise-aware)")(
        "seed", po::value<std::uint64_t>()->default_value(0), "seed of the parameter draws")(
        "threads", po::value<int>()->default_value(0), "worker threads (0 = all cores)")(
        "data-dir", po::value<std::string>()->default_value(noise::default_data_dir()),
        "folder holding devices/<name>/{props,conf}.json")("help,h", "print this help");
    const po::variables_map vm =
        parse_options(args, opts, "metric", "expressibility|entanglement|hardware|plateau", "analyze");
    if (vm.count("help")) {
        out << opts
            << "Prints one JSON object to stdout and a one-line summary to stderr.\n"
               "Examples:\n"
               "  qnas analyze expressibility --circuit sim19:9 --layers 1\n"
               "  qnas analyze entanglement --space u3cu3 --arch param36 --samples 2000\n"
               "  qnas analyze hardware --qasm ansatz.qasm --device quito --layout 0,1,3,4\n"
               "  qnas analyze plateau --qubits 2..8 --layers 100 --circuits 2000 --threads 2\n"
               "  qnas analyze plateau --space barren --qubits 2..6 --circuits 500\n";
        return 0;
    }
    if (!vm.count("metric"))
        throw Error("analyze: missing the metric (expressibility, entanglement, hardware or plateau)");
    const std::string metric = vm["metric"].as<std::string>();
    if (metric == "expressibility") return run_expressibility(vm, out, err);
    if (metric == "entanglement") return run_entanglement(vm, out, err);
    if (metric == "hardware") return run_hardware(vm, out, err);
    if (metric == "plateau") return run_plateau(vm, out, err);
    throw Error("analyze: unknown metric '" + metric + "' (expressibility, entanglement, hardware or plateau)");
}

}  // namespace qnas::cli
