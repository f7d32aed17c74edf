/* The yearly flows and the budget-year table of a level (h5years.h). Column y < years of a
 * yearly dataset is calendar year first_year + y, column `years` what falls after the
 * horizon; the statistics of a column are over every trial (the flows are finite). Each
 * column's statistics are computed once and read by every object that shows them: the
 * annual quantiles, the yearly datasets' attributes and the budget table. */
#include "sim/resultset/h5years.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/size.h"
#include "models/summary.h"
#include "sim/resultset/h5util.h"
#include "sim/resultset/h5put.h"

#define SR_UNITS_YEARLY "DKK (nominal, per calendar year; the last column: after the horizon)"
#define SR_UNITS_YEARLY_PV                                                                     \
    "DKK (present value at the public rate of each calendar year's flows; the last column: " \
    "after the horizon)"

#define SR_UNITS_ANNUAL "DKK (nominal, per calendar year)"

/* Statistics over trials of every column of one metric's yearly flows valued one way. */
typedef struct {
    double *mean;        /* [n_cols] */
    double *p_negative;  /* [n_cols] */
    double *quantiles;   /* [n_cols * SR_N_QUANTILES] */
} column_stats;

/* Scratch of one level, in values. */
typedef struct {
    size_t n_cols;
    double *column;      /* [n_trials]: one column over trials */
    double *sorted;      /* [n_trials]: sr_summary_compute's scratch */
    double *values;      /* [n_annual * SR_VALUATIONS * n_cols * (2 + SR_N_QUANTILES)]: what
                          * stats[] points into */
    column_stats *stats; /* [n_annual * SR_VALUATIONS]: of annual row a valued as k at
                          * stats[a * SR_VALUATIONS + k] */
    double *table;       /* [BUDGET_COLUMNS * n_cols]: the budget group's columns */
} years_work;

/* Values of a years_work's statistics, per metric and valuation. */
static size_t stats_values(size_t n_cols)
{
    return sr_size_mul(n_cols, 2 + SR_N_QUANTILES);
}

static const column_stats *stats_of(const years_work *w, sr_metric m, sr_valuation k)
{
    return &w->stats[sr_annual_row(m) * SR_VALUATIONS + k];
}

/* The budget group's columns: the year, five statistics of each of the two net results,
 * and the two payback shares. */
enum { NET_STATS = 5, BUDGET_COLUMNS = 1 + 2 * NET_STATS + 2 };

/* Statistics over trials of every column of one metric's yearly flows (valued as k) into
 * out. */
static void compute_stats(const sr_resultset *rs, const sr_level *lv, sr_metric m,
                          sr_valuation k, years_work *w, const column_stats *out)
{
    const double *rows = sr_level_yearly(lv, rs->n_trials, rs->n_years, m, k, 0);
    for (size_t y = 0; y < w->n_cols; y++) {
        for (size_t i = 0; i < rs->n_trials; i++)
            w->column[i] = rows[i * w->n_cols + y];
        sr_summary s;
        sr_summary_compute(w->column, rs->n_trials, w->sorted, &s);
        out->mean[y] = s.mean;
        out->p_negative[y] = s.p_negative;
        for (size_t q = 0; q < SR_N_QUANTILES; q++)
            out->quantiles[y * SR_N_QUANTILES + q] = s.q[q];
    }
}

/* /annual/<metric>: float64[years][9], the quantiles over trials of each calendar year's
 * nominal flow (the horizon's years of the nominal yearly statistics). */
static int write_annual(hid_t loc, const sr_resultset *rs, const years_work *w,
                        sr_error *err)
{
    hid_t g = sr_h5_group_create(loc, "annual", err);
    if (g < 0)
        return SR_EXIT_IOERR;
    const hsize_t dims[2] = {rs->n_years, SR_N_QUANTILES}, levels[1] = {SR_N_QUANTILES};
    for (size_t m = 0; m < SR_N_METRICS && rs->n_years > 0; m++) {
        const sr_metric_def *mi = &sr_metrics[m];
        if (!sr_metric_is((sr_metric)m, SR_METRIC_ANNUAL))
            continue;
        char description[1024];
        snprintf(description, sizeof description,
                 "Quantiles over trials (columns, at the levels of the attribute quantiles) "
                 "of the nominal flow in each calendar year (rows, from first_year) of: %s",
                 mi->description);
        hid_t ds = sr_h5_create_floats(g, mi->name, 2, dims,
                                       stats_of(w, (sr_metric)m, SR_NOMINAL)->quantiles,
                                       SR_UNITS_ANNUAL, description, err);
        if (ds < 0)
            goto fail;
        if (sr_h5_attr_int(ds, "first_year", rs->first_year, err) != 0 ||
            sr_h5_attr_floats(ds, "quantiles", 1, levels, sr_quantile_levels, err) != 0) {
            sr_h5_abandon(ds);
            goto fail;
        }
        if (sr_h5_close(ds, err) != 0)
            goto fail;
    }
    return sr_h5_close(g, err);
fail:
    sr_h5_abandon(g);
    return SR_EXIT_IOERR;
}

