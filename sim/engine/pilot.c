/* Pilots for the value of sample information (pilot.h). The pilot is a view of the
 * scenario: a shallow copy of the model whose horizon is the pilot's months and whose one
 * programme is the piloted one with the pilot's intake and no contract, simulated arm by
 * arm on the trial's own parameter draws. */
#include "sim/engine/pilot.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/hazard.h"
#include "models/intake.h"
#include "models/size.h"
#include "sim/engine/arm.h"
#include "sim/engine/layout.h"
#include "sim/engine/progress.h"
#include "sim/engine/rates.h"
#include "sim/engine/rng.h"
#include "sim/engine/trial.h"

/* The pilot as a model: borrows everything from the scenario's model but the horizon, the
 * programme list and the programme's intake. Never freed as a model. */
typedef struct {
    sr_model model;
    sr_programme programme;
    unsigned *intake[2];      /* [n_sizes][n_strata * months] per arm: treated, control */
    double control_ratio;
} pilot_view;

static void view_clear(pilot_view *v)
{
    for (size_t a = 0; a < 2; a++)
        free(v->intake[a]);
}

/* The first programme with an intervention, or -1. */
static long piloted(const sr_model *m)
{
    for (size_t p = 0; p < m->n_programmes; p++)
        if (m->programmes[p].has_intervention)
            return (long)p;
    return -1;
}

static int view_build(pilot_view *v, const sr_model *m, size_t pi, const sr_pilot_spec *ps,
                      unsigned months)
{
    const sr_programme *p = &m->programmes[pi];
    const size_t S = m->n_strata;
    v->model = *m;
    v->model.n_months = months;
    v->model.n_programmes = 1;
    v->model.programmes = &v->programme;
    v->programme = *p;
    v->programme.has_contract = false;
    v->programme.control_intake = NULL;
    v->control_ratio = p->has_contract && p->contract.baseline == SR_BASELINE_CONTROL
                           ? (double)p->contract.control_size / (double)p->size
                           : 1.0;
    double *share = malloc(S * sizeof *share);
    uint64_t *work = malloc(S * sizeof *work);
    unsigned *split = malloc(S * sizeof *split);
    for (size_t a = 0; a < 2; a++)
        v->intake[a] = calloc(sr_size_mul(ps->n_sizes, S * months), sizeof *v->intake[a]);
    int rc = share && work && split && v->intake[0] && v->intake[1] ? 0 : -1;
    for (size_t s = 0; rc == 0 && s < S; s++)
        share[s] = m->strata[s].share;
    /* everyone enrols in the pilot's first month */
    for (size_t k = 0; rc == 0 && k < ps->n_sizes; k++)
        for (size_t a = 0; a < 2; a++) {
            const double n = a == 0 ? ps->size[k]
                                    : fmax(1.0, round(ps->size[k] * v->control_ratio));
            sr_intake_split((unsigned)fmin(n, (double)UINT32_MAX), share, S, work, split);
            for (size_t s = 0; s < S; s++)
                v->intake[a][k * S * months + s * months] = split[s];
        }
    free(share);
    free(work);
    free(split);
    return rc;
}

/* One thread's workspace: the scenario's trial (for its parameter draws), and the pilot's
 * rates, rate-card tables (none: no contract) and arms. */
typedef struct {
    sr_trial_ws *trial;
    sr_rates *rates;
    sr_progress *progress;
    sr_arm_ws *arm;
    gsl_rng *rng;
} thread_ws;

static void thread_clear(thread_ws *t)
{
    sr_trial_ws_free(t->trial);
    sr_rates_free(t->rates);
    sr_progress_free(t->progress);
    sr_arm_ws_free(t->arm);
    gsl_rng_free(t->rng);
}

static int thread_init(thread_ws *t, const sr_model *m, const sr_layout *full,
                       const pilot_view *v, const sr_layout *l)
{
    int too_many = 0;
    t->trial = sr_trial_ws_alloc(m, full, &too_many);
    t->rates = sr_rates_alloc(l, 1, sr_effect_phases(&v->programme));
    t->progress = sr_progress_alloc(l, &v->model, &v->programme, &too_many);
    t->arm = sr_arm_ws_alloc(l, &v->model, 1, 1);
    t->rng = sr_rng_alloc();
    return t->trial && t->rates && t->progress && t->arm && t->rng ? 0 : -1;
}

/* Persons-months employed over the pilot's months in the last arm run. */
static double employed_months(const sr_arm_ws *w, unsigned months)
{
    double sum = 0.0;
    for (size_t t = 0; t < months; t++)
        sum += w->flows->employed[t];
    return sum;
}

static double cost_of(const sr_arm_ws *w, unsigned months)
{
    double sum = 0.0;
    for (size_t t = 0; t < months; t++)
        sum += w->flows->cost[t];
    return sum;
}

