/* The paying budget's year-by-year view (docs/results.md, yearly flows and budget years):
 * every trial's yearly flows add up to its totals and its net results to their parts,
 * payback years by hand, the investors' IRR ranking every trial, termination per trial,
 * and the budget-year table as run and summary print it. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/budget.h"
#include "models/finance.h"
#include "models/summary.h"
#include "sim/engine/run.h"
#include "support.h"

/* Two programmes, one paid for by the municipality (a rate card measured against a
 * control group) and one by the state (a savings share with a historical baseline), with
 * termination, a frame that defers payments past the horizon (the term ends at it, and
 * the lag puts the last settlement after it) and a guarantee. {discount} is filled in. */
static const char *const two_payers =
    "name: budget\n"
    "simulation: {trials: 300, seed: 5, start: 2027-04, horizon_years: 5}\n"
    "discount: %s\n"
    SR_TEST_STATES
    "  - {from: outside, to: employed, hazard: 0.03}\n"
    "  - {from: employed, to: outside, hazard: 0.05}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.002}\n"
    "cashflows:\n"
    "  outside: {municipality: 9000, state: 2500}\n"
    "  employed: {municipality: -4000, state: -2000}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: 400, intake: {start: 2027-04, months: 6}, initial_state: outside,\n"
    "             initial_tenure: 12}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.6, months: 12}\n"
    "      costs: {per_participant: 20000, fixed_per_year: 300000}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes: [{name: job, state: employed, tenure: 6, price: 90000}]\n"
    "      baseline: {method: control_group, size: 200}\n"
    "      term_years: 5\n"
    "      annual_frame: 1500000\n"
    "      lag_months: 6\n"
    "      termination: {hazard_per_year: 0.1}\n"
    "    financing: {guarantee: {first_loss: 0.3}}\n"
    "  - name: region\n"
    "    cohort: {size: 300, intake: {start: 2027-06, months: 3}, initial_state: outside,\n"
    "             initial_tenure: 12}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.4, months: 12}\n"
    "      costs: {per_participant: 15000}\n"
    "    contract:\n"
    "      payer: state\n"
    "      type: savings_share\n"
    "      share: 0.6\n"
    "      baseline: {method: historical, expenditure_per_person_month:\n"
    "                 {municipality: 8000, state: 2400}}\n"
    "      term_years: 4\n"
    "      lag_months: 3\n";

static sr_resultset *run_two_payers(const char *discount, sr_model **model)
{
    char text[8192];
    snprintf(text, sizeof text, two_payers, discount);
    *model = sr_test_model(text);
    return sr_test_run_model(*model, 2);
}

static const sr_metric annual[] = {
    SR_M_SAVINGS_MUNICIPALITY, SR_M_SAVINGS_STATE, SR_M_SAVINGS_TOTAL,
    SR_M_EXP_TREATED_MUNICIPALITY, SR_M_EXP_COUNTERFACTUAL_MUNICIPALITY,
    SR_M_EXP_TREATED_STATE, SR_M_EXP_COUNTERFACTUAL_STATE, SR_M_PROGRAMME_COST,
    SR_M_PAYMENTS, SR_M_PAYER_NET_SIB, SR_M_PAYER_NET_SELFFUND};
#define N_ANNUAL (sizeof annual / sizeof *annual)

/* Every trial's columns of valuation k add up to its value of each annual metric, to the
 * rounding of a sum of some hundred terms of either sign. */
static void expect_rows_add_up(const sr_resultset *rs, const sr_level *lv, sr_valuation k,
                               const char *what)
{
    const size_t n_cols = sr_yearly_columns(rs->n_years);
    for (size_t a = 0; a < N_ANNUAL; a++)
        for (size_t i = 0; i < rs->n_trials; i++) {
            const double *row = sr_level_yearly(lv, rs->n_trials, rs->n_years, annual[a], k, i);
            double sum = 0.0, scale = 1.0;
            for (size_t y = 0; y < n_cols; y++) {
                sum += row[y];
                scale += fabs(row[y]);
            }
            const double total = sr_level_trials(lv, rs->n_trials, annual[a])[i];
            cr_assert_float_eq(sum, total, 1e-12 * scale, "%s, %s, trial %zu: years %.17g, "
                               "total %.17g", what, sr_metrics[annual[a]].name, i, sum, total);
        }
}

