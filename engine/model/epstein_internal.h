/* epstein_internal.h — the state of Epstein's civil-violence models (engine/model/epstein.c)
 * that the world points at (w->ep). Shared with engine/core only through the hooks declared
 * in world_internal.h; the layout is private to epstein.c and its unit tests. */
#ifndef PK_EPSTEIN_INTERNAL_H
#define PK_EPSTEIN_INTERNAL_H

#include <stdatomic.h>

#include "world_internal.h"

typedef struct pk_ep_pool pk_ep_pool;

typedef struct pk_ep_state {
    pk_epstein_def def;        /* the world's copy; w->def.epstein points here */
    int32_t W, H, n_cells;
    int32_t n_cit, n_cops;     /* citizens are the world's agents 0..n_cit-1; cop j has id n_cit + j */

    /* simulation state (saved and hashed) */
    int32_t *occ;              /* [n_cells] -1 empty, else the id of the one agent on the cell */
    int32_t *cop_cell;         /* [n_cops] cell, -1 once withdrawn */
    float *hardship;           /* [n_cit] H ~ U(0,1), drawn once (Epstein 2002) */
    pk_rng rng;                /* the random-sequential activation's stream */
    uint64_t key_par;          /* the parallel activation's counter-based stream (from the seed) */

    /* derived (rebuilt after restore, never saved) */
    uint32_t *field;           /* [n_cells] cops in vision (low 16 bits) | actives in vision << 16; centre excluded */
    int32_t n_off;             /* cells in vision, centre excluded */
    int32_t *odx, *ody;        /* [n_off] vision offsets */
    int32_t *loff;             /* [n_off] the same as a linear offset, ody * W + odx (cells away from the wrap) */
    int32_t hw[41];            /* half width of the vision's row dy = r - vision, r in 0..2*vision */
    double *ptab;              /* [n_off + 1] 1 - exp(-k n) */
    int32_t *xw, *yw;          /* [W + 2 vision + 1], [H + 2 vision + 1]: x + dx + vision -> wrapped x; y -> wrapped y * W */
    uint8_t *pad;              /* random_sequential: [(W + 2 vision) * (H + 2 vision)] 1 if the cell is empty, the
                                  torus unrolled with a border of `vision` copies, so a cell in vision is one
                                  linear offset away (no wrap); rebuilt from occ, never saved */
    int32_t *poff;             /* [n_off] the vision offsets in pad (dy * (W + 2 vision) + dx) */
    int32_t pw;                /* W + 2 vision */
    int32_t *pcopy;            /* [4 n_cells] the pad indices of the cell's copies: its own, then the one across
                                  the wrap in x, in y, in both; pnone where the cell has no such copy */
    int32_t pnone;             /* the spare entry past the pad (pad size): never read by a search, 0 in pf */
    int32_t *pcell;            /* [pad size] the cell each pad entry is a copy of */
    uint32_t *pf;              /* random_sequential: the field on the pad's layout, [pad size + pk]; a cell's
                                  value is the sum over its copies (field_at); NULL under parallel */
    uint8_t *pfc;              /* random_sequential with n_off <= 255: the cops in vision on a byte plane of the
                                  pad's layout [pad size + pk8] (pf then holds only the actives), so that a cop's
                                  move updates 16 cells a block; NULL otherwise */
    uint8_t *vmask8;           /* [(2 vision + 1) * pk8] per vision row, 0xff on the columns -v + k it covers */
    int32_t pk8;               /* 2 vision + 1 rounded up to 16 */
    uint32_t *vmask;           /* [(2 vision + 1) * pk] per vision row, ~0 on the columns -v + k it covers */
    int32_t vk[41];            /* the blocks of 4 row r of vmask covers: first (k0, low byte) | end (k1) << 8 */
    int32_t pk;                /* 2 vision + 1 rounded up to 4: the width of a masked row update */
    uint8_t *cst;              /* [n_cells] what is on the cell (CS_*): kept by the parallel activation,
                                  rebuilt from occ and the agents' states before a field rebuild */

    uint16_t *qmax;            /* [n_cit] rule A as q < qmax (epstein.c qmax_ready), for 1 - L = qmax_l */
    double qmax_l, qmax_prev;  /* the 1 - L the table holds for; the 1 - L seen the step before */
    int use_q;                 /* the table holds for today (parallel activation) */
    int actives_counted;       /* today's arrests go through prefix counts of the actives (parallel) */
    int arrest_path;           /* 0 by the number of actives; 1 always a scan, 2 always counts (tests) */

    /* scratch */
    int32_t *order;            /* [n_cit + n_cops] the serial activation order */
    uint32_t *tmp;             /* [fs * H] the field rebuild's row sums (Moore) or padded row prefix sums; the
                                  parallel proposals' empty-cell counts (uint16, stride ps) */
    int32_t fs;                /* the stride of tmp's rows for the field: W + 2 vision + 16 */
    uint32_t *acc;             /* [threads * W] vertical running sums */
    _Atomic uint32_t *claim;   /* [n_cells] lowest priority key of the movers proposing the cell: 20 random
                                  bits, then the mover's offset index (unique per target cell) */
    _Atomic uint8_t *flag;     /* [n_cit] 1 arrested, 2 killed (parallel) */
    uint32_t *tiles;           /* [n_tiles] actives per 8x8 tile (parallel; counted as citizens turn active) */
    uint32_t *tnear;           /* [2 n_tiles] parallel: the actives within reach of each tile (epstein.c
                                  tiles_near_build), then scratch */
    int32_t orow[41];          /* the index in the vision offsets (odx, ody) of the first cell of vision row r */
    int32_t ps;                /* parallel: the stride of the rows of empty-cell prefix counts (uint16 in tmp),
                                  W + 2 vision + 48 (a vector's reach past the padded row) */
    uint16_t *pscr;            /* parallel: per thread, two rows of W + 16 (a row's ranks and vision rows) */
    uint32_t *pkey;            /* parallel: per thread, four rows of W: priority keys, claims (key, cell), movers' columns */
    int32_t scr_threads;       /* threads pscr and pkey have room for */
    uint64_t key_day;          /* the parallel stream's key for the current day */
    int32_t tiles_w, tiles_h;
    /* per thread, a row of 128 bytes each so that no two threads' counters share a cache line */
    int64_t icount[64][16];    /* agents home, active, jailed, dead; living in group 1 (indicators) */
    int64_t counts[64][16];    /* arrests, killings */
    int64_t pad_next0[8];      /* next alone on its cache line */
    _Atomic int64_t next;      /* the next piece of the current parallel job (epstein.c take) */
    int64_t pad_next1[8];

    int threads;
    int avx2;                  /* use the AVX2 loops (the processor has them); the results are the same */
    int simd;                  /* use the SSE2 loops (the build has them); 0: the plain C loops, the same results */
    pk_ep_pool *pool;

    /* indicator columns (indices into w->ind_*) */
    int32_t ind_quiet, ind_active, ind_jailed, ind_arrests, ind_alive[2], ind_killings, ind_deaths;
    int32_t n_ind_base;        /* the generic indicators before ours */

    /* the day's figures */
    int64_t arrests_today, killings_today;
    double legit_today;
} pk_ep_state;

/* The field (cops in vision | actives in vision << 16) of cell c, under either activation:
 * the serial one keeps it on the pad's layout, where a cell near the border has copies. */
static inline uint32_t field_at(const pk_ep_state *ep, int32_t c) {
    if (!ep->pf) return ep->field[c];
    const int32_t *q = ep->pcopy + 4 * (size_t)c;
    uint32_t f = ep->pf[q[0]] + ep->pf[q[1]] + ep->pf[q[2]] + ep->pf[q[3]];
    if (ep->pfc) /* a copy alone may be "negative" (mod 256); the sum, a count <= 255, is exact mod 256 */
        f += (uint8_t)(ep->pfc[q[0]] + ep->pfc[q[1]] + ep->pfc[q[2]] + ep->pfc[q[3]]);
    return f;
}

#endif
