/* core_epstein.c — Epstein's civil-violence models (engine/model/epstein.c) against the
 * paper's findings and Mesa's independent implementation, plus determinism. Sizes are
 * fixed (40x40 grids, a few hundred days); PKOSIM_TEST_SCALE (test.h; below 1 for a quick
 * local run, CI runs everything whole) scales only the number of seeds and days of the long
 * statistical runs, never the thresholds, and each test prints what it measured. */
#include <stdint.h>

#include "epstein_internal.h"
#include "test.h"

static double scale(void) { return test_scale(); }

static pk_world *make(const pk_epstein_def *d, uint64_t seed) {
    pk_world_def wd = pk_world_def_default();
    wd.seed = seed;
    wd.epstein = d;
    pk_error err;
    pk_world *w = pk_world_create(&wd, &err);
    if (!w) fprintf(stderr, "create: %s: %s\n", err.path, err.msg);
    REQUIRE(w != NULL);
    return w;
}

/* Run `days`, storing the active count of each day in act[0..days-1]. */
static void run(pk_world *w, int days, double *act) {
    int32_t ia = pk_world_indicator_find(w, "active");
    REQUIRE(ia >= 0);
    for (int d = 0; d < days; d++) {
        pk_world_step(w);
        if (act) act[d] = pk_world_indicator(w, ia);
    }
}

/* An outburst: active rises to `hi` or more after having been below `lo` (hysteresis, so
 * a noisy peak counts once). Returns the number of outbursts; *peak the largest active. */
static int outbursts(const double *act, int n, double hi, double lo, double *peak) {
    int count = 0, on = 0;
    double p = 0;
    for (int i = 0; i < n; i++) {
        if (act[i] > p) p = act[i];
        if (!on && act[i] >= hi) {
            count++;
            on = 1;
        } else if (on && act[i] < lo) {
            on = 0;
        }
    }
    if (peak) *peak = p;
    return count;
}

static pk_epstein_def mesa_def(int run1) {
    pk_epstein_def d = pk_epstein_def_default();
    d.neighbourhood = PK_EP_VON_NEUMANN;
    d.arrest_rounding = PK_EP_ROUND_HALF_EVEN;
    d.jail_draw = PK_EP_JAIL_UP_TO_MAX;
    d.cop_density = run1 ? 0.04 : 0.074;
    d.legitimacy = d.legitimacy_end = run1 ? 0.82 : 0.8;
    d.max_jail = run1 ? 30 : 1000;
    return d;
}

/* The incremental vision counts of the serial activation equal a fresh count. */
static void test_field_consistent(void) {
    pk_epstein_def d = mesa_def(1);
    for (int nb = 0; nb < 3; nb++) {
        d.neighbourhood = (pk_ep_neighbourhood)nb;
        pk_world *w = make(&d, 3);
        pk_ep_state *ep = w->ep;
        uint32_t *copy = malloc((size_t)ep->n_cells * sizeof *copy);
        REQUIRE(copy);
        for (int day = 0; day < 60; day++) {
            pk_world_step(w);
            for (int32_t c = 0; c < ep->n_cells; c++) copy[c] = field_at(ep, c);
            REQUIRE(pk__epstein_restored(w) == NULL); /* rebuilds the field from scratch */
            CHECK(memcmp(copy, ep->field, (size_t)ep->n_cells * sizeof *copy) == 0);
            /* and the serial activation's empty-cell pad agrees with the occupancy grid */
            int32_t np = ep->pw * (ep->H + 2 * d.vision), bad = 0;
            for (int32_t p = 0; p < np; p++) bad += ep->pad[p] != (ep->occ[ep->pcell[p]] < 0);
            CHECK(bad == 0);
        }
        /* every citizen on its cell, one agent per cell */
        int32_t occupied = 0;
        for (int32_t c = 0; c < ep->n_cells; c++) occupied += ep->occ[c] >= 0;
        CHECK(occupied == ep->n_cit + ep->n_cops);
        free(copy);
        pk_world_destroy(w);
    }
}

