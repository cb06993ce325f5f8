/* engine_test.h: helpers of the engine suite, also used by the unit and cli suites: targets
 * from the source tree, skips when the kernel firmware or ../shared is absent (visible notes),
 * deterministic inputs, and the one check every test builds on: the engine's outputs equal the
 * host reference executor's. */
#ifndef TS_ENGINE_TEST_H
#define TS_ENGINE_TEST_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/engine/engine.h"
#include "sim/gen/gen.h"
#include "sim/ref/ref.h"

/* tinysim's generated model `spec` (seed 1); asserts it builds. Free with ts_gen_free. */
static inline ts_gen *gen_model(const char *spec)
{
    ts_gen *g = NULL;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_gen_build(spec, 1, &g, &err), TS_OK, "%s", err.msg);
    return g;
}

static inline void load_target_named(const char *name, ts_target *t)
{
    char path[4096];
    ts_err err;

    ts_err_clear(&err);
    snprintf(path, sizeof path, "%s/targets/%s.json", getenv("TS_SOURCE_DIR"), name);
    cr_assert_eq(ts_target_load(path, t, &err), TS_OK, "%s", err.msg);
}

/* Skips the test (visibly) when the firmware ELF for t's core is not built. */
static inline void need_firmware(const ts_target *t)
{
    char path[TS_ENGINE_PATH_BYTES];
    struct stat sb;
    ts_err err;

    ts_err_clear(&err);
    for (int k = 0; k < TS_KERNELS_COUNT; k++) {
        if (ts_engine_firmware_path(t->core, (ts_kernels)k, path, sizeof path, &err) != TS_OK)
            cr_skip_test("kernel firmware not built (TS_FIRMWARE=OFF?): %s: skipped", err.msg);
        if (stat(path, &sb) != 0)
            cr_skip_test("kernel firmware %s not built: skipped", path);
    }
}

/* $TS_SHARED_DIR/models/NAME.tflite, or a visible skip. */
/* Skips the test visibly unless the firmware for target `name` is built. */
static inline void need_target_firmware(const char *name)
{
    ts_target t;

    load_target_named(name, &t);
    need_firmware(&t);
}

static inline void shared_model_path(const char *name, char *buf, size_t cap)
{
    const char *d = getenv("TS_SHARED_DIR");
    struct stat sb;

    snprintf(buf, cap, "%s/models/%s.tflite", d ? d : "", name);
    if (!d || stat(buf, &sb) != 0)
        cr_skip_test("shared model %s not found (TS_SHARED_DIR=%s): skipped", name,
                     d ? d : "unset");
}

static inline uint32_t test_xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Random input bytes (int8 anywhere in range, int16 too (bits 31..16); float16 every bit
 * pattern (bits 31..16: normals, subnormals, zeros, infinities, NaNs); float32 in [-1, 1)). */
static inline void fill_input(const ts_ref_io *io, uint32_t *state, uint8_t *buf)
{
    for (int64_t k = 0; k < io->n_elems; k++) {
        uint32_t s = test_xorshift(state);
        if (io->dtype == TS_DT_FLOAT32) {
            float f = (float)(-1.0 + 2.0 * (double)(s >> 8) / 16777216.0);
            memcpy(buf + 4 * k, &f, 4);
        } else if (io->dtype == TS_DT_INT16 || io->dtype == TS_DT_FLOAT16) {
            buf[2 * k] = (uint8_t)(s >> 16);
            buf[2 * k + 1] = (uint8_t)(s >> 24);
        } else {
            buf[k * (int64_t)ts_dtype_size(io->dtype)] = (uint8_t)(s >> 24);
        }
    }
}

/* Fills every input, in order, with fill_input's bytes from seed (state seed * 0x9E3779B9):
 * into engine e and/or host executor r (either may be NULL; shapes come from r, else from e's
 * executor). Equal seeds give equal inputs, so engine and host runs can be compared. */
static inline void set_seeded_inputs_from(ts_engine *e, ts_ref *r, uint32_t *state);
static inline void set_seeded_inputs(ts_engine *e, ts_ref *r, uint32_t seed)
{
    uint32_t state = seed * 0x9E3779B9u;

    set_seeded_inputs_from(e, r, &state);
}

/* set_seeded_inputs from the xorshift state *state, which it advances (the next invocation's
 * inputs continue the stream). */
static inline void set_seeded_inputs_from(ts_engine *e, ts_ref *r, uint32_t *state)
{
    const ts_ref *shape = r ? r : ts_engine_ref(e);
    ts_err err;

    ts_err_clear(&err);
    for (int32_t i = 0; i < ts_ref_n_inputs(shape); i++) {
        ts_ref_io io;
        uint8_t *buf;
        ts_ref_input_info(shape, i, &io);
        buf = calloc(1, io.size_bytes + 1);
        fill_input(&io, state, buf);
        if (e)
            cr_assert_eq(ts_engine_set_input(e, i, buf, io.size_bytes, &err), TS_OK, "%s",
                         err.msg);
        if (r)
            cr_assert_eq(ts_ref_set_input(r, i, buf, io.size_bytes, &err), TS_OK, "%s", err.msg);
        free(buf);
    }
}

