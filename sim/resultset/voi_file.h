/* The value-of-information analysis and result files (docs/results.md#value-of-
 * information): reading a result set's trials for the analysis, through the checked
 * reader (h5check.h), and writing what it finds under /voi. HDF5 calls: one thread,
 * outside OpenMP regions. */
#ifndef SR_VOI_FILE_H
#define SR_VOI_FILE_H

#include <hdf5.h>

#include "models/metric.h"
#include "sim/base/error.h"
#include "sim/engine/voi.h"

/* What the analysis reads of a result set besides its trials. */
typedef struct {
    char *scenario;           /* /scenario: the scenario as run, malloc'd */
} sr_voi_source;

/* Reads from the result set at path: the root attributes trials (required) and seed, the
 * scenario text, the portfolio's /trials/<name> of the n_metrics metrics (absent:
 * NULL), and every input: /parameters/<name> under its name, /macro/<name> as
 * "macro.<name>", and /trials/termination_month where the file has it. Fails with
 * SR_EXIT_IOERR and a message naming the path and object when the file is not a result
 * set sirisk can read, SR_EXIT_NOINPUT when it cannot be opened. On success d and src
 * are filled (d->persons is left 0). */
int sr_voi_read(const char *path, const sr_metric *metrics, size_t n_metrics, sr_voi_data *d,
                sr_voi_source *src, sr_error *err);
void sr_voi_source_clear(sr_voi_source *src);

/* Writes r under /voi of the group root (a /voi already there is replaced). Returns 0 or
 * SR_EXIT_IOERR. */
int sr_voi_write(hid_t root, const sr_voi_report *r, sr_error *err);

#endif
