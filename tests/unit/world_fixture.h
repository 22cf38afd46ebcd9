/* world_fixture.h — small synthetic worlds built in code for the core's unit tests: no
 * files, no Lua. The standard map is 40 x 30 cells of 2 km in four quadrant regions
 *
 *        y=29 +-------------------+-------------------+
 *             |  nw (2)           |  ne (3)  [lake]   |
 *        y=15 +-------------------+-------------------+
 *             |  sw (1: 0) camp   |  se (1)           |   road along y = FX_ROAD_Y
 *        y=0  +-------------------+-------------------+
 *             x=0                x=20               x=39
 *
 * with a lake (PK_TERRAIN_WATER) in ne, a main road along row FX_ROAD_Y through sw and se,
 * and a camp site in sw. Three civilian groups (a sympathises with the rebels), four
 * factions: un (UN), gov (host_gov), rebels (armed_group), partner (regional, 75% funded).
 * Every helper REQUIREs success, so a test using a fixture stops at the first surprise. */
#ifndef PK_WORLD_FIXTURE_H
#define PK_WORLD_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include "pkosim/pkosim.h"
#include "test.h"

enum { FX_W = 40, FX_H = 30, FX_ROAD_Y = 7 };
enum { FX_SW = 0, FX_SE = 1, FX_NW = 2, FX_NE = 3, FX_NREG = 4 };
enum { FX_UN = 0, FX_GOV = 1, FX_REBELS = 2, FX_PARTNER = 3, FX_NFAC = 4 };
enum { FX_GA = 0, FX_GB = 1, FX_GC = 2, FX_NGRP = 3 };
/* what the standard map has (flags for fx_map) */
enum { FX_ROAD = 1, FX_LAKE = 2, FX_CAMP = 4, FX_ALL = 7 };
/* the lake: x in [FX_LAKE_X0, FX_LAKE_X1], y in [FX_LAKE_Y0, FX_LAKE_Y1] */
enum { FX_LAKE_X0 = 24, FX_LAKE_X1 = 33, FX_LAKE_Y0 = 18, FX_LAKE_Y1 = 26 };
enum { FX_CAMP_X = 4, FX_CAMP_Y = 3 };

static inline int32_t fx_cell(int32_t x, int32_t y) { return y * FX_W + x; }
static inline int32_t fx_x(int32_t cell) { return cell % FX_W; }
static inline int32_t fx_y(int32_t cell) { return cell / FX_W; }

/* The standard map with the features in `flags`. Caller frees (pk_map_free). */
static inline pk_map *fx_map(unsigned flags) {
    pk_map *m = pk_map_create(FX_W, FX_H);
    REQUIRE(m != NULL);
    m->cell_km = 2.0;
    m->lon0 = 30.0;
    m->lat0 = 2.0;
    m->dlon = m->dlat = 0.018;
    REQUIRE(pk_map_add_region(m, "sw", "South-West") == FX_SW);
    REQUIRE(pk_map_add_region(m, "se", "South-East") == FX_SE);
    REQUIRE(pk_map_add_region(m, "nw", "North-West") == FX_NW);
    REQUIRE(pk_map_add_region(m, "ne", "North-East") == FX_NE);
    for (int32_t y = 0; y < FX_H; y++)
        for (int32_t x = 0; x < FX_W; x++) {
            int32_t c = fx_cell(x, y);
            m->region[c] = (int16_t)(y < FX_H / 2 ? (x < FX_W / 2 ? FX_SW : FX_SE) : (x < FX_W / 2 ? FX_NW : FX_NE));
            if ((flags & FX_LAKE) && x >= FX_LAKE_X0 && x <= FX_LAKE_X1 && y >= FX_LAKE_Y0 && y <= FX_LAKE_Y1)
                m->terrain[c] = PK_TERRAIN_WATER;
            if ((flags & FX_ROAD) && y == FX_ROAD_Y) m->road[c] = PK_ROAD_MAIN;
        }
    if (flags & FX_CAMP) {
        pk_site s;
        memset(&s, 0, sizeof s);
        snprintf(s.name, sizeof s.name, "%s", "Camp Hope");
        s.kind = PK_SITE_CAMP;
        s.cell = fx_cell(FX_CAMP_X, FX_CAMP_Y);
        s.population = 5000;
        REQUIRE(pk_map_add_site(m, &s) == 0);
    }
    return m;
}

