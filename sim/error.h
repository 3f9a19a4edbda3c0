// Error types shared by every qnas area. Library code throws these; the CLI catches them once
// and prints a single line. Internal invariants use QNAS_CHECK (a bug, not bad input).
#pragma once

#include <stdexcept>
#include <string>

namespace qnas {

// Bad user input: a file, config field or argument. `what()` is the full one-line message.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A syntax or semantic error in an OpenQASM file, located by line and column (1-based).
class QasmError : public Error {
public:
    QasmError(const std::string& file, int line, int col, const std::string& msg)
        : Error(file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + msg),
          file_(file),
          line_(line),
          col_(col) {}
    const std::string& file() const { return file_; }
    int line() const { return line_; }
    int col() const { return col_; }

private:
    std::string file_;
    int line_;
    int col_;
};

[[noreturn]] void check_failed(const char* cond, const char* file, int line, const std::string& msg);

}  // namespace qnas

// Internal invariant: violated only by a bug in qnas, never by user input.
#define QNAS_CHECK(cond, msg)                                                \
    do {                                                                     \
        if (!(cond)) ::qnas::check_failed(#cond, __FILE__, __LINE__, (msg)); \
    } while (0)
