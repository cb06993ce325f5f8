/* engine.h: runs a model on a target: builds the target's memory image (kernel firmware and
 * constant tensors in flash, tensor arena + requantisation tables + op descriptor + stack in
 * RAM), places every op on an execution unit (sim/unit; "cpu" today) and invokes them one by
 * one, collecting per-op cycles, instructions and per-region traffic. Layer: sim/engine (above
 * sim/unit, sim/core, sim/exec, sim/ref). Never prints; no cycle numbers here (they come from
 * the units) and no values computed here (they come from the kernels the units run).
 *
 * Memory layout (addresses are the target's; see ts_engine_layout):
 *   flash region holding the firmware:  [firmware ELF at its link address][constant tensors,
 *        16-byte aligned, in tensor order]  -> flash footprint = firmware + weights
 *   RAM region (first "sram", else first "tcm"): base: [tensor arena at the planner's offsets]
 *        [Q31 multipliers][shifts][op descriptor] ... free ... [stack, stack_bytes, SP = end]
 * Link convention: tsfw_<core>.elf is linked at the base of the first flash region of
 * targets/<core>.json; every other target file of that core whose first flash region starts
 * elsewhere gets tsfw_<core>_at_<0xbase>.elf (rp2040: XIP flash at 0x10000000), preferred when
 * it exists; a target whose flash holds neither is rejected with TS_ERR_CONFIG.
 * A model that does not fit is rejected by ts_engine_open with TS_ERR_RANGE naming the needed
 * and available bytes; ts_engine_footprint reports the same numbers without failing.
 *
 * Kernel variant (opts.kernels): TS_KERNELS_SIMD runs int8 CONV_2D, DEPTHWISE_CONV_2D and
 * FULLY_CONNECTED with the DSP-extension kernels (sim/ref records it per op, sizes their
 * scratch in the arena plan; the cpu unit calls the firmware's SIMD kinds); outputs stay
 * bit-identical. On a target without the DSP extension (has_dsp false: M0, M0+, M3) the engine
 * falls back to TS_KERNELS_REF and says so in ts_engine_note().
 *
 * Per-op costs are differences of the core's cumulative counters, so caches stay warm from op
 * to op (one cold-start inference) and the layers sum exactly to the total. Deterministic. */
#ifndef TS_ENGINE_H
#define TS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "core/core.h"
#include "model/model.h"
#include "ref/ref.h"
#include "target/target.h"
#include "unit/unit.h"

#define TS_ENGINE_DEFAULT_STACK_BYTES 2048u /* measured need of tsfw: < 600 bytes, see tests */
#define TS_ENGINE_WEIGHT_ALIGN 16u          /* per constant tensor in flash: TFLM's
                                             * kBufferAlignment (16) */
#define TS_ENGINE_PATH_BYTES 1024
#define TS_ENGINE_MAX_UNITS 4  /* the cpu and up to three device units */

typedef struct ts_engine ts_engine;

/* Which firmware image runs when opts.firmware is NULL (sim/platform): the op-set image
 * (the smallest prebuilt image holding every kernel the model calls, kernels/firmware/
 * fw_abi.h), or a per-model image linked now with only those kernels (ts_platform_open_kinds),
 * as a TensorFlow Lite Micro build links only its model's kernels. */
typedef enum ts_fw_link {
    TS_LINK_AUTO,  /* the op-set image; the per-model one when the set image and the weights
                      do not fit the target's flash (default) */
    TS_LINK_SETS,  /* the op-set image always (a model that does not fit is refused) */
    TS_LINK_MODEL  /* the per-model image always */
} ts_fw_link;

typedef struct ts_engine_opts {
    const char *firmware;   /* firmware ELF; NULL = ts_engine_firmware_path() for the core and
                               the kernel variant */
    const char *unit;       /* NULL: every unit of the target (the cpu and each device unit with
                               an mmio region named after it), each op placed on the first
                               device unit that supports it, else the cpu; "cpu": every op on
                               the core, devices unused */
    ts_core_config core;    /* core options (budget per op, memory hooks); program is set here */
    tsk_rounding rounding;  /* int8 requantisation rounding (sim/ref); default single */
    uint32_t stack_bytes;   /* reserved at the top of RAM; 0 = TS_ENGINE_DEFAULT_STACK_BYTES */
    ts_kernels kernels;     /* kernel variant requested; default ref (header comment) */
    ts_fw_link link;        /* op-set or per-model firmware image (above); default auto */
} ts_engine_opts;

