/* The value-of-information analysis of a result set's trials (voi.h): which trials each
 * figure uses, the figures as independent tasks over threads, and the monotone
 * construction and standard errors that combine a decision's figures. */
#include "sim/engine/voi.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/smooth.h"
#include "models/size.h"
#include "sim/engine/rng.h"

/* Intervals between the breakpoints of each spline margin, by the number of inputs
 * regressed on: (intervals + 3)^inputs basis functions, 13, 81 and 216. */
static const size_t intervals_for[SR_SMOOTH_MAX_INPUTS + 1] = {0, 10, 6, 3};

/* Seeds of the bootstrap, by what it resamples for: one per metric's attribution and one
 * per decision, so that every figure of a decision draws the same trials per replicate. */
enum { SEED_VARIANCE = 1, SEED_DECISION = 2 };

static unsigned long figure_seed(uint64_t seed, uint64_t kind, uint64_t index)
{
    return (unsigned long)sr_stream_sub(sr_stream_sub(seed, kind), index);
}

void sr_voi_data_clear(sr_voi_data *d)
{
    for (size_t k = 0; d->inputs != NULL && k < d->n_inputs; k++) {
        free(d->inputs[k].name);
        free(d->inputs[k].x);
    }
    free(d->inputs);
    for (size_t m = 0; m < SR_N_METRICS; m++)
        free(d->metric[m]);
    memset(d, 0, sizeof *d);
}

int sr_voi_data_add(sr_voi_data *d, const char *prefix, const char *name, double *x,
                    sr_error *err)
{
    sr_voi_input *grown = realloc(d->inputs, (d->n_inputs + 1) * sizeof *grown);
    char *full = malloc(strlen(prefix) + strlen(name) + 1);
    if (grown != NULL)
        d->inputs = grown;
    if (grown == NULL || full == NULL) {
        free(full);
        free(x);
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    }
    sprintf(full, "%s%s", prefix, name);
    d->inputs[d->n_inputs++] = (sr_voi_input){.name = full, .x = x};
    return 0;
}

/* ---- the trials a figure uses --------------------------------------------------------- */

/* Trial indices, increasing. */
typedef struct {
    size_t n;
    size_t *row;
} rowset;

/* Whether trial i has a finite value of every varying input. */
static bool inputs_finite(const sr_voi_data *d, const bool *varies, size_t i)
{
    for (size_t k = 0; k < d->n_inputs; k++)
        if (varies[k] && !isfinite(d->inputs[k].x[i]))
            return false;
    return true;
}

/* The trials with finite inputs where each of the n_cols columns (NULL: 0 everywhere) is
 * finite. -1 when out of memory. */
static int rows_where(const sr_voi_data *d, const bool *varies, const double *const *cols,
                      size_t n_cols, rowset *rows)
{
    rows->n = 0;
    rows->row = malloc(sr_size_mul(d->n_trials, sizeof *rows->row));
    if (rows->row == NULL)
        return -1;
    for (size_t i = 0; i < d->n_trials; i++) {
        bool ok = inputs_finite(d, varies, i);
        for (size_t c = 0; ok && c < n_cols; c++)
            ok = cols[c] == NULL || isfinite(cols[c][i]);
        if (ok)
            rows->row[rows->n++] = i;
    }
    return 0;
}

/* A decision's net benefits per trial: option d's column, NULL for SR_VOI_ZERO. A metric
 * the data lacks gives no trial. */
static const double *option_column(const sr_voi_data *d, const sr_voi_option *o, bool *missing)
{
    if (o->metric == SR_VOI_ZERO)
        return NULL;
    if (d->metric[o->metric] == NULL)
        *missing = true;
    return d->metric[o->metric];
}

/* The decision's trials and its increments over them: g[(j - 1) * n + i] = NB_j - NB_0 in
 * the i-th trial used. -1 when out of memory. */
