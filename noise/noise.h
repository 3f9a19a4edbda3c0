// Umbrella header of the noise/ area: device calibrations and the device noise model.
#pragma once

#include "noise/calibration.h"  // IWYU pragma: export
#include "noise/noise_model.h"  // IWYU pragma: export
