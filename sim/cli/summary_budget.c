/* The budget-year table (summary_budget.h), read from a level's `budget` group: one row
 * per calendar year and one for what falls after the horizon, then the years in which
 * trials pay back and the share that never does. */
#include "sim/cli/summary_budget.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/resultset/h5check.h"

/* The columns of the budget table that the printed table shows, in its order: the year,
 * then five statistics of each net result, then the two payback shares. */
enum { COL_YEAR, COL_SELFFUND, COL_SIB = COL_SELFFUND + 5, COL_PAYBACK = COL_SIB + 5, N_COLS = COL_PAYBACK + 2 };

static const char *const column_names[N_COLS] = {
    "year",
    "payer_net_selffund_mean", "payer_net_selffund_q05", "payer_net_selffund_q95",
    "payer_net_selffund_p_negative", "payer_net_selffund_cumulative_mean",
    "payer_net_sib_mean", "payer_net_sib_q05", "payer_net_sib_q95",
    "payer_net_sib_p_negative", "payer_net_sib_cumulative_mean",
    "payback_share_selffund", "payback_share_sib",
};

int sr_budget_payer(hid_t level, char *buf, size_t size, sr_error *err)
{
    hid_t ds;
    char *payer = NULL;
    buf[0] = '\0';
    int rc = sr_h5check_open(level, "budget", &ds, err);
    if (rc != 0 || ds < 0)
        return rc;
    if (H5Iget_type(ds) == H5I_DATASET)
        rc = sr_h5check_attr_text(ds, "payer", SR_H5_MAX_LABEL_BYTES, &payer, err);
    if (rc == 0 && payer != NULL) {
        snprintf(buf, size, "%s", payer);
        sr_h5check_printable(buf);
    }
    free(payer);
    H5Oclose(ds);
    return rc;
}

/* Millions with 2 decimals, no "-0.00". */
static void cell(char *buf, size_t size, double dkk)
{
    snprintf(buf, size, "%.2f", dkk / 1e6);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
}

/* One net result's five cells of row y. */
static void print_net(FILE *out, double *const *col, size_t first, size_t y)
{
    char mean[32], q05[32], q95[32], cumulative[32];
    cell(mean, sizeof mean, col[first][y]);
    cell(q05, sizeof q05, col[first + 1][y]);
    cell(q95, sizeof q95, col[first + 2][y]);
    cell(cumulative, sizeof cumulative, col[first + 4][y]);
    fprintf(out, " %9s %8s %8s %6.3f %9s", mean, q05, q95, col[first + 3][y], cumulative);
}

static void print_table(FILE *out, const char *payer, double *const *col, size_t n)
{
    fprintf(out, "\nbudget years (the paying budget: the %s; nominal mDKK in each calendar "
                 "year; q05, q95: quantiles over trials; cum.: mean cumulative net)\n",
            payer[0] ? payer : "contracts' payer");
    fprintf(out, "  %-5s %-46s%s\n", "", "fund it itself: savings - programme cost",
            "pay by results: savings - payments");
    fprintf(out, "  %-5s", "year");
    for (size_t k = 0; k < 2; k++)
        fprintf(out, " %9s %8s %8s %6s %9s%s", "mean", "q05", "q95", "P(<0)", "cum.",
                k == 0 ? " " : "\n");
    for (size_t y = 0; y < n; y++) {
        if (y + 1 < n)
            fprintf(out, "  %-5.0f", col[COL_YEAR][y]);
        else
            fprintf(out, "  %-5s", "after");
        print_net(out, col, COL_SELFFUND, y);
        fputc(' ', out);
        print_net(out, col, COL_SIB, y);
        fputs(y + 1 < n ? "\n" : "   (settlements after the horizon)\n", out);
    }
    fprintf(out, "payback year (the first year from which the cumulative net stays >= 0 to "
                 "the horizon's end; share of trials)\n");
    fprintf(out, "  %-5s %16s %16s\n", "year", "fund it itself", "pay by results");
    for (size_t y = 0; y < n; y++) {
        const double a = col[COL_PAYBACK][y], b = col[COL_PAYBACK + 1][y];
        if (y + 1 < n && a == 0.0 && b == 0.0)
            continue;   /* years in which no trial pays back */
        if (y + 1 < n)
            fprintf(out, "  %-5.0f %16.3f %16.3f\n", col[COL_YEAR][y], a, b);
        else
            fprintf(out, "  %-5s %16.3f %16.3f\n", "never", a, b);
    }
}

/* The budget table of level: its rows into *values (malloc'd, row-major) and the position
 * of each of column_names among its columns into at[]; *n_rows 0 when the level has no
 * table or a column is missing. */
static int read_table(hid_t level, double **values, size_t *n_rows, size_t at[N_COLS],
                      size_t *width, sr_error *err)
{
    hid_t ds;
    sr_h5_shape shape;
    char **names = NULL;
    size_t n_names = 0;
    *values = NULL;
    *n_rows = 0;
    int rc = sr_h5check_floats(level, "budget", 2, &ds, &shape, err);
    if (rc != 0 || ds < 0)
        return rc;
    if (shape.rank != 2 || shape.dims[0] < 2 || shape.dims[0] > SR_BUDGET_MAX_ROWS ||
        shape.dims[1] < N_COLS || shape.dims[1] > 4 * N_COLS) {
        rc = sr_h5check_refuse(ds, NULL, err, "expected 2 to %d rows of %d to %d columns",
                               SR_BUDGET_MAX_ROWS, N_COLS, 4 * N_COLS);
        goto done;
    }
    if ((rc = sr_h5check_attr_texts(ds, "columns", shape.dims[1], SR_H5_MAX_NAME_BYTES, &names,
                                    &n_names, err)) != 0)
        goto done;
    if (n_names != shape.dims[1]) {
        rc = sr_h5check_refuse(ds, "columns", err, "expected %zu names, one a column",
                               (size_t)shape.dims[1]);
        goto done;
    }
    for (size_t c = 0; c < N_COLS; c++) {
        at[c] = n_names;
        for (size_t k = 0; k < n_names && at[c] == n_names; k++)
            if (strcmp(names[k], column_names[c]) == 0)
                at[c] = k;
        if (at[c] == n_names)
            goto done;   /* a table of another layout: not printed */
    }
    *width = n_names;
    if ((*values = malloc((size_t)shape.dims[0] * n_names * sizeof **values)) == NULL) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    if ((rc = sr_h5check_read_rows(ds, &shape, 0, shape.dims[0], *values, err)) == 0)
        *n_rows = (size_t)shape.dims[0];
done:
    sr_h5_texts_free(names, n_names);
    H5Oclose(ds);
    return rc;
}

int sr_print_budget_years(hid_t level, FILE *out, sr_error *err)
{
    double *values;
    size_t n, at[N_COLS], width = 0;
    int rc = read_table(level, &values, &n, at, &width, err);
    double *col[N_COLS] = {0};
    for (size_t c = 0; rc == 0 && n > 0 && c < N_COLS; c++) {
        if ((col[c] = malloc(n * sizeof *col[c])) == NULL) {
            rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
            break;
        }
        for (size_t y = 0; y < n; y++)
            col[c][y] = values[y * width + at[c]];
    }
    char payer[256];
    if (rc == 0 && n > 0 && (rc = sr_budget_payer(level, payer, sizeof payer, err)) == 0)
        print_table(out, payer, col, n);
    for (size_t c = 0; c < N_COLS; c++)
        free(col[c]);
    free(values);
    return rc;
}
