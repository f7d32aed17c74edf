#include "cashflow.h"

#include <limits.h>
#include <math.h>

double sr_cashspec_amount(const sr_cashspec *c, const double *v, size_t payer, int t,
                          unsigned k)
{
    const sr_flow *f = &c->base;
    for (size_t d = 0; d < c->n_by_tenure && c->tenure_from[d] <= k; d++)
        f = &c->by_tenure[d];
    /* A dated entry (a reform) applies to every tenure from its month on. */
    for (size_t d = 0; d < c->n_dated && c->dated_month[d] <= t; d++)
        f = &c->dated[d];
    return v[f->amount[payer]];
}

int sr_cash_next_change(const sr_model *m, int t)
{
    int next = INT_MAX;
    for (size_t c = 0; c < m->n_strata * m->n_states; c++)
        for (size_t d = 0; d < m->cash[c].n_dated; d++)
            if (m->cash[c].dated_month[d] > t && m->cash[c].dated_month[d] < next)
                next = m->cash[c].dated_month[d];
    return next;
}

double sr_discount_factor(double annual_rate, int t)
{
    return pow(1.0 + annual_rate, -(double)(t + 1) / 12.0);
}

double sr_indexation_factor(double annual_rate, int t)
{
    return pow(1.0 + annual_rate, (double)t / 12.0);
}

int sr_calendar_year(const sr_model *m, int t)
{
    return m->start_year + (m->start_month - 1 + t) / 12;
}

size_t sr_n_calendar_years(const sr_model *m)
{
    return (size_t)(sr_calendar_year(m, (int)m->n_months - 1) - m->start_year + 1);
}
