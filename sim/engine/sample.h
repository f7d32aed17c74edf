/* Binomial and multinomial draws for cell counts. Small expected counts (the common case:
 * most cells hold few persons or have small exit probabilities) are drawn by inversion
 * from one uniform, which is exact, cheap, and monotone in the probability, so two runs
 * that draw the same cell with the same stream are coupled (common random numbers). Large
 * expected counts go to GSL's BTPE sampler (gsl_ran_binomial). Hypergeometric shares are
 * drawn by sim/hypergeometric.h. */
#ifndef SR_SAMPLE_H
#define SR_SAMPLE_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* Below this expected count (n * min(p, 1-p)) inversion is used. */
#define SR_INVERSION_MEAN_MAX 40.0
/* Up to this many trials a multinomial is drawn one trial at a time. */
#define SR_CATEGORICAL_MAX 12.0

/* A Binomial(n, p) draw; p in [0, 1]; n a whole number. */
double sr_binomial(gsl_rng *r, double n, double p);

/* The same, given log(1 - p) and log(p) (precomputed by the caller; NaN: computed here
 * if needed). */
double sr_binomial_logs(gsl_rng *r, double n, double p, double log_1mp, double log_p);

/* How a multinomial's probabilities p_1..p_k are given: cumulative (cum[k-1] = 1), and as
 * sequential conditionals cond[j] = p_j / (1 - p_1 - ... - p_{j-1}) with log(1 - cond[j])
 * and log(cond[j]). */
typedef struct {
    size_t k;
    const double *cum, *cond, *cond_log_stay, *cond_log_leave;
} sr_split;

/* Multinomial(n; split): out[j] = draws in category j; the cheaper method for n is used
 * (one category draw per trial for small n, sequential binomials otherwise). */
void sr_multinomial(gsl_rng *r, double n, const sr_split *split, double *out);

/* Shares out k categories of items (remaining[c] of each, whole numbers) to a group that
 * takes `take` of them uniformly at random (a multivariate hypergeometric draw, one
 * sr_hypergeometric per category but the last, so in time that does not grow with the
 * counts): out[c] of each category; remaining[] is reduced by out[]. take <= the sum of
 * remaining[] <= SR_HYPERGEOMETRIC_MAX. */
void sr_hypergeometric_share(gsl_rng *r, size_t k, double *remaining, double take,
                             double *out);

#endif
