/* scenario.c — turns a scenario file (a Lua table, see docs/SCRIPTING.md) into a world.
 * The whole reading of the returned table happens inside one protected call, with raw
 * table access only (no metamethod of the script's runs while we read its tables), so
 * neither a script error nor running out of memory can longjmp out of here. Problems are
 * collected (not just the first) with the file, the line where the key is written, the
 * table path, and what was expected. Iteration over string-keyed tables is sorted, so
 * nothing depends on Lua's salted hash order. */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "geojson.h"
#include "sandbox.h"

#ifndef PKOSIM_DEFAULT_SCRIPTS_DIR
#define PKOSIM_DEFAULT_SCRIPTS_DIR "scripts"
#endif
#ifndef PKOSIM_DEFAULT_ASSETS_DIR
#define PKOSIM_DEFAULT_ASSETS_DIR "assets"
#endif

enum { MAX_UNITS = 4096, MAX_INJECTS = 256 };

typedef struct inject_rec {
    pk_scenario_inject pub;
    int action_ref; /* LUA_NOREF if none */
} inject_rec;

struct pk_scenario {
    char path[512];
    char dir[512];
    char name[PK_NAME_MAX * 2];
    int32_t days;
    uint64_t seed;
    int n_params;
    pk_scenario_param params[64];
    pk_sandbox *sb;
    pk_world *world;
    pk_map *map;
    int hook_ref[4]; /* on_start, on_day, on_event, on_end; LUA_NOREF if absent */
    size_t events_seen;
    char scripts_dir[512], assets_dir[512];
    int n_injects;
    inject_rec *injects; /* [MAX_INJECTS] once parsed */
};

enum { HOOK_START, HOOK_DAY, HOOK_EVENT, HOOK_END };
static const char *const hook_names[4] = {"on_start", "on_day", "on_event", "on_end"};

pk_error *pk_errors_add(pk_errors *errs) {
    static pk_error sink;
    if (!errs || errs->count >= PK_ERRORS_MAX) return &sink;
    pk_error *e = &errs->items[errs->count++];
    pk_error_clear(e);
    return e;
}

pk_scenario_options pk_scenario_options_default(void) {
    pk_scenario_options o;
    memset(&o, 0, sizeof o);
    o.seed = 1;
    return o;
}

/* ------------------------------------------------------------------ parse context */

typedef struct parse_ctx {
    pk_scenario *sc;
    const pk_scenario_options *opt;
    pk_errors *errs;
    char *source;             /* the scenario's text, to find the line of a key */
    int params_only;
    pk_world_def def;
    int n_units;
    pk_unit_def *units;       /* [MAX_UNITS] */
    int faction_ok;           /* factions parsed, so units can name them */
    pk_epstein_def ep;        /* the `epstein` table, when given */
} parse_ctx;

static void problem(parse_ctx *c, const char *key, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void problem(parse_ctx *c, const char *key, const char *path, const char *fmt, ...) {
    pk_error *e = pk_errors_add(c->errs);
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = pk_api_locate(c->source, path, key);
    if (!line && path && *path) { /* not found (a table built by code): the line of its top-level key */
        char top[128];
        size_t n = strcspn(path, ".[");
        snprintf(top, sizeof top, "%.*s", (int)(n < sizeof top ? n : sizeof top - 1), path);
        line = pk_api_key_line(c->source, top);
    }
    pk_error_set(e, c->sc->path, line, path, "%s", msg);
}

/* Levenshtein distance, small strings only, to suggest a misspelt key. */
static int edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40) return 99;
    int d[41][41];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int m = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < m) m = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < m) m = d[i - 1][j - 1] + cost;
            d[i][j] = m;
        }
    return d[la][lb];
}

static const char *suggest(const char *key, const char *const *allowed) {
    const char *best = NULL;
    int best_d = 3;
    for (int i = 0; allowed[i]; i++) {
        int d = edit_distance(key, allowed[i]);
        if (d < best_d) {
            best_d = d;
            best = allowed[i];
        }
    }
    return best;
}

static void join_names(char *buf, size_t n, const char *const *names) {
    buf[0] = '\0';
    size_t len = 0;
    for (int i = 0; names[i] && len + 4 < n; i++) {
        int k = snprintf(buf + len, n - len, "%s%s", i ? ", " : "", names[i]);
        if (k < 0) break;
        len += (size_t)k;
    }
}

/* Sorted string keys of the table at idx (non-string keys reported as problems).
 * Pushes nothing; returns a malloc'd array of pointers to Lua-owned strings, which stay
 * valid while the table is on the stack and unchanged. */
static const char **sorted_keys(lua_State *L, parse_ctx *c, int idx, const char *path, int *count) {
    idx = lua_absindex(L, idx);
    int n = 0, cap = 16;
    const char **keys = malloc((size_t)cap * sizeof *keys);
    if (!keys) luaL_error(L, "not enough memory");
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            if (lua_isinteger(L, -1)) { /* a value without a name: an element of a list, where fields were expected */
                char sub[256];
                snprintf(sub, sizeof sub, "%s[%lld]", path ? path : "", (long long)lua_tointeger(L, -1));
                problem(c, "", sub, "expected only named fields (name = value) here, found a value without a name "
                        "(a list element: a misplaced line or a missing '}'?)");
            } else
                problem(c, "", path, "expected only named fields here, found a key of type %s", luaL_typename(L, -1));
            continue;
        }
        if (n == cap) {
            const char **nk = realloc(keys, (size_t)(cap *= 2) * sizeof *keys);
            if (!nk) {
                free(keys);
                luaL_error(L, "not enough memory");
            }
            keys = nk;
        }
        keys[n++] = lua_tostring(L, -1);
    }
    for (int i = 1; i < n; i++) /* insertion sort: tables here are small */
        for (int j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    *count = n;
    return keys;
}

/* Report every key of the table at idx that is not in `allowed`. */
static void check_keys(lua_State *L, parse_ctx *c, int idx, const char *path, const char *const *allowed) {
    int n;
    const char **keys = sorted_keys(L, c, idx, path, &n);
    for (int i = 0; i < n; i++) {
        int ok = 0;
        for (int j = 0; allowed[j] && !ok; j++) ok = strcmp(keys[i], allowed[j]) == 0;
        if (ok) continue;
        const char *s = suggest(keys[i], allowed);
        char list[512];
        join_names(list, sizeof list, allowed);
        char p[300];
        snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", keys[i]);
        if (s) problem(c, keys[i], p, "unknown key '%s' (did you mean '%s'?)", keys[i], s);
        else problem(c, keys[i], p, "unknown key '%s'; expected one of: %s", keys[i], list);
    }
    free(keys);
}

/* Push t[key] (raw) and return its type. */
static int rawfield(lua_State *L, int idx, const char *key) {
    idx = lua_absindex(L, idx);
    lua_pushstring(L, key);
    return lua_rawget(L, idx);
}

static void subpath(char *out, size_t n, const char *path, const char *key) {
    snprintf(out, n, "%s%s%s", path, *path ? "." : "", key);
}

/* Optional string field; returns 1 if present and valid. */
static int opt_string(lua_State *L, parse_ctx *c, int idx, const char *path, const char *key, char *out, size_t n,
                      int required) {
    char p[300];
    subpath(p, sizeof p, path, key);
    int t = rawfield(L, idx, key);
    int ok = 0;
    if (t == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (len >= n) problem(c, key, p, "expected a string of at most %zu characters, got %zu", n - 1, len);
        else {
            memcpy(out, s, len + 1);
            ok = 1;
        }
    } else if (t == LUA_TNIL) {
        if (required) problem(c, key, p, "missing: expected a string");
    } else {
        problem(c, key, p, "expected a string, got %s", lua_typename(L, t));
    }
    lua_pop(L, 1);
    return ok;
}

static int opt_number(lua_State *L, parse_ctx *c, int idx, const char *path, const char *key, double *out, double lo,
                      double hi, int integer, int required) {
    char p[300];
    subpath(p, sizeof p, path, key);
    int t = rawfield(L, idx, key);
    int ok = 0;
    if (t == LUA_TNUMBER) {
        double v = lua_tonumber(L, -1);
        if (integer && (v != floor(v) || !isfinite(v)))
            problem(c, key, p, "expected a whole number, got %g", v);
        else if (!(v >= lo && v <= hi))
            problem(c, key, p, "expected a value in [%g, %g], got %g", lo, hi, v);
        else {
            *out = v;
            ok = 1;
        }
    } else if (t == LUA_TNIL) {
        if (required) problem(c, key, p, "missing: expected a number");
    } else {
        problem(c, key, p, "expected a number, got %s", lua_typename(L, t));
    }
    lua_pop(L, 1);
    return ok;
}

/* If the field is a function, call it with the parameter table and leave the result;
 * else leave the field itself. Returns the type left on the stack. */
static int field_or_call(lua_State *L, int idx, const char *key, int params_idx) {
    int t = rawfield(L, idx, key);
    if (t == LUA_TFUNCTION) {
        lua_pushvalue(L, params_idx);
        lua_call(L, 1, 1); /* errors propagate to the protected parse */
        t = lua_type(L, -1);
    }
    return t;
}

