/* bench_engine.h: what the speed benchmarks that run the engine (bench_core, bench_sweep)
 * share. Layer: bench/ (benchmark programs; nothing here prints). */
#ifndef TS_BENCH_ENGINE_H
#define TS_BENCH_ENGINE_H

#include "../sim/engine/engine.h"

/* Sets every input of e to deterministic bytes (xorshift32 from 1), as `tinysim bench`
 * without --input. TS_ERR_NOMEM, or the status of ts_engine_set_input. */
ts_status bench_fill_inputs(ts_engine *e, ts_err *err);

#endif
