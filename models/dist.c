#include "dist.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

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
        return gsl_cdf_beta_Pinv(u, a, b);
    case SR_DIST_GAMMA:
        return gsl_cdf_gamma_Pinv(u, p[0] * p[0] / (p[1] * p[1]), p[1] * p[1] / p[0]);
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
        return p[0] + range * gsl_cdf_beta_Pinv(u, a, b);
    }
    case SR_DIST_TRIANGULAR:
        return triangular_quantile(p[0], p[1], p[2], u);
    }
    return NAN;
}
