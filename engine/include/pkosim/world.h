/* pkosim/world.h — the simulated mission area and its day tick. The world is the only
 * thing that changes the simulation; it is plain C11 (no Lua, no SDL, no file I/O).
 * Everything from outside (scripts, the command line, the view, players' orders) reaches
 * it as a pk_command in one queue, applied at the start of the next day, so a run is
 * a pure function of (definition, seed, command log) and can be replayed and saved.
 *
 * Ownership (flecs): a `const T *` argument stays with the caller; a returned `const T *`
 * stays with the world and is valid until the next call that changes the world; a
 * returned `T *` (or buffer) is the caller's to free. */
#ifndef PKOSIM_WORLD_H
#define PKOSIM_WORLD_H

#include "pkosim/map.h"
#include "pkosim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_world pk_world;

/* ---------------------------------------------------------------- model parameters */

/* Engine-level model parameters, one X-macro row each: (ENUM, "name", default, min, max).
 * Their meaning and source are documented in docs/MODEL.md. Scenarios set them by name
 * (`model = { legitimacy = 0.7 }`) and scripts change them during a run with a command. */
#define PK_PARAM_LIST(X)                                                     \
    X(LEGITIMACY, "legitimacy", 0.82, 0.0, 1.0)                              \
    X(THRESHOLD, "threshold", 0.1, 0.0, 1.0)                                 \
    X(ARREST_K, "arrest_k", 2.3, 0.0, 100.0)                                 \
    X(MAX_JAIL_DAYS, "max_jail_days", 30.0, 0.0, 10000.0)                    \
    X(ARREST_REACH, "arrest_reach", 20.0, 0.0, 10000.0)                      \
    X(BASE_HARDSHIP, "base_hardship", 0.6, 0.0, 1.0)                         \
    X(NEEDS_WEIGHT, "needs_weight", 0.3, 0.0, 1.0)                           \
    X(INSECURITY_WEIGHT, "insecurity_weight", 0.3, 0.0, 1.0)                 \
    X(FLIGHT_THRESHOLD, "flight_threshold", 0.5, 0.0, 1.0)                   \
    X(RETURN_THRESHOLD, "return_threshold", 0.15, 0.0, 1.0)                  \
    X(VIOLENCE_DECAY, "violence_decay", 0.8, 0.0, 1.0)                       \
    X(RECRUIT_RATE, "recruit_rate", 0.02, 0.0, 1.0)                          \
    X(ATTACK_RATE, "attack_rate", 0.1, 0.0, 1.0)                             \
    X(LETHALITY, "lethality", 0.05, 0.0, 1.0)                                \
    X(TRUST_GAIN, "trust_gain", 0.01, 0.0, 1.0)                              \
    X(TRUST_LOSS, "trust_loss", 0.05, 0.0, 1.0)                              \
    X(SERVICE_LEVEL, "service_level", 0.5, 0.0, 1.0)                         \
    X(AID_REACH, "aid_reach", 250.0, 0.0, 100000.0)                          \
    X(COST_PER_PERSON_DAY, "cost_per_person_day", 180.0, 0.0, 100000.0)     \
    X(FUNDING_SHARE, "funding_share", 1.0, 0.0, 1.0)                         \
    X(READINESS_DECAY, "readiness_decay", 0.01, 0.0, 1.0)                    \
    X(AMBUSH_RATE, "ambush_rate", 0.02, 0.0, 1.0)                            \
    X(PROGRESS_RATE, "progress_rate", 0.004, 0.0, 1.0)                       \
    X(CONSENT_SENSITIVITY, "consent_sensitivity", 0.01, 0.0, 1.0)           \
    X(EXCESS_MORTALITY, "excess_mortality", 0.0001, 0.0, 0.1)               \
    X(BORDER_FLIGHT, "border_flight", 2.0, 1.0, 100.0)                      \
    X(REFUGEE_RETURN_RATE, "refugee_return_rate", 0.01, 0.0, 1.0)           \
    X(GOV_DISCIPLINE, "gov_discipline", 0.5, 0.0, 1.0)                      \
    X(CONSENT_WITHDRAWAL, "consent_withdrawal", 0.2, 0.0, 1.0)              \
    X(ARMED_INCOME, "armed_income", 2000.0, 0.0, 1e9)                       \
    X(ARMED_UPKEEP, "armed_upkeep", 2.0, 0.0, 1e6)                          \
    X(BASE_RAID_RATE, "base_raid_rate", 0.01, 0.0, 1.0)                     \
    X(COUNCIL_UNITY, "council_unity", 0.7, 0.0, 1.0)                        \
    X(CONFUSION_RATE, "confusion_rate", 0.5, 0.0, 1.0)                      \
    X(COLLATERAL, "collateral", 0.05, 0.0, 10.0)                             \
    X(IMPARTIALITY_COST, "impartiality_cost", 1.0, 0.0, 10.0)               \
    X(DDR_RATE, "ddr_rate", 0.02, 0.0, 1.0)                                 \
    X(CAPACITY_BUILDING, "capacity_building", 0.002, 0.0, 1.0)              \
    X(SERVICE_EROSION, "service_erosion", 0.002, 0.0, 1.0)                  \
    X(MISINFO_LEVEL, "misinformation_level", 0.0, 0.0, 1.0)                 \
    X(BAND_SIZE, "band_size", 100.0, 1.0, 100000.0)                         \
    X(ENMITY_DECAY, "enmity_decay", 0.005, 0.0, 1.0)

