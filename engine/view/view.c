/* view.c — the view's life cycle: creating the window (or the offscreen surface for
 * headless rendering), taking the world's state in at a day boundary (pv_capture, the only
 * place the view reads the world), stepping days through the scenario layer, snapshots,
 * the interactive loop with its keys, and the probes the tests use. The view never changes
 * the world except by stepping the scenario and restoring a snapshot taken of it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "view_internal.h"

static const double pv_speeds[] = {0.5, 1, 2, 5, 10, 0}; /* days per second; 0: one day per frame */
enum { PV_N_SPEEDS = sizeof pv_speeds / sizeof pv_speeds[0], PV_DEFAULT_SPEED = 2 };

static const char *const overlay_names[PV_OV_COUNT] = {"none", "violence", "displacement", "needs", "trust", "control", "density"};

const char *pv_overlay_name(int overlay) { return overlay >= 0 && overlay < PV_OV_COUNT ? overlay_names[overlay] : "?"; }

int pv_overlay_from_name(const char *name) {
    for (int i = 0; i < PV_OV_COUNT; i++)
        if (!strcmp(name, overlay_names[i])) return i;
    return -1;
}

pv_config pv_config_default(void) {
    pv_config c;
    memset(&c, 0, sizeof c);
    c.width = 1920;
    c.height = 1080;
    return c;
}

/* ---------------------------------------------------------------- taking the world in */

static int alloc_data(pv_view *v) {
    pv_data *d = &v->d;
    pk_world_info info = pk_world_get_info(pk_scenario_world(v->sc));
    size_t R = (size_t)(info.n_regions > 0 ? info.n_regions : 1), G = (size_t)(info.n_groups > 0 ? info.n_groups : 1);
    size_t F = (size_t)(info.n_factions > 0 ? info.n_factions : 1);
    d->cell_persons = calloc((size_t)info.n_cells + 1, sizeof *d->cell_persons);
    d->cell_smooth = calloc((size_t)info.n_cells + 1, sizeof *d->cell_smooth);
    d->scratch = calloc((size_t)info.n_cells + 1, sizeof *d->scratch);
    for (int o = 0; o < PV_OV_COUNT; o++) d->region_value[o] = calloc(R, sizeof(float));
    d->region_group_pop = calloc(R * G, sizeof(double));
    d->region_home_pop = calloc(R, sizeof(double));
    d->region_displaced = calloc(R, sizeof(double));
    d->region_trust = calloc(R * F, sizeof(double));
    d->region_needs = calloc(R * PK_NEED_COUNT, sizeof(double));
    d->region_violence = calloc(R, sizeof(double));
    d->region_control = calloc(R, sizeof(double));
    d->region_needs_met = calloc(R, sizeof(double));
    d->trust_week = calloc(R * F * PK_CAUSE_COUNT, sizeof(float));
    int32_t ni = pk_world_indicator_count(pk_scenario_world(v->sc));
    d->ind = calloc((size_t)ni + 1, sizeof(double));
    d->ind_total = calloc((size_t)ni + 1, sizeof(double));
    v->cell_rgb = calloc((size_t)info.n_cells + 1, sizeof *v->cell_rgb);
    if (v->epstein && !(d->cell_state = calloc((size_t)info.n_cells + 1, 1))) return -1;
    v->region_label_cell = calloc(R, sizeof *v->region_label_cell);
    int ok = d->cell_persons && d->cell_smooth && d->scratch && d->region_group_pop && d->region_home_pop && d->region_displaced && d->region_trust &&
             d->region_needs && d->region_violence && d->region_control && d->region_needs_met && d->trust_week && d->ind &&
             d->ind_total && v->cell_rgb && v->region_label_cell;
    for (int o = 0; o < PV_OV_COUNT; o++) ok = ok && d->region_value[o];
    return ok ? 0 : -1;
}

static void free_data(pv_view *v) {
    pv_data *d = &v->d;
    free(d->cell_persons);
    free(d->cell_smooth);
    free(d->cell_state);
    free(d->scratch);
    for (int o = 0; o < PV_OV_COUNT; o++) free(d->region_value[o]);
    free(d->region_group_pop);
    free(d->region_home_pop);
    free(d->region_displaced);
    free(d->region_trust);
    free(d->region_needs);
    free(d->region_violence);
    free(d->region_control);
    free(d->region_needs_met);
    free(d->trust_week);
    free(d->ind);
    free(d->ind_total);
    free(v->cell_rgb);
    free(v->region_label_cell);
    free(v->hist);
}

