/* api.h — the `sim` object scenario hooks receive (docs/SCRIPTING.md), unit handles,
 * and the reading of unit tables shared by a scenario's `units` list and sim.add_unit.
 * A unit handle holds only a unit id and looks the unit up on every access, so a stale
 * handle raises "unknown unit" instead of touching freed memory (Wesnoth's lua_unit). */
#ifndef PK_API_H
#define PK_API_H

#include <lua.h>

#include "pkosim/pkosim.h"
#include "sandbox.h"
#include "scenario.h"

/* Create the `sim` table for this scenario (in a protected call). */
pk_status pk_api_install(pk_sandbox *sb, pk_scenario *sc, pk_error *err);
/* Push the `sim` table (no allocation). */
void pk_api_push_sim(pk_sandbox *sb);
/* A C function to call under pk_sandbox_call with (hook, sim, event lightuserdata or nil,
 * day or -1): calls hook(sim, event_table), hook(sim, day) or hook(sim). */
int pk_api_trampoline(lua_State *L);

/* The first line of `src` where `key` is written as a table key (`key =` or
 * `["key"] =`), 0 if none: how a table path is turned into a line a human can look at. */
int pk_api_key_line(const char *src, const char *key);
/* The line where table path `path` (e.g. "units[2]") and then `key` are written in src,
 * following the table constructors; falls back to pk_api_key_line(src, key). */
int pk_api_locate(const char *src, const char *path, const char *key);

/* Read the unit table at idx into *out. count (the `count` field, default 1) lets one
 * entry stand for several identical units. Problems go to errs with file, line (found in
 * source) and path. Returns PK_OK or PK_ERR_INPUT. */
pk_status pk_api_parse_unit(lua_State *L, int idx, const pk_map *map, const pk_faction_def *factions, int n_factions,
                            pk_unit_def *out, double *count, const char *path, pk_errors *errs, const char *file,
                            const char *source);
#endif
