/* A contract's measurement and settlement in one trial, from the arms' cumulative
 * quantities at each measured month (measure.h; docs/model.md).
 *
 * Decisions where the model leaves open:
 * - The evaluation's outcome is the highest-priced one, the first of equally priced ones.
 * - A zero standard error decides the test by the sign of the difference.
 * - Rates per enrolled person divide by 1 when nobody has enrolled (the effects are then
 *   0), so a contract terminated before its first intake reports no effect, not NaN. */
#include "measure.h"

#include <math.h>
#include <stdint.h>

/* One-sided 5% critical value of the standard normal. */
static const double z_critical = 1.6448536269514722;

void sr_measure_due(const sr_measure_terms *c, const sr_measure_point *x, double *measured,
                    double *due, double *due_true)
{
    if (c->type == SR_CONTRACT_RATE_CARD) {
        double true_due = 0.0;
        for (size_t o = 0; o < c->n_outcomes; o++) {
            sr_baseline_in b = {
                .counterfactual = 0.0,   /* baseline none: every achieved outcome counts */
                .historical_rate = c->historical_rate[o],
                .exposure = x->enrolled,
                .control = x->control != NULL ? x->control[o] : 0.0,
                .control_size = c->control_size,
                .treated_size = c->treated_size,
            };
            measured[o] = sr_measured_achievements(x->treated[o],
                                                   sr_baseline_value(c->baseline, &b));
            true_due += c->price[o] * (x->treated[o] - x->counterfactual[o]);
        }
        *due = sr_due_rate_card(c->n_outcomes, c->price, measured);
        *due_true = true_due;
        return;
    }
    sr_baseline_in b = {
        .counterfactual = x->expenditure_counterfactual,
        .historical_rate = c->historical_expenditure,
        .exposure = x->person_months,
        .control = x->expenditure_control,
        .control_size = c->control_size,
        .treated_size = c->treated_size,
    };
    measured[0] = sr_measured_savings(sr_baseline_value(c->baseline, &b),
                                      x->expenditure_treated);
    *due = sr_due_savings_share(c->share, measured[0]);
    *due_true = sr_due_savings_share(c->share, x->expenditure_counterfactual -
                                                   x->expenditure_treated);
}

/* The outcome with the highest price (the evaluation's outcome). */
static size_t top_outcome(const sr_measure_terms *c)
{
    size_t best = 0;
    for (size_t o = 1; o < c->n_outcomes; o++)
        if (c->price[o] > c->price[best])
            best = o;
    return best;
}

/* 1 if a one-sided z statistic finds a positive effect at the 5% level. */
static double significant(double difference, double se)
{
    if (se > 0.0)
        return difference / se > z_critical;
    return difference > 0.0;
}

void sr_measure_evaluate(const sr_measure_terms *c, const sr_measure_point *last,
                         double *measured, sr_measure_evaluation *out)
{
    const double n_t = last->enrolled > 0.0 ? last->enrolled : 1.0;
    double truth = 0.0, measured_total = 0.0, due, due_true;
    sr_measure_due(c, last, measured, &due, &due_true);
    if (c->type == SR_CONTRACT_RATE_CARD) {
        for (size_t o = 0; o < c->n_outcomes; o++) {
            truth += last->treated[o] - last->counterfactual[o];
            measured_total += measured[o];
        }
    } else {
        truth = last->expenditure_counterfactual - last->expenditure_treated;
        measured_total = measured[0];
    }
    out->effect_true = truth / n_t;
    out->effect_measured = measured_total / n_t;

    /* The evaluation's rates: the highest-priced outcome's achievements, or the share
     * employed at the term's end. */
    double x_t, x_c = 0.0, p0 = NAN;
    if (c->type == SR_CONTRACT_RATE_CARD) {
        size_t o = top_outcome(c);
        x_t = last->treated[o];
        if (c->has_control)
            x_c = last->control[o];
        p0 = c->historical_rate[o];
    } else {
        x_t = last->employed_treated;
        if (c->has_control)
            x_c = last->employed_control;
    }
    double rate_t = x_t / n_t;
    if (c->baseline == SR_BASELINE_CONTROL && c->has_control) {
        /* The persons actually enrolled: a termination stops both arms' intake. */
        double n_c = last->control_enrolled > 0.0 ? last->control_enrolled : 1.0;
        double rate_c = x_c / n_c;
        double se = sqrt(rate_t * (1.0 - rate_t) / n_t + rate_c * (1.0 - rate_c) / n_c);
        out->significant = significant(rate_t - rate_c, se);
    } else if (c->baseline == SR_BASELINE_HISTORICAL && c->type == SR_CONTRACT_RATE_CARD) {
        out->significant = significant(rate_t - p0, sqrt(p0 * (1.0 - p0) / n_t));
    } else {
        out->significant = NAN;
    }
}

size_t sr_measure_best_year(size_t n_years, const double *due, const size_t *settle,
                            size_t termination_month)
{
    size_t best = SIZE_MAX;
    for (size_t y = 0; y < n_years && settle[y] < termination_month; y++)
        if (best == SIZE_MAX || due[y] > due[best])
            best = y;
    return best;
}

double sr_measure_outcomes_paid(const sr_measure_terms *c, const sr_measure_point *best,
                                double due_best, double paid, double *measured)
{
    if (!(due_best > 0.0) || !(paid > 0.0))
        return 0.0;
    double due, due_true;
    sr_measure_due(c, best, measured, &due, &due_true);
    double weight = 0.0, outcomes = 0.0;
    for (size_t o = 0; o < c->n_outcomes; o++)
        weight += c->price[o] * fmax(0.0, measured[o]);
    for (size_t o = 0; o < c->n_outcomes && weight > 0.0; o++)
        if (c->price[o] > 0.0)
            outcomes += paid * c->price[o] * fmax(0.0, measured[o]) / weight / c->price[o];
    return outcomes;
}

void sr_measure_contract(const sr_measure_terms *c, const sr_settle_terms *terms,
                         size_t n_years, const sr_measure_point *points, const size_t *settle,
                         double discount, sr_measure_scratch *w, sr_measure_result *out)
{
    for (size_t y = 0; y < n_years; y++)
        sr_measure_due(c, &points[y], w->measured, &w->due[y], &w->due_true[y]);
    sr_settle(terms, n_years, w->due, settle, &w->settlement);
    sr_settle(terms, n_years, w->due_true, settle, &w->settlement_true);
    out->payments = sr_settlement_pv(&w->settlement, discount);
    out->overpayment = fmax(0.0, out->payments - sr_settlement_pv(&w->settlement_true,
                                                                    discount));
    /* Outcomes over the term, and those measured at the best settled year. */
    const sr_measure_point *last = &points[n_years - 1];
    out->outcomes_treated = out->outcomes_attributable = out->outcomes_paid = 0.0;
    if (c->type == SR_CONTRACT_RATE_CARD) {
        for (size_t o = 0; o < c->n_outcomes; o++) {
            out->outcomes_treated += last->treated[o];
            out->outcomes_attributable += last->treated[o] - last->counterfactual[o];
        }
        size_t best = sr_measure_best_year(n_years, w->due, settle, terms->termination_month);
        if (best != SIZE_MAX)
            out->outcomes_paid = sr_measure_outcomes_paid(c, &points[best], w->due[best],
                                                          w->settlement.paid, w->measured);
    }
    sr_measure_evaluate(c, last, w->measured, &out->evaluation);
}
