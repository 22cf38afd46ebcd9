/* security.c — phase 6, clashes and attacks. Armed bands raid civilians of groups that do
 * not sympathise with them (victims chosen by group identity), fewer where security
 * forces are present; security forces on patrol or offensive clash with bands in their
 * region (stochastic attrition, Lanchester-like); government forces harm civilians where
 * they face active rebels (the "security forces may also abuse" of DESIGN §2.1). */
#include <math.h>

#include "model.h"

/* Reprisals: a group that has just lost fighters to an offensive strikes back at
 * civilians; each 20 fighters of pending reprisal add one more raid's worth of chance, up
 * to three times the usual rate (assumption after the reprisal massacres that followed
 * offensives without civilian protection planning, e.g. against the LRA in 2008). */
static double reprisal_urge(const pk_world *w, int32_t f) {
    double u = w->reprisal[f] / 20.0;
    return u > 2.0 ? 2.0 : u;
}

static void raid(pk_world *w, int32_t s, uint64_t key) {
    int32_t r = pk__cell_region(w, w->u_cell[s]), f = w->u_faction[s], G = w->n_groups;
    /* a group engaged in a peace process that is advancing holds back: at full progress
     * and full willingness it attacks 70% less (assumption, docs/MODEL.md phase 10) */
    /* deterrence: where security forces protect, a band attacks less often as well as
     * less lethally, so protection p cuts one-sided killing by (1 - p)^2 — the steep,
     * saturating effect of troop numbers Hultman, Kathman & Shannon (2013) report */
    double protect = pk_protection(w, r);
    double p_attack = w->params[PK_PARAM_ATTACK_RATE] * w->u_readiness[s] *
                      (1.0 - 0.7 * w->political_progress * w->willingness[f]) * (1.0 - protect) *
                      (1.0 + reprisal_urge(w, f));
    if (pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)s, 1) >= p_attack) return;
    /* the victim group: the largest group here that does not sympathise with the band */
    int32_t g_best = -1;
    for (int32_t g = 0; g < G; g++) {
        if (w->def.groups[g].sympathises_with == f || w->alive_rg[r * G + g] == 0) continue;
        if (g_best < 0 || w->alive_rg[r * G + g] > w->alive_rg[r * G + g_best]) g_best = g;
    }
    if (g_best < 0) return;
    double expect = w->params[PK_PARAM_LETHALITY] * w->u_strength[s] * w->u_readiness[s] * (1.0 - protect);
    double persons = (double)w->alive_rg[r * G + g_best] * w->def.scale;
    double p = persons > 0 ? expect / persons : 0;
    int32_t killed = pk__kill_agents(w, r, g_best, p > 1 ? 1 : p, f, pk_mix64(key ^ (uint64_t)s));
    w->today.violent_incidents += 1;
    w->today.civilian_deaths += killed;
    w->today.civilian_deaths_armed += killed;
    pk__event(w, PK_EV_ATTACK_CIVILIANS, r, w->u_cell[s], f, -1, g_best, killed, pk__unit_id(w, s), NULL);
    if (killed > 0) w->kill_event[((size_t)f * w->n_regions + r) * G + g_best] = pk__last_event(w);
}

/* A raid on a base or post: a band attacks the weakest unit of a mission or the
 * government holding a post in its region (minutes lines 475-500: "raids, and ambushes
 * of UN convoys"). Returns 1 if the band was destroyed. */
