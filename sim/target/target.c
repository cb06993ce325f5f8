/* target.c: targets/NAME.json -> ts_target, validated against the schema in target_keys.def.
 * Layer: sim/target (untrusted input). Never prints. The cJSON tree lives only inside
 * ts_target_parse/ts_target_set; values are copied into the plain ts_target struct. Messages:
 * "<file>: <json.path>: <problem> (<expected/actual>)"; JSON syntax errors give line and column
 * computed from cJSON_ParseWithLengthOpts's end pointer (never the global cJSON_GetErrorPtr). */
#include "target.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/file.h"

#ifndef TS_TARGETS_DIR
#define TS_TARGETS_DIR "targets"
#endif

#define MAX_FILE_BYTES (1u << 20) /* a target file is a few KB; refuse anything absurd */
#define PATH_BYTES 160

typedef enum key_type {
    T_STR, T_BOOL, T_U32, T_U64, T_F64, T_ADDR, T_CLASS, T_CORE, T_KIND, T_MULT, T_DUAL,
    T_DATAFLOW, T_IFBW, T_OBJECT, T_SECTION, T_ARRAY, T_TIMING
} key_type;

typedef struct key_spec {
    const char *path;  /* generic path, "memory[]." prefix for region keys */
    key_type type;
    bool region;       /* field of ts_target_region (MKEY) rather than ts_target (TKEY) */
    size_t off;        /* offset of the field */
    size_t size;       /* size of the field, bytes */
    double def;        /* default; NAN = required */
    double min, max;   /* numeric range, or element count for T_ARRAY */
    const char *unit;
    const char *meaning;
} key_spec;

#define REQ NAN
static const key_spec keys[] = {
#define TKEY(p, ty, f, d, mn, mx, u, m) \
    {p, ty, false, offsetof(ts_target, f), sizeof(((ts_target *)0)->f), d, mn, mx, u, m},
#define MKEY(p, ty, f, d, mn, mx, u, m) \
    {p, ty, true, offsetof(ts_target_region, f), sizeof(((ts_target_region *)0)->f), d, mn, mx, u, m},
#include "target_keys.def"
#undef TKEY
#undef MKEY
};
#define N_KEYS (sizeof keys / sizeof keys[0])

/* ORDER ts_target_class, ts_mem_kind, ts_multiplier, ts_dual_issue,
 * ts_systolic_dataflow (sim/unit/systolic_model.h), ts_systolic_ifbw */
static const char *const core_names[] = {
#define CORE(id, name, dsp_ext, fpu, source) name,
#include "cores.def"
#undef CORE
    NULL};
static const struct core_caps {
    bool dsp_ext, fpu;
} core_caps[] = {
#define CORE(id, name, dsp_ext, fpu, source) {dsp_ext, fpu},
#include "cores.def"
#undef CORE
};
static const char *const class_names[] = {"mcu", "mcu+dsp", "mcu+systolic", NULL};
static const char *const kind_names[] = {"flash", "sram", "tcm", "mmio", NULL};
static const char *const mult_names[] = {"fast", "small", NULL};
static const char *const dual_names[] = {"none", "t16", "any", NULL};
static const char *const dataflow_names[] = {"os", "ws", "is", NULL};
static const char *const ifbw_names[] = {"calc", "user", NULL};

typedef struct load_ctx {
    const char *src;     /* file name (or "--set") for messages */
    ts_target *t;
    ts_err *err;
    bool seen[N_KEYS];   /* keys seen in the current object scope (top level or one region) */
} load_ctx;

static ts_status walk_object(load_ctx *c, const cJSON *obj, const char *cpath, const char *gpath,
                             void *base);

static const char *const *enum_names(key_type type)
{
    switch (type) {
    case T_CLASS: return class_names;
    case T_CORE: return core_names;
    case T_KIND: return kind_names;
    case T_MULT: return mult_names;
    case T_DUAL: return dual_names;
    case T_DATAFLOW: return dataflow_names;
    case T_IFBW: return ifbw_names;
    case T_STR: case T_BOOL: case T_U32: case T_U64: case T_F64: case T_ADDR: case T_OBJECT:
    case T_SECTION: case T_ARRAY: case T_TIMING: break;
    }
    return NULL;
}

static const char *type_label(key_type type)
{
    switch (type) {
    case T_STR: return "string";
    case T_BOOL: return "bool";
    case T_U32: case T_U64: return "integer";
    case T_ADDR: return "integer or \"0x...\" string";
    case T_F64: return "number";
    case T_CLASS: case T_CORE: case T_KIND: case T_MULT: case T_DUAL: case T_DATAFLOW:
    case T_IFBW:
        return "enum string";
    case T_OBJECT: return "object";
    case T_SECTION: return "object (optional section)";
    case T_ARRAY: return "array of objects";
    case T_TIMING: return "object of op-class costs";
    }
    return "?";
}

static const char *json_type(const cJSON *v)
{
    if (cJSON_IsString(v)) return "string";
    if (cJSON_IsNumber(v)) return "number";
    if (cJSON_IsBool(v)) return "bool";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsArray(v)) return "array";
    if (cJSON_IsObject(v)) return "object";
    return "invalid";
}

static const key_spec *find_key(const char *gpath)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(keys[i].path, gpath) == 0)
            return &keys[i];
    return NULL;
}

