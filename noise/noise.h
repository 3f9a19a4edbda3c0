// Umbrella header of the noise/ area: device calibrations, the device noise model, translation
// to a device basis, peephole optimisation, layout, SABRE routing, compilation to a device and
// noisy execution.
#pragma once

#include "noise/basis.h"            // IWYU pragma: export
#include "noise/calibration.h"      // IWYU pragma: export
#include "noise/compile.h"          // IWYU pragma: export
#include "noise/idle.h"             // IWYU pragma: export
#include "noise/layout.h"           // IWYU pragma: export
#include "noise/noise_model.h"      // IWYU pragma: export
#include "noise/noisy_batch.h"      // IWYU pragma: export
#include "noise/noisy_execution.h"  // IWYU pragma: export
#include "noise/optimize.h"         // IWYU pragma: export
#include "noise/routing.h"          // IWYU pragma: export
