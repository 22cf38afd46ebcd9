/* world.c — creation and destruction of the world, the command queue, unit ids, events,
 * read access and the day step. The only place that changes the world is a phase called
 * from pk_world_step, and outside changes arrive only through pk_world_command. Plain
 * C11: no Lua, no SDL, no file I/O, no clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world_internal.h"

/* ------------------------------------------------------------------ names */

static const char *const faction_kind_names[PK_FACTION_KIND_COUNT] = {
    "un", "regional", "hrpm", "host_gov", "armed_group", "humanitarian"};
static const char *const unit_type_names[PK_UNIT_TYPE_COUNT] = {
    "infantry", "fpu", "observers", "engineers", "medical", "aviation", "civil_affairs",
    "human_rights", "humanitarian", "gov_army", "gov_police", "armed_band"};
static const char *const task_names[PK_TASK_COUNT] = {
    "idle", "patrol", "protect", "escort", "offensive", "ddr", "aid", "engage", "observe", "repair", "raid"};
static const char *const agent_state_names[PK_AGENT_STATE_COUNT] = {
    "home", "displaced", "camp", "active", "jailed", "recruited", "dead", "refugee"};
static const char *const event_type_names[PK_EV_TYPE_COUNT] = {
    "log", "inject", "unit_added", "unit_removed", "attack_civilians", "clash", "ambush",
    "communal_violence", "displacement", "return", "arrest", "recruitment", "aid", "unit_destroyed",
    "refugees", "excess_deaths", "base_raid", "convoy_attack", "misinformation", "consent_withdrawn",
    "confusion", "mission_exit", "ddr", "band_formed", "redeploy", "collateral"};
static const char *const cause_indicator_names[PK_CI_COUNT] = {"trust", "legitimacy", "needs_met"};
static const char *const cause_names[PK_CAUSE_COUNT] = {
    "presence", "violence", "insecurity", "sympathy", "aid", "engagement", "misinformation",
    "services", "inclusion", "policy", "scenario", "association", "impartiality", "high_handedness",
    "confusion", "works"};
static const char *const roe_names[PK_ROE_COUNT] = {"self_defence", "defence_of_mandate", "offensive"};
static const char *const mandate_names[PK_MANDATE_COUNT] = {
    "poc", "political", "humanitarian_access", "protection_of_mission", "human_rights", "rule_of_law",
    "ddr", "elections", "disaster_response", "engagement", "enforcement"};
static const char *const relation_names[PK_REL_COUNT] = {"parallel", "support", "sequence", "joint", "coordinates"};
static const char *const need_names[PK_NEED_COUNT] = {"food", "water", "health", "shelter", "education", "safety"};

static int find_name(const char *const *names, int n, const char *s) {
    if (!s) return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0) return i;
    return -1;
}

const char *pk_faction_kind_name(pk_faction_kind k) {
    return (unsigned)k < PK_FACTION_KIND_COUNT ? faction_kind_names[k] : NULL;
}
int pk_faction_kind_from_name(const char *s) { return find_name(faction_kind_names, PK_FACTION_KIND_COUNT, s); }
const char *pk_unit_type_name(pk_unit_type t) {
    return (unsigned)t < PK_UNIT_TYPE_COUNT ? unit_type_names[t] : NULL;
}
int pk_unit_type_from_name(const char *s) { return find_name(unit_type_names, PK_UNIT_TYPE_COUNT, s); }
const char *pk_task_name(pk_task t) { return (unsigned)t < PK_TASK_COUNT ? task_names[t] : NULL; }
int pk_task_from_name(const char *s) { return find_name(task_names, PK_TASK_COUNT, s); }
const char *pk_agent_state_name(pk_agent_state s) {
    return (unsigned)s < PK_AGENT_STATE_COUNT ? agent_state_names[s] : NULL;
}
const char *pk_event_type_name(pk_event_type t) {
    return (unsigned)t < PK_EV_TYPE_COUNT ? event_type_names[t] : NULL;
}
const char *pk_cause_indicator_name(pk_cause_indicator i) {
    return (unsigned)i < PK_CI_COUNT ? cause_indicator_names[i] : NULL;
}
const char *pk_cause_name(pk_cause_code c) { return (unsigned)c < PK_CAUSE_COUNT ? cause_names[c] : NULL; }
const char *pk_roe_name(pk_roe r) { return (unsigned)r < PK_ROE_COUNT ? roe_names[r] : NULL; }
int pk_roe_from_name(const char *s) { return find_name(roe_names, PK_ROE_COUNT, s); }
const char *pk_mandate_task_name(pk_mandate_task m) { return (unsigned)m < PK_MANDATE_COUNT ? mandate_names[m] : NULL; }
int pk_mandate_task_from_name(const char *s) { return find_name(mandate_names, PK_MANDATE_COUNT, s); }
const char *pk_relation_name(pk_relation r) { return (unsigned)r < PK_REL_COUNT ? relation_names[r] : NULL; }
int pk_relation_from_name(const char *s) { return find_name(relation_names, PK_REL_COUNT, s); }

/* Who can do what (docs/MODEL.md "Who can do what"): soldiers fight, protect, escort and
 * secure DDR sites; formed police keep public order, protect, escort and engage, but do
 * not run offensives; unarmed observers only observe, report and engage; engineers
 * repair; medical units treat (aid); civilian components engage, observe, run DDR;
 * humanitarian teams deliver aid. */
static const uint16_t unit_tasks[PK_UNIT_TYPE_COUNT] = {
#define T_(t) (1u << PK_TASK_##t)
    /* infantry */ T_(IDLE) | T_(PATROL) | T_(PROTECT) | T_(ESCORT) | T_(OFFENSIVE) | T_(DDR) | T_(ENGAGE) | T_(OBSERVE) | T_(REPAIR) | T_(AID),
    /* fpu */ T_(IDLE) | T_(PATROL) | T_(PROTECT) | T_(ESCORT) | T_(ENGAGE) | T_(OBSERVE) | T_(DDR),
    /* observers */ T_(IDLE) | T_(PATROL) | T_(OBSERVE) | T_(ENGAGE),
    /* engineers */ T_(IDLE) | T_(REPAIR) | T_(PROTECT) | T_(AID),
    /* medical */ T_(IDLE) | T_(AID),
    /* aviation */ T_(IDLE) | T_(PATROL) | T_(OFFENSIVE) | T_(ESCORT) | T_(OBSERVE) | T_(AID),
    /* civil_affairs */ T_(IDLE) | T_(ENGAGE) | T_(OBSERVE) | T_(DDR),
    /* human_rights */ T_(IDLE) | T_(OBSERVE) | T_(ENGAGE),
    /* humanitarian */ T_(IDLE) | T_(AID) | T_(ENGAGE),
    /* gov_army */ T_(IDLE) | T_(PATROL) | T_(PROTECT) | T_(ESCORT) | T_(OFFENSIVE) | T_(REPAIR) | T_(AID),
    /* gov_police */ T_(IDLE) | T_(PATROL) | T_(PROTECT) | T_(ESCORT) | T_(ENGAGE) | T_(OBSERVE),
    /* armed_band */ T_(IDLE) | T_(RAID) | T_(PATROL) | T_(PROTECT) | T_(OFFENSIVE),
#undef T_
};
int pk_unit_can(pk_unit_type type, pk_task task) {
    if ((unsigned)type >= PK_UNIT_TYPE_COUNT || (unsigned)task >= PK_TASK_COUNT) return 0;
    return (unit_tasks[type] >> task) & 1u;
}
const char *pk_need_name(int k) { return (unsigned)k < PK_NEED_COUNT ? need_names[k] : NULL; }

/* ------------------------------------------------------------------ parameters */

