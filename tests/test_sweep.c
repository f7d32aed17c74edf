/* Sweeps (README.md `sirisk sweep`, 2.6 effect.scale, 5 /sweep): the scale laws a researcher
 * reads off a sweep table, each against an exact value, with tolerances of 4.5 Monte Carlo
 * standard errors on fixed seeds:
 *   - without systematic risk the coefficient of variation of savings falls like 1/sqrt(n);
 *   - with parameter risk it levels off at the floor sd(E[savings | theta]) / E[savings],
 *     computed by quadrature over theta from the deterministic expectation;
 *   - the evaluation's power is that of the one-sided two-proportion z-test on binomial
 *     achievement counts, computed exactly;
 *   - a peer effect raises attributable outcomes per participant with n, by HR(n);
 * and the sweep machinery: a point is a plain run bit for bit, the file's layout and table,
 * and bad --param/--values input with its exit code and no file. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/run.h"
#include "sim/scenario/scenario.h"
#include "sim/variants/sweep.h"
#include "support.h"

#define BIN SIRISK_BINARY
#define Z_TOL 4.5
#define MAX_POINTS 8

/* ---- running a sweep in the test and keeping what it needs ------------------------- */

/* Per point: the portfolio's trials of a few metrics, the deterministic expectation and
 * the participants. */
typedef struct {
    size_t k, n_trials;
    double persons[MAX_POINTS];
    double *savings[MAX_POINTS];        /* savings_total per trial */
    double *attributable[MAX_POINTS];   /* outcomes_attributable per trial */
    double deterministic[MAX_POINTS][SR_N_METRICS];
    double table[MAX_POINTS][SR_SWEEP_N_COLUMNS];
} collected;

static double *copy_column(const sr_resultset *rs, sr_metric m)
{
    double *x = malloc(rs->n_trials * sizeof *x);
    cr_assert_not_null(x);
    memcpy(x, sr_level_trials(&rs->portfolio, rs->n_trials, m), rs->n_trials * sizeof *x);
    return x;
}

static int keep_point(void *ctx, const sr_sweep_result *s, size_t i, const sr_model *m,
                      const sr_resultset *rs, sr_error *err)
{
    (void)err;
    collected *c = ctx;
    cr_assert_lt(i, MAX_POINTS);
    c->k = i + 1;
    c->n_trials = rs->n_trials;
    c->persons[i] = m->programmes[0].size;
    c->savings[i] = copy_column(rs, SR_M_SAVINGS_TOTAL);
    c->attributable[i] = copy_column(rs, SR_M_OUTCOMES_ATTRIBUTABLE);
    memcpy(c->deterministic[i], rs->portfolio.deterministic, sizeof c->deterministic[i]);
    for (size_t col = 0; col < SR_SWEEP_N_COLUMNS; col++)
        c->table[i][col] = s->table[col * s->k + i];
    return 0;
}

static void collected_free(collected *c)
{
    for (size_t i = 0; i < c->k; i++) {
        free(c->savings[i]);
        free(c->attributable[i]);
    }
}

/* Runs a sweep of scenario text over one --param (or a paired "A,B") in process. */
static collected sweep(const char *yaml, const char *param, const char *values)
{
    char *dir = sr_test_tmpdir();
    char *path = sr_test_write_file(dir, "s.yaml", yaml);
    sr_error err = {0};
    sr_sweep_spec spec = {0};
    cr_assert_eq(sr_sweep_spec_param(&spec, param, &err), 0, "%s", err.msg);
    cr_assert_eq(sr_sweep_spec_values(&spec, values, &err), 0, "%s", err.msg);
    collected c = {0};
    sr_sweep_result result;
    sr_run_options o = {.threads = 2};
    const sr_variants_request rq = {.scenario = path, .run = &o};
    int rc = sr_sweep_run(&rq, &spec, keep_point, &c, &result, NULL, &err);
    cr_assert_eq(rc, 0, "sweep failed: %s", err.msg);
    cr_assert_eq(c.k, result.k);
    sr_sweep_result_clear(&result);
    sr_sweep_spec_clear(&spec);
    remove(path);
    remove(dir);
    free(path);
    free(dir);
    return c;
}