/* Outputs of engine e and host executor r are byte-identical (invocation `inv` in messages). */
static inline void expect_same_outputs(ts_engine *e, ts_ref *r, const char *src,
                                       const ts_target *t, uint32_t inv)
{
    ts_err err;

    ts_err_clear(&err);
    for (int32_t i = 0; i < ts_ref_n_outputs(r); i++) {
        size_t n = 0, got = 0;
        const uint8_t *want = ts_ref_output(r, i, &n);
        uint8_t *buf = calloc(1, n + 1);
        cr_assert_eq(ts_engine_output(e, i, buf, n, &got, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(got, n);
        for (size_t k = 0; k < n; k++)
            cr_assert_eq(buf[k], want[k], "%s on %s: invocation %u: output %d byte %zu: target "
                         "%d, host %d", src, t->name, (unsigned)inv, i, k, buf[k], want[k]);
        free(buf);
    }
}

/* Runs g on target t through the engine (engine options o, NULL for the defaults) and through
 * the host reference executor, n invocations in a row (state carried in both), each with the
 * next seeded inputs (the xorshift stream continues); asserts byte-identical outputs after
 * every invocation. Returns the engine's cycles of the last invocation. */
static inline uint64_t check_bit_exact_opts(const ts_target *t, const ts_graph *g,
                                            const char *src, const ts_engine_opts *o,
                                            uint32_t seed, uint32_t n)
{
    uint32_t state = seed * 0x9E3779B9u;
    ts_engine *e = NULL;
    ts_ref *r = NULL;
    ts_err err;
    uint64_t cycles;

    ts_err_clear(&err);
    cr_assert_eq(ts_engine_open(t, g, src, o, &e, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_ref_prepare_graph(g, src, &r, &err), TS_OK, "%s", err.msg);
    for (uint32_t inv = 0; inv < n; inv++) {
        set_seeded_inputs_from(e, r, &state);
        cr_assert_eq(ts_engine_run(e, &err), TS_OK, "%s", err.msg);
        cr_assert_eq(ts_ref_invoke(r, &err), TS_OK, "%s", err.msg);
        expect_same_outputs(e, r, src, t, inv);
    }
    cycles = ts_engine_totals_get(e)->cost.cycles;
    cr_assert_gt(cycles, 0);
    ts_ref_free(r);
    ts_engine_close(e);
    return cycles;
}

/* check_bit_exact_opts with the default engine options. */
static inline uint64_t check_bit_exact_n(const ts_target *t, const ts_graph *g, const char *src,
                                         uint32_t seed, uint32_t n)
{
    return check_bit_exact_opts(t, g, src, NULL, seed, n);
}

/* One invocation of check_bit_exact_n: returns the engine's total cycles. */
static inline uint64_t check_bit_exact(const ts_target *t, const ts_graph *g, const char *src,
                                       uint32_t seed)
{
    return check_bit_exact_n(t, g, src, seed, 1);
}

/* When the model does not fit t, enlarges t's RAM region (only for functional tests on a
 * core whose reference board is too small); returns whether it did. */
static inline bool grow_ram_if_needed(ts_target *t, const ts_graph *g, const char *src)
{
    ts_engine_layout L;
    char key[64], val[32];
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_engine_footprint(t, g, src, NULL, &L, &err), TS_OK, "%s", err.msg);
    if (L.fits_ram)
        return false;
    snprintf(key, sizeof key, "memory[%d].size", L.ram_region);
    snprintf(val, sizeof val, "%llu", (unsigned long long)((L.ram_used_bytes + 65535) & ~65535ull));
    cr_assert_eq(ts_target_set(t, key, val, &err), TS_OK, "%s", err.msg);
    return true;
}

/* Runs model file `path` once on t with `kernels` and seeded inputs; returns the run's total
 * cost (asserts every step succeeds). */
static inline ts_unit_cost simulate_model_cost(const ts_target *t, const char *path,
                                               ts_kernels kernels)
{
    ts_engine_opts o;
    ts_model *m = NULL;
    ts_engine *e = NULL;
    ts_unit_cost cost;
    ts_err err;

    memset(&o, 0, sizeof o);
    o.kernels = kernels;
    ts_err_clear(&err);
    cr_assert_eq(ts_model_load_file(path, &m, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(ts_engine_open(t, ts_model_graph(m), path, &o, &e, &err), TS_OK, "%s", err.msg);
    set_seeded_inputs(e, NULL, 1);
    cr_assert_eq(ts_engine_run(e, &err), TS_OK, "%s", err.msg);
    cost = ts_engine_totals_get(e)->cost;
    ts_engine_close(e);
    ts_model_free(m);
    return cost;
}

#endif
