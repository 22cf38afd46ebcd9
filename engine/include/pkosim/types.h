/* pkosim/types.h — basic types shared by every layer: value ids, the error record,
 * status codes. Plain C11; must never pull in Lua, SDL or stdio-dependent state. */
#ifndef PKOSIM_TYPES_H
#define PKOSIM_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes returned by fallible functions. Matches the CLI exit codes where it can:
 * PK_OK -> 0, PK_ERR_RUNTIME -> 1, PK_ERR_INPUT -> 2. */
typedef enum pk_status {
    PK_OK = 0,
    PK_ERR_RUNTIME = 1, /* the run failed while going (script budget exhausted mid-run, ...) */
    PK_ERR_INPUT = 2    /* bad data or bad usage: a scenario, map, parameter or order is wrong */
} pk_status;

/* An error record for bad data (STYLE: errors, kind 2). Every loader fills one instead
 * of printing. `file` is the file the problem is in, `line` its 1-based line (0 when
 * not known), `path` a JSON path ("$.features[3].geometry") or table path
 * ("units[2].strength") when that locates it better, and `msg` says what was expected. */
typedef struct pk_error {
    char file[512];
    int line;
    char path[256];
    char msg[768];
} pk_error;

/* Clear an error record. */
void pk_error_clear(pk_error *err);
/* Fill an error record (printf-style message). Any of file/path may be NULL. Returns PK_ERR_INPUT. */
pk_status pk_error_set(pk_error *err, const char *file, int line, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Format "file:line: path: msg" (parts omitted when empty) into buf; returns buf. */
const char *pk_error_format(const pk_error *err, char *buf, size_t size);

/* Value id of a unit: index + 1 (0 = null id) and a generation that changes each time a
 * slot is reused, so a stale id is detected instead of aliasing a new unit (Box2D v3). */
typedef struct pk_unit_id {
    uint32_t index1;
    uint32_t generation;
} pk_unit_id;

static inline int pk_unit_id_is_null(pk_unit_id id) { return id.index1 == 0; }
static inline int pk_unit_id_equal(pk_unit_id a, pk_unit_id b) {
    return a.index1 == b.index1 && a.generation == b.generation;
}

/* Limits that size fixed arrays in defs; raised freely, they cost only memory. */
enum {
    PK_NAME_MAX = 64,    /* names of regions, factions, groups, sites (bytes incl. NUL) */
    PK_ID_MAX = 32,      /* short identifiers: "un", "partner", "north" */
    PK_MAX_FACTIONS = 16,
    PK_MAX_GROUPS = 16,
    PK_MAX_LINKS = 32,
    PK_MAX_REGIONS = 256
};

#ifdef __cplusplus
}
#endif
#endif
