/* io_geojson.c — unit tests of the GeoJSON map loader (engine/io/geojson.c): a real file
 * nobody here wrote (central Africa), the shipped Carana map, rasterisation rules (holes,
 * ring orientation, overlap, terrain, roads, sites), one test per kind of bad input,
 * each checking the error's file, JSON path, line and message, not just the failure, and
 * 2 000 broken copies of the Carana map (each loads or is refused with its place). */
#include <stdint.h>

#include "geojson.h"
#include "pkosim/map.h"
#include "pkosim/rng.h"
#include "test.h"

#define PI 3.14159265358979323846

static pk_geojson_options opts(double cell_km) {
    pk_geojson_options o = pk_geojson_options_default();
    o.cell_km = cell_km;
    return o;
}

static pk_map *load(const char *text, double cell_km, pk_error *err) {
    pk_geojson_options o = opts(cell_km);
    return pk_geojson_load_string(text, "test.geojson", &o, err);
}

/* Cell index of a lon/lat point (must be on the grid). */
static int cell_at(const pk_map *m, double lon, double lat) {
    int x = (int)floor((lon - m->lon0) / m->dlon), y = (int)floor((lat - m->lat0) / m->dlat);
    if (x < 0 || y < 0 || x >= m->width || y >= m->height) return -1;
    return y * m->width + x;
}

/* Whether two points are joined by road cells through shared edges (4-neighbour BFS). */
static int road_connected(const pk_map *m, double lon_a, double lat_a, double lon_b, double lat_b) {
    int a = cell_at(m, lon_a, lat_a), b = cell_at(m, lon_b, lat_b), n = m->width * m->height;
    if (a < 0 || b < 0 || !m->road[a]) return 0;
    int *queue = malloc((size_t)n * sizeof *queue);
    unsigned char *seen = calloc((size_t)n, 1);
    int head = 0, tail = 0, found = 0;
    queue[tail++] = a;
    seen[a] = 1;
    while (head < tail && !found) {
        int c = queue[head++], x = c % m->width, y = c / m->width;
        int nb[4] = {x > 0 ? c - 1 : -1, x + 1 < m->width ? c + 1 : -1, y > 0 ? c - m->width : -1,
                     y + 1 < m->height ? c + m->width : -1};
        for (int k = 0; k < 4; k++)
            if (nb[k] >= 0 && !seen[nb[k]] && m->road[nb[k]]) {
                seen[nb[k]] = 1;
                queue[tail++] = nb[k];
            }
        found = seen[b];
    }
    free(queue);
    free(seen);
    return found;
}

/* Area of a cell in km^2 on a sphere (IUGG mean radius): exact for a lon/lat box. */
static double cell_area_km2(const pk_map *m, int y) {
    const double r = 6371.0088;
    double b = (m->lat0 + y * m->dlat) * PI / 180.0, t = (m->lat0 + (y + 1) * m->dlat) * PI / 180.0;
    return r * r * (m->dlon * PI / 180.0) * (sin(t) - sin(b));
}

/* Expect a load failure whose error names `path` exactly and contains every substring of
 * msg_parts; prints the actual error when it does not. */
static void expect_error(const char *text, const char *path, const char *msg_part1, const char *msg_part2) {
    pk_error err;
    pk_map *m = load(text, 2.0, &err);
    CHECK(m == NULL);
    pk_map_free(m);
    char buf[2048];
    int ok = strcmp(err.file, "test.geojson") == 0 && (!path || strcmp(err.path, path) == 0) &&
             (!msg_part1 || strstr(err.msg, msg_part1)) && (!msg_part2 || strstr(err.msg, msg_part2));
    if (!ok)
        fprintf(stderr, "  unexpected error for %s\n  got: %s\n  want path %s, msg with \"%s\" \"%s\"\n", text,
                pk_error_format(&err, buf, sizeof buf), path ? path : "(any)", msg_part1 ? msg_part1 : "",
                msg_part2 ? msg_part2 : "");
    CHECK(ok);
}

/* A FeatureCollection with one district square of side `s` degrees at (x, y). */
static const char *square_fc(char *buf, size_t n, double x, double y, double s) {
    snprintf(buf, n,
             "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"sq\"},"
             "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}]}",
             x, y, x + s, y, x + s, y + s, x, y + s, x, y);
    return buf;
}

/* ---- real data -------------------------------------------------------------------------- */

