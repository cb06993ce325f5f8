/* engine_layout.c: where everything goes in the target's memory: the firmware (sim/platform
 * checks it against the target's flash, link convention in engine.h), constant tensors after
 * it in flash, and the RAM region holds arena, requantisation tables, descriptor and stack.
 * Layer: sim/engine. Only addresses and sizes here: no emulation, no timing, no values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "engine_int.h"
#include "firmware/fw_abi.h"

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}

ts_status ts_engine_firmware_path(int core, ts_kernels kernels, char *out, size_t out_bytes,
                                  ts_err *err)
{
    return ts_platform_firmware_path(core, kernels, out, out_bytes, err);
}

/* The firmware image the prepared model needs: the smallest that holds the op set of every
 * kernel its ops run (kernels/firmware/fw_abi.h): the base image, an extended set's, or _all. */
static int needed_op_set(const ts_ref *r)
{
    uint32_t sets = 0;

    for (int32_t k = 0; k < ts_ref_n_ops(r); k++)
        sets |= 1u << tsfw_kind_set((uint32_t)ts_ref_op_fw_kind(ts_ref_op_at(r, k)));
    return tsfw_image_for_sets(sets);
}

/* The op kinds of the prepared model's ops (the kernels a per-model image must hold). */
static void model_kinds(const ts_ref *r, uint32_t kinds[TS_PLATFORM_KIND_WORDS])
{
    memset(kinds, 0, TS_PLATFORM_KIND_WORDS * sizeof kinds[0]);
    for (int32_t k = 0; k < ts_ref_n_ops(r); k++) {
        uint32_t kind = (uint32_t)ts_ref_op_fw_kind(ts_ref_op_at(r, k));
        if (kind < TSFW_OP_COUNT)
            kinds[kind / 32] |= 1u << (kind % 32);
    }
}

static void place_weights(ts_engine *e);

/* The firmware image opened into e->platform, then the weights after it in the same flash. */
static void place_image(ts_engine *e)
{
    ts_engine_layout *L = &e->layout;
    const ts_platform_fw *fw = ts_platform_firmware(e->platform);

    e->opts.firmware = ts_platform_firmware_file(e->platform);
    L->flash_region = fw->flash_region;
    L->fw_base = fw->base;
    L->fw_bytes = fw->bytes;
    L->weights_base = align_up((uint64_t)fw->base + fw->bytes, TS_ENGINE_WEIGHT_ALIGN);
    L->flash_avail_bytes = fw->flash_avail_bytes;
    memset(e->tensor_addr, 0, (size_t)e->g->n_tensors * sizeof *e->tensor_addr);
    place_weights(e);
}

/* L->weights_bytes: the bytes the weights take in flash (place_weights from an aligned base,
 * before any image is placed). */
static void size_weights(ts_engine *e)
{
    ts_engine_layout *L = &e->layout;

    L->weights_base = TS_ENGINE_WEIGHT_ALIGN; /* non-zero: 0 means "not placed" */
    memset(e->tensor_addr, 0, (size_t)e->g->n_tensors * sizeof *e->tensor_addr);
    place_weights(e);
}

/* Whether a per-model image could make the model fit: the weights (L->weights_bytes) alone
 * fit the first flash region (where it is linked). Otherwise the op-set image's refusal
 * stands, and a fit check needs neither the cross linker nor the cache folder. */
static bool per_model_may_fit(const ts_engine *e)
{
    const ts_target_region *flash = ts_target_first_region(e->t, TS_MEM_FLASH);

    return flash && e->layout.weights_bytes < flash->size_bytes;
}

/* The firmware first (sim/platform), then the weights after it in the same flash region:
 * the user's image, the op-set image, or (e->opts.link) the per-model image: always with
 * TS_LINK_MODEL; with TS_LINK_AUTO when the op-set image, alone or with the weights, does not
 * fit the flash (TS_ERR_RANGE from sim/platform, or !fits_flash) and the weights alone do. */
static ts_status place_firmware(ts_engine *e, ts_err *err)
{
    uint32_t kinds[TS_PLATFORM_KIND_WORDS];
    bool user = e->opts.firmware != NULL;
    ts_status st;

    e->layout.fw_user = user;
    if (user || e->opts.link != TS_LINK_MODEL) {
        st = ts_platform_open_set(e->t, e->opts.firmware, e->opts.kernels,
                                  needed_op_set(e->ref), &e->platform, err);
        if (st == TS_OK)
            place_image(e); /* the weights too */
        else if (st == TS_ERR_RANGE && !user && e->opts.link == TS_LINK_AUTO)
            size_weights(e); /* the image alone does not fit: size the weights without it */
        if (user || e->opts.link == TS_LINK_SETS || (st == TS_OK && e->layout.fits_flash) ||
            (st != TS_OK && st != TS_ERR_RANGE) || !per_model_may_fit(e))
            return st;
        e->opts.firmware = NULL; /* the path belongs to the platform closed here */
        ts_platform_close(e->platform);
        e->platform = NULL;
        ts_err_clear(err);
    }
    model_kinds(e->ref, kinds);
    if ((st = ts_platform_open_kinds(e->t, e->opts.kernels, kinds, &e->platform, err)))
        return st;
    e->layout.fw_per_model = true;
    place_image(e);
    return TS_OK;
}

