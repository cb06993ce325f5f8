/* fmt.c: text formatters for the CLI's tables. Layer: bench/. */
#include "fmt.h"

#include <stdio.h>
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
