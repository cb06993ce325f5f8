/* file.h: reading one whole input file (a model, a target, an ELF) into memory, with the
 * messages every input shares. Layer: sim/base. Never prints. */
#ifndef TS_FILE_H
#define TS_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Reads the file at path (a regular file, a FIFO or a device: read to its end) into a new
 * buffer of *len bytes plus one zero byte (so text can be parsed in place).
 * [out] *out: caller frees with ts_free; set only on success (NULL otherwise).
 * Returns TS_OK; TS_ERR_IO "PATH: cannot open (REASON)", "PATH: is a directory (expected a
 * file)", "PATH: read error (REASON)"; TS_ERR_RANGE "PATH: file larger than MAX bytes" when it
 * holds more than max_bytes; TS_ERR_NOMEM. */
ts_status ts_file_read(const char *path, size_t max_bytes, uint8_t **out, size_t *len,
                       ts_err *err);

/* mkdir -p: creates each missing component of dir (mode 0755 less the umask); dir is modified
 * during the call and restored. Returns 0, or -1 with errno set and, when failed_len is not
 * NULL, *failed_len the length of the prefix of dir that could not be created. */
int ts_make_dirs(char *dir, size_t *failed_len);

#endif