static const pk_param_info param_infos[PK_PARAM_COUNT] = {
#define PK_X_INFO(e, n, d, lo, hi) {n, d, lo, hi},
    PK_PARAM_LIST(PK_X_INFO)
#undef PK_X_INFO
};

const pk_param_info *pk_param_info_get(pk_param p) {
    return (unsigned)p < PK_PARAM_COUNT ? &param_infos[p] : NULL;
}

int pk_param_find(const char *name) {
    for (int i = 0; name && i < PK_PARAM_COUNT; i++)
        if (strcmp(param_infos[i].name, name) == 0) return i;
    return -1;
}

/* ------------------------------------------------------------------ defaults */

pk_group_def pk_group_def_default(void) {
    pk_group_def d;
    memset(&d, 0, sizeof d);
    d.risk_aversion_mean = 0.5f;
    d.sympathises_with = -1;
    d.inclusion = 0.5f;
    return d;
}

pk_faction_def pk_faction_def_default(void) {
    pk_faction_def d;
    memset(&d, 0, sizeof d);
    d.kind = PK_FACTION_UN;
    d.color_rgb = 0x808080;
    d.funding_share = 1.0;
    d.initial_trust = 0.5;
    d.roe = PK_ROE_DEFENCE_OF_MANDATE;
    d.deploy_day = 1;
    d.command_latency = 1;
    d.context = d.influence = d.heaviness = 0.5f;
    d.standardisation = 1.0f;
    return d;
}

pk_link_def pk_link_def_default(void) {
    pk_link_def d;
    memset(&d, 0, sizeof d);
    d.a = d.b = -1;
    d.coordination = d.role_clarity = 0.5f;
    d.association = 0.3f;
    return d;
}

pk_unit_def pk_unit_def_default(void) {
    pk_unit_def d;
    memset(&d, 0, sizeof d);
    d.faction = 0;
    d.type = PK_UNIT_INFANTRY;
    d.strength = 100;
    d.readiness = 1.0f;
    d.cell = -1;
    d.home_region = -1;
    d.task = PK_TASK_IDLE;
    d.target_region = -1;
    d.radius_cells = 5;
    return d;
}

pk_world_def pk_world_def_default(void) {
    pk_world_def d;
    memset(&d, 0, sizeof d);
    d.seed = 1;
    d.scale = 1;
    for (int i = 0; i < PK_PARAM_COUNT; i++) d.params[i] = param_infos[i].def;
    return d;
}

uint64_t pk__key(const pk_world *w, const char *purpose) { return pk_rng_key(w->def.seed, purpose); }

/* ------------------------------------------------------------------ creation */

static pk_map *map_copy(const pk_map *src) {
    pk_map *m = pk_map_create(src->width, src->height);
    if (!m) return NULL;
    size_t n = (size_t)src->width * (size_t)src->height;
    m->cell_km = src->cell_km;
    m->lon0 = src->lon0;
    m->lat0 = src->lat0;
    m->dlon = src->dlon;
    m->dlat = src->dlat;
    memcpy(m->terrain, src->terrain, n);
    memcpy(m->road, src->road, n);
    memcpy(m->region, src->region, n * sizeof *m->region);
    for (int32_t r = 0; r < src->n_regions; r++)
        if (pk_map_add_region(m, src->regions[r].id, src->regions[r].name) < 0) goto fail;
    for (int32_t s = 0; s < src->n_sites; s++)
        if (pk_map_add_site(m, &src->sites[s]) < 0) goto fail;
    return m;
fail:
    pk_map_free(m);
    return NULL;
}

static int indicators_init(pk_world *w);


static size_t at_least_one(size_t n) { return n > 0 ? n : 1u; }
#define PK_ALLOC(ptr, n) (((ptr) = calloc(at_least_one((size_t)(n)), sizeof *(ptr))) != NULL)

static pk_status validate_def(const pk_world_def *def, pk_error *err) {
    if (!def->map) return pk_error_set(err, NULL, 0, "map", "a world needs a map");
    const pk_map *m = def->map;
    if (m->width <= 0 || m->height <= 0 || m->n_regions <= 0)
        return pk_error_set(err, NULL, 0, "map", "expected a map with cells and at least one region");
    if (def->scale < 1) return pk_error_set(err, NULL, 0, "scale", "expected scale >= 1, got %d", def->scale);
    if (def->n_groups < 0 || def->n_groups > PK_MAX_GROUPS)
        return pk_error_set(err, NULL, 0, "groups", "expected 0..%d civilian groups, got %d", PK_MAX_GROUPS, def->n_groups);
    if (def->n_factions < 0 || def->n_factions > PK_MAX_FACTIONS)
        return pk_error_set(err, NULL, 0, "factions", "expected 0..%d factions, got %d", PK_MAX_FACTIONS, def->n_factions);
    for (int p = 0; p < PK_PARAM_COUNT; p++) {
        double v = def->params[p];
        if (!(v >= param_infos[p].min && v <= param_infos[p].max))
            return pk_error_set(err, NULL, 0, "model", "%s: expected a value in [%g, %g], got %g", param_infos[p].name,
                                param_infos[p].min, param_infos[p].max, v);
    }
    for (int f = 0; f < def->n_factions; f++) {
        const pk_faction_def *fd = &def->factions[f];
        if ((unsigned)fd->kind >= PK_FACTION_KIND_COUNT)
            return pk_error_set(err, NULL, 0, "factions", "faction %d: unknown kind", f);
        if (!(fd->funding_share >= 0 && fd->funding_share <= 1) || !(fd->initial_trust >= 0 && fd->initial_trust <= 1))
            return pk_error_set(err, NULL, 0, "factions", "faction '%s': funding_share and initial_trust must be in [0, 1]", fd->id);
        for (int g = 0; g < f; g++)
            if (strcmp(def->factions[g].id, fd->id) == 0)
                return pk_error_set(err, NULL, 0, "factions", "duplicate faction id '%s'", fd->id);
        if ((unsigned)fd->roe >= PK_ROE_COUNT) return pk_error_set(err, NULL, 0, "factions", "faction '%s': unknown roe", fd->id);
        for (int t = 0; t < PK_MANDATE_COUNT; t++)
            if (fd->mandate[t] < 0 || fd->mandate[t] > PK_MANDATE_COUNT)
                return pk_error_set(err, NULL, 0, "factions", "faction '%s': mandate priorities must be 0..%d", fd->id,
                                    PK_MANDATE_COUNT);
        if (fd->deploy_day < 1 || fd->exit_day < 0 || (fd->exit_day > 0 && fd->exit_day < fd->deploy_day))
            return pk_error_set(err, NULL, 0, "factions", "faction '%s': expected deploy_day >= 1 and exit_day 0 or >= deploy_day", fd->id);
        if (fd->command_latency < 1 || fd->command_latency > 365)
            return pk_error_set(err, NULL, 0, "factions", "faction '%s': expected command_latency in 1..365 days", fd->id);
        const float unit_fields[] = {fd->context, fd->influence, fd->standardisation, fd->heaviness,
                                     fd->high_handedness, fd->gap_covered, fd->support};
        for (size_t i = 0; i < sizeof unit_fields / sizeof unit_fields[0]; i++)
            if (!(unit_fields[i] >= 0.f && unit_fields[i] <= 1.f))
                return pk_error_set(err, NULL, 0, "factions", "faction '%s': partnership parameters must be in [0, 1]", fd->id);
        if (!(fd->hq_cost >= 0 && fd->hq_cost <= 1e9))
            return pk_error_set(err, NULL, 0, "factions", "faction '%s': expected hq_cost in [0, 1e9]", fd->id);
    }
    if (def->n_links < 0 || def->n_links > PK_MAX_LINKS)
        return pk_error_set(err, NULL, 0, "links", "expected 0..%d links, got %d", PK_MAX_LINKS, def->n_links);
    for (int i = 0; i < def->n_links; i++) {
        const pk_link_def *l = &def->links[i];
        if (l->a < 0 || l->a >= def->n_factions || l->b < 0 || l->b >= def->n_factions || l->a == l->b)
            return pk_error_set(err, NULL, 0, "links", "link %d: expected two different factions", i + 1);
        if ((unsigned)l->relation >= PK_REL_COUNT) return pk_error_set(err, NULL, 0, "links", "link %d: unknown relation", i + 1);
        if (!(l->coordination >= 0.f && l->coordination <= 1.f) || !(l->role_clarity >= 0.f && l->role_clarity <= 1.f) ||
            !(l->association >= 0.f && l->association <= 1.f))
            return pk_error_set(err, NULL, 0, "links", "link %d: coordination, role_clarity and association must be in [0, 1]", i + 1);
    }
    int64_t agents = 0;
    for (int g = 0; g < def->n_groups; g++) {
        const pk_group_def *gd = &def->groups[g];
        if (gd->sympathises_with >= def->n_factions)
            return pk_error_set(err, NULL, 0, "groups", "group '%s': sympathises_with names no faction", gd->id);
        if (!(gd->inclusion >= 0.f && gd->inclusion <= 1.f))
            return pk_error_set(err, NULL, 0, "groups", "group '%s': inclusion must be in [0, 1]", gd->id);
        for (int r = 0; r < m->n_regions; r++) {
            if (gd->agents_per_region[r] < 0)
                return pk_error_set(err, NULL, 0, "groups", "group '%s': negative agent count", gd->id);
            agents += gd->agents_per_region[r];
        }
        for (int h = 0; h < g; h++)
            if (strcmp(def->groups[h].id, gd->id) == 0)
                return pk_error_set(err, NULL, 0, "groups", "duplicate group id '%s'", gd->id);
    }
    if (agents > 200000000)
        return pk_error_set(err, NULL, 0, "population", "expected at most 200 million agents, got %lld", (long long)agents);
    /* persons (agents x scale) are counted in int32 (kills, flight, recruits joining a
     * band): keep them well inside its range */
    if (agents * (int64_t)def->scale > 1000000000)
        return pk_error_set(err, NULL, 0, "scale", "expected at most 1e9 persons (agents x scale), got %lld",
                            (long long)(agents * (int64_t)def->scale));
    return PK_OK;
}

