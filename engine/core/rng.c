/* rng.c — named random streams: xoshiro256** for sequential consumers, a SplitMix-based
 * counter hash for order-independent draws (per agent, per day). Never reads a clock. */
#include "pkosim/rng.h"

uint64_t pk_rng_key(uint64_t seed, const char *name) {
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)name; p && *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return pk_mix64(pk_mix64(seed) ^ h);
}

void pk_rng_init(pk_rng *r, uint64_t key) {
    uint64_t z = key;
    for (int i = 0; i < 4; i++) {
        z = pk_mix64(z + (uint64_t)i);
        r->s[i] = z;
    }
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3])) r->s[0] = 1; /* never the all-zero state */
}

uint64_t pk_rng_next(pk_rng *r) { return pk_rng_next_inline(r); }

double pk_rng_uniform(pk_rng *r) { return (double)(pk_rng_next(r) >> 11) * 0x1.0p-53; }

uint64_t pk_rng_below(pk_rng *r, uint64_t n) { /* Lemire's method without the multiply trick: rejection */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
        x = pk_rng_next(r);
    } while (x >= limit);
    return x % n;
}

