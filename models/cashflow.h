/* Public cash flows by state, tenure and month (docs/model.md), discounting and calendar time. */
#ifndef SR_CASHFLOW_H
#define SR_CASHFLOW_H

#include <stddef.h>

#include "model.h"

/* The first month after t at which some cash flow changes by date, or INT_MAX. */
int sr_cash_next_change(const sr_model *m, int t);

/* The amount of a cashspec for one payer in month t at tenure k (docs/model.md). */
double sr_cashspec_amount(const sr_cashspec *c, const double *v, size_t payer, int t,
                          unsigned k);

/* (1 + rate)^(-(t + 1) / 12): the present value factor of a flow at the end of month t. */
double sr_discount_factor(double annual_rate, int t);

/* (1 + rate)^(t / 12): indexation of month t's flows and prices. */
double sr_indexation_factor(double annual_rate, int t);

/* Calendar year of month t. */
int sr_calendar_year(const sr_model *m, int t);

/* Number of calendar years that months 0 .. n_months-1 touch. */
size_t sr_n_calendar_years(const sr_model *m);

#endif
