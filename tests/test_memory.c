/* The memory check (sim/variants/memory.h). Its estimate against what the constructors take, as the
 * C library counts it, and against the peak resident set of a whole run, as the kernel
 * counts it; scenarios too big for any machine, or for an address-space limit, refused at
 * once with the figure (exit 65, no file) by run, stress and sweep, and shown by validate.
 * And memory that runs out while a scenario loads: exit 70, whichever allocation fails. */
#define _DEFAULT_SOURCE /* wait4 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "models/cashflow.h"
#include "sim/engine/layout.h"
#include "sim/engine/rates.h"
#include "sim/engine/records.h"
#include "sim/engine/resettle.h"
#include "sim/engine/results.h"
#include "sim/engine/run.h"
#include "sim/engine/trial.h"
#include "sim/scenario/scenario.h"
#include "sim/variants/memory.h"
#include "tests/support.h"

#define BIN SIRISK_BINARY

/* > 0: the fail_in-th allocation from now fails, returns NULL (in a build without
 * AddressSanitizer, whose allocator this file replaces below). */
static long fail_in;

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
size_t __sanitizer_get_current_allocated_bytes(void);   /* AddressSanitizer's interface */
/* Bytes the program holds from AddressSanitizer's allocator (requests, no overhead). */
static double live_bytes(void)
{
    return (double)__sanitizer_get_current_allocated_bytes();
}
#else
#define SANITIZED 0
/* Every block this process takes from glibc through malloc, calloc and realloc is counted
 * here by its usable size (what glibc gives: the request and what rounding adds), so
 * that a constructor's bytes are measured by the allocator, independently of the sizes
 * the estimate reads. These definitions take the place of glibc's for the whole process,
 * and hand each call on to glibc's own. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static long long held;   /* usable bytes of the blocks live, updated atomically */

/* Whether this allocation is the one to fail. */
static bool fails(void)
{
    return __atomic_load_n(&fail_in, __ATOMIC_RELAXED) > 0 &&
           __atomic_sub_fetch(&fail_in, 1, __ATOMIC_RELAXED) == 0;
}

static void *counted(void *p)
{
    if (p != NULL)
        __atomic_add_fetch(&held, (long long)malloc_usable_size(p), __ATOMIC_RELAXED);
    return p;
}

static void uncount(void *p)
{
    if (p != NULL)
        __atomic_sub_fetch(&held, (long long)malloc_usable_size(p), __ATOMIC_RELAXED);
}

void *malloc(size_t n)
{
    return fails() ? NULL : counted(__libc_malloc(n));
}

void *calloc(size_t n, size_t size)
{
    return fails() ? NULL : counted(__libc_calloc(n, size));
}

void *realloc(void *p, size_t n)
{
    if (fails())
        return NULL;   /* p stays as it was */
    size_t before = p != NULL ? malloc_usable_size(p) : 0;
    void *q = __libc_realloc(p, n);
    if (q != NULL || n == 0)   /* the old block is gone (moved, or freed by a size 0) */
        __atomic_sub_fetch(&held, (long long)before, __ATOMIC_RELAXED);
    return counted(q);
}

void free(void *p)
{
    uncount(p);
    __libc_free(p);
}

static double live_bytes(void)
{
    return (double)__atomic_load_n(&held, __ATOMIC_RELAXED);
}
#endif

/* ---- the estimate against the allocator -------------------------------------------- */

/* What the layout, one thread's trial workspace and the result set take. */
typedef struct {
    double layout, trial, results;
} parts;

/* Builds each part of a run of m in turn and counts the allocator's bytes it holds after
 * (measured) beside the estimate of it. Temporaries a constructor frees before it returns
 * (the rate card's digit tables, the copula's matrix) are in the estimate, which bounds
 * the peak, but not in the measure. */
static void measure(const sr_model *m, parts *measured, parts *estimated)
{
    double before = live_bytes();
    sr_layout *l = sr_layout_alloc(m);
    cr_assert_not_null(l);
    measured->layout = live_bytes() - before;
    estimated->layout = sr_layout_bytes(l);

    int too_many = 0;
    before = live_bytes();
    sr_trial_ws *w = sr_trial_ws_alloc(m, l, &too_many);
    cr_assert_not_null(w);
    measured->trial = live_bytes() - before;
    estimated->trial = sr_trial_ws_bytes(m, l);

    const size_t years = sr_n_calendar_years(m);
    before = live_bytes();
    sr_resultset *rs = sr_resultset_alloc(m->trials, years, m->start_year, m->n_programmes);
    cr_assert_not_null(rs);
    cr_assert_eq(sr_resultset_alloc_parameters(rs, m->n_parameters), 0);
    measured->results = live_bytes() - before;
    estimated->results = sr_resultset_bytes(m->trials, years, m->n_programmes, m->n_parameters);

    sr_resultset_free(rs);
    sr_trial_ws_free(w);
    sr_layout_free(l);
}

