// The density-matrix kernels' thread determinism, in a file of its own so the ThreadSanitizer
// runner (tests/CMakeLists.txt) compiles only the multi-threaded cases.
#include <cmath>
#include <random>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>

#include "random_channel.h"
#include "reference.h"
#include "sim/channels.h"
#include "sim/density_matrix.h"
#include "sim/error.h"

using namespace qnas;
using namespace qnas::sim;

using test::random_channel;

TEST_CASE("density: results are bit-identical at 1 and N threads", "[density]") {
    // Allow real concurrency for arenas of up to 4 threads even on a 2-core machine.
    const tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 4);
    std::mt19937_64 rng(91);
    const Matrix s1 = superop_from_kraus(random_channel(1, 3, rng));
    const Matrix s2 = superop_from_kraus(random_channel(2, 4, rng));
    const KrausSet k2 = random_channel(2, 2, rng);
    // A device-like error: sparse superoperator (takes the sparse kernel).
    const Matrix sparse2 =
        compose_channels(superop_from_kraus(depolarizing_kraus(0.02, 2)),
                         superop_from_kraus(kraus_tensor(amplitude_damping_kraus(0.03), phase_damping_kraus(0.05))));
    for (int n : {7, 8}) {
        const Circuit c = test::random_circuit(n, 30, rng);
        const auto theta = test::random_angles(c.n_trainable, rng);
        const auto x = test::random_angles(c.n_inputs, rng);
        const auto run = [&](const Parallelism& par) {
            return simulate_density(
                c, theta, x,
                [&](DensityMatrix& rho, const Op& op, std::size_t index) {
                    const std::vector<int> q1{op.qubits[0]};
                    apply_superop(rho, s1, q1, par);
                    if (gate_info(op.kind).n_qubits >= 2) {
                        const std::vector<int> q2{op.qubits[0], op.qubits[1]};
                        if (index % 3 == 0)
                            apply_superop(rho, s2, q2, par);
                        else if (index % 3 == 1)
                            apply_superop(rho, sparse2, q2, par);
                        else
                            apply_kraus(rho, k2, q2, par);
                    }
                },
                par);
        };
        // The noisy path noise/ uses (gate and error fused where cheaper).
        const auto run_noisy = [&](const Parallelism& par) {
            return simulate_noisy_density(
                c, theta, x,
                [&](const Op& op, std::size_t index) -> const Matrix* {
                    const int k = gate_info(op.kind).n_qubits;
                    return k == 1 ? &s1 : k == 2 ? (index % 2 ? &s2 : &sparse2) : nullptr;
                },
                par);
        };
        const DensityMatrix serial = run(Parallelism{1});
        const DensityMatrix serial_noisy = run_noisy(Parallelism{1});
        for (int threads : {1, 2, 3, 4}) {
            tbb::task_arena arena(threads);
            const DensityMatrix par = arena.execute([&] { return run(Parallelism{}); });
            const DensityMatrix par_noisy = arena.execute([&] { return run_noisy(Parallelism{}); });
            INFO("n " << n << " threads " << threads);
            CHECK(par == serial);  // exact equality of every entry
            CHECK(par_noisy == serial_noisy);
        }
        CHECK(run(Parallelism{3}) == serial);
        CHECK(run_noisy(Parallelism{2}) == serial_noisy);
        CHECK(std::abs(trace(serial_noisy) - 1.0) < 1e-10);
        CHECK(std::abs(trace(serial) - 1.0) < 1e-10);
    }
}
