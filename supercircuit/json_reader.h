// Strict reading of JSON config objects: every key must be consumed by one of the typed getters,
// or finish() reports it as unknown; every error is one line "<source>: <json path>: <problem>".
// Shared by the training config (train_config.h) and the experiment config (search/).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sim/error.h"

namespace qnas::supercircuit {

// A JSON object read strictly: every key must be consumed by one of the typed getters, or
// finish() reports it as unknown.
class ObjectReader {
public:
    ObjectReader(const nlohmann::json& j, std::string source, std::string path)
        : j_(j), source_(std::move(source)), path_(std::move(path)) {
        if (!j_.is_object()) fail(path_.empty() ? "/" : path_, "expected an object");
    }

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw Error(source_ + ": " + path + ": " + what);
    }
    std::string at(const char* key) const { return path_ + "/" + key; }
    const nlohmann::json* find(const char* key) {
        known_.push_back(key);
        const auto it = j_.find(key);
        return it == j_.end() ? nullptr : &*it;
    }

    void string(const char* key, std::string& out, std::initializer_list<const char*> allowed = {}) {
        if (const nlohmann::json* v = find(key)) {
            if (!v->is_string()) fail(at(key), "expected a string");
            out = v->get<std::string>();
            if (allowed.size() == 0) return;
            std::string list;
            for (const char* a : allowed) {
                if (out == a) return;
                list.append(list.empty() ? "" : ", ").append(a);
            }
            fail(at(key), "'" + out + "' is not one of " + list);
        }
    }
    void number(const char* key, double& out, double lo, double hi) {
        if (const nlohmann::json* v = find(key)) {
            if (!v->is_number()) fail(at(key), "expected a number");
            out = v->get<double>();
            if (!(out >= lo && out <= hi)) fail(at(key), "out of range [" + fmt(lo) + ", " + fmt(hi) + "]");
        }
    }
    template <class Int>
    void integer(const char* key, Int& out, std::int64_t lo) {
        if (const nlohmann::json* v = find(key)) {
            if (!v->is_number_integer()) fail(at(key), "expected an integer");
            if (v->is_number_unsigned()) {
                const auto u = v->get<std::uint64_t>();
                if (u > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) fail(at(key), "too large");
                out = static_cast<Int>(u);
            } else {
                const auto s = v->get<std::int64_t>();
                if (s < lo) fail(at(key), "must be at least " + std::to_string(lo));
                if (s > static_cast<std::int64_t>(std::numeric_limits<Int>::max())) fail(at(key), "too large");
                out = static_cast<Int>(s);
            }
            if (static_cast<std::int64_t>(out) < lo && lo > 0) fail(at(key), "must be at least " + std::to_string(lo));
        }
    }
    void boolean(const char* key, bool& out) {
        if (const nlohmann::json* v = find(key)) {
            if (!v->is_boolean()) fail(at(key), "expected true or false");
            out = v->get<bool>();
        }
    }
    void finish() const {
        for (auto it = j_.begin(); it != j_.end(); ++it) {
            bool ok = false;
            for (const auto& k : known_) ok |= k == it.key();
            if (!ok) {
                std::string list;
                for (const auto& k : known_) list.append(list.empty() ? "" : ", ").append(k);
                fail(path_ + "/" + it.key(), "unknown key (known here: " + list + ")");
            }
        }
    }

private:
    static std::string fmt(double x) {
        std::ostringstream s;
        s << x;
        return s.str();
    }
    const nlohmann::json& j_;
    std::string source_, path_;
    std::vector<std::string> known_;
};

// The JSON document in `path`; qnas::Error "cannot open config <path>" or "<path>: invalid JSON at
// byte N".
nlohmann::json load_json_file(const std::string& path);

}  // namespace qnas::supercircuit
