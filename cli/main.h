// The `qnas` command line: one entry point that dispatches to a command and is the single place
// where errors are caught and printed as one line. Callable in-process so tests can drive it.
#pragma once

#include <ostream>

namespace qnas::cli {

int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace qnas::cli
