/* Sweeps (README.md `sirisk sweep`, 5 /sweep): one scenario run at several values of one or
 * two keys, every point with the same seed and trials. Random streams are keyed by
 * (seed, trial, programme, arm, purpose) and parameter draws by the key path that defines
 * them, never by position or thread, so every point draws from the same random numbers
 * (common random numbers): a trial's parameter draws and macro path are the same at every
 * point, and a difference between points is the swept value, not noise. A point is the
 * same result set, bit for bit, as `sirisk run` with the same `--set`s.
 *
 * Three designs, at most two keys in all:
 *   single  --param A --values a1,a2,...                      k points
 *   grid    --param A --values ... --param B --values ...     k = kA x kB, row-major
 *                                                              (A outer, B inner)
 *   paired  --param A,B --values [a1,b1],[a2,b2],...          k points, A and B set together
 *                                                              (a cohort and a control group
 *                                                              kept in proportion)
 * A value is a YAML flow node, applied as an override after the command line's --set.
 *
 * Per point, the sweep table (/sweep/table) condenses the result set into the scale
 * figures a researcher compares: savings and programme cost per participant, the
 * coefficient of variation of savings, the evaluation's power, the investors' risk and the
 * paying municipality's expected net result. */
#ifndef SR_SWEEP_H
#define SR_SWEEP_H

#include <stddef.h>

#include "sim/base/error.h"
#include "models/model.h"
#include "sim/engine/results.h"
#include "sim/engine/run.h"
#include "sim/variants/variants.h"

#define SR_SWEEP_MAX_KEYS 2   /* keys set per point, over all --params */

/* One --param with its --values. */
typedef struct {
    size_t n_keys;            /* 1, or 2 for a paired "A,B" */
    char *key[SR_SWEEP_MAX_KEYS];   /* override paths */
    size_t n_values;          /* 0 until --values */
    char **item;              /* [n_values]: each value as given ("1000", "[1000, 500]") */
    char **value;             /* [n_values * n_keys]: value v of key j at value[v * n_keys + j],
                               * YAML flow text */
} sr_sweep_param;

/* The command line's sweep: filled by sr_sweep_spec_param and sr_sweep_spec_values in the
 * order the options come, then checked by sr_sweep_spec_check. */
typedef struct {
    size_t n_params;
    sr_sweep_param param[SR_SWEEP_MAX_KEYS];
} sr_sweep_spec;

/* --param TEXT: a key path, or two joined by ',' (paired). A usage error (SR_EXIT_USAGE) for
 * an empty path, more than two keys in all, a key given twice, or a --param whose
 * predecessor has no --values yet. */
int sr_sweep_spec_param(sr_sweep_spec *s, const char *text, sr_error *err);
/* --values LIST for the last --param: comma-separated YAML flow nodes (commas inside [],
 * {} or quotes do not split). A paired --param takes flow sequences of as many items as it
 * has keys. A usage error for an empty list or item, or a --values without a --param or
 * given twice. */
int sr_sweep_spec_values(sr_sweep_spec *s, const char *list, sr_error *err);
/* A usage error unless there is at least one --param and each has its --values. */
int sr_sweep_spec_check(const sr_sweep_spec *s, sr_error *err);
/* Number of points (product of the --params' value counts). */
size_t sr_sweep_spec_points(const sr_sweep_spec *s);
void sr_sweep_spec_clear(sr_sweep_spec *s);

/* ---- the sweep table ---------------------------------------------------------------- */

/* Columns of /sweep/table, in the order written and printed. Per participant = divided by
 * the sum of the programmes' cohort sizes in the point's scenario (persons enrolled by
 * plan; a cancelled contract enrols fewer). Means and quantiles are over trials, NaN values
 * left out (investor figures without a contract, power without a measured baseline). */
typedef enum {
    SR_SWEEP_PERSONS = 0,
    SR_SWEEP_SAVINGS_PP_MEAN,
    SR_SWEEP_SAVINGS_PP_SD,
    SR_SWEEP_SAVINGS_PP_MCSE,
    SR_SWEEP_SAVINGS_CV,
    SR_SWEEP_COST_PP,
    SR_SWEEP_POWER,
    SR_SWEEP_POWER_MCSE,
    SR_SWEEP_P_INVESTOR_LOSS,
    SR_SWEEP_IRR_Q50,
    SR_SWEEP_IRR_Q05,
    SR_SWEEP_NET_SIB_MEAN,
    SR_SWEEP_N_COLUMNS
} sr_sweep_column;

typedef struct {
    const char *name;         /* dataset name under /sweep/table */
    const char *heading;      /* short heading of the printed table */
    const char *units;
    const char *description;
} sr_sweep_column_info;

extern const sr_sweep_column_info sr_sweep_columns[SR_SWEEP_N_COLUMNS];

/* Fills row[SR_SWEEP_N_COLUMNS] from the result set rs of model m; scratch[rs->n_trials]
 * is workspace. */
void sr_sweep_row(const sr_model *m, const sr_resultset *rs, double *scratch, double *row);

/* ---- running a sweep ----------------------------------------------------------------- */

/* What a sweep produced, and what its file's /sweep/values and /sweep/table hold. */
typedef struct {
    size_t k;                 /* points */
    size_t n_keys;            /* keys set per point: 1 or 2 (columns of /sweep/values) */
    const char *key[SR_SWEEP_MAX_KEYS];   /* borrowed from the spec */
    const char *design;       /* "single", "grid" or "paired" */
    double *values;           /* [k * n_keys]: the value of key j at point i, at
                               * values[i * n_keys + j]; NaN when not a number */
    const char **value_text;  /* [k * n_keys]: the same as YAML text, borrowed from the spec */
    double *table;            /* [SR_SWEEP_N_COLUMNS * k]: column c of point i at
                               * table[c * k + i] */
} sr_sweep_result;

/* Called after each point's run, in point order, with the result filled up to point i
 * (values for every point, the table up to row i). The result set is freed when it
 * returns. Returns 0 or an error code with err. */
typedef int (*sr_sweep_point_fn)(void *ctx, const sr_sweep_result *s, size_t i,
                                 const sr_model *m, const sr_resultset *rs, sr_error *err);

/* Loads rq->scenario with the command line's overrides and each point's values after
 * them, and checks every point's scenario before running any (an invalid one is
 * SR_EXIT_DATAERR naming the --param and the value). Then runs the points in order as
 * variants (sim/variants/variants.h: point i is named "<i>"), one result set in memory at
 * a time, calling fn (may be NULL) after each. With rq->output, *file gets the sweep file
 * (point 0 at the root, every point under /sweep/points/<i>/, /sweep/values and
 * /sweep/table) to publish. Fills out (may be NULL; free with sr_sweep_result_clear; it
 * borrows strings from spec) or returns the error code with err. */
int sr_sweep_run(const sr_variants_request *rq, const sr_sweep_spec *spec,
                 sr_sweep_point_fn fn, void *ctx, sr_sweep_result *out, sr_h5_file **file,
                 sr_error *err);
void sr_sweep_result_clear(sr_sweep_result *s);

#endif
