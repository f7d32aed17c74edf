#include "sim/engine/rng.h"

uint64_t sr_stream_key(uint64_t seed, uint64_t trial, uint64_t programme, uint64_t arm,
                       uint64_t purpose)
{
    uint64_t k = sr_mix64(seed + SR_GOLDEN);
    k = sr_mix64(k ^ (trial + SR_GOLDEN * 2));
    k = sr_mix64(k ^ (programme + SR_GOLDEN * 3));
    k = sr_mix64(k ^ (arm + SR_GOLDEN * 4));
    return sr_mix64(k ^ (purpose + SR_GOLDEN * 5));
}

static void splitmix_set(void *state, unsigned long int seed)
{
    ((sr_splitmix_state *)state)->counter = (uint64_t)seed;
}

/* GSL expects get() in [min, max]: the upper 32 bits. */
static unsigned long int splitmix_get(void *state)
{
    return (unsigned long int)(sr_splitmix_next(state) >> 32);
}

/* Uniform on [0, 1) with 53 random bits. */
static double splitmix_get_double(void *state)
{
    return (double)(sr_splitmix_next(state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type splitmix_type = {
    "splitmix64", 0xffffffffUL, 0, sizeof(sr_splitmix_state),
    splitmix_set, splitmix_get, splitmix_get_double
};

const gsl_rng_type *sr_rng_splitmix64 = &splitmix_type;

gsl_rng *sr_rng_alloc(void)
{
    return gsl_rng_alloc(sr_rng_splitmix64);
}
