/* core.c: Unicorn set-up for a Cortex-M target, the run loop, the timing hooks (block, flash
 * reads, stores), trap/fault reporting and the counters. Layer: sim/core. Never prints.
 * Flash (and wait-stated or cached: "probed") data loads: exact_mem uses Unicorn memory read hooks; otherwise no
 * read hook is installed (any memory hook sends every guest load and store through Unicorn's
 * slow path) and the block hook replays each block's decoded loads (decode.c) in program order
 * from the block's entry registers (and words the block loads before any store, read from
 * emulated memory at entry), or, for loads whose address only its exit registers give, at the
 * next block hook; loads none of these gives (IT-conditional loads, pointers loaded after a
 * store) get a code hook that records their address. A block that runs again right after
 * itself is only counted in the hook; settle_run accounts the run when it ends (cycles and
 * fetches as n repeats, flash loads as strided streams). The same D-cache model sees the same
 * accesses in the same order as with memory hooks, and the same counts as accounting every
 * block at its hook (per_block); the core "loads" tests check both.
 * ARMv6-M alignment (check_align): the same replay also computes every store's address, and
 * each replayed load and store (or exact_mem's hook) checks its alignment.
 * RAM traffic: on a target with one RAM region without wait states, the remaining data
 * accesses are counted per block from their decoded widths and charged to it (free, and exact
 * for that region); with several (track_ram), their loads and stores are replayed from decode
 * like flash loads and charged to the region holding each address.
 * Hooks observe only, except the semihosting trap (semihost.c). The instruction budget is
 * checked between blocks. Unicorn has no M0+ model: an M0+ target runs on the M0 model (same
 * ARMv6-M ISA) with M0+ timing. The private peripheral bus 0xE0000000-0xE00FFFFF is scratch
 * memory (start-up code that writes SCB registers runs on; those writes have no effect: no
 * interrupts are taken) except the DWT cycle counter and SysTick, which count core cycles
 * (scs.c). */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core_int.h"

#define PPB_BASE 0xE0000000u /* private peripheral bus: DWT, SysTick, SCB (scs.c) */
#define PPB_END 0xE0100000u
#define RUN_UNTIL (TS_CORE_RESET_LR & ~1u) /* never a real PC: a run ends by a trap, or here
                                              when the reset handler returns */
#define QEMU_EXCP_EXCEPTION_EXIT 8u /* QEMU's EXCP_EXCEPTION_EXIT: a branch to 0xFFFFFFxx */
#define CALL_RETURN 0xFFFFFFF0u /* LR for ts_core_call; emulation stops when PC reaches it */

/* ORDER ts_core_kind (target.h) */
static const struct {
    int uc_model;
    const char *name;
} core_models[TS_N_CORE_KIND] = {
    {UC_CPU_ARM_CORTEX_M0, "cortex-m0"}, /* M0+: no Unicorn model, same ISA as M0 */
    {UC_CPU_ARM_CORTEX_M0, "cortex-m0"},  {UC_CPU_ARM_CORTEX_M3, "cortex-m3"},
    {UC_CPU_ARM_CORTEX_M4, "cortex-m4"},  {UC_CPU_ARM_CORTEX_M7, "cortex-m7"},
    {UC_CPU_ARM_CORTEX_M33, "cortex-m33"},
};

static const int uc_regs[16] = {
    UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5,
    UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
    UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC};

#define HOT_INLINE static inline __attribute__((always_inline)) /* GCC/Clang */

/* One data load of `size` bytes at addr, as the flash read hook of exact_mem sees it: counted
 * and timed when addr lies in a flash, wait-stated or cached region, ignored otherwise. */
HOT_INLINE void account_load(ts_core *c, uint32_t addr, uint32_t size)
{
    for (unsigned i = 0; i < c->n_lregions; i++) {
        ts_mem_region *r = c->lregion[i];

        if (addr >= r->base && addr < r->end) {
            uint32_t stall = ts_mem_load_inline(r, addr, size);

            c->hooked_loads++;
            c->hooked_load_bytes += size;
            c->stats.cycles += stall;
            c->stats.mem_stall_cycles += stall;
            return;
        }
    }
}

/* Unicorn 2.0.1 (QEMU load_helper) splits an access that crosses a 1 KB guest page into two
 * aligned accesses of the same size, and its read hook sees all three: the access itself, then
 * the two halves. Replicated so the counts match the memory hooks of exact_mem. */
#define UC_PAGE_BYTES 1024u

HOT_INLINE void account_access(ts_core *c, uint32_t addr, uint32_t size)
{
    account_load(c, addr, size);
    if (size > 1 && (addr & (UC_PAGE_BYTES - 1)) + size > UC_PAGE_BYTES) {
        uint32_t a1 = addr & ~(size - 1);

        account_load(c, a1, size);
        account_load(c, a1 + size, size);
    }
}

/* One data store of `size` bytes at addr, as the write hook of exact_mem sees it: counted in
 * the RAM region holding addr (track_ram; these regions are not probed: no wait states, no
 * cache), ignored elsewhere (probed regions have their own write hook). */
HOT_INLINE void account_store(ts_core *c, uint32_t addr, uint32_t size)
{
    for (unsigned i = 0; i < c->n_sregions; i++) {
        ts_mem_region *r = c->sregion[i];

        if (addr >= r->base && addr < r->end) {
            ts_mem_store(r, addr, size);
            c->hooked_stores++;
            c->hooked_store_bytes += size;
            return;
        }
    }
}

/* Records the first unaligned access (check_align) and stops the emulation: ARMv6-M has no
 * unaligned access; a halfword or word access (LDR/STR/LDRH/STRH, LDM/STM) at an address that is
 * not a multiple of its size takes a HardFault (ARMv6-M ARM, DDI 0419, A3.2 "Alignment
 * support"; Cortex-M0+ Generic User Guide, DUI 0662, 3.3.5 "Address alignment"). */
static __attribute__((noinline, cold)) void unaligned(ts_core *c, uint32_t pc, uint32_t addr,
                                                      unsigned bytes, bool store)
{
    if (!c->align_fault) {
        c->align_fault = true;
        c->align_pc = pc;
        c->align_addr = addr;
        c->align_bytes = (uint8_t)bytes;
        c->align_store = store;
    }
    uc_emu_stop(c->uc);
}

/* The accesses of one load (or tracked store) instruction whose first access is at addr. */
HOT_INLINE void account_op(ts_core *c, const load_op *op, uint32_t addr)
{
    if (c->check_align && (addr & (op->bytes - 1u)) && op->bytes > 1) {
        unaligned(c, op->pc, addr, op->bytes, op->is_store);
        return;
    }
    if (op->is_store) {
        for (unsigned k = 0; k < op->n_acc; k++)
            account_store(c, addr + k * op->step, op->bytes); /* (no page split: exact_mem's
                                                                 write hook sees one access) */
        return;
    }
    account_access(c, addr, op->bytes);
    for (unsigned k = 1; k < op->n_acc; k++)
        account_access(c, addr + k * op->step, op->bytes);
}

/* Address of the first access of load op `op` with registers v. */
HOT_INLINE uint32_t op_addr(const load_op *op, const uint32_t *v)
{
    return v[op->tb] + (uint32_t)op->toff + ((v[op->ti] + (uint32_t)op->tioff) << op->shift);
}

/* The little-endian word at addr in emulated memory, as the pointer load reads it: from the
 * target's regions directly, from the scratch registers of the private peripheral bus, else (a
 * word across two regions) through Unicorn; false when unmapped (the pointer load faults) or a
 * device register (its reads have effects). */
