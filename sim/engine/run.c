/* The parallel driver (sim/engine/run.h): a workspace per thread, trials handed out in
 * chunks, each trial's rows copied into the result set at the trial's index.
 *
 * Invariants: the result set does not depend on the number of threads nor on which thread
 * ran a trial (every trial draws from its own keyed streams and writes only its own row);
 * the deterministic expectation runs once, before the trials, on the first workspace; an
 * interrupt stops the trials at their next month and the run returns no result set. What a
 * run allocates is what sr_run_memory_need counts, from the same layouts
 * (sim/engine/carve.h). */
#include "sim/engine/run.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "models/cashflow.h"
#include "models/size.h"
#include "sim/engine/carve.h"
#include "sim/engine/layout.h"
#include "sim/engine/progress.h"
#include "sim/engine/rates.h"
#include "sim/engine/records.h"
#include "sim/engine/trial.h"

/* One thread's workspace and the rows its trials land in before they are copied to the
 * result set's arrays at the trial's index. */
typedef struct {
    sr_trial_ws *trial;
    sr_level_row *rows;       /* [1 + n_programmes], one allocation with the values they
                               * point into (carve_rows) */
} thread_ws;

static void thread_ws_clear(thread_ws *t)
{
    sr_trial_ws_free(t->trial);
    free(t->rows);
}

/* Lays out `levels` rows and the values they point into on c (sim/engine/carve.h): level
 * k's metrics, then its annual flows. Returns the rows, NULL while measuring. */
static sr_level_row *carve_rows(sr_carve *c, size_t levels, size_t n_years)
{
    const size_t per_level = sr_level_row_values(n_years);
    sr_level_row *rows = sr_carve_take(c, levels, sizeof *rows);
    double *values = sr_carve_take(c, sr_size_mul(levels, per_level), sizeof *values);
    for (size_t k = 0; rows != NULL && k < levels; k++) {
        rows[k].metric = values + k * per_level;
        rows[k].annual = rows[k].metric + SR_N_METRICS;
    }
    return rows;
}

static int thread_ws_init(thread_ws *t, const sr_model *m, const sr_layout *l, size_t n_years,
                          int *too_many)
{
    const size_t levels = 1 + m->n_programmes;
    sr_carve c = {0};
    carve_rows(&c, levels, n_years);
    t->trial = sr_trial_ws_alloc(m, l, too_many);
    t->rows = sr_carve_alloc(&c) != NULL ? carve_rows(&c, levels, n_years) : NULL;
    return t->trial != NULL && t->rows != NULL ? 0 : -1;
}

/* Bytes of one thread's rows (carve_rows). */
static double rows_bytes(size_t levels, size_t n_years)
{
    sr_carve c = {0};
    carve_rows(&c, levels, n_years);
    return sr_carve_bytes(&c);
}

/* Copies the trial's contract records (sr_trial_run leaves them in the workspace) into
 * row `row` of the run's records. */
static void keep_records(sr_records *r, const sr_trial_ws *w, size_t row)
{
    for (size_t p = 0; p < r->n_programmes; p++)
        memcpy(sr_records_at(r, p, row), w->records[p], r->size[p] * sizeof(double));
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void show_progress(size_t done, size_t total, double started, bool final)
{
    double elapsed = now_seconds() - started;
    double eta = done > 0 ? elapsed * (double)(total - done) / (double)done : 0.0;
    fprintf(stderr, "\r  trials %zu/%zu (%3.0f%%)  elapsed %.1f s  ETA %.1f s   ", done, total,
            100.0 * (double)done / (double)total, elapsed, eta);
    if (final)
        fputc('\n', stderr);
}

static char *copy_string(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c != NULL)
        memcpy(c, s, n);
    return c;
}

/* The numbers recorded per trial in /parameters (sr_model_inputs): rs's columns, each
 * named by its parameter's name or its key path ('/', which cannot be in a dataset's name,
 * as '|') with its key path beside; returns the entries (malloc'd), NULL when out of
 * memory. */
