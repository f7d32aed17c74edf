/* Stepping an arm, or a pair of arms, through the horizon (sim/engine/arm.h).
 *
 * Each month t of a run: enrolment at the start of the month (into the pool, or into the
 * intake month's own block while its window lasts; a block whose window ended merges into
 * the pool), then every block of every arm is stepped (step_block): its cash flows of the
 * month tallied (the state held during the month), and its persons moved by the
 * month-end transitions into the arm's `next` counts, which then replace the block's.
 * The month's tallies, indexed, become the arms' flows of month t.
 *
 * Invariants, checked in a SIRISK_DEBUG build (sim/base/check.h):
 * - Persons are conserved: after month t, an arm's pool and live blocks hold every person
 *   enrolled in months 0..t, no more and no fewer (absorbing states keep those who leave
 *   the labour market); a unit's moves add up to its persons.
 * - Occupancy: every count > 0 has its bit set in its block's bitmap (bit s * n_cells +
 *   cell, for any progress); a bit may be set where the count is 0 (someone was there and
 *   left). Stepping reads only the cells whose bit is set.
 * - Draws: a unit's moves are drawn from the unit's stream, sought before its first draw
 *   (sr_stream_sub of the month's and block's stream), a pooled band's destinations from
 *   the band's; so a draw depends on what it is for, never on the order of the cells or
 *   the thread.
 * Units: persons (whole numbers when drawn, expected values under SR_DRAW_EXPECTED), DKK,
 * months. */
#include "sim/engine/arm.h"

#include <math.h>
#include <string.h>

#include "models/cashflow.h"
#include "sim/base/check.h"
#include "sim/engine/moves.h"
#include "sim/engine/rng.h"
#include "sim/engine/sample.h"

/* What one month contributes to one arm's flows, before indexation. */
typedef struct {
    double expenditure[SR_PAYERS];    /* DKK */
    double active;                    /* persons active in the intervention */
    double employed;                  /* persons in `employed` */
} month_tally;

/* One month of a run: what every step of the month reads, and the month's tallies. */
typedef struct {
    sr_arm_ws *w;
    const sr_layout *l;
    const sr_model *m;
    const sr_programme *p;
    const double *v;                  /* the trial's numbers */
    const sr_rates *rates;
    const sr_progress *g;             /* the programme's rate-card progress tables */
    const sr_draw *draw;
    size_t stride;                    /* counts from one progress group's cell to the next's:
                                       * n_strata * n_cells */
    size_t n_arms;                    /* 1, or SR_PAIR */
    size_t t;                         /* the month */
    size_t cond;                      /* its macro condition in rates */
    uint64_t stream;                  /* its stream: sr_stream_sub(run's stream, t) */
    month_tally tally[SR_PAIR];       /* each arm's flows of the month so far */
} month_step;

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

static inline bool marked(const uint64_t *bits, size_t x)
{
    return (bits[x / 64] >> (x % 64)) & 1u;
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
    size_t phase[SR_PAIR];            /* each arm's effect phase */
    bool counts_active;               /* arm 0's persons are in its intervention months */
    cells counts[SR_PAIR];            /* the block's cells in each arm */
    uint64_t stream;                  /* key of (month, block); cells are sub-streams */
} block_step;

/* Arms as a set: bit a for arm a. */
#define ARM(a) (1u << (a))

/* Positions the generator at the start of stream `key` (nothing to do for the
 * expectation, which draws nothing). */
static inline void seek(const sr_draw *d, uint64_t key)
{
    if (d->mode == SR_DRAW_RANDOM)
        sr_rng_seek(d->rng, key);
}

/* Whether two numbers of persons agree: exactly for draws (whole numbers a double holds
 * exactly), to rounding for expected counts. For the debug build's checks. */
static bool same_persons(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b));
}

/* Moves n persons of progress pi of each arm in `arms` into cell c (within stratum s's
 * cells) of the arm's next counts, with the progress they reach there; achievements are
 * tallied for month t + 1, the month in which the arrival holds the cell (none past the
 * horizon). */
static inline void arrive(const month_step *restrict ms, unsigned arms, size_t pi, size_t s, size_t c,
                          double n)
{
    sr_arm_ws *w = ms->w;
    const sr_layout *l = ms->l;
    const sr_progress *g = ms->g;
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
        if (ms->t + 1 < w->n_months)
            for (size_t k = g->gain_first[x]; k < g->gain_first[x + 1]; k++)
                w->arm_flows[a]->achieved[g->gain[k] * w->n_months + ms->t + 1] += n;
    }
}

