/* Payment by results: the measured amount due and the annual settlements (docs/model.md).
 *
 * Decisions where the model leaves open:
 * - Flooring. The due functions return unfloored values (`effect_measured` is reported
 *   unfloored); sr_settle floors each cumulative amount due at 0, so a caller cannot
 *   forget it. The floor applies to the contract's total, not per outcome: a negative
 *   measured outcome offsets the others, as "the cumulative measured amount due" reads.
 * - "Deferred so far" in the model document's `amount = cumulative due − (paid + forfeited + deferred so
 *   far)` is the deferred balance outstanding, not the sum of all amounts ever deferred:
 *   an amount deferred and later paid is already in `paid`, and counting it again would
 *   pay it twice. Hence amount + balance = cumulative due − paid − forfeited: the request
 *   of each settlement (see sr_settle for the invariants).
 * - A shortfall (the cumulative due falling below what is already paid, forfeited and
 *   deferred) first cancels the deferred balance: the balance is a claim on results that
 *   the latest measurement no longer shows. What was paid is never clawed back; the
 *   excess is made up by later results first (the cumulative rule).
 * - The cap limits payments. Nothing is deferred beyond what the cap still allows, so the
 *   balance can always be paid in full; what lies above the cap is neither paid, deferred
 *   nor forfeited (it was never payable).
 * - After the term, a deferred balance is paid at one settlement every 12 months after
 *   the term's last settlement, at most the frame each, before and after the horizon,
 *   until it is paid. A frame of 0 never pays it (it is left as deferred_unpaid). A
 *   forfeited overflow leaves nothing to settle after the term.
 * - Cancellation in month τ: no settlement in month τ or later is made (in the term or
 *   after it); the deferred balance at that point stays unpaid; settlement ends at τ.
 * - A settlement is made for every budget year the term touches, also when it pays 0:
 *   it is a settlement date (and the guarantee falls at the last one, docs/model.md). */
#include "settlement.h"

#include <math.h>
#include <stdbool.h>

double sr_baseline_value(sr_baseline_method method, const sr_baseline_in *b)
{
    switch (method) {
    case SR_BASELINE_HISTORICAL:
        return b->historical_rate * b->exposure;
    case SR_BASELINE_CONTROL:
        return b->control / b->control_size * b->treated_size;
    case SR_BASELINE_NONE:
        break;
    }
    return b->counterfactual;
}

double sr_measured_achievements(double treated, double baseline)
{
    return treated - baseline;
}

double sr_measured_savings(double baseline, double treated)
{
    return baseline - treated;
}

double sr_due_rate_card(size_t n, const double *price, const double *measured)
{
    double due = 0;
    for (size_t o = 0; o < n; o++)
        due += price[o] * measured[o];
    return due;
}

double sr_due_savings_share(double share, double measured_savings)
{
    return share * measured_savings;
}

size_t sr_settle_max_years(size_t term_months)
{
    return term_months / 12 + 2;
}

size_t sr_settle_calendar(int start_month, size_t first, size_t term_months,
                          unsigned lag_months, size_t *measured, size_t *settle)
{
    size_t last = first + term_months - 1, n = 0;
    for (size_t t = first; t <= last; n++) {
        /* December of the calendar year of month t. */
        size_t december = t + 11 - ((size_t)(start_month - 1) + t) % 12;
        if (measured)
            measured[n] = december < last ? december : last;
        if (settle)
            settle[n] = december + lag_months;
        t = december + 1;
    }
    return n;
}

static void record(sr_settlement *s, size_t month, double payment)
{
    if (s->n < s->capacity) {
        s->month[s->n] = month;
        s->payment[s->n] = payment;
    }
    s->n++;
}

/* The settlements of a deferred balance after the term's last settlement (month `last`):
 * one every 12 months, min(frame, what is left) each, none in month `stop` or later.
 * Payment j (1-based) is min(frame, balance − (j − 1) frame), computed directly rather
 * than by repeated subtraction, so that their number K = ceil(balance / frame) and their
 * sum are exact and counting them costs nothing however long the tail. Stores what fits,
 * counts all in s->n; returns how many were made and sets *left to the balance unpaid. */
