/* Investor finance (docs/model.md): present value, internal rate of return, multiple and loss
 * of the investors' monthly flows, and the financing clauses (first-loss guarantee,
 * surplus cap). Pure functions on caller-owned arrays; the IRR's root finder and scratch
 * space live in a workspace allocated once.
 *
 * Flows: month t = 0 .. n−1 from simulation.start, at the end of the month; n may exceed
 * the horizon to hold settlements after it. Investors pay the intervention's costs
 * (paid[t] >= 0, DKK nominal) and receive the contract's payments (received[t] >= 0); their
 * net flow is received − paid. Rates are annual effective, > −1. */
#ifndef SR_FINANCE_H
#define SR_FINANCE_H

#include <stdbool.h>
#include <stddef.h>

/* The interval searched for an IRR, annual rates (docs/model.md). */
#define SR_IRR_MIN (-0.99)
#define SR_IRR_MAX 10.0
/* The investors' IRR of a loss with no root in [SR_IRR_MIN, 0]: below every root (a rate
 * of −100% a year: nothing comes back in time). */
#define SR_IRR_LOSS_NO_ROOT (-1.0)
/* Receipts within this share of what was paid in count as the money back (IRR 0, no loss):
 * the rounding of the sums of a few hundred monthly flows is below 1e-13 of them. */
#define SR_MONEY_BACK 1e-12

/* Present value at `start` of flow[0 .. n−1] at annual_rate: Σ flow[t] (1 + r)^(−(t+1)/12). */
double sr_npv(const double *flow, size_t n, double annual_rate);

/* Per-thread workspace: GSL's Brent solver and scratch for n_max months. */
typedef struct sr_finance_ws sr_finance_ws;

sr_finance_ws *sr_finance_ws_alloc(size_t n_max);   /* NULL if out of memory */
void sr_finance_ws_free(sr_finance_ws *w);          /* NULL is fine */
/* Bytes sr_finance_ws_alloc(n_max) takes (models/size.h: an upper bound). */
double sr_finance_ws_bytes(size_t n_max);

/* The annual rate r in [SR_IRR_MIN, SR_IRR_MAX] at which sr_npv(flow, n, r) changes sign,
 * into *irr. With several roots, the lowest: rates are scanned upward from SR_IRR_MIN on a
 * grid (equal steps of 0.025 in ln(1 + r)) for the first sign change, which Brent's method
 * then narrows to 1e-13 in ln(1 + r); *irr is the low end of the final bracket. Flows whose
 * signs change once have at most one root (Descartes' rule of signs in (1 + r)^(−1/12)),
 * and the scan is skipped; two roots closer than the grid step cancel out (a touch, not a
 * crossing, at its resolution). *irr is NaN where no sign change is found: all flows of
 * one sign, or the root outside the interval.
 * Returns 0 (GSL_SUCCESS), also when *irr is NaN; GSL_EINVAL for a non-finite flow; the
 * solver's own code (GSL_EMAXITER if it has not converged) if it fails. *irr is NaN
 * whenever the return is not 0. flow is the caller's: n is not bounded by the workspace. */
int sr_irr(sr_finance_ws *w, const double *flow, size_t n, double *irr);

/* The same, searched in [lo, hi] (SR_IRR_MIN <= lo < hi <= SR_IRR_MAX), scanning upward
 * from lo on the same step when the flows change sign more than once. */
int sr_irr_between(sr_finance_ws *w, const double *flow, size_t n, double lo, double hi,
                   double *irr);

/* ---- financing clauses --------------------------------------------------------------- */

typedef struct {
    bool has_guarantee;
    double first_loss;        /* f: the guarantor covers losses up to f × paid-in, [0, 1] */
    bool has_surplus_cap;
    double cap_irr;           /* c: annual rate above which receipts go to reinvestment */
} sr_investor_terms;

/* First-loss guarantee: min(loss, f × paid), loss = max(0, paid − received); DKK nominal
 * totals. */
double sr_first_loss(double paid, double received, double first_loss);

/* The investors' balance at the end of month n−1 with every flow accrued at annual_rate:
 * B_t = B_{t−1} (1 + r)^(1/12) + paid[t] − received[t], B_{−1} = 0. B > 0: they are owed
 * (their IRR is below the rate); it is −sr_npv(received − paid, r) (1 + r)^(n/12). */
double sr_investor_balance(const double *paid, const double *received, size_t n,
                           double annual_rate);

/* Surplus cap at IRR c, as the settlements come (a waterfall): the investors' balance
 * accrues at c (sr_investor_balance); each month's receipt first repays it, and whatever
 * would take it below 0 (the investors ahead of c) is cut and goes to the provider's
 * reinvestment pool. received[] is cut in place; cut[t] (if not NULL) receives each
 * month's cut. Returns the total cut, DKK nominal (>= 0). Afterwards the balance at c is
 * >= 0 in every month, hence the investors' IRR is <= c whatever the pattern of flows. */
double sr_surplus_cap(const double *paid, double *received, size_t n, double cap_irr,
                      double *cut);

/* The financing clauses in order: the surplus cap on the contract's payments, then the
 * guarantee on the nominal loss that remains, paid at month g = max(end_month, the last
 * month with a flow) (the last settlement, or later if the investors still pay costs
 * after it), and never more than the investors' balance at c there (so a guarantee never
 * lifts them above the cap; this binds only when c < 0). received[] is changed in place
 * (cut, then the guarantee added at month g); requires end_month < n. Sets *reinvested
 * (nominal, cut[] as in sr_surplus_cap if not NULL), *guarantor_paid (nominal) and
 * *guarantee_month (g). */
void sr_investor_clauses(const sr_investor_terms *terms, const double *paid, double *received,
                         size_t n, size_t end_month, double *cut, double *reinvested,
                         double *guarantor_paid, size_t *guarantee_month);

/* ---- investor metrics ---------------------------------------------------------------- */

typedef struct {
    double paid;              /* DKK nominal: Σ paid */
    double received;          /* DKK nominal: Σ received */
    double npv;               /* DKK at `start`, at the investor rate */
    double irr;               /* annual, on the side of 0 of the result (below) */
    double moic;              /* received / paid; NaN when nothing was paid */
    double loss;              /* 1 if received < paid by more than SR_MONEY_BACK × paid,
                               * else 0 */
} sr_investor_metrics;

/* Metrics of the investors' flows (after the clauses, or summed over programmes for the
 * portfolio). The IRR: 0 when received is within SR_MONEY_BACK × paid of paid (no flows at
 * all included); else the lowest sign change of the NPV in [SR_IRR_MIN, 0] for a loss, in
 * [0, SR_IRR_MAX] for a gain; where there is none, SR_IRR_LOSS_NO_ROOT for a loss and
 * SR_IRR_MAX for a gain. So irr < 0 exactly when loss is 1. n <= the workspace's n_max.
 * Returns sr_irr's code (irr NaN when it is not 0), or GSL_EBADLEN if n is too large
 * (metrics then NaN). */
int sr_investor_compute(sr_finance_ws *w, const double *paid, const double *received,
                        size_t n, double rate, sr_investor_metrics *out);

#endif
