/* core_phases.c — unit tests of the day phases (the files of engine/model and
 * engine/core/indicators.c),
 * one focused test or more per phase on the small synthetic world of world_fixture.h.
 * Where a phase can be isolated, the test sets the state through world_internal.h and
 * calls the pk_phase_* function directly; otherwise it runs whole days and compares two
 * worlds that differ in one thing. Tests assert mechanisms and directions with margins
 * derived from the formulas, not calibrated numbers, so recalibration does not break them
 * unless it breaks the mechanism. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "world_fixture.h"

static int32_t slot_of(pk_unit_id id) { return (int32_t)id.index1 - 1; }

/* A calm world: legitimacy 1 and full services, so nobody is aggrieved and nothing but
 * what a test adds happens. */
static pk_world *calm_world(uint64_t seed, unsigned map_flags) {
    pk_map *m = fx_map(map_flags);
    pk_world_def d = fx_def(m, seed);
    d.params[PK_PARAM_LEGITIMACY] = 1.0;
    d.params[PK_PARAM_SERVICE_LEVEL] = 1.0;
    pk_world *w = fx_create(&d);
    pk_map_free(m);
    return w;
}

static int32_t unit_region(const pk_world *w, pk_unit_id id) {
    pk_unit_state st;
    REQUIRE(pk_world_unit(w, id, &st));
    return pk_world_map(w)->region[st.cell];
}

static int32_t unit_cell(const pk_world *w, pk_unit_id id) {
    pk_unit_state st;
    REQUIRE(pk_world_unit(w, id, &st));
    return st.cell;
}

/* Chebyshev distance in cells. */
static int32_t cheb(int32_t a, int32_t b) {
    int32_t dx = abs(fx_x(a) - fx_x(b)), dy = abs(fx_y(a) - fx_y(b));
    return dx > dy ? dx : dy;
}

/* ================================================================== 2. coordination */

static void test_coordination_standing_tasks(void) {
    pk_world *w = fx_world(5);
    pk_unit_id band = fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 100, FX_SW, PK_TASK_IDLE, -1);
    pk_unit_id inf = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 100, FX_SE, PK_TASK_IDLE, -1);
    pk_unit_id fpu = fx_add_unit(w, FX_PARTNER, PK_UNIT_FPU, 100, FX_NE, PK_TASK_IDLE, -1);
    pk_unit_id army = fx_add_unit(w, FX_GOV, PK_UNIT_GOV_ARMY, 100, FX_NW, PK_TASK_IDLE, -1);
    pk_unit_id eng = fx_add_unit(w, FX_UN, PK_UNIT_ENGINEERS, 50, FX_SE, PK_TASK_IDLE, -1);
    pk_unit_id med = fx_add_unit(w, FX_UN, PK_UNIT_MEDICAL, 50, FX_SE, PK_TASK_IDLE, -1);
    pk_unit_id aid = fx_add_unit(w, FX_UN, PK_UNIT_HUMANITARIAN, 50, FX_SE, PK_TASK_AID, -1);
    pk_world_step(w);
    pk_unit_state st;
    REQUIRE(pk_world_unit(w, band, &st));
    CHECK(st.task == PK_TASK_RAID);
    REQUIRE(pk_world_unit(w, inf, &st));
    CHECK(st.task == PK_TASK_PATROL);
    REQUIRE(pk_world_unit(w, fpu, &st));
    CHECK(st.task == PK_TASK_PATROL);
    REQUIRE(pk_world_unit(w, army, &st));
    CHECK(st.task == PK_TASK_PATROL);
    /* non-combat units stay idle; a given task is kept */
    REQUIRE(pk_world_unit(w, eng, &st));
    CHECK(st.task == PK_TASK_IDLE);
    REQUIRE(pk_world_unit(w, med, &st));
    CHECK(st.task == PK_TASK_IDLE);
    REQUIRE(pk_world_unit(w, aid, &st));
    CHECK(st.task == PK_TASK_AID);
    pk_world_destroy(w);
}

static void test_coordination_band_goals_stay_local(void) {
    /* Over 40 days of conflict, every band's goal is its current region or one adjacent
     * to it (raid_score looks at neighbours only). Checked by calling the phase on the
     * state at the start of each day. */
    pk_world *w = fx_world(6);
    fx_add_forces(w);
    fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 60, FX_SE, PK_TASK_IDLE, -1);
    fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 60, FX_NW, PK_TASK_RAID, -1);
    pk_world_step(w);
    int checked = 0, bad = 0, moved_region = 0;
    for (int day = 0; day < 40; day++) {
        pk_phase_coordination(w);
        for (int32_t s = 0; s < w->u_slots; s++) {
            if (w->u_slot[s] != PK_SLOT_LIVE || w->u_faction[s] != FX_REBELS) continue;
            int32_t here = w->map->region[w->u_cell[s]], goal = w->u_goal[s];
            checked++;
            if (goal != here && !(goal >= 0 && goal < FX_NREG && w->adj[here * FX_NREG + goal])) bad++;
            if (goal != here) moved_region++;
        }
        pk_world_step(w);
    }
    CHECK(checked > 40);
    CHECK(bad == 0);
    CHECK(moved_region > 0); /* bands do pick other regions, so the check had teeth */
    pk_world_destroy(w);
}

static void test_coordination_raid_and_patrol_scores(void) {
    pk_world *w = calm_world(7, FX_ALL);
    /* sw borders se and nw (ne only touches at a corner: not adjacent) */
    CHECK(w->adj[FX_SW * FX_NREG + FX_SE] && w->adj[FX_SW * FX_NREG + FX_NW] && !w->adj[FX_SW * FX_NREG + FX_NE]);
    pk_unit_id band = fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 100, FX_SW, PK_TASK_RAID, -1);
    pk_unit_id inf = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 100, FX_NE, PK_TASK_PATROL, -1);
    pk_world_step(w);
    /* targets a band does not sympathise with (groups b, c): sw 80, se 190, nw 110; no
     * security near the band (the UN company is in ne) */
    int32_t b = slot_of(band), u = slot_of(inf);
    w->u_cell[b] = w->region_centre[FX_SW];
    pk_phase_coordination(w);
    CHECK(w->u_goal[b] == FX_SE);
    /* with no violence anywhere a patrol stays where it is (ties go to the current region) */
    CHECK(w->u_goal[u] == w->map->region[w->u_cell[u]]);

    /* put the band back in sw, heavy security in se: it turns to nw */
    w->u_cell[b] = w->region_centre[FX_SW];
    fx_add_unit(w, FX_GOV, PK_UNIT_GOV_POLICE, 3000, FX_SE, PK_TASK_PROTECT, FX_SE);
    pk_world_step(w);
    w->u_cell[b] = w->region_centre[FX_SW];
    pk_phase_coordination(w);
    CHECK(w->u_goal[b] == FX_NW);

    /* violence next door draws the patrol: ne borders se */
    w->u_cell[u] = w->region_centre[FX_NE];
    w->violence[FX_SE] = 2.0f;
    pk_phase_coordination(w);
    CHECK(w->u_goal[u] == FX_SE);
    /* but not violence in a region that is not adjacent */
    w->violence[FX_SE] = 0.0f;
    w->violence[FX_SW] = 5.0f;
    pk_phase_coordination(w);
    CHECK(w->u_goal[u] == FX_NE);
    /* an explicit target overrides the standing logic */
    w->u_target[b] = FX_NE;
    pk_phase_coordination(w);
    CHECK(w->u_goal[b] == FX_NE);
    pk_world_destroy(w);
}

