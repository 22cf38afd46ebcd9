/* finance.c — phase 4, logistics and finance: the running cost of each foreign force and
 * humanitarian faction (its people and its headquarters), the unfunded part (the 25% gap
 * UNSC 2719 leaves an AU-led operation, minutes lines 139-160, less what donors cover),
 * and readiness drifting toward what the funding, the contingents' standardisation and a
 * support package can sustain. */
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
        /* the assessed share, and donors covering part of the rest */
        double share = fd->funding_share * w->params[PK_PARAM_FUNDING_SHARE];
        double funded = share + (1.0 - share) * fd->gap_covered;
        if (paid) {
            double c = (double)w->u_strength[s] * cost_pp;
            w->cost_rate[f] += c;
            w->gap_rate[f] += c * (1.0 - funded);
            /* readiness relaxes toward a level the funding sustains, 0.25 + 0.75 f^2 for a
             * funded share f: full funding keeps units fully ready, a quarter unfunded
             * leaves two thirds (allowances in arrears, fuel and spares short: the gap
             * bites harder than in proportion), none a quarter;
             * mixed, unstandardised contingents lose up to a fifth (standardisation 0.5: a
             * tenth); a support package (the UN's logistics for a regional force) adds up
             * to 0.05 (assumptions, docs/MODEL.md) */
            double target = (0.25 + 0.75 * funded * funded) * (0.8 + 0.2 * fd->standardisation) + 0.05 * fd->support;
            if (target > 1.0) target = 1.0;
            w->u_readiness[s] += (float)((target - w->u_readiness[s]) * rate);
        }
        ready_sum[f] += w->u_readiness[s];
        ready_n[f] += 1;
    }
    for (int32_t f = 0; f < w->n_factions; f++) {
        w->readiness_mean[f] = ready_n[f] > 0 ? (float)(ready_sum[f] / ready_n[f]) : 0.f;
        /* a headquarters costs while the force is in the mission area; a split mission
         * pays for two (minutes lines 1603-1625) */
        const pk_faction_def *fd = &w->def.factions[f];
        if (ready_n[f] > 0 && fd->hq_cost > 0) {
            double share = fd->funding_share * w->params[PK_PARAM_FUNDING_SHARE];
            double funded = share + (1.0 - share) * fd->gap_covered;
            w->cost_rate[f] += fd->hq_cost;
            w->gap_rate[f] += fd->hq_cost * (1.0 - funded);
        }
    }
}
