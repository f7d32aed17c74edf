/* One arm of one programme over the horizon, at cohort level: counts per cell, moved each
 * month by binomial draws (or, for the deterministic expectation, by their means).
 *
 * Units: counts and flows of persons are persons (whole numbers when drawn, expected
 * values under SR_DRAW_EXPECTED), money is DKK, time is months t = 0 .. n_months-1.
 *
 * Blocks. Persons enrolled in the same month share their future only once their
 * intervention window and fade are over, so each intake month keeps a block of cells of its
 * own during that window (`window` = effect months + fade months) and then merges into the
 * pool, where all intake months' persons with identical futures are counted together. The
 * counterfactual arm keeps the same blocks and is stepped with the treated arm, cell by
 * cell (sr_arm_run_pair). Arms without an intervention window enrol straight into the
 * pool. */
#ifndef SR_ARM_H
#define SR_ARM_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/model.h"
#include "sim/engine/layout.h"
#include "sim/engine/progress.h"
#include "sim/engine/rates.h"
#include "sim/engine/sample.h"

/* A run of an arm: the programme and its trial (numbers, rates, how moves are drawn), and
 * what the arm does with the programme. */
typedef struct {
    const sr_model *model;
    const sr_programme *programme;
    const double *values;     /* [n_num]: the trial's numbers */
    const sr_rates *rates;    /* the programme's, for this trial */
    const unsigned char *cond_of_month; /* [n_months]: month t's macro condition in rates;
                               * NULL: month t uses condition t (one per month) */
    sr_draw draw;             /* at random (the generator is sought to each unit's stream)
                               * or the expectation */
    const unsigned *intake;   /* [n_strata * n_months]: persons enrolled per stratum, month */
    unsigned window;          /* months a block lives apart from the pool; 0 = no blocks */
    bool treated;             /* applies the effect phases and counts the intervention's costs */
    size_t stop;              /* month from which nobody enrols and the effect and costs stop
                               * (a terminated contract); n_months or more: never */
    const sr_progress *progress; /* the programme's rate-card progress tables */
    uint64_t stream;          /* stream key of (seed, trial, programme, arm, transitions) */
    const volatile sig_atomic_t *interrupted; /* read once a month: set, the run stops there
                                               * (its flows are then incomplete); may be NULL */
} sr_arm_spec;

/* An arm's monthly flows in one trial. Owned by the workspace. */
typedef struct {
    double *expenditure;      /* [SR_PAYERS * n_months]: DKK, payer-major, indexed */
    double *cost;             /* [n_months]: intervention costs, DKK, indexed */
    double *active;           /* [n_months]: active participants (persons) */
    double *employed;         /* [n_months]: persons in `employed` during month t */
    double *achieved;         /* [n_outcomes * n_months]: achievements of outcome o in month t
                               * (the month in which the tenure is held) */
    double *enrolled;         /* [n_months]: persons enrolled at the start of month t */
    double employed_end;      /* persons in `employed` after the last month's transitions */
} sr_arm_flows;

/* Flows for n_months and up to n_outcomes outcomes, in one allocation; NULL on allocation
 * failure. */
sr_arm_flows *sr_arm_flows_alloc(size_t n_months, size_t n_outcomes);
void sr_arm_flows_free(sr_arm_flows *f);   /* NULL is fine */
/* Bytes sr_arm_flows_alloc takes (models/size.h: an upper bound, allocator overhead in). */
double sr_arm_flows_bytes(size_t n_months, size_t n_outcomes);
/* Copies src (with n_outcomes outcomes) into dst, both for n_months. */
void sr_arm_flows_copy(sr_arm_flows *dst, const sr_arm_flows *src, size_t n_months,
                       size_t n_outcomes);

/* One arm's counts of persons: the pool and each intake month's block, and next month's
 * scratch. */
typedef struct {
    double *pool;             /* [max_len] persons */
    double *blocks;           /* [n_months * max_len]: the block of intake month e */
    double *next;             /* [max_len] next month's counts, scratch */
    uint64_t *pool_bits;      /* [words]: occupied (stratum, cell)s of the pool, bit
                               * s * n_cells + cell; every count > 0 has its bit set */
    uint64_t *block_bits;     /* [n_months * words]: the same for each block */
    uint64_t *next_bits;      /* [words]: the same for next */
} sr_arm_counts;

/* Arms a run keeps counts for: a pair's treated and counterfactual arm. */
#define SR_PAIR 2

/* Per-thread workspace for simulating arms of any programme of one model, in one
 * allocation (sim/engine/carve.h). */
typedef struct {
    const sr_layout *layout;
    size_t n_months;
    size_t max_len;           /* the largest block: SR_PROGRESS_MAX-bounded progress of any
                               * programme * n_strata * n_cells */
    size_t block_len;         /* this run's: n_progress * n_strata * n_cells */
    size_t words;             /* 64-bit words of an occupancy bitmap: n_strata * n_cells bits */
    double *cash;             /* [n_strata * n_cells * SR_PAYERS] DKK per person-month */
    double *moves[SR_PAIR];   /* [max_out + 1] one cell's moves in each arm */
    double *share;            /* [max_out + 1] one progress group's share of them */
    double *scratch;          /* [SR_PAIR_SCRATCH(max_out)] for sr_draw_pair */
    double *band_leavers[SR_PAIR]; /* [max_progress] a pooled band's leavers of each arm by
                               * the progress they leave with */
    size_t *leaving[SR_PAIR]; /* [max_progress] those progress groups, in order of arrival */
    size_t n_leaving[SR_PAIR];
    double *destinations;     /* [(2 + SR_PAIR) * max_out] their destinations */
    sr_arm_counts counts[SR_PAIR];
    sr_arm_flows *arm_flows[SR_PAIR]; /* the arm's, and in a pair its counterfactual's */
    sr_arm_flows *flows;          /* the last run's arm: arm_flows[0] */
    sr_arm_flows *counterfactual; /* the last pair's counterfactual: arm_flows[1] */
} sr_arm_ws;

/* max_progress: the most progress combinations of any programme to be run; max_outcomes
 * the most rate-card outcomes. */
sr_arm_ws *sr_arm_ws_alloc(const sr_layout *l, const sr_model *m, size_t max_progress,
                           size_t max_outcomes);
void sr_arm_ws_free(sr_arm_ws *w);    /* NULL is fine */
/* Bytes sr_arm_ws_alloc takes with the same arguments, from the same element counts. */
double sr_arm_ws_bytes(const sr_layout *l, const sr_model *m, size_t max_progress,
                       size_t max_outcomes);

/* Simulates the arm of spec; the flows land in w->flows. */
void sr_arm_run(sr_arm_ws *w, const sr_arm_spec *spec);

/* The same for the arm of spec and, in lockstep, its counterfactual (the same persons
 * without the effect or its costs), into w->flows and w->counterfactual. Each arm keeps
 * its own counts; a cell's moves in the two arms are drawn together: as many persons as
 * both arms hold there are paired and make the same moves while the arms' probabilities
 * agree (they leave together, and a tenure band's leaving pairs share their
 * destinations), and part by a maximal coupling where the effect makes them differ
 * (sr_draw_pair); only the arms' excess persons move independently. Each arm alone is
 * exactly the scenario's Markov cohort, and the savings (the arms' difference) vary only
 * through the persons in which the arms differ. */
void sr_arm_run_pair(sr_arm_ws *w, const sr_arm_spec *spec);

#endif
