/* Hypergeometric draws (sim/engine/hypergeometric.h): inversion from 0 for a short support,
 * Stadlober's ratio of uniforms (HRUA) otherwise, on a reduced form in which the tagged and
 * the taken are each at most half the population; and the log-pmf, accurate at any
 * population a double holds exactly.
 *
 * Invariants: every count (population, tagged, taken, the draw) is a whole number held
 * exactly (at most SR_HYPERGEOMETRIC_MAX); a draw lies in the support, max(0, taken -
 * (total - tagged)) .. min(tagged, taken), checked in a SIRISK_DEBUG build
 * (sim/base/check.h). */
#include "sim/engine/hypergeometric.h"

#include "sim/base/check.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/engine/rng.h"

/* Hypergeometric(N, M, n) in the form the draws use: the M tagged and the n taken are each
 * at most half of the N, so the support is 0 .. min(M, n), and rest = N - M - n >= 0.
 * Every count is a whole number held exactly (N <= SR_HYPERGEOMETRIC_MAX). */
typedef struct {
    double N, M, n, rest;
    double few;                       /* min(M, n): the support's end */
    double mean;                      /* M n / N */
} law;

/* ---- the probability mass function ---------------------------------------------------
 * log n! - log x! - log (n-x)! over populations of 10^9 and more cannot be computed as a
 * difference of log-factorials (each about 2e10, so rounding alone leaves 1e-6 of error,
 * and 30 at 2^53). As in Loader's binomial (C. Loader, "Fast and accurate computation of
 * binomial probabilities", 2000), each log a! is written around a centre mu:
 *   log a! = a log mu - mu + D(a, mu) + [log sqrt(2 pi a) + stirling_error(a)]_{a > 0}
 * with the deviance D(a, mu) = a log(a / mu) + mu - a, computed from a - mu without
 * cancellation. With the four factorials of P(x) = C(M, x) C(N-M, n-x) / C(N, n),
 *   a = x, M - x, n - x, rest + x   centred on   mu = mean, M - mean, n - mean, rest + mean
 * (the binomial means of x and n - x with p = n / N), the terms a log mu - mu add up to a
 * constant, every a - mu is +-(x - mean), and what is left is small where P(x) is not:
 *   log P(x) = C + shape(x),  shape(x) = -sum [D(a, mu) + [log sqrt(2 pi a) +
 *                                               stirling_error(a)]_{a > 0}]
 *   C = stirling_error of M, N - M, n, N - n, minus of N,
 *       + log sqrt((2 pi)^3 M (N - M) n (N - n) / N)
 * (the binomial identity P(x) = Bin(M, p)(x) Bin(N - M, p)(n - x) / Bin(N, p)(n), each
 * expanded so). One logarithm for the shape, every term accurate to its own rounding: the
 * log-pmf to about 1e-13 absolute for any N up to 2^53. */

#define TWO_PI 6.2831853071795864769

/* log a! - [(a + 1/2) log a - a + log sqrt(2 pi)] for whole a >= 1. Up to 15 from a
 * table (computed with 64-bit-mantissa lgammal); beyond, Stirling's series to a^-9, whose
 * next term is below 1e-16 of the sum at a = 16. */
static double stirling_error(double a)
{
    static const double small[16] = {
        0.0, /* unused: 0! enters as 1 */
        0.081061466795327261, 0.041340695955409297, 0.027677925684998338,
        0.020790672103765093, 0.016644691189821193, 0.013876128823070747,
        0.01189670994589177,  0.010411265261972094, 0.0092554621827127346,
        0.0083305634333628725, 0.0075736754879518432, 0.0069428401072095291,
        0.006408994188004208, 0.0059513701127588492, 0.0055547335519628002};
    if (a <= 15.0)
        return small[(int)a];
    const double r = 1.0 / a, r2 = r * r;
    return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 -
                                                                        r2 * (1.0 / 1188)))));
}

/* D(a, mu) = a log(a / mu) + mu - a, given d = a - mu (a >= 0, mu > 0). Near mu, from the
 * series in v = d / (a + mu): a log((1 + v) / (1 - v)) - d = d v + 2a (v^3/3 + v^5/5 +
 * ...); |v| < 0.1, so each term is under a hundredth of the one before, and twelve reach
 * below rounding. */
static double deviance(double a, double d, double mu)
{
    static const double odd[12] = {1.0 / 3,  1.0 / 5,  1.0 / 7,  1.0 / 9,  1.0 / 11, 1.0 / 13,
                                   1.0 / 15, 1.0 / 17, 1.0 / 19, 1.0 / 21, 1.0 / 23, 1.0 / 25};
    if (a == 0.0)
        return mu;
    if (fabs(d) < 0.1 * (a + mu)) {
        const double v = d / (a + mu), v2 = v * v;
        double sum = d * v, term = 2.0 * a * v;
        for (int j = 0; j < 12; j++) {
            term *= v2;
            const double next = sum + term * odd[j];
            if (next == sum)
                break;
            sum = next;
        }
        return sum;
    }
    return a * log(a / mu) - d;
}