static bool peek_word(ts_core *c, uint32_t addr, uint32_t *w)
{
    ts_mem_region *r = c->peek_region;
    uint8_t b[4];
    const uint8_t *p;

    if (!r || addr < r->base || (uint64_t)addr + 4 > r->end) {
        int i = ts_mem_find(c->mem, addr);

        r = i >= 0 ? ts_mem_region_at(c->mem, (unsigned)i) : NULL;
        if (r && r->cfg->kind == TS_MEM_MMIO)
            return false;
        if (!r && addr >= PPB_BASE && addr <= PPB_END - 4)
            return core_scs_peek(c, addr, w);
        if (!r || (uint64_t)addr + 4 > r->end) {
            if (uc_mem_read(c->uc, addr, b, 4) != UC_ERR_OK)
                return false;
            *w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                 (uint32_t)b[3] << 24;
            return true;
        }
        c->peek_region = r;
    }
    p = r->host + (addr - r->base);
    *w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return true;
}

/* Address of the first access of tracked load op `op` from entry registers v, reading the
 * pointers of its indirect terms from memory (valid at block entry, and while the block has
 * made no store); false when a pointer is unreadable. */
HOT_INLINE bool op_entry_addr(ts_core *c, const load_op *op, const uint32_t *v, uint32_t *a)
{
    uint32_t base = v[op->tb], index = v[op->ti];

    if (op->ind) {
        if ((op->ind & IND_BASE) && !peek_word(c, base + (uint32_t)op->tbi, &base))
            return false;
        if ((op->ind & IND_INDEX) && !peek_word(c, index + (uint32_t)op->tii, &index))
            return false;
    }
    *a = base + (uint32_t)op->toff + ((index + (uint32_t)op->tioff) << op->shift);
    return true;
}

static void read_regs(ts_core *c, const uint8_t *regs, unsigned n, uint32_t *v)
{
    int ids[15];
    void *ptrs[15];

    for (unsigned i = 0; i < n; i++) {
        ids[i] = uc_regs[regs[i]];
        ptrs[i] = &v[regs[i]];
    }
    uc_reg_read_batch(c->uc, ids, ptrs, (int)n);
}

/* Accounts the loads of the pending block (executed, some load addresses known from its exit
 * registers, which are the current ones), in program order. */
static void flush_pending(ts_core *c)
{
    const core_block *b = c->pending;

    c->pending = NULL;
    read_regs(c, b->xreg, b->n_xregs, c->xregs);
    for (uint32_t i = 0; i < b->n_lops; i++) {
        const load_op *op = &b->lops[i];
        const uint32_t *v = op->form == LF_EXIT ? c->xregs : c->regs;

        if (op->form == LF_HOOK || op->ind) {
            /* recorded in this run of b by the code hook (an IT-skipped load is not), or
             * resolved at its entry (indirect) */
            if (i < c->cap_hook_ops && c->hook_seq[i] == c->block_seq)
                account_op(c, op, c->hook_addr[i]);
            continue;
        }
        account_op(c, op, op_addr(op, v));
    }
}

/* Accounts the loads of tracked block b from its entry registers: read once, or derived from
 * the previous run of b when b runs again right after itself (again) and its exit values are
 * known. */
static void replay_loads(ts_core *c, core_block *b, bool again)
{
    uint32_t *v = c->regs;

    if (b->needs_exit || b->hooked) {
        read_regs(c, b->ureg, b->n_uregs, v);
        for (uint32_t i = 0; i < b->n_lops && b->has_ind; i++) {
            /* indirect pointers are read now, before the block's stores can change them */
            const load_op *op = &b->lops[i];

            if (op->form == LF_ENTRY && op->ind && i < c->cap_hook_ops &&
                op_entry_addr(c, op, v, &c->hook_addr[i]))
                c->hook_seq[i] = c->block_seq;
        }
        c->regs_valid = false;
        c->pending = b;
        return;
    }

    if (again && c->regs_valid) {
        if (b->self_chain) {
            for (unsigned i = 0; i < b->n_uregs; i++)
                v[b->ureg[i]] += (uint32_t)b->udelta[i];
        } else {
            uint32_t old[16];

            memcpy(old, v, sizeof old);
            for (unsigned i = 0; i < b->n_uregs; i++)
                v[b->ureg[i]] = old[b->usrc[i]] + (uint32_t)b->udelta[i];
        }
    } else if (b->n_uregs) {
        read_regs(c, b->ureg, b->n_uregs, v);
    }
    for (uint32_t i = 0; i < b->n_lops; i++) {
        const load_op *op = &b->lops[i];
        uint32_t a;

        if (op_entry_addr(c, op, v, &a))
            account_op(c, op, a);
    }
    c->regs_valid = b->chain;
}

/* Code hook on the untracked loads of a hooked block: records the address from the registers
 * before the load runs (flush_pending accounts it in program order). Loads skipped by a failed
 * IT condition are not reported by Unicorn, and are not counted. */
static void on_load_insn(uc_engine *uc, uint64_t address, uint32_t size, void *opaque)
{
    ts_core *c = opaque;
    const core_block *b = c->last_block;

    (void)size;
    if (!b || !b->hooked)
        return;
    for (uint32_t i = 0; i < b->n_lops; i++) {
        const load_op *op = &b->lops[i];
        uint32_t base = 0, index = 0;

        if (op->pc != (uint32_t)address || op->form != LF_HOOK)
            continue;
        if (op->hb != LR_NONE)
            uc_reg_read(uc, uc_regs[op->hb], &base);
        if (op->hi != LR_NONE)
            uc_reg_read(uc, uc_regs[op->hi], &index);
        c->hook_addr[i] = base + (uint32_t)op->off + (index << op->shift);
        c->hook_seq[i] = c->block_seq;
    }
}

/* Room for n load ops in hook_addr/hook_seq; false when out of memory. */
static bool ensure_op_slots(ts_core *c, uint32_t n)
{
    uint32_t *a;
    uint64_t *q;

    if (n <= c->cap_hook_ops)
        return true;
    a = ts_realloc(c->hook_addr, n * sizeof *a);
    if (a)
        c->hook_addr = a;
    q = a ? ts_realloc(c->hook_seq, n * sizeof *q) : NULL;
    if (!q)
        return false;
    c->hook_seq = q;
    for (uint32_t i = c->cap_hook_ops; i < n; i++)
        c->hook_seq[i] = UINT64_MAX;
    c->cap_hook_ops = n;
    return true;
}

/* Adds one code hook over the untracked loads of block b; true when added, false (with *failed
 * set on an error) when not needed or on failure. */
static bool hook_loads(ts_core *c, core_block *b, bool *failed)
{
    uint32_t lo = UINT32_MAX, hi = 0;
    uc_hook h;

    for (uint32_t i = 0; i < b->n_lops; i++) {
        if (b->lops[i].form != LF_HOOK)
            continue;
        lo = b->lops[i].pc < lo ? b->lops[i].pc : lo;
        hi = b->lops[i].pc > hi ? b->lops[i].pc : hi;
    }
    /* one hook over the block's loads (Unicorn walks every code hook on each hooked
     * instruction, so few hooks beat one per load); ranges already hooked need none */
    for (size_t j = 0; j < c->hooked_pcs.n; j += 2)
        if (c->hooked_pcs.v[j] <= lo && hi <= c->hooked_pcs.v[j + 1])
            return false;
    if (!addr_list_push(&c->hooked_pcs, lo) || !addr_list_push(&c->hooked_pcs, hi) ||
        uc_hook_add(c->uc, &h, UC_HOOK_CODE, (void *)on_load_insn, c, lo, hi) != UC_ERR_OK)
        return *failed = true, false;
    return true;
}

