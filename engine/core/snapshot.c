/* snapshot.c — the state hash and exact save / restore of a world into a memory buffer.
 * One table (STATE_FIELDS) lists every array of simulation state, so the hash, the save
 * and the restore cannot drift apart. Restoring treats the buffer as untrusted: every
 * length and index is checked, and bad data gives PK_ERR_INPUT, never a crash.
 * No file I/O here: callers write the buffer where they like. */
#include <stdlib.h>
#include <string.h>

#include "world_internal.h"

#define SAVE_MAGIC "PKOSIMSV"
#define SAVE_VERSION 4u /* 2: pk_command.after_step; 3: issue 3's state and the cause log; 4: issue 4's missions */

/* ------------------------------------------------------------------ state table */

typedef pk__field field;

/* Every fixed-size state array, in a fixed order. Unit arrays cover slots in use. */
static int state_fields(const pk_world *w, field *out) {
    size_t R = (size_t)w->n_regions, F = (size_t)w->n_factions, A = (size_t)w->n_agents, U = (size_t)w->u_slots;
    size_t G = (size_t)w->n_groups;
    int n = 0;
#define F_(p, count) out[n++] = (field){(void *)(p), (count) * sizeof *(p)}
    F_(w->params, (size_t)PK_PARAM_COUNT);
    F_(&w->political_progress, 1);
    F_(w->services, R);
    F_(w->needs_met, R);
    F_(w->violence, R);
    F_(w->insecurity, R);
    F_(w->active_prev, R);
    F_(w->trust, G * R * F);
    F_(w->consent, F);
    F_(w->fom, F);
    F_(w->readiness_mean, F);
    F_(w->cost_rate, F);
    F_(w->gap_rate, F);
    F_(w->recruit_pool, F);
    F_(w->a_group, A);
    F_(w->a_state, A);
    F_(w->a_home, A);
    F_(w->a_cell, A);
    F_(w->a_risk, A);
    F_(w->a_jail, A);
    F_(w->u_gen, U);
    F_(w->u_slot, U);
    F_(w->u_faction, U);
    F_(w->u_type, U);
    F_(w->u_task, U);
    F_(w->u_strength, U);
    F_(w->u_readiness, U);
    F_(w->u_cell, U);
    F_(w->u_target, U);
    F_(w->u_radius, U);
    F_(w->u_name, U);
    F_(w->needs, R * PK_NEED_COUNT);
    F_(w->resources, R);
    F_(w->control, R);
    F_(w->legit, G * R);
    F_(w->funds, F);
    F_(w->willingness, F);
    F_(w->withdrawn, F);
    F_(w->misinfo, F * F);
    F_(w->misinfo_region, F * F);
    F_(w->misinfo_event, F * F);
    F_(&w->legit_param, 1);
    F_(w->services_prev, R);
    F_(w->enmity, F * F);
    F_(w->reprisal, F);
    F_(w->u_goal, U);
    F_(w->u_home, U);
#undef F_
    n += pk__epstein_state_fields(w, out + n); /* Epstein's models: grid, cops, hardship, stream */
    return n;
}
enum { MAX_FIELDS = 64 };

/* ------------------------------------------------------------------ hash */

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, b + i, 8);
        h = pk_mix64(h ^ v);
    }
    uint64_t tail = 0;
    for (size_t k = 0; i < n; i++, k++) tail |= (uint64_t)b[i] << (8 * k);
    return pk_mix64(h ^ tail ^ ((uint64_t)n << 56));
}

uint64_t pk_world_hash(const pk_world *w) {
    field fs[MAX_FIELDS];
    int n = state_fields(w, fs);
    uint64_t h = hash_bytes(0x706b6f73696dULL, &w->day, sizeof w->day);
    h = hash_bytes(h, &w->def.seed, sizeof w->def.seed);
    for (int i = 0; i < n; i++) h = hash_bytes(h, fs[i].ptr, fs[i].bytes);
    /* state that lives outside the arrays: which slot the next unit takes, and the
     * faction settings commands can change */
    h = hash_bytes(h, w->u_free, (size_t)w->u_nfree * sizeof *w->u_free);
    for (int32_t f = 0; f < w->n_factions; f++) {
        const pk_faction_def *fd = &w->def.factions[f];
        h = hash_bytes(h, &fd->funding_share, sizeof fd->funding_share);
        h = hash_bytes(h, &fd->roe, sizeof fd->roe);
        h = hash_bytes(h, fd->mandate, sizeof fd->mandate);
        h = hash_bytes(h, &fd->exit_day, sizeof fd->exit_day);
        h = hash_bytes(h, &fd->gap_covered, sizeof fd->gap_covered);
    }
    return h;
}

