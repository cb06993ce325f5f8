/* scs.c: the timing registers of the Cortex-M private peripheral bus that programs use to time
 * themselves, as memory-mapped devices clocked by the core's cycle count (ts_core_now): the DWT
 * cycle counter and SysTick. Layer: sim/core. Never prints; never changes registers or memory
 * of the emulated program (its device reads return values, its writes set device state).
 *
 * Map of the PPB 0xE0000000-0xE00FFFFF (ARMv7-M ARM DDI 0403E B3.1 / ARMv6-M ARM DDI 0419E B3.1):
 *   0xE0001000-0xE0001FFF  DWT page: device (scs_dwt_*)
 *   0xE000E000-0xE000EFFF  SCS page (SysTick, NVIC, SCB, DEMCR): device (scs_sys_*)
 *   the rest               plain scratch memory (writes kept, no effect), as before
 * Both device pages keep every other register as scratch too: a read returns what was last
 * written there (0 at first), so start-up code that sets VTOR, CPACR or NVIC priorities runs on.
 *
 * DWT (ARMv7-M ARM C1.8.7 DWT_CTRL, C1.8.8 DWT_CYCCNT): CYCCNT counts core cycles while
 * DEMCR.TRCENA (C1.6.5, bit 24) and DWT_CTRL.CYCCNTENA (bit 0) are both set; it is readable and
 * writable and wraps at 2^32; it is 0 at reset [assumption: UNKNOWN in the architecture]. A read
 * returns the cycles counted up to and including the load that reads it (ts_core_now). DWT_CTRL
 * reads NOCYCCNT = 0, NOPRFCNT = NOEXTTRIG = NOTRCPKT = 1 (no profiling counters, trigger or
 * trace packets are modelled) and NUMCOMP = 0.
 * ARMv6-M (Cortex-M0/M0+) has no cycle counter: its DWT has DWT_CTRL, DWT_PCSR and comparators
 * only (ARMv6-M ARM C1.8, "DWT register summary"), and 0xE0001004 is reserved. tinysim reads
 * it as 0 and ignores writes [assumption: reserved PPB registers RAZ/WI], and sets
 * TS_CORE_NOTE_NO_CYCCNT so the caller can say so; use SysTick on those cores.
 *
 * SysTick (ARMv7-M ARM B3.3, ARMv6-M ARM B3.3): SYST_CSR 0xE000E010 (ENABLE bit 0, TICKINT bit 1,
 * CLKSOURCE bit 2, COUNTFLAG bit 16), SYST_RVR 0xE000E014 (RELOAD, 24 bits), SYST_CVR
 * 0xE000E018 (CURRENT, 24 bits), SYST_CALIB 0xE000E01C. Modelled: one tick per core cycle
 * (CLKSOURCE reads 1 and ignores writes: CALIB.NOREF = 1, no reference clock, B3.3.3); while
 * enabled, each tick loads RELOAD when CURRENT is 0, else decrements it, and a decrement to 0
 * sets COUNTFLAG; reading SYST_CSR clears COUNTFLAG; any write to SYST_CVR clears CURRENT and
 * COUNTFLAG; RELOAD 0 stops the counter at 0 after its next wrap; enabling counts on from the
 * current value. CALIB reads NOREF = 1, SKEW = 1, TENMS = 0 (not known).
 * NOT modelled: the SysTick exception. With TICKINT set, a count to 0 wakes a WFI (as a pended
 * interrupt does, also with PRIMASK set) but no handler runs (tinysim takes no exceptions), and
 * TS_CORE_NOTE_SYSTICK_IRQ is set so the caller can say so. */
#include <string.h>

#include "core_int.h"

/* Page offsets of the modelled registers (ARMv7-M ARM B3.1, C1.8, C1.6; ARMv6-M ARM B3.1). */
#define DWT_BASE 0xE0001000u
#define SCS_BASE 0xE000E000u
#define SCS_PAGE_BYTES 0x1000u
#define DWT_CTRL 0x000u
#define DWT_CYCCNT 0x004u
#define SYST_CSR 0x010u
#define SYST_RVR 0x014u
#define SYST_CVR 0x018u
#define SYST_CALIB 0x01Cu
#define DEMCR 0xDFCu

#define DEMCR_TRCENA (1u << 24)
#define CTRL_CYCCNTENA 1u
#define CTRL_ID_BITS (1u << 27 | 1u << 26 | 1u << 24) /* NOTRCPKT, NOEXTTRIG, NOPRFCNT */
#define CSR_ENABLE 1u
#define CSR_TICKINT 2u
#define CSR_CLKSOURCE 4u
#define CSR_COUNTFLAG (1u << 16)
#define SYST_MASK 0x00FFFFFFu
#define CALIB_VALUE (1u << 31 | 1u << 30) /* NOREF, SKEW, TENMS = 0 */

