/* The binomial sampler against the exact binomial distribution (chi-square goodness of
 * fit, fixed streams), on both of its paths (inversion, GSL's BTPE) and the flip p > 1/2;
 * the monotone coupling that common random numbers rely on; the hypergeometric share of
 * a cell's moves against the exact hypergeometric distribution, from small populations to
 * 2^52, with its cost bounded; the hypergeometric log-pmf against log-binomials; and the
 * multinomial, with tabulated and computed probabilities, against its binomial marginals. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "sim/engine/hypergeometric.h"
#include "sim/engine/rng.h"
#include "sim/engine/sample.h"

/* Chi-square p-value of the counts observed[0..max_k] of `draws` draws against the
 * probabilities prob[0..max_k], neighbouring cells pooled until their expected count
 * reaches min_expected (at least 5). */
static double chi_square_pooled(const double *observed, const double *prob, size_t max_k,
                                size_t draws, double min_expected)
{
    double chi2 = 0.0, obs_pool = 0.0, exp_pool = 0.0;
    int df = -1;
    for (size_t k = 0; k <= max_k; k++) {
        obs_pool += observed[k];
        exp_pool += draws * prob[k];
        if (exp_pool >= min_expected || k == max_k) {
            chi2 += (obs_pool - exp_pool) * (obs_pool - exp_pool) / fmax(exp_pool, 1e-300);
            df++;
            obs_pool = exp_pool = 0.0;
        }
    }
    return df > 0 ? gsl_cdf_chisq_Q(chi2, df) : 1.0;
}

/* The same, cells with an expected count below 5 pooled into the neighbouring tails. */
static double chi_square_p(const double *observed, const double *prob, unsigned max_k,
                           size_t draws)
{
    return chi_square_pooled(observed, prob, max_k, draws, 5.0);
}

/* Chi-square p-value of `draws` draws of Binomial(n, p) against the pmf. */
static double goodness_of_fit(unsigned n, double p, size_t draws, uint64_t key)
{
    gsl_rng *r = sr_rng_alloc();
    sr_rng_seek(r, key);
    double *observed = calloc(n + 1, sizeof *observed), *prob = calloc(n + 1, sizeof *prob);
    for (size_t i = 0; i < draws; i++) {
        double k = sr_binomial(r, n, p);
        cr_assert(k >= 0 && k <= n && k == floor(k), "draw %g out of range", k);
        observed[(size_t)k] += 1.0;
    }
    for (unsigned k = 0; k <= n; k++)
        prob[k] = gsl_ran_binomial_pdf(k, p, n);
    const double p_value = chi_square_p(observed, prob, n, draws);
    free(observed);
    free(prob);
    gsl_rng_free(r);
    return p_value;
}

Test(sample, inversion_draws_follow_the_binomial_distribution)
{
    cr_expect_gt(goodness_of_fit(20, 0.1, 200000, 1), 1e-5);
    cr_expect_gt(goodness_of_fit(1000, 0.004, 200000, 2), 1e-5);
    cr_expect_gt(goodness_of_fit(3, 0.5, 200000, 3), 1e-5);   /* walks to n, odd and even */
    cr_expect_gt(goodness_of_fit(4, 0.45, 200000, 8), 1e-5);
    cr_expect_gt(goodness_of_fit(100, 0.38, 200000, 7), 1e-5); /* mean 38: a long walk */
}

Test(sample, flipped_draws_follow_the_binomial_distribution)
{
    cr_expect_gt(goodness_of_fit(30, 0.93, 200000, 4), 1e-5);
}

Test(sample, large_counts_follow_the_binomial_distribution)
{
    cr_expect_gt(goodness_of_fit(5000, 0.05, 200000, 5), 1e-5);
    cr_expect_gt(goodness_of_fit(400, 0.6, 200000, 6), 1e-5);
}

/* A multinomial's probabilities in both forms (sr_split): computed (prob) and tabulated
 * (cum, the sequential conditionals and their logarithms, as sim/engine/rates.c makes
 * them). */
typedef struct {
    size_t k;
    double prob[8], cum[8], cond[8], log_stay[8], log_leave[8];
} split_forms;

