// QuantumNAS image preprocessing (quantumnas.md §5, torchquantum_cpu.md §4): ToTensor's [0, 1]
// pixels → Normalize(0.1307, 0.3081) → CenterCrop(24) → avg_pool2d(kernel = stride = 24/side).
// Normalisation is affine, so pooling the raw pixels first and normalising the mean gives the same
// value up to rounding; we normalise per pixel anyway, in double, to follow the reference's order.
#include <string>
#include <vector>

#include "sim/error.h"
#include "supercircuit/data_text.h"
#include "supercircuit/dataset.h"

namespace qnas::supercircuit {

std::vector<double> preprocess_image(const float* pixels_28x28, int side) {
    if (side != 1 && side != 2 && side != 3 && side != 4 && side != 6 && side != 8 && side != 12 && side != 24) {
        throw Error(detail::cat("preprocess_image: side ", side, " does not divide the 24×24 crop"));
    }
    constexpr double kMean = 0.1307;
    constexpr double kStd = 0.3081;
    constexpr int kCrop = 24;
    constexpr int kOffset = (28 - kCrop) / 2;  // CenterCrop(24) of 28: rows/cols 2..25
    const int k = kCrop / side;
    std::vector<double> out(static_cast<std::size_t>(side) * side, 0.0);
    for (int r = 0; r < kCrop; ++r) {
        for (int c = 0; c < kCrop; ++c) {
            const double p = pixels_28x28[(r + kOffset) * 28 + (c + kOffset)];
            out[static_cast<std::size_t>((r / k) * side + c / k)] += (p - kMean) / kStd;
        }
    }
    for (double& v : out) v /= static_cast<double>(k * k);
    return out;
}

}  // namespace qnas::supercircuit
