/* Every trial's contract records of a run (sim/engine/contract.h), kept when the run is
 * asked to (sr_run_options.keep_records), so that its trials can be settled again under
 * other terms (sr_trial_settle) without simulating their arms again: contract terms never
 * change the paths. With them, the deterministic expectation's trial rows, which the
 * result set keeps only in part (its metrics, not its yearly flows). */
#ifndef SR_RECORDS_H
#define SR_RECORDS_H

#include <stddef.h>

#include "models/model.h"

typedef struct sr_records {
    size_t n_trials, n_programmes;
    size_t *size;             /* [n_programmes]: doubles in a record of the programme (0:
                               * it has no contract) */
    double **record;          /* [n_programmes]: row 0 the deterministic expectation's
                               * record, row 1 + i trial i's, size[p] doubles each */
    double *deterministic_rows; /* [(1 + n_programmes) * sr_level_row_values(n_years)]:
                                 * the deterministic expectation's rows (the portfolio's,
                                 * then each programme's) as sr_trial_run left them */
} sr_records;

/* Zeroed records of m's programmes for n_trials trials; NULL when out of memory. */
sr_records *sr_records_alloc(const sr_model *m, size_t n_trials);
void sr_records_free(sr_records *r);   /* NULL is fine */
/* Bytes sr_records_alloc(m, n_trials) takes (models/size.h: an upper bound). */
double sr_records_bytes(const sr_model *m, size_t n_trials);
/* Doubles the records of one trial take, over every programme: what keeping them costs
 * per trial. */
size_t sr_records_per_trial(const sr_model *m);

/* Programme p's record in row `row` (0: the deterministic expectation, 1 + i: trial i). */
static inline double *sr_records_at(const sr_records *r, size_t p, size_t row)
{
    return r->record[p] + row * r->size[p];
}

#endif
