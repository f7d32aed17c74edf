/* The budget-year table of a result set's level (docs/results.md, yearly flows and budget
 * years): the paying budget's nominal net result per calendar year funding the programme
 * itself and paying by results, and the distribution of its payback year, as the level's
 * `budget` group holds them. HDF5 calls: one thread, outside OpenMP regions. */
#ifndef SR_SUMMARY_BUDGET_H
#define SR_SUMMARY_BUDGET_H

#include <hdf5.h>
#include <stdio.h>

#include "sim/base/error.h"

/* Prints the budget-year table of level to out; nothing when the level has no budget
 * group (or one without the columns it shows). Everything read is checked first. Returns
 * 0 or the reader's error code. */
int sr_print_budget_years(hid_t level, FILE *out, sr_error *err);

#endif
