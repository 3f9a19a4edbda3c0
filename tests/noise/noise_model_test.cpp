#include <cmath>
#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

#include "noise/noise.h"
#include "sim/error.h"
#include "tests/test_data.h"

using namespace qnas::noise;
using qnas::sim::GateKind;

namespace {

using qnas::test::data_dir;

// A value printed in noise_models.md §9 with `digits` significant digits: equal to that rounding.
void check_printed(double actual, double printed, int digits) {
    const double scale = std::pow(10.0, std::floor(std::log10(std::abs(printed))) - digits + 1);
    INFO("actual " << actual << " printed " << printed);
    CHECK(std::abs(actual - printed) <= 0.5 * scale + 1e-15);
}

}  // namespace

TEST_CASE("§9.1 yorktown cx0_1: relaxation, lambda and the composed error", "[noise][model]") {
    const Device d = load_device("yorktown", data_dir());
    const NoiseModel m = build_noise_model(d);
    const int q01[] = {0, 1};
    const GateNoise* g = m.find(GateKind::CX, q01);
    REQUIRE(g);
    REQUIRE(g->relax.size() == 2);
    check_printed(g->relax[0].p_reset, 9.098988e-3, 7);
    check_printed(g->relax[1].p_reset, 1.023273e-2, 7);
    check_printed(g->relax[0].c, 0.98096923, 8);
    check_printed(g->relax[1].c, 0.98219795, 8);
    check_printed(g->relax[0].p_z(), 4.965891e-3, 7);
    check_printed(g->relax[1].p_z(), 3.784662e-3, 7);
    check_printed(1 - g->relax[0].p_z() - g->relax[0].p_reset, 0.98593512, 8);
    check_printed(1 - g->relax[1].p_z() - g->relax[1].p_reset, 0.98598261, 8);
    check_printed(g->relax[0].process_fidelity(), 0.98820987, 8);
    check_printed(g->relax[1].process_fidelity(), 0.98854079, 8);
    check_printed(g->relaxation_infidelity, 0.01849139, 7);
    CHECK(g->has_depolarizing);
    CHECK_FALSE(g->error_clamped);
    CHECK_FALSE(g->lambda_clamped);
    check_printed(g->lambda, 0.00366284, 6);
    check_printed(g->lambda / 16, 2.2893e-4, 5);
    check_printed(1 - 15 * g->lambda / 16, 0.99656609, 8);
    CHECK(std::abs(g->modelled_error - 0.021170783846888724) < 1e-12);
    // Relaxation infidelity from the 16×16 superoperator equals the closed form.
    CHECK(std::abs(1 - qnas::sim::average_gate_fidelity(g->relaxation_superop) - g->relaxation_infidelity) < 1e-12);
    // Pure-depolarizing alternative (thermal_relaxation=False): λ = 4e/3.
    const double t1[] = {1e300, 1e300}, t2[] = {1e300, 1e300};
    const GateNoise pure = build_gate_noise("cx", q01, 0.0, 0.021170783846888724, t1, t2);
    check_printed(pure.lambda, 0.0282277, 6);
    // cx1_0 has its own length and hence its own λ.
    const int q10[] = {1, 0};
    const GateNoise* r = m.find(GateKind::CX, q10);
    REQUIRE(r);
    CHECK(r->gate_length != g->gate_length);
    CHECK(r->lambda != g->lambda);
}

