// The feature CSV (docs/data.md) and load_task("vowel4") on CSVs written here.
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

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

// 11 classes × 6 rows; row r: features r + k/10 (k = 0..9), label r % 11; with a split column,
// rows 44..65 (the last two of each class) are `test`.
std::string vowel_csv(bool split_column) {
    std::string s = "f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,label";
    if (split_column) s += ",split";
    s += "\n";
    for (int r = 0; r < 66; ++r) {
        for (int k = 0; k < 10; ++k) s += std::to_string(r) + "." + std::to_string(k) + ",";
        s += std::to_string(r % 11);
        if (split_column) s += r >= 44 ? ",test" : ",train";
        s += "\r\n";  // CRLF is accepted
    }
    return s;
}

int new_label(int original) {
    const int map[7] = {0, 2, -1, -1, -1, 1, 3};  // classes {0, 5, 1, 6}
    return original < 7 ? map[original] : -1;
}

}  // namespace

TEST_CASE("read_feature_csv reads features, labels and the optional split column", "[supercircuit][data][vowel]") {
    ScratchDir dir("csv");
    write_text(dir.file("a.csv"), "x, y ,label\n1.5,-2,3\n\n0,1e-3,0\n");
    const FeatureTable t = read_feature_csv(dir.file("a.csv"));
    CHECK(t.feature_names == std::vector<std::string>{"x", "y"});
    CHECK(t.x == std::vector<double>{1.5, -2, 0, 1e-3});
    CHECK(t.y == std::vector<int>{3, 0});
    CHECK_FALSE(t.has_split_column);
    CHECK(t.split == std::vector<RowSplit>{RowSplit::Unspecified, RowSplit::Unspecified});
    write_text(dir.file("b.csv"), "split,label,a\ntest,1,0.5\ntrain,2,0.25\n");
    const FeatureTable b = read_feature_csv(dir.file("b.csv"));
    CHECK(b.has_split_column);
    CHECK(b.split == std::vector<RowSplit>{RowSplit::Test, RowSplit::Train});
    CHECK(b.x == std::vector<double>{0.5, 0.25});

    auto err = [&](const std::string& text) {
        write_text(dir.file("bad.csv"), text);
        return error_of([&] { read_feature_csv(dir.file("bad.csv")); });
    };
    const std::string f = dir.file("bad.csv");
    CHECK_THAT(err(""), Contains(f + ":0: empty file"));
    CHECK_THAT(err("a,b\n1,2\n"), Contains(f + ":1: header has no 'label' column"));
    CHECK_THAT(err("label\n1\n"), Contains("header has no feature columns"));
    CHECK_THAT(err("a,,label\n"), Contains(":1: header: column 2 has no name"));
    CHECK_THAT(err("a,label,label\n"), Contains("column 'label' appears twice"));
    CHECK_THAT(err("a,label\n1,2\n3\n"), Contains(f + ":3: 1 fields, the header has 2"));
    CHECK_THAT(err("a,label\nx,2\n"), Contains(f + ":2: column 'a': 'x' is not a finite number"));
    CHECK_THAT(err("a,label\nnan,2\n"), Contains("'nan' is not a finite number"));
    CHECK_THAT(err("a,label\n1,2.5\n"), Contains(":2: label '2.5' is not an integer ≥ 0"));
    CHECK_THAT(err("a,label\n1,-1\n"), Contains("label '-1'"));
    CHECK_THAT(err("a,label,split\n1,1,valid\n"), Contains("split 'valid' is neither 'train' nor 'test'"));
    CHECK_THAT(err("a,label\n"), Contains("no data rows"));
    CHECK_THAT(error_of([&] { read_feature_csv(dir.file("none.csv")); }), Contains("none.csv: cannot open file"));
}

