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
    w->cash = calloc(l->n_strata * l->n_cells * SR_PAYERS, sizeof *w->cash);
    w->share = calloc(l->max_out + 1, sizeof *w->share);
    bool ok = w->cash && w->share;
    for (size_t a = 0; a < SR_ARMS_IN_STEP; a++) {
        sr_arm_counts *c = &w->arm[a];
        c->pool = calloc(w->max_len, sizeof *c->pool);
        c->blocks = calloc(T * w->max_len, sizeof *c->blocks);
        c->next = calloc(w->max_len, sizeof *c->next);
        c->moved = calloc(l->max_out + 1, sizeof *c->moved);
        c->flows = sr_arm_flows_alloc(T, max_outcomes);
        ok = ok && c->pool && c->blocks && c->next && c->moved && c->flows;
    }
    if (!ok) {
        sr_arm_ws_free(w);
        return NULL;
    }
    w->flows = w->arm[0].flows;
    w->counterfactual = w->arm[1].flows;
    return w;
}

void sr_arm_ws_free(sr_arm_ws *w)
{
    if (w == NULL)
        return;
    for (size_t a = 0; a < SR_ARMS_IN_STEP; a++) {
        sr_arm_counts *c = &w->arm[a];
        free(c->pool);
        free(c->blocks);
        free(c->next);
        free(c->moved);
        sr_arm_flows_free(c->flows);
    }
    free(w->cash);
    free(w->share);
    free(w);
}

/* What one block of one arm contributes in one month, before indexation. */
typedef struct {
    double expenditure[SR_PAYERS];    /* DKK */
    double active;                    /* persons active in the intervention */
    double employed;                  /* persons in `employed` */
} month_tally;

/* One block in one month, for each arm stepped together. */
typedef struct {
    size_t n_arms;                    /* 1, or 2: an arm and its counterfactual */
    double *counts[SR_ARMS_IN_STEP];  /* the block's cells in each arm */
    size_t phase[SR_ARMS_IN_STEP];    /* each arm's effect phase */
    bool counts_active[SR_ARMS_IN_STEP]; /* whether its persons are in intervention months */
    uint64_t stream;                  /* key of (month, block); cells are sub-streams */
} block_step;

/* Moves n persons of progress pi into cell c (within stratum s's cells) of arm a's next
 * counts, with the progress they reach there; achievements are tallied for month t + 1,
 * the month in which the arrival holds the cell (none past the horizon). */
static inline void arrive(sr_arm_ws *w, size_t a, const sr_progress *g, size_t pi, size_t s,
                          size_t c, double n, size_t t)
{
    const sr_layout *l = w->layout;
    double *next = w->arm[a].next;
    if (g->n_outcomes == 0) {          /* no rate card: one progress group, nothing to count */
        next[s * l->n_cells + c] += n;
        return;
    }
    const size_t x = pi * g->n_cells + c, to = g->arrive[x];
    next[(to * l->n_strata + s) * l->n_cells + c] += n;
    if (t + 1 < w->n_months)
        for (size_t k = g->gain_first[x]; k < g->gain_first[x + 1]; k++)
            w->arm[a].flows->achieved[g->gain[k] * w->n_months + t + 1] += n;
}

/* The split of the movers of rate index idx over a state's n_out transitions. */
static sr_split split_at(const sr_rates *rates, size_t idx, size_t n_out)
{
    const size_t at = idx * rates->max_out;
    return (sr_split){n_out, rates->cum + at, rates->cond + at, rates->cond_log_stay + at,
                      rates->cond_log_leave + at};
}

/* Draws the month-end moves of one cell holding n[a] persons in each arm a, at rate index
 * idx[a]: arm a's moved[o] persons leave along transition o, moved[n_out] stay. r == NULL
 * gives the expected moves. Two arms draw as a pair (common random numbers per person). */