/* ================================================================== 3. movement */

static void test_movement_reaches_target(void) {
    pk_world *w = calm_world(8, FX_ALL);
    pk_unit_id obs = fx_add_unit(w, FX_UN, PK_UNIT_OBSERVERS, 20, FX_SE, PK_TASK_OBSERVE, FX_NW);
    pk_world_step(w); /* added at the se centre and moved a day */
    int32_t dest = w->region_centre[FX_NW];
    int32_t start = w->region_centre[FX_SE];
    int32_t d0 = cheb(start, dest), prev = cheb(unit_cell(w, obs), dest);
    CHECK(prev < d0);
    int arrived_day = -1;
    for (int day = 2; day <= 15; day++) {
        pk_world_step(w);
        int32_t d = cheb(unit_cell(w, obs), dest);
        CHECK(d <= prev); /* never moves away */
        prev = d;
        if (d == 0 && arrived_day < 0) arrived_day = day;
        CHECK(w->map->terrain[unit_cell(w, obs)] != PK_TERRAIN_WATER);
    }
    /* se centre (29,7) to nw centre (9,22): 20 cells east-west, 15 north-south, about 52 km;
     * observers do 20 km a day, a little less with whole cells: 3 to 4 days */
    CHECK(arrived_day >= 3 && arrived_day <= 4);
    CHECK(unit_cell(w, obs) == dest); /* and stays */
    CHECK(unit_region(w, obs) == FX_NW);
    pk_world_destroy(w);
}

static void test_movement_faster_on_roads(void) {
    /* an infantry company on the road row at x = 38 ordered to sw, whose centre (9, 7) is
     * on the same row: with the road it covers speed * PK_ROAD_SPEEDUP km a day */
    int32_t moved[2];
    for (int road = 0; road < 2; road++) {
        pk_map *m = fx_map(road ? FX_ALL : (FX_LAKE | FX_CAMP));
        pk_world_def d = fx_def(m, 9);
        d.params[PK_PARAM_LEGITIMACY] = 1.0;
        pk_world *w = fx_create(&d);
        pk_map_free(m);
        REQUIRE(w->region_centre[FX_SW] == fx_cell(9, FX_ROAD_Y));
        int32_t start = fx_cell(38, FX_ROAD_Y);
        pk_unit_id u = fx_add(w, fx_unit_def(FX_UN, PK_UNIT_INFANTRY, 100, -1, start, PK_TASK_PATROL, FX_SW));
        pk_world_step(w);
        int32_t c = unit_cell(w, u);
        CHECK(fx_y(c) == FX_ROAD_Y); /* straight along the row */
        moved[road] = fx_x(start) - fx_x(c);
        pk_world_destroy(w);
    }
    const double km = 2.0;
    int32_t off = (int32_t)(pk_speed_km[PK_UNIT_INFANTRY] / km);
    int32_t on = (int32_t)(pk_speed_km[PK_UNIT_INFANTRY] * PK_ROAD_SPEEDUP / km);
    CHECK(moved[0] == off);
    CHECK(moved[1] == on);
    CHECK(moved[1] >= 2 * moved[0]);
}

static void test_movement_never_on_water(void) {
    pk_world *w = calm_world(10, FX_ALL);
    /* units on every side of the lake, ordered across it or past it */
    pk_unit_id ids[6];
    ids[0] = fx_add(w, fx_unit_def(FX_UN, PK_UNIT_INFANTRY, 100, -1, fx_cell(22, 22), PK_TASK_PATROL, FX_NE));
    ids[1] = fx_add(w, fx_unit_def(FX_UN, PK_UNIT_INFANTRY, 100, -1, fx_cell(35, 27), PK_TASK_PATROL, FX_NW));
    ids[2] = fx_add(w, fx_unit_def(FX_GOV, PK_UNIT_GOV_ARMY, 100, -1, fx_cell(28, 28), PK_TASK_PATROL, FX_SE));
    ids[3] = fx_add(w, fx_unit_def(FX_PARTNER, PK_UNIT_ENGINEERS, 100, -1, fx_cell(29, 16), PK_TASK_REPAIR, FX_NW));
    ids[4] = fx_add(w, fx_unit_def(FX_REBELS, PK_UNIT_ARMED_BAND, 100, -1, fx_cell(23, 26), PK_TASK_RAID, FX_SE));
    ids[5] = fx_add(w, fx_unit_def(FX_UN, PK_UNIT_AVIATION, 20, -1, fx_cell(22, 22), PK_TASK_PATROL, FX_NE));
    int on_water = 0, aircraft_over_water = 0;
    for (int day = 0; day < 20; day++) {
        pk_world_step(w);
        for (int i = 0; i < 5; i++) {
            int32_t c = unit_cell(w, ids[i]);
            if (w->map->terrain[c] == PK_TERRAIN_WATER || w->map->region[c] < 0) on_water++;
        }
        if (w->map->terrain[unit_cell(w, ids[5])] == PK_TERRAIN_WATER) aircraft_over_water++;
    }
    CHECK(on_water == 0);
    /* the aircraft crossed the lake to the ne centre (34, 22) the first day and stayed */
    CHECK(unit_cell(w, ids[5]) == w->region_centre[FX_NE]);
    CHECK(aircraft_over_water == 0);
    pk_world_destroy(w);
}

/* A ground unit whose straight line to the goal crosses the lake goes around it (the
 * travel-time field; a greedy step used to stop on the shore for good). */
static void test_movement_goes_around_the_lake(void) {
    pk_world *w = calm_world(10, FX_ALL);
    pk_unit_id u = fx_add(w, fx_unit_def(FX_UN, PK_UNIT_INFANTRY, 100, -1, fx_cell(22, 22), PK_TASK_PATROL, FX_NE));
    fx_run(w, 20);
    CHECK(unit_cell(w, u) == w->region_centre[FX_NE]);
    pk_world_destroy(w);
}

/* A unit with a static task and no target region keeps its post (a camp, a site); with
 * a target region it takes post at that region's centre. */
static void test_static_tasks_keep_their_post(void) {
    pk_world *w = calm_world(12, FX_ALL);
    int32_t camp = fx_cell(FX_CAMP_X, FX_CAMP_Y);
    pk_unit_id guard = fx_add(w, fx_unit_def(FX_UN, PK_UNIT_FPU, 140, -1, camp, PK_TASK_PROTECT, -1));
    pk_unit_id aid = fx_add(w, fx_unit_def(FX_UN, PK_UNIT_HUMANITARIAN, 50, -1, camp, PK_TASK_AID, FX_SW));
    fx_run(w, 10);
    CHECK(unit_cell(w, guard) == camp);
    CHECK(unit_cell(w, aid) == w->region_centre[FX_SW]);
    pk_world_destroy(w);
}

