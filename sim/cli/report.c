/* The report's page (report.h): its sections in reading order. Each section picks its
 * figures from the result set, says in one sentence what the chart shows, draws it and
 * puts the numbers behind it in a table. A section whose figures the file lacks (no
 * contract, one programme, no stress, no sweep) is left out. */
#define _POSIX_C_SOURCE 200809L /* fmemopen */

#include "sim/cli/report.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/report_page.h"
#include "sim/cli/report_sections.h"
#include "sim/cli/report_svg.h"
#include "sim/cli/sheets.h"
#include "sim/cli/words.h"

/* A portfolio statistic. */
static double stat(const sr_result *r, sr_metric m, sr_fig_stat s)
{
    return sr_fig_value(&r->portfolio, m, s);
}

/* A portfolio statistic as a number of a sentence, in slot i. */
static const char *stat_num(sr_page *p, int i, const sr_result *r, sr_metric m, sr_fig_stat s,
                            sr_show show)
{
    return sr_page_num(p, i, stat(r, m, s), show, "/summary/%s#%s", sr_metrics[m].name,
                       sr_fig_stat_names[s]);
}

static double deterministic(const sr_result *r, sr_metric m)
{
    const sr_fig_metric *f = sr_fig_find(&r->portfolio, sr_metrics[m].name);
    return f != NULL ? f->deterministic : NAN;
}

/* A sentence's template filled with plain words, for a heading or a title. */
static void fill(char *buf, size_t size, const char *fmt, const char *arg)
{
    snprintf(buf, size, fmt, arg);
}

/* ---- header and key figures ------------------------------------------------------------- */

static void card(sr_page *p, const char *label, const char *value, const char *note)
{
    fputs("<div class=\"card\"><div class=\"label\">", p->out);
    sr_page_text(p, label);
    fprintf(p->out, "</div><div class=\"big\">%s</div><div class=\"note\">", value);
    sr_page_text(p, note);
    fputs("</div></div>\n", p->out);
}

static void header(sr_page *p, const sr_result *r)
{
    const sr_words *w = p->w;
    const sr_h5_provenance *pv = &r->provenance;
    char seed[32] = "?";
    if (pv->has_seed)
        snprintf(seed, sizeof seed, "%" PRIu64, pv->seed);
    fputs("<h1>", p->out);
    sr_page_text(p, r->scenario_name[0] != '\0' ? r->scenario_name : w->report);
    fputs("</h1>\n", p->out);
    const char *trials = pv->trials.known ? sr_page_num(p, 0, (double)pv->trials.n,
                                                         SR_SHOW_COUNT, "/#trials")
                                          : "?";
    sr_page_say(p, "subtitle", w->subtitle, trials, sr_page_slot_text(p, 1, seed),
                sr_page_slot_text(p, 2, pv->sirisk_version ? pv->sirisk_version : "?"),
                sr_page_slot_text(p, 3, pv->created_utc ? pv->created_utc : "?"));
    sr_page_say(p, "intro", w->intro, sr_page_slot_text(p, 1, w->payer[r->payer]), trials);
}

static void key_figures(sr_page *p, const sr_result *r)
{
    const sr_words *w = p->w;
    if (sr_fig_find(&r->portfolio, sr_metrics[SR_M_MUNICIPALITY_NET_SELFFUND].name) == NULL)
        return;
    fputs("<div class=\"cards\">\n", p->out);
    card(p, w->key_selffund,
         stat_num(p, 0, r, SR_M_MUNICIPALITY_NET_SELFFUND, SR_FIG_MEAN, SR_SHOW_MDKK),
         w->key_selffund_note);
    if (r->decision.present) {
        card(p, w->key_sib,
             stat_num(p, 0, r, SR_M_MUNICIPALITY_NET_SIB, SR_FIG_MEAN, SR_SHOW_MDKK),
             w->key_sib_note);
        card(p, w->key_q05,
             stat_num(p, 0, r, SR_M_MUNICIPALITY_NET_SIB, SR_FIG_Q05, SR_SHOW_MDKK),
             w->key_q05_note);
        card(p, w->key_loss,
             stat_num(p, 0, r, SR_M_INVESTOR_LOSS, SR_FIG_MEAN, SR_SHOW_PERCENT),
             w->key_loss_note);
    }
    fputs("</div>\n", p->out);
}

/* ---- histograms ------------------------------------------------------------------------ */

/* A panel of histogram h, in shown units (scale), with the metric's marks. */
static sr_svg_panel panel(const sr_result *r, const sr_fig_hist *h, sr_metric m, double scale,
                          const char *label, const char *colour)
{
    sr_svg_panel pl = {.label = label, .colour = colour, .lo = h->lo * scale,
                       .hi = h->hi * scale, .n_bins = h->n_bins, .count = h->count,
                       .n = h->n_finite, .n_marks = 3};
    pl.marks[0] = (sr_svg_mark){SR_MARK_MEAN, stat(r, m, SR_FIG_MEAN) * scale};
    pl.marks[1] = (sr_svg_mark){SR_MARK_Q05, stat(r, m, SR_FIG_Q05) * scale};
    pl.marks[2] = (sr_svg_mark){SR_MARK_DETERMINISTIC, deterministic(r, m) * scale};
    return pl;
}

