/* What the HDF5 writer and reader share: the format version, HDF5's own error printing
 * switched off and its error stack turned into sirisk's errors, and the string type of
 * every text in a result set. HDF5 (the serial library) is not thread-safe: every function here, in h5write.c
 * and in h5read.c runs on one thread, outside OpenMP regions, never on two at once. */
#ifndef SR_H5UTIL_H
#define SR_H5UTIL_H

#include <hdf5.h>
#include <stddef.h>

#include "sim/base/error.h"

/* The result-set format: the root attribute format_version of every file written; a
 * reader refuses files of a newer format. */
#define SR_H5_FORMAT_VERSION 2

/* Switches HDF5's printing of its error stack off (process-wide; sirisk never wants it:
 * every failure is reported through sr_error instead). Idempotent. */
void sr_h5_quiet(void);

/* Fills err with code and "OBJECT: MESSAGE (HDF5: innermost error)", OBJECT being obj's
 * path in its file ("/summary/savings_total"; omitted when obj is not a valid id), then
 * clears HDF5's error stack. Returns code. */
int sr_h5_fail(sr_error *err, int code, hid_t obj, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A new variable-length UTF-8 string type (h5py reads it as str); the caller closes it.
 * H5I_INVALID_HID on failure. */
hid_t sr_h5_str_type(void);

#endif