/* First run of block b: adds the code hooks it needs (its untracked loads, its divides) and
 * drops Unicorn's translation of it so the next run is retranslated with them. True when
 * hooks were added: the caller stops before b runs and run_until restarts at b. */
static bool add_block_hooks(ts_core *c, core_block *b, bool *failed)
{
    bool added = false;

    b->hooks_added = true;
    if (c->track_loads && (b->hooked || b->has_ind) && !ensure_op_slots(c, b->n_lops))
        return *failed = true, false;
    if (c->track_loads && b->hooked)
        added = hook_loads(c, b, failed);
    if (b->n_divs && core_hook_block_divs(c, b, failed))
        added = true;
    if (added)
        uc_ctl_remove_cache(c->uc, b->addr, (uint64_t)b->addr + b->size);
    return added;
}

/* The one region of list (n entries) holding all of [lo, hi), NULL when none of them meets
 * it; sets *mixed when the span meets one of them without lying inside it. */
static ts_mem_region *span_region(ts_mem_region *const *list, unsigned n, int64_t lo,
                                  int64_t hi, bool *mixed)
{
    for (unsigned i = 0; i < n; i++) {
        ts_mem_region *r = list[i];

        if (hi <= (int64_t)r->base || lo >= (int64_t)r->end)
            continue;
        if (lo >= (int64_t)r->base && hi <= (int64_t)r->end)
            return r;
        *mixed = true;
    }
    return NULL;
}

/* One load (or store) op of a deferred run as a stream: its first address, its stride per
 * repeat and the counted region it stays in (NULL: none). False when it cannot be counted as a
 * stream: indirect, near the ends of the address space or of a region, unaligned. */
typedef struct op_stream {
    ts_mem_region *r;
    uint32_t a1;
    int64_t stride;
} op_stream;

static bool stream_of(const ts_core *c, const load_op *op, const uint32_t *v, const uint32_t *d,
                      uint64_t reps, op_stream *s)
{
    bool mixed = false;
    int64_t last, lo, hi;

    s->a1 = op_addr(op, v);
    s->stride = (int32_t)(d[op->tb] + (d[op->ti] << op->shift));
    if (op->ind || reps > ((uint64_t)1 << 32)) /* (reps - 1) * stride could overflow below */
        return false; /* indirect: the pointers vary; read per repeat */
    last = (int64_t)s->a1 + (int64_t)(reps - 1) * s->stride;
    lo = (s->stride < 0 ? last : s->a1) - op->bytes; /* margins: page-split halves */
    hi = (s->stride < 0 ? s->a1 : last) + (int64_t)(op->n_acc - 1) * op->step + 2 * op->bytes;
    if (lo < 0 || hi > (int64_t)UINT32_MAX + 1)
        return false;
    s->r = op->is_store ? span_region(c->sregion, c->n_sregions, lo, hi, &mixed)
                        : span_region(c->lregion, c->n_lregions, lo, hi, &mixed);
    return !mixed && ((!s->r && !c->check_align) || op->bytes <= 1 ||
                      (s->a1 % op->bytes == 0 && (uint64_t)s->stride % op->bytes == 0 &&
                       op->step % op->bytes == 0));
}

/* A region whose D-cache state makes the order of its loads matter. */
static bool ordered_region(const ts_mem_region *r)
{
    return r->probed && r->dcache.n_sets;
}

/* Can every op of b be counted as a stream over reps repeats? At most one stream per region
 * whose order matters, and those streams of single accesses. */
static bool streams_ok(ts_core *c, const core_block *b, const uint32_t *v, const uint32_t *d,
                       uint64_t reps)
{
    unsigned ordered = 0; /* bit per region index */

    for (uint32_t i = 0; i < b->n_lops; i++) {
        const load_op *op = &b->lops[i];
        op_stream s;
        unsigned bit;

        if (!stream_of(c, op, v, d, reps, &s))
            return false;
        if (!s.r || op->is_store || !ordered_region(s.r))
            continue;
        bit = 1u << (s.r - ts_mem_region_at(c->mem, 0));
        if (op->n_acc != 1 || (ordered & bit))
            return false;
        ordered |= bit;
    }
    return true;
}

/* Accounts the loads (and tracked stores) of repeats 1..reps of self-chained block b, whose
 * repeat k enters with regs[] + k * udelta. When streams_ok, each op that reaches a counted
 * region is counted in one step (ts_mem_load_stream: per D-cache line, exactly as access by
 * access; regions without D-cache state: order and addresses do not matter). Otherwise access
 * by access in program order, as replay_loads would. */
static void settle_loads(ts_core *c, const core_block *b, uint64_t reps)
{
    uint32_t d[16] = {0}, v[16];

    for (unsigned i = 0; i < b->n_uregs; i++)
        d[b->ureg[i]] = (uint32_t)b->udelta[i];
    for (unsigned r = 0; r < 16; r++)
        v[r] = c->regs[r] + d[r];
    if (streams_ok(c, b, v, d, reps)) {
        for (uint32_t i = 0; i < b->n_lops; i++) {
            const load_op *op = &b->lops[i];
            uint64_t n = reps * op->n_acc, stall;
            op_stream s;

            stream_of(c, op, v, d, reps, &s);
            if (!s.r)
                continue;
            if (op->is_store) {
                stall = ts_mem_store_n(s.r, n, op->bytes);
                c->hooked_stores += n;
                c->hooked_store_bytes += n * op->bytes;
            } else {
                stall = ts_mem_load_stream(s.r, s.a1, ordered_region(s.r) ? s.stride : 0, n,
                                           op->bytes);
                c->hooked_loads += n;
                c->hooked_load_bytes += n * op->bytes;
            }
            c->stats.cycles += stall;
            c->stats.mem_stall_cycles += stall;
        }
        return;
    }
    for (uint64_t k = 0; k < reps; k++) {
        for (uint32_t i = 0; i < b->n_lops; i++) {
            uint32_t a;

            if (op_entry_addr(c, &b->lops[i], v, &a))
                account_op(c, &b->lops[i], a);
        }
        for (unsigned r = 0; r < 16; r++)
            v[r] += d[r];
    }
}

/* Ends the running self-repeat run: accounts its deferred repeats in one step. */
static void settle_run(ts_core *c)
{
    core_block *b = c->run_block;
    uint64_t n = c->run_reps;

    c->run_block = NULL;
    c->run_reps = 0;
    if (!n)
        return;
    c->regs_valid = false; /* regs[] hold the entry values of the run's first repeat */
    b->n_exec += n;
    c->stats.cycles += n * b->rep_cycles;
    c->stats.mem_stall_cycles += n * b->rep_fetch.stall_cycles;
    c->stats.taken_branches += n;
    ts_mem_fetch_repeat(b->region, &b->rep_fetch, n);
    if (c->track_loads && b->n_lops)
        settle_loads(c, b, n);
}

/* Can the repeats of b that follow this one be deferred (settle_run)? Its loads, if replayed,
 * must follow from the entry registers alone, and those change by constants each repeat. */
static bool can_defer(const ts_core *c, const core_block *b)
{
    if (b->hooked || b->needs_exit || (b->has_ind && b->n_stores))
        return false; /* (memory the indirect pointers come from does not change in the run) */
    return !c->track_loads || !b->n_lops || (b->self_chain && c->regs_valid);
}

/* Data traffic of the executed blocks from their decoded widths (static count), into c; with
 * s, also the class histogram and block count. */
