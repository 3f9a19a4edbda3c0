#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "cli_helpers.h"
#include "supercircuit/dataset.h"
#include "supercircuit/design_space.h"
#include "tests/test_data.h"

using qnas::test::run;

TEST_CASE("list gates prints every gate of the table", "[cli]") {
    const auto r = run({"list", "gates"});
    REQUIRE(r.code == 0);
    for (const char* g : {"u3", "cu3", "rzz", "rzx", "sswap", "shadamard", "ecr", "ccx"})
        CHECK(r.out.find(std::string("\n") + g + " ") != std::string::npos);
}

TEST_CASE("docs/gates.md is the current output of list gates --format markdown", "[cli]") {
    std::ifstream in(qnas::test::source_dir() + "/docs/gates.md");
    REQUIRE(in.good());
    std::stringstream committed;
    committed << in.rdbuf();
    const auto r = run({"list", "gates", "--format", "markdown"});
    REQUIRE(r.code == 0);
    INFO("regenerate with: build/cli/qnas list gates --format markdown > docs/gates.md");
    CHECK(r.out == committed.str());
}

TEST_CASE("docs/config_keys.md is the current output of list keys --format markdown", "[cli]") {
    std::ifstream in(qnas::test::source_dir() + "/docs/config_keys.md");
    REQUIRE(in.good());
    std::stringstream committed;
    committed << in.rdbuf();
    const auto r = run({"list", "keys", "--format", "markdown"});
    REQUIRE(r.code == 0);
    INFO("regenerate with: build/cli/qnas list keys --format markdown > docs/config_keys.md");
    CHECK(r.out == committed.str());
}

TEST_CASE("list rejects unknown topics and formats in one line", "[cli]") {
    auto r = run({"list", "spaceships"});
    CHECK(r.code == 1);
    CHECK(r.err ==
          "error: list: expected what to list, one of: gates, devices, spaces, tasks, keys (got 'spaceships')\n");
    r = run({"list", "gates", "--format", "xml"});
    CHECK(r.code == 1);
    CHECK(r.err.find("text, markdown") != std::string::npos);
}

TEST_CASE("list spaces prints each design space with its gene length, bounds and largest parameter count",
          "[cli][supercircuit][space]") {
    namespace sc = qnas::supercircuit;
    const auto r = run({"list", "spaces"});
    REQUIRE(r.code == 0);
    const std::vector<std::pair<std::string, int>> gene_length{{"u3cu3", 17}, {"seth", 17},    {"barren", 34},
                                                               {"farhi", 17}, {"maxwell", 45}, {"ibmbasis", 49}};
    for (const auto& [name, len] : gene_length) {
        INFO(name);
        const auto at = r.out.find(std::string("\n").append(name).append(" "));
        REQUIRE(at != std::string::npos);
        const std::string line = r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
        const auto s = sc::design_space(name);
        std::istringstream words(line);
        std::vector<std::string> w;
        for (std::string t; words >> t;) w.push_back(t);
        REQUIRE(w.size() >= 6);
        CHECK(line.find(s.paper_name) != std::string::npos);
        CHECK(w.back() == std::to_string(sc::count_params(s, sc::largest_arch(s))));
        CHECK(line.find(std::string(" ").append(std::to_string(len)).append(" ")) != std::string::npos);
        CHECK(line.find(std::string("n_blocks 1..").append(std::to_string(s.max_blocks))) != std::string::npos);
        CHECK(line.find("layers 1..4") != std::string::npos);
    }
    CHECK(r.out.find("(cz brick 1..3)") != std::string::npos);
    const auto ten = run({"list", "spaces", "--qubits", "10"});
    REQUIRE(ten.code == 0);
    CHECK(ten.out.find("layers 1..10 (cz brick 1..9)") != std::string::npos);
    const auto bad = run({"list", "spaces", "--qubits", "1"});
    CHECK(bad.code == 1);
    CHECK(bad.err.find("n_qubits 1 not in [2, 30]") != std::string::npos);
}

TEST_CASE("list tasks prints every task preset with its classes, qubits and encoder", "[cli][supercircuit]") {
    namespace sc = qnas::supercircuit;
    const auto r = run({"list", "tasks"});
    REQUIRE(r.code == 0);
    const auto names = sc::task_names();
    CHECK(names.size() >= 6);
    for (const auto& name : names) {
        INFO(name);
        const auto at = r.out.find(std::string("\n").append(name).append(" "));
        REQUIRE(at != std::string::npos);
        const std::string line = r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
        const auto t = sc::task_by_name(name);
        CHECK(line.find(t.encoder) != std::string::npos);
        std::string classes;
        for (int c : t.classes) classes.append(classes.empty() ? "" : ",").append(std::to_string(c));
        CHECK(line.find(classes) != std::string::npos);
    }
    CHECK(r.out.find("mnist4 ") != std::string::npos);
    CHECK(r.out.find("0,1,2,3") != std::string::npos);
    CHECK(r.out.find("{0,1} {2,3}") != std::string::npos);
}
