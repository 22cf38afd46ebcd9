/* cmd_bench.c — `pkosim bench SCENARIO`: loads a scenario, runs it and prints one JSON
 * object with the simulation's speed and memory (a benchmark, never a test: timings
 * decide nothing). Only the day steps are timed (hooks included, loading excluded). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"

static const char *const bench_help =
    "Usage: pkosim bench SCENARIO [--set NAME=VALUE]... [--days N] [--threads T] [--seed S]\n"
    "\n"
    "Loads SCENARIO, runs it for N days (default: the scenario's) and prints one JSON object:\n"
    "agents (citizens plus cops or units), days, threads, seconds (the day steps only, not\n"
    "loading), steps_per_s, agent_steps_per_s, peak_rss_bytes and the final state_hash.\n"
    "--threads sets the worker threads of the Epstein models' parallel activation; results\n"
    "do not depend on it. The threads printed are those the run used: 1 for Epstein's\n"
    "random sequential activation and for the mission-area model, whatever --threads says.\n";

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int pk_cmd_bench(int argc, char **argv) {
    pk_cli_args a;
    int rc = pk_cli_parse("bench", argc, argv, &a, "seed days set threads", "quiet", "SCENARIO (a .lua file)");
    if (rc != EXIT_OK) return rc;
    if (a.help) {
        fputs(bench_help, stdout);
        return EXIT_OK;
    }
    unsigned long long threads = 1;
    const char *ts = pk_cli_opt(&a, "threads");
    if (ts && (!pk_cli_parse_uint(ts, 64, &threads) || threads < 1))
        return pk_cli_usage_error("bench", "--threads expects 1..64, got '%s'", ts);
    pk_scenario *sc = pk_cli_load_scenario(&a);
    if (!sc) return EXIT_USAGE;
    pk_world *w = pk_scenario_world(sc);
    pk_world_set_threads(w, (int)threads);
    int32_t days = a.days > 0 ? (int32_t)a.days : pk_scenario_default_days(sc);
    pk_error err;
    pk_status st = pk_scenario_start(sc, &err);
    double t0 = now_s();
    for (int32_t d = 0; d < days && st == PK_OK; d++) st = pk_scenario_step(sc, &err);
    double secs = now_s() - t0;
    if (st == PK_OK) st = pk_scenario_finish(sc, &err);
    if (st != PK_OK) {
        pk_cli_print_error(&err);
        pk_scenario_free(sc);
        return st == PK_ERR_INPUT ? EXIT_USAGE : EXIT_RUNTIME;
    }
    long long agents = pk_world_get_info(w).n_agents;
    if (pk_world_epstein(w)) {
        const pk_epstein_def *ed = pk_world_epstein(w);
        double dens = ed->model == 2 ? ed->peacekeeper_density : ed->cop_density;
        agents += (long long)llround(dens * (double)ed->width * (double)ed->height);
    } else {
        agents += pk_world_units(w, NULL, 0);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (secs <= 0) secs = 1e-9;
    printf("{\"scenario\": \"%s\", \"agents\": %lld, \"days\": %d, \"threads\": %llu, \"seconds\": %.6f, "
           "\"steps_per_s\": %.1f, \"agent_steps_per_s\": %.0f, \"peak_rss_bytes\": %ld, \"state_hash\": \"%016llx\"}\n",
           pk_scenario_name(sc), agents, days, (unsigned long long)pk_world_threads(w), secs, days / secs, (double)agents * days / secs,
           (long)ru.ru_maxrss * 1024L, (unsigned long long)pk_world_hash(w));
    pk_scenario_free(sc);
    return EXIT_OK;
}
