/* Reading a result set's trials for the value-of-information analysis, and writing its
 * findings under /voi (voi_file.h, docs/results.md#value-of-information). */
#include "sim/resultset/voi_file.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/size.h"
#include "sim/resultset/h5check.h"
#include "sim/resultset/h5read.h"
#include "sim/resultset/h5util.h"
#include "sim/resultset/h5write.h"

/* ---- reading -------------------------------------------------------------------------- */

/* The 1-D dataset name of loc holding n values into *out (malloc'd); NULL when absent. */
static int read_column(hid_t loc, const char *name, uint64_t n, double **out, sr_error *err)
{
    hid_t ds;
    *out = NULL;
    int rc = sr_h5check_vector(loc, name, n, "the root attribute trials", &ds, err);
    if (rc != 0 || ds < 0)
        return rc;
    const sr_h5_shape shape = {.rank = 1, .dims = {n, 1}};
    *out = malloc(sr_size_mul((size_t)n, sizeof **out));
    if (*out == NULL)
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for %" PRIu64 " trials", n);
    else
        rc = sr_h5check_read_rows(ds, &shape, 0, n, *out, err);
    H5Oclose(ds);
    if (rc != 0) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

/* Every column of group `group` of root as an input named prefix + its name. */
static int read_inputs(hid_t root, const char *group, const char *prefix, sr_voi_data *d,
                       sr_error *err)
{
    hid_t g;
    int rc = sr_h5check_group(root, group, &g, err);
    if (rc != 0 || g < 0)
        return rc;
    sr_h5_names names;
    rc = sr_h5check_names(g, SR_H5_MAX_LINKS, &names, err);
    for (size_t k = 0; rc == 0 && k < names.n; k++) {
        double *x;
        rc = read_column(g, names.name[k], d->n_trials, &x, err);
        if (rc == 0 && x != NULL)
            rc = sr_voi_data_add(d, prefix, names.name[k], x, err);
    }
    if (rc == 0)
        sr_h5_names_clear(&names);
    H5Gclose(g);
    return rc;
}

int sr_voi_read(const char *path, const sr_metric *metrics, size_t n_metrics, sr_voi_data *d,
                sr_voi_source *src, sr_error *err)
{
    memset(d, 0, sizeof *d);
    memset(src, 0, sizeof *src);
    hid_t file = sr_h5check_open_file(path, err), root = H5I_INVALID_HID,
          trials = H5I_INVALID_HID;
    if (file < 0)
        return err->code;
    sr_h5_provenance p = {0};
    int rc;
    if ((root = H5Gopen2(file, "/", H5P_DEFAULT)) < 0) {
        rc = sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "cannot open the root group");
        goto out;
    }
    if ((rc = sr_h5_read_provenance(root, &p, err)) != 0)
        goto out;
    if (!p.trials.known || p.scenario == NULL) {
        rc = sr_error_set(err, SR_EXIT_IOERR, "not a result set: no %s",
                          p.scenario == NULL ? "/scenario" : "root attribute trials");
        goto out;
    }
    d->n_trials = (size_t)p.trials.n;
    d->seed = p.has_seed ? p.seed : 0;
    src->scenario = p.scenario;
    p.scenario = NULL;
    if ((rc = sr_h5check_group(root, "trials", &trials, err)) != 0)
        goto out;
    if (trials < 0) {
        rc = sr_error_set(err, SR_EXIT_IOERR, "not a result set: no /trials");
        goto out;
    }
    for (size_t k = 0; rc == 0 && k < n_metrics; k++)
        if (d->metric[metrics[k]] == NULL)
            rc = read_column(trials, sr_metrics[metrics[k]].name, d->n_trials,
                             &d->metric[metrics[k]], err);
    if (rc == 0)
        rc = read_inputs(root, "parameters", "", d, err);
    if (rc == 0)
        rc = read_inputs(root, "macro", "macro.", d, err);
    double *termination = NULL;
    if (rc == 0)
        rc = read_column(trials, "termination_month", d->n_trials, &termination, err);
    if (rc == 0 && termination != NULL)
        rc = sr_voi_data_add(d, "", "termination_month", termination, err);
out:
    if (trials >= 0)
        H5Gclose(trials);
    if (root >= 0)
        H5Gclose(root);
    H5Fclose(file);
    H5Eclear2(H5E_DEFAULT);
    sr_h5_provenance_clear(&p);
    if (rc != 0) {
        sr_error_prefix(err, "%s", path);
        sr_voi_data_clear(d);
        sr_voi_source_clear(src);
    }
    return rc;
}

