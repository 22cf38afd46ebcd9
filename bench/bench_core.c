/* bench_core.c — a benchmark of the core's day step (not a test: timings live here,
 * never in a pass/fail test). Builds a synthetic square mission area of R x R regions
 * with N civilian agents and a few units per region, runs D days and prints one JSON
 * object: agents, days, seconds (simulation only), steps_per_s, agent_steps_per_s,
 * peak_rss_bytes.
 * The first 3 days are a warm-up, timed apart.
 *   usage: bench_core [AGENTS [DAYS [GRID_CELLS]]]     defaults: 1000000 20 1000 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "pkosim/pkosim.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    long agents = argc > 1 ? atol(argv[1]) : 1000000;
    int days = argc > 2 ? atoi(argv[2]) : 20;
    int cells = argc > 3 ? atoi(argv[3]) : 1000;
    const int side = 4, R = side * side, G = 3;
    if (agents < 1 || days < 1 || cells < side) {
        fprintf(stderr, "usage: bench_core [AGENTS [DAYS [GRID_CELLS]]]\n");
        return 2;
    }
    pk_map *m = pk_map_create(cells, cells);
    m->cell_km = 1;
    m->dlon = m->dlat = 0.009;
    for (int r = 0; r < R; r++) {
        char id[16];
        snprintf(id, sizeof id, "r%d", r);
        pk_map_add_region(m, id, id);
    }
    for (int y = 0; y < cells; y++)
        for (int x = 0; x < cells; x++) m->region[y * cells + x] = (int16_t)((y * side / cells) * side + x * side / cells);
    pk_world_def def = pk_world_def_default();
    def.map = m;
    def.scale = 10;
    def.n_groups = G;
    for (int g = 0; g < G; g++) {
        def.groups[g] = pk_group_def_default();
        snprintf(def.groups[g].id, PK_ID_MAX, "g%d", g);
        for (int r = 0; r < R; r++) def.groups[g].agents_per_region[r] = (int32_t)(agents / (G * R));
    }
    const char *ids[] = {"un", "gov", "reb"};
    pk_faction_kind kinds[] = {PK_FACTION_UN, PK_FACTION_HOST_GOV, PK_FACTION_ARMED_GROUP};
    def.n_factions = 3;
    for (int f = 0; f < 3; f++) {
        def.factions[f] = pk_faction_def_default();
        snprintf(def.factions[f].id, PK_ID_MAX, "%s", ids[f]);
        def.factions[f].kind = kinds[f];
    }
    def.groups[2].sympathises_with = 2;
    pk_error err;
    pk_world *w = pk_world_create(&def, &err);
    if (!w) {
        fprintf(stderr, "bench_core: %s\n", err.msg);
        return 1;
    }
    for (int r = 0; r < R; r++)
        for (int f = 0; f < 3; f++) {
            pk_command c;
            memset(&c, 0, sizeof c);
            c.type = PK_CMD_ADD_UNIT;
            c.unit_def = pk_unit_def_default();
            c.unit_def.faction = f;
            c.unit_def.type = f == 2 ? PK_UNIT_ARMED_BAND : (f == 1 ? PK_UNIT_GOV_POLICE : PK_UNIT_INFANTRY);
            c.unit_def.strength = f == 2 ? 300 : 800;
            c.unit_def.home_region = r;
            if (pk_world_command(w, &c, NULL, &err) != PK_OK) return 1;
        }
    pk_world_info info = pk_world_get_info(w);
    /* warm-up: the first days build the travel-time fields units move along (a one-off
     * cost per goal region, reported apart) */
    double tw = now();
    for (int d = 0; d < 3; d++) pk_world_step(w);
    double warmup = now() - tw;
    double t0 = now();
    for (int d = 0; d < days; d++) pk_world_step(w);
    double secs = now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("{\"agents\": %d, \"days\": %d, \"threads\": 1, \"seconds\": %.4f, \"steps_per_s\": %.2f, "
           "\"agent_steps_per_s\": %.0f, \"peak_rss_bytes\": %ld, \"warmup_seconds\": %.4f, \"state_hash\": \"%016llx\"}\n",
           info.n_agents, days, secs, days / secs, (double)info.n_agents * days / secs, ru.ru_maxrss * 1024L, warmup,
           (unsigned long long)pk_world_hash(w));
    pk_world_destroy(w);
    pk_map_free(m);
    return 0;
}