static int base_raid(pk_world *w, int32_t s, uint64_t key) {
    int32_t r = pk__cell_region(w, w->u_cell[s]), f = w->u_faction[s];
    if (pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)s, 2) >= w->params[PK_PARAM_BASE_RAID_RATE] * w->u_readiness[s])
        return 0;
    int32_t t = -1;
    for (int32_t b = 0; b < w->u_slots; b++) {
        if (!pk__unit_on(w, b) || !w->u_stay[b] || pk__cell_region(w, w->u_cell[b]) != r) continue;
        pk_faction_kind k = pk_unit_faction_kind(w, b);
        if (!pk_faction_is_mission(k) && k != PK_FACTION_HOST_GOV && k != PK_FACTION_HUMANITARIAN) continue;
        if (t < 0 || w->u_strength[b] < w->u_strength[t]) t = b;
    }
    if (t < 0) return 0;
    int32_t tf = w->u_faction[t];
    pk_faction_kind tk = pk_unit_faction_kind(w, t);
    int combat = pk_unit_is_combat((pk_unit_type)w->u_type[t]);
    double band = (double)w->u_strength[s] * w->u_readiness[s], post = (double)w->u_strength[t] * w->u_readiness[t];
    /* a defended post costs the raiders more than it loses; an undefended one (engineers,
     * observers, medical) loses more (assumption) */
    double loss_t = 0.01 * band * (combat ? 0.5 : 1.0), loss_b = 0.01 * post * (combat ? 1.0 : 0.2);
    uint64_t u = pk_rng_at(key, (uint64_t)w->day, (uint64_t)s, 3);
    int32_t lt = pk_round_random(loss_t, (double)(u >> 11) * 0x1.0p-53);
    int32_t lb = pk_round_random(loss_b, (double)(pk_mix64(u) >> 11) * 0x1.0p-53);
    if (lt > w->u_strength[t]) lt = w->u_strength[t];
    if (lb > w->u_strength[s]) lb = w->u_strength[s];
    w->u_strength[t] -= lt;
    w->u_strength[s] -= lb;
    w->losses_f[tf] += lt;
    w->losses_f[f] += lb;
    if (pk_faction_is_mission(tk)) w->today.peacekeeper_deaths += lt;
    else w->today.battle_deaths += lt;
    w->today.battle_deaths += lb;
    if (tk == PK_FACTION_HRPM || tk == PK_FACTION_HUMANITARIAN || w->u_type[t] == PK_UNIT_HUMANITARIAN)
        w->today.attacks_on_humanitarians += 1;
    w->today.violent_incidents += 1;
    w->incidents[r] += (float)(lt + lb);
    pk__event(w, PK_EV_BASE_RAID, r, w->u_cell[t], f, tf, -1, lt + lb, pk__unit_id(w, t), NULL);
    if (w->u_strength[t] <= 0) {
        pk__event(w, PK_EV_UNIT_DESTROYED, r, w->u_cell[t], f, tf, -1, 0, pk__unit_id(w, t), NULL);
        pk__unit_free_slot(w, t);
    }
    if (w->u_strength[s] <= 0) {
        pk__event(w, PK_EV_UNIT_DESTROYED, r, w->u_cell[s], tf, f, -1, 0, pk__unit_id(w, s), NULL);
        pk__unit_free_slot(w, s);
        return 1;
    }
    return 0;
}

/* Civilians caught in a force's operation against a band: expected deaths are
 * `collateral` times the band's losses, scaled by the force's military heaviness and its
 * lack of contextual understanding (2 h (1 - c): 0.5 at the defaults) and by how many
 * civilians live there (assumption, docs/MODEL.md "Collateral harm"). The victims are of
 * the largest group present; the deaths are the force's (trust, consent). */
static void collateral(pk_world *w, int32_t s, int32_t r, int32_t band_loss, uint64_t key) {
    int32_t f = w->u_faction[s], G = w->n_groups;
    const pk_faction_def *fd = &w->def.factions[f];
    double density = w->population[r] / (w->population[r] + 50000.0);
    double expect = w->params[PK_PARAM_COLLATERAL] * band_loss * 2.0 * fd->heaviness * (1.0 - pk__context(w, f)) * density *
                    pk__restraint(w, f);
    if (expect <= 0) return;
    int32_t g_best = -1;
    for (int32_t g = 0; g < G; g++)
        if (w->alive_rg[r * G + g] > 0 && (g_best < 0 || w->alive_rg[r * G + g] > w->alive_rg[r * G + g_best])) g_best = g;
    if (g_best < 0) return;
    double persons = (double)w->alive_rg[r * G + g_best] * w->def.scale;
    int32_t killed = pk__kill_agents(w, r, g_best, expect / persons, f, key);
    if (killed == 0) return;
    w->today.civilian_deaths += killed;
    if (fd->kind == PK_FACTION_HOST_GOV) w->today.civilian_deaths_gov += killed;
    else w->today.civilian_deaths_missions += killed;
    pk__event(w, PK_EV_COLLATERAL, r, w->u_cell[s], f, -1, g_best, killed, pk__unit_id(w, s), NULL);
    w->kill_event[((size_t)f * w->n_regions + r) * G + g_best] = pk__last_event(w);
}

