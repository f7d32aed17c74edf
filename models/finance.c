/* Investor finance: NPV, IRR, multiple, loss, and the financing clauses (docs/model.md).
 *
 * Decisions where the model leaves open:
 * - Several roots. The IRR is the lowest rate in the interval searched at which the NPV
 *   changes sign, scanning a grid upward from its low end (steps of at most 0.025 in
 *   ln(1 + r)). Flows whose signs change once have at most one root (Descartes' rule of
 *   signs, the NPV being a polynomial in v = (1 + r)^(−1/12)), so the grid is skipped and
 *   Brent's method brackets the whole interval. No sign change found: NaN. The value
 *   reported is the low end of Brent's final bracket (width 1e-13 in ln(1 + r)), so it
 *   never lies above the root it brackets.
 * - The investors' IRR (sr_investor_compute) is searched on the side of 0 where their
 *   nominal result lies, since the NPV at 0 is that result: in [−0.99, 0] for a loss, in
 *   [0, 10] for a gain. Its sign is then the result's, so that P(IRR < 0) is P(loss) in
 *   every sample, and every trial is ranked: money back (within SR_MONEY_BACK of what was
 *   paid in, the rounding of the sums: a guarantee that makes a loss good is no loss) is
 *   exactly 0; a loss without a root above −0.99 is −1, below every root; a gain without a
 *   root below 10 is 10.
 * - The NPV is evaluated, for the search only, as a positive multiple of itself that
 *   cannot overflow at r near −0.99 however long the flows (Horner in v or 1/v, whichever
 *   is <= 1): roots and signs are those of the NPV.
 * - Surplus cap ("what investors would receive above an IRR of c"): a waterfall run
 *   as the settlements come. The investors' balance (what they are owed) accrues at c
 *   month by month; each receipt first repays it, and the part of a receipt that would
 *   put them ahead of c goes to the reinvestment pool. It takes nothing back later, so
 *   when costs fall after a cut receipt the investors can end below c; in exchange it is
 *   a clause that can be operated at each settlement without knowing the future, and it
 *   guarantees IRR <= c for any pattern of flows: with the balance at c nonnegative in
 *   every month, the balance at any r > c is at least as large (by induction on the
 *   months), so the NPV is <= 0 at every rate above c. When all costs come before all
 *   receipts it is the same as cutting the latest receipts until the IRR equals c.
 * - Order of the clauses: the cap acts on the contract's payments, then the guarantee on
 *   the loss that remains. The guarantee falls at the last settlement or, if investors
 *   still pay costs after it, at their last payment: the loss is only known then. It never
 *   pays more than the investors' balance at c there, so that it cannot lift them above
 *   the cap; for c >= 0 that limit never binds (the balance at c is at least the nominal
 *   loss once the cap has run), so the floor (loss after the guarantee <= (1 − f) paid)
 *   holds. For c < 0 the clauses conflict and the cap prevails.
 * - MOIC with nothing paid in is NaN (not infinite); the loss flag is then 0. */
#include "finance.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>

#include "size.h"

#define SR_IRR_GRID_STEP 0.025  /* the scan's step in ln(1 + r): 281 steps over the whole
                                 * interval, ceil((ln 11 − ln 0.01) / 0.025) */
#define SR_IRR_TOL 1e-13        /* width of Brent's final bracket in ln(1 + r) */
#define SR_IRR_MAX_ITER 200     /* bisection alone would need ~46 */

struct sr_finance_ws {
    size_t n_max;
    double *flow;               /* [n_max] net flows, scratch */
    gsl_root_fsolver *solver;   /* Brent */
};

sr_finance_ws *sr_finance_ws_alloc(size_t n_max)
{
    sr_finance_ws *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->n_max = n_max;
    w->flow = malloc((n_max ? n_max : 1) * sizeof *w->flow);
    w->solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!w->flow || !w->solver)
        goto fail;
    return w;
fail:
    sr_finance_ws_free(w);
    return NULL;
}

double sr_finance_ws_bytes(size_t n_max)
{
    return sr_array_bytes(1, sizeof(sr_finance_ws)) +
           sr_array_bytes(n_max ? n_max : 1, sizeof(double)) +
           sr_array_bytes(1, sizeof(gsl_root_fsolver)) +
           sr_array_bytes(1, gsl_root_fsolver_brent->size);
}

