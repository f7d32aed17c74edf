#include "sim/engine/progress.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "models/size.h"
#include "sim/engine/carve.h"

/* The digits of one programme: one per state with outcomes. A temporary, in one
 * allocation (sim/engine/carve.h), freed once the tables are built. */
typedef struct {
    size_t n;                 /* digits */
    size_t width;             /* tenures each digit has room for: the rate card's outcomes */
    long *of_state;           /* [n_states]: digit index or -1 */
    size_t *base;             /* [n]: values 0 .. K (and K + 1 = initial spell) */
    size_t *stride;           /* [n] */
    size_t *blocked;          /* [n]: the initial-spell value, or SIZE_MAX */
    size_t *k;                /* [n]: K */
    unsigned *tenures;        /* [n * width]: digit d's K distinct outcome tenures, ascending,
                               * from tenures[d * width] */
    size_t *value;            /* [n + 1]: scratch, one progress combination's digit values */
} digits;

/* Lays out digits for S states (at most S digits) and n_outcomes outcomes on c. */
static digits *carve_digits(sr_carve *c, digits *scratch, size_t S, size_t n_outcomes)
{
    digits *d = sr_carve_struct(c, sizeof *d, scratch);
    d->width = n_outcomes > 0 ? n_outcomes : 1;
    d->of_state = sr_carve_take(c, S, sizeof(long));
    d->base = sr_carve_take(c, S, sizeof(size_t));
    d->stride = sr_carve_take(c, S, sizeof(size_t));
    d->blocked = sr_carve_take(c, S, sizeof(size_t));
    d->k = sr_carve_take(c, S, sizeof(size_t));
    d->tenures = sr_carve_take(c, sr_size_mul(S, d->width), sizeof(unsigned));
    d->value = sr_carve_take(c, sr_size_add(S, 1), sizeof(size_t));
    return d;
}

static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* The digits of programme p's rate card of n_outcomes outcomes (malloc'd; free() frees
 * them), or NULL when out of memory. */
static digits *digits_of(const sr_model *m, const sr_programme *p, size_t n_outcomes)
{
    const size_t S = m->n_states;
    digits scratch;
    sr_carve c = {0};
    carve_digits(&c, &scratch, S, n_outcomes);
    if (sr_carve_alloc(&c) == NULL)
        return NULL;
    digits *d = carve_digits(&c, &scratch, S, n_outcomes);
    for (size_t i = 0; i < S; i++) {
        d->of_state[i] = -1;
        unsigned *t = d->tenures + d->n * d->width;
        size_t k = 0;
        for (size_t o = 0; o < n_outcomes; o++) {
            const sr_outcome *oc = &p->contract.outcomes[o];
            bool seen = false;
            for (size_t j = 0; j < k; j++)
                seen = seen || t[j] == oc->tenure;
            if (oc->state == i && !seen)
                t[k++] = oc->tenure;
        }
        if (k == 0)
            continue;
        qsort(t, k, sizeof *t, cmp_unsigned);
        size_t n = d->n++;
        d->of_state[i] = (long)n;
        d->k[n] = k;
        d->blocked[n] = i == p->initial_state ? k + 1 : SIZE_MAX;
        d->base[n] = k + 1 + (i == p->initial_state);
    }
    return (digits *)c.block;
}

/* 1-based position of tenure in the digit's tenures, 0 if none. */
static size_t goal_of(const digits *d, size_t digit, unsigned tenure)
{
    const unsigned *t = d->tenures + digit * d->width;
    for (size_t j = 0; j < d->k[digit]; j++)
        if (t[j] == tenure)
            return j + 1;
    return 0;
}

/* Lays out a programme's progress tables for P combinations on c (sim/engine/carve.h):
 * per cell and combination the progress on arrival and the range of gains, per state and
 * combination the progress on leaving, and room for every gain (each arrival at most all
 * outcomes). */
static sr_progress *carve_progress(sr_carve *c, sr_progress *scratch, const sr_layout *l,
                                   const sr_model *m, size_t P, size_t n_outcomes)
{
    sr_progress *g = sr_carve_struct(c, sizeof *g, scratch);
    const size_t cells = sr_size_mul(P, l->n_cells);
    g->arrive = sr_carve_take(c, cells, sizeof(size_t));
    g->leave = sr_carve_take(c, sr_size_mul(P, m->n_states), sizeof(size_t));
    g->gain_first = sr_carve_take(c, sr_size_add(cells, 1), sizeof(size_t));
    g->gain = sr_carve_take(c, sr_size_mul(cells, n_outcomes + 1), sizeof(size_t));
    return g;
}

static size_t rate_card_outcomes(const sr_programme *p)
{
    const bool rate_card = p->has_contract && p->contract.type == SR_CONTRACT_RATE_CARD;
    return rate_card ? p->contract.n_outcomes : 0;
}

