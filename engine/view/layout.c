/* layout.c — fonts, the text cache, the layout of the panels and small drawing helpers.
 * Everything scales with the window: one factor `ui` (1 at 1920x1080) sizes fonts, panels
 * and symbols, so the screen reads the same from 1280x720 to 3840x2160. Text is rendered
 * once per (font, string) into a texture and reused while it is on screen. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_internal.h"

static const char *const font_files[PV_FONT_COUNT] = {"DejaVuSans.ttf", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                                                      "DejaVuSans-Bold.ttf", "DejaVuSans.ttf"};

void pv_layout_compute(pv_view *v) {
    pv_layout *l = &v->lay;
    float sx = (float)v->w / 1920.0f, sy = (float)v->h / 1080.0f;
    float ui = sx < sy ? sx : sy;
    if (ui < 0.6f) ui = 0.6f;
    if (v->large_font) ui *= 1.4f;
    l->ui = ui;
    /* normal text: 19 px at 1080p, never below 13 px (a 720p projector from the back) */
    int base = (int)lroundf(19.0f * ui);
    if (base < 13) base = 13;
    l->font_px[PV_FONT_SMALL] = (int)lroundf((float)base * 0.84f);
    l->font_px[PV_FONT_NORMAL] = base;
    l->font_px[PV_FONT_BOLD] = base;
    l->font_px[PV_FONT_BIG] = (int)lroundf((float)base * 1.45f);
    l->font_px[PV_FONT_LABEL] = (int)lroundf((float)base * 0.84f);
    l->line = (int)lroundf((float)base * 1.32f);
    l->pad = (int)lroundf(10.0f * ui);
    if (l->pad < 6) l->pad = 6;
    int top_h = (int)lroundf((float)l->font_px[PV_FONT_BIG] * 1.7f);
    int ticker_h = l->line * 3 + l->pad * 2;
    int right_w = (int)lroundf((float)v->w * 0.27f);
    int min_right = base * 20;
    if (right_w < min_right) right_w = min_right;
    if (right_w > v->w / 2) right_w = v->w / 2;
    l->top = (SDL_Rect){0, 0, v->w, top_h};
    l->ticker = (SDL_Rect){0, v->h - ticker_h, v->w - right_w, ticker_h};
    l->right = (SDL_Rect){v->w - right_w, top_h, right_w, v->h - top_h};
    l->map_area = (SDL_Rect){0, top_h, v->w - right_w, v->h - top_h - ticker_h};
    /* the raster, cells square, centred in the map area with a margin */
    int mw = v->map ? v->map->width : 1, mh = v->map ? v->map->height : 1;
    float avail_w = (float)(l->map_area.w - 2 * l->pad), avail_h = (float)(l->map_area.h - 2 * l->pad);
    float cp = avail_w / (float)mw;
    if (avail_h / (float)mh < cp) cp = avail_h / (float)mh;
    if (cp < 0.25f) cp = 0.25f;
    l->cell_px = cp;
    int pw = (int)floorf(cp * (float)mw), ph = (int)floorf(cp * (float)mh);
    l->map = (SDL_Rect){l->map_area.x + (l->map_area.w - pw) / 2, l->map_area.y + (l->map_area.h - ph) / 2, pw, ph};
}

void pv_fonts_close(pv_view *v) {
    pv_text_cache_clear(v);
    for (int i = 0; i < PV_FONT_COUNT; i++) {
        if (v->font[i]) TTF_CloseFont(v->font[i]);
        if (v->halo[i]) TTF_CloseFont(v->halo[i]);
        v->font[i] = v->halo[i] = NULL;
    }
}

int pv_fonts_open(pv_view *v) {
    pv_fonts_close(v);
    const char *dir = v->cfg.font_dir ? v->cfg.font_dir : "/usr/share/fonts/truetype/dejavu";
    for (int i = 0; i < PV_FONT_COUNT; i++) {
        char path[300];
        snprintf(path, sizeof path, "%.250s/%s", dir, font_files[i]);
        v->font[i] = TTF_OpenFont(path, v->lay.font_px[i]);
        v->halo[i] = TTF_OpenFont(path, v->lay.font_px[i]);
        if (!v->font[i] || !v->halo[i]) {
            snprintf(v->error, sizeof v->error,
                     "cannot open the font %s (%.100s); install the Debian package fonts-dejavu-core", path, TTF_GetError());
            return -1;
        }
        int outline = (int)lroundf(2.0f * v->lay.ui);
        TTF_SetFontOutline(v->halo[i], outline < 1 ? 1 : outline);
        TTF_SetFontHinting(v->font[i], TTF_HINTING_LIGHT);
        TTF_SetFontHinting(v->halo[i], TTF_HINTING_LIGHT);
    }
    return 0;
}

