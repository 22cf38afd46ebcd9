/* api.c — the Lua API scenarios use during a run: the `sim` table passed to every hook
 * and the unit handle type. Every function checks its arguments (luaL_check*) and raises
 * a clear error on misuse; every change to the world goes through pk_world_command, so it
 * is applied at the next day boundary and recorded in the replay log. Nothing here keeps
 * a pointer into the world across calls. */
#include "api.h"

#include <ctype.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_MT "pkosim.unit"
#define SIM_KEY "pkosim.sim"

/* ------------------------------------------------------------------ helpers */

int pk_api_key_line(const char *src, const char *key) {
    if (!src || !key || !*key) return 0;
    size_t n = strlen(key);
    int line = 1;
    for (const char *p = src; *p; p++) {
        if (*p == '\n') {
            line++;
            continue;
        }
        if (strncmp(p, key, n) != 0) continue;
        const char *q = p + n;
        int quoted = p > src && (p[-1] == '"' || p[-1] == '\'');
        if (quoted) {
            if (*q != p[-1]) continue;
            q++;
            while (*q == ' ' || *q == '\t') q++;
            if (*q != ']') continue;
            q++;
        } else {
            if (p > src && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.')) continue;
            if (isalnum((unsigned char)*q) || *q == '_') continue;
        }
        while (*q == ' ' || *q == '\t') q++;
        if (*q == '=' && q[1] != '=') return line;
    }
    return 0;
}

/* ---- locating a table path in the source ---------------------------------------- */

/* A tiny scanner over Lua source that knows strings, long brackets and comments, enough
 * to walk table constructors: it turns "units[2].strength" into the line where that
 * field is written. Scenario tables built by functions are not followed (the caller
 * falls back to pk_api_key_line). */
typedef struct lscan {
    const char *p, *end;
    int line;
} lscan;

static int long_bracket_level(const char *p, const char *end) {
    if (p >= end || *p != '[') return -1;
    int level = 0;
    p++;
    while (p < end && *p == '=') level++, p++;
    return p < end && *p == '[' ? level : -1;
}

/* Skip a long bracket starting at sc->p (already checked) of the given level. */
static void skip_long(lscan *sc, int level) {
    sc->p += level + 2;
    while (sc->p < sc->end) {
        if (*sc->p == '\n') sc->line++;
        if (*sc->p == ']') {
            const char *q = sc->p + 1;
            int l = 0;
            while (q < sc->end && *q == '=') l++, q++;
            if (l == level && q < sc->end && *q == ']') {
                sc->p = q + 1;
                return;
            }
        }
        sc->p++;
    }
}

/* Skip blanks and comments. */
static void skip_space(lscan *sc) {
    while (sc->p < sc->end) {
        char c = *sc->p;
        if (c == '\n') {
            sc->line++;
            sc->p++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            sc->p++;
        } else if (c == '-' && sc->p + 1 < sc->end && sc->p[1] == '-') {
            sc->p += 2;
            int level = long_bracket_level(sc->p, sc->end);
            if (level >= 0) skip_long(sc, level);
            else
                while (sc->p < sc->end && *sc->p != '\n') sc->p++;
        } else {
            return;
        }
    }
}

/* Skip one token (after skip_space); returns its first character, 0 at the end. */
static char skip_token(lscan *sc) {
    if (sc->p >= sc->end) return 0;
    char c = *sc->p;
    if (c == '"' || c == '\'') {
        sc->p++;
        while (sc->p < sc->end && *sc->p != c) {
            if (*sc->p == '\\' && sc->p + 1 < sc->end) sc->p++;
            if (*sc->p == '\n') sc->line++;
            sc->p++;
        }
        sc->p++;
        return c;
    }
    int level = long_bracket_level(sc->p, sc->end);
    if (level >= 0) {
        skip_long(sc, level);
        return '"';
    }
    if (isalnum((unsigned char)c) || c == '_') {
        while (sc->p < sc->end && (isalnum((unsigned char)*sc->p) || *sc->p == '_' || *sc->p == '.')) sc->p++;
        return 'a';
    }
    sc->p++;
    return c;
}

/* With sc->p just after a '{', find field `name` (name = or ["name"] =) at this level,
 * or list element number `index` (1-based; as Lua numbers them, `name = v` and `[k] = v`
 * fields are not counted) when name is NULL. Leaves sc
 * at the start of the value (for a name) or of the element. Returns 1 if found. */
static int find_in_table(lscan *sc, const char *name, size_t nlen, long index) {
    long positional = 0; /* list elements seen: `name = v` and `[k] = v` fields are not counted */
    int at_start = 1;    /* at the start of an element */
    for (;;) {
        skip_space(sc);
        if (sc->p >= sc->end) return 0;
        if (at_start && !name) {
            lscan peek = *sc;
            char c0 = skip_token(&peek);
            int named = c0 == '[';
            if (c0 == 'a') {
                skip_space(&peek);
                named = peek.p < peek.end && *peek.p == '=' && (peek.p + 1 >= peek.end || peek.p[1] != '=');
            }
            if (!named && c0 != '}' && c0 != 0 && ++positional == index) return 1;
        }
        const char *tok = sc->p;
        int tok_line = sc->line;
        char c = skip_token(sc);
        if (c == '}' || c == 0) return 0;
        if (c == ',' || c == ';') {
            at_start = 1;
            continue;
        }
        if (at_start && name) {
            /* name = ... or ["name"] = ... */
            int match = 0;
            if (c == 'a') match = (size_t)(sc->p - tok) == nlen && strncmp(tok, name, nlen) == 0;
            else if (c == '[') {
                skip_space(sc);
                const char *q = sc->p;
                char qc = skip_token(sc);
                match = (qc == '"' || qc == '\'') && (size_t)(sc->p - q) == nlen + 2 && strncmp(q + 1, name, nlen) == 0;
                skip_space(sc);
                if (sc->p < sc->end && *sc->p == ']') sc->p++;
            }
            skip_space(sc);
            if (match && sc->p < sc->end && *sc->p == '=' && (sc->p + 1 >= sc->end || sc->p[1] != '=')) {
                sc->p++;
                skip_space(sc);
                (void)tok_line;
                return 1;
            }
        }
        at_start = 0;
        if (c == '{' || c == '(' || c == '[') { /* skip a nested group */
            int depth = 1;
            while (depth > 0) {
                skip_space(sc);
                char d = skip_token(sc);
                if (d == 0) return 0;
                if (d == '{' || d == '(' || d == '[') depth++;
                else if (d == '}' || d == ')' || d == ']') depth--;
            }
        }
    }
}

/* The line of `path` ("units[2].strength", "factions[1]", "params.troops.type") in src,
 * or 0 when it cannot be followed. The first segment is searched as a key anywhere. */
static int path_line(const char *src, const char *path) {
    const char *seg = path;
    size_t len = strcspn(seg, ".[");
    if (len == 0 && *seg == '[') { /* an element of the scenario table itself: from the file's last
                                     * `return {` at the start of a line */
        const char *ret = NULL;
        for (const char *q = src; (q = strstr(q, "return")) != NULL; q += 6)
            if (q == src || q[-1] == '\n') {
                const char *b = q + 6;
                while (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n') b++;
                if (*b == '{') ret = b;
            }
        if (!ret) return 0;
        lscan sc = {src, src + strlen(src), 1};
        while (sc.p < ret) sc.line += *sc.p++ == '\n';
        while (*seg) {
            char *endp;
            long idx = *seg == '[' ? strtol(seg + 1, &endp, 10) : 0;
            if (idx < 1 || *endp != ']' || sc.p >= sc.end || *sc.p != '{') return 0;
            sc.p++;
            if (!find_in_table(&sc, NULL, 0, idx)) return 0;
            seg = endp + 1;
        }
        return sc.line;
    }
    if (len == 0) return 0;
    char first[128];
    if (len >= sizeof first) return 0;
    memcpy(first, seg, len);
    first[len] = '\0';
    int line = pk_api_key_line(src, first);
    if (line == 0) return 0;
    /* go to that line, then to the '=' after the key and the value after it */
    lscan sc = {src, src + strlen(src), 1};
    while (sc.p < sc.end && sc.line < line) {
        if (*sc.p == '\n') sc.line++;
        sc.p++;
    }
    const char *k = strstr(sc.p, first);
    if (!k) return 0;
    sc.p = strchr(k, '=');
    if (!sc.p) return 0;
    sc.p++;
    skip_space(&sc);
    seg += len;
    while (*seg) {
        if (sc.p >= sc.end || *sc.p != '{') return 0; /* built by code: cannot follow */
        sc.p++;
        if (*seg == '[') {
            char *endp;
            long idx = strtol(seg + 1, &endp, 10);
            if (*endp != ']' || idx < 1) return 0;
            if (!find_in_table(&sc, NULL, 0, idx)) return 0;
            seg = endp + 1;
        } else if (*seg == '.') {
            seg++;
            size_t n = strcspn(seg, ".[");
            if (!find_in_table(&sc, seg, n, 0)) return 0;
            seg += n;
        } else {
            return 0;
        }
    }
    /* the value's line; for a field that is the line of its `=`, which is where the
     * key is written in every usual layout */
    return sc.line;
}

int pk_api_locate(const char *src, const char *path, const char *key) {
    if (!src) return 0;
    if (path && *path) {
        char full[400];
        size_t pl = strlen(path), kl = key ? strlen(key) : 0;
        int ends_with_key = kl && pl >= kl && strcmp(path + pl - kl, key) == 0 &&
                            (pl == kl || path[pl - kl - 1] == '.');
        int plain_key = kl && strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == kl;
        if (ends_with_key || !plain_key) snprintf(full, sizeof full, "%s", path);
        else snprintf(full, sizeof full, "%s.%s", path, key);
        int line = path_line(src, full);
        if (line) return line;
    }
    return pk_api_key_line(src, key);
}

static pk_scenario *ctx_scenario(lua_State *L) { return lua_touserdata(L, lua_upvalueindex(1)); }

static pk_world *ctx_world(lua_State *L) {
    pk_world *w = pk_scenario_world(ctx_scenario(L));
    if (!w) luaL_error(L, "the simulation does not exist yet: use `sim` inside hooks (on_start, on_day, ...)");
    return w;
}

static int32_t check_region(lua_State *L, pk_world *w, int arg) {
    const char *id = luaL_checkstring(L, arg);
    int32_t r = pk_map_find_region(pk_world_map(w), id);
    if (r < 0) luaL_error(L, "unknown region '%s'", id);
    return r;
}

static int32_t check_faction(lua_State *L, pk_world *w, int arg) {
    const char *id = luaL_checkstring(L, arg);
    int32_t f = pk_world_find_faction(w, id);
    if (f < 0) luaL_error(L, "unknown faction '%s'", id);
    return f;
}

static int32_t check_group(lua_State *L, pk_world *w, int arg) {
    const char *id = luaL_checkstring(L, arg);
    int32_t g = pk_world_find_group(w, id);
    if (g < 0) luaL_error(L, "unknown civilian group '%s'", id);
    return g;
}

static void push_unit(lua_State *L, pk_unit_id id) {
    pk_unit_id *u = lua_newuserdatauv(L, sizeof *u, 0);
    *u = id;
    luaL_setmetatable(L, UNIT_MT);
}

static pk_unit_id check_unit_id(lua_State *L, int arg) { return *(pk_unit_id *)luaL_checkudata(L, arg, UNIT_MT); }

static void queue(lua_State *L, pk_world *w, const pk_command *cmd, pk_unit_id *out) {
    pk_error err;
    if (pk_world_command(w, cmd, out, &err) != PK_OK) {
        char buf[1200];
        luaL_error(L, "%s", pk_error_format(&err, buf, sizeof buf));
    }
}

/* ------------------------------------------------------------------ unit tables */

static const char *const unit_keys[] = {"faction", "type", "strength", "readiness", "region", "site", "task",
                                        "target", "radius", "name", "count", NULL};

static void add_problem(pk_errors *errs, const char *file, const char *source, const char *key, const char *path,
                        const char *msg) {
    pk_error *e = pk_errors_add(errs);
    char p[300];
    snprintf(p, sizeof p, "%s%s%s", path, key && *key ? "." : "", key ? key : "");
    pk_error_set(e, file, pk_api_locate(source, path, key), p, "%s", msg);
}

static int field_type(lua_State *L, int idx, const char *key) {
    lua_pushstring(L, key);
    return lua_rawget(L, idx);
}

pk_status pk_api_parse_unit(lua_State *L, int idx, const pk_map *map, const pk_faction_def *factions, int n_factions,
                            pk_unit_def *out, double *count, const char *path, pk_errors *errs, const char *file,
                            const char *source) {
    idx = lua_absindex(L, idx);
    int before = errs->count;
    char msg[512];
    /* unknown keys, sorted so messages come in a stable order */
    {
        const char *bad[16];
        int nbad = 0;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            lua_pop(L, 1);
            int ok = 0;
            if (lua_type(L, -1) == LUA_TSTRING) {
                const char *k = lua_tostring(L, -1);
                for (int i = 0; unit_keys[i] && !ok; i++) ok = strcmp(k, unit_keys[i]) == 0;
                if (!ok && nbad < 16) bad[nbad++] = k;
            } else if (nbad < 16) {
                bad[nbad++] = "(a non-string key)";
            }
        }
        for (int i = 1; i < nbad; i++)
            for (int j = i; j > 0 && strcmp(bad[j - 1], bad[j]) > 0; j--) {
                const char *t = bad[j];
                bad[j] = bad[j - 1];
                bad[j - 1] = t;
            }
        for (int i = 0; i < nbad; i++) {
            snprintf(msg, sizeof msg,
                     "unknown key '%s'; a unit has faction, type, strength, readiness, region or site, task, target, "
                     "radius, name, count",
                     bad[i]);
            add_problem(errs, file, source, bad[i], path, msg);
        }
    }
    pk_unit_def d = pk_unit_def_default();
    *count = 1;
    int t;
    /* faction (required) */
    t = field_type(L, idx, "faction");
    if (t != LUA_TSTRING) {
        snprintf(msg, sizeof msg, "expected a faction id (string), got %s", lua_typename(L, t));
        add_problem(errs, file, source, "faction", path, msg);
    } else {
        const char *id = lua_tostring(L, -1);
        d.faction = -1;
        for (int f = 0; f < n_factions; f++)
            if (strcmp(factions[f].id, id) == 0) d.faction = f;
        if (d.faction < 0) {
            snprintf(msg, sizeof msg, "no faction '%s'", id);
            add_problem(errs, file, source, "faction", path, msg);
        }
    }
    lua_pop(L, 1);
    /* type (required) */
    t = field_type(L, idx, "type");
    if (t != LUA_TSTRING || pk_unit_type_from_name(lua_tostring(L, -1)) < 0) {
        snprintf(msg, sizeof msg,
                 "expected a unit type: infantry, fpu, observers, engineers, medical, aviation, civil_affairs, "
                 "human_rights, humanitarian, gov_army, gov_police, armed_band; got %s",
                 t == LUA_TSTRING ? lua_tostring(L, -1) : lua_typename(L, t));
        add_problem(errs, file, source, "type", path, msg);
    } else {
        d.type = (pk_unit_type)pk_unit_type_from_name(lua_tostring(L, -1));
    }
    lua_pop(L, 1);
    /* numbers */
    static const struct {
        const char *key;
        double lo, hi;
        int integer;
    } nums[] = {{"strength", 1, 1000000, 1}, {"readiness", 0, 1, 0}, {"radius", 0, 1000, 1}, {"count", 1, 1000, 1}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        t = field_type(L, idx, nums[i].key);
        if (t == LUA_TNUMBER) {
            double v = lua_tonumber(L, -1);
            if ((nums[i].integer && v != (double)(int64_t)v) || !(v >= nums[i].lo && v <= nums[i].hi)) {
                snprintf(msg, sizeof msg, "expected a %s in [%g, %g], got %g", nums[i].integer ? "whole number" : "number",
                         nums[i].lo, nums[i].hi, v);
                add_problem(errs, file, source, nums[i].key, path, msg);
            } else if (i == 0) d.strength = (int32_t)v;
            else if (i == 1) d.readiness = (float)v;
            else if (i == 2) d.radius_cells = (int32_t)v;
            else *count = v;
        } else if (t != LUA_TNIL) {
            snprintf(msg, sizeof msg, "expected a number, got %s", lua_typename(L, t));
            add_problem(errs, file, source, nums[i].key, path, msg);
        }
        lua_pop(L, 1);
    }
    /* task */
    t = field_type(L, idx, "task");
    if (t == LUA_TSTRING && pk_task_from_name(lua_tostring(L, -1)) >= 0) {
        d.task = (pk_task)pk_task_from_name(lua_tostring(L, -1));
    } else if (t != LUA_TNIL) {
        snprintf(msg, sizeof msg,
                 "expected a task: idle, patrol, protect, escort, offensive, ddr, aid, engage, observe, repair, raid; got %s",
                 t == LUA_TSTRING ? lua_tostring(L, -1) : lua_typename(L, t));
        add_problem(errs, file, source, "task", path, msg);
    }
    lua_pop(L, 1);
    /* who can do what: checked here too, so the problem carries the file, line and path */
    if (errs->count == before && !pk_unit_can(d.type, d.task)) {
        char can[256] = "";
        size_t len = 0;
        for (int k = 0; k < PK_TASK_COUNT; k++)
            if (pk_unit_can(d.type, (pk_task)k) && len + 16 < sizeof can)
                len += (size_t)snprintf(can + len, sizeof can - len, "%s%s", len ? ", " : "", pk_task_name((pk_task)k));
        snprintf(msg, sizeof msg, "a unit of type %s cannot %s; it can: %s", pk_unit_type_name(d.type),
                 pk_task_name(d.task), can);
        add_problem(errs, file, source, "task", path, msg);
    }
    /* name */
    t = field_type(L, idx, "name");
    if (t == LUA_TSTRING) snprintf(d.name, sizeof d.name, "%s", lua_tostring(L, -1));
    else if (t != LUA_TNIL) add_problem(errs, file, source, "name", path, "expected a string");
    lua_pop(L, 1);
    /* where: region or site */
    int tr = field_type(L, idx, "region");
    int ts = field_type(L, idx, "site");
    if ((tr == LUA_TNIL) == (ts == LUA_TNIL)) {
        add_problem(errs, file, source, tr == LUA_TNIL ? "faction" : "region", path,
                    "expected exactly one of region = \"<region id>\" or site = \"<site name>\"");
    } else if (tr != LUA_TNIL) {
        if (tr != LUA_TSTRING || pk_map_find_region(map, lua_tostring(L, -2)) < 0) {
            snprintf(msg, sizeof msg, "no region '%s' in the map", tr == LUA_TSTRING ? lua_tostring(L, -2) : lua_typename(L, tr));
            add_problem(errs, file, source, "region", path, msg);
        } else {
            d.home_region = pk_map_find_region(map, lua_tostring(L, -2));
        }
    } else {
        const char *s = ts == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        int found = -1;
        for (int32_t i = 0; s && i < map->n_sites; i++)
            if (strcmp(map->sites[i].name, s) == 0) found = i;
        if (found < 0 || map->region[map->sites[found].cell] < 0) {
            snprintf(msg, sizeof msg, "no site '%s' inside a region of the map", s ? s : lua_typename(L, ts));
            add_problem(errs, file, source, "site", path, msg);
        } else {
            d.cell = map->sites[found].cell;
        }
    }
    lua_pop(L, 2);
    /* target region (optional) */
    t = field_type(L, idx, "target");
    if (t == LUA_TSTRING) {
        d.target_region = pk_map_find_region(map, lua_tostring(L, -1));
        if (d.target_region < 0) {
            snprintf(msg, sizeof msg, "no region '%s' in the map", lua_tostring(L, -1));
            add_problem(errs, file, source, "target", path, msg);
        }
    } else if (t != LUA_TNIL) {
        add_problem(errs, file, source, "target", path, "expected a region id");
    }
    lua_pop(L, 1);
    *out = d;
    return errs->count == before ? PK_OK : PK_ERR_INPUT;
}

/* ------------------------------------------------------------------ unit handles */

static int unit_index(lua_State *L) {
    pk_unit_id id = check_unit_id(L, 1);
    const char *key = luaL_checkstring(L, 2);
    pk_world *w = ctx_world(L);
    pk_unit_state st;
    if (strcmp(key, "alive") == 0) {
        lua_pushboolean(L, pk_world_unit(w, id, NULL));
        return 1;
    }
    if (!pk_world_unit(w, id, &st)) return luaL_error(L, "unknown unit %d:%d (removed, destroyed or not yet arrived)", (int)id.index1, (int)id.generation);
    const pk_map *m = pk_world_map(w);
    if (strcmp(key, "id") == 0) lua_pushfstring(L, "%d:%d", (int)id.index1, (int)id.generation);
    else if (strcmp(key, "faction") == 0) lua_pushstring(L, pk_world_faction(w, st.faction)->id);
    else if (strcmp(key, "type") == 0) lua_pushstring(L, pk_unit_type_name(st.type));
    else if (strcmp(key, "task") == 0) lua_pushstring(L, pk_task_name(st.task));
    else if (strcmp(key, "strength") == 0) lua_pushinteger(L, st.strength);
    else if (strcmp(key, "readiness") == 0) lua_pushnumber(L, st.readiness);
    else if (strcmp(key, "region") == 0) lua_pushstring(L, m->regions[m->region[st.cell]].id);
    else if (strcmp(key, "target") == 0) {
        if (st.target_region >= 0) lua_pushstring(L, m->regions[st.target_region].id);
        else lua_pushnil(L);
    } else if (strcmp(key, "name") == 0) lua_pushstring(L, st.name);
    else return luaL_error(L, "a unit has no field '%s'", key);
    return 1;
}

static int unit_tostring(lua_State *L) {
    pk_unit_id id = check_unit_id(L, 1);
    lua_pushfstring(L, "unit %d:%d", (int)id.index1, (int)id.generation);
    return 1;
}

static int unit_eq(lua_State *L) {
    pk_unit_id a = check_unit_id(L, 1), b = check_unit_id(L, 2);
    lua_pushboolean(L, pk_unit_id_equal(a, b));
    return 1;
}

static int unit_newindex(lua_State *L) { return luaL_error(L, "unit fields are read-only; use sim.set_task or sim.remove_unit"); }

static int sim_newindex(lua_State *L) { return luaL_error(L, "the sim table is read-only"); }

/* ------------------------------------------------------------------ sim functions */

static int sim_day(lua_State *L) {
    lua_pushinteger(L, pk_world_day(ctx_world(L)));
    return 1;
}

static int sim_add_unit(lua_State *L) {
    pk_world *w = ctx_world(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    const pk_map *m = pk_world_map(w);
    pk_world_info info = pk_world_get_info(w);
    pk_faction_def factions[PK_MAX_FACTIONS];
    for (int f = 0; f < info.n_factions; f++) factions[f] = *pk_world_faction(w, f);
    pk_errors *errs = lua_newuserdatauv(L, sizeof *errs, 0); /* owned by Lua: no leak if we raise */
    errs->count = 0;
    pk_unit_def d;
    double count;
    if (pk_api_parse_unit(L, 1, m, factions, info.n_factions, &d, &count, "sim.add_unit", errs, NULL, NULL) != PK_OK) {
        char buf[1200];
        return luaL_error(L, "%s", pk_error_format(&errs->items[0], buf, sizeof buf));
    }
    if (count != 1) return luaL_error(L, "sim.add_unit: count is only for the scenario's units list");
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_ADD_UNIT;
    cmd.unit_def = d;
    pk_unit_id id;
    queue(L, w, &cmd, &id);
    push_unit(L, id);
    return 1;
}

static int sim_remove_unit(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_REMOVE_UNIT;
    cmd.unit = check_unit_id(L, 1);
    const char *why = luaL_optstring(L, 2, "");
    snprintf(cmd.text, sizeof cmd.text, "%s", why);
    queue(L, w, &cmd, NULL);
    return 0;
}

static int sim_set_task(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_SET_TASK;
    cmd.unit = check_unit_id(L, 1);
    const char *task = luaL_checkstring(L, 2);
    cmd.task = pk_task_from_name(task);
    if (cmd.task < 0) return luaL_error(L, "unknown task '%s'", task);
    cmd.region = lua_isnoneornil(L, 3) ? -1 : check_region(L, w, 3);
    queue(L, w, &cmd, NULL);
    return 0;
}

static int sim_units(lua_State *L) {
    pk_world *w = ctx_world(L);
    int32_t f = lua_isnoneornil(L, 1) ? -1 : check_faction(L, w, 1);
    int32_t n = pk_world_units(w, NULL, 0);
    pk_unit_state *st = lua_newuserdatauv(L, (size_t)(n > 0 ? n : 1) * sizeof *st, 0);
    pk_world_units(w, st, n);
    lua_createtable(L, n, 0);
    lua_Integer k = 0;
    for (int32_t i = 0; i < n; i++) {
        if (f >= 0 && st[i].faction != f) continue;
        push_unit(L, st[i].id);
        lua_rawseti(L, -2, ++k);
    }
    return 1;
}

static int sim_set_model(lua_State *L) {
    pk_world *w = ctx_world(L);
    const char *name = luaL_checkstring(L, 1);
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_SET_PARAM;
    cmd.key = pk_param_find(name);
    if (cmd.key < 0) return luaL_error(L, "unknown model parameter '%s'", name);
    cmd.value = luaL_checknumber(L, 2);
    queue(L, w, &cmd, NULL);
    return 0;
}

static int sim_model(lua_State *L) {
    pk_world *w = ctx_world(L);
    const char *name = luaL_checkstring(L, 1);
    int p = pk_param_find(name);
    if (p < 0) return luaL_error(L, "unknown model parameter '%s'", name);
    lua_pushnumber(L, pk_world_param(w, (pk_param)p));
    return 1;
}

static int sim_set_region(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_SET_REGION;
    cmd.region = check_region(L, w, 1);
    const char *field = luaL_checkstring(L, 2);
    if (strcmp(field, "services") == 0) cmd.key = PK_REGION_SERVICES;
    else if (strcmp(field, "needs_met") == 0) cmd.key = PK_REGION_NEEDS_MET;
    else if (strcmp(field, "violence") == 0) cmd.key = PK_REGION_VIOLENCE;
    else if (strcmp(field, "resources") == 0) cmd.key = PK_REGION_RESOURCES;
    else {
        cmd.key = -1;
        for (int k = 0; k < PK_NEED_SAFETY; k++)
            if (strcmp(field, pk_need_name(k)) == 0) cmd.key = PK_REGION_FOOD + k;
        if (cmd.key < 0)
            return luaL_error(L, "unknown region field '%s' (expected services, needs_met, food, water, health, shelter, "
                                 "education, resources or violence)", field);
    }
    cmd.value = luaL_checknumber(L, 3);
    queue(L, w, &cmd, NULL);
    return 0;
}

static int sim_set_funding(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_SET_FACTION;
    cmd.faction = check_faction(L, w, 1);
    cmd.key = PK_FACTION_FUNDING_SHARE;
    cmd.value = luaL_checknumber(L, 2);
    queue(L, w, &cmd, NULL);
    return 0;
}

/* sim.set_consent(faction, value): the host government's consent to a mission, [0,1];
 * below the model parameter consent_withdrawal it is withdrawn (phase 10). */
static int sim_set_consent(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_SET_FACTION;
    cmd.faction = check_faction(L, w, 1);
    cmd.key = PK_FACTION_CONSENT;
    cmd.value = luaL_checknumber(L, 2);
    queue(L, w, &cmd, NULL);
    return 0;
}

/* A SET_FACTION command for the faction named by argument 1. */
static pk_command faction_command(lua_State *L, pk_world *w, pk_faction_field key) {
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_SET_FACTION;
    cmd.faction = check_faction(L, w, 1);
    cmd.key = key;
    cmd.region = -1;
    return cmd;
}

/* "a, b, c" from an enumeration's name function. */
static void name_list(char *buf, size_t n, const char *(*name_of)(int), int count) {
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && len + 4 < n; i++) {
        int k = snprintf(buf + len, n - len, "%s%s", i ? ", " : "", name_of(i));
        if (k < 0) break;
        len += (size_t)k;
    }
}
static const char *roe_name(int i) { return pk_roe_name((pk_roe)i); }
static const char *mandate_name(int i) { return pk_mandate_task_name((pk_mandate_task)i); }

/* sim.set_roe(faction, roe): "self_defence", "defence_of_mandate" or "offensive". */
static int sim_set_roe(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_command cmd = faction_command(L, w, PK_FACTION_ROE);
    const char *name = luaL_checkstring(L, 2);
    int r = pk_roe_from_name(name);
    if (r < 0) {
        char list[128];
        name_list(list, sizeof list, roe_name, PK_ROE_COUNT);
        return luaL_error(L, "sim.set_roe: unknown roe '%s' (expected one of: %s)", name, list);
    }
    cmd.value = r;
    queue(L, w, &cmd, NULL);
    return 0;
}

/* Add mandated task s[0..len) at the next priority; raises on an unknown or repeated name. */
static void mandate_put(lua_State *L, const char *s, size_t len, int8_t prio[PK_MANDATE_COUNT], int *next) {
    while (len > 0 && (*s == ' ' || *s == '\t')) s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), s);
    int m = pk_mandate_task_from_name(name);
    if (m < 0) {
        char list[256];
        name_list(list, sizeof list, mandate_name, PK_MANDATE_COUNT);
        luaL_error(L, "sim.set_mandate: unknown mandate task '%s' (expected any of: %s)", name, list);
    }
    if (prio[m]) luaL_error(L, "sim.set_mandate: '%s' is listed twice (the position in the list is its priority)", name);
    prio[m] = (int8_t)++*next;
}

