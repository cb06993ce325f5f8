/* probe.c: compiled by CTest "layers_compile" only, and must NOT compile: sim/target may not use
 * sim/core (sim/CMakeLists.txt, TS_SIM_LAYERS), so tssim_target's include directories do not
 * contain core/. The allowed include comes first to show that the probe's set-up is sound. */
#include "target/target.h"
#include "core/core.h"
