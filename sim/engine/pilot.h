/* Pilots for the value of sample information (docs/results.md#value-of-information): for
 * each trial of a scenario, what a pilot of n persons with a control group would have
 * shown, simulated by the engine's own arms with the trial's parameter draws.
 *
 * The pilot is of the scenario's first programme with an intervention: n persons enrol in
 * its first month in the programme's initial state and tenure, split over the strata by
 * their shares, and get its intervention (effect, fade and costs); a control group of
 * n times the programme's control group's share of its cohort (or n, without one) enrols
 * alongside without it. Both arms run for the pilot's months under neutral labour-market
 * conditions (a pilot reads the programme's effect, not the future economy), with no
 * contract and no termination. Their streams are keyed by (seed, trial, programme, arm,
 * SR_PURPOSE_PILOT) and the pilot's size, so no stream of the run changes, a pilot of a
 * given size draws the same whatever other sizes are asked for, and the pilots of
 * different sizes are independent.
 *
 * The pilot is summarised by two statistics per trial: the difference in the share of
 * person-months employed between the treated arm and the control group (the measured
 * effect), and the control group's share (the baseline rate). */
#ifndef SR_PILOT_H
#define SR_PILOT_H

#include <stddef.h>

#include "models/model.h"
#include "sim/base/error.h"
#include "sim/engine/run.h"

/* Summary statistics per pilot and trial. */
#define SR_PILOT_STATS 2

typedef struct {
    size_t n_sizes;
    const double *size;       /* [n_sizes] persons in the treated arm, whole, >= 1 */
    unsigned months;          /* 0: the programme's effect months; at most the horizon */
} sr_pilot_spec;

typedef struct {
    double *stats;            /* [(p * SR_PILOT_STATS + s) * n_trials + i]: statistic s of
                               * pilot p in trial i */
    double *cost;             /* [n_sizes]: the treated arm's programme costs over the
                               * pilot's months, nominal DKK, the mean over trials */
    unsigned months;          /* the pilot's months */
    double control_ratio;     /* control persons per treated person */
    size_t programme;         /* the programme piloted */
} sr_pilot_result;

/* Simulates the pilots of m's trials 0 .. n_trials - 1 (seed m->seed) over o's threads.
 * Returns 0, or the error code with err: SR_EXIT_DATAERR when no programme has an
 * intervention, SR_EXIT_INTERRUPTED, SR_EXIT_SOFTWARE when out of memory. */
int sr_pilot_run(const sr_model *m, const sr_pilot_spec *ps, size_t n_trials,
                 const sr_run_options *o, sr_pilot_result *out, sr_error *err);

void sr_pilot_result_clear(sr_pilot_result *r);

#endif