/* ------------------------------------------------------------------ writer */

typedef struct writer {
    unsigned char *buf;
    size_t len, cap;
    int failed;
} writer;

static void put(writer *wr, const void *p, size_t n) {
    if (wr->failed) return;
    if (wr->len + n > wr->cap) {
        size_t ncap = wr->cap ? wr->cap : 4096;
        while (ncap < wr->len + n) ncap *= 2;
        unsigned char *nb = realloc(wr->buf, ncap);
        if (!nb) {
            wr->failed = 1;
            return;
        }
        wr->buf = nb;
        wr->cap = ncap;
    }
    if (n) memcpy(wr->buf + wr->len, p, n);
    wr->len += n;
}
static void put_u64(writer *wr, uint64_t v) { put(wr, &v, sizeof v); }

pk_status pk_world_save(const pk_world *w, void **buf, size_t *size) {
    writer wr = {0};
    const pk_map *m = w->map;
    size_t ncell = (size_t)w->n_cells;
    put(&wr, SAVE_MAGIC, 8);
    put_u64(&wr, SAVE_VERSION);
    /* the definition, with its pointer cleared so the bytes do not depend on addresses */
    pk_world_def def = w->def;
    def.map = NULL;
    def.epstein = NULL;
    put(&wr, &def, sizeof def);
    /* Epstein's models: a flag and the definition */
    put_u64(&wr, w->def.epstein ? 1u : 0u);
    if (w->def.epstein) put(&wr, w->def.epstein, sizeof *w->def.epstein);
    /* the map */
    int32_t hdr[4] = {m->width, m->height, m->n_regions, m->n_sites};
    put(&wr, hdr, sizeof hdr);
    double geo[5] = {m->cell_km, m->lon0, m->lat0, m->dlon, m->dlat};
    put(&wr, geo, sizeof geo);
    put(&wr, m->terrain, ncell);
    put(&wr, m->road, ncell);
    put(&wr, m->region, ncell * sizeof *m->region);
    put(&wr, m->regions, (size_t)m->n_regions * sizeof *m->regions);
    put(&wr, m->sites, (size_t)m->n_sites * sizeof *m->sites);
    /* scalar state */
    int32_t sc[4] = {w->day, w->u_slots, w->u_nfree, 0};
    put(&wr, sc, sizeof sc);
    field fs[MAX_FIELDS];
    int n = state_fields(w, fs);
    for (int i = 0; i < n; i++) put(&wr, fs[i].ptr, fs[i].bytes);
    put(&wr, w->u_free, (size_t)w->u_nfree * sizeof *w->u_free);
    put(&wr, w->ind_value, (size_t)w->n_ind * sizeof *w->ind_value);
    put(&wr, w->ind_total, (size_t)w->n_ind * sizeof *w->ind_total);
    /* logs: pending commands, applied commands, events */
    put_u64(&wr, w->n_queue);
    put(&wr, w->queue, w->n_queue * sizeof *w->queue);
    put_u64(&wr, w->n_log);
    put(&wr, w->log, w->n_log * sizeof *w->log);
    put_u64(&wr, w->n_events);
    put(&wr, w->events, w->n_events * sizeof *w->events);
    put_u64(&wr, w->n_causes);
    put(&wr, w->causes, w->n_causes * sizeof *w->causes);
    if (wr.failed) {
        free(wr.buf);
        return PK_ERR_RUNTIME;
    }
    *buf = wr.buf;
    *size = wr.len;
    return PK_OK;
}

/* ------------------------------------------------------------------ reader */

typedef struct reader {
    const unsigned char *p;
    size_t left;
    int failed;
} reader;

static int get(reader *rd, void *out, size_t n) {
    if (rd->failed || n > rd->left) {
        rd->failed = 1;
        return 0;
    }
    if (n) memcpy(out, rd->p, n);
    rd->p += n;
    rd->left -= n;
    return 1;
}

