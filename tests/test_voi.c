/* Value of information and variance attribution (models/voi.c on models/smooth.c), against
 * exact values: hand-made cases for the formulas; an additive model of independent inputs
 * with analytic first-order indices; a linear-Gaussian decision whose EVPI, EVPPI and
 * EVSI have closed forms. Statistical checks use fixed seeds and tolerances of 4.5
 * bootstrap standard errors. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "models/smooth.h"
#include "models/voi.h"

#define PI 3.14159265358979323846
#define TOLERANCE_SE 4.5
#define REPLICATES 200

static gsl_rng *rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    return r;
}

/* E[max(0, Z)] for Z ~ N(m, v^2): m Phi(m / v) + v phi(m / v). */
static double expected_positive_part(double m, double v)
{
    return m * gsl_cdf_ugaussian_P(m / v) + v * gsl_ran_ugaussian_pdf(m / v);
}

/* The statistic of responses y (k of them) on the inputs x[0 .. n_inputs), with its
 * bootstrap standard error. */
typedef struct {
    double value, se;
} estimate;

static estimate estimate_of(const double *const *x, size_t n_inputs, size_t n,
                            sr_voi_statistic stat, const double *y, size_t k,
                            double *rep_out)
{
    sr_smooth_basis *b = sr_smooth_basis_alloc(x, n_inputs, n, n_inputs == 1 ? 10 : 5);
    cr_assert_not_null(b);
    sr_smooth_ws *ws = sr_smooth_ws_alloc(b->p);
    double *scratch = malloc(n * (k + 1) * sizeof *scratch);
    double rep[REPLICATES];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    estimate e;
    cr_assert_eq(sr_voi_estimate(ws, b, stat, y, k, REPLICATES, r, 2027, scratch, &e.value,
                                 rep, NULL), 0);
    e.se = sr_voi_sd(rep, REPLICATES);
    if (rep_out != NULL)
        for (size_t j = 0; j < REPLICATES; j++)
            rep_out[j] = rep[j];
    gsl_rng_free(r);
    free(scratch);
    sr_smooth_ws_free(ws);
    sr_smooth_basis_free(b);
    return e;
}

static void expect_within(estimate e, double exact, const char *what)
{
    cr_assert(fabs(e.value - exact) <= TOLERANCE_SE * e.se,
              "%s: %.5f, exact %.5f, se %.5f (%.1f se apart)", what, e.value, exact, e.se,
              fabs(e.value - exact) / e.se);
    cr_assert(e.se > 0.0, "%s: a standard error", what);
}

/* ---- the formulas ----------------------------------------------------------------------- */

Test(voi, value_is_the_mean_of_the_best_less_the_best_of_the_means)
{
    /* two increments over four trials: best per trial 0, 3, 1, 4 (mean 2); means 0.25 and
     * 1, so the best of the means is 1 and the value 1 */
    const double g[] = {-1.0, 3.0, -2.0, 1.0,    /* option 1 */
                        -3.0, 2.0, 1.0, 4.0};    /* option 2 */
    cr_assert_float_eq(sr_voi_value(g, 2, 4, NULL), 1.0, 1e-15);
    cr_assert_eq(sr_voi_best(g, 2, 4, NULL), 2);
    /* weights 0, 1, 1, 0: best per trial 3 and 1 (mean 2); means 0.5 and 1.5: value 0.5 */
    const double w[] = {0.0, 1.0, 1.0, 0.0};
    cr_assert_float_eq(sr_voi_value(g, 2, 4, w), 0.5, 1e-15);
    /* every increment negative everywhere: the baseline is always best, nothing to learn */
    const double worse[] = {-1.0, -2.0, -0.5};
    cr_assert_eq(sr_voi_value(worse, 1, 3, NULL), 0.0);
    cr_assert_eq(sr_voi_best(worse, 1, 3, NULL), 0);
}

