/* finance.c — phase 4, logistics and finance: the running cost of each foreign force and
 * humanitarian faction, the unfunded part (the 25% gap UNSC 2719 leaves an AU-led
 * operation, minutes lines 139-160), and readiness drifting toward what the funding can
 * sustain. */
#include "model.h"

void pk_phase_logistics(pk_world *w) {
    double cost_pp = w->params[PK_PARAM_COST_PER_PERSON_DAY];
    double rate = w->params[PK_PARAM_READINESS_DECAY];
    for (int32_t f = 0; f < w->n_factions; f++) {
        w->cost_rate[f] = 0;
        w->gap_rate[f] = 0;
    }
    double ready_sum[PK_MAX_FACTIONS] = {0}, ready_n[PK_MAX_FACTIONS] = {0};
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s)) continue;
        int32_t f = w->u_faction[s];
        const pk_faction_def *fd = &w->def.factions[f];
        int paid = pk_faction_is_mission(fd->kind) || fd->kind == PK_FACTION_HUMANITARIAN;
        double funded = fd->funding_share * w->params[PK_PARAM_FUNDING_SHARE];
        if (paid) {
            double c = (double)w->u_strength[s] * cost_pp;
            w->cost_rate[f] += c;
            w->gap_rate[f] += c * (1.0 - funded);
            /* readiness relaxes toward a level the funding sustains: full funding keeps
             * units fully ready, no funding halves readiness (assumption) */
            double target = 0.5 + 0.5 * funded;
            w->u_readiness[s] += (float)((target - w->u_readiness[s]) * rate);
        }
        ready_sum[f] += w->u_readiness[s];
        ready_n[f] += 1;
    }
    for (int32_t f = 0; f < w->n_factions; f++)
        w->readiness_mean[f] = ready_n[f] > 0 ? (float)(ready_sum[f] / ready_n[f]) : 0.f;
}