static split_forms forms_of(const double *p, size_t k)
{
    split_forms f = {.k = k};
    double before = 0.0;
    for (size_t j = 0; j < k; j++) {
        f.prob[j] = p[j];
        f.cond[j] = j + 1 == k ? 1.0 : p[j] / (1.0 - before);
        before += p[j];
        f.cum[j] = j + 1 == k ? 1.0 : before;
        f.log_stay[j] = log1p(-f.cond[j]);
        f.log_leave[j] = log(f.cond[j]);
    }
    return f;
}

static sr_split split_of(const split_forms *f, bool tabulated)
{
    if (tabulated)
        return (sr_split){.k = f->k, .cum = f->cum, .cond = f->cond,
                          .cond_log_stay = f->log_stay, .cond_log_leave = f->log_leave};
    return (sr_split){.k = f->k, .prob = f->prob};
}

/* `draws` draws of Multinomial(n; p): each a split of n whole persons, a category of
 * probability 0 empty, each category's count Binomial(n, p_j) (chi-square p-value above
 * 1e-5); and the expectation is n p_j. */
static void expect_multinomial(const double *p, size_t k, unsigned n, bool tabulated,
                               uint64_t key)
{
    const size_t draws = 100000;
    const split_forms f = forms_of(p, k);
    const sr_split split = split_of(&f, tabulated);
    gsl_rng *r = sr_rng_alloc();
    sr_rng_seek(r, key);
    const sr_draw d = {SR_DRAW_RANDOM, r};
    double *observed = calloc(k * (n + 1), sizeof *observed), out[8];
    for (size_t i = 0; i < draws; i++) {
        sr_multinomial(&d, n, &split, out);
        double sum = 0.0;
        for (size_t j = 0; j < k; j++) {
            cr_assert(out[j] >= 0.0 && out[j] == floor(out[j]) && (p[j] > 0.0 || out[j] == 0.0),
                      "n %u, category %zu: %g", n, j, out[j]);
            observed[j * (n + 1) + (size_t)out[j]] += 1.0;
            sum += out[j];
        }
        cr_assert_eq(sum, n);
    }
    double *prob = calloc(n + 1, sizeof *prob);
    for (size_t j = 0; j < k; j++) {
        if (p[j] <= 0.0)
            continue;
        for (unsigned x = 0; x <= n; x++)
            prob[x] = gsl_ran_binomial_pdf(x, p[j], n);
        const double p_value = chi_square_p(observed + j * (n + 1), prob, n, draws);
        cr_expect_gt(p_value, 1e-5, "%s, n %u, category %zu: p-value %.2g",
                     tabulated ? "tabulated" : "computed", n, j, p_value);
    }
    const sr_draw expected = {SR_DRAW_EXPECTED, NULL};
    sr_multinomial(&expected, n, &split, out);
    for (size_t j = 0; j < k; j++)
        cr_expect(fabs(out[j] - n * p[j]) <= 1e-12 * n, "expected, category %zu: %.17g, not %.17g",
                  j, out[j], n * p[j]);
    free(prob);
    free(observed);
    gsl_rng_free(r);
}

/* Few persons (one category draw each from the start), a few more than SR_CATEGORICAL_MAX
 * (binomials, and for computed probabilities the switch to category draws part way), and
 * many (binomials throughout); a category of probability 0 in the middle and at the end. */
Test(sample, multinomial_draws_follow_their_binomial_marginals)
{
    const double middle_zero[] = {0.1, 0.25, 0.0, 0.4, 0.25};
    const double last_zero[] = {0.3, 0.5, 0.2, 0.0};
    const unsigned sizes[] = {5, 14, 40, 600};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int tabulated = 0; tabulated <= 1; tabulated++) {
            expect_multinomial(middle_zero, 5, sizes[i], tabulated, 100 + 10 * i + tabulated);
            if (!tabulated)   /* a tabulated split's last category is the one that takes the rest */
                expect_multinomial(last_zero, 4, sizes[i], false, 200 + 10 * i);
        }
}

Test(sample, degenerate_cases_are_exact)
{
    gsl_rng *r = sr_rng_alloc();
    sr_rng_seek(r, 9);
    cr_expect_eq(sr_binomial(r, 0, 0.3), 0.0);
    cr_expect_eq(sr_binomial(r, 17, 0.0), 0.0);
    cr_expect_eq(sr_binomial(r, 17, 1.0), 17.0);
    gsl_rng_free(r);
}

