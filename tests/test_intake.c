/* The intake rules (models/intake.h): persons split over strata by largest remainder and
 * spread over months, the first months taking one more. */

#include <criterion/criterion.h>
#include <stdint.h>

#include "models/intake.h"

Test(intake, splits_by_largest_remainder_ties_to_the_lower_index)
{
    uint64_t work[4];
    unsigned out[4];
    double thirds[3] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
    sr_intake_split(10, thirds, 3, work, out);
    cr_assert(out[0] == 4 && out[1] == 3 && out[2] == 3);
    double halves[2] = {0.5, 0.5};
    sr_intake_split(5, halves, 2, work, out);
    cr_assert(out[0] == 3 && out[1] == 2);
    /* 0.3 x 5 = 1.5 and 0.7 x 5 = 3.5 (3.4999999999999996 in doubles): a tie, so the lower
     * index takes the extra person. */
    double noisy[2] = {0.3, 0.7};
    sr_intake_split(5, noisy, 2, work, out);
    cr_assert(out[0] == 2 && out[1] == 3, "got %u %u", out[0], out[1]);
    /* Larger remainder first: quotas 1.2, 2.7, 6.1 -> floors 1 2 6, one left to 2.7. */
    double w[3] = {0.12, 0.27, 0.61};
    sr_intake_split(10, w, 3, work, out);
    cr_assert(out[0] == 1 && out[1] == 3 && out[2] == 6);
    sr_intake_split(0, w, 3, work, out);
    cr_assert(out[0] == 0 && out[1] == 0 && out[2] == 0);
    /* Weights need not sum to 1. */
    double counts[4] = {330, 0, 670, 0};
    sr_intake_split(500, counts, 4, work, out);
    cr_assert(out[0] == 165 && out[1] == 0 && out[2] == 335 && out[3] == 0);
}

Test(intake, spreads_evenly_with_the_first_months_taking_one_more)
{
    unsigned out[5];
    sr_intake_spread(10, 4, out);
    cr_assert(out[0] == 3 && out[1] == 3 && out[2] == 2 && out[3] == 2);
    sr_intake_spread(3, 5, out);
    cr_assert(out[0] == 1 && out[1] == 1 && out[2] == 1 && out[3] == 0 && out[4] == 0);
    sr_intake_spread(0, 2, out);
    cr_assert(out[0] == 0 && out[1] == 0);
}
