/* fmt.h: small text formatters shared by the CLI's tables. Layer: bench/. */
#ifndef TS_FMT_H
#define TS_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* 1234567 -> "1,234,567" in buf; returns buf. */
const char *fmt_count(char *buf, size_t size, uint64_t v);

/* A metric value: a whole number as fmt_count, anything else with 6 significant digits. */
const char *fmt_number(char *buf, size_t size, double v);

/* Tensor shape as "[1,49,10,1]" ("-" for NULL, "[]" for scalars); returns buf. */
const char *fmt_shape(char *buf, size_t size, const ts_tensor *t);

#endif
