#include "sim/engine/progress.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "models/size.h"

/* The digits of one programme: one per state with outcomes. */
typedef struct {
    size_t n;
    long *of_state;           /* [n_states]: digit index or -1 */
    size_t *base;             /* [n]: values 0 .. K (and K + 1 = initial spell) */
    size_t *stride;           /* [n] */
    size_t *blocked;          /* [n]: the initial-spell value, or SIZE_MAX */
    unsigned **tenures;       /* [n][K]: the state's distinct outcome tenures, ascending */
    size_t *k;                /* [n]: K */
} digits;

static void digits_clear(digits *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->tenures[i]);
    free(d->of_state);
    free(d->base);
    free(d->stride);
    free(d->blocked);
    free(d->tenures);
    free(d->k);
}

static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

static int digits_init(digits *d, const sr_model *m, const sr_programme *p, size_t n_outcomes)
{
    const size_t S = m->n_states;
    memset(d, 0, sizeof *d);
    d->of_state = malloc(S * sizeof *d->of_state);
    d->base = calloc(S, sizeof *d->base);
    d->stride = calloc(S, sizeof *d->stride);
    d->blocked = calloc(S, sizeof *d->blocked);
    d->tenures = calloc(S, sizeof *d->tenures);
    d->k = calloc(S, sizeof *d->k);
    if (!d->of_state || !d->base || !d->stride || !d->blocked || !d->tenures || !d->k)
        return -1;
    for (size_t i = 0; i < S; i++) {
        d->of_state[i] = -1;
        unsigned *t = malloc((n_outcomes + 1) * sizeof *t);
        if (t == NULL)
            return -1;
        size_t k = 0;
        for (size_t o = 0; o < n_outcomes; o++) {
            const sr_outcome *oc = &p->contract.outcomes[o];
            bool seen = false;
            for (size_t j = 0; j < k; j++)
                seen = seen || t[j] == oc->tenure;
            if (oc->state == i && !seen)
                t[k++] = oc->tenure;
        }
        if (k == 0) {
            free(t);
            continue;
        }
        qsort(t, k, sizeof *t, cmp_unsigned);
        size_t n = d->n++;
        d->of_state[i] = (long)n;
        d->tenures[n] = t;
        d->k[n] = k;
        d->blocked[n] = i == p->initial_state ? k + 1 : SIZE_MAX;
        d->base[n] = k + 1 + (i == p->initial_state);
    }
    return 0;
}

/* 1-based position of tenure in the digit's tenures, 0 if none. */
static size_t goal_of(const digits *d, size_t digit, unsigned tenure)
{
    for (size_t j = 0; j < d->k[digit]; j++)
        if (d->tenures[digit][j] == tenure)
            return j + 1;
    return 0;
}

/* Element counts of a programme's progress tables for P combinations, which
 * sr_progress_alloc allocates and sr_progress_bytes adds up. */
typedef struct {
    size_t arrive, leave, gain_first, gain;
} progress_sizes;

static progress_sizes progress_sizes_of(const sr_layout *l, const sr_model *m, size_t P,
                                        size_t n_outcomes)
{
    const size_t cells = sr_size_mul(P, l->n_cells);
    return (progress_sizes){
        .arrive = cells,
        .leave = sr_size_mul(P, m->n_states),
        .gain_first = sr_size_add(cells, 1),
        .gain = sr_size_mul(cells, n_outcomes + 1),
    };
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
        size_t k = 0;   /* distinct outcome tenures of state i, as digits_init counts them */
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
    const size_t n_outcomes = rate_card_outcomes(p), S = m->n_states;
    size_t P = sr_progress_count(m, p);
    if (P > SR_PROGRESS_MAX)   /* refused by sr_progress_alloc before its tables */
        P = 1;
    const progress_sizes z = progress_sizes_of(l, m, P, n_outcomes);
    return sr_array_bytes(1, sizeof(sr_progress)) + sr_array_bytes(z.arrive, sizeof(size_t)) +
           sr_array_bytes(z.leave, sizeof(size_t)) +
           sr_array_bytes(z.gain_first, sizeof(size_t)) + sr_array_bytes(z.gain, sizeof(size_t)) +
           /* digits_init's tables and value[], freed once the tables are built */
           sr_array_bytes(S, sizeof(long)) + 5 * sr_array_bytes(S, sizeof(size_t)) +
           (double)S * sr_array_bytes(n_outcomes + 1, sizeof(unsigned)) +
           sr_array_bytes(S + 1, sizeof(size_t));
}