Test(voi, variance_share_is_the_explained_over_the_total_variance)
{
    const double y[] = {1.0, 2.0, 3.0, 6.0};           /* mean 3, sum of squares 14 */
    const double fitted[] = {1.5, 1.5, 4.5, 4.5};      /* sum of squares 4 * 2.25 = 9 */
    cr_assert_float_eq(sr_voi_variance_share(fitted, y, 4, NULL), 9.0 / 14.0, 1e-15);
    const double flat[] = {2.0, 2.0, 2.0};
    cr_assert(isnan(sr_voi_variance_share(flat, flat, 3, NULL)));
}

Test(voi, replicates_draw_n_trials_the_same_way_for_the_same_seed)
{
    enum { N = 1000 };
    static double w1[N], w2[N], w3[N];
    gsl_rng *r = rng(1);
    sr_voi_replicate(r, 7, 3, N, w1);
    sr_voi_replicate(r, 7, 4, N, w3);
    sr_voi_replicate(r, 7, 3, N, w2);
    double total = 0.0;
    size_t differ = 0;
    for (size_t i = 0; i < N; i++) {
        cr_assert_eq(w1[i], w2[i]);
        total += w1[i];
        differ += w1[i] != w3[i];
    }
    cr_assert_eq(total, (double)N);
    cr_assert(differ > N / 2, "replicates 3 and 4 differ in %zu trials", differ);
    gsl_rng_free(r);
}

Test(voi, monotone_raises_sets_to_their_subsets_and_holds_them_below_the_evpi)
{
    const sr_voi_set sets[] = {
        {1, {0}}, {1, {1}}, {2, {0, 1}}, {3, {2, 1, 0}}, {1, {2}}, {2, {1, 2}}, {1, {3}}};
    double value[] = {0.3, 0.5, 0.4, 0.45, -0.01, 0.2, 0.7};
    sr_voi_monotone(sets, 7, value, 0.6);
    const double expected[] = {0.3, 0.5, 0.5, 0.5, 0.0, 0.5, 0.6};
    for (size_t s = 0; s < 7; s++)
        cr_assert_eq(value[s], expected[s], "set %zu: %g", s, value[s]);
    double fine[] = {0.1, 0.2, 0.3, 0.4, 0.05, 0.25, 0.5};
    const double copy[] = {0.1, 0.2, 0.3, 0.4, 0.05, 0.25, 0.5};
    sr_voi_monotone(sets, 7, fine, 0.6);
    for (size_t s = 0; s < 7; s++)
        cr_assert_eq(fine[s], copy[s], "an ordered estimate is left as it is");
}

/* ---- first-order indices of an additive model --------------------------------------------- */

/* Y = 2 X1 + sin(2 pi X2) + e with X1, X2, X3 ~ U(0, 1) independent and e ~ N(0, 0.5^2):
 * Var(2 X1) = 1/3, Var(sin(2 pi X2)) = 1/2, Var(e) = 1/4, Var(Y) = 13/12, so
 * S1 = 4/13, S2 = 6/13, S3 = 0, and 3/13 is left to noise. */
Test(voi, first_order_indices_of_an_additive_model_match_the_analytic_ones)
{
    enum { N = 4000 };
    static double x1[N], x2[N], x3[N], y[N];
    gsl_rng *r = rng(21);
    for (size_t i = 0; i < N; i++) {
        x1[i] = gsl_rng_uniform(r);
        x2[i] = gsl_rng_uniform(r);
        x3[i] = gsl_rng_uniform(r);
        y[i] = 2.0 * x1[i] + sin(2.0 * PI * x2[i]) + gsl_ran_gaussian(r, 0.5);
    }
    const double *in1[] = {x1}, *in2[] = {x2}, *in3[] = {x3};
    expect_within(estimate_of(in1, 1, N, SR_VOI_INDEX, y, 1, NULL), 4.0 / 13.0, "S1");
    expect_within(estimate_of(in2, 1, N, SR_VOI_INDEX, y, 1, NULL), 6.0 / 13.0, "S2");
    expect_within(estimate_of(in3, 1, N, SR_VOI_INDEX, y, 1, NULL), 0.0, "S3");
    gsl_rng_free(r);
}

/* ---- a linear-Gaussian decision ---------------------------------------------------------- */