/* deviance(a, d, mu) + stirling_error(a) where both series apply, a >= 16 and
 * |d| < (a + mu) / 10 (most terms of most draws): no branch, no logarithm. The deviance
 * series to v^19 (the next term is below 1e-18 of the sum), by Estrin's scheme. */
static double regular_term(double a, double d, double mu)
{
    const double v = d / (a + mu), y = v * v, y2 = y * y, y4 = y2 * y2;
    const double low = (1.0 / 3 + y * (1.0 / 5)) + y2 * (1.0 / 7 + y * (1.0 / 9));
    const double high = (1.0 / 11 + y * (1.0 / 13)) + y2 * (1.0 / 15 + y * (1.0 / 17));
    const double series = low + y4 * high + y4 * y4 * (1.0 / 19);
    const double r = 1.0 / a, r2 = r * r;
    const double stirling =
        r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 -
                                                                    r2 * (1.0 / 1188)))));
    return d * v + 2.0 * a * v * y * series + stirling;
}

/* shape(x) above, x in 0 .. min(M, n), in two parts: shape(x) = -sum - log(product) / 2
 * with product the product of 2 pi a over the a > 0 (at most (2 pi 2^53)^4), so that the
 * difference of two shapes takes one logarithm. */
typedef struct {
    double sum, product;
} shape_parts;

static shape_parts shape_of(const law *h, double x)
{
    const double d = x - h->mean;
    const double a[4] = {x, h->M - x, h->n - x, h->rest + x};
    const double mu[4] = {h->mean, h->M - h->mean, h->n - h->mean, h->rest + h->mean};
    const double sign[4] = {1.0, -1.0, -1.0, 1.0};   /* a - mu = sign (x - mean) */
    shape_parts s = {0.0, 1.0};
    for (int j = 0; j < 4; j++) {
        if (a[j] >= 16.0 && fabs(d) < 0.1 * (a[j] + mu[j])) {
            s.sum += regular_term(a[j], sign[j] * d, mu[j]);
        } else {
            s.sum += deviance(a[j], sign[j] * d, mu[j]);
            if (a[j] > 0.0)
                s.sum += stirling_error(a[j]);
        }
        if (a[j] > 0.0)
            s.product *= TWO_PI * a[j];
    }
    return s;
}

/* log P(x) = C + shape(x), in one logarithm. M, n >= 1. */
static double log_pmf(const law *h, double x)
{
    const double N = h->N, M = h->M, n = h->n;
    const shape_parts s = shape_of(h, x);
    const double c = stirling_error(M) + stirling_error(N - M) + stirling_error(n) +
                     stirling_error(N - n) - stirling_error(N);
    /* (2 pi)^3 M (N - M) n (N - n) / N <= 2^220, over the product of up to four 2 pi a */
    return c - s.sum +
           0.5 * log(TWO_PI * TWO_PI * TWO_PI * (M * (N - M)) * (n * (N - n)) / N / s.product);
}

/* The form of Hypergeometric(total, tagged, taken) with both at most half the total
 * (0 < tagged, taken < total): the tagged count's law is unchanged when the tagged and
 * untagged swap roles (the untagged among the taken: taken - x) or the taken and the left
 * (the tagged among the left: tagged - x). */
typedef struct {
    law h;
    bool swap_tagged, swap_taken;
} reduced;

static reduced reduce(double tagged, double total, double taken)
{
    reduced f = {.swap_tagged = tagged > total - tagged, .swap_taken = taken > total - taken};
    f.h.N = total;
    f.h.M = f.swap_tagged ? total - tagged : tagged;
    f.h.n = f.swap_taken ? total - taken : taken;
    f.h.rest = total - f.h.M - f.h.n;
    f.h.few = f.h.M < f.h.n ? f.h.M : f.h.n;
    f.h.mean = f.h.M * f.h.n / total;
    return f;
}

/* The tagged among the taken, from z of the form; and back. */
static double tagged_count(const reduced *f, double tagged, double z)
{
    const double in_n = f->swap_tagged ? f->h.n - z : z;   /* tagged among the n */
    return f->swap_taken ? tagged - in_n : in_n;
}

static double form_count(const reduced *f, double tagged, double x)
{
    const double in_n = f->swap_taken ? tagged - x : x;
    return f->swap_tagged ? f->h.n - in_n : in_n;
}

