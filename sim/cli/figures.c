/* A result set's figures read back for the reports (figures.h): levels, the decision,
 * diversification, stresses and counts over trials. Which metrics a figure uses, and in
 * which order, is the metric table's (models/metric.h). */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "sim/cli/figures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/resultset/h5check.h"

const char *const sr_fig_stat_names[SR_FIG_N_STATS] = {
    "mean", "sd", "mcse", "min", "q01", "q05", "q10", "q25", "q50", "q75", "q90", "q95", "q99",
    "max", "es95", "es99", "es95_upper", "es99_upper", "p_negative",
};

static int out_of_memory(sr_error *err)
{
    return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
}

/* ---- levels ---------------------------------------------------------------------------- */

/* Every dataset of level/summary with its statistics and deterministic value. */
static int read_metrics(hid_t level, const sr_h5_trials *trials, sr_fig_level *l,
                        sr_error *err)
{
    hid_t sg = H5I_INVALID_HID, dg = H5I_INVALID_HID;
    sr_h5_names names = {0};
    int rc = sr_h5check_group(level, "summary", &sg, err);
    if (rc != 0 || sg < 0)
        return rc;
    if ((rc = sr_h5check_group(level, "deterministic", &dg, err)) != 0 ||
        (rc = sr_h5check_names(sg, SR_H5_MAX_LINKS, &names, err)) != 0)
        goto done;
    if ((l->metric = calloc(names.n + 1, sizeof *l->metric)) == NULL) {
        rc = out_of_memory(err);
        goto done;
    }
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        sr_fig_metric *m = &l->metric[l->n_metrics];
        sr_h5_metric hm;
        bool found;
        rc = sr_h5_read_metric(sg, dg, names.name[i], sr_fig_stat_names, SR_FIG_N_STATS,
                               trials, m->stat, &hm, &found, err);
        if (rc == 0 && found) {
            m->name = names.name[i];
            names.name[i] = NULL;   /* now the metric's */
            m->units = hm.units;
            hm.units = NULL;
            m->deterministic = hm.deterministic;
            m->n_nan = hm.n_nan;
            m->n_infinite = hm.n_infinite;
            l->n_metrics++;
        }
        sr_h5_metric_clear(&hm);
    }
done:
    sr_h5_names_clear(&names);
    if (dg >= 0)
        H5Gclose(dg);
    H5Gclose(sg);
    return rc;
}

/* annual/<name>: [years][levels] floats with first_year and quantiles. */
static int read_annual(hid_t ag, const char *name, sr_fig_annual *a, bool *found,
                       sr_error *err)
{
    hid_t ds;
    sr_h5_shape shape;
    bool present;
    uint64_t year;
    const sr_h5_shape levels = {.rank = 1, .dims = {SR_N_QUANTILES, 1}};
    *found = false;
    int rc = sr_h5check_floats(ag, name, 2, &ds, &shape, err);
    if (rc != 0 || ds < 0)
        return rc;
    if (shape.rank != 2 || shape.dims[1] != SR_N_QUANTILES || shape.dims[0] == 0 ||
        shape.dims[0] > SR_FIG_MAX_YEARS) {
        rc = sr_h5check_refuse(ds, NULL, err, "expected 1 to %d years of %d quantiles",
                               SR_FIG_MAX_YEARS, SR_N_QUANTILES);
        goto done;
    }
    a->years = (size_t)shape.dims[0];
    if ((rc = sr_h5check_attr_uint(ds, "first_year", 1, 9999, &year, &present, err)) != 0 ||
        (rc = sr_h5check_attr_floats(ds, "quantiles", &levels, a->levels, &present, err)) != 0 ||
        (rc = sr_h5check_attr_text(ds, "units", SR_H5_MAX_LABEL_BYTES, &a->units, err)) != 0)
        goto done;
    a->first_year = (unsigned)year;
    if ((a->q = malloc(a->years * SR_N_QUANTILES * sizeof *a->q)) == NULL ||
        (a->name = strdup(name)) == NULL) {
        rc = out_of_memory(err);
        goto done;
    }
    rc = sr_h5check_read_rows(ds, &shape, 0, shape.dims[0], a->q, err);
    *found = rc == 0;
done:
    H5Oclose(ds);
    return rc;
}

