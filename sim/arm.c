#include "arm.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "models/cashflow.h"
#include "rng.h"
#include "sample.h"

sr_arm_flows *sr_arm_flows_alloc(size_t n_months, size_t n_outcomes)
{
    sr_arm_flows *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    f->expenditure = calloc(SR_PAYERS * n_months, sizeof(double));
    f->cost = calloc(n_months, sizeof(double));
    f->active = calloc(n_months, sizeof(double));
    f->employed = calloc(n_months, sizeof(double));
    f->achieved = calloc((n_outcomes > 0 ? n_outcomes : 1) * n_months, sizeof(double));
    f->enrolled = calloc(n_months, sizeof(double));
    if (!f->expenditure || !f->cost || !f->active || !f->employed || !f->achieved ||
        !f->enrolled) {
        sr_arm_flows_free(f);
        return NULL;
    }
    return f;
}

void sr_arm_flows_free(sr_arm_flows *f)
{
    if (f == NULL)
        return;
    free(f->expenditure);
    free(f->cost);
    free(f->active);
    free(f->employed);
    free(f->achieved);
    free(f->enrolled);
    free(f);
}

void sr_arm_flows_copy(sr_arm_flows *dst, const sr_arm_flows *src, size_t n_months,
                       size_t n_outcomes)
{
    const size_t bytes = n_months * sizeof(double);
    memcpy(dst->expenditure, src->expenditure, SR_PAYERS * bytes);
    memcpy(dst->cost, src->cost, bytes);
    memcpy(dst->active, src->active, bytes);
    memcpy(dst->employed, src->employed, bytes);
    memcpy(dst->achieved, src->achieved, n_outcomes * bytes);
    memcpy(dst->enrolled, src->enrolled, bytes);
    dst->employed_end = src->employed_end;
}

sr_arm_ws *sr_arm_ws_alloc(const sr_layout *l, const sr_model *m, size_t max_progress,
                           size_t max_outcomes)
{
    sr_arm_ws *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    const size_t T = m->n_months;
    w->layout = l;
    w->n_months = T;
    w->max_len = (max_progress > 0 ? max_progress : 1) * l->n_strata * l->n_cells;
    w->pool = calloc(w->max_len, sizeof *w->pool);
    w->blocks = calloc(T * w->max_len, sizeof *w->blocks);
    w->next = calloc(w->max_len, sizeof *w->next);
    w->cash = calloc(l->n_strata * l->n_cells * SR_PAYERS, sizeof *w->cash);
    w->flows = sr_arm_flows_alloc(T, max_outcomes);
    w->moved = calloc(l->max_out + 1, sizeof *w->moved);
    w->share = calloc(l->max_out + 1, sizeof *w->share);
    if (!w->pool || !w->blocks || !w->next || !w->cash || !w->flows || !w->moved || !w->share) {
        sr_arm_ws_free(w);
        return NULL;
    }
    return w;
}

void sr_arm_ws_free(sr_arm_ws *w)
{
    if (w == NULL)
        return;
    free(w->pool);
    free(w->blocks);
    free(w->next);
    free(w->cash);
    sr_arm_flows_free(w->flows);
    free(w->moved);
    free(w->share);
    free(w);
}

/* What one block contributes in one month, before indexation. */
typedef struct {
    double expenditure[SR_PAYERS];    /* DKK */
    double active;                    /* persons active in the intervention */
    double employed;                  /* persons in `employed` */
} month_tally;

/* Moves n persons of progress pi into cell c (within stratum s's cells) of next, with
 * the progress they reach there; achievements are tallied for month t + 1, the month in
 * which the arrival holds the cell (none past the horizon). */
static inline void arrive(sr_arm_ws *w, const sr_progress *g, size_t pi, size_t s, size_t c,
                          double n, size_t t)
{
    const sr_layout *l = w->layout;
    if (g->n_outcomes == 0) {          /* no rate card: one progress group, nothing to count */
        w->next[s * l->n_cells + c] += n;
        return;
    }
    const size_t x = pi * g->n_cells + c, to = g->arrive[x];
    w->next[(to * l->n_strata + s) * l->n_cells + c] += n;
    if (t + 1 < w->n_months)
        for (size_t k = g->gain_first[x]; k < g->gain_first[x + 1]; k++)
            w->flows->achieved[g->gain[k] * w->n_months + t + 1] += n;
}

/* One month t of one block: tallies its cash flows (state held during the month), then
 * moves its persons by the month-end transitions into w->next and back. `phase` is the
 * effect phase; `counts_active` whether its persons are in their intervention months.
 *
 * A cell's transitions are drawn for all its persons together, whatever their rate-card
 * progress, from a stream keyed by the cell alone: a contract's outcomes, which only split
 * the persons by what they have achieved, leave the paths of the cohort unchanged (SPEC
 * 2.12). Who of the cell moves where is then shared out over the progress groups by
 * multivariate hypergeometric draws (every assignment of the movers to persons being
 * equally likely), after the transitions, from the same stream. */
