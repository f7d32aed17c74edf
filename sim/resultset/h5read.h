/* Reading a result set's figures back as data: its provenance, a level's metrics with
 * their statistics, single statistics, and trials a block at a time. Built on the checked
 * reading primitives (h5check.h): every object is checked before it is read, and a file
 * that fails a check is refused with SR_EXIT_IOERR and a message naming the object.
 * Lenient about what is missing (files of older or other writers): absent figures come
 * back as NaN, NULL or "not found", never as errors. Printing is the caller's
 * (sim/cli/summary_print.h). HDF5 calls: one thread, outside OpenMP regions. */
#ifndef SR_H5READ_H
#define SR_H5READ_H

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/base/error.h"

/* The root attribute trials: how many values every /trials dataset holds. */
typedef struct {
    bool known;   /* false when the file does not say */
    uint64_t n;
} sr_h5_trials;

/* What the root of a result set says of how it was made. Strings are malloc'd, NULL when
 * absent, and as the file holds them (not yet made printable). */
typedef struct {
    char *scenario;           /* /scenario: the scenario text as run */
    sr_h5_trials trials;
    bool has_seed;
    uint64_t seed;
    char *sirisk_version, *rng, *created_utc;
} sr_h5_provenance;

/* Reads the provenance of the result set at root (a file's root group). */
int sr_h5_read_provenance(hid_t root, sr_h5_provenance *p, sr_error *err);
void sr_h5_provenance_clear(sr_h5_provenance *p);

/* Checks that every dataset of level/trials holds trials->n values (nothing to check when
 * the root does not say, or the level has no trials group). */
int sr_h5_check_trials(hid_t level, const sr_h5_trials *trials, sr_error *err);

/* One metric of a level's summary group. */
typedef struct {
    char *units;              /* the units attribute, malloc'd; NULL when absent */
    double deterministic;     /* deterministic/<name>; NaN when absent */
    uint64_t n_nan;           /* trials left out of its statistics: without a value, */
    uint64_t n_infinite;      /* and infinite (0 where the file does not say) */
} sr_h5_metric;

/* Reads metric `name` of the summary group sg: its units, the n_stats statistics named in
 * stats into values[n_stats] (NaN where absent), its deterministic value from the group dg
 * (skipped when dg is H5I_INVALID_HID) and the counts of trials left out, which together
 * must not exceed the trials. *found is false, and nothing read, when name links to
 * something that is not a dataset (no metric: a group, or something newer). Free m with
 * sr_h5_metric_clear, whatever the outcome. */
int sr_h5_read_metric(hid_t sg, hid_t dg, const char *name, const char *const *stats,
                      size_t n_stats, const sr_h5_trials *trials, double *values,
                      sr_h5_metric *m, bool *found, sr_error *err);
void sr_h5_metric_clear(sr_h5_metric *m);

/* Statistic `stat` (an attribute of summary/<metric>: "mean", "q05", "es95", ...) of
 * level/summary/<metric>; NaN when the level, the metric or the statistic is absent.
 * Failures are sticky: once *rc is not 0 nothing is read and NaN returned, so that a
 * report reads its cells in plain expressions and checks *rc once before printing. */
double sr_h5_read_stat(hid_t level, const char *metric, const char *stat, int *rc,
                       sr_error *err);

/* The units attribute of level/summary/<metric>, malloc'd into *units; NULL when the
 * metric or its units are absent. */
int sr_h5_read_units(hid_t level, const char *metric, char **units, sr_error *err);

/* Receives count trials (from trial first on) of the columns asked for: column j's values
 * at columns[j][0 .. count - 1]. Returns 0 to go on, or an error code (with err) to stop. */
typedef int (*sr_h5_block_fn)(void *ctx, uint64_t first, const double *const *columns,
                              size_t count, sr_error *err);

/* Reads the n_names datasets level/trials/<names[j]>, each of trials->n values (which must
 * be known), a block of trials at a time so that memory does not grow with the trials,
 * and hands every block to fn. *have is false, and fn never called, when the level lacks
 * any of them. */
int sr_h5_read_trials(hid_t level, const sr_h5_trials *trials, const char *const *names,
                      size_t n_names, sr_h5_block_fn fn, void *ctx, bool *have,
                      sr_error *err);

#endif