/* Where the movers of one cell of state i go, in each arm of `arms`: moves[o] along
 * transition o, moves[n_out] stay (into stay_cell); persons of progress pi. Pooled (the
 * band's destinations are drawn together, band_pool): moves[0] leave, moves[1] stay, and
 * the leavers are counted for the band by the progress they leave with. */
static inline void arrive_all(const month_step *restrict ms, unsigned arms, size_t pi, size_t s,
                              size_t i, size_t stay_cell, const double *moves, bool pooled)
{
    sr_arm_ws *w = ms->w;
    const sr_layout *l = ms->l;
    const size_t n_out = pooled ? 1 : l->n_out[i];
    const size_t *out = l->out + i * l->max_out;
    const size_t gone = ms->g->leave[pi * l->n_states + i];
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
                arrive(ms, arms, gone, s, l->offset[ms->m->transitions[out[o]].to], moves[o]);
    }
    if (moves[n_out] > 0.0)
        arrive(ms, arms, pi, s, stay_cell, moves[n_out]);
}

/* Takes a progress group's share (n_pi of the n persons left; the last group takes all)
 * of k categories of moves out of `moved` into `share`: multivariate hypergeometric draws,
 * or proportional shares for the expectation. Returns the share: `moved` itself for the
 * last group. */
static const double *take_share(const sr_draw *d, size_t k, double *moved, double n_pi,
                                double n, bool last, double *share)
{
    if (last)
        return moved;
    if (d->mode == SR_DRAW_RANDOM) {
        sr_hypergeometric_share(d->rng, k, moved, n_pi, share);
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
    size_t at;                /* s * n_cells: progress group pi's count in cell c of the unit
                               * is at pi * stride + at + c */
} draw_unit;

/* The persons of arm a in the unit's cells, and in how many (cell, progress group)s. */
static double unit_count(const month_step *restrict ms, const block_step *b, size_t a,
                         const draw_unit *u, size_t *groups)
{
    const size_t P = ms->g->n_progress, stride = ms->stride;
    const double *counts = b->counts[a].n;
    double n = 0.0;
    size_t k = 0;
    for (size_t c = u->c0; c <= u->c1; c++)
        for (size_t pi = 0; pi < P; pi++) {
            const double n_pi = counts[pi * stride + u->at + c];
            if (n_pi > 0.0) {
                n += n_pi;
                k++;
            }
        }
    *groups = k;
    return n;
}

/* Shares arm a's moves of one unit (n persons in `groups` (cell, progress group)s of
 * counts) out over them, the last taking the rest, and moves them on in each arm of
 * `arms` (a's, or both where the unit is the same in both); pooled: see arrive_all. */
static void share_out(const month_step *restrict ms, size_t a, unsigned arms, const double *counts,
                      const draw_unit *u, double n, size_t groups, bool pooled)
{
    sr_arm_ws *w = ms->w;
    const size_t P = ms->g->n_progress, stride = ms->stride;
    const size_t K = pooled ? 2 : ms->l->n_out[u->i] + 1;
    for (size_t c = u->c0; c <= u->c1 && groups > 0; c++) {
        const size_t stay_cell = c < u->first + u->top ? c + 1 : c;
        for (size_t pi = 0; pi < P && groups > 0; pi++) {
            const double n_pi = counts[pi * stride + u->at + c];
            if (n_pi == 0.0)
                continue;
            const bool last = --groups == 0;
            const double *mine = take_share(ms->draw, K, w->moves[a], n_pi, n, last, w->share);
            arrive_all(ms, arms, pi, u->s, u->i, stay_cell, mine, pooled);
            n -= n_pi;
        }
    }
}

/* Whether the unit holds the same persons of each progress group in both arms of b, and
 * they make the same k moves: then one share-out serves both (in a pooled band, of who
 * leaves and who stays; flush_band does the same for the leavers' destinations). */
static bool same_in_both(const month_step *restrict ms, const block_step *b, const draw_unit *u,
                         size_t k)
{
    const sr_arm_ws *w = ms->w;
    const size_t P = ms->g->n_progress, stride = ms->stride;
    for (size_t o = 0; o < k; o++)
        if (w->moves[0][o] != w->moves[1][o])
            return false;
    for (size_t c = u->c0; c <= u->c1; c++)
        for (size_t pi = 0; pi < P; pi++) {
            const size_t at = pi * stride + u->at + c;
            if (b->counts[0].n[at] != b->counts[1].n[at])
                return false;
        }
    return true;
}

/* Tallies the one-off cash flows of moves[o] persons leaving along transition out[o]. */
static void tally_transitions(const month_step *restrict ms, const size_t *out, size_t n_out,
                              const double *moves, month_tally *tally)
{
    for (size_t o = 0; o < n_out; o++) {
        const sr_transition *tr = &ms->m->transitions[out[o]];
        if (tr->has_cash)
            for (size_t pay = 0; pay < SR_PAYERS; pay++)
                tally->expenditure[pay] += moves[o] * ms->v[tr->cash.amount[pay]];
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
static void flush_band(month_step *restrict ms, band_pool *pool, const block_step *b)
{
    if (!pool->open)
        return;
    pool->open = false;
    if (pool->leavers[0] + pool->leavers[1] + pool->leavers[2] == 0.0)
        return;
    sr_arm_ws *w = ms->w;
    const sr_layout *l = ms->l;
    const size_t i = l->band_state[pool->band], n_out = l->n_out[i];
    const size_t *out = l->out + i * l->max_out;
    double *to = w->destinations;     /* [1 + SR_PAIR][n_out], then one arm's [n_out] */
    seek(ms->draw, sr_stream_sub(b->stream, band_key(l, pool->s, pool->band)));
    for (size_t k = 0; k < 1 + SR_PAIR; k++)
        if (pool->leavers[k] > 0.0)
            sr_draw_destinations(ms->rates, pool->idx, n_out, pool->leavers[k], ms->draw,
                                 to + k * n_out);
        else
            memset(to + k * n_out, 0, n_out * sizeof *to);
    const bool same = ms->n_arms == SR_PAIR && pool->leavers[1] == 0.0 &&
                      pool->leavers[2] == 0.0 && same_leaving(w);
    for (size_t a = 0; a < (same ? 1 : ms->n_arms); a++) {
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
                tally_transitions(ms, out, n_out, arm_to, &ms->tally[x]);
        for (size_t k = 0; k < w->n_leaving[a]; k++) {
            const size_t pi = w->leaving[a][k];
            const double n_pi = w->band_leavers[a][pi];
            const double *mine = take_share(ms->draw, n_out, arm_to, n_pi, left,
                                            k + 1 == w->n_leaving[a], w->share);
            for (size_t o = 0; o < n_out; o++)
                if (mine[o] > 0.0)
                    arrive(ms, arms, pi, pool->s, l->offset[ms->m->transitions[out[o]].to],
                           mine[o]);
            left -= n_pi;
        }
    }
    for (size_t a = 0; a < ms->n_arms; a++) {
        for (size_t k = 0; k < w->n_leaving[a]; k++)
            w->band_leavers[a][w->leaving[a][k]] = 0.0;
        w->n_leaving[a] = 0;
    }
}

/* The leavers of one unit of a pooled band (n[a] persons of arm a, rate index idx): into
 * w->moves[a] = {leave, stay}, and added to the pool's leavers[]: as many persons as both
 * arms hold are paired and leave together (leavers[0]); the larger arm's others leave
 * independently (leavers[1 + arm]). */
static void draw_leavers(const month_step *restrict ms, size_t idx, const double *n,
                         double leavers[1 + SR_PAIR])
{
    sr_arm_ws *w = ms->w;
    const size_t A = ms->n_arms;
    const size_t big = A == SR_PAIR && n[1] > n[0];
    const double paired = A == SR_PAIR ? n[1 - big] : 0.0, unpaired = n[big] - paired;
    const double both = paired > 0.0 ? sr_draw_leavers(ms->rates, idx, paired, ms->draw) : 0.0;
    const double alone =
        unpaired > 0.0 ? sr_draw_leavers(ms->rates, idx, unpaired, ms->draw) : 0.0;
    for (size_t a = 0; a < A; a++) {
        w->moves[a][0] = both;
        w->moves[a][1] = paired - both;
    }
    w->moves[big][0] += alone;
    w->moves[big][1] += unpaired - alone;
    leavers[0] += both;
    leavers[1 + big] += alone;
}

/* Whether arm a's k moves of the unit are n persons, none negative. */
static bool moves_are_persons(const sr_arm_ws *w, size_t a, size_t k, double n)
{
    double sum = 0.0;
    for (size_t o = 0; o < k; o++) {
        if (!(w->moves[a][o] >= 0.0))
            return false;
        sum += w->moves[a][o];
    }
    return same_persons(sum, n);
}

/* One month of one block of the run's arms: tallies each arm's cash flows (state held
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
static void step_block(month_step *restrict ms, const block_step *b)
{
    sr_arm_ws *w = ms->w;
    const sr_layout *l = ms->l;
    const size_t C = l->n_cells, A = ms->n_arms;
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
            draw_unit u = {s, i, first, l->n_levels[i] - 1, cell, cell, s * C};
            if (cell - first >= l->settled[i] && u.top > l->settled[i]) {
                u.c0 = first + l->settled[i];
                u.c1 = first + u.top;
                drawn_below = s * C + u.c1 + 1;
            }
            double n[SR_PAIR] = {0.0, 0.0};
            size_t groups[SR_PAIR] = {0, 0};
            for (size_t a = 0; a < A; a++)
                n[a] = unit_count(ms, b, a, &u, &groups[a]);
            if (n[0] + n[1] == 0.0)
                continue;
            const size_t n_out = l->n_out[i];
            const size_t *out = l->out + i * l->max_out;
            const double *cf = w->cash + (s * C + u.c0) * SR_PAYERS;   /* same in all */
            for (size_t a = 0; a < A; a++) {
                for (size_t pay = 0; pay < SR_PAYERS; pay++)
                    ms->tally[a].expenditure[pay] += n[a] * cf[pay];
                if ((long)i == l->employed)
                    ms->tally[a].employed += n[a];
            }
            if (b->counts_active && !l->absorbing[i] && ms->p->while_in[i])
                ms->tally[0].active += n[0];

            /* w->moves[a][o]: arm a's persons leaving along transition o; [n_out]: stayers
             * (pooled: [0] leave, [1] stay) */
            size_t idx[SR_PAIR];
            for (size_t a = 0; a < SR_PAIR; a++)
                idx[a] = sr_rates_index(ms->rates, ms->cond, b->phase[a], s, band);
            const bool pooled =
                n_out > 0 && (A == 1 || sr_same_rates(ms->rates, idx[0], idx[1], n_out));
            if (pool.open && (!pooled || pool.s != s || pool.band != band))
                flush_band(ms, &pool, b);
            if (n_out == 0) {
                for (size_t a = 0; a < A; a++)
                    w->moves[a][0] = n[a];
            } else {
                seek(ms->draw, sr_stream_sub(b->stream, unit_key(l, &u)));
                if (pooled) {
                    if (!pool.open)
                        pool = (band_pool){true, s, band, idx[0], {0.0, 0.0, 0.0}};
                    draw_leavers(ms, idx[0], n, pool.leavers);
                } else {
                    sr_draw_pair(ms->rates, idx, n_out, n, ms->draw, w->scratch, w->moves);
                    for (size_t a = 0; a < A; a++)
                        tally_transitions(ms, out, n_out, w->moves[a], &ms->tally[a]);
                }
            }
            const size_t K = pooled ? 2 : n_out + 1;
            for (size_t a = 0; a < A; a++)
                SR_CHECK(moves_are_persons(w, a, K, n[a]));
            if (A == SR_PAIR && n[0] == n[1] && same_in_both(ms, b, &u, K)) {
                share_out(ms, 0, ARM(0) | ARM(1), b->counts[0].n, &u, n[0], groups[0],
                          pooled);
                continue;
            }
            for (size_t a = 0; a < A; a++)
                if (n[a] > 0.0)
                    share_out(ms, a, ARM(a), b->counts[a].n, &u, n[a], groups[a], pooled);
        }
    }
    flush_band(ms, &pool, b);
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

/* Persons in a block of len counts. */
static double persons_in(const double *block, size_t len)
{
    double sum = 0.0;
    for (size_t x = 0; x < len; x++)
        sum += block[x];
    return sum;
}

/* Whether every count > 0 of a block (len counts, bit x % (n_strata * n_cells)) has its
 * bit set. */
static bool occupancy_holds(const sr_layout *l, cells b, size_t len)
{
    const size_t stride = l->n_strata * l->n_cells;
    for (size_t x = 0; x < len; x++)
        if (b.n[x] > 0.0 && !marked(b.bits, x % stride))
            return false;
    return true;
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

/* Steps one block of every arm of the run through the month (the block of intake month
 * block_key - 1, or the pool: block_key 0; its effect phase in arm 0, and whether arm 0's
 * persons count as active), each arm into its next counts, which then replace the
 * block's. */
static void step_arms(month_step *restrict ms, size_t block_key, size_t phase0, bool counts_active)
{
    sr_arm_ws *w = ms->w;
    const size_t len = w->block_len;
    block_step b = {.phase = {phase0, 0},
                    .counts_active = counts_active,
                    .stream = sr_stream_sub(ms->stream, block_key)};
    for (size_t a = 0; a < ms->n_arms; a++) {
        b.counts[a] = cells_of(w, a, block_key);
        clear_block(next_of(w, a), len, w->words);
    }
    step_block(ms, &b);
    for (size_t a = 0; a < ms->n_arms; a++) {
        memcpy(b.counts[a].n, w->counts[a].next, len * sizeof *b.counts[a].n);
        memcpy(b.counts[a].bits, w->counts[a].next_bits, w->words * sizeof *b.counts[a].bits);
        SR_CHECK(occupancy_holds(ms->l, b.counts[a], len));
    }
}

/* Persons in arm a after month t: the pool and the blocks still apart (intake months
 * t + 1 - window .. t). */
static double persons_of_arm(sr_arm_ws *w, const sr_arm_spec *spec, size_t a, size_t t)
{
    double n = persons_in(w->counts[a].pool, w->block_len);
    if (spec->window > 0)
        for (size_t e = t + 1 > spec->window ? t + 1 - spec->window : 0; e <= t; e++)
            n += persons_in(cells_of(w, a, e + 1).n, w->block_len);
    return n;
}

/* Runs the arm of spec and, with n_arms == SR_PAIR, its counterfactual (the same intake
 * and blocks, without the effect or its costs) in lockstep. */
static void run_arms(sr_arm_ws *w, const sr_arm_spec *spec, size_t n_arms)
{
    const sr_layout *l = w->layout;
    const sr_model *m = spec->model;
    const sr_programme *p = spec->programme;
    const double *v = spec->values;
    const sr_progress *g = spec->progress;
    const size_t T = w->n_months, C = l->n_cells;
    const size_t len = w->block_len = g->n_progress * l->n_strata * C;
    const size_t start_cell = sr_layout_cell(l, p->initial_state, p->initial_tenure);
    const bool with_effect = spec->treated && p->has_intervention;   /* arm 0 only */
    const double fixed_month = with_effect ? v[p->cost_fixed_per_year] / 12.0 : 0.0;
    const double per_participant = with_effect ? v[p->cost_per_participant] : 0.0;
    const double per_month = with_effect ? v[p->cost_per_participant_month] : 0.0;
    month_step ms = {.w = w, .l = l, .m = m, .p = p, .v = v, .rates = spec->rates, .g = g,
                     .draw = &spec->draw, .stride = l->n_strata * C, .n_arms = n_arms};

    for (size_t a = 0; a < n_arms; a++) {
        clear_block(cells_of(w, a, 0), len, w->words);
        memset(w->arm_flows[a]->achieved, 0,
               g->n_outcomes * T * sizeof *w->arm_flows[a]->achieved);
    }

    int cash_valid_until = -1;
    double enrolled_so_far = 0.0;   /* persons, in each arm: for the debug build's checks */
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
        enrolled_so_far += enrolled;

        ms.t = t;
        ms.cond = spec->cond_of_month != NULL ? spec->cond_of_month[t] : t;
        ms.stream = sr_stream_sub(spec->stream, t);
        memset(ms.tally, 0, sizeof ms.tally);
        step_arms(&ms, 0, 0, false);
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
                step_arms(&ms, e + 1, phase, effective && age < p->effect_months);
            }
        }
        for (size_t a = 0; a < n_arms; a++)
            SR_CHECK(same_persons(persons_of_arm(w, spec, a, t), enrolled_so_far));

        const double index = sr_indexation_factor(m->indexation, (int)t);
        for (size_t a = 0; a < n_arms; a++) {
            sr_arm_flows *f = w->arm_flows[a];
            for (size_t pay = 0; pay < SR_PAYERS; pay++)
                f->expenditure[pay * T + t] = ms.tally[a].expenditure[pay] * index;
            f->active[t] = ms.tally[a].active;
            f->employed[t] = ms.tally[a].employed;
            f->enrolled[t] = enrolled;
            f->cost[t] = a > 0 ? 0.0
                               : index * (per_participant * enrolled +
                                          per_month * ms.tally[0].active +
                                          (ms.tally[0].active > 0.0 ? fixed_month : 0.0));
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

void sr_arm_run(sr_arm_ws *w, const sr_arm_spec *spec)
{
    run_arms(w, spec, 1);
}

void sr_arm_run_pair(sr_arm_ws *w, const sr_arm_spec *spec)
{
    run_arms(w, spec, SR_PAIR);
}
