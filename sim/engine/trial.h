/* One trial of a scenario: the trial's parameter draws and macro path, every programme's
 * arms, and the metrics that follow, per programme and for the portfolio. */
#ifndef SR_TRIAL_H
#define SR_TRIAL_H

#include <gsl/gsl_rng.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/model.h"
#include "sim/engine/arm.h"
#include "sim/engine/contract.h"
#include "sim/engine/layout.h"
#include "sim/engine/progress.h"
#include "sim/engine/rates.h"
#include "sim/engine/results.h"

/* Per-thread workspace. Everything a trial touches is allocated here, once. */
typedef struct {
    const sr_model *model;
    const sr_layout *layout;
    size_t n_years;
    double *values;           /* [n_num]: this trial's numbers */
    double *discount;         /* [n_months]: present value factors at the public rate */
    size_t *year_of_month;    /* [n_months]: the yearly column of month t (its calendar year
                               * less the first) */
    sr_arm_ws *arm;
    sr_arm_flows *control;    /* the control group's, copied out before the cohort's pair
                               * runs (whose flows stay in arm) */
    size_t *termination;      /* [n_programmes]: month of cancellation, or SIZE_MAX */
    sr_contract_ws *contract;
    double **records;         /* [n_programmes]: each programme's contract record of the
                               * trial (sr_contract_record_size doubles) */
    sr_rates **rates;         /* [n_programmes] */
    sr_progress **progress;   /* [n_programmes]: rate-card progress tables */
    bool rates_constant;      /* numbers and macro conditions are the same in every trial */
    bool rates_ready;
    size_t n_conds;
    sr_macro_cond *conds;     /* [n_conds] */
    unsigned char *cond_of_month; /* [n_months] (gaussian factor: month t uses cond t) */
    double recession_months;  /* this trial's macro path: months in recession (regime) */
    double factor_mean;       /* this trial's macro path: mean factor (gaussian) */
    double *copula;           /* [n_parameters^2] Cholesky factor, or NULL: no correlations */
    double *latent;           /* [n_parameters] latent normals of the copula */
    gsl_rng *rng;
    const volatile sig_atomic_t *interrupted; /* set by a signal handler: a trial stops at
                                               * its next month and its rows are
                                               * meaningless; may be NULL (the default) */
} sr_trial_ws;

/* NULL on allocation failure, or (*too_many set) when a programme's rate card has more
 * outcome combinations than SR_PROGRESS_MAX. */
sr_trial_ws *sr_trial_ws_alloc(const sr_model *m, const sr_layout *l, int *too_many);
void sr_trial_ws_free(sr_trial_ws *w);    /* NULL is fine */
/* Bytes sr_trial_ws_alloc(m, l) takes, its scratch included, from the element counts its
 * parts are allocated with (models/size.h: an upper bound, allocator overhead in); what
 * the run's memory check compares with the machine. */
double sr_trial_ws_bytes(const sr_model *m, const sr_layout *l);

/* Runs trial `trial` (deterministic = false) or the deterministic expectation (true: every
 * number at its mean, no macro shocks, expected counts). Writes each programme's row to
 * rows[1 + p] and the portfolio's (the sum) to rows[0]; rows' arrays are zeroed first.
 * Each programme's contract record is left in w->records (sr_trial_settle). */
void sr_trial_run(sr_trial_ws *w, uint64_t seed, uint64_t trial, bool deterministic,
                  sr_level_row *rows);

/* The end of a trial: settles every programme's contract from its record of the trial
 * (records[p], sr_contract_record), under the terms drawn in the trial, with the terms of
 * changes[0 .. n_changes - 1] changed in order (models/terms.h); fills the
 * contract metrics and the yearly payments of each programme's row rows[1 + p], whose
 * other metrics and flows (savings, programme cost, ...) it reads, and the whole of the
 * portfolio's row rows[0]. sr_trial_run ends with it; a trial settled again from the same
 * records and rows, with no change, gets the same numbers to the bit. */
void sr_trial_settle(const sr_model *m, sr_contract_ws *w, const double *const *records,
                     const sr_term *changes, size_t n_changes, sr_level_row *rows);

/* Draws trial `trial`'s numbers into w->values, as sr_trial_run does, and nothing else. */
void sr_trial_draw_numbers(sr_trial_ws *w, uint64_t seed, uint64_t trial);

#endif
