/* The result set in memory: the metric table (names, units and descriptions as they appear
 * in result files) and the allocation of the per-trial arrays. */
#include "sim/engine/results.h"

#include <stdlib.h>

#include "models/size.h"

#define SR_UNITS_PV "DKK (present value at the public rate)"

/* Indexed by sr_metric; the designated initialisers keep each row beside its enumerator.
 * `annual` rows are nominal DKK per calendar year (no discounting), so a budget year's
 * figure can be read as it would appear in that year's accounts. */
const sr_metric_info sr_metric_table[SR_N_METRICS] = {
    [SR_M_SAVINGS_MUNICIPALITY] = {
        "savings_municipality", SR_UNITS_PV,
        "Municipal expenditure in the counterfactual arm minus that in the treated arm.",
        true},
    [SR_M_SAVINGS_STATE] = {
        "savings_state", SR_UNITS_PV,
        "State expenditure in the counterfactual arm minus that in the treated arm.",
        true},
    [SR_M_SAVINGS_TOTAL] = {
        "savings_total", SR_UNITS_PV,
        "Municipal and state savings together: public expenditure avoided by the "
        "intervention, before its costs.",
        true},
    [SR_M_EXP_TREATED_MUNICIPALITY] = {
        "expenditure_treated_municipality", SR_UNITS_PV,
        "Net municipal expenditure (benefits minus tax revenue) on the persons of the "
        "treated arm.",
        true},
    [SR_M_EXP_COUNTERFACTUAL_MUNICIPALITY] = {
        "expenditure_counterfactual_municipality", SR_UNITS_PV,
        "Net municipal expenditure on the same persons without the intervention: the "
        "baseline cost of the target group.",
        true},
    [SR_M_EXP_TREATED_STATE] = {
        "expenditure_treated_state", SR_UNITS_PV,
        "Net state expenditure (benefits minus tax revenue) on the persons of the treated "
        "arm.",
        true},
    [SR_M_EXP_COUNTERFACTUAL_STATE] = {
        "expenditure_counterfactual_state", SR_UNITS_PV,
        "Net state expenditure on the same persons without the intervention: the baseline "
        "cost of the target group.",
        true},
    [SR_M_PROGRAMME_COST] = {
        "programme_cost", SR_UNITS_PV,
        "Cost of delivering the intervention: per participant, per active participant-month "
        "and fixed per year.",
        true},
    [SR_M_EMPLOYED_END_TREATED] = {
        "employed_end_treated", "persons",
        "Persons of the treated arm in the state named employed after the last month of the "
        "horizon.",
        false},
    [SR_M_EMPLOYED_END_COUNTERFACTUAL] = {
        "employed_end_counterfactual", "persons",
        "Persons of the counterfactual arm in the state named employed after the last month "
        "of the horizon.",
        false},
    [SR_M_PAYMENTS] = {
        "payments", SR_UNITS_PV,
        "What the contract pays for results, settlements after the horizon included.",
        true},
    [SR_M_MUNICIPALITY_NET_SIB] = {
        "municipality_net_sib", SR_UNITS_PV,
        "The paying budget's savings minus its payments for results: paying by results.",
        false},
    [SR_M_MUNICIPALITY_NET_SELFFUND] = {
        "municipality_net_selffund", SR_UNITS_PV,
        "The paying budget's savings minus the programme's cost: funding it itself.",
        false},
    [SR_M_OVERPAYMENT] = {
        "overpayment", SR_UNITS_PV,
        "Payments beyond what the same clauses would pay if every measured result equalled "
        "the true treated minus counterfactual result (deadweight and measurement noise).",
        false},
    [SR_M_INVESTOR_NPV] = {
        "investor_npv", "DKK (present value at the investor rate)",
        "Investors' receipts minus their payment of the programme's costs, guarantee and "
        "surplus cap applied.",
        false},
    [SR_M_INVESTOR_IRR] = {
        "investor_irr", "per year (annual effective rate)",
        "The annual rate that zeroes the investors' monthly flows; NaN where none exists.",
        false},
    [SR_M_INVESTOR_MOIC] = {
        "investor_moic", "1 (multiple)",
        "Investors' receipts over what they paid in (nominal).",
        false},
    [SR_M_INVESTOR_LOSS] = {
        "investor_loss", "1 (indicator)",
        "1 if investors received less than they paid in (nominal), else 0.",
        false},
    [SR_M_REINVESTED] = {
        "reinvested", "DKK (nominal)",
        "What investors would have received above the surplus cap's IRR, going to the "
        "provider's reinvestment pool instead.",
        false},
    [SR_M_GUARANTOR_PAID] = {
        "guarantor_paid", "DKK (nominal)",
        "What the first-loss guarantor paid investors at the last settlement.",
        false},
    [SR_M_OUTCOMES_TREATED] = {
        "outcomes_treated", "achievements",
        "Rate-card achievements in the treated arm within the term, summed over outcomes.",
        false},
    [SR_M_OUTCOMES_ATTRIBUTABLE] = {
        "outcomes_attributable", "achievements",
        "Treated minus counterfactual achievements within the term, summed over outcomes.",
        false},
    [SR_M_OUTCOMES_PAID] = {
        "outcomes_paid", "achievements",
        "The measured achievements the contract paid for: payments shared over the "
        "outcomes by their share of the largest settled amount due, over each price.",
        false},
    [SR_M_EFFECT_TRUE] = {
        "effect_true", "per person (enrolled; achievements, or DKK for a savings share)",
        "True effect per enrolled person over the term: attributable achievements (rate "
        "card) or the payer's savings in DKK (savings share); for a portfolio, its "
        "programmes with a contract weighted by enrolment, NaN where they mix the two.",
        false},
    [SR_M_EFFECT_MEASURED] = {
        "effect_measured", "per person (enrolled; achievements, or DKK for a savings share)",
        "The effect per enrolled person as the contract's baseline measures it, not floored; "
        "NaN for a portfolio whose contracts mix rate cards and savings shares.",
        false},
    [SR_M_EVALUATION_SIGNIFICANT] = {
        "evaluation_significant", "1 (indicator)",
        "1 if the measurement finds a positive effect at the 5% level (one-sided z-test); "
        "NaN without a control group or a rate card's historical rate, and for a portfolio "
        "of several programmes. Its mean is the power.",
        false},
};

