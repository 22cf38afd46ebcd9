/* model.h — constants and helpers shared by the mechanism files in engine/model. Each
 * number here is documented in docs/MODEL.md with its source (most are assumptions to be
 * calibrated by later issues). */
#ifndef PK_MODEL_H
#define PK_MODEL_H

#include "world_internal.h"

/* How much one person of a unit type counts as security presence (protection, arrest).
 * Police count more than soldiers for arrests and protection in populated areas. */
static const float pk_security_weight[PK_UNIT_TYPE_COUNT] = {
    /* infantry fpu  observers engineers medical aviation civil_aff hum_rights humanitarian gov_army gov_police armed_band */
    1.0f, 1.5f, 0.2f, 0.3f, 0.1f, 1.0f, 0.1f, 0.1f, 0.0f, 0.8f, 1.0f, 0.0f};

/* Ground speed in km per day off road; roads multiply it by PK_ROAD_SPEEDUP. */
static const float pk_speed_km[PK_UNIT_TYPE_COUNT] = {
    15.f, 15.f, 20.f, 10.f, 15.f, 300.f, 20.f, 20.f, 15.f, 15.f, 15.f, 20.f};
#define PK_ROAD_SPEEDUP 3.0f

/* Is the unit a force that fights: it clashes with armed bands and takes a standing
 * patrol task when idle. (Ambush exposure is every ground unit of a mission or the
 * government, see movement.c.) */
static inline int pk_unit_is_combat(pk_unit_type t) {
    return t == PK_UNIT_INFANTRY || t == PK_UNIT_FPU || t == PK_UNIT_AVIATION || t == PK_UNIT_GOV_ARMY ||
           t == PK_UNIT_GOV_POLICE || t == PK_UNIT_ARMED_BAND;
}
static inline int pk_faction_is_mission(pk_faction_kind k) {
    return k == PK_FACTION_UN || k == PK_FACTION_REGIONAL || k == PK_FACTION_HRPM;
}
static inline pk_faction_kind pk_unit_faction_kind(const pk_world *w, int32_t slot) {
    return w->def.factions[w->u_faction[slot]].kind;
}
/* Agent states that count as living civilians in their region. */
static inline int pk_agent_is_civilian(uint8_t s) {
    return s == PK_AGENT_HOME || s == PK_AGENT_DISPLACED || s == PK_AGENT_ACTIVE || s == PK_AGENT_CAMP;
}
/* Round a non-negative expectation to an integer with a random fraction (unbiased). */
static inline int32_t pk_round_random(double x, double u) {
    double f = x - (double)(int64_t)x;
    return (int32_t)x + (u < f ? 1 : 0);
}
/* Protection a region's security presence gives its civilians, [0,1): with q persons
 * of weighted protective presence (w->guard: missions' forces in full, host forces at a
 * third) per 1000 inhabitants it is q / (q + 2). A mission of 8 000 troops in a country of
 * a million (about 7 per 1000) gives about 0.8, which with deterrence (raids are both
 * rarer and less deadly, (1 - p)^2) cuts one-sided killing about twenty-fold: the
 * magnitude of Hultman, Kathman & Shannon (2013), from about 106 a month to a few;
 * host police alone (about 3 per 1000, counting 1) give about 0.3 (calibration,
 * docs/MODEL.md). */
static inline double pk_protection(const pk_world *w, int32_t r) {
    double per1000 = w->guard[r] / (w->population[r] / 1000.0 + 1.0);
    return per1000 / (per1000 + 1.0);
}
/* Kill agents of group g in region r, each with probability p, attributing them to
 * faction f (-1 = communal). Returns persons killed. */
int32_t pk__kill_agents(pk_world *w, int32_t r, int32_t g, double p, int32_t f, uint64_t key);
/* An armed group's capacity to recruit and keep its bands ready, [0.5, 1], from its money
 * against a month of upkeep (armed_groups.c). */
double pk__armed_capacity(const pk_world *w, int32_t f);
/* The strongest armed band in region r, or -1. */
int32_t pk__strongest_band(const pk_world *w, int32_t r);

/* Partnership mechanics (partnership.c). */
int pk__has_mandate(const pk_world *w, int32_t f);
void pk__allocate_mandates(pk_world *w);
void pk__confusion(pk_world *w);
void pk__departures(pk_world *w);
/* Factor (0.5..1] on a force's collateral harm and high-handedness from its link to a UN
 * mission (partnership.c). */
double pk__restraint(const pk_world *w, int32_t f);
/* The contextual understanding faction f works with: its own or a partner's shared
 * through coordination (partnership.c). */
double pk__context(const pk_world *w, int32_t f);
/* How well faction f's offensives are planned with the protection of civilians, [0,1]
 * (partnership.c). */
double pk__poc_planning(const pk_world *w, int32_t f);

/* A faction's rules of engagement; a Human Rights Protection Mission is armed for
 * self-defence only whatever its settings say (minutes lines 1340-1400). */
static inline pk_roe pk__roe(const pk_world *w, int32_t f) {
    const pk_faction_def *d = &w->def.factions[f];
    return d->kind == PK_FACTION_HRPM ? PK_ROE_SELF_DEFENCE : d->roe;
}
/* Is mandated task m part of faction f's mandate? */
static inline int pk__mandated(const pk_world *w, int32_t f, pk_mandate_task m) {
    return w->def.factions[f].mandate[m] > 0;
}
/* How much a unit's effective strength counts as security presence beyond its type's
 * weight: self-defence ROE halves it (the force deters but does not intervene), confusion
 * with a partner leaves a quarter of it for the day (each waits for the other), contextual understanding scales it from 0.75 to
 * 1.25 (knowing where the threats are; assumption, docs/MODEL.md). */
static inline float pk__presence_factor(const pk_world *w, int32_t s) {
    int32_t f = w->u_faction[s];
    const pk_faction_def *d = &w->def.factions[f];
    if (d->kind == PK_FACTION_ARMED_GROUP) return 1.f;
    float k = pk__roe(w, f) == PK_ROE_SELF_DEFENCE ? 0.5f : 1.f;
    if (w->confused[(size_t)f * w->n_regions + pk__cell_region(w, w->u_cell[s])]) k *= 0.25f;
    return k * (float)(0.75 + 0.5 * pk__context(w, f));
}

#endif
