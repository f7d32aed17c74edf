/* The generic pieces of a result file being written (h5put.h): property lists, attributes,
 * groups and datasets, each failure named. Every HDF5 call's status is checked; a failure
 * closes whatever the function opened, names the object, and travels up as
 * SR_EXIT_IOERR. One thread, outside parallel regions. */
#include "sim/resultset/h5put.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/resultset/h5util.h"

/* Datasets with more values than this are chunked and compressed; smaller ones are
 * contiguous (a chunk index would cost more than it saves). */
#define SR_H5_COMPRESS_MIN 4096
/* Values per chunk of a compressed dataset: 256 KiB of float64, a good deflate unit. */
#define SR_H5_CHUNK_VALUES 32768
#define SR_H5_DEFLATE_LEVEL 4

/* ---- property lists ------------------------------------------------------------------ */

/* Creation property lists of groups and datasets: no timestamps (reproducible files). Groups also
 * track link creation order, so that readers list metrics as written. */
static hid_t gcpl_create(void)
{
    hid_t p = H5Pcreate(H5P_GROUP_CREATE);
    if (p < 0)
        return H5I_INVALID_HID;
    if (H5Pset_obj_track_times(p, 0) < 0 ||
        H5Pset_link_creation_order(p, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
        H5Pclose(p);
        return H5I_INVALID_HID;
    }
    return p;
}

/* A dataset creation property list for a dataset of the given shape: timestamps off, and
 * chunked (along the first dimension) with shuffle and deflate when it is large. */
hid_t sr_h5_dcpl_create(int rank, const hsize_t *dims)
{
    hid_t p = H5Pcreate(H5P_DATASET_CREATE);
    if (p < 0)
        return H5I_INVALID_HID;
    if (H5Pset_obj_track_times(p, 0) < 0)
        goto fail;
    hsize_t n = 1, row = 1;
    for (int d = 0; d < rank; d++) {
        n *= dims[d];
        row *= d > 0 ? dims[d] : 1;
    }
    if (rank > 0 && n > SR_H5_COMPRESS_MIN && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
        hsize_t chunk[H5S_MAX_RANK];
        memcpy(chunk, dims, (size_t)rank * sizeof *chunk);
        chunk[0] = SR_H5_CHUNK_VALUES / row > 0 ? SR_H5_CHUNK_VALUES / row : 1;
        if (chunk[0] > dims[0])
            chunk[0] = dims[0];
        if (H5Pset_chunk(p, rank, chunk) < 0 || H5Pset_shuffle(p) < 0 ||
            H5Pset_deflate(p, SR_H5_DEFLATE_LEVEL) < 0)
            goto fail;
    }
    return p;
fail:
    H5Pclose(p);
    return H5I_INVALID_HID;
}

/* ---- attributes ---------------------------------------------------------------------- */

/* Writes attribute name on obj: rank 0 is a scalar, else dims[rank]. */
static int attr_write(hid_t obj, const char *name, hid_t file_type, hid_t mem_type,
                      int rank, const hsize_t *dims, const void *buf, sr_error *err)
{
    hid_t space = H5I_INVALID_HID, attr = H5I_INVALID_HID;
    space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims, NULL);
    if (space < 0)
        goto fail;
    attr = H5Acreate2(obj, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, mem_type, buf) < 0)
        goto fail;
    if (H5Aclose(attr) < 0) {
        attr = H5I_INVALID_HID;
        goto fail;
    }
    H5Sclose(space);
    return 0;
fail:
    sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot write attribute '%s'", name);
    if (attr >= 0)
        H5Aclose(attr);
    if (space >= 0)
        H5Sclose(space);
    return SR_EXIT_IOERR;
}

static int attr_f64(hid_t obj, const char *name, double v, sr_error *err)
{
    return attr_write(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, NULL, &v, err);
}

static int attr_i32(hid_t obj, const char *name, int32_t v, sr_error *err)
{
    return attr_write(obj, name, H5T_STD_I32LE, H5T_NATIVE_INT32, 0, NULL, &v, err);
}

