/* Errors that travel up with context. A layer that fails fills an sr_error with what it
 * was doing and returns non-zero; the layer above may prefix its own context. Only main
 * prints and exits. */
#ifndef SR_ERROR_H
#define SR_ERROR_H

#include <stddef.h>

/* Exit codes (sysexits.h meanings). */
enum {
    SR_EXIT_OK = 0,
    SR_EXIT_USAGE = 64,       /* bad command line */
    SR_EXIT_DATAERR = 65,     /* invalid scenario or override */
    SR_EXIT_NOINPUT = 66,     /* input file missing or unreadable */
    SR_EXIT_SOFTWARE = 70,    /* internal error: a bug in sirisk */
    SR_EXIT_IOERR = 74,       /* result file could not be read or written */
    SR_EXIT_INTERRUPTED = 130
};

#define SR_ERROR_MSG_MAX 2048

typedef struct {
    int code;                        /* one of SR_EXIT_*, 0 while no error */
    char msg[SR_ERROR_MSG_MAX];      /* one line, no trailing newline */
} sr_error;

/* Sets code and message (printf format). Returns code, so callers can
 * `return sr_error_set(err, SR_EXIT_DATAERR, "...")`. err may be NULL. */
int sr_error_set(sr_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with a context (printf format) and ": ". */
void sr_error_prefix(sr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
