/* exec.h: bare-metal ELF32 programs on an emulated core: a bounds-checked ELF reader (PT_LOAD
 * segments, entry point, symbols), loading into a ts_core (segments, initial SP from the vector
 * table), and a one-call "run this ELF on this target". Layer: sim/exec (above sim/core).
 * Untrusted input: every ELF field goes through base/rd.h. Never prints. */
#ifndef TS_EXEC_H
#define TS_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "core/core.h"
#include "target/target.h"

#define TS_ELF_MAX_SEGMENTS 16
#define TS_ELF_MAX_BYTES (64u << 20) /* refuse larger files */

typedef struct ts_elf_segment {
    uint32_t offset; /* file offset of the bytes */
    uint32_t vaddr;  /* run address */
    uint32_t paddr;  /* load address (LMA): where the bytes are placed */
    uint32_t filesz; /* bytes in the file */
    uint32_t memsz;  /* bytes in memory (>= filesz; the rest is zero) */
    uint32_t flags;  /* PF_X 1, PF_W 2, PF_R 4 */
} ts_elf_segment;

typedef struct ts_elf {
    char *name;      /* file name for messages, owned */
    uint8_t *bytes;  /* the whole file, owned */
    size_t len;      /* bytes */
    uint32_t entry;  /* e_entry (Thumb bit as in the file) */
    unsigned n_segments;
    ts_elf_segment segments[TS_ELF_MAX_SEGMENTS]; /* PT_LOAD only, file order */
    uint32_t symtab_off, n_syms;   /* SHT_SYMTAB, 16-byte entries; n_syms = 0 when absent */
    uint32_t strtab_off, strtab_len;
} ts_elf;

/* Reads and checks an ELF file (ARM, 32-bit, little-endian, ET_EXEC). [out] out: NULL on error;
 * free with ts_elf_free. Returns TS_OK, TS_ERR_IO, TS_ERR_FORMAT (malformed: "file: offset X:
 * problem"), TS_ERR_UNSUPPORTED (valid ELF of another kind), TS_ERR_NOMEM. */
ts_status ts_elf_load(const char *path, ts_elf **out, ts_err *err);

/* Same from memory (the bytes are copied); `name` is used in messages. */
ts_status ts_elf_parse(const char *name, const uint8_t *bytes, size_t len, ts_elf **out,
                       ts_err *err);

void ts_elf_free(ts_elf *e); /* NULL-safe */

/* Address of symbol `sym` (st_value, Thumb bit kept for functions). TS_ERR_RANGE if absent. */
ts_status ts_elf_symbol(const ts_elf *e, const char *sym, uint32_t *addr, ts_err *err);

/* Copies the PT_LOAD segments into the core's memory (at their load addresses; the zero tail at
 * the run address), sets SP from the vector table at the start of the first flash region when
 * it is valid (else the top of the largest RAM region) and LR to TS_CORE_RESET_LR, and returns
 * the entry point: e_entry, or the reset vector when e_entry is 0. TS_ERR_RANGE when a segment
 * does not fit one region. */
ts_status ts_exec_load(ts_core *c, const ts_elf *e, uint32_t *entry, ts_err *err);

/* Loads the ELF at path, runs it on a fresh core for target t until it exits, fills *stats.
 * cfg may be NULL; cfg->program is replaced by path. Statuses as ts_elf_load, ts_core_open,
 * ts_exec_load and ts_core_run. *stats is written on TS_OK and on TS_ERR_EMU (partial). */
ts_status ts_exec_file(const ts_target *t, const char *path, const ts_core_config *cfg,
                       ts_core_stats *stats, ts_err *err);

#endif
