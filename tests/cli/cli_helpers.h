// In-process driver for CLI tests: runs qnas::cli::main with captured stdout and stderr.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/main.h"

namespace qnas::test {

struct CliResult {
    int code;
    std::string out, err;
};

// `args` are the arguments after the program name, e.g. {"simulate", "bell.qasm"}.
inline CliResult run(std::vector<std::string> args) {
    args.insert(args.begin(), "qnas");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int code = qnas::cli::main(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
}

}  // namespace qnas::test
