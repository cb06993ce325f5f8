/* target.h: a hardware target (core profile, clock, memory regions, timing tables), loaded from
 * targets/NAME.json and validated against target_keys.def. Layer: sim/target (untrusted input).
 * No Unicorn here. A ts_target is plain data: it owns no pointers, may be copied by value, and
 * must outlive every core/engine that borrows it. Every number in it comes from the JSON, which
 * cites its source (TRM / datasheet / reference manual). */
#ifndef TS_TARGET_H
#define TS_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "opclass.h"

#define TS_TARGET_MAX_REGIONS 8
#define TS_TARGET_NAME_BYTES 48
#define TS_TARGET_TEXT_BYTES 160
#define TS_TARGET_PATH_BYTES 256

/* The core profiles, generated from cores.def (names, DSP extension, FPU, sources there). */
typedef enum ts_core_kind {
#define CORE(id, name, dsp_ext, fpu, source) TS_CORE_##id,
#include "cores.def"
#undef CORE
    TS_N_CORE_KIND
} ts_core_kind;

/* ORDER class_names: the hardware class of the whole target. */
typedef enum ts_target_class { TS_CLASS_MCU, TS_CLASS_MCU_DSP, TS_CLASS_MCU_SYSTOLIC } ts_target_class;

/* ORDER kind_names */
/* mmio: device registers (sim/core maps them to a device, e.g. an execution unit's doorbell);
 * no backing memory, no code. */
typedef enum ts_mem_kind { TS_MEM_FLASH, TS_MEM_SRAM, TS_MEM_TCM, TS_MEM_MMIO } ts_mem_kind;

/* ORDER mult_names: Cortex-M0/M0+ multiplier implementation option. */
typedef enum ts_multiplier { TS_MULT_FAST, TS_MULT_SMALL } ts_multiplier;

/* ORDER dual_names: dual-issue approximation (see sim/core/timing.c). */
typedef enum ts_dual_issue { TS_DUAL_NONE, TS_DUAL_T16, TS_DUAL_ANY } ts_dual_issue;

/* Cycles of one op class; min == max unless the JSON gave [min, max]. */
typedef struct ts_cost {
    uint32_t min_cycles;
    uint32_t max_cycles;
    bool present; /* false: the JSON said null (class not implemented on this core) */
} ts_cost;

typedef struct ts_target_region {
    char name[TS_TARGET_NAME_BYTES]; /* "flash", "sram1", "dtcm"... unique in the target */
    int kind;                        /* ts_mem_kind */
    uint64_t base;                   /* byte address, multiple of 4096 */
    uint64_t size_bytes;             /* multiple of 4096, base + size <= 2^32 */
    uint32_t wait_states;            /* core cycles added per uncached access */
    uint32_t width_bits;             /* bus/line-buffer width: one fetch access = width/8 bytes */
    bool prefetch;                   /* sequential instruction lines prefetched (hidden) */
    uint32_t line_bytes;             /* cache line size in bytes (power of two) */
    uint32_t icache_lines;           /* instruction cache lines (0 = none) */
    uint32_t dcache_lines;           /* data cache lines for loads from this region (0 = none) */
    uint32_t ways;                   /* associativity of both caches */
    double read_pj;                  /* energy per read access (fetch or load), pJ */
    double write_pj;                 /* energy per write access, pJ */
    double cache_hit_pj;             /* energy per fetch/load served by its cache, pJ */
} ts_target_region;

/* The DSP unit of an mcu+dsp target (targets/NAME.json "units.dsp"; meanings and sources in
 * target_keys.def, the mapping of ops onto these resources in sim/unit/dsp_model.h). Cycles
 * are unit cycles. All zero when present is false. */
typedef struct ts_target_dsp {
    bool present;                  /* the target has a units.dsp section */
    uint64_t clock_hz;             /* unit clock, Hz; 0 = the core clock */
    uint32_t mac_lanes_int8;       /* int8 MACs per cycle */
    uint32_t mac_lanes_int16;      /* int16 MACs per cycle */
    uint32_t alu_lanes;            /* vector ALU elements per cycle */
    uint32_t load_store_slots;     /* local-memory accesses per cycle */
    uint32_t slot_bytes;           /* bytes per access */
    bool zero_overhead_loops;      /* hardware loops */
    uint32_t loop_overhead_cycles; /* per inner iteration without hardware loops */
    uint32_t op_setup_cycles;      /* per op */
    uint32_t div_cycles;           /* one scalar reciprocal */
    uint64_t local_memory_bytes;   /* local data memory */
    bool double_buffering;         /* DMA overlaps compute */
    uint32_t dma_setup_cycles;     /* per DMA transfer */
    double dma_bytes_per_cycle;    /* DMA bandwidth, bytes per unit cycle, > 0 */
} ts_target_dsp;

