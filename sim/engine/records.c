#include "sim/engine/records.h"

#include <stdlib.h>

#include "models/cashflow.h"
#include "models/size.h"
#include "sim/engine/contract.h"
#include "sim/engine/results.h"

/* Elements of programme p's rows (the deterministic expectation's and every trial's) and
 * of the deterministic expectation's level rows, which sr_records_alloc allocates and
 * sr_records_bytes adds up; at least 1 each. */
static size_t programme_values(const sr_model *m, size_t p, size_t n_trials)
{
    size_t n = sr_size_mul(sr_contract_record_size(m, &m->programmes[p]),
                           sr_size_add(n_trials, 1));
    return n > 0 ? n : 1;
}

static size_t deterministic_values(const sr_model *m)
{
    return sr_size_mul(1 + m->n_programmes, sr_level_row_values(sr_n_calendar_years(m)));
}

sr_records *sr_records_alloc(const sr_model *m, size_t n_trials)
{
    sr_records *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    const size_t P = m->n_programmes;
    r->n_trials = n_trials;
    r->size = calloc(P > 0 ? P : 1, sizeof *r->size);
    r->record = calloc(P > 0 ? P : 1, sizeof *r->record);
    r->deterministic_rows = calloc(deterministic_values(m), sizeof *r->deterministic_rows);
    if (r->size == NULL || r->record == NULL || r->deterministic_rows == NULL)
        goto fail;
    r->n_programmes = P;   /* from here on, free walks the programmes */
    for (size_t p = 0; p < P; p++) {
        r->size[p] = sr_contract_record_size(m, &m->programmes[p]);
        if ((r->record[p] = calloc(programme_values(m, p, n_trials), sizeof(double))) == NULL)
            goto fail;
    }
    return r;
fail:
    sr_records_free(r);
    return NULL;
}

void sr_records_free(sr_records *r)
{
    if (r == NULL)
        return;
    for (size_t p = 0; p < r->n_programmes; p++)
        free(r->record[p]);
    free(r->record);
    free(r->size);
    free(r->deterministic_rows);
    free(r);
}

double sr_records_bytes(const sr_model *m, size_t n_trials)
{
    const size_t P = m->n_programmes > 0 ? m->n_programmes : 1;
    double bytes = sr_array_bytes(1, sizeof(sr_records)) + sr_array_bytes(P, sizeof(size_t)) +
                   sr_array_bytes(P, sizeof(double *)) +
                   sr_array_bytes(deterministic_values(m), sizeof(double));
    for (size_t p = 0; p < m->n_programmes; p++)
        bytes += sr_array_bytes(programme_values(m, p, n_trials), sizeof(double));
    return bytes;
}

size_t sr_records_per_trial(const sr_model *m)
{
    size_t n = 0;
    for (size_t p = 0; p < m->n_programmes; p++)
        n += sr_contract_record_size(m, &m->programmes[p]);
    return n;
}
