/* The tables of a result set (sheets.h), built from its figures. A builder adds rows and
 * cells and remembers running out of memory, so that each table reads as the list of its
 * rows; the one check is at the end. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "sim/cli/sheets.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/words.h"

const char *const sr_sheet_names[SR_N_SHEETS] = {
    [SR_SHEET_SUMMARY] = "summary",
    [SR_SHEET_DECISION] = "decision",
    [SR_SHEET_RISK_TRANSFER] = "risk_transfer",
    [SR_SHEET_INVESTORS] = "investors",
    [SR_SHEET_BUDGET] = "budget",
    [SR_SHEET_BUDGET_YEARS] = "budget_years",
    [SR_SHEET_PROGRAMMES] = "programmes",
    [SR_SHEET_DIVERSIFICATION] = "diversification",
    [SR_SHEET_STRESSES] = "stresses",
    [SR_SHEET_SWEEP] = "sweep",
    [SR_SHEET_PROVENANCE] = "provenance",
};

void sr_sheet_clear(sr_sheet *t)
{
    for (size_t i = 0; i < t->n_rows * t->n_columns; i++) {
        free(t->cell[i].text);
        free(t->cell[i].source);
    }
    for (size_t c = 0; c < t->n_columns; c++) {
        free(t->column[c].heading);
        free(t->column[c].units);
    }
    free(t->cell);
    free(t->column);
    free(t->title);
    memset(t, 0, sizeof *t);
}

int sr_sheet_column(const sr_sheet *t, const char *id)
{
    for (size_t c = 0; c < t->n_columns; c++)
        if (strcmp(t->column[c].id, id) == 0)
            return (int)c;
    return -1;
}

/* ---- building ------------------------------------------------------------------------- */

/* printf into a new string; NULL when out of memory. */
static char *vformat(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s != NULL)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    return s;
}

char *sr_sheet_heading(const sr_column *c)
{
    const char *h = c->heading != NULL ? c->heading : c->id;
    return c->units != NULL ? format("%s [%s]", h, c->units) : format("%s", h);
}

typedef struct {
    sr_sheet *t;
    sr_lang lang;
    sr_cell *row;    /* the row being filled */
    size_t next;     /* its next column */
    bool no_memory;
} builder;

static char *dup_or_flag(builder *b, const char *s)
{
    char *copy = s != NULL ? strdup(s) : NULL;
    if (s != NULL && copy == NULL)
        b->no_memory = true;
    return copy;
}

/* Starts table name with columns ids[n], headed in b's language. */
static void start(builder *b, sr_sheet *t, sr_lang lang, const char *name,
                  const char *const *ids, size_t n)
{
    *b = (builder){.t = t, .lang = lang};
    memset(t, 0, sizeof *t);
    t->name = name;
    t->title = dup_or_flag(b, sr_words_table(lang, name));
    if ((t->column = calloc(n + 1, sizeof *t->column)) == NULL) {
        b->no_memory = true;
        return;
    }
    t->n_columns = n;
    for (size_t c = 0; c < n; c++) {
        t->column[c].id = ids[c];
        t->column[c].heading = dup_or_flag(b, sr_words_heading(lang, ids[c]));
    }
}

/* Column c's numbers are all in these units (the file's units attribute). */
static void column_units(builder *b, size_t c, const char *units)
{
    if (c < b->t->n_columns) {
        free(b->t->column[c].units);
        b->t->column[c].units = dup_or_flag(b, units);
    }
}

/* A new row, empty; its cells are filled from the left. */
static void row(builder *b)
{
    sr_sheet *t = b->t;
    b->row = NULL;
    b->next = 0;
    if (b->no_memory || t->n_columns == 0)
        return;
    if (t->n_rows == t->capacity) {
        size_t grown = t->capacity > 0 ? 2 * t->capacity : 16;
        sr_cell *cells = realloc(t->cell, grown * t->n_columns * sizeof *cells);
        if (cells == NULL) {
            b->no_memory = true;
            return;
        }
        t->cell = cells;
        t->capacity = grown;
    }
    b->row = &t->cell[t->n_rows * t->n_columns];
    memset(b->row, 0, t->n_columns * sizeof *b->row);
    t->n_rows++;
}