static int decision_increments(const sr_voi_data *d, const bool *varies,
                               const sr_voi_decision_spec *s, rowset *rows, double **g)
{
    const double *cols[SR_VOI_MAX_OPTIONS] = {NULL};
    bool missing = false;
    for (size_t j = 0; j < s->n_options; j++)
        cols[j] = option_column(d, &s->options[j], &missing);
    *g = NULL;
    if (rows_where(d, varies, cols, s->n_options, rows) != 0)
        return -1;
    if (missing)
        rows->n = 0;
    const size_t n = rows->n, k = s->n_options - 1;
    *g = malloc(sr_size_mul(k, n > 0 ? n : 1) * sizeof **g);
    if (*g == NULL)
        return -1;
    for (size_t j = 1; j < s->n_options; j++)
        for (size_t i = 0; i < n; i++) {
            const size_t t = rows->row[i];
            (*g)[(j - 1) * n + i] = (cols[j] != NULL ? cols[j][t] : 0.0) -
                                    (cols[0] != NULL ? cols[0][t] : 0.0);
        }
    return 0;
}

/* ---- one regression figure ------------------------------------------------------------ */

/* The statistic of the k responses y[j * rows->n + i] regressed on the inputs of set
 * (columns xs, over the trials rows), its estimate and B replicates rep[B]. 0, or -1
 * when memory runs out or a fit fails. */
static int regress(const double *const *xs, const sr_voi_set *set, const rowset *rows,
                   sr_voi_statistic stat, const double *y, size_t k, size_t B,
                   unsigned long seed, double *estimate, double *rep)
{
    const size_t n = rows->n;
    double *x[SR_SMOOTH_MAX_INPUTS] = {NULL};
    double *scratch = malloc(sr_size_mul(n, k + 1) * sizeof *scratch);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    sr_smooth_basis *b = NULL;
    sr_smooth_ws *ws = NULL;
    int rc = -1;
    if (scratch == NULL || rng == NULL)
        goto out;
    for (size_t j = 0; j < set->n; j++) {
        if ((x[j] = malloc(n * sizeof *x[j])) == NULL)
            goto out;
        for (size_t i = 0; i < n; i++)
            x[j][i] = xs[set->member[j]][rows->row[i]];
    }
    b = sr_smooth_basis_alloc((const double *const *)x, set->n, n, intervals_for[set->n]);
    ws = b != NULL ? sr_smooth_ws_alloc(b->p) : NULL;
    if (ws != NULL)
        rc = sr_voi_estimate(ws, b, stat, y, k, B, rng, seed, scratch, estimate, rep, NULL);
out:
    for (size_t j = 0; j < set->n; j++)
        free(x[j]);
    sr_smooth_ws_free(ws);
    sr_smooth_basis_free(b);
    gsl_rng_free(rng);
    free(scratch);
    return rc;
}

/* ---- the analysis --------------------------------------------------------------------- */

/* What one task computes: a metric's index of one input, or a decision's EVPPI of one
 * set. */
typedef struct {
    bool decision;
    size_t owner;             /* the metric's row in report->variance, or the decision */
    size_t set;               /* the input (attribution) or the set (decision) */
    double estimate;
    double *rep;              /* [B] */
} task;

/* What the tasks share: each attribution's and decision's trials and responses. */
typedef struct {
    rowset *rows;             /* [n_variance + n_decisions] */
    double **y;               /* the same: a metric's values, or a decision's increments */
} figures;

static void figures_clear(figures *f, size_t n)
{
    for (size_t j = 0; f->rows != NULL && j < n; j++)
        free(f->rows[j].row);
    for (size_t j = 0; f->y != NULL && j < n; j++)
        free(f->y[j]);
    free(f->rows);
    free(f->y);
}

/* Which inputs vary, and the largest correlation between two of them. */
static int survey_inputs(const sr_voi_data *d, sr_voi_report *r)
{
    r->varies = calloc(d->n_inputs > 0 ? d->n_inputs : 1, sizeof *r->varies);
    if (r->varies == NULL)
        return -1;
    for (size_t k = 0; k < d->n_inputs; k++) {
        const double *x = d->inputs[k].x;
        double first = NAN;
        for (size_t i = 0; i < d->n_trials && !r->varies[k]; i++)
            if (isfinite(x[i])) {
                if (isnan(first))
                    first = x[i];
                else
                    r->varies[k] = x[i] != first;
            }
    }
    rowset rows;
    if (rows_where(d, r->varies, NULL, 0, &rows) != 0)
        return -1;
    double *a = malloc((rows.n + 1) * sizeof *a), *b = malloc((rows.n + 1) * sizeof *b);
    int rc = a != NULL && b != NULL ? 0 : -1;
    for (size_t p = 0; rc == 0 && rows.n > 2 && p < d->n_inputs; p++)
        for (size_t q = p + 1; r->varies[p] && q < d->n_inputs; q++) {
            if (!r->varies[q])
                continue;
            for (size_t i = 0; i < rows.n; i++) {
                a[i] = d->inputs[p].x[rows.row[i]];
                b[i] = d->inputs[q].x[rows.row[i]];
            }
            const double c = fabs(gsl_stats_correlation(a, 1, b, 1, rows.n));
            if (c > r->max_correlation) {
                r->max_correlation = c;
                r->correlated[0] = p;
                r->correlated[1] = q;
            }
        }
    free(a);
    free(b);
    free(rows.row);
    return rc;
}

