/* Binomial, multinomial and multivariate hypergeometric draws of persons (sim/engine/sample.h).
 *
 * Invariants, checked in a SIRISK_DEBUG build (sim/base/check.h): a binomial draw of n
 * persons lies in 0..n; a multinomial's categories add up to its n persons and none is
 * negative; a hypergeometric share takes exactly the persons asked for and leaves no
 * category negative. Every draw of a number of persons is a whole number (the expectation,
 * SR_DRAW_EXPECTED, is not drawn here but for the multinomial's means). Every draw reads
 * its generator only: where it is positioned is the caller's (sim/engine/rng.h). */
#include "sim/engine/sample.h"

#include "sim/base/check.h"
#include "sim/engine/hypergeometric.h"
#include "sim/engine/rng.h"

#include <float.h>
#include <stdbool.h>
#include <gsl/gsl_randist.h>
#include <math.h>

/* reciprocal[k] = 1 / (k + 1): the walk below multiplies by it rather than divide, which
 * takes several times as long. */
#define RECIPROCALS 128
#define INV4(i) 1.0 / (i), 1.0 / ((i) + 1), 1.0 / ((i) + 2), 1.0 / ((i) + 3)
#define INV16(i) INV4(i), INV4((i) + 4), INV4((i) + 8), INV4((i) + 12)
#define INV64(i) INV16(i), INV16((i) + 16), INV16((i) + 32), INV16((i) + 48)
static const double reciprocal[RECIPROCALS] = {INV64(1), INV64(65)};

/* P(k+1) / P(k) of Binomial(n, p), odds = p / (1 - p). */
static inline double pmf_ratio(double n, double odds, size_t k)
{
    return odds * (n - (double)k) * (k < RECIPROCALS ? reciprocal[k] : 1.0 / (double)(k + 1));
}

/* Inversion for p <= 1/2, given log(1 - p): walks the probability mass function from k = 0
 * until the cumulative mass exceeds u. P(0) = (1-p)^n, P(k+1) = P(k) (n-k) p / ((k+1)(1-p)).
 * Two terms a step: P(k+2) comes from P(k) and u is reduced by both terms at once, so each
 * step waits for one multiplication and one subtraction, not two of each. Past the mean,
 * once the remaining terms are below rounding, the walk stops: u can only get there
 * through rounding of the cumulative sum (probability about 1e-16). */
static double binomial_inversion(double u, double n, double p, double log_1mp)
{
    double f = exp(n * log_1mp);   /* P(k) */
    const double odds = p / (1.0 - p);
    const double mean = n * p;
    size_t k = 0;
    for (;;) {
        if (u < f)
            return (double)k;
        if ((double)k >= n)
            return n;
        const double up = pmf_ratio(n, odds, k);
        const double both = f + f * up;   /* P(k) + P(k+1) */
        if (u < both)
            return (double)(k + 1);
        if ((double)(k + 1) >= n)
            return n;
        u -= both;
        f *= up * pmf_ratio(n, odds, k + 1);
        k += 2;
        if (f < DBL_EPSILON * 1e-3 && (double)k > mean)
            return (double)k;
    }
}

/* A Binomial(n, p) draw, given log(1 - p) and log(p); a NaN one is computed only if the
 * inversion walk needs it. */
static double binomial(gsl_rng *r, double n, double p, double log_1mp, double log_p)
{
    if (!(n > 0.0 && p > 0.0))      /* also a NaN, which must never reach GSL's sampler */
        return 0.0;
    if (p >= 1.0)
        return n;
    const int flip = p > 0.5;
    const double q = flip ? 1.0 - p : p;
    double k;
    if (n * q < SR_INVERSION_MEAN_MAX) {
        double u = sr_rng_uniform(r);
        /* With the flip, 1-u keeps the draw increasing in p; log(1-q) = log(p). */
        if (flip)
            u = 1.0 - u;
        /* P(0) = (1-q)^n >= 1 - nq (Bernoulli's inequality): below that, no walk. */
        const double log_1mq = flip ? log_p : log_1mp;
        if (u < 1.0 - n * q)
            k = 0.0;
        else
            k = binomial_inversion(u, n, q,
                                   isnan(log_1mq) ? (flip ? log(p) : log1p(-p)) : log_1mq);
    } else {
        k = (double)gsl_ran_binomial(r, q, (unsigned int)n);
    }
    SR_CHECK(k >= 0.0 && k <= n && k == floor(k));
    return flip ? n - k : k;
}

