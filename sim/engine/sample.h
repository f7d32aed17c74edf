/* Binomial and multinomial draws for cell counts. Small expected counts (the common case:
 * most cells hold few persons or have small exit probabilities) are drawn by inversion
 * from one uniform, which is exact, cheap, and monotone in the probability, so two runs
 * that draw the same cell with the same stream are coupled (common random numbers). Large
 * expected counts go to GSL's BTPE sampler (gsl_ran_binomial). Hypergeometric shares are
 * drawn by sim/engine/hypergeometric.h. */
#ifndef SR_SAMPLE_H
#define SR_SAMPLE_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* How the engine draws: at random, from a generator positioned on the stream of what is
 * drawn (sim/engine/rng.h), or each draw replaced by its expected value (the deterministic
 * expectation, docs/model.md: counts become expected counts). */
typedef enum { SR_DRAW_RANDOM = 0, SR_DRAW_EXPECTED } sr_draw_mode;

typedef struct {
    sr_draw_mode mode;
    gsl_rng *rng;             /* SR_DRAW_RANDOM: the generator (sr_rng_alloc); else unused */
} sr_draw;

/* Below this expected count (n * min(p, 1-p)) inversion is used. */
#define SR_INVERSION_MEAN_MAX 40.0
/* Up to this many trials a multinomial is drawn one trial at a time. */
#define SR_CATEGORICAL_MAX 12.0

/* A Binomial(n, p) draw; p in [0, 1]; n a whole number. */
double sr_binomial(gsl_rng *r, double n, double p);

/* The same, given log(1 - p) and log(p) (precomputed by the caller; NaN: computed here
 * if needed). */
double sr_binomial_logs(gsl_rng *r, double n, double p, double log_1mp, double log_p);

/* How a multinomial's probabilities p_1..p_k are given, in one of two forms.
 * Tabulated (the exit rates, sim/engine/rates.h): cum[j] = p_1 + ... + p_j (cum[k-1] = 1)
 * and the sequential conditionals cond[j] = p_j / (1 - p_1 - ... - p_{j-1}), with
 * log(1 - cond[j]) and log(cond[j]) (NaN: computed where a draw needs them); prob is
 * NULL. Computed where they are drawn (the coupling of a pair's moves, sim/engine/moves.c):
 * prob[j] = p_j, summing to 1; the others are NULL. */
typedef struct {
    size_t k;
    const double *prob;
    const double *cum, *cond, *cond_log_stay, *cond_log_leave;
} sr_split;

/* Multinomial(n; split), n a whole number: out[j] persons in category j, sum n. Drawn
 * (SR_DRAW_RANDOM) by sequential binomials, category j taking Binomial(left, cond_j) of
 * the persons left; once SR_CATEGORICAL_MAX or fewer are left, one category draw per
 * person instead: tabulated probabilities allow that only before the first binomial (cum
 * bounds the whole split, not what is left of it), computed ones at any step. A category
 * of probability 0 takes nobody, even when rounding has used up the rest. Expected
 * (SR_DRAW_EXPECTED): the same sequence with each binomial replaced by its mean,
 * left * cond_j. */
void sr_multinomial(const sr_draw *d, double n, const sr_split *split, double *out);

/* Shares out k categories of items (remaining[c] of each, whole numbers) to a group that
 * takes `take` of them uniformly at random (a multivariate hypergeometric draw, one
 * sr_hypergeometric per category but the last, so in time that does not grow with the
 * counts): out[c] of each category; remaining[] is reduced by out[]. take <= the sum of
 * remaining[] <= SR_HYPERGEOMETRIC_MAX. */
void sr_hypergeometric_share(gsl_rng *r, size_t k, double *remaining, double take,
                             double *out);

#endif
