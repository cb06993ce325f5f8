/* fmt.h: small text formatters shared by the CLI's tables. Layer: bench/. */
#ifndef TS_FMT_H
#define TS_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* 1234567 -> "1,234,567" in buf; returns buf. */
const char *fmt_count(char *buf, size_t size, uint64_t v);

/* v with `decimals` digits after the point and thousands separators before it:
 * fmt_fixed(.., 11734.5344, 3) -> "11,734.534"; negative values keep their sign. Returns buf. */
const char *fmt_fixed(char *buf, size_t size, double v, int decimals);

/* A clock frequency with the unit that shows it exactly: "120 MHz", "133.333333 MHz",
 * "48.5 MHz", "1 kHz", "32.768 kHz", "999 Hz" (MHz from 1 MHz, kHz from 1 kHz, trailing zeros
 * of the fraction dropped); every clock the CLI prints goes through it. Returns buf. */
const char *fmt_clock(char *buf, size_t size, uint64_t hz);

/* The --set overrides as typed, "--set clock_hz=48000000 --set has_dsp=false" ("" for n == 0);
 * truncated with "..." when longer than size. Returns buf. */
const char *fmt_sets(char *buf, size_t size, const char *const *sets, int n);

/* A metric value: a whole number as fmt_count, anything else with 6 significant digits. */
const char *fmt_number(char *buf, size_t size, double v);

/* Tensor shape as "[1,49,10,1]" ("-" for NULL, "[]" for scalars); returns buf. */
const char *fmt_shape(char *buf, size_t size, const ts_tensor *t);

struct cJSON;

/* "number", "string", "array", "object", "boolean", "null", or "nothing" for NULL: the type of
 * a JSON value, for "expected X, got Y" messages. */
const char *fmt_json_type(const struct cJSON *v);

/* Line and column (both from 1) of position `at` in text (len bytes), e.g. where a JSON
 * parser stopped; a NULL or out-of-range `at` counts up to the end that exists. */
void fmt_text_position(const char *text, size_t len, const char *at, int *line, int *col);

#endif
