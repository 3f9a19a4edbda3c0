#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "cli_helpers.h"

using qnas::test::run;

TEST_CASE("unknown commands fail with one line", "[cli]") {
    const auto r = run({"frobnicate"});
    CHECK(r.code != 0);
    CHECK(r.err.find("unknown command 'frobnicate'") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("help lists every command", "[cli]") {
    const auto r = run({"help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("simulate CIRCUIT.qasm") != std::string::npos);
}
