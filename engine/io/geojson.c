/* geojson.c — GeoJSON (RFC 7946) map loader: validates a FeatureCollection with cJSON,
 * collects districts, terrain polygons, roads and sites into flat scratch arrays, then
 * rasterises them into a pk_map (schema and rules: geojson.h). It must never print, abort,
 * keep a cJSON tree after returning, or return a partly built map: every input problem
 * becomes one pk_error with the file, the JSON path and what was expected. */
#include "geojson.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GJ_KM_PER_DEG_LAT 111.32
#define GJ_PATH_MAX 256

pk_geojson_options pk_geojson_options_default(void) {
    pk_geojson_options o;
    o.cell_km = 2.0;
    o.max_cells = 4000000;
    o.name_property = NULL;
    return o;
}

/* ---- scratch data collected before the grid is known --------------------------------- */

typedef struct gj_pt {
    double x, y; /* lon, lat in degrees */
} gj_pt;

typedef struct gj_ring {
    int32_t first, n; /* range in ctx.pts; polygon rings are closed (last == first) */
} gj_ring;

enum { GJ_ROLE_REGION, GJ_ROLE_TERRAIN, GJ_ROLE_ROAD };

/* One polygonal or linear feature: all its rings (or line strings) in a row. The even-odd
 * rule over every ring of a (Multi)Polygon gives holes and enclaves without needing to know
 * which ring is exterior. */
typedef struct gj_shape {
    int role;
    int value; /* region index, pk_terrain, or PK_ROAD_* */
    int32_t first_ring, n_rings;
    double minx, miny, maxx, maxy;
} gj_shape;

typedef struct gj_region {
    pk_region_info info;
    char id_path[GJ_PATH_MAX]; /* where the id came from, for duplicate-id messages */
} gj_region;

typedef struct gj_ctx {
    const char *text; /* the whole input, to find line numbers of JSON paths */
    const char *file;
    pk_error *err;
    pk_geojson_options opt;

    gj_pt *pts;
    size_t n_pts, cap_pts;
    gj_ring *rings;
    size_t n_rings, cap_rings;
    gj_shape *shapes;
    size_t n_shapes, cap_shapes;
    gj_region *regions;
    size_t n_regions, cap_regions;
    pk_site *sites;
    size_t n_sites, cap_sites;

    int have_bbox;
    double minx, miny, maxx, maxy;
} gj_ctx;

static void ctx_free(gj_ctx *c) {
    free(c->pts);
    free(c->rings);
    free(c->shapes);
    free(c->regions);
    free(c->sites);
}

/* Make room for one more element; 0 on allocation failure. */
static int grow(void **p, size_t *cap, size_t n, size_t elem) {
    if (n < *cap) return 1;
    size_t nc = *cap ? *cap * 2 : 16;
    void *q = realloc(*p, nc * elem);
    if (!q) return 0;
    *p = q;
    *cap = nc;
    return 1;
}
#define GJ_GROW(c, arr, n, cap) grow((void **)&(c)->arr, &(c)->cap, (c)->n, sizeof *(c)->arr)

/* ---- line numbers: find where a JSON path starts in the text --------------------------
 * cJSON keeps no positions, so on error we re-scan the (already valid) text along the
 * path. Only runs when reporting an error, so its cost does not matter. */

static const char *lj_ws(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

static const char *lj_string(const char *p) { /* p at '"'; returns past the closing quote */
    p++;
    while (*p && *p != '"') {
        if (*p == '\\' && p[1]) p++;
        p++;
    }
    return *p ? p + 1 : NULL;
}

static const char *lj_value(const char *p) { /* returns past the value */
    p = lj_ws(p);
    if (*p == '"') return lj_string(p);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        for (;;) {
            char ch = *p;
            if (!ch) return NULL;
            if (ch == '"') {
                p = lj_string(p);
                if (!p) return NULL;
                continue;
            }
            if (ch == '{' || ch == '[') depth++;
            else if (ch == '}' || ch == ']') {
                if (--depth == 0) return p + 1;
            }
            p++;
        }
    }
    while (*p && !strchr(",]} \t\r\n", *p)) p++;
    return p;
}

/* Line (1-based) where the element at `path` ("$.a[2].b" or "$.a[\"k\"]") starts, 0 if
 * it cannot be found (e.g. a missing member). */
static int lj_line_of(const char *text, const char *path) {
    if (!text || !path) return 0;
    const char *p = text;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF) p += 3;
    p = lj_ws(p);
    const char *q = path;
    if (*q == '$') q++;
    while (*q) {
        const char *key = NULL;
        size_t klen = 0;
        long index = -1;
        if (*q == '.') {
            key = ++q;
            while (*q && *q != '.' && *q != '[') q++;
            klen = (size_t)(q - key);
        } else if (*q == '[' && q[1] == '"') {
            key = q + 2;
            const char *e = strchr(key, '"');
            if (!e || e[1] != ']') return 0;
            klen = (size_t)(e - key);
            q = e + 2;
        } else if (*q == '[') {
            char *e;
            index = strtol(q + 1, &e, 10);
            if (*e != ']' || index < 0) return 0;
            q = e + 1;
        } else {
            return 0;
        }
        if (key) {
            if (*p != '{') return 0;
            p = lj_ws(p + 1);
            for (;;) {
                if (*p != '"') return 0;
                const char *ks = p + 1;
                const char *ke = lj_string(p);
                if (!ke) return 0;
                int match = (size_t)(ke - 1 - ks) == klen && memcmp(ks, key, klen) == 0;
                p = lj_ws(ke);
                if (*p != ':') return 0;
                p = lj_ws(p + 1);
                if (match) break;
                p = lj_value(p);
                if (!p) return 0;
                p = lj_ws(p);
                if (*p != ',') return 0;
                p = lj_ws(p + 1);
            }
        } else {
            if (*p != '[') return 0;
            p = lj_ws(p + 1);
            for (long i = 0; i < index; i++) {
                p = lj_value(p);
                if (!p) return 0;
                p = lj_ws(p);
                if (*p != ',') return 0;
                p = lj_ws(p + 1);
            }
            if (*p == ']') return 0;
        }
    }
    int line = 1;
    for (const char *s = text; s < p; s++)
        if (*s == '\n') line++;
    return line;
}

