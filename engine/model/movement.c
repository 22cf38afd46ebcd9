/* movement.c — phase 3: units move toward today's goal region over the cell grid, faster
 * on roads, never through water (except aircraft); ground units of the mission and the
 * government risk ambush and IEDs where armed groups are strong. Freedom of movement per
 * faction is the mean chance of moving unharmed ("whoever has freedom of movement wins",
 * minutes line 670). */
#include <math.h>

#include "model.h"

/* One greedy step toward `dest`: the passable 8-neighbour that most shortens the squared
 * distance; -1 when no neighbour is closer (arrived or blocked). */
static int32_t step_toward(const pk_world *w, int32_t cell, int32_t dest, int fly) {
    const pk_map *m = w->map;
    int32_t W = m->width, H = m->height;
    int32_t x = cell % W, y = cell / W, dx0 = dest % W, dy0 = dest / W;
    int64_t best_d = (int64_t)(x - dx0) * (x - dx0) + (int64_t)(y - dy0) * (y - dy0);
    int32_t best = -1;
    for (int32_t dy = -1; dy <= 1; dy++)
        for (int32_t dx = -1; dx <= 1; dx++) {
            if (!dx && !dy) continue;
            int32_t nx = x + dx, ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
            int32_t c = ny * W + nx;
            if (m->region[c] < 0 || (!fly && m->terrain[c] == PK_TERRAIN_WATER)) continue; /* aircraft cross water, never leave the area */
            int64_t d = (int64_t)(nx - dx0) * (nx - dx0) + (int64_t)(ny - dy0) * (ny - dy0);
            if (d < best_d) {
                best_d = d;
                best = c;
            }
        }
    return best;
}

/* The strongest armed band in region r, or -1. */
static int32_t strongest_band(const pk_world *w, int32_t r) {
    int32_t best = -1, best_s = 0;
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (w->u_slot[s] != PK_SLOT_LIVE || pk_unit_faction_kind(w, s) != PK_FACTION_ARMED_GROUP) continue;
        if (pk__cell_region(w, w->u_cell[s]) == r && w->u_strength[s] > best_s) {
            best_s = w->u_strength[s];
            best = s;
        }
    }
    return best;
}

void pk_phase_movement(pk_world *w) {
    const pk_map *m = w->map;
    uint64_t key = pk__key(w, "movement.ambush");
    double risk_sum[PK_MAX_FACTIONS] = {0}, n_units[PK_MAX_FACTIONS] = {0};
    pk__aggregate_regions(w);
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (w->u_slot[s] != PK_SLOT_LIVE) continue;
        pk_unit_type type = (pk_unit_type)w->u_type[s];
        int fly = type == PK_UNIT_AVIATION;
        int32_t dest = w->region_centre[w->u_goal[s]];
        double budget = pk_speed_km[type];
        int moved = 0;
        while (w->u_cell[s] != dest) {
            int32_t next = step_toward(w, w->u_cell[s], dest, fly);
            if (next < 0) break;
            int diag = (next % m->width != w->u_cell[s] % m->width) && (next / m->width != w->u_cell[s] / m->width);
            double road = (!fly && m->road[next] && m->road[w->u_cell[s]]) ? PK_ROAD_SPEEDUP : 1.0;
            double cost = m->cell_km * (diag ? 1.41421356 : 1.0) / road;
            if (cost > budget) break;
            budget -= cost;
            w->u_cell[s] = next;
            moved = 1;
        }
        /* ambush and IED risk for ground units of the mission and the government */
        int32_t f = w->u_faction[s];
        pk_faction_kind k = w->def.factions[f].kind;
        if (k == PK_FACTION_ARMED_GROUP || k == PK_FACTION_HUMANITARIAN) {
            if (k == PK_FACTION_ARMED_GROUP) {
                int32_t r = pk__cell_region(w, w->u_cell[s]);
                double sec = w->security[r];
                risk_sum[f] += sec / (sec + (double)w->u_strength[s] + 1.0);
                n_units[f] += 1;
            }
            continue;
        }
        int32_t r = pk__cell_region(w, w->u_cell[s]);
        double armed = w->armed[r];
        double eff = (double)w->u_strength[s] * w->u_readiness[s];
        double risk = fly ? 0.0 : w->params[PK_PARAM_AMBUSH_RATE] * armed / (armed + eff + 1.0);
        risk_sum[f] += risk;
        n_units[f] += 1;
        if (!moved || risk <= 0) continue;
        if (pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)s, w->u_gen[s]) >= risk) continue;
        double expect = (double)w->u_strength[s] * 0.002 * (1.0 + armed / (armed + eff + 1.0));
        int32_t losses = pk_round_random(expect, pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)s, 1u << 20));
        if (losses < 1) losses = 1;
        if (losses > w->u_strength[s]) losses = w->u_strength[s];
        w->u_strength[s] -= losses;
        if (pk_faction_is_mission(k)) w->today.peacekeeper_deaths += losses;
        else w->today.battle_deaths += losses;
        w->today.violent_incidents += 1;
        w->incidents[r] += (float)losses;
        int32_t band = strongest_band(w, r);
        pk__event(w, PK_EV_AMBUSH, r, w->u_cell[s], band >= 0 ? w->u_faction[band] : -1, f, -1, losses,
                  pk__unit_id(w, s), NULL);
        if (w->u_strength[s] <= 0) {
            pk__event(w, PK_EV_UNIT_DESTROYED, r, w->u_cell[s], band >= 0 ? w->u_faction[band] : -1, f, -1, 0,
                      pk__unit_id(w, s), NULL);
            pk__unit_free_slot(w, s);
        }
    }
    for (int32_t f = 0; f < w->n_factions; f++)
        w->fom[f] = n_units[f] > 0 ? (float)(1.0 - risk_sum[f] / n_units[f]) : 1.0f;
    /* fom for mission factions is a chance per day; express it so that 1 = no risk:
     * normalised by the parameter so ambush_rate itself does not cap it near 1 */
    for (int32_t f = 0; f < w->n_factions; f++) {
        pk_faction_kind k = w->def.factions[f].kind;
        if (k != PK_FACTION_ARMED_GROUP && w->params[PK_PARAM_AMBUSH_RATE] > 0 && n_units[f] > 0)
            w->fom[f] = (float)(1.0 - risk_sum[f] / n_units[f] / w->params[PK_PARAM_AMBUSH_RATE]);
    }
}