/* Runs the scenario at the discount rates given and checks every level's rows valued as
 * k; returns the result set. */
static sr_resultset *expect_levels_add_up(const char *discount, sr_valuation k, sr_model **m)
{
    sr_resultset *rs = run_two_payers(discount, m);
    expect_rows_add_up(rs, &rs->portfolio, k, "portfolio");
    for (size_t p = 0; p < rs->n_programmes; p++)
        expect_rows_add_up(rs, &rs->programme[p], k, "programme");
    return rs;
}

Test(budget, present_values_of_the_years_add_up_to_every_trials_totals)
{
    sr_model *m;
    sr_resultset *rs = expect_levels_add_up("{public: 0.04, investor: 0.06}", SR_PRESENT_VALUE,
                                            &m);
    /* some trials settle after the horizon: the last column holds them */
    double after = 0.0;
    for (size_t i = 0; i < rs->n_trials; i++)
        after += sr_level_annual(&rs->programme[0], rs->n_trials, rs->n_years, SR_M_PAYMENTS,
                                 i)[rs->n_years];
    cr_assert_gt(after, 0.0, "no settlement after the horizon: the test does not test it");
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* At a discount rate of 0 a present value is the nominal sum: the nominal years add up. */
Test(budget, nominal_years_add_up_to_every_trials_totals)
{
    sr_model *m;
    sr_resultset *rs = expect_levels_add_up("{public: 0, investor: 0}", SR_NOMINAL, &m);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* In every trial and column, each valuation: net = the payer's savings - cost or payments,
 * exactly; the portfolio's the sum of its programmes', each with its own payer. */
Test(budget, the_yearly_net_equals_its_parts_in_every_trial)
{
    sr_model *m;
    sr_resultset *rs = run_two_payers("{public: 0.035, investor: 0.05}", &m);
    const size_t n = rs->n_trials, Y = rs->n_years, n_cols = sr_yearly_columns(Y);
    const sr_metric savings[2] = {SR_M_SAVINGS_MUNICIPALITY, SR_M_SAVINGS_STATE};
    cr_assert_eq(rs->programme[0].payer, SR_MUNICIPALITY);
    cr_assert_eq(rs->programme[1].payer, SR_STATE);
    cr_assert_eq(rs->portfolio.payer, SR_PAYERS);
    for (size_t k = 0; k < SR_VALUATIONS; k++)
        for (size_t i = 0; i < n; i++) {
            const sr_valuation v = (sr_valuation)k;
            for (size_t p = 0; p < 2; p++) {
                const sr_level *lv = &rs->programme[p];
                const double *saved = sr_level_yearly(lv, n, Y, savings[p], v, i);
                const double *cost = sr_level_yearly(lv, n, Y, SR_M_PROGRAMME_COST, v, i);
                const double *paid = sr_level_yearly(lv, n, Y, SR_M_PAYMENTS, v, i);
                const double *selffund = sr_level_yearly(lv, n, Y, SR_M_PAYER_NET_SELFFUND, v, i);
                const double *sib = sr_level_yearly(lv, n, Y, SR_M_PAYER_NET_SIB, v, i);
                for (size_t y = 0; y < n_cols; y++) {
                    cr_assert_eq(selffund[y], saved[y] - cost[y], "trial %zu year %zu", i, y);
                    cr_assert_eq(sib[y], saved[y] - paid[y], "trial %zu year %zu", i, y);
                }
            }
            for (size_t j = 0; j < 2; j++) {
                const sr_metric net = j == 0 ? SR_M_PAYER_NET_SELFFUND : SR_M_PAYER_NET_SIB;
                const double *whole = sr_level_yearly(&rs->portfolio, n, Y, net, v, i);
                const double *a = sr_level_yearly(&rs->programme[0], n, Y, net, v, i);
                const double *b = sr_level_yearly(&rs->programme[1], n, Y, net, v, i);
                for (size_t y = 0; y < n_cols; y++)
                    cr_assert_eq(whole[y], a[y] + b[y], "trial %zu year %zu", i, y);
            }
        }
    sr_resultset_free(rs);
    sr_model_free(m);
}

Test(budget, payback_year_by_hand)
{
    /* cumulative -5, -2, 1, -1, 3: it turns at year 2 but dips again; stays from year 4 */
    const double dip[] = {-5, 3, 3, -2, 4};
    cr_assert_eq(sr_payback_year(dip, 5), 4);
    /* 1, -1, 4: from year 2 */
    const double late[] = {1, -2, 5};
    cr_assert_eq(sr_payback_year(late, 3), 2);
    /* never negative: from the first year; 0 counts as paid back */
    const double never_negative[] = {0, 2, -2};
    cr_assert_eq(sr_payback_year(never_negative, 3), 0);
    /* -1, -2: never */
    const double short_of_it[] = {-1, -1};
    cr_assert_eq(sr_payback_year(short_of_it, 2), SR_NEVER);
    /* back to exactly 0 in the last year counts */
    const double exact[] = {-3, 1, 2};
    cr_assert_eq(sr_payback_year(exact, 3), 2);
    cr_assert_eq(sr_payback_year(exact, 0), SR_NEVER);
}

/* The stored payback years are those of the stored nominal yearly net results (within the
 * horizon), in every trial and at every level; NaN when they never pay back. */
Test(budget, payback_years_follow_the_yearly_net_of_every_trial)
{
    sr_model *m;
    sr_resultset *rs = run_two_payers("{public: 0.035, investor: 0.05}", &m);
    const size_t n = rs->n_trials, Y = rs->n_years;
    const sr_metric net[2] = {SR_M_PAYER_NET_SELFFUND, SR_M_PAYER_NET_SIB};
    const sr_metric payback[2] = {SR_M_PAYBACK_YEAR_SELFFUND, SR_M_PAYBACK_YEAR_SIB};
    size_t never = 0, paid_back = 0;
    for (size_t level = 0; level <= rs->n_programmes; level++) {
        const sr_level *lv = level == 0 ? &rs->portfolio : &rs->programme[level - 1];
        for (size_t j = 0; j < 2; j++)
            for (size_t i = 0; i < n; i++) {
                const double *row = sr_level_annual(lv, n, Y, net[j], i);
                double cumulative = 0.0, last_negative = -1.0;
                for (size_t y = 0; y < Y; y++) {
                    cumulative += row[y];
                    if (cumulative < 0.0)
                        last_negative = (double)y;
                }
                const double got = sr_level_trials(lv, n, payback[j])[i];
                if (last_negative == (double)Y - 1) {
                    cr_assert(isnan(got), "trial %zu: %g", i, got);
                    never++;
                } else {
                    cr_assert_eq(got, rs->first_year + last_negative + 1.0, "trial %zu", i);
                    paid_back++;
                }
            }
    }
    cr_assert(never > 0 && paid_back > 0, "never %zu, paid back %zu", never, paid_back);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* Termination per trial: a month within the horizon, or NaN; nothing is settled from that
 * month on (no payment in a later calendar year); the portfolio's is the earliest. */
Test(budget, termination_month_per_trial)
{
    sr_model *m;
    sr_resultset *rs = run_two_payers("{public: 0.035, investor: 0.05}", &m);
    const size_t n = rs->n_trials, Y = rs->n_years;
    const double *town = sr_level_trials(&rs->programme[0], n, SR_M_TERMINATION_MONTH);
    const double *region = sr_level_trials(&rs->programme[1], n, SR_M_TERMINATION_MONTH);
    const double *whole = sr_level_trials(&rs->portfolio, n, SR_M_TERMINATION_MONTH);
    size_t terminated = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert(isnan(region[i]), "the region's contract has no termination clause");
        if (isnan(town[i])) {
            cr_assert(isnan(whole[i]));
            continue;
        }
        terminated++;
        cr_assert(town[i] >= 0 && town[i] < m->n_months && town[i] == floor(town[i]));
        cr_assert_eq(whole[i], town[i]);
        /* month t falls in calendar year column (start_month - 1 + t) / 12 */
        const size_t year = (size_t)((m->start_month - 1 + town[i]) / 12);
        const double *paid = sr_level_annual(&rs->programme[0], n, Y, SR_M_PAYMENTS, i);
        for (size_t y = year + 1; y <= Y; y++)
            cr_assert_eq(paid[y], 0.0, "trial %zu cancelled in month %g paid in column %zu",
                         i, town[i], y);
    }
    /* P(cancelled within 5 years) = 1 - exp(-0.5) = 0.393: 4.5 standard errors */
    const double p = 1.0 - exp(-0.5), se = sqrt(p * (1 - p) / (double)n);
    cr_assert_float_eq((double)terminated / (double)n, p, 4.5 * se);
    sr_resultset_free(rs);
    sr_model_free(m);
}

/* ---- the investors' IRR ---------------------------------------------------------------- */

/* The summary of metric k over the portfolio's trials. */
static sr_summary summary_of(const sr_resultset *rs, sr_metric k)
{
    double *scratch = malloc(rs->n_trials * sizeof *scratch);
    sr_summary s;
    sr_summary_compute(sr_level_trials(&rs->portfolio, rs->n_trials, k), rs->n_trials, scratch,
                       &s);
    free(scratch);
    return s;
}

/* The shipped scenario's contract with first loss f (0: a guarantee that pays nothing)
 * and no surplus cap, which would cap the gains that a guarantee cannot move. */
static sr_resultset *run_guarantee(double f)
{
    char financing[64];
    snprintf(financing, sizeof financing, "{guarantee: {first_loss: %g}}", f);
    sr_override o[] = {{.path = "simulation.trials", .value = "600"},
                       {.path = "programmes[0].financing", .value = financing}};
    sr_error err = {0};
    sr_scenario *sc = sr_scenario_load(SIRISK_SOURCE_DIR "/scenarios/default.yaml", o, 2, &err);
    cr_assert_not_null(sc, "%s", err.msg);
    sr_model *m = sr_test_take_model(sc);
    sr_resultset *rs = sr_test_run_model(m, 2);
    sr_model_free(m);
    return rs;
}

/* Every trial has an IRR, below 0 exactly when the investors lost, so that its p_negative
 * is P(loss); and a first-loss guarantee never lowers its 5% quantile nor its median, as
 * it never lowers any trial's receipts (docs/model.md). */
Test(budget, irr_ranks_every_trial_and_a_guarantee_never_lowers_its_tail)
{
    const double first_loss[] = {0, 0.2, 0.4, 0.6, 0.8, 1};
    double q05_before = -INFINITY, q50_before = -INFINITY;
    for (size_t k = 0; k < sizeof first_loss / sizeof *first_loss; k++) {
        sr_resultset *rs = run_guarantee(first_loss[k]);
        const sr_summary irr = summary_of(rs, SR_M_INVESTOR_IRR);
        const sr_summary loss = summary_of(rs, SR_M_INVESTOR_LOSS);
        cr_assert_eq(irr.n_nan, 0, "first loss %g", first_loss[k]);
        cr_assert_eq(irr.p_negative, loss.mean, "first loss %g: P(IRR < 0) %g, P(loss) %g",
                     first_loss[k], irr.p_negative, loss.mean);
        const double *x = sr_level_trials(&rs->portfolio, rs->n_trials, SR_M_INVESTOR_IRR);
        const double *lost = sr_level_trials(&rs->portfolio, rs->n_trials, SR_M_INVESTOR_LOSS);
        size_t no_root = 0;
        for (size_t i = 0; i < rs->n_trials; i++) {
            cr_assert_eq(x[i] < 0, lost[i] == 1, "trial %zu", i);
            no_root += x[i] == SR_IRR_LOSS_NO_ROOT;
        }
        if (first_loss[k] == 0)
            cr_assert_gt(no_root, rs->n_trials / 10, "near-total losses without a root: %zu",
                         no_root);
        if (first_loss[k] == 1)
            cr_assert_eq(loss.mean, 0.0, "a full guarantee leaves no loss");
        cr_assert_geq(irr.q[SR_Q05], q05_before, "first loss %g: q05 %g after %g",
                      first_loss[k], irr.q[SR_Q05], q05_before);
        cr_assert_geq(irr.q[SR_Q50], q50_before, "first loss %g", first_loss[k]);
        q05_before = irr.q[SR_Q05];
        q50_before = irr.q[SR_Q50];
        sr_resultset_free(rs);
    }
    cr_assert_gt(q05_before, -1.0, "the 5%% quantile never rose from -1");
}

/* ---- what run and summary print ---------------------------------------------------------- */

/* The budget-year table and the decision table name the paying budget: the state here;
 * summary prints what run printed. */
Test(budget, run_and_summary_print_the_budget_years_of_the_payer)
{
    char *dir = sr_test_tmpdir();
    char text[8192];
    snprintf(text, sizeof text, two_payers, "{public: 0.035, investor: 0.05}");
    /* the region alone: the state pays */
    char *cut = strstr(text, "  - name: town\n"), *region = strstr(text, "  - name: region\n");
    memmove(cut, region, strlen(region) + 1);
    char *path = sr_test_write_file(dir, "state.yaml", text);
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s run state.yaml -o s.h5 --threads 2", dir,
                                     SIRISK_BINARY), &out, &err);
    cr_assert_eq(rc, 0, "%s", err);
    const char *expected[] = {
        "decision (the paying budget: the state; mDKK",
        "fund it itself: the state's savings - programme cost",
        "pay by results: the state's savings - payments",
        "budget years (the paying budget: the state; nominal mDKK in each calendar year",
        "\n  2027 ", "\n  2031 ", "\n  after ", "   (settlements after the horizon)\n",
        "payback year (the first year from which the cumulative net stays >= 0",
        "\n  never ",
        "  IRR: ", " trials have no root in [-0.99, 10] a year: ",
    };
    for (size_t k = 0; k < sizeof expected / sizeof *expected; k++)
        cr_expect_not_null(strstr(out, expected[k]), "missing '%s'", expected[k]);
    char *summary = NULL;
    rc = sr_test_run(sr_test_cmd("cd %s && %s summary s.h5", dir, SIRISK_BINARY), &summary,
                     NULL);
    cr_assert_eq(rc, 0);
    const char *table = strstr(out, "result set  s.h5");
    cr_assert_not_null(table);
    cr_expect_str_eq(summary, table, "summary prints what run printed");
    free(summary);
    free(out);
    free(err);
    free(path);
    sr_test_remove_dir(dir);
}