static void annual_clear(sr_fig_annual *a)
{
    free(a->name);
    free(a->units);
    free(a->q);
    memset(a, 0, sizeof *a);
}

static int read_annuals(hid_t level, sr_fig_level *l, sr_error *err)
{
    hid_t ag;
    sr_h5_names names = {0};
    int rc = sr_h5check_group(level, "annual", &ag, err);
    if (rc != 0 || ag < 0)
        return rc;
    if ((rc = sr_h5check_names(ag, SR_H5_MAX_LINKS, &names, err)) != 0)
        goto done;
    if ((l->annual = calloc(names.n + 1, sizeof *l->annual)) == NULL) {
        rc = out_of_memory(err);
        goto done;
    }
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        hid_t obj;
        if ((rc = sr_h5check_open(ag, names.name[i], &obj, err)) != 0 || obj < 0)
            break;
        H5I_type_t type = H5Iget_type(obj);
        H5Oclose(obj);
        if (type != H5I_DATASET)
            continue;   /* something newer than a yearly dataset */
        bool found;
        sr_fig_annual *a = &l->annual[l->n_annual];
        rc = read_annual(ag, names.name[i], a, &found, err);
        if (rc == 0 && found)
            l->n_annual++;
        else
            annual_clear(a);
    }
done:
    sr_h5_names_clear(&names);
    H5Gclose(ag);
    return rc;
}

int sr_fig_read_level(hid_t level, const char *name, const sr_h5_trials *trials,
                      sr_fig_level *out, sr_error *err)
{
    memset(out, 0, sizeof *out);
    if ((out->name = strdup(name)) == NULL)
        return out_of_memory(err);
    int rc;
    if ((rc = sr_h5_check_trials(level, trials, err)) != 0 ||
        (rc = read_metrics(level, trials, out, err)) != 0 ||
        (rc = read_annuals(level, out, err)) != 0)
        sr_fig_level_clear(out);
    return rc;
}

void sr_fig_level_clear(sr_fig_level *l)
{
    for (size_t i = 0; i < l->n_metrics; i++) {
        free(l->metric[i].name);
        free(l->metric[i].units);
    }
    for (size_t i = 0; i < l->n_annual; i++)
        annual_clear(&l->annual[i]);
    free(l->metric);
    free(l->annual);
    free(l->name);
    memset(l, 0, sizeof *l);
}

const sr_fig_metric *sr_fig_find(const sr_fig_level *l, const char *name)
{
    for (size_t i = 0; i < l->n_metrics; i++)
        if (strcmp(l->metric[i].name, name) == 0)
            return &l->metric[i];
    return NULL;
}

const sr_fig_annual *sr_fig_find_annual(const sr_fig_level *l, const char *name)
{
    for (size_t i = 0; i < l->n_annual; i++)
        if (strcmp(l->annual[i].name, name) == 0)
            return &l->annual[i];
    return NULL;
}

double sr_fig_value(const sr_fig_level *l, sr_metric m, sr_fig_stat stat)
{
    const sr_fig_metric *f = sr_fig_find(l, sr_metrics[m].name);
    return f != NULL ? f->stat[stat] : NAN;
}

int sr_fig_read_programmes(hid_t root, const sr_h5_trials *trials, sr_fig_levels *out,
                           sr_error *err)
{
    hid_t pg;
    sr_h5_names names = {0};
    memset(out, 0, sizeof *out);
    int rc = sr_h5check_group(root, "programmes", &pg, err);
    if (rc != 0 || pg < 0)
        return rc;
    if ((rc = sr_h5check_names(pg, SR_H5_MAX_LINKS, &names, err)) != 0)
        goto done;
    if ((out->level = calloc(names.n + 1, sizeof *out->level)) == NULL) {
        rc = out_of_memory(err);
        goto done;
    }
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        hid_t g;
        if ((rc = sr_h5check_open(pg, names.name[i], &g, err)) != 0 || g < 0)
            break;
        if (H5Iget_type(g) == H5I_GROUP &&
            (rc = sr_fig_read_level(g, names.name[i], trials, &out->level[out->n], err)) == 0)
            out->n++;
        H5Oclose(g);
    }