static int get_log(reader *rd, void **arr, size_t *count, size_t *cap, size_t elem) {
    uint64_t n;
    if (!get(rd, &n, sizeof n) || n > rd->left / elem) return rd->failed = 1, 0;
    free(*arr);
    *arr = NULL;
    *count = *cap = 0;
    if (n == 0) return 1;
    *arr = malloc((size_t)n * elem);
    if (!*arr) return rd->failed = 1, 0;
    *cap = *count = (size_t)n;
    return get(rd, *arr, (size_t)n * elem);
}

static pk_world *restore_fail(pk_world *w, pk_map *m, pk_error *err, const char *what) {
    pk_world_destroy(w);
    pk_map_free(m);
    pk_error_set(err, NULL, 0, "save", "not a valid pkosim save: %s", what);
    return NULL;
}

/* Are indices read from a save inside their arrays? */
static const char *check_restored(const pk_world *w) {
    for (int p = 0; p < PK_PARAM_COUNT; p++) {
        const pk_param_info *pi = pk_param_info_get((pk_param)p);
        if (!(w->params[p] >= pi->min && w->params[p] <= pi->max)) return "model parameter out of range";
    }
    for (int32_t a = 0; a < w->n_agents; a++) {
        if (w->a_state[a] >= PK_AGENT_STATE_COUNT || w->a_group[a] >= w->n_groups) return "agent state or group out of range";
        if (w->a_cell[a] < 0 || w->a_cell[a] >= w->n_cells || w->a_home[a] < 0 || w->a_home[a] >= w->n_cells)
            return "agent cell out of range";
        /* the phases index region arrays by the region of an agent's cell and home */
        if (w->map->region[w->a_cell[a]] < 0 || w->map->region[w->a_home[a]] < 0) return "agent outside every region";
    }
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (w->u_slot[s] > PK_SLOT_LIVE) return "unit slot state out of range";
        if (w->u_slot[s] == PK_SLOT_FREE) continue;
        if (w->u_faction[s] < 0 || w->u_faction[s] >= w->n_factions || w->u_type[s] >= PK_UNIT_TYPE_COUNT ||
            w->u_task[s] >= PK_TASK_COUNT)
            return "unit faction, type or task out of range";
        if (w->u_slot[s] == PK_SLOT_LIVE && (w->u_cell[s] < 0 || w->u_cell[s] >= w->n_cells || w->map->region[w->u_cell[s]] < 0))
            return "unit cell out of range";
        if (w->u_target[s] < -1 || w->u_target[s] >= w->n_regions) return "unit target out of range";
        if (w->u_goal[s] < -1 || w->u_goal[s] >= w->n_regions) return "unit goal out of range";
        if (w->u_slot[s] == PK_SLOT_LIVE && (w->u_home[s] < 0 || w->u_home[s] >= w->n_regions)) return "unit sector out of range";
        /* strength stays below INT32_MAX / 2 so recruits (<= 1e9 persons) cannot overflow it */
        if (w->u_strength[s] < 0 || w->u_strength[s] > INT32_MAX / 2 || !(w->u_readiness[s] >= 0.f && w->u_readiness[s] <= 1.f))
            return "unit strength or readiness out of range";
        w->u_name[s][PK_NAME_MAX - 1] = '\0';
    }
    for (int32_t i = 0; i < w->n_factions * w->n_factions; i++)
        if (!(w->enmity[i] >= 0.f && w->enmity[i] <= 1.f)) return "enmity out of range";
    for (int32_t f = 0; f < w->n_factions; f++)
        if (!(w->reprisal[f] >= 0.f && w->reprisal[f] <= 1e9f)) return "reprisal out of range";
    for (int32_t i = 0; i < w->u_nfree; i++)
        if (w->u_free[i] < 0 || w->u_free[i] >= w->u_slots || w->u_slot[w->u_free[i]] != PK_SLOT_FREE)
            return "free-slot list inconsistent";
    /* queued commands pass the checks pk_world_command applies; texts end in NUL */
    for (size_t i = 0; i < w->n_queue; i++) {
        pk_command *c = &w->queue[i];
        c->text[sizeof c->text - 1] = '\0';
        c->unit_def.name[PK_NAME_MAX - 1] = '\0';
        pk_error cerr;
        if (pk__command_check(w, c, &cerr) != PK_OK) return "queued command out of range";
    }
    for (size_t i = 0; i < w->n_log; i++) w->log[i].text[sizeof w->log[i].text - 1] = '\0';
    for (size_t i = 0; i < w->n_events; i++) {
        pk_event *e = &w->events[i];
        e->text[sizeof e->text - 1] = '\0';
        /* the output writers index names by these */
        if ((unsigned)e->type >= PK_EV_TYPE_COUNT || e->region < -1 || e->region >= w->n_regions || e->faction < -1 ||
            e->faction >= w->n_factions || e->target_faction < -1 || e->target_faction >= w->n_factions || e->group < -1 ||
            e->group >= w->n_groups || e->by_group < -1 || e->by_group >= w->n_groups || e->cell < -1 || e->cell >= w->n_cells)
            return "event fields out of range";
    }
    /* issue 3's state: indices and levels in range */
    for (int32_t f = 0; f < w->n_factions; f++) {
        if (w->withdrawn[f] > 1 || !(w->willingness[f] >= 0.f && w->willingness[f] <= 1.f)) return "faction state out of range";
        for (int32_t t = 0; t < w->n_factions; t++) {
            size_t i = (size_t)f * w->n_factions + t;
            if (!(w->misinfo[i] >= 0.f && w->misinfo[i] <= 1.f) || w->misinfo_region[i] < -1 ||
                w->misinfo_region[i] >= w->n_regions || w->misinfo_event[i] < -1 || (uint64_t)((int64_t)w->misinfo_event[i] + 1) > (uint64_t)w->n_events)
                return "misinformation state out of range";
        }
    }
    for (size_t i = 0; i < w->n_causes; i++) {
        const pk_cause *c = &w->causes[i];
        if (c->region < -1 || c->region >= w->n_regions || c->group < -1 || c->group >= w->n_groups || c->faction < -1 ||
            c->faction >= w->n_factions || c->indicator >= PK_CI_COUNT || c->cause >= PK_CAUSE_COUNT || c->event < -1 ||
            (uint64_t)((int64_t)c->event + 1) > (uint64_t)w->n_events)
            return "cause record out of range";
    }
    return NULL;
}

