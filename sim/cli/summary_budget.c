/* The budget-year table (summary_budget.h), read from a level's `budget` group (through
 * the figures every report reads, figures.h): one row per calendar year and one for what
 * falls after the horizon, then the years in which trials pay back and the share that
 * never does. */
#include "sim/cli/summary_budget.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/figures.h"
#include "sim/resultset/h5check.h"

/* The columns of the budget group that the printed table shows, in its order: the year,
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

int sr_print_budget_years(hid_t level, FILE *out, sr_error *err)
{
    sr_fig_budget b;
    int rc = sr_fig_read_budget(level, &b, err);
    if (rc != 0 || !b.present)
        return rc;
    double *col[N_COLS];
    bool all = true;
    for (size_t c = 0; c < N_COLS; c++) {
        const int k = sr_fig_column(&b.table, column_names[c]);
        col[c] = k >= 0 ? b.table.cell[k] : NULL;
        all = all && k >= 0;
    }
    char payer[128] = "";
    if (b.payer != NULL) {
        snprintf(payer, sizeof payer, "%s", b.payer);
        sr_h5check_printable(payer);
    }
    if (all)
        print_table(out, payer, col, b.table.rows);
    sr_fig_budget_clear(&b);
    return 0;
}
