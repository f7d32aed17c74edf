/* Benchmarks of the engine (never part of the tests). Prints, per case, trials per
 * second, time per trial, time per trial per 1,000 persons and peak memory, on all cores.
 *
 *   build/sirisk_bench [--trials N] [--threads T] [--sweep | --rate-card | --voi | --price]
 *
 * Cases: the benchmark cohort (bench/cohort.yaml: one programme, 4 states, tenure to 24
 * months, 10 years monthly) at 1,000, 80,000 and 1,000,000 persons; the default scenario;
 * the default scenario's rate card with its cohort and control group scaled 1,000 and
 * 100,000 times (10^6 and 10^8 persons: a trial's cost must not grow with the cohort, so
 * the two are within 2x, and the ratio is printed); the national scenario (80,000 persons
 * in six programmes). Then a sweep against its single runs: scenarios/scale.yaml at 4
 * paired cohort and control sizes (250 ... 16,000), once as `sirisk sweep` does it
 * (sr_sweep_run) and once as 4 loads and runs, without and with writing the result files
 * (a sweep should cost no more than 1.1 x its single runs). Then a price search's
 * candidate against a run of the default scenario (at most 0.05 of it).
 * --sweep runs the sweep case only, --rate-card the rate card's (with all N trials),
 * --price the price search's.
 * --voi times `sirisk voi` of result sets of the default scenario (written first, not
 * timed): attribution and EVPPI on 10,000 trials (every input alone, then with a group of
 * two and one of three), and the EVSI of 5 pilot sizes at 4,000 outer draws. Run from the
 * source tree. */
#include <gsl/gsl_errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/resultset/h5write.h"
#include "sim/engine/records.h"
#include "sim/engine/resettle.h"
#include "sim/engine/run.h"
#include "sim/scenario/scenario.h"
#include "sim/variants/sweep.h"
#include "sim/variants/voi_run.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double peak_memory_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Runs one case and prints its row; returns 0 or the error code. */
/* Most overrides one case applies. */
#define MAX_SETS 16

/* Runs one case, the scenario at path with the "PATH=VALUE" overrides in sets (NULL
 * ended, may be NULL), and prints its row; returns 0 or the error code, and the seconds
 * per trial in *per_trial_out if not NULL. */
static int bench_case_timed(const char *label, const char *path, const char *const *sets,
                            unsigned trials, int threads, double *per_trial_out)
{
    char trials_set[64];
    sr_override ov[MAX_SETS + 1];
    size_t n_ov = 0;
    sr_error err = {0};
    snprintf(trials_set, sizeof trials_set, "simulation.trials=%u", trials);
    if (sr_override_parse(trials_set, &ov[n_ov++], &err) != 0)
        goto fail;
    for (size_t k = 0; sets != NULL && sets[k] != NULL && k < MAX_SETS; k++)
        if (sr_override_parse(sets[k], &ov[n_ov++], &err) != 0)
            goto fail;
    sr_scenario *sc = sr_scenario_load(path, ov, n_ov, &err);
    if (sc == NULL)
        goto fail;
    const sr_model *m = sc->model;
    size_t persons = 0;
    for (size_t p = 0; p < m->n_programmes; p++)
        persons += m->programmes[p].size;
    sr_run_options o = {.threads = threads};
    double t0 = now_seconds();
    sr_resultset *rs = sr_run(m, sc->text, &o, &err);
    double seconds = now_seconds() - t0;
    if (rs == NULL) {
        sr_scenario_free(sc);
        goto fail;
    }
    double per_trial = seconds / trials;
    if (per_trial_out != NULL)
        *per_trial_out = per_trial;
    printf("%-31s %10zu %8u %12.0f %12.3f %14.4f %10.1f\n", label, persons, trials,
           trials / seconds, 1e3 * per_trial, 1e6 * per_trial / (persons / 1000.0),
           peak_memory_mib());
    sr_resultset_free(rs);
    sr_scenario_free(sc);
    for (size_t i = 0; i < n_ov; i++)
        sr_override_clear(&ov[i]);
    return 0;
fail:
    fprintf(stderr, "sirisk_bench: %s: %s\n", label, err.msg);
    for (size_t i = 0; i < n_ov; i++)
        sr_override_clear(&ov[i]);
    return err.code ? err.code : 1;
}

static int bench_case(const char *label, const char *path, const char *const *sets,
                      unsigned trials, int threads)
{
    return bench_case_timed(label, path, sets, trials, threads, NULL);
}