pk_world *pk_world_restore(const void *buf, size_t size, pk_error *err) {
    pk_error_clear(err);
    reader rd = {buf, size, 0};
    char magic[8];
    uint64_t version;
    pk_world_def def;
    pk_map *m = NULL;
    pk_world *w = NULL;
    if (!get(&rd, magic, 8) || memcmp(magic, SAVE_MAGIC, 8) != 0) return restore_fail(w, m, err, "wrong magic");
    if (!get(&rd, &version, sizeof version) || version != SAVE_VERSION) return restore_fail(w, m, err, "unsupported version");
    if (!get(&rd, &def, sizeof def)) return restore_fail(w, m, err, "truncated definition");
    uint64_t has_ep;
    pk_epstein_def ep_def;
    def.epstein = NULL;
    if (!get(&rd, &has_ep, sizeof has_ep) || has_ep > 1 || (has_ep && !get(&rd, &ep_def, sizeof ep_def)))
        return restore_fail(w, m, err, "truncated definition");
    if (has_ep) def.epstein = &ep_def;
    int32_t hdr[4];
    double geo[5];
    if (!get(&rd, hdr, sizeof hdr) || !get(&rd, geo, sizeof geo)) return restore_fail(w, m, err, "truncated map");
    if (hdr[0] <= 0 || hdr[1] <= 0 || (int64_t)hdr[0] * hdr[1] > 100000000 || hdr[2] <= 0 || hdr[2] > PK_MAX_REGIONS ||
        hdr[3] < 0 || hdr[3] > 1000000)
        return restore_fail(w, m, err, "map size out of range");
    m = pk_map_create(hdr[0], hdr[1]);
    if (!m) return restore_fail(w, m, err, "out of memory");
    size_t ncell = (size_t)hdr[0] * (size_t)hdr[1];
    m->cell_km = geo[0];
    m->lon0 = geo[1];
    m->lat0 = geo[2];
    m->dlon = geo[3];
    m->dlat = geo[4];
    if (!get(&rd, m->terrain, ncell) || !get(&rd, m->road, ncell) || !get(&rd, m->region, ncell * sizeof *m->region))
        return restore_fail(w, m, err, "truncated map cells");
    for (int32_t i = 0; i < hdr[2]; i++) {
        pk_region_info ri;
        if (!get(&rd, &ri, sizeof ri)) return restore_fail(w, m, err, "truncated regions");
        ri.id[PK_ID_MAX - 1] = ri.name[PK_NAME_MAX - 1] = '\0';
        if (pk_map_add_region(m, ri.id, ri.name) < 0) return restore_fail(w, m, err, "bad regions");
    }
    for (int32_t i = 0; i < hdr[3]; i++) {
        pk_site s;
        if (!get(&rd, &s, sizeof s)) return restore_fail(w, m, err, "truncated sites");
        s.name[PK_NAME_MAX - 1] = '\0';
        if (s.cell < 0 || (size_t)s.cell >= ncell || (unsigned)s.kind >= PK_SITE_COUNT) return restore_fail(w, m, err, "bad site");
        if (pk_map_add_site(m, &s) < 0) return restore_fail(w, m, err, "out of memory");
    }
    for (size_t c = 0; c < ncell; c++)
        if (m->region[c] < -1 || m->region[c] >= hdr[2] || m->terrain[c] >= PK_TERRAIN_COUNT)
            return restore_fail(w, m, err, "cell data out of range");
    for (int g = 0; g < PK_MAX_GROUPS; g++) {
        def.groups[g].id[PK_ID_MAX - 1] = def.groups[g].name[PK_NAME_MAX - 1] = '\0';
    }
    for (int f = 0; f < PK_MAX_FACTIONS; f++) {
        def.factions[f].id[PK_ID_MAX - 1] = def.factions[f].name[PK_NAME_MAX - 1] = '\0';
    }
    if (def.n_groups < 0 || def.n_groups > PK_MAX_GROUPS) return restore_fail(w, m, err, "group count out of range");
    for (int g = 0; g < def.n_groups; g++)
        for (int r = hdr[2]; r < PK_MAX_REGIONS; r++)
            if (def.groups[g].agents_per_region[r] != 0) return restore_fail(w, m, err, "agents in unknown regions");
    def.map = m;
    pk_error inner;
    w = pk_world_create(&def, &inner);
    if (!w) return restore_fail(w, m, err, inner.msg);
    pk_map_free(m);
    m = NULL;

    int32_t sc[4];
    if (!get(&rd, sc, sizeof sc)) return restore_fail(w, m, err, "truncated state");
    if (sc[0] < 0 || sc[1] < 0 || sc[1] > 10000000 || sc[2] < 0 || sc[2] > sc[1])
        return restore_fail(w, m, err, "state counters out of range");
    w->day = sc[0];
    if (!pk__units_reserve(w, sc[1])) return restore_fail(w, m, err, "out of memory");
    w->u_slots = sc[1];
    w->u_nfree = sc[2];
    field fs[MAX_FIELDS];
    int n = state_fields(w, fs);
    for (int i = 0; i < n; i++)
        if (!get(&rd, fs[i].ptr, fs[i].bytes)) return restore_fail(w, m, err, "truncated state arrays");
    if (!get(&rd, w->u_free, (size_t)w->u_nfree * sizeof *w->u_free) ||
        !get(&rd, w->ind_value, (size_t)w->n_ind * sizeof *w->ind_value) ||
        !get(&rd, w->ind_total, (size_t)w->n_ind * sizeof *w->ind_total))
        return restore_fail(w, m, err, "truncated state arrays");
    if (!get_log(&rd, (void **)&w->queue, &w->n_queue, &w->cap_queue, sizeof *w->queue) ||
        !get_log(&rd, (void **)&w->log, &w->n_log, &w->cap_log, sizeof *w->log) ||
        !get_log(&rd, (void **)&w->events, &w->n_events, &w->cap_events, sizeof *w->events) ||
        !get_log(&rd, (void **)&w->causes, &w->n_causes, &w->cap_causes, sizeof *w->causes))
        return restore_fail(w, m, err, "truncated logs");
    if (rd.left != 0) return restore_fail(w, m, err, "trailing bytes");
    const char *bad = check_restored(w);
    if (!bad) bad = pk__epstein_restored(w);
    if (bad) return restore_fail(w, m, err, bad);
    w->agents_dirty = 1;
    pk__aggregate_regions(w);
    return w;
}
