#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "cli_helpers.h"

using qnas::test::run;

TEST_CASE("list gates prints every gate of the table", "[cli]") {
    const auto r = run({"list", "gates"});
    REQUIRE(r.code == 0);
    for (const char* g : {"u3", "cu3", "rzz", "rzx", "sswap", "shadamard", "ecr", "ccx"})
        CHECK(r.out.find(std::string("\n") + g + " ") != std::string::npos);
}

TEST_CASE("docs/gates.md is the current output of list gates --format markdown", "[cli]") {
    const char* root = std::getenv("QNAS_SOURCE_DIR");
    REQUIRE(root != nullptr);
    std::ifstream in(std::string(root) + "/docs/gates.md");
    REQUIRE(in.good());
    std::stringstream committed;
    committed << in.rdbuf();
    const auto r = run({"list", "gates", "--format", "markdown"});
    REQUIRE(r.code == 0);
    INFO("regenerate with: build/cli/qnas list gates --format markdown > docs/gates.md");
    CHECK(r.out == committed.str());
}

TEST_CASE("list rejects unknown topics and formats in one line", "[cli]") {
    auto r = run({"list", "spaceships"});
    CHECK(r.code == 1);
    CHECK(r.err == "error: list: expected what to list, one of: gates, devices (got 'spaceships')\n");
    r = run({"list", "gates", "--format", "xml"});
    CHECK(r.code == 1);
    CHECK(r.err.find("text, markdown") != std::string::npos);
}
