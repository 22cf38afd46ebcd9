/* console.c — the instructor console (Tab) and the help overlay (F1 or ?). The console
 * lists the injects and script messages that have fired so far, and the snapshots with
 * "return to" buttons. The scenario API has no list of future injects yet, so there is no
 * fire / skip: the console shows what happened and lets the director rewind. */
#include <stdio.h>
#include <string.h>

#include "view_internal.h"

static const SDL_Color ink = {25, 25, 25, 255}, grey = {95, 95, 95, 255};

void pv_console_draw(pv_view *v, SDL_Rect r) {
    int pad = v->lay.pad, lh = v->lay.line, x = r.x + pad, y = r.y + pad, w = r.w - 2 * pad;
    pv_text(v, PV_FONT_BOLD, "Instructor console", x, y, ink, 0);
    y += lh + pad / 2;
    y += pv_text_wrap(v, PV_FONT_SMALL, "S: snapshot now. R: return to the last. Click a snapshot to return to it.", x, y, w, lh * 3, grey) +
         pad / 2;
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
        {"Tab  or  I", "instructor console"},
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
