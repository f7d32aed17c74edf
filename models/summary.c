/* Summary statistics of one metric over trials (docs/results.md). Every statistic is taken over the
 * finite values, sorted once; NaN values (e.g. an IRR without a root) and infinite values
 * (an overflow) are left out and counted apart, so that a reader can tell a summary of
 * every trial from one of a few. */
#include "summary.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

const double sr_quantile_levels[SR_N_QUANTILES] = {
    [SR_Q01] = 0.01, [SR_Q05] = 0.05, [SR_Q10] = 0.10, [SR_Q25] = 0.25, [SR_Q50] = 0.50,
    [SR_Q75] = 0.75, [SR_Q90] = 0.90, [SR_Q95] = 0.95, [SR_Q99] = 0.99};
const char *const sr_quantile_names[SR_N_QUANTILES] = {
    [SR_Q01] = "q01", [SR_Q05] = "q05", [SR_Q10] = "q10", [SR_Q25] = "q25", [SR_Q50] = "q50",
    [SR_Q75] = "q75", [SR_Q90] = "q90", [SR_Q95] = "q95", [SR_Q99] = "q99"};

/* The statistics before the quantiles, and after them. */
static const char *const head_names[5] = {"mean", "sd", "mcse", "min", "max"};
static const char *const tail_names[7] = {"var95", "var99", "es95", "es99", "es95_upper",
                                          "es99_upper", "p_negative"};

const char *sr_summary_stat_name(int k)
{
    if (k < 5)
        return head_names[k];
    if (k < 5 + SR_N_QUANTILES)
        return sr_quantile_names[k - 5];
    return tail_names[k - 5 - SR_N_QUANTILES];
}

int sr_summary_stat_find(const char *name)
{
    for (int k = 0; k < SR_N_SUMMARY_STATS; k++)
        if (strcmp(sr_summary_stat_name(k), name) == 0)
            return k;
    return -1;
}

double sr_summary_stat(const sr_summary *s, int k)
{
    const double head[5] = {s->mean, s->sd, s->mcse, s->min, s->max};
    const double tail[7] = {s->var95, s->var99, s->es95, s->es99, s->es95_upper,
                            s->es99_upper, s->p_negative};
    if (k < 5)
        return head[k];
    if (k < 5 + SR_N_QUANTILES)
        return s->q[k - 5];
    return tail[k - 5 - SR_N_QUANTILES];
}

/* Copies the finite values of x[n] into scratch and sorts them; returns how many. */
static size_t sorted_finite(const double *x, size_t n, double *scratch)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            scratch[k++] = x[i];
    gsl_sort(scratch, 1, k);
    return k;
}

static void quantiles_sorted(const double *s, size_t k, double q[SR_N_QUANTILES])
{
    for (size_t j = 0; j < SR_N_QUANTILES; j++)
        q[j] = k > 0 ? gsl_stats_quantile_from_sorted_data(s, 1, k, sr_quantile_levels[j])
                     : NAN;
}

/* Mean of the sorted s[k] at or below v, the quantile of s at level p. In exact arithmetic
 * s[0 .. floor(h)] (h = (k-1) p) are at or below v; the interpolation can round v a hair
 * below tied order statistics, so those are always counted, and the count is at least 1. */
static double mean_at_or_below(const double *s, size_t k, double v, double p)
{
    size_t m = (size_t)floor((double)(k - 1) * p) + 1;
    while (m < k && s[m] <= v)
        m++;
    return gsl_stats_mean(s, 1, m);
}

/* Mean of the sorted s[k] at or above v, the quantile of s at level p: s[ceil(h) .. k-1]
 * always count, for the same reason. */
static double mean_at_or_above(const double *s, size_t k, double v, double p)
{
    size_t first = (size_t)ceil((double)(k - 1) * p);
    while (first > 0 && s[first - 1] >= v)
        first--;
    return gsl_stats_mean(s + first, 1, k - first);
}

void sr_quantiles(const double *x, size_t n, double *scratch, double q[SR_N_QUANTILES])
{
    quantiles_sorted(scratch, sorted_finite(x, n, scratch), q);
}

void sr_summary_compute(const double *x, size_t n, double *scratch, sr_summary *out)
{
    size_t n_nan = 0, n_infinite = 0;
    for (size_t i = 0; i < n; i++) {
        n_nan += isnan(x[i]) ? 1 : 0;
        n_infinite += isinf(x[i]) ? 1 : 0;
    }
    size_t k = sorted_finite(x, n, scratch);
    const double *s = scratch;

    out->n_nan = (double)n_nan;
    out->n_infinite = (double)n_infinite;
    quantiles_sorted(s, k, out->q);
    if (k == 0) {
        out->mean = out->sd = out->mcse = out->min = out->max = NAN;
        out->var95 = out->var99 = out->es95 = out->es99 = NAN;
        out->es95_upper = out->es99_upper = out->p_negative = NAN;
        return;
    }
    out->mean = gsl_stats_mean(s, 1, k);
    /* sample sd (divisor k - 1): NaN for a single value, and so is the mcse */
    out->sd = k > 1 ? gsl_stats_sd_m(s, 1, k, out->mean) : NAN;
    out->mcse = out->sd / sqrt((double)k);
    out->min = s[0];
    out->max = s[k - 1];

    /* the tails reuse the quantiles at 0.01, 0.05, 0.95 and 0.99 */
    out->var99 = out->q[SR_Q01];
    out->var95 = out->q[SR_Q05];
    out->es99 = mean_at_or_below(s, k, out->var99, sr_quantile_levels[SR_Q01]);
    out->es95 = mean_at_or_below(s, k, out->var95, sr_quantile_levels[SR_Q05]);
    out->es95_upper = mean_at_or_above(s, k, out->q[SR_Q95], sr_quantile_levels[SR_Q95]);
    out->es99_upper = mean_at_or_above(s, k, out->q[SR_Q99], sr_quantile_levels[SR_Q99]);

    size_t neg = 0;
    while (neg < k && s[neg] < 0.0)
        neg++;
    out->p_negative = (double)neg / (double)k;
}
