/* Solving one term for a target statistic (price.h): root finding on common random
 * numbers, then the same search in batches of trials for the Monte Carlo interval.
 *
 * The statistic S(x) over a fixed set of trials is a deterministic function of the term x:
 * continuous where every trial's figure is (a mean, a quantile of payments or IRRs), a
 * step function where it counts trials (p_negative, the mean of an indicator). The search
 * keeps a bracket [a, b] whose ends lie on either side of the target and narrows it by
 * regula falsi with the Illinois modification, bisecting whenever three steps have not
 * halved it, until it is 1e-10 of the first bracket wide or S hits the target; the answer
 * is the end whose statistic lies nearer the target. For a step function that is where S
 * crosses the target, to that width.
 *
 * The interval (sectioning): the trials are cut into k batches (20, or fewer so that a
 * batch holds at least 50 trials), the term solved in each batch alone, and the answer's
 * 95% interval is x ± t(0.975, k - 1) sd(batch answers) / sqrt(k): the spread of k
 * estimates each from n / k trials, scaled to n trials. Where a batch has no root in the
 * bracket (its statistic, noisier than the whole run's, does not reach the target there),
 * the batches are made twice as large, down to 5 of them, before the interval is given
 * up. The statistic's standard error at the answer is sd(batch statistics there) /
 * sqrt(k) in the same way. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/summary.h"
#include "sim/variants/price_search.h"

#define REL_WIDTH 1e-10     /* the bracket's final width, of its first */
#define MAX_STEPS 200

int sr_price_search_step(sr_price_search *s, bool count, sr_error *err)
{
    s->settled += count;
    if (s->progress && count)
        fprintf(stderr, "\r  price: %zu candidate terms settled   ", s->settled);
    if (s->interrupted != NULL && *s->interrupted)
        return sr_error_set(err, SR_EXIT_INTERRUPTED, "interrupted after %zu candidate terms",
                            s->settled);
    return 0;
}

/* One search's trials and what it records. */
typedef struct {
    sr_price_search *s;
    const sr_price_solution *sol;
    size_t first, last;       /* trials first .. last - 1 */
    bool record;              /* a search over all trials: its candidates are kept */
    sr_price_solution *out;
} search_range;

/* The target statistic over the range's trials with the term at x, into *v. */
static int statistic_at(search_range *r, double x, double *v, sr_error *err)
{
    sr_price_search *s = r->s;
    sr_term t = r->sol->term.term;
    t.value = x;
    const sr_resettle_pick pick = {r->sol->target.level, r->sol->target.metric};
    sr_resettle_columns(s->resettle, (sr_changes){&t, 1}, r->first, r->last, &pick, 1,
                        &s->column);
    sr_summary sum;
    sr_summary_compute(s->column, r->last - r->first, s->scratch, &sum);
    *v = sr_summary_stat(&sum, r->sol->target.stat);
    if (!r->record)
        return 0;
    sr_price_solution *o = r->out;
    o->candidates[2 * o->n_candidates] = x;
    o->candidates[2 * o->n_candidates + 1] = *v;
    o->n_candidates++;
    return sr_price_search_step(s, true, err);
}

enum { FOUND = 0, NO_ROOT = 1 };

/* Finds the term in [a, b] (statistics sa, sb there) at which the range's statistic meets
 * the target: FOUND with *x and its statistic *sx, NO_ROOT when the ends lie on one side
 * of it (or one has no value), or the error code. */
static int find_root(search_range *r, double a, double b, double sa, double sb, double *x,
                     double *sx, sr_error *err)
{
    const double target = r->sol->target.value, tol = REL_WIDTH * (b - a);
    double ga = sa - target, gb = sb - target;
    if (isnan(ga) || isnan(gb))
        return NO_ROOT;
    if (ga == 0.0 || gb == 0.0) {
        *x = ga == 0.0 ? a : b;
        *sx = ga == 0.0 ? sa : sb;
        return FOUND;
    }
    if ((ga < 0.0) == (gb < 0.0))
        return NO_ROOT;
    int side = 0;
    double width = b - a;
    for (int step = 0; step < MAX_STEPS && b - a > tol; step++) {
        double c = b - gb * (b - a) / (gb - ga);
        if (step % 3 == 2) {   /* three steps that did not halve the bracket: bisect */
            if (b - a > 0.5 * width)
                c = 0.5 * (a + b);
            width = b - a;
        }
        if (!(c > a && c < b))
            c = 0.5 * (a + b);
        double sc;
        int rc = statistic_at(r, c, &sc, err);
        if (rc != 0)
            return rc;
        const double gc = sc - target;
        if (isnan(gc))
            return NO_ROOT;
        if (gc == 0.0) {
            *x = c;
            *sx = sc;
            return FOUND;
        }
        if ((gc < 0.0) == (ga < 0.0)) {
            a = c, ga = gc, sa = sc;
            if (side < 0)
                gb *= 0.5;
            side = -1;
        } else {
            b = c, gb = gc, sb = sc;
            if (side > 0)
                ga *= 0.5;
            side = 1;
        }
    }
    const bool lower = fabs(sa - target) <= fabs(sb - target);
    *x = lower ? a : b;
    *sx = lower ? sa : sb;
    return FOUND;
}

/* Mean and sample standard deviation of x[n]. */
static void mean_sd(const double *x, size_t n, double *mean, double *sd)
{
    double sum = 0.0, ss = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    *mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - *mean) * (x[i] - *mean);
    *sd = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
}

