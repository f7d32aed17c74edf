/* A contract's measurement from cumulative quantities (models/measure.h): hand-computed
 * amounts due under each baseline, the evaluation's test, outcomes_paid, and one trial
 * settled end to end. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "models/measure.h"

static const double price[2] = {100.0, 50.0};
static const double rates[2] = {0.25, 0.5};

static sr_measure_terms rate_card(sr_baseline_method baseline)
{
    return (sr_measure_terms){
        .type = SR_CONTRACT_RATE_CARD,
        .baseline = baseline,
        .has_control = baseline == SR_BASELINE_CONTROL,
        .n_outcomes = 2,
        .price = price,
        .historical_rate = rates,
        .control_size = 50,
        .treated_size = 100,
    };
}

/* 80 enrolled; achievements treated {30, 50}, counterfactual {20, 45}, control {8, 20} of
 * 40 enrolled in the control group. */
static const double treated[2] = {30, 50}, counterfactual[2] = {20, 45}, control[2] = {8, 20};

static sr_measure_point point(void)
{
    return (sr_measure_point){
        .enrolled = 80,
        .person_months = 900,
        .control_enrolled = 40,
        .treated = treated,
        .counterfactual = counterfactual,
        .control = control,
    };
}

Test(measure, rate_card_under_each_baseline)
{
    double measured[2], due, due_true;
    const sr_measure_point x = point();
    /* true: 100 * 10 + 50 * 5 = 1250 whatever the baseline */
    sr_measure_terms c = rate_card(SR_BASELINE_NONE);
    sr_measure_due(&c, &x, measured, &due, &due_true);
    cr_assert_eq(measured[0], 30);
    cr_assert_eq(measured[1], 50);
    cr_assert_eq(due, 100 * 30 + 50 * 50);
    cr_assert_eq(due_true, 1250);
    /* historical: baseline rate x 80 enrolled = 20 and 40 */
    c = rate_card(SR_BASELINE_HISTORICAL);
    sr_measure_due(&c, &x, measured, &due, &due_true);
    cr_assert_eq(measured[0], 10);
    cr_assert_eq(measured[1], 10);
    cr_assert_eq(due, 1500);
    cr_assert_eq(due_true, 1250);
    /* control: 8 / 50 x 100 = 16 and 40 */
    c = rate_card(SR_BASELINE_CONTROL);
    sr_measure_due(&c, &x, measured, &due, &due_true);
    cr_assert_eq(measured[0], 14);
    cr_assert_eq(measured[1], 10);
    cr_assert_eq(due, 1900);
}

Test(measure, savings_share_historical)
{
    const sr_measure_terms c = {
        .type = SR_CONTRACT_SAVINGS_SHARE,
        .baseline = SR_BASELINE_HISTORICAL,
        .share = 0.5,
        .historical_expenditure = 100,
        .treated_size = 100,
    };
    sr_measure_point x = point();
    x.expenditure_treated = 70000;
    x.expenditure_counterfactual = 86000;
    double measured[1], due, due_true;
    sr_measure_due(&c, &x, measured, &due, &due_true);
    cr_assert_eq(measured[0], 900 * 100 - 70000);   /* 20,000 against 16,000 true */
    cr_assert_eq(due, 10000);
    cr_assert_eq(due_true, 8000);
}

Test(measure, evaluation_against_the_control_group_and_a_historical_rate)
{
    double measured[2];
    sr_measure_evaluation e;
    const sr_measure_point x = point();
    sr_measure_terms c = rate_card(SR_BASELINE_CONTROL);
    sr_measure_evaluate(&c, &x, measured, &e);
    cr_assert_float_eq(e.effect_true, 15.0 / 80, 1e-15);
    cr_assert_float_eq(e.effect_measured, 24.0 / 80, 1e-15);
    /* outcome 0 (priced highest): 30/80 against 8/40: z = 0.175 / 0.0857 = 2.04 > 1.645 */
    cr_assert_eq(e.significant, 1.0);
    c = rate_card(SR_BASELINE_HISTORICAL);
    sr_measure_evaluate(&c, &x, measured, &e);
    /* 0.375 against 0.25: z = 0.125 / sqrt(0.1875 / 80) = 2.58 */
    cr_assert_eq(e.significant, 1.0);
    c = rate_card(SR_BASELINE_NONE);
    sr_measure_evaluate(&c, &x, measured, &e);
    cr_assert(isnan(e.significant));
}