/* The list a scenario gives under `key` (at idx): reports it if it is not a table and
 * returns -1; else returns its length, cut to max (0: no limit) with a problem if longer.
 * `what` names the elements ("factions"); `shape` hints at one ("" or " { id = ... }"). */
static lua_Integer list_length(lua_State *L, parse_ctx *c, int idx, const char *key, const char *what,
                               const char *shape, lua_Integer max) {
    if (lua_type(L, idx) != LUA_TTABLE) {
        problem(c, key, key, "expected a list of %s%s, got %s", what, shape, luaL_typename(L, idx));
        return -1;
    }
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    if (max > 0 && n > max) {
        problem(c, key, key, "at most %lld %s, got %lld", (long long)max, what, (long long)n);
        n = max;
    }
    return n;
}

/* Element i of that list: writes its path ("factions[2]") and, when it is a table, pushes
 * it and returns its absolute index; otherwise reports it, pushes nothing, returns 0. */
static int list_element(lua_State *L, parse_ctx *c, int idx, const char *key, lua_Integer i, const char *shape,
                        char *path, size_t n) {
    snprintf(path, n, "%s[%lld]", key, (long long)i);
    lua_rawgeti(L, idx, i);
    if (lua_type(L, -1) != LUA_TTABLE) {
        problem(c, "", path, "expected a table%s, got %s", shape, luaL_typename(L, -1));
        lua_pop(L, 1);
        return 0;
    }
    return lua_absindex(L, -1);
}

/* ------------------------------------------------------------------ parameters */

static const char *const param_keys[] = {"type", "default", "min", "max", "choices", "description", NULL};
static const char *const param_type_names[] = {"number", "int", "bool", "choice", "list", "string", NULL};

static int choice_index(const pk_scenario_param *sp, const char *s, size_t len) {
    for (int i = 0; i < sp->n_choices; i++)
        if (strlen(sp->choices[i]) == len && strncmp(sp->choices[i], s, len) == 0) return i;
    return -1;
}

/* Check a value given as text against the declaration; msg gets what was expected. */
static int param_value_ok(const pk_scenario_param *sp, const char *text, char *msg, size_t n) {
    char list[PK_SP_CHOICES_MAX * (PK_ID_MAX + 2)];
    list[0] = '\0';
    for (int i = 0; i < sp->n_choices; i++) {
        strcat(list, i ? ", " : "");
        strcat(list, sp->choices[i]);
    }
    switch (sp->type) {
    case PK_SP_NUMBER:
    case PK_SP_INT: {
        char *end;
        errno = 0;
        double v = strtod(text, &end);
        /* decimal only: strtod would also take "0x10", "inf" and leading spaces */
        if (end == text || *end || errno || !isfinite(v) || strspn(text, "+-0123456789.eE") != strlen(text)) {
            snprintf(msg, n, "expected a %s, got '%s'", sp->type == PK_SP_INT ? "whole number" : "number", text);
            return 0;
        }
        if (sp->type == PK_SP_INT && v != floor(v)) {
            snprintf(msg, n, "expected a whole number, got '%s'", text);
            return 0;
        }
        if ((sp->has_min && v < sp->min) || (sp->has_max && v > sp->max)) {
            snprintf(msg, n, "expected a value in [%g, %g], got %s", sp->has_min ? sp->min : -HUGE_VAL,
                     sp->has_max ? sp->max : HUGE_VAL, text);
            return 0;
        }
        return 1;
    }
    case PK_SP_BOOL:
        if (strcmp(text, "true") && strcmp(text, "false")) {
            snprintf(msg, n, "expected true or false, got '%s'", text);
            return 0;
        }
        return 1;
    case PK_SP_CHOICE:
        if (choice_index(sp, text, strlen(text)) < 0) {
            snprintf(msg, n, "expected one of: %s; got '%s'", list, text);
            return 0;
        }
        return 1;
    case PK_SP_LIST: {
        const char *p = text;
        if (!*p) return 1; /* the empty list */
        for (;;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            if (choice_index(sp, p, len) < 0) {
                snprintf(msg, n, "expected a comma-separated list of: %s; '%.*s' is not one of them", list, (int)len, p);
                return 0;
            }
            if (!comma) break;
            p = comma + 1;
        }
        return 1;
    }
    case PK_SP_STRING:
        return 1;
    }
    return 0;
}

/* A Lua value (default) as parameter text. */
static int value_text(lua_State *L, int idx, pk_sparam_type type, char *out, size_t n) {
    int t = lua_type(L, idx);
    if (type == PK_SP_BOOL) {
        if (t != LUA_TBOOLEAN) return 0;
        snprintf(out, n, "%s", lua_toboolean(L, idx) ? "true" : "false");
        return 1;
    }
    if (type == PK_SP_NUMBER || type == PK_SP_INT) {
        if (t != LUA_TNUMBER) return 0;
        double v = lua_tonumber(L, idx);
        if (v == floor(v) && fabs(v) < 1e15) {
            snprintf(out, n, "%lld", (long long)v);
            return 1;
        }
        snprintf(out, n, "%.17g", v);
        /* shortest text that reads back exactly */
        for (int prec = 1; prec <= 17; prec++) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.*g", prec, v);
            if (strtod(buf, NULL) == v) {
                snprintf(out, n, "%s", buf);
                break;
            }
        }
        return 1;
    }
    if (type == PK_SP_LIST && t == LUA_TTABLE) { /* {"poc", "ddr"} -> "poc,ddr" */
        out[0] = '\0';
        size_t len = 0;
        lua_Integer k = (lua_Integer)lua_rawlen(L, idx);
        for (lua_Integer i = 1; i <= k; i++) {
            lua_rawgeti(L, idx, i);
            if (lua_type(L, -1) != LUA_TSTRING) {
                lua_pop(L, 1);
                return 0;
            }
            int w = snprintf(out + len, n - len, "%s%s", i > 1 ? "," : "", lua_tostring(L, -1));
            lua_pop(L, 1);
            if (w < 0 || (size_t)w >= n - len) return 0;
            len += (size_t)w;
        }
        return 1;
    }
    if (t != LUA_TSTRING) return 0;
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (len >= n) return 0;
    memcpy(out, s, len + 1);
    return 1;
}

static void parse_param(lua_State *L, parse_ctx *c, int idx, const char *name) {
    pk_scenario *sc = c->sc;
    char path[300];
    snprintf(path, sizeof path, "params.%s", name);
    if (lua_type(L, idx) != LUA_TTABLE) {
        problem(c, name, path, "expected a table { type = ..., default = ..., description = ... }, got %s",
                luaL_typename(L, idx));
        return;
    }
    if (sc->n_params >= (int)(sizeof sc->params / sizeof sc->params[0])) {
        problem(c, name, path, "too many parameters (at most %d)", (int)(sizeof sc->params / sizeof sc->params[0]));
        return;
    }
    if (strlen(name) >= PK_NAME_MAX) {
        problem(c, name, path, "parameter names are at most %d characters", PK_NAME_MAX - 1);
        return;
    }
    check_keys(L, c, idx, path, param_keys);
    pk_scenario_param sp;
    memset(&sp, 0, sizeof sp);
    snprintf(sp.name, sizeof sp.name, "%s", name);
    char type[32] = "";
    if (!opt_string(L, c, idx, path, "type", type, sizeof type, 1)) return;
    int ti = -1;
    for (int i = 0; param_type_names[i]; i++)
        if (strcmp(type, param_type_names[i]) == 0) ti = i;
    if (ti < 0) {
        char p[320];
        snprintf(p, sizeof p, "%s.type", path);
        problem(c, "type", p, "expected one of number, int, bool, choice, list, string; got '%s'", type);
        return;
    }
    sp.type = (pk_sparam_type)ti;
    opt_string(L, c, idx, path, "description", sp.description, sizeof sp.description, 1);
    sp.has_min = opt_number(L, c, idx, path, "min", &sp.min, -HUGE_VAL, HUGE_VAL, 0, 0);
    sp.has_max = opt_number(L, c, idx, path, "max", &sp.max, -HUGE_VAL, HUGE_VAL, 0, 0);
    if (sp.has_min && sp.has_max && sp.min > sp.max) problem(c, name, path, "min is larger than max");
    int t = rawfield(L, idx, "choices");
    if (t == LUA_TTABLE) {
        lua_Integer k = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= k && sp.n_choices < PK_SP_CHOICES_MAX; i++) {
            lua_rawgeti(L, -1, i);
            size_t len;
            const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
            if (!s || len == 0 || len >= PK_ID_MAX || strchr(s, ','))
                problem(c, "choices", path, "choices[%lld]: expected a short name without commas", (long long)i);
            else
                memcpy(sp.choices[sp.n_choices++], s, len + 1);
            lua_pop(L, 1);
        }
    } else if (t != LUA_TNIL) {
        problem(c, "choices", path, "choices: expected a list of names, got %s", lua_typename(L, t));
    }
    lua_pop(L, 1);
    if ((sp.type == PK_SP_CHOICE || sp.type == PK_SP_LIST) && sp.n_choices == 0) {
        problem(c, name, path, "a %s parameter needs a list of choices", type);
        return;
    }
    rawfield(L, idx, "default");
    if (!value_text(L, -1, sp.type, sp.default_text, sizeof sp.default_text)) {
        problem(c, "default", path, "default: expected a %s value, got %s", type, luaL_typename(L, -1));
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 1);
    char msg[512];
    if (!param_value_ok(&sp, sp.default_text, msg, sizeof msg)) {
        problem(c, "default", path, "default: %s", msg);
        return;
    }
    memcpy(sp.value_text, sp.default_text, sizeof sp.value_text);
    sc->params[sc->n_params++] = sp;
}

