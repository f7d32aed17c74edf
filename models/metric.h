/* The metrics: what a trial measures, for the portfolio and for each programme. One table
 * holds every metric's name, units, description and the flags that say how the rest of
 * sirisk treats it: how the engine adds programmes up, which flows are kept per calendar
 * year, which metrics the printed reports show and in which order. A new metric is an
 * enumerator here, a row in metric.c, and the code that computes it (sim/engine/). */
#ifndef SR_METRIC_H
#define SR_METRIC_H

#include <stdbool.h>
#include <stddef.h>

/* Metrics, in the order they are stored and written. */
typedef enum {
    SR_M_SAVINGS_MUNICIPALITY = 0,
    SR_M_SAVINGS_STATE,
    SR_M_SAVINGS_TOTAL,
    SR_M_EXP_TREATED_MUNICIPALITY,
    SR_M_EXP_COUNTERFACTUAL_MUNICIPALITY,
    SR_M_EXP_TREATED_STATE,
    SR_M_EXP_COUNTERFACTUAL_STATE,
    SR_M_PROGRAMME_COST,
    SR_M_EMPLOYED_END_TREATED,
    SR_M_EMPLOYED_END_COUNTERFACTUAL,
    SR_M_PAYMENTS,
    SR_M_PAYER_NET_SIB,
    SR_M_PAYER_NET_SELFFUND,
    SR_M_PAYBACK_YEAR_SELFFUND,
    SR_M_PAYBACK_YEAR_SIB,
    SR_M_OVERPAYMENT,
    SR_M_INVESTOR_NPV,
    SR_M_INVESTOR_IRR,
    SR_M_INVESTOR_MOIC,
    SR_M_INVESTOR_LOSS,
    SR_M_REINVESTED,
    SR_M_GUARANTOR_PAID,
    SR_M_OUTCOMES_TREATED,
    SR_M_OUTCOMES_ATTRIBUTABLE,
    SR_M_OUTCOMES_PAID,
    SR_M_EFFECT_TRUE,
    SR_M_EFFECT_MEASURED,
    SR_M_EVALUATION_SIGNIFICANT,
    SR_M_TERMINATION_MONTH,
    SR_N_METRICS
} sr_metric;

/* What a metric is, as flags. */
enum {
    /* A flow kept per calendar year (/annual, /yearly, /yearly_pv): nominal, so that a
     * budget year's figure reads as it would in that year's accounts, and as a present
     * value, so that a trial's years add up to its value. */
    SR_METRIC_ANNUAL = 1u << 0,
    /* The portfolio's value is the sum of its programmes' (and so are its annual flows);
     * the others are computed for the portfolio as a whole (investors' returns over the
     * pooled flows, effects weighted by enrolment). */
    SR_METRIC_ADDITIVE = 1u << 1,
    /* Its lower tail is the risk that pooling programmes diversifies: reports compare the
     * portfolio's expected shortfall with the sum of its programmes'. */
    SR_METRIC_TAIL = 1u << 2,
    /* A key figure of the stress table: reports show how each stress moves it. */
    SR_METRIC_STRESS = 1u << 3,
    /* Measured against the savings of the budget that pays the contract (the municipality
     * or the state, whatever the name says): the paying budget's net result, which the
     * decision table compares with and without the contract. */
    SR_METRIC_PAYER = 1u << 4,
};

typedef struct {
    const char *name;         /* dataset name in result files */
    const char *units;        /* e.g. "DKK (present value at the public rate)", "persons" */
    const char *description;  /* one sentence or two, written with every dataset */
    unsigned flags;           /* SR_METRIC_* */
    unsigned report_rank;     /* where reports list the metric among the ones they pick by
                               * flag (1 first); 0 for metrics no report picks. Every metric
                               * with SR_METRIC_TAIL, _STRESS or _PAYER has a rank of its
                               * own. */
    const char *caption;      /* how a report names the metric in a sentence ("pay by
                               * results: savings - payments"); NULL: by its name */
    const char *former_name;  /* its name in result files of format 1, NULL: the same */
    const char *nan_means;    /* what a trial's NaN says ("never pays back within the
                               * horizon"), NULL: no value */
} sr_metric_def;

/* Indexed by sr_metric. */
extern const sr_metric_def sr_metrics[SR_N_METRICS];

static inline bool sr_metric_is(sr_metric m, unsigned flag)
{
    return (sr_metrics[m].flags & flag) != 0;
}

/* The metrics with flag, in the order of their report_rank, into out[SR_N_METRICS];
 * returns how many. */
size_t sr_metrics_ranked(unsigned flag, sr_metric out[SR_N_METRICS]);

#endif