done:
    sr_h5_names_clear(&names);
    H5Gclose(pg);
    if (rc != 0)
        sr_fig_levels_clear(out);
    return rc;
}

void sr_fig_levels_clear(sr_fig_levels *l)
{
    for (size_t i = 0; i < l->n; i++)
        sr_fig_level_clear(&l->level[i]);
    free(l->level);
    memset(l, 0, sizeof *l);
}

/* ---- the decision ---------------------------------------------------------------------- */

/* Counts the trials that pay while the payer's savings are <= 0: payments > 0 and
 * municipality_net_sib + payments <= 0 (columns: the payer's net result, payments). */
static int count_unfounded(void *ctx, uint64_t first, const double *const *columns,
                           size_t count, sr_error *err)
{
    (void)first;
    (void)err;
    uint64_t *unfounded = ctx;
    const double *net = columns[0], *payments = columns[1];
    for (size_t i = 0; i < count; i++)
        *unfounded += payments[i] > 0.0 && net[i] + payments[i] <= 0.0;
    return 0;
}

/* Statistic stat of metric m at level (sr_h5_read_stat: NaN when absent, errors sticky). */
static double metric_stat(hid_t level, sr_metric m, const char *stat, int *rc, sr_error *err)
{
    return sr_h5_read_stat(level, sr_metrics[m].name, stat, rc, err);
}

int sr_fig_read_decision(hid_t level, const sr_h5_trials *trials, sr_fig_decision *d,
                         sr_error *err)
{
    int rc = 0;
    memset(d, 0, sizeof *d);
    if (!trials->known || isnan(metric_stat(level, SR_M_INVESTOR_NPV, "mean", &rc, err)))
        return rc;
    bool have;
    const char *const columns[] = {sr_metrics[SR_M_MUNICIPALITY_NET_SIB].name,
                                   sr_metrics[SR_M_PAYMENTS].name};
    if ((rc = sr_h5_read_trials(level, trials, columns, 2, count_unfounded, &d->unfounded,
                                &have, err)) != 0 ||
        !have)
        return rc;
    d->trials = trials->n;
    d->n_net = sr_metrics_ranked(SR_METRIC_PAYER, d->net_metric);
    for (size_t k = 0; k < d->n_net; k++) {
        d->net[k][0] = metric_stat(level, d->net_metric[k], "mean", &rc, err);
        d->net[k][1] = metric_stat(level, d->net_metric[k], "q05", &rc, err);
        d->net[k][2] = metric_stat(level, d->net_metric[k], "es95", &rc, err);
    }
    d->transfer = metric_stat(level, SR_M_PAYMENTS, "mean", &rc, err) -
                  metric_stat(level, SR_M_PROGRAMME_COST, "mean", &rc, err);
    d->overpayment = metric_stat(level, SR_M_OVERPAYMENT, "mean", &rc, err);
    d->p_loss = metric_stat(level, SR_M_INVESTOR_LOSS, "mean", &rc, err);
    d->irr_q50 = metric_stat(level, SR_M_INVESTOR_IRR, "q50", &rc, err);
    d->irr_q05 = metric_stat(level, SR_M_INVESTOR_IRR, "q05", &rc, err);
    d->npv_es95 = metric_stat(level, SR_M_INVESTOR_NPV, "es95", &rc, err);
    d->npv_mean = metric_stat(level, SR_M_INVESTOR_NPV, "mean", &rc, err);
    d->present = rc == 0;
    return rc;
}

/* ---- diversification ------------------------------------------------------------------- */

