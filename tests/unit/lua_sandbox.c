/* lua_sandbox.c — tests of the untrusted-script sandbox (engine/lua/sandbox.c): one test
 * per escape route, each asserting the specific outcome and message. Scripts are written
 * to a private temp folder; nothing here reads the source tree. Must never leave files
 * behind or depend on pairs() order of the real Lua. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "sandbox.h"

#include "test.h"

static char tmpdir[64];
static char made[256][600]; /* files and folders to remove at the end, in creation order */
static int nmade;

static const char *put_file(const char *rel, const char *text, size_t len) {
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "wb");
    if (!f) return NULL;
    fwrite(text, 1, len, f);
    fclose(f);
    if (nmade < 256) snprintf(made[nmade++], sizeof made[0], "%s", path);
    return path;
}
static const char *put(const char *rel, const char *text) { return put_file(rel, text, strlen(text)); }

static void put_dir(const char *rel) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    mkdir(path, 0700);
    if (nmade < 256) snprintf(made[nmade++], sizeof made[0], "%s", path);
}

static pk_sandbox *make(uint64_t instructions, size_t memory) {
    pk_sandbox_config c = pk_sandbox_config_default();
    if (instructions) c.instruction_limit = instructions;
    if (memory) c.memory_limit_bytes = memory;
    c.require_dirs[0] = tmpdir;
    pk_sandbox *sb = pk_sandbox_create(&c);
    REQUIRE(sb != NULL);
    return sb;
}

/* Run `text` as file `name`; on success pops the result into *out (a copy, if string). */
static pk_status run(pk_sandbox *sb, const char *name, const char *text, pk_error *err, char *out, size_t outn) {
    const char *path = put(name, text);
    REQUIRE(path != NULL);
    lua_State *L = pk_sandbox_state(sb);
    int top = lua_gettop(L);
    pk_status st = pk_sandbox_dofile(sb, path, err);
    if (st == PK_OK) {
        CHECK(lua_gettop(L) == top + 1);
        if (out && outn) {
            const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a string)";
            snprintf(out, outn, "%s", s);
        }
        lua_pop(L, 1);
    } else {
        CHECK(lua_gettop(L) == top);
    }
    return st;
}

static void expect_ok(pk_sandbox *sb, const char *name, const char *text, const char *want) {
    pk_error err;
    char out[4096] = "";
    pk_status st = run(sb, name, text, &err, out, sizeof out);
    if (st != PK_OK) fprintf(stderr, "  unexpected error: %s:%d: %s\n", err.file, err.line, err.msg);
    CHECK(st == PK_OK);
    if (want) {
        if (strcmp(out, want) != 0) fprintf(stderr, "  got '%s' want '%s'\n", out, want);
        CHECK_STR(out, want);
    }
}

static void expect_err(pk_sandbox *sb, const char *name, const char *text, const char *needle) {
    pk_error err;
    pk_status st = run(sb, name, text, &err, NULL, 0);
    CHECK(st == PK_ERR_INPUT);
    if (st != PK_OK && !strstr(err.msg, needle)) fprintf(stderr, "  message '%s' lacks '%s'\n", err.msg, needle);
    if (st != PK_OK) CHECK_CONTAINS(err.msg, needle);
}

/* ---- globals ---------------------------------------------------------------------- */

static void test_forbidden_globals_are_nil(void) {
    pk_sandbox *sb = make(0, 0);
    expect_ok(sb, "g1.lua",
              "local bad = {}\n"
              "for _, n in ipairs{'io','os','package','debug','dofile','loadfile','collectgarbage',\n"
              "                   'print','loadstring','module','setfenv','getfenv','warn','rawgetregistry'} do\n"
              "  if _ENV[n] ~= nil then bad[#bad+1] = n end\n"
              "end\n"
              "if string.dump ~= nil then bad[#bad+1] = 'string.dump' end\n"
              "if (''):len() ~= 0 then bad[#bad+1] = 'method' end\n"
              "if ('').dump ~= nil then bad[#bad+1] = '(\"\").dump' end\n"
              "if getmetatable('') ~= false then bad[#bad+1] = 'getmetatable(\"\")' end\n"
              "if _G ~= _ENV then bad[#bad+1] = '_G' end\n"
              "return table.concat(bad, ',')\n",
              "");
    expect_ok(sb, "g2.lua",
              "local want = {'assert','error','ipairs','next','pairs','pcall','xpcall','rawequal','rawget',\n"
              "  'rawlen','rawset','select','setmetatable','getmetatable','tonumber','tostring','type',\n"
              "  '_VERSION','string','table','math','utf8','coroutine','load','require','log'}\n"
              "local missing = {}\n"
              "for _, n in ipairs(want) do if _ENV[n] == nil then missing[#missing+1] = n end end\n"
              "return table.concat(missing, ',') .. '|' .. ('x'):rep(3) .. ('%d'):format(7)\n",
              "|xxx7");
    /* A loaded chunk sees the sandbox env, not the real globals. */
    expect_ok(sb, "g3.lua", "return tostring(load('return print, io, string.dump')())", "nil");
    pk_sandbox_destroy(sb);
}

