// Batched state-vector simulation for QNN training and evaluation: one circuit, θ shared by the
// batch, per-sample input angles x (the encoder), B samples evaluated together. A Circuit and its
// readout observables are compiled once into a BatchProgram, which then runs on any batch:
// expectations (B × K), probabilities (B × 2^n) and seeded shot sampling. Gradients (adjoint) are
// in adjoint.h. Not for noise (noise/ has the density-matrix path) or for single large states
// (statevector.h).
//
// Layout: samples are processed in tiles of batch::kLanes (8) in structure-of-arrays form
// (amplitude-major, lane-minor), so gate kernels vectorise across samples; see batch_kernels.h.
// The kernels are compiled for AVX-512, AVX2+FMA and baseline x86-64 (or just baseline elsewhere)
// and the best the CPU supports is picked at run time.
//
// Determinism: every output is a pure function of (program, θ, X, seed, chosen SIMD variant). Tiles
// are fixed by sample index, each tile is computed by one thread with a fixed operation order, and
// batch sums (loss, gradients) are per-tile partials added in tile order — so results are
// bit-identical whatever the thread count or arena. Samples draw shots from their own
// counter-based random stream keyed by (seed, sample index).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <oneapi/tbb/task_arena.h>
#include <span>
#include <vector>

#include "sim/batch_kernels.h"
#include "sim/circuit.h"
#include "sim/pauli.h"

namespace qnas::sim {

// Which compiled kernel variant to run. Auto picks the best the CPU supports; the others exist so
// tests and benchmarks can compare variants (requesting one the CPU lacks throws qnas::Error).
enum class SimdVariant : std::uint8_t { Auto, Baseline, Avx2, Avx512 };

// Where and how wide to run. Parallelism is per call, never global: tiles go through
// qnas::parallel_for (TBB; plain std::thread under ThreadSanitizer).
struct BatchOptions {
    int n_threads = 0;                 // 0: all threads of the current TBB arena; 1: the calling thread only
    tbb::task_arena* arena = nullptr;  // if set, run inside this arena (n_threads is then ignored)
    SimdVariant simd = SimdVariant::Auto;
};

// The SIMD variant Auto resolves to on this CPU, and its name ("avx512", "avx2", "baseline").
SimdVariant best_simd_variant();
const char* simd_variant_name(SimdVariant v);

// One op after compilation (see BatchProgram). Public for tests and benchmarks; not a stable API.
struct CompiledOp {
    GateKind kind = GateKind::I;
    int dim = 2;               // core matrix size: 2, 4 or 8
    batch::GroupIndex groups;  // amplitude groups the core matrix acts on
    std::array<Param, kMaxGateParams> params{};
    int n_params = 0;
    bool per_sample = false;        // some angle reads x: the matrix differs per lane
    bool trainable = false;         // some angle reads θ: the adjoint accumulates R here
    bool diagonal = false;          // diagonal core matrix (rz, p, cz, crz, rzz, …): diagonal kernels
    std::size_t matrix_offset = 0;  // where its lane matrix lives (per-call shared or per-tile per-sample storage)
    std::size_t deriv_offset = 0;   // shared trainable ops: where ∂M/∂angle_j (j < n_params) live per call
};

// A 1-qubit op folded into the initial product state (see BatchProgram::prefix).
struct PrefixOp {
    GateKind kind = GateKind::I;
    int qubit = 0;
    std::array<Param, kMaxGateParams> params{};
    int n_params = 0;
    bool per_sample = false;
    std::size_t matrix_offset = 0;
};

class BatchProgram {
public:
    // Compiles `c` with readout observables `observables` (empty: ⟨Z_q⟩ for q = 0..n−1, in order).
    // Throws qnas::Error for an invalid circuit or observables acting outside the register.
    static BatchProgram compile(const Circuit& c, std::vector<PauliTerm> observables = {});

    int n_qubits() const { return n_qubits_; }
    int n_trainable() const { return n_trainable_; }
    int n_inputs() const { return n_inputs_; }
    int n_outputs() const { return static_cast<int>(observables_.size()); }
    const std::vector<PauliTerm>& observables() const { return observables_; }

    // Non-trainable 1-qubit ops acting on a qubit before any other op touched it start from |0⟩
    // and commute with everything earlier, so they are folded into a per-sample product state
    // (the encoder of a QNN) instead of being applied as gates.
    const std::vector<PrefixOp>& prefix() const { return prefix_; }
    // The remaining ops, in circuit order.
    const std::vector<CompiledOp>& ops() const { return ops_; }
    // Index into ops() of the first op with a trainable angle (ops().size() if none): the adjoint
    // sweep stops there.
    int first_trainable_op() const { return first_trainable_; }
    // Sizes (in doubles / complex values) of the lane-matrix stores the ops' offsets point into.
    std::size_t shared_matrix_doubles() const { return shared_doubles_; }
    std::size_t lane_matrix_doubles() const { return lane_doubles_; }
    std::size_t shared_derivative_values() const { return shared_derivs_; }

private:
    int n_qubits_ = 0, n_trainable_ = 0, n_inputs_ = 0;
    std::vector<PauliTerm> observables_;
    std::vector<PrefixOp> prefix_;
    std::vector<CompiledOp> ops_;
    int first_trainable_ = 0;
    std::size_t shared_doubles_ = 0, lane_doubles_ = 0, shared_derivs_ = 0;
};

// Row-major B × n_inputs input angles. Every function throws qnas::Error when θ or X have the wrong
// size.

// ⟨P_k⟩ per sample: B × K.
Eigen::MatrixXd batch_expectations(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                                   std::int64_t batch, const BatchOptions& opts = {});

// |⟨i|ψ⟩|² per sample: B × 2^n (column i = basis index i, little-endian).
Eigen::MatrixXd batch_probabilities(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                                    std::int64_t batch, const BatchOptions& opts = {});

// `shots` measured basis indices per sample, row-major B × shots. Sample s draws from its own
// stream keyed by (seed, s), so the result does not depend on threads or tiling.
std::vector<std::uint64_t> batch_sample(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                                        std::int64_t batch, int shots, std::uint64_t seed,
                                        const BatchOptions& opts = {});

// Histogram of batch_sample: B × 2^n counts, row-major.
std::vector<std::int64_t> batch_counts(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                                       std::int64_t batch, int shots, std::uint64_t seed,
                                       const BatchOptions& opts = {});

// The uniform double in [0, 1) used for shot j of sample s (exposed for tests).
double sample_uniform(std::uint64_t seed, std::uint64_t sample, std::uint64_t shot);

}  // namespace qnas::sim
