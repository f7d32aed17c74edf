/* The parallel driver: trials over OpenMP threads, each trial on its own keyed random
 * streams and written to its own row, so a result set does not depend on the number of
 * threads. Also computes the deterministic expectation (SPEC 2.13). */
#ifndef SR_RUN_H
#define SR_RUN_H

#include <signal.h>
#include <stdbool.h>

#include "error.h"
#include "models/model.h"
#include "results.h"

/* Most threads a run uses, whatever OMP_NUM_THREADS asks. */
#define SR_MAX_THREADS 1024

typedef struct {
    int threads;                          /* 0: OMP_NUM_THREADS, else all cores */
    bool progress;                        /* progress with an ETA on stderr */
    volatile sig_atomic_t *interrupted;   /* set by a signal handler; may be NULL */
} sr_run_options;

/* Runs m->trials trials of m with seed m->seed. Returns the result set (scenario text and
 * programme names filled in), or NULL with err (SR_EXIT_INTERRUPTED when interrupted). */
sr_resultset *sr_run(const sr_model *m, const sr_run_options *o, sr_error *err);

#endif
