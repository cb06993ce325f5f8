/* decode.c: Capstone decode of translation blocks into insn_info (op class, registers, memory
 * traffic), cached by block start address; and the scan that puts code hooks on SDIV/UDIV.
 * Layer: sim/core. Each instruction is decoded once; the block's static cost comes from timing.c.
 * Must not alter emulated state. Not handled: self-modifying code (the decode cache is not
 * invalidated by writes), divides in code copied to RAM at run time (charged the class minimum). */
#include <string.h>

#include "core_int.h"

#define MAX_DIV_HOOKS 4096

typedef struct class_ids {
    const uint16_t *ids;
    size_t n;
} class_ids;

#define IDS(...) __VA_ARGS__
#define OPCLASS(name, ids, note) static const uint16_t ids_##name[] = {ids};
#include "opclass.def"
#undef OPCLASS

static const class_ids class_table[] = {
#define OPCLASS(name, ids, note) {ids_##name, sizeof ids_##name / sizeof ids_##name[0]},
#include "opclass.def"
#undef OPCLASS
};

typedef struct dyn_row {
    uint32_t mask, match;
} dyn_row;

static const dyn_row dyn_rows[] = {
#define DYNAMIC(name, mask, match, note) {mask, match},
#include "dynamic.def"
#undef DYNAMIC
};

static regmask reg_mask(unsigned r)
{
    if (r >= ARM_REG_R0 && r <= ARM_REG_R12)
        return RM_CORE(r - ARM_REG_R0);
    if (r >= ARM_REG_S0 && r <= ARM_REG_S31)
        return RM_S(r - ARM_REG_S0);
    if (r >= ARM_REG_D0 && r <= ARM_REG_D15)
        return RM_S(2 * (r - ARM_REG_D0)) | RM_S(2 * (r - ARM_REG_D0) + 1);
    switch (r) {
    case ARM_REG_SP: return RM_CORE(13);
    case ARM_REG_LR: return RM_CORE(14);
    case ARM_REG_PC: return RM_PC;
    case ARM_REG_APSR: case ARM_REG_APSR_NZCV: case ARM_REG_CPSR: case ARM_REG_FPSCR_NZCV:
        return RM_FLAGS;
    default: return 0;
    }
}

ts_status core_decode_open(ts_core *c, ts_err *err)
{
    cs_err e = cs_open(CS_ARCH_ARM, CS_MODE_THUMB | CS_MODE_MCLASS, &c->cs);

    if (e == CS_ERR_OK)
        e = cs_option(c->cs, CS_OPT_DETAIL, CS_OPT_ON);
    if (e != CS_ERR_OK)
        return ts_err_set(err, TS_ERR_EMU, "%s: capstone set-up failed (%s)", c->label,
                          cs_strerror(e));
    c->n_slots = 1024;
    c->slots = ts_calloc(c->n_slots, sizeof c->slots[0]);
    c->arena = ts_arena_new();
    if (!c->slots || !c->arena)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory (decode cache)", c->label);
    return TS_OK;
}

void core_decode_close(ts_core *c)
{
    if (c->cs)
        cs_close(&c->cs);
    ts_free(c->slots);
    ts_arena_free(c->arena);
}

static ts_opclass class_of(const cs_insn *in, insn_info *ii)
{
    const cs_arm *a = &in->detail->arm;
    ts_opclass cls = TS_OP_unknown;

    for (int k = 0; k < TS_N_OPCLASS && cls == TS_OP_unknown; k++)
        for (size_t j = 0; j < class_table[k].n; j++)
            if (class_table[k].ids[j] == in->id && in->id != ARM_INS_INVALID)
                cls = (ts_opclass)k;
    if (cls == TS_OP_store && a->op_count >= 2 && a->operands[1].type == ARM_OP_MEM &&
        a->operands[1].mem.index != ARM_REG_INVALID)
        cls = TS_OP_store_reg;
    if (in->id == ARM_INS_VMOV && a->op_count >= 3)
        cls = TS_OP_fp_mov2;
    if ((cls == TS_OP_fp_load || cls == TS_OP_fp_store) && a->operands[0].type == ARM_OP_REG &&
        a->operands[0].reg >= ARM_REG_D0 && a->operands[0].reg <= ARM_REG_D31) {
        cls = cls == TS_OP_fp_load ? TS_OP_fp_ldm : TS_OP_fp_stm;
        ii->n_words = 2;
    }
    return cls;
}