static void draw_moves(sr_arm_ws *w, const sr_rates *rates, size_t n_arms, const size_t *idx,
                       const double *n, size_t n_out, gsl_rng *r)
{
    double *moved[SR_ARMS_IN_STEP] = {w->arm[0].moved, w->arm[1].moved};
    sr_split split[SR_ARMS_IN_STEP];
    double left[SR_ARMS_IN_STEP];
    for (size_t a = 0; a < n_arms; a++)
        split[a] = split_at(rates, idx[a], n_out);
    if (r == NULL) {
        for (size_t a = 0; a < n_arms; a++) {
            left[a] = n[a] * rates->q[idx[a]];
            moved[a][n_out] = n[a] - left[a];
            for (size_t o = 0; o < n_out; o++) {
                moved[a][o] = o + 1 == n_out ? left[a] : left[a] * split[a].cond[o];
                left[a] -= moved[a][o];
            }
        }
        return;
    }
    if (n_arms == 1) {
        left[0] = sr_binomial_logs(r, n[0], rates->q[idx[0]], rates->log_stay[idx[0]],
                                   rates->log_leave[idx[0]]);
        moved[0][n_out] = n[0] - left[0];
        sr_multinomial(r, left[0], &split[0], moved[0]);
        return;
    }
    sr_prob leave[SR_ARMS_IN_STEP];
    for (size_t a = 0; a < n_arms; a++)
        leave[a] = (sr_prob){rates->q[idx[a]], rates->log_stay[idx[a]], rates->log_leave[idx[a]]};
    sr_binomial_pair(r, n, leave, left);
    for (size_t a = 0; a < n_arms; a++)
        moved[a][n_out] = n[a] - left[a];
    sr_multinomial_pair(r, left, split, moved);
}

/* Shares a cell's moves in arm a out over the progress groups of its persons (count[pi *
 * group_stride], n in all), the last group taking the rest, and moves them into next. */
static void share_out(sr_arm_ws *w, size_t a, const sr_model *m, const sr_progress *g,
                      const double *count, size_t group_stride, double n, size_t groups,
                      size_t s, size_t i, size_t stay_cell, size_t t, gsl_rng *r)
{
    const sr_layout *l = w->layout;
    const size_t n_out = l->n_out[i];
    const size_t *out = l->out + i * l->max_out;
    double *moved = w->arm[a].moved, *share = w->share;
    for (size_t pi = 0; pi < g->n_progress && groups > 0; pi++) {
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
                arrive(w, a, g, gone, s, l->offset[m->transitions[out[o]].to], share[o], t);
        if (share[n_out] > 0.0)
            arrive(w, a, g, pi, s, stay_cell, share[n_out], t);
        n -= n_pi;
    }
}

/* One month t of one block in each arm: tallies its cash flows (state held during the
 * month), then moves its persons by the month-end transitions.
 *
 * A cell's transitions are drawn for all its persons together, whatever their rate-card
 * progress, from a stream keyed by the cell alone: a contract's outcomes, which only split
 * the persons by what they have achieved, leave the paths of the cohort unchanged (SPEC
 * 2.12). Who of the cell moves where is then shared out over the progress groups by
 * multivariate hypergeometric draws (every assignment of the movers to persons being
 * equally likely), after the transitions, from the same stream. */
