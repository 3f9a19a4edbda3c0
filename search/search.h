// Umbrella header of the search/ area: the evolutionary co-search of a SubCircuit and its qubit
// mapping, scoring candidates with inherited weights under a device noise model, quantum gate
// pruning and probabilistic gradient pruning, the experiment config and the pipeline stages.
#pragma once

#include "search/config_docs.h"        // IWYU pragma: export
#include "search/evolution.h"          // IWYU pragma: export
#include "search/experiment_config.h"  // IWYU pragma: export
#include "search/fitness.h"            // IWYU pragma: export
#include "search/gate_pruning.h"       // IWYU pragma: export
#include "search/gene_space.h"         // IWYU pragma: export
#include "search/gradient_pruning.h"   // IWYU pragma: export
#include "search/pipeline.h"           // IWYU pragma: export
#include "search/proxies.h"            // IWYU pragma: export
