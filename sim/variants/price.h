/* Pricing a contract (README `sirisk price`): the scenario is simulated once, every trial's
 * contract record kept (sim/engine/records.h), and each candidate term settled again from
 * those records (sim/engine/resettle.h). Contract terms never change the paths, so every
 * candidate sees the same trials (common random numbers): a statistic over trials is a
 * deterministic function of the term, whose root a search can find, and each candidate is
 * what `sirisk run --set` would give at that term, to the bit.
 *
 * Two modes:
 *   solve  --vary PATH --target [PROGRAMME/]METRIC.STATISTIC=VALUE [--bracket LO,HI]:
 *          the term at which the statistic equals VALUE, with a Monte Carlo interval
 *          (batches of trials, each solved alone), and the whole result set at that term;
 *   map    --map PATH=V1,V2,... [--map PATH=...] [--investor-irr R]
 *          [--municipality-risk P]: on a grid of one or two terms, the investors' risk and
 *          return and the paying budget's net result, and where both sides win.
 * The terms a search varies are those that only settlement reads (models/terms.h); a path
 * that names another key is refused. */
#ifndef SR_PRICE_H
#define SR_PRICE_H

#include <stdbool.h>
#include <stddef.h>

#include "models/metric.h"
#include "models/model.h"
#include "models/terms.h"
#include "sim/base/error.h"
#include "sim/resultset/h5write.h"
#include "sim/variants/variants.h"

#define SR_PRICE_MAX_MAPS 2      /* --map options */
#define SR_PRICE_MAX_VALUES 1000 /* values of one --map */
#define SR_PRICE_BATCHES 20      /* batches of trials for the interval */
#define SR_PRICE_BATCH_MIN 50    /* trials in a batch at least; fewer batches otherwise */
#define SR_PRICE_BATCHES_MIN 5   /* batches at least, for an interval, when some of a larger
                                  * number have no root */

/* What the command line asked for, as typed (the strings are borrowed). */
typedef struct {
    const char *vary;               /* --vary PATH */
    const char *target;             /* --target STATISTIC=VALUE */
    const char *bracket;            /* --bracket LO,HI; NULL: the term's default */
    size_t n_maps;
    const char *map[SR_PRICE_MAX_MAPS];   /* --map PATH=V1,V2,... */
    const char *investor_irr;       /* --investor-irr R; NULL: discount.investor */
    const char *municipality_risk;  /* --municipality-risk P; NULL: 0.1 */
} sr_price_spec;

/* The checks that need no scenario: one mode (--vary with --target, or --map, never both),
 * the forms of --target, --bracket, --map and the numbers; SR_EXIT_USAGE with a message
 * naming the option. */
int sr_price_spec_check(const sr_price_spec *s, sr_error *err);

/* Splits "a,b,..." into at most max finite numbers (*n of them); false when a part is not
 * one or there are more. */
bool sr_price_numbers(const char *text, double *out, size_t max, size_t *n);

/* A term a search varies, resolved in a model. */
typedef struct {
    const char *path;               /* as given (borrowed) */
    sr_term term;                   /* its kind, programme and outcome; value unset */
    const char *units;              /* the term's units, e.g. "DKK per achievement" */
    double as_given;                /* its value in the scenario (a distribution's mean), or
                                     * NaN where the scenario has none (no cap) */
} sr_price_term;

/* Resolves path in m: SR_EXIT_USAGE when it names no term a search can vary,
 * SR_EXIT_DATAERR when the scenario lacks it (no such programme or outcome, no contract, a
 * share of a rate card, a factor on prices that are not all fixed numbers). */
int sr_price_term_parse(const char *path, const sr_model *m, sr_price_term *out,
                        sr_error *err);

/* The --set arguments ("PATH=VALUE", malloc'd, *n of them) that make a scenario whose
 * term t has the value v: one, or one per outcome for a factor on the prices (each price
 * times v, printed so that it reads back as the same number). NULL when out of memory. */
char **sr_price_term_sets(const sr_price_term *t, const sr_model *m, double v, size_t *n);
void sr_price_sets_free(char **sets, size_t n);

/* The statistic a search targets: [PROGRAMME/]METRIC.STATISTIC=VALUE. */
typedef struct {
    size_t level;                   /* 0: the portfolio; 1 + p: programme p */
    sr_metric metric;
    int stat;                       /* models/summary.h */
    double value;
} sr_price_target;