typedef enum pk_param {
#define PK_X_ENUM(e, n, d, lo, hi) PK_PARAM_##e,
    PK_PARAM_LIST(PK_X_ENUM)
#undef PK_X_ENUM
    PK_PARAM_COUNT
} pk_param;

typedef struct pk_param_info {
    const char *name;
    double def, min, max;
} pk_param_info;

/* Descriptor of parameter p (static storage). */
const pk_param_info *pk_param_info_get(pk_param p);
/* Parameter with this name, or -1. */
int pk_param_find(const char *name);

/* ---------------------------------------------------------------- enumerations */

typedef enum pk_faction_kind {
    PK_FACTION_UN = 0,       /* UN peacekeeping mission (blue helmets) */
    PK_FACTION_REGIONAL,     /* AU or other regional / non-UN force */
    PK_FACTION_HRPM,         /* MATSUMURA's Human Rights Protection Mission (orange) */
    PK_FACTION_HOST_GOV,     /* host government and its security forces */
    PK_FACTION_ARMED_GROUP,  /* rebels, militias, terrorists, traffickers */
    PK_FACTION_HUMANITARIAN, /* UN agencies and NGOs */
    PK_FACTION_KIND_COUNT
} pk_faction_kind;

typedef enum pk_unit_type {
    PK_UNIT_INFANTRY = 0,
    PK_UNIT_FPU,          /* formed police unit */
    PK_UNIT_OBSERVERS,    /* military observers */
    PK_UNIT_ENGINEERS,
    PK_UNIT_MEDICAL,
    PK_UNIT_AVIATION,     /* aviation / quick-reaction force */
    PK_UNIT_CIVIL_AFFAIRS,
    PK_UNIT_HUMAN_RIGHTS,
    PK_UNIT_HUMANITARIAN,
    PK_UNIT_GOV_ARMY,     /* host security forces */
    PK_UNIT_GOV_POLICE,
    PK_UNIT_ARMED_BAND,   /* an armed group's fighting band */
    PK_UNIT_TYPE_COUNT
} pk_unit_type;

typedef enum pk_task {
    PK_TASK_IDLE = 0,
    PK_TASK_PATROL,     /* patrol target_region */
    PK_TASK_PROTECT,    /* protect a site or camp in target_region */
    PK_TASK_ESCORT,     /* escort convoys into target_region */
    PK_TASK_OFFENSIVE,  /* offensive operation against armed groups in target_region */
    PK_TASK_DDR,        /* run a DDR site */
    PK_TASK_AID,        /* distribute aid */
    PK_TASK_ENGAGE,     /* community engagement */
    PK_TASK_OBSERVE,    /* observe and report */
    PK_TASK_REPAIR,     /* repair roads and water */
    PK_TASK_RAID,       /* armed groups: raid civilians in target_region */
    PK_TASK_COUNT
} pk_task;