/* Access size of a single load/store, bytes. */
static uint8_t access_bytes(unsigned id)
{
    switch (id) {
    case ARM_INS_LDRB: case ARM_INS_LDRSB: case ARM_INS_LDRBT: case ARM_INS_LDRSBT:
    case ARM_INS_STRB: case ARM_INS_STRBT: case ARM_INS_LDREXB: case ARM_INS_STREXB:
        return 1;
    case ARM_INS_LDRH: case ARM_INS_LDRSH: case ARM_INS_LDRHT: case ARM_INS_LDRSHT:
    case ARM_INS_STRH: case ARM_INS_STRHT: case ARM_INS_LDREXH: case ARM_INS_STREXH:
        return 2;
    default:
        return 4;
    }
}

/* Words moved by a register-list instruction; sets ii->addr from its base register. */
static uint8_t list_words(const cs_insn *in, insn_info *ii)
{
    const cs_arm *a = &in->detail->arm;
    bool sp_based = in->id == ARM_INS_PUSH || in->id == ARM_INS_POP ||
                    in->id == ARM_INS_VPUSH || in->id == ARM_INS_VPOP;
    unsigned words = 0;

    ii->addr = sp_based ? RM_CORE(13) : reg_mask(a->operands[0].reg);
    for (int i = sp_based ? 0 : 1; i < a->op_count; i++) {
        unsigned r = a->operands[i].reg;

        words += (r >= ARM_REG_D0 && r <= ARM_REG_D31) ? 2 : 1;
    }
    return (uint8_t)(words > 255 ? 255 : words);
}

/* Fills the memory-traffic fields of ii for class cls. */
static void fill_traffic(const cs_insn *in, ts_opclass cls, insn_info *ii)
{
    const uint64_t single = OC(load) | OC(store) | OC(store_reg) | OC(excl) | OC(fp_load) |
                            OC(fp_store);
    const uint64_t lists = OC(ldm) | OC(stm) | OC(fp_ldm) | OC(fp_stm);
    const uint64_t stores = OC(store) | OC(store_reg) | OC(store_double) | OC(stm) |
                            OC(fp_store) | OC(fp_stm);

    if (in_set(single, cls)) {
        ii->mem_bytes = access_bytes(in->id);
        ii->n_acc = 1;
    } else if (in_set(OC(load_double) | OC(store_double), cls)) {
        ii->mem_bytes = 4;
        ii->n_acc = 2;
    } else if (in_set(lists, cls)) {
        if (!ii->n_words)
            ii->n_words = list_words(in, ii);
        ii->mem_bytes = 4;
        ii->n_acc = ii->n_words;
    } else {
        return;
    }
    ii->is_store = in_set(stores, cls) ||
                   (cls == TS_OP_excl && in->id >= ARM_INS_STREX && in->id <= ARM_INS_STREXH);
    ii->is_load = !ii->is_store;
}

static void fill_info(ts_core *c, const cs_insn *in, insn_info *ii)
{
    const cs_arm *a = &in->detail->arm;
    cs_regs rr, rw;
    uint8_t nr = 0, nw = 0;
    ts_opclass cls;

    memset(ii, 0, sizeof *ii);
    ii->size = (uint8_t)in->size;
    cls = class_of(in, ii);
    ii->cls = (uint8_t)cls;
    ii->is_div = cls == TS_OP_div;
    if (cs_regs_access(c->cs, in, rr, &nr, rw, &nw) == CS_ERR_OK) {
        for (unsigned i = 0; i < nr; i++)
            ii->src |= reg_mask(rr[i]);
        for (unsigned i = 0; i < nw; i++)
            ii->dst |= reg_mask(rw[i]);
    }
    for (int i = 0; i < a->op_count; i++)
        if (a->operands[i].type == ARM_OP_MEM)
            ii->addr |= reg_mask(a->operands[i].mem.base) | reg_mask(a->operands[i].mem.index);
    fill_traffic(in, cls, ii);
}