/* ORDER ifbw_names (target.c): how the systolic array's system-memory bandwidth is set. */
typedef enum ts_systolic_ifbw {
    TS_SYSTOLIC_IFBW_CALC, /* SCALE-Sim InterfaceBandwidth CALC: as needed, no stalls */
    TS_SYSTOLIC_IFBW_USER  /* USER: bandwidth_bytes_per_cycle per buffer, stalls */
} ts_systolic_ifbw;

/* The systolic-array unit of an mcu+systolic target (targets/NAME.json "units.systolic";
 * meanings and sources in target_keys.def, the model in sim/unit/systolic_model.h). One word
 * is one byte. Cycles are array cycles. All zero when present is false. */
typedef struct ts_target_systolic {
    bool present;                     /* the target has a units.systolic section */
    uint32_t rows, cols;              /* PEs */
    int dataflow;                     /* ts_systolic_dataflow (ORDER dataflow_names, target.c) */
    uint64_t ifmap_sram_bytes;        /* double buffer, both halves */
    uint64_t filter_sram_bytes;
    uint64_t ofmap_sram_bytes;
    int interface_bandwidth;          /* ts_systolic_ifbw */
    double bandwidth_bytes_per_cycle; /* per buffer, USER mode; > 0 there */
    uint64_t clock_hz;                /* array clock, Hz; 0 = the core clock */
    uint32_t op_setup_cycles;         /* per op, array cycles */
} ts_target_systolic;

typedef struct ts_target {
    char name[TS_TARGET_NAME_BYTES];
    char description[TS_TARGET_TEXT_BYTES];
    char path[TS_TARGET_PATH_BYTES]; /* file it was loaded from, for messages */
    int cls;                         /* ts_target_class */
    int core;                        /* ts_core_kind */
    uint64_t clock_hz;               /* core clock, Hz */
    bool has_fpu;
    bool has_dsp;
    int multiplier; /* ts_multiplier */
    uint32_t n_regions;
    ts_target_region regions[TS_TARGET_MAX_REGIONS];
    /* pipeline parameters (targets/NAME.json "pipeline") */
    uint32_t branch_refill_cycles;    /* P: added to a taken branch's class cost */
    uint32_t wfi_wake_cycles;         /* interrupt to the instruction after WFI (masked) */
    uint32_t ldm_regs_per_cycle;      /* LDM/STM/PUSH/POP/VLDM: cycles = base + ceil(N / this) */
    uint32_t load_pipeline_cycles;    /* saved on a load/store after an independent load */
    uint32_t agu_stall_cycles;        /* address needs the previous ALU result */
    uint32_t fp_result_stall_cycles;  /* next instruction reads an FP arithmetic result */
    uint32_t small_multiplier_cycles; /* MULS with multiplier = "small" */
    int dual_issue;                   /* ts_dual_issue */
    ts_cost cycles[TS_N_OPCLASS];     /* per op class, see sim/target/opclass.def */
    /* energy parameters (targets/NAME.json "energy", sim/energy) */
    double energy_core_pj_per_cycle;  /* active core energy per cycle, pJ */
    double energy_core_sleep_ratio;   /* WFI sleep energy per cycle / run energy per cycle */
    double energy_static_mw;          /* static power, mW */
    double unit_mac_pj;               /* non-CPU unit: per multiply-accumulate, pJ */
    double unit_alu_pj;               /* per other element operation, pJ */
    double unit_local_read_pj_per_byte;
    double unit_local_write_pj_per_byte;
    double unit_dma_pj_per_byte;
    ts_target_dsp dsp;                /* units.dsp; dsp.present false when absent */
    ts_target_systolic systolic;      /* units.systolic; systolic.present false when absent */
} ts_target;

/* Loads and validates a target JSON file.
 * [in] path: file name, used verbatim in messages. [out] t: filled only on success.
 * Returns TS_OK, TS_ERR_IO (unreadable), TS_ERR_FORMAT (JSON syntax: "file: line L, column C:
 * syntax error"), TS_ERR_CONFIG (unknown/missing key, wrong type, bad cross-field value: "file:
 * json.path: problem (expected/actual)") or TS_ERR_RANGE (number outside its range),
 * TS_ERR_NOMEM. */
