/* console.c — the instructor console (Tab) and the help overlay (F1 or ?). The console
 * lists the scenario's injects (its `injects` key) with their state — pending, fired on
 * day D, skipped — and lets the director fire the selected one now or skip it (keys E / K,
 * or the buttons on its row); then the snapshots with "return to" buttons; then the
 * injects and messages that have fired so far. */
#include <stdio.h>
#include <string.h>

#include "view_internal.h"

static const SDL_Color ink = {25, 25, 25, 255}, grey = {95, 95, 95, 255};

static int inside(SDL_Rect r, int x, int y) { return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h; }

/* A button: text on a tinted box; returns its rectangle. */
static SDL_Rect button(pv_view *v, const char *text, int right, int y, SDL_Color bg, SDL_Color fg) {
    int tw, th;
    pv_text_size(v, PV_FONT_SMALL, text, &tw, &th);
    int pad = v->lay.pad;
    SDL_Rect b = {right - tw - pad, y + (v->lay.line - th) / 2 - 1, tw + pad, th + 2};
    int hot = inside(b, v->mouse_x, v->mouse_y);
    if (hot) bg = (SDL_Color){(uint8_t)(bg.r * 0.85), (uint8_t)(bg.g * 0.85), (uint8_t)(bg.b * 0.85), 255};
    pv_fill_rect(v, b, bg);
    pv_text(v, PV_FONT_SMALL, text, b.x + pad / 2, b.y + 1, fg, 0);
    return b;
}

/* The scenario's injects, the selected one highlighted; returns the y below them. */
static int injects_draw(pv_view *v, int x, int y, int w, int max_rows) {
    int pad = v->lay.pad, lh = v->lay.line;
    int n = pk_scenario_inject_count(v->sc);
    v->n_inject_rows = 0;
    pv_text(v, PV_FONT_BOLD, "Injects", x, y, ink, 0);
    y += lh;
    if (n == 0) {
        pv_text(v, PV_FONT_NORMAL, "none declared by this scenario", x, y, grey, 0);
        return y + lh;
    }
    if (v->inject_sel >= n) v->inject_sel = n - 1;
    if (!v->inject_chosen) {
        v->inject_sel = n - 1;
        for (int i = n - 1; i >= 0; i--)
            if (pk_scenario_inject_get(v->sc, i)->state == PK_INJECT_PENDING) v->inject_sel = i;
    }
    if (max_rows < 1) max_rows = 1;
    if (max_rows > (int)(sizeof v->inject_rows / sizeof v->inject_rows[0]))
        max_rows = (int)(sizeof v->inject_rows / sizeof v->inject_rows[0]);
    int first = 0;
    if (n > max_rows && v->inject_sel >= max_rows - 1) first = v->inject_sel - max_rows + 2;
    if (first > n - max_rows) first = n - max_rows;
    if (first < 0) first = 0;
    for (int i = first; i < n && i < first + max_rows; i++) {
        const pk_scenario_inject *in = pk_scenario_inject_get(v->sc, i);
        int sel = i == v->inject_sel;
        SDL_Rect row = {x, y, w, 2 * lh};
        SDL_Color bg = sel ? (SDL_Color){255, 236, 170, 255} : inside(row, v->mouse_x, v->mouse_y) ? (SDL_Color){225, 235, 245, 255}
                                                                                                 : (SDL_Color){238, 240, 242, 255};
        pv_fill_rect(v, (SDL_Rect){row.x, row.y + 1, row.w, row.h - 2}, bg);
        if (sel) pv_fill_rect(v, (SDL_Rect){row.x, row.y + 1, pad / 3 + 1, row.h - 2}, (SDL_Color){200, 120, 0, 255});
        char head[128], state[64];
        snprintf(head, sizeof head, "Day %d  %s", (int)in->day, in->id);
        SDL_Color sc = grey;
        if (in->state == PK_INJECT_FIRED) {
            snprintf(state, sizeof state, "fired day %d%s", (int)in->fired_day, in->early ? " (early)" : "");
            sc = (SDL_Color){0, 110, 60, 255};
        } else if (in->state == PK_INJECT_SKIPPED) {
            snprintf(state, sizeof state, "skipped");
            sc = (SDL_Color){150, 40, 40, 255};
        } else {
            snprintf(state, sizeof state, "pending");
        }
        struct pv_inject_row *rr = &v->inject_rows[v->n_inject_rows++];
        rr->inject = i;
        rr->row = row;
        rr->fire = rr->skip = (SDL_Rect){0, 0, 0, 0};
        int right = x + w - pad / 2;
        if (sel && in->state == PK_INJECT_PENDING) {
            rr->skip = button(v, "skip (K)", right, y, (SDL_Color){150, 40, 40, 255}, (SDL_Color){255, 255, 255, 255});
            rr->fire = button(v, "fire (E)", rr->skip.x - pad / 2, y, (SDL_Color){0, 110, 60, 255}, (SDL_Color){255, 255, 255, 255});
        } else {
            pv_text(v, PV_FONT_SMALL, state, right, y + lh / 8, sc, 2);
        }
        int hw, limit = (rr->fire.w ? rr->fire.x : right - 120) - x - pad;
        pv_text_size(v, PV_FONT_NORMAL, head, &hw, NULL);
        pv_text(v, hw <= limit ? PV_FONT_NORMAL : PV_FONT_SMALL, head, x + pad / 2 + 2, y, in->state == PK_INJECT_PENDING ? ink : grey, 0);
        /* the text on the second line, cut to fit */
        char line[200];
        snprintf(line, sizeof line, "%s", in->text);
        int tw;
        pv_text_size(v, PV_FONT_SMALL, line, &tw, NULL);
        while (tw > w - pad && strlen(line) > 8) {
            size_t L = strlen(line) - 4;
            while (L > 0 && ((unsigned char)line[L] & 0xC0) == 0x80) L--;
            memcpy(line + L, "\xE2\x80\xA6", 4);
            pv_text_size(v, PV_FONT_SMALL, line, &tw, NULL);
        }
        pv_text(v, PV_FONT_SMALL, line, x + pad / 2 + 2, y + lh, grey, 0);
        y += 2 * lh;
    }
    if (n > max_rows) {
        char more[64];
        snprintf(more, sizeof more, "%d of %d shown: \xE2\x86\x91 \xE2\x86\x93 to scroll", max_rows, n);
        pv_text(v, PV_FONT_SMALL, more, x, y, grey, 0);
        y += lh;
    }
    return y;
}

