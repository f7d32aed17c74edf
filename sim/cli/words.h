/* The words of the report and the export in each language: headings, labels, units and
 * the sentences that read a chart. A sentence is a printf format whose arguments are all
 * strings (numbers already formatted), numbered (%1$s) so that a language may order them
 * as it needs; English and Danish take the same arguments. Text here holds no HTML. */
#ifndef SR_WORDS_H
#define SR_WORDS_H

#include "models/metric.h"
#include "sim/cli/lang.h"
#include "sim/cli/result.h"

typedef struct {
    /* the paying budget, by sr_payer: as a subject ("the municipality") and as an owner
     * ("the municipality's") */
    const char *payer[3], *payer_owner[3];

    /* page */
    const char *report, *trials_word, *subtitle, *intro;
    const char *key_sib, *key_selffund, *key_q05, *key_loss;
    const char *key_sib_note, *key_selffund_note, *key_q05_note, *key_loss_note;

    /* net result */
    const char *h_net, *net_title, *net_x, *share_y, *pay_by_results, *fund_itself;
    const char *mark_mean, *mark_q05, *mark_det, *mark_zero, *loss_region;
    const char *read_net, *read_net_selffund, *hist_counts, *bin_from, *bin_to, *trials_in_bin;
    const char *h_transfer, *read_transfer;

    /* budget years */
    const char *h_budget, *budget_note, *budget_savings_title, *budget_total_title, *budget_flows_title, *year_x,
        *per_year_y, *read_budget_savings, *read_budget_flows, *read_budget_cost, *band_90, *band_50, *median;

    /* budget years from each trial's yearly flows (result-set format 2) */
    const char *yearly_net_title, *read_yearly_net, *read_yearly_net_selffund,
        *cumulative_title, *cumulative_y, *read_cumulative, *read_cumulative_selffund, *payback_title,
        *payback_x, *read_payback, *read_payback_selffund, *never;

    /* investors */
    const char *h_investors, *irr_title, *irr_x, *read_irr, *irr_left_out, *moic_title,
        *moic_x, *read_moic, *break_even, *read_guarantee;

    /* programmes */
    const char *h_programmes, *programmes_title, *programmes_x, *read_programmes,
        *read_programmes_selffund,
        *read_diversification, *h_diversification;

    /* stresses */
    const char *h_stresses, *stress_intro, *stress_title, *read_stress, *read_stress_none,
        *mean_word, *q05_word;

    /* sweep */
    const char *h_sweep, *sweep_intro, *power_title, *power_y, *read_sweep_power,
        *cv_title, *cv_y, *read_sweep_cv, *per_participant_title, *per_participant_y,
        *read_sweep_money, *savings_pp, *cost_pp, *sweep_point0, *paired_with,
        *savings_pp_title, *cost_pp_title, *read_sweep_savings, *read_sweep_cost;

    /* all figures, provenance, notes */
    const char *h_all, *note_left_out, *h_provenance, *scenario_text, *footer, *chart_data;
} sr_words;

const sr_words *sr_words_of(sr_lang lang);

/* A metric's label in lang ("Savings, municipality"); the metric's name for a metric this
 * build does not know. */
const char *sr_words_metric(sr_lang lang, const char *metric);

/* A column's heading in lang by its identifier ("q05": "5% quantile"); id itself when
 * there is none. */
const char *sr_words_heading(sr_lang lang, const char *id);

/* A table's title in lang by its name. */
const char *sr_words_table(sr_lang lang, const char *name);

/* A row label of the decision, risk-transfer, investors and provenance tables by its
 * identifier ("price": "Price of transferring the risk"). */
const char *sr_words_figure(sr_lang lang, const char *id);

/* A units attribute as a reader of the report sees the figures shown with it: "DKK
 * (present value at the public rate)" shown in millions is "mDKK, present value"; a units
 * text this build does not know is returned as it is. */
const char *sr_words_units(sr_lang lang, const char *units);

#endif
