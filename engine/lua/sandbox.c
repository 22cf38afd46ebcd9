/* sandbox.c — the Lua 5.4 state that runs untrusted scenario scripts (shared between
 * training centres), modelled on Redis scripting (STYLE: Redis row).
 *
 * What it must never do:
 *   - let a script reach io, os, package, debug, the registry, the real globals, the real
 *     string library (string.dump) or bytecode (load/require are text only);
 *   - let a script run past its instruction or memory budget, or swallow the abort with
 *     pcall / xpcall / coroutines / error handlers;
 *   - run a script-defined __gc (finalisers run at GC time, outside any budget, in an
 *     order that depends on allocation);
 *   - crash the process (the 5.4.4 coroutine.close C-stack overflow is guarded here);
 *   - let a longjmp leave this file: every Lua call made from C here is protected;
 *   - make a run depend on the process: math.random is an engine stream, pairs() and
 *     table.sort are deterministic.
 *
 * Defences, one per escape route:
 *   globals      a separate _ENV built from an allow-list; the libraries are copies
 *                (string without dump, math with the engine random, table with a
 *                deterministic sort, coroutine with guarded resume/wrap/close).
 *   string mt    the strings' metatable points __index at the safe copy and carries
 *                __metatable = false, so getmetatable("") exposes nothing.
 *   load         text only (mode forced "t", ESC-prefixed chunks refused up front),
 *                reader functions refused, env defaults to the sandbox env, a given env
 *                must be a table (a sub-sandbox: it holds only what the script has).
 *   require      names ^[%w_]+(%.[%w_]+)*$ only, looked up as dir/a/b.lua in the
 *                configured folders, text only, cached in a private registry table.
 *                Residual: a symlink inside a require folder is followed (the folders
 *                are configuration, not script input).
 *   __gc         the wrapped setmetatable refuses any metatable holding a __gc field.
 *                A __gc added to the metatable afterwards is inert: Lua 5.4 marks an
 *                object for finalisation only when setmetatable sees __gc (manual
 *                §2.5.3), so no script-defined finaliser can ever run.
 *   instructions a count hook every PK_SB_HOOK_EVERY instructions, on every thread
 *                (coroutines are armed when created and when resumed). When the budget
 *                runs out a flag is set, the hook switches to every instruction and
 *                line, and keeps raising; the wrapped pcall, xpcall, coroutine.resume,
 *                coroutine.wrap and coroutine.close re-raise instead of returning the
 *                error while the flag is set. The host reports the budget whatever the
 *                final error value is ("error in error handling", ...). Lua runs a
 *                message handler, for an error raised in a hook, with hooks off: so
 *                xpcall's script handler is skipped once tripped, and a coroutine
 *                killed by the hook (it keeps hooks off) is never closed, since its
 *                __close handlers would run unmetered. Nested entries (a binding that
 *                calls back into Lua) share the outer entry's budget.
 *   memory       the allocator refuses past memory_limit_bytes; the script sees
 *                "not enough memory", the host "memory budget exhausted".
 *   C stack      Lua 5.4.4's lua_resetthread does not carry the C-call count across
 *                coroutine.close, so closes nested through __close handlers overflow the
 *                C stack (fixed upstream in 5.4.6 by lua_closethread). Every
 *                resume/wrap/close here counts a nesting depth (limit
 *                PK_SB_CO_DEPTH_MAX) and measures the C stack used since the entry
 *                (limit PK_SB_CSTACK_MAX), raising "coroutine nesting too deep".
 *   pairs        iterates a sorted snapshot of the keys: numbers (numerically), then
 *                strings (bytewise), then false, true, then other keys in the order a
 *                raw next() met them — that last order is not stable between states and
 *                results must not depend on it. __pairs is honoured. `next` follows the
 *                same order (a scan per call: O(n^2) for a whole loop).
 *   table.sort   a stable merge sort: Lua's quicksort randomises its pivot from the
 *                clock on unbalanced partitions.
 * Residual risks (documented, not defended):
 *   - Lua pattern matching (find/match/gmatch/gsub) runs in C and is not instruction
 *     counted: a pathological pattern on a long subject can run for a long time.
 *   - tostring(table/function) and string.format("%p") show addresses; weak tables
 *     (__mode) depend on GC timing. Results must not depend on them.
 *   - the memory budget is not sticky: a script may catch "not enough memory" with
 *     pcall and go on (it stays within the limit). The instruction budget is checked
 *     every PK_SB_HOOK_EVERY instructions, so it may overrun by up to that many.
 *   - the sandbox pointer is the allocator's userdata: binding code must not replace
 *     the allocator (lua_setallocf).
 */
#include "sandbox.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "pkosim/rng.h"

enum {
    PK_SB_HOOK_EVERY = 1000,  /* instructions between two hook calls while within budget */
    PK_SB_CO_DEPTH_MAX = 150, /* nested resume/close levels; well below LUAI_MAXCCALLS (200) */
    PK_SB_MODNAME_MAX = 128,  /* bytes in a module name */
    PK_SB_WHERE_MAX = 512
};
/* C stack a chain of nested coroutines may use, measured from the entry. A nesting level
 * may add up to ~200 nested C calls of its own before the next resume/close is seen, so
 * the worst case stays about this plus one level, far below an 8 MiB thread stack. */
#define PK_SB_CSTACK_MAX ((size_t)1 << 20)
#define PK_SB_DEFAULT_MEMORY ((size_t)256 << 20)
#define PK_SB_DEFAULT_INSTRUCTIONS UINT64_C(200000000)

struct pk_sandbox {
    lua_State *L;
    size_t mem_used, mem_limit;
    int mem_refused;          /* the allocator refused a request during this entry */
    uint64_t instr_limit, instr_left;
    int hook_every;
    int tripped;              /* instruction budget exhausted: every hook call raises */
    char trip_src[512];       /* where the budget ran out (full path when known) */
    int trip_line;
    int entry_depth;          /* nested pk_sandbox_call / dofile (binding callbacks) */
    int co_depth;             /* nested coroutine resume/close levels */
    uintptr_t cstack_base;    /* frame address at the outermost entry */
    char err_src[512];        /* full source of the frame named by the last error prefix */
    pk_rng rng;
    uint64_t rng_key;
    int env_ref, modcache_ref;
    int poison_ref;           /* weak-keyed set of threads killed by the budget */
    int ids_ref;              /* weak-keyed table: object -> its number for tostring */
    lua_Integer next_id;
    char *require_dirs[4];
    void (*log_fn)(void *user, const char *where, const char *msg);
    void *log_user;
};

