/* The binomial sampler against the exact binomial distribution (chi-square goodness of
 * fit, fixed streams), on both of its paths (inversion, GSL's BTPE) and the flip p > 1/2;
 * the monotone coupling that common random numbers rely on; and the hypergeometric share
 * of a cell's moves against the exact hypergeometric distribution. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "sim/engine/rng.h"
#include "sim/engine/sample.h"

/* Chi-square p-value of the counts observed[0..max_k] of `draws` draws against the
 * probabilities prob[0..max_k], cells with an expected count below 5 pooled into the
 * neighbouring tails. */
static double chi_square_p(const double *observed, const double *prob, unsigned max_k,
                           size_t draws)
{
    double chi2 = 0.0, obs_pool = 0.0, exp_pool = 0.0;
    int df = -1;
    for (unsigned k = 0; k <= max_k; k++) {
        obs_pool += observed[k];
        exp_pool += draws * prob[k];
        if (exp_pool >= 5.0 || k == max_k) {
            chi2 += (obs_pool - exp_pool) * (obs_pool - exp_pool) / fmax(exp_pool, 1e-300);
            df++;
            obs_pool = exp_pool = 0.0;
        }
    }
    return df > 0 ? gsl_cdf_chisq_Q(chi2, df) : 1.0;
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
