/* Summary statistics over trials (models/summary.c). Expected values are exact: order
 * statistics of hand-made vectors and GSL's own quantile of the sorted finite values. */
#include <criterion/criterion.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "models/summary.h"

/* 1..100 in a scrambled order (37 is prime to 100), so sorting is exercised. */
static void one_to_hundred(double x[100])
{
    for (size_t i = 0; i < 100; i++)
        x[i] = (double)((i * 37) % 100 + 1);
}

Test(summary, quantiles_match_gsl_on_the_sorted_finite_values)
{
    const double x[] = {3.5, -2.0, 17.25, 0.0, 8.0, 8.0, -11.5, 4.75, 2.0, 100.0, 6.5};
    const size_t n = sizeof x / sizeof x[0];
    double sorted[sizeof x / sizeof x[0]], scratch[sizeof x / sizeof x[0]];
    double q[SR_N_QUANTILES];
    memcpy(sorted, x, sizeof x);
    gsl_sort(sorted, 1, n);
    sr_quantiles(x, n, scratch, q);
    for (size_t j = 0; j < SR_N_QUANTILES; j++)
        cr_assert_eq(q[j], gsl_stats_quantile_from_sorted_data(sorted, 1, n,
                                                               sr_quantile_levels[j]),
                     "%s", sr_quantile_names[j]);
    cr_assert_eq(memcmp(scratch, sorted, sizeof sorted), 0, "scratch holds the sorted values");
}

Test(summary, levels_and_names_are_the_nine_of_spec_5)
{
    static const double levels[] = {0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99};
    static const char *const names[] = {"q01", "q05", "q10", "q25", "q50",
                                        "q75", "q90", "q95", "q99"};
    for (size_t j = 0; j < SR_N_QUANTILES; j++) {
        cr_assert_eq(sr_quantile_levels[j], levels[j]);
        cr_assert_str_eq(sr_quantile_names[j], names[j]);
    }
}

Test(summary, tails_of_one_to_hundred_are_the_hand_computed_order_statistics)
{
    double x[100], scratch[100];
    one_to_hundred(x);
    sr_summary s;
    sr_summary_compute(x, 100, scratch, &s);
    /* quantile at p: position h = 99 p between order statistics h+1 and h+2 (1-based) */
    cr_assert_float_eq(s.var95, 5.95, 1e-12);     /* h = 4.95 */
    cr_assert_float_eq(s.var99, 1.99, 1e-12);     /* h = 0.99 */
    cr_assert_float_eq(s.q[SR_Q95], 95.05, 1e-12);     /* h = 94.05 */
    cr_assert_float_eq(s.q[SR_Q99], 99.01, 1e-12);     /* h = 98.01 */
    cr_assert_float_eq(s.q[SR_Q50], 50.5, 1e-12);
    cr_assert_eq(s.es95, 3.0);                    /* mean of 1..5 */
    cr_assert_eq(s.es99, 1.0);                    /* 1 alone */
    cr_assert_eq(s.es95_upper, 98.0);             /* mean of 96..100 */
    cr_assert_eq(s.es99_upper, 100.0);            /* 100 alone */
    cr_assert_eq(s.min, 1.0);
    cr_assert_eq(s.max, 100.0);
    cr_assert_float_eq(s.mean, 50.5, 1e-12);
    /* sample variance of 1..n is n(n+1)/12 */
    cr_assert_float_eq(s.sd, sqrt(100.0 * 101.0 / 12.0), 1e-12);
    cr_assert_float_eq(s.mcse, sqrt(100.0 * 101.0 / 12.0) / 10.0, 1e-13);
    cr_assert_eq(s.p_negative, 0.0);
    cr_assert_eq(s.n_nan, 0.0);
}

Test(summary, p_negative_is_the_share_of_values_below_zero)
{
    double x[100], scratch[100];
    one_to_hundred(x);
    for (size_t i = 0; i < 100; i++)
        x[i] -= 30.0;   /* -29 .. 70: 29 negative, one zero (not negative) */
    sr_summary s;
    sr_summary_compute(x, 100, scratch, &s);
    cr_assert_eq(s.p_negative, 0.29);
}

Test(summary, nan_values_are_counted_and_left_out_of_every_statistic)
{
    double x[110], scratch[110];
    one_to_hundred(x);
    for (size_t i = 100; i < 110; i++)
        x[i] = NAN;
    /* put NaNs among the values too */
    double t = x[3];
    x[3] = x[105];
    x[105] = t;
    sr_summary with_nan, without;
    sr_summary_compute(x, 110, scratch, &with_nan);
    double y[100];
    one_to_hundred(y);
    sr_summary_compute(y, 100, scratch, &without);

    cr_assert_eq(with_nan.n_nan, 10.0);
    cr_assert_eq(with_nan.mean, without.mean);
    cr_assert_eq(with_nan.sd, without.sd);
    /* the standard error divides by the number of finite values, 100, not 110 */
    cr_assert_eq(with_nan.mcse, without.sd / 10.0);
    for (size_t j = 0; j < SR_N_QUANTILES; j++)
        cr_assert_eq(with_nan.q[j], without.q[j], "%s", sr_quantile_names[j]);
    cr_assert_eq(with_nan.es95, without.es95);
    cr_assert_eq(with_nan.p_negative, without.p_negative);
}

