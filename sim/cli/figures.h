/* A result set's figures as the reports read them: a level's metrics with every summary
 * statistic and their yearly quantiles, the decision figures, diversification, the stress
 * rows, the sweep table, and counts over trials (histograms, shares). The terminal summary
 * (summary_print.c), the HTML report (report.c) and the export (export.c) all read through
 * here, so that the three show the same figures. Every object is read through the checked
 * reader (sim/resultset/h5check.h, h5read.h): a file that fails a check is refused with
 * SR_EXIT_IOERR and a message naming the object. Absent figures are NaN or empty, never
 * errors. Text is as the file holds it: whoever shows it makes it safe. HDF5 calls: one
 * thread, outside OpenMP regions. */
#ifndef SR_FIGURES_H
#define SR_FIGURES_H

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/metric.h"
#include "models/summary.h"
#include "sim/base/error.h"
#include "sim/resultset/h5check.h"
#include "sim/resultset/h5read.h"

/* ---- a level's metrics ------------------------------------------------------------------ */

/* The statistics of summary/<metric> (docs/results.md), in this order. */
typedef enum {
    SR_FIG_MEAN, SR_FIG_SD, SR_FIG_MCSE, SR_FIG_MIN,
    SR_FIG_Q01, SR_FIG_Q05, SR_FIG_Q10, SR_FIG_Q25, SR_FIG_Q50, SR_FIG_Q75, SR_FIG_Q90,
    SR_FIG_Q95, SR_FIG_Q99,
    SR_FIG_MAX, SR_FIG_ES95, SR_FIG_ES99, SR_FIG_ES95_UPPER, SR_FIG_ES99_UPPER,
    SR_FIG_P_NEGATIVE,
    SR_FIG_N_STATS
} sr_fig_stat;

/* The attribute names, indexed by sr_fig_stat ("mean", "q05", "es95_upper", ...). */
extern const char *const sr_fig_stat_names[SR_FIG_N_STATS];

/* One metric of a level: summary/<name> and deterministic/<name>. */
typedef struct {
    char *name;
    char *units;              /* NULL when absent */
    double stat[SR_FIG_N_STATS];   /* NaN where absent */
    double deterministic;     /* NaN when absent */
    uint64_t n_nan, n_infinite;    /* trials left out of the statistics */
} sr_fig_metric;

/* annual/<name>: quantiles over trials of each calendar year's nominal flow. */
typedef struct {
    char *name;
    char *units;
    unsigned first_year;      /* of row 0 */
    size_t years;
    double levels[SR_N_QUANTILES];   /* the attribute quantiles */
    double *q;                /* [years][SR_N_QUANTILES] */
} sr_fig_annual;

/* The largest number of calendar years a yearly dataset may hold (the horizon's limit in
 * years, with room). */
#define SR_FIG_MAX_YEARS 1000

/* A level: the portfolio at the root, a programme, a stress. */
typedef struct {
    char *name;               /* the programme's or stress's link name; "" for the root */
    size_t n_metrics;
    sr_fig_metric *metric;    /* in the order written */
    size_t n_annual;
    sr_fig_annual *annual;    /* in the order written */
} sr_fig_level;

/* Reads every metric of level's summary group (the order written) with all its statistics,
 * its deterministic value and units, and every dataset of its annual group. name is
 * copied. A level without a summary group has no metrics. */
int sr_fig_read_level(hid_t level, const char *name, const sr_h5_trials *trials,
                      sr_fig_level *out, sr_error *err);
void sr_fig_level_clear(sr_fig_level *l);

/* The metric of that name, NULL when the level has none. */
const sr_fig_metric *sr_fig_find(const sr_fig_level *l, const char *name);
const sr_fig_annual *sr_fig_find_annual(const sr_fig_level *l, const char *name);

/* A statistic of a metric; NaN when the metric is absent. */
double sr_fig_value(const sr_fig_level *l, sr_metric m, sr_fig_stat stat);

/* The programmes' levels, in the order written (/programmes/<name>). */
typedef struct {
    size_t n;
    sr_fig_level *level;
} sr_fig_levels;

int sr_fig_read_programmes(hid_t root, const sr_h5_trials *trials, sr_fig_levels *out,
                           sr_error *err);