/* Trial i's pilots: statistics into out->stats, costs into cost[n_sizes]. */
static void pilot_trial(thread_ws *t, const sr_model *m, const pilot_view *v, size_t pi,
                        const sr_pilot_spec *ps, unsigned months, size_t i, size_t n_trials,
                        const unsigned char *neutral, const sr_run_options *o, double *stats,
                        double *cost)
{
    const sr_programme *p = &v->programme;
    const size_t S = m->n_strata;
    sr_trial_draw_numbers(t->trial, m->seed, i);
    const double *values = t->trial->values;
    sr_rates_compute(t->rates, t->arm->layout, &v->model, p, values, &sr_macro_neutral);
    for (size_t k = 0; k < ps->n_sizes; k++) {
        double share[2];
        for (size_t a = 0; a < 2; a++) {
            const uint64_t arm = a == 0 ? SR_ARM_COHORT : SR_ARM_CONTROL;
            const sr_arm_spec spec = {
                .model = &v->model,
                .programme = p,
                .values = values,
                .rates = t->rates,
                .cond_of_month = neutral,
                .draw = {SR_DRAW_RANDOM, t->rng},
                .intake = v->intake[a] + k * S * months,
                .window = a == 0 ? p->effect_months + p->fade_months : 0,
                .treated = a == 0,
                .stop = SIZE_MAX,
                .progress = t->progress,
                .stream = sr_stream_sub(sr_stream_key(m->seed, i, pi, arm, SR_PURPOSE_PILOT),
                                        (uint64_t)ps->size[k]),
                .interrupted = o != NULL ? o->interrupted : NULL,
            };
            sr_arm_run(t->arm, &spec);
            double persons = 0.0;
            for (size_t s = 0; s < S; s++)
                persons += spec.intake[s * months];
            share[a] = employed_months(t->arm, months) / (persons * months);
            if (a == 0)
                cost[k] = cost_of(t->arm, months);
        }
        stats[(k * SR_PILOT_STATS + 0) * n_trials + i] = share[0] - share[1];
        stats[(k * SR_PILOT_STATS + 1) * n_trials + i] = share[1];
    }
}

int sr_pilot_run(const sr_model *m, const sr_pilot_spec *ps, size_t n_trials,
                 const sr_run_options *o, sr_pilot_result *out, sr_error *err)
{
    memset(out, 0, sizeof *out);
    const long pi = piloted(m);
    if (pi < 0)
        return sr_error_set(err, SR_EXIT_DATAERR, "no programme has an intervention to "
                                                  "pilot");
    const sr_programme *p = &m->programmes[pi];
    unsigned months = ps->months > 0 ? ps->months : p->effect_months;
    if (months == 0)
        months = 1;
    if (months > m->n_months)
        months = (unsigned)m->n_months;
    out->months = months;
    out->programme = (size_t)pi;
    pilot_view v = {0};
    sr_layout *full = NULL, *l = NULL;
    const size_t K = ps->n_sizes;
    const int threads = o != NULL && o->threads > 0 ? o->threads : omp_get_max_threads();
    thread_ws *ws = calloc((size_t)threads, sizeof *ws);
    double *cost = calloc(sr_size_mul(n_trials, K), sizeof *cost);
    unsigned char *neutral = calloc(months, 1);
    out->stats = malloc(sr_size_mul(sr_size_mul(K, SR_PILOT_STATS), n_trials) *
                        sizeof *out->stats);
    out->cost = calloc(K + 1, sizeof *out->cost);
    int rc = SR_EXIT_SOFTWARE;
    if (ws == NULL || cost == NULL || neutral == NULL || out->stats == NULL ||
        out->cost == NULL || view_build(&v, m, (size_t)pi, ps, months) != 0 ||
        (full = sr_layout_alloc(m)) == NULL || (l = sr_layout_alloc(&v.model)) == NULL)
        goto nomem;
    out->control_ratio = v.control_ratio;
    int failed = 0;
#pragma omp parallel for num_threads(threads) schedule(static, 1) reduction(| : failed)
    for (int t = 0; t < threads; t++)
        failed |= thread_init(&ws[t], m, full, &v, l) != 0;
    if (failed)
        goto nomem;
#pragma omp parallel num_threads(threads)
    {
        thread_ws *mine = &ws[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 8)
        for (size_t i = 0; i < n_trials; i++) {
            if (o != NULL && o->interrupted != NULL && *o->interrupted)
                continue;
            pilot_trial(mine, m, &v, (size_t)pi, ps, months, i, n_trials, neutral, o,
                        out->stats, cost + i * K);
        }
    }
    if (o != NULL && o->interrupted != NULL && *o->interrupted) {
        rc = sr_error_set(err, SR_EXIT_INTERRUPTED, "interrupted while simulating pilots");
        goto fail;
    }
    for (size_t i = 0; i < n_trials; i++)   /* in trial order: the same sum on any threads */
        for (size_t k = 0; k < K; k++)
            out->cost[k] += cost[i * K + k] / (double)n_trials;
    rc = 0;
    goto done;
nomem:
    rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for the pilots of %zu trials",
                      n_trials);
fail:
    sr_pilot_result_clear(out);
done:
    for (int t = 0; ws != NULL && t < threads; t++)
        thread_clear(&ws[t]);
    free(ws);
    free(cost);
    free(neutral);
    view_clear(&v);
    sr_layout_free(full);
    sr_layout_free(l);
    return rc;
}

void sr_pilot_result_clear(sr_pilot_result *r)
{
    free(r->stats);
    free(r->cost);
    memset(r, 0, sizeof *r);
}