/* The estimate is an upper bound of the bytes held, and near them: above by at most 3%
 * and 64 KiB. What it adds on purpose is small: 64 bytes per array for what glibc adds to
 * a chunk (it adds 8 to 56), 4 KiB per mmap'd array for page rounding (glibc adds less),
 * and the temporaries. An array left out of the estimate (it falls below) or
 * counted twice or with the wrong element size (it rises 10% and more where that array
 * dominates, as the cases below are built to make it) fails. */
static void expect_bounded(const char *what, const char *part, double measured, double estimated)
{
    cr_expect_geq(estimated, measured, "%s, %s: estimate %.0f bytes below the %.0f allocated",
                  what, part, estimated, measured);
    cr_expect_leq(estimated, 1.03 * measured + 65536.0,
                  "%s, %s: estimate %.0f bytes far above the %.0f allocated", what, part,
                  estimated, measured);
}

static void check_model(const char *what, const sr_model *m)
{
    parts measured, estimated;
    measure(m, &measured, &estimated);
    expect_bounded(what, "layout", measured.layout, estimated.layout);
    expect_bounded(what, "trial workspace", measured.trial, estimated.trial);
    expect_bounded(what, "result set", measured.results, estimated.results);
}

/* scenarios/<name>.yaml, loaded. */
static sr_scenario *shipped(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, SIRISK_SOURCE_DIR "/scenarios/%s.yaml", name);
    sr_error err = {0};
    sr_scenario *sc = sr_scenario_load(path, NULL, 0, &err);
    cr_assert_not_null(sc, "%s", err.msg);
    return sc;
}

Test(memory, the_estimate_bounds_what_the_shipped_scenarios_allocate)
{
    const char *files[] = {"default", "national", "scale"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        sr_scenario *sc = shipped(files[k]);
        check_model(files[k], sc->model);
        sr_scenario_free(sc);
    }
}

/* A price search keeps every trial's contract records and, per thread, a workspace to
 * settle them again: the estimates bound what those take, and a run asked to keep its
 * records counts them. */
Test(memory, the_estimate_bounds_the_records_a_price_search_keeps)
{
    const char *files[] = {"default", "national"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        sr_scenario *sc = shipped(files[k]);
        const sr_model *m = sc->model;
        double before = live_bytes();
        sr_records *r = sr_records_alloc(m, m->trials);
        cr_assert_not_null(r);
        expect_bounded(files[k], "records", live_bytes() - before,
                       sr_records_bytes(m, m->trials));
        cr_expect_geq(sr_records_per_trial(m), m->n_months,
                      "a record holds at least the monthly costs");
        sr_resultset *rs = sr_resultset_alloc(1, sr_n_calendar_years(m), m->start_year,
                                              m->n_programmes);
        before = live_bytes();
        sr_resettle *w = sr_resettle_alloc(m, rs, 2);
        cr_assert_not_null(w);
        expect_bounded(files[k], "settling again", live_bytes() - before,
                       sr_resettle_bytes(m, 2));
        sr_run_memory plain, kept;
        sr_run_options o = {.threads = 2};
        cr_assert_eq(sr_run_memory_need(m, sc->text, &o, &plain), 0);
        o.keep_records = true;
        cr_assert_eq(sr_run_memory_need(m, sc->text, &o, &kept), 0);
        cr_expect_eq(kept.results, plain.results + sr_records_bytes(m, m->trials));
        cr_expect_eq(kept.per_thread, plain.per_thread);
        sr_resettle_free(w);
        sr_resultset_free(rs);
        sr_records_free(r);
        sr_scenario_free(sc);
    }
}

