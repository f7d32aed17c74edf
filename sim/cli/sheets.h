/* The tables of a result set, built once from its figures (figures.h) for every reader:
 * the export writes each as a sheet or a CSV file, the report shows them under its charts.
 * A table is rows of cells under named columns; a number stays in the file's units (DKK,
 * shares) with the kind it is shown as, and where it comes from in the file. Headings and
 * labels are in the table's language (lang_words.c); column names and table names are
 * fixed English identifiers, the same in every language, for programs that read them. */
#ifndef SR_SHEETS_H
#define SR_SHEETS_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/base/error.h"
#include "sim/cli/lang.h"
#include "sim/cli/result.h"

typedef enum { SR_CELL_EMPTY, SR_CELL_TEXT, SR_CELL_NUMBER } sr_cell_kind;

typedef struct {
    sr_cell_kind kind;
    char *text;       /* TEXT: malloc'd */
    double value;     /* NUMBER: in the file's units */
    sr_show show;     /* NUMBER: how it is shown */
    char *source;     /* NUMBER: where the file holds it (below), malloc'd; NULL: nowhere
                       * one expression can name */
} sr_cell;

/* Where a number comes from, as the report writes it beside the number (data-src) for a
 * reader to check against the file:
 *   /summary/savings_total#q05           an attribute of an object
 *   /deterministic/payments              a scalar dataset
 *   /sweep/table/power[3]  /annual/x[2,4]    an element of a dataset
 *   A - B,  A + B + C                    a difference or a sum of such terms
 *   positive /trials/guarantor_paid      the share of a dataset's values above 0
 *   unfounded /programmes/p              the share of a level's trials that pay while the
 *                                        payer's savings are <= 0 (docs/results.md) */

typedef struct {
    const char *id;   /* fixed identifier: "mean", "q05", "metric" */
    char *heading;    /* in the table's language, without units */
    char *units;      /* the file's units of every number in the column; NULL when the
                       * column has none or a column "units" gives them row by row */
} sr_column;

typedef struct {
    const char *name; /* fixed identifier: the sheet's name and the CSV file's suffix */
    char *title;      /* in the table's language */
    size_t n_columns, n_rows, capacity;   /* capacity: rows allocated */
    sr_column *column;
    sr_cell *cell;    /* [n_rows][n_columns] */
} sr_sheet;

void sr_sheet_clear(sr_sheet *t);

/* A column's heading with its units, as a spreadsheet heads it: "mean [DKK (present value
 * at the public rate)]"; malloc'd, NULL when out of memory. */
char *sr_sheet_heading(const sr_column *c);

/* The cell at row r, column c. */
static inline const sr_cell *sr_sheet_at(const sr_sheet *t, size_t r, size_t c)
{
    return &t->cell[r * t->n_columns + c];
}

/* The column of that id, or -1. */
int sr_sheet_column(const sr_sheet *t, const char *id);

/* ---- the tables ------------------------------------------------------------------------- */

/* The tables a result set has, in the order they are exported; a table that would be empty
 * (no contract, one programme, no stress, no sweep) is not listed. */
typedef enum {
    SR_SHEET_SUMMARY,          /* the portfolio: every metric, every statistic */
    SR_SHEET_DECISION,         /* the paying budget's net results */
    SR_SHEET_RISK_TRANSFER,    /* what paying by results costs and risks */
    SR_SHEET_INVESTORS,        /* the investors' returns, guarantee and cap */
    SR_SHEET_BUDGET,           /* the paying budget year by year (result-set format 2) */
    SR_SHEET_BUDGET_YEARS,     /* every yearly flow's quantiles, portfolio and programmes */
    SR_SHEET_PROGRAMMES,       /* every metric of every programme */
    SR_SHEET_DIVERSIFICATION,  /* the portfolio's tails against the sum of the programmes' */
    SR_SHEET_STRESSES,         /* each stress against the base */
    SR_SHEET_SWEEP,            /* the sweep table */
    SR_SHEET_PROVENANCE,       /* how the file was made */
    SR_N_SHEETS
} sr_sheet_id;

extern const char *const sr_sheet_names[SR_N_SHEETS];

/* Whether r has table id. */
bool sr_sheet_present(const sr_result *r, sr_sheet_id id);

/* Builds table id of r in lang into t. Returns 0 or SR_EXIT_SOFTWARE (out of memory). */
int sr_sheet_build(const sr_result *r, sr_sheet_id id, sr_lang lang, sr_sheet *t,
                   sr_error *err);

/* The quantiles of one yearly dataset as a fan chart draws them: a row per quantile (5, 25,
 * 50, 75 and 95%), a column per year; titled `title`. Where the file holds them: source
 * followed by "[year, level]" ("/annual/payments", "/yearly/x#quantile_values", or
 * "cumulative /yearly/x" for quantiles computed from a yearly dataset's trials). */
int sr_sheet_annual(const sr_fig_annual *a, const char *source, const char *title,
                    sr_lang lang, sr_sheet *t, sr_error *err);

/* The programmes side by side: per programme, its key figures (savings, cost, payments,
 * net results, investors' P(loss)). */
int sr_sheet_programme_overview(const sr_result *r, sr_lang lang, sr_sheet *t,
                                sr_error *err);

#endif