void pv_console_draw(pv_view *v, SDL_Rect r) {
    int pad = v->lay.pad, lh = v->lay.line, x = r.x + pad, y = r.y + pad, w = r.w - 2 * pad;
    pv_text(v, PV_FONT_BOLD, "Instructor console", x, y, ink, 0);
    y += lh + pad / 2;
    y += pv_text_wrap(v, PV_FONT_SMALL,
                      "\xE2\x86\x91 \xE2\x86\x93 or click: select an inject. E: fire it now (from the next day). K: skip it. "
                      "S: snapshot now. R: return to the last.",
                      x, y, w, lh * 3, grey) +
         pad / 2;
    int rows = (r.y + r.h - y) / 2 / (2 * lh) - 1; /* injects take at most half of what is left */
    y = injects_draw(v, x, y, w, rows) + pad;
    pv_text(v, PV_FONT_BOLD, "Snapshots", x, y, ink, 0);
    y += lh;
    v->n_snap_rows = 0;
    if (v->n_snap == 0) {
        pv_text(v, PV_FONT_NORMAL, "none yet", x, y, grey, 0);
        y += lh;
    }
    for (int i = 0; i < v->n_snap; i++) {
        SDL_Rect row = {x, y, w, lh};
        int hot = v->mouse_x >= row.x && v->mouse_x < row.x + row.w && v->mouse_y >= row.y && v->mouse_y < row.y + row.h;
        pv_fill_rect(v, (SDL_Rect){row.x, row.y + 1, row.w, row.h - 2}, hot ? (SDL_Color){200, 225, 245, 255} : (SDL_Color){232, 236, 240, 255});
        char buf[128];
        snprintf(buf, sizeof buf, "%d.  Day %d", i + 1, v->snap[i].day);
        pv_text(v, PV_FONT_NORMAL, buf, x + pad / 2, y, ink, 0);
        pv_text(v, PV_FONT_NORMAL, "return \xE2\x86\xA9", x + w - pad / 2, y, (SDL_Color){0, 90, 150, 255}, 2);
        v->snap_rows[v->n_snap_rows++] = row;
        y += lh;
    }
    y += pad;
    pv_text(v, PV_FONT_BOLD, "Injects and messages so far", x, y, ink, 0);
    y += lh;
    int bottom = r.y + r.h - pad, shown = 0;
    for (int i = v->n_story - 1; i >= 0 && y + lh <= bottom; i--) {
        const pv_story *s = &v->story[(v->story_head + i) % PV_STORY_MAX];
        if (s->type != PK_EV_INJECT && s->type != PK_EV_LOG && s->type != PK_EV_CONSENT_WITHDRAWN && s->type != PK_EV_MISINFORMATION)
            continue;
        y += pv_text_wrap(v, PV_FONT_SMALL, s->text, x, y, w, bottom - y, ink) + pad / 3;
        shown++;
    }
    if (!shown) pv_text(v, PV_FONT_NORMAL, "none yet", x, y, grey, 0);
}