void pv_capture(pv_view *v) {
    pk_world *w = pk_scenario_world(v->sc);
    pv_data *d = &v->d;
    const pk_map *m = pk_world_map(w);
    v->map = m;
    pk_world_info info = pk_world_get_info(w);
    d->day = pk_world_day(w);
    d->width = info.width;
    d->height = info.height;
    d->n_cells = info.n_cells;
    d->n_regions = info.n_regions;
    d->n_groups = info.n_groups;
    d->n_factions = info.n_factions;
    d->scale = info.scale;
    for (int f = 0; f < info.n_factions && f < PK_MAX_FACTIONS; f++) d->factions[f] = *pk_world_faction(w, f);
    for (int g = 0; g < info.n_groups && g < PK_MAX_GROUPS; g++)
        snprintf(d->group_name[g], sizeof d->group_name[g], "%s", pk_world_group(w, g)->name);
    int R = info.n_regions, G = info.n_groups, F = info.n_factions;

    /* civilians: where they are, by group and district, and who is displaced */
    memset(d->cell_persons, 0, (size_t)info.n_cells * sizeof *d->cell_persons);
    if (R > 0) {
        memset(d->region_group_pop, 0, (size_t)R * (size_t)(G > 0 ? G : 1) * sizeof(double));
        memset(d->region_home_pop, 0, (size_t)R * sizeof(double));
        memset(d->region_displaced, 0, (size_t)R * sizeof(double));
    }
    pk_agents_view a = pk_world_agents(w);
    const float sc = (float)info.scale;
    for (int32_t i = 0; i < a.count; i++) {
        uint8_t st = a.state[i];
        if (st == PK_AGENT_DEAD) continue;
        int hr = m->region[a.home_cell[i]];
        if (hr >= 0) {
            d->region_home_pop[hr] += sc;
            if (st == PK_AGENT_DISPLACED || st == PK_AGENT_CAMP || st == PK_AGENT_REFUGEE) d->region_displaced[hr] += sc;
        }
        if (st == PK_AGENT_REFUGEE) continue;
        int32_t c = a.cell[i];
        d->cell_persons[c] += sc;
        int r = m->region[c];
        if (r >= 0) d->region_group_pop[(size_t)r * (size_t)G + a.group[i]] += sc;
    }
    if (d->cell_state) { /* an Epstein grid: one agent a cell, drawn as what it is */
        memset(d->cell_state, PV_EP_EMPTY, (size_t)info.n_cells);
        for (int32_t i = 0; i < a.count; i++) {
            const uint8_t st = a.state[i];
            if (st == PK_AGENT_DEAD) continue;
            const uint8_t code = st == PK_AGENT_ACTIVE ? PV_EP_ACTIVE : st == PK_AGENT_JAILED ? PV_EP_JAILED : PV_EP_QUIET;
            d->cell_state[a.cell[i]] = (uint8_t)(code | (a.group[i] & 1u) << 3);
        }
        const int32_t *cops;
        const int32_t n_cops = pk_world_epstein_cops(w, &cops);
        for (int32_t j = 0; j < n_cops; j++)
            if (cops[j] >= 0) d->cell_state[cops[j]] = PV_EP_COP;
    }
    /* a 5x5 box average (two separable passes) so that a few agents per cell read as a
     * density, not as noise; cells outside every district keep what is there */
    const int W = info.width, H = info.height, K = 2;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            float s = 0;
            int n = 0;
            for (int k = -K; k <= K; k++)
                if (x + k >= 0 && x + k < W) {
                    s += d->cell_persons[y * W + x + k];
                    n++;
                }
            d->scratch[y * W + x] = s / (float)n;
        }
    float km2 = (float)(m->cell_km * m->cell_km), mx = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            float s = 0;
            int n = 0;
            for (int k = -K; k <= K; k++)
                if (y + k >= 0 && y + k < H) {
                    s += d->scratch[(y + k) * W + x];
                    n++;
                }
            float val = s / (float)n;
            d->cell_smooth[y * W + x] = val;
            if (val > mx) mx = val;
        }
    d->max_density = mx / km2;

    for (int r = 0; r < R; r++) {
        d->region_violence[r] = pk_world_region_violence(w, r);
        d->region_control[r] = pk_world_region_control(w, r);
        d->region_needs_met[r] = pk_world_region_needs_met(w, r);
        for (int k = 0; k < PK_NEED_COUNT; k++) d->region_needs[r * PK_NEED_COUNT + k] = pk_world_region_need(w, r, k);
        double tot = 0;
        for (int g = 0; g < G; g++) tot += d->region_group_pop[(size_t)r * (size_t)G + g];
        for (int f = 0; f < F; f++) {
            double s = 0;
            for (int g = 0; g < G; g++) {
                double wgt = tot > 0 ? d->region_group_pop[(size_t)r * (size_t)G + g] / tot : 1.0 / G;
                s += wgt * pk_world_trust(w, g, r, f);
            }
            d->region_trust[(size_t)r * (size_t)F + f] = s;
        }
        d->region_value[PV_OV_VIOLENCE][r] = (float)d->region_violence[r];
        d->region_value[PV_OV_DISPLACEMENT][r] =
            d->region_home_pop[r] > 0 ? (float)(d->region_displaced[r] / d->region_home_pop[r]) : 0.0f;
        d->region_value[PV_OV_NEEDS][r] = (float)d->region_needs_met[r];
        d->region_value[PV_OV_TRUST][r] = F > 0 ? (float)d->region_trust[(size_t)r * (size_t)F + v->trust_faction] : 0.0f;
        d->region_value[PV_OV_CONTROL][r] = (float)d->region_control[r];
        d->region_value[PV_OV_DENSITY][r] = (float)(tot / km2);
    }

    /* causes of the last seven days' change of trust, population-weighted over groups */
    if (R > 0 && F > 0) {
        memset(d->trust_week, 0, (size_t)R * (size_t)F * PK_CAUSE_COUNT * sizeof(float));
        size_t nc;
        const pk_cause *cs = pk_world_causes(w, &nc);
        for (size_t k = nc; k-- > 0;) {
            const pk_cause *c = &cs[k];
            if (c->day <= d->day - 7) break;
            if (c->indicator != PK_CI_TRUST || c->region < 0 || c->region >= R || c->faction < 0 || c->faction >= F ||
                c->cause >= PK_CAUSE_COUNT)
                continue;
            double tot = 0;
            for (int g = 0; g < G; g++) tot += d->region_group_pop[(size_t)c->region * (size_t)G + g];
            double wgt = c->group >= 0 && tot > 0 ? d->region_group_pop[(size_t)c->region * (size_t)G + c->group] / tot
                                                  : (c->group >= 0 ? 1.0 / G : 1.0);
            d->trust_week[((size_t)c->region * (size_t)F + c->faction) * PK_CAUSE_COUNT + c->cause] += (float)(c->amount * wgt);
        }
    }

    /* units on the map: those that have arrived (a force deploying later is not drawn,
     * listed or counted before its deploy day) */
    int32_t before = d->n_units, live = pk_world_units(w, NULL, 0);
    pk_unit_state *all = live > PV_UNITS_MAX ? malloc((size_t)live * sizeof *all) : d->units;
    if (!all) { /* out of memory: the first PV_UNITS_MAX live units */
        all = d->units;
        live = PV_UNITS_MAX;
    }
    int32_t cap = all == d->units ? PV_UNITS_MAX : live;
    live = pk_world_units(w, all, cap);
    if (live > cap) live = cap;
    d->n_units = 0;
    for (int32_t i = 0; i < live && d->n_units < PV_UNITS_MAX; i++)
        if (all[i].deployed) d->units[d->n_units++] = all[i]; /* in place when all == d->units: never ahead */
    if (all != d->units) free(all);
    if (before == 0 && d->n_units > 0) v->labels_with_units = 0; /* place the map labels again around them */
    d->n_ind = pk_world_indicator_count(w);
    for (int32_t i = 0; i < d->n_ind; i++) {
        d->ind[i] = pk_world_indicator(w, i);
        d->ind_total[i] = pk_world_indicator_total(w, i);
    }
    /* history for the sparklines (a restored world cuts it back) */
    int32_t need = (d->day + 1) * d->n_ind;
    if (need > v->hist_cap) {
        int32_t cap = need * 2 + 64 * d->n_ind;
        double *h = realloc(v->hist, (size_t)cap * sizeof *h);
        if (h) {
            v->hist = h;
            v->hist_cap = cap;
        }
    }
    if (need <= v->hist_cap) {
        for (int32_t day = v->hist_days; day < d->day; day++) /* days not seen (none when stepping one at a time) */
            memcpy(v->hist + (size_t)day * (size_t)d->n_ind, d->ind, (size_t)d->n_ind * sizeof(double));
        memcpy(v->hist + (size_t)d->day * (size_t)d->n_ind, d->ind, (size_t)d->n_ind * sizeof(double));
        v->hist_days = d->day + 1;
    }
    pv_story_from_events(v);
    v->map_dirty = 1;
}

