/* What a contract's measurement makes of one trial (docs/model.md, "What is measured" and
 * "What the contract's metrics mean"): the cumulative amount due at each budget year's
 * measured month against the contract's baseline, what the same clauses would owe on the
 * true result, the settlements and their present value, the evaluation's test, and the
 * achievements paid for. Pure: plain numbers in, numbers out; the caller owns every array.
 *
 * The arms' paths reach these functions only as cumulative quantities at each measured
 * month (sr_measure_point): that is all a settlement needs, so a trial's contract can be
 * settled again under other terms (prices, share, frame, cap, lag, termination) from
 * those numbers alone, without simulating the arms again. Money: DKK nominal; persons are
 * counts (fractional in the deterministic expectation). */
#ifndef SR_MEASURE_H
#define SR_MEASURE_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "settlement.h"

/* The arms at one measured month `last`: cumulative quantities over months 0 .. last. */
typedef struct {
    double enrolled;              /* persons enrolled in the treated cohort so far */
    double person_months;         /* treated person-months so far: every person enrolled so
                                   * far counted in every month since their enrolment */
    double control_enrolled;      /* persons enrolled in the control group so far; 0 without */
    /* rate card: cumulative achievements of each outcome, persons, [n_outcomes] each;
     * control is NULL without a control group */
    const double *treated, *counterfactual, *control;
    /* savings share: the payer's cumulative expenditure, DKK nominal; control 0 without */
    double expenditure_treated, expenditure_counterfactual, expenditure_control;
    /* the evaluation of a savings share: persons in the state named `employed` during month
     * last + 1 (after the horizon's last transitions when last is its last month) */
    double employed_treated, employed_control;
} sr_measure_point;

/* A contract's measurement, its numbers resolved for one trial. */
typedef struct {
    sr_contract_type type;
    sr_baseline_method baseline;
    bool has_control;             /* a control group was simulated (its fields are read) */
    size_t n_outcomes;            /* rate card; >= 1 */
    const double *price;          /* [n_outcomes] DKK per achievement */
    const double *historical_rate;/* [n_outcomes] achievements per enrolled person */
    double share;                 /* savings share: fraction of the measured savings */
    double historical_expenditure;/* DKK per treated person-month: the payer's historical
                                   * expenditure (savings share, baseline historical) */
    double control_size;          /* persons planned in the control group (> 0 with one) */
    double treated_size;          /* persons planned in the treated cohort */
} sr_measure_terms;

/* The amount due at point x: the cumulative measured amount due, DKK, unfloored, into
 * *due; what the same clauses owe on the true result (treated − counterfactual) into
 * *due_true; measured[] gets the measured achievements of each outcome (rate card,
 * [n_outcomes]) or the payer's measured savings (savings share, [1]). */
void sr_measure_due(const sr_measure_terms *c, const sr_measure_point *x, double *measured,
                    double *due, double *due_true);

/* The evaluation over the term, at its last measured point. */
typedef struct {
    double effect_true;           /* per person enrolled: achievements or nominal DKK */
    double effect_measured;       /* the same as the baseline measures it, not floored */
    double significant;           /* 1 or 0: a positive effect at the 5% level (one-sided z
                                   * test); NaN where the baseline allows no test */
} sr_measure_evaluation;

/* effect_true, effect_measured and evaluation_significant at the term's last measured
 * point (docs/model.md). measured[] is scratch of n_outcomes (at least 1). */
void sr_measure_evaluate(const sr_measure_terms *c, const sr_measure_point *last,
                         double *measured, sr_measure_evaluation *out);

/* The budget year whose cumulative amount due is the largest among those settled before
 * the termination month (the first of equal ones), or SIZE_MAX when none was settled. */
size_t sr_measure_best_year(size_t n_years, const double *due, const size_t *settle,
                            size_t termination_month);

/* outcomes_paid (docs/model.md): what was paid, DKK, shared over the outcomes in proportion
 * to price × max(0, measured achievements) at the point `best` of the best year, divided by
 * each price. due_best is that year's cumulative amount due: 0 is returned unless it and
 * paid are positive. measured[] is scratch of n_outcomes. */
double sr_measure_outcomes_paid(const sr_measure_terms *c, const sr_measure_point *best,
                                double due_best, double paid, double *measured);

/* ---- one trial's contract, settled ----------------------------------------------------- */

/* Scratch of sr_measure_contract, owned by the caller: due, due_true of n_years entries,
 * measured of max(n_outcomes, 1), and the two settlements (capacity, month, payment set by
 * the caller, sr_settlement). Afterwards settlement holds the contract's settlements. */
typedef struct {
    double *due, *due_true;
    double *measured;
    sr_settlement settlement;     /* as measured: what is paid */
    sr_settlement settlement_true;/* on the true result, for the overpayment */
} sr_measure_scratch;

/* What the contract's measurement and settlement give, per trial. */
typedef struct {
    double payments;              /* present value of every settlement made, DKK */
    double overpayment;           /* max(0, payments − those on the true result), PV, DKK */
    double outcomes_treated;      /* rate card: treated achievements in the term */
    double outcomes_attributable; /* rate card: treated − counterfactual achievements */
    double outcomes_paid;         /* rate card: sr_measure_outcomes_paid */
    sr_measure_evaluation evaluation;
} sr_measure_result;

/* Measures and settles one trial's contract: points[y] is the arms at budget year y's
 * measured month and settle[y] its settlement month (sr_settle_calendar), y < n_years
 * (>= 1); payments are discounted at the annual rate `discount` (> −1). Fills out and, in
 * w, the amounts due and the settlements. */
void sr_measure_contract(const sr_measure_terms *c, const sr_settle_terms *terms,
                         size_t n_years, const sr_measure_point *points, const size_t *settle,
                         double discount, sr_measure_scratch *w, sr_measure_result *out);

#endif
