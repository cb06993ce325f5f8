/* elf.c: bounds-checked ELF32 reader for bare-metal ARM programs. Layer: sim/exec (untrusted
 * input). Structure is checked before use; every field is read through base/rd.h; every size
 * is computed with overflow checks. No Unicorn here, never prints.
 *
 * ELF32 header (little-endian), the fields read:
 *   OFFSET SIZE MEANING
 *   0      4    magic 7f 'E' 'L' 'F'
 *   4      1    EI_CLASS: 1 = 32-bit          5  1  EI_DATA: 1 = little-endian
 *   16     2    e_type: 2 = ET_EXEC           18 2  e_machine: 40 = EM_ARM
 *   24     4    e_entry                       28 4  e_phoff
 *   32     4    e_shoff                       42 2  e_phentsize (32)
 *   44     2    e_phnum                       46 2  e_shentsize (40)
 *   48     2    e_shnum
 * Program header (32 bytes): 0 p_type (1 = PT_LOAD), 4 p_offset, 8 p_vaddr, 12 p_paddr,
 *   16 p_filesz, 20 p_memsz, 24 p_flags.
 * Section header (40 bytes): 4 sh_type (2 = SHT_SYMTAB), 16 sh_offset, 20 sh_size, 24 sh_link.
 * Symbol (16 bytes): 0 st_name (offset in the linked string table), 4 st_value. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/file.h"
#include "base/rd.h"
#include "exec.h"

#define EHDR_BYTES 52u
#define PHDR_BYTES 32u
#define SHDR_BYTES 40u
#define SYM_BYTES 16u
#define MAX_PHNUM 64u
#define MAX_SHNUM 4096u

/* [off, off + n*size) lies in the file (no overflow). */
static bool table_fits(const ts_rd *r, uint32_t off, uint32_t n, uint32_t size)
{
    size_t bytes;

    return ts_mul_size(n, size, &bytes) && rd_has(r, off, bytes);
}

static ts_status check_ident(const ts_elf *e, const ts_rd *r, ts_err *err)
{
    uint8_t m[6] = {0};
    uint16_t type = 0, machine = 0;

    if (r->len < EHDR_BYTES)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x0: file of %zu bytes is shorter than "
                          "an ELF32 header (52 bytes)", e->name, r->len);
    for (unsigned i = 0; i < 6; i++)
        rd_u8(r, i, &m[i]);
    if (m[0] != 0x7f || m[1] != 'E' || m[2] != 'L' || m[3] != 'F')
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x0: not an ELF file (bad magic "
                          "%02x %02x %02x %02x)", e->name, m[0], m[1], m[2], m[3]);
    if (m[4] != 1 || m[5] != 1)
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: offset 0x4: ELF class %u, data %u "
                          "(expected 1 = 32-bit, 1 = little-endian)", e->name, m[4], m[5]);
    rd_u16(r, 16, &type);
    rd_u16(r, 18, &machine);
    if (machine != 40)
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: offset 0x12: e_machine %u (expected 40 "
                          "= ARM)", e->name, machine);
    if (type != 2)
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: offset 0x10: e_type %u (expected 2 = "
                          "executable; link the program first)", e->name, type);
    return TS_OK;
}

static ts_status read_segment(ts_elf *e, const ts_rd *r, uint32_t ph, unsigned idx, ts_err *err)
{
    ts_elf_segment s;
    uint32_t type = 0;

    rd_u32(r, ph, &type);
    if (type != 1)
        return TS_OK;
    if (e->n_segments >= TS_ELF_MAX_SEGMENTS)
        return ts_err_set(err, TS_ERR_UNSUPPORTED, "%s: offset 0x%x: more than %u PT_LOAD "
                          "segments", e->name, ph, TS_ELF_MAX_SEGMENTS);
    rd_u32(r, ph + 4, &s.offset);
    rd_u32(r, ph + 8, &s.vaddr);
    rd_u32(r, ph + 12, &s.paddr);
    rd_u32(r, ph + 16, &s.filesz);
    rd_u32(r, ph + 20, &s.memsz);
    rd_u32(r, ph + 24, &s.flags);
    if (!rd_has(r, s.offset, s.filesz))
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x%x: program header %u: bytes "
                          "[0x%x, +%u) run past end of file (%zu bytes)", e->name, ph, idx,
                          s.offset, s.filesz, r->len);
    if (s.filesz > s.memsz || (uint64_t)s.paddr + s.memsz > 0x100000000ull ||
        (uint64_t)s.vaddr + s.memsz > 0x100000000ull)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x%x: program header %u: filesz %u, "
                          "memsz %u at 0x%08x (expected filesz <= memsz, inside 4 GiB)", e->name,
                          ph, idx, s.filesz, s.memsz, s.vaddr);
    e->segments[e->n_segments++] = s;
    return TS_OK;
}

