#include "sim/engine/layout.h"

#include <stdlib.h>

#include "models/cashflow.h"
#include "models/size.h"
#include "sim/engine/carve.h"

/* Highest tenure at which anything about state i changes: a hazard multiplier of an
 * outgoing transition, a cash flow of any stratum, or (with_outcomes) a contract outcome. */
static unsigned last_breakpoint(const sr_model *m, size_t i, bool with_outcomes)
{
    unsigned top = 0;
    for (size_t j = 0; j < m->n_transitions; j++) {
        const sr_transition *t = &m->transitions[j];
        if (t->from == i && t->n_by_tenure > 0 && t->tenure_from[t->n_by_tenure - 1] > top)
            top = t->tenure_from[t->n_by_tenure - 1];
    }
    for (size_t s = 0; s < m->n_strata; s++) {
        const sr_cashspec *c = &m->cash[s * m->n_states + i];
        if (c->n_by_tenure > 0 && c->tenure_from[c->n_by_tenure - 1] > top)
            top = c->tenure_from[c->n_by_tenure - 1];
    }
    for (size_t p = 0; p < m->n_programmes && with_outcomes; p++) {
        const sr_programme *pr = &m->programmes[p];
        if (!pr->has_contract)
            continue;
        for (size_t o = 0; o < pr->contract.n_outcomes; o++)
            if (pr->contract.outcomes[o].state == i && pr->contract.outcomes[o].tenure > top)
                top = pr->contract.outcomes[o].tenure;
    }
    return top;
}

/* Whether tenure k starts a new hazard band of state i (k > 0). Reads the transitions out
 * of i from l->out, so that a layout costs the states' levels times their own
 * transitions, not times every transition of the scenario. */
static bool is_hazard_breakpoint(const sr_model *m, const sr_layout *l, size_t i, unsigned k)
{
    for (size_t o = 0; o < l->n_out[i]; o++) {
        const sr_transition *t = &m->transitions[l->out[i * l->max_out + o]];
        for (size_t b = 0; b < t->n_by_tenure; b++)
            if (t->tenure_from[b] == k)
                return true;
    }
    return false;
}

/* Tenure levels of state i: up to its last breakpoint (contract outcomes in), at most its
 * tenure_max, and level 0. */
static unsigned levels_of(const sr_model *m, size_t i)
{
    const unsigned top = last_breakpoint(m, i, true), max = m->states[i].tenure_max;
    return (top < max ? top : max) + 1;
}

/* Lays out a layout of S states, C cells per stratum and at most max_out transitions out of
 * a state on c (sim/engine/carve.h). */
static sr_layout *carve_layout(sr_carve *c, sr_layout *scratch, size_t S, size_t C,
                               size_t max_out)
{
    sr_layout *l = sr_carve_struct(c, sizeof *l, scratch);
    l->offset = sr_carve_take(c, S, sizeof(size_t));
    l->n_levels = sr_carve_take(c, S, sizeof(unsigned));
    l->settled = sr_carve_take(c, S, sizeof(unsigned));
    l->n_out = sr_carve_take(c, S, sizeof(size_t));
    l->absorbing = sr_carve_take(c, S, sizeof(bool));
    l->out = sr_carve_take(c, sr_size_mul(S, max_out), sizeof(size_t));
    l->band_of_cell = sr_carve_take(c, C, sizeof(size_t));
    l->band_state = sr_carve_take(c, C, sizeof(size_t));
    l->band_tenure = sr_carve_take(c, C, sizeof(unsigned));
    return l;
}

sr_layout *sr_layout_alloc(const sr_model *m)
{
    const size_t S = m->n_states;
    /* transitions out of each state; then, while out[] is filled, those placed so far */
    size_t *count = calloc(S > 0 ? S : 1, sizeof *count);
    if (count == NULL)
        return NULL;
    size_t cells = 0, max_out = 1;
    for (size_t j = 0; j < m->n_transitions; j++)
        count[m->transitions[j].from]++;
    for (size_t i = 0; i < S; i++) {
        cells += levels_of(m, i);
        if (count[i] > max_out)
            max_out = count[i];
    }
    sr_layout scratch;
    sr_carve c = {0};
    carve_layout(&c, &scratch, S, cells, max_out);
    if (sr_carve_alloc(&c) == NULL) {
        free(count);
        return NULL;
    }
    sr_layout *l = carve_layout(&c, &scratch, S, cells, max_out);
    l->n_states = S;
    l->n_strata = m->n_strata;
    l->employed = sr_model_state_index(m, "employed");
    l->max_out = max_out;
    for (size_t i = 0; i < S; i++) {
        const unsigned dynamic = last_breakpoint(m, i, false), max = m->states[i].tenure_max;
        l->n_levels[i] = levels_of(m, i);
        l->settled[i] = dynamic < max ? dynamic : max;
        l->offset[i] = l->n_cells;
        l->n_cells += l->n_levels[i];
        l->absorbing[i] = m->states[i].absorbing;
        l->n_out[i] = count[i];
        count[i] = 0;
    }
    for (size_t j = 0; j < m->n_transitions; j++) {
        size_t from = m->transitions[j].from;
        l->out[from * max_out + count[from]++] = j;
    }
    free(count);

    for (size_t i = 0; i < S; i++) {
        for (unsigned k = 0; k < l->n_levels[i]; k++) {
            if (k == 0 || is_hazard_breakpoint(m, l, i, k)) {
                l->band_state[l->n_bands] = i;
                l->band_tenure[l->n_bands] = k;
                l->n_bands++;
            }
            l->band_of_cell[l->offset[i] + k] = l->n_bands - 1;
        }
    }
    return (sr_layout *)c.block;
}

void sr_layout_free(sr_layout *l)
{
    free(l);
}

double sr_layout_bytes(const sr_layout *l)
{
    sr_layout scratch;
    sr_carve c = {0};
    carve_layout(&c, &scratch, l->n_states, l->n_cells, l->max_out);
    return sr_carve_bytes(&c) +
           sr_array_bytes(l->n_states, sizeof(size_t));   /* the count while it is built */
}

size_t sr_layout_cell(const sr_layout *l, size_t state, unsigned tenure)
{
    unsigned top = l->n_levels[state] - 1;
    return l->offset[state] + (tenure < top ? tenure : top);
}

void sr_cash_table(double *table, const sr_layout *l, const sr_model *m, const double *v,
                   int t)
{
    for (size_t s = 0; s < m->n_strata; s++)
        for (size_t i = 0; i < m->n_states; i++) {
            const sr_cashspec *c = &m->cash[s * m->n_states + i];
            for (unsigned k = 0; k < l->n_levels[i]; k++) {
                size_t cell = s * l->n_cells + l->offset[i] + k;
                for (size_t pay = 0; pay < SR_PAYERS; pay++)
                    table[cell * SR_PAYERS + pay] = sr_cashspec_amount(c, v, pay, t, k);
            }
        }
}
