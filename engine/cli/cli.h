/* cli.h — what the subcommands of `pkosim` share: exit codes, argument parsing, error
 * printing, scenario options. One file per subcommand (run/check/params in main.c; view,
 * bench, explain in their own files), each an `int pk_cmd_NAME(int argc, char **argv)`
 * that gets the arguments after its name. */
#ifndef PK_CLI_H
#define PK_CLI_H

#include <stdint.h>

#include "pkosim/pkosim.h"
#include "scenario.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };
enum { PK_CLI_MAX_SETS = 256, PK_CLI_MAX_OPTS = 32 };

typedef struct pk_cli_args {
    const char *positional;   /* the SCENARIO (or RUN_DIR) argument */
    const char *out;          /* --out */
    const char *sets[PK_CLI_MAX_SETS]; /* --set NAME=VALUE */
    int n_sets;
    uint64_t seed;            /* --seed */
    int seed_given;
    long days;                /* --days, -1 if not given */
    int quiet;                /* --quiet */
    int help;                 /* --help or -h */
    /* other options the command declared: valued ones and flags */
    int n_opts;
    const char *opt_names[PK_CLI_MAX_OPTS];
    const char *opt_values[PK_CLI_MAX_OPTS]; /* NULL for a flag */
} pk_cli_args;

/* Parse the arguments after the command name. `options` lists the valued options the
 * command takes, space-separated without dashes ("seed days set out threads");
 * `flags` the boolean ones ("quiet headless"). seed, days, set, out and quiet are parsed
 * into their fields; any other listed option lands in opt_names / opt_values. A missing
 * positional argument is an error unless `positional_optional`. On a usage error prints
 * it and returns EXIT_USAGE; else EXIT_OK (check a->help). */
int pk_cli_parse(const char *cmd, int argc, char **argv, pk_cli_args *a, const char *options, const char *flags,
                 const char *positional_name);
/* The value of option `name` (or NULL); for a flag, non-NULL ("") when given. */
const char *pk_cli_opt(const pk_cli_args *a, const char *name);
/* Parse a whole number in [0, max]; 1 if valid. */
int pk_cli_parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/* "pkosim CMD: <message>\nTry 'pkosim CMD --help'." on stderr; returns EXIT_USAGE. */
int pk_cli_usage_error(const char *cmd, const char *fmt, const char *arg);
void pk_cli_print_error(const pk_error *e);
void pk_cli_print_errors(const pk_errors *errs);

/* Load the scenario named by the positional argument with the parsed seed and --set
 * options; on failure prints every problem and returns NULL (the caller exits 2). */
pk_scenario *pk_cli_load_scenario(const pk_cli_args *a);

/* Scenario options from the parsed arguments (seed, --set). */
pk_scenario_options pk_cli_scenario_options(const pk_cli_args *a);

/* The subcommands. */
int pk_cmd_run(int argc, char **argv);
int pk_cmd_check(int argc, char **argv);
int pk_cmd_params(int argc, char **argv);
int pk_cmd_bench(int argc, char **argv);  /* cmd_bench.c */
int pk_cmd_explain(int argc, char **argv); /* cmd_explain.c */
int pk_cmd_view(int argc, char **argv);    /* cmd_view.c */

#endif