/* sim.set_mandate(faction, { "poc", "political" } or "poc,political"): the whole mandate,
 * priorities by position (1 = first); tasks not listed are no longer mandated. One
 * command per task, all checked before any is queued. */
static int sim_set_mandate(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_command cmd = faction_command(L, w, PK_FACTION_MANDATE);
    int8_t prio[PK_MANDATE_COUNT] = {0};
    int next = 0;
    if (lua_type(L, 2) == LUA_TSTRING) {
        const char *s = lua_tostring(L, 2);
        while (*s) { /* blanks around names and empty items are skipped, as in a scenario */
            size_t len = strcspn(s, ",");
            if (strspn(s, " \t") < len) mandate_put(L, s, len, prio, &next);
            s += len;
            if (*s == ',') s++;
        }
    } else if (lua_type(L, 2) == LUA_TTABLE) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, 2);
        for (lua_Integer i = 1; i <= n; i++) {
            if (lua_rawgeti(L, 2, i) != LUA_TSTRING)
                return luaL_error(L, "sim.set_mandate: element %d: expected the name of a mandated task, got %s", (int)i,
                                  luaL_typename(L, -1));
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            mandate_put(L, s, len, prio, &next);
            lua_pop(L, 1);
        }
    } else {
        return luaL_error(L, "sim.set_mandate: expected a list of mandated tasks ({ \"poc\", \"ddr\" } or \"poc,ddr\"), got %s",
                          luaL_typename(L, 2));
    }
    for (int m = 0; m < PK_MANDATE_COUNT; m++) {
        cmd.task = m;
        cmd.value = prio[m];
        queue(L, w, &cmd, NULL);
    }
    return 0;
}

