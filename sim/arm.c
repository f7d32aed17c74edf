#include "arm.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/cashflow.h"
#include "moves.h"
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

/* The count sets of a pair run: persons on the same path in both arms, and the two
 * versions of persons whose paths have parted. A single arm uses TOGETHER alone. */
enum { TOGETHER = 0, APART_TREATED = 1, APART_COUNTERFACTUAL = 2 };

sr_arm_ws *sr_arm_ws_alloc(const sr_layout *l, const sr_model *m, size_t max_progress,
                           size_t max_outcomes)
{
    sr_arm_ws *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    const size_t T = m->n_months, K = l->max_out + 1;
    w->layout = l;
    w->n_months = T;
    w->max_len = (max_progress > 0 ? max_progress : 1) * l->n_strata * l->n_cells;
    w->words = (l->n_strata * l->n_cells + 63) / 64;
    w->cash = calloc(l->n_strata * l->n_cells * SR_PAYERS, sizeof *w->cash);
    w->moved = calloc(3 * K + 1, sizeof *w->moved);
    w->share = calloc(3 * K + 1, sizeof *w->share);
    w->joint = calloc(6 * K + 2, sizeof *w->joint);
    bool ok = w->cash && w->moved && w->share && w->joint;
    for (size_t c = 0; c < SR_COUNT_SETS; c++) {
        sr_arm_counts *set = &w->set[c];
        set->pool = calloc(w->max_len, sizeof *set->pool);
        /* the parted counterfactual versions have no effect phases: a pool only */
        const size_t n_blocks = c == APART_COUNTERFACTUAL ? 0 : T;
        set->blocks = calloc(n_blocks * w->max_len + 1, sizeof *set->blocks);
        set->next = calloc(w->max_len, sizeof *set->next);
        set->pool_bits = calloc(w->words, sizeof *set->pool_bits);
        set->block_bits = calloc(n_blocks * w->words + 1, sizeof *set->block_bits);
        set->next_bits = calloc(w->words, sizeof *set->next_bits);
        ok = ok && set->pool && set->blocks && set->next && set->pool_bits && set->block_bits &&
             set->next_bits;
    }
    for (size_t a = 0; a < 2; a++)
        ok = ok && (w->arm_flows[a] = sr_arm_flows_alloc(T, max_outcomes)) != NULL;
    if (!ok) {
        sr_arm_ws_free(w);
        return NULL;
    }
    w->flows = w->arm_flows[0];
    w->counterfactual = w->arm_flows[1];
    return w;
}

void sr_arm_ws_free(sr_arm_ws *w)
{
    if (w == NULL)
        return;
    for (size_t c = 0; c < SR_COUNT_SETS; c++) {
        free(w->set[c].pool);
        free(w->set[c].blocks);
        free(w->set[c].next);
        free(w->set[c].pool_bits);
        free(w->set[c].block_bits);
        free(w->set[c].next_bits);
    }
    for (size_t a = 0; a < 2; a++)
        sr_arm_flows_free(w->arm_flows[a]);
    free(w->cash);
    free(w->moved);
    free(w->share);
    free(w->joint);
    free(w);
}

/* What one month contributes to one arm's flows, before indexation. */
typedef struct {
    double expenditure[SR_PAYERS];    /* DKK */
    double active;                    /* persons active in the intervention */
    double employed;                  /* persons in `employed` */
} month_tally;

/* Whose flows a set's persons count in: both arms' (TOGETHER), arm 0's (the treated arm,
 * or a single arm), arm 1's (the counterfactual). */
static const bool in_both[2] = {true, true}, in_first[2] = {true, false},
                  in_second[2] = {false, true};

/* Whose flows set c's persons count in, in a run of n_sets sets. */
static const bool *set_arms(size_t n_sets, size_t c)
{
    static const bool *const of_pair[SR_COUNT_SETS] = {in_both, in_first, in_second};
    return n_sets == 1 ? in_first : of_pair[c];
}

/* A block's counts and the bitmap of its occupied cells (bit s * n_cells + cell: someone
 * of any progress there). Every count > 0 has its bit set. */
typedef struct {
    double *n;
    uint64_t *bits;
} cells;

/* Marks bit x (stratum * n_cells + cell) occupied. */
static inline void mark(uint64_t *bits, size_t x)
{
    bits[x / 64] |= UINT64_C(1) << (x % 64);
}

