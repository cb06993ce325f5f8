/* platform.c: the firmware on the emulated core: path resolution, ELF checks against the
 * target's flash, boot (core, firmware image, ABI words), host writes, and the reserved
 * stack's fill pattern and high-water mark. Layer: sim/platform. Never prints. No timing here
 * (the core counts) and no values (the kernels compute); the fill pattern is the only data it
 * writes besides what it is given. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/hash.h"
#include "exec/exec.h"
#include "firmware/fw_abi.h"
#include "platform.h"

#ifndef TS_FIRMWARE_DIR
#define TS_FIRMWARE_DIR ""
#endif

#define INSTALL_HINT "build tinysim with -DTS_FIRMWARE=ON and arm-none-eabi-gcc installed " \
                     "(Debian: apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)"
#define STACK_FILL 0xA5u /* fill byte of the reserved stack, for the high-water mark */

struct ts_platform {
    const ts_target *t;     /* borrowed */
    char path[TS_PLATFORM_PATH_BYTES];
    ts_elf *elf;            /* owned */
    ts_core *core;          /* owned, after boot */
    ts_platform_fw fw;
    uint32_t invoke_addr;   /* tsfw_invoke | 1 */
    uint32_t stack_top, stack_bytes;
    uint32_t stack_peak;    /* bytes, since the last fill */
};

ts_status ts_platform_firmware_path(int core, ts_kernels kernels, char *out, size_t out_bytes,
                                    ts_err *err)
{
    return ts_platform_firmware_path_set(core, kernels, TSFW_SET_BASE, out, out_bytes, err);
}

const char *ts_platform_firmware_dir(void)
{
    const char *dir = getenv("TINYSIM_FIRMWARE_DIR");

    return dir && *dir ? dir : TS_FIRMWARE_DIR;
}

ts_status ts_platform_firmware_path_set(int core, ts_kernels kernels, int op_set, char *out,
                                        size_t out_bytes, ts_err *err)
{
    const char *dir = ts_platform_firmware_dir();
    /* the cores of TSFW_DSP_CORES in kernels/firmware/CMakeLists.txt (cores.def dsp_ext) */
    bool dsp_fw = ts_target_core_dsp_ext(core);
    int w;

    if (!*dir)
        return ts_err_set(err, TS_ERR_IO, "firmware for %s: this tinysim was built without "
                          "the kernel firmware (%s)", ts_target_core_name(core), INSTALL_HINT);
    w = snprintf(out, out_bytes, "%s/tsfw_%s%s%s.elf", dir, ts_target_core_name(core),
                 dsp_fw && kernels == TS_KERNELS_REF ? "_ref" : "",
                 tsfw_set_suffix(op_set));
    if (w < 0 || (size_t)w >= out_bytes)
        return ts_err_set(err, TS_ERR_RANGE, "firmware path longer than %zu bytes",
                          out_bytes - 1);
    return TS_OK;
}

/* A target whose first flash region is not at the base of targets/<core>.json (rp2040's XIP
 * flash) has its own copy of the image, tsfw_<core>[_ref]_at_<base>.elf (kernels/firmware/
 * CMakeLists.txt): use it when it exists. */
static void prefer_based_firmware(ts_platform *p)
{
    const ts_target_region *flash = ts_target_first_region(p->t, TS_MEM_FLASH);
    char based[sizeof p->path];
    size_t n = strlen(p->path);
    FILE *f;

    if (!flash || n < 4 ||
        snprintf(based, sizeof based, "%.*s_at_0x%llx.elf", (int)(n - 4), p->path,
                 (unsigned long long)flash->base) >= (int)sizeof based)
        return;
    if ((f = fopen(based, "rb")) != NULL) {
        fclose(f);
        strcpy(p->path, based);
    }
}

static ts_status load_elf(ts_platform *p, const char *path, ts_kernels kernels, int op_set,
                          ts_err *err)
{
    FILE *f;
    ts_status st;

    if (path) { /* the user's file (--firmware): its own open error, no build hint */
        if (strlen(path) >= sizeof p->path)
            return ts_err_set(err, TS_ERR_RANGE, "%s: firmware path too long", path);
        strcpy(p->path, path);
        return ts_elf_load(p->path, &p->elf, err);
    } else if ((st = ts_platform_firmware_path_set(p->t->core, kernels, op_set, p->path,
                                                   sizeof p->path, err))) {
        return st;
    } else {
        prefer_based_firmware(p);
    }
    f = fopen(p->path, "rb");
    if (!f)
        return ts_err_set(err, TS_ERR_IO, "%s: firmware for %s not found (%s)", p->path,
                          ts_target_core_name(p->t->core), INSTALL_HINT);
    fclose(f);
    return ts_elf_load(p->path, &p->elf, err);
}