/* sim.set_exit_day(faction, day): its units leave after that day (0: they stay). */
static int sim_set_exit_day(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_command cmd = faction_command(L, w, PK_FACTION_EXIT_DAY);
    int whole;
    lua_Integer day = lua_tointegerx(L, 2, &whole); /* 40 and 40.0 alike */
    if (!whole) return luaL_error(L, "sim.set_exit_day: expected a whole day number, got %f", luaL_checknumber(L, 2));
    const pk_faction_def *fd = pk_world_faction(w, cmd.faction);
    if (day < 0 || day > 1000000)
        return luaL_error(L, "sim.set_exit_day: expected 0 (the force stays) or a day number, got %I", day);
    if (day > 0 && day < fd->deploy_day)
        return luaL_error(L, "sim.set_exit_day: day %d is before '%s' deploys (day %d); 0 = the force stays", (int)day,
                          fd->id, (int)fd->deploy_day);
    cmd.value = (double)day;
    queue(L, w, &cmd, NULL);
    return 0;
}

/* sim.set_gap_covered(faction, share): the share of its unfunded cost donors cover, [0,1]. */
static int sim_set_gap_covered(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_command cmd = faction_command(L, w, PK_FACTION_GAP_COVERED);
    cmd.value = luaL_checknumber(L, 2);
    if (!(cmd.value >= 0 && cmd.value <= 1))
        return luaL_error(L, "sim.set_gap_covered: expected a share in [0, 1], got %f", cmd.value);
    queue(L, w, &cmd, NULL);
    return 0;
}