/* Epstein 2002 Run 1 / NetLogo defaults: punctuated equilibrium — several separate
 * outbursts (active >= 50 after < 10) in 500 days, for every seed. With NetLogo's own
 * neighbourhood (a disc, `in-radius`) the defaults give 14-17 of them; with the Moore
 * square (the default) citizens see more cops and outbursts are rarer, so the
 * Moore case is checked over the seeds together. */
static void test_punctuated_equilibrium(void) {
    int days = 500, seeds = scale() < 1 ? 2 : 5;
    double act[500];
    pk_epstein_def d = pk_epstein_def_default();
    d.neighbourhood = PK_EP_DISC;
    for (int s = 1; s <= seeds; s++) {
        pk_world *w = make(&d, (uint64_t)s);
        run(w, days, act);
        double peak;
        int n = outbursts(act, days, 50, 10, &peak);
        int quiet_days = 0;
        for (int i = 0; i < days; i++) quiet_days += act[i] < 10;
        printf("  punctuated (disc) seed %d: %d outbursts, peak %.0f, %d of %d days quiet\n", s, n, peak, quiet_days, days);
        CHECK(n >= 4);
        CHECK(quiet_days > days / 2); /* equilibrium most of the time */
        pk_world_destroy(w);
    }
    d.neighbourhood = PK_EP_MOORE;
    int total = 0;
    for (int s = 1; s <= seeds; s++) {
        pk_world *w = make(&d, (uint64_t)s);
        run(w, days, act);
        double peak;
        total += outbursts(act, days, 50, 10, &peak);
        pk_world_destroy(w);
    }
    printf("  punctuated (moore): %d outbursts over %d seeds x %d days\n", total, seeds, days);
    CHECK(total >= seeds / 2 + 1);
    /* the parallel activation (synchronous phases) keeps the punctuated equilibrium */
    d.neighbourhood = PK_EP_DISC;
    d.activation = PK_EP_PARALLEL;
    for (int s = 1; s <= 2; s++) {
        pk_world *w = make(&d, (uint64_t)s);
        run(w, days, act);
        double peak;
        int n = outbursts(act, days, 50, 10, &peak), quiet_days = 0;
        for (int i = 0; i < days; i++) quiet_days += act[i] < 10;
        printf("  punctuated (disc, parallel) seed %d: %d outbursts, peak %.0f, %d of %d days quiet\n", s, n, peak, quiet_days,
               days);
        CHECK(n >= 4);
        CHECK(quiet_days > days / 2);
        pk_world_destroy(w);
    }
}

/* Epstein 2002 Figs 9-10, the legitimacy paradox: a sudden drop of legitimacy (0.82 ->
 * 0.45 on day 50) gives a large outburst; a larger gradual drop (0.82 -> 0.20 over 300
 * days) gives none, because the cops jail the most aggrieved one by one as each crosses
 * the threshold alone. It holds with the paper's arrest probability, P = 1 - exp(-k C/A)
 * unrounded, and long jail terms (max_jail 1000, so those picked off stay off the street).
 * With NetLogo's floor(C/A), P falls to 0 as soon as the actives in vision outnumber the
 * cops, and the gradual arm bursts too; that arm is printed, not checked (docs/MODEL.md).
 * Measure: the peak of active citizens per seed (after the jump day for the jump arm). */
static double paradox_peak(pk_epstein_def d, uint64_t seed, int days, int from, double *jailed_end) {
    double act[300];
    pk_world *w = make(&d, seed);
    run(w, days, act);
    double p = 0;
    for (int i = from - 1; i < days; i++) p = act[i] > p ? act[i] : p;
    if (jailed_end) *jailed_end = pk_world_indicator(w, pk_world_indicator_find(w, "jailed"));
    pk_world_destroy(w);
    return p;
}

