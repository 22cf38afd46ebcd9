/* main.c — the `pkosim` command (DESIGN §5): run, check, params. It parses arguments,
 * loads the scenario, drives the day loop and writes results; it never changes the world
 * except through the scenario layer. Exit codes: 0 success, 1 run-time failure, 2 bad
 * usage or bad input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output.h"
#include "pkosim/pkosim.h"
#include "scenario.h"
#include "cli.h"


static const char *const main_help =
    "pkosim " PKOSIM_VERSION " - training-exercise simulation of partnership peace operations\n"
    "\n"
    "Usage: pkosim COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  run SCENARIO     run a scenario headless and write its results\n"
    "  check SCENARIO   load and validate a scenario; list every problem\n"
    "  params SCENARIO  list a scenario's parameters (use --set NAME=VALUE to change them)\n"
    "  explain RUN_DIR  why trust, legitimacy or needs met changed in a run (for the debrief)\n"
    "  view SCENARIO    the map view and instructor console (headless without a display)\n"
    "\n"
    "'pkosim COMMAND --help' explains each command. Exit codes: 0 success,\n"
    "1 run-time failure, 2 bad usage or bad input.\n";

static const char *const run_help =
    "Usage: pkosim run SCENARIO [--seed N] [--days N] [--set NAME=VALUE]... [--out DIR]\n"
    "\n"
    "Runs SCENARIO (a .lua file) day by day without a window and writes\n"
    "  DIR/summary.json     the scenario, seed, days, parameters, final indicators, totals\n"
    "  DIR/indicators.csv   one row per day, one column per indicator\n"
    "  DIR/events.jsonl     one JSON object per event (attacks, displacement, injects...)\n"
    "  DIR/causes.csv       every change of trust, legitimacy and needs met with its causes\n"
    "                       (read it with 'pkosim explain DIR')\n"
    "The same scenario, parameters, seed and orders always give the same files.\n"
    "\n"
    "Options:\n"
    "  --seed N          random seed (default: the scenario's, else 1)\n"
    "  --days N          days to simulate (default: the scenario's `days`)\n"
    "  --set NAME=VALUE  change a scenario parameter (see 'pkosim params SCENARIO')\n"
    "  --out DIR         results folder (default: out/<scenario name>); a folder from an\n"
    "                    earlier run is replaced only when this run succeeds\n"
    "  --quiet           print nothing but errors\n";

static const char *const check_help =
    "Usage: pkosim check SCENARIO [--set NAME=VALUE]...\n"
    "\n"
    "Loads SCENARIO, its map and its parameters exactly as 'run' would, without running a\n"
    "day. Prints every problem found with its file and line (or JSON path) and what was\n"
    "expected; exit code 0 when the scenario is valid, 2 when it is not.\n";

static const char *const params_help =
    "Usage: pkosim params SCENARIO [--set NAME=VALUE]...\n"
    "\n"
    "Lists the parameters SCENARIO declares: name, type, value (default, or as --set),\n"
    "range or choices, and a one-line description. Change them with --set NAME=VALUE on\n"
    "'run', 'check' or 'params'.\n";

/* mkdir -p for the parents of path. */
static void make_parents(const char *path) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        mkdir(buf, 0777);
        *p = '/';
    }
}

static void print_summary(const pk_world *w, const char *out_dir, const char *name, uint64_t seed, int32_t days) {
    pk_world_info info = pk_world_get_info(w);
    printf("pkosim: %s, seed %llu, %d days, %d civilian agents (1 agent = %d persons), %d units\n", name,
           (unsigned long long)seed, days, info.n_agents, info.scale, pk_world_units(w, NULL, 0));
    static const char *const totals[] = {"civilian_deaths", "peacekeeper_deaths", "violent_incidents", NULL};
    static const char *const levels[] = {"displaced", "needs_met", "armed_strength", "political_progress", NULL};
    printf("  totals:");
    for (int i = 0; totals[i]; i++)
        printf(" %s %.0f", totals[i], pk_world_indicator_total(w, pk_world_indicator_find(w, totals[i])));
    printf("\n  day %d:", days);
    for (int i = 0; levels[i]; i++) {
        double v = pk_world_indicator(w, pk_world_indicator_find(w, levels[i]));
        if (v == (double)(long long)v) printf(" %s %.0f", levels[i], v);
        else printf(" %s %.2f", levels[i], v);
    }
    printf("\n  results: %s/summary.json, indicators.csv, events.jsonl, causes.csv\n", out_dir);
}

int pk_cmd_run(int argc, char **argv) {
    pk_cli_args a;
    int rc = pk_cli_parse("run", argc, argv, &a, "seed days set out", "quiet", "SCENARIO (a .lua file)");
    if (rc != EXIT_OK) return rc;
    if (a.help) {
        fputs(run_help, stdout);
        return EXIT_OK;
    }
    pk_scenario *sc = pk_cli_load_scenario(&a);
    if (!sc) return EXIT_USAGE;
    int32_t days = a.days > 0 ? (int32_t)a.days : pk_scenario_default_days(sc);
    char out_dir[1024];
    if (a.out) snprintf(out_dir, sizeof out_dir, "%s", a.out);
    else snprintf(out_dir, sizeof out_dir, "out/%s", pk_scenario_name(sc));
    if (!a.out) make_parents(out_dir);
    pk_world *w = pk_scenario_world(sc);
    pk_error err;
    pk_output *out = pk_output_open(out_dir, w, &err);
    if (!out) {
        pk_cli_print_error(&err);
        pk_scenario_free(sc);
        return EXIT_USAGE;
    }
    pk_status st = pk_scenario_start(sc, &err);
    for (int32_t d = 0; d < days && st == PK_OK; d++) {
        st = pk_scenario_step(sc, &err);
        if (st == PK_OK) st = pk_output_day(out, w, &err);
    }
    if (st == PK_OK) st = pk_scenario_finish(sc, &err);
    if (st != PK_OK) {
        pk_cli_print_error(&err);
        pk_output_abort(out);
        pk_scenario_free(sc);
        return st == PK_ERR_INPUT ? EXIT_USAGE : EXIT_RUNTIME;
    }
    pk_output_param params[64];
    int np = pk_scenario_param_count(sc);
    for (int i = 0; i < np && i < 64; i++) {
        params[i].name = pk_scenario_param_get(sc, i)->name;
        params[i].value = pk_scenario_param_get(sc, i)->value_text;
    }
    pk_run_info info = {pk_scenario_name(sc), pk_scenario_path(sc), pk_scenario_seed(sc), days, np < 64 ? np : 64, params};
    if (pk_output_finish(out, w, &info, &err) != PK_OK) {
        pk_cli_print_error(&err);
        pk_scenario_free(sc);
        return EXIT_RUNTIME;
    }
    if (!a.quiet) print_summary(w, out_dir, pk_scenario_name(sc), pk_scenario_seed(sc), days);
    pk_scenario_free(sc);
    return EXIT_OK;
}