typedef enum pk_agent_state {
    PK_AGENT_HOME = 0,
    PK_AGENT_DISPLACED, /* fled, not in a camp */
    PK_AGENT_CAMP,      /* in a camp or protection site */
    PK_AGENT_ACTIVE,    /* openly rebelling (Epstein's "active") */
    PK_AGENT_JAILED,
    PK_AGENT_RECRUITED, /* joined an armed group */
    PK_AGENT_DEAD,
    PK_AGENT_REFUGEE,   /* crossed the border out of the mission area */
    PK_AGENT_STATE_COUNT
} pk_agent_state;

/* Rules of engagement of a force (DESIGN §3; docs/MODEL.md "Rules of engagement"). */
typedef enum pk_roe {
    PK_ROE_SELF_DEFENCE = 0,    /* fires only when attacked: deters, does not intervene */
    PK_ROE_DEFENCE_OF_MANDATE,  /* may use force to protect civilians and the mandate */
    PK_ROE_OFFENSIVE,           /* seeks out and neutralises armed groups (the FIB) */
    PK_ROE_COUNT
} pk_roe;

/* Mandated tasks: the modular catalogue of "The Future of Peacekeeping" (minutes line
 * 178); MINUSCA's tasks (lines 1320-1338) are one combination. A faction's mandate gives
 * each a priority (1 = first, 0 = not mandated); idle units get tasks from it. */
typedef enum pk_mandate_task {
    PK_MANDATE_POC = 0,         /* protection of civilians */
    PK_MANDATE_POLITICAL,       /* support to the political process */
    PK_MANDATE_HUMANITARIAN,    /* humanitarian access: escort convoys, secure delivery */
    PK_MANDATE_MISSION,         /* protection of the mission (force protection) */
    PK_MANDATE_HUMAN_RIGHTS,    /* human-rights monitoring and reporting */
    PK_MANDATE_RULE_OF_LAW,     /* rule of law: police and justice support */
    PK_MANDATE_DDR,             /* disarmament, demobilisation and reintegration */
    PK_MANDATE_ELECTIONS,       /* election security */
    PK_MANDATE_DISASTER,        /* natural-disaster response: repair water, roads, clinics */
    PK_MANDATE_ENGAGEMENT,      /* community engagement (incl. female engagement teams) */
    PK_MANDATE_ENFORCEMENT,     /* enforce the political agreement: neutralise spoilers */
    PK_MANDATE_COUNT
} pk_mandate_task;

/* How two factions work together (DESIGN §2.2-2.3, Gen. Khan, minutes lines 561-620). */
typedef enum pk_relation {
    PK_REL_PARALLEL = 0,  /* deployed together under separate commands (MINUSCA + Sangaris) */
    PK_REL_SUPPORT,       /* b supports a (the UN support office of a regional-led force) */
    PK_REL_SEQUENCE,      /* a hands over to b (INTERFET -> UNTAET); set the days on the factions */
    PK_REL_JOINT,         /* one mission, joint command, two reporting lines (UNAMID) */
    PK_REL_COORDINATES,   /* a coordinates b (the HRPM and the humanitarian agencies it escorts) */
    PK_REL_COUNT
} pk_relation;

/* Names for the enumerations above ("un", "infantry", "patrol", "home"); NULL if out of
 * range. The *_from_name functions return -1 for an unknown name. */
const char *pk_faction_kind_name(pk_faction_kind k);
int pk_faction_kind_from_name(const char *s);
const char *pk_unit_type_name(pk_unit_type t);
int pk_unit_type_from_name(const char *s);
const char *pk_task_name(pk_task t);
int pk_task_from_name(const char *s);
const char *pk_roe_name(pk_roe r);                  /* "self_defence", "defence_of_mandate", "offensive" */
int pk_roe_from_name(const char *s);
const char *pk_mandate_task_name(pk_mandate_task m); /* "poc", "political", ... */
int pk_mandate_task_from_name(const char *s);
const char *pk_relation_name(pk_relation r);         /* "parallel", "support", "sequence", "joint", "coordinates" */
int pk_relation_from_name(const char *s);
/* Can a unit of this type carry out this task (docs/MODEL.md "Who can do what")? */
int pk_unit_can(pk_unit_type type, pk_task task);
const char *pk_agent_state_name(pk_agent_state s);

