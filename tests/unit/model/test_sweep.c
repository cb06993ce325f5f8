/* Robustness sweeps for sim/model: every prefix of the small shared models (a strided sample
 * of the large ones), every byte of hello_world_int8 flipped (a fixed sample elsewhere), and
 * allocation failure injected at every allocation of a load. Each case must return a status
 * (never crash: the sanitizer build turns memory errors into failures), and models that
 * still load are walked like the CLI walks them. */
#include "model_test.h"

/* Loads len bytes; on success walks and frees the model, on failure checks the contract. */
static ts_status try_load(const unsigned char *bytes, size_t len, const char *what)
{
    ts_model *m = (ts_model *)1;
    ts_err err;
    ts_status st;

    ts_err_clear(&err);
    st = ts_model_load_buffer(bytes, len, "sweep.tflite", &m, &err);
    if (st == TS_OK) {
        walk_model(m);
        ts_model_free(m);
    } else {
        expect_clean_failure(st, m, &err, "sweep.tflite", what);
    }
    return st;
}

/* The next prefix length: every stride-th length, then each of the last 64 (where the
 * final tables and strings end). */
static size_t next_length(size_t n, size_t len, size_t stride)
{
    size_t tail = len > 64 ? len - 64 : 0;

    if (n >= tail)
        return n + 1;
    return n + stride < tail ? n + stride : tail;
}

/* Prefixes of the model chosen by next_length(); none may load. */
static void truncation_sweep(const char *stem, size_t stride)
{
    char path[1024], what[128];
    size_t len;
    unsigned char *bytes;

    shared_model(path, sizeof path, stem);
    bytes = slurp(path, &len);
    for (size_t n = 0; n < len; n = next_length(n, len, stride)) {
        snprintf(what, sizeof what, "%s truncated to %zu of %zu bytes", stem, n, len);
        cr_expect_neq(try_load(bytes, n, what), TS_OK, "%s loaded", what);
    }
    free(bytes);
}

Test(sweep, every_prefix_of_hello_world_int8_is_rejected)
{
    truncation_sweep("hello_world_int8", 1);
}

Test(sweep, every_prefix_of_micro_speech_int8_is_rejected)
{
    truncation_sweep("micro_speech_int8", 1);
}

Test(sweep, strided_prefixes_of_the_larger_models_are_rejected)
{
    static const char *const stems[] = {"kws_ds_cnn_int8", "ic_resnet8_int8",
                                        "person_detect_int8", "vww_mobilenetv1_int8"};
    for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++)
        truncation_sweep(stems[i], 101);
}

/* Flips (XOR 0xFF) the byte at each chosen position; the model must load or fail cleanly. */
static void flip_sweep(const char *stem, size_t n_samples)
{
    char path[1024], what[128];
    size_t len, n_ok = 0, count;
    unsigned char *bytes;
    uint32_t x = 12345;

    shared_model(path, sizeof path, stem);
    bytes = slurp(path, &len);
    count = n_samples && n_samples < len ? n_samples : len;
    for (size_t i = 0; i < count; i++) {
        size_t pos = i;
        if (count < len) { /* fixed LCG sample (Numerical Recipes constants) */
            x = x * 1664525u + 1013904223u;
            pos = x % len;
        }
        bytes[pos] ^= 0xFF;
        snprintf(what, sizeof what, "%s with byte %zu flipped", stem, pos);
        n_ok += try_load(bytes, len, what) == TS_OK;
        bytes[pos] ^= 0xFF;
    }
    cr_log_info("%s: %zu of %zu byte flips still load", stem, n_ok, count);
    cr_expect_lt(n_ok, count, "%s: no flip was detected at all", stem);
    free(bytes);
}

Test(sweep, flipping_any_byte_of_hello_world_int8_never_crashes)
{
    flip_sweep("hello_world_int8", 0);
}

Test(sweep, flipping_sampled_bytes_of_the_other_models_never_crashes)
{
    static const char *const stems[] = {"micro_speech_int8", "kws_ds_cnn_int8",
                                        "ic_resnet8_int8", "person_detect_int8",
                                        "ad_autoencoder_int8", "vww_mobilenetv1_int8"};
    for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++)
        flip_sweep(stems[i], 3000);
}

Test(sweep, flipping_every_byte_of_the_generated_models_never_crashes)
{
    static const char *const stems[] = {"conv_fc_int8", "unsupported_op"};
    char path[1024], what[128];
    size_t len;

    for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++) {
        unsigned char *bytes;
        snprintf(path, sizeof path, "%s/tests/data/good/%s.tflite", source_dir(), stems[i]);
        bytes = slurp(path, &len);
        for (size_t pos = 0; pos < len; pos++) {
            bytes[pos] ^= 0xFF;
            snprintf(what, sizeof what, "%s with byte %zu flipped", stems[i], pos);
            try_load(bytes, len, what);
            bytes[pos] ^= 0xFF;
        }
        for (size_t n = 0; n < len; n++) {
            snprintf(what, sizeof what, "%s truncated to %zu bytes", stems[i], n);
            cr_expect_neq(try_load(bytes, n, what), TS_OK, "%s loaded", what);
        }
        free(bytes);
    }
}

/* Loads path with the (n+1)-th allocation failing; err may be NULL. */
static ts_status load_failing_at(const char *path, long n, ts_err *err)
{
    ts_model *m = (ts_model *)1;
    ts_status st;

    ts_alloc_fail_after(n);
    st = ts_model_load_file(path, &m, err);
    ts_alloc_fail_after(-1);
    if (st == TS_OK)
        ts_model_free(m);
    else
        cr_expect_null(m, "%s: fail at %ld: *out set", path, n);
    return st;
}

/* Fails allocation n = 0, 1, 2, ... of ts_model_load_file until the load gets through; every
 * failure before that must be NOMEM (with and without an error record), after it the
 * file's own verdict `final`. ASan's leak checker catches anything a failure path leaks. */
static void alloc_failure_sweep(const char *path, ts_status final)
{
    ts_status st = TS_ERR_NOMEM, st_null;
    long n;
    ts_err err;

    for (n = 0; st == TS_ERR_NOMEM && n < 100000; n++) {
        ts_err_clear(&err);
        st = load_failing_at(path, n, &err);
        st_null = load_failing_at(path, n, NULL);
        cr_expect_eq(st_null, st, "%s: fail at %ld: %s without an error record, %s with one",
                     path, n, ts_status_name(st_null), ts_status_name(st));
        if (st == TS_ERR_NOMEM)
            cr_expect_not_null(strstr(err.msg, "out of memory"), "%s: fail at %ld: '%s'", path,
                               n, err.msg);
    }
    cr_expect_eq(st, final, "%s: after %ld injected failures: %s, expected %s", path, n,
                 ts_status_name(st), ts_status_name(final));
    cr_expect_gt(n, 1, "%s: loading needs no allocation?", path);
}

Test(sweep, every_allocation_failure_while_loading_returns_nomem)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/tests/data/good/unsupported_op.tflite", source_dir());
    alloc_failure_sweep(path, TS_OK);
    snprintf(path, sizeof path, "%s/tests/data/good/conv_fc_int8.tflite", source_dir());
    alloc_failure_sweep(path, TS_OK);
    snprintf(path, sizeof path, "%s/tests/data/bad/quant_dimension_outside_rank.tflite",
             source_dir());
    alloc_failure_sweep(path, TS_ERR_FORMAT);
    shared_model(path, sizeof path, "hello_world_int8");
    alloc_failure_sweep(path, TS_OK);
}
