/* The report's sections of a stress file and of a sweep (report_sections.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/report_sections.h"
#include "sim/cli/report_svg.h"
#include "sim/cli/words.h"

/* ---- stresses -------------------------------------------------------------------------- */

/* The most stresses a chart draws (the table lists them all). */
#define MAX_STRESSES 1024

/* One chart of the stress section: metric m's mean and 5% quantile per stress. */
static void stress_chart(sr_page *p, const sr_result *r, const sr_sheet *t, sr_metric m,
                         double *mean, double *q05, const char **names)
{
    const sr_words *w = p->w;
    const sr_fig_stresses *s = &r->stresses;
    size_t n = 0, worst = SIZE_MAX;
    const sr_fig_stress_row *rows[MAX_STRESSES];
    const char *units = NULL;
    for (size_t i = 0; i < s->n_rows && n < MAX_STRESSES; i++) {
        const sr_fig_stress_row *x = &s->row[i];
        if (x->metric != m)
            continue;
        units = x->units;
        rows[n] = x;
        names[n] = s->names.name[x->stress];
        const double scale = sr_show_specs[sr_show_of_units(x->units)].scale;
        mean[n] = x->mean * scale;
        q05[n] = x->q05 * scale;
        if (strcmp(names[n], "base") != 0 &&
            (worst == SIZE_MAX || x->mean - x->base_mean < rows[worst]->mean - rows[worst]->base_mean))
            worst = n;
        n++;
    }
    if (n == 0)
        return;
    const sr_show show = sr_show_of_units(units);
    char title[512], id[32], x_label[256];
    const char *label = sr_words_metric(p->lang, sr_metrics[m].name);
    snprintf(title, sizeof title, w->stress_title, label);
    snprintf(x_label, sizeof x_label, "%s", sr_words_units(p->lang, units));
    sr_page_figure(p, title, id, sizeof id);
    if (worst != SIZE_MAX && rows[worst]->mean < rows[worst]->base_mean) {
        const sr_fig_stress_row *x = rows[worst];
        const char *name = sr_metrics[m].name, *stress = names[worst];
        sr_page_say(p, "reading", w->read_stress, sr_page_slot_text(p, 0, stress),
                    sr_page_num(p, 1, x->base_mean, show, "/stress/base/summary/%s#mean", name),
                    sr_page_num(p, 2, x->mean, show, "/stress/%s/summary/%s#mean", stress, name),
                    sr_page_num(p, 3, x->base_q05, show, "/stress/base/summary/%s#q05", name),
                    sr_page_num(p, 4, x->q05, show, "/stress/%s/summary/%s#q05", stress, name),
                    sr_page_slot_text(p, 5, label));
    } else {
        sr_page_say(p, "reading", w->read_stress_none, sr_page_slot_text(p, 0, label));
    }
    const sr_svg_series series[2] = {{w->mean_word, SR_SVG_BLUE, mean},
                                     {w->q05_word, SR_SVG_RED, q05}};
    const sr_svg_chart c = {p->out, p->lang, id, title, x_label, ""};
    sr_svg_bars(&c, names, n, series, 2, sr_show_specs[show].digits);
    static const char *const cols[] = {"stress", "mean", "mean_change", "q05", "q05_change"};
    sr_page_table_where(p, t, cols, sizeof cols / sizeof *cols, w->chart_data, "metric",
                        sr_metrics[m].name);
    sr_page_figure_end(p);
}

void sr_report_stresses(sr_page *p, const sr_result *r, int *rc, sr_error *err)
{
    const sr_words *w = p->w;
    sr_sheet t;
    if (!sr_page_sheet(r, SR_SHEET_STRESSES, p->lang, &t, rc, err))
        return;
    const size_t n = r->stresses.names.n;
    double *mean = calloc(n + 1, sizeof *mean), *q05 = calloc(n + 1, sizeof *q05);
    const char **names = calloc(n + 1, sizeof *names);
    if (mean == NULL || q05 == NULL || names == NULL) {
        *rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    } else {
        sr_page_heading(p, w->h_stresses, "stresses");
        sr_page_say(p, "note", "%s", w->stress_intro);
        static const sr_metric charted[] = {SR_M_MUNICIPALITY_NET_SIB, SR_M_SAVINGS_TOTAL,
                                            SR_M_INVESTOR_NPV};
        for (size_t k = 0; k < sizeof charted / sizeof *charted; k++)
            stress_chart(p, r, &t, charted[k], mean, q05, names);
        static const char *const cols[] = {"stress", "label", "metric", "units", "mean",
                                           "mean_change", "q05", "q05_change"};
        sr_page_table(p, &t, cols, sizeof cols / sizeof *cols, NULL);
    }
    free(mean);
    free(q05);
    free(names);
    sr_sheet_clear(&t);
}

