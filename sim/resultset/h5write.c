/* Why a result file looks as it does (docs/results.md), and how it is written so that it is
 * either complete or absent and reproducible to the byte but for created_utc.
 *
 * Every HDF5 call's status is checked; a failure closes whatever the function opened,
 * names the object, and travels up as SR_EXIT_IOERR. HDF5 runs on the calling thread only:
 * the serial library is not thread-safe, so this file is never entered from a parallel
 * region. */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */

#include "sim/resultset/h5write.h"

#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_version.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "sim/resultset/h5util.h"
#include "models/size.h"
#include "models/summary.h"
#include "sim/resultset/outfile.h"
#include "sim/resultset/sha256.h"

/* Datasets with more values than this are chunked and compressed; smaller ones are
 * contiguous (a chunk index would cost more than it saves). */
#define SR_H5_COMPRESS_MIN 4096
/* Values per chunk of a compressed dataset: 256 KiB of float64, a good deflate unit. */
#define SR_H5_CHUNK_VALUES 32768
#define SR_H5_DEFLATE_LEVEL 4

#define SR_UNITS_ANNUAL "DKK (nominal, per calendar year)"

static const char tail_definition[] =
    "Quantiles interpolate linearly between order statistics of the finite values (as "
    "gsl_stats_quantile_from_sorted_data). Values, not losses: lower is worse. "
    "var95 and var99 are the 5% and 1% quantiles; es95 and es99 the means of the values at "
    "or below them (lower tail). es95_upper and es99_upper are the means of the values at or "
    "above the 95% and 99% quantiles (upper tail, for cost-like metrics). mcse = sd / "
    "sqrt(number of finite values), sd with divisor n - 1; p_negative is the share of finite "
    "values below 0; n_nan counts NaN values and n_infinite infinite ones (+inf or -inf), "
    "which no other statistic includes.";

/* ---- property lists ------------------------------------------------------------------ */

/* Creation property lists of groups and datasets: no timestamps (reproducible files). Groups also
 * track link creation order, so that readers list metrics as written. */
static hid_t gcpl_create(void)
{
    hid_t p = H5Pcreate(H5P_GROUP_CREATE);
    if (p < 0)
        return H5I_INVALID_HID;
    if (H5Pset_obj_track_times(p, 0) < 0 ||
        H5Pset_link_creation_order(p, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
        H5Pclose(p);
        return H5I_INVALID_HID;
    }
    return p;
}

/* A dataset creation property list for a dataset of the given shape: timestamps off, and
 * chunked (along the first dimension) with shuffle and deflate when it is large. */
static hid_t dcpl_create(int rank, const hsize_t *dims)
{
    hid_t p = H5Pcreate(H5P_DATASET_CREATE);
    if (p < 0)
        return H5I_INVALID_HID;
    if (H5Pset_obj_track_times(p, 0) < 0)
        goto fail;
    hsize_t n = 1, row = 1;
    for (int d = 0; d < rank; d++) {
        n *= dims[d];
        row *= d > 0 ? dims[d] : 1;
    }
    if (rank > 0 && n > SR_H5_COMPRESS_MIN && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
        hsize_t chunk[H5S_MAX_RANK];
        memcpy(chunk, dims, (size_t)rank * sizeof *chunk);
        chunk[0] = SR_H5_CHUNK_VALUES / row > 0 ? SR_H5_CHUNK_VALUES / row : 1;
        if (chunk[0] > dims[0])
            chunk[0] = dims[0];
        if (H5Pset_chunk(p, rank, chunk) < 0 || H5Pset_shuffle(p) < 0 ||
            H5Pset_deflate(p, SR_H5_DEFLATE_LEVEL) < 0)
            goto fail;
    }
    return p;
fail:
    H5Pclose(p);
    return H5I_INVALID_HID;
}

/* ---- attributes ---------------------------------------------------------------------- */

/* Writes attribute name on obj: rank 0 is a scalar, else dims[rank]. */
static int attr_write(hid_t obj, const char *name, hid_t file_type, hid_t mem_type,
                      int rank, const hsize_t *dims, const void *buf, sr_error *err)
{
    hid_t space = H5I_INVALID_HID, attr = H5I_INVALID_HID;
    space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims, NULL);
    if (space < 0)
        goto fail;
    attr = H5Acreate2(obj, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, mem_type, buf) < 0)
        goto fail;
    if (H5Aclose(attr) < 0) {
        attr = H5I_INVALID_HID;
        goto fail;
    }
    H5Sclose(space);
    return 0;