/* The sandbox is the allocator's userdata, so any thread (coroutine) finds it. */
static pk_sandbox *sb_of(lua_State *L) {
    void *ud = NULL;
    (void)lua_getallocf(L, &ud);
    return (pk_sandbox *)ud;
}

#if defined(__GNUC__)
#define SB_FRAME() ((uintptr_t)__builtin_frame_address(0))
#else
#define SB_FRAME() ((uintptr_t)&(char){0})
#endif

/* ---- memory budget -------------------------------------------------------------- */

static void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    pk_sandbox *sb = ud;
    size_t old = ptr ? osize : 0; /* without ptr, osize encodes the object type */
    if (nsize == 0) {
        free(ptr);
        sb->mem_used -= old;
        return NULL;
    }
    if (nsize > old && nsize - old > sb->mem_limit - sb->mem_used) {
        sb->mem_refused = 1; /* Lua collects and retries once, then raises LUA_ERRMEM */
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (!p) {
        sb->mem_refused = 1;
        return NULL;
    }
    sb->mem_used = sb->mem_used - old + nsize;
    return p;
}

/* ---- instruction budget --------------------------------------------------------- */

static void sb_hook(lua_State *L, lua_Debug *ar);

/* Arm one thread's hook for the current mode. Hooks are per thread in Lua 5.4. */
static void sb_arm(pk_sandbox *sb, lua_State *T) {
    if (sb->tripped)
        lua_sethook(T, sb_hook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
    else
        lua_sethook(T, sb_hook, LUA_MASKCOUNT, sb->hook_every);
}

static void sb_hook(lua_State *L, lua_Debug *ar) {
    pk_sandbox *sb = sb_of(L);
    if (!sb->tripped) {
        if (ar->event != LUA_HOOKCOUNT) return;
        uint64_t n = (uint64_t)lua_gethookcount(L); /* this thread's period */
        if (n < sb->instr_left) {
            sb->instr_left -= n;
            return;
        }
        sb->instr_left = 0;
        sb->tripped = 1;
        sb->trip_src[0] = '\0';
        sb->trip_line = 0;
        if (lua_getinfo(L, "Sl", ar)) {
            snprintf(sb->trip_src, sizeof sb->trip_src, "%s",
                     ar->source[0] == '@' ? ar->source + 1 : ar->short_src);
            sb->trip_line = ar->currentline;
        }
        sb_arm(sb, L);
        sb_arm(sb, sb->L);
    }
    luaL_where(L, 0);
    lua_pushfstring(L, "instruction budget exhausted (limit %I instructions)",
                    (lua_Integer)sb->instr_limit);
    lua_concat(L, 2);
    lua_error(L);
}

/* ---- entries -------------------------------------------------------------------- */

static void sb_enter(pk_sandbox *sb, uintptr_t frame) {
    if (sb->entry_depth++ == 0) {
        /* A nested entry (a binding calling back into Lua) shares the outer budget,
         * otherwise a callback would be a way to get a fresh one. */
        sb->instr_left = sb->instr_limit;
        sb->tripped = 0;
        sb->mem_refused = 0;
        sb->co_depth = 0;
        sb->err_src[0] = '\0';
        sb->cstack_base = frame;
        sb_arm(sb, sb->L);
    }
}

static void sb_leave(pk_sandbox *sb) { sb->entry_depth--; }

static int sb_split_where(const char *msg, size_t *src_len, const char **rest);

/* Message handler: error value -> string + traceback. Also remembers the full source of
 * the frame the "short_src:line:" prefix names (short_src is cut at LUA_IDSIZE). */
static int sb_msgh(lua_State *L) {
    pk_sandbox *sb = sb_of(L);
    const char *msg = lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER
                          ? lua_tostring(L, 1)
                          : NULL;
    if (!msg) {
        /* After a trip the hook may have raised this error: hooks are off in here, so
         * no script code (__tostring) may run. */
        if (!sb->tripped && luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);
        else
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    sb->err_src[0] = '\0';
    size_t where_len;
    const char *where_rest;
    if (sb_split_where(msg, &where_len, &where_rest) == 0) {
        /* raised by a C function (string.format's "bad argument", a sim call) or with
         * error(msg, 0): no "file:line:" of its own, so give it the line of the innermost
         * Lua code running, which is where the script went wrong */
        lua_Debug ar;
        for (int level = 1; level < 64 && lua_getstack(L, level, &ar); level++)
            if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
                msg = lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, msg);
                break;
            }
    }
    const char *colon = strchr(msg, ':');
    if (colon) {
        size_t plen = (size_t)(colon - msg);
        lua_Debug ar;
        for (int level = 0; level < 64 && lua_getstack(L, level, &ar); level++) {
            if (!lua_getinfo(L, "S", &ar) || ar.source[0] != '@') continue;
            if (strlen(ar.short_src) == plen && memcmp(ar.short_src, msg, plen) == 0) {
                snprintf(sb->err_src, sizeof sb->err_src, "%s", ar.source + 1);
                break;
            }
        }
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* Split "src:line: rest" (Lua's position prefix). Returns the line, 0 when absent. */
static int sb_split_where(const char *msg, size_t *src_len, const char **rest) {
    const char *p = msg;
    if (strncmp(p, "[string \"", 9) == 0) {
        const char *q = strstr(p, "\"]:");
        if (q) p = q + 2;
    }
    const char *eol = strchr(p, '\n'); /* the prefix is on the first line only */
    for (p = strchr(p, ':'); p && (!eol || p < eol); p = strchr(p + 1, ':')) {
        const char *d = p + 1;
        long line = 0;
        while (*d >= '0' && *d <= '9' && line < 100000000) line = line * 10 + (*d++ - '0');
        if (d > p + 1 && *d == ':') {
            *src_len = (size_t)(p - msg);
            *rest = d[1] == ' ' ? d + 2 : d + 1;
            return (int)line;
        }
    }
    return 0;
}

/* Fill err from a failed entry; the error value is on top of the stack. */
static pk_status sb_fail(pk_sandbox *sb, int status, const char *file, pk_error *err) {
    lua_State *L = sb->L;
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(error object is not a string)";
    if (sb->tripped) {
        const char *tb = strstr(msg, "\nstack traceback:");
        return pk_error_set(err, sb->trip_src[0] ? sb->trip_src : file, sb->trip_line, NULL,
                            "instruction budget exhausted (limit %llu instructions)%s",
                            (unsigned long long)sb->instr_limit, tb ? tb : "");
    }
    if (status == LUA_ERRMEM ||
        (sb->mem_refused && (status == LUA_ERRERR || strncmp(msg, "not enough memory", 17) == 0)))
        return pk_error_set(err, file, 0, NULL, "memory budget exhausted (limit %llu bytes)",
                            (unsigned long long)sb->mem_limit);
    size_t src_len = 0;
    const char *rest = msg;
    int line = sb_split_where(msg, &src_len, &rest);
    if (line == 0) return pk_error_set(err, file, 0, NULL, "%s", msg);
    /* Errors passed up through nested coroutine.wrap / __close collect the same prefix
     * once per level; keep one so the message itself fits in the record. */
    size_t plen = (size_t)(rest - msg);
    while (strncmp(rest, msg, plen) == 0) rest += plen;
    for (;;) { /* and runs of one inner prefix (assert re-raising at each level) */
        size_t ilen;
        const char *after;
        if (!sb_split_where(rest, &ilen, &after)) break;
        ilen = (size_t)(after - rest);
        if (strncmp(after, rest, ilen) != 0) break;
        rest = after;
    }
    char src[512];
    snprintf(src, sizeof src, "%.*s", (int)(src_len < sizeof src ? src_len : sizeof src - 1), msg);
    const char *full = src;
    size_t flen = file ? strlen(file) : 0;
    if (sb->err_src[0]) {
        full = sb->err_src; /* the message handler matched the frame */
    } else if (strncmp(src, "...", 3) == 0 && flen >= src_len - 3 &&
               strcmp(file + flen - (src_len - 3), src + 3) == 0) {
        full = file; /* cut at LUA_IDSIZE: the entry's own file */
    }
    return pk_error_set(err, full, line, NULL, "%s", rest);
}

/* ---- loading text chunks -------------------------------------------------------- */

/* Push the chunk in `path` (text only) or raise. Must run under a protected call. */
static void sb_loadfile(lua_State *L, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) luaL_error(L, "cannot open: %s", strerror(errno));
    int c = fgetc(f);
    fclose(f); /* closed before anything can raise, so an error never leaks it */
    if (c == 0x1B) luaL_error(L, "%s: binary chunks are not allowed in the sandbox", path);
    if (luaL_loadfilex(L, path, "t") != LUA_OK) lua_error(L);
    pk_sandbox *sb = sb_of(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->env_ref);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
}

static int sb_loadfile_k(lua_State *L) {
    sb_loadfile(L, (const char *)lua_touserdata(L, 1));
    return 1;
}

/* ---- script-facing base functions ----------------------------------------------- */

static int sb_finishpcall(lua_State *L, int status, lua_KContext extra) {
    if (status != LUA_OK && status != LUA_YIELD) {
        if (sb_of(L)->tripped) return lua_error(L); /* the budget abort is not catchable */
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

static int sb_pcall(lua_State *L) {
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, sb_finishpcall);
    return sb_finishpcall(L, status, 0);
}

/* The script's message handler runs where the error was raised. An error raised by the
 * budget hook is raised inside the hook, where Lua has turned hooks off: a handler
 * that loops there would never be stopped. So once the budget has tripped the
 * script's handler is not called at all. */
static int sb_xpcall_handler(lua_State *L) {
    if (sb_of(L)->tripped) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int sb_xpcall(lua_State *L) {
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, sb_xpcall_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, sb_finishpcall);
    return sb_finishpcall(L, status, 2);
}

static int sb_setmetatable(lua_State *L) {
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc metamethods are not allowed in the sandbox");
        lua_pop(L, 1);
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/* load(chunk [, chunkname [, mode [, env]]]): text chunks only; mode is always "t". */
static int sb_load(lua_State *L) {
    pk_sandbox *sb = sb_of(L);
    if (lua_type(L, 1) != LUA_TSTRING) {
        if (lua_type(L, 1) == LUA_TFUNCTION) {
            luaL_pushfail(L);
            lua_pushliteral(L, "load: reader functions are not supported in the sandbox (pass a string)");
            return 2;
        }
        return luaL_typeerror(L, 1, "string");
    }
    size_t len;
    const char *chunk = lua_tolstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, chunk);
    int has_env = !lua_isnone(L, 4);
    if (has_env) luaL_argexpected(L, lua_type(L, 4) == LUA_TTABLE, 4, "table");
    if (len > 0 && chunk[0] == 0x1B) {
        luaL_pushfail(L);
        lua_pushliteral(L, "load: binary chunks are not allowed in the sandbox");
        return 2;
    }
    /* "@name" would make error messages claim a file path; show it as plain text. */
    if (name[0] == '@') name = lua_pushfstring(L, "=%s", name + 1);
    if (luaL_loadbufferx(L, chunk, len, name, "t") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (has_env)
        lua_pushvalue(L, 4);
    else
        lua_rawgeti(L, LUA_REGISTRYINDEX, sb->env_ref);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    return 1;
}

static int sb_valid_modname(const char *s, size_t len) {
    if (len == 0 || len > PK_SB_MODNAME_MAX) return 0;
    int seg = 0; /* characters in the current segment */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            if (seg == 0) return 0;
            seg = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
            seg++;
        } else {
            return 0;
        }
    }
    return seg > 0;
}

static int sb_require(lua_State *L) {
    pk_sandbox *sb = sb_of(L);
    size_t len;
    const char *name = luaL_checklstring(L, 1, &len);
    if (!sb_valid_modname(name, len))
        return luaL_error(L, "require: invalid module name '%s' (letters, digits and '_' "
                             "separated by '.'; no paths)", name);
    lua_settop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->modcache_ref); /* 2: private cache */
    if (lua_getfield(L, 2, name) != LUA_TNIL) {
        if (lua_type(L, -1) == LUA_TLIGHTUSERDATA)
            return luaL_error(L, "require: module '%s' requires itself while loading", name);
        return 1;
    }
    lua_pop(L, 1);
    char rel[PK_SB_MODNAME_MAX + 8];
    for (size_t i = 0; i < len; i++) rel[i] = name[i] == '.' ? '/' : name[i];
    memcpy(rel + len, ".lua", 5);
    for (int i = 0; i < 4 && sb->require_dirs[i]; i++) {
        const char *path = lua_pushfstring(L, "%s/%s", sb->require_dirs[i], rel);
        FILE *f = fopen(path, "rb");
        if (!f) {
            lua_pop(L, 1);
            continue;
        }
        fclose(f);
        sb_loadfile(L, path); /* 4: chunk */
        lua_pushlightuserdata(L, sb); /* "loading" mark, for require loops */
        lua_setfield(L, 2, name);
        lua_pushvalue(L, 1);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            lua_pushnil(L);
            lua_setfield(L, 2, name); /* a failed module is not cached */
            return lua_error(L);
        }
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            lua_pushboolean(L, 1);
        }
        lua_pushvalue(L, -1);
        lua_setfield(L, 2, name);
        return 1;
    }
    return luaL_error(L, "require: module '%s' not found in the script folders", name);
}

