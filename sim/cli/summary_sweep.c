/* The sweep table of `sirisk summary`: a sweep file's points (the layout of
 * sim/variants/variant_file.c), read with the checks of h5check.h. Its length is what the
 * file holds: the rows of /sweep/values, each with its group under /sweep/points. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "sim/cli/summary_sweep.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/resultset/h5check.h"
#include "sim/variants/sweep.h"

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

#define SWEEP_MAX_COLUMNS 32
#define SWEEP_CELL 10

/* The k rows of /sweep/values are the points: /sweep/points must hold a group for each,
 * named 0 to k - 1, so that the table is as long as what the file holds. */
static int check_points(hid_t sweep, hid_t values, hsize_t k, sr_error *err)
{
    hid_t pg;
    int rc = sr_h5check_group(sweep, "points", &pg, err);
    if (rc != 0)
        return rc;
    if (pg < 0)
        return sr_h5check_refuse(values, NULL, err, "declares %" PRIuHSIZE " points, but the "
                                 "file has no /sweep/points", k);
    sr_h5_names names;
    bool *seen = NULL;
    if ((rc = sr_h5check_names(pg, SR_H5_MAX_LINKS, &names, err)) != 0)
        goto done;
    if (k > names.n) {
        rc = sr_h5check_refuse(values, NULL, err, "declares %" PRIuHSIZE " points, but "
                               "/sweep/points holds %zu", k, names.n);
        goto done;
    }
    if ((seen = calloc((size_t)k, sizeof *seen)) == NULL) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < names.n; i++) {
        const char *name = names.name[i];
        char *end;
        errno = 0;
        unsigned long long p = strtoull(name, &end, 10);
        /* only the names the writer gives: decimal digits, no sign, space or leading 0 */
        bool canonical = name[0] >= '0' && name[0] <= '9' && (name[0] != '0' || name[1] == '\0');
        if (canonical && errno == 0 && *end == '\0' && p < k)
            seen[p] = true;
    }
    for (hsize_t p = 0; rc == 0 && p < k; p++)
        if (!seen[p])
            rc = sr_h5check_refuse(pg, NULL, err, "no point %" PRIuHSIZE " of the %" PRIuHSIZE
                                   " rows of /sweep/values", p, k);
done:
    free(seen);
    sr_h5_names_clear(&names);
    H5Gclose(pg);
    return rc;
}

/* The swept key(s): the `param` attribute of /sweep/values, a string or an array of them,
 * joined by ", " into buf. */
static int sweep_keys(hid_t values, char *buf, size_t size, sr_error *err)
{
    char **keys;
    size_t n;
    buf[0] = '\0';
    int rc = sr_h5check_attr_texts(values, "param", SR_SWEEP_MAX_KEYS, SR_H5_MAX_LABEL_BYTES,
                                   &keys, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", i ? ", " : "", keys[i]);
    }
    sr_h5check_printable(buf);
    sr_h5_texts_free(keys, n);
    return rc;
}

/* The columns of the sweep table: every dataset of /sweep/table in the order written but
 * the Monte Carlo standard errors (kept in the file), at most SWEEP_MAX_COLUMNS, each k
 * values with its units and heading. */
typedef struct {
    size_t n;
    double *value[SWEEP_MAX_COLUMNS];   /* [k] */
    char *units[SWEEP_MAX_COLUMNS];     /* NULL when absent */
    char *heading[SWEEP_MAX_COLUMNS];   /* printable */
} sweep_columns;

static void sweep_columns_clear(sweep_columns *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->value[i]);
        free(c->units[i]);
        free(c->heading[i]);
    }
    c->n = 0;
}

static int read_sweep_column(hid_t tg, const char *name, hsize_t k, sweep_columns *c,
                             sr_error *err)
{
    hid_t ds;
    int rc = sr_h5check_open(tg, name, &ds, err);
    if (rc != 0 || ds < 0)
        return rc;
    H5I_type_t type = H5Iget_type(ds);
    H5Oclose(ds);
    if (type != H5I_DATASET)
        return 0;   /* a group or something newer: not a column */
    rc = sr_h5check_vector(tg, name, k, "one per row of /sweep/values", &ds, err);
    if (rc != 0)
        return rc;
    const sr_h5_shape shape = {.rank = 1, .dims = {k, 1}};
    size_t i = c->n;
    c->value[i] = calloc((size_t)k, sizeof *c->value[i]);
    if (c->value[i] == NULL) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    c->n++;   /* from here on, sweep_columns_clear frees what column i holds */
    if ((rc = sr_h5check_read_rows(ds, &shape, 0, k, c->value[i], err)) != 0 ||
        (rc = sr_h5check_attr_text(ds, "units", SR_H5_MAX_LABEL_BYTES, &c->units[i], err)) != 0 ||
        (rc = sr_h5check_attr_text(ds, "heading", SR_H5_MAX_LABEL_BYTES, &c->heading[i],
                                   err)) != 0)
        goto done;
    if (c->heading[i] == NULL && (c->heading[i] = strdup(name)) == NULL) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    sr_h5check_printable(c->heading[i]);
done:
    H5Oclose(ds);
    return rc;
}