/* Apply --set NAME=VALUE overrides. */
static void apply_sets(parse_ctx *c) {
    pk_scenario *sc = c->sc;
    for (int i = 0; i < c->opt->n_sets; i++) {
        const char *s = c->opt->sets[i];
        const char *eq = strchr(s, '=');
        pk_error *e;
        if (!eq || eq == s) {
            e = pk_errors_add(c->errs);
            pk_error_set(e, "--set", 0, NULL, "expected NAME=VALUE, got '%s'", s);
            continue;
        }
        size_t len = (size_t)(eq - s);
        pk_scenario_param *sp = NULL;
        for (int k = 0; k < sc->n_params; k++)
            if (strlen(sc->params[k].name) == len && strncmp(sc->params[k].name, s, len) == 0) sp = &sc->params[k];
        if (!sp) {
            char name[PK_NAME_MAX];
            snprintf(name, sizeof name, "%.*s", (int)(len < PK_NAME_MAX - 1 ? len : PK_NAME_MAX - 1), s);
            const char *best = NULL;
            int best_d = 3;
            for (int k = 0; k < sc->n_params; k++) {
                int d = edit_distance(name, sc->params[k].name);
                if (d < best_d) {
                    best_d = d;
                    best = sc->params[k].name;
                }
            }
            e = pk_errors_add(c->errs);
            if (best)
                pk_error_set(e, "--set", 0, name, "unknown parameter '%s' of %s (did you mean '%s'?)", name, sc->path, best);
            else
                pk_error_set(e, "--set", 0, name, "unknown parameter '%s' of %s; `pkosim params %s` lists them", name,
                             sc->path, sc->path);
            continue;
        }
        char msg[512];
        if (strlen(eq + 1) >= sizeof sp->value_text || !param_value_ok(sp, eq + 1, msg, sizeof msg)) {
            e = pk_errors_add(c->errs);
            pk_error_set(e, "--set", 0, sp->name, "%s", strlen(eq + 1) >= sizeof sp->value_text ? "value too long" : msg);
            continue;
        }
        snprintf(sp->value_text, sizeof sp->value_text, "%s", eq + 1);
        sp->overridden = 1;
    }
}

/* Push the parameter table { name = value } that scenario functions receive. */
static void push_param_table(lua_State *L, const pk_scenario *sc) {
    lua_createtable(L, 0, sc->n_params);
    for (int i = 0; i < sc->n_params; i++) {
        const pk_scenario_param *sp = &sc->params[i];
        switch (sp->type) {
        case PK_SP_NUMBER:
            lua_pushnumber(L, strtod(sp->value_text, NULL));
            break;
        case PK_SP_INT:
            lua_pushinteger(L, (lua_Integer)strtod(sp->value_text, NULL));
            break;
        case PK_SP_BOOL:
            lua_pushboolean(L, strcmp(sp->value_text, "true") == 0);
            break;
        case PK_SP_LIST: {
            lua_newtable(L);
            const char *p = sp->value_text;
            lua_Integer k = 0;
            while (*p) {
                const char *comma = strchr(p, ',');
                size_t len = comma ? (size_t)(comma - p) : strlen(p);
                lua_pushlstring(L, p, len);
                lua_rawseti(L, -2, ++k);
                if (!comma) break;
                p = comma + 1;
            }
            break;
        }
        default:
            lua_pushstring(L, sp->value_text);
        }
        lua_setfield(L, -2, sp->name);
    }
}

/* ------------------------------------------------------------------ factions, groups, units */

static const char *const faction_keys[] = {"id", "name", "kind", "color", "funding_share", "trust", "roe", "mandate",
                                           "deploy_day", "exit_day", "command_latency", "context", "influence",
                                           "standardisation", "heaviness", "high_handedness", "gap_covered", "support",
                                           "hq_cost", NULL};
static const char *const link_keys[] = {"a", "b", "relation", "coordination", "role_clarity", "association", NULL};
static const char *const group_keys[] = {"id", "name", "population", "risk_aversion", "sympathises_with", "inclusion", NULL};

static uint32_t default_color(pk_faction_kind k) {
    /* Okabe-Ito palette: distinguishable for the common colour-vision deficiencies */
    static const uint32_t c[PK_FACTION_KIND_COUNT] = {0x0072B2, 0x009E73, 0xE69F00, 0x56B4E9, 0xD55E00, 0xCC79A7};
    return c[k];
}

static int valid_id(const char *s) {
    if (!*s) return 0;
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-')) return 0;
    return 1;
}

/* The names of an enumeration, from its name function, as a NULL-terminated list. */
static void enum_names(const char *(*name_of)(int), int count, const char **out) {
    for (int i = 0; i < count; i++) out[i] = name_of(i);
    out[count] = NULL;
}
static const char *roe_name(int i) { return pk_roe_name((pk_roe)i); }
static const char *mandate_name(int i) { return pk_mandate_task_name((pk_mandate_task)i); }
static const char *relation_name(int i) { return pk_relation_name((pk_relation)i); }

/* Index of `s` in names, or -1 after reporting "unknown <what> 's' (did you mean ..?);
 * expected one of: ..." at key of path. `prefix` goes before the message ("mandate[2]: "). */
static int enum_index(parse_ctx *c, const char *key, const char *path, const char *prefix, const char *what,
                      const char *s, const char *const *names) {
    for (int i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0) return i;
    char list[512];
    join_names(list, sizeof list, names);
    const char *guess = suggest(s, names);
    if (guess) problem(c, key, path, "%sunknown %s '%s' (did you mean '%s'?); expected one of: %s", prefix, what, s, guess, list);
    else problem(c, key, path, "%sunknown %s '%s'; expected one of: %s", prefix, what, s, list);
    return -1;
}

/* Optional string field naming a member of an enumeration; returns 1 and sets *out if valid. */
static int opt_enum(lua_State *L, parse_ctx *c, int idx, const char *path, const char *key, const char *what,
                    const char *const *names, int required, int *out) {
    char s[64] = "", p[300];
    if (!opt_string(L, c, idx, path, key, s, sizeof s, required)) return 0;
    subpath(p, sizeof p, path, key);
    int v = enum_index(c, key, p, "", what, s, names);
    if (v < 0) return 0;
    *out = v;
    return 1;
}

/* Add one mandated task named s[0..len) at priority *next; reports unknown and repeated
 * names (`where` is "" for a string, "mandate[2]: " for a list element). */
static void mandate_add(parse_ctx *c, const char *path, const char *where, const char *s, size_t len,
                        int8_t mandate[PK_MANDATE_COUNT], int *next) {
    const char *names[PK_MANDATE_COUNT + 1];
    enum_names(mandate_name, PK_MANDATE_COUNT, names);
    char name[64];
    while (len > 0 && (*s == ' ' || *s == '\t')) s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), s);
    int m = enum_index(c, "mandate", path, where, "mandate task", name, names);
    if (m < 0) return;
    if (mandate[m]) {
        problem(c, "mandate", path, "%s'%s' is listed twice (the position in the list is its priority)", where, name);
        return;
    }
    mandate[m] = (int8_t)++*next;
}

/* mandate = { "poc", "political" } or "poc,political": priorities by position, 1 = first.
 * Given, it replaces the whole mandate (tasks not listed are not mandated). */
static void parse_mandate(lua_State *L, parse_ctx *c, int idx, const char *path, int8_t mandate[PK_MANDATE_COUNT]) {
    char p[300];
    subpath(p, sizeof p, path, "mandate");
    int t = rawfield(L, idx, "mandate");
    int next = 0;
    if (t == LUA_TSTRING) {
        memset(mandate, 0, PK_MANDATE_COUNT);
        const char *s = lua_tostring(L, -1);
        while (*s) { /* "poc, ddr" and "poc,ddr," are fine: blanks around names and empty items are skipped */
            size_t len = strcspn(s, ",");
            if (strspn(s, " \t") < len) mandate_add(c, p, "", s, len, mandate, &next);
            s += len;
            if (*s == ',') s++;
        }
    } else if (t == LUA_TTABLE) {
        memset(mandate, 0, PK_MANDATE_COUNT);
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            char where[48];
            snprintf(where, sizeof where, "mandate[%lld]: ", (long long)i);
            if (lua_rawgeti(L, -1, i) == LUA_TSTRING) {
                size_t len;
                const char *s = lua_tolstring(L, -1, &len);
                mandate_add(c, p, where, s, len, mandate, &next);
            } else {
                problem(c, "mandate", p, "%sexpected the name of a mandated task, got %s", where, luaL_typename(L, -1));
            }
            lua_pop(L, 1);
        }
    } else if (t != LUA_TNIL) {
        problem(c, "mandate", p, "expected a list of mandated tasks in priority order ({ \"poc\", \"political\" } or "
                                 "\"poc,political\"), got %s", lua_typename(L, t));
    }
    lua_pop(L, 1);
}