/* A decision's sets: every varying input alone, then the groups. */
static int decision_sets(const sr_voi_report *r, const sr_voi_spec *spec, sr_voi_decision *dec)
{
    dec->sets = calloc(r->n_inputs + spec->n_groups + 1, sizeof *dec->sets);
    if (dec->sets == NULL)
        return -1;
    for (size_t k = 0; k < r->n_inputs; k++)
        if (r->varies[k])
            dec->sets[dec->n_sets++] = (sr_voi_set){1, {k}};
    for (size_t g = 0; g < spec->n_groups; g++)
        dec->sets[dec->n_sets++] = spec->groups[g];
    dec->evppi = calloc(dec->n_sets + 1, sizeof *dec->evppi);
    return dec->evppi != NULL ? 0 : -1;
}

/* Runs the tasks over threads; 0, or -1 when one failed. */
static int run_tasks(task *tasks, size_t n_tasks, const sr_voi_data *d,
                     const sr_voi_report *r, const sr_voi_spec *spec, const figures *f)
{
    const double **xs = malloc((d->n_inputs + 1) * sizeof *xs);
    if (xs == NULL)
        return -1;
    for (size_t k = 0; k < d->n_inputs; k++)
        xs[k] = d->inputs[k].x;
    const size_t B = spec->bootstrap;
    int failed = 0;
    const int threads = spec->threads > 0 ? spec->threads : omp_get_max_threads();
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) reduction(| : failed)
    for (size_t t = 0; t < n_tasks; t++) {
        task *tk = &tasks[t];
        const size_t slot = tk->decision ? r->n_variance + tk->owner : tk->owner;
        const rowset *rows = &f->rows[slot];
        if (rows->n < 2)
            continue;   /* no figure: left NaN */
        if (tk->decision) {
            const sr_voi_decision *dec = &r->decisions[tk->owner];
            failed |= regress(xs, &dec->sets[tk->set], rows, SR_VOI_VALUE, f->y[slot],
                              dec->spec->n_options - 1, B,
                              figure_seed(d->seed, SEED_DECISION, tk->owner), &tk->estimate,
                              tk->rep) != 0;
        } else {
            const sr_voi_set one = {1, {tk->set}};
            failed |= regress(xs, &one, rows, SR_VOI_INDEX, f->y[slot], 1, B,
                              figure_seed(d->seed, SEED_VARIANCE, tk->owner), &tk->estimate,
                              tk->rep) != 0;
        }
    }
    free(xs);
    return failed ? -1 : 0;
}

/* Each attribution's and decision's trials and responses. */
static int prepare_figures(const sr_voi_data *d, const sr_voi_spec *spec, sr_voi_report *r,
                           figures *f)
{
    const size_t n_slots = r->n_variance + r->n_decisions;
    f->rows = calloc(n_slots + 1, sizeof *f->rows);
    f->y = calloc(n_slots + 1, sizeof *f->y);
    if (f->rows == NULL || f->y == NULL)
        return -1;
    for (size_t v = 0; v < r->n_variance; v++) {
        const double *y = d->metric[spec->metrics[v]];
        if (rows_where(d, r->varies, &y, 1, &f->rows[v]) != 0)
            return -1;
        if (y == NULL)
            f->rows[v].n = 0;
        const size_t n = f->rows[v].n;
        if ((f->y[v] = malloc((n + 1) * sizeof *f->y[v])) == NULL)
            return -1;
        for (size_t i = 0; i < n; i++)
            f->y[v][i] = y[f->rows[v].row[i]];
        r->variance[v].metric = spec->metrics[v];
        r->variance[v].n_used = n;
        r->variance[v].sd = n >= 2 ? gsl_stats_sd(f->y[v], 1, n) : NAN;
    }
    for (size_t j = 0; j < r->n_decisions; j++) {
        sr_voi_decision *dec = &r->decisions[j];
        const size_t slot = r->n_variance + j;
        if (decision_increments(d, r->varies, dec->spec, &f->rows[slot], &f->y[slot]) != 0)
            return -1;
        dec->n_used = f->rows[slot].n;
    }
    return 0;
}

