/* upward.h: a fixture of CTest "layers_checker", laid out as a file of sim/target: both includes
 * break the layering (sim/core sits above sim/target), and check_layers.cmake must report two. */
#include "target.h"
#include "core/core.h"
#include "../core/core.h"
