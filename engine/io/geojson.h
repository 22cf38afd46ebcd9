/* geojson.h — load a mission area from GeoJSON (RFC 7946) and rasterise it into a pk_map.
 * The loader validates everything first and either returns a complete map or NULL with a
 * filled pk_error (file, line when known, JSON path, what was expected); it never prints,
 * never aborts and never returns a half-loaded map. cJSON trees never outlive a call.
 *
 * ---- Input ----------------------------------------------------------------------------
 * The top level is a FeatureCollection. A single Feature is also accepted and treated as
 * a collection of one (its paths then start at "$" instead of "$.features[i]"). A bare
 * geometry is refused. Coordinates are [longitude, latitude] in degrees (WGS 84); a third
 * value (elevation) is allowed and ignored. Both ring orientations are accepted.
 *
 * ---- Feature schema (properties used: name, id, kind, terrain, class, population) -----
 * Polygon / MultiPolygon
 *   properties.kind absent or "district"  -> a district (region of the map).
 *     id:    properties.id, else the feature "id", else a slug of the name
 *            ("Kalo North" -> "kalo_north"). Strings or integers; at most 31 bytes.
 *            Ids must be unique across the file.
 *     name:  the name property (see pk_geojson_options.name_property); else the id.
 *     Interior rings (holes) are not part of the district; a hole may hold another
 *     district (an enclave). A cell belongs to a district when its centre is inside the
 *     polygon (even-odd rule). Where districts overlap, the later feature in the file wins.
 *   properties.kind = "terrain" -> paints properties.terrain (one of "open", "forest",
 *     "hills", "swamp", "water", "urban"; required) on the cells whose centre it covers.
 *     It creates no region. Terrain polygons are applied after all districts, in file
 *     order (later wins). Cells outside every district get PK_TERRAIN_OUTSIDE whatever
 *     terrain covers them; cells inside a district default to "open".
 * LineString / MultiLineString -> roads. properties.kind absent or "road";
 *   properties.class "main" (default) or "track". Every cell a segment passes through gets
 *   the road class; where roads meet, the higher class (main) stays. Roads may leave the
 *   districts (cells outside keep their road class).
 * Point -> sites. properties.kind one of "town" (default), "village", "camp",
 *   "protection_site", "base", "border"; properties.population an optional integer >= 0
 *   (persons, or capacity for camps; 0 when absent); name from the name property, else
 *   the feature id, else "<kind> <n>". The site's cell is the cell containing the point.
 * A feature whose geometry is null is skipped (RFC 7946 allows unlocated features).
 * MultiPoint and GeometryCollection are refused.
 *
 * ---- Grid ----------------------------------------------------------------------------
 * The grid covers the bounding box of all geometry (districts, terrain, roads, sites).
 * Cells are cell_km on a side at the box's mean latitude:
 *   dlat = cell_km / 111.32, dlon = cell_km / (111.32 * cos(mean latitude)),
 *   width = ceil(lon extent / dlon), height = ceil(lat extent / dlat) (at least 1 each).
 * lon0/lat0 is the south-west corner of the box.
 *
 * ---- Errors (each with the JSON path of the offending element) ------------------------
 * not valid JSON (line and column of the parse error); top level not a FeatureCollection;
 * missing or non-array "features"; unsupported geometry type; coordinates that are not
 * numbers; latitude out of range (probably swapped with longitude); projected coordinates
 * (metres instead of degrees); rings not closed or with fewer than 4 positions; empty
 * coordinate arrays; no district at all; duplicate region ids; unknown kind / terrain /
 * class; bad population; more than PK_MAX_REGIONS districts; a raster larger than
 * max_cells. err->line is the line where the offending element starts (found by a
 * re-scan of the text, so it is exact for the first occurrence of a key). */
#ifndef PKOSIM_IO_GEOJSON_H
#define PKOSIM_IO_GEOJSON_H

#include "pkosim/map.h"
#include "pkosim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_geojson_options {
    double cell_km;            /* edge length of a cell in km; default 2.0; must be > 0 */
    int32_t max_cells;         /* refuse rasters with more cells than this; default 4,000,000 */
    const char *name_property; /* property holding display names; NULL (default) tries
                                  "name", "NAME", "ADMIN", then the feature "id". Borrowed:
                                  only read during the call. */
} pk_geojson_options;

/* The defaults described above. */
pk_geojson_options pk_geojson_options_default(void);

/* Load a GeoJSON file and rasterise it. opt may be NULL (defaults). Returns NULL and fills
 * err (may be NULL) on bad input or allocation failure; err->file is `path`. The caller
 * owns the result and frees it with pk_map_free. */
pk_map *pk_geojson_load_file(const char *path, const pk_geojson_options *opt, pk_error *err);

/* Same from a NUL-terminated string; display_name (may be NULL: "<string>") is what error
 * records name as the file. */
pk_map *pk_geojson_load_string(const char *text, const char *display_name, const pk_geojson_options *opt,
                               pk_error *err);

#ifdef __cplusplus
}
#endif
#endif
