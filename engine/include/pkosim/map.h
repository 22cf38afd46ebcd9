/* pkosim/map.h — a rasterised mission area as plain data: the cell grid with terrain,
 * roads and the region of each cell, the regions (districts) and the point sites (towns,
 * camps, protection sites, bases). Loaders (engine/io/geojson.c) fill a pk_map; the core
 * copies what it needs into the world. Nothing here reads files. */
#ifndef PKOSIM_MAP_H
#define PKOSIM_MAP_H

#include "pkosim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pk_terrain {
    PK_TERRAIN_OPEN = 0, /* savanna, farmland: the default inside a region */
    PK_TERRAIN_FOREST,
    PK_TERRAIN_HILLS,
    PK_TERRAIN_SWAMP,
    PK_TERRAIN_WATER,    /* lakes, large rivers: impassable for ground units */
    PK_TERRAIN_URBAN,
    PK_TERRAIN_OUTSIDE,  /* not part of any region (outside the mission area) */
    PK_TERRAIN_COUNT
} pk_terrain;

typedef enum pk_site_kind {
    PK_SITE_TOWN = 0,
    PK_SITE_VILLAGE,
    PK_SITE_CAMP,            /* camp for displaced persons */
    PK_SITE_PROTECTION_SITE, /* PoC site next to a mission base */
    PK_SITE_BASE,            /* a mission or force base */
    PK_SITE_BORDER,          /* a border crossing: refugees leave the area here */
    PK_SITE_COUNT
} pk_site_kind;

/* Road classes stored per cell (0 = no road). */
enum { PK_ROAD_NONE = 0, PK_ROAD_TRACK = 1, PK_ROAD_MAIN = 2 };

typedef struct pk_region_info {
    char id[PK_ID_MAX];     /* short identifier used in scripts and orders ("north") */
    char name[PK_NAME_MAX]; /* display name ("Kalo North") */
} pk_region_info;

typedef struct pk_site {
    char name[PK_NAME_MAX];
    pk_site_kind kind;
    int32_t cell;        /* index into the grid (row-major, row 0 = southern edge) */
    double lon, lat;     /* degrees, WGS 84 */
    int32_t population;  /* persons (towns) or capacity (camps); 0 if not given */
} pk_site;

/* The raster. Cell (x, y) has index y * width + x; x grows east, y grows north.
 * Cell centres are at lon0 + (x + 0.5) * dlon, lat0 + (y + 0.5) * dlat. All arrays are
 * owned by the map and freed by pk_map_free. */
typedef struct pk_map {
    int32_t width, height;
    double cell_km;          /* nominal edge length of a cell in km */
    double lon0, lat0;       /* south-west corner of the grid, degrees */
    double dlon, dlat;       /* cell size in degrees */
    uint8_t *terrain;        /* [width*height] pk_terrain */
    uint8_t *road;           /* [width*height] PK_ROAD_* */
    int16_t *region;         /* [width*height] region index, -1 outside every region */
    int32_t n_regions;
    pk_region_info *regions; /* [n_regions] */
    int32_t n_sites;
    pk_site *sites;          /* [n_sites] */
} pk_map;

/* Allocate a blank map of width x height cells (all OPEN terrain, no road, region -1).
 * Returns NULL on allocation failure. The caller owns the result (pk_map_free). */
pk_map *pk_map_create(int32_t width, int32_t height);
/* Free a map and its arrays; NULL is allowed. */
void pk_map_free(pk_map *map);
/* Add a region; returns its index, or -1 if PK_MAX_REGIONS is reached. */
int32_t pk_map_add_region(pk_map *map, const char *id, const char *name);
/* Add a site; returns its index, or -1 on allocation failure. */
int32_t pk_map_add_site(pk_map *map, const pk_site *site);
/* Region index with this id (exact match), or -1. */
int32_t pk_map_find_region(const pk_map *map, const char *id);
/* Fill adj[n_regions * n_regions] with 1 where two regions share a cell edge (4-neighbour
 * adjacency on the raster), else 0. adj must have room for n_regions^2 bytes. */
void pk_map_region_adjacency(const pk_map *map, uint8_t *adj);
/* Number of cells in each region: counts[n_regions]. */
void pk_map_region_cell_counts(const pk_map *map, int32_t *counts);

#ifdef __cplusplus
}
#endif
#endif