/* A decision's expected net benefits, EVPI with its replicates, and its EVPPI made
 * monotone over the sets in the estimate and in every replicate. */
static int finish_decision(sr_voi_decision *dec, const double *g, size_t n, size_t B,
                           unsigned long seed, double *const *set_rep, const double *raw)
{
    const size_t k = dec->spec->n_options - 1;
    double *evpi_rep = malloc((B + 1) * sizeof *evpi_rep);
    double *scratch = malloc((n + 1) * sizeof *scratch);
    double *one = malloc((dec->n_sets + 1) * sizeof *one);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = -1;
    if (evpi_rep == NULL || scratch == NULL || one == NULL || rng == NULL)
        goto out;
    dec->best = sr_voi_best(g, k, n, NULL);
    const double evpi = sr_voi_evpi(g, k, n, B, rng, seed, scratch, evpi_rep);
    dec->evpi = (sr_voi_figure){evpi, sr_voi_sd(evpi_rep, B)};
    for (size_t s = 0; s < dec->n_sets; s++)
        one[s] = raw[s];
    sr_voi_monotone(dec->sets, dec->n_sets, one, evpi);
    for (size_t s = 0; s < dec->n_sets; s++)
        dec->evppi[s].value = one[s];
    for (size_t b = 0; b < B; b++) {
        for (size_t s = 0; s < dec->n_sets; s++)
            one[s] = set_rep[s][b];
        sr_voi_monotone(dec->sets, dec->n_sets, one, evpi_rep[b]);
        for (size_t s = 0; s < dec->n_sets; s++)
            set_rep[s][b] = one[s];
    }
    for (size_t s = 0; s < dec->n_sets; s++)
        dec->evppi[s].se = sr_voi_sd(set_rep[s], B);
    rc = 0;
out:
    gsl_rng_free(rng);
    free(evpi_rep);
    free(scratch);
    free(one);
    return rc;
}

/* An option's expected net benefit over the decision's trials. */
static double option_mean(const sr_voi_data *d, const sr_voi_option *o, const rowset *rows)
{
    if (rows->n == 0)
        return NAN;
    double sum = 0.0;
    for (size_t i = 0; o->metric != SR_VOI_ZERO && i < rows->n; i++)
        sum += d->metric[o->metric][rows->row[i]];
    return sum / (double)rows->n;
}