/* Place agents: each group's agents in each region on uniformly drawn passable cells. */
static pk_status place_agents(pk_world *w, pk_error *err) {
    const pk_map *m = w->map;
    int32_t R = w->n_regions;
    /* cells of each region, passable only (water excluded), as one CSR list */
    int32_t *start = NULL, *fill = NULL, *cells = NULL;
    if (!PK_ALLOC(start, R + 1) || !PK_ALLOC(fill, R) || !PK_ALLOC(cells, w->n_cells)) {
        free(cells);
        free(start);
        free(fill);
        return pk_error_set(err, NULL, 0, NULL, "out of memory placing agents");
    }
    for (int32_t c = 0; c < w->n_cells; c++)
        if (m->region[c] >= 0 && m->terrain[c] != PK_TERRAIN_WATER) start[m->region[c] + 1]++;
    for (int32_t r = 0; r < R; r++) start[r + 1] += start[r];
    for (int32_t c = 0; c < w->n_cells; c++) {
        int32_t r = m->region[c];
        if (r >= 0 && m->terrain[c] != PK_TERRAIN_WATER) cells[start[r] + fill[r]++] = c;
    }
    pk_rng rng;
    pk_rng_init(&rng, pk__key(w, "population.place"));
    int32_t a = 0;
    pk_status st = PK_OK;
    for (int32_t g = 0; g < w->n_groups && st == PK_OK; g++) {
        const pk_group_def *gd = &w->def.groups[g];
        for (int32_t r = 0; r < R; r++) {
            int32_t n = gd->agents_per_region[r];
            int32_t ncell = start[r + 1] - start[r];
            if (n > 0 && ncell == 0) {
                st = pk_error_set(err, NULL, 0, "population", "group '%s' has agents in region '%s', which has no land cells",
                                  gd->id, m->regions[r].id);
                break;
            }
            for (int32_t i = 0; i < n; i++, a++) {
                int32_t c = cells[start[r] + (int32_t)pk_rng_below(&rng, (uint64_t)ncell)];
                w->a_group[a] = (uint8_t)g;
                w->a_state[a] = PK_AGENT_HOME;
                w->a_home[a] = c;
                w->a_cell[a] = c;
                /* risk aversion ~ U(0, 2*mean) clamped: mean 0.5 gives Epstein's U(0,1) */
                float ra = (float)(pk_rng_uniform(&rng) * 2.0 * gd->risk_aversion_mean);
                w->a_risk[a] = ra > 1.f ? 1.f : ra;
            }
        }
    }
    free(start);
    free(fill);
    free(cells);
    return st;
}

static void region_centres(pk_world *w) {
    const pk_map *m = w->map;
    int32_t R = w->n_regions;
    double *sx = calloc((size_t)R, sizeof *sx), *sy = calloc((size_t)R, sizeof *sy);
    double *best = calloc((size_t)R, sizeof *best);
    if (!sx || !sy || !best) {
        w->alloc_failed = 1;
        goto done;
    }
    for (int32_t c = 0; c < w->n_cells; c++) {
        int32_t r = m->region[c];
        if (r < 0) continue;
        sx[r] += c % m->width;
        sy[r] += c / m->width;
    }
    for (int32_t r = 0; r < R; r++) {
        if (w->region_cells[r]) {
            sx[r] /= w->region_cells[r];
            sy[r] /= w->region_cells[r];
        }
        best[r] = 1e300;
        w->region_centre[r] = -1;
    }
    for (int32_t c = 0; c < w->n_cells; c++) {
        int32_t r = m->region[c];
        if (r < 0 || m->terrain[c] == PK_TERRAIN_WATER) continue;
        double dx = c % m->width - sx[r], dy = c / m->width - sy[r];
        double d = dx * dx + dy * dy;
        if (d < best[r]) {
            best[r] = d;
            w->region_centre[r] = c;
        }
    }
done:
    free(sx);
    free(sy);
    free(best);
}