/* sim.faction(id): a new table with the faction's definition as it is now (after the
 * commands applied so far) and whether it operates today. Changing it changes nothing. */
static int sim_faction(lua_State *L) {
    pk_world *w = ctx_world(L);
    int32_t f = check_faction(L, w, 1);
    const pk_faction_def *fd = pk_world_faction(w, f);
    lua_createtable(L, 0, 24);
    lua_pushstring(L, fd->id);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, fd->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, pk_faction_kind_name(fd->kind));
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, pk_roe_name(fd->roe));
    lua_setfield(L, -2, "roe");
    /* the mandate as a list in priority order */
    lua_createtable(L, PK_MANDATE_COUNT, 0);
    lua_Integer k = 0;
    for (int p = 1; p <= PK_MANDATE_COUNT; p++)
        for (int m = 0; m < PK_MANDATE_COUNT; m++)
            if (fd->mandate[m] == p) {
                lua_pushstring(L, pk_mandate_task_name((pk_mandate_task)m));
                lua_rawseti(L, -2, ++k);
            }
    lua_setfield(L, -2, "mandate");
    const struct { const char *key; double v; } nums[] = {
        {"funding_share", fd->funding_share}, {"trust", fd->initial_trust}, {"deploy_day", fd->deploy_day},
        {"exit_day", fd->exit_day}, {"command_latency", fd->command_latency}, {"context", fd->context},
        {"influence", fd->influence}, {"standardisation", fd->standardisation}, {"heaviness", fd->heaviness},
        {"high_handedness", fd->high_handedness}, {"gap_covered", fd->gap_covered}, {"support", fd->support},
        {"hq_cost", fd->hq_cost}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        if (i >= 2 && i <= 4) lua_pushinteger(L, (lua_Integer)nums[i].v);
        else lua_pushnumber(L, nums[i].v);
        lua_setfield(L, -2, nums[i].key);
    }
    lua_pushboolean(L, pk_world_faction_operating(w, f));
    lua_setfield(L, -2, "operating");
    return 1;
}

