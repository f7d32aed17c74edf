/* Checked reading of result sets (docs/results.md): every object a reader touches is checked against
 * what the layout written by h5write.c allows before anything is allocated or read for it:
 * its link (a hard link within the file), its class (float, integer, string), its rank and
 * shape, its size against sirisk's limits, and for data, the bytes the file actually stores.
 * A file that fails a check is refused with SR_EXIT_IOERR and a message naming the object,
 *     /summary/savings_total attribute "mean": expected a scalar 64-bit float, found 3 elements
 * which the caller prefixes with the file's path. A crafted file therefore costs at most
 * time and memory in proportion to what it stores, never to what it declares.
 *
 * Absent objects are not errors here: readers of files from older or other writers skip
 * what is missing. Each function says how it reports absence.
 *
 * Shared by every command that reads result sets. HDF5 calls: one thread, outside OpenMP
 * regions (h5util.h). */
#ifndef SR_H5CHECK_H
#define SR_H5CHECK_H

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/base/error.h"

/* ---- limits: what a result set may declare -------------------------------------------- */

/* Trials of a result set: the most simulation.trials accepts. */
#define SR_H5_MAX_TRIALS UINT32_MAX
/* Bytes of a text that holds YAML (/scenario, a swept value): the scenario's own limit. */
#define SR_H5_MAX_TEXT_BYTES ((size_t)16 << 20)   /* a scenario's limit: the longest /scenario */
/* Bytes of a label (units, a version, a heading) or of a swept key or value: at most one
 * command-line argument (Linux's MAX_ARG_STRLEN), where keys and values come from. */
#define SR_H5_MAX_LABEL_BYTES ((size_t)128 << 10)
/* Bytes of a link name (a metric, a programme, a stress, a sweep column). */
#define SR_H5_MAX_NAME_BYTES 4096
/* Links listed in one group. */
#define SR_H5_MAX_LINKS ((size_t)1 << 16)
/* How many bytes of values one stored byte may hold: deflate's greatest ratio (a 258-byte
 * match coded in 2 bits), the only compression sirisk writes. A dataset that declares more
 * than its stored bytes can hold is refused, however it claims to be compressed. */
#define SR_H5_MAX_EXPANSION 1032

/* ---- the file ------------------------------------------------------------------------- */

/* Opens path read-only as a result set: a regular file that can be read (else
 * SR_EXIT_NOINPUT; a FIFO or a device would block or never end), in HDF5 (which refuses a
 * file shorter than its superblock declares), with a root attribute format_version from 1
 * to SR_H5_FORMAT_VERSION (else SR_EXIT_IOERR). Returns the file, which the caller closes,
 * or H5I_INVALID_HID with err filled. Messages name the path. */
hid_t sr_h5check_open_file(const char *path, sr_error *err);

/* ---- groups and links ------------------------------------------------------------------ */

/* Opens group name (one link, no '/') of loc into *g: H5I_INVALID_HID when there is no
 * such link. Refused when the link is soft or external (sirisk writes hard links only) or
 * names something else than a group. The caller closes *g. */
int sr_h5check_group(hid_t loc, const char *name, hid_t *g, sr_error *err);

/* The names of a group's links in the order written (creation order where the group keeps
 * it, else by name). */
typedef struct {
    size_t n;
    char **name;   /* [n] */
} sr_h5_names;

/* Lists g's links into names (to free with sr_h5_names_clear). Refused when g declares more
 * than max links or a name is longer than SR_H5_MAX_NAME_BYTES. */
int sr_h5check_names(hid_t g, size_t max, sr_h5_names *names, sr_error *err);
void sr_h5_names_clear(sr_h5_names *names);

/* Opens the object that link name (no '/') of loc names into *obj, whatever it is (the
 * caller asks H5Iget_type and closes it with H5Oclose): H5I_INVALID_HID when there is no
 * such link. Refused like sr_h5check_group for links that are not hard. */
int sr_h5check_open(hid_t loc, const char *name, hid_t *obj, sr_error *err);

/* ---- attributes ------------------------------------------------------------------------ */

/* The attribute name of obj as one float (of any precision; the layout writes 64-bit).
 * Absent: *found = false and *v = NaN; with found NULL, absence is refused too. */
int sr_h5check_attr_f64(hid_t obj, const char *name, double *v, bool *found, sr_error *err);

