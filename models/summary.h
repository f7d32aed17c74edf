/* Summary statistics of one metric over trials (docs/results.md). Quantiles interpolate linearly
 * between order statistics of the finite values, as gsl_stats_quantile_from_sorted_data.
 * Tails: var95 is the 5% quantile (values: lower is worse); es95 the mean of the values at
 * or below it; es95_upper the mean of the values at or above the 95% quantile. */
#ifndef SR_SUMMARY_H
#define SR_SUMMARY_H

#include <stddef.h>

/* The quantiles every summary holds, by level: q[SR_Q05] is the 5% quantile. */
enum {
    SR_Q01, SR_Q05, SR_Q10, SR_Q25, SR_Q50, SR_Q75, SR_Q90, SR_Q95, SR_Q99,
    SR_N_QUANTILES
};
extern const double sr_quantile_levels[SR_N_QUANTILES]; /* 0.01 0.05 0.10 0.25 0.50 0.75 0.90 0.95 0.99 */
extern const char *const sr_quantile_names[SR_N_QUANTILES]; /* "q01" … "q99" */

typedef struct {
    double mean, sd, mcse, min, max;   /* over finite values; mcse = sd / sqrt(n_finite) */
    double q[SR_N_QUANTILES];
    double var95, var99, es95, es99, es95_upper, es99_upper;
    double p_negative;                 /* share of finite values < 0 */
    double n_nan;                      /* count of NaN values */
    double n_infinite;                 /* count of +inf and -inf values */
} sr_summary;

/* The statistics of an sr_summary by name, as result files name them (docs/results.md):
 * mean, sd, mcse, min, max, the quantiles q01 ... q99, var95, var99, es95, es99,
 * es95_upper, es99_upper and p_negative (the counts n_nan and n_infinite are not among
 * them), indexed 0 .. SR_N_SUMMARY_STATS - 1 in that order. */
#define SR_N_SUMMARY_STATS (5 + SR_N_QUANTILES + 7)

/* The name of statistic k. */
const char *sr_summary_stat_name(int k);

/* The index of the statistic called name, or -1. */
int sr_summary_stat_find(const char *name);

/* Statistic k (an index into sr_summary_stat_names) of s. */
double sr_summary_stat(const sr_summary *s, int k);

/* Summarises x[n]; scratch[n] is caller-provided workspace (sorted finite values on
 * return). With no finite value every statistic is NaN but the counts n_nan and
 * n_infinite, which together with the finite values make up n. */
void sr_summary_compute(const double *x, size_t n, double *scratch, sr_summary *out);

/* Quantiles at the SR_N_QUANTILES levels of x[n] into q, using scratch[n]. */
void sr_quantiles(const double *x, size_t n, double *scratch, double q[SR_N_QUANTILES]);

#endif
