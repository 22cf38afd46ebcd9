/* view_render.c — what the map view draws, checked headless (offscreen software renderer,
 * no display) without pixel-exact goldens: units appear in their faction's colour where
 * they are, overlays change the picture, text is drawn in the ticker and the top bar, no
 * frame is blank, both ends of the supported sizes render, a foreign map (central Africa)
 * shows its four countries, snapshots rewind, and the ticker tells events in words. */
#define _POSIX_C_SOURCE 200809L
#include <sys/stat.h>
#include <unistd.h>

#include "pkosim/rng.h"
#include "test.h"
#include "view.h"
#include "view_internal.h"

static pk_scenario *load(const char *rel, const char *assets) {
    char path[1024];
    SRC_PATH(path, rel);
    pk_scenario_options o = pk_scenario_options_default();
    o.assets_dir = assets;
    pk_errors *errs = calloc(1, sizeof *errs);
    pk_scenario *sc = pk_scenario_load(path, &o, errs);
    if (!sc)
        for (int i = 0; i < errs->count; i++) fprintf(stderr, "load: %s\n", errs->items[i].msg);
    free(errs);
    if (sc) {
        pk_error err;
        if (pk_scenario_start(sc, &err) != PK_OK) {
            pk_scenario_free(sc);
            return NULL;
        }
    }
    return sc;
}

static pv_view *make(pk_scenario *sc, int w, int h) {
    pv_config cfg = pv_config_default();
    cfg.width = w;
    cfg.height = h;
    cfg.headless = 1;
    char err[512];
    pv_view *v = pv_create(sc, &cfg, err, sizeof err, NULL);
    if (!v) fprintf(stderr, "pv_create: %s\n", err);
    return v;
}

static uint32_t px(pv_view *v, int x, int y) {
    int w, h, pitch;
    const uint32_t *p = pv_pixels(v, &w, &h, &pitch);
    if (x < 0 || y < 0 || x >= w || y >= h) return 0;
    return p[y * pitch + x] & 0xFFFFFF;
}

static int near_rgb(uint32_t a, uint32_t b, int tol) {
    for (int s = 0; s < 24; s += 8) {
        int d = (int)((a >> s) & 255) - (int)((b >> s) & 255);
        if (d < -tol || d > tol) return 0;
    }
    return 1;
}

/* Pixels of rect r differing between two copies. */
static long count_diff(const uint32_t *a, const uint32_t *b, int pitch, pv_rect r) {
    long n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) n += (a[y * pitch + x] & 0xFFFFFF) != (b[y * pitch + x] & 0xFFFFFF);
    return n;
}

static uint32_t *copy_pixels(pv_view *v, int *pitch) {
    int w, h;
    const uint32_t *p = pv_pixels(v, &w, &h, pitch);
    uint32_t *c = malloc((size_t)h * (size_t)*pitch * 4);
    if (c) memcpy(c, p, (size_t)h * (size_t)*pitch * 4);
    return c;
}

static void step(pv_view *v, int days) {
    pk_error err;
    for (int i = 0; i < days; i++) REQUIRE(pv_step_day(v, &err) == PK_OK);
}

static void test_units_in_faction_colours(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    step(v, 2);
    pv_render(v);
    int n = pv_unit_count(v), hits = 0, un_blue = 0;
    CHECK(n == 32);
    for (int i = 0; i < n; i++) {
        int x, y, s;
        uint32_t rgb;
        pv_unit_drawn(v, i, &x, &y, &s, &rgb);
        /* the faction's colour somewhere within the symbol's inner third */
        int found = 0;
        for (int dy = -s / 6; dy <= s / 6 && !found; dy++)
            for (int dx = -s / 6; dx <= s / 6 && !found; dx++) found = near_rgb(px(v, x + dx, y + dy), rgb, 24);
        hits += found;
        un_blue += found && rgb == 0x0072B2;
    }
    CHECK(hits >= n * 8 / 10); /* fanned-out neighbours may cover a few */
    CHECK(un_blue >= 4);       /* the four UN battalions, in UN blue */
    pv_destroy(v);
    pk_scenario_free(sc);
}

/* Many units in one place are packed close around it, each clear of the others: a
 * concentration of forces, not a ring around the place as wide as a district. */
