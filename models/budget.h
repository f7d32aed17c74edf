/* The paying budget's year-by-year view (docs/results.md, yearly flows and budget years):
 * a pure function of one trial's nominal net result per calendar year. */
#ifndef SR_BUDGET_H
#define SR_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#define SR_NEVER SIZE_MAX   /* no payback within the years given */

/* The payback year of net[0 .. n_years − 1] (DKK per calendar year, nominal): the first
 * year y from which the cumulative net Σ_{j <= y} net[j] stays at or above 0 in every year
 * up to the last; SR_NEVER when the cumulative net of the last year is below 0 (or
 * n_years is 0). The cumulative sums are taken in year order. */
size_t sr_payback_year(const double *net, size_t n_years);

#endif
