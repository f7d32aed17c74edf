#include "sample.h"

#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>

/* Inversion for p <= 1/2: walks the probability mass function from k = 0 until the
 * cumulative mass exceeds u. P(0) = (1-p)^n, P(k+1) = P(k) (n-k) p / ((k+1)(1-p)).
 * Past the mean, once the remaining terms are below rounding, the walk stops: u can only
 * get there through rounding of the cumulative sum (probability about 1e-16). */
static double binomial_inversion(double u, double n, double p)
{
    double f = exp(n * log1p(-p));
    const double odds = p / (1.0 - p);
    const double mean = n * p;
    double k = 0.0;
    while (u >= f) {
        u -= f;
        if (k >= n)
            return n;
        f *= odds * (n - k) / (k + 1.0);
        k += 1.0;
        if (f < DBL_EPSILON * 1e-3 && k > mean)
            return k;
    }
    return k;
}

double sr_binomial(gsl_rng *r, double n, double p)
{
    if (n <= 0.0 || p <= 0.0)
        return 0.0;
    if (p >= 1.0)
        return n;
    const int flip = p > 0.5;
    const double q = flip ? 1.0 - p : p;
    double k;
    if (n * q < SR_INVERSION_MEAN_MAX) {
        double u = gsl_rng_uniform(r);
        /* With the flip, 1-u keeps the draw increasing in p. */
        k = binomial_inversion(flip ? 1.0 - u : u, n, q);
    } else {
        k = (double)gsl_ran_binomial(r, q, (unsigned int)n);
    }
    return flip ? n - k : k;
}