int sr_h5_attr_u64(hid_t obj, const char *name, uint64_t v, sr_error *err)
{
    return attr_write(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, NULL, &v, err);
}

/* A variable-length UTF-8 string attribute (h5py reads it as str). */
int sr_h5_attr_str(hid_t obj, const char *name, const char *v, sr_error *err)
{
    hid_t t = sr_h5_str_type();
    if (t < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot make the string type of '%s'",
                          name);
    int rc = attr_write(obj, name, t, t, 0, NULL, &v, err);
    H5Tclose(t);
    return rc;
}

/* The two attributes every dataset carries. */
int sr_h5_attr_labels(hid_t obj, const char *units, const char *description, sr_error *err)
{
    int rc = sr_h5_attr_str(obj, "units", units, err);
    return rc != 0 ? rc : sr_h5_attr_str(obj, "description", description, err);
}

/* ---- groups and datasets ------------------------------------------------------------- */

/* A name given to a group or dataset must name one link: non-empty, without '/' (which
 * would nest groups) and other than "." (the group itself). */
static int check_link_name(hid_t loc, const char *name, sr_error *err)
{
    if (name == NULL || name[0] == '\0' || strchr(name, '/') != NULL || strcmp(name, ".") == 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, loc,
                          "'%s' cannot name a group or dataset (empty, '.' or containing '/')",
                          name != NULL ? name : "(null)");
    return 0;
}

hid_t sr_h5_group_create(hid_t loc, const char *name, sr_error *err)
{
    if (check_link_name(loc, name, err) != 0)
        return H5I_INVALID_HID;
    hid_t gcpl = gcpl_create();
    if (gcpl < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot make the property list of group '%s'",
                   name);
        return H5I_INVALID_HID;
    }
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (g < 0)
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot create group '%s'", name);
    H5Pclose(gcpl);
    return g;
}

hid_t sr_h5_group_open(hid_t loc, const char *path, sr_error *err)
{
    hid_t g = H5Gopen2(loc, path, H5P_DEFAULT);
    if (g < 0)
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot open group '%s'", path);
    return g;
}

int sr_h5_close(hid_t id, sr_error *err)
{
    H5I_type_t type = H5Iget_type(id);
    char name[512] = "";
    if (H5Iget_name(id, name, sizeof name) < 0)
        name[0] = '\0';
    herr_t st = type == H5I_DATASET ? H5Dclose(id) : H5Oclose(id);
    if (st < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "%s: cannot close", name);
    return 0;
}

void sr_h5_abandon(hid_t id)
{
    if (id >= 0 && H5Iis_valid(id) > 0)
        H5Oclose(id);
}

/* Creates and writes a dataset of file_type from data of mem_type (rank 0: scalar) with its
 * units and description, and returns it open for further attributes; H5I_INVALID_HID and
 * err filled on failure. dcpl is the caller's. */
static hid_t dataset_typed(hid_t loc, const char *name, hid_t file_type, hid_t mem_type,
                           int rank, const hsize_t *dims, hid_t dcpl, const void *data,
                           const char *units, const char *description, sr_error *err)
{
    if (check_link_name(loc, name, err) != 0)
        return H5I_INVALID_HID;
    hid_t space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims, NULL);
    hid_t ds = H5I_INVALID_HID;
    if (space < 0 || dcpl < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot prepare dataset '%s'", name);
        goto fail;
    }
    ds = H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (ds < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot create dataset '%s'", name);
        goto fail;
    }
    if (H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, ds, "cannot write the values");
        goto fail;
    }
    if (sr_h5_attr_labels(ds, units, description, err) != 0)
        goto fail;
    H5Sclose(space);
    return ds;
fail:
    if (ds >= 0)
        H5Dclose(ds);
    if (space >= 0)
        H5Sclose(space);
    return H5I_INVALID_HID;
}