/* ---- the sweep ------------------------------------------------------------------------- */

/* The most lines a chart of a grid draws (one per value of the second key), and the most
 * points a sweep's chart draws. */
#define MAX_LINES 6
#define MAX_POINTS 4096

/* The sweep's x axis and lines. Points are ordered by the first swept value (their index
 * when it is not a number at every point). A grid (two keys crossed) draws a line per
 * value of the second key, each over the first key's values; any other sweep one line. */
typedef struct {
    size_t n_x, n_lines;
    size_t point[MAX_LINES][MAX_POINTS];
    double x[MAX_POINTS];
    char x_text[MAX_POINTS][48];
    const char *x_label[MAX_POINTS];
    char line_label[MAX_LINES][256];
    bool log_x, numeric;
} sweep_axes;

/* The text of a swept value at point i, key j: the number in the page's format when it is
 * one, else as applied. */
static void value_text(const sr_fig_sweep *s, size_t i, size_t j, sr_lang lang, char *buf,
                       size_t size)
{
    const double v = s->value[i * s->n_keys + j];
    if (isfinite(v) && v == floor(v) && fabs(v) < 1e15)
        sr_format_fixed(buf, size, v, 0, true, lang, true);
    else if (isfinite(v))
        sr_format(buf, size, v, SR_SHOW_PLAIN, lang, true);
    else
        snprintf(buf, size, "%s", s->value_text != NULL ? s->value_text[i * s->n_keys + j] : "?");
}

static void sort_by_x(size_t *points, size_t n, const double *x_of)
{
    for (size_t i = 1; i < n; i++)   /* insertion sort: a sweep has few points */
        for (size_t j = i; j > 0 && x_of[points[j]] < x_of[points[j - 1]]; j--) {
            size_t t = points[j];
            points[j] = points[j - 1];
            points[j - 1] = t;
        }
}

static void sweep_axes_make(const sr_fig_sweep *s, sr_lang lang, sweep_axes *a, double *x_of)
{
    const size_t k = s->k < MAX_POINTS ? s->k : MAX_POINTS;
    a->numeric = s->n_keys > 0;
    for (size_t i = 0; i < k; i++)
        a->numeric = a->numeric && isfinite(s->value[i * s->n_keys]);
    for (size_t i = 0; i < k; i++)
        x_of[i] = a->numeric ? s->value[i * s->n_keys] : (double)i;
    const bool grid = s->design != NULL && strcmp(s->design, "grid") == 0 && s->n_keys == 2 &&
                      s->value_text != NULL;
    a->n_lines = 0;
    a->n_x = 0;
    if (grid) {
        /* a line per distinct value of the second key, in the order met */
        size_t first_of[MAX_LINES], count[MAX_LINES] = {0};
        for (size_t i = 0; i < k; i++) {
            size_t l = 0;
            while (l < a->n_lines && strcmp(s->value_text[first_of[l] * 2 + 1],
                                            s->value_text[i * 2 + 1]) != 0)
                l++;
            if (l == a->n_lines) {
                if (a->n_lines == MAX_LINES)
                    continue;
                first_of[a->n_lines++] = i;
            }
            a->point[l][count[l]++] = i;
        }
        a->n_x = count[0];
        for (size_t l = 0; l < a->n_lines; l++) {
            char v[48];
            a->n_x = count[l] < a->n_x ? count[l] : a->n_x;
            value_text(s, first_of[l], 1, lang, v, sizeof v);
            snprintf(a->line_label[l], sizeof a->line_label[l], "%s = %s",
                     s->n_key_names > 1 ? s->key[1] : "", v);
            sort_by_x(a->point[l], count[l], x_of);
        }
    } else {
        a->n_lines = 1;
        a->n_x = k;
        for (size_t i = 0; i < k; i++)
            a->point[0][i] = i;
        sort_by_x(a->point[0], k, x_of);
    }
    for (size_t i = 0; i < a->n_x; i++) {
        const size_t pt = a->point[0][i];
        a->x[i] = x_of[pt];
        value_text(s, pt, 0, lang, a->x_text[i], sizeof a->x_text[i]);
        a->x_label[i] = a->x_text[i];
    }
    a->log_x = a->numeric && a->n_x > 1 && a->x[0] > 0 && a->x[a->n_x - 1] / a->x[0] >= 20.0;
}

