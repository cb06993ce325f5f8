/* fw_link.c: the per-model firmware image: the kernel firmware linked, at run time, with only
 * the kernels one model's op kinds call, as a TensorFlow Lite Micro build links only the
 * kernels its op resolver registers. The build leaves a link kit beside the images
 * (kernels/firmware/CMakeLists.txt, link/): per core the dispatcher compiled with weak kernel
 * references (tsfw.c, TSFW_WEAK_KERNELS), the kernel archive, tsfw.ld and the driver's fixed
 * arguments; here the cross linker driver (arm-none-eabi-gcc) is run on them with one -u per
 * kernel, so the archive gives up exactly those kernels and what they call. Linking takes
 * milliseconds, so the image is linked afresh on every open and written (temporary file, then
 * rename) into the user's cache folder under a name made from its bytes, where it stays for
 * inspection and provenance; the same kit and kinds give the same bytes. Layer: sim/platform. Never prints: the driver's output
 * goes to a log file, whose first error line becomes the message. */
#define _GNU_SOURCE /* posix_spawn_file_actions_addopen is POSIX; mkstemps is not */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/file.h"
#include "base/hash.h"
#include "firmware/fw_abi.h"
#include "platform.h"

#ifndef TS_ARM_GCC
#define TS_ARM_GCC "arm-none-eabi-gcc"
#endif

#define ARGS_MAX_LINES 32 /* lines of a kit's <core>.args (7 to 9 today) */
#define ARG_BYTES 512     /* one line */
/* The cache keeps at most this many images (each 5-25 KB), the least recently linked removed
 * first; a temporary file older than an hour is a link that was killed. Assumptions, not
 * measurements: enough for every model of a project, small beside a build tree. */
#define CACHE_MAX_IMAGES 256
#define CACHE_STALE_TMP_SECONDS 3600

/* The kernel each kind calls (fw_ops.def KERNEL column), the name linked with -u. */
static const char *const kernel_symbol[TSFW_OP_COUNT] = {
#define TSFW_OP(name, op, dtype, variant, shape, form, kernel, param) [TSFW_OP_##name] = #kernel,
#include "firmware/fw_ops.def"
};

const char *ts_platform_kind_kernel(uint32_t kind)
{
    return kind < TSFW_OP_COUNT ? kernel_symbol[kind] : NULL;
}

