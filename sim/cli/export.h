/* `sirisk export`: a result set's tables (sheets.h) as an Excel workbook (libxlsxwriter) or
 * as CSV files, one per table. Numbers are the file's own (DKK, shares: never rounded,
 * never scaled), each written so that it reads back as the same double; the workbook gives
 * them number formats and the headings their units. */
#ifndef SR_EXPORT_H
#define SR_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/base/error.h"
#include "sim/cli/sheets.h"

typedef enum { SR_EXPORT_XLSX, SR_EXPORT_CSV } sr_export_format;

/* CSV dialects: RFC 4180 (',' between fields, '.' in numbers), or what a Danish Excel
 * opens as it is (';' between fields, ',' in numbers, a UTF-8 byte order mark). Both end
 * records with CRLF and quote a field that holds the separator, a quote or a line break. */
typedef enum { SR_CSV_RFC4180, SR_CSV_DANISH } sr_csv_dialect;

typedef struct {
    sr_export_format format;
    sr_csv_dialect dialect;
    sr_lang lang;
    int table;        /* one table (sr_sheet_id), or -1 for every table the file has */
} sr_export_options;

/* Writes table t as CSV to out. A text cell that a spreadsheet would read as a formula
 * (it starts with '=', '+', '-', '@', a tab or a carriage return) is written with a
 * leading apostrophe, so that it stays text. An empty cell or NaN is an empty field. */
int sr_export_csv(const sr_sheet *t, sr_csv_dialect dialect, FILE *out, sr_error *err);

/* Writes the tables of r that o asks for as a workbook at path, one sheet per table (its
 * name), with the provenance in the workbook's properties. */
int sr_export_xlsx(const sr_result *r, const sr_export_options *o, const char *path,
                   sr_error *err);

/* The export of the result file input, run where the file is read (a reader process):
 * for xlsx, the workbook into paths[0]; for CSV, table i (sr_sheet_id order, or the one
 * table asked for, at paths[0]) into paths[i]; a table the file does not have leaves its
 * file empty. A table asked for that the file does not have is a usage error naming the
 * tables it has. */
int sr_export_files(const char *input, const sr_export_options *o, char *const *paths,
                    sr_error *err);

#endif