/* ---------------------------------------------------------------- definitions */

typedef struct pk_group_def {
    char id[PK_ID_MAX];
    char name[PK_NAME_MAX];
    /* Agents of this group in each region (the population of region r is
     * agents_per_region[r] * scale persons). */
    int32_t agents_per_region[PK_MAX_REGIONS];
    float risk_aversion_mean;  /* mean of a uniform draw in [0, 2*mean], clamped to [0,1] */
    int32_t sympathises_with;  /* faction index of an armed group it leans to, -1 none */
    float inclusion;           /* political inclusion of the group by the government, [0,1] (default 0.5) */
} pk_group_def;
pk_group_def pk_group_def_default(void);

typedef struct pk_faction_def {
    char id[PK_ID_MAX];
    char name[PK_NAME_MAX];
    pk_faction_kind kind;
    uint32_t color_rgb;        /* 0xRRGGBB, for the view */
    double funding_share;      /* share of running cost that is funded, [0,1] */
    double initial_trust;      /* civilians' starting trust in this faction, [0,1] */
    /* Mission and partnership parameters (issue 4; docs/MODEL.md "Missions and
     * partnership"). Defaults: pk_faction_def_default. */
    pk_roe roe;                /* rules of engagement (default defence_of_mandate) */
    int8_t mandate[PK_MANDATE_COUNT]; /* priority of each mandated task, 1 = first, 0 = not mandated */
    int32_t deploy_day;        /* first day its units operate (deployment delay); default 1 */
    int32_t exit_day;          /* its units leave the mission area after this day; 0 = they stay */
    int32_t command_latency;   /* days between its re-planning cycles (decision latency), >= 1 */
    float context;             /* contextual understanding, [0,1] (0.5) */
    float influence;           /* political influence on the parties, [0,1] (0.5) */
    float standardisation;     /* standardisation of contingents, [0,1] (1: no loss) */
    float heaviness;           /* military heaviness, [0,1] (0.5) */
    float high_handedness;     /* [0,1] (0) */
    float gap_covered;         /* share of its unfunded cost that donors cover, [0,1] (0) */
    float support;             /* logistic support package it receives, [0,1] (0) */
    double hq_cost;            /* USD a day for its headquarters (0) */
} pk_faction_def;

/* A link between two factions: the partnership mechanics of DESIGN §3. */
typedef struct pk_link_def {
    int32_t a, b;              /* faction indices */
    pk_relation relation;
    float coordination;        /* quality of the coordination mechanism, [0,1] (0.5) */
    float role_clarity;        /* [0,1] (0.5) */
    float association;         /* how far civilians and armed groups credit each with the other's acts, [0,1] (0.3) */
} pk_link_def;
pk_link_def pk_link_def_default(void);
pk_faction_def pk_faction_def_default(void);

typedef struct pk_unit_def {
    int32_t faction;           /* faction index */
    pk_unit_type type;
    int32_t strength;          /* persons */
    float readiness;           /* [0,1] */
    int32_t cell;              /* starting cell; -1 = the centre cell of home_region */
    int32_t home_region;       /* region index, -1 if cell is given */
    pk_task task;
    int32_t target_region;     /* -1 = home region */
    int32_t radius_cells;      /* influence radius */
    char name[PK_NAME_MAX];    /* "PAKBATT 1"; may be empty */
} pk_unit_def;
pk_unit_def pk_unit_def_default(void);