static void test_units_in_one_place_packed(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    step(v, 1);
    int n = v->d.n_units;
    REQUIRE(n >= 30);
    const int32_t cell = v->d.units[0].cell;
    for (int i = 0; i < n; i++) v->d.units[i].cell = cell;
    float cx, cy, smax = 0, far = 0, nearest = 1e9f, xs[PV_UNITS_MAX], ys[PV_UNITS_MAX];
    pv_map_cell_center(v, cell, &cx, &cy);
    for (int i = 0; i < n; i++) {
        float s;
        pv_unit_pos(v, i, &xs[i], &ys[i], &s);
        if (s > smax) smax = s;
        float d = hypotf(xs[i] - cx, ys[i] - cy);
        if (d > far) far = d;
    }
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            float d = hypotf(xs[i] - xs[j], ys[i] - ys[j]);
            if (d < nearest) nearest = d;
        }
    printf("  %d units in one cell: nearest two %.1f px apart, farthest %.1f px out (largest symbol %.1f px)\n", n, nearest,
           far, smax);
    CHECK(nearest >= 1.1f * smax);    /* no symbol over another's middle */
    CHECK(far <= 4 * 1.25f * smax);   /* three rings hold 37 */
    pv_destroy(v);
    pk_scenario_free(sc);
}

static int strip_has(const pv_view *v, const char *label) {
    for (int i = 0; i < v->n_strip; i++)
        if (strcmp(v->strip[i].label, label) == 0) return 1;
    return 0;
}

/* The indicator strip shows trust in the missions that have units first; a mission with
 * none (the UN of a split mission, which mandates the HRPM's units) does not take the
 * row humanitarian access needs, but one whose units a script brings in later is shown
 * while there is room. */
static void test_strip_trust_rows(void) {
    static const struct {
        const char *scenario, *want[3], *not_want;
    } cases[] = {
        {"scenarios/case_split.lua", {"Trust in AU", "Trust in HRPM", "Humanitarian access"}, "Trust in UN"},
        {"scenarios/demo.lua", {"Trust in UN", "Trust in AU", "Humanitarian access"}, NULL},
        {"scenarios/population_lab.lua", {"Trust in UN", "Humanitarian access", "Needs met"}, NULL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        pk_scenario *sc = load(cases[k].scenario, NULL);
        REQUIRE(sc);
        pv_view *v = make(sc, 1280, 720);
        REQUIRE(v);
        for (int i = 0; i < 3; i++) {
            if (!strip_has(v, cases[k].want[i])) fprintf(stderr, "  %s: no row '%s'\n", cases[k].scenario, cases[k].want[i]);
            CHECK(strip_has(v, cases[k].want[i]));
        }
        if (cases[k].not_want) CHECK(!strip_has(v, cases[k].not_want));
        pv_destroy(v);
        pk_scenario_free(sc);
    }
}

static void test_overlays_change_the_picture(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    step(v, 25); /* violence and displacement by then */
    pv_render(v);
    int pitch;
    uint32_t *base = copy_pixels(v, &pitch);
    REQUIRE(base);
    pv_rect map;
    REQUIRE(pv_panel_rect(v, "map", &map));
    for (int ov = 1; ov < PV_OV_COUNT; ov++) {
        pv_set_overlay(v, ov);
        pv_render(v);
        int w, h, p2;
        long diff = count_diff(base, pv_pixels(v, &w, &h, &p2), pitch, map);
        if (diff < (long)map.w * map.h / 10) fprintf(stderr, "overlay %s changed only %ld pixels\n", pv_overlay_name(ov), diff);
        CHECK(diff >= (long)map.w * map.h / 10);
    }
    free(base);
    pv_destroy(v);
    pk_scenario_free(sc);
}

/* Share of pixels in r that differ from the colour at r's top-left corner. */
static double ink_share(pv_view *v, pv_rect r) {
    uint32_t bg = px(v, r.x + 1, r.y + 1);
    long n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) n += px(v, x, y) != bg;
    return (double)n / ((double)r.w * r.h);
}

static void test_text_and_no_blank_frames(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    pv_rect ticker, top, map;
    REQUIRE(pv_panel_rect(v, "ticker", &ticker) && pv_panel_rect(v, "top", &top) && pv_panel_rect(v, "map", &map));
    for (int f = 0; f < 6; f++) {
        step(v, 1);
        pv_render(v);
        CHECK(ink_share(v, top) > 0.01);
        CHECK(ink_share(v, map) > 0.30); /* terrain, civilians, borders: never one flat colour */
    }
    CHECK(pv_story_count(v) > 0);
    CHECK(ink_share(v, ticker) > 0.01); /* the first stories are told */
    pv_destroy(v);
    pk_scenario_free(sc);
}

