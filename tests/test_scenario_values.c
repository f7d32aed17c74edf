/* The typed readers of scenario values (sim/scenario/scenario_values.c): integers, seeds,
 * months, fixed and uncertain numbers in their ranges, and distributions. */

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_cases.h"

Test(scenario, converts_lognormal_median_and_p95_to_mu_and_sigma)
{
    sr_model *m = sr_test_model(spec_example);
    const sr_numdef *d = &m->num[m->parameters[0].num];
    cr_assert_eq(d->kind, SR_DIST_LOGNORMAL);
    /* mu = ln 1.35, sigma = ln(1.9 / 1.35) / Phi^-1(0.95). */
    cr_assert_float_eq(d->p[0], log(1.35), 1e-15);
    cr_assert_float_eq(d->p[1], log(1.9 / 1.35) / 1.6448536269514722, 1e-15);
    sr_model_free(m);
}

Test(scenario, converts_lognormal_mean_and_sd_to_mu_and_sigma)
{
    sr_model *m = sr_test_model(BASE "parameters: {x: {dist: lognormal, mean: 2, sd: 1}}\n" PROG);
    const sr_numdef *d = &m->num[m->parameters[0].num];
    /* sigma^2 = ln(1 + sd^2 / mean^2) = ln 1.25, mu = ln 2 - sigma^2 / 2. */
    cr_assert_float_eq(d->p[1] * d->p[1], log(1.25), 1e-15);
    cr_assert_float_eq(d->p[0], log(2.0) - 0.5 * log(1.25), 1e-15);
    /* The mean of the variable comes back: exp(mu + sigma^2 / 2) = 2. */
    double v[64];
    cr_assert_leq(m->n_num, 64);
    sr_model_mean_values(m, v);
    cr_assert_float_eq(v[m->parameters[0].num], 2.0, 1e-14);
    sr_model_free(m);
}

Test(scenario, means_every_distribution_for_the_deterministic_expectation)
{
    sr_model *m = sr_test_model(BASE
        "parameters:\n"
        "  b: {dist: beta, mean: 0.3, sd: 0.1}\n"
        "  g: {dist: gamma, mean: 4, sd: 2}\n"
        "  l: {dist: lognormal, median: 1, p95: 2}\n"
        "  n: {dist: normal, mean: 0, sd: 1, min: 0}\n"
        "  n2: {dist: normal, mean: 5, sd: 2}\n"
        "  u: {dist: uniform, min: 1, max: 3}\n"
        "  p: {dist: pert, min: 0, mode: 1, max: 5}\n"
        "  t: {dist: triangular, min: 0, mode: 1, max: 5}\n"
        "  f: 7.5\n" PROG);
    double v[64];
    cr_assert_leq(m->n_num, 64);
    sr_model_mean_values(m, v);
    double sigma = log(2.0) / 1.6448536269514722;
    /* Closed forms: beta, gamma p0; lognormal exp(mu + sigma^2/2); a standard normal
     * truncated to [0, inf) has mean sqrt(2 / pi); uniform (a+b)/2; pert (a+4m+b)/6;
     * triangular (a+m+b)/3. */
    double expect[] = {0.3, 4, exp(0.5 * sigma * sigma), sqrt(2 / 3.14159265358979323846), 5, 2, 9.0 / 6, 2, 7.5};
    for (size_t i = 0; i < m->n_parameters; i++)
        cr_assert_float_eq(v[m->parameters[i].num], expect[i], 1e-12, "parameter %s: %.15g",
                           m->parameters[i].name, v[m->parameters[i].num]);
    /* Every fixed entry is its value. */
    for (size_t i = 0; i < m->n_num; i++)
        if (m->num[i].kind == SR_DIST_FIXED)
            cr_assert_eq(v[i], m->num[i].p[0]);
    sr_model_free(m);
}

Test(scenario, truncated_normal_mean_keeps_its_digits_far_in_the_tail)
{
    /* Above a = 8, Phi(b) - Phi(a) cancels; the mean of N(0,1) truncated to [10, inf) is
     * phi(10) / Q(10) = 10.098093233962... (Mills ratio). */
    cr_assert_float_eq(sr_truncated_normal_mean(0, 1, 10, INFINITY), 10.0980932339625, 1e-9);
    cr_assert_float_eq(sr_truncated_normal_mean(3, 2, -INFINITY, INFINITY), 3.0, 1e-15);
}

