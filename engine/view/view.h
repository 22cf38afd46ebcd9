/* view.h — the SDL2 map view and instructor console (issue 5), as used by `pkosim view`
 * (engine/cli/cmd_view.c) and by the view's tests. The view draws a scenario's world from
 * the public API (pkosim/world.h) and steps it only through the scenario layer
 * (scenario.h), exactly as `pkosim run` does; nothing in the core knows it exists.
 *
 * Ownership: the view borrows the scenario (the caller frees it after pv_destroy). */
#ifndef PV_VIEW_H
#define PV_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

typedef struct pv_config {
    int width, height;     /* window or image size in pixels */
    int headless;          /* render into an offscreen surface; no window, no display */
    int large_font;        /* projector mode: fonts x1.4 */
    int overlay;           /* initial overlay (pv_overlay_from_name) */
    const char *trust_faction; /* faction id for the trust overlay; NULL: the first mission */
    const char *font_dir;  /* folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf; NULL: system */
} pv_config;
pv_config pv_config_default(void);

typedef struct pv_view pv_view;

/* Create the view (window or offscreen surface, fonts, the static map layers) for a
 * loaded scenario whose on_start has been called. On failure returns NULL and writes a
 * message to err; *missing_font is set to 1 when the cause is a missing font file. */
pv_view *pv_create(pk_scenario *sc, const pv_config *cfg, char *err, size_t errn, int *missing_font);
void pv_destroy(pv_view *v);

/* Step the scenario one day (on_day, the day tick, on_event) and take the new state in.
 * Returns the scenario's status (err filled on failure). */
pk_status pv_step_day(pv_view *v, pk_error *err);
/* Stepping in the background (the window's play mode; `view --headless --async`): a
 * simulation thread steps one day while the view goes on drawing the last day taken in.
 * pv_async_tick takes a finished day in and, when `play`, starts the next one; it returns
 * the status of the day it took in (PK_OK when none). pv_async_wait waits for a day in
 * progress and takes it in. Days taken in so far: pk_world_day after pv_async_wait. */
pk_status pv_async_tick(pv_view *v, int play, pk_error *err);
pk_status pv_async_wait(pv_view *v, pk_error *err);
/* Draw one frame of the current state (to the window or the offscreen surface). */
void pv_render(pv_view *v);
/* Show the frame drawn in the window (and keep the window responsive). */
void pv_present(pv_view *v);
/* Open with panels shown: a comma-separated list of help, console, region:ID, unit:N.
 * 0, or -1 with a message in err. */
int pv_show(pv_view *v, const char *what, char *err, size_t errn);
/* The size rendered at, in pixels. */
void pv_size(const pv_view *v, int *width, int *height);
/* Write the last frame drawn as a PNG (SDL2_image). 0 on success, else -1 with err. */
int pv_save_png(pv_view *v, const char *path, char *err, size_t errn);
/* Run the interactive window until the user quits. Returns 0, or 1 on a scenario error. */
int pv_run_window(pv_view *v, pk_error *err);
/* One input event (key, text, mouse, window), as the window's loop handles it; also for
 * tests, which send events to a headless view. Returns 0, 1 when it asks to quit, -1 on a
 * scenario error (err filled). */
union SDL_Event;
int pv_handle_event(pv_view *v, const union SDL_Event *e, pk_error *err);

/* Overlay by name: none, violence, displacement, needs, trust, control, density; -1 if unknown. */
int pv_overlay_from_name(const char *name);
void pv_set_overlay(pv_view *v, int overlay);
void pv_set_size(pv_view *v, int width, int height); /* headless: a new surface of that size */

/* The white cell (instructor console): fire or skip inject i of the scenario (see
 * pk_scenario_fire_inject); both are logged. An order: unit `unit` (index into the world's
 * units as taken in, as pv_show's unit:N) gets task `task` (pk_task) with target region `region` (-1:
 * where it is), from the next day; logged as a white-cell order. */
pk_status pv_inject_fire(pv_view *v, int i, pk_error *err);
pk_status pv_inject_skip(pv_view *v, int i, pk_error *err);
pk_status pv_order(pv_view *v, int unit, int task, int32_t region, pk_error *err);

/* ---- probes for tests: what was drawn where (no pixel-exact goldens) */
typedef struct pv_rect {
    int x, y, w, h;
} pv_rect;
/* The last frame's pixels as 0xAARRGGBB rows (headless only; NULL otherwise); pitch in pixels. */
const uint32_t *pv_pixels(const pv_view *v, int *width, int *height, int *pitch);
/* Where a panel is: "map", "ticker", "top", "right"; 0 if unknown. */
int pv_panel_rect(const pv_view *v, const char *name, pv_rect *out);
/* Units drawn in the last frame: centre, symbol size and colour (0xRRGGBB). */
int pv_unit_count(const pv_view *v);
void pv_unit_drawn(const pv_view *v, int i, int *x, int *y, int *size, uint32_t *rgb);
/* Labels placed on the map (district and site names). */
int pv_label_count(const pv_view *v);
const char *pv_label_text(const pv_view *v, int i);
/* Unit labels placed in the last frame: the unit (as pv_show's unit:N), the text and
 * its top-left corner. */
int pv_unit_label_count(const pv_view *v);
const char *pv_unit_label(const pv_view *v, int i, int *unit, int *x, int *y);
/* The number of stories in the ticker so far. */
int pv_story_count(const pv_view *v);
/* Snapshots: take one now (returns its number, or -1) and return to snapshot k. */
int pv_snapshot_take(pv_view *v);
pk_status pv_snapshot_restore(pv_view *v, int k, pk_error *err);

#endif