/* The same stream with a higher probability never draws fewer (inversion is monotone). */
Test(sample, same_stream_draws_are_monotone_in_the_probability)
{
    gsl_rng *r = sr_rng_alloc();
    for (uint64_t key = 0; key < 20000; key++) {
        sr_rng_seek(r, key);
        double low = sr_binomial(r, 40, 0.05);
        sr_rng_seek(r, key);
        double high = sr_binomial(r, 40, 0.08);
        cr_assert_leq(low, high, "stream %llu", (unsigned long long)key);
    }
    gsl_rng_free(r);
}

/* Chi-square p-value of `draws` shares of `take` out of {tagged, total - tagged} (the
 * tagged category's count) against the hypergeometric pmf. */
static double share_goodness_of_fit(unsigned tagged, unsigned total, unsigned take,
                                    size_t draws, uint64_t key)
{
    gsl_rng *r = sr_rng_alloc();
    sr_rng_seek(r, key);
    double *observed = calloc(tagged + 1, sizeof *observed);
    double *prob = calloc(tagged + 1, sizeof *prob);
    for (size_t i = 0; i < draws; i++) {
        double remaining[2] = {tagged, total - tagged}, out[2];
        sr_hypergeometric_share(r, 2, remaining, take, out);
        cr_assert(out[0] + out[1] == take && out[0] <= tagged && out[1] <= total - tagged,
                  "share %g + %g of %u", out[0], out[1], take);
        cr_assert(remaining[0] == tagged - out[0] && remaining[1] == total - tagged - out[1]);
        observed[(size_t)out[0]] += 1.0;
    }
    for (unsigned k = 0; k <= tagged; k++)
        prob[k] = gsl_ran_hypergeometric_pdf(k, tagged, total - tagged, take);
    const double p_value = chi_square_p(observed, prob, tagged, draws);
    free(observed);
    free(prob);
    gsl_rng_free(r);
    return p_value;
}

/* Both forms of the draw: few movers taken by a large group (drawn as the movers' count
 * in the group), and a small group out of many movers. */
Test(sample, shares_follow_the_hypergeometric_distribution)
{
    cr_expect_gt(share_goodness_of_fit(30, 1000, 600, 200000, 11), 1e-5);
    cr_expect_gt(share_goodness_of_fit(400, 1000, 50, 200000, 12), 1e-5);
    cr_expect_gt(share_goodness_of_fit(900, 1000, 700, 200000, 13), 1e-5);
}

Test(sample, streams_are_keyed_not_sequential)
{
    gsl_rng *r = sr_rng_alloc();
    uint64_t a = sr_stream_key(1, 2, 3, SR_ARM_COHORT, SR_PURPOSE_TRANSITIONS);
    uint64_t b = sr_stream_key(1, 2, 3, SR_ARM_CONTROL, SR_PURPOSE_TRANSITIONS);
    cr_expect_neq(a, b);
    sr_rng_seek(r, a);
    double first = gsl_rng_uniform(r);
    sr_rng_seek(r, b);
    (void)gsl_rng_uniform(r);
    sr_rng_seek(r, a);
    cr_expect_eq(gsl_rng_uniform(r), first, "seeking a key restarts its stream");
    gsl_rng_free(r);
}

/* ---- hypergeometric draws at any population ------------------------------------------ */

/* log P(X = k), X ~ Hypergeometric(total, tagged, taken), from GSL's log-binomials
 * (independent of the sampler's own pmf; at 10^9 their rounding leaves about 1e-6 of
 * relative error in a probability, far below what 10^5 draws can see). */
static double reference_log_pmf(double k, double tagged, double total, double taken)
{
    return gsl_sf_lnchoose((unsigned)tagged, (unsigned)k) +
           gsl_sf_lnchoose((unsigned)(total - tagged), (unsigned)(taken - k)) -
           gsl_sf_lnchoose((unsigned)total, (unsigned)taken);
}

/* Chi-square p-value of `draws` shares of `taken` out of {tagged, total - tagged} (the
 * tagged category's count, through sr_hypergeometric_share) against the exact pmf over
 * the support where it exceeds 1e-25 (a draw outside fails the test), cells pooled to an
 * expected count of at least draws / 100 (about 100 cells: power against a smooth
 * distortion). Every draw must be a whole number there. */