/* The deterministic expectation of scenario text (one trial is run beside it). */
static double deterministic(const char *yaml, sr_metric metric)
{
    sr_model *m = sr_test_model(yaml);
    m->trials = 1;
    sr_error err = {0};
    sr_run_options o = {.threads = 1};
    sr_resultset *rs = sr_run(m, NULL, &o, &err);
    cr_assert_not_null(rs, "%s", err.msg);
    double d = rs->portfolio.deterministic[metric];
    sr_resultset_free(rs);
    sr_model_free(m);
    return d;
}

/* Sample moments of x[n]: mean, sd (divisor n - 1), skewness and kurtosis (central moments
 * over sd^3, sd^4, divisor n). */
typedef struct {
    double mean, sd, skew, kurt;
} moments;

static moments moments_of(const double *x, size_t n)
{
    moments r = {0};
    for (size_t i = 0; i < n; i++)
        r.mean += x[i] / (double)n;
    double m2 = 0, m3 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - r.mean;
        m2 += d * d / (double)n;
        m3 += d * d * d / (double)n;
        m4 += d * d * d * d / (double)n;
    }
    r.sd = sqrt(m2 * (double)n / (double)(n - 1));
    r.skew = m3 / pow(m2, 1.5);
    r.kurt = m4 / (m2 * m2);
    return r;
}

/* Standard error of the coefficient of variation sd / mean of n values with these
 * moments (delta method): Var(CV) = CV^2 (kurt - 1) / 4n + CV^4 / n - skew CV^3 / n. */
static double cv_se(moments s, size_t n)
{
    double cv = s.sd / s.mean;
    double v = cv * cv * (s.kurt - 1.0) / (4.0 * n) + pow(cv, 4) / n - s.skew * pow(cv, 3) / n;
    return sqrt(v);
}

/* ---- coefficient of variation --------------------------------------------------------- */

/* A job-retention programme whose treated arm is certain: the intervention stops every job
 * loss for the whole horizon (hazard ratio 0), so treated expenditure has no variance and
 * the savings' variance is that of the counterfactual arm alone, a sum of n independent
 * persons: Var(savings) = n v exactly. No parameter distributions, no macro. */
static const char *retention =
    "name: retention\n"
    "simulation: {trials: 2000, seed: 17, start: 2027-01, horizon_years: 5}\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    "states:\n"
    "  - {name: outside, tenure_max: 6}\n"
    "  - {name: employed, tenure_max: 12}\n"
    "transitions:\n"
    "  - {from: employed, to: outside, hazard: 0.03, by_tenure: [[0, 1.5], [6, 1.0]]}\n"
    "  - {from: outside, to: employed, hazard: 0.05, by_tenure: [[0, 1.0], [3, 0.7]]}\n"
    "cashflows:\n"
    "  outside: {municipality: 9000, state: 2500}\n"
    "  employed: {municipality: -4000, state: -2000}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: 1000, intake: {start: 2027-01, months: 1}, initial_state: employed}\n"
    "    intervention:\n"
    "      effect: {transitions: [employed->outside], hazard_ratio: 0, months: 60}\n";

/* CV(n) sqrt(n) at every point of a sweep over the cohort's size agrees with the pooled
 * estimate within standard errors (delta method), and the means with the expectation. */
static void expect_cv_falls_like_one_over_root_n(const char *scenario_text)
{
    collected c = sweep(scenario_text, "programmes[0].cohort.size", "250,2000,16000,128000");
    const size_t N = c.n_trials;
    double s[MAX_POINTS], se[MAX_POINTS], w = 0.0, pooled = 0.0;
    for (size_t i = 0; i < c.k; i++) {
        moments mo = moments_of(c.savings[i], N);
        double n = c.persons[i];
        /* the mean is exactly the deterministic expectation (linear in counts) */
        double exact = c.deterministic[i][SR_M_SAVINGS_TOTAL];
        cr_expect(fabs(mo.mean - exact) <= Z_TOL * mo.sd / sqrt((double)N),
                  "n %g: mean %g, exact %g, mcse %g", n, mo.mean, exact, mo.sd / sqrt((double)N));
        /* the table's CV is sd / mean of these trials */
        cr_expect_float_eq(c.table[i][SR_SWEEP_SAVINGS_CV], mo.sd / mo.mean, 1e-9);
        s[i] = c.table[i][SR_SWEEP_SAVINGS_CV] * sqrt(n);
        se[i] = cv_se(mo, N) * sqrt(n);
        w += 1.0 / (se[i] * se[i]);
        pooled += s[i] / (se[i] * se[i]);
    }
    pooled /= w;
    /* CV(n) sqrt(n) = sqrt(v) / E[savings per person] is the same at every n: each point
     * agrees with the pooled estimate within its standard error (and the pooled one's). */
    for (size_t i = 0; i < c.k; i++)
        cr_expect(fabs(s[i] - pooled) <= Z_TOL * sqrt(se[i] * se[i] + 1.0 / w),
                  "n %g: CV sqrt(n) = %g +- %g, pooled %g", c.persons[i], s[i], se[i], pooled);
    /* and so the CV itself falls by sqrt(512) from 250 to 128,000 participants */
    cr_expect_gt(c.table[0][SR_SWEEP_SAVINGS_CV], 15.0 * c.table[3][SR_SWEEP_SAVINGS_CV]);
    collected_free(&c);
}