int sr_fig_read_diversification(hid_t root, sr_fig_diversification *d, sr_error *err)
{
    hid_t pg;
    memset(d, 0, sizeof *d);
    int rc = sr_h5check_group(root, "programmes", &pg, err);
    if (rc != 0 || pg < 0)
        return rc;
    sr_h5_names names;
    if ((rc = sr_h5check_names(pg, SR_H5_MAX_LINKS, &names, err)) != 0 || names.n < 2)
        goto done;
    sr_metric tail[SR_N_METRICS];
    const size_t n_tail = sr_metrics_ranked(SR_METRIC_TAIL, tail);
    for (size_t k = 0; rc == 0 && k < n_tail; k++) {
        const char *metric = sr_metrics[tail[k]].name;
        double whole = sr_h5_read_stat(root, metric, "es95", &rc, err), parts = 0.0;
        if (isnan(whole))
            continue;
        for (size_t i = 0; rc == 0 && i < names.n; i++) {
            hid_t g;
            if ((rc = sr_h5check_open(pg, names.name[i], &g, err)) != 0 || g < 0)
                break;
            parts += H5Iget_type(g) == H5I_GROUP ? sr_h5_read_stat(g, metric, "es95", &rc, err)
                                                 : NAN;
            H5Oclose(g);
        }
        d->metric[d->n] = tail[k];
        d->portfolio[d->n] = whole;
        d->sum[d->n] = parts;
        d->n++;
    }
done:
    sr_h5_names_clear(&names);
    H5Gclose(pg);
    return rc;
}

/* ---- stresses -------------------------------------------------------------------------- */

/* The rows of stress i (group g) against the base: per key metric it has, the mean and the
 * 5% quantile. */
static int read_stress_rows(hid_t g, hid_t base, size_t i, sr_fig_stresses *s, sr_error *err)
{
    int rc = 0;
    sr_metric key[SR_N_METRICS];
    const size_t n_key = sr_metrics_ranked(SR_METRIC_STRESS, key);
    for (size_t k = 0; rc == 0 && k < n_key; k++) {
        const char *metric = sr_metrics[key[k]].name;
        double mean = sr_h5_read_stat(g, metric, "mean", &rc, err);
        double q05 = sr_h5_read_stat(g, metric, "q05", &rc, err);
        if (rc != 0 || isnan(mean))
            continue;
        sr_fig_stress_row *r = &s->row[s->n_rows];
        *r = (sr_fig_stress_row){.stress = i, .metric = key[k], .mean = mean, .q05 = q05};
        if ((rc = sr_h5_read_units(g, metric, &r->units, err)) != 0)
            break;
        s->n_rows++;
        r->base_mean = sr_h5_read_stat(base, metric, "mean", &rc, err);
        r->base_q05 = sr_h5_read_stat(base, metric, "q05", &rc, err);
    }
    return rc;
}

int sr_fig_read_stresses(hid_t root, sr_fig_stresses *s, sr_error *err)
{
    hid_t sg, base = H5I_INVALID_HID;
    memset(s, 0, sizeof *s);
    int rc = sr_h5check_group(root, "stress", &sg, err);
    if (rc != 0 || sg < 0)
        return rc;
    if ((rc = sr_h5check_group(sg, "base", &base, err)) != 0 || base < 0 ||
        (rc = sr_h5check_names(sg, SR_H5_MAX_LINKS, &s->names, err)) != 0)
        goto done;
    if ((s->row = calloc(s->names.n * SR_N_METRICS + 1, sizeof *s->row)) == NULL) {
        rc = out_of_memory(err);
        goto done;
    }
    s->present = true;
    for (size_t i = 0; rc == 0 && i < s->names.n; i++) {
        hid_t g;
        if ((rc = sr_h5check_open(sg, s->names.name[i], &g, err)) != 0 || g < 0)
            break;
        if (H5Iget_type(g) == H5I_GROUP)
            rc = read_stress_rows(g, base, i, s, err);
        H5Oclose(g);
    }
done:
    if (base >= 0)
        H5Gclose(base);
    H5Gclose(sg);
    if (rc != 0)
        sr_fig_stresses_clear(s);
    return rc;
}

