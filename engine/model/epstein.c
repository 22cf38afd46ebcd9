/* epstein.c — Epstein's civil-violence models (Epstein 2002, PNAS 99 suppl 3) as a kind of
 * world: Model I (citizens and cops on a torus) and Model II (two groups that kill each
 * other, and peacekeepers). Every rule here names its source; docs/MODEL.md ("Epstein
 * models") lists them all.
 *
 * Two activation schemes:
 *   - random_sequential (Epstein's, and Mesa's `shuffle_do`): one shuffled order over cops
 *     and citizens each step, every agent acting on the state its predecessors left; one
 *     sequential random stream; inherently serial. The vision counts (cops and actives in
 *     each cell's vision) are kept up to date incrementally.
 *   - parallel: synchronous phases (decide, kill, arrest, move) that read the state the
 *     previous phase left; every draw is a counter-based function of (day, agent), movement
 *     conflicts go to the lowest random priority, so the result does not depend on the
 *     number of threads or the order of work. The vision counts are rebuilt each step.
 * Data-oriented: struct of arrays, an occupancy grid for "empty cell", precomputed vision
 * offsets, no allocation in a step, no Lua. Never reads a clock. */
#ifdef PK_EP_PHASE_TIMES
#define _POSIX_C_SOURCE 200809L /* clock_gettime, for the benchmark build's phase times */
#endif
#include <math.h>
#include <pthread.h>
#include <sched.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/* AVX2 versions of the widest loops, compiled for AVX2 whatever the build's target and used
 * only when the processor has it (ep->avx2, checked at creation): the same integer
 * arithmetic on 16 lanes instead of 8, so the same results (tested). */
#define PK_EP_AVX2 1
#define AVX2_FN __attribute__((target("avx2")))
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epstein_internal.h"

enum { TILE = 8, MAX_THREADS = 64, ACT = 1 << 16 };
/* what is on a cell (ep->cst) */
enum { CS_EMPTY = 0, CS_QUIET, CS_ACTIVE, CS_JAILED, CS_COP };

/* ------------------------------------------------------------------ definitions */

static const char *const nb_names[] = {"moore", "von_neumann", "disc", NULL};
static const char *const rounding_names[] = {"none", "floor", "round", NULL};
static const char *const schedule_names[] = {"constant", "gradual", "jump", NULL};
static const char *const jail_names[] = {"below_max", "up_to_max", NULL};
static const char *const activation_names[] = {"random_sequential", "parallel", NULL};

static int name_index(const char *const *names, const char *s) {
    for (int i = 0; s && names[i]; i++)
        if (strcmp(names[i], s) == 0) return i;
    return -1;
}
const char *pk_ep_neighbourhood_name(pk_ep_neighbourhood n) { return (unsigned)n < 3 ? nb_names[n] : NULL; }
int pk_ep_neighbourhood_from_name(const char *s) { return name_index(nb_names, s); }
const char *pk_ep_rounding_name(pk_ep_rounding r) { return (unsigned)r < 3 ? rounding_names[r] : NULL; }
int pk_ep_rounding_from_name(const char *s) { return name_index(rounding_names, s); }
const char *pk_ep_schedule_name(pk_ep_schedule s) { return (unsigned)s < 3 ? schedule_names[s] : NULL; }
int pk_ep_schedule_from_name(const char *s) { return name_index(schedule_names, s); }
const char *pk_ep_jail_draw_name(pk_ep_jail_draw j) { return (unsigned)j < 2 ? jail_names[j] : NULL; }
int pk_ep_jail_draw_from_name(const char *s) { return name_index(jail_names, s); }
const char *pk_ep_activation_name(pk_ep_activation a) { return (unsigned)a < 2 ? activation_names[a] : NULL; }
int pk_ep_activation_from_name(const char *s) { return name_index(activation_names, s); }

pk_epstein_def pk_epstein_def_default(void) {
    pk_epstein_def d;
    memset(&d, 0, sizeof d);
    d.model = 1;
    d.width = d.height = 40;
    d.citizen_density = 0.7;
    d.cop_density = 0.04;
    d.vision = 7;
    d.neighbourhood = PK_EP_MOORE;
    d.legitimacy = d.legitimacy_end = 0.82;
    d.legitimacy_schedule = PK_EP_LEGIT_CONSTANT;
    d.jump_day = 1;
    d.days = 500;
    d.max_jail = 30;
    d.jail_draw = PK_EP_JAIL_BELOW_MAX;
    d.threshold = 0.1;
    d.k = 2.3;
    d.arrest_rounding = PK_EP_ROUND_FLOOR;
    d.movement = 1;
    d.activation = PK_EP_RANDOM_SEQUENTIAL;
    d.group_share = 0.5;
    d.peacekeeper_density = 0.0;
    d.withdraw_day = 0;
    return d;
}

#define IN(v, lo, hi) ((v) >= (lo) && (v) <= (hi))

pk_status pk_epstein_def_check(const pk_epstein_def *d, pk_error *err) {
    if (d->model != 1 && d->model != 2) return pk_error_set(err, NULL, 0, "epstein.model", "expected 1 or 2, got %d", d->model);
    if (!IN(d->vision, 1, 20)) return pk_error_set(err, NULL, 0, "epstein.vision", "expected 1..20 cells, got %d", d->vision);
    if (!IN(d->width, 3, 20000) || !IN(d->height, 3, 20000))
        return pk_error_set(err, NULL, 0, "epstein.width", "expected 3..20000 cells a side, got %dx%d", d->width, d->height);
    if (d->width < 2 * d->vision + 1 || d->height < 2 * d->vision + 1)
        return pk_error_set(err, NULL, 0, "epstein.width", "the torus must be at least 2*vision+1 = %d cells a side",
                            2 * d->vision + 1);
    if ((int64_t)d->width * d->height > 100000000)
        return pk_error_set(err, NULL, 0, "epstein.width", "expected at most 1e8 cells");
    double cops = d->model == 2 ? d->peacekeeper_density : d->cop_density;
    if (!IN(d->citizen_density, 0.0, 1.0) || !IN(cops, 0.0, 1.0) || !(d->citizen_density + cops <= 1.0))
        return pk_error_set(err, NULL, 0, "epstein.citizen_density",
                            "expected densities in [0, 1] whose sum is at most 1, got %g + %g", d->citizen_density, cops);
    if (!IN(d->legitimacy, 0.0, 1.0) || !IN(d->legitimacy_end, 0.0, 1.0))
        return pk_error_set(err, NULL, 0, "epstein.legitimacy", "expected legitimacy in [0, 1]");
    if ((unsigned)d->neighbourhood > PK_EP_DISC || (unsigned)d->arrest_rounding > PK_EP_ROUND_HALF_EVEN ||
        (unsigned)d->legitimacy_schedule > PK_EP_LEGIT_JUMP || (unsigned)d->jail_draw > PK_EP_JAIL_UP_TO_MAX ||
        (unsigned)d->activation > PK_EP_PARALLEL)
        return pk_error_set(err, NULL, 0, "epstein", "unknown neighbourhood, rounding, schedule, jail draw or activation");
    if (!IN(d->jump_day, 1, 1000000) || !IN(d->days, 1, 1000000) || !IN(d->withdraw_day, 0, 1000000))
        return pk_error_set(err, NULL, 0, "epstein.jump_day", "expected jump_day, days >= 1 and withdraw_day >= 0");
    if (!IN(d->max_jail, 0, 65535)) return pk_error_set(err, NULL, 0, "epstein.max_jail", "expected 0..65535, got %d", d->max_jail);
    if (!IN(d->threshold, -10.0, 10.0) || !IN(d->k, 0.0, 1000.0))
        return pk_error_set(err, NULL, 0, "epstein.k", "expected threshold in [-10, 10] and k in [0, 1000]");
    if (!(d->group_share > 0.0 && d->group_share < 1.0))
        return pk_error_set(err, NULL, 0, "epstein.group_share", "expected a share in (0, 1)");
    return PK_OK;
}

double pk_epstein_legitimacy(const pk_epstein_def *d, int32_t day) {
    switch (d->legitimacy_schedule) {
    case PK_EP_LEGIT_JUMP:
        return day >= d->jump_day ? d->legitimacy_end : d->legitimacy;
    case PK_EP_LEGIT_GRADUAL:
        if (day <= 1) return d->legitimacy;
        if (day >= d->days) return d->legitimacy_end;
        return d->legitimacy + (d->legitimacy_end - d->legitimacy) * (double)(day - 1) / (double)(d->days - 1);
    default:
        return d->legitimacy;
    }
}

/* ------------------------------------------------------------------ the torus */

static inline int32_t wrapi(int32_t v, int32_t n) { return v < 0 ? v + n : (v >= n ? v - n : v); }
/* the cell (x + dx, y + dy) on the torus through the wrap tables, |dx|, |dy| <= vision */
static inline int32_t cell_xy(const pk_ep_state *ep, int32_t x, int32_t y, int32_t dx, int32_t dy) {
    const int32_t v = ep->def.vision;
    return ep->yw[y + dy + v] + ep->xw[x + dx + v];
}

/* Add d to the field over the vision of cell c (centre excluded). Serial activation: on the
 * pad's layout every row of the vision is one contiguous run, updated pk cells at a time
 * under a mask (fixed trip count: no branch on the shape or the wrap). */
static void vision_add(pk_ep_state *ep, int32_t c, uint32_t d) {
    if (ep->pfc && (d == 1u || d == (uint32_t)-1)) { /* a cop: the byte plane, 16 cells a block */
        const int32_t v = ep->def.vision, pk8 = ep->pk8, pw = ep->pw, p = ep->pcopy[4 * c];
        uint8_t *row = ep->pfc + p - v * pw - v;
        const uint8_t *m = ep->vmask8;
#if defined(__SSE2__)
        const __m128i dv = _mm_set1_epi8((char)(uint8_t)d);
        for (int32_t r = 0; r <= 2 * v; r++, row += pw, m += pk8)
            for (int32_t k = 0; k < pk8; k += 16) {
                __m128i cur = _mm_loadu_si128((const __m128i *)(const void *)(row + k));
                __m128i add = _mm_and_si128(dv, _mm_loadu_si128((const __m128i *)(const void *)(m + k)));
                _mm_storeu_si128((__m128i *)(void *)(row + k), _mm_add_epi8(cur, add));
            }
#else
        for (int32_t r = 0; r <= 2 * v; r++, row += pw, m += pk8)
            for (int32_t k = 0; k < pk8; k++) row[k] = (uint8_t)(row[k] + ((uint8_t)d & m[k]));
#endif
        ep->pfc[p] = (uint8_t)(ep->pfc[p] - (uint8_t)d);
        return;
    }
    if (ep->pf) {
        const int32_t v = ep->def.vision, pk = ep->pk, pw = ep->pw, p = ep->pcopy[4 * c];
        uint32_t *row = ep->pf + p - v * pw - v;
        const uint32_t *m = ep->vmask;
#if defined(__SSE2__)
        const __m128i dv = _mm_set1_epi32((int)d);
        for (int32_t r = 0; r <= 2 * v; r++, row += pw, m += pk)
            for (int32_t k = ep->vk[r] & 0xff, ke = ep->vk[r] >> 8; k < ke; k += 4) { /* the blocks of 4 the row touches */
                __m128i cur = _mm_loadu_si128((const __m128i *)(const void *)(row + k));
                __m128i add = _mm_and_si128(dv, _mm_loadu_si128((const __m128i *)(const void *)(m + k)));
                _mm_storeu_si128((__m128i *)(void *)(row + k), _mm_add_epi32(cur, add));
            }
#else
        for (int32_t r = 0; r <= 2 * v; r++, row += pw, m += pk)
            for (int32_t k = 0; k < pk; k++) row[k] += d & m[k];
#endif
        ep->pf[p] -= d;
        return;
    }
    const int32_t W = ep->W, v = ep->def.vision, x = c % W, y = c / W;
    const int32_t *xw = ep->xw + x + v; /* xw[dx], dx in [-v, v]: the wrapped column */
    for (int32_t r = 0; r <= 2 * v; r++) {
        const int32_t h = ep->hw[r];
        uint32_t *row = ep->field + ep->yw[y + r];
        for (int32_t dx = -h; dx <= h; dx++) row[xw[dx]] += d; /* no branch on the wrap */
    }
    ep->field[c] -= d;
}

/* Visit the cells in the vision of c (centre excluded), in a fixed order: rows from
 * dy = -v, cells from dx = -h. `fn` returns nonzero to stop. Returns the cell it stopped at. */
#define FOR_VISION(ep, c, cellvar, body)                                                    \
    do {                                                                                    \
        const int32_t W_ = (ep)->W, v_ = (ep)->def.vision;                                  \
        const int32_t x_ = (c) % W_, y_ = (c) / W_;                                         \
        const int32_t *xw_ = (ep)->xw + x_ + v_;                                            \
        for (int32_t r_ = 0; r_ <= 2 * v_; r_++) {                                          \
            int32_t h_ = (ep)->hw[r_];                                                      \
            if (h_ < 0) continue;                                                           \
            int32_t base_ = (ep)->yw[y_ + r_];                                              \
            for (int32_t dx_ = -h_; dx_ <= h_; dx_++) {                                     \
                if (dx_ == 0 && r_ == v_) continue;                                         \
                int32_t cellvar = base_ + xw_[dx_];                                         \
                body                                                                        \
            }                                                                               \
        }                                                                                   \
    } while (0)

/* ------------------------------------------------------------------ rules */

/* Epstein 2002 Model I: estimated arrest probability P = 1 - exp(-k (C/A)), C cops and A
 * actives in vision, A counting the citizen itself (so A >= 1). NetLogo floors C/A; Mesa
 * rounds it (half to even, Python's round); the paper prints no rounding. */