/* ---- errors ------------------------------------------------------------------------ */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(gj_ctx *c, const char *path, const char *fmt, ...) {
    char msg[sizeof c->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pk_error_set(c->err, c->file, lj_line_of(c->text, path), path, "%s", msg);
    return 0;
}

static int fail_oom(gj_ctx *c) { return fail(c, NULL, "out of memory while loading the map"); }

static const char *describe(const cJSON *v) {
    if (!v) return "nothing";
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNull(v)) return "null";
    return "an invalid value";
}

/* JSON path helpers: "base.key" for identifier-like keys, base["key"] otherwise. */
static void path_key(char *out, const char *base, const char *key) {
    int plain = key[0] != '\0';
    for (const char *k = key; *k; k++) {
        char ch = *k;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
            plain = 0;
    }
    /* a path longer than GJ_PATH_MAX is cut on purpose: mark the cut with "..." */
    int n = plain ? snprintf(out, GJ_PATH_MAX, "%s.%s", base, key) : snprintf(out, GJ_PATH_MAX, "%s[\"%s\"]", base, key);
    if (n >= GJ_PATH_MAX) memcpy(out + GJ_PATH_MAX - 4, "...", 4);
}

static void path_index(char *out, const char *base, int i) {
    int n = snprintf(out, GJ_PATH_MAX, "%s[%d]", base, i);
    if (n >= GJ_PATH_MAX) memcpy(out + GJ_PATH_MAX - 4, "...", 4);
}

/* base + suffix into a GJ_PATH_MAX buffer. Paths this loader builds are far shorter; a
 * too-long one is cut, which only shortens an error message. */
static void path_cat(char *out, const char *base, const char *suffix) {
    int n = snprintf(out, GJ_PATH_MAX, "%s%s", base, suffix);
    if (n < 0 || n >= GJ_PATH_MAX) out[GJ_PATH_MAX - 1] = '\0';
}

/* Copy text into a fixed buffer without splitting a UTF-8 sequence. */
static void copy_text(char *dst, size_t size, const char *src) {
    size_t n = strlen(src);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* A coordinate as text for messages: %.10g, but "4.0" rather than "4" so a position reads
 * like the file it came from. Returned by value; valid until the end of the full expression. */
typedef struct gj_num {
    char s[40];
} gj_num;

static gj_num num(double v) {
    gj_num n;
    snprintf(n.s, sizeof n.s, "%.10g", v);
    if (!strpbrk(n.s, ".eEn")) strncat(n.s, ".0", sizeof n.s - strlen(n.s) - 1);
    return n;
}

/* ---- small readers -------------------------------------------------------------------- */

static const cJSON *member(const cJSON *obj, const char *key) {
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

/* A string property: 1 with *out set (NULL when absent or null), 0 on a wrong type. */
static int prop_string(gj_ctx *c, const cJSON *props, const char *key, const char *fpath, const char **out) {
    *out = NULL;
    const cJSON *v = member(props, key);
    if (!v || cJSON_IsNull(v)) return 1;
    if (!cJSON_IsString(v)) {
        char base[GJ_PATH_MAX], path[GJ_PATH_MAX];
        path_cat(base, fpath, ".properties");
        path_key(path, base, key);
        return fail(c, path, "expected %s to be a string, got %s", key, describe(v));
    }
    *out = v->valuestring;
    return 1;
}

/* An identifier value (string or integer) as text; 0 on a wrong type. */
static int id_text(gj_ctx *c, const cJSON *v, const char *path, char *out, size_t size) {
    if (cJSON_IsString(v)) {
        copy_text(out, size, v->valuestring);
        return 1;
    }
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble) &&
        fabs(v->valuedouble) < 1e15) {
        snprintf(out, size, "%.0f", v->valuedouble);
        return 1;
    }
    return fail(c, path, "expected an id (a string or an integer), got %s", describe(v));
}

/* The display name: the configured property, else name/NAME/ADMIN, else the feature id.
 * *found = 0 when none of them exists. */
static int feature_name(gj_ctx *c, const cJSON *f, const cJSON *props, const char *fpath, char *out, size_t size,
                        char *src_path, int *found) {
    static const char *const defaults[] = {"name", "NAME", "ADMIN"};
    const char *const *keys = defaults;
    size_t n_keys = sizeof defaults / sizeof defaults[0];
    if (c->opt.name_property) {
        keys = &c->opt.name_property;
        n_keys = 1;
    }
    *found = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n_keys; i++) {
        const char *s;
        if (!prop_string(c, props, keys[i], fpath, &s)) return 0;
        if (s && s[0]) {
            copy_text(out, size, s);
            char base[GJ_PATH_MAX];
            path_cat(base, fpath, ".properties");
            path_key(src_path, base, keys[i]);
            *found = 1;
            return 1;
        }
    }
    const cJSON *id = member(f, "id");
    if (id && !cJSON_IsNull(id)) {
        path_cat(src_path, fpath, ".id");
        if (!id_text(c, id, src_path, out, size)) return 0;
        *found = out[0] != '\0';
    }
    return 1;
}