/* Adopt (net benefit INB = 0.3 + theta + psi over the baseline) or not, with theta ~ N(0, 1)
 * and psi ~ N(0, 0.5^2) independent, and chi ~ N(0, 1) an input INB does not depend on.
 * With m = 0.3 and Z ~ N(m, v^2): value = E[max(0, Z)] - max(0, m), where v^2 is the
 * variance of E[INB | what is known]: 1.25 knowing everything (EVPI), 1 knowing theta,
 * 0.25 knowing psi, 0 knowing chi. A trial of n0 observations of theta with noise sd 2
 * gives the sample mean xbar ~ N(theta, 4 / n0); E[INB | xbar] = m + xbar / (1 + 4 / n0),
 * of variance 1 / (1 + 4 / n0): the EVSI, which rises with n0 towards the EVPPI of theta. */
#define LG_N 4000
#define LG_M 0.3

typedef struct {
    double theta[LG_N], psi[LG_N], chi[LG_N], inb[LG_N];
} linear_gaussian;

static linear_gaussian *linear_gaussian_draw(unsigned long seed)
{
    linear_gaussian *d = malloc(sizeof *d);
    gsl_rng *r = rng(seed);
    for (size_t i = 0; i < LG_N; i++) {
        d->theta[i] = gsl_ran_gaussian(r, 1.0);
        d->psi[i] = gsl_ran_gaussian(r, 0.5);
        d->chi[i] = gsl_ran_gaussian(r, 1.0);
        d->inb[i] = LG_M + d->theta[i] + d->psi[i];
    }
    gsl_rng_free(r);
    return d;
}

static double lg_value(double variance)
{
    return variance > 0.0 ? expected_positive_part(LG_M, sqrt(variance)) - LG_M : 0.0;
}

Test(voi, evpi_and_evppi_of_a_linear_gaussian_decision_match_their_closed_forms)
{
    linear_gaussian *d = linear_gaussian_draw(31);
    double scratch[LG_N], rep[REPLICATES];
    estimate evpi;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    evpi.value = sr_voi_evpi(d->inb, 1, LG_N, REPLICATES, r, 2027, scratch, rep);
    evpi.se = sr_voi_sd(rep, REPLICATES);
    expect_within(evpi, lg_value(1.25), "EVPI");
    const double *theta[] = {d->theta}, *psi[] = {d->psi}, *chi[] = {d->chi};
    const double *both[] = {d->theta, d->psi};
    expect_within(estimate_of(theta, 1, LG_N, SR_VOI_VALUE, d->inb, 1, NULL), lg_value(1.0),
                  "EVPPI(theta)");
    expect_within(estimate_of(psi, 1, LG_N, SR_VOI_VALUE, d->inb, 1, NULL), lg_value(0.25),
                  "EVPPI(psi)");
    /* E[INB | theta, psi] = INB exactly, and bilinear functions are fitted exactly (to the
     * 1e-12 relative ridge that keeps the factorisation defined): the group's estimate is
     * the EVPI's own */
    estimate group = estimate_of(both, 2, LG_N, SR_VOI_VALUE, d->inb, 1, NULL);
    cr_assert_float_eq(group.value, evpi.value, 1e-7 * evpi.value, "%.12g vs %.12g",
                       group.value, evpi.value);
    expect_within(group, lg_value(1.25), "EVPPI(theta, psi)");
    /* nothing to learn from chi: within its bootstrap error of 0 */
    estimate none = estimate_of(chi, 1, LG_N, SR_VOI_VALUE, d->inb, 1, NULL);
    cr_assert(none.value <= TOLERANCE_SE * none.se + 1e-12, "EVPPI(chi) %g se %g", none.value,
              none.se);
    gsl_rng_free(r);
    free(d);
}