/* The mission and partnership keys of a faction (docs/SCRIPTING.md §6). */
static void parse_faction_mission(lua_State *L, parse_ctx *c, int t, const char *path, pk_faction_def *fd) {
    const char *roes[PK_ROE_COUNT + 1];
    enum_names(roe_name, PK_ROE_COUNT, roes);
    int roe;
    if (opt_enum(L, c, t, path, "roe", "roe", roes, 0, &roe)) fd->roe = (pk_roe)roe;
    parse_mandate(L, c, t, path, fd->mandate);
    double v;
    if (opt_number(L, c, t, path, "deploy_day", &v, 1, 36500, 1, 0)) fd->deploy_day = (int32_t)v;
    if (opt_number(L, c, t, path, "exit_day", &v, 0, 36500, 1, 0)) {
        fd->exit_day = (int32_t)v;
        if (fd->exit_day > 0 && fd->exit_day < fd->deploy_day) {
            char p[300];
            subpath(p, sizeof p, path, "exit_day");
            problem(c, "exit_day", p, "exit_day %d is before deploy_day %d (0 = the force stays)", (int)fd->exit_day,
                    (int)fd->deploy_day);
        }
    }
    if (opt_number(L, c, t, path, "command_latency", &v, 1, 365, 1, 0)) fd->command_latency = (int32_t)v;
    struct { const char *key; float *out; } shares[] = {
        {"context", &fd->context}, {"influence", &fd->influence}, {"standardisation", &fd->standardisation},
        {"heaviness", &fd->heaviness}, {"high_handedness", &fd->high_handedness}, {"gap_covered", &fd->gap_covered},
        {"support", &fd->support}};
    for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++)
        if (opt_number(L, c, t, path, shares[i].key, &v, 0, 1, 0, 0)) *shares[i].out = (float)v;
    opt_number(L, c, t, path, "hq_cost", &fd->hq_cost, 0, 1e9, 0, 0);
}

static void parse_factions(lua_State *L, parse_ctx *c, int idx) {
    lua_Integer n = list_length(L, c, idx, "factions", "factions", "", PK_MAX_FACTIONS);
    for (lua_Integer i = 1; i <= n; i++) {
        char path[64];
        int t = list_element(L, c, idx, "factions", i, "", path, sizeof path);
        if (!t) continue;
        check_keys(L, c, t, path, faction_keys);
        pk_faction_def fd = pk_faction_def_default();
        if (opt_string(L, c, t, path, "id", fd.id, sizeof fd.id, 1) && !valid_id(fd.id))
            problem(c, "id", path, "id '%s': expected letters, digits, '_' or '-'", fd.id);
        if (!opt_string(L, c, t, path, "name", fd.name, sizeof fd.name, 0)) snprintf(fd.name, sizeof fd.name, "%s", fd.id);
        char kind[32] = "";
        if (opt_string(L, c, t, path, "kind", kind, sizeof kind, 1)) {
            int k = pk_faction_kind_from_name(kind);
            if (k < 0) problem(c, "kind", path, "kind '%s': expected un, regional, hrpm, host_gov, armed_group or humanitarian", kind);
            else fd.kind = (pk_faction_kind)k;
        }
        fd.color_rgb = default_color(fd.kind);
        int ct = rawfield(L, t, "color");
        if (ct == LUA_TSTRING) {
            const char *s = lua_tostring(L, -1);
            char *end;
            unsigned long v = strtoul(s + (*s == '#'), &end, 16);
            if (*s != '#' || strlen(s) != 7 || *end) problem(c, "color", path, "color: expected \"#RRGGBB\", got '%s'", s);
            else fd.color_rgb = (uint32_t)v;
        } else if (ct != LUA_TNIL) {
            problem(c, "color", path, "color: expected \"#RRGGBB\", got %s", lua_typename(L, ct));
        }
        lua_pop(L, 1);
        opt_number(L, c, t, path, "funding_share", &fd.funding_share, 0, 1, 0, 0);
        opt_number(L, c, t, path, "trust", &fd.initial_trust, 0, 1, 0, 0);
        parse_faction_mission(L, c, t, path, &fd);
        for (int k = 0; k < c->def.n_factions; k++)
            if (strcmp(c->def.factions[k].id, fd.id) == 0) problem(c, "id", path, "duplicate faction id '%s'", fd.id);
        if (c->def.n_factions < PK_MAX_FACTIONS) c->def.factions[c->def.n_factions++] = fd;
        lua_pop(L, 1);
    }
    c->faction_ok = 1;
}

static int find_faction(const parse_ctx *c, const char *id) {
    for (int k = 0; k < c->def.n_factions; k++)
        if (strcmp(c->def.factions[k].id, id) == 0) return k;
    return -1;
}

/* A faction id field of a link; -1 (reported) if missing or unknown. */
static int link_faction(lua_State *L, parse_ctx *c, int t, const char *path, const char *key) {
    char id[PK_ID_MAX] = "", p[300];
    if (rawfield(L, t, key) == LUA_TNIL) problem(c, "", path, "missing '%s': expected a faction id", key);
    lua_pop(L, 1);
    if (!opt_string(L, c, t, path, key, id, sizeof id, 0)) return -1;
    int f = find_faction(c, id);
    if (f >= 0) return f;
    const char *ids[PK_MAX_FACTIONS + 1];
    for (int k = 0; k < c->def.n_factions; k++) ids[k] = c->def.factions[k].id;
    ids[c->def.n_factions] = NULL;
    subpath(p, sizeof p, path, key);
    const char *guess = suggest(id, ids);
    if (guess) problem(c, key, p, "no faction '%s' (did you mean '%s'?)", id, guess);
    else problem(c, key, p, "no faction '%s'", id);
    return -1;
}

/* links = { { a = "un", b = "partner", relation = "parallel", coordination = 0.4, ... } } */
static void parse_links(lua_State *L, parse_ctx *c, int idx) {
    const char *relations[PK_REL_COUNT + 1];
    enum_names(relation_name, PK_REL_COUNT, relations);
    lua_Integer n = list_length(L, c, idx, "links", "links", " { a = ..., b = ..., relation = ... }", PK_MAX_LINKS);
    for (lua_Integer i = 1; i <= n; i++) {
        char path[64];
        int t = list_element(L, c, idx, "links", i, " { a = ..., b = ..., relation = ... }", path, sizeof path);
        if (!t) continue;
        check_keys(L, c, t, path, link_keys);
        pk_link_def ld = pk_link_def_default();
        int ok = 1;
        ld.a = link_faction(L, c, t, path, "a");
        ld.b = link_faction(L, c, t, path, "b");
        if (ld.a < 0 || ld.b < 0) ok = 0;
        else if (ld.a == ld.b) {
            char p[300];
            subpath(p, sizeof p, path, "b");
            problem(c, "b", p, "a link joins two different factions; a and b are both '%s'", c->def.factions[ld.a].id);
            ok = 0;
        }
        int rel;
        if (rawfield(L, t, "relation") == LUA_TNIL) {
            char list[256];
            join_names(list, sizeof list, relations);
            problem(c, "", path, "missing 'relation': expected one of: %s", list);
        }
        lua_pop(L, 1);
        if (opt_enum(L, c, t, path, "relation", "relation", relations, 0, &rel)) ld.relation = (pk_relation)rel;
        else ok = 0;
        struct { const char *key; float *out; } shares[] = {
            {"coordination", &ld.coordination}, {"role_clarity", &ld.role_clarity}, {"association", &ld.association}};
        for (size_t k = 0; k < sizeof shares / sizeof shares[0]; k++) {
            double v;
            if (opt_number(L, c, t, path, shares[k].key, &v, 0, 1, 0, 0)) *shares[k].out = (float)v;
        }
        for (int k = 0; ok && k < c->def.n_links; k++) {
            const pk_link_def *o = &c->def.links[k];
            if ((o->a == ld.a && o->b == ld.b) || (o->a == ld.b && o->b == ld.a)) {
                problem(c, "", path, "'%s' and '%s' are already linked by links[%d]; give one link per pair",
                        c->def.factions[ld.a].id, c->def.factions[ld.b].id, k + 1);
                ok = 0;
            }
        }
        if (ok && c->def.n_links < PK_MAX_LINKS) c->def.links[c->def.n_links++] = ld;
        lua_pop(L, 1);
    }
}