static inline double arrest_p(const pk_ep_state *ep, uint32_t f) {
    uint32_t C = f & 0xffffu, A = 1u + (f >> 16);
    if (C == 0) return 0.0;
    switch (ep->def.arrest_rounding) {
    case PK_EP_ROUND_FLOOR:
        return ep->ptab[A == 1 ? C : C / A]; /* A == 1 (no active in sight) is the usual case: no division */
    case PK_EP_ROUND_HALF_EVEN: {
        if (A == 1) return ep->ptab[C];
        uint32_t q = C / A, r = C % A;
        if (2 * r > A || (2 * r == A && (q & 1u))) q++;
        return ep->ptab[q];
    }
    default:
        return 1.0 - exp(-ep->def.k * (double)C / (double)A);
    }
}

/* Rule A with P = ptab[q] */
static inline int rule_a_q(const pk_ep_state *ep, const pk_world *w, int32_t a, double one_minus_l, uint32_t q) {
    double G = (double)ep->hardship[a] * one_minus_l;
    return G - (double)w->a_risk[a] * ep->ptab[q] > ep->def.threshold;
}

/* Rule A: active when grievance G = H (1 - L) minus net risk R P exceeds T. */
static inline int rule_a(const pk_ep_state *ep, const pk_world *w, int32_t a, double one_minus_l, uint32_t f) {
    double G = (double)ep->hardship[a] * one_minus_l;
    return G - (double)w->a_risk[a] * arrest_p(ep, f) > ep->def.threshold;
}

/* The arrest probability's table index q (rounded C/A) under floor or half-even rounding:
 * P = ptab[q] (C = 0 gives q = 0 and ptab[0] = 0). */
static inline uint32_t arrest_q(const pk_ep_state *ep, uint32_t f) {
    uint32_t C = f & 0xffffu, A = 1u + (f >> 16);
    if (A == 1) return C;
    uint32_t q = C / A;
    if (ep->def.arrest_rounding == PK_EP_ROUND_HALF_EVEN) {
        uint32_t r = C % A;
        if (2 * r > A || (2 * r == A && (q & 1u))) q++;
    }
    return q;
}

/* Rule A as one integer comparison: under floor or half-even rounding P takes only the values
 * ptab[0..n_off], and rule A's G - R ptab[q] > T (the same double expression) is monotone in
 * q, so a citizen is active exactly when q < qmax[a], the first q where it fails. The table
 * holds for one legitimacy (qmax_l); it is rebuilt when legitimacy has held for two days (a
 * gradual schedule, which changes it daily, keeps the direct rule). */
static void qmax_fill(pk_world *w, pk_ep_state *ep, double one_minus_l, int32_t a0, int32_t a1) {
    const uint32_t N = (uint32_t)ep->n_off + 1; /* q in [0, N): the answer, the first q that fails, is in [0, N] */
    enum { B = 8 }; /* citizens bisected side by side: their steps' chains of loads and arithmetic overlap */
    for (int32_t a = a0; a < a1; a += B) {
        const int32_t nb = a1 - a < B ? a1 - a : B;
        /* a bisection whose steps are selects, not branches (which would be mispredicted half
         * the time): each answer stays in [lo, lo + n], lo + n <= N */
        uint32_t lo[B] = {0}, n = N;
        while (n > 1) {
            const uint32_t half = n / 2;
            for (int32_t i = 0; i < nb; i++) lo[i] = rule_a_q(ep, w, a + i, one_minus_l, lo[i] + half - 1) ? lo[i] + half : lo[i];
            n -= half;
        }
        for (int32_t i = 0; i < nb; i++) ep->qmax[a + i] = (uint16_t)(lo[i] + (uint32_t)rule_a_q(ep, w, a + i, one_minus_l, lo[i]));
    }
}

/* 0: the direct rule today; 1: the table holds; 2: fill the table for one_minus_l (every
 * citizen, qmax_fill), then set qmax_l, and it holds */
static int qmax_check(pk_ep_state *ep, double one_minus_l) {
    if (!ep->qmax || ep->def.arrest_rounding == PK_EP_ROUND_NONE) return 0;
    if (ep->qmax_l == one_minus_l) return 1;
    int steady = ep->qmax_prev == one_minus_l;
    ep->qmax_prev = one_minus_l;
    return steady ? 2 : 0;
}

static int qmax_ready(pk_world *w, pk_ep_state *ep, double one_minus_l) {
    const int q = qmax_check(ep, one_minus_l);
    if (q == 2) {
        qmax_fill(w, ep, one_minus_l, 0, ep->n_cit);
        ep->qmax_l = one_minus_l;
    }
    return q != 0;
}

static inline uint16_t jail_term(const pk_ep_state *ep, uint64_t u) {
    uint64_t n = ep->def.jail_draw == PK_EP_JAIL_UP_TO_MAX ? (uint64_t)ep->def.max_jail + 1 : (uint64_t)ep->def.max_jail;
    return n ? (uint16_t)(u % n) : 0;
}

/* Can this citizen be killed (Model II): of the other group, alive, not in jail, and with no
 * peacekeeper in its own vision (the protection that makes safe havens; assumption). */
#define killable(w, o, n_cit, other_group)                                                                     \
    ((o) >= 0 && (o) < (n_cit) && (w)->a_group[o] == (other_group) && (w)->a_state[o] != PK_AGENT_DEAD &&     \
     (w)->a_state[o] != PK_AGENT_JAILED && (field_at(ep, (w)->a_cell[o]) & 0xffffu) == 0)

/* Model II flight (assumption, DESIGN §3 "flight ... when violence nearby passes a personal
 * threshold", the threshold here being any danger in sight): a quiet citizen of group g on
 * cell c is threatened when an active member of the other group stands in its vision. */
#define THREATENED(ep, w, c, g, result, is_active_expr)                                                    \
    do {                                                                                                   \
        result = 0;                                                                                        \
        FOR_VISION(ep, c, nc_, {                                                                           \
            int32_t o = (ep)->occ[nc_];                                                                    \
            if (!result && o >= 0 && o < (ep)->n_cit && (w)->a_group[o] != (g) && (is_active_expr)) result = 1; \
        });                                                                                                \
    } while (0)

/* The protected empty cells in the vision of c: empty, with a peacekeeper in their own
 * vision (the field's cop count; Model II's peacekeepers hold their posts, so it is exact).
 * With k < 0 returns their number, else the offset index (odx, ody) of the k-th of them. */
static int32_t protected_cells(const pk_ep_state *ep, int32_t c, int32_t k, int use_cst) {
    int32_t n = 0, found = -1, i = 0;
    FOR_VISION(ep, c, nc, { /* FOR_VISION visits the offsets in odx, ody order */
        int empty = use_cst ? ep->cst[nc] == CS_EMPTY : ep->occ[nc] < 0;
        if (empty && (field_at(ep, nc) & 0xffffu) != 0) {
            if (found < 0 && n == k) found = i;
            n++;
        }
        i++;
    });
    return k >= 0 ? found : n;
}

/* ------------------------------------------------------------------ random sequential */

/* the engine's sequential stream, inlined (pkosim/rng.h) */
static inline uint64_t rnext(pk_rng *r) { return pk_rng_next_inline(r); }

/* Uniform integer in [0, n) from the 32 random bits u, n < 2^32, unbiased (Lemire 2019:
 * multiply, and in the rare case l < n reject with fresh bits from r). */
