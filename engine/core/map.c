/* map.c — the rasterised mission area as plain data (pkosim/map.h): allocation, regions,
 * sites, and the queries the core needs (region adjacency, cell counts). Plain C11; it
 * must never read files, parse JSON or know about GeoJSON — loaders in engine/io fill it. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkosim/map.h"

pk_map *pk_map_create(int32_t width, int32_t height) {
    /* A map without cells has no use, and width * height must fit the int32_t cell index
     * stored in pk_site.cell. */
    if (width <= 0 || height <= 0) return NULL;
    if ((int64_t)width * (int64_t)height > INT32_MAX) return NULL;
    size_t n = (size_t)width * (size_t)height;

    pk_map *map = calloc(1, sizeof *map);
    if (!map) return NULL;
    map->width = width;
    map->height = height;
    map->terrain = malloc(n * sizeof *map->terrain);
    map->road = calloc(n, sizeof *map->road);
    map->region = malloc(n * sizeof *map->region);
    if (!map->terrain || !map->road || !map->region) {
        pk_map_free(map);
        return NULL;
    }
    memset(map->terrain, PK_TERRAIN_OPEN, n * sizeof *map->terrain);
    for (size_t i = 0; i < n; i++) map->region[i] = -1;
    return map;
}

void pk_map_free(pk_map *map) {
    if (!map) return;
    free(map->terrain);
    free(map->road);
    free(map->region);
    free(map->regions);
    free(map->sites);
    free(map);
}

/* Copy a string into a fixed buffer, truncating without splitting a UTF-8 sequence so
 * display names stay valid text. */
static void copy_text(char *dst, size_t size, const char *src) {
    size_t n = src ? strlen(src) : 0;
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
    }
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
}

int32_t pk_map_add_region(pk_map *map, const char *id, const char *name) {
    assert(map && id);
    if (map->n_regions >= PK_MAX_REGIONS) return -1;
    /* Grow one at a time: regions are few (<= PK_MAX_REGIONS) and added once at load. */
    pk_region_info *r = realloc(map->regions, (size_t)(map->n_regions + 1) * sizeof *r);
    if (!r) return -1;
    map->regions = r;
    pk_region_info *info = &r[map->n_regions];
    memset(info, 0, sizeof *info);
    copy_text(info->id, sizeof info->id, id);
    copy_text(info->name, sizeof info->name, name ? name : id);
    return map->n_regions++;
}

int32_t pk_map_add_site(pk_map *map, const pk_site *site) {
    assert(map && site);
    if (map->n_sites >= INT32_MAX) return -1;
    pk_site *s = realloc(map->sites, (size_t)(map->n_sites + 1) * sizeof *s);
    if (!s) return -1;
    map->sites = s;
    s[map->n_sites] = *site;
    /* The caller's name may not be terminated if it filled the whole array. */
    s[map->n_sites].name[PK_NAME_MAX - 1] = '\0';
    return map->n_sites++;
}

int32_t pk_map_find_region(const pk_map *map, const char *id) {
    assert(map);
    if (!id) return -1;
    for (int32_t i = 0; i < map->n_regions; i++)
        if (strcmp(map->regions[i].id, id) == 0) return i;
    return -1;
}

void pk_map_region_adjacency(const pk_map *map, uint8_t *adj) {
    assert(map && (adj || map->n_regions == 0));
    int32_t n = map->n_regions;
    if (n == 0) return;
    memset(adj, 0, (size_t)n * (size_t)n);
    int32_t w = map->width, h = map->height;
    /* Each cell looks east and north only: every shared edge is seen exactly once. */
    for (int32_t y = 0; y < h; y++) {
        const int16_t *row = map->region + (size_t)y * (size_t)w;
        const int16_t *up = y + 1 < h ? row + w : NULL;
        for (int32_t x = 0; x < w; x++) {
            int a = row[x];
            if (a < 0) continue;
            assert(a < n);
            if (x + 1 < w) {
                int b = row[x + 1];
                if (b >= 0 && b != a) {
                    assert(b < n);
                    adj[(size_t)a * (size_t)n + (size_t)b] = 1;
                    adj[(size_t)b * (size_t)n + (size_t)a] = 1;
                }
            }
            if (up) {
                int b = up[x];
                if (b >= 0 && b != a) {
                    assert(b < n);
                    adj[(size_t)a * (size_t)n + (size_t)b] = 1;
                    adj[(size_t)b * (size_t)n + (size_t)a] = 1;
                }
            }
        }
    }
}

void pk_map_region_cell_counts(const pk_map *map, int32_t *counts) {
    assert(map && (counts || map->n_regions == 0));
    if (map->n_regions == 0) return;
    memset(counts, 0, (size_t)map->n_regions * sizeof *counts);
    size_t cells = (size_t)map->width * (size_t)map->height;
    for (size_t i = 0; i < cells; i++) {
        int r = map->region[i];
        if (r < 0) continue;
        assert(r < map->n_regions);
        counts[r]++;
    }
}
