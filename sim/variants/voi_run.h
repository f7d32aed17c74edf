/* `sirisk voi`: the value-of-information analysis of a scenario (run first) or of an
 * existing result set (no simulation), with the EVSI of pilots when asked
 * (docs/results.md#value-of-information). The decisions: the paying budget's between the
 * options given (by default funding the programme itself, paying by results, and doing
 * nothing), and the investors' between investing and declining where a contract has
 * investors. */
#ifndef SR_VOI_RUN_H
#define SR_VOI_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/base/error.h"
#include "sim/engine/run.h"
#include "sim/engine/voi.h"
#include "sim/resultset/h5write.h"
#include "sim/scenario/scenario.h"

/* Pilot sizes a command may ask for. */
#define SR_VOI_MAX_PILOTS 32

typedef struct {
    const char *operand;             /* a scenario, or a result file (from_file) */
    bool from_file;
    const sr_override *overrides;    /* --set, --trials, --seed (a scenario only) */
    size_t n_overrides;
    const sr_run_options *run;       /* threads, progress, the interrupt flag */
    const char *output;              /* the result file to write */
    const char *options;             /* --options: "NAME,NAME=METRIC,..."; NULL: default */
    const char *groups;              /* --groups: "A+B,A+B+C"; NULL: none */
    size_t bootstrap;                /* replicates; 0: the default */
    double population;               /* persons the decision is for; 0: participants */
    size_t n_pilots;
    double pilot_size[SR_VOI_MAX_PILOTS];  /* persons in a pilot's treated arm */
    unsigned pilot_months;           /* 0: the default */
} sr_voi_request;

/* Bootstrap replicates by default. */
#define SR_VOI_BOOTSTRAP 200

/* What a command keeps of its analysis: the data (which the report borrows from), the
 * decisions' options, and the report. */
typedef struct {
    sr_voi_data data;
    sr_voi_decision_spec decision[2];
    char *option_names;              /* storage of --options' names */
    sr_voi_set *groups;
    sr_voi_report report;
    unsigned pilot_months;
    double pilot_control;            /* control persons per treated person in a pilot */
    bool termination_unrecorded;     /* a contract may be terminated, but the result set
                                      * holds no termination month per trial: that risk
                                      * counts with the noise */
} sr_voi_outcome;

void sr_voi_outcome_clear(sr_voi_outcome *o);

/* Reads what sr_voi_run reads of the result file rq->operand (rq->from_file) and
 * discards it: run in a child process first (sim/cli/isolate.h), it finds a file that
 * would make the HDF5 library fault or loop before the command reads it. Returns 0 or
 * the error code with err. */
int sr_voi_probe(const sr_voi_request *rq, sr_error *err);

/* Reads or simulates the trials, analyses them and adds the EVSI of the pilots, into
 * *outcome, and builds the result file rq->output (a copy of the result file with /voi
 * added, or the run's result set with /voi) into *file, complete but not published, for
 * the caller to publish (sr_h5_file_commit) or abort. Returns 0, or the error code with
 * err: SR_EXIT_USAGE for --options or --groups that name no option, metric or input. */
int sr_voi_run(const sr_voi_request *rq, sr_voi_outcome *outcome, sr_h5_file **file,
               sr_error *err);

#endif