/* ---------------------------------------------------------------- text cache */

static uint64_t hash_str(const char *s, int font, int halo) {
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(font * 31 + halo);
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

void pv_text_cache_clear(pv_view *v) {
    for (int i = 0; i < PV_TEXT_CACHE; i++) {
        if (v->text[i].tex) SDL_DestroyTexture(v->text[i].tex);
        free(v->text[i].text);
        memset(&v->text[i], 0, sizeof v->text[i]);
    }
}

/* Free the textures of text not drawn for a while (the ticker and the day counter change). */
void pv_text_cache_sweep(pv_view *v) {
    for (int i = 0; i < PV_TEXT_CACHE; i++) {
        pv_text_entry *e = &v->text[i];
        if (e->tex && v->frame - e->last_used > 90) {
            SDL_DestroyTexture(e->tex);
            free(e->text);
            memset(e, 0, sizeof *e);
        }
    }
}

static pv_text_entry *text_get(pv_view *v, int font, int halo, const char *s) {
    if (!*s) return NULL;
    uint64_t h = hash_str(s, font, halo);
    int slot = (int)(h % PV_TEXT_CACHE), free_slot = -1, oldest = -1;
    for (int k = 0; k < 16; k++) {
        int i = (slot + k) % PV_TEXT_CACHE;
        pv_text_entry *e = &v->text[i];
        if (e->tex && e->hash == h && e->font == font && e->halo == halo && !strcmp(e->text, s)) {
            e->last_used = v->frame;
            return e;
        }
        if (!e->tex && free_slot < 0) free_slot = i;
        if (e->tex && (oldest < 0 || e->last_used < v->text[oldest].last_used)) oldest = i;
    }
    int i = free_slot >= 0 ? free_slot : oldest;
    pv_text_entry *e = &v->text[i];
    if (e->tex) {
        SDL_DestroyTexture(e->tex);
        free(e->text);
        memset(e, 0, sizeof *e);
    }
    TTF_Font *f = halo ? v->halo[font] : v->font[font];
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, (SDL_Color){255, 255, 255, 255});
    if (!surf) return NULL;
    e->tex = SDL_CreateTextureFromSurface(v->ren, surf);
    e->w = surf->w;
    e->h = surf->h;
    SDL_FreeSurface(surf);
    if (!e->tex) return NULL;
    SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
    e->text = strdup(s);
    if (!e->text) {
        SDL_DestroyTexture(e->tex);
        e->tex = NULL;
        return NULL;
    }
    e->hash = h;
    e->font = font;
    e->halo = halo;
    e->last_used = v->frame;
    return e;
}

void pv_text_size(pv_view *v, int font, const char *s, int *w, int *h) {
    int tw = 0, th = 0;
    if (*s) TTF_SizeUTF8(v->font[font], s, &tw, &th);
    else th = TTF_FontHeight(v->font[font]);
    if (w) *w = tw;
    if (h) *h = th;
}