/* ---------------------------------------------------------------- the strip's choice */

static void add_strip(pv_view *v, const char *label, const char *ind, int total, int percent, int good_up) {
    int32_t i = pk_world_indicator_find(pk_scenario_world(v->sc), ind);
    if (i < 0 || v->n_strip >= PV_STRIP_MAX) return;
    pv_strip_item *s = &v->strip[v->n_strip++];
    snprintf(s->label, sizeof s->label, "%s", label);
    s->ind = i;
    s->total = total;
    s->percent = percent;
    s->good_up = good_up;
}

static void choose_strip(pv_view *v) {
    pk_world *w = pk_scenario_world(v->sc);
    const pk_epstein_def *ep = pk_world_epstein(w);
    if (ep) { /* Epstein's grid: its own figures, not the mission area's (engine/model/epstein.c) */
        if (ep->model == 2) {
            add_strip(v, "Alive: Blue", "alive.blue", 0, 0, 1);
            add_strip(v, "Alive: Green", "alive.green", 0, 0, 1);
            add_strip(v, "Killings", "killings", 1, 0, 0);
        }
        add_strip(v, "Rebelling (active)", "active", 0, 0, 0);
        add_strip(v, "Quiet", "quiet", 0, 0, 1);
        add_strip(v, "In jail", "jailed", 0, 0, 0);
        add_strip(v, "Arrests that day", "arrests", 0, 0, 0);
        return;
    }
    add_strip(v, "Civilians killed", "civilian_deaths", 1, 0, 0);
    add_strip(v, "Peacekeepers killed", "peacekeeper_deaths", 1, 0, 0);
    add_strip(v, "Displaced", "displaced", 0, 0, 0);
    add_strip(v, "Needs met", "needs_met", 0, 1, 1);
    add_strip(v, "Armed-group strength", "armed_strength", 0, 0, 0);
    add_strip(v, "Political progress", "political_progress", 0, 1, 1);
    /* trust in up to three missions: first those with units, then (while a row is left
     * for humanitarian access) those without any yet, whose trust only moves once a
     * script brings their units in (a mission that mandates another's units, as the UN
     * in a split mission, would show a flat line in a row access needs) */
    const int nf = pk_world_get_info(w).n_factions;
    uint8_t has_units[PK_MAX_FACTIONS] = {0};
    int n_live = pk_world_units(w, NULL, 0);
    pk_unit_state *live = n_live > 0 ? malloc((size_t)n_live * sizeof *live) : NULL;
    if (live) n_live = pk_world_units(w, live, n_live); /* deployed or not yet: a force that arrives later counts */
    for (int u = 0; live && u < n_live; u++)
        if (live[u].faction >= 0 && live[u].faction < nf) has_units[live[u].faction] = 1;
    free(live);
    size_t nq;
    const pk_command *q = pk_world_pending_commands(w, &nq); /* the initial units, before day 1 */
    for (size_t i = 0; i < nq; i++)
        if (q[i].type == PK_CMD_ADD_UNIT && q[i].unit_def.faction >= 0 && q[i].unit_def.faction < nf)
            has_units[q[i].unit_def.faction] = 1;
    int shown = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int k = PK_FACTION_UN; k <= PK_FACTION_HRPM && shown < 3; k++)
            for (int f = 0; f < nf && shown < 3; f++) {
                const pk_faction_def *fd = pk_world_faction(w, f);
                if ((int)fd->kind != k) continue;
                if (has_units[f] != (pass == 0) || (pass == 1 && v->n_strip >= PV_STRIP_MAX - 1)) continue;
                char ind[PK_ID_MAX + 16], label[64], sh[32];
                snprintf(ind, sizeof ind, "trust.%s", fd->id);
                pv_faction_short(v, f, sh, sizeof sh);
                snprintf(label, sizeof label, "Trust in %s", sh);
                add_strip(v, label, ind, 0, 1, 1);
                shown++;
            }
    add_strip(v, "Humanitarian access", "humanitarian_access", 0, 1, 1);
}

/* ---------------------------------------------------------------- create, destroy */

static void worker_stop(pv_view *v);

static int relayout(pv_view *v) {
    pv_layout_compute(v);
    if (pv_fonts_open(v) != 0) return -1;
    return pv_map_init(v);
}

