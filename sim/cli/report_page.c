/* The report's HTML (report_page.h). */
#include "sim/cli/report_page.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/report_svg.h"

/* The page's style: readable on a screen, and on A4 when printed (figures and tables are
 * not split across pages; the scenario's text, folded, is left out). */
static const char style[] =
    ":root{--ink:#1d1d1f;--muted:#5b5f66;--rule:#d9d9de}"
    "body{font-family:-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;"
    "color:var(--ink);max-width:960px;margin:24px auto;padding:0 24px;line-height:1.45}"
    "h1{font-size:28px;margin:0 0 4px}"
    ".subtitle{color:var(--muted);margin:0 0 16px}"
    "h2{font-size:21px;margin:36px 0 8px;border-bottom:2px solid var(--ink);"
    "padding-bottom:4px}"
    ".cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:16px 0}"
    ".card{border:1px solid var(--rule);border-radius:6px;padding:10px 12px}"
    ".card .label{font-size:13px;color:var(--muted)}"
    ".card .big{font-size:24px;font-weight:600;white-space:nowrap}"
    ".card .note{font-size:12px;color:var(--muted)}"
    "figure{margin:22px 0;break-inside:avoid}"
    "figcaption{font-weight:600;font-size:16px}"
    ".reading{font-size:15px;margin:4px 0 8px}"
    "svg.chart{width:100%;height:auto;display:block;margin:4px 0}"
    "svg.chart text{fill:#222}"
    "table{border-collapse:collapse;font-size:13px;margin:8px 0 4px;width:100%}"
    "th,td{padding:3px 8px;border-bottom:1px solid var(--rule);text-align:left;"
    "vertical-align:top}"
    "th{font-weight:600;border-bottom:1px solid var(--ink)}"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "caption{text-align:left;font-size:13px;color:var(--muted);padding:4px 0}"
    ".note{font-size:13px;color:var(--muted)}"
    "details{margin:8px 0}summary{cursor:pointer;color:var(--muted);font-size:13px}"
    "pre{font-size:12px;white-space:pre-wrap;background:#f6f6f8;padding:8px;"
    "border-radius:4px}"
    ".id{color:var(--muted);font-size:11px;display:block}"
    "footer{margin:36px 0 12px;font-size:12px;color:var(--muted)}"
    "@page{size:A4;margin:14mm}"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:12px}"
    "h2{break-after:avoid}table,.cards{break-inside:avoid}details{display:none}}";

void sr_page_text(sr_page *p, const char *s)
{
    sr_svg_escape(p->out, s != NULL ? s : "", false);
}

/* Writes the number span into buf. */
static void number_span(sr_page *p, char *buf, size_t size, double v, sr_show show,
                        const char *source, bool with_unit)
{
    const sr_show_spec *spec = &sr_show_specs[show];
    char shown[128];
    sr_format(shown, sizeof shown, v, show, p->lang, true);
    int n = snprintf(buf, size, "<span class=\"n\" data-v=\"%.17g\" data-f=\"%c%d%s\" "
                                "data-s=\"%g\"",
                     v, spec->conversion, spec->digits, spec->group ? "g" : "", spec->scale);
    if (source != NULL && n > 0 && (size_t)n < size) {
        FILE *mem = fmemopen(buf + n, size - (size_t)n, "w");
        if (mem != NULL) {
            fputs(" data-src=\"", mem);
            sr_svg_escape(mem, source, false);
            fputc('"', mem);
            n += (int)ftell(mem);
            fclose(mem);
        }
    }
    if (n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ">%s</span>%s", shown,
                 with_unit && isfinite(v) ? sr_show_unit(show, p->lang) : "");
}

const char *sr_page_num(sr_page *p, int i, double v, sr_show show, const char *source, ...)
{
    char src[SR_PAGE_SLOT_BYTES / 2];
    if (source != NULL) {
        va_list ap;
        va_start(ap, source);
        vsnprintf(src, sizeof src, source, ap);
        va_end(ap);
    }
    number_span(p, p->slot[i], sizeof p->slot[i], v, show, source != NULL ? src : NULL, true);
    return p->slot[i];
}

const char *sr_page_slot_text(sr_page *p, int i, const char *s)
{
    FILE *mem = fmemopen(p->slot[i], sizeof p->slot[i], "w");
    p->slot[i][0] = '\0';
    if (mem != NULL) {
        sr_svg_escape(mem, s, false);
        fclose(mem);
    }
    return p->slot[i];
}

