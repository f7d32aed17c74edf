/* The scenario schema: one table per mapping of a scenario file. A row (sr_key) says what a
 * key holds (its kind and range), when it is required or ignored, its default, where the
 * loader stores it, its units and its meaning. The loader walks the tables
 * (schema_walk.c), so that unknown keys, missing keys, ranges, defaults and the notes on
 * ignored keys are decided in one place; `sirisk schema` prints the same tables
 * (schema_print.c) as the format reference, docs/scenario-format.md.
 *
 * The tables live beside the code that reads what they describe (scenario.c: the top level,
 * simulation, discount, parameters, correlations, stresses; scenario_dynamics.c: states,
 * transitions, strata, cash flows, macro; scenario_programme.c: programmes;
 * scenario_values.c: flows and distributions), and every one is reachable from
 * sr_schema_root through the rows' `sub`. The order of the loader's files, each using only
 * those below: scenario.c; scenario_dynamics.c, scenario_programme.c; schema_walk.c;
 * scenario_values.c; this header and the YAML layer (yaml_doc.h). */
#ifndef SR_SCHEMA_H
#define SR_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sr_sload; /* the loading context (scenario_values.h) */

/* Limits that hold every sum and factor of a run finite. A run adds up at most 2^32 - 1
 * persons per programme over at most 1,200 months, settles flows up to 30 years after,
 * grows them by indexation and discounts them: with amounts (cash flows, prices, costs,
 * caps, frames, baselines; DKK) and hazards and multipliers within 1e12 in magnitude, and
 * annual rates (discount, indexation, the surplus cap's IRR) within [-0.9, 10], a month's
 * flow is below 4.3e9 x 1e12 x 11^100 = 6e125 DKK and its present value below 1e130
 * times that: far from the 1.8e308 at which doubles overflow. A value beyond its limit,
 * or a distribution given for it whose draws or mean can go beyond, is an invalid
 * scenario. A size scaling's reference size lies within [1, 1e12] persons and its
 * elasticity within [-10, 10]. */
#define SR_SCENARIO_MAX_AMOUNT 1e12
#define SR_SCENARIO_MIN_RATE (-0.9)
#define SR_SCENARIO_MAX_RATE 10.0
#define SR_SCENARIO_MAX_ELASTICITY 10.0

/* What a value beyond a key's plausible range was probably meant to be, for the message
 * that says so. */
typedef enum {
    SR_HINT_NONE = 0,
    SR_HINT_RATE,     /* an annual rate written as a percentage: 3.5 for 0.035 */
    SR_HINT_RATIO,    /* a hazard ratio written as a percentage rise: 35 for 1.35 */
    SR_HINT_HAZARD,   /* a hazard per year written as a percentage: 5 for 0.05 */
} sr_hint;

/* A valid range of a real-valued key, and how a message names it. A key whose range is
 * unbounded (an amount, a hazard, a rate) also has a limit, [limit_lo, limit_hi], that its
 * value and every draw of a distribution given for it must stay within, so that no sum or
 * factor of a run can overflow (SR_SCENARIO_MAX_AMOUNT); limit_lo == limit_hi: none.
 * A key may also have a plausible range: a value (a distribution's mean) above note_above
 * is valid but noted by validate and run, one above error_above is refused as a mistake
 * nobody means; both messages say what was probably meant (hint). 0: no such bound. */
typedef struct {
    double lo, hi;
    bool lo_open, hi_open;
    const char *what;          /* "a number >= 0": completes "must be ..." */
    double limit_lo, limit_hi;
    const char *limit_why;     /* "so that ...": completes "must lie within [lo, hi] ..." */
    double note_above, error_above;
    sr_hint hint;
} sr_range;