double sr_binomial_logs(gsl_rng *r, double n, double p, double log_1mp, double log_p)
{
    return binomial(r, n, p, log_1mp, log_p);
}

double sr_binomial(gsl_rng *r, double n, double p)
{
    return binomial(r, n, p, NAN, NAN);
}

/* The last n persons (SR_CATEGORICAL_MAX or fewer) of a multinomial, one at a time, into
 * categories j..last (rest: the probability of categories j.., 1 at j = 0): a person's
 * category is j plus the number of bounds at or below u * rest, u uniform, counted
 * without a branch (a branch on a random outcome is mispredicted about as often as not,
 * and costs more than the comparisons). The bounds are cum (tabulated, j = 0) or the
 * running sums of prob[j..] (computed); an empty category's bound equals the one before
 * it, so it is passed over. */
static inline void categorical(gsl_rng *r, double n, const sr_split *s, bool tabulated,
                               size_t j, size_t last, double rest, double *out)
{
    for (; n > 0.0; n -= 1.0) {
        const double u = sr_rng_uniform(r) * rest;
        size_t c = j;
        if (tabulated) {
            for (size_t i = j; i < last; i++)
                c += u >= s->cum[i];
        } else {
            double bound = 0.0;
            for (size_t i = j; i < last; i++) {
                bound += s->prob[i];
                c += u >= bound;
            }
        }
        out[c] += 1.0;
    }
}

/* Whether out[0..k) are persons adding up to n: whole numbers when drawn, to rounding when
 * expected. */
static bool adds_up(const double *out, size_t k, double n, bool random)
{
    double sum = 0.0;
    for (size_t j = 0; j < k; j++) {
        if (!(out[j] >= 0.0) || (random && out[j] != floor(out[j])))
            return false;
        sum += out[j];
    }
    return random ? sum == n : fabs(sum - n) <= 1e-9 * fmax(1.0, n);
}

/* sr_multinomial for one form of the split (tabulated: prob is NULL), which the compiler
 * specialises for each. */
static inline void multinomial(const sr_draw *d, double n, const sr_split *s, bool tabulated,
                               double *out)
{
    const bool random = d->mode == SR_DRAW_RANDOM;
    const double persons = n;
    size_t last = s->k - 1;   /* the last category that can take anyone */
    while (!tabulated && last > 0 && s->prob[last] <= 0.0)
        last--;
    for (size_t j = 0; j < s->k; j++)
        out[j] = 0.0;
    double rest = 1.0;        /* computed form: the probability of categories j.. */
    for (size_t j = 0; j < last && n > 0.0; j++) {
        if (random && n <= SR_CATEGORICAL_MAX && (!tabulated || j == 0)) {
            categorical(d->rng, n, s, tabulated, j, last, rest, out);
            SR_CHECK(adds_up(out, s->k, persons, random));
            return;
        }
        double c = 0.0, log_stay = NAN, log_leave = NAN;
        if (tabulated) {
            c = s->cond[j];
            log_stay = s->cond_log_stay[j];
            log_leave = s->cond_log_leave[j];
        } else {
            const double p = s->prob[j];
            c = p <= 0.0 ? 0.0 : rest > p ? p / rest : 1.0;
            rest -= p;
        }
        out[j] = random ? sr_binomial_logs(d->rng, n, c, log_stay, log_leave) : n * c;
        n -= out[j];
    }
    out[last] += n;
    SR_CHECK(adds_up(out, s->k, persons, random));
}

void sr_multinomial(const sr_draw *d, double n, const sr_split *s, double *out)
{
    if (s->prob == NULL)
        multinomial(d, n, s, true, out);
    else
        multinomial(d, n, s, false, out);
}

void sr_hypergeometric_share(gsl_rng *r, size_t k, double *remaining, double take,
                             double *out)
{
    double population = 0.0;
    for (size_t c = 0; c < k; c++)
        population += remaining[c];
    SR_CHECK(take <= population);
    for (size_t c = 0; c < k; c++) {
        double x = 0.0;
        if (take > 0.0 && remaining[c] > 0.0)
            x = c + 1 == k ? take : sr_hypergeometric(r, remaining[c], population, take);
        out[c] = x;
        population -= remaining[c];
        remaining[c] -= x;
        take -= x;
        SR_CHECK(remaining[c] >= 0.0);
    }
    SR_CHECK(take == 0.0);
}
