/* Runs of several variants of one scenario, for the commands that make them: `stress` (the
 * base and each stress) and `sweep` (each point). Every variant's scenario is loaded and
 * checked before any runs, so a bad one fails at once; then the variants run in order, and
 * each one's result set is written to the result file as soon as it is done and freed
 * before the next runs. A command therefore holds one run's workspaces and result set at a
 * time, however many variants it has, and the memory check counts one run at a time.
 *
 * The file (docs/results.md) holds variant 0 at its root, as a run's file does, so that
 * every reader of a run's file reads it; a parent group (/stress, /sweep/points) holds a
 * group per variant, named by the variant: variant 0's links to the root's objects (no
 * second copy), every other one holds its whole layout. Objects are written in the same
 * order whatever the variants, so the file is reproducible to the byte but for
 * created_utc. */
#ifndef SR_VARIANTS_H
#define SR_VARIANTS_H

#include <hdf5.h>
#include <stddef.h>

#include "models/model.h"
#include "sim/base/error.h"
#include "sim/engine/results.h"
#include "sim/engine/run.h"
#include "sim/resultset/h5write.h"
#include "sim/scenario/scenario.h"

/* What a command asks of its variants. */
typedef struct {
    const char *scenario;            /* the scenario file */
    const sr_override *overrides;    /* the command line's (--set, --trials, --seed),
                                      * applied before a variant's own */
    size_t n_overrides;
    const sr_run_options *run;       /* threads, progress, the interrupt flag */
    const char *output;              /* the result file to write; NULL: none */
} sr_variants_request;

/* The variants, in the order they run and are written. Invariant: scenario[i] is NULL once
 * variant i has run (or when it is not set); name[i] is set for every variant set. */
typedef struct {
    size_t n;
    sr_scenario **scenario; /* [n], owned */
    char **name;        /* [n]: the variant's group in the parent ("base", "3") */
    char **label;       /* [n]: how messages name it ("stress dearer", "sweep point 2 of
                         * 4"); NULL for the scenario as given */
} sr_variants;

/* What differs between the kinds of variants. Every hook may be NULL but open_parent,
 * which a run that writes a file needs. */
typedef struct {
    void *ctx;
    /* Called before variant i runs when the run shows progress (a line on stderr). */
    void (*show_progress)(void *ctx, size_t i);
    /* Called when variant i has run, before its result set is written and freed. Returns 0
     * or an error code with err. */
    int (*after_run)(void *ctx, size_t i, const sr_model *m, const sr_resultset *rs,
                     sr_error *err);
    /* Called once variant 0's root layout is in f: creates what comes next in the file,
     * ending with the parent group, which it returns open (H5I_INVALID_HID with err on
     * failure). */
    hid_t (*open_parent)(void *ctx, sr_h5_file *f, sr_error *err);
} sr_variant_hooks;

/* Makes room for n variants, none set yet. Returns 0 or SR_EXIT_SOFTWARE with err (out of
 * memory); v is cleared first either way. */
int sr_variants_alloc(sr_variants *v, size_t n, sr_error *err);

/* Sets variant i: scenario sc (owned from now on, even on failure), its group's name, and
 * its label (may be NULL); name and label are copied. Returns 0 or SR_EXIT_SOFTWARE with
 * err. */
int sr_variants_set(sr_variants *v, size_t i, sr_scenario *sc, const char *name,
                    const char *label, sr_error *err);

/* Checks that the largest variant fits this machine (sim/variants/memory.h), then runs
 * every variant in order. When rq->output is set, the result file is created (beside its
 * target, sr_h5_file_create) once variant 0 has run, each variant is written to it as soon
 * as it has run, and *file gets the file, complete with every variant and the parent group
 * closed, for the caller to add to and publish (sr_h5_file_commit) or abort (file may be
 * NULL only without an output). Returns 0, or
 * the error code with err (a run's error names its variant, a write's the file) and no
 * file left behind. */
int sr_variants_run(sr_variants *v, const sr_variants_request *rq, const sr_variant_hooks *h,
                    sr_h5_file **file, sr_error *err);

void sr_variants_clear(sr_variants *v);

#endif