Test(sweep, cv_of_savings_falls_like_one_over_root_n_without_systematic_risk, .timeout = 120)
{
    expect_cv_falls_like_one_over_root_n(retention);
}

/* The default-like job-finding programme with one source of parameter risk: the effect's
 * hazard ratio, uniform on [1.2, 1.6], drawn once per trial (the same draw at every point:
 * parameter draws are keyed by the key's path). {size} and {hazard_ratio} are filled in. */
static const char *job_finding =
    "name: parameter risk\n"
    "simulation: {trials: 3000, seed: 23, start: 2027-01, horizon_years: 5}\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    SR_TEST_STATES
    "  - {from: outside, to: employed, hazard: 0.01, by_tenure: [[0, 1.0], [12, 0.8]]}\n"
    "  - {from: employed, to: outside, hazard: 0.1, by_tenure: [[0, 1.0], [3, 0.44]]}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.002}\n"
    "cashflows:\n"
    "  outside: {municipality: 6773, state: 2465}\n"
    "  employed: {municipality: -4500, state: -2000}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: %s, intake: {start: 2027-01, months: 6}, initial_state: outside,\n"
    "             initial_tenure: 12}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: %s, months: 18}\n";

static char *job_finding_text(const char *size, const char *hazard_ratio)
{
    static char text[4096];
    snprintf(text, sizeof text, job_finding, size, hazard_ratio);
    return text;
}

/* Both arms random: the arms' persons in a cell are paired and move together until the
 * effect parts them; only the persons in which the arms differ vary the savings, and their
 * number grows in proportion to n, so Var(savings) grows like n. The cells hold from a few
 * persons to tens of thousands over this sweep, so a coupling whose quality depended on
 * the cells' sizes (such as one uniform per cell for both arms' binomials) would show. */
Test(sweep, cv_of_savings_falls_like_one_over_root_n_when_both_arms_are_random, .timeout = 120)
{
    expect_cv_falls_like_one_over_root_n(job_finding_text("1000", "1.35"));
}