static void join_path(char *out, const char *parent, const char *key)
{
    if (parent[0])
        snprintf(out, PATH_BYTES, "%s.%s", parent, key);
    else
        snprintf(out, PATH_BYTES, "%s", key);
}

/* Describes a JSON value for "got ..." in messages: numbers and short strings verbatim. */
static void describe(const cJSON *v, char *out, size_t n)
{
    if (cJSON_IsNumber(v))
        snprintf(out, n, "%.17g", v->valuedouble);
    else if (cJSON_IsString(v))
        snprintf(out, n, "\"%.40s\"", v->valuestring);
    else
        snprintf(out, n, "%s", json_type(v));
}

static ts_status bad_value(load_ctx *c, const char *cpath, const key_spec *k, const cJSON *v,
                           ts_status code)
{
    char got[64];

    describe(v, got, sizeof got);
    if (k->type == T_U32 || k->type == T_U64 || k->type == T_F64 || k->type == T_ADDR)
        return ts_err_set(c->err, code, "%s: %s: expected %s in [%.17g, %.17g], got %s", c->src,
                          cpath, type_label(k->type), k->min, k->max, got);
    return ts_err_set(c->err, code, "%s: %s: expected %s, got %s", c->src, cpath,
                      type_label(k->type), got);
}

/* Reads an integer (or, for T_ADDR, a "0x..." string) into *out; false when it is not one. */
static bool get_integer(const key_spec *k, const cJSON *v, double *out)
{
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        return floor(*out) == *out;
    }
    if (k->type == T_ADDR && cJSON_IsString(v) && strncmp(v->valuestring, "0x", 2) == 0) {
        char *end;
        unsigned long long u;

        errno = 0;
        u = strtoull(v->valuestring + 2, &end, 16);
        if (errno || *end || end == v->valuestring + 2)
            return false;
        *out = (double)u;
        return true;
    }
    return false;
}

/* A number written {"value": N, "source"/"note": "..."}: *v becomes the value item. Anything
 * that is not an object is left as it is. */
static ts_status cited_number(load_ctx *c, const char *cpath, const cJSON **v)
{
    const cJSON *it;

    if (!cJSON_IsObject(*v))
        return TS_OK;
    cJSON_ArrayForEach(it, *v) {
        bool is_value = strcmp(it->string, "value") == 0;

        if (!is_value && strcmp(it->string, "source") != 0 && strcmp(it->string, "note") != 0)
            return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s.%s: unknown key (expected value, "
                              "source or note)", c->src, cpath, it->string);
        if (!is_value && !cJSON_IsString(it))
            return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s.%s: expected string, got %s",
                              c->src, cpath, it->string, json_type(it));
    }
    *v = cJSON_GetObjectItemCaseSensitive(*v, "value");
    if (!*v)
        return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s.value: missing required key", c->src,
                          cpath);
    return TS_OK;
}

static ts_status set_number(load_ctx *c, const char *cpath, const key_spec *k, const cJSON *v,
                            void *field)
{
    double d;
    ts_status st = cited_number(c, cpath, &v);

    if (st)
        return st;
    if (k->type == T_F64) {
        if (!cJSON_IsNumber(v))
            return bad_value(c, cpath, k, v, TS_ERR_CONFIG);
        d = v->valuedouble;
    } else if (!get_integer(k, v, &d)) {
        return bad_value(c, cpath, k, v, TS_ERR_CONFIG);
    }
    if (!(d >= k->min && d <= k->max))
        return bad_value(c, cpath, k, v, TS_ERR_RANGE);
    if (k->type == T_F64)
        *(double *)field = d;
    else if (k->type == T_U32)
        *(uint32_t *)field = (uint32_t)d;
    else
        *(uint64_t *)field = (uint64_t)d;
    return TS_OK;
}

static ts_status set_enum(load_ctx *c, const char *cpath, const key_spec *k, const cJSON *v,
                          int *field)
{
    const char *const *names = enum_names(k->type);
    char list[160] = "";

    for (int i = 0; cJSON_IsString(v) && names[i]; i++)
        if (strcmp(names[i], v->valuestring) == 0) {
            *field = i;
            return TS_OK;
        }
    for (int i = 0; names[i]; i++) {
        strncat(list, i ? " | " : "", sizeof list - strlen(list) - 1);
        strncat(list, names[i], sizeof list - strlen(list) - 1);
    }
    if (!cJSON_IsString(v))
        return bad_value(c, cpath, k, v, TS_ERR_CONFIG);
    return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s: expected one of %s, got \"%.40s\"", c->src,
                      cpath, list, v->valuestring);
}

static ts_status set_string(load_ctx *c, const char *cpath, const key_spec *k, const cJSON *v,
                            char *field)
{
    size_t n;

    if (!cJSON_IsString(v))
        return bad_value(c, cpath, k, v, TS_ERR_CONFIG);
    n = strlen(v->valuestring);
    if (n == 0 || n >= k->size)
        return ts_err_set(c->err, TS_ERR_RANGE,
                          "%s: %s: expected a string of 1 to %zu characters, got %zu", c->src,
                          cpath, k->size - 1, n);
    memcpy(field, v->valuestring, n + 1);
    return TS_OK;
}