Test(measure, outcomes_paid_shares_the_payment_by_price)
{
    double measured[2];
    const sr_measure_point x = point();
    const sr_measure_terms c = rate_card(SR_BASELINE_CONTROL);
    /* weights 100 x 14 = 1400 and 50 x 10 = 500; 950 paid: 700 / 100 + 250 / 50 = 12 */
    cr_assert_float_eq(sr_measure_outcomes_paid(&c, &x, 1900, 950, measured), 12.0, 1e-12);
    cr_assert_eq(sr_measure_outcomes_paid(&c, &x, 0, 950, measured), 0.0);
    cr_assert_eq(sr_measure_outcomes_paid(&c, &x, 1900, 0, measured), 0.0);
}

Test(measure, best_year_stops_at_the_termination)
{
    const double due[3] = {5, 9, 12};
    const size_t settle[3] = {14, 26, 38};
    cr_assert_eq(sr_measure_best_year(3, due, settle, SR_SETTLE_NEVER), 2);
    cr_assert_eq(sr_measure_best_year(3, due, settle, 30), 1);
    cr_assert_eq(sr_measure_best_year(3, due, settle, 10), SIZE_MAX);
}

/* Two budget years, baseline none, frame 2000 deferred, discount 0: the dues 750 and 5,500
 * pay 750, then 2,000, then the deferred 2,750 in two settlements after the term. */
Test(measure, one_trial_settled)
{
    const double t0[2] = {5, 5}, c0[2] = {2, 5}, t1[2] = {35, 40}, c1[2] = {20, 40};
    sr_measure_point points[2] = {point(), point()};
    points[0].treated = t0;
    points[0].counterfactual = c0;
    points[1].treated = t1;
    points[1].counterfactual = c1;
    const sr_measure_terms c = rate_card(SR_BASELINE_NONE);
    const size_t settle[2] = {14, 26};
    double due[2], due_true[2], measured[2];
    size_t month[2][8];
    double payment[2][8];
    sr_measure_scratch w = {
        .due = due, .due_true = due_true, .measured = measured,
        .settlement = {.capacity = 8, .month = month[0], .payment = payment[0]},
        .settlement_true = {.capacity = 8, .month = month[1], .payment = payment[1]},
    };
    const sr_settle_terms terms = {.annual_frame = 2000, .cap_total = INFINITY,
                                   .overflow = SR_OVERFLOW_DEFERRED,
                                   .termination_month = SR_SETTLE_NEVER};
    sr_measure_result r;
    sr_measure_contract(&c, &terms, 2, points, settle, 0.0, &w, &r);
    cr_assert_eq(due[0], 100 * 5 + 50 * 5);
    cr_assert_eq(due[1], 100 * 35 + 50 * 40);
    cr_assert_eq(w.settlement.n, 4);
    cr_assert_eq(w.settlement.paid, 5500);
    cr_assert_eq(w.settlement.month[3], 26 + 24);
    cr_assert_float_eq(r.payments, 5500, 1e-9);
    /* true dues 300 and 1,500: 1,500 paid in all */
    cr_assert_float_eq(r.overpayment, 5500 - 1500, 1e-9);
    cr_assert_eq(r.outcomes_treated, 75);
    cr_assert_eq(r.outcomes_attributable, 15);
    /* weights 3500 and 2000: 5500 x 3500/5500 / 100 + 5500 x 2000/5500 / 50 = 35 + 40 */
    cr_assert_float_eq(r.outcomes_paid, 75, 1e-12);
    cr_assert_float_eq(r.evaluation.effect_true, 15.0 / 80, 1e-15);
}