/* The counts behind histograms h[n] (one shared range), folded: a row per bar. The table
 * names the trials it counts (data-trials), its bars (data-bins) and their range (data-lo,
 * data-hi, exact) so that a reader can count them again. */
static void hist_counts(sr_page *p, const sr_fig_hist *h, size_t n, const char *const *labels,
                        sr_show show)
{
    const sr_words *w = p->w;
    fprintf(p->out, "<details><summary>");
    sr_page_text(p, w->hist_counts);
    fprintf(p->out, "</summary>\n<table class=\"hist\" data-bins=\"%zu\" data-lo=\"%.17g\" "
                    "data-hi=\"%.17g\" data-trials=\"",
            h[0].n_bins, h[0].lo, h[0].hi);
    for (size_t j = 0; j < n; j++) {
        fputs(j > 0 ? " " : "", p->out);
        fputs("/trials/", p->out);
        sr_page_text(p, h[j].name);
    }
    fputs("\"><thead><tr><th class=\"num\">", p->out);
    const sr_show_spec *spec = &sr_show_specs[show];
    char edge[64];
    fprintf(p->out, "%s</th><th class=\"num\">%s</th>", w->bin_from, w->bin_to);
    for (size_t j = 0; j < n; j++) {
        fputs("<th class=\"num\">", p->out);
        sr_page_text(p, labels[j]);
        fputs("</th>", p->out);
    }
    fputs("</tr></thead><tbody>\n", p->out);
    const double width = (h[0].hi - h[0].lo) / (double)h[0].n_bins;
    for (size_t b = 0; b < h[0].n_bins; b++) {
        fputs("<tr>", p->out);
        for (int side = 0; side < 2; side++) {
            sr_format_fixed(edge, sizeof edge, (h[0].lo + width * (double)(b + side)) * spec->scale,
                            spec->digits + 1, true, p->lang, true);
            fprintf(p->out, "<td class=\"num\">%s</td>", edge);
        }
        for (size_t j = 0; j < n; j++)
            fprintf(p->out, "<td class=\"num\">%" PRIu64 "</td>", h[j].count[b]);
        fputs("</tr>\n", p->out);
    }
    fputs("</tbody></table></details>\n", p->out);
}

/* ---- the paying budget's net result ----------------------------------------------------- */

static void net_section(sr_page *p, const sr_result *r, int *rc, sr_error *err)
{
    const sr_words *w = p->w;
    sr_sheet t;
    char title[512], id[32];
    if (!sr_page_sheet(r, SR_SHEET_DECISION, p->lang, &t, rc, err))
        return;
    const bool contract = r->decision.present;
    fill(title, sizeof title, w->h_net, w->payer[r->payer]);
    sr_page_heading(p, title, "net-result");
    sr_page_figure(p, w->net_title, id, sizeof id);
    const char *owner = w->payer_owner[r->payer];
    if (contract)
        sr_page_say(p, "reading", w->read_net, sr_page_slot_text(p, 0, owner),
                    stat_num(p, 1, r, SR_M_MUNICIPALITY_NET_SIB, SR_FIG_MEAN, SR_SHOW_MDKK),
                    stat_num(p, 2, r, SR_M_MUNICIPALITY_NET_SIB, SR_FIG_Q05, SR_SHOW_MDKK),
                    stat_num(p, 3, r, SR_M_MUNICIPALITY_NET_SELFFUND, SR_FIG_MEAN, SR_SHOW_MDKK),
                    stat_num(p, 4, r, SR_M_MUNICIPALITY_NET_SELFFUND, SR_FIG_Q05, SR_SHOW_MDKK));
    else
        sr_page_say(p, "reading", w->read_net_selffund, sr_page_slot_text(p, 0, owner),
                    stat_num(p, 1, r, SR_M_MUNICIPALITY_NET_SELFFUND, SR_FIG_MEAN, SR_SHOW_MDKK),
                    stat_num(p, 2, r, SR_M_MUNICIPALITY_NET_SELFFUND, SR_FIG_Q05, SR_SHOW_MDKK));
    if (r->have_net_hist) {
        const double scale = sr_show_specs[SR_SHOW_MDKK].scale;
        sr_svg_panel panels[2];
        size_t n = 0;
        panels[n++] = panel(r, &r->net_hist[1], SR_M_MUNICIPALITY_NET_SELFFUND, scale,
                            w->fund_itself, SR_SVG_ORANGE);
        if (contract)
            panels[n++] = panel(r, &r->net_hist[0], SR_M_MUNICIPALITY_NET_SIB, scale,
                                w->pay_by_results, SR_SVG_BLUE);
        const sr_svg_chart c = {p->out, p->lang, id, w->net_title, w->net_x, w->share_y};
        const sr_svg_legend legend = {{w->mark_mean, w->mark_q05, w->mark_det},
                                      w->loss_region, 0.0};
        sr_svg_histograms(&c, panels, n, &legend);
    }
    sr_page_table(p, &t, NULL, 0, w->chart_data);
    if (r->have_net_hist) {
        const sr_fig_hist in_order[2] = {r->net_hist[1], r->net_hist[0]};
        const char *labels[] = {w->fund_itself, w->pay_by_results};
        hist_counts(p, in_order, contract ? 2 : 1, labels, SR_SHOW_MDKK);
    }
    sr_page_figure_end(p);
    sr_sheet_clear(&t);

    if (!sr_page_sheet(r, SR_SHEET_RISK_TRANSFER, p->lang, &t, rc, err))
        return;
    fputs("<h3>", p->out);
    sr_page_text(p, w->h_transfer);
    fputs("</h3>\n", p->out);
    const sr_fig_decision *d = &r->decision;
    sr_page_say(p, "reading", w->read_transfer, sr_page_slot_text(p, 0, w->payer[r->payer]),
                sr_page_num(p, 1, d->transfer, SR_SHOW_MDKK,
                            "/summary/%s#mean - /summary/%s#mean", sr_metrics[SR_M_PAYMENTS].name,
                            sr_metrics[SR_M_PROGRAMME_COST].name),
                sr_page_num(p, 2, (double)d->unfounded / (double)d->trials, SR_SHOW_PERCENT,
                            "unfounded /"),
                sr_page_num(p, 3, d->overpayment, SR_SHOW_MDKK, "/summary/%s#mean", sr_metrics[SR_M_OVERPAYMENT].name));
    sr_page_table(p, &t, NULL, 0, NULL);
    sr_sheet_clear(&t);
}