/* ---- memory ------------------------------------------------------------------------ */

static void test_memory_budget(void) {
    const size_t limit = 8u << 20;
    pk_sandbox *sb = make(0, limit);
    char want[128];
    snprintf(want, sizeof want, "memory budget exhausted (limit %zu bytes)", limit);
    expect_err(sb, "m1.lua", "local t = {} for i = 1, 1e8 do t[i] = i end return #t", want);
    CHECK(pk_sandbox_memory(sb) <= limit);
    expect_err(sb, "m2.lua", "local s = string.rep('x', 1e9) return #s", want);
    expect_err(sb, "m3.lua", "local s = 'x' while true do s = s .. s end", want);
    /* The script itself sees Lua's "not enough memory". */
    expect_ok(sb, "m4.lua", "local ok, e = pcall(string.rep, 'x', 1e9) return tostring(ok) .. ' ' .. e",
              "false not enough memory");
    /* Still usable. */
    expect_ok(sb, "m5.lua", "local t = {} for i = 1, 1000 do t[i] = i end return tostring(#t)", "1000");
    pk_sandbox_destroy(sb);

    /* A limit too small for the libraries: no sandbox, no crash. */
    pk_sandbox_config c = pk_sandbox_config_default();
    c.memory_limit_bytes = 1024;
    CHECK(pk_sandbox_create(&c) == NULL);
}

/* ---- load -------------------------------------------------------------------------- */

static void test_load_text_only(void) {
    pk_sandbox *sb = make(0, 0);
    expect_ok(sb, "l1.lua", "x = 41 return tostring(load('return x + 1')())", "42");
    expect_ok(sb, "l2.lua", "local f, e = load('\\27Lua\\84\\0') return tostring(f) .. ' ' .. e",
              "nil load: binary chunks are not allowed in the sandbox");
    expect_ok(sb, "l3.lua",
              "local f, e = load(function() return nil end) return tostring(f) .. ' ' .. e",
              "nil load: reader functions are not supported in the sandbox (pass a string)");
    /* mode "b" is ignored: text still loads, and binary never does */
    expect_ok(sb, "l4.lua", "return tostring(load('return 5', 'n', 'b')())", "5");
    /* a caller-given env must be a table and becomes the chunk's _ENV */
    expect_ok(sb, "l5.lua", "return tostring(load('return y, pairs', 'n', 't', {y = 7})())", "7");
    expect_err(sb, "l6.lua", "return load('return 1', 'n', 't', 5)", "bad argument #4 to 'load' (table expected");
    expect_ok(sb, "l7.lua", "local f, e = load('return +') return tostring(f) .. ' ' .. e",
              "nil [string \"return +\"]:1: unexpected symbol near '+'");
    /* "@name" would pretend to be a file path */
    expect_ok(sb, "l8.lua", "local ok, e = pcall(load('error(\"x\")', '@/etc/passwd')) return e", "/etc/passwd:1: x");
    pk_sandbox_destroy(sb);
}

/* ---- require ----------------------------------------------------------------------- */

