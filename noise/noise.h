// Umbrella header of the noise/ area: device calibrations, the device noise model, translation
// to a device basis and peephole optimisation.
#pragma once

#include "noise/basis.h"        // IWYU pragma: export
#include "noise/calibration.h"  // IWYU pragma: export
#include "noise/noise_model.h"  // IWYU pragma: export
#include "noise/optimize.h"     // IWYU pragma: export
