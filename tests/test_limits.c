/* Limits on unbounded inputs (sim/scenario/scenario.h SR_SCENARIO_MAX_AMOUNT and friends): amounts,
 * hazards and multipliers within 1e12, annual rates within [-0.9, 10], a size scaling's
 * reference size within [1, 1e12] and elasticity within [-10, 10], for fixed values and for
 * every draw of a distribution; a value beyond is an invalid scenario named by file, line,
 * column and key. A run with every input at its limit stays finite, and a result file
 * counts whatever is not (n_infinite beside n_nan). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario.h"
#include "tests/support.h"

#define BIN SIRISK_BINARY

/* Every amount, hazard, multiplier and rate at (or next to) its limit: 4,294,967,295
 * persons in a cohort and a control group, 100 years, discounting at -0.9 a year and
 * indexation of 10 a year. */
static const char at_limits[] =
    "name: at the limits\n"
    "simulation: {trials: 10, seed: 7, start: 2027-01, horizon_years: 100}\n"
    "discount: {public: -0.9, investor: -0.9}\n"
    "indexation: 10\n"
    "parameters:\n"
    "  hr: {dist: uniform, min: 0, max: 1e12}\n"
    "states:\n"
    "  - {name: outside, tenure_max: 24}\n"
    "  - {name: employed, tenure_max: 24}\n"
    "  - {name: exited, absorbing: true}\n"
    "transitions:\n"
    "  - {from: outside, to: employed, hazard: 0.05, macro: pro, by_tenure: [[0, 1], [12, 1e12]],\n"
    "     cashflow: {municipality: -1e12, state: 1e12}}\n"
    "  - {from: employed, to: outside, hazard: 0.1, macro: counter, by_tenure: [[0, 1], [3, 1e-12]]}\n"
    "  - {from: [outside, employed], to: exited, hazard: 1e-12}\n"
    "strata:\n"
    "  - {name: a, share: 0.5, multiply: {outside->employed: 1e-12}, effect_multiplier: 1e12}\n"
    "  - {name: b, share: 0.5, cashflows: {outside: {municipality: -1e12, state: -1e12}}}\n"
    "cashflows:\n"
    "  outside: {municipality: 1e12, state: 1e12}\n"
    "  employed: {municipality: -1e12, state: -1e12}\n"
    "macro: {model: regime, switch: {to_recession: 0.5, to_normal: 0.5},\n"
    "        recession: {pro: 1e12, counter: 1e12}}\n"
    "programmes:\n"
    "  - name: big\n"
    "    cohort: {size: 4294967295, intake: {start: 2027-01, months: 1}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: $hr, months: 12,\n"
    "               scale: {reference_size: 1, elasticity: -10}}\n"
    "      costs: {fixed_per_year: 1e12, per_participant: 1e12, per_participant_month: 1e12}\n"
    "    contract:\n"
    "      payer: state\n"
    "      type: savings_share\n"
    "      share: 1\n"
    "      baseline: {method: control_group, size: 4294967295}\n"
    "      term_years: 100\n"
    "      annual_frame: 1e12\n"
    "      lag_months: 0\n"
    "    financing: {guarantee: {first_loss: 1}, surplus: {cap_irr: 10}}\n"
    "  - name: card\n"
    "    cohort: {size: 100000, intake: {start: 2027-01, months: 12}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1e12, months: 6}\n"
    "      costs: {per_participant_month: 1e12}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes: [{name: job, state: employed, tenure: 3, price: 1e12},\n"
    "                 {name: back, state: outside, tenure: 0, price: -1e12}]\n"
    "      baseline: {method: historical, rates: {job: 1, back: 0},\n"
    "                 expenditure_per_person_month: {municipality: 1e12, state: -1e12}}\n"
    "      term_years: 90\n"
    "      cap_total: 1e12\n"
    "      lag_months: 1200\n";

/* Loads at_limits with one override; NULL with err when refused. */
static sr_scenario *load_set(const char *set, sr_error *err)
{
    sr_override ov;
    cr_assert_eq(sr_override_parse(set, &ov, err), 0, "%s", err->msg);
    sr_scenario *sc = sr_scenario_load_text("x.yaml", at_limits, strlen(at_limits), &ov, 1,
                                            err);
    sr_override_clear(&ov);
    return sc;
}

