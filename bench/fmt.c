/* fmt.c: text formatters for the CLI's tables. Layer: bench/. */
#include "fmt.h"

#include <cjson/cJSON.h>
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
