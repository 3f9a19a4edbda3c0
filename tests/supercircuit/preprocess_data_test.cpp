// preprocess_image against values computed by hand from the definition: (p − 0.1307)/0.3081,
// centre crop rows/cols 2..25, mean over kernel × kernel blocks (kernel = 24/side).
#include <vector>

#include <catch2/catch.hpp>

#include "data_test_helpers.h"
#include "supercircuit/dataset.h"

using namespace qnas::supercircuit;
using Catch::Matchers::Contains;
using data_test::error_of;

namespace {

constexpr double kZero = -0.424212917883804;  // (0 − 0.1307)/0.3081

std::vector<float> blank_with_border() {
    // Pixels outside the crop (rows/cols 0, 1, 26, 27) are 1: they must not reach any feature.
    std::vector<float> img(784, 0.0f);
    for (int r = 0; r < 28; ++r) {
        for (int c = 0; c < 28; ++c) {
            if (r < 2 || r > 25 || c < 2 || c > 25) img[static_cast<std::size_t>(r * 28 + c)] = 1.0f;
        }
    }
    return img;
}

}  // namespace

TEST_CASE("preprocess_image side 4: single pixels in the corner blocks", "[supercircuit][data][preprocess]") {
    std::vector<float> img = blank_with_border();
    img[2 * 28 + 2] = 1.0f;    // crop (0, 0) → block 0: (1/36 − 0.1307)/0.3081
    img[25 * 28 + 25] = 0.5f;  // crop (23, 23) → block 15: (0.5/36 − 0.1307)/0.3081
    const std::vector<double> f = preprocess_image(img.data(), 4);
    REQUIRE(f.size() == 16);
    CHECK(f[0] == Approx(-0.33405459987738473).margin(1e-12));
    CHECK(f[15] == Approx(-0.37913375888059436).margin(1e-12));
    for (int i = 1; i < 15; ++i) CHECK(f[static_cast<std::size_t>(i)] == Approx(kZero).margin(1e-12));
}

TEST_CASE("preprocess_image side 4: a horizontal ramp is pooled row-major", "[supercircuit][data][preprocess]") {
    // p(r, c) = c/27: block column j covers image columns 2+6j … 7+6j, mean (4.5 + 6j)/27.
    std::vector<float> img(784);
    for (int r = 0; r < 28; ++r) {
        for (int c = 0; c < 28; ++c) img[static_cast<std::size_t>(r * 28 + c)] = static_cast<float>(c / 27.0);
    }
    const std::vector<double> f = preprocess_image(img.data(), 4);
    const double expected[4] = {0.11673699015471162, 0.838003534206066, 1.55927007825742, 2.2805366223087744};
    for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 4; ++j) CHECK(f[static_cast<std::size_t>(i * 4 + j)] == Approx(expected[j]).margin(1e-6));
    }
}

TEST_CASE("preprocess_image side 6: kernel 4 blocks", "[supercircuit][data][preprocess]") {
    std::vector<float> img = blank_with_border();
    img[5 * 28 + 5] = 1.0f;  // crop (3, 3) → block (0, 0) = feature 0: (1/16 − 0.1307)/0.3081
    img[6 * 28 + 6] = 1.0f;  // crop (4, 4) → block (1, 1) = feature 7
    const std::vector<double> f = preprocess_image(img.data(), 6);
    REQUIRE(f.size() == 36);
    for (int i = 0; i < 36; ++i) {
        const double want = (i == 0 || i == 7) ? -0.22135670236936064 : kZero;
        CHECK(f[static_cast<std::size_t>(i)] == Approx(want).margin(1e-12));
    }
    CHECK_THAT(error_of([&] { preprocess_image(img.data(), 5); }), Contains("side 5 does not divide"));
}