static void expect_refused(const char *set, const char *fragment)
{
    sr_error err = {0};
    sr_scenario *sc = load_set(set, &err);
    cr_expect_null(sc, "--set %s was accepted", set);
    sr_scenario_free(sc);
    cr_expect_eq(err.code, SR_EXIT_DATAERR, "--set %s: exit %d", set, err.code);
    cr_expect_not_null(strstr(err.msg, fragment), "--set %s:\n  %s\nlacks\n  %s", set, err.msg,
                       fragment);
}

Test(limits, the_scenario_at_every_limit_is_valid)
{
    sr_model *m = sr_test_model(at_limits);
    sr_model_free(m);
}

/* Each unbounded key, just beyond its limit, is refused and named. */
Test(limits, every_amount_hazard_multiplier_and_rate_is_limited)
{
    static const char amount[] = "must lie within [-1e+12, 1e+12] so that no sum or product "
                                 "of a run can overflow, got ";
    static const char nonneg[] = "must lie within [0, 1e+12] so that no sum or product of a "
                                 "run can overflow, got ";
    static const char rate[] = "must lie within [-0.9, 10] so that discount and indexation "
                               "factors over the horizon stay finite, got ";
    const char *cases[][2] = {
        {"cashflows.employed.municipality=1e308", amount},
        {"cashflows.outside.state=-1.5e12", amount},
        {"strata[1].cashflows.outside.municipality=2e12", amount},
        {"transitions[0].cashflow.state=1.1e12", amount},
        {"programmes[1].contract.outcomes[0].price=1e13", amount},
        {"programmes[1].contract.baseline.expenditure_per_person_month.state=-1e13", amount},
        {"programmes[0].intervention.costs.per_participant=1e300", nonneg},
        {"programmes[0].intervention.costs.fixed_per_year=2e12", nonneg},
        {"programmes[0].intervention.costs.per_participant_month=2e12", nonneg},
        {"programmes[1].contract.cap_total=2e12", nonneg},
        {"programmes[0].contract.annual_frame=2e12", nonneg},
        {"transitions[1].hazard=1e13", nonneg},
        {"transitions[0].by_tenure[1][1]=2e12", nonneg},
        {"strata[0].multiply.outside->employed=2e12", nonneg},
        {"strata[0].effect_multiplier=2e12", nonneg},
        {"programmes[1].intervention.effect.hazard_ratio=2e12", nonneg},
        {"macro.recession.pro=2e12", nonneg},
        {"discount.public=-0.95", rate},
        {"discount.investor=10.5", rate},
        {"indexation=11", rate},
        {"programmes[0].financing.surplus.cap_irr=-0.91", rate},
        {"programmes[0].intervention.effect.scale.elasticity=10.5",
         "must lie within [-10, 10] so that the size-scaled hazard ratio stays finite, got "},
        {"programmes[0].intervention.effect.scale.reference_size=0.5",
         "must lie within [1, 1e+12] so that the size-scaled hazard ratio stays finite, got "},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char fragment[256];
        const char *path = cases[k][0], *eq = strchr(path, '=');
        snprintf(fragment, sizeof fragment, "--set %s: %.*s: %s", path, (int)(eq - path), path,
                 cases[k][1]);
        expect_refused(path, fragment);
    }
}

/* A distribution is limited by the values it can take: its quantiles at the extreme
 * uniforms a trial draws, and its mean (the deterministic expectation's value). */