static void clash(pk_world *w, int32_t s, uint64_t key) {
    int32_t r = pk__cell_region(w, w->u_cell[s]);
    int32_t f = w->u_faction[s], F = w->n_factions;
    const pk_faction_def *fd = &w->def.factions[f];
    pk_faction_kind k = fd->kind;
    /* patrols avoid pitched fights; offensive operations, or offensive rules of
     * engagement, seek them */
    int offensive = w->u_task[s] == PK_TASK_OFFENSIVE || pk__roe(w, f) == PK_ROE_OFFENSIVE;
    double intensity = offensive ? 1.0 : 0.3;
    /* contact: an offensive finds and engages a band in its district on three days in
     * ten, a patrol on one in twenty; contextual understanding finds the bands:
     * x (0.5 + context) (assumptions) */
    double contact = (offensive ? 0.3 : 0.05) * (0.5 + pk__context(w, f));
    /* per battalion-equivalent (850): a company finds a fifth as often, so the fighting a
     * force does does not depend on how finely a scenario cuts it into units */
    contact *= (double)w->u_strength[s] / 850.0;
    /* military heaviness is firepower: x (0.5 + heaviness) (1 at the default) */
    double firepower = 0.5 + fd->heaviness;
    for (int32_t b = 0; b < w->u_slots; b++) {
        if (!pk__unit_on(w, b) || pk_unit_faction_kind(w, b) != PK_FACTION_ARMED_GROUP) continue;
        if (pk__cell_region(w, w->u_cell[b]) != r) continue;
        /* operational tempo follows readiness (fuel, vehicles, spares, paid troops) */
        if (pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)s, (uint64_t)b) >= contact * w->u_readiness[s]) continue;
        double sec = (double)w->u_strength[s] * w->u_readiness[s];
        double arm = (double)w->u_strength[b] * w->u_readiness[b];
        /* square-law attrition with a firepower edge for regular forces: a band loses a
         * hundredth of the force's effective strength, the force three ten-thousandths of
         * the band's (assumption, tuned so that a heavily engaged force loses about 15-20
         * per 1 000 a year, the order of AMISOM's losses, and a UN mission a few per 1 000) */
        double band_loss = 0.01 * sec * intensity * firepower;
        double force_loss = 0.0003 * arm * intensity;
        uint64_t u = pk_rng_at(key, (uint64_t)w->day, (uint64_t)b, (uint64_t)s + 7);
        int32_t lb = pk_round_random(band_loss, (double)(u >> 11) * 0x1.0p-53);
        int32_t lf = pk_round_random(force_loss, (double)(pk_mix64(u) >> 11) * 0x1.0p-53);
        if (lb > w->u_strength[b]) lb = w->u_strength[b];
        if (lf > w->u_strength[s]) lf = w->u_strength[s];
        int32_t bf = w->u_faction[b];
        w->u_strength[b] -= lb;
        w->u_strength[s] -= lf;
        w->losses_f[bf] += lb;
        w->losses_f[f] += lf;
        w->today.battle_deaths += lb + (pk_faction_is_mission(k) ? 0 : lf);
        if (pk_faction_is_mission(k)) w->today.peacekeeper_deaths += lf;
        w->today.violent_incidents += 1;
        w->incidents[r] += (float)(lb + lf);
        /* what the armed group holds against the force: each clash a tenth of the way
         * to full enmity, an offensive the whole tenth, a patrol's a third of it */
        float *e = &w->enmity[(size_t)bf * F + f];
        *e = pk__clamp01(*e + (float)(0.1 * intensity * (1.0 - *e)));
        w->enforce[(size_t)f * F + bf] += (float)lb;
        /* losses to an offensive not planned with civilian protection invite reprisals;
         * a UN mission's own, or a partner's coordinated with it, far less */
        if (offensive) w->reprisal[bf] += (float)(lb * (1.0 - pk__poc_planning(w, f)));
        pk__event(w, PK_EV_CLASH, r, w->u_cell[b], f, bf, -1, lb + lf, pk__unit_id(w, s), NULL);
        if (lb > 0) collateral(w, s, r, lb, pk_mix64(key ^ ((uint64_t)s << 20) ^ (uint64_t)b));
        if (w->u_strength[b] <= 0) {
            pk__event(w, PK_EV_UNIT_DESTROYED, r, w->u_cell[b], f, bf, -1, 0, pk__unit_id(w, b), NULL);
            pk__unit_free_slot(w, b);
        }
        if (w->u_strength[s] <= 0) {
            pk__event(w, PK_EV_UNIT_DESTROYED, r, w->u_cell[s], bf, f, -1, 0, pk__unit_id(w, s), NULL);
            pk__unit_free_slot(w, s);
            return;
        }
    }
}