static void test_legitimacy_paradox(void) {
    int seeds = scale() < 1 ? 3 : 6, days = 300;
    double jump = 0, gradual = 0, jailed = 0, floor_jump = 0, floor_gradual = 0;
    for (int s = 1; s <= seeds; s++) {
        pk_epstein_def d = pk_epstein_def_default();
        d.arrest_rounding = PK_EP_ROUND_NONE;
        d.max_jail = 1000;
        d.days = days;
        pk_epstein_def dj = d, dg = d;
        dj.legitimacy_schedule = PK_EP_LEGIT_JUMP;
        dj.legitimacy_end = 0.45;
        dj.jump_day = 50;
        dg.legitimacy_schedule = PK_EP_LEGIT_GRADUAL;
        dg.legitimacy_end = 0.20;
        double jl, pj = paradox_peak(dj, (uint64_t)s, days, 50, NULL), pg = paradox_peak(dg, (uint64_t)s, days, 1, &jl);
        printf("  paradox seed %d: peak active after a jump 0.82->0.45: %.0f; gradual 0.82->0.20: %.0f (%.0f jailed at the end)\n",
               s, pj, pg, jl);
        CHECK(pj >= 150); /* a large outburst after every sudden drop */
        CHECK(pg < 50);   /* no outburst (the threshold of test_punctuated_equilibrium) in any gradual run */
        jump += pj / seeds;
        gradual += pg / seeds;
        jailed += jl / seeds;
        if (s <= 2) { /* the same with NetLogo's floor, for the record */
            dj.arrest_rounding = dg.arrest_rounding = PK_EP_ROUND_FLOOR;
            floor_jump += paradox_peak(dj, (uint64_t)s, days, 50, NULL) / 2;
            floor_gradual += paradox_peak(dg, (uint64_t)s, days, 1, NULL) / 2;
        }
    }
    printf("  paradox: mean peak jump %.0f, gradual %.0f (mean jailed at the end %.0f); with floor(C/A) (2 seeds, not "
           "checked): jump %.0f, gradual %.0f\n",
           jump, gradual, jailed, floor_jump, floor_gradual);
    CHECK(jump >= 5 * gradual); /* the smaller sudden drop gives at least 5x the peak of the larger gradual one */
}

/* Two-sample Kolmogorov-Smirnov statistic of the pooled per-step active counts. */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static double ks_stat(double *a, int na, double *b, int nb) {
    qsort(a, (size_t)na, sizeof *a, cmp_double);
    qsort(b, (size_t)nb, sizeof *b, cmp_double);
    int i = 0, j = 0;
    double dmax = 0;
    while (i < na && j < nb) {
        double v = a[i] < b[j] ? a[i] : b[j];
        while (i < na && a[i] <= v) i++;
        while (j < nb && b[j] <= v) j++;
        double dd = fabs((double)i / na - (double)j / nb);
        if (dd > dmax) dmax = dd;
    }
    return dmax;
}

/* Read Mesa's trace: active counts of steps 1..500. Returns the number read. */
static int read_trace(const char *name, double *act, int max) {
    char path[1024];
    char rel[256];
    snprintf(rel, sizeof rel, "reference/mesa-epstein/%s", name);
    SHARED_PATH(path, rel);
    FILE *f = fopen(path, "r");
    if (!f) fprintf(stderr, "cannot open %s\n", path);
    REQUIRE(f);
    char line[256];
    int n = 0;
    if (!fgets(line, sizeof line, f)) n = -1;
    while (n >= 0 && n < max && fgets(line, sizeof line, f)) {
        int step, a, q, j;
        if (sscanf(line, "%d,%d,%d,%d", &step, &a, &q, &j) != 4) continue;
        if (step == 0) continue;
        act[n++] = a;
    }
    fclose(f);
    return n;
}