static void test_sizes(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    step(v, 1);
    pv_render(v);
    int w, h, pitch, units_small = pv_unit_count(v), labels_small = pv_label_count(v);
    REQUIRE(pv_pixels(v, &w, &h, &pitch));
    CHECK(w == 1280 && h == 720);
    pv_set_size(v, 3840, 2160);
    pv_render(v);
    REQUIRE(pv_pixels(v, &w, &h, &pitch));
    CHECK(w == 3840 && h == 2160);
    CHECK(pv_unit_count(v) == units_small);
    CHECK(pv_label_count(v) >= labels_small); /* more room: at least as many names */
    pv_rect map;
    REQUIRE(pv_panel_rect(v, "map", &map));
    CHECK(map.w > 1800 && map.h > 1200);
    CHECK(ink_share(v, map) > 0.30);
    pv_destroy(v);
    pk_scenario_free(sc);
}

/* A temporary assets folder holding maps/central_africa.geojson from ../shared. */
static int make_assets(char *dir, size_t n) {
    char src[1024];
    SHARED_PATH(src, "reference/geojson/central_africa.geojson");
    FILE *in = fopen(src, "rb");
    if (!in) return 0;
    snprintf(dir, n, "/tmp/pkosim-view-test-XXXXXX");
    if (!mkdtemp(dir)) {
        fclose(in);
        return 0;
    }
    char path[1200];
    snprintf(path, sizeof path, "%s/maps", dir);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/maps/central_africa.geojson", dir);
    FILE *out = fopen(path, "wb");
    char buf[65536];
    size_t k;
    while (out && (k = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, k, out);
    fclose(in);
    if (out) fclose(out);
    return out != NULL;
}

static void remove_assets(const char *dir) {
    char path[1200];
    snprintf(path, sizeof path, "%s/maps/central_africa.geojson", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/maps", dir);
    rmdir(path);
    rmdir(dir);
}

static void test_central_africa(void) {
    char assets[256];
    REQUIRE(make_assets(assets, sizeof assets));
    pk_scenario *sc = load("scenarios/central_africa.lua", assets);
    remove_assets(assets);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    step(v, 1);
    pv_render(v);
    static const char *const names[] = {"Central African Republic", "Chad", "Cameroon", "Republic of the Congo"};
    for (int k = 0; k < 4; k++) {
        int found = 0;
        for (int i = 0; i < pv_label_count(v); i++) found |= !strcmp(pv_label_text(v, i), names[k]);
        if (!found) fprintf(stderr, "no label '%s'\n", names[k]);
        CHECK(found);
    }
    /* borders drawn: the dark outline and the grey inner borders */
    pv_rect map;
    REQUIRE(pv_panel_rect(v, "map", &map));
    long outline = 0, inner = 0;
    for (int y = map.y; y < map.y + map.h; y++)
        for (int x = map.x; x < map.x + map.w; x++) {
            uint32_t c = px(v, x, y);
            outline += c == 0x202020;
            inner += near_rgb(c, 0x505050, 12);
        }
    CHECK(outline > 1000);
    CHECK(inner > 100);
    pv_destroy(v);
    pk_scenario_free(sc);
}

/* An Epstein grid's strip shows its own figures (rebelling, quiet, jailed, arrests; the
 * two groups and the killings for Model II), not the mission area's; its map shows each
 * cell as what stands on it. */
/* pixels of the map area within 8 of an RGB colour */
static long map_pixels_near(pv_view *v, uint32_t rgb) {
    long n = 0;
    const SDL_Rect r = v->lay.map_area;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) n += near_rgb(px(v, x, y), rgb, 8);
    return n;
}

static void test_epstein_strip(void) {
    pk_scenario *sc = load("scenarios/epstein_model1.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    CHECK(strip_has(v, "Rebelling (active)"));
    CHECK(strip_has(v, "In jail"));
    CHECK(!strip_has(v, "Needs met"));
    CHECK(!strip_has(v, "Killings"));
    step(v, 5);
    pv_render(v);
    /* each cell drawn as what stands on it: quiet citizens and cops (black) are on the map
     * (40x40 grid, 70% citizens, 4% cops, about 1 in 15 of the cells jailed or active at most) */
    long quiet = map_pixels_near(v, 0xC9C0D3), cops = map_pixels_near(v, 0x111111);
    printf("  epstein map: %ld quiet pixels, %ld cop pixels\n", quiet, cops);
    CHECK(quiet > 10 * cops && cops > 0);
    pv_destroy(v);
    pk_scenario_free(sc);
    sc = load("scenarios/epstein_model2.lua", NULL);
    REQUIRE(sc);
    v = make(sc, 1280, 720);
    REQUIRE(v);
    CHECK(strip_has(v, "Alive: Blue") && strip_has(v, "Alive: Green") && strip_has(v, "Killings"));
    CHECK(!strip_has(v, "Civilians killed"));
    step(v, 2);
    pv_render(v);
    CHECK(map_pixels_near(v, 0x56B4E9) > 0 && map_pixels_near(v, 0x009E73) > 0); /* the two groups */
    pv_destroy(v);
    pk_scenario_free(sc);
}

static void test_snapshot_rewinds(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    step(v, 3);
    uint64_t h3 = pk_world_hash(pk_scenario_world(sc));
    int k = pv_snapshot_take(v);
    REQUIRE(k == 0);
    step(v, 5);
    CHECK(pk_world_day(pk_scenario_world(sc)) == 8);
    pk_error err;
    REQUIRE(pv_snapshot_restore(v, k, &err) == PK_OK);
    CHECK(pk_world_day(pk_scenario_world(sc)) == 3);
    CHECK(pk_world_hash(pk_scenario_world(sc)) == h3);
    step(v, 1); /* and it runs on from there */
    CHECK(pk_world_day(pk_scenario_world(sc)) == 4);
    pv_render(v);
    pv_destroy(v);
    pk_scenario_free(sc);
}

static void test_ticker_sentences(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    const pk_map *m = pk_world_map(pk_scenario_world(sc));
    pk_event e;
    memset(&e, 0, sizeof e);
    e.day = 34;
    e.type = PK_EV_AMBUSH;
    e.region = pk_map_find_region(m, "jokovu");
    e.cell = -1;
    for (int s = 0; s < m->n_sites; s++)
        if (!strcmp(m->sites[s].name, "Jokovu")) e.cell = m->sites[s].cell;
    e.faction = pk_world_find_faction(pk_scenario_world(sc), "clf");
    e.target_faction = pk_world_find_faction(pk_scenario_world(sc), "partner");
    e.group = -1;
    e.count = 3;
    char text[256];
    CHECK(pv_event_sentence(v, &e, text, sizeof text) == 2);
    CHECK_STR(text, "Day 34 \xE2\x80\x94 Ambush near Jokovu: 3 AU soldiers killed");
    /* "a" or "an" as read aloud */
    e.type = PK_EV_BASE_RAID;
    e.count = 2;
    pv_event_sentence(v, &e, text, sizeof text);
    CHECK_STR(text, "Day 34 \xE2\x80\x94 CLF raid an AU post near Jokovu: 2 killed");
    e.target_faction = pk_world_find_faction(pk_scenario_world(sc), "un");
    pv_event_sentence(v, &e, text, sizeof text);
    CHECK_STR(text, "Day 34 \xE2\x80\x94 CLF raid a UN post near Jokovu: 2 killed");
    e.type = PK_EV_UNIT_DESTROYED;
    e.faction = pk_world_find_faction(pk_scenario_world(sc), "partner");
    pv_event_sentence(v, &e, text, sizeof text);
    CHECK_STR(text, "Day 34 \xE2\x80\x94 An AU unit is destroyed near Jokovu");
    static const char *const names[][2] = {{"AU", "an"}, {"UN", "a"}, {"HRPM", "an"}, {"FIB", "an"},   {"CLF", "a"},
                                           {"NATO", "a"}, {"MINUSCA", "a"}, {"ECOWAS", "an"}, {"UNAMID", "a"},
                                           {"government", "a"}, {"army", "an"}, {"union", "a"}, {"", "a"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) CHECK_STR(pv_article(names[i][0]), names[i][1]);
    e.type = PK_EV_DISPLACEMENT;
    e.count = 12500;
    pv_event_sentence(v, &e, text, sizeof text);
    CHECK_STR(text, "Day 34 \xE2\x80\x94 12,500 people flee their homes near Jokovu");
    e.type = PK_EV_ARREST; /* routine: not told */
    CHECK(pv_event_sentence(v, &e, text, sizeof text) == -1);
    pv_destroy(v);
    pk_scenario_free(sc);
}

/* The same incident repeated on a day is one line of the ticker that counts the incidents
 * and adds up their dead: nothing told is lost (every told event is in exactly one line,
 * every death in its line's sum) and no two lines of a day are alike. */
static void test_ticker_merges_repeats(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    step(v, 60);
    size_t n;
    const pk_event *ev = pk_world_events(pk_scenario_world(sc), &n);
    REQUIRE(pv_story_count(v) < PV_STORY_MAX); /* the ring kept everything told */
    int told = 0, lines = 0, merged = 0;
    int64_t dead_events = 0, dead_lines = 0;
    char text[256];
    for (size_t i = 0; i < n; i++) {
        if (pv_event_sentence(v, &ev[i], text, sizeof text) < 0) continue;
        told++;
        if (ev[i].type == PK_EV_CLASH || ev[i].type == PK_EV_ATTACK_CIVILIANS) dead_events += ev[i].count;
    }
    for (int i = 0; i < v->n_story; i++) {
        const pv_story *s = &v->story[(v->story_head + i) % PV_STORY_MAX];
        lines += s->times;
        if (s->ev.type == PK_EV_CLASH || s->ev.type == PK_EV_ATTACK_CIVILIANS) dead_lines += s->ev.count;
        for (int j = i + 1; j < v->n_story; j++)
            CHECK(!pv_events_alike(v, &s->ev, &v->story[(v->story_head + j) % PV_STORY_MAX].ev));
        if (s->times > 1 && s->ev.type == PK_EV_CLASH && s->ev.count > 0) {
            char want[64];
            snprintf(want, sizeof want, "\xE2\x80\x94 %d clashes between ", s->times);
            CHECK(strstr(s->text, want) != NULL);
            merged++;
        }
    }
    CHECK(lines == told);
    CHECK(dead_lines == dead_events);
    CHECK(merged > 0); /* the demo's first two months have days of repeated clashes */
    CHECK(v->n_story < told);
    pv_destroy(v);
    pk_scenario_free(sc);
}

/* The mission events (issue 4) told in words an instructor reads aloud. */
static void test_ticker_mission_sentences(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    pk_world *w = pk_scenario_world(sc);
    const pk_map *m = pk_world_map(w);
    int32_t un = pk_world_find_faction(w, "un"), au = pk_world_find_faction(w, "partner"), clf = pk_world_find_faction(w, "clf");
    pk_event e;
    memset(&e, 0, sizeof e);
    e.day = 12;
    e.region = pk_map_find_region(m, "jokovu");
    e.cell = -1;
    e.group = -1;
    char text[256];
    e.type = PK_EV_CONFUSION;
    e.faction = un;
    e.target_faction = au;
    CHECK(pv_event_sentence(v, &e, text, sizeof text) == 1);
    CHECK_STR(text, "Day 12 \xE2\x80\x94 UN Mission in Carana and AU Force in Carana get in each other's way in Jokovu "
                    "(poor coordination)");
    e.type = PK_EV_MISSION_EXIT;
    e.faction = au;
    e.target_faction = -1;
    e.region = e.cell = -1;
    snprintf(e.text, sizeof e.text, "exit day: the force leaves");
    CHECK(pv_event_sentence(v, &e, text, sizeof text) == 2);
    CHECK_STR(text, "Day 12 \xE2\x80\x94 AU Force in Carana leaves the mission area at the end of its deployment");
    snprintf(e.text, sizeof e.text, "consent withdrawn: the force leaves");
    pv_event_sentence(v, &e, text, sizeof text);
    CHECK_STR(text, "Day 12 \xE2\x80\x94 AU Force in Carana leaves the mission area: the government withdrew its consent");
    e.text[0] = '\0';
    e.region = pk_map_find_region(m, "hoyembe");
    e.type = PK_EV_DDR;
    e.faction = un;
    e.target_faction = clf;
    e.count = 42;
    CHECK(pv_event_sentence(v, &e, text, sizeof text) == 0);
    CHECK_STR(text, "Day 12 \xE2\x80\x94 42 CLF fighters demobilised in Hoyembe");
    e.count = 0; /* nothing happened: not told */
    CHECK(pv_event_sentence(v, &e, text, sizeof text) == -1);
    e.region = pk_map_find_region(m, "zerenga");
    e.type = PK_EV_BAND_FORMED;
    e.faction = clf;
    e.target_faction = -1;
    pv_event_sentence(v, &e, text, sizeof text);
    CHECK_STR(text, "Day 12 \xE2\x80\x94 CLF forms a new band in Zerenga");
    e.type = PK_EV_COLLATERAL;
    e.faction = au;
    e.target_faction = clf;
    e.count = 12;
    CHECK(pv_event_sentence(v, &e, text, sizeof text) == 2);
    CHECK_STR(text, "Day 12 \xE2\x80\x94 12 civilians killed in an operation by AU Force in Carana against CLF in Zerenga");
    e.type = PK_EV_REDEPLOY;
    e.faction = un;
    e.target_faction = -1;
    e.region = pk_map_find_region(m, "lumeni");
    pv_event_sentence(v, &e, text, sizeof text); /* no unit: "a unit" */
    CHECK_STR(text, "Day 12 \xE2\x80\x94 UN Mission in Carana sends a unit to Lumeni City");
    pv_destroy(v);
    pk_scenario_free(sc);
}

/* A force that deploys later is not on the map (nor in the unit count) before it arrives. */
static void test_undeployed_units_are_not_drawn(void) {
    char path[] = "/tmp/pkosim-view-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    static const char src[] =
        "return {\n"
        "  map = { file = 'carana.geojson', cell_km = 5 },\n"
        "  scale = 100,\n"
        "  factions = { { id = 'un', kind = 'un' }, { id = 'au', kind = 'regional', deploy_day = 4 } },\n"
        "  groups = { { id = 'a', population = { lumeni = 20000, jokovu = 10000 } } },\n"
        "  units = { { faction = 'un', type = 'infantry', region = 'lumeni' },\n"
        "            { faction = 'au', type = 'infantry', region = 'jokovu', count = 2 } },\n"
        "}\n";
    REQUIRE(write(fd, src, sizeof src - 1) == (ssize_t)(sizeof src - 1));
    close(fd);
    pk_scenario_options o = pk_scenario_options_default();
    pk_errors *errs = calloc(1, sizeof *errs);
    REQUIRE(errs);
    pk_scenario *sc = pk_scenario_load(path, &o, errs);
    free(errs);
    unlink(path);
    REQUIRE(sc);
    pk_error err;
    REQUIRE(pk_scenario_start(sc, &err) == PK_OK);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    step(v, 1);
    pv_render(v);
    CHECK(pk_world_units(pk_scenario_world(sc), NULL, 0) == 3); /* all three exist */
    CHECK(pv_unit_count(v) == 1);                               /* only the UN's is in the area */
    step(v, 3);
    pv_render(v);
    CHECK(pv_unit_count(v) == 3); /* day 4: the AU force has arrived */
    pv_destroy(v);
    pk_scenario_free(sc);
}

/* Units are labelled (strength, and a short name on a large map) beside their symbols:
 * ink is drawn where each label is, and no two labels overlap. */
static void test_unit_labels(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1920, 1080);
    REQUIRE(v);
    step(v, 2);
    pv_render(v);
    int n = pv_unit_label_count(v);
    CHECK(n >= pv_unit_count(v) / 2);
    int inked = 0, named = 0;
    pv_rect rects[1024];
    for (int i = 0; i < n && i < 1024; i++) {
        int u, x, y;
        const char *t = pv_unit_label(v, i, &u, &x, &y);
        REQUIRE(t);
        named += strchr(t, ' ') != NULL;
        /* dark text pixels within the label's first characters */
        int dark = 0;
        for (int dy = 0; dy < 14; dy++)
            for (int dx = 0; dx < 18; dx++) {
                uint32_t c = px(v, x + dx, y + dy);
                dark += ((c >> 16) & 255) < 80 && ((c >> 8) & 255) < 80 && (c & 255) < 80;
            }
        inked += dark >= 3;
        rects[i] = (pv_rect){x, y, 0, 0};
        int tw, th;
        pv_text_size(v, PV_FONT_SMALL, t, &tw, &th);
        rects[i].w = tw;
        rects[i].h = th;
    }
    CHECK(inked >= n * 9 / 10);
    CHECK(named > 0); /* 1920 wide: short names where there is room */
    int overlap = 0;
    for (int i = 0; i < n && i < 1024; i++)
        for (int j = 0; j < i; j++) {
            pv_rect a = rects[i], b = rects[j];
            overlap += a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        }
    CHECK(overlap == 0);
    pv_destroy(v);
    pk_scenario_free(sc);
}

/* The console lists the demo's injects; firing one early from the view applies it at
 * the next day and logs it; skipping keeps the other from firing; an order from the view
 * changes the unit's task and target the next day. */
static void test_console_injects_and_orders(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    char err_s[256];
    REQUIRE(pv_show(v, "console", err_s, sizeof err_s) == 0);
    step(v, 2);
    pv_render(v);
    CHECK(v->n_inject_rows == 2);
    CHECK(v->inject_sel == 0);
    CHECK(v->inject_rows[0].fire.w > 0 && v->inject_rows[0].skip.w > 0); /* buttons on the selected row */
    pk_error err;
    /* a click on the fire button fires the IED now (day 2): it takes effect on day 3 */
    SDL_Rect fb = v->inject_rows[0].fire;
    CHECK(pv_console_click(v, fb.x + fb.w / 2, fb.y + fb.h / 2) == 1);
    const pk_scenario_inject *ied = pk_scenario_inject_get(sc, 0);
    CHECK(ied->state == PK_INJECT_FIRED && ied->fired_day == 3 && ied->early);
    CHECK(pv_inject_skip(v, 1, &err) == PK_OK);
    /* an order: UN battalion 1 (in Lumeni) to patrol Jokovu */
    int u = -1;
    for (int i = 0; i < v->d.n_units; i++)
        if (!strcmp(v->d.units[i].name, "UN battalion 1")) u = i;
    REQUIRE(u >= 0);
    pk_unit_id id = v->d.units[u].id;
    int32_t jokovu = pk_map_find_region(v->map, "jokovu");
    CHECK(pv_order(v, u, PK_TASK_PATROL, jokovu, &err) == PK_OK);
    step(v, 1);
    pk_unit_state us;
    REQUIRE(pk_world_unit(pk_scenario_world(sc), id, &us));
    CHECK(us.task == PK_TASK_PATROL && us.target_region == jokovu);
    size_t n;
    const pk_event *ev = pk_world_events(pk_scenario_world(sc), &n);
    int ied_day = 0, fired_log = 0, order_log = 0;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].type == PK_EV_INJECT && strstr(ev[i].text, "IED on the northern road")) ied_day = ev[i].day;
        if (ev[i].type == PK_EV_LOG && strstr(ev[i].text, "white cell: fired inject 'ied_north' early")) fired_log = 1;
        if (ev[i].type == PK_EV_LOG && strstr(ev[i].text, "white cell: ordered UN battalion 1 to patrol in Jokovu")) order_log = 1;
    }
    CHECK(ied_day == 3);
    CHECK(fired_log && order_log);
    /* the skipped funding cut does not fire on day 30 */
    step(v, 30);
    ev = pk_world_events(pk_scenario_world(sc), &n);
    int cut = 0, ieds = 0;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].type == PK_EV_INJECT && strstr(ev[i].text, "AU force funding")) cut = 1;
        if (ev[i].type == PK_EV_INJECT && strstr(ev[i].text, "IED on the northern road")) ieds++;
    }
    CHECK(!cut);
    CHECK(ieds == 1); /* fired early, not again on day 20 */
    CHECK(pk_scenario_inject_get(sc, 1)->state == PK_INJECT_SKIPPED);
    pv_render(v);
    pv_destroy(v);
    pk_scenario_free(sc);
}

