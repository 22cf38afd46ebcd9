/* armed_groups.c — phase 5, armed-group decisions: territorial control, money and what it
 * buys, and recruits joining bands.
 * - Control of each region relaxes toward the armed groups' share of armed presence
 *   against security forces there.
 * - Each armed group earns money from the regions it controls (roads to tax, resources
 *   to extract) and pays its fighters' upkeep; its money sets its bands' readiness (phase
 *   7 also scales its recruitment by it).
 * - Recruits who joined (phase 7 of the day before) reinforce the faction's weakest band;
 *   a faction with recruits but no band keeps them waiting in its pool.
 * Attacks are resolved in phase 6; misinformation campaigns are set by scripts
 * (PK_CMD_MISINFORMATION) and act in phase 9; willingness to negotiate moves in phase 10.
 * Must never touch civilians' state. */
#include <string.h>

#include "model.h"

/* Days of upkeep an armed group keeps in reserve to be at full readiness and full
 * recruiting capacity (assumption). */
#define PK_ARMED_RESERVE_DAYS 30.0

double pk__armed_capacity(const pk_world *w, int32_t f) {
    double upkeep = 0;
    for (int32_t s = 0; s < w->u_slots; s++)
        if (pk__unit_on(w, s) && w->u_faction[s] == f) upkeep += w->u_strength[s];
    upkeep *= w->params[PK_PARAM_ARMED_UPKEEP];
    if (upkeep <= 0) return 1.0;
    double c = 0.5 + 0.5 * w->funds[f] / (PK_ARMED_RESERVE_DAYS * upkeep);
    return c > 1.0 ? 1.0 : c;
}

void pk_phase_armed_groups(pk_world *w) {
    const int32_t R = w->n_regions, F = w->n_factions;
    pk__aggregate_regions(w);
    /* control: armed presence against (weighted) security presence, a tenth of the way
     * a day; 50 persons of either side make the difference between none and some */
    for (int32_t r = 0; r < R; r++) {
        double a = w->armed[r], sec = w->security[r];
        double target = a / (a + sec + 50.0);
        w->control[r] = pk__clamp01((float)(w->control[r] + 0.1 * (target - w->control[r])));
    }
    double armed_f[PK_MAX_FACTIONS][PK_MAX_REGIONS];
    double strength_f[PK_MAX_FACTIONS];
    memset(armed_f, 0, sizeof armed_f);
    memset(strength_f, 0, sizeof strength_f);
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s) || pk_unit_faction_kind(w, s) != PK_FACTION_ARMED_GROUP) continue;
        armed_f[w->u_faction[s]][pk__cell_region(w, w->u_cell[s])] += (double)w->u_strength[s] * w->u_readiness[s];
        strength_f[w->u_faction[s]] += w->u_strength[s];
    }
    const double income_base = w->params[PK_PARAM_ARMED_INCOME], upkeep_pp = w->params[PK_PARAM_ARMED_UPKEEP];
    const double rate = w->params[PK_PARAM_READINESS_DECAY];
    for (int32_t f = 0; f < F; f++) {
        if (w->def.factions[f].kind != PK_FACTION_ARMED_GROUP) continue;
        /* income: each region's value (roads to tax, resources to extract) times the
         * control armed groups have there, shared by armed strength */
        double income = 0;
        for (int32_t r = 0; r < R; r++) {
            if (armed_f[f][r] <= 0 || w->armed[r] <= 0) continue;
            double share = armed_f[f][r] / w->armed[r];
            if (share > 1) share = 1;
            income += share * w->control[r] * (income_base * (0.5 + w->road_share[r]) + w->resources[r]);
        }
        double upkeep = strength_f[f] * upkeep_pp;
        w->funds[f] += income - upkeep;
        if (w->funds[f] < 0) w->funds[f] = 0;
        /* money buys readiness: bands relax toward 0.6 when broke, 1 with a month's reserve */
        double reserve = upkeep > 0 ? w->funds[f] / (PK_ARMED_RESERVE_DAYS * upkeep) : 1.0;
        double target = 0.6 + 0.4 * (reserve > 1 ? 1 : reserve);
        for (int32_t s = 0; s < w->u_slots; s++)
            if (pk__unit_on(w, s) && w->u_faction[s] == f)
                w->u_readiness[s] = pk__clamp01((float)(w->u_readiness[s] + (target - w->u_readiness[s]) * rate));

        int32_t recruits = (int32_t)w->recruit_pool[f];
        if (recruits <= 0) continue;
        int32_t weakest = -1;
        for (int32_t s = 0; s < w->u_slots; s++) {
            if (!pk__unit_on(w, s) || w->u_faction[s] != f) continue;
            if (weakest < 0 || w->u_strength[s] < w->u_strength[weakest]) weakest = s;
        }
        if (weakest < 0) continue; /* no band to join: recruits wait */
        w->u_strength[weakest] += recruits;
        w->recruit_pool[f] -= (float)recruits;
    }
}