Test(limits, a_distribution_is_limited_by_its_draws_and_mean)
{
    /* normal(0, 2e11) draws reach 8.1 sd = 1.64e12: refused, with the span */
    expect_refused("cashflows.employed.state={dist: normal, mean: 0, sd: 2e11}",
                   "cashflows.employed.state: must lie within [-1e+12, 1e+12] so that no sum or "
                   "product of a run can overflow, but a normal distribution spans -1.64e+12 to "
                   "1.64e+12 (its draws and mean) (bound it with min/max)");
    /* the same bounded by min and max, and a gamma cost: accepted */
    sr_error err = {0};
    sr_scenario *sc = load_set("cashflows.employed.state={dist: normal, mean: 0, sd: 2e11, "
                               "min: -1e12, max: 1e12}", &err);
    cr_expect_not_null(sc, "%s", err.msg);
    sr_scenario_free(sc);
    sc = load_set("programmes[0].intervention.costs.per_participant={dist: gamma, mean: 5000, "
                  "sd: 1000}", &err);
    cr_expect_not_null(sc, "%s", err.msg);
    sr_scenario_free(sc);
    /* a named parameter is checked where it is used: a hazard ratio up to 2e12 */
    expect_refused("parameters.hr={dist: uniform, min: 0, max: 2e12}",
                   "x.yaml:28:64: programmes[0].intervention.effect.hazard_ratio: must lie "
                   "within [0, 1e+12] so that no sum or product of a run can overflow, but the "
                   "parameter's uniform distribution spans 0.000222 to 2e+12 (its draws and "
                   "mean), got $hr");
    /* a lognormal whose draws stay below 1e12 but whose mean (e^(mu + sigma^2 / 2), sigma
     * 18.2) is 1.5e92: refused for its mean */
    expect_refused("cashflows.employed.municipality={dist: lognormal, median: 1e-54, p95: 1e-41}",
                   "cashflows.employed.municipality: must lie within [-1e+12, 1e+12] so that no "
                   "sum or product of a run can overflow, but a lognormal distribution spans ");
}

/* The value from the report (1e308 DKK per person-month, accepted before: 19 of 20 trials
 * turned infinite or NaN) is refused at its place in the file, with no result file. */
Test(limits, a_cash_flow_of_1e308_is_refused_at_its_place_in_the_file)
{
    const char *y =
        "name: huge\n"
        "simulation: {trials: 20, seed: 3, start: 2027-01, horizon_years: 3}\n"
        "discount: {public: 0.035, investor: 0.05}\n"
        "states: [{name: outside}, {name: employed}]\n"
        "transitions: [{from: outside, to: employed, hazard: 0.02}]\n"
        "cashflows:\n"
        "  outside: {municipality: 9000, state: 2500}\n"
        "  employed: {municipality: 1e308, state: -3500}\n"
        "programmes:\n"
        "  - name: town\n"
        "    cohort: {size: 300, intake: {start: 2027-01, months: 6}, initial_state: outside}\n";
    sr_test_expect_failure(y, true, "run small.yaml", 65,
                           "small.yaml:8:28: cashflows.employed.municipality: must lie within "
                           "[-1e+12, 1e+12] so that no sum or product of a run can overflow, "
                           "got 1e308");
}

/* A run with every input at its limit: every trial of every metric finite (but the NaN
 * that a portfolio mixing effect units, an IRR without a root or a missing measurement
 * gives), values up to 1e225 DKK among them, and the file's n_infinite and n_nan count
 * what the trials hold. */
Test(limits, a_run_at_every_limit_stays_finite_and_its_file_counts_what_is_not)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "limits.yaml", at_limits));
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s run limits.yaml -o l.h5 --quiet", dir, BIN),
                         NULL, &err);
    cr_assert_eq(rc, 0, "%s", err);
    free(err);
    const char *check =
        "import h5py, numpy as np\n"
        "f = h5py.File('l.h5', 'r')\n"
        "largest = 0.0\n"
        "for level in [f] + [f['programmes'][p] for p in f['programmes']]:\n"
        "    for name in level['trials']:\n"
        "        x = level['trials'][name][()]\n"
        "        s = level['summary'][name].attrs\n"
        "        assert s['n_infinite'] == np.isinf(x).sum(), (level.name, name)\n"
        "        assert s['n_nan'] == np.isnan(x).sum(), (level.name, name)\n"
        "        assert not np.isinf(x).any(), (level.name, name, x)\n"
        "        finite = x[np.isfinite(x)]\n"
        "        if finite.size:\n"
        "            largest = max(largest, np.abs(finite).max())\n"
        "assert largest > 1e200, largest\n"
        "print('ok')\n";
    sr_test_python(dir, check);
    sr_test_remove_dir(dir);
}
