/* /price in a price search's result file (docs/results.md "Price files"): what a solve
 * found, or a map's table, every dataset with its units and description. */
#include <math.h>
#include <string.h>

#include "models/summary.h"
#include "sim/resultset/h5util.h"
#include "sim/variants/price.h"

static int scalar(hid_t g, const char *name, double v, const char *units, const char *what,
                  sr_error *err)
{
    return sr_h5_write_floats(g, name, 0, NULL, &v, units, what, NULL, 0, err);
}

static int vector(hid_t g, const char *name, const double *v, size_t n, const char *units,
                  const char *what, sr_error *err)
{
    const hsize_t dims[1] = {n};
    return sr_h5_write_floats(g, name, 1, dims, v, units, what, NULL, 0, err);
}

static int texts(hid_t g, const char *name, const char *const *text, size_t n,
                 const char *what, sr_error *err)
{
    const hsize_t dims[1] = {n};
    return sr_h5_write_texts(g, name, 1, dims, text, "text", what, err);
}

/* The units of the target statistic: the metric's, or a share of trials. */
static const char *statistic_units(const sr_price_target *t)
{
    return strcmp(sr_summary_stat_name(t->stat), "p_negative") == 0 ? "1 (share of trials)"
                                                                      : sr_metrics[t->metric].units;
}

static int write_solve(hid_t g, const sr_price_solution *s, size_t n_trials, sr_error *err)
{
    const char *u = s->term.units, *su = statistic_units(&s->target);
    const hsize_t dims[2] = {s->n_candidates, 2};
    const double trials = (double)n_trials;
    int rc = texts(g, "term", &s->term.path, 1, "The term varied, as a scenario key path "
                   "(outcomes[*].price: a factor on every price).", err);
    rc = rc ? rc : texts(g, "target", &s->target_text, 1, "The target as given: "
                         "[PROGRAMME/]METRIC.STATISTIC=VALUE.", err);
    rc = rc ? rc : scalar(g, "target_value", s->target.value, su, "The statistic's target.",
                          err);
    rc = rc ? rc : scalar(g, "value", s->value, u, "The term at which the statistic meets the "
                          "target over this run's trials; the root layout is the result set "
                          "at it.", err);
    rc = rc ? rc : vector(g, "interval", s->interval, 2, u, "The 95% Monte Carlo interval of "
                          "the term: value +- t(0.975, k - 1) sd(batch_values) / sqrt(k); NaN "
                          "unless every batch has a root in the bracket.", err);
    rc = rc ? rc : scalar(g, "statistic", s->statistic, su, "The statistic at value, over "
                          "every trial.", err);
    rc = rc ? rc : scalar(g, "statistic_se", s->statistic_se, su, "Its Monte Carlo standard "
                          "error: sd(batch_statistics) / sqrt(k).", err);
    rc = rc ? rc : scalar(g, "n_nan", s->n_nan, "trials", "Trials without a value of the "
                          "metric at value, left out of the statistic.", err);
    rc = rc ? rc : scalar(g, "trials", trials, "trials", "Trials in the run.", err);
    rc = rc ? rc : vector(g, "bracket", s->bracket, 2, u, "The interval searched.", err);
    rc = rc ? rc : vector(g, "bracket_statistic", s->bracket_statistic, 2, su, "The "
                          "statistic at the bracket's ends.", err);
    if (s->n_batches > 0) {
        rc = rc ? rc : vector(g, "batch_values", s->batch_values, s->n_batches, u, "The term "
                              "solved in each batch of trials alone (consecutive trials; the "
                              "last batch takes the rest); NaN: no root in the bracket.", err);
        rc = rc ? rc : vector(g, "batch_statistics", s->batch_statistics, s->n_batches, su,
                              "Each batch's statistic at value.", err);
    }
    rc = rc ? rc : sr_h5_write_floats(g, "candidates", 2, dims, s->candidates, "term, "
                                      "statistic", "The search's steps over every trial, in "
                                      "order: [step][0] the term, [step][1] the statistic "
                                      "there.", NULL, 0, err);
    rc = rc ? rc : texts(g, "set", (const char *const *)s->sets, s->n_sets, "The --set "
                         "arguments that make the scenario at value (sirisk run with them "
                         "reproduces the root layout).", err);
    return rc;
}

