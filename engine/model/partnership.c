/* partnership.c — the mechanics of partnership peace operations (DESIGN §2.2-2.3 and §3;
 * docs/MODEL.md "Missions and partnership"), used by the phases:
 * - links between factions and how far each is credited with the other's acts
 *   (association), up to two hops: the humanitarian agencies a mission coordinates are seen
 *   through it, and through it its partner;
 * - armed groups' enmity toward each faction, and what they hold against its associates;
 * - decision latency: a joint command re-plans only when both chains agree;
 * - a force's mandate turned into tasks for its idle units (phase 2);
 * - confusion where partners work the same district with poor coordination or unclear
 *   roles (phase 2);
 * - forces leaving at their exit day or when consent is withdrawn (phase 2).
 * Deterministic: choices depend only on the state; ties go to the lower index. */
#include <string.h>

#include "model.h"

void pk__associations(pk_world *w) {
    const int32_t F = w->n_factions;
    float *A = w->assoc;
    memset(A, 0, (size_t)F * F * sizeof *A);
    for (int32_t i = 0; i < w->def.n_links; i++) {
        const pk_link_def *l = &w->def.links[i];
        float s = l->association;
        if (s > A[l->a * F + l->b]) A[l->a * F + l->b] = A[l->b * F + l->a] = s;
    }
    /* two hops: f credited with h's acts through g (the strongest path) */
    float two[PK_MAX_FACTIONS * PK_MAX_FACTIONS];
    memcpy(two, A, (size_t)F * F * sizeof *A);
    for (int32_t f = 0; f < F; f++)
        for (int32_t g = 0; g < F; g++) {
            if (g == f || A[f * F + g] <= 0) continue;
            for (int32_t h = 0; h < F; h++) {
                if (h == f || h == g) continue;
                float p = A[f * F + g] * A[g * F + h];
                if (p > two[f * F + h]) two[f * F + h] = p;
            }
        }
    memcpy(A, two, (size_t)F * F * sizeof *A);
}

double pk__effective_enmity(const pk_world *w, int32_t a, int32_t f) {
    const int32_t F = w->n_factions;
    const float *row = &w->enmity[(size_t)a * F];
    double e = row[f];
    for (int32_t g = 0; g < F; g++) {
        double v = (double)w->assoc[(size_t)f * F + g] * row[g];
        if (v > e) e = v;
    }
    return e;
}

int32_t pk__latency(const pk_world *w, int32_t f) {
    int32_t lat = w->def.factions[f].command_latency;
    for (int32_t i = 0; i < w->def.n_links; i++) {
        const pk_link_def *l = &w->def.links[i];
        if (l->relation != PK_REL_JOINT) continue;
        if (l->a == f) lat += w->def.factions[l->b].command_latency;
        else if (l->b == f) lat += w->def.factions[l->a].command_latency;
    }
    return lat;
}

/* The task a unit of this type takes for a mandated task, or -1 if it cannot serve it
 * (docs/MODEL.md "Mandates"). */
static int mandate_unit_task(pk_mandate_task m, pk_unit_type t) {
    int infantry = t == PK_UNIT_INFANTRY, fpu = t == PK_UNIT_FPU, air = t == PK_UNIT_AVIATION;
    switch (m) {
    case PK_MANDATE_POC:
        if (infantry || fpu || air) return PK_TASK_PATROL;
        if (t == PK_UNIT_OBSERVERS) return PK_TASK_OBSERVE;
        return -1;
    case PK_MANDATE_POLITICAL:
        return t == PK_UNIT_CIVIL_AFFAIRS ? PK_TASK_ENGAGE : -1;
    case PK_MANDATE_HUMANITARIAN:
        if (infantry || fpu) return PK_TASK_ESCORT;
        if (t == PK_UNIT_HUMANITARIAN || t == PK_UNIT_MEDICAL || air) return PK_TASK_AID;
        return -1;
    case PK_MANDATE_MISSION:
        return infantry || fpu || t == PK_UNIT_ENGINEERS ? PK_TASK_PROTECT : -1;
    case PK_MANDATE_HUMAN_RIGHTS:
        return t == PK_UNIT_HUMAN_RIGHTS || t == PK_UNIT_OBSERVERS ? PK_TASK_OBSERVE : -1;
    case PK_MANDATE_RULE_OF_LAW:
        if (fpu) return PK_TASK_PATROL;
        return t == PK_UNIT_CIVIL_AFFAIRS ? PK_TASK_ENGAGE : -1;
    case PK_MANDATE_DDR:
        return t == PK_UNIT_CIVIL_AFFAIRS || infantry ? PK_TASK_DDR : -1;
    case PK_MANDATE_ELECTIONS:
        return infantry || fpu ? PK_TASK_PROTECT : -1;
    case PK_MANDATE_DISASTER:
        if (t == PK_UNIT_ENGINEERS) return PK_TASK_REPAIR;
        return t == PK_UNIT_MEDICAL || air ? PK_TASK_AID : -1;
    case PK_MANDATE_ENGAGEMENT:
        return t == PK_UNIT_CIVIL_AFFAIRS || t == PK_UNIT_HUMAN_RIGHTS || infantry || fpu ? PK_TASK_ENGAGE : -1;
    case PK_MANDATE_ENFORCEMENT:
        return infantry || air ? PK_TASK_OFFENSIVE : -1;
    default:
        return -1;
    }
}

