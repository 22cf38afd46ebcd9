/* movement.c — phase 3: units move toward today's goal region over the cell grid, faster
 * on roads, never through water (except aircraft); ground units of the mission and the
 * government risk ambush and IEDs where armed groups are strong. Freedom of movement per
 * faction is the mean chance of moving unharmed ("whoever has freedom of movement wins",
 * minutes line 670). */
#include <math.h>
#include <stdlib.h>

#include "model.h"

/* Cost in km of road-equivalent travel to step from cell a to its neighbour b. */
static inline float step_cost(const pk_map *m, int32_t a, int32_t b, int fly) {
    int diag = (a % m->width != b % m->width) && (a / m->width != b / m->width);
    float road = (!fly && m->road[a] && m->road[b]) ? PK_ROAD_SPEEDUP : 1.0f;
    return (float)m->cell_km * (diag ? 1.41421356f : 1.0f) / road;
}

static inline int passable(const pk_map *m, int32_t c, int fly) {
    return m->region[c] >= 0 && (fly || m->terrain[c] != PK_TERRAIN_WATER);
}

/* A binary min-heap of (cost, cell); ties go to the lower cell index. */
typedef struct heap_item {
    float d;
    int32_t c;
} heap_item;
static inline int heap_less(heap_item a, heap_item b) { return a.d < b.d || (a.d == b.d && a.c < b.c); }

/* Travel-time field toward region r's centre (Dijkstra over the 8-neighbour grid: roads
 * are faster, water only for aircraft, never outside the mission area). Built on first
 * use and kept: it depends on the map only. NULL on allocation failure. */
static const float *travel_field(pk_world *w, int32_t r, int fly) {
    if (!w->travel[fly]) {
        w->travel[fly] = calloc((size_t)w->n_regions, sizeof *w->travel[fly]);
        if (!w->travel[fly]) return NULL;
    }
    if (w->travel[fly][r]) return w->travel[fly][r];
    const pk_map *m = w->map;
    int32_t n = w->n_cells, W = m->width, H = m->height;
    float *dist = malloc((size_t)n * sizeof *dist);
    heap_item *heap = malloc((size_t)n * 8 * sizeof *heap + sizeof *heap);
    if (!dist || !heap) {
        free(dist);
        free(heap);
        return NULL;
    }
    for (int32_t c = 0; c < n; c++) dist[c] = INFINITY;
    size_t len = 0;
    int32_t src = w->region_centre[r];
    dist[src] = 0;
    heap[len++] = (heap_item){0, src};
    while (len) {
        heap_item top = heap[0];
        heap[0] = heap[--len];
        for (size_t i = 0;;) { /* sift down */
            size_t l = 2 * i + 1, rr = l + 1, m_ = i;
            if (l < len && heap_less(heap[l], heap[m_])) m_ = l;
            if (rr < len && heap_less(heap[rr], heap[m_])) m_ = rr;
            if (m_ == i) break;
            heap_item t = heap[i];
            heap[i] = heap[m_];
            heap[m_] = t;
            i = m_;
        }
        if (top.d > dist[top.c]) continue; /* stale entry */
        int32_t x = top.c % W, y = top.c / W;
        for (int32_t dy = -1; dy <= 1; dy++)
            for (int32_t dx = -1; dx <= 1; dx++) {
                int32_t nx = x + dx, ny = y + dy;
                if ((!dx && !dy) || nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
                int32_t c = ny * W + nx;
                if (!passable(m, c, fly)) continue;
                float d = top.d + step_cost(m, c, top.c, fly);
                if (d >= dist[c]) continue;
                dist[c] = d;
                size_t i = len++; /* sift up; each cell enters at most 8 times */
                heap[i] = (heap_item){d, c};
                while (i > 0 && heap_less(heap[i], heap[(i - 1) / 2])) {
                    heap_item t = heap[i];
                    heap[i] = heap[(i - 1) / 2];
                    heap[(i - 1) / 2] = t;
                    i = (i - 1) / 2;
                }
            }
    }
    free(heap);
    w->travel[fly][r] = dist;
    return dist;
}

/* The neighbour that brings the unit closest to the goal along the field; -1 when none
 * is closer (arrived, or the goal cannot be reached from here). */
static int32_t step_toward(const pk_world *w, const float *field, int32_t cell, int fly) {
    const pk_map *m = w->map;
    int32_t W = m->width, H = m->height, x = cell % W, y = cell / W, best = -1;
    float best_d = field[cell];
    for (int32_t dy = -1; dy <= 1; dy++)
        for (int32_t dx = -1; dx <= 1; dx++) {
            int32_t nx = x + dx, ny = y + dy;
            if ((!dx && !dy) || nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
            int32_t c = ny * W + nx;
            if (!passable(m, c, fly)) continue;
            /* remaining travel after this step; strict decrease, ties to the lower index */
            if (field[c] < best_d) {
                best_d = field[c];
                best = c;
            }
        }
    return best;
}

/* The strongest armed band in region r, or -1. */
int32_t pk__strongest_band(const pk_world *w, int32_t r) {
    int32_t best = -1, best_s = 0;
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s) || pk_unit_faction_kind(w, s) != PK_FACTION_ARMED_GROUP) continue;
        if (pk__cell_region(w, w->u_cell[s]) == r && w->u_strength[s] > best_s) {
            best_s = w->u_strength[s];
            best = s;
        }
    }
    return best;
}

