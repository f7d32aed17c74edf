/* Binomial draws for cell counts. Small expected counts (the common case: most cells hold
 * few persons or have small exit probabilities) are drawn by inversion from one uniform,
 * which is exact, cheap, and monotone in the probability, so two arms that draw the same
 * cell with the same stream are coupled (common random numbers). Large expected counts go
 * to GSL's BTPE sampler (gsl_ran_binomial). */
#ifndef SR_SAMPLE_H
#define SR_SAMPLE_H

#include <gsl/gsl_rng.h>

/* Below this expected count (n * min(p, 1-p)) inversion is used. */
#define SR_INVERSION_MEAN_MAX 16.0

/* A Binomial(n, p) draw; p in [0, 1]. */
double sr_binomial(gsl_rng *r, double n, double p);

#endif