void sr_fig_stresses_clear(sr_fig_stresses *s)
{
    for (size_t i = 0; i < s->n_rows; i++)
        free(s->row[i].units);
    free(s->row);
    sr_h5_names_clear(&s->names);
    memset(s, 0, sizeof *s);
}

/* ---- counts over trials ---------------------------------------------------------------- */

typedef struct {
    sr_fig_hist *hist;
    size_t n;
    bool counting;   /* the second pass */
} hist_pass;

static int hist_block(void *ctx, uint64_t first, const double *const *columns, size_t count,
                      sr_error *err)
{
    (void)first;
    (void)err;
    hist_pass *p = ctx;
    for (size_t j = 0; j < p->n; j++) {
        sr_fig_hist *h = &p->hist[j];
        const double *x = columns[j];
        if (!p->counting) {
            for (size_t i = 0; i < count; i++) {
                if (!isfinite(x[i])) {
                    h->n_left_out++;
                    continue;
                }
                h->lo = h->n_finite == 0 || x[i] < h->lo ? x[i] : h->lo;
                h->hi = h->n_finite == 0 || x[i] > h->hi ? x[i] : h->hi;
                h->n_finite++;
            }
            continue;
        }
        const double width = (h->hi - h->lo) / (double)h->n_bins;
        for (size_t i = 0; i < count; i++) {
            if (!isfinite(x[i]))
                continue;
            /* the bin of x: the last bin is closed on the right, and a range of one value
             * puts every trial in the first bin */
            double at = width > 0.0 ? floor((x[i] - h->lo) / width) : 0.0;
            size_t b = at <= 0.0 ? 0 : at >= (double)h->n_bins ? h->n_bins - 1 : (size_t)at;
            h->count[b]++;
        }
    }
    return 0;
}

int sr_fig_read_histograms(hid_t level, const sr_h5_trials *trials, const char *const *names,
                           size_t n, size_t n_bins, bool shared, sr_fig_hist *hist,
                           bool *have, sr_error *err)
{
    memset(hist, 0, n * sizeof *hist);
    *have = false;
    if (!trials->known || n_bins == 0 || n_bins > SR_FIG_MAX_BINS)
        return 0;
    for (size_t j = 0; j < n; j++) {
        hist[j].n_bins = n_bins;
        if ((hist[j].name = strdup(names[j])) == NULL) {
            sr_fig_hist_clear(hist, n);
            return out_of_memory(err);
        }
    }
    hist_pass p = {.hist = hist, .n = n};
    int rc = sr_h5_read_trials(level, trials, names, n, hist_block, &p, have, err);
    if (rc != 0 || !*have)
        return rc;
    if (shared) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t j = 0; j < n; j++)
            if (hist[j].n_finite > 0) {
                lo = fmin(lo, hist[j].lo);
                hi = fmax(hi, hist[j].hi);
            }
        for (size_t j = 0; j < n; j++) {
            hist[j].lo = lo;
            hist[j].hi = hi;
        }
    }
    p.counting = true;
    return sr_h5_read_trials(level, trials, names, n, hist_block, &p, have, err);
}

void sr_fig_hist_clear(sr_fig_hist *h, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        free(h[j].name);
        h[j].name = NULL;
    }
}

static int count_block(void *ctx, uint64_t first, const double *const *columns, size_t count,
                       sr_error *err)
{
    (void)first;
    (void)err;
    uint64_t *n = ctx;
    for (size_t i = 0; i < count; i++)
        *n += columns[0][i] > 0.0;
    return 0;
}

int sr_fig_count_positive(hid_t level, const sr_h5_trials *trials, const char *name,
                          uint64_t *count, bool *have, sr_error *err)
{
    *count = 0;
    *have = false;
    if (!trials->known)
        return 0;
    return sr_h5_read_trials(level, trials, &name, 1, count_block, count, have, err);
}