/* tostring without addresses: Lua prints tables, functions, threads and userdata as
 * "table: 0x55d1…", an address that changes from run to run, so a script that logs one
 * would break byte-identical outputs. Here such a value is "table #N", N counting the
 * objects in the order the script first shows them. __tostring is honoured. */
static void sb_push_tostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    int t = lua_type(L, idx);
    if (t != LUA_TTABLE && t != LUA_TFUNCTION && t != LUA_TTHREAD && t != LUA_TUSERDATA && t != LUA_TLIGHTUSERDATA) {
        luaL_tolstring(L, idx, NULL);
        return;
    }
    if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        lua_pop(L, 1);
        luaL_tolstring(L, idx, NULL);
        return;
    }
    pk_sandbox *sb = sb_of(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->ids_ref);
    lua_pushvalue(L, idx);
    lua_Integer id;
    if (lua_rawget(L, -2) == LUA_TNUMBER) {
        id = lua_tointeger(L, -1);
        lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
        id = ++sb->next_id;
        lua_pushvalue(L, idx);
        lua_pushinteger(L, id);
        lua_rawset(L, -3);
    }
    lua_pop(L, 1);
    const char *kind = luaL_typename(L, idx);
    int nt = luaL_getmetafield(L, idx, "__name"); /* pushes only when present */
    if (nt == LUA_TSTRING) {
        lua_pushfstring(L, "%s #%I", lua_tostring(L, -1), id);
        lua_remove(L, -2);
    } else {
        if (nt != LUA_TNIL) lua_pop(L, 1); /* a __name that is not a string */
        lua_pushfstring(L, "%s #%I", kind, id);
    }
}

