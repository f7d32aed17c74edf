/* A cell's month-end moves (sim/engine/moves.h): how many leave (one binomial), where they
 * go (one multinomial over the state's transitions), and for the two arms of a pair whose
 * probabilities differ, a maximal coupling of each pair's moves.
 *
 * Invariants, checked in a SIRISK_DEBUG build (sim/base/check.h): the moves of n persons
 * add up to n, none negative (moves of drawn persons are whole numbers); a pair's coupled
 * moves, arm by arm, add up to that arm's persons. Probabilities are per month; counts are
 * persons. */
#include "sim/engine/moves.h"

#include <math.h>
#include <string.h>

#include "sim/base/check.h"

#include "sim/engine/rng.h"
#include "sim/engine/sample.h"

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

/* The moves of n pairs whose arms' probabilities differ, by a maximal coupling of each
 * pair: with probability min(p0[o], p1[o]) both make move o (moved[o], o < K = n_out + 1);
 * otherwise they part (moved[K] pairs), arm 0's person moving by the excess
 * (p0 - min) / (1 - sum min) (moved[K + 1 + o]) and arm 1's by (p1 - min) / (1 - sum min)
 * (moved[2K + 1 + o]), independently. scratch: [6K + 2]; moved: [3K + 1]. */
static void draw_parting(const sr_rates *rates, const size_t idx[2], size_t n_out, double n,
                         const sr_draw *d, double *scratch, double *moved)
{
    const size_t K = n_out + 1;
    double *p0 = scratch, *p1 = p0 + K, *category = p1 + K, *excess0 = category + K + 1;
    double *excess1 = excess0 + K, *counts = excess1 + K;
    outcome_probabilities(rates, idx[0], n_out, p0);
    outcome_probabilities(rates, idx[1], n_out, p1);
    /* category 0: staying together (the commonest, first: few are left for the others);
     * 1 + o: transition o together; K: parting */
    double together = 0.0;
    for (size_t o = 0; o < K; o++) {
        const double both = fmin(p0[o], p1[o]);
        category[o < n_out ? 1 + o : 0] = both;
        together += both;
    }
    const double apart = fmax(0.0, 1.0 - together);
    for (size_t o = 0; o < K; o++) {
        const double both = o < n_out ? category[1 + o] : category[0];
        excess0[o] = apart > 0.0 ? (p0[o] - both) / apart : 0.0;
        excess1[o] = apart > 0.0 ? (p1[o] - both) / apart : 0.0;
    }
    category[K] = apart;
    sr_multinomial(d, n, &(sr_split){.k = K + 1, .prob = category}, counts);
    memcpy(moved, counts + 1, n_out * sizeof *moved);
    moved[n_out] = counts[0];
    moved[K] = counts[K];
    sr_multinomial(d, moved[K], &(sr_split){.k = K, .prob = excess0}, moved + K + 1);
    sr_multinomial(d, moved[K], &(sr_split){.k = K, .prob = excess1}, moved + 2 * K + 1);
}

double sr_draw_leavers(const sr_rates *rates, size_t idx, double n, const sr_draw *d)
{
    if (d->mode == SR_DRAW_EXPECTED)
        return n * rates->q[idx];
    return sr_binomial_logs(d->rng, n, rates->q[idx], rates->log_stay[idx],
                            rates->log_leave[idx]);
}

void sr_draw_destinations(const sr_rates *rates, size_t idx, size_t n_out, double leavers,
                          const sr_draw *d, double *to)
{
    const size_t at = idx * rates->max_out;
    const sr_split split = {.k = n_out, .cum = rates->cum + at, .cond = rates->cond + at,
                            .cond_log_stay = rates->cond_log_stay + at,
                            .cond_log_leave = rates->cond_log_leave + at};
    sr_multinomial(d, leavers, &split, to);
}

void sr_draw_moves(const sr_rates *rates, size_t idx, size_t n_out, double n, const sr_draw *d,
                   double *moved)
{
    const double left = sr_draw_leavers(rates, idx, n, d);
    moved[n_out] = n - left;
    sr_draw_destinations(rates, idx, n_out, left, d, moved);
}

void sr_draw_pair(const sr_rates *rates, const size_t idx[2], size_t n_out, const double n[2],
                  const sr_draw *d, double *scratch, double *const moves[2])
{
    const size_t K = n_out + 1;
    if (d->mode == SR_DRAW_EXPECTED) {
        for (size_t a = 0; a < 2; a++)
            sr_draw_moves(rates, idx[a], n_out, n[a], d, moves[a]);
        return;
    }
    const size_t big = n[1] > n[0];
    const double paired = n[1 - big], excess = n[big] - paired;
    if (paired == 0.0) {
        for (size_t o = 0; o < K; o++)
            moves[0][o] = moves[1][o] = 0.0;
    } else {
        double *parted = scratch + 6 * K + 2;
        draw_parting(rates, idx, n_out, paired, d, scratch, parted);
        for (size_t a = 0; a < 2; a++)
            for (size_t o = 0; o < K; o++)
                moves[a][o] = parted[o] + parted[(1 + a) * K + 1 + o];
    }
    if (excess > 0.0) {
        double *alone = scratch + 9 * K + 3;
        sr_draw_moves(rates, idx[big], n_out, excess, d, alone);
        for (size_t o = 0; o < K; o++)
            moves[big][o] += alone[o];
    }
    for (size_t a = 0; SR_DEBUG && a < 2; a++) {   /* each arm's moves are its persons */
        double sum = 0.0;
        for (size_t o = 0; o < K; o++)
            sum += moves[a][o];
        SR_CHECK(sum == n[a]);
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
