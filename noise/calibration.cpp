#include "noise/calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/error.h"

namespace qnas::noise {

namespace {

namespace fs = std::filesystem;

constexpr double kLong1qGate = 300e-9;  // seconds; longer single-qubit pulses are suspicious
using nlohmann::json;

std::string describe(const json& j) {
    std::string s = j.dump();
    if (s.size() > 40) s = s.substr(0, 37) + "...";
    return s;
}

const char* type_name(const json& j) {
    switch (j.type()) {
        case json::value_t::null: return "null";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::string: return "a string";
        case json::value_t::array: return "an array";
        case json::value_t::object: return "an object";
        default: return "a number";
    }
}

// A JSON document with its file name, for error messages "<file>: <pointer>: <problem>".
struct Doc {
    std::string file;
    json root;

    [[noreturn]] void fail(const std::string& ptr, const std::string& msg) const {
        throw Error(file + ": " + (ptr.empty() ? std::string("/") : ptr) + ": " + msg);
    }
    const json& member(const json& obj, const std::string& ptr, const std::string& key) const {
        if (!obj.is_object()) fail(ptr, std::string("expected an object, got ") + type_name(obj));
        auto it = obj.find(key);
        if (it == obj.end()) fail(ptr + "/" + key, "missing");
        return *it;
    }
    const json& array(const json& j, const std::string& ptr) const {
        if (!j.is_array()) fail(ptr, std::string("expected an array, got ") + type_name(j) + " " + describe(j));
        return j;
    }
    double number(const json& j, const std::string& ptr) const {
        if (!j.is_number()) fail(ptr, std::string("expected a number, got ") + describe(j));
        const double v = j.get<double>();
        if (!std::isfinite(v)) fail(ptr, "expected a finite number");
        return v;
    }
    int integer(const json& j, const std::string& ptr) const {
        if (!j.is_number_integer()) fail(ptr, std::string("expected an integer, got ") + describe(j));
        return j.get<int>();
    }
    std::string string(const json& j, const std::string& ptr) const {
        if (!j.is_string()) fail(ptr, std::string("expected a string, got ") + describe(j));
        return j.get<std::string>();
    }
    int qubit(const json& j, const std::string& ptr, int n_qubits) const {
        const int q = integer(j, ptr);
        if (q < 0 || q >= n_qubits)
            fail(ptr, "qubit index " + std::to_string(q) + " out of range (device has " + std::to_string(n_qubits) +
                          " qubits)");
        return q;
    }
};

Doc read_json(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(file + ": cannot open file");
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error(file + ": cannot read file");
    Doc d{file, {}};
    try {
        d.root = json::parse(ss.str());
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        const auto close = what.find("] ");
        if (close != std::string::npos) what = what.substr(close + 2);
        throw Error(file + ": invalid JSON: " + what);
    }
    return d;
}

// The value of an Nduv record {"name", "unit", "value"} at `ptr`, converted to SI.
double nduv_value(const Doc& d, const json& rec, const std::string& ptr) {
    const double v = d.number(d.member(rec, ptr, "value"), ptr + "/value");
    std::string unit;
    if (auto it = rec.find("unit"); it != rec.end()) unit = d.string(*it, ptr + "/unit");
    const auto si = to_si(v, unit);
    if (!si) d.fail(ptr + "/unit", "unknown unit \"" + unit + "\"");
    return *si;
}

void check_positive(const Doc& d, double v, const std::string& ptr, const char* what) {
    if (!(v > 0)) d.fail(ptr, std::string(what) + " must be positive, got " + std::to_string(v));
}

void check_probability(const Doc& d, double v, const std::string& ptr) {
    if (v < 0 || v > 1) d.fail(ptr, "expected a probability in [0, 1], got " + std::to_string(v));
}

std::string fmt(double v) {
    std::ostringstream os;
    os.precision(6);
    os << v;
    return os.str();
}

bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

}  // namespace

std::optional<double> to_si(double value, std::string_view unit) {
    if (unit.empty()) return value;
    if (unit == "s") return value;
    if (unit == "ms") return value * 1e-3;
    if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return value * 1e-6;  // µ (micro sign / mu)
    if (unit == "ns") return value * 1e-9;
    if (unit == "Hz") return value;
    if (unit == "kHz") return value * 1e3;
    if (unit == "MHz") return value * 1e6;
    if (unit == "GHz") return value * 1e9;
    return std::nullopt;
}

const GateCalibration* Device::find_gate(std::string_view gate, std::span<const int> qs) const {
    auto it = gate_index.find(gate_key(gate, qs));
    return it == gate_index.end() ? nullptr : &gates[it->second];
}

std::string Device::two_qubit_gate() const {
    for (const auto& g : basis_gates)
        if (g == "cx" || g == "ecr" || g == "cz") return g;
    return "";
}

std::string default_data_dir() {
    if (const char* env = std::getenv("QNAS_DATA_DIR"); env && *env) return env;
    return "data";
}

std::vector<std::string> list_devices(const std::string& data_dir) {
    const fs::path root = fs::path(data_dir) / "devices";
    if (!is_dir(root)) throw Error(root.string() + ": not a folder (set --data-dir to the folder holding devices/)");
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root, ec))
        if (entry.is_directory() && fs::exists(entry.path() / "props.json"))
            names.push_back(entry.path().filename().string());
    if (ec) throw Error(root.string() + ": cannot list folder: " + ec.message());
    std::sort(names.begin(), names.end());
    return names;
}

