#include "supercircuit/hamiltonian.h"

#include <cmath>
#include <complex>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "data_test_helpers.h"
#include "sim/error.h"
#include "sim/statevector.h"
#include "supercircuit/energy.h"

using namespace qnas::supercircuit;
using qnas::sim::GateKind;
using qnas::sim::Param;

namespace {

// The shipped file; a missing file fails the test (it is part of the repository).
Hamiltonian shipped(const std::string& name) {
    const std::string path = data_test::source_dir() + "/data/hamiltonians/" + name;
    INFO("missing " << path);
    REQUIRE(std::filesystem::exists(path));
    return load_hamiltonian(path);
}

qnas::sim::State random_state(int n, std::uint64_t seed) {
    std::mt19937_64 g(seed);
    std::normal_distribution<double> nd;
    qnas::sim::State s(std::size_t{1} << n);
    double norm = 0.0;
    for (auto& a : s) {
        a = {nd(g), nd(g)};
        norm += std::norm(a);
    }
    for (auto& a : s) a /= std::sqrt(norm);
    return s;
}

}  // namespace

TEST_CASE("hamiltonian: the shipped h2.txt parses", "[supercircuit][vqe]") {
    const Hamiltonian h = shipped("h2.txt");
    CHECK(h.name == "h2");
    CHECK(h.transform == "bk");
    CHECK(h.n_qubits == 2);
    REQUIRE(h.terms.size() == 5);
    CHECK(h.terms[0].coefficient == -1.052373245772859);
    CHECK(h.terms[0].paulis == "II");
    CHECK(h.terms[1].paulis == "IZ");
    CHECK(h.terms[2].paulis == "ZI");
    CHECK(h.terms[2].coefficient == -0.39793742484318045);
    CHECK(h.terms[4].paulis == "XX");
    CHECK(h.terms[4].coefficient == 0.18093119978423156);
    // Letter on wire w → qubit w of the simulator's Pauli strings.
    const qnas::sim::PauliTerm p = pauli_term({1.0, "YZX"});
    CHECK(p.x == 0b101);
    CHECK(p.z == 0b011);
}

TEST_CASE("hamiltonian: any whitespace, blank lines, either case, implicit identity", "[supercircuit][vqe]") {
    const Hamiltonian h = parse_hamiltonian("\n  lih   jw\t3 \r\n\n-1.5e-1\tz0   x2 \r\n+2 y1\n0.25\n", "t.txt");
    CHECK(h.name == "lih");
    CHECK(h.transform == "jw");
    CHECK(h.n_qubits == 3);
    REQUIRE(h.terms.size() == 3);
    CHECK(h.terms[0].coefficient == -0.15);
    CHECK(h.terms[0].paulis == "ZIX");
    CHECK(h.terms[1].coefficient == 2.0);
    CHECK(h.terms[1].paulis == "IYI");
    CHECK(h.terms[2].paulis == "III");
}

TEST_CASE("hamiltonian: malformed files are one-line errors FILE:LINE", "[supercircuit][vqe]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "f.txt:1: empty file"},
        {"\n\n", "f.txt:1: empty file"},
        {"h2 bk\n1 Z0\n", "f.txt:1: expected the header"},
        {"-1.0 Z0 Z1\n0.5 X0\n", "f.txt:1: n_wires 'Z1'"},
        {"h2 bk two\n1 Z0\n", "f.txt:1: n_wires 'two'"},
        {"h2 bk 0\n1 Z0\n", "f.txt:1: n_wires '0'"},
        {"h2 bk 2\n", "f.txt:1: no terms"},
        {"h2 bk 2\n1.0 Z2\n", "f.txt:2: 'Z2': wire 2 is not below n_wires 2"},
        {"h2 bk 2\n\n\n1.0 Q0\n", "f.txt:4: 'Q0': expected a Pauli letter"},
        {"h2 bk 2\n1.0 Z0 X0\n", "f.txt:2: 'X0': wire 0 named twice"},
        {"h2 bk 2\n1.0 I1 Z1\n", "f.txt:2: 'Z1': wire 1 named twice"},
        {"h2 bk 2\n1.0.3 Z0\n", "f.txt:2: '1.0.3' is not a number"},
        {"h2 bk 2\nnan Z0\n", "f.txt:2: 'nan' is not a number"},
        {"h2 bk 2\nZ0 1.0\n", "f.txt:2: 'Z0' is not a number"},
        {"h2 bk 2\n1 Z-1\n", "f.txt:2: 'Z-1': the wire is not a non-negative integer"},
        {"h2 bk 2\n1 Z\n", "f.txt:2: 'Z': the wire"},
        {"h2 bk 2\n1 Z0x\n", "f.txt:2: 'Z0x': the wire"},
    };
    for (const auto& [text, expected] : cases) {
        INFO("input: " << text);
        try {
            parse_hamiltonian(text, "f.txt");
            FAIL("no error");
        } catch (const qnas::Error& e) {
            const std::string what = e.what();
            CHECK(what.rfind(expected, 0) == 0);
            CHECK(what.find('\n') == std::string::npos);
        }
    }
    CHECK_THROWS_WITH(load_hamiltonian("/nonexistent/h.txt"), Catch::Contains("/nonexistent/h.txt"));
}