/* ---- budget years ---------------------------------------------------------------------- */

/* The five quantile columns of a fan (5, 25, 50, 75 and 95%) of a yearly dataset, in
 * shown units, into q[5][years]; false when the dataset lacks one of the levels. */
static bool fan_columns(const sr_fig_annual *a, double scale, double *q[5])
{
    static const double want[5] = {0.05, 0.25, 0.50, 0.75, 0.95};
    for (size_t k = 0; k < 5; k++) {
        size_t j = 0;
        while (j < SR_N_QUANTILES && a->levels[j] != want[k])
            j++;
        if (j == SR_N_QUANTILES)
            return false;
        for (size_t y = 0; y < a->years; y++)
            q[k][y] = a->q[y * SR_N_QUANTILES + j] * scale;
    }
    return true;
}

/* A fan of a yearly dataset: its five columns in fan->q05.., owned by store. */
typedef struct {
    double col[5][SR_FIG_MAX_YEARS];
} fan_store;

static bool make_fan(const sr_fig_annual *a, const char *label, const char *colour,
                     fan_store *store, sr_svg_fan *fan)
{
    double *q[5] = {store->col[0], store->col[1], store->col[2], store->col[3], store->col[4]};
    if (a == NULL || !fan_columns(a, sr_show_specs[SR_SHOW_MDKK].scale, q))
        return false;
    *fan = (sr_svg_fan){label, colour, q[0], q[1], q[2], q[3], q[4]};
    return true;
}

/* The year in which a fan's median is largest. */
static size_t peak(const sr_svg_fan *f, size_t years)
{
    size_t best = 0;
    for (size_t y = 1; y < years; y++)
        if (f->q50[y] > f->q50[best])
            best = y;
    return best;
}

/* The index of quantile level `level` in a's columns (the caller found it present). */
static size_t level_index(const sr_fig_annual *a, double level)
{
    size_t j = 0;
    while (j + 1 < SR_N_QUANTILES && a->levels[j] != level)
        j++;
    return j;
}

/* The quantiles of a under a figure, as its fan draws them; source: where the file holds
 * them (sr_sheet_annual), a printf format of the dataset's name. */
static void annual_table(sr_page *p, const sr_fig_annual *a, const char *source,
                         const char *title, int *rc, sr_error *err)
{
    sr_sheet t;
    char where[SR_H5_MAX_NAME_BYTES + 64];
    snprintf(where, sizeof where, source, a->name);
    if (*rc != 0 || (*rc = sr_sheet_annual(a, where, title, p->lang, &t, err)) != 0)
        return;
    sr_page_table(p, &t, NULL, 0, title);
    sr_sheet_clear(&t);
}

/* The paying budget's yearly savings (a file without each trial's yearly flows: the
 * spread of each flow by itself). */
static void savings_figure(sr_page *p, const sr_result *r, const sr_fig_annual *sav,
                           fan_store *store, int *rc, sr_error *err)
{
    const sr_words *w = p->w;
    sr_svg_fan fans[1];
    char title[512], id[32];
    if (!make_fan(sav, w->median, SR_SVG_BLUE, &store[0], &fans[0]))
        return;
    sr_page_say(p, "note", "%s", w->budget_note);

    if (r->payer == SR_PAYER_UNKNOWN)
        snprintf(title, sizeof title, "%s", w->budget_total_title);
    else
        fill(title, sizeof title, w->budget_savings_title, w->payer[r->payer]);
    fans[0].label = sr_words_metric(p->lang, sav->name);
    sr_page_figure(p, title, id, sizeof id);
    size_t y = peak(&fans[0], sav->years);
    char year[16];
    snprintf(year, sizeof year, "%u", sav->first_year + (unsigned)y);
    sr_page_say(p, "reading", w->read_budget_savings, sr_page_slot_text(p, 0, w->payer[r->payer]),
                sr_page_slot_text(p, 1, year),
                sr_page_num(p, 2, sav->q[y * SR_N_QUANTILES + level_index(sav, 0.5)],
                            SR_SHOW_MDKK, "/annual/%s[%zu,%zu]", sav->name, y,
                            level_index(sav, 0.5)),
                sr_page_num(p, 3, sav->q[y * SR_N_QUANTILES + level_index(sav, 0.05)],
                            SR_SHOW_MDKK, "/annual/%s[%zu,%zu]", sav->name, y,
                            level_index(sav, 0.05)));
    const sr_svg_chart c = {p->out, p->lang, id, title, w->year_x, w->per_year_y};
    sr_svg_fans(&c, sav->first_year, sav->years, fans, 1, w->band_90, w->band_50, w->median);
    annual_table(p, sav, "/annual/%s", title, rc, err);
    sr_page_figure_end(p);
}