/* One cost: integer, [min, max], null, or {"cycles": integer|[min,max], "source"/"note": ...}. */
static ts_status set_cost(load_ctx *c, const char *cpath, const key_spec *k, const cJSON *v,
                          ts_cost *cost)
{
    const cJSON *lo = v, *hi = v, *it;

    if (cJSON_IsNull(v)) {
        *cost = (ts_cost){0, 0, false};
        return TS_OK;
    }
    if (cJSON_IsObject(v)) {
        cJSON_ArrayForEach(it, v) {
            if (strcmp(it->string, "cycles") != 0 && strcmp(it->string, "source") != 0 &&
                strcmp(it->string, "note") != 0)
                return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s.%s: unknown key (expected "
                                  "cycles, source or note)", c->src, cpath, it->string);
        }
        v = cJSON_GetObjectItemCaseSensitive(v, "cycles");
        if (!v)
            return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s.cycles: missing required key",
                              c->src, cpath);
        lo = hi = v;
    }
    if (cJSON_IsArray(v)) {
        lo = cJSON_GetArrayItem(v, 0);
        hi = cJSON_GetArrayItem(v, 1);
    }
    if (!lo || !hi || (cJSON_IsArray(v) && cJSON_GetArraySize(v) != 2) ||
        !cJSON_IsNumber(lo) || !cJSON_IsNumber(hi) || floor(lo->valuedouble) != lo->valuedouble ||
        floor(hi->valuedouble) != hi->valuedouble)
        return ts_err_set(c->err, TS_ERR_CONFIG,
                          "%s: %s: expected integer, [min,max] or null, got %s", c->src, cpath,
                          cJSON_IsArray(v) ? "malformed array" : json_type(v));
    if (!(lo->valuedouble >= k->min && hi->valuedouble <= k->max &&
          lo->valuedouble <= hi->valuedouble))
        return ts_err_set(c->err, TS_ERR_RANGE,
                          "%s: %s: expected cycles in [%.0f, %.0f] with min <= max, got [%.17g, "
                          "%.17g]", c->src, cpath, k->min, k->max, lo->valuedouble,
                          hi->valuedouble);
    *cost = (ts_cost){(uint32_t)lo->valuedouble, (uint32_t)hi->valuedouble, true};
    return TS_OK;
}

static ts_status set_timing(load_ctx *c, const char *cpath, const key_spec *k, const cJSON *obj,
                            ts_cost *costs)
{
    const cJSON *it;
    char sub[PATH_BYTES];
    bool seen[TS_N_OPCLASS] = {false};
    ts_opclass oc;
    ts_status st;

    if (!cJSON_IsObject(obj))
        return bad_value(c, cpath, k, obj, TS_ERR_CONFIG);
    cJSON_ArrayForEach(it, obj) {
        join_path(sub, cpath, it->string);
        if (strcmp(it->string, "source") == 0 || strcmp(it->string, "note") == 0)
            continue;
        oc = ts_opclass_find(it->string);
        if (oc == TS_N_OPCLASS)
            return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s: unknown op class (see "
                              "'tinysim targets --keys')", c->src, sub);
        if (seen[oc])
            return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s: duplicate key", c->src, sub);
        seen[oc] = true;
        st = set_cost(c, sub, k, it, &costs[oc]);
        if (st)
            return st;
    }
    for (int i = 0; i < TS_N_OPCLASS; i++)
        if (!seen[i])
            return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s.%s: missing required key (every "
                              "op class needs a cost or null)", c->src, cpath,
                              ts_opclass_name((ts_opclass)i));
    return TS_OK;
}

/* Writes the default of every non-required scalar key of one scope (target or region). */
static void apply_defaults(void *base, bool region)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        const key_spec *k = &keys[i];
        char *field = (char *)base + k->off;

        if (k->region != region || isnan(k->def))
            continue;
        switch (k->type) {
        case T_BOOL: *(bool *)field = k->def != 0; break;
        case T_U32: *(uint32_t *)field = (uint32_t)k->def; break;
        case T_U64: case T_ADDR: *(uint64_t *)field = (uint64_t)k->def; break;
        case T_F64: *(double *)field = k->def; break;
        case T_CLASS: case T_CORE: case T_KIND: case T_MULT: case T_DUAL: case T_DATAFLOW:
        case T_IFBW:
            *(int *)field = (int)k->def;
            break;
        case T_SECTION: *(bool *)field = false; break;
        case T_STR: case T_OBJECT: case T_ARRAY: case T_TIMING: break;
        }
    }
}

#define MAX_DEPTH 8 /* dots in a key path */

/* The schema rows of the objects above key k, outermost first ("units", "units.dsp" for
 * "units.dsp.mac_lanes_int8"; "memory[]" has no row of its own). Returns how many. */
static int parent_keys(const key_spec *k, const key_spec *out[MAX_DEPTH])
{
    char prefix[PATH_BYTES];
    int n = 0;

    for (const char *dot = strchr(k->path, '.'); dot && n < MAX_DEPTH; dot = strchr(dot + 1, '.')) {
        snprintf(prefix, sizeof prefix, "%.*s", (int)(dot - k->path), k->path);
        if ((out[n] = find_key(prefix)) != NULL)
            n++;
    }
    return n;
}

/* True when every optional object above key k was present: only then is k required. */
static bool parents_present(const load_ctx *c, const key_spec *k)
{
    const key_spec *up[MAX_DEPTH];
    int n = parent_keys(k, up);

    for (int i = 0; i < n; i++)
        if (!isnan(up[i]->def) && !c->seen[up[i] - keys])
            return false;
    return true;
}

