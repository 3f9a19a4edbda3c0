// Internal machinery shared by batch_simulator.cpp (forward outputs) and adjoint.cpp (gradients):
// the per-call context (θ-dependent matrices computed once per call), the per-thread tile scratch,
// the ISA-dispatched tile functions and the deterministic parallel loop over tiles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <new>
#include <span>
#include <vector>

#include "sim/batch_simulator.h"

namespace qnas::sim::batch {

// 64-byte aligned storage so lane vectors never straddle cache lines.
template <class T>
struct AlignedAllocator {
    using value_type = T;
    AlignedAllocator() = default;
    template <class U>
    AlignedAllocator(const AlignedAllocator<U>&) {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64})); }
    void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{64}); }
    template <class U>
    bool operator==(const AlignedAllocator<U>&) const {
        return true;
    }
};
using AlignedDoubles = std::vector<double, AlignedAllocator<double>>;

// Everything that depends on θ but not on the sample, computed once per call.
struct CallContext {
    const BatchProgram* program = nullptr;
    std::span<const double> theta;
    std::span<const double> X;  // row-major batch × n_inputs
    std::int64_t batch = 0;
    AlignedDoubles shared_matrices;  // lane-broadcast matrices of ops with no per-sample angle
    std::vector<cplx> shared_derivatives;
    std::int64_t n_tiles() const { return (batch + kLanes - 1) / kLanes; }
};
CallContext make_call_context(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                              std::int64_t batch, bool need_derivatives);

// Working memory of one chunk of tiles (one task of the parallel loop), sized on first use and
// reused for every tile of the chunk: nothing is allocated per sample or per gate.
struct TileScratch {
    AlignedDoubles psi_re, psi_im, b_re, b_im;  // 2^n · kLanes each
    AlignedDoubles lane_matrices;               // per-sample matrices of the tile's ops
    AlignedDoubles prod;                        // n · 4 · kLanes: the prefix product state
    AlignedDoubles r_re, r_im;                  // 64 · kLanes: the adjoint's R accumulator
    AlignedDoubles x;                           // kLanes × n_inputs, lane-major; padded lanes are 0
    AlignedDoubles expect;                      // K × kLanes
    AlignedDoubles dlde;                        // K × kLanes; padded lanes are 0
    std::vector<double> cdf;                    // sampling
    std::int64_t first_sample = 0;
    int n_valid = 0;
    void prepare(const CallContext& ctx, std::int64_t tile);
};

// Tile functions, one set per SIMD variant.
struct TileKernels {
    // ψ of every lane from the tile's inputs.
    void (*forward)(const CallContext&, TileScratch&);
    // expect[k][l] = ⟨ψ_l|P_k|ψ_l⟩.
    void (*expectations)(const CallContext&, TileScratch&);
    // b = Σ_k dlde[k][l]·P_k ψ_l, then the reverse sweep; adds ∂L/∂θ of the tile into grad.
    void (*backward)(const CallContext&, TileScratch&, double* grad);
};
const TileKernels& tile_kernels(SimdVariant v);
SimdVariant resolve_simd(SimdVariant v);

// Runs body(tile, scratch) for every tile, in parallel as opts asks (contiguous chunks of tiles
// per task). Each tile is handled by exactly one call; which thread runs it must not matter for
// the result (callers write per-tile outputs and reduce them in tile order).
void for_each_tile(const CallContext& ctx, const BatchOptions& opts,
                   const std::function<void(std::int64_t tile, TileScratch& scratch)>& body);

// Throws qnas::Error if θ / X do not match the program.
void check_call(const BatchProgram& p, std::span<const double> theta, std::span<const double> X, std::int64_t batch);

}  // namespace qnas::sim::batch