static void step_block(sr_arm_ws *w, double *block, const sr_model *m, const sr_programme *p,
                       const double *v, const sr_rates *rates, const sr_progress *g,
                       size_t t, size_t cond, size_t phase, bool counts_active,
                       uint64_t block_stream, gsl_rng *r, month_tally *tally)
{
    const sr_layout *l = w->layout;
    const size_t C = l->n_cells, S = l->n_strata, P = g->n_progress;
    const size_t group_stride = S * C;   /* from one progress group's cell to the next */
    memset(w->next, 0, w->block_len * sizeof *w->next);
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < l->n_states; i++) {
            const size_t first = l->offset[i], top = l->n_levels[i] - 1;
            const size_t n_out = l->n_out[i];
            const size_t *out = l->out + i * l->max_out;
            const bool active_here = counts_active && !l->absorbing[i] && p->while_in[i];
            const bool employed = (long)i == l->employed;
            for (size_t k = 0; k <= top; k++) {
                const size_t cell = first + k;
                const double *count = block + s * C + cell;   /* progress group 0's */
                double n = 0.0;
                size_t groups = 0;
                for (size_t pi = 0; pi < P; pi++)
                    if (count[pi * group_stride] > 0.0) {
                        n += count[pi * group_stride];
                        groups++;
                    }
                if (n == 0.0)
                    continue;
                const double *cf = w->cash + (s * C + cell) * SR_PAYERS;
                for (size_t pay = 0; pay < SR_PAYERS; pay++)
                    tally->expenditure[pay] += n * cf[pay];
                if (active_here)
                    tally->active += n;
                if (employed)
                    tally->employed += n;

                /* moved[o]: persons leaving along transition o; moved[n_out]: stayers. */
                double *moved = w->moved;
                moved[n_out] = n;
                if (n_out > 0) {
                    size_t idx = sr_rates_index(rates, cond, phase, s, l->band_of_cell[cell]);
                    const size_t at = idx * rates->max_out;
                    const sr_split split = {n_out, rates->cum + at, rates->cond + at,
                                            rates->cond_log_stay + at,
                                            rates->cond_log_leave + at};
                    if (r != NULL) {
                        sr_rng_seek(r, sr_stream_sub(block_stream, s * C + cell));
                        double left = sr_binomial_logs(r, n, rates->q[idx], rates->log_stay[idx],
                                                       rates->log_leave[idx]);
                        moved[n_out] = n - left;
                        sr_multinomial(r, left, &split, moved);
                    } else {
                        double left = n * rates->q[idx];
                        moved[n_out] = n - left;
                        for (size_t o = 0; o < n_out; o++) {
                            moved[o] = o + 1 == n_out ? left : left * split.cond[o];
                            left -= moved[o];
                        }
                    }
                    for (size_t o = 0; o < n_out; o++) {
                        const sr_transition *tr = &m->transitions[out[o]];
                        if (tr->has_cash)
                            for (size_t pay = 0; pay < SR_PAYERS; pay++)
                                tally->expenditure[pay] += moved[o] * v[tr->cash.amount[pay]];
                    }
                }
                /* Share the moves out over the progress groups, the last taking the rest. */
                const size_t stay_cell = first + (k < top ? k + 1 : top);
                double *share = w->share;
                for (size_t pi = 0; pi < P && groups > 0; pi++) {
                    double n_pi = count[pi * group_stride];
                    if (n_pi == 0.0)
                        continue;
                    if (--groups == 0)
                        share = moved;
                    else if (r != NULL)
                        sr_hypergeometric_share(r, n_out + 1, moved, n_pi, share);
                    else
                        for (size_t c = 0; c <= n_out; c++) {
                            share[c] = moved[c] * n_pi / n;
                            moved[c] -= share[c];
                        }
                    const size_t gone = g->leave[pi * l->n_states + i];
                    for (size_t o = 0; o < n_out; o++)
                        if (share[o] > 0.0)
                            arrive(w, g, gone, s, l->offset[m->transitions[out[o]].to],
                                   share[o], t);
                    if (share[n_out] > 0.0)
                        arrive(w, g, pi, s, stay_cell, share[n_out], t);
                    n -= n_pi;
                }
            }
        }
    memcpy(block, w->next, w->block_len * sizeof *w->next);
}

static void add_block(double *into, double *from, size_t len)
{
    for (size_t c = 0; c < len; c++) {
        into[c] += from[c];
        from[c] = 0.0;
    }
}