Test(scenario, rejects_negative_cohort_size_with_line_and_path)
{
    const char *y = BASE
        "programmes:\n"
        "  - name: p\n"
        "    cohort:\n"
        "      size: -5\n"
        "      intake: {start: 2027-01, months: 2}\n"
        "      initial_state: out\n";
    sr_error err = {0};
    cr_assert_null(sr_scenario_load_text("scenarios/x.yaml", y, strlen(y), NULL, 0, &err));
    cr_assert_eq(err.code, SR_EXIT_DATAERR);
    cr_assert_str_eq(err.msg,
                     "scenarios/x.yaml:9:13: programmes[0].cohort.size: must be a positive integer, got -5");
}

Test(scenario, rejects_wrong_types_with_the_value_as_written)
{
    expect_fail(BASE "transitions2: 1\n", "x.yaml:6:1: transitions2: unknown key");
    expect_fail("name: t\nsimulation: {trials: many, seed: 1, start: 2027-01, horizon_years: 2}\n",
                "x.yaml:2:22: simulation.trials: must be a positive integer, got many");
    expect_fail("name: [t]\n", "x.yaml:1:7: name: must be a non-empty string, got [t]");
    expect_fail("name: t\nsimulation: [1]\n", "x.yaml:2:13: simulation: must be a mapping, got [1]");
    expect_fail(BASE "macro: {model: regime, start_in_recession: yes, switch: {to_recession: 0.1, "
                     "to_normal: 0.1}, recession: {pro: 1, counter: 1}}\n" PROG,
                "x.yaml:6:44: macro.start_in_recession: must be true or false, got yes");
    expect_fail(BASE "indexation: abc\n" PROG, "x.yaml:6:13: indexation: must be a rate > -1, got abc");
}

Test(scenario, rejects_floats_where_integers_are_required)
{
    expect_fail("name: t\nsimulation: {trials: 1e3, seed: 1, start: 2027-01, horizon_years: 2}\n",
                "x.yaml:2:22: simulation.trials: must be a positive integer, got 1e3");
    expect_fail("name: t\nsimulation: {trials: 12.0, seed: 1, start: 2027-01, horizon_years: 2}\n",
                "x.yaml:2:22: simulation.trials: must be a positive integer, got 12.0");
    /* Integers are never distributions. */
    expect_fail("name: t\nsimulation: {trials: {dist: uniform, min: 1, max: 2}, seed: 1}\n",
                "x.yaml:2:22: simulation.trials: must be a positive integer, got {dist: uniform, min: 1, max: 2}");
}

Test(scenario, rejects_nan_and_infinity_wherever_a_number_is_expected)
{
    const char *bad[] = {".nan", ".inf", "-.inf", ".NaN", "NaN", "Inf", "-Infinity", "nan", "1e999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char y[512], prefix[256];
        snprintf(y, sizeof y, BASE "indexation: %s\n" PROG, bad[i]);
        snprintf(prefix, sizeof prefix, "x.yaml:6:13: indexation: must be a finite number, got %s", bad[i]);
        expect_fail(y, prefix);
        snprintf(y, sizeof y, BASE "parameters: {x: {dist: uniform, min: 0, max: %s}}\n" PROG, bad[i]);
        snprintf(prefix, sizeof prefix, "x.yaml:6:46: parameters.x.max: must be a finite number, got %s", bad[i]);
        expect_fail(y, prefix);
    }
}

Test(scenario, reads_seeds_up_to_two_to_the_64_minus_one)
{
    sr_model *m = sr_test_model("name: t\n"
                                "simulation: {trials: 1, seed: 18446744073709551615, start: 2027-01, horizon_years: 2}\n"
                                "discount: {public: 0.03, investor: 0.05}\n"
                                "states: [{name: out}]\n" PROG);
    cr_assert_eq(m->seed, UINT64_MAX);
    sr_model_free(m);
    expect_fail("name: t\nsimulation: {trials: 1, seed: 18446744073709551616}\n",
                "x.yaml:2:31: simulation.seed: must be an integer in [0, 18446744073709551615], "
                "got 18446744073709551616");
    expect_fail("name: t\nsimulation: {trials: 1, seed: -1}\n",
                "x.yaml:2:31: simulation.seed: must be an integer in [0, 18446744073709551615], got -1");
}

