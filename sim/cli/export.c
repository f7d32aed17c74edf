/* The export's CSV files and the choice of tables (export.h); the workbook is in
 * export_xlsx.c. */
#include "sim/cli/export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/lang.h"

/* ---- CSV -------------------------------------------------------------------------------- */

/* Whether a spreadsheet would take text beginning so as a formula (OWASP's list). */
static bool formula_like(const char *s)
{
    return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

/* One field: quoted when it holds the separator, a quote or a line break (its quotes
 * doubled), with an apostrophe before a formula-like text. */
static void csv_field(FILE *out, const char *s, bool is_text, char separator)
{
    const bool guard = is_text && formula_like(s);
    const bool quote = guard || strchr(s, separator) != NULL || strpbrk(s, "\"\r\n") != NULL;
    if (quote)
        fputc('"', out);
    if (guard)
        fputc('\'', out);
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    if (quote)
        fputc('"', out);
}

int sr_export_csv(const sr_sheet *t, sr_csv_dialect dialect, FILE *out, sr_error *err)
{
    const bool danish = dialect == SR_CSV_DANISH;
    const char separator = danish ? ';' : ',';
    if (danish)
        fputs("\xef\xbb\xbf", out);   /* the byte order mark by which Excel knows UTF-8 */
    for (size_t c = 0; c < t->n_columns; c++) {
        char *heading = sr_sheet_heading(&t->column[c]);
        if (heading == NULL)
            return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        if (c > 0)
            fputc(separator, out);
        csv_field(out, heading, true, separator);
        free(heading);
    }
    fputs("\r\n", out);
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_columns; c++) {
            const sr_cell *cell = sr_sheet_at(t, r, c);
            char number[64];
            if (c > 0)
                fputc(separator, out);
            if (cell->kind == SR_CELL_TEXT)
                csv_field(out, cell->text, true, separator);
            else if (cell->kind == SR_CELL_NUMBER && !isnan(cell->value))
                csv_field(out, sr_format_exact(number, sizeof number, cell->value, danish),
                          false, separator);
        }
        fputs("\r\n", out);
    }
    if (fflush(out) != 0 || ferror(out))
        return sr_error_set(err, SR_EXIT_IOERR, "cannot write the %s table: %s", t->name,
                            strerror(errno));
    return 0;
}

/* ---- the files -------------------------------------------------------------------------- */

/* The tables the file has, for a message: "summary, decision, ...". */
static void list_present(const sr_result *r, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int id = 0; id < SR_N_SHEETS; id++)
        if (sr_sheet_present(r, (sr_sheet_id)id)) {
            size_t len = strlen(buf);
            snprintf(buf + len, size - len, "%s%s", len > 0 ? ", " : "", sr_sheet_names[id]);
        }
}

/* Writes table id of r as CSV into path. */
static int write_csv(const sr_result *r, sr_sheet_id id, const sr_export_options *o,
                     const char *path, sr_error *err)
{
    sr_sheet t;
    int rc = sr_sheet_build(r, id, o->lang, &t, err);
    if (rc != 0)
        return rc;
    FILE *out = fopen(path, "w");
    if (out == NULL) {
        rc = sr_error_set(err, SR_EXIT_IOERR, "cannot write %s: %s", path, strerror(errno));
    } else {
        rc = sr_export_csv(&t, o->dialect, out, err);
        if (fclose(out) != 0 && rc == 0)
            rc = sr_error_set(err, SR_EXIT_IOERR, "cannot write %s: %s", path, strerror(errno));
    }
    sr_sheet_clear(&t);
    return rc;
}

int sr_export_files(const char *input, const sr_export_options *o, char *const *paths,
                    sr_error *err)
{
    sr_result r;
    int rc = sr_result_read(input, &r, err);
    if (rc != 0)
        return rc;
    if (o->table >= 0 && !sr_sheet_present(&r, (sr_sheet_id)o->table)) {
        char present[512];
        list_present(&r, present, sizeof present);
        rc = sr_error_set(err, SR_EXIT_USAGE, "export: %s has no table '%s' (it has: %s)", input,
                          sr_sheet_names[o->table], present);
    } else if (o->format == SR_EXPORT_XLSX) {
        rc = sr_export_xlsx(&r, o, paths[0], err);
    } else if (o->table >= 0) {
        rc = write_csv(&r, (sr_sheet_id)o->table, o, paths[0], err);
    } else {
        for (int id = 0; rc == 0 && id < SR_N_SHEETS; id++)
            if (sr_sheet_present(&r, (sr_sheet_id)id))
                rc = write_csv(&r, (sr_sheet_id)id, o, paths[id], err);
    }
    sr_result_clear(&r);
    return rc;
}
