#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/main.h"

namespace {

struct Result {
    int code;
    std::string out, err;
};

Result run(std::vector<std::string> args) {
    args.insert(args.begin(), "qnas");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int code = qnas::cli::main(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("unknown commands fail with one line", "[cli]") {
    const auto r = run({"frobnicate"});
    CHECK(r.code != 0);
    CHECK(r.err.find("unknown command 'frobnicate'") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}