static double hypergeometric_fit(double tagged, double total, double taken, size_t draws,
                                 uint64_t key)
{
    const double support_low = fmax(0.0, taken - (total - tagged));
    const double support_high = fmin(tagged, taken);
    const double mode = floor((taken + 1.0) * (tagged + 1.0) / (total + 2.0));
    double low = mode, high = mode;
    while (low > support_low && reference_log_pmf(low - 1.0, tagged, total, taken) > -57.5)
        low -= 1.0;   /* e^-57.5 = 1e-25 */
    while (high < support_high && reference_log_pmf(high + 1.0, tagged, total, taken) > -57.5)
        high += 1.0;
    const size_t cells = (size_t)(high - low) + 1;
    double *observed = calloc(cells, sizeof *observed), *prob = calloc(cells, sizeof *prob);
    cr_assert(observed != NULL && prob != NULL);
    gsl_rng *r = sr_rng_alloc();
    sr_rng_seek(r, key);
    for (size_t i = 0; i < draws; i++) {
        double remaining[2] = {tagged, total - tagged}, out[2];
        sr_hypergeometric_share(r, 2, remaining, taken, out);
        cr_assert(out[0] == floor(out[0]) && out[0] >= low && out[0] <= high &&
                      out[0] + out[1] == taken,
                  "Hypergeometric(%.17g, %.17g, %.17g): draw %.17g + %.17g", total, tagged,
                  taken, out[0], out[1]);
        observed[(size_t)(out[0] - low)] += 1.0;
    }
    for (size_t c = 0; c < cells; c++)
        prob[c] = exp(reference_log_pmf(low + (double)c, tagged, total, taken));
    const double p_value = chi_square_pooled(observed, prob, cells - 1, draws,
                                             fmax(5.0, (double)draws / 100.0));
    free(observed);
    free(prob);
    gsl_rng_free(r);
    return p_value;
}

/* Each of the sampler's regimes (inversion from 0 for at most 16 tagged or taken in the
 * form drawn, ratio of uniforms with the product of ratios near the mode and with the
 * pmf's shape farther out), each of the four forms (tagged and taken each more or less
 * than half the total) and extreme shares, at small, medium and huge populations: each a
 * chi-square test at significance 1e-5 (with these 17 fixed streams, a false alarm has
 * probability below 2e-4). */
Test(sample, hypergeometric_draws_follow_the_exact_pmf_at_small_populations)
{
    cr_expect_gt(hypergeometric_fit(7, 20, 9, 500000, 21), 1e-5);    /* inversion */
    cr_expect_gt(hypergeometric_fit(25, 60, 30, 500000, 22), 1e-5);  /* ratio of uniforms */
    cr_expect_gt(hypergeometric_fit(50, 60, 45, 500000, 23), 1e-5);  /* both swapped */
    cr_expect_gt(hypergeometric_fit(17, 34, 17, 500000, 24), 1e-5);  /* smallest above 16 */
}

Test(sample, hypergeometric_draws_follow_the_exact_pmf_at_medium_populations)
{
    cr_expect_gt(hypergeometric_fit(3000, 10000, 4000, 500000, 25), 1e-5);  /* sd 29 */
    cr_expect_gt(hypergeometric_fit(400, 100000, 30000, 500000, 26), 1e-5); /* sd 9 */
    cr_expect_gt(hypergeometric_fit(99990, 100000, 50000, 500000, 27), 1e-5); /* 10 untagged */
    cr_expect_gt(hypergeometric_fit(60, 100000, 99000, 500000, 28), 1e-5);  /* mean 59.4 */
}