/* A file of format 1 (the fuzzers' former seed, kept as written then) holds the paying
 * budget's net results under their former names: summary still shows its decision table. */
Test(budget, summary_reads_a_format_1_file_under_the_former_names)
{
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("%s summary %s/tests/data/format1_decision.h5",
                                     SIRISK_BINARY, SIRISK_SOURCE_DIR), &out, &err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect_not_null(strstr(out, "decision (the paying budget; mDKK"), "%s", out);
    cr_expect_not_null(strstr(out, "  fund it itself: savings - programme cost        "
                                   "                   -0.08 "), "%s", out);
    cr_expect_not_null(strstr(out, "  pay by results: savings - payments              "
                                   "                   -0.09 "), "%s", out);
    cr_expect_null(strstr(out, "budget years"), "a format-1 file has no budget table");
    free(out);
    free(err);
}

/* A stress file's summary: the investors' P(loss), IRR median and 5% quantile per stress
 * with their changes, and, for a portfolio, each stress's diversification block. */
Test(budget, stress_summary_shows_investors_and_diversification_per_stress)
{
    char *dir = sr_test_tmpdir();
    char text[8192];
    snprintf(text, sizeof text, two_payers, "{public: 0.035, investor: 0.05}");
    strcat(text, "stresses: {dearer: {\"programmes[0].intervention.costs.per_participant\": "
                 "40000}}\n");
    char *path = sr_test_write_file(dir, "two.yaml", text);
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s stress two.yaml --trials 60 -o s.h5", dir,
                                     SIRISK_BINARY), &out, &err);
    cr_assert_eq(rc, 0, "%s", err);
    const char *expected[] = {
        "\ninvestors per stress (portfolio; change against base; IRR per year, every trial "
        "ranked)\n",
        "\n  base                         ", "\n  dearer                       ",
        "\ndiversification (es95: mean of the worst 5% of trials, mDKK)\n",
        "\ndiversification under stress dearer (es95: mean of the worst 5% of trials, mDKK)\n",
    };
    for (size_t k = 0; k < sizeof expected / sizeof *expected; k++)
        cr_expect_not_null(strstr(out, expected[k]), "missing '%s':\n%s", expected[k], out);
    /* a dearer programme loses the investors more: P(loss) rises, or stays at 1 */
    const char *investors = strstr(out, "investors per stress");
    cr_assert_not_null(investors);
    const char *row = strstr(investors, "\n  dearer ");
    cr_assert_not_null(row);
    double p_loss = NAN, change = NAN;
    cr_assert_eq(sscanf(row, " dearer %lf %lf", &p_loss, &change), 2, "%s", row);
    cr_expect(change >= 0.0 && p_loss <= 1.0, "P(loss) %g, change %g", p_loss, change);
    free(out);
    free(err);
    free(path);
    sr_test_remove_dir(dir);
}
