#include "intake.h"

#include <math.h>
#include <stdlib.h>

/* Remainders are compared in units of 1e-9 of a person. */
#define SR_INTAKE_REMAINDER_UNITS 1e9

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void sr_intake_split(unsigned total, const double *weight, size_t k, uint64_t *work,
                     unsigned *out)
{
    double sum = 0;
    for (size_t i = 0; i < k; i++)
        sum += weight[i];
    unsigned given = 0;
    for (size_t i = 0; i < k; i++) {
        double quota = sum > 0 ? (double)total * weight[i] / sum : 0;
        /* A quota a hair below an integer (299.99999999999994) is that integer. */
        double fl = floor(quota + 1e-9);
        out[i] = (unsigned)fl;
        given += out[i];
        double rem = quota - fl;
        uint64_t units = rem > 0 ? (uint64_t)llround(rem * SR_INTAKE_REMAINDER_UNITS) : 0;
        /* Sort key: larger remainder first, then lower index. k < 2^32, units <= 1e9 < 2^30. */
        work[i] = ((uint64_t)((1u << 30) - units) << 32) | (uint64_t)i;
    }
    qsort(work, k, sizeof *work, cmp_u64);
    /* The floors fall short of the total by fewer than k persons; they exceed it only if
     * rounding pushed quotas over integers, and then the smallest remainders give back. */
    unsigned left = given <= total ? total - given : 0;
    for (size_t j = 0; j < k && left > 0; j++, left--)
        out[work[j] & 0xFFFFFFFFu]++;
    for (size_t j = k; j-- > 0 && given > total;) {
        size_t i = (size_t)(work[j] & 0xFFFFFFFFu);
        if (out[i] > 0) {
            out[i]--;
            given--;
        }
    }
}

void sr_intake_spread(unsigned n, size_t m, unsigned *out)
{
    unsigned base = (unsigned)(n / m), extra = (unsigned)(n % m);
    for (size_t j = 0; j < m; j++)
        out[j] = base + (j < extra ? 1u : 0u);
}
