/* population.c — phase 7, civilians. Each agent (standing for `scale` persons) follows
 * Epstein's civil-violence rule (Epstein 2002, PNAS 99 suppl 3, Model I): grievance
 * G = H (1 - L); it turns active when G - R P > T, with P the estimated arrest
 * probability. Hardship H comes from the agent's own draw, unmet needs and insecurity;
 * legitimacy L from the government's legitimacy, services and the group's trust in it.
 * Active agents may be arrested (jailed for up to max_jail_days) or recruited by the
 * armed group their group sympathises with; communal violence (after Epstein's Model II)
 * strikes other groups where a group's members are active; civilians flee when
 * insecurity passes a personal threshold and return when it is safe.
 * Every draw is a counter-based function of (day, agent), so results do not depend on
 * iteration order and the loop can later be split across threads. */
#include <math.h>
#include <string.h>

#include "model.h"

/* Per-agent constants drawn once from the agent's index (never stored). */
static inline double agent_hardship(uint64_t key, int32_t a) { return pk_rng_at_uniform(key, (uint64_t)a, 0, 0); }
static inline double agent_flight(uint64_t key, int32_t a) { return pk_rng_at_uniform(key, (uint64_t)a, 1, 0); }

/* Where civilians of region r go when they flee: the nearest camp or protection site in
 * r or a neighbouring region (state CAMP), else the centre of the safest neighbour
 * (state DISPLACED). */
static void refuges(const pk_world *w, int32_t *cell, uint8_t *state) {
    const pk_map *m = w->map;
    for (int32_t r = 0; r < w->n_regions; r++) {
        int32_t c0 = w->region_centre[r], best = -1;
        int64_t best_d = INT64_MAX;
        for (int32_t i = 0; i < m->n_sites; i++) {
            const pk_site *st = &m->sites[i];
            if (st->kind != PK_SITE_CAMP && st->kind != PK_SITE_PROTECTION_SITE) continue;
            int32_t sr = m->region[st->cell];
            if (sr < 0 || (sr != r && !w->adj[(size_t)r * w->n_regions + sr])) continue;
            int64_t dx = st->cell % m->width - c0 % m->width, dy = st->cell / m->width - c0 / m->width;
            if (dx * dx + dy * dy < best_d) {
                best_d = dx * dx + dy * dy;
                best = st->cell;
            }
        }
        if (best >= 0) {
            cell[r] = best;
            state[r] = PK_AGENT_CAMP;
            continue;
        }
        int32_t safest = -1;
        for (int32_t q = 0; q < w->n_regions; q++)
            if (w->adj[(size_t)r * w->n_regions + q] && (safest < 0 || w->insecurity[q] < w->insecurity[safest])) safest = q;
        cell[r] = w->region_centre[safest >= 0 ? safest : r];
        state[r] = PK_AGENT_DISPLACED;
    }
}

/* Disarmament, demobilisation and reintegration: every operating unit on a DDR task
 * demobilises, from each armed band in its region, ddr_rate x the group's willingness to
 * negotiate x the band's strength x e / (e + 100) persons a day, e the unit's effective
 * strength (assumption, docs/MODEL.md "DDR"). A band reduced to nothing dissolves.
 * release[f]: agents of faction f's recruits to send home. */
