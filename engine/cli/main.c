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

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };
enum { MAX_SETS = 256 };

static void print_error(const pk_error *e) {
    char buf[2048];
    fprintf(stderr, "pkosim: error: %s\n", pk_error_format(e, buf, sizeof buf));
}

static void print_errors(const pk_errors *errs) {
    for (int i = 0; i < errs->count; i++) print_error(&errs->items[i]);
    if (errs->count >= PK_ERRORS_MAX) fprintf(stderr, "pkosim: (only the first %d problems are shown)\n", PK_ERRORS_MAX);
}

static int usage_error(const char *cmd, const char *fmt, const char *arg) {
    fprintf(stderr, "pkosim %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'pkosim %s --help'.\n", cmd);
    return EXIT_USAGE;
}

static const char *const main_help =
    "pkosim " PKOSIM_VERSION " - training-exercise simulation of partnership peace operations\n"
    "\n"
    "Usage: pkosim COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  run SCENARIO     run a scenario headless and write its results\n"
    "  check SCENARIO   load and validate a scenario; list every problem\n"
    "  params SCENARIO  list a scenario's parameters (use --set NAME=VALUE to change them)\n"
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

typedef struct args {
    const char *scenario;
    const char *out;
    const char *sets[MAX_SETS];
    int n_sets;
    uint64_t seed;
    int seed_given;
    long days;
    int quiet;
    int help;
} args;

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out) {
    if (!s || !*s || *s == '-' || *s == '+') return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v > max) return 0;
    *out = v;
    return 1;
}

static int has_word(const char *list, const char *word) {
    size_t n = strlen(word);
    if (n == 0) return 0;
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    return 0;
}

/* Parse the arguments after the command name; `allowed` lists the options this command
 * takes ("seed days set out quiet"). */
static int parse_args(const char *cmd, int argc, char **argv, args *a, const char *allowed) {
    memset(a, 0, sizeof *a);
    a->days = -1;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            a->help = 1;
            return EXIT_OK;
        }
        if (s[0] == '-' && s[1]) {
            const char *name = s + (s[1] == '-' ? 2 : 1);
            char opt[32];
            snprintf(opt, sizeof opt, "%.31s", name);
            char *eq = strchr(opt, '=');
            const char *inline_val = NULL;
            if (eq) {
                *eq = '\0';
                inline_val = strchr(s, '=') + 1;
            }
            if (!has_word(allowed, opt)) return usage_error(cmd, "unknown option '%s'", s);
            if (!strcmp(opt, "quiet")) {
                a->quiet = 1;
                continue;
            }
            const char *val = inline_val;
            if (!val) {
                if (i + 1 >= argc) return usage_error(cmd, "option '%s' needs a value", s);
                val = argv[++i];
            }
            unsigned long long v;
            if (!strcmp(opt, "seed")) {
                if (!parse_uint(val, UINT64_MAX, &v)) return usage_error(cmd, "--seed: expected a whole number >= 0, got '%s'", val);
                a->seed = v;
                a->seed_given = 1;
            } else if (!strcmp(opt, "days")) {
                if (!parse_uint(val, 36500, &v) || v == 0)
                    return usage_error(cmd, "--days: expected a whole number from 1 to 36500, got '%s'", val);
                a->days = (long)v;
            } else if (!strcmp(opt, "set")) {
                if (a->n_sets >= MAX_SETS) return usage_error(cmd, "too many --set options (at most %s)", "256");
                if (!strchr(val, '=')) return usage_error(cmd, "--set: expected NAME=VALUE, got '%s'", val);
                a->sets[a->n_sets++] = val;
            } else if (!strcmp(opt, "out")) {
                if (!*val) return usage_error(cmd, "--out: expected a folder name%s", "");
                a->out = val;
            } else {
                return usage_error(cmd, "unknown option '%s'", s);
            }
            continue;
        }
        if (a->scenario) return usage_error(cmd, "unexpected argument '%s' (one scenario at a time)", s);
        a->scenario = s;
    }
    if (!a->scenario) return usage_error(cmd, "missing SCENARIO (a .lua file)%s", "");
    return EXIT_OK;
}