static int sb_tostring(lua_State *L) {
    luaL_checkany(L, 1);
    sb_push_tostring(L, 1);
    return 1;
}

/* string.format with %s of an object shows no address either, and %p is refused. */
static int sb_format(lua_State *L) {
    size_t len;
    const char *fmt = luaL_checklstring(L, 1, &len);
    for (size_t i = 0; i + 1 < len; i++) {
        if (fmt[i] != '%') continue;
        i++;
        if (fmt[i] == '%') continue;
        while (i < len && strchr("-+ #0", fmt[i])) i++;
        while (i < len && ((fmt[i] >= '0' && fmt[i] <= '9') || fmt[i] == '.')) i++;
        if (i < len && fmt[i] == 'p') return luaL_error(L, "string.format: '%%p' (an address) is not available in the sandbox");
    }
    int n = lua_gettop(L);
    for (int i = 2; i <= n; i++) {
        int t = lua_type(L, i);
        if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TTHREAD || t == LUA_TUSERDATA || t == LUA_TLIGHTUSERDATA) {
            sb_push_tostring(L, i);
            lua_replace(L, i);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, 1);
    return 1;
}

static int sb_log(lua_State *L) {
    pk_sandbox *sb = sb_of(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        sb_push_tostring(L, i);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    char where[PK_SB_WHERE_MAX] = "?";
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar))
        snprintf(where, sizeof where, "%s:%d", ar.short_src, ar.currentline);
    if (sb->log_fn) sb->log_fn(sb->log_user, where, lua_tostring(L, -1));
    return 0;
}

/* ---- deterministic pairs -------------------------------------------------------- */

typedef struct sb_key {
    int rank; /* 0 number, 1 string, 2 boolean, 3 other */
    int isint;
    lua_Integer i;
    lua_Number f;
    const char *s;
    size_t len;
    lua_Integer pos; /* first-seen position in the raw traversal */
} sb_key;

static int sb_key_cmp(const void *pa, const void *pb) {
    const sb_key *a = pa, *b = pb;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    switch (a->rank) {
    case 0:
        if (a->isint && b->isint) return a->i < b->i ? -1 : a->i > b->i;
        {
            lua_Number x = a->isint ? (lua_Number)a->i : a->f;
            lua_Number y = b->isint ? (lua_Number)b->i : b->f;
            if (x != y) return x < y ? -1 : 1;
            if (a->isint != b->isint) return a->isint ? -1 : 1; /* 2^63 as int vs float */
            return 0;
        }
    case 1: {
        size_t m = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, m);
        if (c) return c;
        return a->len < b->len ? -1 : a->len > b->len;
    }
    case 2:
        return a->i < b->i ? -1 : a->i > b->i;
    default:
        return a->pos < b->pos ? -1 : a->pos > b->pos;
    }
}

