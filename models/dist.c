#include "dist.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdbool.h>

/* Beta and gamma quantiles are found here rather than by gsl_cdf_beta_Pinv and
 * gsl_cdf_gamma_Pinv: GSL 2.7's inverses fail to converge (NaN, or an abort under GSL's
 * default error handler) for shapes a scenario may well give, e.g. beta mean 0.01 sd 0.05
 * (60% of uniforms), beta mean 0.02 sd 0.005 (1%), gamma mean 1 sd 3 (11%), and loop
 * forever for beta a + b >= 1e7. GSL's CDFs hold over these shapes but for huge ones (beta
 * a and b, gamma shape), where closed approximations are exact to far below a standard
 * deviation.
 *
 * The search runs in a coordinate t in which the CDF is smooth and tails of any depth are
 * a few units apart: x = 1 / (1 + e^-t) for the beta, x = e^t for the gamma (unit scale). */
typedef struct {
    bool beta;
    double a, b;        /* beta shapes; gamma shape a */
    double log_norm;    /* ln B(a, b), or ln Gamma(a) */
} shape;

/* t is kept in [T_MIN, T_MAX]: x from e^-708 (a quantile below is returned as that) up to
 * the largest beta x below 1, or a gamma x of e^709. */
#define T_MIN (-708.0)
#define T_MAX_BETA 37.0
#define T_MAX_GAMMA 709.0

static double coord_x(const shape *s, double t)
{
    return s->beta ? 1.0 / (1.0 + exp(-t)) : exp(t);
}

/* dF/dt: x^a (1 - x)^b / B(a, b) for the beta, x^a e^-x / Gamma(a) for the gamma. */
static double coord_density(const shape *s, double t)
{
    if (s->beta)
        return exp(-s->a * log1p(exp(-t)) - s->b * log1p(exp(t)) - s->log_norm);
    return exp(s->a * t - exp(t) - s->log_norm);
}

/* F(x) - u up to the median, (1 - u) - Q(x) above it: increasing in t either way, and each
 * tail keeps its digits (1 - u is exact for u >= 1/2). */
static double residual(const shape *s, double x, double u)
{
    if (u <= 0.5)
        return (s->beta ? gsl_cdf_beta_P(x, s->a, s->b) : gsl_cdf_gamma_P(x, s->a, 1.0)) - u;
    return (1.0 - u) - (s->beta ? gsl_cdf_beta_Q(x, s->a, s->b) : gsl_cdf_gamma_Q(x, s->a, 1.0));
}

/* Newton's method in t, safeguarded as in Numerical Recipes' rtsafe: each evaluation
 * narrows a bracket [lo, hi] of the root, and a step that would leave the bracket, or that
 * is not half the one before last, bisects it instead. Ends when a step or the bracket is
 * within a few ulps of t. A pure function of (shape, u, start): the same in every thread. */
static double search(const shape *s, double u, double t, double lo, double hi)
{
    t = fmin(fmax(t, lo + 1e-3), hi - 1e-3);
    double dx = hi - lo, dx_before = dx;
    for (int i = 0; i < 200; i++) {
        double r = residual(s, coord_x(s, t), u);
        if (r == 0.0)
            break;
        if (r < 0.0)
            lo = t;
        else
            hi = t;
        double newton = r / coord_density(s, t), next;
        dx_before = dx;
        if (!(t - newton > lo && t - newton < hi) || fabs(newton) > 0.5 * fabs(dx_before)) {
            next = 0.5 * (lo + hi);
            dx = next - t;
        } else {
            next = t - newton;
            dx = -newton;
        }
        double tol = 4.0 * DBL_EPSILON * fmax(1.0, fabs(next));
        bool done = fabs(next - t) <= tol || hi - lo <= tol;
        t = next;
        if (done)
            break;
    }
    return coord_x(s, t);
}