/* The default scenario's rate card with the cohort and control group scaled to 10^6 and
 * 10^8 persons: the same cost per trial within 2x (the occupied cells and groups saturate
 * by 10^8; nothing costs in proportion to the persons). */
static int bench_rate_card(unsigned trials, int threads)
{
    static const char *const million[] = {"programmes[0].cohort.size=1000000",
                                          "programmes[0].contract.baseline.size=500000", NULL};
    static const char *const hundred_million[] = {
        "programmes[0].cohort.size=100000000", "programmes[0].contract.baseline.size=50000000",
        NULL};
    double small = 0.0, large = 0.0;
    int rc = bench_case_timed("rate card, 10^6 persons", "scenarios/default.yaml", million,
                              trials, threads, &small);
    rc |= bench_case_timed("rate card, 10^8 persons", "scenarios/default.yaml",
                           hundred_million, trials, threads, &large);
    if (rc == 0)
        printf("%-31s %10s %8s %12.2f   (10^8 / 10^6 cost per trial; at most 2)\n",
               "rate card cost ratio", "", "", large / small);
    return rc;
}

/* ---- a price search's candidate against a run ------------------------------------------- */

/* The default scenario run once with its contract records kept, then settled again at
 * candidate price scales as a price search does (sr_resettle_columns, one figure per trial,
 * and sr_resettle_all, every figure): the seconds of a candidate over those of the run
 * (goal: at most 0.05), the better of three rounds of 8 candidates each. */
static int bench_price(unsigned trials, int threads)
{
    char trials_set[64];
    sr_override ov;
    sr_error err = {0};
    snprintf(trials_set, sizeof trials_set, "simulation.trials=%u", trials);
    if (sr_override_parse(trials_set, &ov, &err) != 0)
        goto fail;
    sr_scenario *sc = sr_scenario_load("scenarios/default.yaml", &ov, 1, &err);
    sr_override_clear(&ov);
    if (sc == NULL)
        goto fail;
    const sr_model *m = sc->model;
    sr_run_options o = {.threads = threads, .keep_records = true};
    double t0 = now_seconds();
    sr_resultset *rs = sr_run(m, sc->text, &o, &err);
    const double run_seconds = now_seconds() - t0;
    if (rs == NULL) {
        sr_scenario_free(sc);
        goto fail;
    }
    sr_resettle *r = sr_resettle_alloc(m, rs, sr_run_threads(m, &o));
    double *column = malloc(trials * sizeof *column);
    if (r == NULL || column == NULL) {
        sr_resettle_free(r);
        free(column);
        sr_resultset_free(rs);
        sr_scenario_free(sc);
        fprintf(stderr, "sirisk_bench: price: out of memory\n");
        return 70;
    }
    enum { CANDIDATES = 8, ROUNDS = 3 };
    double one = 1e300, all = 1e300;
    const sr_resettle_pick pick = {0, SR_M_INVESTOR_IRR};
    for (int round = 0; round < ROUNDS; round++) {
        t0 = now_seconds();
        for (int k = 0; k < CANDIDATES; k++) {
            const sr_term t = {SR_TERM_PRICE_SCALE, 0, 0, 0.5 + 0.25 * k};
            sr_resettle_columns(r, (sr_changes){&t, 1}, 0, trials, &pick, 1, &column);
        }
        double a = (now_seconds() - t0) / CANDIDATES;
        t0 = now_seconds();
        for (int k = 0; k < CANDIDATES; k++) {
            const sr_term t = {SR_TERM_PRICE_SCALE, 0, 0, 0.5 + 0.25 * k};
            sr_resettle_all(r, (sr_changes){&t, 1}, rs);
        }
        double b = (now_seconds() - t0) / CANDIDATES;
        one = a < one ? a : one;
        all = b < all ? b : all;
    }
    printf("\nprice search on scenarios/default.yaml, %u trials: the run with its records "
           "kept %.3f s (records %.0f bytes a trial)\n",
           trials, run_seconds, 8.0 * (double)sr_records_per_trial(m));
    printf("%-44s %12s %12s\n", "candidate (a price scale)", "seconds", "of the run");
    printf("%-44s %12.4f %12.4f\n", "one figure per trial (a search step)", one,
           one / run_seconds);
    printf("%-44s %12.4f %12.4f\n", "every figure, every level (the result set)", all,
           all / run_seconds);
    free(column);
    sr_resettle_free(r);
    sr_resultset_free(rs);
    sr_scenario_free(sc);
    return 0;
fail:
    fprintf(stderr, "sirisk_bench: price: %s\n", err.msg);
    return err.code ? err.code : 1;
}

