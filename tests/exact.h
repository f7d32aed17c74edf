/* An exact reference for the engine's expectations, written independently of it: every
 * person's state and full tenure (0 .. tenure_max, no compression), one full monthly
 * transition matrix per stratum and effect phase, and expected counts propagated by
 * matrix-vector products month by month (the time-inhomogeneous matrix power). */
#ifndef SR_TEST_EXACT_H
#define SR_TEST_EXACT_H

#include <stdbool.h>

#include "models/model.h"

typedef struct {
    double *expenditure;      /* [SR_PAYERS * n_months], nominal, indexed */
    double *cost;             /* [n_months] */
    double *active;           /* [n_months] */
    double *count;            /* [n_states * n_months]: expected persons per state, month */
    double employed_end;
} sr_exact_arm;

/* Expected flows of programme p's treated (treated = true) or counterfactual arm, with
 * every number at v, no macro shocks. Free with sr_exact_arm_free. */
sr_exact_arm sr_exact_run(const sr_model *m, size_t p, const double *v, bool treated);
void sr_exact_arm_free(sr_exact_arm *a);

/* The exact mean and variance of one person's savings D: the sum over the horizon's months
 * of the counterfactual minus the treated version's cash flow of payer `pay` (nominal,
 * without indexation or one-off flows), for a person of programme p's stratum s enrolled
 * in the first month. The person's two versions make the same moves while their monthly
 * move probabilities allow (with probability sum_d min(Pt, Pc) they move together to d),
 * else part by the excesses and move on independently until they meet in one cell again
 * (a cell of the engine: the same state, and tenures that make no difference from there
 * on), where they are together again (README: how the engine samples); computed by
 * backward recursion of E[D] and E[D^2] over that joint chain. For a cohort of one person
 * this is the engine's coupling exactly. */
void sr_exact_person_savings(const sr_model *m, size_t p, const double *v, size_t s,
                             size_t pay, double *mean, double *var);

#endif