/* Set c's block (block_key e + 1: intake month e's; 0: the pool). */
static cells cells_of(sr_arm_ws *w, size_t c, size_t block_key)
{
    sr_arm_counts *set = &w->set[c];
    if (block_key == 0)
        return (cells){set->pool, set->pool_bits};
    return (cells){set->blocks + (block_key - 1) * w->block_len,
                   set->block_bits + (block_key - 1) * w->words};
}

/* Set c's next month's counts (scratch of the block being stepped). */
static cells next_of(sr_arm_ws *w, size_t c)
{
    return (cells){w->set[c].next, w->set[c].next_bits};
}

/* One block of one count set in one month. */
typedef struct {
    size_t set;                       /* TOGETHER, APART_TREATED or APART_COUNTERFACTUAL */
    const bool *in_arm;               /* [2]: whose flows its persons count in */
    size_t phase[2];                  /* each arm's effect phase */
    bool counts_active;               /* its persons are in arm 0's intervention months */
    bool may_part;                    /* TOGETHER of a pair, in a block (not the pool: the
                                       * parted counterfactual versions go to that set's
                                       * pool, which has stepped) */
    cells counts;                     /* the block's cells in the set */
    uint64_t stream;                  /* key of (month, block); cells are sub-streams */
} block_step;

/* Moves n persons of progress pi into cell c (within stratum s's cells) of the counts
 * `next`, with the progress they reach there; achievements are tallied for month
 * t + 1, the month in which the arrival holds the cell (none past the horizon), in the
 * flows of the arms the set counts in. */
static inline void arrive(sr_arm_ws *w, cells next, const bool *in_arm, const sr_progress *g,
                          size_t pi, size_t s, size_t c, double n, size_t t)
{
    const sr_layout *l = w->layout;
    mark(next.bits, s * l->n_cells + c);
    if (g->n_outcomes == 0) {          /* no rate card: one progress group, nothing to count */
        next.n[s * l->n_cells + c] += n;
        return;
    }
    const size_t x = pi * g->n_cells + c, to = g->arrive[x];
    next.n[(to * l->n_strata + s) * l->n_cells + c] += n;
    if (t + 1 < w->n_months)
        for (size_t a = 0; a < 2; a++)
            if (in_arm[a])
                for (size_t k = g->gain_first[x]; k < g->gain_first[x + 1]; k++)
                    w->arm_flows[a]->achieved[g->gain[k] * w->n_months + t + 1] += n;
}

/* Where the movers of one cell of state i go: moves[o] along transition o, moves[n_out]
 * stay (into stay_cell); persons of progress pi, into the counts `next`. */
static inline void arrive_all(sr_arm_ws *w, cells next, const bool *in_arm, const sr_model *m,
                       const sr_progress *g, size_t pi, size_t s, size_t i, size_t stay_cell,
                       const double *moves, size_t t)
{
    const sr_layout *l = w->layout;
    const size_t n_out = l->n_out[i];
    const size_t *out = l->out + i * l->max_out;
    const size_t gone = g->leave[pi * l->n_states + i];
    for (size_t o = 0; o < n_out; o++)
        if (moves[o] > 0.0)
            arrive(w, next, in_arm, g, gone, s, l->offset[m->transitions[out[o]].to], moves[o],
                   t);
    if (moves[n_out] > 0.0)
        arrive(w, next, in_arm, g, pi, s, stay_cell, moves[n_out], t);
}

/* Takes a progress group's share (n_pi of the n persons left; the last group takes all)
 * of k categories of moves out of `moved` into `share`: multivariate hypergeometric draws,
 * or proportional shares for the expectation (r == NULL). Returns the share: `moved`
 * itself for the last group. */
static const double *take_share(gsl_rng *r, size_t k, double *moved, double n_pi, double n,
                                bool last, double *share)
{
    if (last)
        return moved;
    if (r != NULL) {
        sr_hypergeometric_share(r, k, moved, n_pi, share);
        return share;
    }
    for (size_t c = 0; c < k; c++) {
        share[c] = n > 0.0 ? moved[c] * n_pi / n : 0.0;
        moved[c] -= share[c];
    }
    return share;
}

/* Shares the moves of one cell (n persons of `groups` progress groups, count[pi *
 * group_stride] of group pi) out over its progress groups, the last taking the rest, and
 * moves them on. With parting, the parted persons are one category more of the share, and
 * their versions' moves are then shared over the group's parted persons. */