/* "Kalo North" -> "kalo_north": ASCII letters and digits kept (lower-cased), every other
 * run of bytes becomes one '_'. Locale-independent on purpose. */
static void slugify(const char *name, char *out, size_t size) {
    size_t n = 0;
    for (const char *s = name; *s && n + 1 < size; s++) {
        char ch = *s;
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out[n++] = ch;
        else if (n > 0 && out[n - 1] != '_') out[n++] = '_';
    }
    while (n > 0 && out[n - 1] == '_') n--;
    out[n] = '\0';
}

static void extend_bbox(gj_ctx *c, double x, double y) {
    if (!c->have_bbox) {
        c->minx = c->maxx = x;
        c->miny = c->maxy = y;
        c->have_bbox = 1;
        return;
    }
    if (x < c->minx) c->minx = x;
    if (x > c->maxx) c->maxx = x;
    if (y < c->miny) c->miny = y;
    if (y > c->maxy) c->maxy = y;
}

/* ---- geometry readers ----------------------------------------------------------------- */

/* A position [lon, lat(, elevation)] in degrees. Catches the two classic mistakes: axes
 * swapped (lat, lon) and projected coordinates (metres, e.g. UTM) exported by GIS tools. */
static int read_position(gj_ctx *c, const cJSON *pos, const char *path, gj_pt *out) {
    if (!cJSON_IsArray(pos) || cJSON_GetArraySize(pos) < 2)
        return fail(c, path, "expected a position [longitude, latitude], got %s%s", describe(pos),
                    cJSON_IsArray(pos) ? " with fewer than 2 numbers" : "");
    double v[2];
    for (int i = 0; i < 2; i++) {
        const cJSON *n = cJSON_GetArrayItem(pos, i);
        char p[GJ_PATH_MAX];
        path_index(p, path, i);
        if (!cJSON_IsNumber(n))
            return fail(c, p, "expected a number (%s in degrees), got %s", i == 0 ? "longitude" : "latitude",
                        describe(n));
        if (!isfinite(n->valuedouble)) return fail(c, p, "expected a finite number, got an overflowing one");
        v[i] = n->valuedouble;
    }
    double x = v[0], y = v[1];
    if (fabs(x) > 360.0 || fabs(y) > 180.0)
        return fail(c, path,
                    "coordinates look projected (metres?); expected longitude/latitude in degrees (RFC 7946), "
                    "got [%s, %s]; reproject the layer to EPSG:4326 (WGS 84) before export",
                    num(x).s, num(y).s);
    if (fabs(y) > 90.0) {
        if (fabs(x) <= 90.0)
            return fail(c, path,
                        "latitude out of range; are longitude and latitude swapped? expected [longitude, "
                        "latitude], got [%s, %s]",
                        num(x).s, num(y).s);
        return fail(c, path, "latitude out of range [-90, 90]: got [%s, %s]", num(x).s, num(y).s);
    }
    if (fabs(x) > 180.0) return fail(c, path, "longitude out of range [-180, 180]: got [%s, %s]", num(x).s, num(y).s);
    out->x = x;
    out->y = y;
    return 1;
}

/* A list of positions: a linear ring (closed, >= 4 positions) or a line string (>= 2). */
static int read_ring(gj_ctx *c, const cJSON *arr, const char *path, int closed, gj_shape *shape) {
    const char *what = closed ? "a linear ring" : "a line string";
    int min = closed ? 4 : 2;
    if (!cJSON_IsArray(arr)) return fail(c, path, "expected %s (an array of positions), got %s", what, describe(arr));
    int n = cJSON_GetArraySize(arr);
    if (n < min) return fail(c, path, "expected %s of at least %d positions, got %d", what, min, n);
    if (!GJ_GROW(c, rings, n_rings, cap_rings)) return fail_oom(c);
    gj_ring ring = {(int32_t)c->n_pts, 0};
    int i = 0;
    const cJSON *pos;
    cJSON_ArrayForEach(pos, arr) {
        char p[GJ_PATH_MAX];
        path_index(p, path, i++);
        gj_pt pt;
        if (!read_position(c, pos, p, &pt)) return 0;
        if (!GJ_GROW(c, pts, n_pts, cap_pts)) return fail_oom(c);
        c->pts[c->n_pts++] = pt;
        ring.n++;
        extend_bbox(c, pt.x, pt.y);
        if (shape->n_rings == 0 && ring.n == 1) {
            shape->minx = shape->maxx = pt.x;
            shape->miny = shape->maxy = pt.y;
        }
        if (pt.x < shape->minx) shape->minx = pt.x;
        if (pt.x > shape->maxx) shape->maxx = pt.x;
        if (pt.y < shape->miny) shape->miny = pt.y;
        if (pt.y > shape->maxy) shape->maxy = pt.y;
    }
    if (closed) {
        gj_pt a = c->pts[ring.first], b = c->pts[ring.first + ring.n - 1];
        if (a.x != b.x || a.y != b.y)
            return fail(c, path,
                        "expected a closed linear ring (first and last positions equal), got first [%s, %s] "
                        "and last [%s, %s]",
                        num(a.x).s, num(a.y).s, num(b.x).s, num(b.y).s);
    }
    c->rings[c->n_rings++] = ring;
    shape->n_rings++;
    return 1;
}