static void test_central_africa(void) {
    char path[1024];
    SHARED_PATH(path, "reference/geojson/central_africa.geojson");
    pk_geojson_options o = opts(10.0);
    pk_error err;
    pk_map *m = pk_geojson_load_file(path, &o, &err);
    if (!m) {
        char buf[2048];
        fprintf(stderr, "  %s\n", pk_error_format(&err, buf, sizeof buf));
    }
    REQUIRE(m != NULL);
    REQUIRE(m->n_regions == 4);
    int caf = pk_map_find_region(m, "CAF"), tcd = pk_map_find_region(m, "TCD");
    int cmr = pk_map_find_region(m, "CMR"), cog = pk_map_find_region(m, "COG");
    REQUIRE(caf >= 0 && tcd >= 0 && cmr >= 0 && cog >= 0);
    CHECK_STR(m->regions[caf].name, "Central African Republic");
    CHECK_STR(m->regions[tcd].name, "Chad");
    CHECK_STR(m->regions[cmr].name, "Cameroon");
    CHECK_STR(m->regions[cog].name, "Republic of the Congo");

    uint8_t adj[16];
    pk_map_region_adjacency(m, adj);
    CHECK(adj[caf * 4 + tcd] && adj[caf * 4 + cmr] && adj[caf * 4 + cog]);
    CHECK(adj[tcd * 4 + cmr] && adj[cmr * 4 + cog]);
    CHECK(!adj[tcd * 4 + cog] && !adj[cog * 4 + tcd]);

    int32_t counts[4];
    pk_map_region_cell_counts(m, counts);
    CHECK(counts[tcd] > counts[caf] && counts[caf] > counts[cmr] && counts[cmr] > counts[cog]);

    double area[4] = {0, 0, 0, 0};
    for (int y = 0; y < m->height; y++)
        for (int x = 0; x < m->width; x++) {
            int r = m->region[y * m->width + x];
            if (r >= 0) area[r] += cell_area_km2(m, y);
        }
    CHECK(fabs(area[tcd] / 1284000.0 - 1.0) < 0.15);
    CHECK(fabs(area[caf] / 623000.0 - 1.0) < 0.15);
    CHECK(fabs(area[cmr] / 475000.0 - 1.0) < 0.15);
    CHECK(fabs(area[cog] / 342000.0 - 1.0) < 0.15);
    /* the grid follows the documented cell size rule */
    CHECK_NEAR(m->dlat, 10.0 / 111.32, 1e-12);
    CHECK(m->cell_km == 10.0);
    pk_map_free(m);
}

/* ---- Carana ----------------------------------------------------------------------------- */

static void test_carana(void) {
    char path[1024];
    SRC_PATH(path, "assets/maps/carana.geojson");
    pk_geojson_options o = opts(2.0);
    pk_error err;
    pk_map *m = pk_geojson_load_file(path, &o, &err);
    if (!m) {
        char buf[2048];
        fprintf(stderr, "  %s\n", pk_error_format(&err, buf, sizeof buf));
    }
    REQUIRE(m != NULL);
    CHECK(m->width >= 180 && m->width <= 220);
    CHECK(m->height >= 130 && m->height <= 170);
    int n = m->n_regions;
    CHECK(n >= 12);
    int32_t counts[PK_MAX_REGIONS];
    pk_map_region_cell_counts(m, counts);
    for (int r = 0; r < n; r++) {
        CHECK(counts[r] > 0);
        /* ids are short lowercase slugs */
        for (const char *s = m->regions[r].id; *s; s++) CHECK((*s >= 'a' && *s <= 'z') || *s == '_');
    }

    /* the district graph is connected (breadth-first search from region 0) */
    static uint8_t adj[PK_MAX_REGIONS * PK_MAX_REGIONS];
    pk_map_region_adjacency(m, adj);
    int seen[PK_MAX_REGIONS] = {0}, queue[PK_MAX_REGIONS], head = 0, tail = 0;
    seen[0] = 1;
    queue[tail++] = 0;
    while (head < tail) {
        int a = queue[head++];
        for (int b = 0; b < n; b++)
            if (adj[a * n + b] && !seen[b]) {
                seen[b] = 1;
                queue[tail++] = b;
            }
    }
    CHECK(tail == n);

    /* sites: inside districts, on roads, the required mix */
    int per_kind[PK_SITE_COUNT] = {0}, populated = 0;
    for (int i = 0; i < m->n_sites; i++) {
        const pk_site *s = &m->sites[i];
        CHECK(s->cell >= 0 && s->cell < m->width * m->height);
        CHECK(m->region[s->cell] >= 0);
        CHECK(m->road[s->cell] != PK_ROAD_NONE);
        CHECK(cell_at(m, s->lon, s->lat) == s->cell);
        per_kind[s->kind]++;
        if ((s->kind == PK_SITE_TOWN || s->kind == PK_SITE_VILLAGE) && s->population > 0) populated++;
    }
    CHECK(populated >= 12);
    CHECK(per_kind[PK_SITE_CAMP] == 2);
    CHECK(per_kind[PK_SITE_PROTECTION_SITE] == 1);
    CHECK(per_kind[PK_SITE_BASE] == 2);
    CHECK(per_kind[PK_SITE_BORDER] == 1);

    int cells = m->width * m->height, main_roads = 0, tracks = 0, outside = 0;
    int terrain[PK_TERRAIN_COUNT] = {0};
    for (int i = 0; i < cells; i++) {
        main_roads += m->road[i] == PK_ROAD_MAIN;
        tracks += m->road[i] == PK_ROAD_TRACK;
        terrain[m->terrain[i]]++;
        if (m->region[i] < 0) {
            outside++;
            CHECK(m->terrain[i] == PK_TERRAIN_OUTSIDE);
        } else {
            CHECK(m->terrain[i] != PK_TERRAIN_OUTSIDE);
        }
    }
    CHECK(main_roads > 300 && tracks > 300);
    CHECK(outside > 0); /* the cut-off corners of the country */
    for (int t = PK_TERRAIN_OPEN; t < PK_TERRAIN_OUTSIDE; t++) CHECK(terrain[t] > 0);

    /* The enclave: Lumeni City sits in a hole of Ndelemo, so it borders Ndelemo only. */
    int lumeni = pk_map_find_region(m, "lumeni"), ndelemo = pk_map_find_region(m, "ndelemo");
    REQUIRE(lumeni >= 0 && ndelemo >= 0);
    int centre = cell_at(m, 22.0, 4.35);
    REQUIRE(centre >= 0);
    CHECK(m->region[centre] == lumeni);
    CHECK(m->terrain[centre] == PK_TERRAIN_URBAN);
    for (int b = 0; b < n; b++) CHECK(adj[lumeni * n + b] == (b == ndelemo));

    /* The lake: water cells stay in their district (Tindalo) but are water. */
    int tindalo = pk_map_find_region(m, "tindalo"), water_in_tindalo = 0;
    REQUIRE(tindalo >= 0);
    for (int i = 0; i < cells; i++)
        if (m->terrain[i] == PK_TERRAIN_WATER) water_in_tindalo += m->region[i] == tindalo;
    CHECK(water_in_tindalo == terrain[PK_TERRAIN_WATER]);
    pk_map_free(m);
}