static size_t settle_tail(sr_settlement *s, double balance, double frame, size_t last,
                          size_t stop, double *left)
{
    *left = balance;
    if (!(balance > 0) || !(frame > 0))
        return 0;
    double k = ceil(balance / frame);
    if (k > 1 && balance - (k - 1) * frame <= 0)
        k -= 1;                           /* the quotient was rounded up past an integer */
    else if (balance - k * frame > 0)
        k += 1;                           /* ... or down below one */
    /* The months last + 12 j must be indices, and come before the cancellation. */
    size_t j_max = 0;
    if (stop > last)
        j_max = ((stop == SR_SETTLE_NEVER ? SIZE_MAX : stop - 1) - last) / 12;
    size_t made = k <= (double)j_max ? (size_t)k : j_max;
    for (size_t j = 1; j <= made; j++) {
        if (s->n >= s->capacity) {
            s->n += made - j + 1;
            break;
        }
        double p = (double)j < k ? frame : fmin(frame, balance - (k - 1) * frame);
        record(s, last + 12 * j, p);
    }
    if ((double)made == k)
        *left = 0;
    else
        *left = balance - (double)made * frame;
    return made;
}

/* Invariants, with C the floored cumulative amount due at the current settlement, P paid,
 * F forfeited and B the deferred balance, all before the settlement, and cap = cap_total:
 *  (1) request R = C − P − F = amount + B: what is paid or forfeited is never asked again,
 *      what is deferred is asked again (that is how the balance is carried), once.
 *  (2) payment p = max(0, min(frame, cap − P, R)): 0 <= p <= frame, P + p <= cap.
 *  (3) the frame's cut within the cap, x = max(0, min(R, cap − P) − p), becomes the new
 *      balance (deferred: B' = x) or is added to F (forfeited: F' = F + x, B' = 0). So
 *      B' <= cap − P − p: the balance never exceeds what the cap still allows, and
 *      P' + F' + B' = max(P + F, min(C, cap + F)): everything due is recognised once,
 *      except what lies above the cap and a shortfall (C < P + F), which leaves B' = 0.
 *  (4) deferring never pays less than forfeiting: after each settlement
 *      P' = max(P, min(P + frame, cap, C − F)), nondecreasing in P and nonincreasing in F;
 *      deferring keeps F = 0, so by induction its P is >= forfeiting's at every
 *      settlement, and the settlements after the term only add to it. */
size_t sr_settle(const sr_settle_terms *terms, size_t n_years, const double *due,
                 const size_t *settle, sr_settlement *s)
{
    const bool deferring = terms->overflow == SR_OVERFLOW_DEFERRED;
    const double frame = terms->annual_frame, cap = terms->cap_total;
    const size_t stop = terms->termination_month;
    double paid = 0, forfeited = 0, balance = 0;
    size_t y = 0;
    s->n = 0;
    s->end_month = 0;
    if (n_years == 0) {                   /* a term touches at least one year: not reached */
        s->paid = s->forfeited = s->deferred_unpaid = 0;
        return 0;
    }
    for (; y < n_years && settle[y] < stop; y++) {
        double c = due[y] > 0 ? due[y] : 0;
        double within_cap = fmin(c - paid - forfeited, cap - paid);
        double p = fmax(0, fmin(frame, within_cap));
        double cut = fmax(0, within_cap - p);
        if (deferring)
            balance = cut;
        else
            forfeited += cut;
        paid += p;
        record(s, settle[y], p);
    }
    if (y < n_years) {                    /* cancelled within the term */
        s->end_month = stop;
    } else {
        double left;
        size_t last = settle[n_years - 1];
        size_t made = settle_tail(s, balance, frame, last, stop, &left);
        paid += balance - left;
        balance = left;
        s->end_month = last + 12 * made;
        if (left > 0 && frame > 0 && stop != SR_SETTLE_NEVER)
            s->end_month = stop;          /* cancelled after the term */
    }
    s->paid = paid;
    s->forfeited = forfeited;
    s->deferred_unpaid = balance;
    return s->n;
}

double sr_settlement_pv(const sr_settlement *s, double rate)
{
    double pv = 0;
    for (size_t k = 0; k < s->n && k < s->capacity; k++)
        pv += s->payment[k] * pow(1.0 + rate, -((double)s->month[k] + 1.0) / 12.0);
    return pv;
}
