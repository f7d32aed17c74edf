/* The report's sections and what they share: report.c writes the page and the sections of
 * a run; report_variants.c those of a stress file and of a sweep. */
#ifndef SR_REPORT_SECTIONS_H
#define SR_REPORT_SECTIONS_H

#include <stdbool.h>

#include "sim/cli/report_page.h"
#include "sim/cli/result.h"
#include "sim/cli/sheets.h"

/* Builds sheet id of r into t when r has it and nothing has failed yet (*rc 0); false, and
 * t empty, otherwise (*rc then says why, if anything failed). */
bool sr_report_sheet(const sr_result *r, sr_sheet_id id, sr_lang lang, sr_sheet *t, int *rc,
                     sr_error *err);

/* A section's heading, with the id a link may point to. */
void sr_report_heading(sr_page *p, const char *text, const char *id);

/* A stress file's section: per key metric, its mean and 5% quantile under each stress. */
void sr_report_stresses(sr_page *p, const sr_result *r, int *rc, sr_error *err);

/* A sweep's section: power, the coefficient of variation of savings, savings and cost per
 * participant against the swept value, and the sweep table. */
void sr_report_sweep(sr_page *p, const sr_result *r, int *rc, sr_error *err);

#endif