/* Dynamics that each case below extends. */
#define DYNAMICS                                                                           \
    "discount: {public: 0.035, investor: 0.05}\n"                                           \
    "states:\n"                                                                             \
    "  - {name: outside, tenure_max: 24}\n"                                                 \
    "  - {name: education}\n"                                                               \
    "  - {name: employed, tenure_max: 24}\n"                                                \
    "  - {name: exited, absorbing: true}\n"                                                 \
    "transitions:\n"                                                                        \
    "  - {from: outside, to: employed, hazard: $find, macro: pro,"                          \
    " by_tenure: [[0, 1], [12, 0.8]]}\n"                                                    \
    "  - {from: employed, to: outside, hazard: 0.1, macro: counter,"                        \
    " by_tenure: [[0, 1], [3, 0.44], [12, 0.15]]}\n"                                        \
    "  - {from: outside, to: education, hazard: 0.004}\n"                                   \
    "  - {from: education, to: employed, hazard: 0.02}\n"                                   \
    "  - {from: [outside, education, employed], to: exited, hazard: 0.002}\n"               \
    "strata:\n"                                                                             \
    "  - {name: a, share: 0.25}\n"                                                          \
    "  - {name: b, share: 0.25, multiply: {outside->employed: 0.7}}\n"                      \
    "  - {name: c, share: 0.25}\n"                                                          \
    "  - {name: d, share: 0.25}\n"                                                          \
    "cashflows:\n"                                                                          \
    "  outside: {municipality: 6773, state: 2465}\n"                                        \
    "  employed: {municipality: -4500, state: -2000}\n"

Test(memory, the_estimate_bounds_rates_progress_tables_copulas_and_blocks)
{
    /* A gaussian factor tabulates rates for every month and effect phase: rates dominate. */
    const char *factor =
        "name: factor\n"
        "simulation: {trials: 300, seed: 1, start: 2027-01, horizon_years: 30}\n"
        "parameters: {find: {dist: gamma, mean: 0.008, sd: 0.002}}\n" DYNAMICS
        "macro: {model: gaussian_factor, rho: 0.1, persistence: 0.9}\n"
        "programmes:\n"
        "  - name: p\n"
        "    cohort: {size: 1000, intake: {start: 2027-01, months: 12}, initial_state: outside}\n"
        "    intervention:\n"
        "      effect: {transitions: [outside->employed], hazard_ratio: 1.3, months: 18,"
        " fade_months: 24}\n";
    /* Rate cards of two programmes: progress tables and the cells they multiply. */
    const char *cards =
        "name: cards\n"
        "simulation: {trials: 300, seed: 1, start: 2027-01, horizon_years: 10}\n"
        "parameters: {find: 0.008}\n" DYNAMICS
        "programmes:\n"
        "  - name: p\n"
        "    cohort: {size: 1000, intake: {start: 2027-01, months: 12}, initial_state: outside}\n"
        "    intervention: {effect: {transitions: [outside->employed], hazard_ratio: 1.3,"
        " months: 18}}\n"
        "    contract:\n"
        "      payer: municipality\n"
        "      type: rate_card\n"
        "      outcomes:\n"
        "        - {name: j3, state: employed, tenure: 3, price: 1000}\n"
        "        - {name: j6, state: employed, tenure: 6, price: 1000}\n"
        "        - {name: j12, state: employed, tenure: 12, price: 1000}\n"
        "        - {name: j24, state: employed, tenure: 24, price: 1000}\n"
        "        - {name: e, state: education, tenure: 0, price: 500}\n"
        "        - {name: o, state: outside, tenure: 6, price: 10}\n"
        "      baseline: {method: control_group, size: 500}\n"
        "      term_years: 6\n"
        "  - name: q\n"
        "    cohort: {size: 500, intake: {start: 2028-01, months: 12}, initial_state: education}\n"
        "    contract:\n"
        "      payer: state\n"
        "      type: rate_card\n"
        "      outcomes: [{name: j, state: employed, tenure: 6, price: 1000}]\n"
        "      term_years: 4\n";
    /* Correlated named parameters: the copula's factor, and many trials of draws. */
    const char *copula =
        "name: copula\n"
        "simulation: {trials: 20000, seed: 1, start: 2027-01, horizon_years: 10}\n"
        "parameters:\n"
        "  find: {dist: gamma, mean: 0.008, sd: 0.002}\n"
        "  hr: {dist: lognormal, median: 1.3, p95: 1.9}\n"
        "  cost: {dist: uniform, min: 1000, max: 3000}\n"
        "correlations: [[find, hr, 0.3], [hr, cost, -0.2]]\n" DYNAMICS
        "macro: {model: regime, switch: {to_recession: 0.01, to_normal: 0.05},"
        " recession: {pro: 0.6, counter: 1.5}}\n"
        "programmes:\n"
        "  - name: p\n"
        "    cohort: {size: 1000, intake: {start: 2027-01, months: 12}, initial_state: outside}\n"
        "    intervention:\n"
        "      effect: {transitions: [outside->employed], hazard_ratio: $hr, months: 18}\n"
        "      costs: {per_participant: $cost}\n";
    const char *cases[][2] = {{"gaussian factor", factor}, {"rate cards", cards},
                              {"copula", copula}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sr_model *m = sr_test_model(cases[k][1]);
        check_model(cases[k][0], m);
        sr_model_free(m);
    }
}

