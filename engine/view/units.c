/* units.c — units as symbols coloured by their faction's colour (Okabe-Ito by default),
 * one shape per kind of faction so that colour is never the only cue: UN rectangle,
 * regional force octagon, HRPM circle, host government triangle pointing down, armed group diamond,
 * humanitarian cross. The area of a symbol grows with the unit's strength. Units in the
 * same cell are spread out around it, packed in rings, so none hides another. Each unit is labelled with its
 * strength (and a short name when the map is drawn large enough), placed beside the symbol
 * where it overlaps no symbol, no map label and no other unit label — the same greedy
 * placement as the map's labels (map_layer.c); a label that fits nowhere is left out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_internal.h"

static void shape(pv_view *v, pk_faction_kind kind, float x, float y, float s, SDL_Color c) {
    float h = s / 2;
    switch (kind) {
    case PK_FACTION_UN: {
        float r[8] = {x - h * 1.3f, y - h * 0.85f, x + h * 1.3f, y - h * 0.85f, x + h * 1.3f, y + h * 0.85f, x - h * 1.3f, y + h * 0.85f};
        pv_fill_poly(v, r, 4, c);
        break;
    }
    case PK_FACTION_REGIONAL: {
        float p[16];
        for (int i = 0; i < 8; i++) {
            float a = (float)(i * 45 + 22.5) * 3.14159265f / 180.0f;
            p[2 * i] = x + h * 1.15f * cosf(a);
            p[2 * i + 1] = y + h * 1.15f * sinf(a);
        }
        pv_fill_poly(v, p, 8, c);
        break;
    }
    case PK_FACTION_HRPM:
        pv_fill_circle(v, x, y, h * 1.1f, c);
        break;
    case PK_FACTION_HOST_GOV: { /* a triangle pointing down: a square read like the UN's
                                 * rectangle, and camps are triangles pointing up */
        float t[6] = {x - h * 1.4f, y - h * 0.95f, x + h * 1.4f, y - h * 0.95f, x, y + h * 1.45f};
        pv_fill_poly(v, t, 3, c);
        break;
    }
    case PK_FACTION_ARMED_GROUP: {
        float d[8] = {x, y - h * 1.35f, x + h * 1.35f, y, x, y + h * 1.35f, x - h * 1.35f, y};
        pv_fill_poly(v, d, 4, c);
        break;
    }
    default: { /* humanitarian: a cross */
        float t = h * 0.42f;
        float a[8] = {x - t, y - h * 1.2f, x + t, y - h * 1.2f, x + t, y + h * 1.2f, x - t, y + h * 1.2f};
        float b[8] = {x - h * 1.2f, y - t, x + h * 1.2f, y - t, x + h * 1.2f, y + t, x - h * 1.2f, y + t};
        pv_fill_poly(v, a, 4, c);
        pv_fill_poly(v, b, 4, c);
        break;
    }
    }
}

void pv_unit_symbol(pv_view *v, pk_faction_kind kind, float x, float y, float size, SDL_Color c) {
    float o = 1.5f * v->lay.ui + 1.0f;
    /* a dark outline (the shape drawn larger), then the colour */
    shape(v, kind, x, y, size + 2 * o, (SDL_Color){20, 20, 20, 255});
    shape(v, kind, x, y, size, c);
}

static float symbol_size(const pv_view *v, const pk_unit_state *u) {
    float ui = v->lay.ui;
    float s = ui * (9.0f + 9.0f * sqrtf((float)(u->strength > 0 ? u->strength : 0) / 850.0f));
    if (s < 8 * ui) s = 8 * ui;
    if (s > 26 * ui) s = 26 * ui;
    return s;
}

void pv_unit_pos(const pv_view *v, int i, float *x, float *y, float *size) {
    const pk_unit_state *u = &v->d.units[i];
    pv_map_cell_center(v, u->cell, x, y);
    *size = symbol_size(v, u);
    /* spread out the units sharing this cell, spaced by the largest of them */
    int k = 0, n = 0;
    float smax = 0;
    for (int j = 0; j < v->d.n_units; j++)
        if (v->d.units[j].cell == u->cell) {
            if (j < i) k++;
            n++;
            float sj = symbol_size(v, &v->d.units[j]);
            if (sj > smax) smax = sj;
        }
    if (n == 1) return;
    float radius, a;
    if (n <= 3) { /* two or three around the place */
        radius = smax * 0.8f;
        a = (float)k * 6.2831853f / (float)n - 1.5707963f;
    } else { /* more: packed in rings around the first (1, 6, 12, 18 ...), one close
              * group that reads as a concentration of forces, not a circle around the place */
        if (k == 0) return;
        int r = 1;
        while (k >= 1 + 3 * r * (r + 1)) r++;
        int slot = k - (1 + 3 * r * (r - 1));
        radius = smax * 1.25f * (float)r;
        a = (float)slot * 6.2831853f / (float)(6 * r) - 1.5707963f;
    }
    *x += radius * cosf(a);
    *y += radius * sinf(a);
}

