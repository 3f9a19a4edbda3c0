#include "cli/main.h"

#include <string>
#include <vector>

#include "cli/commands.h"
#include "sim/error.h"

namespace qnas::cli {

int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    try {
        if (argc < 2) {
            err << "usage: qnas <command> [options]   (qnas help lists the commands)\n";
            return 2;
        }
        const std::string cmd = argv[1];
        if (cmd == "help" || cmd == "--help" || cmd == "-h") {
            out << "qnas: noise-adaptive quantum architecture search\n"
                   "commands:\n"
                   "  simulate CIRCUIT.qasm [--output probabilities|statevector]\n"
                   "      print the circuit's output probabilities or amplitudes as JSON\n"
                   "      (little-endian: index bit k is qubit k; measurements are ignored)\n"
                   "  simulate CIRCUIT.qasm --device NAME [--noise none|exact|shots|trajectories]\n"
                   "           [--shots N] [--trajectories N] [--seed S] [--data-dir D]\n"
                   "      run a compiled circuit under the device's noise model (readout included);\n"
                   "      print the distribution over the classical register (bit k is clbit k)\n"
                   "  compile CIRCUIT.qasm --device NAME [--layout 0,1,2] [--seed S] [--data-dir D] [-o OUT.qasm]\n"
                   "      map, route and translate a circuit to a device; write the physical QASM\n"
                   "      (summary on stderr: layout, swaps, 2q gates, depth, success-rate proxy)\n"
                   "  list gates [--format text|markdown]\n"
                   "      print the gate table: arity, parameters, shift rules, qelib1 definitions\n"
                   "  list devices [--data-dir D]\n"
                   "      one line per shipped device calibration: name, qubits, basis, two-qubit gate\n"
                   "  list spaces [--qubits N]\n"
                   "      the QuantumNAS design spaces: layers per block, max blocks, gene length and bounds,\n"
                   "      parameters of the largest SubCircuit\n"
                   "  list tasks\n"
                   "      the QML task presets: classes, qubits, encoder, readout groups\n"
                   "  list keys [--format text|markdown]\n"
                   "      every experiment-config key with its default and type (docs/config_keys.md)\n"
                   "  device show NAME_OR_PATH [--data-dir D]\n"
                   "      summary of a device calibration: coupling, median T1/T2/errors, clamps applied\n"
                   "  train CONFIG.json [--out DIR] [--threads N] [--seed S] [--data-dir D] [--resume] [--quiet]\n"
                   "      train a SuperCircuit or a fixed circuit, classifier or VQE (config keys: docs/config.md);\n"
                   "      metrics, checkpoints and the resolved config go to the run directory\n"
                   "  rank RUN_DIR [--samples N | --params 12,36,45,90,144,180 --per-size K] [--scratch-epochs E]\n"
                   "       [--weights final|best] [--split valid|test] [--seed S] [--threads T] [--out DIR] "
                   "[--resume]\n"
                   "      score SubCircuits of a trained SuperCircuit with inherited weights and trained from\n"
                   "      scratch; Spearman rho / Kendall tau and per-size accuracies in OUT/summary.json\n"
                   "  run CONFIG.json [--out DIR] [--threads N] [--seed S] [--data-dir D] [--resume] [--quiet]\n"
                   "      the QuantumNAS pipeline: train, search, retrain, prune, finetune, eval, export into a run\n"
                   "      directory (best.json, best.qasm, best.<device>.qasm, summary.md)\n"
                   "  search|retrain|prune|finetune|eval|export RUN_DIR [--threads N] [--data-dir D] [--resume]\n"
                   "           [--force]\n"
                   "      one pipeline stage on a run directory of qnas run or qnas train\n"
                   "  analyze expressibility|entanglement|hardware|plateau [--circuit sim19:N [--layers L] |\n"
                   "          --space NAME --arch GENE | --qasm FILE] [--device NAME] [--seed S] [--threads T]\n"
                   "      PQC metrics before training: expressibility (KL from Haar), Meyer-Wallach entanglement,\n"
                   "      hardware efficiency on a device, barren-plateau gradient variance vs qubits (JSON)\n";
            return 0;
        }
        const std::vector<std::string> args(argv + 2, argv + argc);
        if (cmd == "simulate") return command_simulate(args, out);
        if (cmd == "compile") return command_compile(args, out, err);
        if (cmd == "list") return command_list(args, out);
        if (cmd == "device") return command_device(args, out);
        if (cmd == "train") return command_train(args, out, err);
        if (cmd == "rank") return command_rank(args, out, err);
        if (cmd == "run") return command_run(args, out, err);
        if (cmd == "analyze") return command_analyze(args, out, err);
        if (cmd == "search" || cmd == "retrain" || cmd == "prune" || cmd == "finetune" || cmd == "eval" ||
            cmd == "export")
            return command_stage(cmd, args, out, err);
        err << "error: unknown command '" << cmd << "' (qnas help lists the commands)\n";
        return 2;
    } catch (const Error& e) {
        err << "error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        err << "internal error: " << e.what() << "\n";
        return 3;
    }
}

}  // namespace qnas::cli
