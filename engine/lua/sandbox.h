/* sandbox.h — a Lua 5.4 state for untrusted scenario scripts (scripts are shared between
 * training centres). Modelled on Redis scripting: allow-listed globals only; no io, os,
 * package, debug, dofile, loadfile, collectgarbage, print; `load` for text only and only
 * into the sandbox environment; string.dump unreachable (also through the string
 * metatable); math.random from an engine stream; an instruction budget per entry that
 * pcall / xpcall / coroutines cannot swallow; a memory budget; no __gc metamethods from
 * scripts; `pairs` iterates in a deterministic order (Lua salts string hashes per state);
 * `require` resolves only inside the configured folders, text files only.
 * Every entry into Lua goes through pk_sandbox_call / pk_sandbox_dofile, which are
 * protected: no longjmp ever leaves this file. */
#ifndef PK_SANDBOX_H
#define PK_SANDBOX_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

#include "pkosim/types.h"

typedef struct pk_sandbox pk_sandbox;

typedef struct pk_sandbox_config {
    size_t memory_limit_bytes;     /* total bytes the state may hold; 0 = default 256 MiB */
    uint64_t instruction_limit;    /* VM instructions per entry (call/dofile); 0 = default 200 million */
    const char *require_dirs[4];   /* folders `require` may read from (NULL-terminated, up to 4) */
    uint64_t rng_key;              /* key of the engine stream behind math.random (pk_rng_key) */
    /* Called by the script-facing log function `log(...)` with the joined message and the
     * script's file:line; may be NULL (messages are dropped). */
    void (*log_fn)(void *user, const char *where, const char *msg);
    void *log_user;
} pk_sandbox_config;

pk_sandbox_config pk_sandbox_config_default(void);

/* Create a sandboxed state. NULL on allocation failure. */
pk_sandbox *pk_sandbox_create(const pk_sandbox_config *cfg);
void pk_sandbox_destroy(pk_sandbox *sb);

/* The raw state, for binding code (the engine/lua files) that pushes values and registers API
 * functions. Binding code must only call Lua through pk_sandbox_call. */
lua_State *pk_sandbox_state(pk_sandbox *sb);

/* The sandbox environment table (the scripts' _ENV) is pushed on the stack. Binding code
 * uses this to add API tables (e.g. `sim`). */
void pk_sandbox_push_env(pk_sandbox *sb);

/* Load `path` as text (binary chunks refused) into the sandbox environment and run it
 * with the instruction and memory budgets; leaves its first result on the stack (nil if
 * none). On error returns PK_ERR_INPUT, pushes nothing, and fills err with the file,
 * line and message (syntax errors, run-time errors with a traceback, budget exhausted,
 * missing file). */
pk_status pk_sandbox_dofile(pk_sandbox *sb, const char *path, pk_error *err);

/* Protected call of the function below nargs arguments on the stack, with a fresh
 * instruction budget; on success leaves nresults results (LUA_MULTRET not allowed). On
 * error pops the function and arguments, pushes nothing, fills err (file and line of the
 * failing script position where known, message with traceback) and returns PK_ERR_INPUT. */
pk_status pk_sandbox_call(pk_sandbox *sb, int nargs, int nresults, pk_error *err);

/* Bytes currently allocated by the state. */
size_t pk_sandbox_memory(const pk_sandbox *sb);

#endif