void sr_page_say(sr_page *p, const char *cls, const char *fmt, ...)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(mem, fmt, ap);
    va_end(ap);
    fclose(mem);
    /* a sentence that ends in an abbreviation ("kr.") takes no second full stop */
    if (len >= 2 && text[len - 1] == '.' && text[len - 2] == '.')
        text[--len] = '\0';
    fprintf(p->out, "<p class=\"%s\">%s</p>\n", cls, text != NULL ? text : "");
    free(text);
}

/* A heading with its units as shown ("mean (mDKK, present value)"), unless the caption
 * gives them for every column (with_units false). */
static void heading(sr_page *p, const sr_column *c, bool with_units)
{
    sr_page_text(p, c->heading != NULL ? c->heading : c->id);
    if (with_units && c->units != NULL) {
        fputs(" (", p->out);
        sr_page_text(p, sr_words_units(p->lang, c->units));
        fputs(")", p->out);
    }
}

/* Whether column c of t holds numbers (then it is right-aligned). */
static bool numeric(const sr_sheet *t, size_t c)
{
    for (size_t r = 0; r < t->n_rows; r++)
        if (sr_sheet_at(t, r, c)->kind == SR_CELL_TEXT)
            return false;
    return t->n_rows > 0;
}

void sr_page_table(sr_page *p, const sr_sheet *t, const char *const *ids, size_t n,
                   const char *caption)
{
    sr_page_table_where(p, t, ids, n, caption, NULL, NULL);
}

/* Whether row r of t is shown: every row, or those whose column `where` holds `is`. */
static bool shown_row(const sr_sheet *t, size_t r, int where, const char *is)
{
    if (where < 0)
        return true;
    const sr_cell *c = sr_sheet_at(t, r, (size_t)where);
    return c->kind == SR_CELL_TEXT && strcmp(c->text, is) == 0;
}

void sr_page_table_where(sr_page *p, const sr_sheet *t, const char *const *ids, size_t n,
                         const char *caption, const char *where, const char *is)
{
    const int filter = where != NULL ? sr_sheet_column(t, where) : -1;
    size_t cols[64], n_cols = 0;
    for (size_t i = 0; i < (n > 0 ? n : t->n_columns) && n_cols < 64; i++) {
        int c = n > 0 ? sr_sheet_column(t, ids[i]) : (int)i;
        if (c >= 0)
            cols[n_cols++] = (size_t)c;
    }
    /* units that every column with units shares go once, into the caption */
    const char *shared = NULL;
    size_t with_units = 0;
    bool same = true;
    for (size_t i = 0; i < n_cols; i++) {
        const char *u = t->column[cols[i]].units;
        if (u != NULL && with_units++ == 0)
            shared = u;
        else if (u != NULL)
            same = same && strcmp(u, shared) == 0;
    }
    const bool in_caption = same && with_units > 1;
    fprintf(p->out, "<table class=\"data\" data-table=\"%s\">\n", t->name);
    if (caption != NULL || in_caption) {
        fputs("<caption>", p->out);
        sr_page_text(p, caption != NULL ? caption : "");
        if (in_caption) {
            fputs(caption != NULL ? " (" : "(", p->out);
            sr_page_text(p, sr_words_units(p->lang, shared));
            fputs(")", p->out);
        }
        fputs("</caption>\n", p->out);
    }
    /* a file name after a label goes into the label's cell, in small type */
    bool beneath[64] = {false};
    for (size_t i = 1; i < n_cols; i++)
        beneath[i] = strcmp(t->column[cols[i]].id, "metric") == 0 &&
                     strcmp(t->column[cols[i - 1]].id, "label") == 0;
    fputs("<thead><tr>", p->out);
    for (size_t i = 0; i < n_cols; i++) {
        if (beneath[i])
            continue;
        fprintf(p->out, "<th%s>", numeric(t, cols[i]) ? " class=\"num\"" : "");
        heading(p, &t->column[cols[i]], !in_caption);
        fputs("</th>", p->out);
    }
    fputs("</tr></thead>\n<tbody>\n", p->out);
    char span[SR_PAGE_SLOT_BYTES];
    for (size_t r = 0; r < t->n_rows; r++) {
        if (!shown_row(t, r, filter, is))
            continue;
        fputs("<tr>", p->out);
        for (size_t i = 0; i < n_cols; i++) {
            const sr_cell *cell = sr_sheet_at(t, r, cols[i]);
            const bool units = strcmp(t->column[cols[i]].id, "units") == 0;
            if (beneath[i])
                continue;
            fprintf(p->out, "<td%s>", numeric(t, cols[i]) ? " class=\"num\"" : "");
            if (cell->kind == SR_CELL_NUMBER) {
                number_span(p, span, sizeof span, cell->value, cell->show, cell->source, false);
                fputs(span, p->out);
            } else if (cell->kind == SR_CELL_TEXT) {
                sr_page_text(p, units ? sr_words_units(p->lang, cell->text) : cell->text);
            }
            const sr_cell *name = i + 1 < n_cols && beneath[i + 1]
                                      ? sr_sheet_at(t, r, cols[i + 1])
                                      : NULL;
            if (name != NULL && name->kind == SR_CELL_TEXT) {
                fputs("<span class=\"id\">", p->out);
                sr_page_text(p, name->text);
                fputs("</span>", p->out);
            }
            fputs("</td>", p->out);
        }
        fputs("</tr>\n", p->out);
    }
    fputs("</tbody></table>\n", p->out);
}

