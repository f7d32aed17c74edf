/* Reading an untrusted file in a child process. sirisk checks every object of a result
 * file before it reads it (sim/resultset/h5check.h), but a file damaged below that level
 * (object headers, the global heap) can make the HDF5 library itself fault, allocate
 * gigabytes or loop before any check sees a value. A child whose address space is capped
 * keeps such a fault from being sirisk's crash: the parent turns a child killed by a
 * signal into exit 74 naming the file, and a signal to the parent (SIGINT, SIGTERM) ends
 * the child too. Linux and POSIX only; one child at a time. */
#ifndef SR_ISOLATE_H
#define SR_ISOLATE_H

#include <stddef.h>

#include "sim/base/error.h"

/* What the child runs: 0, or an exit code with err filled. */
typedef int (*sr_isolated_fn)(void *arg, sr_error *err);

/* Address space a child may use: the reader holds at most a block of trials, one
 * scenario text (16 MiB) and HDF5's caches at a time, far below this. */
#define SR_ISOLATE_MEMORY ((size_t)1 << 30)   /* bytes */

/* Processor time a child may take to read a file of `bytes` bytes: 30 s, and 5 s more per
 * MiB. Reading is linear in what the file stores (values are bounded by stored bytes, at
 * most deflate's 1,032 to 1), a few microseconds per stored byte at worst; a damaged file
 * on which HDF5 loops is stopped by this bound. */
double sr_isolate_cpu_seconds(double bytes);

/* Runs fn(arg, err) in a child process with at most memory_limit bytes of address space
 * (not set under AddressSanitizer, whose shadow memory needs terabytes of it) and at most
 * cpu_seconds of processor time, and returns
 * its result: 0, or its exit code with its message in err. A child killed by a signal,
 * or ending without a message, gives SR_EXIT_IOERR with "what: ..." naming how it ended; a failed fork runs nothing and
 * gives SR_EXIT_SOFTWARE. While the child runs, SIGINT and SIGTERM to this process kill it
 * and exit SR_EXIT_INTERRUPTED at once. Whatever fn writes to stdout appears as written. */
int sr_isolate(sr_isolated_fn fn, void *arg, const char *what, size_t memory_limit,
               double cpu_seconds, sr_error *err);

/* Files that an interrupt during sr_isolate removes before this process exits (the
 * temporaries the child is writing); NULL and 0 for none. The array and its strings must
 * live until they are replaced. */
void sr_isolate_remove_on_interrupt(char *const *paths, size_t n);

#endif