void sr_fig_levels_clear(sr_fig_levels *l);

/* ---- the decision table ---------------------------------------------------------------- */

/* The paying budget's decision (docs/model.md, contracts): its net result funding the
 * programme itself and paying by results (the SR_METRIC_PAYER metrics, ranked), the price
 * of the risk transfer and the investors' risk. */
typedef struct {
    bool present;             /* the level has investors (a contract) and trials */
    size_t n_net;
    sr_metric net_metric[SR_N_METRICS];
    double net[SR_N_METRICS][3];    /* mean, q05, es95 per net metric */
    double transfer;          /* E[payments] - E[programme cost], DKK (PV) */
    double overpayment;       /* mean, DKK (PV) */
    uint64_t unfounded;       /* trials that pay while the payer's savings are <= 0 */
    uint64_t trials;
    double p_loss, irr_q50, irr_q05, npv_es95, npv_mean;
} sr_fig_decision;

/* Reads the decision figures of level (present false, and nothing read but the investors'
 * mean NPV, without investors or when the trials are not known). */
int sr_fig_read_decision(hid_t level, const sr_h5_trials *trials, sr_fig_decision *d,
                         sr_error *err);

/* ---- diversification ------------------------------------------------------------------- */

/* The tail metrics' (SR_METRIC_TAIL) es95 for the portfolio against the sum of the
 * programmes' es95. */
typedef struct {
    size_t n;                 /* 0 for fewer than two programmes */
    sr_metric metric[SR_N_METRICS];
    double portfolio[SR_N_METRICS], sum[SR_N_METRICS];
} sr_fig_diversification;

int sr_fig_read_diversification(hid_t root, sr_fig_diversification *d, sr_error *err);

/* ---- stresses -------------------------------------------------------------------------- */

/* One row of the stress table: a stress and one of its key metrics (SR_METRIC_STRESS). */
typedef struct {
    size_t stress;            /* index into the stress names */
    sr_metric metric;
    char *units;              /* NULL when absent */
    double mean, q05, base_mean, base_q05;
} sr_fig_stress_row;

typedef struct {
    bool present;             /* the file has /stress with its base */
    sr_h5_names names;        /* the stresses in the order written, "base" among them */
    size_t n_rows;
    sr_fig_stress_row *row;   /* stress by stress, metrics by report rank */
} sr_fig_stresses;

int sr_fig_read_stresses(hid_t root, sr_fig_stresses *s, sr_error *err);
void sr_fig_stresses_clear(sr_fig_stresses *s);

/* ---- tables of columns: the sweep's and the budget's ---------------------------------- */

#define SR_FIG_MAX_COLUMNS 32

/* The float datasets of a group, each a column of `rows` values, in the order written. */
typedef struct {
    size_t rows;
    size_t n;
    char *name[SR_FIG_MAX_COLUMNS];      /* dataset names */
    char *heading[SR_FIG_MAX_COLUMNS];   /* the attribute heading; the name when absent */
    char *units[SR_FIG_MAX_COLUMNS];     /* NULL when absent */
    double *cell[SR_FIG_MAX_COLUMNS];    /* [rows] */
} sr_fig_columns;

/* Reads every dataset of group g as a column of exactly rows values (what: where rows comes
 * from, for a message), the Monte Carlo standard errors (*_mcse) only with_mcse, at most
 * SR_FIG_MAX_COLUMNS. A link that is no dataset is no column. */
int sr_fig_read_columns(hid_t g, size_t rows, bool with_mcse, const char *what,
                        sr_fig_columns *c, sr_error *err);
void sr_fig_columns_clear(sr_fig_columns *c);

/* The column of that dataset name, or -1. */
int sr_fig_column(const sr_fig_columns *c, const char *name);

typedef struct {
    bool present;             /* /sweep with values and a table */
    size_t k;                 /* points */
    size_t n_keys;            /* values per point: one per swept key */
    size_t n_key_names;
    char **key;               /* [n_key_names] the swept key paths (attribute param; none
                               * when absent) */
    char *design;             /* "single", "grid", "paired"; NULL when absent */
    double *value;            /* [k][n_keys] numeric values (NaN: not a number) */
    char **value_text;        /* [k][n_keys] as applied; NULL when absent */
    sr_fig_columns table;     /* /sweep/table: k rows */
} sr_fig_sweep;

