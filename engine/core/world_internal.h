/* world_internal.h — the world's layout, shared by engine/core and engine/model only.
 * Data-oriented: agents and units in struct-of-arrays, cells and region fields in flat
 * arrays, relations as indices. Never include this from io/, lua/, view/ or cli/: they
 * see the world through pkosim/world.h. */
#ifndef PK_WORLD_INTERNAL_H
#define PK_WORLD_INTERNAL_H

#include "pkosim/pkosim.h"

/* Unit slot states. */
enum { PK_SLOT_FREE = 0, PK_SLOT_PENDING = 1, PK_SLOT_LIVE = 2 };

/* Counts that happen during one day; reset at the start of each step. */
typedef struct pk_day_counts {
    double civilian_deaths, civilian_deaths_armed, civilian_deaths_gov, civilian_deaths_communal;
    double battle_deaths, peacekeeper_deaths, violent_incidents;
    double displaced_today, returned_today, arrests, recruits;
    double refugees_today, excess_deaths;
    double civilian_deaths_missions, confusion_events, attacks_on_humanitarians, demobilised;
} pk_day_counts;

struct pk_world {
    pk_world_def def;       /* as created; def.map points at `map` below */
    pk_map *map;            /* owned copy */
    int32_t day;
    double params[PK_PARAM_COUNT];

    int32_t n_cells, n_regions, n_groups, n_factions;

    /* regions */
    uint8_t *adj;             /* [R*R] */
    int32_t *region_cells;    /* [R] cell count */
    int32_t *region_centre;   /* [R] the region's cell nearest its centroid */
    float *services;          /* [R] host-government services, [0,1] */
    float *needs_met;         /* [R] share of needs met, [0,1] */
    float *violence;          /* [R] decaying score of recent violence (incidents per 1000 persons) */
    float *insecurity;        /* [R] violence mapped to [0,1] */
    int32_t *active_prev;     /* [R] active agents at the end of the previous day */
    float *security;          /* [R] security presence per 1000 persons, [0,inf) (scratch each day) */
    float *armed;             /* [R] armed-group strength in the region (scratch each day) */
    float *guard;             /* [R] presence that protects civilians: missions' forces, host forces at a discount (scratch) */
    float *cover;             /* [F * R] phase 2: the best coordination quality of a partner's combat unit in
                                 each region, for each faction (scratch, mission.c partner_cover) */
    float *population;        /* [R] living persons at home or displaced in region (scratch) */

    /* trust of group g in region r toward faction f: [(g*R + r)*F + f] */
    float *trust;
    /* host consent toward each faction, [F], [0,1] */
    float *consent;
    /* per faction: freedom of movement [0,1], readiness mean, cost rate (USD/day), unfunded (USD/day) */
    float *fom, *readiness_mean;
    double *cost_rate, *gap_rate;
    double political_progress;
    float *recruit_pool;      /* [F] persons recruited but not yet in a band */
    /* issue 3: needs, legitimacy, armed groups' economy, consent, misinformation */
    float *needs;             /* [R*PK_NEED_COUNT] level of each need met, [0,1]; needs_met is their weighted mean */
    float *resources;         /* [R] USD a day extractable at full control (scenario) */
    float *control;           /* [R] armed groups' control of the region, [0,1] */
    float *legit;             /* [G*R] legitimacy of the government perceived by group g in region r, [0,1] */
    double *funds;            /* [F] armed groups' money, USD */
    float *willingness;       /* [F] armed groups' willingness to negotiate, [0,1] */
    uint8_t *withdrawn;       /* [F] host consent withdrawn: the mission stops operating */
    float *misinfo;           /* [F*F] strength of faction f's campaign against faction t, [0,1] */
    int32_t *misinfo_region;  /* [F*F] region of the campaign, -1 = wherever f has bands */
    int32_t *misinfo_event;   /* [F*F] event that started it, -1 */
    double legit_param;       /* the legitimacy parameter as of the last information phase */
    float *services_prev;     /* [R] services as of the last information phase (to attribute legitimacy changes) */
    float *enmity;            /* [A*F] armed group a's enmity toward faction f, [0,1] (issue 4) */
    float *reprisal;          /* [F] an armed group's urge to strike back at civilians after losses, fighters (decays) */
    float *road_share;        /* [R] share of the region's cells with a road (derived from the map; not saved) */

    /* scratch, recomputed each day from the state above (never saved, never hashed) */
    int32_t *reg_start;       /* [R+1] agents grouped by the region of their current cell (CSR) */
    int32_t *reg_agents;      /* [n_agents] */
    float *kills;             /* [(f*R + r)*G + g] persons of group g killed in region r today by faction f */
    float *access;            /* [R] humanitarian access, [0,1] */
    float *incidents;         /* [R] persons killed in the region today */
    int32_t *alive_rg;        /* [r*G + g] living civilians (home, displaced, in a camp, active) */
    int32_t *active_rg;       /* [r*G + g] active agents */
    int32_t *kill_event;      /* [(f*R + r)*G + g] last event of today's killings there, -1 */
    double *aid_fr;           /* [F*R] persons reached by faction f's aid in region r today (phase 8) */
    double *losses_f;         /* [F] strength faction f lost today (clashes, ambushes, raids) */
    float *enforce;           /* [f*F + a] strength of armed group a that faction f's operations took today */
    uint8_t *confused;        /* [f*R + r] 1: faction f's presence in r counts half today (confusion) */
    float *assoc;             /* [F*F] how far faction f is credited with g's acts (links, up to two hops), derived */

