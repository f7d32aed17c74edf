/* Penalised regression splines (models/smooth.c). Exact checks: functions in the penalty's
 * null space (linear in each input, bilinear in two) are reproduced at any lambda; the
 * fitted mean is the mean of y; indicators fit group means; integer weights equal repeated
 * rows. Statistical checks on fixed seeds: a smooth curve is recovered within the error
 * its noise allows. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "models/smooth.h"

#define PI 3.14159265358979323846

static gsl_rng *rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    return r;
}

/* Fits y on the basis of x[k] with lambda (NaN: by GCV) into fitted. */
static sr_smooth_info fit(const double *const *x, size_t k, size_t n, const double *y,
                          const double *w, double lambda, double *fitted, size_t intervals)
{
    sr_smooth_basis *b = sr_smooth_basis_alloc(x, k, n, intervals);
    cr_assert_not_null(b);
    sr_smooth_ws *ws = sr_smooth_ws_alloc(b->p);
    cr_assert_not_null(ws);
    cr_assert_eq(sr_smooth_prepare(ws, b, w, lambda), 0);
    sr_smooth_info info;
    cr_assert_eq(sr_smooth_fit(ws, y, fitted, &info), 0);
    sr_smooth_ws_free(ws);
    sr_smooth_basis_free(b);
    return info;
}

Test(smooth, reproduces_a_linear_function_at_any_lambda)
{
    enum { N = 500 };
    static double x[N], y[N], f[N];
    gsl_rng *r = rng(11);
    for (size_t i = 0; i < N; i++) {
        x[i] = gsl_ran_lognormal(r, 0.0, 0.8);   /* skewed: quantile knots far from even */
        y[i] = 3.0 + 2.0 * x[i];
    }
    const double *xs[] = {x};
    const double lambdas[] = {NAN, 0.0, 1.0, 1e6};
    for (size_t l = 0; l < 4; l++) {
        fit(xs, 1, N, y, NULL, lambdas[l], f, 10);
        for (size_t i = 0; i < N; i++)
            cr_assert_float_eq(f[i], y[i], 1e-6 * fabs(y[i]), "lambda %g, row %zu: %.12g vs %.12g",
                               lambdas[l], i, f[i], y[i]);
    }
    gsl_rng_free(r);
}

Test(smooth, reproduces_a_bilinear_function_of_two_inputs_under_a_heavy_penalty)
{
    enum { N = 800 };
    static double x1[N], x2[N], y[N], f[N];
    gsl_rng *r = rng(12);
    for (size_t i = 0; i < N; i++) {
        x1[i] = gsl_rng_uniform(r);
        x2[i] = gsl_ran_gaussian(r, 2.0);
        y[i] = 1.0 + x1[i] - 2.0 * x2[i] + 3.0 * x1[i] * x2[i];
    }
    const double *xs[] = {x1, x2};
    fit(xs, 2, N, y, NULL, 1e6, f, 5);
    for (size_t i = 0; i < N; i++)
        cr_assert_float_eq(f[i], y[i], 1e-6 * (1.0 + fabs(y[i])), "row %zu", i);
    gsl_rng_free(r);
}

Test(smooth, fitted_values_have_the_weighted_mean_of_y)
{
    enum { N = 300 };
    static double x[N], y[N], w[N], f[N];
    gsl_rng *r = rng(13);
    double wy = 0.0, ws = 0.0;
    for (size_t i = 0; i < N; i++) {
        x[i] = gsl_rng_uniform(r);
        y[i] = exp(3.0 * x[i]) + gsl_ran_gaussian(r, 1.0);
        w[i] = (double)gsl_rng_uniform_int(r, 4);
        wy += w[i] * y[i];
        ws += w[i];
    }
    const double *xs[] = {x};
    const double lambdas[] = {NAN, 0.3};
    for (size_t l = 0; l < 2; l++) {
        fit(xs, 1, N, y, w, lambdas[l], f, 8);
        double wf = 0.0;
        for (size_t i = 0; i < N; i++)
            wf += w[i] * f[i];
        cr_assert_float_eq(wf / ws, wy / ws, 1e-12 * fabs(wy / ws));
    }
    gsl_rng_free(r);
}

Test(smooth, few_distinct_values_fit_their_group_means)
{
    enum { N = 90 };
    static double x[N], y[N], f[N];
    double sum[3] = {0}, count[3] = {0};
    gsl_rng *r = rng(14);
    for (size_t i = 0; i < N; i++) {
        x[i] = (double)(i % 3) * 10.0;
        y[i] = gsl_ran_gaussian(r, 1.0) + (double)(i % 3);
        sum[i % 3] += y[i];
        count[i % 3] += 1.0;
    }
    const double *xs[] = {x};
    fit(xs, 1, N, y, NULL, NAN, f, 10);
    for (size_t i = 0; i < N; i++)
        cr_assert_float_eq(f[i], sum[i % 3] / count[i % 3], 1e-9, "row %zu", i);
    gsl_rng_free(r);
}