/* Reads the sweep group sg: the values, keys, design, and the columns of /sweep/table (the
 * Monte Carlo standard errors only with_mcse). present is false when the values or the
 * table are absent or hold no point. /sweep/values must have a row per point under
 * /sweep/points, and every column a value per row. */
int sr_fig_read_sweep(hid_t sg, bool with_mcse, sr_fig_sweep *s, sr_error *err);
void sr_fig_sweep_clear(sr_fig_sweep *s);

/* ---- budget years (result-set format 2) --------------------------------------------- */

/* yearly/<name>: every trial's nominal flow per calendar year, and in a last column what
 * falls after the horizon; read here are its per-column statistics, and, when asked, the
 * quantiles of each trial's cumulative flow from the first year, computed from the trials
 * (the file does not hold them). */
typedef struct {
    char *name, *units;
    unsigned first_year;
    size_t years;                      /* calendar years: the file has years + 1 columns */
    double levels[SR_N_QUANTILES];     /* the attribute quantile_levels */
    double *q;                         /* [years + 1][SR_N_QUANTILES]: quantile_values */
    double *mean, *p_negative;         /* [years + 1] */
    double *cumulative;                /* [years][SR_N_QUANTILES]; NULL when not asked or
                                        * when trials x years exceeds the bound below */
} sr_fig_yearly;

/* The most values (trials x years) the cumulative quantiles hold in memory: 128 MiB. */
#define SR_FIG_MAX_CUMULATIVE ((size_t)1 << 24)

/* Reads level/yearly/<name> into y (*found false when absent): its shape must be
 * [trials][years + 1] with 2 to SR_FIG_MAX_YEARS + 1 columns and its statistics of that
 * many columns. */
int sr_fig_read_yearly(hid_t level, const char *name, const sr_h5_trials *trials,
                       bool cumulative, sr_fig_yearly *y, bool *found, sr_error *err);
void sr_fig_yearly_clear(sr_fig_yearly *y);

/* A yearly dataset's quantiles (the file's, or the cumulative ones) as an sr_fig_annual
 * that borrows them: the calendar years only. */
sr_fig_annual sr_fig_yearly_view(const sr_fig_yearly *y, bool cumulative);

/* budget/: the year-by-year table of the paying budget, a column per dataset, a row per
 * calendar year and a last row for after the horizon (or "never", for payback shares). */
typedef struct {
    bool present;
    char *payer;              /* the attribute payer; NULL when absent */
    sr_fig_columns table;
} sr_fig_budget;

int sr_fig_read_budget(hid_t level, sr_fig_budget *b, sr_error *err);
void sr_fig_budget_clear(sr_fig_budget *b);

/* ---- counts over trials ---------------------------------------------------------------- */

/* A histogram of one metric's finite trials: n_bins equal bins over [lo, hi] (the
 * smallest and largest finite value, or the range shared by the histograms read
 * together); the last bin holds hi. */
#define SR_FIG_MAX_BINS 200
typedef struct {
    char *name;
    double lo, hi;
    size_t n_bins;
    uint64_t count[SR_FIG_MAX_BINS];
    uint64_t n_finite, n_left_out;    /* NaN and infinite trials */
} sr_fig_hist;

/* Reads level/trials/<names[j]> twice, a block at a time (memory does not grow with the
 * trials): the range, then the counts, into hist[n]. With shared, all n share one range.
 * *have is false when the trials are unknown or the level lacks any of the metrics. */
int sr_fig_read_histograms(hid_t level, const sr_h5_trials *trials, const char *const *names,
                           size_t n, size_t n_bins, bool shared, sr_fig_hist *hist,
                           bool *have, sr_error *err);
void sr_fig_hist_clear(sr_fig_hist *h, size_t n);

/* How many trials of level/trials/<name> are above 0 (NaN counts as not); *have false
 * when absent. */
int sr_fig_count_positive(hid_t level, const sr_h5_trials *trials, const char *name,
                          uint64_t *count, bool *have, sr_error *err);

#endif
