/* The report's sections of a stress file and of a sweep (report_variants.c), which the
 * page (report.c) places after those of a run. */
#ifndef SR_REPORT_SECTIONS_H
#define SR_REPORT_SECTIONS_H

#include <stdbool.h>

#include "sim/cli/report_page.h"
#include "sim/cli/result.h"
#include "sim/cli/sheets.h"

/* A stress file's section: per key metric, its mean and 5% quantile under each stress. */
void sr_report_stresses(sr_page *p, const sr_result *r, int *rc, sr_error *err);

/* A sweep's section: power, the coefficient of variation of savings, savings and cost per
 * participant against the swept value, and the sweep table. */
void sr_report_sweep(sr_page *p, const sr_result *r, int *rc, sr_error *err);

#endif