void sr_finance_ws_free(sr_finance_ws *w)
{
    if (!w)
        return;
    if (w->solver)
        gsl_root_fsolver_free(w->solver);
    free(w->flow);
    free(w);
}

double sr_npv(const double *flow, size_t n, double annual_rate)
{
    double v = pow(1.0 + annual_rate, -1.0 / 12.0), acc = 0;
    for (size_t t = n; t-- > 0;)
        acc = acc * v + flow[t];
    return acc * v;
}

/* The nonzero stretch flow[first .. last] of the flows whose IRR is sought. */
typedef struct {
    const double *flow;
    size_t first, last;
} npv_shape;

/* At x = ln(1 + r): the NPV divided by v^(first+1) if v <= 1, by v^(last+1) if v > 1:
 * Σ flow[t] v^(t − first) or Σ flow[t] v^(t − last), both bounded by Σ |flow|, equal at
 * v = 1, so continuous in x. */
static double scaled_npv(double x, void *params)
{
    const npv_shape *p = params;
    double acc = 0;
    if (x >= 0) {
        double v = exp(-x / 12.0);
        for (size_t t = p->last + 1; t-- > p->first;)
            acc = acc * v + p->flow[t];
    } else {
        double u = exp(x / 12.0);          /* 1 / v */
        for (size_t t = p->first; t <= p->last; t++)
            acc = acc * u + p->flow[t];
    }
    return acc;
}

/* Brent's method on [a, b], where scaled_npv changes sign. */
static int narrow(gsl_root_fsolver *s, gsl_function *f, double a, double b, double *irr)
{
    int status = gsl_root_fsolver_set(s, f, a, b);
    if (status != GSL_SUCCESS)
        return status;
    for (int i = 0; i < SR_IRR_MAX_ITER; i++) {
        status = gsl_root_fsolver_iterate(s);
        if (status != GSL_SUCCESS)
            return status;
        double lo = gsl_root_fsolver_x_lower(s), hi = gsl_root_fsolver_x_upper(s);
        status = gsl_root_test_interval(lo, hi, SR_IRR_TOL, 0);
        if (status == GSL_SUCCESS) {
            *irr = expm1(lo);
            return GSL_SUCCESS;
        }
        if (status != GSL_CONTINUE)
            return status;
    }
    return GSL_EMAXITER;
}

int sr_irr(sr_finance_ws *w, const double *flow, size_t n, double *irr)
{
    return sr_irr_between(w, flow, n, SR_IRR_MIN, SR_IRR_MAX, irr);
}

int sr_irr_between(sr_finance_ws *w, const double *flow, size_t n, double lo, double hi,
                   double *irr)
{
    *irr = NAN;
    npv_shape shape = {flow, n, 0};
    size_t changes = 0;
    int sign = 0;
    for (size_t t = 0; t < n; t++) {
        if (!isfinite(flow[t]))
            return GSL_EINVAL;
        if (flow[t] == 0)
            continue;
        int s = flow[t] > 0 ? 1 : -1;
        if (sign != 0 && s != sign)
            changes++;
        sign = s;
        if (shape.first == n)
            shape.first = t;
        shape.last = t;
    }
    if (changes == 0)
        return GSL_SUCCESS;

    gsl_function f = {scaled_npv, &shape};
    const double x_lo = log1p(lo), x_hi = log1p(hi);
    const size_t steps = changes == 1 ? 1 : (size_t)ceil((x_hi - x_lo) / SR_IRR_GRID_STEP);
    double a = x_lo, fa = scaled_npv(a, &shape);
    if (fa == 0) {
        *irr = lo;
        return GSL_SUCCESS;
    }
    for (size_t i = 1; i <= steps; i++) {
        double b = i == steps ? x_hi : x_lo + (x_hi - x_lo) * (double)i / (double)steps;
        double fb = scaled_npv(b, &shape);
        if (fb == 0) {
            *irr = expm1(b);
            return GSL_SUCCESS;
        }
        if ((fa < 0) != (fb < 0)) {
            int status = narrow(w->solver, &f, a, b, irr);
            if (status != GSL_SUCCESS)
                *irr = NAN;
            return status;
        }
        a = b;
        fa = fb;
    }
    return GSL_SUCCESS;
}