static inline uint32_t lemire(pk_rng *r, uint32_t u, uint32_t n) {
    uint64_t m = (uint64_t)u * n;
    uint32_t l = (uint32_t)m;
    if (l < n) {
        uint32_t t = (uint32_t)(-n) % n;
        while (l < t) {
            m = (rnext(r) >> 32) * (uint64_t)n;
            l = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

static inline uint32_t below(pk_rng *r, uint32_t n) { return lemire(r, (uint32_t)(rnext(r) >> 32), n); }

/* Mark cell c empty (1) or occupied (0) in pad, in every copy of it (1, 2 or 4): four
 * stores, the missing copies landing on the cell itself (no branch, no division). */
static inline void pad_mark(pk_ep_state *ep, int32_t c, uint8_t empty) {
    const int32_t *q = ep->pcopy + 4 * (size_t)c;
    ep->pad[q[0]] = empty;
    ep->pad[q[1]] = empty;
    ep->pad[q[2]] = empty;
    ep->pad[q[3]] = empty;
}

/* The pad's index tables (once, at creation) and its contents (from occ). */
static void pad_build(pk_ep_state *ep) {
    if (!ep->pad) return;
    const int32_t W = ep->W, H = ep->H, v = ep->def.vision, pw = ep->pw;
    for (int32_t y = 0; y < H + 2 * v; y++)
        for (int32_t x = 0; x < pw; x++) ep->pcell[y * pw + x] = wrapi(y - v, H) * W + wrapi(x - v, W);
    const int32_t none = ep->pnone;
    for (int32_t c = 0; c < ep->n_cells; c++) {
        int32_t x = c % W, y = c / W, p = (y + v) * pw + x + v;
        int32_t xa = x < v ? W : x >= W - v ? -W : 0, ya = y < v ? H * pw : y >= H - v ? -H * pw : 0;
        int32_t *q = ep->pcopy + 4 * (size_t)c;
        q[0] = p; /* a missing copy is the spare entry past the pad (kept 0 in pf) */
        q[1] = xa ? p + xa : none;
        q[2] = ya ? p + ya : none;
        q[3] = xa && ya ? p + xa + ya : none;
    }
    for (int32_t c = 0; c < ep->n_cells; c++) pad_mark(ep, c, ep->occ[c] < 0);
}

/* Set the occupant of cell c (-1 empty), keeping pad in step. */
static inline void occ_set(pk_ep_state *ep, int32_t c, int32_t id) {
    if (ep->pad && (ep->occ[c] < 0) != (id < 0)) pad_mark(ep, c, id < 0);
    ep->occ[c] = id;
}

static int32_t empty_serial(pk_ep_state *ep, int32_t c) {
    /* rejection draws (four per round from two 64-bit draws, each exactly uniform over the
     * vision; the first empty one is taken) are exactly uniform over the empty cells; the
     * scan below is the same distribution when the vision is (nearly) full. Four at a time
     * so that the loads overlap and the exit branch is taken on most first rounds. */
    const uint32_t n_off = (uint32_t)ep->n_off;
    const int32_t p = ep->pcopy[4 * (size_t)c];
    const uint8_t *pad = ep->pad;
    const int32_t *poff = ep->poff;
    pk_rng r = ep->rng; /* a local copy stays in registers */
    for (int t = 0; t < 6; t++) {
        uint64_t u = rnext(&r), u2 = rnext(&r);
        int32_t i1 = p + poff[lemire(&r, (uint32_t)u, n_off)], i2 = p + poff[lemire(&r, (uint32_t)(u >> 32), n_off)];
        int32_t i3 = p + poff[lemire(&r, (uint32_t)u2, n_off)], i4 = p + poff[lemire(&r, (uint32_t)(u2 >> 32), n_off)];
        const unsigned m = (unsigned)pad[i1] | (unsigned)pad[i2] << 1 | (unsigned)pad[i3] << 2 | (unsigned)pad[i4] << 3;
        if (m) { /* the first empty of the four, by mask: no chain of unpredictable branches */
            const int32_t q[4] = {i1, i2, i3, i4};
            ep->rng = r;
            return ep->pcell[q[__builtin_ctz(m)]];
        }
    }
    ep->rng = r;
    /* a (nearly) full vision: count its empty cells and take one, through the pad (the vision
     * offsets in FOR_VISION's order, no wrap, no division) */
    int32_t n = 0;
    for (uint32_t i = 0; i < n_off; i++) n += pad[p + poff[i]];
    if (n == 0) return -1;
    int32_t k = (int32_t)below(&ep->rng, (uint32_t)n);
    for (uint32_t i = 0;; i++)
        if (pad[p + poff[i]] && k-- == 0) return ep->pcell[p + poff[i]];
}

/* The serial activation's move: from an occupied cell to an empty one (no test of either). */
static inline void move_serial(pk_ep_state *ep, int32_t id, int32_t from, int32_t to) {
    ep->occ[from] = -1;
    ep->occ[to] = id;
    pad_mark(ep, from, 1);
    pad_mark(ep, to, 0);
}

static void citizen_serial(pk_world *w, pk_ep_state *ep, int32_t a, double one_minus_l, int use_q) {
    uint8_t s = w->a_state[a];
    if (s == PK_AGENT_DEAD) return;
    /* Mesa: a jailed citizen serves one step of its sentence per activation, keeping its cell */
    if (s == PK_AGENT_JAILED && w->a_jail[a] > 0) {
        w->a_jail[a]--;
        return;
    }
    int32_t c = w->a_cell[a];
    uint32_t f = field_at(ep, c);
    int active = use_q ? arrest_q(ep, f) < ep->qmax[a] : rule_a(ep, w, a, one_minus_l, f);
    int was = s == PK_AGENT_ACTIVE;
    if (active != was) vision_add(ep, c, active ? ACT : (uint32_t)-ACT);
    w->a_state[a] = active ? PK_AGENT_ACTIVE : PK_AGENT_HOME;
    if (active && ep->def.model == 2 && (f & 0xffffu) == 0) {
        /* Model II: kill a random member of the other group in vision (none when a
         * peacekeeper is in vision) */
        uint8_t other = (uint8_t)(1 - w->a_group[a]);
        int32_t n = 0;
        FOR_VISION(ep, c, nc, { n += killable(w, ep->occ[nc], ep->n_cit, other); });
        if (n > 0) {
            int32_t k = (int32_t)below(&ep->rng, (uint32_t)n), victim = -1;
            FOR_VISION(ep, c, nc, {
                if (victim < 0 && killable(w, ep->occ[nc], ep->n_cit, other) && k-- == 0) victim = nc;
            });
            int32_t o = ep->occ[victim];
            if (w->a_state[o] == PK_AGENT_ACTIVE) vision_add(ep, victim, (uint32_t)-ACT);
            w->a_state[o] = PK_AGENT_DEAD;
            occ_set(ep, victim, -1);
            ep->killings_today++;
        }
    }
    if (ep->def.movement) { /* rule M */
        int32_t to = -1;
        if (ep->def.model == 2 && !active && ep->n_cops > 0) { /* Model II flight (assumption) */
            int threatened;
            uint8_t g = w->a_group[a];
            THREATENED(ep, w, c, g, threatened, w->a_state[o] == PK_AGENT_ACTIVE);
            int32_t n = threatened ? protected_cells(ep, c, -1, 0) : 0;
            if (n > 0) {
                int32_t i = protected_cells(ep, c, (int32_t)below(&ep->rng, (uint32_t)n), 0);
                to = cell_xy(ep, c % ep->W, c / ep->W, ep->odx[i], ep->ody[i]);
            }
        }
        if (to < 0) to = empty_serial(ep, c);
        if (to >= 0) {
            move_serial(ep, a, c, to);
            w->a_cell[a] = to; /* a_home stays the starting cell */
            if (active) {
                vision_add(ep, c, (uint32_t)-ACT);
                vision_add(ep, to, ACT);
            }
        }
    }
}

static void cop_serial(pk_world *w, pk_ep_state *ep, int32_t j) {
    int32_t c = ep->cop_cell[j];
    if (c < 0) return;
    uint32_t na = field_at(ep, c) >> 16;
    if (na > 0) { /* rule C: arrest a random active citizen in vision */
        int32_t k = (int32_t)below(&ep->rng, na), hit = -1;
        FOR_VISION(ep, c, nc, {
            int32_t o = ep->occ[nc];
            if (hit < 0 && o >= 0 && o < ep->n_cit && w->a_state[o] == PK_AGENT_ACTIVE && k-- == 0) hit = o;
        });
        if (hit >= 0) {
            w->a_state[hit] = PK_AGENT_JAILED;
            w->a_jail[hit] = jail_term(ep, rnext(&ep->rng));
            vision_add(ep, w->a_cell[hit], (uint32_t)-ACT);
            ep->arrests_today++;
        }
    }
    if (ep->def.movement && ep->def.model == 1) { /* Model II's peacekeepers hold their posts (assumption) */
        int32_t to = empty_serial(ep, c);
        if (to >= 0) {
            move_serial(ep, ep->n_cit + j, c, to);
            ep->cop_cell[j] = to;
            vision_add(ep, c, (uint32_t)-1);
            vision_add(ep, to, 1);
        }
    }
}

static void step_serial(pk_world *w, pk_ep_state *ep, double one_minus_l) {
    int32_t n = ep->n_cit + ep->n_cops;
    for (int32_t i = 0; i < n; i++) ep->order[i] = i;
    pk_rng r = ep->rng;
    int32_t *order = ep->order;
    for (int32_t i = n - 1; i > 0; i -= 2) { /* Fisher-Yates: a fresh random order every step, two
                                                 exact draws per 64 random bits */
        uint64_t u = rnext(&r);
        int32_t k = (int32_t)lemire(&r, (uint32_t)u, (uint32_t)i + 1u);
        int32_t t = order[i];
        order[i] = order[k];
        order[k] = t;
        if (i == 1) break;
        k = (int32_t)lemire(&r, (uint32_t)(u >> 32), (uint32_t)i);
        t = order[i - 1];
        order[i - 1] = order[k];
        order[k] = t;
    }
    ep->rng = r;
    const int use_q = qmax_ready(w, ep, one_minus_l);
    for (int32_t i = 0; i < n; i++) {
        int32_t id = ep->order[i];
        if (id < ep->n_cit) citizen_serial(w, ep, id, one_minus_l, use_q);
        else cop_serial(w, ep, id - ep->n_cit);
    }
}

/* ------------------------------------------------------------------ worker pool */

typedef void (*job_fn)(pk_world *w, int t, int T);

/* The workers wait for a job by spinning on its number (gen) for a while, then sleep on a
 * condition variable: a step runs eight jobs back to back, and a sleeping worker takes tens
 * of microseconds to wake. The waiting is on cache lines of its own (gen, pending). */
enum { SPIN_WORKER = 1 << 15, SPIN_MAIN = 1 << 20 };

struct pk_ep_pool {
    _Alignas(64) _Atomic uint64_t gen; /* the current job's number; a worker runs each number once */
    _Alignas(64) _Atomic int pending;  /* workers still running the current job */
    _Alignas(64) int n;                /* workers (threads - 1) */
    _Atomic int stop;
    int sleeping;                      /* workers asleep on go (under mu) */
    job_fn fn;                         /* the current job (written before gen moves on) */
    pk_world *w;
    pthread_t th[MAX_THREADS];
    pthread_mutex_t mu;
    pthread_cond_t go;
};

static inline void cpu_relax(void) {
#if defined(__SSE2__)
    _mm_pause();
#endif
}

typedef struct worker_arg {
    pk_ep_pool *p;
    int t;
} worker_arg;

/* Wait until the job number moves past seen; return the new one. */
static uint64_t wait_job(pk_ep_pool *p, uint64_t seen) {
    uint64_t g;
    for (int spin = 0; spin < SPIN_WORKER; spin++) {
        if ((g = atomic_load_explicit(&p->gen, memory_order_acquire)) != seen) return g;
        cpu_relax();
    }
    pthread_mutex_lock(&p->mu);
    p->sleeping++;
    while ((g = atomic_load_explicit(&p->gen, memory_order_acquire)) == seen) pthread_cond_wait(&p->go, &p->mu);
    p->sleeping--;
    pthread_mutex_unlock(&p->mu);
    return g;
}

static void *worker_main(void *arg) {
    pk_ep_pool *p = ((worker_arg *)arg)->p;
    int t = ((worker_arg *)arg)->t;
    free(arg);
    uint64_t seen = 0;
    for (;;) {
        seen = wait_job(p, seen);
        if (atomic_load_explicit(&p->stop, memory_order_relaxed)) break;
        p->fn(p->w, t, p->n + 1);
        atomic_fetch_sub_explicit(&p->pending, 1, memory_order_release);
    }
    return NULL;
}

static pk_ep_pool *pool_create(int threads) {
    pk_ep_pool *p = aligned_alloc(64, sizeof *p);
    if (!p) return NULL;
    memset(p, 0, sizeof *p);
    atomic_init(&p->gen, 0);
    atomic_init(&p->pending, 0);
    atomic_init(&p->stop, 0);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->go, NULL);
    for (int t = 1; t < threads; t++) {
        worker_arg *a = malloc(sizeof *a);
        if (!a) break;
        a->p = p;
        a->t = t;
        if (pthread_create(&p->th[p->n], NULL, worker_main, a) != 0) {
            free(a);
            break;
        }
        p->n++;
    }
    return p;
}

/* Wake the workers asleep on the new job number (a worker checks the number under mu
 * before it sleeps, so it cannot miss this). */
static void pool_wake(pk_ep_pool *p) {
    pthread_mutex_lock(&p->mu);
    if (p->sleeping) pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
}

static void pool_destroy(pk_ep_pool *p) {
    if (!p) return;
    atomic_store_explicit(&p->stop, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&p->gen, 1, memory_order_seq_cst);
    pool_wake(p);
    for (int i = 0; i < p->n; i++) pthread_join(p->th[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->go);
    free(p);
}

/* Run fn(w, t, T) for t = 0..T-1, t = 0 on this thread. T is the pool's size, which must
 * not change the result: jobs split work into fixed-size pieces of deterministic work. */
static void run_job(pk_world *w, job_fn fn) {
    pk_ep_state *ep = w->ep;
    if (ep->threads > 1 && !ep->pool) ep->pool = pool_create(ep->threads);
    pk_ep_pool *p = ep->pool;
    atomic_store_explicit(&ep->next, 0, memory_order_relaxed); /* published with the job */
    if (!p || p->n == 0) {
        fn(w, 0, 1);
        return;
    }
    p->fn = fn;
    p->w = w;
    atomic_store_explicit(&p->pending, p->n, memory_order_relaxed);
    atomic_fetch_add_explicit(&p->gen, 1, memory_order_seq_cst); /* publishes fn, w, pending */
    pool_wake(p);
    fn(w, 0, p->n + 1);
    for (long spin = 0; atomic_load_explicit(&p->pending, memory_order_acquire) > 0; spin++) {
        if (spin < SPIN_MAIN) cpu_relax();
        else sched_yield(); /* more threads than cores, and a worker descheduled */
    }
}

#ifdef PK_EP_PHASE_TIMES
/* A benchmark build only (cmake -DPKOSIM_PHASE_TIMES=ON; bench/epstein.sh): each job's
 * fastest and mean run over the process, printed to stderr at exit. It reads a clock, so it
 * is never in a normal build; it changes no result. */
#include <time.h>
static struct phase_time {
    const char *name;
    double min, sum;
    long n;
} phase_times[24];
static void phase_times_print(void) {
    for (int i = 0; i < 24 && phase_times[i].name; i++)
        fprintf(stderr, "phase %-18s min %8.3f ms  mean %8.3f ms  (%ld runs)\n", phase_times[i].name, phase_times[i].min * 1e3,
                phase_times[i].sum / (double)phase_times[i].n * 1e3, phase_times[i].n);
}
static void run_job_timed(pk_world *w, job_fn fn, const char *name) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    run_job(w, fn);
    clock_gettime(CLOCK_MONOTONIC, &b);
    const double dt = (double)(b.tv_sec - a.tv_sec) + 1e-9 * (double)(b.tv_nsec - a.tv_nsec);
    int i = 0;
    while (i < 23 && phase_times[i].name && strcmp(phase_times[i].name, name) != 0) i++;
    if (!phase_times[i].name) {
        if (i == 0) atexit(phase_times_print);
        phase_times[i].name = name;
        phase_times[i].min = dt;
    }
    if (dt < phase_times[i].min) phase_times[i].min = dt;
    phase_times[i].sum += dt;
    phase_times[i].n++;
}
#define RUN_JOB(w, fn) run_job_timed(w, fn, #fn)
#else
#define RUN_JOB(w, fn) run_job(w, fn)
#endif

static inline void chunk(int64_t n, int t, int T, int64_t *lo, int64_t *hi) {
    *lo = n * t / T;
    *hi = n * (t + 1) / T;
}

/* The next piece [lo, hi) of a job over n items; 0 once none is left. Pieces go to
 * whichever thread is free, so a thread slowed by anything (a busier part of the grid,
 * another process on its core) takes fewer; they shrink as the job runs out (a quarter of
 * what is left per thread, at least `size`), so that the threads finish together with few
 * boundaries between them. Every job writes the same whichever thread runs a piece, and
 * nothing depends on where pieces start, so the split does not change the result. */
static inline int take(pk_ep_state *ep, int64_t n, int64_t size, int64_t *lo, int64_t *hi) {
    int64_t cur = atomic_load_explicit(&ep->next, memory_order_relaxed);
    for (;;) {
        if (cur >= n) return 0;
        int64_t piece = (n - cur) / (4 * (int64_t)ep->threads);
        if (piece < size) piece = size;
        const int64_t end = n - cur < piece ? n : cur + piece;
        if (atomic_compare_exchange_weak_explicit(&ep->next, &cur, end, memory_order_relaxed, memory_order_relaxed)) {
            *lo = cur;
            *hi = end;
            return 1;
        }
    }
}

#if PK_EP_AVX2
AVX2_FN static void pick_count_avx2(const pk_ep_state *ep, const uint16_t *const *pr, int32_t x0, int32_t x1, uint16_t *n) {
    const int32_t v = ep->def.vision, R = 2 * v + 1;
    for (int32_t x = x0; x < x1; x += 16) {
        __m256i acc = _mm256_setzero_si256();
        for (int32_t r = 0; r < R; r++) {
            const int32_t h = ep->hw[r];
            const __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(pr[r] + x + v + h + 1));
            const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)(pr[r] + x + v - h));
            acc = _mm256_add_epi16(acc, _mm256_sub_epi16(hi, lo));
        }
        _mm256_storeu_si256((__m256i *)(void *)(n + x), acc);
    }
}

AVX2_FN static void pick_rows_avx2(const pk_ep_state *ep, const uint16_t *const *pr, int32_t x0, int32_t x1, uint16_t *k,
                                   uint16_t *row) {
    const int32_t v = ep->def.vision, R = 2 * v + 1;
    const __m256i ones = _mm256_set1_epi16(-1);
    for (int32_t x = x0; x < x1; x += 16) {
        const __m256i kv = _mm256_loadu_si256((const __m256i *)(const void *)(k + x));
        __m256i cum = _mm256_setzero_si256(), sel = _mm256_setzero_si256(), before = _mm256_setzero_si256();
        for (int32_t r = 0; r < R; r++) {
            const int32_t h = ep->hw[r];
            const __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(pr[r] + x + v + h + 1));
            const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)(pr[r] + x + v - h));
            const __m256i c = _mm256_sub_epi16(hi, lo);
            cum = _mm256_add_epi16(cum, c);
            const __m256i past = _mm256_cmpgt_epi16(cum, kv);
            sel = _mm256_sub_epi16(sel, _mm256_andnot_si256(past, ones));
            before = _mm256_add_epi16(before, _mm256_andnot_si256(past, c));
        }
        _mm256_storeu_si256((__m256i *)(void *)(row + x), sel);
        _mm256_storeu_si256((__m256i *)(void *)(k + x), _mm256_sub_epi16(kv, before));
    }
}

/* field_pass2: the blocks of 8 cells of a row (returns where the remainder starts) */
AVX2_FN static int32_t field_rows_avx2(const pk_ep_state *ep, uint32_t *f, const uint8_t *cs, const uint32_t *const *pr) {
    const int32_t W = ep->W, v = ep->def.vision, R = 2 * v + 1;
    const __m256i act = _mm256_set1_epi32(CS_ACTIVE), cop = _mm256_set1_epi32(CS_COP), actv = _mm256_set1_epi32(ACT),
                  one = _mm256_set1_epi32(1);
    int32_t x = 0;
    for (; x + 8 <= W; x += 8) {
        /* minus the cell's own value (cell_value): the centre is not in its vision */
        const __m256i st = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)(cs + x)));
        const __m256i own = _mm256_or_si256(_mm256_and_si256(_mm256_cmpeq_epi32(st, act), actv),
                                            _mm256_and_si256(_mm256_cmpeq_epi32(st, cop), one));
        __m256i acc = _mm256_sub_epi32(_mm256_setzero_si256(), own);
        for (int32_t r = 0; r < R; r++) {
            const int32_t h = ep->hw[r];
            const __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(pr[r] + x + v + h + 1));
            const __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(pr[r] + x + v - h));
            acc = _mm256_add_epi32(acc, _mm256_sub_epi32(a, b));
        }
        _mm256_storeu_si256((__m256i *)(void *)(f + x), acc);
    }
    return x;
}
#endif

