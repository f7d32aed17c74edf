/* Random streams keyed by what they are for (SPEC 2.12): a stream is a pure function of
 * (seed, trial, programme, arm, purpose, and a purpose-specific index such as the month
 * and cell), never of the thread that draws it. The generator is xoshiro256** exposed as
 * a gsl_rng_type, so GSL's distributions draw from it; reseeding to a key costs a few
 * nanoseconds and allocates nothing, so the engine may key a stream per cell and month. */
#ifndef SR_RNG_H
#define SR_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* Arms as they key streams. The treated and counterfactual arms share SR_ARM_COHORT for
 * their transitions (common random numbers); a control group draws independently. */
enum { SR_ARM_COHORT = 0, SR_ARM_CONTROL = 1, SR_ARM_NONE = 2 };

/* Purposes. Never renumber: a purpose's number is part of every result's identity. */
enum {
    SR_PURPOSE_TRANSITIONS = 1,   /* index: (month, block, cell) */
    SR_PURPOSE_PARAMETERS = 2,    /* index: 0 */
    SR_PURPOSE_MACRO = 3,         /* index: 0 */
    SR_PURPOSE_TERMINATION = 4    /* index: 0 */
};

extern const gsl_rng_type *sr_rng_xoshiro256ss;

/* Mixes the key into a 64-bit stream identifier. */
uint64_t sr_stream_key(uint64_t seed, uint64_t trial, uint64_t programme, uint64_t arm,
                       uint64_t purpose);
/* Derives a sub-stream identifier from a stream identifier and an index. */
uint64_t sr_stream_sub(uint64_t key, uint64_t index);

/* Positions r (of type sr_rng_xoshiro256ss) at the start of the stream `key`. */
void sr_rng_seek(gsl_rng *r, uint64_t key);

/* Allocates a generator of type sr_rng_xoshiro256ss; NULL on failure. */
gsl_rng *sr_rng_alloc(void);

#endif
