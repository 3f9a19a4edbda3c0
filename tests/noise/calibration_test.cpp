#include <cstdlib>
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "noise/noise.h"
#include "sim/error.h"
#include "tests/test_data.h"

using namespace qnas::noise;

namespace {

using qnas::test::data_dir;
using qnas::test::source_dir;
std::string fixture(const std::string& name) { return source_dir() + "/tests/noise/data/" + name; }

// The one-line error of loading a fixture folder.
std::string load_error(const std::string& name) {
    try {
        load_device(fixture(name), data_dir());
    } catch (const qnas::Error& e) {
        return e.what();
    }
    return "(no error)";
}

struct Expected {
    int qubits;
    const char* basis;
    int edges;
};

// The table of shared/data/devices/README.md.
const std::map<std::string, Expected>& readme_table() {
    static const std::map<std::string, Expected> t = {
        {"yorktown", {5, "id,rz,sx,x,cx,reset", 12}},
        {"belem", {5, "id,rz,sx,x,cx,reset", 8}},
        {"quito", {5, "id,rz,sx,x,cx,reset", 8}},
        {"lima", {5, "id,rz,sx,x,cx,reset", 8}},
        {"manila", {5, "cx,id,rz,sx,x", 8}},
        {"santiago", {5, "id,rz,sx,x,cx,reset", 8}},
        {"rome", {5, "id,rz,sx,x,cx,reset", 8}},
        {"athens", {5, "id,rz,sx,x,cx,reset", 8}},
        {"bogota", {5, "id,rz,sx,x,cx,reset", 8}},
        {"jakarta", {7, "cx,id,rz,sx,x", 12}},
        {"casablanca", {7, "id,rz,sx,x,cx,reset", 12}},
        {"lagos", {7, "cx,id,rz,sx,x", 12}},
        {"nairobi", {7, "cx,id,rz,sx,x", 12}},
        {"perth", {7, "cx,id,rz,sx,x", 12}},
        {"melbourne", {15, "id,rz,sx,x,cx", 40}},
        {"guadalupe", {16, "id,rz,sx,x,cx,reset", 32}},
        {"toronto", {27, "id,rz,sx,x,cx,reset", 56}},
        {"montreal", {27, "id,rz,sx,x,cx,reset", 56}},
        {"mumbai", {27, "id,rz,sx,x,cx,reset", 56}},
        {"paris", {27, "id,rz,sx,x,cx,reset", 56}},
        {"manhattan", {65, "id,rz,sx,x,cx,reset", 144}},
        {"brisbane", {127, "ecr,id,rz,sx,x", 144}},
        {"sherbrooke", {127, "ecr,id,rz,sx,x", 144}},
        {"kyiv", {127, "ecr,id,rz,sx,x", 144}},
    };
    return t;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) {
        if (!s.empty()) s += ',';
        s += x;
    }
    return s;
}

}  // namespace

TEST_CASE("unit conversion to SI", "[noise][calibration]") {
    CHECK(*to_si(48.0, "us") == Approx(48e-6).epsilon(1e-15));
    CHECK(*to_si(48.0, "\xC2\xB5s") == Approx(48e-6).epsilon(1e-15));
    CHECK(*to_si(35.5, "ns") == Approx(35.5e-9).epsilon(1e-15));
    CHECK(*to_si(2.0, "ms") == Approx(2e-3).epsilon(1e-15));
    CHECK(*to_si(3.0, "s") == 3.0);
    CHECK(*to_si(5.2, "GHz") == Approx(5.2e9).epsilon(1e-15));
    CHECK(*to_si(5.2, "MHz") == Approx(5.2e6).epsilon(1e-15));
    CHECK(*to_si(0.25, "") == 0.25);
    CHECK_FALSE(to_si(1.0, "furlong").has_value());
}

TEST_CASE("all 24 shipped devices load with the README's qubit counts, basis and edges", "[noise][calibration]") {
    const auto names = list_devices(data_dir());
    REQUIRE(names.size() == 24);
    for (const auto& name : names) {
        INFO(name);
        const auto it = readme_table().find(name);
        REQUIRE(it != readme_table().end());
        const Device d = load_device(name, data_dir());
        CHECK(d.name == name);
        CHECK(d.n_qubits == it->second.qubits);
        CHECK(static_cast<int>(d.qubits.size()) == d.n_qubits);
        CHECK(joined(d.basis_gates) == it->second.basis);
        CHECK(static_cast<int>(d.coupling_map.size()) == it->second.edges);
        CHECK(d.dt > 0);
        CHECK(d.dt < 1e-9);
        // Every coupling edge has its two-qubit gate calibrated in that direction.
        for (auto [a, b] : d.coupling_map) {
            const int qs[] = {a, b};
            CHECK(d.find_gate(d.two_qubit_gate(), qs) != nullptr);
        }
        for (const auto& q : d.qubits) {
            CHECK(q.t1 > 1e-6);
            CHECK(q.t1 < 1e-2);
            CHECK(q.t2 <= 2 * q.t1);
        }
    }
}

