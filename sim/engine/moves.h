/* A cell's month-end moves, drawn from the exit probabilities of its rate index
 * (sim/engine/rates.h): moved[o] persons leave along the state's transition o, moved[n_out]
 * stay. Under SR_DRAW_EXPECTED every draw is its expected value.
 *
 * Invariant (persons are conserved): the moves of n persons add up to n, in each arm; a
 * transition of probability 0 takes nobody. */
#ifndef SR_MOVES_H
#define SR_MOVES_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/engine/rates.h"
#include "sim/engine/sample.h"

/* How many of n persons of one cell leave at month end (rate index idx). */
double sr_draw_leavers(const sr_rates *rates, size_t idx, double n, const sr_draw *d);

/* Where `leavers` persons who leave a cell of rate index idx go: to[o] along the state's
 * transition o (o < n_out), multinomial. */
void sr_draw_destinations(const sr_rates *rates, size_t idx, size_t n_out, double leavers,
                          const sr_draw *d, double *to);

/* The month-end moves of the n persons of one cell at rate index idx into
 * moved[0..n_out] (moved[n_out]: stayers). */
void sr_draw_moves(const sr_rates *rates, size_t idx, size_t n_out, double n, const sr_draw *d,
                   double *moved);

/* Whether two rate indices give every outcome the same probability. */
bool sr_same_rates(const sr_rates *rates, size_t a, size_t b, size_t n_out);

/* Scratch doubles sr_draw_pair needs for states of up to max_out transitions. */
#define SR_PAIR_SCRATCH(max_out) (10 * ((max_out) + 1) + 3)

/* The moves of one cell in both arms of a pair (sim/engine/arm.h): n[a] persons of arm a at
 * rate index idx[a], into moves[a][0..n_out]. Each arm's moves are exactly multinomial with
 * its own probabilities, and the arms are coupled as closely as that allows: min(n)
 * persons of each arm are paired with one of the other, whoever they are. A pair makes
 * move o together with probability min(p0[o], p1[o]) and otherwise parts, each moving by
 * the excess of its own arm's probabilities over the common part (a maximal coupling of
 * the pair; with equal probabilities pairs part only by rounding, with a probability of
 * about 1e-16, and sim/engine/arm.c draws those more cheaply, so this serves where the
 * intervention makes the arms differ). The larger arm's excess persons move
 * independently, by its probabilities. Expected: each arm's expected moves.
 * scratch: SR_PAIR_SCRATCH(n_out) doubles. */
void sr_draw_pair(const sr_rates *rates, const size_t idx[2], size_t n_out, const double n[2],
                  const sr_draw *d, double *scratch, double *const moves[2]);

#endif