typedef struct pk_world_def {
    uint64_t seed;
    int32_t scale;              /* persons per civilian agent, >= 1 */
    const pk_map *map;          /* copied; the caller keeps ownership */
    int32_t n_groups;
    pk_group_def groups[PK_MAX_GROUPS];
    int32_t n_factions;
    pk_faction_def factions[PK_MAX_FACTIONS];
    double params[PK_PARAM_COUNT];
    int32_t n_links;
    pk_link_def links[PK_MAX_LINKS];
    /* NULL: the mission-area model. Else Epstein's civil-violence model (pkosim/epstein.h):
     * map, groups and factions are then ignored (a synthetic grid is built); copied. */
    const struct pk_epstein_def *epstein;
} pk_world_def;
/* A definition with every parameter at its default, seed 1, scale 1, no map. */
pk_world_def pk_world_def_default(void);

/* ---------------------------------------------------------------- creation */

/* Build a world from def. On bad data returns NULL and fills err (PK_ERR_INPUT);
 * on allocation failure returns NULL with err->msg saying so. Caller frees. */
pk_world *pk_world_create(const pk_world_def *def, pk_error *err);
void pk_world_destroy(pk_world *w);

/* ---------------------------------------------------------------- commands */

typedef enum pk_command_type {
    PK_CMD_ADD_UNIT = 0,   /* unit_def -> creates the unit with id `unit` (reserved) */
    PK_CMD_REMOVE_UNIT,    /* unit */
    PK_CMD_SET_TASK,       /* unit, task, region = target region */
    PK_CMD_SET_PARAM,      /* key = pk_param, value */
    PK_CMD_SET_FACTION,    /* faction, key = pk_faction_field, value */
    PK_CMD_SET_REGION,     /* region, key = pk_region_field, value */
    PK_CMD_INJECT,         /* a scripted inject: an event with text, region, faction */
    PK_CMD_LOG,            /* a message from a script; becomes a "log" event */
    PK_CMD_MISINFORMATION, /* faction (an armed group) misinforms against target `key` (a faction) in region
                              (-1: wherever it has bands) with strength `value` in [0,1] (0 stops it) */
    PK_CMD_TYPE_COUNT
} pk_command_type;

typedef enum pk_faction_field {
    PK_FACTION_FUNDING_SHARE = 0,
    PK_FACTION_CONSENT,      /* host consent to this faction, [0,1] (a scripted political decision) */
    PK_FACTION_ROE,          /* value = pk_roe */
    PK_FACTION_EXIT_DAY,     /* value = the last day its units stay (0 = they stay) */
    PK_FACTION_GAP_COVERED,  /* share of its unfunded cost donors cover, [0,1] */
    PK_FACTION_MANDATE,      /* task = pk_mandate_task, value = its priority (0 = not mandated) */
    PK_FACTION_FIELD_COUNT
} pk_faction_field;

typedef enum pk_region_field {
    PK_REGION_SERVICES = 0,  /* host-government service level, [0,1] */
    PK_REGION_NEEDS_MET,     /* share of needs met, [0,1] */
    PK_REGION_VIOLENCE,      /* add to recent violence (an inject) */
    PK_REGION_FOOD,          /* level of one need met, [0,1] (the six needs of DESIGN §2.1) */
    PK_REGION_WATER,         /* water and sanitation */
    PK_REGION_HEALTH,
    PK_REGION_SHELTER,
    PK_REGION_EDUCATION,
    PK_REGION_RESOURCES,     /* USD a day an armed group extracts here at full control, [0, 1e9] */
    PK_REGION_FIELD_COUNT
} pk_region_field;

typedef struct pk_command {
    pk_command_type type;
    int32_t day;          /* filled by the world: the day boundary it is applied at */
    int32_t after_step;   /* filled by the world: 1 if pk_world_flush applied it after day `day` */
    pk_unit_id unit;
    pk_unit_def unit_def;
    int32_t faction;
    int32_t region;
    int32_t key;
    int32_t task;
    double value;
    char text[160];
} pk_command;

/* Queue a command; it is applied at the start of the next pk_world_step, in the order
 * queued. For PK_CMD_ADD_UNIT the new unit's id is reserved now and returned (and
 * written to cmd->unit in the log); for others the return is the null id.
 * Bad commands (unknown unit, out-of-range values) are rejected with PK_ERR_INPUT and
 * a message in err; nothing is queued then. */
pk_status pk_world_command(pk_world *w, const pk_command *cmd, pk_unit_id *out_id, pk_error *err);

