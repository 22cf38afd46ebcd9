/* pkosim/epstein.h — Epstein's civil-violence models (Epstein 2002, PNAS 99 suppl 3) as a
 * second kind of world: Model I (citizens and cops on a torus) and Model II (two groups
 * with inter-group killing and peacekeepers). A pk_world_def whose `epstein` field points
 * at one of these builds a synthetic map of width x height cells (one region "grid"); the
 * citizens are the world's agents, the cops / peacekeepers live in the model's own state.
 * Every rule and parameter is in docs/MODEL.md ("Epstein models") with its source.
 * Plain data: nothing here allocates. */
#ifndef PKOSIM_EPSTEIN_H
#define PKOSIM_EPSTEIN_H

#include <stdint.h>

#include "pkosim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pk_ep_neighbourhood {
    PK_EP_MOORE = 0,      /* the (2v+1)^2 square around the agent (Chebyshev radius v) */
    PK_EP_VON_NEUMANN,    /* the diamond |dx|+|dy| <= v (Mesa's get_neighborhood) */
    PK_EP_DISC            /* dx^2+dy^2 <= v^2 (NetLogo's `patches in-radius`) */
} pk_ep_neighbourhood;

typedef enum pk_ep_rounding {
    PK_EP_ROUND_NONE = 0, /* P = 1 - exp(-k C/A), as printed in Epstein 2002 */
    PK_EP_ROUND_FLOOR,    /* floor(C/A): NetLogo Rebellion */
    PK_EP_ROUND_HALF_EVEN /* round(C/A), half to even: Mesa (Python's round) */
} pk_ep_rounding;

typedef enum pk_ep_schedule {
    PK_EP_LEGIT_CONSTANT = 0, /* legitimacy throughout */
    PK_EP_LEGIT_GRADUAL,      /* linear from legitimacy (day 1) to legitimacy_end (day `days`) */
    PK_EP_LEGIT_JUMP          /* legitimacy before jump_day, legitimacy_end from jump_day on */
} pk_ep_schedule;

typedef enum pk_ep_jail_draw {
    PK_EP_JAIL_BELOW_MAX = 0, /* uniform in 0..max_jail-1 (NetLogo `random max-jailterm`) */
    PK_EP_JAIL_UP_TO_MAX      /* uniform in 0..max_jail inclusive (Mesa `randint(0, max)`) */
} pk_ep_jail_draw;

typedef enum pk_ep_activation {
    PK_EP_RANDOM_SEQUENTIAL = 0, /* Epstein's: every agent acts in turn, one shuffled order a step */
    PK_EP_PARALLEL               /* synchronous phases; any thread count gives the same result */
} pk_ep_activation;

typedef struct pk_epstein_def {
    int32_t model;               /* 1 or 2 */
    int32_t width, height;       /* cells of the torus, each 3..20000 */
    double citizen_density;      /* citizens per cell, [0,1] */
    double cop_density;          /* Model I: cops per cell; citizen + cop density <= 1 */
    int32_t vision;              /* radius in cells, 1..20 */
    pk_ep_neighbourhood neighbourhood;
    double legitimacy;           /* L in [0,1] (Model II: the legitimacy each group accords the other) */
    double legitimacy_end;       /* target of the gradual and jump schedules */
    pk_ep_schedule legitimacy_schedule;
    int32_t jump_day;            /* first day with legitimacy_end under the jump schedule */
    int32_t days;                /* length of the gradual schedule, days (>= 1) */
    int32_t max_jail;            /* steps, 0..65535 */
    pk_ep_jail_draw jail_draw;
    double threshold;            /* T */
    double k;                    /* arrest-probability constant */
    pk_ep_rounding arrest_rounding;
    int movement;                /* 1: agents move to a random empty cell in vision each step */
    pk_ep_activation activation;
    /* Model II */
    double group_share;          /* share of citizens in the first group ("blue"), (0,1) */
    double peacekeeper_density;  /* peacekeepers per cell (Model II's cops) */
    int32_t withdraw_day;        /* peacekeepers leave at the start of this day; 0 = never */
} pk_epstein_def;

/* Model I with NetLogo Rebellion's defaults: 40x40, citizens 0.7, cops 0.04, vision 7 Moore,
 * legitimacy 0.82 constant, max jail 30 (0..29), T 0.1, k 2.3, floor, movement, random
 * sequential activation; Model II fields: group_share 0.5, peacekeepers 0, never withdrawn. */
pk_epstein_def pk_epstein_def_default(void);

/* Check a definition; PK_ERR_INPUT with the field in err->path when a value is out of range. */
pk_status pk_epstein_def_check(const pk_epstein_def *d, pk_error *err);

/* Names of the enumerations (NULL when out of range) and back (-1 when unknown). */
const char *pk_ep_neighbourhood_name(pk_ep_neighbourhood n);
int pk_ep_neighbourhood_from_name(const char *s);
const char *pk_ep_rounding_name(pk_ep_rounding r);
int pk_ep_rounding_from_name(const char *s);
const char *pk_ep_schedule_name(pk_ep_schedule s);
int pk_ep_schedule_from_name(const char *s);
const char *pk_ep_jail_draw_name(pk_ep_jail_draw j);
int pk_ep_jail_draw_from_name(const char *s);
const char *pk_ep_activation_name(pk_ep_activation a);
int pk_ep_activation_from_name(const char *s);

struct pk_world;
/* The Epstein definition of a world (owned by the world), or NULL for the mission-area model. */
const pk_epstein_def *pk_world_epstein(const struct pk_world *w);
/* Worker threads for the parallel activation (1 = none, the default). Results do not
 * depend on it. The pool is created on first use and joined by pk_world_destroy. */
void pk_world_set_threads(struct pk_world *w, int threads);
/* The threads a step uses: those set for the parallel activation, else 1 (Epstein's random
 * sequential activation and the mission-area model run on one). */
int pk_world_threads(const struct pk_world *w);
/* Cops (Model I) or peacekeepers (Model II) on the grid now, and their cells (owned by
 * the world, valid until the next step). */
int32_t pk_world_epstein_cops(const struct pk_world *w, const int32_t **cells);
/* Legitimacy in force on day `day` under the schedule. */
double pk_epstein_legitimacy(const pk_epstein_def *d, int32_t day);

#ifdef __cplusplus
}
#endif
#endif