/* Mesa v3.3.1's traces (both families, 5 seeds x 500 steps each) against ours with the
 * same settings (5 seeds): the distribution of per-step active counts (quantiles, and the
 * KS distance of the pooled samples), and the number and size of outbursts. Tolerances
 * are stated with each check; they allow for 5-seed sampling noise (Mesa's run-1 seeds
 * alone range from 4 to 9 outbursts and 69 to 210 peak). */
static void test_mesa_comparison(void) {
    int seeds = 5, days = 500;
    if (scale() < 1) days = 300;
    for (int fam = 0; fam < 2; fam++) {
        static double ours[5 * 500], theirs[5 * 500];
        int n_ours = 0, n_theirs = 0, out_ours = 0, out_theirs = 0;
        double peak_ours = 0, peak_theirs = 0, mean_ours = 0, mean_theirs = 0;
        for (int s = 1; s <= seeds; s++) {
            char name[64];
            snprintf(name, sizeof name, fam ? "trace_epsteinrun1_seed%d.csv" : "trace_seed%d.csv", s);
            int n = read_trace(name, theirs + n_theirs, days);
            REQUIRE(n == days);
            double pk;
            out_theirs += outbursts(theirs + n_theirs, n, 50, 10, &pk);
            peak_theirs += pk / seeds;
            n_theirs += n;
            pk_epstein_def d = mesa_def(fam);
            pk_world *w = make(&d, (uint64_t)(100 + s));
            run(w, days, ours + n_ours);
            out_ours += outbursts(ours + n_ours, days, 50, 10, &pk);
            peak_ours += pk / seeds;
            n_ours += days;
            pk_world_destroy(w);
        }
        for (int i = 0; i < n_ours; i++) mean_ours += ours[i] / n_ours;
        for (int i = 0; i < n_theirs; i++) mean_theirs += theirs[i] / n_theirs;
        double ks = ks_stat(ours, n_ours, theirs, n_theirs);
        double q90o = ours[(int)(0.9 * n_ours)], q90t = theirs[(int)(0.9 * n_theirs)];
        double q99o = ours[(int)(0.99 * n_ours)], q99t = theirs[(int)(0.99 * n_theirs)];
        double zero_o = 0, zero_t = 0;
        for (int i = 0; i < n_ours; i++) zero_o += ours[i] == 0;
        for (int i = 0; i < n_theirs; i++) zero_t += theirs[i] == 0;
        printf("  mesa %s: mean active ours %.2f theirs %.2f; q90 %.0f/%.0f; q99 %.0f/%.0f; share of steps with none "
               "%.2f/%.2f; outbursts %d/%d; mean peak %.0f/%.0f; KS D = %.3f\n",
               fam ? "run1" : "default", mean_ours, mean_theirs, q90o, q90t, q99o, q99t, zero_o / n_ours, zero_t / n_theirs,
               out_ours, out_theirs, peak_ours, peak_theirs, ks);
        if (fam == 0) {
            /* almost quiet: fewer than 1 active on average, no outburst, peaks under 30 */
            CHECK(mean_ours < 1.0);
            CHECK(out_ours == 0 && out_theirs == 0);
            CHECK(peak_ours < 30);
            CHECK(fabs(zero_o / n_ours - zero_t / n_theirs) < 0.1);
        } else {
            /* punctuated: means within a factor 2, outbursts and peaks within a factor 2.5 */
            CHECK(mean_ours > mean_theirs / 2 && mean_ours < mean_theirs * 2);
            CHECK(out_ours * 5 >= out_theirs * 2 && out_ours * 2 <= out_theirs * 5);
            CHECK(peak_ours > peak_theirs / 2.5 && peak_ours < peak_theirs * 2.5);
            CHECK(ks < 0.25);
        }
    }
}

/* Model II: with low legitimacy and no peacekeepers one group is largely destroyed;
 * peacekeepers delay destruction, more so the more there are; safe havens form around
 * them; after they withdraw the killing resumes. */
