/* fb_build.h: a small FlatBuffers builder, enough to write .tflite files (tables with vtables,
 * vectors of scalars, strings and offsets, aligned byte vectors, file identifier, root).
 * Layer: sim/gen. Written for tinysim from the FlatBuffers binary-format description; not a
 * general FlatBuffers library: no structs, no vtable sharing, no reading or verification
 * (reading untrusted files is sim/model's job). Never prints or exits.
 *
 * The buffer is built back to front: every object is written before the objects that refer
 * to it, and a ts_fb_ref names an object by its distance from the end of the buffer. */
#ifndef TS_FB_BUILD_H
#define TS_FB_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

#define TS_FB_MAX_BYTES ((size_t)0x7fffffff) /* FlatBuffers' 2 GiB - 1 limit on a buffer */
#define TS_FB_MAX_DEPTH 16                   /* tables open at once */
#define TS_FB_MAX_FIELD 64                   /* field ids are 0 .. TS_FB_MAX_FIELD-1 */

typedef struct ts_fb ts_fb;

/* An object already written: its distance in bytes from the end of the buffer (> 0).
 * 0 means "no object" and is never returned on success. */
typedef uint32_t ts_fb_ref;

/* Creates an empty builder. `*out` is set only on success. Errors: TS_ERR_NOMEM. */
ts_status ts_fb_new(ts_fb **out, ts_err *err);
void ts_fb_free(ts_fb *b); /* NULL-safe */

/* Bytes written so far (alignment padding included). */
size_t ts_fb_size(const ts_fb *b);

/* TS_OK, or the first error the builder met. After an error every later call fails with
 * the same status (and copies the first message into its own `err`), so a caller may add
 * many fields and check once, at ts_fb_table_end() or ts_fb_finish(). */
ts_status ts_fb_status(const ts_fb *b);

/* ---- vectors and strings (written immediately; `*out` = 0 on failure) ---- */

/* A string: u32 length, the bytes of `s` (NUL-terminated C string), a terminating NUL. */
ts_status ts_fb_string(ts_fb *b, const char *s, ts_fb_ref *out, ts_err *err);

/* A [ubyte] vector whose first element lies at a multiple of `align` bytes from the start of
 * the finished buffer (align: power of two, 1..256; TFLite buffers use 16). */
ts_status ts_fb_vec_u8(ts_fb *b, const uint8_t *v, size_t n, size_t align, ts_fb_ref *out,
                       ts_err *err);
ts_status ts_fb_vec_i32(ts_fb *b, const int32_t *v, size_t n, ts_fb_ref *out, ts_err *err);
ts_status ts_fb_vec_i64(ts_fb *b, const int64_t *v, size_t n, ts_fb_ref *out, ts_err *err);
ts_status ts_fb_vec_f32(ts_fb *b, const float *v, size_t n, ts_fb_ref *out, ts_err *err);

/* A vector of offsets to objects written earlier (tables, strings or vectors). */
ts_status ts_fb_vec_refs(ts_fb *b, const ts_fb_ref *v, size_t n, ts_fb_ref *out, ts_err *err);

/* ---- tables ----
 * ts_fb_table_begin() opens a table; fields are recorded and written at ts_fb_table_end().
 * Tables nest: objects (including other tables) may be created while a table is open, and a
 * field always goes to the innermost open table. Scalar fields equal to their schema default
 * are left out, as FlatBuffers builders do. Setting one id twice is a caller bug (asserted). */
void ts_fb_table_begin(ts_fb *b);
void ts_fb_field_u8(ts_fb *b, int id, uint8_t v, uint8_t dflt);
void ts_fb_field_i8(ts_fb *b, int id, int8_t v, int8_t dflt);
void ts_fb_field_bool(ts_fb *b, int id, bool v, bool dflt);
void ts_fb_field_i32(ts_fb *b, int id, int32_t v, int32_t dflt);
void ts_fb_field_u32(ts_fb *b, int id, uint32_t v, uint32_t dflt);
void ts_fb_field_i64(ts_fb *b, int id, int64_t v, int64_t dflt);
void ts_fb_field_f32(ts_fb *b, int id, float v, float dflt);
void ts_fb_field_ref(ts_fb *b, int id, ts_fb_ref ref); /* ref 0: field left out */

/* Writes the innermost open table and its vtable. Errors: TS_ERR_NOMEM, TS_ERR_RANGE (buffer
 * or table too large), or the builder's earlier error. */
ts_status ts_fb_table_end(ts_fb *b, ts_fb_ref *out, ts_err *err);

/* ---- finishing ---- */

/* Writes the root offset and the 4-character file identifier (`ident` NULL: none), padding
 * the front so that every alignment requested holds relative to the start of the buffer.
 * No table may be open. After this only ts_fb_data/ts_fb_release/ts_fb_free are valid. */
ts_status ts_fb_finish(ts_fb *b, ts_fb_ref root, const char *ident, ts_err *err);

/* View of the finished bytes, valid until the next call on `b`. */
const uint8_t *ts_fb_data(const ts_fb *b, size_t *len);

/* Hands the finished bytes over: `*bytes` is a ts_malloc'd block the caller frees with
 * ts_free. The builder is left empty. */
void ts_fb_release(ts_fb *b, uint8_t **bytes, size_t *len);

#endif
