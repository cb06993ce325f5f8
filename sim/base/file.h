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

/* tinysim's per-user folders, by the XDG base-directory convention. */
typedef enum ts_user_dir_kind {
    TS_USER_CACHE, /* $XDG_CACHE_HOME/tinysim, else $HOME/.cache/tinysim */
    TS_USER_DATA   /* $XDG_DATA_HOME/tinysim, else $HOME/.local/share/tinysim */
} ts_user_dir_kind;

/* Writes the folder's path (not created) to out. An empty variable counts as unset.
 * Returns 0; -1 when neither the XDG variable nor HOME is set; -2 when the path does not
 * fit in cap bytes (out then holds no path). */
int ts_user_dir(ts_user_dir_kind kind, char *out, size_t cap);

#endif
