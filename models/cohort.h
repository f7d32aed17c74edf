/* The cohort as counts per cell, and the monthly exit probabilities of each cell.
 *
 * A cell is (stratum, state, tenure level). A state keeps tenure only as finely as the
 * scenario needs it: levels 0 .. n_levels-1, where n_levels-1 is the smallest tenure from
 * which nothing changes any more (no hazard multiplier, cash flow or outcome changes at a
 * higher tenure, or the state's tenure_max). The last level reads "this tenure or more".
 * Within a state, cells whose hazards are equal form a band (bands start at the tenure
 * breakpoints of the state's outgoing transitions), so exit probabilities are computed per
 * band, not per level.
 *
 * Exit probabilities (docs/model.md): with hazards h_1..h_k out of a state, H = sum h_j, a person
 * leaves with probability q = 1 - exp(-H) and, given that, goes to j with h_j / H. They are
 * stored with log(1 - q) and log(q), which binomial inversion needs, and twice for the
 * split over destinations: cumulative (cum[j] = (h_1 + ... + h_j) / H, for drawing a
 * few leavers one by one) and conditional (cond[j] = h_j / (H - h_1 - ... - h_{j-1}),
 * for sequential binomials when many leave).
 *
 * Tables are indexed by (macro condition, effect phase, stratum, band). Phase 0 is no effect
 * (hazard ratio 1); phase 1 the full hazard ratio; phase 2+k fade month k (docs/model.md). */
#ifndef SR_COHORT_H
#define SR_COHORT_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

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

/* The macro labour market's action on hazards in one month (docs/model.md). */
typedef struct {
    double pro, counter;      /* hazard multipliers (regime model); 1 = no effect */
    bool factor;              /* gaussian factor: p' = Phi((Phi^-1(p) + s*shift) * inv_sd) */
    double shift;             /* sqrt(rho) * Z_t */
    double inv_sd;            /* 1 / sqrt(1 - rho) */
} sr_macro_cond;

extern const sr_macro_cond sr_macro_neutral;

typedef struct {
    size_t n_conds, n_phases, n_strata, n_bands, max_out;
    double *q;                /* [n_conds * n_phases * n_strata * n_bands]: exit probability */
    double *log_stay;         /* the same index: log(1 - q) */
    double *log_leave;        /* the same index: log(q); this and the split's logarithms
                               * are NaN (computed where needed) under the factor model */
    double *cum;              /* the same index * max_out: cumulative split probabilities */
    double *cond;             /* the same index * max_out: sequential split probabilities */
    double *cond_log_stay;    /* the same index * max_out: log(1 - cond) */
    double *cond_log_leave;   /* the same index * max_out: log(cond) */
    double *hazard, *probit;  /* scratch [n_phases * n_strata * n_bands * max_out]: hazards
                               * before macro conditions, and the probits of their monthly
                               * probabilities */
} sr_rates;

sr_rates *sr_rates_alloc(const sr_layout *l, size_t n_conds, size_t n_phases);
void sr_rates_free(sr_rates *r);     /* NULL is fine */
/* Bytes sr_rates_alloc takes with the same arguments, from the same element counts. */
double sr_rates_bytes(const sr_layout *l, size_t n_conds, size_t n_phases);

/* Number of effect phases a programme needs: 1 without intervention, else 2 + fade. */
size_t sr_effect_phases(const sr_programme *p);

/* The hazard ratio of phase `phase` for stratum s (docs/model.md), with size scaling. */
double sr_phase_hazard_ratio(const sr_model *m, const sr_programme *p, const double *v,
                             size_t stratum, size_t phase);

/* Fills r for programme p with the number values v, for each of r->n_conds macro
 * conditions. r was allocated for the layout with sr_effect_phases(p) phases. */
void sr_rates_compute(sr_rates *r, const sr_layout *l, const sr_model *m,
                      const sr_programme *p, const double *v, const sr_macro_cond *conds);

static inline size_t sr_rates_index(const sr_rates *r, size_t cond, size_t phase,
                                    size_t stratum, size_t band)
{
    return ((cond * r->n_phases + phase) * r->n_strata + stratum) * r->n_bands + band;
}

/* The monthly hazard of transition j for stratum s at tenure `tenure`, hazard ratio hr
 * (applied only if the programme's effect covers j), before macro conditions. */
double sr_transition_hazard(const sr_model *m, const double *v, size_t j, size_t stratum,
                            unsigned tenure, double hr, const sr_programme *p);

#endif
