/* mission.c — phase 2, command and coordination: every unit gets today's goal region.
 * A unit with an explicit target heads there; one whose orders leave the target open
 * (target_region = -1) gets one from its faction's standing logic. Deterministic:
 * choices depend only on state, ties go to the lower region index. Before that: forces
 * past their exit day leave, idle units take tasks from their mandate, and partners in
 * the same district may get in each other's way (partnership.c). Patrols and offensives
 * re-plan every command-latency days (a joint command waits for both chains). */
#include <string.h>

#include "model.h"

typedef float (*region_score)(const pk_world *, int32_t region, int32_t faction);

/* The region (current or adjacent) with the highest score. */
static int32_t best_neighbour(const pk_world *w, int32_t here, region_score score, int32_t faction) {
    int32_t best = here;
    float best_score = score(w, here, faction);
    const uint8_t *adj = w->adj + (size_t)here * w->n_regions;
    for (int32_t r = 0; r < w->n_regions; r++) {
        if (!adj[r]) continue;
        float s = score(w, r, faction);
        if (s > best_score) {
            best_score = s;
            best = r;
        }
    }
    return best;
}

/* Armed bands go where many civilians they do not sympathise with meet little security. */
static float raid_score(const pk_world *w, int32_t r, int32_t faction) {
    float targets = 0.f;
    for (int32_t g = 0; g < w->n_groups; g++)
        if (w->def.groups[g].sympathises_with != faction) targets += (float)w->alive_rg[r * w->n_groups + g];
    return targets * (float)w->def.scale / (1.0f + w->security[r]);
}

/* Is a unit of a partner of faction f (any link but a sequence) working region r? With
 * a good coordination mechanism a force leaves districts its partner already covers to it
 * and goes where nobody is; with a poor one both crowd into the same hot spot (minutes
 * line 636). w->cover[f * R + r]: the best coordination quality among the partners present,
 * 0 if none; built once a day (cover_build: units do not move while phase 2 sets goals). */
static void cover_build(pk_world *w) {
    const int32_t R = w->n_regions;
    memset(w->cover, 0, (size_t)w->n_factions * (size_t)R * sizeof *w->cover);
    for (int32_t i = 0; i < w->def.n_links; i++) {
        const pk_link_def *l = &w->def.links[i];
        if (l->relation == PK_REL_SEQUENCE) continue;
        for (int end = 0; end < 2; end++) {
            const int32_t f = end ? l->b : l->a, g = end ? l->a : l->b;
            if (!pk__faction_on(w, g)) continue;
            for (int32_t s = 0; s < w->u_slots; s++)
                if (pk__unit_on(w, s) && w->u_faction[s] == g && pk_unit_is_combat((pk_unit_type)w->u_type[s])) {
                    float *q = &w->cover[(size_t)f * R + pk__cell_region(w, w->u_cell[s])];
                    if (l->coordination > *q) *q = l->coordination;
                }
        }
    }
}

static float partner_cover(const pk_world *w, int32_t r, int32_t f) { return w->cover[(size_t)f * w->n_regions + r]; }

/* Security forces go where violence is, less where a well-coordinated partner already is. */
static float patrol_score(const pk_world *w, int32_t r, int32_t faction) {
    return w->violence[r] * (1.f - 0.8f * partner_cover(w, r, faction));
}

/* Offensive operations go where the armed groups are strongest (and violence). */
static float offensive_score(const pk_world *w, int32_t r, int32_t faction) {
    return (w->armed[r] / 100.f + w->violence[r]) * (1.f - 0.8f * partner_cover(w, r, faction));
}

/* A patrol's region: its sector, unless violence in a district next to it is higher by
 * more than PATROL_STAY (a decaying score of persons killed per 1000; a raid that kills 20
 * in a district of 60 000 adds 0.33) — a force that chases every incident leaves its own
 * people unprotected (assumption, docs/MODEL.md phase 2). */
#define PATROL_STAY 0.3f
static int32_t sector_patrol(const pk_world *w, int32_t home, int32_t faction) {
    int32_t best = home;
    float best_score = patrol_score(w, home, faction) + PATROL_STAY;
    const uint8_t *adj = w->adj + (size_t)home * w->n_regions;
    for (int32_t r = 0; r < w->n_regions; r++) {
        if (!adj[r]) continue;
        float sc = patrol_score(w, r, faction);
        if (sc > best_score) {
            best_score = sc;
            best = r;
        }
    }
    return best;
}

void pk_phase_coordination(pk_world *w) {
    pk__departures(w);
    pk__associations(w);
    pk__aggregate_regions(w);
    pk__allocate_mandates(w);
    pk__confusion(w);
    pk__aggregate_regions(w);
    cover_build(w);
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s)) continue;
        int32_t here = pk__cell_region(w, w->u_cell[s]), f = w->u_faction[s];
        pk_faction_kind k = pk_unit_faction_kind(w, s);
        /* standing tasks: idle armed bands raid, idle combat units of security forces
         * patrol; under offensive rules of engagement they go on the offensive */
        if (w->u_task[s] == PK_TASK_IDLE) {
            if (k == PK_FACTION_ARMED_GROUP) w->u_task[s] = PK_TASK_RAID;
            else if (pk__is_security(k) && pk_unit_is_combat((pk_unit_type)w->u_type[s]))
                w->u_task[s] = PK_TASK_PATROL;
        }
        pk_task t = (pk_task)w->u_task[s];
        int32_t before = w->u_goal[s];
        if (w->u_target[s] >= 0) w->u_goal[s] = w->u_target[s];
        else if (t == PK_TASK_RAID) w->u_goal[s] = best_neighbour(w, here, raid_score, f);
        else if (t == PK_TASK_PATROL || t == PK_TASK_OFFENSIVE) {
            /* decision latency: the force re-plans every pk__latency days (a joint command
             * waits for both chains); between cycles its units keep their goals */
            int32_t lat = pk__latency(w, f);
            if (before < 0 || (w->day - 1) % lat == 0) {
                /* an offensive hunts from wherever it is; a patrol keeps to its sector and
                 * the districts next to it, answering violence there */
                if (t == PK_TASK_OFFENSIVE || pk__roe(w, f) == PK_ROE_OFFENSIVE)
                    w->u_goal[s] = best_neighbour(w, here, offensive_score, f);
                else
                    w->u_goal[s] = sector_patrol(w, w->u_home[s], f);
                if (before >= 0 && w->u_goal[s] != before && k != PK_FACTION_ARMED_GROUP)
                    pk__event(w, PK_EV_REDEPLOY, w->u_goal[s], w->region_centre[w->u_goal[s]], f, -1, -1, w->u_strength[s],
                              pk__unit_id(w, s), NULL);
            }
        } else w->u_goal[s] = here;
        /* a static task (idle, protect a site, escort, aid, DDR, observe, repair, engage) with no
         * target region keeps the unit at its post (where it was placed, e.g. a camp);
         * with a target it takes post at the target region's centre */
        w->u_stay[s] = w->u_target[s] < 0 && t != PK_TASK_PATROL && t != PK_TASK_OFFENSIVE && t != PK_TASK_RAID;
    }
}
