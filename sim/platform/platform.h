/* platform.h: the machine beneath the execution units: the target's emulated core with the
 * kernel firmware on it. It loads and checks the firmware ELF (read-only segments linked inside
 * one flash region of the target, ABI words equal to this build's), opens the core, writes the
 * firmware and any other bytes of the memory image, and keeps the reserved stack's high-water
 * mark (a fill pattern). Units reach the core through it (sim/unit); the engine only says where
 * things go (sim/engine). Layer: sim/platform (above sim/core, sim/exec; below sim/unit).
 * Never prints; no cycle numbers and no values computed here.
 *
 * Life cycle: ts_platform_open (firmware only: its address range is known before any core
 * exists, so the engine can lay memory out and check fit) -> ts_platform_boot (core opened,
 * firmware written, ABI checked) -> writes, calls (through the cpu unit) -> ts_platform_close. */
#ifndef TS_PLATFORM_H
#define TS_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "firmware/fw_abi.h"
#include "core/core.h"
#include "ref/ref.h"
#include "target/target.h"

#define TS_PLATFORM_PATH_BYTES 1024

typedef struct ts_platform ts_platform;

/* Where the firmware sits (filled by ts_platform_open). */
typedef struct ts_platform_fw {
    int flash_region;           /* index in target->regions holding the firmware */
    uint32_t base;              /* link address of the lowest segment */
    uint64_t bytes;             /* image size, all PT_LOAD segments (bytes) */
    uint64_t flash_avail_bytes; /* flash region bytes from base to its end */
} ts_platform_fw;

/* Default firmware path for a core kind and kernel variant: $TINYSIM_FIRMWARE_DIR (else the
 * build's firmware folder) + "/tsfw_<core>.elf", or "/tsfw_<core>_ref.elf" for the plain
 * kernels on a core whose firmware is built with the DSP extension (M4, M7, M33): that image
 * leaves the SIMD kernels out, so the flash footprint is the deployed code's. TS_ERR_IO when
 * this tinysim was built without firmware, TS_ERR_RANGE when it does not fit out_bytes. */
ts_status ts_platform_firmware_path(int core, ts_kernels kernels, char *out, size_t out_bytes,
                                    ts_err *err);

/* The same for a firmware image by op set (TSFW_SET_BASE, an extended set, or TSFW_SET_ALL;
 * kernels/firmware/fw_abi.h): "/tsfw_<core>[_ref]<suffix>.elf", e.g. _x for TSFW_SET_EXT.
 * ts_platform_firmware_path is this with TSFW_SET_BASE. */
ts_status ts_platform_firmware_path_set(int core, ts_kernels kernels, int op_set, char *out,
                                        size_t out_bytes, ts_err *err);

/* Loads firmware `path` (NULL: the default for t's core and `kernels`) and checks it against
 * target t (borrowed; outlives the platform): read-only segments inside one flash region.
 * [out] out: NULL on failure; close with ts_platform_close. Errors: TS_ERR_IO (missing: the
 * message says what to install), TS_ERR_CONFIG (writable data, linked outside the flash),
 * TS_ERR_RANGE (path too long), and those of ts_elf_load. */
ts_status ts_platform_open(const ts_target *t, const char *path, ts_kernels kernels,
                           ts_platform **out, ts_err *err);
/* ts_platform_open with the default image of op set `op_set` when path is NULL (a model that
 * uses an op of the extended set needs that set's image). */
ts_status ts_platform_open_set(const ts_target *t, const char *path, ts_kernels kernels,
                               int op_set, ts_platform **out, ts_err *err);

/* Per-model firmware (fw_link.c): an image that holds only the kernels of the op kinds in
 * `kinds` (bit k of kinds[k / 32] = kind k, fw_abi.h), linked now for t's core and `kernels`
 * at `base` from the build's link kit (<firmware folder>/link) with the cross linker driver
 * ($TINYSIM_ARM_GCC, else the arm-none-eabi-gcc tinysim was built with), written into the
 * cache folder ($TINYSIM_CACHE_DIR, else $XDG_CACHE_HOME/tinysim, else ~/.cache/tinysim; +
 * /firmware) as tsfw_<core>[_ref]_at_<base>_<hash of the kernel names>.elf; its path in out.
 * The same kit and kinds give the same bytes. Errors: TS_ERR_IO (no firmware built, kit
 * missing, driver not found or failed: its first error line), TS_ERR_RANGE, TS_ERR_FORMAT,
 * TS_ERR_CONFIG (no cache folder), TS_ERR_NOMEM. */
#define TS_PLATFORM_KIND_WORDS ((TSFW_OP_COUNT + 31) / 32)
ts_status ts_platform_link_firmware(const ts_target *t, ts_kernels kernels, uint32_t base,
                                    const uint32_t kinds[TS_PLATFORM_KIND_WORDS], char *out,
                                    size_t out_bytes, ts_err *err);
/* ts_platform_open with the per-model image of `kinds`, linked at the base of t's first flash
 * region (once per process for the same kinds, core, variant, folders and driver: the image
 * already linked is reused while its file exists). Errors: those of
 * ts_platform_link_firmware and ts_platform_open. */
ts_status ts_platform_open_kinds(const ts_target *t, ts_kernels kernels,
                                 const uint32_t kinds[TS_PLATFORM_KIND_WORDS],
                                 ts_platform **out, ts_err *err);
/* The kernel symbol kind k calls (fw_ops.def), NULL for NONE and unknown kinds. */
const char *ts_platform_kind_kernel(uint32_t kind);
/* The firmware folder: $TINYSIM_FIRMWARE_DIR, else the build's ("" when built without). */
const char *ts_platform_firmware_dir(void);
void ts_platform_close(ts_platform *p); /* NULL-safe; closes the core too */

const ts_platform_fw *ts_platform_firmware(const ts_platform *p);
const char *ts_platform_firmware_file(const ts_platform *p); /* path in use */

/* Opens the core with cfg (cfg->program is set to the firmware path), writes the firmware and
 * checks its ABI words; reserves [stack_top - stack_bytes, stack_top) as the firmware stack.
 * Errors: those of ts_core_open, ts_exec_load; TS_ERR_CONFIG (not a tinysim firmware, ABI
 * words differ: rebuild). Called once. */
ts_status ts_platform_boot(ts_platform *p, const ts_core_config *cfg, uint32_t stack_top,
                           uint32_t stack_bytes, ts_err *err);

ts_core *ts_platform_core(ts_platform *p);          /* after boot */
uint32_t ts_platform_invoke_addr(const ts_platform *p); /* tsfw_invoke, Thumb bit set */
uint32_t ts_platform_stack_top(const ts_platform *p);

/* Host writes into emulated memory (not counted as traffic). */
ts_status ts_platform_write(ts_platform *p, uint32_t addr, const void *src, size_t n,
                            ts_err *err);

/* Refills the reserved stack with the fill pattern and zeroes the peak (before an inference). */
ts_status ts_platform_stack_fill(ts_platform *p, ts_err *err);

/* After a firmware call: updates the peak with the deepest stack byte used since the fill.
 * TS_ERR_EMU when the whole reserved stack was used (an overflow); `what` names the call for
 * the message ("model.tflite: op 3 (CONV_2D)"). */
ts_status ts_platform_stack_check(ts_platform *p, const char *what, ts_err *err);

/* Deepest stack use (bytes) since the last fill, as of the last check. */
uint32_t ts_platform_stack_peak(const ts_platform *p);

#endif