/* ---- the sweep against its single runs ------------------------------------------------- */

static const char *const sweep_path = "scenarios/scale.yaml";
static const char *const sweep_keys =
    "programmes[0].cohort.size,programmes[0].contract.baseline.size";
static const char *const sweep_values = "[250,125],[1000,500],[4000,2000],[16000,8000]";
static const char *const sweep_sets[4][2] = {
    {"programmes[0].cohort.size=250", "programmes[0].contract.baseline.size=125"},
    {"programmes[0].cohort.size=1000", "programmes[0].contract.baseline.size=500"},
    {"programmes[0].cohort.size=4000", "programmes[0].contract.baseline.size=2000"},
    {"programmes[0].cohort.size=16000", "programmes[0].contract.baseline.size=8000"},
};

/* The four points as single runs: load, run and (if dir) write each. Seconds, or < 0. */
static double single_runs(unsigned trials, int threads, const char *dir, sr_error *err)
{
    double seconds = 0.0;
    for (size_t i = 0; i < 4; i++) {
        char trials_set[64], path[4200];
        snprintf(trials_set, sizeof trials_set, "simulation.trials=%u", trials);
        const char *sets[3] = {trials_set, sweep_sets[i][0], sweep_sets[i][1]};
        sr_override ov[3];
        for (size_t k = 0; k < 3; k++)
            if (sr_override_parse(sets[k], &ov[k], err) != 0)
                return -1.0;
        double t0 = now_seconds();
        sr_scenario *sc = sr_scenario_load(sweep_path, ov, 3, err);
        sr_run_options o = {.threads = threads};
        sr_resultset *rs = sc != NULL ? sr_run(sc->model, sc->text, &o, err) : NULL;
        int rc = rs == NULL;
        if (rc == 0 && dir != NULL) {
            snprintf(path, sizeof path, "%s/single-%zu.h5", dir, i);
            rc = sr_h5_write(path, rs, err);
        }
        seconds += now_seconds() - t0;
        sr_resultset_free(rs);
        sr_scenario_free(sc);
        for (size_t k = 0; k < 3; k++)
            sr_override_clear(&ov[k]);
        if (rc != 0)
            return -1.0;
    }
    return seconds;
}

/* The same four points as one sweep, into dir/sweep.h5 if dir. Seconds, or < 0. */
static double one_sweep(unsigned trials, int threads, const char *dir, sr_error *err)
{
    char trials_set[64], path[4200];
    snprintf(trials_set, sizeof trials_set, "simulation.trials=%u", trials);
    sr_override ov;
    sr_sweep_spec spec = {0};
    if (sr_override_parse(trials_set, &ov, err) != 0)
        return -1.0;
    if (sr_sweep_spec_param(&spec, sweep_keys, err) != 0 ||
        sr_sweep_spec_values(&spec, sweep_values, err) != 0) {
        sr_override_clear(&ov);
        sr_sweep_spec_clear(&spec);
        return -1.0;
    }
    double t0 = now_seconds();
    if (dir != NULL)
        snprintf(path, sizeof path, "%s/sweep.h5", dir);
    sr_run_options o = {.threads = threads};
    const sr_variants_request rq = {.scenario = sweep_path, .overrides = &ov, .n_overrides = 1,
                                    .run = &o, .output = dir != NULL ? path : NULL};
    sr_h5_file *f = NULL;
    int rc = sr_sweep_run(&rq, &spec, NULL, NULL, NULL, &f, err);
    if (rc == 0 && f != NULL)
        rc = sr_h5_file_commit(f, err);
    double seconds = now_seconds() - t0;
    sr_sweep_spec_clear(&spec);
    sr_override_clear(&ov);
    return rc == 0 ? seconds : -1.0;
}

/* Removes a temporary directory of the benchmark and what it holds. */
static void remove_dir(const char *dir)
{
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "sirisk_bench: could not remove %s\n", dir);
}

/* Times the sweep and its single runs, the better of two alternating rounds each (other
 * load on the machine only ever slows a round down). */