static void parse_groups(lua_State *L, parse_ctx *c, int idx, const pk_map *map) {
    lua_Integer n = list_length(L, c, idx, "groups", "civilian groups", "", PK_MAX_GROUPS);
    for (lua_Integer i = 1; i <= n; i++) {
        char path[64];
        int t = list_element(L, c, idx, "groups", i, "", path, sizeof path);
        if (!t) continue;
        check_keys(L, c, t, path, group_keys);
        pk_group_def gd = pk_group_def_default();
        if (opt_string(L, c, t, path, "id", gd.id, sizeof gd.id, 1) && !valid_id(gd.id))
            problem(c, "id", path, "id '%s': expected letters, digits, '_' or '-'", gd.id);
        if (!opt_string(L, c, t, path, "name", gd.name, sizeof gd.name, 0)) snprintf(gd.name, sizeof gd.name, "%s", gd.id);
        double ra = gd.risk_aversion_mean;
        if (opt_number(L, c, t, path, "risk_aversion", &ra, 0, 1, 0, 0)) gd.risk_aversion_mean = (float)ra;
        double incl = gd.inclusion;
        if (opt_number(L, c, t, path, "inclusion", &incl, 0, 1, 0, 0)) gd.inclusion = (float)incl;
        char sym[PK_ID_MAX] = "";
        if (opt_string(L, c, t, path, "sympathises_with", sym, sizeof sym, 0)) {
            gd.sympathises_with = find_faction(c, sym);
            if (gd.sympathises_with < 0) problem(c, "sympathises_with", path, "sympathises_with: no faction '%s'", sym);
            else if (c->def.factions[gd.sympathises_with].kind != PK_FACTION_ARMED_GROUP)
                problem(c, "sympathises_with", path, "sympathises_with: '%s' is not an armed_group faction", sym);
        }
        char pp[96];
        snprintf(pp, sizeof pp, "%s.population", path);
        int pt = rawfield(L, t, "population");
        if (pt != LUA_TTABLE) {
            problem(c, "population", pp, "expected a table { region_id = persons, ... }, got %s", lua_typename(L, pt));
        } else if (map) {
            int nk;
            const char **keys = sorted_keys(L, c, -1, pp, &nk);
            for (int k = 0; k < nk; k++) {
                char kp[200];
                snprintf(kp, sizeof kp, "%s.%s", pp, keys[k]);
                int r = pk_map_find_region(map, keys[k]);
                if (r < 0) {
                    problem(c, keys[k], kp, "no region '%s' in the map", keys[k]);
                    continue;
                }
                double persons = 0;
                if (opt_number(L, c, -1, pp, keys[k], &persons, 0, 1e9, 0, 1)) {
                    double agents = floor(persons / (double)c->def.scale + 0.5);
                    gd.agents_per_region[r] = (int32_t)agents;
                }
            }
            free(keys);
        }
        lua_pop(L, 1);
        for (int k = 0; k < c->def.n_groups; k++)
            if (strcmp(c->def.groups[k].id, gd.id) == 0) problem(c, "id", path, "duplicate group id '%s'", gd.id);
        if (c->def.n_groups < PK_MAX_GROUPS) c->def.groups[c->def.n_groups++] = gd;
        lua_pop(L, 1);
    }
}

static void parse_units(lua_State *L, parse_ctx *c, int idx, const pk_map *map) {
    lua_Integer n = list_length(L, c, idx, "units", "units", "", 0);
    for (lua_Integer i = 1; i <= n; i++) {
        char path[64];
        int t = list_element(L, c, idx, "units", i, "", path, sizeof path);
        if (!t) continue;
        pk_unit_def ud;
        double count = 1;
        if (pk_api_parse_unit(L, t, map, c->def.factions, c->def.n_factions, &ud, &count, path, c->errs, c->sc->path,
                              c->source) == PK_OK) {
            for (int k = 0; k < (int)count; k++) {
                if (c->n_units >= MAX_UNITS) {
                    problem(c, "units", path, "too many units (at most %d)", MAX_UNITS);
                    break;
                }
                c->units[c->n_units] = ud;
                if (count > 1) {
                    size_t l = strlen(ud.name);
                    snprintf(c->units[c->n_units].name + l, PK_NAME_MAX - l, " %d", k + 1);
                }
                c->n_units++;
            }
        }
        lua_pop(L, 1);
    }
}

/* ------------------------------------------------------------------ injects */

static const char *const inject_keys[] = {"id", "day", "text", "region", "faction", "action", NULL};

static void parse_injects(lua_State *L, parse_ctx *c, int idx, const pk_map *map) {
    pk_scenario *sc = c->sc;
    static const char shape[] = " { id = ..., day = ..., text = ... }";
    lua_Integer n = list_length(L, c, idx, "injects", "injects", shape, MAX_INJECTS);
    if (n < 0) return;
    if (!sc->injects) sc->injects = calloc(MAX_INJECTS, sizeof *sc->injects);
    if (!sc->injects) luaL_error(L, "not enough memory");
    for (lua_Integer i = 1; i <= n; i++) {
        char path[64];
        int t = list_element(L, c, idx, "injects", i, shape, path, sizeof path);
        if (!t) continue;
        check_keys(L, c, t, path, inject_keys);
        inject_rec rec;
        memset(&rec, 0, sizeof rec);
        rec.action_ref = LUA_NOREF;
        rec.pub.region = rec.pub.faction = -1;
        int ok = 1;
        /* a missing key is reported at the entry's own line (it is written nowhere) */
        static const char *const required[] = {"id", "day", "text"};
        static const char *const expected[] = {"a string (letters, digits, '_' or '-')", "a day number (1 or more)", "a string"};
        for (int k = 0; k < 3; k++) {
            if (rawfield(L, t, required[k]) == LUA_TNIL) {
                problem(c, "", path, "missing '%s': expected %s", required[k], expected[k]);
                ok = 0;
            }
            lua_pop(L, 1);
        }
        if (opt_string(L, c, t, path, "id", rec.pub.id, sizeof rec.pub.id, 0)) {
            if (!valid_id(rec.pub.id)) {
                problem(c, "id", path, "id '%s': expected letters, digits, '_' or '-'", rec.pub.id);
                ok = 0;
            }
            for (int k = 0; k < sc->n_injects; k++)
                if (strcmp(sc->injects[k].pub.id, rec.pub.id) == 0) {
                    problem(c, "id", path, "duplicate inject id '%s'", rec.pub.id);
                    ok = 0;
                }
        } else {
            ok = 0;
        }
        double day = 0;
        if (opt_number(L, c, t, path, "day", &day, 1, 36500, 1, 0)) rec.pub.day = (int32_t)day;
        else ok = 0;
        if (!opt_string(L, c, t, path, "text", rec.pub.text, sizeof rec.pub.text, 0)) ok = 0;
        char id[PK_ID_MAX] = "";
        if (opt_string(L, c, t, path, "region", id, sizeof id, 0)) {
            rec.pub.region = map ? pk_map_find_region(map, id) : -1;
            if (rec.pub.region < 0) {
                char p[96];
                snprintf(p, sizeof p, "%s.region", path);
                problem(c, "region", p, "no region '%s' in the map", id);
                ok = 0;
            }
        }
        if (opt_string(L, c, t, path, "faction", id, sizeof id, 0)) {
            rec.pub.faction = find_faction(c, id);
            if (rec.pub.faction < 0) {
                char p[96];
                snprintf(p, sizeof p, "%s.faction", path);
                problem(c, "faction", p, "no faction '%s'", id);
                ok = 0;
            }
        }
        int at = rawfield(L, t, "action");
        if (at == LUA_TFUNCTION && ok) {
            rec.action_ref = luaL_ref(L, LUA_REGISTRYINDEX);
            rec.pub.has_action = 1;
        } else {
            if (at != LUA_TNIL && at != LUA_TFUNCTION) {
                char p[96];
                snprintf(p, sizeof p, "%s.action", path);
                problem(c, "action", p, "expected a function(sim), got %s", lua_typename(L, at));
            }
            lua_pop(L, 1);
        }
        if (ok) sc->injects[sc->n_injects++] = rec;
        lua_pop(L, 1);
    }
}

/* ------------------------------------------------------------------ the top level */

static const char *const top_keys[] = {"name", "description", "days", "seed", "scale", "map", "params", "model",
                                       "groups", "factions", "links", "units", "injects", "on_start", "on_day", "on_event", "on_end", "epstein", NULL};
static const char *const map_keys[] = {"file", "cell_km", NULL};

/* Resolve a data file name from a scenario: only plain relative names, looked up in the
 * scenario's folder and then in assets/maps. Scripts are untrusted: no absolute paths,
 * no "..". Returns 1 and fills out if a readable file was found. */
static int resolve_data_file(const pk_scenario *sc, const char *name, char *out, size_t n, char *why, size_t wn) {
    if (!*name || name[0] == '/' || strstr(name, "..") || strchr(name, '\\')) {
        snprintf(why, wn, "expected a file name relative to the scenario's folder or assets/maps, without '..'; got '%s'", name);
        return 0;
    }
    const char *dirs[2] = {sc->dir, NULL};
    char maps[600];
    snprintf(maps, sizeof maps, "%s/maps", sc->assets_dir);
    dirs[1] = maps;
    for (int i = 0; i < 2; i++) {
        snprintf(out, n, "%s/%s", dirs[i], name);
        FILE *f = fopen(out, "rb");
        if (f) {
            fclose(f);
            return 1;
        }
    }
    snprintf(why, wn, "no file '%s' in %s or %s", name, sc->dir, maps);
    return 0;
}

/* The `epstein` table (docs/SCRIPTING.md): Epstein's civil-violence models on a torus. */
static const char *const ep_keys[] = {"model", "width", "height", "citizen_density", "cop_density", "vision",
                                      "neighbourhood", "legitimacy", "legitimacy_end", "legitimacy_schedule", "jump_day",
                                      "days", "max_jail", "jail_draw", "threshold", "k", "arrest_rounding", "movement",
                                      "activation", "group_share", "peacekeeper_density", "withdraw_day", NULL};