/* Persons in `employed` in a block. */
static double employed_in(const sr_layout *l, size_t n_progress, const double *block)
{
    if (l->employed < 0)
        return 0.0;
    double sum = 0.0;
    const size_t first = l->offset[l->employed], n = l->n_levels[l->employed];
    for (size_t x = 0; x < n_progress * l->n_strata; x++)
        for (size_t k = 0; k < n; k++)
            sum += block[x * l->n_cells + first + k];
    return sum;
}

void sr_arm_run(sr_arm_ws *w, const sr_arm_spec *spec, const sr_model *m,
                const sr_programme *p, const double *v, const sr_rates *rates,
                const unsigned char *cond_of_month, gsl_rng *r)
{
    const sr_layout *l = w->layout;
    const sr_progress *g = spec->progress;
    const size_t T = w->n_months, C = l->n_cells;
    const size_t len = w->block_len = g->n_progress * l->n_strata * C;
    const size_t start_cell = sr_layout_cell(l, p->initial_state, p->initial_tenure);
    const bool with_effect = spec->treated && p->has_intervention;
    const double fixed_month = with_effect ? v[p->cost_fixed_per_year] / 12.0 : 0.0;
    const double per_participant = with_effect ? v[p->cost_per_participant] : 0.0;
    const double per_month = with_effect ? v[p->cost_per_participant_month] : 0.0;

    memset(w->pool, 0, len * sizeof *w->pool);
    memset(w->flows->achieved, 0, g->n_outcomes * T * sizeof *w->flows->achieved);

    int cash_valid_until = -1;
    for (size_t t = 0; t < T; t++) {
        const bool stopped = t >= spec->stop;
        if ((int)t >= cash_valid_until) {
            sr_cash_table(w->cash, l, m, v, (int)t);
            cash_valid_until = sr_cash_next_change(m, (int)t);
        }
        /* Enrolment at the start of month t, in the initial state and progress. */
        double enrolled = 0.0;
        double *entry = w->pool;
        if (spec->window > 0) {
            entry = w->blocks + t * len;   /* first used now: cleared of the last run */
            memset(entry, 0, len * sizeof *entry);
        }
        for (size_t s = 0; s < l->n_strata && !stopped; s++) {
            unsigned n = spec->intake[s * T + t];
            entry[(g->initial * l->n_strata + s) * C + start_cell] += n;
            enrolled += n;
        }
        w->flows->enrolled[t] = enrolled;
        /* A block whose window ended merges into the pool. */
        if (spec->window > 0 && t >= spec->window)
            add_block(w->pool, w->blocks + (t - spec->window) * len, len);

        const size_t cond = cond_of_month != NULL ? cond_of_month[t] : t;
        const uint64_t month_stream = sr_stream_sub(spec->stream, t);
        month_tally tally = {{0.0, 0.0}, 0.0, 0.0};
        step_block(w, w->pool, m, p, v, rates, g, t, cond, 0, false,
                   sr_stream_sub(month_stream, 0), r, &tally);
        if (spec->window > 0) {
            size_t first = t + 1 > spec->window ? t + 1 - spec->window : 0;
            for (size_t e = first; e <= t; e++) {
                bool empty = true;
                for (size_t s = 0; s < l->n_strata && empty; s++)
                    empty = spec->intake[s * T + e] == 0 || e >= spec->stop;
                if (empty)
                    continue;
                size_t age = t - e; /* months since enrolment */
                size_t phase = 0;
                if (with_effect && !stopped)
                    phase = age < p->effect_months ? 1 : 2 + (age - p->effect_months);
                step_block(w, w->blocks + e * len, m, p, v, rates, g, t, cond, phase,
                           with_effect && !stopped && age < p->effect_months,
                           sr_stream_sub(month_stream, e + 1), r, &tally);
            }
        }

        const double index = sr_indexation_factor(m->indexation, (int)t);
        for (size_t pay = 0; pay < SR_PAYERS; pay++)
            w->flows->expenditure[pay * T + t] = tally.expenditure[pay] * index;
        w->flows->active[t] = tally.active;
        w->flows->employed[t] = tally.employed;
        w->flows->cost[t] = index * (per_participant * enrolled + per_month * tally.active +
                                    (tally.active > 0.0 ? fixed_month : 0.0));
    }

    /* The pool, and the blocks still apart at the horizon (all cleared this run). */
    double employed = employed_in(l, g->n_progress, w->pool);
    if (spec->window > 0)
        for (size_t e = T > spec->window ? T - spec->window : 0; e < T; e++)
            employed += employed_in(l, g->n_progress, w->blocks + e * len);
    w->flows->employed_end = employed;
}
