/* core_int.h: private declarations shared by core.c, decode.c, timing.c and semihost.c.
 * Layer: sim/core. Not part of the public interface. */
#ifndef TS_CORE_INT_H
#define TS_CORE_INT_H

#include <capstone/capstone.h>
#include <unicorn/unicorn.h>

#include "base/alloc.h"
#include "core.h"

/* Register sets as bit masks: bits 0-15 core r0..r15, 16-47 FP s0..s31, bit 48 flags. */
typedef uint64_t regmask;
#define RM_CORE(r) ((regmask)1 << (r))
#define RM_PC RM_CORE(15)
#define RM_S(s) ((regmask)1 << (16 + (s)))
#define RM_FLAGS ((regmask)1 << 48)

/* Sets of op classes as bit masks (TS_N_OPCLASS <= 64). */
#define OC(x) ((uint64_t)1 << TS_OP_##x)
static inline bool in_set(uint64_t set, unsigned cls)
{
    return (set >> cls) & 1u;
}

/* A growable list of addresses (hooked instruction ranges, hooked divides). */
typedef struct addr_list {
    uint32_t *v;
    size_t n, cap;
} addr_list;

/* Appends a; false when out of memory (the list is unchanged). */
static inline bool addr_list_push(addr_list *l, uint32_t a)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        uint32_t *v = ts_realloc(l->v, cap * sizeof *v);

        if (!v)
            return false;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = a;
    return true;
}

/* What the timing model needs of one decoded instruction. */
typedef struct insn_info {
    uint8_t cls;       /* ts_opclass */
    uint8_t size;      /* bytes: 2 or 4 */
    uint8_t n_words;   /* registers/words moved by LDM/STM/VLDM/VLDR.64 (0 otherwise) */
    uint8_t mem_bytes; /* bytes per access for loads/stores (static traffic), 0 = none */
    uint8_t n_acc;     /* accesses made (LDM: N; LDRD: 2) */
    bool is_load;
    bool is_store;
    bool is_div;
    regmask dst;       /* registers written */
    regmask src;       /* registers read */
    regmask addr;      /* registers forming a load/store address */
} insn_info;

/* One data load (or table-branch read) of a block, for flash/wait-state accounting without
 * memory hooks (decode.c builds them, core.c replays them). Access k of the op reads `bytes` at
 * base + off + ((index + ioff) << shift) + k * step, the registers being either the block-entry
 * values (tracked form: tb/ti/toff/tioff) or the values just before the instruction (hooked
 * form: hb/hi/off). LR_NONE: no register (the offset is the absolute address); in a block's
 * tracked form and usrc it is replaced by TR_ZERO, a register slot that always holds 0. */
#define LR_NONE 0xff
#define TR_ZERO 15
/* Indirect terms (ind bits): the base (IND_BASE) or index (IND_INDEX) of the tracked form is
 * not an entry register but a word loaded earlier in the block, before any store:
 * M32[entry tb + tbi] (resp. M32[entry ti + tii]), read from emulated memory at block entry. */
#define IND_BASE 1u
#define IND_INDEX 2u
typedef struct load_op {
    uint32_t pc;          /* instruction address */
    int32_t off, toff, tioff;
    int32_t tbi, tii;     /* pointer offsets of indirect terms (ind) */
    uint8_t ind;          /* IND_BASE | IND_INDEX */
    uint8_t hb, hi;       /* hooked form: base and index register (0..14 or LR_NONE) */
    uint8_t tb, ti;       /* tracked form: entry registers (or LR_NONE) */
    uint8_t shift, n_acc, bytes, step;
    uint8_t form;         /* LF_ENTRY: tracked form from entry registers; LF_EXIT: from the
                             registers at block exit; LF_HOOK: neither (code hooks) */
    uint8_t cond;         /* conditional (IT block): only a code hook sees whether it runs */
    uint8_t is_store;     /* a store (tracked only with track_ram or check_align); a load
                             otherwise */
} load_op;
enum { LF_ENTRY, LF_EXIT, LF_HOOK };

