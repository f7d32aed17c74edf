#include "sim/engine/layout.h"

#include <stdlib.h>

#include "models/cashflow.h"
#include "models/size.h"

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

sr_layout *sr_layout_alloc(const sr_model *m)
{
    sr_layout *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->n_states = m->n_states;
    l->n_strata = m->n_strata;
    l->employed = sr_model_state_index(m, "employed");
    l->offset = calloc(m->n_states, sizeof *l->offset);
    l->n_levels = calloc(m->n_states, sizeof *l->n_levels);
    l->n_out = calloc(m->n_states, sizeof *l->n_out);
    l->absorbing = calloc(m->n_states, sizeof *l->absorbing);
    l->settled = calloc(m->n_states, sizeof *l->settled);
    if (!l->offset || !l->n_levels || !l->n_out || !l->absorbing || !l->settled)
        goto fail;

    for (size_t i = 0; i < m->n_states; i++) {
        unsigned top = last_breakpoint(m, i, true), dynamic = last_breakpoint(m, i, false);
        unsigned max = m->states[i].tenure_max;
        l->n_levels[i] = (top < max ? top : max) + 1;
        l->settled[i] = dynamic < max ? dynamic : max;
        l->offset[i] = l->n_cells;
        l->n_cells += l->n_levels[i];
        l->absorbing[i] = m->states[i].absorbing;
    }
    for (size_t j = 0; j < m->n_transitions; j++)
        l->n_out[m->transitions[j].from]++;
    l->max_out = 1;
    for (size_t i = 0; i < m->n_states; i++)
        if (l->n_out[i] > l->max_out)
            l->max_out = l->n_out[i];

    l->out = calloc(m->n_states * l->max_out, sizeof *l->out);
    l->band_of_cell = calloc(l->n_cells, sizeof *l->band_of_cell);
    l->band_state = calloc(l->n_cells, sizeof *l->band_state);
    l->band_tenure = calloc(l->n_cells, sizeof *l->band_tenure);
    if (!l->out || !l->band_of_cell || !l->band_state || !l->band_tenure)
        goto fail;
    size_t *filled = calloc(m->n_states, sizeof *filled);
    if (filled == NULL)
        goto fail;
    for (size_t j = 0; j < m->n_transitions; j++) {
        size_t from = m->transitions[j].from;
        l->out[from * l->max_out + filled[from]++] = j;
    }
    free(filled);

    for (size_t i = 0; i < m->n_states; i++) {
        for (unsigned k = 0; k < l->n_levels[i]; k++) {
            if (k == 0 || is_hazard_breakpoint(m, l, i, k)) {
                l->band_state[l->n_bands] = i;
                l->band_tenure[l->n_bands] = k;
                l->n_bands++;
            }
            l->band_of_cell[l->offset[i] + k] = l->n_bands - 1;
        }
    }
    return l;
fail:
    sr_layout_free(l);
    return NULL;
}

void sr_layout_free(sr_layout *l)
{
    if (l == NULL)
        return;
    free(l->offset);
    free(l->n_levels);
    free(l->settled);
    free(l->band_of_cell);
    free(l->band_state);
    free(l->band_tenure);
    free(l->n_out);
    free(l->out);
    free(l->absorbing);
    free(l);
}

double sr_layout_bytes(const sr_layout *l)
{
    const size_t S = l->n_states, C = l->n_cells;
    return sr_array_bytes(1, sizeof(sr_layout)) +
           sr_array_bytes(S, sizeof(size_t)) * 3 +        /* offset, n_out; filled while built */
           sr_array_bytes(S, sizeof(unsigned)) * 2 +      /* n_levels, settled */
           sr_array_bytes(S, sizeof(bool)) +              /* absorbing */
           sr_array_bytes(sr_size_mul(S, l->max_out), sizeof(size_t)) +   /* out */
           sr_array_bytes(C, sizeof(size_t)) * 2 +        /* band_of_cell, band_state */
           sr_array_bytes(C, sizeof(unsigned));           /* band_tenure */
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