static int overlaps(const SDL_Rect *a, const SDL_Rect *placed, int n) {
    for (int i = 0; i < n; i++) {
        const SDL_Rect *b = &placed[i];
        if (a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h) return 1;
    }
    return 0;
}

/* "UN battalion 3" -> "UN bn 3", "Police lumeni" -> "Pol. lumeni"; at most 14 characters. */
static void short_name(const char *name, char *out, size_t n) {
    static const char *const abbr[][2] = {{"battalion", "bn"}, {"Battalion", "Bn"}, {"Police", "Pol."}, {"engineers", "eng."},
                                          {"observers", "obs."}, {"company", "coy"}};
    char buf[PK_NAME_MAX * 2];
    snprintf(buf, sizeof buf, "%s", name);
    for (size_t k = 0; k < sizeof abbr / sizeof abbr[0]; k++) {
        char *p = strstr(buf, abbr[k][0]);
        if (!p) continue;
        char tail[PK_NAME_MAX * 2];
        snprintf(tail, sizeof tail, "%s", p + strlen(abbr[k][0]));
        snprintf(p, sizeof buf - (size_t)(p - buf), "%s%s", abbr[k][1], tail);
    }
    if (strlen(buf) > 14) {
        size_t L = 13;
        while (L > 0 && ((unsigned char)buf[L] & 0xC0) == 0x80) L--;
        memcpy(buf + L, "\xE2\x80\xA6", 4);
    }
    snprintf(out, n, "%s", buf);
}

