/* csv.h: CSV on standard output for the commands' --csv (RFC 4180: a header line, one record
 * per line, a field quoted when it holds a comma, quote or line break, quotes doubled).
 * Layer: bench/ (prints). */
#ifndef TS_CSV_H
#define TS_CSV_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/* One field, then ',' or, when last, a line break. */
void csv_field(const char *s, bool last);

/* A number: integral values exactly ("%.0f" when count), others with 9 significant digits;
 * an empty field when !has. No separator. */
void csv_number(bool has, double v, bool count);

/* The array of objects `rows` as a table: the header is the scalar members (string, number,
 * bool as 0/1) of the first object, in order, plus "NAME" for a member object's "total"
 * (energy_uj); every row gives those columns (empty when missing). Nested arrays and other
 * objects are left out. `lead`/`lead_value`: an optional first column (NULL for none) with
 * the same value on every row ("target"). */
void csv_objects(const cJSON *rows, const char *lead, const char *lead_value);

#endif
