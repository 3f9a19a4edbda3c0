// The feature CSV of docs/data.md (Vowel-4): header row, a `label` column, an optional `split`
// column, every other column a numeric feature. Plain comma-separated values, no quoting: the
// files are machine-written tables of numbers, and a strict reader reports mistakes by line.
#include <charconv>
#include <cmath>
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

using detail::cat;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> out;
    for (;;) {
        const std::size_t comma = line.find(',');
        out.push_back(trim(line.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        line.remove_prefix(comma + 1);
    }
    return out;
}

}  // namespace

FeatureTable read_feature_csv(const std::string& path) {
    std::ifstream in(path);
    if (!in) detail::fail(path, "cannot open file (the feature CSV; format in docs/data.md)");
    auto fail = [&path](std::size_t line_no, std::string_view what) {
        throw Error(cat(path, ':', line_no, ": ", what));
    };
    FeatureTable t;
    std::string line;
    std::size_t line_no = 0;
    std::size_t label_col = std::string::npos, split_col = std::string::npos, n_cols = 0;
    std::vector<std::size_t> feature_cols;
    // Header: the first non-empty line.
    while (std::getline(in, line)) {
        ++line_no;
        if (trim(line).empty()) continue;
        const auto names = split_fields(line);
        n_cols = names.size();
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::string name(names[i]);
            if (name.empty()) fail(line_no, cat("header: column ", i + 1, " has no name"));
            if (name == "label" || name == "split") {
                std::size_t& col = name == "label" ? label_col : split_col;
                if (col != std::string::npos) fail(line_no, cat("header: column '", name, "' appears twice"));
                col = i;
            } else {
                feature_cols.push_back(i);
                t.feature_names.push_back(name);
            }
        }
        break;
    }
    if (n_cols == 0) fail(line_no, "empty file (expected a header row naming the columns)");
    if (label_col == std::string::npos) fail(1, "header has no 'label' column");
    if (feature_cols.empty()) fail(1, "header has no feature columns");
    t.has_split_column = split_col != std::string::npos;
    while (std::getline(in, line)) {
        ++line_no;
        if (trim(line).empty()) continue;
        const auto fields = split_fields(line);
        if (fields.size() != n_cols) {
            fail(line_no, cat(fields.size(), " fields, the header has ", n_cols));
        }
        for (std::size_t k = 0; k < feature_cols.size(); ++k) {
            const std::string_view f = fields[feature_cols[k]];
            double v = 0;
            const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
            if (ec != std::errc() || end != f.data() + f.size() || !std::isfinite(v)) {
                fail(line_no, cat("column '", t.feature_names[k], "': '", f, "' is not a finite number"));
            }
            t.x.push_back(v);
        }
        const std::string_view lf = fields[label_col];
        int label = -1;
        const auto [end, ec] = std::from_chars(lf.data(), lf.data() + lf.size(), label);
        if (ec != std::errc() || end != lf.data() + lf.size() || label < 0) {
            fail(line_no, cat("label '", lf, "' is not an integer ≥ 0"));
        }
        t.y.push_back(label);
        RowSplit s = RowSplit::Unspecified;
        if (t.has_split_column) {
            const std::string_view sf = fields[split_col];
            if (sf == "train") {
                s = RowSplit::Train;
            } else if (sf == "test") {
                s = RowSplit::Test;
            } else {
                fail(line_no, cat("split '", sf, "' is neither 'train' nor 'test'"));
            }
        }
        t.split.push_back(s);
    }
    if (t.size() == 0) fail(line_no, "no data rows after the header");
    return t;
}

}  // namespace qnas::supercircuit
