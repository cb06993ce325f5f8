/* engine_layout.c: where everything goes in the target's memory: the firmware ELF is checked
 * against the target's flash (link convention in engine.h), constant tensors follow it in
 * flash, and the RAM region holds arena, requantisation tables, descriptor and stack.
 * Layer: sim/engine. Only addresses and sizes here: no emulation, no timing, no values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "engine_int.h"
#include "firmware/fw_abi.h"

#ifndef TS_FIRMWARE_DIR
#define TS_FIRMWARE_DIR ""
#endif

#define INSTALL_HINT "build tinysim with -DTS_FIRMWARE=ON and arm-none-eabi-gcc installed " \
                     "(Debian: apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)"

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}

ts_status ts_engine_firmware_path(int core, ts_kernels kernels, char *out, size_t out_bytes,
                                  ts_err *err)
{
    const char *dir = getenv("TINYSIM_FIRMWARE_DIR");
    /* TSFW_DSP_CORES in kernels/firmware/CMakeLists.txt */
    bool dsp_fw = core == TS_CORE_M4 || core == TS_CORE_M7 || core == TS_CORE_M33;
    int w;

    if (!dir || !*dir)
        dir = TS_FIRMWARE_DIR;
    if (!*dir)
        return ts_err_set(err, TS_ERR_IO, "firmware for %s: this tinysim was built without "
                          "the kernel firmware (%s)", ts_target_core_name(core), INSTALL_HINT);
    w = snprintf(out, out_bytes, "%s/tsfw_%s%s.elf", dir, ts_target_core_name(core),
                 dsp_fw && kernels == TS_KERNELS_REF ? "_ref" : "");
    if (w < 0 || (size_t)w >= out_bytes)
        return ts_err_set(err, TS_ERR_RANGE, "firmware path longer than %zu bytes",
                          out_bytes - 1);
    return TS_OK;
}

/* A target whose first flash region is not at the base of targets/<core>.json (rp2040's XIP
 * flash) has its own copy of the image, tsfw_<core>[_ref]_at_<base>.elf (kernels/firmware/
 * CMakeLists.txt): use it when it exists. */
static void prefer_based_firmware(ts_engine *e)
{
    char based[sizeof e->fw_path];
    size_t n = strlen(e->fw_path);
    FILE *f;

    for (uint32_t i = 0; i < e->t->n_regions; i++) {
        if (e->t->regions[i].kind != TS_MEM_FLASH)
            continue;
        if (n < 4 || snprintf(based, sizeof based, "%.*s_at_0x%llx.elf", (int)(n - 4), e->fw_path,
                              (unsigned long long)e->t->regions[i].base) >= (int)sizeof based)
            return;
        if ((f = fopen(based, "rb")) != NULL) {
            fclose(f);
            strcpy(e->fw_path, based);
        }
        return;
    }
}

static ts_status load_firmware(ts_engine *e, ts_err *err)
{
    FILE *f;
    ts_status st;

    if (e->opts.firmware) {
        if (strlen(e->opts.firmware) >= sizeof e->fw_path)
            return ts_err_set(err, TS_ERR_RANGE, "%s: firmware path too long", e->opts.firmware);
        strcpy(e->fw_path, e->opts.firmware);
    } else if ((st = ts_engine_firmware_path(e->t->core, e->opts.kernels, e->fw_path,
                                             sizeof e->fw_path, err))) {
        return st;
    } else {
        prefer_based_firmware(e);
    }
    e->opts.firmware = e->fw_path;
    f = fopen(e->fw_path, "rb");
    if (!f)
        return ts_err_set(err, TS_ERR_IO, "%s: firmware for %s not found (%s)", e->fw_path,
                          ts_target_core_name(e->t->core), INSTALL_HINT);
    fclose(f);
    return ts_elf_load(e->fw_path, &e->elf, err);
}