/* The programme's cost and the payments for results per year, each flow's spread. */
static void flows_figure(sr_page *p, const sr_result *r, fan_store *store, int *rc,
                         sr_error *err)
{
    const sr_words *w = p->w;
    sr_svg_fan fans[2];
    char id[32];
    const sr_fig_annual *cost = sr_fig_find_annual(&r->portfolio, sr_metrics[SR_M_PROGRAMME_COST].name);
    const sr_fig_annual *pay = r->decision.present ? sr_fig_find_annual(&r->portfolio,
                                                                    sr_metrics[SR_M_PAYMENTS].name)
                                                   : NULL;
    size_t n = 0;
    if (make_fan(cost, sr_words_metric(p->lang, "programme_cost"), SR_SVG_ORANGE, &store[1],
                 &fans[n]))
        n++;
    if (n == 1 && make_fan(pay, sr_words_metric(p->lang, "payments"), SR_SVG_GREEN, &store[2],
                           &fans[n]))
        n++;
    if (n == 0)
        return;
    sr_page_figure(p, w->budget_flows_title, id, sizeof id);
    size_t yc = peak(&fans[0], cost->years);
    char cost_year[16], pay_year[16];
    snprintf(cost_year, sizeof cost_year, "%u", cost->first_year + (unsigned)yc);
    const size_t median = level_index(cost, 0.5);
    const char *cost_median = sr_page_num(p, 1, cost->q[yc * SR_N_QUANTILES + median],
                                          SR_SHOW_MDKK, "/annual/%s[%zu,%zu]", sr_metrics[SR_M_PROGRAMME_COST].name, yc,
                                          median);
    if (n == 2) {
        size_t yp = peak(&fans[1], pay->years);
        snprintf(pay_year, sizeof pay_year, "%u", pay->first_year + (unsigned)yp);
        const size_t pm = level_index(pay, 0.5);
        sr_page_say(p, "reading", w->read_budget_flows, sr_page_slot_text(p, 0, cost_year),
                    cost_median, sr_page_slot_text(p, 2, pay_year),
                    sr_page_num(p, 3, pay->q[yp * SR_N_QUANTILES + pm], SR_SHOW_MDKK,
                                "/annual/%s[%zu,%zu]", sr_metrics[SR_M_PAYMENTS].name, yp, pm));
    } else {
        sr_page_say(p, "reading", w->read_budget_cost, sr_page_slot_text(p, 0, cost_year),
                    cost_median);
    }
    const sr_svg_chart c2 = {p->out, p->lang, id, w->budget_flows_title, w->year_x,
                             w->per_year_y};
    sr_svg_fans(&c2, cost->first_year, cost->years, fans, n, w->band_90, w->band_50, w->median);
    annual_table(p, cost, "/annual/%s", fans[0].label, rc, err);
    if (n == 2)
        annual_table(p, pay, "/annual/%s", fans[1].label, rc, err);
    sr_page_figure_end(p);
}

/* The year in which a fan's median is lowest. */
static size_t trough(const sr_svg_fan *f, size_t years)
{
    size_t worst = 0;
    for (size_t y = 1; y < years; y++)
        if (f->q50[y] < f->q50[worst])
            worst = y;
    return worst;
}

/* A quantile of a fan's dataset as a sentence's number in slot i: year y, level. */
static const char *fan_num(sr_page *p, int i, const sr_fig_annual *a, const char *where,
                           size_t y, double level)
{
    const size_t j = level_index(a, level);
    return sr_page_num(p, i, a->q[y * SR_N_QUANTILES + j], SR_SHOW_MDKK, "%s[%zu,%zu]", where,
                       y, j);
}

/* The paying budget's net result per budget year, or cumulative from the first year, from
 * each trial's yearly flows: funding the programme itself and paying by results. */
