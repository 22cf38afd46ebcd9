/* information.c — phase 9, information and trust, then the legitimacy each group
 * perceives. Trust of each civilian group in each region toward each faction moves with
 * what the faction does there: presence that protects, aid, engagement raise it; killing
 * the group's members lowers it; violence a present security force fails to stop lowers
 * it a little; an armed group's misinformation campaign erodes trust in its target where
 * the group's bands are, unless the target engages the community there. Trust falls
 * faster than it rises (DESIGN §3): gains scale with (1 - trust) and trust_gain, losses
 * with trust and the larger trust_loss. Every change is logged with its causes (the
 * cause log, "why did it happen?"). Must never touch agents or units. */
#include <string.h>

#include "model.h"

int32_t pk__gov_faction(const pk_world *w) {
    for (int32_t f = 0; f < w->n_factions; f++)
        if (w->def.factions[f].kind == PK_FACTION_HOST_GOV) return f;
    return -1;
}

/* Epstein's L for group g in region r: the government's legitimacy, moved by its services
 * there, the group's trust in it and the group's political inclusion (assumption). */
static double legit_raw(const pk_world *w, int32_t g, int32_t r, int32_t gov) {
    double L = w->params[PK_PARAM_LEGITIMACY] + 0.2 * (w->services[r] - 0.5) + 0.2 * (w->def.groups[g].inclusion - 0.5);
    if (gov >= 0) L += 0.2 * (w->trust[pk__trust_index(w, g, r, gov)] - 0.5);
    return L;
}

double pk__legitimacy_target(const pk_world *w, int32_t g, int32_t r) {
    double L = legit_raw(w, g, r, pk__gov_faction(w));
    return L < 0 ? 0 : (L > 1 ? 1 : L);
}

/* what a faction's units do in a region, as bits */
enum { DOES_PRESENCE = 1, DOES_AID = 2, DOES_ENGAGE = 4 };

