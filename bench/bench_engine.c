/* bench_engine.c: see bench_engine.h. Layer: bench/ (benchmark programs; never prints). */
#include "bench_engine.h"

#include "../sim/base/alloc.h"

ts_status bench_fill_inputs(ts_engine *e, ts_err *err)
{
    const ts_ref *r = ts_engine_ref(e);
    uint32_t x = 1;
    ts_status st = TS_OK;

    for (int32_t i = 0; i < ts_ref_n_inputs(r) && !st; i++) {
        ts_ref_io io;
        uint8_t *buf;

        ts_ref_input_info(r, i, &io);
        if (!(buf = ts_malloc(io.size_bytes + 1)))
            return ts_err_set(err, TS_ERR_NOMEM, "out of memory");
        for (size_t k = 0; k < io.size_bytes; k++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            buf[k] = (uint8_t)x;
        }
        st = ts_engine_set_input(e, i, buf, io.size_bytes, err);
        ts_free(buf);
    }
    return st;
}

