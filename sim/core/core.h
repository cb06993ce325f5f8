/* core.h: an emulated Cortex-M core (Unicorn) with a cycle model (Capstone decode + per-core
 * timing tables from the target JSON). Layer: sim/core. Never prints: semihosting console output
 * goes to a caller-provided callback. The timing hooks only observe; the semihosting trap is the
 * one functional hook (it writes R0 and resumes after the BKPT).
 *
 * Cycle model (details in timing.c and mem.c): per translation block, the cached sum of static op
 * class costs with in-block corrections (M4 load pipelining, AGU stall, FP result stall, LDM 1+N,
 * dual issue); at run time, + P for every taken branch, + flash wait states through the
 * line-buffer/cache model, + the data-dependent part of SDIV/UDIV. */
#ifndef TS_CORE_H
#define TS_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "mem/mem.h"
#include "target/target.h"
#include "target/opclass.h"

#define TS_CORE_DEFAULT_MAX_INSNS 10000000000ull /* budget when the config says 0 */
/* LR at reset: "preset to an illegal exception return value" (ARMv7-M ARM DDI 0403E B1.5.5
 * TakeReset(); ARMv6-M ARM DDI 0419E B1.5.5). A reset handler that returns branches to
 * 0xFFFFFFFE: ts_core_run stops there and reports it (silicon takes a HardFault). */
#define TS_CORE_RESET_LR 0xFFFFFFFFu

typedef struct ts_core ts_core;

/* Receives semihosting console output (SYS_WRITEC/WRITE0/WRITE to handles 1 and 2). */
typedef void ts_core_output_fn(void *opaque, const char *bytes, size_t n);

/* Called between blocks about every poll_insns instructions with the cycles and
 * instructions so far (e.g. to show progress or watch a wall-clock limit). Returns NULL to go
 * on, or a message (copied) to stop the run: it then fails with TS_ERR_EMU and that message. */
typedef const char *ts_core_poll_fn(void *opaque, uint64_t cycles, uint64_t insns);
#define TS_CORE_POLL_INSNS (1u << 22)

typedef struct ts_core_config {
    uint64_t max_insns;        /* budget per run/call, instructions; 0 = default */
    uint64_t max_cycles;       /* limit per run/call, core cycles; 0 = none. Checked between
                                  blocks (a run stops within a few blocks past it) */
    ts_core_poll_fn *poll;     /* NULL: none */
    void *poll_opaque;
    uint64_t poll_insns;       /* instructions between polls; 0 = TS_CORE_POLL_INSNS */
    ts_core_output_fn *output; /* NULL: output discarded */
    void *output_opaque;
    bool bare;      /* no hooks except semihosting/faults: Unicorn speed baseline, no counts */
    bool exact_mem; /* memory hooks on every region: exact per-region data traffic (slower) */
    bool fast_mem;  /* no memory hooks at all: all data traffic (flash loads included) is
                       counted in the region the stack is in (followed when the program moves
                       SP), flash loads get no wait states (fastest; underestimates); no
                       ARMv6-M alignment check */
    bool per_block; /* account each block run at its hook with the full fetch model, also when
                       a block repeats right after itself (normally such a run is accounted in
                       one step when it ends, and its fetches as cache hits when its lines
                       fit): the same numbers, slower; for tests */
    const char *program; /* name used in fault messages (e.g. the ELF path); may be NULL */
} ts_core_config;

/* ts_core_stats.notes bits. */
#define TS_CORE_NOTE_SYSTICK_IRQ 1u /* SysTick enabled with TICKINT: its exception is not taken */
#define TS_CORE_NOTE_NO_CYCCNT 2u   /* DWT CYCCNT read on ARMv6-M, which has none: read 0 */

typedef struct ts_core_stats {
    uint64_t cycles;           /* total core cycles */
    uint64_t insns;            /* instructions issued (incl. IT-skipped ones) */
    uint64_t blocks;           /* translation blocks executed */
    uint64_t taken_branches;   /* non-sequential block starts */
    uint64_t branch_cycles;    /* cycles from the refill penalty P */
    uint64_t mem_stall_cycles; /* flash wait-state cycles (fetch + data) */
    uint64_t wait_cycles;      /* cycles asleep in WFI until a device's event (inside cycles) */
    uint64_t div_extra_cycles; /* data-dependent divide cycles above the class minimum */
    uint64_t class_insns[TS_N_OPCLASS]; /* instructions per op class */
    uint64_t semihost_calls;
    uint64_t semihost_unsupported; /* semihosting operations answered with -1 */
    unsigned n_regions;                                  /* as the target */
    ts_mem_counters region[TS_TARGET_MAX_REGIONS];       /* traffic per target region */
    uint64_t static_loads, static_stores; /* data accesses from decode (hook-free counting) */
    uint32_t notes;            /* TS_CORE_NOTE_* bits: things the program did that the
                                  model does not follow, for the caller to report */
    bool exited;               /* the program called SYS_EXIT / SYS_EXIT_EXTENDED */
    int exit_code;             /* its exit code (0 = ADP_Stopped_ApplicationExit) */
    uint32_t exit_reason;      /* the semihosting reason code */
} ts_core_stats;