static void count_static(ts_core *c, ts_core_stats *s)
{
    c->static_loads = c->static_load_bytes = c->static_stores = c->static_store_bytes = 0;
    for (size_t i = 0; i < c->n_slots; i++) {
        const core_block *b = c->slots[i];

        if (!b || !b->n_exec)
            continue;
        if (s) {
            for (uint32_t j = 0; j < b->n_insns; j++)
                s->class_insns[b->classes[j]] += b->n_exec;
            s->blocks += b->n_exec;
        }
        c->static_loads += b->n_exec * b->n_loads;
        c->static_load_bytes += b->n_exec * b->load_bytes;
        c->static_stores += b->n_exec * b->n_stores;
        c->static_store_bytes += b->n_exec * b->store_bytes;
    }
}

/* Adds the static traffic since the stack last changed region (fast_done) to counters r. */
static void fold_fast(const ts_core *c, ts_mem_counters *r)
{
    const ts_mem_counters *d = &c->fast_done;

    r->read_accesses += c->static_loads - d->read_accesses;
    r->read_bytes += c->static_load_bytes - d->read_bytes;
    r->write_accesses += c->static_stores - d->write_accesses;
    r->write_bytes += c->static_store_bytes - d->write_bytes;
}

/* Sets the region that receives the statically counted (unhooked) data traffic: the one
 * holding the stack pointer, else the first SRAM/TCM region. With fast_mem, also called after
 * each block that may move the stack (moves_sp): the traffic so far stays with the region the
 * stack was in, the rest goes to the new one (exact_mem charges each access where it lands). */
static void pick_data_region(ts_core *c)
{
    ts_mem_region *old = c->data_region;
    uint32_t sp = 0;
    int ri;

    uc_reg_read(c->uc, UC_ARM_REG_SP, &sp);
    ri = ts_mem_find(c->mem, sp ? sp - 1 : 0);
    for (unsigned i = 0; ri < 0 && i < ts_mem_n_regions(c->mem); i++)
        if (ts_mem_region_at(c->mem, i)->cfg->kind != TS_MEM_FLASH)
            ri = (int)i;
    c->data_region = ri >= 0 ? ts_mem_region_at(c->mem, (unsigned)ri) : NULL;
    if (c->cfg.fast_mem && old && old != c->data_region) {
        count_static(c, NULL);
        fold_fast(c, &c->fast_acc[old - ts_mem_region_at(c->mem, 0)]);
        c->fast_done = (ts_mem_counters){.read_accesses = c->static_loads,
                                         .read_bytes = c->static_load_bytes,
                                         .write_accesses = c->static_stores,
                                         .write_bytes = c->static_store_bytes};
    }
}

/* Did the branch that ended the last block (condition next_cc, its Capstone code) branch,
 * given that the next block starts at its fall-through? Unconditional: yes. Conditional: when
 * the flags (unchanged by the branch) pass the condition (ARMv7-M ARM A7.3.1). */
static bool branched_to_next(ts_core *c)
{
    uint32_t psr = 0;
    bool n, z, cf, v, pass;
    unsigned cond;

    if (c->next_cc == ARM_CC_AL)
        return true;
    uc_reg_read(c->uc, UC_ARM_REG_XPSR, &psr);
    n = psr >> 31 & 1u, z = psr >> 30 & 1u, cf = psr >> 29 & 1u, v = psr >> 28 & 1u;
    cond = (unsigned)c->next_cc - ARM_CC_EQ; /* 0 = EQ ... 13 = LE, the encoding's cond */
    switch (cond >> 1) {
    case 0: pass = z; break;
    case 1: pass = cf; break;
    case 2: pass = n; break;
    case 3: pass = v; break;
    case 4: pass = cf && !z; break;
    case 5: pass = n == v; break;
    case 6: pass = !z && n == v; break;
    default: return true;
    }
    return (cond & 1u) ? !pass : pass;
}

static void budget_trap(ts_core *c, uint32_t addr, trap_kind kind)
{
    c->pending = NULL; /* the block will not run */
    c->trap = kind;
    c->trap_pc = addr;
    uc_emu_stop(c->uc);
}

/* The instruction count at which check_limits runs next: every poll_insns, sooner
 * when the cycle limit is near (left / 8 instructions: few blocks past it unless the code
 * averages more than 8 cycles per instruction), at the latest at the instruction budget. */
static uint64_t next_check(const ts_core *c)
{
    uint64_t next = c->stats.insns + c->cfg.poll_insns;

    if (c->cycle_end != UINT64_MAX) {
        uint64_t left = c->cycle_end > c->stats.cycles ? c->cycle_end - c->stats.cycles : 0;
        uint64_t soon = c->stats.insns + left / 8;

        next = soon < next ? soon : next;
    }
    return next < c->insn_end ? next : c->insn_end;
}

/* Between blocks, when stats.insns passed budget_end (the block at addr is about to run):
 * stops at the instruction budget, the cycle limit or the poll's request; else sets the next
 * check. Settles a deferred run first, so the cycles are exact. */
static void check_limits(ts_core *c, uint32_t addr)
{
    const char *msg;

    if (c->run_block)
        settle_run(c);
    if (c->stats.insns > c->insn_end) {
        budget_trap(c, addr, TRAP_BUDGET);
    } else if (c->stats.cycles > c->cycle_end) {
        budget_trap(c, addr, TRAP_CYCLES);
    } else if (c->cfg.poll &&
               (msg = c->cfg.poll(c->cfg.poll_opaque, c->stats.cycles, c->stats.insns))) {
        snprintf(c->device_msg, sizeof c->device_msg, "%s", msg);
        budget_trap(c, addr, TRAP_DEVICE);
    } else {
        c->budget_end = next_check(c);
    }
}

/* The hot path: one call per executed translation block. A block that runs again right after
 * itself only counts the repeat here (run_reps); settle_run accounts the run when it ends. */
static void on_block(uc_engine *uc, uint64_t address, uint32_t size, void *opaque)
{
    ts_core *c = opaque;
    uint32_t addr = (uint32_t)address, stall;
    core_block *b = c->run_block;
    ts_mem_counters before;
    bool again;

    if (b && b->addr == addr && b->size == size) {
        c->run_reps++;
        c->stats.insns += b->n_insns;
        if (c->stats.insns > c->budget_end)
            check_limits(c, addr);
        return;
    }
    if (b)
        settle_run(c);
    if (c->pending)
        flush_pending(c);
    c->block_seq++;
    b = c->last_block;
    if (c->cfg.fast_mem && b && b->moves_sp)
        pick_data_region(c); /* the stack may have changed region */
    if (!b || b->addr != addr || b->size != size) {
        core_block *p = b;

        if (p && p->succ[0] && p->succ[0]->addr == addr && p->succ[0]->size == size) {
            b = p->succ[0];
        } else if (p && p->succ[1] && p->succ[1]->addr == addr && p->succ[1]->size == size) {
            b = p->succ[1];
        } else {
            b = core_block_get(c, addr, size);
            if (!b) {
                uc_emu_stop(uc);
                return;
            }
            if (p) {
                p->succ[1] = p->succ[0];
                p->succ[0] = b;
            }
        }
    }
    again = b == c->last_block;
    if (!b->hooks_added) {
        bool failed = false;

        if (add_block_hooks(c, b, &failed) || failed) {
            c->regs_valid = false;
            c->restart = !failed;
            if (failed) { /* reported as "out of memory" at this block */
                c->trap = TRAP_FAULT;
                c->trap_pc = addr;
            }
            uc_emu_stop(uc);
            return;
        }
    }
    if (c->track_loads && b->n_lops) {
        replay_loads(c, b, again);
    } else {
        c->regs_valid = false;
    }
    b->n_exec++;
    c->stats.cycles += b->cycles;
    c->stats.insns += b->n_insns;
    if (addr != c->next_pc || (c->next_cc && branched_to_next(c))) {
        c->stats.taken_branches++;
        c->stats.cycles += c->t->branch_refill_cycles;
    }
    c->next_pc = addr + size;
    c->next_cc = b->exit_cc;
    if (again && !b->rep_known)
        before = b->region->n;
    /* a block executed again right after itself finds its lines in the I-cache, all hits, when
     * they fit: consecutive lines spread over the sets, at most ceil(lines / sets) per set */
    if (again && b->refetch_hits && !c->cfg.per_block)
        stall = ts_mem_refetch(b->region, size, b->n_fetch_acc, b->n_lines);
    else
        stall = ts_mem_fetch_block(b->region, addr, size, b->n_fetch_acc);
    c->stats.cycles += stall;
    c->stats.mem_stall_cycles += stall;
    c->last_block = b;
    if (again && !c->cfg.per_block && can_defer(c, b)) {
        /* every later repeat fetches, stalls and costs the same as this one */
        if (!b->rep_known) {
            b->rep_fetch = ts_mem_fetch_delta_since(b->region, &before);
            b->rep_cycles = b->cycles + c->t->branch_refill_cycles + stall;
            b->rep_known = true;
        }
        c->run_block = b;
    }
    if (c->stats.insns > c->budget_end)
        check_limits(c, addr); /* (a run deferred from here has no repeats yet) */
}

