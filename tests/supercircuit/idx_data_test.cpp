// IDX reader and IDX image loading: small files written here (plain and gzip'd), every malformed
// case, and the installed Fashion-MNIST.
#include <cstdint>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

#include "data_test_helpers.h"
#include "supercircuit/dataset.h"

using namespace qnas::supercircuit;
using namespace data_test;
using Catch::Matchers::Contains;

TEST_CASE("read_idx reads plain and gzip'd IDX files", "[supercircuit][data][idx]") {
    ScratchDir dir("idx_read");
    const std::vector<std::uint8_t> data = {1, 2, 3, 4, 5, 6, 250, 255, 0, 9, 8, 7};
    const auto bytes = idx_bytes({2, 3, 2}, data);
    write_bytes(dir.file("a-ubyte"), bytes);
    write_gz(dir.file("a-ubyte.gz"), bytes);
    for (const std::string name : {"a-ubyte", "a-ubyte.gz"}) {
        const IdxArray a = read_idx(dir.file(name));
        CHECK(a.dims == std::vector<std::uint32_t>{2, 3, 2});
        CHECK(a.data == data);
    }
    // Big-endian dimensions above 255 and a 1-d file.
    std::vector<std::uint8_t> many(300);
    std::iota(many.begin(), many.end(), std::uint8_t{0});
    write_gz(dir.file("b.gz"), idx_bytes({300}, many));
    const IdxArray b = read_idx(dir.file("b.gz"));
    CHECK(b.dims == std::vector<std::uint32_t>{300});
    CHECK(b.data == many);
}

TEST_CASE("read_idx rejects malformed files with one line naming the file", "[supercircuit][data][idx]") {
    ScratchDir dir("idx_bad");
    const auto good = idx_bytes({2, 3}, {1, 2, 3, 4, 5, 6});
    auto check = [&](const std::string& name, std::vector<std::uint8_t> bytes, const std::string& what, bool gz) {
        const std::string path = dir.file(name);
        (gz ? write_gz : write_bytes)(path, bytes);
        const std::string msg = error_of([&] { read_idx(path); });
        INFO(msg);
        CHECK_THAT(msg, Contains(path) && Contains(what));
        CHECK(msg.find('\n') == std::string::npos);
    };
    for (bool gz : {false, true}) {
        const std::string ext = gz ? ".gz" : "";
        check("short" + ext, {0, 0}, "truncated IDX header", gz);
        check("magic" + ext, {0x1f, 0x00, 0x08, 0x01, 0, 0, 0, 1, 7}, "not an IDX file", gz);
        check("type" + ext, {0, 0, 0x0d, 0x01, 0, 0, 0, 1, 7}, "data type 0x0d not supported", gz);
        check("ndims0" + ext, {0, 0, 0x08, 0x00}, "dimension count 0", gz);
        check("ndims9" + ext, {0, 0, 0x08, 0x09, 0, 0, 0, 1}, "dimension count 9", gz);
        check("dims" + ext, {0, 0, 0x08, 0x02, 0, 0, 0, 2, 0, 0}, "truncated IDX header", gz);
        auto cut = good;
        cut.pop_back();
        check("data" + ext, cut, "truncated IDX data (5 bytes after the header, the dimensions need 6)", gz);
        auto longer = good;
        longer.push_back(0);
        check("long" + ext, longer, "1 extra bytes", gz);
    }
    // A gzip stream cut in the middle.
    std::vector<std::uint8_t> noisy(1000);
    for (std::size_t i = 0; i < noisy.size(); ++i) noisy[i] = static_cast<std::uint8_t>(i * i % 251);
    write_gz(dir.file("full.gz"), idx_bytes({1000}, noisy));
    std::ifstream in(dir.file("full.gz"), std::ios::binary);
    const std::vector<std::uint8_t> gz((std::istreambuf_iterator<char>(in)), {});
    REQUIRE(gz.size() > 100);
    write_bytes(dir.file("cut.gz"), {gz.begin(), gz.begin() + static_cast<std::ptrdiff_t>(gz.size() / 2)});
    const std::string msg = error_of([&] { read_idx(dir.file("cut.gz")); });
    INFO(msg);
    CHECK_THAT(msg, Contains(dir.file("cut.gz")) && Contains("truncated"));
    CHECK_THAT(error_of([&] { read_idx(dir.file("missing")); }), Contains("missing: cannot open file"));
}