static int read_sweep_columns(hid_t tg, hsize_t k, sweep_columns *c, sr_error *err)
{
    sr_h5_names names;
    int rc = sr_h5check_names(tg, SR_H5_MAX_LINKS, &names, err);
    for (size_t i = 0; rc == 0 && i < names.n && c->n < SWEEP_MAX_COLUMNS; i++) {
        size_t len = strlen(names.name[i]);
        if (len >= 5 && strcmp(names.name[i] + len - 5, "_mcse") == 0)
            continue;
        rc = read_sweep_column(tg, names.name[i], k, c, err);
    }
    sr_h5_names_clear(&names);
    return rc;
}

int sr_h5_print_sweep(hid_t sg, FILE *out, sr_error *err)
{
    hid_t values = H5I_INVALID_HID, tg = H5I_INVALID_HID;
    sr_h5_shape shape;
    char **text = NULL, *design = NULL;
    sweep_columns cols = {0};
    int rc;
    if ((rc = sr_h5check_floats(sg, "values", 2, &values, &shape, err)) != 0 ||
        (rc = sr_h5check_group(sg, "table", &tg, err)) != 0)
        goto done;
    if (values < 0 || tg < 0 || (shape.rank > 0 && shape.dims[0] == 0)) {
        fprintf(out, "\nsweep\n  (no sweep table)\n");
        goto done;
    }
    const hsize_t k = shape.dims[0], n_keys = shape.dims[1];
    if (shape.rank == 0 || n_keys > SR_SWEEP_MAX_KEYS) {
        rc = sr_h5check_refuse(values, NULL, err, "expected one row per point of 1 to %d "
                               "values (one per swept key), found %s [%" PRIuHSIZE " x %"
                               PRIuHSIZE "]", SR_SWEEP_MAX_KEYS,
                               shape.rank == 0 ? "a scalar" : "2-D", k, n_keys);
        goto done;
    }
    char keys[1024];
    if ((rc = check_points(sg, values, k, err)) != 0 ||
        (rc = sr_h5check_texts(sg, "value_text", &shape, SR_H5_MAX_LABEL_BYTES, &text,
                               err)) != 0 ||
        (rc = sweep_keys(values, keys, sizeof keys, err)) != 0 ||
        (rc = sr_h5check_attr_text(values, "design", SR_H5_MAX_LABEL_BYTES, &design, err)) != 0 ||
        (rc = read_sweep_columns(tg, k, &cols, err)) != 0)
        goto done;
    for (size_t i = 0; text != NULL && i < k * n_keys; i++)
        sr_h5check_printable(text[i]);
    if (design != NULL)
        sr_h5check_printable(design);
    fprintf(out, "\nsweep over %s (%s, %" PRIuHSIZE " points, all on the same random numbers; "
                 "per participant in DKK, net in mDKK)\n",
            keys, design != NULL ? design : "points", k);

    /* the value column is as wide as its widest entry */
    size_t width = strlen("value");
    char cell[256];
    for (size_t i = 0; text != NULL && i < k; i++) {
        size_t w = 0;
        for (size_t j = 0; j < n_keys; j++)
            w += strlen(text[i * n_keys + j]) + (j ? 2 : 0);
        width = w > width ? w : width;
    }
    width = width > 40 ? 40 : width;
    fprintf(out, "  %5s  %-*s", "point", (int)width, n_keys > 1 ? "values" : "value");
    for (size_t c = 0; c < cols.n; c++)
        fprintf(out, " %*.*s", SWEEP_CELL, SWEEP_CELL, cols.heading[c]);
    fputc('\n', out);
    for (size_t i = 0; i < k; i++) {
        cell[0] = '\0';
        for (size_t j = 0; j < n_keys; j++) {
            size_t len = strlen(cell);
            snprintf(cell + len, sizeof cell - len, "%s%s", j ? ", " : "",
                     text != NULL ? text[i * n_keys + j] : "?");
        }
        fprintf(out, "  %5zu  %-*.*s", i, (int)width, (int)width, cell);
        for (size_t c = 0; c < cols.n; c++) {
            format_sweep_cell(cell, sizeof cell, cols.value[c][i], cols.units[c]);
            fprintf(out, " %*s", SWEEP_CELL, cell);
        }
        fputc('\n', out);
    }
    fprintf(out, "The root of the file holds point 0; every point's full result set is under "
                 "/sweep/points/<point>/ (sirisk summary prints this table only).\n");
done:
    sweep_columns_clear(&cols);
    sr_h5_texts_free(text, text != NULL ? (size_t)(shape.dims[0] * shape.dims[1]) : 0);
    free(design);
    if (tg >= 0)
        H5Gclose(tg);
    if (values >= 0)
        H5Oclose(values);
    return rc;
}