/* ------------------------------------------------------------------ the vision field */

static const uint32_t cs_value[8] = {0, 0, ACT, 0, 1, 0, 0, 0}; /* a cell's own contribution, by CS_* */
/* the same without a table (so that a loop over a row vectorises): an active counts ACT, a cop 1 */
static inline uint32_t cell_value(uint8_t s) { return (s == CS_ACTIVE ? (uint32_t)ACT : 0u) | (s == CS_COP ? 1u : 0u); }

/* cst from occ and the agents' states (before a rebuild outside the parallel activation) */
static void cst_build(const pk_world *w, pk_ep_state *ep) {
    for (int32_t c = 0; c < ep->n_cells; c++) {
        int32_t o = ep->occ[c];
        uint8_t s = CS_EMPTY;
        if (o >= ep->n_cit) s = CS_COP;
        else if (o >= 0) {
            uint8_t a = w->a_state[o];
            s = a == PK_AGENT_ACTIVE ? CS_ACTIVE : a == PK_AGENT_JAILED ? CS_JAILED : CS_QUIET;
        }
        ep->cst[c] = s;
    }
}

/* Pass 1 over rows: each cell's own value, and either the row's sliding window sums
 * (Moore) or its prefix sums (other shapes). */
static void field_pass1(pk_world *w, int t, int T) {
    (void)t, (void)T;
    pk_ep_state *ep = w->ep;
    const int32_t W = ep->W, v = ep->def.vision;
    int64_t y0, y1;
    while (take(ep, ep->H, 16, &y0, &y1))
    for (int32_t y = (int32_t)y0; y < (int32_t)y1; y++) {
        const uint8_t *cs = ep->cst + (size_t)y * W;
        uint32_t *out = ep->tmp + (size_t)y * ep->fs;
        if (ep->def.neighbourhood == PK_EP_MOORE) {
            uint32_t s = 0;
            for (int32_t dx = -v; dx <= v; dx++) s += cs_value[cs[wrapi(dx, W)] & 7];
            for (int32_t x = 0; x < W; x++) {
                out[x] = s;
                s += cs_value[cs[wrapi(x + v + 1, W)] & 7] - cs_value[cs[wrapi(x - v, W)] & 7];
            }
        } else { /* prefix sums over the row padded with `vision` cells of the wrap either side */
            const int32_t pw = W + 2 * v;
            uint32_t n = 0;
            out[0] = 0;
            for (int32_t p = 0; p < v; p++) out[p + 1] = n += cell_value(cs[ep->xw[p]]);
            int32_t x = 0;
#if defined(__SSE2__)
            if (ep->simd) { /* 4 cells at a time: a prefix sum inside the vector (two shifted adds), plus the carry */
                const __m128i act = _mm_set1_epi32(CS_ACTIVE), cop = _mm_set1_epi32(CS_COP), actv = _mm_set1_epi32(ACT),
                              one = _mm_set1_epi32(1), zero = _mm_setzero_si128();
                __m128i carry = _mm_set1_epi32((int)n);
                for (; x + 4 <= W; x += 4) {
                    int32_t four;
                    memcpy(&four, cs + x, sizeof four);
                    const __m128i st = _mm_unpacklo_epi16(_mm_unpacklo_epi8(_mm_cvtsi32_si128(four), zero), zero);
                    __m128i e = _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi32(st, act), actv), _mm_and_si128(_mm_cmpeq_epi32(st, cop), one));
                    e = _mm_add_epi32(e, _mm_slli_si128(e, 4));
                    e = _mm_add_epi32(_mm_add_epi32(e, _mm_slli_si128(e, 8)), carry);
                    _mm_storeu_si128((__m128i *)(void *)(out + v + x + 1), e);
                    carry = _mm_shuffle_epi32(e, 0xff);
                }
                n = out[v + x];
            }
#endif
            for (; x < W; x++) out[v + x + 1] = n += cell_value(cs[x]);
            for (int32_t p = v + W; p < pw; p++) out[p + 1] = n += cell_value(cs[ep->xw[p]]);
            for (int32_t p = pw + 1; p < ep->fs; p++) out[p] = n; /* what a vector reads past the row */
        }
    }
}

/* Pass 2: sum the rows of the vision; subtract the centre. */
static void field_pass2(pk_world *w, int t, int T) {
    pk_ep_state *ep = w->ep;
    const int32_t W = ep->W, H = ep->H, v = ep->def.vision;
    int64_t y0, y1;
    if (ep->def.neighbourhood == PK_EP_MOORE) { /* a static split: a piece starts its running sums anew */
        chunk(H, t, T, &y0, &y1);
        if (y0 >= y1) return;
        uint32_t *acc = ep->acc + (size_t)t * W;
        memset(acc, 0, (size_t)W * sizeof *acc);
        for (int32_t dy = -v; dy <= v; dy++) {
            const uint32_t *row = ep->tmp + (size_t)wrapi((int32_t)y0 + dy, H) * ep->fs;
            for (int32_t x = 0; x < W; x++) acc[x] += row[x];
        }
        for (int32_t y = (int32_t)y0; y < (int32_t)y1; y++) {
            uint32_t *f = ep->field + (size_t)y * W;
            const uint8_t *cs = ep->cst + (size_t)y * W;
            for (int32_t x = 0; x < W; x++) f[x] = acc[x] - cell_value(cs[x]);
            if (y + 1 < y1) {
                const uint32_t *add = ep->tmp + (size_t)wrapi(y + v + 1, H) * ep->fs;
                const uint32_t *sub = ep->tmp + (size_t)wrapi(y - v, H) * ep->fs;
                for (int32_t x = 0; x < W; x++) acc[x] += add[x] - sub[x];
            }
        }
        return;
    }
    /* every row of the vision from the padded prefix sums: f[x] = sum over rows r of
     * p_r[x + v + h_r + 1] - p_r[x + v - h_r], all rows summed in a register a block of cells
     * at a time (no wrap: the padding holds it) */
    const uint32_t *pr[41];
    while (take(ep, H, 8, &y0, &y1))
    for (int32_t y = (int32_t)y0; y < (int32_t)y1; y++) {
        uint32_t *f = ep->field + (size_t)y * W;
        const uint8_t *cs = ep->cst + (size_t)y * W;
        for (int32_t r = 0; r <= 2 * v; r++) pr[r] = ep->tmp + (size_t)wrapi(y + r - v, H) * ep->fs;
        int32_t x = 0;
#if PK_EP_AVX2
        if (ep->avx2) x = field_rows_avx2(ep, f, cs, pr);
#endif
        for (int32_t i = x; i < W; i++) f[i] = (uint32_t)0 - cell_value(cs[i]);
#if defined(__SSE2__)
        if (ep->simd)
        for (; x + 4 <= W; x += 4) {
            __m128i acc = _mm_loadu_si128((const __m128i *)(const void *)(f + x));
            for (int32_t r = 0; r <= 2 * v; r++) {
                const int32_t h = ep->hw[r];
                const __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(pr[r] + x + v + h + 1));
                const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(pr[r] + x + v - h));
                acc = _mm_add_epi32(acc, _mm_sub_epi32(a, b));
            }
            _mm_storeu_si128((__m128i *)(void *)(f + x), acc);
        }
#endif
        for (; x < W; x++)
            for (int32_t r = 0; r <= 2 * v; r++) f[x] += pr[r][x + v + ep->hw[r] + 1] - pr[r][x + v - ep->hw[r]];
    }
}

static void field_rebuild(pk_world *w, int use_pool) {
    pk_ep_state *ep = w->ep;
    if (!use_pool) cst_build(w, ep);
    if (use_pool) {
        RUN_JOB(w, field_pass1);
        RUN_JOB(w, field_pass2);
    } else {
        atomic_store_explicit(&ep->next, 0, memory_order_relaxed);
        field_pass1(w, 0, 1);
        atomic_store_explicit(&ep->next, 0, memory_order_relaxed);
        field_pass2(w, 0, 1);
    }
    if (ep->pf) { /* the serial activation's copy: every value on the cell's own pad entry */
        memset(ep->pf, 0, ((size_t)ep->pw * (size_t)(ep->H + 2 * ep->def.vision) + (size_t)ep->pk) * sizeof *ep->pf);
        for (int32_t c = 0; c < ep->n_cells; c++) ep->pf[ep->pcopy[4 * (size_t)c]] = ep->field[c];
    }
    if (ep->pfc) { /* the cops on their byte plane, the actives on pf */
        memset(ep->pfc, 0, (size_t)ep->pw * (size_t)(ep->H + 2 * ep->def.vision) + (size_t)ep->pk8);
        for (int32_t c = 0; c < ep->n_cells; c++) {
            const int32_t q = ep->pcopy[4 * (size_t)c];
            ep->pfc[q] = (uint8_t)(ep->field[c] & 0xffu);
            ep->pf[q] &= 0xffff0000u;
        }
    }
}

/* ------------------------------------------------------------------ parallel activation */

/* Purposes of the counter-based draws: one SplitMix64 finaliser of (the day's key, agent id,
 * purpose * 64 + try); each 64-bit draw gives two 32-bit ones. */
enum { D_KILL = 1, D_ARREST, D_JAIL, D_MOVE };

static inline uint64_t draw(const pk_ep_state *ep, int32_t id, uint64_t what) {
    return pk_mix64(ep->key_day ^ ((((uint64_t)(uint32_t)id << 9) | what) * 0xd1342543de82ef95ULL));
}

/* [0, n) from 32 random bits (multiply-shift; bias below n / 2^32) */
static inline int32_t reduce32(uint32_t u, uint32_t n) { return (int32_t)(((uint64_t)u * n) >> 32); }


/* Before the proposals: each row's empty cells (row_counts: cells in `state`) as prefix counts over the row padded with
 * `vision` cells of the wrap on either side (padded position p is x = p - vision), so that
 * the empties of any run [x - h, x + h] of a row are a difference of two counts, without a
 * wrap. The counts are 16 bits (a row is at most 20 000 + 40 cells) in the scratch the field
 * rebuild uses after the moves. */
static void row_counts(pk_world *w, uint8_t state) {
    pk_ep_state *ep = w->ep;
    const int32_t W = ep->W, v = ep->def.vision, pw = W + 2 * v, ps = ep->ps;
    uint16_t *P = (uint16_t *)(void *)ep->tmp;
    int64_t y0, y1;
    while (take(ep, ep->H, 16, &y0, &y1))
    for (int32_t y = (int32_t)y0; y < (int32_t)y1; y++) {
        const uint8_t *cs = ep->cst + (size_t)y * W;
        uint16_t *pr = P + (size_t)y * ps;
        uint32_t n = 0;
        pr[0] = 0;
        for (int32_t p = 0; p < v; p++) pr[p + 1] = (uint16_t)(n += cs[ep->xw[p]] == state);
        int32_t x = 0;
#if defined(__SSE2__)
        if (ep->simd) { /* 8 cells at a time: a prefix sum inside the vector (three shifted adds), plus the carry */
            const __m128i sv = _mm_set1_epi8((char)state), zero = _mm_setzero_si128();
            __m128i carry = _mm_set1_epi16((short)n);
            for (; x + 8 <= W; x += 8) {
                __m128i e = _mm_srli_epi16(_mm_unpacklo_epi8(_mm_cmpeq_epi8(_mm_loadl_epi64((const __m128i *)(const void *)(cs + x)), sv), zero), 7);
                e = _mm_add_epi16(e, _mm_slli_si128(e, 2));
                e = _mm_add_epi16(e, _mm_slli_si128(e, 4));
                e = _mm_add_epi16(_mm_add_epi16(e, _mm_slli_si128(e, 8)), carry);
                _mm_storeu_si128((__m128i *)(void *)(pr + v + x + 1), e);
                carry = _mm_shufflehi_epi16(e, 0xff);
                carry = _mm_unpackhi_epi64(carry, carry);
            }
            n = pr[v + x];
        }
#endif
        for (; x < W; x++) pr[v + x + 1] = (uint16_t)(n += cs[x] == state);
        for (int32_t p = v + W; p < pw; p++) pr[p + 1] = (uint16_t)(n += cs[ep->xw[p]] == state);
        for (int32_t p = pw + 1; p < ps; p++) pr[p] = (uint16_t)n; /* what a vector reads past the row */
    }
}
static void par_empties(pk_world *w, int t, int T) {
    (void)t, (void)T;
    row_counts(w, CS_EMPTY);
}
/* the same for the active citizens, for the arrests of a step with many of them */
static void par_actives(pk_world *w, int t, int T) {
    (void)t, (void)T;
    row_counts(w, CS_ACTIVE);
}

/* Rule M's random empty cell in vision, for a whole row of movers at once, in three passes
 * over the row (so the counting runs 8 movers to a vector and nothing waits on a
 * data-dependent branch). The k-th empty cell of a mover's vision, k uniform (bias below
 * n / 2^32), is its row of the vision (where the cumulative counts pass k) and, in that
 * row, its column (the row's prefix counts again). Every vision row r of a grid row is the same row of
 * prefix counts pr[r], read at x + v - h and x + v + h + 1 (padded positions). */


/* Pass 2b: each cell's draw for rule M, two 32-bit hashes of the cell under the day's key
 * (Wellons' lowbias32, the hash-prospector's constants; a bijection of the cell, so no two
 * cells share a draw on a day): h1 picks the k-th empty cell, k = h1 n / 2^32 (bias below
 * n / 2^32), and h2's top 20 bits are the mover's priority (key). 32-bit so that eight run
 * in a vector (AVX2); the scalar loop computes the same. */
static inline uint32_t hash32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x21f0aaadu;
    x ^= x >> 15;
    x *= 0xd35a2d97u;
    x ^= x >> 15;
    return x;
}