static int sb_pairs_iter(lua_State *L) {
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
    for (;;) {
        i++;
        if (lua_rawgeti(L, lua_upvalueindex(1), i) == LUA_TNIL) return 1; /* done: nil */
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL) { /* keys removed during the loop are skipped */
            lua_pushinteger(L, i);
            lua_replace(L, lua_upvalueindex(2));
            return 2;
        }
        lua_pop(L, 2);
    }
}

static int sb_pairs(lua_State *L) {
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) { /* as Lua 5.4's pairs */
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_newtable(L); /* 2: keys in raw traversal order */
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, 2, ++n);
    }
    luaL_argcheck(L, (size_t)n < SIZE_MAX / sizeof(sb_key), 1, "table too big");
    sb_key *keys = lua_newuserdatauv(L, (size_t)n * sizeof *keys + 1, 0); /* 3 */
    for (lua_Integer k = 1; k <= n; k++) {
        sb_key *e = &keys[k - 1];
        memset(e, 0, sizeof *e);
        e->pos = k;
        switch (lua_rawgeti(L, 2, k)) {
        case LUA_TNUMBER:
            e->rank = 0;
            e->isint = lua_isinteger(L, -1);
            if (e->isint)
                e->i = lua_tointeger(L, -1);
            else
                e->f = lua_tonumber(L, -1);
            break;
        case LUA_TSTRING:
            e->rank = 1;
            e->s = lua_tolstring(L, -1, &e->len); /* anchored by the keys table */
            break;
        case LUA_TBOOLEAN:
            e->rank = 2;
            e->i = lua_toboolean(L, -1);
            break;
        default:
            e->rank = 3;
            break;
        }
        lua_pop(L, 1);
    }
    if (n > 1) qsort(keys, (size_t)n, sizeof *keys, sb_key_cmp); /* a total order: deterministic */
    lua_createtable(L, n < INT_MAX ? (int)n : 0, 0); /* 4: sorted keys */
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, 2, keys[k - 1].pos);
        lua_rawseti(L, 4, k);
    }
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, sb_pairs_iter, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Fill a key record from the value at idx (strings stay anchored by their table). */
static void sb_key_fill(lua_State *L, int idx, sb_key *e) {
    memset(e, 0, sizeof *e);
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        e->isint = lua_isinteger(L, idx);
        if (e->isint) e->i = lua_tointeger(L, idx);
        else e->f = lua_tonumber(L, idx);
        break;
    case LUA_TSTRING:
        e->rank = 1;
        e->s = lua_tolstring(L, idx, &e->len);
        break;
    case LUA_TBOOLEAN:
        e->rank = 2;
        e->i = lua_toboolean(L, idx);
        break;
    default:
        e->rank = 3;
    }
}

/* Deterministic next: the key after `k` in the order pairs uses (numbers, strings,
 * booleans sorted; other keys after them in raw order). Each call scans the table, so
 * a loop over next costs O(n^2): scripts should walk big tables with pairs. */
static int sb_next(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    sb_key cur, best_key;
    int have_cur = !lua_isnil(L, 2);
    if (have_cur) {
        lua_pushvalue(L, 2);
        if (lua_rawget(L, 1) == LUA_TNIL) return luaL_error(L, "invalid key to 'next'");
        lua_pop(L, 1);
        sb_key_fill(L, 2, &cur);
    }
    if (have_cur && cur.rank == 3) { /* among the unordered keys: raw order */
        lua_pushvalue(L, 2);
        while (lua_next(L, 1)) {
            if (lua_type(L, -2) != LUA_TNUMBER && lua_type(L, -2) != LUA_TSTRING && lua_type(L, -2) != LUA_TBOOLEAN)
                return 2;
            lua_pop(L, 1);
        }
        lua_pushnil(L);
        return 1;
    }
    lua_pushnil(L); /* 3: the best key so far */
    int found = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        sb_key e;
        sb_key_fill(L, -1, &e);
        if (e.rank == 3 || (have_cur && sb_key_cmp(&e, &cur) <= 0)) continue;
        if (!found || sb_key_cmp(&e, &best_key) < 0) {
            best_key = e;
            found = 1;
            lua_pushvalue(L, -1);
            lua_replace(L, 3);
        }
    }
    if (found) {
        lua_pushvalue(L, 3);
        lua_pushvalue(L, 3);
        lua_rawget(L, 1);
        return 2;
    }
    lua_pushnil(L); /* then the first unordered key, if any */
    while (lua_next(L, 1)) {
        if (lua_type(L, -2) != LUA_TNUMBER && lua_type(L, -2) != LUA_TSTRING && lua_type(L, -2) != LUA_TBOOLEAN)
            return 2;
        lua_pop(L, 1);
    }
    lua_pushnil(L);
    return 1;
}

/* ---- table.sort: stable, deterministic merge sort ------------------------------ */

static int sb_sort_less(lua_State *L, int a, int b) {
    if (lua_isnil(L, 2)) return lua_compare(L, a, b, LUA_OPLT);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, a);
    lua_pushvalue(L, b);
    lua_call(L, 2, 1);
    int r = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return r;
}

static int sb_tsort(lua_State *L) {
    lua_Integer n = luaL_len(L, 1);
    if (n < 2) return 0;
    luaL_argcheck(L, n < INT_MAX, 1, "array too big");
    if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    lua_createtable(L, (int)n, 0); /* 3 */
    lua_createtable(L, (int)n, 0); /* 4 */
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        lua_rawseti(L, 3, i);
    }
    int src = 3, dst = 4;
    for (lua_Integer w = 1; w < n; w *= 2) {
        for (lua_Integer lo = 1; lo <= n; lo += 2 * w) {
            lua_Integer mid = lo + w < n + 1 ? lo + w : n + 1;
            lua_Integer hi = lo + 2 * w < n + 1 ? lo + 2 * w : n + 1;
            lua_Integer i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                lua_rawgeti(L, src, i);
                lua_rawgeti(L, src, j);
                if (sb_sort_less(L, lua_gettop(L), lua_gettop(L) - 1)) { /* right < left */
                    lua_rawseti(L, dst, k++);
                    lua_pop(L, 1);
                    j++;
                } else {
                    lua_pop(L, 1);
                    lua_rawseti(L, dst, k++);
                    i++;
                }
            }
            for (; i < mid; i++) {
                lua_rawgeti(L, src, i);
                lua_rawseti(L, dst, k++);
            }
            for (; j < hi; j++) {
                lua_rawgeti(L, src, j);
                lua_rawseti(L, dst, k++);
            }
        }
        int t = src;
        src = dst;
        dst = t;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, src, i);
        lua_seti(L, 1, i);
    }
    return 0;
}