static void test_movement_aviation_is_fast(void) {
    pk_world *w = calm_world(11, FX_ALL);
    pk_unit_id air = fx_add_unit(w, FX_UN, PK_UNIT_AVIATION, 20, FX_SE, PK_TASK_PATROL, FX_NW);
    pk_unit_id inf = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 100, FX_SE, PK_TASK_PATROL, FX_NW);
    pk_world_step(w);
    int32_t dest = w->region_centre[FX_NW];
    CHECK(unit_cell(w, air) == dest);                             /* about 52 km: one day */
    /* 15 km a day off road, 45 on the road it takes: still far from there after a day */
    CHECK(cheb(unit_cell(w, inf), dest) > 5);
    pk_world_destroy(w);
}

static void test_movement_freedom_of_movement(void) {
    /* a UN company in se, with and without a strong rebel band in se */
    double fom[2], fom_partner[2];
    for (int band = 0; band < 2; band++) {
        pk_world *w = calm_world(12, FX_ALL);
        fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 100, FX_SE, PK_TASK_PROTECT, FX_SE);
        fx_add_unit(w, FX_PARTNER, PK_UNIT_INFANTRY, 100, FX_NW, PK_TASK_PROTECT, FX_NW);
        if (band) fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 600, FX_SE, PK_TASK_RAID, FX_SE);
        pk_world_step(w);
        fom[band] = fx_ind(w, "freedom_of_movement.un");
        fom_partner[band] = fx_ind(w, "freedom_of_movement.partner");
        pk_world_destroy(w);
    }
    CHECK(fom[0] == 1.0);
    /* risk / ambush_rate = armed / (armed + eff + 1) = 600 / 701: fom about 0.14 */
    CHECK(fom[1] < 0.5);
    CHECK(fom[1] >= 0.0);
    /* the partner, far from the band, is not affected */
    CHECK(fom_partner[0] == 1.0 && fom_partner[1] == 1.0);
}

/* ================================================================== 4. logistics */

static void test_logistics_cost_gap_and_readiness(void) {
    pk_world *w = calm_world(13, FX_ALL);
    pk_unit_id un = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 100, FX_SE, PK_TASK_PROTECT, FX_SE);
    pk_unit_id pa = fx_add_unit(w, FX_PARTNER, PK_UNIT_INFANTRY, 200, FX_NW, PK_TASK_PROTECT, FX_NW);
    pk_unit_id gov = fx_add_unit(w, FX_GOV, PK_UNIT_GOV_ARMY, 300, FX_SW, PK_TASK_PROTECT, FX_SW);
    const double cpp = pk_world_param(w, PK_PARAM_COST_PER_PERSON_DAY);
    double prev = 1.0;
    int monotone = 1;
    for (int day = 1; day <= 60; day++) {
        pk_world_step(w);
        pk_unit_state st;
        REQUIRE(pk_world_unit(w, pa, &st));
        if (!(st.readiness < prev) || st.readiness < 0.671875f) monotone = 0;
        prev = st.readiness;
        if (day == 1 || day == 60) {
            /* readiness relaxes toward 0.25 + 0.75 * 0.75^2 = 0.671875 by readiness_decay a day */
            double expect = 0.671875 + 0.328125 * pow(1.0 - pk_world_param(w, PK_PARAM_READINESS_DECAY), day);
            CHECK_NEAR(st.readiness, expect, 1e-4);
        }
    }
    CHECK(monotone);
    pk_unit_state st;
    REQUIRE(pk_world_unit(w, un, &st));
    CHECK(st.readiness == 1.0f); /* fully funded: stays ready */
    REQUIRE(pk_world_unit(w, gov, &st));
    CHECK(st.readiness == 1.0f); /* the host government is not paid by the mission */
    /* cost = strength x cost_per_person_day; the gap is the unfunded 25% */
    CHECK_NEAR(w->cost_rate[FX_PARTNER], 200 * cpp, 1e-6);
    CHECK_NEAR(w->gap_rate[FX_PARTNER], 0.25 * 200 * cpp, 1e-6);
    CHECK_NEAR(w->cost_rate[FX_UN], 100 * cpp, 1e-6);
    CHECK(w->gap_rate[FX_UN] == 0.0);
    CHECK(w->cost_rate[FX_GOV] == 0.0);
    CHECK_NEAR(fx_ind(w, "cost"), 300 * cpp, 1e-6);
    CHECK_NEAR(fx_ind(w, "funding_gap"), 50 * cpp, 1e-6);
    CHECK_NEAR(fx_ind(w, "readiness.partner"), prev, 1e-6);
    CHECK(fx_ind(w, "readiness.un") == 1.0);

    /* the global funding_share multiplies the faction's; cost_per_person_day scales cost */
    fx_set_param(w, PK_PARAM_FUNDING_SHARE, 0.5);
    fx_set_param(w, PK_PARAM_COST_PER_PERSON_DAY, 250);
    pk_world_step(w);
    CHECK_NEAR(w->cost_rate[FX_PARTNER], 200 * 250.0, 1e-6);
    CHECK_NEAR(w->gap_rate[FX_PARTNER], (1 - 0.75 * 0.5) * 200 * 250.0, 1e-6);
    CHECK_NEAR(w->gap_rate[FX_UN], 0.5 * 100 * 250.0, 1e-6);
    REQUIRE(pk_world_unit(w, un, &st));
    CHECK(st.readiness < 1.0f); /* now the UN unit is underfunded too */
    pk_world_destroy(w);
}

/* ================================================================== 5. armed groups */

static void test_armed_groups_recruits_join_weakest_band(void) {
    pk_world *w = calm_world(14, FX_ALL);
    pk_unit_id b1 = fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 100, FX_SW, PK_TASK_RAID, FX_SW);
    pk_unit_id b2 = fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 40, FX_NE, PK_TASK_RAID, FX_NE);
    pk_unit_id b3 = fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 70, FX_NW, PK_TASK_RAID, FX_NW);
    pk_unit_id un = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 10, FX_SE, PK_TASK_PROTECT, FX_SE);
    pk_world_step(w);
    int32_t s1 = slot_of(b1), s2 = slot_of(b2), s3 = slot_of(b3), su = slot_of(un);
    REQUIRE(w->u_strength[s1] == 100 && w->u_strength[s2] == 40 && w->u_strength[s3] == 70);
    w->recruit_pool[FX_REBELS] = 25.f;
    w->recruit_pool[FX_UN] = 50.f; /* not an armed group: ignored */
    pk_phase_armed_groups(w);
    CHECK(w->u_strength[s2] == 65);
    CHECK(w->u_strength[s1] == 100 && w->u_strength[s3] == 70);
    CHECK(w->u_strength[su] == 10);
    CHECK(w->recruit_pool[FX_REBELS] == 0.f);
    CHECK(w->recruit_pool[FX_UN] == 50.f);
    /* next time the weakest is the 65 band... no: 65 < 70 < 100, still b2 */
    w->recruit_pool[FX_REBELS] = 10.f;
    pk_phase_armed_groups(w);
    CHECK(w->u_strength[s2] == 75);
    /* now b3 (70) is weakest; a fractional pool keeps its fraction */
    w->recruit_pool[FX_REBELS] = 7.5f;
    pk_phase_armed_groups(w);
    CHECK(w->u_strength[s3] == 77);
    CHECK(w->recruit_pool[FX_REBELS] == 0.5f);
    pk_world_destroy(w);

    /* with no band the recruits wait in the pool */
    w = calm_world(14, FX_ALL);
    w->recruit_pool[FX_REBELS] = 12.f;
    pk_phase_armed_groups(w);
    CHECK(w->recruit_pool[FX_REBELS] == 12.f);
    pk_world_destroy(w);
}