#if PK_EP_AVX2
AVX2_FN static inline __m256i hash32_avx2(__m256i x) {
    x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 16));
    x = _mm256_mullo_epi32(x, _mm256_set1_epi32((int)0x21f0aaadu));
    x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 15));
    x = _mm256_mullo_epi32(x, _mm256_set1_epi32((int)0xd35a2d97u));
    return _mm256_xor_si256(x, _mm256_srli_epi32(x, 15));
}

AVX2_FN static void pick_draws_avx2(const pk_ep_state *ep, int32_t c0, int32_t x0, int32_t x1, uint16_t *kx, uint32_t *key) {
    const __m256i k1 = _mm256_set1_epi32((int)(uint32_t)ep->key_day), k2 = _mm256_set1_epi32((int)(uint32_t)(ep->key_day >> 32));
    const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), low = _mm256_set1_epi32((int)0xfffff000u);
    for (int32_t x = x0; x < x1; x += 8) { /* the rows have room for the last block's overrun */
        const __m256i c = _mm256_add_epi32(_mm256_set1_epi32(c0 + x), iota);
        const __m256i h1 = hash32_avx2(_mm256_xor_si256(c, k1)), h2 = hash32_avx2(_mm256_xor_si256(h1, k2));
        const __m256i n = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(const void *)(kx + x)));
        /* the high halves of h1 * n, 32 x 32 -> 64 bits, even and odd lanes */
        const __m256i even = _mm256_srli_epi64(_mm256_mul_epu32(h1, n), 32);
        const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(h1, 32), _mm256_srli_epi64(n, 32));
        const __m256i k = _mm256_blend_epi32(even, odd, 0xaa);
        const __m256i k16 = _mm256_permute4x64_epi64(_mm256_packus_epi32(k, k), 0x08); /* k < n < 2^15 */
        _mm_storeu_si128((__m128i *)(void *)(kx + x), _mm256_castsi256_si128(k16));
        _mm256_storeu_si256((__m256i *)(void *)(key + x), _mm256_and_si256(h2, low));
    }
}
#endif

static void pick_draws(const pk_ep_state *ep, int32_t c0, int32_t x0, int32_t x1, uint16_t *kx, uint32_t *key) {
#if PK_EP_AVX2
    if (ep->avx2) {
        pick_draws_avx2(ep, c0, x0, x1, kx, key);
        return;
    }
#endif
    const uint32_t k1 = (uint32_t)ep->key_day, k2 = (uint32_t)(ep->key_day >> 32);
    for (int32_t x = x0; x < x1; x++) {
        const uint32_t h1 = hash32((uint32_t)(c0 + x) ^ k1), h2 = hash32(h1 ^ k2);
        kx[x] = (uint16_t)reduce32(h1, kx[x]);
        key[x] = h2 & 0xfffff000u;
    }
}

/* Pass 1: n[x] = the empties in the vision of (x, y). */
static void pick_count(const pk_ep_state *ep, const uint16_t *const *pr, int32_t x0, int32_t x1, uint16_t *n) {
#if PK_EP_AVX2
    if (ep->avx2) {
        pick_count_avx2(ep, pr, x0, x1, n);
        return;
    }
#endif
    const int32_t v = ep->def.vision, R = 2 * v + 1;
    int32_t x = x0;
#if defined(__SSE2__)
    if (ep->simd)
    for (; x < x1; x += 8) { /* n has room for the tail; the counts are padded by 8 */
        __m128i acc = _mm_setzero_si128();
        for (int32_t r = 0; r < R; r++) {
            const int32_t h = ep->hw[r];
            const __m128i hi = _mm_loadu_si128((const __m128i *)(const void *)(pr[r] + x + v + h + 1));
            const __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)(pr[r] + x + v - h));
            acc = _mm_add_epi16(acc, _mm_sub_epi16(hi, lo));
        }
        _mm_storeu_si128((__m128i *)(void *)(n + x), acc);
    }
#endif
    for (; x < x1; x++) {
        uint32_t acc = 0;
        for (int32_t r = 0; r < R; r++) acc += (uint32_t)pr[r][x + v + ep->hw[r] + 1] - pr[r][x + v - ep->hw[r]];
        n[x] = (uint16_t)acc;
    }
}

/* Pass 3 (after pass 2 drew k[x] < n[x]): row[x] = the vision row of the k-th empty cell
 * (the rows whose cumulative count is <= k), and k[x] becomes its rank in that row. */
static void pick_rows(const pk_ep_state *ep, const uint16_t *const *pr, int32_t x0, int32_t x1, uint16_t *k, uint16_t *row) {
#if PK_EP_AVX2
    if (ep->avx2) {
        pick_rows_avx2(ep, pr, x0, x1, k, row);
        return;
    }
#endif
    const int32_t v = ep->def.vision, R = 2 * v + 1;
    int32_t x = x0;
#if defined(__SSE2__)
    if (ep->simd)
    for (; x < x1; x += 8) { /* counts <= 1680 < 2^15: signed 16-bit comparisons are exact */
        const __m128i kv = _mm_loadu_si128((const __m128i *)(const void *)(k + x));
        __m128i cum = _mm_setzero_si128(), sel = _mm_setzero_si128(), before = _mm_setzero_si128();
        for (int32_t r = 0; r < R; r++) {
            const int32_t h = ep->hw[r];
            const __m128i hi = _mm_loadu_si128((const __m128i *)(const void *)(pr[r] + x + v + h + 1));
            const __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)(pr[r] + x + v - h));
            const __m128i c = _mm_sub_epi16(hi, lo);
            cum = _mm_add_epi16(cum, c);
            const __m128i past = _mm_cmpgt_epi16(cum, kv); /* ~0 once the row holds the k-th */
            sel = _mm_sub_epi16(sel, _mm_andnot_si128(past, _mm_set1_epi16(-1)));
            before = _mm_add_epi16(before, _mm_andnot_si128(past, c));
        }
        _mm_storeu_si128((__m128i *)(void *)(row + x), sel);
        _mm_storeu_si128((__m128i *)(void *)(k + x), _mm_sub_epi16(kv, before));
    }
#endif
    for (; x < x1; x++) {
        uint32_t cum = 0, sel = 0, before = 0;
        for (int32_t r = 0; r < R; r++) {
            const uint32_t c = (uint32_t)pr[r][x + v + ep->hw[r] + 1] - pr[r][x + v - ep->hw[r]];
            cum += c;
            const uint32_t pass = cum <= k[x];
            sel += pass;
            before += pass ? c : 0;
        }
        row[x] = (uint16_t)sel;
        k[x] = (uint16_t)(k[x] - before);
    }
}

/* Pass 4, one mover: the column j (0..2h) of the k-th empty cell of the vision's row at
 * padded position pos of prefix counts p: the first j with p[pos + j + 1] - p[pos] > k,
 * found by comparing 16 counts at a time (nch chunks, a fixed number per world, at most 3
 * for 2 vision + 1 <= 41 cells; counts past the run do not matter, the k-th empty being
 * inside it). */
static inline int32_t pick_column(const uint16_t *p, int32_t pos, uint32_t k, int32_t nch) {
    const uint32_t thr = p[pos] + k;
#if defined(__SSE2__)
    if (nch > 0) {
        const __m128i tv = _mm_set1_epi16((short)thr); /* counts <= 20 040 < 2^15: signed comparisons are exact */
        uint64_t past = 0;
        for (int32_t c = 0; c < nch; c++) {
            const __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + pos + 1 + 16 * c));
            const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + pos + 9 + 16 * c));
            const __m128i m = _mm_packs_epi16(_mm_cmpgt_epi16(a, tv), _mm_cmpgt_epi16(b, tv)); /* a byte a count */
            past |= (uint64_t)(uint32_t)_mm_movemask_epi8(m) << (16 * c);
        }
        return __builtin_ctzll(past);
    }
#endif
    int32_t j = 0; /* nch 0: one count at a time */
    while (p[pos + j + 1] <= thr) j++;
    return j;
}

/* The qmax table, in pieces (once legitimacy settles: a pass over every citizen). */
static void par_qmax(pk_world *w, int t, int T) {
    pk_ep_state *ep = w->ep;
    int64_t lo, hi;
    (void)t, (void)T;
    while (take(ep, ep->n_cit, 8192, &lo, &hi)) qmax_fill(w, ep, 1.0 - ep->legit_today, (int32_t)lo, (int32_t)hi);
}

/* Phase 1 (citizens): rule A on the field as it was at the start of the step; the actives
 * counted per 8x8 tile for phase 3's filter. */
static void par_decide(pk_world *w, int t, int T) {
    pk_ep_state *ep = w->ep;
    const double one_minus_l = 1.0 - ep->legit_today;
    const int use_q = ep->use_q;
    int64_t lo, hi;
    (void)t, (void)T;
    enum { AHEAD = 64 }; /* agents lie near one another in number order, but the field is far larger than the cache: fetch a later one's early */
    while (take(ep, ep->n_cit, 8192, &lo, &hi))
    for (int32_t a = (int32_t)lo; a < (int32_t)hi; a++) {
        if (a + AHEAD < hi) {
            int32_t cn = w->a_cell[a + AHEAD];
            __builtin_prefetch(&ep->field[cn], 0, 3);
            __builtin_prefetch(&ep->cst[cn], 1, 3);
        }
        uint8_t s = w->a_state[a];
        if (s == PK_AGENT_DEAD) continue;
        if (s == PK_AGENT_JAILED && w->a_jail[a] > 0) {
            w->a_jail[a]--;
            continue;
        }
        int32_t c = w->a_cell[a];
        const uint32_t f = ep->field[c];
        int active = use_q ? arrest_q(ep, f) < ep->qmax[a] : rule_a(ep, w, a, one_minus_l, f);
        w->a_state[a] = active ? PK_AGENT_ACTIVE : PK_AGENT_HOME;
        ep->cst[c] = active ? CS_ACTIVE : CS_QUIET;
        if (active) /* actives per 8x8 tile (a sum: the same whatever the order of the threads) */
            __atomic_fetch_add(&ep->tiles[(size_t)(c / ep->W / TILE) * ep->tiles_w + (size_t)(c % ep->W / TILE)], 1u,
                               __ATOMIC_RELAXED);
    }
}

/* Phase 2 (citizens, Model II): each active citizen with no peacekeeper in vision marks a
 * random killable member of the other group in vision. */
static void par_kill(pk_world *w, int t, int T) {
    pk_ep_state *ep = w->ep;
    int64_t lo, hi;
    (void)t, (void)T;
    while (take(ep, ep->n_cit, 8192, &lo, &hi))
    for (int32_t a = (int32_t)lo; a < (int32_t)hi; a++) {
        if (w->a_state[a] != PK_AGENT_ACTIVE) continue;
        int32_t c = w->a_cell[a];
        if ((ep->field[c] & 0xffffu) != 0) continue;
        uint8_t other = (uint8_t)(1 - w->a_group[a]);
        int32_t n = 0;
        FOR_VISION(ep, c, nc, { n += killable(w, ep->occ[nc], ep->n_cit, other); });
        if (n == 0) continue;
        int32_t k = reduce32((uint32_t)draw(ep, a, D_KILL * 64), (uint32_t)n), victim = -1;
        FOR_VISION(ep, c, nc, {
            if (victim < 0 && killable(w, ep->occ[nc], ep->n_cit, other) && k-- == 0) victim = ep->occ[nc];
        });
        atomic_store_explicit(&ep->flag[victim], 2, memory_order_relaxed);
    }
}

/* After phase 1: tnear[t] = the actives counted in the tiles within reach of tile t, a box
 * of tiles that holds the vision of every cell of t (cyclic tile distance ceil(v / TILE),
 * one more across the wrap when the last tile is partial), so tnear[t] == 0 means no cop
 * of tile t sees an active citizen. Separable box sums over the (small) tile grid. */
static int64_t tiles_near_build(pk_ep_state *ep) {
    const int32_t tw = ep->tiles_w, th = ep->tiles_h, v = ep->def.vision;
    int64_t total = 0;
    const int32_t rx = (v + TILE - 1) / TILE + (ep->W % TILE != 0), ry = (v + TILE - 1) / TILE + (ep->H % TILE != 0);
    uint32_t *hs = ep->tnear + (size_t)tw * th; /* the horizontal sums */
    for (int32_t ty = 0; ty < th; ty++) {
        const uint32_t *row = ep->tiles + (size_t)ty * tw;
        for (int32_t tx = 0; tx < tw; tx++) {
            uint32_t sum = 0;
            if (tx >= rx && tx + rx < tw) /* away from the wrap */
                for (int32_t d = -rx; d <= rx; d++) sum += row[tx + d];
            else
                for (int32_t d = -rx; d <= rx; d++) sum += row[((tx + d) % tw + tw) % tw];
            hs[(size_t)ty * tw + tx] = sum;
            total += row[tx];
        }
    }
    for (int32_t ty = 0; ty < th; ty++) {
        uint32_t *out = ep->tnear + (size_t)ty * tw;
        memset(out, 0, (size_t)tw * sizeof *out);
        for (int32_t d = -ry; d <= ry; d++) { /* whole rows of tiles at a time */
            const uint32_t *src = hs + (size_t)(((ty + d) % th + th) % th) * tw;
            for (int32_t tx = 0; tx < tw; tx++) out[tx] += src[tx];
        }
    }
    return total;
}

/* Phase 3 (cops, found on the grid tile by tile where an active citizen is within reach):
 * rule C on the states of phase 1: mark a random active citizen in vision. Most tiles have
 * none in quiet times, so most cops are never looked at. */