/* Commands queued and not yet applied. */
size_t pk_world_pending(const pk_world *w);

/* The commands queued and not yet applied, in order (the scenario's initial units before
 * the first day, say). Valid until the next change. */
const pk_command *pk_world_pending_commands(const pk_world *w, size_t *count);

/* Every command applied so far, in order, with the day it was applied at; the replay
 * log. Valid until the next change. */
const pk_command *pk_world_command_log(const pk_world *w, size_t *count);

/* ---------------------------------------------------------------- the day tick */

/* Advance one day: apply queued commands, then run the phases of DESIGN §3 in order. */
void pk_world_step(pk_world *w);
/* Apply the queued commands now, after the current day, without simulating a day: for
 * what happens at the end of a run (the scenario's on_end hook). They are logged with
 * the current day and after_step = 1, so a replay applies them after that day's step. */
void pk_world_flush(pk_world *w);
/* Days completed so far (0 before the first step). */
int32_t pk_world_day(const pk_world *w);

/* ---------------------------------------------------------------- events */

typedef enum pk_event_type {
    PK_EV_LOG = 0,          /* a script's message */
    PK_EV_INJECT,           /* a scripted or live inject */
    PK_EV_UNIT_ADDED,
    PK_EV_UNIT_REMOVED,
    PK_EV_ATTACK_CIVILIANS, /* armed group or security force kills civilians */
    PK_EV_CLASH,            /* armed clash between forces */
    PK_EV_AMBUSH,           /* ambush / IED on a moving unit */
    PK_EV_COMMUNAL,         /* inter-group violence */
    PK_EV_DISPLACEMENT,     /* civilians flee a region */
    PK_EV_RETURN,           /* civilians return */
    PK_EV_ARREST,
    PK_EV_RECRUITMENT,
    PK_EV_AID,              /* aid delivered */
    PK_EV_UNIT_DESTROYED,
    PK_EV_REFUGEES,         /* civilians cross the border out of the mission area */
    PK_EV_EXCESS_DEATHS,    /* deaths from unmet needs (health, food, water) among the displaced */
    PK_EV_BASE_RAID,        /* an armed band raids a base or post of a mission or the government */
    PK_EV_CONVOY_ATTACK,    /* an armed band attacks an aid convoy and loots it */
    PK_EV_MISINFORMATION,   /* a misinformation campaign starts, changes or stops */
    PK_EV_CONSENT_WITHDRAWN, /* the host government withdraws its consent to a mission */
    PK_EV_CONFUSION,        /* partners' units get in each other's way (poor coordination, unclear roles) */
    PK_EV_MISSION_EXIT,     /* a force leaves the mission area (exit day or consent withdrawn) */
    PK_EV_DDR,              /* fighters demobilised at a DDR site */
    PK_EV_BAND_FORMED,      /* an armed group forms a new band from its recruits */
    PK_EV_REDEPLOY,         /* a force re-plans and sends a unit to another region */
    PK_EV_COLLATERAL,       /* civilians killed in a force's operation against an armed group */
    PK_EV_TYPE_COUNT
} pk_event_type;

const char *pk_event_type_name(pk_event_type t);

typedef struct pk_event {
    int32_t day;
    pk_event_type type;
    int32_t region;       /* -1 if none */
    int32_t cell;         /* -1 if none */
    int32_t faction;      /* perpetrator / actor faction, -1 if none */
    int32_t target_faction; /* victim faction, -1 if none */
    int32_t group;        /* civilian group concerned (the victims' for violence), -1 if none */
    int32_t by_group;     /* civilian group of the perpetrators (communal violence), -1 if none */
    int32_t count;        /* persons killed / displaced / recruited ... */
    pk_unit_id unit;
    char text[160];       /* scripts' messages and injects; empty otherwise */
} pk_event;

/* All events so far in order. Valid until the next pk_world_step or restore. */
const pk_event *pk_world_events(const pk_world *w, size_t *count);

/* ---------------------------------------------------------------- causes ("why did it happen?") */