static int sim_consent(lua_State *L) {
    pk_world *w = ctx_world(L);
    int32_t f = check_faction(L, w, 1);
    lua_pushnumber(L, pk_world_consent(w, f));
    lua_pushboolean(L, pk_world_consent_withdrawn(w, f));
    return 2;
}

/* sim.misinformation{by = armed group, target = faction, region = id (optional: wherever
 * the group has bands), strength = [0,1] (default 0.5; 0 stops the campaign), text = ...} */
static int sim_misinformation(lua_State *L) {
    pk_world *w = ctx_world(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_MISINFORMATION;
    cmd.region = -1;
    cmd.value = 0.5;
    lua_getfield(L, 1, "by");
    cmd.faction = check_faction(L, w, lua_gettop(L));
    lua_getfield(L, 1, "target");
    cmd.key = check_faction(L, w, lua_gettop(L));
    if (lua_getfield(L, 1, "region") != LUA_TNIL) cmd.region = check_region(L, w, lua_gettop(L));
    if (lua_getfield(L, 1, "strength") != LUA_TNIL) cmd.value = luaL_checknumber(L, lua_gettop(L));
    if (lua_getfield(L, 1, "text") != LUA_TNIL) snprintf(cmd.text, sizeof cmd.text, "%s", luaL_checkstring(L, lua_gettop(L)));
    queue(L, w, &cmd, NULL);
    return 0;
}

static int sim_inject(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_INJECT;
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    if (len >= sizeof cmd.text) return luaL_error(L, "inject text longer than %d characters", (int)sizeof cmd.text - 1);
    memcpy(cmd.text, text, len + 1);
    cmd.region = cmd.faction = -1;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_pushstring(L, "region");
        if (lua_rawget(L, 2) != LUA_TNIL) cmd.region = check_region(L, w, lua_gettop(L));
        lua_pop(L, 1);
        lua_pushstring(L, "faction");
        if (lua_rawget(L, 2) != LUA_TNIL) cmd.faction = check_faction(L, w, lua_gettop(L));
        lua_pop(L, 1);
    }
    queue(L, w, &cmd, NULL);
    return 0;
}

