/* humanitarian.c — phase 8, humanitarian delivery. Each region has six needs (food, water
 * and sanitation, health, shelter, education, safety; DESIGN §2.1, minutes lines
 * 1370-1380); each relaxes toward what government services and aid provide there, safety
 * toward the region's security. needs_met is their weighted mean. Aid reaches people in
 * proportion to access, which insecurity lowers and escorts restore; a host government
 * that barely consents delays the approvals of a mission's aid (obstruction); armed bands
 * attack and loot convoys where escorts are thin. Every change of needs met is logged
 * with its causes. Must never touch agents. */
#include <string.h>

#include "model.h"

/* The hostility faction f meets in region r: the largest effective enmity (its own or
 * through its associates) of the armed groups with bands there. */
static double hostility(const pk_world *w, int32_t f, int32_t r, uint8_t band_in[][PK_MAX_REGIONS]) {
    double e = 0;
    for (int32_t a = 0; a < w->n_factions; a++) {
        if (!band_in[a][r]) continue;
        double v = pk__effective_enmity(w, a, f);
        if (v > e) e = v;
    }
    return e;
}

void pk_phase_humanitarian(pk_world *w) {
    const int32_t R = w->n_regions, F = w->n_factions;
    const uint64_t key = pk__key(w, "humanitarian.convoy");
    double escort[PK_MAX_REGIONS] = {0};
    int32_t aid_faction[PK_MAX_REGIONS];
    for (int32_t r = 0; r < R; r++) aid_faction[r] = -1;
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s)) continue;
        int32_t r = pk__cell_region(w, w->u_cell[s]);
        if (w->u_task[s] == PK_TASK_ESCORT || w->u_task[s] == PK_TASK_PROTECT)
            escort[r] += (double)w->u_strength[s] * w->u_readiness[s];
    }
    const double reach = w->params[PK_PARAM_AID_REACH]; /* persons one aid worker serves a day */
    /* the armed groups with bands in each region, and the humanitarian agencies at work */
    uint8_t band_in[PK_MAX_FACTIONS][PK_MAX_REGIONS];
    uint8_t agency[PK_MAX_FACTIONS] = {0};
    memset(band_in, 0, sizeof band_in);
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s)) continue;
        pk_faction_kind k = pk_unit_faction_kind(w, s);
        if (k == PK_FACTION_ARMED_GROUP) band_in[w->u_faction[s]][pk__cell_region(w, w->u_cell[s])] = 1;
        if (k == PK_FACTION_HUMANITARIAN) agency[w->u_faction[s]] = 1;
    }
    for (int32_t r = 0; r < R; r++) {
        /* escorts win back part of the access insecurity takes: a quarter with 200
         * escorting persons, at most half (assumption) */
        double cover = escort[r] / (escort[r] + 200.0);
        double access = 1.0 - w->insecurity[r] * (1.0 - 0.5 * cover);
        /* the armed groups' view of the agencies' neutrality: an agency seen with a force
         * that fights them loses up to 80% of its access (DESIGN §3 phase 8) */
        double e = 0;
        int n_agency = 0;
        for (int32_t h = 0; h < F; h++) {
            if (!agency[h]) continue;
            n_agency++;
            e += hostility(w, h, r, band_in);
        }
        if (n_agency) access *= 1.0 - 0.8 * e / n_agency;
        w->access[r] = pk__clamp01((float)access);
    }
    /* deliveries unit by unit: convoys may be attacked; approvals may be delayed */
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s) || w->u_task[s] != PK_TASK_AID) continue;
        int32_t r = pk__cell_region(w, w->u_cell[s]), f = w->u_faction[s];
        double eff = (double)w->u_strength[s] * w->u_readiness[s];
        /* obstruction: delayed approvals cut a foreign mission's or agency's deliveries to
         * (0.5 + 0.5 consent); none once consent is withdrawn (assumption) */
        double approved = w->withdrawn[f] ? 0.0 : 0.5 + 0.5 * w->consent[f];
        if (w->u_type[s] == PK_UNIT_MEDICAL) continue; /* medical units treat (works, below) */
        double hostile = hostility(w, f, r, band_in);
        double reached = eff * reach * w->access[r] * approved;
        /* a deliverer that is not an agency (a mission's own aid) meets its own hostility */
        if (pk_unit_faction_kind(w, s) != PK_FACTION_HUMANITARIAN) reached *= 1.0 - 0.8 * hostile;
        /* convoy attack: twice the ambush rate, scaled by armed strength against escort
         * and the aid unit itself, and up to fivefold by the armed groups' hostility to
         * the deliverer; the day's aid is looted (assumption) */
        double armed = w->armed[r];
        double p = 2.0 * w->params[PK_PARAM_AMBUSH_RATE] * armed / (armed + escort[r] + eff + 1.0) * (1.0 + 4.0 * hostile);
        if (reached > 0 && armed > 0 && pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)s, w->u_gen[s]) < p) {
            int32_t band = pk__strongest_band(w, r);
            int32_t bf = band >= 0 ? w->u_faction[band] : -1;
            /* the loot is worth a dollar per person the convoy would have served (assumption) */
            if (bf >= 0) w->funds[bf] += reached;
            w->today.violent_incidents += 1;
            w->today.attacks_on_humanitarians += 1;
            pk__event(w, PK_EV_CONVOY_ATTACK, r, w->u_cell[s], bf, f, -1, (int32_t)reached, pk__unit_id(w, s), NULL);
            continue;
        }
        w->aid_fr[(size_t)f * R + r] += reached;
        if (aid_faction[r] < 0) aid_faction[r] = f;
    }
    /* works: engineers repairing water points, roads and shelters, medical units
     * treating; each adds up to 0.5 to its needs' target, half of it with 200 effective
     * persons (assumption) */
    double works_water[PK_MAX_REGIONS] = {0}, works_health[PK_MAX_REGIONS] = {0};
    int32_t works_f[PK_MAX_REGIONS];
    for (int32_t r = 0; r < R; r++) works_f[r] = -1;
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s)) continue;
        int32_t r = pk__cell_region(w, w->u_cell[s]);
        double eff = (double)w->u_strength[s] * w->u_readiness[s];
        if (w->u_task[s] == PK_TASK_REPAIR) works_water[r] += eff;
        else if (w->u_task[s] == PK_TASK_AID && w->u_type[s] == PK_UNIT_MEDICAL) works_health[r] += eff;
        else continue;
        if (works_f[r] < 0) works_f[r] = w->u_faction[s];
    }
    int32_t gov = pk__gov_faction(w);
    for (int32_t r = 0; r < R; r++) {
        double pop = w->population[r], total = 0;
        for (int32_t f = 0; f < F; f++) total += w->aid_fr[(size_t)f * R + r];
        double reached = total > pop ? pop : total;
        double share = pop > 0 ? reached / pop : 0.0;
        double srv = w->services[r];
        float *n = &w->needs[r * PK_NEED_COUNT];
        float before = w->needs_met[r];
        /* needs move a tenth of the way to their target each day (assumption): material
         * needs toward services + aid, education toward services + half the aid (aid
         * agencies run few schools), safety toward 1 - insecurity */
        double c_aid = 0, c_safety = 0, c_works = 0;
        for (int k = 0; k < PK_NEED_COUNT; k++) {
            double nk = n[k], wk = pk_need_weight[k];
            if (k == PK_NEED_SAFETY) {
                double d = 0.1 * ((1.0 - w->insecurity[r]) - nk);
                c_safety += wk * d;
                n[k] = pk__clamp01((float)(nk + d));
                continue;
            }
            double a = k == PK_NEED_EDUCATION ? 0.5 * share : share;
            double target = srv + a > 1 ? 1 : srv + a;
            double wk_add = 0;
            if (k == PK_NEED_WATER || k == PK_NEED_SHELTER) wk_add = 0.5 * works_water[r] / (works_water[r] + 200.0);
            else if (k == PK_NEED_HEALTH) wk_add = 0.5 * works_health[r] / (works_health[r] + 200.0);
            double target2 = target + wk_add > 1 ? 1 : target + wk_add;
            double ds = 0.1 * (srv - nk), da = 0.1 * (target - srv), dw = 0.1 * (target2 - target);
            c_aid += wk * da;
            c_works += wk * dw;
            n[k] = pk__clamp01((float)(nk + ds + da + dw));
        }
        pk__needs_mean(w, r);
        /* causes of the change of needs_met; aid split among the deliverers by persons
         * reached; the rounding of floats is left in the services term */
        double change = (double)w->needs_met[r] - before;
        pk__cause(w, PK_CI_NEEDS_MET, PK_CAUSE_INSECURITY, r, -1, -1, c_safety, -1);
        for (int32_t f = 0; f < F && total > 0; f++) {
            double part = w->aid_fr[(size_t)f * R + r] / total;
            if (part > 0) pk__cause(w, PK_CI_NEEDS_MET, PK_CAUSE_AID, r, -1, f, c_aid * part, -1);
        }
        pk__cause(w, PK_CI_NEEDS_MET, PK_CAUSE_WORKS, r, -1, works_f[r], c_works, -1);
        pk__cause(w, PK_CI_NEEDS_MET, PK_CAUSE_SERVICES, r, -1, gov, change - c_safety - c_aid - c_works, -1);
        /* a weekly report of the aid that got through: persons reached */
        if (total > 0 && w->day % 7 == 0)
            pk__event(w, PK_EV_AID, r, w->region_centre[r], aid_faction[r], -1, -1, (int32_t)reached, (pk_unit_id){0, 0}, NULL);
    }
}
