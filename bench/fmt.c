/* fmt.c: text formatters for the CLI's tables. Layer: bench/. */
#include "fmt.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fmt_count(char *buf, size_t size, uint64_t v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t o = 0;

    for (int i = 0; i < n && o + 1 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 2 < size)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

const char *fmt_fixed(char *buf, size_t size, double v, int decimals)
{
    char digits[400], grouped[48];
    size_t sign, n_whole;

    snprintf(digits, sizeof digits, "%.*f", decimals, v);
    sign = digits[0] == '-';
    n_whole = strspn(digits + sign, "0123456789");
    if (n_whole == 0 || n_whole > 19) { /* inf, nan, beyond uint64: as printf says */
        snprintf(buf, size, "%s", digits);
        return buf;
    }
    fmt_count(grouped, sizeof grouped, strtoull(digits + sign, NULL, 10));
    snprintf(buf, size, "%s%s%s", sign ? "-" : "", grouped, digits + sign + n_whole);
    return buf;
}

const char *fmt_clock(char *buf, size_t size, uint64_t hz)
{
    static const struct {
        uint64_t div;
        int digits;
        const char *unit;
    } units[] = {{1000000, 6, "MHz"}, {1000, 3, "kHz"}, {1, 0, "Hz"}};
    char frac[16];
    size_t i = 0, n;

    while (hz < units[i].div && units[i].div > 1)
        i++;
    snprintf(frac, sizeof frac, "%0*llu", units[i].digits,
             (unsigned long long)(hz % units[i].div));
    n = strlen(frac);
    while (n > 0 && frac[n - 1] == '0')
        frac[--n] = '\0';
    snprintf(buf, size, "%llu%s%s %s", (unsigned long long)(hz / units[i].div), n ? "." : "",
             frac, units[i].unit);
    return buf;
}

const char *fmt_sets(char *buf, size_t size, const char *const *sets, int n)
{
    size_t o = 0;

    buf[0] = '\0';
    for (int i = 0; i < n && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s--set %s", i ? " " : "", sets[i]);
    if (o >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
    return buf;
}

const char *fmt_number(char *buf, size_t size, double v)
{
    if (v >= 0 && v < 1e18 && v == (double)(uint64_t)v)
        return fmt_count(buf, size, (uint64_t)v);
    snprintf(buf, size, "%.6g", v);
    return buf;
}

const char *fmt_shape(char *buf, size_t size, const ts_tensor *t)
{
    size_t o = 0;

    if (!t) {
        snprintf(buf, size, "-");
        return buf;
    }
    o += (size_t)snprintf(buf, size, "[");
    for (int32_t d = 0; d < t->rank && o < size; d++)
        o += (size_t)snprintf(buf + o, size - o, d ? ",%d" : "%d", t->shape[d]);
    if (o < size)
        snprintf(buf + o, size - o, "]");
    return buf;
}

void fmt_text_position(const char *text, size_t len, const char *at, int *line, int *col)
{
    size_t stop = at && at >= text ? (size_t)(at - text) : 0;

    *line = 1, *col = 1;
    for (size_t i = 0; i < stop && i < len; i++)
        text[i] == '\n' ? ((*line)++, *col = 1) : (*col)++;
}

const char *fmt_json_type(const cJSON *v)
{
    return !v                  ? "nothing"
           : cJSON_IsNumber(v) ? "number"
           : cJSON_IsString(v) ? "string"
           : cJSON_IsArray(v)  ? "array"
           : cJSON_IsObject(v) ? "object"
           : cJSON_IsBool(v)   ? "boolean"
                               : "null";
}
