/* map_layer.c — the map: terrain, civilians' density, the overlays with their legends,
 * roads and district borders, sites, names, the scale bar and the incident flashes.
 * Static layers (which pixel shows which cell, roads, borders, label placement) are
 * computed once per layout; per day only the cells' colours change, and the raster is
 * composited into one streaming texture drawn unscaled (fast on a software renderer).
 * Never reads the world: only the view's copy (pv_data). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_internal.h"

static const uint32_t terrain_rgb[PK_TERRAIN_COUNT] = {
    0xEDE8D5, /* open */
    0xC3D9B0, /* forest */
    0xDCCBA8, /* hills */
    0xC2DCD3, /* swamp */
    0x9DC6E3, /* water */
    0xD3CEC8, /* urban */
    0xD5DADF, /* outside */
};
static const uint32_t map_bg = 0xD5DADF;

static inline uint32_t blend(uint32_t dst, uint32_t src, unsigned a) {
    unsigned ia = 255 - a;
    unsigned r = (((src >> 16) & 255) * a + ((dst >> 16) & 255) * ia) / 255;
    unsigned g = (((src >> 8) & 255) * a + ((dst >> 8) & 255) * ia) / 255;
    unsigned b = ((src & 255) * a + (dst & 255) * ia) / 255;
    return 0xFF000000u | (r << 16) | (g << 8) | b;
}

/* ---------------------------------------------------------------- colour scales */

/* Colour-blind-safe sequential scales: viridis for "more is better" shares, yellow-orange-
 * red for harm, light-to-dark blue for people. */
static const uint32_t ramp_viridis[5] = {0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725};
static const uint32_t ramp_heat[5] = {0xFFFFB2, 0xFECC5C, 0xFD8D3C, 0xE31A1C, 0x800026};
static const uint32_t ramp_people[5] = {0xEFF3FF, 0xBDD7E7, 0x6BAED6, 0x3182BD, 0x08306B};

uint32_t pv_ramp(int overlay, float t) {
    const uint32_t *r = ramp_viridis;
    if (overlay == PV_OV_VIOLENCE || overlay == PV_OV_DISPLACEMENT || overlay == PV_OV_CONTROL) r = ramp_heat;
    else if (overlay == PV_OV_DENSITY) r = ramp_people;
    if (!(t > 0)) t = 0;
    if (t > 1) t = 1;
    float f = t * 4.0f;
    int i = (int)f;
    if (i > 3) i = 3;
    unsigned a = (unsigned)lroundf((f - (float)i) * 255.0f);
    return blend(r[i], r[i + 1], a) & 0xFFFFFF;
}

void pv_overlay_range(const pv_view *v, int overlay, float *lo, float *hi) {
    *lo = 0;
    *hi = 1;
    if (overlay == PV_OV_VIOLENCE) {
        float m = 1.0f;
        for (int r = 0; r < v->d.n_regions; r++)
            if (v->d.region_value[PV_OV_VIOLENCE][r] > m) m = v->d.region_value[PV_OV_VIOLENCE][r];
        *hi = ceilf(m);
    } else if (overlay == PV_OV_DENSITY) {
        *hi = v->d.max_density > 1 ? v->d.max_density : 1;
    }
}

/* ---------------------------------------------------------------- geometry */

void pv_map_cell_center(const pv_view *v, int32_t cell, float *x, float *y) {
    int cx = cell % v->map->width, cy = cell / v->map->width;
    *x = (float)v->lay.map.x + ((float)cx + 0.5f) * v->lay.cell_px;
    *y = (float)v->lay.map.y + ((float)(v->map->height - 1 - cy) + 0.5f) * v->lay.cell_px;
}

int32_t pv_map_cell_at(const pv_view *v, int x, int y) {
    const SDL_Rect *m = &v->lay.map;
    if (!v->pix_cell || x < m->x || y < m->y || x >= m->x + m->w || y >= m->y + m->h) return -1;
    return v->pix_cell[(y - m->y) * v->map_tex_w + (x - m->x)];
}

static int region_of(const pv_view *v, int32_t cell) { return cell < 0 ? -1 : v->map->region[cell]; }

/* Stamp an anti-aliased disc into the top layer (keeps the stronger alpha). */
static void stamp(pv_view *v, float cx, float cy, float r, uint32_t rgb) {
    int w = v->map_tex_w, h = v->map_tex_h;
    int x0 = (int)floorf(cx - r - 1), x1 = (int)ceilf(cx + r + 1), y0 = (int)floorf(cy - r - 1), y1 = (int)ceilf(cy + r + 1);
    for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < h; y++)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < w; x++) {
            float dx = (float)x + 0.5f - cx, dy = (float)y + 0.5f - cy;
            float cov = r + 0.5f - sqrtf(dx * dx + dy * dy);
            if (cov <= 0) continue;
            unsigned a = cov >= 1 ? 255 : (unsigned)(cov * 255.0f);
            uint32_t *p = &v->pix_top[y * w + x];
            if ((*p >> 24) < a) *p = (a << 24) | rgb;
        }
}