/* Trials of batch b of sol. */
static void batch_range(const sr_price_solution *sol, size_t n_trials, size_t b, size_t *first,
                        size_t *last)
{
    *first = b * sol->batch_trials;
    *last = b + 1 == sol->n_batches ? n_trials : *first + sol->batch_trials;
}

/* Each batch solved alone; the interval when every batch has a root. */
static int solve_batches(sr_price_search *s, sr_price_solution *sol, sr_error *err)
{
    sol->batches_solved = 0;
    for (size_t b = 0; b < sol->n_batches; b++) {
        search_range r = {s, sol, 0, 0, false, sol};
        batch_range(sol, s->n_trials, b, &r.first, &r.last);
        double sa, sb, sx;
        int rc = statistic_at(&r, sol->bracket[0], &sa, err);
        if (rc == 0)
            rc = statistic_at(&r, sol->bracket[1], &sb, err);
        if (rc == 0)
            rc = find_root(&r, sol->bracket[0], sol->bracket[1], sa, sb, &sol->batch_values[b],
                           &sx, err);
        if (rc == NO_ROOT)
            sol->batch_values[b] = NAN;
        else if (rc != FOUND)
            return rc;
        else
            sol->batches_solved++;
        if ((rc = sr_price_search_step(s, false, err)) != 0)
            return rc;
    }
    sol->interval[0] = sol->interval[1] = NAN;
    if (sol->n_batches >= 2 && sol->batches_solved == sol->n_batches) {
        double mean, sd;
        mean_sd(sol->batch_values, sol->n_batches, &mean, &sd);
        const double k = (double)sol->n_batches;
        const double half = gsl_cdf_tdist_Pinv(0.975, k - 1.0) * sd / sqrt(k);
        sol->interval[0] = sol->value - half;
        sol->interval[1] = sol->value + half;
    }
    return 0;
}

/* The statistic and its batches' at the term found, from the result set settled there. */
static void statistics_at_answer(sr_price_search *s, sr_price_solution *sol,
                                 const sr_resultset *rs)
{
    const sr_level *level = sol->target.level == 0 ? &rs->portfolio
                                                   : &rs->programme[sol->target.level - 1];
    const double *x = sr_level_trials(level, rs->n_trials, sol->target.metric);
    sr_summary sum;
    sr_summary_compute(x, rs->n_trials, s->scratch, &sum);
    sol->statistic = sr_summary_stat(&sum, sol->target.stat);
    sol->n_nan = sum.n_nan + sum.n_infinite;
    for (size_t b = 0; b < sol->n_batches; b++) {
        size_t first, last;
        batch_range(sol, s->n_trials, b, &first, &last);
        sr_summary_compute(x + first, last - first, s->scratch, &sum);
        sol->batch_statistics[b] = sr_summary_stat(&sum, sol->target.stat);
    }
    double mean, sd;
    sol->statistic_se = NAN;
    if (sol->n_batches >= 2) {
        mean_sd(sol->batch_statistics, sol->n_batches, &mean, &sd);
        sol->statistic_se = sd / sqrt((double)sol->n_batches);
    }
}

int sr_price_solve(sr_price_search *s, sr_price_solution *sol, sr_resultset *base,
                   sr_error *err)
{
    const size_t n = s->n_trials;
    size_t k = n / SR_PRICE_BATCH_MIN;
    sol->n_batches = k < 2 ? 0 : k < SR_PRICE_BATCHES ? k : SR_PRICE_BATCHES;
    sol->batch_trials = sol->n_batches > 0 ? n / sol->n_batches : 0;
    sol->candidates = malloc(2 * (MAX_STEPS + 2) * sizeof *sol->candidates);
    sol->batch_values = calloc(sol->n_batches + 1, sizeof *sol->batch_values);
    sol->batch_statistics = calloc(sol->n_batches + 1, sizeof *sol->batch_statistics);
    if (sol->candidates == NULL || sol->batch_values == NULL || sol->batch_statistics == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");

    search_range all = {s, sol, 0, n, true, sol};
    int rc = statistic_at(&all, sol->bracket[0], &sol->bracket_statistic[0], err);
    if (rc == 0)
        rc = statistic_at(&all, sol->bracket[1], &sol->bracket_statistic[1], err);
    double found;
    if (rc == 0)
        rc = find_root(&all, sol->bracket[0], sol->bracket[1], sol->bracket_statistic[0],
                       sol->bracket_statistic[1], &sol->value, &found, err);
    if (rc == NO_ROOT)
        return sr_error_set(err, SR_EXIT_DATAERR, "--target %s: no root in the bracket: %.*s "
                            "is %.6g at %s = %.6g and %.6g at %.6g (widen it with --bracket "
                            "LO,HI, or aim at a reachable value)", sol->target_text,
                            (int)strcspn(sol->target_text, "="), sol->target_text,
                            sol->bracket_statistic[0], sol->term.path, sol->bracket[0],
                            sol->bracket_statistic[1], sol->bracket[1]);
    if (rc != 0)
        return rc;
    for (;;) {   /* batches twice as large while one has no root */
        if ((rc = solve_batches(s, sol, err)) != 0)
            return rc;
        if (sol->batches_solved == sol->n_batches || sol->n_batches / 2 < SR_PRICE_BATCHES_MIN)
            break;
        sol->n_batches /= 2;
        sol->batch_trials = n / sol->n_batches;
    }
    sr_term t = sol->term.term;
    t.value = sol->value;
    sr_resettle_all(s->resettle, (sr_changes){&t, 1}, base);
    statistics_at_answer(s, sol, base);
    return 0;
}