/* Fails on the first required key of `region` scope that was not seen. */
static ts_status check_required(load_ctx *c, bool region, const char *cprefix)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        const char *p = keys[i].path;

        if (keys[i].region != region || !isnan(keys[i].def) || c->seen[i] ||
            !parents_present(c, &keys[i]))
            continue;
        if (region)
            p += strlen("memory[].");
        return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s%s: missing required key (%s)", c->src,
                          cprefix, p, keys[i].meaning);
    }
    return TS_OK;
}

static ts_status set_regions(load_ctx *c, const char *cpath, const key_spec *k, const cJSON *arr)
{
    char cp[PATH_BYTES];
    int n = cJSON_GetArraySize(arr);
    ts_status st;

    if (!cJSON_IsArray(arr))
        return bad_value(c, cpath, k, arr, TS_ERR_CONFIG);
    if (n < k->min || n > k->max)
        return ts_err_set(c->err, TS_ERR_RANGE, "%s: %s: expected %.0f to %.0f regions, got %d",
                          c->src, cpath, k->min, k->max, n);
    for (int i = 0; i < n; i++) {
        ts_target_region *r = &c->t->regions[i];
        const cJSON *el = cJSON_GetArrayItem(arr, i);

        snprintf(cp, sizeof cp, "%s[%d]", cpath, i);
        if (!cJSON_IsObject(el))
            return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s: expected object, got %s", c->src,
                              cp, json_type(el));
        memset(r, 0, sizeof *r);
        apply_defaults(r, true);
        for (size_t j = 0; j < N_KEYS; j++)
            if (keys[j].region)
                c->seen[j] = false;
        st = walk_object(c, el, cp, "memory[]", r);
        if (st)
            return st;
        snprintf(cp, sizeof cp, "%s[%d].", cpath, i);
        if ((st = check_required(c, true, cp)))
            return st;
    }
    c->t->n_regions = (uint32_t)n;
    return TS_OK;
}

/* Stores value v of key k (concrete path cpath) into the struct at base. */
static ts_status set_value(load_ctx *c, const char *cpath, const key_spec *k, const cJSON *v,
                           void *base)
{
    void *field = (char *)base + k->off;

    switch (k->type) {
    case T_STR: return set_string(c, cpath, k, v, field);
    case T_BOOL:
        if (!cJSON_IsBool(v))
            return bad_value(c, cpath, k, v, TS_ERR_CONFIG);
        *(bool *)field = cJSON_IsTrue(v);
        return TS_OK;
    case T_U32: case T_U64: case T_F64: case T_ADDR: return set_number(c, cpath, k, v, field);
    case T_CLASS: case T_CORE: case T_KIND: case T_MULT: case T_DUAL: case T_DATAFLOW:
    case T_IFBW:
        return set_enum(c, cpath, k, v, field);
    case T_SECTION: case T_OBJECT:
        if (!cJSON_IsObject(v))
            return bad_value(c, cpath, k, v, TS_ERR_CONFIG);
        if (k->type == T_SECTION)
            *(bool *)field = true;
        return walk_object(c, v, cpath, k->region ? k->path : cpath, base);
    case T_ARRAY: return set_regions(c, cpath, k, v);
    case T_TIMING: return set_timing(c, cpath, k, v, field);
    }
    return ts_err_set(c->err, TS_ERR_INTERNAL, "%s: %s: unhandled key type", c->src, cpath);
}

static ts_status walk_object(load_ctx *c, const cJSON *obj, const char *cpath, const char *gpath,
                             void *base)
{
    char cp[PATH_BYTES], gp[PATH_BYTES];
    const cJSON *it;
    const key_spec *k;
    ts_status st;

    cJSON_ArrayForEach(it, obj) {
        join_path(cp, cpath, it->string);
        join_path(gp, gpath, it->string);
        k = find_key(gp);
        if (!k && (strcmp(it->string, "source") == 0 || strcmp(it->string, "note") == 0 ||
                   strcmp(it->string, "description") == 0)) {
            if (!cJSON_IsString(it))
                return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s: expected string, got %s",
                                  c->src, cp, json_type(it));
            continue;
        }
        if (!k)
            return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s: unknown key (see "
                              "'tinysim targets --keys')", c->src, cp);
        if (c->seen[k - keys])
            return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s: duplicate key", c->src, cp);
        c->seen[k - keys] = true;
        if ((st = set_value(c, cp, k, it, base)))
            return st;
    }
    return TS_OK;
}

/* Names a region may not take: the energy report's other components (energy_parts.def), which
 * share the "energy_uj" object with the region names. */
static const char *const reserved_names[] = {
    "total",
#define TS_ENERGY_PART(id, key, regions, meaning) key,
#include "energy_parts.def"
#undef TS_ENERGY_PART
};