static ts_status path_join(char *out, size_t out_bytes, ts_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static ts_status path_join(char *out, size_t out_bytes, ts_err *err, const char *fmt, ...)
{
    va_list ap;
    int w;

    va_start(ap, fmt);
    w = vsnprintf(out, out_bytes, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= out_bytes)
        return ts_err_set(err, TS_ERR_RANGE, "firmware cache path longer than %zu bytes",
                          out_bytes - 1);
    return TS_OK;
}

/* mkdir -p: each missing component of dir, 0755. */
static ts_status make_dirs(const char *dir, ts_err *err)
{
    char p[TS_PLATFORM_PATH_BYTES];
    size_t n = strlen(dir), failed = 0;

    if (n == 0 || n >= sizeof p)
        return ts_err_set(err, TS_ERR_RANGE, "firmware cache folder: empty or too long path");
    memcpy(p, dir, n + 1);
    if (ts_make_dirs(p, &failed) != 0)
        return ts_err_set(err, TS_ERR_IO, "%.*s: cannot create the firmware cache folder (%s)",
                          (int)failed, p, strerror(errno));
    return TS_OK;
}

/* $TINYSIM_CACHE_DIR, else the per-user cache folder (ts_user_dir); + /firmware. */
static ts_status cache_dir(char *out, size_t out_bytes, ts_err *err)
{
    const char *v = getenv("TINYSIM_CACHE_DIR");
    char user[TS_PLATFORM_PATH_BYTES];
    ts_status st;
    int r;

    if (v && *v)
        st = path_join(out, out_bytes, err, "%s/firmware", v);
    else if ((r = ts_user_dir(TS_USER_CACHE, user, sizeof user)) == 0)
        st = path_join(out, out_bytes, err, "%s/firmware", user);
    else if (r == -2)
        return ts_err_set(err, TS_ERR_RANGE, "firmware cache path longer than %zu bytes",
                          sizeof user - 1);
    else
        return ts_err_set(err, TS_ERR_CONFIG, "per-model firmware: no cache folder (set "
                          "TINYSIM_CACHE_DIR, XDG_CACHE_HOME or HOME)");
    return st ? st : make_dirs(out, err);
}

/* The kit's <core>.args: one argument per line: the driver's flags (lines starting with '-'),
 * then the archives of the link group (kit-relative, or absolute: the C library and libgcc the
 * build resolved for the core, so that a link uses the build's libraries or fails). */
static ts_status read_args(const char *path, char lines[][ARG_BYTES], int *n, ts_err *err)
{
    FILE *f = fopen(path, "r");
    char buf[ARG_BYTES + 2];

    *n = 0;
    if (!f)
        return ts_err_set(err, TS_ERR_IO, "%s: per-model link kit missing (%s); rebuild tinysim "
                          "with the kernel firmware", path, strerror(errno));
    while (fgets(buf, sizeof buf, f)) {
        size_t len = strcspn(buf, "\r\n");
        if (len == 0)
            continue;
        if (len >= ARG_BYTES || *n == ARGS_MAX_LINES) {
            fclose(f);
            return ts_err_set(err, TS_ERR_FORMAT, "%s: line %d: argument too long or too many "
                              "lines (at most %d of %d bytes)", path, *n + 1, ARGS_MAX_LINES,
                              ARG_BYTES - 1);
        }
        memcpy(lines[*n], buf, len);
        lines[(*n)++][len] = '\0';
    }
    fclose(f);
    if (*n < 2 || lines[*n - 1][0] == '-')
        return ts_err_set(err, TS_ERR_FORMAT, "%s: %d lines (expected the core's flags, then "
                          "the archives)", path, *n);
    return TS_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first line of the driver's log that says "error" (else its first line), trimmed. */
static void first_error_line(const char *log, char *out, size_t out_bytes)
{
    FILE *f = fopen(log, "r");
    char line[256];

    snprintf(out, out_bytes, "no message");
    if (!f)
        return;
    for (int first = 1; fgets(line, sizeof line, f); first = 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (first || strstr(line, "error"))
            snprintf(out, out_bytes, "%.*s", (int)out_bytes - 1, line);
        if (strstr(line, "error"))
            break;
    }
    fclose(f);
}

/* Runs argv with stdout and stderr into log; *status its exit status, -1 if killed. */
static ts_status run_driver(char *const argv[], const char *log, int *status, ts_err *err)
{
    posix_spawn_file_actions_t fa;
    extern char **environ;
    pid_t pid;
    int rc, ws;

    if (posix_spawn_file_actions_init(&fa))
        return ts_err_set(err, TS_ERR_NOMEM, "per-model firmware: out of memory");
    rc = posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (!rc)
        rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (!rc)
        rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc)
        return ts_err_set(err, TS_ERR_IO, "%s: cannot run the cross linker for the per-model "
                          "firmware (%s; set TINYSIM_ARM_GCC, or apt-get install "
                          "gcc-arm-none-eabi libnewlib-arm-none-eabi)", argv[0], strerror(rc));
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return ts_err_set(err, TS_ERR_IO, "%s: waitpid (%s)", argv[0], strerror(errno));
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    return TS_OK;
}

/* The linked image tmp renamed to its content name in dir (out): FNV-1a of its bytes, so that
 * a name always means the same bytes (two builds or kits sharing the cache never run each
 * other's image). */
static ts_status publish(const char *tmp, const char *dir, const char *core, const char *variant,
                         uint32_t base, char *out, size_t out_bytes, ts_err *err)
{
    uint8_t *bytes = NULL;
    size_t n = 0;
    ts_status st = ts_file_read(tmp, (size_t)1 << 28, &bytes, &n, err);

    if (st)
        return st;
    st = path_join(out, out_bytes, err, "%s/tsfw_%s%s_at_0x%x_%016llx.elf", dir, core, variant,
                   base, (unsigned long long)ts_fnv1a64(TS_FNV1A64_INIT, bytes, n));
    ts_free(bytes);
    if (!st && rename(tmp, out) != 0)
        st = ts_err_set(err, TS_ERR_IO, "%s: cannot write (%s)", out, strerror(errno));
    return st;
}

/* Keeps the cache folder bounded (CACHE_MAX_IMAGES): removes the least recently linked images
 * beyond the cap (never `keep`, the one just published) and temporary files of killed links.
 * Best effort: a file another process removes first, or an unreadable folder, is no error. */
static void prune_cache(const char *dir, const char *keep)
{
    char path[TS_PLATFORM_PATH_BYTES + 256];
    struct {
        time_t mtime;
        char name[256];
    } *old = NULL;
    time_t now = time(NULL);
    struct dirent *de;
    struct stat sb;
    int n = 0, cap = 0;
    DIR *d = opendir(dir);

    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        bool image = len > 4 && strcmp(de->d_name + len - 4, ".elf") == 0;
        if (strncmp(de->d_name, "tsfw_", 5) != 0 || len >= sizeof old->name ||
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path ||
            stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || strcmp(path, keep) == 0)
            continue;
        if (!image) {
            if (now - sb.st_mtime > CACHE_STALE_TMP_SECONDS)
                unlink(path);
            continue;
        }
        if (n == cap) {
            void *grown = ts_realloc(old, (size_t)(cap = cap ? 2 * cap : 64) * sizeof *old);
            if (!grown)
                break;
            old = grown;
        }
        old[n].mtime = sb.st_mtime;
        memcpy(old[n++].name, de->d_name, len + 1);
    }
    closedir(d);
    /* n - (CACHE_MAX_IMAGES - 1) oldest go: with `keep`, CACHE_MAX_IMAGES remain */
    for (int removed = 0; removed < n - (CACHE_MAX_IMAGES - 1); removed++) {
        int oldest = 0;
        for (int i = 1; i < n; i++)
            if (old[i].name[0] && (!old[oldest].name[0] || old[i].mtime < old[oldest].mtime))
                oldest = i;
        snprintf(path, sizeof path, "%s/%s", dir, old[oldest].name);
        unlink(path);
        old[oldest].name[0] = '\0';
    }
    ts_free(old);
}