/* The clock the counters see: the core's cycle count, kept monotonic across stats resets. */
static uint64_t scs_now(ts_core *c)
{
    return ts_core_now(c) + c->scs.epoch_cycles;
}

static bool is_v6m(const ts_core *c)
{
    return c->t->core == TS_CORE_M0 || c->t->core == TS_CORE_M0PLUS;
}

/* Little-endian scratch access of `size` bytes at off of a page image. */
static uint32_t scratch_read(const uint8_t *page, uint32_t off, unsigned size)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < size && off + i < SCS_PAGE_BYTES; i++)
        v |= (uint32_t)page[off + i] << (8 * i);
    return v;
}

static void scratch_write(uint8_t *page, uint32_t off, unsigned size, uint32_t v)
{
    for (unsigned i = 0; i < size && off + i < SCS_PAGE_BYTES; i++)
        page[off + i] = (uint8_t)(v >> (8 * i));
}

/* ---- DWT cycle counter ---- */

static bool cyccnt_counting(const ts_core *c)
{
    return (c->scs.demcr & DEMCR_TRCENA) && (c->scs.dwt_ctrl & CTRL_CYCCNTENA);
}

static uint32_t cyccnt_at(const ts_core *c, uint64_t now)
{
    const scs_state *s = &c->scs;

    return s->cyc_on ? s->cyc_value + (uint32_t)(now - s->cyc_since) : s->cyc_value;
}

/* Folds the count so far into cyc_value and restarts from now with the current enables. */
static void cyccnt_update(ts_core *c, uint64_t now)
{
    c->scs.cyc_value = cyccnt_at(c, now);
    c->scs.cyc_since = now;
    c->scs.cyc_on = cyccnt_counting(c);
}

static uint32_t dwt_read(void *opaque, uint32_t off, unsigned size)
{
    ts_core *c = opaque;

    if (size != 4 || (off != DWT_CTRL && off != DWT_CYCCNT))
        return scratch_read(c->scs.dwt_page, off, size);
    if (is_v6m(c)) {
        if (off == DWT_CYCCNT)
            c->stats.notes |= TS_CORE_NOTE_NO_CYCCNT;
        return 0;
    }
    if (off == DWT_CTRL)
        return (c->scs.dwt_ctrl & CTRL_CYCCNTENA) | CTRL_ID_BITS;
    return cyccnt_at(c, scs_now(c));
}

static void dwt_write(void *opaque, uint32_t off, unsigned size, uint32_t v)
{
    ts_core *c = opaque;
    uint64_t now;

    if (size != 4 || (off != DWT_CTRL && off != DWT_CYCCNT)) {
        scratch_write(c->scs.dwt_page, off, size, v);
        return;
    }
    if (is_v6m(c))
        return;
    now = scs_now(c);
    cyccnt_update(c, now);
    if (off == DWT_CTRL)
        c->scs.dwt_ctrl = v;
    else
        c->scs.cyc_value = v;
    cyccnt_update(c, now);
}

/* ---- SysTick ---- */

/* Advances SysTick to `now`: CURRENT and COUNTFLAG after the ticks since st_since. Counts to 0
 * happen at tick k = v0 (when v0 > 0) and every RELOAD + 1 ticks after it (when RELOAD > 0). */
static void systick_update(ts_core *c, uint64_t now)
{
    scs_state *s = &c->scs;
    uint64_t k = now - s->st_since, k0, period = (uint64_t)s->st_reload + 1;

    s->st_since = now;
    if (!(s->st_csr & CSR_ENABLE) || k == 0)
        return;
    if (s->st_current > 0 && k < s->st_current) {
        s->st_current -= (uint32_t)k;
        return;
    }
    k0 = k - s->st_current; /* ticks since CURRENT first reached 0 (or since 0) */
    if (s->st_current > 0 || (s->st_reload > 0 && k0 >= period))
        s->st_flag = true;
    s->st_current = s->st_reload == 0 || k0 % period == 0 ? 0 : (uint32_t)(period - k0 % period);
}

static uint32_t systick_read(ts_core *c, uint32_t off)
{
    uint32_t v;

    systick_update(c, scs_now(c));
    switch (off) {
    case SYST_CSR:
        v = (c->scs.st_csr & (CSR_ENABLE | CSR_TICKINT)) | CSR_CLKSOURCE |
            (c->scs.st_flag ? CSR_COUNTFLAG : 0);
        c->scs.st_flag = false; /* COUNTFLAG clears on read */
        return v;
    case SYST_RVR: return c->scs.st_reload;
    case SYST_CVR: return c->scs.st_current;
    default: return CALIB_VALUE;
    }
}

