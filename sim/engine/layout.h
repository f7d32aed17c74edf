/* The cells of a cohort: how the engine counts persons (docs/model.md).
 *
 * A cell is (stratum, state, tenure level). A state keeps tenure only as finely as the
 * scenario needs it: levels 0 .. n_levels-1, where n_levels-1 is the smallest tenure from
 * which nothing changes any more (no hazard multiplier, cash flow or outcome changes at a
 * higher tenure, or the state's tenure_max). The last level reads "this tenure or more".
 * Within a state, cells whose hazards are equal form a band (bands start at the tenure
 * breakpoints of the state's outgoing transitions), so exit probabilities are computed per
 * band, not per level (sim/engine/rates.h).
 *
 * Invariants: the cells of state i are offset[i] .. offset[i] + n_levels[i] - 1, states
 * in order, n_cells in all per stratum; the bands of a state are consecutive, the first
 * starting at its level 0; settled[i] <= n_levels[i] - 1. */
#ifndef SR_LAYOUT_H
#define SR_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "models/model.h"

typedef struct {
    size_t n_states, n_strata;
    size_t n_cells;           /* cells per stratum */
    size_t *offset;           /* [n_states]: first cell of each state */
    unsigned *n_levels;       /* [n_states] */
    unsigned *settled;        /* [n_states]: the level from which the state's cells have the
                               * same hazards and cash flows, so the same future but for
                               * contract outcomes (<= n_levels - 1; levels above it exist
                               * only for outcome tenures) */
    size_t *band_of_cell;     /* [n_cells]: band index (over all states) of each cell */
    size_t n_bands;           /* bands per stratum */
    size_t *band_state;       /* [n_bands]: the state of each band */
    unsigned *band_tenure;    /* [n_bands]: the tenure at which each band starts */
    size_t max_out;           /* most transitions out of one state (>= 1) */
    size_t *n_out;            /* [n_states] */
    size_t *out;              /* [n_states * max_out]: transition indices out of each state */
    bool *absorbing;          /* [n_states] */
    long employed;            /* index of the state named "employed", or -1 */
} sr_layout;

sr_layout *sr_layout_alloc(const sr_model *m);
void sr_layout_free(sr_layout *l);   /* NULL is fine */
/* Bytes the layout took to build (models/size.h: an upper bound, allocator overhead in). */
double sr_layout_bytes(const sr_layout *l);

/* The cell at which a person in `state` with `tenure` months is counted. */
size_t sr_layout_cell(const sr_layout *l, size_t state, unsigned tenure);

/* Fills table[(stratum * n_cells + cell) * SR_PAYERS + payer] with the cash flow in DKK per
 * person-month, before indexation, that applies in month t (models/cashflow.h). */
void sr_cash_table(double *table, const sr_layout *l, const sr_model *m, const double *v,
                   int t);

#endif