pv_view *pv_create(pk_scenario *sc, const pv_config *cfg, char *err, size_t errn, int *missing_font) {
    if (missing_font) *missing_font = 0;
    pv_view *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    v->cfg = *cfg;
    v->sc = sc;
    pk_world *w = pk_scenario_world(sc);
    v->map = pk_world_map(w);
    v->epstein = pk_world_epstein(w) != NULL;
    v->large_font = cfg->large_font;
    v->overlay = cfg->overlay > 0 && cfg->overlay < PV_OV_COUNT ? cfg->overlay : PV_OV_NONE;
    v->show_civilians = 1;
    v->show_units = 1;
    v->hover_region = v->hover_unit = v->pinned_region = v->pinned_unit = -1;
    v->hover_region_drawn = -2;
    v->speed_i = PV_DEFAULT_SPEED;
    v->days_total = pk_scenario_default_days(sc);
    if (!v->map || v->map->width < 1 || v->map->height < 1) {
        snprintf(err, errn, "this scenario has no map to show");
        free(v);
        return NULL;
    }
    /* the trust overlay's faction: as asked, else the first mission */
    pk_world_info info = pk_world_get_info(w);
    v->trust_faction = 0;
    for (int f = info.n_factions - 1; f >= 0; f--)
        if (pk_world_faction(w, f)->kind == PK_FACTION_UN) v->trust_faction = f;
    if (cfg->trust_faction) {
        int32_t f = pk_world_find_faction(w, cfg->trust_faction);
        if (f < 0) {
            snprintf(err, errn, "unknown faction '%s' for --trust", cfg->trust_faction);
            free(v);
            return NULL;
        }
        v->trust_faction = f;
    }
    if (SDL_Init(cfg->headless ? 0 : SDL_INIT_VIDEO) != 0) {
        snprintf(err, errn, "cannot start SDL video: %s", SDL_GetError());
        free(v);
        return NULL;
    }
    if (TTF_Init() != 0) {
        snprintf(err, errn, "cannot start SDL_ttf: %s", TTF_GetError());
        SDL_Quit();
        free(v);
        return NULL;
    }
    v->w = cfg->width > 0 ? cfg->width : 1920;
    v->h = cfg->height > 0 ? cfg->height : 1080;
    if (cfg->headless) {
        v->target = SDL_CreateRGBSurfaceWithFormat(0, v->w, v->h, 32, SDL_PIXELFORMAT_ARGB8888);
        v->ren = v->target ? SDL_CreateSoftwareRenderer(v->target) : NULL;
    } else {
        char title[256];
        snprintf(title, sizeof title, "pkosim \xE2\x80\x94 %s", pk_scenario_name(sc));
        v->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, v->w, v->h,
                                  SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
        if (v->win) {
            SDL_SetWindowMinimumSize(v->win, 960, 540);
            v->ren = SDL_CreateRenderer(v->win, -1, 0);
            if (!v->ren) v->ren = SDL_CreateRenderer(v->win, -1, SDL_RENDERER_SOFTWARE);
            if (v->ren) SDL_GetRendererOutputSize(v->ren, &v->w, &v->h);
        }
    }
    if (!v->ren) {
        snprintf(err, errn, "cannot create the %s: %s", cfg->headless ? "offscreen renderer" : "window", SDL_GetError());
        pv_destroy(v);
        return NULL;
    }
    if (alloc_data(v) != 0) {
        snprintf(err, errn, "out of memory");
        pv_destroy(v);
        return NULL;
    }
    pv_capture(v);
    choose_strip(v);
    if (relayout(v) != 0) {
        snprintf(err, errn, "%s", v->error);
        if (missing_font && strstr(v->error, "font")) *missing_font = 1;
        pv_destroy(v);
        return NULL;
    }
    return v;
}

void pv_destroy(pv_view *v) {
    if (!v) return;
    worker_stop(v);
    pv_map_free(v);
    pv_fonts_close(v);
    for (int i = 0; i < v->n_snap; i++) free(v->snap[i].buf);
    free_data(v);
    if (v->ren) SDL_DestroyRenderer(v->ren);
    if (v->target) SDL_FreeSurface(v->target);
    if (v->win) SDL_DestroyWindow(v->win);
    if (TTF_WasInit()) TTF_Quit();
    SDL_Quit();
    free(v);
}

void pv_set_overlay(pv_view *v, int overlay) {
    if (overlay < 0 || overlay >= PV_OV_COUNT) return;
    v->overlay = overlay;
    v->map_dirty = 1;
}

void pv_set_size(pv_view *v, int width, int height) {
    if (!v->target || width < 1 || height < 1) return;
    /* a new surface and renderer: textures belong to the renderer, so free them first */
    pv_map_free(v);
    pv_text_cache_clear(v);
    SDL_DestroyRenderer(v->ren);
    SDL_FreeSurface(v->target);
    v->w = width;
    v->h = height;
    v->target = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
    v->ren = v->target ? SDL_CreateSoftwareRenderer(v->target) : NULL;
    if (v->ren) relayout(v);
}

/* ---------------------------------------------------------------- stepping, snapshots */

pk_status pv_step_day(pv_view *v, pk_error *err) {
    pk_status st = pv_async_wait(v, err);
    if (st != PK_OK) return st;
    st = pk_scenario_step(v->sc, err);
    if (st == PK_OK) pv_capture(v);
    return st;
}

static void set_status(pv_view *v, const char *msg) {
    snprintf(v->status, sizeof v->status, "%.250s", msg);
    v->status_until = SDL_GetTicks() + 4000;
}
void pv_set_status(pv_view *v, const char *msg) { set_status(v, msg); }

/* ---------------------------------------------------------------- the white cell */