static int bench_sweep(unsigned trials, int threads)
{
    char dir[] = "/tmp/sirisk-bench-XXXXXX";
    sr_error err = {0};
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, "sirisk_bench: cannot make a temporary directory\n");
        return 1;
    }
    printf("\nsweep of %s over %s = %s, %u trials\n", sweep_path, sweep_keys, sweep_values,
           trials);
    printf("%-28s %14s %14s %10s\n", "case", "4 runs (s)", "sweep (s)", "ratio");
    int rc = 0;
    for (int write = 0; write < 2 && rc == 0; write++) {
        const char *to = write ? dir : NULL;
        double single = 1e300, swept = 1e300;
        for (int round = 0; round < 2 && rc == 0; round++) {
            double a = single_runs(trials, threads, to, &err);
            double b = one_sweep(trials, threads, to, &err);
            if (a < 0.0 || b < 0.0)
                rc = err.code ? err.code : 1;
            single = a < single ? a : single;
            swept = b < swept ? b : swept;
        }
        if (rc == 0)
            printf("%-28s %14.2f %14.2f %10.3f\n", write ? "run + write result files"
                                                         : "run (no files)",
                   single, swept, swept / single);
    }
    if (rc != 0)
        fprintf(stderr, "sirisk_bench: sweep: %s\n", err.msg);
    remove_dir(dir);
    return rc;
}

/* Writes the default scenario's result set of `trials` trials to path. */
static int write_default(const char *path, unsigned trials, int threads, sr_error *err)
{
    char set[64];
    sr_override ov;
    snprintf(set, sizeof set, "simulation.trials=%u", trials);
    if (sr_override_parse(set, &ov, err) != 0)
        return err->code;
    sr_scenario *sc = sr_scenario_load("scenarios/default.yaml", &ov, 1, err);
    sr_override_clear(&ov);
    if (sc == NULL)
        return err->code;
    sr_run_options o = {.threads = threads};
    sr_resultset *rs = sr_run(sc->model, sc->text, &o, err);
    int rc = rs != NULL ? sr_h5_write(path, rs, err) : err->code;
    sr_resultset_free(rs);
    sr_scenario_free(sc);
    return rc;
}

/* Processor seconds of this process so far, all threads, user and system. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* Times one `sirisk voi FILE` (the file read, analysed and written beside it, published):
 * wall seconds, or -1 with err; the processor seconds it took into *cpu. */
static double time_voi(const char *file, const char *groups, const double *sizes,
                       size_t n_sizes, int threads, double *cpu, sr_error *err)
{
    char out[512];
    snprintf(out, sizeof out, "%s.voi.h5", file);
    sr_run_options o = {.threads = threads};
    sr_voi_request rq = {.operand = file, .from_file = true, .run = &o, .output = out,
                         .groups = groups, .n_pilots = n_sizes};
    for (size_t k = 0; k < n_sizes; k++)
        rq.pilot_size[k] = sizes[k];
    sr_voi_outcome outcome;
    sr_h5_file *f = NULL;
    const double t0 = now_seconds(), c0 = cpu_seconds();
    int rc = sr_voi_run(&rq, &outcome, &f, err);
    if (rc == 0)
        rc = sr_h5_file_commit(f, err);
    const double seconds = now_seconds() - t0;
    *cpu = cpu_seconds() - c0;
    sr_voi_outcome_clear(&outcome);
    return rc == 0 ? seconds : -1.0;
}

