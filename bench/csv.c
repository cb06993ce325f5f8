/* csv.c: CSV output of the commands (see csv.h). Layer: bench/. */
#include "csv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* s as one field, quoted when needed; no separator. */
static void csv_text(const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++)
        printf(*s == '"' ? "\"\"" : "%c", *s);
    putchar('"');
}

void csv_field(const char *s, bool last)
{
    csv_text(s);
    putchar(last ? '\n' : ',');
}

void csv_number(bool has, double v, bool count)
{
    if (has && (count || (v == floor(v) && fabs(v) < 1e15)))
        printf("%.0f", v);
    else if (has)
        printf("%.9g", v);
}

/* A member that is a column: a scalar, or an object with a numeric "total" (energy_uj). */
static bool is_column(const cJSON *m)
{
    return cJSON_IsString(m) || cJSON_IsNumber(m) || cJSON_IsBool(m) ||
           (cJSON_IsObject(m) && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(m, "total")));
}

/* The cell of column `key` in object o (empty when o lacks it). */
static void print_cell(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (cJSON_IsObject(v))
        v = cJSON_GetObjectItemCaseSensitive(v, "total");
    if (cJSON_IsString(v))
        csv_text(v->valuestring);
    else if (cJSON_IsBool(v))
        putchar(cJSON_IsTrue(v) ? '1' : '0');
    else
        csv_number(cJSON_IsNumber(v), cJSON_GetNumberValue(v), false);
}

void csv_objects(const cJSON *rows, const char *lead, const char *lead_value)
{
    const cJSON *first = cJSON_GetArrayItem(rows, 0), *m, *row;
    bool sep = false;

    if (lead)
        csv_text(lead), sep = true;
    cJSON_ArrayForEach(m, first)
        if (is_column(m)) {
            if (sep)
                putchar(',');
            csv_text(m->string), sep = true;
        }
    putchar('\n');
    cJSON_ArrayForEach(row, rows) {
        sep = false;
        if (lead)
            csv_text(lead_value), sep = true;
        cJSON_ArrayForEach(m, first)
            if (is_column(m)) {
                if (sep)
                    putchar(',');
                print_cell(row, m->string), sep = true;
            }
        putchar('\n');
    }
}
