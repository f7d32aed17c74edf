/* Intake arithmetic (docs/model.md): how a number of persons is split over strata and spread
 * over months. Pure functions on counts; the scenario loader builds the intake tables from
 * them, and a reader can check any table by hand with these two rules. */
#ifndef SR_INTAKE_H
#define SR_INTAKE_H

#include <stddef.h>
#include <stdint.h>

/* Largest-remainder (Hamilton) split of total persons over k parts in proportion to
 * weight[k] (>= 0, not all 0; they need not sum to 1). Each part first gets the floor of its
 * quota total * weight / sum(weight); the persons left over go one each to the parts with
 * the largest remainders, ties to the lower index. Remainders within 1e-9 of each other
 * count as equal, so that rounding noise in the shares (0.7 * 5 = 3.4999999999999996) never
 * decides a tie. out[k] sums to total. work[k] is the caller's workspace. */
void sr_intake_split(unsigned total, const double *weight, size_t k, uint64_t *work,
                     unsigned *out);

/* Spreads n persons over m months (m >= 1) evenly: every month gets n / m, and the first
 * n mod m months one more. out[m] sums to n. */
void sr_intake_spread(unsigned n, size_t m, unsigned *out);

#endif
