#include "moves.h"

#include <math.h>
#include <string.h>

#include "sample.h"

/* The probability of each outcome of state i at rate index idx: prob[o] for transition o,
 * prob[n_out] for staying. */
static void outcome_probabilities(const sr_rates *rates, size_t idx, size_t n_out,
                                  double *prob)
{
    const double q = rates->q[idx], *cum = rates->cum + idx * rates->max_out;
    for (size_t o = 0; o < n_out; o++)
        prob[o] = q * (cum[o] - (o > 0 ? cum[o - 1] : 0.0));
    prob[n_out] = 1.0 - q;
}

/* Multinomial(n; prob[0..k-1]), prob summing to 1, into out by sequential binomials; the
 * means for r == NULL. */
static void multinomial_of(gsl_rng *r, double n, const double *prob, size_t k, double *out)
{
    double rest = 1.0;
    for (size_t j = 0; j < k; j++) {
        if (j + 1 == k) {
            out[j] = n;
            break;
        }
        /* a category of probability 0 takes nobody, even when rounding has used up `rest` */
        const double c = prob[j] <= 0.0 ? 0.0 : rest > prob[j] ? prob[j] / rest : 1.0;
        out[j] = r != NULL ? sr_binomial(r, n, c) : n * c;
        n -= out[j];
        rest -= prob[j];
    }
}

void sr_draw_parting(const sr_rates *rates, const size_t idx[2], size_t n_out, double n,
                     gsl_rng *r, double *scratch, double *moved)
{
    const size_t K = n_out + 1;
    double *p0 = scratch, *p1 = p0 + K, *category = p1 + K, *excess0 = category + K + 1;
    double *excess1 = excess0 + K, *counts = excess1 + K;
    outcome_probabilities(rates, idx[0], n_out, p0);
    outcome_probabilities(rates, idx[1], n_out, p1);
    double together = 0.0;
    for (size_t o = 0; o < K; o++) {
        category[o + 1] = fmin(p0[o], p1[o]);
        together += category[o + 1];
    }
    const double apart = fmax(0.0, 1.0 - together);
    for (size_t o = 0; o < K; o++) {
        excess0[o] = apart > 0.0 ? (p0[o] - category[o + 1]) / apart : 0.0;
        excess1[o] = apart > 0.0 ? (p1[o] - category[o + 1]) / apart : 0.0;
    }
    /* parting first (the rarest), then the moves together, staying (the commonest) last */
    category[0] = apart;
    multinomial_of(r, n, category, K + 1, counts);
    memcpy(moved, counts + 1, K * sizeof *moved);
    moved[K] = counts[0];
    multinomial_of(r, counts[0], excess0, K, moved + K + 1);
    multinomial_of(r, counts[0], excess1, K, moved + 2 * K + 1);
}

void sr_draw_moves(const sr_rates *rates, size_t idx, size_t n_out, double n, gsl_rng *r,
                   double *moved)
{
    const size_t at = idx * rates->max_out;
    const sr_split split = {n_out, rates->cum + at, rates->cond + at, rates->cond_log_stay + at,
                            rates->cond_log_leave + at};
    const double left = r != NULL ? sr_binomial_logs(r, n, rates->q[idx], rates->log_stay[idx],
                                                     rates->log_leave[idx])
                                   : n * rates->q[idx];
    moved[n_out] = n - left;
    if (r != NULL) {
        sr_multinomial(r, left, &split, moved);
        return;
    }
    double rest = left;
    for (size_t o = 0; o < n_out; o++) {
        moved[o] = o + 1 == n_out ? rest : rest * split.cond[o];
        rest -= moved[o];
    }
}

bool sr_same_rates(const sr_rates *rates, size_t a, size_t b, size_t n_out)
{
    if (a == b)
        return true;
    if (rates->q[a] != rates->q[b])
        return false;
    for (size_t o = 0; o < n_out; o++)
        if (rates->cum[a * rates->max_out + o] != rates->cum[b * rates->max_out + o])
            return false;
    return true;
}