TEST_CASE("load_task vowel4 with a split column", "[supercircuit][data][vowel][task]") {
    ScratchDir dir("vowel_split");
    write_text(dir.file("vowel.csv"), vowel_csv(true));
    LoadOptions o;
    o.sources.data_dir = dir.str();  // default path <data_dir>/vowel.csv
    const Splits s = load_task(task_by_name("vowel4"), o);
    // Classes 0, 5, 1, 6: 4 train rows each → 16, ⌊0.85·16⌋ = 13 train, 3 valid; 2 test rows each.
    CHECK(s.train.size() == 13);
    CHECK(s.valid.size() == 3);
    REQUIRE(s.test.size() == 8);
    CHECK(s.test.n_features == 10);
    CHECK(s.test.n_classes == 4);
    // Test rows in file order: 44(0) 45(1) 49(5) 50(6) 55(0) 56(1) 60(5) 61(6).
    const std::vector<int> rows = {44, 45, 49, 50, 55, 56, 60, 61};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(s.test.x[i * 10] == rows[i]);
        CHECK(s.test.x[i * 10 + 9] == Approx(rows[i] + 0.9));
        CHECK(s.test.y[i] == new_label(rows[i] % 11));
    }
    // Train + valid = the 16 train rows of the classes, labels consistent with the features.
    std::vector<int> seen;
    for (const Dataset* d : {&s.train, &s.valid}) {
        for (std::size_t i = 0; i < d->size(); ++i) {
            const int r = static_cast<int>(d->x[i * 10]);
            CHECK(r < 44);
            CHECK(d->y[i] == new_label(r % 11));
            seen.push_back(r);
        }
    }
    std::sort(seen.begin(), seen.end());
    CHECK(seen == std::vector<int>{0, 1, 5, 6, 11, 12, 16, 17, 22, 23, 27, 28, 33, 34, 38, 39});
}

TEST_CASE("load_task vowel4 without a split column: seeded test fraction", "[supercircuit][data][vowel][task]") {
    ScratchDir dir("vowel_nosplit");
    write_text(dir.file("v.csv"), vowel_csv(false));
    LoadOptions o;
    o.sources.vowel_csv = dir.file("v.csv");
    o.seed = 3;
    const Splits s = load_task(task_by_name("vowel4"), o);
    // ⌈0.3·66⌉ = 20 test rows: the last 20 of seeded_permutation(66, 3), then filtered.
    const std::vector<std::size_t> perm = seeded_permutation(66, 3);
    std::vector<int> test_rows;
    for (std::size_t r = 46; r < 66; ++r) {
        if (new_label(static_cast<int>(perm[r] % 11)) >= 0) test_rows.push_back(static_cast<int>(perm[r]));
    }
    std::sort(test_rows.begin(), test_rows.end());
    REQUIRE(s.test.size() == test_rows.size());
    for (std::size_t i = 0; i < test_rows.size(); ++i) CHECK(s.test.x[i * 10] == test_rows[i]);
    const std::size_t pool = 24 - test_rows.size();
    CHECK(s.train.size() == static_cast<std::size_t>(std::floor(0.85 * static_cast<double>(pool))));
    CHECK(s.train.size() + s.valid.size() == pool);
    const Splits again = load_task(task_by_name("vowel4"), o);
    CHECK(again.train.x == s.train.x);
    // Another seed, another train/valid order (the fixed test rows of a split column keep it valid).
    write_text(dir.file("s.csv"), vowel_csv(true));
    o.sources.vowel_csv = dir.file("s.csv");
    const Splits a = load_task(task_by_name("vowel4"), o);
    o.seed = 4;
    const Splits b = load_task(task_by_name("vowel4"), o);
    CHECK(a.test.x == b.test.x);
    CHECK(a.train.x != b.train.x);
}

TEST_CASE("load_task vowel4 reports bad inputs", "[supercircuit][data][vowel][task]") {
    ScratchDir dir("vowel_bad");
    LoadOptions o;
    o.sources.data_dir = dir.str();
    CHECK_THAT(error_of([&] { load_task(task_by_name("vowel4"), o); }),
               Contains(dir.file("vowel.csv") + ": no Vowel CSV here") && Contains("docs/data.md"));
    write_text(dir.file("nine.csv"), "a,b,c,d,e,f,g,h,i,label\n1,2,3,4,5,6,7,8,9,0\n");
    o.sources.vowel_csv = dir.file("nine.csv");
    CHECK_THAT(error_of([&] { load_task(task_by_name("vowel4"), o); }),
               Contains("nine.csv: 9 feature columns, task vowel4 (encoder 10_ryzx) needs 10"));
    // No rows of class 6.
    std::string text = "f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,label\n";
    for (int c : {0, 5, 1, 0, 5, 1}) text += "0,0,0,0,0,0,0,0,0,0," + std::to_string(c) + "\n";
    write_text(dir.file("no6.csv"), text);
    o.sources.vowel_csv = dir.file("no6.csv");
    o.test_fraction = 0.01;
    CHECK_THAT(error_of([&] { load_task(task_by_name("vowel4"), o); }),
               Contains("no6.csv (training rows): no samples of class 6"));
    o.split = SplitKind::Npm701020;
    CHECK_THAT(error_of([&] { load_task(task_by_name("vowel4"), o); }), Contains("npm 70/10/20 split"));
}
