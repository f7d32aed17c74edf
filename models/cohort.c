#include "cohort.h"
#include "size.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const sr_macro_cond sr_macro_neutral = {1.0, 1.0, false, 0.0, 1.0};

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

/* Element counts of a rates table's arrays, which sr_rates_alloc allocates and
 * sr_rates_bytes adds up: `entries` for q and the logarithms, `splits` (entries * max_out)
 * for each split array, `scratch` (one condition's splits) for hazard and probit. */
typedef struct {
    size_t entries, splits, scratch;
} rates_sizes;

static rates_sizes rates_sizes_of(const sr_layout *l, size_t n_conds, size_t n_phases)
{
    const size_t per_cond = sr_size_mul(sr_size_mul(n_phases, l->n_strata), l->n_bands);
    rates_sizes z;
    z.entries = sr_size_mul(n_conds, per_cond);
    z.splits = sr_size_mul(z.entries, l->max_out);
    z.scratch = sr_size_mul(per_cond, l->max_out);
    return z;
}

sr_rates *sr_rates_alloc(const sr_layout *l, size_t n_conds, size_t n_phases)
{
    sr_rates *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    const rates_sizes z = rates_sizes_of(l, n_conds, n_phases);
    r->n_conds = n_conds;
    r->n_phases = n_phases;
    r->n_strata = l->n_strata;
    r->n_bands = l->n_bands;
    r->max_out = l->max_out;
    r->q = calloc(z.entries, sizeof *r->q);
    r->log_stay = calloc(z.entries, sizeof *r->log_stay);
    r->log_leave = calloc(z.entries, sizeof *r->log_leave);
    r->cum = calloc(z.splits, sizeof *r->cum);
    r->cond = calloc(z.splits, sizeof *r->cond);
    r->cond_log_stay = calloc(z.splits, sizeof *r->cond_log_stay);
    r->cond_log_leave = calloc(z.splits, sizeof *r->cond_log_leave);
    r->hazard = calloc(z.scratch, sizeof *r->hazard);
    r->probit = calloc(z.scratch, sizeof *r->probit);
    if (!r->q || !r->log_stay || !r->log_leave || !r->cum || !r->cond || !r->cond_log_stay ||
        !r->cond_log_leave || !r->hazard || !r->probit) {
        sr_rates_free(r);
        return NULL;
    }
    return r;
}

double sr_rates_bytes(const sr_layout *l, size_t n_conds, size_t n_phases)
{
    const rates_sizes z = rates_sizes_of(l, n_conds, n_phases);
    return sr_array_bytes(1, sizeof(sr_rates)) + 3 * sr_array_bytes(z.entries, sizeof(double)) +
           4 * sr_array_bytes(z.splits, sizeof(double)) +
           2 * sr_array_bytes(z.scratch, sizeof(double));
}

void sr_rates_free(sr_rates *r)
{
    if (r == NULL)
        return;
    free(r->q);
    free(r->log_stay);
    free(r->log_leave);
    free(r->cum);
    free(r->cond);
    free(r->cond_log_stay);
    free(r->cond_log_leave);
    free(r->hazard);
    free(r->probit);
    free(r);
}

size_t sr_effect_phases(const sr_programme *p)
{
    return p->has_intervention ? 2 + p->fade_months : 1;
}

double sr_phase_hazard_ratio(const sr_model *m, const sr_programme *p, const double *v,
                             size_t stratum, size_t phase)
{
    if (phase == 0 || !p->has_intervention)
        return 1.0;
    double hr = v[p->hazard_ratio];
    if (p->has_scale) {
        double ratio = (double)p->size / v[p->scale_reference_size];
        hr = 1.0 + (hr - 1.0) * pow(ratio, v[p->scale_elasticity]);
        if (hr < 0.0)
            hr = 0.0;
    }
    hr = 1.0 + (hr - 1.0) * v[m->strata[stratum].effect_multiplier];
    if (hr < 0.0)
        hr = 0.0;
    if (phase == 1)
        return hr;
    double k = (double)(phase - 2), f = (double)p->fade_months;
    return 1.0 + (hr - 1.0) * (f - k) / (f + 1.0);
}

/* Base hazard of transition j: its hazard, or for the probability form the hazard that
 * reproduces the state's monthly probabilities exactly (docs/model.md). */
static double base_hazard(const sr_model *m, const double *v, size_t j)
{
    const sr_transition *t = &m->transitions[j];
    if (!t->is_probability)
        return v[t->rate];
    double total = 0.0;
    for (size_t i = 0; i < m->n_transitions; i++)
        if (m->transitions[i].from == t->from)
            total += v[m->transitions[i].rate];
    if (total <= 0.0)
        return 0.0;
    /* The loader keeps the sum's support at or below 1; exactly 1 (a beta drawn at its
     * end) is read as the largest probability below it. */
    return -log1p(-fmin(total, 1.0 - DBL_EPSILON)) * v[t->rate] / total;
}

double sr_transition_hazard(const sr_model *m, const double *v, size_t j, size_t stratum,
                            unsigned tenure, double hr, const sr_programme *p)
{
    const sr_transition *t = &m->transitions[j];
    double h = base_hazard(m, v, j);
    double tenure_mult = 1.0;      /* the last entry at or below the tenure held */
    for (size_t b = 0; b < t->n_by_tenure && t->tenure_from[b] <= tenure; b++)
        tenure_mult = v[t->tenure_mult[b]];
    h *= tenure_mult;
    h *= v[m->strata[stratum].multiply[j]];
    if (p != NULL && p->has_intervention && p->effect_on[j])
        h *= hr;
    return h;
}

/* The macro condition's action on one hazard h (docs/model.md); z = Phi^-1(1 - exp(-h)), the
 * probit of its monthly probability (NaN where that is 0), used by the factor model. */
