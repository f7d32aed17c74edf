/* Invariant checks for a SIRISK_DEBUG build (CMake option SIRISK_DEBUG, which CI's
 * sanitizer build turns on). SR_CHECK(cond) aborts with the file, line, function and the
 * condition when cond is false. In any other build it compiles to nothing and cond is
 * never evaluated (its variables still count as used), so a check may be as costly as it
 * needs to be: it costs a release build nothing. SR_DEBUG is 1 in a SIRISK_DEBUG build, else
 * 0, for checks that need code of their own (`if (SR_DEBUG) ...`). */
#ifndef SR_CHECK_H
#define SR_CHECK_H

#ifdef SIRISK_DEBUG
#include <stdio.h>
#include <stdlib.h>

#define SR_DEBUG 1

static inline _Noreturn void sr_check_failed(const char *cond, const char *file, int line,
                                             const char *func)
{
    fprintf(stderr, "%s:%d: %s: invariant does not hold: %s\n", file, line, func, cond);
    abort();
}

#define SR_CHECK(cond) ((cond) ? (void)0 : sr_check_failed(#cond, __FILE__, __LINE__, __func__))
#else
#define SR_DEBUG 0
#define SR_CHECK(cond) ((void)sizeof(!(cond)))
#endif

#endif
