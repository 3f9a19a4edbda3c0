// VQE through the shared trainer (trainer.h with TrainOptions::energy) and its config.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "data_test_helpers.h"
#include "sim/error.h"
#include "supercircuit/checkpoint.h"
#include "supercircuit/design_space.h"
#include "supercircuit/hamiltonian.h"
#include "supercircuit/train_config.h"
#include "supercircuit/train_model.h"
#include "supercircuit/train_setup.h"
#include "supercircuit/trainer.h"

using namespace qnas::supercircuit;
namespace fs = std::filesystem;

namespace {

Hamiltonian h2() {
    const std::string path = data_test::source_dir() + "/data/hamiltonians/h2.txt";
    INFO("missing " << path);
    REQUIRE(fs::exists(path));
    return load_hamiltonian(path);
}

// U3+CU3 on 2 qubits, 2 full blocks: 24 angles, enough for any 2-qubit state.
TrainModel h2_ansatz() {
    const DesignSpace space = design_space("u3cu3", 2, 2);
    return fixed_arch_model(space, Encoder{}, largest_arch(space));
}

TrainOptions vqe_options(int epochs, int steps, EnergyKind kind = EnergyKind::Joint) {
    TrainOptions o;
    o.epochs = epochs;
    o.schedule = {ScheduleKind::Cosine, 0.05, epochs, 0, 0.0};
    o.adam.weight_decay = 0.0;  // an L2 pull on the angles would move the minimum
    o.seed = 1;
    o.n_threads = 1;
    o.energy = EnergyObjective{h2(), kind, steps};
    return o;
}

fs::path fresh_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("qnas_vqe_" + name);
    fs::remove_all(d);
    return d;
}

}  // namespace

TEST_CASE("vqe: Adam on a U3+CU3 ansatz reaches the exact H2 ground energy", "[supercircuit][vqe][train]") {
    const double exact = ground_energy(h2());  // recomputed from the shipped file
    REQUIRE(std::abs(exact - (-1.857275030202)) < 1e-9);
    const TrainResult r = train(h2_ansatz(), Splits{}, vqe_options(12, 50));
    REQUIRE(r.best_energy.has_value());
    INFO("best energy " << *r.best_energy << " error " << *r.best_energy - exact);
    CHECK(*r.best_energy >= exact - 1e-12);  // variational
    CHECK(*r.best_energy - exact < 1e-6);
    REQUIRE(r.metrics.size() == 12);
    const auto& last = r.metrics.back();
    CHECK(last["steps"] == 600);
    CHECK(last["energy"].get<double>() - exact < 1e-6);
    CHECK(last.contains("train_energy"));
    CHECK(last.contains("best_energy"));
    CHECK_FALSE(last.contains("valid_acc"));
    // The first epoch starts from random angles: far above the ground energy.
    CHECK(r.metrics.front()["train_energy"].get<double>() > exact + 0.05);
}

TEST_CASE("vqe: the marginal-product quirk cannot reach the ground energy", "[supercircuit][vqe][train]") {
    // Π of single-qubit marginals is linear in each qubit's Bloch vector, so its minimum is
    // attained on product states, which lie above the entangled H2 ground state.
    const double exact = ground_energy(h2());
    const TrainResult r = train(h2_ansatz(), Splits{}, vqe_options(12, 50, EnergyKind::MarginalProduct));
    REQUIRE(r.best_energy.has_value());
    CHECK(*r.best_energy > exact + 1e-3);
    // It converges to the best product state, the Hartree–Fock-like |01⟩ (wire 0 leftmost): the
    // diagonal entry c_II + c_IZ·(−1) + c_ZI·(+1) + c_ZZ·(−1) of h2.txt.
    const double hf = -1.052373245772859 - 0.39793742484318045 - 0.39793742484318045 + 0.01128010425623538;
    CHECK(std::abs(*r.best_energy - hf) < 1e-6);
}

TEST_CASE("vqe: resume after a kill gives the bit-identical result", "[supercircuit][vqe][train]") {
    TrainOptions o = vqe_options(3, 10);
    const fs::path full = fresh_dir("full"), killed = fresh_dir("killed");
    o.run_dir = full.string();
    const TrainResult ref = train(h2_ansatz(), Splits{}, o);
    o.run_dir = killed.string();
    o.stop_after_epochs = 1;
    const TrainResult part = train(h2_ansatz(), Splits{}, o);
    CHECK(part.epochs_done == 1);
    CHECK(part.weights != ref.weights);
    o.stop_after_epochs = 0;
    o.resume = true;
    const TrainResult rest = train(h2_ansatz(), Splits{}, o);
    CHECK(rest.epochs_done == 3);
    CHECK(rest.weights == ref.weights);
    CHECK(rest.best_weights == ref.best_weights);
    CHECK(rest.best_energy == ref.best_energy);
    const TrainCheckpoint c = load_checkpoint((killed / "checkpoint.json").string());
    CHECK(c.best_energy == ref.best_energy);
    // A different Hamiltonian estimator is refused.
    o.energy->kind = EnergyKind::MarginalProduct;
    CHECK_THROWS_WITH(train(h2_ansatz(), Splits{}, o), Catch::Contains("different energy"));
    fs::remove_all(full);
    fs::remove_all(killed);
}

