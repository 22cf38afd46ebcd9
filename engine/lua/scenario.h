/* scenario.h — loading a Lua scenario into a world, and running it day by day with its
 * hooks (on_start, on_day, on_event, on_end). The scenario file is untrusted: it runs in
 * the sandbox (sandbox.h), every table it returns is validated key by key, and every
 * problem is reported with file, line or table path, and what was expected. */
#ifndef PK_SCENARIO_H
#define PK_SCENARIO_H

#include <stdint.h>

#include "pkosim/pkosim.h"

/* A list of problems, for `pkosim check` (which prints them all). */
enum { PK_ERRORS_MAX = 32 };
typedef struct pk_errors {
    int count;
    pk_error items[PK_ERRORS_MAX];
} pk_errors;
/* Append a problem (dropped silently past PK_ERRORS_MAX); returns the new record. */
pk_error *pk_errors_add(pk_errors *errs);

typedef enum pk_sparam_type {
    PK_SP_NUMBER = 0,
    PK_SP_INT,
    PK_SP_BOOL,
    PK_SP_CHOICE, /* one of `choices` */
    PK_SP_LIST,   /* comma-separated subset of `choices` (e.g. a mandate's task list) */
    PK_SP_STRING
} pk_sparam_type;

enum { PK_SP_CHOICES_MAX = 32 };
typedef struct pk_scenario_param {
    char name[PK_NAME_MAX];
    pk_sparam_type type;
    int has_min, has_max;
    double min, max;
    int n_choices;
    char choices[PK_SP_CHOICES_MAX][PK_ID_MAX];
    char default_text[256]; /* the default, as text */
    char value_text[256];   /* the value in force (default or --set), as text */
    char description[256];
    int overridden;         /* set with --set */
} pk_scenario_param;

typedef struct pk_scenario_options {
    uint64_t seed;
    int seed_given;               /* 0: the scenario's own seed (or 1) */
    const char *const *sets;      /* "NAME=VALUE" overrides */
    int n_sets;
    size_t memory_limit_bytes;    /* 0 = sandbox default */
    uint64_t instruction_limit;   /* per hook call; 0 = sandbox default */
    const char *scripts_dir;      /* the Lua library (scripts/); NULL = built-in default */
    const char *assets_dir;       /* assets/ (maps); NULL = built-in default */
} pk_scenario_options;
pk_scenario_options pk_scenario_options_default(void);

typedef struct pk_scenario pk_scenario;

/* Load and validate a scenario and build its world (day 0, initial units queued). On
 * failure returns NULL with every problem found in errs. */
pk_scenario *pk_scenario_load(const char *path, const pk_scenario_options *opt, pk_errors *errs);
void pk_scenario_free(pk_scenario *sc);

/* Read-only facts about a loaded scenario. */
const char *pk_scenario_name(const pk_scenario *sc);
const char *pk_scenario_path(const pk_scenario *sc);
int32_t pk_scenario_default_days(const pk_scenario *sc);
uint64_t pk_scenario_seed(const pk_scenario *sc);
int pk_scenario_param_count(const pk_scenario *sc);
const pk_scenario_param *pk_scenario_param_get(const pk_scenario *sc, int i);
pk_world *pk_scenario_world(pk_scenario *sc);

/* Only declare parameters: load the file and parse `params` (for `pkosim params`), without
 * building the world. */
pk_scenario *pk_scenario_load_params(const char *path, const pk_scenario_options *opt, pk_errors *errs);

/* Run on_start (call once before the first day). */
pk_status pk_scenario_start(pk_scenario *sc, pk_error *err);
/* One day: on_day(sim, day), pk_world_step, then on_event(sim, event) for that day's events. */
pk_status pk_scenario_step(pk_scenario *sc, pk_error *err);
/* Run on_end (call once after the last day). */
pk_status pk_scenario_finish(pk_scenario *sc, pk_error *err);

/* Injects: the scenario's declared list of scripted events (the `injects` key, an MSEL).
 * Each fires on its day, before on_day: a PK_CMD_INJECT with its text, region and faction
 * is queued and its `action(sim)` (if any) runs, so both take effect at that day's
 * boundary. The white cell (the view's console) may fire one early or skip it; both are
 * logged as PK_CMD_LOG messages ("white cell: ..."), so they reach events.jsonl and the
 * replay log. */
typedef enum pk_inject_state { PK_INJECT_PENDING = 0, PK_INJECT_FIRED, PK_INJECT_SKIPPED } pk_inject_state;
typedef struct pk_scenario_inject {
    char id[PK_ID_MAX];
    int32_t day;             /* the day it is scheduled for (>= 1) */
    char text[160];
    int32_t region, faction; /* -1: none */
    int has_action;
    pk_inject_state state;
    int32_t fired_day;       /* FIRED: the day boundary it took effect at */
    int early;               /* FIRED by the white cell before its day */
} pk_scenario_inject;
int pk_scenario_inject_count(const pk_scenario *sc);
const pk_scenario_inject *pk_scenario_inject_get(const pk_scenario *sc, int i);
/* Fire pending inject i now: its inject and action are queued at once and take effect at
 * the next day boundary. PK_ERR_INPUT if i is not pending; an action's error is returned
 * with err filled (the inject stays fired). */
pk_status pk_scenario_fire_inject(pk_scenario *sc, int i, pk_error *err);
/* Skip pending inject i: it will not fire. PK_ERR_INPUT if i is not pending. */
pk_status pk_scenario_skip_inject(pk_scenario *sc, int i);
/* The white cell gives unit `unit` a task and target region (-1: its current one) from the
 * view: a PK_CMD_SET_TASK, as scripts give, plus a PK_CMD_LOG saying who ordered what. */
pk_status pk_scenario_order(pk_scenario *sc, pk_unit_id unit, int task, int32_t region, pk_error *err);

/* Replace the scenario's world by one rebuilt from pk_world_save output (a snapshot of
 * this scenario's world taken earlier): the view's "return to snapshot". Injects fired
 * after the snapshot's day are pending again; skipped ones stay skipped. The hooks' own
 * Lua state (upvalues, globals) is not rewound. On bad data returns PK_ERR_INPUT with err
 * and keeps the current world. Pointers into the old world become invalid. */
pk_status pk_scenario_restore_world(pk_scenario *sc, const void *buf, size_t size, pk_error *err);

#endif