/* A float64 dataset, chunked and compressed where large. */
static hid_t dataset_f64(hid_t loc, const char *name, int rank, const hsize_t *dims,
                         const double *data, const char *units, const char *description,
                         sr_error *err)
{
    hid_t dcpl = sr_h5_dcpl_create(rank, dims);
    hid_t ds = dataset_typed(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, rank, dims, dcpl,
                             data, units, description, err);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    return ds;
}

/* A string attribute: a scalar for one value, a 1-D array for several. */
static int attr_texts(hid_t obj, const sr_h5_text_attr *a, sr_error *err)
{
    if (a->n == 1)
        return sr_h5_attr_str(obj, a->name, a->values[0], err);
    hid_t t = sr_h5_str_type();
    if (t < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot make the string type of '%s'",
                          a->name);
    const hsize_t dims[1] = {a->n};
    int rc = attr_write(obj, a->name, t, t, 1, dims, a->values, err);
    H5Tclose(t);
    return rc;
}

hid_t sr_h5_create_floats(hid_t loc, const char *name, int rank, const hsize_t *dims,
                          const double *values, const char *units, const char *description,
                          sr_error *err)
{
    return dataset_f64(loc, name, rank, dims, values, units, description, err);
}

int sr_h5_attr_floats(hid_t obj, const char *name, int rank, const hsize_t *dims,
                      const double *values, sr_error *err)
{
    return attr_write(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, rank, dims, values, err);
}

int sr_h5_attr_int(hid_t obj, const char *name, int32_t v, sr_error *err)
{
    return attr_i32(obj, name, v, err);
}

int sr_h5_write_floats(hid_t loc, const char *name, int rank, const hsize_t *dims,
                       const double *values, const char *units, const char *description,
                       const sr_h5_text_attr *attrs, size_t n_attrs, sr_error *err)
{
    hid_t ds = dataset_f64(loc, name, rank, dims, values, units, description, err);
    if (ds < 0)
        return SR_EXIT_IOERR;
    for (size_t k = 0; k < n_attrs; k++)
        if (attr_texts(ds, &attrs[k], err) != 0) {
            H5Dclose(ds);
            return SR_EXIT_IOERR;
        }
    return sr_h5_close(ds, err);
}

int sr_h5_write_columns(hid_t loc, const char *group, const sr_h5_column *cols,
                        size_t n_cols, size_t n_rows, sr_error *err)
{
    hid_t g = sr_h5_group_create(loc, group, err);
    if (g < 0)
        return SR_EXIT_IOERR;
    const hsize_t dims[1] = {n_rows};
    for (size_t c = 0; c < n_cols; c++)
        if (sr_h5_write_floats(g, cols[c].name, 1, dims, cols[c].values, cols[c].units,
                               cols[c].description, cols[c].attrs, cols[c].n_attrs, err) != 0) {
            H5Gclose(g);
            return SR_EXIT_IOERR;
        }
    return sr_h5_close(g, err);
}

int sr_h5_write_texts(hid_t loc, const char *name, int rank, const hsize_t *dims,
                      const char *const *text, const char *units, const char *description,
                      sr_error *err)
{
    hid_t t = sr_h5_str_type();
    hid_t dcpl = sr_h5_dcpl_create(0, NULL);   /* contiguous: a handful of short strings */
    hid_t ds = t < 0 ? H5I_INVALID_HID
                     : dataset_typed(loc, name, t, t, rank, dims, dcpl, text, units,
                                     description, err);
    if (t < 0)
        sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot prepare dataset '%s'", name);
    int rc = ds >= 0 ? sr_h5_close(ds, err) : SR_EXIT_IOERR;
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

int sr_h5_attr_f64(hid_t obj, const char *name, double v, sr_error *err)
{
    return attr_f64(obj, name, v, err);
}

int sr_h5_attr_text(hid_t obj, const sr_h5_text_attr *a, sr_error *err)
{
    return attr_texts(obj, a, err);
}