/* A scenario of `states` states in a chain (each with tenure_max, and with a hazard that
 * changes at tenure 600 when `breakpoints`, so that each keeps tenure_max + 1 levels) and
 * `strata` equal strata over `years` years, with an intervention (so a block of counts per
 * intake month): the arms' blocks dominate its memory. malloc'd text. */
static char *wide_scenario(size_t states, size_t strata, unsigned years, unsigned trials,
                           unsigned tenure_max, bool breakpoints)
{
    size_t cap = 128 * (states + strata) + 4096, n = 0;
    char *y = malloc(cap);
    cr_assert_not_null(y);
    n += (size_t)snprintf(y + n, cap - n,
                          "name: wide\n"
                          "simulation: {trials: %u, seed: 1, start: 2027-01, horizon_years: %u}\n"
                          "discount: {public: 0.035, investor: 0.05}\nstates:\n", trials, years);
    for (size_t i = 0; i < states; i++)
        n += (size_t)snprintf(y + n, cap - n, "  - {name: s%zu, tenure_max: %u}\n", i,
                              tenure_max);
    n += (size_t)snprintf(y + n, cap - n, "transitions:\n");
    for (size_t i = 0; i + 1 < states; i++)
        n += (size_t)snprintf(y + n, cap - n, "  - {from: s%zu, to: s%zu, hazard: 0.05%s}\n",
                              i, i + 1, breakpoints ? ", by_tenure: [[600, 0.5]]" : "");
    n += (size_t)snprintf(y + n, cap - n, "strata:\n");
    for (size_t k = 0; k < strata; k++)
        n += (size_t)snprintf(y + n, cap - n, "  - {name: k%zu, share: %.17g}\n", k,
                              1.0 / (double)strata);
    snprintf(y + n, cap - n,
             "cashflows:\n  s1: {municipality: 100}\n"
             "programmes:\n"
             "  - name: p\n"
             "    cohort: {size: 100000, intake: {start: 2027-01, months: 24}, initial_state: s0}\n"
             "    intervention:\n"
             "      effect: {transitions: [s0->s1], hazard_ratio: 1.2, months: 18,"
             " fade_months: 12}\n");
    return y;
}

Test(memory, the_estimate_bounds_the_blocks_of_a_wide_scenario)
{
    char *y = wide_scenario(128, 16, 40, 10, 0, false);
    sr_model *m = sr_test_model(y);
    check_model("wide", m);
    sr_model_free(m);
    free(y);
}

/* ---- the estimate against a whole run's peak resident set -------------------------- */

/* Runs `sirisk args...` (its output discarded) and returns its exit status; *peak gets its
 * peak resident set in bytes, as the kernel counts it for a waited-for child. */
