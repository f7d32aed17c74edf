/* Scenario files (docs/scenario-format.md): YAML in, a validated scenario out: the model the
 * engine runs (models/model.h) and, beside it, the scenario's stresses, its text as run and
 * the notes `validate` prints. Every error
 * names the file, line, column and key path: `scenarios/x.yaml:14:7:
 * programmes[0].cohort.size: must be a positive integer, got -5`. Overrides (`--set
 * PATH=VALUE`, stresses) are applied to the parsed document before it is checked, so an
 * override is checked like the file. */
#ifndef SR_SCENARIO_H
#define SR_SCENARIO_H

#include <stdio.h>

#include "models/model.h"
#include "sim/base/error.h"
#include "sim/scenario/schema.h" /* the limits of amounts and rates */
#include "sim/scenario/yaml_doc.h" /* sr_override */

/* Largest scenario file accepted, bytes; larger files are an error, not a slow parse. */
#define SR_SCENARIO_MAX_BYTES (16u << 20)
/* Deepest nesting accepted in a scenario document. */
#define SR_SCENARIO_MAX_DEPTH 64
/* Most values (scalars, lists, mappings) accepted in a scenario document: bounds the
 * memory a hostile file can make the parser take (about 160 bytes per value). */
#define SR_SCENARIO_MAX_NODES (1u << 18)

/* A stress (`stresses:`): named overrides that `sirisk stress` applies on top of the
 * scenario. */
typedef struct {
    char *name;
    size_t n_overrides;
    sr_override *overrides;
} sr_stress;

/* A loaded scenario. Owns everything it points to. */
typedef struct sr_scenario {
    sr_model *model;          /* what the engine runs */
    size_t n_stresses;
    sr_stress *stresses;
    char *text;               /* the scenario text as run, overrides applied (stored with
                               * the results) */
    char *notes;              /* remarks for `validate` (ignored keys), or NULL */
} sr_scenario;

void sr_scenario_free(sr_scenario *sc);   /* NULL is fine */

/* Loads path, applies the n_overrides overrides in order (an override whose path or value
 * is invalid fails with a message that begins with `--set PATH=VALUE:`), validates, and
 * returns the scenario (owned by the caller: sr_scenario_free). On failure returns NULL
 * and fills err: SR_EXIT_NOINPUT when the file cannot be read, SR_EXIT_SOFTWARE when memory
 * runs out, SR_EXIT_DATAERR otherwise. */
sr_scenario *sr_scenario_load(const char *path, const sr_override *overrides,
                              size_t n_overrides, sr_error *err);

/* The same from text in memory; `name` stands for the file in messages. */
sr_scenario *sr_scenario_load_text(const char *name, const char *text, size_t len,
                                   const sr_override *overrides, size_t n_overrides,
                                   sr_error *err);

/* Splits "PATH=VALUE" (as given to --set) into an override. Returns 0, or fills err
 * (SR_EXIT_DATAERR: an invalid override) when there is no '=' or the path is empty. The
 * strings are copied. */
int sr_override_parse(const char *arg, sr_override *out, sr_error *err);
void sr_override_clear(sr_override *o);

/* The overrides that make stress s of a scenario loaded with ov[0..n_ov): those, then the
 * stress's, then `stresses: ~` (a stressed scenario has no stresses of its own); *n gets
 * their number. The array is the caller's to free; its strings are borrowed. NULL when
 * out of memory (err says so). */
sr_override *sr_stress_overrides(const sr_override *ov, size_t n_ov, const sr_stress *s,
                                 size_t *n, sr_error *err);

/* `sirisk validate`: the resolved model, readable, every number with its unit, then the
 * stresses and notes. */
void sr_scenario_print(FILE *out, const sr_scenario *sc);

#endif