static void par_arrest(pk_world *w, int t, int T) {
    pk_ep_state *ep = w->ep;
    const int32_t W = ep->W, H = ep->H, tw = ep->tiles_w, v = ep->def.vision, ps = ep->ps, nch = ep->simd ? (2 * v + 1 + 15) / 16 : 0;
    const int counted = ep->actives_counted;
    const uint16_t *P = (const uint16_t *)(const void *)ep->tmp;
    int64_t ty0, ty1;
    (void)t, (void)T;
    while (take(ep, ep->tiles_h, 1, &ty0, &ty1))
    for (int64_t ty = ty0; ty < ty1; ty++)
    for (int32_t tx = 0; tx < tw; tx++) {
        if (!ep->tnear[(size_t)ty * tw + tx]) continue;
        const int32_t y1 = (int32_t)ty * TILE + TILE < H ? (int32_t)ty * TILE + TILE : H, x1 = tx * TILE + TILE < W ? tx * TILE + TILE : W;
        for (int32_t y = (int32_t)ty * TILE; y < y1; y++)
            for (int32_t x = tx * TILE; x < x1; x++) {
                const int32_t c = y * W + x;
                if (ep->cst[c] != CS_COP) continue;
                int32_t n = 0, hit = -1;
                if (counted) { /* the active citizens' prefix counts: the k-th by its row and column */
                    uint32_t cnt[41], cum = 0, before = 0, row = 0;
                    for (int32_t r = 0; r <= 2 * v; r++) {
                        const uint16_t *p = P + (size_t)wrapi(y + r - v, H) * ps;
                        cnt[r] = (uint32_t)p[x + v + ep->hw[r] + 1] - p[x + v - ep->hw[r]];
                        n += (int32_t)cnt[r];
                    }
                    if (n == 0) continue;
                    uint32_t k = (uint32_t)reduce32((uint32_t)draw(ep, ep->occ[c], D_ARREST * 64), (uint32_t)n);
                    for (int32_t r = 0; r <= 2 * v; r++) {
                        cum += cnt[r];
                        row += cum <= k;
                        before += cum <= k ? cnt[r] : 0;
                    }
                    const int32_t yy = wrapi(y + (int32_t)row - v, H), pos = x + v - ep->hw[row];
                    const int32_t j = pick_column(P + (size_t)yy * ps, pos, k - before, nch);
                    hit = ep->occ[yy * W + ep->xw[pos + j]];
                } else { /* few: a scan of the vision */
                    FOR_VISION(ep, c, nc, { n += ep->cst[nc] == CS_ACTIVE; });
                    if (n == 0) continue;
                    int32_t k = reduce32((uint32_t)draw(ep, ep->occ[c], D_ARREST * 64), (uint32_t)n);
                    FOR_VISION(ep, c, nc, {
                        if (hit < 0 && ep->cst[nc] == CS_ACTIVE && k-- == 0) hit = ep->occ[nc];
                    });
                }
                uint8_t expect = 0; /* a killing (2) stands over an arrest */
                atomic_compare_exchange_strong_explicit(&ep->flag[hit], &expect, 1, memory_order_relaxed, memory_order_relaxed);
            }
    }
}

/* Phase 4 (citizens): apply killings and arrests. */
static void par_apply(pk_world *w, int t, int T) {
    pk_ep_state *ep = w->ep;
    int64_t lo, hi, arrests = 0, kills = 0;
    (void)T;
    while (take(ep, ep->n_cit, 65536, &lo, &hi))
    for (int32_t a = (int32_t)lo; a < (int32_t)hi; a++) {
#if defined(__SSE2__)
        /* few are flagged: skip 16 unflagged at a time (plain reads: no thread writes flags now) */
        while (ep->simd && a + 16 <= (int32_t)hi &&
               _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(ep->flag + a)),
                                                _mm_setzero_si128())) == 0xffff)
            a += 16;
        if (a >= (int32_t)hi) break;
#endif
        uint8_t f = atomic_load_explicit(&ep->flag[a], memory_order_relaxed);
        if (!f) continue;
        atomic_store_explicit(&ep->flag[a], 0, memory_order_relaxed);
        int32_t c = w->a_cell[a];
        if (f == 2) {
            w->a_state[a] = PK_AGENT_DEAD;
            ep->occ[c] = -1;
            ep->cst[c] = CS_EMPTY;
            kills++;
        } else {
            w->a_state[a] = PK_AGENT_JAILED;
            w->a_jail[a] = jail_term(ep, draw(ep, a, D_JAIL * 64));
            ep->cst[c] = CS_JAILED;
            arrests++;
        }
    }
    ep->counts[t][0] += arrests;
    ep->counts[t][1] += kills;
}

/* Phase 5 (cells, in bands, below): the agent on each cell that may move (cops, and
 * citizens neither dead nor jailed) proposes a random empty cell in vision; the lowest
 * priority key claims it. The draws are keyed by the mover's cell (one agent a cell;
 * pick_draws). t: the thread (its scratch rows). */
static void propose_rows(pk_world *w, int t, int32_t y0, int32_t y1) {
    pk_ep_state *ep = w->ep;
    const int32_t W = ep->W, H = ep->H, v = ep->def.vision, ps = ep->ps;
    const uint16_t *P = (const uint16_t *)(const void *)ep->tmp;
    const uint16_t *pr[41];
    uint16_t *kx = ep->pscr + (size_t)t * 2 * (size_t)(W + 16), *rowx = kx + W + 16;
    uint32_t *key = ep->pkey + (size_t)t * 4 * (size_t)(W + 16), *keys = key + W + 16;
    int32_t *tcs = (int32_t *)(void *)(keys + W + 16), *xs = tcs + W + 16, rowy[41];
    const int model1 = ep->def.model == 1, nch = ep->simd ? (2 * v + 1 + 15) / 16 : 0;
    /* in strips of STRIP columns, every row of the band in turn: the claims a strip's movers
     * make (2 vision + 1 rows of STRIP + 2 vision cells) stay in the first-level cache */
    enum { STRIP = 128 };
    for (int32_t x0 = 0; x0 < W; x0 += STRIP) {
        const int32_t x1 = x0 + STRIP < W ? x0 + STRIP : W;
        for (int32_t y = y0; y < y1; y++) {
            for (int32_t r = 0; r <= 2 * v; r++) {
                const int32_t yy = wrapi(y + r - v, H);
                pr[r] = P + (size_t)yy * ps;
            }
            /* the claims and counts of the strip's row `vision` + 1 ahead (all 2 vision + 1 rows
             * at a band's first row) are first read from the next row on: fetch them now (the
             * arrays are far larger than the cache and a strip's rows lie a row apart) */
            for (int32_t r = y == y0 ? -v : v + 1; r <= v + 1; r++) {
                const int32_t yy = wrapi(y + r, H), xa = x0 - v > 0 ? x0 - v : 0, xb = x1 + v < W ? x1 + v : W;
                for (int32_t x = xa; x < xb; x += 16) __builtin_prefetch((const void *)&ep->claim[yy * W + x], 1, 3);
                __builtin_prefetch((const void *)&ep->claim[yy * W + xb - 1], 1, 3);
                for (int32_t x = x0; x < x1 + 2 * v + 16; x += 32) __builtin_prefetch(P + (size_t)yy * ps + x, 0, 3);
                __builtin_prefetch(ep->cst + (size_t)yy * W + x0, 0, 3);
                __builtin_prefetch(ep->cst + (size_t)yy * W + x1 - 1, 0, 3);
            }
            pick_count(ep, pr, x0, x1, kx);
            const uint8_t *cs = ep->cst + (size_t)y * W;
            int32_t nm = 0;
            /* pass 2a: the list of movers (agents that move, with an empty cell in sight) */
            int32_t x = x0;
#if defined(__SSE2__)
            const __m128i quiet = _mm_set1_epi8(CS_QUIET), active = _mm_set1_epi8(CS_ACTIVE),
                          cop = _mm_set1_epi8(model1 ? CS_COP : CS_QUIET), zero = _mm_setzero_si128();
            if (ep->simd)
            for (; x + 16 <= x1; x += 16) { /* 16 cells: a mask, then its set bits */
                const __m128i st = _mm_loadu_si128((const __m128i *)(const void *)(cs + x));
                const __m128i mv = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(st, quiet), _mm_cmpeq_epi8(st, active)),
                                                _mm_cmpeq_epi8(st, cop));
                const __m128i none = _mm_packs_epi16(_mm_cmpeq_epi16(_mm_loadu_si128((const __m128i *)(const void *)(kx + x)), zero),
                                                     _mm_cmpeq_epi16(_mm_loadu_si128((const __m128i *)(const void *)(kx + x + 8)), zero));
                unsigned m = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(none, mv));
                while (m) {
                    xs[nm++] = x + __builtin_ctz(m);
                    m &= m - 1;
                }
            }
#endif
            for (; x < x1; x++) {
                const uint8_t s = cs[x];
                xs[nm] = x; /* appended without a branch */
                nm += (s == CS_QUIET || s == CS_ACTIVE || (s == CS_COP && model1)) && kx[x];
            }
            pick_draws(ep, y * W, x0, x1, kx, key); /* pass 2b: the draws */
            pick_rows(ep, pr, x0, x1, kx, rowx);
            for (int32_t r = 0; r <= 2 * v; r++) rowy[r] = wrapi(y + r - v, H);
            for (int32_t i = 0; i < nm; i++) { /* pass 4: the column */
                const int32_t x = xs[i];
                int32_t to = -1, tx, ty;
                if (!model1 && ep->cst[y * W + x] == CS_QUIET && ep->n_cops > 0) { /* Model II flight (assumption) */
                    const int32_t c = y * W + x;
                    int threatened;
                    uint8_t g = w->a_group[ep->occ[c]];
                    THREATENED(ep, w, c, g, threatened, ep->cst[nc_] == CS_ACTIVE);
                    int32_t n = threatened ? protected_cells(ep, c, -1, 1) : 0;
                    if (n > 0) to = protected_cells(ep, c, reduce32((uint32_t)draw(ep, c, D_MOVE * 64 + 1), (uint32_t)n), 1);
                }
                if (to >= 0) {
                    tx = ep->xw[x + ep->odx[to] + v];
                    ty = rowy[ep->ody[to] + v];
                } else {
                    const int32_t row = rowx[x], h = ep->hw[row], pos = x + v - h;
                    const int32_t j = pick_column(pr[row], pos, kx[x], nch);
                    to = ep->orow[row] + j - (row == v && j > h); /* the centre row's offsets skip dx = 0 */
                    tx = ep->xw[pos + j];
                    ty = rowy[row];
                }
                tcs[i] = ty * W + tx;
                keys[i] = key[x] | (uint32_t)to;
            }
            /* pass 5: the claims, in a loop of their own whose addresses are known early (in
             * pass 4 a claim's read waited on, or was wrongly run ahead of, a write to the same
             * cell whose address came at the end of a long computation). No other thread
             * writes these claims now (bands): a plain min, no branch. */
            for (int32_t i = 0; i < nm; i++) {
                const uint32_t cur = atomic_load_explicit(&ep->claim[tcs[i]], memory_order_relaxed);
                atomic_store_explicit(&ep->claim[tcs[i]], keys[i] < cur ? keys[i] : cur, memory_order_relaxed);
            }
        }
    }
}

/* Propose in horizontal bands of at least 2 vision rows, an even number of them: the even
 * bands at once, then the odd ones, so that the cells two bands claim at the same time
 * (within `vision` rows of the band) never overlap and a claim needs no atomic
 * read-modify-write. The lowest key wins whatever the order, so the thread count does not
 * change the result. A torus too short for two such bands is one band, on one thread. */
static int32_t n_bands(const pk_ep_state *ep) {
    const int32_t nb = (ep->H / (2 * ep->def.vision)) & ~1;
    return nb < 2 ? 1 : nb;
}

static void par_propose_bands(pk_world *w, int t, int T, int parity) {
    pk_ep_state *ep = w->ep;
    const int32_t H = ep->H, nb = n_bands(ep);
    if (nb < 2) {
        if (t == 0 && parity == 0) propose_rows(w, t, 0, H);
        return;
    }
    int64_t k0, k1;
    (void)T;
    while (take(ep, nb / 2, 1, &k0, &k1))
        for (int64_t k = k0; k < k1; k++) {
            int64_t b = 2 * k + parity, lo, hi;
            chunk(H, (int)b, (int)nb, &lo, &hi);
            propose_rows(w, t, (int32_t)lo, (int32_t)hi);
        }
}
static void par_propose_even(pk_world *w, int t, int T) { par_propose_bands(w, t, T, 0); }
static void par_propose_odd(pk_world *w, int t, int T) { par_propose_bands(w, t, T, 1); }

/* Phase 6 (claimed cells, in stripes): the winner of each claimed cell moves there and
 * clears the claim; the others stay. A claimed cell was empty and every mover claims at
 * most one, so no cell is both a source and a target, no two threads write one cell, and
 * the order of the moves does not matter. The claims are scanned in order (the arrays
 * stream through the cache), 16 at a time for the unclaimed (about 4 cells in 5). */
static inline void move_winner(pk_world *w, pk_ep_state *ep, int32_t x, int32_t y, uint32_t key) {
    const int32_t to = y * ep->W + x;
    /* the winner stands at the offset its key names, back from the cell it claimed */
    const int32_t o = (int32_t)(key & 0xfffu), c = cell_xy(ep, x, y, -ep->odx[o], -ep->ody[o]), id = ep->occ[c];
    ep->occ[c] = -1;
    ep->occ[to] = id;
    ep->cst[to] = ep->cst[c];
    ep->cst[c] = CS_EMPTY;
    if (id < ep->n_cit) w->a_cell[id] = to; /* a_home stays the starting cell (Epstein's agents have no home) */
    else ep->cop_cell[id - ep->n_cit] = to;
    atomic_store_explicit(&ep->claim[to], UINT32_MAX, memory_order_relaxed);
}

