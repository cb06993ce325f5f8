/* ldscript.h: a GNU ld linker script for a target's memory map (`tinysim targets --ld`).
 * Layer: bench/ (prints). */
#ifndef TS_LDSCRIPT_H
#define TS_LDSCRIPT_H

#include <stdio.h>

#include "../sim/target/target.h"

/* Writes to f a whole linker script for target t, loaded from `source` (named in the
 * header). Returns 0, or -1 when the target has no flash or RAM region to link into. */
int ld_script_print(FILE *f, const ts_target *t, const char *source);

#endif
