/* The resolved model of a scenario: plain structs, no YAML, no text, no files. Filled by
 * the scenario loader (sim/scenario/scenario.c, which keeps the scenario's text, stresses
 * and notes beside it), read by the engine. Every name is already resolved to an index.
 *
 * Numbers that a scenario may make uncertain (docs/model.md) are not stored as doubles but as
 * sr_num, an index into the model's number table. A trial resolves the table into a
 * vector of doubles (one draw per entry; `$name` references share the entry of their named
 * parameter, hence the draw), and every model function reads numbers through that vector.
 *
 * Time: month index t = 0 .. n_months-1 counts from simulation.start. Money: DKK, positive
 * = public expenditure (benefits), negative = public revenue (taxes). */
#ifndef SR_MODEL_H
#define SR_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SR_MUNICIPALITY = 0, SR_STATE = 1, SR_PAYERS = 2 };

/* ---- the number table ------------------------------------------------------------ */

typedef uint32_t sr_num; /* index into sr_model.num */

typedef enum {
    SR_DIST_FIXED = 0,   /* p[0] = the value */
    SR_DIST_BETA,        /* p[0] mean, p[1] sd */
    SR_DIST_GAMMA,       /* p[0] mean, p[1] sd */
    SR_DIST_LOGNORMAL,   /* p[0] mu, p[1] sigma of log (converted from median/p95 or mean/sd) */
    SR_DIST_NORMAL,      /* p[0] mean, p[1] sd of the untruncated parent, p[2] min, p[3] max
                          * (-inf/+inf when absent) */
    SR_DIST_UNIFORM,     /* p[0] min, p[1] max */
    SR_DIST_PERT,        /* p[0] min, p[1] mode, p[2] max (lambda 4) */
    SR_DIST_TRIANGULAR   /* p[0] min, p[1] mode, p[2] max */
} sr_dist_kind;

typedef struct {
    sr_dist_kind kind;
    double p[4];
    int parameter;       /* index into sr_model.parameters if this is a named parameter, else -1 */
    uint64_t stream;     /* identity of its random stream: a hash of the key path that defines
                          * it (`parameters.effect`, `programmes[0].intervention...`), so a
                          * draw does not move when other numbers are added or removed */
} sr_numdef;

/* A named parameter (top-level `parameters:`): its entry in the number table. */
typedef struct {
    char *name;
    sr_num num;
} sr_parameter;

typedef struct {
    size_t a, b;         /* indices into sr_model.parameters */
    double rho;          /* correlation of the latent normals */
} sr_correlation;

/* ---- cash flows --------------------------------------------------------------------- */

typedef struct {
    sr_num amount[SR_PAYERS]; /* DKK per person-month (or per person, for one-off flows) */
} sr_flow;

/* The cash flow of one state for one stratum. The amount in month t at tenure k is:
 * the last `dated` entry whose month <= t if any (a reform applies to every tenure), else
 * the last `by_tenure` entry whose tenure_from <= k if any, else `base`. Entries are
 * sorted by month / tenure_from, strictly increasing. */
typedef struct {
    sr_flow base;
    size_t n_by_tenure;
    unsigned *tenure_from;    /* months of tenure, [n_by_tenure] */
    sr_flow *by_tenure;       /* [n_by_tenure] */
    size_t n_dated;
    int *dated_month;         /* month index from simulation.start (may be negative) [n_dated] */
    sr_flow *dated;           /* [n_dated] */
} sr_cashspec;

/* ---- states and transitions ---------------------------------------------------------- */

typedef struct {
    char *name;
    bool absorbing;
    unsigned tenure_max;      /* months; 0 = tenure not tracked */
} sr_state;

typedef enum { SR_MACRO_NONE = 0, SR_MACRO_PRO, SR_MACRO_COUNTER } sr_macro_sense;

/* One from->to transition. A scenario entry with `from: [a, b]` becomes one sr_transition
 * per source state, all with the same `source_index` (its position in the file). */
typedef struct {
    size_t from, to;          /* state indices; from != to, from not absorbing */
    bool is_probability;      /* `rate` is a monthly probability, not a hazard (docs/model.md);
                               * all transitions out of one state use the same form */
    sr_num rate;              /* hazard per month, or probability per month */
    sr_macro_sense macro;
    size_t n_by_tenure;
    unsigned *tenure_from;    /* [n_by_tenure], strictly increasing, first may be > 0 */
    sr_num *tenure_mult;      /* [n_by_tenure]; multiplier 1 below the first entry */
    bool has_cash;
    sr_flow cash;             /* one-off DKK per person making the transition */
    size_t source_index;
} sr_transition;

/* ---- strata --------------------------------------------------------------------------- */

typedef struct {
    char *name;
    double share;             /* fixed; shares sum to 1 within 1e-9 */
    sr_num *multiply;         /* [n_transitions] hazard multiplier, default a fixed 1 */
    sr_num effect_multiplier; /* HR_stratum = 1 + (HR - 1) * x; default fixed 1 */
} sr_stratum;

/* ---- programmes ------------------------------------------------------------------------ */

typedef enum { SR_BASELINE_NONE = 0, SR_BASELINE_HISTORICAL, SR_BASELINE_CONTROL } sr_baseline_method;
typedef enum { SR_CONTRACT_RATE_CARD = 0, SR_CONTRACT_SAVINGS_SHARE } sr_contract_type;
typedef enum { SR_OVERFLOW_DEFERRED = 0, SR_OVERFLOW_FORFEITED } sr_overflow;

