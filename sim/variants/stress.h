/* Stress tests (docs/scenario-format.md `stresses`, README `sirisk stress`): the base
 * scenario and each named stress (a set of overrides) run with the same seed and trials.
 * Random streams are keyed by what they are for, so every stress draws the same random
 * numbers as the base: a difference between two of them is the stress, not noise. */
#ifndef SR_STRESS_H
#define SR_STRESS_H

#include "sim/base/error.h"
#include "sim/resultset/h5write.h"
#include "sim/variants/variants.h"

/* Loads rq->scenario with the command line's overrides, then runs the base and every
 * stress of the scenario, or only those named in `only` (comma-separated; NULL: all), as
 * variants (sim/variants/variants.h): the base is "base", each stress is named by its
 * name, in file order. A stress's overrides apply after the command line's; every stress
 * is loaded before anything runs. An unknown name in `only` is a usage error; a scenario
 * without stresses is an invalid scenario for this command. With rq->output, *file gets
 * the stress file (the base at the root, every run under /stress/<name>/) to publish.
 * Returns 0 or the error code with err. */
int sr_stress_run(const sr_variants_request *rq, const char *only, sr_h5_file **file,
                  sr_error *err);

#endif