static void ddr(pk_world *w, int32_t *release) {
    const int32_t F = w->n_factions;
    double persons[PK_MAX_FACTIONS] = {0};
    const uint64_t key = pk__key(w, "civilians.ddr");
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s) || w->u_task[s] != PK_TASK_DDR) continue;
        int32_t r = pk__cell_region(w, w->u_cell[s]);
        double eff = (double)w->u_strength[s] * w->u_readiness[s];
        for (int32_t b = 0; b < w->u_slots; b++) {
            if (!pk__unit_on(w, b) || pk_unit_faction_kind(w, b) != PK_FACTION_ARMED_GROUP) continue;
            if (pk__cell_region(w, w->u_cell[b]) != r) continue;
            int32_t bf = w->u_faction[b];
            double expect = w->params[PK_PARAM_DDR_RATE] * w->willingness[bf] * w->u_strength[b] * eff / (eff + 100.0);
            int32_t n = pk_round_random(expect, pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)s, (uint64_t)b));
            if (n <= 0) continue;
            if (n > w->u_strength[b]) n = w->u_strength[b];
            w->u_strength[b] -= n;
            persons[bf] += n;
            w->today.demobilised += n;
            pk__event(w, PK_EV_DDR, r, w->u_cell[s], w->u_faction[s], bf, -1, n, pk__unit_id(w, s), NULL);
            if (w->u_strength[b] <= 0) {
                pk__event(w, PK_EV_UNIT_REMOVED, r, w->u_cell[b], bf, -1, -1, 0, pk__unit_id(w, b), "the band has disarmed");
                pk__unit_free_slot(w, b);
            }
        }
    }
    const uint64_t key_r = pk__key(w, "civilians.reintegration");
    for (int32_t f = 0; f < F; f++)
        release[f] = persons[f] > 0 ? pk_round_random(persons[f] / w->def.scale,
                                                      pk_rng_at_uniform(key_r, (uint64_t)w->day, (uint64_t)f, 0))
                                    : 0;
}