static void road_segment(pv_view *v, int32_t a, int32_t b, float r, uint32_t rgb) {
    float ax, ay, bx, by;
    pv_map_cell_center(v, a, &ax, &ay);
    pv_map_cell_center(v, b, &bx, &by);
    ax -= (float)v->lay.map.x;
    bx -= (float)v->lay.map.x;
    ay -= (float)v->lay.map.y;
    by -= (float)v->lay.map.y;
    float len = sqrtf((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
    int steps = (int)(len * 2.0f) + 1;
    for (int i = 0; i <= steps; i++) {
        float t = (float)i / (float)steps;
        stamp(v, ax + (bx - ax) * t, ay + (by - ay) * t, r, rgb);
    }
}

static void draw_roads(pv_view *v, int cls, float r, uint32_t rgb) {
    const pk_map *m = v->map;
    for (int32_t y = 0; y < m->height; y++)
        for (int32_t x = 0; x < m->width; x++) {
            int32_t c = y * m->width + x;
            if (m->road[c] < cls) continue;
            int right = x + 1 < m->width && m->road[c + 1] >= cls;
            int up = y + 1 < m->height && m->road[c + m->width] >= cls;
            if (right) road_segment(v, c, c + 1, r, rgb);
            if (up) road_segment(v, c, c + m->width, r, rgb);
            /* diagonals only where no orthogonal pair already joins the two cells */
            if (x + 1 < m->width && y + 1 < m->height && m->road[c + m->width + 1] >= cls && !right && !up)
                road_segment(v, c, c + m->width + 1, r, rgb);
            if (x > 0 && y + 1 < m->height && m->road[c + m->width - 1] >= cls && !up && m->road[c - 1] < cls)
                road_segment(v, c, c + m->width - 1, r, rgb);
        }
}

/* Where a district's name goes: the cell deepest inside it, pulled towards its centroid. */
static void label_cells(pv_view *v) {
    const pk_map *m = v->map;
    int32_t n = m->width * m->height;
    float *dist = malloc((size_t)n * sizeof *dist);
    double *sx = calloc((size_t)m->n_regions * 3 + 1, sizeof *sx);
    if (!dist || !sx) goto done;
    /* chamfer distance to the nearest cell of another region (two passes) */
    for (int32_t i = 0; i < n; i++) dist[i] = 1e9f;
    for (int pass = 0; pass < 2; pass++)
        for (int32_t k = 0; k < n; k++) {
            int32_t i = pass == 0 ? k : n - 1 - k, x = i % m->width, y = i / m->width;
            int s = pass == 0 ? -1 : 1;
            const int nb[4][2] = {{s, 0}, {0, s}, {s, s}, {-s, s}};
            for (int j = 0; j < 4; j++) {
                int32_t xx = x + nb[j][0], yy = y + nb[j][1];
                float step = j < 2 ? 1.0f : 1.414f;
                if (xx < 0 || yy < 0 || xx >= m->width || yy >= m->height) {
                    if (dist[i] > 0.5f) dist[i] = 0.5f;
                    continue;
                }
                int32_t o = yy * m->width + xx;
                if (m->region[o] != m->region[i]) {
                    if (dist[i] > 0.5f) dist[i] = 0.5f;
                } else if (dist[o] + step < dist[i]) {
                    dist[i] = dist[o] + step;
                }
            }
        }
    for (int32_t i = 0; i < n; i++) {
        int r = m->region[i];
        if (r < 0) continue;
        sx[3 * r] += i % m->width;
        sx[3 * r + 1] += i / m->width;
        sx[3 * r + 2] += 1;
    }
    for (int r = 0; r < m->n_regions; r++) v->region_label_cell[r] = -1;
    float *best = calloc((size_t)m->n_regions + 1, sizeof *best);
    if (!best) goto done;
    for (int32_t i = 0; i < n; i++) {
        int r = m->region[i];
        if (r < 0 || sx[3 * r + 2] <= 0) continue;
        double cx = sx[3 * r] / sx[3 * r + 2], cy = sx[3 * r + 1] / sx[3 * r + 2];
        double dx = i % m->width - cx, dy = i / m->width - cy;
        float score = dist[i] - 0.35f * (float)sqrt(dx * dx + dy * dy);
        if (v->region_label_cell[r] < 0 || score > best[r]) {
            best[r] = score;
            v->region_label_cell[r] = i;
        }
    }
    free(best);
done:
    free(dist);
    free(sx);
}

static int overlaps(const SDL_Rect *a, const SDL_Rect *placed, int n) {
    for (int i = 0; i < n; i++) {
        const SDL_Rect *b = &placed[i];
        if (a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h) return 1;
    }
    return 0;
}

/* Place district names, then town and camp names, skipping any that would overlap: a
 * district name moves off the towns and units at its centre when it can. */
static void place_labels(pv_view *v) {
    const pk_map *m = v->map;
    free(v->labels);
    v->n_labels = 0;
    v->labels = calloc((size_t)(m->n_regions + m->n_sites) + 1, sizeof *v->labels);
    size_t cap = (size_t)(m->n_regions + 2 * m->n_sites + v->d.n_units) + 1;
    SDL_Rect *placed = calloc(cap, sizeof *placed);
    if (!v->labels || !placed) {
        free(placed);
        return;
    }
    int np = 0;
    SDL_Rect bounds = v->lay.map_area;
    /* obstacles: the sites' symbols and the units' symbols */
    for (int s = 0; s < m->n_sites; s++) {
        if (m->sites[s].kind == PK_SITE_VILLAGE) continue;
        float x, y, r = 8.0f * v->lay.ui + 2;
        pv_map_cell_center(v, m->sites[s].cell, &x, &y);
        placed[np++] = (SDL_Rect){(int)(x - r), (int)(y - r), (int)(2 * r), (int)(2 * r)};
    }
    for (int i = 0; i < v->d.n_units; i++) {
        if (v->d.units[i].cell < 0) continue;
        float x, y, sz;
        pv_unit_pos(v, i, &x, &y, &sz);
        placed[np++] = (SDL_Rect){(int)(x - sz * 0.7f), (int)(y - sz * 0.6f), (int)(sz * 1.4f), (int)(sz * 1.2f)};
    }
    int n_obstacles = np;
    for (int r = 0; r < m->n_regions; r++) {
        if (v->region_label_cell[r] < 0 || v->epstein) continue; /* an Epstein grid: its one region is the whole grid */
        float x, y;
        pv_map_cell_center(v, v->region_label_cell[r], &x, &y);
        int tw, th;
        pv_text_size(v, PV_FONT_BOLD, m->regions[r].name, &tw, &th);
        const float off[][2] = {{0, 0}, {0, 1.3f}, {0, -1.3f}, {0, 2.4f}, {0, -2.4f}, {0.7f, 0}, {-0.7f, 0}, {0.6f, 1.3f}, {-0.6f, 1.3f}};
        SDL_Rect best = {0, 0, 0, 0};
        int found = 0;
        /* first inside the district; a small one (an enclave) may take a spot beside it */
        for (int pass = 0; pass < 2 && !found; pass++)
            for (size_t k = 0; k < sizeof off / sizeof off[0]; k++) {
                SDL_Rect rc = {(int)(x + off[k][0] * (float)tw) - tw / 2, (int)(y + off[k][1] * (float)th) - th / 2, tw, th};
                if (rc.x < bounds.x) rc.x = bounds.x;
                if (rc.x + rc.w > bounds.x + bounds.w) rc.x = bounds.x + bounds.w - rc.w;
                int32_t c = pv_map_cell_at(v, rc.x + rc.w / 2, rc.y + rc.h / 2);
                if (pass == 0 && k > 0 && (c < 0 || m->region[c] != r)) continue;
                if (k == 0 && pass == 0) best = rc;
                if (!overlaps(&rc, placed, np)) {
                    best = rc;
                    found = 1;
                    break;
                }
            }
        placed[np++] = best;
        struct pv_label *l = &v->labels[v->n_labels++];
        l->x = best.x + best.w / 2;
        l->y = best.y;
        l->font = PV_FONT_BOLD;
        l->halo = 1;
        l->site = -1;
        snprintf(l->text, sizeof l->text, "%s", m->regions[r].name);
    }
    (void)n_obstacles;
    /* sites by importance: towns by population, then camps and protection sites */
    int *order = malloc((size_t)m->n_sites * sizeof *order + sizeof *order);
    if (!order) {
        free(placed);
        return;
    }
    int no = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int s = 0; s < m->n_sites; s++) {
            pk_site_kind k = m->sites[s].kind;
            if ((pass == 0 && k == PK_SITE_TOWN) || (pass == 1 && (k == PK_SITE_CAMP || k == PK_SITE_PROTECTION_SITE))) {
                int at = no++;
                if (pass == 0)
                    while (at > 0 && m->sites[order[at - 1]].population < m->sites[s].population) {
                        order[at] = order[at - 1];
                        at--;
                    }
                order[at] = s;
            }
        }
    for (int i = 0; i < no; i++) {
        const pk_site *s = &m->sites[order[i]];
        float x, y;
        pv_map_cell_center(v, s->cell, &x, &y);
        int tw, th;
        pv_text_size(v, PV_FONT_LABEL, s->name, &tw, &th);
        int gap = (int)(9.0f * v->lay.ui) + 3;
        SDL_Rect cand[4] = {{(int)x + gap, (int)y - th / 2, tw, th},
                            {(int)x - gap - tw, (int)y - th / 2, tw, th},
                            {(int)x - tw / 2, (int)y - gap - th, tw, th},
                            {(int)x - tw / 2, (int)y + gap, tw, th}};
        for (int k = 0; k < 4; k++) {
            SDL_Rect *c = &cand[k];
            if (c->x < bounds.x || c->y < bounds.y || c->x + c->w > bounds.x + bounds.w || c->y + c->h > bounds.y + bounds.h)
                continue;
            if (overlaps(c, placed, np)) continue;
            placed[np++] = *c;
            struct pv_label *l = &v->labels[v->n_labels++];
            l->x = c->x;
            l->y = c->y;
            l->font = PV_FONT_LABEL;
            l->halo = 1;
            l->site = order[i];
            snprintf(l->text, sizeof l->text, "%s", s->name);
            break;
        }
    }
    free(order);
    free(placed);
}

void pv_map_free(pv_view *v) {
    if (v->map_tex) SDL_DestroyTexture(v->map_tex);
    v->map_tex = NULL;
    free(v->pix_cell);
    free(v->pix_top);
    free(v->labels);
    v->pix_cell = NULL;
    v->pix_top = NULL;
    v->labels = NULL;
    v->n_labels = 0;
}

int pv_map_init(pv_view *v) {
    pv_map_free(v);
    const pk_map *m = v->map;
    int w = v->lay.map.w, h = v->lay.map.h;
    if (w < 1) w = 1;
    if (h < 1) h = 1;
    v->map_tex_w = w;
    v->map_tex_h = h;
    v->pix_cell = malloc((size_t)w * (size_t)h * sizeof *v->pix_cell);
    v->pix_top = calloc((size_t)w * (size_t)h, sizeof *v->pix_top);
    v->map_tex = SDL_CreateTexture(v->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
    if (!v->pix_cell || !v->pix_top || !v->map_tex) {
        snprintf(v->error, sizeof v->error, "out of memory for the map layer (%dx%d): %s", w, h, SDL_GetError());
        return -1;
    }
    for (int y = 0; y < h; y++) {
        int cy = m->height - 1 - (int)((float)y / v->lay.cell_px);
        if (cy < 0) cy = 0;
        for (int x = 0; x < w; x++) {
            int cx = (int)((float)x / v->lay.cell_px);
            if (cx >= m->width) cx = m->width - 1;
            v->pix_cell[y * w + x] = cy * m->width + cx;
        }
    }
    /* roads: tracks then main roads on top, thin and quiet so overlays stay readable */
    float ui = v->lay.ui;
    draw_roads(v, PK_ROAD_TRACK, 0.55f * ui + 0.2f, 0x8A7A66);
    draw_roads(v, PK_ROAD_MAIN, 1.1f * ui + 0.3f, 0x6E4E37);
    /* borders from the raster: where the region changes between neighbouring pixels */
    int thick = (int)lroundf(1.0f * ui);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int r = region_of(v, v->pix_cell[y * w + x]);
            int rr = x + 1 < w ? region_of(v, v->pix_cell[y * w + x + 1]) : r;
            int rd = y + 1 < h ? region_of(v, v->pix_cell[(y + 1) * w + x]) : r;
            if (r == rr && r == rd) continue;
            int outline = (r < 0) != (rr < 0) || (r < 0) != (rd < 0);
            uint32_t col = outline ? 0xFF202020u : 0xE0505050u;
            int t = outline ? thick + 1 : thick;
            for (int dy = -t / 2; dy <= (t + 1) / 2; dy++)
                for (int dx = -t / 2; dx <= (t + 1) / 2; dx++) {
                    int xx = x + dx, yy = y + dy;
                    if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                    uint32_t *p = &v->pix_top[yy * w + xx];
                    if (outline || (*p >> 24) < 0xE0 || (*p & 0xFFFFFF) != 0x202020) *p = col;
                }
        }
    label_cells(v);
    place_labels(v);
    v->labels_with_units = v->d.n_units > 0;
    v->map_dirty = 1;
    return 0;
}

/* ---------------------------------------------------------------- per-day composition */

/* The colours of an Epstein grid's cells (Okabe-Ito, told apart with any colour vision):
 * quiet citizens light grey-violet (Model II: sky blue and bluish green for the two
 * groups, Epstein's "blue" and "green"), active vermillion, jailed mid grey, cops or
 * peacekeepers black; empty cells keep the ground. */
static uint32_t epstein_rgb(uint8_t s, uint32_t ground, int two_groups) {
    static const uint32_t rgb[5] = {0, 0xC9C0D3, 0xD55E00, 0x8C8C8C, 0x111111};
    const uint8_t code = s & 7u;
    if (code == PV_EP_EMPTY || code > PV_EP_COP) return ground;
    if (code == PV_EP_QUIET && two_groups) return (s & 8u) ? 0x009E73 : 0x56B4E9;
    return rgb[code];
}

static void compose(pv_view *v) {
    const pk_map *m = v->map;
    const pv_data *d = &v->d;
    float km2 = (float)(m->cell_km * m->cell_km);
    float lo, hi;
    pv_overlay_range(v, v->overlay, &lo, &hi);
    float logmax = logf(1.0f + (d->max_density > 1 ? d->max_density : 1));
    for (int32_t c = 0; c < d->n_cells; c++) {
        uint32_t col = terrain_rgb[m->terrain[c] < PK_TERRAIN_COUNT ? m->terrain[c] : 0];
        int r = m->region[c];
        float dens = d->cell_smooth[c] / km2;
        float td = dens > 0 ? logf(1.0f + dens) / logmax : 0;
        if (d->cell_state && v->show_civilians && (v->overlay == PV_OV_NONE || v->overlay == PV_OV_DENSITY)) {
            col = epstein_rgb(d->cell_state[c], col, d->n_groups == 2); /* Epstein's grid: each agent as what it is */
        } else if (v->overlay == PV_OV_DENSITY) {
            if (dens > 0 && r >= 0) col = blend(col, pv_ramp(PV_OV_DENSITY, td), 210);
        } else {
            if (v->show_civilians && dens > 0 && r >= 0) col = blend(col, 0x3A2548, (unsigned)(200.0f * td * sqrtf(td)));
            if (v->overlay != PV_OV_NONE && r >= 0) {
                float t = (d->region_value[v->overlay][r] - lo) / (hi - lo);
                col = blend(col, pv_ramp(v->overlay, t), 170);
            }
        }
        v->cell_rgb[c] = col;
    }
    void *pixels;
    int pitch;
    if (SDL_LockTexture(v->map_tex, NULL, &pixels, &pitch) != 0) return;
    int w = v->map_tex_w, h = v->map_tex_h;
    int hl = v->pinned_region >= 0 ? v->pinned_region : v->hover_region;
    int ht = (int)lroundf(2.5f * v->lay.ui) + 1;
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)pixels + (size_t)y * (size_t)pitch);
        const int32_t *pc = v->pix_cell + (size_t)y * (size_t)w;
        const uint32_t *pt = v->pix_top + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            int32_t c = pc[x];
            uint32_t col = c >= 0 ? v->cell_rgb[c] : 0xFF000000u | map_bg;
            uint32_t top = pt[x];
            unsigned a = top >> 24;
            if (a) col = a == 255 ? top : blend(col, top, a);
            row[x] = col | 0xFF000000u;
        }
        if (hl >= 0) /* the selected district's outline, drawn inside it */
            for (int x = 0; x < w; x++) {
                if (region_of(v, pc[x]) != hl) continue;
                int edge = 0;
                for (int k = 1; k <= ht && !edge; k++)
                    edge = (x - k < 0 || region_of(v, pc[x - k]) != hl) || (x + k >= w || region_of(v, pc[x + k]) != hl) ||
                           (y - k < 0 || region_of(v, pc[x - (ptrdiff_t)k * w]) != hl) ||
                           (y + k >= h || region_of(v, pc[x + (ptrdiff_t)k * w]) != hl);
                if (edge) row[x] = 0xFF111111u;
            }
    }
    SDL_UnlockTexture(v->map_tex);
    v->hover_region_drawn = hl;
    v->map_dirty = 0;
}