static int days_to_destruction(pk_world *w, int max_days) {
    int32_t ib = pk_world_indicator_find(w, "alive.blue"), ig = pk_world_indicator_find(w, "alive.green");
    REQUIRE(ib >= 0 && ig >= 0);
    pk_world_step(w);
    double b0 = pk_world_indicator(w, ib), g0 = pk_world_indicator(w, ig);
    for (int d = 2; d <= max_days; d++) {
        pk_world_step(w);
        double b = pk_world_indicator(w, ib), g = pk_world_indicator(w, ig);
        if (b < 0.2 * b0 || g < 0.2 * g0) return d;
    }
    return max_days + 1;
}

static pk_epstein_def model2_def(double pk_density) {
    pk_epstein_def d = pk_epstein_def_default();
    d.model = 2;
    d.legitimacy = d.legitimacy_end = 0.7;
    d.vision = 3;
    d.peacekeeper_density = pk_density;
    d.citizen_density = 0.7;
    return d;
}

/* Safe havens: the share of the losing group's free survivors (neither dead nor jailed)
 * standing within a peacekeeper's vision, against the share of all cells that are. */
static void haven_shares(pk_world *w, double *survivors, double *cells) {
    pk_ep_state *ep = w->ep;
    double b = pk_world_indicator(w, pk_world_indicator_find(w, "alive.blue"));
    double g = pk_world_indicator(w, pk_world_indicator_find(w, "alive.green"));
    uint8_t victims = b < g ? 0 : 1;
    int32_t n = 0, in = 0, cov = 0;
    /* field's low 16 bits: peacekeepers in the cell's vision (exact: they hold their posts) */
    for (int32_t c = 0; c < ep->n_cells; c++) cov += (field_at(ep, c) & 0xffffu) != 0;
    for (int32_t a = 0; a < ep->n_cit; a++) {
        uint8_t st = w->a_state[a];
        if (w->a_group[a] != victims || st == PK_AGENT_DEAD || st == PK_AGENT_JAILED) continue;
        n++;
        in += (field_at(ep, w->a_cell[a]) & 0xffffu) != 0;
    }
    *survivors = n ? (double)in / n : 0;
    *cells = (double)cov / ep->n_cells;
}

static void test_model2(void) {
    int seeds = scale() < 1 ? 3 : 6, max_days = 300;
    const double dens[4] = {0.0, 0.01, 0.02, 0.03};
    double t[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
        printf("  model II peacekeepers %.2f: days until a group is below 20%%:", dens[i]);
        for (int s = 1; s <= seeds; s++) {
            pk_epstein_def d = model2_def(dens[i]);
            pk_world *w = make(&d, (uint64_t)s);
            int td = days_to_destruction(w, max_days);
            printf(" %d", td);
            t[i] += (double)td / seeds;
            if (i == 0) CHECK(td <= 30); /* without peacekeepers one group falls below 20% within a month */
            pk_world_destroy(w);
        }
        printf("; mean %.1f\n", t[i]);
    }
    for (int i = 1; i < 4; i++) CHECK(t[i] > 1.5 * t[i - 1]); /* each step of density delays destruction by half again */

    /* safe havens, on day 30 */
    for (int i = 1; i <= 2; i++) {
        double sv = 0, cl = 0;
        int more = 0; /* seeds whose survivors are more often protected than the cells */
        for (int s = 1; s <= seeds; s++) {
            pk_epstein_def d = model2_def(dens[i]);
            pk_world *w = make(&d, (uint64_t)s);
            run(w, 30, NULL);
            double a, b;
            haven_shares(w, &a, &b);
            printf("  model II havens, peacekeepers %.2f, seed %d: %.2f vs %.2f\n", dens[i], s, a, b);
            more += a > b;
            sv += a / seeds;
            cl += b / seeds;
            pk_world_destroy(w);
        }
        /* odds ratio of being within a peacekeeper's vision, survivors against cells */
        double odds = (sv / (1 - sv)) / (cl / (1 - cl));
        printf("  model II havens, peacekeepers %.2f, day 30: %.2f of the losing group's free survivors within a "
               "peacekeeper's vision vs %.2f of the cells (odds ratio %.2f)\n",
               dens[i], sv, cl, odds);
        CHECK(odds >= 1.5);
        CHECK(more >= seeds - 1); /* and in all seeds but at most one */
    }

    /* withdrawal on day 100 (the peacekeepers leave at the start of that day): killings in
     * days 70-99 against days 100-129 */
    double before = 0, after = 0;
    for (int s = 1; s <= (seeds + 1) / 2; s++) {
        pk_epstein_def d = model2_def(0.1);
        d.withdraw_day = 100;
        pk_world *w = make(&d, (uint64_t)s);
        int32_t ik = pk_world_indicator_find(w, "killings");
        double b = 0, a = 0;
        for (int day = 1; day <= 130; day++) {
            pk_world_step(w);
            if (day >= 70 && day < 100) b += pk_world_indicator(w, ik);
            if (day >= 100) a += pk_world_indicator(w, ik);
        }
        CHECK(pk_world_epstein_cops(w, NULL) == 0);
        printf("  model II withdrawal seed %d: killings in the 30 days before %.0f, after %.0f\n", s, b, a);
        CHECK(a > 5 * b + 100);
        before += b;
        after += a;
        pk_world_destroy(w);
    }
    CHECK(after > 10 * before);
}

