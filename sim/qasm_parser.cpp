// OpenQASM 2.0 import: a recursive-descent parser over the on-demand lexer. Statements are
// executed as they are read (registers declared, gates expanded and appended), so the first
// problem in the file is the one reported. Recursion is bounded everywhere: expressions by
// kQasmMaxExpressionDepth, gate expansion by kQasmMaxGateNesting, includes by the cycle guard
// and kQasmMaxIncludeDepth; kQasmMaxOps and kQasmMaxBits bound memory.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/error.h"
#include "sim/qasm.h"
#include "sim/qasm_expression.h"
#include "sim/qasm_lexer.h"
#include "sim/qasm_qelib1.h"

namespace qnas::sim {

namespace {

namespace fs = std::filesystem;
using qasm::Code;
using qasm::describe;
using qasm::Expr;
using qasm::Lexer;
using qasm::Tok;
using qasm::Token;

constexpr std::array<std::string_view, 18> kReserved{"OPENQASM", "include", "qreg",    "creg",  "gate", "opaque",
                                                     "if",       "barrier", "measure", "reset", "U",    "CX",
                                                     "pi",       "sin",     "cos",     "tan",   "exp",  "ln"};

bool reserved(std::string_view name) {
    return name == "sqrt" || std::find(kReserved.begin(), kReserved.end(), name) != kReserved.end();
}

std::string plural(long n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

struct Register {
    std::string name;
    int offset = 0;
    int size = 0;
    int line = 0, col = 0;
};

// What a gate name refers to: a table gate, or a user definition expanded at each call.
struct GateRef {
    bool table = true;
    GateKind kind = GateKind::I;
    int def = -1;
    int n_params = 0;
    int n_qubits = 0;
};

struct BodyOp {
    GateRef callee;
    std::vector<Expr> params;
    std::vector<int> args;  // indices into the definition's qubit arguments
};

struct GateDef {
    std::string name;
    std::vector<BodyOp> body;
    int nesting = 1;  // 1 + the deepest nesting among the definitions it calls
    long size = 0;    // table gates one call expands to, saturating just above kQasmMaxOps
};

// State shared by the main file and everything it includes.
struct Program {
    Circuit circuit;
    std::vector<Register> qregs, cregs;
    std::unordered_map<std::string, GateRef> gates;
    std::vector<GateDef> defs;
    std::vector<std::uint8_t> touched, measured;  // per qubit
    std::vector<std::string> include_stack;       // canonical paths of files being parsed
    bool qelib1 = false;
};

GateRef table_ref(GateKind k) {
    const GateInfo& g = gate_info(k);
    return {true, k, -1, g.n_params, g.n_qubits};
}

bool read_file(const fs::path& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return false;
    out = ss.str();
    return true;
}

struct QubitArg {
    Token tok;
    const Register* reg;
    long index;  // -1: the whole register
};

class Parser {
public:
    Parser(Program& prog, std::string_view src, std::string file, int include_depth)
        : prog_(prog), file_(std::move(file)), lex_(src, file_), depth_(include_depth) {
        cur_ = lex_.next();
    }

    void parse_file(bool main_file) {
        bool first = true;
        while (cur_.kind != Tok::Eof) {
            if (cur_.is_ident("OPENQASM")) {
                if (!first) fail(cur_, "'OPENQASM' must be the first statement of the file");
                version();
            } else {
                if (first && main_file)
                    fail(cur_, "expected 'OPENQASM 2.0;' at the start of the file, found " + describe(cur_));
                statement();
            }
            first = false;
        }
        if (first && main_file) fail(cur_, "empty file: expected 'OPENQASM 2.0;'");
    }

private:
    // ---- token helpers -----------------------------------------------------------------------
    [[noreturn]] void fail(int line, int col, const std::string& msg) const { throw QasmError(file_, line, col, msg); }
    [[noreturn]] void fail(const Token& t, const std::string& msg) const { fail(t.line, t.col, msg); }

    Token take() {
        Token t = cur_;
        prev_line_ = t.line;
        prev_end_col_ = t.end_col;
        cur_ = lex_.next();
        return t;
    }
    bool accept(std::string_view sym) {
        if (!cur_.is(sym)) return false;
        take();
        return true;
    }
    Token expect(std::string_view sym, const std::string& context) {
        if (!cur_.is(sym)) fail(cur_, "expected '" + std::string(sym) + "' " + context + ", found " + describe(cur_));
        return take();
    }
    // A missing ';' is reported where it belongs: right after the statement's last token.
    void semicolon() {
        if (!cur_.is(";")) fail(prev_line_, prev_end_col_, "expected ';' before " + describe(cur_));
        take();
    }
    Token expect_ident(const std::string& what) {
        if (cur_.kind != Tok::Ident) fail(cur_, "expected " + what + ", found " + describe(cur_));
        return take();
    }
    long expect_int(const std::string& what) {
        if (cur_.kind != Tok::Int)
            fail(cur_, "expected " + what + " (a non-negative integer), found " + describe(cur_));
        long v = 0;
        const auto r = std::from_chars(cur_.text.data(), cur_.text.data() + cur_.text.size(), v);
        if (r.ec != std::errc() || v > kQasmMaxBits) fail(cur_, "integer " + describe(cur_) + " is too large");
        take();
        return v;
    }
    Token declared_name(const std::string& what) {
        const Token t = expect_ident(what);
        if (reserved(t.text)) fail(t, "'" + std::string(t.text) + "' is a reserved word and cannot name " + what);
        return t;
    }

    // ---- statements --------------------------------------------------------------------------
    void version() {
        take();
        const Token v = cur_;
        if ((v.kind != Tok::Real && v.kind != Tok::Int) || (v.text != "2.0" && v.text != "2"))
            fail(v, "unsupported OpenQASM version " + describe(v) + "; only 2.0 is supported");
        take();
        semicolon();
    }

    void statement() {
        if (cur_.kind != Tok::Ident) fail(cur_, "expected a statement, found " + describe(cur_));
        const std::string_view kw = cur_.text;
        if (kw == "include") return include();
        if (kw == "qreg" || kw == "creg") return register_decl(kw == "qreg");
        if (kw == "gate") return gate_definition();
        if (kw == "opaque") fail(cur_, "opaque gates are not supported: qnas needs a gate's definition to simulate it");
        if (kw == "if") fail(cur_, "classically controlled operations ('if') are not supported");
        if (kw == "barrier") return barrier();
        if (kw == "measure") return measure();
        if (kw == "reset") return reset();
        if (kw != "U" && kw != "CX" && reserved(kw))
            fail(cur_, "unexpected " + describe(cur_) + " at the start of a statement");
        gate_call();
    }

    void include() {
        take();
        if (cur_.kind != Tok::String) fail(cur_, "expected a file name in double quotes after 'include'");
        const Token name = take();
        semicolon();
        if (name.text == "qelib1.inc") return include_qelib1(name);
        if (depth_ + 1 > kQasmMaxIncludeDepth)
            fail(name, "includes nested more than " + std::to_string(kQasmMaxIncludeDepth) + " deep");
        const fs::path path = fs::path(file_).parent_path() / std::string(name.text);
        std::error_code ec;
        fs::path canon = fs::weakly_canonical(path, ec);
        if (ec) canon = path;
        const auto& stack = prog_.include_stack;
        if (std::find(stack.begin(), stack.end(), canon.string()) != stack.end())
            fail(name, "include cycle: '" + path.string() + "' is already being included");
        std::string text;
        if (fs::is_directory(path, ec) || !read_file(path, text))
            fail(name, "cannot read included file '" + path.string() + "'");
        prog_.include_stack.push_back(canon.string());
        Parser sub(prog_, text, path.string(), depth_ + 1);
        sub.parse_file(false);
        prog_.include_stack.pop_back();
    }

    void include_qelib1(const Token& at) {
        if (prog_.qelib1) return;
        prog_.qelib1 = true;
        for (std::string_view n : qasm::qelib1_table_gates()) {
            const auto kind = gate_by_name(n);
            QNAS_CHECK(kind.has_value(), "qelib1 gate missing from the table");
            const std::string key(n);
            if (const auto it = prog_.gates.find(key); it != prog_.gates.end() && !it->second.table)
                fail(at, "qelib1.inc defines gate '" + key + "', which is already defined");
            prog_.gates[key] = table_ref(*kind);
        }
        Parser sub(prog_, qasm::qelib1_definitions(), "qelib1.inc", depth_ + 1);
        sub.parse_file(false);
    }

    void register_decl(bool quantum) {
        take();
        const Token name = declared_name("a register");
        for (const auto* regs : {&prog_.qregs, &prog_.cregs})
            for (const Register& r : *regs)
                if (r.name == name.text)
                    fail(name, "register '" + r.name + "' is already declared (at " + std::to_string(r.line) + ":" +
                                   std::to_string(r.col) + ")");
        expect("[", "after the register name");
        const Token size_tok = cur_;
        const long size = expect_int("a register size");
        expect("]", "after the register size");
        semicolon();
        if (size < 1) fail(size_tok, "register size must be at least 1");
        auto& regs = quantum ? prog_.qregs : prog_.cregs;
        int& total = quantum ? prog_.circuit.n_qubits : prog_.circuit.n_clbits;
        if (total + size > kQasmMaxBits)
            fail(size_tok, std::string("too many ") + (quantum ? "qubits" : "classical bits") + ": at most " +
                               std::to_string(kQasmMaxBits) + " in total");
        regs.push_back({std::string(name.text), total, static_cast<int>(size), name.line, name.col});
        total += static_cast<int>(size);
        if (quantum) {
            prog_.touched.resize(static_cast<std::size_t>(total), 0);
            prog_.measured.resize(static_cast<std::size_t>(total), 0);
        }
    }

    // ---- gate definitions --------------------------------------------------------------------
    std::vector<Token> name_list(const std::string& what) {
        std::vector<Token> names{declared_name(what)};
        while (accept(",")) names.push_back(declared_name(what));
        return names;
    }

    static int index_of(const std::vector<Token>& names, std::string_view n) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i].text == n) return static_cast<int>(i);
        return -1;
    }

