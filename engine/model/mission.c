/* mission.c — phase 2, command and coordination: every unit gets today's goal region.
 * A unit with an explicit target heads there; one whose orders leave the target open
 * (target_region = -1) gets one from its faction's standing logic. Deterministic:
 * choices depend only on state, ties go to the lower region index. Later issues add
 * decision latency and friction between partners here. */
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

/* Security forces go where violence is. */
static float patrol_score(const pk_world *w, int32_t r, int32_t faction) {
    (void)faction;
    return w->violence[r];
}

void pk_phase_coordination(pk_world *w) {
    pk__aggregate_regions(w);
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (w->u_slot[s] != PK_SLOT_LIVE) continue;
        int32_t here = pk__cell_region(w, w->u_cell[s]);
        pk_faction_kind k = pk_unit_faction_kind(w, s);
        if (w->withdrawn[w->u_faction[s]]) {
            /* consent withdrawn: the mission's units stop operating and hold where they are
             * until the scenario removes them (minutes line 1419, "kicked out from Mali") */
            w->u_task[s] = PK_TASK_IDLE;
            w->u_goal[s] = here;
            w->u_stay[s] = 1;
            continue;
        }
        /* standing tasks: idle armed bands raid, idle combat units of security forces patrol */
        if (w->u_task[s] == PK_TASK_IDLE) {
            if (k == PK_FACTION_ARMED_GROUP) w->u_task[s] = PK_TASK_RAID;
            else if (pk__is_security(k) && pk_unit_is_combat((pk_unit_type)w->u_type[s])) w->u_task[s] = PK_TASK_PATROL;
        }
        pk_task t = (pk_task)w->u_task[s];
        if (w->u_target[s] >= 0) w->u_goal[s] = w->u_target[s];
        else if (t == PK_TASK_RAID) w->u_goal[s] = best_neighbour(w, here, raid_score, w->u_faction[s]);
        else if (t == PK_TASK_PATROL || t == PK_TASK_OFFENSIVE) w->u_goal[s] = best_neighbour(w, here, patrol_score, w->u_faction[s]);
        else w->u_goal[s] = here;
        /* a static task (idle, protect a site, escort, aid, DDR, observe, repair, engage) with no
         * target region keeps the unit at its post (where it was placed, e.g. a camp);
         * with a target it takes post at the target region's centre */
        w->u_stay[s] = w->u_target[s] < 0 && t != PK_TASK_PATROL && t != PK_TASK_OFFENSIVE && t != PK_TASK_RAID;
    }
}