static void test_armed_groups_recruitment_end_to_end(void) {
    /* aggrieved sympathisers (group a) next to a band are recruited, and the band grows
     * by exactly the persons recruited */
    pk_map *m = fx_map(FX_ALL);
    pk_world_def d = fx_def(m, 15);
    d.scale = 5;
    d.params[PK_PARAM_LEGITIMACY] = 0.0;
    d.params[PK_PARAM_SERVICE_LEVEL] = 0.0;
    d.params[PK_PARAM_RECRUIT_RATE] = 0.2;
    d.params[PK_PARAM_ATTACK_RATE] = 0.0;
    pk_world *w = fx_create(&d);
    pk_map_free(m);
    pk_unit_id band = fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 50, FX_SW, PK_TASK_RAID, FX_SW);
    fx_run(w, 10);
    pk_unit_state st;
    REQUIRE(pk_world_unit(w, band, &st));
    int32_t recruited = fx_count_agents(w, -1, PK_AGENT_RECRUITED);
    CHECK(recruited > 0);
    CHECK(fx_count_agents(w, FX_GB, PK_AGENT_RECRUITED) == 0); /* only sympathisers join */
    CHECK(fx_ind_total(w, "recruits") == recruited * 5.0);
    /* the last day's recruits wait for tomorrow's phase 5 */
    CHECK(st.strength + (int32_t)w->recruit_pool[FX_REBELS] == 50 + recruited * 5);
    CHECK(fx_count_events(w, PK_EV_RECRUITMENT) > 0);
    pk_world_destroy(w);
}

/* ================================================================== 6. clashes */

static void test_clashes_raids_spare_sympathisers(void) {
    pk_world *w = calm_world(16, FX_ALL);
    fx_set_param(w, PK_PARAM_ATTACK_RATE, 0.5);
    fx_set_param(w, PK_PARAM_LETHALITY, 0.01); /* about 2 of group b's 80 an attack */
    /* sw: group a (sympathises with the rebels) 120, group b 80 */
    fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 200, FX_SW, PK_TASK_RAID, FX_SW);
    fx_run(w, 60);
    CHECK(fx_count_agents(w, FX_GA, PK_AGENT_DEAD) == 0);
    CHECK(fx_count_agents(w, FX_GB, PK_AGENT_DEAD) > 0);
    size_t n;
    const pk_event *ev = pk_world_events(w, &n);
    int attacks = 0, wrong = 0;
    for (size_t i = 0; i < n; i++)
        if (ev[i].type == PK_EV_ATTACK_CIVILIANS) {
            attacks++;
            if (ev[i].group != FX_GB || ev[i].faction != FX_REBELS || ev[i].region != FX_SW) wrong++;
        }
    CHECK(attacks > 10);
    CHECK(wrong == 0);
    /* every death is counted, and attributed to armed groups */
    double deaths = fx_ind_total(w, "civilian_deaths");
    CHECK(deaths == fx_count_agents(w, -1, PK_AGENT_DEAD));
    CHECK(fx_ind_total(w, "civilian_deaths.by_armed_groups") == deaths);
    pk_world_destroy(w);
}

static void test_clashes_security_presence_protects(void) {
    /* Monte Carlo over 20 seeds: a 200-strong band raiding sw for 40 days with attack_rate
     * 0.5, with and without a 1000-strong UN battalion protecting sw. Protection
     * (pk_protection) is p / (p + 5) with p the presence per 1000 persons, about 830 for
     * sw's 200 persons: 0.994, so deaths should fall by two orders of magnitude. The
     * margin asked for is a fourfold drop, with at least 5 deaths a run without
     * protection so the comparison means something. The battalion is on PROTECT, not PATROL, so it
     * does not fight the band: the difference is protection alone. */
    double sum[2] = {0, 0};
    for (int with = 0; with < 2; with++)
        for (uint64_t seed = 1; seed <= 20; seed++) {
            pk_world *w = calm_world(seed * 7919, FX_ALL);
            fx_set_param(w, PK_PARAM_ATTACK_RATE, 0.5);
            fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 200, FX_SW, PK_TASK_RAID, FX_SW);
            if (with) fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 1000, FX_SW, PK_TASK_PROTECT, FX_SW);
            fx_run(w, 40);
            sum[with] += fx_ind_total(w, "civilian_deaths");
            pk_world_destroy(w);
        }
    double without = sum[0] / 20, with_sec = sum[1] / 20;
    CHECK(without >= 5.0);
    CHECK(with_sec < 0.25 * without);
}

static void test_clashes_attrition_and_accounting(void) {
    pk_world *w = calm_world(17, FX_ALL);
    pk_unit_id band = fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 150, FX_NW, PK_TASK_RAID, FX_NW);
    pk_unit_id un = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 400, FX_NW, PK_TASK_OFFENSIVE, FX_NW);
    pk_world_step(w);
    int32_t un_start = 400;
    int clashes = 0;
    double band_losses = 0, un_losses = 0;
    for (int day = 0; day < 120 && pk_world_unit(w, band, NULL); day++) {
        pk_unit_state sb, su;
        REQUIRE(pk_world_unit(w, band, &sb));
        REQUIRE(pk_world_unit(w, un, &su));
        const int32_t band_before = sb.strength, un_before = su.strength;
        size_t n0;
        pk_world_events(w, &n0);
        pk_world_step(w);
        size_t n;
        const pk_event *ev = pk_world_events(w, &n);
        const int32_t band_after = pk_world_unit(w, band, &sb) ? sb.strength : 0; /* destroyed: 0 */
        const int32_t un_after = pk_world_unit(w, un, &su) ? su.strength : 0;
        const int32_t lost_b = band_before - band_after, lost_u = un_before - un_after;
        double ev_count = 0;
        for (size_t i = n0; i < n; i++)
            if (ev[i].type == PK_EV_CLASH) {
                clashes++;
                ev_count += ev[i].count;
                CHECK(ev[i].faction == FX_UN && ev[i].target_faction == FX_REBELS);
            }
        /* the day's clash events count exactly the persons both sides lost; the band's
         * dead are battle deaths, the UN's peacekeeper deaths */
        CHECK(ev_count == lost_b + lost_u);
        CHECK(fx_ind(w, "battle_deaths") == lost_b);
        CHECK(fx_ind(w, "peacekeeper_deaths") == lost_u);
        band_losses += lost_b;
        un_losses += lost_u;
    }
    CHECK(clashes > 0);
    CHECK(band_losses > 0);
    CHECK(band_losses > un_losses); /* regular forces have the firepower edge */
    CHECK(un_losses < un_start);
    pk_world_destroy(w);
}