/* ---- rasterisation rules ---------------------------------------------------------------- */

static void test_hole_excluded(void) {
    const char *text =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"Ring Land\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
        "[[20,3],[21,3],[21,4],[20,4],[20,3]],"
        "[[20.3,3.3],[20.3,3.7],[20.7,3.7],[20.7,3.3],[20.3,3.3]]]}}]}";
    pk_error err;
    pk_map *m = load(text, 5.0, &err);
    REQUIRE(m != NULL);
    REQUIRE(m->n_regions == 1);
    CHECK_STR(m->regions[0].id, "ring_land"); /* slug of the name */
    CHECK_STR(m->regions[0].name, "Ring Land");
    CHECK(m->region[cell_at(m, 20.5, 3.5)] == -1);
    CHECK(m->terrain[cell_at(m, 20.5, 3.5)] == PK_TERRAIN_OUTSIDE);
    CHECK(m->region[cell_at(m, 20.1, 3.5)] == 0);
    CHECK(m->region[cell_at(m, 20.85, 3.9)] == 0);
    /* every cell: in the region iff its centre is inside the outer ring and not the hole */
    for (int y = 0; y < m->height; y++)
        for (int x = 0; x < m->width; x++) {
            double cx = m->lon0 + (x + 0.5) * m->dlon, cy = m->lat0 + (y + 0.5) * m->dlat;
            int in_outer = cx >= 20 && cx < 21 && cy >= 3 && cy < 4;
            int in_hole = cx >= 20.3 && cx < 20.7 && cy >= 3.3 && cy < 3.7;
            int expect = in_outer && !in_hole;
            int got = m->region[y * m->width + x] == 0;
            if (fabs(cx - 20.3) > 1e-9 && fabs(cx - 20.7) > 1e-9) CHECK(got == expect);
        }
    pk_map_free(m);
}

static void test_orientation_does_not_matter(void) {
    /* an irregular pentagon, counter-clockwise and clockwise */
    const char *ccw = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"p\"},"
                      "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[20,3],[20.9,3.1],[21.2,3.8],[20.5,4.3],"
                      "[19.9,3.7],[20,3]]]}}]}";
    const char *cw = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"p\"},"
                     "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[20,3],[19.9,3.7],[20.5,4.3],[21.2,3.8],"
                     "[20.9,3.1],[20,3]]]}}]}";
    pk_error err;
    pk_map *a = load(ccw, 3.0, &err), *b = load(cw, 3.0, &err);
    REQUIRE(a && b);
    REQUIRE(a->width == b->width && a->height == b->height);
    int n = a->width * a->height, in = 0;
    CHECK(memcmp(a->region, b->region, (size_t)n * sizeof *a->region) == 0);
    for (int i = 0; i < n; i++) in += a->region[i] == 0;
    CHECK(in > 100);
    pk_map_free(a);
    pk_map_free(b);
}

