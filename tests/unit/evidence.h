/* evidence.h — shared by the lua_evidence_*.c tests (issue 4): run scenarios/mandate_lab.lua
 * through the scenario layer with parameter settings and seeds, collect indicators over a
 * window of days, and compare arms over many seeds (Monte Carlo): means, standard errors,
 * and a check that a difference is both larger than a stated margin and larger than twice
 * its standard error. Every figure is printed, so the test log is the evidence. */
#ifndef PK_EVIDENCE_H
#define PK_EVIDENCE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "test.h"

enum { EV_MAX_SETS = 16, EV_MAX_SEEDS = 32 };

/* What one run gives: sums over the window of days [from, to] of counts, means over the
 * window of levels, and levels at the end. */
typedef struct ev_out {
    double deaths, onesided, confusion, attacks_hum;                  /* sums over the window */
    double deaths_before;                                             /* civilian deaths before the window */
    double neutralised_p;                                             /* fighters the partner took out (window) */
    double access, trust_hum, trust_un, fom_un, readiness_p, cost;    /* means over the window */
    double trust_un_end, armed_end;
    double redeploy_gap;        /* mean days between the UN's distinct re-planning days with a redeployment */
} ev_out;

/* An arm: parameter settings ("name=value"), run over seeds 1..n. */
typedef struct ev_arm {
    const char *label;
    const char *sets[EV_MAX_SETS];
    int n_sets;
} ev_arm;

static inline double ev_ind(const pk_world *w, int32_t i) { return i >= 0 ? pk_world_indicator(w, i) : 0.0; }

static inline ev_out ev_run(const ev_arm *arm, uint64_t seed, int days, int from) {
    char path[512];
    pk_errors *errs = calloc(1, sizeof *errs);
    REQUIRE(errs != NULL);
    pk_scenario_options o = pk_scenario_options_default();
    o.sets = arm->sets;
    o.n_sets = arm->n_sets;
    o.seed = seed;
    o.seed_given = 1;
    pk_scenario *sc = pk_scenario_load(SRC_PATH(path, "scenarios/mandate_lab.lua"), &o, errs);
    if (!sc && errs->count) fprintf(stderr, "%s: %s\n", arm->label, errs->items[0].msg);
    free(errs);
    REQUIRE(sc != NULL);
    pk_world *w = pk_scenario_world(sc);
    pk_error err;
    REQUIRE(pk_scenario_start(sc, &err) == PK_OK);
    int32_t i_d = pk_world_indicator_find(w, "civilian_deaths");
    int32_t i_a = pk_world_indicator_find(w, "civilian_deaths.by_armed_groups");
    int32_t i_g = pk_world_indicator_find(w, "civilian_deaths.by_government");
    int32_t i_c = pk_world_indicator_find(w, "confusion_events");
    int32_t i_h = pk_world_indicator_find(w, "attacks_on_humanitarians");
    int32_t i_acc = pk_world_indicator_find(w, "humanitarian_access");
    int32_t i_th = pk_world_indicator_find(w, "trust.hum"), i_tu = pk_world_indicator_find(w, "trust.un");
    int32_t i_fu = pk_world_indicator_find(w, "freedom_of_movement.un");
    int32_t i_rp = pk_world_indicator_find(w, "readiness.partner"), i_cost = pk_world_indicator_find(w, "cost");
    int32_t i_arm = pk_world_indicator_find(w, "armed_strength");
    int32_t i_np = pk_world_indicator_find(w, "fighters_neutralised.partner");
    REQUIRE(i_d >= 0 && i_a >= 0 && i_c >= 0 && i_acc >= 0 && i_th >= 0 && i_tu >= 0 && i_rp >= 0);
    ev_out r;
    memset(&r, 0, sizeof r);
    int n = 0;
    for (int day = 1; day <= days; day++) {
        REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
        if (day < from) {
            r.deaths_before += ev_ind(w, i_d);
            continue;
        }
        n++;
        r.deaths += ev_ind(w, i_d);
        r.onesided += ev_ind(w, i_a) + ev_ind(w, i_g);
        r.confusion += ev_ind(w, i_c);
        r.attacks_hum += ev_ind(w, i_h);
        r.neutralised_p += ev_ind(w, i_np);
        r.access += ev_ind(w, i_acc);
        r.trust_hum += ev_ind(w, i_th);
        r.trust_un += ev_ind(w, i_tu);
        r.fom_un += ev_ind(w, i_fu);
        r.readiness_p += ev_ind(w, i_rp);
        r.cost += ev_ind(w, i_cost);
    }
    if (n > 0) {
        r.access /= n;
        r.trust_hum /= n;
        r.trust_un /= n;
        r.fom_un /= n;
        r.readiness_p /= n;
        r.cost /= n;
    }
    r.trust_un_end = ev_ind(w, i_tu);
    r.armed_end = ev_ind(w, i_arm);
    /* decision cycles: the distinct days on which the UN redeployed a unit */
    size_t ne;
    const pk_event *ev = pk_world_events(w, &ne);
    int32_t un = pk_world_find_faction(w, "un"), last = -1, gaps = 0;
    double gap_sum = 0;
    for (size_t i = 0; i < ne; i++) {
        if (ev[i].type != PK_EV_REDEPLOY || ev[i].faction != un || ev[i].day == last) continue;
        if (last >= 0) {
            gap_sum += ev[i].day - last;
            gaps++;
        }
        last = ev[i].day;
    }
    r.redeploy_gap = gaps ? gap_sum / gaps : 0;
    REQUIRE(pk_scenario_finish(sc, &err) == PK_OK);
    pk_scenario_free(sc);
    return r;
}

