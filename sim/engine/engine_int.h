/* engine_int.h: private declarations of sim/engine shared by engine.c (life cycle, memory
 * image, per-op invocation) and engine_layout.c (firmware checks and the memory layout).
 * Not part of the public API. */
#ifndef TS_ENGINE_INT_H
#define TS_ENGINE_INT_H

#include "engine.h"
#include "platform/platform.h"

struct ts_engine {
    const ts_target *t;        /* borrowed */
    const ts_graph *g;         /* borrowed */
    const char *source;        /* borrowed */
    ts_engine_opts opts;       /* resolved: firmware, unit, stack_bytes and kernels set */
    char note[TS_ENGINE_NOTE_BYTES]; /* ts_engine_note, "" = none */
    ts_ref *ref;               /* owned: prepared ops, plan, staged inputs */
    ts_platform *platform;     /* owned: firmware, then the core (after boot) */
    ts_unit *units[TS_ENGINE_MAX_UNITS]; /* owned: [0] the cpu, then the target's devices */
    int n_units;
    uint8_t *placement;        /* per op: index in units[]; owned */
    ts_engine_layout layout;
    uint32_t *tensor_addr;     /* per tensor: emulated address, 0 = not placed; owned */
    ts_engine_layer *layers;   /* per op; owned */
    ts_engine_totals totals;
    bool ran;
};

/* engine_layout.c: opens the platform with the firmware (sim/platform checks it against the
 * target's flash), prepares the ops and fills e->layout and e->tensor_addr. Never fails for
 * fit (see e->layout.fits_*). */
ts_status ts_engine_prepare_layout(ts_engine *e, ts_err *err);

/* TS_ERR_RANGE naming needed and available bytes when the layout does not fit. */
ts_status ts_engine_check_fit(const ts_engine *e, ts_err *err);

#endif
