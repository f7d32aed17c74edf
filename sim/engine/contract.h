/* A programme's contract in one trial, driven from the engine: the arms' cumulative results
 * at the end of each budget year kept as the trial's record, which the contract's
 * measurement and settlement read (models/measure.h), the programme financed by investors
 * (models/finance.h), and the metrics of docs/results.md that follow. */
#ifndef SR_CONTRACT_H
#define SR_CONTRACT_H

#include <stddef.h>

#include "sim/engine/arm.h"
#include "models/finance.h"
#include "models/measure.h"
#include "models/model.h"
#include "models/settlement.h"
#include "models/terms.h"
#include "sim/engine/results.h"

/* Months of investor flows kept after the horizon: settlements with a lag and deferred
 * balances paid in later years. A deferred balance still unpaid this long after the
 * horizon is reported as unpaid (it is never received). */
#define SR_AFTER_HORIZON_MONTHS (12 * 30)

/* Per-thread workspace for the contracts of one model. */
typedef struct {
    size_t n_months;          /* the horizon */
    size_t n_flow;            /* n_months + SR_AFTER_HORIZON_MONTHS */
    size_t max_years;         /* budget years a term can touch */
    size_t max_outcomes;      /* the most rate-card outcomes of any programme, >= 1 */
    size_t *measured, *settle_month;   /* [max_years] the term's calendar */
    size_t *measured_at;               /* [max_years] measured months within the horizon */
    sr_measure_point *points;          /* [max_years] the arms at each measured month */
    double *scratch_sums;     /* [max_years] */
    double *price;            /* [max_outcomes] a changed term's prices (models/terms.h) */
    sr_measure_scratch scratch;        /* the amounts due and the settlements */
    double *paid, *received;  /* [n_flow] one programme's investor flows, DKK nominal */
    double *portfolio_paid, *portfolio_received; /* [n_flow] the portfolio's, summed over
                                                  * its programmes' */
    sr_finance_ws *finance;
} sr_contract_ws;

sr_contract_ws *sr_contract_ws_alloc(const sr_model *m);
void sr_contract_ws_free(sr_contract_ws *w);  /* NULL is fine */
/* Bytes sr_contract_ws_alloc(m) takes, from the same element counts (models/size.h). */
double sr_contract_ws_bytes(const sr_model *m);

/* One programme's arms in one trial. */
typedef struct {
    const sr_arm_flows *treated, *counterfactual;
    const sr_arm_flows *control;  /* the control group's, or NULL without one */
    size_t termination;           /* month of cancellation, or SIZE_MAX */
} sr_contract_in;

/* ---- a trial's record ----------------------------------------------------------------
 *
 * Everything that settling programme p's contract reads of one trial, as a flat array of
 * doubles, so that a run can keep it per trial and settle the trial again under other
 * terms without simulating its arms again (contract terms never change the paths): the
 * arms at the measured month of each of the term's budget years (the 8 numbers of an
 * sr_measure_point and, for a rate card, each outcome's cumulative achievements in the
 * treated arm, the counterfactual and the control group), the programme's cost in each
 * month of the horizon (what the investors pay, DKK nominal), the persons enrolled over
 * the horizon, the month of cancellation, and the trial's draws of the terms. A programme
 * without a contract has an empty record. */

/* Doubles in programme p's record: with Y the term's budget years, K its rate-card
 * outcomes (0 for a savings share) and T the horizon's months, 8 Y + 3 Y K + T + 2 K + 8;
 * 0 without a contract. */
size_t sr_contract_record_size(const sr_model *m, const sr_programme *p);

/* Fills programme p's record (sr_contract_record_size doubles) from its arms in, and this
 * trial's numbers v. */
void sr_contract_record(sr_contract_ws *w, const sr_model *m, const sr_programme *p,
                        const double *v, const sr_contract_in *in, double *record);

/* The terms in a record of programme p (terms->measure.price and historical_rate point
 * into the record). */
void sr_contract_record_terms(const sr_model *m, const sr_programme *p, const double *record,
                              sr_contract_terms *terms);

/* The persons a record's trial enrolled in programme p over the horizon. */
double sr_contract_record_enrolled(const sr_model *m, const sr_programme *p,
                                   const double *record);

/* Fills programme p's contract metrics (payments ... evaluation_significant, and
 * termination_month: the cancellation month of terms, NaN without one) in metric[] from its
 * record of one trial settled under terms (sr_contract_record_terms, changed or not),
 * reading the trial's savings and programme cost from metric[]; its payments per calendar
 * year, nominal and discounted like `payments`, in payments_nominal[] and payments_pv[]
 * (sr_yearly_columns(n_years) each: the horizon's years, then the settlements after it);
 * and adds its investor flows (after guarantee and surplus cap) to w->portfolio_paid
 * and w->portfolio_received. A programme without a contract (record and terms unused, may
 * be NULL) is self-funded: no payments, NaN investor metrics. */
void sr_contract_settle(sr_contract_ws *w, const sr_model *m, const sr_programme *p,
                        const double *record, const sr_contract_terms *terms, double *metric,
                        double *payments_nominal, double *payments_pv, size_t n_years);

/* The portfolio's investor metrics from the summed flows of its contracts
 * (w->portfolio_paid, w->portfolio_received, which the caller zeroes before the first
 * programme). */
void sr_contract_portfolio(sr_contract_ws *w, const sr_model *m, double *metric);

#endif