static sr_num *record_inputs(const sr_model *m, sr_resultset *rs)
{
    sr_num *inputs = malloc((m->n_parameters + m->n_num + 1) * sizeof *inputs);
    if (inputs == NULL)
        return NULL;
    const size_t n = sr_model_inputs(m, inputs);
    if (sr_resultset_alloc_parameters(rs, n) != 0)
        goto fail;
    for (size_t k = 0; k < n; k++) {
        const char *name = sr_model_input_name(m, inputs[k]);
        const bool named = m->num[inputs[k]].parameter >= 0;
        char *path = malloc(strlen(name) + sizeof "parameters.");
        if ((rs->parameter_names[k] = copy_string(name)) == NULL || path == NULL) {
            free(path);
            goto fail;
        }
        snprintf(path, strlen(name) + sizeof "parameters.", "%s%s", named ? "parameters." : "",
                 name);
        rs->parameter_paths[k] = path;
        for (char *c = rs->parameter_names[k]; *c != '\0'; c++)
            if (*c == '/')
                *c = '|';
    }
    return inputs;
fail:
    free(inputs);
    return NULL;
}

int sr_run_threads(const sr_model *m, const sr_run_options *o)
{
    int threads = o != NULL && o->threads > 0 ? o->threads : omp_get_max_threads();
    if (threads > SR_MAX_THREADS)   /* OMP_NUM_THREADS is not checked by anyone else */
        threads = SR_MAX_THREADS;
    if ((size_t)threads > m->trials)
        threads = (int)m->trials;
    return threads;
}

static double string_bytes(const char *s)
{
    return s != NULL ? sr_array_bytes(strlen(s) + 1, 1) : 0.0;
}

int sr_run_memory_need(const sr_model *m, const char *scenario_text, const sr_run_options *o,
                       sr_run_memory *out)
{
    sr_layout *l = sr_layout_alloc(m);
    if (l == NULL)
        return -1;
    const size_t n_years = sr_n_calendar_years(m), levels = 1 + m->n_programmes;
    out->threads = sr_run_threads(m, o);
    out->trials = m->trials;
    out->per_thread = sr_trial_ws_bytes(m, l) + rows_bytes(levels, n_years);
    out->shared = sr_layout_bytes(l) + sr_array_bytes((size_t)out->threads, sizeof(thread_ws));
    sr_num *inputs = malloc((m->n_parameters + m->n_num + 1) * sizeof *inputs);
    if (inputs == NULL) {
        sr_layout_free(l);
        return -1;
    }
    const size_t n_inputs = sr_model_inputs(m, inputs);
    out->results = sr_resultset_bytes(m->trials, n_years, m->n_programmes, n_inputs) +
                   string_bytes(scenario_text);
    for (size_t p = 0; p < m->n_programmes; p++)
        out->results += string_bytes(m->programmes[p].name);
    for (size_t k = 0; k < n_inputs; k++)   /* a name and a path, at most the path twice */
        out->results += 2 * string_bytes(sr_model_input_name(m, inputs[k])) +
                        sr_array_bytes(sizeof "parameters.", 1);
    free(inputs);
    if (o != NULL && o->keep_records)
        out->results += sr_records_bytes(m, m->trials);
    sr_layout_free(l);
    return 0;
}

