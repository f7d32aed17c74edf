/* The metric table: names, units and descriptions as they appear in result files, and
 * the flags that say how the engine, the writer and the reports treat each metric. */
#include "models/metric.h"

#define SR_UNITS_PV "DKK (present value at the public rate)"

/* Indexed by sr_metric; the designated initialisers keep each row beside its enumerator.
 * SR_METRIC_ANNUAL rows are flows of DKK whose nominal value per calendar year is kept
 * too. report_rank orders the rows that reports pick by flag: the stress table's key
 * figures, of which the tail metrics and the paying budget's net results are a part. */
const sr_metric_def sr_metrics[SR_N_METRICS] = {
    [SR_M_SAVINGS_MUNICIPALITY] = {
        "savings_municipality", SR_UNITS_PV,
        "Municipal expenditure in the counterfactual arm minus that in the treated arm.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE | SR_METRIC_STRESS,
        .report_rank = 2},
    [SR_M_SAVINGS_STATE] = {
        "savings_state", SR_UNITS_PV,
        "State expenditure in the counterfactual arm minus that in the treated arm.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE},
    [SR_M_SAVINGS_TOTAL] = {
        "savings_total", SR_UNITS_PV,
        "Municipal and state savings together: public expenditure avoided by the "
        "intervention, before its costs.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE | SR_METRIC_TAIL | SR_METRIC_STRESS,
        .report_rank = 1},
    [SR_M_EXP_TREATED_MUNICIPALITY] = {
        "expenditure_treated_municipality", SR_UNITS_PV,
        "Net municipal expenditure (benefits minus tax revenue) on the persons of the "
        "treated arm.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE},
    [SR_M_EXP_COUNTERFACTUAL_MUNICIPALITY] = {
        "expenditure_counterfactual_municipality", SR_UNITS_PV,
        "Net municipal expenditure on the same persons without the intervention: the "
        "baseline cost of the target group.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE},
    [SR_M_EXP_TREATED_STATE] = {
        "expenditure_treated_state", SR_UNITS_PV,
        "Net state expenditure (benefits minus tax revenue) on the persons of the treated "
        "arm.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE},
    [SR_M_EXP_COUNTERFACTUAL_STATE] = {
        "expenditure_counterfactual_state", SR_UNITS_PV,
        "Net state expenditure on the same persons without the intervention: the baseline "
        "cost of the target group.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE},
    [SR_M_PROGRAMME_COST] = {
        "programme_cost", SR_UNITS_PV,
        "Cost of delivering the intervention: per participant, per active participant-month "
        "and fixed per year.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE | SR_METRIC_STRESS,
        .report_rank = 3},
    [SR_M_EMPLOYED_END_TREATED] = {
        "employed_end_treated", "persons",
        "Persons of the treated arm in the state named employed after the last month of the "
        "horizon.",
        .flags = SR_METRIC_ADDITIVE | SR_METRIC_STRESS,
        .report_rank = 4},
    [SR_M_EMPLOYED_END_COUNTERFACTUAL] = {
        "employed_end_counterfactual", "persons",
        "Persons of the counterfactual arm in the state named employed after the last month "
        "of the horizon.",
        .flags = SR_METRIC_ADDITIVE},
    [SR_M_PAYMENTS] = {
        "payments", SR_UNITS_PV,
        "What the contract pays for results, settlements after the horizon included.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE | SR_METRIC_STRESS,
        .report_rank = 5},
    [SR_M_MUNICIPALITY_NET_SIB] = {
        "municipality_net_sib", SR_UNITS_PV,
        "The paying budget's savings minus its payments for results: paying by results.",
        .flags = SR_METRIC_ADDITIVE | SR_METRIC_TAIL | SR_METRIC_STRESS | SR_METRIC_PAYER,
        .report_rank = 8,
        .caption = "pay by results: savings - payments"},
    [SR_M_MUNICIPALITY_NET_SELFFUND] = {
        "municipality_net_selffund", SR_UNITS_PV,
        "The paying budget's savings minus the programme's cost: funding it itself.",
        .flags = SR_METRIC_ADDITIVE | SR_METRIC_PAYER,
        .report_rank = 7,
        .caption = "fund it itself: savings - programme cost"},
    [SR_M_OVERPAYMENT] = {
        "overpayment", SR_UNITS_PV,
        "Payments beyond what the same clauses would pay if every measured result equalled "
        "the true treated minus counterfactual result (deadweight and measurement noise).",
        .flags = SR_METRIC_ADDITIVE},
    [SR_M_INVESTOR_NPV] = {
        "investor_npv", "DKK (present value at the investor rate)",
        "Investors' receipts minus their payment of the programme's costs, guarantee and "
        "surplus cap applied.",
        .flags = SR_METRIC_TAIL | SR_METRIC_STRESS,
        .report_rank = 6},
    [SR_M_INVESTOR_IRR] = {
        "investor_irr", "per year (annual effective rate)",
        "The annual rate that zeroes the investors' monthly flows; NaN where none exists.",
        .flags = 0},
    [SR_M_INVESTOR_MOIC] = {
        "investor_moic", "1 (multiple)",
        "Investors' receipts over what they paid in (nominal).",
        .flags = 0},
    [SR_M_INVESTOR_LOSS] = {
        "investor_loss", "1 (indicator)",
        "1 if investors received less than they paid in (nominal), else 0.",
        .flags = 0},
    [SR_M_REINVESTED] = {
        "reinvested", "DKK (nominal)",
        "What investors would have received above the surplus cap's IRR, going to the "
        "provider's reinvestment pool instead.",
        .flags = SR_METRIC_ADDITIVE},
    [SR_M_GUARANTOR_PAID] = {
        "guarantor_paid", "DKK (nominal)",
        "What the first-loss guarantor paid investors at the last settlement.",
        .flags = SR_METRIC_ADDITIVE},
    [SR_M_OUTCOMES_TREATED] = {
        "outcomes_treated", "achievements",
        "Rate-card achievements in the treated arm within the term, summed over outcomes.",
        .flags = SR_METRIC_ADDITIVE},
    [SR_M_OUTCOMES_ATTRIBUTABLE] = {
        "outcomes_attributable", "achievements",
        "Treated minus counterfactual achievements within the term, summed over outcomes.",
        .flags = SR_METRIC_ADDITIVE},
    [SR_M_OUTCOMES_PAID] = {
        "outcomes_paid", "achievements",
        "The measured achievements the contract paid for: payments shared over the "
        "outcomes by their share of the largest settled amount due, over each price.",
        .flags = SR_METRIC_ADDITIVE},
    [SR_M_EFFECT_TRUE] = {
        "effect_true", "per person (enrolled; achievements, or DKK for a savings share)",
        "True effect per enrolled person over the term: attributable achievements (rate "
        "card) or the payer's savings in DKK (savings share); for a portfolio, its "
        "programmes with a contract weighted by enrolment, NaN where they mix the two.",
        .flags = 0},
    [SR_M_EFFECT_MEASURED] = {
        "effect_measured", "per person (enrolled; achievements, or DKK for a savings share)",
        "The effect per enrolled person as the contract's baseline measures it, not floored; "
        "NaN for a portfolio whose contracts mix rate cards and savings shares.",
        .flags = 0},
    [SR_M_EVALUATION_SIGNIFICANT] = {
        "evaluation_significant", "1 (indicator)",
        "1 if the measurement finds a positive effect at the 5% level (one-sided z-test); "
        "NaN without a control group or a rate card's historical rate, and for a portfolio "
        "of several programmes. Its mean is the power.",
        .flags = 0},
};

size_t sr_metrics_ranked(unsigned flag, sr_metric out[SR_N_METRICS])
{
    size_t n = 0;
    for (unsigned rank = 1; rank <= SR_N_METRICS; rank++)
        for (size_t m = 0; m < SR_N_METRICS; m++)
            if (sr_metrics[m].report_rank == rank && (sr_metrics[m].flags & flag) != 0)
                out[n++] = (sr_metric)m;
    return n;
}