/* A sample over seeds of one figure. */
typedef struct ev_stat {
    double mean, se;
    int n;
} ev_stat;

static inline ev_stat ev_stats(const double *x, int n) {
    ev_stat s = {0, 0, n};
    for (int i = 0; i < n; i++) s.mean += x[i];
    s.mean /= n;
    double v = 0;
    for (int i = 0; i < n; i++) v += (x[i] - s.mean) * (x[i] - s.mean);
    s.se = n > 1 ? sqrt(v / (n - 1) / n) : 0;
    return s;
}

/* Run an arm over seeds 1..n; out[i] is seed i+1's result. */
static inline void ev_arm_run(const ev_arm *arm, int n, int days, int from, ev_out *out) {
    for (int i = 0; i < n; i++) out[i] = ev_run(arm, (uint64_t)(i + 1), days, from);
}

/* Pick one figure (by offset in ev_out) from n results into x. */
#define EV_FIELD(out, n, field, x)                          \
    do {                                                    \
        for (int i_ = 0; i_ < (n); i_++) (x)[i_] = (out)[i_].field; \
    } while (0)

/* The same as a rate a month (30.4 days), the figure summed over a window of `days` days. */
#define EV_FIELD_A_MONTH(out, n, field, days, x)                                          \
    do {                                                                                  \
        for (int i_ = 0; i_ < (n); i_++) (x)[i_] = (out)[i_].field * (30.4 / (days));    \
    } while (0)

/* Is mean(a) - mean(b) > margin, and more than twice the standard error of the
 * difference? Prints the comparison either way. */
static inline int ev_greater(const char *what, const char *la, ev_stat a, const char *lb, ev_stat b, double margin) {
    double d = a.mean - b.mean, se = sqrt(a.se * a.se + b.se * b.se);
    int ok = d > margin && d > 2.0 * se;
    printf("  %-44s %-22s %10.4g (se %.3g)  >  %-22s %10.4g (se %.3g)  by %.4g (margin %.3g, 2se %.3g): %s\n", what, la,
           a.mean, a.se, lb, b.mean, b.se, d, margin, 2 * se, ok ? "yes" : "NO");
    return ok;
}

/* Paired comparison over the same seeds (common random numbers: both arms draw the same
 * agents, hardships and placements): is the mean of a[i] - b[i] larger than margin and
 * than twice its standard error? Prints the comparison either way. */
static inline int ev_greater_paired(const char *what, const char *la, const double *a, const char *lb, const double *b, int n,
                             double margin) {
    double d[EV_MAX_SEEDS];
    for (int i = 0; i < n; i++) d[i] = a[i] - b[i];
    ev_stat sa = ev_stats(a, n), sb = ev_stats(b, n), sd = ev_stats(d, n);
    int ok = sd.mean > margin && sd.mean > 2.0 * sd.se;
    printf("  %-46s %-24s %9.4g  >  %-24s %9.4g   paired difference %.4g (se %.3g, margin %.3g): %s\n", what, la, sa.mean, lb,
           sb.mean, sd.mean, sd.se, margin, ok ? "yes" : "NO");
    return ok;
}

#endif
