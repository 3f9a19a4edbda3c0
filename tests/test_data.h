// Where the tests find the repository: CTest sets QNAS_SOURCE_DIR to its root (a runner started by
// hand needs it too); the shipped calibrations and datasets are under <root>/data.
#pragma once

#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

namespace qnas::test {

inline std::string source_dir() {
    const char* root = std::getenv("QNAS_SOURCE_DIR");
    INFO("set QNAS_SOURCE_DIR to the repository root (ctest does)");
    REQUIRE(root != nullptr);
    return root;
}

inline std::string data_dir() { return source_dir() + "/data"; }

}  // namespace qnas::test