void pk_phase_information(pk_world *w) {
    const int32_t R = w->n_regions, G = w->n_groups, F = w->n_factions;
    const double gain = w->params[PK_PARAM_TRUST_GAIN], loss = w->params[PK_PARAM_TRUST_LOSS];
    const int32_t gov = pk__gov_faction(w);
    uint8_t does[PK_MAX_FACTIONS * PK_MAX_REGIONS];
    uint8_t bands[PK_MAX_FACTIONS * PK_MAX_REGIONS];
    memset(does, 0, sizeof does);
    memset(bands, 0, sizeof bands);
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s)) continue;
        size_t i = (size_t)w->u_faction[s] * R + pk__cell_region(w, w->u_cell[s]);
        pk_task t = (pk_task)w->u_task[s];
        if (t == PK_TASK_PATROL || t == PK_TASK_OFFENSIVE || t == PK_TASK_PROTECT || t == PK_TASK_ESCORT ||
            t == PK_TASK_REPAIR || t == PK_TASK_OBSERVE)
            does[i] |= DOES_PRESENCE;
        else if (t == PK_TASK_AID) does[i] |= DOES_AID;
        else if (t == PK_TASK_ENGAGE) does[i] |= DOES_ENGAGE;
        if (pk_unit_faction_kind(w, s) == PK_FACTION_ARMED_GROUP) bands[i] = 1;
    }
    /* trust-in-government changes by cause for each (g, r): they move legitimacy too */
    double gov_part[PK_CAUSE_COUNT];
    int32_t gov_event[PK_CAUSE_COUNT];
    double cf[PK_MAX_FACTIONS][PK_CAUSE_COUNT];
    int32_t evf[PK_MAX_FACTIONS][PK_CAUSE_COUNT];
    const double dL0 = w->params[PK_PARAM_LEGITIMACY] - w->legit_param;
    double restraint[PK_MAX_FACTIONS];
    for (int32_t f = 0; f < F; f++) restraint[f] = pk__restraint(w, f);
    for (int32_t g = 0; g < G; g++)
        for (int32_t r = 0; r < R; r++) {
            double persons = (double)w->alive_rg[r * G + g] * w->def.scale + 1.0;
            memset(gov_part, 0, sizeof gov_part);
            for (int i = 0; i < PK_CAUSE_COUNT; i++) gov_event[i] = -1;
            /* every faction's causes first: association passes a share of a partner's
             * harmful acts on, so all must be known before any trust moves */
            for (int32_t f = 0; f < F; f++) {
                double t = w->trust[pk__trust_index(w, g, r, f)];
                pk_faction_kind k = w->def.factions[f].kind;
                uint8_t d = does[(size_t)f * R + r];
                double *c = cf[f];
                int32_t *ev = evf[f];
                memset(c, 0, sizeof cf[f]);
                for (int i = 0; i < PK_CAUSE_COUNT; i++) ev[i] = -1;
                /* presence: engagement counts double (it is what it is for); aid and other
                 * work once (assumption) */
                if (d & DOES_ENGAGE) c[PK_CAUSE_ENGAGEMENT] += 2.0 * gain * (1.0 - t);
                else if (d & DOES_AID) c[PK_CAUSE_AID] += gain * (1.0 - t);
                else if (d & DOES_PRESENCE) c[PK_CAUSE_PRESENCE] += gain * (1.0 - t);
                double killed = w->kills[((size_t)f * R + r) * G + g];
                /* losing 1% of the group here to this faction's hands costs trust_loss of the
                 * trust (5% at the default); losing 20% costs all of it */
                if (killed > 0) {
                    c[PK_CAUSE_VIOLENCE] -= loss * 100.0 * killed / persons * t;
                    ev[PK_CAUSE_VIOLENCE] = w->kill_event[((size_t)f * R + r) * G + g];
                }
                if (pk__is_security(k) && (d & DOES_PRESENCE)) c[PK_CAUSE_INSECURITY] -= loss * 0.2 * w->insecurity[r] * t;
                if (k == PK_FACTION_ARMED_GROUP && w->def.groups[g].sympathises_with == f)
                    c[PK_CAUSE_SYMPATHY] += gain * 0.5 * (1.0 - t);
                /* high-handed conduct where the force works: at full high-handedness a
                 * fifth of trust_loss a day (minutes lines 622-640) */
                if (d && k != PK_FACTION_ARMED_GROUP)
                    c[PK_CAUSE_HIGH_HANDEDNESS] -= loss * 0.2 * w->def.factions[f].high_handedness * t * restraint[f];
                /* partners at cross purposes in plain view */
                if (w->confused[(size_t)f * R + r]) c[PK_CAUSE_CONFUSION] -= loss * 0.2 * t;
                /* impartiality: enforcing against the armed group this group supports costs
                 * trust among its supporters everywhere (the news travels): at
                 * impartiality_cost 1, a tenth of trust_loss for every 10 fighters taken,
                 * at most trust_loss a day (MATSUMURA, minutes lines 1330-1345) */
                int32_t sym = w->def.groups[g].sympathises_with;
                if (sym >= 0 && k != PK_FACTION_ARMED_GROUP && w->enforce[(size_t)f * F + sym] > 0) {
                    double hit = w->enforce[(size_t)f * F + sym] / 100.0;
                    if (hit > 1) hit = 1;
                    c[PK_CAUSE_IMPARTIALITY] -= w->params[PK_PARAM_IMPARTIALITY_COST] * loss * hit * t;
                }
                /* misinformation against f: by an armed group where it has bands (or in the
                 * campaign's region); engagement by f there counters three quarters of it
                 * (assumption; UN DPO 2025: 68% of peacekeepers report its effect) */
                for (int32_t m = 0; m < F; m++) {
                    size_t i = (size_t)m * F + f;
                    if (w->misinfo[i] <= 0) continue;
                    int32_t mr = w->misinfo_region[i];
                    if (mr >= 0 ? mr != r : !bands[(size_t)m * R + r]) continue;
                    double counter = (d & DOES_ENGAGE) ? 0.75 : 0.0;
                    c[PK_CAUSE_MISINFORMATION] -= w->misinfo[i] * loss * 0.5 * t * (1.0 - counter);
                    ev[PK_CAUSE_MISINFORMATION] = w->misinfo_event[i];
                }
            }
            /* association: civilians credit f with a share of what its partners' harmful
             * acts cost them (violence, high-handedness, impartiality), through the links
             * (DESIGN §3; blue/orange perception leakage of a split mission) */
            for (int32_t f = 0; f < F; f++) {
                double t = w->trust[pk__trust_index(w, g, r, f)], spill = 0;
                for (int32_t h = 0; h < F; h++) {
                    double a = w->assoc[(size_t)f * F + h];
                    if (a <= 0) continue;
                    double tt = w->trust[pk__trust_index(w, g, r, h)];
                    double harm = cf[h][PK_CAUSE_VIOLENCE] + cf[h][PK_CAUSE_HIGH_HANDEDNESS] + cf[h][PK_CAUSE_IMPARTIALITY];
                    /* as a share of h's trust, applied to f's */
                    if (harm < 0 && tt > 0) spill += a * harm / tt * t;
                }
                cf[f][PK_CAUSE_ASSOCIATION] = spill;
            }
            for (int32_t f = 0; f < F; f++) {
                float *tp = &w->trust[pk__trust_index(w, g, r, f)];
                double t = *tp;
                const double *c = cf[f];
                double sum = 0;
                for (int i = 0; i < PK_CAUSE_COUNT; i++) sum += c[i];
                float nt = pk__clamp01((float)(t + sum));
                double actual = (double)nt - t, scale = sum != 0 ? actual / sum : 0;
                *tp = nt;
                for (int i = 0; i < PK_CAUSE_COUNT; i++) {
                    if (c[i] == 0) continue;
                    pk__cause(w, PK_CI_TRUST, (pk_cause_code)i, r, g, f, c[i] * scale, evf[f][i]);
                    if (f == gov) {
                        gov_part[i] = c[i] * scale;
                        gov_event[i] = evf[f][i];
                    }
                }
            }
            /* legitimacy as this group perceives it here, with its causes: the legitimacy
             * parameter, services, and the change of trust in the government by cause */
            float *lp = &w->legit[g * R + r];
            float before = *lp;
            *lp = (float)pk__legitimacy_target(w, g, r);
            double actual = (double)*lp - before;
            double lc[PK_CAUSE_COUNT] = {0};
            lc[PK_CAUSE_POLICY] = dL0;
            lc[PK_CAUSE_SERVICES] = 0.2 * ((double)w->services[r] - w->services_prev[r]);
            if (gov >= 0)
                for (int i = 0; i < PK_CAUSE_COUNT; i++)
                    if (i != PK_CAUSE_POLICY && i != PK_CAUSE_SERVICES) lc[i] += 0.2 * gov_part[i];
            double sum = 0;
            for (int i = 0; i < PK_CAUSE_COUNT; i++) sum += lc[i];
            if (sum == 0) lc[PK_CAUSE_POLICY] = sum = actual; /* a clamp released: no better cause */
            double scale = sum != 0 ? actual / sum : 0;
            for (int i = 0; i < PK_CAUSE_COUNT; i++)
                if (lc[i] != 0)
                    pk__cause(w, PK_CI_LEGITIMACY, (pk_cause_code)i, r, g, gov,
                              lc[i] * scale, (gov >= 0 && i != PK_CAUSE_POLICY && i != PK_CAUSE_SERVICES) ? gov_event[i] : -1);
        }
    w->legit_param = w->params[PK_PARAM_LEGITIMACY];
    memcpy(w->services_prev, w->services, (size_t)R * sizeof *w->services);
}