static double macro_hazard(double h, double z, sr_macro_sense sense, const sr_macro_cond *c)
{
    if (sense == SR_MACRO_NONE)
        return h;
    if (c->factor) {
        if (isnan(z))
            return 0.0;
        double s = sense == SR_MACRO_PRO ? 1.0 : -1.0;
        double pz = gsl_cdf_ugaussian_P((z + s * c->shift) * c->inv_sd);
        /* A factor far in the tail rounds p' to 1: keep the hazard finite (about 36.7 per
         * month, everyone leaves) so that the split over destinations stays defined. */
        return -log1p(-fmin(pz, 1.0 - DBL_EPSILON));
    }
    return h * (sense == SR_MACRO_PRO ? c->pro : c->counter);
}

/* Whether any transition out of band b's state carries the programme's effect (else every
 * phase of the band has phase 0's rates). */
static bool band_affected(const sr_layout *l, const sr_programme *p, size_t b)
{
    const size_t i = l->band_state[b];
    for (size_t o = 0; o < l->n_out[i]; o++)
        if (p != NULL && p->has_intervention && p->effect_on[l->out[i * l->max_out + o]])
            return true;
    return false;
}

/* Copies the rates of index `from` to index `to`. */
static void copy_rates(sr_rates *r, size_t to, size_t from)
{
    const size_t K = r->max_out;
    r->q[to] = r->q[from];
    r->log_stay[to] = r->log_stay[from];
    r->log_leave[to] = r->log_leave[from];
    memcpy(r->cum + to * K, r->cum + from * K, K * sizeof *r->cum);
    memcpy(r->cond + to * K, r->cond + from * K, K * sizeof *r->cond);
    memcpy(r->cond_log_stay + to * K, r->cond_log_stay + from * K, K * sizeof *r->cond);
    memcpy(r->cond_log_leave + to * K, r->cond_log_leave + from * K, K * sizeof *r->cond);
}

void sr_rates_compute(sr_rates *r, const sr_layout *l, const sr_model *m,
                      const sr_programme *p, const double *v, const sr_macro_cond *conds)
{
    double h[l->max_out];
    bool affected[r->n_bands];
    for (size_t b = 0; b < r->n_bands; b++)
        affected[b] = band_affected(l, p, b);
    const size_t K = r->max_out;
    bool factor = false;
    for (size_t c = 0; c < r->n_conds; c++)
        factor = factor || conds[c].factor;
    /* With a condition per month (the factor model) most entries serve a few draws: their
     * logarithms are left to the draws that need them (NaN here). */
    const bool logs = !factor;
    /* The hazards before macro conditions, and their probits, per (phase, stratum, band,
     * transition): the same for every condition. */
    for (size_t ph = 0; ph < r->n_phases; ph++)
        for (size_t s = 0; s < r->n_strata; s++) {
            double hr = sr_phase_hazard_ratio(m, p, v, s, ph);
            for (size_t b = 0; b < r->n_bands; b++) {
                size_t i = l->band_state[b];
                double *base = r->hazard + ((ph * r->n_strata + s) * r->n_bands + b) * K;
                double *z = r->probit + ((ph * r->n_strata + s) * r->n_bands + b) * K;
                for (size_t o = 0; o < l->n_out[i]; o++) {
                    base[o] = sr_transition_hazard(m, v, l->out[i * K + o], s,
                                                   l->band_tenure[b], hr, p);
                    double prob = -expm1(-base[o]);
                    z[o] = factor && prob > 0.0 ? gsl_cdf_ugaussian_Pinv(prob) : NAN;
                }
            }
        }
    for (size_t c = 0; c < r->n_conds; c++)
        for (size_t ph = 0; ph < r->n_phases; ph++)
            for (size_t s = 0; s < r->n_strata; s++) {
                for (size_t b = 0; b < r->n_bands; b++) {
                    if (ph > 0 && !affected[b]) {
                        copy_rates(r, sr_rates_index(r, c, ph, s, b),
                                   sr_rates_index(r, c, 0, s, b));
                        continue;
                    }
                    size_t i = l->band_state[b], n_out = l->n_out[i];
                    const size_t at = ((ph * r->n_strata + s) * r->n_bands + b) * K;
                    double total = 0.0;
                    for (size_t o = 0; o < n_out; o++) {
                        size_t j = l->out[i * K + o];
                        h[o] = macro_hazard(r->hazard[at + o], r->probit[at + o],
                                            m->transitions[j].macro, &conds[c]);
                        total += h[o];
                    }
                    size_t idx = sr_rates_index(r, c, ph, s, b);
                    r->q[idx] = total > 0.0 ? -expm1(-total) : 0.0;
                    r->log_stay[idx] = -total;
                    r->log_leave[idx] = !logs ? NAN : total > 0.0 ? log(r->q[idx]) : -INFINITY;
                    double *cond = r->cond + idx * r->max_out;
                    double *cum = r->cum + idx * r->max_out;
                    double left = total, so_far = 0.0;
                    for (size_t o = 0; o < n_out; o++) {
                        cond[o] = left > 0.0 ? h[o] / left : 0.0;
                        if (cond[o] > 1.0 || o + 1 == n_out)
                            cond[o] = left > 0.0 ? 1.0 : 0.0;
                        left -= h[o];
                        so_far += h[o];
                        cum[o] = o + 1 == n_out ? 1.0 : total > 0.0 ? so_far / total : 0.0;
                        r->cond_log_stay[idx * r->max_out + o] = logs ? log1p(-cond[o]) : NAN;
                        r->cond_log_leave[idx * r->max_out + o] = logs ? log(cond[o]) : NAN;
                    }
                }
            }
}