static int sim_indicator(lua_State *L) {
    pk_world *w = ctx_world(L);
    const char *name = luaL_checkstring(L, 1);
    int32_t i = pk_world_indicator_find(w, name);
    if (i < 0) return luaL_error(L, "unknown indicator '%s'", name);
    lua_pushnumber(L, pk_world_indicator(w, i));
    return 1;
}

static int sim_regions(lua_State *L) {
    const pk_map *m = pk_world_map(ctx_world(L));
    lua_createtable(L, m->n_regions, 0);
    for (int32_t r = 0; r < m->n_regions; r++) {
        lua_pushstring(L, m->regions[r].id);
        lua_rawseti(L, -2, r + 1);
    }
    return 1;
}

static int sim_region_name(lua_State *L) {
    pk_world *w = ctx_world(L);
    lua_pushstring(L, pk_world_map(w)->regions[check_region(L, w, 1)].name);
    return 1;
}

static int sim_factions(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_world_info info = pk_world_get_info(w);
    lua_createtable(L, info.n_factions, 0);
    for (int32_t f = 0; f < info.n_factions; f++) {
        lua_pushstring(L, pk_world_faction(w, f)->id);
        lua_rawseti(L, -2, f + 1);
    }
    return 1;
}

static int sim_groups(lua_State *L) {
    pk_world *w = ctx_world(L);
    pk_world_info info = pk_world_get_info(w);
    lua_createtable(L, info.n_groups, 0);
    for (int32_t g = 0; g < info.n_groups; g++) {
        lua_pushstring(L, pk_world_group(w, g)->id);
        lua_rawseti(L, -2, g + 1);
    }
    return 1;
}