/* Polygon coordinates: an array of rings (exterior first, then holes). */
static int read_polygon(gj_ctx *c, const cJSON *coords, const char *path, gj_shape *shape) {
    if (!cJSON_IsArray(coords))
        return fail(c, path, "expected an array of linear rings, got %s", describe(coords));
    if (cJSON_GetArraySize(coords) == 0)
        return fail(c, path, "empty geometry: expected a polygon with at least one linear ring, got []");
    int i = 0;
    const cJSON *ring;
    cJSON_ArrayForEach(ring, coords) {
        char p[GJ_PATH_MAX];
        path_index(p, path, i++);
        if (!read_ring(c, ring, p, 1, shape)) return 0;
    }
    return 1;
}

/* Reads (Multi)Polygon or (Multi)LineString coordinates into `shape`. */
static int read_shape_coords(gj_ctx *c, const char *type, const cJSON *coords, const char *path, gj_shape *shape) {
    shape->first_ring = (int32_t)c->n_rings;
    shape->n_rings = 0;
    int multi = strncmp(type, "Multi", 5) == 0;
    int polygon = strstr(type, "Polygon") != NULL;
    if (!coords) return fail(c, path, "expected a \"coordinates\" member in the %s geometry", type);
    if (!cJSON_IsArray(coords))
        return fail(c, path, "expected the %s coordinates to be an array, got %s", type, describe(coords));
    if (cJSON_GetArraySize(coords) == 0)
        return fail(c, path, "empty geometry: %s coordinates are [], expected at least one %s", type,
                    multi ? (polygon ? "polygon" : "line string") : (polygon ? "linear ring" : "position"));
    if (!multi) return polygon ? read_polygon(c, coords, path, shape) : read_ring(c, coords, path, 0, shape);
    int i = 0;
    const cJSON *part;
    cJSON_ArrayForEach(part, coords) {
        char p[GJ_PATH_MAX];
        path_index(p, path, i++);
        if (!(polygon ? read_polygon(c, part, p, shape) : read_ring(c, part, p, 0, shape))) return 0;
    }
    return 1;
}

/* ---- features --------------------------------------------------------------------------- */

static const char *const TERRAIN_NAMES[] = {"open", "forest", "hills", "swamp", "water", "urban"};
static const char *const SITE_NAMES[] = {"town", "village", "camp", "protection_site", "base", "border"};

static int lookup(const char *const *names, int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0) return i;
    return -1;
}

static int add_region(gj_ctx *c, const cJSON *f, const cJSON *props, const char *fpath) {
    if (c->n_regions >= PK_MAX_REGIONS)
        return fail(c, fpath, "too many districts: at most %d are supported", (int)PK_MAX_REGIONS);
    gj_region r;
    memset(&r, 0, sizeof r);
    char name_path[GJ_PATH_MAX] = "";
    int have_name;
    if (!feature_name(c, f, props, fpath, r.info.name, sizeof r.info.name, name_path, &have_name)) return 0;

    /* The id: properties.id, the feature id, then a slug of the name. */
    const cJSON *pid = member(props, "id");
    const cJSON *fid = member(f, "id");
    char idbuf[256] = "";
    if (pid && !cJSON_IsNull(pid)) {
        path_cat(r.id_path, fpath, ".properties.id");
        if (!id_text(c, pid, r.id_path, idbuf, sizeof idbuf)) return 0;
    } else if (fid && !cJSON_IsNull(fid)) {
        path_cat(r.id_path, fpath, ".id");
        if (!id_text(c, fid, r.id_path, idbuf, sizeof idbuf)) return 0;
    } else if (have_name) {
        path_cat(r.id_path, name_path, "");
        slugify(r.info.name, idbuf, sizeof r.info.id); /* a derived id is shortened, not refused */
        if (!idbuf[0])
            return fail(c, name_path, "cannot make a district id from the name \"%s\"; expected properties.id",
                        r.info.name);
    } else {
        return fail(c, fpath, "expected a district id: properties.id, a feature \"id\" or a name property");
    }
    if (!idbuf[0]) return fail(c, r.id_path, "expected a non-empty district id");
    if (strlen(idbuf) >= sizeof r.info.id)
        return fail(c, r.id_path, "district id \"%s\" is too long: expected at most %d bytes", idbuf,
                    (int)sizeof r.info.id - 1);
    copy_text(r.info.id, sizeof r.info.id, idbuf);
    if (!have_name) copy_text(r.info.name, sizeof r.info.name, r.info.id);

    for (size_t i = 0; i < c->n_regions; i++)
        if (strcmp(c->regions[i].info.id, r.info.id) == 0)
            return fail(c, r.id_path, "duplicate region id \"%s\" (already used at %s); expected unique district ids",
                        r.info.id, c->regions[i].id_path);
    if (!GJ_GROW(c, regions, n_regions, cap_regions)) return fail_oom(c);
    c->regions[c->n_regions++] = r;
    return 1;
}