static void ep_choice(lua_State *L, parse_ctx *c, int idx, const char *key, int (*from_name)(const char *),
                      const char *choices, int *out) {
    char s[64] = "";
    if (!opt_string(L, c, idx, "epstein", key, s, sizeof s, 0)) return;
    int v = from_name(s);
    char p[100];
    snprintf(p, sizeof p, "epstein.%s", key);
    if (v < 0) problem(c, key, p, "expected one of %s; got '%s'", choices, s);
    else *out = v;
}

static void parse_epstein(lua_State *L, parse_ctx *c, int idx, int32_t days) {
    check_keys(L, c, idx, "epstein", ep_keys);
    pk_epstein_def *d = &c->ep;
    *d = pk_epstein_def_default();
    d->days = days;
    double v;
    struct { const char *key; int32_t *out; double lo, hi; } ints[] = {
        {"model", &d->model, 1, 2}, {"width", &d->width, 3, 20000}, {"height", &d->height, 3, 20000},
        {"vision", &d->vision, 1, 20}, {"jump_day", &d->jump_day, 1, 1e6}, {"days", &d->days, 1, 1e6},
        {"max_jail", &d->max_jail, 0, 65535}, {"withdraw_day", &d->withdraw_day, 0, 1e6}};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (opt_number(L, c, idx, "epstein", ints[i].key, &v, ints[i].lo, ints[i].hi, 1, 0)) *ints[i].out = (int32_t)v;
    struct { const char *key; double *out; double lo, hi; } nums[] = {
        {"citizen_density", &d->citizen_density, 0, 1}, {"cop_density", &d->cop_density, 0, 1},
        {"legitimacy", &d->legitimacy, 0, 1}, {"legitimacy_end", &d->legitimacy_end, 0, 1},
        {"threshold", &d->threshold, -10, 10}, {"k", &d->k, 0, 1000}, {"group_share", &d->group_share, 0.001, 0.999},
        {"peacekeeper_density", &d->peacekeeper_density, 0, 1}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        if (strcmp(nums[i].key, "legitimacy_end") == 0) d->legitimacy_end = d->legitimacy; /* default: no change */
        opt_number(L, c, idx, "epstein", nums[i].key, nums[i].out, nums[i].lo, nums[i].hi, 0, 0);
    }
    int e;
    e = (int)d->neighbourhood;
    ep_choice(L, c, idx, "neighbourhood", pk_ep_neighbourhood_from_name, "moore, von_neumann, disc", &e);
    d->neighbourhood = (pk_ep_neighbourhood)e;
    e = (int)d->arrest_rounding;
    ep_choice(L, c, idx, "arrest_rounding", pk_ep_rounding_from_name, "none, floor, round", &e);
    d->arrest_rounding = (pk_ep_rounding)e;
    e = (int)d->legitimacy_schedule;
    ep_choice(L, c, idx, "legitimacy_schedule", pk_ep_schedule_from_name, "constant, gradual, jump", &e);
    d->legitimacy_schedule = (pk_ep_schedule)e;
    e = (int)d->jail_draw;
    ep_choice(L, c, idx, "jail_draw", pk_ep_jail_draw_from_name, "below_max, up_to_max", &e);
    d->jail_draw = (pk_ep_jail_draw)e;
    e = (int)d->activation;
    ep_choice(L, c, idx, "activation", pk_ep_activation_from_name, "random_sequential, parallel", &e);
    d->activation = (pk_ep_activation)e;
    int t = rawfield(L, idx, "movement");
    if (t == LUA_TBOOLEAN) d->movement = lua_toboolean(L, -1);
    else if (t != LUA_TNIL) problem(c, "movement", "epstein.movement", "expected true or false, got %s", lua_typename(L, t));
    lua_pop(L, 1);
    pk_error err;
    if (c->errs->count == 0 && pk_epstein_def_check(d, &err) != PK_OK) {
        const char *key = strchr(err.path, '.') ? strchr(err.path, '.') + 1 : "epstein";
        problem(c, key, err.path, "%s", err.msg);
    }
}

static int parse_top(lua_State *L) {
    parse_ctx *c = lua_touserdata(L, 1);
    pk_scenario *sc = c->sc;
    /* stack: 1 ctx, 2 the scenario table */
    if (lua_type(L, 2) != LUA_TTABLE) {
        problem(c, "", NULL, "a scenario file must return a table (return { name = ..., map = ..., ... }), got %s",
                luaL_typename(L, 2));
        /* the place: the file's last line, where its `return` was expected */
        int last = 1;
        for (const char *p = c->source; p && *p; p++) last += *p == '\n' && p[1];
        if (c->errs->count > 0 && c->errs->items[c->errs->count - 1].line == 0) c->errs->items[c->errs->count - 1].line = last;
        return 0;
    }
    check_keys(L, c, 2, "", top_keys);
    char name[sizeof sc->name] = "";
    if (opt_string(L, c, 2, "", "name", name, sizeof name, 0)) snprintf(sc->name, sizeof sc->name, "%s", name);
    double days = 60, seed = 1, scale = 1;
    if (rawfield(L, 2, "days") != LUA_TFUNCTION) opt_number(L, c, 2, "", "days", &days, 1, 36500, 1, 0);
    lua_pop(L, 1);
    sc->days = (int32_t)days;
    if (opt_number(L, c, 2, "", "seed", &seed, 0, 9007199254740992.0, 1, 0) && !c->opt->seed_given)
        sc->seed = (uint64_t)seed;
    for (int h = 0; h < 4; h++) {
        int t = rawfield(L, 2, hook_names[h]);
        if (t != LUA_TNIL && t != LUA_TFUNCTION)
            problem(c, hook_names[h], hook_names[h], "expected a function, got %s", lua_typename(L, t));
        lua_pop(L, 1);
    }
    /* params */
    int pt = rawfield(L, 2, "params");
    if (pt == LUA_TTABLE) {
        int nk;
        const char **keys = sorted_keys(L, c, -1, "params", &nk);
        for (int k = 0; k < nk; k++) {
            rawfield(L, -1, keys[k]);
            parse_param(L, c, lua_absindex(L, -1), keys[k]);
            lua_pop(L, 1);
        }
        free(keys);
    } else if (pt != LUA_TNIL) {
        problem(c, "params", "params", "expected a table of parameter declarations, got %s", lua_typename(L, pt));
    }
    lua_pop(L, 1);
    apply_sets(c);
    /* go on after problems, to report as many as possible in one go */
    if (c->params_only) return 0;

    push_param_table(L, sc);
    int params_idx = lua_gettop(L);
    c->def = pk_world_def_default();
    c->def.seed = sc->seed;
    /* days as a function of the parameters (a laboratory declares `days` as a parameter) */
    if (rawfield(L, 2, "days") == LUA_TFUNCTION) {
        lua_pop(L, 1);
        int t = field_or_call(L, 2, "days", params_idx);
        double v = t == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
        if (t != LUA_TNUMBER || v != floor(v) || !(v >= 1 && v <= 36500))
            problem(c, "days", "days", "expected the function to return a whole number of days in [1, 36500]");
        else sc->days = (int32_t)v;
        lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
    }
    /* scale: a number, or a function of the parameters (a laboratory trades detail for
     * speed: fewer agents, each standing for more persons) */
    {
        int t = field_or_call(L, 2, "scale", params_idx);
        if (t == LUA_TNUMBER) {
            double v = lua_tonumber(L, -1);
            if (v != floor(v) || !(v >= 1 && v <= 1e6))
                problem(c, "scale", "scale", "expected a whole number in [1, 1000000], got %g", v);
            else scale = v;
        } else if (t != LUA_TNIL) {
            problem(c, "scale", "scale", "expected a whole number of persons per agent (or a function of the parameters returning one), got %s",
                    lua_typename(L, t));
        }
        lua_pop(L, 1);
    }
    c->def.scale = (int32_t)scale;

    /* model parameters */
    int mt = field_or_call(L, 2, "model", params_idx);
    if (mt == LUA_TTABLE) {
        int nk;
        const char **keys = sorted_keys(L, c, -1, "model", &nk);
        for (int k = 0; k < nk; k++) {
            int p = pk_param_find(keys[k]);
            if (p < 0) {
                const char *names[PK_PARAM_COUNT + 1];
                for (int q = 0; q < PK_PARAM_COUNT; q++) names[q] = pk_param_info_get((pk_param)q)->name;
                names[PK_PARAM_COUNT] = NULL;
                const char *s = suggest(keys[k], names);
                char mp[200];
                snprintf(mp, sizeof mp, "model.%s", keys[k]);
                if (s) problem(c, keys[k], mp, "unknown model parameter '%s' (did you mean '%s'?)", keys[k], s);
                else problem(c, keys[k], mp, "unknown model parameter '%s'; docs/MODEL.md lists them", keys[k]);
                continue;
            }
            const pk_param_info *pi = pk_param_info_get((pk_param)p);
            opt_number(L, c, -1, "model", keys[k], &c->def.params[p], pi->min, pi->max, 0, 1);
        }
        free(keys);
    } else if (mt != LUA_TNIL) {
        problem(c, "model", "model", "expected a table of model parameters, got %s", lua_typename(L, mt));
    }
    lua_pop(L, 1);

    /* Epstein's models: a synthetic grid instead of map, groups, factions and units */
    int ept = field_or_call(L, 2, "epstein", params_idx);
    if (ept != LUA_TNIL) {
        if (ept != LUA_TTABLE) problem(c, "epstein", "epstein", "expected a table of Epstein model settings, got %s", lua_typename(L, ept));
        else parse_epstein(L, c, lua_absindex(L, -1), sc->days);
        lua_pop(L, 1);
        static const char *const not_with[] = {"map", "groups", "factions", "links", "units", "injects", NULL};
        for (int i = 0; not_with[i]; i++) {
            if (rawfield(L, 2, not_with[i]) != LUA_TNIL)
                problem(c, not_with[i], not_with[i], "'%s' cannot be used with 'epstein' (the Epstein models build their own grid and agents)", not_with[i]);
            lua_pop(L, 1);
        }
        c->def.epstein = &c->ep;
        for (int h = 0; h < 4; h++) {
            if (rawfield(L, 2, hook_names[h]) == LUA_TFUNCTION) sc->hook_ref[h] = luaL_ref(L, LUA_REGISTRYINDEX);
            else lua_pop(L, 1);
        }
        return 0;
    }
    lua_pop(L, 1);

    /* map */
    int mapt = rawfield(L, 2, "map");
    if (mapt != LUA_TTABLE) {
        problem(c, "map", "map", "expected map = { file = \"name.geojson\", cell_km = 2 }, got %s", lua_typename(L, mapt));
        lua_pop(L, 1);
        return 0;
    }
    check_keys(L, c, -1, "map", map_keys);
    char file[256] = "";
    double cell_km = 2.0;
    opt_string(L, c, -1, "map", "file", file, sizeof file, 1);
    opt_number(L, c, -1, "map", "cell_km", &cell_km, 0.1, 1000, 0, 0);
    lua_pop(L, 1);
    if (!*file) return 0;
    char full[1200], why[1200];
    if (!resolve_data_file(sc, file, full, sizeof full, why, sizeof why)) {
        problem(c, "file", "map.file", "%s", why);
        return 0;
    }
    pk_geojson_options gopt = pk_geojson_options_default();
    gopt.cell_km = cell_km;
    pk_error gerr;
    sc->map = pk_geojson_load_file(full, &gopt, &gerr);
    if (!sc->map) {
        *pk_errors_add(c->errs) = gerr;
        return 0;
    }
    c->def.map = sc->map;

    /* factions, then groups (which name factions), then units */
    int ft = field_or_call(L, 2, "factions", params_idx);
    if (ft != LUA_TNIL) parse_factions(L, c, lua_absindex(L, -1));
    lua_pop(L, 1);
    int lt = field_or_call(L, 2, "links", params_idx);
    if (lt != LUA_TNIL) parse_links(L, c, lua_absindex(L, -1));
    lua_pop(L, 1);
    int gt = field_or_call(L, 2, "groups", params_idx);
    if (gt != LUA_TNIL) parse_groups(L, c, lua_absindex(L, -1), sc->map);
    lua_pop(L, 1);
    int ut = field_or_call(L, 2, "units", params_idx);
    if (ut != LUA_TNIL) parse_units(L, c, lua_absindex(L, -1), sc->map);
    lua_pop(L, 1);
    int it = field_or_call(L, 2, "injects", params_idx);
    if (it != LUA_TNIL) parse_injects(L, c, lua_absindex(L, -1), sc->map);
    lua_pop(L, 1);

    /* hooks: keep references in the registry */
    for (int h = 0; h < 4; h++) {
        if (rawfield(L, 2, hook_names[h]) == LUA_TFUNCTION) sc->hook_ref[h] = luaL_ref(L, LUA_REGISTRYINDEX);
        else lua_pop(L, 1);
    }
    return 0;
}

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t k = fread(buf + len, 1, cap - len - 1, f);
        if (k == 0) break;
        len += k;
    }
    fclose(f);
    if (buf) buf[len] = '\0';
    return buf;
}