void sr_voi_source_clear(sr_voi_source *src)
{
    free(src->scenario);
    src->scenario = NULL;
}

/* ---- writing -------------------------------------------------------------------------- */

#define UNITS_COHORT "DKK (present value at the public rate), for the whole cohort"

/* The name of a set of inputs (sr_voi_set_name), malloc'd. */
static char *set_label(const sr_voi_report *r, const sr_voi_set *s)
{
    const size_t n = sr_voi_set_name(r, s, NULL, 0) + 1;
    char *label = malloc(n);
    if (label != NULL)
        sr_voi_set_name(r, s, label, n);
    return label;
}

/* A column of n floats, with its units and description. */
typedef struct {
    const char *name, *units, *description;
    const double *values;     /* [n] */
} float_column;

/* Into the group g: `input` (labels) and the float columns, n rows each. */
static int write_table(hid_t g, const char *const *labels, const char *label_description,
                       const float_column *cols, size_t n_cols, size_t n, sr_error *err)
{
    const hsize_t dims[1] = {n};
    int rc = labels != NULL
                 ? sr_h5_write_texts(g, "input", 1, dims, labels, "text", label_description, err)
                 : 0;
    for (size_t c = 0; rc == 0 && c < n_cols; c++)
        rc = sr_h5_write_floats(g, cols[c].name, 1, dims, cols[c].values, cols[c].units,
                                cols[c].description, NULL, 0, err);
    return rc;
}

/* Closes g, or abandons it when rc reports a failure; returns the outcome. */
static int close_group(hid_t g, int rc, sr_error *err)
{
    if (rc != 0) {
        sr_h5_abandon(g);
        return SR_EXIT_IOERR;
    }
    return sr_h5_close(g, err);
}

/* /voi/variance/<metric>/{input,index,se}: the varying inputs, largest index first;
 * attributes trials_used, sd and sum. */
static int write_variance(hid_t voi, const sr_voi_report *r, sr_error *err)
{
    hid_t g = sr_h5_group_create(voi, "variance", err);
    if (g < 0)
        return SR_EXIT_IOERR;
    const size_t k = r->n_inputs;
    size_t *order = malloc((k + 1) * sizeof *order);
    double *value = malloc((k + 1) * sizeof *value), *index = malloc((k + 1) * sizeof *index),
           *se = malloc((k + 1) * sizeof *se);
    const char **labels = malloc((k + 1) * sizeof *labels);
    int rc = order && value && index && se && labels
                 ? 0 : sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory writing /voi");
    for (size_t v = 0; rc == 0 && v < r->n_variance; v++) {
        const sr_voi_variance *va = &r->variance[v];
        for (size_t i = 0; i < k; i++)
            value[i] = r->varies[i] ? va->index[i].value : NAN;
        sr_voi_order(value, k, order);
        size_t n = 0;
        for (size_t i = 0; i < k; i++) {
            if (!r->varies[order[i]])
                continue;
            labels[n] = r->inputs[order[i]].name;
            index[n] = va->index[order[i]].value;
            se[n] = va->index[order[i]].se;
            n++;
        }
        const float_column cols[] = {
            {"index", "1 (share of the metric's variance)",
             "First-order index S_i = Var(E[Y | X_i]) / Var(Y), E[Y | X_i] a penalised "
             "regression spline with smoothing by GCV.", index},
            {"se", "1 (share of the metric's variance)",
             "Bootstrap standard error of the index.", se},
        };
        hid_t mg = sr_h5_group_create(g, sr_metrics[va->metric].name, err);
        if (mg < 0) {
            rc = SR_EXIT_IOERR;
            break;
        }
        rc = sr_h5_attr_f64(mg, "trials_used", (double)va->n_used, err);
        if (rc == 0)
            rc = sr_h5_attr_f64(mg, "sd", va->sd, err);
        if (rc == 0)
            rc = sr_h5_attr_f64(mg, "sum", va->sum, err);
        if (rc == 0)
            rc = write_table(mg, labels, "The uncertain inputs that vary, largest index "
                                         "first.", cols, 2, n, err);
        rc = close_group(mg, rc, err);
    }
    free(order);
    free(value);
    free(index);
    free(se);
    free(labels);
    return close_group(g, rc, err);
}