static void net_years_figure(sr_page *p, const sr_result *r, bool cumulative, fan_store *store,
                             int *rc, sr_error *err)
{
    const sr_words *w = p->w;
    const sr_fig_yearly *self = &r->yearly[0], *sib = &r->yearly[1];
    if (cumulative && self->cumulative == NULL)
        return;
    bool both = r->decision.present && r->have_yearly[1] && (!cumulative || sib->cumulative);
    const sr_fig_annual v[2] = {sr_fig_yearly_view(self, cumulative),
                                sr_fig_yearly_view(sib, cumulative)};
    sr_svg_fan fans[2];
    if (!make_fan(&v[0], w->fund_itself, SR_SVG_ORANGE, &store[0], &fans[0]))
        return;
    both = both && make_fan(&v[1], w->pay_by_results, SR_SVG_BLUE, &store[1], &fans[1]);
    char title[512], id[32], where[2][SR_H5_MAX_NAME_BYTES + 64], year[2][16];
    const char *source = cumulative ? "cumulative /yearly/%s" : "/yearly/%s#quantile_values";
    fill(title, sizeof title, cumulative ? w->cumulative_title : w->yearly_net_title,
         w->payer[r->payer]);
    sr_page_figure(p, title, id, sizeof id);
    size_t y[2];
    for (int k = 0; k < (both ? 2 : 1); k++) {
        snprintf(where[k], sizeof where[k], source, v[k].name);
        y[k] = cumulative ? v[k].years - 1 : trough(&fans[k], v[k].years);
        snprintf(year[k], sizeof year[k], "%u", v[k].first_year + (unsigned)y[k]);
    }
    const char *owner = sr_page_slot_text(p, 0, w->payer_owner[r->payer]);
    if (cumulative && both)
        sr_page_say(p, "reading", w->read_cumulative, sr_page_slot_text(p, 0, year[0]),
                    fan_num(p, 1, &v[0], where[0], y[0], 0.5),
                    fan_num(p, 2, &v[0], where[0], y[0], 0.05),
                    fan_num(p, 3, &v[1], where[1], y[1], 0.5),
                    fan_num(p, 4, &v[1], where[1], y[1], 0.05));
    else if (cumulative)
        sr_page_say(p, "reading", w->read_cumulative_selffund, sr_page_slot_text(p, 0, year[0]),
                    fan_num(p, 1, &v[0], where[0], y[0], 0.5),
                    fan_num(p, 2, &v[0], where[0], y[0], 0.05));
    else if (both)
        sr_page_say(p, "reading", w->read_yearly_net, owner, sr_page_slot_text(p, 1, year[0]),
                    fan_num(p, 2, &v[0], where[0], y[0], 0.5),
                    fan_num(p, 3, &v[0], where[0], y[0], 0.05),
                    sr_page_slot_text(p, 4, year[1]), fan_num(p, 5, &v[1], where[1], y[1], 0.5),
                    fan_num(p, 6, &v[1], where[1], y[1], 0.05));
    else
        sr_page_say(p, "reading", w->read_yearly_net_selffund, owner,
                    sr_page_slot_text(p, 1, year[0]), fan_num(p, 2, &v[0], where[0], y[0], 0.5),
                    fan_num(p, 3, &v[0], where[0], y[0], 0.05));
    const sr_svg_chart c = {p->out, p->lang, id, title, w->year_x,
                            cumulative ? w->cumulative_y : w->per_year_y};
    sr_svg_fans(&c, v[0].first_year, v[0].years, fans, both ? 2 : 1, w->band_90, w->band_50,
                w->median);
    for (int k = 0; k < (both ? 2 : 1); k++)
        annual_table(p, &v[k], source, k == 0 ? w->fund_itself : w->pay_by_results, rc, err);
    sr_page_figure_end(p);
}

/* The payback year's distribution (the budget table's payback shares), a bar per year and
 * one for never. */
static void payback_figure(sr_page *p, const sr_result *r, int *rc, sr_error *err)
{
    const sr_words *w = p->w;
    const sr_fig_columns *t = &r->budget.table;
    const int share[2] = {sr_fig_column(t, "payback_share_selffund"),
                          r->decision.present ? sr_fig_column(t, "payback_share_sib") : -1};
    const int year = sr_fig_column(t, "year");
    sr_sheet sheet;
    if (!r->budget.present || share[0] < 0 || t->rows < 2 ||
        !sr_page_sheet(r, SR_SHEET_BUDGET, p->lang, &sheet, rc, err))
        return;
    const size_t n = t->rows, n_series = share[1] >= 0 ? 2 : 1;
    char (*label)[16] = calloc(n, sizeof *label);
    const char **names = calloc(n, sizeof *names);
    double *value = calloc(2 * n, sizeof *value);
    char *within[2] = {NULL, NULL};
    if (label == NULL || names == NULL || value == NULL) {
        *rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(label[i], sizeof label[i], "%.0f", year >= 0 ? t->cell[year][i] : (double)i);
        names[i] = i + 1 < n ? label[i] : w->never;
        for (size_t k = 0; k < n_series; k++)
            value[k * n + i] = t->cell[share[k]][i] * sr_show_specs[SR_SHOW_PERCENT].scale;
    }
    /* the share that pays back within the horizon: every row but "never", as the file's sum */
    for (size_t k = 0; k < n_series; k++) {
        size_t size = 0;
        FILE *mem = open_memstream(&within[k], &size);
        double sum = 0.0;
        for (size_t i = 0; mem != NULL && i + 1 < n; i++) {
            fprintf(mem, "%s/budget/%s[%zu]", i > 0 ? " + " : "", t->name[share[k]], i);
            sum += t->cell[share[k]][i];
        }
        if (mem == NULL || fclose(mem) != 0) {
            *rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
            goto done;
        }
        sr_page_num(p, (int)k, sum, SR_SHOW_PERCENT, "%s", within[k]);
    }
    char id[32];
    sr_page_figure(p, w->payback_title, id, sizeof id);
    if (n_series == 2)
        sr_page_say(p, "reading", w->read_payback, p->slot[0], p->slot[1]);
    else
        sr_page_say(p, "reading", w->read_payback_selffund, p->slot[0]);
    const sr_svg_series series[2] = {{w->fund_itself, SR_SVG_ORANGE, value},
                                     {w->pay_by_results, SR_SVG_BLUE, value + n}};
    const sr_svg_chart c = {p->out, p->lang, id, w->payback_title, w->payback_x, ""};
    sr_svg_bars(&c, names, n, series, n_series, 1);
    static const char *const rows[] = {"period", "payback_share_selffund", "payback_share_sib"};
    sr_page_table_turned(p, &sheet, rows, n_series + 1, w->chart_data);
    sr_page_figure_end(p);
done:
    free(within[0]);
    free(within[1]);
    free(label);
    free(names);
    free(value);
    sr_sheet_clear(&sheet);
}

