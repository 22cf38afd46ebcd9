/* cli_common.c — argument parsing and error printing shared by the subcommands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void pk_cli_print_error(const pk_error *e) {
    char buf[2048];
    fprintf(stderr, "pkosim: error: %s\n", pk_error_format(e, buf, sizeof buf));
}

void pk_cli_print_errors(const pk_errors *errs) {
    for (int i = 0; i < errs->count; i++) pk_cli_print_error(&errs->items[i]);
    if (errs->count >= PK_ERRORS_MAX) fprintf(stderr, "pkosim: (only the first %d problems are shown)\n", PK_ERRORS_MAX);
}

int pk_cli_usage_error(const char *cmd, const char *fmt, const char *arg) {
    fprintf(stderr, "pkosim %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'pkosim %s --help'.\n", cmd);
    return EXIT_USAGE;
}

int pk_cli_parse_uint(const char *s, unsigned long long max, unsigned long long *out) {
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
    if (!list || n == 0) return 0;
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    return 0;
}

static int add_opt(const char *cmd, pk_cli_args *a, const char *name, const char *value) {
    if (a->n_opts >= PK_CLI_MAX_OPTS) return pk_cli_usage_error(cmd, "too many options%s", "");
    a->opt_names[a->n_opts] = name;
    a->opt_values[a->n_opts] = value;
    a->n_opts++;
    return EXIT_OK;
}

int pk_cli_parse(const char *cmd, int argc, char **argv, pk_cli_args *a, const char *options, const char *flags,
                 const char *positional_name) {
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
            size_t nlen = strcspn(name, "=");
            char opt[32];
            if (nlen == 0 || nlen >= sizeof opt) return pk_cli_usage_error(cmd, "unknown option '%s'", s);
            memcpy(opt, name, nlen);
            opt[nlen] = '\0';
            const char *inline_val = name[nlen] == '=' ? name + nlen + 1 : NULL;
            if (has_word(flags, opt)) {
                if (inline_val) return pk_cli_usage_error(cmd, "option '%s' takes no value", s);
                if (!strcmp(opt, "quiet")) a->quiet = 1;
                else if (add_opt(cmd, a, argv[i] + (s[1] == '-' ? 2 : 1), "") != EXIT_OK) return EXIT_USAGE;
                continue;
            }
            if (!has_word(options, opt)) return pk_cli_usage_error(cmd, "unknown option '%s'", s);
            const char *val = inline_val;
            if (!val) {
                if (i + 1 >= argc) return pk_cli_usage_error(cmd, "option '%s' needs a value", s);
                val = argv[++i];
            }
            unsigned long long v;
            if (!strcmp(opt, "seed")) {
                if (!pk_cli_parse_uint(val, UINT64_MAX, &v))
                    return pk_cli_usage_error(cmd, "--seed: expected a whole number >= 0, got '%s'", val);
                a->seed = v;
                a->seed_given = 1;
            } else if (!strcmp(opt, "days")) {
                if (!pk_cli_parse_uint(val, 36500, &v) || v == 0)
                    return pk_cli_usage_error(cmd, "--days: expected a whole number from 1 to 36500, got '%s'", val);
                a->days = (long)v;
            } else if (!strcmp(opt, "set")) {
                if (a->n_sets >= PK_CLI_MAX_SETS) return pk_cli_usage_error(cmd, "too many --set options (at most %s)", "256");
                if (!strchr(val, '=')) return pk_cli_usage_error(cmd, "--set: expected NAME=VALUE, got '%s'", val);
                a->sets[a->n_sets++] = val;
            } else if (!strcmp(opt, "out")) {
                if (!*val) return pk_cli_usage_error(cmd, "--out: expected a folder name%s", "");
                a->out = val;
            } else {
                /* the option's name, as written (without dashes and value) */
                static char names[PK_CLI_MAX_OPTS][32];
                snprintf(names[a->n_opts % PK_CLI_MAX_OPTS], sizeof names[0], "%s", opt);
                if (add_opt(cmd, a, names[a->n_opts % PK_CLI_MAX_OPTS], val) != EXIT_OK) return EXIT_USAGE;
            }
            continue;
        }
        if (a->positional) return pk_cli_usage_error(cmd, "unexpected argument '%s'", s);
        a->positional = s;
    }
    if (!a->positional && positional_name) {
        char msg[128];
        snprintf(msg, sizeof msg, "missing %s", positional_name);
        return pk_cli_usage_error(cmd, "%s", msg);
    }
    return EXIT_OK;
}

const char *pk_cli_opt(const pk_cli_args *a, const char *name) {
    for (int i = a->n_opts - 1; i >= 0; i--)
        if (!strcmp(a->opt_names[i], name)) return a->opt_values[i];
    return NULL;
}

pk_scenario_options pk_cli_scenario_options(const pk_cli_args *a) {
    pk_scenario_options o = pk_scenario_options_default();
    o.seed = a->seed;
    o.seed_given = a->seed_given;
    o.sets = a->sets;
    o.n_sets = a->n_sets;
    return o;
}

pk_scenario *pk_cli_load_scenario(const pk_cli_args *a) {
    pk_scenario_options opt = pk_cli_scenario_options(a);
    pk_errors *errs = calloc(1, sizeof *errs);
    if (!errs) {
        fputs("pkosim: error: out of memory\n", stderr);
        return NULL;
    }
    pk_scenario *sc = pk_scenario_load(a->positional, &opt, errs);
    if (!sc) pk_cli_print_errors(errs);
    free(errs);
    return sc;
}