pk_status pv_inject_fire(pv_view *v, int i, pk_error *err) {
    if (pv_async_wait(v, err) != PK_OK) return PK_ERR_RUNTIME;
    pk_status st = pk_scenario_fire_inject(v->sc, i, err);
    const pk_scenario_inject *in = pk_scenario_inject_get(v->sc, i);
    char msg[200];
    if (st == PK_OK) snprintf(msg, sizeof msg, "Inject '%s' fired: it takes effect on day %d", in->id, (int)in->fired_day);
    else snprintf(msg, sizeof msg, "%.190s", err->msg);
    set_status(v, msg);
    return st;
}

pk_status pv_inject_skip(pv_view *v, int i, pk_error *err) {
    if (pv_async_wait(v, err) != PK_OK) return PK_ERR_RUNTIME;
    const pk_scenario_inject *in = pk_scenario_inject_get(v->sc, i);
    if (!in) return pk_error_set(err, NULL, 0, NULL, "no inject %d", i + 1);
    char msg[200];
    if (pk_scenario_skip_inject(v->sc, i) != PK_OK) {
        snprintf(msg, sizeof msg, "Inject '%s' is not pending: it cannot be skipped", in->id);
        set_status(v, msg);
        return pk_error_set(err, NULL, 0, NULL, "%s", msg);
    }
    snprintf(msg, sizeof msg, "Inject '%s' skipped", in->id);
    set_status(v, msg);
    return PK_OK;
}

pk_status pv_order(pv_view *v, int unit, int task, int32_t region, pk_error *err) {
    if (unit < 0 || unit >= v->d.n_units) return pk_error_set(err, NULL, 0, NULL, "no unit %d", unit);
    if (pv_async_wait(v, err) != PK_OK) return PK_ERR_RUNTIME;
    if (unit >= v->d.n_units) return pk_error_set(err, NULL, 0, NULL, "no unit %d", unit);
    const pk_unit_state *u = &v->d.units[unit];
    pk_status st = pk_scenario_order(v->sc, u->id, task, region, err);
    char msg[300];
    if (st == PK_OK) {
        int32_t r = region >= 0 ? region : (u->cell >= 0 ? v->map->region[u->cell] : -1);
        snprintf(msg, sizeof msg, "Order: %s to %s %s from day %d", u->name, pk_task_name((pk_task)task),
                 r >= 0 && r < v->map->n_regions ? v->map->regions[r].name : "where it is", (int)v->d.day + 1);
    } else {
        snprintf(msg, sizeof msg, "%.250s", err->msg);
    }
    set_status(v, msg);
    return st;
}

/* A key order for the selected unit: patrol, protect or offensive where it is, if its
 * type can do it (who can do what, pk_unit_can). */
static void key_order(pv_view *v, int task) {
    int u = v->pinned_unit;
    if (u < 0 || u >= v->d.n_units) {
        set_status(v, "Click a unit first, then give it an order");
        return;
    }
    const pk_unit_state *us = &v->d.units[u];
    if (task == PK_TASK_OFFENSIVE && us->type == PK_UNIT_ARMED_BAND) task = PK_TASK_RAID;
    if (!pk_unit_can(us->type, (pk_task)task)) {
        char msg[300], can[160] = "";
        size_t len = 0;
        for (int k = 0; k < PK_TASK_COUNT; k++)
            if (pk_unit_can(us->type, (pk_task)k) && len + 16 < sizeof can)
                len += (size_t)snprintf(can + len, sizeof can - len, "%s%s", len ? ", " : "", pk_task_name((pk_task)k));
        snprintf(msg, sizeof msg, "%.60s (%s) cannot %s; it can: %s", us->name, pk_unit_type_name(us->type),
                 pk_task_name((pk_task)task), can);
        set_status(v, msg);
        return;
    }
    pk_error err;
    pv_order(v, u, task, -1, &err);
}

/* Right-click with a unit selected: patrol (an armed band: raid) the district clicked; a
 * unit that cannot patrol (engineers, medical, civilians) goes there with its own task. */
static int click_order(pv_view *v, int x, int y) {
    int u = v->pinned_unit;
    if (u < 0 || u >= v->d.n_units) return 0;
    int32_t c = pv_map_cell_at(v, x, y);
    int32_t r = c >= 0 ? v->map->region[c] : -1;
    if (r < 0) return 0;
    pk_error err;
    const pk_unit_state *us = &v->d.units[u];
    int task = us->type == PK_UNIT_ARMED_BAND ? PK_TASK_RAID : PK_TASK_PATROL;
    if (!pk_unit_can(us->type, (pk_task)task)) task = us->task;
    pv_order(v, u, task, r, &err);
    return 1;
}

static void inject_select(pv_view *v, int delta) {
    int n = pk_scenario_inject_count(v->sc);
    if (n == 0) return;
    v->inject_chosen = 1;
    v->inject_sel += delta;
    if (v->inject_sel < 0) v->inject_sel = 0;
    if (v->inject_sel >= n) v->inject_sel = n - 1;
}

int pv_snapshot_take(pv_view *v) {
    void *buf;
    size_t size;
    pk_error err;
    if (pv_async_wait(v, &err) != PK_OK) return -1;
    if (pk_world_save(pk_scenario_world(v->sc), &buf, &size) != PK_OK) return -1;
    if (v->n_snap == PV_SNAP_MAX) {
        free(v->snap[0].buf);
        memmove(v->snap, v->snap + 1, sizeof v->snap[0] * (PV_SNAP_MAX - 1));
        v->n_snap--;
    }
    v->snap[v->n_snap] = (pv_snapshot){buf, size, v->d.day};
    char msg[96];
    snprintf(msg, sizeof msg, "Snapshot %d taken (day %d)", v->n_snap + 1, v->d.day);
    set_status(v, msg);
    return v->n_snap++;
}