#define TS_ENGINE_NOTE_BYTES 160

typedef struct ts_engine_layout {
    int flash_region;          /* index in target->regions holding firmware and weights */
    int ram_region;            /* index holding arena, tables, descriptor and stack */
    uint32_t fw_base;          /* firmware link address */
    bool fw_per_model;         /* the firmware is a per-model image (ts_fw_link) */
    bool fw_user;              /* the firmware is the user's (opts.firmware) */
    uint64_t fw_bytes;         /* firmware image size (all PT_LOAD segments, bytes) */
    uint64_t weights_base;     /* first constant tensor */
    uint64_t weights_bytes;    /* constant tensors incl. alignment padding */
    uint64_t flash_used_bytes; /* firmware + weights */
    uint64_t flash_avail_bytes; /* flash region bytes from fw_base to its end */
    uint32_t arena_base;       /* = RAM region base */
    uint64_t arena_bytes;      /* planned arena (peak activations + scratch) */
    uint64_t quant_base;       /* multipliers, then shifts */
    uint64_t quant_bytes;
    uint64_t desc_base;        /* the tsfw_op descriptor */
    uint32_t desc_bytes;
    uint32_t stack_bytes;      /* reserved below stack_top */
    uint64_t stack_top;        /* initial SP (end of the RAM region) */
    uint64_t ram_used_bytes;   /* arena + tables + descriptor (+ alignment) + stack */
    uint64_t ram_avail_bytes;  /* RAM region size */
    bool fits_flash, fits_ram;
} ts_engine_layout;

/* One op's result. An op placed on a device unit costs what the core spent (descriptor,
 * doorbell, sleeping until the unit is done: cost.cycles, insns, the core's traffic) plus what
 * the unit reported (its own counters and its traffic to the system regions). */
typedef struct ts_engine_layer {
    int32_t op_index;
    const char *name;          /* "CONV_2D"; valid while the graph lives */
    const char *unit;          /* the unit that ran it: "cpu", "dsp" */
    ts_kernels kernels;        /* variant the op ran (ref for ops without a SIMD kernel) */
    uint64_t macs;
    ts_unit_cost cost;
} ts_engine_layer;

typedef struct ts_engine_totals {
    ts_unit_cost cost;         /* sum of the layers (over every invocation of the run) */
    uint64_t macs;
    uint32_t stack_peak_bytes; /* deepest stack use seen (high-water mark of a fill pattern) */
    uint32_t invocations;      /* invocations the figures sum over (ts_engine_run_n) */
    uint64_t first_cycles;     /* cycles of the first invocation (cold caches) */
    uint64_t last_cycles;      /* cycles of the last one */
} ts_engine_totals;

/* Default firmware path for a core kind and kernel variant: $TINYSIM_FIRMWARE_DIR (else the
 * build's firmware folder) + "/tsfw_<core>.elf", or "/tsfw_<core>_ref.elf" for the plain
 * kernels on a core whose firmware is built with the DSP extension (M4, M7, M33): that image
 * leaves the SIMD kernels out, so the flash footprint is the deployed code's. TS_ERR_RANGE
 * when it does not fit out_bytes. */
ts_status ts_engine_firmware_path(int core, ts_kernels kernels, char *out, size_t out_bytes,
                                  ts_err *err);

/* Prepares g (borrowed, with `source` for messages; both outlive the engine), loads the
 * firmware, lays out memory, opens the target's core (t borrowed, outlives the engine) and
 * writes the image. opts may be NULL. [out] out: NULL on failure; free with ts_engine_close.
 * Errors: TS_ERR_IO (firmware missing: the message says what to install), TS_ERR_CONFIG
 * (firmware not linked inside the target's flash, wrong ABI, unknown unit), TS_ERR_RANGE (does
 * not fit), TS_ERR_UNSUPPORTED (an op no unit runs), and those of ts_ref_prepare_graph_opts,
 * ts_elf_load, ts_core_open. */
