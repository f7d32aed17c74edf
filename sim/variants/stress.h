/* Stress tests (SPEC 3 `stresses`, 4 `sirisk stress`): the base scenario and each named
 * stress (a set of overrides) run with the same seed and trials. Random streams are keyed
 * by what they are for, so every stress draws the same random numbers as the base: a
 * difference between two of them is the stress, not noise. */
#ifndef SR_STRESS_H
#define SR_STRESS_H

#include <stddef.h>

#include "sim/base/error.h"
#include "models/model.h"
#include "sim/engine/results.h"
#include "sim/engine/run.h"

typedef struct {
    size_t n;                  /* the base and the stresses run */
    char **names;              /* [n]: "base" first, then the stresses in file order */
    sr_resultset **results;    /* [n] */
} sr_stress_set;

/* Loads path with the overrides, then runs the base and every stress of the scenario, or
 * only those named in `only` (comma-separated; NULL: all). A stress's overrides apply
 * after the command line's. An unknown name in `only` is a usage error; a scenario
 * without stresses is an invalid scenario for this command. Fills out (free with
 * sr_stress_set_clear) or returns the error code with err. */
int sr_stress_run(const char *path, const sr_override *overrides, size_t n_overrides,
                  const char *only, const sr_run_options *o, sr_stress_set *out,
                  sr_error *err);
void sr_stress_set_clear(sr_stress_set *s);

#endif