/* ---------------------------------------------------------------- sites, legend, scale */

static void draw_site(pv_view *v, const pk_site *s) {
    float x, y, ui = v->lay.ui;
    pv_map_cell_center(v, s->cell, &x, &y);
    SDL_Color dark = {34, 34, 34, 255}, white = {255, 255, 255, 255};
    switch (s->kind) {
    case PK_SITE_TOWN: {
        float r = (3.0f + 1.2f * log10f(1.0f + (float)s->population / 5000.0f) * 2.0f) * ui;
        if (r < 3) r = 3;
        pv_fill_circle(v, x, y, r + 1.5f * ui, white);
        pv_fill_circle(v, x, y, r, dark);
        break;
    }
    case PK_SITE_VILLAGE:
        pv_fill_circle(v, x, y, 2.6f * ui + 1, white);
        pv_fill_circle(v, x, y, 1.8f * ui + 0.5f, (SDL_Color){80, 80, 80, 255});
        break;
    case PK_SITE_CAMP: {
        float r = 7.0f * ui + 1, o = 1.8f * ui + 1;
        float t[6] = {x, y - r - o, x + r + o, y + r * 0.7f + o * 0.6f, x - r - o, y + r * 0.7f + o * 0.6f};
        float t2[6] = {x, y - r, x + r, y + r * 0.7f, x - r, y + r * 0.7f};
        pv_fill_poly(v, t, 3, dark);
        pv_fill_poly(v, t2, 3, white);
        break;
    }
    case PK_SITE_PROTECTION_SITE: {
        int r = (int)(6.0f * ui) + 1, o = (int)(1.8f * ui) + 1;
        pv_fill_rect(v, (SDL_Rect){(int)x - r - o, (int)y - r - o, 2 * (r + o), 2 * (r + o)}, dark);
        pv_fill_rect(v, (SDL_Rect){(int)x - r, (int)y - r, 2 * r, 2 * r}, white);
        pv_fill_rect(v, (SDL_Rect){(int)x - r / 3, (int)y - r / 3, 2 * (r / 3) + 1, 2 * (r / 3) + 1}, dark);
        break;
    }
    case PK_SITE_BASE: {
        int r = (int)(4.0f * ui) + 1;
        pv_fill_rect(v, (SDL_Rect){(int)x - r - 1, (int)y - r - 1, 2 * r + 2, 2 * r + 2}, white);
        pv_fill_rect(v, (SDL_Rect){(int)x - r, (int)y - r, 2 * r, 2 * r}, (SDL_Color){90, 90, 90, 255});
        break;
    }
    case PK_SITE_BORDER: {
        float r = 6.0f * ui + 1;
        float dmd[8] = {x, y - r, x + r, y, x, y + r, x - r, y};
        pv_fill_poly(v, dmd, 4, dark);
        float r2 = r * 0.5f;
        float d2[8] = {x, y - r2, x + r2, y, x, y + r2, x - r2, y};
        pv_fill_poly(v, d2, 4, white);
        break;
    }
    default:
        break;
    }
}

