/* The files of runs of several variants of one scenario (the stress and sweep files of
 * docs/results.md): the first variant's result set is the root layout, what every reader
 * of a run file reads, and every variant's, the first's too, is a group of its own (the
 * first's holding links to the root's objects, not a second copy). Built from the
 * result-set writer's generic pieces (sim/resultset/h5write.h), which know nothing of
 * stresses or sweeps. HDF5 calls: one thread, outside OpenMP regions. Failures are
 * SR_EXIT_IOERR naming the object; the caller prefixes the file's path and commits or
 * aborts the file. */
#ifndef SR_VARIANT_FILE_H
#define SR_VARIANT_FILE_H

#include <stddef.h>

#include "sim/base/error.h"
#include "sim/engine/results.h"
#include "sim/resultset/h5write.h"
#include "sim/variants/sweep.h"

/* The parent group of a stress file's runs, /stress, created in f once the base's root
 * layout is at the root; /stress/<name>/ holds each run (the base's linking to the root).
 * Returned open for the caller to close; H5I_INVALID_HID with err on failure. */
hid_t sr_variant_file_stress_parent(sr_h5_file *f, sr_error *err);

/* The parent group of a sweep file's points, /sweep/points, created in f once point 0's
 * root layout is at the root, after /sweep/values and /sweep/value_text (s must have its
 * values filled); /sweep/points/<i>/ holds point i (point 0's linking to the root).
 * Returned open for the caller to close; H5I_INVALID_HID with err on failure. */
hid_t sr_variant_file_sweep_parent(sr_h5_file *f, const sr_sweep_result *s, sr_error *err);

/* /sweep/table/<column>: float64[k] per column of the sweep table (sweep.h), with units,
 * description and a short `heading`. After every point. */
int sr_variant_file_sweep_table(sr_h5_file *f, const sr_sweep_result *s, sr_error *err);

#endif