/* Parallel activation: the same hash with 1 and 2 threads; save / restore mid-run
 * reproduces the hash of an uninterrupted run (both activations, both models). */
static void test_determinism(void) {
    for (int model = 1; model <= 2; model++) {
        pk_epstein_def d = model == 2 ? model2_def(0.02) : pk_epstein_def_default();
        d.activation = PK_EP_PARALLEL;
        d.width = 64;
        d.height = 48;
        pk_world *a = make(&d, 9), *b = make(&d, 9), *c = make(&d, 9), *e = make(&d, 9), *f = make(&d, 9), *g = make(&d, 9);
        pk_world_set_threads(b, 2);
        c->ep->avx2 = 0; /* the SSE2 loops, against the AVX2 ones where the processor has them */
        e->ep->arrest_path = 1; /* the cops scan their vision */
        f->ep->arrest_path = 2; /* the cops read prefix counts of the actives */
        g->ep->avx2 = g->ep->simd = 0; /* the plain C loops (a machine without SSE2 or AVX2) */
        int64_t arrests = 0;
        for (int day = 0; day < 80; day++) {
            pk_world_step(a);
            pk_world_step(b);
            pk_world_step(c);
            pk_world_step(e);
            pk_world_step(f);
            pk_world_step(g);
            arrests += a->ep->arrests_today;
            CHECK(e->ep->arrests_today == f->ep->arrests_today);
        }
        CHECK(arrests > 0);
        CHECK(pk_world_hash(a) == pk_world_hash(b));
        CHECK(pk_world_hash(e) == pk_world_hash(f));
        CHECK(pk_world_hash(a) == pk_world_hash(e));
        CHECK(pk_world_hash(a) == pk_world_hash(g));
        pk_world_destroy(g);
        pk_world_destroy(e);
        pk_world_destroy(f);
        if (!a->ep->avx2) printf("  no AVX2 here: the AVX2 loops are not compared\n");
        else CHECK(pk_world_hash(a) == pk_world_hash(c));
        pk_world_destroy(a);
        pk_world_destroy(b);
        pk_world_destroy(c);
        for (int act = 0; act < 2; act++) {
            d.activation = (pk_ep_activation)act;
            pk_world *x = make(&d, 4), *y = make(&d, 4);
            run(x, 40, NULL);
            run(y, 40, NULL);
            void *buf;
            size_t size;
            REQUIRE(pk_world_save(x, &buf, &size) == PK_OK);
            pk_error err;
            pk_world *z = pk_world_restore(buf, size, &err);
            if (!z) fprintf(stderr, "restore: %s\n", err.msg);
            REQUIRE(z);
            free(buf);
            CHECK(pk_world_hash(z) == pk_world_hash(y));
            run(z, 40, NULL);
            run(y, 40, NULL);
            CHECK(pk_world_hash(z) == pk_world_hash(y));
            CHECK(pk_world_hash(z) != pk_world_hash(x));
            pk_world_destroy(x);
            pk_world_destroy(y);
            pk_world_destroy(z);
        }
    }
}