static void test_overlap_enclave_and_multipolygon(void) {
    /* district "big" (MultiPolygon: a square and a separate island), then "late" overlapping
     * its east half: later features win. */
    const char *text =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"id\":\"big\",\"properties\":{\"NAME\":\"Big\"},\"geometry\":{\"type\":\"MultiPolygon\","
        "\"coordinates\":[[[[20,3],[21,3],[21,4],[20,4],[20,3]]],[[[21.5,3],[22,3],[22,3.5],[21.5,3.5],[21.5,3]]]]}},"
        "{\"type\":\"Feature\",\"id\":7,\"properties\":{\"name\":\"Late\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[20.5,3],[21,3],[21,4],[20.5,4],[20.5,3]]]}}]}";
    pk_error err;
    pk_map *m = load(text, 5.0, &err);
    REQUIRE(m != NULL);
    REQUIRE(m->n_regions == 2);
    CHECK_STR(m->regions[0].id, "big");
    CHECK_STR(m->regions[0].name, "Big"); /* from the NAME property */
    CHECK_STR(m->regions[1].id, "7");     /* an integer feature id */
    CHECK(m->region[cell_at(m, 20.2, 3.5)] == 0);
    CHECK(m->region[cell_at(m, 20.8, 3.5)] == 1);
    CHECK(m->region[cell_at(m, 21.7, 3.2)] == 0); /* the island */
    CHECK(m->region[cell_at(m, 21.25, 3.5)] == -1);
    pk_map_free(m);
}

static void test_terrain_roads_sites(void) {
    const char *text =
        "{\"type\":\"FeatureCollection\",\"features\":["
        /* terrain before the district it covers: order must not matter */
        "{\"type\":\"Feature\",\"properties\":{\"kind\":\"terrain\",\"terrain\":\"forest\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[19.8,3.2],[20.4,3.2],[20.4,3.8],[19.8,3.8],[19.8,3.2]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"d\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[20,3],[21,3],[21,4],[20,4],[20,3]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"kind\":\"terrain\",\"terrain\":\"water\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[20.6,3.6],[20.9,3.6],[20.9,3.9],[20.6,3.9],[20.6,3.6]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"class\":\"track\"},\"geometry\":{\"type\":\"LineString\","
        "\"coordinates\":[[20.05,3.05],[20.95,3.55]]}},"
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"MultiLineString\","
        "\"coordinates\":[[[20.05,3.3],[20.95,3.3]],[[20.5,3.05],[20.5,3.95]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"Oruvale\",\"population\":2500},\"geometry\":"
        "{\"type\":\"Point\",\"coordinates\":[20.51,3.31]}},"
        "{\"type\":\"Feature\",\"properties\":{\"kind\":\"protection_site\"},\"geometry\":"
        "{\"type\":\"Point\",\"coordinates\":[20.2,3.7,350.0]}},"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"nowhere\"},\"geometry\":null}"
        "]}";
    pk_error err;
    pk_map *m = load(text, 2.0, &err);
    if (!m) fprintf(stderr, "  %s: %s\n", err.path, err.msg);
    REQUIRE(m != NULL);
    CHECK(m->terrain[cell_at(m, 20.2, 3.5)] == PK_TERRAIN_FOREST);
    CHECK(m->terrain[cell_at(m, 19.9, 3.5)] == PK_TERRAIN_OUTSIDE); /* forest outside the district */
    CHECK(m->terrain[cell_at(m, 20.75, 3.75)] == PK_TERRAIN_WATER);
    CHECK(m->region[cell_at(m, 20.75, 3.75)] == 0);                 /* a lake stays in its district */
    CHECK(m->terrain[cell_at(m, 20.75, 3.1)] == PK_TERRAIN_OPEN);

    /* the track is 4-connected from end to end, so units can follow it */
    CHECK(road_connected(m, 20.05, 3.05, 20.95, 3.55));
    CHECK(m->road[cell_at(m, 20.95, 3.55)] >= PK_ROAD_TRACK);
    /* main roads (class defaults to main) win where they cross the track */
    CHECK(m->road[cell_at(m, 20.5, 3.3)] == PK_ROAD_MAIN);
    CHECK(m->road[cell_at(m, 20.5, 3.9)] == PK_ROAD_MAIN);
    CHECK(m->road[cell_at(m, 20.2, 3.9)] == PK_ROAD_NONE);

    REQUIRE(m->n_sites == 2); /* the null-geometry feature is skipped */
    CHECK_STR(m->sites[0].name, "Oruvale");
    CHECK(m->sites[0].kind == PK_SITE_TOWN && m->sites[0].population == 2500);
    CHECK(m->sites[0].cell == cell_at(m, 20.51, 3.31));
    CHECK(m->sites[1].kind == PK_SITE_PROTECTION_SITE && m->sites[1].population == 0);
    CHECK_STR(m->sites[1].name, "protection_site 2");
    pk_map_free(m);
}

static void test_grid_rule_and_single_feature(void) {
    /* a single Feature is accepted; the grid is ceil(extent / cell) with the cell size in
     * degrees at the mean latitude */
    const char *text = "{\"type\":\"Feature\",\"properties\":{\"label\":\"Solo\",\"name\":\"ignored\"},"
                       "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[10,40],[12,40],[12,42],[10,42],[10,40]]]}}";
    pk_geojson_options o = opts(10.0);
    o.name_property = "label";
    pk_error err;
    pk_map *m = pk_geojson_load_string(text, "solo", &o, &err);
    REQUIRE(m != NULL);
    double dlat = 10.0 / 111.32, dlon = 10.0 / (111.32 * cos(41.0 * PI / 180.0));
    CHECK_NEAR(m->dlat, dlat, 1e-12);
    CHECK_NEAR(m->dlon, dlon, 1e-12);
    CHECK(m->width == (int)ceil(2.0 / dlon));
    CHECK(m->height == (int)ceil(2.0 / dlat));
    CHECK_NEAR(m->lon0, 10.0, 1e-12);
    CHECK_NEAR(m->lat0, 40.0, 1e-12);
    CHECK_STR(m->regions[0].name, "Solo");
    CHECK_STR(m->regions[0].id, "solo");
    pk_map_free(m);
}

