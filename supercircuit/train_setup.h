// From a parsed `qnas train` config (train_config.h) to what the trainer needs: the design space,
// the gene of a fixed circuit, the TrainModel, the data splits and the TrainOptions. Shared by
// `qnas train` and every command that re-creates a run's setup (ranking SubCircuits, search).
#pragma once

#include <optional>
#include <string>

#include "supercircuit/dataset.h"
#include "supercircuit/design_space.h"
#include "supercircuit/encoder.h"
#include "supercircuit/hamiltonian.h"
#include "supercircuit/train_config.h"
#include "supercircuit/trainer.h"

namespace qnas::supercircuit {

// A config's "arch" value: a gene (array, checked against the space's bounds; 0 allowed for a
// layer as TorchQuantum's forward accepts) or a name ("largest", "smallest", a human baseline).
// Errors name `source` and the JSON path (/arch/3).
Arch resolve_arch(const nlohmann::json& a, const DesignSpace& space, const std::string& source);

// Where a VQE config's "hamiltonian" is: the path as given if it exists, else under
// <data_dir>/hamiltonians/. Throws qnas::Error naming `source`, /vqe/hamiltonian and both places.
std::string resolve_hamiltonian_path(const std::string& given, const std::string& data_dir, const std::string& source);

// Everything that can fail on the config itself, resolved before any data is read. VQE: the task
// is named "vqe" with the Hamiltonian's qubit count, no encoder and no readout groups; the space
// is built on the Hamiltonian's qubits.
struct TrainSetup {
    TaskSpec task;
    Encoder encoder;
    DesignSpace space;
    std::optional<Arch> arch;  // set: a fixed circuit
    TrainModel model;
    std::optional<Hamiltonian> hamiltonian;  // VQE
    std::string hamiltonian_path;            // VQE: the file read
};
TrainSetup make_train_setup(const TrainConfig& c, const std::string& source);

// The task's splits as the config asks (split kind, format, seeds, max_* caps); VQE: none.
Splits load_config_data(const TrainConfig& c, const TaskSpec& task);

// Trainer options from the config (run_dir, resume, quiet, progress left at their defaults).
TrainOptions train_options(const TrainConfig& c, const TaskSpec& task);
// The same, plus the VQE energy objective when the setup has a Hamiltonian.
TrainOptions train_options(const TrainConfig& c, const TrainSetup& setup);

}  // namespace qnas::supercircuit