static void level_free(sr_level *l)
{
    free(l->trial);
    free(l->annual);
}

size_t sr_annual_row(sr_metric m)
{
    size_t row = 0;
    for (size_t k = 0; k < (size_t)m; k++)
        row += sr_metric_table[k].annual;
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
    size_t n = sr_size_mul(sr_size_mul(sr_annual_row(SR_N_METRICS), n_trials), n_years);
    return n > 0 ? n : 1;
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
        bytes += sr_array_bytes(n_parameters, sizeof(char *)) +
                 sr_array_bytes(sr_size_mul(n_parameters, n_trials), sizeof(double));
    return bytes;
}

sr_resultset *sr_resultset_alloc(size_t n_trials, size_t n_years, int first_year,
                                 size_t n_programmes)
{
    if (n_trials == 0)
        return NULL;
    /* the flat arrays index as m * n_trials * n_years: refuse sizes whose product wraps */
    if (n_years > 0 && n_trials > SIZE_MAX / sizeof(double) / SR_N_METRICS / n_years)
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
    for (size_t k = 0; k < rs->n_parameters; k++)
        free(rs->parameter_names[k]);
    free(rs->parameter_names);
    free(rs->parameters);
    free(rs->recession_months);
    free(rs->factor_mean);
    free(rs);
}

int sr_resultset_alloc_parameters(sr_resultset *rs, size_t n_parameters)
{
    if (n_parameters == 0)
        return 0;
    rs->parameter_names = calloc(n_parameters, sizeof *rs->parameter_names);
    rs->parameters = calloc(sr_size_mul(n_parameters, rs->n_trials), sizeof *rs->parameters);
    if (rs->parameter_names == NULL || rs->parameters == NULL)
        return -1;
    rs->n_parameters = n_parameters;
    return 0;
}
