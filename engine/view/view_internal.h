/* view_internal.h — what the files of the SDL2 view share: the view's state, the copy of
 * the world it draws from (pv_data), fonts and the text cache, the layout. Private to
 * engine/view/. The view reads the world only in pv_capture (view.c), at a day boundary,
 * into pv_data; everything drawn comes from that copy, so drawing never touches a world
 * that is being stepped. It changes the world only through the scenario layer (stepping,
 * snapshots) — never directly. */
#ifndef PV_VIEW_INTERNAL_H
#define PV_VIEW_INTERNAL_H

#include <SDL.h>
#include <SDL_ttf.h>

#include "pkosim/pkosim.h"
#include "scenario.h"
#include "view.h"

/* ---------------------------------------------------------------- fonts and text */

typedef enum pv_font_id {
    PV_FONT_SMALL = 0, /* legends, secondary text */
    PV_FONT_NORMAL,    /* panels, ticker */
    PV_FONT_BOLD,      /* headings, district names */
    PV_FONT_BIG,       /* the day counter */
    PV_FONT_LABEL,     /* town names on the map (with a halo) */
    PV_FONT_COUNT
} pv_font_id;

enum { PV_TEXT_CACHE = 1024 };

typedef struct pv_text_entry {
    uint64_t hash;
    int font, halo;
    char *text;
    SDL_Texture *tex;
    int w, h;
    uint32_t last_used; /* frame number */
} pv_text_entry;

/* ---------------------------------------------------------------- layout */

typedef struct pv_layout {
    float ui;            /* scale factor of everything: 1 at 1920x1080 */
    int font_px[PV_FONT_COUNT];
    int line;            /* height of a line of normal text */
    int pad;             /* standard padding */
    SDL_Rect top, map_area, right, ticker; /* panels */
    SDL_Rect map;        /* where the raster is drawn (aspect kept), inside map_area */
    float cell_px;       /* pixels per cell edge */
} pv_layout;

/* ---------------------------------------------------------------- overlays */

typedef enum pv_overlay {
    PV_OV_NONE = 0,
    PV_OV_VIOLENCE,
    PV_OV_DISPLACEMENT,
    PV_OV_NEEDS,
    PV_OV_TRUST,
    PV_OV_CONTROL,
    PV_OV_DENSITY,
    PV_OV_COUNT
} pv_overlay;

/* ---------------------------------------------------------------- the copy of the world */

enum { PV_STORY_MAX = 256, PV_FLASH_MAX = 128, PV_UNITS_MAX = 1024, PV_STRIP_MAX = 9, PV_SNAP_MAX = 9 };

typedef struct pv_story {
    int32_t day;
    int32_t region;
    int severity;        /* 0 routine, 1 notable, 2 major (injects, deaths) */
    pk_event_type type;
    pk_event ev;         /* the event told; for several alike the same day, with their counts summed */
    int times;           /* how many events alike this line tells */
    char text[256];
} pv_story;

typedef struct pv_flash {
    int32_t day, cell, count;
    pk_event_type type;
} pv_flash;

/* what stands on a cell of an Epstein grid (pv_data.cell_state) */
enum { PV_EP_EMPTY = 0, PV_EP_QUIET, PV_EP_ACTIVE, PV_EP_JAILED, PV_EP_COP };

typedef struct pv_data {
    int32_t day;
    int32_t width, height, n_cells, n_regions, n_groups, n_factions, scale;
    float *cell_persons;       /* [n_cells] civilians present (alive, inside the area) */
    float *cell_smooth;        /* [n_cells] the same, averaged over 5x5 cells (what is drawn) */
    uint8_t *cell_state;       /* [n_cells] Epstein worlds only: what stands on each cell (PV_EP_*), a
                                  citizen's group (Model II) in bit 3; NULL otherwise */
    float *scratch;            /* [n_cells] */
    float *region_value[PV_OV_COUNT]; /* [n_regions] value of each region overlay */
    float max_density;         /* persons per km^2, the largest cell */
    double *region_group_pop;  /* [n_regions * n_groups] persons present */
    double *region_home_pop;   /* [n_regions] persons whose home is here (alive or not) */
    double *region_displaced;  /* [n_regions] of those, displaced / in camps / refugees */
    double *region_trust;      /* [n_regions * n_factions] population-weighted trust */
    double *region_needs;      /* [n_regions * PK_NEED_COUNT] */
    double *region_violence, *region_control, *region_needs_met;
    float *trust_week;         /* [n_regions * n_factions * PK_CAUSE_COUNT] change over 7 days */
    pk_faction_def factions[PK_MAX_FACTIONS];
    char group_name[PK_MAX_GROUPS][PK_NAME_MAX];
    int32_t n_units;
    pk_unit_state units[PV_UNITS_MAX];
    int32_t n_ind;
    double *ind;               /* [n_ind] today's values */
    double *ind_total;         /* [n_ind] totals */
    int32_t n_flash;
    pv_flash flash[PV_FLASH_MAX];
} pv_data;

