#include "rng.h"

#include <string.h>

/* SplitMix64's finaliser: a bijection of 64-bit words with full avalanche. */
static inline uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static const uint64_t golden = 0x9e3779b97f4a7c15ULL;

uint64_t sr_stream_key(uint64_t seed, uint64_t trial, uint64_t programme, uint64_t arm,
                       uint64_t purpose)
{
    uint64_t k = mix64(seed + golden);
    k = mix64(k ^ (trial + golden * 2));
    k = mix64(k ^ (programme + golden * 3));
    k = mix64(k ^ (arm + golden * 4));
    return mix64(k ^ (purpose + golden * 5));
}

uint64_t sr_stream_sub(uint64_t key, uint64_t index)
{
    return mix64(key ^ mix64(index + golden * 6));
}

typedef struct {
    uint64_t s[4];
} xoshiro_state;

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t xoshiro_next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* State from a 64-bit key by SplitMix64, as xoshiro's authors recommend: never all zero. */
static void xoshiro_seed(xoshiro_state *st, uint64_t key)
{
    uint64_t x = key;
    for (int i = 0; i < 4; i++) {
        x += golden;
        st->s[i] = mix64(x);
    }
}

static void xoshiro_set(void *state, unsigned long int seed)
{
    xoshiro_seed(state, (uint64_t)seed);
}

/* GSL expects get() in [min, max]: the upper 32 bits, the best ones of xoshiro256**. */
static unsigned long int xoshiro_get(void *state)
{
    return (unsigned long int)(xoshiro_next(state) >> 32);
}

/* Uniform on [0, 1) with 53 random bits. */
static double xoshiro_get_double(void *state)
{
    return (double)(xoshiro_next(state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256**", 0xffffffffUL, 0, sizeof(xoshiro_state),
    xoshiro_set, xoshiro_get, xoshiro_get_double
};

const gsl_rng_type *sr_rng_xoshiro256ss = &xoshiro_type;

void sr_rng_seek(gsl_rng *r, uint64_t key)
{
    xoshiro_seed(r->state, key);
}

gsl_rng *sr_rng_alloc(void)
{
    return gsl_rng_alloc(sr_rng_xoshiro256ss);
}