static void draw_flashes(pv_view *v) {
    float ui = v->lay.ui;
    for (int i = 0; i < v->d.n_flash; i++) {
        const pv_flash *f = &v->d.flash[i];
        int age = v->d.day - f->day;
        if (age < 0 || age > 2) continue;
        float x, y;
        pv_map_cell_center(v, f->cell, &x, &y);
        float r = (11.0f + 5.0f * log10f(1.0f + (float)f->count)) * ui;
        float pulse = 1.0f + 0.25f * sinf((float)v->frame * 0.35f + (float)i);
        uint8_t a = (uint8_t)(age == 0 ? 255 : age == 1 ? 170 : 95);
        float th = 2.5f * ui + 1;
        pv_ring(v, x, y, r * pulse + th * 0.6f, th * 0.6f, (SDL_Color){20, 20, 20, a});
        pv_ring(v, x, y, r * pulse, th, (SDL_Color){240, 228, 66, a});
    }
}

static void draw_scale_bar(pv_view *v) {
    static const double nice[] = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000};
    double km_per_px = v->map->cell_km / v->lay.cell_px;
    double target = (double)v->lay.map_area.w * 0.18 * km_per_px, km = nice[0];
    for (size_t i = 0; i < sizeof nice / sizeof nice[0]; i++)
        if (nice[i] <= target) km = nice[i];
    int len = (int)lround(km / km_per_px);
    int pad = v->lay.pad, hbar = (int)(7 * v->lay.ui) + 2;
    int th;
    pv_text_size(v, PV_FONT_SMALL, "0", NULL, &th);
    int x0 = v->lay.map_area.x + v->lay.map_area.w - pad * 3 - len, y0 = v->lay.map_area.y + v->lay.map_area.h - pad - hbar;
    pv_fill_rect(v, (SDL_Rect){x0 - pad, y0 - th - pad, len + 3 * pad + (int)(40 * v->lay.ui), hbar + th + pad * 2},
                 (SDL_Color){255, 255, 255, 200});
    pv_fill_rect(v, (SDL_Rect){x0 - 1, y0 - 1, len + 2, hbar + 2}, (SDL_Color){30, 30, 30, 255});
    for (int k = 0; k < 4; k++)
        pv_fill_rect(v, (SDL_Rect){x0 + k * len / 4, y0, len / 4, hbar},
                     k % 2 ? (SDL_Color){30, 30, 30, 255} : (SDL_Color){255, 255, 255, 255});
    SDL_Color ink = {30, 30, 30, 255};
    char buf[32];
    snprintf(buf, sizeof buf, "%g km", km);
    pv_text(v, PV_FONT_SMALL, "0", x0, y0 - th, ink, 1);
    pv_text(v, PV_FONT_SMALL, buf, x0 + len, y0 - th, ink, 1);
}

