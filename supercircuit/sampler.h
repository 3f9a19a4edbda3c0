// Architecture sampling for SuperCircuit training: one SubCircuit gene per optimisation step,
// exactly TorchQuantum's ArchSampler (quantumnas.md §2, super_utils.py) for the three strategies
// the QuantumNAS configs use:
//  - plain: every gene position uniform over its choices (n_blocks included);
//  - limit_diff: start from the previous gene and re-draw n_diffs distinct, randomly chosen
//    positions uniformly (the first step is plain);
//  - ldiff_blkexpand: progressive depth expansion: the first step starts from the largest gene;
//    each step re-draws n_diffs positions, n_blocks (the last position) only from the top part of
//    its choices: stage = ⌊step / (total_steps / n_stages)⌋ (Python float floor division),
//    chunk = min(stage, n_chunks − 1), allowed = choices[round((n − 1)·(1 − (chunk + 1)/n_chunks)):]
//    with Python's round (half to even).
// And one opt-in strategy that is not TorchQuantum's:
//  - sandwich: the "sandwich rule" of once-for-all / BigNAS weight sharing, one SubCircuit per
//    step. n_blocks is always drawn uniformly (as in plain); the layer values cycle with period
//    2 + sandwich_random: step % period == 0 → every layer at its largest choice, == 1 → every
//    layer at its smallest choice, otherwise → every layer uniform (plain). So each depth's
//    extremes are trained regularly next to random SubCircuits. Depends only on (seed, step).
// Random numbers come from a counter-based stream keyed by (seed, step), so the sampler's state is
// just the step count and the previous gene (checkpointed by the trainer).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qnas::supercircuit {

enum class SamplerKind { Plain, LimitDiff, LdiffBlkexpand, Sandwich };

struct SamplerOptions {
    SamplerKind kind = SamplerKind::Plain;
    int n_diffs = 7;
    int n_chunks = 3;
    int n_stages = 40;
    int sandwich_random = 1;  // sandwich: random steps per cycle (after one largest, one smallest)
};

struct SamplerState {
    std::int64_t step = 0;      // samples drawn so far
    std::vector<int> previous;  // the last gene (empty before the first draw)
};

// Value type: choices per gene position (design_space.h arch_choices; the last position is
// n_blocks), the strategy, the seed and the run's total number of steps (ldiff_blkexpand stages).
struct ArchSampler {
    std::vector<std::vector<int>> choices;
    SamplerOptions options;
    std::uint64_t seed = 0;
    std::int64_t total_steps = 1;
    SamplerState state;
};

// Checks the options against the choices (n_diffs ≤ gene length, n_chunks, n_stages ≥ 1,
// sandwich_random ≥ 0, every choice list non-empty); throws qnas::Error naming the field.
ArchSampler make_sampler(std::vector<std::vector<int>> choices, const SamplerOptions& options, std::uint64_t seed,
                         std::int64_t total_steps);

// Draws the next gene and advances the state.
std::vector<int> sample_arch(ArchSampler& s);

// ldiff_blkexpand: the chunk of step `step` and the n_blocks values it allows.
int blkexpand_chunk(std::int64_t step, std::int64_t total_steps, int n_stages, int n_chunks);
std::vector<int> blkexpand_allowed(const std::vector<int>& block_choices, int chunk, int n_chunks);

// Python's float `a // b` for a ≥ 0, b > 0 (fmod-based, as CPython computes it).
double python_floordiv(double a, double b);

// "plain", "limit_diff", "ldiff_blkexpand", "sandwich"; throws qnas::Error naming the known samplers.
SamplerKind parse_sampler_kind(const std::string& name);
const char* sampler_kind_name(SamplerKind k);

}  // namespace qnas::supercircuit