/* The firmware's address range; it must be read-only code and data (no .data/.bss). */
static ts_status firmware_range(const ts_platform *p, uint64_t *lo, uint64_t *hi, ts_err *err)
{
    const ts_elf *elf = p->elf;

    *lo = UINT64_MAX, *hi = 0;
    for (unsigned i = 0; i < elf->n_segments; i++) {
        const ts_elf_segment *s = &elf->segments[i];
        if ((s->flags & 2u) || s->memsz != s->filesz)
            return ts_err_set(err, TS_ERR_CONFIG, "%s: segment %u at 0x%08x is writable data "
                              "(the kernel firmware must have no .data/.bss)", p->path, i,
                              s->paddr);
        if (s->paddr < *lo)
            *lo = s->paddr;
        if ((uint64_t)s->paddr + s->memsz > *hi)
            *hi = (uint64_t)s->paddr + s->memsz;
    }
    if (*hi == 0)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: no loadable segment", p->path);
    return TS_OK;
}

static int find_flash(const ts_target *t, uint64_t lo, uint64_t hi)
{
    for (uint32_t i = 0; i < t->n_regions; i++) {
        const ts_target_region *r = &t->regions[i];
        if (r->kind == TS_MEM_FLASH && lo >= r->base && hi <= r->base + r->size_bytes)
            return (int)i;
    }
    return -1;
}

static ts_status place_firmware(ts_platform *p, ts_err *err)
{
    const ts_target *t = p->t;
    uint64_t lo, hi;
    ts_status st = firmware_range(p, &lo, &hi, err);
    const ts_target_region *first;

    if (st)
        return st;
    p->fw.flash_region = find_flash(t, lo, hi);
    if (p->fw.flash_region >= 0) {
        const ts_target_region *r = &t->regions[p->fw.flash_region];
        p->fw.base = (uint32_t)lo;
        p->fw.bytes = hi - lo;
        p->fw.flash_avail_bytes = r->base + r->size_bytes - lo;
        return TS_OK;
    }
    for (uint32_t i = 0; i < t->n_regions; i++) { /* linked right, but larger than the flash */
        const ts_target_region *r = &t->regions[i];
        if (r->kind == TS_MEM_FLASH && lo >= r->base && lo < r->base + r->size_bytes)
            return ts_err_set(err, TS_ERR_RANGE, "%s: does not fit target %s: the firmware "
                              "image alone is %llu bytes, %s holds %llu from 0x%08llx",
                              p->path, t->name, (unsigned long long)(hi - lo), r->name,
                              (unsigned long long)(r->base + r->size_bytes - lo),
                              (unsigned long long)lo);
    }
    first = ts_target_first_region(t, TS_MEM_FLASH);
    return ts_err_set(err, TS_ERR_CONFIG, "%s: firmware is linked at 0x%08llx..0x%08llx, "
                      "outside the flash of target %s (%s at 0x%08llx, %llu bytes); the "
                      "firmware for %s is linked at the flash base of targets/%s.json",
                      p->path, (unsigned long long)lo, (unsigned long long)hi, t->name,
                      first ? first->name : "no flash region",
                      first ? (unsigned long long)first->base : 0ull,
                      first ? (unsigned long long)first->size_bytes : 0ull,
                      ts_target_core_name(t->core), ts_target_core_name(t->core));
}

ts_status ts_platform_open(const ts_target *t, const char *path, ts_kernels kernels,
                           ts_platform **out, ts_err *err)
{
    return ts_platform_open_set(t, path, kernels, TSFW_SET_BASE, out, err);
}

