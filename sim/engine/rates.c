#include "sim/engine/rates.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/hazard.h"
#include "models/size.h"
#include "sim/base/check.h"
#include "sim/engine/carve.h"

/* Lays out a rates table on c (sim/engine/carve.h): `entries` (conditions x phases x
 * strata x bands) for q and its logarithms, entries * max_out for each split array, one
 * condition's splits for the scratch of hazards and probits. */
static sr_rates *carve_rates(sr_carve *c, sr_rates *scratch, const sr_layout *l,
                             size_t n_conds, size_t n_phases)
{
    sr_rates *r = sr_carve_struct(c, sizeof *r, scratch);
    const size_t per_cond = sr_size_mul(sr_size_mul(n_phases, l->n_strata), l->n_bands);
    const size_t entries = sr_size_mul(n_conds, per_cond);
    const size_t splits = sr_size_mul(entries, l->max_out);
    const size_t one_cond = sr_size_mul(per_cond, l->max_out);
    r->n_conds = n_conds;
    r->n_phases = n_phases;
    r->n_strata = l->n_strata;
    r->n_bands = l->n_bands;
    r->max_out = l->max_out;
    r->q = sr_carve_take(c, entries, sizeof(double));
    r->log_stay = sr_carve_take(c, entries, sizeof(double));
    r->log_leave = sr_carve_take(c, entries, sizeof(double));
    r->cum = sr_carve_take(c, splits, sizeof(double));
    r->cond = sr_carve_take(c, splits, sizeof(double));
    r->cond_log_stay = sr_carve_take(c, splits, sizeof(double));
    r->cond_log_leave = sr_carve_take(c, splits, sizeof(double));
    r->hazard = sr_carve_take(c, one_cond, sizeof(double));
    r->probit = sr_carve_take(c, one_cond, sizeof(double));
    return r;
}

sr_rates *sr_rates_alloc(const sr_layout *l, size_t n_conds, size_t n_phases)
{
    sr_rates scratch;
    sr_carve c = {0};
    carve_rates(&c, &scratch, l, n_conds, n_phases);
    if (sr_carve_alloc(&c) == NULL)
        return NULL;
    carve_rates(&c, &scratch, l, n_conds, n_phases);
    return (sr_rates *)c.block;
}

double sr_rates_bytes(const sr_layout *l, size_t n_conds, size_t n_phases)
{
    sr_rates scratch;
    sr_carve c = {0};
    carve_rates(&c, &scratch, l, n_conds, n_phases);
    return sr_carve_bytes(&c);
}

void sr_rates_free(sr_rates *r)
{
    free(r);
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
                        h[o] = sr_macro_hazard(r->hazard[at + o], r->probit[at + o],
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
                        SR_CHECK(cond[o] >= 0.0 && cond[o] <= 1.0 && cum[o] >= 0.0 &&
                                 cum[o] <= 1.0 && (o == 0 || cum[o] >= cum[o - 1]));
                    }
                    SR_CHECK(r->q[idx] >= 0.0 && r->q[idx] <= 1.0 &&
                             (n_out == 0 || cum[n_out - 1] == 1.0));
                }
            }
}