int sr_voi_analyse(const sr_voi_data *d, const sr_voi_spec *spec, sr_voi_report *r,
                   sr_error *err)
{
    memset(r, 0, sizeof *r);
    r->n_trials = d->n_trials;
    r->n_inputs = d->n_inputs;
    r->inputs = d->inputs;
    r->persons = d->persons;
    r->population = d->persons;
    r->bootstrap = spec->bootstrap;
    figures f = {0};
    task *tasks = NULL;
    size_t n_tasks = 0;
    const size_t n_slots = spec->n_metrics + spec->n_decisions;
    int rc = SR_EXIT_SOFTWARE;
    if (survey_inputs(d, r) != 0)
        goto nomem;
    r->n_variance = spec->n_metrics;
    r->variance = calloc(spec->n_metrics + 1, sizeof *r->variance);
    r->n_decisions = spec->n_decisions;
    r->decisions = calloc(spec->n_decisions + 1, sizeof *r->decisions);
    if (r->variance == NULL || r->decisions == NULL)
        goto nomem;
    size_t max_tasks = spec->n_metrics * d->n_inputs;
    for (size_t v = 0; v < r->n_variance; v++)
        if ((r->variance[v].index = calloc(d->n_inputs + 1, sizeof *r->variance[v].index)) ==
            NULL)
            goto nomem;
    for (size_t j = 0; j < r->n_decisions; j++) {
        r->decisions[j].spec = &spec->decisions[j];
        if (decision_sets(r, spec, &r->decisions[j]) != 0)
            goto nomem;
        max_tasks += r->decisions[j].n_sets;
    }
    if (prepare_figures(d, spec, r, &f) != 0)
        goto nomem;
    tasks = calloc(max_tasks + 1, sizeof *tasks);
    if (tasks == NULL)
        goto nomem;
    for (size_t v = 0; v < r->n_variance; v++)
        for (size_t k = 0; k < d->n_inputs; k++)
            if (r->varies[k])
                tasks[n_tasks++] = (task){.owner = v, .set = k};
    for (size_t j = 0; j < r->n_decisions; j++)
        for (size_t s = 0; s < r->decisions[j].n_sets; s++)
            tasks[n_tasks++] = (task){.decision = true, .owner = j, .set = s};
    for (size_t t = 0; t < n_tasks; t++) {
        tasks[t].estimate = NAN;
        if ((tasks[t].rep = malloc((spec->bootstrap + 1) * sizeof *tasks[t].rep)) == NULL)
            goto nomem;
    }
    if (run_tasks(tasks, n_tasks, d, r, spec, &f) != 0) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "a regression of the value-of-information "
                                                 "analysis failed (out of memory, or a "
                                                 "singular fit)");
        goto fail;
    }
    /* attribution: each index and its standard error */
    for (size_t v = 0; v < r->n_variance; v++) {
        for (size_t k = 0; k < d->n_inputs; k++)
            r->variance[v].index[k] = (sr_voi_figure){NAN, NAN};
        r->variance[v].sum = 0.0;
    }
    size_t t = 0;
    for (; t < n_tasks && !tasks[t].decision; t++) {
        sr_voi_variance *v = &r->variance[tasks[t].owner];
        if (v->n_used < 2)
            continue;
        v->index[tasks[t].set] = (sr_voi_figure){tasks[t].estimate,
                                                 sr_voi_sd(tasks[t].rep, spec->bootstrap)};
        v->sum += tasks[t].estimate;
    }
    /* decisions: EVPI, and EVPPI monotone over the sets */
    for (size_t j = 0; j < r->n_decisions; j++) {
        sr_voi_decision *dec = &r->decisions[j];
        const size_t slot = r->n_variance + j, n = f.rows[slot].n;
        double **set_rep = calloc(dec->n_sets + 1, sizeof *set_rep);
        double *raw = calloc(dec->n_sets + 1, sizeof *raw);
        if (set_rep == NULL || raw == NULL) {
            free(set_rep);
            free(raw);
            goto nomem;
        }
        for (size_t s = 0; s < dec->n_sets; s++, t++) {
            set_rep[s] = tasks[t].rep;
            raw[s] = tasks[t].estimate;
        }
        int ok = 0;
        if (n >= 2)
            ok = finish_decision(dec, f.y[slot], n, spec->bootstrap,
                                 figure_seed(d->seed, SEED_DECISION, j), set_rep, raw);
        else {
            dec->evpi = (sr_voi_figure){NAN, NAN};
            for (size_t s = 0; s < dec->n_sets; s++)
                dec->evppi[s] = (sr_voi_figure){NAN, NAN};
        }
        free(set_rep);
        free(raw);
        if (ok != 0)
            goto nomem;
        for (size_t o = 0; o < dec->spec->n_options; o++)
            dec->mean[o] = option_mean(d, &dec->spec->options[o], &f.rows[slot]);
    }
    rc = 0;
    goto done;
nomem:
    rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory in the value-of-information "
                                             "analysis of %zu trials", d->n_trials);
fail:
    sr_voi_report_clear(r);
done:
    for (size_t k = 0; tasks != NULL && k < n_tasks; k++)
        free(tasks[k].rep);
    free(tasks);
    figures_clear(&f, n_slots);
    return rc;
}