static void unknown_info(insn_info *ii)
{
    memset(ii, 0, sizeof *ii);
    ii->cls = TS_OP_unknown;
    ii->size = 2;
}

static size_t slot_of(uint32_t addr, size_t n_slots)
{
    return (size_t)((addr >> 1) * 2654435761u) & (n_slots - 1);
}

static core_block *lookup(const ts_core *c, uint32_t addr)
{
    size_t i = slot_of(addr, c->n_slots);

    while (c->slots[i]) {
        if (c->slots[i]->addr == addr)
            return c->slots[i];
        i = (i + 1) & (c->n_slots - 1);
    }
    return NULL;
}

static bool insert(ts_core *c, core_block *b)
{
    size_t i;

    if (2 * (c->n_blocks + 1) > c->n_slots) {
        size_t n = c->n_slots * 2;
        core_block **old = c->slots, **fresh = ts_calloc(n, sizeof fresh[0]);

        if (!fresh)
            return false;
        c->slots = fresh;
        c->n_slots = n;
        for (size_t j = 0; j < n / 2; j++)
            if (old[j]) {
                for (i = slot_of(old[j]->addr, n); fresh[i]; i = (i + 1) & (n - 1))
                    ;
                fresh[i] = old[j];
            }
        ts_free(old);
    }
    for (i = slot_of(b->addr, c->n_slots); c->slots[i]; i = (i + 1) & (c->n_slots - 1))
        ;
    c->slots[i] = b;
    c->n_blocks++;
    return true;
}

/* Decodes `size` bytes of code at addr into infos[]; returns the instruction count. Bytes
 * Capstone cannot decode count as 2-byte "unknown" instructions. */
static uint32_t decode_bytes(ts_core *c, const uint8_t *code, uint32_t addr, uint32_t size,
                             cs_insn *in, insn_info *infos)
{
    const uint8_t *p = code;
    size_t left = size;
    uint64_t pc = addr;
    uint32_t n = 0;

    while (left >= 2) {
        if (cs_disasm_iter(c->cs, &p, &left, &pc, in)) {
            fill_info(c, in, &infos[n++]);
            continue;
        }
        unknown_info(&infos[n++]);
        p += 2;
        left -= 2;
        pc += 2;
    }
    return n;
}

static void block_traffic(core_block *b, const insn_info *infos)
{
    for (uint32_t i = 0; i < b->n_insns; i++) {
        const insn_info *ii = &infos[i];

        b->classes[i] = ii->cls;
        if (ii->is_load) {
            b->n_loads += ii->n_acc;
            b->load_bytes += (uint32_t)ii->n_acc * ii->mem_bytes;
        } else if (ii->is_store) {
            b->n_stores += ii->n_acc;
            b->store_bytes += (uint32_t)ii->n_acc * ii->mem_bytes;
        }
    }
}

/* False (with the trap set) when an instruction is not implemented by the target core: its op
 * class is null in the target's timing table, or it is a 32-bit instruction other than
 * BL/MRS/MSR/barriers on ARMv6-M. Unicorn's M0 model executes such code, a real core faults. */
static bool check_isa(ts_core *c, uint32_t addr, const insn_info *infos, uint32_t n)
{
    bool v6m = c->t->core == TS_CORE_M0 || c->t->core == TS_CORE_M0PLUS;
    const uint64_t v6m_wide = OC(bl) | OC(sysreg) | OC(barrier);

    for (uint32_t i = 0; i < n; addr += infos[i].size, i++) {
        bool wide_bad = v6m && infos[i].size == 4 && !in_set(v6m_wide, infos[i].cls);

        if (!c->t->cycles[infos[i].cls].present || wide_bad) {
            c->trap = TRAP_FAULT;
            c->trap_pc = addr;
            c->bad_class = wide_bad ? -1 : infos[i].cls;
            c->bad_v6m = wide_bad;
            return false;
        }
    }
    return true;
}