/* A class will press anything: thousands of random keys, characters, mouse moves and
 * clicks (left and right, anywhere) sent to the view while it runs must never crash it
 * (the sanitizer build runs this too), and the view must still draw and step after. */
static void test_random_input_never_breaks_the_view(void) {
    pk_scenario *sc = load("scenarios/demo.lua", NULL);
    REQUIRE(sc);
    pv_view *v = make(sc, 1280, 720);
    REQUIRE(v);
    char cwd[1024], dir[] = "/tmp/pkosim-monkey-XXXXXX";
    REQUIRE(getcwd(cwd, sizeof cwd) && mkdtemp(dir) && chdir(dir) == 0); /* P saves screenshots here */
    static const SDL_Keycode keys[] = {SDLK_SPACE, SDLK_RIGHT, SDLK_d, SDLK_w, SDLK_RETURN, SDLK_KP_PLUS, SDLK_KP_MINUS,
                                       SDLK_0, SDLK_1, SDLK_2, SDLK_3, SDLK_4, SDLK_5, SDLK_6, SDLK_KP_3, SDLK_f,
                                       SDLK_c, SDLK_u, SDLK_l, SDLK_F11, SDLK_F1, SDLK_TAB, SDLK_i, SDLK_s, SDLK_r,
                                       SDLK_p, SDLK_UP, SDLK_DOWN, SDLK_e, SDLK_k, SDLK_t, SDLK_h, SDLK_o, SDLK_ESCAPE,
                                       SDLK_q, SDLK_a, SDLK_z, SDLK_BACKSPACE, SDLK_F5, SDLK_LEFT};
    static const char *const texts[] = {"?", "+", "=", "-", "x", "\xC3\xA9", ""};
    const char *seed_env = getenv("PKOSIM_MONKEY_SEED"); /* another set of inputs, for a longer soak by hand */
    uint64_t st = (seed_env ? strtoull(seed_env, NULL, 10) : 7) << 32; /* seeds 2^32 draws apart: no overlap */
    int quits = 0, steps = 0;
    for (int i = 0; i < 3000; i++) {
        SDL_Event e;
        memset(&e, 0, sizeof e);
        uint64_t r = pk_mix64(++st);
        int w, h;
        pv_size(v, &w, &h);
        switch (r % 5) {
        case 0:
        case 1:
            e.type = SDL_KEYDOWN;
            e.key.keysym.sym = keys[(r >> 8) % (sizeof keys / sizeof keys[0])];
            e.key.keysym.mod = (r >> 20) & 1 ? KMOD_LSHIFT : KMOD_NONE;
            /* stepping a week is slow under the sanitizers: keep the run to a few months */
            if (v->d.day > 120 && (e.key.keysym.sym == SDLK_RIGHT || e.key.keysym.sym == SDLK_d ||
                                   e.key.keysym.sym == SDLK_w || e.key.keysym.sym == SDLK_RETURN))
                e.key.keysym.sym = SDLK_r; /* back to the last snapshot instead */
            break;
        case 2:
            e.type = SDL_TEXTINPUT;
            snprintf(e.text.text, sizeof e.text.text, "%s", texts[(r >> 8) % (sizeof texts / sizeof texts[0])]);
            break;
        case 3:
            e.type = SDL_MOUSEMOTION;
            e.motion.x = (int)((r >> 8) % (uint64_t)(w + 40)) - 20; /* now and then off the edge */
            e.motion.y = (int)((r >> 24) % (uint64_t)(h + 40)) - 20;
            break;
        default:
            e.type = SDL_MOUSEBUTTONDOWN;
            e.button.button = (r >> 8) & 1 ? SDL_BUTTON_RIGHT : SDL_BUTTON_LEFT;
            e.button.x = (int)((r >> 16) % (uint64_t)w);
            e.button.y = (int)((r >> 32) % (uint64_t)h);
            break;
        }
        int32_t before = v->d.day;
        pk_error err;
        int rc = pv_handle_event(v, &e, &err);
        if (rc < 0) fprintf(stderr, "  event %d: %s\n", i, err.msg);
        CHECK(rc >= 0);
        quits += rc > 0;
        steps += v->d.day != before;
        if (i % 25 == 0) pv_render(v);
    }
    REQUIRE(chdir(cwd) == 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    printf("  3000 random inputs: %d asked to quit, %d changed the day, day %d now\n", quits, steps, v->d.day);
    CHECK(quits > 0 && steps > 0); /* the inputs did reach the view */
    /* still whole: it steps and draws a picture */
    pk_error err;
    CHECK(pv_step_day(v, &err) == PK_OK);
    pv_set_overlay(v, PV_OV_NONE);
    pv_render(v);
    pv_rect map;
    REQUIRE(pv_panel_rect(v, "map", &map));
    CHECK(ink_share(v, map) > 0.30);
    pv_destroy(v);
    pk_scenario_free(sc);
}

int main(void) {
    RUN(test_units_in_faction_colours);
    RUN(test_overlays_change_the_picture);
    RUN(test_text_and_no_blank_frames);
    RUN(test_sizes);
    RUN(test_central_africa);
    RUN(test_snapshot_rewinds);
    RUN(test_ticker_sentences);
    RUN(test_ticker_mission_sentences);
    RUN(test_ticker_merges_repeats);
    RUN(test_units_in_one_place_packed);
    RUN(test_strip_trust_rows);
    RUN(test_random_input_never_breaks_the_view);
    RUN(test_undeployed_units_are_not_drawn);
    RUN(test_unit_labels);
    RUN(test_console_injects_and_orders);
    RUN(test_epstein_strip);
    return test_summary();
}