static double beta_quantile(double u, double a, double b)
{
    const double n = a + b, mean = a / n, sd = sqrt(a * b / (n + 1.0)) / n;
    const double z = gsl_cdf_ugaussian_Pinv(u);
    if (a >= 1e5 && b >= 1e5) {
        /* Cornish-Fisher with the beta's skewness g1 and excess kurtosis g2 (both below
         * 1e-2 here): the quantile to O(n^-3/2) standard deviations. */
        double g1 = 2.0 * (b - a) * sqrt(n + 1.0) / ((n + 2.0) * sqrt(a * b));
        double g2 = 6.0 * ((a - b) * (a - b) * (n + 1.0) - a * b * (n + 2.0)) /
                    (a * b * (n + 2.0) * (n + 3.0));
        double w = z + g1 * (z * z - 1.0) / 6.0 + g2 * (z * z * z - 3.0 * z) / 24.0 -
                   g1 * g1 * (2.0 * z * z * z - 5.0 * z) / 36.0;
        return fmin(fmax(mean + sd * w, 0.0), 1.0);
    }
    const shape s = {true, a, b, gsl_sf_lnbeta(a, b)};
    /* Start from the normal approximation, or from the power-law tail it misses
     * (F(x) ~ x^a / (a B(a, b)) near 0, likewise near 1). */
    double x = mean + sd * z, t;
    if (x > 0.0 && x < 1.0)
        t = log(x) - log1p(-x);
    else if (x <= 0.0)
        t = (log(u) + log(a) + s.log_norm) / a;
    else
        t = -(log1p(-u) + log(b) + s.log_norm) / b;
    return search(&s, u, t, T_MIN, T_MAX_BETA);
}

/* Unit scale. Wilson-Hilferty, a (1 - c + z sqrt(c))^3 with c = 1/(9a), is the start,
 * and the answer itself from a = 3e4 on, where its error is below 1e-6 standard deviations
 * and GSL's gamma CDF starts to fail (wrong by 1e-4 to 0.15 from a = 3e5). Below it, where
 * Wilson-Hilferty is not positive, the start is the lower tail F(x) ~ x^a / Gamma(a + 1). */
static double gamma_quantile(double u, double a)
{
    double c = 1.0 / (9.0 * a), w = 1.0 - c + gsl_cdf_ugaussian_Pinv(u) * sqrt(c);
    if (a >= 3e4)
        return a * w * w * w;
    const shape s = {false, a, 0.0, gsl_sf_lngamma(a)};
    double t = w > 0.0 ? log(a) + 3.0 * log(w) : (log(u) + gsl_sf_lngamma(a + 1.0)) / a;
    return search(&s, u, t, T_MIN, T_MAX_GAMMA);
}

/* Shape parameters of a beta with the given mean and sd (method of moments). */
static void beta_shapes(double mean, double sd, double *a, double *b)
{
    double k = mean * (1.0 - mean) / (sd * sd) - 1.0;
    *a = mean * k;
    *b = (1.0 - mean) * k;
}

static double triangular_quantile(double lo, double mode, double hi, double u)
{
    double cut = (mode - lo) / (hi - lo);
    if (u < cut)
        return lo + sqrt(u * (hi - lo) * (mode - lo));
    return hi - sqrt((1.0 - u) * (hi - lo) * (hi - mode));
}

double sr_dist_quantile(const sr_numdef *d, double u)
{
    const double *p = d->p;
    double a, b;
    switch (d->kind) {
    case SR_DIST_FIXED:
        return p[0];
    case SR_DIST_BETA:
        beta_shapes(p[0], p[1], &a, &b);
        return beta_quantile(u, a, b);
    case SR_DIST_GAMMA:
        return p[1] * p[1] / p[0] * gamma_quantile(u, p[0] * p[0] / (p[1] * p[1]));
    case SR_DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(u, p[0], p[1]);
    case SR_DIST_NORMAL: {
        /* Truncated to [min, max] by inverting the parent's CDF on the kept mass. */
        double lo = isinf(p[2]) ? 0.0 : gsl_cdf_gaussian_P(p[2] - p[0], p[1]);
        double hi = isinf(p[3]) ? 1.0 : gsl_cdf_gaussian_P(p[3] - p[0], p[1]);
        double x = p[0] + gsl_cdf_gaussian_Pinv(lo + u * (hi - lo), p[1]);
        return x < p[2] ? p[2] : x > p[3] ? p[3] : x;
    }
    case SR_DIST_UNIFORM:
        return p[0] + u * (p[1] - p[0]);
    case SR_DIST_PERT: {
        /* Beta(1 + 4 (mode - min) / range, 1 + 4 (max - mode) / range) on [min, max]. */
        double range = p[2] - p[0];
        a = 1.0 + 4.0 * (p[1] - p[0]) / range;
        b = 1.0 + 4.0 * (p[2] - p[1]) / range;
        return p[0] + range * beta_quantile(u, a, b);
    }
    case SR_DIST_TRIANGULAR:
        return triangular_quantile(p[0], p[1], p[2], u);
    }
    return NAN;
}