static void scenario_log(void *user, const char *where, const char *msg) {
    pk_scenario *sc = user;
    if (sc->world) {
        pk_command cmd;
        memset(&cmd, 0, sizeof cmd);
        cmd.type = PK_CMD_LOG;
        cmd.region = cmd.faction = -1;
        snprintf(cmd.text, sizeof cmd.text, "%s", msg);
        pk_error e;
        pk_world_command(sc->world, &cmd, NULL, &e);
    } else {
        fprintf(stderr, "%s: %s\n", where, msg);
    }
}

static pk_scenario *load(const char *path, const pk_scenario_options *opt_in, pk_errors *errs, int params_only) {
    pk_scenario_options opt = opt_in ? *opt_in : pk_scenario_options_default();
    errs->count = 0;
    pk_scenario *sc = calloc(1, sizeof *sc);
    if (!sc) {
        pk_error_set(pk_errors_add(errs), path, 0, NULL, "out of memory");
        return NULL;
    }
    for (int h = 0; h < 4; h++) sc->hook_ref[h] = LUA_NOREF;
    snprintf(sc->path, sizeof sc->path, "%s", path);
    snprintf(sc->dir, sizeof sc->dir, "%s", path);
    char *slash = strrchr(sc->dir, '/');
    if (slash) *slash = '\0';
    else snprintf(sc->dir, sizeof sc->dir, ".");
    const char *base = slash ? strrchr(path, '/') + 1 : path;
    snprintf(sc->name, sizeof sc->name, "%s", base);
    char *dot = strrchr(sc->name, '.');
    if (dot && strcmp(dot, ".lua") == 0) *dot = '\0';
    sc->days = 60;
    sc->seed = opt.seed_given ? opt.seed : 1;
    snprintf(sc->scripts_dir, sizeof sc->scripts_dir, "%s",
             opt.scripts_dir ? opt.scripts_dir : (getenv("PKOSIM_SCRIPTS") ? getenv("PKOSIM_SCRIPTS") : PKOSIM_DEFAULT_SCRIPTS_DIR));
    snprintf(sc->assets_dir, sizeof sc->assets_dir, "%s",
             opt.assets_dir ? opt.assets_dir : (getenv("PKOSIM_ASSETS") ? getenv("PKOSIM_ASSETS") : PKOSIM_DEFAULT_ASSETS_DIR));

    parse_ctx c;
    memset(&c, 0, sizeof c);
    c.sc = sc;
    c.opt = &opt;
    c.errs = errs;
    c.params_only = params_only;
    c.source = read_text(path);
    if (!c.source) {
        pk_error_set(pk_errors_add(errs), path, 0, NULL, "cannot read the scenario file: %s", strerror(errno));
        pk_scenario_free(sc);
        return NULL;
    }
    c.units = calloc(MAX_UNITS, sizeof *c.units);
    pk_sandbox_config cfg = pk_sandbox_config_default();
    if (opt.memory_limit_bytes) cfg.memory_limit_bytes = opt.memory_limit_bytes;
    if (opt.instruction_limit) cfg.instruction_limit = opt.instruction_limit;
    cfg.require_dirs[0] = sc->dir;
    cfg.require_dirs[1] = sc->scripts_dir;
    cfg.rng_key = pk_rng_key(sc->seed, "lua.math.random");
    cfg.log_fn = scenario_log;
    cfg.log_user = sc;
    sc->sb = c.units ? pk_sandbox_create(&cfg) : NULL;
    if (!sc->sb) {
        pk_error_set(pk_errors_add(errs), path, 0, NULL, "out of memory creating the script sandbox");
        goto fail;
    }
    pk_error err;
    if (pk_api_install(sc->sb, sc, &err) != PK_OK) {
        *pk_errors_add(errs) = err;
        goto fail;
    }
    if (pk_sandbox_dofile(sc->sb, path, &err) != PK_OK) {
        *pk_errors_add(errs) = err;
        goto fail;
    }
    lua_State *L = pk_sandbox_state(sc->sb);
    /* parse inside a protected call: stack [result] -> push parse_top, ctx, result */
    lua_pushcfunction(L, parse_top);
    lua_pushlightuserdata(L, &c);
    lua_pushvalue(L, -3);
    if (pk_sandbox_call(sc->sb, 2, 0, &err) != PK_OK) *pk_errors_add(errs) = err;
    lua_pop(L, 1); /* the scenario table */
    if (errs->count) goto fail;
    if (params_only) goto done;
    pk_error werr;
    sc->world = pk_world_create(&c.def, &werr);
    if (!sc->world) {
        pk_error *e = pk_errors_add(errs);
        *e = werr;
        snprintf(e->file, sizeof e->file, "%s", path);
        goto fail;
    }
    for (int i = 0; i < c.n_units; i++) {
        pk_command cmd;
        memset(&cmd, 0, sizeof cmd);
        cmd.type = PK_CMD_ADD_UNIT;
        cmd.unit_def = c.units[i];
        if (pk_world_command(sc->world, &cmd, NULL, &werr) != PK_OK) {
            pk_error *e = pk_errors_add(errs);
            char p[64];
            snprintf(p, sizeof p, "units[%d]", i + 1);
            pk_error_set(e, path, 0, p, "%s", werr.msg);
            goto fail;
        }
    }
done:
    free(c.source);
    free(c.units);
    return sc;
fail:
    free(c.source);
    free(c.units);
    pk_scenario_free(sc);
    return NULL;
}