Test(voi, evsi_of_a_sample_mean_matches_its_closed_form_and_rises_towards_the_evppi)
{
    linear_gaussian *d = linear_gaussian_draw(32);
    static double xbar[LG_N];
    const double sizes[] = {1, 4, 16, 64, 256};
    gsl_rng *r = rng(33);
    double previous = 0.0;
    for (size_t s = 0; s < 5; s++) {
        const double n0 = sizes[s];
        for (size_t i = 0; i < LG_N; i++)
            xbar[i] = d->theta[i] + gsl_ran_gaussian(r, 2.0 / sqrt(n0));
        const double *data[] = {xbar};
        estimate evsi = estimate_of(data, 1, LG_N, SR_VOI_VALUE, d->inb, 1, NULL);
        const double exact = lg_value(1.0 / (1.0 + 4.0 / n0));
        expect_within(evsi, exact, "EVSI");
        cr_assert(exact > previous);
        previous = exact;
    }
    /* the largest trial is within a few per cent of perfect knowledge of theta */
    cr_assert(previous > 0.97 * lg_value(1.0) && previous < lg_value(1.0));
    gsl_rng_free(r);
    free(d);
}

/* ---- monotone by construction on noisy estimates ------------------------------------------ */

/* Small samples of weak inputs: raw estimates of a group can fall below those of its
 * members. After sr_voi_monotone, 0 <= EVPPI(A) <= EVPPI(B) <= EVPI for every subset A of
 * B, in the estimate and in every bootstrap replicate (all sets share the replicates'
 * draws). The case is one where the raw estimates do break the order. */
Test(voi, evppi_estimates_are_monotone_in_the_inputs_even_when_the_raw_ones_are_not)
{
    enum { N = 150, SETS = 7 };
    static double x[3][N], inb[N];
    gsl_rng *r = rng(41);
    for (size_t i = 0; i < N; i++) {
        for (size_t k = 0; k < 3; k++)
            x[k][i] = gsl_rng_uniform(r);
        inb[i] = 0.1 * x[0][i] + 0.05 * x[1][i] * x[2][i] - 0.05 + gsl_ran_gaussian(r, 1.0);
    }
    const sr_voi_set sets[SETS] = {{1, {0}}, {1, {1}}, {1, {2}}, {2, {0, 1}}, {2, {1, 2}},
                                   {2, {0, 2}}, {3, {0, 1, 2}}};
    double value[SETS], rep[SETS][REPLICATES], raw[SETS];
    for (size_t s = 0; s < SETS; s++) {
        const double *in[SR_VOI_MAX_GROUP];
        for (size_t j = 0; j < sets[s].n; j++)
            in[j] = x[sets[s].member[j]];
        estimate e = estimate_of(in, sets[s].n, N, SR_VOI_VALUE, inb, 1, rep[s]);
        value[s] = raw[s] = e.value;
    }
    double scratch[N], evpi_rep[REPLICATES];
    gsl_rng *b = gsl_rng_alloc(gsl_rng_mt19937);
    const double evpi = sr_voi_evpi(inb, 1, N, REPLICATES, b, 2027, scratch, evpi_rep);
    size_t broken = 0;
    for (size_t s = 0; s < SETS; s++)
        for (size_t t = 0; t < SETS; t++)
            broken += t != s && sr_voi_subset(&sets[t], &sets[s]) && raw[t] > raw[s];
    cr_assert(broken > 0, "the raw estimates are already ordered: not a test of the clamp");
    sr_voi_monotone(sets, SETS, value, evpi);
    for (size_t j = 0; j < REPLICATES; j++) {
        double one[SETS];
        for (size_t s = 0; s < SETS; s++)
            one[s] = rep[s][j];
        sr_voi_monotone(sets, SETS, one, evpi_rep[j]);
        for (size_t s = 0; s < SETS; s++)
            rep[s][j] = one[s];
    }
    for (size_t s = 0; s < SETS; s++) {
        cr_assert(value[s] >= 0.0 && value[s] <= evpi);
        for (size_t j = 0; j < REPLICATES; j++)
            cr_assert(rep[s][j] >= 0.0 && rep[s][j] <= evpi_rep[j]);
        for (size_t t = 0; t < SETS; t++) {
            if (t == s || !sr_voi_subset(&sets[t], &sets[s]))
                continue;
            cr_assert(value[t] <= value[s], "set %zu above its superset %zu", t, s);
            for (size_t j = 0; j < REPLICATES; j++)
                cr_assert(rep[t][j] <= rep[s][j]);
        }
    }
    gsl_rng_free(b);
    gsl_rng_free(r);
}