/* /evppi/{input,value,se} of a decision into g: its sets, largest value first. */
static int write_evppi(hid_t g, const sr_voi_report *r, const sr_voi_decision *dec,
                       sr_error *err)
{
    const size_t k = dec->n_sets;
    size_t *order = malloc((k + 1) * sizeof *order);
    double *value = calloc(k + 1, sizeof *value), *sorted = malloc((k + 1) * sizeof *sorted),
           *se = malloc((k + 1) * sizeof *se);
    char **labels = calloc(k + 1, sizeof *labels);
    int rc = order && value && sorted && se && labels
                 ? 0 : sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory writing /voi");
    if (rc == 0) {
        for (size_t s = 0; s < k; s++)
            value[s] = dec->evppi[s].value;
        sr_voi_order(value, k, order);
        for (size_t s = 0; rc == 0 && s < k; s++) {
            sorted[s] = dec->evppi[order[s]].value;
            se[s] = dec->evppi[order[s]].se;
            if ((labels[s] = set_label(r, &dec->sets[order[s]])) == NULL)
                rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory writing /voi");
        }
    }
    if (rc == 0) {
        const float_column cols[] = {
            {"value", UNITS_COHORT,
             "EVPPI: the expected value of knowing the input (or the inputs joined by +) "
             "before deciding, from penalised regression splines of each option's net "
             "benefit (tensor products for a group); monotone over the inputs.", sorted},
            {"se", UNITS_COHORT, "Bootstrap standard error of the EVPPI.", se},
        };
        hid_t eg = sr_h5_group_create(g, "evppi", err);
        rc = eg < 0 ? SR_EXIT_IOERR
                    : close_group(eg, write_table(eg, (const char *const *)labels,
                                                  "Each input, then each group of inputs "
                                                  "joined by +; largest EVPPI first.",
                                                  cols, 2, k, err), err);
    }
    for (size_t s = 0; labels != NULL && s < k; s++)
        free(labels[s]);
    free(labels);
    free(order);
    free(value);
    free(sorted);
    free(se);
    return rc;
}

/* /evsi/{n,value,se,cost,enbs,enbs_se} of a decision into g. */
static int write_evsi(hid_t g, const sr_voi_decision *dec, sr_error *err)
{
    const size_t k = dec->n_pilots;
    double *value = malloc((k + 1) * sizeof *value), *se = malloc((k + 1) * sizeof *se),
           *enbs = malloc((k + 1) * sizeof *enbs), *enbs_se = malloc((k + 1) * sizeof *enbs_se);
    int rc = value && se && enbs && enbs_se
                 ? 0 : sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory writing /voi");
    for (size_t p = 0; rc == 0 && p < k; p++) {
        value[p] = dec->evsi[p].value;
        se[p] = dec->evsi[p].se;
        enbs[p] = dec->enbs[p].value;
        enbs_se[p] = dec->enbs[p].se;
    }
    if (rc == 0) {
        const float_column cols[] = {
            {"n", "persons", "The pilot's treated persons (its control group besides).",
             dec->pilot_size},
            {"value", UNITS_COHORT,
             "EVSI: the expected value of the pilot's results (summary statistics per arm) "
             "before deciding, from penalised regression splines of each option's net "
             "benefit on them; at most the EVPI.", value},
            {"se", UNITS_COHORT, "Bootstrap standard error of the EVSI.", se},
            {"cost", "DKK (nominal)", "What the pilot costs: its treated arm's programme "
             "costs over its months, the mean over trials.", dec->pilot_cost},
            {"enbs", "DKK (present value at the public rate)",
             "Expected net benefit of sampling: the EVSI per participant times the "
             "population, less the cost.", enbs},
            {"enbs_se", "DKK (present value at the public rate)",
             "Bootstrap standard error of the ENBS.", enbs_se},
        };
        hid_t eg = sr_h5_group_create(g, "evsi", err);
        rc = eg < 0 ? SR_EXIT_IOERR : close_group(eg, write_table(eg, NULL, NULL, cols, 6, k,
                                                                  err), err);
    }
    free(value);
    free(se);
    free(enbs);
    free(enbs_se);
    return rc;
}

