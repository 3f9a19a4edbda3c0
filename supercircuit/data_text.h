// Internal to the dataset loaders: message building without `"literal" + std::string` (GCC 12's
// -Wrestrict reports false positives on it) and the one-line "<file>: <what>" error.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "sim/error.h"

namespace qnas::supercircuit::detail {

inline void append_one(std::string& s, std::string_view v) { s.append(v); }
inline void append_one(std::string& s, char c) { s.push_back(c); }
template <class T>
requires std::is_integral_v<T>
void append_one(std::string& s, T v) { s.append(std::to_string(v)); }

// Concatenation of strings, characters and integers.
template <class... T>
std::string cat(const T&... parts) {
    std::string s;
    (append_one(s, parts), ...);
    return s;
}

[[noreturn]] inline void fail(std::string_view path, std::string_view what) { throw Error(cat(path, ": ", what)); }

}  // namespace qnas::supercircuit::detail