static ts_status check_region(const char *src, const ts_target *t, uint32_t i, ts_err *err)
{
    const ts_target_region *r = &t->regions[i];

    for (size_t k = 0; k < sizeof reserved_names / sizeof reserved_names[0]; k++)
        if (strcmp(r->name, reserved_names[k]) == 0)
            return ts_err_set(err, TS_ERR_CONFIG, "%s: memory[%u].name: \"%s\" is reserved for "
                              "an energy component (expected another region name)", src, i,
                              r->name);

    if (r->base % 4096 || r->size_bytes % 4096)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: memory[%u]: base and size must be multiples "
                          "of 4096 (emulator page), got base 0x%llx size %llu", src, i,
                          (unsigned long long)r->base, (unsigned long long)r->size_bytes);
    if (r->base + r->size_bytes > 0x100000000ull)
        return ts_err_set(err, TS_ERR_RANGE, "%s: memory[%u]: region ends past 4 GiB (base 0x%llx "
                          "+ size %llu)", src, i, (unsigned long long)r->base,
                          (unsigned long long)r->size_bytes);
    if (r->line_bytes & (r->line_bytes - 1))
        return ts_err_set(err, TS_ERR_CONFIG, "%s: memory[%u].cache.line_bytes: expected a power "
                          "of two, got %u", src, i, r->line_bytes);
    if (r->icache_lines % r->ways || r->dcache_lines % r->ways)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: memory[%u].cache: icache_lines (%u) and "
                          "dcache_lines (%u) must be multiples of ways (%u)", src, i,
                          r->icache_lines, r->dcache_lines, r->ways);
    for (uint32_t j = 0; j < i; j++) {
        const ts_target_region *o = &t->regions[j];

        if (strcmp(o->name, r->name) == 0)
            return ts_err_set(err, TS_ERR_CONFIG, "%s: memory[%u].name: duplicate region name "
                              "\"%s\" (also memory[%u])", src, i, r->name, j);
        if (r->base < o->base + o->size_bytes && o->base < r->base + r->size_bytes)
            return ts_err_set(err, TS_ERR_CONFIG, "%s: memory[%u]: overlaps memory[%u] (%s, "
                              "0x%08llx-0x%08llx)", src, i, j, o->name, (unsigned long long)o->base,
                              (unsigned long long)(o->base + o->size_bytes - 1));
    }
    return TS_OK;
}

/* "cortex-m4, cortex-m7 or cortex-m33": the cores whose cores.def flag (dsp_ext, or fpu) is
 * set. */
static const char *cores_with(bool dsp, char *buf, size_t size)
{
    int n = 0, k = 0;
    size_t o = 0;

    for (int i = 0; i < TS_N_CORE_KIND; i++)
        n += dsp ? core_caps[i].dsp_ext : core_caps[i].fpu;
    buf[0] = '\0';
    for (int i = 0; i < TS_N_CORE_KIND && o < size; i++) {
        if (!(dsp ? core_caps[i].dsp_ext : core_caps[i].fpu))
            continue;
        k++;
        o += (size_t)snprintf(buf + o, size - o, "%s%s", k == 1 ? "" : k == n ? " or " : ", ",
                              core_names[i]);
    }
    return buf;
}

/* has_dsp and has_fpu against what the core can have (cores.def). */
static ts_status check_core_caps(const char *src, const ts_target *t, ts_err *err)
{
    const char *core = core_names[t->core];
    char list[96];

    if (t->has_dsp && !core_caps[t->core].dsp_ext)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: has_dsp: true, but core %s has no DSP "
                          "extension (has_dsp needs %s)", src, core, cores_with(true, list,
                                                                               sizeof list));
    if (t->has_fpu && !core_caps[t->core].fpu)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: has_fpu: true, but core %s has no FPU "
                          "(has_fpu needs %s)", src, core, cores_with(false, list, sizeof list));
    if (!t->has_fpu && core_caps[t->core].fpu)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: has_fpu: false, but tinysim models core %s "
                          "with its FPU only (its kernel firmware is built for hard float; "
                          "expected true)", src, core);
    return TS_OK;
}

/* A unit section (units.dsp) is present exactly when the class is the one it makes (mcu+dsp). */
static ts_status check_unit_class(const char *src, const ts_target *t, bool present, int cls,
                                  const char *section, ts_err *err)
{
    if (present == (t->cls == cls))
        return TS_OK;
    return ts_err_set(err, TS_ERR_CONFIG, "%s: %s: class %s %s a %s section (expected class %s "
                      "exactly when %s is present)", src, present ? section : "class",
                      ts_target_class_name(t->cls), present ? "cannot have" : "needs", section,
                      ts_target_class_name(cls), section);
}

/* Cross-field checks that no single key can make. */
static ts_status check_target(const char *src, const ts_target *t, ts_err *err)
{
    ts_status st;

    if ((st = check_core_caps(src, t, err)))
        return st;
    for (uint32_t i = 0; i < t->n_regions; i++)
        if ((st = check_region(src, t, i, err)))
            return st;
    for (int i = TS_OP_fp_alu; i <= TS_OP_fp_stm && t->has_fpu; i++)
        if (!t->cycles[i].present)
            return ts_err_set(err, TS_ERR_CONFIG, "%s: timing.%s: expected a cost because "
                              "has_fpu is true, got null", src, ts_opclass_name((ts_opclass)i));
    if (!t->cycles[TS_OP_unknown].present)
        return ts_err_set(err, TS_ERR_CONFIG, "%s: timing.unknown: expected a cost, got null",
                          src);
    if ((st = check_unit_class(src, t, t->dsp.present, TS_CLASS_MCU_DSP, "units.dsp", err)))
        return st;
    return check_unit_class(src, t, t->systolic.present, TS_CLASS_MCU_SYSTOLIC,
                            "units.systolic", err);
}

