// Tokeniser for the OpenQASM 2.0 importer (internal to sim/qasm_*.cpp). Produces tokens on
// demand so that the first error in a file is the one reported, and tracks 1-based line and
// column (in bytes) for every token. Comments are `//` to end of line and `/* … */`.
#pragma once

#include <string>
#include <string_view>

namespace qnas::sim::qasm {

enum class Tok { Ident, Int, Real, String, Symbol, Eof };

struct Token {
    Tok kind = Tok::Eof;
    std::string_view text;  // for String: the contents without quotes
    int line = 1;
    int col = 1;
    int end_col = 1;  // column just after the token (tokens never span lines)

    bool is(std::string_view sym) const { return kind == Tok::Symbol && text == sym; }
    bool is_ident(std::string_view name) const { return kind == Tok::Ident && text == name; }
};

// 's' in single quotes, for messages.
std::string quoted(std::string_view s);
// How a token reads in an error message: 'h', '->', end of file, ...
std::string describe(const Token& t);

class Lexer {
public:
    Lexer(std::string_view src, const std::string& file) : src_(src), file_(file) {
        if (src_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a UTF-8 byte-order mark is not content
    }
    // The next token; an Eof token (repeatedly) at the end. Throws QasmError on bad input.
    Token next();
    const std::string& file() const { return file_; }

private:
    void skip_space_and_comments();
    [[noreturn]] void fail(int line, int col, const std::string& msg) const;
    char at(std::size_t i) const { return i < src_.size() ? src_[i] : '\0'; }
    void advance(std::size_t n);

    std::string_view src_;
    const std::string& file_;
    std::size_t pos_ = 0;
    int line_ = 1;
    int col_ = 1;
};

}  // namespace qnas::sim::qasm