static void test_require(void) {
    pk_sandbox *sb = make(0, 0);
    put_dir("pkmods");
    put("pkmods/helper.lua", "loads = (loads or 0) + 1\nlocal M = {}\nfunction M.twice(x) return 2 * x end\nreturn M\n");
    put("pkmods/broken.lua", "return {\n");
    put_file("pkmods/bin.lua", "\x1bLua\x54\x00", 6);
    expect_ok(sb, "r1.lua",
              "local a = require('pkmods.helper')\n"
              "local b = require('pkmods.helper')\n"
              "return string.format('%d %s %d', a.twice(21), tostring(rawequal(a, b)), loads)\n",
              "42 true 1");
    /* cached across entries too, and not in a script-visible package.loaded */
    expect_ok(sb, "r2.lua", "require('pkmods.helper') return tostring(loads)", "1");
    expect_err(sb, "r3.lua", "return require('../etc/passwd')",
               "require: invalid module name '../etc/passwd' (letters, digits and '_' separated by '.'; no paths)");
    expect_err(sb, "r4.lua", "return require('/etc/passwd')", "require: invalid module name '/etc/passwd'");
    expect_err(sb, "r5.lua", "return require('os')", "require: module 'os' not found in the script folders");
    expect_err(sb, "r6.lua", "return require('pkmods..helper')", "invalid module name");
    expect_err(sb, "r7.lua", "return require('pkmods.bin')", "binary chunks are not allowed in the sandbox");
    expect_err(sb, "r8.lua", "return require('pkmods.broken')", "unexpected symbol near <eof>");
    pk_sandbox_destroy(sb);
}

/* ---- math.random ------------------------------------------------------------------- */

