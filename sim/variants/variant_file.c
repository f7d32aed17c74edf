/* Where the runs of a stress or a sweep go in their file, and the sweep's own datasets
 * (its values and its table), written with the result-set writer's generic pieces in a
 * fixed order so that the file is reproducible to the byte but for created_utc. */
#include "sim/variants/variant_file.h"

hid_t sr_variant_file_stress_parent(sr_h5_file *f, sr_error *err)
{
    return sr_h5_group_create(sr_h5_file_root(f), "stress", err);
}

/* /sweep/values (float64[k] or [k][2]) with the swept key(s) in `param` and the design,
 * and /sweep/value_text, the same values as the YAML text applied. */
static int write_sweep_values(hid_t g, const sr_sweep_result *s, sr_error *err)
{
    const int rank = s->n_keys == 1 ? 1 : 2;
    const hsize_t dims[2] = {s->k, s->n_keys};
    const sr_h5_text_attr attrs[] = {
        {"param", s->key, s->n_keys},
        {"design", &s->design, 1},
    };
    if (sr_h5_write_floats(g, "values", rank, dims, s->values, "as the swept key(s)",
                           "The value of each swept key at each point (one row per point; "
                           "a grid is row-major, the first --param outermost); NaN where a "
                           "value is not a number, see value_text.",
                           attrs, sizeof attrs / sizeof *attrs, err) != 0)
        return SR_EXIT_IOERR;
    return sr_h5_write_texts(g, "value_text", rank, dims, s->value_text, "text (YAML)",
                             "Each swept key's value at each point as applied: a YAML flow "
                             "node, set after the command line's --set.", err);
}

hid_t sr_variant_file_sweep_parent(sr_h5_file *f, const sr_sweep_result *s, sr_error *err)
{
    hid_t g = sr_h5_group_create(sr_h5_file_root(f), "sweep", err), points = H5I_INVALID_HID;
    if (g < 0)
        return H5I_INVALID_HID;
    if (write_sweep_values(g, s, err) != 0 ||
        (points = sr_h5_group_create(g, "points", err)) < 0) {
        sr_h5_abandon(g);
        return H5I_INVALID_HID;
    }
    if (sr_h5_close(g, err) != 0) {
        sr_h5_abandon(points);
        return H5I_INVALID_HID;
    }
    return points;
}

int sr_variant_file_sweep_table(sr_h5_file *f, const sr_sweep_result *s, sr_error *err)
{
    hid_t g = sr_h5_group_open(sr_h5_file_root(f), "sweep", err);
    if (g < 0)
        return SR_EXIT_IOERR;
    sr_h5_text_attr heading[SR_SWEEP_N_COLUMNS];
    sr_h5_column cols[SR_SWEEP_N_COLUMNS];
    for (size_t c = 0; c < SR_SWEEP_N_COLUMNS; c++) {
        const sr_sweep_column_info *ci = &sr_sweep_columns[c];
        heading[c] = (sr_h5_text_attr){"heading", &ci->heading, 1};
        cols[c] = (sr_h5_column){.name = ci->name, .units = ci->units,
                                 .description = ci->description,
                                 .values = s->table + c * s->k,
                                 .attrs = &heading[c], .n_attrs = 1};
    }
    if (sr_h5_write_columns(g, "table", cols, SR_SWEEP_N_COLUMNS, s->k, err) != 0) {
        sr_h5_abandon(g);
        return SR_EXIT_IOERR;
    }
    return sr_h5_close(g, err);
}