/* Creates a core for target t (borrowed: it must outlive the core) and maps its regions.
 * [in] cfg may be NULL (defaults). [out] out: NULL on failure.
 * Returns TS_OK, TS_ERR_NOMEM, TS_ERR_EMU (Unicorn/Capstone set-up failed). */
ts_status ts_core_open(const ts_target *t, const ts_core_config *cfg, ts_core **out, ts_err *err);

/* NULL-safe. */
void ts_core_close(ts_core *c);

/* The target the core was opened with (borrowed). */
const ts_target *ts_core_target(const ts_core *c);

/* The memory system (regions, counters), valid until ts_core_close. */
ts_mem *ts_core_mem(ts_core *c);

/* Host access to emulated memory (not counted as traffic). TS_ERR_RANGE outside the regions. */
ts_status ts_core_write(ts_core *c, uint32_t addr, const void *src, size_t n, ts_err *err);
ts_status ts_core_read(ts_core *c, uint32_t addr, void *dst, size_t n, ts_err *err);

/* Core registers r0..r15 (13 = SP, 14 = LR, 15 = PC). Caller bug if reg > 15. */
ts_status ts_core_set_reg(ts_core *c, unsigned reg, uint32_t value, ts_err *err);
ts_status ts_core_get_reg(ts_core *c, unsigned reg, uint32_t *value, ts_err *err);

/* Runs from `entry` (Thumb bit optional) until the program exits through semihosting.
 * Returns TS_OK when it exited (see stats.exit_code), TS_ERR_EMU on a fault (message names the
 * program, the PC, the faulting address, the core and uc_strerror), on an unsupported trap,
 * when the instruction budget or the cycle limit is exceeded (the message gives the cycles so
 * far) or when the poll callback stops it. On ARMv6-M cores an unaligned halfword or word
 * access is a fault (a HardFault on silicon; Unicorn would return data). Counters accumulate
 * over runs. */
ts_status ts_core_run(ts_core *c, uint32_t entry, ts_err *err);

/* Calls the function at `fn` with up to 4 word arguments (AAPCS r0-r3) on the current stack,
 * until it returns; [out] ret: r0 (may be NULL). Errors as ts_core_run; SYS_EXIT inside the call
 * is TS_ERR_EMU. */
ts_status ts_core_call(ts_core *c, uint32_t fn, const uint32_t *args, unsigned n_args,
                       uint32_t *ret, ts_err *err);

/* Counters since open or the last reset, valid until the next run or close. Op-class counts
 * and region traffic are computed on each call (one pass over the decoded blocks).
 * Region traffic: fetches are exact; loads from flash (and from regions with wait states) are
 * exact: replayed from the decoded blocks and their registers (or memory hooks with
 * exact_mem). On a target with several RAM regions without wait states, their loads and stores
 * are replayed the same way and charged to the region holding each address, as exact_mem's
 * hooks charge them (a STREX is one write; Unicorn's hooks also see a read). On a target with
 * one such region, the other data accesses are counted from the decoded load/store widths per
 * executed block and charged to it (loads skipped by a failed IT condition are then counted).
 */
const ts_core_stats *ts_core_get_stats(ts_core *c);

/* Zeroes the cycle/instruction/memory counters and empties the caches (not the decode cache). */
void ts_core_reset_stats(ts_core *c);

/* A memory-mapped device (an execution unit's registers). The callbacks run during the
 * emulated access, with the core's clock exact at that access (ts_core_now). `next_event` is
 * the cycle (ts_core_now's scale) at which the device raises its interrupt, UINT64_MAX when it
 * will not: WFI sleeps until the earliest one (interrupts masked, as in a driver that waits
 * with PRIMASK set: the core wakes and continues after the WFI; wake-up takes
 * pipeline.wfi_wake_cycles). A WFI with no event pending is a fault (it would sleep forever). */
typedef struct ts_core_device {
    uint32_t (*read)(void *opaque, uint32_t offset, unsigned size_bytes);
    void (*write)(void *opaque, uint32_t offset, unsigned size_bytes, uint32_t value);
    uint64_t (*next_event)(void *opaque);
    void *opaque;
} ts_core_device;

/* Maps device dev (copied; opaque borrowed, outlives the core) on memory region `region` of the
 * target, which must be of kind mmio and have no device yet. Accesses to an mmio region with
 * no device fault as unmapped. TS_ERR_CONFIG (not mmio, taken), TS_ERR_EMU (Unicorn). */
ts_status ts_core_attach_device(ts_core *c, unsigned region, const ts_core_device *dev,
                                ts_err *err);

/* The core's cycle count now. Inside a device callback: at the access (deferred accounting
 * settled, the rest of the current block not counted; flash wait states of the block's own
 * loads are the one part still counted at its end). */
uint64_t ts_core_now(ts_core *c);

/* From a device callback: stops the emulation; the run returns TS_ERR_EMU with msg (copied),
 * prefixed with the program, PC and core. */
void ts_core_device_fault(ts_core *c, const char *msg);

/* Name of the Unicorn CPU model used ("cortex-m0" for an M0+ target). */
const char *ts_core_model_name(const ts_core *c);

#endif