static ts_status read_segments(ts_elf *e, const ts_rd *r, ts_err *err)
{
    uint32_t phoff = 0;
    uint16_t phentsize = 0, phnum = 0;
    ts_status st = TS_OK;

    rd_u32(r, 28, &phoff);
    rd_u16(r, 42, &phentsize);
    rd_u16(r, 44, &phnum);
    if (phnum == 0 || phnum > MAX_PHNUM || phentsize != PHDR_BYTES)
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x2a: %u program headers of %u bytes "
                          "(expected 1 to %u of %u bytes)", e->name, phnum, phentsize, MAX_PHNUM,
                          PHDR_BYTES);
    if (!table_fits(r, phoff, phnum, PHDR_BYTES))
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x1c: program header table at 0x%x "
                          "(%u entries) runs past end of file (%zu bytes)", e->name, phoff, phnum,
                          r->len);
    for (unsigned i = 0; i < phnum && !st; i++)
        st = read_segment(e, r, phoff + i * PHDR_BYTES, i, err);
    if (!st && e->n_segments == 0)
        st = ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x%x: no PT_LOAD segment", e->name, phoff);
    return st;
}

/* Finds SHT_SYMTAB and its string table; no section table means no symbols. */
static ts_status read_symbols(ts_elf *e, const ts_rd *r, ts_err *err)
{
    uint32_t shoff = 0, type = 0, off = 0, size = 0, link = 0, sh;
    uint16_t shentsize = 0, shnum = 0;

    rd_u32(r, 32, &shoff);
    rd_u16(r, 46, &shentsize);
    rd_u16(r, 48, &shnum);
    if (shoff == 0 || shnum == 0)
        return TS_OK;
    if (shentsize != SHDR_BYTES || shnum > MAX_SHNUM || !table_fits(r, shoff, shnum, SHDR_BYTES))
        return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x20: section header table at 0x%x "
                          "(%u entries of %u bytes) runs past end of file (%zu bytes) or is "
                          "malformed", e->name, shoff, shnum, shentsize, r->len);
    for (unsigned i = 0; i < shnum; i++) {
        sh = shoff + i * SHDR_BYTES;
        rd_u32(r, sh + 4, &type);
        if (type != 2)
            continue;
        rd_u32(r, sh + 16, &off);
        rd_u32(r, sh + 20, &size);
        rd_u32(r, sh + 24, &link);
        if (!rd_has(r, off, size) || link >= shnum)
            return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x%x: symbol table [0x%x, +%u) or "
                              "its string table link %u is out of bounds", e->name, sh, off, size,
                              link);
        e->symtab_off = off;
        e->n_syms = size / SYM_BYTES;
        sh = shoff + link * SHDR_BYTES;
        rd_u32(r, sh + 16, &e->strtab_off);
        rd_u32(r, sh + 20, &e->strtab_len);
        if (!rd_has(r, e->strtab_off, e->strtab_len))
            return ts_err_set(err, TS_ERR_FORMAT, "%s: offset 0x%x: string table [0x%x, +%u) "
                              "runs past end of file (%zu bytes)", e->name, sh, e->strtab_off,
                              e->strtab_len, r->len);
        return TS_OK;
    }
    return TS_OK;
}

ts_status ts_elf_parse(const char *name, const uint8_t *bytes, size_t len, ts_elf **out,
                       ts_err *err)
{
    ts_elf *e = ts_calloc(1, sizeof *e);
    ts_rd r;
    ts_status st;

    *out = NULL;
    if (e) {
        e->name = ts_strdup(name);
        e->bytes = ts_malloc(len ? len : 1);
    }
    if (!e || !e->name || !e->bytes) {
        ts_elf_free(e);
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory (%zu bytes)", name, len);
    }
    memcpy(e->bytes, bytes, len);
    e->len = len;
    r = (ts_rd){e->bytes, len};
    st = check_ident(e, &r, err);
    if (!st) {
        rd_u32(&r, 24, &e->entry);
        st = read_segments(e, &r, err);
    }
    if (!st)
        st = read_symbols(e, &r, err);
    if (st) {
        ts_elf_free(e);
        return st;
    }
    *out = e;
    return TS_OK;
}

ts_status ts_elf_load(const char *path, ts_elf **out, ts_err *err)
{
    uint8_t *buf;
    size_t size;
    ts_status st;

    *out = NULL;
    if ((st = ts_file_read(path, TS_ELF_MAX_BYTES, &buf, &size, err)) != TS_OK)
        return st;
    st = ts_elf_parse(path, buf, size, out, err);
    ts_free(buf);
    return st;
}

void ts_elf_free(ts_elf *e)
{
    if (!e)
        return;
    ts_free(e->name);
    ts_free(e->bytes);
    ts_free(e);
}

ts_status ts_elf_symbol(const ts_elf *e, const char *sym, uint32_t *addr, ts_err *err)
{
    ts_rd r = {e->bytes, e->len};
    size_t want = strlen(sym);

    for (uint32_t i = 0; i < e->n_syms; i++) {
        uint32_t name = 0, value = 0, off = e->symtab_off + i * SYM_BYTES;

        rd_u32(&r, off, &name);
        rd_u32(&r, off + 4, &value);
        const uint8_t *str;

        if (name >= e->strtab_len || e->strtab_len - name <= want)
            continue;
        str = rd_view(&r, (size_t)e->strtab_off + name, want + 1);
        if (str && memcmp(str, sym, want + 1) == 0) {
            *addr = value;
            return TS_OK;
        }
    }
    return ts_err_set(err, TS_ERR_RANGE, "%s: symbol '%s' not found (%u symbols)", e->name, sym,
                      e->n_syms);
}
