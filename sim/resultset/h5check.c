/* Checked reading of result sets: why each check is there.
 *
 * A result file may come from anywhere, so nothing it declares is trusted before it is
 * compared with something that costs the file bytes: a size is bounded by sirisk's limits,
 * and declared values by the storage the file holds for them (HDF5 fills what a file
 * declares but never stored, so a few kilobytes can otherwise declare gigabytes). Values
 * are read into buffers sized by the checked shape, never by a type's say-so, and strings
 * one at a time (variable-length strings in HDF5's heap can share one stored copy, so n of
 * them can hold n times the file).
 *
 * Every failure closes what the function opened and leaves HDF5's error stack clear. */
#include "sim/resultset/h5check.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/resultset/h5util.h"

/* ---- messages -------------------------------------------------------------------------- */

enum { PATH_MAX_BYTES = 1024 };   /* an object's path as shown in a message */

void sr_h5check_printable(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            *p = '?';
        } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            p[0] = p[1] = '?';   /* C1 controls (U+0080 to U+009F) */
            p++;
        } else if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
                                    (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9))) {
            p[0] = p[1] = p[2] = '?';   /* bidirectional overrides and isolates */
            p += 2;
        }
    }
}

/* The path of link name in loc ("/summary" and "mean" give "/summary/mean"), for a message
 * about an object that may not open. */
static void link_path(hid_t loc, const char *name, char *buf, size_t size)
{
    char base[PATH_MAX_BYTES] = "";
    if (H5Iget_name(loc, base, sizeof base) <= 0)
        base[0] = '\0';
    size_t n = strlen(base);
    if (snprintf(buf, size, "%s%s%s", base, n > 0 && base[n - 1] == '/' ? "" : "/", name) >=
        (int)size)
        memcpy(buf + size - 4, "...", 4);   /* a long path, cut for the message */
}

static int vrefuse(const char *path, const char *attr, sr_error *err, const char *fmt,
                   va_list ap)
{
    char what[SR_ERROR_MSG_MAX], shown[PATH_MAX_BYTES];
    vsnprintf(what, sizeof what, fmt, ap);
    snprintf(shown, sizeof shown, "%s", path);
    sr_h5check_printable(shown);
    sr_h5check_printable(what);
    H5Eclear2(H5E_DEFAULT);
    if (attr != NULL)
        return sr_error_set(err, SR_EXIT_IOERR, "%s attribute \"%s\": %s", shown, attr, what);
    return sr_error_set(err, SR_EXIT_IOERR, "%s: %s", shown, what);
}

int sr_h5check_refuse(hid_t obj, const char *attr, sr_error *err, const char *fmt, ...)
{
    char path[PATH_MAX_BYTES] = "";
    if (H5Iget_name(obj, path, sizeof path) <= 0)
        snprintf(path, sizeof path, "(unnamed object)");
    va_list ap;
    va_start(ap, fmt);
    vrefuse(path, attr, err, fmt, ap);
    va_end(ap);
    return SR_EXIT_IOERR;
}

