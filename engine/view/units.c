/* units.c — units as symbols coloured by their faction's colour (Okabe-Ito by default),
 * one shape per kind of faction so that colour is never the only cue: UN rectangle,
 * regional force octagon, HRPM circle, host government triangle, armed group diamond,
 * humanitarian cross. The area of a symbol grows with the unit's strength. Units in the
 * same cell are fanned out around it so none hides another. */
#include <math.h>
#include <stdio.h>
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
    case PK_FACTION_HOST_GOV: { /* a triangle: the UN's rectangle and a square read alike */
        float t[6] = {x, y - h * 1.45f, x + h * 1.4f, y + h * 0.95f, x - h * 1.4f, y + h * 0.95f};
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

void pv_unit_pos(const pv_view *v, int i, float *x, float *y, float *size) {
    const pk_unit_state *u = &v->d.units[i];
    pv_map_cell_center(v, u->cell, x, y);
    float ui = v->lay.ui;
    float s = ui * (9.0f + 9.0f * sqrtf((float)(u->strength > 0 ? u->strength : 0) / 850.0f));
    if (s < 8 * ui) s = 8 * ui;
    if (s > 26 * ui) s = 26 * ui;
    *size = s;
    /* fan out the units sharing this cell */
    int k = 0, n = 0;
    for (int j = 0; j < v->d.n_units; j++)
        if (v->d.units[j].cell == u->cell) {
            if (j < i) k++;
            n++;
        }
    if (n > 1) {
        float ring = s * (n <= 3 ? 0.8f : 0.3f * (float)n);
        float a = (float)k * 6.2831853f / (float)n - 1.5707963f;
        *x += ring * cosf(a);
        *y += ring * sinf(a);
    }
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
        (void)dr;
    }
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