fail:
    sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot write attribute '%s'", name);
    if (attr >= 0)
        H5Aclose(attr);
    if (space >= 0)
        H5Sclose(space);
    return SR_EXIT_IOERR;
}

static int attr_f64(hid_t obj, const char *name, double v, sr_error *err)
{
    return attr_write(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, NULL, &v, err);
}

static int attr_f64_vec(hid_t obj, const char *name, const double *v, size_t n,
                        sr_error *err)
{
    hsize_t dims[1] = {n};
    return attr_write(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, dims, v, err);
}

static int attr_i32(hid_t obj, const char *name, int32_t v, sr_error *err)
{
    return attr_write(obj, name, H5T_STD_I32LE, H5T_NATIVE_INT32, 0, NULL, &v, err);
}

static int attr_u64(hid_t obj, const char *name, uint64_t v, sr_error *err)
{
    return attr_write(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, NULL, &v, err);
}

/* A variable-length UTF-8 string attribute (h5py reads it as str). */
static int attr_str(hid_t obj, const char *name, const char *v, sr_error *err)
{
    hid_t t = sr_h5_str_type();
    if (t < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot make the string type of '%s'",
                          name);
    int rc = attr_write(obj, name, t, t, 0, NULL, &v, err);
    H5Tclose(t);
    return rc;
}

/* The two attributes every dataset carries. */
static int attr_labels(hid_t obj, const char *units, const char *description, sr_error *err)
{
    int rc = attr_str(obj, "units", units, err);
    return rc != 0 ? rc : attr_str(obj, "description", description, err);
}

/* ---- groups and datasets ------------------------------------------------------------- */

/* A name given to a group or dataset must name one link: non-empty, without '/' (which
 * would nest groups) and other than "." (the group itself). */
static int check_link_name(hid_t loc, const char *name, sr_error *err)
{
    if (name == NULL || name[0] == '\0' || strchr(name, '/') != NULL || strcmp(name, ".") == 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, loc,
                          "'%s' cannot name a group or dataset (empty, '.' or containing '/')",
                          name != NULL ? name : "(null)");
    return 0;
}

hid_t sr_h5_group_create(hid_t loc, const char *name, sr_error *err)
{
    if (check_link_name(loc, name, err) != 0)
        return H5I_INVALID_HID;
    hid_t gcpl = gcpl_create();
    if (gcpl < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot make the property list of group '%s'",
                   name);
        return H5I_INVALID_HID;
    }
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (g < 0)
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot create group '%s'", name);
    H5Pclose(gcpl);
    return g;
}

hid_t sr_h5_group_open(hid_t loc, const char *path, sr_error *err)
{
    hid_t g = H5Gopen2(loc, path, H5P_DEFAULT);
    if (g < 0)
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot open group '%s'", path);
    return g;
}

int sr_h5_close(hid_t id, sr_error *err)
{
    H5I_type_t type = H5Iget_type(id);
    char name[512] = "";
    if (H5Iget_name(id, name, sizeof name) < 0)
        name[0] = '\0';
    herr_t st = type == H5I_DATASET ? H5Dclose(id) : H5Oclose(id);
    if (st < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "%s: cannot close", name);
    return 0;
}

void sr_h5_abandon(hid_t id)
{
    if (id >= 0 && H5Iis_valid(id) > 0)
        H5Oclose(id);
}

/* Creates and writes a dataset of file_type from data of mem_type (rank 0: scalar) with its
 * units and description, and returns it open for further attributes; H5I_INVALID_HID and
 * err filled on failure. dcpl is the caller's. */
static hid_t dataset_typed(hid_t loc, const char *name, hid_t file_type, hid_t mem_type,
                           int rank, const hsize_t *dims, hid_t dcpl, const void *data,
                           const char *units, const char *description, sr_error *err)
{
    if (check_link_name(loc, name, err) != 0)
        return H5I_INVALID_HID;
    hid_t space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims, NULL);
    hid_t ds = H5I_INVALID_HID;
    if (space < 0 || dcpl < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot prepare dataset '%s'", name);
        goto fail;
    }
    ds = H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (ds < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot create dataset '%s'", name);
        goto fail;
    }
    if (H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, ds, "cannot write the values");
        goto fail;
    }
    if (attr_labels(ds, units, description, err) != 0)
        goto fail;
    H5Sclose(space);
    return ds;
fail:
    if (ds >= 0)
        H5Dclose(ds);
    if (space >= 0)
        H5Sclose(space);
    return H5I_INVALID_HID;
}

