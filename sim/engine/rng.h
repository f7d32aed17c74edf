/* Random streams keyed by what they are for (docs/model.md): a stream is a pure function of
 * (seed, trial, programme, arm, purpose, and a purpose-specific index such as the month
 * and cell), never of the thread that draws it. The generator is SplitMix64 (Steele, Lea
 * and Flood 2014: a 64-bit counter stepped by the golden gamma, each step's output
 * scrambled by a bijective finaliser) exposed as a gsl_rng_type, so GSL's distributions
 * draw from it. A stream's state is its key: seeking costs nothing and allocates nothing,
 * so the engine keys a stream per unit of cells and month, most of which draw a few
 * numbers. All streams run on one cycle of 2^64 from random starting points, so two of
 * them share numbers only if their keys lie within their lengths of each other: with N
 * streams of L numbers, about N^2 L / 2^64 pairs (a few hundred short overlaps among the
 * 5e10 unit streams of a 10,000-trial national run; statistically harmless). */
#ifndef SR_RNG_H
#define SR_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* Arms as they key streams. The treated and counterfactual arms share SR_ARM_COHORT: a
 * cell's moves in both are drawn together from the cell's stream, and a tenure band's
 * leavers' destinations from the band's (common random numbers); a control group draws
 * independently. Never renumber. */
enum { SR_ARM_COHORT = 0, SR_ARM_CONTROL = 1, SR_ARM_NONE = 2 };

/* Purposes. Never renumber: a purpose's number is part of every result's identity. */
enum {
    SR_PURPOSE_TRANSITIONS = 1,   /* index: (month, block, unit or band) */
    SR_PURPOSE_PARAMETERS = 2,    /* index: 0 */
    SR_PURPOSE_MACRO = 3,         /* index: 0 */
    SR_PURPOSE_TERMINATION = 4,   /* index: 0 */
    SR_PURPOSE_PILOT = 5          /* the value of sample information's pilots (pilot.h);
                                   * index: the pilot's size (persons), then as
                                   * transitions */
};

extern const gsl_rng_type *sr_rng_splitmix64;

/* Mixes the key into a 64-bit stream identifier. */
uint64_t sr_stream_key(uint64_t seed, uint64_t trial, uint64_t programme, uint64_t arm,
                       uint64_t purpose);

/* Allocates a generator of type sr_rng_splitmix64; NULL on failure. */
gsl_rng *sr_rng_alloc(void);

/* SplitMix64's finaliser: a bijection of 64-bit words with full avalanche. */
static inline uint64_t sr_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#define SR_GOLDEN 0x9e3779b97f4a7c15ULL

/* Derives a sub-stream identifier from a stream identifier (itself mixed) and an index:
 * distinct indices give distinct, unrelated identifiers. */
static inline uint64_t sr_stream_sub(uint64_t key, uint64_t index)
{
    return sr_mix64(key ^ (index * SR_GOLDEN));
}

/* The generator's state: the counter. */
typedef struct {
    uint64_t counter;
} sr_splitmix_state;

/* The stream's next 64 bits. */
static inline uint64_t sr_splitmix_next(sr_splitmix_state *st)
{
    return sr_mix64(st->counter += SR_GOLDEN);
}

/* Positions r (of type sr_rng_splitmix64) at the start of the stream `key`. */
static inline void sr_rng_seek(gsl_rng *r, uint64_t key)
{
    ((sr_splitmix_state *)r->state)->counter = key;
}

/* Uniform on [0, 1) with 53 random bits: the same number gsl_rng_uniform(r) returns for
 * r of type sr_rng_splitmix64, without the indirect call. */
static inline double sr_rng_uniform(gsl_rng *r)
{
    return (double)(sr_splitmix_next(r->state) >> 11) * 0x1.0p-53;
}

#endif