/* One chart of the sweep: the columns cols[n] against the swept value (a line per column;
 * in a grid, a line per value of the second key, of the first column), and a reading of
 * the first line from its first to its last point (read takes the first column's two
 * values and where they are; with two columns, both columns' values, then where). */
static void sweep_chart(sr_page *p, const sr_result *r, const sr_sheet *t, const sweep_axes *a,
                        const char *title, const char *y_label, const char *const *cols,
                        const char *const *labels, size_t n, const char *read, double *y_store)
{
    static const char *const colours[MAX_LINES] = {SR_SVG_BLUE, SR_SVG_ORANGE, SR_SVG_GREEN,
                                                   SR_SVG_RED, SR_SVG_SKY, SR_SVG_PURPLE};
    const sr_fig_sweep *s = &r->sweep;
    int c[2] = {sr_fig_column(&s->table, cols[0]), n > 1 ? sr_fig_column(&s->table, cols[1]) : -1};
    if (c[0] < 0 || (n > 1 && c[1] < 0) || a->n_x == 0)
        return;
    const size_t n_series = a->n_lines > 1 ? a->n_lines : n;
    sr_svg_series series[MAX_LINES];
    bool any = false;
    for (size_t l = 0; l < n_series; l++) {
        const int col = a->n_lines > 1 ? c[0] : c[l];
        const size_t line = a->n_lines > 1 ? l : 0;
        const double scale = sr_show_specs[sr_show_of_units(s->table.units[col])].scale;
        double *y = y_store + l * a->n_x;
        for (size_t i = 0; i < a->n_x; i++) {
            y[i] = s->table.cell[col][a->point[line][i]] * scale;
            any = any || isfinite(y[i]);
        }
        series[l] = (sr_svg_series){a->n_lines > 1 ? a->line_label[l] : labels[l], colours[l], y};
    }
    if (!any)
        return;
    char id[32], x_label[1024] = "";
    sr_page_figure(p, title, id, sizeof id);
    const size_t first = a->point[0][0], last = a->point[0][a->n_x - 1];
    char at_first[400], at_last[400];
    snprintf(at_first, sizeof at_first, "%s%s%s%s", a->x_text[0], a->n_lines > 1 ? " (" : "",
             a->n_lines > 1 ? a->line_label[0] : "", a->n_lines > 1 ? ")" : "");
    snprintf(at_last, sizeof at_last, "%s", a->x_text[a->n_x - 1]);
    const sr_show show0 = sr_show_of_units(s->table.units[c[0]]);
    const char *v0 = sr_page_num(p, 0, s->table.cell[c[0]][first], show0, "/sweep/table/%s[%zu]",
                                 s->table.name[c[0]], first);
    const char *v1 = sr_page_num(p, 1, s->table.cell[c[0]][last], show0, "/sweep/table/%s[%zu]",
                                 s->table.name[c[0]], last);
    if (n > 1 && a->n_lines == 1) {
        const sr_show show1 = sr_show_of_units(s->table.units[c[1]]);
        sr_page_say(p, "reading", read, v0, v1,
                    sr_page_num(p, 2, s->table.cell[c[1]][first], show1, "/sweep/table/%s[%zu]",
                                s->table.name[c[1]], first),
                    sr_page_num(p, 3, s->table.cell[c[1]][last], show1, "/sweep/table/%s[%zu]",
                                s->table.name[c[1]], last),
                    sr_page_slot_text(p, 4, at_first), sr_page_slot_text(p, 5, at_last));
    } else {
        sr_page_say(p, "reading", read, v0, sr_page_slot_text(p, 4, at_first), v1,
                    sr_page_slot_text(p, 5, at_last));
    }
    if (s->n_key_names > 0)
        snprintf(x_label, sizeof x_label, s->n_key_names > 1 && a->n_lines == 1 ? "%s (%s %s)"
                                                                                : "%s",
                 s->key[0], p->w->paired_with, s->n_key_names > 1 ? s->key[1] : "");
    const sr_svg_chart ch = {p->out, p->lang, id, title, x_label, y_label};
    sr_svg_lines(&ch, a->x, a->x_label, a->n_x, a->log_x, series, n_series);
    const char *rows[] = {"value_text", "value_text_2", cols[0], n > 1 ? cols[1] : cols[0]};
    sr_page_table_turned(p, t, rows, n > 1 ? 4 : 3, p->w->chart_data);
    sr_page_figure_end(p);
}

