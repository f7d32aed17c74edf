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
#include "sim/resultset/h5years.h"
#include "models/size.h"
#include "models/summary.h"
#include "sim/resultset/outfile.h"
#include "sim/resultset/sha256.h"

static const char tail_definition[] =
    "Quantiles interpolate linearly between order statistics of the finite values (as "
    "gsl_stats_quantile_from_sorted_data). Values, not losses: lower is worse. "
    "var95 and var99 are the 5% and 1% quantiles; es95 and es99 the means of the values at "
    "or below them (lower tail). es95_upper and es99_upper are the means of the values at or "
    "above the 95% and 99% quantiles (upper tail, for cost-like metrics). mcse = sd / "
    "sqrt(number of finite values), sd with divisor n - 1; p_negative is the share of finite "
    "values below 0; n_nan counts NaN values and n_infinite infinite ones (+inf or -inf), "
    "which no other statistic includes.";

/* ---- one level ----------------------------------------------------------------------- */

/* The buffers a level's summary needs, allocated once per level: sizes in values. */
typedef struct {
    double *scratch;    /* [n_trials]: sorted finite values */
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
        if (sr_h5_attr_f64(obj, a[i].name, a[i].value, err) != 0)
            return SR_EXIT_IOERR;
    for (size_t j = 0; j < SR_N_QUANTILES; j++)
        if (sr_h5_attr_f64(obj, sr_quantile_names[j], s->q[j], err) != 0)
            return SR_EXIT_IOERR;
    for (size_t i = 5; i < sizeof a / sizeof a[0]; i++)
        if (sr_h5_attr_f64(obj, a[i].name, a[i].value, err) != 0)
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
    if (sr_h5_attr_str(g, "tail_definition", tail_definition, err) != 0)
        goto fail;
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        const sr_metric_def *mi = &sr_metrics[m];
        sr_summary s;
        sr_summary_compute(sr_level_trials(lv, rs->n_trials, m), rs->n_trials, w->scratch,
                           &s);
        hid_t ds = sr_h5_create_floats(g, mi->name, 0, NULL, &s.mean, mi->units, mi->description,
                               err);
        if (ds < 0)
            goto fail;
        if (attr_summary(ds, &s, err) != 0 ||
            (mi->nan_means != NULL && sr_h5_attr_str(ds, "nan_means", mi->nan_means, err) != 0)) {
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
        hid_t ds = sr_h5_create_floats(g, mi->name, 0, NULL, &lv->deterministic[m], mi->units,
                               mi->description, err);
        if (ds < 0 || sr_h5_close(ds, err) != 0)
            goto fail;
    }
    return sr_h5_close(g, err);
fail:
    H5Gclose(g);
    return SR_EXIT_IOERR;
}

double sr_h5_write_scratch_bytes(size_t n_trials, size_t n_years)
{
    /* the level's buffers are freed before the yearly flows take theirs */
    double level = sr_array_bytes(n_trials, sizeof(double));
    double years = sr_h5_years_scratch_bytes(n_trials, n_years);
    return level > years ? level : years;
}

int sr_h5_write_level(hid_t loc, const sr_resultset *rs, const sr_level *lv, sr_error *err)
{
    level_work w = {
        .scratch = malloc(rs->n_trials * sizeof *w.scratch),
    };
    int rc = SR_EXIT_IOERR;
    if (w.scratch == NULL) {
        rc = sr_h5_fail(err, SR_EXIT_SOFTWARE, loc, "out of memory for the summary of %zu "
                        "trials", rs->n_trials);
        goto done;
    }
    if (write_trials(loc, rs, lv, err) == 0 && write_summary(loc, rs, lv, &w, err) == 0)
        rc = 0;
done:
    free(w.scratch);
    if (rc == 0)
        rc = sr_h5_write_years(loc, rs, lv, err);
    return rc == 0 ? write_deterministic(loc, lv, err) : rc;
}

/* ---- the root layout ----------------------------------------------------------------- */

/* /scenario: the scenario text as run, a scalar variable-length UTF-8 string. */
static int write_scenario(hid_t loc, const char *text, sr_error *err)
{
    hid_t t = sr_h5_str_type();
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t dcpl = sr_h5_dcpl_create(0, NULL);
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
    if (sr_h5_attr_labels(ds, "text (YAML)",
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

    if (sr_h5_attr_str(loc, "sirisk_version", SIRISK_VERSION, err) != 0 ||
        sr_h5_attr_int(loc, "format_version", SR_H5_FORMAT_VERSION, err) != 0 ||
        sr_h5_attr_str(loc, "created_utc", created, err) != 0 ||
        sr_h5_attr_u64(loc, "seed", rs->seed, err) != 0 ||
        sr_h5_attr_u64(loc, "trials", (uint64_t)rs->n_trials, err) != 0 ||
        sr_h5_attr_str(loc, "scenario_sha256", sha, err) != 0 ||
        sr_h5_attr_str(loc, "rng", rs->rng_name != NULL ? rs->rng_name : "", err) != 0 ||
        sr_h5_attr_str(loc, "gsl_version", gsl_version, err) != 0 ||
        sr_h5_attr_str(loc, "hdf5_version", hdf5_version, err) != 0 ||
        sr_h5_attr_str(loc, "libyaml_version", yaml_get_version_string(), err) != 0)
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
    static const char *const objects[] = {"scenario",  "trials",    "summary",
                                          "annual",    "deterministic", "yearly",
                                          "yearly_pv", "budget",    "programmes",
                                          "parameters", "macro"};
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
