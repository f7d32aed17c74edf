/* The searches of a price search (price.h) over a run whose trials are settled again from
 * their records: the solve's root finding with its batches, and the map's grid. */
#ifndef SR_PRICE_SEARCH_H
#define SR_PRICE_SEARCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "sim/base/error.h"
#include "sim/engine/resettle.h"
#include "sim/engine/results.h"
#include "sim/variants/price.h"

typedef struct {
    sr_resettle *resettle;    /* over the base run's trials */
    size_t n_trials;
    double *column, *scratch; /* [n_trials] */
    const volatile sig_atomic_t *interrupted;   /* may be NULL */
    bool progress;            /* a line on stderr after each candidate */
    size_t settled;           /* candidates settled over all trials so far */
} sr_price_search;

/* Solves sol->term for sol->target in sol->bracket (both set), filling the rest of sol;
 * then settles every trial of base (the run the search settles again) at the term found,
 * in place, so that base becomes the result set at that term. SR_EXIT_DATAERR when the
 * bracket holds no root (or the statistic has no value at an end), SR_EXIT_INTERRUPTED,
 * SR_EXIT_SOFTWARE when out of memory. */
int sr_price_solve(sr_price_search *s, sr_price_solution *sol, sr_resultset *base,
                   sr_error *err);

/* Fills the columns of map (its terms, values, points and criteria set) point by point.
 * SR_EXIT_INTERRUPTED or SR_EXIT_SOFTWARE (out of memory). */
int sr_price_map_run(sr_price_search *s, sr_price_map *map, sr_error *err);

/* After a settlement of trials: counts it (count: a candidate settled over all trials) and
 * shows the count when s->progress; returns SR_EXIT_INTERRUPTED with err once the
 * interrupt flag is set, else 0. */
int sr_price_search_step(sr_price_search *s, bool count, sr_error *err);

#endif