/* Exact-memory hook for loads and stores (registered for both hook types): charges the
 * region's wait states and counts the access. */
static void on_access(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
                      int64_t value, void *opaque)
{
    ts_core *c = opaque;
    int ri = ts_mem_find(c->mem, address);
    ts_mem_region *reg;
    uint32_t stall;

    (void)uc, (void)value;
    if (c->check_align && size > 1 && (address & (uint64_t)(size - 1)) && c->last_block)
        unaligned(c, core_fault_pc(c, c->last_block->addr, c->last_block->size,
                                   (uint32_t)address), (uint32_t)address, (unsigned)size,
                  type == UC_MEM_WRITE);
    if (ri < 0)
        return;
    reg = ts_mem_region_at(c->mem, (unsigned)ri);
    if (type == UC_MEM_WRITE) {
        stall = ts_mem_store(reg, (uint32_t)address, (uint32_t)size);
        c->hooked_stores++;
        c->hooked_store_bytes += (uint64_t)size;
    } else {
        stall = ts_mem_load(reg, (uint32_t)address, (uint32_t)size);
        c->hooked_loads++;
        c->hooked_load_bytes += (uint64_t)size;
    }
    c->stats.cycles += stall;
    c->stats.mem_stall_cycles += stall;
}

/* Any exception (intno: QEMU EXCP_*; 7 = BKPT): stop and let the run loop decide. */
static void on_intr(uc_engine *uc, uint32_t intno, void *opaque)
{
    ts_core *c = opaque;

    uc_reg_read(uc, UC_ARM_REG_PC, &c->trap_pc);
    c->trap = intno == 7 ? TRAP_BKPT : TRAP_EXCEPTION;
    c->trap_intno = intno;
    uc_emu_stop(uc);
}

static bool on_bad_access(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
                          int64_t value, void *opaque)
{
    ts_core *c = opaque;

    (void)uc, (void)value;
    c->fault_type = (int)type;
    c->fault_addr = (uint32_t)address;
    c->fault_size = (uint32_t)size;
    c->trap = TRAP_FAULT; /* PC is read after uc_emu_start returns: only then is it exact */
    return false;
}

static ts_status uc_check(ts_core *c, uc_err e, const char *what, ts_err *err)
{
    if (e == UC_ERR_OK)
        return TS_OK;
    return ts_err_set(err, TS_ERR_EMU, "%s: %s failed (%s, %s)", c->label, what,
                      core_models[c->t->core].name, uc_strerror(e));
}

/* Every region but mmio ones (mapped when a device attaches), and the system control space. */
static ts_status map_regions(ts_core *c, ts_err *err)
{
    ts_status st = TS_OK;

    for (unsigned i = 0; i < ts_mem_n_regions(c->mem) && !st; i++) {
        ts_mem_region *r = ts_mem_region_at(c->mem, i);
        uint32_t prot = r->cfg->kind == TS_MEM_FLASH ? UC_PROT_READ | UC_PROT_EXEC : UC_PROT_ALL;

        if (r->cfg->kind == TS_MEM_MMIO)
            continue;
        st = uc_check(c, uc_mem_map_ptr(c->uc, r->base, (size_t)r->cfg->size_bytes, prot, r->host),
                      "mapping a memory region", err);
    }
    if (!st && ts_mem_find(c->mem, PPB_BASE) < 0 && ts_mem_find(c->mem, PPB_END - 1) < 0)
        st = core_scs_map(c, err);
    return st;
}

ts_status core_map_scratch(ts_core *c, uint32_t base, uint32_t bytes, ts_err *err)
{
    return uc_check(c, uc_mem_map(c->uc, base, bytes, UC_PROT_READ | UC_PROT_WRITE),
                    "mapping the system control space", err);
}

static ts_status add_hook(ts_core *c, uc_hook *h, int type, void *fn, uint64_t begin,
                          uint64_t end, ts_err *err)
{
    return uc_check(c, uc_hook_add(c->uc, h, type, fn, c, begin, end), "adding a hook", err);
}

static bool is_ram(const ts_mem_region *r)
{
    return r->cfg->kind == TS_MEM_SRAM || r->cfg->kind == TS_MEM_TCM;
}

/* RAM regions without wait states: their traffic needs no timing, only the right region. */
static unsigned n_plain_ram(ts_mem *m)
{
    unsigned n = 0;

    for (unsigned i = 0; i < ts_mem_n_regions(m); i++)
        n += is_ram(ts_mem_region_at(m, i)) && !ts_mem_region_at(m, i)->probed;
    return n;
}

/* Memory hooks: loads from flash (or probed: wait-stated or cached) regions always; everything
 * in exact_mem. A target with one RAM region not probed gets all other data traffic counted there
 * statically (attribute_static: exact, and free); with several (track_ram), their loads and
 * stores are replayed from decode by address like flash loads, so each is charged to the
 * region it touched. */
static ts_status add_mem_hooks(ts_core *c, ts_err *err)
{
    ts_status st = TS_OK;
    uc_hook h;

    c->track_loads = !c->cfg.exact_mem && !c->cfg.fast_mem;
    c->track_ram = c->track_loads && n_plain_ram(c->mem) > 1;
    c->check_align = !c->cfg.fast_mem &&
                     (c->t->core == TS_CORE_M0 || c->t->core == TS_CORE_M0PLUS);
    for (unsigned i = 0; i < ts_mem_n_regions(c->mem) && !st && !c->cfg.fast_mem; i++) {
        ts_mem_region *r = ts_mem_region_at(c->mem, i);

        if (c->cfg.exact_mem)
            st = add_hook(c, &h, UC_HOOK_MEM_READ, (void *)on_access, r->base, r->end - 1, err);
        else if (r->cfg->kind == TS_MEM_FLASH || r->probed || c->track_ram)
            c->lregion[c->n_lregions++] = r; /* loads replayed from decode (on_block) */
        if (c->track_ram && !r->probed && is_ram(r))
            c->sregion[c->n_sregions++] = r; /* stores replayed from decode */
        /* flash is mapped read-only: a store to it faults, so it needs no write hook (and any
         * memory hook sends every guest load and store through Unicorn's slow path) */
        if (!st && (c->cfg.exact_mem || (r->probed && r->cfg->kind != TS_MEM_FLASH)))
            st = add_hook(c, &h, UC_HOOK_MEM_WRITE, (void *)on_access, r->base, r->end - 1, err);
    }
    return st;
}