TEST_CASE("§9.2 yorktown sx0 and §9.3 sx4 (no depolarizing part)", "[noise][model]") {
    const NoiseModel m = build_noise_model(load_device("yorktown", data_dir()));
    const int q0[] = {0}, q4[] = {4};
    const GateNoise* sx0 = m.find(GateKind::SX, q0);
    REQUIRE(sx0);
    check_printed(sx0->relaxation_infidelity, 6.389232e-4, 7);
    check_printed(sx0->lambda, 1.332534e-3, 7);
    check_printed(sx0->lambda / 4, 3.3313e-4, 5);
    check_printed(1 - 3 * sx0->lambda / 4, 0.99900060, 8);
    CHECK(std::abs(sx0->modelled_error - *sx0->gate_error) < 1e-12);

    const GateNoise* sx4 = m.find(GateKind::SX, q4);
    REQUIRE(sx4);
    check_printed(*sx4->gate_error, 3.2277e-3, 5);
    check_printed(sx4->relax[0].p_reset, 7.58e-4, 3);
    check_printed(sx4->relax[0].p_z(), 4.758e-3, 4);
    check_printed(sx4->relaxation_infidelity, 3.5509e-3, 5);
    CHECK_FALSE(sx4->has_depolarizing);
    CHECK(sx4->lambda == 0);
    CHECK(std::abs(sx4->modelled_error - sx4->relaxation_infidelity) < 1e-12);
    CHECK(sx4->modelled_error > *sx4->gate_error);
    // id and x carry the same calibration as sx.
    const GateNoise* id4 = m.find(GateKind::I, q4);
    REQUIRE(id4);
    CHECK((id4->superop - sx4->superop).norm() < 1e-15);
}

TEST_CASE("§9.4 belem cx0_1: q0 with T2 > T1 needs the Kraus form", "[noise][model]") {
    const NoiseModel m = build_noise_model(load_device("belem", data_dir()));
    const int q01[] = {0, 1};
    const GateNoise* g = m.find(GateKind::CX, q01);
    REQUIRE(g);
    const auto& p = g->relax[0];
    CHECK(p.t2 > p.t1);
    check_printed(p.p_reset, 9.110207e-3, 7);
    check_printed(p.c, 0.99243808, 8);
    const auto k = thermal_relaxation_kraus(p);
    check_printed(k[0](1, 1).real(), 0.99243808, 8);
    check_printed(k[1](1, 1).real(), 0.07717806, 7);
    check_printed(k[2](0, 1).real(), 0.0954474, 6);
    CHECK(qnas::sim::is_cptp(k));
    // Its Choi matrix is Aer's [[1,0,0,c],[0,0,0,0],[0,0,p_reset,0],[c,0,0,1-p_reset]].
    const auto choi = qnas::sim::choi_from_superop(qnas::sim::superop_from_kraus(k));
    Eigen::MatrixXcd want = Eigen::MatrixXcd::Zero(4, 4);
    want(0, 0) = 1;
    want(0, 3) = want(3, 0) = p.c;
    want(2, 2) = p.p_reset;
    want(3, 3) = 1 - p.p_reset;
    CHECK((choi - want).norm() < 1e-14);
    check_printed(g->relaxation_infidelity, 0.01192330, 6);
    check_printed(g->lambda, 0.00628008, 6);
    check_printed(g->lambda / 16, 3.9251e-4, 5);
    CHECK(std::abs(g->modelled_error - 0.01655849) < 5e-9);
    CHECK(std::abs(g->modelled_error - *g->gate_error) < 1e-12);
}

TEST_CASE("§9.5 readout yorktown q0 and §3.3 clamp of a broken coupler", "[noise][model]") {
    const NoiseModel m = build_noise_model(load_device("yorktown", data_dir()));
    const auto& ro = m.readout(0);
    const Eigen::Matrix2d r = ro.matrix();
    CHECK(std::abs(r(0, 0) - 0.951) < 1e-12);
    CHECK(std::abs(r(0, 1) - 0.049) < 1e-12);
    CHECK(std::abs(r(1, 0) - 0.0776) < 1e-12);
    CHECK(std::abs(r(1, 1) - 0.9224) < 1e-12);
    CHECK(std::abs(ro.apply_to_z(0) - 0.0286) < 1e-12);
    CHECK(std::abs(ro.apply_to_z(1) - ro.apply_to_z(0) - 0.8734) < 1e-12);
    CHECK_THROWS_AS(m.readout(5), qnas::Error);

    const NoiseModel s = build_noise_model(load_device("sherbrooke", data_dir()));
    const int q89[] = {8, 9};
    const GateNoise* g = s.find(GateKind::ECR, q89);
    REQUIRE(g);
    CHECK(*g->gate_error == 1.0);
    check_printed(g->gate_length, 533e-9, 3);
    check_printed(g->relaxation_infidelity, 0.016495, 5);
    CHECK(g->error_clamped);
    CHECK(g->lambda_clamped);
    CHECK(g->lambda == Approx(16.0 / 15.0).epsilon(1e-15));
    CHECK(qnas::sim::is_cptp_superop(g->superop));
}

