/* exec.c: put a checked ELF into a core (segments, stack pointer, entry) and run it.
 * Layer: sim/exec. Never prints. The vector table convention (ARMv7-M B1.5.3): word 0 = initial
 * SP, word 1 = reset handler (Thumb bit set), at the base of the first flash region. */
#include <stdio.h>
#include <string.h>

#include "base/rd.h"
#include "exec.h"

/* One past the top of the largest non-flash region (default stack), or 0. */
static uint32_t default_sp(const ts_target *t)
{
    const ts_target_region *best = NULL;

    for (uint32_t i = 0; i < t->n_regions; i++)
        if (t->regions[i].kind != TS_MEM_FLASH &&
            (!best || t->regions[i].size_bytes > best->size_bytes))
            best = &t->regions[i];
    return best ? (uint32_t)(best->base + best->size_bytes - 8) : 0;
}

static ts_status load_segments(ts_core *c, const ts_elf *e, ts_err *err)
{
    static const uint8_t zeros[4096];
    char what[200];
    ts_status st = TS_OK;

    ts_rd r = {e->bytes, e->len};

    for (unsigned i = 0; i < e->n_segments && !st; i++) {
        const ts_elf_segment *s = &e->segments[i];
        const uint8_t *bytes = rd_view(&r, s->offset, s->filesz); /* checked by elf.c */

        snprintf(what, sizeof what, "%s: segment %u", e->name, i);
        if (s->filesz && bytes)
            st = ts_mem_write(ts_core_mem(c), s->paddr, bytes, s->filesz, what, err);
        for (uint32_t off = s->filesz; !st && off < s->memsz; off += sizeof zeros) {
            uint32_t n = s->memsz - off < sizeof zeros ? s->memsz - off : (uint32_t)sizeof zeros;

            st = ts_mem_write(ts_core_mem(c), (uint64_t)s->vaddr + off, zeros, n, what, err);
        }
    }
    return st;
}

/* Reads the vector table: *sp and *reset set when it looks valid (SP inside or at the top of a
 * RAM region, reset handler odd and inside a region). */
static void read_vectors(ts_core *c, const ts_target *t, uint32_t *sp, uint32_t *reset)
{
    const ts_target_region *fl = ts_target_first_region(t, TS_MEM_FLASH);
    uint8_t bytes[8];
    ts_rd r = {bytes, sizeof bytes};
    uint32_t v[2] = {0, 0};
    ts_mem *m = ts_core_mem(c);
    int ri;

    if (!fl || ts_mem_read(m, fl->base, bytes, sizeof bytes, "vectors", NULL))
        return;
    rd_u32(&r, 0, &v[0]);
    rd_u32(&r, 4, &v[1]);
    ri = ts_mem_find(m, v[0] - 1u);
    if (v[0] && ri >= 0 && ts_mem_region_at(m, (unsigned)ri)->cfg->kind != TS_MEM_FLASH)
        *sp = v[0];
    if ((v[1] & 1u) && ts_mem_find(m, v[1] & ~1u) >= 0)
        *reset = v[1];
}


ts_status ts_exec_load(ts_core *c, const ts_elf *e, uint32_t *entry, ts_err *err)
{
    const ts_target *t = ts_core_target(c);
    uint32_t sp = default_sp(t), reset = 0;
    ts_status st = load_segments(c, e, err);

    if (st)
        return st;
    read_vectors(c, t, &sp, &reset);
    if (!e->entry && !reset)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x18: e_entry is 0 and there is no "
                          "valid reset vector at the start of flash", e->name);
    if ((st = ts_core_set_reg(c, 13, sp, err)) ||
        (st = ts_core_set_reg(c, 14, TS_CORE_RESET_LR, err)))
        return st;
    *entry = e->entry ? e->entry : reset;
    return TS_OK;
}

ts_status ts_exec_file(const ts_target *t, const char *path, const ts_core_config *cfg,
                       ts_core_stats *stats, ts_err *err)
{
    ts_core_config cc = {0};
    ts_elf *e = NULL;
    ts_core *c = NULL;
    uint32_t entry = 0;
    ts_status st;

    if (cfg)
        cc = *cfg;
    cc.program = path;
    st = ts_elf_load(path, &e, err);
    if (!st)
        st = ts_core_open(t, &cc, &c, err);
    if (!st)
        st = ts_exec_load(c, e, &entry, err);
    if (!st || st == TS_ERR_EMU)
        st = st ? st : ts_core_run(c, entry, err);
    if ((!st || st == TS_ERR_EMU) && c)
        *stats = *ts_core_get_stats(c);
    ts_core_close(c);
    ts_elf_free(e);
    return st;
}
