/* The export's workbook (export.h): one sheet per table, headings in bold with their units,
 * numbers as numbers in the file's units with a format per kind (DKK grouped, shares as
 * per cent), the header row frozen and filtered. Text from the file is written as text,
 * never as a formula. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "sim/cli/export.h"
#include "sim/cli/words.h"

/* Excel's longest text in a cell, in characters; a longer text (a crafted units
 * attribute) is cut at a character's boundary within as many bytes. */
#define XLSX_MAX_TEXT 32767

/* The number format of each kind, for values in the file's units. */
static const char *const number_formats[SR_N_SHOWS] = {
    [SR_SHOW_MDKK] = "#,##0",     [SR_SHOW_DKK] = "#,##0",     [SR_SHOW_PERSONS] = "#,##0.0",
    [SR_SHOW_COUNT] = "#,##0",    [SR_SHOW_PERCENT] = "0.0%",  [SR_SHOW_MULTIPLE] = "0.00",
    [SR_SHOW_RATIO] = "0.000",    [SR_SHOW_PLAIN] = "General", [SR_SHOW_YEAR] = "0",
};

typedef struct {
    lxw_workbook *book;
    lxw_format *heading;
    lxw_format *number[SR_N_SHOWS];
    lxw_error failed;   /* the first error of libxlsxwriter, LXW_NO_ERROR while none */
} workbook;

static void note(workbook *w, lxw_error e)
{
    if (w->failed == LXW_NO_ERROR)
        w->failed = e;
}

/* Text as a cell holds it: control characters (which XML cannot hold) as '?', at most
 * XLSX_MAX_TEXT bytes cut at a character's boundary. malloc'd; NULL when out of memory. */
static char *cell_text(const char *s)
{
    size_t n = strlen(s);
    if (n > XLSX_MAX_TEXT) {
        n = XLSX_MAX_TEXT;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    char *t = strndup(s, n);
    for (char *p = t; p != NULL && *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
            *p = '?';
    return t;
}

static void write_text(workbook *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                       const char *s, lxw_format *f)
{
    char *t = cell_text(s);
    note(w, t != NULL ? worksheet_write_string(ws, r, c, t, f) : LXW_ERROR_MEMORY_MALLOC_FAILED);
    free(t);
}

static void write_heading(workbook *w, lxw_worksheet *ws, lxw_col_t c, const sr_column *col)
{
    char *text = sr_sheet_heading(col);
    if (text == NULL)
        note(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
    else
        write_text(w, ws, 0, c, text, w->heading);
    free(text);
}

static void write_sheet(workbook *w, const sr_sheet *t)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->book, t->name);
    if (ws == NULL) {
        note(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    for (size_t c = 0; c < t->n_columns; c++) {
        const char *id = t->column[c].id;
        const bool wide = strcmp(id, "label") == 0 || strcmp(id, "figure") == 0 ||
                          strcmp(id, "units") == 0 || strcmp(id, "value") == 0;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, wide ? 40 : 16, NULL);
        write_heading(w, ws, (lxw_col_t)c, &t->column[c]);
    }
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_columns; c++) {
            const sr_cell *cell = sr_sheet_at(t, r, c);
            const lxw_row_t row = (lxw_row_t)(r + 1);
            if (cell->kind == SR_CELL_TEXT)
                write_text(w, ws, row, (lxw_col_t)c, cell->text, NULL);
            else if (cell->kind == SR_CELL_NUMBER && isfinite(cell->value))
                note(w, worksheet_write_number(ws, row, (lxw_col_t)c, cell->value,
                                               w->number[cell->show]));
            else if (cell->kind == SR_CELL_NUMBER && isinf(cell->value))
                write_text(w, ws, row, (lxw_col_t)c, cell->value < 0 ? "-inf" : "inf", NULL);
            /* NaN and empty cells stay empty */
        }
    worksheet_freeze_panes(ws, 1, 0);
    if (t->n_columns > 0)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->n_rows, (lxw_col_t)(t->n_columns - 1));
}

int sr_export_xlsx(const sr_result *r, const sr_export_options *o, const char *path,
                   sr_error *err)
{
    workbook w = {.book = workbook_new(path)};
    if (w.book == NULL)
        return sr_error_set(err, SR_EXIT_IOERR, "cannot start a workbook at %s", path);
    w.heading = workbook_add_format(w.book);
    format_set_bold(w.heading);
    format_set_text_wrap(w.heading);
    format_set_align(w.heading, LXW_ALIGN_VERTICAL_TOP);
    for (int k = 0; k < SR_N_SHOWS; k++) {
        w.number[k] = workbook_add_format(w.book);
        format_set_num_format(w.number[k], number_formats[k]);
    }
    char about[1024];
    snprintf(about, sizeof about, "Written by sirisk %s from %s", SIRISK_VERSION, r->path);
    char *title = cell_text(r->scenario_name), *comments = cell_text(about);
    lxw_doc_properties props = {.title = title, .comments = comments};
    note(&w, title != NULL && comments != NULL ? workbook_set_properties(w.book, &props)
                                               : LXW_ERROR_MEMORY_MALLOC_FAILED);
    free(title);
    free(comments);

    int rc = 0;
    for (int id = 0; rc == 0 && id < SR_N_SHEETS; id++) {
        if ((o->table >= 0 && id != o->table) || !sr_sheet_present(r, (sr_sheet_id)id))
            continue;
        sr_sheet t;
        if ((rc = sr_sheet_build(r, (sr_sheet_id)id, o->lang, &t, err)) == 0) {
            write_sheet(&w, &t);
            sr_sheet_clear(&t);
        }
    }
    lxw_error closed = workbook_close(w.book);   /* writes the file, and frees the book */
    if (rc == 0 && (w.failed != LXW_NO_ERROR || closed != LXW_NO_ERROR))
        rc = sr_error_set(err, SR_EXIT_IOERR, "cannot write the workbook %s: %s", path,
                          lxw_strerror(w.failed != LXW_NO_ERROR ? w.failed : closed));
    return rc;
}