static int read_feature(gj_ctx *c, const cJSON *f, const char *fpath) {
    char path[GJ_PATH_MAX], gpath[GJ_PATH_MAX], cpath[GJ_PATH_MAX];
    if (!cJSON_IsObject(f)) return fail(c, fpath, "expected a Feature object, got %s", describe(f));
    const cJSON *type = member(f, "type");
    path_cat(path, fpath, ".type");
    if (!cJSON_IsString(type) || strcmp(type->valuestring, "Feature") != 0)
        return fail(c, cJSON_IsString(type) ? path : fpath, "expected \"type\": \"Feature\", got %s%s%s",
                    cJSON_IsString(type) ? "\"" : "", cJSON_IsString(type) ? type->valuestring : describe(type),
                    cJSON_IsString(type) ? "\"" : "");

    const cJSON *props = member(f, "properties");
    path_cat(path, fpath, ".properties");
    if (props && !cJSON_IsObject(props) && !cJSON_IsNull(props))
        return fail(c, path, "expected properties to be an object or null, got %s", describe(props));

    const cJSON *geom = member(f, "geometry");
    path_cat(gpath, fpath, ".geometry");
    if (!geom)
        return fail(c, fpath, "expected a \"geometry\" member (an object, or null for a feature without location)");
    if (cJSON_IsNull(geom)) return 1; /* RFC 7946 §3.2: an unlocated feature; nothing to draw */
    if (!cJSON_IsObject(geom)) return fail(c, gpath, "expected a geometry object or null, got %s", describe(geom));
    const cJSON *gtype = member(geom, "type");
    char tpath[GJ_PATH_MAX];
    path_cat(tpath, gpath, ".type");
    if (!cJSON_IsString(gtype))
        return fail(c, gtype ? tpath : gpath, "expected a geometry \"type\" string, got %s", describe(gtype));
    const char *gt = gtype->valuestring;
    const cJSON *coords = member(geom, "coordinates");
    path_cat(cpath, gpath, ".coordinates");
    const char *kind;
    if (!prop_string(c, props, "kind", fpath, &kind)) return 0;
    char kpath[GJ_PATH_MAX];
    path_cat(kpath, fpath, ".properties.kind");

    if (strcmp(gt, "Polygon") == 0 || strcmp(gt, "MultiPolygon") == 0) {
        gj_shape shape;
        memset(&shape, 0, sizeof shape);
        if (!kind || strcmp(kind, "district") == 0) {
            shape.role = GJ_ROLE_REGION; /* value set once the geometry is known to be good */
        } else if (strcmp(kind, "terrain") == 0) {
            const char *t;
            if (!prop_string(c, props, "terrain", fpath, &t)) return 0;
            path_cat(path, fpath, ".properties.terrain");
            if (!t)
                return fail(c, path,
                            "expected properties.terrain (open, forest, hills, swamp, water or urban) on a "
                            "terrain polygon");
            int ti = lookup(TERRAIN_NAMES, 6, t);
            if (ti < 0)
                return fail(c, path,
                            "expected properties.terrain one of open, forest, hills, swamp, water, urban; got \"%s\"",
                            t);
            shape.role = GJ_ROLE_TERRAIN;
            shape.value = ti;
        } else {
            return fail(c, kpath,
                        "expected properties.kind \"district\" (or absent) or \"terrain\" on a %s, got \"%s\"", gt,
                        kind);
        }
        /* Geometry before identity: a broken polygon is the more basic problem to report. */
        if (!read_shape_coords(c, gt, coords, coords ? cpath : gpath, &shape)) return 0;
        if (shape.role == GJ_ROLE_REGION) {
            if (!add_region(c, f, props, fpath)) return 0;
            shape.value = (int)c->n_regions - 1;
        }
        if (!GJ_GROW(c, shapes, n_shapes, cap_shapes)) return fail_oom(c);
        c->shapes[c->n_shapes++] = shape;
        return 1;
    }
    if (strcmp(gt, "LineString") == 0 || strcmp(gt, "MultiLineString") == 0) {
        if (kind && strcmp(kind, "road") != 0)
            return fail(c, kpath, "expected properties.kind \"road\" (or absent) on a %s, got \"%s\"", gt, kind);
        const char *cls;
        if (!prop_string(c, props, "class", fpath, &cls)) return 0;
        gj_shape shape;
        memset(&shape, 0, sizeof shape);
        shape.role = GJ_ROLE_ROAD;
        if (!cls || strcmp(cls, "main") == 0) shape.value = PK_ROAD_MAIN;
        else if (strcmp(cls, "track") == 0) shape.value = PK_ROAD_TRACK;
        else {
            path_cat(path, fpath, ".properties.class");
            return fail(c, path, "expected properties.class \"main\" or \"track\", got \"%s\"", cls);
        }
        if (!read_shape_coords(c, gt, coords, coords ? cpath : gpath, &shape)) return 0;
        if (!GJ_GROW(c, shapes, n_shapes, cap_shapes)) return fail_oom(c);
        c->shapes[c->n_shapes++] = shape;
        return 1;
    }
    if (strcmp(gt, "Point") == 0) {
        pk_site s;
        memset(&s, 0, sizeof s);
        s.kind = PK_SITE_TOWN;
        if (kind) {
            int k = lookup(SITE_NAMES, 6, kind);
            if (k < 0)
                return fail(c, kpath,
                            "expected properties.kind one of town, village, camp, protection_site, base, border on a "
                            "Point, got \"%s\"",
                            kind);
            s.kind = (pk_site_kind)k;
        }
        const cJSON *pop = member(props, "population");
        if (pop && !cJSON_IsNull(pop)) {
            path_cat(path, fpath, ".properties.population");
            double v = cJSON_IsNumber(pop) ? pop->valuedouble : -1.0;
            if (!cJSON_IsNumber(pop) || !isfinite(v) || v < 0 || v != floor(v) || v > (double)INT32_MAX) {
                if (cJSON_IsNumber(pop))
                    return fail(c, path, "expected properties.population an integer >= 0, got %.10g", v);
                return fail(c, path, "expected properties.population an integer >= 0, got %s", describe(pop));
            }
            s.population = (int32_t)v;
        }
        char npath[GJ_PATH_MAX];
        int have_name;
        if (!feature_name(c, f, props, fpath, s.name, sizeof s.name, npath, &have_name)) return 0;
        if (!have_name) snprintf(s.name, sizeof s.name, "%s %d", SITE_NAMES[s.kind], (int)c->n_sites + 1);
        gj_pt pt;
        if (!coords) return fail(c, gpath, "expected a \"coordinates\" member in the Point geometry");
        if (cJSON_IsArray(coords) && cJSON_GetArraySize(coords) == 0)
            return fail(c, cpath, "empty geometry: Point coordinates are [], expected [longitude, latitude]");
        if (!read_position(c, coords, cpath, &pt)) return 0;
        extend_bbox(c, pt.x, pt.y);
        s.lon = pt.x;
        s.lat = pt.y;
        if (!GJ_GROW(c, sites, n_sites, cap_sites)) return fail_oom(c);
        c->sites[c->n_sites++] = s;
        return 1;
    }
    return fail(c, tpath,
                "unsupported geometry type \"%s\": expected Polygon or MultiPolygon (districts, terrain), LineString "
                "or MultiLineString (roads), or Point (sites)",
                gt);
}