    void gate_definition() {
        take();
        const Token name = expect_ident("a gate name");
        if (name.text == "U" || name.text == "CX")
            fail(name, "cannot redefine the built-in gate '" + std::string(name.text) + "'");
        if (reserved(name.text))
            fail(name, "'" + std::string(name.text) + "' is a reserved word and cannot name a gate");
        std::vector<Token> params;
        if (accept("(")) {
            if (!cur_.is(")")) params = name_list("a parameter name");
            expect(")", "after the gate's parameter names");
        }
        if (cur_.kind != Tok::Ident) fail(cur_, "expected the gate's qubit argument names, found " + describe(cur_));
        const std::vector<Token> qargs = name_list("a qubit argument name");
        std::vector<Token> all = params;
        all.insert(all.end(), qargs.begin(), qargs.end());
        for (std::size_t i = 0; i < all.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (all[i].text == all[j].text)
                    fail(all[i], "duplicate name '" + std::string(all[i].text) + "' in the declaration of gate '" +
                                     std::string(name.text) + "'");
        const Token open = expect("{", "to start the body of gate '" + std::string(name.text) + "'");
        GateDef def{std::string(name.text), {}, 1};
        while (!cur_.is("}")) {
            if (cur_.kind == Tok::Eof)
                fail(cur_, "missing '}' to close the body of gate '" + def.name + "' opened at " +
                               std::to_string(open.line) + ":" + std::to_string(open.col));
            body_statement(def, params, qargs);
        }
        take();
        define_gate(name, std::move(def), static_cast<int>(params.size()), static_cast<int>(qargs.size()));
    }

    void define_gate(const Token& name, GateDef def, int n_params, int n_qubits) {
        const std::string key(name.text);
        const auto table = gate_by_name(key);
        const bool matches_table =
            table && gate_info(*table).n_params == n_params && gate_info(*table).n_qubits == n_qubits;
        if (const auto it = prog_.gates.find(key); it != prog_.gates.end()) {
            // A compatible declaration of a table gate (as our exporter writes after including
            // qelib1.inc) is accepted, like Qiskit's legacy loader does for its built-ins.
            if (it->second.table && matches_table && it->second.kind == *table) return;
            fail(name, "gate '" + key + "' is already defined with " + plural(it->second.n_params, "parameter") +
                           " and " + plural(it->second.n_qubits, "qubit"));
        }
        if (matches_table) {
            prog_.gates[key] = table_ref(*table);
            return;
        }
        if (def.nesting > kQasmMaxGateNesting)
            fail(name, "gate definitions nested more than " + std::to_string(kQasmMaxGateNesting) + " deep");
        prog_.defs.push_back(std::move(def));
        prog_.gates[key] = {false, GateKind::I, static_cast<int>(prog_.defs.size()) - 1, n_params, n_qubits};
    }

    void body_statement(GateDef& def, const std::vector<Token>& params, const std::vector<Token>& qargs) {
        if (cur_.kind != Tok::Ident)
            fail(cur_, "expected a gate call in the body of gate '" + def.name + "', found " + describe(cur_));
        const std::string_view kw = cur_.text;
        if (kw == "barrier") {
            take();
            for (;;) {
                const Token a = expect_ident("a qubit argument");
                if (index_of(qargs, a.text) < 0)
                    fail(a, "'" + std::string(a.text) + "' is not a qubit argument of gate '" + def.name + "'");
                if (!accept(",")) break;
            }
            return semicolon();
        }
        if (kw != "U" && kw != "CX" && reserved(kw))
            fail(cur_, "'" + std::string(kw) + "' is not allowed inside a gate body (only gate calls and barrier)");
        const Token name = take();
        if (name.text == def.name) fail(name, "gate '" + def.name + "' cannot call itself");
        BodyOp op;
        op.callee = lookup_gate(name);
        def.size = std::min(def.size + expanded_size(op.callee), kQasmMaxOps + 1);
        if (!op.callee.table)
            def.nesting = std::max(def.nesting, prog_.defs[static_cast<std::size_t>(op.callee.def)].nesting + 1);
        std::vector<std::string_view> scope;
        for (const Token& p : params) scope.push_back(p.text);
        op.params = param_list(scope);
        std::vector<Token> arg_toks;
        for (;;) {
            const Token a = expect_ident("a qubit argument");
            if (cur_.is("[")) fail(cur_, "qubit arguments inside a gate body are single qubits and cannot be indexed");
            const int k = index_of(qargs, a.text);
            if (k < 0) fail(a, "'" + std::string(a.text) + "' is not a qubit argument of gate '" + def.name + "'");
            if (std::find(op.args.begin(), op.args.end(), k) != op.args.end())
                fail(a, "qubit argument '" + std::string(a.text) + "' used twice in one gate");
            op.args.push_back(k);
            if (!accept(",")) break;
        }
        check_arity(name, op.callee, op.params.size(), op.args.size());
        semicolon();
        def.body.push_back(std::move(op));
    }

    // ---- gate calls --------------------------------------------------------------------------
    GateRef lookup_gate(const Token& name) {
        if (name.text == "U") return table_ref(GateKind::U3);
        if (name.text == "CX") return table_ref(GateKind::CX);
        if (const auto it = prog_.gates.find(std::string(name.text)); it != prog_.gates.end()) return it->second;
        std::string msg = "unknown gate '" + std::string(name.text) + "'";
        if (gate_by_name(name.text))
            msg += prog_.qelib1 ? " (not in qelib1.inc: declare it with a 'gate' definition)"
                                : " (missing 'include \"qelib1.inc\";'?)";
        fail(name, msg);
    }

    long expanded_size(const GateRef& g) const {
        return g.table ? 1 : prog_.defs[static_cast<std::size_t>(g.def)].size;
    }

    void check_arity(const Token& name, const GateRef& g, std::size_t n_params, std::size_t n_args) const {
        const std::string n(name.text);
        if (static_cast<int>(n_params) != g.n_params)
            fail(name, "gate '" + n + "' takes " + plural(g.n_params, "parameter") + ", but " +
                           std::to_string(n_params) + " " + (n_params == 1 ? "was" : "were") + " given");
        if (static_cast<int>(n_args) != g.n_qubits)
            fail(name, "gate '" + n + "' acts on " + plural(g.n_qubits, "qubit") + ", but " + std::to_string(n_args) +
                           " " + (n_args == 1 ? "was" : "were") + " given");
    }

    std::vector<Expr> param_list(const std::vector<std::string_view>& scope) {
        std::vector<Expr> out;
        if (!accept("(")) return out;
        if (!cur_.is(")")) {
            out.push_back(expression(scope));
            while (accept(",")) out.push_back(expression(scope));
        }
        expect(")", "to close the parameter list");
        return out;
    }

    const Register* find_register(const std::vector<Register>& regs, std::string_view name) const {
        for (const Register& r : regs)
            if (r.name == name) return &r;
        return nullptr;
    }

    QubitArg reg_arg(bool quantum) {
        const Token name = expect_ident(quantum ? "a qubit register" : "a classical register");
        const Register* r = find_register(quantum ? prog_.qregs : prog_.cregs, name.text);
        if (!r) {
            const std::string n(name.text);
            if (find_register(quantum ? prog_.cregs : prog_.qregs, name.text))
                fail(name, "'" + n + "' is a " + (quantum ? "classical" : "quantum") + " register; expected a " +
                               (quantum ? "qreg" : "creg"));
            fail(name, "undeclared register '" + n + "'");
        }
        long index = -1;
        if (accept("[")) {
            const Token idx = cur_;
            index = expect_int("an index");
            if (index >= r->size)
                fail(idx, "index " + std::to_string(index) + " out of range for " + (quantum ? "qreg " : "creg ") +
                              r->name + "[" + std::to_string(r->size) + "]");
            expect("]", "after the index");
        }
        return {name, r, index};
    }

    std::vector<QubitArg> qubit_args() {
        std::vector<QubitArg> args{reg_arg(true)};
        while (accept(",")) args.push_back(reg_arg(true));
        return args;
    }

    std::string qubit_name(int q) const {
        for (const Register& r : prog_.qregs)
            if (q >= r.offset && q < r.offset + r.size) return r.name + "[" + std::to_string(q - r.offset) + "]";
        return "q?";
    }

    // Number of applications for broadcasting: 1, or the common size of the whole registers.
    int broadcast_size(const std::vector<QubitArg>& args) const {
        const QubitArg* whole = nullptr;
        for (const QubitArg& a : args) {
            if (a.index >= 0) continue;
            if (!whole) {
                whole = &a;
            } else if (a.reg->size != whole->reg->size) {
                fail(a.tok, "cannot broadcast over registers of different sizes: '" + a.reg->name + "' has " +
                                std::to_string(a.reg->size) + " qubits, '" + whole->reg->name + "' has " +
                                std::to_string(whole->reg->size));
            }
        }
        return whole ? whole->reg->size : 1;
    }

    static int flat(const QubitArg& a, int j) { return a.reg->offset + static_cast<int>(a.index >= 0 ? a.index : j); }

    void gate_call() {
        const Token name = take();
        const GateRef g = lookup_gate(name);
        const std::vector<Expr> exprs = param_list({});
        const std::vector<QubitArg> args = qubit_args();
        semicolon();
        check_arity(name, g, exprs.size(), args.size());
        std::vector<double> params;
        for (const Expr& e : exprs) {
            params.push_back(qasm::evaluate(e, {}));
            if (!std::isfinite(params.back())) fail(e.line, e.col, "parameter does not evaluate to a finite number");
        }
        const int n = broadcast_size(args);
        std::vector<int> qubits(args.size());
        for (int j = 0; j < n; ++j) {
            for (std::size_t k = 0; k < args.size(); ++k) {
                qubits[k] = flat(args[k], j);
                for (std::size_t l = 0; l < k; ++l)
                    if (qubits[l] == qubits[k])
                        fail(args[k].tok, "qubit " + qubit_name(qubits[k]) + " is used twice in one gate");
            }
            for (const int q : qubits) {
                if (prog_.measured[static_cast<std::size_t>(q)])
                    fail(name, "gate '" + std::string(name.text) + "' on " + qubit_name(q) +
                                   " after it was measured (mid-circuit measurement is not supported)");
                prog_.touched[static_cast<std::size_t>(q)] = 1;
            }
            // Checked before expanding, so a definition that doubles itself 40 times fails at once.
            if (static_cast<long>(prog_.circuit.ops.size()) + expanded_size(g) > kQasmMaxOps)
                fail(name, "the circuit expands to more than " + std::to_string(kQasmMaxOps) + " gates");
            expand(g, params, qubits, name);
        }
    }

    void expand(const GateRef& g, std::span<const double> params, std::span<const int> qubits, const Token& site) {
        if (g.table) {
            Op op;
            op.kind = g.kind;
            for (int k = 0; k < g.n_qubits; ++k)
                op.qubits[static_cast<std::size_t>(k)] = qubits[static_cast<std::size_t>(k)];
            for (int j = 0; j < g.n_params; ++j) {
                const double v = params[static_cast<std::size_t>(j)];
                if (!std::isfinite(v))
                    fail(site, "gate '" + std::string(site.text) + "' produces a non-finite angle for '" +
                                   std::string(gate_info(g.kind).name) + "'");
                op.params[static_cast<std::size_t>(j)] = Param::constant(v);
            }
            prog_.circuit.ops.push_back(op);
            return;
        }
        const GateDef& def = prog_.defs[static_cast<std::size_t>(g.def)];
        std::vector<double> values;
        std::vector<int> mapped;
        for (const BodyOp& b : def.body) {
            values.clear();
            for (const Expr& e : b.params) values.push_back(qasm::evaluate(e, params));
            mapped.clear();
            for (const int a : b.args) mapped.push_back(qubits[static_cast<std::size_t>(a)]);
            expand(b.callee, values, mapped, site);
        }
    }

    void barrier() {
        take();
        qubit_args();
        semicolon();
    }

    void measure() {
        take();
        const QubitArg q = reg_arg(true);
        expect("->", "in measure");
        const QubitArg c = reg_arg(false);
        semicolon();
        if ((q.index < 0) != (c.index < 0)) fail(c.tok, "measure needs both sides indexed or both whole registers");
        const int n = q.index < 0 ? q.reg->size : 1;
        if (q.index < 0 && q.reg->size != c.reg->size)
            fail(c.tok, "cannot measure qreg " + q.reg->name + "[" + std::to_string(q.reg->size) + "] into creg " +
                            c.reg->name + "[" + std::to_string(c.reg->size) + "]: sizes differ");
        if (static_cast<long>(prog_.circuit.measures.size()) + n > kQasmMaxOps)
            fail(q.tok, "more than " + std::to_string(kQasmMaxOps) + " measurements");
        for (int j = 0; j < n; ++j) {
            const int qb = flat(q, j);
            prog_.circuit.measures.push_back({qb, flat(c, j)});
            prog_.measured[static_cast<std::size_t>(qb)] = 1;
        }
    }

    void reset() {
        const Token kw = take();
        const QubitArg a = reg_arg(true);
        semicolon();
        // Every qubit starts in |0⟩, so a reset before anything acts on it changes nothing.
        const int n = a.index < 0 ? a.reg->size : 1;
        for (int j = 0; j < n; ++j) {
            const int q = flat(a, j);
            if (prog_.touched[static_cast<std::size_t>(q)] || prog_.measured[static_cast<std::size_t>(q)])
                fail(kw, "reset of " + qubit_name(q) + " after it was used is not supported (mid-circuit reset)");
        }
    }

    // ---- expressions -------------------------------------------------------------------------
    // Grammar (lowest precedence first): sum := product (('+'|'-') product)*;
    // product := unary (('*'|'/') unary)*; unary := ('-'|'+') unary | power;
    // power := atom ('^' unary)?  (right-associative, so -2^2 = -4 and 2^-1 = 0.5);
    // atom := number | pi | parameter | func '(' sum ')' | '(' sum ')'.
    struct DepthGuard {
        Parser& p;
        explicit DepthGuard(Parser& parser) : p(parser) {
            if (++p.expr_depth_ > kQasmMaxExpressionDepth)
                p.fail(p.cur_, "expression nested too deeply (limit " + std::to_string(kQasmMaxExpressionDepth) + ")");
        }
        ~DepthGuard() { --p.expr_depth_; }
        DepthGuard(const DepthGuard&) = delete;
        DepthGuard& operator=(const DepthGuard&) = delete;
    };

    Expr expression(const std::vector<std::string_view>& scope) {
        Expr e;
        e.line = cur_.line;
        e.col = cur_.col;
        expr_depth_ = 0;
        sum(e, scope);
        return e;
    }

    void sum(Expr& e, const std::vector<std::string_view>& scope) {
        product(e, scope);
        while (cur_.is("+") || cur_.is("-")) {
            const bool add = take().text == "+";
            product(e, scope);
            e.code.push_back({add ? Code::Add : Code::Sub});
        }
    }

    void product(Expr& e, const std::vector<std::string_view>& scope) {
        unary(e, scope);
        while (cur_.is("*") || cur_.is("/")) {
            const bool mul = take().text == "*";
            unary(e, scope);
            e.code.push_back({mul ? Code::Mul : Code::Div});
        }
    }

    void unary(Expr& e, const std::vector<std::string_view>& scope) {
        DepthGuard guard(*this);
        if (accept("-")) {
            unary(e, scope);
            e.code.push_back({Code::Neg});
        } else if (accept("+")) {
            unary(e, scope);
        } else {
            atom(e, scope);
            if (accept("^")) {
                unary(e, scope);
                e.code.push_back({Code::Pow});
            }
        }
    }

    void atom(Expr& e, const std::vector<std::string_view>& scope) {
        if (cur_.kind == Tok::Int || cur_.kind == Tok::Real) {
            double v = 0;
            const auto r = std::from_chars(cur_.text.data(), cur_.text.data() + cur_.text.size(), v);
            if (r.ec != std::errc() || !std::isfinite(v)) fail(cur_, "number " + describe(cur_) + " is out of range");
            take();
            e.code.push_back({Code::Number, v});
            return;
        }
        if (accept("(")) {
            sum(e, scope);
            expect(")", "to close the parenthesis");
            return;
        }
        if (cur_.kind != Tok::Ident) fail(cur_, "expected an expression, found " + describe(cur_));
        const Token id = take();
        static constexpr std::array<std::pair<std::string_view, Code>, 6> kFunctions{{{"sin", Code::Sin},
                                                                                      {"cos", Code::Cos},
                                                                                      {"tan", Code::Tan},
                                                                                      {"exp", Code::Exp},
                                                                                      {"ln", Code::Ln},
                                                                                      {"sqrt", Code::Sqrt}}};
        for (const auto& [fname, code] : kFunctions)
            if (id.text == fname) {
                expect("(", "after '" + std::string(fname) + "'");
                sum(e, scope);
                expect(")", "to close the argument of '" + std::string(fname) + "'");
                e.code.push_back({code});
                return;
            }
        if (id.text == "pi") {
            e.code.push_back({Code::Number, std::numbers::pi});
            return;
        }
        for (std::size_t i = 0; i < scope.size(); ++i)
            if (scope[i] == id.text) {
                e.code.push_back({Code::Variable, 0.0, static_cast<int>(i)});
                return;
            }
        fail(id, scope.empty() ? "unknown identifier '" + std::string(id.text) +
                                     "' in expression (outside a gate body "
                                     "only numbers, pi and functions may appear)"
                               : "unknown parameter '" + std::string(id.text) + "'");
    }

    Program& prog_;
    std::string file_;
    Lexer lex_;
    int depth_;
    Token cur_;
    int prev_line_ = 1;
    int prev_end_col_ = 1;
    int expr_depth_ = 0;
};

}  // namespace

Circuit parse_qasm(std::string_view text, const std::string& filename) {
    Program prog;
    if (!filename.empty()) {
        std::error_code ec;
        const fs::path canon = fs::weakly_canonical(filename, ec);
        prog.include_stack.push_back(ec ? filename : canon.string());
    }
    Parser parser(prog, text, filename, 0);
    parser.parse_file(true);
    validate(prog.circuit);
    return std::move(prog.circuit);
}

Circuit load_qasm(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(path + ": no such file");
    if (fs::is_directory(path, ec)) throw Error(path + ": is a directory, not a QASM file");
    std::string text;
    if (!read_file(path, text)) throw Error(path + ": cannot read file");
    return parse_qasm(text, path);
}

}  // namespace qnas::sim
