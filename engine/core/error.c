/* error.c — the error record of bad data (STYLE: errors, kind 2). Formatting only;
 * never prints, never aborts. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pkosim/types.h"

void pk_error_clear(pk_error *err) {
    if (err) memset(err, 0, sizeof *err);
}

pk_status pk_error_set(pk_error *err, const char *file, int line, const char *path, const char *fmt, ...) {
    if (!err) return PK_ERR_INPUT;
    pk_error_clear(err);
    if (file) snprintf(err->file, sizeof err->file, "%s", file);
    err->line = line;
    if (path) snprintf(err->path, sizeof err->path, "%s", path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return PK_ERR_INPUT;
}

const char *pk_error_format(const pk_error *err, char *buf, size_t size) {
    if (!buf || size == 0) return buf;
    buf[0] = '\0';
    if (!err) return buf;
    size_t n = 0;
#define PK_APPEND(...)                                                     \
    do {                                                                   \
        if (n < size) {                                                    \
            int k = snprintf(buf + n, size - n, __VA_ARGS__);              \
            if (k > 0) n += (size_t)k;                                     \
        }                                                                  \
    } while (0)
    if (err->file[0]) {
        PK_APPEND("%s", err->file);
        if (err->line > 0) PK_APPEND(":%d", err->line);
        PK_APPEND(": ");
    }
    if (err->path[0]) PK_APPEND("%s: ", err->path);
    PK_APPEND("%s", err->msg[0] ? err->msg : "error");
#undef PK_APPEND
    return buf;
}
