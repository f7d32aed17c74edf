/* Reading result sets back: the readable summary table that `sirisk run` prints after
 * writing a file and that `sirisk summary FILE` prints, one code path for both. HDF5 calls:
 * one thread, outside OpenMP regions. */
#ifndef SR_H5READ_H
#define SR_H5READ_H

#include <stdio.h>

#include "error.h"

/* Prints to out: header lines (the file, the scenario's name, trials, seed, versions), then
 * for the portfolio and for each programme one row per metric found under summary/ (in the
 * order written): units, mean, sd, mcse, q05, q50, q95 and the deterministic value. DKK
 * amounts are shown in millions ("mDKK", 2 decimals), persons with 1 decimal. Metrics are
 * read from the file, so files with metrics this build does not know still print.
 * A sweep file (with /sweep) prints its header and the sweep table instead: one row per
 * point, the columns of /sweep/table.
 * Returns 0; SR_EXIT_NOINPUT when path is missing or unreadable; SR_EXIT_IOERR when it is
 * not a sirisk result set (not HDF5, no format_version, a newer format) or cannot be read
 * or the table cannot be written. */
int sr_h5_print_summary(const char *path, FILE *out, sr_error *err);

#endif