void sr_report_sweep(sr_page *p, const sr_result *r, int *rc, sr_error *err)
{
    const sr_words *w = p->w;
    const sr_fig_sweep *s = &r->sweep;
    sr_sheet t;
    if (!sr_page_sheet(r, SR_SHEET_SWEEP, p->lang, &t, rc, err))
        return;
    sweep_axes *a = calloc(1, sizeof *a);
    double *x_of = calloc(s->k + 1, sizeof *x_of);
    double *y = calloc(MAX_LINES * (s->k + 1), sizeof *y);
    if (a == NULL || x_of == NULL || y == NULL) {
        *rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    sweep_axes_make(s, p->lang, a, x_of);
    char keys[1024] = "", count[16];
    for (size_t i = 0; i < s->n_key_names; i++) {
        size_t len = strlen(keys);
        snprintf(keys + len, sizeof keys - len, "%s%s", i ? ", " : "", s->key[i]);
    }
    snprintf(count, sizeof count, "%zu", s->k);
    sr_page_heading(p, w->h_sweep, "sweep");
    sr_page_say(p, "note", w->sweep_intro, sr_page_slot_text(p, 0, keys),
                sr_page_slot_text(p, 1, s->design != NULL ? s->design : ""),
                sr_page_slot_text(p, 2, count));
    const char *power[] = {"power"}, *cv[] = {"savings_cv"};
    sweep_chart(p, r, &t, a, w->power_title, w->power_y, power, &w->power_title, 1,
                w->read_sweep_power, y);
    sweep_chart(p, r, &t, a, w->cv_title, w->cv_y, cv, &w->cv_title, 1, w->read_sweep_cv, y);
    const char *money[] = {"savings_per_participant_mean", "cost_per_participant"};
    const char *money_label[] = {w->savings_pp, w->cost_pp};
    if (a->n_lines == 1) {
        sweep_chart(p, r, &t, a, w->per_participant_title, w->per_participant_y, money, money_label,
                    2, w->read_sweep_money, y);
    } else {   /* a grid: a chart per column, a line per value of the second key */
        sweep_chart(p, r, &t, a, w->savings_pp_title, w->per_participant_y, money, money_label, 1,
                    w->read_sweep_savings, y);
        sweep_chart(p, r, &t, a, w->cost_pp_title, w->per_participant_y, money + 1,
                    money_label + 1, 1, w->read_sweep_cost, y);
    }
    static const char *const rows[] = {
        "point", "value_text", "value_text_2", "persons", "savings_per_participant_mean",
        "savings_per_participant_sd", "savings_cv", "cost_per_participant", "power",
        "p_investor_loss", "investor_irr_q50", "investor_irr_q05", "municipality_net_sib_mean"};
    sr_page_table_turned(p, &t, rows, sizeof rows / sizeof *rows, w->chart_data);
    fputs("<p class=\"note\">", p->out);
    sr_page_text(p, w->sweep_point0);
    fputs("</p>\n", p->out);
done:
    free(a);
    free(x_of);
    free(y);
    sr_sheet_clear(&t);
}
