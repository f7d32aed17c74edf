/* Payment by results (docs/model.md): what a contract's measurement says is due, and how the
 * annual settlements turn a path of cumulative amounts due into payments under the
 * contract's frame, cap, lag and termination. Pure functions: numbers in, numbers out; the
 * caller owns every array.
 *
 * Time: month index t counts from simulation.start (t = 0); a payment falls at the end of
 * its month. Settlements after the horizon have month indices >= n_months and are
 * discounted like any other month (docs/model.md). Money: DKK nominal throughout. */
#ifndef SR_SETTLEMENT_H
#define SR_SETTLEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* ---- the measured amount due ------------------------------------------------------------
 *
 * A contract measures cumulative quantities (achievements of an outcome, in persons; a
 * payer's expenditure, in DKK) from the programme's start to the end of a budget year, and
 * compares the treated arm with a baseline (docs/model.md). The functions below take one such
 * cumulative quantity per call, so the caller evaluates them once per budget year (and per
 * outcome). None of them floors: the measured effect may be negative (`effect_measured`
 * is reported unfloored); sr_settle floors the cumulative amount due at 0. */

/* What the treated arm's cumulative quantity is compared with. Only the fields of the
 * chosen method are read. The quantity's unit U is the caller's: persons for achievements
 * of one outcome, DKK for a payer's expenditure. */
typedef struct {
    double counterfactual;   /* none: the counterfactual arm's quantity, U */
    double historical_rate;  /* historical: U per unit of exposure, fixed in the contract
                              * (achievements per enrolled person; DKK per person-month) */
    double exposure;         /* historical: persons enrolled so far (outcomes) or treated
                              * person-months so far (expenditure) */
    double control;          /* control_group: the control group's quantity, U */
    double control_size;     /* control_group: persons in the control group, > 0 */
    double treated_size;     /* control_group: persons in the treated cohort */
} sr_baseline_in;

/* The baseline, in U: none → counterfactual; historical → historical_rate × exposure;
 * control_group → control / control_size × treated_size. */
double sr_baseline_value(sr_baseline_method method, const sr_baseline_in *b);

/* Measured attributable achievements of one outcome, persons: treated − baseline. */
double sr_measured_achievements(double treated, double baseline);

/* A payer's measured savings, DKK: baseline expenditure − treated expenditure. */
double sr_measured_savings(double baseline, double treated);

/* rate_card: Σ_o price[o] × measured[o] over n outcomes (DKK per achievement × persons). */
double sr_due_rate_card(size_t n, const double *price, const double *measured);

/* savings_share: share × measured savings (fraction × DKK). */
double sr_due_savings_share(double share, double measured_savings);

/* ---- the settlement calendar --------------------------------------------------------- */

/* Upper bound on the budget years a term of term_months touches: term_months / 12 + 2. */
size_t sr_settle_max_years(size_t term_months);

/* The budget (calendar) years that the term's months first .. first + term_months − 1
 * touch, and when each settles. start_month is the calendar month (1..12) of t = 0; the
 * term begins in the programme's first intake month `first`; term_months >= 1.
 * Returns n_years; if the arrays are not NULL, fills for y = 0 .. n_years − 1:
 *   measured[y]  the last month of the term in budget year y: the cumulative amount due of
 *                that year is measured at its end (results after the term do not count, so
 *                a term ending mid-year is measured at its end and settles with its year);
 *   settle[y]    December of budget year y + lag_months: the month of its settlement.
 * Both are strictly increasing in y. The arrays need sr_settle_max_years(term_months)
 * entries at most. */
size_t sr_settle_calendar(int start_month, size_t first, size_t term_months,
                          unsigned lag_months, size_t *measured, size_t *settle);

/* ---- settlement ---------------------------------------------------------------------- */

#define SR_SETTLE_NEVER SIZE_MAX  /* termination_month of a contract that is never cancelled */

/* A contract's settlement clauses, resolved for one trial. */
typedef struct {
    double annual_frame;         /* DKK per settlement, >= 0; INFINITY: no frame */
    double cap_total;            /* DKK over all settlements, >= 0; INFINITY: no cap */
    sr_overflow overflow;        /* what the frame cuts: deferred (paid later) or forfeited */
    size_t termination_month;    /* the month of cancellation: no settlement in it or later
                                  * is made; SR_SETTLE_NEVER if the contract runs on */
} sr_settle_terms;

/* The outcome of one trial's settlement. The caller sets capacity, month and payment;
 * sr_settle sets the rest. Entries 0 .. min(n, capacity) − 1 hold one settlement each, in time
 * order: first one per budget year of the term (payment 0 included), then, for a deferred
 * balance left after the term's last settlement, one every 12 months after it until the
 * balance is paid. Invariants after sr_settle: 0 <= payment[k] <= annual_frame;
 * paid = Σ payment <= cap_total; paid, forfeited, deferred_unpaid >= 0. */
typedef struct {
    size_t capacity;             /* entries month[] and payment[] can hold */
    size_t *month;               /* [capacity] month index of each settlement made */
    double *payment;             /* [capacity] DKK */
    size_t n;                    /* settlements made; if n > capacity, only the first
                                  * capacity were stored: grow the arrays and settle again
                                  * (the totals below are complete either way) */
    double paid;                 /* DKK: Σ payment over all n settlements */
    double forfeited;            /* DKK the frame cut under frame_overflow: forfeited */
    double deferred_unpaid;      /* DKK deferred and never paid: the balance left when the
                                  * contract was cancelled or when the frame is 0 */
    size_t end_month;            /* when settlement ends: the month of the last settlement
                                  * made or, if a cancellation cut the schedule short, the
                                  * termination month (a guarantee falls here, docs/model.md) */
} sr_settlement;

/* Settles a contract (docs/model.md). due[y] is the cumulative measured amount due, DKK, at
 * the end of budget year y's measured month (sr_settle_calendar), for y < n_years (0
 * settles nothing); it need not be floored or monotone: sr_settle floors each at 0 and
 * never claws back. settle[y] is year y's settlement month, strictly increasing. Returns
 * s->n. */
size_t sr_settle(const sr_settle_terms *terms, size_t n_years, const double *due,
                 const size_t *settle, sr_settlement *s);

/* Present value at `start` of the stored payments at an annual effective rate (> −1):
 * Σ payment[k] (1 + rate)^(−(month[k] + 1) / 12). Requires s->n <= s->capacity. */
double sr_settlement_pv(const sr_settlement *s, double rate);

#endif
