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
#include "sim/engine/run.h"
#include "sim/scenario/scenario.h"

/* Checks that the runs of scenarios[0..n) (with o's threads) fit this machine, one at a time:
 * a command holds one run's workspaces and result set at once (a stress or a sweep writes
 * each variant to its file and frees it before the next runs), so the largest run must
 * fit. labels[i] (labels, or an entry, may be NULL) names run i in the message when n > 1
 * ("sweep point 2 of 4"). Returns 0, or SR_EXIT_DATAERR with a message that begins with
 * `name: ` and gives the figures of the largest run, e.g. "big.yaml: needs 20 GiB per
 * thread (2 threads) and 3.1 MiB for 4,000 trials' results, 40 GiB in all; this machine
 * has 23 GiB of memory (it fits with --threads 1)". Fails with SR_EXIT_SOFTWARE when the
 * estimate itself cannot be made (out of memory). */
int sr_memory_check(const char *name, sr_scenario *const *scenarios, const char *const *labels,
                    size_t n, const sr_run_options *o, sr_error *err);

/* The same for one run that a command follows with work of its own holding `extra` bytes
 * beside the run's result set (a price search: its workspaces and columns), counted with
 * the results. */
int sr_memory_check_extra(const char *name, sr_scenario *sc, const sr_run_options *o,
                          double extra, sr_error *err);

/* `sirisk validate`'s line: what a run of sc with o takes and whether it fits, e.g.
 * "Memory: 1.1 MiB per thread (2 threads), 27 MiB for 10,000 trials' results; fits this
 * machine's 23 GiB". Returns 0, or SR_EXIT_SOFTWARE with err when the estimate cannot be
 * made (out of memory); nothing is printed then. */
int sr_memory_print(FILE *out, const sr_scenario *sc, const sr_run_options *o, sr_error *err);

/* bytes as "512 B", "27 MiB", "3.1 GiB" (binary units; two significant digits below 10). */
void sr_memory_format(double bytes, char *buf, size_t size);

#endif