ts_status ts_platform_open_set(const ts_target *t, const char *path, ts_kernels kernels,
                               int op_set, ts_platform **out, ts_err *err)
{
    ts_platform *p;
    ts_status st;

    assert(t && out);
    *out = NULL;
    if (!(p = ts_calloc(1, sizeof *p)))
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory", t->name);
    p->t = t;
    if ((st = load_elf(p, path, kernels, op_set, err)) || (st = place_firmware(p, err))) {
        ts_platform_close(p);
        return st;
    }
    *out = p;
    return TS_OK;
}

/* The per-model images this process linked: a process that opens many engines (a suite, a
 * sweep, the tests) links each kind set once. Keyed by a hash of everything the link reads
 * (core, kernel variant, base, kinds, the firmware folder, the driver and the cache folder
 * named by the environment); an entry whose file has gone is linked again. The only state of
 * this module that outlives a call; tinysim is single-threaded. */
#define LINK_MEMO 64
static struct link_memo {
    uint64_t key;
    char path[TS_PLATFORM_PATH_BYTES];
} link_memo[LINK_MEMO];
static unsigned link_memo_next;

static uint64_t link_key(const ts_target *t, ts_kernels kernels, uint32_t base,
                         const uint32_t kinds[TS_PLATFORM_KIND_WORDS])
{
    static const char *const env[] = {"TINYSIM_ARM_GCC", "TINYSIM_CACHE_DIR", "XDG_CACHE_HOME",
                                      "HOME"};
    const char *dir = ts_platform_firmware_dir();
    int32_t v[3] = {t->core, (int32_t)kernels, (int32_t)base};
    uint64_t h = ts_fnv1a64(TS_FNV1A64_INIT, v, sizeof v);

    h = ts_fnv1a64(h, kinds, TS_PLATFORM_KIND_WORDS * sizeof kinds[0]);
    h = ts_fnv1a64(h, dir, strlen(dir) + 1);
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++) {
        const char *e = getenv(env[i]);
        h = ts_fnv1a64(h, e ? e : "", e ? strlen(e) + 1 : 1);
    }
    return h;
}

static ts_status link_once(const ts_target *t, ts_kernels kernels, uint32_t base,
                           const uint32_t kinds[TS_PLATFORM_KIND_WORDS], char *path, size_t cap,
                           ts_err *err)
{
    uint64_t key = link_key(t, kernels, base, kinds);
    struct link_memo *m;
    FILE *f;
    ts_status st;

    for (unsigned i = 0; i < LINK_MEMO; i++) {
        m = &link_memo[i];
        if (m->key == key && m->path[0] && strlen(m->path) < cap &&
            (f = fopen(m->path, "rb")) != NULL) {
            fclose(f);
            strcpy(path, m->path);
            return TS_OK;
        }
    }
    if ((st = ts_platform_link_firmware(t, kernels, base, kinds, path, cap, err)))
        return st;
    m = &link_memo[link_memo_next++ % LINK_MEMO];
    m->key = key;
    snprintf(m->path, sizeof m->path, "%s", path);
    return TS_OK;
}

ts_status ts_platform_open_kinds(const ts_target *t, ts_kernels kernels,
                                 const uint32_t kinds[TS_PLATFORM_KIND_WORDS],
                                 ts_platform **out, ts_err *err)
{
    const ts_target_region *flash = ts_target_first_region(t, TS_MEM_FLASH);
    char path[TS_PLATFORM_PATH_BYTES];
    ts_status st;

    assert(t && out);
    *out = NULL;
    if (!flash || flash->base > UINT32_MAX)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: no flash region below 4 GiB to link the "
                          "firmware at", t->name);
    st = link_once(t, kernels, (uint32_t)flash->base, kinds, path, sizeof path, err);
    return st ? st : ts_platform_open_set(t, path, kernels, TSFW_SET_BASE, out, err);
}

void ts_platform_close(ts_platform *p)
{
    if (!p)
        return;
    ts_core_close(p->core);
    ts_elf_free(p->elf);
    ts_free(p);
}

const ts_platform_fw *ts_platform_firmware(const ts_platform *p)
{
    return &p->fw;
}

const char *ts_platform_firmware_file(const ts_platform *p)
{
    return p->path;
}

