/* core_map.c — unit tests of engine/core/map.c on small hand-built maps: creation
 * defaults, regions and sites, region adjacency and cell counts. No files, no GeoJSON
 * (the loader has its own test, io_geojson.c). */
#include "pkosim/map.h"
#include "test.h"

/* Paint a map from rows of characters, top row first (row 0 of the grid is the southern
 * edge): 'a'.. = region 0.., '.' = outside. */
static pk_map *map_from_rows(const char *const *rows, int h, int n_regions) {
    int w = (int)strlen(rows[0]);
    pk_map *m = pk_map_create(w, h);
    if (!m) return NULL;
    for (int r = 0; r < n_regions; r++) {
        char id[16];
        snprintf(id, sizeof id, "r%d", r);
        pk_map_add_region(m, id, NULL);
    }
    for (int y = 0; y < h; y++) {
        const char *row = rows[h - 1 - y];
        for (int x = 0; x < w; x++) m->region[y * w + x] = (int16_t)(row[x] == '.' ? -1 : row[x] - 'a');
    }
    return m;
}

static void test_create_defaults(void) {
    pk_map *m = pk_map_create(5, 3);
    REQUIRE(m != NULL);
    CHECK(m->width == 5 && m->height == 3);
    CHECK(m->n_regions == 0 && m->n_sites == 0);
    for (int i = 0; i < 15; i++) {
        CHECK(m->terrain[i] == PK_TERRAIN_OPEN);
        CHECK(m->road[i] == PK_ROAD_NONE);
        CHECK(m->region[i] == -1);
    }
    pk_map_free(m);
}

static void test_create_refuses_bad_sizes(void) {
    CHECK(pk_map_create(0, 3) == NULL);
    CHECK(pk_map_create(3, 0) == NULL);
    CHECK(pk_map_create(-2, 3) == NULL);
    /* width * height would overflow the int32_t cell index */
    CHECK(pk_map_create(100000, 100000) == NULL);
    pk_map_free(NULL); /* allowed */
}

static void test_regions_add_and_find(void) {
    pk_map *m = pk_map_create(2, 2);
    REQUIRE(m != NULL);
    CHECK(pk_map_add_region(m, "north", "Kalo North") == 0);
    CHECK(pk_map_add_region(m, "south", NULL) == 1);
    CHECK(m->n_regions == 2);
    CHECK_STR(m->regions[0].name, "Kalo North");
    CHECK_STR(m->regions[1].name, "south"); /* no name: the id is shown */
    CHECK(pk_map_find_region(m, "south") == 1);
    CHECK(pk_map_find_region(m, "North") == -1); /* exact match only */
    CHECK(pk_map_find_region(m, "nor") == -1);
    CHECK(pk_map_find_region(m, NULL) == -1);
    pk_map_free(m);
}

static void test_region_limit_and_truncation(void) {
    pk_map *m = pk_map_create(1, 1);
    REQUIRE(m != NULL);
    char id[16];
    for (int i = 0; i < PK_MAX_REGIONS; i++) {
        snprintf(id, sizeof id, "r%d", i);
        REQUIRE(pk_map_add_region(m, id, NULL) == i);
    }
    CHECK(pk_map_add_region(m, "one_too_many", NULL) == -1);
    CHECK(m->n_regions == PK_MAX_REGIONS);
    pk_map_free(m);

    m = pk_map_create(1, 1);
    REQUIRE(m != NULL);
    char long_id[100], long_name[200];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    /* 62 ASCII bytes then a 2-byte UTF-8 letter (é) that would straddle the 63-byte limit */
    memset(long_name, 'n', 62);
    strcpy(long_name + 62, "\xC3\xA9tail");
    REQUIRE(pk_map_add_region(m, long_id, long_name) == 0);
    CHECK(strlen(m->regions[0].id) == PK_ID_MAX - 1);
    CHECK(strlen(m->regions[0].name) == 62); /* cut before the é, not through it */
    pk_map_free(m);
}

