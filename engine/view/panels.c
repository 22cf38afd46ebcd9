/* panels.c — around the map: the top bar (scenario, day and turn, play state, overlay),
 * the strip of key indicators with sparklines and the details of the district or unit
 * under the pointer (right), and the event ticker (bottom). Reads only the view's copy of
 * the world (pv_data) and its history. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "view_internal.h"

static const SDL_Color ink = {25, 25, 25, 255}, grey = {95, 95, 95, 255}, white = {255, 255, 255, 255};
static const SDL_Color bar_bg = {31, 42, 54, 255};
static const uint32_t good_rgb = 0x0072B2, bad_rgb = 0xD55E00; /* Okabe-Ito blue / vermillion */

/* 1234567 -> "1,234,567" */
static void thousands(double x, char *out, size_t n) {
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.0f", fabs(x));
    size_t len = strlen(tmp), k = 0;
    if (x < -0.5 && k + 1 < n) out[k++] = '-';
    for (size_t i = 0; i < len && k + 2 < n; i++) {
        out[k++] = tmp[i];
        if ((len - i - 1) % 3 == 0 && i + 1 < len) out[k++] = ',';
    }
    out[k] = '\0';
}

static void top_bar(pv_view *v) {
    const SDL_Rect *r = &v->lay.top;
    pv_fill_rect(v, *r, bar_bg);
    int pad = v->lay.pad, bh, nh;
    pv_text_size(v, PV_FONT_BIG, "Day", NULL, &bh);
    pv_text_size(v, PV_FONT_NORMAL, "Day", NULL, &nh);
    int yb = r->y + (r->h - bh) / 2, yn = r->y + (r->h - nh) / 2;
    char buf[256], sp[64];
    int x = r->x + pad * 2;
    x += pv_text(v, PV_FONT_BOLD, pk_scenario_name(v->sc), x, yn, white, 0) + pad * 3;
    int turn = v->d.day == 0 ? 0 : (v->d.day - 1) / 7 + 1;
    snprintf(buf, sizeof buf, "Day %d", v->d.day);
    x += pv_text(v, PV_FONT_BIG, buf, x, yb, white, 0) + pad * 2;
    snprintf(buf, sizeof buf, "Turn %d (7 days)", turn);
    x += pv_text(v, PV_FONT_NORMAL, buf, x, yn, (SDL_Color){200, 210, 220, 255}, 0) + pad * 3;
    if (v->playing) snprintf(buf, sizeof buf, "\xE2\x96\xB6 Playing, %s", pv_speed_text(v, sp, sizeof sp));
    else snprintf(buf, sizeof buf, "\xE2\x96\xA0 Paused (Space plays)");
    x += pv_text(v, PV_FONT_NORMAL, buf, x, yn, v->playing ? (SDL_Color){120, 220, 140, 255} : (SDL_Color){240, 228, 66, 255}, 0);
    static const char *const ov_title[PV_OV_COUNT] = {"civilians", "violence", "displacement", "needs met",
                                                      "trust",     "control",  "population"};
    snprintf(buf, sizeof buf, "Map: %s (keys 0\xE2\x80\x93" "6)   F1 help", ov_title[v->overlay]);
    int tw;
    pv_text_size(v, PV_FONT_NORMAL, buf, &tw, NULL);
    int xr = r->x + r->w - pad * 2;
    if (xr - tw > x + pad * 2) pv_text(v, PV_FONT_NORMAL, buf, xr, yn, (SDL_Color){200, 210, 220, 255}, 2);
    if (v->status[0] && (v->target || SDL_TICKS_PASSED(v->status_until, SDL_GetTicks()) == 0)) {
        int sw, sh;
        pv_text_size(v, PV_FONT_NORMAL, v->status, &sw, &sh);
        SDL_Rect b = {v->lay.map_area.x + (v->lay.map_area.w - sw) / 2 - pad, v->lay.map_area.y + pad, sw + 2 * pad, sh + pad};
        pv_fill_rect(v, b, (SDL_Color){240, 228, 66, 240});
        pv_text(v, PV_FONT_NORMAL, v->status, b.x + pad, b.y + pad / 2, ink, 0);
    }
}

