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

/* A stress file in f: the base's root layout at the root, and under /stress/<name>/ the
 * root layout of each of the n runs (names[0] is the base, which is linked, not copied). */
int sr_variant_file_stress(sr_h5_file *f, char *const *names, sr_resultset *const *results,
                           size_t n, sr_error *err);

/* A sweep file is written point by point into a file from sr_h5_file_create, so that one
 * result set is in memory at a time; sr_h5_file_commit publishes it when every point and
 * the table are in. Point 0 is the root layout, and /sweep/points/0 links to the root's
 * objects like a stress file's base; point i > 0 is written under /sweep/points/<i>/.
 * Point 0 also writes /sweep/values and /sweep/value_text (s must have its values
 * filled). Call in point order. */
int sr_variant_file_sweep_point(sr_h5_file *f, const sr_sweep_result *s, size_t i,
                                const sr_resultset *rs, sr_error *err);

/* /sweep/table/<column>: float64[k] per column of the sweep table (sweep.h), with units,
 * description and a short `heading`. After every point. */
int sr_variant_file_sweep_table(sr_h5_file *f, const sr_sweep_result *s, sr_error *err);

#endif
