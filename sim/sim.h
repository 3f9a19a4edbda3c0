// qnas_sim, the bottom layer of qnas: circuit IR and gate table, state-vector simulation (single
// state and batched, with adjoint / parameter-shift / SPSA gradients), density-matrix simulation
// with Kraus channels, and OpenQASM 2.0 in and out. Include this header for the whole public API;
// batch_kernels.h, batch_engine.h and the qasm_* helpers are internal.
#pragma once

#include "sim/adjoint.h"
#include "sim/batch_simulator.h"
#include "sim/channels.h"
#include "sim/circuit.h"
#include "sim/density_matrix.h"
#include "sim/error.h"
#include "sim/gates.h"
#include "sim/parallel.h"
#include "sim/parameter_shift.h"
#include "sim/pauli.h"
#include "sim/qasm.h"
#include "sim/random.h"
#include "sim/spsa.h"
#include "sim/statevector.h"