/* group/<metric>: float64[trials][years + 1] of every annual metric valued as k, with its
 * columns' statistics as attributes. */
static int write_flows(hid_t loc, const char *group, sr_valuation k, const sr_resultset *rs,
                       const sr_level *lv, years_work *w, sr_error *err)
{
    hid_t g = sr_h5_group_create(loc, group, err);
    if (g < 0)
        return SR_EXIT_IOERR;
    const hsize_t dims[2] = {rs->n_trials, w->n_cols};
    const hsize_t cols[1] = {w->n_cols}, levels[1] = {SR_N_QUANTILES};
    const hsize_t table[2] = {w->n_cols, SR_N_QUANTILES};
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        const sr_metric_def *mi = &sr_metrics[m];
        if (!sr_metric_is((sr_metric)m, SR_METRIC_ANNUAL))
            continue;
        char description[1024];
        snprintf(description, sizeof description,
                 "Each trial's (rows) %s in each calendar year (columns, from first_year; the "
                 "last column: what falls after the horizon) of: %s",
                 k == SR_NOMINAL ? "nominal flow" : "flow as a present value at the public rate",
                 mi->description);
        const column_stats *st = stats_of(w, (sr_metric)m, k);
        hid_t ds = sr_h5_create_floats(
            g, mi->name, 2, dims, sr_level_yearly(lv, rs->n_trials, rs->n_years, m, k, 0),
            k == SR_NOMINAL ? SR_UNITS_YEARLY : SR_UNITS_YEARLY_PV, description, err);
        if (ds < 0)
            goto fail;
        if (sr_h5_attr_int(ds, "first_year", rs->first_year, err) != 0 ||
            sr_h5_attr_floats(ds, "mean", 1, cols, st->mean, err) != 0 ||
            sr_h5_attr_floats(ds, "quantile_levels", 1, levels, sr_quantile_levels, err) != 0 ||
            sr_h5_attr_floats(ds, "quantile_values", 2, table, st->quantiles, err) != 0 ||
            sr_h5_attr_floats(ds, "p_negative", 1, cols, st->p_negative, err) != 0) {
            sr_h5_abandon(ds);
            goto fail;
        }
        if (sr_h5_close(ds, err) != 0)
            goto fail;
    }
    return sr_h5_close(g, err);
fail:
    sr_h5_abandon(g);
    return SR_EXIT_IOERR;
}

/* The share of trials whose payback year (metric m: a calendar year, NaN never) is each
 * year of the horizon, and in the last entry the share that never pays back. */
static void payback_shares(const sr_resultset *rs, const sr_level *lv, sr_metric m,
                           double *share, size_t n_cols)
{
    const double *year = sr_level_trials(lv, rs->n_trials, m);
    for (size_t y = 0; y < n_cols; y++)
        share[y] = 0.0;
    for (size_t i = 0; i < rs->n_trials; i++) {
        const double y = year[i] - rs->first_year;   /* a whole year, or NaN: never */
        share[y >= 0 && y < (double)rs->n_years && y == floor(y) ? (size_t)y : rs->n_years] +=
            1.0;
    }
    for (size_t y = 0; y < n_cols; y++)
        share[y] /= (double)rs->n_trials;
}

