// PQC analysis (training_and_metrics.md §5–§6): judge a parameterised circuit before training —
// expressibility (KL from Haar), Meyer–Wallach entangling capability, barren-plateau gradient
// variance, and hardware efficiency on a device. Circuits are sim::Circuit with trainable angles;
// Sim et al.'s 19 reference circuits and McClean's random circuits are built in; a design-space
// SubCircuit or a QASM file is measured the same way (see sampling.h free_angles).
#pragma once

#include "analysis/barren_plateau.h"
#include "analysis/entanglement.h"
#include "analysis/expressibility.h"
#include "analysis/hardware_efficiency.h"
#include "analysis/reference_circuits.h"
#include "analysis/sampling.h"
