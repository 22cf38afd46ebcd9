/* pkosim/rng.h — named, seeded random-number streams. A stream is derived from (seed,
 * name), so adding a stream never shifts another. Two flavours:
 *   - sequential: pk_rng state (xoshiro256**), for one consumer that draws in order;
 *   - counter-based: pk_rng_at(key, a, b, c) is a pure function of its arguments, for
 *     work that may run in any order or on any thread (per agent, per day).
 * No global state; nothing here reads a clock. */
#ifndef PKOSIM_RNG_H
#define PKOSIM_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pk_rng {
    uint64_t s[4];
} pk_rng;

/* 64-bit key of the stream called `name` under `seed` (FNV-1a of the name mixed with
 * the seed through SplitMix64). */
uint64_t pk_rng_key(uint64_t seed, const char *name);
/* Seed a sequential stream from a key. */
void pk_rng_init(pk_rng *r, uint64_t key);
uint64_t pk_rng_next(pk_rng *r);
/* Uniform double in [0, 1) with 53 random bits. */
double pk_rng_uniform(pk_rng *r);
/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint64_t pk_rng_below(pk_rng *r, uint64_t n);


/* One step of xoshiro256** (Blackman & Vigna 2018), inline for hot loops; pk_rng_next
 * is the same step as a function. */
static inline uint64_t pk_rng_next_inline(pk_rng *r) {
    uint64_t *s = r->s;
    const uint64_t result = ((s[1] * 5) << 7 | (s[1] * 5) >> 57) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* SplitMix64 finaliser, also used for hashing. */
static inline uint64_t pk_mix64(uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Counter-based draw: a pure 64-bit function of (key, a, b, c). Inline: in a loop over
 * agents the mixes of the arguments that do not change (b, c) are computed once. */
static inline uint64_t pk_rng_at(uint64_t key, uint64_t a, uint64_t b, uint64_t c) {
    uint64_t h = pk_mix64(key ^ pk_mix64(a));
    h = pk_mix64(h ^ pk_mix64(b + 0x632be59bd9b4e019ULL));
    return pk_mix64(h ^ pk_mix64(c + 0x85157af5ULL));
}

/* The same as a uniform double in [0, 1) (53 bits). */
static inline double pk_rng_at_uniform(uint64_t key, uint64_t a, uint64_t b, uint64_t c) {
    return (double)(pk_rng_at(key, a, b, c) >> 11) * 0x1.0p-53;
}

#ifdef __cplusplus
}
#endif
#endif
