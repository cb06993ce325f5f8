/* unit.h: execution units behind ONE interface (TinyEMU VirtMachineClass, SQLite io_methods):
 * a const method table ts_unit_ops, a base struct ts_unit that is the first member of every
 * unit's state, static inline dispatch wrappers (the engine never touches the table), and a
 * registry looked up by name (unit.c). Layer: sim/unit (above sim/core, sim/ref).
 * Never prints. Methods appended later are guarded by `version`.
 *
 * Contract: `execute` produces the op's values (through kernels/, wherever they run) and its
 * cost; `estimate` is timing only and never touches data. Ownership: the engine owns the
 * platform (core, firmware, memory image; sim/platform); a unit borrows it (ts_unit_cfg) for
 * its whole life. */
#ifndef TS_UNIT_H
#define TS_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "core/core.h"
#include "mem/mem.h"
#include "platform/platform.h"
#include "ref/ref.h"
#include "target/target.h"
#include "firmware/tsfw_host.h"

#define TS_UNIT_VERSION 2 /* 2: device units (the `device` flag, ts_unit_port) */

typedef struct ts_unit ts_unit;
typedef struct ts_unit_ops ts_unit_ops;

/* What a unit is given at init (all borrowed; they outlive the unit). */
typedef struct ts_unit_cfg {
    const ts_target *target;
    ts_platform *platform;  /* booted: core, firmware and memory image loaded */
    const char *source;     /* model name, for messages */
    uint32_t desc_addr;     /* where op descriptors are written (emulated RAM, 4-aligned) */
} ts_unit_cfg;

/* One op as the engine hands it over. */
typedef struct ts_unit_op {
    int32_t index;          /* op index in the graph */
    const char *name;       /* "CONV_2D" */
    const ts_ref_op *prep;  /* prepared kernel parameters (sim/ref), borrowed */
    uint64_t macs;          /* multiply-accumulates (ts_op_macs) */
} ts_unit_op;

/* Where the op's data lives in emulated memory (byte addresses; 0 = absent). */
typedef struct ts_unit_io {
    uint32_t in_addr[TS_REF_MAX_OP_INPUTS]; /* past TS_REF_MAX_INPUTS: ext inputs, which
                                             * reach the kernel through the ext table */
    uint32_t out_addr;
    uint32_t scratch_addr;
    uint32_t multiplier_addr; /* int32 requantisation tables, prep->n_quant entries */
    uint32_t shift_addr;
    uint32_t unit_regs;       /* cpu unit: 0 = run the kernel on the core; else the register
                                 block of the unit the firmware offloads the op to */
} ts_unit_io;

/* What one count of a unit counter costs in energy (unit_counters.def `event`; priced per
 * unit in the target file, sim/energy). */
typedef enum ts_unit_event {
    TS_UNIT_EV_NONE,        /* no energy of its own */
    TS_UNIT_EV_MAC,         /* one multiply-accumulate */
    TS_UNIT_EV_ALU,         /* one other element operation */
    TS_UNIT_EV_LOCAL_READ,  /* one byte read from local memory */
    TS_UNIT_EV_LOCAL_WRITE, /* one byte written to local memory */
    TS_UNIT_EV_DMA,         /* one byte moved by DMA */
} ts_unit_event;

/* Activity counters of a non-CPU unit, one uint64_t per row of unit_counters.def. */
typedef struct ts_unit_counters {
#define TS_UNIT_COUNTER(field, units, json_key, event, meaning) uint64_t field;
#include "unit_counters.def"
#undef TS_UNIT_COUNTER
} ts_unit_counters;

enum {
#define TS_UNIT_COUNTER(field, units, json_key, event, meaning) TS_UNIT_CTR_##field,
#include "unit_counters.def"
#undef TS_UNIT_COUNTER
    TS_UNIT_N_COUNTERS
};

/* One row of unit_counters.def, with the member's offset in ts_unit_counters. */
typedef struct ts_unit_counter_info {
    const char *name;
    const char *unit;
    const char *json_key;
    ts_unit_event event;
    const char *meaning;
    size_t offset; /* offsetof(ts_unit_counters, field) */
} ts_unit_counter_info;

/* Row i of unit_counters.def (i < TS_UNIT_N_COUNTERS); static storage. */
const ts_unit_counter_info *ts_unit_counter_at(unsigned i);

static inline uint64_t ts_unit_counter_get(const ts_unit_counters *n,
                                           const ts_unit_counter_info *ci)
{
    return *(const uint64_t *)(const void *)((const char *)n + ci->offset);
}

