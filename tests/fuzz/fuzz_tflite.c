/* fuzz_tflite.c: libFuzzer entry point for the .tflite reader (sim/model) and what consumes
 * its IR: load the bytes, walk every tensor and op (MAC and byte counts, parameter totals),
 * require support and plan the tensor arena, then free. A status is always an acceptable
 * answer; a crash, a sanitizer report, a leak or a broken error contract is a finding.
 * Built only with TS_FUZZ=ON and clang (tests/fuzz/CMakeLists.txt); run by scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/model/model.h"
#include "sim/plan/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t walk_graph(const ts_graph *g)
{
    uint64_t sink = 0;

    for (int32_t i = 0; i < g->n_tensors; i++) {
        const ts_tensor *t = &g->tensors[i];
        for (int32_t d = 0; d < t->rank; d++)
            sink += (uint64_t)t->shape[d];
        if (t->data && t->size_bytes)
            sink += (uint64_t)t->data[0] + t->data[t->size_bytes - 1];
        for (int32_t q = 0; q < t->quant.n; q++)
            sink += (uint64_t)t->quant.zero_point[q] + (t->quant.scale[q] > 0.0f);
        sink += strlen(t->name);
    }
    for (int32_t k = 0; k < g->n_ops; k++)
        sink += ts_op_macs(g, &g->ops[k]) + ts_op_weight_bytes(g, &g->ops[k]) +
                ts_op_activation_bytes(g, &g->ops[k]) + strlen(g->ops[k].name);
    return sink;
}

static void use_model(const ts_model *m)
{
    volatile uint64_t sink = 0;
    uint64_t n_params, weight_bytes;
    ts_plan *p = NULL;
    ts_err err;

    for (int32_t s = 0; s < ts_model_n_subgraphs(m); s++)
        sink += walk_graph(ts_model_subgraph(m, s));
    ts_model_param_totals(m, &n_params, &weight_bytes);
    ts_err_clear(&err);
    (void)ts_model_require_supported(m, &err);
    ts_err_clear(&err);
    if (ts_plan_compute(ts_model_graph(m), NULL, &p, &err) == TS_OK) {
        if (p->arena_bytes > p->naive_bytes) /* greedy reuse can never need more */
            abort();
        ts_plan_free(p);
    } else if (err.msg[0] == '\0') {
        abort();
    }
    (void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ts_model *m = NULL;
    ts_err err;
    ts_status st;

    ts_err_clear(&err);
    st = ts_model_load_buffer(data, size, "fuzz.tflite", &m, &err);
    if (st != TS_OK) {
        /* The error contract: input problems only, a message, nothing returned. */
        if ((st != TS_ERR_FORMAT && st != TS_ERR_UNSUPPORTED) || err.code != st || m ||
            strncmp(err.msg, "fuzz.tflite: ", 13) != 0 || strchr(err.msg, '\n'))
            abort();
        return 0;
    }
    use_model(m);
    ts_model_free(m);
    return 0;
}