/* ---- bad input --------------------------------------------------------------------------- */

static void test_error_malformed_json(void) {
    const char *text = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n"
                       "    {\"type\": \"Feature\" \"properties\": {}}\n  ]\n}\n";
    pk_error err;
    CHECK(load(text, 2.0, &err) == NULL);
    CHECK_STR(err.file, "test.geojson");
    CHECK(err.line == 4);
    CHECK_CONTAINS(err.msg, "not valid JSON");
    CHECK_CONTAINS(err.msg, "line 4");
    expect_error("", NULL, "empty input", NULL);
    expect_error("{\"type\":\"FeatureCollection\",\"features\":[]} trailing", NULL, "not valid JSON", NULL);
}

static void test_error_top_level(void) {
    expect_error("[1,2]", "$", "expected a GeoJSON object", "got an array");
    expect_error("{\"type\":\"Topology\"}", "$.type", "FeatureCollection", "\"Topology\"");
    expect_error("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}", "$.type",
                 "bare Polygon geometry", "wrap it in a Feature");
    expect_error("{\"features\":[]}", "$", "expected \"type\": \"FeatureCollection\"", NULL);
}

static void test_error_features_not_array(void) {
    expect_error("{\"type\":\"FeatureCollection\",\"features\":{}}", "$.features", "array of Feature objects",
                 "got an object");
    expect_error("{\"type\":\"FeatureCollection\"}", "$", "\"features\" member", NULL);
    expect_error("{\"type\":\"FeatureCollection\",\"features\":[42]}", "$.features[0]", "expected a Feature object",
                 "a number");
    expect_error("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feat\",\"geometry\":null}]}",
                 "$.features[0].type", "\"type\": \"Feature\"", "\"Feat\"");
}

#define FEATURE(props, gtype, coords)                                                                       \
    "{\"type\":\"Feature\",\"properties\":{" props "},\"geometry\":{\"type\":\"" gtype "\",\"coordinates\":" \
    coords "}}"
#define FC(...) "{\"type\":\"FeatureCollection\",\"features\":[" __VA_ARGS__ "]}"
#define SQUARE "[[[20,3],[21,3],[21,4],[20,4],[20,3]]]"
#define DISTRICT FEATURE("\"id\":\"d\"", "Polygon", SQUARE)

static void test_diagonal_road_is_4_connected(void) {
    /* a lone steep diagonal track: the line walk must not leave corner-only gaps */
    const char *text = FC(FEATURE("\"id\":\"d\"", "Polygon", SQUARE) ","
                          FEATURE("\"class\":\"track\"", "LineString", "[[20.02,3.03],[20.61,3.97],[20.97,3.11]]"));
    pk_error err;
    pk_map *m = load(text, 2.0, &err);
    REQUIRE(m != NULL);
    CHECK(road_connected(m, 20.02, 3.03, 20.97, 3.11));
    CHECK(road_connected(m, 20.02, 3.03, 20.61, 3.97));
    int cells = 0;
    for (int i = 0; i < m->width * m->height; i++) {
        CHECK(m->road[i] == PK_ROAD_NONE || m->road[i] == PK_ROAD_TRACK);
        cells += m->road[i] != PK_ROAD_NONE;
    }
    /* a 4-connected walk visits about |dx| + |dy| cells per segment, not many more */
    int dx1 = abs((int)floor((20.61 - m->lon0) / m->dlon) - (int)floor((20.02 - m->lon0) / m->dlon));
    int dy1 = abs((int)floor((3.97 - m->lat0) / m->dlat) - (int)floor((3.03 - m->lat0) / m->dlat));
    int dx2 = abs((int)floor((20.97 - m->lon0) / m->dlon) - (int)floor((20.61 - m->lon0) / m->dlon));
    int dy2 = abs((int)floor((3.11 - m->lat0) / m->dlat) - (int)floor((3.97 - m->lat0) / m->dlat));
    CHECK(cells <= dx1 + dy1 + dx2 + dy2 + 1);
    CHECK(cells >= dx1 + dy1 + 1);
    pk_map_free(m);
}

static void test_error_unsupported_geometry(void) {
    expect_error(FC(FEATURE("", "GeometryCollection", "[]")), "$.features[0].geometry.type",
                 "unsupported geometry type \"GeometryCollection\"", "Polygon");
    expect_error(FC(FEATURE("", "MultiPoint", "[[20,3]]")), "$.features[0].geometry.type",
                 "unsupported geometry type \"MultiPoint\"", NULL);
    expect_error(FC("{\"type\":\"Feature\",\"properties\":{}}"), "$.features[0]", "\"geometry\" member", NULL);
}

