/* Memory, checked before anything big is allocated: what runs of a scenario take
 * (sr_run_memory_need, from the element counts their allocations use) against what this
 * machine offers, so that a scenario that cannot fit is refused at once with the figure,
 * not after minutes of allocating, swapping or simulating.
 *
 * What the machine offers: its physical memory (sysconf _SC_PHYS_PAGES x _SC_PAGESIZE) or,
 * when an address-space limit is set (RLIMIT_AS, `ulimit -v`), what the limit leaves
 * beyond the address space the process already uses, whichever is less. */
#ifndef SR_MEMORY_H
#define SR_MEMORY_H

#include <stddef.h>
#include <stdio.h>

#include "sim/base/error.h"
#include "models/model.h"
#include "sim/engine/run.h"

/* How the runs of a command hold their result sets. */
typedef enum {
    SR_MEMORY_EACH,           /* one result set at a time (run; a sweep's points) */
    SR_MEMORY_ALL             /* every run's result set until the end (stress) */
} sr_memory_holding;

/* Checks that the runs of models[0..n) (with o's threads) fit this machine. Returns 0, or
 * SR_EXIT_DATAERR with a message that begins with `name: ` and gives the figures, e.g.
 * "big.yaml: needs 20 GiB per thread (2 threads) and 3.1 MiB for 4,000 trials' results,
 * 40 GiB in all; this machine has 23 GiB of memory (it fits with --threads 1)". Fails
 * with SR_EXIT_SOFTWARE when the estimate itself cannot be made (out of memory). */
int sr_memory_check(const char *name, sr_model *const *models, size_t n,
                    sr_memory_holding holding, const sr_run_options *o, sr_error *err);

/* `sirisk validate`'s line: what a run of m with o takes and whether it fits, e.g.
 * "Memory: 1.1 MiB per thread (2 threads), 27 MiB for 10,000 trials' results; fits this
 * machine's 23 GiB". */
void sr_memory_print(FILE *out, const sr_model *m, const sr_run_options *o);

/* bytes as "512 B", "27 MiB", "3.1 GiB" (binary units; two significant digits below 10). */
void sr_memory_format(double bytes, char *buf, size_t size);

#endif
