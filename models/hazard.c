#include "hazard.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>

const sr_macro_cond sr_macro_neutral = {1.0, 1.0, false, 0.0, 1.0};

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

double sr_macro_hazard(double h, double z, sr_macro_sense sense, const sr_macro_cond *c)
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
