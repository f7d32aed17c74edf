/* Budget years read back (figures.h): each trial's yearly flows and their statistics, the
 * cumulative quantiles computed from them, and the budget table. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/figures.h"

static int out_of_memory(sr_error *err)
{
    return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
}

/* The quantiles over trials of each trial's cumulative flow (columns 0 .. years - 1 added
 * up from the first), read a block of trials at a time into memory that holds them all
 * (years x trials), column by column. */
static int cumulative_quantiles(hid_t ds, const sr_h5_shape *shape, sr_fig_yearly *y,
                                sr_error *err)
{
    const size_t trials = (size_t)shape->dims[0], cols = (size_t)shape->dims[1];
    enum { BLOCK = 4096 };
    double *sums = malloc(y->years * trials * sizeof *sums);
    double *block = malloc(BLOCK * cols * sizeof *block), *scratch = malloc(trials * sizeof *scratch);
    int rc = 0;
    if ((y->cumulative = malloc(y->years * SR_N_QUANTILES * sizeof *y->cumulative)) == NULL ||
        sums == NULL || block == NULL || scratch == NULL) {
        rc = out_of_memory(err);
        goto done;
    }
    for (size_t first = 0; rc == 0 && first < trials; first += BLOCK) {
        const size_t n = trials - first < BLOCK ? trials - first : BLOCK;
        if ((rc = sr_h5check_read_rows(ds, shape, first, n, block, err)) != 0)
            break;
        for (size_t i = 0; i < n; i++) {
            double total = 0.0;
            for (size_t c = 0; c < y->years; c++) {
                total += block[i * cols + c];
                sums[c * trials + first + i] = total;
            }
        }
    }
    for (size_t c = 0; rc == 0 && c < y->years; c++)
        sr_quantiles(sums + c * trials, trials, scratch, y->cumulative + c * SR_N_QUANTILES);
done:
    if (rc != 0) {
        free(y->cumulative);
        y->cumulative = NULL;
    }
    free(sums);
    free(block);
    free(scratch);
    return rc;
}

int sr_fig_read_yearly(hid_t level, const char *name, const sr_h5_trials *trials,
                       bool cumulative, sr_fig_yearly *y, bool *found, sr_error *err)
{
    hid_t g, ds = H5I_INVALID_HID;
    sr_h5_shape shape;
    memset(y, 0, sizeof *y);
    *found = false;
    int rc = sr_h5check_group(level, "yearly", &g, err);
    if (rc != 0 || g < 0 || !trials->known)
        goto close_group;
    if ((rc = sr_h5check_floats(g, name, 2, &ds, &shape, err)) != 0 || ds < 0)
        goto close_group;
    if (shape.rank != 2 || shape.dims[0] != trials->n || shape.dims[1] < 2 ||
        shape.dims[1] > SR_FIG_MAX_YEARS + 1) {
        rc = sr_h5check_refuse(ds, NULL, err, "expected [%" PRIu64 " trials] x [2 to %d "
                               "columns: years, then after the horizon]", trials->n,
                               SR_FIG_MAX_YEARS + 1);
        goto done;
    }
    const size_t cols = (size_t)shape.dims[1];
    y->years = cols - 1;
    const sr_h5_shape levels = {.rank = 1, .dims = {SR_N_QUANTILES, 1}};
    const sr_h5_shape values = {.rank = 2, .dims = {cols, SR_N_QUANTILES}};
    const sr_h5_shape per_column = {.rank = 1, .dims = {cols, 1}};
    uint64_t year;
    bool present;
    if ((y->name = strdup(name)) == NULL ||
        (y->q = malloc(cols * SR_N_QUANTILES * sizeof *y->q)) == NULL ||
        (y->mean = malloc(cols * sizeof *y->mean)) == NULL ||
        (y->p_negative = malloc(cols * sizeof *y->p_negative)) == NULL) {
        rc = out_of_memory(err);
        goto done;
    }
    if ((rc = sr_h5check_attr_uint(ds, "first_year", 1, 9999, &year, NULL, err)) != 0 ||
        (rc = sr_h5check_attr_text(ds, "units", SR_H5_MAX_LABEL_BYTES, &y->units, err)) != 0 ||
        (rc = sr_h5check_attr_floats(ds, "quantile_levels", &levels, y->levels, NULL, err)) != 0 ||
        (rc = sr_h5check_attr_floats(ds, "quantile_values", &values, y->q, NULL, err)) != 0 ||
        (rc = sr_h5check_attr_floats(ds, "mean", &per_column, y->mean, &present, err)) != 0 ||
        (rc = sr_h5check_attr_floats(ds, "p_negative", &per_column, y->p_negative, &present,
                                     err)) != 0)
        goto done;
    y->first_year = (unsigned)year;
    *found = true;
    if (cumulative && trials->n * y->years <= SR_FIG_MAX_CUMULATIVE)
        rc = cumulative_quantiles(ds, &shape, y, err);
done:
    H5Oclose(ds);
close_group:
    if (g >= 0)
        H5Gclose(g);
    if (rc != 0) {
        sr_fig_yearly_clear(y);
        *found = false;
    }
    return rc;
}

void sr_fig_yearly_clear(sr_fig_yearly *y)
{
    free(y->name);
    free(y->units);
    free(y->q);
    free(y->mean);
    free(y->p_negative);
    free(y->cumulative);
    memset(y, 0, sizeof *y);
}

sr_fig_annual sr_fig_yearly_view(const sr_fig_yearly *y, bool cumulative)
{
    sr_fig_annual a = {.name = y->name, .units = y->units, .first_year = y->first_year,
                       .years = y->years, .q = cumulative ? y->cumulative : y->q};
    memcpy(a.levels, y->levels, sizeof a.levels);
    return a;
}

int sr_fig_read_budget(hid_t level, sr_fig_budget *b, sr_error *err)
{
    hid_t g, year = H5I_INVALID_HID;
    sr_h5_shape shape;
    memset(b, 0, sizeof *b);
    int rc = sr_h5check_group(level, "budget", &g, err);
    if (rc != 0 || g < 0)
        return rc;
    if ((rc = sr_h5check_floats(g, "year", 1, &year, &shape, err)) != 0 || year < 0)
        goto done;
    if (shape.rank != 1 || shape.dims[0] < 2 || shape.dims[0] > SR_FIG_MAX_YEARS + 1) {
        rc = sr_h5check_refuse(year, NULL, err, "expected 2 to %d rows: years, then after "
                               "the horizon", SR_FIG_MAX_YEARS + 1);
        goto done;
    }
    if ((rc = sr_h5check_attr_text(g, "payer", SR_H5_MAX_LABEL_BYTES, &b->payer, err)) != 0 ||
        (rc = sr_fig_read_columns(g, (size_t)shape.dims[0], true, "one per row of /budget/year",
                                  &b->table, err)) != 0)
        goto done;
    b->present = true;
done:
    if (year >= 0)
        H5Oclose(year);
    H5Gclose(g);
    if (rc != 0)
        sr_fig_budget_clear(b);
    return rc;
}

void sr_fig_budget_clear(sr_fig_budget *b)
{
    free(b->payer);
    sr_fig_columns_clear(&b->table);
    memset(b, 0, sizeof *b);
}