double sr_first_loss(double paid, double received, double first_loss)
{
    double loss = fmax(0, paid - received);
    return fmin(loss, first_loss * paid);
}

double sr_investor_balance(const double *paid, const double *received, size_t n,
                           double annual_rate)
{
    double growth = pow(1.0 + annual_rate, 1.0 / 12.0), balance = 0;
    for (size_t t = 0; t < n; t++)
        balance = balance * growth + paid[t] - received[t];
    return balance;
}

/* Invariant: after month t, balance >= 0 (the investors are never ahead of c), and
 * received[t] was cut by exactly what would have made it negative. Since balance >= 0
 * before month t and paid[t] >= 0, the cut never exceeds received[t]. */
double sr_surplus_cap(const double *paid, double *received, size_t n, double cap_irr,
                      double *cut)
{
    double growth = pow(1.0 + cap_irr, 1.0 / 12.0), balance = 0, total = 0;
    for (size_t t = 0; t < n; t++) {
        double owed = balance * growth + paid[t];
        double x = 0;
        if (received[t] > owed) {
            x = received[t] - owed;
            received[t] = owed;
            total += x;
        }
        balance = owed - received[t];
        if (cut)
            cut[t] = x;
    }
    return total;
}

void sr_investor_clauses(const sr_investor_terms *terms, const double *paid, double *received,
                         size_t n, size_t end_month, double *cut, double *reinvested,
                         double *guarantor_paid, size_t *guarantee_month)
{
    *reinvested = 0;
    *guarantor_paid = 0;
    if (terms->has_surplus_cap)
        *reinvested = sr_surplus_cap(paid, received, n, terms->cap_irr, cut);
    else if (cut)
        for (size_t t = 0; t < n; t++)
            cut[t] = 0;

    size_t g = end_month;
    for (size_t t = n; t-- > g + 1;)
        if (paid[t] != 0 || received[t] != 0) {
            g = t;
            break;
        }
    *guarantee_month = g;
    if (!terms->has_guarantee)
        return;
    double total_paid = 0, total_received = 0;
    for (size_t t = 0; t < n; t++) {
        total_paid += paid[t];
        total_received += received[t];
    }
    double amount = sr_first_loss(total_paid, total_received, terms->first_loss);
    if (terms->has_surplus_cap)
        amount = fmin(amount, fmax(0, sr_investor_balance(paid, received, g + 1,
                                                           terms->cap_irr)));
    received[g] += amount;
    *guarantor_paid = amount;
}

int sr_investor_compute(sr_finance_ws *w, const double *paid, const double *received,
                        size_t n, double rate, sr_investor_metrics *out)
{
    if (n > w->n_max) {
        *out = (sr_investor_metrics){NAN, NAN, NAN, NAN, NAN, NAN};
        return GSL_EBADLEN;
    }
    double total_paid = 0, total_received = 0;
    for (size_t t = 0; t < n; t++) {
        total_paid += paid[t];
        total_received += received[t];
        w->flow[t] = received[t] - paid[t];
    }
    out->paid = total_paid;
    out->received = total_received;
    out->npv = sr_npv(w->flow, n, rate);
    out->moic = total_paid > 0 ? total_received / total_paid : NAN;
    const bool money_back = fabs(total_received - total_paid) <= SR_MONEY_BACK * total_paid;
    const bool loss = !money_back && total_received < total_paid;
    out->loss = loss ? 1.0 : 0.0;
    if (money_back) {
        out->irr = 0.0;
        return GSL_SUCCESS;
    }
    int status = sr_irr_between(w, w->flow, n, loss ? SR_IRR_MIN : 0.0,
                                loss ? 0.0 : SR_IRR_MAX, &out->irr);
    if (status == GSL_SUCCESS && isnan(out->irr))
        out->irr = loss ? SR_IRR_LOSS_NO_ROOT : SR_IRR_MAX;
    return status;
}
