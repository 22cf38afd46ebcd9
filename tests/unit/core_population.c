/* core_population.c — unit tests of issue 3's mechanisms on the small worlds of
 * world_fixture.h: the six needs, the cause log (causes sum to the change), misinformation
 * and engagement, flight across the border and return, excess deaths from unmet needs,
 * consent withdrawal and obstruction, armed groups' money and control, raids on bases,
 * attribution of violent events, and save/restore of the new state. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "world_fixture.h"

static pk_world *world_with(uint64_t seed, double legitimacy, double services, int border) {
    pk_map *m = fx_map(FX_ALL);
    if (border) {
        pk_site s;
        memset(&s, 0, sizeof s);
        snprintf(s.name, sizeof s.name, "%s", "Border post");
        s.kind = PK_SITE_BORDER;
        s.cell = fx_cell(1, 12);
        REQUIRE(pk_map_add_site(m, &s) == 1);
    }
    pk_world_def d = fx_def(m, seed);
    d.params[PK_PARAM_LEGITIMACY] = legitimacy;
    d.params[PK_PARAM_SERVICE_LEVEL] = services;
    pk_world *w = fx_create(&d);
    pk_map_free(m);
    return w;
}

/* Sum the cause records of (day, indicator, region, group, faction). */
static double cause_sum(const pk_world *w, int32_t day, pk_cause_indicator ind, int32_t r, int32_t g, int32_t f) {
    size_t n;
    const pk_cause *c = pk_world_causes(w, &n);
    double s = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].day == day && c[i].indicator == ind && c[i].region == r && c[i].group == g && c[i].faction == f)
            s += c[i].amount;
    return s;
}

static void test_needs_six_and_mean(void) {
    pk_world *w = world_with(1, 1.0, 0.5, 0);
    for (int32_t r = 0; r < FX_NREG; r++) {
        double m = 0;
        for (int k = 0; k < PK_NEED_COUNT; k++) m += pk_need_weight[k] * pk_world_region_need(w, r, k);
        CHECK_NEAR(pk_world_region_needs_met(w, r), m, 1e-6);
    }
    /* one need set by a command moves needs_met by its weight */
    double before = pk_world_region_needs_met(w, FX_SE);
    fx_set_region(w, FX_SE, PK_REGION_FOOD, 1.0);
    pk_phase_commands(w);
    CHECK_NEAR(pk_world_region_needs_met(w, FX_SE) - before, 0.25 * 0.5, 1e-6);
    /* violence lowers safety, and so needs met */
    w->insecurity[FX_NW] = 0.8f;
    double nw = pk_world_region_needs_met(w, FX_NW);
    pk_phase_humanitarian(w);
    CHECK(pk_world_region_need(w, FX_NW, PK_NEED_SAFETY) < 1.0);
    CHECK(pk_world_region_needs_met(w, FX_NW) < nw);
    pk_world_destroy(w);
}