static int run_measured(const char *dir, const char *const *args, double *peak)
{
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (chdir(dir) != 0 || null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
            _exit(126);
        char *argv[16] = {BIN};
        for (size_t i = 0; args[i] != NULL && i + 2 < 16; i++)
            argv[i + 1] = (char *)args[i];
        execv(BIN, argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    cr_assert_eq(wait4(pid, &status, 0, &ru), pid);
    *peak = (double)ru.ru_maxrss * 1024.0;   /* Linux: kilobytes */
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A run on one thread peaks at what validate (the same program with the scenario loaded,
 * but no workspace or result set) holds plus the estimate: every block is cleared month
 * by month and every rate computed, so what is allocated is touched. Measured here: the
 * run's extra resident set is 99% of the estimate (72.1 of 72.9 MB). It may exceed the
 * estimate by what HDF5, zlib and the OpenMP runtime take while writing (allowed: 12 MiB);
 * it must reach 85% of it, or the estimate counts what a run does not hold. */
Test(memory, a_run_peaks_within_its_estimate)
{
    if (SANITIZED)
        cr_skip_test("AddressSanitizer's shadow memory and quarantine inflate the resident set");
    char *dir = sr_test_tmpdir();
    char *y = wide_scenario(512, 16, 40, 2, 0, false);
    char *path = sr_test_write_file(dir, "wide.yaml", y);
    sr_scenario *sc = sr_test_scenario(y);
    sr_run_memory need;
    sr_run_options one = {.threads = 1};
    cr_assert_eq(sr_run_memory_need(sc->model, sc->text, &one, &need), 0);
    const double estimate = need.per_thread + need.shared + need.results;
    cr_assert_gt(estimate, 64.0 * 1048576.0, "the workspace must dominate: %.0f", estimate);

    double base = 0.0, peak = 0.0;
    const char *validate[] = {"validate", "wide.yaml", NULL};
    const char *run[] = {"run", "wide.yaml", "--threads", "1", "-o", "w.h5", "--quiet", NULL};
    cr_assert_eq(run_measured(dir, validate, &base), 0);
    cr_assert_eq(run_measured(dir, run, &peak), 0);
    const double extra = peak - base;
    cr_expect_leq(extra, estimate + 12.0 * 1048576.0, "the run took %.0f bytes more than "
                  "validate, its estimate is %.0f", extra, estimate);
    cr_expect_geq(extra, 0.85 * estimate, "the run took %.0f bytes more than validate, its "
                  "estimate is %.0f", extra, estimate);
    sr_scenario_free(sc);
    free(path);
    free(y);
    sr_test_remove_dir(dir);
}

/* A scenario whose result set dominates what a run holds: 10,000 trials of 100 persons in
 * 3 states over 2 years (7.0 MiB of results, 32 KiB per thread), with five stresses that
 * change only a price. */
static const char *held_results =
    "name: held\n"
    "simulation: {trials: 10000, seed: 1, start: 2027-01, horizon_years: 2}\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    SR_TEST_STATES
    "  - {from: outside, to: employed, hazard: 0.02}\n"
    "  - {from: employed, to: outside, hazard: 0.05}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.002}\n"
    "cashflows:\n"
    "  outside: {municipality: 9000, state: 2500}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: 100, intake: {start: 2027-01, months: 1}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.4, months: 12}\n"
    "      costs: {per_participant: 10000}\n"
    "stresses:\n"
    "  s1: {\"programmes[0].intervention.costs.per_participant\": 1}\n"
    "  s2: {\"programmes[0].intervention.costs.per_participant\": 2}\n"
    "  s3: {\"programmes[0].intervention.costs.per_participant\": 3}\n"
    "  s4: {\"programmes[0].intervention.costs.per_participant\": 4}\n"
    "  s5: {\"programmes[0].intervention.costs.per_participant\": 5}\n";

/* Stress and sweep hold one run at a time: each run's result set is written to the file
 * and freed before the next runs, and HDF5 lets go of an object's metadata when it is
 * closed. Six runs then peak less than a quarter of one result set above two runs
 * (measured: 0.74 MiB for stress and 0.77 MiB for sweep, the four more scenarios loaded up
 * front, against 7.0 MiB of results per run). Holding every result set until the end (as
 * stress did) added the four result sets, 45 MiB; HDF5 keeping every object's metadata
 * until the file closes added 4.2 MiB per run, 17 MiB. */
Test(memory, stress_and_sweep_peak_no_higher_with_more_runs, .timeout = 120)
{
    if (SANITIZED)
        cr_skip_test("AddressSanitizer's quarantine keeps freed memory resident");
    char *dir = sr_test_tmpdir();
    char *path = sr_test_write_file(dir, "held.yaml", held_results);
    sr_scenario *sc = sr_test_scenario(held_results);
    sr_run_memory need;
    sr_run_options two = {.threads = 2};
    cr_assert_eq(sr_run_memory_need(sc->model, sc->text, &two, &need), 0);
    cr_assert_gt(need.results, 6.0 * 1048576.0, "the result set must dominate: %.0f",
                 need.results);
    cr_assert_lt(need.per_thread + need.shared, need.results / 16.0);
    const double margin = need.results / 4.0;

    const char *stress_2[] = {"stress", "held.yaml", "--only", "s1", "-o", "s.h5", "--quiet",
                              "--threads", "2", NULL};
    const char *stress_6[] = {"stress", "held.yaml", "-o", "s.h5", "--quiet", "--threads", "2",
                              NULL};
    const char *sweep_2[] = {"sweep", "held.yaml", "--param", "simulation.seed", "--values",
                             "1,2", "-o", "w.h5", "--quiet", "--threads", "2", NULL};
    const char *sweep_6[] = {"sweep", "held.yaml", "--param", "simulation.seed", "--values",
                             "1,2,3,4,5,6", "-o", "w.h5", "--quiet", "--threads", "2", NULL};
    const char *const *pairs[][2] = {{stress_2, stress_6}, {sweep_2, sweep_6}};
    for (size_t k = 0; k < 2; k++) {
        double few = 0.0, many = 0.0;
        cr_assert_eq(run_measured(dir, pairs[k][0], &few), 0, "%s of 2 runs", pairs[k][0][0]);
        cr_assert_eq(run_measured(dir, pairs[k][1], &many), 0, "%s of 6 runs", pairs[k][1][0]);
        cr_expect_lt(many - few, margin, "%s: 6 runs peak at %.0f bytes, 2 at %.0f: %.0f more "
                     "(at most %.0f)", pairs[k][0][0], many, few, many - few, margin);
    }
    sr_scenario_free(sc);
    free(path);
    sr_test_remove_dir(dir);
}

/* ---- refusals ------------------------------------------------------------------------ */

Test(memory, figures_are_in_binary_units_with_two_digits_below_ten)
{
    const struct {
        double bytes;
        const char *text;
    } cases[] = {{0, "0 B"}, {512, "512 B"}, {1024, "1.0 KiB"}, {1535, "1.5 KiB"},
                 {10189, "10 KiB"}, {27.4 * 1048576, "27 MiB"}, {3.1 * 1073741824.0, "3.1 GiB"},
                 {11.2 * 1099511627776.0, "11 TiB"}, {1e30, "867361737988 EiB"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char buf[32];
        sr_memory_format(cases[k].bytes, buf, sizeof buf);
        cr_expect_str_eq(buf, cases[k].text, "%g bytes", cases[k].bytes);
    }
}

/* 1,024 strata x 1,024 states with tenure to 600 months over 100 years, a 140 KB file.
 * Each transition's hazard changes at tenure 600, so every state keeps 601 tenure levels:
 * 11 TiB per thread, which no machine has. (Without those breakpoints the scenario takes
 * 20 GiB per thread, which a large machine could hold.) */
static char *huge_scenario(const char *extra)
{
    char *y = wide_scenario(1024, 1024, 100, 4000, 600, true);
    size_t n = strlen(y) + strlen(extra) + 1;
    char *all = malloc(n);
    cr_assert_not_null(all);
    snprintf(all, n, "%s%s", y, extra);
    free(y);
    return all;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Refused before anything is allocated or simulated: the message names the file and
 * gives the figures. The time bound is a guard against a run that starts, not a
 * performance figure: the refusal takes 0.4 s here, and a run would take days. */
Test(memory, run_refuses_a_scenario_no_machine_can_hold)
{
    char *y = huge_scenario("");
    const double start = seconds();
    sr_test_expect_failure(y, true, "run small.yaml", 65, "small.yaml: needs 11 TiB per thread");
    cr_expect_lt(seconds() - start, 30.0);
    sr_test_expect_failure(y, false, "run small.yaml -o old.h5 --threads 1", 65,
                           "needs 11 TiB per thread (1 thread) and 138 MiB for 4,000 trials' "
                           "results, 11 TiB in all; this machine has");
    free(y);
}

Test(memory, price_refuses_it_before_the_run)
{
    char *y = huge_scenario("    contract: {payer: municipality, type: savings_share, share: 0.5,"
                            " baseline: {method: none}, term_years: 6}\n");
    sr_test_expect_failure(y, true, "price small.yaml --vary programmes[0].contract.share "
                           "--target payments.mean=1e6", 65,
                           "small.yaml: needs 11 TiB per thread");
    free(y);
}

Test(memory, stress_and_sweep_refuse_it_before_any_run)
{
    char *y = huge_scenario("stresses: {again: {simulation.seed: 2},"
                            " more: {simulation.trials: 8000}}\n");
    /* One run at a time: the figures are those of the largest run, the base here (the
     * stress `again` is as large), not of the two runs' results together. */
    sr_test_expect_failure(y, true, "stress small.yaml --only again", 65,
                           "small.yaml: needs 11 TiB per thread (2 threads) and 138 MiB for "
                           "4,000 trials' results, 22 TiB in all;");
    /* the largest run is named: the stress `more`, with twice the trials (138 MiB above
     * is about half of it, rounded) */
    sr_test_expect_failure(y, true, "stress small.yaml", 65,
                           "small.yaml: stress more needs 11 TiB per thread (2 threads) and "
                           "275 MiB for 8,000 trials' results, 22 TiB in all;");
    sr_test_expect_failure(y, true, "sweep small.yaml --param simulation.seed --values 1,2", 65,
                           "small.yaml: sweep point 1 of 2 needs 11 TiB per thread");
    free(y);
}

Test(memory, validate_shows_the_figure_and_that_it_does_not_fit)
{
    char *dir = sr_test_tmpdir();
    char *y = huge_scenario("");
    char *path = sr_test_write_file(dir, "big.yaml", y);
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(sr_test_cmd("OMP_NUM_THREADS=2 %s validate %s", BIN, path), &out, &err);
    cr_expect_eq(rc, 0, "a valid scenario that does not fit is still valid: %s", err);
    cr_expect_not_null(strstr(out, "Memory: 11 TiB per thread (2 threads) and 138 MiB for "
                                   "4,000 trials' results, 22 TiB in all; does not fit: "
                                   "this machine has "),
                       "%s", out);
    cr_expect_not_null(strstr(out, "; run, stress and sweep refuse it\n"), "%s", out);
    free(out);
    free(err);

    rc = sr_test_run(sr_test_cmd("OMP_NUM_THREADS=2 %s validate %s/scenarios/default.yaml", BIN,
                                 SIRISK_SOURCE_DIR), &out, NULL);
    cr_expect_eq(rc, 0);
    const char *line = strstr(out, "\nMemory: ");
    cr_expect_not_null(line, "%s", out);
    cr_expect_not_null(strstr(line, " KiB per thread (2 threads) and 42 MiB for 10,000 "
                                    "trials' results, 43 MiB in all; fits in the "),
                       "%s", line);
    free(out);
    free(path);
    free(y);
    sr_test_remove_dir(dir);
}

/* The scenario of the report that made this check: 1,024 strata x 1,024 states with
 * tenure_max 600 (one level each: nothing changes with tenure), 100 years, a 115 KB file:
 * 20 GiB per thread, which a machine may have, but not under a 4 GiB address-space limit
 * (`ulimit -v`), whatever the machine. */
Test(memory, an_address_space_limit_is_respected)
{
    if (SANITIZED)
        cr_skip_test("AddressSanitizer reserves terabytes of shadow address space at start");
    char *dir = sr_test_tmpdir();
    char *y = wide_scenario(1024, 1024, 100, 4000, 600, false);
    char *path = sr_test_write_file(dir, "big.yaml", y);
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && ulimit -v 4194304 && %s run big.yaml -o r.h5 "
                                     "--threads 1", dir, BIN), NULL, &err);
    cr_expect_eq(rc, 65, "%s", err);
    cr_expect_not_null(strstr(err, "big.yaml: needs 20 GiB per thread (1 thread) and 138 MiB "
                                   "for 4,000 trials' results, 20 GiB in all; the "
                                   "address-space limit (ulimit -v) leaves "),
                       "%s", err);
    cr_expect_not(sr_test_exists(sr_test_cmd("%s/r.h5", dir)), "a result file was written");
    free(err);
    free(path);
    free(y);
    sr_test_remove_dir(dir);
}

/* A scenario that exercises every part of the loader: named and correlated parameters,
 * strata, tenure and dated cash flows, a rate card with a control group, the regime macro
 * model and stresses, loaded with overrides. */
static const char oom_scenario[] =
    "name: oom\n"
    "simulation: {trials: 10, seed: 1, start: 2027-01, horizon_years: 4}\n"
    "parameters:\n"
    "  find: {dist: gamma, mean: 0.02, sd: 0.005}\n"
    "  hr: {dist: lognormal, median: 1.3, p95: 1.9}\n"
    "correlations: [[find, hr, 0.3]]\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    SR_TEST_STATES
    "  - {from: outside, to: employed, hazard: $find, macro: pro, by_tenure: [[0, 1], [6, 0.8]]}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.002}\n"
    "  - {from: employed, to: outside, hazard: 0.05, macro: counter}\n"
    "strata:\n"
    "  - {name: a, share: 0.5}\n"
    "  - {name: b, share: 0.5, multiply: {outside->employed: 0.7}}\n"
    "cashflows:\n"
    "  outside: {municipality: 6773, state: 2465, by_tenure: [[6, {municipality: 7000}]]}\n"
    "  employed: {municipality: -4500, state: -2000}\n"
    "macro: {model: regime, switch: {to_recession: 0.01, to_normal: 0.05},"
    " recession: {pro: 0.6, counter: 1.5}}\n"
    "programmes:\n"
    "  - name: p\n"
    "    cohort: {size: 1000, intake: {start: 2027-01, months: 12}, initial_state: outside}\n"
    "    intervention: {effect: {transitions: [outside->employed], hazard_ratio: $hr, months: 6}}\n"
    "    contract:\n"
    "      payer: municipality\n"
    "      type: rate_card\n"
    "      outcomes: [{name: j6, state: employed, tenure: 6, price: 1000}]\n"
    "      baseline: {method: control_group, size: 200}\n"
    "      term_years: 3\n"
    "stresses:\n"
    "  weak: {parameters.hr.median: 1.1}\n"
    "  late: {\"programmes[0].cohort.intake.start\": 2028-01}\n";

/* Whether two loads of a scenario came out the same: the text as run, the notes, the
 * number table and the stresses. */
static bool same_load(const sr_scenario *a, const sr_scenario *b)
{
    return strcmp(a->text, b->text) == 0 &&
           (a->notes == NULL ? b->notes == NULL
                             : b->notes != NULL && strcmp(a->notes, b->notes) == 0) &&
           a->model->n_num == b->model->n_num &&
           memcmp(a->model->num, b->model->num, a->model->n_num * sizeof *a->model->num) == 0 &&
           a->n_stresses == b->n_stresses;
}

/* Every allocation of a load in turn fails: the load fails with exit 70 and says it ran
 * out of memory, never calls the scenario invalid (65), never crashes; or, where the
 * allocation only served a message's text, loads the same scenario as without a failure.
 * The allocations are walked until the load no longer reaches the one set to fail. */
Test(memory, running_out_of_memory_while_loading_a_scenario_exits_70, .timeout = 120)
{
    if (SANITIZED)
        cr_skip_test("the allocator is AddressSanitizer's, which cannot be made to fail here");
    sr_override ov[2];
    sr_error err = {0};
    cr_assert_eq(sr_override_parse("programmes[0].cohort.size=2000", &ov[0], &err), 0);
    cr_assert_eq(sr_override_parse("macro.start_in_recession=true", &ov[1], &err), 0);
    sr_scenario *whole = sr_scenario_load_text("x.yaml", oom_scenario, strlen(oom_scenario),
                                               ov, 2, &err);
    cr_assert_not_null(whole, "%s", err.msg);
    long failed = 0;
    for (long k = 1;; k++) {
        err = (sr_error){0};
        __atomic_store_n(&fail_in, k, __ATOMIC_RELAXED);
        sr_scenario *sc = sr_scenario_load_text("x.yaml", oom_scenario, strlen(oom_scenario),
                                                ov, 2, &err);
        const bool reached = __atomic_exchange_n(&fail_in, 0, __ATOMIC_RELAXED) == 0;
        if (sc != NULL) {
            cr_assert(same_load(sc, whole), "allocation %ld failed and the scenario loaded "
                      "differently", k);
            sr_scenario_free(sc);
            if (!reached)
                break;
            continue;
        }
        cr_assert(reached, "the load failed without a failing allocation: %s", err.msg);
        cr_assert_eq(err.code, SR_EXIT_SOFTWARE, "allocation %ld: exit %d: %s", k, err.code,
                     err.msg);
        cr_assert_not_null(strstr(err.msg, "out of memory"), "allocation %ld: %s", k, err.msg);
        failed++;
    }
    cr_expect_gt(failed, 1000, "a load takes more allocations than %ld", failed);
    sr_scenario_free(whole);
    sr_override_clear(&ov[0]);
    sr_override_clear(&ov[1]);
}
