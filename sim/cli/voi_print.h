/* The tables `sirisk voi` prints (README, docs/results.md#value-of-information): the
 * variance attribution of each metric as a tornado, and each decision's expected net
 * benefits, EVPI, EVPPI (largest first) and the pilots' EVSI and ENBS, per participant,
 * for the cohort and for the population. */
#ifndef SR_VOI_PRINT_H
#define SR_VOI_PRINT_H

#include <stdio.h>

#include "sim/base/error.h"
#include "sim/variants/voi_run.h"

/* Prints o's report to out, composed in memory first (nothing is printed on failure).
 * Names from the file are made printable. Returns 0 or the error code with err. */
int sr_voi_print(FILE *out, const sr_voi_outcome *o, sr_error *err);

#endif