/* A float64 dataset, chunked and compressed where large. */
static hid_t dataset_f64(hid_t loc, const char *name, int rank, const hsize_t *dims,
                         const double *data, const char *units, const char *description,
                         sr_error *err)
{
    hid_t dcpl = dcpl_create(rank, dims);
    hid_t ds = dataset_typed(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, rank, dims, dcpl,
                             data, units, description, err);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    return ds;
}

/* A string attribute: a scalar for one value, a 1-D array for several. */
static int attr_texts(hid_t obj, const sr_h5_text_attr *a, sr_error *err)
{
    if (a->n == 1)
        return attr_str(obj, a->name, a->values[0], err);
    hid_t t = sr_h5_str_type();
    if (t < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot make the string type of '%s'",
                          a->name);
    const hsize_t dims[1] = {a->n};
    int rc = attr_write(obj, a->name, t, t, 1, dims, a->values, err);
    H5Tclose(t);
    return rc;
}

int sr_h5_write_floats(hid_t loc, const char *name, int rank, const hsize_t *dims,
                       const double *values, const char *units, const char *description,
                       const sr_h5_text_attr *attrs, size_t n_attrs, sr_error *err)
{
    hid_t ds = dataset_f64(loc, name, rank, dims, values, units, description, err);
    if (ds < 0)
        return SR_EXIT_IOERR;
    for (size_t k = 0; k < n_attrs; k++)
        if (attr_texts(ds, &attrs[k], err) != 0) {
            H5Dclose(ds);
            return SR_EXIT_IOERR;
        }
    return sr_h5_close(ds, err);
}

int sr_h5_write_columns(hid_t loc, const char *group, const sr_h5_column *cols,
                        size_t n_cols, size_t n_rows, sr_error *err)
{
    hid_t g = sr_h5_group_create(loc, group, err);
    if (g < 0)
        return SR_EXIT_IOERR;
    const hsize_t dims[1] = {n_rows};
    for (size_t c = 0; c < n_cols; c++)
        if (sr_h5_write_floats(g, cols[c].name, 1, dims, cols[c].values, cols[c].units,
                               cols[c].description, cols[c].attrs, cols[c].n_attrs, err) != 0) {
            H5Gclose(g);
            return SR_EXIT_IOERR;
        }
    return sr_h5_close(g, err);
}

int sr_h5_write_texts(hid_t loc, const char *name, int rank, const hsize_t *dims,
                      const char *const *text, const char *units, const char *description,
                      sr_error *err)
{
    hid_t t = sr_h5_str_type();
    hid_t dcpl = dcpl_create(0, NULL);   /* contiguous: a handful of short strings */
    hid_t ds = t < 0 ? H5I_INVALID_HID
                     : dataset_typed(loc, name, t, t, rank, dims, dcpl, text, units,
                                     description, err);
    if (t < 0)
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot prepare dataset '%s'", name);
    int rc = ds >= 0 ? sr_h5_close(ds, err) : SR_EXIT_IOERR;
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

/* ---- one level ----------------------------------------------------------------------- */

/* The buffers a level needs, allocated once per level: sizes in values. */
typedef struct {
    double *scratch;    /* [n_trials]: sorted finite values */
    double *column;     /* [n_trials]: one calendar year's flow over trials */
    double *quantiles;  /* [n_years * SR_N_QUANTILES] */
} level_work;

/* /trials/<metric>: float64[trials] in trial order. */
static int write_trials(hid_t loc, const sr_resultset *rs, const sr_level *lv, sr_error *err)
{
    sr_h5_column cols[SR_N_METRICS];
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        const sr_metric_def *mi = &sr_metrics[m];
        cols[m] = (sr_h5_column){.name = mi->name, .units = mi->units,
                                 .description = mi->description,
                                 .values = sr_level_trials(lv, rs->n_trials, m)};
    }
    return sr_h5_write_columns(loc, "trials", cols, SR_N_METRICS, rs->n_trials, err);
}