int pk_cmd_check(int argc, char **argv) {
    pk_cli_args a;
    int rc = pk_cli_parse("check", argc, argv, &a, "set", "quiet", "SCENARIO (a .lua file)");
    if (rc != EXIT_OK) return rc;
    if (a.help) {
        fputs(check_help, stdout);
        return EXIT_OK;
    }
    pk_scenario_options opt = pk_cli_scenario_options(&a);
    pk_errors *errs = calloc(1, sizeof *errs);
    if (!errs) return EXIT_RUNTIME;
    pk_scenario *sc = pk_scenario_load(a.positional, &opt, errs);
    if (!sc) {
        pk_cli_print_errors(errs);
        fprintf(stderr, "pkosim check: %s: %d problem%s\n", a.positional, errs->count, errs->count == 1 ? "" : "s");
        free(errs);
        return EXIT_USAGE;
    }
    free(errs);
    pk_world *w = pk_scenario_world(sc);
    pk_world_info info = pk_world_get_info(w);
    size_t pending;
    (void)pk_world_command_log(w, &pending);
    if (!a.quiet)
        printf("ok: %s (%s): map %dx%d cells, %d regions, %d civilian groups, %d factions, %d agents, %d parameters\n",
               pk_scenario_name(sc), a.positional, info.width, info.height, info.n_regions, info.n_groups, info.n_factions,
               info.n_agents, pk_scenario_param_count(sc));
    pk_scenario_free(sc);
    return EXIT_OK;
}

static const char *type_name(pk_sparam_type t) {
    static const char *const n[] = {"number", "int", "bool", "choice", "list", "string"};
    return n[t];
}

int pk_cmd_params(int argc, char **argv) {
    pk_cli_args a;
    int rc = pk_cli_parse("params", argc, argv, &a, "set", NULL, "SCENARIO (a .lua file)");
    if (rc != EXIT_OK) return rc;
    if (a.help) {
        fputs(params_help, stdout);
        return EXIT_OK;
    }
    pk_scenario_options opt = pk_cli_scenario_options(&a);
    pk_errors *errs = calloc(1, sizeof *errs);
    if (!errs) return EXIT_RUNTIME;
    pk_scenario *sc = pk_scenario_load_params(a.positional, &opt, errs);
    if (!sc) {
        pk_cli_print_errors(errs);
        free(errs);
        return EXIT_USAGE;
    }
    free(errs);
    int n = pk_scenario_param_count(sc);
    if (n == 0) printf("%s declares no parameters.\n", a.positional);
    else printf("%-24s %-7s %-22s %-30s %s\n", "NAME", "TYPE", "VALUE", "RANGE / CHOICES", "DESCRIPTION");
    for (int i = 0; i < n; i++) {
        const pk_scenario_param *p = pk_scenario_param_get(sc, i);
        char range[512] = "";
        if (p->type == PK_SP_CHOICE || p->type == PK_SP_LIST) {
            size_t len = 0;
            for (int k = 0; k < p->n_choices && len < sizeof range - 40; k++)
                len += (size_t)snprintf(range + len, sizeof range - len, "%s%s", k ? (p->type == PK_SP_LIST ? "," : "|") : "",
                                        p->choices[k]);
        } else if (p->has_min || p->has_max) {
            char lo[32] = "", hi[32] = "";
            if (p->has_min) snprintf(lo, sizeof lo, "%g", p->min);
            if (p->has_max) snprintf(hi, sizeof hi, "%g", p->max);
            snprintf(range, sizeof range, "%s..%s", lo, hi);
        }
        char value[300];
        snprintf(value, sizeof value, "%s%s", p->value_text, p->overridden ? " (set)" : "");
        printf("%-24s %-7s %-22s %-30s %s\n", p->name, type_name(p->type), value, range, p->description);
    }
    pk_scenario_free(sc);
    return EXIT_OK;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(main_help, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(main_help, stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version")) {
        puts("pkosim " PKOSIM_VERSION);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "run")) return pk_cmd_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "check")) return pk_cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "params")) return pk_cmd_params(argc - 2, argv + 2);
    if (!strcmp(cmd, "bench")) return pk_cmd_bench(argc - 2, argv + 2);
    if (!strcmp(cmd, "explain")) return pk_cmd_explain(argc - 2, argv + 2);
    if (!strcmp(cmd, "view")) return pk_cmd_view(argc - 2, argv + 2);
    fprintf(stderr, "pkosim: unknown command '%s' (expected run, check or params)\nTry 'pkosim --help'.\n", cmd);
    return EXIT_USAGE;
}