static void test_sites(void) {
    pk_map *m = pk_map_create(4, 4);
    REQUIRE(m != NULL);
    pk_site s;
    memset(&s, 0, sizeof s);
    strcpy(s.name, "Tindalo");
    s.kind = PK_SITE_CAMP;
    s.cell = 5;
    s.lon = 21.1;
    s.lat = 3.4;
    s.population = 12000;
    CHECK(pk_map_add_site(m, &s) == 0);
    s.kind = PK_SITE_BASE;
    strcpy(s.name, "Base");
    CHECK(pk_map_add_site(m, &s) == 1);
    REQUIRE(m->n_sites == 2);
    CHECK_STR(m->sites[0].name, "Tindalo");
    CHECK(m->sites[0].kind == PK_SITE_CAMP && m->sites[0].cell == 5 && m->sites[0].population == 12000);
    CHECK_NEAR(m->sites[0].lon, 21.1, 1e-12);
    CHECK(m->sites[1].kind == PK_SITE_BASE);
    pk_map_free(m);
}

static void test_adjacency_and_counts(void) {
    /* c touches a only at a corner (diagonal), d is separated from everything by outside
     * cells, b and e share one edge. */
    static const char *const rows[] = {
        "aab.d",
        "aabb.",
        "..cbe",
    };
    pk_map *m = map_from_rows(rows, 3, 5);
    REQUIRE(m != NULL);
    uint8_t adj[25];
    memset(adj, 0xAA, sizeof adj);
    pk_map_region_adjacency(m, adj);
#define ADJ(i, j) adj[(i) * 5 + (j)]
    CHECK(ADJ(0, 1) == 1 && ADJ(1, 0) == 1); /* a-b */
    CHECK(ADJ(1, 2) == 1 && ADJ(2, 1) == 1); /* b-c */
    CHECK(ADJ(1, 4) == 1 && ADJ(4, 1) == 1); /* b-e */
    CHECK(ADJ(0, 2) == 0);                   /* a-c: corner only */
    for (int i = 0; i < 5; i++) CHECK(ADJ(3, i) == 0 && ADJ(i, 3) == 0); /* d is isolated */
    for (int i = 0; i < 5; i++) CHECK(ADJ(i, i) == 0);
    CHECK(ADJ(2, 4) == 0); /* c-e: b lies between them */
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) CHECK(ADJ(i, j) == ADJ(j, i));
#undef ADJ
    int32_t counts[5];
    pk_map_region_cell_counts(m, counts);
    CHECK(counts[0] == 4);
    CHECK(counts[1] == 4);
    CHECK(counts[2] == 1);
    CHECK(counts[3] == 1);
    CHECK(counts[4] == 1);
    pk_map_free(m);
}

static void test_adjacency_wraps_nothing(void) {
    /* A region at the east edge must not be adjacent to one at the west edge of the next
     * row (a bug of flat-index neighbour arithmetic). */
    static const char *const rows[] = {
        "b..",
        "..a",
    };
    pk_map *m = map_from_rows(rows, 2, 2);
    REQUIRE(m != NULL);
    uint8_t adj[4];
    pk_map_region_adjacency(m, adj);
    CHECK(adj[1] == 0 && adj[2] == 0);
    pk_map_free(m);
}

static void test_empty_region_list(void) {
    pk_map *m = pk_map_create(3, 3);
    REQUIRE(m != NULL);
    pk_map_region_adjacency(m, NULL); /* nothing to fill */
    pk_map_region_cell_counts(m, NULL);
    CHECK(m->n_regions == 0);
    pk_map_free(m);
}

int main(void) {
    RUN(test_create_defaults);
    RUN(test_create_refuses_bad_sizes);
    RUN(test_regions_add_and_find);
    RUN(test_region_limit_and_truncation);
    RUN(test_sites);
    RUN(test_adjacency_and_counts);
    RUN(test_adjacency_wraps_nothing);
    RUN(test_empty_region_list);
    return test_summary();
}