static int draw_entry(pv_view *v, pv_text_entry *e, int x, int y, SDL_Color c, int align, int dx, int dy) {
    if (!e) return 0;
    SDL_Rect r = {x + dx, y + dy, e->w, e->h};
    if (align == 1) r.x -= e->w / 2;
    else if (align == 2) r.x -= e->w;
    SDL_SetTextureColorMod(e->tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(e->tex, c.a);
    SDL_RenderCopy(v->ren, e->tex, NULL, &r);
    return e->w;
}

int pv_text(pv_view *v, int font, const char *s, int x, int y, SDL_Color c, int align) {
    return draw_entry(v, text_get(v, font, 0, s), x, y, c, align, 0, 0);
}

int pv_text_halo(pv_view *v, int font, const char *s, int x, int y, SDL_Color c, int align) {
    int outline = TTF_GetFontOutline(v->halo[font]);
    draw_entry(v, text_get(v, font, 1, s), x, y, (SDL_Color){255, 255, 255, 215}, align, -outline, -outline);
    return draw_entry(v, text_get(v, font, 0, s), x, y, c, align, 0, 0);
}

int pv_text_wrap(pv_view *v, int font, const char *s, int x, int y, int width, int max_h, SDL_Color c) {
    char line[512];
    int used = 0, lh = TTF_FontLineSkip(v->font[font]);
    const char *p = s;
    while (*p && used + lh <= max_h) {
        /* take as many words as fit */
        size_t best = 0, n = 0;
        for (;;) {
            size_t next = n;
            while (p[next] == ' ') next++;
            while (p[next] && p[next] != ' ') next++;
            if (next >= sizeof line) break;
            memcpy(line, p, next);
            line[next] = '\0';
            int tw;
            pv_text_size(v, font, line, &tw, NULL);
            if (tw > width && best > 0) break;
            best = next;
            n = next;
            if (!p[next]) break;
        }
        if (best == 0) best = strlen(p) < sizeof line - 1 ? strlen(p) : sizeof line - 1;
        memcpy(line, p, best);
        line[best] = '\0';
        pv_text(v, font, line, x, y + used, c, 0);
        used += lh;
        p += best;
        while (*p == ' ') p++;
    }
    return used;
}

/* ---------------------------------------------------------------- shapes */

SDL_Color pv_rgb(uint32_t rgb, uint8_t a) {
    return (SDL_Color){(uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8), (uint8_t)rgb, a};
}

void pv_fill_rect(pv_view *v, SDL_Rect r, SDL_Color c) {
    SDL_SetRenderDrawBlendMode(v->ren, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(v->ren, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(v->ren, &r);
}

void pv_fill_poly(pv_view *v, const float *xy, int n, SDL_Color c) {
    enum { MAXV = 64 };
    SDL_Vertex vert[MAXV];
    int idx[(MAXV - 2) * 3];
    if (n < 3 || n > MAXV) return;
    SDL_SetRenderDrawBlendMode(v->ren, SDL_BLENDMODE_BLEND);
    for (int i = 0; i < n; i++) vert[i] = (SDL_Vertex){{xy[2 * i], xy[2 * i + 1]}, c, {0, 0}};
    int k = 0;
    for (int i = 1; i + 1 < n; i++) {
        idx[k++] = 0;
        idx[k++] = i;
        idx[k++] = i + 1;
    }
    SDL_RenderGeometry(v->ren, NULL, vert, n, idx, k);
}

void pv_fill_circle(pv_view *v, float cx, float cy, float r, SDL_Color c) {
    float xy[2 * 32];
    int n = r < 6 ? 12 : (r < 14 ? 20 : 32);
    for (int i = 0; i < n; i++) {
        float a = (float)i * 6.2831853f / (float)n;
        xy[2 * i] = cx + r * cosf(a);
        xy[2 * i + 1] = cy + r * sinf(a);
    }
    pv_fill_poly(v, xy, n, c);
}

void pv_ring(pv_view *v, float cx, float cy, float r, float thick, SDL_Color c) {
    enum { N = 32 };
    SDL_Vertex vert[2 * N];
    int idx[6 * N];
    for (int i = 0; i < N; i++) {
        float a = (float)i * 6.2831853f / (float)N, ca = cosf(a), sa = sinf(a);
        vert[2 * i] = (SDL_Vertex){{cx + r * ca, cy + r * sa}, c, {0, 0}};
        vert[2 * i + 1] = (SDL_Vertex){{cx + (r - thick) * ca, cy + (r - thick) * sa}, c, {0, 0}};
    }
    SDL_SetRenderDrawBlendMode(v->ren, SDL_BLENDMODE_BLEND);
    for (int i = 0; i < N; i++) {
        int j = (i + 1) % N;
        int q[6] = {2 * i, 2 * i + 1, 2 * j, 2 * j, 2 * i + 1, 2 * j + 1};
        memcpy(idx + 6 * i, q, sizeof q);
    }
    SDL_RenderGeometry(v->ren, NULL, vert, 2 * N, idx, 6 * N);
}