Test(sweep, cv_of_savings_levels_off_at_the_floor_of_parameter_risk, .timeout = 180)
{
    const double lo = 1.2, hi = 1.6;
    const char *big = "1000000";
    /* The floor (law of total variance): Var(S/n) = E[Var(S/n | theta)] + Var(mu(theta)),
     * mu(theta) = E[S/n | theta]; the first term falls like 1/n, so CV -> sd(mu) / E[mu].
     * mu(theta) is the deterministic expectation at a fixed theta (exact: savings are
     * linear in the expected counts); E over the uniform theta by 10-point Gauss-Legendre
     * (mu is smooth in theta: the rule is exact to far below the test's tolerance). */
    gsl_integration_glfixed_table *gl = gsl_integration_glfixed_table_alloc(10);
    double e1 = 0.0, e2 = 0.0;
    for (size_t j = 0; j < 10; j++) {
        double theta, weight;
        gsl_integration_glfixed_point(lo, hi, j, &theta, &weight, gl);
        char hr[64];
        snprintf(hr, sizeof hr, "%.17g", theta);
        double mu = deterministic(job_finding_text(big, hr), SR_M_SAVINGS_TOTAL) / 1e6;
        e1 += weight / (hi - lo) * mu;
        e2 += weight / (hi - lo) * mu * mu;
    }
    gsl_integration_glfixed_table_free(gl);
    const double floor_cv = sqrt(e2 - e1 * e1) / e1;

    /* The within-theta term at the largest size: the CV of a run at the mean theta
     * (E[Var | theta] taken as Var at the mean theta: a correction of 1e-4 of the floor,
     * itself second order). */
    collected c0 = sweep(job_finding_text(big, "1.4"), "simulation.trials", "500");
    const double cv_noise = c0.table[0][SR_SWEEP_SAVINGS_CV];
    collected_free(&c0);

    collected c = sweep(job_finding_text("1000", "{dist: uniform, min: 1.2, max: 1.6}"),
                        "programmes[0].cohort.size", "250,4000,64000,1000000");
    const size_t N = c.n_trials, last = c.k - 1;
    moments mo = moments_of(c.savings[last], N);
    double cv = c.table[last][SR_SWEEP_SAVINGS_CV], se = cv_se(mo, N);
    double expected = sqrt(floor_cv * floor_cv + cv_noise * cv_noise);
    cr_expect(fabs(cv - expected) <= Z_TOL * se,
              "CV at 1,000,000: %g +- %g, floor %g (with the within-theta term %g)", cv, se,
              floor_cv, expected);
    /* the mean per participant is E[mu] at every size */
    for (size_t i = 0; i < c.k; i++) {
        double mcse = c.table[i][SR_SWEEP_SAVINGS_PP_MCSE];
        cr_expect(fabs(c.table[i][SR_SWEEP_SAVINGS_PP_MEAN] - e1) <= Z_TOL * mcse,
                  "n %g: savings per participant %g, E[mu] %g, mcse %g", c.persons[i],
                  c.table[i][SR_SWEEP_SAVINGS_PP_MEAN], e1, mcse);
    }
    /* the CV falls with n, and by 64,000 it has come down to the floor (within 5%) */
    for (size_t i = 1; i < c.k; i++)
        cr_expect_lt(c.table[i][SR_SWEEP_SAVINGS_CV], c.table[i - 1][SR_SWEEP_SAVINGS_CV] +
                     Z_TOL * cv_se(moments_of(c.savings[i], N), N), "n %g", c.persons[i]);
    cr_expect_gt(c.table[0][SR_SWEEP_SAVINGS_CV], 1.5 * floor_cv);
    cr_expect_lt(c.table[2][SR_SWEEP_SAVINGS_CV], 1.05 * floor_cv + Z_TOL * se);
    collected_free(&c);
}

/* ---- the evaluation's power ------------------------------------------------------------ */

/* One outcome, entering work, with no way back: every person achieves it at most once, so
 * the treated and control arms' counts are Binomial(n, p_t) and Binomial(n_c, p_c),
 * independent. A control group as large as the cohort (the paired sweep sets both). */
static const char *evaluation =
    "name: evaluation\n"
    "simulation: {trials: 10000, seed: 29, start: 2027-01, horizon_years: 3}\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    "states:\n"
    "  - {name: outside}\n"
    "  - {name: employed}\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: 0.01}\n"
    "cashflows:\n"
    "  outside: {municipality: 9000, state: 2500}\n"
    "  employed: {municipality: -4000, state: -2000}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: 500, intake: {start: 2027-01, months: 1}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.2, months: 36}\n"
    "      costs: {per_participant: 1000}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes: [{name: job, state: employed, tenure: 0, price: 5000}]\n"
    "      baseline: {method: control_group, size: 500}\n"
    "      term_years: 2\n";

/* Power of the engine's test (docs/results.md): with rates r_t = x_t / n_t and r_c = x_c / n_c,
 * significant when (r_t - r_c) / se > z_0.95, se = sqrt(r_t (1 - r_t) / n_t + r_c (1 - r_c)
 * / n_c) (a zero se decides by the sign of the difference); summed exactly over the two
 * binomial distributions. */