TEST_CASE("hamiltonian: exact diagonalisation of the shipped files", "[supercircuit][vqe]") {
    // data/hamiltonians/README.md; recomputed here from the files.
    const Hamiltonian h2 = shipped("h2.txt");
    CHECK(std::abs(ground_energy(h2) - (-1.857275030202)) < 1e-9);
    const Eigen::VectorXd ev = eigenvalues(h2);
    const double expect[] = {-1.857275030202, -1.244584549813, -0.882722150245, -0.224911252831};
    for (int i = 0; i < 4; ++i) CHECK(std::abs(ev(i) - expect[i]) < 1e-9);
    CHECK(std::abs(ground_energy(shipped("h2_new.txt")) - (-1.892156898237)) < 1e-9);
    // The 3-wire file: the same terms, wire 2 idle, so every eigenvalue twice.
    const Eigen::VectorXd ev3 = eigenvalues(shipped("h2_test_3wires.txt"));
    REQUIRE(ev3.size() == 8);
    for (int i = 0; i < 4; ++i) {
        CHECK(std::abs(ev3(2 * i) - expect[i]) < 1e-9);
        CHECK(std::abs(ev3(2 * i + 1) - expect[i]) < 1e-9);
    }
}

TEST_CASE("hamiltonian: dense matrix equals the state-vector joint energy", "[supercircuit][vqe]") {
    const Hamiltonian h =
        parse_hamiltonian("t t 3\n0.3 X0 Y1 Z2\n-0.7 Y0\n0.2 Z0 Z1\n1.1 I0\n-0.4 Y0 Y2\n0.9 X1 X2\n0.15 Y1\n", "t");
    const Eigen::MatrixXcd m = dense_matrix(h);
    CHECK((m - m.adjoint()).norm() < 1e-14);
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const qnas::sim::State psi = random_state(3, seed);
        const Eigen::Map<const Eigen::VectorXcd> v(psi.data(), static_cast<Eigen::Index>(psi.size()));
        const double dense = (v.adjoint() * m * v)(0, 0).real();
        CHECK(std::abs(energy(psi, h) - dense) < 1e-12);
    }
}

TEST_CASE("hamiltonian: wire w of the file is qubit w (TorchQuantum's energies)", "[supercircuit][vqe]") {
    // data/hamiltonians/README.md: RY(θ) on wire 0, CX(0→1), X on wire 1 prepares
    // cos(θ/2)|01⟩ + sin(θ/2)|10⟩ (wire 0 leftmost) and reaches the ground energy at θ = −0.223537.
    // With the wires mirrored the same circuit gives a different energy.
    const Hamiltonian h = shipped("h2.txt");
    qnas::sim::Circuit c(2);
    c.add(GateKind::RY, {0}, {Param::constant(-0.223537)}).add(GateKind::CX, {0, 1}).add(GateKind::X, {1});
    const qnas::sim::State psi = qnas::sim::simulate(c);
    CHECK(std::abs(energy(psi, h) - (-1.857275030202)) < 1e-9);
    qnas::sim::Circuit mirrored(2);
    mirrored.add(GateKind::RY, {1}, {Param::constant(-0.223537)}).add(GateKind::CX, {1, 0}).add(GateKind::X, {0});
    CHECK(energy(qnas::sim::simulate(mirrored), h) > -1.3);
}
