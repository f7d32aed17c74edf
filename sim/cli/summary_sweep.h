/* The sweep table that `sirisk summary` prints for a sweep file (docs/results.md). HDF5
 * calls: one thread, outside OpenMP regions. */
#ifndef SR_SUMMARY_SWEEP_H
#define SR_SUMMARY_SWEEP_H

#include <hdf5.h>
#include <stdio.h>

#include "sim/base/error.h"

/* Prints to out the table of the sweep group sg: a line naming the swept key(s) and the
 * design, then one row per point with its value(s) and every column of /sweep/table but
 * the Monte Carlo standard errors, headed by each column's `heading`; "(no sweep table)"
 * when the values or the table are absent. Returns 0, or SR_EXIT_IOERR (err naming the
 * object) when an object fails the checks of h5check.h, among them: /sweep/values must
 * have a row per point under /sweep/points, and every column a value per row. */
int sr_h5_print_sweep(hid_t sg, FILE *out, sr_error *err);

#endif