/* ================================================================== 7. civilians */

static void test_civilians_legitimate_government_no_rebels(void) {
    pk_world *w = calm_world(18, FX_ALL);
    /* even with needs unmet nobody turns active when legitimacy is 1 and services full */
    for (int r = 0; r < FX_NREG; r++) fx_set_region(w, r, PK_REGION_NEEDS_MET, 0.0);
    int active = 0;
    for (int day = 0; day < 30; day++) {
        pk_world_step(w);
        active += fx_count_agents(w, -1, PK_AGENT_ACTIVE) + fx_count_agents(w, -1, PK_AGENT_JAILED);
        CHECK(fx_ind(w, "active") == 0);
    }
    CHECK(active == 0);
    pk_world_destroy(w);
}

static void test_civilians_illegitimate_government_rebellion(void) {
    pk_map *m = fx_map(FX_ALL);
    pk_world_def d = fx_def(m, 19);
    d.params[PK_PARAM_LEGITIMACY] = 0.0;
    d.params[PK_PARAM_SERVICE_LEVEL] = 0.0;
    d.params[PK_PARAM_NEEDS_WEIGHT] = 0.3; /* > threshold: unmet needs alone aggrieve */
    d.params[PK_PARAM_THRESHOLD] = 0.1;
    pk_world *w = fx_create(&d);
    pk_map_free(m);
    for (int r = 0; r < FX_NREG; r++) fx_set_region(w, r, PK_REGION_NEEDS_MET, 0.0);
    pk_world_step(w);
    int32_t active = fx_count_agents(w, -1, PK_AGENT_ACTIVE);
    /* no security forces at all: grievance >= needs_weight > threshold for everyone */
    CHECK(active > fx_total_agents() * 9 / 10);
    CHECK(fx_ind(w, "active") == active);
    /* and the same world with legitimacy 1 has no one active */
    pk_world *calm = calm_world(19, FX_ALL);
    for (int r = 0; r < FX_NREG; r++) fx_set_region(calm, r, PK_REGION_NEEDS_MET, 0.0);
    pk_world_step(calm);
    CHECK(fx_count_agents(calm, -1, PK_AGENT_ACTIVE) == 0);
    pk_world_destroy(calm);
    pk_world_destroy(w);
}

static void test_civilians_flee_to_camp_and_return(void) {
    pk_world *w = calm_world(20, FX_ALL);
    /* pinned: flight above 0.5 x (0.5 + u) insecurity, return below 0.15; an inject of 5
     * gives insecurity 1 - exp(-4) = 0.98 on day 1, below 0.15 after about 15 days */
    fx_set_param(w, PK_PARAM_FLIGHT_THRESHOLD, 0.5);
    fx_set_param(w, PK_PARAM_RETURN_THRESHOLD, 0.15);
    fx_set_param(w, PK_PARAM_VIOLENCE_DECAY, 0.8);
    const int32_t camp = fx_cell(FX_CAMP_X, FX_CAMP_Y);
    pk_agents_view v = pk_world_agents(w);
    int32_t sw_people = 0;
    for (int32_t a = 0; a < v.count; a++) sw_people += w->map->region[v.home_cell[a]] == FX_SW;
    REQUIRE(sw_people == 200);
    fx_set_region(w, FX_SW, PK_REGION_VIOLENCE, 5.0);
    int32_t max_in_camp = 0, peak_day = 0;
    double peak_displaced = 0;
    for (int day = 1; day <= 12; day++) {
        pk_world_step(w);
        int32_t in_camp = 0, bad = 0;
        v = pk_world_agents(w);
        for (int32_t a = 0; a < v.count; a++) {
            int home_sw = w->map->region[v.home_cell[a]] == FX_SW;
            if (v.state[a] == PK_AGENT_CAMP) {
                in_camp++;
                if (v.cell[a] != camp || !home_sw) bad++; /* at the camp's cell, from sw only */
            }
            if (v.state[a] == PK_AGENT_DISPLACED) bad++; /* there is a camp: nobody wanders */
            if (!home_sw && v.state[a] != PK_AGENT_HOME) bad++;
        }
        CHECK(bad == 0);
        if (in_camp > max_in_camp) {
            max_in_camp = in_camp;
            peak_day = day;
        }
        if (fx_ind(w, "displaced") > peak_displaced) peak_displaced = fx_ind(w, "displaced");
        CHECK(fx_ind(w, "in_camps") == in_camp);
    }
    CHECK(max_in_camp >= sw_people * 9 / 10);
    CHECK(peak_displaced == max_in_camp);
    CHECK(fx_count_events(w, PK_EV_DISPLACEMENT) > 0);
    (void)peak_day;
    /* violence decays by violence_decay a day; people go home once it is low */
    fx_run(w, 140);
    CHECK(pk_world_region_violence(w, FX_SW) < 0.01);
    int32_t home = 0;
    v = pk_world_agents(w);
    for (int32_t a = 0; a < v.count; a++)
        if (w->map->region[v.home_cell[a]] == FX_SW && v.state[a] == PK_AGENT_HOME && v.cell[a] == v.home_cell[a]) home++;
    CHECK(home >= sw_people * 95 / 100);
    CHECK(fx_count_events(w, PK_EV_RETURN) > 0);
    CHECK(fx_ind(w, "displaced") <= sw_people * 5 / 100);
    pk_world_destroy(w);
}

static void test_civilians_flee_without_camp(void) {
    /* without a camp, those who flee sw go to the centre of the safest neighbour */
    pk_world *w = calm_world(21, FX_ROAD | FX_LAKE);
    fx_set_region(w, FX_SW, PK_REGION_VIOLENCE, 5.0);
    fx_run(w, 6);
    int32_t displaced = fx_count_agents(w, -1, PK_AGENT_DISPLACED), bad = 0;
    pk_agents_view v = pk_world_agents(w);
    for (int32_t a = 0; a < v.count; a++)
        if (v.state[a] == PK_AGENT_DISPLACED && v.cell[a] != w->region_centre[FX_SE] && v.cell[a] != w->region_centre[FX_NW])
            bad++;
    CHECK(displaced > 100);
    CHECK(bad == 0);
    CHECK(fx_count_agents(w, -1, PK_AGENT_CAMP) == 0);
    pk_world_destroy(w);
}

