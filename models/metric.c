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
    [SR_M_PAYER_NET_SIB] = {
        "payer_net_sib", SR_UNITS_PV,
        "The paying budget's (the contract's payer's) savings minus its payments for "
        "results: paying by results.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE | SR_METRIC_TAIL | SR_METRIC_STRESS |
                 SR_METRIC_PAYER,
        .report_rank = 8,
        .caption = "pay by results: savings - payments",
        .former_name = "municipality_net_sib"},
    [SR_M_PAYER_NET_SELFFUND] = {
        "payer_net_selffund", SR_UNITS_PV,
        "The paying budget's (the contract's payer's) savings minus the programme's cost: "
        "funding it itself.",
        .flags = SR_METRIC_ANNUAL | SR_METRIC_ADDITIVE | SR_METRIC_PAYER,
        .report_rank = 7,
        .caption = "fund it itself: savings - programme cost",
        .former_name = "municipality_net_selffund"},
    [SR_M_PAYBACK_YEAR_SELFFUND] = {
        "payback_year_selffund", "calendar year",
        "The first calendar year from which the paying budget's cumulative nominal net "
        "result funding the programme itself stays at or above 0 to the horizon's last "
        "year; NaN: never within the horizon.",
        .flags = 0,
        .nan_means = "never pays back within the horizon"},
    [SR_M_PAYBACK_YEAR_SIB] = {
        "payback_year_sib", "calendar year",
        "The first calendar year from which the paying budget's cumulative nominal net "
        "result paying by results stays at or above 0 to the horizon's last year; NaN: "
        "never within the horizon.",
        .flags = 0,
        .nan_means = "never pays back within the horizon"},
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
        "The annual rate that zeroes the investors' monthly flows, searched on the side of 0 "
        "where their nominal result lies: 0 when they got their money back, -1 for a loss "
        "with no root above -0.99, 10 for a gain with no root below 10.",
        .flags = 0},
    [SR_M_INVESTOR_MOIC] = {
        "investor_moic", "1 (multiple)",
        "Investors' receipts over what they paid in (nominal).",
        .flags = 0},
    [SR_M_INVESTOR_LOSS] = {
        "investor_loss", "1 (indicator)",
        "1 if investors received less than they paid in (nominal, beyond a rounding of "
        "1e-12 of what they paid in), else 0.",
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
    [SR_M_TERMINATION_MONTH] = {
        "termination_month", "month (index from simulation.start, 0 = its first month)",
        "The month in which the contract was cancelled; NaN when it was not cancelled within "
        "the horizon or there is no contract; for a portfolio, the earliest of its "
        "programmes'.",
        .flags = 0,
        .nan_means = "not cancelled within the horizon"},
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