/* Decodes the block, or returns NULL with c->trap = TRAP_FAULT (no memory / unreadable). */
static core_block *decode_block(ts_core *c, uint32_t addr, uint32_t size)
{
    int ri = ts_mem_find(c->mem, addr);
    ts_mem_region *r = ri >= 0 ? ts_mem_region_at(c->mem, (unsigned)ri) : NULL;
    insn_info *infos = ts_malloc((size / 2 + 1) * sizeof *infos);
    cs_insn *in = cs_malloc(c->cs);
    core_block *b = ts_arena_alloc(c->arena, sizeof *b);

    if (!infos || !in || !b || !r || size > r->end - addr) {
        b = NULL;
        goto out_free;
    }
    b->addr = addr;
    b->size = size;
    b->region = r;
    b->n_lines = ((addr + size - 1) >> r->icache.line_shift) - (addr >> r->icache.line_shift) + 1;
    b->n_fetch_acc = (addr + size - 1) / (r->cfg->width_bits / 8) -
                     addr / (r->cfg->width_bits / 8) + 1;
    b->n_insns = decode_bytes(c, r->host + (addr - r->base), addr, size, in, infos);
    if (!check_isa(c, addr, infos, b->n_insns)) {
        b = NULL;
        goto out_free;
    }
    b->classes = ts_arena_alloc(c->arena, b->n_insns + 1);
    if (!b->classes || !insert(c, b)) {
        b = NULL;
        goto out_free;
    }
    b->cycles = timing_block_cycles(c->t, infos, b->n_insns);
    block_traffic(b, infos);
out_free:
    if (in)
        cs_free(in, 1);
    ts_free(infos);
    return b;
}

core_block *core_block_get(ts_core *c, uint32_t addr, uint32_t size)
{
    core_block *b = lookup(c, addr);

    if (b)
        return b;
    b = decode_block(c, addr, size);
    if (!b && c->trap != TRAP_FAULT) {
        c->trap = TRAP_FAULT;
        c->trap_pc = addr;
    }
    return b;
}

static const int uc_core_regs[16] = {
    UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5,
    UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
    UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC};

/* Code hook on one SDIV/UDIV (observation only): adds the operand-dependent cycles above the
 * class minimum already in the block cost. Field layout: ARMv7-M ARM A7.7.127 (Rn = hw1[3:0],
 * Rm = hw2[3:0], UDIV when hw1 bit 5 is set). */
static void on_div(uc_engine *uc, uint64_t address, uint32_t size, void *opaque)
{
    ts_core *c = opaque;
    int ri = ts_mem_find(c->mem, address);
    const uint8_t *p;
    uint32_t hw1, hw2, n = 0, d = 0, cyc;

    (void)size;
    if (ri < 0)
        return;
    p = ts_mem_region_at(c->mem, (unsigned)ri)->host + (address - ts_mem_region_at(c->mem,
                                                                  (unsigned)ri)->base);
    hw1 = (uint32_t)p[0] | (uint32_t)p[1] << 8;
    hw2 = (uint32_t)p[2] | (uint32_t)p[3] << 8;
    uc_reg_read(uc, uc_core_regs[hw1 & 15], &n);
    uc_reg_read(uc, uc_core_regs[hw2 & 15], &d);
    cyc = timing_div_cycles(c->div_cost_min, c->div_cost_max, n, d, !(hw1 & 0x20));
    c->stats.cycles += cyc - c->div_cost_min;
    c->stats.div_extra_cycles += cyc - c->div_cost_min;
}

static bool matches_dynamic(const uint8_t *p)
{
    uint32_t w = (uint32_t)p[1] << 24 | (uint32_t)p[0] << 16 | (uint32_t)p[3] << 8 | p[2];

    for (size_t i = 0; i < sizeof dyn_rows / sizeof dyn_rows[0]; i++)
        if ((w & dyn_rows[i].mask) == dyn_rows[i].match)
            return true;
    return false;
}

