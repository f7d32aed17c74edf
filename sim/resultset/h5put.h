/* The generic pieces of a result file being written: groups, datasets of floats and of
 * text, and attributes, each created with timestamps off (reproducible files), groups
 * tracking the order of their links, large datasets chunked and compressed. Failures are
 * SR_EXIT_IOERR with a message naming the object (sim/resultset/h5util.h). The layout of a
 * result set is built from these (h5write.h, h5years.h, voi_file.h). One thread, outside
 * OpenMP regions. */
#ifndef SR_H5PUT_H
#define SR_H5PUT_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/base/error.h"

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

/* The same dataset, returned open for further attributes (the caller closes it with
 * sr_h5_close); H5I_INVALID_HID with err on failure. */
hid_t sr_h5_create_floats(hid_t loc, const char *name, int rank, const hsize_t *dims,
                          const double *values, const char *units, const char *description,
                          sr_error *err);

/* Attributes of obj: float64 of rank 0 (a scalar; dims unused) to 2 (values row-major),
 * and int32. Each returns 0 or SR_EXIT_IOERR. */
int sr_h5_attr_floats(hid_t obj, const char *name, int rank, const hsize_t *dims,
                      const double *values, sr_error *err);
int sr_h5_attr_int(hid_t obj, const char *name, int32_t v, sr_error *err);

/* A variable-length UTF-8 string dataset name in loc of the given shape (rank 1 or 2;
 * text row-major) with its units and description. Returns 0 or SR_EXIT_IOERR. */
int sr_h5_write_texts(hid_t loc, const char *name, int rank, const hsize_t *dims,
                      const char *const *text, const char *units, const char *description,
                      sr_error *err);

/* More attributes of obj: an unsigned 64-bit integer, a string, and the two that every
 * dataset carries (units, description). Each returns 0 or SR_EXIT_IOERR. */
int sr_h5_attr_u64(hid_t obj, const char *name, uint64_t v, sr_error *err);
int sr_h5_attr_str(hid_t obj, const char *name, const char *v, sr_error *err);
int sr_h5_attr_labels(hid_t obj, const char *units, const char *description, sr_error *err);

/* A dataset creation property list for a dataset of the given shape: timestamps off, and
 * chunked along the first dimension with shuffle and deflate when it is large. The caller
 * closes it; H5I_INVALID_HID on failure. */
hid_t sr_h5_dcpl_create(int rank, const hsize_t *dims);

#endif
