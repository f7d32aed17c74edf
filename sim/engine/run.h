/* The parallel driver: trials over OpenMP threads, each trial on its own keyed random
 * streams and written to its own row, so a result set does not depend on the number of
 * threads. Also computes the deterministic expectation (docs/model.md). */
#ifndef SR_RUN_H
#define SR_RUN_H

#include <signal.h>
#include <stdbool.h>

#include "sim/base/error.h"
#include "models/model.h"
#include "sim/engine/results.h"

/* Most threads a run uses, whatever OMP_NUM_THREADS asks. */
#define SR_MAX_THREADS 1024

typedef struct {
    int threads;                          /* 0: OMP_NUM_THREADS, else all cores */
    bool progress;                        /* progress with an ETA on stderr */
    volatile sig_atomic_t *interrupted;   /* set by a signal handler; may be NULL */
    bool keep_records;                    /* keep every trial's contract records in the
                                           * result set (sim/engine/records.h), to settle
                                           * them again under other terms */
} sr_run_options;

/* The threads a run of m with o uses: --threads, else OMP_NUM_THREADS, else all cores; at
 * most SR_MAX_THREADS and the number of trials. */
int sr_run_threads(const sr_model *m, const sr_run_options *o);

/* The memory a run of m takes, in bytes: upper bounds computed from the element counts
 * its allocations use (models/size.h), so that a run that cannot fit is refused before
 * anything big is allocated (sim/variants/memory.h). */
typedef struct {
    int threads;              /* threads the run uses (sr_run_threads) */
    size_t trials;
    double per_thread;        /* one thread's workspace: counts of every cell of every
                               * block, rates, progress tables, flows, its row buffer */
    double shared;            /* the cell layout and the driver's array of workspaces */
    double results;           /* the result set (every trial's metrics, annual flows and
                               * draws, and its contract records when kept), its names and
                               * scenario text, and the writer's scratch */
} sr_run_memory;

/* Fills out for a run of m with o whose result set keeps scenario_text (may be NULL).
 * Builds (and frees) the model's cell layout, which is small; -1 when that fails for want
 * of memory. */
int sr_run_memory_need(const sr_model *m, const char *scenario_text, const sr_run_options *o,
                       sr_run_memory *out);

/* Runs m->trials trials of m with seed m->seed. Returns the result set (a copy of
 * scenario_text, the scenario as run, which may be NULL, and the programme names filled
 * in), or NULL with err (SR_EXIT_INTERRUPTED when interrupted). */
sr_resultset *sr_run(const sr_model *m, const char *scenario_text, const sr_run_options *o,
                     sr_error *err);

#endif