ts_status core_scan_divs(ts_core *c, ts_err *err)
{
    unsigned n_hooks = 0;
    uc_hook h;
    uc_err e;

    if (c->divs_scanned || c->cfg.bare || c->div_cost_min == c->div_cost_max)
        return TS_OK;
    c->divs_scanned = true;
    for (unsigned i = 0; i < ts_mem_n_regions(c->mem); i++) {
        ts_mem_region *r = ts_mem_region_at(c->mem, i);

        for (uint64_t off = 0; off + 4 <= r->end - r->base && n_hooks < MAX_DIV_HOOKS; off += 2) {
            if (!matches_dynamic(r->host + off))
                continue;
            e = uc_hook_add(c->uc, &h, UC_HOOK_CODE, (void *)on_div, c, r->base + off,
                            r->base + off);
            if (e != UC_ERR_OK)
                return ts_err_set(err, TS_ERR_EMU, "%s: cannot hook divide at 0x%08llx (%s)",
                                  c->label, (unsigned long long)(r->base + off), uc_strerror(e));
            n_hooks++;
        }
    }
    return TS_OK;
}

/* Effective byte range [lo, lo+len) of memory instruction `in` from the current registers. */
static bool mem_range(ts_core *c, const cs_insn *in, uint32_t *lo, uint32_t *len)
{
    const cs_arm *a = &in->detail->arm;
    insn_info ii;
    uint32_t base = 0, index = 0;

    fill_info(c, in, &ii);
    if (!ii.n_acc)
        return false;
    *len = (uint32_t)ii.n_acc * ii.mem_bytes;
    for (int i = 0; i < a->op_count; i++) {
        const cs_arm_op *op = &a->operands[i];
        unsigned rb = op->mem.base, rx = op->mem.index;

        if (op->type != ARM_OP_MEM || rb == ARM_REG_PC)
            continue;
        uc_reg_read(c->uc, uc_core_regs[__builtin_ctzll(reg_mask(rb) | RM_PC)], &base);
        if (rx != ARM_REG_INVALID)
            uc_reg_read(c->uc, uc_core_regs[__builtin_ctzll(reg_mask(rx) | RM_PC)], &index);
        index = op->shift.type == ARM_SFT_LSL ? index << op->shift.value : index;
        *lo = base + (uint32_t)op->mem.disp + (op->subtracted ? 0u - index : index);
        return true;
    }
    if (ii.cls == TS_OP_ldm || ii.cls == TS_OP_stm || ii.cls == TS_OP_fp_ldm ||
        ii.cls == TS_OP_fp_stm) {
        uc_reg_read(c->uc, uc_core_regs[__builtin_ctzll(ii.addr | RM_PC)], &base);
        *lo = ii.is_store || in->id == ARM_INS_LDMDB ? base - *len : base;
        return true;
    }
    return false;
}

/* Unicorn 2.0.1 reports the start of the translation block as the PC of a data fault. The
 * faulting instruction is the first load/store of the block whose address, computed from the
 * registers now (the state just before that instruction), covers the faulting address. */
uint32_t core_fault_pc(ts_core *c, uint32_t block_addr, uint32_t block_size, uint32_t fault_addr)
{
    int ri = ts_mem_find(c->mem, block_addr);
    ts_mem_region *r = ri >= 0 ? ts_mem_region_at(c->mem, (unsigned)ri) : NULL;
    cs_insn *in = cs_malloc(c->cs);
    const uint8_t *p;
    size_t left = block_size;
    uint64_t pc = block_addr;
    uint32_t lo, len, found = block_addr;

    if (!in || !r || block_size > r->end - block_addr) {
        if (in)
            cs_free(in, 1);
        return block_addr;
    }
    p = r->host + (block_addr - r->base);
    while (left >= 2 && found == block_addr) {
        uint32_t at = (uint32_t)pc;

        if (!cs_disasm_iter(c->cs, &p, &left, &pc, in))
            break;
        if (mem_range(c, in, &lo, &len) && fault_addr - lo < len)
            found = at;
    }
    cs_free(in, 1);
    return found;
}
