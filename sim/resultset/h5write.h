/* Writing result sets (docs/results.md) to HDF5, atomically: a file is built under a
 * temporary name beside its target and renamed onto it only when complete, so an error or
 * an interrupt never leaves a partial file nor damages an existing one.
 *
 * The writer knows one layout, a run's result set: sr_h5_write_layout puts it into a
 * group (the file's root, or a group of a file that holds several), sr_h5_write_level one
 * level of it (trials, summary, annual, deterministic). Files of several runs are composed
 * above, from the result-set layout and the generic pieces here: groups, links to a layout
 * already written, columns of floats, float and text datasets with string attributes.
 *
 * Reproducibility: object timestamps are off and every object is written in a
 * fixed order, so two writes of the same result set differ only in created_utc.
 * Every function here makes HDF5 calls: call them on one thread, outside OpenMP regions.
 * Failures are SR_EXIT_IOERR, with a message that names the file and the object; a
 * failure to allocate is SR_EXIT_SOFTWARE in err->code (the functions return nonzero). */
#ifndef SR_H5WRITE_H
#define SR_H5WRITE_H

#include <hdf5.h>

#include "sim/base/error.h"
#include "sim/engine/results.h"

/* Writes rs to path (created or replaced) in the layout of docs/results.md. Returns 0, or
 * fills err and returns SR_EXIT_IOERR; on failure path is untouched and no temporary file
 * remains. rs->programme_names must be set, each a valid HDF5 link name (non-empty, no
 * '/'). */
int sr_h5_write(const char *path, const sr_resultset *rs, sr_error *err);

/* Bytes of scratch the writer takes, besides the result set, to summarise a result set of
 * n_trials trials and n_years years (models/size.h: an upper bound). */
double sr_h5_write_scratch_bytes(size_t n_trials, size_t n_years);

/* ---- the file ------------------------------------------------------------------------ */

/* A result file under construction: the temporary file beside its target (sim/resultset/outfile.h),
 * open in HDF5. */
typedef struct sr_h5_file sr_h5_file;

/* Checks path (sr_outfile_check) and creates its temporary file, removing any stale ones
 * of killed runs in the directory. NULL and err filled (naming path) when path cannot be
 * written or replaced. */
sr_h5_file *sr_h5_file_create(const char *path, sr_error *err);
/* The same, the temporary starting as a byte copy of the result file source (which may
 * be path itself), opened for writing: objects added to it join the copy's, whose bytes
 * are left as they are. */
sr_h5_file *sr_h5_file_copy(const char *source, const char *path, sr_error *err);
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

/* ---- layout pieces --------------------------------------------------------------------- */

/* Creates a group in loc with timestamps off and links tracked in creation order (readers
 * list metrics in the order written). The caller closes it (sr_h5_close); H5I_INVALID_HID
 * on failure, or when name cannot name a link (empty, "." or holding '/'). */
hid_t sr_h5_group_create(hid_t loc, const char *name, sr_error *err);

/* Opens the group at path (relative to loc) that this writer created. The caller closes
 * it; H5I_INVALID_HID on failure. */
hid_t sr_h5_group_open(hid_t loc, const char *path, sr_error *err);

/* Closes a group or dataset of a file being written: a failure (a chunk that cannot be
 * flushed to a full disk) is an error. Returns 0 or SR_EXIT_IOERR. */
int sr_h5_close(hid_t id, sr_error *err);

/* Closes id after a failure, ignoring what the close says (H5I_INVALID_HID is fine). */
void sr_h5_abandon(hid_t id);

/* Writes the root layout of rs into the group loc: the root attributes, /scenario, the
 * portfolio's level groups and /programmes/<name>/. Returns 0 or SR_EXIT_IOERR. */
int sr_h5_write_layout(hid_t loc, const sr_resultset *rs, sr_error *err);

/* Creates the group name in loc holding the root layout of rs: written there, or, when
 * linked_from is a group (not H5I_INVALID_HID) where that layout has been written
 * already, hard links to its objects (no second copy) and the root attributes. Returns 0
 * or SR_EXIT_IOERR. */
int sr_h5_write_layout_group(hid_t loc, const char *name, hid_t linked_from,
                             const sr_resultset *rs, sr_error *err);

/* Writes one level (lv, sized by rs) into the group loc: trials/, summary/, annual/ and
 * deterministic/. Returns 0 or SR_EXIT_IOERR. */
int sr_h5_write_level(hid_t loc, const sr_resultset *rs, const sr_level *lv,
                      sr_error *err);

/* ---- generic datasets ----------------------------------------------------------------- */

/* A string attribute: one value is written as a scalar, n > 1 as a 1-D array. */
typedef struct {
    const char *name;
    const char *const *values;   /* [n], n >= 1 */
    size_t n;
} sr_h5_text_attr;

/* Attributes of a group or dataset: one float64 scalar, and strings (a scalar for one
 * value, a 1-D array for more). Return 0 or SR_EXIT_IOERR. */
int sr_h5_attr_f64(hid_t obj, const char *name, double v, sr_error *err);
int sr_h5_attr_text(hid_t obj, const sr_h5_text_attr *a, sr_error *err);

/* One float64[n_rows] dataset of a group of columns, with its labels and any further
 * string attributes (written after units and description, in order). */
typedef struct {
    const char *name, *units, *description;
    const double *values;        /* [n_rows] */
    const sr_h5_text_attr *attrs;
    size_t n_attrs;
} sr_h5_column;

/* Creates the group `group` in loc holding one float64[n_rows] dataset per column, in
 * order (chunked and compressed where large). Returns 0 or SR_EXIT_IOERR. */
int sr_h5_write_columns(hid_t loc, const char *group, const sr_h5_column *cols,
                        size_t n_cols, size_t n_rows, sr_error *err);

/* A float64 dataset name in loc of the given shape (rank 0 to 2; values row-major) with
 * units, description and then the n_attrs string attributes. Returns 0 or SR_EXIT_IOERR. */
int sr_h5_write_floats(hid_t loc, const char *name, int rank, const hsize_t *dims,
                       const double *values, const char *units, const char *description,
                       const sr_h5_text_attr *attrs, size_t n_attrs, sr_error *err);

/* A variable-length UTF-8 string dataset name in loc of the given shape (rank 1 or 2;
 * text row-major) with its units and description. Returns 0 or SR_EXIT_IOERR. */
int sr_h5_write_texts(hid_t loc, const char *name, int rank, const hsize_t *dims,
                      const char *const *text, const char *units, const char *description,
                      sr_error *err);

#endif
