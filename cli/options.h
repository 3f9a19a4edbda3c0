// Shared command-line parsing for `qnas` commands: Boost.Program_options with one positional
// argument, unknown flags rejected, and parse errors turned into one-line qnas::Error messages.
#pragma once

#include <boost/program_options.hpp>
#include <span>
#include <string>

namespace qnas::cli {

// Parses `args` against `visible` plus a hidden positional option named `positional`
// (described by `positional_help`). Errors read "<command>: <what Boost says>".
boost::program_options::variables_map parse_options(std::span<const std::string> args,
                                                    const boost::program_options::options_description& visible,
                                                    const std::string& positional, const std::string& positional_help,
                                                    const std::string& command);

}  // namespace qnas::cli