/* The summary statistics (docs/results.md) as attributes of obj. */
static int attr_summary(hid_t obj, const sr_summary *s, sr_error *err)
{
    const struct {
        const char *name;
        double value;
    } a[] = {
        {"mean", s->mean},   {"sd", s->sd},       {"mcse", s->mcse},
        {"min", s->min},     {"max", s->max},     {"var95", s->var95},
        {"var99", s->var99}, {"es95", s->es95},   {"es99", s->es99},
        {"es95_upper", s->es95_upper},            {"es99_upper", s->es99_upper},
        {"p_negative", s->p_negative},            {"n_nan", s->n_nan},
        {"n_infinite", s->n_infinite},
    };
    for (size_t i = 0; i < 5; i++)
        if (attr_f64(obj, a[i].name, a[i].value, err) != 0)
            return SR_EXIT_IOERR;
    for (size_t j = 0; j < SR_N_QUANTILES; j++)
        if (attr_f64(obj, sr_quantile_names[j], s->q[j], err) != 0)
            return SR_EXIT_IOERR;
    for (size_t i = 5; i < sizeof a / sizeof a[0]; i++)
        if (attr_f64(obj, a[i].name, a[i].value, err) != 0)
            return SR_EXIT_IOERR;
    return 0;
}

/* /summary/<metric>: a scalar holding the mean (so h5dump shows it), every statistic as an
 * attribute; the group states the tail definitions. */
static int write_summary(hid_t loc, const sr_resultset *rs, const sr_level *lv,
                         level_work *w, sr_error *err)
{
    hid_t g = sr_h5_group_create(loc, "summary", err);
    if (g < 0)
        return SR_EXIT_IOERR;
    if (attr_str(g, "tail_definition", tail_definition, err) != 0)
        goto fail;
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        const sr_metric_def *mi = &sr_metrics[m];
        sr_summary s;
        sr_summary_compute(sr_level_trials(lv, rs->n_trials, m), rs->n_trials, w->scratch,
                           &s);
        hid_t ds = dataset_f64(g, mi->name, 0, NULL, &s.mean, mi->units, mi->description,
                               err);
        if (ds < 0)
            goto fail;
        if (attr_summary(ds, &s, err) != 0) {
            H5Dclose(ds);
            goto fail;
        }
        if (sr_h5_close(ds, err) != 0)
            goto fail;
    }
    return sr_h5_close(g, err);
fail:
    H5Gclose(g);
    return SR_EXIT_IOERR;
}

/* /annual/<metric>: float64[years][9], the quantiles over trials of each calendar year's
 * nominal flow, for the metrics that have one. */
static int write_annual(hid_t loc, const sr_resultset *rs, const sr_level *lv,
                        level_work *w, sr_error *err)
{
    hid_t g = sr_h5_group_create(loc, "annual", err);
    if (g < 0)
        return SR_EXIT_IOERR;
    hsize_t dims[2] = {rs->n_years, SR_N_QUANTILES};
    for (size_t m = 0; m < SR_N_METRICS && rs->n_years > 0; m++) {
        const sr_metric_def *mi = &sr_metrics[m];
        if (!sr_metric_is((sr_metric)m, SR_METRIC_ANNUAL))
            continue;
        /* trial i's years follow trial i - 1's */
        const double *flows = sr_level_annual(lv, rs->n_trials, rs->n_years, m, 0);
        for (size_t y = 0; y < rs->n_years; y++) {
            for (size_t i = 0; i < rs->n_trials; i++)
                w->column[i] = flows[i * rs->n_years + y];
            sr_quantiles(w->column, rs->n_trials, w->scratch,
                         w->quantiles + y * SR_N_QUANTILES);
        }
        char description[1024];
        snprintf(description, sizeof description,
                 "Quantiles over trials (columns, at the levels of the attribute quantiles) "
                 "of the nominal flow in each calendar year (rows, from first_year) of: %s",
                 mi->description);
        hid_t ds = dataset_f64(g, mi->name, 2, dims, w->quantiles, SR_UNITS_ANNUAL,
                               description, err);
        if (ds < 0)
            goto fail;
        if (attr_i32(ds, "first_year", rs->first_year, err) != 0 ||
            attr_f64_vec(ds, "quantiles", sr_quantile_levels, SR_N_QUANTILES, err) != 0) {
            H5Dclose(ds);
            goto fail;
        }
        if (sr_h5_close(ds, err) != 0)
            goto fail;
    }
    return sr_h5_close(g, err);
fail:
    H5Gclose(g);
    return SR_EXIT_IOERR;
}

/* /deterministic/<metric>: the spreadsheet expectation (docs/model.md), a scalar. */
static int write_deterministic(hid_t loc, const sr_level *lv, sr_error *err)
{
    hid_t g = sr_h5_group_create(loc, "deterministic", err);
    if (g < 0)
        return SR_EXIT_IOERR;
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        const sr_metric_def *mi = &sr_metrics[m];
        hid_t ds = dataset_f64(g, mi->name, 0, NULL, &lv->deterministic[m], mi->units,
                               mi->description, err);
        if (ds < 0 || sr_h5_close(ds, err) != 0)
            goto fail;
    }
    return sr_h5_close(g, err);