/* ---------------------------------------------------------------- the view */

typedef struct pv_strip_item {
    char label[64];
    int32_t ind;   /* indicator index */
    int total;     /* show the running total (counts) rather than the level */
    int percent;   /* a share in [0,1] shown as a percentage */
    int good_up;   /* 1: higher is better */
} pv_strip_item;

typedef struct pv_snapshot {
    void *buf;
    size_t size;
    int32_t day;
} pv_snapshot;

struct pv_view {
    pv_config cfg;
    pk_scenario *sc;
    const pk_map *map;  /* the world's map (the world keeps it; valid while the world is) */
    int epstein;        /* an Epstein world: no districts */

    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Surface *target; /* headless: the surface rendered to */
    int w, h;
    uint32_t frame;
    int large_font, fullscreen;
    TTF_Font *font[PV_FONT_COUNT];
    TTF_Font *halo[PV_FONT_COUNT]; /* the same font with an outline */
    pv_text_entry text[PV_TEXT_CACHE];
    pv_layout lay;

    /* map raster */
    SDL_Texture *map_tex;
    int map_tex_w, map_tex_h;
    int32_t *pix_cell;     /* [map w*h] cell under each pixel, -1 none */
    uint32_t *pix_top;     /* [map w*h] ARGB roads and borders, alpha 0 where nothing */
    uint32_t *cell_rgb;    /* [n_cells] composited colour of each cell */
    int32_t *region_label_cell; /* [n_regions] where a district's name goes */
    int map_dirty;         /* the raster must be composited again */
    int32_t hover_region_drawn;
    int labels_with_units;     /* the labels were placed around the units (placed again once units exist) */
    /* placed labels (computed with the layout) */
    int n_labels;
    struct pv_label { int x, y, font, halo, site; char text[PK_NAME_MAX]; } *labels;

    /* state shown */
    pv_data d;
    int overlay;
    int trust_faction;
    int show_civilians, show_units, show_help, show_console;
    int hover_region, hover_unit;   /* -1 none; hover_unit indexes d.units */
    int pinned_region, pinned_unit; /* clicked: stays until cleared */
    int mouse_x, mouse_y;

    /* time */
    int playing;
    int speed_i;        /* index into pv_speeds */
    double day_acc;     /* fractional days due */
    int days_total;     /* the scenario's days (headless without display) */
    int finished;       /* a scripted end */

    /* history for sparklines: hist[day * n_ind + i], days 0..d.day */
    double *hist;
    int32_t hist_days, hist_cap;
    pv_strip_item strip[PV_STRIP_MAX];
    int n_strip;

    /* the ticker: stories, newest last */
    pv_story story[PV_STORY_MAX];
    int n_story, story_head; /* ring */
    size_t events_read;      /* events of the world turned into stories */
    size_t causes_read;

    struct pv_drawn { float x, y, size; uint32_t rgb; int unit; } drawn[PV_UNITS_MAX]; /* units in the last frame */
    int n_drawn;

    pv_snapshot snap[PV_SNAP_MAX];
    int n_snap;
    SDL_Rect snap_rows[PV_SNAP_MAX]; /* the console's snapshot rows in the last frame, for clicks */
    int n_snap_rows;
    /* the console's injects: the selected one, and the rows and buttons of the last frame */
    int inject_sel;
    int inject_chosen;       /* the director chose one; until then the first pending is selected */
    int n_inject_rows;
    struct pv_inject_row { int inject; SDL_Rect row, fire, skip; } inject_rows[32];
    /* unit labels placed in the last frame (strength, and a short name when there is room) */
    int n_unit_labels;
    struct pv_unit_label { int unit, x, y; char text[48]; } unit_labels[PV_UNITS_MAX];
    char status[256];        /* a transient message ("snapshot 2 taken") */
    uint32_t status_until;   /* SDL ticks */
    char error[512];

