#include "supercircuit/hamiltonian.h"

#include <Eigen/Eigenvalues>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/error.h"

namespace qnas::supercircuit {

namespace {

constexpr int kMaxQubits = 30;

std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; };
    while (i < line.size()) {
        while (i < line.size() && space(line[i])) ++i;
        const std::size_t start = i;
        while (i < line.size() && !space(line[i])) ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

// The whole token must be a non-negative decimal integer.
bool parse_int(std::string_view s, int& out) {
    if (s.empty() || s.front() == '-' || s.front() == '+') return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

// A finite number in Python float syntax (a leading '+' allowed; no inf/nan).
bool parse_double(std::string_view s, double& out) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    if (s.empty() || s.front() == '+') return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && std::isfinite(out);
}

}  // namespace

Hamiltonian parse_hamiltonian(std::string_view text, const std::string& source) {
    Hamiltonian h;
    bool have_header = false;
    int header_line = 0, line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++line_no;
        const auto f = fields(line);
        if (f.empty()) continue;
        const auto fail = [&](const std::string& what) {
            throw Error(source + ":" + std::to_string(line_no) + ": " + what);
        };
        if (!have_header) {
            if (f.size() != 3) fail("expected the header \"<name> <transform> <n_wires>\"");
            if (!parse_int(f[2], h.n_qubits) || h.n_qubits < 1 || h.n_qubits > kMaxQubits)
                fail("n_wires '" + std::string(f[2]) + "' is not an integer in 1.." + std::to_string(kMaxQubits));
            h.name = f[0];
            h.transform = f[1];
            have_header = true;
            header_line = line_no;
            continue;
        }
        HamiltonianTerm t;
        if (!parse_double(f[0], t.coefficient)) fail("'" + std::string(f[0]) + "' is not a number");
        t.paulis.assign(static_cast<std::size_t>(h.n_qubits), 'I');
        std::vector<bool> named(static_cast<std::size_t>(h.n_qubits), false);
        for (std::size_t i = 1; i < f.size(); ++i) {
            const std::string token(f[i]);
            char letter = token[0];
            if (letter >= 'a' && letter <= 'z') letter = static_cast<char>(letter - 'a' + 'A');
            if (letter != 'I' && letter != 'X' && letter != 'Y' && letter != 'Z')
                fail("'" + token + "': expected a Pauli letter I, X, Y or Z followed by a wire");
            int wire = 0;
            if (!parse_int(f[i].substr(1), wire)) fail("'" + token + "': the wire is not a non-negative integer");
            if (wire >= h.n_qubits)
                fail("'" + token + "': wire " + std::to_string(wire) + " is not below n_wires " +
                     std::to_string(h.n_qubits));
            if (named[static_cast<std::size_t>(wire)])
                fail("'" + token + "': wire " + std::to_string(wire) + " named twice");
            named[static_cast<std::size_t>(wire)] = true;
            t.paulis[static_cast<std::size_t>(wire)] = letter;
        }
        h.terms.push_back(std::move(t));
    }
    if (!have_header) throw Error(source + ":1: empty file (expected the header \"<name> <transform> <n_wires>\")");
    if (h.terms.empty()) throw Error(source + ":" + std::to_string(header_line) + ": no terms after the header");
    return h;
}

Hamiltonian load_hamiltonian(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error("cannot open Hamiltonian " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    return parse_hamiltonian(ss.str(), path);
}

sim::PauliTerm pauli_term(const HamiltonianTerm& t) {
    sim::PauliTerm p;
    p.coeff = t.coefficient;
    for (std::size_t w = 0; w < t.paulis.size(); ++w) {
        const std::uint64_t bit = std::uint64_t{1} << w;
        const char c = t.paulis[w];
        if (c == 'X' || c == 'Y') p.x |= bit;
        if (c == 'Z' || c == 'Y') p.z |= bit;
    }
    return p;
}

sim::PauliSum pauli_sum(const Hamiltonian& h) {
    sim::PauliSum s;
    for (const auto& t : h.terms) s.push_back(pauli_term(t));
    return s;
}

Eigen::MatrixXcd dense_matrix(const Hamiltonian& h) {
    if (h.n_qubits < 1 || h.n_qubits > 14) throw Error("dense_matrix: only for 1..14 qubits");
    const Eigen::Index dim = Eigen::Index{1} << h.n_qubits;
    Eigen::MatrixXcd m = Eigen::MatrixXcd::Zero(dim, dim);
    const std::complex<double> i_unit(0.0, 1.0);
    for (const auto& t : h.terms) {
        // P|b⟩ = phase(b)·|b ⊕ x⟩ with X|b⟩ = |1−b⟩, Y|b⟩ = i(−1)^b|1−b⟩, Z|b⟩ = (−1)^b|b⟩ per qubit.
        const sim::PauliTerm p = pauli_term(t);
        for (Eigen::Index b = 0; b < dim; ++b) {
            std::complex<double> phase = t.coefficient;
            for (int w = 0; w < h.n_qubits; ++w) {
                const bool bit = (static_cast<std::uint64_t>(b) >> w) & 1U;
                const char c = t.paulis[static_cast<std::size_t>(w)];
                if (c == 'Y') phase *= bit ? -i_unit : i_unit;
                if (c == 'Z' && bit) phase = -phase;
            }
            m(static_cast<Eigen::Index>(static_cast<std::uint64_t>(b) ^ p.x), b) += phase;
        }
    }
    return m;
}

Eigen::VectorXd eigenvalues(const Hamiltonian& h) {
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> solver(dense_matrix(h), Eigen::EigenvaluesOnly);
    if (solver.info() != Eigen::Success) throw Error("eigenvalues: the eigensolver did not converge");
    return solver.eigenvalues();
}

double ground_energy(const Hamiltonian& h) { return eigenvalues(h)(0); }

}  // namespace qnas::supercircuit