static double exact_power(unsigned nt, double pt, unsigned nc, double pc)
{
    const double z = gsl_cdf_ugaussian_Pinv(0.95);
    double *bt = malloc((nt + 1) * sizeof *bt), *bc = malloc((nc + 1) * sizeof *bc);
    for (unsigned x = 0; x <= nt; x++)
        bt[x] = gsl_ran_binomial_pdf(x, pt, nt);
    for (unsigned x = 0; x <= nc; x++)
        bc[x] = gsl_ran_binomial_pdf(x, pc, nc);
    double power = 0.0;
    for (unsigned xt = 0; xt <= nt; xt++) {
        if (bt[xt] < 1e-300)
            continue;
        double rt = (double)xt / nt, inner = 0.0;
        for (unsigned xc = 0; xc <= nc; xc++) {
            double rc = (double)xc / nc;
            double se = sqrt(rt * (1 - rt) / nt + rc * (1 - rc) / nc);
            bool significant = se > 0.0 ? (rt - rc) / se > z : rt > rc;
            inner += significant ? bc[xc] : 0.0;
        }
        power += bt[xt] * inner;
    }
    free(bt);
    free(bc);
    return power;
}

Test(sweep, power_is_that_of_the_one_sided_two_proportion_z_test, .timeout = 120)
{
    collected c = sweep(evaluation,
                        "programmes[0].cohort.size,programmes[0].contract.baseline.size",
                        "[250, 250], [1000, 1000], [2500, 2500]");
    const double N = (double)c.n_trials, z = gsl_cdf_ugaussian_Pinv(0.95);
    for (size_t i = 0; i < c.k; i++) {
        const unsigned n = (unsigned)c.persons[i];
        /* achievement rates from the deterministic expectation (exact expected counts):
         * treated, and the counterfactual arm whose dynamics the control group shares */
        double pt = c.deterministic[i][SR_M_OUTCOMES_TREATED] / n;
        double pc = pt - c.deterministic[i][SR_M_OUTCOMES_ATTRIBUTABLE] / n;
        cr_assert(pt > pc && pc > 0.0, "rates %g %g", pt, pc);
        double exact = exact_power(n, pt, n, pc);
        /* the textbook normal approximation of the same power, a check on the reference */
        double se = sqrt(pt * (1 - pt) / n + pc * (1 - pc) / n);
        double approx = gsl_cdf_ugaussian_P((pt - pc - z * se) / se);
        cr_expect(fabs(exact - approx) < 0.02, "n %u: exact %g, normal approximation %g", n,
                  exact, approx);
        double power = c.table[i][SR_SWEEP_POWER], binomial_se = sqrt(exact * (1 - exact) / N);
        cr_expect(fabs(power - exact) <= Z_TOL * binomial_se,
                  "n %u: power %g, exact %g (normal approximation %g), se %g", n, power,
                  exact, approx, binomial_se);
        cr_expect_float_eq(c.table[i][SR_SWEEP_POWER_MCSE],
                           sqrt(power * (1 - power) / (N - 1)), 1e-9);
    }
    /* the design spans low to high power */
    cr_expect_lt(c.table[0][SR_SWEEP_POWER], 0.5);
    cr_expect_gt(c.table[2][SR_SWEEP_POWER], 0.9);
    collected_free(&c);
}

/* ---- peer effects ---------------------------------------------------------------------- */

/* {scale} is the effect's scale clause (or nothing), {hazard_ratio} its hazard ratio. */
static const char *peers =
    "name: peers\n"
    "simulation: {trials: 1500, seed: 31, start: 2027-01, horizon_years: 3}\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    "states:\n"
    "  - {name: outside, tenure_max: 12}\n"
    "  - {name: employed, tenure_max: 12}\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: 0.02}\n"
    "  - {from: employed, to: outside, hazard: 0.05}\n"
    "cashflows:\n"
    "  outside: {municipality: 9000, state: 2500}\n"
    "  employed: {municipality: -4000, state: -2000}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: %s, intake: {start: 2027-01, months: 3}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: %s, months: 12%s}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes: [{name: job, state: employed, tenure: 0, price: 5000}]\n"
    "      baseline: {method: none}\n"
    "      term_years: 2\n";