/* "file: line L, column C: syntax error" for the byte at `end`. */
static ts_status syntax_error(const char *src, const char *json, size_t len, const char *end,
                              ts_err *err)
{
    size_t line = 1, col = 1, stop = end && end >= json ? (size_t)(end - json) : 0;

    if (stop > len)
        stop = len;
    for (size_t i = 0; i < stop; i++) {
        if (json[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    return ts_err_set(err, TS_ERR_FORMAT, "%s: line %zu, column %zu: syntax error", src, line,
                      col);
}

/* cJSON reports a failed allocation as a parse failure: this flag tells them apart. Process-wide
 * (cJSON's hooks are), so target loading is not thread-safe. */
static bool cjson_oom;

static void *cjson_malloc(size_t n)
{
    void *p = ts_malloc(n);

    if (!p)
        cjson_oom = true;
    return p;
}

static cJSON *parse_json(const char *src, const char *json, size_t len, ts_err *err)
{
    static const cJSON_Hooks hooks = {cjson_malloc, ts_free};
    const char *end = NULL;
    cJSON *root;

    cJSON_InitHooks((cJSON_Hooks *)&hooks);
    cjson_oom = false;
    root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (!root && cjson_oom) {
        ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory while parsing JSON", src);
        return NULL;
    }
    if (!root) {
        syntax_error(src, json, len, end, err);
        return NULL;
    }
    while (end && (size_t)(end - json) < len && strchr(" \t\r\n", *end) && *end)
        end++;
    if (end && (size_t)(end - json) < len && *end) {
        cJSON_Delete(root);
        syntax_error(src, json, len, end, err);
        return NULL;
    }
    return root;
}

ts_status ts_target_parse(const char *source, const char *json, size_t len, ts_target *t,
                          ts_err *err)
{
    load_ctx *c;
    cJSON *root;
    ts_status st;

    assert(source && json && t);
    c = ts_calloc(1, sizeof *c + sizeof *c->t);
    if (!c)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory", source);
    c->src = source;
    c->err = err;
    c->t = (ts_target *)(c + 1);
    root = parse_json(source, json, len, err);
    if (!root) {
        st = err ? err->code : TS_ERR_FORMAT;
        goto out_free_ctx;
    }
    apply_defaults(c->t, false);
    if (!cJSON_IsObject(root))
        st = ts_err_set(err, TS_ERR_CONFIG, "%s: top level: expected object, got %s", source,
                        json_type(root));
    else if (!(st = walk_object(c, root, "", "", c->t)) && !(st = check_required(c, false, "")))
        st = check_target(source, c->t, err);
    if (!st) {
        snprintf(c->t->path, sizeof c->t->path, "%s", source);
        *t = *c->t;
    }
    cJSON_Delete(root);
out_free_ctx:
    ts_free(c);
    return st;
}

ts_status ts_target_load(const char *path, ts_target *t, ts_err *err)
{
    uint8_t *buf;
    size_t n;
    ts_status st;

    assert(path && t);
    if ((st = ts_file_read(path, MAX_FILE_BYTES, &buf, &n, err)) != TS_OK)
        return st;
    st = ts_target_parse(path, (const char *)buf, n, t, err);
    ts_free(buf);
    return st;
}

void ts_target_free(ts_target *t)
{
    (void)t;
}

/* "memory[3].wait_states" -> index 3 and generic "memory[].wait_states"; false if malformed. */
static bool split_region_path(const char *key, unsigned *idx, char *gpath)
{
    char *end;
    unsigned long i;

    if (strncmp(key, "memory[", 7) != 0)
        return false;
    i = strtoul(key + 7, &end, 10);
    if (end == key + 7 || end[0] != ']' || end[1] != '.' || i >= TS_TARGET_MAX_REGIONS)
        return false;
    *idx = (unsigned)i;
    snprintf(gpath, PATH_BYTES, "memory[].%s", end + 2);
    return true;
}

/* The value text as JSON; a bare word that is not JSON becomes a string. */
static cJSON *value_json(const char *value)
{
    const char *end = NULL;
    size_t len = strlen(value);
    cJSON *v = cJSON_ParseWithLengthOpts(value, len, &end, false);

    if (v && end == value + len)
        return v;
    cJSON_Delete(v);
    return cJSON_CreateString(value);
}

/* The optional section (units.dsp) enclosing key k that the target does not have, or NULL. */
static const key_spec *absent_section(const key_spec *k, const void *base)
{
    const key_spec *up[MAX_DEPTH];
    int n = parent_keys(k, up);

    for (int i = 0; i < n; i++)
        if (up[i]->type == T_SECTION && !*(const bool *)((const char *)base + up[i]->off))
            return up[i];
    return NULL;
}

/* A --set of a key inside an optional section (units.dsp) needs the section in the file. */
static ts_status check_section(load_ctx *c, const key_spec *k, const void *base)
{
    const key_spec *sec = absent_section(k, base);

    if (sec)
        return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s: target %s has no %s section "
                          "(expected a target whose file has one)", c->src, k->path,
                          c->t->name, sec->path);
    return TS_OK;
}

/* The schema row of a key that names one value (not "timing.CLASS"), its generic path in
 * gpath and, for "memory[N].x", N in *idx (-1 otherwise); NULL when unknown or a container. */
static const key_spec *single_value_key(const char *key, char *gpath, int *idx)
{
    unsigned i = 0;
    const key_spec *k;

    *idx = -1;
    if (split_region_path(key, &i, gpath))
        *idx = (int)i;
    else
        snprintf(gpath, PATH_BYTES, "%s", key);
    k = find_key(gpath);
    if (!k || k->type == T_OBJECT || k->type == T_SECTION || k->type == T_ARRAY ||
        k->type == T_TIMING)
        return NULL;
    return k;
}

bool ts_target_key_known(const char *key)
{
    char gpath[PATH_BYTES];
    int idx;

    if (strncmp(key, "timing.", 7) == 0)
        return ts_opclass_find(key + 7) != TS_N_OPCLASS;
    return single_value_key(key, gpath, &idx) != NULL;
}

static ts_status set_one(load_ctx *c, const char *key, const cJSON *v)
{
    char gpath[PATH_BYTES];
    int idx;
    const key_spec *k;
    ts_opclass oc;
    ts_status st;
    void *base = c->t;

    if (strncmp(key, "timing.", 7) == 0) {
        oc = ts_opclass_find(key + 7);
        if (oc == TS_N_OPCLASS)
            return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s: unknown op class (see "
                              "'tinysim targets --keys')", c->src, key);
        return set_cost(c, key, find_key("timing"), v, &c->t->cycles[oc]);
    }
    k = single_value_key(key, gpath, &idx);
    if (!k)
        return ts_err_set(c->err, TS_ERR_CONFIG, "%s: %s: unknown key or not a single value "
                          "(see 'tinysim targets --keys')", c->src, key);
    if (idx >= 0 && (uint32_t)idx >= c->t->n_regions)
        return ts_err_set(c->err, TS_ERR_RANGE, "%s: %s: no region %d (target has %u)",
                          c->src, key, idx, c->t->n_regions);
    if (idx >= 0)
        base = &c->t->regions[idx];
    if ((st = check_section(c, k, base)))
        return st;
    return set_value(c, key, k, v, base);
}

ts_status ts_target_set_many(ts_target *t, const char *const *names, const char *const *values,
                             int n, ts_err *err)
{
    load_ctx *c;
    ts_status st = TS_OK;

    assert(t && (n == 0 || (names && values)));
    if (!(c = ts_calloc(1, sizeof *c + sizeof *c->t)))
        return ts_err_set(err, TS_ERR_NOMEM, "--set: out of memory");
    c->src = "--set";
    c->err = err;
    c->t = (ts_target *)(c + 1);
    *c->t = *t;
    for (int i = 0; i < n && !st; i++) {
        cJSON *v = value_json(values[i]);
        if (!v) {
            st = ts_err_set(err, TS_ERR_NOMEM, "--set %s: out of memory", names[i]);
            break;
        }
        st = set_one(c, names[i], v);
        cJSON_Delete(v);
    }
    if (!st)
        st = check_target("--set", c->t, err);
    if (!st)
        *t = *c->t;
    ts_free(c);
    return st;
}

ts_status ts_target_set(ts_target *t, const char *key, const char *value, ts_err *err)
{
    assert(key && value);
    return ts_target_set_many(t, &key, &value, 1, err);
}

const char *ts_target_dir(const char *dir)
{
    const char *env = getenv("TINYSIM_TARGETS");

    if (dir && *dir)
        return dir;
    if (env && *env)
        return env;
    return TS_TARGETS_DIR;
}

ts_status ts_target_resolve(const char *name_or_path, const char *dir, char *out, size_t out_bytes,
                            ts_err *err)
{
    size_t n = strlen(name_or_path);
    int w;

    if (strchr(name_or_path, '/') || (n > 5 && strcmp(name_or_path + n - 5, ".json") == 0))
        w = snprintf(out, out_bytes, "%s", name_or_path);
    else
        w = snprintf(out, out_bytes, "%s/%s.json", ts_target_dir(dir), name_or_path);
    if (w < 0 || (size_t)w >= out_bytes)
        return ts_err_set(err, TS_ERR_RANGE, "%s: target path longer than %zu bytes",
                          name_or_path, out_bytes - 1);
    return TS_OK;
}

static const char *name_at(const char *const *names, int n, int i)
{
    return i >= 0 && i < n ? names[i] : "?";
}

const char *ts_target_core_name(int core)
{
    return name_at(core_names, TS_N_CORE_KIND, core);
}

bool ts_target_core_dsp_ext(int core)
{
    return core >= 0 && core < TS_N_CORE_KIND && core_caps[core].dsp_ext;
}

bool ts_target_core_fpu(int core)
{
    return core >= 0 && core < TS_N_CORE_KIND && core_caps[core].fpu;
}

const char *ts_target_class_name(int cls)
{
    return name_at(class_names, 3, cls);
}

const char *ts_target_kind_name(int kind)
{
    return name_at(kind_names, 4, kind);
}

uint64_t ts_target_kind_bytes(const ts_target *t, ts_mem_kind kind)
{
    uint64_t sum = 0;

    for (uint32_t i = 0; i < t->n_regions; i++)
        if (t->regions[i].kind == (int)kind)
            sum += t->regions[i].size_bytes;
    return sum;
}

const ts_target_region *ts_target_first_region(const ts_target *t, ts_mem_kind kind)
{
    for (uint32_t i = 0; i < t->n_regions; i++)
        if (t->regions[i].kind == (int)kind)
            return &t->regions[i];
    return NULL;
}

unsigned ts_target_n_keys(void)
{
    return (unsigned)N_KEYS;
}

const ts_target_key *ts_target_key_at(unsigned i)
{
    static ts_target_key rows[N_KEYS];

    if (i >= N_KEYS)
        return NULL;
    rows[i] = (ts_target_key){keys[i].path, type_label(keys[i].type), keys[i].unit,
                              keys[i].meaning, isnan(keys[i].def)};
    return &rows[i];
}

/* ---- canonical JSON (provenance of a run: ts_target_to_json) ---- */

/* The object at dotted `path` under root (intermediate objects created); *leaf gets the last
 * component. NULL when out of memory. */
static cJSON *object_at(cJSON *root, const char *path, const char **leaf)
{
    char part[PATH_BYTES];
    const char *dot;
    cJSON *o = root, *next;

    while (o && (dot = strchr(path, '.')) != NULL) {
        snprintf(part, sizeof part, "%.*s", (int)(dot - path), path);
        next = cJSON_GetObjectItemCaseSensitive(o, part);
        o = next ? next : cJSON_AddObjectToObject(o, part);
        path = dot + 1;
    }
    *leaf = path;
    return o;
}

static cJSON *timing_json(const ts_cost *costs)
{
    cJSON *o = cJSON_CreateObject();

    for (int i = 0; o && i < TS_N_OPCLASS; i++) {
        const ts_cost *c = &costs[i];
        cJSON *v;
        if (!c->present)
            v = cJSON_CreateNull();
        else if (c->min_cycles == c->max_cycles)
            v = cJSON_CreateNumber(c->min_cycles);
        else
            v = cJSON_CreateIntArray((const int[]){(int)c->min_cycles, (int)c->max_cycles}, 2);
        cJSON_AddItemToObject(o, ts_opclass_name((ts_opclass)i), v);
    }
    return o;
}

/* The JSON value of key k stored at base; NULL for containers (built by their members). */
static cJSON *field_json(const key_spec *k, const void *base)
{
    const char *field = (const char *)base + k->off;

    switch (k->type) {
    case T_STR: return cJSON_CreateString(field);
    case T_BOOL: return cJSON_CreateBool(*(const bool *)field);
    case T_U32: return cJSON_CreateNumber(*(const uint32_t *)field);
    case T_U64: case T_ADDR: return cJSON_CreateNumber((double)*(const uint64_t *)field);
    case T_F64: return cJSON_CreateNumber(*(const double *)field);
    case T_CLASS: case T_CORE: case T_KIND: case T_MULT: case T_DUAL: case T_DATAFLOW:
    case T_IFBW:
        return cJSON_CreateString(enum_names(k->type)[*(const int *)field]);
    case T_TIMING: return timing_json((const ts_cost *)(const void *)field);
    case T_OBJECT: case T_SECTION: case T_ARRAY: break;
    }
    return NULL;
}

/* False for a key inside an optional section the target does not have. */
static bool in_present_section(const key_spec *k, const void *base)
{
    return absent_section(k, base) == NULL;
}

/* Adds every key of one scope (target or one region) to obj. */
static void scope_json(cJSON *obj, const void *base, bool region)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        const char *path = keys[i].path, *leaf;
        cJSON *v, *parent;
        if (keys[i].region != region || !in_present_section(&keys[i], base) ||
            !(v = field_json(&keys[i], base)))
            continue;
        if (region)
            path += strlen("memory[].");
        parent = object_at(obj, path, &leaf);
        if (!parent || !cJSON_AddItemToObject(parent, leaf, v))
            cJSON_Delete(v);
    }
}