static void step_block(sr_arm_ws *w, const block_step *b, const sr_model *m,
                       const sr_programme *p, const double *v, const sr_rates *rates,
                       const sr_progress *g, size_t t, size_t cond, gsl_rng *r,
                       month_tally *tally)
{
    const sr_layout *l = w->layout;
    const size_t C = l->n_cells, S = l->n_strata, P = g->n_progress, A = b->n_arms;
    const size_t group_stride = S * C;   /* from one progress group's cell to the next */
    for (size_t a = 0; a < A; a++)
        memset(w->arm[a].next, 0, w->block_len * sizeof *w->arm[a].next);
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < l->n_states; i++) {
            const size_t first = l->offset[i], top = l->n_levels[i] - 1;
            const size_t n_out = l->n_out[i];
            const size_t *out = l->out + i * l->max_out;
            const bool intervened = !l->absorbing[i] && p->while_in[i];
            const bool employed = (long)i == l->employed;
            for (size_t k = 0; k <= top; k++) {
                const size_t cell = first + k;
                double n[SR_ARMS_IN_STEP] = {0.0, 0.0};
                size_t groups[SR_ARMS_IN_STEP] = {0, 0};
                for (size_t a = 0; a < A; a++)
                    for (size_t pi = 0; pi < P; pi++) {
                        const double x = b->counts[a][s * C + cell + pi * group_stride];
                        if (x > 0.0) {
                            n[a] += x;
                            groups[a]++;
                        }
                    }
                if (n[0] == 0.0 && n[1] == 0.0)
                    continue;
                const double *cf = w->cash + (s * C + cell) * SR_PAYERS;
                for (size_t a = 0; a < A; a++) {
                    for (size_t pay = 0; pay < SR_PAYERS; pay++)
                        tally[a].expenditure[pay] += n[a] * cf[pay];
                    if (intervened && b->counts_active[a])
                        tally[a].active += n[a];
                    if (employed)
                        tally[a].employed += n[a];
                    w->arm[a].moved[n_out] = n[a];
                }
                if (n_out > 0) {
                    size_t idx[SR_ARMS_IN_STEP];
                    for (size_t a = 0; a < A; a++)
                        idx[a] = sr_rates_index(rates, cond, b->phase[a], s,
                                                l->band_of_cell[cell]);
                    if (r != NULL)
                        sr_rng_seek(r, sr_stream_sub(b->stream, s * C + cell));
                    draw_moves(w, rates, A, idx, n, n_out, r);
                    for (size_t o = 0; o < n_out; o++) {
                        const sr_transition *tr = &m->transitions[out[o]];
                        if (tr->has_cash)
                            for (size_t a = 0; a < A; a++)
                                for (size_t pay = 0; pay < SR_PAYERS; pay++)
                                    tally[a].expenditure[pay] +=
                                        w->arm[a].moved[o] * v[tr->cash.amount[pay]];
                    }
                }
                const size_t stay_cell = first + (k < top ? k + 1 : top);
                for (size_t a = 0; a < A; a++)
                    share_out(w, a, m, g, b->counts[a] + s * C + cell, group_stride, n[a],
                              groups[a], s, i, stay_cell, t, r);
            }
        }
    for (size_t a = 0; a < A; a++)
        memcpy(b->counts[a], w->arm[a].next, w->block_len * sizeof *w->arm[a].next);
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

/* Runs the arm of spec (arm 0) and, with n_arms == 2, its counterfactual (arm 1: the same
 * intake, blocks and streams, without the effect or its costs) in lockstep. */