/* /budget: the paying budget's year-by-year table, one float64[years + 1] column each. */
static int write_budget(hid_t loc, const sr_resultset *rs, const sr_level *lv, years_work *w,
                        sr_error *err)
{
    static const sr_metric net[2] = {SR_M_PAYER_NET_SELFFUND, SR_M_PAYER_NET_SIB};
    static const sr_metric payback[2] = {SR_M_PAYBACK_YEAR_SELFFUND, SR_M_PAYBACK_YEAR_SIB};
    static const char *const stat_name[NET_STATS] = {"mean", "q05", "q95", "p_negative",
                                                     "cumulative_mean"};
    static const char *const stat_units[NET_STATS] = {
        "DKK (nominal, per calendar year)", "DKK (nominal, per calendar year)",
        "DKK (nominal, per calendar year)", "1 (share of trials)",
        "DKK (nominal, cumulative from the first year)"};
    static const char *const stat_text[NET_STATS] = {
        "the mean over trials", "the 5% quantile over trials", "the 95% quantile over trials",
        "the share of trials below 0", "the mean cumulative sum from the first year to the "
        "row's"};
    const size_t n = w->n_cols;
    double *table = w->table;
    char names[2 * NET_STATS][64], texts[2 * NET_STATS][512];
    sr_h5_column cols[BUDGET_COLUMNS];
    size_t c = 0;
    for (size_t y = 0; y < n; y++)
        table[y] = y < rs->n_years ? (double)rs->first_year + (double)y : NAN;
    cols[c++] = (sr_h5_column){"year", "calendar year",
                               "The row's calendar year; NaN in the last row (after the "
                               "horizon for the flows, never for the payback shares).",
                               table, NULL, 0};
    for (size_t k = 0; k < 2; k++) {
        const column_stats *st = stats_of(w, net[k], SR_NOMINAL);
        for (size_t j = 0; j < NET_STATS; j++) {
            double *out = table + c * n;
            double cumulative = 0.0;
            for (size_t y = 0; y < n; y++) {
                const double *q = st->quantiles + y * SR_N_QUANTILES;
                cumulative += st->mean[y];
                const double value[NET_STATS] = {st->mean[y], q[SR_Q05], q[SR_Q95],
                                                 st->p_negative[y], cumulative};
                out[y] = value[j];
            }
            const size_t at = k * NET_STATS + j;
            snprintf(names[at], sizeof names[at], "%s_%s", sr_metrics[net[k]].name,
                     stat_name[j]);
            snprintf(texts[at], sizeof texts[at],
                     "Of the nominal flow of %s in the row's calendar year (the last row: "
                     "after the horizon): %s.", sr_metrics[net[k]].name, stat_text[j]);
            cols[c] = (sr_h5_column){names[at], stat_units[j], texts[at], out, NULL, 0};
            c++;
        }
    }
    for (size_t k = 0; k < 2; k++) {
        double *out = table + c * n;
        payback_shares(rs, lv, payback[k], out, n);
        cols[c++] = (sr_h5_column){
            k == 0 ? "payback_share_selffund" : "payback_share_sib", "1 (share of trials)",
            k == 0 ? "The share of trials whose payback_year_selffund is the row's year; in "
                     "the last row, the share that never pays back within the horizon."
                   : "The share of trials whose payback_year_sib is the row's year; in the "
                     "last row, the share that never pays back within the horizon.",
            out, NULL, 0};
    }
    if (sr_h5_write_columns(loc, "budget", cols, c, n, err) != 0)
        return SR_EXIT_IOERR;
    hid_t g = sr_h5_group_open(loc, "budget", err);
    if (g < 0)
        return SR_EXIT_IOERR;
    const char *const payer[1] = {sr_payer_name(lv->payer)};
    const sr_h5_text_attr payer_attr = {"payer", payer, 1};
    if (sr_h5_attr_text(g, &payer_attr, err) != 0 ||
        sr_h5_attr_int(g, "first_year", rs->first_year, err) != 0) {
        sr_h5_abandon(g);
        return SR_EXIT_IOERR;
    }
    return sr_h5_close(g, err);
}

double sr_h5_years_scratch_bytes(size_t n_trials, size_t n_years)
{
    const size_t n_cols = sr_yearly_columns(n_years);
    const size_t n_stats = sr_annual_row(SR_N_METRICS) * SR_VALUATIONS;
    return 2 * sr_array_bytes(n_trials, sizeof(double)) +
           sr_array_bytes(sr_size_mul(n_stats, stats_values(n_cols)), sizeof(double)) +
           sr_array_bytes(n_stats, sizeof(column_stats)) +
           sr_array_bytes(sr_size_mul(n_cols, BUDGET_COLUMNS), sizeof(double));
}

/* Every annual metric's column statistics, both valuations, into w->stats. */
static void compute_all_stats(const sr_resultset *rs, const sr_level *lv, years_work *w)
{
    const size_t per = stats_values(w->n_cols);
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        if (!sr_metric_is((sr_metric)m, SR_METRIC_ANNUAL))
            continue;
        for (size_t k = 0; k < SR_VALUATIONS; k++) {
            const size_t at = sr_annual_row((sr_metric)m) * SR_VALUATIONS + k;
            double *v = w->values + at * per;
            w->stats[at] = (column_stats){v, v + w->n_cols, v + 2 * w->n_cols};
            compute_stats(rs, lv, (sr_metric)m, (sr_valuation)k, w, &w->stats[at]);
        }
    }
}

int sr_h5_write_years(hid_t loc, const sr_resultset *rs, const sr_level *lv, sr_error *err)
{
    years_work w = {.n_cols = sr_yearly_columns(rs->n_years)};
    const size_t n_stats = sr_annual_row(SR_N_METRICS) * SR_VALUATIONS;
    w.column = malloc(rs->n_trials * sizeof *w.column);
    w.sorted = malloc(rs->n_trials * sizeof *w.sorted);
    w.values = malloc(n_stats * stats_values(w.n_cols) * sizeof *w.values);
    w.stats = malloc(n_stats * sizeof *w.stats);
    w.table = malloc(w.n_cols * BUDGET_COLUMNS * sizeof *w.table);
    int rc = 0;
    if (!w.column || !w.sorted || !w.values || !w.stats || !w.table) {
        rc = sr_h5_fail(err, SR_EXIT_SOFTWARE, loc, "out of memory for the yearly flows of "
                        "%zu trials", rs->n_trials);
    } else {
        compute_all_stats(rs, lv, &w);
        if (write_annual(loc, rs, &w, err) != 0 ||
            write_flows(loc, "yearly", SR_NOMINAL, rs, lv, &w, err) != 0 ||
            write_flows(loc, "yearly_pv", SR_PRESENT_VALUE, rs, lv, &w, err) != 0 ||
            write_budget(loc, rs, lv, &w, err) != 0)
            rc = SR_EXIT_IOERR;
    }
    free(w.column);
    free(w.sorted);
    free(w.values);
    free(w.stats);
    free(w.table);
    return rc;
}
