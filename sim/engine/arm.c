#include "sim/engine/arm.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/cashflow.h"
#include "models/size.h"
#include "sim/engine/moves.h"
#include "sim/engine/rng.h"
#include "sim/engine/sample.h"

/* Elements of each array of an arm's flows: months, and outcomes (at least one) times months
 * for `achieved`. */
static size_t flows_achieved(size_t n_months, size_t n_outcomes)
{
    return sr_size_mul(n_outcomes > 0 ? n_outcomes : 1, n_months);
}

sr_arm_flows *sr_arm_flows_alloc(size_t n_months, size_t n_outcomes)
{
    sr_arm_flows *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    f->expenditure = calloc(sr_size_mul(SR_PAYERS, n_months), sizeof(double));
    f->cost = calloc(n_months, sizeof(double));
    f->active = calloc(n_months, sizeof(double));
    f->employed = calloc(n_months, sizeof(double));
    f->achieved = calloc(flows_achieved(n_months, n_outcomes), sizeof(double));
    f->enrolled = calloc(n_months, sizeof(double));
    if (!f->expenditure || !f->cost || !f->active || !f->employed || !f->achieved ||
        !f->enrolled) {
        sr_arm_flows_free(f);
        return NULL;
    }
    return f;
}

double sr_arm_flows_bytes(size_t n_months, size_t n_outcomes)
{
    return sr_array_bytes(1, sizeof(sr_arm_flows)) +
           sr_array_bytes(sr_size_mul(SR_PAYERS, n_months), sizeof(double)) +
           4 * sr_array_bytes(n_months, sizeof(double)) +   /* cost, active, employed, enrolled */
           sr_array_bytes(flows_achieved(n_months, n_outcomes), sizeof(double));
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

/* Element counts of an arm workspace's arrays, which sr_arm_ws_alloc allocates and
 * sr_arm_ws_bytes adds up. */
typedef struct {
    size_t progress;          /* max_progress, at least 1 */
    size_t max_len;           /* counts of one block: progress * n_strata * n_cells */
    size_t words;             /* bitmap words of one block: n_strata * n_cells bits */
    size_t cash;              /* n_strata * n_cells * SR_PAYERS */
    size_t moves;             /* max_out + 1 */
    size_t scratch;           /* SR_PAIR_SCRATCH(max_out) */
    size_t destinations;      /* (2 + SR_PAIR) * max_out */
    size_t blocks, block_bits; /* n_months blocks of counts and of bitmap words */
} arm_sizes;

static arm_sizes arm_sizes_of(const sr_layout *l, const sr_model *m, size_t max_progress)
{
    const size_t cells = sr_size_mul(l->n_strata, l->n_cells);
    arm_sizes z;
    z.progress = max_progress > 0 ? max_progress : 1;
    z.max_len = sr_size_mul(z.progress, cells);
    z.words = cells / 64 + (cells % 64 != 0);
    z.cash = sr_size_mul(cells, SR_PAYERS);
    z.moves = l->max_out + 1;
    z.scratch = SR_PAIR_SCRATCH(l->max_out);
    z.destinations = (2 + SR_PAIR) * l->max_out;
    z.blocks = sr_size_mul(m->n_months, z.max_len);
    z.block_bits = sr_size_mul(m->n_months, z.words);
    return z;
}

sr_arm_ws *sr_arm_ws_alloc(const sr_layout *l, const sr_model *m, size_t max_progress,
                           size_t max_outcomes)
{
    sr_arm_ws *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    const arm_sizes z = arm_sizes_of(l, m, max_progress);
    const size_t T = m->n_months;
    w->layout = l;
    w->n_months = T;
    w->max_len = z.max_len;
    w->words = z.words;
    w->cash = calloc(z.cash, sizeof *w->cash);
    w->share = calloc(z.moves, sizeof *w->share);
    w->scratch = calloc(z.scratch, sizeof *w->scratch);
    w->destinations = calloc(z.destinations, sizeof *w->destinations);
    bool ok = w->cash && w->share && w->scratch && w->destinations;
    for (size_t a = 0; a < SR_PAIR; a++) {
        sr_arm_counts *c = &w->counts[a];
        w->moves[a] = calloc(z.moves, sizeof *w->moves[a]);
        w->band_leavers[a] = calloc(z.progress, sizeof *w->band_leavers[a]);
        w->leaving[a] = calloc(z.progress, sizeof *w->leaving[a]);
        ok = ok && w->band_leavers[a] && w->leaving[a];
        c->pool = calloc(z.max_len, sizeof *c->pool);
        c->blocks = calloc(z.blocks, sizeof *c->blocks);
        c->next = calloc(z.max_len, sizeof *c->next);
        c->pool_bits = calloc(z.words, sizeof *c->pool_bits);
        c->block_bits = calloc(z.block_bits, sizeof *c->block_bits);
        c->next_bits = calloc(z.words, sizeof *c->next_bits);
        ok = ok && w->moves[a] && c->pool && c->blocks && c->next && c->pool_bits &&
             c->block_bits && c->next_bits;
        ok = ok && (w->arm_flows[a] = sr_arm_flows_alloc(T, max_outcomes)) != NULL;
    }
    if (!ok) {
        sr_arm_ws_free(w);
        return NULL;
    }
    w->flows = w->arm_flows[0];
    w->counterfactual = w->arm_flows[1];
    return w;
}

double sr_arm_ws_bytes(const sr_layout *l, const sr_model *m, size_t max_progress,
                       size_t max_outcomes)
{
    const arm_sizes z = arm_sizes_of(l, m, max_progress);
    double per_arm = sr_array_bytes(z.moves, sizeof(double)) +
                     sr_array_bytes(z.progress, sizeof(double)) +      /* band_leavers */
                     sr_array_bytes(z.progress, sizeof(size_t)) +      /* leaving */
                     2 * sr_array_bytes(z.max_len, sizeof(double)) +   /* pool, next */
                     sr_array_bytes(z.blocks, sizeof(double)) +
                     2 * sr_array_bytes(z.words, sizeof(uint64_t)) +   /* pool_bits, next_bits */
                     sr_array_bytes(z.block_bits, sizeof(uint64_t)) +
                     sr_arm_flows_bytes(m->n_months, max_outcomes);
    return sr_array_bytes(1, sizeof(sr_arm_ws)) + sr_array_bytes(z.cash, sizeof(double)) +
           sr_array_bytes(z.moves, sizeof(double)) + sr_array_bytes(z.scratch, sizeof(double)) +
           sr_array_bytes(z.destinations, sizeof(double)) + SR_PAIR * per_arm;
}

void sr_arm_ws_free(sr_arm_ws *w)
{
    if (w == NULL)
        return;
    for (size_t a = 0; a < SR_PAIR; a++) {
        free(w->counts[a].pool);
        free(w->counts[a].blocks);
        free(w->counts[a].next);
        free(w->counts[a].pool_bits);
        free(w->counts[a].block_bits);
        free(w->counts[a].next_bits);
        free(w->moves[a]);
        free(w->band_leavers[a]);
        free(w->leaving[a]);
        sr_arm_flows_free(w->arm_flows[a]);
    }
    free(w->cash);
    free(w->share);
    free(w->scratch);
    free(w->destinations);
    free(w);
}

/* What one month contributes to one arm's flows, before indexation. */
typedef struct {
    double expenditure[SR_PAYERS];    /* DKK */
    double active;                    /* persons active in the intervention */
    double employed;                  /* persons in `employed` */
} month_tally;

/* A block's counts in one arm and the bitmap of its occupied cells (bit s * n_cells +
 * cell: someone of any progress there). Every count > 0 has its bit set. */
typedef struct {
    double *n;
    uint64_t *bits;
} cells;

/* Marks bit x (stratum * n_cells + cell) occupied. */
static inline void mark(uint64_t *bits, size_t x)
{
    bits[x / 64] |= UINT64_C(1) << (x % 64);
}

/* Arm a's block (block_key e + 1: intake month e's; 0: the pool). */
static cells cells_of(sr_arm_ws *w, size_t a, size_t block_key)
{
    sr_arm_counts *c = &w->counts[a];
    if (block_key == 0)
        return (cells){c->pool, c->pool_bits};
    return (cells){c->blocks + (block_key - 1) * w->block_len,
                   c->block_bits + (block_key - 1) * w->words};
}

/* Arm a's next month's counts (scratch of the block being stepped). */
static cells next_of(sr_arm_ws *w, size_t a)
{
    return (cells){w->counts[a].next, w->counts[a].next_bits};
}

/* One block of a run's arms in one month. */
typedef struct {
    size_t n_arms;                    /* 1, or SR_PAIR */
    size_t phase[SR_PAIR];            /* each arm's effect phase */
    bool counts_active;               /* arm 0's persons are in its intervention months */
    cells counts[SR_PAIR];            /* the block's cells in each arm */
    uint64_t stream;                  /* key of (month, block); cells are sub-streams */
} block_step;

/* Arms as a set: bit a for arm a. */
#define ARM(a) (1u << (a))

/* Moves n persons of progress pi of each arm in `arms` into cell c (within stratum s's
 * cells) of the arm's next counts, with the progress they reach there; achievements are
 * tallied for month t + 1, the month in which the arrival holds the cell (none past the
 * horizon). */
static inline void arrive(sr_arm_ws *w, unsigned arms, const sr_progress *g, size_t pi,
                          size_t s, size_t c, double n, size_t t)
{
    const sr_layout *l = w->layout;
    for (size_t a = 0; a < SR_PAIR; a++) {
        if (!(arms & ARM(a)))
            continue;
        const cells next = next_of(w, a);
        mark(next.bits, s * l->n_cells + c);
        if (g->n_outcomes == 0) {      /* no rate card: one progress group, nothing to count */
            next.n[s * l->n_cells + c] += n;
            continue;
        }
        const size_t x = pi * g->n_cells + c, to = g->arrive[x];
        next.n[(to * l->n_strata + s) * l->n_cells + c] += n;
        if (t + 1 < w->n_months)
            for (size_t k = g->gain_first[x]; k < g->gain_first[x + 1]; k++)
                w->arm_flows[a]->achieved[g->gain[k] * w->n_months + t + 1] += n;
    }
}

/* Where the movers of one cell of state i go, in each arm of `arms`: moves[o] along
 * transition o, moves[n_out] stay (into stay_cell); persons of progress pi. Pooled (the
 * band's destinations are drawn together, band_pool): moves[0] leave, moves[1] stay, and
 * the leavers are counted for the band by the progress they leave with. */
static inline void arrive_all(sr_arm_ws *w, unsigned arms, const sr_model *m,
                              const sr_progress *g, size_t pi, size_t s, size_t i,
                              size_t stay_cell, const double *moves, bool pooled, size_t t)
{
    const sr_layout *l = w->layout;
    const size_t n_out = pooled ? 1 : l->n_out[i];
    const size_t *out = l->out + i * l->max_out;
    const size_t gone = g->leave[pi * l->n_states + i];
    if (pooled) {
        for (size_t a = 0; a < SR_PAIR; a++)
            if ((arms & ARM(a)) && moves[0] > 0.0) {
                if (w->band_leavers[a][gone] == 0.0)
                    w->leaving[a][w->n_leaving[a]++] = gone;
                w->band_leavers[a][gone] += moves[0];
            }
    } else {
        for (size_t o = 0; o < n_out; o++)
            if (moves[o] > 0.0)
                arrive(w, arms, g, gone, s, l->offset[m->transitions[out[o]].to], moves[o], t);
    }
    if (moves[n_out] > 0.0)
        arrive(w, arms, g, pi, s, stay_cell, moves[n_out], t);
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

/* What one draw covers: cells c0 .. c1 (within stratum s's cells) of state i, whose first
 * cell is `first` and last `top` levels on. Usually one cell; a state's settled cells
 * (those above its settled level exist only for contract outcome tenures: the same
 * hazards, cash flows and so future) are drawn as one, so that a contract's outcomes
 * change neither the paths nor how the arms are paired (docs/model.md). */
typedef struct {
    size_t s, i, first, top, c0, c1;
} draw_unit;

/* The persons of arm a in the unit's cells, and in how many (cell, progress group)s. */
static double unit_count(const block_step *b, size_t a, const draw_unit *u, size_t P,
                         size_t group_stride, size_t C, size_t *groups)
{
    double n = 0.0;
    *groups = 0;
    for (size_t c = u->c0; c <= u->c1; c++)
        for (size_t pi = 0; pi < P; pi++) {
            const double n_pi = b->counts[a].n[pi * group_stride + u->s * C + c];
            if (n_pi > 0.0) {
                n += n_pi;
                ++*groups;
            }
        }
    return n;
}

/* Shares arm a's moves of one unit (n persons in `groups` (cell, progress group)s of
 * counts) out over them, the last taking the rest, and moves them on in each arm of
 * `arms` (a's, or both where the unit is the same in both); pooled: see arrive_all. */
static void share_out(sr_arm_ws *w, size_t a, unsigned arms, const sr_model *m,
                      const sr_progress *g, const double *counts, const draw_unit *u,
                      size_t group_stride, double n, size_t groups, bool pooled, size_t t,
                      gsl_rng *r)
{
    const size_t K = pooled ? 2 : w->layout->n_out[u->i] + 1, C = w->layout->n_cells;
    for (size_t c = u->c0; c <= u->c1 && groups > 0; c++) {
        const size_t stay_cell = c < u->first + u->top ? c + 1 : c;
        for (size_t pi = 0; pi < g->n_progress && groups > 0; pi++) {
            const double n_pi = counts[pi * group_stride + u->s * C + c];
            if (n_pi == 0.0)
                continue;
            const bool last = --groups == 0;
            const double *mine = take_share(r, K, w->moves[a], n_pi, n, last, w->share);
            arrive_all(w, arms, m, g, pi, u->s, u->i, stay_cell, mine, pooled, t);
            n -= n_pi;
        }
    }
}

/* Whether the unit holds the same persons of each progress group in both arms of b, and
 * they make the same k moves: then one share-out serves both (in a pooled band, of who
 * leaves and who stays; flush_band does the same for the leavers' destinations). */
static bool same_in_both(const sr_arm_ws *w, const block_step *b, const draw_unit *u,
                         size_t P, size_t group_stride, size_t k)
{
    const size_t C = w->layout->n_cells;
    for (size_t o = 0; o < k; o++)
        if (w->moves[0][o] != w->moves[1][o])
            return false;
    for (size_t c = u->c0; c <= u->c1; c++)
        for (size_t pi = 0; pi < P; pi++) {
            const size_t x = pi * group_stride + u->s * C + c;
            if (b->counts[0].n[x] != b->counts[1].n[x])
                return false;
        }
    return true;
}

/* Tallies the one-off cash flows of moves[o] persons leaving along transition out[o]. */
static void tally_transitions(const sr_model *m, const double *v, const size_t *out,
                              size_t n_out, const double *moves, month_tally *tally)
{
    for (size_t o = 0; o < n_out; o++) {
        const sr_transition *tr = &m->transitions[out[o]];
        if (tr->has_cash)
            for (size_t pay = 0; pay < SR_PAYERS; pay++)
                tally->expenditure[pay] += moves[o] * v[tr->cash.amount[pay]];
    }
}

/* Sub-keys of a block's month stream (SR_PURPOSE_TRANSITIONS). A unit's is its stratum,
 * state and first tenure level; a band's its stratum and band (bands start at hazard
 * breakpoints), marked by the top bit. Neither depends on the tenure levels that a
 * contract's outcomes add to the layout, which is shared by every programme of the
 * scenario, so contract terms change no programme's draws (docs/model.md). */
static uint64_t unit_key(const sr_layout *l, const draw_unit *u)
{
    return (uint64_t)(u->s * l->n_states + u->i) << 32 | (uint64_t)(u->c0 - u->first);
}

static uint64_t band_key(const sr_layout *l, size_t s, size_t band)
{
    return UINT64_C(1) << 63 | (uint64_t)(s * l->n_bands + band);
}

/* Whether both arms' pooled leavers left with the same progress, as many of each. */
static bool same_leaving(const sr_arm_ws *w)
{
    if (w->n_leaving[0] != w->n_leaving[1])
        return false;
    for (size_t k = 0; k < w->n_leaving[0]; k++) {
        const size_t pi = w->leaving[0][k];
        if (w->leaving[1][k] != pi || w->band_leavers[0][pi] != w->band_leavers[1][pi])
            return false;
    }
    return true;
}

/* The leavers of the band being stepped, when its rates are the same in every arm: drawn
 * unit by unit, their destinations for the whole band, in up to three multinomial draws
 * (the pairs' leavers, for both arms at once, and each arm's unpaired persons' leavers).
 * A leaver's destination does not depend on its tenure within the band, and a
 * destination is entered at tenure 0 from any of them, so this is the same distribution
 * at a cost that does not grow with the band's units. */
typedef struct {
    bool open;                        /* leavers are being pooled */
    size_t s, band, idx;              /* the band's stratum, band and rate index */
    double leavers[1 + SR_PAIR];      /* pairs' leavers (the same in both arms), then each
                                       * arm's unpaired persons' */
} band_pool;

/* Draws the destinations of the pool's leavers (pairs' together for both arms, from the
 * band's stream) and moves them on in each arm: shared out over the progress groups they
 * left with (w->band_leavers) by multivariate hypergeometric draws after all the
 * destinations are drawn, so a contract's outcomes change no path. Tallies transition
 * cash flows and empties the pool. */
static void flush_band(sr_arm_ws *w, band_pool *pool, const block_step *b, const sr_model *m,
                       const double *v, const sr_rates *rates, const sr_progress *g, size_t t,
                       gsl_rng *r, month_tally tally[SR_PAIR])
{
    if (!pool->open)
        return;
    pool->open = false;
    if (pool->leavers[0] + pool->leavers[1] + pool->leavers[2] == 0.0)
        return;
    const sr_layout *l = w->layout;
    const size_t i = l->band_state[pool->band], n_out = l->n_out[i];
    const size_t *out = l->out + i * l->max_out;
    double *to = w->destinations;     /* [1 + SR_PAIR][n_out], then one arm's [n_out] */
    if (r != NULL)
        sr_rng_seek(r, sr_stream_sub(b->stream, band_key(l, pool->s, pool->band)));
    for (size_t k = 0; k < 1 + SR_PAIR; k++)
        if (pool->leavers[k] > 0.0)
            sr_draw_destinations(rates, pool->idx, n_out, pool->leavers[k], r, to + k * n_out);
        else
            memset(to + k * n_out, 0, n_out * sizeof *to);
    const bool same = b->n_arms == SR_PAIR && pool->leavers[1] == 0.0 &&
                      pool->leavers[2] == 0.0 && same_leaving(w);
    for (size_t a = 0; a < (same ? 1 : b->n_arms); a++) {
        const unsigned arms = same ? ARM(0) | ARM(1) : ARM(a);
        if (w->n_leaving[a] == 0)
            continue;
        double *arm_to = to + (1 + SR_PAIR) * n_out;   /* this arm's: pairs' and its own */
        double left = 0.0;
        for (size_t o = 0; o < n_out; o++) {
            arm_to[o] = to[o] + to[(1 + a) * n_out + o];
            left += arm_to[o];
        }
        for (size_t x = 0; x < SR_PAIR; x++)
            if (arms & ARM(x))
                tally_transitions(m, v, out, n_out, arm_to, &tally[x]);
        for (size_t k = 0; k < w->n_leaving[a]; k++) {
            const size_t pi = w->leaving[a][k];
            const double n_pi = w->band_leavers[a][pi];
            const double *mine = take_share(r, n_out, arm_to, n_pi, left,
                                            k + 1 == w->n_leaving[a], w->share);
            for (size_t o = 0; o < n_out; o++)
                if (mine[o] > 0.0)
                    arrive(w, arms, g, pi, pool->s, l->offset[m->transitions[out[o]].to],
                           mine[o], t);
            left -= n_pi;
        }
    }
    for (size_t a = 0; a < b->n_arms; a++) {
        for (size_t k = 0; k < w->n_leaving[a]; k++)
            w->band_leavers[a][w->leaving[a][k]] = 0.0;
        w->n_leaving[a] = 0;
    }
}

/* The leavers of one unit of a pooled band (n[a] persons of arm a, A arms, rate index
 * idx): into w->moves[a] = {leave, stay}, and added to the pool's leavers[]: as many
 * persons as both arms hold are paired and leave together (leavers[0]); the larger arm's
 * others leave independently (leavers[1 + arm]). */
static void draw_leavers(sr_arm_ws *w, const sr_rates *rates, size_t idx, const double *n,
                         size_t A, gsl_rng *r, double leavers[1 + SR_PAIR])
{
    const size_t big = A == SR_PAIR && n[1] > n[0];
    const double paired = A == SR_PAIR ? n[1 - big] : 0.0, unpaired = n[big] - paired;
    const double both = paired > 0.0 ? sr_draw_leavers(rates, idx, paired, r) : 0.0;
    const double alone = unpaired > 0.0 ? sr_draw_leavers(rates, idx, unpaired, r) : 0.0;
    for (size_t a = 0; a < A; a++) {
        w->moves[a][0] = both;
        w->moves[a][1] = paired - both;
    }
    w->moves[big][0] += alone;
    w->moves[big][1] += unpaired - alone;
    leavers[0] += both;
    leavers[1 + big] += alone;
}

/* One month t of one block of the run's arms: tallies each arm's cash flows (state held
 * during the month), then moves its persons by the month-end transitions into the arms'
 * next counts.
 *
 * A unit's transitions (a cell, or a state's settled cells) are drawn for all its persons
 * together, whatever their rate-card progress, and for both arms of a pair at once: as
 * many persons as both arms hold in the unit are paired, one of each arm, and the larger
 * arm's others move independently. Where the arms' rates for the band agree (a single
 * arm, a band the effect does not touch, every band past the effect's window) a unit's
 * leavers are drawn from the unit's stream (a pair's together) and their destinations
 * from the band's (flush_band); where they differ, a pair's moves are drawn from the
 * unit's stream by their maximal coupling (sr_draw_pair). Who of the unit moves where is
 * then shared out over each arm's cells and progress groups by multivariate
 * hypergeometric draws (every assignment of the movers to persons being equally likely),
 * after the moves, from the same stream. So a contract's outcomes, which only split the
 * persons by what they have achieved, leave the paths of the cohort and the pairing
 * unchanged (docs/model.md). */
static void step_block(sr_arm_ws *w, const block_step *b, const sr_model *m,
                       const sr_programme *p, const double *v, const sr_rates *rates,
                       const sr_progress *g, size_t t, size_t cond, gsl_rng *r,
                       month_tally tally[SR_PAIR])
{
    const sr_layout *l = w->layout;
    const size_t C = l->n_cells, S = l->n_strata, P = g->n_progress, A = b->n_arms;
    const size_t group_stride = S * C;   /* from one progress group's cell to the next */
    size_t drawn_below = 0;              /* bits below it belong to units already drawn */
    band_pool pool = {.open = false};
    /* The cells occupied in any arm, in order. */
    for (size_t word = 0; word < w->words; word++) {
        uint64_t occupied = b->counts[0].bits[word];
        if (A > 1)
            occupied |= b->counts[1].bits[word];
        for (uint64_t bits = occupied; bits != 0; bits &= bits - 1) {
            const size_t x = word * 64 + (size_t)__builtin_ctzll(bits);
            if (x < drawn_below)
                continue;
            const size_t s = x / C, cell = x % C, band = l->band_of_cell[cell];
            const size_t i = l->band_state[band], first = l->offset[i];
            draw_unit u = {s, i, first, l->n_levels[i] - 1, cell, cell};
            if (cell - first >= l->settled[i] && u.top > l->settled[i]) {
                u.c0 = first + l->settled[i];
                u.c1 = first + u.top;
                drawn_below = s * C + u.c1 + 1;
            }
            double n[SR_PAIR] = {0.0, 0.0};
            size_t groups[SR_PAIR] = {0, 0};
            for (size_t a = 0; a < A; a++)
                n[a] = unit_count(b, a, &u, P, group_stride, C, &groups[a]);
            if (n[0] + n[1] == 0.0)
                continue;
            const size_t n_out = l->n_out[i];
            const size_t *out = l->out + i * l->max_out;
            const double *cf = w->cash + (s * C + u.c0) * SR_PAYERS;   /* same in all */
            for (size_t a = 0; a < A; a++) {
                for (size_t pay = 0; pay < SR_PAYERS; pay++)
                    tally[a].expenditure[pay] += n[a] * cf[pay];
                if ((long)i == l->employed)
                    tally[a].employed += n[a];
            }
            if (b->counts_active && !l->absorbing[i] && p->while_in[i])
                tally[0].active += n[0];

            /* w->moves[a][o]: arm a's persons leaving along transition o; [n_out]: stayers
             * (pooled: [0] leave, [1] stay) */
            size_t idx[SR_PAIR];
            for (size_t a = 0; a < SR_PAIR; a++)
                idx[a] = sr_rates_index(rates, cond, b->phase[a], s, band);
            const bool pooled =
                n_out > 0 && (A == 1 || sr_same_rates(rates, idx[0], idx[1], n_out));
            if (pool.open && (!pooled || pool.s != s || pool.band != band))
                flush_band(w, &pool, b, m, v, rates, g, t, r, tally);
            if (n_out == 0) {
                for (size_t a = 0; a < A; a++)
                    w->moves[a][0] = n[a];
            } else {
                if (r != NULL)
                    sr_rng_seek(r, sr_stream_sub(b->stream, unit_key(l, &u)));
                if (pooled) {
                    if (!pool.open)
                        pool = (band_pool){true, s, band, idx[0], {0.0, 0.0, 0.0}};
                    draw_leavers(w, rates, idx[0], n, A, r, pool.leavers);
                } else {
                    sr_draw_pair(rates, idx, n_out, n, r, w->scratch, w->moves);
                    for (size_t a = 0; a < A; a++)
                        tally_transitions(m, v, out, n_out, w->moves[a], &tally[a]);
                }
            }
            const size_t K = pooled ? 2 : n_out + 1;
            if (A == SR_PAIR && n[0] == n[1] && same_in_both(w, b, &u, P, group_stride, K)) {
                share_out(w, 0, ARM(0) | ARM(1), m, g, b->counts[0].n, &u, group_stride, n[0],
                          groups[0], pooled, t, r);
                continue;
            }
            for (size_t a = 0; a < A; a++)
                if (n[a] > 0.0)
                    share_out(w, a, ARM(a), m, g, b->counts[a].n, &u, group_stride, n[a],
                              groups[a], pooled, t, r);
        }
    }
    flush_band(w, &pool, b, m, v, rates, g, t, r, tally);
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

/* Steps one block of every arm of the run through month t (the block of intake month
 * block_key - 1, or the pool: block_key 0), each arm into its next counts, which then
 * replace the block's. */
static void step_arms(sr_arm_ws *w, size_t n_arms, size_t block_key, size_t phase0,
                      bool counts_active, uint64_t month_stream, const sr_model *m,
                      const sr_programme *p, const double *v, const sr_rates *rates,
                      const sr_progress *g, size_t t, size_t cond, gsl_rng *r,
                      month_tally tally[SR_PAIR])
{
    const size_t len = w->block_len;
    block_step b = {.n_arms = n_arms,
                    .phase = {phase0, 0},
                    .counts_active = counts_active,
                    .stream = sr_stream_sub(month_stream, block_key)};
    for (size_t a = 0; a < n_arms; a++) {
        b.counts[a] = cells_of(w, a, block_key);
        clear_block(next_of(w, a), len, w->words);
    }
    step_block(w, &b, m, p, v, rates, g, t, cond, r, tally);
    for (size_t a = 0; a < n_arms; a++) {
        memcpy(b.counts[a].n, w->counts[a].next, len * sizeof *b.counts[a].n);
        memcpy(b.counts[a].bits, w->counts[a].next_bits, w->words * sizeof *b.counts[a].bits);
    }
}

/* Runs the arm of spec and, with n_arms == SR_PAIR, its counterfactual (the same intake
 * and blocks, without the effect or its costs) in lockstep. */
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
        clear_block(cells_of(w, a, 0), len, w->words);
        memset(w->arm_flows[a]->achieved, 0,
               g->n_outcomes * T * sizeof *w->arm_flows[a]->achieved);
    }

    int cash_valid_until = -1;
    for (size_t t = 0; t < T; t++) {
        if (spec->interrupted != NULL && *spec->interrupted)
            return;
        const bool stopped = t >= spec->stop;
        if ((int)t >= cash_valid_until) {
            sr_cash_table(w->cash, l, m, v, (int)t);
            cash_valid_until = sr_cash_next_change(m, (int)t);
        }
        /* Enrolment at the start of month t, in the initial state and progress, in every
         * arm. A block whose window ended merges into the pool. */
        double enrolled = 0.0;
        for (size_t a = 0; a < n_arms; a++) {
            cells entry = cells_of(w, a, 0);
            if (spec->window > 0) {
                entry = cells_of(w, a, t + 1);  /* first used now: cleared of the last run */
                clear_block(entry, len, w->words);
            }
            enrolled = 0.0;
            for (size_t s = 0; s < l->n_strata && !stopped; s++) {
                unsigned n = spec->intake[s * T + t];
                if (n == 0)
                    continue;
                entry.n[(g->initial * l->n_strata + s) * C + start_cell] += n;
                mark(entry.bits, s * C + start_cell);
                enrolled += n;
            }
            if (spec->window > 0 && t >= spec->window)
                add_block(cells_of(w, a, 0), cells_of(w, a, t + 1 - spec->window), len, w->words);
        }

        const size_t cond = cond_of_month != NULL ? cond_of_month[t] : t;
        const uint64_t month_stream = sr_stream_sub(spec->stream, t);
        month_tally tally[SR_PAIR] = {{{0.0, 0.0}, 0.0, 0.0}, {{0.0, 0.0}, 0.0, 0.0}};
        step_arms(w, n_arms, 0, 0, false, month_stream, m, p, v, rates, g, t, cond, r, tally);
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
                step_arms(w, n_arms, e + 1, phase, effective && age < p->effect_months,
                          month_stream, m, p, v, rates, g, t, cond, r, tally);
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
    for (size_t a = 0; a < n_arms; a++) {
        double employed = employed_in(l, g->n_progress, w->counts[a].pool);
        if (spec->window > 0)
            for (size_t e = T > spec->window ? T - spec->window : 0; e < T; e++)
                employed += employed_in(l, g->n_progress, w->counts[a].blocks + e * len);
        w->arm_flows[a]->employed_end = employed;
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
    run_arms(w, SR_PAIR, spec, m, p, v, rates, cond_of_month, r);
}
