/* decode.c: Capstone decode of translation blocks into insn_info (op class, registers, memory
 * traffic), cached by block start address and size; and the code hooks on executed SDIV/UDIV.
 * Layer: sim/core. Each instruction is decoded once; the block's static cost comes from timing.c.
 * Load tracking (for flash D-cache/wait-state accounting without memory hooks): each load's
 * address as an entry register + constant (forward pass over add/sub/mov #imm, writeback, literal
 * pool constants), with base or index possibly a word loaded earlier in the block before any
 * store (M32[entry register + constant] + constant), else as an exit register + constant
 * (backward pass), else left to a code hook; LDM/LDRD/VLDM/TBB/TBH access patterns as Unicorn's read hook reports them. Literal
 * pool words in flash are read at decode time (like the code, assumed not rewritten). Loads of
 * op class "unknown" (no timing class, e.g. v8-M LDA) are not tracked (exact_mem counts them).
 * Must not alter emulated state. Not handled: self-modifying code (the decode cache is not
 * invalidated by writes). */
#include <string.h>

#include "core_int.h"

typedef struct class_ids {
    const uint16_t *ids;
    size_t n;
} class_ids;

#define IDS(...) __VA_ARGS__
#define OPCLASS(name, ids, note) static const uint16_t ids_##name[] = {ids};
#include "target/opclass.def"
#undef OPCLASS