static void systick_write(ts_core *c, uint32_t off, uint32_t v)
{
    systick_update(c, scs_now(c));
    switch (off) {
    case SYST_CSR:
        c->scs.st_csr = v & (CSR_ENABLE | CSR_TICKINT);
        if ((v & (CSR_ENABLE | CSR_TICKINT)) == (CSR_ENABLE | CSR_TICKINT))
            c->stats.notes |= TS_CORE_NOTE_SYSTICK_IRQ;
        return;
    case SYST_RVR: c->scs.st_reload = v & SYST_MASK; return;
    case SYST_CVR: c->scs.st_current = 0, c->scs.st_flag = false; return;
    default: return; /* SYST_CALIB is read-only */
    }
}

static uint32_t sys_read(void *opaque, uint32_t off, unsigned size)
{
    ts_core *c = opaque;

    if (size == 4 && off >= SYST_CSR && off <= SYST_CALIB && !(off & 3u))
        return systick_read(c, off);
    return scratch_read(c->scs.sys_page, off, size);
}

static void sys_write(void *opaque, uint32_t off, unsigned size, uint32_t v)
{
    ts_core *c = opaque;

    if (size == 4 && off >= SYST_CSR && off <= SYST_CALIB && !(off & 3u)) {
        systick_write(c, off, v);
        return;
    }
    scratch_write(c->scs.sys_page, off, size, v);
    if (off <= DEMCR + 3 && off + size > DEMCR) { /* DEMCR.TRCENA gates CYCCNT */
        uint64_t now = scs_now(c);

        cyccnt_update(c, now);
        c->scs.demcr = scratch_read(c->scs.sys_page, DEMCR, 4);
        cyccnt_update(c, now);
    }
}

/* The next count of SysTick to 0 (a pended SysTick interrupt, which wakes WFI) when it is
 * enabled with TICKINT, in ts_core_now's scale; UINT64_MAX when none will come. */
static uint64_t systick_event(void *opaque)
{
    ts_core *c = opaque;
    const scs_state *s = &c->scs;
    uint64_t now, next;

    if ((s->st_csr & (CSR_ENABLE | CSR_TICKINT)) != (CSR_ENABLE | CSR_TICKINT))
        return UINT64_MAX;
    now = scs_now(c);
    systick_update(c, now);
    if (s->st_current > 0)
        next = now + s->st_current;
    else if (s->st_reload > 0)
        next = now + s->st_reload + 1;
    else
        return UINT64_MAX;
    return next - c->scs.epoch_cycles;
}

/* Maps the PPB: the two device pages and scratch memory around them (see the file header). */
ts_status core_scs_map(ts_core *c, ts_err *err)
{
    static const struct {
        uint32_t lo, hi;
    } scratch[] = {{0xE0000000u, DWT_BASE},
                   {DWT_BASE + SCS_PAGE_BYTES, SCS_BASE},
                   {SCS_BASE + SCS_PAGE_BYTES, 0xE0100000u}};
    const ts_core_device dwt = {dwt_read, dwt_write, NULL, c};
    const ts_core_device sys = {sys_read, sys_write, systick_event, c};
    ts_status st = TS_OK;

    for (size_t i = 0; i < sizeof scratch / sizeof scratch[0] && !st; i++)
        st = core_map_scratch(c, scratch[i].lo, scratch[i].hi - scratch[i].lo, err);
    if (!st)
        st = core_map_device(c, &c->scs.dev[0], &dwt, DWT_BASE, SCS_PAGE_BYTES, err);
    if (!st)
        st = core_map_device(c, &c->scs.dev[1], &sys, SCS_BASE, SCS_PAGE_BYTES, err);
    return st;
}

bool core_scs_peek(ts_core *c, uint32_t addr, uint32_t *w)
{
    uint8_t b[4];

    if (addr >= DWT_BASE && addr < DWT_BASE + SCS_PAGE_BYTES) {
        if (addr - DWT_BASE < DWT_CYCCNT + 4)
            return false;
        *w = scratch_read(c->scs.dwt_page, addr - DWT_BASE, 4);
        return true;
    }
    if (addr >= SCS_BASE && addr < SCS_BASE + SCS_PAGE_BYTES) {
        if (addr + 4 > SCS_BASE + SYST_CSR && addr < SCS_BASE + SYST_CALIB + 4)
            return false;
        *w = scratch_read(c->scs.sys_page, addr - SCS_BASE, 4);
        return true;
    }
    if (uc_mem_read(c->uc, addr, b, 4) != UC_ERR_OK)
        return false;
    *w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

/* Keeps the counters' clock running on when the core's cycle count restarts at 0. */
void core_scs_reset_clock(ts_core *c, uint64_t cycles_before)
{
    c->scs.epoch_cycles += cycles_before;
}
