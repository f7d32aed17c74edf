/* Ownership and plain questions about a resolved model (models/model.h). */
#include "model.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void cashspec_clear(sr_cashspec *c)
{
    free(c->tenure_from);
    free(c->by_tenure);
    free(c->dated_month);
    free(c->dated);
}

static void programme_clear(sr_programme *p)
{
    free(p->name);
    free(p->intake);
    free(p->control_intake);
    free(p->effect_on);
    free(p->while_in);
    for (size_t i = 0; i < p->contract.n_outcomes; i++)
        free(p->contract.outcomes[i].name);
    free(p->contract.outcomes);
}

void sr_model_free(sr_model *m)
{
    if (!m)
        return;
    free(m->name);
    for (size_t i = 0; m->num_path != NULL && i < m->n_num; i++)
        free(m->num_path[i]);
    free(m->num_path);
    free(m->num);
    for (size_t i = 0; i < m->n_parameters; i++)
        free(m->parameters[i].name);
    free(m->parameters);
    free(m->correlations);
    for (size_t i = 0; i < m->n_states; i++)
        free(m->states[i].name);
    free(m->states);
    for (size_t i = 0; i < m->n_transitions; i++) {
        free(m->transitions[i].tenure_from);
        free(m->transitions[i].tenure_mult);
    }
    free(m->transitions);
    for (size_t i = 0; i < m->n_strata; i++) {
        free(m->strata[i].name);
        free(m->strata[i].multiply);
    }
    free(m->strata);
    if (m->cash)
        for (size_t i = 0; i < m->n_strata * m->n_states; i++)
            cashspec_clear(&m->cash[i]);
    free(m->cash);
    for (size_t i = 0; i < m->n_programmes; i++)
        programme_clear(&m->programmes[i]);
    free(m->programmes);
    free(m);
}

int sr_model_state_index(const sr_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_states; i++)
        if (strcmp(m->states[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Mean of a normal(mu, sd) truncated to [lo, hi] (either may be infinite):
 * mu + sd (phi(a) - phi(b)) / Z, a = (lo - mu) / sd, b = (hi - mu) / sd, Z = Phi(b) - Phi(a).
 * Z is taken from the tail the interval lies in, so that it keeps its digits when the
 * interval is far out (Phi(b) - Phi(a) would cancel to 0 above a = 8). */
double sr_truncated_normal_mean(double mu, double sd, double lo, double hi)
{
    double a = (lo - mu) / sd, b = (hi - mu) / sd;
    double z;
    if (a > 0)
        z = gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b);
    else if (b < 0)
        z = gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    else
        z = 1.0 - gsl_cdf_ugaussian_P(a) - gsl_cdf_ugaussian_Q(b);
    double pa = isinf(a) ? 0.0 : gsl_ran_ugaussian_pdf(a);
    double pb = isinf(b) ? 0.0 : gsl_ran_ugaussian_pdf(b);
    return mu + sd * (pa - pb) / z;
}

double sr_numdef_mean(const sr_numdef *d)
{
    const double *p = d->p;
    switch (d->kind) {
    case SR_DIST_FIXED:
    case SR_DIST_BETA:
    case SR_DIST_GAMMA:
        return p[0];
    case SR_DIST_LOGNORMAL:
        return exp(p[0] + 0.5 * p[1] * p[1]);
    case SR_DIST_NORMAL:
        return sr_truncated_normal_mean(p[0], p[1], p[2], p[3]);
    case SR_DIST_UNIFORM:
        return 0.5 * (p[0] + p[1]);
    case SR_DIST_PERT:
        return (p[0] + 4.0 * p[1] + p[2]) / 6.0;
    case SR_DIST_TRIANGULAR:
        return (p[0] + p[1] + p[2]) / 3.0;
    }
    return NAN;
}

double sr_numdef_upper(const sr_numdef *d)
{
    const double *p = d->p;
    switch (d->kind) {
    case SR_DIST_FIXED:
        return p[0];
    case SR_DIST_BETA:
        return 1.0;
    case SR_DIST_GAMMA:
    case SR_DIST_LOGNORMAL:
        return INFINITY;
    case SR_DIST_NORMAL:
        return p[3];
    case SR_DIST_UNIFORM:
        return p[1];
    case SR_DIST_PERT:
    case SR_DIST_TRIANGULAR:
        return p[2];
    }
    return NAN;
}

size_t sr_model_inputs(const sr_model *m, sr_num *out)
{
    size_t n = 0;
    for (size_t k = 0; k < m->n_parameters; k++)
        out[n++] = m->parameters[k].num;
    for (size_t i = 0; i < m->n_num; i++)
        if (m->num[i].kind != SR_DIST_FIXED && m->num[i].parameter < 0)
            out[n++] = (sr_num)i;
    return n;
}

const char *sr_model_input_name(const sr_model *m, sr_num num)
{
    const int k = m->num[num].parameter;
    if (k >= 0)
        return m->parameters[k].name;
    return m->num_path != NULL && m->num_path[num] != NULL ? m->num_path[num] : "";
}

void sr_model_mean_values(const sr_model *m, double *v)
{
    for (size_t i = 0; i < m->n_num; i++)
        v[i] = sr_numdef_mean(&m->num[i]);
}
