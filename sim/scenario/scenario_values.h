/* The scenario loader's context and typed readers (scenario_values.c), shared by the
 * loader's files; not part of sirisk's interface. Every reader checks one node against what
 * its key allows and returns 0, or -1 after filling the context's error with the node's
 * position, key path and value (sim/scenario/yaml_doc.h). */
#ifndef SR_SCENARIO_VALUES_H
#define SR_SCENARIO_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/model.h"
#include "sim/scenario/schema.h"
#include "sim/scenario/yaml_doc.h"

#define SR_MAX_TENURE 600 /* months: a state's tenure_max and every tenure key */

/* Names sorted for lookup, so that a file with many names costs n log n. */
typedef struct {
    const char *name;          /* borrowed */
    size_t index;
} sr_name_ref;

typedef struct {
    size_t n;
    sr_name_ref *e;
} sr_names;

/* How the programme being read enrols (scenario_programme.c). */
typedef struct sr_intake_plan sr_intake_plan;

/* The loading context: the document, the model being filled, the number table's growth,
 * the notes, lookups built as the schema is read (states, parameters, transitions), the
 * selectors that decide which keys apply, and what the keys of one programme share. */
struct sr_scenario;

typedef struct sr_sload {
    sr_ydoc *d;
    sr_model *m;
    struct sr_scenario *scenario; /* the scenario being loaded: its stresses (scenario.c) */
    sr_error *err;
    size_t num_cap;
    sr_num zero, one;          /* shared fixed entries for the defaults 0 and 1 */
    char *notes;
    size_t notes_len, notes_cap;
    sr_names state_names, param_names;
    uint64_t *trans_keys;      /* sorted (from * n_states + to) << 20 | index (see
                                * scenario_dynamics.c) */
    bool *param_used;          /* [n_parameters] */
    unsigned *state_mark;      /* [n_states]: scratch, a state is marked when == mark_gen */
    unsigned mark_gen;
    size_t copied_steps;       /* tenure and dated entries copied so far (bounded) */
    int *stress_nodes;         /* [n_stresses]: the node naming each stress */
    int *stratum_nodes;        /* [n_strata]: each stratum's node, 0 for the default one */
    unsigned sel[SR_SEL_COUNT]; /* each selector's value while its mapping is read */
    size_t cash_state;         /* the state whose cash flows are read */
    sr_intake_plan *plan;      /* the intake of the programme being read */
    sr_names outcome_names;    /* the outcomes of the contract being read */
} sr_sload;

/* ---- failures ---------------------------------------------------------------------- */

int sr_sl_oom(sr_sload *L);
/* Appends a line to the model's notes (ignored keys and other remarks for `validate`). */
int sr_sl_note(sr_sload *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- structure --------------------------------------------------------------------- */

/* node must be a mapping whose keys are all rows of t: else `unknown key (expected ...)`. */
int sr_sl_keys(sr_sload *L, int node, const sr_table *t);
/* node must be a list. */
int sr_sl_seq(sr_sload *L, int node);
/* The value under key, or 0 when the key is absent or its value is null (a null value
 * means "not given": it is how an override unsets an optional key). */
int sr_sl_opt(sr_sload *L, int map, const char *key);
/* The value under key; -1 (error) when it is absent or null. */
int sr_sl_req(sr_sload *L, int map, const char *key);
/* A list [a, b, ...] of exactly n items (a pair [k, x], a triple [a, b, rho]). */
int sr_sl_tuple(sr_sload *L, int node, size_t n, const char *what);

/* ---- scalars ----------------------------------------------------------------------- */

/* An integer in [lo, hi]. */
int sr_sl_int(sr_sload *L, int node, long long lo, long long hi, long long *out);
int sr_sl_uint(sr_sload *L, int node, long long lo, long long hi, unsigned *out);
/* An integer in [0, 2^64 - 1]. */
int sr_sl_u64(sr_sload *L, int node, uint64_t *out);
int sr_sl_bool(sr_sload *L, int node, bool *out);
/* A non-empty string (a quoted scalar, or a plain one the core schema types as string). */
int sr_sl_str(sr_sload *L, int node, const char **out);
/* A non-empty string without control or format characters (sim/base/text.h): the text of a
 * key that is printed or names something in the result file. */
int sr_sl_text(sr_sload *L, int node, const char **out);
/* A name: [A-Za-z_][A-Za-z0-9_]*, at most 64 characters (one holding a control or format
 * character is refused as such, naming it). */
int sr_sl_name(sr_sload *L, int node, const char **out);
/* One of choices[] (NULL-terminated); *out is its position. */
int sr_sl_enum(sr_sload *L, int node, const char *const *choices, int *out);
/* A calendar month YYYY-MM: *month_index from simulation.start (may be negative). */
int sr_sl_month(sr_sload *L, int node, int *year, int *month);

/* ---- numbers ----------------------------------------------------------------------- */

/* A fixed real number in range r (a literal or `$name` of a fixed parameter). */
int sr_sl_real(sr_sload *L, int node, const sr_range *r, double *out);
/* A number that may be uncertain (docs/model.md#parameter-uncertainty): a literal, `$name`,
 * or a distribution whose support lies in r. Adds an entry to the number table (or shares
 * the parameter's). */
int sr_sl_num(sr_sload *L, int node, const sr_range *r, sr_num *out);
/* A distribution mapping {dist: ..., ...}: checked and converted (lognormal to mu, sigma). */
int sr_sl_dist(sr_sload *L, int node, sr_numdef *out);
/* Adds def to the number table, its random stream keyed by the key path of node (-1: a
 * constant of the loader); returns 0 or -1 (out of memory). */
int sr_sl_push(sr_sload *L, int node, sr_numdef def, sr_num *out);

/* The support [lo, hi] of a number-table entry (open ends where the distribution never
 * reaches them). */
void sr_sl_support(const sr_numdef *d, double *lo, double *hi, bool *lo_open, bool *hi_open);

/* ---- names ------------------------------------------------------------------------- */

/* Builds a sorted index of names[n]; returns -1 on allocation failure. If two names are
 * equal, *dup_first and *dup_again receive the positions of the first repetition in list
 * order (else both n). */
int sr_names_build(sr_names *x, const char *const *names, size_t n, size_t *dup_first,
                   size_t *dup_again);
/* Position of name, or -1. */
long sr_names_find(const sr_names *x, const char *name);
void sr_names_free(sr_names *x);

/* A state name at node, resolved (error "undefined state" otherwise). */
int sr_sl_state(sr_sload *L, int node, size_t *out);
/* A transition name "from->to" at node, resolved to its expanded index. */
int sr_sl_transition(sr_sload *L, int node, size_t *out);
/* The expanded transition from -> to, or -1. */
long sr_sl_find_transition(const sr_sload *L, size_t from, size_t to);

/* Fails at again: a name repeats the one at first. */
int sr_sl_fail_duplicate(sr_sload *L, int first, int again, const char *what);

/* Writes "YYYY-MM" of month index t (from simulation.start). */
void sr_sl_month_text(const sr_model *m, long t, char *buf, size_t n);

#endif