ts_status ts_engine_open(const ts_target *t, const ts_graph *g, const char *source,
                         const ts_engine_opts *opts, ts_engine **out, ts_err *err);

/* The layout ts_engine_open would use, computed without a core and without the fit check
 * (fits_* say whether it fits). Errors as ts_engine_open except TS_ERR_RANGE for fit. */
ts_status ts_engine_footprint(const ts_target *t, const ts_graph *g, const char *source,
                              const ts_engine_opts *opts, ts_engine_layout *layout,
                              ts_err *err);

void ts_engine_close(ts_engine *e); /* NULL-safe */

/* The prepared executor behind the engine (input/output info), valid until close. */
const ts_ref *ts_engine_ref(const ts_engine *e);

/* Input i's bytes (validated as ts_ref_set_input: size must match). Unset inputs are zero
 * bytes. Kept across runs. */
ts_status ts_engine_set_input(ts_engine *e, int32_t i, const void *data, size_t bytes,
                              ts_err *err);

/* Input i as n_frames frames, one per run or invocation (ts_ref_set_input_frames). */
ts_status ts_engine_set_input_frames(ts_engine *e, int32_t i, const void *data, size_t bytes,
                                     int32_t n_frames, ts_err *err);

/* One inference: writes the inputs into emulated RAM and runs every op on its unit.
 * Layers and totals are replaced. Variable tensors (layer state, sim/ref) keep their values
 * from the previous run. Errors: TS_ERR_EMU (fault inside the firmware: names the op index
 * and name, PC, address and core; or a stack overflow), TS_ERR_INTERNAL (a kernel rejected
 * its arguments on the target), TS_ERR_UNSUPPORTED. */
ts_status ts_engine_run(ts_engine *e, ts_err *err);

/* `invocations` (>= 1) inferences in a row, as a deployed model is invoked over a stream:
 * each writes the staged inputs (the next frame of inputs set with frames), state carries from one to the next, caches stay warm
 * after the first. Layers and totals are replaced by their sums over the invocations
 * (totals.invocations says how many; first_cycles/last_cycles the first and last alone);
 * outputs are the last invocation's. ts_engine_run is ts_engine_run_n(e, 1). Errors as
 * ts_engine_run. */
ts_status ts_engine_run_n(ts_engine *e, uint32_t invocations, ts_err *err);

/* Puts every variable tensor back to its initial value (ts_ref_reset_state) in emulated RAM
 * too, as a fresh engine has it. Errors: those of writing emulated memory. */
ts_status ts_engine_reset_state(ts_engine *e, ts_err *err);

/* Copies output i (read back from emulated RAM) into dst (cap bytes); *bytes gets its size.
 * TS_ERR_RANGE when cap is too small. i in range (asserted). */
ts_status ts_engine_output(ts_engine *e, int32_t i, void *dst, size_t cap, size_t *bytes,
                           ts_err *err);

int32_t ts_engine_n_layers(const ts_engine *e);
const ts_engine_layer *ts_engine_layer_at(const ts_engine *e, int32_t k); /* after a run */
const ts_engine_totals *ts_engine_totals_get(const ts_engine *e);
const ts_engine_layout *ts_engine_layout_get(const ts_engine *e);
const char *ts_engine_firmware(const ts_engine *e); /* firmware path in use */
const ts_core_stats *ts_engine_core_stats(ts_engine *e); /* whole run, valid until next call */

/* The kernel variant in use: opts.kernels, or TS_KERNELS_REF after a fallback. */
ts_kernels ts_engine_kernels(const ts_engine *e);
/* A note about the run, or NULL: today only the fallback ("cortex-m3 has no DSP extension:
 * --kernels simd runs the plain kernels"). Valid until close. */
const char *ts_engine_note(const ts_engine *e);

#endif