typedef struct {
    char *name;
    size_t state;
    unsigned tenure;          /* months; <= the state's tenure_max */
    sr_num price;             /* DKK per achievement */
    sr_num historical_rate;   /* achievements per enrolled person (baseline: historical) */
} sr_outcome;

typedef struct {
    size_t payer;             /* SR_MUNICIPALITY or SR_STATE */
    sr_contract_type type;
    sr_num share;             /* savings_share: fraction of measured savings */
    size_t n_outcomes;
    sr_outcome *outcomes;     /* rate_card */
    sr_baseline_method baseline;
    unsigned control_size;    /* persons, baseline control_group */
    sr_flow historical_expenditure; /* DKK per person-month, baseline historical */
    unsigned term_months;     /* 12 * term_years, from the first intake month */
    bool has_cap_total;
    sr_num cap_total;         /* DKK nominal */
    bool has_annual_frame;
    sr_num annual_frame;      /* DKK nominal per settlement */
    sr_overflow frame_overflow;
    unsigned lag_months;
    bool has_termination;
    sr_num termination_hazard_per_year;
    bool termination_shared;
} sr_contract;

typedef struct {
    bool has_guarantee;
    sr_num first_loss;        /* fraction of paid-in */
    bool has_surplus_cap;
    sr_num cap_irr;           /* annual rate */
} sr_financing;

typedef struct {
    char *name;
    unsigned size;            /* persons */
    unsigned *intake;         /* [n_strata * n_months]: persons enrolled per stratum and month,
                               * row-major by stratum; sums to size */
    size_t initial_state;
    unsigned initial_tenure;  /* capped at the state's tenure_max by the engine */

    bool has_intervention;
    bool *effect_on;          /* [n_transitions]: the hazard ratio applies to it */
    sr_num hazard_ratio;
    unsigned effect_months;
    unsigned fade_months;
    bool has_scale;
    sr_num scale_reference_size, scale_elasticity;
    sr_num cost_fixed_per_year;          /* DKK per year, 0 if absent */
    sr_num cost_per_participant;         /* DKK once, 0 if absent */
    sr_num cost_per_participant_month;   /* DKK, 0 if absent */
    bool *while_in;           /* [n_states]: active while in it; all true if absent */

    bool has_contract;
    sr_contract contract;
    sr_financing financing;

    unsigned *control_intake; /* [n_strata * n_months]: the control group (contract baseline
                               * control_group) enrolled per stratum and month, split like
                               * the cohort; sums to contract.control_size. NULL without one */
} sr_programme;

/* ---- macro ------------------------------------------------------------------------------ */

typedef enum { SR_MACRO_MODEL_NONE = 0, SR_MACRO_MODEL_REGIME, SR_MACRO_MODEL_GAUSSIAN } sr_macro_model;

typedef struct {
    sr_macro_model model;
    sr_num to_recession, to_normal;   /* monthly switching probabilities */
    sr_num recession_pro, recession_counter;
    bool start_in_recession;
    sr_num rho, persistence;
} sr_macro;

/* ---- the model ---------------------------------------------------------------------------- */

typedef struct {
    char *name;
    unsigned trials;
    uint64_t seed;
    int start_year, start_month;      /* calendar month of t = 0; month 1..12 */
    unsigned n_months;                /* horizon */
    double discount_public, discount_investor; /* annual effective rates, > -1 */
    double indexation;                /* annual; 0 if absent */

    size_t n_num;
    sr_numdef *num;
    char **num_path;                  /* [n_num] (grown with num): the key path that gives
                                       * each entry drawn from a distribution
                                       * ("parameters.effect",
                                       * "programmes[0].contract.cap_total"); NULL for a
                                       * fixed number */
    size_t n_parameters;
    sr_parameter *parameters;
    size_t n_correlations;
    sr_correlation *correlations;

    size_t n_states;
    sr_state *states;
    size_t n_transitions;
    sr_transition *transitions;
    size_t n_strata;                  /* >= 1; a scenario without strata has one, "all" */
    sr_stratum *strata;
    sr_cashspec *cash;                /* [n_strata * n_states], row-major by stratum */
    sr_macro macro;
    size_t n_programmes;
    sr_programme *programmes;
} sr_model;

void sr_model_free(sr_model *m);      /* frees everything m owns and m itself; NULL is fine */

/* Index of the state called name, or -1. */
int sr_model_state_index(const sr_model *m, const char *name);

/* The numbers a result set records for every trial (/parameters): each named parameter
 * in order, then each other entry drawn from a distribution, in table order. Fills
 * out[n_parameters + n_num] and returns how many. */
size_t sr_model_inputs(const sr_model *m, sr_num *out);

/* How sr_model_inputs' entry num is named in /parameters: a named parameter's name, else
 * its key path. */
const char *sr_model_input_name(const sr_model *m, sr_num num);

/* Each number at its mean (a fixed number's value, a distribution's mean): the values of
 * the deterministic expectation (docs/model.md). Fills v[n_num]. */
void sr_model_mean_values(const sr_model *m, double *v);

/* The mean of one number-table entry (a fixed number's value). */
double sr_numdef_mean(const sr_numdef *d);

/* The upper end of one entry's support: the largest value a trial can draw (+inf for the
 * gamma and lognormal, 1 for the beta, a fixed number's value). */
double sr_numdef_upper(const sr_numdef *d);

/* Mean of a normal(mu, sd) truncated to [lo, hi]; lo/hi may be -inf/+inf. */
double sr_truncated_normal_mean(double mu, double sd, double lo, double hi);

#endif