pk_world *pk_world_create(const pk_world_def *def, pk_error *err) {
    pk_error_clear(err);
    if (!def) {
        pk_error_set(err, NULL, 0, NULL, "no world definition");
        return NULL;
    }
    if (def->epstein) return pk__epstein_create(def, err); /* Epstein's models: engine/model/epstein.c */
    if (validate_def(def, err) != PK_OK) return NULL;
    pk_world *w = calloc(1, sizeof *w);
    if (!w) goto oom;
    w->def = *def;
    w->map = map_copy(def->map);
    if (!w->map) goto oom;
    w->def.map = w->map;
    memcpy(w->params, def->params, sizeof w->params);
    w->n_cells = w->map->width * w->map->height;
    w->n_regions = w->map->n_regions;
    w->n_groups = def->n_groups;
    w->n_factions = def->n_factions;
    int32_t R = w->n_regions, G = w->n_groups, F = w->n_factions;

    int64_t agents = 0;
    for (int g = 0; g < G; g++)
        for (int r = 0; r < R; r++) agents += def->groups[g].agents_per_region[r];
    w->n_agents = (int32_t)agents;

    if (!PK_ALLOC(w->adj, (size_t)R * R) || !PK_ALLOC(w->region_cells, R) || !PK_ALLOC(w->region_centre, R) ||
        !PK_ALLOC(w->services, R) || !PK_ALLOC(w->needs_met, R) || !PK_ALLOC(w->violence, R) ||
        !PK_ALLOC(w->insecurity, R) || !PK_ALLOC(w->active_prev, R) || !PK_ALLOC(w->security, R) ||
        !PK_ALLOC(w->armed, R) || !PK_ALLOC(w->population, R) || !PK_ALLOC(w->trust, (size_t)G * R * F) ||
        !PK_ALLOC(w->consent, F) || !PK_ALLOC(w->fom, F) || !PK_ALLOC(w->readiness_mean, F) ||
        !PK_ALLOC(w->cost_rate, F) || !PK_ALLOC(w->gap_rate, F) || !PK_ALLOC(w->a_group, w->n_agents) ||
        !PK_ALLOC(w->a_state, w->n_agents) || !PK_ALLOC(w->a_home, w->n_agents) ||
        !PK_ALLOC(w->a_cell, w->n_agents) || !PK_ALLOC(w->a_risk, w->n_agents) ||
        !PK_ALLOC(w->a_jail, w->n_agents) || !PK_ALLOC(w->recruit_pool, F) || !PK_ALLOC(w->reg_start, R + 1) ||
        !PK_ALLOC(w->reg_agents, w->n_agents) || !PK_ALLOC(w->kills, (size_t)F * R * G) || !PK_ALLOC(w->access, R) ||
        !PK_ALLOC(w->incidents, R) || !PK_ALLOC(w->alive_rg, (size_t)R * G) || !PK_ALLOC(w->active_rg, (size_t)R * G))
        goto oom;
    if (!PK_ALLOC(w->needs, (size_t)R * PK_NEED_COUNT) || !PK_ALLOC(w->resources, R) || !PK_ALLOC(w->control, R) ||
        !PK_ALLOC(w->legit, (size_t)G * R) || !PK_ALLOC(w->funds, F) || !PK_ALLOC(w->willingness, F) ||
        !PK_ALLOC(w->withdrawn, F) || !PK_ALLOC(w->misinfo, (size_t)F * F) || !PK_ALLOC(w->misinfo_region, (size_t)F * F) ||
        !PK_ALLOC(w->misinfo_event, (size_t)F * F) || !PK_ALLOC(w->kill_event, (size_t)F * R * G) ||
        !PK_ALLOC(w->aid_fr, (size_t)F * R) || !PK_ALLOC(w->losses_f, F) || !PK_ALLOC(w->services_prev, R) ||
        !PK_ALLOC(w->road_share, R) || !PK_ALLOC(w->enmity, (size_t)F * F) || !PK_ALLOC(w->enforce, (size_t)F * F) ||
        !PK_ALLOC(w->confused, (size_t)F * R) || !PK_ALLOC(w->assoc, (size_t)F * F) || !PK_ALLOC(w->guard, R) || !PK_ALLOC(w->cover, (size_t)F * R) ||
        !PK_ALLOC(w->reprisal, F))
        goto oom;

    pk_map_region_adjacency(w->map, w->adj);
    pk_map_region_cell_counts(w->map, w->region_cells);
    region_centres(w);
    if (w->alloc_failed) goto oom;
    for (int32_t r = 0; r < R; r++) {
        if (w->region_centre[r] < 0) {
            pk_error_set(err, NULL, 0, "map", "region '%s' has no land cells at this cell size",
                         w->map->regions[r].id);
            pk_world_destroy(w);
            return NULL;
        }
        w->services[r] = (float)w->params[PK_PARAM_SERVICE_LEVEL];
        /* needs start where services hold them; safety starts met */
        for (int k = 0; k < PK_NEED_COUNT; k++)
            w->needs[r * PK_NEED_COUNT + k] = k == PK_NEED_SAFETY ? 1.0f : (float)w->params[PK_PARAM_SERVICE_LEVEL];
        pk__needs_mean(w, r);
    }
    for (int32_t g = 0; g < G; g++)
        for (int32_t r = 0; r < R; r++)
            for (int32_t f = 0; f < F; f++)
                w->trust[pk__trust_index(w, g, r, f)] = (float)def->factions[f].initial_trust;
    for (int32_t f = 0; f < F; f++) {
        w->consent[f] = 1.0f;
        w->fom[f] = 1.0f;
        w->willingness[f] = 0.5f;
        /* an armed group starts with two months of the base income in hand (assumption) */
        if (def->factions[f].kind == PK_FACTION_ARMED_GROUP) w->funds[f] = 60.0 * w->params[PK_PARAM_ARMED_INCOME];
        for (int32_t t = 0; t < F; t++) {
            w->misinfo_region[f * F + t] = -1;
            w->misinfo_event[f * F + t] = -1;
        }
    }
    w->legit_param = w->params[PK_PARAM_LEGITIMACY];
    memcpy(w->services_prev, w->services, (size_t)R * sizeof *w->services);
    for (int32_t c = 0; c < w->n_cells; c++)
        if (w->map->region[c] >= 0 && w->map->road[c]) w->road_share[w->map->region[c]] += 1.f;
    for (int32_t r = 0; r < R; r++) w->road_share[r] /= (float)(w->region_cells[r] > 0 ? w->region_cells[r] : 1);
    for (int32_t g = 0; g < G; g++)
        for (int32_t r = 0; r < R; r++) w->legit[g * R + r] = (float)pk__legitimacy_target(w, g, r);
    if (place_agents(w, err) != PK_OK) {
        pk_world_destroy(w);
        return NULL;
    }
    if (!indicators_init(w) || !pk__units_reserve(w, 16)) goto oom;
    w->agents_dirty = 1;
    pk__aggregate_regions(w);
    return w;
oom:
    pk_world_destroy(w);
    pk_error_set(err, NULL, 0, NULL, "out of memory creating the world");
    return NULL;
}

void pk_world_destroy(pk_world *w) {
    if (!w) return;
    pk__epstein_free(w);
    for (int k = 0; k < 2; k++) {
        for (int32_t r = 0; w->travel[k] && r < w->n_regions; r++) free(w->travel[k][r]);
        free(w->travel[k]);
    }
    pk_map_free(w->map);
    void *arrays[] = {w->adj, w->region_cells, w->region_centre, w->services, w->needs_met, w->violence,
                      w->insecurity, w->active_prev, w->security, w->armed, w->population, w->trust,
                      w->consent, w->fom, w->readiness_mean, w->cost_rate, w->gap_rate, w->a_group,
                      w->a_state, w->a_home, w->a_cell, w->a_risk, w->a_jail, w->u_gen, w->u_slot,
                      w->u_faction, w->u_type, w->u_task, w->u_strength, w->u_readiness, w->u_cell,
                      w->u_target, w->u_radius, w->u_name, w->u_free, w->u_goal, w->u_home, w->u_stay, w->queue, w->log, w->events,
                      w->ind_name, w->ind_kind, w->ind_value, w->ind_total, w->recruit_pool, w->reg_start,
                      w->reg_agents, w->kills, w->access, w->incidents, w->alive_rg, w->active_rg,
                      w->needs, w->resources, w->control, w->legit, w->funds, w->willingness, w->withdrawn,
                      w->misinfo, w->misinfo_region, w->misinfo_event, w->kill_event, w->aid_fr, w->losses_f,
                      w->causes, w->services_prev, w->road_share, w->enmity, w->enforce, w->confused, w->assoc, w->guard, w->cover, w->reprisal};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) free(arrays[i]);
    free(w);
}

/* ------------------------------------------------------------------ growable arrays */

static int grow(void **ptr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 1;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need) ncap *= 2;
    void *p = realloc(*ptr, ncap * elem);
    if (!p) return 0;
    *ptr = p;
    *cap = ncap;
    return 1;
}

/* ------------------------------------------------------------------ units */