static int bench_voi(int threads)
{
    char dir[] = "/tmp/sirisk-bench-XXXXXX", big[600], evsi[600];
    sr_error err = {0};
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, "sirisk_bench: cannot make a temporary directory\n");
        return 1;
    }
    snprintf(big, sizeof big, "%s/default-10000.h5", dir);
    snprintf(evsi, sizeof evsi, "%s/default-4000.h5", dir);
    static const double sizes[] = {50, 100, 200, 400, 800};
    int rc = write_default(big, 10000, threads, &err);
    if (rc == 0)
        rc = write_default(evsi, 4000, threads, &err);
    printf("\nsirisk voi of scenarios/default.yaml's result sets (200 bootstrap replicates)\n");
    printf("%-62s %10s %10s\n", "case", "seconds", "cpu s");
    const struct {
        const char *label, *file, *groups;
        size_t n_sizes;
    } cases[] = {
        {"10,000 trials: attribution (4 metrics), EVPI, EVPPI of each input", big, NULL, 0},
        {"the same and EVPPI of effect+job_finding", big, "effect+job_finding", 0},
        {"the same and EVPPI of effect+job_finding+macro.recession_months", big,
         "effect+job_finding,effect+job_finding+macro.recession_months", 0},
        {"4,000 outer draws: all of the first, and EVSI of 5 pilot sizes", evsi, NULL, 5},
    };
    for (size_t c = 0; rc == 0 && c < sizeof cases / sizeof *cases; c++) {
        double cpu = 0.0;
        double seconds = time_voi(cases[c].file, cases[c].groups, sizes, cases[c].n_sizes,
                                  threads, &cpu, &err);
        if (seconds < 0.0)
            rc = err.code ? err.code : 1;
        else
            printf("%-62s %10.2f %10.2f\n", cases[c].label, seconds, cpu);
    }
    if (rc != 0)
        fprintf(stderr, "sirisk_bench: voi: %s\n", err.msg);
    remove_dir(dir);
    return rc;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    unsigned trials = 4000;
    int threads = 0, sweep_only = 0, rate_card_only = 0, voi_only = 0, price_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sweep") == 0)
            sweep_only = 1;
        else if (strcmp(argv[i], "--voi") == 0)
            voi_only = 1;
        else if (strcmp(argv[i], "--rate-card") == 0)
            rate_card_only = 1;
        else if (strcmp(argv[i], "--price") == 0)
            price_only = 1;
        else if (strcmp(argv[i], "--trials") == 0 && i + 1 < argc)
            trials = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else
            trials = 0;
    }
    if (trials == 0) {
        fputs("usage: sirisk_bench [--trials N] [--threads T] [--sweep | --rate-card | --voi | "
              "--price]\n",
              stderr);
        return 64;
    }
    printf("threads: %d\n", threads > 0 ? threads : omp_get_max_threads());
    if (sweep_only)
        return bench_sweep(trials, threads);
    if (voi_only)
        return bench_voi(threads);
    if (price_only)
        return bench_price(trials, threads);
    printf("%-31s %10s %8s %12s %12s %14s %10s\n", "case", "persons", "trials", "trials/s",
           "ms/trial", "us/trial/1000p", "peak MiB");
    if (rate_card_only)
        return bench_rate_card(trials, threads);
    int rc = 0;
    static const char *const size_1k[] = {"programmes[0].cohort.size=1000", NULL};
    static const char *const size_80k[] = {"programmes[0].cohort.size=80000", NULL};
    static const char *const size_1m[] = {"programmes[0].cohort.size=1000000", NULL};
    /* The national scenario without its contracts, and also without parameter uncertainty
     * and macro risk: what the risk layers and the contracts each cost. */
#define NO_CONTRACTS(i) "programmes[" #i "].contract=~", "programmes[" #i "].financing=~"
#define ALL_NO_CONTRACTS NO_CONTRACTS(0), NO_CONTRACTS(1), NO_CONTRACTS(2), NO_CONTRACTS(3), \
                         NO_CONTRACTS(4), NO_CONTRACTS(5)
    static const char *const national_plain[] = {
        "parameters.effect=1.35", "parameters.job_finding=0.008", "macro.model=none",
        ALL_NO_CONTRACTS, NULL};
    static const char *const national_risk[] = {ALL_NO_CONTRACTS, NULL};
    rc |= bench_case("cohort 1,000", "bench/cohort.yaml", size_1k, trials, threads);
    rc |= bench_case("cohort 80,000", "bench/cohort.yaml", size_80k, trials, threads);
    rc |= bench_case("cohort 1,000,000", "bench/cohort.yaml", size_1m, trials, threads);
    rc |= bench_case("default (1,000, 24-mo intake)", "scenarios/default.yaml", NULL, trials,
                     threads);
    static const char *const factor_macro[] = {
        "macro={model: gaussian_factor, rho: 0.05, persistence: 0.9}", NULL};
    rc |= bench_case("default, gaussian factor macro", "scenarios/default.yaml", factor_macro,
                     trials, threads);
    rc |= bench_rate_card(trials / 10 > 0 ? trials / 10 : 1, threads);
    rc |= bench_case("national, no risk layers", "scenarios/national.yaml", national_plain,
                     trials / 4 > 0 ? trials / 4 : 1, threads);
    rc |= bench_case("national + uncertainty, macro", "scenarios/national.yaml", national_risk,
                     trials / 4 > 0 ? trials / 4 : 1, threads);
    rc |= bench_case("national, full (contracts)", "scenarios/national.yaml", NULL,
                     trials / 4 > 0 ? trials / 4 : 1, threads);
    rc |= bench_sweep(trials, threads);
    rc |= bench_price(trials, threads);
    return rc;
}
