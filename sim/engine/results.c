/* The result set in memory: the allocation of the per-trial arrays, laid out by the metric
 * table (models/metric.h). */
#include "sim/engine/results.h"

#include <stdlib.h>
#include <string.h>

#include "models/size.h"
#include "sim/engine/records.h"

static void level_free(sr_level *l)
{
    free(l->trial);
    free(l->annual);
}

size_t sr_annual_row(sr_metric m)
{
    size_t row = 0;
    for (size_t k = 0; k < (size_t)m; k++)
        row += sr_metric_is((sr_metric)k, SR_METRIC_ANNUAL);
    return row;
}

/* Elements of one level's arrays, which level_alloc allocates and sr_resultset_bytes adds
 * up: every metric of every trial, and every annual metric's year of every trial (at least
 * one element: calloc(0) may return NULL, and NULL must always mean failure). */
static size_t level_trial_values(size_t n_trials)
{
    return sr_size_mul(SR_N_METRICS, n_trials);
}

static size_t level_annual_values(size_t n_trials, size_t n_years)
{
    size_t n = sr_size_mul(sr_size_mul(sr_annual_row(SR_N_METRICS) * SR_VALUATIONS, n_trials),
                           sr_yearly_columns(n_years));
    return n > 0 ? n : 1;
}

size_t sr_level_row_values(size_t n_years)
{
    return sr_size_mul(SR_N_METRICS, 1 + SR_VALUATIONS * sr_yearly_columns(n_years));
}

void sr_level_store(sr_level *level, const sr_level_row *row, size_t n_trials, size_t n_years,
                    size_t i)
{
    const size_t n_cols = sr_yearly_columns(n_years);
    for (size_t k = 0; k < SR_N_METRICS; k++) {
        sr_level_trials(level, n_trials, (sr_metric)k)[i] = row->metric[k];
        if (!sr_metric_is((sr_metric)k, SR_METRIC_ANNUAL))
            continue;
        for (size_t v = 0; v < SR_VALUATIONS; v++)
            memcpy(sr_level_yearly(level, n_trials, n_years, (sr_metric)k, (sr_valuation)v, i),
                   sr_row_yearly(row, n_years, (sr_metric)k, (sr_valuation)v),
                   n_cols * sizeof(double));
    }
}

void sr_level_load(const sr_level *level, const sr_level_row *row, size_t n_trials,
                   size_t n_years, size_t i)
{
    const size_t n_cols = sr_yearly_columns(n_years);
    for (size_t k = 0; k < SR_N_METRICS; k++) {
        row->metric[k] = sr_level_trials(level, n_trials, (sr_metric)k)[i];
        for (size_t v = 0; v < SR_VALUATIONS; v++) {
            double *out = sr_row_yearly(row, n_years, (sr_metric)k, (sr_valuation)v);
            if (sr_metric_is((sr_metric)k, SR_METRIC_ANNUAL))
                memcpy(out,
                       sr_level_yearly(level, n_trials, n_years, (sr_metric)k,
                                       (sr_valuation)v, i),
                       n_cols * sizeof(double));
            else
                memset(out, 0, n_cols * sizeof(double));
        }
    }
}

/* Allocates one level's arrays; returns 0 or -1, leaving l's pointers NULL or owned. */
static int level_alloc(sr_level *l, size_t n_trials, size_t n_years)
{
    l->trial = calloc(level_trial_values(n_trials), sizeof *l->trial);
    l->annual = calloc(level_annual_values(n_trials, n_years), sizeof *l->annual);
    return l->trial != NULL && l->annual != NULL ? 0 : -1;
}

double sr_resultset_bytes(size_t n_trials, size_t n_years, size_t n_programmes,
                          size_t n_parameters)
{
    const double level = sr_array_bytes(level_trial_values(n_trials), sizeof(double)) +
                         sr_array_bytes(level_annual_values(n_trials, n_years), sizeof(double));
    double bytes = sr_array_bytes(1, sizeof(sr_resultset)) + (double)(1 + n_programmes) * level +
                   2 * sr_array_bytes(n_trials, sizeof(double));   /* the macro columns */
    if (n_programmes > 0)
        bytes += sr_array_bytes(n_programmes, sizeof(char *)) +
                 sr_array_bytes(n_programmes, sizeof(sr_level));
    if (n_parameters > 0)
        bytes += 2 * sr_array_bytes(n_parameters, sizeof(char *)) +
                 sr_array_bytes(sr_size_mul(n_parameters, n_trials), sizeof(double));
    return bytes;
}

