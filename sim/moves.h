/* A cell's month-end moves, drawn from the exit probabilities of its rate index: moved[o]
 * persons leave along the state's transition o, moved[n_out] stay. r == NULL gives the
 * expected moves instead of a draw. */
#ifndef SR_MOVES_H
#define SR_MOVES_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>

#include "models/cohort.h"

/* Draws the month-end moves of the n persons of one cell at rate index idx into
 * moved[0..n_out] (moved[n_out]: stayers); r == NULL gives the expected moves. */
void sr_draw_moves(const sr_rates *rates, size_t idx, size_t n_out, double n, gsl_rng *r,
                   double *moved);

/* Whether two rate indices give every outcome the same probability. */
bool sr_same_rates(const sr_rates *rates, size_t a, size_t b, size_t n_out);

/* The moves of the n persons of a cell whose two versions are together (sim/arm.h) when the arms' outcome probabilities p0,
 * p1 differ (the intervention at work), by a maximal coupling of each person's two
 * versions: with probability min(p0[o], p1[o]) both make move o and stay together
 * (moved[o], o < K = n_out + 1); otherwise they part (moved[K] persons), the treated
 * version moving by the excess (p0 - min) / (1 - sum min) (moved[K + 1 + o]) and the
 * counterfactual one by (p1 - min) / (1 - sum min) (moved[2K + 1 + o]), independently.
 * Each arm's moves are exactly multinomial with its own probabilities.
 * scratch: [6 (n_out + 1) + 2]; moved: [3 (n_out + 1) + 1]. */
void sr_draw_parting(const sr_rates *rates, const size_t idx[2], size_t n_out, double n,
                     gsl_rng *r, double *scratch, double *moved);

#endif
