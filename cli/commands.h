// The `qnas` commands, one function (and one file, cli/command_<name>.cpp) per command. Each
// takes the arguments after the command name, writes results to `out`, throws qnas::Error for
// bad input (cli::main prints it as one line) and returns the exit code.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace qnas::cli {

// qnas simulate CIRCUIT.qasm [--output probabilities|statevector]
// qnas simulate CIRCUIT.qasm --device NAME [--noise none|exact|shots|trajectories] [--shots N]
//                            [--trajectories N] [--seed S] [--data-dir D]
int command_simulate(std::span<const std::string> args, std::ostream& out);

// qnas compile CIRCUIT.qasm --device NAME [--layout 0,1,2] [--seed S] [--data-dir D] [-o OUT.qasm]
// The compiled QASM goes to `out` (or OUT.qasm), the one-line summary to `err`.
int command_compile(std::span<const std::string> args, std::ostream& out, std::ostream& err);

// qnas list gates [--format text|markdown] | qnas list devices [--data-dir D] | qnas list spaces [--qubits N]
int command_list(std::span<const std::string> args, std::ostream& out);

// qnas device show NAME_OR_PATH [--data-dir D]
int command_device(std::span<const std::string> args, std::ostream& out);

// qnas train CONFIG.json [--out DIR] [--threads N] [--seed S] [--data-dir D] [--resume] [--quiet]
// The summary JSON goes to `out`, progress to `err`.
int command_train(std::span<const std::string> args, std::ostream& out, std::ostream& err);

// qnas rank RUN_DIR [--samples N | --params 12,36,... --per-size K] [--scratch-epochs E]
//                   [--weights final|best] [--split valid|test] [--seed S] [--threads T] [--out DIR]
//                   [--data-dir D] [--resume] [--quiet]
// The one-line summary JSON goes to `out`, progress to `err`.
int command_rank(std::span<const std::string> args, std::ostream& out, std::ostream& err);

// qnas run CONFIG.json [--out DIR] [--threads N] [--seed S] [--data-dir D] [--resume] [--quiet]
// The whole pipeline (search/pipeline.h); best.json without the weights goes to `out`, progress to `err`.
int command_run(std::span<const std::string> args, std::ostream& out, std::ostream& err);

// qnas search|retrain|prune|finetune|eval|export RUN_DIR [--threads N] [--data-dir D] [--resume] [--force] [--quiet]
// One pipeline stage; its result (without weights) goes to `out`, progress to `err`.
int command_stage(const std::string& stage, std::span<const std::string> args, std::ostream& out, std::ostream& err);

// qnas analyze expressibility|entanglement|hardware|plateau [--circuit sim19:N [--layers L] |
//              --space NAME --arch GENE | --qasm FILE] [--qubits n] [--pairs P] [--bins B]
//              [--samples S] [--circuits C] [--device NAME] [--layout 0,1,2] [--seed S] [--threads T]
// PQC metrics (analysis/); one JSON object goes to `out`, a one-line summary to `err`.
int command_analyze(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace qnas::cli