sr_resultset *sr_resultset_alloc(size_t n_trials, size_t n_years, int first_year,
                                 size_t n_programmes)
{
    if (n_trials == 0)
        return NULL;
    /* the flat arrays index as m * 2 * n_trials * (n_years + 1): refuse sizes whose product
     * wraps */
    if (n_trials > SIZE_MAX / sizeof(double) / SR_N_METRICS / SR_VALUATIONS /
                       sr_yearly_columns(n_years))
        return NULL;
    sr_resultset *rs = calloc(1, sizeof *rs);
    if (rs == NULL)
        return NULL;
    rs->n_trials = n_trials;
    rs->n_years = n_years;
    rs->first_year = first_year;
    if (level_alloc(&rs->portfolio, n_trials, n_years) != 0)
        goto fail;
    rs->recession_months = calloc(n_trials, sizeof *rs->recession_months);
    rs->factor_mean = calloc(n_trials, sizeof *rs->factor_mean);
    if (rs->recession_months == NULL || rs->factor_mean == NULL)
        goto fail;
    if (n_programmes > 0) {
        rs->programme_names = calloc(n_programmes, sizeof *rs->programme_names);
        rs->programme = calloc(n_programmes, sizeof *rs->programme);
        if (rs->programme_names == NULL || rs->programme == NULL)
            goto fail;
        rs->n_programmes = n_programmes;   /* from here on, free walks the programmes */
        for (size_t p = 0; p < n_programmes; p++)
            if (level_alloc(&rs->programme[p], n_trials, n_years) != 0)
                goto fail;
    }
    return rs;
fail:
    sr_resultset_free(rs);
    return NULL;
}

void sr_resultset_free(sr_resultset *rs)
{
    if (rs == NULL)
        return;
    level_free(&rs->portfolio);
    for (size_t p = 0; p < rs->n_programmes; p++) {
        level_free(&rs->programme[p]);
        free(rs->programme_names[p]);
    }
    free(rs->programme);
    free(rs->programme_names);
    free(rs->scenario_text);
    for (size_t k = 0; k < rs->n_parameters; k++) {
        free(rs->parameter_names[k]);
        free(rs->parameter_paths[k]);
    }
    free(rs->parameter_names);
    free(rs->parameter_paths);
    free(rs->parameters);
    free(rs->recession_months);
    free(rs->factor_mean);
    sr_records_free(rs->records);
    free(rs);
}

int sr_resultset_alloc_parameters(sr_resultset *rs, size_t n_parameters)
{
    if (n_parameters == 0)
        return 0;
    rs->parameter_names = calloc(n_parameters, sizeof *rs->parameter_names);
    rs->parameter_paths = calloc(n_parameters, sizeof *rs->parameter_paths);
    rs->parameters = calloc(sr_size_mul(n_parameters, rs->n_trials), sizeof *rs->parameters);
    if (rs->parameter_names == NULL || rs->parameter_paths == NULL || rs->parameters == NULL)
        return -1;
    rs->n_parameters = n_parameters;
    return 0;
}

void sr_resultset_set_payers(sr_resultset *rs, const sr_model *m)
{
    rs->portfolio.payer = SR_MUNICIPALITY;
    for (size_t p = 0; p < rs->n_programmes && p < m->n_programmes; p++) {
        const sr_programme *pr = &m->programmes[p];
        rs->programme[p].payer = pr->has_contract ? (int)pr->contract.payer : SR_MUNICIPALITY;
        if (p == 0)
            rs->portfolio.payer = rs->programme[p].payer;
        else if (rs->programme[p].payer != rs->portfolio.payer)
            rs->portfolio.payer = SR_PAYERS;
    }
}

const char *sr_payer_name(int payer)
{
    return payer == SR_MUNICIPALITY ? "municipality"
         : payer == SR_STATE        ? "state"
                                    : "municipality and state";
}