/* First "sram" region, else the first "tcm". */
static int find_ram(const ts_target *t)
{
    for (uint32_t i = 0; i < t->n_regions; i++)
        if (t->regions[i].kind == TS_MEM_SRAM)
            return (int)i;
    for (uint32_t i = 0; i < t->n_regions; i++)
        if (t->regions[i].kind == TS_MEM_TCM)
            return (int)i;
    return -1;
}

/* Constant tensors read by some op, in tensor order, each aligned. */
static void place_weights(ts_engine *e)
{
    ts_engine_layout *L = &e->layout;
    uint64_t at = L->weights_base;

    for (int32_t k = 0; k < e->g->n_ops; k++) {
        const ts_op *op = &e->g->ops[k];
        for (int32_t j = 0; j < op->n_inputs; j++) {
            int32_t t = op->inputs[j];
            if (t < 0 || e->tensor_addr[t] || !ts_tensor_is_const(&e->g->tensors[t]))
                continue;
            at = align_up(at, TS_ENGINE_WEIGHT_ALIGN);
            e->tensor_addr[t] = at < UINT32_MAX ? (uint32_t)at : 0;
            at += e->g->tensors[t].size_bytes ? e->g->tensors[t].size_bytes : 1;
        }
    }
    L->weights_bytes = at - L->weights_base;
    L->flash_used_bytes = at - L->fw_base;
    L->fits_flash = L->flash_used_bytes <= L->flash_avail_bytes;
}

static ts_status place_ram(ts_engine *e, ts_err *err)
{
    ts_engine_layout *L = &e->layout;
    const ts_plan *p = ts_ref_plan(e->ref);
    const int32_t *mult, *shift;
    int32_t n_quant;
    const ts_target_region *r;

    L->ram_region = find_ram(e->t);
    if (L->ram_region < 0)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: target has no sram or tcm region for the "
                          "tensor arena", e->t->path);
    r = &e->t->regions[L->ram_region];
    ts_ref_quant_table(e->ref, &mult, &shift, &n_quant);
    L->arena_base = (uint32_t)r->base;
    L->arena_bytes = p->arena_bytes;
    L->quant_base = align_up(r->base + p->arena_bytes, 16);
    L->quant_bytes = 8ull * (uint64_t)n_quant;
    L->desc_base = align_up(L->quant_base + L->quant_bytes, 16);
    L->desc_bytes = (uint32_t)sizeof(tsfw_op);
    L->stack_bytes = e->opts.stack_bytes;
    L->stack_top = (r->base + r->size_bytes) & ~7ull;
    L->ram_avail_bytes = r->size_bytes;
    L->ram_used_bytes = L->desc_base + L->desc_bytes - r->base + L->stack_bytes;
    L->fits_ram = L->ram_used_bytes <= L->ram_avail_bytes;
    for (int32_t t = 0; t < e->g->n_tensors; t++)
        if (!ts_tensor_is_const(&e->g->tensors[t]) && p->tensor_offset[t] >= 0 && L->fits_ram)
            e->tensor_addr[t] = (uint32_t)(r->base + (uint64_t)p->tensor_offset[t]);
    return TS_OK;
}

ts_status ts_engine_prepare_layout(ts_engine *e, ts_err *err)
{
    ts_ref_opts ro = {e->opts.rounding, e->opts.kernels};
    ts_status st;

    if ((st = ts_ref_prepare_graph_opts(e->g, e->source, &ro, &e->ref, err)))
        return st;
    e->tensor_addr = ts_calloc((size_t)e->g->n_tensors + 1, sizeof *e->tensor_addr);
    e->layers = ts_calloc((size_t)e->g->n_ops + 1, sizeof *e->layers);
    if (!e->tensor_addr || !e->layers)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory laying out the target image",
                          e->source);
    if ((st = place_firmware(e, err))) /* after prepare: the ops choose the image */
        return st;
    return place_ram(e, err);
}

ts_status ts_engine_check_fit(const ts_engine *e, ts_err *err)
{
    const ts_engine_layout *L = &e->layout;
    const ts_target_region *fr = &e->t->regions[L->flash_region];
    const ts_target_region *rr = &e->t->regions[L->ram_region];

    if (!L->fits_flash)
        return ts_err_set(err, TS_ERR_RANGE, "%s: does not fit target %s: %s needs %llu bytes "
                          "(%sfirmware %llu + weights %llu), %llu available from 0x%08x",
                          e->source, e->t->name, fr->name,
                          (unsigned long long)L->flash_used_bytes,
                          L->fw_per_model ? "per-model " : "",
                          (unsigned long long)L->fw_bytes, (unsigned long long)L->weights_bytes,
                          (unsigned long long)L->flash_avail_bytes, L->fw_base);
    if (!L->fits_ram)
        return ts_err_set(err, TS_ERR_RANGE, "%s: does not fit target %s: %s needs %llu bytes "
                          "(arena %llu + requantisation tables %llu + descriptor %u + stack %u),"
                          " %llu available", e->source, e->t->name, rr->name,
                          (unsigned long long)L->ram_used_bytes,
                          (unsigned long long)L->arena_bytes, (unsigned long long)L->quant_bytes,
                          L->desc_bytes, L->stack_bytes, (unsigned long long)L->ram_avail_bytes);
    return TS_OK;
}