static ts_status add_hooks(ts_core *c, ts_err *err)
{
    ts_status st;

    st = add_hook(c, &c->h_intr, UC_HOOK_INTR, (void *)on_intr, 1, 0, err);
    if (!st)
        st = add_hook(c, &c->h_unmapped, UC_HOOK_MEM_UNMAPPED, (void *)on_bad_access, 1, 0, err);
    if (!st)
        st = add_hook(c, &c->h_prot, UC_HOOK_MEM_PROT, (void *)on_bad_access, 1, 0, err);
    if (st || c->cfg.bare)
        return st;
    st = add_hook(c, &c->h_block, UC_HOOK_BLOCK, (void *)on_block, 1, 0, err);
    if (!st)
        st = add_mem_hooks(c, err);
    return st;
}

ts_status ts_core_open(const ts_target *t, const ts_core_config *cfg, ts_core **out, ts_err *err)
{
    ts_core *c = ts_calloc(1, sizeof *c);
    ts_status st;

    assert(t && out);
    *out = NULL;
    if (!c)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory (core)", t->name);
    c->t = t;
    if (cfg)
        c->cfg = *cfg;
    if (!c->cfg.max_insns)
        c->cfg.max_insns = TS_CORE_DEFAULT_MAX_INSNS;
    if (!c->cfg.poll_insns)
        c->cfg.poll_insns = TS_CORE_POLL_INSNS;
    c->label = c->cfg.program ? c->cfg.program : t->name;
    if (t->cycles[TS_OP_div].present) {
        c->div_cost_min = t->cycles[TS_OP_div].min_cycles;
        c->div_cost_max = t->cycles[TS_OP_div].max_cycles;
    }
    if ((st = ts_mem_open(t, &c->mem, err)) || (st = core_decode_open(c, err)))
        goto out_close;
    st = uc_check(c, uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &c->uc), "uc_open", err);
    if (!st)
        st = uc_check(c, uc_ctl_set_cpu_model(c->uc, core_models[t->core].uc_model),
                      "selecting the CPU model", err);
    if (!st)
        st = map_regions(c, err);
    if (!st)
        st = add_hooks(c, err);
    if (st)
        goto out_close;
    *out = c;
    return TS_OK;
out_close:
    ts_core_close(c);
    return st;
}

void ts_core_close(ts_core *c)
{
    if (!c)
        return;
    if (c->uc)
        uc_close(c->uc);
    core_decode_close(c);
    ts_mem_close(c->mem);
    ts_free(c->hooked_pcs.v);
    ts_free(c->div_hooked.v);
    ts_free(c->hook_addr);
    ts_free(c->hook_seq);
    ts_free(c);
}

const ts_target *ts_core_target(const ts_core *c)
{
    return c->t;
}

ts_mem *ts_core_mem(ts_core *c)
{
    return c->mem;
}

const char *ts_core_model_name(const ts_core *c)
{
    return core_models[c->t->core].name;
}

ts_status ts_core_write(ts_core *c, uint32_t addr, const void *src, size_t n, ts_err *err)
{
    return ts_mem_write(c->mem, addr, src, n, c->label, err);
}

ts_status ts_core_read(ts_core *c, uint32_t addr, void *dst, size_t n, ts_err *err)
{
    return ts_mem_read(c->mem, addr, dst, n, c->label, err);
}

ts_status ts_core_set_reg(ts_core *c, unsigned reg, uint32_t value, ts_err *err)
{
    assert(reg < 16);
    c->regs_valid = false;
    return uc_check(c, uc_reg_write(c->uc, uc_regs[reg], &value), "writing a register", err);
}

ts_status ts_core_get_reg(ts_core *c, unsigned reg, uint32_t *value, ts_err *err)
{
    assert(reg < 16);
    return uc_check(c, uc_reg_read(c->uc, uc_regs[reg], value), "reading a register", err);
}

ts_status core_fault(ts_core *c, uint32_t pc, uc_err e, const char *what, ts_err *err)
{
    if (e == UC_ERR_OK) /* stopped by tinysim (budget, trap): Unicorn has nothing to add */
        return ts_err_set(err, TS_ERR_EMU, "%s: pc 0x%08x: %s (%s)", c->label, pc, what,
                          core_models[c->t->core].name);
    return ts_err_set(err, TS_ERR_EMU, "%s: pc 0x%08x: %s (%s: %s)", c->label, pc, what,
                      core_models[c->t->core].name, uc_strerror(e));
}

static const char *access_name(int type)
{
    switch (type) {
    case UC_MEM_READ_UNMAPPED: return "read from unmapped address";
    case UC_MEM_WRITE_UNMAPPED: return "write to unmapped address";
    case UC_MEM_FETCH_UNMAPPED: return "instruction fetch from unmapped address";
    case UC_MEM_WRITE_PROT: return "write to read-only address";
    case UC_MEM_READ_PROT: return "read from unreadable address";
    case UC_MEM_FETCH_PROT: return "instruction fetch from non-executable address";
    default: return "bad access at address";
    }
}

static ts_status report_access_fault(ts_core *c, uc_err e, ts_err *err)
{
    char what[160];
    int ri = ts_mem_find(c->mem, c->fault_addr);

    uc_reg_read(c->uc, UC_ARM_REG_PC, &c->trap_pc);
    if (c->fault_type != UC_MEM_FETCH_UNMAPPED && c->fault_type != UC_MEM_FETCH_PROT &&
        c->last_block && c->trap_pc == c->last_block->addr)
        c->trap_pc = core_fault_pc(c, c->last_block->addr, c->last_block->size, c->fault_addr);
    if (c->fault_type == UC_MEM_FETCH_UNMAPPED || c->fault_type == UC_MEM_FETCH_PROT)
        snprintf(what, sizeof what, "%s 0x%08x", access_name(c->fault_type), c->fault_addr);
    else
        snprintf(what, sizeof what, "%s 0x%08x (%u bytes%s%s)", access_name(c->fault_type),
                 c->fault_addr, c->fault_size, ri >= 0 ? ", region " : "",
                 ri >= 0 ? ts_mem_region_at(c->mem, (unsigned)ri)->cfg->name : "");
    return core_fault(c, c->trap_pc, e, what, err);
}

/* The reset handler returned: PC reached LR's reset value (QEMU may see the BX/POP as an
 * exception return, EXCP_EXCEPTION_EXIT). */
static ts_status report_return(ts_core *c, ts_err *err)
{
    return ts_err_set(err, TS_ERR_EMU, "%s: pc 0x%08x: program returned from its reset handler "
                      "(lr=0x%08x, the reset value) without semihosting SYS_EXIT (%s)",
                      c->label, c->last_block->exit_pc, TS_CORE_RESET_LR, c->t->name);
}