TEST_CASE("load_idx_images scales to [0, 1] and validates shapes, counts and labels", "[supercircuit][data][idx]") {
    ScratchDir dir("idx_images");
    write_mnist_folder(dir.str(), {3, 0, 9}, {1}, true);
    const Images im = load_idx_images(dir.file("train-images-idx3-ubyte.gz"), dir.file("train-labels-idx1-ubyte.gz"));
    REQUIRE(im.size() == 3);
    CHECK(im.labels == std::vector<int>{3, 0, 9});
    REQUIRE(im.pixels.size() == 3 * 784);
    CHECK(im.pixels[0] == Approx(3.0 / 255));             // image 0: (0·7 + 3) / 255
    CHECK(im.pixels[784 + 783] == Approx(7.0 / 255));     // image 1: (1·7 + 0) / 255
    CHECK(im.pixels[2 * 784 + 5] == Approx(23.0 / 255));  // image 2: (2·7 + 9) / 255
    const ByteImages bytes =
        load_idx_images_u8(dir.file("train-images-idx3-ubyte.gz"), dir.file("train-labels-idx1-ubyte.gz"));
    CHECK(bytes.labels == im.labels);
    REQUIRE(bytes.pixels.size() == 3 * 784);
    CHECK(bytes.pixels[784 + 1] == 7);
    CHECK(bytes.pixels[2 * 784 + 783] == 23);

    const std::string img = dir.file("img"), lab = dir.file("lab");
    write_bytes(img, idx_bytes({2, 28, 28}, std::vector<std::uint8_t>(2 * 784, 0)));
    write_bytes(lab, idx_bytes({2}, {1, 2}));
    CHECK(load_idx_images(img, lab).size() == 2);
    write_bytes(dir.file("img27"), idx_bytes({2, 28, 27}, std::vector<std::uint8_t>(2 * 28 * 27, 0)));
    CHECK_THAT(error_of([&] { load_idx_images(dir.file("img27"), lab); }),
               Contains("img27: expected images of dimensions N×28×28, got 2×28×27"));
    write_bytes(dir.file("lab3"), idx_bytes({3}, {1, 2, 3}));
    CHECK_THAT(error_of([&] { load_idx_images(img, dir.file("lab3")); }), Contains("lab3: 3 labels for 2 images"));
    write_bytes(dir.file("lab2d"), idx_bytes({2, 1}, {1, 2}));
    CHECK_THAT(error_of([&] { load_idx_images(img, dir.file("lab2d")); }), Contains("lab2d: expected a 1-dimensional"));
    write_bytes(dir.file("lab10"), idx_bytes({2}, {1, 10}));
    CHECK_THAT(error_of([&] { load_idx_images(img, dir.file("lab10")); }),
               Contains("lab10: label 10 of sample 1 not in [0, 9]"));
}

// The whole installed Fashion-MNIST once, as bytes (the float conversion is checked on small
// files above): counts, labels, a pixel sum.
TEST_CASE("load_idx_images reads the installed Fashion-MNIST", "[supercircuit][data][idx][fashion]") {
    const std::string dir = fashion_dir();
    const ByteImages train =
        load_idx_images_u8(dir + "/train-images-idx3-ubyte.gz", dir + "/train-labels-idx1-ubyte.gz");
    const ByteImages test = load_idx_images_u8(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz");
    REQUIRE(train.size() == 60000);
    REQUIRE(test.size() == 10000);
    CHECK(std::vector<int>(train.labels.begin(), train.labels.begin() + 10) ==
          std::vector<int>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5});
    CHECK(std::vector<int>(test.labels.begin(), test.labels.begin() + 10) ==
          std::vector<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7});
    std::vector<int> count(10, 0);
    for (int y : train.labels) ++count[static_cast<std::size_t>(y)];
    CHECK(count == std::vector<int>(10, 6000));
    // The first training image's bytes sum to 76247 (checked with Python's gzip module).
    long sum = 0;
    for (int i = 0; i < 784; ++i) sum += train.pixels[static_cast<std::size_t>(i)];
    CHECK(sum == 76247);
}
