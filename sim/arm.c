#include "arm.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "models/cashflow.h"
#include "rng.h"
#include "sample.h"

sr_arm_ws *sr_arm_ws_alloc(const sr_layout *l, const sr_model *m)
{
    sr_arm_ws *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->layout = l;
    w->n_months = m->n_months;
    w->block_len = l->n_strata * l->n_cells;
    w->pool = calloc(w->block_len, sizeof *w->pool);
    w->blocks = calloc(w->n_months * w->block_len, sizeof *w->blocks);
    w->next = calloc(w->block_len, sizeof *w->next);
    w->cash = calloc(w->block_len * SR_PAYERS, sizeof *w->cash);
    w->flows.expenditure = calloc(SR_PAYERS * w->n_months, sizeof(double));
    w->flows.cost = calloc(w->n_months, sizeof(double));
    w->flows.active = calloc(w->n_months, sizeof(double));
    if (!w->pool || !w->blocks || !w->next || !w->cash || !w->flows.expenditure ||
        !w->flows.cost || !w->flows.active) {
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
    free(w->flows.expenditure);
    free(w->flows.cost);
    free(w->flows.active);
    free(w);
}

/* What one block contributes in one month, before indexation. */
typedef struct {
    double expenditure[SR_PAYERS];    /* DKK */
    double active;                    /* persons active in the intervention */
} month_tally;

/* One month of one block: tallies its cash flows (state held during the month), then
 * moves its persons by the month-end transitions into w->next and back. `phase` is the
 * effect phase; `counts_active` whether its persons are in their intervention months. */
static void step_block(sr_arm_ws *w, double *block, const sr_model *m, const sr_programme *p,
                       const double *v, const sr_rates *rates, size_t cond, size_t phase,
                       bool counts_active, uint64_t block_stream, gsl_rng *r,
                       month_tally *tally)
{
    const sr_layout *l = w->layout;
    double *next = w->next;
    memset(next, 0, w->block_len * sizeof *next);
    for (size_t s = 0; s < l->n_strata; s++) {
        double *count = block + s * l->n_cells;
        double *to = next + s * l->n_cells;
        for (size_t i = 0; i < l->n_states; i++) {
            const size_t first = l->offset[i], top = l->n_levels[i] - 1;
            const size_t n_out = l->n_out[i];
            const size_t *out = l->out + i * l->max_out;
            const bool active_here = counts_active && !l->absorbing[i] && p->while_in[i];
            for (size_t k = 0; k <= top; k++) {
                const size_t cell = first + k;
                double n = count[cell];
                if (n == 0.0)
                    continue;
                const double *cf = w->cash + (s * l->n_cells + cell) * SR_PAYERS;
                for (size_t pay = 0; pay < SR_PAYERS; pay++)
                    tally->expenditure[pay] += n * cf[pay];
                if (active_here)
                    tally->active += n;

                double stay = n;
                if (n_out > 0) {
                    size_t idx = sr_rates_index(rates, cond, phase, s, l->band_of_cell[cell]);
                    const size_t at = idx * rates->max_out;
                    const sr_split split = {n_out, rates->cum + at, rates->cond + at,
                                            rates->cond_log_stay + at,
                                            rates->cond_log_leave + at};
                    double moved[n_out];
                    if (r != NULL) {
                        sr_rng_seek(r, sr_stream_sub(block_stream, s * l->n_cells + cell));
                        double left = sr_binomial_logs(r, n, rates->q[idx], rates->log_stay[idx],
                                                       rates->log_leave[idx]);
                        stay = n - left;
                        sr_multinomial(r, left, &split, moved);
                    } else {
                        double left = n * rates->q[idx];
                        stay = n - left;
                        for (size_t o = 0; o < n_out; o++) {
                            moved[o] = o + 1 == n_out ? left : left * split.cond[o];
                            left -= moved[o];
                        }
                    }
                    for (size_t o = 0; o < n_out; o++) {
                        if (moved[o] == 0.0)
                            continue;
                        const sr_transition *t = &m->transitions[out[o]];
                        to[l->offset[t->to]] += moved[o];
                        if (t->has_cash)
                            for (size_t pay = 0; pay < SR_PAYERS; pay++)
                                tally->expenditure[pay] += moved[o] * v[t->cash.amount[pay]];
                    }
                }
                to[first + (k < top ? k + 1 : top)] += stay;
            }
        }
    }
    memcpy(block, next, w->block_len * sizeof *next);
}

static void add_block(double *into, double *from, size_t len)
{
    for (size_t c = 0; c < len; c++) {
        into[c] += from[c];
        from[c] = 0.0;
    }
}

void sr_arm_run(sr_arm_ws *w, const sr_arm_spec *spec, const sr_model *m,
                const sr_programme *p, const double *v, const sr_rates *rates,
                const unsigned char *cond_of_month, gsl_rng *r)
{
    const sr_layout *l = w->layout;
    const size_t T = w->n_months, len = w->block_len;
    const size_t start_cell = sr_layout_cell(l, p->initial_state, p->initial_tenure);
    const bool with_effect = spec->treated && p->has_intervention;
    const double fixed_month = with_effect ? v[p->cost_fixed_per_year] / 12.0 : 0.0;
    const double per_participant = with_effect ? v[p->cost_per_participant] : 0.0;
    const double per_month = with_effect ? v[p->cost_per_participant_month] : 0.0;

    memset(w->pool, 0, len * sizeof *w->pool);

    int cash_valid_until = -1;
    for (size_t t = 0; t < T; t++) {
        if ((int)t >= cash_valid_until) {
            sr_cash_table(w->cash, l, m, v, (int)t);
            cash_valid_until = sr_cash_next_change(m, (int)t);
        }
        /* Enrolment at the start of month t. */
        double enrolled = 0.0;
        double *entry = w->pool;
        if (spec->window > 0) {
            entry = w->blocks + t * len;   /* first used now: cleared of the last run */
            memset(entry, 0, len * sizeof *entry);
        }
        for (size_t s = 0; s < l->n_strata; s++) {
            unsigned n = spec->intake[s * T + t];
            entry[s * l->n_cells + start_cell] += n;
            enrolled += n;
        }
        /* A block whose window ended merges into the pool. */
        if (spec->window > 0 && t >= spec->window)
            add_block(w->pool, w->blocks + (t - spec->window) * len, len);

        const size_t cond = cond_of_month != NULL ? cond_of_month[t] : t;
        const uint64_t month_stream = sr_stream_sub(spec->stream, t);
        month_tally tally = {{0.0, 0.0}, 0.0};
        step_block(w, w->pool, m, p, v, rates, cond, 0, false,
                   sr_stream_sub(month_stream, 0), r, &tally);
        if (spec->window > 0) {
            size_t first = t + 1 > spec->window ? t + 1 - spec->window : 0;
            for (size_t e = first; e <= t; e++) {
                double *block = w->blocks + e * len;
                bool empty = true;
                for (size_t s = 0; s < l->n_strata && empty; s++)
                    empty = spec->intake[s * T + e] == 0;
                if (empty)
                    continue;
                size_t age = t - e; /* months since enrolment */
                size_t phase = 0;
                if (with_effect)
                    phase = age < p->effect_months ? 1 : 2 + (age - p->effect_months);
                step_block(w, block, m, p, v, rates, cond, phase,
                           with_effect && age < p->effect_months,
                           sr_stream_sub(month_stream, e + 1), r, &tally);
            }
        }

        const double index = sr_indexation_factor(m->indexation, (int)t);
        for (size_t pay = 0; pay < SR_PAYERS; pay++)
            w->flows.expenditure[pay * T + t] = tally.expenditure[pay] * index;
        w->flows.active[t] = tally.active;
        w->flows.cost[t] = index * (per_participant * enrolled + per_month * tally.active +
                                    (tally.active > 0.0 ? fixed_month : 0.0));
    }

    double employed = 0.0;
    if (l->employed >= 0) {
        size_t first = l->offset[l->employed], n = l->n_levels[l->employed];
        /* The pool, and the blocks still apart at the horizon (all cleared this run). */
        size_t first_block = spec->window == 0 ? T : T > spec->window ? T - spec->window : 0;
        for (size_t e = first_block; e <= T; e++) {
            const double *block = e < T ? w->blocks + e * len : w->pool;
            for (size_t s = 0; s < l->n_strata; s++)
                for (size_t k = 0; k < n; k++)
                    employed += block[s * l->n_cells + first + k];
        }
    }
    w->flows.employed_end = employed;
}