static void share_out(sr_arm_ws *w, const block_step *b, const sr_model *m,
                      const sr_progress *g, const double *count, size_t group_stride, double n,
                      size_t groups, bool parting, size_t s, size_t i, size_t stay_cell,
                      size_t t, gsl_rng *r)
{
    const size_t K = w->layout->n_out[i] + 1;
    double *moved = w->moved, *share = w->share;
    for (size_t pi = 0; pi < g->n_progress && groups > 0; pi++) {
        const double n_pi = count[pi * group_stride];
        if (n_pi == 0.0)
            continue;
        const bool last = --groups == 0;
        const double parted_left = parting ? moved[K] : 0.0;
        const double *mine = take_share(r, parting ? K + 1 : K, moved, n_pi, n, last, share);
        arrive_all(w, next_of(w, b->set), b->in_arm, m, g, pi, s, i, stay_cell, mine, t);
        const double parted = parting ? mine[K] : 0.0;
        if (parted > 0.0) {
            double *version = share + K + 1;
            mine = take_share(r, K, moved + K + 1, parted, parted_left, last, version);
            arrive_all(w, next_of(w, APART_TREATED), in_first, m, g, pi, s, i, stay_cell, mine,
                       t);
            /* Parted counterfactual versions have no effect phase left: they join that
             * set's pool, which has already moved on to month t + 1 (pool first). */
            mine = take_share(r, K, moved + 2 * K + 1, parted, parted_left, last, version);
            arrive_all(w, cells_of(w, APART_COUNTERFACTUAL, 0), in_second, m, g, pi, s, i,
                       stay_cell, mine, t);
        }
        n -= n_pi;
    }
}

/* One month t of one block of one count set: tallies its cash flows (state held during
 * the month) into the arms it counts in, then moves its persons by the month-end
 * transitions into the sets' next counts.
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
                       month_tally tally[2])
{
    const sr_layout *l = w->layout;
    const size_t C = l->n_cells, S = l->n_strata, P = g->n_progress;
    const size_t group_stride = S * C;   /* from one progress group's cell to the next */
    /* The occupied cells only, in order. */
    for (size_t word = 0; word < w->words; word++) {
        for (uint64_t bits = b->counts.bits[word]; bits != 0; bits &= bits - 1) {
            const size_t x = word * 64 + (size_t)__builtin_ctzll(bits);
            const double *count = b->counts.n + x;   /* progress group 0's */
            double n = 0.0;
            size_t groups = 0;
            for (size_t pi = 0; pi < P; pi++)
                if (count[pi * group_stride] > 0.0) {
                    n += count[pi * group_stride];
                    groups++;
                }
            if (n == 0.0)
                continue;
            const size_t s = x / C, cell = x % C, band = l->band_of_cell[cell];
            const size_t i = l->band_state[band], first = l->offset[i], k = cell - first;
            const size_t top = l->n_levels[i] - 1, n_out = l->n_out[i], K = n_out + 1;
            const size_t *out = l->out + i * l->max_out;
            const double *cf = w->cash + (s * C + cell) * SR_PAYERS;
            for (size_t a = 0; a < 2; a++) {
                if (!b->in_arm[a])
                    continue;
                for (size_t pay = 0; pay < SR_PAYERS; pay++)
                    tally[a].expenditure[pay] += n * cf[pay];
                if ((long)i == l->employed)
                    tally[a].employed += n;
            }
            if (b->counts_active && !l->absorbing[i] && p->while_in[i])
                tally[0].active += n;

            /* moved[o]: persons leaving along transition o; moved[n_out]: stayers (with
             * parting: together, and the parted ones' versions; see sr_draw_parting) */
            double *moved = w->moved;
            bool parting = false;
            moved[n_out] = n;
            if (n_out > 0) {
                size_t idx[2];
                for (size_t a = 0; a < 2; a++)
                    idx[a] = sr_rates_index(rates, cond, b->phase[a], s, band);
                if (r != NULL)
                    sr_rng_seek(r, sr_stream_sub(b->stream, s * C + cell));
                parting = b->may_part && !sr_same_rates(rates, idx[0], idx[1], n_out);
                if (parting)
                    sr_draw_parting(rates, idx, n_out, n, r, w->joint, moved);
                else
                    sr_draw_moves(rates, b->in_arm[0] ? idx[0] : idx[1], n_out, n, r, moved);
                for (size_t o = 0; o < n_out; o++) {
                    const sr_transition *tr = &m->transitions[out[o]];
                    if (!tr->has_cash)
                        continue;
                    for (size_t a = 0; a < 2; a++) {
                        if (!b->in_arm[a])
                            continue;
                        double movers = moved[o] + (parting ? moved[(1 + a) * K + 1 + o] : 0.0);
                        for (size_t pay = 0; pay < SR_PAYERS; pay++)
                            tally[a].expenditure[pay] += movers * v[tr->cash.amount[pay]];
                    }
                }
            }
            const size_t stay_cell = first + (k < top ? k + 1 : top);
            share_out(w, b, m, g, count, group_stride, n, groups, parting, s, i, stay_cell,
                      t, r);
        }
    }
}

