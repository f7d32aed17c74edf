/* The budget-year table of a result set's level (docs/results.md, yearly flows and budget
 * years): the paying budget's nominal net result per calendar year funding the programme
 * itself and paying by results, and the distribution of its payback year, as the level's
 * `budget` dataset holds them. HDF5 calls: one thread, outside OpenMP regions. */
#ifndef SR_SUMMARY_BUDGET_H
#define SR_SUMMARY_BUDGET_H

#include <hdf5.h>
#include <stdio.h>

#include "sim/base/error.h"

/* Most rows a budget table may have: the years of the longest horizon (100 years) and the
 * row after it, with room to spare. */
#define SR_BUDGET_MAX_ROWS 1024

/* How a report names the paying budget of level (the `payer` attribute of its budget
 * table: "municipality", "state", "municipality and state") into buf, made printable; ""
 * when the file does not say (a format-1 file). */
int sr_budget_payer(hid_t level, char *buf, size_t size, sr_error *err);

/* Prints the budget-year table of level to out; nothing when the level has no budget
 * table (or one without the columns it shows). Everything read is checked first. Returns
 * 0 or the reader's error code. */
int sr_print_budget_years(hid_t level, FILE *out, sr_error *err);

#endif