size_t sr_progress_count(const sr_model *m, const sr_programme *p)
{
    const size_t n_outcomes = rate_card_outcomes(p);
    size_t count = 1;
    for (size_t i = 0; i < m->n_states; i++) {
        size_t k = 0;   /* distinct outcome tenures of state i, as digits_of counts them */
        for (size_t o = 0; o < n_outcomes; o++) {
            const sr_outcome *oc = &p->contract.outcomes[o];
            bool seen = false;
            for (size_t j = 0; j < o && !seen; j++)
                seen = p->contract.outcomes[j].state == i &&
                       p->contract.outcomes[j].tenure == oc->tenure;
            k += oc->state == i && !seen;
        }
        if (k == 0)
            continue;
        const size_t base = k + 1 + (i == p->initial_state);
        if (count > SR_PROGRESS_MAX / base)
            return SR_PROGRESS_MAX + 1;
        count *= base;
    }
    return count;
}

double sr_progress_bytes(const sr_layout *l, const sr_model *m, const sr_programme *p)
{
    const size_t n_outcomes = rate_card_outcomes(p);
    size_t P = sr_progress_count(m, p);
    if (P > SR_PROGRESS_MAX)   /* refused by sr_progress_alloc before its tables */
        P = 1;
    sr_progress scratch;
    digits scratch_digits;
    sr_carve c = {0}, d = {0};
    carve_progress(&c, &scratch, l, m, P, n_outcomes);
    carve_digits(&d, &scratch_digits, m->n_states, n_outcomes);   /* freed once built */
    return sr_carve_bytes(&c) + sr_carve_bytes(&d);
}

/* The combinations of the digits' values, each digit's stride set; 0 when they exceed
 * SR_PROGRESS_MAX. */
static size_t combinations(digits *d)
{
    size_t P = 1;
    for (size_t k = 0; k < d->n; k++) {
        d->stride[k] = P;
        if (P > SR_PROGRESS_MAX / d->base[k])
            return 0;
        P *= d->base[k];
    }
    return P;
}

/* Fills g's tables (P combinations of d's digits) for programme p's n_outcomes outcomes. */
static void fill_progress(sr_progress *g, const digits *d, const sr_layout *l,
                          const sr_model *m, const sr_programme *p, size_t n_outcomes)
{
    const size_t S = m->n_states, C = l->n_cells, P = g->n_progress;
    size_t *value = d->value;
    for (size_t k = 0; k < d->n; k++)
        if (d->blocked[k] != SIZE_MAX)
            g->initial += d->blocked[k] * d->stride[k];

    size_t n_gain = 0;
    for (size_t pi = 0; pi < P; pi++) {
        for (size_t k = 0; k < d->n; k++)
            value[k] = pi / d->stride[k] % d->base[k];
        for (size_t i = 0; i < S; i++) {
            long k = d->of_state[i];
            g->leave[pi * S + i] = k >= 0 && value[k] == d->blocked[k]
                                       ? pi - value[k] * d->stride[k] : pi;
            for (unsigned level = 0; level < l->n_levels[i]; level++) {
                size_t c = l->offset[i] + level, x = pi * C + c;
                g->arrive[x] = pi;
                g->gain_first[x] = n_gain;
                if (k < 0 || value[k] == d->blocked[k])
                    continue;
                size_t goal = goal_of(d, (size_t)k, level);
                if (goal <= value[k])
                    continue;
                g->arrive[x] = pi + (goal - value[k]) * d->stride[k];
                /* The outcomes of the state whose tenure is among those newly reached. */
                for (size_t o = 0; o < n_outcomes; o++) {
                    const sr_outcome *oc = &p->contract.outcomes[o];
                    size_t at = oc->state == i ? goal_of(d, (size_t)k, oc->tenure) : 0;
                    if (at > value[k] && at <= goal)
                        g->gain[n_gain++] = o;
                }
            }
        }
    }
    /* Cells were visited in index order, each opening its range where the last closed. */
    g->gain_first[P * C] = n_gain;
}

sr_progress *sr_progress_alloc(const sr_layout *l, const sr_model *m, const sr_programme *p,
                               int *too_many)
{
    *too_many = 0;
    const size_t n_outcomes = rate_card_outcomes(p);
    digits *d = digits_of(m, p, n_outcomes);
    if (d == NULL)
        return NULL;
    const size_t P = combinations(d);
    if (P == 0) {
        *too_many = 1;
        free(d);
        return NULL;
    }
    sr_progress scratch;
    sr_carve c = {0};
    carve_progress(&c, &scratch, l, m, P, n_outcomes);
    sr_progress *g = NULL;
    if (sr_carve_alloc(&c) != NULL) {
        g = carve_progress(&c, &scratch, l, m, P, n_outcomes);
        g->n_outcomes = n_outcomes;
        g->n_cells = l->n_cells;
        g->n_progress = P;
        fill_progress(g, d, l, m, p, n_outcomes);
        g = (sr_progress *)c.block;
    }
    free(d);
    return g;
}

void sr_progress_free(sr_progress *g)
{
    free(g);
}