TEST_CASE("vqe: a SuperCircuit is trained with sampled SubCircuits and energy probes", "[supercircuit][vqe][train]") {
    const double exact = ground_energy(h2());
    const DesignSpace space = design_space("u3cu3", 2, 3);
    const TrainModel m = supercircuit_model(space, Encoder{}, 5);
    TrainOptions o = vqe_options(2, 20);
    const TrainResult r = train(m, Splits{}, o);
    REQUIRE(r.metrics.size() == 2);
    const auto& probes = r.metrics.back()["probes"];
    for (const char* name : {"largest", "smallest", "random"}) {
        INFO(name);
        REQUIRE(probes.contains(name));
        CHECK(probes[name]["energy"].get<double>() >= exact - 1e-12);
    }
    CHECK(r.metrics.back()["energy"] == probes["largest"]["energy"]);
    CHECK(r.programs_compiled > 3);  // several SubCircuits were sampled
}

TEST_CASE("vqe: bad setups are errors", "[supercircuit][vqe][train]") {
    // A circuit with an encoder reads inputs VQE does not have.
    const DesignSpace space = design_space("u3cu3", 4, 1);
    const TrainModel with_encoder = fixed_arch_model(space, encoder_by_name("4x4_ryzxy"), largest_arch(space));
    CHECK_THROWS_WITH(train(with_encoder, Splits{}, vqe_options(1, 1)), Catch::Contains("no inputs"));
    // More Hamiltonian qubits than circuit qubits.
    TrainOptions o = vqe_options(1, 1);
    o.energy->hamiltonian = parse_hamiltonian("t t 3\n1 Z2\n", "t");
    CHECK_THROWS_WITH(train(h2_ansatz(), Splits{}, o), Catch::Contains("3 qubits, the circuit has 2"));
    o = vqe_options(1, 1);
    o.energy->steps_per_epoch = 0;
    CHECK_THROWS_WITH(train(h2_ansatz(), Splits{}, o), Catch::Contains("steps_per_epoch"));
}

TEST_CASE("vqe config: keys, defaults, resolution and errors", "[supercircuit][vqe][config]") {
    using nlohmann::json;
    const std::string data = data_test::source_dir() + "/data";
    TrainConfig c = parse_train_config(
        json::parse(R"({"task": "vqe", "vqe": {"hamiltonian": "h2.txt"}, "arch": "largest", "max_blocks": 2})"), "c");
    CHECK(c.is_vqe());
    CHECK(c.vqe.energy == "joint");
    CHECK(c.vqe.steps_per_epoch == 50);
    CHECK(c.batch_size == 1);
    c.data.dir = data;
    const TrainSetup s = make_train_setup(c, "c");
    REQUIRE(s.hamiltonian.has_value());
    CHECK(s.hamiltonian_path == data + "/hamiltonians/h2.txt");
    CHECK(s.space.n_qubits == 2);
    CHECK(s.model.n_weights == 24);
    const TrainOptions o = train_options(c, s);
    REQUIRE(o.energy.has_value());
    CHECK(o.energy->steps_per_epoch == 50);
    CHECK(o.energy->kind == EnergyKind::Joint);
    CHECK(load_config_data(c, s.task).train.size() == 0);
    const json resolved = resolved_config(c);
    CHECK(resolved["vqe"]["energy"] == "joint");
    CHECK(resolved["batch_size"] == 1);
    CHECK(parse_train_config(resolved, "r").vqe.hamiltonian == "h2.txt");
    // Classification configs do not get a vqe object.
    CHECK_FALSE(resolved_config(parse_train_config(json::object(), "d")).contains("vqe"));

    const auto fails = [](const char* text, const char* expected) {
        INFO(text);
        CHECK_THROWS_WITH(parse_train_config(json::parse(text), "c.json"), Catch::StartsWith(expected));
    };
    fails(R"({"task": "vqe"})", "c.json: /vqe/hamiltonian: required");
    fails(R"({"task": "vqe", "vqe": {"hamiltonian": "h2.txt", "energy": "product"}})",
          "c.json: /vqe/energy: 'product'");
    fails(R"({"task": "vqe", "vqe": {"hamiltonian": "h2.txt", "steps": 3}})", "c.json: /vqe/steps: unknown key");
    fails(R"({"task": "vqe", "vqe": {"hamiltonian": "h2.txt", "steps_per_epoch": 0}})", "c.json: /vqe/steps_per_epoch");
    fails(R"({"task": "vqe", "vqe": {"hamiltonian": "h2.txt"}, "batch_size": 4})", "c.json: /batch_size: must be 1");
    fails(R"({"task": "mnist4", "vqe": {"hamiltonian": "h2.txt"}})", "c.json: /vqe: only for");

    c.vqe.hamiltonian = "h3.txt";
    CHECK_THROWS_WITH(make_train_setup(c, "c.json"), Catch::StartsWith("c.json: /vqe/hamiltonian: 'h3.txt' not found"));
}