Test(summary, infinite_values_are_neither_summarised_nor_counted_as_nan)
{
    const double x[] = {3.0, INFINITY, 1.0, NAN, 2.0, -INFINITY};
    double scratch[6];
    sr_summary s;
    sr_summary_compute(x, 6, scratch, &s);
    cr_assert_eq(s.n_nan, 1.0);
    cr_assert_eq(s.mean, 2.0);
    cr_assert_eq(s.min, 1.0);
    cr_assert_eq(s.max, 3.0);
    cr_assert_eq(s.sd, 1.0);
}

Test(summary, infinite_values_are_counted_apart)
{
    const double x[] = {3.0, INFINITY, 1.0, NAN, 2.0, -INFINITY, INFINITY};
    double scratch[7];
    sr_summary s;
    sr_summary_compute(x, 7, scratch, &s);
    cr_assert_eq(s.n_infinite, 3.0);
    cr_assert_eq(s.n_nan, 1.0);
    /* the statistics are those of the three finite values */
    cr_assert_eq(s.mean, 2.0);
    cr_assert_eq(s.max, 3.0);
    cr_assert_eq(s.p_negative, 0.0);
}

/* 19 of 20 trials overflowed: the summary is of the one finite trial, and says so. */
Test(summary, a_summary_of_few_finite_values_counts_the_others)
{
    double x[20], scratch[20];
    for (size_t i = 0; i < 20; i++)
        x[i] = i % 2 == 0 ? INFINITY : i == 7 ? 0.0 : NAN;
    sr_summary s;
    sr_summary_compute(x, 20, scratch, &s);
    cr_assert_eq(s.n_infinite, 10.0);
    cr_assert_eq(s.n_nan, 9.0);
    cr_assert_eq(s.mean, 0.0);
    cr_assert_eq(s.n_infinite + s.n_nan + 1.0, 20.0);

    for (size_t i = 0; i < 20; i++)
        x[i] = i < 10 ? -INFINITY : INFINITY;
    sr_summary_compute(x, 20, scratch, &s);
    cr_assert_eq(s.n_infinite, 20.0);
    cr_assert_eq(s.n_nan, 0.0);
    cr_assert(isnan(s.mean) && isnan(s.min) && isnan(s.q[SR_Q50]) && isnan(s.p_negative));
}

Test(summary, all_nan_gives_nan_statistics_but_the_count)
{
    const double x[] = {NAN, NAN, NAN};
    double scratch[3];
    sr_summary s;
    sr_summary_compute(x, 3, scratch, &s);
    cr_assert_eq(s.n_nan, 3.0);
    cr_assert_eq(s.n_infinite, 0.0);
    const double v[] = {s.mean,  s.sd,   s.mcse, s.min,        s.max,        s.var95,
                        s.var99, s.es95, s.es99, s.es95_upper, s.es99_upper, s.p_negative};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        cr_assert(isnan(v[i]), "statistic %zu is %g", i, v[i]);
    for (size_t j = 0; j < SR_N_QUANTILES; j++)
        cr_assert(isnan(s.q[j]), "%s", sr_quantile_names[j]);

    double q[SR_N_QUANTILES];
    sr_quantiles(x, 3, scratch, q);
    cr_assert(isnan(q[SR_Q50]));
}

Test(summary, a_single_value_has_nan_sd_and_every_quantile_equal_to_it)
{
    const double x[] = {-7.25};
    double scratch[1];
    sr_summary s;
    sr_summary_compute(x, 1, scratch, &s);
    cr_assert_eq(s.mean, -7.25);
    cr_assert(isnan(s.sd));
    cr_assert(isnan(s.mcse));
    for (size_t j = 0; j < SR_N_QUANTILES; j++)
        cr_assert_eq(s.q[j], -7.25);
    cr_assert_eq(s.es95, -7.25);
    cr_assert_eq(s.es99_upper, -7.25);
    cr_assert_eq(s.p_negative, 1.0);
}

Test(summary, tail_means_of_tied_values_are_the_value_despite_rounding)
{
    /* With every value equal to c, GSL's interpolated quantile (1-d) c + d c may round a
     * hair away from c; the tail means must still be c, never the mean of nothing. With
     * 1000 values, the last four constants do round so (found by search): below c at the
     * levels 0.01 and 0.05, above it at 0.95 and 0.99. */
    const double constants[] = {0.1, 1.0 / 3.0, 1e-300, -935473.9826331289,
                                -637300.0566289622, -786487.5382080785,
                                -512695.40353911935};
    double x[1000], scratch[1000];
    for (size_t k = 0; k < sizeof constants / sizeof constants[0]; k++) {
        for (size_t i = 0; i < 1000; i++)
            x[i] = constants[k];
        sr_summary s;
        sr_summary_compute(x, 1000, scratch, &s);
        cr_assert_eq(s.es95, constants[k], "es95 of %g", constants[k]);
        cr_assert_eq(s.es99, constants[k]);
        cr_assert_eq(s.es95_upper, constants[k]);
        cr_assert_eq(s.es99_upper, constants[k]);
    }
}