fail:
    H5Gclose(g);
    return SR_EXIT_IOERR;
}

/* Elements of a level_work's quantiles: one row per year (at least one). */
static size_t work_quantiles(size_t n_years)
{
    return sr_size_mul(n_years > 0 ? n_years : 1, SR_N_QUANTILES);
}

double sr_h5_write_scratch_bytes(size_t n_trials, size_t n_years)
{
    return 2 * sr_array_bytes(n_trials, sizeof(double)) +
           sr_array_bytes(work_quantiles(n_years), sizeof(double));
}

int sr_h5_write_level(hid_t loc, const sr_resultset *rs, const sr_level *lv, sr_error *err)
{
    level_work w = {
        .scratch = malloc(rs->n_trials * sizeof *w.scratch),
        .column = malloc(rs->n_trials * sizeof *w.column),
        .quantiles = malloc(work_quantiles(rs->n_years) * sizeof *w.quantiles),
    };
    int rc = SR_EXIT_IOERR;
    if (w.scratch == NULL || w.column == NULL || w.quantiles == NULL) {
        rc = sr_h5_fail(err, SR_EXIT_SOFTWARE, loc, "out of memory for the summary of %zu "
                        "trials", rs->n_trials);
        goto done;
    }
    if (write_trials(loc, rs, lv, err) == 0 && write_summary(loc, rs, lv, &w, err) == 0 &&
        write_annual(loc, rs, lv, &w, err) == 0 && write_deterministic(loc, lv, err) == 0)
        rc = 0;
done:
    free(w.scratch);
    free(w.column);
    free(w.quantiles);
    return rc;
}

/* ---- the root layout ----------------------------------------------------------------- */