pk_status pv_snapshot_restore(pv_view *v, int k, pk_error *err) {
    if (k < 0 || k >= v->n_snap) return pk_error_set(err, NULL, 0, NULL, "no snapshot %d", k + 1);
    if (pv_async_wait(v, err) != PK_OK) return PK_ERR_RUNTIME;
    pk_status st = pk_scenario_restore_world(v->sc, v->snap[k].buf, v->snap[k].size, err);
    if (st != PK_OK) return st;
    /* the ticker keeps what happened up to the snapshot's day */
    int32_t day = v->snap[k].day;
    int keep = 0;
    for (int i = 0; i < v->n_story; i++)
        if (v->story[(v->story_head + i) % PV_STORY_MAX].day <= day) keep = i + 1;
    v->n_story = keep;
    v->d.n_flash = 0;
    pk_world_events(pk_scenario_world(v->sc), &v->events_read);
    if (v->hist_days > day + 1) v->hist_days = day + 1;
    pv_capture(v);
    char msg[96];
    snprintf(msg, sizeof msg, "Returned to snapshot %d (day %d)", k + 1, day);
    set_status(v, msg);
    return PK_OK;
}

/* ---------------------------------------------------------------- the simulation thread */

static int worker_main(void *arg) {
    pv_view *v = arg;
    SDL_LockMutex(v->mu);
    for (;;) {
        while (!v->busy && !v->quit) SDL_CondWait(v->cv, v->mu);
        if (v->quit) break;
        SDL_UnlockMutex(v->mu);
        pk_error err;
        pk_status st = pk_scenario_step(v->sc, &err);
        SDL_LockMutex(v->mu);
        v->worker_status = st;
        if (st != PK_OK) v->worker_err = err;
        v->busy = 0;
        v->day_done = 1;
        SDL_CondBroadcast(v->cv);
    }
    SDL_UnlockMutex(v->mu);
    return 0;
}

static int worker_start(pv_view *v) {
    if (v->worker) return 0;
    v->mu = SDL_CreateMutex();
    v->cv = SDL_CreateCond();
    if (!v->mu || !v->cv) return -1;
    v->worker = SDL_CreateThread(worker_main, "pkosim-sim", v);
    return v->worker ? 0 : -1;
}

static void worker_stop(pv_view *v) {
    if (v->worker) {
        SDL_LockMutex(v->mu);
        v->quit = 1;
        SDL_CondBroadcast(v->cv);
        SDL_UnlockMutex(v->mu);
        SDL_WaitThread(v->worker, NULL);
        v->worker = NULL;
    }
    if (v->cv) SDL_DestroyCond(v->cv);
    if (v->mu) SDL_DestroyMutex(v->mu);
    v->cv = NULL;
    v->mu = NULL;
}

/* Take a finished day in (the world is idle then). */
static pk_status take_day(pv_view *v, pk_error *err) {
    v->day_done = 0;
    if (v->worker_status != PK_OK) {
        *err = v->worker_err;
        return v->worker_status;
    }
    pv_capture(v);
    return PK_OK;
}

pk_status pv_async_tick(pv_view *v, int play, pk_error *err) {
    if (worker_start(v) != 0) return pv_step_day(v, err); /* no thread: step in line */
    SDL_LockMutex(v->mu);
    int busy = v->busy, done = v->day_done;
    SDL_UnlockMutex(v->mu);
    pk_status st = PK_OK;
    v->started = 0;
    if (!busy && done) st = take_day(v, err);
    if (st == PK_OK && play && !busy) {
        v->started = 1;
        SDL_LockMutex(v->mu);
        v->busy = 1;
        SDL_CondBroadcast(v->cv);
        SDL_UnlockMutex(v->mu);
    }
    return st;
}

pk_status pv_async_wait(pv_view *v, pk_error *err) {
    if (!v->worker) return PK_OK;
    SDL_LockMutex(v->mu);
    while (v->busy) SDL_CondWait(v->cv, v->mu);
    int done = v->day_done;
    SDL_UnlockMutex(v->mu);
    return done ? take_day(v, err) : PK_OK;
}

/* ---------------------------------------------------------------- drawing, saving */

void pv_render(pv_view *v) {
    v->frame++;
    SDL_SetRenderDrawColor(v->ren, 0xF4, 0xF4, 0xF2, 255);
    SDL_RenderClear(v->ren);
    pv_map_draw(v);
    pv_panels_draw(v);
    if (v->show_help) pv_help_draw(v);
    if ((v->frame & 31) == 0) pv_text_cache_sweep(v);
}