/* ---- rasterisation ---------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Scanline fill of a polygon's rings with the even-odd rule, testing cell centres: for each
 * row, the crossings of the centre line with every edge are sorted and the spans between
 * pairs are filled. Each edge is evaluated from its lower end, so a ring and its reverse
 * (and two districts sharing a border) give bit-identical crossings: no gaps, no overlaps,
 * and orientation does not matter. */
static void fill_shape(const gj_ctx *c, pk_map *m, const gj_shape *s, double *xs, int role_value, int is_region) {
    int32_t w = m->width, h = m->height;
    double fy0 = ceil((s->miny - m->lat0) / m->dlat - 0.5);
    double fy1 = floor((s->maxy - m->lat0) / m->dlat - 0.5);
    int32_t y0 = fy0 < 0 ? 0 : (int32_t)fy0;
    int32_t y1 = fy1 > h - 1 ? h - 1 : (int32_t)fy1;
    for (int32_t y = y0; y <= y1; y++) {
        double yc = m->lat0 + (y + 0.5) * m->dlat;
        size_t k = 0;
        for (int32_t r = 0; r < s->n_rings; r++) {
            const gj_ring *ring = &c->rings[s->first_ring + r];
            const gj_pt *p = &c->pts[ring->first];
            for (int32_t i = 0; i + 1 < ring->n; i++) {
                gj_pt a = p[i], b = p[i + 1];
                if ((a.y > yc) == (b.y > yc)) continue;
                if (a.y > b.y) {
                    gj_pt t = a;
                    a = b;
                    b = t;
                }
                xs[k++] = a.x + (yc - a.y) * (b.x - a.x) / (b.y - a.y);
            }
        }
        if (k < 2) continue;
        qsort(xs, k, sizeof *xs, cmp_double);
        for (size_t j = 0; j + 1 < k; j += 2) {
            /* centre x_c = lon0 + (i + 0.5) dlon is inside when xs[j] <= x_c < xs[j+1] */
            double fi0 = ceil((xs[j] - m->lon0) / m->dlon - 0.5);
            double fi1 = ceil((xs[j + 1] - m->lon0) / m->dlon - 0.5);
            int32_t i0 = fi0 < 0 ? 0 : fi0 > w ? w : (int32_t)fi0;
            int32_t i1 = fi1 < 0 ? 0 : fi1 > w ? w : (int32_t)fi1;
            size_t row = (size_t)y * (size_t)w;
            for (int32_t i = i0; i < i1; i++) {
                if (is_region) m->region[row + (size_t)i] = (int16_t)role_value;
                else m->terrain[row + (size_t)i] = (uint8_t)role_value;
            }
        }
    }
}

static int32_t clamp_cell(double g, int32_t n) {
    if (!(g >= 0)) return 0;
    if (g >= n) return n - 1;
    return (int32_t)g;
}

static void mark_road(pk_map *m, int32_t x, int32_t y, int cls) {
    size_t i = (size_t)y * (size_t)m->width + (size_t)x;
    if (m->road[i] < cls) m->road[i] = (uint8_t)cls;
}

/* Grid traversal (Amanatides & Woo 1987): visits every cell the segment passes through,
 * one axis step at a time, so the road is 4-connected and units can follow it. */
static void walk_segment(pk_map *m, gj_pt a, gj_pt b, int cls) {
    double gx0 = (a.x - m->lon0) / m->dlon, gy0 = (a.y - m->lat0) / m->dlat;
    double gx1 = (b.x - m->lon0) / m->dlon, gy1 = (b.y - m->lat0) / m->dlat;
    int32_t x = clamp_cell(floor(gx0), m->width), y = clamp_cell(floor(gy0), m->height);
    int32_t ex = clamp_cell(floor(gx1), m->width), ey = clamp_cell(floor(gy1), m->height);
    double dx = gx1 - gx0, dy = gy1 - gy0;
    int sx = dx > 0 ? 1 : dx < 0 ? -1 : 0, sy = dy > 0 ? 1 : dy < 0 ? -1 : 0;
    double tmx = sx ? ((sx > 0 ? x + 1 : x) - gx0) / dx : INFINITY;
    double tmy = sy ? ((sy > 0 ? y + 1 : y) - gy0) / dy : INFINITY;
    double tdx = sx ? sx / dx : INFINITY, tdy = sy ? sy / dy : INFINITY;
    /* The guard bounds the walk even if rounding makes it miss the end cell. */
    long steps = labs((long)ex - x) + labs((long)ey - y) + 2;
    for (long s = 0; s < steps; s++) {
        mark_road(m, x, y, cls);
        if (x == ex && y == ey) return;
        if (tmx < tmy) {
            x += sx;
            tmx += tdx;
        } else {
            y += sy;
            tmy += tdy;
        }
        if (x < 0 || x >= m->width || y < 0 || y >= m->height) break;
    }
    mark_road(m, ex, ey, cls);
}

