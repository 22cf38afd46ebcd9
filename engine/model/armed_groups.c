/* armed_groups.c — phase 5, armed-group decisions: territorial control, money and what it
 * buys, and recruits joining bands.
 * - Control of each region relaxes toward the armed groups' share of armed presence
 *   against security forces there.
 * - Each armed group earns money from the regions it controls (roads to tax, resources
 *   to extract) and pays its fighters' upkeep; its money sets its bands' readiness (phase
 *   7 also scales its recruitment by it: a group that cannot pay more fighters does not
 *   recruit, so its size follows what it earns).
 * - Recruits who joined (phase 7 of the day before) reinforce the faction's weakest band;
 *   once the pool holds band_size persons and the faction has no band, or three bands'
 *   worth, they form a new band where the group's sympathisers are many and security is
 *   thin — which is how violence comes back after a force leaves (minutes line 658).
 * - Enmity toward each faction (what its operations took from the group) fades slowly;
 *   with misinformation_level > 0 a group runs a campaign against the faction it holds
 *   most against, re-decided every 30 days (UN DPO 2025 survey: 68% of peacekeepers see
 *   its effect on their work).
 * Attacks are resolved in phase 6; scripts can also start campaigns
 * (PK_CMD_MISINFORMATION); they act in phase 9; willingness to negotiate moves in phase 10.
 * Must never touch civilians' state. */
#include <math.h>
#include <stdio.h>
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
    double c = w->funds[f] / (PK_ARMED_RESERVE_DAYS * upkeep);
    return c > 1.0 ? 1.0 : c;
}

/* A new band of the pool's recruits, at the centre of the region where the group's
 * sympathisers are most numerous against the security there. */
static void form_band(pk_world *w, int32_t f, int32_t recruits) {
    const int32_t R = w->n_regions, G = w->n_groups;
    int32_t best = -1;
    double best_score = 0;
    for (int32_t r = 0; r < R; r++) {
        double sym = 0;
        for (int32_t g = 0; g < G; g++)
            if (w->def.groups[g].sympathises_with == f) sym += w->alive_rg[r * G + g];
        double score = sym / (1.0 + w->security[r]);
        if (sym > 0 && (best < 0 || score > best_score)) {
            best = r;
            best_score = score;
        }
    }
    if (best < 0) return;
    pk_unit_def d = pk_unit_def_default();
    d.faction = f;
    d.type = PK_UNIT_ARMED_BAND;
    d.strength = recruits;
    d.readiness = 0.7f;
    d.cell = w->region_centre[best];
    d.home_region = -1;
    d.task = PK_TASK_RAID;
    d.target_region = -1;
    snprintf(d.name, sizeof d.name, "%s band (new)", w->def.factions[f].id);
    int32_t s = pk__unit_spawn(w, &d);
    if (s < 0) return;
    w->recruit_pool[f] -= (float)recruits;
    pk__event(w, PK_EV_BAND_FORMED, best, d.cell, f, -1, -1, recruits, pk__unit_id(w, s), NULL);
}

/* An armed group's own misinformation campaign: every 30 days it aims at the operating
 * faction it holds most against (enmity at least 0.05), with strength
 * misinformation_level x (0.5 + enmity), capped at 1, wherever it has bands; none if
 * nobody has fought it. Scripted campaigns (PK_CMD_MISINFORMATION) are left alone when
 * the level is 0. */
static void misinform(pk_world *w, int32_t f) {
    const int32_t F = w->n_factions;
    const double level = w->params[PK_PARAM_MISINFO_LEVEL];
    if (level <= 0 || (w->day - 1) % 30 != 0) return;
    int32_t target = -1;
    for (int32_t t = 0; t < F; t++) {
        pk_faction_kind k = w->def.factions[t].kind;
        if (k == PK_FACTION_ARMED_GROUP || !pk__faction_on(w, t)) continue;
        if (w->enmity[(size_t)f * F + t] >= 0.05f && (target < 0 || w->enmity[(size_t)f * F + t] > w->enmity[(size_t)f * F + target]))
            target = t;
    }
    for (int32_t t = 0; t < F; t++) {
        size_t i = (size_t)f * F + t;
        double want = t == target ? level * (0.5 + w->enmity[i]) : 0.0;
        if (want > 1) want = 1;
        if (fabs(want - w->misinfo[i]) < 0.05 && (want > 0) == (w->misinfo[i] > 0)) continue;
        w->misinfo[i] = (float)want;
        w->misinfo_region[i] = -1;
        pk__event(w, PK_EV_MISINFORMATION, -1, -1, f, t, -1, 0, (pk_unit_id){0, 0},
                  want > 0 ? "an armed group starts a misinformation campaign" : "the campaign stops");
        w->misinfo_event[i] = want > 0 ? pk__last_event(w) : -1;
    }
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

        /* enmity fades */
        for (int32_t t = 0; t < F; t++) {
            float *e = &w->enmity[(size_t)f * F + t];
            *e = pk__clamp01(*e * (float)(1.0 - w->params[PK_PARAM_ENMITY_DECAY]));
        }
        misinform(w, f);
        int32_t recruits = (int32_t)w->recruit_pool[f];
        if (recruits <= 0) continue;
        int32_t weakest = -1;
        for (int32_t s = 0; s < w->u_slots; s++) {
            if (!pk__unit_on(w, s) || w->u_faction[s] != f) continue;
            if (weakest < 0 || w->u_strength[s] < w->u_strength[weakest]) weakest = s;
        }
        const double band_size = w->params[PK_PARAM_BAND_SIZE];
        if (recruits >= band_size && (weakest < 0 || recruits >= 3.0 * band_size)) {
            form_band(w, f, recruits);
            continue;
        }
        if (weakest < 0) continue; /* no band to join and too few to form one: recruits wait */
        w->u_strength[weakest] += recruits;
        w->recruit_pool[f] -= (float)recruits;
    }
}
