#include "sim/base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sr_error_set(sr_error *err, int code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->code = code;
    return code;
}

void sr_error_prefix(sr_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    char prefix[SR_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    /* Room for both whole; the message keeps its first SR_ERROR_MSG_MAX - 1 bytes. */
    char joined[2 * SR_ERROR_MSG_MAX + 2];
    snprintf(joined, sizeof joined, "%s: %s", prefix, err->msg);
    size_t n = strlen(joined);
    if (n >= sizeof err->msg)
        n = sizeof err->msg - 1;
    memcpy(err->msg, joined, n);
    err->msg[n] = '\0';
}