static int sim_trust(lua_State *L) {
    pk_world *w = ctx_world(L);
    int32_t g = check_group(L, w, 1), r = check_region(L, w, 2), f = check_faction(L, w, 3);
    lua_pushnumber(L, pk_world_trust(w, g, r, f));
    return 1;
}

static int sim_region_value(lua_State *L) {
    pk_world *w = ctx_world(L);
    int32_t r = check_region(L, w, 1);
    const char *field = luaL_checkstring(L, 2);
    if (strcmp(field, "needs_met") == 0) lua_pushnumber(L, pk_world_region_needs_met(w, r));
    else if (strcmp(field, "violence") == 0) lua_pushnumber(L, pk_world_region_violence(w, r));
    else if (strcmp(field, "services") == 0) lua_pushnumber(L, pk_world_region_services(w, r));
    else if (strcmp(field, "control") == 0) lua_pushnumber(L, pk_world_region_control(w, r));
    else {
        int k = -1;
        for (int i = 0; i < PK_NEED_COUNT; i++)
            if (strcmp(field, pk_need_name(i)) == 0) k = i;
        if (k < 0)
            return luaL_error(L, "unknown region field '%s' (expected needs_met, food, water, health, shelter, education, "
                                 "safety, violence, services or control)", field);
        lua_pushnumber(L, pk_world_region_need(w, r, k));
    }
    return 1;
}