static ts_status report_stop(ts_core *c, uc_err e, ts_err *err)
{
    char what[160];
    uint16_t hw = 0;
    uint32_t pc = 0;

    switch (c->trap) {
    case TRAP_FAULT:
        if (c->bad_v6m || c->bad_class >= 0) {
            ts_core_read(c, c->trap_pc, &hw, 2, NULL);
            if (c->bad_v6m)
                snprintf(what, sizeof what, "32-bit instruction 0x%04x... is not ARMv6-M", hw);
            else
                snprintf(what, sizeof what, "instruction 0x%04x of class %s is not implemented "
                         "by this core (timing.%s is null)", hw,
                         ts_opclass_name((ts_opclass)c->bad_class),
                         ts_opclass_name((ts_opclass)c->bad_class));
            return ts_err_set(err, TS_ERR_EMU, "%s: pc 0x%08x: %s (%s)", c->label, c->trap_pc,
                              what, c->t->name);
        }
        if (c->fault_size == 0 && e == UC_ERR_OK) {
            snprintf(what, sizeof what, "cannot decode code at 0x%08x: outside the target's "
                     "memory regions or out of memory", c->trap_pc);
            return core_fault(c, c->trap_pc, e, what, err);
        }
        return report_access_fault(c, e, err);
    case TRAP_BUDGET: case TRAP_CYCLES:
        return ts_err_set(err, TS_ERR_EMU, "%s: pc 0x%08x: %s of %llu %s after %llu cycles and "
                          "%llu instructions (%s)", c->label, c->trap_pc,
                          c->trap == TRAP_BUDGET ? "instruction budget" : "cycle limit",
                          (unsigned long long)(c->trap == TRAP_BUDGET ? c->cfg.max_insns
                                                                      : c->cfg.max_cycles),
                          c->trap == TRAP_BUDGET ? "exceeded (raise --max-insns)" : "reached",
                          (unsigned long long)c->stats.cycles,
                          (unsigned long long)c->stats.insns, c->t->name);
    case TRAP_DEVICE:
        return ts_err_set(err, TS_ERR_EMU, "%s: pc 0x%08x: %s (%s)", c->label, c->trap_pc,
                          c->device_msg, c->t->name);
    case TRAP_EXCEPTION:
        if (c->trap_intno == QEMU_EXCP_EXCEPTION_EXIT && c->trap_pc == RUN_UNTIL &&
            c->last_block)
            return report_return(c, err);
        snprintf(what, sizeof what, "exception %u taken (no vector table or handlers are modelled;"
                 " svc, fault or interrupt)", c->trap_intno);
        return core_fault(c, c->trap_pc, e, what, err);
    case TRAP_BKPT: case TRAP_NONE:
        break;
    }
    uc_reg_read(c->uc, UC_ARM_REG_PC, &pc);
    ts_core_read(c, pc, &hw, 2, NULL);
    if (e == UC_ERR_INSN_INVALID)
        snprintf(what, sizeof what, "undefined or unsupported instruction 0x%04x", hw);
    else if (pc == RUN_UNTIL && c->last_block)
        return report_return(c, err);
    else if (pc == RUN_UNTIL || pc == CALL_RETURN)
        snprintf(what, sizeof what, "program returned to the simulator without SYS_EXIT");
    else
        snprintf(what, sizeof what, "emulation stopped unexpectedly");
    return core_fault(c, pc, e, what, err);
}

static ts_status report_unaligned(ts_core *c, ts_err *err)
{
    return ts_err_set(err, TS_ERR_EMU, "%s: pc 0x%08x: unaligned %u-byte %s 0x%08x: a HardFault "
                      "on ARMv6-M, which has no unaligned access (%s)", c->label, c->align_pc,
                      c->align_bytes, c->align_store ? "store to" : "load from", c->align_addr,
                      c->t->name);
}

/* Unicorn ends the emulation at a WFI, with PC after it (T1 0xBF30 or T2 0xF3AF 0x8003). */
static bool after_wfi(ts_core *c, uint32_t pc)
{
    uint16_t hw[2] = {0, 0};

    if (ts_core_read(c, pc - 2, &hw[1], 2, NULL) == TS_OK && hw[1] == 0xBF30)
        return true;
    return ts_core_read(c, pc - 4, hw, 4, NULL) == TS_OK && hw[0] == 0xF3AF && hw[1] == 0x8003;
}

/* WFI: the core sleeps until the earliest device event, then wakes (interrupts masked: it
 * continues after the WFI). The sleep is charged to cycles and wait_cycles. */
static ts_status sleep_until_event(ts_core *c, uint32_t pc, ts_err *err)
{
    uint64_t wake = UINT64_MAX, now = c->stats.cycles, slept;

    for (unsigned i = 0; i < TS_TARGET_MAX_REGIONS + 2; i++) {
        core_device *d = i < TS_TARGET_MAX_REGIONS ? &c->devices[i]
                                                   : &c->scs.dev[i - TS_TARGET_MAX_REGIONS];
        uint64_t t = d->used && d->dev.next_event ? d->dev.next_event(d->dev.opaque) : UINT64_MAX;
        wake = t < wake ? t : wake;
    }
    if (wake == UINT64_MAX)
        return core_fault(c, pc - 2, UC_ERR_OK, "WFI with no device event pending (the core "
                          "would sleep forever)", err);
    slept = (wake > now ? wake - now : 0) + c->t->wfi_wake_cycles;
    c->stats.cycles += slept;
    c->stats.wait_cycles += slept;
    c->next_pc = pc; /* resuming after the WFI is not a taken branch */
    c->next_cc = 0;
    return TS_OK;
}

/* Runs from pc until PC == until (a call's return) or a trap ends it. */
static ts_status run_until(ts_core *c, uint32_t pc, uint32_t until, bool is_call, ts_err *err)
{
    ts_status st = TS_OK;
    uc_err e;

    pc &= ~1u;
    c->insn_end = c->stats.insns + c->cfg.max_insns;
    c->cycle_end = c->cfg.max_cycles ? c->stats.cycles + c->cfg.max_cycles : UINT64_MAX;
    c->budget_end = next_check(c);
    c->next_pc = pc;
    c->next_cc = 0;
    c->align_fault = false;
    pick_data_region(c);
    while (!st) {
        c->trap = TRAP_NONE;
        c->fault_size = 0;
        c->bad_class = -1;
        c->bad_v6m = false;
        c->regs_valid = false;
        e = uc_emu_start(c->uc, pc | 1u, until, 0, 0);
        if (c->run_block)
            settle_run(c);
        if (c->pending)
            flush_pending(c); /* before semihosting changes registers */
        if (c->align_fault)
            return report_unaligned(c, err);
        if (c->restart) {
            c->restart = false;
            if (c->trap == TRAP_NONE && e == UC_ERR_OK) {
                uc_reg_read(c->uc, UC_ARM_REG_PC, &pc);
                continue; /* a block stopped before running to get its load hooks */
            }
        }
        if (c->trap != TRAP_BKPT) {
            uint32_t now = 0;

            uc_reg_read(c->uc, UC_ARM_REG_PC, &now);
            if (is_call && now == until &&
                (c->trap == TRAP_NONE ||
                 (c->trap == TRAP_EXCEPTION && c->trap_intno == QEMU_EXCP_EXCEPTION_EXIT)))
                return TS_OK; /* QEMU sees BX to 0xFFFFFFF1 as an exception return (EXCP 8) */
            if (c->trap == TRAP_NONE && e == UC_ERR_OK && after_wfi(c, now)) {
                if ((st = sleep_until_event(c, now, err)))
                    return st;
                pc = now;
                continue;
            }
            return report_stop(c, e, err);
        }
        st = core_semihost(c, err);
        if (!st && c->stats.exited)
            return is_call ? core_fault(c, c->trap_pc, UC_ERR_OK, "program exited inside a "
                                        "function call", err) : TS_OK;
        pc = c->trap_pc + 2;
    }
    return st;
}

ts_status ts_core_run(ts_core *c, uint32_t entry, ts_err *err)
{
    assert(c);
    c->stats.exited = false;
    return run_until(c, entry, RUN_UNTIL, false, err);
}

ts_status ts_core_call(ts_core *c, uint32_t fn, const uint32_t *args, unsigned n_args,
                       uint32_t *ret, ts_err *err)
{
    ts_status st = TS_OK;
    uint32_t r0 = 0;

    assert(c && n_args <= 4 && (args || !n_args));
    for (unsigned i = 0; i < n_args && !st; i++)
        st = ts_core_set_reg(c, i, args[i], err);
    if (!st)
        st = ts_core_set_reg(c, 14, CALL_RETURN | 1u, err);
    if (!st)
        st = run_until(c, fn, CALL_RETURN, true, err);
    if (!st)
        st = ts_core_get_reg(c, 0, &r0, err);
    if (!st && ret)
        *ret = r0;
    return st;
}