/* Mean trust of the civilians of region r in faction f. */
static double local_trust(const pk_world *w, int32_t r, int32_t f) {
    double n = 0, t = 0;
    for (int32_t g = 0; g < w->n_groups; g++) {
        double a = (double)w->alive_rg[r * w->n_groups + g];
        n += a;
        t += a * w->trust[pk__trust_index(w, g, r, f)];
    }
    return n > 0 ? t / n : 0.5;
}

void pk_phase_movement(pk_world *w) {
    const pk_map *m = w->map;
    uint64_t key = pk__key(w, "movement.ambush");
    double risk_sum[PK_MAX_FACTIONS] = {0}, n_units[PK_MAX_FACTIONS] = {0};
    pk__aggregate_regions(w);
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (!pk__unit_on(w, s)) continue;
        pk_unit_type type = (pk_unit_type)w->u_type[s];
        int fly = type == PK_UNIT_AVIATION;
        int32_t dest = w->region_centre[w->u_goal[s]];
        double budget = pk_speed_km[type];
        /* obstruction: a host government that barely consents restricts a foreign
         * mission's movements (checkpoints, delayed flight clearances): at consent c the
         * day's travel is (0.5 + 0.5 c) of normal (assumption) */
        if (pk_faction_is_mission(pk_unit_faction_kind(w, s))) budget *= 0.5 + 0.5 * w->consent[w->u_faction[s]];
        int moved = 0;
        if (w->u_stay[s]) dest = w->u_cell[s];
        const float *field = w->u_cell[s] != dest ? travel_field(w, w->u_goal[s], fly) : NULL;
        if (!field && w->u_cell[s] != dest) w->alloc_failed = 1;
        while (field && w->u_cell[s] != dest) {
            int32_t next = step_toward(w, field, w->u_cell[s], fly);
            if (next < 0) break;
            double cost = step_cost(m, w->u_cell[s], next, fly);
            if (cost > budget) break;
            budget -= cost;
            w->u_cell[s] = next;
            moved = 1;
        }
        /* ambush and IED risk for ground units of the mission and the government */
        int32_t f = w->u_faction[s];
        pk_faction_kind k = w->def.factions[f].kind;
        if (k == PK_FACTION_ARMED_GROUP || k == PK_FACTION_HUMANITARIAN) {
            if (k == PK_FACTION_ARMED_GROUP) {
                int32_t r = pk__cell_region(w, w->u_cell[s]);
                double sec = w->security[r];
                risk_sum[f] += sec / (sec + (double)w->u_strength[s] + 1.0);
                n_units[f] += 1;
            }
            continue;
        }
        int32_t r = pk__cell_region(w, w->u_cell[s]);
        double armed = w->armed[r];
        double eff = (double)w->u_strength[s] * w->u_readiness[s];
        /* people who trust a force warn it of ambushes and IEDs: the risk runs from half
         * (full trust) to one and a half (none) of the base (assumption; "whoever has
         * freedom of movement wins", minutes line 670) */
        double risk = fly ? 0.0 : w->params[PK_PARAM_AMBUSH_RATE] * armed / (armed + eff + 1.0) * (1.5 - local_trust(w, r, f));
        risk_sum[f] += risk;
        n_units[f] += 1;
        if (!moved || risk <= 0) continue;
        if (pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)s, w->u_gen[s]) >= risk) continue;
        double expect = (double)w->u_strength[s] * 0.002 * (1.0 + armed / (armed + eff + 1.0));
        int32_t losses = pk_round_random(expect, pk_rng_at_uniform(key, (uint64_t)w->day, (uint64_t)s, 1u << 20));
        if (losses < 1) losses = 1;
        if (losses > w->u_strength[s]) losses = w->u_strength[s];
        w->u_strength[s] -= losses;
        if (pk_faction_is_mission(k)) w->today.peacekeeper_deaths += losses;
        else w->today.battle_deaths += losses;
        w->losses_f[f] += losses;
        w->today.violent_incidents += 1;
        w->incidents[r] += (float)losses;
        int32_t band = pk__strongest_band(w, r);
        pk__event(w, PK_EV_AMBUSH, r, w->u_cell[s], band >= 0 ? w->u_faction[band] : -1, f, -1, losses,
                  pk__unit_id(w, s), NULL);
        if (w->u_strength[s] <= 0) {
            pk__event(w, PK_EV_UNIT_DESTROYED, r, w->u_cell[s], band >= 0 ? w->u_faction[band] : -1, f, -1, 0,
                      pk__unit_id(w, s), NULL);
            pk__unit_free_slot(w, s);
        }
    }
    for (int32_t f = 0; f < w->n_factions; f++)
        w->fom[f] = n_units[f] > 0 ? (float)(1.0 - risk_sum[f] / n_units[f]) : 1.0f;
    /* fom for mission factions is a chance per day; express it so that 1 = no risk:
     * normalised by the parameter so ambush_rate itself does not cap it near 1 */
    for (int32_t f = 0; f < w->n_factions; f++) {
        pk_faction_kind k = w->def.factions[f].kind;
        if (k != PK_FACTION_ARMED_GROUP && w->params[PK_PARAM_AMBUSH_RATE] > 0 && n_units[f] > 0)
            w->fom[f] = pk__clamp01((float)(1.0 - risk_sum[f] / n_units[f] / w->params[PK_PARAM_AMBUSH_RATE]));
        /* obstruction by the host government lowers a mission's freedom of movement; a
         * mission without consent has none */
        if (pk_faction_is_mission(k)) w->fom[f] = w->withdrawn[f] ? 0.f : w->fom[f] * (0.5f + 0.5f * w->consent[f]);
    }
}
