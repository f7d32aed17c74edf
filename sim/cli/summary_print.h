/* The readable summary table of a result set that `sirisk run` prints after writing a file
 * and that `sirisk summary FILE` prints, one code path for both. HDF5 calls: one thread,
 * outside OpenMP regions. */
#ifndef SR_SUMMARY_PRINT_H
#define SR_SUMMARY_PRINT_H

#include <stdio.h>

#include "sim/base/error.h"

/* Prints to out: header lines (the file, the scenario's name, trials, seed, versions), then
 * for the portfolio and for each programme one row per metric found under summary/ (in the
 * order written): units, mean, sd, mcse, q05, q50, q95 and the deterministic value, and
 * after a level's rows a note for each metric with trials left out of its statistics
 * (n_nan, n_infinite). DKK amounts are shown in millions ("mDKK", 2 decimals), persons
 * with 1 decimal. Metrics are read from the file, so files with metrics this build does
 * not know still print.
 * A sweep file (with /sweep) prints its header and the sweep table instead: one row per
 * point, the columns of /sweep/table.
 * Every object read is checked first (h5check.h), and the table is written only when the
 * whole of it could be read: a refused file prints nothing.
 * Returns 0; SR_EXIT_NOINPUT when path is missing, unreadable or not a regular file;
 * SR_EXIT_IOERR when it is not a sirisk result set (not HDF5, no format_version, a newer
 * format), an object fails a check (the message names it), or the table cannot be
 * written; SR_EXIT_SOFTWARE when memory runs out. */
int sr_h5_print_summary(const char *path, FILE *out, sr_error *err);

#endif
