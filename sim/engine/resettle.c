#include "sim/engine/resettle.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "models/cashflow.h"
#include "models/size.h"
#include "sim/engine/contract.h"
#include "sim/engine/records.h"
#include "sim/engine/trial.h"

/* One thread's workspace: the contracts' and the trial's rows, every level. */
typedef struct {
    sr_contract_ws *contract;
    double *buffer;                 /* [(1 + n_programmes) * sr_level_row_values(n_years)] */
    sr_level_row *rows;             /* [1 + n_programmes] into buffer */
    const double **records;         /* [n_programmes] the trial's records */
} thread_ws;

struct sr_resettle {
    const sr_model *model;
    const sr_resultset *base;
    int threads;
    thread_ws *ws;                  /* [threads] */
};

static size_t levels_of(const sr_model *m)
{
    return 1 + m->n_programmes;
}

sr_resettle *sr_resettle_alloc(const sr_model *m, const sr_resultset *base, int threads)
{
    sr_resettle *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->model = m;
    r->base = base;
    r->ws = calloc((size_t)threads, sizeof *r->ws);
    if (r->ws == NULL) {
        free(r);
        return NULL;
    }
    r->threads = threads;
    const size_t levels = levels_of(m), per_level = sr_level_row_values(base->n_years);
    for (int t = 0; t < threads; t++) {
        thread_ws *w = &r->ws[t];
        w->contract = sr_contract_ws_alloc(m);
        w->buffer = calloc(sr_size_mul(levels, per_level), sizeof *w->buffer);
        w->rows = calloc(levels, sizeof *w->rows);
        w->records = calloc(m->n_programmes > 0 ? m->n_programmes : 1, sizeof *w->records);
        if (!w->contract || !w->buffer || !w->rows || !w->records) {
            sr_resettle_free(r);
            return NULL;
        }
        for (size_t k = 0; k < levels; k++) {
            w->rows[k].metric = w->buffer + k * per_level;
            w->rows[k].annual = w->rows[k].metric + SR_N_METRICS;
        }
    }
    return r;
}

void sr_resettle_free(sr_resettle *r)
{
    if (r == NULL)
        return;
    for (int t = 0; t < r->threads; t++) {
        sr_contract_ws_free(r->ws[t].contract);
        free(r->ws[t].buffer);
        free(r->ws[t].rows);
        free(r->ws[t].records);
    }
    free(r->ws);
    free(r);
}

double sr_resettle_bytes(const sr_model *m, int threads)
{
    const size_t levels = levels_of(m);
    const double per_thread =
        sr_contract_ws_bytes(m) +
        sr_array_bytes(sr_size_mul(levels, sr_level_row_values(sr_n_calendar_years(m))),
                       sizeof(double)) +
        sr_array_bytes(levels, sizeof(sr_level_row)) +
        sr_array_bytes(m->n_programmes > 0 ? m->n_programmes : 1, sizeof(double *));
    return sr_array_bytes(1, sizeof(sr_resettle)) +
           sr_array_bytes((size_t)threads, sizeof(thread_ws)) + threads * per_thread;
}

/* Settles trial i (row 1 + i of the records) in w's rows, loaded from the base run. */
static void settle_trial(const sr_resettle *r, thread_ws *w, sr_changes changes, size_t i)
{
    const sr_resultset *b = r->base;
    const sr_model *m = r->model;
    for (size_t p = 0; p < m->n_programmes; p++) {
        sr_level_load(&b->programme[p], &w->rows[1 + p], b->n_trials, b->n_years, i);
        w->records[p] = sr_records_at(b->records, p, 1 + i);
    }
    sr_trial_settle(m, w->contract, w->records, changes.terms, changes.n, w->rows);
}

void sr_resettle_columns(sr_resettle *r, sr_changes changes, size_t first, size_t last,
                         const sr_resettle_pick *picks, size_t n_picks, double *const *columns)
{
#pragma omp parallel for num_threads(r->threads) schedule(static)
    for (size_t i = first; i < last; i++) {
        thread_ws *w = &r->ws[omp_get_thread_num()];
        settle_trial(r, w, changes, i);
        for (size_t j = 0; j < n_picks; j++)
            columns[j][i - first] = w->rows[picks[j].level].metric[picks[j].metric];
    }
}

void sr_resettle_all(sr_resettle *r, sr_changes changes, sr_resultset *out)
{
    const sr_resultset *b = r->base;
    const sr_model *m = r->model;
    const size_t n = b->n_trials, Y = b->n_years, P = m->n_programmes;
#pragma omp parallel for num_threads(r->threads) schedule(static)
    for (size_t i = 0; i < n; i++) {
        thread_ws *w = &r->ws[omp_get_thread_num()];
        settle_trial(r, w, changes, i);
        sr_level_store(&out->portfolio, &w->rows[0], n, Y, i);
        for (size_t p = 0; p < P; p++)
            sr_level_store(&out->programme[p], &w->rows[1 + p], n, Y, i);
    }
    /* The deterministic expectation, from its rows as the run left them. */
    thread_ws *w = &r->ws[0];
    memcpy(w->buffer, b->records->deterministic_rows,
           levels_of(m) * sr_level_row_values(Y) * sizeof(double));
    for (size_t p = 0; p < P; p++)
        w->records[p] = sr_records_at(b->records, p, 0);
    sr_trial_settle(m, w->contract, w->records, changes.terms, changes.n, w->rows);
    for (size_t k = 0; k < SR_N_METRICS; k++) {
        out->portfolio.deterministic[k] = w->rows[0].metric[k];
        for (size_t p = 0; p < P; p++)
            out->programme[p].deterministic[k] = w->rows[1 + p].metric[k];
    }
}