/* The documented grid rule (geojson.h): cell size in degrees at the box's mean latitude,
 * sides rounded up. Sizes are doubles so a huge request cannot overflow before the check. */
static void grid_dims(const gj_ctx *c, double cell_km, double *dlon, double *dlat, double *w, double *h) {
    double mean_lat = 0.5 * (c->miny + c->maxy);
    double coslat = cos(mean_lat * 3.14159265358979323846 / 180.0);
    if (coslat < 1e-3) coslat = 1e-3; /* a map touching a pole: keep dlon finite */
    *dlat = cell_km / GJ_KM_PER_DEG_LAT;
    *dlon = cell_km / (GJ_KM_PER_DEG_LAT * coslat);
    *w = ceil((c->maxx - c->minx) / *dlon);
    *h = ceil((c->maxy - c->miny) / *dlat);
    if (*w < 1) *w = 1;
    if (*h < 1) *h = 1;
}

static pk_map *rasterise(gj_ctx *c, const char *features_path) {
    if (c->n_regions == 0) {
        fail(c, features_path,
             "no districts: expected at least one Polygon or MultiPolygon feature that is a district "
             "(properties.kind absent or \"district\")");
        return NULL;
    }
    double cell_km = c->opt.cell_km, dlon, dlat, fw, fh;
    grid_dims(c, cell_km, &dlon, &dlat, &fw, &fh);
    double cells = fw * fh;
    if (cells > (double)c->opt.max_cells) {
        /* Suggest a cell size that really fits: the square-root estimate, then 0.1 km steps,
         * because rounding each side up can still overshoot by a row or two. */
        double need = ceil(cell_km * sqrt(cells / (double)c->opt.max_cells) * 10.0) / 10.0, w2, h2, dx, dy;
        for (int i = 0; i < 100000; i++, need += 0.1) {
            grid_dims(c, need, &dx, &dy, &w2, &h2);
            if (w2 * h2 <= (double)c->opt.max_cells) break;
        }
        fail(c, NULL,
             "raster too large: %.0f x %.0f = %.0f cells at cell_km = %g exceeds max_cells = %ld; use a larger "
             "cell_km (at least %.1f km)",
             fw, fh, cells, cell_km, (long)c->opt.max_cells, need);
        return NULL;
    }
    pk_map *m = pk_map_create((int32_t)fw, (int32_t)fh);
    if (!m) {
        fail_oom(c);
        return NULL;
    }
    m->cell_km = cell_km;
    m->lon0 = c->minx;
    m->lat0 = c->miny;
    m->dlon = dlon;
    m->dlat = dlat;
    for (size_t i = 0; i < c->n_regions; i++) {
        if (pk_map_add_region(m, c->regions[i].info.id, c->regions[i].info.name) < 0) {
            pk_map_free(m);
            fail_oom(c);
            return NULL;
        }
    }

    /* Scratch for the crossings of one row: at most one per edge of the largest shape. */
    size_t max_edges = 0;
    for (size_t s = 0; s < c->n_shapes; s++) {
        size_t e = 0;
        for (int32_t r = 0; r < c->shapes[s].n_rings; r++) e += (size_t)c->rings[c->shapes[s].first_ring + r].n;
        if (e > max_edges) max_edges = e;
    }
    double *xs = malloc((max_edges ? max_edges : 1) * sizeof *xs);
    if (!xs) {
        pk_map_free(m);
        fail_oom(c);
        return NULL;
    }
    /* Districts first (later wins), then terrain over them (later wins), then everything
     * outside a district becomes OUTSIDE, so terrain order in the file does not matter. */
    for (size_t s = 0; s < c->n_shapes; s++)
        if (c->shapes[s].role == GJ_ROLE_REGION) fill_shape(c, m, &c->shapes[s], xs, c->shapes[s].value, 1);
    for (size_t s = 0; s < c->n_shapes; s++)
        if (c->shapes[s].role == GJ_ROLE_TERRAIN) fill_shape(c, m, &c->shapes[s], xs, c->shapes[s].value, 0);
    free(xs);
    size_t n = (size_t)m->width * (size_t)m->height;
    for (size_t i = 0; i < n; i++)
        if (m->region[i] < 0) m->terrain[i] = PK_TERRAIN_OUTSIDE;
    for (size_t s = 0; s < c->n_shapes; s++) {
        const gj_shape *sh = &c->shapes[s];
        if (sh->role != GJ_ROLE_ROAD) continue;
        for (int32_t r = 0; r < sh->n_rings; r++) {
            const gj_ring *ring = &c->rings[sh->first_ring + r];
            for (int32_t i = 0; i + 1 < ring->n; i++)
                walk_segment(m, c->pts[ring->first + i], c->pts[ring->first + i + 1], sh->value);
        }
    }
    for (size_t i = 0; i < c->n_sites; i++) {
        pk_site s = c->sites[i];
        int32_t x = clamp_cell(floor((s.lon - m->lon0) / m->dlon), m->width);
        int32_t y = clamp_cell(floor((s.lat - m->lat0) / m->dlat), m->height);
        s.cell = y * m->width + x;
        if (pk_map_add_site(m, &s) < 0) {
            pk_map_free(m);
            fail_oom(c);
            return NULL;
        }
    }
    return m;
}

/* ---- entry points ------------------------------------------------------------------------ */