/* The next cell of the row, or NULL when out of memory or past the last column. */
static sr_cell *next_cell(builder *b)
{
    if (b->row == NULL || b->next >= b->t->n_columns)
        return NULL;
    return &b->row[b->next++];
}

static void text(builder *b, const char *s)
{
    sr_cell *c = next_cell(b);
    if (c != NULL && s != NULL) {
        c->kind = SR_CELL_TEXT;
        c->text = dup_or_flag(b, s);
    }
}

/* A number shown as `show`, with where the file holds it (a printf format; NULL: nowhere
 * one expression names). */
static void number(builder *b, double v, sr_show show, const char *source, ...)
    __attribute__((format(printf, 4, 5)));
static void number(builder *b, double v, sr_show show, const char *source, ...)
{
    sr_cell *c = next_cell(b);
    if (c == NULL)
        return;
    c->kind = SR_CELL_NUMBER;
    c->value = v;
    c->show = show;
    if (source != NULL) {
        va_list ap;
        va_start(ap, source);
        if ((c->source = vformat(source, ap)) == NULL)
            b->no_memory = true;
        va_end(ap);
    }
}

static int finish(builder *b, sr_error *err)
{
    if (!b->no_memory)
        return 0;
    sr_sheet_clear(b->t);
    return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for the %s table",
                        b->t->name != NULL ? b->t->name : "");
}

/* The path of a level in the file: "" for the root, "/programmes/<name>". */
static void level_path(const char *group, const sr_fig_level *l, char *buf, size_t size)
{
    if (l->name[0] == '\0')
        buf[0] = '\0';
    else
        snprintf(buf, size, "/%s/%s", group, l->name);
}

/* ---- levels: every statistic of every metric ------------------------------------------ */

static const char *const level_columns[] = {
    "level", "metric", "label", "units", "mean", "sd", "mcse", "min", "q01", "q05", "q10",
    "q25", "q50", "q75", "q90", "q95", "q99", "max", "es95", "es99", "es95_upper",
    "es99_upper", "p_negative", "n_nan", "n_infinite", "deterministic",
};
#define N_LEVEL_COLUMNS (sizeof level_columns / sizeof *level_columns)

/* One row per metric of l; with_level, the level's name first. */
static void level_rows(builder *b, const sr_fig_level *l, bool with_level)
{
    char at[SR_H5_MAX_NAME_BYTES + 16];
    level_path("programmes", l, at, sizeof at);
    for (size_t i = 0; i < l->n_metrics; i++) {
        const sr_fig_metric *m = &l->metric[i];
        const sr_show show = sr_show_of_units(m->units);
        row(b);
        if (with_level)
            text(b, l->name);
        text(b, m->name);
        text(b, sr_words_metric(b->lang, m->name));
        text(b, m->units);
        for (size_t s = 0; s < SR_FIG_N_STATS; s++) {
            const sr_show shown = s == SR_FIG_P_NEGATIVE ? SR_SHOW_PERCENT : show;
            number(b, m->stat[s], shown, "%s/summary/%s#%s", at, m->name, sr_fig_stat_names[s]);
        }
        number(b, (double)m->n_nan, SR_SHOW_COUNT, "%s/summary/%s#n_nan", at, m->name);
        number(b, (double)m->n_infinite, SR_SHOW_COUNT, "%s/summary/%s#n_infinite", at,
               m->name);
        number(b, m->deterministic, show, "%s/deterministic/%s", at, m->name);
    }
}

/* The columns of the level tables that have units of their own: shares and counts. */
static void level_units(builder *b)
{
    for (size_t c = 0; c < b->t->n_columns; c++) {
        const char *id = b->t->column[c].id;
        if (strcmp(id, "p_negative") == 0)
            column_units(b, c, "1 (share of trials)");
        else if (strcmp(id, "n_nan") == 0 || strcmp(id, "n_infinite") == 0)
            column_units(b, c, "trials");
    }
}

static void build_summary(builder *b, const sr_result *r)
{
    level_units(b);
    level_rows(b, &r->portfolio, false);
}