double sr_hypergeometric_log_pmf(double x, double tagged, double total, double taken)
{
    const double low = fmax(0.0, taken - (total - tagged)), high = fmin(tagged, taken);
    if (!(x >= low && x <= high && x == floor(x)))
        return -INFINITY;
    if (low == high)
        return 0.0;
    /* here 0 < tagged, taken < total */
    const reduced f = reduce(tagged, total, taken);
    return log_pmf(&f.h, form_count(&f, tagged, x));
}

/* ---- the draws ----------------------------------------------------------------------- */

/* Up to this min(M, n) the draw is by inversion from 0, P(0) a product of min(M, n)
 * ratios. */
#define INVERSION_FEW_MAX 16.0

/* Up to this distance from the mode, P(k) / P(m) is computed as the product of the ratios
 * between, cheaper than two evaluations of the pmf. */
#define PRODUCT_STEPS_MAX 64.0

/* P(k + 1) / P(k). */
static inline double ratio_up(const law *h, double k)
{
    return (h->M - k) * (h->n - k) / ((k + 1.0) * (h->rest + k + 1.0));
}

/* Terms below this are rounding: a walk past the mean that reaches one stops (u can only
 * get there through rounding of the cumulative sum, probability about 1e-16). */
#define NEGLIGIBLE (DBL_EPSILON * 1e-3)

/* Inversion from 0 for few = min(M, n) <= INVERSION_FEW_MAX: P(0) = C(N - many, few) /
 * C(N, few) (numerator and denominator each a product of up to 16 numbers below 2^53, in
 * two chains), then the walk up the pmf until the cumulative mass exceeds one uniform. */
static double inversion_from_zero(gsl_rng *r, const law *h)
{
    const double many = h->M + h->n - h->few, N = h->N;
    double num[2] = {1.0, 1.0}, den[2] = {1.0, 1.0};
    for (double i = 0.0; i < h->few; i += 2.0) {
        num[0] *= N - many - i;
        den[0] *= N - i;
        if (i + 1.0 < h->few) {
            num[1] *= N - many - i - 1.0;
            den[1] *= N - i - 1.0;
        }
    }
    double f = num[0] * num[1] / (den[0] * den[1]);   /* P(k) */
    double u = sr_rng_uniform(r), k = 0.0;
    for (;;) {
        if (u < f || k >= h->few)
            return k;
        u -= f;
        f *= ratio_up(h, k);
        k += 1.0;
        if (f < NEGLIGIBLE && k > h->mean)
            return k;
    }
}

/* P(lo + d) / P(lo) as scale * up / down: the product of the ratios between,
 * P(j + 1) / P(j) = (M - j)(n - j) / ((j + 1)(rest + j + 1)), exact but for d roundings.
 * Every factor lies in [1, 2^106]; numerators and denominators are multiplied apart, in
 * two chains the processor runs side by side, and folded into scale every eight steps
 * (below 2^848), so that a step costs no division and the caller compares without one
 * (up and down stay below 2^742). Up to four steps, the most common case, a step past d
 * multiplies by 1 rather than end a loop: the number of steps varies from draw to draw,
 * and a mispredicted branch costs more than a few multiplications. */
typedef struct {
    double scale, up, down;
} ratio_parts;

static ratio_parts ratio_over(const law *h, double lo, double d)
{
    const double M = h->M, n = h->n, rest = h->rest;
    if (d <= 4.0) {   /* most tries: one chunk of four, no loop */
        double up[2] = {1.0, 1.0}, down[2] = {1.0, 1.0};
        for (int i = 0; i < 4; i++) {
            const double j = lo + i, step = (double)(i < d);   /* 1 or 0: no branch */
            up[i & 1] *= 1.0 + step * ((M - j) * (n - j) - 1.0);
            down[i & 1] *= 1.0 + step * ((j + 1.0) * (rest + j + 1.0) - 1.0);
        }
        return (ratio_parts){1.0, up[0] * up[1], down[0] * down[1]};
    }
    double scale = 1.0, up[2] = {1.0, 1.0}, down[2] = {1.0, 1.0};
    double j = lo;
    const double end = lo + d;
    for (int in_chunk = 0; j + 1.0 < end; j += 2.0) {
        up[0] *= (M - j) * (n - j);
        down[0] *= (j + 1.0) * (rest + j + 1.0);
        up[1] *= (M - j - 1.0) * (n - j - 1.0);
        down[1] *= (j + 2.0) * (rest + j + 2.0);
        if (++in_chunk == 4) {
            scale *= up[0] * up[1] / (down[0] * down[1]);
            up[0] = up[1] = down[0] = down[1] = 1.0;
            in_chunk = 0;
        }
    }
    if (j < end) {
        up[0] *= (M - j) * (n - j);
        down[0] *= (j + 1.0) * (rest + j + 1.0);
    }
    return (ratio_parts){scale, up[0] * up[1], down[0] * down[1]};
}