Test(sample, hypergeometric_draws_follow_the_exact_pmf_at_huge_populations, .timeout = 60)
{
    cr_expect_gt(hypergeometric_fit(4e8, 1e9, 3e8, 500000, 29), 1e-5);     /* sd 7,100 */
    cr_expect_gt(hypergeometric_fit(1e5, 1e9, 1e6, 500000, 30), 1e-5);     /* sd 10 */
    cr_expect_gt(hypergeometric_fit(2000, 1e9, 1e6, 500000, 31), 1e-5);    /* mean 2 */
    cr_expect_gt(hypergeometric_fit(8, 1e9, 5e8, 500000, 32), 1e-5);       /* 8 tagged */
    cr_expect_gt(hypergeometric_fit(1e9 - 5, 1e9, 5e8, 500000, 33), 1e-5); /* 5 untagged */
    cr_expect_gt(hypergeometric_fit(1e9 - 100, 1e9, 1e9 - 1000, 500000, 34), 1e-5);
    cr_expect_gt(hypergeometric_fit(3e9, 4294967295.0, 2147483648.0, 500000, 35), 1e-5);
    cr_expect_gt(hypergeometric_fit(1, 4294967295.0, 2147483647.0, 500000, 36), 1e-5);
    cr_expect_gt(hypergeometric_fit(3e6, 4294967295.0, 30, 500000, 37), 1e-5); /* 30 taken */
}

/* Sample mean and variance of `draws` draws against the closed forms, mean K n / N and
 * variance K n (N - K)(N - n) / (N^2 (N - 1)), within 4.5 standard errors: sd / sqrt(D)
 * for the mean, var sqrt((kurtosis - 1) / D) for the variance, with kurtosis - 1 taken as
 * 2 + 1 / var (the excess kurtosis of a hypergeometric law with a large population is
 * (1 - 6pq - 6fg + 30pqfg) / var, p = K / N, f = n / N, which is below 1 / var). */
static void expect_moments(double tagged, double total, double taken, size_t draws,
                           uint64_t key)
{
    const double mean = tagged * taken / total;
    const double var = mean * ((total - tagged) / total) * ((total - taken) / (total - 1.0));
    gsl_rng *r = sr_rng_alloc();
    sr_rng_seek(r, key);
    double sum = 0.0, sum2 = 0.0;   /* of deviations from the exact mean: no cancellation */
    for (size_t i = 0; i < draws; i++) {
        double remaining[2] = {tagged, total - tagged}, out[2];
        sr_hypergeometric_share(r, 2, remaining, taken, out);
        cr_assert(out[0] == floor(out[0]) && out[0] >= 0.0 && out[0] <= fmin(tagged, taken));
        sum += out[0] - mean;
        sum2 += (out[0] - mean) * (out[0] - mean);
    }
    gsl_rng_free(r);
    const double d = (double)draws, mean_dev = sum / d;
    const double sample_var = (sum2 - d * mean_dev * mean_dev) / (d - 1.0);
    cr_expect_leq(fabs(mean_dev), 4.5 * sqrt(var / d), "mean off by %g (sd %g)", mean_dev,
                  sqrt(var));
    cr_expect_leq(fabs(sample_var - var), 4.5 * var * sqrt((2.0 + 1.0 / var) / d),
                  "variance %g against %g", sample_var, var);
}

/* At 10^9 and at 2^52, past what an unsigned int holds (counts are doubles, exact to
 * 2^53), from a near-normal law (sd 5,800) to a Poisson-like one (mean 6.7). */
Test(sample, hypergeometric_moments_match_the_closed_forms_at_huge_populations, .timeout = 60)
{
    expect_moments(3e8, 1e9, 2e8, 1000000, 41);
    expect_moments(7e8, 1e9, 9e8, 1000000, 42);
    expect_moments(1125899906842624.0, 4503599627370496.0, 2251799813685248.0, 1000000, 43);
    expect_moments(3e4, 4503599627370496.0, 1e12, 1000000, 44);
}

/* A draw at 10^9 takes a bounded number of steps: 10^4 of them well within a second of
 * CPU (a walk in proportion to the counts takes 3e8 steps each). */
Test(sample, hypergeometric_draws_at_huge_populations_take_bounded_time, .timeout = 30)
{
    gsl_rng *r = sr_rng_alloc();
    sr_rng_seek(r, 45);
    const clock_t start = clock();
    double sum = 0.0;
    for (int i = 0; i < 10000; i++) {
        double remaining[3] = {4e8, 3e8, 3e8}, out[3];
        sr_hypergeometric_share(r, 3, remaining, 5e8, out);
        sum += out[0];
    }
    const double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    gsl_rng_free(r);
    cr_expect_lt(seconds, 1.0, "10^4 shares at 10^9 took %.2f s", seconds);
    cr_expect_lt(fabs(sum / 1e4 - 2e8), 4.5 * sqrt(2e8 * 0.6 * 0.5 / 1e4));
}

