/* Value of information and variance attribution from trials (docs/results.md#value-of-
 * information): pure functions of per-trial numbers, each with weights so that a
 * bootstrap replicate (how often each trial was drawn) is the same call.
 *
 * A decision chooses one of D options; its net benefit per trial is given relative to a
 * baseline option, as D - 1 increments g[(d - 1) * n + i] (option d's net benefit minus
 * the baseline's, in trial i). Then, with E the weighted mean over trials,
 *   value(g) = E[max(0, g_1, .., g_{D-1})] - max(0, E[g_1], .., E[g_{D-1}])
 * is the EVPI when g are the net benefits themselves, and the EVPPI of inputs X (or the
 * EVSI of data X) when g are their fitted conditional expectations E[g | X]: knowing X,
 * one chooses per trial; not knowing it, once. By Jensen's inequality it is never
 * negative; it is clamped at 0 against rounding. */
#ifndef SR_VOI_H
#define SR_VOI_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>

#include "models/smooth.h"

/* value(g) above, with weights w[n] (NULL: every weight 1). */
double sr_voi_value(const double *g, size_t n_increments, size_t n, const double *w);

/* The option with the highest weighted mean net benefit: 0 for the baseline, d for
 * increment d; ties go to the lower index. */
size_t sr_voi_best(const double *g, size_t n_increments, size_t n, const double *w);

/* The first-order index of an input from the fitted E[y | x]: the weighted variance of
 * fitted over that of y, Var(E[y | x]) / Var(y); NaN when y does not vary. */
double sr_voi_variance_share(const double *fitted, const double *y, size_t n, const double *w);

/* Bootstrap replicate `replicate`'s weights: w[i] = how often trial i is drawn in n draws
 * with replacement, uniformly, from r seeded (gsl_rng_set) by a mix of seed and the
 * replicate. Every estimate that passes the same seed draws the same trials in a
 * replicate, so replicates of different estimates can be compared and combined. */
void sr_voi_replicate(gsl_rng *r, unsigned long seed, size_t replicate, size_t n, double *w);

/* The standard deviation of x[n] (divisor n - 1): a bootstrap standard error from the
 * replicates; NaN for fewer than two. */
double sr_voi_sd(const double *x, size_t n);

/* Statistics of a regression on inputs X. */
typedef enum {
    SR_VOI_INDEX,   /* the first-order index of X for one response y */
    SR_VOI_VALUE    /* value() of the fitted E[g_d | X] of k increments: EVPPI, EVSI */
} sr_voi_statistic;

/* The statistic of the k responses y[j * n + i] (SR_VOI_INDEX: k = 1) regressed on the
 * basis b of X (n = b->n), each by its own penalised spline with lambda chosen by GCV
 * (smooth.h); info[k] receives each fit's lambda and edf (may be NULL). With n_boot > 0,
 * rep[n_boot] receives the bootstrap replicates: replicate r reweights the trials by
 * sr_voi_replicate(rng, seed, r) and refits at the full sample's lambdas. scratch holds
 * n * (k + 1) values. ws must hold b->p columns. Returns 0, or -1 when a fit fails. */
int sr_voi_estimate(sr_smooth_ws *ws, const sr_smooth_basis *b, sr_voi_statistic stat,
                    const double *y, size_t k, size_t n_boot, gsl_rng *rng,
                    unsigned long seed, double *scratch, double *estimate, double *rep,
                    sr_smooth_info *info);

/* The EVPI, value(g) of the increments themselves, and its n_boot replicates (as above)
 * into rep; scratch holds n values. */
double sr_voi_evpi(const double *g, size_t k, size_t n, size_t n_boot, gsl_rng *rng,
                   unsigned long seed, double *scratch, double *rep);

/* order[0 .. n) = the indices of value[n] from the largest value down, NaN last, ties in
 * index order (how tables list indices and values). */
void sr_voi_order(const double *value, size_t n, size_t *order);

/* Inputs in one set whose value of information is estimated: one input, or a group. */
#define SR_VOI_MAX_GROUP 3

typedef struct {
    size_t n;                          /* 1 .. SR_VOI_MAX_GROUP */
    size_t member[SR_VOI_MAX_GROUP];   /* input indices, distinct */
} sr_voi_set;

/* Whether every member of a is a member of b. */
bool sr_voi_subset(const sr_voi_set *a, const sr_voi_set *b);

/* Makes the estimates value[n_sets] of the sets' partial values monotone, as the true
 * values are: 0 <= value(A) <= value(B) <= evpi whenever A is a subset of B. Each value
 * is raised to the largest value of its subsets among the sets (taken smallest first, so
 * the raise carries through chains), then held to [0, evpi]. A set the sets hold twice
 * gets one value, the larger. Estimates that are already monotone are unchanged. */
void sr_voi_monotone(const sr_voi_set *sets, size_t n_sets, double *value, double evpi);

#endif