/* Government forces facing active rebels harm civilians of the rebels' groups. */
static void abuse(pk_world *w, int32_t s, uint64_t key, const double *watched) {
    int32_t r = pk__cell_region(w, w->u_cell[s]), G = w->n_groups;
    for (int32_t g = 0; g < G; g++) {
        int32_t active = w->active_rg[r * G + g];
        if (active == 0) continue;
        /* expected victims grow with the rebels present and fall with legitimacy and with
         * the forces' discipline (assumption; at gov_discipline 0.5 the factor is 1) */
        double expect = 0.1 * w->params[PK_PARAM_LETHALITY] * active * w->def.scale * (1.0 - w->params[PK_PARAM_LEGITIMACY]) *
                        2.0 * (1.0 - w->params[PK_PARAM_GOV_DISCIPLINE]) * watched[r];
        double persons = (double)w->alive_rg[r * G + g] * w->def.scale;
        if (persons <= 0 || expect <= 0) continue;
        int32_t killed = pk__kill_agents(w, r, g, expect / persons, w->u_faction[s], pk_mix64(key ^ (uint64_t)(s * 131 + g)));
        if (killed == 0) continue;
        w->today.violent_incidents += 1;
        w->today.civilian_deaths += killed;
        w->today.civilian_deaths_gov += killed;
        pk__event(w, PK_EV_ATTACK_CIVILIANS, r, w->u_cell[s], w->u_faction[s], -1, g, killed, pk__unit_id(w, s), NULL);
        w->kill_event[((size_t)w->u_faction[s] * w->n_regions + r) * G + g] = pk__last_event(w);
    }
}

void pk_phase_clashes(pk_world *w) {
    pk__aggregate_regions(w);
    for (int32_t f = 0; f < w->n_factions; f++) w->reprisal[f] *= 0.8f; /* the urge fades over days */
    uint64_t key_raid = pk__key(w, "clashes.raid"), key_clash = pk__key(w, "clashes.clash");
    uint64_t key_abuse = pk__key(w, "clashes.abuse");
    /* accountability: where a mission's human-rights officers or observers watch, or its
     * police mentor the host's forces under a rule-of-law mandate, the government's
     * forces abuse half as much (assumption, docs/MODEL.md) */
    double watched[PK_MAX_REGIONS];
    for (int32_t r = 0; r < w->n_regions; r++) watched[r] = 1.0;
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s) || !pk_faction_is_mission(pk_unit_faction_kind(w, s))) continue;
        pk_unit_type t = (pk_unit_type)w->u_type[s];
        int32_t f = w->u_faction[s];
        if (t == PK_UNIT_HUMAN_RIGHTS || w->u_task[s] == PK_TASK_OBSERVE ||
            (t == PK_UNIT_FPU && pk__mandated(w, f, PK_MANDATE_RULE_OF_LAW)))
            watched[pk__cell_region(w, w->u_cell[s])] = 0.5;
    }
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s)) continue;
        pk_faction_kind k = pk_unit_faction_kind(w, s);
        pk_unit_type t = (pk_unit_type)w->u_type[s];
        if (k == PK_FACTION_ARMED_GROUP) {
            if (w->u_task[s] == PK_TASK_RAID && !base_raid(w, s, key_raid)) raid(w, s, key_raid);
        } else if (pk__is_security(k) && pk_unit_is_combat(t) &&
                   (w->u_task[s] == PK_TASK_PATROL || w->u_task[s] == PK_TASK_OFFENSIVE)) {
            /* under self-defence rules a force does not seek contact (it still defends its
             * posts against raids, above) */
            if (pk__roe(w, w->u_faction[s]) != PK_ROE_SELF_DEFENCE) clash(w, s, key_clash);
            if (pk__unit_on(w, s) && k == PK_FACTION_HOST_GOV && t == PK_UNIT_GOV_ARMY) abuse(w, s, key_abuse, watched);
        }
    }
}