/* Sorts the members of every object below o by name (byte order), recursively: selection
 * sort into a scratch object whose list then replaces o's (a few dozen members at most). */
static void sort_members(cJSON *o)
{
    cJSON *it, *min, *sorted;

    cJSON_ArrayForEach(it, o)
        sort_members(it);
    if (!cJSON_IsObject(o) || !(sorted = cJSON_CreateObject()))
        return;
    while (o->child) {
        min = o->child;
        cJSON_ArrayForEach(it, o)
            if (strcmp(it->string, min->string) < 0)
                min = it;
        cJSON_AddItemToArray(sorted, cJSON_DetachItemViaPointer(o, min)); /* keeps the name */
    }
    o->child = sorted->child;
    sorted->child = NULL;
    cJSON_Delete(sorted);
}

ts_status ts_target_to_json(const ts_target *t, char **out, ts_err *err)
{
    static const cJSON_Hooks hooks = {cjson_malloc, ts_free};
    cJSON *root, *mem;
    char *text = NULL;

    *out = NULL;
    cJSON_InitHooks((cJSON_Hooks *)&hooks);
    cjson_oom = false;
    root = cJSON_CreateObject();
    mem = cJSON_AddArrayToObject(root, "memory");
    scope_json(root, t, false);
    for (uint32_t i = 0; mem && i < t->n_regions; i++) {
        cJSON *r = cJSON_CreateObject();
        scope_json(r, &t->regions[i], true);
        cJSON_AddItemToArray(mem, r);
    }
    sort_members(root);
    if (!cjson_oom)
        text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!text)
        return ts_err_set(err, TS_ERR_NOMEM, "%s: out of memory writing the target as JSON",
                          t->name);
    *out = text;
    return TS_OK;
}