/* Parses text against m (its programme names). SR_EXIT_USAGE for a bad form, an unknown
 * metric or statistic (the message lists them), SR_EXIT_DATAERR for an unknown programme. */
int sr_price_target_parse(const char *text, const sr_model *m, sr_price_target *out,
                          sr_error *err);

/* What a solve found. */
typedef struct {
    sr_price_term term;
    sr_price_target target;
    const char *target_text;        /* as given (borrowed) */
    double bracket[2];              /* the search's interval of the term */
    double bracket_statistic[2];    /* the statistic at its ends */
    double value;                   /* the term found */
    double statistic;               /* the statistic there */
    double statistic_se;            /* its Monte Carlo standard error, from the batches at
                                     * value (NaN without batches) */
    double n_nan;                   /* trials without a value of the metric there */
    size_t n_batches, batch_trials; /* batches of batch_trials trials (the last takes the
                                     * rest); 0 batches: too few trials */
    size_t batches_solved;          /* batches with a root in the bracket */
    double *batch_values;           /* [n_batches] each batch's term (NaN: no root) */
    double *batch_statistics;       /* [n_batches] each batch's statistic at value */
    double interval[2];             /* the 95% interval of the term (Student t over the
                                     * batches); NaN unless every batch has a root */
    size_t n_candidates;            /* terms settled over all trials, in order: */
    double *candidates;             /* [n_candidates][2] term, statistic */
    size_t n_sets;
    char **sets;                    /* the --set arguments that make the term */
} sr_price_solution;

/* Columns of the map's table, per grid point. */
enum {
    SR_MAP_P_LOSS,                  /* mean of investor_loss */
    SR_MAP_IRR_Q50,                 /* investor_irr q50 */
    SR_MAP_IRR_NAN,                 /* trials without an IRR */
    SR_MAP_PAYMENTS_MEAN,           /* mean of payments */
    SR_MAP_NET_MEAN,                /* mean of the paying budget's net result paying by
                                     * results */
    SR_MAP_NET_P_NEGATIVE,          /* its share of trials below 0 */
    SR_MAP_OVERPAYMENT_MEAN,        /* mean of overpayment */
    SR_MAP_WIN_WIN,                 /* 1 where every criterion holds, else 0 */
    SR_MAP_COLUMNS
};

/* What a map found. */
typedef struct {
    size_t n_terms;
    char *paths[SR_PRICE_MAX_MAPS];      /* the --map paths (owned) */
    sr_price_term terms[SR_PRICE_MAX_MAPS];   /* each borrowing its path */
    size_t n_values[SR_PRICE_MAX_MAPS];
    double *values[SR_PRICE_MAX_MAPS];   /* each --map's values, in order */
    size_t n_points;                /* the grid, row-major (the first --map outer) */
    double *point;                  /* [n_points][n_terms] */
    double investor_irr;            /* the criteria: median IRR at least this, */
    double municipality_risk;       /* net result negative with at most this probability
                                     * (and at least 0 in expectation) */
    double *column[SR_MAP_COLUMNS]; /* [n_points] each */
} sr_price_map;

typedef struct {
    bool is_map;
    size_t n_trials;
    sr_price_solution solve;
    sr_price_map map;
} sr_price_result;

/* Loads rq->scenario with the command line's overrides, resolves spec in it, checks that
 * the search's values make valid scenarios (SR_EXIT_DATAERR naming the --set), checks the
 * memory (the run with its records), runs the scenario once and searches. A solve without
 * a root in its bracket is SR_EXIT_DATAERR. With rq->output, *file gets the result file
 * to publish: at its root the result set at the solved term (a solve) or the scenario as
 * given (a map), and /price (docs/results.md). Fills out (free with
 * sr_price_result_clear; it borrows spec's strings) or returns the error code with err. */
int sr_price_run(const sr_variants_request *rq, const sr_price_spec *spec,
                 sr_price_result *out, sr_h5_file **file, sr_error *err);
void sr_price_result_clear(sr_price_result *r);

/* Writes /price of r into f (after the root layout). Returns 0 or SR_EXIT_IOERR. */
int sr_price_write(sr_h5_file *f, const sr_price_result *r, sr_error *err);

#endif