static void build_programmes(builder *b, const sr_result *r)
{
    level_units(b);
    for (size_t p = 0; p < r->programmes.n; p++)
        level_rows(b, &r->programmes.level[p], true);
}

/* ---- the decision ---------------------------------------------------------------------- */

static const char *const decision_columns[] = {"figure", "units", "mean", "q05", "es95",
                                               "p_negative", "deterministic"};

/* The paying budget's net results (SR_METRIC_PAYER, ranked); paying by results only with
 * a contract (without one its "payments" are none and the row would say nothing). */
static void build_decision(builder *b, const sr_result *r)
{
    sr_metric net[SR_N_METRICS];
    const size_t n = sr_metrics_ranked(SR_METRIC_PAYER, net);
    level_units(b);
    for (size_t k = 0; k < n; k++) {
        const char *name = sr_metrics[net[k]].name;
        const sr_fig_metric *m = sr_fig_find(&r->portfolio, name);
        if (m == NULL || (net[k] == SR_M_MUNICIPALITY_NET_SIB && !r->decision.present))
            continue;
        row(b);
        text(b, sr_words_figure(b->lang, name));
        text(b, m->units);
        number(b, m->stat[SR_FIG_MEAN], SR_SHOW_MDKK, "/summary/%s#mean", name);
        number(b, m->stat[SR_FIG_Q05], SR_SHOW_MDKK, "/summary/%s#q05", name);
        number(b, m->stat[SR_FIG_ES95], SR_SHOW_MDKK, "/summary/%s#es95", name);
        number(b, m->stat[SR_FIG_P_NEGATIVE], SR_SHOW_PERCENT, "/summary/%s#p_negative", name);
        number(b, m->deterministic, SR_SHOW_MDKK, "/deterministic/%s", name);
    }
}

static const char *const figure_columns[] = {"figure", "units", "value"};

/* A row of a figure | units | value table. */
static void figure_row(builder *b, const char *id, const char *units)
{
    row(b);
    text(b, sr_words_figure(b->lang, id));
    text(b, units);
}

static const char *units_of(const sr_result *r, sr_metric m)
{
    const sr_fig_metric *f = sr_fig_find(&r->portfolio, sr_metrics[m].name);
    return f != NULL ? f->units : NULL;
}

static void build_risk_transfer(builder *b, const sr_result *r)
{
    const sr_fig_decision *d = &r->decision;
    const char *pv = units_of(r, SR_M_PAYMENTS);
    figure_row(b, "price", pv);
    number(b, d->transfer, SR_SHOW_MDKK, "/summary/%s#mean - /summary/%s#mean",
           sr_metrics[SR_M_PAYMENTS].name, sr_metrics[SR_M_PROGRAMME_COST].name);
    figure_row(b, "overpayment", units_of(r, SR_M_OVERPAYMENT));
    number(b, d->overpayment, SR_SHOW_MDKK, "/summary/%s#mean", sr_metrics[SR_M_OVERPAYMENT].name);
    figure_row(b, "unfounded", "1 (share of trials)");
    number(b, (double)d->unfounded / (double)d->trials, SR_SHOW_PERCENT, "unfounded /");
}

/* A statistic of a portfolio metric as a figure row. */
static void stat_row(builder *b, const sr_result *r, const char *id, sr_metric m,
                     sr_fig_stat stat, sr_show show)
{
    figure_row(b, id, units_of(r, m));
    number(b, sr_fig_value(&r->portfolio, m, stat), show, "/summary/%s#%s", sr_metrics[m].name,
           sr_fig_stat_names[stat]);
}

/* The share of trials in which a metric is above 0, as a figure row. */
static void share_row(builder *b, const sr_result *r, const char *id, sr_metric m,
                      uint64_t count)
{
    figure_row(b, id, "1 (share of trials)");
    number(b, (double)count / (double)r->provenance.trials.n, SR_SHOW_PERCENT,
           "positive /trials/%s", sr_metrics[m].name);
}