ts_status ts_platform_link_firmware(const ts_target *t, ts_kernels kernels, uint32_t base,
                                    const uint32_t kinds[TS_PLATFORM_KIND_WORDS], char *out,
                                    size_t out_bytes, ts_err *err)
{
    const char *fwdir = ts_platform_firmware_dir();
    const char *gcc = getenv("TINYSIM_ARM_GCC");
    const char *core = ts_target_core_name(t->core);
    const char *variant = ts_target_core_dsp_ext(t->core) && kernels == TS_KERNELS_REF ? "_ref"
                                                                                        : "";
    char kit[TS_PLATFORM_PATH_BYTES], dir[TS_PLATFORM_PATH_BYTES], file[TS_PLATFORM_PATH_BYTES];
    char obj[TS_PLATFORM_PATH_BYTES], ld[TS_PLATFORM_PATH_BYTES + 4];
    char tmp[TS_PLATFORM_PATH_BYTES + 64], log[TS_PLATFORM_PATH_BYTES + 72], defsym[64];
    char why[200];
    char(*lines)[ARG_BYTES] = NULL, (*archives)[TS_PLATFORM_PATH_BYTES] = NULL;
    const char *names[TSFW_OP_COUNT];
    char **argv = NULL, **uargs = NULL;
    int n_lines = 0, n_names = 0, n_uniq = 0, status = 0, fd = -1, a = 0, n_arch = 0;
    ts_status st;

    if (!gcc || !*gcc)
        gcc = TS_ARM_GCC;
    if (!*fwdir)
        return ts_err_set(err, TS_ERR_IO, "per-model firmware for %s: this tinysim was built "
                          "without the kernel firmware", core);
    for (uint32_t k = 1; k < TSFW_OP_COUNT; k++)
        if ((kinds[k / 32] >> (k % 32)) & 1u)
            names[n_names++] = kernel_symbol[k];
    qsort(names, (size_t)n_names, sizeof names[0], cmp_str);
    for (int i = 0; i < n_names; i++)
        if (n_uniq == 0 || strcmp(names[n_uniq - 1], names[i]) != 0)
            names[n_uniq++] = names[i];
    if ((st = path_join(kit, sizeof kit, err, "%s/link", fwdir)) ||
        (st = path_join(file, sizeof file, err, "%s/%s.args", kit, core)) ||
        (st = path_join(obj, sizeof obj, err, "%s/%s%s.o", kit, core, variant)) ||
        (st = path_join(ld, sizeof ld, err, "%s/tsfw.ld", kit)) ||
        (st = cache_dir(dir, sizeof dir, err)))
        return st;
    lines = ts_calloc(ARGS_MAX_LINES, sizeof *lines);
    archives = ts_calloc(ARGS_MAX_LINES, sizeof *archives);
    if (!lines || !archives) {
        st = ts_err_set(err, TS_ERR_NOMEM, "per-model firmware: out of memory");
        goto done;
    }
    if ((st = read_args(file, lines, &n_lines, err)))
        goto done;
    for (int i = 0; i < n_lines; i++)
        if (lines[i][0] != '-' &&
            (st = path_join(archives[n_arch++], TS_PLATFORM_PATH_BYTES, err, "%s%s%s",
                            lines[i][0] == '/' ? "" : kit, lines[i][0] == '/' ? "" : "/",
                            lines[i])))
            goto done;
    if (access(obj, R_OK) != 0) {
        st = ts_err_set(err, TS_ERR_IO, "%s: per-model link kit missing (%s); rebuild tinysim "
                        "with the kernel firmware", obj, strerror(errno));
        goto done;
    }
    argv = ts_calloc((size_t)(n_lines + n_uniq + 16), sizeof *argv);
    uargs = ts_calloc((size_t)n_uniq + 1, sizeof *uargs);
    if (!argv || !uargs) {
        st = ts_err_set(err, TS_ERR_NOMEM, "per-model firmware: out of memory");
        goto done;
    }
    for (int i = 0; i < n_uniq; i++) {
        size_t len = strlen(names[i]) + sizeof "-Wl,-u,";
        if (!(uargs[i] = ts_malloc(len))) {
            st = ts_err_set(err, TS_ERR_NOMEM, "per-model firmware: out of memory");
            goto done;
        }
        snprintf(uargs[i], len, "-Wl,-u,%s", names[i]);
    }
    snprintf(tmp, sizeof tmp, "%s/tsfw_%s%s.XXXXXX", dir, core, variant);
    if ((fd = mkstemp(tmp)) < 0) {
        st = ts_err_set(err, TS_ERR_IO, "%s: cannot create (%s)", tmp, strerror(errno));
        goto done;
    }
    close(fd);
    snprintf(log, sizeof log, "%s.log", tmp);
    snprintf(defsym, sizeof defsym, "-Wl,--defsym=TSFW_FLASH_ORIGIN=0x%x", base);
    argv[a++] = (char *)gcc;
    for (int i = 0; i < n_lines; i++)
        if (lines[i][0] == '-')
            argv[a++] = lines[i];
    argv[a++] = (char *)"-T";
    argv[a++] = ld;
    argv[a++] = defsym;
    argv[a++] = (char *)"-o";
    argv[a++] = tmp;
    argv[a++] = obj;
    for (int i = 0; i < n_uniq; i++)
        argv[a++] = uargs[i];
    argv[a++] = (char *)"-Wl,--start-group";
    for (int i = 0; i < n_arch; i++)
        argv[a++] = archives[i];
    argv[a++] = (char *)"-Wl,--end-group";
    argv[a] = NULL;
    if ((st = run_driver(argv, log, &status, err)))
        goto done;
    if (status != 0) {
        first_error_line(log, why, sizeof why);
        st = ts_err_set(err, TS_ERR_IO, "%s: per-model firmware link for %s failed (%s exit "
                        "%d: %s)", file, core, gcc, status, why);
        goto done;
    }
    st = publish(tmp, dir, core, variant, base, out, out_bytes, err);
    if (!st)
        prune_cache(dir, out);
done:
    if (fd >= 0) {
        unlink(log);
        if (st)
            unlink(tmp);
    }
    if (uargs)
        for (int i = 0; i < n_uniq; i++)
            ts_free(uargs[i]);
    ts_free(uargs);
    ts_free(argv);
    ts_free(archives);
    ts_free(lines);
    return st;
}