/* True when some counter of n is nonzero. */
bool ts_unit_counters_any(const ts_unit_counters *n);

/* Cost of one op (measured by execute or modelled by estimate). */
typedef struct ts_unit_cost {
    uint64_t cycles;
    uint64_t insns;          /* instructions issued on the core (0 for modelled units) */
    uint64_t stall_cycles;   /* memory wait-state cycles inside `cycles` */
    uint64_t wait_cycles;    /* core cycles asleep in WFI for a unit, inside `cycles` */
    unsigned n_regions;      /* as the target */
    ts_mem_counters region[TS_TARGET_MAX_REGIONS]; /* traffic per target region */
    ts_unit_counters unit;   /* activity of a non-CPU unit (all 0 for cpu) */
} ts_unit_cost;

/* sum += c: every counter, regions and unit; sum->n_regions = c->n_regions. */
void ts_unit_cost_add(ts_unit_cost *sum, const ts_unit_cost *c);

/* The unit counters of out = after - before (the rest of out is the caller's). */
void ts_unit_counters_diff(ts_unit_counters *out, const ts_unit_counters *before,
                           const ts_unit_counters *after);

/* Unit cycles at unit_hz (0 = the core clock) as core cycles at core_hz, rounded up. */
uint64_t ts_unit_core_cycles(uint64_t unit_hz, uint64_t core_hz, uint64_t unit_cycles);

/* Charges n bytes a unit's DMA moves at emulated address addr to the target region holding it
 * (cfg->target's regions, cost->region indexed alike): n read or written bytes, in
 * ceil(n / beat) accesses of the region's bus width (width_bits / 8; one access per bus beat).
 * Nothing when n is 0 or addr is 0 or in no region. */
void ts_unit_charge_dma(const ts_unit_cfg *cfg, ts_unit_cost *cost, uint32_t addr, uint64_t n,
                        bool write);

/* Receives one named counter of a unit (stats method). */
typedef void ts_unit_stat_fn(void *opaque, const char *key, double value);
typedef struct ts_unit_sink {
    ts_unit_stat_fn *fn;
    void *opaque;
} ts_unit_sink;

struct ts_unit_ops {
    int version;              /* TS_UNIT_VERSION the table was written for */
    const char *name;         /* "cpu": the name used in target JSON and messages */
    size_t state_size;        /* bytes of the unit's state struct (starts with ts_unit) */
    ts_status (*init)(ts_unit *u, const ts_unit_cfg *cfg, ts_err *err);
    bool (*supports)(const ts_unit *u, const ts_unit_op *op);
    ts_status (*estimate)(ts_unit *u, const ts_unit_op *op, ts_unit_cost *cost, ts_err *err);
    ts_status (*execute)(ts_unit *u, const ts_unit_op *op, const ts_unit_io *io,
                         ts_unit_cost *cost, ts_err *err);
    void (*stats)(const ts_unit *u, const ts_unit_sink *sink);
    void (*fini)(ts_unit *u); /* releases what init acquired; the registry frees the state */
    /* version 2 */
    bool device; /* reached as a memory-mapped device: its registers are the target's mmio
                    region named after the unit (fw_abi.h register map); `execute` is then
                    called from the doorbell with the addresses of the descriptor the firmware
                    wrote, and `cost.cycles` it returns is how long the unit works, in core
                    cycles (the core sleeps meanwhile and pays that wait itself) */
};

/* The register block of a device unit (unit.c runs the protocol; units never touch it). */
typedef struct ts_unit_port {
    ts_platform *platform;     /* borrowed */
    const char *source;        /* model name, for messages */
    uint32_t regs_base;        /* the unit's mmio region */
    ts_unit_op op;             /* the op in flight (ts_unit_expect) */
    bool expecting;            /* an op is expected at the doorbell */
    bool ran;                  /* the doorbell ran it: `cost` is its cost */
    bool busy;                 /* started, STATUS not yet read as DONE */
    uint64_t done_at;          /* core cycle the unit finishes */
    uint32_t result;           /* RESULT register: tsk_status */
    ts_unit_cost cost;
} ts_unit_port;

/* The base struct: the first member of every unit's state. */
struct ts_unit {
    const ts_unit_ops *ops;
    ts_unit_port port;         /* device units only */
};

/* The unit class called `name`, or NULL. */
const ts_unit_ops *ts_unit_find(const char *name);
/* Number of registered unit classes and class i (NULL when out of range). */
unsigned ts_unit_n_classes(void);
const ts_unit_ops *ts_unit_class_at(unsigned i);