/* The legend of the overlay (or of the civilians' layer), bottom left of the map. */
/* A density for the legend: whole numbers from 10 up, else one or two decimals (an
 * Epstein grid holds at most one person a cell, and the scale must not read 0 - 0 - 1). */
static void fmt_density(char *buf, size_t n, float d) {
    if (d >= 10.f || d <= 0.f) snprintf(buf, n, "%.0f", d);
    else if (d >= 1.f) snprintf(buf, n, "%.1f", d);
    else snprintf(buf, n, "%.2f", d);
}

/* An Epstein grid's key: a swatch for each kind of cell. */
static void draw_epstein_legend(pv_view *v) {
    const int two = v->d.n_groups == 2;
    const char *label[6];
    uint8_t code[6];
    int n = 0;
    if (two) {
        label[n] = v->d.group_name[0], code[n++] = PV_EP_QUIET;
        label[n] = v->d.group_name[1], code[n++] = PV_EP_QUIET | 8u;
    } else {
        label[n] = "Quiet", code[n++] = PV_EP_QUIET;
    }
    label[n] = two ? "Active (killing)" : "Active (rebelling)", code[n++] = PV_EP_ACTIVE;
    label[n] = "Jailed", code[n++] = PV_EP_JAILED;
    label[n] = two ? "Peacekeeper" : "Cop", code[n++] = PV_EP_COP;
    const char *title = "Each cell: who stands on it";
    int pad = v->lay.pad, lh = v->lay.line, tw, th, maxw = 0;
    pv_text_size(v, PV_FONT_SMALL, title, &tw, &th);
    for (int i = 0; i < n; i++) {
        int w;
        pv_text_size(v, PV_FONT_SMALL, label[i], &w, NULL);
        if (w > maxw) maxw = w;
    }
    int sw = (int)(lh * 0.7f), bw = (tw > maxw + sw + pad ? tw : maxw + sw + pad) + 2 * pad, bh = th + n * lh + 2 * pad;
    int x = v->lay.map_area.x + pad, y = v->lay.map_area.y + v->lay.map_area.h - pad - bh;
    pv_fill_rect(v, (SDL_Rect){x, y, bw, bh}, (SDL_Color){255, 255, 255, 225});
    SDL_Color ink = {25, 25, 25, 255};
    pv_text(v, PV_FONT_SMALL, title, x + pad, y + pad / 2, ink, 0);
    for (int i = 0; i < n; i++) {
        int ry = y + pad / 2 + th + pad / 2 + i * lh;
        pv_fill_rect(v, (SDL_Rect){x + pad - 1, ry + (lh - sw) / 2 - 1, sw + 2, sw + 2}, (SDL_Color){90, 90, 90, 255});
        pv_fill_rect(v, (SDL_Rect){x + pad, ry + (lh - sw) / 2, sw, sw}, pv_rgb(epstein_rgb(code[i], 0xFFFFFF, two), 255));
        pv_text(v, PV_FONT_SMALL, label[i], x + pad + sw + pad, ry, ink, 0);
    }
}