void pk_phase_civilians(pk_world *w) {
    pk__aggregate_regions(w);
    const int32_t R = w->n_regions, G = w->n_groups, scale = w->def.scale;
    const int16_t *region = w->map->region;
    const double L0 = w->params[PK_PARAM_LEGITIMACY], T = w->params[PK_PARAM_THRESHOLD];
    const double k = w->params[PK_PARAM_ARREST_K], max_jail = w->params[PK_PARAM_MAX_JAIL_DAYS];
    /* a member of the security forces deters as Epstein's one cop does among about
     * `arrest_reach` citizens: real forces are far sparser than Epstein's 4% (assumption) */
    const double reach = w->params[PK_PARAM_ARREST_REACH];
    const double base_h = w->params[PK_PARAM_BASE_HARDSHIP], needs_w = w->params[PK_PARAM_NEEDS_WEIGHT];
    const double insec_w = w->params[PK_PARAM_INSECURITY_WEIGHT];
    const double flight_t = w->params[PK_PARAM_FLIGHT_THRESHOLD], return_t = w->params[PK_PARAM_RETURN_THRESHOLD];
    const double recruit = w->params[PK_PARAM_RECRUIT_RATE];
    const uint64_t key_const = pk__key(w, "civilians.constants"), key_day = pk__key(w, "civilians.day");
    const uint64_t d = (uint64_t)w->day;
    const double border_f = w->params[PK_PARAM_BORDER_FLIGHT], refugee_ret = w->params[PK_PARAM_REFUGEE_RETURN_RATE];
    const float *legit = w->legit;

    /* per region: the border crossing reachable from it (in it or a neighbour), and the
     * daily chance that a displaced person there dies of unmet needs: excess_mortality at
     * a total shortfall of food, water and health (assumption after the Sphere emergency
     * threshold of 1 death per 10 000 a day) */
    int32_t border_cell[PK_MAX_REGIONS];
    double p_excess[PK_MAX_REGIONS];
    int32_t excess[PK_MAX_REGIONS][PK_MAX_GROUPS];
    int32_t exiled[PK_MAX_REGIONS];
    memset(excess, 0, sizeof excess);
    memset(exiled, 0, sizeof exiled);
    for (int32_t r = 0; r < R; r++) {
        border_cell[r] = -1;
        const float *n = &w->needs[r * PK_NEED_COUNT];
        double shortfall = 1.0 - (0.4 * n[PK_NEED_FOOD] + 0.3 * n[PK_NEED_WATER] + 0.3 * n[PK_NEED_HEALTH]);
        p_excess[r] = w->params[PK_PARAM_EXCESS_MORTALITY] * (shortfall > 0 ? shortfall : 0);
    }
    for (int32_t i = 0; i < w->map->n_sites; i++) {
        const pk_site *st = &w->map->sites[i];
        if (st->kind != PK_SITE_BORDER) continue;
        int32_t sr = region[st->cell];
        for (int32_t r = 0; r < R; r++)
            if (border_cell[r] < 0 && sr >= 0 && (sr == r || w->adj[(size_t)r * R + sr])) border_cell[r] = st->cell;
        /* a crossing outside every region serves the regions its cell touches */
        if (sr < 0)
            for (int32_t dy = -1; dy <= 1; dy++)
                for (int32_t dx = -1; dx <= 1; dx++) {
                    int32_t x = st->cell % w->map->width + dx, y = st->cell / w->map->width + dy;
                    if (x < 0 || y < 0 || x >= w->map->width || y >= w->map->height) continue;
                    int32_t q = region[y * w->map->width + x];
                    if (q >= 0 && border_cell[q] < 0) border_cell[q] = st->cell;
                }
    }
    double capacity_f[PK_MAX_FACTIONS];
    for (int32_t f = 0; f < w->n_factions; f++)
        capacity_f[f] = w->def.factions[f].kind == PK_FACTION_ARMED_GROUP ? pk__armed_capacity(w, f) : 1.0;

    /* per region: arrest probability (Epstein: P = 1 - exp(-k C/A), C security persons,
     * A active persons including the agent itself) and arrest capacity */
    double P[PK_MAX_REGIONS], capacity[PK_MAX_REGIONS];
    int32_t refuge_cell[PK_MAX_REGIONS];
    uint8_t refuge_state[PK_MAX_REGIONS];
    int32_t fled[PK_MAX_REGIONS], returned[PK_MAX_REGIONS], arrested[PK_MAX_REGIONS];
    memset(fled, 0, sizeof fled);
    memset(returned, 0, sizeof returned);
    memset(arrested, 0, sizeof arrested);
    int32_t recruited[PK_MAX_REGIONS][PK_MAX_FACTIONS];
    memset(recruited, 0, sizeof recruited);
    for (int32_t r = 0; r < R; r++) {
        double active = (double)w->active_prev[r] * scale + scale;
        P[r] = 1.0 - exp(-k * w->security[r] * reach / active);
        /* arrests a day: one per 100 citizens within reach (assumption; Epstein's cops
         * arrest one active citizen in vision per step) */
        capacity[r] = w->security[r] * reach / 100.0 / (double)scale;
    }
    refuges(w, refuge_cell, refuge_state);
    int32_t active_now[PK_MAX_REGIONS];
    memset(active_now, 0, sizeof active_now);
    int32_t arrests_left[PK_MAX_REGIONS];
    const uint64_t key_cap = pk__key(w, "civilians.arrest_capacity");
    for (int32_t r = 0; r < R; r++)
        arrests_left[r] = pk_round_random(capacity[r], pk_rng_at_uniform(key_cap, d, (uint64_t)r, 0));
    /* recruitment needs a band of the faction in the region to join */
    uint8_t band_here[PK_MAX_FACTIONS][PK_MAX_REGIONS];
    memset(band_here, 0, sizeof band_here);
    for (int32_t s = 0; s < w->u_slots; s++)
        if (pk__unit_on(w, s) && w->def.factions[w->u_faction[s]].kind == PK_FACTION_ARMED_GROUP)
            band_here[w->u_faction[s]][region[w->u_cell[s]]] = 1;

    /* DDR: fighters demobilised today go home (agents who had joined the group become
     * civilians again, lowest index first) */
    int32_t release[PK_MAX_FACTIONS];
    ddr(w, release);
    for (int32_t a = 0; a < w->n_agents; a++) {
        uint8_t s = w->a_state[a];
        if (s == PK_AGENT_RECRUITED) {
            int32_t sym = w->def.groups[w->a_group[a]].sympathises_with;
            if (sym >= 0 && release[sym] > 0) {
                release[sym]--;
                w->a_state[a] = PK_AGENT_HOME;
                w->a_cell[a] = w->a_home[a];
            }
            continue;
        }
        if (s == PK_AGENT_DEAD) continue;
        if (s == PK_AGENT_REFUGEE) {
            /* refugees come back more slowly than the displaced (assumption) */
            int32_t hr = region[w->a_home[a]];
            if (w->insecurity[hr] < return_t && pk_rng_at_uniform(key_day, d, (uint64_t)a, 1) < refugee_ret) {
                w->a_state[a] = PK_AGENT_HOME;
                w->a_cell[a] = w->a_home[a];
                returned[hr]++;
            }
            continue;
        }
        if (s == PK_AGENT_JAILED) {
            if (--w->a_jail[a] == 0) {
                w->a_state[a] = PK_AGENT_HOME;
                w->a_cell[a] = w->a_home[a];
            }
            continue;
        }
        int32_t r = region[w->a_cell[a]], hr = region[w->a_home[a]];
        int32_t g = w->a_group[a];
        if (s == PK_AGENT_CAMP || s == PK_AGENT_DISPLACED) {
            /* excess deaths from unmet needs where the displaced are */
            if (pk_rng_at_uniform(key_day, d, (uint64_t)a, 6) < p_excess[r]) {
                w->a_state[a] = PK_AGENT_DEAD;
                excess[r][g]++;
                continue;
            }
            /* return when home is safe again (about 5% of the willing a day) */
            if (w->insecurity[hr] < return_t && pk_rng_at_uniform(key_day, d, (uint64_t)a, 1) < 0.05) {
                w->a_state[a] = PK_AGENT_HOME;
                w->a_cell[a] = w->a_home[a];
                returned[hr]++;
            }
            continue;
        }
        /* Epstein rule A, with hardship and legitimacy from the world */
        double H = base_h * agent_hardship(key_const, a) + needs_w * (1.0 - w->needs_met[r]) + insec_w * w->insecurity[r];
        if (H > 1) H = 1;
        /* legitimacy as perceived by this group here (phase 9: services, trust, inclusion) */
        double L = legit[g * R + r];
        double grievance = H * (1.0 - L);
        int active = grievance - (double)w->a_risk[a] * P[r] > T;
        if (active) {
            double u = pk_rng_at_uniform(key_day, d, (uint64_t)a, 2);
            int32_t sym = w->def.groups[g].sympathises_with;
            if (arrests_left[r] > 0 && u < P[r]) {
                arrests_left[r]--;
                w->a_state[a] = PK_AGENT_JAILED;
                w->a_jail[a] = (uint16_t)(1 + (int32_t)(pk_rng_at_uniform(key_day, d, (uint64_t)a, 3) * max_jail));
                arrested[r]++;
                continue;
            }
            /* recruiters work where the group's bands are; elsewhere a quarter as well
             * (underground networks; assumption) */
            if (sym >= 0 &&
                pk_rng_at_uniform(key_day, d, (uint64_t)a, 4) < recruit * capacity_f[sym] * (band_here[sym][r] ? 1.0 : 0.25)) {
                w->a_state[a] = PK_AGENT_RECRUITED;
                w->recruit_pool[sym] += (float)scale;
                w->today.recruits += scale;
                recruited[r][sym]++;
                continue;
            }
            w->a_state[a] = PK_AGENT_ACTIVE;
            active_now[r]++;
        } else {
            w->a_state[a] = PK_AGENT_HOME;
            /* flight: insecurity above a personal threshold, half of those a day */
            double thr = flight_t * (0.5 + agent_flight(key_const, a));
            if (w->insecurity[r] > thr && pk_rng_at_uniform(key_day, d, (uint64_t)a, 5) < 0.5) {
                if (border_cell[r] >= 0 && w->insecurity[r] > border_f * thr) {
                    /* far past the threshold, with a crossing near: out of the country */
                    w->a_state[a] = PK_AGENT_REFUGEE;
                    if (region[border_cell[r]] >= 0) w->a_cell[a] = border_cell[r];
                    exiled[r]++;
                } else {
                    w->a_state[a] = refuge_state[r];
                    w->a_cell[a] = refuge_cell[r];
                    fled[r]++;
                }
            }
        }
    }
    w->agents_dirty = 1; /* the loop above moved agents and changed their states */
    pk__aggregate_regions(w);

    /* communal violence (after Epstein Model II): active members of one group strike the
     * other groups in their region, less so where security forces protect */
    const uint64_t key_comm = pk__key(w, "civilians.communal");
    for (int32_t r = 0; r < R; r++) {
        double pop = w->population[r];
        if (pop <= 0) continue;
        double protect = pk_protection(w, r);
        for (int32_t g = 0; g < G; g++) {
            int32_t others_active = 0, by = -1;
            for (int32_t h = 0; h < G; h++)
                if (h != g) {
                    others_active += w->active_rg[r * G + h];
                    /* the perpetrators: the other group with the most active members here */
                    if (w->active_rg[r * G + h] > 0 && (by < 0 || w->active_rg[r * G + h] > w->active_rg[r * G + by])) by = h;
                }
            if (others_active == 0 || w->alive_rg[r * G + g] == 0) continue;
            double share = (double)others_active * scale / pop;
            /* a tenth of the raid lethality per unit of active share (assumption) */
            double p = 0.1 * w->params[PK_PARAM_LETHALITY] * (1.0 - L0) * share * (1.0 - protect);
            int32_t killed = pk__kill_agents(w, r, g, p, -1, pk_mix64(key_comm ^ (uint64_t)(r * G + g)));
            if (killed == 0) continue;
            w->today.violent_incidents += 1;
            w->today.civilian_deaths += killed;
            w->today.civilian_deaths_communal += killed;
            pk__event(w, PK_EV_COMMUNAL, r, w->region_centre[r], -1, -1, g, killed, (pk_unit_id){0, 0}, NULL);
            if (w->n_events > 0 && w->events[w->n_events - 1].type == PK_EV_COMMUNAL) w->events[w->n_events - 1].by_group = by;
        }
    }

    for (int32_t r = 0; r < R; r++) {
        w->active_prev[r] = active_now[r];
        if (fled[r]) {
            w->today.displaced_today += (double)fled[r] * scale;
            pk__event(w, PK_EV_DISPLACEMENT, r, w->region_centre[r], -1, -1, -1, fled[r] * scale, (pk_unit_id){0, 0}, NULL);
        }
        if (exiled[r]) {
            w->today.refugees_today += (double)exiled[r] * scale;
            pk__event(w, PK_EV_REFUGEES, r, w->region_centre[r], -1, -1, -1, exiled[r] * scale, (pk_unit_id){0, 0}, NULL);
        }
        for (int32_t g = 0; g < G; g++)
            if (excess[r][g]) {
                w->today.excess_deaths += (double)excess[r][g] * scale;
                pk__event(w, PK_EV_EXCESS_DEATHS, r, w->region_centre[r], -1, -1, g, excess[r][g] * scale,
                          (pk_unit_id){0, 0}, NULL);
            }
        if (returned[r]) {
            w->today.returned_today += (double)returned[r] * scale;
            pk__event(w, PK_EV_RETURN, r, w->region_centre[r], -1, -1, -1, returned[r] * scale, (pk_unit_id){0, 0}, NULL);
        }
        for (int32_t f = 0; f < w->n_factions; f++)
            if (recruited[r][f])
                pk__event(w, PK_EV_RECRUITMENT, r, w->region_centre[r], f, -1, -1, recruited[r][f] * scale,
                          (pk_unit_id){0, 0}, NULL);
        if (arrested[r]) {
            w->today.arrests += (double)arrested[r] * scale;
            pk__event(w, PK_EV_ARREST, r, w->region_centre[r], -1, -1, -1, arrested[r] * scale, (pk_unit_id){0, 0}, NULL);
        }
        /* violence: a decaying score of persons killed per 1000 inhabitants; insecurity
         * maps it to [0,1) */
        double pop = w->population[r];
        w->violence[r] = (float)(w->violence[r] * w->params[PK_PARAM_VIOLENCE_DECAY] +
                                 w->incidents[r] * 1000.0 / (pop + 1000.0));
        w->insecurity[r] = (float)(1.0 - exp(-w->violence[r]));
    }
}