int pk__units_reserve(pk_world *w, int32_t need) {
    if (need <= w->u_cap) return 1;
    int32_t ncap = w->u_cap ? w->u_cap : 16;
    while (ncap < need) ncap *= 2;
#define PK_GROW_U(field)                                                               \
    do {                                                                               \
        void *p = realloc(w->field, (size_t)ncap * sizeof *w->field);                  \
        if (!p) return 0;                                                              \
        w->field = p;                                                                  \
        memset(w->field + w->u_cap, 0, (size_t)(ncap - w->u_cap) * sizeof *w->field); \
    } while (0)
    PK_GROW_U(u_gen);
    PK_GROW_U(u_slot);
    PK_GROW_U(u_faction);
    PK_GROW_U(u_type);
    PK_GROW_U(u_task);
    PK_GROW_U(u_strength);
    PK_GROW_U(u_readiness);
    PK_GROW_U(u_cell);
    PK_GROW_U(u_target);
    PK_GROW_U(u_radius);
    PK_GROW_U(u_name);
    PK_GROW_U(u_free);
    PK_GROW_U(u_goal);
    PK_GROW_U(u_home);
    PK_GROW_U(u_stay);
#undef PK_GROW_U
    w->u_cap = ncap;
    return 1;
}

int32_t pk__unit_slot(const pk_world *w, pk_unit_id id, int allow_pending) {
    if (id.index1 == 0 || id.index1 > (uint32_t)w->u_slots) return -1;
    int32_t s = (int32_t)id.index1 - 1;
    if (w->u_gen[s] != id.generation) return -1;
    if (w->u_slot[s] == PK_SLOT_LIVE || (allow_pending && w->u_slot[s] == PK_SLOT_PENDING)) return s;
    return -1;
}

/* Reserve a slot for a unit to be created at the next day boundary. The most recently
 * freed slot first, so slot order (and so iteration order) is a function of the command log. */
static int32_t unit_reserve_slot(pk_world *w) {
    int32_t s;
    if (w->u_nfree > 0) {
        s = w->u_free[--w->u_nfree];
    } else {
        if (!pk__units_reserve(w, w->u_slots + 1)) return -1;
        s = w->u_slots++;
    }
    w->u_gen[s]++;
    w->u_slot[s] = PK_SLOT_PENDING;
    return s;
}

void pk__unit_free_slot(pk_world *w, int32_t s) {
    w->u_slot[s] = PK_SLOT_FREE;
    w->u_strength[s] = 0;
    w->u_free[w->u_nfree++] = s;
}

static void unit_fill(pk_world *w, int32_t s, const pk_unit_def *d) {
    w->u_slot[s] = PK_SLOT_LIVE;
    w->u_faction[s] = d->faction;
    w->u_type[s] = (uint8_t)d->type;
    w->u_task[s] = (uint8_t)d->task;
    w->u_strength[s] = d->strength;
    w->u_readiness[s] = d->readiness;
    w->u_cell[s] = d->cell >= 0 ? d->cell : w->region_centre[d->home_region];
    w->u_target[s] = d->target_region;
    w->u_goal[s] = -1; /* planned at its faction's next cycle */
    w->u_home[s] = pk__cell_region(w, w->u_cell[s]); /* its sector: where it deployed */
    w->u_radius[s] = d->radius_cells;
    memcpy(w->u_name[s], d->name, PK_NAME_MAX);
    w->u_name[s][PK_NAME_MAX - 1] = '\0';
}

static void unit_apply_add(pk_world *w, const pk_command *c) {
    int32_t s = pk__unit_slot(w, c->unit, 1);
    if (s < 0 || w->u_slot[s] != PK_SLOT_PENDING) return; /* removed before it arrived */
    const pk_unit_def *d = &c->unit_def;
    unit_fill(w, s, d);
    pk__event(w, PK_EV_UNIT_ADDED, pk__cell_region(w, w->u_cell[s]), w->u_cell[s], d->faction, -1, -1, d->strength,
              c->unit, NULL);
}

int32_t pk__unit_spawn(pk_world *w, const pk_unit_def *d) {
    int32_t s = unit_reserve_slot(w);
    if (s < 0) {
        w->alloc_failed = 1;
        return -1;
    }
    unit_fill(w, s, d);
    return s;
}

/* ------------------------------------------------------------------ commands */

static pk_status check_unit_def(const pk_world *w, const pk_unit_def *d, pk_error *err) {
    if (d->faction < 0 || d->faction >= w->n_factions)
        return pk_error_set(err, NULL, 0, "unit.faction", "expected a faction index in [0, %d), got %d", w->n_factions, d->faction);
    if ((unsigned)d->type >= PK_UNIT_TYPE_COUNT) return pk_error_set(err, NULL, 0, "unit.type", "unknown unit type");
    if ((unsigned)d->task >= PK_TASK_COUNT) return pk_error_set(err, NULL, 0, "unit.task", "unknown task");
    if (!pk_unit_can(d->type, d->task))
        return pk_error_set(err, NULL, 0, "unit.task", "a unit of type %s cannot %s (docs/MODEL.md, who can do what)",
                            pk_unit_type_name(d->type), pk_task_name(d->task));
    if (d->strength < 1 || d->strength > 1000000)
        return pk_error_set(err, NULL, 0, "unit.strength", "expected 1..1000000 persons, got %d", d->strength);
    if (!(d->readiness >= 0.f && d->readiness <= 1.f))
        return pk_error_set(err, NULL, 0, "unit.readiness", "expected a value in [0, 1]");
    if (d->cell >= w->n_cells) return pk_error_set(err, NULL, 0, "unit.cell", "cell %d is outside the map", d->cell);
    if (d->cell >= 0 && w->map->region[d->cell] < 0)
        return pk_error_set(err, NULL, 0, "unit.cell", "cell %d is outside every region", d->cell);
    if (d->cell < 0 && (d->home_region < 0 || d->home_region >= w->n_regions))
        return pk_error_set(err, NULL, 0, "unit.region", "a unit needs a cell or a region");
    if (d->target_region < -1 || d->target_region >= w->n_regions)
        return pk_error_set(err, NULL, 0, "unit.target", "unknown target region %d", d->target_region);
    if (d->radius_cells < 0 || d->radius_cells > 1000)
        return pk_error_set(err, NULL, 0, "unit.radius", "expected a radius of 0..1000 cells");
    return PK_OK;
}

/* Is this command valid for w as it is now? Shared by pk_world_command and by restore,
 * which must not trust the commands a save says are queued. */