static const class_ids class_table[] = {
#define OPCLASS(name, ids, note) {ids_##name, sizeof ids_##name / sizeof ids_##name[0]},
#include "target/opclass.def"
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

/* Blocks are keyed by start address and size: Unicorn may translate the code at one address
 * into blocks of different lengths (a page boundary, a retranslation), each decoded apart. */
static core_block *lookup(const ts_core *c, uint32_t addr, uint32_t size)
{
    size_t i = slot_of(addr, c->n_slots);

    while (c->slots[i]) {
        if (c->slots[i]->addr == addr && c->slots[i]->size == size)
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


/* ---- Load tracking: addresses of a block's loads as functions of its entry registers ---- */

/* Symbolic register values: known[r] means r = entry value of src[r] (LR_NONE: 0) + off[r];
 * with ind[r], r = M32[entry value of src[r] + ioff[r]] + off[r]: a word the block loaded
 * before any store (so memory at block entry still holds it). */
typedef struct tracker {
    bool known[15];
    bool ind[15];
    uint8_t src[15];
    int32_t off[15];
    int32_t ioff[15];
    bool stored;      /* a store (or an unknown instruction) was seen */
    load_op *ops;
    uint32_t n_ops;
    bool hooked; /* some load address is not tracked */
    bool bad;    /* some load has a form neither path models */
    ts_core *c;
    struct effect *fx; /* per instruction, for the backward (exit-relative) pass */
    uint32_t n_fx;
} tracker;

/* What one instruction does to the registers, for the backward pass. */
typedef struct effect {
    uint32_t written; /* registers left unknown (besides d and wb) */
    int32_t imm;      /* d = n + imm (n < 0: d = imm) */
    int32_t wb_delta;
    int32_t op;       /* index of its load op, or -1 */
    int32_t disp;     /* the op's displacement (hooked form) */
    int8_t d, n, wb;  /* -1: none */
    bool wb_ok;
    int8_t base, index; /* the op's base/index register (0..14), or -1 */
} effect;

/* 32-bit address arithmetic wraps (no signed overflow). */
static int32_t wrap_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static int32_t wrap_sub(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* 0..15 for r0..r12, SP, LR, PC; -1 otherwise. */
static int core_reg(unsigned r)
{
    if (r >= ARM_REG_R0 && r <= ARM_REG_R12)
        return (int)(r - ARM_REG_R0);
    switch (r) {
    case ARM_REG_SP: return 13;
    case ARM_REG_LR: return 14;
    case ARM_REG_PC: return 15;
    default: return -1;
    }
}

static void tracker_init(tracker *t, load_op *ops, effect *fx, ts_core *c)
{
    memset(t, 0, sizeof *t);
    t->c = c;
    t->fx = fx;
    for (int r = 0; r < 15; r++) {
        t->known[r] = true;
        t->src[r] = (uint8_t)r;
    }
    t->ops = ops;
}

static bool is_down_list(unsigned id)
{
    return id == ARM_INS_LDMDB || id == ARM_INS_STMDB || id == ARM_INS_PUSH ||
           id == ARM_INS_VLDMDB || id == ARM_INS_VSTMDB || id == ARM_INS_VPUSH;
}

/* Tracked form of register r's value for an address: false when unknown or indirect. */
static bool tracked(const tracker *t, int r, uint8_t *src, int32_t *off)
{
    if (r < 0 || r > 14 || !t->known[r] || t->ind[r])
        return false;
    *src = t->src[r];
    *off = t->off[r];
    return true;
}

/* Registers the instruction loads into (explicit register operands that are not the base). */
static uint32_t loaded_regs(const cs_insn *in, bool list, bool sp_based)
{
    const cs_arm *a = &in->detail->arm;
    uint32_t m = 0;

    for (int i = list && !sp_based ? 1 : 0; i < a->op_count; i++) {
        int r;

        if (a->operands[i].type == ARM_OP_MEM)
            break;
        if (a->operands[i].type == ARM_OP_REG && (r = core_reg(a->operands[i].reg)) >= 0)
            m |= 1u << r;
    }
    return m;
}

/* Indirect form of register r for an address term (flag: IND_BASE or IND_INDEX): false when r
 * is not indirect. The term is M32[entry src + *ioff] + *off. */
static bool indirect(const tracker *t, int r, uint8_t *src, int32_t *ioff, int32_t *off,
                     uint8_t *ind, uint8_t flag)
{
    if (r < 0 || r > 14 || !t->known[r] || !t->ind[r])
        return false;
    *src = t->src[r];
    *ioff = t->ioff[r];
    *off = t->off[r];
    *ind |= flag;
    return true;
}

/* An unconditional LDR (word) or LDRD from an entry-tracked address with no index, before any
 * store in the block: its destination registers become indirect values (pointers whose loads
 * later in the block can then be tracked from the entry registers and memory). */
static void pointer_load(tracker *t, const cs_insn *in, const insn_info *ii, const load_op *op)
{
    const cs_arm *a = &in->detail->arm;
    int n_dst = in->id == ARM_INS_LDRD ? 2 : in->id == ARM_INS_LDR ? 1 : 0;

    if (!n_dst || op->ti != LR_NONE || op->n_acc != (uint8_t)n_dst || op->bytes != 4 ||
        (n_dst == 1 && ii->cls != TS_OP_load))
        return;
    for (int k = 0; k < n_dst; k++) {
        int r = a->op_count > k && a->operands[k].type == ARM_OP_REG
                    ? core_reg(a->operands[k].reg) : -1;

        if (r < 0 || r > 14)
            continue;
        t->known[r] = t->ind[r] = true;
        t->src[r] = op->tb;
        t->ioff[r] = wrap_add(op->toff, 4 * k);
        t->off[r] = 0;
    }
}

/* ---- One handler per instruction form; track_insn dispatches on the form ---- */

/* The forms of instruction the tracker tells apart (form_of). */
typedef enum track_form {
    TF_UNKNOWN,   /* no timing class: every register becomes unknown */
    TF_MEM,       /* load/store with a memory operand: LDR/STR[B|H|D], VLDR/VSTR, TBB/TBH... */
    TF_LIST,      /* register-list load/store: LDM/STM, PUSH/POP, VLDM/VSTM, VPUSH/VPOP */
    TF_MEM_OTHER, /* load/store of neither shape: its address is not modelled */
    TF_REG        /* no memory access: ALU, move, branch... (ALU/move tracked by alu_form) */
} track_form;

/* Where an instruction's access goes and how it moves its base register, as its form handler
 * (mem_operand, reg_list) finds them. */
typedef struct mem_ref {
    load_op op;
    int base;         /* 0..14; -2 = PC-relative (disp is the address); -1 = none */
    int index;        /* 0..14, or -1 */
    int32_t disp;
    int wb;           /* written-back base register, or -1 */
    int32_t wb_delta;
    bool wb_ok;       /* the writeback adds wb_delta (a form the tracker follows) */
    bool form_ok;     /* an addressing form the tracker models */
    bool list, sp_based;
} mem_ref;

/* A destination register's new symbolic value (alu_form, literal_load). */
typedef struct reg_value {
    int d;            /* destination, or -1 */
    bool known;       /* d = entry value of src (LR_NONE: 0) + off */
    uint8_t src;
    int32_t off;
    int n;            /* d = n + add (n < 0: d = add), for the backward pass */
    int32_t add;
} reg_value;

static track_form form_of(const cs_insn *in, const insn_info *ii, int *mem_i)
{
    const cs_arm *a = &in->detail->arm;
    const uint64_t lists = OC(ldm) | OC(stm) | OC(fp_ldm) | OC(fp_stm);
    bool tbx = in->id == ARM_INS_TBB || in->id == ARM_INS_TBH;

    if (ii->cls == TS_OP_unknown)
        return TF_UNKNOWN;
    if (!(ii->is_load || tbx || ii->is_store))
        return TF_REG;
    *mem_i = -1;
    for (int i = 0; i < a->op_count && *mem_i < 0; i++)
        if (a->operands[i].type == ARM_OP_MEM)
            *mem_i = i;
    if (*mem_i >= 0)
        return TF_MEM;
    return in_set(lists, ii->cls) ? TF_LIST : TF_MEM_OTHER;
}

/* The instruction's effect record, cleared (nothing known to move). */
static effect *effect_new(tracker *t)
{
    effect *e = &t->fx[t->n_fx++];

    memset(e, 0, sizeof *e);
    e->d = e->n = e->wb = e->base = e->index = -1;
    e->op = -1;
    return e;
}

/* An instruction the tracker cannot follow (no timing class, or bytes Capstone cannot decode):
 * every register becomes unknown and memory may have changed. */
static void track_unknown(tracker *t)
{
    effect *e = effect_new(t);

    memset(t->known, 0, sizeof t->known);
    t->stored = true;
    e->written = 0x7fff;
}

/* ALU/move form: an unconditional ADD/SUB/ADDW/SUBW rd, rn, #imm; ADD/SUB rd, #imm; MOV rd, rn;
 * MOV rd, #imm. Returns the destination register (its new value set in v), or -1. */
static int alu_form(const tracker *t, const cs_insn *in, reg_value *v)
{
    const cs_arm *a = &in->detail->arm;
    const cs_arm_op *o = a->operands;
    int d, n;
    int32_t imm;
    bool add = in->id == ARM_INS_ADD || in->id == ARM_INS_ADDW;
    bool sub = in->id == ARM_INS_SUB || in->id == ARM_INS_SUBW;

    if (!(add || sub || in->id == ARM_INS_MOV) || a->op_count < 2 || o[0].type != ARM_OP_REG)
        return -1;
    for (int i = 0; i < a->op_count; i++)
        if (o[i].shift.type != ARM_SFT_INVALID || o[i].subtracted)
            return -1;
    d = core_reg(o[0].reg);
    if (d < 0 || d > 14)
        return -1;
    if (in->id == ARM_INS_MOV) {
        if (a->op_count != 2)
            return -1;
        if (o[1].type == ARM_OP_IMM) {
            v->known = true, v->src = LR_NONE, v->off = o[1].imm;
            v->n = -1, v->add = o[1].imm;
            return d;
        }
        n = o[1].type == ARM_OP_REG ? core_reg(o[1].reg) : -1;
        if (n < 0 || n > 14)
            return -1;
        v->known = tracked(t, n, &v->src, &v->off);
        v->n = n, v->add = 0;
        return d;
    }
    if (a->op_count == 2 && o[1].type == ARM_OP_IMM)
        n = d, imm = o[1].imm;
    else if (a->op_count == 3 && o[1].type == ARM_OP_REG && o[2].type == ARM_OP_IMM)
        n = core_reg(o[1].reg), imm = o[2].imm;
    else
        return -1;
    if (n < 0 || n > 14)
        return -1;
    v->known = tracked(t, n, &v->src, &v->off);
    imm = sub ? wrap_sub(0, imm) : imm;
    v->off = wrap_add(v->off, imm);
    v->n = n, v->add = imm;
    return d;
}

/* TF_MEM: one access (two for LDRD/STRD) at base [+ index << shift] + disp, with pre- or
 * post-indexed writeback; PC-relative bases become absolute addresses. */
static void mem_operand(const cs_insn *in, const insn_info *ii, uint32_t pc, int mem_i,
                        mem_ref *r)
{
    const cs_arm *a = &in->detail->arm;
    const cs_arm_op *m = &a->operands[mem_i];
    bool post = a->writeback && mem_i + 1 < a->op_count;
    bool tbx = in->id == ARM_INS_TBB || in->id == ARM_INS_TBH;

    r->base = core_reg(m->mem.base);
    if (m->mem.index != ARM_REG_INVALID) {
        r->index = core_reg(m->mem.index);
        r->form_ok = r->index >= 0 && r->index < 15 && !m->subtracted;
    }
    if (m->shift.type == ARM_SFT_LSL)
        r->op.shift = (uint8_t)m->shift.value;
    else if (m->shift.type != ARM_SFT_INVALID)
        r->form_ok = false;
    if (post && a->operands[mem_i + 1].type != ARM_OP_IMM)
        r->form_ok = false;
    r->disp = post ? 0 : m->mem.disp;
    if (a->writeback) {
        r->wb = r->base;
        r->wb_ok = r->form_ok && r->index < 0;
        r->wb_delta = post ? a->operands[mem_i + 1].imm : m->mem.disp;
    }
    r->op.n_acc = 1;
    r->op.bytes = ii->mem_bytes;
    r->op.step = 4;
    if (ii->cls == TS_OP_load_double || ii->cls == TS_OP_store_double) {
        r->op.n_acc = 2;
        r->op.bytes = 4;
    } else if (ii->cls == TS_OP_fp_ldm || ii->cls == TS_OP_fp_stm) { /* VLDR/VSTR.64: one
                                                                        8-byte access */
        r->op.bytes = 8;
    } else if (tbx) {
        r->op.bytes = in->id == ARM_INS_TBB ? 1 : 2;
    }
    if (r->base == 15) { /* PC-relative: Align(PC, 4) for literals, PC for TBB/TBH */
        r->disp = wrap_add(r->disp, (int32_t)(r->index >= 0 ? pc + 4 : (pc + 4) & ~3u));
        r->base = -2;
    }
}

/* TF_LIST: consecutive words (or D registers) from the base, downwards for DB forms and PUSH,
 * with writeback of the whole size (always for PUSH/POP/VPUSH/VPOP). */
static void reg_list(const cs_insn *in, const insn_info *ii, mem_ref *r)
{
    const cs_arm *a = &in->detail->arm;
    uint32_t words = ii->n_words, dregs = 0;

    r->list = true;
    r->sp_based = in->id == ARM_INS_PUSH || in->id == ARM_INS_POP ||
                  in->id == ARM_INS_VPUSH || in->id == ARM_INS_VPOP;
    r->base = r->sp_based ? 13 : (a->op_count ? core_reg(a->operands[0].reg) : -1);
    for (int i = r->sp_based ? 0 : 1; i < a->op_count; i++)
        dregs += a->operands[i].type == ARM_OP_REG && a->operands[i].reg >= ARM_REG_D0 &&
                 a->operands[i].reg <= ARM_REG_D31;
    r->op.bytes = dregs ? 8 : 4;
    r->op.step = r->op.bytes;
    r->op.n_acc = (uint8_t)(dregs ? words / 2 : words);
    r->disp = is_down_list(in->id) ? -(int32_t)(4 * words) : 0;
    if (a->writeback || r->sp_based) {
        r->wb = r->base;
        r->wb_ok = true;
        r->wb_delta = is_down_list(in->id) ? -(int32_t)(4 * words) : (int32_t)(4 * words);
    }
    r->form_ok = r->base >= 0 && r->base < 15 && words > 0 && (!dregs || 2 * dregs == words);
}

/* Records the access of r as the block's next load op: in terms of the entry registers when
 * its base and index are tracked, else from the exit registers (tried later), else (conditional)
 * by a code hook. */
static void record_access(tracker *t, mem_ref *r, bool cond, bool store_op, effect *e)
{
    load_op *op = &r->op;
    bool entry_ok = true;

    if (!r->form_ok || r->base == -1) {
        t->bad = true;
        op->n_acc = 0;
    }
    if (r->base >= 0) {
        op->hb = (uint8_t)r->base;
        op->off = r->disp;
        if (tracked(t, r->base, &op->tb, &op->toff) ||
            indirect(t, r->base, &op->tb, &op->tbi, &op->toff, &op->ind, IND_BASE))
            op->toff = wrap_add(op->toff, r->disp);
        else
            entry_ok = false;
    } else {
        op->off = op->toff = r->disp;
    }
    if (r->index >= 0) {
        op->hi = (uint8_t)r->index;
        if (!tracked(t, r->index, &op->ti, &op->tioff) &&
            !indirect(t, r->index, &op->ti, &op->tii, &op->tioff, &op->ind, IND_INDEX))
            entry_ok = false;
    }
    op->cond = cond;
    op->is_store = store_op;
    op->form = cond ? LF_HOOK : entry_ok ? LF_ENTRY : LF_EXIT; /* LF_EXIT: tried later */
    if (op->form != LF_ENTRY)
        op->ind = 0; /* indirect terms exist only in the entry form */
    e->op = (int32_t)t->n_ops;
    e->disp = r->disp;
    e->base = (int8_t)(r->base >= 0 ? r->base : -1);
    e->index = (int8_t)r->index;
    t->ops[t->n_ops++] = *op;
}

/* Registers the instruction writes, as far as the tracker is concerned (d and wb are taken out
 * by the caller). */
static uint32_t written_regs(const cs_insn *in, const insn_info *ii, bool is_load,
                             const mem_ref *r)
{
    const cs_arm *a = &in->detail->arm;
    uint32_t written = (uint32_t)(ii->dst & 0x7fff);

    for (int i = 0; i < a->op_count; i++) {
        int k = a->operands[i].type == ARM_OP_REG ? core_reg(a->operands[i].reg) : -1;

        if (k >= 0 && k < 15 && (a->operands[i].access & CS_AC_WRITE))
            written |= 1u << k;
    }
    if (is_load)
        written |= loaded_regs(in, r->list, r->sp_based);
    return written;
}

/* The base writeback of r: base += wb_delta while the base stays tracked, else unknown. */
static void writeback(tracker *t, const cs_insn *in, const mem_ref *r, bool cond, bool is_load,
                      uint32_t *written, effect *e)
{
    bool reloaded = is_load && (loaded_regs(in, r->list, r->sp_based) >> r->wb & 1u);
    bool keep = r->wb_ok && !cond && t->known[r->wb] && !reloaded;

    *written &= ~(1u << r->wb);
    if (keep)
        t->off[r->wb] = wrap_add(t->off[r->wb], r->wb_delta);
    else
        t->known[r->wb] = false;
    e->wb = (int8_t)r->wb;
    e->wb_ok = r->wb_ok && !cond && !reloaded;
    e->wb_delta = r->wb_delta;
}

/* Literal load: an unconditional LDR (word) of a literal pool word in flash (read-only), whose
 * loaded value is a constant. Sets v when it is one. */
static void literal_load(const tracker *t, const cs_insn *in, const insn_info *ii,
                         const mem_ref *r, reg_value *v)
{
    const cs_arm *a = &in->detail->arm;
    int ri, rd;
    ts_mem_region *reg;

    if (r->base != -2 || r->index >= 0 || ii->cls != TS_OP_load || r->op.bytes != 4 ||
        in->id != ARM_INS_LDR || a->op_count != 2 || a->operands[0].type != ARM_OP_REG)
        return;
    ri = ts_mem_find(t->c->mem, (uint32_t)r->disp);
    reg = ri >= 0 ? ts_mem_region_at(t->c->mem, (unsigned)ri) : NULL;
    rd = core_reg(a->operands[0].reg);
    if (reg && reg->cfg->kind == TS_MEM_FLASH && (uint64_t)(uint32_t)r->disp + 4 <= reg->end &&
        rd >= 0 && rd < 15 && v->d < 0) {
        const uint8_t *p = reg->host + ((uint32_t)r->disp - reg->base);

        v->d = rd, v->known = true, v->src = LR_NONE, v->n = -1;
        v->off = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                           (uint32_t)p[3] << 24);
        v->add = v->off;
    }
}

/* Forgets the registers in `written` and gives v.d its new value (a MOV/ADD/SUB #imm of an
 * indirect value stays indirect). */
static void update_regs(tracker *t, const reg_value *v, uint32_t written, effect *e)
{
    bool d_ind = v->d >= 0 && !v->known && v->n >= 0 && t->known[v->n] && t->ind[v->n];
    uint8_t d_src;
    int32_t d_ioff, d_off;

    if (v->d >= 0)
        written &= ~(1u << v->d);
    d_src = d_ind ? t->src[v->n] : 0;
    d_ioff = d_ind ? t->ioff[v->n] : 0;
    d_off = d_ind ? wrap_add(t->off[v->n], v->add) : 0;
    for (int r = 0; r < 15; r++)
        if (written >> r & 1u)
            t->known[r] = false;
    e->written = written;
    if (v->d >= 0) {
        e->d = (int8_t)v->d;
        e->n = (int8_t)v->n;
        e->imm = v->add;
        t->known[v->d] = v->known || d_ind;
        t->ind[v->d] = d_ind;
        t->src[v->d] = d_ind ? d_src : v->src;
        t->off[v->d] = d_ind ? d_off : v->off;
        t->ioff[v->d] = d_ioff;
    }
}

/* Steps the tracker over one instruction at pc: records its load (if any), then updates the
 * symbolic register values. */
static void track_insn(tracker *t, const cs_insn *in, const insn_info *ii, uint32_t pc)
{
    const cs_arm *a = &in->detail->arm;
    bool cond = a->cc != ARM_CC_AL && a->cc != ARM_CC_INVALID;
    bool is_load = ii->is_load || in->id == ARM_INS_TBB || in->id == ARM_INS_TBH;
    bool store_op = ii->is_store && (t->c->track_ram || t->c->check_align); /* a tracked store
                                                        (multi-RAM targets, ARMv6-M alignment) */
    int mem_i = -1;
    track_form form = form_of(in, ii, &mem_i);
    mem_ref r = {.base = -1, .index = -1, .wb = -1, .form_ok = true};
    reg_value v = {.d = -1, .src = LR_NONE, .n = -1};
    uint32_t written;
    effect *e;

    if (form == TF_UNKNOWN) {
        track_unknown(t);
        return;
    }
    e = effect_new(t);
    r.op.pc = pc;
    r.op.hb = r.op.hi = r.op.tb = r.op.ti = LR_NONE;
    switch (form) {
    case TF_MEM: mem_operand(in, ii, pc, mem_i, &r); break;
    case TF_LIST: reg_list(in, ii, &r); break;
    case TF_MEM_OTHER: r.form_ok = false; break;
    case TF_REG: if (!cond) v.d = alu_form(t, in, &v); break;
    case TF_UNKNOWN: break;
    }
    if (is_load || store_op)
        record_access(t, &r, cond, store_op, e);
    written = written_regs(in, ii, is_load, &r);
    if (r.wb >= 0 && r.wb < 15)
        writeback(t, in, &r, cond, is_load, &written, e);
    if (form == TF_MEM && is_load && !cond)
        literal_load(t, in, ii, &r, &v);
    update_regs(t, &v, written, e);
    if (is_load && !cond && v.d < 0 && r.op.form == LF_ENTRY && !r.op.ind && !t->stored)
        pointer_load(t, in, ii, &r.op);
    if (ii->is_store || ii->cls == TS_OP_trap)
        t->stored = true;
}

/* Backward pass: gives loads without an entry form an exit form (their base and index as exit
 * register values + constants); loads with neither are left to code hooks (t->hooked). */
static void exit_forms(tracker *t)
{
    bool known[15];
    int32_t off[15];
    uint8_t src[15];

    for (int r = 0; r < 15; r++) /* r = exit value of src[r] + off[r] */
        known[r] = true, off[r] = 0, src[r] = (uint8_t)r;
    for (uint32_t i = t->n_fx; i-- > 0;) {
        const effect *e = &t->fx[i];

        if (e->d >= 0) {
            bool dk = known[e->d];
            int32_t doff = wrap_sub(off[e->d], e->imm);
            uint8_t dsrc = src[e->d];

            known[e->d] = false;
            if (e->n >= 0 && (e->n == e->d || !known[e->n])) {
                known[e->n] = dk; /* n = d - imm: the exit register d's value came from */
                off[e->n] = doff;
                src[e->n] = dsrc;
            }
        }
        if (e->wb >= 0) {
            if (e->wb_ok && known[e->wb])
                off[e->wb] = wrap_sub(off[e->wb], e->wb_delta);
            else
                known[e->wb] = false;
        }
        for (int r = 0; r < 15; r++)
            if (e->written >> r & 1u)
                known[r] = false;
        if (e->op >= 0 && t->ops[e->op].form == LF_EXIT) {
            load_op *op = &t->ops[e->op];
            bool ok = (e->base < 0 || known[e->base]) && (e->index < 0 || known[e->index]);

            if (ok) {
                op->tb = e->base >= 0 ? src[e->base] : LR_NONE;
                op->toff = wrap_add(e->disp, e->base >= 0 ? off[e->base] : 0);
                op->ti = e->index >= 0 ? src[e->index] : LR_NONE;
                op->tioff = e->index >= 0 ? off[e->index] : 0;
            } else {
                op->form = LF_HOOK;
            }
        }
    }
    for (uint32_t i = 0; i < t->n_ops; i++)
        if (t->ops[i].form == LF_HOOK)
            t->hooked = true;
}

/* Copies the tracker's loads into block b and works out the registers they use and how those
 * registers change from entry to exit (for blocks that run again right after themselves). */
static bool finish_loads(ts_core *c, core_block *b, tracker *t)
{
    uint32_t used = 0, xused = 0;

    exit_forms(t);
    b->n_lops = t->n_ops;
    b->hooked = t->hooked;
    if (t->bad)
        c->untracked_forms += 1;
    if (!t->n_ops)
        return true;
    b->lops = ts_arena_alloc(c->arena, t->n_ops * sizeof *b->lops);
    if (!b->lops)
        return false;
    memcpy(b->lops, t->ops, t->n_ops * sizeof *b->lops);
    for (uint32_t i = 0; i < t->n_ops; i++) {
        uint32_t *u = t->ops[i].form == LF_EXIT ? &xused : &used;

        if (t->ops[i].form == LF_HOOK)
            continue;
        if (t->ops[i].tb != LR_NONE)
            *u |= 1u << t->ops[i].tb;
        if (t->ops[i].ti != LR_NONE)
            *u |= 1u << t->ops[i].ti;
    }
    for (uint32_t i = 0; i < t->n_ops; i++) {
        b->needs_exit = b->needs_exit || t->ops[i].form != LF_ENTRY;
        b->has_ind = b->has_ind || (t->ops[i].form == LF_ENTRY && t->ops[i].ind);
    }
    for (int r = 0; r < 15; r++)
        if (xused >> r & 1u)
            b->xreg[b->n_xregs++] = (uint8_t)r;
    for (uint32_t i = 0; i < t->n_ops; i++) {
        if (b->lops[i].tb == LR_NONE)
            b->lops[i].tb = TR_ZERO;
        if (b->lops[i].ti == LR_NONE)
            b->lops[i].ti = TR_ZERO;
    }
    b->chain = b->self_chain = true;
    for (int r = 0; r < 15; r++) {
        if (!(used >> r & 1u))
            continue;
        b->ureg[b->n_uregs] = (uint8_t)r;
        b->usrc[b->n_uregs] = t->src[r] == LR_NONE ? TR_ZERO : t->src[r];
        b->udelta[b->n_uregs] = t->off[r];
        b->n_uregs++;
        if (!t->known[r] || t->ind[r] || (t->src[r] != LR_NONE && !(used >> t->src[r] & 1u)))
            b->chain = false;
        if (t->src[r] != r)
            b->self_chain = false;
    }
    b->self_chain = b->self_chain && b->chain;
    if (b->needs_exit)
        b->chain = b->self_chain = false;
    return true;
}

/* Sets Capstone's IT-block state for decoding a block at addr. Capstone 4 keeps the state of
 * the last cs_disasm_iter in the handle, which would make an unrelated block's first
 * instructions conditional; cs_disasm clears it, even for 0 bytes (cs.c: ITBlock.size = 0).
 * When the block continues the one that ran just before it (Unicorn ends a translation block
 * at a 1 KB page, even inside an IT block), that block's bytes are decoded again first, so an
 * IT block across the split keeps its conditions. */
static void prime_it_state(ts_core *c, const uint8_t *code, uint32_t addr, cs_insn *in)
{
    const core_block *prev = c->last_block;
    cs_insn *none = NULL;

    cs_disasm(c->cs, code, 0, addr, 0, &none);
    cs_free(none, 0);
    if (prev && prev->addr + prev->size == addr) {
        const uint8_t *p = prev->region->host + (prev->addr - prev->region->base);
        size_t left = prev->size;
        uint64_t pc = prev->addr;

        while (left >= 2 && cs_disasm_iter(c->cs, &p, &left, &pc, in))
            ;
    }
}

/* The condition of instruction `in` when it writes PC and may go to the next instruction
 * (ARM_CC_AL when unconditional), else 0: a block it ends that is followed by its fall-through
 * then took the branch when the condition held. 0 for a branch to an immediate target other
 * than the next instruction, and for CBZ/CBNZ (their target is at least 4 bytes past them). */
static uint8_t pc_write_cc(const cs_insn *in, const insn_info *ii)
{
    const cs_arm *a = &in->detail->arm;
    bool writes_pc = (ii->dst & RM_PC) != 0;

    if (in->id == ARM_INS_CBZ || in->id == ARM_INS_CBNZ)
        return 0;
    if ((in->id == ARM_INS_B || in->id == ARM_INS_BL) && a->op_count == 1 &&
        a->operands[0].type == ARM_OP_IMM &&
        (uint32_t)a->operands[0].imm != (uint32_t)in->address + in->size)
        return 0;
    writes_pc = writes_pc || ii->cls == TS_OP_branch || ii->cls == TS_OP_bl ||
                ii->cls == TS_OP_table_branch;
    for (int i = 0; i < a->op_count && !writes_pc; i++)
        writes_pc = a->operands[i].type == ARM_OP_REG && a->operands[i].reg == ARM_REG_PC &&
                    (a->operands[i].access & CS_AC_WRITE);
    if (!writes_pc)
        return 0;
    return a->cc == ARM_CC_INVALID ? (uint8_t)ARM_CC_AL : (uint8_t)a->cc;
}

/* Does `in` set SP other than by stepping it (push/pop, LDM/STM writeback, ADD/SUB SP, SP)?
 * MSR counts (MSR MSP/PSP switch stacks). */
static bool moves_sp(const cs_insn *in, const insn_info *ii)
{
    const cs_arm *a = &in->detail->arm;
    bool step = (ii->is_load || ii->is_store) && ii->addr == RM_CORE(13);

    if (in->id == ARM_INS_MSR)
        return true;
    if (!(ii->dst & RM_CORE(13)) || step)
        return false;
    if ((in->id == ARM_INS_ADD || in->id == ARM_INS_SUB || in->id == ARM_INS_ADDW ||
         in->id == ARM_INS_SUBW) && a->op_count >= 2 && a->operands[a->op_count - 2].type ==
        ARM_OP_REG && a->operands[a->op_count - 2].reg == ARM_REG_SP &&
        a->operands[a->op_count - 1].type == ARM_OP_IMM)
        return false;
    return true;
}

/* Decodes the `size` bytes of block b's code into infos[]; returns the instruction count and
 * sets b->exit_cc (pc_write_cc of the last instruction) and b->cond_mem. Bytes Capstone cannot
 * decode count as 2-byte "unknown" instructions. */
static uint32_t decode_bytes(ts_core *c, const uint8_t *code, core_block *b, uint32_t size,
                             cs_insn *in, insn_info *infos, tracker *t)
{
    uint32_t addr = b->addr;
    const uint8_t *p = code;
    size_t left = size;
    uint64_t pc = addr;
    uint32_t n = 0;

    prime_it_state(c, code, addr, in);
    while (left >= 2) {
        uint32_t at = (uint32_t)pc;

        if (cs_disasm_iter(c->cs, &p, &left, &pc, in)) {
            const cs_arm *a = &in->detail->arm;

            fill_info(c, in, &infos[n]);
            b->exit_cc = pc_write_cc(in, &infos[n]);
            b->exit_pc = at;
            b->moves_sp = b->moves_sp || moves_sp(in, &infos[n]);
            b->cond_mem = b->cond_mem || ((infos[n].is_load || infos[n].is_store) &&
                                          a->cc != ARM_CC_AL && a->cc != ARM_CC_INVALID);
            track_insn(t, in, &infos[n++], at);
            continue;
        }
        b->exit_cc = 0;
        b->exit_pc = (uint32_t)pc;
        track_unknown(t);
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

/* True when the 32-bit Thumb instruction at p has a data-dependent cost (dynamic.def). */
static bool matches_dynamic(const uint8_t *p)
{
    uint32_t w = (uint32_t)p[1] << 24 | (uint32_t)p[0] << 16 | (uint32_t)p[3] << 8 | p[2];

    for (size_t i = 0; i < sizeof dyn_rows / sizeof dyn_rows[0]; i++)
        if ((w & dyn_rows[i].mask) == dyn_rows[i].match)
            return true;
    return false;
}

/* Records the block's instructions whose cost depends on operand values (dynamic.def), for
 * code hooks (core_hook_block_divs), when the target's divide cost is a range. False when out
 * of memory. */
static bool find_divs(ts_core *c, core_block *b, const insn_info *infos)
{
    const uint8_t *code = b->region->host + (b->addr - b->region->base);
    uint32_t off = 0, n = 0;

    if (c->div_cost_min == c->div_cost_max)
        return true;
    for (uint32_t i = 0; i < b->n_insns; off += infos[i].size, i++)
        n += infos[i].size == 4 && matches_dynamic(code + off);
    if (!n)
        return true;
    if (!(b->div_pcs = ts_arena_alloc(c->arena, n * sizeof *b->div_pcs)))
        return false;
    off = 0;
    for (uint32_t i = 0; i < b->n_insns; off += infos[i].size, i++)
        if (infos[i].size == 4 && matches_dynamic(code + off))
            b->div_pcs[b->n_divs++] = b->addr + off;
    return true;
}

/* Decodes the block, or returns NULL with c->trap = TRAP_FAULT (no memory / unreadable). */
static core_block *decode_block(ts_core *c, uint32_t addr, uint32_t size)
{
    int ri = ts_mem_find(c->mem, addr);
    ts_mem_region *r = ri >= 0 ? ts_mem_region_at(c->mem, (unsigned)ri) : NULL;
    insn_info *infos = ts_malloc((size / 2 + 1) * sizeof *infos);
    load_op *ops = ts_malloc((size / 2 + 1) * sizeof *ops);
    effect *fx = ts_malloc((size / 2 + 1) * sizeof *fx);
    cs_insn *in = cs_malloc(c->cs);
    core_block *b = ts_arena_alloc(c->arena, sizeof *b);
    tracker t;

    if (b)
        memset(b, 0, sizeof *b);
    tracker_init(&t, ops, fx, c);
    if (!infos || !ops || !fx || !in || !b || !r || size > r->end - addr) {
        b = NULL;
        goto out_free;
    }
    b->addr = addr;
    b->size = size;
    b->region = r;
    b->n_lines = ((addr + size - 1) >> r->line_shift) - (addr >> r->line_shift) + 1;
    b->refetch_hits = r->icache.n_sets &&
                      (b->n_lines + r->icache.n_sets - 1) / r->icache.n_sets <= r->icache.ways;
    b->n_fetch_acc = (addr + size - 1) / (r->cfg->width_bits / 8) -
                     addr / (r->cfg->width_bits / 8) + 1;
    b->n_insns = decode_bytes(c, r->host + (addr - r->base), b, size, in, infos, &t);
    if (!check_isa(c, addr, infos, b->n_insns)) {
        b = NULL;
        goto out_free;
    }
    b->classes = ts_arena_alloc(c->arena, b->n_insns + 1);
    if (!b->classes || !finish_loads(c, b, &t) || !insert(c, b)) {
        b = NULL;
        goto out_free;
    }
    b->cycles = timing_block_cycles(c->t, infos, b->n_insns);
    block_traffic(b, infos);
    if (!find_divs(c, b, infos)) {
        b = NULL;
        goto out_free;
    }
out_free:
    if (in)
        cs_free(in, 1);
    ts_free(infos);
    ts_free(ops);
    ts_free(fx);
    return b;
}

core_block *core_block_get(ts_core *c, uint32_t addr, uint32_t size)
{
    core_block *b = lookup(c, addr, size);

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


bool core_hook_block_divs(ts_core *c, core_block *b, bool *failed)
{
    bool added = false;
    uc_hook h;

    for (uint32_t i = 0; i < b->n_divs; i++) {
        uint32_t pc = b->div_pcs[i];
        size_t j;

        for (j = 0; j < c->div_hooked.n && c->div_hooked.v[j] != pc; j++)
            ;
        if (j < c->div_hooked.n)
            continue; /* hooked for an overlapping block */
        if (!addr_list_push(&c->div_hooked, pc) ||
            uc_hook_add(c->uc, &h, UC_HOOK_CODE, (void *)on_div, c, pc, pc) != UC_ERR_OK)
            return *failed = true, added;
        added = true;
    }
    return added;
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

uint32_t core_prefix_cycles(ts_core *c, const core_block *b, uint32_t pc)
{
    const uint8_t *p = b->region->host + (b->addr - b->region->base);
    insn_info *infos = ts_malloc((b->size / 2 + 1) * sizeof *infos);
    cs_insn *in = cs_malloc(c->cs), *none = NULL;
    size_t left = b->size;
    uint64_t at = b->addr;
    uint32_t n = 0, cycles = b->cycles;

    if (infos && in) {
        cs_disasm(c->cs, p, 0, at, 0, &none); /* no IT state from an earlier decode */
        cs_free(none, 0);
        while (left >= 2 && at <= pc && cs_disasm_iter(c->cs, &p, &left, &at, in))
            fill_info(c, in, &infos[n++]);
        cycles = timing_block_cycles(c->t, infos, n);
    }
    if (in)
        cs_free(in, 1);
    ts_free(infos);
    return cycles;
}

/* The first load/store of the block at block_addr whose byte range, computed from the
 * registers now (the state just before the access), covers addr; with a previous access
 * (prev_pc, prev_addr) of the same block run, only from prev_pc on, and prev_pc itself only for
 * a later address of its own range (the next word of an LDM). block_addr when none is found. */
static uint32_t find_access(ts_core *c, uint32_t block_addr, uint32_t block_size, uint32_t addr,
                            const uint32_t *prev_pc, uint32_t prev_addr)
{
    int ri = ts_mem_find(c->mem, block_addr);
    ts_mem_region *r = ri >= 0 ? ts_mem_region_at(c->mem, (unsigned)ri) : NULL;
    cs_insn *in = cs_malloc(c->cs);
    const uint8_t *p;
    size_t left = block_size;
    uint64_t pc = block_addr;
    uint32_t lo, len, found = block_addr;
    bool done = false;

    if (!in || !r || block_size > r->end - block_addr) {
        if (in)
            cs_free(in, 1);
        return block_addr;
    }
    p = r->host + (block_addr - r->base);
    while (left >= 2 && !done) {
        uint32_t at = (uint32_t)pc;

        if (!cs_disasm_iter(c->cs, &p, &left, &pc, in))
            break;
        if ((prev_pc && at < *prev_pc) || !mem_range(c, in, &lo, &len) || addr - lo >= len)
            continue;
        if (prev_pc && at == *prev_pc && !(addr > prev_addr && prev_addr - lo < len))
            continue;
        found = at;
        done = true;
    }
    cs_free(in, 1);
    return found;
}

/* Unicorn 2.0.1 reports the start of the translation block as the PC of a data fault. The
 * faulting instruction is the first load/store of the block whose address, computed from the
 * registers now (the state just before that instruction), covers the faulting address. */
uint32_t core_fault_pc(ts_core *c, uint32_t block_addr, uint32_t block_size, uint32_t fault_addr)
{
    return find_access(c, block_addr, block_size, fault_addr, NULL, 0);
}

uint32_t core_access_pc(ts_core *c, const core_block *b, uint32_t addr, const uint32_t *prev_pc,
                        uint32_t prev_addr)
{
    uint32_t pc = find_access(c, b->addr, b->size, addr, prev_pc, prev_addr);

    return pc == b->addr && prev_pc ? core_fault_pc(c, b->addr, b->size, addr) : pc;
}