TEST_CASE("every gate of every shipped device: CPTP and 1 - F_avg = gate_error", "[noise][model]") {
    int checked = 0, unclamped = 0;
    for (const auto& name : list_devices(data_dir())) {
        const Device d = load_device(name, data_dir());
        const NoiseModel m = build_noise_model(d);
        for (const auto& gc : d.gates) {
            INFO(name << " " << gc.label);
            const GateNoise* g = m.find(gc.name, gc.qubits);
            if (gc.gate_length == 0 && gc.gate_error.value_or(0) == 0) {
                CHECK(g == nullptr);  // virtual rz: no error
                if (auto k = qnas::sim::gate_by_name(gc.name)) CHECK(m.find(*k, gc.qubits) == nullptr);
                continue;
            }
            REQUIRE(g);
            ++checked;
            CHECK(qnas::sim::is_cptp_superop(g->superop));
            const double err = 1 - qnas::sim::average_gate_fidelity(g->superop);
            if (!gc.gate_error) {
                CHECK_FALSE(g->has_depolarizing);  // reset: relaxation only
                continue;
            }
            if (g->has_depolarizing && !g->error_clamped && !g->lambda_clamped) {
                ++unclamped;
                CHECK(std::abs(err - *gc.gate_error) < 1e-10);
                // The same with the ideal gate in front, compared against the ideal unitary.
                if (g->kind) {
                    const auto u = qnas::sim::gate_matrix(*g->kind, {});
                    const auto full = qnas::sim::compose_channels(qnas::sim::superop_from_unitary(u), g->superop);
                    CHECK(std::abs(1 - qnas::sim::average_gate_fidelity(full, u) - *gc.gate_error) < 1e-10);
                }
            } else if (!g->has_depolarizing) {
                CHECK(err >= *gc.gate_error - 1e-12);
                CHECK(std::abs(err - g->relaxation_infidelity) < 1e-10);
            }
        }
    }
    CHECK(checked == 3653);  // every non-virtual gate entry of the 24 devices
    CHECK(unclamped == 2185);
}

TEST_CASE("success-rate proxy: product of (1 - gate_error), rz free", "[noise][model]") {
    const Device d = load_device("yorktown", data_dir());
    qnas::sim::Circuit c(5);
    c.add(GateKind::SX, {0})
        .add(GateKind::RZ, {0}, {qnas::sim::Param::constant(0.3)})
        .add(GateKind::CX, {0, 1})
        .add(GateKind::X, {2});
    const int q0[] = {0}, q2[] = {2}, q01[] = {0, 1};
    const double want = (1 - *d.find_gate("sx", q0)->gate_error) * (1 - *d.find_gate("cx", q01)->gate_error) *
                        (1 - *d.find_gate("x", q2)->gate_error);
    CHECK(std::abs(success_rate(d, c) - want) < 1e-15);
    qnas::sim::Circuit bad(5);
    bad.add(GateKind::CX, {0, 3});
    CHECK_THROWS_AS(success_rate(d, bad), qnas::Error);
}

TEST_CASE("gates where relaxation exceeds the reported error match the device README counts", "[noise][model]") {
    // shared/data/devices/README.md quirk 2 (1q + 2q entries).
    const std::pair<const char*, int> expected[] = {
        {"yorktown", 6 + 4},   {"lima", 9 + 2},        {"jakarta", 12 + 6}, {"nairobi", 6 + 7}, {"montreal", 27 + 12},
        {"manhattan", 30 + 6}, {"brisbane", 123 + 37}, {"casablanca", 0},   {"rome", 0}};
    for (const auto& [name, count] : expected) {
        INFO(name);
        const NoiseModel m = build_noise_model(load_device(name, data_dir()));
        int n = 0;
        for (const auto& g : m.gates()) n += g.gate_error && *g.gate_error > 0 && !g.has_depolarizing;
        CHECK(n == count);
    }
}