    /* the simulation thread: steps one day at a time while the view keeps drawing; the
     * main thread reads the world (pv_capture) only while it is idle */
    SDL_Thread *worker;
    SDL_mutex *mu;
    SDL_cond *cv;
    int busy, day_done, quit;  /* under mu */
    int started;               /* main thread: the last pv_async_tick started a day */
    pk_status worker_status;
    pk_error worker_err;
};

/* view.c */
void pv_capture(pv_view *v);
int pv_faction_short(const pv_view *v, int32_t f, char *out, size_t n); /* "UN", "AU", "government" */
const char *pv_overlay_name(int overlay);
const char *pv_speed_text(const pv_view *v, char *buf, size_t n); /* "2 days/s" */

/* layout.c */
int pv_fonts_open(pv_view *v);
void pv_fonts_close(pv_view *v);
void pv_layout_compute(pv_view *v);
void pv_text_cache_clear(pv_view *v);
void pv_text_cache_sweep(pv_view *v);
/* Draw UTF-8 text at (x, y) (top-left); align 0 left, 1 centre, 2 right of x. Returns its width. */
int pv_text(pv_view *v, int font, const char *s, int x, int y, SDL_Color c, int align);
/* Text with a light halo, for labels on the map. */
int pv_text_halo(pv_view *v, int font, const char *s, int x, int y, SDL_Color c, int align);
/* Size of text in a font. */
void pv_text_size(pv_view *v, int font, const char *s, int *w, int *h);
/* Draw text wrapped to width; returns the height used; stops before max_h. */
int pv_text_wrap(pv_view *v, int font, const char *s, int x, int y, int width, int max_h, SDL_Color c);
void pv_fill_rect(pv_view *v, SDL_Rect r, SDL_Color c);
void pv_fill_circle(pv_view *v, float cx, float cy, float r, SDL_Color c);
void pv_ring(pv_view *v, float cx, float cy, float r, float thick, SDL_Color c);
void pv_fill_poly(pv_view *v, const float *xy, int n, SDL_Color c);
SDL_Color pv_rgb(uint32_t rgb, uint8_t a);

/* map_layer.c */
int pv_map_init(pv_view *v);      /* after each layout change */
void pv_map_free(pv_view *v);
void pv_map_draw(pv_view *v);
void pv_map_cell_center(const pv_view *v, int32_t cell, float *x, float *y);
int32_t pv_map_cell_at(const pv_view *v, int x, int y); /* -1 outside */
uint32_t pv_ramp(int overlay, float t); /* colour of t in [0,1] on an overlay's scale */
void pv_overlay_range(const pv_view *v, int overlay, float *lo, float *hi);

/* view.c: the white cell's actions (wait for a day in progress, then through the scenario layer) */
void pv_set_status(pv_view *v, const char *msg);

/* units.c */
void pv_units_draw(pv_view *v);
int pv_unit_at(pv_view *v, int x, int y);   /* index into d.units, -1 none */
void pv_unit_pos(const pv_view *v, int i, float *x, float *y, float *size);
void pv_unit_symbol(pv_view *v, pk_faction_kind kind, float x, float y, float size, SDL_Color c);

/* story.c */
void pv_story_from_events(pv_view *v);  /* new world events -> stories (called by pv_capture) */
int pv_event_sentence(const pv_view *v, const pk_event *e, char *out, size_t n); /* severity, -1 skip */
/* the same for `times` events alike on a day, e->count their sum ("3 clashes ...: 24 killed") */
int pv_events_sentence(const pv_view *v, const pk_event *e, int times, char *out, size_t n);
/* the same kind of incident, the same day, by the same hands against the same people, at
 * the same place as told: one line of the ticker */
int pv_events_alike(const pv_view *v, const pk_event *a, const pk_event *b);
/* "a" or "an" before a name as it is read aloud ("an AU post", "a UN post", "a NATO post") */
const char *pv_article(const char *name);

/* panels.c */
void pv_panels_draw(pv_view *v);

/* console.c */
void pv_console_draw(pv_view *v, SDL_Rect r);
void pv_help_draw(pv_view *v);
int pv_console_click(pv_view *v, int x, int y); /* 1 if handled */

#endif
