/* Binomial and multinomial draws for cell counts. Small expected counts (the common case:
 * most cells hold few persons or have small exit probabilities) are drawn by inversion
 * from one uniform, which is exact, cheap, and monotone in the probability, so two runs
 * that draw the same cell with the same stream are coupled (common random numbers). Large
 * expected counts go to GSL's BTPE sampler (gsl_ran_binomial). An arm and its
 * counterfactual are coupled person by person by the pair draws below, whatever the
 * sampler. */
#ifndef SR_SAMPLE_H
#define SR_SAMPLE_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* Below this expected count (n * min(p, 1-p)) inversion is used. */
#define SR_INVERSION_MEAN_MAX 40.0
/* Up to this many trials a multinomial is drawn one trial at a time. */
#define SR_CATEGORICAL_MAX 5.0

/* A Binomial(n, p) draw; p in [0, 1]; n a whole number. */
double sr_binomial(gsl_rng *r, double n, double p);

/* The same, given log(1 - p) and log(p) (precomputed by the caller). */
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

/* A probability with its logarithms, log(1 - p) and log(p). */
typedef struct {
    double p, log_1mp, log_p;
} sr_prob;

/* Binomial draws for two arms on common random numbers at the level of persons:
 * x[a] ~ Binomial(n[a], p[a]) exactly, each arm alone, while the two are coupled as if
 * every person held one uniform in both arms. The min(n) persons the arms have in common
 * move in both with the smaller probability (one draw), the arm with the larger probability
 * moves a further share of them by thinning, and the arm with more persons draws its extra
 * persons alone. So x[0] - x[1] varies only with |p[0] - p[1]| and |n[0] - n[1]|, whatever
 * the sampler, and equal (n, p) give equal draws. */
void sr_binomial_pair(gsl_rng *r, const double n[2], const sr_prob p[2], double x[2]);

/* Multinomial(n[a]; split[a]) for two arms by sequential coupled binomials; both splits
 * have the same k. out[a][j]: arm a's draws in category j. */
void sr_multinomial_pair(gsl_rng *r, const double n[2], const sr_split split[2],
                         double *out[2]);

/* Shares out k categories of items (remaining[c] of each, whole numbers) to a group that
 * takes `take` of them uniformly at random (a multivariate hypergeometric draw): out[c] of
 * each category; remaining[] is reduced by out[]. take <= the sum of remaining[]. */
void sr_hypergeometric_share(gsl_rng *r, size_t k, double *remaining, double take,
                             double *out);

#endif