static void draw(uint64_t key, char *out, size_t n) {
    pk_sandbox_config c = pk_sandbox_config_default();
    c.rng_key = key;
    pk_sandbox *sb = pk_sandbox_create(&c);
    REQUIRE(sb != NULL);
    lua_State *L = pk_sandbox_state(sb);
    pk_sandbox_push_env(sb);
    lua_getfield(L, -1, "load");
    lua_remove(L, -2);
    lua_pushstring(L, "local t = {}\n"
                      "for i = 1, 20 do t[#t+1] = string.format('%.17g', math.random()) end\n"
                      "for i = 1, 20 do t[#t+1] = math.random(6) end\n"
                      "for i = 1, 20 do local r = math.random(-3, 3) assert(r >= -3 and r <= 3) t[#t+1] = r end\n"
                      "math.randomseed(99) local a = math.random(1000000)\n"
                      "math.randomseed(99) assert(math.random(1000000) == a)\n"
                      "t[#t+1] = a\n"
                      "return table.concat(t, ' ')\n");
    pk_error err;
    REQUIRE(pk_sandbox_call(sb, 1, 1, &err) == PK_OK); /* load(chunk) -> f */
    REQUIRE(pk_sandbox_call(sb, 0, 1, &err) == PK_OK); /* f() -> string */
    snprintf(out, n, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    CHECK(lua_gettop(L) == 0);
    pk_sandbox_destroy(sb);
}

static void test_random_engine_stream(void) {
    char a[2048], b[2048], c[2048];
    draw(1234, a, sizeof a);
    draw(1234, b, sizeof b);
    draw(1235, c, sizeof c);
    CHECK_STR(a, b);
    CHECK(strcmp(a, c) != 0);
    pk_sandbox *sb = make(0, 0);
    expect_err(sb, "rnd1.lua", "return math.random(5, 4)", "bad argument #1 to 'random' (interval is empty)");
    expect_err(sb, "rnd2.lua", "return math.random(1, 2, 3)", "wrong number of arguments");
    expect_ok(sb, "rnd3.lua", "return tostring(math.random(7, 7))", "7");
    expect_ok(sb, "rnd4.lua",
              "local r = math.random(math.mininteger, math.maxinteger) return math.type(r)", "integer");
    pk_sandbox_destroy(sb);
}

/* ---- instruction budget ----------------------------------------------------------- */

static void expect_budget(pk_sandbox *sb, const char *name, const char *text) {
    pk_error err;
    pk_status st = run(sb, name, text, &err, NULL, 0);
    CHECK(st == PK_ERR_INPUT);
    if (st == PK_OK) return;
    if (!strstr(err.msg, "instruction budget exhausted (limit 1000000 instructions)"))
        fprintf(stderr, "  %s: got '%s'\n", name, err.msg);
    CHECK_CONTAINS(err.msg, "instruction budget exhausted (limit 1000000 instructions)");
    CHECK(strstr(err.file, name) != NULL);
    CHECK(err.line > 0);
}

static void test_budget_infinite_loop(void) {
    pk_sandbox *sb = make(1000000, 0);
    expect_budget(sb, "b1.lua", "local x = 0\nwhile true do x = x + 1 end\n");
    pk_error err;
    run(sb, "b1b.lua", "\n\nwhile true do end\n", &err, NULL, 0);
    CHECK(err.line == 3);
    pk_sandbox_destroy(sb);
}

static void test_budget_pcall_cannot_swallow(void) {
    pk_sandbox *sb = make(1000000, 0);
    expect_budget(sb, "b2.lua",
                  "local n = 0\n"
                  "for i = 1, 1e9 do\n"
                  "  local ok, e = pcall(function() while true do end end)\n"
                  "  n = n + 1\n"
                  "end\n"
                  "return n\n");
    expect_budget(sb, "b2b.lua",
                  "while true do pcall(pcall, pcall, function() while true do end end) end\n");
    pk_sandbox_destroy(sb);
}

static void test_budget_xpcall_looping_handler(void) {
    pk_sandbox *sb = make(1000000, 0);
    expect_budget(sb, "b3.lua",
                  "while true do\n"
                  "  xpcall(function() while true do end end, function(m) while true do end end)\n"
                  "end\n");
    expect_budget(sb, "b3b.lua",
                  "local function h(m) return xpcall(h, h) end\n"
                  "while true do xpcall(function() while true do end end, h) end\n");
    pk_sandbox_destroy(sb);
}

static void test_budget_coroutines(void) {
    pk_sandbox *sb = make(1000000, 0);
    expect_budget(sb, "b4.lua", "local f = coroutine.wrap(function() while true do end end)\nf()\n");
    expect_budget(sb, "b4b.lua",
                  "while true do\n"
                  "  local co = coroutine.create(function() while true do end end)\n"
                  "  coroutine.resume(co)\n"
                  "  coroutine.close(co)\n"
                  "end\n");
    expect_budget(sb, "b4c.lua",
                  "local co = coroutine.create(function()\n"
                  "  while true do pcall(coroutine.yield) end\n"
                  "end)\n"
                  "while true do coroutine.resume(co) end\n");
    /* A coroutine killed by the budget died inside the hook, where Lua turns hooks off;
     * its pending __close must never run unmetered (neither by wrap nor by close). */
    expect_budget(sb, "b4e.lua",
                  "local spin = setmetatable({}, {__close = function() while true do end end})\n"
                  "coroutine.wrap(function() local c <close> = spin while true do end end)()\n");
    expect_budget(sb, "b4f.lua",
                  "stuck = coroutine.create(function()\n"
                  "  local c <close> = setmetatable({}, {__close = function() while true do end end})\n"
                  "  while true do end\n"
                  "end)\n"
                  "coroutine.resume(stuck)\n");
    expect_ok(sb, "b4g.lua", "local ok, e = pcall(coroutine.close, stuck) return e",
              "cannot close a coroutine stopped by the instruction budget");
    /* a to-be-closed variable's __close cannot keep the script alive either */
    expect_budget(sb, "b4d.lua",
                  "while true do\n"
                  "  pcall(function()\n"
                  "    local c <close> = setmetatable({}, {__close = function() while true do end end})\n"
                  "    while true do end\n"
                  "  end)\n"
                  "end\n");
    pk_sandbox_destroy(sb);
}

static void test_budget_library_callbacks(void) {
    pk_sandbox *sb = make(1000000, 0);
    expect_budget(sb, "b5.lua",
                  "while true do pcall(string.gsub, string.rep('x', 100), 'x', function() while true do end end) end\n");
    expect_budget(sb, "b5b.lua",
                  "local t = {} for i = 1, 100 do t[i] = i end\n"
                  "table.sort(t, function(a, b) while true do end end)\n");
    expect_budget(sb, "b5c.lua",
                  "local t = setmetatable({}, {__index = function() while true do end end})\n"
                  "while true do pcall(function() return t.x end) end\n");
    /* string.rep does not run instructions: the memory budget stops it */
    expect_err(sb, "b5d.lua", "return #string.rep('x', 1e9)", "memory budget exhausted (limit 268435456 bytes)");
    pk_sandbox_destroy(sb);
}

static void test_budget_fresh_after_trip(void) {
    pk_sandbox *sb = make(1000000, 0);
    expect_budget(sb, "b6.lua", "function spin() while true do end end\n"
                                "co = coroutine.create(function() while true do coroutine.yield() end end)\n"
                                "coroutine.resume(co)\n"
                                "spin()\n");
    /* the next entry gets a fresh budget, also in a coroutine created during the trip */
    expect_ok(sb, "b6b.lua",
              "local n = 0 for i = 1, 100000 do n = n + i end\n"
              "for i = 1, 1000 do assert(coroutine.resume(co)) end\n"
              "return tostring(n)\n",
              "5000050000");
    /* and through pk_sandbox_call too */
    lua_State *L = pk_sandbox_state(sb);
    pk_sandbox_push_env(sb);
    lua_getfield(L, -1, "spin");
    lua_remove(L, -2);
    pk_error err;
    CHECK(pk_sandbox_call(sb, 0, 0, &err) == PK_ERR_INPUT);
    CHECK_CONTAINS(err.msg, "instruction budget exhausted (limit 1000000 instructions)");
    CHECK(lua_gettop(L) == 0);
    pk_sandbox_push_env(sb);
    lua_getfield(L, -1, "tostring");
    lua_remove(L, -2);
    lua_pushinteger(L, 5);
    CHECK(pk_sandbox_call(sb, 1, 1, &err) == PK_OK);
    CHECK_STR(lua_tostring(L, -1), "5");
    lua_pop(L, 1);
    pk_sandbox_destroy(sb);
}

/* ---- pairs determinism ------------------------------------------------------------- */

static const char *pairs_script =
    "local t = {}\n"
    "local x = 7\n"
    "for i = 1, 500 do x = (x * 1103515245 + 12345) % 2147483648 t['k' .. x] = i end\n"
    "t[3] = 'a' t[-1.5] = 'b' t[1] = 'c' t[true] = 'd' t[false] = 'e' t[''] = 'f'\n"
    "local out, prev = {}, nil\n"
    "for k, v in pairs(t) do out[#out+1] = tostring(k) end\n"
    "local tail = table.concat(out, ',', 1, 6) .. '|' .. table.concat(out, ',', #out - 1)\n"
    /* strings are in bytewise order */
    "for i = 5, #out - 3 do assert(out[i] < out[i + 1], out[i]) end\n"
    /* deleting during the loop is fine; __pairs is honoured */
    "for k in pairs(t) do t[k] = nil end assert(next(t) == nil)\n"
    "local p = setmetatable({}, {__pairs = function(s) return function(_, k) if not k then return 1, 'one' end end, s, nil end})\n"
    "for k, v in pairs(p) do tail = tail .. '|' .. k .. v end\n"
    "return #out .. ':' .. table.concat(out, ',') .. '#' .. tail\n";

static void test_pairs_deterministic(void) {
    char a[16384], b[16384];
    pk_error err;
    pk_sandbox *s1 = make(0, 0);
    CHECK(run(s1, "p1.lua", pairs_script, &err, a, sizeof a) == PK_OK);
    pk_sandbox *s2 = make(0, 0);
    CHECK(run(s2, "p2.lua", pairs_script, &err, b, sizeof b) == PK_OK);
    CHECK_STR(a, b);
    CHECK(strncmp(a, "506:-1.5,1,3,,k", 15) == 0);
    CHECK_CONTAINS(a, "#-1.5,1,3,,k");
    CHECK_CONTAINS(a, "|false,true|1one");
    pk_sandbox_destroy(s1);
    pk_sandbox_destroy(s2);
}

/* next() walks keys in the same order as pairs, in every state. */
static const char *next_script =
    "local t = {}\n"
    "for i = 1, 100 do t['n' .. (i * 7919 % 1000)] = i end\n"
    "t[2] = 'x' t[1] = 'y' t[true] = 'z' local f = function() end t[f] = 'fn'\n"
    "local via_next, via_pairs = {}, {}\n"
    "local k = next(t)\n"
    "while k ~= nil do via_next[#via_next + 1] = type(k) == 'function' and 'fn' or tostring(k) k = next(t, k) end\n"
    "for k in pairs(t) do via_pairs[#via_pairs + 1] = type(k) == 'function' and 'fn' or tostring(k) end\n"
    "assert(table.concat(via_next, ',') == table.concat(via_pairs, ','))\n"
    "assert(next({}) == nil)\n"
    "assert(not pcall(next, t, 'no such key'))\n"
    "return table.concat(via_next, ',')\n";

static void test_next_deterministic(void) {
    char a[8192], b[8192];
    pk_error err;
    pk_sandbox *s1 = make(0, 0), *s2 = make(0, 0);
    CHECK(run(s1, "n1.lua", next_script, &err, a, sizeof a) == PK_OK);
    CHECK(run(s2, "n2.lua", next_script, &err, b, sizeof b) == PK_OK);
    CHECK_STR(a, b);
    CHECK(strncmp(a, "1,2,n0,n1", 9) == 0 || strncmp(a, "1,2,n", 5) == 0);
    CHECK_CONTAINS(a, ",true,fn");
    pk_sandbox_destroy(s1);
    pk_sandbox_destroy(s2);
}

/* Lua's pattern matcher runs in C where the budget cannot stop it: patterns that could
 * backtrack for hours are refused; ordinary ones work. */
static void test_pattern_guard(void) {
    pk_sandbox *sb = make(0, 0);
    expect_ok(sb, "pat_ok.lua",
              "local s = '  key = value  '\n"
              "local k, v = s:match('^%s*(%w+)%s*=%s*(%w+)%s*$')\n"
              "local n = select(2, string.rep('a b ', 1000):gsub('%s+', '_'))\n"
              "assert(string.find('x.y', '.', 1, true) == 2)\n"
              "return k .. v .. n\n",
              "keyvalue2000");
    expect_err(sb, "pat_bad.lua",
               "local s = string.rep('a', 40)\n"
               "return s:match(string.rep('a?', 40) .. string.rep('a', 40))\n",
               "pattern too complex");
    expect_err(sb, "pat_bad2.lua",
               "local s = string.rep('ab', 20000)\n"
               "return s:find('a.-b.-a.-b.-x')\n",
               "pattern too complex");
    pk_sandbox_destroy(sb);
}

/* tostring and string.format show no addresses (they change from run to run): objects
 * are numbered in the order the script first shows them; %p is refused. */
static void test_tostring_has_no_addresses(void) {
    const char *script =
        "local a, b = {}, function() end\n"
        "local s = tostring(a) .. ' ' .. tostring(b) .. ' ' .. tostring(a) .. ' ' .. string.format('%s|%5.1f', {}, 2.25)\n"
        "local named = setmetatable({}, { __name = 'thing' })\n"
        "local custom = setmetatable({}, { __tostring = function() return 'custom' end })\n"
        "assert(not pcall(string.format, '%p', a))\n"
        "return s .. ' ' .. tostring(named) .. ' ' .. tostring(custom) .. ' ' .. tostring(nil) .. ' ' .. tostring(1.5)\n";
    pk_sandbox *sb = make(0, 0);
    expect_ok(sb, "tostring.lua", script, "table #1 function #2 table #1 table #3|  2.2 thing #4 custom nil 1.5");
    pk_sandbox_destroy(sb);
}

static void test_table_sort_stable(void) {
    pk_sandbox *sb = make(0, 0);
    expect_ok(sb, "s1.lua",
              "local t = {}\n"
              "for i = 1, 300 do t[i] = {k = i % 3, i = i} end\n"
              "table.sort(t, function(a, b) return a.k < b.k end)\n"
              "for j = 2, #t do assert(t[j-1].k < t[j].k or (t[j-1].k == t[j].k and t[j-1].i < t[j].i)) end\n"
              "local u = {5, 3, 9, 1, 1, 0} table.sort(u)\n"
              "local v = {'b', 'a', 'c'} table.sort(v, function(a, b) return a > b end)\n"
              "return table.concat(u, ',') .. ' ' .. table.concat(v)\n",
              "0,1,1,3,5,9 cba");
    pk_sandbox_destroy(sb);
}

/* ---- __gc -------------------------------------------------------------------------- */

static void test_no_script_gc(void) {
    pk_sandbox *sb = make(0, 0);
    expect_err(sb, "gc1.lua", "setmetatable({}, {__gc = function() end})",
               "setmetatable: __gc metamethods are not allowed in the sandbox");
    expect_err(sb, "gc2.lua", "setmetatable({}, {__gc = true})", "__gc metamethods are not allowed");
    /* __gc added after setmetatable never runs (Lua 5.4 marks objects at setmetatable) */
    expect_ok(sb, "gc3.lua",
              "ran = false\n"
              "for i = 1, 100 do local mt = {} setmetatable({}, mt) mt.__gc = function() ran = true end end\n"
              "return 'ok'\n",
              "ok");
    lua_State *L = pk_sandbox_state(sb);
    lua_gc(L, LUA_GCCOLLECT);
    lua_gc(L, LUA_GCCOLLECT);
    expect_ok(sb, "gc4.lua", "return tostring(ran)", "false");
    expect_err(sb, "gc5.lua", "local t = setmetatable({}, {__metatable = 'locked'}) setmetatable(t, {})",
               "cannot change a protected metatable");
    pk_sandbox_destroy(sb);
}

/* ---- coroutine.close C-stack crash of Lua 5.4.4 ---------------------------------- */

/* Lua 5.4.4 (fixed in 5.4.6): closing a coroutine whose pending __close closes the
 * previous coroutine, 20000 deep, overflows the C stack (segfault without the guard). */
static const char *close_reproducer =
    "local coro = false\n"
    "for i = 1, 20000 do\n"
    "  local previous = coro\n"
    "  coro = coroutine.create(function()\n"
    "    local cc <close> = setmetatable({}, {__close = function()\n"
    "      if previous then assert(coroutine.close(previous)) end\n"
    "    end})\n"
    "    coroutine.yield()\n"
    "  end)\n"
    "  assert(coroutine.resume(coro))\n"
    "end\n"
    "local ok, e = coroutine.close(coro)\n"
    "assert(ok, e)\n";

static void test_coroutine_close_nesting(void) {
    pk_sandbox *sb = make(0, 0);
    expect_err(sb, "c1.lua", close_reproducer, "coroutine nesting too deep (limit 150)");
    /* the same with deep C recursion between the closes: the C-stack guard stops it */
    expect_err(sb, "c2.lua",
               "local function deep(n, f) if n == 0 then return f() end\n"
               "  local ok, e = pcall(deep, n - 1, f) if not ok then error(e, 0) end end\n"
               "local coro = false\n"
               "for i = 1, 2000 do\n"
               "  local previous = coro\n"
               "  coro = coroutine.create(function()\n"
               "    local cc <close> = setmetatable({}, {__close = function()\n"
               "      if previous then deep(180, function()\n"
               "        local ok, e = coroutine.close(previous) if not ok then error(e, 0) end end) end\n"
               "    end})\n"
               "    coroutine.yield()\n"
               "  end)\n"
               "  assert(coroutine.resume(coro))\n"
               "end\n"
               "local ok, e = coroutine.close(coro) if not ok then error(e, 0) end\n",
               "coroutine nesting too deep (C stack limit 1024 KiB)");
    expect_err(sb, "c3.lua",
               "local function f() local co = coroutine.create(f) return assert(coroutine.resume(co)) end\n"
               "f()\n",
               "coroutine nesting too deep (limit 150)");
    expect_err(sb, "c4.lua", "local function f() return coroutine.wrap(f)() end\nf()\n",
               "coroutine nesting too deep (limit 150)");
    /* a reasonable depth works */
    expect_ok(sb, "c5.lua",
              "local function f(n) if n == 0 then return 0 end return coroutine.wrap(f)(n - 1) + 1 end\n"
              "return tostring(f(100))\n",
              "100");
    expect_err(sb, "c6.lua", "coroutine.close(coroutine.running())", "cannot close a running coroutine");
    pk_sandbox_destroy(sb);
}

/* ---- log ----------------------------------------------------------------------------- */

static char log_where[256], log_msg[256];
static int log_calls;
static void on_log(void *user, const char *where, const char *msg) {
    (void)user;
    snprintf(log_where, sizeof log_where, "%s", where);
    snprintf(log_msg, sizeof log_msg, "%s", msg);
    log_calls++;
}

static void test_log(void) {
    pk_sandbox_config c = pk_sandbox_config_default();
    c.log_fn = on_log;
    pk_sandbox *sb = pk_sandbox_create(&c);
    REQUIRE(sb != NULL);
    expect_ok(sb, "log1.lua", "local x = 1\n\nlog('unit', 3, nil, true, 1.5)\nreturn 'ok'", "ok");
    CHECK(log_calls == 1);
    CHECK_STR(log_msg, "unit\t3\tnil\ttrue\t1.5");
    char want[256];
    snprintf(want, sizeof want, "%s/log1.lua:3", tmpdir);
    CHECK_STR(log_where, want);
    pk_sandbox_destroy(sb);
    /* no callback: dropped */
    sb = make(0, 0);
    expect_ok(sb, "log2.lua", "log('x') return 'ok'", "ok");
    pk_sandbox_destroy(sb);
}

/* ---- error records ---------------------------------------------------------------- */

static void test_errors(void) {
    pk_sandbox *sb = make(0, 0);
    pk_error err;
    const char *p = put("e1.lua", "local a = 1\nlocal function f()\n  error('boom')\nend\nf()\n");
    CHECK(pk_sandbox_dofile(sb, p, &err) == PK_ERR_INPUT);
    CHECK_STR(err.file, p);
    CHECK(err.line == 3);
    CHECK(strncmp(err.msg, "boom\nstack traceback:", 21) == 0);

    p = put("e2.lua", "local a = 1\nlocal b = = 2\n");
    CHECK(pk_sandbox_dofile(sb, p, &err) == PK_ERR_INPUT);
    CHECK_STR(err.file, p);
    CHECK(err.line == 2);
    CHECK_STR(err.msg, "unexpected symbol near '='");

    char missing[600];
    snprintf(missing, sizeof missing, "%s/no_such_file.lua", tmpdir);
    CHECK(pk_sandbox_dofile(sb, missing, &err) == PK_ERR_INPUT);
    CHECK_STR(err.file, missing);
    CHECK(err.line == 0);
    CHECK_STR(err.msg, "cannot open: No such file or directory");

    p = put("e3.lua", "error({})\n");
    CHECK(pk_sandbox_dofile(sb, p, &err) == PK_ERR_INPUT);
    CHECK(strncmp(err.msg, "(error object is a table value)", 31) == 0);
    p = put("e4.lua", "error(setmetatable({}, {__tostring = function() return 'custom' end}))\n");
    CHECK(pk_sandbox_dofile(sb, p, &err) == PK_ERR_INPUT);
    CHECK(strncmp(err.msg, "custom", 6) == 0);
    p = put("e5.lua", "\n\nlocal t = nil\nreturn t.x\n");
    CHECK(pk_sandbox_dofile(sb, p, &err) == PK_ERR_INPUT);
    CHECK(err.line == 4);
    CHECK(strncmp(err.msg, "attempt to index a nil value (local 't')", 40) == 0);
    p = put_file("e6.lua", "\x1bLua", 4);
    CHECK(pk_sandbox_dofile(sb, p, &err) == PK_ERR_INPUT);
    CHECK_CONTAINS(err.msg, "binary chunks are not allowed in the sandbox");

    /* A long path: Lua cuts short_src at 60 bytes, the record still has the full one. */
    put_dir("a_rather_long_folder_name_for_the_scenario_scripts_of_a_centre");
    p = put("a_rather_long_folder_name_for_the_scenario_scripts_of_a_centre/mission_scenario.lua",
            "local x\nx.y = 1\n");
    CHECK(pk_sandbox_dofile(sb, p, &err) == PK_ERR_INPUT);
    CHECK_STR(err.file, p);
    CHECK(err.line == 2);
    CHECK(lua_gettop(pk_sandbox_state(sb)) == 0);

    /* pk_sandbox_call errors pop the function and arguments */
    expect_ok(sb, "e7.lua", "function fail(x) error('bad ' .. x) end return 'ok'", "ok");
    lua_State *L = pk_sandbox_state(sb);
    pk_sandbox_push_env(sb);
    lua_getfield(L, -1, "fail");
    lua_remove(L, -2);
    lua_pushstring(L, "input");
    CHECK(pk_sandbox_call(sb, 1, 2, &err) == PK_ERR_INPUT);
    CHECK(lua_gettop(L) == 0);
    CHECK(strstr(err.file, "e7.lua") != NULL);
    CHECK(err.line == 1);
    CHECK(strncmp(err.msg, "bad input\nstack traceback:", 26) == 0);
    pk_sandbox_destroy(sb);
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/pk_sandbox_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(test_forbidden_globals_are_nil);
    RUN(test_memory_budget);
    RUN(test_load_text_only);
    RUN(test_require);
    RUN(test_random_engine_stream);
    RUN(test_budget_infinite_loop);
    RUN(test_budget_pcall_cannot_swallow);
    RUN(test_budget_xpcall_looping_handler);
    RUN(test_budget_coroutines);
    RUN(test_budget_library_callbacks);
    RUN(test_budget_fresh_after_trip);
    RUN(test_pairs_deterministic);
    RUN(test_next_deterministic);
    RUN(test_pattern_guard);
    RUN(test_tostring_has_no_addresses);
    RUN(test_table_sort_stable);
    RUN(test_no_script_gc);
    RUN(test_coroutine_close_nesting);
    RUN(test_log);
    RUN(test_errors);
    for (int i = nmade - 1; i >= 0; i--) remove(made[i]);
    rmdir(tmpdir);
    return test_summary();
}