/* Budget years: from each trial's yearly flows where the file holds them (the net result
 * per year and cumulated, and the payback year), else each flow's own spread. */
static void budget_section(sr_page *p, const sr_result *r, fan_store *store, int *rc,
                           sr_error *err)
{
    static const sr_metric savings_of[3] = {SR_M_SAVINGS_MUNICIPALITY, SR_M_SAVINGS_STATE,
                                            SR_M_SAVINGS_TOTAL};
    const sr_fig_annual *sav = sr_fig_find_annual(&r->portfolio,
                                                  sr_metrics[savings_of[r->payer]].name);
    if (!r->have_yearly[0] && sav == NULL)
        return;
    sr_page_heading(p, p->w->h_budget, "budget-years");
    if (r->have_yearly[0]) {
        net_years_figure(p, r, false, store, rc, err);
        net_years_figure(p, r, true, store, rc, err);
        payback_figure(p, r, rc, err);
    } else {
        savings_figure(p, r, sav, store, rc, err);
    }
    flows_figure(p, r, store, rc, err);
}

/* ---- investors ------------------------------------------------------------------------- */

static void investors_section(sr_page *p, const sr_result *r, int *rc, sr_error *err)
{
    const sr_words *w = p->w;
    sr_sheet t;
    char id[32];
    if (!sr_page_sheet(r, SR_SHEET_INVESTORS, p->lang, &t, rc, err))
        return;
    sr_page_heading(p, w->h_investors, "investors");
    const sr_fig_metric *irr = sr_fig_find(&r->portfolio, sr_metrics[SR_M_INVESTOR_IRR].name);
    sr_page_figure(p, w->irr_title, id, sizeof id);
    sr_page_say(p, "reading", w->read_irr,
                stat_num(p, 0, r, SR_M_INVESTOR_LOSS, SR_FIG_MEAN, SR_SHOW_PERCENT),
                stat_num(p, 1, r, SR_M_INVESTOR_IRR, SR_FIG_Q50, SR_SHOW_PERCENT),
                stat_num(p, 2, r, SR_M_INVESTOR_IRR, SR_FIG_Q05, SR_SHOW_PERCENT));
    const sr_svg_legend legend = {{w->mark_mean, w->mark_q05, w->mark_det}, w->loss_region,
                                  0.0};
    if (r->have_irr_hist && r->irr_hist.n_finite > 0) {
        const double scale = sr_show_specs[SR_SHOW_PERCENT].scale;
        const sr_svg_panel pl = panel(r, &r->irr_hist, SR_M_INVESTOR_IRR, scale, w->irr_title,
                                      SR_SVG_BLUE);
        const sr_svg_chart c = {p->out, p->lang, id, w->irr_title, w->irr_x, w->share_y};
        sr_svg_histograms(&c, &pl, 1, &legend);
        const char *label = w->irr_x;
        hist_counts(p, &r->irr_hist, 1, &label, SR_SHOW_PERCENT);
    }
    if (irr != NULL && irr->n_nan > 0)
        sr_page_say(p, "note", w->irr_left_out,
                    sr_page_num(p, 0, (double)irr->n_nan, SR_SHOW_COUNT,
                                "/summary/%s#n_nan", sr_metrics[SR_M_INVESTOR_IRR].name),
                    sr_page_num(p, 1, (double)r->provenance.trials.n, SR_SHOW_COUNT, "/#trials"));
    sr_page_figure_end(p);

    if (r->have_moic_hist && r->moic_hist.n_finite > 0) {
        sr_page_figure(p, w->moic_title, id, sizeof id);
        sr_page_say(p, "reading", w->read_moic,
                    stat_num(p, 0, r, SR_M_INVESTOR_MOIC, SR_FIG_Q50, SR_SHOW_MULTIPLE),
                    stat_num(p, 1, r, SR_M_INVESTOR_MOIC, SR_FIG_Q05, SR_SHOW_MULTIPLE));
        const sr_svg_panel pl = panel(r, &r->moic_hist, SR_M_INVESTOR_MOIC, 1.0, w->moic_title,
                                      SR_SVG_BLUE);
        const sr_svg_legend below_one = {{w->mark_mean, w->mark_q05, w->mark_det},
                                         w->loss_region, 1.0};
        const sr_svg_chart c = {p->out, p->lang, id, w->moic_title, w->moic_x, w->share_y};
        sr_svg_histograms(&c, &pl, 1, &below_one);
        const char *label = w->moic_x;
        hist_counts(p, &r->moic_hist, 1, &label, SR_SHOW_MULTIPLE);
        sr_page_figure_end(p);
    }
    if (r->have_guarantee && r->have_cap) {
        const double n = (double)r->provenance.trials.n;
        sr_page_say(p, "reading", w->read_guarantee,
                    sr_page_num(p, 0, (double)r->guarantee_pays / n, SR_SHOW_PERCENT,
                                "positive /trials/%s", sr_metrics[SR_M_GUARANTOR_PAID].name),
                    stat_num(p, 1, r, SR_M_GUARANTOR_PAID, SR_FIG_MEAN, SR_SHOW_MDKK),
                    sr_page_num(p, 2, (double)r->cap_binds / n, SR_SHOW_PERCENT,
                                "positive /trials/%s", sr_metrics[SR_M_REINVESTED].name),
                    stat_num(p, 3, r, SR_M_REINVESTED, SR_FIG_MEAN, SR_SHOW_MDKK));
    }
    sr_page_table(p, &t, NULL, 0, NULL);
    sr_sheet_clear(&t);
}

