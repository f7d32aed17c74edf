/* The risk layers against closed forms, on fixed seeds: parameter distributions
 * (docs/model.md), the Gaussian copula over named parameters, shared `$name` draws, the regime and
 * Gaussian-factor macro models (docs/model.md, the Vasicek mixture), the law of total variance
 * under parameter uncertainty, and thread-count invariance of the draws (docs/model.md).
 *
 * Tolerances are Z_TOL Monte Carlo standard errors, each estimated from the sample it
 * bounds; the fit of a whole distribution is a chi-square or Kolmogorov-Smirnov test whose
 * p-value must exceed P_MIN. Each expected value says where it comes from. Where a wrong
 * model is close at hand (no factor, the other sign, no recession multiplier, independent
 * months, no parameter uncertainty), the same statistic must reject it, which shows the
 * tolerance is tight enough to fail. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/dist.h"
#include "sim/engine/layout.h"
#include "sim/engine/rates.h"
#include "sim/engine/results.h"
#include "sim/engine/run.h"
#include "sim/engine/trial.h"
#include "support.h"

#define Z_TOL 4.5    /* standard errors */
#define P_MIN 1e-5   /* smallest acceptable p-value of a goodness-of-fit test */

/* Loads a scenario whose text is built by printf. */
static sr_model *model_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static sr_model *model_printf(const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cr_assert(n > 0 && (size_t)n < sizeof text, "scenario text too long");
    return sr_test_model(text);
}

/* Sample mean, variance (n - 1) and fourth central moment. */
typedef struct {
    double mean, var, m4;
} moments;

static moments sample_moments(const double *x, size_t n)
{
    moments s = {0.0, 0.0, 0.0};
    for (size_t i = 0; i < n; i++)
        s.mean += x[i] / (double)n;
    double m2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = (x[i] - s.mean) * (x[i] - s.mean);
        m2 += d / (double)n;
        s.m4 += d * d / (double)n;
    }
    s.var = m2 * (double)n / (double)(n - 1);
    return s;
}

/* Standard error of the sample mean and of the sample variance, sqrt((m4 - s^4) / n). */
static double se_mean(const moments *s, size_t n)
{
    return sqrt(s->var / (double)n);
}

static double se_var(const moments *s, size_t n)
{
    return sqrt(fmax(0.0, s->m4 - s->var * s->var) / (double)n);
}

static double pearson(const double *x, const double *y, size_t n)
{
    moments a = sample_moments(x, n), b = sample_moments(y, n);
    double c = 0.0;
    for (size_t i = 0; i < n; i++)
        c += (x[i] - a.mean) * (y[i] - b.mean);
    return c / (double)(n - 1) / sqrt(a.var * b.var);
}

typedef struct {
    double x;
    size_t i;
} ranked;

static int ranked_cmp(const void *a, const void *b)
{
    const ranked *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

/* Ranks 1..n of x (continuous draws: no ties). */
static void ranks(const double *x, size_t n, double *rank)
{
    ranked *r = malloc(n * sizeof *r);
    cr_assert_not_null(r);
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){x[i], i};
    qsort(r, n, sizeof *r, ranked_cmp);
    for (size_t k = 0; k < n; k++)
        rank[r[k].i] = (double)(k + 1);
    free(r);
}

static double spearman(const double *x, const double *y, size_t n)
{
    double *rx = malloc(n * sizeof *rx), *ry = malloc(n * sizeof *ry);
    cr_assert(rx && ry);
    ranks(x, n, rx);
    ranks(y, n, ry);
    double r = pearson(rx, ry, n);
    free(rx);
    free(ry);
    return r;
}

/* E[f(Z)], Z ~ N(0,1), by adaptive Gauss-Kronrod quadrature over |z| <= 12 (the mass
 * beyond is below 1e-32). */
typedef struct {
    double (*f)(double z, void *ctx);
    void *ctx;
} gauss_integrand;

static double gauss_weighted(double z, void *p)
{
    const gauss_integrand *g = p;
    return g->f(z, g->ctx) * gsl_ran_ugaussian_pdf(z);
}

static double normal_expectation(double (*f)(double z, void *ctx), void *ctx)
{
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    gauss_integrand g = {f, ctx};
    gsl_function fn = {gauss_weighted, &g};
    double result = NAN, abserr = NAN;
    int status = gsl_integration_qag(&fn, -12.0, 12.0, 1e-300, 1e-11, 1000,
                                     GSL_INTEG_GAUSS61, w, &result, &abserr);
    gsl_integration_workspace_free(w);
    gsl_set_error_handler(old);
    cr_assert_eq(status, 0, "quadrature failed: %s", gsl_strerror(status));
    return result;
}

/* Pearson's chi-square of observed counts obs[0..k] against probabilities prob[0..k]
 * (summing to 1) over n draws, adjacent cells pooled until each expects at least 5; the
 * p-value has (pooled cells - 1) degrees of freedom. */
static double chisq_p(const double *obs, const double *prob, size_t k, size_t n,
                      size_t *n_cells, double *chi2_out)
{
    double chi2 = 0.0, o = 0.0, e = 0.0;
    double last_o = 0.0, last_e = 0.0;    /* the last closed cell, reopened for a remainder */
    size_t cells = 0;
    for (size_t j = 0; j <= k; j++) {
        o += obs[j];
        e += prob[j] * (double)n;
        if (e >= 5.0) {
            chi2 += (o - e) * (o - e) / e;
            last_o = o;
            last_e = e;
            cells++;
            o = e = 0.0;
        }
    }
    if (e > 0.0 || o > 0.0) {             /* a tail expecting under 5 joins the last cell */
        cr_assert(cells > 0);
        chi2 -= (last_o - last_e) * (last_o - last_e) / last_e;
        last_o += o;
        last_e += e;
        chi2 += (last_o - last_e) * (last_o - last_e) / last_e;
    }
    *n_cells = cells;
    *chi2_out = chi2;
    return gsl_cdf_chisq_Q(chi2, (double)(cells - 1));
}

/* Var(X_0 + ... + X_{T-1}) / Var(X_0) for a stationary series with autocorrelation
 * lambda^k at lag k: T + 2 sum_{k=1}^{T-1} (T - k) lambda^k. */
static double stationary_sum_variance(unsigned T, double lambda)
{
    double v = T;
    for (unsigned k = 1; k < T; k++)
        v += 2.0 * (T - k) * pow(lambda, k);
    return v;
}

/* ---- 1. each distribution's moments ---------------------------------------------------- */

/* One named parameter of every kind; a single person for one month keeps trials cheap. */
static const char *all_distributions =
    "name: distributions\n"
    "simulation: {trials: 40000, seed: 101, start: 2027-01, horizon_months: 1}\n"
    "discount: {public: 0, investor: 0}\n"
    "parameters:\n"
    "  beta: {dist: beta, mean: 0.3, sd: 0.1}\n"
    "  gamma: {dist: gamma, mean: 2.0, sd: 0.8}\n"
    "  lognormal_q: {dist: lognormal, median: 1.35, p95: 1.9}\n"
    "  lognormal_m: {dist: lognormal, mean: 1.2, sd: 0.3}\n"
    "  normal: {dist: normal, mean: 0.5, sd: 0.4, min: 0, max: 1}\n"
    "  uniform: {dist: uniform, min: 2, max: 5}\n"
    "  pert: {dist: pert, min: 1, mode: 2, max: 6}\n"
    "  triangular: {dist: triangular, min: 0, mode: 1, max: 4}\n"
    "states: [{name: outside}, {name: employed}]\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: 0.1}\n"
    "programmes:\n"
    "  - {name: a, cohort: {size: 1, intake: {start: 2027-01, months: 1},\n"
    "     initial_state: outside}}\n";