extern const sr_range SR_RANGE_ANY;        /* cash flows, prices (DKK) */
extern const sr_range SR_RANGE_NONNEG;     /* hazards, multipliers, costs, caps */
extern const sr_range SR_RANGE_POS;        /* reference sizes (persons) */
extern const sr_range SR_RANGE_ELASTICITY; /* a size scaling's elasticity */
extern const sr_range SR_RANGE_PROB;       /* monthly probabilities, rho, persistence */
extern const sr_range SR_RANGE_UNIT;       /* shares, switching probabilities, first loss */
extern const sr_range SR_RANGE_SHARE;      /* stratum shares: (0, 1] */
extern const sr_range SR_RANGE_RHO;        /* correlations: (-1, 1) */
/* Ranges with a plausible range (above), each for its keys: */
extern const sr_range SR_RANGE_DISCOUNT;    /* discount rates: noted above 0.15, refused above 1 */
extern const sr_range SR_RANGE_INDEXATION;  /* indexation: noted above 0.1, refused above 1 */
extern const sr_range SR_RANGE_CAP_IRR;     /* a surplus cap's IRR: noted above 0.3, refused above 1 */
extern const sr_range SR_RANGE_HAZARD_RATIO; /* an effect: noted above 3, refused above 10 */
extern const sr_range SR_RANGE_TERMINATION; /* cancellations per year: noted above 0.5,
                                             * refused above 2 */

/* What a key holds. The kinds down to SR_KIND_MAPPING are read and stored by the walk
 * itself; the others (and any row with a setter) by the row's setter. */
typedef enum {
    SR_KIND_INTEGER,    /* an integer in [lo, hi] (an unsigned of `width` bytes) */
    SR_KIND_SEED,       /* an integer in [0, 2^64 - 1] (uint64_t) */
    SR_KIND_BOOL,       /* true or false (bool) */
    SR_KIND_TEXT,       /* free text without control characters (char *, an owned copy) */
    SR_KIND_NAME,       /* a name: [A-Za-z_][A-Za-z0-9_]*, at most 64 (char *, an owned copy) */
    SR_KIND_MONTH,      /* a calendar month YYYY-MM (a signed month index from simulation.start) */
    SR_KIND_CHOICE,     /* one of choices[] (its position, an unsigned of `width` bytes) */
    SR_KIND_FIXED,      /* a fixed number in range: a literal or `$name` (double) */
    SR_KIND_NUMBER,     /* a number in range that may be uncertain (sr_num) */
    SR_KIND_FLOW,       /* {municipality, state}: DKK (sr_flow) */
    SR_KIND_STATE,      /* the name of a state (size_t, its index) */
    SR_KIND_MAPPING,    /* a mapping of sub's keys (stored at target + at, or in target) */
    SR_KIND_STATES,     /* a list of state names */
    SR_KIND_TRANSITION, /* a transition from->to */
    SR_KIND_PARAMETER,  /* the name of a parameter, with or without `$` */
    SR_KIND_LIST,       /* a list of sub's mappings, or of sub's tuples when sub->tuple */
    SR_KIND_NAMED,      /* a mapping whose keys are names and whose values are sub's one row */
    SR_KIND_VALUE       /* any YAML value */
} sr_kind;

/* What makes a key apply: the contract's type, the macro model, ... A selector is set by
 * the key that chooses (its `sets`), while the loader reads the mapping that holds it. */
typedef enum {
    SR_SEL_NONE = 0,
    SR_SEL_MACRO_MODEL,    /* macro.model */
    SR_SEL_CONTRACT_TYPE,  /* programmes[].contract.type */
    SR_SEL_BASELINE,       /* programmes[].contract.baseline.method */
    SR_SEL_FRAME,          /* programmes[].contract.annual_frame given */
    SR_SEL_CONTRACT,       /* programmes[].contract given */
    SR_SEL_COUNT
} sr_selector;

/* Holds when selector sel has one of values (bit v for value v; a presence selector is 0
 * when its key is absent, 1 when given). SR_SEL_NONE always holds. */
typedef struct {
    sr_selector sel;
    unsigned values;
} sr_clause;

typedef struct sr_key sr_key;
typedef struct sr_table sr_table;

/* Reads the value at node into target as row says; node 0: the key is absent or ignored,
 * and its default is stored. Returns 0, or -1 with the error set. */
typedef int (*sr_setter)(struct sr_sload *L, const sr_key *row, int node, void *target);

