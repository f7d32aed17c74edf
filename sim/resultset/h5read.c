/* A result set's figures read back from the file (never from memory), so that what a
 * report shows is what the file holds. Lenient about what it finds missing, strict about
 * what it finds: every object goes through the checks of h5check.h, so that a crafted file
 * is refused, naming the object, before it can cost more than it stores. HDF5 runs on the
 * calling thread. */
#include "sim/resultset/h5read.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/resultset/h5check.h"

/* A trials dataset is read this many values at a time (512 KiB of float64), so that memory
 * does not grow with the trials. */
#define BLOCK_VALUES 65536

int sr_h5_read_provenance(hid_t root, sr_h5_provenance *p, sr_error *err)
{
    memset(p, 0, sizeof *p);
    int rc;
    if ((rc = sr_h5check_text(root, "scenario", SR_H5_MAX_TEXT_BYTES, &p->scenario,
                              err)) != 0 ||
        (rc = sr_h5check_attr_uint(root, "trials", 1, SR_H5_MAX_TRIALS, &p->trials.n,
                                   &p->trials.known, err)) != 0 ||
        (rc = sr_h5check_attr_uint(root, "seed", 0, UINT64_MAX, &p->seed, &p->has_seed,
                                   err)) != 0 ||
        (rc = sr_h5check_attr_text(root, "sirisk_version", SR_H5_MAX_LABEL_BYTES,
                                   &p->sirisk_version, err)) != 0 ||
        (rc = sr_h5check_attr_text(root, "rng", SR_H5_MAX_LABEL_BYTES, &p->rng, err)) != 0)
        return rc;
    return sr_h5check_attr_text(root, "created_utc", SR_H5_MAX_LABEL_BYTES, &p->created_utc,
                                err);
}

void sr_h5_provenance_clear(sr_h5_provenance *p)
{
    free(p->scenario);
    free(p->sirisk_version);
    free(p->rng);
    free(p->created_utc);
    memset(p, 0, sizeof *p);
}

int sr_h5_check_trials(hid_t level, const sr_h5_trials *trials, sr_error *err)
{
    hid_t tg;
    if (!trials->known)
        return 0;
    int rc = sr_h5check_group(level, "trials", &tg, err);
    if (rc != 0 || tg < 0)
        return rc;
    sr_h5_names names;
    rc = sr_h5check_names(tg, SR_H5_MAX_LINKS, &names, err);
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        hid_t ds;
        rc = sr_h5check_vector(tg, names.name[i], trials->n, "the root attribute trials", &ds,
                               err);
        if (rc == 0)
            H5Oclose(ds);
    }
    sr_h5_names_clear(&names);
    H5Gclose(tg);
    return rc;
}

int sr_h5_read_metric(hid_t sg, hid_t dg, const char *name, const char *const *stats,
                      size_t n_stats, const sr_h5_trials *trials, double *values,
                      sr_h5_metric *m, bool *found, sr_error *err)
{
    memset(m, 0, sizeof *m);
    m->deterministic = NAN;
    *found = false;
    hid_t ds;
    int rc = sr_h5check_open(sg, name, &ds, err);
    if (rc != 0 || ds < 0)
        return rc;
    if (H5Iget_type(ds) != H5I_DATASET) {
        H5Oclose(ds);
        return 0;
    }
    *found = true;
    bool present;
    rc = sr_h5check_attr_text(ds, "units", SR_H5_MAX_LABEL_BYTES, &m->units, err);
    for (size_t c = 0; rc == 0 && c < n_stats; c++)
        rc = sr_h5check_attr_f64(ds, stats[c], &values[c], &present, err);
    if (rc == 0 && dg >= 0)
        rc = sr_h5check_f64(dg, name, &m->deterministic, &present, err);
    const uint64_t most = trials->known ? trials->n : SR_H5_MAX_TRIALS;
    if (rc == 0)
        rc = sr_h5check_attr_uint(ds, "n_nan", 0, most, &m->n_nan, &present, err);
    if (rc == 0)
        rc = sr_h5check_attr_uint(ds, "n_infinite", 0, most, &m->n_infinite, &present, err);
    if (rc == 0 && m->n_nan > most - m->n_infinite)
        rc = sr_h5check_refuse(ds, NULL, err, "n_nan (%" PRIu64 ") and n_infinite (%" PRIu64
                               ") count more than the %" PRIu64 " trials", m->n_nan,
                               m->n_infinite, most);
    H5Oclose(ds);
    return rc;
}