/* One decoded translation block, cached by start address. */
typedef struct core_block {
    uint32_t addr;        /* first instruction */
    uint32_t size;        /* bytes */
    uint32_t n_insns;
    uint32_t cycles;      /* static cost (timing.c) */
    uint32_t n_loads, load_bytes, n_stores, store_bytes; /* static data traffic */
    uint64_t n_exec;      /* times executed since the last stats reset */
    struct core_block *succ[2]; /* the last two blocks seen right after this one (lookup cache) */
    ts_mem_region *region; /* region holding the code */
    uint32_t n_lines;      /* instruction lines the block spans (region->line_shift units) */
    bool refetch_hits;     /* its lines fit the region's I-cache: a repeat right after itself
                              hits on every line */
    uint32_t n_fetch_acc;  /* bus accesses (width_bits units) to fetch the block */
    uint8_t *classes;     /* n_insns op classes, for the class histogram */
    load_op *lops;        /* data loads in program order (n_lops) */
    uint32_t n_lops;
    bool has_ind;         /* some tracked load has an indirect term (never deferred with stores) */
    bool hooked;          /* some load address is not a function of the entry registers: all the
                             block's loads are accounted by code hooks on the load instructions */
    bool hooks_added;     /* code hooks for its loads and divides were added (or none needed) */
    bool moves_sp;        /* some instruction sets SP other than by a push/pop/LDM/STM
                             writeback or ADD/SUB SP, SP: the stack may have changed region */
    bool cond_mem;        /* some load/store is conditional (IT block): which instruction made
                             the k-th device access of a run may vary (ts_core_now) */
    uint32_t exit_pc;     /* address of its last instruction */
    uint8_t exit_cc;      /* the last instruction writes PC (a branch): its Capstone condition
                             (ARM_CC_AL when unconditional); 0 when it does not */
    uint32_t n_divs;      /* data-dependent instructions (dynamic.def) and their addresses */
    uint32_t *div_pcs;
    bool chain;           /* each used register's exit value is known from the entry values */
    bool self_chain;      /* ... and is its own entry value + udelta */
    bool rep_known;       /* rep_fetch and rep_cycles are set */
    ts_mem_fetch_delta rep_fetch; /* region counters of one self-repeat's fetch */
    uint32_t rep_cycles;  /* cycles of one self-repeat: static cost, refill and fetch stall */
    bool needs_exit;      /* some load is accounted from the exit registers or a code hook: all
                             are accounted, in program order, at the next block hook or when
                             emulation stops */
    uint8_t n_xregs;      /* exit registers those loads use */
    uint8_t xreg[15];
    uint8_t n_uregs;      /* entry registers the tracked loads use */
    uint8_t ureg[15];
    uint8_t usrc[15];     /* exit value of ureg[i] = entry value of usrc[i] (or 0) + udelta[i] */
    int32_t udelta[15];
} core_block;

typedef enum trap_kind {
    TRAP_NONE, TRAP_BKPT, TRAP_EXCEPTION, TRAP_FAULT, TRAP_BUDGET, TRAP_CYCLES, TRAP_DEVICE
} trap_kind;

/* A device mapped on an mmio region (ts_core_attach_device). */
typedef struct core_device {
    ts_core *core;
    ts_core_device dev;
    uint32_t base;
    bool used;
} core_device;

/* The modelled timing registers of the private peripheral bus (scs.c). */
typedef struct scs_state {
    core_device dev[2];        /* the DWT page and the SCS page */
    uint8_t dwt_page[4096];    /* scratch image of the unmodelled registers of each page */
    uint8_t sys_page[4096];
    uint64_t epoch_cycles;     /* core cycles before the last stats reset (counters' clock) */
    uint32_t demcr, dwt_ctrl;  /* DEMCR and DWT_CTRL as last written */
    uint32_t cyc_value;        /* CYCCNT at cyc_since */
    uint64_t cyc_since;        /* counters' clock, cycles */
    bool cyc_on;               /* counting since cyc_since */
    uint32_t st_csr;           /* SysTick ENABLE | TICKINT */
    uint32_t st_reload, st_current; /* RELOAD; CURRENT at st_since */
    uint64_t st_since;         /* counters' clock, cycles */
    bool st_flag;              /* COUNTFLAG at st_since */
} scs_state;