static void test_error_coordinates_not_numbers(void) {
    expect_error(FC(FEATURE("", "Polygon", "[[[20,3],[21,\"3\"],[21,4],[20,4],[20,3]]]")),
                 "$.features[0].geometry.coordinates[0][1][1]", "expected a number (latitude in degrees)", "a string");
    expect_error(FC(FEATURE("", "Polygon", "[[[20,3],[21],[21,4],[20,4],[20,3]]]")),
                 "$.features[0].geometry.coordinates[0][1]", "expected a position [longitude, latitude]", NULL);
}

static void test_error_swapped_coordinates(void) {
    /* a district near lon 120, lat 10 written as [lat, lon] */
    expect_error(FC(FEATURE("", "Polygon", "[[[10,120],[10,121],[11,121],[11,120],[10,120]]]")),
                 "$.features[0].geometry.coordinates[0][0]", "latitude out of range; are longitude and latitude swapped?",
                 "[10.0, 120.0]");
    expect_error(FC(DISTRICT "," FEATURE("", "Point", "[200.5, 3]")),
                 "$.features[1].geometry.coordinates", "longitude out of range", NULL);
}

static void test_error_projected_coordinates(void) {
    expect_error(FC(FEATURE("", "Polygon",
                            "[[[512345.0,4567890.0],[522345.0,4567890.0],[522345.0,4577890.0],[512345.0,4567890.0]]]")),
                 "$.features[0].geometry.coordinates[0][0]",
                 "coordinates look projected (metres?); expected longitude/latitude in degrees (RFC 7946)", "512345.0");
}

static void test_error_rings(void) {
    expect_error(FC(FEATURE("", "Polygon", "[[[10.1,4.2],[11,4],[11,5],[10.3,4.0]]]")),
                 "$.features[0].geometry.coordinates[0]",
                 "expected a closed linear ring (first and last positions equal), got first [10.1, 4.2] and last "
                 "[10.3, 4.0]",
                 NULL);
    expect_error(FC(FEATURE("", "Polygon", "[[[20,3],[21,3],[20,3]]]")), "$.features[0].geometry.coordinates[0]",
                 "at least 4 positions", "got 3");
    /* a hole that is not closed is found too, with its index */
    expect_error(FC(FEATURE("", "Polygon",
                            "[[[20,3],[21,3],[21,4],[20,4],[20,3]],[[20.2,3.2],[20.4,3.2],[20.4,3.4],[20.2,3.3]]]")),
                 "$.features[0].geometry.coordinates[1]", "closed linear ring", NULL);
    expect_error(FC(FEATURE("", "MultiPolygon", "[" SQUARE ",[[[20,3],[21,3],[21,4],[20,3.5]]]]")),
                 "$.features[0].geometry.coordinates[1][0]", "closed linear ring", NULL);
}

static void test_error_empty_geometries(void) {
    expect_error(FC(FEATURE("", "Polygon", "[]")), "$.features[0].geometry.coordinates", "empty geometry", "Polygon");
    expect_error(FC(FEATURE("", "MultiPolygon", "[]")), "$.features[0].geometry.coordinates", "empty geometry", NULL);
    expect_error(FC(DISTRICT "," FEATURE("", "LineString", "[]")),
                 "$.features[1].geometry.coordinates", "empty geometry", "LineString");
    expect_error(FC(DISTRICT "," FEATURE("", "Point", "[]")), "$.features[1].geometry.coordinates",
                 "empty geometry", NULL);
    expect_error(FC(FEATURE("", "Polygon", "[[]]")), "$.features[0].geometry.coordinates[0]", "at least 4 positions",
                 "got 0");
    expect_error(FC("{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\"}}"),
                 "$.features[0].geometry", "\"coordinates\" member", NULL);
}

static void test_error_no_districts(void) {
    expect_error(FC(FEATURE("\"name\":\"Lonely\"", "Point", "[20,3]") ","
                    FEATURE("\"kind\":\"terrain\",\"terrain\":\"forest\"", "Polygon", SQUARE)),
                 "$.features", "no districts", "Polygon or MultiPolygon");
    expect_error(FC(""), "$.features", "no districts", NULL);
}

static void test_error_duplicate_ids(void) {
    expect_error(FC(FEATURE("\"id\":\"north\"", "Polygon", SQUARE) "," FEATURE("\"id\":\"north\"", "Polygon", SQUARE)),
                 "$.features[1].properties.id", "duplicate region id \"north\"", "$.features[0].properties.id");
    /* slugs collide too: "Kalo North" and "kalo-north" */
    expect_error(FC(FEATURE("\"name\":\"Kalo North\"", "Polygon", SQUARE) ","
                    FEATURE("\"name\":\"kalo-north\"", "Polygon", SQUARE)),
                 "$.features[1].properties.name", "duplicate region id \"kalo_north\"", NULL);
}