/* The firmware's address range; it must be read-only code and data (no .data/.bss). */
static ts_status firmware_range(const ts_engine *e, uint64_t *lo, uint64_t *hi, ts_err *err)
{
    const ts_elf *elf = e->elf;

    *lo = UINT64_MAX, *hi = 0;
    for (unsigned i = 0; i < elf->n_segments; i++) {
        const ts_elf_segment *s = &elf->segments[i];
        if ((s->flags & 2u) || s->memsz != s->filesz)
            return ts_err_set(err, TS_ERR_CONFIG, "%s: segment %u at 0x%08x is writable data "
                              "(the kernel firmware must have no .data/.bss)", e->fw_path, i,
                              s->paddr);
        if (s->paddr < *lo)
            *lo = s->paddr;
        if ((uint64_t)s->paddr + s->memsz > *hi)
            *hi = (uint64_t)s->paddr + s->memsz;
    }
    if (*hi == 0)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: no loadable segment", e->fw_path);
    return TS_OK;
}

static int find_flash(const ts_target *t, uint64_t lo, uint64_t hi)
{
    for (uint32_t i = 0; i < t->n_regions; i++) {
        const ts_target_region *r = &t->regions[i];
        if (r->kind == TS_MEM_FLASH && lo >= r->base && hi <= r->base + r->size_bytes)
            return (int)i;
    }
    return -1;
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

static ts_status place_firmware(ts_engine *e, ts_err *err)
{
    ts_engine_layout *L = &e->layout;
    uint64_t lo, hi;
    ts_status st = firmware_range(e, &lo, &hi, err);
    const ts_target_region *r;

    if (st)
        return st;
    L->flash_region = find_flash(e->t, lo, hi);
    if (L->flash_region < 0) {
        int k = -1;
        for (uint32_t i = 0; i < e->t->n_regions && k < 0; i++)
            k = e->t->regions[i].kind == TS_MEM_FLASH ? (int)i : -1;
        return ts_err_set(err, TS_ERR_CONFIG, "%s: firmware is linked at 0x%08llx..0x%08llx, "
                          "outside the flash of target %s (%s at 0x%08llx, %llu bytes); the "
                          "firmware for %s is linked at the flash base of targets/%s.json",
                          e->fw_path, (unsigned long long)lo, (unsigned long long)hi, e->t->name,
                          k >= 0 ? e->t->regions[k].name : "no flash region",
                          k >= 0 ? (unsigned long long)e->t->regions[k].base : 0ull,
                          k >= 0 ? (unsigned long long)e->t->regions[k].size_bytes : 0ull,
                          ts_target_core_name(e->t->core), ts_target_core_name(e->t->core));
    }
    r = &e->t->regions[L->flash_region];
    L->fw_base = (uint32_t)lo;
    L->fw_bytes = hi - lo;
    L->weights_base = align_up(hi, TS_ENGINE_WEIGHT_ALIGN);
    L->flash_avail_bytes = r->base + r->size_bytes - lo;
    return TS_OK;
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

    if ((st = load_firmware(e, err)) || (st = place_firmware(e, err)))
        return st;
    if ((st = ts_ref_prepare_graph_opts(e->g, e->source, &ro, &e->ref, err)))
        return st;
    e->tensor_addr = ts_calloc((size_t)e->g->n_tensors + 1, sizeof *e->tensor_addr);
    e->layers = ts_calloc((size_t)e->g->n_ops + 1, sizeof *e->layers);
    if (!e->tensor_addr || !e->layers)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory laying out the target image",
                          e->source);
    place_weights(e);
    return place_ram(e, err);
}

ts_status ts_engine_check_fit(const ts_engine *e, ts_err *err)
{
    const ts_engine_layout *L = &e->layout;
    const ts_target_region *fr = &e->t->regions[L->flash_region];
    const ts_target_region *rr = &e->t->regions[L->ram_region];

    if (!L->fits_flash)
        return ts_err_set(err, TS_ERR_RANGE, "%s: does not fit target %s: %s needs %llu bytes "
                          "(firmware %llu + weights %llu), %llu available from 0x%08x",
                          e->source, e->t->name, fr->name,
                          (unsigned long long)L->flash_used_bytes,
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
