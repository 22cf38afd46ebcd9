/* core_rng.c — unit tests of the named random streams (engine/core/rng.c): stream keys,
 * the counter-based pure draw, the sequential xoshiro stream, uniform doubles and the
 * bias-free bounded integers. Statistical bounds are set far in the tails (>= 5 sigma or
 * p < 1e-5) so a correct generator never fails them, while a broken one (a constant, a
 * modulo bias, a lost argument) fails them every time. */
#include <stdint.h>

#include "pkosim/rng.h"
#include "test.h"

static void test_key_depends_on_name_and_seed(void) {
    const char *names[] = {"", "a", "b", "ab", "ba", "clashes.raid", "clashes.clash", "civilians.day",
                           "civilians.constants", "population.place"};
    enum { N = sizeof names / sizeof names[0] };
    uint64_t keys[2][N];
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < N; i++) keys[s][i] = pk_rng_key((uint64_t)s + 1, names[i]);
    /* every (seed, name) pair gives a different key */
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < N; i++)
            for (int t = 0; t < 2; t++)
                for (int j = 0; j < N; j++)
                    if (s != t || i != j) CHECK(keys[s][i] != keys[t][j]);
    /* and the same pair always the same key */
    CHECK(pk_rng_key(1, "clashes.raid") == keys[0][5]);
    CHECK(pk_rng_key(2, "clashes.raid") == keys[1][5]);
    /* seed 0 and huge seeds are ordinary seeds */
    CHECK(pk_rng_key(0, "a") != pk_rng_key(1, "a"));
    CHECK(pk_rng_key(UINT64_MAX, "a") != pk_rng_key(0, "a"));
    /* a NULL name is the empty name (documented by the loop's `p && *p`) */
    CHECK(pk_rng_key(7, NULL) == pk_rng_key(7, ""));
}

static void test_at_is_pure(void) {
    enum { N = 2000 };
    static uint64_t fwd[N];
    uint64_t key = pk_rng_key(42, "test.at");
    for (int i = 0; i < N; i++) fwd[i] = pk_rng_at(key, (uint64_t)i, (uint64_t)(i * 7), (uint64_t)(i % 13));
    /* reverse order, with unrelated draws and a sequential stream in between */
    pk_rng r;
    pk_rng_init(&r, key);
    int mismatches = 0;
    for (int i = N - 1; i >= 0; i--) {
        (void)pk_rng_next(&r);
        (void)pk_rng_at(key ^ 1, (uint64_t)i, 0, 0);
        if (pk_rng_at(key, (uint64_t)i, (uint64_t)(i * 7), (uint64_t)(i % 13)) != fwd[i]) mismatches++;
    }
    CHECK(mismatches == 0);
    /* the uniform flavour is the same function */
    CHECK(pk_rng_at_uniform(key, 3, 21, 3) == (double)(fwd[3] >> 11) * 0x1.0p-53);
    /* each argument matters: changing any one of key, a, b, c changes the draw */
    int same = 0;
    for (uint64_t i = 0; i < 500; i++) {
        uint64_t base = pk_rng_at(key, i, i + 1, i + 2);
        if (pk_rng_at(key + 1, i, i + 1, i + 2) == base) same++;
        if (pk_rng_at(key, i + 1000, i + 1, i + 2) == base) same++;
        if (pk_rng_at(key, i, i + 1001, i + 2) == base) same++;
        if (pk_rng_at(key, i, i + 1, i + 1002) == base) same++;
        /* arguments are not interchangeable (a draw for (day, agent) is not (agent, day)) */
        if (pk_rng_at(key, i + 1, i, i + 2) == base) same++;
        if (pk_rng_at(key, i, i + 2, i + 1) == base) same++;
    }
    CHECK(same == 0);
}

static void test_sequential_reproducible(void) {
    uint64_t k1 = pk_rng_key(9, "seq"), k2 = pk_rng_key(10, "seq");
    pk_rng a, b, c;
    pk_rng_init(&a, k1);
    pk_rng_init(&b, k1);
    pk_rng_init(&c, k2);
    int diff_ab = 0, same_ac = 0;
    for (int i = 0; i < 10000; i++) {
        uint64_t x = pk_rng_next(&a), y = pk_rng_next(&b), z = pk_rng_next(&c);
        if (x != y) diff_ab++;
        if (x == z) same_ac++;
    }
    CHECK(diff_ab == 0);
    CHECK(same_ac == 0);
    /* a stream copied mid-way continues identically (state is the whole struct) */
    pk_rng d = a;
    for (int i = 0; i < 100; i++) CHECK(pk_rng_next(&d) == pk_rng_next(&a));
    /* key 0 must not give the all-zero state, which would emit zeros forever */
    pk_rng z;
    pk_rng_init(&z, 0);
    CHECK(z.s[0] | z.s[1] | z.s[2] | z.s[3]);
    int zeros = 0;
    for (int i = 0; i < 100; i++) zeros += pk_rng_next(&z) == 0;
    CHECK(zeros == 0);
}