void sr_h5_metric_clear(sr_h5_metric *m)
{
    free(m->units);
    m->units = NULL;
}

/* Opens level/summary/<metric>: *ds is H5I_INVALID_HID when the level has no such metric
 * (or something that is not a dataset by its name). */
static int open_metric(hid_t level, const char *metric, hid_t *ds, sr_error *err)
{
    hid_t sg;
    *ds = H5I_INVALID_HID;
    int rc = sr_h5check_group(level, "summary", &sg, err);
    if (rc != 0 || sg < 0)
        return rc;
    rc = sr_h5check_open(sg, metric, ds, err);
    if (rc == 0 && *ds >= 0 && H5Iget_type(*ds) != H5I_DATASET) {
        H5Oclose(*ds);
        *ds = H5I_INVALID_HID;
    }
    H5Gclose(sg);
    return rc;
}

double sr_h5_read_stat(hid_t level, const char *metric, const char *stat, int *rc,
                       sr_error *err)
{
    double v = NAN;
    hid_t ds;
    bool found;
    if (*rc != 0 || (*rc = open_metric(level, metric, &ds, err)) != 0 || ds < 0)
        return NAN;
    *rc = sr_h5check_attr_f64(ds, stat, &v, &found, err);
    H5Oclose(ds);
    return v;
}

int sr_h5_read_units(hid_t level, const char *metric, char **units, sr_error *err)
{
    hid_t ds;
    *units = NULL;
    int rc = open_metric(level, metric, &ds, err);
    if (rc != 0 || ds < 0)
        return rc;
    rc = sr_h5check_attr_text(ds, "units", SR_H5_MAX_LABEL_BYTES, units, err);
    H5Oclose(ds);
    return rc;
}

int sr_h5_read_trials(hid_t level, const sr_h5_trials *trials, const char *const *names,
                      size_t n_names, sr_h5_block_fn fn, void *ctx, bool *have,
                      sr_error *err)
{
    hid_t tg;
    *have = false;
    int rc = sr_h5check_group(level, "trials", &tg, err);
    if (rc != 0 || tg < 0)
        return rc;
    hid_t *ds = malloc(n_names * sizeof *ds);
    double **block = calloc(n_names, sizeof *block);
    for (size_t j = 0; ds != NULL && j < n_names; j++)
        ds[j] = H5I_INVALID_HID;
    if (ds == NULL || block == NULL) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    /* every column is checked, even after one that is absent */
    bool all = true;
    for (size_t j = 0; rc == 0 && j < n_names; j++) {
        rc = sr_h5check_vector(tg, names[j], trials->n, "the root attribute trials", &ds[j],
                               err);
        all = all && ds[j] >= 0;
    }
    if (rc != 0 || !all)
        goto done;
    for (size_t j = 0; j < n_names; j++)
        if ((block[j] = malloc(BLOCK_VALUES * sizeof *block[j])) == NULL) {
            rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
            goto done;
        }
    const sr_h5_shape shape = {.rank = 1, .dims = {trials->n, 1}};
    for (uint64_t first = 0; rc == 0 && first < trials->n; first += BLOCK_VALUES) {
        hsize_t n = trials->n - first < BLOCK_VALUES ? trials->n - first : BLOCK_VALUES;
        for (size_t j = 0; rc == 0 && j < n_names; j++)
            rc = sr_h5check_read_rows(ds[j], &shape, first, n, block[j], err);
        if (rc == 0)
            rc = fn(ctx, first, (const double *const *)block, (size_t)n, err);
    }
    *have = rc == 0;
done:
    for (size_t j = 0; ds != NULL && j < n_names; j++)
        if (ds[j] >= 0)
            H5Oclose(ds[j]);
    for (size_t j = 0; block != NULL && j < n_names; j++)
        free(block[j]);
    free(block);
    free(ds);
    H5Gclose(tg);
    return rc;
}