static void run_arms(sr_arm_ws *w, size_t n_arms, const sr_arm_spec *spec, const sr_model *m,
                     const sr_programme *p, const double *v, const sr_rates *rates,
                     const unsigned char *cond_of_month, gsl_rng *r)
{
    const sr_layout *l = w->layout;
    const sr_progress *g = spec->progress;
    const size_t T = w->n_months, C = l->n_cells;
    const size_t len = w->block_len = g->n_progress * l->n_strata * C;
    const size_t start_cell = sr_layout_cell(l, p->initial_state, p->initial_tenure);
    const bool with_effect = spec->treated && p->has_intervention;   /* arm 0 only */
    const double fixed_month = with_effect ? v[p->cost_fixed_per_year] / 12.0 : 0.0;
    const double per_participant = with_effect ? v[p->cost_per_participant] : 0.0;
    const double per_month = with_effect ? v[p->cost_per_participant_month] : 0.0;

    for (size_t a = 0; a < n_arms; a++) {
        memset(w->arm[a].pool, 0, len * sizeof *w->arm[a].pool);
        memset(w->arm[a].flows->achieved, 0,
               g->n_outcomes * T * sizeof *w->arm[a].flows->achieved);
    }

    int cash_valid_until = -1;
    for (size_t t = 0; t < T; t++) {
        const bool stopped = t >= spec->stop;
        if ((int)t >= cash_valid_until) {
            sr_cash_table(w->cash, l, m, v, (int)t);
            cash_valid_until = sr_cash_next_change(m, (int)t);
        }
        /* Enrolment at the start of month t, in the initial state and progress. */
        double enrolled = 0.0;
        for (size_t a = 0; a < n_arms; a++) {
            double *entry = w->arm[a].pool;
            if (spec->window > 0) {
                entry = w->arm[a].blocks + t * len;   /* first used now: cleared of the last run */
                memset(entry, 0, len * sizeof *entry);
            }
            enrolled = 0.0;
            for (size_t s = 0; s < l->n_strata && !stopped; s++) {
                unsigned n = spec->intake[s * T + t];
                entry[(g->initial * l->n_strata + s) * C + start_cell] += n;
                enrolled += n;
            }
            w->arm[a].flows->enrolled[t] = enrolled;
            /* A block whose window ended merges into the pool. */
            if (spec->window > 0 && t >= spec->window)
                add_block(w->arm[a].pool, w->arm[a].blocks + (t - spec->window) * len, len);
        }

        const size_t cond = cond_of_month != NULL ? cond_of_month[t] : t;
        const uint64_t month_stream = sr_stream_sub(spec->stream, t);
        month_tally tally[SR_ARMS_IN_STEP] = {{{0.0, 0.0}, 0.0, 0.0}, {{0.0, 0.0}, 0.0, 0.0}};
        block_step pool = {.n_arms = n_arms, .stream = sr_stream_sub(month_stream, 0)};
        for (size_t a = 0; a < n_arms; a++)
            pool.counts[a] = w->arm[a].pool;
        step_block(w, &pool, m, p, v, rates, g, t, cond, r, tally);
        if (spec->window > 0) {
            size_t first = t + 1 > spec->window ? t + 1 - spec->window : 0;
            for (size_t e = first; e <= t; e++) {
                bool empty = true;
                for (size_t s = 0; s < l->n_strata && empty; s++)
                    empty = spec->intake[s * T + e] == 0 || e >= spec->stop;
                if (empty)
                    continue;
                const size_t age = t - e; /* months since enrolment */
                const bool effective = with_effect && !stopped;
                block_step block = {.n_arms = n_arms,
                                    .stream = sr_stream_sub(month_stream, e + 1)};
                for (size_t a = 0; a < n_arms; a++)
                    block.counts[a] = w->arm[a].blocks + e * len;
                if (effective)
                    block.phase[0] =
                        age < p->effect_months ? 1 : 2 + (age - p->effect_months);
                block.counts_active[0] = effective && age < p->effect_months;
                step_block(w, &block, m, p, v, rates, g, t, cond, r, tally);
            }
        }

        const double index = sr_indexation_factor(m->indexation, (int)t);
        for (size_t a = 0; a < n_arms; a++) {
            sr_arm_flows *f = w->arm[a].flows;
            for (size_t pay = 0; pay < SR_PAYERS; pay++)
                f->expenditure[pay * T + t] = tally[a].expenditure[pay] * index;
            f->active[t] = tally[a].active;
            f->employed[t] = tally[a].employed;
            f->cost[t] = 0.0;
        }
        w->arm[0].flows->cost[t] =
            index * (per_participant * enrolled + per_month * tally[0].active +
                     (tally[0].active > 0.0 ? fixed_month : 0.0));
    }

    /* The pool, and the blocks still apart at the horizon (all cleared this run). */
    for (size_t a = 0; a < n_arms; a++) {
        double employed = employed_in(l, g->n_progress, w->arm[a].pool);
        if (spec->window > 0)
            for (size_t e = T > spec->window ? T - spec->window : 0; e < T; e++)
                employed += employed_in(l, g->n_progress, w->arm[a].blocks + e * len);
        w->arm[a].flows->employed_end = employed;
    }
}

void sr_arm_run(sr_arm_ws *w, const sr_arm_spec *spec, const sr_model *m,
                const sr_programme *p, const double *v, const sr_rates *rates,
                const unsigned char *cond_of_month, gsl_rng *r)
{
    run_arms(w, 1, spec, m, p, v, rates, cond_of_month, r);
}

void sr_arm_run_pair(sr_arm_ws *w, const sr_arm_spec *spec, const sr_model *m,
                     const sr_programme *p, const double *v, const sr_rates *rates,
                     const unsigned char *cond_of_month, gsl_rng *r)
{
    run_arms(w, 2, spec, m, p, v, rates, cond_of_month, r);
}