static void build_investors(builder *b, const sr_result *r)
{
    stat_row(b, r, "p_loss", SR_M_INVESTOR_LOSS, SR_FIG_MEAN, SR_SHOW_PERCENT);
    stat_row(b, r, "irr_q50", SR_M_INVESTOR_IRR, SR_FIG_Q50, SR_SHOW_PERCENT);
    stat_row(b, r, "irr_q05", SR_M_INVESTOR_IRR, SR_FIG_Q05, SR_SHOW_PERCENT);
    stat_row(b, r, "irr_mean", SR_M_INVESTOR_IRR, SR_FIG_MEAN, SR_SHOW_PERCENT);
    const sr_fig_metric *irr = sr_fig_find(&r->portfolio, sr_metrics[SR_M_INVESTOR_IRR].name);
    figure_row(b, "irr_none", "trials");
    number(b, irr != NULL ? (double)irr->n_nan : NAN, SR_SHOW_COUNT, "/summary/%s#n_nan",
           sr_metrics[SR_M_INVESTOR_IRR].name);
    stat_row(b, r, "moic_q50", SR_M_INVESTOR_MOIC, SR_FIG_Q50, SR_SHOW_MULTIPLE);
    stat_row(b, r, "moic_q05", SR_M_INVESTOR_MOIC, SR_FIG_Q05, SR_SHOW_MULTIPLE);
    stat_row(b, r, "npv_mean", SR_M_INVESTOR_NPV, SR_FIG_MEAN, SR_SHOW_MDKK);
    stat_row(b, r, "npv_es95", SR_M_INVESTOR_NPV, SR_FIG_ES95, SR_SHOW_MDKK);
    stat_row(b, r, "guarantee_mean", SR_M_GUARANTOR_PAID, SR_FIG_MEAN, SR_SHOW_MDKK);
    if (r->have_guarantee)
        share_row(b, r, "guarantee_share", SR_M_GUARANTOR_PAID, r->guarantee_pays);
    stat_row(b, r, "cap_mean", SR_M_REINVESTED, SR_FIG_MEAN, SR_SHOW_MDKK);
    if (r->have_cap)
        share_row(b, r, "cap_share", SR_M_REINVESTED, r->cap_binds);
}

/* ---- budget years ---------------------------------------------------------------------- */

/* The quantile columns: an identifier per level the writer uses ("q05"); a file with other
 * levels names them "level_<i>". */
static const char *quantile_id(const sr_fig_annual *a, size_t j)
{
    static const char *const other[SR_N_QUANTILES] = {"level_0", "level_1", "level_2",
                                                       "level_3", "level_4", "level_5",
                                                       "level_6", "level_7", "level_8"};
    for (size_t q = 0; q < SR_N_QUANTILES; q++)
        if (a->levels[j] == sr_quantile_levels[q])
            return sr_quantile_names[q];
    return other[j];
}

/* The rows of one yearly dataset: a row per year, the quantiles after lead columns that
 * the caller has filled in lead (called for each row). */
static void annual_rows(builder *b, const sr_fig_annual *a, const char *at,
                        void (*lead)(builder *b, const void *ctx), const void *ctx)
{
    for (size_t y = 0; y < a->years; y++) {
        row(b);
        if (lead != NULL)
            lead(b, ctx);
        number(b, (double)(a->first_year + y), SR_SHOW_YEAR, NULL);
        for (size_t j = 0; j < SR_N_QUANTILES; j++)
            number(b, a->q[y * SR_N_QUANTILES + j], sr_show_of_units(a->units),
                   "%s/annual/%s[%zu,%zu]", at, a->name, y, j);
    }
}

typedef struct {
    const sr_fig_level *level;
    const sr_fig_annual *annual;
} annual_lead;

static void budget_lead(builder *b, const void *ctx)
{
    const annual_lead *l = ctx;
    text(b, l->level->name[0] != '\0' ? l->level->name : sr_words_figure(b->lang, "portfolio"));
    text(b, l->annual->name);
    text(b, sr_words_metric(b->lang, l->annual->name));
    text(b, l->annual->units);
}

static void budget_level(builder *b, const sr_fig_level *l)
{
    char at[SR_H5_MAX_NAME_BYTES + 16];
    level_path("programmes", l, at, sizeof at);
    for (size_t i = 0; i < l->n_annual; i++) {
        const annual_lead lead = {l, &l->annual[i]};
        annual_rows(b, &l->annual[i], at, budget_lead, &lead);
    }
}