pk_status pk__command_check(const pk_world *w, const pk_command *cmd, pk_error *err) {
    const pk_command c = *cmd;
    switch (c.type) {
    case PK_CMD_ADD_UNIT: {
        if (check_unit_def(w, &c.unit_def, err) != PK_OK) return PK_ERR_INPUT;
        break;
    }
    case PK_CMD_REMOVE_UNIT:
    case PK_CMD_SET_TASK:
        if (pk__unit_slot(w, c.unit, 1) < 0) return pk_error_set(err, NULL, 0, "unit", "unknown unit (stale or null id)");
        if (c.type == PK_CMD_SET_TASK) {
            if (c.task < 0 || c.task >= PK_TASK_COUNT) return pk_error_set(err, NULL, 0, "task", "unknown task");
            int32_t us = pk__unit_slot(w, c.unit, 1);
            pk_unit_type ut = (pk_unit_type)w->u_type[us];
            if (w->u_slot[us] == PK_SLOT_PENDING) /* not arrived yet: its type is in the queued add */
                for (size_t i = 0; i < w->n_queue; i++)
                    if (w->queue[i].type == PK_CMD_ADD_UNIT && w->queue[i].unit.index1 == c.unit.index1 &&
                        w->queue[i].unit.generation == c.unit.generation)
                        ut = w->queue[i].unit_def.type;
            if (!pk_unit_can(ut, (pk_task)c.task))
                return pk_error_set(err, NULL, 0, "task", "a unit of type %s cannot %s (docs/MODEL.md, who can do what)",
                                    pk_unit_type_name(ut), pk_task_name((pk_task)c.task));
            if (c.region < -1 || c.region >= w->n_regions) return pk_error_set(err, NULL, 0, "region", "unknown region");
        }
        break;
    case PK_CMD_SET_PARAM:
        if (c.key < 0 || c.key >= PK_PARAM_COUNT) return pk_error_set(err, NULL, 0, "param", "unknown model parameter");
        if (!(c.value >= param_infos[c.key].min && c.value <= param_infos[c.key].max))
            return pk_error_set(err, NULL, 0, param_infos[c.key].name, "expected a value in [%g, %g], got %g",
                                param_infos[c.key].min, param_infos[c.key].max, c.value);
        break;
    case PK_CMD_SET_FACTION:
        if (c.faction < 0 || c.faction >= w->n_factions) return pk_error_set(err, NULL, 0, "faction", "unknown faction");
        if (c.key < 0 || c.key >= PK_FACTION_FIELD_COUNT) return pk_error_set(err, NULL, 0, "field", "unknown faction field");
        if (c.key == PK_FACTION_ROE) {
            if (!(c.value >= 0 && c.value < PK_ROE_COUNT) || c.value != (int)c.value)
                return pk_error_set(err, NULL, 0, "roe", "expected self_defence, defence_of_mandate or offensive");
        } else if (c.key == PK_FACTION_EXIT_DAY) {
            if (!(c.value >= 0 && c.value <= 1e6) || c.value != (int)c.value ||
                (c.value > 0 && c.value < w->def.factions[c.faction].deploy_day))
                return pk_error_set(err, NULL, 0, "exit_day", "expected 0 (stays) or a day not before the faction deploys");
        } else if (c.key == PK_FACTION_MANDATE) {
            if (c.task < 0 || c.task >= PK_MANDATE_COUNT) return pk_error_set(err, NULL, 0, "mandate", "unknown mandated task");
            if (!(c.value >= 0 && c.value <= PK_MANDATE_COUNT) || c.value != (int)c.value)
                return pk_error_set(err, NULL, 0, "priority", "expected a priority 0..%d (0 = not mandated)", PK_MANDATE_COUNT);
        } else if (!(c.value >= 0 && c.value <= 1)) {
            return pk_error_set(err, NULL, 0, "value", "expected a value in [0, 1]");
        }
        break;
    case PK_CMD_SET_REGION:
        if (c.region < 0 || c.region >= w->n_regions) return pk_error_set(err, NULL, 0, "region", "unknown region");
        if (c.key < 0 || c.key >= PK_REGION_FIELD_COUNT) return pk_error_set(err, NULL, 0, "field", "unknown region field");
        if (!(c.value >= 0 && c.value <= (c.key == PK_REGION_VIOLENCE ? 1e6 : c.key == PK_REGION_RESOURCES ? 1e9 : 1.0)))
            return pk_error_set(err, NULL, 0, "value", "expected a value in [0, %s], got %g",
                                c.key == PK_REGION_VIOLENCE ? "1e6" : c.key == PK_REGION_RESOURCES ? "1e9" : "1", c.value);
        break;
    case PK_CMD_MISINFORMATION:
        if (c.faction < 0 || c.faction >= w->n_factions || w->def.factions[c.faction].kind != PK_FACTION_ARMED_GROUP)
            return pk_error_set(err, NULL, 0, "by", "a misinformation campaign is run by an armed_group faction");
        if (c.key < 0 || c.key >= w->n_factions || c.key == c.faction)
            return pk_error_set(err, NULL, 0, "target", "expected another faction as the target");
        if (c.region < -1 || c.region >= w->n_regions) return pk_error_set(err, NULL, 0, "region", "unknown region");
        if (!(c.value >= 0 && c.value <= 1)) return pk_error_set(err, NULL, 0, "strength", "expected a strength in [0, 1]");
        break;
    case PK_CMD_INJECT:
    case PK_CMD_LOG:
        if (c.region < -1 || c.region >= w->n_regions) return pk_error_set(err, NULL, 0, "region", "unknown region");
        if (c.faction < -1 || c.faction >= w->n_factions) return pk_error_set(err, NULL, 0, "faction", "unknown faction");
        break;
    default:
        return pk_error_set(err, NULL, 0, "command", "unknown command type %d", (int)c.type);
    }
    return PK_OK;
}

pk_status pk_world_command(pk_world *w, const pk_command *cmd, pk_unit_id *out_id, pk_error *err) {
    pk_error_clear(err);
    pk_unit_id null_id = {0, 0};
    if (out_id) *out_id = null_id;
    pk_command c = *cmd;
    c.text[sizeof c.text - 1] = '\0';
    if (pk__command_check(w, &c, err) != PK_OK) return PK_ERR_INPUT;
    if (!grow((void **)&w->queue, &w->cap_queue, w->n_queue + 1, sizeof *w->queue))
        return pk_error_set(err, NULL, 0, NULL, "out of memory queueing a command");
    if (c.type == PK_CMD_ADD_UNIT) {
        int32_t s = unit_reserve_slot(w);
        if (s < 0) return pk_error_set(err, NULL, 0, NULL, "out of memory reserving a unit");
        c.unit = pk__unit_id(w, s);
        if (out_id) *out_id = c.unit;
    }
    c.day = w->day + 1;
    w->queue[w->n_queue++] = c;
    return PK_OK;
}

size_t pk_world_pending(const pk_world *w) { return w->n_queue; }

const pk_command *pk_world_pending_commands(const pk_world *w, size_t *count) {
    if (count) *count = w->n_queue;
    return w->queue;
}

const pk_command *pk_world_command_log(const pk_world *w, size_t *count) {
    if (count) *count = w->n_log;
    return w->log;
}

/* Phase 1: apply the queue in order, append each command to the replay log. */
void pk_phase_commands(pk_world *w) {
    for (size_t i = 0; i < w->n_queue; i++) {
        const pk_command *c = &w->queue[i];
        int32_t s;
        switch (c->type) {
        case PK_CMD_ADD_UNIT:
            unit_apply_add(w, c);
            break;
        case PK_CMD_REMOVE_UNIT:
            s = pk__unit_slot(w, c->unit, 1);
            if (s >= 0) {
                if (w->u_slot[s] == PK_SLOT_LIVE)
                    pk__event(w, PK_EV_UNIT_REMOVED, pk__cell_region(w, w->u_cell[s]), w->u_cell[s], w->u_faction[s], -1,
                              -1, w->u_strength[s], c->unit, c->text[0] ? c->text : NULL);
                pk__unit_free_slot(w, s);
            }
            break;
        case PK_CMD_SET_TASK:
            s = pk__unit_slot(w, c->unit, 0);
            if (s >= 0) {
                w->u_task[s] = (uint8_t)c->task;
                w->u_target[s] = c->region;
                w->u_goal[s] = -1; /* an order is acted on at once, not at the next planning cycle */
            }
            break;
        case PK_CMD_SET_PARAM:
            w->params[c->key] = c->value;
            break;
        case PK_CMD_SET_FACTION:
            if (c->key == PK_FACTION_FUNDING_SHARE) w->def.factions[c->faction].funding_share = c->value;
            else if (c->key == PK_FACTION_CONSENT) w->consent[c->faction] = (float)c->value;
            else if (c->key == PK_FACTION_ROE) w->def.factions[c->faction].roe = (pk_roe)c->value;
            else if (c->key == PK_FACTION_EXIT_DAY) w->def.factions[c->faction].exit_day = (int32_t)c->value;
            else if (c->key == PK_FACTION_GAP_COVERED) w->def.factions[c->faction].gap_covered = (float)c->value;
            else if (c->key == PK_FACTION_MANDATE) w->def.factions[c->faction].mandate[c->task] = (int8_t)c->value;
            break;
        case PK_CMD_SET_REGION: {
            int32_t r = c->region;
            float before = w->needs_met[r];
            if (c->key == PK_REGION_SERVICES) w->services[r] = (float)c->value;
            else if (c->key == PK_REGION_NEEDS_MET)
                for (int k = 0; k < PK_NEED_COUNT; k++) w->needs[r * PK_NEED_COUNT + k] = (float)c->value;
            else if (c->key >= PK_REGION_FOOD && c->key <= PK_REGION_EDUCATION)
                w->needs[r * PK_NEED_COUNT + (c->key - PK_REGION_FOOD)] = (float)c->value;
            else if (c->key == PK_REGION_RESOURCES) w->resources[r] = (float)c->value;
            else w->violence[r] += (float)c->value;
            pk__needs_mean(w, r);
            pk__cause(w, PK_CI_NEEDS_MET, PK_CAUSE_SCENARIO, r, -1, -1, (double)w->needs_met[r] - before, -1);
            break;
        }
        case PK_CMD_MISINFORMATION: {
            size_t i = (size_t)c->faction * w->n_factions + (size_t)c->key;
            w->misinfo[i] = (float)c->value;
            w->misinfo_region[i] = c->region;
            pk__event(w, PK_EV_MISINFORMATION, c->region, c->region >= 0 ? w->region_centre[c->region] : -1, c->faction,
                      c->key, -1, 0, c->unit, c->text[0] ? c->text : NULL);
            w->misinfo_event[i] = c->value > 0 ? pk__last_event(w) : -1;
            break;
        }
        case PK_CMD_INJECT:
        case PK_CMD_LOG: {
            int32_t cell = c->region >= 0 ? w->region_centre[c->region] : -1;
            pk__event(w, c->type == PK_CMD_INJECT ? PK_EV_INJECT : PK_EV_LOG, c->region, cell, c->faction, -1, -1, 0,
                      c->unit, c->text);
            break;
        }
        default:
            break;
        }
        if (grow((void **)&w->log, &w->cap_log, w->n_log + 1, sizeof *w->log)) {
            w->log[w->n_log] = *c;
            w->log[w->n_log].day = w->day;
            w->log[w->n_log].after_step = 0;
            w->n_log++;
        } else {
            w->alloc_failed = 1;
        }
    }
    w->n_queue = 0;
}

