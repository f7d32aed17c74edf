#include "sim/variants/memory.h"
#include "models/cashflow.h"
#include "sim/base/text.h"
#include "sim/resultset/h5write.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

/* What this machine offers a run, in bytes. */
typedef struct {
    double physical;          /* physical memory */
    double address_left;      /* what RLIMIT_AS leaves beyond the address space in use;
                               * INFINITY without a limit */
} machine;

/* The process's address space in use (VmSize), or 0 when /proc cannot tell. */
static double address_space_used(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f == NULL)
        return 0.0;
    if (fscanf(f, "%lu", &pages) != 1)
        pages = 0;
    fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    return page > 0 ? (double)pages * (double)page : 0.0;
}

static machine this_machine(void)
{
    machine a = {INFINITY, INFINITY};
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0)
        a.physical = (double)pages * (double)page;
    struct rlimit r;
    if (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY)
        a.address_left = fmax(0.0, (double)r.rlim_cur - address_space_used());
    return a;
}

static double room(const machine *a)
{
    return fmin(a->physical, a->address_left);
}

/* What run i takes with at most max_threads threads: its shared part, a workspace per
 * thread and its result set. */
static double run_bytes(const sr_run_memory *need, int max_threads)
{
    const int threads = need->threads < max_threads ? need->threads : max_threads;
    return need->shared + threads * need->per_thread + need->results;
}

/* The peak of the runs with needs[0..n), one at a time, each on its own threads but at
 * most max_threads; *peak_run gets the run at which it is reached. */
static double peak_of(const sr_run_memory *needs, size_t n, int max_threads,
                      size_t *peak_run)
{
    double peak = 0.0;
    *peak_run = 0;
    for (size_t i = 0; i < n; i++) {
        const double run = run_bytes(&needs[i], max_threads);
        if (run > peak) {
            peak = run;
            *peak_run = i;
        }
    }
    return peak;
}

void sr_memory_format(double bytes, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    size_t u = 0;
    while (bytes >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        bytes /= 1024.0;
        u++;
    }
    if (u > 0 && bytes < 9.95)
        snprintf(buf, size, "%.1f %s", bytes, units[u]);
    else
        snprintf(buf, size, "%.0f %s", bytes, units[u]);
}

/* "X per thread (T threads) and Y for N trials' results, Z in all" for the run p, whose
 * peak is `peak`. */
static void describe(const sr_run_memory *p, double peak, char *buf, size_t size)
{
    char thread[32], held[32], all[32], trials[32];
    sr_memory_format(p->per_thread, thread, sizeof thread);
    sr_memory_format(p->results, held, sizeof held);
    sr_memory_format(peak, all, sizeof all);
    sr_text_count(p->trials, trials, sizeof trials);
    snprintf(buf, size, "%s per thread (%d thread%s) and %s for %s trials' results, %s in all",
             thread, p->threads, p->threads == 1 ? "" : "s", held, trials, all);
}

/* What the machine offers, as the end of a sentence: "this machine has 23 GiB of memory"
 * or "the address-space limit (ulimit -v) leaves 1.2 GiB". */
static void describe_machine(const machine *a, char *buf, size_t size)
{
    char bytes[32];
    sr_memory_format(room(a), bytes, sizeof bytes);
    if (a->address_left < a->physical)
        snprintf(buf, size, "the address-space limit (ulimit -v) leaves %s", bytes);
    else
        snprintf(buf, size, "this machine has %s of memory", bytes);
}

/* The most threads, fewer than those of run p (the largest), with which every run fits;
 * 0 if none. */
static int threads_that_fit(const sr_run_memory *needs, size_t n, size_t p, double limit)
{
    size_t ignored;
    for (int t = needs[p].threads - 1; t >= 1; t--)
        if (peak_of(needs, n, t, &ignored) <= limit)
            return t;
    return 0;
}

/* The engine's need for one run, plus the scratch the result-set writer takes to
 * summarise it (counted with the result set: both live after the trials). */
static int run_memory_need(const sr_scenario *sc, const sr_run_options *o, sr_run_memory *out)
{
    const sr_model *m = sc->model;
    if (sr_run_memory_need(m, sc->text, o, out) != 0)
        return -1;
    out->results += sr_h5_write_scratch_bytes(m->trials, sr_n_calendar_years(m));
    return 0;
}

/* sr_memory_check with `extra` bytes added to every run's results. */
static int check(const char *name, sr_scenario *const *scenarios, const char *const *labels,
                 size_t n, const sr_run_options *o, double extra, sr_error *err)
{
    sr_run_memory *needs = calloc(n > 0 ? n : 1, sizeof *needs);
    if (needs == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "%s: out of memory", name);
    for (size_t i = 0; i < n; i++) {
        if (run_memory_need(scenarios[i], o, &needs[i]) != 0) {
            free(needs);
            return sr_error_set(err, SR_EXIT_SOFTWARE, "%s: out of memory for the cell "
                                "layout", name);
        }
        needs[i].results += extra;
    }
    const machine a = this_machine();
    size_t p = 0;
    const double peak = peak_of(needs, n, INT_MAX, &p);
    int rc = 0;
    if (peak > room(&a)) {
        char figures[256], offer[128], fewer[64] = "";
        const char *label = n > 1 && labels != NULL ? labels[p] : NULL;
        describe(&needs[p], peak, figures, sizeof figures);
        describe_machine(&a, offer, sizeof offer);
        int t = threads_that_fit(needs, n, p, room(&a));
        if (t > 0)
            snprintf(fewer, sizeof fewer, " (it fits with --threads %d)", t);
        rc = sr_error_set(err, SR_EXIT_DATAERR, "%s: %s%sneeds %s; %s%s", name,
                          label != NULL ? label : "", label != NULL ? " " : "", figures,
                          offer, fewer);
    }
    free(needs);
    return rc;
}

int sr_memory_check(const char *name, sr_scenario *const *scenarios, const char *const *labels,
                    size_t n, const sr_run_options *o, sr_error *err)
{
    return check(name, scenarios, labels, n, o, 0.0, err);
}

int sr_memory_check_extra(const char *name, sr_scenario *sc, const sr_run_options *o,
                          double extra, sr_error *err)
{
    return check(name, &sc, NULL, 1, o, extra, err);
}

int sr_memory_print(FILE *out, const sr_scenario *sc, const sr_run_options *o, sr_error *err)
{
    sr_run_memory need;
    if (run_memory_need(sc, o, &need) != 0)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for the cell layout, "
                            "estimating the memory a run takes");
    const machine a = this_machine();
    const double peak = run_bytes(&need, INT_MAX);
    char figures[256], offer[128], bytes[32];
    describe(&need, peak, figures, sizeof figures);
    if (peak <= room(&a)) {
        sr_memory_format(room(&a), bytes, sizeof bytes);
        fprintf(out, "Memory: %s; fits in the %s this machine offers\n", figures, bytes);
        return 0;
    }
    describe_machine(&a, offer, sizeof offer);
    int t = threads_that_fit(&need, 1, 0, room(&a));
    fprintf(out, "Memory: %s; does not fit: %s", figures, offer);
    if (t > 0)
        fprintf(out, " (it fits with --threads %d)", t);
    fputs("; run, stress and sweep refuse it\n", out);
    return 0;
}