static void test_civilians_arrest_and_release(void) {
    pk_map *m = fx_map(FX_ALL);
    pk_world_def d = fx_def(m, 22);
    d.params[PK_PARAM_LEGITIMACY] = 0.0;
    d.params[PK_PARAM_SERVICE_LEVEL] = 0.0;
    d.params[PK_PARAM_MAX_JAIL_DAYS] = 6;
    pk_world *w = fx_create(&d);
    pk_map_free(m);
    fx_add_unit(w, FX_GOV, PK_UNIT_GOV_POLICE, 300, FX_SW, PK_TASK_PROTECT, FX_SW);
    int32_t n = pk_world_get_info(w).n_agents;
    int32_t *jailed_on = malloc((size_t)n * sizeof *jailed_on);
    REQUIRE(jailed_on != NULL);
    for (int32_t a = 0; a < n; a++) jailed_on[a] = -1;
    uint8_t *prev = calloc((size_t)n, 1);
    REQUIRE(prev != NULL);
    int arrests = 0, releases = 0, too_long = 0, bad_release = 0, outside_sw = 0;
    for (int day = 1; day <= 40; day++) {
        pk_world_step(w);
        pk_agents_view v = pk_world_agents(w);
        for (int32_t a = 0; a < n; a++) {
            if (v.state[a] == PK_AGENT_JAILED && prev[a] != PK_AGENT_JAILED) {
                arrests++;
                jailed_on[a] = day;
                if (w->map->region[v.cell[a]] != FX_SW) outside_sw++; /* only police in sw */
            }
            if (v.state[a] != PK_AGENT_JAILED && prev[a] == PK_AGENT_JAILED) {
                releases++;
                if (day - jailed_on[a] > 6) too_long++;
                if (v.state[a] != PK_AGENT_HOME || v.cell[a] != v.home_cell[a]) bad_release++;
            }
            if (v.state[a] == PK_AGENT_JAILED && day - jailed_on[a] > 6) too_long++;
            prev[a] = v.state[a];
        }
    }
    CHECK(arrests > 10);
    CHECK(releases > 5);
    CHECK(too_long == 0);
    CHECK(bad_release == 0);
    CHECK(outside_sw == 0);
    CHECK(fx_ind_total(w, "arrests") == arrests);
    CHECK(fx_count_events(w, PK_EV_ARREST) > 0);
    free(jailed_on);
    free(prev);
    pk_world_destroy(w);
}

/* ================================================================== 8. humanitarian */

static void test_humanitarian_aid_raises_needs_met(void) {
    pk_map *m = fx_map(FX_ALL);
    pk_world_def d = fx_def(m, 23);
    d.params[PK_PARAM_LEGITIMACY] = 1.0; /* calm, services at the default 0.5 */
    double needs[2][FX_NREG];
    for (int with = 0; with < 2; with++) {
        pk_world *w = fx_create(&d);
        if (with) fx_add_unit(w, FX_UN, PK_UNIT_HUMANITARIAN, 100, FX_SE, PK_TASK_AID, FX_SE);
        fx_add_unit(w, FX_UN, PK_UNIT_HUMANITARIAN, 100, FX_NW, PK_TASK_IDLE, FX_NW); /* present, idle */
        fx_run(w, 20);
        for (int r = 0; r < FX_NREG; r++) needs[with][r] = pk_world_region_needs_met(w, r);
        pk_world_destroy(w);
    }
    pk_map_free(m);
    /* services alone hold the five material needs at 0.5; safety stays met (no violence):
     * needs_met = 0.9 x 0.5 + 0.1 x 1 */
    CHECK_NEAR(needs[0][FX_SE], 0.55, 1e-6);
    CHECK(needs[1][FX_SE] > needs[0][FX_SE] + 0.2);
    CHECK(needs[1][FX_SE] <= 1.0);
    /* only where the aid is */
    for (int r = 0; r < FX_NREG; r++)
        if (r != FX_SE) CHECK(needs[1][r] == needs[0][r]);
    CHECK_NEAR(needs[0][FX_NW], 0.55, 1e-6); /* an idle team delivers nothing */
}

static void test_humanitarian_access_and_escort(void) {
    pk_world *w = calm_world(24, FX_ALL);
    pk_unit_id esc = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 200, FX_NE, PK_TASK_IDLE, FX_NE);
    pk_world_step(w);
    pk__aggregate_regions(w);
    w->insecurity[FX_SE] = 0.8f;
    w->insecurity[FX_NE] = 0.8f;
    pk_phase_humanitarian(w);
    CHECK_NEAR(w->access[FX_SW], 1.0, 1e-6);
    CHECK_NEAR(w->access[FX_SE], 0.2, 1e-6);
    CHECK_NEAR(w->access[FX_NE], 0.2, 1e-6); /* an idle unit is no escort */
    w->u_task[slot_of(esc)] = PK_TASK_ESCORT;
    pk_phase_humanitarian(w);
    /* an escort of 200 persons halves the access lost: 1 - 0.8 * (1 - 0.5 * 0.5) = 0.4 */
    CHECK_NEAR(w->access[FX_NE], 0.4, 1e-6);
    CHECK_NEAR(w->access[FX_SE], 0.2, 1e-6);
    pk_world_destroy(w);
}

/* ================================================================== 9. information */

static void test_information_killing_lowers_trust(void) {
    pk_world *w = calm_world(25, FX_ALL);
    pk_world_step(w);
    pk__aggregate_regions(w);
    memset(w->kills, 0, (size_t)FX_NFAC * FX_NREG * FX_NGRP * sizeof *w->kills);
    const size_t k = ((size_t)FX_REBELS * FX_NREG + FX_SW) * FX_NGRP + FX_GB;
    w->kills[k] = 4.f;
    float before = w->trust[pk__trust_index(w, FX_GB, FX_SW, FX_REBELS)];
    pk_phase_information(w);
    float after = w->trust[pk__trust_index(w, FX_GB, FX_SW, FX_REBELS)];
    double persons = (double)w->alive_rg[FX_SW * FX_NGRP + FX_GB] + 1.0;
    CHECK(after < before);
    CHECK_NEAR(before - after, pk_world_param(w, PK_PARAM_TRUST_LOSS) * 100.0 * 4.0 / persons * before, 1e-5);
    /* the same group elsewhere, other groups here, and other factions are untouched */
    CHECK(w->trust[pk__trust_index(w, FX_GB, FX_NW, FX_REBELS)] == before);
    CHECK(w->trust[pk__trust_index(w, FX_GC, FX_SW, FX_REBELS)] == before);
    CHECK(w->trust[pk__trust_index(w, FX_GB, FX_SW, FX_UN)] == before);
    pk_world_destroy(w);

    /* end to end: a band raiding sw loses the victims' trust, not that of the others */
    w = calm_world(25, FX_ALL);
    fx_set_param(w, PK_PARAM_ATTACK_RATE, 0.5);
    fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 200, FX_SW, PK_TASK_RAID, FX_SW);
    fx_run(w, 30);
    CHECK(pk_world_trust(w, FX_GB, FX_SW, FX_REBELS) < 0.5 - 0.1);
    CHECK(pk_world_trust(w, FX_GB, FX_NW, FX_REBELS) == 0.5);
    CHECK(pk_world_trust(w, FX_GA, FX_SW, FX_REBELS) >= 0.5); /* sympathisers warm to it */
    pk_world_destroy(w);
}