static const luaL_Reg sim_funcs[] = {
    {"day", sim_day},
    {"add_unit", sim_add_unit},
    {"remove_unit", sim_remove_unit},
    {"set_task", sim_set_task},
    {"units", sim_units},
    {"set_model", sim_set_model},
    {"model", sim_model},
    {"set_region", sim_set_region},
    {"region", sim_region_value},
    {"set_funding", sim_set_funding},
    {"set_consent", sim_set_consent},
    {"consent", sim_consent},
    {"set_roe", sim_set_roe},
    {"set_mandate", sim_set_mandate},
    {"set_exit_day", sim_set_exit_day},
    {"set_gap_covered", sim_set_gap_covered},
    {"faction", sim_faction},
    {"misinformation", sim_misinformation},
    {"inject", sim_inject},
    {"indicator", sim_indicator},
    {"regions", sim_regions},
    {"region_name", sim_region_name},
    {"factions", sim_factions},
    {"groups", sim_groups},
    {"trust", sim_trust},
    {NULL, NULL},
};

/* ------------------------------------------------------------------ install, hooks */

static int install(lua_State *L) {
    pk_scenario *sc = lua_touserdata(L, 1);
    /* unit metatable; __metatable hides it from getmetatable */
    luaL_newmetatable(L, UNIT_MT);
    lua_pushlightuserdata(L, sc);
    lua_pushcclosure(L, unit_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, unit_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, unit_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, unit_eq);
    lua_setfield(L, -2, "__eq");
    lua_pushstring(L, UNIT_MT);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
    /* the sim table: functions with the scenario as upvalue; read-only to scripts */
    lua_newtable(L);
    for (const luaL_Reg *r = sim_funcs; r->name; r++) {
        lua_pushlightuserdata(L, sc);
        lua_pushcclosure(L, r->func, 1);
        lua_setfield(L, -2, r->name);
    }
    lua_newtable(L); /* proxy with __index = functions, so scripts cannot replace them */
    lua_newtable(L);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, sim_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushstring(L, "pkosim.sim");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, SIM_KEY);
    lua_pop(L, 1);
    return 0;
}

pk_status pk_api_install(pk_sandbox *sb, pk_scenario *sc, pk_error *err) {
    lua_State *L = pk_sandbox_state(sb);
    lua_pushcfunction(L, install);
    lua_pushlightuserdata(L, sc);
    return pk_sandbox_call(sb, 1, 0, err);
}

void pk_api_push_sim(pk_sandbox *sb) { lua_getfield(pk_sandbox_state(sb), LUA_REGISTRYINDEX, SIM_KEY); }

static void push_event_table(lua_State *L, const pk_world *w, const pk_event *e) {
    const pk_map *m = pk_world_map(w);
    lua_createtable(L, 0, 10);
    lua_pushinteger(L, e->day);
    lua_setfield(L, -2, "day");
    lua_pushstring(L, pk_event_type_name(e->type));
    lua_setfield(L, -2, "type");
    if (e->region >= 0) {
        lua_pushstring(L, m->regions[e->region].id);
        lua_setfield(L, -2, "region");
    }
    if (e->faction >= 0) {
        lua_pushstring(L, pk_world_faction(w, e->faction)->id);
        lua_setfield(L, -2, "faction");
    }
    if (e->target_faction >= 0) {
        lua_pushstring(L, pk_world_faction(w, e->target_faction)->id);
        lua_setfield(L, -2, "target_faction");
    }
    if (e->group >= 0) {
        lua_pushstring(L, pk_world_group(w, e->group)->id);
        lua_setfield(L, -2, "group");
    }
    if (e->by_group >= 0) {
        lua_pushstring(L, pk_world_group(w, e->by_group)->id);
        lua_setfield(L, -2, "by_group");
    }
    lua_pushinteger(L, e->count);
    lua_setfield(L, -2, "count");
    if (e->unit.index1) {
        push_unit(L, e->unit); /* may be stale already (a destroyed unit): its fields then raise */
        lua_setfield(L, -2, "unit");
    }
    if (e->cell >= 0) {
        lua_pushinteger(L, e->cell % m->width);
        lua_setfield(L, -2, "x");
        lua_pushinteger(L, e->cell / m->width);
        lua_setfield(L, -2, "y");
    }
    if (e->text[0]) {
        lua_pushstring(L, e->text);
        lua_setfield(L, -2, "text");
    }
}

int pk_api_trampoline(lua_State *L) {
    /* 1 hook, 2 sim, 3 world lightuserdata or nil, 4 event lightuserdata or nil, 5 day or -1 */
    const pk_world *w = lua_touserdata(L, 3);
    const pk_event *e = lua_touserdata(L, 4);
    lua_Integer day = lua_tointeger(L, 5);
    lua_settop(L, 2);
    if (w && e) {
        push_event_table(L, w, e);
        lua_call(L, 2, 0);
    } else if (day >= 0) {
        lua_pushinteger(L, day);
        lua_call(L, 2, 0);
    } else {
        lua_call(L, 1, 0);
    }
    return 0;
}
