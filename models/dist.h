/* Parameter distributions (SPEC 2.10): each draw is the inverse CDF of one uniform. */
#ifndef SR_DIST_H
#define SR_DIST_H

#include "model.h"

/* The u-quantile of d, u in (0, 1); a fixed number returns its value. */
double sr_dist_quantile(const sr_numdef *d, double u);

#endif