/* ---- programmes ------------------------------------------------------------------------ */

/* The programmes with the highest and the lowest mean of metric m. */
static void extremes(const sr_fig_levels *l, sr_metric m, size_t *best, size_t *worst)
{
    *best = *worst = 0;
    for (size_t i = 1; i < l->n; i++) {
        double v = sr_fig_value(&l->level[i], m, SR_FIG_MEAN);
        if (v > sr_fig_value(&l->level[*best], m, SR_FIG_MEAN))
            *best = i;
        if (v < sr_fig_value(&l->level[*worst], m, SR_FIG_MEAN))
            *worst = i;
    }
}

static void programmes_section(sr_page *p, const sr_result *r, int *rc, sr_error *err)
{
    const sr_words *w = p->w;
    const sr_fig_levels *l = &r->programmes;
    if (l->n < 2 || *rc != 0)
        return;
    sr_sheet t;
    if ((*rc = sr_sheet_programme_overview(r, p->lang, &t, err)) != 0)
        return;
    const char **names = calloc(l->n, sizeof *names);
    double *sib = calloc(l->n, sizeof *sib), *self = calloc(l->n, sizeof *self);
    if (names == NULL || sib == NULL || self == NULL) {
        *rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    const double scale = sr_show_specs[SR_SHOW_MDKK].scale;
    for (size_t i = 0; i < l->n; i++) {
        names[i] = l->level[i].name;
        sib[i] = sr_fig_value(&l->level[i], SR_M_MUNICIPALITY_NET_SIB, SR_FIG_MEAN) * scale;
        self[i] = sr_fig_value(&l->level[i], SR_M_MUNICIPALITY_NET_SELFFUND, SR_FIG_MEAN) * scale;
    }
    sr_page_heading(p, w->h_programmes, "programmes");
    char id[32];
    sr_page_figure(p, w->programmes_title, id, sizeof id);
    const bool contract = r->decision.present;
    const sr_metric ranked = contract ? SR_M_MUNICIPALITY_NET_SIB : SR_M_MUNICIPALITY_NET_SELFFUND;
    size_t best, worst;
    extremes(l, ranked, &best, &worst);
    sr_page_say(p, "reading", contract ? w->read_programmes : w->read_programmes_selffund,
                sr_page_slot_text(p, 0, l->level[best].name),
                sr_page_num(p, 1, sr_fig_value(&l->level[best], ranked, SR_FIG_MEAN),
                            SR_SHOW_MDKK, "/programmes/%s/summary/%s#mean",
                            l->level[best].name, sr_metrics[ranked].name),
                sr_page_slot_text(p, 2, l->level[worst].name),
                sr_page_num(p, 3, sr_fig_value(&l->level[worst], ranked, SR_FIG_MEAN),
                            SR_SHOW_MDKK, "/programmes/%s/summary/%s#mean",
                            l->level[worst].name, sr_metrics[ranked].name));
    const sr_svg_series series[2] = {{w->fund_itself, SR_SVG_ORANGE, self},
                                     {w->pay_by_results, SR_SVG_BLUE, sib}};
    const sr_svg_chart c = {p->out, p->lang, id, w->programmes_title, w->programmes_x, ""};
    sr_svg_bars(&c, names, l->n, series, contract ? 2 : 1, 2);
    static const char *const rows[] = {"level", "savings_mean", "cost_mean", "payments_mean",
                                       "sib_mean", "sib_q05", "selffund_mean", "p_loss"};
    sr_page_table_turned(p, &t, rows, sizeof rows / sizeof *rows, w->chart_data);
    sr_page_figure_end(p);
    sr_sheet_clear(&t);

    if (sr_page_sheet(r, SR_SHEET_DIVERSIFICATION, p->lang, &t, rc, err)) {
        const sr_fig_diversification *d = &r->diversification;
        fputs("<h3>", p->out);
        sr_page_text(p, w->h_diversification);
        fputs("</h3>\n", p->out);
        for (size_t k = 0; k < d->n; k++) {
            if (d->metric[k] != SR_M_MUNICIPALITY_NET_SIB || !contract)
                continue;
            char count[16];
            snprintf(count, sizeof count, "%zu", l->n);
            sr_page_say(p, "reading", w->read_diversification, sr_page_slot_text(p, 0, count),
                        sr_page_num(p, 1, d->portfolio[k], SR_SHOW_MDKK, "/summary/%s#es95",
                                    sr_metrics[d->metric[k]].name),
                        sr_page_num(p, 2, d->sum[k], SR_SHOW_MDKK, NULL));
        }
        static const char *const cols[] = {"label", "units", "portfolio_es95", "sum_es95",
                                           "difference"};
        sr_page_table(p, &t, cols, 5, NULL);
    }
done:
    sr_sheet_clear(&t);
    free(names);
    free(sib);
    free(self);
}

/* ---- every figure, provenance ---------------------------------------------------------- */

static void all_figures(sr_page *p, const sr_result *r, int *rc, sr_error *err)
{
    const sr_words *w = p->w;
    sr_sheet t;
    if (!sr_page_sheet(r, SR_SHEET_SUMMARY, p->lang, &t, rc, err))
        return;
    sr_page_heading(p, w->h_all, "all-figures");
    static const char *const cols[] = {"label", "metric", "units", "mean", "sd", "q05", "q50",
                                       "q95", "deterministic"};
    sr_page_table(p, &t, cols, sizeof cols / sizeof *cols, NULL);
    for (size_t i = 0; i < r->portfolio.n_metrics; i++) {
        const sr_fig_metric *m = &r->portfolio.metric[i];
        if (m->n_nan == 0)
            continue;
        sr_page_say(p, "note", w->note_left_out,
                    sr_page_slot_text(p, 0, sr_words_metric(p->lang, m->name)),
                    sr_page_num(p, 1, (double)m->n_nan, SR_SHOW_COUNT, "/summary/%s#n_nan",
                                m->name),
                    sr_page_num(p, 2, (double)r->provenance.trials.n, SR_SHOW_COUNT, "/#trials"));
    }
    sr_sheet_clear(&t);
}

static void provenance(sr_page *p, const sr_result *r, int *rc, sr_error *err)
{
    const sr_words *w = p->w;
    sr_sheet t;
    if (!sr_page_sheet(r, SR_SHEET_PROVENANCE, p->lang, &t, rc, err))
        return;
    sr_page_heading(p, w->h_provenance, "provenance");
    sr_page_table(p, &t, NULL, 0, NULL);
    sr_sheet_clear(&t);
    if (r->provenance.scenario != NULL) {
        fputs("<details><summary>", p->out);
        sr_page_text(p, w->scenario_text);
        fputs("</summary>\n<pre class=\"scenario\">", p->out);
        sr_svg_escape(p->out, r->provenance.scenario, true);
        fputs("</pre></details>\n", p->out);
    }
    fputs("<footer>", p->out);
    sr_page_say(p, "footer", w->footer, sr_page_slot_text(p, 0, SIRISK_VERSION),
                sr_page_slot_text(p, 1, r->path));
    fputs("</footer>\n", p->out);
}

/* ---- the page -------------------------------------------------------------------------- */

/* Yearly fans need room for their columns; kept off the stack. */
typedef struct {
    fan_store fans[3];
} page_store;

int sr_report_write(const sr_result *r, sr_lang lang, FILE *out, sr_error *err)
{
    sr_page *p = calloc(1, sizeof *p);
    page_store *store = calloc(1, sizeof *store);
    if (p == NULL || store == NULL) {
        free(p);
        free(store);
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    }
    p->out = out;
    p->lang = lang;
    p->w = sr_words_of(lang);
    int rc = 0;
    sr_page_begin(p, r->scenario_name[0] != '\0' ? r->scenario_name : p->w->report);
    header(p, r);
    if (r->sweep.present) {
        sr_report_sweep(p, r, &rc, err);
    } else {
        key_figures(p, r);
        net_section(p, r, &rc, err);
        budget_section(p, r, store->fans, &rc, err);
        investors_section(p, r, &rc, err);
        programmes_section(p, r, &rc, err);
        sr_report_stresses(p, r, &rc, err);
        all_figures(p, r, &rc, err);
    }
    provenance(p, r, &rc, err);
    sr_page_end(p);
    free(p);
    free(store);
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        rc = sr_error_set(err, SR_EXIT_IOERR, "cannot write the report: %s", strerror(errno));
    return rc;
}

int sr_report_file(const char *input, sr_lang lang, const char *path, sr_error *err)
{
    sr_result r;
    int rc = sr_result_read(input, &r, err);
    if (rc != 0)
        return rc;
    FILE *out = fopen(path, "w");
    if (out == NULL) {
        rc = sr_error_set(err, SR_EXIT_IOERR, "cannot write the report: %s", strerror(errno));
    } else {
        rc = sr_report_write(&r, lang, out, err);
        if (fclose(out) != 0 && rc == 0)
            rc = sr_error_set(err, SR_EXIT_IOERR, "cannot write the report: %s",
                              strerror(errno));
    }
    sr_result_clear(&r);
    return rc;
}
