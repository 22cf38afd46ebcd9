/* politics.c — phase 10, political process and consent. Political progress advances
 * when violence is low and armed groups are willing to negotiate, and falls back when
 * violence is high. Armed groups' willingness to negotiate grows with the losses they
 * suffer and with progress. The host government's consent to each foreign mission erodes
 * when that mission harms civilians or reports the government's own abuses (MATSUMURA's
 * "backlash" against impartial judgement, minutes lines 1330-1345), slowly recovers, and
 * below consent_withdrawal it is withdrawn for good ("kicked out from Mali", minutes line
 * 1419): the mission's units stop operating (mission.c). Must never touch agents. */
#include "model.h"

void pk_phase_politics(pk_world *w) {
    const int32_t R = w->n_regions, G = w->n_groups, F = w->n_factions;
    double pop = 0, insec = 0;
    for (int32_t r = 0; r < R; r++) {
        pop += w->population[r];
        insec += w->population[r] * w->insecurity[r];
    }
    double mean_insec = pop > 0 ? insec / pop : 0;

    /* willingness to negotiate: losses push it up (a tenth of the strength lost in a day
     * gives the full push), progress pulls it toward itself (assumption) */
    double will_sum = 0, will_w = 0;
    for (int32_t f = 0; f < F; f++) {
        if (w->def.factions[f].kind != PK_FACTION_ARMED_GROUP) continue;
        double strength = 0;
        for (int32_t s = 0; s < w->u_slots; s++)
            if (pk__unit_on(w, s) && w->u_faction[s] == f) strength += w->u_strength[s];
        double push = strength + w->losses_f[f] > 0 ? 10.0 * w->losses_f[f] / (strength + w->losses_f[f]) : 0;
        if (push > 1) push = 1;
        double v = w->willingness[f];
        v += 0.1 * push * (1.0 - v) + 0.01 * (w->political_progress - v);
        w->willingness[f] = pk__clamp01((float)v);
        will_sum += w->willingness[f] * strength;
        will_w += strength;
    }
    /* gains scale with (0.5 + mean willingness weighted by strength): 1 at the start
     * value of 0.5 (assumption) */
    double will = will_w > 0 ? will_sum / will_w : 0.5;
    const double rate = w->params[PK_PARAM_PROGRESS_RATE];
    /* the missions' political weight: each operating force with a political mandate
     * adds its influence, scaled by the Security Council's unity (a split P5 weakens the
     * mission's leverage, minutes line 460) and doubled while it also secures elections;
     * its civil-affairs officers at work add more (assumption, docs/MODEL.md phase 10) */
    double weight = 0;
    const double unity = w->params[PK_PARAM_COUNCIL_UNITY];
    for (int32_t f = 0; f < F; f++) {
        const pk_faction_def *fd = &w->def.factions[f];
        if (!pk_faction_is_mission(fd->kind) || !pk__faction_on(w, f) || !pk__mandated(w, f, PK_MANDATE_POLITICAL)) continue;
        double civ = 0;
        for (int32_t s = 0; s < w->u_slots; s++)
            if (pk__unit_on(w, s) && w->u_faction[s] == f && w->u_type[s] == PK_UNIT_CIVIL_AFFAIRS && w->u_task[s] == PK_TASK_ENGAGE)
                civ += w->u_strength[s] * w->u_readiness[s];
        double wf = fd->influence * (0.5 + unity) * (0.5 + 0.5 * civ / (civ + 50.0));
        if (pk__mandated(w, f, PK_MANDATE_ELECTIONS)) wf *= 1.5;
        weight += wf;
        /* a regional partner's influence also brings the armed groups to the table */
        for (int32_t a = 0; a < F; a++)
            if (w->def.factions[a].kind == PK_FACTION_ARMED_GROUP)
                w->willingness[a] = pk__clamp01(w->willingness[a] + (float)(0.002 * fd->influence * (1.0 - w->willingness[a])));
    }
    /* progress gains when mean insecurity is below 1/3 and loses above it (assumption);
     * without outside help the parties move at a quarter of the rate; a mission's
     * political weight adds to that factor */
    double step = rate * (1.0 - 3.0 * mean_insec);
    if (step > 0) step *= (0.5 + will) * (0.25 + weight);
    double p = w->political_progress + step;
    w->political_progress = p < 0 ? 0 : (p > 1 ? 1 : p);

    /* the state's capacity to deliver services: missions' civilian components build it
     * (civil affairs engaging, police under a rule-of-law mandate, each region up to
     * capacity_building a day with 100 effective persons at work); violence erodes it
     * (service_erosion x insecurity). What is built stays after the mission leaves
     * unless violence tears it down: the test of time (minutes line 658). */
    double build[PK_MAX_REGIONS] = {0};
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s) || !pk_faction_is_mission(pk_unit_faction_kind(w, s))) continue;
        pk_unit_type t = (pk_unit_type)w->u_type[s];
        int32_t f = w->u_faction[s];
        double eff = (double)w->u_strength[s] * w->u_readiness[s];
        if ((t == PK_UNIT_CIVIL_AFFAIRS && w->u_task[s] == PK_TASK_ENGAGE) ||
            (t == PK_UNIT_FPU && pk__mandated(w, f, PK_MANDATE_RULE_OF_LAW)))
            build[pk__cell_region(w, w->u_cell[s])] += t == PK_UNIT_FPU ? 0.3 * eff : eff;
    }
    for (int32_t r = 0; r < R; r++) {
        double sv = w->services[r];
        double b = build[r] > 0 ? w->params[PK_PARAM_CAPACITY_BUILDING] * 2.0 * build[r] / (build[r] + 100.0) : 0;
        sv += b * (1.0 - sv) - w->params[PK_PARAM_SERVICE_EROSION] * w->insecurity[r] * sv;
        w->services[r] = pk__clamp01((float)sv);
    }

    const double sens = w->params[PK_PARAM_CONSENT_SENSITIVITY];
    const int32_t gov = pk__gov_faction(w);
    /* abuses by the government per region today, and which missions watch there */
    double gov_kills[PK_MAX_REGIONS] = {0};
    for (int32_t r = 0; gov >= 0 && r < R; r++)
        for (int32_t g = 0; g < G; g++) gov_kills[r] += w->kills[((size_t)gov * R + r) * G + g];
    uint8_t watches[PK_MAX_FACTIONS * PK_MAX_REGIONS] = {0};
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s)) continue;
        pk_unit_type t = (pk_unit_type)w->u_type[s];
        if (t == PK_UNIT_HUMAN_RIGHTS || t == PK_UNIT_OBSERVERS || w->u_task[s] == PK_TASK_OBSERVE)
            watches[(size_t)w->u_faction[s] * R + pk__cell_region(w, w->u_cell[s])] = 1;
    }
    for (int32_t f = 0; f < F; f++) {
        if (!pk_faction_is_mission(w->def.factions[f].kind) || w->withdrawn[f]) continue;
        double harm = 0, reported = 0;
        for (int32_t r = 0; r < R; r++) {
            for (int32_t g = 0; g < G; g++) harm += w->kills[((size_t)f * R + r) * G + g];
            if (watches[(size_t)f * R + r]) reported += gov_kills[r];
        }
        /* a reported abuse costs half as much consent as harm done by the mission itself */
        double c = w->consent[f] - sens * harm / 10.0 - sens * reported / 20.0 + sens * 0.1 * (1.0 - w->consent[f]);
        w->consent[f] = pk__clamp01((float)c);
        if (w->consent[f] < w->params[PK_PARAM_CONSENT_WITHDRAWAL]) {
            w->withdrawn[f] = 1;
            pk__event(w, PK_EV_CONSENT_WITHDRAWN, -1, -1, gov, f, -1, 0, (pk_unit_id){0, 0}, NULL);
        }
    }
}