static void test_information_protective_presence_raises_trust(void) {
    pk_world *w = calm_world(26, FX_ALL);
    fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 100, FX_SE, PK_TASK_PROTECT, FX_SE);
    fx_add_unit(w, FX_UN, PK_UNIT_ENGINEERS, 100, FX_NW, PK_TASK_IDLE, FX_NW); /* present, doing nothing */
    fx_run(w, 30);
    const double gain = pk_world_param(w, PK_PARAM_TRUST_GAIN);
    /* 30 days of presence (the unit starts in se): at most 1 - 0.5 (1 - gain)^30 */
    double expect = 1.0 - 0.5 * pow(1.0 - gain, 30);
    for (int g = 0; g < FX_NGRP; g++) {
        if (g == FX_GC) continue; /* group c is in se too, checked below */
        CHECK(pk_world_trust(w, g, FX_SE, FX_UN) > 0.55);
        CHECK(pk_world_trust(w, g, FX_SE, FX_UN) <= expect + 1e-4);
        CHECK(pk_world_trust(w, g, FX_NW, FX_UN) == 0.5);
        CHECK(pk_world_trust(w, g, FX_SW, FX_UN) == 0.5);
        CHECK(pk_world_trust(w, g, FX_SE, FX_PARTNER) == 0.5);
    }
    CHECK(pk_world_trust(w, FX_GC, FX_SE, FX_UN) > 0.55);
    CHECK(fx_ind(w, "trust.un") > 0.5);
    pk_world_destroy(w);
}

static void test_information_trust_falls_faster_than_it_rises(void) {
    /* DESIGN §3: trust falls faster than it rises. At trust 0.5, the unit stimulus for a
     * gain is a day of protective presence, for a loss the faction killing 1% of the
     * group in the region that day. The loss must be larger than the gain, and winning
     * back what one such day cost must take several days of presence. */
    pk_world *w = calm_world(27, FX_ALL);
    pk_unit_id u = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 100, FX_SE, PK_TASK_PROTECT, FX_SE);
    pk_world_step(w);
    (void)u;
    pk__aggregate_regions(w);
    const size_t ti = pk__trust_index(w, FX_GB, FX_SE, FX_UN);
    const size_t ki = ((size_t)FX_UN * FX_NREG + FX_SE) * FX_NGRP + FX_GB;
    double persons = (double)w->alive_rg[FX_SE * FX_NGRP + FX_GB] + 1.0;
    /* gain: presence, no kills */
    memset(w->kills, 0, (size_t)FX_NFAC * FX_NREG * FX_NGRP * sizeof *w->kills);
    w->trust[ti] = 0.5f;
    pk_phase_information(w);
    double up = w->trust[ti] - 0.5;
    /* loss: the same presence, and 1% of the group killed by the same faction */
    w->trust[ti] = 0.5f;
    w->kills[ki] = (float)(0.01 * persons);
    pk_phase_information(w);
    double down = 0.5 - w->trust[ti];
    CHECK(up > 0);
    CHECK(down > up);
    /* recover from the loss with presence alone */
    w->kills[ki] = 0;
    float low = w->trust[ti];
    int days = 0;
    while (w->trust[ti] < 0.5f && days < 1000) {
        pk_phase_information(w);
        days++;
    }
    CHECK(low < 0.5f);
    CHECK(days >= 2);
    pk_world_destroy(w);
}

/* ================================================================== 10. politics */

static void test_politics_progress_follows_violence(void) {
    pk_world *w = calm_world(28, FX_ALL);
    fx_run(w, 50);
    double rate = pk_world_param(w, PK_PARAM_PROGRESS_RATE);
    /* calm, willingness at 0.5, no mission with a political mandate: a quarter of the rate */
    CHECK_NEAR(fx_ind(w, "political_progress"), 50 * rate * 0.25, 1e-9);
    double before = fx_ind(w, "political_progress");
    int rising = 1;
    double prev = before;
    for (int day = 0; day < 20; day++) {
        for (int r = 0; r < FX_NREG; r++) fx_set_region(w, r, PK_REGION_VIOLENCE, 10.0);
        pk_world_step(w);
        double p = fx_ind(w, "political_progress");
        if (p > prev) rising = 0;
        prev = p;
    }
    CHECK(rising);
    CHECK(prev < before - 10 * rate);
    CHECK(prev >= 0.0);
    pk_world_destroy(w);
}

static void test_politics_consent(void) {
    pk_world *w = calm_world(29, FX_ALL);
    pk_world_step(w);
    CHECK(fx_ind(w, "host_consent") == 1.0);
    /* a mission faction that harms civilians loses the host's consent; it recovers slowly */
    memset(w->kills, 0, (size_t)FX_NFAC * FX_NREG * FX_NGRP * sizeof *w->kills);
    w->kills[((size_t)FX_PARTNER * FX_NREG + FX_NE) * FX_NGRP + FX_GB] = 20.f;
    pk_phase_politics(w);
    CHECK(w->consent[FX_PARTNER] < 1.0f);
    CHECK(w->consent[FX_UN] == 1.0f);
    float low = w->consent[FX_PARTNER];
    memset(w->kills, 0, (size_t)FX_NFAC * FX_NREG * FX_NGRP * sizeof *w->kills);
    pk_phase_politics(w);
    CHECK(w->consent[FX_PARTNER] > low);
    CHECK(w->consent[FX_PARTNER] < 1.0f);
    pk_world_destroy(w);
}

/* ================================================================== 11. indicators */

static const char *const required[] = {
    "civilian_deaths", "peacekeeper_deaths", "violent_incidents", "displaced", "needs_met",
    "humanitarian_access", "armed_strength", "political_progress", "host_consent", "cost", "funding_gap",
    "civilian_deaths.by_armed_groups", "civilian_deaths.by_government", "civilian_deaths.communal", "battle_deaths"};
static const char *const counts[] = {"civilian_deaths", "peacekeeper_deaths", "violent_incidents",
                                     "civilian_deaths.by_armed_groups", "civilian_deaths.by_government",
                                     "civilian_deaths.communal", "battle_deaths", "arrests", "recruits"};
static const char *const shares[] = {"needs_met", "humanitarian_access", "political_progress", "host_consent"};
static const char *const fids[FX_NFAC] = {"un", "gov", "rebels", "partner"};

static void test_indicators_names_and_kinds(void) {
    pk_world *w = fx_world(30);
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        int32_t k = pk_world_indicator_find(w, required[i]);
        if (k < 0) fprintf(stderr, "  missing indicator %s\n", required[i]);
        CHECK(k >= 0);
    }
    char name[128];
    for (int f = 0; f < FX_NFAC; f++) {
        snprintf(name, sizeof name, "trust.%s", fids[f]);
        CHECK(pk_world_indicator_find(w, name) >= 0);
        snprintf(name, sizeof name, "freedom_of_movement.%s", fids[f]);
        CHECK(pk_world_indicator_find(w, name) >= 0);
    }
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        int32_t k = pk_world_indicator_find(w, counts[i]);
        REQUIRE(k >= 0);
        CHECK(pk_world_indicator_kind(w, k) == PK_IND_COUNT);
    }
    for (size_t i = 0; i < sizeof shares / sizeof *shares; i++)
        CHECK(pk_world_indicator_kind(w, pk_world_indicator_find(w, shares[i])) == PK_IND_LEVEL);
    CHECK(pk_world_indicator_kind(w, pk_world_indicator_find(w, "displaced")) == PK_IND_LEVEL);
    /* names are unique, the lookup is exact, out-of-range indices are harmless */
    int32_t n = pk_world_indicator_count(w);
    for (int32_t i = 0; i < n; i++) {
        CHECK(pk_world_indicator_find(w, pk_world_indicator_name(w, i)) == i);
        CHECK(pk_world_indicator(w, i) == 0.0); /* nothing computed before day 1 */
    }
    CHECK(pk_world_indicator_find(w, "trust") == -1);
    CHECK(pk_world_indicator_find(w, "trust.nobody") == -1);
    CHECK(pk_world_indicator_name(w, n) == NULL);
    CHECK(pk_world_indicator_name(w, -1) == NULL);
    CHECK(pk_world_indicator(w, n) == 0.0);
    pk_world_destroy(w);
}