void sr_page_table_turned(sr_page *p, const sr_sheet *t, const char *const *ids, size_t n,
                          const char *caption)
{
    int cols[64];
    size_t n_cols = 0;
    for (size_t i = 0; i < n && n_cols < 64; i++)
        if ((cols[n_cols] = sr_sheet_column(t, ids[i])) >= 0)
            n_cols++;
    if (n_cols == 0)
        return;
    char span[SR_PAGE_SLOT_BYTES];
    fprintf(p->out, "<table class=\"data\" data-table=\"%s\">\n", t->name);
    if (caption != NULL) {
        fputs("<caption>", p->out);
        sr_page_text(p, caption);
        fputs("</caption>\n", p->out);
    }
    for (size_t i = 0; i < n_cols; i++) {
        const sr_column *c = &t->column[cols[i]];
        fputs(i == 0 ? "<thead><tr><th>" : "<tr><th>", p->out);
        heading(p, c, true);
        fputs("</th>", p->out);
        for (size_t r = 0; r < t->n_rows; r++) {
            const sr_cell *cell = sr_sheet_at(t, r, (size_t)cols[i]);
            fputs(i == 0 ? "<th class=\"num\">" : "<td class=\"num\">", p->out);
            if (cell->kind == SR_CELL_NUMBER) {
                number_span(p, span, sizeof span, cell->value, cell->show, cell->source, false);
                fputs(span, p->out);
            } else if (cell->kind == SR_CELL_TEXT) {
                sr_page_text(p, cell->text);
            }
            fputs(i == 0 ? "</th>" : "</td>", p->out);
        }
        fputs(i == 0 ? "</tr></thead>\n<tbody>\n" : "</tr>\n", p->out);
    }
    fputs("</tbody></table>\n", p->out);
}

void sr_page_figure(sr_page *p, const char *title, char *id, size_t size)
{
    snprintf(id, size, "fig-%u", ++p->figures);
    fprintf(p->out, "<figure id=\"%s-figure\">\n<figcaption>", id);
    sr_page_text(p, title);
    fputs("</figcaption>\n", p->out);
}

void sr_page_figure_end(sr_page *p)
{
    fputs("</figure>\n", p->out);
}

void sr_page_heading(sr_page *p, const char *text, const char *id)
{
    fprintf(p->out, "<h2 id=\"%s\">", id);
    sr_page_text(p, text);
    fputs("</h2>\n", p->out);
}

bool sr_page_sheet(const sr_result *r, sr_sheet_id id, sr_lang lang, sr_sheet *t, int *rc,
                   sr_error *err)
{
    if (*rc != 0 || !sr_sheet_present(r, id)) {
        memset(t, 0, sizeof *t);
        return false;
    }
    *rc = sr_sheet_build(r, id, lang, t, err);
    return *rc == 0;
}

void sr_page_begin(sr_page *p, const char *title)
{
    fprintf(p->out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>",
            p->lang == SR_LANG_DA ? "da" : "en");
    sr_page_text(p, title);
    fprintf(p->out, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
}

void sr_page_end(sr_page *p)
{
    fputs("</body>\n</html>\n", p->out);
}