/* /scenario: the scenario text as run, a scalar variable-length UTF-8 string. */
static int write_scenario(hid_t loc, const char *text, sr_error *err)
{
    hid_t t = sr_h5_str_type();
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t dcpl = dcpl_create(0, NULL);
    hid_t ds = H5I_INVALID_HID;
    int rc = SR_EXIT_IOERR;
    if (t < 0 || space < 0 || dcpl < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot prepare dataset 'scenario'");
        goto done;
    }
    ds = H5Dcreate2(loc, "scenario", t, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (ds < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot create dataset 'scenario'");
        goto done;
    }
    if (H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, ds, "cannot write the scenario text");
        goto done;
    }
    if (attr_labels(ds, "text (YAML)",
                    "The scenario as run, with every override applied.", err) != 0)
        goto done;
    rc = sr_h5_close(ds, err);
    ds = H5I_INVALID_HID;
done:
    if (ds >= 0)
        H5Dclose(ds);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

/* The root attributes: the result set's provenance. */
static int write_root_attrs(hid_t loc, const sr_resultset *rs, const char *scenario,
                            sr_error *err)
{
    char created[32];
    time_t now = time(NULL);
    struct tm utc;
    if (now == (time_t)-1 || gmtime_r(&now, &utc) == NULL ||
        strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0)
        snprintf(created, sizeof created, "unknown");

    char sha[SR_SHA256_HEX_CHARS];
    sr_sha256_hex(scenario, strlen(scenario), sha);

    unsigned maj = 0, min = 0, rel = 0;
    char hdf5_version[64];
    if (H5get_libversion(&maj, &min, &rel) < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot ask HDF5 its version");
    snprintf(hdf5_version, sizeof hdf5_version, "%u.%u.%u", maj, min, rel);

    if (attr_str(loc, "sirisk_version", SIRISK_VERSION, err) != 0 ||
        attr_i32(loc, "format_version", SR_H5_FORMAT_VERSION, err) != 0 ||
        attr_str(loc, "created_utc", created, err) != 0 ||
        attr_u64(loc, "seed", rs->seed, err) != 0 ||
        attr_u64(loc, "trials", (uint64_t)rs->n_trials, err) != 0 ||
        attr_str(loc, "scenario_sha256", sha, err) != 0 ||
        attr_str(loc, "rng", rs->rng_name != NULL ? rs->rng_name : "", err) != 0 ||
        attr_str(loc, "gsl_version", gsl_version, err) != 0 ||
        attr_str(loc, "hdf5_version", hdf5_version, err) != 0 ||
        attr_str(loc, "libyaml_version", yaml_get_version_string(), err) != 0)
        return SR_EXIT_IOERR;
    return 0;
}

static int write_programmes(hid_t loc, const sr_resultset *rs, sr_error *err)
{
    hid_t g = sr_h5_group_create(loc, "programmes", err);
    if (g < 0)
        return SR_EXIT_IOERR;
    for (size_t p = 0; p < rs->n_programmes; p++) {
        hid_t pg = sr_h5_group_create(g, rs->programme_names[p], err);
        if (pg < 0)
            goto fail;
        if (sr_h5_write_level(pg, rs, &rs->programme[p], err) != 0) {
            H5Gclose(pg);
            goto fail;
        }
        if (sr_h5_close(pg, err) != 0)
            goto fail;
    }
    return sr_h5_close(g, err);
fail:
    H5Gclose(g);
    return SR_EXIT_IOERR;
}

/* /parameters/<name>: each trial's draw of each named parameter and of each other number
 * given as a distribution, with its key path as the attribute `path`. */
static int write_parameters(hid_t loc, const sr_resultset *rs, sr_error *err)
{
    if (rs->n_parameters == 0)
        return 0;
    sr_h5_column *cols = calloc(rs->n_parameters, sizeof *cols);
    sr_h5_text_attr *paths = calloc(rs->n_parameters, sizeof *paths);
    if (cols == NULL || paths == NULL) {
        free(cols);
        free(paths);
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory writing /parameters");
    }
    for (size_t k = 0; k < rs->n_parameters; k++) {
        const bool named = strncmp(rs->parameter_paths[k], "parameters.", 11) == 0;
        paths[k] = (sr_h5_text_attr){"path", (const char *const *)&rs->parameter_paths[k], 1};
        cols[k] = (sr_h5_column){
            .name = rs->parameter_names[k],
            .units = named ? "as the keys that refer to the parameter" : "as the key",
            .description = named ? "Each trial's draw of the named parameter, shared by every "
                                   "key that refers to it."
                                 : "Each trial's draw of the number the key (attribute path) "
                                   "gives as a distribution.",
            .values = rs->parameters + k * rs->n_trials,
            .attrs = &paths[k],
            .n_attrs = 1};
    }
    int rc = sr_h5_write_columns(loc, "parameters", cols, rs->n_parameters, rs->n_trials, err);
    free(cols);
    free(paths);
    return rc;
}

/* /macro/<stat>: each trial's macro path in one number, to condition results on it. */
static int write_macro(hid_t loc, const sr_resultset *rs, sr_error *err)
{
    const sr_h5_column cols[] = {
        {.name = "recession_months", .units = "months",
         .description = "Months of the horizon in recession (regime model; 0 otherwise).",
         .values = rs->recession_months},
        {.name = "factor_mean", .units = "standard deviations of the factor",
         .description = "Mean of the standard normal macro factor over the horizon "
                        "(gaussian factor model; 0 otherwise).",
         .values = rs->factor_mean},
    };
    return sr_h5_write_columns(loc, "macro", cols, 2, rs->n_trials, err);
}

int sr_h5_write_layout(hid_t loc, const sr_resultset *rs, sr_error *err)
{
    const char *scenario = rs->scenario_text != NULL ? rs->scenario_text : "";
    if (rs->n_trials == 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, loc, "a result set without trials");
    if (write_root_attrs(loc, rs, scenario, err) != 0 ||
        write_scenario(loc, scenario, err) != 0 ||
        sr_h5_write_level(loc, rs, &rs->portfolio, err) != 0 ||
        write_programmes(loc, rs, err) != 0 || write_parameters(loc, rs, err) != 0 ||
        (rs->recession_months != NULL && write_macro(loc, rs, err) != 0))
        return SR_EXIT_IOERR;
    return 0;
}

/* ---- the file: a temporary beside the target, renamed when complete ----------------- */

struct sr_h5_file {
    sr_outfile out;   /* the target and the temporary file */
    hid_t file;       /* open on out.tmp until completed */
    hid_t root;       /* the root group */
    bool complete;    /* closed and flushed: ready to be published */
};

/* Copies the bytes of the file source into fd. 0, or SR_EXIT_IOERR naming source. */
static int copy_bytes(const char *source, int fd, sr_error *err)
{
    int in = open(source, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return sr_error_set(err, SR_EXIT_IOERR, "%s: cannot open: %s", source, strerror(errno));
    char buf[1 << 16];
    int rc = 0;
    for (;;) {
        ssize_t got = read(in, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got < 0)
                rc = sr_error_set(err, SR_EXIT_IOERR, "%s: cannot read: %s", source,
                                  strerror(errno));
            break;
        }
        for (ssize_t done = 0; rc == 0 && done < got;) {
            ssize_t put = write(fd, buf + done, (size_t)(got - done));
            if (put < 0 && errno == EINTR)
                continue;
            if (put < 0)
                rc = sr_error_set(err, SR_EXIT_IOERR, "cannot copy %s: %s", source,
                                  strerror(errno));
            else
                done += put;
        }
        if (rc != 0)
            break;
    }
    close(in);
    return rc;
}

/* The file at path under construction: a new file, or (source not NULL) a byte copy of
 * the file source opened for writing. */
static sr_h5_file *file_open(const char *path, const char *source, sr_error *err)
{
    sr_h5_quiet();
    sr_h5_file *f = calloc(1, sizeof *f);
    if (f == NULL) {
        sr_error_set(err, SR_EXIT_SOFTWARE, "%s: out of memory", path);
        return NULL;
    }
    f->out.fd = -1;
    f->file = f->root = H5I_INVALID_HID;
    hid_t fcpl = H5I_INVALID_HID, fapl = H5I_INVALID_HID;
    if (sr_outfile_check(path, false, err) != 0 || sr_outfile_create(&f->out, path, err) != 0)
        goto fail;

    /* The file creation list is a group creation list too: it sets up the root group. */
    fcpl = H5Pcreate(H5P_FILE_CREATE);
    fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fcpl < 0 || fapl < 0 || H5Pset_obj_track_times(fcpl, 0) < 0 ||
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        /* closing the file with objects still open is a bug: make it an error */
        H5Pset_fclose_degree(fapl, H5F_CLOSE_SEMI) < 0 ||
        /* The temporary is private and sr_outfile holds its lock; HDF5's exclusive flock
         * would conflict with that lock where flock is emulated by fcntl locks (NFS). */
        H5Pset_file_locking(fapl, false, true) < 0 ||
        /* An object's metadata leaves memory when the object is closed: HDF5 otherwise
         * keeps every decoded object header of the file until the file is closed (4.2 MiB
         * per result set of one programme, attributes included, measured), so that the
         * memory of a file of several result sets, written one at a time, would grow
         * with the number of its result sets. */
        H5Pset_evict_on_close(fapl, true) < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID,
                   "cannot make the property lists of a result file");
        sr_error_prefix(err, "%s", path);
        goto fail;
    }
    if (source != NULL && copy_bytes(source, f->out.fd, err) != 0)
        goto fail;
    f->file = source != NULL ? H5Fopen(f->out.tmp, H5F_ACC_RDWR, fapl)
                             : H5Fcreate(f->out.tmp, H5F_ACC_TRUNC, fcpl, fapl);
    if (f->file < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "cannot %s HDF5 file '%s'",
                   source != NULL ? "open the copied" : "create", f->out.tmp);
        sr_error_prefix(err, "%s", path);
        goto fail;
    }
    f->root = H5Gopen2(f->file, "/", H5P_DEFAULT);
    if (f->root < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, f->file, "cannot open the root group");
        sr_error_prefix(err, "%s", path);
        goto fail;
    }
    H5Pclose(fcpl);
    H5Pclose(fapl);
    return f;
