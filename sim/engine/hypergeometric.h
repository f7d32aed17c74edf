/* Hypergeometric draws in bounded expected time for any population a double holds
 * exactly (up to SR_HYPERGEOMETRIC_MAX): the engine shares out a cell's moves over its
 * rate-card progress groups with them, and a cell may hold the whole cohort
 * (up to 4,294,967,295 persons). Small variances are drawn by inversion (one uniform, a
 * walk of a few standard deviations); larger ones by Stadlober's ratio of uniforms (HRUA:
 * two uniforms a try, under two tries expected, whatever the population). */
#ifndef SR_HYPERGEOMETRIC_H
#define SR_HYPERGEOMETRIC_H

#include <gsl/gsl_rng.h>

/* Largest population: every whole number up to 2^53 is a double, and so is every count
 * the draw computes (N - K, N - n, N + 2). */
#define SR_HYPERGEOMETRIC_MAX 9007199254740990.0   /* 2^53 - 2 */

/* The number of tagged items among `taken` drawn without replacement from `total` items
 * of which `tagged` are tagged: Hypergeometric(total, tagged, taken). Whole numbers with
 * tagged, taken <= total <= SR_HYPERGEOMETRIC_MAX. Draws from r. */
double sr_hypergeometric(gsl_rng *r, double tagged, double total, double taken);

/* log P(X = x) of that distribution, accurate to about 1e-13 (absolute) for any
 * population up to SR_HYPERGEOMETRIC_MAX; -INFINITY outside the support. */
double sr_hypergeometric_log_pmf(double x, double tagged, double total, double taken);

#endif