static void par_move(pk_world *w, int t, int T) {
    pk_ep_state *ep = w->ep;
    const int32_t W = ep->W, v = ep->def.vision;
    int64_t y0, y1;
    (void)t, (void)T;
    /* a winner comes from up to `vision` rows away, so a stripe's edges write cache lines of
     * the next stripe's, which another thread may hold: few edges (take's pieces start large) */
    while (take(ep, ep->H, 8, &y0, &y1))
    for (int32_t y = (int32_t)y0; y < (int32_t)y1; y++) {
        _Atomic uint32_t *cl = ep->claim + (size_t)y * W;
        int32_t x = 0;
        /* winners stand up to `vision` rows from the cells they claimed: fetch the occupants
         * and states of the row two beyond that, ahead of their use (beyond the hardware's
         * stride prefetch), and at a stripe's first row all the rows before it */
        for (int32_t r = y == y0 ? -v : v + 2; r <= v + 2; r++) {
            const int32_t ahead = wrapi(y + r, ep->H) * W;
            for (int32_t i = 0; i < W; i += 16) __builtin_prefetch((const void *)&ep->occ[ahead + i], 1, 3);
            for (int32_t i = 0; i < W; i += 64) __builtin_prefetch((const void *)&ep->cst[ahead + i], 1, 3);
        }
#if defined(__SSE2__)
        const __m128i none = _mm_set1_epi32(-1);
        if (ep->simd)
        for (; x + 16 <= W; x += 16) {
            const uint32_t *q = (const uint32_t *)(const void *)(cl + x); /* plain reads: no other thread writes now */
            const __m128i a = _mm_packs_epi32(_mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(const void *)q), none),
                                              _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(const void *)(q + 4)), none));
            const __m128i b = _mm_packs_epi32(_mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(const void *)(q + 8)), none),
                                              _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(const void *)(q + 12)), none));
            unsigned m = ~(unsigned)_mm_movemask_epi8(_mm_packs_epi16(a, b)) & 0xffffu; /* the claimed of the 16 */
            while (m) {
                const int32_t i = __builtin_ctz(m);
                m &= m - 1;
                move_winner(w, ep, x + i, y, q[i]);
            }
        }
#endif
        for (; x < W; x++) {
            const uint32_t key = atomic_load_explicit(&cl[x], memory_order_relaxed);
            if (key != UINT32_MAX) move_winner(w, ep, x, y, key);
        }
    }
}

static void step_parallel(pk_world *w, pk_ep_state *ep) {
    ep->key_day = pk_mix64(ep->key_par ^ pk_mix64((uint64_t)w->day));
    memset(ep->counts, 0, sizeof ep->counts);
    const int q = qmax_check(ep, 1.0 - ep->legit_today);
    if (q == 2) {
        RUN_JOB(w, par_qmax);
        ep->qmax_l = 1.0 - ep->legit_today;
    }
    ep->use_q = q != 0;
    memset(ep->tiles, 0, (size_t)ep->tiles_w * (size_t)ep->tiles_h * sizeof *ep->tiles);
    RUN_JOB(w, par_decide);
    if (ep->def.model == 2) RUN_JOB(w, par_kill);
    /* Many actives (an outburst): the cops find theirs through prefix counts of the actives
     * per row, built once, rather than each scanning its vision twice. The same arrests
     * either way (the k-th active in the same order); the switch depends only on the count. */
    int64_t actives = tiles_near_build(ep);
    ep->actives_counted = ep->arrest_path ? ep->arrest_path == 2
                                          : actives * (2 * ep->def.vision + 1) * (2 * ep->def.vision + 1) > (int64_t)ep->n_cells / 8;
    if (ep->actives_counted) RUN_JOB(w, par_actives);
    RUN_JOB(w, par_arrest);
    RUN_JOB(w, par_apply);
    if (ep->def.movement) {
        RUN_JOB(w, par_empties);
        RUN_JOB(w, par_propose_even);
        RUN_JOB(w, par_propose_odd);
        RUN_JOB(w, par_move);
    }
    for (int t = 0; t < MAX_THREADS; t++) {
        ep->arrests_today += ep->counts[t][0];
        ep->killings_today += ep->counts[t][1];
    }
    field_rebuild(w, 1);
}

/* ------------------------------------------------------------------ the day */

void pk__epstein_step(pk_world *w) {
    pk_ep_state *ep = w->ep;
    ep->arrests_today = ep->killings_today = 0;
    ep->legit_today = pk_epstein_legitimacy(&ep->def, w->day);
    if (ep->def.withdraw_day > 0 && w->day >= ep->def.withdraw_day) { /* Model II: the peacekeepers leave */
        for (int32_t j = 0; j < ep->n_cops; j++) {
            int32_t c = ep->cop_cell[j];
            if (c < 0) continue;
            occ_set(ep, c, -1);
            ep->cst[c] = CS_EMPTY;
            ep->cop_cell[j] = -1;
            vision_add(ep, c, (uint32_t)-1);
        }
    }
    if (ep->def.activation == PK_EP_PARALLEL) step_parallel(w, ep);
    else step_serial(w, ep, 1.0 - ep->legit_today);
    w->today.arrests = (double)ep->arrests_today;
    w->today.civilian_deaths = w->today.civilian_deaths_communal = (double)ep->killings_today;
    if (ep->arrests_today)
        pk__event(w, PK_EV_ARREST, 0, -1, -1, -1, -1, (int32_t)ep->arrests_today, (pk_unit_id){0, 0}, NULL);
    if (ep->killings_today)
        pk__event(w, PK_EV_COMMUNAL, 0, -1, -1, -1, -1, (int32_t)ep->killings_today, (pk_unit_id){0, 0}, NULL);
}

/* Count the agents by state (home, active, jailed) and the living of group 1, over a share of
 * the agents: plain sums of comparisons (vectorised), not a histogram whose counters wait on
 * each other. */
static void ind_count(pk_world *w, int t, int T) {
    pk_ep_state *ep = w->ep;
    int64_t lo, hi;
    chunk(w->n_agents, t, T, &lo, &hi);
    const uint8_t *st = w->a_state, *gr = w->a_group;
    int64_t home = 0, act = 0, jail = 0, dead = 0, alive1 = 0;
    int32_t a0_ = (int32_t)lo;
#if defined(__SSE2__)
    /* 16 agents at a time: byte counters (a comparison is 0 or -1), summed every 255 rounds */
    const __m128i kh = _mm_set1_epi8(PK_AGENT_HOME), ka = _mm_set1_epi8(PK_AGENT_ACTIVE), kj = _mm_set1_epi8(PK_AGENT_JAILED),
                  kd = _mm_set1_epi8(PK_AGENT_DEAD), one = _mm_set1_epi8(1), zero = _mm_setzero_si128();
    while (ep->simd && (int32_t)hi - a0_ >= 16) {
        __m128i ch = zero, ca = zero, cj = zero, cd = zero, cl = zero;
        for (int r = 0; r < 255 && (int32_t)hi - a0_ >= 16; r++, a0_ += 16) {
            const __m128i sv = _mm_loadu_si128((const __m128i *)(const void *)(st + a0_));
            const __m128i gv = _mm_loadu_si128((const __m128i *)(const void *)(gr + a0_));
            const __m128i isd = _mm_cmpeq_epi8(sv, kd);
            ch = _mm_sub_epi8(ch, _mm_cmpeq_epi8(sv, kh));
            ca = _mm_sub_epi8(ca, _mm_cmpeq_epi8(sv, ka));
            cj = _mm_sub_epi8(cj, _mm_cmpeq_epi8(sv, kj));
            cd = _mm_sub_epi8(cd, isd);
            cl = _mm_add_epi8(cl, _mm_andnot_si128(isd, _mm_and_si128(gv, one)));
        }
#define SUM8(v) ((int64_t)_mm_cvtsi128_si32(_mm_sad_epu8(v, zero)) + (int64_t)_mm_cvtsi128_si32(_mm_srli_si128(_mm_sad_epu8(v, zero), 8)))
        home += SUM8(ch);
        act += SUM8(ca);
        jail += SUM8(cj);
        dead += SUM8(cd);
        alive1 += SUM8(cl);
#undef SUM8
    }
#endif
    for (int32_t b = a0_; b < (int32_t)hi; b += 1 << 20) {
        const int32_t e = (int32_t)hi - b < (1 << 20) ? (int32_t)hi : b + (1 << 20);
        uint32_t h0 = 0, a0 = 0, j0 = 0, d0 = 0, l1 = 0;
        for (int32_t a = b; a < e; a++) {
            const uint32_t s = st[a];
            h0 += s == PK_AGENT_HOME;
            a0 += s == PK_AGENT_ACTIVE;
            j0 += s == PK_AGENT_JAILED;
            d0 += s == PK_AGENT_DEAD;
            l1 += (s != PK_AGENT_DEAD) & (gr[a] & 1u);
        }
        home += h0;
        act += a0;
        jail += j0;
        dead += d0;
        alive1 += l1;
    }
    int64_t *o = ep->icount[t];
    o[0] = home;
    o[1] = act;
    o[2] = jail;
    o[3] = dead;
    o[4] = alive1;
}

void pk__epstein_indicators(pk_world *w) {
    pk_ep_state *ep = w->ep;
    int64_t n[PK_AGENT_STATE_COUNT] = {0}, alive[2] = {0};
    int T = 1;
    if (ep->def.activation == PK_EP_PARALLEL && ep->threads > 1) {
        run_job(w, ind_count);
        T = ep->pool ? ep->pool->n + 1 : 1;
    } else ind_count(w, 0, 1);
    int64_t dead = 0;
    for (int t = 0; t < T; t++) {
        n[PK_AGENT_HOME] += ep->icount[t][0];
        n[PK_AGENT_ACTIVE] += ep->icount[t][1];
        n[PK_AGENT_JAILED] += ep->icount[t][2];
        dead += ep->icount[t][3];
        alive[1] += ep->icount[t][4];
    }
    alive[0] = w->n_agents - dead - alive[1];
    for (int32_t i = 0; i < w->n_ind; i++) w->ind_value[i] = 0;
    w->ind_value[ep->ind_active] = (double)n[PK_AGENT_ACTIVE];
    w->ind_value[ep->ind_jailed] = (double)n[PK_AGENT_JAILED];
    w->ind_value[ep->ind_quiet] = (double)n[PK_AGENT_HOME];
    if (ep->ind_arrests >= 0) w->ind_value[ep->ind_arrests] = (double)ep->arrests_today;
    if (ep->ind_deaths >= 0) w->ind_value[ep->ind_deaths] = (double)ep->killings_today;
    if (ep->def.model == 2) {
        w->ind_value[ep->ind_alive[0]] = (double)alive[0];
        w->ind_value[ep->ind_alive[1]] = (double)alive[1];
        w->ind_value[ep->ind_killings] = (double)ep->killings_today;
    }
    for (int32_t i = 0; i < w->n_ind; i++)
        if (w->ind_kind[i] == PK_IND_COUNT) w->ind_total[i] += w->ind_value[i];
}

/* ------------------------------------------------------------------ creation */

/* group ids and names: Model I has one group, Model II Epstein's two */
static const char *const group_ids[3][2] = {{"citizens", "Citizens"}, {"blue", "Blue"}, {"green", "Green"}};

static int add_indicator(pk_world *w, const char *name, pk_indicator_kind kind) {
    int32_t i = pk_world_indicator_find(w, name);
    if (i >= 0) return i;
    int32_t n = w->n_ind + 1;
    void *a = realloc(w->ind_name, (size_t)n * sizeof *w->ind_name);
    if (!a) return -1;
    w->ind_name = a;
    if (!(a = realloc(w->ind_kind, (size_t)n * sizeof *w->ind_kind))) return -1;
    w->ind_kind = a;
    if (!(a = realloc(w->ind_value, (size_t)n * sizeof *w->ind_value))) return -1;
    w->ind_value = a;
    if (!(a = realloc(w->ind_total, (size_t)n * sizeof *w->ind_total))) return -1;
    w->ind_total = a;
    snprintf(w->ind_name[w->n_ind], PK_NAME_MAX, "%s", name);
    w->ind_kind[w->n_ind] = (uint8_t)kind;
    w->ind_value[w->n_ind] = w->ind_total[w->n_ind] = 0;
    return w->n_ind++;
}

static void vision_shape(pk_ep_state *ep) {
    const int32_t v = ep->def.vision;
    ep->n_off = 0;
    for (int32_t r = 0; r <= 2 * v; r++) {
        int32_t dy = r - v, h;
        switch (ep->def.neighbourhood) {
        case PK_EP_VON_NEUMANN:
            h = v - abs(dy);
            break;
        case PK_EP_DISC:
            h = 0;
            while ((h + 1) * (h + 1) + dy * dy <= v * v) h++;
            break;
        default:
            h = v;
        }
        ep->hw[r] = h;
        ep->orow[r] = ep->n_off;
        if (h >= 0) ep->vk[r] = ((v - h) & ~3) | ((v + h) / 4 * 4 + 4) << 8;
        if (ep->vmask)
            for (int32_t k = 0; k < ep->pk; k++) ep->vmask[r * ep->pk + k] = abs(k - v) <= h ? ~(uint32_t)0 : 0;
        for (int32_t dx = -h; dx <= h; dx++) {
            if (dx == 0 && dy == 0) continue;
            ep->odx[ep->n_off] = dx;
            ep->ody[ep->n_off] = dy;
            ep->loff[ep->n_off] = dy * ep->W + dx;
            if (ep->poff) ep->poff[ep->n_off] = dy * ep->pw + dx;
            ep->n_off++;
        }
    }
}

/* The parallel proposals' scratch rows for `threads` threads; 0 when out of memory (the old
 * rows stay). */
static int scratch_alloc(pk_ep_state *ep, int threads) {
    if (threads <= ep->scr_threads) return 1;
    uint16_t *s = calloc((size_t)threads * 2 * (size_t)(ep->W + 16), sizeof *s);
    uint32_t *k = calloc((size_t)threads * 4 * (size_t)(ep->W + 16), sizeof *k);
    if (!s || !k) {
        free(s);
        free(k);
        return 0;
    }
    free(ep->pscr);
    free(ep->pkey);
    ep->pscr = s;
    ep->pkey = k;
    ep->scr_threads = threads;
    return 1;
}

#define ALLOC(p, n) (((p) = calloc((size_t)(n) > 0 ? (size_t)(n) : 1u, sizeof *(p))) != NULL)