/* Refuses link name of loc (an object that may not have opened). */
static int refuse_link(hid_t loc, const char *name, sr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int refuse_link(hid_t loc, const char *name, sr_error *err, const char *fmt, ...)
{
    char path[PATH_MAX_BYTES];
    link_path(loc, name, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vrefuse(path, NULL, err, fmt, ap);
    va_end(ap);
    return SR_EXIT_IOERR;
}

static int out_of_memory(sr_error *err, const char *what)
{
    return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory reading %s", what);
}

/* What a type holds, in words: "a 64-bit float", "a variable-length string". */
static void describe_type(hid_t type, char *buf, size_t size)
{
    size_t bits = 8 * H5Tget_size(type);
    switch (H5Tget_class(type)) {
    case H5T_INTEGER:
        snprintf(buf, size, "a %zu-bit integer", bits);
        break;
    case H5T_FLOAT:
        snprintf(buf, size, "a %zu-bit float", bits);
        break;
    case H5T_STRING:
        snprintf(buf, size, "a %s string",
                 H5Tis_variable_str(type) > 0 ? "variable-length" : "fixed-length");
        break;
    case H5T_COMPOUND:
        snprintf(buf, size, "a compound value");
        break;
    case H5T_ENUM:
        snprintf(buf, size, "an enumeration");
        break;
    case H5T_ARRAY:
        snprintf(buf, size, "an array type");
        break;
    case H5T_VLEN:
        snprintf(buf, size, "a variable-length sequence");
        break;
    case H5T_REFERENCE:
        snprintf(buf, size, "a reference");
        break;
    default:
        snprintf(buf, size, "a value of another class (bitfield, opaque or time)");
        break;
    }
    H5Eclear2(H5E_DEFAULT);
}

/* A dataspace's shape in words: "a scalar", "1-D [3]", "2-D [8589934592 x 2147483648]". */
static void describe_space(hid_t space, char *buf, size_t size)
{
    H5S_class_t cls = H5Sget_simple_extent_type(space);
    int rank = H5Sget_simple_extent_ndims(space);
    hsize_t dims[H5S_MAX_RANK];
    if (cls == H5S_SCALAR) {
        snprintf(buf, size, "a scalar");
    } else if (cls != H5S_SIMPLE || rank < 1 || H5Sget_simple_extent_dims(space, dims, NULL) < 0) {
        snprintf(buf, size, "no value (an empty dataspace)");
    } else {
        size_t len = (size_t)snprintf(buf, size, "%d-D [", rank);
        for (int d = 0; d < rank && len < size; d++)
            len += (size_t)snprintf(buf + len, size - len, "%s%" PRIuHSIZE, d ? " x " : "",
                                    dims[d]);
        if (len < size)
            snprintf(buf + len, size - len, "]");
    }
    H5Eclear2(H5E_DEFAULT);
}

/* Elements of a dataspace: 1 for a scalar, 0 for an empty one; -1 when the product of its
 * extents does not fit in 64 bits. */
static int64_t count_elements(hid_t space, int *rank, hsize_t dims[H5S_MAX_RANK])
{
    H5S_class_t cls = H5Sget_simple_extent_type(space);
    *rank = 0;
    if (cls == H5S_SCALAR)
        return 1;
    if (cls != H5S_SIMPLE)
        return 0;
    *rank = H5Sget_simple_extent_ndims(space);
    if (*rank < 1 || H5Sget_simple_extent_dims(space, dims, NULL) < 0) {
        *rank = 0;
        return 0;
    }
    uint64_t n = 1;
    for (int d = 0; d < *rank; d++)
        if (__builtin_mul_overflow(n, (uint64_t)dims[d], &n) || n > INT64_MAX)
            return -1;
    return (int64_t)n;
}

/* "3 elements", "no value (an empty dataspace)", or the shape when too many to count. */
static void describe_count(hid_t space, char *buf, size_t size)
{
    int rank;
    hsize_t dims[H5S_MAX_RANK];
    int64_t n = count_elements(space, &rank, dims);
    if (n > 0)
        snprintf(buf, size, "%" PRId64 " elements", n);
    else
        describe_space(space, buf, size);
}

/* ---- links ------------------------------------------------------------------------------ */

/* Opens the object that link name of loc names: 0 with *obj (H5I_INVALID_HID when there is
 * no such link). Soft and external links are refused: an external link would open another
 * file, and sirisk writes hard links only. */
static int open_link(hid_t loc, const char *name, hid_t *obj, sr_error *err)
{
    *obj = H5I_INVALID_HID;
    if (name[0] == '\0' || strchr(name, '/') != NULL || strcmp(name, ".") == 0)
        return refuse_link(loc, name, err, "not a link name");
    htri_t exists = H5Lexists(loc, name, H5P_DEFAULT);
    if (exists < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot look up '%s'", name);
    if (exists == 0)
        return 0;
    H5L_info_t info;
    if (H5Lget_info(loc, name, &info, H5P_DEFAULT) < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot read link '%s'", name);
    if (info.type != H5L_TYPE_HARD)
        return refuse_link(loc, name, err, "%s, which sirisk does not follow (it writes "
                           "hard links only)",
                           info.type == H5L_TYPE_SOFT ? "a soft link" : "an external link");
    *obj = H5Oopen(loc, name, H5P_DEFAULT);
    if (*obj < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, loc, "cannot open '%s'", name);
    return 0;
}

int sr_h5check_open(hid_t loc, const char *name, hid_t *obj, sr_error *err)
{
    return open_link(loc, name, obj, err);
}

/* Opens link name of loc as an object of the given type (H5I_GROUP or H5I_DATASET). */
static int open_typed(hid_t loc, const char *name, H5I_type_t want, hid_t *obj, sr_error *err)
{
    int rc = open_link(loc, name, obj, err);
    if (rc != 0 || *obj < 0)
        return rc;
    H5I_type_t type = H5Iget_type(*obj);
    if (type == want)
        return 0;
    H5Oclose(*obj);
    *obj = H5I_INVALID_HID;
    return refuse_link(loc, name, err, "expected a %s, found a %s",
                       want == H5I_GROUP ? "group" : "dataset",
                       type == H5I_GROUP     ? "group"
                       : type == H5I_DATASET ? "dataset"
                                             : "named datatype");
}

int sr_h5check_group(hid_t loc, const char *name, hid_t *g, sr_error *err)
{
    return open_typed(loc, name, H5I_GROUP, g, err);
}

/* How to list g's links: in creation order where recorded, by name otherwise (files from
 * other tools). */
static H5_index_t link_order(hid_t g)
{
    unsigned flags = 0;
    hid_t gcpl = H5Gget_create_plist(g);
    if (gcpl >= 0) {
        if (H5Pget_link_creation_order(gcpl, &flags) < 0)
            flags = 0;
        H5Pclose(gcpl);
    }
    H5Eclear2(H5E_DEFAULT);
    return flags & H5P_CRT_ORDER_TRACKED ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
}

/* H5Literate state: the names so far, and why the listing stopped early. */
typedef struct {
    sr_h5_names *names;
    size_t max, capacity;
    size_t long_name;   /* bytes of a name over the limit, 0 if none */
    bool too_many, no_memory;
} listing;

static herr_t collect_name(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    (void)info;
    listing *l = data;
    sr_h5_names *names = l->names;
    size_t len = strlen(name);
    if (len > SR_H5_MAX_NAME_BYTES) {
        l->long_name = len;
        return 1;
    }
    if (names->n == l->max) {
        l->too_many = true;
        return 1;
    }
    if (names->n == l->capacity) {
        size_t grown = l->capacity > 0 ? 2 * l->capacity : 32;
        char **name_array = realloc(names->name, grown * sizeof *name_array);
        if (name_array == NULL) {
            l->no_memory = true;
            return 1;
        }
        names->name = name_array;
        l->capacity = grown;
    }
    if ((names->name[names->n] = strdup(name)) == NULL) {
        l->no_memory = true;
        return 1;
    }
    names->n++;
    return 0;
}

int sr_h5check_names(hid_t g, size_t max, sr_h5_names *names, sr_error *err)
{
    *names = (sr_h5_names){0};
    H5G_info_t info;
    if (H5Gget_info(g, &info) < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, g, "cannot read the group");
    if (info.nlinks > max)
        return sr_h5check_refuse(g, NULL, err, "declares %" PRIuHSIZE " links, more than "
                                 "the %zu sirisk reads", info.nlinks, max);
    listing l = {.names = names, .max = max};
    hsize_t idx = 0;
    herr_t st = H5Literate(g, link_order(g), H5_ITER_INC, &idx, collect_name, &l);
    int rc = 0;
    if (l.no_memory)
        rc = out_of_memory(err, "link names");
    else if (l.long_name > 0)
        rc = sr_h5check_refuse(g, NULL, err, "a link name of %zu bytes, more than %d",
                               l.long_name, SR_H5_MAX_NAME_BYTES);
    else if (l.too_many)
        rc = sr_h5check_refuse(g, NULL, err, "more than %zu links", max);
    else if (st < 0)
        rc = sr_h5_fail(err, SR_EXIT_IOERR, g, "cannot list the group's links");
    if (rc != 0)
        sr_h5_names_clear(names);
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

void sr_h5_names_clear(sr_h5_names *names)
{
    for (size_t i = 0; i < names->n; i++)
        free(names->name[i]);
    free(names->name);
    *names = (sr_h5_names){0};
}

/* ---- attributes ----------------------------------------------------------------------- */

/* Opens attribute name of obj into *a, with its type and dataspace. Absent: *a is
 * H5I_INVALID_HID and *found false, or with found NULL, refused. */
static int open_attr(hid_t obj, const char *name, bool *found, hid_t *a, hid_t *type,
                     hid_t *space, sr_error *err)
{
    *a = *type = *space = H5I_INVALID_HID;
    htri_t exists = H5Aexists(obj, name);
    if (exists < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot look up attribute '%s'", name);
    if (found != NULL)
        *found = exists > 0;
    if (exists == 0)
        return found != NULL ? 0 : sr_h5check_refuse(obj, name, err, "missing");
    *a = H5Aopen(obj, name, H5P_DEFAULT);
    if (*a >= 0)
        *type = H5Aget_type(*a);
    if (*type >= 0)
        *space = H5Aget_space(*a);
    if (*space < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot open attribute '%s'", name);
        if (*type >= 0)
            H5Tclose(*type);
        if (*a >= 0)
            H5Aclose(*a);
        *a = *type = H5I_INVALID_HID;
        return SR_EXIT_IOERR;
    }
    return 0;
}

static void close_attr(hid_t a, hid_t type, hid_t space)
{
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    if (a >= 0)
        H5Aclose(a);
    H5Eclear2(H5E_DEFAULT);
}

/* Whether a dataspace holds exactly one value: a scalar, or an array of one. */
static bool one_value(hid_t space)
{
    int rank;
    hsize_t dims[H5S_MAX_RANK];
    return count_elements(space, &rank, dims) == 1;
}

/* What a one-value check found instead, for its message. */
static void describe_found(hid_t type, hid_t space, char *buf, size_t size)
{
    if (one_value(space))
        describe_type(type, buf, size);
    else
        describe_count(space, buf, size);
}

int sr_h5check_attr_f64(hid_t obj, const char *name, double *v, bool *found, sr_error *err)
{
    hid_t a, type, space;
    *v = NAN;
    int rc = open_attr(obj, name, found, &a, &type, &space, err);
    if (rc != 0 || a < 0)
        return rc;
    if (H5Tget_class(type) != H5T_FLOAT || !one_value(space)) {
        char what[128];
        describe_found(type, space, what, sizeof what);
        rc = sr_h5check_refuse(obj, name, err, "expected a scalar 64-bit float, found %s", what);
    } else if (H5Aread(a, H5T_NATIVE_DOUBLE, v) < 0) {
        rc = sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot read attribute '%s'", name);
    }
    close_attr(a, type, space);
    return rc;
}

int sr_h5check_attr_floats(hid_t obj, const char *name, const sr_h5_shape *shape, double *v,
                           bool *found, sr_error *err)
{
    hid_t a, type, space;
    const size_t n = (size_t)shape->dims[0] * (shape->rank > 1 ? (size_t)shape->dims[1] : 1);
    for (size_t i = 0; i < n; i++)
        v[i] = NAN;
    int rc = open_attr(obj, name, found, &a, &type, &space, err);
    if (rc != 0 || a < 0)
        return rc;
    int rank;
    hsize_t dims[H5S_MAX_RANK];
    count_elements(space, &rank, dims);
    bool fits = H5Tget_class(type) == H5T_FLOAT && rank == shape->rank;
    for (int d = 0; fits && d < rank; d++)
        fits = dims[d] == shape->dims[d];
    if (!fits) {
        char what[128];
        if (H5Tget_class(type) != H5T_FLOAT)
            describe_type(type, what, sizeof what);
        else
            describe_space(space, what, sizeof what);
        if (shape->rank > 1)
            rc = sr_h5check_refuse(obj, name, err, "expected 2-D [%" PRIuHSIZE " x %" PRIuHSIZE
                                   "] 64-bit floats, found %s", shape->dims[0], shape->dims[1],
                                   what);
        else
            rc = sr_h5check_refuse(obj, name, err, "expected %" PRIuHSIZE " 64-bit floats "
                                   "(1-D), found %s", shape->dims[0], what);
    } else if (H5Aread(a, H5T_NATIVE_DOUBLE, v) < 0) {
        rc = sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot read attribute '%s'", name);
    }
    close_attr(a, type, space);
    return rc;
}

int sr_h5check_attr_uint(hid_t obj, const char *name, uint64_t lo, uint64_t hi, uint64_t *v,
                         bool *found, sr_error *err)
{
    hid_t a, type, space;
    *v = 0;
    int rc = open_attr(obj, name, found, &a, &type, &space, err);
    if (rc != 0 || a < 0)
        return rc;
    H5T_class_t cls = H5Tget_class(type);
    char what[128] = "";
    if ((cls != H5T_INTEGER && cls != H5T_FLOAT) || !one_value(space) ||
        (cls == H5T_INTEGER && H5Tget_size(type) > 8)) {
        describe_found(type, space, what, sizeof what);
    } else if (cls == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_NONE) {
        if (H5Aread(a, H5T_NATIVE_UINT64, v) < 0)
            rc = sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot read attribute '%s'", name);
    } else if (cls == H5T_INTEGER) {
        int64_t s;
        if (H5Aread(a, H5T_NATIVE_INT64, &s) < 0)
            rc = sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot read attribute '%s'", name);
        else if (s < 0)
            snprintf(what, sizeof what, "%" PRId64, s);
        else
            *v = (uint64_t)s;
    } else {
        double d;
        if (H5Aread(a, H5T_NATIVE_DOUBLE, &d) < 0)
            rc = sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot read attribute '%s'", name);
        else if (!(d >= 0.0 && d < 18446744073709551616.0 && d == floor(d)))
            snprintf(what, sizeof what, "%.17g", d);
        else
            *v = (uint64_t)d;
    }
    if (rc == 0 && what[0] == '\0' && (*v < lo || *v > hi))
        snprintf(what, sizeof what, "%" PRIu64, *v);
    if (rc == 0 && what[0] != '\0') {
        char range[64] = "";
        if (lo > 0 || hi < UINT64_MAX)
            snprintf(range, sizeof range, " from %" PRIu64 " to %" PRIu64, lo, hi);
        rc = sr_h5check_refuse(obj, name, err, "expected a scalar whole number%s, found %s",
                               range, what);
    }
    close_attr(a, type, space);
    return rc;
}

void sr_h5_texts_free(char **texts, size_t n)
{
    for (size_t i = 0; texts != NULL && i < n; i++)
        free(texts[i]);
    free(texts);
}

/* Checks that type is a string type whose fixed length (if fixed) is at most max_bytes. */
static int check_string_type(hid_t obj, const char *attr, hid_t type, hid_t space,
                             const char *expected, size_t max_bytes, sr_error *err)
{
    if (H5Tget_class(type) != H5T_STRING) {
        char what[128];
        describe_found(type, space, what, sizeof what);
        return sr_h5check_refuse(obj, attr, err, "expected %s, found %s", expected, what);
    }
    size_t size = H5Tget_size(type);
    if (H5Tis_variable_str(type) <= 0 && (size == 0 || size > max_bytes))
        return sr_h5check_refuse(obj, attr, err, "a fixed-length string of %zu bytes, more "
                                 "than the %zu sirisk reads", size, max_bytes);
    return 0;
}

/* A copy of a string read from the file, refused when longer than max_bytes. A fixed-length
 * string holds at most size bytes and need not end in a NUL. */
static int keep_string(hid_t obj, const char *attr, const char *s, size_t size,
                       size_t max_bytes, char **out, sr_error *err)
{
    size_t len = s == NULL ? 0 : strnlen(s, size);
    if (len > max_bytes)
        return sr_h5check_refuse(obj, attr, err, "a string of %zu bytes, more than the %zu "
                                 "sirisk reads", len, max_bytes);
    *out = s == NULL ? strdup("") : strndup(s, len);
    return *out == NULL ? out_of_memory(err, "a string") : 0;
}

/* Reads the n strings of attribute a (n checked by the caller) into out[n]. */
static int read_attr_strings(hid_t obj, const char *name, hid_t a, hid_t type, size_t n,
                             size_t max_bytes, char **out, sr_error *err)
{
    hid_t mem = H5Tcopy(type);
    if (mem < 0)
        return sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot read attribute '%s'", name);
    int rc = 0;
    if (H5Tis_variable_str(type) > 0) {
        char **raw = calloc(n, sizeof *raw);
        if (raw == NULL) {
            rc = out_of_memory(err, name);
        } else if (H5Aread(a, mem, raw) < 0) {
            rc = sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot read attribute '%s'", name);
        } else {
            for (size_t i = 0; i < n; i++) {
                if (rc == 0)
                    rc = keep_string(obj, name, raw[i], SIZE_MAX, max_bytes, &out[i], err);
                if (raw[i] != NULL)
                    H5free_memory(raw[i]);
            }
        }
        free(raw);
    } else {
        size_t size = H5Tget_size(type), total;
        char *buf = NULL;
        if (__builtin_mul_overflow(n, size, &total) || (buf = malloc(total)) == NULL)
            rc = out_of_memory(err, name);
        else if (H5Aread(a, mem, buf) < 0)
            rc = sr_h5_fail(err, SR_EXIT_IOERR, obj, "cannot read attribute '%s'", name);
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = keep_string(obj, name, buf + i * size, size, max_bytes, &out[i], err);
        free(buf);
    }
    H5Tclose(mem);
    return rc;
}

int sr_h5check_attr_texts(hid_t obj, const char *name, size_t max_count, size_t max_bytes,
                          char ***texts, size_t *n, sr_error *err)
{
    hid_t a, type, space;
    *texts = NULL;
    *n = 0;
    bool found;
    int rc = open_attr(obj, name, &found, &a, &type, &space, err);
    if (rc != 0 || a < 0)
        return rc;
    char expected[64];
    snprintf(expected, sizeof expected, max_count == 1 ? "one string" : "1 to %zu strings",
             max_count);
    int rank;
    hsize_t dims[H5S_MAX_RANK];
    int64_t count = count_elements(space, &rank, dims);
    rc = check_string_type(obj, name, type, space, expected, max_bytes, err);
    if (rc == 0 && (count < 1 || (uint64_t)count > max_count || rank > 1)) {
        char what[128];
        if (count > 1 && rank == 1)
            snprintf(what, sizeof what, "%" PRId64 " strings", count);
        else
            describe_space(space, what, sizeof what);
        rc = sr_h5check_refuse(obj, name, err, "expected %s, found %s", expected, what);
    }
    char **out = NULL;
    if (rc == 0 && (out = calloc((size_t)count, sizeof *out)) == NULL)
        rc = out_of_memory(err, name);
    if (rc == 0)
        rc = read_attr_strings(obj, name, a, type, (size_t)count, max_bytes, out, err);
    close_attr(a, type, space);
    if (rc != 0) {
        sr_h5_texts_free(out, out != NULL ? (size_t)count : 0);
        return rc;
    }
    *texts = out;
    *n = (size_t)count;
    return 0;
}

int sr_h5check_attr_text(hid_t obj, const char *name, size_t max_bytes, char **text,
                         sr_error *err)
{
    char **texts;
    size_t n;
    *text = NULL;
    int rc = sr_h5check_attr_texts(obj, name, 1, max_bytes, &texts, &n, err);
    if (rc == 0 && texts != NULL) {
        *text = texts[0];
        free(texts);
    }
    return rc;
}

/* ---- datasets -------------------------------------------------------------------------- */

/* Checks where and how much a dataset stores against what it declares (declared bytes of
 * values): not outside the file, no more storage claimed than the file holds, and no more
 * values declared than that storage can hold. HDF5 would otherwise return fill values for
 * every value never written, or read other files. */
static int check_storage(hid_t ds, uint64_t declared, uint64_t n_values, sr_error *err)
{
    hid_t dcpl = H5Dget_create_plist(ds), file = H5Iget_file_id(ds);
    hsize_t file_bytes = 0;
    int rc = SR_EXIT_IOERR;
    if (dcpl < 0 || file < 0 || H5Fget_filesize(file, &file_bytes) < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, ds, "cannot read how the dataset is stored");
        goto done;
    }
    H5D_layout_t layout = H5Pget_layout(dcpl);
    if (layout == H5D_VIRTUAL || H5Pget_external_count(dcpl) != 0) {
        sr_h5check_refuse(ds, NULL, err, "its values are stored in other files (%s), which "
                          "sirisk does not read",
                          layout == H5D_VIRTUAL ? "a virtual dataset" : "external storage");
        goto done;
    }
    int n_filters = layout == H5D_CHUNKED ? H5Pget_nfilters(dcpl) : 0;
    hsize_t stored = H5Dget_storage_size(ds);
    haddr_t offset = layout == H5D_CONTIGUOUS ? H5Dget_offset(ds) : HADDR_UNDEF;
    H5Eclear2(H5E_DEFAULT);
    if (stored > file_bytes || (offset != HADDR_UNDEF && offset > file_bytes - stored)) {
        sr_h5check_refuse(ds, NULL, err, "claims %" PRIuHSIZE " bytes of storage beyond the "
                          "file's %" PRIuHSIZE, stored, file_bytes);
        goto done;
    }
    uint64_t capacity = stored;
    if (n_filters > 0 && __builtin_mul_overflow(stored, (uint64_t)SR_H5_MAX_EXPANSION, &capacity))
        capacity = UINT64_MAX;
    if (declared > capacity) {
        sr_h5check_refuse(ds, NULL, err, "declares %" PRIu64 " values (%" PRIu64 " bytes) but "
                          "the file stores %" PRIuHSIZE " bytes of them%s", n_values, declared,
                          stored, n_filters > 0 ? ", compressed further than deflate can" : "");
        goto done;
    }
    rc = 0;
done:
    if (file >= 0)
        H5Fclose(file);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

/* Opens dataset name of loc (absent: *ds invalid) with its type and space, and checks that
 * it holds values of class cls (expected: the words for it) of at most max_rank
 * dimensions, stored in the file. *n is its number of values. */
static int open_dataset(hid_t loc, const char *name, H5T_class_t cls, const char *expected,
                        int max_rank, hid_t *ds, hid_t *type, hid_t *space,
                        sr_h5_shape *shape, uint64_t *n, sr_error *err)
{
    *type = *space = H5I_INVALID_HID;
    int rc = open_typed(loc, name, H5I_DATASET, ds, err);
    if (rc != 0 || *ds < 0)
        return rc;
    *type = H5Dget_type(*ds);
    *space = *type >= 0 ? H5Dget_space(*ds) : H5I_INVALID_HID;
    if (*space < 0) {
        rc = sr_h5_fail(err, SR_EXIT_IOERR, *ds, "cannot read the dataset's type and shape");
        goto fail;
    }
    char what[128];
    if (H5Tget_class(*type) != cls) {
        describe_type(*type, what, sizeof what);
        rc = sr_h5check_refuse(*ds, NULL, err, "expected %s, found %s", expected, what);
        goto fail;
    }
    int rank;
    hsize_t dims[H5S_MAX_RANK];
    int64_t count = count_elements(*space, &rank, dims);
    if (count < 0) {
        describe_space(*space, what, sizeof what);
        rc = sr_h5check_refuse(*ds, NULL, err, "declares more values than can be counted "
                               "(%s)", what);
        goto fail;
    }
    if (H5Sget_simple_extent_type(*space) == H5S_NULL) {
        rc = sr_h5check_refuse(*ds, NULL, err, "expected %s, found no value (an empty "
                               "dataspace)", expected);
        goto fail;
    }
    if (rank > max_rank) {
        describe_space(*space, what, sizeof what);
        rc = sr_h5check_refuse(*ds, NULL, err, "expected %s of at most %d dimensions, found %s",
                               expected, max_rank, what);
        goto fail;
    }
    /* a variable-length string stores at least its 4-byte length in the dataset */
    size_t value_bytes = H5Tis_variable_str(*type) > 0 ? 4 : H5Tget_size(*type);
    uint64_t declared;
    if (value_bytes == 0 || __builtin_mul_overflow((uint64_t)count, value_bytes, &declared)) {
        rc = sr_h5check_refuse(*ds, NULL, err, "declares %" PRId64 " values of %zu bytes",
                               count, value_bytes);
        goto fail;
    }
    if ((rc = check_storage(*ds, declared, (uint64_t)count, err)) != 0)
        goto fail;
    shape->rank = rank;
    shape->dims[0] = rank > 0 ? dims[0] : 1;
    shape->dims[1] = rank > 1 ? dims[1] : 1;
    *n = (uint64_t)count;
    return 0;
fail:
    if (*space >= 0)
        H5Sclose(*space);
    if (*type >= 0)
        H5Tclose(*type);
    H5Oclose(*ds);
    *ds = *type = *space = H5I_INVALID_HID;
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

int sr_h5check_floats(hid_t loc, const char *name, int max_rank, hid_t *ds,
                      sr_h5_shape *shape, sr_error *err)
{
    hid_t type, space;
    uint64_t n;
    int rc = open_dataset(loc, name, H5T_FLOAT, "a 64-bit float dataset", max_rank, ds, &type,
                          &space, shape, &n, err);
    if (rc == 0 && *ds >= 0) {
        H5Sclose(space);
        H5Tclose(type);
    }
    return rc;
}

int sr_h5check_vector(hid_t loc, const char *name, hsize_t n, const char *what, hid_t *ds,
                      sr_error *err)
{
    sr_h5_shape shape;
    int rc = sr_h5check_floats(loc, name, 2, ds, &shape, err);
    if (rc != 0 || *ds < 0)
        return rc;
    if (shape.rank == 1 && shape.dims[0] == n)
        return 0;
    char found[96];
    if (shape.rank == 0)
        snprintf(found, sizeof found, "a scalar");
    else if (shape.rank == 1)
        snprintf(found, sizeof found, "1-D [%" PRIuHSIZE "]", shape.dims[0]);
    else
        snprintf(found, sizeof found, "2-D [%" PRIuHSIZE " x %" PRIuHSIZE "]", shape.dims[0],
                 shape.dims[1]);
    sr_h5check_refuse(*ds, NULL, err, "expected 1-D [%" PRIuHSIZE "] (%s), found %s", n, what,
                      found);
    H5Oclose(*ds);
    *ds = H5I_INVALID_HID;
    return SR_EXIT_IOERR;
}

int sr_h5check_read_rows(hid_t ds, const sr_h5_shape *shape, hsize_t first, hsize_t count,
                         double *buf, sr_error *err)
{
    if (first > shape->dims[0] || count > shape->dims[0] - first)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "rows %" PRIuHSIZE " to %" PRIuHSIZE
                            " of a dataset of %" PRIuHSIZE " read", first, first + count,
                            shape->dims[0]);
    if (count == 0)
        return 0;
    hid_t file_space = H5Dget_space(ds), mem_space = H5I_INVALID_HID;
    const hsize_t start[2] = {first, 0}, block[2] = {count, shape->dims[1]};
    hsize_t n_values = count * shape->dims[1];
    int rc = 0;
    if (file_space < 0 ||
        (shape->rank > 0 &&
         H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL, block, NULL) < 0) ||
        (mem_space = H5Screate_simple(1, &n_values, NULL)) < 0 ||
        H5Dread(ds, H5T_NATIVE_DOUBLE, mem_space, file_space, H5P_DEFAULT, buf) < 0)
        rc = sr_h5_fail(err, SR_EXIT_IOERR, ds, "cannot read the values");
    if (mem_space >= 0)
        H5Sclose(mem_space);
    if (file_space >= 0)
        H5Sclose(file_space);
    return rc;
}

int sr_h5check_f64(hid_t loc, const char *name, double *v, bool *found, sr_error *err)
{
    hid_t ds;
    sr_h5_shape shape;
    *v = NAN;
    int rc = sr_h5check_floats(loc, name, 1, &ds, &shape, err);
    if (found != NULL)
        *found = rc == 0 && ds >= 0;
    if (rc != 0)
        return rc;
    if (ds < 0)
        return found != NULL ? 0 : refuse_link(loc, name, err, "missing");
    if (shape.dims[0] != 1) {
        rc = sr_h5check_refuse(ds, NULL, err, "expected a scalar 64-bit float, found 1-D [%"
                               PRIuHSIZE "]", shape.dims[0]);
        if (found != NULL)
            *found = false;
    } else {
        rc = sr_h5check_read_rows(ds, &shape, 0, 1, v, err);
    }
    H5Oclose(ds);
    return rc;
}

/* Reads string i (row-major) of a string dataset into *out. */
static int read_one_string(hid_t ds, hid_t type, hid_t space, int rank, hsize_t cols,
                           uint64_t i, size_t max_bytes, char **out, sr_error *err)
{
    hid_t mem_type = H5Tcopy(type), one = H5Screate(H5S_SCALAR);
    const hsize_t start[2] = {i / cols, i % cols}, count[2] = {1, 1};
    bool vlen = H5Tis_variable_str(type) > 0;
    size_t size = vlen ? sizeof(char *) : H5Tget_size(type);
    char *buf = calloc(1, size);
    int rc = 0;
    if (buf == NULL) {
        rc = out_of_memory(err, "a string");
    } else if (mem_type < 0 || one < 0 ||
               (rank > 0 && H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count,
                                                NULL) < 0) ||
               H5Dread(ds, mem_type, one, space, H5P_DEFAULT, buf) < 0) {
        rc = sr_h5_fail(err, SR_EXIT_IOERR, ds, "cannot read string %" PRIu64, i);
    } else if (vlen) {
        char *s;
        memcpy(&s, buf, sizeof s);
        rc = keep_string(ds, NULL, s, SIZE_MAX, max_bytes, out, err);
        if (s != NULL)
            H5free_memory(s);
    } else {
        rc = keep_string(ds, NULL, buf, size, max_bytes, out, err);
    }
    free(buf);
    if (one >= 0)
        H5Sclose(one);
    if (mem_type >= 0)
        H5Tclose(mem_type);
    return rc;
}

int sr_h5check_texts(hid_t loc, const char *name, const sr_h5_shape *expect, size_t max_bytes,
                     char ***texts, sr_error *err)
{
    hid_t ds, type, space;
    sr_h5_shape shape;
    uint64_t n;
    *texts = NULL;
    char expected[96];
    if (expect->rank == 0)
        snprintf(expected, sizeof expected, "one string");
    else if (expect->rank == 1)
        snprintf(expected, sizeof expected, "1-D [%" PRIuHSIZE "] strings", expect->dims[0]);
    else
        snprintf(expected, sizeof expected, "2-D [%" PRIuHSIZE " x %" PRIuHSIZE "] strings",
                 expect->dims[0], expect->dims[1]);
    int rc = open_dataset(loc, name, H5T_STRING, expected, 2, &ds, &type, &space, &shape, &n,
                          err);
    if (rc != 0 || ds < 0)
        return rc;
    if ((rc = check_string_type(ds, NULL, type, space, expected, max_bytes, err)) != 0)
        goto done;
    if (shape.rank != expect->rank || shape.dims[0] != expect->dims[0] ||
        shape.dims[1] != expect->dims[1]) {
        char found[96];
        describe_space(space, found, sizeof found);
        rc = sr_h5check_refuse(ds, NULL, err, "expected %s, found %s", expected, found);
        goto done;
    }
    char **out = calloc((size_t)n, sizeof *out);
    if (out == NULL) {
        rc = out_of_memory(err, name);
        goto done;
    }
    for (uint64_t i = 0; rc == 0 && i < n; i++)
        rc = read_one_string(ds, type, space, shape.rank, shape.dims[1], i, max_bytes, &out[i],
                             err);
    if (rc != 0)
        sr_h5_texts_free(out, (size_t)n);
    else
        *texts = out;
done:
    H5Sclose(space);
    H5Tclose(type);
    H5Oclose(ds);
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

int sr_h5check_text(hid_t loc, const char *name, size_t max_bytes, char **text, sr_error *err)
{
    const sr_h5_shape scalar = {.rank = 0, .dims = {1, 1}};
    char **texts;
    *text = NULL;
    int rc = sr_h5check_texts(loc, name, &scalar, max_bytes, &texts, err);
    if (rc == 0 && texts != NULL) {
        *text = texts[0];
        free(texts);
    }
    return rc;
}

/* ---- the file ------------------------------------------------------------------------- */

hid_t sr_h5check_open_file(const char *path, sr_error *err)
{
    sr_h5_quiet();
    struct stat st;
    if (stat(path, &st) != 0) {
        sr_error_set(err, SR_EXIT_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
        return H5I_INVALID_HID;
    }
    if (!S_ISREG(st.st_mode)) {
        sr_error_set(err, SR_EXIT_NOINPUT, "%s: is %s, not a result set", path,
                     S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
        return H5I_INVALID_HID;
    }
    FILE *probe = fopen(path, "rb");
    if (probe == NULL) {
        sr_error_set(err, SR_EXIT_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
        return H5I_INVALID_HID;
    }
    fclose(probe);
    if (H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        sr_error_set(err, SR_EXIT_IOERR, "%s: not a sirisk result set (not an HDF5 file)", path);
        return H5I_INVALID_HID;
    }
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT), root = H5I_INVALID_HID;
    if (file < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "cannot open the HDF5 file");
        goto fail;
    }
    root = H5Gopen2(file, "/", H5P_DEFAULT);
    if (root < 0) {
        sr_h5_fail(err, SR_EXIT_IOERR, H5I_INVALID_HID, "cannot open the root group");
        goto fail;
    }
    uint64_t format = 0;
    bool found;
    if (sr_h5check_attr_uint(root, "format_version", 0, UINT64_MAX, &format, &found, err) != 0)
        goto fail;
    if (!found) {
        sr_error_set(err, SR_EXIT_IOERR, "not a sirisk result set (an HDF5 file without a "
                     "format_version attribute)");
        goto fail;
    }
    if (format < 1 || format > SR_H5_FORMAT_VERSION) {
        sr_error_set(err, SR_EXIT_IOERR, "result-set format_version %" PRIu64 " is not one "
                     "this sirisk reads (1 to %d): written by a newer sirisk?", format,
                     SR_H5_FORMAT_VERSION);
        goto fail;
    }
    H5Gclose(root);
    return file;
fail:
    if (root >= 0)
        H5Gclose(root);
    if (file >= 0)
        H5Fclose(file);
    H5Eclear2(H5E_DEFAULT);
    sr_error_prefix(err, "%s", path);
    return H5I_INVALID_HID;
}