int pk__has_mandate(const pk_world *w, int32_t f) {
    for (int m = 0; m < PK_MANDATE_COUNT; m++)
        if (w->def.factions[f].mandate[m] > 0) return 1;
    return 0;
}

/* Idle units of a mission with a mandate take a mandated task: each unit the task that is
 * least served so far relative to its priority (a task of priority p gets about 1/p of
 * the units the first gets), among those its type can do. A Human Rights Protection
 * Mission never takes offensive operations (armed for self-defence only). */
void pk__allocate_mandates(pk_world *w) {
    int32_t count[PK_MAX_FACTIONS][PK_MANDATE_COUNT];
    memset(count, 0, sizeof count);
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s) || w->u_task[s] != PK_TASK_IDLE) continue;
        int32_t f = w->u_faction[s];
        const pk_faction_def *fd = &w->def.factions[f];
        if (!pk_faction_is_mission(fd->kind) || !pk__has_mandate(w, f)) continue;
        int best = -1, best_task = -1;
        double best_load = 0;
        for (int m = 0; m < PK_MANDATE_COUNT; m++) {
            if (fd->mandate[m] <= 0) continue;
            int t = mandate_unit_task((pk_mandate_task)m, (pk_unit_type)w->u_type[s]);
            if (t < 0 || (fd->kind == PK_FACTION_HRPM && t == PK_TASK_OFFENSIVE)) continue;
            double load = (double)(count[f][m] + 1) * fd->mandate[m];
            if (best < 0 || load < best_load) {
                best = m;
                best_task = t;
                best_load = load;
            }
        }
        if (best < 0) continue;
        count[f][best]++;
        w->u_task[s] = (uint8_t)best_task;
    }
}

/* Partners working the same district: with probability confusion_rate (1 - coordination)
 * (1 - role clarity), halved under one joint command, their units get in each other's
 * way that day (duplicated effort, contradictory instructions): both count a quarter as
 * security there, and civilians see it (phase 9). Minutes line 636: "ambiguous roles,
 * miscommunication, lack of coordination". */
void pk__confusion(pk_world *w) {
    const int32_t R = w->n_regions;
    uint8_t here[PK_MAX_FACTIONS][PK_MAX_REGIONS];
    memset(here, 0, sizeof here);
    for (int32_t s = 0; s < w->u_slots; s++)
        if (pk__unit_on(w, s)) here[w->u_faction[s]][pk__cell_region(w, w->u_cell[s])] = 1;
    const uint64_t key = pk__key(w, "coordination.confusion");
    for (int32_t i = 0; i < w->def.n_links; i++) {
        const pk_link_def *l = &w->def.links[i];
        if (l->relation == PK_REL_SEQUENCE || l->relation == PK_REL_COORDINATES) continue;
        double p = w->params[PK_PARAM_CONFUSION_RATE] * (1.0 - l->coordination) * (1.0 - l->role_clarity);
        if (l->relation == PK_REL_JOINT) p *= 0.5;
        if (p <= 0) continue;
        for (int32_t r = 0; r < R; r++) {
            if (!here[l->a][r] || !here[l->b][r]) continue;
            if (pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)i, (uint64_t)r) >= p) continue;
            w->confused[(size_t)l->a * R + r] = w->confused[(size_t)l->b * R + r] = 1;
            w->today.confusion_events += 1;
            pk__event(w, PK_EV_CONFUSION, r, w->region_centre[r], l->a, l->b, -1, 0, (pk_unit_id){0, 0}, NULL);
        }
    }
}