    /* agents, struct of arrays */
    int32_t n_agents;
    uint8_t *a_group;
    uint8_t *a_state;
    int32_t *a_home;
    int32_t *a_cell;
    float *a_risk;
    uint16_t *a_jail;         /* days left in jail */

    /* units, struct of arrays over slots */
    int32_t u_cap, u_slots;   /* capacity and slots ever used */
    uint32_t *u_gen;
    uint8_t *u_slot;          /* PK_SLOT_* */
    int32_t *u_faction;
    uint8_t *u_type, *u_task;
    int32_t *u_strength;
    float *u_readiness;
    int32_t *u_cell, *u_target, *u_radius;
    char (*u_name)[PK_NAME_MAX];
    int32_t *u_goal;          /* region the unit heads for (phase 2 plans it every command_latency days) */
    int32_t *u_home;          /* the unit's sector: the region it deployed to (patrols stay near it) */
    uint8_t *u_stay;          /* scratch: the unit keeps its cell today (a post in its goal region) */

    /* travel-time fields toward each region's centre, [R] arrays of n_cells floats (km
     * of road-equivalent travel), built on first use; derived from the map alone, so
     * never saved or hashed. [0] for ground units, [1] for aircraft. */
    float **travel[2];
    int32_t *u_free;          /* stack of free slot indices */
    int32_t u_nfree;

    /* commands: pending queue and the applied log */
    pk_command *queue;
    size_t n_queue, cap_queue;
    pk_command *log;
    size_t n_log, cap_log;

    /* events */
    pk_event *events;
    size_t n_events, cap_events;

    /* the cause log: every change of trust, legitimacy and needs met, aggregated per
     * (day, indicator, region, group, faction, cause); saved, not hashed (like events) */
    pk_cause *causes;
    size_t n_causes, cap_causes;

    /* indicators */
    int32_t n_ind;
    char (*ind_name)[PK_NAME_MAX];
    uint8_t *ind_kind;
    double *ind_value;
    double *ind_total;

    pk_day_counts today;
    int alloc_failed;         /* sticky: an event or log append could not grow */
    int agents_dirty;         /* agents moved or changed state since the last pk__aggregate_regions (scratch) */
    struct pk_ep_state *ep;   /* Epstein's models (engine/model/epstein.c); NULL: the mission-area model */
};

/* Append an event stamped with the current day. */
void pk__event(pk_world *w, pk_event_type type, int32_t region, int32_t cell, int32_t faction,
               int32_t target_faction, int32_t group, int32_t count, pk_unit_id unit, const char *text);

/* Append a cause record for today (nothing when |amount| < 1e-7). */
void pk__cause(pk_world *w, pk_cause_indicator ind, pk_cause_code cause, int32_t region, int32_t group, int32_t faction,
               double amount, int32_t event);
/* Index of the last event appended, -1 if none. */
static inline int32_t pk__last_event(const pk_world *w) { return w->n_events ? (int32_t)w->n_events - 1 : -1; }

/* Unit slot helpers. */
static inline pk_unit_id pk__unit_id(const pk_world *w, int32_t slot) {
    pk_unit_id id = {(uint32_t)slot + 1u, w->u_gen[slot]};
    return id;
}
/* Create a unit now, during a phase (an armed group forming a band); the caller records
 * the event. Returns its slot, or -1 (and alloc_failed) when memory runs out. */
int32_t pk__unit_spawn(pk_world *w, const pk_unit_def *d);
/* Free a unit's slot (removed or destroyed). */
void pk__unit_free_slot(pk_world *w, int32_t slot);
/* Slot of a live (or pending, if allow_pending) unit id, or -1. */
int32_t pk__unit_slot(const pk_world *w, pk_unit_id id, int allow_pending);

static inline int32_t pk__cell_region(const pk_world *w, int32_t cell) { return w->map->region[cell]; }
static inline size_t pk__trust_index(const pk_world *w, int32_t g, int32_t r, int32_t f) {
    return ((size_t)g * (size_t)w->n_regions + (size_t)r) * (size_t)w->n_factions + (size_t)f;
}
static inline float pk__clamp01(float x) { return x < 0.f ? 0.f : (x > 1.f ? 1.f : x); }

/* Stream keys, one per purpose (rng.h: adding a stream never shifts another). */
uint64_t pk__key(const pk_world *w, const char *purpose);

/* Epstein's models (engine/model/epstein.c), the world kind pk_world_def.epstein selects.
 * pk_world_create hands such a definition to pk__epstein_create; the others are called
 * only when w->ep is set. */