pk_world *pk__epstein_create(const pk_world_def *def, pk_error *err) {
    const pk_epstein_def *d = def->epstein;
    if (pk_epstein_def_check(d, err) != PK_OK) return NULL;
    const int32_t W = d->width, H = d->height, ncell = W * H;
    double cop_density = d->model == 2 ? d->peacekeeper_density : d->cop_density;
    int32_t n_cit = (int32_t)llround(d->citizen_density * ncell), n_cops = (int32_t)llround(cop_density * ncell);
    if (n_cit + n_cops > ncell) n_cops = ncell - n_cit;
    /* the synthetic map: one region "grid" over the whole torus */
    pk_map *m = pk_map_create(W, H);
    if (!m || pk_map_add_region(m, "grid", "Epstein grid") < 0) {
        pk_map_free(m);
        pk_error_set(err, NULL, 0, NULL, "out of memory creating the grid");
        return NULL;
    }
    m->cell_km = 1.0;
    m->dlon = m->dlat = 0.009;
    memset(m->region, 0, (size_t)ncell * sizeof *m->region);
    pk_world_def gd = *def;
    gd.epstein = NULL;
    gd.map = m;
    gd.n_factions = 0;
    gd.n_groups = d->model == 2 ? 2 : 1;
    int32_t n_first = d->model == 2 ? (int32_t)llround(d->group_share * n_cit) : n_cit;
    for (int g = 0; g < gd.n_groups; g++) {
        gd.groups[g] = pk_group_def_default();
        const char *const *ids = group_ids[d->model == 2 ? 1 + g : 0];
        snprintf(gd.groups[g].id, PK_ID_MAX, "%s", ids[0]);
        snprintf(gd.groups[g].name, PK_NAME_MAX, "%s", ids[1]);
        gd.groups[g].agents_per_region[0] = g == 0 ? n_first : n_cit - n_first;
    }
    pk_world *w = pk_world_create(&gd, err);
    pk_map_free(m);
    if (!w) return NULL;
    pk_ep_state *ep = calloc(1, sizeof *ep);
    w->ep = ep;
    if (!ep) goto oom;
    ep->def = *d;
    w->def.epstein = &ep->def;
    ep->W = W;
    ep->H = H;
    ep->n_cells = ncell;
    ep->n_cit = n_cit;
    ep->n_cops = n_cops;
    ep->threads = 1;
#if defined(__SSE2__)
    ep->simd = 1;
#endif
#if PK_EP_AVX2
    __builtin_cpu_init();
    ep->avx2 = __builtin_cpu_supports("avx2") != 0;
#endif
    ep->qmax_l = ep->qmax_prev = -1.0; /* no table yet */
    ep->tiles_w = (W + TILE - 1) / TILE;
    ep->tiles_h = (H + TILE - 1) / TILE;
    int32_t n_all = n_cit + n_cops, max_off = (2 * d->vision + 1) * (2 * d->vision + 1);
    ep->ps = W + 2 * d->vision + 48;
    ep->fs = W + 2 * d->vision + 16;
    size_t tmp_n = (size_t)ep->fs * H, tmp_ps = ((size_t)ep->ps * H + 1) / 2; /* the field's sums; the empties' counts */
    if (tmp_ps > tmp_n) tmp_n = tmp_ps;
    if (!ALLOC(ep->occ, ncell) || !ALLOC(ep->cop_cell, n_cops) || !ALLOC(ep->hardship, n_cit) || !ALLOC(ep->field, ncell) ||
        !ALLOC(ep->odx, max_off) || !ALLOC(ep->ody, max_off) || !ALLOC(ep->loff, max_off) || !ALLOC(ep->ptab, max_off + 1) ||
        !ALLOC(ep->order, d->activation == PK_EP_RANDOM_SEQUENTIAL ? n_all : 0) ||
        !ALLOC(ep->tmp, tmp_n) || !ALLOC(ep->acc, (size_t)MAX_THREADS * W) ||
        !ALLOC(ep->qmax, n_cit) || !ALLOC(ep->xw, W + 2 * d->vision + 1) || !ALLOC(ep->yw, H + 2 * d->vision + 1) || !ALLOC(ep->cst, ncell))
        goto oom;
    for (int32_t i = 0; i < W + 2 * d->vision + 1; i++) ep->xw[i] = wrapi(i - d->vision, W);
    for (int32_t i = 0; i < H + 2 * d->vision + 1; i++) ep->yw[i] = wrapi(i - d->vision, H) * W;
    ep->pw = W + 2 * d->vision;
    if (d->activation == PK_EP_RANDOM_SEQUENTIAL) {
        size_t np = (size_t)ep->pw * (size_t)(H + 2 * d->vision);
        ep->pnone = (int32_t)np;
        ep->pad = calloc(np + 1, 1);
        ep->pcell = calloc(np, sizeof *ep->pcell);
        ep->poff = calloc((size_t)max_off, sizeof *ep->poff);
        ep->pcopy = calloc((size_t)ncell * 4, sizeof *ep->pcopy);
        ep->pk = (2 * d->vision + 1 + 3) & ~3;
        ep->pf = calloc(np + (size_t)ep->pk, sizeof *ep->pf);
        ep->vmask = calloc((size_t)(2 * d->vision + 1) * (size_t)ep->pk, sizeof *ep->vmask);
        if (!ep->pad || !ep->pcell || !ep->poff || !ep->pcopy || !ep->pf || !ep->vmask) goto oom;
    }
    if (d->activation == PK_EP_PARALLEL) {
        ep->claim = calloc((size_t)ncell, sizeof *ep->claim);
        ep->flag = calloc((size_t)n_cit + 1, sizeof *ep->flag);
        ep->tiles = calloc((size_t)ep->tiles_w * ep->tiles_h, sizeof *ep->tiles);
        ep->tnear = calloc(2 * (size_t)ep->tiles_w * ep->tiles_h, sizeof *ep->tnear);
        if (!ep->claim || !ep->flag || !ep->tiles || !ep->tnear || !scratch_alloc(ep, 1)) goto oom;
        for (int32_t c = 0; c < ncell; c++) atomic_init(&ep->claim[c], UINT32_MAX);
    }
    vision_shape(ep);
    if (ep->pf && ep->n_off <= 255) { /* cops in vision fit a byte: their own plane (serial) */
        size_t np = (size_t)ep->pw * (size_t)(H + 2 * d->vision);
        ep->pk8 = (2 * d->vision + 1 + 15) & ~15;
        ep->pfc = calloc(np + (size_t)ep->pk8, 1);
        ep->vmask8 = calloc((size_t)(2 * d->vision + 1) * (size_t)ep->pk8, 1);
        if (!ep->pfc || !ep->vmask8) goto oom;
        for (int32_t r = 0; r <= 2 * d->vision; r++)
            for (int32_t k = 0; k < ep->pk8; k++) ep->vmask8[r * ep->pk8 + k] = abs(k - d->vision) <= ep->hw[r] ? 0xff : 0;
    }
    for (int32_t n = 0; n <= ep->n_off; n++) ep->ptab[n] = 1.0 - exp(-d->k * (double)n);

    /* placement: a random permutation of the cells; citizens on the first n_cit, cops on
     * the next n_cops (NetLogo creates exact counts; Mesa draws each cell's occupant) */
    int32_t *perm = (int32_t *)(void *)ep->tmp; /* scratch of (W+1)*H >= ncell entries */
    for (int32_t c = 0; c < ncell; c++) {
        perm[c] = c;
        ep->occ[c] = -1;
    }
    pk_rng rng;
    pk_rng_init(&rng, pk_rng_key(def->seed, "epstein.place"));
    for (int32_t i = 0; i < n_all; i++) {
        int32_t k = i + (int32_t)pk_rng_below(&rng, (uint64_t)(ncell - i));
        int32_t t = perm[i];
        perm[i] = perm[k];
        perm[k] = t;
    }
    if (d->activation == PK_EP_PARALLEL) {
        /* numbered in cell order (the same distribution: H and R are drawn per citizen, not
         * per cell), so that the parallel phases, which go over citizens by number, read and
         * write the grid near where they last did rather than at random: agents move at most
         * `vision` cells a day */
        for (int32_t i = 0; i < n_all; i++) ep->occ[perm[i]] = i < n_cit ? -2 : -3;
        int32_t a = 0, j = n_cit;
        for (int32_t c = 0; c < ncell; c++)
            if (ep->occ[c] == -2) perm[a++] = c;
            else if (ep->occ[c] == -3) perm[j++] = c;
        for (int32_t c = 0; c < ncell; c++) ep->occ[c] = -1;
    }
    for (int32_t a = 0; a < n_cit; a++) {
        int32_t c = perm[a];
        ep->occ[c] = a;
        w->a_cell[a] = w->a_home[a] = c;
        w->a_state[a] = PK_AGENT_HOME;
        w->a_jail[a] = 0;
        ep->hardship[a] = (float)pk_rng_uniform(&rng); /* H ~ U(0,1) */
        w->a_risk[a] = (float)pk_rng_uniform(&rng);    /* R ~ U(0,1) */
    }
    for (int32_t j = 0; j < n_cops; j++) {
        int32_t c = perm[n_cit + j];
        ep->occ[c] = n_cit + j;
        ep->cop_cell[j] = c;
    }
    pad_build(ep);
    pk_rng_init(&ep->rng, pk_rng_key(def->seed, "epstein.activation"));
    ep->key_par = pk_rng_key(def->seed, "epstein.parallel");
    field_rebuild(w, 0);

    /* indicators: the global columns stay (0 where meaningless); ours are added */
    ep->n_ind_base = w->n_ind;
    ep->ind_active = add_indicator(w, "active", PK_IND_LEVEL);
    ep->ind_quiet = add_indicator(w, "quiet", PK_IND_LEVEL);
    ep->ind_jailed = add_indicator(w, "jailed", PK_IND_LEVEL);
    ep->ind_arrests = pk_world_indicator_find(w, "arrests");
    ep->ind_deaths = pk_world_indicator_find(w, "civilian_deaths");
    ep->ind_alive[0] = ep->ind_alive[1] = ep->ind_killings = -1;
    if (d->model == 2) {
        ep->ind_alive[0] = add_indicator(w, "alive.blue", PK_IND_LEVEL);
        ep->ind_alive[1] = add_indicator(w, "alive.green", PK_IND_LEVEL);
        ep->ind_killings = add_indicator(w, "killings", PK_IND_COUNT);
        if (ep->ind_alive[0] < 0 || ep->ind_alive[1] < 0 || ep->ind_killings < 0) goto oom;
    }
    if (ep->ind_active < 0 || ep->ind_quiet < 0 || ep->ind_jailed < 0) goto oom;
    return w;
oom:
    pk_world_destroy(w);
    pk_error_set(err, NULL, 0, NULL, "out of memory creating the Epstein grid");
    return NULL;
}

void pk__epstein_free(pk_world *w) {
    pk_ep_state *ep = w->ep;
    if (!ep) return;
    pool_destroy(ep->pool);
    void *arrays[] = {ep->occ, ep->cop_cell, ep->hardship, ep->field, ep->odx, ep->ody, ep->loff, ep->ptab, ep->order,
                      ep->tmp, ep->acc, (void *)ep->claim, (void *)ep->flag, ep->tiles, ep->tnear,
                      ep->xw, ep->yw, ep->cst, ep->pscr, ep->pkey, ep->pad, ep->poff, ep->pcell, ep->pcopy, ep->pf, ep->pfc, ep->vmask8, ep->vmask, ep->qmax};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) free(arrays[i]);
    free(ep);
    w->ep = NULL;
}

/* ------------------------------------------------------------------ state, save, restore */

int pk__epstein_state_fields(const pk_world *w, pk__field *out) {
    const pk_ep_state *ep = w->ep;
    if (!ep) return 0;
    out[0] = (pk__field){ep->occ, (size_t)ep->n_cells * sizeof *ep->occ};
    out[1] = (pk__field){ep->cop_cell, (size_t)ep->n_cops * sizeof *ep->cop_cell};
    out[2] = (pk__field){ep->hardship, (size_t)ep->n_cit * sizeof *ep->hardship};
    out[3] = (pk__field){(void *)ep->rng.s, sizeof ep->rng.s};
    return 4;
}

const char *pk__epstein_restored(pk_world *w) {
    pk_ep_state *ep = w->ep;
    if (!ep) return NULL;
    for (int32_t c = 0; c < ep->n_cells; c++)
        if (ep->occ[c] < -1 || ep->occ[c] >= ep->n_cit + ep->n_cops) return "grid occupant out of range";
    for (int32_t a = 0; a < ep->n_cit; a++) {
        if (w->a_state[a] == PK_AGENT_DEAD) continue;
        if (ep->occ[w->a_cell[a]] != a) return "citizen not on its cell";
        if (!(ep->hardship[a] >= 0.f && ep->hardship[a] <= 1.f)) return "hardship out of range";
    }
    for (int32_t j = 0; j < ep->n_cops; j++) {
        int32_t c = ep->cop_cell[j];
        if (c < -1 || c >= ep->n_cells || (c >= 0 && ep->occ[c] != ep->n_cit + j)) return "cop not on its cell";
    }
    pad_build(ep);
    field_rebuild(w, 0);
    ep->qmax_l = ep->qmax_prev = -1.0; /* hardship may have changed: no table */
    return NULL;
}

/* ------------------------------------------------------------------ public access */

const pk_epstein_def *pk_world_epstein(const pk_world *w) { return w->ep ? &w->ep->def : NULL; }

void pk_world_set_threads(pk_world *w, int threads) {
    if (!w->ep) return;
    if (threads < 1) threads = 1;
    if (threads > MAX_THREADS) threads = MAX_THREADS;
    if (threads == w->ep->threads) return;
    if (w->ep->def.activation == PK_EP_PARALLEL && !scratch_alloc(w->ep, threads)) return; /* out of memory: as many as before */
    pool_destroy(w->ep->pool);
    w->ep->pool = NULL;
    w->ep->threads = threads;
}

int pk_world_threads(const pk_world *w) {
    return w->ep && w->ep->def.activation == PK_EP_PARALLEL ? w->ep->threads : 1;
}

int32_t pk_world_epstein_cops(const pk_world *w, const int32_t **cells) {
    if (!w->ep) {
        if (cells) *cells = NULL;
        return 0;
    }
    if (cells) *cells = w->ep->cop_cell;
    int32_t n = 0;
    for (int32_t j = 0; j < w->ep->n_cops; j++) n += w->ep->cop_cell[j] >= 0;
    return n;
}