Test(scenario, rejects_out_of_range_values)
{
    expect_fail(BASE "indexation: -1\n" PROG, "x.yaml:6:13: indexation: must be a rate > -1, got -1");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_years: 101}\n",
                "x.yaml:2:65: simulation.horizon_years: must be an integer in [1, 100], got 101");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_months: 1201}\n",
                "x.yaml:2:66: simulation.horizon_months: must be an integer in [1, 1200], got 1201");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_years: 2, "
                "horizon_months: 3}\n",
                "x.yaml:2:84: simulation.horizon_months: give exactly one of horizon_years and "
                "horizon_months, got 3");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-13, horizon_years: 2}\n",
                "x.yaml:2:41: simulation.start: must be a month YYYY-MM (month 01..12), got 2027-13");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01-01, horizon_years: 2}\n",
                "x.yaml:2:41: simulation.start: must be a month YYYY-MM (month 01..12), got 2027-01-01");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_years: 2}\n"
                "discount: {public: 0.03, investor: -2}\n",
                "x.yaml:3:36: discount.investor: must be a rate > -1, got -2");
    expect_fail(BASE "states2: x\n", "x.yaml:6:1: states2: unknown key");
    expect_fail("name: t\nsimulation: {trials: 1, seed: 1, start: 2027-01, horizon_years: 2}\n"
                "discount: {public: 0.03, investor: 0.05}\n"
                "states: [{name: out}, {name: job}]\n"
                "transitions: [{from: out, to: job, probability: 1.0}]\n",
                "x.yaml:5:49: transitions[0].probability: must be a number in [0, 1), got 1.0");
}

Test(distributions, rejects_impossible_parameterisations)
{
#define P(x) BASE "parameters: {x: " x "}\n" PROG
    expect_fail(P("{dist: beta, mean: 0.3, sd: 0.5}"),
                "x.yaml:6:45: parameters.x.sd: must be below sqrt(mean (1 - mean)) = 0.458258 for a "
                "beta distribution with mean 0.3, got 0.5");
    expect_fail(P("{dist: beta, mean: 1.3, sd: 0.1}"),
                "x.yaml:6:36: parameters.x.mean: must be in (0, 1) for a beta distribution, got 1.3");
    expect_fail(P("{dist: gamma, mean: 0, sd: 1}"),
                "x.yaml:6:37: parameters.x.mean: must be > 0 for a gamma distribution, got 0");
    expect_fail(P("{dist: gamma, mean: 1, sd: 0}"), "x.yaml:6:44: parameters.x.sd: must be > 0, got 0");
    expect_fail(P("{dist: lognormal, median: 2, p95: 1.5}"),
                "x.yaml:6:51: parameters.x.p95: must be above the median (2), got 1.5");
    expect_fail(P("{dist: lognormal, median: 0, p95: 1.5}"),
                "x.yaml:6:43: parameters.x.median: must be > 0 for a lognormal distribution, got 0");
    expect_fail(P("{dist: lognormal, mean: -1, sd: 1}"),
                "x.yaml:6:41: parameters.x.mean: must be > 0 for a lognormal distribution, got -1");
    expect_fail(P("{dist: lognormal, median: 1, sd: 1}"),
                "x.yaml:6:17: parameters.x: a lognormal distribution takes either median and p95, "
                "or mean and sd, got {dist: lognormal, median: 1, sd: 1}");
    expect_fail(P("{dist: normal, mean: 0, sd: -1}"), "x.yaml:6:45: parameters.x.sd: must be > 0, got -1");
    expect_fail(P("{dist: normal, mean: 0, sd: 1, min: 2, max: 2}"),
                "x.yaml:6:61: parameters.x.max: must be above min (2), got 2");
    expect_fail(P("{dist: normal, mean: 0, sd: 1, min: 40}"),
                "x.yaml:6:17: parameters.x: [min, max] holds less than 1e-09 of the normal's probability");
    expect_fail(P("{dist: uniform, min: 3, max: 1}"),
                "x.yaml:6:46: parameters.x.max: must be above min (3), got 1");
    expect_fail(P("{dist: pert, min: 0, mode: 6, max: 5}"),
                "x.yaml:6:44: parameters.x.mode: must lie in [min, max] = [0, 5], got 6");
    expect_fail(P("{dist: triangular, min: 1, mode: 1, max: 1}"),
                "x.yaml:6:58: parameters.x.max: must be above min (1), got 1");
    expect_fail(P("{dist: weibull, shape: 1}"),
                "x.yaml:6:24: parameters.x.dist: must be beta, gamma, lognormal, normal, uniform, pert "
                "or triangular, got weibull");
    expect_fail(P("{dist: uniform, min: 0, max: 1, mode: 0.5}"),
                "x.yaml:6:49: parameters.x.mode: unknown key (expected dist, min, max), got mode");
    expect_fail(P("{dist: uniform, min: 0}"), "x.yaml:6:17: parameters.x.max: is required, got nothing");
    expect_fail(P("{mean: 1, sd: 2}"),
                "x.yaml:6:17: parameters.x.dist: is required: a number given as a mapping is a "
                "distribution, got nothing");
    expect_fail(P("{dist: uniform, min: $y, max: 1}"),
                "x.yaml:6:38: parameters.x.min: must be a number (the parameters of a uniform "
                "distribution are fixed numbers), got $y");
#undef P
}