pk_scenario *pk_scenario_load(const char *path, const pk_scenario_options *opt, pk_errors *errs) {
    return load(path, opt, errs, 0);
}
pk_scenario *pk_scenario_load_params(const char *path, const pk_scenario_options *opt, pk_errors *errs) {
    return load(path, opt, errs, 1);
}

void pk_scenario_free(pk_scenario *sc) {
    if (!sc) return;
    pk_sandbox_destroy(sc->sb);
    pk_world_destroy(sc->world);
    pk_map_free(sc->map);
    free(sc->injects);
    free(sc);
}

const char *pk_scenario_name(const pk_scenario *sc) { return sc->name; }
const char *pk_scenario_path(const pk_scenario *sc) { return sc->path; }
int32_t pk_scenario_default_days(const pk_scenario *sc) { return sc->days; }
uint64_t pk_scenario_seed(const pk_scenario *sc) { return sc->seed; }
int pk_scenario_param_count(const pk_scenario *sc) { return sc->n_params; }
const pk_scenario_param *pk_scenario_param_get(const pk_scenario *sc, int i) {
    return i >= 0 && i < sc->n_params ? &sc->params[i] : NULL;
}
pk_world *pk_scenario_world(pk_scenario *sc) { return sc->world; }

/* ------------------------------------------------------------------ running */

/* Call hook h through the protected trampoline: hook(sim), hook(sim, day) or
 * hook(sim, event). Nothing allocates outside the protected call. */
static pk_status call_hook(pk_scenario *sc, int h, const pk_event *ev, lua_Integer day, pk_error *err) {
    if (sc->hook_ref[h] == LUA_NOREF) return PK_OK;
    lua_State *L = pk_sandbox_state(sc->sb);
    lua_pushcfunction(L, pk_api_trampoline);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sc->hook_ref[h]);
    pk_api_push_sim(sc->sb);
    lua_pushlightuserdata(L, sc->world);
    lua_pushlightuserdata(L, (void *)ev);
    lua_pushinteger(L, day);
    return pk_sandbox_call(sc->sb, 5, 0, err);
}

pk_status pk_scenario_start(pk_scenario *sc, pk_error *err) { return call_hook(sc, HOOK_START, NULL, -1, err); }

static pk_status queue_log(pk_scenario *sc, pk_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static pk_status queue_log(pk_scenario *sc, pk_error *err, const char *fmt, ...) {
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_LOG;
    cmd.region = cmd.faction = -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd.text, sizeof cmd.text, fmt, ap);
    va_end(ap);
    return pk_world_command(sc->world, &cmd, NULL, err);
}

/* Fire inject i: queue its inject command, then run its action(sim) in a protected call. */
static pk_status fire_inject(pk_scenario *sc, int i, pk_error *err) {
    inject_rec *r = &sc->injects[i];
    r->pub.state = PK_INJECT_FIRED;
    r->pub.fired_day = pk_world_day(sc->world) + 1;
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_INJECT;
    cmd.region = r->pub.region;
    cmd.faction = r->pub.faction;
    snprintf(cmd.text, sizeof cmd.text, "%s", r->pub.text);
    if (pk_world_command(sc->world, &cmd, NULL, err) != PK_OK) return PK_ERR_INPUT;
    if (r->action_ref == LUA_NOREF) return PK_OK;
    lua_State *L = pk_sandbox_state(sc->sb);
    lua_pushcfunction(L, pk_api_trampoline);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->action_ref);
    pk_api_push_sim(sc->sb);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushinteger(L, -1);
    return pk_sandbox_call(sc->sb, 5, 0, err) == PK_OK ? PK_OK : PK_ERR_INPUT;
}

int pk_scenario_inject_count(const pk_scenario *sc) { return sc->n_injects; }
const pk_scenario_inject *pk_scenario_inject_get(const pk_scenario *sc, int i) {
    return i >= 0 && i < sc->n_injects ? &sc->injects[i].pub : NULL;
}

pk_status pk_scenario_fire_inject(pk_scenario *sc, int i, pk_error *err) {
    if (i < 0 || i >= sc->n_injects || sc->injects[i].pub.state != PK_INJECT_PENDING)
        return pk_error_set(err, sc->path, 0, "injects", "inject %d is not pending", i + 1);
    const pk_scenario_inject *in = &sc->injects[i].pub;
    int32_t next = pk_world_day(sc->world) + 1;
    if (next < in->day) {
        if (queue_log(sc, err, "white cell: fired inject '%s' early (scheduled for day %d)", in->id, (int)in->day) != PK_OK)
            return PK_ERR_INPUT;
        sc->injects[i].pub.early = 1;
    } else if (queue_log(sc, err, "white cell: fired inject '%s' (scheduled for day %d)", in->id, (int)in->day) != PK_OK) {
        return PK_ERR_INPUT;
    }
    return fire_inject(sc, i, err);
}

pk_status pk_scenario_skip_inject(pk_scenario *sc, int i) {
    if (i < 0 || i >= sc->n_injects || sc->injects[i].pub.state != PK_INJECT_PENDING) return PK_ERR_INPUT;
    pk_error err;
    if (queue_log(sc, &err, "white cell: skipped inject '%s' (scheduled for day %d)", sc->injects[i].pub.id,
                  (int)sc->injects[i].pub.day) != PK_OK)
        return PK_ERR_INPUT;
    sc->injects[i].pub.state = PK_INJECT_SKIPPED;
    return PK_OK;
}

pk_status pk_scenario_order(pk_scenario *sc, pk_unit_id unit, int task, int32_t region, pk_error *err) {
    pk_unit_state u;
    if (!pk_world_unit(sc->world, unit, &u)) return pk_error_set(err, NULL, 0, NULL, "unknown unit");
    if (task < 0 || task >= PK_TASK_COUNT) return pk_error_set(err, NULL, 0, NULL, "unknown task %d", task);
    const pk_map *m = pk_world_map(sc->world);
    if (region < 0 && m && u.cell >= 0) region = m->region[u.cell];
    pk_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.type = PK_CMD_SET_TASK;
    cmd.unit = unit;
    cmd.task = task;
    cmd.region = region;
    cmd.faction = -1;
    if (pk_world_command(sc->world, &cmd, NULL, err) != PK_OK) return PK_ERR_INPUT;
    const char *where = m && region >= 0 && region < m->n_regions ? m->regions[region].name : "its area";
    return queue_log(sc, err, "white cell: ordered %s to %s in %s", u.name, pk_task_name((pk_task)task), where);
}

pk_status pk_scenario_step(pk_scenario *sc, pk_error *err) {
    /* the day's injects first (in the order declared), then on_day */
    int32_t today = pk_world_day(sc->world) + 1;
    for (int i = 0; i < sc->n_injects; i++)
        if (sc->injects[i].pub.state == PK_INJECT_PENDING && sc->injects[i].pub.day == today &&
            fire_inject(sc, i, err) != PK_OK)
            return PK_ERR_INPUT;
    if (call_hook(sc, HOOK_DAY, NULL, pk_world_day(sc->world) + 1, err) != PK_OK) return PK_ERR_INPUT;
    pk_world_step(sc->world);
    size_t n;
    pk_world_events(sc->world, &n);
    size_t from = sc->events_seen;
    sc->events_seen = n;
    if (sc->hook_ref[HOOK_EVENT] == LUA_NOREF) return PK_OK;
    for (size_t i = from; i < n; i++) {
        /* hooks only queue commands, so the event array does not move during the loop */
        const pk_event *ev = pk_world_events(sc->world, NULL) + i;
        if (call_hook(sc, HOOK_EVENT, ev, -1, err) != PK_OK) return PK_ERR_INPUT;
    }
    return PK_OK;
}

pk_status pk_scenario_restore_world(pk_scenario *sc, const void *buf, size_t size, pk_error *err) {
    pk_world *w = pk_world_restore(buf, size, err);
    if (!w) return PK_ERR_INPUT;
    pk_world_destroy(sc->world);
    sc->world = w;
    pk_world_events(w, &sc->events_seen); /* on_event has seen every event up to the snapshot */
    int32_t day = pk_world_day(w);
    for (int i = 0; i < sc->n_injects; i++) /* injects after the snapshot's day may fire again */
        if (sc->injects[i].pub.state == PK_INJECT_FIRED && sc->injects[i].pub.fired_day > day) {
            sc->injects[i].pub.state = PK_INJECT_PENDING;
            sc->injects[i].pub.early = 0;
            sc->injects[i].pub.fired_day = 0;
        }
    return PK_OK;
}

pk_status pk_scenario_finish(pk_scenario *sc, pk_error *err) {
    pk_status st = call_hook(sc, HOOK_END, NULL, -1, err);
    /* on_end's logs and injects belong to the last day: apply them now */
    if (st == PK_OK) pk_world_flush(sc->world);
    return st;
}