/* floor(x) for 0 <= x < 2^63, without a call to floor (x86-64 has no rounding
 * instruction before SSE4.1; conversion to an integer truncates). */
static inline double whole_part(double x)
{
    return (double)(int64_t)x;
}

/* A uniform on (0, 1). */
static double uniform_positive(gsl_rng *r)
{
    double u;
    do
        u = sr_rng_uniform(r);
    while (u == 0.0);
    return u;
}

/* Stadlober's ratio of uniforms (HRUA; E. Stadlober, "The ratio of uniforms approach for
 * generating discrete random variates", J. Comput. Appl. Math. 31 (1990) 181-189): a
 * point (u, v) uniform in (0, 1) x (-1/2, 1/2) gives x = a + h v / u, which has the table
 * mountain density, flat over a +- h/2 with tails like 1/x^2; k = floor(x) is accepted
 * with probability P(k) / (P(m) u^2) (m the mode), so the accepted k have the pmf. With
 * h = 2 sqrt(2/e) sqrt(var + 1/2) + 3 - 2 sqrt(3/e) the mountain covers the pmf (the pmf
 * being log-concave), and under two tries are needed on average for a variance above
 * a few, whatever N (about four for the smallest). k beyond the mean + 16 sd (a mass far
 * below 1e-50) is never drawn. Near the mode P(k) / P(m) is a product of ratios, farther
 * from it the difference of two shapes. */
static double hrua(gsl_rng *r, const law *l)
{
    static const double d1 = 1.7155277699214135;   /* 2 sqrt(2/e) */
    static const double d2 = 0.8989161620588988;   /* 3 - 2 sqrt(3/e) */
    const double N = l->N, M = l->M, n = l->n;
    const double var = M * n * ((N - M) * (N - n)) / (N * N * (N - 1.0));   /* <= 2^212 */
    const double a = l->mean + 0.5, c = sqrt(var + 0.5), h = d1 * c + d2;
    const double mode = whole_part((n + 1.0) * (M + 1.0) / (N + 2.0));
    const double tail = whole_part(a + 16.0 * c);
    const double end = l->few + 1.0 < tail ? l->few + 1.0 : tail;   /* k < end */
    shape_parts at_mode = {0.0, 0.0};   /* computed when first needed (product 0) */
    for (;;) {
        const double u = uniform_positive(r), v = sr_rng_uniform(r);
        const double x = a + h * (v - 0.5) / u;
        if (!(x >= 0.0 && x < end))
            continue;
        const double k = whole_part(x);
        const double d = fabs(k - mode);
        if (d <= PRODUCT_STEPS_MAX) {
            /* P(max(k, m)) / P(min(k, m)) = q.scale q.up / q.down, finite (it exceeds 1e300
             * only for a variance too small to reach 64 steps); accept if u^2 <= P(k) /
             * P(m), the side selected by arithmetic rather than a branch as likely to go
             * either way */
            const ratio_parts q = ratio_over(l, fmin(k, mode), d);
            const double above = (double)(k >= mode), high = q.scale * q.up;
            const double num = above * high + (1.0 - above) * q.down;
            const double den = above * q.down + (1.0 - above) * high;
            if (u * u * den <= num)
                return k;
            continue;
        }
        if (at_mode.product == 0.0)
            at_mode = shape_of(l, mode);
        const shape_parts at_k = shape_of(l, k);
        /* log P(k) / P(m) */
        const double t = at_mode.sum - at_k.sum - 0.5 * log(at_k.product / at_mode.product);
        /* accept if 2 log u <= t; u (4 - u) - 3 >= 2 log u >= u - 1/u on (0, 1] spare
         * most logarithms */
        if (u * (4.0 - u) - 3.0 <= t)
            return k;
        if (u * (u - t) >= 1.0)
            continue;
        if (2.0 * log(u) <= t)
            return k;
    }
}

double sr_hypergeometric(gsl_rng *r, double tagged, double total, double taken)
{
    if (!(tagged > 0.0 && taken > 0.0))   /* also a NaN */
        return 0.0;
    if (taken >= total)
        return tagged;
    if (tagged >= total)
        return taken;
    const reduced f = reduce(tagged, total, taken);
    double z;
    if (f.h.few <= INVERSION_FEW_MAX)
        z = inversion_from_zero(r, &f.h);
    else
        z = hrua(r, &f.h);
    const double x = tagged_count(&f, tagged, z);
    SR_CHECK(x >= fmax(0.0, taken - (total - tagged)) && x <= fmin(tagged, taken) &&
             x == floor(x));
    return x;
}