static void build_budget_years(builder *b, const sr_result *r)
{
    budget_level(b, &r->portfolio);
    for (size_t p = 0; p < r->programmes.n; p++)
        budget_level(b, &r->programmes.level[p]);
}

/* The columns of the budget-year table: level, metric, label, units, year, and the
 * quantiles of the first yearly dataset found (every dataset the writer makes has the same
 * levels). */
static size_t budget_columns(const sr_result *r, const char **ids)
{
    static const char *const lead[] = {"level", "metric", "label", "units", "year"};
    const sr_fig_annual *a = r->portfolio.n_annual > 0 ? &r->portfolio.annual[0] : NULL;
    size_t n = 0;
    for (size_t i = 0; i < sizeof lead / sizeof *lead; i++)
        ids[n++] = lead[i];
    for (size_t j = 0; a != NULL && j < SR_N_QUANTILES; j++)
        ids[n++] = quantile_id(a, j);
    return n;
}

int sr_sheet_annual(const sr_fig_annual *a, const char *source, const char *title,
                    sr_lang lang, sr_sheet *t, sr_error *err)
{
    static const double drawn[] = {0.05, 0.25, 0.50, 0.75, 0.95};
    const char *ids[1 + SR_FIG_MAX_YEARS];
    ids[0] = "quantile";
    for (size_t y = 0; y < a->years; y++)
        ids[1 + y] = "year";
    builder b;
    start(&b, t, lang, "annual", ids, 1 + a->years);
    free(t->title);
    t->title = dup_or_flag(&b, title);
    for (size_t y = 0; y < a->years && !b.no_memory; y++) {
        char year[16];
        snprintf(year, sizeof year, "%u", a->first_year + (unsigned)y);
        free(t->column[1 + y].heading);
        t->column[1 + y].heading = dup_or_flag(&b, year);
        column_units(&b, 1 + y, a->units);
    }
    for (size_t k = 0; k < sizeof drawn / sizeof *drawn; k++) {
        size_t j = 0;
        while (j < SR_N_QUANTILES && a->levels[j] != drawn[k])
            j++;
        if (j == SR_N_QUANTILES)
            continue;
        row(&b);
        text(&b, sr_words_heading(lang, quantile_id(a, j)));
        for (size_t y = 0; y < a->years; y++)
            number(&b, a->q[y * SR_N_QUANTILES + j], sr_show_of_units(a->units), "%s[%zu,%zu]",
                   source, y, j);
    }
    return finish(&b, err);
}

/* The budget table: a row per calendar year and one for after the horizon (for payback
 * shares: never), a column per dataset of /budget. */
static size_t budget_table_columns(const sr_result *r, const char **ids)
{
    size_t n = 0;
    ids[n++] = "period";
    for (size_t c = 0; c < r->budget.table.n; c++)
        ids[n++] = r->budget.table.name[c];
    return n;
}

static void build_budget(builder *b, const sr_result *r)
{
    const sr_fig_columns *t = &r->budget.table;
    for (size_t c = 0; c < t->n; c++)
        column_units(b, 1 + c, t->units[c]);
    for (size_t i = 0; i < t->rows; i++) {
        row(b);
        if (i + 1 < t->rows) {
            const int year = sr_fig_column(t, "year");
            char period[32];
            snprintf(period, sizeof period, "%.0f", year >= 0 ? t->cell[year][i] : (double)i);
            text(b, period);
        } else {
            text(b, sr_words_figure(b->lang, "after_horizon"));
        }
        for (size_t c = 0; c < t->n; c++) {
            const bool year = strcmp(t->name[c], "year") == 0;
            number(b, t->cell[c][i], year ? SR_SHOW_YEAR : sr_show_of_units(t->units[c]),
                   "/budget/%s[%zu]", t->name[c], i);
        }
    }
}

/* ---- diversification and programmes ---------------------------------------------------- */

static const char *const diversification_columns[] = {"metric", "label", "units",
                                                      "portfolio_es95", "sum_es95",
                                                      "difference"};

/* The file's expression of the sum of the programmes' es95 of metric (joined by sep:
 * " + " for the sum, " - " to take them from the portfolio's), into a malloc'd string. */