/* The indicators whose every change is logged with its causes. */
typedef enum pk_cause_indicator {
    PK_CI_TRUST = 0,    /* trust of group g in region r toward faction f */
    PK_CI_LEGITIMACY,   /* legitimacy of the host government (faction f) perceived by group g in region r */
    PK_CI_NEEDS_MET,    /* needs met in region r (group -1); faction = the provider when there is one */
    PK_CI_COUNT
} pk_cause_indicator;

typedef enum pk_cause_code {
    PK_CAUSE_PRESENCE = 0, /* the faction's units present and working in the region */
    PK_CAUSE_VIOLENCE,     /* the faction killed members of the group there */
    PK_CAUSE_INSECURITY,   /* violence the present faction did not stop; for needs: safety lost to violence */
    PK_CAUSE_SYMPATHY,     /* the group's sympathy for an armed group */
    PK_CAUSE_AID,          /* aid delivered */
    PK_CAUSE_ENGAGEMENT,   /* community engagement (task engage) */
    PK_CAUSE_MISINFORMATION,
    PK_CAUSE_SERVICES,     /* government services (for needs: what they provide, against needs) */
    PK_CAUSE_INCLUSION,    /* political inclusion of the group */
    PK_CAUSE_POLICY,       /* the government's legitimacy parameter changed (a script) */
    PK_CAUSE_SCENARIO,     /* a script set the value directly (sim.set_region) */
    PK_CAUSE_ASSOCIATION,  /* a partner's acts, credited to this faction (link association) */
    PK_CAUSE_IMPARTIALITY, /* the faction enforced against the armed group the civilians support */
    PK_CAUSE_HIGH_HANDEDNESS, /* the faction's high-handed conduct */
    PK_CAUSE_CONFUSION,    /* partners visibly working at cross purposes */
    PK_CAUSE_WORKS,        /* engineers repairing water and roads, medical units treating */
    PK_CAUSE_COUNT
} pk_cause_code;

/* One aggregated change: the change of `indicator` for (region, group, faction) on `day`
 * due to `cause`, summed over the day; `event` is the index (in pk_world_events) of an
 * event behind it, -1 if none. The causes of one (day, indicator, region, group, faction)
 * sum to that day's change of the value. */
typedef struct pk_cause {
    int32_t day;
    int16_t region;
    int8_t group, faction;  /* -1: none */
    uint8_t indicator;      /* pk_cause_indicator */
    uint8_t cause;          /* pk_cause_code */
    uint16_t reserved;
    float amount;
    int32_t event;
} pk_cause;

const char *pk_cause_indicator_name(pk_cause_indicator i); /* "trust", "legitimacy", "needs_met" */
const char *pk_cause_name(pk_cause_code c);                /* "presence", "violence", ... */
/* All cause records so far in order. Valid until the next pk_world_step or restore. */
const pk_cause *pk_world_causes(const pk_world *w, size_t *count);

/* ---------------------------------------------------------------- indicators */

typedef enum pk_indicator_kind {
    PK_IND_LEVEL = 0, /* state at the end of the day */
    PK_IND_COUNT      /* what happened during the day; summed into totals */
} pk_indicator_kind;

/* Indicators are columns: the global names of DESIGN §5 then trust.<faction> and
 * freedom_of_movement.<faction> for every faction. */
int32_t pk_world_indicator_count(const pk_world *w);
const char *pk_world_indicator_name(const pk_world *w, int32_t i);
pk_indicator_kind pk_world_indicator_kind(const pk_world *w, int32_t i);
/* Value at the end of the last day (counts: that day's number). */
double pk_world_indicator(const pk_world *w, int32_t i);
/* Sum over all days so far (meaningful for counts). */
double pk_world_indicator_total(const pk_world *w, int32_t i);
/* Index of the indicator with this name, or -1. */
int32_t pk_world_indicator_find(const pk_world *w, const char *name);

/* ---------------------------------------------------------------- read access */

typedef struct pk_world_info {
    int32_t width, height, n_cells, n_regions, n_groups, n_factions;
    int32_t n_agents, scale;
    uint64_t seed;
} pk_world_info;
pk_world_info pk_world_get_info(const pk_world *w);

