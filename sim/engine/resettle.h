/* A run's trials settled again under a changed contract term, from the contract records
 * the run kept (sim/engine/records.h), on OpenMP threads: what a price search does for
 * every candidate term. Contract terms never change the simulated paths, so nothing is
 * simulated again: each trial's rows are loaded from the run's result set and its
 * contracts settled by sr_trial_settle, the function every trial of a run ends with. A
 * trial settled again under a term therefore equals, to the bit, the same trial of a run
 * of the scenario with that term set (`sirisk run --set`). */
#ifndef SR_RESETTLE_H
#define SR_RESETTLE_H

#include <stddef.h>

#include "models/metric.h"
#include "models/model.h"
#include "models/terms.h"
#include "sim/engine/results.h"

typedef struct sr_resettle sr_resettle;

/* Workspaces for settling again the trials of base, a run of m that kept its records
 * (sr_run_options.keep_records), on `threads` threads (>= 1). NULL when out of memory. */
sr_resettle *sr_resettle_alloc(const sr_model *m, const sr_resultset *base, int threads);
void sr_resettle_free(sr_resettle *r);   /* NULL is fine */
/* Bytes sr_resettle_alloc takes (models/size.h: an upper bound). */
double sr_resettle_bytes(const sr_model *m, int threads);

/* A figure collected per trial: a metric at a level (0: the portfolio, 1 + p: programme p). */
typedef struct {
    size_t level;
    sr_metric metric;
} sr_resettle_pick;

/* The terms changed, in order (models/terms.h); none: the terms as drawn. */
typedef struct {
    const sr_term *terms;
    size_t n;
} sr_changes;

/* Settles trials first .. last - 1 of the base run under the changes, and writes figure
 * picks[j] of trial i into columns[j][i - first]. */
void sr_resettle_columns(sr_resettle *r, sr_changes changes, size_t first, size_t last,
                         const sr_resettle_pick *picks, size_t n_picks, double *const *columns);

/* Settles every trial and the deterministic expectation under the changes into out, a result
 * set of the same shape as the base run's whose other figures it holds too (the base
 * itself may be out: each trial is read before it is written). */
void sr_resettle_all(sr_resettle *r, sr_changes changes, sr_resultset *out);

#endif