static void draw_legend(pv_view *v) {
    char title[160], lo_s[32], hi_s[32], mid_s[32];
    int ov = v->overlay;
    if (v->d.cell_state && v->show_civilians && (ov == PV_OV_NONE || ov == PV_OV_DENSITY)) {
        draw_epstein_legend(v);
        return;
    }
    float lo, hi;
    pv_overlay_range(v, ov, &lo, &hi);
    int pct = ov == PV_OV_DISPLACEMENT || ov == PV_OV_NEEDS || ov == PV_OV_TRUST || ov == PV_OV_CONTROL;
    int shown = ov;
    if (ov == PV_OV_NONE) {
        if (!v->show_civilians) return;
        shown = PV_OV_DENSITY;
        snprintf(title, sizeof title, "Civilians (persons per km\xC2\xB2)");
    } else if (ov == PV_OV_TRUST) {
        const pk_faction_def *f = v->d.n_factions > 0 ? &v->d.factions[v->trust_faction] : NULL;
        snprintf(title, sizeof title, "Trust in %s", f ? f->name : "?");
    } else if (ov == PV_OV_VIOLENCE) {
        snprintf(title, sizeof title, "Violence (recent incidents, decaying)");
    } else if (ov == PV_OV_DISPLACEMENT) {
        snprintf(title, sizeof title, "Displaced (share of the district's people)");
    } else if (ov == PV_OV_NEEDS) {
        snprintf(title, sizeof title, "Needs met (food, water, health, shelter...)");
    } else if (ov == PV_OV_CONTROL) {
        snprintf(title, sizeof title, "Armed-group control (no freedom of movement)");
    } else {
        snprintf(title, sizeof title, "Population (persons per km\xC2\xB2)");
    }
    if (shown == PV_OV_DENSITY) {
        float km2 = (float)(v->map->cell_km * v->map->cell_km);
        float mx = v->d.max_density;
        (void)km2;
        snprintf(lo_s, sizeof lo_s, "0");
        fmt_density(mid_s, sizeof mid_s, expf(0.5f * logf(1 + mx)) - 1);
        fmt_density(hi_s, sizeof hi_s, mx);
    } else if (pct) {
        snprintf(lo_s, sizeof lo_s, "0%%");
        snprintf(mid_s, sizeof mid_s, "50%%");
        snprintf(hi_s, sizeof hi_s, "100%%");
    } else {
        snprintf(lo_s, sizeof lo_s, "%g", lo);
        snprintf(mid_s, sizeof mid_s, "%g", (lo + hi) / 2);
        snprintf(hi_s, sizeof hi_s, "%g", hi);
    }
    int pad = v->lay.pad, tw, th;
    pv_text_size(v, PV_FONT_SMALL, title, &tw, &th);
    int barw = (int)(260 * v->lay.ui), barh = (int)(14 * v->lay.ui) + 2;
    int bw = (tw > barw ? tw : barw) + 2 * pad, bh = th * 2 + barh + 3 * pad;
    int x = v->lay.map_area.x + pad, y = v->lay.map_area.y + v->lay.map_area.h - pad - bh;
    pv_fill_rect(v, (SDL_Rect){x, y, bw, bh}, (SDL_Color){255, 255, 255, 225});
    SDL_Color ink = {25, 25, 25, 255};
    pv_text(v, PV_FONT_SMALL, title, x + pad, y + pad / 2, ink, 0);
    int by = y + pad / 2 + th + pad / 2;
    int steps = barw / 3;
    for (int i = 0; i < steps; i++) {
        uint32_t c = pv_ramp(shown, (float)i / (float)(steps - 1));
        if (shown == PV_OV_DENSITY && ov == PV_OV_NONE) {
            float t = (float)i / (float)(steps - 1);
            c = blend(terrain_rgb[0], 0x3A2548, (unsigned)(200.0f * t * sqrtf(t))) & 0xFFFFFF;
        }
        pv_fill_rect(v, (SDL_Rect){x + pad + i * barw / steps, by, barw / steps + 1, barh}, pv_rgb(c, 255));
    }
    pv_text(v, PV_FONT_SMALL, lo_s, x + pad, by + barh + 2, ink, 0);
    pv_text(v, PV_FONT_SMALL, mid_s, x + pad + barw / 2, by + barh + 2, ink, 1);
    pv_text(v, PV_FONT_SMALL, hi_s, x + pad + barw, by + barh + 2, ink, 2);
}