sr_resultset *sr_run(const sr_model *m, const char *scenario_text, const sr_run_options *o,
                     sr_error *err)
{
    const size_t n_trials = m->trials, P = m->n_programmes;
    const size_t n_years = sr_n_calendar_years(m);
    const int threads = sr_run_threads(m, o);

    int too_many = 0;
    sr_layout *layout = sr_layout_alloc(m);
    sr_resultset *rs = sr_resultset_alloc(n_trials, n_years, m->start_year, P);
    thread_ws *ws = calloc((size_t)threads, sizeof *ws);
    sr_num *inputs = NULL;
    if (layout == NULL || rs == NULL || ws == NULL)
        goto nomem;
    /* Each thread allocates its own workspace (a static schedule of chunk 1 gives thread t
     * iteration t), from its own arena: no two threads' scratch arrays share a cache line. */
    int failed = 0;
#pragma omp parallel for num_threads(threads) schedule(static, 1) \
    reduction(| : failed) reduction(max : too_many)
    for (int t = 0; t < threads; t++)
        failed |= thread_ws_init(&ws[t], m, layout, n_years, &too_many) != 0;
    if (failed)
        goto nomem;
    for (int t = 0; t < threads; t++)   /* trials stop at their next month when it is set */
        ws[t].trial->interrupted = o != NULL ? o->interrupted : NULL;
    rs->seed = m->seed;
    sr_resultset_set_payers(rs, m);
    rs->rng_name = "SplitMix64, a stream per (seed, trial, programme, arm, purpose) and sub-key";
    rs->scenario_text = copy_string(scenario_text);
    for (size_t p = 0; p < P; p++)
        if ((rs->programme_names[p] = copy_string(m->programmes[p].name)) == NULL)
            goto nomem;
    if ((inputs = record_inputs(m, rs)) == NULL)
        goto nomem;
    if (o != NULL && o->keep_records && (rs->records = sr_records_alloc(m, n_trials)) == NULL)
        goto nomem;

    /* The deterministic expectation, on the first workspace. */
    sr_trial_run(ws[0].trial, m->seed, 0, true, ws[0].rows);
    for (size_t k = 0; k < SR_N_METRICS; k++) {
        rs->portfolio.deterministic[k] = ws[0].rows[0].metric[k];
        for (size_t p = 0; p < P; p++)
            rs->programme[p].deterministic[k] = ws[0].rows[1 + p].metric[k];
    }
    if (rs->records != NULL) {
        /* the rows' values lie one after another from the first row's metrics */
        memcpy(rs->records->deterministic_rows, ws[0].rows[0].metric,
               (1 + P) * sr_level_row_values(n_years) * sizeof(double));
        keep_records(rs->records, ws[0].trial, 0);
    }

    const bool progress = o != NULL && o->progress;
    volatile sig_atomic_t *interrupted = o != NULL ? o->interrupted : NULL;
    const double started = now_seconds();
    size_t done = 0;
    int stop = 0;
    double last_shown = started;

#pragma omp parallel num_threads(threads) default(none) \
    shared(ws, m, rs, inputs, done, stop, interrupted, last_shown) \
    firstprivate(n_trials, n_years, P, progress, started)
    {
        thread_ws *mine = &ws[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 4)
        for (size_t i = 0; i < n_trials; i++) {
            int halt;
#pragma omp atomic read
            halt = stop;
            if (halt)
                continue;
            if (interrupted != NULL && *interrupted) {
#pragma omp atomic write
                stop = 1;
                continue;
            }
            sr_trial_run(mine->trial, m->seed, i, false, mine->rows);
            if (interrupted != NULL && *interrupted) {   /* the trial may have stopped */
#pragma omp atomic write
                stop = 1;
                continue;
            }
            sr_level_store(&rs->portfolio, &mine->rows[0], n_trials, n_years, i);
            for (size_t p = 0; p < P; p++)
                sr_level_store(&rs->programme[p], &mine->rows[1 + p], n_trials, n_years, i);
            for (size_t k = 0; k < rs->n_parameters; k++)
                rs->parameters[k * n_trials + i] = mine->trial->values[inputs[k]];
            if (rs->records != NULL)
                keep_records(rs->records, mine->trial, 1 + i);
            rs->recession_months[i] = mine->trial->recession_months;
            rs->factor_mean[i] = mine->trial->factor_mean;
            size_t now_done;
#pragma omp atomic capture
            now_done = ++done;
            if (progress && omp_get_thread_num() == 0 && now_seconds() - last_shown > 0.25) {
                last_shown = now_seconds();
                show_progress(now_done, n_trials, started, false);
            }
        }
    }
    if (progress)
        show_progress(done, n_trials, started, true);

    for (int t = 0; t < threads; t++)
        thread_ws_clear(&ws[t]);
    free(ws);
    free(inputs);
    sr_layout_free(layout);
    if (stop) {
        sr_resultset_free(rs);
        sr_error_set(err, SR_EXIT_INTERRUPTED, "interrupted after %zu of %zu trials", done,
                     n_trials);
        return NULL;
    }
    return rs;

nomem:
    if (ws != NULL)
        for (int t = 0; t < threads; t++)
            thread_ws_clear(&ws[t]);
    free(ws);
    free(inputs);
    sr_layout_free(layout);
    sr_resultset_free(rs);
    if (too_many)
        sr_error_set(err, SR_EXIT_DATAERR, "a rate card has more than %d combinations of "
                     "outcomes per state: use fewer outcome tenures", SR_PROGRESS_MAX);
    else
        sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for %zu trials", n_trials);
    return NULL;
}