struct sr_key {
    const char *key;           /* as written; "[0]" in a tuple; "<state>" in a NAMED's table */
    sr_kind kind;
    const char *meaning;       /* one line, for the reference */
    const char *units;         /* NULL: none */
    const char *example;       /* the value as YAML, for the reference */
    const char *type;          /* the type in the reference's words, when the kind's do not
                                * say enough; NULL */
    /* what is valid */
    long long lo, hi;          /* INTEGER */
    const sr_range *range;     /* FIXED, NUMBER */
    const char *const *choices; /* CHOICE, NULL-terminated */
    const sr_table *sub;       /* MAPPING, LIST, NAMED, FLOW */
    /* when */
    bool required;             /* wherever the key applies */
    sr_clause when[2];         /* the key applies when both hold (the outer selector first);
                                * else it is read, noted as ignored and holds its default */
    sr_selector sets;          /* the selector this key's value (or presence) sets */
    /* the default, stored when the key is absent or ignored (never for a key of the
     * table's choice) */
    const char *def;           /* as the reference shows it; NULL: none shown */
    double def_value;          /* NUMBER: 0 or 1, the loader's shared entries */
    /* where it goes: target + at (`width` bytes), a flag at target + given_at set when the
     * key is given and applies, or a setter */
    bool stored;
    size_t at, width;
    bool flagged;
    size_t given_at;
    sr_setter read;
};

/* Stores a row's value in member m of the table's target type T. */
#define SR_AT(T, m) .stored = true, .at = offsetof(T, m), .width = sizeof(((T *)0)->m)
/* Sets bool member m of T when the key is given (and applies). */
#define SR_GIVEN(T, m) .flagged = true, .given_at = offsetof(T, m)
/* The default x, shown as written. */
#define SR_DEFAULT(x) .def = #x, .def_value = (x)
/* Applies when selector s has value v (an enum position). */
#define SR_WHEN(s, v) {(s), 1u << (v)}

/* Two alternatives: the keys a[] taken together (a[0] first), or b[]. */
typedef struct {
    const char *const *a, *const *b;  /* NULL-terminated */
    const char *both;          /* said at b's key when both are given */
    const char *neither;       /* said of a[0] when neither is */
} sr_choice;

struct sr_table {
    const char *path;          /* where the reference documents it: "programmes[].contract" */
    const char *meaning;       /* one line */
    const sr_key *keys;
    size_t n_keys;
    const unsigned char *order; /* positions in keys[] in the order they are read; NULL: as
                                 * listed (the order of "expected ..." in messages) */
    const sr_choice *choice;
    bool tuple;                /* the keys are the positions [0], [1], ... of a list */
    /* Run after every key was read into target (checks between keys), or NULL. */
    int (*finish)(struct sr_sload *L, int node, void *target);
};

#define SR_TABLE_KEYS(k) .keys = (k), .n_keys = sizeof(k) / sizeof *(k)

/* The top level of a scenario file; every table is reachable from it, but for the
 * distributions a number may be given as (its `dist` names which). */
extern const sr_table sr_schema_root;
extern const sr_table *const sr_schema_distributions[]; /* NULL-terminated */
/* {municipality, state}: the table of every key of kind SR_KIND_FLOW. */
extern const sr_table sr_flow_table;

/* The selectors as the reference and the messages name them. */
typedef struct {
    const char *const *values; /* names of its values; NULL: a presence */
    const char *noun;          /* "a %s contract", "an annual_frame": what a key is for */
    const char *ignored;       /* "the contract type is %s": why a key does not apply */
} sr_selector_def;

extern const sr_selector_def sr_selectors[SR_SEL_COUNT];

/* The row of key in t, or NULL. */
const sr_key *sr_schema_key(const sr_table *t, const char *key);

/* What a conditional row is for, as messages and the reference say it: "a rate_card
 * contract with baseline historical" ("" when it always applies). */
void sr_schema_when_text(const sr_key *row, char *buf, size_t n);

/* `sirisk schema`: the reference of every key, as Markdown (docs/scenario-format.md is its
 * output). Returns 0, or -1 when out cannot be written. */
int sr_schema_print(FILE *out);

#endif