/* Parallel activation, rule M: a mover's proposal is a uniformly random empty cell of its
 * vision (the k-th of the empties, found by counts per row and per column, engine/model/
 * epstein.c pick_rows / pick_column). (1) One citizen alone on a 31x31 torus, so every
 * vision crosses the wrap: each day it moves, and its displacement is uniform over the
 * vision's offsets (chi-square, every neighbourhood). (2) One citizen among peacekeepers who
 * hold their posts (Model II, one group, so nobody threatens it), vision 20 Moore (41 cells
 * a row, three chunks of the column search): it never lands on a peacekeeper or outside
 * its vision, and the rank of its new cell among the empty cells of its vision (in offset
 * order) is uniform (chi-square over 10 bins). Legitimacy 1: nobody turns active. */
static double chi2(const double *obs, int n, double expect) {
    double c = 0;
    for (int i = 0; i < n; i++) c += (obs[i] - expect) * (obs[i] - expect) / expect;
    return c;
}

static int32_t offset_of(const pk_ep_state *ep, int32_t from, int32_t to) {
    for (int32_t i = 0; i < ep->n_off; i++) {
        int32_t x = (from % ep->W + ep->odx[i] + ep->W) % ep->W, y = (from / ep->W + ep->ody[i] + ep->H) % ep->H;
        if (y * ep->W + x == to) return i;
    }
    return -1;
}

static void test_parallel_moves(void) {
    const int per = scale() < 1 ? 40 : 100;
    for (int nb = 0; nb < 3; nb++) {
        pk_epstein_def d = pk_epstein_def_default();
        d.activation = PK_EP_PARALLEL;
        d.neighbourhood = (pk_ep_neighbourhood)nb;
        d.width = d.height = 31;
        d.citizen_density = 1.0 / 961;
        d.cop_density = 0;
        d.legitimacy = d.legitimacy_end = 1.0;
        pk_world *w = make(&d, 21 + (uint64_t)nb);
        pk_ep_state *ep = w->ep;
        REQUIRE(ep->n_cit == 1 && ep->n_off <= 224);
        double obs[224] = {0};
        const int days = per * ep->n_off;
        int bad = 0;
        for (int day = 0; day < days; day++) {
            int32_t from = w->a_cell[0];
            pk_world_step(w);
            int32_t i = offset_of(ep, from, w->a_cell[0]);
            if (i < 0) bad++;
            else obs[i]++;
        }
        double c = chi2(obs, ep->n_off, per), df = ep->n_off - 1;
        printf("  %s: %d offsets, chi2 %.1f (df %.0f)\n", pk_ep_neighbourhood_name(d.neighbourhood), ep->n_off, c, df);
        CHECK(bad == 0);
        CHECK(c < df + 5 * sqrt(2 * df)); /* a fixed seed: z < 5 */
        CHECK(c > df - 5 * sqrt(2 * df)); /* and not suspiciously even */
        pk_world_destroy(w);
    }
    pk_epstein_def d = pk_epstein_def_default();
    d.model = 2;
    d.activation = PK_EP_PARALLEL;
    d.vision = 20;
    d.width = d.height = 45;
    d.citizen_density = 1.0 / 2025;
    d.group_share = 0.6; /* the one citizen is blue */
    d.peacekeeper_density = 0.3;
    d.legitimacy = d.legitimacy_end = 1.0;
    pk_world *w = make(&d, 5);
    pk_ep_state *ep = w->ep;
    REQUIRE(ep->n_cit == 1);
    const int days = scale() < 1 ? 2000 : 6000;
    double bins[10] = {0};
    int bad = 0;
    for (int day = 0; day < days; day++) {
        int32_t from = w->a_cell[0], rank = -1, n = 0, to;
        pk_world_step(w);
        to = w->a_cell[0];
        for (int32_t i = 0; i < ep->n_off; i++) { /* the empty cells of its vision before the move, in offset order */
            int32_t x = (from % ep->W + ep->odx[i] + ep->W) % ep->W, y = (from / ep->W + ep->ody[i] + ep->H) % ep->H;
            if (ep->occ[y * ep->W + x] >= ep->n_cit) continue; /* a peacekeeper */
            if (y * ep->W + x == to) rank = n;
            n++;
        }
        if (rank < 0) bad++;
        else bins[(int)(10.0 * (rank + 0.5) / n)]++;
    }
    double c = chi2(bins, 10, days / 10.0);
    printf("  Model II among peacekeepers, vision 20 moore: rank chi2 %.1f (df 9)\n", c);
    CHECK(bad == 0);
    CHECK(c < 9 + 5 * sqrt(18.0));
    pk_world_destroy(w);
}