static void test_cause_log_sums_to_the_change(void) {
    pk_world *w = world_with(2, 0.75, 0.4, 0);
    fx_add_forces(w);
    fx_add_unit(w, FX_UN, PK_UNIT_HUMANITARIAN, 60, FX_SW, PK_TASK_AID, FX_SW);
    fx_add_unit(w, FX_UN, PK_UNIT_CIVIL_AFFAIRS, 20, FX_NE, PK_TASK_ENGAGE, FX_NE);
    const int32_t R = FX_NREG, G = FX_NGRP, F = FX_NFAC;
    float *trust0 = malloc(sizeof(float) * G * R * F), *legit0 = malloc(sizeof(float) * G * R);
    float needs0[FX_NREG];
    int checked = 0, bad = 0;
    for (int day = 1; day <= 40; day++) {
        memcpy(trust0, w->trust, sizeof(float) * G * R * F);
        memcpy(legit0, w->legit, sizeof(float) * G * R);
        for (int r = 0; r < R; r++) needs0[r] = w->needs_met[r];
        if (day == 20) fx_set_param(w, PK_PARAM_LEGITIMACY, 0.7);
        if (day == 25) fx_set_region(w, FX_SE, PK_REGION_SERVICES, 0.8);
        pk_world_step(w);
        for (int g = 0; g < G; g++)
            for (int r = 0; r < R; r++) {
                for (int f = 0; f < F; f++) {
                    double d = w->trust[pk__trust_index(w, g, r, f)] - trust0[pk__trust_index(w, g, r, f)];
                    bad += fabs(cause_sum(w, w->day, PK_CI_TRUST, r, g, f) - d) > 1e-5;
                    checked++;
                }
                double dl = w->legit[g * R + r] - legit0[g * R + r];
                bad += fabs(cause_sum(w, w->day, PK_CI_LEGITIMACY, r, g, FX_GOV) - dl) > 1e-5;
            }
        for (int r = 0; r < R; r++) {
            double sum = 0;
            size_t n;
            const pk_cause *c = pk_world_causes(w, &n);
            for (size_t i = 0; i < n; i++)
                if (c[i].day == w->day && c[i].indicator == PK_CI_NEEDS_MET && c[i].region == r) sum += c[i].amount;
            bad += fabs(sum - (w->needs_met[r] - needs0[r])) > 1e-5;
        }
    }
    CHECK(checked > 1000);
    CHECK(bad == 0);
    /* the changes have causes of several kinds, and the killings point at their events */
    size_t n;
    const pk_cause *c = pk_world_causes(w, &n);
    int kinds[PK_CAUSE_COUNT] = {0}, violence_with_event = 0, policy = 0;
    size_t n_ev;
    const pk_event *ev = pk_world_events(w, &n_ev);
    for (size_t i = 0; i < n; i++) {
        kinds[c[i].cause]++;
        if (c[i].cause == PK_CAUSE_VIOLENCE && c[i].indicator == PK_CI_TRUST) {
            REQUIRE(c[i].event >= 0 && (size_t)c[i].event < n_ev);
            CHECK(ev[c[i].event].type == PK_EV_ATTACK_CIVILIANS);
            CHECK(ev[c[i].event].faction == c[i].faction && ev[c[i].event].group == c[i].group);
            violence_with_event++;
        }
        if (c[i].cause == PK_CAUSE_POLICY && c[i].day == 20) policy++;
    }
    CHECK(kinds[PK_CAUSE_PRESENCE] > 0 && kinds[PK_CAUSE_AID] > 0 && kinds[PK_CAUSE_ENGAGEMENT] > 0);
    CHECK(kinds[PK_CAUSE_SERVICES] > 0 && kinds[PK_CAUSE_INSECURITY] > 0);
    CHECK(violence_with_event > 0);
    CHECK(policy == G * R); /* the legitimacy change of day 20 is attributed everywhere */
    free(trust0);
    free(legit0);
    pk_world_destroy(w);
}

static void misinform(pk_world *w, int32_t by, int32_t target, int32_t region, double strength) {
    pk_command c = fx_cmd(PK_CMD_MISINFORMATION);
    c.faction = by;
    c.key = target;
    c.region = region;
    c.value = strength;
    fx_command(w, c);
}

static void test_misinformation_and_engagement(void) {
    double t[3];
    for (int k = 0; k < 3; k++) {
        pk_world *w = world_with(3, 1.0, 1.0, 0);
        fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 50, FX_NW, PK_TASK_PROTECT, -1); /* a band that stays put */
        if (k > 0) misinform(w, FX_REBELS, FX_UN, -1, 1.0);
        if (k == 2) fx_add_unit(w, FX_UN, PK_UNIT_CIVIL_AFFAIRS, 20, FX_NW, PK_TASK_ENGAGE, FX_NW);
        fx_run(w, 30);
        t[k] = pk_world_trust(w, FX_GB, FX_NW, FX_UN);
        if (k == 1) {
            /* only where the band is; the campaign is an event the causes point to */
            CHECK_NEAR(pk_world_trust(w, FX_GB, FX_SE, FX_UN), 0.5, 1e-6);
            CHECK(fx_count_events(w, PK_EV_MISINFORMATION) == 1);
            size_t n, n_ev;
            const pk_cause *c = pk_world_causes(w, &n);
            const pk_event *ev = pk_world_events(w, &n_ev);
            int seen = 0;
            for (size_t i = 0; i < n; i++)
                if (c[i].cause == PK_CAUSE_MISINFORMATION) {
                    seen++;
                    CHECK(c[i].faction == FX_UN && c[i].region == FX_NW && c[i].amount < 0);
                    REQUIRE(c[i].event >= 0);
                    CHECK(ev[c[i].event].type == PK_EV_MISINFORMATION && ev[c[i].event].faction == FX_REBELS &&
                          ev[c[i].event].target_faction == FX_UN);
                }
            CHECK(seen > 0);
        }
        pk_world_destroy(w);
    }
    CHECK(t[1] < t[0] - 0.1);
    CHECK(t[2] > t[1] + 0.05);
    /* bad campaigns are refused */
    pk_world *w = world_with(3, 1.0, 1.0, 0);
    pk_command c = fx_cmd(PK_CMD_MISINFORMATION);
    c.faction = FX_UN;
    c.key = FX_GOV;
    c.value = 0.5;
    pk_error err;
    CHECK(pk_world_command(w, &c, NULL, &err) == PK_ERR_INPUT);
    c.faction = FX_REBELS;
    c.value = 2;
    CHECK(pk_world_command(w, &c, NULL, &err) == PK_ERR_INPUT);
    pk_world_destroy(w);
}

