/* The metric table (models/metric.h): complete rows, the orders the reports pick metrics
 * in, and the engine adding programmes up by the table's flag. */
#include <criterion/criterion.h>
#include <string.h>

#include "models/metric.h"
#include "sim/engine/run.h"
#include "sim/scenario/scenario.h"
#include "support.h"

Test(metric, every_row_has_a_unique_name_units_and_a_description)
{
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        const sr_metric_def *d = &sr_metrics[m];
        cr_assert(d->name != NULL && d->name[0] != '\0', "metric %zu has no name", m);
        cr_assert(strchr(d->name, '/') == NULL, "%s names an HDF5 path", d->name);
        cr_assert(d->units != NULL && d->units[0] != '\0', "%s has no units", d->name);
        cr_assert(d->description != NULL && strlen(d->description) > 20,
                  "%s has no description", d->name);
        for (size_t k = 0; k < m; k++)
            cr_assert_str_neq(sr_metrics[k].name, d->name);
    }
}

/* Every metric a report picks by flag has a rank of its own, and only those have one; a
 * metric named in a sentence (the decision table's rows) has a caption. */
Test(metric, reports_pick_ranked_metrics)
{
    const unsigned picked = SR_METRIC_TAIL | SR_METRIC_STRESS | SR_METRIC_PAYER;
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        const sr_metric_def *d = &sr_metrics[m];
        cr_assert_eq(d->report_rank > 0, (d->flags & picked) != 0, "%s: rank %u", d->name,
                     d->report_rank);
        cr_assert_eq(d->caption != NULL, (d->flags & SR_METRIC_PAYER) != 0, "%s", d->name);
        for (size_t k = 0; k < m && d->report_rank > 0; k++)
            cr_assert_neq(sr_metrics[k].report_rank, d->report_rank, "%s and %s",
                          sr_metrics[k].name, d->name);
    }
}

static void expect_ranked(unsigned flag, const sr_metric *expected, size_t n)
{
    sr_metric got[SR_N_METRICS];
    cr_assert_eq(sr_metrics_ranked(flag, got), n);
    for (size_t k = 0; k < n; k++)
        cr_assert_eq(got[k], expected[k], "row %zu: %s, expected %s", k,
                     sr_metrics[got[k]].name, sr_metrics[expected[k]].name);
}

/* The rows of the printed tables, in the order `sirisk summary` has always printed them
 * (tests/test_h5write.c reads the tables back). */
Test(metric, ranked_lists_are_the_report_rows)
{
    const sr_metric stress[] = {SR_M_SAVINGS_TOTAL,  SR_M_SAVINGS_MUNICIPALITY,
                                SR_M_PROGRAMME_COST, SR_M_EMPLOYED_END_TREATED,
                                SR_M_PAYMENTS,       SR_M_INVESTOR_NPV,
                                SR_M_MUNICIPALITY_NET_SIB};
    const sr_metric tail[] = {SR_M_SAVINGS_TOTAL, SR_M_INVESTOR_NPV, SR_M_MUNICIPALITY_NET_SIB};
    const sr_metric payer[] = {SR_M_MUNICIPALITY_NET_SELFFUND, SR_M_MUNICIPALITY_NET_SIB};
    expect_ranked(SR_METRIC_STRESS, stress, sizeof stress / sizeof *stress);
    expect_ranked(SR_METRIC_TAIL, tail, sizeof tail / sizeof *tail);
    expect_ranked(SR_METRIC_PAYER, payer, sizeof payer / sizeof *payer);
    expect_ranked(0, NULL, 0);
}

/* The portfolio of national.yaml (several programmes, contracts with investors): a metric
 * flagged additive is, trial by trial and year by year, the sum of its programmes' values
 * taken in programme order, to the bit; the investors' returns over the pooled flows are
 * not (their NPV is discounted at the investor rate from one pooled flow, and an IRR of a
 * sum is no sum of IRRs). */
Test(metric, additive_metrics_are_the_sum_of_the_programmes)
{
    sr_override trials = {"simulation.trials", "12"};
    sr_error err = {0};
    sr_scenario *sc = sr_scenario_load(SIRISK_SOURCE_DIR "/scenarios/national.yaml", &trials, 1,
                                       &err);
    cr_assert_not_null(sc, "%s", err.msg);
    const sr_model *m = sc->model;
    cr_assert_gt(m->n_programmes, 1);
    sr_resultset *rs = sr_test_run_model(m, 2);
    const size_t n = rs->n_trials, Y = rs->n_years;
    size_t differ = 0;
    for (size_t k = 0; k < SR_N_METRICS; k++) {
        const sr_metric mk = (sr_metric)k;
        for (size_t i = 0; i < n; i++) {
            double sum = 0.0;
            for (size_t p = 0; p < rs->n_programmes; p++)
                sum += sr_level_trials(&rs->programme[p], n, mk)[i];
            const double whole = sr_level_trials(&rs->portfolio, n, mk)[i];
            if (sr_metric_is(mk, SR_METRIC_ADDITIVE))
                cr_assert_eq(whole, sum, "%s, trial %zu: %.17g, sum %.17g", sr_metrics[k].name,
                             i, whole, sum);
            else
                differ += k == SR_M_INVESTOR_IRR && !(whole == sum);
            for (size_t y = 0; y < Y && sr_metric_is(mk, SR_METRIC_ANNUAL); y++) {
                double year = 0.0;
                for (size_t p = 0; p < rs->n_programmes; p++)
                    year += sr_level_annual(&rs->programme[p], n, Y, mk, i)[y];
                cr_assert_eq(sr_level_annual(&rs->portfolio, n, Y, mk, i)[y], year,
                             "%s, trial %zu, year %zu", sr_metrics[k].name, i, y);
            }
        }
    }
    cr_expect_gt(differ, 0, "the portfolio's IRR is computed, not added");
    sr_resultset_free(rs);
    sr_scenario_free(sc);
}
