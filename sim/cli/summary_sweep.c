/* The sweep table of `sirisk summary`: a sweep file's points as figures.h reads them, one
 * row per point. */

#include "sim/cli/summary_sweep.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/figures.h"
#include "sim/resultset/h5check.h"

/* A cell of the sweep table, formatted by the column's units. */
static void format_sweep_cell(char *buf, size_t size, double v, const char *units)
{
    if (isnan(v))
        snprintf(buf, size, "NaN");
    else if (units != NULL && strncmp(units, "DKK per", 7) == 0)
        snprintf(buf, size, "%.0f", v);
    else if (units != NULL && strncmp(units, "DKK", 3) == 0)
        snprintf(buf, size, "%.2f", v / 1e6);
    else if (units != NULL && strcmp(units, "persons") == 0)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.4g", v);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
}

#define SWEEP_CELL 10

int sr_h5_print_sweep(hid_t sg, FILE *out, sr_error *err)
{
    sr_fig_sweep sw;
    int rc = sr_fig_read_sweep(sg, false, &sw, err);
    if (rc != 0)
        return rc;
    if (!sw.present) {
        fprintf(out, "\nsweep\n  (no sweep table)\n");
        return 0;
    }
    const size_t k = sw.k, n_keys = sw.n_keys;
    char keys[1024] = "";
    for (size_t i = 0; i < sw.n_key_names; i++) {
        size_t len = strlen(keys);
        snprintf(keys + len, sizeof keys - len, "%s%s", i ? ", " : "", sw.key[i]);
    }
    sr_h5check_printable(keys);
    for (size_t i = 0; sw.value_text != NULL && i < k * n_keys; i++)
        sr_h5check_printable(sw.value_text[i]);
    if (sw.design != NULL)
        sr_h5check_printable(sw.design);
    for (size_t c = 0; c < sw.table.n; c++)
        sr_h5check_printable(sw.table.heading[c]);
    fprintf(out, "\nsweep over %s (%s, %zu points, all on the same random numbers; "
                 "per participant in DKK, net in mDKK)\n",
            keys, sw.design != NULL ? sw.design : "points", k);

    /* the value column is as wide as its widest entry */
    size_t width = strlen("value");
    char cell[256];
    for (size_t i = 0; sw.value_text != NULL && i < k; i++) {
        size_t w = 0;
        for (size_t j = 0; j < n_keys; j++)
            w += strlen(sw.value_text[i * n_keys + j]) + (j ? 2 : 0);
        width = w > width ? w : width;
    }
    width = width > 40 ? 40 : width;
    fprintf(out, "  %5s  %-*s", "point", (int)width, n_keys > 1 ? "values" : "value");
    for (size_t c = 0; c < sw.table.n; c++)
        fprintf(out, " %*.*s", SWEEP_CELL, SWEEP_CELL, sw.table.heading[c]);
    fputc('\n', out);
    for (size_t i = 0; i < k; i++) {
        cell[0] = '\0';
        for (size_t j = 0; j < n_keys; j++) {
            size_t len = strlen(cell);
            snprintf(cell + len, sizeof cell - len, "%s%s", j ? ", " : "",
                     sw.value_text != NULL ? sw.value_text[i * n_keys + j] : "?");
        }
        fprintf(out, "  %5zu  %-*.*s", i, (int)width, (int)width, cell);
        for (size_t c = 0; c < sw.table.n; c++) {
            format_sweep_cell(cell, sizeof cell, sw.table.cell[c][i], sw.table.units[c]);
            fprintf(out, " %*s", SWEEP_CELL, cell);
        }
        fputc('\n', out);
    }
    fprintf(out, "The root of the file holds point 0; every point's full result set is under "
                 "/sweep/points/<point>/ (sirisk summary prints this table only).\n");
    sr_fig_sweep_clear(&sw);
    return 0;
}