/* Allocates and initialises a unit of class `name`; a device unit is also mapped on the mmio
 * region of cfg->target named after it. [out] out: NULL on failure; close with ts_unit_close.
 * Errors: TS_ERR_CONFIG (unknown name: "unit 'x' does not exist (expected one of: cpu, ...)",
 * a device unit whose target has no mmio region of its name), TS_ERR_NOMEM, and whatever the
 * class's init returns. */
ts_status ts_unit_open(const char *name, const ts_unit_cfg *cfg, ts_unit **out, ts_err *err);
void ts_unit_close(ts_unit *u); /* NULL-safe */

/* Index of the target's mmio region named `name`, or -1. */
int ts_unit_regs_region(const ts_target *t, const char *name);

/* Device units: the engine says which op the firmware is about to offload (op is copied),
 * runs the cpu unit with io.unit_regs = ts_unit_regs(u), then takes the unit's cost.
 * ts_unit_take: TS_ERR_INTERNAL when the doorbell never rang for the op. */
void ts_unit_expect(ts_unit *u, const ts_unit_op *op);
ts_status ts_unit_take(ts_unit *u, ts_unit_cost *cost, ts_err *err);

static inline uint32_t ts_unit_regs(const ts_unit *u)
{
    return u->port.regs_base;
}

static inline bool ts_unit_is_device(const ts_unit *u)
{
    return u->ops->version >= 2 && u->ops->device;
}

static inline const char *ts_unit_name(const ts_unit *u)
{
    return u->ops->name;
}

static inline bool ts_unit_supports(const ts_unit *u, const ts_unit_op *op)
{
    return u->ops->supports(u, op);
}

static inline ts_status ts_unit_estimate(ts_unit *u, const ts_unit_op *op, ts_unit_cost *cost,
                                         ts_err *err)
{
    return u->ops->estimate(u, op, cost, err);
}

static inline ts_status ts_unit_execute(ts_unit *u, const ts_unit_op *op, const ts_unit_io *io,
                                        ts_unit_cost *cost, ts_err *err)
{
    return u->ops->execute(u, op, io, cost, err);
}

static inline void ts_unit_stats(const ts_unit *u, const ts_unit_sink *sink)
{
    u->ops->stats(u, sink);
}

/* ---- the op descriptor, shared by every unit (unit_desc.c) ---- */

/* [out] d: the descriptor of op `ro` placed at io, exactly what the cpu unit writes for the
 * firmware's tsfw_invoke (kernels/firmware/fw_abi.h): ts_ref_op_desc plus io's addresses
 * (scratch and requantisation tables only where the op has them) and, when io->unit_regs is
 * set, the offload to that unit (kind | TSFW_KIND_OFFLOAD). */
void ts_unit_build_desc(const ts_ref_op *ro, const ts_unit_io *io, tsfw_op *d);

/* [out] table: the ext table of an op with more inputs than the descriptor's slots (fw_abi.h:
 * the addresses of inputs TS_REF_MAX_INPUTS.. at io), which goes to the start of the op's
 * scratch (io->scratch_addr) wherever the descriptor is written: the one rule of its
 * contents for every runner. Returns its size in bytes (0: the op has none; table untouched),
 * at most TSFW_EXT_BYTES(TS_REF_MAX_OP_INPUTS). */
int32_t ts_unit_ext_table(const ts_ref_op *ro, const ts_unit_io *io, uint32_t *table);

/* Runs op's kernel on the host over emulated memory: builds the descriptor the firmware would
 * read to run it on the core (ts_unit_build_desc, io->unit_regs ignored) and executes it with
 * tsfw_run_mapped, map(opaque, addr) turning each emulated address into a host pointer
 * (kernels/firmware/tsfw_host.h). For units that
 * compute values with kernels/ on the host (a DSP, a systolic array): bit-identical to the
 * firmware on the core. Errors: TS_ERR_UNSUPPORTED when no fw_ops.def row runs the op,
 * TS_ERR_INTERNAL naming the op and the status when the kernel rejects its arguments or an
 * address is not mapped ("m: op 3 (ADD): host kernel returned TSK_ERR_ARG (-1)"). */
ts_status ts_unit_run_host(const ts_unit_op *op, const ts_unit_io *io, tsfw_map_fn map,
                           void *opaque, const char *source, ts_err *err);

/* The tsfw_map_fn of a unit that computes on the host over the platform's memory: emulated
 * address -> host bytes in a RAM or flash region of core (a ts_core *), NULL in a device
 * (mmio) region or outside every region. */
void *ts_unit_map_memory(void *core, uint32_t addr);

#endif