/* ---- math.random from the engine stream ----------------------------------------- */

static int sb_random(lua_State *L) {
    pk_sandbox *sb = sb_of(L);
    lua_Integer low, up;
    switch (lua_gettop(L)) {
    case 0:
        lua_pushnumber(L, (lua_Number)pk_rng_uniform(&sb->rng));
        return 1;
    case 1:
        low = 1;
        up = luaL_checkinteger(L, 1);
        if (up == 0) { /* as Lua 5.4: math.random(0) is a whole random integer */
            lua_pushinteger(L, (lua_Integer)pk_rng_next(&sb->rng));
            return 1;
        }
        break;
    case 2:
        low = luaL_checkinteger(L, 1);
        up = luaL_checkinteger(L, 2);
        break;
    default:
        return luaL_error(L, "wrong number of arguments");
    }
    luaL_argcheck(L, low <= up, 1, "interval is empty");
    uint64_t span = (uint64_t)up - (uint64_t)low;
    uint64_t r = span == UINT64_MAX ? pk_rng_next(&sb->rng) : pk_rng_below(&sb->rng, span + 1);
    lua_pushinteger(L, (lua_Integer)((uint64_t)low + r));
    return 1;
}

/* math.randomseed([x [, y]]): restart the engine stream from (rng_key, x, y); without
 * arguments, from rng_key alone. Never from the clock. */
static int sb_randomseed(lua_State *L) {
    pk_sandbox *sb = sb_of(L);
    uint64_t key = sb->rng_key;
    if (!lua_isnone(L, 1)) {
        uint64_t x = (uint64_t)luaL_checkinteger(L, 1);
        uint64_t y = (uint64_t)luaL_optinteger(L, 2, 0);
        key = pk_mix64(pk_mix64(key ^ pk_mix64(x)) ^ y);
    }
    pk_rng_init(&sb->rng, key);
    return 0;
}

/* ---- coroutines: hooked threads, nesting guard ----------------------------------- */

static void sb_co_guard(lua_State *L, pk_sandbox *sb) {
    uintptr_t here = SB_FRAME();
    size_t used = here < sb->cstack_base ? sb->cstack_base - here : here - sb->cstack_base;
    if (sb->co_depth >= PK_SB_CO_DEPTH_MAX)
        luaL_error(L, "coroutine nesting too deep (limit %d)", (int)PK_SB_CO_DEPTH_MAX);
    if (used > PK_SB_CSTACK_MAX)
        luaL_error(L, "coroutine nesting too deep (C stack limit %d KiB)", (int)(PK_SB_CSTACK_MAX >> 10));
}

/* Push poison[co] (a thread that died while the budget was tripped). */
static int sb_poisoned(lua_State *L, pk_sandbox *sb, lua_State *co, int mark) {
    if (!lua_checkstack(co, 1)) luaL_error(L, "coroutine stack overflow");
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->poison_ref);
    lua_pushthread(co);
    lua_xmove(co, L, 1);
    if (mark) {
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
        lua_pop(L, 1);
        return 1;
    }
    int r = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
    return r;
}

/* lua_resetthread that counts as a nesting level (the 5.4.4 crash path). A thread
 * killed by the budget hook died with its hooks turned off (Lua restores them only
 * when a pcall recovers), so its pending __close handlers would run unmetered: such
 * a thread is never closed; its to-be-closed values are just collected. */
static int sb_closethread(lua_State *L, pk_sandbox *sb, lua_State *co) {
    if (sb_poisoned(L, sb, co, 0))
        luaL_error(L, "cannot close a coroutine stopped by the instruction budget");
    sb_co_guard(L, sb);
    sb->co_depth++;
#if LUA_VERSION_RELEASE_NUM >= 50406
    int status = lua_closethread(co, L);
#else
    int status = lua_resetthread(co);
#endif
    sb->co_depth--;
    return status;
}

static int sb_auxresume(lua_State *L, lua_State *co, int narg) {
    pk_sandbox *sb = sb_of(L);
    int nres;
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1;
    }
    sb_co_guard(L, sb);
    sb_arm(sb, co); /* also re-arms threads left in per-instruction mode by an old trip */
    lua_xmove(L, co, narg);
    sb->co_depth++;
    int status = lua_resume(co, L, narg, &nres);
    sb->co_depth--;
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            lua_pushliteral(L, "too many results to resume");
            return -1;
        }
        lua_xmove(co, L, nres);
        return nres;
    }
    if (sb->tripped) {
        sb_poisoned(L, sb, co, 1);
        lua_xmove(co, L, 1);
        lua_error(L);
    }
    lua_xmove(co, L, 1);
    return -1;
}

static lua_State *sb_getco(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    return co;
}

static int sb_coresume(lua_State *L) {
    lua_State *co = sb_getco(L);
    int r = sb_auxresume(L, co, lua_gettop(L) - 1);
    if (r < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -(r + 1));
    return r + 1;
}

static int sb_cocreate(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *NL = lua_newthread(L);
    sb_arm(sb_of(L), NL);
    lua_pushvalue(L, 1);
    lua_xmove(L, NL, 1);
    return 1;
}

static int sb_auxwrap(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int r = sb_auxresume(L, co, lua_gettop(L));
    if (r < 0) {
        int stat = lua_status(co);
        if (stat != LUA_OK && stat != LUA_YIELD) { /* error in the coroutine: close it */
            stat = sb_closethread(L, sb_of(L), co);
            lua_xmove(co, L, 1);
        }
        if (stat != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L);
    }
    return r;
}