int pv_console_click(pv_view *v, int x, int y) {
    for (int i = 0; i < v->n_inject_rows; i++) {
        struct pv_inject_row *rr = &v->inject_rows[i];
        pk_error err;
        if (rr->fire.w && inside(rr->fire, x, y)) {
            pv_inject_fire(v, rr->inject, &err);
            return 1;
        }
        if (rr->skip.w && inside(rr->skip, x, y)) {
            pv_inject_skip(v, rr->inject, &err);
            return 1;
        }
        if (inside(rr->row, x, y)) {
            v->inject_sel = rr->inject;
            v->inject_chosen = 1;
            return 1;
        }
    }
    for (int i = 0; i < v->n_snap_rows; i++) {
        SDL_Rect *r = &v->snap_rows[i];
        if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h) {
            pk_error err;
            if (pv_snapshot_restore(v, i, &err) != PK_OK) snprintf(v->status, sizeof v->status, "%.200s", err.msg);
            return 1;
        }
    }
    SDL_Point p = {x, y};
    return SDL_PointInRect(&p, &v->lay.right);
}

void pv_help_draw(pv_view *v) {
    static const char *const keys[][2] = {
        {"Space", "play / pause"},
        {"D  or  \xE2\x86\x92", "step one day"},
        {"W  or  Enter", "step one turn (7 days)"},
        {"+  /  \xE2\x88\x92", "faster / slower"},
        {"0", "no overlay (civilians and terrain)"},
        {"1", "violence"},
        {"2", "displacement"},
        {"3", "needs met"},
        {"4", "trust in a faction"},
        {"F", "next faction for trust"},
        {"5", "armed-group control (freedom of movement)"},
        {"6", "population density"},
        {"C", "civilians layer on / off"},
        {"U", "units on / off"},
        {"Mouse", "point: details; click: keep; right-click: clear"},
        {"Click a unit", "select it for orders"},
        {"Right-click", "with a unit selected: patrol that district (or go there, if it cannot patrol)"},
        {"T  /  H  /  O", "selected unit: patrol / protect / offensive here"},
        {"Tab  or  I", "instructor console"},
        {"\xE2\x86\x91  /  \xE2\x86\x93", "console: select an inject"},
        {"E  /  K", "console: fire the inject now / skip it"},
        {"S", "snapshot now"},
        {"R", "return to the last snapshot"},
        {"P", "save a screenshot (PNG)"},
        {"L", "large fonts for projectors"},
        {"F11", "full screen"},
        {"F1  or  ?", "this help"},
        {"Esc", "close / clear"},
        {"Q", "quit"},
    };
    int n = (int)(sizeof keys / sizeof keys[0]);
    int pad = v->lay.pad, lh = v->lay.line;
    int kw = 0, dw = 0;
    for (int i = 0; i < n; i++) {
        int a, b;
        pv_text_size(v, PV_FONT_BOLD, keys[i][0], &a, NULL);
        pv_text_size(v, PV_FONT_NORMAL, keys[i][1], &b, NULL);
        if (a > kw) kw = a;
        if (b > dw) dw = b;
    }
    int rows = (n + 1) / 2, cols = 2;
    int colw = kw + dw + 4 * pad;
    int bw = cols * colw + 2 * pad, bh = rows * lh + lh * 2 + 3 * pad;
    if (bw > v->w - 2 * pad || bh > v->h - 2 * pad) { /* narrow or huge fonts: one column */
        cols = 1;
        rows = n;
        bw = colw + 2 * pad;
        bh = rows * lh + lh * 2 + 3 * pad;
    }
    SDL_Rect b = {(v->w - bw) / 2, (v->h - bh) / 2, bw, bh};
    if (b.y < 0) b.y = 0;
    pv_fill_rect(v, (SDL_Rect){0, 0, v->w, v->h}, (SDL_Color){0, 0, 0, 110});
    pv_fill_rect(v, b, (SDL_Color){252, 252, 250, 250});
    pv_text(v, PV_FONT_BIG, "Keys", b.x + pad * 2, b.y + pad, ink, 0);
    int y0 = b.y + pad * 2 + lh * 2;
    for (int i = 0; i < n; i++) {
        int c = i / rows, rr = i % rows;
        int x = b.x + 2 * pad + c * colw, y = y0 + rr * lh;
        pv_text(v, PV_FONT_BOLD, keys[i][0], x, y, (SDL_Color){0, 90, 150, 255}, 0);
        pv_text(v, PV_FONT_NORMAL, keys[i][1], x + kw + pad * 2, y, ink, 0);
    }
}