/* The sampler's own log-pmf: against GSL's log-binomials where these are exact to 1e-12
 * (populations to 10^5), and at 10^12 and 2^52 (where log-binomials are not) by its
 * ratios, log P(k + 1) - log P(k) = log((K - k)(n - k) / ((k + 1)(N - K - n + k + 1))),
 * and its total mass, over 12 sd each side. */
Test(sample, hypergeometric_log_pmf_is_exact_at_any_population)
{
    static const double small[][3] = {{7, 20, 9}, {300, 1000, 600}, {3000, 100000, 40000}};
    for (size_t c = 0; c < 3; c++) {
        const double K = small[c][0], N = small[c][1], n = small[c][2];
        for (double k = fmax(0.0, n - (N - K)); k <= fmin(K, n); k += 1.0)
            cr_expect_leq(fabs(sr_hypergeometric_log_pmf(k, K, N, n) -
                               reference_log_pmf(k, K, N, n)),
                          1e-9, "log P(%g) of (%g, %g, %g)", k, N, K, n);
    }
    cr_expect_eq(sr_hypergeometric_log_pmf(8, 7, 20, 9), -INFINITY);
    cr_expect_eq(sr_hypergeometric_log_pmf(2.5, 7, 20, 9), -INFINITY);
    cr_expect_eq(sr_hypergeometric_log_pmf(3, 17, 20, 9), -INFINITY);   /* below 6 */
    cr_expect_eq(sr_hypergeometric_log_pmf(5, 20, 20, 5), 0.0);

    static const double huge[][3] = {{4e11, 1e12, 3e11}, {1e6, 4503599627370496.0, 1e9},
                                     {1125899906842624.0, 4503599627370496.0, 3e15}};
    for (size_t c = 0; c < 3; c++) {
        const double K = huge[c][0], N = huge[c][1], n = huge[c][2], mean = K * n / N;
        const double sd = sqrt(mean * (N - K) / N * (N - n) / (N - 1.0));
        const double from = fmax(0.0, floor(mean - 12.0 * sd));
        const double to = fmin(fmin(K, n) - 1.0, ceil(mean + 12.0 * sd));
        const double step = fmax(1.0, floor((to - from) / 2000.0));
        double mass = 0.0;   /* by the trapezoidal sum over every step-th k */
        for (double k = from; k < to; k += step) {
            const double here = sr_hypergeometric_log_pmf(k, K, N, n);
            const double next = sr_hypergeometric_log_pmf(k + 1.0, K, N, n);
            const double ratio =
                log((K - k) / (k + 1.0)) + log((n - k) / (N - K - n + k + 1.0));
            cr_expect_leq(fabs(next - here - ratio), 1e-12, "ratio at %g of (%g, %g, %g)", k,
                          N, K, n);
            mass += step * exp(here);
        }
        cr_expect_leq(fabs(mass - 1.0), 1e-6, "mass %.12g of (%g, %g, %g)", mass, N, K, n);
    }
}

/* Draws are a function of the stream: the same key, the same draws. */
Test(sample, hypergeometric_draws_repeat_with_the_stream)
{
    gsl_rng *r = sr_rng_alloc();
    double first[50];
    sr_rng_seek(r, 46);
    for (int i = 0; i < 50; i++)
        first[i] = sr_hypergeometric(r, 1e5 + i, 1e9, 4e8);
    sr_rng_seek(r, 46);
    for (int i = 0; i < 50; i++)
        cr_expect_eq(sr_hypergeometric(r, 1e5 + i, 1e9, 4e8), first[i]);
    cr_expect_eq(sr_hypergeometric(r, 0, 1e9, 4e8), 0.0);
    cr_expect_eq(sr_hypergeometric(r, 1e5, 1e9, 0), 0.0);
    cr_expect_eq(sr_hypergeometric(r, 1e5, 1e9, 1e9), 1e5);
    cr_expect_eq(sr_hypergeometric(r, 1e9, 1e9, 4e8), 4e8);
    cr_expect_eq(sr_hypergeometric(r, NAN, 1e9, 4e8), 0.0);
    gsl_rng_free(r);
}
