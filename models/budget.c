/* The payback year (budget.h). A cumulative net that dips below 0 again after turning
 * positive has not paid back until it stays at or above 0: the budget would have to carry
 * the deficit in that later year. */
#include "budget.h"

size_t sr_payback_year(const double *net, size_t n_years)
{
    size_t payback = 0;
    double cumulative = 0.0;
    for (size_t y = 0; y < n_years; y++) {
        cumulative += net[y];
        if (cumulative < 0.0)
            payback = y + 1;
    }
    return payback < n_years ? payback : SR_NEVER;
}