static void test_error_bad_properties(void) {
    expect_error(FC(DISTRICT "," FEATURE("\"kind\":\"terrain\",\"terrain\":\"lava\"", "Polygon", SQUARE)),
                 "$.features[1].properties.terrain", "one of open, forest, hills, swamp, water, urban", "\"lava\"");
    expect_error(FC(DISTRICT "," FEATURE("\"kind\":\"terrain\"", "Polygon", SQUARE)),
                 "$.features[1].properties.terrain", "expected properties.terrain", NULL);
    expect_error(FC(FEATURE("\"kind\":\"lake\"", "Polygon", SQUARE)), "$.features[0].properties.kind",
                 "\"district\"", "\"lake\"");
    expect_error(FC(DISTRICT "," FEATURE("\"class\":\"highway\"", "LineString", "[[20,3],[21,4]]")),
                 "$.features[1].properties.class", "\"main\" or \"track\"", "\"highway\"");
    expect_error(FC(DISTRICT "," FEATURE("\"kind\":\"city\"", "Point", "[20.5,3.5]")),
                 "$.features[1].properties.kind", "town, village, camp, protection_site, base, border", "\"city\"");
    expect_error(FC(DISTRICT "," FEATURE("\"population\":-5", "Point", "[20.5,3.5]")),
                 "$.features[1].properties.population", "integer >= 0", "-5");
    expect_error(FC(DISTRICT "," FEATURE("\"population\":\"many\"", "Point", "[20.5,3.5]")),
                 "$.features[1].properties.population", "integer >= 0", "a string");
    expect_error(FC(FEATURE("\"id\":\"abcdefghijklmnopqrstuvwxyz0123456789\"", "Polygon", SQUARE)),
                 "$.features[0].properties.id", "too long", NULL);
    expect_error(FC(FEATURE("\"id\":true", "Polygon", SQUARE)), "$.features[0].properties.id",
                 "a string or an integer", "a boolean");
    expect_error(FC(FEATURE("\"name\":12", "Polygon", SQUARE)), "$.features[0].properties.name",
                 "expected name to be a string", NULL);
    expect_error(FC("{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" SQUARE
                    "}}"),
                 "$.features[0]", "expected a district id", NULL);
}

static void test_error_missing_file(void) {
    pk_error err;
    pk_geojson_options o = opts(2.0);
    const char *path = "/nonexistent/dir/geo_missing.geojson";
    CHECK(pk_geojson_load_file(path, &o, &err) == NULL);
    CHECK_STR(err.file, path);
    CHECK_CONTAINS(err.msg, path);
    CHECK_CONTAINS(err.msg, "cannot open");
}

static void test_error_raster_too_large(void) {
    char buf[512];
    pk_geojson_options o = opts(1.0);
    o.max_cells = 1000;
    pk_error err;
    CHECK(pk_geojson_load_string(square_fc(buf, sizeof buf, 20, 3, 10), "big.geojson", &o, &err) == NULL);
    CHECK_STR(err.file, "big.geojson");
    CHECK_CONTAINS(err.msg, "raster too large");
    CHECK_CONTAINS(err.msg, "max_cells = 1000");
    CHECK_CONTAINS(err.msg, "use a larger cell_km");
    /* the suggestion is enough: loading at the suggested size succeeds */
    const char *at = strstr(err.msg, "at least ");
    REQUIRE(at != NULL);
    o.cell_km = atof(at + strlen("at least "));
    pk_map *m = pk_geojson_load_string(buf, "big.geojson", &o, &err);
    if (!m) fprintf(stderr, "  at cell_km %g: %s\n", o.cell_km, err.msg);
    CHECK(m != NULL);
    if (m) CHECK(m->width * m->height <= 1000);
    pk_map_free(m);
    /* bad options are refused, not used */
    o = opts(0.0);
    CHECK(pk_geojson_load_string(buf, "big.geojson", &o, &err) == NULL);
    CHECK_CONTAINS(err.msg, "cell_km");
}

/* A file with one feature per line, as QGIS writes it: the error names the file and the
 * line where the offending element starts. */
static void test_error_line_in_file(void) {
    char path[1024];
    SRC_PATH(path, "tests/data/geo_unclosed_ring.geojson");
    pk_geojson_options o = opts(2.0);
    pk_error err;
    CHECK(pk_geojson_load_file(path, &o, &err) == NULL);
    CHECK_STR(err.file, path);
    CHECK_STR(err.path, "$.features[2].geometry.coordinates[0]");
    CHECK(err.line == 8);
    CHECK_CONTAINS(err.msg, "closed linear ring");
    char buf[2048];
    pk_error_format(&err, buf, sizeof buf);
    CHECK_CONTAINS(buf, "geo_unclosed_ring.geojson:8: $.features[2].geometry.coordinates[0]: expected a closed");
}

/* Maps come from outside (a training centre's own GeoJSON): the shipped Carana map broken
 * in many small ways (a number made absurd, a byte changed or deleted, a line deleted or
 * duplicated, a string value replaced, the file cut short) must each load or be refused
 * with the JSON path or line of the problem and a message — never a crash or a hang. The
 * mutants come from a fixed seed, so a failure is reproducible. */
