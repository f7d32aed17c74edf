/* A programme's contract in one trial, driven from the engine: the arms' cumulative results
 * at the end of each budget year handed to the contract's measurement and settlement
 * (models/measure.h), the programme financed by investors (models/finance.h), and the
 * metrics of docs/results.md that follow. */
#ifndef SR_CONTRACT_H
#define SR_CONTRACT_H

#include <stddef.h>

#include "sim/engine/arm.h"
#include "models/finance.h"
#include "models/measure.h"
#include "models/model.h"
#include "models/settlement.h"
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
    double *cumulative;       /* [3 * max_years * max_outcomes] the points' achievements:
                               * treated, counterfactual, control, each [year][outcome] */
    double *scratch_sums;     /* [max_years] */
    double *price, *historical_rate;   /* [max_outcomes] this trial's rate card */
    sr_measure_scratch scratch;        /* the amounts due and the settlements */
    double *paid, *received;  /* [n_flow] one programme's investor flows, DKK nominal */
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
    double savings[SR_PAYERS];    /* counterfactual - treated expenditure, present values */
    double programme_cost;        /* present value */
    size_t termination;           /* month of cancellation, or SIZE_MAX */
} sr_contract_in;

/* Fills programme p's contract metrics (payments ... evaluation_significant) in metric[],
 * its nominal payments per calendar year in annual_payments[n_years] (settlements after the
 * horizon are not in it), and adds its investor flows (after guarantee and surplus cap) to
 * the portfolio's paid[] and received[] (n_flow each). A programme without a contract is
 * self-funded: no payments, NaN investor metrics. */
void sr_contract_trial(sr_contract_ws *w, const sr_model *m, const sr_programme *p,
                       const double *v, const sr_contract_in *in, double *metric,
                       double *annual_payments, size_t n_years, double *portfolio_paid,
                       double *portfolio_received);

/* The portfolio's investor metrics from the summed flows of its contracts. */
void sr_contract_portfolio(sr_contract_ws *w, const sr_model *m, const double *paid,
                           const double *received, double *metric);

#endif
