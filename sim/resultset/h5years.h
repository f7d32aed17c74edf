/* A level's flows year by year in a result set (docs/results.md, yearly flows and budget
 * years): the quantiles of each calendar year's nominal flow (/annual), every trial's
 * yearly flows, nominal (/yearly) and as present values (/yearly_pv), with each column's
 * statistics, and the paying budget's year-by-year table (/budget). Written by sr_h5_write_level (h5write.h); one thread, outside OpenMP regions. */
#ifndef SR_H5YEARS_H
#define SR_H5YEARS_H

#include <hdf5.h>

#include "sim/base/error.h"
#include "sim/engine/results.h"

/* Writes the groups annual, yearly, yearly_pv and budget of level lv (sized by rs) into
 * loc.
 * Returns 0 or SR_EXIT_IOERR (SR_EXIT_SOFTWARE in err->code when out of memory). */
int sr_h5_write_years(hid_t loc, const sr_resultset *rs, const sr_level *lv, sr_error *err);

/* Bytes of scratch sr_h5_write_years takes (models/size.h: an upper bound). */
double sr_h5_years_scratch_bytes(size_t n_trials, size_t n_years);

#endif