/* The attribute name of obj as one whole number from lo to hi: an integer of at most 64
 * bits, or a float holding a whole number. Absence as for sr_h5check_attr_f64 (*v = 0). */
int sr_h5check_attr_uint(hid_t obj, const char *name, uint64_t lo, uint64_t hi, uint64_t *v,
                         bool *found, sr_error *err);

/* The attribute name of obj as one string (variable- or fixed-length) of at most max_bytes,
 * malloc'd into *text; *text = NULL when absent. */
int sr_h5check_attr_text(hid_t obj, const char *name, size_t max_bytes, char **text,
                         sr_error *err);

/* The attribute name of obj as 1 to max_count strings, each of at most max_bytes: a scalar
 * (one string) or a 1-D array. *texts (malloc'd, to free with sr_h5_texts_free) and *n;
 * *texts = NULL and *n = 0 when absent. */
int sr_h5check_attr_texts(hid_t obj, const char *name, size_t max_count, size_t max_bytes,
                          char ***texts, size_t *n, sr_error *err);

void sr_h5_texts_free(char **texts, size_t n);

/* ---- datasets -------------------------------------------------------------------------- */

/* A dataset's shape: rank 0 (a scalar), 1 or 2, and its extents. */
typedef struct {
    int rank;
    hsize_t dims[2];
} sr_h5_shape;

/* The attribute name of obj as floats of exactly the given shape (rank 1 or 2), into v
 * (row-major; the layout writes 64-bit). Absence as for sr_h5check_attr_f64 (every value
 * NaN). */
int sr_h5check_attr_floats(hid_t obj, const char *name, const sr_h5_shape *shape, double *v,
                           bool *found, sr_error *err);

/* Opens dataset name (one link) of loc as floats into *ds (H5I_INVALID_HID when absent),
 * its shape into *shape. Refused when the link is not hard or names no dataset, the class
 * is not float, the rank is more than max_rank, the values are stored outside the file
 * (external files, a virtual dataset), or they declare more bytes than the file stores (at
 * most SR_H5_MAX_EXPANSION per stored byte where compressed, one where not, never more
 * than the file's size). The caller checks the extents and closes *ds. */
int sr_h5check_floats(hid_t loc, const char *name, int max_rank, hid_t *ds,
                      sr_h5_shape *shape, sr_error *err);

/* Opens dataset name of loc as a 1-D float dataset of exactly n values (what: where n comes
 * from, for the message: "the root attribute trials"). Absent: *ds = H5I_INVALID_HID. */
int sr_h5check_vector(hid_t loc, const char *name, hsize_t n, const char *what, hid_t *ds,
                      sr_error *err);

/* Reads rows [first, first + count) of a float dataset opened by sr_h5check_floats (every
 * column of a 2-D one) into buf, converted to double: count * columns values. */
int sr_h5check_read_rows(hid_t ds, const sr_h5_shape *shape, hsize_t first, hsize_t count,
                         double *buf, sr_error *err);

/* The scalar float dataset name of loc into *v; absence as for sr_h5check_attr_f64. */
int sr_h5check_f64(hid_t loc, const char *name, double *v, bool *found, sr_error *err);

/* The scalar string dataset name of loc (at most max_bytes) into *text, malloc'd; NULL
 * when absent. */
int sr_h5check_text(hid_t loc, const char *name, size_t max_bytes, char **text,
                    sr_error *err);

/* The string dataset name of loc of exactly the given shape (rank 1 or 2), each string of
 * at most max_bytes, into *texts (row-major, malloc'd; to free with sr_h5_texts_free);
 * NULL when absent. Read one string at a time, so that memory stays in proportion to the
 * strings kept. */
int sr_h5check_texts(hid_t loc, const char *name, const sr_h5_shape *shape, size_t max_bytes,
                     char ***texts, sr_error *err);

/* ---- messages -------------------------------------------------------------------------- */

/* Refuses an object: fills err with SR_EXIT_IOERR and "OBJECT: MESSAGE", OBJECT being obj's
 * path in the file, followed by ` attribute "attr"` when attr is not NULL. Returns
 * SR_EXIT_IOERR. */
int sr_h5check_refuse(hid_t obj, const char *attr, sr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Makes text from a file safe to print on a terminal, in place and keeping its length in
 * bytes (so column widths hold): control characters (C0, DEL, C1) and Unicode's
 * bidirectional overrides and isolates become '?', one per byte. */
void sr_h5check_printable(char *s);

#endif