static void test_def_checks(void) {
    pk_epstein_def d = pk_epstein_def_default();
    pk_error err;
    CHECK(pk_epstein_def_check(&d, &err) == PK_OK);
    d.cop_density = 0.5;
    CHECK(pk_epstein_def_check(&d, &err) == PK_ERR_INPUT);
    d = pk_epstein_def_default();
    d.width = 10; /* < 2 * 7 + 1 */
    CHECK(pk_epstein_def_check(&d, &err) == PK_ERR_INPUT);
    CHECK(pk_ep_rounding_from_name("round") == PK_EP_ROUND_HALF_EVEN);
    CHECK(pk_ep_neighbourhood_from_name("von_neumann") == PK_EP_VON_NEUMANN);
    /* schedules */
    d = pk_epstein_def_default();
    d.legitimacy_schedule = PK_EP_LEGIT_GRADUAL;
    d.legitimacy = 0.8;
    d.legitimacy_end = 0.6;
    d.days = 101;
    CHECK_NEAR(pk_epstein_legitimacy(&d, 1), 0.8, 1e-12);
    CHECK_NEAR(pk_epstein_legitimacy(&d, 51), 0.7, 1e-12);
    CHECK_NEAR(pk_epstein_legitimacy(&d, 101), 0.6, 1e-12);
    d.legitimacy_schedule = PK_EP_LEGIT_JUMP;
    d.jump_day = 10;
    CHECK(pk_epstein_legitimacy(&d, 9) == 0.8 && pk_epstein_legitimacy(&d, 10) == 0.6);
    /* counts and columns */
    d = pk_epstein_def_default();
    pk_world *w = make(&d, 1);
    pk_world_info info = pk_world_get_info(w);
    CHECK(info.n_agents == 1120);
    CHECK(pk_world_epstein_cops(w, NULL) == 64);
    CHECK(pk_world_indicator_find(w, "quiet") >= 0 && pk_world_indicator_find(w, "civilian_deaths") >= 0);
    pk_world_step(w);
    double sum = pk_world_indicator(w, pk_world_indicator_find(w, "active")) +
                 pk_world_indicator(w, pk_world_indicator_find(w, "quiet")) +
                 pk_world_indicator(w, pk_world_indicator_find(w, "jailed"));
    CHECK(sum == 1120);
    pk_world_destroy(w);
}

int main(void) {
    RUN(test_def_checks);
    RUN(test_field_consistent);
    RUN(test_determinism);
    RUN(test_parallel_moves);
    RUN(test_punctuated_equilibrium);
    RUN(test_legitimacy_paradox);
    RUN(test_mesa_comparison);
    RUN(test_model2);
    return test_summary();
}