static void test_flight_across_the_border_and_return(void) {
    pk_world *w = world_with(4, 1.0, 1.0, 1);
    pk_world_step(w);
    /* heavy violence in sw, where the border post is: many leave the country */
    w->violence[FX_SW] = 5.0f;
    w->insecurity[FX_SW] = (float)(1.0 - exp(-5.0));
    pk_world_step(w);
    int32_t out = fx_count_agents(w, -1, PK_AGENT_REFUGEE);
    CHECK(out > 20);
    CHECK(fx_count_events(w, PK_EV_REFUGEES) >= 1);
    CHECK(fx_ind(w, "refugees") == out);
    /* the displaced indicator does not count refugees */
    CHECK(fx_ind(w, "displaced") == fx_count_agents(w, -1, PK_AGENT_DISPLACED) + fx_count_agents(w, -1, PK_AGENT_CAMP));
    /* no crossing near se: nobody from se leaves the country */
    pk_agents_view v = pk_world_agents(w);
    for (int32_t a = 0; a < v.count; a++)
        if (v.state[a] == PK_AGENT_REFUGEE) CHECK(w->map->region[v.home_cell[a]] != FX_SE);
    /* calm again: they come back, slowly */
    w->violence[FX_SW] = 0.f;
    w->insecurity[FX_SW] = 0.f;
    fx_run(w, 60);
    int32_t left = fx_count_agents(w, -1, PK_AGENT_REFUGEE);
    CHECK(left < out);
    CHECK(left > 0); /* refugee_return_rate 0.01: after 60 days about half are still out */
    pk_world_destroy(w);
}

static void test_excess_deaths_from_unmet_needs(void) {
    pk_map *m = fx_map(FX_ALL);
    pk_world_def d = fx_def(m, 5);
    d.params[PK_PARAM_LEGITIMACY] = 1.0;
    d.params[PK_PARAM_SERVICE_LEVEL] = 0.0;
    d.params[PK_PARAM_EXCESS_MORTALITY] = 0.01;
    d.scale = 10;
    pk_world *w = fx_create(&d);
    pk_map_free(m);
    pk_world_step(w);
    pk_agents_view v = pk_world_agents(w);
    for (int32_t a = 0; a < v.count; a++) { /* everyone in sw to the camp */
        if (w->map->region[v.home_cell[a]] != FX_SW) continue;
        w->a_state[a] = PK_AGENT_CAMP;
        w->a_cell[a] = fx_cell(FX_CAMP_X, FX_CAMP_Y);
    }
    w->params[PK_PARAM_RETURN_THRESHOLD] = 0.0; /* nobody goes home */
    fx_run(w, 30);
    double dead = fx_count_agents(w, -1, PK_AGENT_DEAD) * 10.0;
    CHECK(dead > 0);
    CHECK(fx_ind_total(w, "civilian_deaths.unmet_needs") == dead);
    CHECK(fx_ind_total(w, "civilian_deaths") == 0);
    size_t n;
    const pk_event *ev = pk_world_events(w, &n);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (ev[i].type == PK_EV_EXCESS_DEATHS) {
            CHECK(ev[i].group >= 0 && ev[i].region == FX_SW);
            sum += ev[i].count;
        }
    CHECK(sum == dead);
    pk_world_destroy(w);
}