TEST_CASE("yorktown values are converted to seconds and looked up by ordered qubits", "[noise][calibration]") {
    const Device d = load_device("yorktown", data_dir());
    CHECK(d.backend_name == "ibmqx2");
    CHECK(d.qubits[0].t1 == Approx(48.23393547580996e-6).epsilon(1e-14));
    CHECK(d.qubits[0].t2 == Approx(22.946009132253206e-6).epsilon(1e-14));
    CHECK(d.qubits[0].prob_meas1_prep0 == Approx(0.049).epsilon(1e-12));
    CHECK(d.qubits[0].prob_meas0_prep1 == Approx(0.0776).epsilon(1e-12));
    CHECK(*d.qubits[0].readout_length == Approx(3352.8888888888887e-9).epsilon(1e-14));
    CHECK(*d.qubits[0].frequency == Approx(5.282263967118867e9).epsilon(1e-14));
    CHECK(d.dt == Approx(0.2222222222222222e-9).epsilon(1e-14));
    const int q01[] = {0, 1}, q10[] = {1, 0}, q03[] = {0, 3};
    const auto* cx01 = d.find_gate("cx", q01);
    const auto* cx10 = d.find_gate("cx", q10);
    REQUIRE(cx01);
    REQUIRE(cx10);
    CHECK(cx01->label == "cx0_1");
    CHECK(*cx01->gate_error == Approx(0.021170783846888724).epsilon(1e-14));
    CHECK(cx01->gate_length == Approx(440.888889e-9).epsilon(1e-8));
    CHECK(cx10->gate_length != cx01->gate_length);
    CHECK(d.find_gate("cx", q03) == nullptr);
    const int q4[] = {4};
    const auto* reset = d.find_gate("reset", q4);
    REQUIRE(reset);
    CHECK_FALSE(reset->gate_error.has_value());
    CHECK(d.two_qubit_gate() == "cx");
    CHECK(load_device("kyiv", data_dir()).two_qubit_gate() == "ecr");
}

TEST_CASE("T2 > 2*T1 is clamped and reported (shipped devices and a fixture)", "[noise][calibration]") {
    const Device b = load_device("brisbane", data_dir());
    CHECK(b.qubits[119].t2 == Approx(2 * b.qubits[119].t1).epsilon(1e-15));
    CHECK(b.qubits[119].t2_reported > b.qubits[119].t2);
    bool found = false;
    for (const auto& w : b.warnings) found = found || w.rfind("qubit 119: T2", 0) == 0;
    CHECK(found);
    CHECK(load_device("paris", data_dir()).warnings.size() >= 2);

    const Device f = load_device(fixture("t2_clamp"), data_dir());
    CHECK(f.qubits[0].t1 == Approx(50e-6).epsilon(1e-14));  // given in ms
    CHECK(f.qubits[0].t2 == Approx(100e-6).epsilon(1e-14));
    REQUIRE(f.warnings.size() == 1);
    CHECK(f.warnings[0] == "qubit 0: T2 150 us > 2*T1 = 100 us, clamped to 2*T1");
}

TEST_CASE("toronto's 16x gate lengths are reported, other devices' are not", "[noise][calibration]") {
    const Device t = load_device("toronto", data_dir());
    REQUIRE(t.warnings.size() == 1);
    CHECK(t.warnings[0].rfind("sx gate lengths up to 568.889 ns", 0) == 0);
    CHECK(load_device("melbourne", data_dir()).warnings.empty());
    CHECK(load_device("quito", data_dir()).warnings.empty());
}

TEST_CASE("broken two-qubit gates (gate_error 1) are reported", "[noise][calibration]") {
    const Device m = load_device("manhattan", data_dir());
    int n = 0;
    for (const auto& w : m.warnings) n += w.find("> d/(d+1)") != std::string::npos;
    CHECK(n == 44);
}

TEST_CASE("malformed calibrations fail with one line naming the file and JSON path", "[noise][calibration]") {
    const std::string tiny = fixture("tiny");
    CHECK(load_device(tiny, data_dir()).n_qubits == 2);

    auto e = load_error("truncated_json");
    CHECK(e.find(fixture("truncated_json") + "/props.json: invalid JSON: ") == 0);
    CHECK(e.find("column") != std::string::npos);

    CHECK(load_error("nonnumeric_t1") ==
          fixture("nonnumeric_t1") + "/props.json: /qubits/1/0/value: expected a number, got \"abc\"");
    CHECK(load_error("qubit_out_of_range") == fixture("qubit_out_of_range") +
                                                  "/props.json: /gates/4/qubits/1: qubit index 5 out of range "
                                                  "(device has 2 qubits)");
    CHECK(load_error("disconnected") == fixture("disconnected") +
                                            "/conf.json: /coupling_map: not connected: qubit 2 cannot be reached "
                                            "from qubit 0");
    CHECK(load_error("negative_gate_length") == fixture("negative_gate_length") +
                                                    "/props.json: /gates/2/parameters/1/value: gate_length must not be "
                                                    "negative, got -3.5e-08");
    CHECK(load_error("missing_conf") == fixture("missing_conf") + "/conf.json: cannot open file");
    CHECK(load_error("n_qubits_mismatch") == fixture("n_qubits_mismatch") +
                                                 "/props.json: /qubits: lists 2 qubits but " +
                                                 fixture("n_qubits_mismatch") + "/conf.json has n_qubits 3");
    CHECK(load_error("unknown_unit") ==
          fixture("unknown_unit") + "/props.json: /qubits/0/1/unit: unknown unit \"fortnights\"");
    // A device given by one of its files.
    CHECK(load_device(tiny + "/props.json", data_dir()).name == "tiny");
    for (const char* c :
         {"truncated_json", "nonnumeric_t1", "qubit_out_of_range", "disconnected", "negative_gate_length"})
        CHECK(load_error(c).find('\n') == std::string::npos);

    try {
        load_device("nosuchdevice", data_dir());
        FAIL("expected an error");
    } catch (const qnas::Error& err) {
        CHECK(std::string(err.what()).rfind("unknown device 'nosuchdevice'", 0) == 0);
    }
}