Test(sweep, peer_effect_raises_attributable_outcomes_per_participant_with_n, .timeout = 120)
{
    char text[4096];
    snprintf(text, sizeof text, peers, "1000", "1.4",
             ", scale: {reference_size: 1000, elasticity: 0.5}");
    collected c = sweep(text, "programmes[0].cohort.size", "250,1000,4000");
    const size_t N = c.n_trials;
    double previous = -INFINITY, previous_se = 0.0;
    for (size_t i = 0; i < c.k; i++) {
        const double n = c.persons[i];
        /* docs/model.md: HR(n) = 1 + (HR - 1) (n / reference_size)^elasticity; the deterministic
         * expectation equals that of the same programme without peer effects at HR(n) */
        double hr_n = 1.0 + 0.4 * pow(n / 1000.0, 0.5);
        char size[32], hr[64];
        snprintf(size, sizeof size, "%.0f", n);
        snprintf(hr, sizeof hr, "%.17g", hr_n);
        snprintf(text, sizeof text, peers, size, hr, "");
        double without = deterministic(text, SR_M_OUTCOMES_ATTRIBUTABLE);
        double with = c.deterministic[i][SR_M_OUTCOMES_ATTRIBUTABLE];
        cr_expect(fabs(with - without) <= 1e-9 * fabs(without), "n %g: %g against %g at HR %g",
                  n, with, without, hr_n);
        /* the Monte Carlo mean per participant agrees with it */
        moments mo = moments_of(c.attributable[i], N);
        double per = mo.mean / n, se = mo.sd / n / sqrt((double)N);
        cr_expect(fabs(per - with / n) <= Z_TOL * se, "n %g: %g per participant, exact %g",
                  n, per, with / n);
        /* and rises with n beyond the noise of either point */
        cr_expect_gt(per - previous, Z_TOL * sqrt(se * se + previous_se * previous_se),
                     "n %g: %g per participant, %g at the smaller size", n, per, previous);
        previous = per;
        previous_se = se;
    }
    collected_free(&c);
}

/* ---- the specification of a sweep ----------------------------------------------------- */

Test(sweep, values_split_at_top_level_commas_only)
{
    sr_sweep_spec s = {0};
    sr_error err = {0};
    cr_assert_eq(sr_sweep_spec_param(&s, "macro", &err), 0, "%s", err.msg);
    cr_assert_eq(sr_sweep_spec_values(&s, " {model: none}, 'a,b' ,\"c,\\\"d\",[1, [2, 3]]",
                                      &err), 0, "%s", err.msg);
    cr_assert_eq(s.param[0].n_values, 4);
    cr_expect_str_eq(s.param[0].value[0], "{model: none}");
    cr_expect_str_eq(s.param[0].value[1], "'a,b'");
    cr_expect_str_eq(s.param[0].value[2], "\"c,\\\"d\"");
    cr_expect_str_eq(s.param[0].value[3], "[1, [2, 3]]");
    cr_expect_eq(sr_sweep_spec_points(&s), 4);
    sr_sweep_spec_clear(&s);

    cr_assert_eq(sr_sweep_spec_param(&s, "a.b, c.d", &err), 0, "%s", err.msg);
    cr_assert_eq(sr_sweep_spec_values(&s, "[1, 2],[3,4]", &err), 0, "%s", err.msg);
    cr_expect_str_eq(s.param[0].key[1], "c.d");
    cr_expect_str_eq(s.param[0].value[3], "4");
    cr_expect_str_eq(s.param[0].item[1], "[3,4]");
    cr_expect_eq(sr_sweep_spec_param(&s, "e", &err), SR_EXIT_USAGE, "a third key");
    sr_sweep_spec_clear(&s);

    cr_assert_eq(sr_sweep_spec_param(&s, "a", &err), 0);
    cr_assert_eq(sr_sweep_spec_values(&s, "1,2,3", &err), 0);
    cr_assert_eq(sr_sweep_spec_param(&s, "b", &err), 0);
    cr_assert_eq(sr_sweep_spec_values(&s, "x,y", &err), 0);
    cr_expect_eq(sr_sweep_spec_points(&s), 6);
    cr_expect_eq(sr_sweep_spec_check(&s, &err), 0);
    sr_sweep_spec_clear(&s);
}

/* ---- the command line ------------------------------------------------------------------- */

static const char *small =
    "name: small\n"
    "simulation: {trials: 300, seed: 3, start: 2027-01, horizon_years: 4}\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    "parameters:\n"
    "  effect: {dist: lognormal, median: 1.4, p95: 1.9}\n"
    SR_TEST_STATES
    "  - {from: outside, to: employed, hazard: {dist: gamma, mean: 0.02, sd: 0.005},\n"
    "     macro: pro}\n"
    "  - {from: employed, to: outside, hazard: 0.1, by_tenure: [[0, 1], [3, 0.44]],\n"
    "     macro: counter}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.002}\n"
    "cashflows:\n"
    "  outside: {municipality: 9000, state: 2500}\n"
    "  employed: {municipality: -5500, state: -3500}\n"
    "macro: {model: regime, switch: {to_recession: 0.02, to_normal: 0.05},\n"
    "        recession: {pro: 0.6, counter: 1.5}}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: 300, intake: {start: 2027-01, months: 6}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: $effect, months: 12}\n"
    "      costs: {fixed_per_year: 200000, per_participant: 10000}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes: [{name: job6, state: employed, tenure: 6, price: 60000}]\n"
    "      baseline: {method: control_group, size: 150}\n"
    "      term_years: 3\n";