static void test_consent_withdrawal_and_obstruction(void) {
    pk_world *w = world_with(6, 1.0, 0.5, 0);
    pk_unit_id inf = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 300, FX_SE, PK_TASK_PATROL, FX_NW);
    pk_unit_id aid = fx_add_unit(w, FX_UN, PK_UNIT_HUMANITARIAN, 50, FX_SE, PK_TASK_AID, FX_SE);
    fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 100, FX_NE, PK_TASK_PROTECT, -1);
    pk_world_step(w);
    double fom_full = fx_ind(w, "freedom_of_movement.un");
    /* low consent: slower, less free, less aid approved */
    pk_command c = fx_cmd(PK_CMD_SET_FACTION);
    c.faction = FX_UN;
    c.key = PK_FACTION_CONSENT;
    c.value = 0.3;
    fx_command(w, c);
    pk_world_step(w);
    CHECK(fx_ind(w, "freedom_of_movement.un") < fom_full);
    CHECK(fx_ind(w, "freedom_of_movement.un") <= 0.65 * fom_full + 1e-6);
    CHECK(w->aid_fr[FX_UN * FX_NREG + FX_SE] > 0);
    double aid_low = w->aid_fr[FX_UN * FX_NREG + FX_SE];
    CHECK(fx_ind(w, "missions_without_consent") == 0);
    /* below the threshold: withdrawn, an event, the mission stops operating */
    c.value = 0.1;
    fx_command(w, c);
    pk_world_step(w);
    CHECK(fx_count_events(w, PK_EV_CONSENT_WITHDRAWN) == 1);
    CHECK(pk_world_consent_withdrawn(w, FX_UN));
    CHECK(fx_ind(w, "missions_without_consent") == 1);
    pk_world_step(w);
    CHECK(fx_ind(w, "freedom_of_movement.un") == 0);
    /* the mission leaves: its units are removed, with one mission_exit event */
    pk_unit_state st;
    CHECK(!pk_world_unit(w, inf, &st));
    CHECK(!pk_world_unit(w, aid, &st));
    CHECK(fx_count_events(w, PK_EV_MISSION_EXIT) == 1);
    CHECK(!pk_world_faction_operating(w, FX_UN));
    CHECK(w->aid_fr[FX_UN * FX_NREG + FX_SE] == 0);
    CHECK(aid_low > 0);
    fx_run(w, 5);
    CHECK(fx_count_events(w, PK_EV_CONSENT_WITHDRAWN) == 1); /* once */
    pk_world_destroy(w);
}

static void test_consent_erodes_when_a_mission_reports_abuse(void) {
    double consent[2];
    for (int watch = 0; watch < 2; watch++) {
        pk_world *w = world_with(7, 0.0, 0.0, 0);
        /* an undisciplined army (watched, it abuses half as much: accountability) */
        pk_command p = fx_cmd(PK_CMD_SET_PARAM);
        p.key = PK_PARAM_GOV_DISCIPLINE;
        p.value = 0.0;
        fx_command(w, p);
        fx_add_unit(w, FX_GOV, PK_UNIT_GOV_ARMY, 60, FX_NW, PK_TASK_PATROL, FX_NW);
        if (watch) fx_add_unit(w, FX_UN, PK_UNIT_HUMAN_RIGHTS, 10, FX_NW, PK_TASK_OBSERVE, FX_NW);
        fx_run(w, 30);
        REQUIRE(fx_ind_total(w, "civilian_deaths.by_government") > 0);
        consent[watch] = pk_world_consent(w, FX_UN);
        pk_world_destroy(w);
    }
    CHECK(consent[0] == 1.0);
    CHECK(consent[1] < 1.0);
}

static void test_armed_money_control_and_readiness(void) {
    double funds[2];
    for (int rich = 0; rich < 2; rich++) {
        pk_world *w = world_with(8, 1.0, 1.0, 0);
        fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 200, FX_NW, PK_TASK_PROTECT, -1);
        if (rich) fx_set_region(w, FX_NW, PK_REGION_RESOURCES, 5000);
        fx_run(w, 30);
        CHECK(pk_world_region_control(w, FX_NW) > 0.5); /* no security there */
        CHECK(pk_world_region_control(w, FX_SE) == 0);
        funds[rich] = pk_world_funds(w, FX_REBELS);
        pk_world_destroy(w);
    }
    CHECK(funds[1] > funds[0] + 30 * 5000 * 0.3);
    /* security forces contest control */
    pk_world *w = world_with(8, 1.0, 1.0, 0);
    fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 200, FX_NW, PK_TASK_PROTECT, -1);
    fx_add_unit(w, FX_GOV, PK_UNIT_GOV_POLICE, 2000, FX_NW, PK_TASK_PROTECT, FX_NW);
    fx_run(w, 30);
    CHECK(pk_world_region_control(w, FX_NW) < 0.2);
    pk_world_destroy(w);
}

