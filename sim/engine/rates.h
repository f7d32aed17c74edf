/* The monthly exit probabilities of each band of cells (sim/engine/layout.h), tabulated
 * once per trial (or once per run when nothing in them is uncertain).
 *
 * Exit probabilities (docs/model.md): with hazards h_1..h_k out of a state, H = sum h_j, a person
 * leaves with probability q = 1 - exp(-H) and, given that, goes to j with h_j / H. They are
 * stored with log(1 - q) and log(q), which binomial inversion needs, and twice for the
 * split over destinations: cumulative (cum[j] = (h_1 + ... + h_j) / H, for drawing a
 * few leavers one by one) and conditional (cond[j] = h_j / (H - h_1 - ... - h_{j-1}),
 * for sequential binomials when many leave).
 *
 * Tables are indexed by (macro condition, effect phase, stratum, band). Phase 0 is no effect
 * (hazard ratio 1); phase 1 the full hazard ratio; phase 2+k fade month k (models/hazard.h).
 * Invariants, checked in a SIRISK_DEBUG build as they are computed: 0 <= q <= 1; a
 * state's cum is non-decreasing within [0, 1] and its last transition's entry is 1; each
 * cond lies in [0, 1], the last transition's 1 where anyone leaves. */
#ifndef SR_RATES_H
#define SR_RATES_H

#include <stddef.h>

#include "models/hazard.h"
#include "models/model.h"
#include "sim/engine/layout.h"

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

/* Fills r for programme p with the number values v, for each of r->n_conds macro
 * conditions. r was allocated for the layout with sr_effect_phases(p) phases. */
void sr_rates_compute(sr_rates *r, const sr_layout *l, const sr_model *m,
                      const sr_programme *p, const double *v, const sr_macro_cond *conds);

static inline size_t sr_rates_index(const sr_rates *r, size_t cond, size_t phase,
                                    size_t stratum, size_t band)
{
    return ((cond * r->n_phases + phase) * r->n_strata + stratum) * r->n_bands + band;
}

#endif