/* The key: faction symbols and site symbols, top left of the map. */
static void draw_key(pv_view *v) {
    int pad = v->lay.pad, lh = v->lay.line;
    int maxw = 0;
    char names[PK_MAX_FACTIONS][PK_NAME_MAX];
    for (int f = 0; f < v->d.n_factions; f++) {
        snprintf(names[f], sizeof names[f], "%s", v->d.factions[f].name);
        int tw;
        pv_text_size(v, PV_FONT_SMALL, names[f], &tw, NULL);
        if (tw > maxw) maxw = tw;
    }
    if (v->d.n_factions == 0) return;
    int sym = (int)(lh * 0.8f);
    int bw = maxw + sym + 3 * pad, bh = v->d.n_factions * lh + 2 * pad / 2 + pad;
    int x = v->lay.map_area.x + pad, y = v->lay.map_area.y + pad;
    pv_fill_rect(v, (SDL_Rect){x, y, bw, bh}, (SDL_Color){255, 255, 255, 225});
    for (int f = 0; f < v->d.n_factions; f++) {
        const pk_faction_def *fd = &v->d.factions[f];
        float cy = (float)(y + pad + f * lh) + (float)lh / 2;
        pv_unit_symbol(v, fd->kind, (float)(x + pad) + (float)sym / 2, cy, (float)sym * 0.8f, pv_rgb(fd->color_rgb, 255));
        int th;
        pv_text_size(v, PV_FONT_SMALL, names[f], NULL, &th);
        pv_text(v, PV_FONT_SMALL, names[f], x + 2 * pad + sym, (int)cy - th / 2, (SDL_Color){25, 25, 25, 255}, 0);
    }
}

void pv_map_draw(pv_view *v) {
    int hl = v->pinned_region >= 0 ? v->pinned_region : v->hover_region;
    if (v->map_dirty || hl != v->hover_region_drawn) compose(v);
    if (!v->labels_with_units && v->d.n_units > 0) {
        place_labels(v);
        v->labels_with_units = 1;
    }
    pv_fill_rect(v, v->lay.map_area, pv_rgb(map_bg, 255));
    SDL_RenderCopy(v->ren, v->map_tex, NULL, &v->lay.map);
    for (int s = 0; s < v->map->n_sites; s++) draw_site(v, &v->map->sites[s]);
    for (int i = 0; i < v->n_labels; i++) {
        const struct pv_label *l = &v->labels[i];
        SDL_Color c = l->font == PV_FONT_BOLD ? (SDL_Color){20, 20, 20, 255} : (SDL_Color){45, 45, 45, 255};
        pv_text_halo(v, l->font, l->text, l->x, l->y, c, l->site < 0 ? 1 : 0);
    }
    draw_flashes(v);
    if (v->show_units) pv_units_draw(v);
    draw_key(v);
    draw_legend(v);
    draw_scale_bar(v);
}