Test(smooth, integer_weights_equal_repeated_rows)
{
    enum { N = 200 };
    static double x[N], y[N], w[N], f[N];
    static double xr[4 * N], yr[4 * N], fr[4 * N];
    size_t m = 0;
    gsl_rng *r = rng(15);
    for (size_t i = 0; i < N; i++) {
        x[i] = gsl_rng_uniform(r);
        y[i] = sin(6.0 * x[i]) + gsl_ran_gaussian(r, 0.2);
        w[i] = (double)gsl_rng_uniform_int(r, 4);
    }
    /* the weighted fit at a fixed lambda; the basis is that of all rows, so the repeated
     * rows get the same knots when every row appears at least once */
    for (size_t i = 0; i < N; i++)
        w[i] += 1.0;
    for (size_t i = 0; i < N; i++)
        for (size_t c = 0; c < (size_t)w[i]; c++) {
            xr[m] = x[i];
            yr[m] = y[i];
            m++;
        }
    const double *xs[] = {x}, *xrs[] = {xr};
    sr_smooth_basis *b = sr_smooth_basis_alloc(xs, 1, N, 6);
    sr_smooth_basis *br = sr_smooth_basis_alloc(xrs, 1, m, 6);
    /* the knots are quantiles: of the rows, and of the repeated rows; make them the same
     * by comparing against a fit whose basis rows are copied from b */
    for (size_t i = 0, k = 0; i < N; i++)
        for (size_t c = 0; c < (size_t)w[i]; c++, k++)
            for (size_t j = 0; j < b->nnz; j++) {
                br->col[k * b->nnz + j] = b->col[i * b->nnz + j];
                br->val[k * b->nnz + j] = b->val[i * b->nnz + j];
            }
    cr_assert_eq(br->p, b->p);
    for (size_t j = 0; j < b->p * b->p; j++)
        br->penalty[j] = b->penalty[j];
    sr_smooth_ws *ws = sr_smooth_ws_alloc(b->p);
    cr_assert_eq(sr_smooth_prepare(ws, b, w, 0.01), 0);
    cr_assert_eq(sr_smooth_fit(ws, y, f, NULL), 0);
    cr_assert_eq(sr_smooth_prepare(ws, br, NULL, 0.01), 0);
    cr_assert_eq(sr_smooth_fit(ws, yr, fr, NULL), 0);
    for (size_t i = 0, k = 0; i < N; k += (size_t)w[i], i++)
        cr_assert_float_eq(f[i], fr[k], 1e-9, "row %zu", i);
    sr_smooth_ws_free(ws);
    sr_smooth_basis_free(b);
    sr_smooth_basis_free(br);
    gsl_rng_free(r);
}

/* y = sin(2 pi x) + e, e ~ N(0, s^2): the fit's mean squared error against the curve is
 * about s^2 edf / n (its variance; the bias of a smooth curve with ten intervals is far
 * smaller), so the root mean squared error should be within twice s sqrt(edf / n); and
 * GCV must spend more degrees of freedom on the curve than on noise alone, where the
 * linear part (2 degrees of freedom) is all there is to fit. */
Test(smooth, recovers_a_smooth_curve_within_its_noise_and_gcv_tells_curve_from_noise)
{
    enum { N = 2000 };
    static double x[N], y[N], e[N], f[N];
    const double s = 0.3;
    gsl_rng *r = rng(16);
    for (size_t i = 0; i < N; i++) {
        x[i] = gsl_rng_uniform(r);
        e[i] = gsl_ran_gaussian(r, s);
        y[i] = sin(2.0 * PI * x[i]) + e[i];
    }
    const double *xs[] = {x};
    sr_smooth_info curve = fit(xs, 1, N, y, NULL, NAN, f, 10);
    double sse = 0.0;
    for (size_t i = 0; i < N; i++)
        sse += (f[i] - sin(2.0 * PI * x[i])) * (f[i] - sin(2.0 * PI * x[i]));
    const double rmse = sqrt(sse / N);
    cr_assert(rmse < 2.0 * s * sqrt(curve.edf / N), "rmse %g, edf %g", rmse, curve.edf);
    cr_assert(curve.edf > 5.0 && curve.edf < 13.0, "edf %g", curve.edf);
    sr_smooth_info noise = fit(xs, 1, N, e, NULL, NAN, f, 10);
    cr_assert(noise.edf < 4.0, "edf of noise %g", noise.edf);
    gsl_rng_free(r);
}
