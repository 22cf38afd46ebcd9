/* cmd_view.c — `pkosim view SCENARIO`: the SDL2 map view and instructor console
 * (engine/view/). With a display it opens a window; with --headless, or when there is no
 * display, it renders offscreen one simulated day per frame, writes the last frame as PNG
 * and prints one JSON object {frames, seconds, fps, width, height}. Without a display and
 * without --headless it behaves like `run` as well: the run's results go to out/<name>/
 * with the map as screenshot.png beside them. It drives the scenario day by day exactly
 * like `pkosim run`. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "output.h"
#include "view.h"

static const char *const view_help =
    "Usage: pkosim view SCENARIO [--set NAME=VALUE]... [--seed N] [--size WxH] [--overlay NAME]\n"
    "       pkosim view SCENARIO --headless [--frames N] [--screenshot FILE.png] [--size WxH]\n"
    "\n"
    "Opens the map view of SCENARIO: districts, terrain, roads, towns, camps, units coloured\n"
    "by faction, civilians, overlays (violence, displacement, needs met, trust, control,\n"
    "population), key indicators with sparklines, an event ticker and the instructor\n"
    "console (snapshots). Press F1 or ? in the window for every key.\n"
    "\n"
    "--headless renders offscreen (no display needed), one simulated day per frame, writes\n"
    "the last frame as PNG and prints one JSON object: frames, seconds, fps, width, height.\n"
    "Without a display (no DISPLAY or WAYLAND_DISPLAY) the view runs headless by itself over\n"
    "the scenario's days and also writes the run's results, like 'pkosim run':\n"
    "out/<scenario>/summary.json, indicators.csv, events.jsonl, causes.csv and screenshot.png.\n"
    "\n"
    "Options:\n"
    "  --seed N, --set NAME=VALUE  as for 'pkosim run'\n"
    "  --days N            days to run without a display (default: the scenario's)\n"
    "  --frames N          frames to render, one day each (default: the scenario's days);\n"
    "                      with a window: play N days, then quit\n"
    "  --screenshot FILE   write the last frame as PNG\n"
    "  --size WxH          window or image size (default 1920x1080)\n"
    "  --overlay NAME      none, violence, displacement, needs, trust, control, density\n"
    "  --trust FACTION     the faction of the trust overlay (default: the UN mission)\n"
    "  --show WHAT         open with help, console, or region:ID shown (comma-separated)\n"
    "  --large-font        large fonts for projectors (key L)\n"
    "  --out DIR           also write the run's results to DIR\n"
    "  --headless          render offscreen even when a display is present\n"
    "  --async             headless: step the simulation in its own thread while frames are\n"
    "                      drawn (as the window does when playing); frames no longer wait\n"
    "                      for days, and the JSON says how many days were simulated\n"
    "The fonts are DejaVu Sans from /usr/share/fonts/truetype/dejavu (Debian package\n"
    "fonts-dejavu-core); PKOSIM_FONT_DIR names another folder holding DejaVuSans.ttf and\n"
    "DejaVuSans-Bold.ttf.\n";

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void make_parents(const char *path) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        mkdir(buf, 0777);
        *p = '/';
    }
}

static int has_display(void) {
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && (!strcmp(drv, "dummy") || !strcmp(drv, "offscreen"))) return 0;
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (wl && *wl);
}

static int scenario_failed(pk_scenario *sc, pv_view *v, pk_output *out, pk_status st, const pk_error *err) {
    pk_cli_print_error(err);
    pk_output_abort(out);
    pv_destroy(v);
    pk_scenario_free(sc);
    return st == PK_ERR_INPUT ? EXIT_USAGE : EXIT_RUNTIME;
}

int pk_cmd_view(int argc, char **argv) {
    pk_cli_args a;
    int rc = pk_cli_parse("view", argc, argv, &a, "seed set days out frames screenshot size overlay trust show",
                          "headless large-font quiet async", "SCENARIO (a .lua file)");
    if (rc != EXIT_OK) return rc;
    if (a.help) {
        fputs(view_help, stdout);
        return EXIT_OK;
    }
    pv_config cfg = pv_config_default();
    const char *s;
    unsigned long long frames = 0;
    int frames_given = 0;
    if ((s = pk_cli_opt(&a, "frames"))) {
        if (!pk_cli_parse_uint(s, 1000000, &frames) || frames == 0)
            return pk_cli_usage_error("view", "--frames: expected a whole number from 1 to 1000000, got '%s'", s);
        frames_given = 1;
    }
    if ((s = pk_cli_opt(&a, "size"))) {
        int w, h;
        char extra;
        if (sscanf(s, "%dx%d%c", &w, &h, &extra) != 2 || w < 320 || h < 240 || w > 8192 || h > 8192)
            return pk_cli_usage_error("view", "--size: expected WIDTHxHEIGHT between 320x240 and 8192x8192, got '%s'", s);
        cfg.width = w;
        cfg.height = h;
    }
    if ((s = pk_cli_opt(&a, "overlay"))) {
        cfg.overlay = pv_overlay_from_name(s);
        if (cfg.overlay < 0)
            return pk_cli_usage_error("view", "--overlay: expected none, violence, displacement, needs, trust, control or density, got '%s'", s);
    }
    cfg.trust_faction = pk_cli_opt(&a, "trust");
    cfg.font_dir = getenv("PKOSIM_FONT_DIR"); /* NULL: the system's DejaVu fonts */
    cfg.large_font = pk_cli_opt(&a, "large-font") != NULL;
    const char *shot = pk_cli_opt(&a, "screenshot");
    const char *show = pk_cli_opt(&a, "show");
    int explicit_headless = pk_cli_opt(&a, "headless") != NULL;
    int no_display = !explicit_headless && !has_display();
    cfg.headless = explicit_headless || no_display;

    pk_scenario *sc = pk_cli_load_scenario(&a);
    if (!sc) return EXIT_USAGE;
    pk_error err;
    pk_status st = pk_scenario_start(sc, &err);
    if (st != PK_OK) return scenario_failed(sc, NULL, NULL, st, &err);

    char verr[768];
    int missing_font = 0;
    pv_view *v = pv_create(sc, &cfg, verr, sizeof verr, &missing_font);
    if (!v && !cfg.headless && !missing_font) {
        /* a display was announced but a window cannot be opened: run headless instead */
        fprintf(stderr, "pkosim view: %s; rendering headless instead\n", verr);
        cfg.headless = 1;
        no_display = 1;
        v = pv_create(sc, &cfg, verr, sizeof verr, &missing_font);
    }
    if (!v) {
        fprintf(stderr, "pkosim view: %s\n", verr);
        pk_scenario_free(sc);
        return missing_font ? EXIT_USAGE : EXIT_RUNTIME;
    }
    if (show && pv_show(v, show, verr, sizeof verr) != 0) {
        pv_destroy(v);
        pk_scenario_free(sc);
        return pk_cli_usage_error("view", "--show: %s", verr);
    }

    if (!cfg.headless && !frames_given) {
        int r = pv_run_window(v, &err);
        if (r != 0) return scenario_failed(sc, v, NULL, PK_ERR_RUNTIME, &err);
        st = pk_scenario_finish(sc, &err);
        pv_destroy(v);
        pk_scenario_free(sc);
        if (st != PK_OK) {
            pk_cli_print_error(&err);
            return EXIT_RUNTIME;
        }
        return EXIT_OK;
    }

    /* frames, one day each: headless, or a window playing a fixed number of days */
    int32_t days = a.days > 0 ? (int32_t)a.days : pk_scenario_default_days(sc);
    if (!frames_given) frames = (unsigned long long)days;
    char out_dir[1024] = "", shot_path[1200] = "";
    pk_output *out = NULL;
    if (no_display || a.out) {
        if (a.out) snprintf(out_dir, sizeof out_dir, "%s", a.out);
        else {
            snprintf(out_dir, sizeof out_dir, "out/%s", pk_scenario_name(sc));
            make_parents(out_dir);
        }
        out = pk_output_open(out_dir, pk_scenario_world(sc), &err);
        if (!out) {
            pk_cli_print_error(&err);
            pv_destroy(v);
            pk_scenario_free(sc);
            return EXIT_USAGE;
        }
    }
    if (shot) snprintf(shot_path, sizeof shot_path, "%s", shot);
    else if (out) snprintf(shot_path, sizeof shot_path, "%s/screenshot.png", out_dir);

    int async = pk_cli_opt(&a, "async") != NULL;
    if (async && out) {
        pk_output_abort(out);
        pv_destroy(v);
        pk_scenario_free(sc);
        return pk_cli_usage_error("view", "--async renders without writing results: use it with --headless and without --out%s", "");
    }
    double t0 = now_s();
    for (unsigned long long f = 0; f < frames && async; f++) {
        st = pv_async_tick(v, 1, &err);
        if (st != PK_OK) return scenario_failed(sc, v, out, st, &err);
        pv_render(v);
        if (!cfg.headless) pv_present(v);
    }
    if (async && (st = pv_async_wait(v, &err)) != PK_OK) return scenario_failed(sc, v, out, st, &err);
    for (unsigned long long f = 0; f < frames && !async; f++) {
        st = pv_step_day(v, &err);
        if (st == PK_OK && out) st = pk_output_day(out, pk_scenario_world(sc), &err);
        if (st != PK_OK) return scenario_failed(sc, v, out, st, &err);
        pv_render(v);
        if (!cfg.headless) pv_present(v);
    }
    double secs = now_s() - t0;
    if (frames == 0) pv_render(v);
    st = pk_scenario_finish(sc, &err);
    if (st != PK_OK) return scenario_failed(sc, v, out, st, &err);
    if (out) {
        pk_output_param params[64];
        int np = pk_scenario_param_count(sc);
        for (int i = 0; i < np && i < 64; i++) {
            params[i].name = pk_scenario_param_get(sc, i)->name;
            params[i].value = pk_scenario_param_get(sc, i)->value_text;
        }
        pk_run_info info = {pk_scenario_name(sc), pk_scenario_path(sc), pk_scenario_seed(sc), pk_world_day(pk_scenario_world(sc)),
                            np < 64 ? np : 64, params};
        pk_status ost = pk_output_finish(out, pk_scenario_world(sc), &info, &err);
        out = NULL;
        if (ost != PK_OK) return scenario_failed(sc, v, NULL, ost, &err);
    }
    if (shot_path[0] && pv_save_png(v, shot_path, verr, sizeof verr) != 0) {
        fprintf(stderr, "pkosim view: %s\n", verr);
        pv_destroy(v);
        pk_scenario_free(sc);
        return EXIT_RUNTIME;
    }
    int width, height;
    pv_size(v, &width, &height);
    if (secs <= 0) secs = 1e-9;
    if (no_display && !a.quiet)
        printf("pkosim view: no display, so the scenario ran headless for %d days.\n"
               "  results: %s/summary.json, indicators.csv, events.jsonl, causes.csv\n"
               "  map:     %s\n",
               pk_world_day(pk_scenario_world(sc)), out_dir, shot_path);
    if (!a.quiet)
        printf("{\"frames\": %llu, \"seconds\": %.6f, \"fps\": %.1f, \"width\": %d, \"height\": %d, \"days\": %d, "
               "\"units_drawn\": %d, \"labels\": %d, \"stories\": %d}\n",
               frames, secs, (double)frames / secs, width, height, pk_world_day(pk_scenario_world(sc)), pv_unit_count(v),
               pv_label_count(v), pv_story_count(v));
    pv_destroy(v);
    pk_scenario_free(sc);
    return EXIT_OK;
}
