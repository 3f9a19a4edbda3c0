#include "cli/options.h"

#include <vector>

#include "sim/error.h"

namespace qnas::cli {

namespace po = boost::program_options;

po::variables_map parse_options(std::span<const std::string> args, const po::options_description& visible,
                                const std::string& positional, const std::string& positional_help,
                                const std::string& command) {
    po::options_description hidden;
    hidden.add_options()(positional.c_str(), po::value<std::string>(), positional_help.c_str());
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description pos;
    pos.add(positional.c_str(), 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(std::vector<std::string>(args.begin(), args.end()))
                      .options(all)
                      .positional(pos)
                      .run(),
                  vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw Error(command + ": " + e.what());
    }
    return vm;
}

}  // namespace qnas::cli