struct ts_core {
    uc_engine *uc;
    csh cs;
    const ts_target *t;
    ts_core_config cfg;
    ts_mem *mem;
    const char *label;       /* program or target name for messages */
    uc_hook h_block, h_intr, h_unmapped, h_prot;
    /* block cache: open addressing on addr */
    core_block **slots;
    size_t n_slots, n_blocks;
    ts_arena *arena;
    /* run state */
    uint32_t next_pc;        /* fall-through address of the last block */
    uint8_t next_cc;         /* exit_cc of the last block: a next block at next_pc was reached
                                by a taken branch when this condition held */
    core_block *last_block;  /* the block executing now (or last executed) */
    core_block *run_block;   /* last_block, repeating right after itself: its repeats since the
                                run started are accounted in one step when the run ends */
    uint64_t run_reps;       /* deferred repeats; their loads start from regs[] + udelta */
    uint64_t budget_end;     /* stats.insns value at which the limits are checked next */
    uint64_t insn_end;       /* stats.insns value that ends the run (budget) */
    uint64_t cycle_end;      /* stats.cycles value that ends it (max_cycles; else UINT64_MAX) */
    ts_mem_region *data_region; /* where static (unhooked) data traffic is counted */
    ts_mem_counters fast_acc[TS_TARGET_MAX_REGIONS]; /* fast_mem: static traffic counted before
                                the stack last changed region, per region it was in */
    ts_mem_counters fast_done; /* static totals when it last changed region */
    ts_mem_region *peek_region; /* last region peek_word read from */
    uint64_t hooked_loads, hooked_load_bytes;   /* loads seen by memory hooks */
    uint64_t hooked_stores, hooked_store_bytes; /* stores seen by memory hooks */
    uint64_t static_loads, static_load_bytes, static_stores, static_store_bytes;
    bool track_loads;        /* loads from load-hooked regions are replayed from decode (no
                                memory read hook) */
    unsigned n_lregions;     /* regions whose loads are counted by address: flash or
                                wait-stated, and every RAM region with track_ram */
    ts_mem_region *lregion[TS_TARGET_MAX_REGIONS];
    bool track_ram;          /* the target has several RAM regions without wait states: their
                                loads and stores are counted by address (decoded like flash
                                loads), not all in the stack's region */
    bool check_align;        /* ARMv6-M: a halfword/word access at an unaligned address is a
                                fault; loads and stores are replayed from decode (or seen by
                                exact_mem's hooks) and checked */
    bool align_fault;        /* one was found (the first): align_* describe it */
    bool align_store;
    uint8_t align_bytes;
    uint32_t align_pc, align_addr;
    unsigned n_sregions;     /* regions whose stores are counted by address (track_ram) */
    ts_mem_region *sregion[TS_TARGET_MAX_REGIONS];
    bool regs_valid;         /* regs[] holds the entry values of last_block's used registers */
    bool restart;            /* emulation stopped to retranslate a block with new load hooks */
    uint32_t regs[16];       /* regs[TR_ZERO] stays 0 */
    uint32_t xregs[16];      /* exit values for pending's loads; xregs[TR_ZERO] stays 0 */
    core_block *pending;     /* executed block whose loads wait for its exit registers */
    uint32_t *hook_addr;     /* per load op of the running hooked block: address seen by the
                                code hook, valid when hook_seq[i] == block_seq */
    uint64_t *hook_seq;
    uint32_t cap_hook_ops;
    addr_list hooked_pcs;    /* [lo, hi] address pairs covered by load code hooks */
    uint64_t block_seq;      /* block hooks so far */
    addr_list div_hooked;    /* addresses of divides with a code hook */
    uint64_t untracked_forms; /* blocks with a load form neither path models (expected 0) */
    trap_kind trap;
    uint32_t trap_intno, trap_pc;
    uint32_t fault_addr, fault_size;
    int bad_class;           /* >= 0: op class the core lacks, found at trap_pc (decode.c) */
    bool bad_v6m;            /* a 32-bit instruction ARMv6-M does not have, at trap_pc */
    int fault_type;          /* uc_mem_type of the faulting access */
    ts_core_stats stats;
    uint32_t div_cost_min, div_cost_max;
    core_device devices[TS_TARGET_MAX_REGIONS]; /* per region index */
    scs_state scs;           /* DWT cycle counter, SysTick (scs.c) */
    const core_block *acc_block; /* the block run of the current device access: its block, */
    uint64_t acc_insns;      /* stats.insns at it, and the access's index k in the run */
    uint32_t acc_k;
    bool acc_found;          /* ts_core_now found the instruction of an earlier access of the
                                run: acc_pc, at address acc_addr */
    uint32_t acc_pc, acc_addr;
    struct now_entry {       /* ts_core_now: the instruction of the k-th device access (at addr)
                                of a run of block b, and the static cycles of b after it (a
                                polling loop repeats them) */
        const core_block *b;
        uint32_t k, addr, pc, rest;
    } now_cache[8];
    bool in_device;          /* inside a device callback: mmio_addr is the access */
    uint32_t mmio_addr;
    char device_msg[TS_ERR_MSG_BYTES]; /* TRAP_DEVICE (a device's or the poll's message) */
};