static int write_map(hid_t g, const sr_price_map *m, sr_error *err)
{
    const char *paths[SR_PRICE_MAX_MAPS];
    for (size_t k = 0; k < m->n_terms; k++)
        paths[k] = m->terms[k].path;
    const hsize_t dims[2] = {m->n_points, m->n_terms};
    int rc = texts(g, "terms", paths, m->n_terms, "The terms mapped, as scenario key paths, "
                   "in the order of values' columns.", err);
    rc = rc ? rc : sr_h5_write_floats(g, "values", 2, dims, m->point, "the terms' units",
                                      "The grid, row-major (the first term outer): "
                                      "[point][k] is term k's value at the point.", NULL, 0,
                                      err);
    rc = rc ? rc : scalar(g, "investor_irr", m->investor_irr, "per year (annual effective "
                          "rate)", "Win-win needs the investors' median IRR at least this.",
                          err);
    rc = rc ? rc : scalar(g, "municipality_risk", m->municipality_risk, "1 (share of trials)",
                          "Win-win needs the paying budget's net result paying by results at "
                          "least 0 in the mean and below 0 in at most this share of trials.",
                          err);
    const sr_h5_column cols[SR_MAP_COLUMNS] = {
        {"p_loss", "1 (share of trials)", "The investors' probability of loss: the mean of "
         "investor_loss.", m->column[SR_MAP_P_LOSS], NULL, 0},
        {"irr_q50", "per year (annual effective rate)", "The investors' median IRR "
         "(investor_irr q50, over the trials with a value).", m->column[SR_MAP_IRR_Q50], NULL,
         0},
        {"irr_n_nan", "trials", "Trials without an IRR, left out of irr_q50.",
         m->column[SR_MAP_IRR_NAN], NULL, 0},
        {"payments_mean", "DKK (present value at the public rate)", "The mean of payments.",
         m->column[SR_MAP_PAYMENTS_MEAN], NULL, 0},
        {"net_mean", "DKK (present value at the public rate)", "The mean of the paying "
         "budget's net result paying by results (savings minus payments).",
         m->column[SR_MAP_NET_MEAN], NULL, 0},
        {"net_p_negative", "1 (share of trials)", "The share of trials in which that net "
         "result is below 0.", m->column[SR_MAP_NET_P_NEGATIVE], NULL, 0},
        {"overpayment_mean", "DKK (present value at the public rate)", "The mean of "
         "overpayment: payments beyond what the true results would have earned.",
         m->column[SR_MAP_OVERPAYMENT_MEAN], NULL, 0},
        {"win_win", "1 (indicator)", "1 where irr_q50 >= investor_irr, net_mean >= 0 and "
         "net_p_negative <= municipality_risk, else 0.", m->column[SR_MAP_WIN_WIN], NULL, 0},
    };
    return rc ? rc : sr_h5_write_columns(g, "table", cols, SR_MAP_COLUMNS, m->n_points, err);
}

int sr_price_write(sr_h5_file *f, const sr_price_result *r, sr_error *err)
{
    hid_t price = sr_h5_group_create(sr_h5_file_root(f), "price", err);
    if (price < 0)
        return SR_EXIT_IOERR;
    hid_t g = sr_h5_group_create(price, r->is_map ? "map" : "solve", err);
    int rc = g < 0 ? SR_EXIT_IOERR
             : r->is_map ? write_map(g, &r->map, err)
                         : write_solve(g, &r->solve, r->n_trials, err);
    if (g >= 0 && rc != 0)
        sr_h5_abandon(g);
    else if (g >= 0)
        rc = sr_h5_close(g, err);
    if (rc != 0) {
        sr_h5_abandon(price);
        return rc;
    }
    return sr_h5_close(price, err);
}