/* A grid sweep writes the layout of docs/results.md: the root is point 0, /sweep/values [k][2] with
 * both paths, the table's columns agree with each point's trials, and point 2 (600
 * persons, 1,000 DKK per participant: row-major) is the plain run at the same values,
 * every dataset and attribute equal but created_utc. */
Test(sweep, a_point_is_the_plain_run_at_its_values_bit_for_bit, .timeout = 120)
{
    char *dir = sr_test_tmpdir();
    sr_test_write_file(dir, "small.yaml", small);
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && mkdir results && %s sweep small.yaml --set "
                             "discount.investor=0.06 --param programmes[0].cohort.size "
                             "--values 200,600 --param "
                             "programmes[0].intervention.costs.per_participant --values "
                             "'1000, 2000' --threads 2",
                             dir, BIN),
                         &out, &err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    cr_expect(strstr(out, "sweep over programmes[0].cohort.size, "
                          "programmes[0].intervention.costs.per_participant (grid, 4 points")
                  != NULL && strstr(out, "power") != NULL && strstr(out, "600, 1000") != NULL,
              "the sweep table is printed:\n%s", out);
    free(out);
    free(err);
    rc = sr_test_run(sr_test_cmd("cd %s && %s run small.yaml --set discount.investor=0.06 --set "
                         "programmes[0].cohort.size=600 --set "
                         "programmes[0].intervention.costs.per_participant=1000 -o run.h5 "
                         "--quiet --threads 1",
                         dir, BIN),
                     NULL, &err);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    free(err);

    const char *check =
        SR_TEST_PY_COMPARE
        "f = h5py.File('results/small-sweep.h5', 'r')\n"
        "r = h5py.File('run.h5', 'r')\n"
        "v = f['sweep/values']\n"
        "assert v.shape == (4, 2) and v.dtype == np.float64, v.shape\n"
        "assert (v[:] == [[200, 1000], [200, 2000], [600, 1000], [600, 2000]]).all(), v[:]\n"
        "assert list(v.attrs['param']) == ['programmes[0].cohort.size',\n"
        "    'programmes[0].intervention.costs.per_participant'], v.attrs['param']\n"
        "assert v.attrs['design'] == 'grid' and isinstance(v.attrs['units'], str)\n"
        "assert f['sweep/value_text'].asstr()[2, 1] == '1000'\n"
        "assert list(f['sweep/points']) == ['0', '1', '2', '3']\n"
        "assert f['trials'] == f['sweep/points/0/trials'], 'the root is point 0, linked'\n"
        "assert f.attrs['scenario_sha256'] == f['sweep/points/0'].attrs['scenario_sha256']\n"
        "n = compare(f['sweep/points/2'], r, '')\n"
        "assert n > 150, n\n"
        "assert len(r['trials']) >= 26 and 'parameters' in r and 'macro' in r\n"
        "t = f['sweep/table']\n"
        "assert all(t[c].shape == (4,) and t[c].dtype == np.float64 for c in t)\n"
        "assert all(isinstance(t[c].attrs['units'], str) for c in t)\n"
        "assert all(isinstance(t[c].attrs['description'], str) for c in t)\n"
        "for i in range(4):\n"
        "    p = f['sweep/points/%d/trials' % i]\n"
        "    n = v[i, 0]\n"
        "    s = p['savings_total'][:]\n"
        "    def close(c, x):\n"
        "        y = t[c][i]\n"
        "        assert abs(y - x) <= 1e-9 * max(1.0, abs(x)), (i, c, y, x)\n"
        "    close('persons', n)\n"
        "    close('savings_per_participant_mean', s.mean() / n)\n"
        "    close('savings_per_participant_sd', s.std(ddof=1) / n)\n"
        "    close('savings_cv', s.std(ddof=1) / s.mean())\n"
        "    close('cost_per_participant', p['programme_cost'][:].mean() / n)\n"
        "    close('power', np.nanmean(p['evaluation_significant'][:]))\n"
        "    close('p_investor_loss', np.nanmean(p['investor_loss'][:]))\n"
        "    irr = p['investor_irr'][:]\n"
        "    close('investor_irr_q50', np.nanquantile(irr, 0.5))\n"
        "    close('investor_irr_q05', np.nanquantile(irr, 0.05))\n"
        "    close('payer_net_sib_mean', p['payer_net_sib'][:].mean())\n"
        "c = t['cost_per_participant'][:]\n"
        "assert c[2] < c[0] and c[1] > c[0], c\n"
        "print('ok')\n";
    sr_test_python(dir, check);

    rc = sr_test_run(sr_test_cmd("cd %s && %s summary results/small-sweep.h5", dir, BIN), &out, &err);
    cr_expect_eq(rc, 0, "summary: %s", err);
    cr_expect(strstr(out, "grid, 4 points") != NULL && strstr(out, "P(loss)") != NULL,
              "summary prints the sweep table:\n%s", out);
    free(out);
    free(err);
    sr_test_remove_dir(dir);
}