static void test_indicators_over_a_conflict(void) {
    /* 100 days of conflict at scale 10: low legitimacy, bands, forces, injects. Every
     * day: shares, trust, freedom of movement and readiness in [0,1], counts >= 0, deaths
     * split by perpetrator add up; at the end, totals are the sums of the daily values
     * and the death and recruit totals match the agents' states. */
    pk_map *m = fx_map(FX_ALL);
    pk_world_def d = fx_def(m, 31);
    d.scale = 10;
    d.params[PK_PARAM_LEGITIMACY] = 0.4;
    d.params[PK_PARAM_ATTACK_RATE] = 0.3;
    pk_world *w = fx_create(&d);
    pk_map_free(m);
    fx_add_forces(w);
    int32_t n = pk_world_indicator_count(w);
    double *sum = calloc((size_t)n, sizeof *sum);
    REQUIRE(sum != NULL);
    int out_of_range = 0, negative = 0, split_bad = 0, displaced_bad = 0;
    double strength_seen = 0;
    for (int day = 1; day <= 100; day++) {
        if (day % 15 == 0) fx_set_region(w, day / 15 % FX_NREG, PK_REGION_VIOLENCE, 2.0);
        pk_world_step(w);
        for (int32_t i = 0; i < n; i++) {
            double v = pk_world_indicator(w, i);
            const char *name = pk_world_indicator_name(w, i);
            int share = !strncmp(name, "trust.", 6) || !strncmp(name, "freedom_of_movement.", 20) ||
                        !strncmp(name, "readiness.", 10);
            for (size_t k = 0; k < sizeof shares / sizeof *shares; k++) share |= !strcmp(name, shares[k]);
            if (share && !(v >= 0.0 && v <= 1.0)) {
                if (out_of_range < 5) fprintf(stderr, "  day %d: %s = %g\n", day, name, v);
                out_of_range++;
            }
            if (!(v >= 0.0)) negative++;
            if (pk_world_indicator_kind(w, i) == PK_IND_COUNT) sum[i] += v;
        }
        double split = fx_ind(w, "civilian_deaths.by_armed_groups") + fx_ind(w, "civilian_deaths.by_government") +
                       fx_ind(w, "civilian_deaths.communal");
        if (fx_ind(w, "civilian_deaths") != split) split_bad++;
        double displaced =
            10.0 * (fx_count_agents(w, -1, PK_AGENT_DISPLACED) + fx_count_agents(w, -1, PK_AGENT_CAMP));
        if (fx_ind(w, "displaced") != displaced) displaced_bad++;
        strength_seen += fx_ind(w, "armed_strength");
        /* trust of every group, region and faction, not only the weighted means */
        for (int g = 0; g < FX_NGRP; g++)
            for (int r = 0; r < FX_NREG; r++)
                for (int f = 0; f < FX_NFAC; f++) {
                    double t = pk_world_trust(w, g, r, f);
                    if (!(t >= 0.0 && t <= 1.0)) out_of_range++;
                }
    }
    CHECK(out_of_range == 0);
    CHECK(negative == 0);
    CHECK(split_bad == 0);
    CHECK(displaced_bad == 0);
    CHECK(strength_seen > 0);
    int totals_bad = 0;
    for (int32_t i = 0; i < n; i++)
        if (pk_world_indicator_kind(w, i) == PK_IND_COUNT && fabs(pk_world_indicator_total(w, i) - sum[i]) > 1e-9) {
            fprintf(stderr, "  total of %s: %g, sum of days %g\n", pk_world_indicator_name(w, i),
                    pk_world_indicator_total(w, i), sum[i]);
            totals_bad++;
        }
    CHECK(totals_bad == 0);
    /* the run had conflict in it */
    CHECK(fx_ind_total(w, "civilian_deaths") > 0);
    CHECK(fx_ind_total(w, "violent_incidents") > 0);
    /* every dead or recruited agent was counted once, at scale */
    CHECK(fx_ind_total(w, "civilian_deaths") + fx_ind_total(w, "civilian_deaths.unmet_needs") ==
          10.0 * fx_count_agents(w, -1, PK_AGENT_DEAD));
    CHECK(fx_ind_total(w, "civilian_deaths") == fx_ind_total(w, "civilian_deaths.by_armed_groups") +
                                                  fx_ind_total(w, "civilian_deaths.by_government") +
                                                  fx_ind_total(w, "civilian_deaths.communal"));
    CHECK(fx_ind_total(w, "recruits") == 10.0 * fx_count_agents(w, -1, PK_AGENT_RECRUITED));
    /* armed strength is the bands' strength x readiness */
    double armed = 0;
    pk_unit_state us[64];
    int32_t nu = pk_world_units(w, us, 64);
    REQUIRE(nu <= 64);
    for (int32_t i = 0; i < nu; i++)
        if (us[i].faction == FX_REBELS) armed += us[i].strength * (double)us[i].readiness;
    CHECK_NEAR(fx_ind(w, "armed_strength"), armed, 1e-3);
    free(sum);
    pk_world_destroy(w);
}

int main(void) {
    RUN(test_coordination_standing_tasks);
    RUN(test_coordination_band_goals_stay_local);
    RUN(test_coordination_raid_and_patrol_scores);
    RUN(test_movement_reaches_target);
    RUN(test_movement_faster_on_roads);
    RUN(test_movement_never_on_water);
    RUN(test_movement_goes_around_the_lake);
    RUN(test_static_tasks_keep_their_post);
    RUN(test_movement_aviation_is_fast);
    RUN(test_movement_freedom_of_movement);
    RUN(test_logistics_cost_gap_and_readiness);
    RUN(test_armed_groups_recruits_join_weakest_band);
    RUN(test_armed_groups_recruitment_end_to_end);
    RUN(test_clashes_raids_spare_sympathisers);
    RUN(test_clashes_security_presence_protects);
    RUN(test_clashes_attrition_and_accounting);
    RUN(test_civilians_legitimate_government_no_rebels);
    RUN(test_civilians_illegitimate_government_rebellion);
    RUN(test_civilians_flee_to_camp_and_return);
    RUN(test_civilians_flee_without_camp);
    RUN(test_civilians_arrest_and_release);
    RUN(test_humanitarian_aid_raises_needs_met);
    RUN(test_humanitarian_access_and_escort);
    RUN(test_information_killing_lowers_trust);
    RUN(test_information_protective_presence_raises_trust);
    RUN(test_information_trust_falls_faster_than_it_rises);
    RUN(test_politics_progress_follows_violence);
    RUN(test_politics_consent);
    RUN(test_indicators_names_and_kinds);
    RUN(test_indicators_over_a_conflict);
    return test_summary();
}