/* Forces whose exit day has passed, or whose consent was withdrawn, leave: their units
 * are removed (minutes line 1419, "kicked out from Mali"; line 658, the years after exit
 * are the test of time). One mission_exit event per faction. */
void pk__departures(pk_world *w) {
    uint8_t left[PK_MAX_FACTIONS] = {0};
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (w->u_slot[s] != PK_SLOT_LIVE) continue;
        int32_t f = w->u_faction[s];
        const pk_faction_def *fd = &w->def.factions[f];
        int gone = w->withdrawn[f] || (fd->exit_day > 0 && w->day > fd->exit_day);
        if (!gone) continue;
        if (!left[f]) {
            left[f] = 1;
            pk__event(w, PK_EV_MISSION_EXIT, -1, -1, f, -1, -1, 0, (pk_unit_id){0, 0},
                      w->withdrawn[f] ? "consent withdrawn: the force leaves" : "exit day: the force leaves");
        }
        pk__event(w, PK_EV_UNIT_REMOVED, pk__cell_region(w, w->u_cell[s]), w->u_cell[s], f, -1, -1, w->u_strength[s],
                  pk__unit_id(w, s), NULL);
        pk__unit_free_slot(w, s);
    }
}

/* Restraint from partnership with the UN: a force linked to a UN mission (in parallel, in
 * support or under joint command) works under its human-rights due-diligence policy and
 * its civil-military coordination, which curb collateral harm and high-handedness by up
 * to half with a perfect coordination mechanism (assumption after the UN HRDDP, 2011). */
double pk__restraint(const pk_world *w, int32_t f) {
    double best = 0;
    for (int32_t i = 0; i < w->def.n_links; i++) {
        const pk_link_def *l = &w->def.links[i];
        if (l->relation != PK_REL_PARALLEL && l->relation != PK_REL_SUPPORT && l->relation != PK_REL_JOINT) continue;
        int32_t g = l->a == f ? l->b : (l->b == f ? l->a : -1);
        if (g < 0 || w->def.factions[g].kind != PK_FACTION_UN || !pk__faction_on(w, g)) continue;
        if (l->coordination > best) best = l->coordination;
    }
    return 1.0 - 0.5 * best;
}

/* Contextual understanding a force works with: its own, or what a partner knows and
 * shares through the coordination mechanism (coordination x the partner's), whichever is
 * larger. The regional force's knowledge of the context (minutes lines 622-630) reaches
 * the UN only as far as they coordinate (assumption). */
double pk__context(const pk_world *w, int32_t f) {
    double c = w->def.factions[f].context;
    for (int32_t i = 0; i < w->def.n_links; i++) {
        const pk_link_def *l = &w->def.links[i];
        if (l->relation != PK_REL_PARALLEL && l->relation != PK_REL_SUPPORT && l->relation != PK_REL_JOINT) continue;
        int32_t g = l->a == f ? l->b : (l->b == f ? l->a : -1);
        if (g < 0 || !pk__faction_on(w, g)) continue;
        double shared = (double)l->coordination * w->def.factions[g].context;
        if (shared > c) c = shared;
    }
    return c;
}

/* How well faction f's offensive operations are planned with protection of civilians: a
 * UN mission plans it into its own operations (1); another force only as far as it
 * coordinates with an operating UN mission (its best link's coordination; 0 alone). */
double pk__poc_planning(const pk_world *w, int32_t f) {
    if (w->def.factions[f].kind == PK_FACTION_UN) return 1.0;
    double best = 0;
    for (int32_t i = 0; i < w->def.n_links; i++) {
        const pk_link_def *l = &w->def.links[i];
        if (l->relation == PK_REL_SEQUENCE || l->relation == PK_REL_COORDINATES) continue;
        int32_t g = l->a == f ? l->b : (l->b == f ? l->a : -1);
        if (g < 0 || w->def.factions[g].kind != PK_FACTION_UN || !pk__faction_on(w, g)) continue;
        if (l->coordination > best) best = l->coordination;
    }
    return best;
}
