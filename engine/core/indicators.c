/* indicators.c — phase 11: the global indicators of DESIGN §5 and the per-faction ones,
 * computed from the state at the end of the day; counts are the day's numbers and are
 * summed into totals. Read-only on the simulation state. */
#include "world_internal.h"

void pk_phase_indicators(pk_world *w) {
    if (w->ep) { /* Epstein's models: active, quiet, jailed (engine/model/epstein.c) */
        pk__epstein_indicators(w);
        return;
    }
    const int32_t R = w->n_regions, G = w->n_groups, F = w->n_factions, scale = w->def.scale;
    pk__aggregate_regions(w);
    double state_n[PK_AGENT_STATE_COUNT] = {0};
    for (int32_t a = 0; a < w->n_agents; a++) state_n[w->a_state[a]] += 1;
    double pop = 0, needs = 0, access = 0, armed = 0, cost = 0, gap = 0;
    for (int32_t r = 0; r < R; r++) {
        pop += w->population[r];
        needs += w->population[r] * w->needs_met[r];
        access += w->population[r] * w->access[r];
        armed += w->armed[r];
    }
    double control = 0;
    for (int32_t r = 0; r < R; r++) control += w->population[r] * w->control[r];
    double consent = 0, n_consent = 0, without = 0;
    for (int32_t f = 0; f < F; f++) {
        cost += w->cost_rate[f];
        gap += w->gap_rate[f];
        pk_faction_kind k = w->def.factions[f].kind;
        if (k == PK_FACTION_UN || k == PK_FACTION_REGIONAL || k == PK_FACTION_HRPM) {
            consent += w->consent[f];
            n_consent += 1;
            without += w->withdrawn[f];
        }
    }
    double v[] = {
        w->today.civilian_deaths,
        w->today.peacekeeper_deaths,
        w->today.violent_incidents,
        (state_n[PK_AGENT_DISPLACED] + state_n[PK_AGENT_CAMP]) * scale,
        pop > 0 ? needs / pop : 0,
        pop > 0 ? access / pop : 0,
        armed,
        w->political_progress,
        n_consent > 0 ? consent / n_consent : 1.0,
        cost,
        gap,
        w->today.civilian_deaths_armed,
        w->today.civilian_deaths_gov,
        w->today.civilian_deaths_communal,
        w->today.battle_deaths,
        w->today.arrests,
        w->today.recruits,
        state_n[PK_AGENT_ACTIVE] * scale,
        state_n[PK_AGENT_JAILED] * scale,
        state_n[PK_AGENT_CAMP] * scale,
        state_n[PK_AGENT_REFUGEE] * scale,
        w->today.excess_deaths,
        pop > 0 ? control / pop : 0,
        without,
        w->today.civilian_deaths_missions,
        w->today.confusion_events,
        w->today.attacks_on_humanitarians,
        w->today.demobilised,
    };
    int32_t n = (int32_t)(sizeof v / sizeof v[0]);
    for (int32_t i = 0; i < n && i < w->n_ind; i++) w->ind_value[i] = v[i];
    /* per faction: trust (population-weighted over groups and regions), freedom of
     * movement, mean readiness */
    for (int32_t f = 0; f < F; f++) {
        double tw = 0, t = 0;
        for (int32_t g = 0; g < G; g++)
            for (int32_t r = 0; r < R; r++) {
                double persons = (double)w->alive_rg[r * G + g];
                tw += persons;
                t += persons * w->trust[pk__trust_index(w, g, r, f)];
            }
        w->ind_value[n + f] = tw > 0 ? t / tw : 0;
        w->ind_value[n + F + f] = w->fom[f];
        w->ind_value[n + 2 * F + f] = w->readiness_mean[f];
        /* fighters of armed groups the faction's operations took out of action today */
        double taken = 0;
        for (int32_t a = 0; a < F; a++) taken += w->enforce[(size_t)f * F + a];
        w->ind_value[n + 3 * F + f] = taken;
    }
    for (int32_t i = 0; i < w->n_ind; i++)
        if (w->ind_kind[i] == PK_IND_COUNT) w->ind_total[i] += w->ind_value[i];
}