const pk_map *pk_world_map(const pk_world *w);
const pk_faction_def *pk_world_faction(const pk_world *w, int32_t faction);
int32_t pk_world_find_faction(const pk_world *w, const char *id);
const pk_group_def *pk_world_group(const pk_world *w, int32_t group);
int32_t pk_world_find_group(const pk_world *w, const char *id);
double pk_world_param(const pk_world *w, pk_param p);

/* Agent arrays (struct of arrays), each of length n_agents. */
typedef struct pk_agents_view {
    int32_t count;
    const uint8_t *group;
    const uint8_t *state;      /* pk_agent_state */
    const int32_t *home_cell;
    const int32_t *cell;
    const float *risk_aversion;
} pk_agents_view;
pk_agents_view pk_world_agents(const pk_world *w);

/* A unit's state. Returns 0 and leaves *out alone if id is stale or null. */
typedef struct pk_unit_state {
    pk_unit_id id;
    int32_t faction;
    pk_unit_type type;
    pk_task task;
    int32_t strength;
    float readiness;
    int32_t cell, target_region, radius_cells;
    char name[PK_NAME_MAX];
    int32_t deployed;          /* 0 before its faction's deploy_day: not yet in the mission area */
} pk_unit_state;
int pk_world_unit(const pk_world *w, pk_unit_id id, pk_unit_state *out);
/* Live units in slot order: fills up to max states, returns the total live count. */
int32_t pk_world_units(const pk_world *w, pk_unit_state *out, int32_t max);

/* Region-level state, [0,1] unless said. */
double pk_world_region_needs_met(const pk_world *w, int32_t region);
double pk_world_region_violence(const pk_world *w, int32_t region); /* decaying incident score */
double pk_world_region_services(const pk_world *w, int32_t region);
/* Trust of group g in region r toward faction f. */
double pk_world_trust(const pk_world *w, int32_t group, int32_t region, int32_t faction);
/* The six needs of DESIGN §2.1, in this order; needs_met is their weighted mean. */
enum { PK_NEED_FOOD = 0, PK_NEED_WATER, PK_NEED_HEALTH, PK_NEED_SHELTER, PK_NEED_EDUCATION, PK_NEED_SAFETY, PK_NEED_COUNT };
const char *pk_need_name(int need); /* "food", "water", "health", "shelter", "education", "safety" */
double pk_world_region_need(const pk_world *w, int32_t region, int need);
/* Armed groups' control of region r, [0,1]. */
double pk_world_region_control(const pk_world *w, int32_t region);
/* Legitimacy of the host government as perceived by group g in region r, [0,1]. */
double pk_world_legitimacy(const pk_world *w, int32_t group, int32_t region);
/* Host consent to faction f, [0,1]; whether it was withdrawn (the mission must leave). */
double pk_world_consent(const pk_world *w, int32_t faction);
int pk_world_consent_withdrawn(const pk_world *w, int32_t faction);
/* An armed group's money (USD) and willingness to negotiate, [0,1]. */
double pk_world_funds(const pk_world *w, int32_t faction);
double pk_world_willingness(const pk_world *w, int32_t faction);
/* An armed group's enmity toward faction f, [0,1]: what it holds against f's operations. */
double pk_world_enmity(const pk_world *w, int32_t armed_group, int32_t faction);
/* Is faction f operating today (deployed, not exited, consent not withdrawn)? */
int pk_world_faction_operating(const pk_world *w, int32_t faction);

/* ---------------------------------------------------------------- hashing, save, restore */

/* A 64-bit hash of the whole simulation state (not of the event or command logs). */
uint64_t pk_world_hash(const pk_world *w);

/* Serialise the complete world (state, pending commands, logs) into a new buffer the
 * caller frees with free(). Returns PK_OK or PK_ERR_RUNTIME on allocation failure. */
pk_status pk_world_save(const pk_world *w, void **buf, size_t *size);
/* Rebuild a world from pk_world_save output. Bad or truncated data gives NULL and
 * PK_ERR_INPUT in err. */
pk_world *pk_world_restore(const void *buf, size_t size, pk_error *err);

#ifdef __cplusplus
}
#endif
#endif