static void test_broken_maps_are_refused_or_loaded(void) {
    char path[1024];
    FILE *f = fopen(SRC_PATH(path, "assets/maps/carana.geojson"), "rb");
    REQUIRE(f != NULL);
    static char src[1 << 16], mut[1 << 17];
    size_t n = fread(src, 1, sizeof src - 1, f);
    fclose(f);
    src[n] = '\0';
    static const char *const values[] = {"1e999", "-1e999", "1e308", "-200", "91", "0", "null", "\"7\"", "[]", "{}", "true",
                                         "\"\"", "\"Polygon\"", "\"Point\"", "\"LineString\"", "[[[0,0]]]"};
    static const char bytes[] = "{}[],:\"\\-.0e";
    uint64_t st = 20261128; /* SplitMix64 over a counter (pk_mix64): a fixed set of mutants */
#define NEXT() pk_mix64(++st)
    int loaded = 0, refused = 0;
    for (int i = 0; i < 2000; i++) {
        size_t a = (size_t)(NEXT() % n), b = a, m;
        const char *ins = "";
        char one[2] = {0, 0};
        switch (NEXT() % 6) {
        case 0: /* a number or a string value replaced */
            while (a < n && !((src[a] >= '0' && src[a] <= '9') || src[a] == '-' || src[a] == '"')) a++;
            b = a;
            if (b < n && src[b] == '"') {
                b++;
                while (b < n && src[b] != '"') b++;
                b += b < n;
            } else
                while (b < n && ((src[b] >= '0' && src[b] <= '9') || src[b] == '-' || src[b] == '.' || src[b] == 'e')) b++;
            ins = values[NEXT() % (sizeof values / sizeof values[0])];
            break;
        case 1: /* a byte changed */
            one[0] = bytes[NEXT() % (sizeof bytes - 1)];
            ins = one;
            b = a + 1;
            break;
        case 2: /* a byte deleted */
            b = a + 1;
            break;
        case 3: /* the line deleted */
            while (a > 0 && src[a - 1] != '\n') a--;
            while (b < n && src[b] != '\n') b++;
            break;
        case 4: { /* the line duplicated */
            while (a > 0 && src[a - 1] != '\n') a--;
            size_t e = a;
            while (e < n && src[e] != '\n') e++;
            memcpy(mut, src, e);
            memcpy(mut + e, src + a - (a > 0 ? 1 : 0), e - a + (a > 0 ? 1 : 0));
            m = e + (e - a) + (a > 0 ? 1 : 0);
            memcpy(mut + m, src + e, n - e);
            m += n - e;
            mut[m] = '\0';
            goto load_it;
        }
        default: /* cut short */
            b = n;
            break;
        }
        if (b > n) b = n;
        memcpy(mut, src, a);
        m = a + strlen(ins);
        memcpy(mut + a, ins, strlen(ins));
        memcpy(mut + m, src + b, n - b);
        m += n - b;
        mut[m] = '\0';
    load_it:;
        pk_geojson_options o = opts(5.0);
        o.max_cells = 200000; /* an absurd coordinate asks for a vast raster: refused, not built */
        pk_error err;
        memset(&err, 0, sizeof err);
        pk_map *map = pk_geojson_load_string(mut, "mutant.geojson", &o, &err);
        if (map) {
            loaded++;
            CHECK(map->width > 0 && map->height > 0 && (int64_t)map->width * map->height <= 200000 && map->n_regions > 0);
            pk_map_free(map);
        } else {
            refused++;
            int placed = err.msg[0] && (err.path[0] || err.line > 0);
            if (!placed) fprintf(stderr, "  mutant %d: unplaced problem '%s' (path '%s', line %d)\n", i, err.msg, err.path, err.line);
            CHECK(placed);
        }
    }
#undef NEXT
    printf("  broken Carana maps: %d loaded, %d refused with a path or line\n", loaded, refused);
    CHECK(refused > 500 && loaded > 100); /* the mutants break some things and not others */
}

int main(void) {
    RUN(test_broken_maps_are_refused_or_loaded);
    RUN(test_central_africa);
    RUN(test_carana);
    RUN(test_hole_excluded);
    RUN(test_orientation_does_not_matter);
    RUN(test_overlap_enclave_and_multipolygon);
    RUN(test_terrain_roads_sites);
    RUN(test_grid_rule_and_single_feature);
    RUN(test_diagonal_road_is_4_connected);
    RUN(test_error_malformed_json);
    RUN(test_error_top_level);
    RUN(test_error_features_not_array);
    RUN(test_error_unsupported_geometry);
    RUN(test_error_coordinates_not_numbers);
    RUN(test_error_swapped_coordinates);
    RUN(test_error_projected_coordinates);
    RUN(test_error_rings);
    RUN(test_error_empty_geometries);
    RUN(test_error_no_districts);
    RUN(test_error_duplicate_ids);
    RUN(test_error_bad_properties);
    RUN(test_error_missing_file);
    RUN(test_error_raster_too_large);
    RUN(test_error_line_in_file);
    return test_summary();
}