fail:
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (fapl >= 0)
        H5Pclose(fapl);
    sr_h5_file_abort(f);
    return NULL;
}

sr_h5_file *sr_h5_file_create(const char *path, sr_error *err)
{
    return file_open(path, NULL, err);
}

sr_h5_file *sr_h5_file_copy(const char *source, const char *path, sr_error *err)
{
    return file_open(path, source, err);
}

hid_t sr_h5_file_root(const sr_h5_file *f)
{
    return f->root;
}

const char *sr_h5_file_temp_path(const sr_h5_file *f)
{
    return f->out.tmp;
}

/* Closes every object still open in the file, then the file. After a failed write (a full
 * disk) objects may be left open and the file's close may fail. */
static void close_everything(hid_t file)
{
    ssize_t n = H5Fget_obj_count(file, H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE |
                                           H5F_OBJ_ATTR | H5F_OBJ_LOCAL);
    if (n > 0) {
        hid_t *ids = malloc((size_t)n * sizeof *ids);
        if (ids != NULL) {
            n = H5Fget_obj_ids(file, H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE |
                                         H5F_OBJ_ATTR | H5F_OBJ_LOCAL,
                               (size_t)n, ids);
            for (ssize_t i = 0; i < n; i++) {
                H5I_type_t type = H5Iget_type(ids[i]);
                if (type == H5I_ATTR)
                    H5Aclose(ids[i]);
                else if (type == H5I_DATASET)
                    H5Dclose(ids[i]);
                else if (type == H5I_DATATYPE)
                    H5Tclose(ids[i]);
                else
                    H5Gclose(ids[i]);
            }
            free(ids);
        }
    }
    /* One attempt only: after a close that failed to flush, HDF5 1.10 crashes on a second
     * (main switches HDF5's own close at exit off for the same reason). */
    H5Fclose(file);
}

