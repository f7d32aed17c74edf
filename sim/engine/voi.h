/* Which uncertainty matters, and what knowing it is worth: the analysis of a result set's
 * trials in memory (docs/results.md#value-of-information), on the estimators of
 * models/voi.h and models/smooth.h.
 *
 * - Variance attribution: for each metric analysed and each uncertain input X_i, the
 *   first-order index S_i = Var(E[Y | X_i]) / Var(Y), E[Y | X_i] a penalised spline.
 * - Decisions: each option's net benefit per trial is a metric's value (or 0). EVPI =
 *   E[max_d NB_d] - max_d E[NB_d]; the EVPPI of an input or a group of two or three is
 *   the same with NB_d replaced by its regression on them (a tensor-product spline for a
 *   group), made monotone over the sets (models/voi.h); the EVSI of a pilot likewise on
 *   the pilot's summary statistics (sim/engine/pilot.h).
 * Every figure has a bootstrap standard error: the trials resampled with replacement,
 * each replicate drawing the same trials for every figure of a decision (seeded by the
 * result set's seed), the splines refitted at the full sample's smoothing.
 *
 * Work is spread over OpenMP threads by figure; each figure's computation is serial and
 * seeded by what it is, so the report does not depend on the number of threads. */
#ifndef SR_ENGINE_VOI_H
#define SR_ENGINE_VOI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/metric.h"
#include "models/voi.h"
#include "sim/base/error.h"

/* ---- what is analysed --------------------------------------------------------------- */

/* One uncertain input's value in every trial. */
typedef struct {
    char *name;       /* as the result set names it: a parameter, a key path,
                       * "macro.recession_months", "termination_month" */
    double *x;        /* [n_trials]; a trial whose value is not finite is left out of
                       * every regression */
} sr_voi_input;

/* A result set's trials as the analysis reads them. Owns every array. */
typedef struct {
    size_t n_trials;
    size_t n_inputs;
    sr_voi_input *inputs;
    double *metric[SR_N_METRICS]; /* the portfolio's values per trial of the metrics read,
                                   * [n_trials] each; NULL where not read (or absent) */
    double persons;               /* participants: the programmes' cohort sizes summed */
    uint64_t seed;                /* the result set's seed, which keys the bootstrap */
} sr_voi_data;

void sr_voi_data_clear(sr_voi_data *d);

/* Adds to d an input named prefix followed by name, with the values x[d->n_trials], which
 * d owns from now on (freed here on failure). Returns 0, or SR_EXIT_SOFTWARE with err. */
int sr_voi_data_add(sr_voi_data *d, const char *prefix, const char *name, double *x,
                    sr_error *err);

/* An option's net benefit per trial: a metric's value, or SR_VOI_ZERO (nothing happens:
 * 0 in every trial). */
#define SR_VOI_ZERO SR_N_METRICS

typedef struct {
    const char *name;
    unsigned metric;          /* an sr_metric, or SR_VOI_ZERO */
} sr_voi_option;

/* A decision between 2 .. SR_VOI_MAX_OPTIONS options, and the input sets whose EVPPI is
 * wanted besides every input alone. */
#define SR_VOI_MAX_OPTIONS 8

typedef struct {
    const char *key;          /* its group under /voi: "payer", "investor" (the first
                               * decision's figures are /voi's own) */
    const char *title;        /* "the paying budget", "investors" */
    size_t n_options;
    sr_voi_option options[SR_VOI_MAX_OPTIONS];
} sr_voi_decision_spec;

typedef struct {
    size_t n_decisions;
    const sr_voi_decision_spec *decisions;
    size_t n_groups;
    const sr_voi_set *groups;     /* input sets of 2 or 3 (indices into data->inputs) */
    size_t n_metrics;
    const sr_metric *metrics;     /* the metrics whose variance is attributed */
    size_t bootstrap;             /* replicates per figure (>= 2) */
    int threads;                  /* 0: OpenMP's default */
} sr_voi_spec;

/* ---- what it finds ------------------------------------------------------------------ */

/* An estimate and its bootstrap standard error (NaN when it could not be made). */
typedef struct {
    double value, se;
} sr_voi_figure;

/* The first-order indices of one metric. */
typedef struct {
    sr_metric metric;
    size_t n_used;            /* trials with a finite value (and finite inputs) */
    double sd;                /* the metric's standard deviation over them */
    sr_voi_figure *index;     /* [n_inputs]: NaN for an input that never varies */
    double sum;               /* of the indices */
} sr_voi_variance;

/* One decision's value of information. Money: DKK for the whole cohort, as the metrics. */
typedef struct {
    const sr_voi_decision_spec *spec;
    size_t n_used;            /* trials where every option's net benefit is finite */
    double mean[SR_VOI_MAX_OPTIONS];   /* each option's expected net benefit */
    size_t best;              /* the option chosen without more information */
    sr_voi_figure evpi;
    size_t n_sets;
    sr_voi_set *sets;         /* each varying input alone, then the groups */
    sr_voi_figure *evppi;     /* [n_sets], monotone over the sets */
    size_t n_pilots;          /* EVSI: sr_voi_evsi */
    double *pilot_size;       /* [n_pilots] persons in the pilot's treated arm */
    double *pilot_cost;       /* [n_pilots] DKK: what the pilot costs */
    sr_voi_figure *evsi;      /* [n_pilots] for the cohort, as the EVPI */
    sr_voi_figure *enbs;      /* [n_pilots] expected net benefit of sampling: the EVSI
                               * per participant times the population, less the cost */
} sr_voi_decision;

typedef struct {
    size_t n_trials;
    size_t n_inputs;
    const sr_voi_input *inputs;   /* the data's */
    bool *varies;             /* [n_inputs]: takes more than one value */
    double max_correlation;   /* the largest |Pearson correlation| between two varying
                               * inputs over the trials used; 0 with fewer than two */
    size_t correlated[2];     /* those two inputs */
    size_t n_variance;
    sr_voi_variance *variance;
    size_t n_decisions;
    sr_voi_decision *decisions;
    double persons;           /* participants, whom the metrics cover */
    double population;        /* persons the decision is for: per-participant figures
                               * times this are the population's */
    size_t bootstrap;
} sr_voi_report;

/* Analyses data as spec asks into report (cleared first; borrows data's inputs and
 * spec's decisions, which must outlive it). Returns 0, or SR_EXIT_SOFTWARE with err
 * when memory runs out or a fit fails. */
int sr_voi_analyse(const sr_voi_data *data, const sr_voi_spec *spec, sr_voi_report *report,
                   sr_error *err);

/* The EVSI of the first decision of report (the one a pilot is for) for pilots of the
 * n_pilots sizes pilot_size[] costing pilot_cost[] DKK: the value of knowing the n_stats
 * summary statistics stats[(p * n_stats + s) * n_trials + i] of pilot p in trial i (at
 * most SR_SMOOTH_MAX_INPUTS statistics), held to [0, EVPI] in every replicate; and the
 * ENBS.
 * report->population must be set. Returns 0, or SR_EXIT_SOFTWARE with err. */
int sr_voi_evsi(sr_voi_report *report, const sr_voi_data *data, const sr_voi_spec *spec,
                const double *pilot_size, const double *pilot_cost, size_t n_pilots,
                const double *stats, size_t n_stats, sr_error *err);

void sr_voi_report_clear(sr_voi_report *r);

/* The name of a set of r's inputs: their names joined by '+', into buf[size] (truncated
 * to fit); returns the length of the whole name, as snprintf does. */
size_t sr_voi_set_name(const sr_voi_report *r, const sr_voi_set *s, char *buf, size_t size);

#endif