sr_progress *sr_progress_alloc(const sr_layout *l, const sr_model *m, const sr_programme *p,
                               int *too_many)
{
    *too_many = 0;
    const size_t n_outcomes = rate_card_outcomes(p);
    const size_t S = m->n_states, C = l->n_cells;
    sr_progress *g = calloc(1, sizeof *g);
    digits d = {0};
    size_t *value = NULL;
    if (g == NULL || digits_init(&d, m, p, n_outcomes) != 0)
        goto fail;
    g->n_outcomes = n_outcomes;
    g->n_cells = C;
    g->n_progress = 1;
    for (size_t k = 0; k < d.n; k++) {
        d.stride[k] = g->n_progress;
        if (g->n_progress > SR_PROGRESS_MAX / d.base[k]) {
            *too_many = 1;
            goto fail;
        }
        g->n_progress *= d.base[k];
    }
    const size_t P = g->n_progress;
    const progress_sizes z = progress_sizes_of(l, m, P, n_outcomes);
    g->arrive = calloc(z.arrive, sizeof *g->arrive);
    g->leave = calloc(z.leave, sizeof *g->leave);
    g->gain_first = calloc(z.gain_first, sizeof *g->gain_first);
    g->gain = calloc(z.gain, sizeof *g->gain);
    value = calloc(d.n + 1, sizeof *value);
    if (!g->arrive || !g->leave || !g->gain_first || !g->gain || !value)
        goto fail;

    for (size_t k = 0; k < d.n; k++)
        if (d.blocked[k] != SIZE_MAX)
            g->initial += d.blocked[k] * d.stride[k];

    size_t n_gain = 0;
    for (size_t pi = 0; pi < P; pi++) {
        for (size_t k = 0; k < d.n; k++)
            value[k] = pi / d.stride[k] % d.base[k];
        for (size_t i = 0; i < S; i++) {
            long k = d.of_state[i];
            g->leave[pi * S + i] = k >= 0 && value[k] == d.blocked[k]
                                       ? pi - value[k] * d.stride[k] : pi;
            for (unsigned level = 0; level < l->n_levels[i]; level++) {
                size_t c = l->offset[i] + level, x = pi * C + c;
                g->arrive[x] = pi;
                g->gain_first[x] = n_gain;
                if (k < 0 || value[k] == d.blocked[k])
                    continue;
                size_t goal = goal_of(&d, (size_t)k, level);
                if (goal <= value[k])
                    continue;
                g->arrive[x] = pi + (goal - value[k]) * d.stride[k];
                /* The outcomes of the state whose tenure is among those newly reached. */
                for (size_t o = 0; o < n_outcomes; o++) {
                    const sr_outcome *oc = &p->contract.outcomes[o];
                    size_t at = oc->state == i ? goal_of(&d, (size_t)k, oc->tenure) : 0;
                    if (at > value[k] && at <= goal)
                        g->gain[n_gain++] = o;
                }
            }
        }
    }
    /* Cells were visited in index order, each opening its range where the last closed. */
    g->gain_first[P * C] = n_gain;
    free(value);
    digits_clear(&d);
    return g;
fail:
    free(value);
    digits_clear(&d);
    sr_progress_free(g);
    return NULL;
}

void sr_progress_free(sr_progress *g)
{
    if (g == NULL)
        return;
    free(g->arrive);
    free(g->leave);
    free(g->gain_first);
    free(g->gain);
    free(g);
}