static void label_units(pv_view *v) {
    v->n_unit_labels = 0;
    int n_obst = v->n_drawn + v->n_labels + v->map->n_sites;
    SDL_Rect *placed = malloc(((size_t)n_obst + (size_t)v->n_drawn + 1) * sizeof *placed);
    int *order = malloc(((size_t)v->n_drawn + 1) * sizeof *order);
    int *unit_of = malloc(((size_t)v->n_drawn + 1) * sizeof *unit_of);
    if (!placed || !order || !unit_of) goto done;
    int np = 0;
    /* obstacles: every unit symbol, the map's labels, the sites' symbols */
    for (int i = 0; i < v->n_drawn; i++) {
        const struct pv_drawn *d = &v->drawn[i];
        float r = d->size * 0.75f + 1;
        placed[np++] = (SDL_Rect){(int)(d->x - r), (int)(d->y - r), (int)(2 * r), (int)(2 * r)};
    }
    for (int i = 0; i < v->n_labels; i++) {
        const struct pv_label *l = &v->labels[i];
        int tw, th;
        pv_text_size(v, l->font, l->text, &tw, &th);
        placed[np++] = (SDL_Rect){l->site < 0 ? l->x - tw / 2 : l->x, l->y, tw, th};
    }
    for (int s = 0; s < v->map->n_sites; s++) {
        if (v->map->sites[s].kind == PK_SITE_VILLAGE) continue;
        float x, y, r = 8.0f * v->lay.ui + 2;
        pv_map_cell_center(v, v->map->sites[s].cell, &x, &y);
        placed[np++] = (SDL_Rect){(int)(x - r), (int)(y - r), (int)(2 * r), (int)(2 * r)};
    }
    /* the selected unit first, then the strongest */
    int no = 0;
    for (int i = 0; i < v->n_drawn; i++) unit_of[i] = v->drawn[i].unit;
    for (int i = 0; i < v->n_drawn; i++) {
        int u = unit_of[i];
        if (u < 0) continue;
        int key = u == v->pinned_unit || u == v->hover_unit ? 1 << 30 : v->d.units[u].strength;
        int at = no++;
        while (at > 0) {
            int pu = unit_of[order[at - 1]];
            int pk = pu == v->pinned_unit || pu == v->hover_unit ? 1 << 30 : v->d.units[pu].strength;
            if (pk >= key) break;
            order[at] = order[at - 1];
            at--;
        }
        order[at] = i;
    }
    SDL_Rect bounds = v->lay.map_area;
    int names = v->lay.map.w >= 1000; /* room for short names on a large map */
    for (int oi = 0; oi < no && v->n_unit_labels < PV_UNITS_MAX; oi++) {
        int i = order[oi], u = unit_of[i];
        const struct pv_drawn *d = &v->drawn[i];
        const pk_unit_state *us = &v->d.units[u];
        char texts[2][48];
        int nt = 0;
        if (names) {
            char sn[32];
            short_name(us->name, sn, sizeof sn);
            snprintf(texts[nt++], sizeof texts[0], "%s %d", sn, (int)us->strength);
        }
        snprintf(texts[nt++], sizeof texts[0], "%d", (int)us->strength);
        int done_one = 0;
        for (int t = 0; t < nt && !done_one; t++) {
            int tw, th;
            pv_text_size(v, PV_FONT_SMALL, texts[t], &tw, &th);
            int gap = (int)(d->size * 0.75f) + 2;
            SDL_Rect cand[6] = {{(int)d->x + gap, (int)d->y - th / 2, tw, th},
                                {(int)d->x - gap - tw, (int)d->y - th / 2, tw, th},
                                {(int)d->x - tw / 2, (int)d->y + gap - 1, tw, th},
                                {(int)d->x - tw / 2, (int)d->y - gap - th + 1, tw, th},
                                {(int)d->x + gap - 2, (int)d->y + gap / 2, tw, th},
                                {(int)d->x + gap - 2, (int)d->y - gap / 2 - th, tw, th}};
            for (int k = 0; k < 6; k++) {
                SDL_Rect *c = &cand[k];
                if (c->x < bounds.x || c->y < bounds.y || c->x + c->w > bounds.x + bounds.w || c->y + c->h > bounds.y + bounds.h)
                    continue;
                /* its own symbol is not an obstacle for the label that touches it */
                SDL_Rect own = placed[i];
                placed[i] = (SDL_Rect){0, 0, 0, 0};
                int hit = overlaps(c, placed, np);
                placed[i] = own;
                if (hit) continue;
                placed[np++] = *c;
                struct pv_unit_label *l = &v->unit_labels[v->n_unit_labels++];
                l->unit = u;
                l->x = c->x;
                l->y = c->y;
                snprintf(l->text, sizeof l->text, "%s", texts[t]);
                done_one = 1;
                break;
            }
        }
    }
    for (int i = 0; i < v->n_unit_labels; i++) {
        const struct pv_unit_label *l = &v->unit_labels[i];
        pv_text_halo(v, PV_FONT_SMALL, l->text, l->x, l->y, (SDL_Color){20, 20, 20, 255}, 0);
    }
done:
    free(placed);
    free(order);
    free(unit_of);
}

void pv_units_draw(pv_view *v) {
    v->n_drawn = 0;
    for (int i = 0; i < v->d.n_units; i++) {
        const pk_unit_state *u = &v->d.units[i];
        if (u->cell < 0 || u->faction < 0 || u->faction >= v->d.n_factions) continue;
        float x, y, s;
        pv_unit_pos(v, i, &x, &y, &s);
        const pk_faction_def *f = &v->d.factions[u->faction];
        int sel = i == v->hover_unit || i == v->pinned_unit;
        if (sel) pv_fill_circle(v, x, y, s * 1.25f + 4 * v->lay.ui, (SDL_Color){255, 255, 255, 200});
        pv_unit_symbol(v, f->kind, x, y, s, pv_rgb(f->color_rgb, 255));
        struct pv_drawn *dr = &v->drawn[v->n_drawn++];
        dr->x = x;
        dr->y = y;
        dr->size = s;
        dr->rgb = f->color_rgb;
        dr->unit = i;
        (void)dr;
    }
    label_units(v);
}

int pv_unit_at(pv_view *v, int x, int y) {
    int best = -1;
    float bd = 1e30f;
    for (int i = 0; i < v->d.n_units; i++) {
        if (v->d.units[i].cell < 0) continue;
        float ux, uy, s;
        pv_unit_pos(v, i, &ux, &uy, &s);
        float dx = (float)x - ux, dy = (float)y - uy, d2 = dx * dx + dy * dy;
        float r = s * 0.8f + 3;
        if (d2 <= r * r && d2 < bd) {
            bd = d2;
            best = i;
        }
    }
    return best;
}
