/* Tables of columns read back (figures.h): a group's float datasets as columns, and a
 * sweep file's points (the layout of sim/variants/variant_file.c) with its table, checked
 * with h5check.h. A sweep's length is what the file holds: the rows of /sweep/values, each
 * with its group under /sweep/points. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/figures.h"
#include "sim/resultset/h5check.h"
#include "sim/variants/sweep.h"

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

/* One column: `rows` values with units and heading. A link that is not a dataset (a group,
 * or something newer) is no column. */
static int read_column(hid_t g, const char *name, const char *what, sr_fig_columns *c,
                       sr_error *err)
{
    hid_t ds;
    int rc = sr_h5check_open(g, name, &ds, err);
    if (rc != 0 || ds < 0)
        return rc;
    H5I_type_t type = H5Iget_type(ds);
    H5Oclose(ds);
    if (type != H5I_DATASET)
        return 0;
    rc = sr_h5check_vector(g, name, c->rows, what, &ds, err);
    if (rc != 0)
        return rc;
    const sr_h5_shape shape = {.rank = 1, .dims = {c->rows, 1}};
    size_t i = c->n;
    c->cell[i] = calloc(c->rows + 1, sizeof *c->cell[i]);
    c->name[i] = strdup(name);
    c->n++;   /* from here on, sr_fig_columns_clear frees what column i holds */
    if (c->cell[i] == NULL || c->name[i] == NULL) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    if ((rc = sr_h5check_read_rows(ds, &shape, 0, c->rows, c->cell[i], err)) != 0 ||
        (rc = sr_h5check_attr_text(ds, "units", SR_H5_MAX_LABEL_BYTES, &c->units[i], err)) != 0 ||
        (rc = sr_h5check_attr_text(ds, "heading", SR_H5_MAX_LABEL_BYTES, &c->heading[i],
                                   err)) != 0)
        goto done;
    if (c->heading[i] == NULL && (c->heading[i] = strdup(name)) == NULL)
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
done:
    H5Oclose(ds);
    return rc;
}

int sr_fig_read_columns(hid_t g, size_t rows, bool with_mcse, const char *what,
                        sr_fig_columns *c, sr_error *err)
{
    sr_h5_names names;
    memset(c, 0, sizeof *c);
    c->rows = rows;
    int rc = sr_h5check_names(g, SR_H5_MAX_LINKS, &names, err);
    for (size_t i = 0; rc == 0 && i < names.n && c->n < SR_FIG_MAX_COLUMNS; i++) {
        size_t len = strlen(names.name[i]);
        if (!with_mcse && len >= 5 && strcmp(names.name[i] + len - 5, "_mcse") == 0)
            continue;
        rc = read_column(g, names.name[i], what, c, err);
    }
    sr_h5_names_clear(&names);
    if (rc != 0)
        sr_fig_columns_clear(c);
    return rc;
}

void sr_fig_columns_clear(sr_fig_columns *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->cell[i]);
        free(c->name[i]);
        free(c->units[i]);
        free(c->heading[i]);
    }
    memset(c, 0, sizeof *c);
}

int sr_fig_column(const sr_fig_columns *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0)
            return (int)i;
    return -1;
}

int sr_fig_read_sweep(hid_t sg, bool with_mcse, sr_fig_sweep *s, sr_error *err)
{
    hid_t values = H5I_INVALID_HID, tg = H5I_INVALID_HID;
    sr_h5_shape shape;
    memset(s, 0, sizeof *s);
    int rc;
    if ((rc = sr_h5check_floats(sg, "values", 2, &values, &shape, err)) != 0 ||
        (rc = sr_h5check_group(sg, "table", &tg, err)) != 0)
        goto done;
    if (values < 0 || tg < 0 || (shape.rank > 0 && shape.dims[0] == 0))
        goto done;
    const hsize_t k = shape.dims[0], n_keys = shape.dims[1];
    if (shape.rank == 0 || n_keys > SR_SWEEP_MAX_KEYS) {
        rc = sr_h5check_refuse(values, NULL, err, "expected one row per point of 1 to %d "
                               "values (one per swept key), found %s [%" PRIuHSIZE " x %"
                               PRIuHSIZE "]", SR_SWEEP_MAX_KEYS,
                               shape.rank == 0 ? "a scalar" : "2-D", k, n_keys);
        goto done;
    }
    if ((rc = check_points(sg, values, k, err)) != 0)
        goto done;
    s->k = (size_t)k;
    s->n_keys = (size_t)n_keys;
    if ((s->value = calloc(s->k * s->n_keys + 1, sizeof *s->value)) == NULL) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    if ((rc = sr_h5check_read_rows(values, &shape, 0, k, s->value, err)) != 0 ||
        (rc = sr_h5check_texts(sg, "value_text", &shape, SR_H5_MAX_LABEL_BYTES, &s->value_text,
                               err)) != 0 ||
        (rc = sr_h5check_attr_texts(values, "param", SR_SWEEP_MAX_KEYS, SR_H5_MAX_LABEL_BYTES,
                                    &s->key, &s->n_key_names, err)) != 0 ||
        (rc = sr_h5check_attr_text(values, "design", SR_H5_MAX_LABEL_BYTES, &s->design,
                                   err)) != 0 ||
        (rc = sr_fig_read_columns(tg, s->k, with_mcse, "one per row of /sweep/values",
                                  &s->table, err)) != 0)
        goto done;
    s->present = true;
done:
    if (tg >= 0)
        H5Gclose(tg);
    if (values >= 0)
        H5Oclose(values);
    if (rc != 0)
        sr_fig_sweep_clear(s);
    return rc;
}

void sr_fig_sweep_clear(sr_fig_sweep *s)
{
    sr_fig_columns_clear(&s->table);
    sr_h5_texts_free(s->value_text, s->value_text != NULL ? s->k * s->n_keys : 0);
    sr_h5_texts_free(s->key, s->n_key_names);
    free(s->value);
    free(s->design);
    memset(s, 0, sizeof *s);
}
