/* Writing result sets (SPEC 5) to HDF5, atomically (SPEC 4): a file is built under a
 * temporary name beside its target and renamed onto it only when complete, so an error or
 * an interrupt never leaves a partial file nor damages an existing one.
 *
 * Layout pieces are functions on an HDF5 location so that composite files reuse them:
 * sr_h5_write_layout puts the whole root layout into a group (the file's root, or later
 * /stress/<name>/ and /sweep/points/<i>/), sr_h5_write_level puts one level (trials,
 * summary, annual, deterministic) into a group (the root layout, or /programmes/<name>/).
 *
 * Reproducibility (SPEC 2.12): object timestamps are off and every object is written in a
 * fixed order, so two writes of the same result set differ only in created_utc.
 * Every function here makes HDF5 calls: call them on one thread, outside OpenMP regions.
 * Failures are SR_EXIT_IOERR, with a message that names the file and the object; a
 * failure to allocate is SR_EXIT_SOFTWARE in err->code (the functions return nonzero). */
#ifndef SR_H5WRITE_H
#define SR_H5WRITE_H

#include <hdf5.h>

#include "sim/base/error.h"
#include "sim/engine/results.h"
#include "sim/variants/sweep.h"

/* The result-set format written; a reader refuses files of a newer format. */
#define SR_H5_FORMAT_VERSION 1

/* Writes rs to path (created or replaced) in the layout of SPEC 5. Returns 0, or fills err
 * and returns SR_EXIT_IOERR; on failure path is untouched and no temporary file remains.
 * rs->programme_names must be set, each a valid HDF5 link name (non-empty, no '/'). */
int sr_h5_write(const char *path, const sr_resultset *rs, sr_error *err);

/* Bytes of scratch the writer takes, besides the result set, to summarise a result set of
 * n_trials trials and n_years years (models/size.h: an upper bound). */
double sr_h5_write_scratch_bytes(size_t n_trials, size_t n_years);

/* ---- building blocks for composite files -------------------------------------------- */

/* A result file under construction: the temporary file beside its target (sim/resultset/outfile.h),
 * open in HDF5. */
typedef struct sr_h5_file sr_h5_file;

/* Checks path (sr_outfile_check) and creates its temporary file, removing any stale ones
 * of killed runs in the directory. NULL and err filled (naming path) when path cannot be
 * written or replaced. */
sr_h5_file *sr_h5_file_create(const char *path, sr_error *err);
/* The root group of the file; owned by f. */
hid_t sr_h5_file_root(const sr_h5_file *f);
/* Closes the file in HDF5 and flushes it to disk: complete, but still under its temporary
 * name (sr_h5_file_temp_path), where it can be read back before sr_h5_file_commit
 * publishes it. Every object opened in the file must be closed before. Returns 0 or
 * SR_EXIT_IOERR; after a failure, abort f. */
int sr_h5_file_complete(sr_h5_file *f, sr_error *err);
/* The temporary file's path; owned by f. */
const char *sr_h5_file_temp_path(const sr_h5_file *f);
/* Completes the file if it is not yet, and renames it onto the target. Frees f whatever
 * the outcome; on failure the temporary file is removed and the target untouched. */
int sr_h5_file_commit(sr_h5_file *f, sr_error *err);
/* Closes and removes the temporary file and frees f (NULL is fine). */
void sr_h5_file_abort(sr_h5_file *f);

/* Creates a group in loc with timestamps off and links tracked in creation order (readers
 * list metrics in the order written). The caller closes it; H5I_INVALID_HID on failure. */
hid_t sr_h5_group_create(hid_t loc, const char *name, sr_error *err);

/* Writes the root layout of rs into the group loc: the root attributes, /scenario, the
 * portfolio's level groups and /programmes/<name>/. Returns 0 or SR_EXIT_IOERR. */
int sr_h5_write_layout(hid_t loc, const sr_resultset *rs, sr_error *err);

/* Writes one level (lv, sized by rs) into the group loc: trials/, summary/, annual/ and
 * deterministic/. Returns 0 or SR_EXIT_IOERR. */
int sr_h5_write_level(hid_t loc, const sr_resultset *rs, const sr_level *lv,
                      sr_error *err);

/* Writes rs as the group `name` (a valid link name: non-empty, no '/') created in parent:
 * its whole root layout, or, when root is a valid id, hard links to the objects of the
 * same result set's root layout already written at root (no second copy) with the root
 * attributes. Returns 0 or SR_EXIT_IOERR. */
int sr_h5_write_layout_group(hid_t parent, const char *name, const sr_resultset *rs,
                             hid_t root, sr_error *err);

/* ---- sweep files (SPEC 5 /sweep) --------------------------------------------------- */

/* /sweep/values (float64[k], or [k][2] for two keys, with the swept key(s) in the
 * attribute `param` and the design in `design`) and /sweep/value_text (the same values as
 * the YAML text applied) in the group g (/sweep). Returns 0 or SR_EXIT_IOERR. */
int sr_h5_write_sweep_values(hid_t g, const sr_sweep_result *s, sr_error *err);

/* /sweep/table/<column>: float64[k] per column of the sweep table, with units, description
 * and a short `heading`. After every point. */
int sr_h5_write_sweep_table(sr_h5_file *f, const sr_sweep_result *s, sr_error *err);

#endif