/* Mean and sd of N(mu, sd) truncated to [lo, hi], from the textbook closed form with
 * a = (lo - mu)/sd, b = (hi - mu)/sd, Z = Phi(b) - Phi(a):
 * mean = mu + sd (phi(a) - phi(b)) / Z,
 * var = sd^2 [1 + (a phi(a) - b phi(b)) / Z - ((phi(a) - phi(b)) / Z)^2]. */
static void truncated_normal_moments(double mu, double sd, double lo, double hi, double *mean,
                                     double *out_sd)
{
    double a = (lo - mu) / sd, b = (hi - mu) / sd;
    double z = gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    double pa = gsl_ran_ugaussian_pdf(a), pb = gsl_ran_ugaussian_pdf(b);
    *mean = mu + sd * (pa - pb) / z;
    *out_sd = sd * sqrt(1.0 + (a * pa - b * pb) / z - ((pa - pb) / z) * ((pa - pb) / z));
}

Test(risk, parameter_draws_have_the_mean_and_sd_of_their_distribution)
{
    sr_model *m = sr_test_model(all_distributions);
    sr_resultset *rs = sr_test_run_model(m, 2);
    const size_t n = rs->n_trials;

    /* Expected moments, from the parameters as written in the scenario. */
    const double sigma_q = log(1.9 / 1.35) / gsl_cdf_ugaussian_Pinv(0.95);
    const double mean_q = 1.35 * exp(0.5 * sigma_q * sigma_q);      /* exp(mu + s^2/2) */
    double tn_mean, tn_sd;
    truncated_normal_moments(0.5, 0.4, 0.0, 1.0, &tn_mean, &tn_sd);
    /* PERT(1, 2, 6) is 1 + 5 Beta(1 + 4 (2-1)/5, 1 + 4 (6-2)/5) = 1 + 5 Beta(1.8, 4.2):
     * variance 25 a b / ((a+b)^2 (a+b+1)). */
    const double pa = 1.8, pb = 4.2;
    const double pert_var = 25.0 * pa * pb / ((pa + pb) * (pa + pb) * (pa + pb + 1.0));
    const struct {
        const char *name;
        double mean, sd;
    } expect[] = {
        {"beta", 0.3, 0.1},
        {"gamma", 2.0, 0.8},
        {"lognormal_q", mean_q, mean_q * sqrt(expm1(sigma_q * sigma_q))},
        {"lognormal_m", 1.2, 0.3},
        {"normal", tn_mean, tn_sd},
        {"uniform", 3.5, 3.0 / sqrt(12.0)},                            /* (b-a)/sqrt(12) */
        {"pert", (1.0 + 4.0 * 2.0 + 6.0) / 6.0, sqrt(pert_var)},
        /* triangular: (a+b+c)/3, variance (a^2+b^2+c^2-ab-ac-bc)/18 */
        {"triangular", 5.0 / 3.0, sqrt((0.0 + 1.0 + 16.0 - 0.0 - 0.0 - 4.0) / 18.0)},
    };
    cr_assert_eq(rs->n_parameters, sizeof expect / sizeof *expect);
    for (size_t k = 0; k < rs->n_parameters; k++) {
        cr_assert_str_eq(rs->parameter_names[k], expect[k].name);
        const double *x = rs->parameters + k * n;
        moments s = sample_moments(x, n);
        double z_mean = (s.mean - expect[k].mean) / se_mean(&s, n);
        /* sd: the variance's standard error, carried to the sd by the delta method. */
        double z_sd = (sqrt(s.var) - expect[k].sd) / (se_var(&s, n) / (2.0 * sqrt(s.var)));
        cr_expect(fabs(z_mean) <= Z_TOL, "%s: mean %.5f, expected %.5f (z %.2f)",
                  expect[k].name, s.mean, expect[k].mean, z_mean);
        cr_expect(fabs(z_sd) <= Z_TOL, "%s: sd %.5f, expected %.5f (z %.2f)", expect[k].name,
                  sqrt(s.var), expect[k].sd, z_sd);
    }
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* Every number given as a distribution is recorded per trial, not only the named ones:
 * named parameters first (a fixed one repeats its value), then the others under their key
 * paths. The recorded draw is the one the trial used: with no discounting and one month,
 * the programme's cost is exactly its size times the drawn cost per participant. */
static const char *anonymous_distributions =
    "name: inputs\n"
    "simulation: {trials: 4000, seed: 7, start: 2027-01, horizon_months: 1}\n"
    "discount: {public: 0, investor: 0}\n"
    "parameters: {hr: 1.2}\n"
    "states: [{name: outside}, {name: employed}]\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: {dist: uniform, min: 0.05, max: 0.15}}\n"
    "programmes:\n"
    "  - name: a\n"
    "    cohort: {size: 10, intake: {start: 2027-01, months: 1}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: $hr, months: 1}\n"
    "      costs: {per_participant: {dist: gamma, mean: 5000, sd: 1000}}\n";

Test(risk, every_distribution_is_recorded_under_its_key_path_with_the_draw_the_trial_used)
{
    sr_model *m = sr_test_model(anonymous_distributions);
    sr_resultset *rs = sr_test_run_model(m, 2);
    const size_t n = rs->n_trials;
    const struct {
        const char *name, *path;
        double mean, sd;
    } expect[] = {
        {"hr", "parameters.hr", 1.2, 0.0},
        {"transitions[0].hazard", "transitions[0].hazard", 0.1, 0.1 / sqrt(12.0)},
        {"programmes[0].intervention.costs.per_participant",
         "programmes[0].intervention.costs.per_participant", 5000.0, 1000.0},
    };
    cr_assert_eq(rs->n_parameters, 3);
    for (size_t k = 0; k < 3; k++) {
        cr_assert_str_eq(rs->parameter_names[k], expect[k].name);
        cr_assert_str_eq(rs->parameter_paths[k], expect[k].path);
        const double *x = rs->parameters + k * n;
        if (expect[k].sd == 0.0) {
            for (size_t i = 0; i < n; i++)
                cr_assert_eq(x[i], expect[k].mean, "%s, trial %zu", expect[k].name, i);
            continue;
        }
        moments s = sample_moments(x, n);
        double z_mean = (s.mean - expect[k].mean) / se_mean(&s, n);
        double z_sd = (sqrt(s.var) - expect[k].sd) / (se_var(&s, n) / (2.0 * sqrt(s.var)));
        cr_expect(fabs(z_mean) <= Z_TOL, "%s: mean z %.2f", expect[k].name, z_mean);
        cr_expect(fabs(z_sd) <= Z_TOL, "%s: sd z %.2f", expect[k].name, z_sd);
    }
    const double *cost = sr_level_trials(&rs->portfolio, n, SR_M_PROGRAMME_COST);
    for (size_t i = 0; i < n; i++)
        cr_assert_float_eq(cost[i], 10.0 * rs->parameters[2 * n + i], 1e-9 * cost[i],
                           "trial %zu", i);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* The CDF of each parameter of all_distributions at x, from the parameters as written:
 * beta and gamma by their moment shapes, lognormals by (mu, sigma) from median and p95 or
 * from mean and sd (sigma^2 = ln(1 + sd^2 / mean^2), mu = ln(mean) - sigma^2 / 2), the
 * truncated normal as (Phi((x - mu)/sd) - Phi(a)) / (Phi(b) - Phi(a)), PERT as
 * Beta(1.8, 4.2) on [1, 6], the triangular piecewise quadratic. */
static double all_distributions_cdf(size_t k, double x)
{
    const double s2 = log1p((0.3 / 1.2) * (0.3 / 1.2));
    switch (k) {
    case 0: /* beta mean 0.3 sd 0.1: k = 0.21 / 0.01 - 1 = 20 */
        return gsl_cdf_beta_P(x, 0.3 * 20.0, 0.7 * 20.0);
    case 1: /* gamma mean 2 sd 0.8: shape 6.25, scale 0.32 */
        return gsl_cdf_gamma_P(x, 6.25, 0.32);
    case 2:
        return gsl_cdf_lognormal_P(x, log(1.35), log(1.9 / 1.35) / gsl_cdf_ugaussian_Pinv(0.95));
    case 3:
        return gsl_cdf_lognormal_P(x, log(1.2) - 0.5 * s2, sqrt(s2));
    case 4: {
        double lo = gsl_cdf_ugaussian_P(-0.5 / 0.4), hi = gsl_cdf_ugaussian_P(0.5 / 0.4);
        return (gsl_cdf_ugaussian_P((x - 0.5) / 0.4) - lo) / (hi - lo);
    }
    case 5:
        return (x - 2.0) / 3.0;
    case 6:
        return gsl_cdf_beta_P((x - 1.0) / 5.0, 1.8, 4.2);
    default: /* triangular (0, 1, 4) */
        return x < 1.0 ? x * x / 4.0 : 1.0 - (4.0 - x) * (4.0 - x) / 12.0;
    }
}

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Kolmogorov-Smirnov: each parameter's draws against its CDF. The p-value is the
 * asymptotic Kolmogorov distribution 2 sum_k (-1)^(k-1) exp(-2 k^2 l^2) at
 * l = (sqrt(n) + 0.12 + 0.11 / sqrt(n)) D (Stephens' small-sample correction). This catches
 * what moments miss: a quantile function with a gap or a kink in the wrong place. */
Test(risk, parameter_draws_follow_their_distribution_function)
{
    sr_model *m = sr_test_model(all_distributions);
    sr_resultset *rs = sr_test_run_model(m, 2);
    const size_t n = rs->n_trials;
    double *x = malloc(n * sizeof *x);
    cr_assert_not_null(x);
    for (size_t k = 0; k < rs->n_parameters; k++) {
        memcpy(x, rs->parameters + k * n, n * sizeof *x);
        qsort(x, n, sizeof *x, double_cmp);
        double d = 0.0;
        for (size_t i = 0; i < n; i++) {
            double f = all_distributions_cdf(k, x[i]);
            d = fmax(d, fmax(f - (double)i / n, (double)(i + 1) / n - f));
        }
        double l = (sqrt((double)n) + 0.12 + 0.11 / sqrt((double)n)) * d, p = 0.0;
        for (int j = 1; j <= 100; j++)
            p += 2.0 * (j % 2 ? 1.0 : -1.0) * exp(-2.0 * j * j * l * l);
        p = fmin(1.0, fmax(0.0, p));
        cr_expect(p > P_MIN, "%s: KS distance %.5f over %zu draws, p = %.3g",
                  rs->parameter_names[k], d, n, p);
    }
    free(x);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* The lognormal given by its quantiles keeps them: the sample median and 95th percentile
 * against 1.35 and 1.9, each with the order statistic's standard error
 * sqrt(q (1 - q) / n) / f(x_q), f the lognormal density at the quantile. */
Test(risk, lognormal_given_by_median_and_p95_has_that_median_and_p95)
{
    sr_model *m = sr_test_model(all_distributions);
    sr_resultset *rs = sr_test_run_model(m, 2);
    const size_t n = rs->n_trials;
    cr_assert_str_eq(rs->parameter_names[2], "lognormal_q");
    const double mu = log(1.35), sigma = log(1.9 / 1.35) / gsl_cdf_ugaussian_Pinv(0.95);
    double *x = malloc(n * sizeof *x);
    cr_assert_not_null(x);
    memcpy(x, rs->parameters + 2 * n, n * sizeof *x);
    gsl_sort(x, 1, n);
    const struct {
        double q, value;
    } expect[] = {{0.5, 1.35}, {0.95, 1.9}};
    for (size_t j = 0; j < 2; j++) {
        double got = gsl_stats_quantile_from_sorted_data(x, 1, n, expect[j].q);
        double se = sqrt(expect[j].q * (1.0 - expect[j].q) / (double)n) /
                    gsl_ran_lognormal_pdf(expect[j].value, mu, sigma);
        double z = (got - expect[j].value) / se;
        cr_expect(fabs(z) <= Z_TOL, "q%.0f: %.5f, expected %.5f (z %.2f)", 100 * expect[j].q,
                  got, expect[j].value, z);
    }
    free(x);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* The truncated normal never leaves [min, max]; the others stay in their supports. */
Test(risk, parameter_draws_stay_in_their_support)
{
    sr_model *m = sr_test_model(all_distributions);
    m->trials = 5000;
    sr_resultset *rs = sr_test_run_model(m, 2);
    const size_t n = rs->n_trials;
    const struct {
        double lo, hi;
    } support[] = {{0, 1}, {0, INFINITY}, {0, INFINITY}, {0, INFINITY},
                   {0, 1}, {2, 5},        {1, 6},        {0, 4}};
    for (size_t k = 0; k < rs->n_parameters; k++)
        for (size_t i = 0; i < n; i++) {
            double x = rs->parameters[k * n + i];
            cr_assert(x >= support[k].lo && x <= support[k].hi, "%s: trial %zu drew %g",
                      rs->parameter_names[k], i, x);
        }
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* A beta (b > 0) or gamma (b == 0, scale) tail: P(x) or Q(x). */
typedef struct {
    double a, b, scale;
} shapes;

static double tail(const shapes *s, bool lower, double x)
{
    if (s->b > 0.0)
        return lower ? gsl_cdf_beta_P(x, s->a, s->b) : gsl_cdf_beta_Q(x, s->a, s->b);
    return lower ? gsl_cdf_gamma_P(x, s->a, s->scale) : gsl_cdf_gamma_Q(x, s->a, s->scale);
}

/* Whether x is the u-quantile: P crosses u (below the median; Q crosses 1 - u above it)
 * between x moved down and up by a relative 1e-9 (of 1 - x for a beta above 1/2) or two
 * doubles, whichever is more; or x is below 1e-300 and so is the quantile. */
static bool is_quantile(const shapes *s, double u, double x)
{
    const bool lower = u <= 0.5;
    if (x <= 1e-300)
        return lower ? tail(s, true, 1e-300) >= u : tail(s, false, 1e-300) <= 1.0 - u;
    double lo = nextafter(nextafter(x, 0.0), 0.0), hi = nextafter(nextafter(x, 2.0), 2.0);
    if (s->b > 0.0 && x > 0.5) {
        lo = fmin(lo, 1.0 - (1.0 - x) * (1.0 + 1e-9));
        hi = fmin(1.0, fmax(hi, 1.0 - (1.0 - x) * (1.0 - 1e-9)));
    } else {
        lo = fmin(lo, x * (1.0 - 1e-9));
        hi = fmax(hi, x * (1.0 + 1e-9));
        if (s->b > 0.0)
            hi = fmin(hi, 1.0);
    }
    if (lower)
        return tail(s, true, lo) <= u && u <= tail(s, true, hi);
    return tail(s, false, lo) >= 1.0 - u && 1.0 - u >= tail(s, false, hi);
}

/* Every beta and gamma shape the loader accepts inverts, over uniforms from 1e-12 to
 * 1 - 1e-12: skewed shapes (beta a = 0.03, gamma shape 0.01), narrow ones (beta a + b =
 * 1e4, gamma shape 2.5e4) and mass beyond the doubles (beta mean 1e-4 sd 9e-3 holds 98%
 * below 1e-300; beta mean 0.999 sd 0.01 holds 74% within 2^-53 of 1), on all of which GSL
 * 2.7's own inverses fail to converge for some u. Huge shapes (beta a, b >= 1e5, gamma
 * shape >= 3e4), where GSL's CDFs themselves fail, are checked against the normal quantile
 * with its skewness term, mean + sd (z + g1 (z^2 - 1) / 6), to 1e-3 standard deviations.
 * The library runs with GSL's error handler off (main switches it off), as here. */
Test(risk, beta_and_gamma_quantiles_invert_their_cdf_for_every_accepted_shape)
{
    gsl_set_error_handler_off();
    const double us[] = {1e-12, 1e-8, 1e-4, 0.01, 0.1, 0.3, 0.5,
                         0.7,   0.9,  0.99, 1 - 1e-4, 1 - 1e-8, 1 - 1e-12};
    const struct {
        sr_dist_kind kind;
        double mean, sd;
    } cases[] = {
        {SR_DIST_BETA, 0.3, 0.1},      {SR_DIST_BETA, 0.02, 0.005},  {SR_DIST_BETA, 0.3, 0.0045826},
        {SR_DIST_BETA, 0.05, 0.00218}, {SR_DIST_BETA, 0.01, 0.05},   {SR_DIST_BETA, 0.1, 0.27},
        {SR_DIST_BETA, 0.5, 0.45},     {SR_DIST_BETA, 0.999, 0.01},  {SR_DIST_BETA, 1e-4, 9e-3},
        {SR_DIST_GAMMA, 2.0, 0.8},     {SR_DIST_GAMMA, 1.0, 3.0},    {SR_DIST_GAMMA, 1.0, 10.0},
        {SR_DIST_GAMMA, 1.0, 0.00632}, {SR_DIST_GAMMA, 0.05, 5e-4},  {SR_DIST_GAMMA, 1e4, 3e5},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const sr_numdef d = {.kind = cases[c].kind, .p = {cases[c].mean, cases[c].sd},
                             .parameter = -1};
        const bool beta = d.kind == SR_DIST_BETA;
        shapes s;
        if (beta) {
            double k = d.p[0] * (1.0 - d.p[0]) / (d.p[1] * d.p[1]) - 1.0;
            s = (shapes){d.p[0] * k, (1.0 - d.p[0]) * k, 1.0};
        } else {
            s = (shapes){d.p[0] * d.p[0] / (d.p[1] * d.p[1]), 0.0, d.p[1] * d.p[1] / d.p[0]};
        }
        for (size_t j = 0; j < sizeof us / sizeof *us; j++) {
            const double x = sr_dist_quantile(&d, us[j]);
            cr_assert(isfinite(x) && x >= 0.0 && (!beta || x <= 1.0),
                      "%s(mean %g, sd %g) at u = %.17g: %g", beta ? "beta" : "gamma", d.p[0],
                      d.p[1], us[j], x);
            cr_expect(is_quantile(&s, us[j], x), "%s(mean %g, sd %g) at u = %.17g: x = %.17g, "
                      "P(x) = %.17g, Q(x) = %.17g", beta ? "beta" : "gamma", d.p[0], d.p[1],
                      us[j], x, tail(&s, true, x), tail(&s, false, x));
        }
    }
    /* beta a = b = 1.25e7 (g1 = 0); gamma shape 1e8 (g1 = 2 / sqrt(shape) = 2e-4). */
    const struct {
        sr_numdef d;
        double mean, sd, g1;
    } huge[] = {{{.kind = SR_DIST_BETA, .p = {0.5, 1e-4}, .parameter = -1}, 0.5, 1e-4, 0.0},
                {{.kind = SR_DIST_GAMMA, .p = {1.0, 1e-4}, .parameter = -1}, 1.0, 1e-4, 2e-4}};
    for (size_t c = 0; c < 2; c++)
        for (size_t j = 0; j < sizeof us / sizeof *us; j++) {
            double x = sr_dist_quantile(&huge[c].d, us[j]);
            double z = gsl_cdf_ugaussian_Pinv(us[j]);
            double w = z + huge[c].g1 * (z * z - 1.0) / 6.0;
            cr_expect(fabs((x - huge[c].mean) / huge[c].sd - w) <= 1e-3,
                      "%s(mean %g, sd %g) at u = %.17g: %.17g, expected %.17g",
                      c == 0 ? "beta" : "gamma", huge[c].mean, huge[c].sd, us[j], x,
                      huge[c].mean + huge[c].sd * w);
        }
}

/* ---- 2. the gaussian factor: the Vasicek mixture --------------------------------------- */

/* One month, one transition outside->employed, n persons enrolled in month 0, so the
 * number employed at the end is K with P(K = k) = E[Binom(k; n, p'(Z))] (docs/model.md). */
#define VASICEK_N 40u
#define VASICEK_P 0.2
#define VASICEK_RHO 0.2
#define VASICEK_TRIALS 20000u

static sr_model *vasicek_model(const char *sense)
{
    return model_printf(
        "name: vasicek\n"
        "simulation: {trials: %u, seed: 2024, start: 2027-01, horizon_months: 1}\n"
        "discount: {public: 0, investor: 0}\n"
        "states: [{name: outside}, {name: employed}]\n"
        "transitions:\n"
        "  - {from: outside, to: employed, hazard: %.17g, macro: %s}\n"
        "macro: {model: gaussian_factor, rho: %g, persistence: 0.5}\n"
        "programmes:\n"
        "  - {name: a, cohort: {size: %u, intake: {start: 2027-01, months: 1},\n"
        "     initial_state: outside}}\n",
        VASICEK_TRIALS, -log1p(-VASICEK_P), sense, VASICEK_RHO, VASICEK_N);
}

typedef struct {
    double sign;      /* +1 pro, -1 counter */
    unsigned k;       /* the count whose probability is integrated */
} vasicek;

/* p'(z) = Phi((Phi^-1(p) + s sqrt(rho) z) / sqrt(1 - rho)) */
static double vasicek_p(double sign, double z)
{
    return gsl_cdf_ugaussian_P((gsl_cdf_ugaussian_Pinv(VASICEK_P) + sign * sqrt(VASICEK_RHO) * z) /
                               sqrt(1.0 - VASICEK_RHO));
}

static double vasicek_binom(double z, void *ctx)
{
    const vasicek *v = ctx;
    return gsl_ran_binomial_pdf(v->k, vasicek_p(v->sign, z), VASICEK_N);
}

/* The conditional score: sum z_i (K_i - n p'(s z_i)) over its conditional sd given the
 * factors, sqrt(sum z_i^2 n p'(1 - p')). Given the path, each K_i is Binom(n, p'(z_i)), so
 * under the model this is about N(0, 1); with the factor's sign wrong it is far off. */
static double vasicek_score(const double *k, const double *z, size_t n_trials, double sign)
{
    double s = 0.0, v = 0.0;
    for (size_t i = 0; i < n_trials; i++) {
        double p = vasicek_p(sign, z[i]);
        s += z[i] * (k[i] - VASICEK_N * p);
        v += z[i] * z[i] * VASICEK_N * p * (1.0 - p);
    }
    return s / sqrt(v);
}

static void check_vasicek(const char *sense, double sign)
{
    sr_model *m = vasicek_model(sense);
    sr_resultset *rs = sr_test_run_model(m, 2);
    const size_t n = rs->n_trials;
    const double *k = sr_level_trials(&rs->portfolio, n, SR_M_EMPLOYED_END_COUNTERFACTUAL);
    double obs[VASICEK_N + 1] = {0}, mixture[VASICEK_N + 1], binomial[VASICEK_N + 1];
    for (size_t i = 0; i < n; i++) {
        cr_assert(k[i] >= 0 && k[i] <= VASICEK_N && k[i] == floor(k[i]), "K = %g", k[i]);
        obs[(size_t)k[i]] += 1.0;
    }
    double total = 0.0;
    for (unsigned j = 0; j <= VASICEK_N; j++) {
        vasicek v = {sign, j};
        mixture[j] = normal_expectation(vasicek_binom, &v);
        binomial[j] = gsl_ran_binomial_pdf(j, VASICEK_P, VASICEK_N);
        total += mixture[j];
    }
    cr_assert(fabs(total - 1.0) < 1e-9, "the mixture sums to %.12f", total);

    size_t cells;
    double chi2;
    double p_fit = chisq_p(obs, mixture, VASICEK_N, n, &cells, &chi2);
    cr_expect(p_fit > P_MIN, "macro %s: chi-square %.1f on %zu cells against the Vasicek "
              "mixture, p = %.3g", sense, chi2, cells, p_fit);
    double p_binomial = chisq_p(obs, binomial, VASICEK_N, n, &cells, &chi2);
    cr_expect(p_binomial < P_MIN, "macro %s: no factor (plain binomial) not rejected, p = %.3g",
              sense, p_binomial);

    /* With one month the path's mean factor is Z_0 itself. */
    double right = vasicek_score(k, rs->factor_mean, n, sign);
    double wrong = vasicek_score(k, rs->factor_mean, n, -sign);
    cr_expect(fabs(right) <= Z_TOL, "macro %s: conditional score %.2f", sense, right);
    cr_expect(fabs(wrong) > Z_TOL, "macro %s: the opposite sign fits too (score %.2f)", sense,
              wrong);
    moments z = sample_moments(rs->factor_mean, n);
    cr_expect(fabs(z.mean) <= Z_TOL * se_mean(&z, n), "Z_0 mean %.4f", z.mean);
    cr_expect(fabs(z.var - 1.0) <= Z_TOL * se_var(&z, n), "Z_0 variance %.4f", z.var);
    sr_resultset_free(rs);
    sr_model_free(m);
}

Test(risk, gaussian_factor_gives_the_vasicek_mixture_for_job_finding)
{
    check_vasicek("pro", 1.0);
}

Test(risk, gaussian_factor_acts_with_the_opposite_sign_on_counter_transitions)
{
    check_vasicek("counter", -1.0);
}

/* Over T months the factor is a stationary AR(1): Z_0 ~ N(0, 1) and corr(Z_s, Z_t) =
 * phi^|s-t|, so the path's mean factor is normal with mean 0 and variance
 * (T + 2 sum_k (T - k) phi^k) / T^2. Independent months (phi = 0) must be rejected. */
Test(risk, gaussian_factor_follows_a_stationary_ar1_path)
{
    const unsigned T = 12;
    const double phi = 0.7;
    sr_model *m = model_printf(
        "name: ar1\n"
        "simulation: {trials: 20000, seed: 12, start: 2027-01, horizon_months: %u}\n"
        "discount: {public: 0, investor: 0}\n"
        "states: [{name: outside}, {name: employed}]\n"
        "transitions:\n"
        "  - {from: outside, to: employed, hazard: 0.1, macro: pro}\n"
        "macro: {model: gaussian_factor, rho: 0.1, persistence: %g}\n"
        "programmes:\n"
        "  - {name: a, cohort: {size: 1, intake: {start: 2027-01, months: 1},\n"
        "     initial_state: outside}}\n",
        T, phi);
    sr_resultset *rs = sr_test_run_model(m, 2);
    const size_t n = rs->n_trials;
    moments s = sample_moments(rs->factor_mean, n);
    const double expect = stationary_sum_variance(T, phi) / ((double)T * T);
    const double independent = 1.0 / T;
    double z_mean = s.mean / se_mean(&s, n);
    double z = (s.var - expect) / se_var(&s, n);
    double z_wrong = (s.var - independent) / se_var(&s, n);
    cr_expect(fabs(z_mean) <= Z_TOL, "mean factor %.5f (z %.2f)", s.mean, z_mean);
    cr_expect(fabs(z) <= Z_TOL, "variance of the mean factor %.5f, expected %.5f (z %.2f)",
              s.var, expect, z);
    cr_expect(fabs(z_wrong) > Z_TOL, "independent months fit too (z %.2f)", z_wrong);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* ---- 3. the regime model --------------------------------------------------------------- */

#define TO_RECESSION 0.02
#define TO_NORMAL 0.1

/* Programme `find` starts outside (a pro transition), `lose` starts employed (a counter
 * transition); both of n persons enrolled in the first month. */
static sr_model *regime_model(unsigned trials, unsigned months, bool start_in_recession,
                              unsigned n)
{
    return model_printf(
        "name: regime\n"
        "simulation: {trials: %u, seed: 77, start: 2027-01, horizon_months: %u}\n"
        "discount: {public: 0, investor: 0}\n"
        "states: [{name: outside}, {name: employed}]\n"
        "transitions:\n"
        "  - {from: outside, to: employed, hazard: 0.3, macro: pro}\n"
        "  - {from: employed, to: outside, hazard: 0.1, macro: counter}\n"
        "macro: {model: regime, switch: {to_recession: %g, to_normal: %g},\n"
        "        recession: {pro: 0.5, counter: 2.0}, start_in_recession: %s}\n"
        "programmes:\n"
        "  - {name: find, cohort: {size: %u, intake: {start: 2027-01, months: 1},\n"
        "     initial_state: outside}}\n"
        "  - {name: lose, cohort: {size: %u, intake: {start: 2027-01, months: 1},\n"
        "     initial_state: employed}}\n",
        trials, months, TO_RECESSION, TO_NORMAL, start_in_recession ? "true" : "false", n, n);
}

/* From the stationary distribution every month is in recession with probability
 * pi = to_recession / (to_recession + to_normal), so E[recession_months / T] = pi for any
 * horizon T. One month checks the initial draw alone; 60 months the chain as well (a
 * chain started in normal would fall short by pi (1 - (1 - lambda)^T) / (lambda T)). The
 * regime's autocorrelation at lag k is (1 - to_recession - to_normal)^k, so
 * Var(recession_months) = pi (1 - pi) (T + 2 sum_k (T - k) (1 - lambda)^k); months drawn
 * independently from pi (variance pi (1 - pi) T) must be rejected. */
Test(risk, regime_spends_its_stationary_share_of_months_in_recession)
{
    const double pi = TO_RECESSION / (TO_RECESSION + TO_NORMAL);
    const unsigned horizons[] = {1, 60}, trials[] = {20000, 10000};
    for (size_t h = 0; h < 2; h++) {
        sr_model *m = regime_model(trials[h], horizons[h], false, 1);
        sr_resultset *rs = sr_test_run_model(m, 2);
        const size_t n = rs->n_trials;
        double *share = malloc(n * sizeof *share);
        cr_assert_not_null(share);
        for (size_t i = 0; i < n; i++)
            share[i] = rs->recession_months[i] / (double)horizons[h];
        moments s = sample_moments(share, n);
        double z = (s.mean - pi) / se_mean(&s, n);
        cr_expect(fabs(z) <= Z_TOL, "%u months: recession share %.5f, stationary %.5f (z %.2f)",
                  horizons[h], s.mean, pi, z);
        const unsigned T = horizons[h];
        moments r = sample_moments(rs->recession_months, n);
        double expect = pi * (1.0 - pi) *
                        stationary_sum_variance(T, 1.0 - TO_RECESSION - TO_NORMAL);
        double z_var = (r.var - expect) / se_var(&r, n);
        cr_expect(fabs(z_var) <= Z_TOL, "%u months: variance of recession months %.4f, "
                  "expected %.4f (z %.2f)", T, r.var, expect, z_var);
        if (T > 1) {
            double z_iid = (r.var - pi * (1.0 - pi) * T) / se_var(&r, n);
            cr_expect(fabs(z_iid) > Z_TOL, "independent months fit too (z %.2f)", z_iid);
        }
        free(share);
        sr_resultset_free(rs);
        sr_model_free(m);
    }
}

/* From recession, P(R_t = 1) = pi + (1 - pi)(1 - lambda)^t, lambda = to_recession +
 * to_normal, so E[recession months over T] = T pi + (1 - pi)(1 - (1 - lambda)^T) / lambda;
 * with T = 1, every path has its one month in recession. */
Test(risk, start_in_recession_starts_every_path_in_recession)
{
    sr_model *m = regime_model(2000, 1, true, 1);
    sr_resultset *rs = sr_test_run_model(m, 2);
    for (size_t i = 0; i < rs->n_trials; i++)
        cr_assert_eq(rs->recession_months[i], 1.0, "trial %zu: %g months", i,
                     rs->recession_months[i]);
    sr_resultset_free(rs);
    sr_model_free(m);

    const unsigned T = 24;
    const double pi = TO_RECESSION / (TO_RECESSION + TO_NORMAL), lambda = TO_RECESSION + TO_NORMAL;
    const double expect = T * pi + (1.0 - pi) * (1.0 - pow(1.0 - lambda, T)) / lambda;
    m = regime_model(10000, T, true, 1);
    rs = sr_test_run_model(m, 2);
    moments s = sample_moments(rs->recession_months, rs->n_trials);
    double z = (s.mean - expect) / se_mean(&s, rs->n_trials);
    cr_expect(fabs(z) <= Z_TOL, "recession months %.4f, expected %.4f (z %.2f)", s.mean, expect,
              z);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* In a recession month the pro hazard is multiplied by recession.pro (0.5) and the counter
 * hazard by recession.counter (2): E[movers] = n (1 - exp(-h x)) exactly. */
Test(risk, recession_multiplies_pro_and_counter_hazards)
{
    const unsigned n = 50;
    sr_model *m = regime_model(5000, 1, true, n);
    sr_resultset *rs = sr_test_run_model(m, 2);
    const size_t N = rs->n_trials;
    const double *employed_find = sr_level_trials(&rs->programme[0], N, SR_M_EMPLOYED_END_TREATED);
    const double *employed_lose = sr_level_trials(&rs->programme[1], N, SR_M_EMPLOYED_END_TREATED);
    double *leavers = malloc(N * sizeof *leavers);
    cr_assert_not_null(leavers);
    for (size_t i = 0; i < N; i++)
        leavers[i] = n - employed_lose[i];
    const struct {
        const char *what;
        const double *moved;
        double hazard, multiplier;
    } cases[] = {{"job finding (pro)", employed_find, 0.3, 0.5},
                 {"job loss (counter)", leavers, 0.1, 2.0}};
    for (size_t c = 0; c < 2; c++) {
        moments s = sample_moments(cases[c].moved, N);
        double expect = n * -expm1(-cases[c].hazard * cases[c].multiplier);
        double unmultiplied = n * -expm1(-cases[c].hazard);
        double z = (s.mean - expect) / se_mean(&s, N);
        double z_wrong = (s.mean - unmultiplied) / se_mean(&s, N);
        cr_expect(fabs(z) <= Z_TOL, "%s: mean %.4f, expected %.4f (z %.2f)", cases[c].what,
                  s.mean, expect, z);
        cr_expect(fabs(z_wrong) > Z_TOL, "%s: the normal-times hazard fits too (z %.2f)",
                  cases[c].what, z_wrong);
    }
    free(leavers);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* ---- 4. the law of total variance under parameter uncertainty -------------------------- */

/* Given its probability p, the count K of n movers in one month is Binom(n, p), so
 * Var(K) = E[n p (1 - p)] + n^2 Var(p) = n (E p - E p^2) + n^2 (E p^2 - (E p)^2).
 * The sample variance of K is compared with it (standard error sqrt((m4 - s^4) / N)), and
 * the variance without the parameter term, n (E p - E p^2), must be rejected. */
static void check_total_variance(const char *what, const double *k, size_t n_trials,
                                 unsigned n, double ep, double ep2)
{
    const double expect = n * (ep - ep2) + (double)n * n * (ep2 - ep * ep);
    const double binomial_only = n * (ep - ep2);
    moments s = sample_moments(k, n_trials);
    double z_mean = (s.mean - n * ep) / se_mean(&s, n_trials);
    double z = (s.var - expect) / se_var(&s, n_trials);
    double z_wrong = (s.var - binomial_only) / se_var(&s, n_trials);
    cr_expect(fabs(z_mean) <= Z_TOL, "%s: mean %.4f, expected %.4f (z %.2f)", what, s.mean,
              n * ep, z_mean);
    cr_expect(fabs(z) <= Z_TOL, "%s: variance %.4f, expected %.4f (z %.2f)", what, s.var,
              expect, z);
    cr_expect(fabs(z_wrong) > Z_TOL, "%s: the variance without parameter uncertainty, %.4f, "
              "fits too (z %.2f)", what, binomial_only, z_wrong);
}

/* A beta probability: E p = mean, E p^2 = sd^2 + mean^2, exactly. */
Test(risk, beta_probability_adds_its_variance_by_the_law_of_total_variance)
{
    const unsigned n = 40;
    sr_model *m = model_printf(
        "name: beta probability\n"
        "simulation: {trials: 20000, seed: 5, start: 2027-01, horizon_months: 1}\n"
        "discount: {public: 0, investor: 0}\n"
        "states: [{name: outside}, {name: employed}]\n"
        "transitions:\n"
        "  - {from: outside, to: employed, probability: {dist: beta, mean: 0.3, sd: 0.1}}\n"
        "programmes:\n"
        "  - {name: a, cohort: {size: %u, intake: {start: 2027-01, months: 1},\n"
        "     initial_state: outside}}\n",
        n);
    sr_resultset *rs = sr_test_run_model(m, 2);
    const double *k = sr_level_trials(&rs->portfolio, rs->n_trials,
                                      SR_M_EMPLOYED_END_COUNTERFACTUAL);
    check_total_variance("beta probability", k, rs->n_trials, n, 0.3, 0.1 * 0.1 + 0.3 * 0.3);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* A lognormal hazard ratio on a hazard h: p = 1 - exp(-h HR), HR = exp(mu + sigma Z); its
 * moments by quadrature over Z. */
typedef struct {
    double h, mu, sigma;
    int power;
} hr_moment;

static double hr_p_power(double z, void *ctx)
{
    const hr_moment *c = ctx;
    return pow(-expm1(-c->h * exp(c->mu + c->sigma * z)), c->power);
}

Test(risk, uncertain_hazard_ratio_adds_its_variance_by_the_law_of_total_variance)
{
    const unsigned n = 40;
    const double h = 0.2;
    sr_model *m = model_printf(
        "name: uncertain effect\n"
        "simulation: {trials: 20000, seed: 6, start: 2027-01, horizon_months: 1}\n"
        "discount: {public: 0, investor: 0}\n"
        "states: [{name: outside}, {name: employed}]\n"
        "transitions:\n"
        "  - {from: outside, to: employed, hazard: %g}\n"
        "programmes:\n"
        "  - name: a\n"
        "    cohort: {size: %u, intake: {start: 2027-01, months: 1}, initial_state: outside}\n"
        "    intervention:\n"
        "      effect: {transitions: [outside->employed], months: 1,\n"
        "               hazard_ratio: {dist: lognormal, median: 1.5, p95: 3.0}}\n",
        h, n);
    sr_resultset *rs = sr_test_run_model(m, 2);
    hr_moment c = {h, log(1.5), log(3.0 / 1.5) / gsl_cdf_ugaussian_Pinv(0.95), 1};
    double ep = normal_expectation(hr_p_power, &c);
    c.power = 2;
    double ep2 = normal_expectation(hr_p_power, &c);
    const double *k = sr_level_trials(&rs->portfolio, rs->n_trials, SR_M_EMPLOYED_END_TREATED);
    check_total_variance("lognormal hazard ratio", k, rs->n_trials, n, ep, ep2);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* ---- 5. the Gaussian copula -------------------------------------------------------------- */

#define COPULA_TRIALS 40000u

static sr_model *copula_model(const char *correlations)
{
    return model_printf(
        "name: copula\n"
        "simulation: {trials: %u, seed: 909, start: 2027-01, horizon_months: 1}\n"
        "discount: {public: 0, investor: 0}\n"
        "parameters:\n"
        "  a: {dist: lognormal, median: 1.3, p95: 2.0}\n"
        "  b: {dist: beta, mean: 0.3, sd: 0.1}\n"
        "  c: {dist: gamma, mean: 2.0, sd: 0.8}\n"
        "  d: {dist: uniform, min: 0, max: 1}\n"
        "correlations: %s\n"
        "states: [{name: outside}, {name: employed}]\n"
        "transitions:\n"
        "  - {from: outside, to: employed, hazard: 0.1}\n"
        "programmes:\n"
        "  - {name: a, cohort: {size: 1, intake: {start: 2027-01, months: 1},\n"
        "     initial_state: outside}}\n",
        COPULA_TRIALS, correlations);
}

/* The latent normal behind a draw x: Phi^-1(F(x)), F the marginal's CDF. */
static double latent_normal(const sr_numdef *d, double x)
{
    const double *p = d->p;
    switch (d->kind) {
    case SR_DIST_LOGNORMAL:
        return (log(x) - p[0]) / p[1];
    case SR_DIST_BETA: {
        double k = p[0] * (1.0 - p[0]) / (p[1] * p[1]) - 1.0;
        return gsl_cdf_ugaussian_Pinv(gsl_cdf_beta_P(x, p[0] * k, (1.0 - p[0]) * k));
    }
    case SR_DIST_GAMMA:
        return gsl_cdf_ugaussian_Pinv(
            gsl_cdf_gamma_P(x, p[0] * p[0] / (p[1] * p[1]), p[1] * p[1] / p[0]));
    case SR_DIST_UNIFORM:
        return gsl_cdf_ugaussian_Pinv((x - p[0]) / (p[1] - p[0]));
    default:
        cr_assert_fail("no latent normal for distribution kind %d", (int)d->kind);
    }
    return NAN;
}

/* For every pair of the four parameters (target rho from rho[4][4]): Spearman's rank
 * correlation against (6 / pi) asin(rho / 2), the rank correlation of a bivariate normal,
 * with se(atanh r_s) = sqrt(1.06 / (N - 3)) (Fieller, Hartley and Pearson 1957); the
 * Pearson correlation of the latent normals against rho, with se(atanh r) = 1/sqrt(N - 3). */
static void check_copula(const char *correlations, const double rho[4][4])
{
    sr_model *m = copula_model(correlations);
    sr_resultset *rs = sr_test_run_model(m, 2);
    const size_t N = rs->n_trials;
    cr_assert_eq(rs->n_parameters, 4);
    double *latent = malloc(4 * N * sizeof *latent);
    cr_assert_not_null(latent);
    for (size_t k = 0; k < 4; k++)
        for (size_t i = 0; i < N; i++)
            latent[k * N + i] = latent_normal(&m->num[m->parameters[k].num],
                                              rs->parameters[k * N + i]);
    const double se_pearson = 1.0 / sqrt((double)N - 3.0);
    const double se_spearman = sqrt(1.06 / ((double)N - 3.0));
    for (size_t a = 0; a < 4; a++)
        for (size_t b = a + 1; b < 4; b++) {
            double rs_target = 6.0 / M_PI * asin(rho[a][b] / 2.0);
            double r_s = spearman(rs->parameters + a * N, rs->parameters + b * N, N);
            double r = pearson(latent + a * N, latent + b * N, N);
            double z_s = (atanh(r_s) - atanh(rs_target)) / se_spearman;
            double z = (atanh(r) - atanh(rho[a][b])) / se_pearson;
            cr_expect(fabs(z_s) <= Z_TOL, "%s-%s: Spearman %.4f, expected %.4f (z %.2f)",
                      rs->parameter_names[a], rs->parameter_names[b], r_s, rs_target, z_s);
            cr_expect(fabs(z) <= Z_TOL, "%s-%s: latent correlation %.4f, expected %.4f (z %.2f)",
                      rs->parameter_names[a], rs->parameter_names[b], r, rho[a][b], z);
        }
    /* The latent normals are standard normal: the marginals are untouched. */
    for (size_t k = 0; k < 4; k++) {
        moments s = sample_moments(latent + k * N, N);
        cr_expect(fabs(s.mean) <= Z_TOL * se_mean(&s, N), "%s: latent mean %.4f",
                  rs->parameter_names[k], s.mean);
        cr_expect(fabs(s.var - 1.0) <= Z_TOL * se_var(&s, N), "%s: latent variance %.4f",
                  rs->parameter_names[k], s.var);
    }
    free(latent);
    sr_resultset_free(rs);
    sr_model_free(m);
}

Test(risk, copula_gives_two_parameters_their_rank_correlation)
{
    const double rho[4][4] = {{1, 0.7, 0, 0}, {0.7, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    check_copula("[[a, b, 0.7]]", rho);
}

Test(risk, copula_gives_three_parameters_their_rank_correlations)
{
    const double rho[4][4] = {
        {1, 0.6, -0.4, 0}, {0.6, 1, 0.3, 0}, {-0.4, 0.3, 1, 0}, {0, 0, 0, 1}};
    check_copula("[[a, b, 0.6], [a, c, -0.4], [b, c, 0.3]]", rho);
}

/* ---- 6. shared `$name` draws across programmes ----------------------------------------- */

#define SHARED_TRIALS 2000u

/* Two identical programmes whose intervention's hazard ratio is `effect` (text). */
static sr_model *two_programmes(const char *effect)
{
    const char *programme =
        "    cohort: {size: 1000, intake: {start: 2027-01, months: 1}, initial_state: outside}\n"
        "    intervention:\n"
        "      effect: {transitions: [outside->employed], months: 12, hazard_ratio: %s}\n";
    char a[512], b[512];
    snprintf(a, sizeof a, programme, effect);
    snprintf(b, sizeof b, programme, effect);
    return model_printf(
        "name: shared effect\n"
        "simulation: {trials: %u, seed: 31, start: 2027-01, horizon_months: 12}\n"
        "discount: {public: 0, investor: 0}\n"
        "parameters:\n"
        "  effect: {dist: lognormal, median: 1.3, p95: 2.0}\n"
        "states: [{name: outside}, {name: employed}]\n"
        "transitions:\n"
        "  - {from: outside, to: employed, hazard: 0.05}\n"
        "cashflows:\n"
        "  outside: {municipality: 1000, state: 500}\n"
        "  employed: {municipality: -2000, state: -1000}\n"
        "programmes:\n"
        "  - name: first\n%s"
        "  - name: second\n%s",
        SHARED_TRIALS, a, b);
}

/* Each programme's hazard ratio in trials 0 .. n-1, from the trial workspace itself. */
static void hazard_ratio_draws(const sr_model *m, size_t n, double *first, double *second)
{
    sr_layout *l = sr_layout_alloc(m);
    int too_many = 0;
    sr_trial_ws *w = sr_trial_ws_alloc(m, l, &too_many);
    cr_assert(l && w && !too_many);
    const size_t levels = 1 + m->n_programmes, per_level = SR_N_METRICS * (1 + w->n_years);
    double *buffer = calloc(levels * per_level, sizeof *buffer);
    sr_level_row rows[3];
    cr_assert(buffer && levels == 3);
    for (size_t k = 0; k < levels; k++)
        rows[k] = (sr_level_row){buffer + k * per_level, buffer + k * per_level + SR_N_METRICS};
    for (size_t i = 0; i < n; i++) {
        sr_trial_run(w, m->seed, i, false, rows);
        first[i] = w->values[m->programmes[0].hazard_ratio];
        second[i] = w->values[m->programmes[1].hazard_ratio];
    }
    free(buffer);
    sr_trial_ws_free(w);
    sr_layout_free(l);
}

/* With `$effect` both programmes read the trial's one draw, so their savings move together
 * (a lower bound at Z_TOL standard errors of atanh r above atanh 0.5); with inline
 * distributions each draws its own, and with independent individual randomness the savings
 * are uncorrelated: |atanh r| within Z_TOL / sqrt(N - 3) of 0. */
Test(risk, shared_parameter_correlates_programmes_and_inline_ones_do_not)
{
    const char *effects[] = {"$effect", "{dist: lognormal, median: 1.3, p95: 2.0}"};
    const size_t n_draws = 200;
    double first[200], second[200];
    for (int shared = 1; shared >= 0; shared--) {
        sr_model *m = two_programmes(effects[shared ? 0 : 1]);
        sr_resultset *rs = sr_test_run_model(m, 2);
        const size_t N = rs->n_trials;

        hazard_ratio_draws(m, n_draws, first, second);
        for (size_t i = 0; i < n_draws; i++) {
            if (shared) {
                cr_assert_eq(first[i], second[i], "trial %zu: hazard ratios %.17g and %.17g", i,
                             first[i], second[i]);
                cr_assert_eq(first[i], rs->parameters[i], "trial %zu: not the draw of $effect",
                             i);
            } else {
                cr_assert_neq(first[i], second[i], "trial %zu: inline draws coincide", i);
            }
        }

        const double *s1 = sr_level_trials(&rs->programme[0], N, SR_M_SAVINGS_TOTAL);
        const double *s2 = sr_level_trials(&rs->programme[1], N, SR_M_SAVINGS_TOTAL);
        double r = pearson(s1, s2, N);
        double se = 1.0 / sqrt((double)N - 3.0);
        if (shared)
            cr_expect(atanh(r) - Z_TOL * se > atanh(0.5),
                      "shared $effect: savings correlation %.4f (se %.4f)", r, se);
        else
            cr_expect(fabs(atanh(r)) <= Z_TOL * se,
                      "inline effects: savings correlation %.4f, z %.2f", r, atanh(r) / se);
        sr_resultset_free(rs);
        sr_model_free(m);
    }
}

/* ---- 7. determinism ---------------------------------------------------------------------- */

/* The trial's draws and macro path are keyed by (seed, trial), never by thread: 1 and 2
 * threads give bit-identical parameter columns and macro statistics; another seed does
 * not. */
Test(risk, parameter_draws_and_macro_paths_do_not_depend_on_thread_count)
{
    const char *macros[] = {
        "{model: regime, switch: {to_recession: 0.05, to_normal: 0.2},"
        " recession: {pro: 0.6, counter: 1.5}}",
        "{model: gaussian_factor, rho: 0.15, persistence: 0.8}"};
    for (size_t k = 0; k < 2; k++) {
        sr_model *m = model_printf(
            "name: determinism\n"
            "simulation: {trials: 301, seed: 4242, start: 2027-01, horizon_months: 12}\n"
            "discount: {public: 0, investor: 0}\n"
            "parameters:\n"
            "  a: {dist: lognormal, median: 1.3, p95: 2.0}\n"
            "  b: {dist: beta, mean: 0.3, sd: 0.1}\n"
            "  c: {dist: pert, min: 0, mode: 1, max: 3}\n"
            "correlations: [[a, b, 0.5]]\n"
            "states: [{name: outside}, {name: employed}]\n"
            "transitions:\n"
            "  - {from: outside, to: employed, hazard: {dist: gamma, mean: 0.05, sd: 0.01},\n"
            "     macro: pro}\n"
            "  - {from: employed, to: outside, probability: $b, macro: counter}\n"
            "macro: %s\n"
            "programmes:\n"
            "  - name: a\n"
            "    cohort: {size: 300, intake: {start: 2027-01, months: 3}, initial_state: outside}\n"
            "    intervention: {effect: {transitions: [outside->employed], months: 6,\n"
            "                            hazard_ratio: $a}}\n",
            macros[k]);
        sr_resultset *one = sr_test_run_model(m, 1), *two = sr_test_run_model(m, 2);
        const size_t N = one->n_trials;
        cr_assert_eq(memcmp(one->parameters, two->parameters, 3 * N * sizeof(double)), 0,
                     "%s: parameter draws differ between 1 and 2 threads", macros[k]);
        cr_assert_eq(memcmp(one->recession_months, two->recession_months, N * sizeof(double)),
                     0, "%s: recession months differ", macros[k]);
        cr_assert_eq(memcmp(one->factor_mean, two->factor_mean, N * sizeof(double)), 0,
                     "%s: factor means differ", macros[k]);
        const double *macro_stat = k == 0 ? one->recession_months : one->factor_mean;
        bool varies = false;
        for (size_t i = 1; i < N && !varies; i++)
            varies = macro_stat[i] != macro_stat[0];
        cr_expect(varies, "%s: the macro path varies between trials", macros[k]);

        m->seed += 1;
        sr_resultset *other = sr_test_run_model(m, 2);
        size_t same = 0;
        for (size_t i = 0; i < 3 * N; i++)
            same += other->parameters[i] == one->parameters[i];
        cr_expect_eq(same, 0, "another seed repeats %zu draws", same);
        sr_resultset_free(other);
        sr_resultset_free(one);
        sr_resultset_free(two);
        sr_model_free(m);
    }
}