static void value_text(const pv_view *v, const pv_strip_item *s, char *out, size_t n) {
    double x = s->total ? v->d.ind_total[s->ind] : v->d.ind[s->ind];
    if (s->percent) snprintf(out, n, "%.0f%%", 100.0 * x);
    else thousands(x, out, n);
}

static void sparkline(pv_view *v, const pv_strip_item *s, SDL_Rect r) {
    int n = v->hist_days - 1; /* days 1..day */
    if (n < 2) return;
    enum { MAXP = 512 };
    SDL_FPoint pts[MAXP];
    int step = (n + MAXP - 1) / MAXP, np = 0;
    double lo = 1e300, hi = -1e300, cum = 0;
    double vals[MAXP];
    for (int day = 1; day <= n; day++) {
        double x = v->hist[(size_t)day * (size_t)v->d.n_ind + (size_t)s->ind];
        cum += x;
        if ((day - 1) % step && day != n) continue;
        double y = s->total ? cum : x;
        if (np < MAXP) vals[np++] = y;
        if (y < lo) lo = y;
        if (y > hi) hi = y;
    }
    if (s->percent) {
        if (lo > 0) lo = 0;
        if (hi < 1) hi = 1;
    }
    if (hi - lo < 1e-9) hi = lo + 1;
    for (int i = 0; i < np; i++) {
        pts[i].x = (float)r.x + (float)r.w * (float)i / (float)(np - 1);
        pts[i].y = (float)(r.y + r.h) - (float)r.h * (float)((vals[i] - lo) / (hi - lo));
    }
    pv_fill_rect(v, (SDL_Rect){r.x, r.y + r.h, r.w, 1}, (SDL_Color){200, 200, 200, 255});
    SDL_SetRenderDrawBlendMode(v->ren, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(v->ren, 60, 60, 60, 255);
    int th = (int)lroundf(v->lay.ui * 1.5f);
    for (int t = 0; t < (th < 1 ? 1 : th); t++) {
        for (int i = 0; i < np; i++) pts[i].y += (float)(t ? 1 : 0);
        SDL_RenderDrawLinesF(v->ren, pts, np);
    }
    /* the last point: blue when the week went the good way, vermillion when not */
    int back = np > 7 ? 7 : np - 1;
    int up = vals[np - 1] > vals[np - 1 - back] + 1e-9, down = vals[np - 1] < vals[np - 1 - back] - 1e-9;
    uint32_t c = (up || down) ? (((up && s->good_up) || (down && !s->good_up)) ? good_rgb : bad_rgb) : 0x606060;
    pv_fill_circle(v, pts[np - 1].x, pts[np - 1].y - (float)(th > 1 ? th - 1 : 0), 3.0f * v->lay.ui + 1, pv_rgb(c, 255));
}

static int strip(pv_view *v, SDL_Rect r) {
    int pad = v->lay.pad, lh = v->lay.line;
    int y = r.y + pad;
    pv_text(v, PV_FONT_BOLD, "Key indicators", r.x + pad, y, ink, 0);
    y += lh + pad / 2;
    int row = (int)(lh * 1.35f);
    /* columns: labels, then sparklines in the room between the widest label and the
     * widest value, so that nothing overlaps at any size or font scale */
    int max_lw = 0, max_vw = 0;
    for (int i = 0; i < v->n_strip; i++) {
        char val[64];
        int w;
        value_text(v, &v->strip[i], val, sizeof val);
        pv_text_size(v, PV_FONT_BOLD, val, &w, NULL);
        if (w > max_vw) max_vw = w;
        pv_text_size(v, PV_FONT_NORMAL, v->strip[i].label, &w, NULL);
        if (w > max_lw) max_lw = w;
    }
    int spark_right = r.x + r.w - pad - max_vw - pad;
    int spark_left = r.x + pad + max_lw + pad;
    int spark_w = spark_right - spark_left;
    if (spark_w > (int)((float)r.w * 0.3f)) spark_w = (int)((float)r.w * 0.3f);
    for (int i = 0; i < v->n_strip; i++) {
        const pv_strip_item *s = &v->strip[i];
        char val[64];
        value_text(v, s, val, sizeof val);
        int th;
        pv_text_size(v, PV_FONT_NORMAL, s->label, NULL, &th);
        int ty = y + (row - th) / 2;
        if (i % 2 == 0) pv_fill_rect(v, (SDL_Rect){r.x + pad / 2, y, r.w - pad, row}, (SDL_Color){236, 238, 240, 255});
        pv_text(v, PV_FONT_NORMAL, s->label, r.x + pad, ty, ink, 0);
        int vx = r.x + r.w - pad;
        pv_text(v, PV_FONT_BOLD, val, vx, ty, ink, 2);
        if (spark_w >= 16) {
            SDL_Rect sr = {spark_right - spark_w, y + row / 5, spark_w, row - 2 * (row / 5)};
            sparkline(v, s, sr);
        }
        y += row;
    }
    return y - r.y + pad;
}

static void unit_details(pv_view *v, SDL_Rect r, int i) {
    const pk_unit_state *u = &v->d.units[i];
    const pk_faction_def *f = &v->d.factions[u->faction];
    int pad = v->lay.pad, lh = v->lay.line, x = r.x + pad, y = r.y;
    char buf[256];
    pv_unit_symbol(v, f->kind, (float)x + (float)lh * 0.5f, (float)y + (float)lh * 0.5f, (float)lh * 0.7f, pv_rgb(f->color_rgb, 255));
    pv_text(v, PV_FONT_BOLD, u->name[0] ? u->name : "Unit", x + lh + pad / 2, y, ink, 0);
    y += lh + pad / 2;
    pv_text(v, PV_FONT_NORMAL, f->name, x, y, ink, 0);
    y += lh;
    snprintf(buf, sizeof buf, "%s, strength %d, readiness %.0f%%", pk_unit_type_name(u->type), u->strength, 100.0 * u->readiness);
    pv_text(v, PV_FONT_NORMAL, buf, x, y, ink, 0);
    y += lh;
    const char *tr = u->target_region >= 0 && u->target_region < v->map->n_regions ? v->map->regions[u->target_region].name : "";
    snprintf(buf, sizeof buf, "Task: %s%s%s", pk_task_name(u->task), *tr ? " in " : "", tr);
    pv_text(v, PV_FONT_NORMAL, buf, x, y, ink, 0);
    y += lh;
    int reg = u->cell >= 0 ? v->map->region[u->cell] : -1;
    snprintf(buf, sizeof buf, "Now in %s", reg >= 0 ? v->map->regions[reg].name : "the border area");
    pv_text(v, PV_FONT_NORMAL, buf, x, y, grey, 0);
    y += lh + pad / 2;
    if (i == v->pinned_unit)
        pv_text_wrap(v, PV_FONT_SMALL,
                     "Orders (from the next day): right-click a district to patrol it; T patrol, H protect, O offensive here.",
                     x, y, r.w - 2 * pad, r.y + r.h - y, grey);
}

static void region_details(pv_view *v, SDL_Rect r, int reg) {
    const pv_data *d = &v->d;
    int pad = v->lay.pad, lh = v->lay.line, x = r.x + pad, y = r.y, bottom = r.y + r.h;
    int sh;
    pv_text_size(v, PV_FONT_SMALL, "Ay", NULL, &sh);
    char buf[320], num[64];
    pv_text(v, PV_FONT_BOLD, v->map->regions[reg].name, x, y, ink, 0);
    y += lh + pad / 3;
    double tot = 0;
    for (int g = 0; g < d->n_groups; g++) tot += d->region_group_pop[(size_t)reg * (size_t)d->n_groups + g];
    thousands(tot, num, sizeof num);
    size_t len = (size_t)snprintf(buf, sizeof buf, "People here %s:", num);
    for (int g = 0; g < d->n_groups && len < sizeof buf - 40; g++) {
        double p = d->region_group_pop[(size_t)reg * (size_t)d->n_groups + g];
        if (p <= 0) continue;
        thousands(p, num, sizeof num);
        len += (size_t)snprintf(buf + len, sizeof buf - len, " %s %s", d->group_name[g], num);
    }
    y += pv_text_wrap(v, PV_FONT_SMALL, buf, x, y, r.w - 2 * pad, bottom - y, ink);
    thousands(d->region_displaced[reg], num, sizeof num);
    snprintf(buf, sizeof buf, "Displaced from here %s (%.0f%%)", num,
             d->region_home_pop[reg] > 0 ? 100.0 * d->region_displaced[reg] / d->region_home_pop[reg] : 0.0);
    pv_text(v, PV_FONT_SMALL, buf, x, y, ink, 0);
    y += sh;
    snprintf(buf, sizeof buf, "Needs met %.0f%%  \xC2\xB7  violence %.1f  \xC2\xB7  armed control %.0f%%", 100.0 * d->region_needs_met[reg],
             d->region_violence[reg], 100.0 * d->region_control[reg]);
    y += pv_text_wrap(v, PV_FONT_SMALL, buf, x, y, r.w - 2 * pad, bottom - y, ink) + pad / 2;
    /* trust per faction: a bar, the value, this week's change and its main cause */
    int barw = (int)((float)r.w * 0.22f);
    int namew = 0;
    for (int f = 0; f < d->n_factions; f++) {
        char nm[48], lb[64];
        pv_faction_short(v, f, nm, sizeof nm);
        snprintf(lb, sizeof lb, "Trust %s", nm);
        int tw;
        pv_text_size(v, PV_FONT_SMALL, lb, &tw, NULL);
        if (tw + pad / 2 > namew) namew = tw + pad / 2;
    }
    if (barw > r.w - 2 * pad - namew - (int)((float)r.w * 0.4f)) barw = r.w - 2 * pad - namew - (int)((float)r.w * 0.4f);
    if (barw < 2 * pad) barw = 2 * pad;
    for (int f = 0; f < d->n_factions && y + sh <= bottom; f++) {
        double t = d->region_trust[(size_t)reg * (size_t)d->n_factions + f];
        char sh_name[32];
        pv_faction_short(v, f, sh_name, sizeof sh_name);
        snprintf(buf, sizeof buf, "Trust %s", sh_name);
        pv_text(v, PV_FONT_SMALL, buf, x, y, ink, 0);
        int bx = x + namew;
        pv_fill_rect(v, (SDL_Rect){bx, y + sh / 5, barw, sh * 3 / 5}, (SDL_Color){225, 225, 225, 255});
        pv_fill_rect(v, (SDL_Rect){bx, y + sh / 5, (int)(barw * t), sh * 3 / 5}, pv_rgb(d->factions[f].color_rgb, 255));
        float week = 0, best = 0;
        int cause = -1;
        for (int c = 0; c < PK_CAUSE_COUNT; c++) {
            float a = d->trust_week[((size_t)reg * (size_t)d->n_factions + f) * PK_CAUSE_COUNT + c];
            week += a;
            if (fabsf(a) > fabsf(best)) {
                best = a;
                cause = c;
            }
        }
        if (fabsf(week) >= 0.0005f && cause >= 0)
            snprintf(buf, sizeof buf, "%.0f%% %s%.1f/wk (%s)", 100.0 * t, week > 0 ? "+" : "\xE2\x88\x92", 100.0 * fabsf(week),
                     pk_cause_name(cause));
        else snprintf(buf, sizeof buf, "%.0f%%", 100.0 * t);
        pv_text(v, PV_FONT_SMALL, buf, bx + barw + pad / 2, y, ink, 0);
        y += sh;
    }
    y += pad / 2;
    /* what happened here lately */
    int shown = 0;
    for (int i = v->n_story - 1; i >= 0 && shown < 4 && y + sh <= bottom; i--) {
        const pv_story *s = &v->story[(v->story_head + i) % PV_STORY_MAX];
        if (s->region != reg || s->severity < 1) continue;
        if (!shown) {
            pv_text(v, PV_FONT_BOLD, "Recent events", x, y, ink, 0);
            y += lh;
        }
        y += pv_text_wrap(v, PV_FONT_SMALL, s->text, x, y, r.w - 2 * pad, bottom - y, grey);
        shown++;
    }
}

static void right_panel(pv_view *v) {
    SDL_Rect r = v->lay.right;
    pv_fill_rect(v, r, (SDL_Color){250, 250, 248, 255});
    pv_fill_rect(v, (SDL_Rect){r.x, r.y, 2, r.h}, (SDL_Color){180, 185, 190, 255});
    if (v->show_console) {
        pv_console_draw(v, r);
        return;
    }
    int used = strip(v, r);
    SDL_Rect dr = {r.x, r.y + used + v->lay.pad, r.w, r.h - used - 2 * v->lay.pad};
    pv_fill_rect(v, (SDL_Rect){r.x + v->lay.pad, dr.y - v->lay.pad / 2, r.w - 2 * v->lay.pad, 1}, (SDL_Color){190, 190, 190, 255});
    int u = v->pinned_unit >= 0 ? v->pinned_unit : v->hover_unit;
    int reg = v->pinned_region >= 0 ? v->pinned_region : v->hover_region;
    if (u >= 0 && u < v->d.n_units) unit_details(v, dr, u);
    else if (reg >= 0 && reg < v->d.n_regions) region_details(v, dr, reg);
    else
        pv_text_wrap(v, PV_FONT_NORMAL,
                     "Point at a district or a unit to see its details; click to keep them. Tab: instructor console.",
                     dr.x + v->lay.pad, dr.y, dr.w - 2 * v->lay.pad, dr.h, grey);
}

static void ticker(pv_view *v) {
    SDL_Rect r = v->lay.ticker;
    pv_fill_rect(v, r, bar_bg);
    int pad = v->lay.pad, lh = v->lay.line, y = r.y + pad, shown = 0;
    for (int i = v->n_story - 1; i >= 0 && shown < 3; i--) {
        const pv_story *s = &v->story[(v->story_head + i) % PV_STORY_MAX];
        if (s->severity < 1) continue;
        SDL_Color c = shown == 0 ? white : shown == 1 ? (SDL_Color){200, 208, 216, 255} : (SDL_Color){150, 160, 170, 255};
        int font = shown == 0 ? PV_FONT_BOLD : PV_FONT_NORMAL;
        if (s->severity == 2 && shown == 0) {
            pv_fill_rect(v, (SDL_Rect){r.x + pad / 2, y + lh / 6, pad / 2, lh * 2 / 3}, (SDL_Color){240, 228, 66, 255});
        }
        /* one line: cut what does not fit */
        char line[256];
        snprintf(line, sizeof line, "%s", s->text);
        int tw;
        pv_text_size(v, font, line, &tw, NULL);
        while (tw > r.w - 3 * pad && strlen(line) > 8) {
            size_t L = strlen(line);
            L -= 4;
            while (L > 0 && ((unsigned char)line[L] & 0xC0) == 0x80) L--;
            memcpy(line + L, "\xE2\x80\xA6", 4);
            pv_text_size(v, font, line, &tw, NULL);
        }
        pv_text(v, font, line, r.x + pad * 2, y, c, 0);
        y += lh;
        shown++;
    }
    if (!shown) pv_text(v, PV_FONT_NORMAL, "Events will be told here as they happen.", r.x + pad * 2, y, (SDL_Color){150, 160, 170, 255}, 0);
}

void pv_panels_draw(pv_view *v) {
    top_bar(v);
    right_panel(v);
    ticker(v);
}
