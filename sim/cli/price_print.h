/* What `sirisk price` prints of its search (sim/variants/price.h), after the summary of its
 * result file. */
#ifndef SR_PRICE_PRINT_H
#define SR_PRICE_PRINT_H

#include <stdio.h>

#include "sim/base/error.h"
#include "sim/variants/price.h"

/* The solve's answer (the term, its interval, the statistic there with its standard
 * error, the --sets that reproduce it) or the map's table and grid. Returns 0 or
 * SR_EXIT_IOERR when out cannot be written. */
int sr_price_print(FILE *out, const sr_price_result *r, sr_error *err);

#endif