/* The firmware's tsfw_abi_info words must equal this build's (fw_abi.h). */
static ts_status check_abi(ts_platform *p, ts_err *err)
{
    static const uint32_t want[TSFW_ABI_N_WORDS] = {
#define TSFW_ABI_WORD_INIT(v) (uint32_t)(v),
        TSFW_ABI_WORDS(TSFW_ABI_WORD_INIT)
#undef TSFW_ABI_WORD_INIT
    };
    uint32_t addr, got[TSFW_ABI_N_WORDS];
    ts_status st = ts_elf_symbol(p->elf, "tsfw_abi_info", &addr, err);

    if (!st)
        st = ts_core_read(p->core, addr, got, sizeof got, err);
    if (st)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: not a tinysim kernel firmware (no "
                          "tsfw_abi_info)", p->path);
    for (unsigned i = 0; i < TSFW_ABI_N_WORDS; i++)
        if (got[i] != want[i])
            return ts_err_set(err, TS_ERR_CONFIG, "%s: firmware ABI word %u is %u, this tinysim "
                              "expects %u (firmware built from other kernel headers: rebuild)",
                              p->path, i, got[i], want[i]);
    return TS_OK;
}

ts_status ts_platform_boot(ts_platform *p, const ts_core_config *cfg, uint32_t stack_top,
                           uint32_t stack_bytes, ts_err *err)
{
    ts_core_config cc = *cfg;
    uint32_t entry;
    ts_status st;

    assert(p && !p->core && stack_bytes <= stack_top);
    cc.program = p->path;
    p->stack_top = stack_top, p->stack_bytes = stack_bytes;
    if ((st = ts_core_open(p->t, &cc, &p->core, err)))
        return st;
    st = ts_exec_load(p->core, p->elf, &entry, err);
    if (!st)
        st = ts_elf_symbol(p->elf, "tsfw_invoke", &p->invoke_addr, err);
    if (!st)
        st = check_abi(p, err);
    p->invoke_addr |= 1u;
    return st;
}

ts_core *ts_platform_core(ts_platform *p)
{
    return p->core;
}

uint32_t ts_platform_invoke_addr(const ts_platform *p)
{
    return p->invoke_addr;
}

uint32_t ts_platform_stack_top(const ts_platform *p)
{
    return p->stack_top;
}

ts_status ts_platform_write(ts_platform *p, uint32_t addr, const void *src, size_t n,
                            ts_err *err)
{
    return ts_core_write(p->core, addr, src, n, err);
}

ts_status ts_platform_stack_fill(ts_platform *p, ts_err *err)
{
    uint8_t fill[256];
    ts_status st = TS_OK;

    memset(fill, STACK_FILL, sizeof fill);
    p->stack_peak = 0;
    for (uint64_t a = p->stack_top - p->stack_bytes; a < p->stack_top && !st; a += sizeof fill)
        st = ts_core_write(p->core, (uint32_t)a, fill,
                           p->stack_top - a < sizeof fill ? (size_t)(p->stack_top - a)
                                                          : sizeof fill, err);
    return st;
}

/* Deepest stack byte that no longer holds the fill pattern. */
static ts_status stack_used(ts_platform *p, uint32_t *used, ts_err *err)
{
    uint32_t base = p->stack_top - p->stack_bytes;
    uint8_t buf[256];
    ts_status st = TS_OK;

    *used = 0;
    for (uint32_t off = 0, n; off < p->stack_bytes && !st && !*used; off += n) {
        n = p->stack_bytes - off < sizeof buf ? p->stack_bytes - off : (uint32_t)sizeof buf;
        st = ts_core_read(p->core, base + off, buf, n, err);
        for (uint32_t j = 0; j < n && !st; j++)
            if (buf[j] != STACK_FILL) {
                *used = p->stack_bytes - off - j;
                break;
            }
    }
    return st;
}

ts_status ts_platform_stack_check(ts_platform *p, const char *what, ts_err *err)
{
    uint32_t used;
    ts_status st = stack_used(p, &used, err);

    if (st)
        return st;
    if (used >= p->stack_bytes)
        return ts_err_set(err, TS_ERR_EMU, "%s: stack overflow: the firmware used all %u "
                          "reserved stack bytes on %s (reserve more stack)", what,
                          p->stack_bytes, p->t->name);
    if (used > p->stack_peak)
        p->stack_peak = used;
    return TS_OK;
}

uint32_t ts_platform_stack_peak(const ts_platform *p)
{
    return p->stack_peak;
}