int sr_voi_evsi(sr_voi_report *r, const sr_voi_data *d, const sr_voi_spec *spec,
                const double *pilot_size, const double *pilot_cost, size_t n_pilots,
                const double *stats, size_t n_stats, sr_error *err)
{
    const size_t B = spec->bootstrap, N = d->n_trials;
    figures f = {0};
    const size_t n_slots = r->n_variance + r->n_decisions;
    double *rep = malloc((B + 1) * sizeof *rep), *evpi_rep = malloc((B + 1) * sizeof *evpi_rep);
    const double **xs = calloc(n_stats + 1, sizeof *xs);
    f.rows = calloc(n_slots + 1, sizeof *f.rows);
    f.y = calloc(n_slots + 1, sizeof *f.y);
    int rc = SR_EXIT_SOFTWARE;
    if (rep == NULL || evpi_rep == NULL || xs == NULL || f.rows == NULL || f.y == NULL ||
        n_stats == 0 || n_stats > SR_SMOOTH_MAX_INPUTS)
        goto out;
    sr_voi_set set = {n_stats, {0, 1, 2}};
    for (size_t j = 0; j < r->n_decisions && j < 1; j++) {   /* the paying budget's */
        sr_voi_decision *dec = &r->decisions[j];
        const size_t slot = r->n_variance + j, k = dec->spec->n_options - 1;
        if (decision_increments(d, r->varies, dec->spec, &f.rows[slot], &f.y[slot]) != 0)
            goto out;
        const size_t n = f.rows[slot].n;
        dec->n_pilots = n_pilots;
        dec->pilot_size = calloc(n_pilots + 1, sizeof *dec->pilot_size);
        dec->pilot_cost = calloc(n_pilots + 1, sizeof *dec->pilot_cost);
        dec->evsi = calloc(n_pilots + 1, sizeof *dec->evsi);
        dec->enbs = calloc(n_pilots + 1, sizeof *dec->enbs);
        double *scratch = malloc((n + 1) * sizeof *scratch);
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (dec->pilot_size == NULL || dec->pilot_cost == NULL || dec->evsi == NULL ||
            dec->enbs == NULL || scratch == NULL || rng == NULL) {
            free(scratch);
            gsl_rng_free(rng);
            goto out;
        }
        const unsigned long seed = figure_seed(d->seed, SEED_DECISION, j);
        if (n >= 2)
            sr_voi_evpi(f.y[slot], k, n, B, rng, seed, scratch, evpi_rep);
        free(scratch);
        gsl_rng_free(rng);
        for (size_t p = 0; p < n_pilots; p++) {
            dec->pilot_size[p] = pilot_size[p];
            dec->pilot_cost[p] = pilot_cost[p];
            dec->evsi[p] = dec->enbs[p] = (sr_voi_figure){NAN, NAN};
            if (n < 2)
                continue;
            for (size_t s = 0; s < n_stats; s++)
                xs[s] = stats + (p * n_stats + s) * N;
            double estimate;
            if (regress(xs, &set, &f.rows[slot], SR_VOI_VALUE, f.y[slot], k, B, seed,
                        &estimate, rep) != 0) {
                rc = sr_error_set(err, SR_EXIT_SOFTWARE, "the regression of a decision on "
                                                         "the pilot's statistics failed");
                goto out_set;
            }
            /* a pilot can tell no more than everything */
            for (size_t b = 0; b < B; b++)
                rep[b] = fmin(fmax(rep[b], 0.0), evpi_rep[b]);
            dec->evsi[p] = (sr_voi_figure){fmin(fmax(estimate, 0.0), dec->evpi.value),
                                           sr_voi_sd(rep, B)};
            const double scale = r->population / r->persons;
            dec->enbs[p] = (sr_voi_figure){dec->evsi[p].value * scale - pilot_cost[p],
                                           dec->evsi[p].se * scale};
        }
    }
    rc = 0;
    goto out_set;
out:
    rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory in the value of sample "
                                             "information");
out_set:
    figures_clear(&f, n_slots);
    free(rep);
    free(evpi_rep);
    free(xs);
    return rc;
}

void sr_voi_report_clear(sr_voi_report *r)
{
    free(r->varies);
    for (size_t v = 0; r->variance != NULL && v < r->n_variance; v++)
        free(r->variance[v].index);
    free(r->variance);
    for (size_t j = 0; r->decisions != NULL && j < r->n_decisions; j++) {
        free(r->decisions[j].sets);
        free(r->decisions[j].evppi);
        free(r->decisions[j].pilot_size);
        free(r->decisions[j].pilot_cost);
        free(r->decisions[j].evsi);
        free(r->decisions[j].enbs);
    }
    free(r->decisions);
    memset(r, 0, sizeof *r);
}

size_t sr_voi_set_name(const sr_voi_report *r, const sr_voi_set *s, char *buf, size_t size)
{
    size_t len = 0;
    if (size > 0)
        buf[0] = '\0';
    for (size_t j = 0; j < s->n; j++) {
        const int n = snprintf(buf != NULL && len < size ? buf + len : NULL,
                               len < size ? size - len : 0, "%s%s", j > 0 ? "+" : "",
                               r->inputs[s->member[j]].name);
        len += n > 0 ? (size_t)n : 0;
    }
    return len;
}