typedef struct pk__field {
    void *ptr;
    size_t bytes;
} pk__field;
pk_world *pk__epstein_create(const pk_world_def *def, pk_error *err);
void pk__epstein_free(pk_world *w);
void pk__epstein_step(pk_world *w);
void pk__epstein_indicators(pk_world *w);
/* Its state arrays for hash / save / restore (at most 8); returns how many. */
int pk__epstein_state_fields(const pk_world *w, pk__field *out);
/* After restore: check the restored arrays, rebuild derived data; NULL or what is wrong. */
const char *pk__epstein_restored(pk_world *w);

/* The phases of a day (DESIGN §3), in order. Each is a real function with its own tests. */
void pk_phase_commands(pk_world *w);       /* 1. injects, hooks' commands, orders */
void pk_phase_coordination(pk_world *w);   /* 2. command and coordination, AI task allocation */
void pk_phase_movement(pk_world *w);       /* 3. movement, ambush and IED risk */
void pk_phase_logistics(pk_world *w);      /* 4. logistics and finance */
void pk_phase_armed_groups(pk_world *w);   /* 5. armed-group decisions */
void pk_phase_clashes(pk_world *w);        /* 6. clashes and attacks */
void pk_phase_civilians(pk_world *w);      /* 7. civilians */
void pk_phase_humanitarian(pk_world *w);   /* 8. humanitarian delivery */
void pk_phase_information(pk_world *w);    /* 9. information and trust */
void pk_phase_politics(pk_world *w);       /* 10. political process and consent */
void pk_phase_indicators(pk_world *w);     /* 11. indicators */

/* Validate a command against the world as it is (the checks of pk_world_command, which
 * restore also applies to the commands a save says are queued). */
pk_status pk__command_check(const pk_world *w, const pk_command *c, pk_error *err);

/* Grow unit arrays to hold at least need slots; 0 on allocation failure. */
int pk__units_reserve(pk_world *w, int32_t need);

/* Recompute the per-region scratch aggregates (security, armed, population) from units
 * and agents; phases call it when they need fresh figures. The agents' part is redone only
 * when w->agents_dirty is set: whatever changes agents' states or cells in bulk sets it
 * (phase 7, creation, restore); pk__kill_agents keeps the counts itself. */
void pk__aggregate_regions(pk_world *w);

/* Is faction f operating on the day being simulated: deployed (deploy_day reached), not
 * past its exit day, host consent not withdrawn? Units of a faction that is not operating
 * are off the map: they count for nothing and do nothing. */
static inline int pk__faction_on(const pk_world *w, int32_t f) {
    const pk_faction_def *d = &w->def.factions[f];
    int32_t day = w->day < 1 ? 1 : w->day;
    return !w->withdrawn[f] && day >= d->deploy_day && (d->exit_day <= 0 || day <= d->exit_day);
}
/* A live unit of an operating faction. */
static inline int pk__unit_on(const pk_world *w, int32_t s) {
    return w->u_slot[s] == 2 /* PK_SLOT_LIVE */ && pk__faction_on(w, w->u_faction[s]);
}
/* Recompute w->assoc from the links (partnership.c). */
void pk__associations(pk_world *w);
/* Armed group a's effective enmity toward f: its own, or what it holds against f's
 * associates, whichever is larger (partnership.c). */
double pk__effective_enmity(const pk_world *w, int32_t a, int32_t f);
/* Days between faction f's re-planning cycles: its own latency, plus its partners' in a
 * joint command ("two bosses", minutes line 1491) (partnership.c). */
int32_t pk__latency(const pk_world *w, int32_t f);

/* Does this faction kind count as a security provider for civilians (deterrence, arrest,
 * protection)? Not the HRPM: MATSUMURA's Human Rights Protection Mission is strictly
 * neutral and armed for self-defence only (minutes lines 1340-1400). */
static inline int pk__is_security(pk_faction_kind k) {
    return k == PK_FACTION_UN || k == PK_FACTION_REGIONAL || k == PK_FACTION_HOST_GOV;
}

/* Weights of the six needs in needs_met (assumption, docs/MODEL.md phase 8). */
static const float pk_need_weight[PK_NEED_COUNT] = {0.25f, 0.2f, 0.2f, 0.15f, 0.1f, 0.1f};
/* Recompute needs_met[r] as the weighted mean of the needs. */
static inline void pk__needs_mean(pk_world *w, int32_t r) {
    float m = 0.f;
    for (int k = 0; k < PK_NEED_COUNT; k++) m += pk_need_weight[k] * w->needs[r * PK_NEED_COUNT + k];
    w->needs_met[r] = pk__clamp01(m);
}
/* Perceived legitimacy of the government for group g in region r from its parts
 * (Epstein's L, moved by services, trust in the government and inclusion; assumption). */
double pk__legitimacy_target(const pk_world *w, int32_t g, int32_t r);
/* The first host_gov faction, or -1. */
int32_t pk__gov_faction(const pk_world *w);

#endif