static uint64_t sub_floor0(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

/* fast_mem: all static traffic, each part to the region the stack was in. */
static void attribute_fast(const ts_core *c, ts_core_stats *s)
{
    for (unsigned i = 0; i < s->n_regions; i++) {
        s->region[i].read_accesses += c->fast_acc[i].read_accesses;
        s->region[i].read_bytes += c->fast_acc[i].read_bytes;
        s->region[i].write_accesses += c->fast_acc[i].write_accesses;
        s->region[i].write_bytes += c->fast_acc[i].write_bytes;
    }
    if (c->data_region)
        fold_fast(c, &s->region[c->data_region - ts_mem_region_at(c->mem, 0)]);
}

/* Adds the statically counted data traffic that no hook saw to the data region's copy. */
static void attribute_static(ts_core *c, ts_core_stats *s)
{
    ts_mem_region *r = c->data_region;
    ts_mem_counters *n;

    if (c->cfg.fast_mem) {
        attribute_fast(c, s);
        return;
    }
    if (!r || c->cfg.exact_mem || c->track_ram)
        return; /* track_ram: counted by address; what is left was not executed (IT-skipped)
                   or touched no RAM region, as exact_mem's hooks see it */
    n = &s->region[r - ts_mem_region_at(c->mem, 0)];
    if (r->cfg->kind != TS_MEM_FLASH && !r->probed) {
        n->read_accesses += sub_floor0(c->static_loads, c->hooked_loads);
        n->read_bytes += sub_floor0(c->static_load_bytes, c->hooked_load_bytes);
    }
    if (!r->probed) {
        n->write_accesses += sub_floor0(c->static_stores, c->hooked_stores);
        n->write_bytes += sub_floor0(c->static_store_bytes, c->hooked_store_bytes);
    }
}

const ts_core_stats *ts_core_get_stats(ts_core *c)
{
    ts_core_stats *s = &c->stats;

    memset(s->class_insns, 0, sizeof s->class_insns);
    s->blocks = 0;
    count_static(c, s);
    s->branch_cycles = s->taken_branches * c->t->branch_refill_cycles;
    s->n_regions = ts_mem_n_regions(c->mem);
    for (unsigned i = 0; i < s->n_regions; i++)
        s->region[i] = ts_mem_region_at(c->mem, i)->n;
    s->static_loads = c->static_loads;
    s->static_stores = c->static_stores;
    attribute_static(c, s);
    return s;
}

void ts_core_reset_stats(ts_core *c)
{
    bool exited = c->stats.exited;
    int code = c->stats.exit_code;

    core_scs_reset_clock(c, ts_core_now(c));
    memset(&c->stats, 0, sizeof c->stats);
    c->stats.exited = exited;
    c->stats.exit_code = code;
    c->last_block = NULL;
    c->run_block = NULL;
    c->run_reps = 0;
    c->regs_valid = false;
    c->hooked_loads = c->hooked_load_bytes = c->hooked_stores = c->hooked_store_bytes = 0;
    c->static_loads = c->static_load_bytes = c->static_stores = c->static_store_bytes = 0;
    memset(c->fast_acc, 0, sizeof c->fast_acc);
    memset(&c->fast_done, 0, sizeof c->fast_done);
    for (size_t i = 0; i < c->n_slots; i++)
        if (c->slots[i])
            c->slots[i]->n_exec = 0;
    ts_mem_reset_counters(c->mem);
}

/* Enters a device callback for the access at addr: numbers it within the block run. */
static void enter_device(ts_core *c, uint32_t addr)
{
    if (c->acc_block != c->last_block || c->acc_insns != c->stats.insns) {
        c->acc_block = c->last_block;
        c->acc_insns = c->stats.insns; /* (grows at every block run, deferred ones too) */
        c->acc_k = 0;
        c->acc_found = false;
    } else {
        c->acc_k++;
    }
    c->in_device = true;
    c->mmio_addr = addr;
}

/* Unicorn MMIO callbacks: the device sees the access with the clock exact at it. */
static uint64_t on_device_read(uc_engine *uc, uint64_t offset, unsigned size, void *opaque)
{
    core_device *d = opaque;
    uint64_t v;

    (void)uc;
    enter_device(d->core, d->base + (uint32_t)offset);
    v = d->dev.read ? d->dev.read(d->dev.opaque, (uint32_t)offset, size) : 0;
    d->core->in_device = false;
    return v;
}

static void on_device_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value,
                            void *opaque)
{
    core_device *d = opaque;

    (void)uc;
    enter_device(d->core, d->base + (uint32_t)offset);
    if (d->dev.write)
        d->dev.write(d->dev.opaque, (uint32_t)offset, size, (uint32_t)value);
    d->core->in_device = false;
}

ts_status ts_core_attach_device(ts_core *c, unsigned region, const ts_core_device *dev,
                                ts_err *err)
{
    const ts_target_region *r;
    core_device *d;

    assert(c && dev && region < c->t->n_regions);
    r = &c->t->regions[region];
    d = &c->devices[region];
    if (r->kind != TS_MEM_MMIO || d->used)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: region %s: %s", c->t->name, r->name,
                          d->used ? "already has a device" : "a device needs an mmio region");
    return core_map_device(c, d, dev, (uint32_t)r->base, (uint32_t)r->size_bytes, err);
}

ts_status core_map_device(ts_core *c, core_device *d, const ts_core_device *dev, uint32_t base,
                          uint32_t bytes, ts_err *err)
{
    d->core = c;
    d->dev = *dev;
    d->base = base;
    d->used = true;
    return uc_check(c, uc_mmio_map(c->uc, base, bytes, on_device_read, d, on_device_write, d),
                    "mapping a device", err);
}

/* Static cycles of block b (running) after the instruction making the current device access:
 * not run yet. Finding that instruction decodes the block, so the answer is cached by block,
 * the access's index in the block run and its address: the k-th device access of a run of a
 * block is the same instruction each run, unless some load/store of the block is conditional. */
static uint32_t rest_of_block(ts_core *c, const core_block *b)
{
    struct now_entry *e = &c->now_cache[((uintptr_t)b / sizeof *b + c->acc_k) & 7u];

    if (e->b != b || e->k != c->acc_k || e->addr != c->mmio_addr || b->cond_mem) {
        e->pc = core_access_pc(c, b, c->mmio_addr, c->acc_found ? &c->acc_pc : NULL,
                               c->acc_addr);
        e->b = b;
        e->k = c->acc_k;
        e->addr = c->mmio_addr;
        e->rest = b->cycles - core_prefix_cycles(c, b, e->pc);
    }
    c->acc_found = true;
    c->acc_pc = e->pc;
    c->acc_addr = c->mmio_addr;
    return e->rest;
}

uint64_t ts_core_now(ts_core *c)
{
    const core_block *b = c->last_block;

    if (c->run_block)
        settle_run(c);
    if (!c->in_device || !b || c->cfg.bare)
        return c->stats.cycles;
    return c->stats.cycles - rest_of_block(c, b);
}

void ts_core_device_fault(ts_core *c, const char *msg)
{
    snprintf(c->device_msg, sizeof c->device_msg, "%s", msg);
    c->trap = TRAP_DEVICE;
    c->trap_pc = c->last_block ? c->last_block->addr : 0;
    uc_emu_stop(c->uc);
}