static pk_scenario_options options_from(const args *a) {
    pk_scenario_options o = pk_scenario_options_default();
    o.seed = a->seed;
    o.seed_given = a->seed_given;
    o.sets = a->sets;
    o.n_sets = a->n_sets;
    return o;
}

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
    printf("\n  results: %s/summary.json, indicators.csv, events.jsonl\n", out_dir);
}

static int cmd_run(int argc, char **argv) {
    args a;
    int rc = parse_args("run", argc, argv, &a, "seed days set out quiet");
    if (rc != EXIT_OK) return rc;
    if (a.help) {
        fputs(run_help, stdout);
        return EXIT_OK;
    }
    pk_scenario_options opt = options_from(&a);
    pk_errors *errs = calloc(1, sizeof *errs);
    if (!errs) return EXIT_RUNTIME;
    pk_scenario *sc = pk_scenario_load(a.scenario, &opt, errs);
    if (!sc) {
        print_errors(errs);
        free(errs);
        return EXIT_USAGE;
    }
    free(errs);
    int32_t days = a.days > 0 ? (int32_t)a.days : pk_scenario_default_days(sc);
    char out_dir[1024];
    if (a.out) snprintf(out_dir, sizeof out_dir, "%s", a.out);
    else snprintf(out_dir, sizeof out_dir, "out/%s", pk_scenario_name(sc));
    if (!a.out) make_parents(out_dir);
    pk_world *w = pk_scenario_world(sc);
    pk_error err;
    pk_output *out = pk_output_open(out_dir, w, &err);
    if (!out) {
        print_error(&err);
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
        print_error(&err);
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
        print_error(&err);
        pk_scenario_free(sc);
        return EXIT_RUNTIME;
    }
    if (!a.quiet) print_summary(w, out_dir, pk_scenario_name(sc), pk_scenario_seed(sc), days);
    pk_scenario_free(sc);
    return EXIT_OK;
}

static int cmd_check(int argc, char **argv) {
    args a;
    int rc = parse_args("check", argc, argv, &a, "set quiet");
    if (rc != EXIT_OK) return rc;
    if (a.help) {
        fputs(check_help, stdout);
        return EXIT_OK;
    }
    pk_scenario_options opt = options_from(&a);
    pk_errors *errs = calloc(1, sizeof *errs);
    if (!errs) return EXIT_RUNTIME;
    pk_scenario *sc = pk_scenario_load(a.scenario, &opt, errs);
    if (!sc) {
        print_errors(errs);
        fprintf(stderr, "pkosim check: %s: %d problem%s\n", a.scenario, errs->count, errs->count == 1 ? "" : "s");
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
               pk_scenario_name(sc), a.scenario, info.width, info.height, info.n_regions, info.n_groups, info.n_factions,
               info.n_agents, pk_scenario_param_count(sc));
    pk_scenario_free(sc);
    return EXIT_OK;
}

static const char *type_name(pk_sparam_type t) {
    static const char *const n[] = {"number", "int", "bool", "choice", "list", "string"};
    return n[t];
}

static int cmd_params(int argc, char **argv) {
    args a;
    int rc = parse_args("params", argc, argv, &a, "set");
    if (rc != EXIT_OK) return rc;
    if (a.help) {
        fputs(params_help, stdout);
        return EXIT_OK;
    }
    pk_scenario_options opt = options_from(&a);
    pk_errors *errs = calloc(1, sizeof *errs);
    if (!errs) return EXIT_RUNTIME;
    pk_scenario *sc = pk_scenario_load_params(a.scenario, &opt, errs);
    if (!sc) {
        print_errors(errs);
        free(errs);
        return EXIT_USAGE;
    }
    free(errs);
    int n = pk_scenario_param_count(sc);
    if (n == 0) printf("%s declares no parameters.\n", a.scenario);
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
    if (!strcmp(cmd, "run")) return cmd_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "check")) return cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "params")) return cmd_params(argc - 2, argv + 2);
    fprintf(stderr, "pkosim: unknown command '%s' (expected run, check or params)\nTry 'pkosim --help'.\n", cmd);
    return EXIT_USAGE;
}