/* ------------------------------------------------------------------ events */

void pk__event(pk_world *w, pk_event_type type, int32_t region, int32_t cell, int32_t faction,
               int32_t target_faction, int32_t group, int32_t count, pk_unit_id unit, const char *text) {
    if (!grow((void **)&w->events, &w->cap_events, w->n_events + 1, sizeof *w->events)) {
        w->alloc_failed = 1;
        return;
    }
    pk_event *e = &w->events[w->n_events++];
    memset(e, 0, sizeof *e);
    e->day = w->day;
    e->type = type;
    e->region = region;
    e->cell = cell;
    e->faction = faction;
    e->target_faction = target_faction;
    e->group = group;
    e->by_group = -1;
    e->count = count;
    e->unit = unit;
    if (text) {
        size_t n = strlen(text);
        if (n >= sizeof e->text) n = sizeof e->text - 1;
        memcpy(e->text, text, n);
    }
}

const pk_event *pk_world_events(const pk_world *w, size_t *count) {
    if (count) *count = w->n_events;
    return w->events;
}

void pk__cause(pk_world *w, pk_cause_indicator ind, pk_cause_code cause, int32_t region, int32_t group, int32_t faction,
               double amount, int32_t event) {
    if (!(amount > 1e-7 || amount < -1e-7)) return;
    if (!grow((void **)&w->causes, &w->cap_causes, w->n_causes + 1, sizeof *w->causes)) {
        w->alloc_failed = 1;
        return;
    }
    pk_cause *c = &w->causes[w->n_causes++];
    memset(c, 0, sizeof *c);
    c->day = w->day;
    c->region = (int16_t)region;
    c->group = (int8_t)group;
    c->faction = (int8_t)faction;
    c->indicator = (uint8_t)ind;
    c->cause = (uint8_t)cause;
    c->amount = (float)amount;
    c->event = event;
}

const pk_cause *pk_world_causes(const pk_world *w, size_t *count) {
    if (count) *count = w->n_causes;
    return w->causes;
}

/* ------------------------------------------------------------------ step */

void pk_world_flush(pk_world *w) {
    size_t from = w->n_log;
    pk_phase_commands(w);
    for (size_t i = from; i < w->n_log; i++) w->log[i].after_step = 1;
}

void pk_world_step(pk_world *w) {
    w->day++;
    memset(&w->today, 0, sizeof w->today);
    memset(w->kills, 0, (size_t)w->n_factions * (size_t)w->n_regions * (size_t)w->n_groups * sizeof *w->kills);
    memset(w->incidents, 0, (size_t)w->n_regions * sizeof *w->incidents);
    memset(w->kill_event, 0xff, (size_t)w->n_factions * (size_t)w->n_regions * (size_t)w->n_groups * sizeof *w->kill_event);
    memset(w->aid_fr, 0, (size_t)w->n_factions * (size_t)w->n_regions * sizeof *w->aid_fr);
    memset(w->losses_f, 0, (size_t)w->n_factions * sizeof *w->losses_f);
    if (!w->ep) {
        memset(w->enforce, 0, (size_t)w->n_factions * (size_t)w->n_factions * sizeof *w->enforce);
        memset(w->confused, 0, (size_t)w->n_factions * (size_t)w->n_regions * sizeof *w->confused);
    }
    pk_phase_commands(w);
    if (w->ep) { /* Epstein's models: their own step, then their indicators */
        pk__epstein_step(w);
        pk_phase_indicators(w);
        return;
    }
    pk_phase_coordination(w);
    pk_phase_movement(w);
    pk_phase_logistics(w);
    pk_phase_armed_groups(w);
    pk_phase_clashes(w);
    pk_phase_civilians(w);
    pk_phase_humanitarian(w);
    pk_phase_information(w);
    pk_phase_politics(w);
    pk_phase_indicators(w);
}

int32_t pk_world_day(const pk_world *w) { return w->day; }

/* ------------------------------------------------------------------ indicators */

static const struct {
    const char *name;
    pk_indicator_kind kind;
} global_indicators[] = {
    {"civilian_deaths", PK_IND_COUNT},
    {"peacekeeper_deaths", PK_IND_COUNT},
    {"violent_incidents", PK_IND_COUNT},
    {"displaced", PK_IND_LEVEL},
    {"needs_met", PK_IND_LEVEL},
    {"humanitarian_access", PK_IND_LEVEL},
    {"armed_strength", PK_IND_LEVEL},
    {"political_progress", PK_IND_LEVEL},
    {"host_consent", PK_IND_LEVEL},
    {"cost", PK_IND_LEVEL},
    {"funding_gap", PK_IND_LEVEL},
    {"civilian_deaths.by_armed_groups", PK_IND_COUNT},
    {"civilian_deaths.by_government", PK_IND_COUNT},
    {"civilian_deaths.communal", PK_IND_COUNT},
    {"battle_deaths", PK_IND_COUNT},
    {"arrests", PK_IND_COUNT},
    {"recruits", PK_IND_COUNT},
    {"active", PK_IND_LEVEL},
    {"jailed", PK_IND_LEVEL},
    {"in_camps", PK_IND_LEVEL},
    {"refugees", PK_IND_LEVEL},
    {"civilian_deaths.unmet_needs", PK_IND_COUNT},
    {"armed_control", PK_IND_LEVEL},
    {"missions_without_consent", PK_IND_LEVEL},
    {"civilian_deaths.by_missions", PK_IND_COUNT},
    {"confusion_events", PK_IND_COUNT},
    {"attacks_on_humanitarians", PK_IND_COUNT},
    {"demobilised", PK_IND_COUNT},
};
enum { N_GLOBAL_IND = sizeof global_indicators / sizeof global_indicators[0] };
/* per faction: trust, freedom_of_movement, readiness */
enum { N_FACTION_IND = 4 };