ts_status ts_target_load(const char *path, ts_target *t, ts_err *err);

/* Same, from a buffer of `len` bytes; `source` names it in messages. */
ts_status ts_target_parse(const char *source, const char *json, size_t len, ts_target *t,
                          ts_err *err);

/* Releases what ts_target_load allocated. Currently nothing (ts_target owns no memory); kept so
 * callers pair every load with a free. NULL-safe. */
void ts_target_free(ts_target *t);

/* Overrides one key, as `--set key=value` does: key is a JSON path ("clock_hz",
 * "memory[0].wait_states", "timing.div", "pipeline.branch_refill_cycles",
 * "units.dsp.mac_lanes_int8", "units.systolic.rows": a unit key needs the unit's section in the
 * file), value is JSON text
 * ("80000000", "[2,12]", "true") or a bare word for strings ("small"). The whole target is
 * re-validated; on error *t is unchanged. Statuses as ts_target_load. */
ts_status ts_target_set(ts_target *t, const char *key, const char *value, ts_err *err);

/* The n overrides names[i] = values[i] in order, as ts_target_set each, but the cross-field
 * checks (has_dsp and has_fpu against the core, FP costs, regions, units) run once, after the
 * last: a combination that holds only with all of them ("core=cortex-m0", "has_dsp=false",
 * "has_fpu=false" on an M4 file) is accepted. On error *t is unchanged. Statuses as
 * ts_target_set. */
ts_status ts_target_set_many(ts_target *t, const char *const *names, const char *const *values,
                             int n, ts_err *err);

/* True when `key` names one value ts_target_set can override ("clock_hz", "memory[N].x" with
 * N below TS_TARGET_MAX_REGIONS, "timing.CLASS" of a known op class, a unit key), whatever
 * the target; false for an unknown key or a container ("memory", "units.dsp"). Whether a
 * given target accepts it (its region count, its unit sections) is ts_target_set's check. */
bool ts_target_key_known(const char *key);

/* The fully resolved target (overrides applied) as canonical JSON: every key of
 * target_keys.def with its value or default, members sorted by name at every level, numbers as
 * cJSON prints them (integers exactly, others as the shortest of %.15g/%.17g that round-trips),
 * no white space, no "source"/"note" strings. Equal targets give equal bytes, so its SHA-256
 * identifies a configuration. [out] *out: caller frees with ts_free. TS_ERR_NOMEM. */
ts_status ts_target_to_json(const ts_target *t, char **out, ts_err *err);

/* Resolves NAME_OR_PATH: a path when it ends in ".json" or contains '/', else
 * DIR/NAME.json with DIR = `dir` if non-NULL, else $TINYSIM_TARGETS, else TS_TARGETS_DIR.
 * Writes at most out_bytes (NUL included). Returns TS_ERR_RANGE when it does not fit. */
ts_status ts_target_resolve(const char *name_or_path, const char *dir, char *out, size_t out_bytes,
                            ts_err *err);

/* The directory searched for targets by name (see ts_target_resolve), never NULL. */
const char *ts_target_dir(const char *dir);

const char *ts_target_core_name(int core);   /* "cortex-m4"; "?" when out of range */
bool ts_target_core_dsp_ext(int core);       /* cores.def dsp_ext; false when out of range */
bool ts_target_core_fpu(int core);           /* cores.def fpu; false when out of range */
const char *ts_target_class_name(int cls);   /* "mcu+dsp" */
const char *ts_target_kind_name(int kind);   /* "flash" */

/* Total size of the regions of one kind, bytes. */
uint64_t ts_target_kind_bytes(const ts_target *t, ts_mem_kind kind);
/* The first region of one kind (the firmware's link convention uses the first flash), or
 * NULL when the target has none. */
const ts_target_region *ts_target_first_region(const ts_target *t, ts_mem_kind kind);

/* One row of target_keys.def, for documentation and table tests. */
typedef struct ts_target_key {
    const char *path;    /* "memory[].wait_states" */
    const char *type;    /* "integer", "bool", ... */
    const char *unit;    /* "cycles", "Hz", "" */
    const char *meaning; /* one line */
    bool required;
} ts_target_key;

/* Number of schema rows, and row i (NULL when out of range). */
unsigned ts_target_n_keys(void);
const ts_target_key *ts_target_key_at(unsigned i);

#endif