/* Agents per region of each group (sw, se, nw, ne). */
static const int32_t fx_agents[FX_NGRP][FX_NREG] = {{120, 30, 60, 40}, {80, 150, 60, 60}, {0, 40, 50, 70}};

static inline int32_t fx_total_agents(void) {
    int32_t n = 0;
    for (int g = 0; g < FX_NGRP; g++)
        for (int r = 0; r < FX_NREG; r++) n += fx_agents[g][r];
    return n;
}

/* The standard definition over map m (which must outlive pk_world_create only). */
static inline pk_world_def fx_def(const pk_map *m, uint64_t seed) {
    pk_world_def d = pk_world_def_default();
    d.seed = seed;
    d.scale = 1;
    d.map = m;
    static const char *const gid[FX_NGRP] = {"a", "b", "c"};
    d.n_groups = FX_NGRP;
    for (int g = 0; g < FX_NGRP; g++) {
        d.groups[g] = pk_group_def_default();
        snprintf(d.groups[g].id, PK_ID_MAX, "%s", gid[g]);
        snprintf(d.groups[g].name, PK_NAME_MAX, "Group %s", gid[g]);
        for (int r = 0; r < FX_NREG; r++) d.groups[g].agents_per_region[r] = fx_agents[g][r];
    }
    d.groups[FX_GA].sympathises_with = FX_REBELS;
    static const char *const fid[FX_NFAC] = {"un", "gov", "rebels", "partner"};
    static const pk_faction_kind kind[FX_NFAC] = {PK_FACTION_UN, PK_FACTION_HOST_GOV, PK_FACTION_ARMED_GROUP,
                                                  PK_FACTION_REGIONAL};
    d.n_factions = FX_NFAC;
    for (int f = 0; f < FX_NFAC; f++) {
        d.factions[f] = pk_faction_def_default();
        snprintf(d.factions[f].id, PK_ID_MAX, "%s", fid[f]);
        snprintf(d.factions[f].name, PK_NAME_MAX, "Faction %s", fid[f]);
        d.factions[f].kind = kind[f];
    }
    d.factions[FX_PARTNER].funding_share = 0.75;
    return d;
}

/* A world from def; REQUIREs success. */
static inline pk_world *fx_create(const pk_world_def *d) {
    pk_error err;
    pk_world *w = pk_world_create(d, &err);
    if (!w) fprintf(stderr, "fx_create: %s (%s)\n", err.msg, err.path);
    REQUIRE(w != NULL);
    return w;
}

/* The standard world: map with all features, the standard definition. */
static inline pk_world *fx_world(uint64_t seed) {
    pk_map *m = fx_map(FX_ALL);
    pk_world_def d = fx_def(m, seed);
    pk_world *w = fx_create(&d);
    pk_map_free(m);
    return w;
}

/* A zeroed command of this type (region, faction -1: none). */
static inline pk_command fx_cmd(pk_command_type type) {
    pk_command c;
    memset(&c, 0, sizeof c);
    c.type = type;
    c.region = -1;
    c.faction = -1;
    return c;
}

/* A unit definition placed in a region's centre (cell < 0) or at a cell. */
static inline pk_unit_def fx_unit_def(int32_t faction, pk_unit_type type, int32_t strength, int32_t region,
                                      int32_t cell, pk_task task, int32_t target) {
    pk_unit_def u = pk_unit_def_default();
    u.faction = faction;
    u.type = type;
    u.strength = strength;
    u.cell = cell;
    u.home_region = cell >= 0 ? -1 : region;
    u.task = task;
    u.target_region = target;
    snprintf(u.name, sizeof u.name, "%s %d", pk_unit_type_name(type), strength);
    return u;
}