static char *programme_terms(const sr_result *r, const char *metric, const char *sep)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem == NULL)
        return NULL;
    for (size_t p = 0; p < r->programmes.n; p++)
        fprintf(mem, "%s/programmes/%s/summary/%s#es95", p > 0 ? sep : "",
                r->programmes.level[p].name, metric);
    if (fclose(mem) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static void build_diversification(builder *b, const sr_result *r)
{
    const sr_fig_diversification *d = &r->diversification;
    for (size_t k = 0; k < d->n; k++) {
        const char *name = sr_metrics[d->metric[k]].name;
        char *sum = programme_terms(r, name, " + "), *less = programme_terms(r, name, " - ");
        if (sum == NULL || less == NULL)
            b->no_memory = true;
        row(b);
        text(b, name);
        text(b, sr_words_metric(b->lang, name));
        text(b, units_of(r, d->metric[k]));
        number(b, d->portfolio[k], SR_SHOW_MDKK, "/summary/%s#es95", name);
        number(b, d->sum[k], SR_SHOW_MDKK, sum != NULL ? "%s" : NULL, sum);
        number(b, d->portfolio[k] - d->sum[k], SR_SHOW_MDKK,
               less != NULL ? "/summary/%s#es95 - %s" : NULL, name, less);
        free(sum);
        free(less);
    }
}

static const char *const overview_columns[] = {"level", "savings_mean", "cost_mean",
                                               "payments_mean", "sib_mean", "sib_q05",
                                               "selffund_mean", "p_loss"};

int sr_sheet_programme_overview(const sr_result *r, sr_lang lang, sr_sheet *t, sr_error *err)
{
    static const struct {
        sr_metric metric;
        sr_fig_stat stat;
    } cells[] = {
        {SR_M_SAVINGS_TOTAL, SR_FIG_MEAN},         {SR_M_PROGRAMME_COST, SR_FIG_MEAN},
        {SR_M_PAYMENTS, SR_FIG_MEAN},              {SR_M_MUNICIPALITY_NET_SIB, SR_FIG_MEAN},
        {SR_M_MUNICIPALITY_NET_SIB, SR_FIG_Q05},   {SR_M_MUNICIPALITY_NET_SELFFUND, SR_FIG_MEAN},
        {SR_M_INVESTOR_LOSS, SR_FIG_MEAN},
    };
    builder b;
    start(&b, t, lang, "programme_overview", overview_columns,
          sizeof overview_columns / sizeof *overview_columns);
    for (size_t c = 1; c + 1 < t->n_columns; c++)
        column_units(&b, c, units_of(r, cells[c - 1].metric));
    column_units(&b, t->n_columns - 1, "1 (share of trials)");
    for (size_t p = 0; p < r->programmes.n; p++) {
        const sr_fig_level *l = &r->programmes.level[p];
        row(&b);
        text(&b, l->name);
        for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
            const sr_metric m = cells[c].metric;
            number(&b, sr_fig_value(l, m, cells[c].stat),
                   m == SR_M_INVESTOR_LOSS ? SR_SHOW_PERCENT : SR_SHOW_MDKK,
                   "/programmes/%s/summary/%s#%s", l->name, sr_metrics[m].name,
                   sr_fig_stat_names[cells[c].stat]);
        }
    }
    return finish(&b, err);
}

/* ---- stresses -------------------------------------------------------------------------- */

static const char *const stress_columns[] = {"stress", "metric", "label", "units", "mean",
                                             "mean_change", "q05", "q05_change"};

static void build_stresses(builder *b, const sr_result *r)
{
    const sr_fig_stresses *s = &r->stresses;
    for (size_t i = 0; i < s->n_rows; i++) {
        const sr_fig_stress_row *x = &s->row[i];
        const char *stress = s->names.name[x->stress], *name = sr_metrics[x->metric].name;
        const sr_show show = sr_show_of_units(x->units);
        row(b);
        text(b, stress);
        text(b, name);
        text(b, sr_words_metric(b->lang, name));
        text(b, x->units);
        number(b, x->mean, show, "/stress/%s/summary/%s#mean", stress, name);
        number(b, x->mean - x->base_mean, show,
               "/stress/%s/summary/%s#mean - /stress/base/summary/%s#mean", stress, name, name);
        number(b, x->q05, show, "/stress/%s/summary/%s#q05", stress, name);
        number(b, x->q05 - x->base_q05, show,
               "/stress/%s/summary/%s#q05 - /stress/base/summary/%s#q05", stress, name, name);
    }
}

