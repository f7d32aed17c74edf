/* A result set in memory: every trial's value of every metric, for the portfolio and for
 * each programme, its flows per calendar year (nominal and present values), and the
 * deterministic expectation.
 * Filled by the driver (sim/engine/run.c), written by sim/resultset/h5write.c (docs/results.md). */
#ifndef SR_RESULTS_H
#define SR_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/base/error.h"
#include "models/metric.h"
#include "models/model.h"

/* How a yearly flow is valued: as it falls (the budget year's figure), or discounted to
 * simulation.start at the public rate month by month (so that a trial's years add up to
 * its present value). */
typedef enum { SR_NOMINAL = 0, SR_PRESENT_VALUE = 1, SR_VALUATIONS = 2 } sr_valuation;

/* Columns of a trial's yearly flows: the n_years calendar years the horizon touches, then
 * one for everything after the horizon (settlements made after it). */
static inline size_t sr_yearly_columns(size_t n_years)
{
    return n_years + 1;
}

/* One level of the result set: the portfolio, or one programme. */
typedef struct {
    double *trial;            /* [SR_N_METRICS * n_trials]: metric m of trial i at
                               * trial[m * n_trials + i] */
    double *annual;           /* [n_annual * SR_VALUATIONS * n_trials * n_cols]: the flow of
                               * metric m (one with SR_METRIC_ANNUAL) valued as k in column
                               * y (sr_yearly_columns) of trial i at annual[((sr_annual_row(m)
                               * * SR_VALUATIONS + k) * n_trials + i) * n_cols + y]; n_annual
                               * = sr_annual_row(SR_N_METRICS), n_cols = n_years + 1 */
    double deterministic[SR_N_METRICS];
    int payer;                /* the paying budget its payer_* figures are measured against:
                               * SR_MUNICIPALITY, SR_STATE, or SR_PAYERS for a portfolio
                               * whose contracts have both (sr_resultset_set_payers) */
} sr_level;

/* Where one level's figures of one trial go, as a trial computes them: metric[SR_N_METRICS]
 * and, for the metrics with SR_METRIC_ANNUAL, yearly[(m * SR_VALUATIONS + k) * n_cols + y]
 * (sr_row_yearly; the rows of other metrics are unused). */
typedef struct {
    double *metric;
    double *annual;
} sr_level_row;

typedef struct {
    size_t n_trials;
    size_t n_years;           /* calendar years the horizon touches */
    int first_year;
    uint64_t seed;
    char *scenario_text;      /* as run, overrides applied */
    size_t n_programmes;
    char **programme_names;   /* [n_programmes] */
    sr_level portfolio;
    sr_level *programme;      /* [n_programmes] */
    const char *rng_name;     /* the generator behind the random streams, e.g. "SplitMix64 ...";
                               * set by the driver, not owned (static storage); written as
                               * the root attribute `rng` */
    size_t n_parameters;
    char **parameter_names;   /* [n_parameters], malloc'd by the driver: a named
                               * parameter's name, or the key path of a number given as
                               * a distribution */
    char **parameter_paths;   /* [n_parameters], malloc'd by the driver: the key path
                               * ("parameters.effect", "programmes[0].contract.cap_total") */
    double *parameters;       /* [n_parameters * n_trials]: trial i's draw of parameter k at
                               * parameters[k * n_trials + i] (/parameters/<name>) */
    double *recession_months; /* [n_trials]: months in recession (regime model; else 0) */
    double *factor_mean;      /* [n_trials]: mean of the macro factor over the horizon
                               * (gaussian factor model; else 0) */
    struct sr_records *records; /* every trial's contract records (sim/engine/records.h)
                                 * when the run was asked to keep them, else NULL; owned,
                                 * never written to a file */
} sr_resultset;

/* Sets each level's payer from m: a programme's contract's payer (the municipality without
 * a contract), and the portfolio's, which is SR_PAYERS when its programmes' differ. */
void sr_resultset_set_payers(sr_resultset *rs, const sr_model *m);

/* How reports name a payer: "municipality", "state", "municipality and state". */
const char *sr_payer_name(int payer);

/* Allocates the columns of the inputs drawn per trial (zeroed; names and paths NULL); 0 or -1 on allocation failure. */
int sr_resultset_alloc_parameters(sr_resultset *rs, size_t n_parameters);

/* Allocates every array (zeroed); programme_names[] are NULL until the driver sets them
 * (malloc'd strings, freed by sr_resultset_free), scenario_text likewise, rng_name NULL.
 * n_trials must be positive; n_years may be 0. Returns NULL on allocation failure. */
sr_resultset *sr_resultset_alloc(size_t n_trials, size_t n_years, int first_year,
                                 size_t n_programmes);
void sr_resultset_free(sr_resultset *rs);   /* NULL is fine */
/* Bytes sr_resultset_alloc and sr_resultset_alloc_parameters take for these sizes, from
 * the same element counts (models/size.h: an upper bound); names and text not included. */
double sr_resultset_bytes(size_t n_trials, size_t n_years, size_t n_programmes,
                          size_t n_parameters);

static inline double *sr_level_trials(const sr_level *l, size_t n_trials, sr_metric m)
{
    return l->trial + (size_t)m * n_trials;
}

/* The row of metric m among the metrics with annual flows: how many of the metrics
 * before m have them (so sr_annual_row(SR_N_METRICS) is their number). */
size_t sr_annual_row(sr_metric m);

/* Trial `trial`'s yearly flows of metric m (which must have SR_METRIC_ANNUAL) valued as k:
 * sr_yearly_columns(n_years) values. */
static inline double *sr_level_yearly(const sr_level *l, size_t n_trials, size_t n_years,
                                      sr_metric m, sr_valuation k, size_t trial)
{
    const size_t n_cols = sr_yearly_columns(n_years);
    return l->annual + ((sr_annual_row(m) * SR_VALUATIONS + k) * n_trials + trial) * n_cols;
}

/* Trial `trial`'s nominal flows of metric m: column y < n_years is calendar year
 * first_year + y, column n_years what falls after the horizon. */
static inline double *sr_level_annual(const sr_level *l, size_t n_trials, size_t n_years,
                                      sr_metric m, size_t trial)
{
    return sr_level_yearly(l, n_trials, n_years, m, SR_NOMINAL, trial);
}

/* A trial row's yearly flows of metric m valued as k: sr_yearly_columns(n_years) values. */
static inline double *sr_row_yearly(const sr_level_row *r, size_t n_years, sr_metric m,
                                    sr_valuation k)
{
    return r->annual + ((size_t)m * SR_VALUATIONS + k) * sr_yearly_columns(n_years);
}

/* Values of one level's trial row (its metrics, then every metric's yearly flows), which
 * a caller allocates per level: annual = metric + SR_N_METRICS. */
size_t sr_level_row_values(size_t n_years);

/* Copies one level's row of trial i into the level's arrays. */
void sr_level_store(sr_level *level, const sr_level_row *row, size_t n_trials, size_t n_years,
                    size_t i);

/* The reverse: trial i's metrics and yearly flows, from the level's arrays, into row (the
 * yearly rows of metrics without SR_METRIC_ANNUAL are zeroed). */
void sr_level_load(const sr_level *level, const sr_level_row *row, size_t n_trials,
                   size_t n_years, size_t i);

#endif