/* Queue PK_CMD_ADD_UNIT; REQUIREs success and returns the reserved id. */
static inline pk_unit_id fx_add(pk_world *w, pk_unit_def u) {
    pk_command c = fx_cmd(PK_CMD_ADD_UNIT);
    c.unit_def = u;
    pk_unit_id id;
    pk_error err;
    pk_status st = pk_world_command(w, &c, &id, &err);
    if (st != PK_OK) fprintf(stderr, "fx_add: %s (%s)\n", err.msg, err.path);
    REQUIRE(st == PK_OK);
    REQUIRE(!pk_unit_id_is_null(id));
    return id;
}

static inline pk_unit_id fx_add_unit(pk_world *w, int32_t faction, pk_unit_type type, int32_t strength, int32_t region,
                                     pk_task task, int32_t target) {
    return fx_add(w, fx_unit_def(faction, type, strength, region, -1, task, target));
}

/* Queue a command; REQUIREs success. */
static inline void fx_command(pk_world *w, pk_command c) {
    pk_error err;
    pk_status st = pk_world_command(w, &c, NULL, &err);
    if (st != PK_OK) fprintf(stderr, "fx_command: %s (%s)\n", err.msg, err.path);
    REQUIRE(st == PK_OK);
}

static inline void fx_set_region(pk_world *w, int32_t region, pk_region_field key, double value) {
    pk_command c = fx_cmd(PK_CMD_SET_REGION);
    c.region = region;
    c.key = key;
    c.value = value;
    fx_command(w, c);
}

static inline void fx_set_param(pk_world *w, pk_param p, double value) {
    pk_command c = fx_cmd(PK_CMD_SET_PARAM);
    c.key = p;
    c.value = value;
    fx_command(w, c);
}

/* A mixed force for runs with conflict: mission, partner and government units, and two
 * rebel bands that raid. */
static inline void fx_add_forces(pk_world *w) {
    fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 300, FX_SE, PK_TASK_IDLE, -1);
    fx_add_unit(w, FX_UN, PK_UNIT_ENGINEERS, 80, FX_SE, PK_TASK_REPAIR, -1);
    fx_add_unit(w, FX_GOV, PK_UNIT_GOV_ARMY, 400, FX_NW, PK_TASK_PATROL, -1);
    fx_add_unit(w, FX_GOV, PK_UNIT_GOV_POLICE, 150, FX_SW, PK_TASK_IDLE, -1);
    fx_add_unit(w, FX_PARTNER, PK_UNIT_INFANTRY, 250, FX_NE, PK_TASK_PATROL, FX_SW);
    fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 200, FX_SW, PK_TASK_IDLE, -1);
    fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 120, FX_NE, PK_TASK_RAID, -1);
}

static inline void fx_run(pk_world *w, int days) {
    for (int i = 0; i < days; i++) pk_world_step(w);
}

/* Number of events of a type (all events so far). */
static inline int fx_count_events(const pk_world *w, pk_event_type type) {
    size_t n;
    const pk_event *ev = pk_world_events(w, &n);
    int k = 0;
    for (size_t i = 0; i < n; i++) k += ev[i].type == type;
    return k;
}

/* Value of a named indicator; REQUIREs that it exists. */
static inline double fx_ind(const pk_world *w, const char *name) {
    int32_t i = pk_world_indicator_find(w, name);
    if (i < 0) fprintf(stderr, "fx_ind: no indicator '%s'\n", name);
    REQUIRE(i >= 0);
    return pk_world_indicator(w, i);
}
static inline double fx_ind_total(const pk_world *w, const char *name) {
    int32_t i = pk_world_indicator_find(w, name);
    REQUIRE(i >= 0);
    return pk_world_indicator_total(w, i);
}

/* Agents of group g (or any group, g < 0) in state s. */
static inline int32_t fx_count_agents(const pk_world *w, int32_t g, pk_agent_state s) {
    pk_agents_view v = pk_world_agents(w);
    int32_t n = 0;
    for (int32_t a = 0; a < v.count; a++)
        if ((g < 0 || v.group[a] == g) && v.state[a] == s) n++;
    return n;
}

#endif