/* ---- the sweep ------------------------------------------------------------------------- */

/* The sweep table's columns: point, each key's value as applied and as a number, then
 * the columns of /sweep/table. */
static size_t sweep_columns(const sr_fig_sweep *s, const char **ids)
{
    static const char *const text_ids[] = {"value_text", "value_text_2"};
    static const char *const value_ids[] = {"swept", "swept_2"};
    size_t n = 0;
    ids[n++] = "point";
    for (size_t j = 0; j < s->n_keys && j < 2; j++) {
        ids[n++] = text_ids[j];
        ids[n++] = value_ids[j];
    }
    for (size_t c = 0; c < s->table.n; c++)
        ids[n++] = s->table.name[c];
    return n;
}

static void build_sweep(builder *b, const sr_result *r)
{
    const sr_fig_sweep *s = &r->sweep;
    const size_t keys = s->n_keys < 2 ? s->n_keys : 2;
    sr_sheet *t = b->t;
    /* headings: the swept key's path for its columns, the file's heading for a column
     * this build has no words for */
    for (size_t j = 0; j < keys; j++) {
        const char *key = j < s->n_key_names ? s->key[j] : NULL;
        for (size_t c = 1 + 2 * j; key != NULL && c < 3 + 2 * j; c++) {
            char *heading = format("%s: %s", t->column[c].heading, key);
            if (heading == NULL)
                b->no_memory = true;
            free(t->column[c].heading);
            t->column[c].heading = heading;
        }
    }
    for (size_t c = 0; c < s->table.n; c++) {
        sr_column *col = &t->column[1 + 2 * keys + c];
        if (strcmp(sr_words_heading(b->lang, s->table.name[c]), s->table.name[c]) == 0) {
            free(col->heading);
            col->heading = dup_or_flag(b, s->table.heading[c]);
        }
        column_units(b, 1 + 2 * keys + c, s->table.units[c]);
    }
    for (size_t i = 0; i < s->k; i++) {
        row(b);
        number(b, (double)i, SR_SHOW_YEAR, NULL);
        for (size_t j = 0; j < keys; j++) {
            text(b, s->value_text != NULL ? s->value_text[i * s->n_keys + j] : NULL);
            if (s->n_keys == 1)
                number(b, s->value[i], SR_SHOW_PLAIN, "/sweep/values[%zu]", i);
            else
                number(b, s->value[i * s->n_keys + j], SR_SHOW_PLAIN, "/sweep/values[%zu,%zu]",
                       i, j);
        }
        for (size_t c = 0; c < s->table.n; c++) {
            /* participants are the planned cohorts: whole persons */
            const sr_show show = strcmp(s->table.name[c], "persons") == 0
                                     ? SR_SHOW_COUNT
                                     : sr_show_of_units(s->table.units[c]);
            number(b, s->table.cell[c][i], show, "/sweep/table/%s[%zu]", s->table.name[c], i);
        }
    }
}

/* ---- provenance ------------------------------------------------------------------------ */

static const char *const provenance_columns[] = {"field", "value"};

static void provenance_text(builder *b, const char *id, const char *value)
{
    if (value == NULL)
        return;
    row(b);
    text(b, sr_words_figure(b->lang, id));
    text(b, value);
}