Device load_device(const std::string& name_or_path, const std::string& data_dir) {
    if (name_or_path.empty()) throw Error("device: empty device name");
    fs::path folder;
    const bool is_path = name_or_path.find('/') != std::string::npos || is_dir(name_or_path);
    std::error_code ec;
    if (is_path && fs::is_regular_file(name_or_path, ec)) {
        // A props.json or conf.json file: its folder holds the pair.
        folder = fs::path(name_or_path).parent_path();
        if (folder.empty()) folder = ".";
    } else if (is_path) {
        folder = fs::path(name_or_path);
    } else {
        folder = fs::path(data_dir) / "devices" / name_or_path;
        if (!is_dir(folder))
            throw Error("unknown device '" + name_or_path + "': no folder " + folder.string() +
                        " (qnas list devices shows the known ones; --data-dir sets where to look)");
    }
    if (!is_dir(folder)) throw Error(folder.string() + ": not a device folder");

    const Doc props = read_json((folder / "props.json").string());
    const Doc conf = read_json((folder / "conf.json").string());

    Device dev;
    dev.name = folder.filename().empty() ? folder.parent_path().filename().string() : folder.filename().string();
    const json& pr = props.root;
    const json& cr = conf.root;

    // conf.json
    dev.n_qubits = conf.integer(conf.member(cr, "", "n_qubits"), "/n_qubits");
    if (dev.n_qubits <= 0) conf.fail("/n_qubits", "must be positive, got " + std::to_string(dev.n_qubits));
    if (auto it = cr.find("backend_name"); it != cr.end()) dev.backend_name = conf.string(*it, "/backend_name");
    {
        const json& bg = conf.array(conf.member(cr, "", "basis_gates"), "/basis_gates");
        for (std::size_t i = 0; i < bg.size(); ++i)
            dev.basis_gates.push_back(conf.string(bg[i], "/basis_gates/" + std::to_string(i)));
    }
    if (auto it = cr.find("dt"); it != cr.end()) {
        dev.dt = conf.number(*it, "/dt") * 1e-9;  // conf.json's dt is in ns
        check_positive(conf, dev.dt, "/dt", "dt");
    }
    {
        const json& cm = conf.array(conf.member(cr, "", "coupling_map"), "/coupling_map");
        for (std::size_t i = 0; i < cm.size(); ++i) {
            const std::string p = "/coupling_map/" + std::to_string(i);
            const json& e = conf.array(cm[i], p);
            if (e.size() != 2) conf.fail(p, "expected a pair of qubits, got " + describe(e));
            const int a = conf.qubit(e[0], p + "/0", dev.n_qubits);
            const int b = conf.qubit(e[1], p + "/1", dev.n_qubits);
            if (a == b) conf.fail(p, "an edge needs two different qubits");
            dev.coupling_map.push_back({a, b});
        }
        if (dev.n_qubits > 1) {
            std::vector<std::vector<int>> adj(static_cast<std::size_t>(dev.n_qubits));
            for (auto [a, b] : dev.coupling_map) {
                adj[static_cast<std::size_t>(a)].push_back(b);
                adj[static_cast<std::size_t>(b)].push_back(a);
            }
            std::vector<char> seen(adj.size(), 0);
            std::vector<int> stack{0};
            seen[0] = 1;
            while (!stack.empty()) {
                const int q = stack.back();
                stack.pop_back();
                for (int r : adj[static_cast<std::size_t>(q)])
                    if (!seen[static_cast<std::size_t>(r)]) seen[static_cast<std::size_t>(r)] = 1, stack.push_back(r);
            }
            for (std::size_t q = 0; q < seen.size(); ++q)
                if (!seen[q])
                    conf.fail("/coupling_map",
                              "not connected: qubit " + std::to_string(q) + " cannot be reached from qubit 0");
        }
    }

    // props.json
    if (auto it = pr.find("backend_name"); it != pr.end() && dev.backend_name.empty())
        dev.backend_name = props.string(*it, "/backend_name");
    const json& qs = props.array(props.member(pr, "", "qubits"), "/qubits");
    if (static_cast<int>(qs.size()) != dev.n_qubits)
        props.fail("/qubits", "lists " + std::to_string(qs.size()) + " qubits but " + conf.file + " has n_qubits " +
                                  std::to_string(dev.n_qubits));
    for (std::size_t q = 0; q < qs.size(); ++q) {
        const std::string qp = "/qubits/" + std::to_string(q);
        const json& recs = props.array(qs[q], qp);
        QubitCalibration qc;
        std::optional<double> t1, t2, ro, m01, m10;
        for (std::size_t k = 0; k < recs.size(); ++k) {
            const std::string rp = qp + "/" + std::to_string(k);
            const std::string nm = props.string(props.member(recs[k], rp, "name"), rp + "/name");
            auto val = [&] { return nduv_value(props, recs[k], rp); };
            if (nm == "T1") {
                t1 = val();
                check_positive(props, *t1, rp + "/value", "T1");
            } else if (nm == "T2") {
                t2 = val();
                check_positive(props, *t2, rp + "/value", "T2");
            } else if (nm == "readout_error") {
                ro = val();
                check_probability(props, *ro, rp + "/value");
            } else if (nm == "prob_meas0_prep1") {
                m01 = val();
                check_probability(props, *m01, rp + "/value");
            } else if (nm == "prob_meas1_prep0") {
                m10 = val();
                check_probability(props, *m10, rp + "/value");
            } else if (nm == "readout_length") {
                qc.readout_length = val();
                if (*qc.readout_length < 0) props.fail(rp + "/value", "readout_length must not be negative");
            } else if (nm == "frequency") {
                qc.frequency = val();
            }
        }
        if (!t1) props.fail(qp, "missing T1");
        if (!t2) props.fail(qp, "missing T2");
        qc.t1 = *t1;
        qc.t2_reported = *t2;
        qc.t2 = std::min(*t2, 2 * *t1);
        if (*t2 > 2 * *t1)
            dev.warnings.push_back("qubit " + std::to_string(q) + ": T2 " + fmt(*t2 * 1e6) +
                                   " us > 2*T1 = " + fmt(2 * *t1 * 1e6) + " us, clamped to 2*T1");
        qc.readout_error = ro.value_or(0.0);
        qc.prob_meas0_prep1 = m01.value_or(qc.readout_error);
        qc.prob_meas1_prep0 = m10.value_or(qc.readout_error);
        dev.qubits.push_back(qc);
    }

    const json& gs = props.array(props.member(pr, "", "gates"), "/gates");
    for (std::size_t i = 0; i < gs.size(); ++i) {
        const std::string gp = "/gates/" + std::to_string(i);
        const json& g = gs[i];
        GateCalibration gc;
        gc.name = props.string(props.member(g, gp, "gate"), gp + "/gate");
        if (auto it = g.find("name"); it != g.end()) gc.label = props.string(*it, gp + "/name");
        const json& gq = props.array(props.member(g, gp, "qubits"), gp + "/qubits");
        if (gq.empty()) props.fail(gp + "/qubits", "empty qubit list");
        for (std::size_t k = 0; k < gq.size(); ++k)
            gc.qubits.push_back(props.qubit(gq[k], gp + "/qubits/" + std::to_string(k), dev.n_qubits));
        for (std::size_t a = 0; a < gc.qubits.size(); ++a)
            for (std::size_t b = a + 1; b < gc.qubits.size(); ++b)
                if (gc.qubits[a] == gc.qubits[b]) props.fail(gp + "/qubits", "repeated qubit");
        const json& params = props.array(props.member(g, gp, "parameters"), gp + "/parameters");
        std::optional<double> len;
        for (std::size_t k = 0; k < params.size(); ++k) {
            const std::string pp = gp + "/parameters/" + std::to_string(k);
            const std::string nm = props.string(props.member(params[k], pp, "name"), pp + "/name");
            if (nm == "gate_error") {
                gc.gate_error = nduv_value(props, params[k], pp);
                check_probability(props, *gc.gate_error, pp + "/value");
            } else if (nm == "gate_length") {
                len = nduv_value(props, params[k], pp);
                if (*len < 0) props.fail(pp + "/value", "gate_length must not be negative, got " + fmt(*len));
            }
        }
        if (!len) props.fail(gp + "/parameters", "missing gate_length");
        gc.gate_length = *len;
        if (gc.gate_error) {
            const double d = std::ldexp(1.0, static_cast<int>(gc.qubits.size()));
            if (*gc.gate_error > d / (d + 1))
                dev.warnings.push_back("gate " + (gc.label.empty() ? gc.name : gc.label) + ": gate_error " +
                                       fmt(*gc.gate_error) + " > d/(d+1) = " + fmt(d / (d + 1)) +
                                       ", clamped in the noise model");
        }
        const std::string key = gate_key(gc.name, gc.qubits);
        if (dev.gate_index.count(key)) props.fail(gp, "duplicate entry for " + key);
        dev.gate_index.emplace(key, dev.gates.size());
        dev.gates.push_back(std::move(gc));
    }
    // noise_models.md §6 / device README quirk 1: toronto's snapshot has 16× the usual durations.
    double longest_1q = 0;
    for (const auto& g : dev.gates)
        if (g.qubits.size() == 1 && g.name == "sx") longest_1q = std::max(longest_1q, g.gate_length);
    if (longest_1q > kLong1qGate)
        dev.warnings.push_back("sx gate lengths up to " + fmt(longest_1q * 1e9) +
                               " ns (usually 35-150 ns): thermal relaxation will dominate this device's noise model");
    return dev;
}

std::string gate_key(std::string_view name, std::span<const int> qubits) {
    std::string k(name);
    k += ':';
    for (std::size_t i = 0; i < qubits.size(); ++i) {
        if (i) k += ',';
        k += std::to_string(qubits[i]);
    }
    return k;
}

}  // namespace qnas::noise