/* A decision's figures into g: attributes evpi, evpi_se, options, best, trials_used; the
 * options' expected net benefits; /evppi and /evsi. */
static int write_decision(hid_t g, const sr_voi_report *r, const sr_voi_decision *dec,
                          sr_error *err)
{
    const sr_voi_decision_spec *s = dec->spec;
    const char *names[SR_VOI_MAX_OPTIONS];
    for (size_t o = 0; o < s->n_options; o++)
        names[o] = s->options[o].name;
    const sr_h5_text_attr options = {"options", names, s->n_options};
    const sr_h5_text_attr best = {"best", &names[dec->best], 1};
    const sr_h5_text_attr title = {"decision", &s->title, 1};
    const hsize_t dims[1] = {s->n_options};
    int rc = sr_h5_attr_text(g, &title, err);
    if (rc == 0)
        rc = sr_h5_attr_text(g, &options, err);
    if (rc == 0)
        rc = sr_h5_attr_text(g, &best, err);
    if (rc == 0)
        rc = sr_h5_attr_f64(g, "evpi", dec->evpi.value, err);
    if (rc == 0)
        rc = sr_h5_attr_f64(g, "evpi_se", dec->evpi.se, err);
    if (rc == 0)
        rc = sr_h5_attr_f64(g, "trials_used", (double)dec->n_used, err);
    if (rc == 0)
        rc = sr_h5_write_floats(g, "expected_net_benefit", 1, dims, dec->mean, UNITS_COHORT,
                                "Each option's expected net benefit, in the order of the "
                                "attribute options.", NULL, 0, err);
    if (rc == 0)
        rc = write_evppi(g, r, dec, err);
    if (rc == 0 && dec->n_pilots > 0)
        rc = write_evsi(g, dec, err);
    return rc;
}

int sr_voi_write(hid_t root, const sr_voi_report *r, sr_error *err)
{
    if (H5Lexists(root, "voi", H5P_DEFAULT) > 0 && H5Ldelete(root, "voi", H5P_DEFAULT) < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, root, "cannot replace /voi");
    hid_t voi = sr_h5_group_create(root, "voi", err);
    if (voi < 0)
        return SR_EXIT_IOERR;
    const char *pair[2] = {"", ""};
    if (r->max_correlation > 0.0) {
        pair[0] = r->inputs[r->correlated[0]].name;
        pair[1] = r->inputs[r->correlated[1]].name;
    }
    const sr_h5_text_attr correlated = {"most_correlated", pair, 2};
    const sr_h5_text_attr units = {"units", (const char *[]){UNITS_COHORT}, 1};
    int rc = sr_h5_attr_text(voi, &units, err);
    if (rc == 0)
        rc = sr_h5_attr_f64(voi, "persons", r->persons, err);
    if (rc == 0)
        rc = sr_h5_attr_f64(voi, "population", r->population, err);
    if (rc == 0)
        rc = sr_h5_attr_f64(voi, "bootstrap", (double)r->bootstrap, err);
    if (rc == 0)
        rc = sr_h5_attr_f64(voi, "max_correlation", r->max_correlation, err);
    if (rc == 0)
        rc = sr_h5_attr_text(voi, &correlated, err);
    if (rc == 0 && r->n_decisions > 0)
        rc = write_decision(voi, r, &r->decisions[0], err);
    for (size_t j = 1; rc == 0 && j < r->n_decisions; j++) {
        hid_t g = sr_h5_group_create(voi, r->decisions[j].spec->key, err);
        rc = g < 0 ? SR_EXIT_IOERR : close_group(g, write_decision(g, r, &r->decisions[j], err),
                                                 err);
    }
    if (rc == 0)
        rc = write_variance(voi, r, err);
    return close_group(voi, rc, err);
}
