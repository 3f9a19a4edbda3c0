#include "sim/qasm_lexer.h"

#include <cstdio>

#include "sim/error.h"

namespace qnas::sim::qasm {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

}  // namespace

std::string quoted(std::string_view s) { return std::string("'").append(s).append("'"); }

std::string describe(const Token& t) {
    switch (t.kind) {
        case Tok::Eof: return "end of file";
        case Tok::String: return std::string("string \"").append(t.text).append("\"");
        default: return quoted(t.text);
    }
}

void Lexer::fail(int line, int col, const std::string& msg) const { throw QasmError(file_, line, col, msg); }

void Lexer::advance(std::size_t n) {
    for (std::size_t i = 0; i < n && pos_ < src_.size(); ++i, ++pos_) {
        if (src_[pos_] == '\n') {
            ++line_;
            col_ = 1;
        } else {
            ++col_;
        }
    }
}

void Lexer::skip_space_and_comments() {
    while (pos_ < src_.size()) {
        const char c = src_[pos_];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            advance(1);
        } else if (c == '/' && at(pos_ + 1) == '/') {
            while (pos_ < src_.size() && src_[pos_] != '\n') advance(1);
        } else if (c == '/' && at(pos_ + 1) == '*') {
            const int line = line_, col = col_;
            const auto end = src_.find("*/", pos_ + 2);
            if (end == std::string_view::npos) fail(line, col, "unterminated comment: '/*' without '*/'");
            advance(end + 2 - pos_);
        } else {
            return;
        }
    }
}

Token Lexer::next() {
    skip_space_and_comments();
    Token t;
    t.line = line_;
    t.col = col_;
    if (pos_ >= src_.size()) {
        t.end_col = col_;
        return t;
    }
    const std::size_t start = pos_;
    const char c = src_[pos_];
    if (is_ident_start(c)) {
        std::size_t e = pos_;
        while (e < src_.size() && is_ident_char(src_[e])) ++e;
        t.kind = Tok::Ident;
        t.text = src_.substr(start, e - start);
    } else if (is_digit(c) || (c == '.' && is_digit(at(pos_ + 1)))) {
        // [0-9]+ is an integer; a '.' or an exponent makes it a real (1.5, .5, 1., 1e-3, 2.5E+1).
        std::size_t e = pos_;
        bool real = false;
        while (is_digit(at(e))) ++e;
        if (at(e) == '.') {
            real = true;
            ++e;
            while (is_digit(at(e))) ++e;
        }
        if (at(e) == 'e' || at(e) == 'E') {
            std::size_t f = e + 1;
            if (at(f) == '+' || at(f) == '-') ++f;
            if (!is_digit(at(f))) fail(line_, col_ + static_cast<int>(e - start), "malformed exponent in number");
            while (is_digit(at(f))) ++f;
            e = f;
            real = true;
        }
        if (is_ident_start(at(e))) fail(line_, col_ + static_cast<int>(e - start), "unexpected character after number");
        t.kind = real ? Tok::Real : Tok::Int;
        t.text = src_.substr(start, e - start);
    } else if (c == '"') {
        std::size_t e = pos_ + 1;
        while (e < src_.size() && src_[e] != '"' && src_[e] != '\n') ++e;
        if (e >= src_.size() || src_[e] != '"') fail(line_, col_, "unterminated string");
        t.kind = Tok::String;
        t.text = src_.substr(start + 1, e - start - 1);
        advance(e + 1 - start);
        t.end_col = col_;
        return t;
    } else if ((c == '-' && at(pos_ + 1) == '>') || (c == '=' && at(pos_ + 1) == '=')) {
        t.kind = Tok::Symbol;
        t.text = src_.substr(start, 2);
    } else if (std::string_view(";,()[]{}+-*/^").find(c) != std::string_view::npos) {
        t.kind = Tok::Symbol;
        t.text = src_.substr(start, 1);
    } else {
        char buf[40];
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f)
            std::snprintf(buf, sizeof buf, "unexpected character '%c'", c);
        else
            std::snprintf(buf, sizeof buf, "unexpected byte 0x%02x", u);
        fail(line_, col_, buf);
    }
    advance(t.text.size());
    t.end_col = col_;
    return t;
}

}  // namespace qnas::sim::qasm