static int sb_cowrap(lua_State *L) {
    sb_cocreate(L);
    lua_pushcclosure(L, sb_auxwrap, 1);
    return 1;
}

static int sb_coclose(lua_State *L) {
    lua_State *co = sb_getco(L);
    pk_sandbox *sb = sb_of(L);
    const char *what = NULL;
    if (co == L) {
        what = "running";
    } else if (lua_status(co) == LUA_OK) {
        lua_Debug ar;
        if (lua_getstack(co, 0, &ar)) what = "normal"; /* it resumed someone: active */
    }
    if (what) return luaL_error(L, "cannot close a %s coroutine", what);
    int status = sb_closethread(L, sb, co);
    if (status == LUA_OK) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_xmove(co, L, 1);
    if (sb->tripped) return lua_error(L);
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

/* ---- pattern matching: refuse patterns whose backtracking could run for hours ----- */

/* Lua's matcher runs in C, where the instruction hook cannot stop it. With q
 * quantifiers (* + - ?) a pattern can backtrack about n^q times on a subject of n
 * characters, times n start positions when unanchored. Refuse when that bound passes
 * 10^10 steps (about a minute of C): ordinary scenario code (splitting, trimming,
 * parsing short strings) stays far below it. */
static int sb_pattern_guard(lua_State *L) {
    size_t n, plen;
    const char *subject = luaL_checklstring(L, 1, &n);
    const char *pat = luaL_checklstring(L, 2, &plen);
    (void)subject;
    int plain = lua_toboolean(L, 4) && lua_tointeger(L, lua_upvalueindex(2)) == 1; /* find(s, p, init, plain) */
    if (!plain) {
        int q = 0;
        for (size_t i = 0; i < plen; i++) {
            if (pat[i] == '%') {
                i++;
                continue;
            }
            if (pat[i] == '*' || pat[i] == '+' || pat[i] == '-' || pat[i] == '?') q++;
        }
        double steps = (double)q * log10((double)n + 2.0);
        if (plen == 0 || pat[0] != '^') steps += log10((double)n + 2.0);
        if (q > 0 && steps > 10.0)
            return luaL_error(L, "pattern too complex for a subject of %d characters: %d repetition items could take "
                                 "more than 10^10 matching steps (the sandbox cannot interrupt the matcher)",
                              (int)(n > INT_MAX ? INT_MAX : n), q);
    }
    int nargs = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, nargs, LUA_MULTRET);
    return lua_gettop(L);
}

/* Wrap the matching functions of the string table at the top of the stack. */
static void sb_guard_patterns(lua_State *L) {
    static const char *const fns[] = {"find", "match", "gmatch", "gsub", NULL};
    for (int i = 0; fns[i]; i++) {
        lua_getfield(L, -1, fns[i]);
        lua_pushinteger(L, i == 0); /* only find has a `plain` argument */
        lua_pushcclosure(L, sb_pattern_guard, 2);
        lua_setfield(L, -2, fns[i]);
    }
}

/* ---- building the environment ---------------------------------------------------- */

/* Copy the library table at the top into a fresh table, leaving out `skip` (may be
 * NULL); replaces the original on the stack. */
static void sb_copy_lib(lua_State *L, const char *skip) {
    int src = lua_gettop(L);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, src)) {
        if (skip && lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), skip) == 0) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, src + 1);
    }
    lua_remove(L, src);
}

static int sb_setup(lua_State *L) {
    pk_sandbox *sb = lua_touserdata(L, 1);
    static const struct {
        const char *name;
        lua_CFunction open;
    } libs[] = {{LUA_GNAME, luaopen_base},          {LUA_STRLIBNAME, luaopen_string},
                {LUA_TABLIBNAME, luaopen_table},    {LUA_MATHLIBNAME, luaopen_math},
                {LUA_UTF8LIBNAME, luaopen_utf8},    {LUA_COLIBNAME, luaopen_coroutine}};
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        luaL_requiref(L, libs[i].name, libs[i].open, 0);
        lua_pop(L, 1);
    }
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE); /* 2 */
    lua_newtable(L);                                          /* 3: the scripts' _ENV */

    static const char *const from_base[] = {"assert",   "error",        "ipairs", "rawequal",
                                            "rawget",   "rawlen",       "rawset", "select",   "getmetatable",
                                            "tonumber", "type",   "_VERSION", NULL};
    lua_getfield(L, 2, LUA_GNAME);
    for (int i = 0; from_base[i]; i++) {
        lua_getfield(L, -1, from_base[i]);
        lua_setfield(L, 3, from_base[i]);
    }
    lua_pop(L, 1);
    static const luaL_Reg own[] = {{"pairs", sb_pairs},   {"pcall", sb_pcall},     {"xpcall", sb_xpcall},
                                   {"setmetatable", sb_setmetatable},              {"load", sb_load},
                                   {"require", sb_require}, {"log", sb_log},       {"next", sb_next}, {"tostring", sb_tostring},
                                   {NULL, NULL}};
    lua_pushvalue(L, 3);
    luaL_setfuncs(L, own, 0);
    lua_pop(L, 1);

    lua_getfield(L, 2, LUA_STRLIBNAME);
    sb_copy_lib(L, "dump");
    sb_guard_patterns(L);
    lua_getfield(L, -1, "format");
    lua_pushcclosure(L, sb_format, 1);
    lua_setfield(L, -2, "format");
    lua_pushvalue(L, -1);
    lua_setfield(L, 3, "string");
    /* Strings index the safe copy; getmetatable("") returns false. The arithmetic
     * metamethods stay (they are how "10" + 1 works in 5.4) but are unreachable. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 3);

    lua_getfield(L, 2, LUA_TABLIBNAME);
    sb_copy_lib(L, NULL);
    lua_pushcfunction(L, sb_tsort);
    lua_setfield(L, -2, "sort");
    lua_setfield(L, 3, "table");

    lua_getfield(L, 2, LUA_MATHLIBNAME);
    sb_copy_lib(L, NULL);
    lua_pushcfunction(L, sb_random);
    lua_setfield(L, -2, "random");
    lua_pushcfunction(L, sb_randomseed);
    lua_setfield(L, -2, "randomseed");
    lua_setfield(L, 3, "math");

    lua_getfield(L, 2, LUA_UTF8LIBNAME);
    sb_copy_lib(L, NULL);
    lua_setfield(L, 3, "utf8");

    lua_getfield(L, 2, LUA_COLIBNAME);
    sb_copy_lib(L, NULL);
    static const luaL_Reg co[] = {{"create", sb_cocreate}, {"resume", sb_coresume}, {"wrap", sb_cowrap},
                                  {"close", sb_coclose},   {NULL, NULL}};
    luaL_setfuncs(L, co, 0);
    lua_setfield(L, 3, "coroutine");

    lua_pushvalue(L, 3);
    lua_setfield(L, 3, "_G"); /* the sandbox env, not the real globals */

    lua_pushvalue(L, 3);
    sb->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_newtable(L);
    sb->modcache_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_newtable(L);
    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    sb->poison_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_newtable(L); /* object numbers for tostring, weak so they never keep objects alive */
    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    sb->ids_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/* ---- public API ------------------------------------------------------------------- */

