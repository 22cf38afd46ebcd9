#define _POSIX_C_SOURCE 200809L
/* lua_population.c — validation of the population model in the fictional mission area
 * (issue 3): scenarios/population_lab.lua run through the scenario layer over several
 * seeds, comparing means with stated margins:
 * - better government services lower activation (and do not raise recruitment);
 * - a misinformation campaign lowers trust in its target; engagement counters part of it;
 * - violence displaces civilians (to camps and across the border), and their return
 *   follows security: with the violence over they go home, with it sustained they do not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "test.h"

enum { SEEDS = 3, DAYS = 90 };

typedef struct lab {
    double active_mean, recruits, trust_un, displaced_d20, displaced_d90, refugees_d30;
} lab;

static lab run_lab(const char *const *sets, int n_sets, uint64_t seed) {
    char path[512];
    pk_errors *errs = calloc(1, sizeof *errs);
    pk_scenario_options o = pk_scenario_options_default();
    o.sets = sets;
    o.n_sets = n_sets;
    o.seed = seed;
    o.seed_given = 1;
    pk_scenario *sc = pk_scenario_load(SRC_PATH(path, "scenarios/population_lab.lua"), &o, errs);
    if (!sc && errs->count) fprintf(stderr, "%s\n", errs->items[0].msg);
    free(errs);
    REQUIRE(sc != NULL);
    pk_world *w = pk_scenario_world(sc);
    pk_error err;
    REQUIRE(pk_scenario_start(sc, &err) == PK_OK);
    lab l;
    memset(&l, 0, sizeof l);
    int32_t i_active = pk_world_indicator_find(w, "active"), i_disp = pk_world_indicator_find(w, "displaced");
    int32_t i_ref = pk_world_indicator_find(w, "refugees");
    for (int d = 1; d <= DAYS; d++) {
        REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
        l.active_mean += pk_world_indicator(w, i_active) / DAYS;
        if (d == 20) l.displaced_d20 = pk_world_indicator(w, i_disp);
        if (d == 30) l.refugees_d30 = pk_world_indicator(w, i_ref);
    }
    l.displaced_d90 = pk_world_indicator(w, i_disp);
    l.recruits = pk_world_indicator_total(w, pk_world_indicator_find(w, "recruits"));
    l.trust_un = pk_world_indicator(w, pk_world_indicator_find(w, "trust.un"));
    pk_scenario_free(sc);
    return l;
}

static lab mean_lab(const char *const *sets, int n_sets) {
    lab m;
    memset(&m, 0, sizeof m);
    for (uint64_t s = 1; s <= SEEDS; s++) {
        lab l = run_lab(sets, n_sets, s);
        m.active_mean += l.active_mean / SEEDS;
        m.recruits += l.recruits / SEEDS;
        m.trust_un += l.trust_un / SEEDS;
        m.displaced_d20 += l.displaced_d20 / SEEDS;
        m.displaced_d90 += l.displaced_d90 / SEEDS;
        m.refugees_d30 += l.refugees_d30 / SEEDS;
    }
    return m;
}

static void test_services_lower_activation_and_recruitment(void) {
    const char *poor[] = {"services=0.1", "legitimacy=0.75"}, *good[] = {"services=0.8", "legitimacy=0.75"};
    lab p = mean_lab(poor, 2), g = mean_lab(good, 2);
    printf("  services 0.1: active %.0f recruits %.0f | services 0.8: active %.0f recruits %.0f\n", p.active_mean,
           p.recruits, g.active_mean, g.recruits);
    /* margin: at least five times fewer active persons on average */
    CHECK(p.active_mean > 1000);
    CHECK(g.active_mean * 5 < p.active_mean);
    CHECK(g.recruits <= p.recruits);
}

static void test_misinformation_lowers_trust_in_its_target(void) {
    const char *off[] = {"misinformation=false"}, *on[] = {"misinformation=true"};
    const char *countered[] = {"misinformation=true", "engage=true"}, *engaged[] = {"engage=true"};
    lab a = mean_lab(off, 1), b = mean_lab(on, 1), c = mean_lab(countered, 2), e = mean_lab(engaged, 1);
    printf("  trust.un: no campaign %.3f, campaign %.3f, campaign + engagement %.3f, engagement alone %.3f\n",
           a.trust_un, b.trust_un, c.trust_un, e.trust_un);
    /* margin: the campaign costs at least 0.03 of mean trust over 90 days */
    CHECK(b.trust_un < a.trust_un - 0.03);
    /* engagement recovers part of the loss (compared with engagement alone) */
    CHECK(e.trust_un - c.trust_un < a.trust_un - b.trust_un);
}

static void test_violence_displaces_and_return_follows_security(void) {
    const char *none[] = {"violence=none"}, *once[] = {"violence=once"}, *sustained[] = {"violence=sustained"};
    lab n = mean_lab(none, 1), o = mean_lab(once, 1), s = mean_lab(sustained, 1);
    printf("  displaced day 20: none %.0f once %.0f | day 90: once %.0f sustained %.0f | refugees day 30: none %.0f once %.0f\n",
           n.displaced_d20, o.displaced_d20, o.displaced_d90, s.displaced_d90, n.refugees_d30, o.refugees_d30);
    /* the massacre displaces at least 20 000 more persons ten days on, some across the border */
    CHECK(o.displaced_d20 > n.displaced_d20 + 20000);
    CHECK(o.refugees_d30 > n.refugees_d30 + 5000);
    /* when it is over they go home (below half the peak); while it goes on they do not */
    CHECK(o.displaced_d90 < 0.5 * o.displaced_d20);
    CHECK(s.displaced_d90 > 3 * o.displaced_d90);
}

int main(void) {
    RUN(test_services_lower_activation_and_recruitment);
    RUN(test_misinformation_lowers_trust_in_its_target);
    RUN(test_violence_displaces_and_return_follows_security);
    return test_summary();
}