static void build_provenance(builder *b, const sr_result *r)
{
    const sr_h5_provenance *p = &r->provenance;
    char seed[32], format[16];
    provenance_text(b, "file", r->path);
    provenance_text(b, "scenario", r->scenario_name);
    if (p->trials.known) {
        row(b);
        text(b, sr_words_figure(b->lang, "trials"));
        number(b, (double)p->trials.n, SR_SHOW_COUNT, "/#trials");
    }
    /* a seed may exceed what a double holds exactly: text */
    snprintf(seed, sizeof seed, "%" PRIu64, p->seed);
    provenance_text(b, "seed", p->has_seed ? seed : NULL);
    provenance_text(b, "sirisk", p->sirisk_version);
    snprintf(format, sizeof format, "%u", r->format_version);
    provenance_text(b, "format", format);
    provenance_text(b, "written", p->created_utc);
    provenance_text(b, "rng", p->rng);
    provenance_text(b, "sha256", r->scenario_sha256);
    provenance_text(b, "libraries", r->library_versions);
    provenance_text(b, "payer", sr_words_of(b->lang)->payer[r->payer]);
}

/* ---- the list -------------------------------------------------------------------------- */

bool sr_sheet_present(const sr_result *r, sr_sheet_id id)
{
    switch (id) {
    case SR_SHEET_SUMMARY:
        return !r->sweep.present && r->portfolio.n_metrics > 0;
    case SR_SHEET_DECISION:
        return !r->sweep.present &&
               sr_fig_find(&r->portfolio, sr_metrics[SR_M_MUNICIPALITY_NET_SELFFUND].name) != NULL;
    case SR_SHEET_RISK_TRANSFER:
    case SR_SHEET_INVESTORS:
        return !r->sweep.present && r->decision.present;
    case SR_SHEET_BUDGET:
        return !r->sweep.present && r->budget.present;
    case SR_SHEET_BUDGET_YEARS:
        return !r->sweep.present && r->portfolio.n_annual > 0;
    case SR_SHEET_PROGRAMMES:
        return !r->sweep.present && r->programmes.n > 0;
    case SR_SHEET_DIVERSIFICATION:
        return !r->sweep.present && r->diversification.n > 0;
    case SR_SHEET_STRESSES:
        return r->stresses.present && r->stresses.n_rows > 0;
    case SR_SHEET_SWEEP:
        return r->sweep.present;
    case SR_SHEET_PROVENANCE:
        return true;
    case SR_N_SHEETS:
        break;
    }
    return false;
}

int sr_sheet_build(const sr_result *r, sr_sheet_id id, sr_lang lang, sr_sheet *t,
                   sr_error *err)
{
    const char *ids[8 + SR_FIG_MAX_COLUMNS + SR_N_QUANTILES];
    builder b;
    const char *name = sr_sheet_names[id];
    switch (id) {
    case SR_SHEET_SUMMARY:
        start(&b, t, lang, name, level_columns + 1, N_LEVEL_COLUMNS - 1);
        build_summary(&b, r);
        break;
    case SR_SHEET_PROGRAMMES:
        start(&b, t, lang, name, level_columns, N_LEVEL_COLUMNS);
        build_programmes(&b, r);
        break;
    case SR_SHEET_DECISION:
        start(&b, t, lang, name, decision_columns, 7);
        build_decision(&b, r);
        break;
    case SR_SHEET_RISK_TRANSFER:
        start(&b, t, lang, name, figure_columns, 3);
        build_risk_transfer(&b, r);
        break;
    case SR_SHEET_INVESTORS:
        start(&b, t, lang, name, figure_columns, 3);
        build_investors(&b, r);
        break;
    case SR_SHEET_BUDGET:
        start(&b, t, lang, name, ids, budget_table_columns(r, ids));
        build_budget(&b, r);
        break;
    case SR_SHEET_BUDGET_YEARS:
        start(&b, t, lang, name, ids, budget_columns(r, ids));
        build_budget_years(&b, r);
        break;
    case SR_SHEET_DIVERSIFICATION:
        start(&b, t, lang, name, diversification_columns, 6);
        build_diversification(&b, r);
        break;
    case SR_SHEET_STRESSES:
        start(&b, t, lang, name, stress_columns, 8);
        build_stresses(&b, r);
        break;
    case SR_SHEET_SWEEP:
        start(&b, t, lang, name, ids, sweep_columns(&r->sweep, ids));
        build_sweep(&b, r);
        break;
    case SR_SHEET_PROVENANCE:
    default:
        start(&b, t, lang, name, provenance_columns, 2);
        build_provenance(&b, r);
        break;
    }
    return finish(&b, err);
}
