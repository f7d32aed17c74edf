/* Benchmarks of the engine (never part of the tests). Prints, per case, trials per
 * second, time per trial, time per trial per 1,000 persons and peak memory, on all cores.
 *
 *   build/sirisk_bench [--trials N] [--threads T]
 *
 * Cases: the benchmark cohort (bench/cohort.yaml: one programme, 4 states, tenure to 24
 * months, 10 years monthly) at 1,000, 80,000 and 1,000,000 persons; the default scenario;
 * the national scenario (80,000 persons in six programmes). Run from the source tree. */
#include <gsl/gsl_errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/run.h"
#include "sim/scenario.h"

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
static int bench_case(const char *label, const char *path, const char *size, unsigned trials,
                      int threads)
{
    char size_set[64], trials_set[64];
    sr_override ov[2];
    size_t n_ov = 0;
    sr_error err = {0};
    snprintf(trials_set, sizeof trials_set, "simulation.trials=%u", trials);
    if (sr_override_parse(trials_set, &ov[n_ov++], &err) != 0)
        goto fail;
    if (size != NULL) {
        snprintf(size_set, sizeof size_set, "programmes[0].cohort.size=%s", size);
        if (sr_override_parse(size_set, &ov[n_ov++], &err) != 0)
            goto fail;
    }
    sr_model *m = sr_scenario_load(path, ov, n_ov, &err);
    if (m == NULL)
        goto fail;
    size_t persons = 0;
    for (size_t p = 0; p < m->n_programmes; p++)
        persons += m->programmes[p].size;
    sr_run_options o = {.threads = threads};
    double t0 = now_seconds();
    sr_resultset *rs = sr_run(m, &o, &err);
    double seconds = now_seconds() - t0;
    if (rs == NULL) {
        sr_model_free(m);
        goto fail;
    }
    double per_trial = seconds / trials;
    printf("%-28s %10zu %8u %12.0f %12.3f %14.4f %10.1f\n", label, persons, trials,
           trials / seconds, 1e3 * per_trial, 1e6 * per_trial / (persons / 1000.0),
           peak_memory_mib());
    sr_resultset_free(rs);
    sr_model_free(m);
    for (size_t i = 0; i < n_ov; i++)
        sr_override_clear(&ov[i]);
    return 0;
fail:
    fprintf(stderr, "sirisk_bench: %s: %s\n", label, err.msg);
    for (size_t i = 0; i < n_ov; i++)
        sr_override_clear(&ov[i]);
    return err.code ? err.code : 1;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    unsigned trials = 4000;
    int threads = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--trials") == 0)
            trials = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--threads") == 0)
            threads = atoi(argv[i + 1]);
    }
    if (trials == 0) {
        fputs("usage: sirisk_bench [--trials N] [--threads T]\n", stderr);
        return 64;
    }
    printf("threads: %d\n", threads > 0 ? threads : omp_get_max_threads());
    printf("%-28s %10s %8s %12s %12s %14s %10s\n", "case", "persons", "trials", "trials/s",
           "ms/trial", "us/trial/1000p", "peak MiB");
    int rc = 0;
    rc |= bench_case("cohort 1,000", "bench/cohort.yaml", "1000", trials, threads);
    rc |= bench_case("cohort 80,000", "bench/cohort.yaml", "80000", trials, threads);
    rc |= bench_case("cohort 1,000,000", "bench/cohort.yaml", "1000000", trials, threads);
    rc |= bench_case("default (1,000, 24-mo intake)", "scenarios/default.yaml", NULL, trials,
                     threads);
    rc |= bench_case("national (80,000, 6 progs)", "scenarios/national.yaml", NULL,
                     trials / 4 > 0 ? trials / 4 : 1, threads);
    return rc;
}