/* Moves `from` into `into` (len counts, `words` bitmap words) and clears it. */
static void add_block(cells into, cells from, size_t len, size_t words)
{
    for (size_t c = 0; c < len; c++) {
        into.n[c] += from.n[c];
        from.n[c] = 0.0;
    }
    for (size_t k = 0; k < words; k++) {
        into.bits[k] |= from.bits[k];
        from.bits[k] = 0;
    }
}

/* Clears a block. */
static void clear_block(cells b, size_t len, size_t words)
{
    memset(b.n, 0, len * sizeof *b.n);
    memset(b.bits, 0, words * sizeof *b.bits);
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

/* Whether a block holds nobody. */
static bool empty_block(cells b, size_t words)
{
    for (size_t k = 0; k < words; k++)
        if (b.bits[k] != 0)
            return false;
    return true;
}

/* Steps one block of every set of the run through month t (the block of intake month
 * block_key - 1, or the pool: block_key 0), each set into its next counts, which then
 * replace the block's. month_streams[c]: set c's stream key for month t. */
static void step_sets(sr_arm_ws *w, size_t n_sets, size_t block_key, size_t phase0,
                      bool counts_active, const uint64_t *month_streams, const sr_model *m,
                      const sr_programme *p, const double *v, const sr_rates *rates,
                      const sr_progress *g, size_t t, size_t cond, gsl_rng *r,
                      month_tally tally[2])
{
    const size_t len = w->block_len;
    cells counts[SR_COUNT_SETS];
    /* The parted arrive in the APART sets' next counts while TOGETHER steps. Parted
     * counterfactual versions go to their pool directly: that set has no blocks. */
    if (block_key > 0 && n_sets > APART_COUNTERFACTUAL)
        n_sets = APART_COUNTERFACTUAL;
    for (size_t c = 0; c < n_sets; c++) {
        counts[c] = cells_of(w, c, block_key);
        clear_block(next_of(w, c), len, w->words);
    }
    for (size_t c = 0; c < n_sets; c++) {
        if (c > 0 && empty_block(counts[c], w->words))
            continue;   /* nobody has parted (yet), or no blocks (the counterfactual's) */
        block_step b = {.set = c,
                        .in_arm = set_arms(n_sets, c),
                        .phase = {phase0, 0},
                        .counts_active = counts_active && c != APART_COUNTERFACTUAL,
                        .may_part = c == TOGETHER && n_sets > 1 && block_key > 0,
                        .counts = counts[c],
                        .stream = sr_stream_sub(month_streams[c], block_key)};
        step_block(w, &b, m, p, v, rates, g, t, cond, r, tally);
    }
    for (size_t c = 0; c < n_sets; c++) {
        memcpy(counts[c].n, w->set[c].next, len * sizeof *counts[c].n);
        memcpy(counts[c].bits, w->set[c].next_bits, w->words * sizeof *counts[c].bits);
    }
}

/* Runs the arm of spec and, with n_sets == SR_COUNT_SETS, its counterfactual (the same
 * intake, blocks and streams, without the effect or its costs) in lockstep. */
static void run_arms(sr_arm_ws *w, size_t n_sets, const sr_arm_spec *spec, const sr_model *m,
                     const sr_programme *p, const double *v, const sr_rates *rates,
                     const unsigned char *cond_of_month, gsl_rng *r)
{
    const sr_layout *l = w->layout;
    const sr_progress *g = spec->progress;
    const size_t T = w->n_months, C = l->n_cells, n_arms = n_sets > 1 ? 2 : 1;
    const size_t len = w->block_len = g->n_progress * l->n_strata * C;
    const size_t start_cell = sr_layout_cell(l, p->initial_state, p->initial_tenure);
    const bool with_effect = spec->treated && p->has_intervention;   /* arm 0 only */
    const double fixed_month = with_effect ? v[p->cost_fixed_per_year] / 12.0 : 0.0;
    const double per_participant = with_effect ? v[p->cost_per_participant] : 0.0;
    const double per_month = with_effect ? v[p->cost_per_participant_month] : 0.0;
    const uint64_t set_streams[SR_COUNT_SETS] = {spec->stream, spec->apart_streams[0],
                                                 spec->apart_streams[1]};

    for (size_t c = 0; c < n_sets; c++)
        clear_block(cells_of(w, c, 0), len, w->words);
    for (size_t a = 0; a < n_arms; a++)
        memset(w->arm_flows[a]->achieved, 0,
               g->n_outcomes * T * sizeof *w->arm_flows[a]->achieved);

    int cash_valid_until = -1;
    for (size_t t = 0; t < T; t++) {
        const bool stopped = t >= spec->stop;
        if ((int)t >= cash_valid_until) {
            sr_cash_table(w->cash, l, m, v, (int)t);
            cash_valid_until = sr_cash_next_change(m, (int)t);
        }
        /* Enrolment at the start of month t, in the initial state and progress: together
         * in both arms. A block whose window ended merges into the pool. */
        double enrolled = 0.0;
        for (size_t c = 0; c < n_sets; c++) {
            cells entry = cells_of(w, c, 0);
            const bool blocks = spec->window > 0 && c != APART_COUNTERFACTUAL;
            if (blocks) {
                entry = cells_of(w, c, t + 1);  /* first used now: cleared of the last run */
                clear_block(entry, len, w->words);
            }
            for (size_t s = 0; s < l->n_strata && !stopped && c == TOGETHER; s++) {
                unsigned n = spec->intake[s * T + t];
                if (n == 0)
                    continue;
                entry.n[(g->initial * l->n_strata + s) * C + start_cell] += n;
                mark(entry.bits, s * C + start_cell);
                enrolled += n;
            }
            if (blocks && t >= spec->window)
                add_block(cells_of(w, c, 0), cells_of(w, c, t + 1 - spec->window), len, w->words);
        }

        const size_t cond = cond_of_month != NULL ? cond_of_month[t] : t;
        uint64_t month_streams[SR_COUNT_SETS];
        for (size_t c = 0; c < n_sets; c++)
            month_streams[c] = sr_stream_sub(set_streams[c], t);
        month_tally tally[2] = {{{0.0, 0.0}, 0.0, 0.0}, {{0.0, 0.0}, 0.0, 0.0}};
        step_sets(w, n_sets, 0, 0, false, month_streams, m, p, v, rates, g, t, cond, r, tally);
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
                size_t phase = 0;
                if (effective)
                    phase = age < p->effect_months ? 1 : 2 + (age - p->effect_months);
                step_sets(w, n_sets, e + 1, phase, effective && age < p->effect_months,
                          month_streams, m, p, v, rates, g, t, cond, r, tally);
            }
        }

        const double index = sr_indexation_factor(m->indexation, (int)t);
        for (size_t a = 0; a < n_arms; a++) {
            sr_arm_flows *f = w->arm_flows[a];
            for (size_t pay = 0; pay < SR_PAYERS; pay++)
                f->expenditure[pay * T + t] = tally[a].expenditure[pay] * index;
            f->active[t] = tally[a].active;
            f->employed[t] = tally[a].employed;
            f->enrolled[t] = enrolled;
            f->cost[t] = a > 0 ? 0.0
                               : index * (per_participant * enrolled + per_month * tally[0].active +
                                          (tally[0].active > 0.0 ? fixed_month : 0.0));
        }
    }

    /* The pool, and the blocks still apart at the horizon (all cleared this run). */
    for (size_t a = 0; a < n_arms; a++)
        w->arm_flows[a]->employed_end = 0.0;
    for (size_t c = 0; c < n_sets; c++) {
        double employed = employed_in(l, g->n_progress, w->set[c].pool);
        if (spec->window > 0 && c != APART_COUNTERFACTUAL)
            for (size_t e = T > spec->window ? T - spec->window : 0; e < T; e++)
                employed += employed_in(l, g->n_progress, w->set[c].blocks + e * len);
        for (size_t a = 0; a < n_arms; a++)
            if (set_arms(n_sets, c)[a])
                w->arm_flows[a]->employed_end += employed;
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
    run_arms(w, SR_COUNT_SETS, spec, m, p, v, rates, cond_of_month, r);
}