/* sr_test_expect_failure with this file's small scenario. */
static void expect_failure(const char *args, int code, const char *fragment)
{
    sr_test_expect_failure(small, true, args, code, fragment);
}

Test(sweep, bad_param_and_values_exit_64_with_no_file)
{
    const char *size = "--param programmes[0].cohort.size";
    expect_failure("sweep small.yaml -o old.h5", 64, "--param");
    expect_failure(sr_test_cmd("sweep small.yaml %s -o old.h5", size), 64, "has no --values");
    expect_failure("sweep small.yaml --values 1,2 -o old.h5", 64, "no --param before it");
    expect_failure(sr_test_cmd("sweep small.yaml %s --values '' -o old.h5", size), 64, "empty value");
    expect_failure(sr_test_cmd("sweep small.yaml %s --values 100,,200 -o old.h5", size), 64,
                   "empty value");
    expect_failure(sr_test_cmd("sweep small.yaml %s --values '[100,200' -o old.h5", size), 64,
                   "unbalanced");
    expect_failure(sr_test_cmd("sweep small.yaml %s --values 1 --values 2 -o old.h5", size), 64,
                   "already");
    expect_failure(sr_test_cmd("sweep small.yaml %s --values 1 %s --values 2", size, size), 64,
                   "swept twice");
    expect_failure(sr_test_cmd("sweep small.yaml %s --values 1 --param a,b --values '[1,2]'", size),
                   64, "at most 2 keys");
    expect_failure("sweep small.yaml --param programmes[0].cohort.size,"
                   "programmes[0].contract.baseline.size --values '[100,50],[200]' -o old.h5",
                   64, "not a list of 2 values");
    expect_failure(sr_test_cmd("run small.yaml %s --values 1 -o old.h5", size), 64,
                   "--param is an option of sweep");
    expect_failure(sr_test_cmd("sweep small.yaml %s", size), 64, "--param programmes[0].cohort.size "
                   "has no --values");
}

Test(sweep, an_invalid_value_exits_65_naming_the_param_and_value_with_no_file)
{
    expect_failure("sweep small.yaml --param programmes[0].cohort.size --values 100,-5 "
                   "-o old.h5",
                   65, "--param programmes[0].cohort.size, value -5: "
                   "programmes[0].cohort.size: must be a positive integer, got -5");
    expect_failure("sweep small.yaml --param programmes[0].cohort.size --values 100,-5",
                   65, "value -5");
    expect_failure("sweep small.yaml --param programmes[0].cohort.sizes --values 100 "
                   "-o old.h5",
                   65, "--param programmes[0].cohort.sizes, value 100");
    expect_failure("sweep small.yaml --param programmes[0].cohort.size,"
                   "programmes[0].contract.baseline.size --values '[100,50],[200,x]' "
                   "-o old.h5",
                   65, "value [200,x]");
    expect_failure("sweep nowhere.yaml --param programmes[0].cohort.size --values 100 "
                   "-o old.h5",
                   66, "nowhere.yaml");
    expect_failure("sweep small.yaml --param programmes[0].cohort.size --values 100 "
                   "-o missing/dir/r.h5",
                   74, "missing/dir");
}