static void test_base_raids_are_attributed(void) {
    pk_world *w = world_with(9, 1.0, 1.0, 0);
    fx_set_param(w, PK_PARAM_BASE_RAID_RATE, 1.0);
    fx_add_unit(w, FX_UN, PK_UNIT_ENGINEERS, 100, FX_SW, PK_TASK_REPAIR, -1);
    fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 300, FX_SW, PK_TASK_RAID, FX_SW);
    double pk_before = 0;
    fx_run(w, 10);
    size_t n;
    const pk_event *ev = pk_world_events(w, &n);
    int raids = 0;
    for (size_t i = 0; i < n; i++)
        if (ev[i].type == PK_EV_BASE_RAID) {
            raids++;
            CHECK(ev[i].faction == FX_REBELS && ev[i].target_faction == FX_UN);
        }
    CHECK(raids > 0);
    CHECK(fx_ind_total(w, "peacekeeper_deaths") > pk_before);
    pk_world_destroy(w);
}

static void test_violent_events_name_perpetrator_and_victims(void) {
    pk_world *w = world_with(10, 0.3, 0.2, 1);
    fx_add_forces(w);
    fx_run(w, 60);
    size_t n;
    const pk_event *ev = pk_world_events(w, &n);
    int seen[PK_EV_TYPE_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        const pk_event *e = &ev[i];
        seen[e->type]++;
        if (e->type == PK_EV_ATTACK_CIVILIANS) CHECK(e->faction >= 0 && e->group >= 0);
        if (e->type == PK_EV_COMMUNAL || e->type == PK_EV_EXCESS_DEATHS) CHECK(e->group >= 0 && e->faction == -1);
        /* communal violence names the perpetrators' group too: another group than the victims' */
        if (e->type == PK_EV_COMMUNAL) CHECK(e->by_group >= 0 && e->by_group != e->group);
        else CHECK(e->by_group == -1);
        if (e->type == PK_EV_CLASH || e->type == PK_EV_BASE_RAID) CHECK(e->faction >= 0 && e->target_faction >= 0);
        if (e->type == PK_EV_AMBUSH || e->type == PK_EV_CONVOY_ATTACK) CHECK(e->target_faction >= 0);
    }
    CHECK(seen[PK_EV_ATTACK_CIVILIANS] > 0);
    CHECK(seen[PK_EV_COMMUNAL] > 0);
    /* exact accounting: every dead agent is counted once, by cause */
    CHECK(fx_ind_total(w, "civilian_deaths") + fx_ind_total(w, "civilian_deaths.unmet_needs") ==
          fx_count_agents(w, -1, PK_AGENT_DEAD));
    pk_world_destroy(w);
}

static void test_save_restore_keeps_the_new_state(void) {
    pk_world *w = world_with(11, 0.6, 0.3, 1);
    fx_add_forces(w);
    misinform(w, FX_REBELS, FX_UN, -1, 0.5);
    fx_run(w, 15);
    void *buf;
    size_t size;
    REQUIRE(pk_world_save(w, &buf, &size) == PK_OK);
    pk_error err;
    pk_world *r = pk_world_restore(buf, size, &err);
    free(buf);
    REQUIRE(r != NULL);
    size_t n1, n2;
    pk_world_causes(w, &n1);
    pk_world_causes(r, &n2);
    CHECK(n1 == n2 && n1 > 0);
    CHECK(pk_world_hash(w) == pk_world_hash(r));
    fx_run(w, 15);
    fx_run(r, 15);
    CHECK(pk_world_hash(w) == pk_world_hash(r));
    pk_world_causes(w, &n1);
    pk_world_causes(r, &n2);
    CHECK(n1 == n2);
    pk_world_destroy(w);
    pk_world_destroy(r);
}

int main(void) {
    RUN(test_needs_six_and_mean);
    RUN(test_cause_log_sums_to_the_change);
    RUN(test_misinformation_and_engagement);
    RUN(test_flight_across_the_border_and_return);
    RUN(test_excess_deaths_from_unmet_needs);
    RUN(test_consent_withdrawal_and_obstruction);
    RUN(test_consent_erodes_when_a_mission_reports_abuse);
    RUN(test_armed_money_control_and_readiness);
    RUN(test_base_raids_are_attributed);
    RUN(test_violent_events_name_perpetrator_and_victims);
    RUN(test_save_restore_keeps_the_new_state);
    return test_summary();
}
