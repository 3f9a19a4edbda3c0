#include "sim/adjoint.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/batch_engine.h"
#include "sim/error.h"

namespace qnas::sim {

double value_and_grad(const BatchProgram& p, std::span<const double> theta, std::span<const double> X,
                      std::int64_t batch, const SampleLoss& loss, std::span<double> grad_out, const BatchOptions& opts,
                      Eigen::MatrixXd* expectations_out) {
    if (static_cast<int>(grad_out.size()) != p.n_trainable())
        throw Error("value_and_grad: grad_out has " + std::to_string(grad_out.size()) + " entries, expected " +
                    std::to_string(p.n_trainable()));
    const batch::CallContext ctx = batch::make_call_context(p, theta, X, batch, true);
    const batch::TileKernels& kern = batch::tile_kernels(opts.simd);
    constexpr int L = batch::kLanes;
    const int K = p.n_outputs();
    const auto nt = static_cast<std::size_t>(p.n_trainable());
    const auto n_tiles = static_cast<std::size_t>(ctx.n_tiles());
    // One partial per tile, summed in tile order below: the result cannot depend on scheduling.
    std::vector<double> tile_grad(n_tiles * nt, 0.0), tile_loss(n_tiles, 0.0);
    if (expectations_out) expectations_out->resize(batch, K);
    batch::for_each_tile(ctx, opts, [&](std::int64_t tile, batch::TileScratch& s) {
        kern.forward(ctx, s);
        kern.expectations(ctx, s);
        double e[64], w[64];
        std::vector<double> ev, wv;
        double* ep = e;
        double* wp = w;
        if (K > 64) {
            ev.resize(static_cast<std::size_t>(K));
            wv.resize(static_cast<std::size_t>(K));
            ep = ev.data();
            wp = wv.data();
        }
        double lsum = 0.0;
        for (int l = 0; l < s.n_valid; ++l) {
            for (int k = 0; k < K; ++k) {
                ep[k] = s.expect[static_cast<std::size_t>(k * L + l)];
                wp[k] = 0.0;
            }
            if (expectations_out)
                for (int k = 0; k < K; ++k) (*expectations_out)(s.first_sample + l, k) = ep[k];
            lsum += loss(s.first_sample + l, std::span<const double>(ep, static_cast<std::size_t>(K)),
                         std::span<double>(wp, static_cast<std::size_t>(K)));
            for (int k = 0; k < K; ++k) s.dlde[static_cast<std::size_t>(k * L + l)] = wp[k];
        }
        tile_loss[static_cast<std::size_t>(tile)] = lsum;
        if (nt > 0) kern.backward(ctx, s, tile_grad.data() + static_cast<std::size_t>(tile) * nt);
    });
    std::fill(grad_out.begin(), grad_out.end(), 0.0);
    double total = 0.0;
    for (std::size_t t = 0; t < n_tiles; ++t) {
        total += tile_loss[t];
        for (std::size_t i = 0; i < nt; ++i) grad_out[i] += tile_grad[t * nt + i];
    }
    return total;
}

double nll_log_softmax(std::span<const double> logits, int label, std::span<double> dlogits, double scale) {
    const std::size_t K = logits.size();
    if (label < 0 || static_cast<std::size_t>(label) >= K)
        throw Error("nll_log_softmax: label " + std::to_string(label) + " outside 0.." + std::to_string(K - 1));
    const double mx = *std::max_element(logits.begin(), logits.end());
    double z = 0.0;
    for (double v : logits) z += std::exp(v - mx);
    const double lse = mx + std::log(z);
    for (std::size_t k = 0; k < K; ++k) dlogits[k] = scale * std::exp(logits[k] - lse);
    dlogits[static_cast<std::size_t>(label)] -= scale;
    return scale * (lse - logits[static_cast<std::size_t>(label)]);
}

SampleLoss nll_log_softmax_loss(std::vector<int> labels, double scale) {
    return [labels = std::move(labels), scale](std::int64_t sample, std::span<const double> e, std::span<double> w) {
        if (sample < 0 || static_cast<std::size_t>(sample) >= labels.size())
            throw Error("nll_log_softmax_loss: no label for sample " + std::to_string(sample));
        return nll_log_softmax(e, labels[static_cast<std::size_t>(sample)], w, scale);
    };
}

}  // namespace qnas::sim
