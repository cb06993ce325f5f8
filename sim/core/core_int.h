/* core_int.h: private declarations shared by core.c, decode.c, timing.c and semihost.c.
 * Layer: sim/core. Not part of the public interface. */
#ifndef TS_CORE_INT_H
#define TS_CORE_INT_H

#include <capstone/capstone.h>
#include <unicorn/unicorn.h>

#include "../base/alloc.h"
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

/* One decoded translation block, cached by start address. */
typedef struct core_block {
    uint32_t addr;        /* first instruction */
    uint32_t size;        /* bytes */
    uint32_t n_insns;
    uint32_t cycles;      /* static cost (timing.c) */
    uint32_t n_loads, load_bytes, n_stores, store_bytes; /* static data traffic */
    uint64_t n_exec;      /* times executed since the last stats reset */
    ts_mem_region *region; /* region holding the code */
    uint32_t n_lines;      /* I-cache lines the block spans */
    uint32_t n_fetch_acc;  /* bus accesses (width_bits units) to fetch the block */
    uint8_t *classes;     /* n_insns op classes, for the class histogram */
} core_block;

typedef enum trap_kind { TRAP_NONE, TRAP_BKPT, TRAP_EXCEPTION, TRAP_FAULT, TRAP_BUDGET } trap_kind;

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
    core_block *last_block;  /* the block executing now (or last executed) */
    uint64_t budget_end;     /* stats.insns value that ends the run */
    ts_mem_region *data_region; /* where static (unhooked) data traffic is counted */
    uint64_t hooked_loads, hooked_load_bytes;   /* loads seen by memory hooks */
    uint64_t hooked_stores, hooked_store_bytes; /* stores seen by memory hooks */
    uint64_t static_loads, static_load_bytes, static_stores, static_store_bytes;
    trap_kind trap;
    uint32_t trap_intno, trap_pc;
    uint32_t fault_addr, fault_size;
    int bad_class;           /* >= 0: op class the core lacks, found at trap_pc (decode.c) */
    bool bad_v6m;            /* a 32-bit instruction ARMv6-M does not have, at trap_pc */
    int fault_type;          /* uc_mem_type of the faulting access */
    ts_core_stats stats;
    uint32_t div_cost_min, div_cost_max;
    bool divs_scanned;
};

/* decode.c */
ts_status core_decode_open(ts_core *c, ts_err *err);
void core_decode_close(ts_core *c);
/* The cached block at addr, decoding it (size bytes) on first sight; NULL on failure (trap set). */
core_block *core_block_get(ts_core *c, uint32_t addr, uint32_t size);
/* Best PC of the instruction that faulted at data address fault_addr in the given block. */
uint32_t core_fault_pc(ts_core *c, uint32_t block_addr, uint32_t block_size, uint32_t fault_addr);
/* Registers code hooks on every SDIV/UDIV found in executable regions (once). */
ts_status core_scan_divs(ts_core *c, ts_err *err);

/* timing.c */
uint32_t timing_block_cycles(const ts_target *t, const insn_info *insns, uint32_t n);
uint32_t timing_div_cycles(uint32_t min_cycles, uint32_t max_cycles, uint32_t dividend,
                           uint32_t divisor, bool is_signed);

/* semihost.c: handles the semihosting call at trap_pc; returns TS_OK or TS_ERR_EMU. */
ts_status core_semihost(ts_core *c, ts_err *err);

/* core.c */
ts_status core_fault(ts_core *c, uint32_t pc, uc_err e, const char *what, ts_err *err);

#endif
