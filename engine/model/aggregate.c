/* aggregate.c — per-region figures derived from units and agents (security presence,
 * armed strength, population, agents by region). Derived data only: it never changes
 * the simulation state, so phases may call it whenever they need fresh figures. */
#include <string.h>

#include "model.h"

void pk__aggregate_regions(pk_world *w) {
    int32_t R = w->n_regions, G = w->n_groups;
    memset(w->security, 0, (size_t)R * sizeof *w->security);
    memset(w->armed, 0, (size_t)R * sizeof *w->armed);
    memset(w->guard, 0, (size_t)R * sizeof *w->guard);
    const int16_t *region = w->map->region;
    /* the agents' part only when agents moved or changed state since the last time
     * (phase 7 marks it); killings keep the counts up to date themselves */
    if (w->agents_dirty) {
        w->agents_dirty = 0;
        memset(w->population, 0, (size_t)R * sizeof *w->population);
        memset(w->alive_rg, 0, (size_t)R * G * sizeof *w->alive_rg);
        memset(w->active_rg, 0, (size_t)R * G * sizeof *w->active_rg);
        memset(w->reg_start, 0, (size_t)(R + 1) * sizeof *w->reg_start);
        /* counting sort of agents by region of their cell */
        for (int32_t a = 0; a < w->n_agents; a++) {
            int32_t r = region[w->a_cell[a]];
            if (r < 0) continue;
            w->reg_start[r + 1]++;
            uint8_t s = w->a_state[a];
            if (pk_agent_is_civilian(s)) {
                w->alive_rg[r * G + w->a_group[a]]++;
                if (s == PK_AGENT_ACTIVE) w->active_rg[r * G + w->a_group[a]]++;
            }
        }
        for (int32_t r = 0; r < R; r++) w->reg_start[r + 1] += w->reg_start[r];
        for (int32_t r = 0; r < R; r++) {
            int32_t n = 0;
            for (int32_t g = 0; g < G; g++) n += w->alive_rg[r * G + g];
            w->population[r] = (float)n * (float)w->def.scale;
        }
        /* fill with reg_start as the cursor, then shift it back */
        for (int32_t a = 0; a < w->n_agents; a++) {
            int32_t r = region[w->a_cell[a]];
            if (r < 0) continue;
            w->reg_agents[w->reg_start[r]++] = a;
        }
        for (int32_t r = R; r > 0; r--) w->reg_start[r] = w->reg_start[r - 1];
        w->reg_start[0] = 0;
    }
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s)) continue;
        int32_t r = region[w->u_cell[s]];
        if (r < 0) continue;
        pk_faction_kind k = pk_unit_faction_kind(w, s);
        float eff = (float)w->u_strength[s] * w->u_readiness[s];
        if (k == PK_FACTION_ARMED_GROUP) w->armed[r] += eff;
        else if (pk__is_security(k)) {
            float v = eff * pk_security_weight[w->u_type[s]] * pk__presence_factor(w, s);
            w->security[r] += v;
            /* host forces in a conflict protect civilians poorly (they are often part of
             * the threat): a third of their weight as protection (assumption) */
            w->guard[r] += k == PK_FACTION_HOST_GOV ? v / 3.f : v;
        }
    }
}

int32_t pk__kill_agents(pk_world *w, int32_t r, int32_t g, double p, int32_t f, uint64_t key) {
    if (p <= 0) return 0;
    int32_t killed = 0;
    for (int32_t i = w->reg_start[r]; i < w->reg_start[r + 1]; i++) {
        int32_t a = w->reg_agents[i];
        if (w->a_group[a] != g || !pk_agent_is_civilian(w->a_state[a])) continue;
        if (pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)a, 0) < p) {
            if (w->a_state[a] == PK_AGENT_ACTIVE) w->active_rg[r * w->n_groups + g]--;
            w->a_state[a] = PK_AGENT_DEAD;
            w->alive_rg[r * w->n_groups + g]--;
            killed++;
        }
    }
    int32_t persons = killed * w->def.scale;
    if (f >= 0) w->kills[((size_t)f * w->n_regions + r) * w->n_groups + g] += (float)persons;
    w->incidents[r] += (float)persons;
    w->population[r] -= (float)persons;
    return persons;
}