void sr_h5_file_abort(sr_h5_file *f)
{
    if (f == NULL)
        return;
    if (f->root >= 0)
        H5Gclose(f->root);
    if (f->file >= 0)
        close_everything(f->file);
    H5Eclear2(H5E_DEFAULT);
    sr_outfile_discard(&f->out);
    free(f);
}

int sr_h5_file_complete(sr_h5_file *f, sr_error *err)
{
    if (f->complete)
        return 0;
    herr_t root_st = H5Gclose(f->root);
    f->root = H5I_INVALID_HID;
    herr_t file_st = -1;
    if (root_st >= 0) {
        file_st = H5Fclose(f->file);
        f->file = H5I_INVALID_HID;   /* never closed twice, even when the close failed */
    }
    if (root_st < 0 || file_st < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "cannot close the HDF5 file");
        sr_error_prefix(err, "%s", f->out.path);
        return SR_EXIT_IOERR;
    }
    if (sr_outfile_flush(&f->out, err) != 0)
        return SR_EXIT_IOERR;
    f->complete = true;
    return 0;
}

int sr_h5_file_commit(sr_h5_file *f, sr_error *err)
{
    int rc = sr_h5_file_complete(f, err);
    if (rc == 0)
        rc = sr_outfile_publish(&f->out, err);   /* removes the temporary if it fails */
    sr_h5_file_abort(f);   /* what is left of f: nothing open, no temporary */
    return rc;
}

int sr_h5_write(const char *path, const sr_resultset *rs, sr_error *err)
{
    sr_h5_file *f = sr_h5_file_create(path, err);
    if (f == NULL)
        return SR_EXIT_IOERR;
    if (sr_h5_write_layout(sr_h5_file_root(f), rs, err) != 0) {
        sr_error_prefix(err, "%s", path);
        sr_h5_file_abort(f);
        return SR_EXIT_IOERR;
    }
    return sr_h5_file_commit(f, err);
}

/* Makes the group loc a second name of the layout of rs already written in the group
 * from: the root attributes, and hard links to the objects sr_h5_write_layout wrote. */
static int link_layout(hid_t loc, hid_t from, const sr_resultset *rs, sr_error *err)
{
    static const char *const objects[] = {"scenario", "trials", "summary", "annual",
                                          "deterministic", "programmes", "parameters",
                                          "macro"};
    const char *scenario = rs->scenario_text != NULL ? rs->scenario_text : "";
    if (write_root_attrs(loc, rs, scenario, err) != 0)
        return SR_EXIT_IOERR;
    for (size_t k = 0; k < sizeof objects / sizeof *objects; k++) {
        if (H5Lexists(from, objects[k], H5P_DEFAULT) <= 0)
            continue;
        if (H5Lcreate_hard(from, objects[k], loc, objects[k], H5P_DEFAULT, H5P_DEFAULT) < 0)
            return sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot link '%s'", objects[k]);
    }
    return 0;
}

int sr_h5_write_layout_group(hid_t loc, const char *name, hid_t linked_from,
                             const sr_resultset *rs, sr_error *err)
{
    hid_t g = sr_h5_group_create(loc, name, err);
    if (g < 0)
        return SR_EXIT_IOERR;
    int rc = linked_from >= 0 ? link_layout(g, linked_from, rs, err)
                              : sr_h5_write_layout(g, rs, err);
    if (rc != 0) {
        H5Gclose(g);
        return SR_EXIT_IOERR;
    }
    return sr_h5_close(g, err);
}

int sr_h5_attr_f64(hid_t obj, const char *name, double v, sr_error *err)
{
    return attr_f64(obj, name, v, err);
}

int sr_h5_attr_text(hid_t obj, const sr_h5_text_attr *a, sr_error *err)
{
    return attr_texts(obj, a, err);
}