/* decode.c */
ts_status core_decode_open(ts_core *c, ts_err *err);
void core_decode_close(ts_core *c);
/* The cached block at addr, decoding it (size bytes) on first sight; NULL on failure (trap set). */
core_block *core_block_get(ts_core *c, uint32_t addr, uint32_t size);
/* Best PC of the instruction that faulted at data address fault_addr in the given block. */
uint32_t core_fault_pc(ts_core *c, uint32_t block_addr, uint32_t block_size, uint32_t fault_addr);
/* The instruction of running block b that makes the device access at addr now: the first
 * load/store covering addr after the one (prev_pc, at prev_addr) of the run's previous device
 * access (prev_pc NULL: none), as core_fault_pc finds it otherwise. */
uint32_t core_access_pc(ts_core *c, const core_block *b, uint32_t addr, const uint32_t *prev_pc,
                        uint32_t prev_addr);
/* Static cycles of block b's instructions up to and including the one at pc (timing.c). */
uint32_t core_prefix_cycles(ts_core *c, const core_block *b, uint32_t pc);
/* Adds code hooks on the divides of block b not hooked yet; true when some were added, false
 * with *failed set when Unicorn refused one. */
bool core_hook_block_divs(ts_core *c, core_block *b, bool *failed);

/* timing.c */
uint32_t timing_block_cycles(const ts_target *t, const insn_info *insns, uint32_t n);
uint32_t timing_div_cycles(uint32_t min_cycles, uint32_t max_cycles, uint32_t dividend,
                           uint32_t divisor, bool is_signed);

/* semihost.c: handles the semihosting call at trap_pc; returns TS_OK or TS_ERR_EMU. */
ts_status core_semihost(ts_core *c, ts_err *err);

/* scs.c: maps the private peripheral bus (DWT and SCS pages as devices, the rest scratch). */
ts_status core_scs_map(ts_core *c, ts_err *err);
void core_scs_reset_clock(ts_core *c, uint64_t cycles_before);
/* The word at addr (in the PPB) without side effects: false for a modelled counter register. */
bool core_scs_peek(ts_core *c, uint32_t addr, uint32_t *w);

/* core.c */
ts_status core_fault(ts_core *c, uint32_t pc, uc_err e, const char *what, ts_err *err);
/* Maps [base, base + bytes) as read/write memory with no effect (writes kept). */
ts_status core_map_scratch(ts_core *c, uint32_t base, uint32_t bytes, ts_err *err);
/* Maps device dev (copied into d) on [base, base + bytes). */
ts_status core_map_device(ts_core *c, core_device *d, const ts_core_device *dev, uint32_t base,
                          uint32_t bytes, ts_err *err);

#endif