static void test_uniform_range_and_moments(void) {
    enum { N = 100000 };
    pk_rng r;
    pk_rng_init(&r, pk_rng_key(1, "uniform"));
    uint64_t key = pk_rng_key(1, "uniform.at");
    double sum = 0, sum2 = 0, sum_at = 0, lo = 1, hi = 0;
    int out = 0;
    for (int i = 0; i < N; i++) {
        double u = pk_rng_uniform(&r), v = pk_rng_at_uniform(key, 5, (uint64_t)i, 0);
        if (!(u >= 0.0 && u < 1.0) || !(v >= 0.0 && v < 1.0)) out++;
        sum += u;
        sum2 += u * u;
        sum_at += v;
        if (u < lo) lo = u;
        if (u > hi) hi = u;
    }
    CHECK(out == 0);
    /* standard error of the mean: sqrt(1/12 / N) = 0.00091; 0.005 is 5.5 sigma */
    CHECK_NEAR(sum / N, 0.5, 0.005);
    CHECK_NEAR(sum_at / N, 0.5, 0.005);
    /* variance 1/12 = 0.0833 */
    CHECK_NEAR(sum2 / N - (sum / N) * (sum / N), 1.0 / 12.0, 0.002);
    /* the draws cover the interval */
    CHECK(lo < 0.001);
    CHECK(hi > 0.999);
}

/* Chi-square statistic of counts against a uniform expectation. */
static double chi2(const long *counts, int k, long n) {
    double e = (double)n / k, x = 0;
    for (int i = 0; i < k; i++) x += (counts[i] - e) * (counts[i] - e) / e;
    return x;
}

static void test_below_range_and_uniform(void) {
    pk_rng r;
    pk_rng_init(&r, pk_rng_key(3, "below"));
    /* n = 10: chi-square with 9 degrees of freedom; P(X > 40) < 1e-5 */
    long counts[10] = {0};
    int out = 0;
    for (int i = 0; i < 100000; i++) {
        uint64_t x = pk_rng_below(&r, 10);
        if (x >= 10) out++;
        else counts[x]++;
    }
    CHECK(out == 0);
    CHECK(chi2(counts, 10, 100000) < 40.0);
    /* n = 7 (not a power of two): 6 degrees of freedom; P(X > 35) < 1e-5 */
    long c7[7] = {0};
    for (int i = 0; i < 70000; i++) {
        uint64_t x = pk_rng_below(&r, 7);
        if (x >= 7) out++;
        else c7[x]++;
    }
    CHECK(out == 0);
    CHECK(chi2(c7, 7, 70000) < 35.0);
    /* n = 1 is always 0 */
    for (int i = 0; i < 100; i++) CHECK(pk_rng_below(&r, 1) == 0);
    /* no modulo bias: with n = 3 * 2^62 a plain `next % n` would put half of the draws
     * below 2^62 instead of a third (the interval is a third of [0, n)) */
    const uint64_t n = 3ULL << 62;
    long low = 0;
    for (int i = 0; i < 30000; i++) {
        uint64_t x = pk_rng_below(&r, n);
        if (x >= n) out++;
        if (x < (1ULL << 62)) low++;
    }
    CHECK(out == 0);
    /* sd of the share = sqrt(2/9 / 30000) = 0.0027; 0.02 is > 7 sigma, and 0.5 is far out */
    CHECK_NEAR((double)low / 30000.0, 1.0 / 3.0, 0.02);
}

static void test_counter_stream_uniform(void) {
    /* the counter-based draw over consecutive counters fills 16 buckets evenly
     * (15 degrees of freedom; P(X > 50) < 1e-5), and each output bit is fair */
    uint64_t key = pk_rng_key(11, "buckets");
    long counts[16] = {0};
    long bits[64] = {0};
    enum { N = 64000 };
    for (int i = 0; i < N; i++) {
        uint64_t x = pk_rng_at(key, 0, (uint64_t)i, 0);
        counts[x >> 60]++;
        for (int b = 0; b < 64; b++) bits[b] += (long)((x >> b) & 1u);
    }
    CHECK(chi2(counts, 16, N) < 50.0);
    int unfair = 0;
    /* per bit: sd = sqrt(N/4) = 126; 800 is > 6 sigma */
    for (int b = 0; b < 64; b++)
        if (labs(bits[b] - N / 2) > 800) unfair++;
    CHECK(unfair == 0);
}

int main(void) {
    RUN(test_key_depends_on_name_and_seed);
    RUN(test_at_is_pure);
    RUN(test_sequential_reproducible);
    RUN(test_uniform_range_and_moments);
    RUN(test_below_range_and_uniform);
    RUN(test_counter_stream_uniform);
    return test_summary();
}