Test(distributions, rejects_a_support_that_leaves_the_range_of_its_key)
{
    const char *head = "name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"
                       "discount: {public: 0.03, investor: 0.05}\n"
                       "states: [{name: out}, {name: job}]\n";
    char y[1024];
    /* A normal hazard without min >= 0 can go negative. */
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, hazard: {dist: normal, mean: 0.01, sd: 0.005}}]\n" PROG, head);
    expect_fail(y, "x.yaml:5:44: transitions[0].hazard: must be a number >= 0, but a normal distribution "
                   "on (-inf, inf) can leave it (bound it with min/max), got {dist: normal, mean: 0.01, sd: 0.005}");
    /* ... and with min: 0 it cannot. */
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, hazard: {dist: normal, mean: 0.01, sd: 0.005, min: 0}}]\n" PROG, head);
    sr_model *m = sr_test_model(y);
    cr_assert_eq(m->num[m->transitions[0].rate].kind, SR_DIST_NORMAL);
    cr_assert_eq(m->num[m->transitions[0].rate].p[2], 0.0);
    cr_assert(isinf(m->num[m->transitions[0].rate].p[3]));
    sr_model_free(m);
    /* A beta probability is fine; a uniform reaching 1 is not a probability in [0, 1). */
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, probability: {dist: beta, mean: 0.1, sd: 0.05}}]\n" PROG, head);
    sr_model_free(sr_test_model(y));
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, probability: {dist: uniform, min: 0, max: 1}}]\n" PROG, head);
    expect_fail(y, "x.yaml:5:49: transitions[0].probability: must be a number in [0, 1), but a uniform "
                   "distribution on [0, 1] can leave it");
    /* Each probability fits [0, 1), but together the draws can reach a sum of 1 or more,
     * which has no monthly hazard: two betas can sum to 2, a beta and 0.1 to 1.1. */
    const char *head3 = "name: t\nsimulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 2}\n"
                        "discount: {public: 0.03, investor: 0.05}\n"
                        "states: [{name: out}, {name: job}, {name: moved}]\n";
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, probability: {dist: beta, mean: 0.45, sd: 0.2}},\n"
                          "  {from: out, to: moved, probability: {dist: beta, mean: 0.45, sd: 0.2}}]\n" PROG, head3);
    expect_fail(y, "x.yaml:6:39: transitions[1].probability: the probabilities out of state out can sum to 2 in a trial");
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, probability: {dist: beta, mean: 0.1, sd: 0.05}},\n"
                          "  {from: out, to: moved, probability: 0.1}]\n" PROG, head3);
    expect_fail(y, "x.yaml:6:39: transitions[1].probability: the probabilities out of state out can sum to 1.1 in a trial");
    /* Bounded so that the upper ends sum to at most 1, they are accepted. */
    snprintf(y, sizeof y, "%stransitions: [{from: out, to: job, probability: {dist: uniform, min: 0.2, max: 0.6}},\n"
                          "  {from: out, to: moved, probability: 0.4}]\n" PROG, head3);
    sr_model_free(sr_test_model(y));
    /* A named parameter must fit every key that uses it. */
    snprintf(y, sizeof y, "%sparameters: {e: {dist: lognormal, median: 0.5, p95: 0.9}}\n"
                          "transitions: [{from: out, to: job, probability: $e}]\n" PROG, head);
    expect_fail(y, "x.yaml:6:49: transitions[0].probability: must be a number in [0, 1), but the "
                   "parameter is a lognormal distribution on (0, inf), which can leave it, got $e");
    snprintf(y, sizeof y, "%sparameters: {e: -0.5}\ntransitions: [{from: out, to: job, hazard: $e}]\n" PROG, head);
    expect_fail(y, "x.yaml:6:44: transitions[0].hazard: must be a number >= 0, but the parameter is -0.5, got $e");
}
