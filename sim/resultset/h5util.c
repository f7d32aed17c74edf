#include "sim/resultset/h5util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sr_h5_quiet(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

enum { DETAIL_MAX = 512 };   /* bytes kept of HDF5's innermost error */

/* H5Ewalk2 callback: keeps the description of the innermost error (the first one walked
 * upward), which is the specific one ("unable to open file: … errno = 2 …"). */
static herr_t keep_innermost(unsigned n, const H5E_error2_t *e, void *client)
{
    char *buf = client;
    if (n == 0 && e->desc != NULL)
        snprintf(buf, DETAIL_MAX, "%s", e->desc);
    return 0;
}

int sr_h5_fail(sr_error *err, int code, hid_t obj, const char *fmt, ...)
{
    char detail[DETAIL_MAX] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, detail);
    H5Eclear2(H5E_DEFAULT);
    /* A failed system call's detail spans lines and names buffers: keep the system's own
     * message ("No space left on device") or else the first line. */
    const char *sys = strstr(detail, "error message = '");
    if (sys != NULL) {
        sys += strlen("error message = '");
        size_t len = strcspn(sys, "'");
        memmove(detail, sys, len);
        detail[len] = '\0';
    }
    detail[strcspn(detail, "\n")] = '\0';

    char what[SR_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);

    char name[512] = "";
    if (obj >= 0 && H5Iis_valid(obj) > 0 && H5Iget_name(obj, name, sizeof name) <= 0)
        name[0] = '\0';
    H5Eclear2(H5E_DEFAULT);
    return sr_error_set(err, code, "%s%s%s%s%s%s", name, name[0] ? ": " : "", what,
                        detail[0] ? " (HDF5: " : "", detail, detail[0] ? ")" : "");
}

hid_t sr_h5_str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return H5I_INVALID_HID;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}