int pv_save_png(pv_view *v, const char *path, char *err, size_t errn) {
    SDL_Surface *s = v->target;
    SDL_Surface *tmp = NULL;
    if (!s) {
        tmp = SDL_CreateRGBSurfaceWithFormat(0, v->w, v->h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!tmp || SDL_RenderReadPixels(v->ren, NULL, SDL_PIXELFORMAT_ARGB8888, tmp->pixels, tmp->pitch) != 0) {
            snprintf(err, errn, "cannot read the window's pixels: %s", SDL_GetError());
            SDL_FreeSurface(tmp);
            return -1;
        }
        s = tmp;
    }
    int rc = IMG_SavePNG(s, path);
    if (rc != 0) snprintf(err, errn, "cannot write %s: %s", path, IMG_GetError());
    SDL_FreeSurface(tmp);
    return rc == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- the interactive loop */

static void update_hover(pv_view *v) {
    int u = pv_unit_at(v, v->mouse_x, v->mouse_y);
    int32_t c = pv_map_cell_at(v, v->mouse_x, v->mouse_y);
    v->hover_unit = u;
    v->hover_region = u < 0 && c >= 0 ? v->map->region[c] : -1;
}

static void toggle_fullscreen(pv_view *v) {
    if (!v->win) return; /* headless */
    v->fullscreen = !v->fullscreen;
    SDL_SetWindowFullscreen(v->win, v->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
}

static int step_days(pv_view *v, int n, pk_error *err) {
    for (int i = 0; i < n; i++)
        if (pv_step_day(v, err) != PK_OK) return -1;
    return 0;
}

static void screenshot(pv_view *v) {
    char path[256], err[512];
    snprintf(path, sizeof path, "pkosim-%s-day%03d.png", pk_scenario_name(v->sc), v->d.day);
    pv_render(v);
    if (pv_save_png(v, path, err, sizeof err) == 0) {
        char msg[300];
        snprintf(msg, sizeof msg, "Screenshot saved: %s", path);
        set_status(v, msg);
        printf("pkosim view: screenshot %s\n", path);
        fflush(stdout);
    } else {
        set_status(v, err);
    }
}

static int run_window(pv_view *v, pk_error *err);

/* Returns 1 to quit, -1 on a scenario error. */
static int handle_key(pv_view *v, SDL_Keysym k, pk_error *err) {
    int shift = (k.mod & KMOD_SHIFT) != 0;
    switch (k.sym) {
    case SDLK_q:
        return 1;
    case SDLK_ESCAPE:
        if (v->show_help) v->show_help = 0;
        else if (v->pinned_region >= 0 || v->pinned_unit >= 0) v->pinned_region = v->pinned_unit = -1;
        else if (v->show_console) v->show_console = 0;
        else if (v->fullscreen) toggle_fullscreen(v);
        break;
    case SDLK_SPACE:
        v->playing = !v->playing;
        v->day_acc = 0;
        break;
    case SDLK_RIGHT:
    case SDLK_d:
        v->playing = 0;
        if (step_days(v, shift ? 7 : 1, err)) return -1;
        break;
    case SDLK_w:
    case SDLK_RETURN:
        v->playing = 0;
        if (step_days(v, 7, err)) return -1;
        break;
    case SDLK_KP_PLUS:
        if (v->speed_i + 1 < PV_N_SPEEDS) v->speed_i++;
        break;
    case SDLK_KP_MINUS:
        if (v->speed_i > 0) v->speed_i--;
        break;
    case SDLK_0: case SDLK_KP_0: pv_set_overlay(v, PV_OV_NONE); break;
    case SDLK_1: case SDLK_KP_1: pv_set_overlay(v, PV_OV_VIOLENCE); break;
    case SDLK_2: case SDLK_KP_2: pv_set_overlay(v, PV_OV_DISPLACEMENT); break;
    case SDLK_3: case SDLK_KP_3: pv_set_overlay(v, PV_OV_NEEDS); break;
    case SDLK_4: case SDLK_KP_4: pv_set_overlay(v, PV_OV_TRUST); break;
    case SDLK_5: case SDLK_KP_5: pv_set_overlay(v, PV_OV_CONTROL); break;
    case SDLK_6: case SDLK_KP_6: pv_set_overlay(v, PV_OV_DENSITY); break;
    case SDLK_f:
        if (v->d.n_factions > 0) {
            v->trust_faction = (v->trust_faction + 1) % v->d.n_factions;
            if (pv_async_wait(v, err) != PK_OK) return -1;
            pv_capture(v);
            pv_set_overlay(v, PV_OV_TRUST);
        }
        break;
    case SDLK_c:
        v->show_civilians = !v->show_civilians;
        v->map_dirty = 1;
        break;
    case SDLK_u:
        v->show_units = !v->show_units;
        break;
    case SDLK_l:
        v->large_font = !v->large_font;
        relayout(v);
        break;
    case SDLK_F11:
        toggle_fullscreen(v);
        break;
    case SDLK_F1:
        v->show_help = !v->show_help;
        break;
    case SDLK_TAB:
    case SDLK_i:
        v->show_console = !v->show_console;
        break;
    case SDLK_s:
        pv_snapshot_take(v);
        break;
    case SDLK_r:
        if (v->n_snap == 0) set_status(v, "No snapshot yet: press S to take one");
        else if (pv_snapshot_restore(v, v->n_snap - 1, err) != PK_OK) set_status(v, err->msg);
        break;
    case SDLK_p:
        screenshot(v);
        break;
    case SDLK_UP:
        inject_select(v, -1);
        v->show_console = 1;
        break;
    case SDLK_DOWN:
        inject_select(v, 1);
        v->show_console = 1;
        break;
    case SDLK_e:
    case SDLK_k:
        if (!v->show_console) set_status(v, "Open the console (Tab) to fire or skip injects");
        else if (pk_scenario_inject_count(v->sc) == 0) set_status(v, "This scenario declares no injects");
        else {
            pk_error e2;
            if (k.sym == SDLK_e) pv_inject_fire(v, v->inject_sel, &e2);
            else pv_inject_skip(v, v->inject_sel, &e2);
        }
        break;
    case SDLK_t:
        key_order(v, PK_TASK_PATROL);
        break;
    case SDLK_h:
        key_order(v, PK_TASK_PROTECT);
        break;
    case SDLK_o:
        key_order(v, PK_TASK_OFFENSIVE);
        break;
    default:
        break;
    }
    return 0;
}

int pv_run_window(pv_view *v, pk_error *err) {
    int rc = run_window(v, err);
    pk_error e2;
    if (pv_async_wait(v, &e2) != PK_OK && rc == 0) {
        *err = e2;
        rc = 1;
    }
    return rc;
}

int pv_handle_event(pv_view *v, const SDL_Event *e, pk_error *err) {
    if (e->type == SDL_QUIT) return 1;
    if (e->type == SDL_WINDOWEVENT && e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
        if (v->win) { /* headless, the size is pv_set_size's */
            SDL_GetRendererOutputSize(v->ren, &v->w, &v->h);
            relayout(v);
        }
    } else if (e->type == SDL_KEYDOWN) {
        int r = handle_key(v, e->key.keysym, err);
        if (r != 0) return r;
    } else if (e->type == SDL_TEXTINPUT) {
        if (!strcmp(e->text.text, "?")) v->show_help = !v->show_help;
        else if (!strcmp(e->text.text, "+") || !strcmp(e->text.text, "=")) {
            if (v->speed_i + 1 < PV_N_SPEEDS) v->speed_i++;
        } else if (!strcmp(e->text.text, "-")) {
            if (v->speed_i > 0) v->speed_i--;
        }
    } else if (e->type == SDL_MOUSEMOTION) {
        v->mouse_x = e->motion.x;
        v->mouse_y = e->motion.y;
        update_hover(v);
    } else if (e->type == SDL_MOUSEBUTTONDOWN) {
        v->mouse_x = e->button.x;
        v->mouse_y = e->button.y;
        if (e->button.button == SDL_BUTTON_RIGHT) {
            if (!click_order(v, e->button.x, e->button.y)) v->pinned_region = v->pinned_unit = -1;
        } else if (!(v->show_console && pv_console_click(v, e->button.x, e->button.y))) {
            update_hover(v);
            v->pinned_unit = v->hover_unit;
            v->pinned_region = v->hover_unit >= 0 ? -1 : v->hover_region;
        }
    }
    return 0;
}

static int run_window(pv_view *v, pk_error *err) {
    uint64_t freq = SDL_GetPerformanceFrequency(), last = SDL_GetPerformanceCounter();
    int quit = 0;
    while (!quit) {
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            int r = pv_handle_event(v, &e, err);
            if (r < 0) return 1;
            if (r > 0) quit = 1;
        }
        uint64_t now = SDL_GetPerformanceCounter();
        double dt = (double)(now - last) / (double)freq;
        last = now;
        /* playing: the simulation thread steps while the view keeps drawing */
        int32_t before = v->d.day;
        int want = 0;
        if (v->playing) {
            double sp = pv_speeds[v->speed_i];
            if (sp == 0) want = 1;
            else {
                v->day_acc += dt * sp;
                if (v->day_acc > 2) v->day_acc = 2; /* a slow day does not make a burst of days */
                want = v->day_acc >= 1;
            }
        }
        if (pv_async_tick(v, want, err) != PK_OK) return 1;
        if (v->started && pv_speeds[v->speed_i] != 0) v->day_acc -= 1;
        if (v->d.day != before) {
            if (v->d.day == v->days_total && v->playing) {
                v->playing = 0;
                char msg[160];
                snprintf(msg, sizeof msg, "The scenario's %d days are over; Space plays on", v->days_total);
                set_status(v, msg);
            }
            if (v->hover_unit >= 0 || v->hover_region >= 0) update_hover(v);
        }
        pv_render(v);
        SDL_RenderPresent(v->ren);
        /* about 60 frames a second at most; the software renderer needs no more */
        uint64_t spent = SDL_GetPerformanceCounter() - now;
        double ms = 1000.0 * (double)spent / (double)freq;
        if (ms < 16) SDL_Delay((uint32_t)(16 - ms));
    }
    return 0;
}

const char *pv_speed_text(const pv_view *v, char *buf, size_t n) {
    double sp = pv_speeds[v->speed_i];
    if (sp == 0) snprintf(buf, n, "as fast as possible");
    else snprintf(buf, n, "%g day%s/s", sp, sp == 1 ? "" : "s");
    return buf;
}

void pv_present(pv_view *v) {
    SDL_RenderPresent(v->ren);
    SDL_PumpEvents();
}

void pv_size(const pv_view *v, int *width, int *height) {
    *width = v->w;
    *height = v->h;
}

int pv_show(pv_view *v, const char *what, char *err, size_t errn) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", what);
    for (char *tok = buf, *next; tok && *tok; tok = next) {
        next = strchr(tok, ',');
        if (next) *next++ = '\0';
        if (!strcmp(tok, "help")) v->show_help = 1;
        else if (!strcmp(tok, "console")) v->show_console = 1;
        else if (!strncmp(tok, "region:", 7)) {
            int32_t r = pk_map_find_region(v->map, tok + 7);
            if (r < 0) {
                snprintf(err, errn, "unknown region '%s'", tok + 7);
                return -1;
            }
            v->pinned_region = r;
        } else if (!strncmp(tok, "unit:", 5)) {
            int u = atoi(tok + 5);
            if (u < 0 || u >= v->d.n_units) {
                snprintf(err, errn, "no unit %s (there are %d)", tok + 5, v->d.n_units);
                return -1;
            }
            v->pinned_unit = u;
        } else {
            snprintf(err, errn, "expected help, console, region:ID or unit:N, got '%s'", tok);
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- probes */

const uint32_t *pv_pixels(const pv_view *v, int *width, int *height, int *pitch) {
    if (!v->target) return NULL;
    *width = v->target->w;
    *height = v->target->h;
    *pitch = v->target->pitch / 4;
    return v->target->pixels;
}

int pv_panel_rect(const pv_view *v, const char *name, pv_rect *out) {
    const SDL_Rect *r = !strcmp(name, "map") ? &v->lay.map
                        : !strcmp(name, "ticker") ? &v->lay.ticker
                        : !strcmp(name, "top") ? &v->lay.top
                        : !strcmp(name, "right") ? &v->lay.right
                                                 : NULL;
    if (!r) return 0;
    *out = (pv_rect){r->x, r->y, r->w, r->h};
    return 1;
}

int pv_unit_count(const pv_view *v) { return v->n_drawn; }

void pv_unit_drawn(const pv_view *v, int i, int *x, int *y, int *size, uint32_t *rgb) {
    *x = (int)lroundf(v->drawn[i].x);
    *y = (int)lroundf(v->drawn[i].y);
    *size = (int)lroundf(v->drawn[i].size);
    *rgb = v->drawn[i].rgb;
}

int pv_label_count(const pv_view *v) { return v->n_labels; }
const char *pv_label_text(const pv_view *v, int i) { return v->labels[i].text; }
int pv_story_count(const pv_view *v) { return v->n_story; }
int pv_unit_label_count(const pv_view *v) { return v->n_unit_labels; }
const char *pv_unit_label(const pv_view *v, int i, int *unit, int *x, int *y) {
    if (i < 0 || i >= v->n_unit_labels) return NULL;
    if (unit) *unit = v->unit_labels[i].unit;
    if (x) *x = v->unit_labels[i].x;
    if (y) *y = v->unit_labels[i].y;
    return v->unit_labels[i].text;
}
