/* Parameter distributions (docs/model.md): each draw is the inverse CDF of one uniform. */
#ifndef SR_DIST_H
#define SR_DIST_H

#include "model.h"

/* The uniforms every number's draw is the quantile of: 53 random bits, never 0 or 1. */
#define SR_DRAW_U_MIN 0x1p-53
#define SR_DRAW_U_MAX (1.0 - 0x1p-53)

/* The u-quantile of d, u in (0, 1); a fixed number returns its value. */
double sr_dist_quantile(const sr_numdef *d, double u);

#endif