pk_sandbox_config pk_sandbox_config_default(void) {
    pk_sandbox_config c;
    memset(&c, 0, sizeof c);
    c.memory_limit_bytes = PK_SB_DEFAULT_MEMORY;
    c.instruction_limit = PK_SB_DEFAULT_INSTRUCTIONS;
    return c;
}

static char *sb_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

void pk_sandbox_destroy(pk_sandbox *sb) {
    if (!sb) return;
    if (sb->L) lua_close(sb->L); /* only C finalisers can run: scripts have no __gc */
    for (int i = 0; i < 4; i++) free(sb->require_dirs[i]);
    free(sb);
}

pk_sandbox *pk_sandbox_create(const pk_sandbox_config *cfg) {
    pk_sandbox_config c = cfg ? *cfg : pk_sandbox_config_default();
    pk_sandbox *sb = calloc(1, sizeof *sb);
    if (!sb) return NULL;
    sb->mem_limit = c.memory_limit_bytes ? c.memory_limit_bytes : PK_SB_DEFAULT_MEMORY;
    sb->instr_limit = c.instruction_limit ? c.instruction_limit : PK_SB_DEFAULT_INSTRUCTIONS;
    sb->hook_every = sb->instr_limit < PK_SB_HOOK_EVERY ? (int)sb->instr_limit : PK_SB_HOOK_EVERY;
    sb->rng_key = c.rng_key;
    pk_rng_init(&sb->rng, c.rng_key);
    sb->log_fn = c.log_fn;
    sb->log_user = c.log_user;
    for (int i = 0; i < 4 && c.require_dirs[i]; i++) {
        if (!(sb->require_dirs[i] = sb_strdup(c.require_dirs[i]))) {
            pk_sandbox_destroy(sb);
            return NULL;
        }
    }
    sb->L = lua_newstate(sb_alloc, sb);
    if (!sb->L) {
        pk_sandbox_destroy(sb);
        return NULL;
    }
    lua_pushcfunction(sb->L, sb_setup);
    lua_pushlightuserdata(sb->L, sb);
    if (lua_pcall(sb->L, 1, 0, 0) != LUA_OK) {
        pk_sandbox_destroy(sb);
        return NULL;
    }
    sb_arm(sb, sb->L);
    return sb;
}

lua_State *pk_sandbox_state(pk_sandbox *sb) { return sb->L; }

void pk_sandbox_push_env(pk_sandbox *sb) { lua_rawgeti(sb->L, LUA_REGISTRYINDEX, sb->env_ref); }

size_t pk_sandbox_memory(const pk_sandbox *sb) { return sb->mem_used; }

pk_status pk_sandbox_call(pk_sandbox *sb, int nargs, int nresults, pk_error *err) {
    lua_State *L = sb->L;
    int base = lua_gettop(L) - nargs; /* the function */
    if (nresults < 0 || !lua_checkstack(L, nresults + 2)) {
        lua_settop(L, base - 1);
        return pk_error_set(err, NULL, 0, NULL, nresults < 0 ? "pk_sandbox_call: LUA_MULTRET not allowed"
                                                             : "pk_sandbox_call: Lua stack exhausted");
    }
    lua_pushcfunction(L, sb_msgh);
    lua_insert(L, base);
    sb_enter(sb, SB_FRAME());
    int status = lua_pcall(L, nargs, nresults, base);
    sb_leave(sb);
    if (status == LUA_OK) {
        lua_remove(L, base);
        return PK_OK;
    }
    pk_status st = sb_fail(sb, status, NULL, err);
    lua_settop(L, base - 1);
    return st;
}

pk_status pk_sandbox_dofile(pk_sandbox *sb, const char *path, pk_error *err) {
    lua_State *L = sb->L;
    if (!lua_checkstack(L, 4)) return pk_error_set(err, path, 0, NULL, "Lua stack exhausted");
    int base = lua_gettop(L);
    /* Load first, without a traceback: a syntax error is reported as file:line only. */
    lua_pushcfunction(L, sb_loadfile_k);
    lua_pushlightuserdata(L, (void *)path);
    sb_enter(sb, SB_FRAME());
    int status = lua_pcall(L, 1, 1, 0);
    sb_leave(sb);
    if (status != LUA_OK) {
        sb->err_src[0] = '\0';
        pk_status st = sb_fail(sb, status, path, err);
        lua_settop(L, base);
        return st;
    }
    lua_pushcfunction(L, sb_msgh);
    lua_insert(L, base + 1);
    sb_enter(sb, SB_FRAME());
    status = lua_pcall(L, 0, 1, base + 1);
    sb_leave(sb);
    if (status == LUA_OK) {
        lua_remove(L, base + 1);
        return PK_OK;
    }
    pk_status st = sb_fail(sb, status, path, err);
    lua_settop(L, base);
    return st;
}
