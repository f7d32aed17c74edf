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

#endif