static int indicators_init(pk_world *w) {
    w->n_ind = N_GLOBAL_IND + N_FACTION_IND * w->n_factions;
    if (!PK_ALLOC(w->ind_name, w->n_ind) || !PK_ALLOC(w->ind_kind, w->n_ind) || !PK_ALLOC(w->ind_value, w->n_ind) ||
        !PK_ALLOC(w->ind_total, w->n_ind))
        return 0;
    for (int i = 0; i < N_GLOBAL_IND; i++) {
        snprintf(w->ind_name[i], PK_NAME_MAX, "%s", global_indicators[i].name);
        w->ind_kind[i] = (uint8_t)global_indicators[i].kind;
    }
    static const char *const prefix[N_FACTION_IND] = {"trust", "freedom_of_movement", "readiness", "fighters_neutralised"};
    for (int k = 0; k < N_FACTION_IND; k++)
        for (int f = 0; f < w->n_factions; f++) {
            int i = N_GLOBAL_IND + k * w->n_factions + f;
            snprintf(w->ind_name[i], PK_NAME_MAX, "%s.%s", prefix[k], w->def.factions[f].id);
            w->ind_kind[i] = k == 3 ? PK_IND_COUNT : PK_IND_LEVEL;
        }
    return 1;
}

int32_t pk_world_indicator_count(const pk_world *w) { return w->n_ind; }
const char *pk_world_indicator_name(const pk_world *w, int32_t i) {
    return i >= 0 && i < w->n_ind ? w->ind_name[i] : NULL;
}
pk_indicator_kind pk_world_indicator_kind(const pk_world *w, int32_t i) {
    return i >= 0 && i < w->n_ind ? (pk_indicator_kind)w->ind_kind[i] : PK_IND_LEVEL;
}
double pk_world_indicator(const pk_world *w, int32_t i) { return i >= 0 && i < w->n_ind ? w->ind_value[i] : 0.0; }
double pk_world_indicator_total(const pk_world *w, int32_t i) {
    return i >= 0 && i < w->n_ind ? w->ind_total[i] : 0.0;
}
int32_t pk_world_indicator_find(const pk_world *w, const char *name) {
    for (int32_t i = 0; name && i < w->n_ind; i++)
        if (strcmp(w->ind_name[i], name) == 0) return i;
    return -1;
}

/* ------------------------------------------------------------------ read access */

pk_world_info pk_world_get_info(const pk_world *w) {
    pk_world_info info;
    info.width = w->map->width;
    info.height = w->map->height;
    info.n_cells = w->n_cells;
    info.n_regions = w->n_regions;
    info.n_groups = w->n_groups;
    info.n_factions = w->n_factions;
    info.n_agents = w->n_agents;
    info.scale = w->def.scale;
    info.seed = w->def.seed;
    return info;
}

const pk_map *pk_world_map(const pk_world *w) { return w->map; }
const pk_faction_def *pk_world_faction(const pk_world *w, int32_t f) {
    return f >= 0 && f < w->n_factions ? &w->def.factions[f] : NULL;
}
int32_t pk_world_find_faction(const pk_world *w, const char *id) {
    for (int32_t f = 0; id && f < w->n_factions; f++)
        if (strcmp(w->def.factions[f].id, id) == 0) return f;
    return -1;
}
const pk_group_def *pk_world_group(const pk_world *w, int32_t g) {
    return g >= 0 && g < w->n_groups ? &w->def.groups[g] : NULL;
}
int32_t pk_world_find_group(const pk_world *w, const char *id) {
    for (int32_t g = 0; id && g < w->n_groups; g++)
        if (strcmp(w->def.groups[g].id, id) == 0) return g;
    return -1;
}
double pk_world_param(const pk_world *w, pk_param p) { return (unsigned)p < PK_PARAM_COUNT ? w->params[p] : 0.0; }

pk_agents_view pk_world_agents(const pk_world *w) {
    pk_agents_view v = {w->n_agents, w->a_group, w->a_state, w->a_home, w->a_cell, w->a_risk};
    return v;
}

static void fill_unit_state(const pk_world *w, int32_t s, pk_unit_state *out) {
    out->id = pk__unit_id(w, s);
    out->faction = w->u_faction[s];
    out->type = (pk_unit_type)w->u_type[s];
    out->task = (pk_task)w->u_task[s];
    out->strength = w->u_strength[s];
    out->readiness = w->u_readiness[s];
    out->cell = w->u_cell[s];
    out->target_region = w->u_target[s];
    out->radius_cells = w->u_radius[s];
    memcpy(out->name, w->u_name[s], PK_NAME_MAX);
    out->deployed = w->ep ? 1 : pk__faction_on(w, w->u_faction[s]);
}

int pk_world_unit(const pk_world *w, pk_unit_id id, pk_unit_state *out) {
    int32_t s = pk__unit_slot(w, id, 0);
    if (s < 0) return 0;
    if (out) fill_unit_state(w, s, out);
    return 1;
}

int32_t pk_world_units(const pk_world *w, pk_unit_state *out, int32_t max) {
    int32_t n = 0;
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (w->u_slot[s] != PK_SLOT_LIVE) continue;
        if (out && n < max) fill_unit_state(w, s, &out[n]);
        n++;
    }
    return n;
}

double pk_world_region_needs_met(const pk_world *w, int32_t r) {
    return r >= 0 && r < w->n_regions ? w->needs_met[r] : 0.0;
}
double pk_world_region_violence(const pk_world *w, int32_t r) {
    return r >= 0 && r < w->n_regions ? w->violence[r] : 0.0;
}
double pk_world_region_services(const pk_world *w, int32_t r) {
    return r >= 0 && r < w->n_regions ? w->services[r] : 0.0;
}
double pk_world_region_need(const pk_world *w, int32_t r, int k) {
    return r >= 0 && r < w->n_regions && k >= 0 && k < PK_NEED_COUNT ? w->needs[r * PK_NEED_COUNT + k] : 0.0;
}
double pk_world_region_control(const pk_world *w, int32_t r) {
    return r >= 0 && r < w->n_regions ? w->control[r] : 0.0;
}
double pk_world_legitimacy(const pk_world *w, int32_t g, int32_t r) {
    return g >= 0 && g < w->n_groups && r >= 0 && r < w->n_regions ? w->legit[g * w->n_regions + r] : 0.0;
}
double pk_world_consent(const pk_world *w, int32_t f) { return f >= 0 && f < w->n_factions ? w->consent[f] : 0.0; }
int pk_world_consent_withdrawn(const pk_world *w, int32_t f) { return f >= 0 && f < w->n_factions && w->withdrawn[f]; }
double pk_world_funds(const pk_world *w, int32_t f) { return f >= 0 && f < w->n_factions ? w->funds[f] : 0.0; }
double pk_world_willingness(const pk_world *w, int32_t f) {
    return f >= 0 && f < w->n_factions ? w->willingness[f] : 0.0;
}
double pk_world_enmity(const pk_world *w, int32_t a, int32_t f) {
    if (w->ep || a < 0 || a >= w->n_factions || f < 0 || f >= w->n_factions) return 0.0;
    return w->enmity[(size_t)a * w->n_factions + f];
}
int pk_world_faction_operating(const pk_world *w, int32_t f) {
    if (w->ep || f < 0 || f >= w->n_factions) return 0;
    return pk__faction_on(w, f);
}
double pk_world_trust(const pk_world *w, int32_t g, int32_t r, int32_t f) {
    if (g < 0 || g >= w->n_groups || r < 0 || r >= w->n_regions || f < 0 || f >= w->n_factions) return 0.0;
    return w->trust[pk__trust_index(w, g, r, f)];
}