static pk_map *load_tree(gj_ctx *c, const cJSON *root) {
    if (!cJSON_IsObject(root))
        return fail(c, "$", "expected a GeoJSON object with \"type\": \"FeatureCollection\", got %s", describe(root)),
               NULL;
    const cJSON *type = member(root, "type");
    if (!cJSON_IsString(type))
        return fail(c, type ? "$.type" : "$", "expected \"type\": \"FeatureCollection\", got %s", describe(type)), NULL;
    const char *t = type->valuestring;
    if (strcmp(t, "Feature") == 0) {
        /* A single Feature is a collection of one; its paths start at "$". */
        if (!read_feature(c, root, "$")) return NULL;
        return rasterise(c, "$");
    }
    if (strcmp(t, "FeatureCollection") != 0) {
        static const char *const geoms[] = {"Point",        "MultiPoint",   "LineString",         "MultiLineString",
                                            "Polygon",      "MultiPolygon", "GeometryCollection"};
        for (size_t i = 0; i < sizeof geoms / sizeof geoms[0]; i++)
            if (strcmp(t, geoms[i]) == 0)
                return fail(c, "$.type",
                            "expected \"type\": \"FeatureCollection\" (or a single Feature), got a bare %s geometry; "
                            "wrap it in a Feature",
                            t),
                       NULL;
        return fail(c, "$.type", "expected \"type\": \"FeatureCollection\", got \"%s\"", t), NULL;
    }
    const cJSON *features = member(root, "features");
    if (!features) return fail(c, "$", "expected a \"features\" member (an array of Feature objects)"), NULL;
    if (!cJSON_IsArray(features))
        return fail(c, "$.features", "expected \"features\" to be an array of Feature objects, got %s",
                    describe(features)),
               NULL;
    int i = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, features) {
        char fpath[GJ_PATH_MAX];
        path_index(fpath, "$.features", i++);
        if (!read_feature(c, f, fpath)) return NULL;
    }
    return rasterise(c, "$.features");
}

pk_map *pk_geojson_load_string(const char *text, const char *display_name, const pk_geojson_options *opt,
                               pk_error *err) {
    pk_error scratch;
    gj_ctx c;
    memset(&c, 0, sizeof c);
    c.err = err ? err : &scratch;
    c.file = display_name ? display_name : "<string>";
    c.opt = opt ? *opt : pk_geojson_options_default();
    pk_error_clear(c.err);
    if (!(c.opt.cell_km > 0) || !isfinite(c.opt.cell_km))
        return fail(&c, NULL, "expected options.cell_km > 0 (km), got %g", c.opt.cell_km), NULL;
    if (c.opt.max_cells <= 0)
        return fail(&c, NULL, "expected options.max_cells > 0, got %ld", (long)c.opt.max_cells), NULL;
    if (!text) return fail(&c, NULL, "no text given: expected a GeoJSON FeatureCollection"), NULL;

    const char *body = text;
    if ((unsigned char)body[0] == 0xEF && (unsigned char)body[1] == 0xBB && (unsigned char)body[2] == 0xBF)
        body += 3; /* a UTF-8 byte-order mark, as some Windows tools write */
    const char *ws = body;
    while (*ws == ' ' || *ws == '\t' || *ws == '\r' || *ws == '\n') ws++;
    if (!*ws) return fail(&c, NULL, "empty input: expected a GeoJSON FeatureCollection"), NULL;

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(body, &end, 1);
    if (!root) {
        size_t len = strlen(text);
        if (!end || end < text || end > text + len) end = text + len;
        int line = 1;
        const char *ls = text;
        for (const char *s = text; s < end; s++)
            if (*s == '\n') {
                line++;
                ls = s + 1;
            }
        char near[24];
        size_t k = 0;
        for (const char *s = end; *s && *s != '\n' && *s != '\r' && k + 1 < sizeof near; s++) near[k++] = *s;
        near[k] = '\0';
        pk_error_set(c.err, c.file, line, NULL,
                     "not valid JSON: parse error at line %d, column %d%s%s%s (check for a missing comma or quote, "
                     "a trailing comma, or comments)",
                     line, (int)(end - ls) + 1, k ? " near \"" : " at the end of the input", near, k ? "\"" : "");
        return NULL;
    }
    c.text = text;
    pk_map *m = load_tree(&c, root);
    cJSON_Delete(root);
    ctx_free(&c);
    return m;
}

pk_map *pk_geojson_load_file(const char *path, const pk_geojson_options *opt, pk_error *err) {
    pk_error scratch;
    if (!err) err = &scratch;
    if (!path) {
        pk_error_set(err, NULL, 0, NULL, "no file name given: expected a GeoJSON file path");
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        pk_error_set(err, path, 0, NULL, "cannot open GeoJSON file \"%s\": %s", path, strerror(errno));
        return NULL;
    }
    /* Read in chunks rather than trusting ftell, so pipes and /dev/fd work too. */
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int failed = buf == NULL;
    while (!failed) {
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                failed = 1;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - 1 - len, fp);
        len += got;
        if (got == 0) break;
    }
    int read_error = ferror(fp);
    int saved_errno = errno;
    fclose(fp);
    if (failed) {
        free(buf);
        pk_error_set(err, path, 0, NULL, "out of memory while reading GeoJSON file \"%s\"", path);
        return NULL;
    }
    if (read_error) {
        free(buf);
        pk_error_set(err, path, 0, NULL, "cannot read GeoJSON file \"%s\": %s", path, strerror(saved_errno));
        return NULL;
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        free(buf);
        pk_error_set(err, path, 0, NULL, "GeoJSON file \"%s\" contains a NUL byte: expected UTF-8 text", path);
        return NULL;
    }
    pk_map *m = pk_geojson_load_string(buf, path, opt, err);
    free(buf);
    return m;
}
