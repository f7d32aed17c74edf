#include "support.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/engine/rng.h"
#include "sim/engine/run.h"
#include "sim/scenario/scenario.h"

const char sr_test_small[] =
    "name: small\n"
    "simulation: {trials: 500, seed: 3, start: 2027-01, horizon_years: 3}\n"
    "discount: {public: 0.035, investor: 0.05}\n"
    SR_TEST_STATES
    "  - {from: outside, to: employed, hazard: 0.02, macro: pro}\n"
    "  - {from: employed, to: outside, hazard: 0.1, by_tenure: [[0, 1], [3, 0.44]]}\n"
    "  - {from: [outside, employed], to: exited, hazard: 0.002}\n"
    "cashflows:\n"
    "  outside: {municipality: 9000, state: 2500}\n"
    "  employed: {municipality: -5500, state: -3500}\n"
    "programmes:\n"
    "  - name: town\n"
    "    cohort: {size: 300, intake: {start: 2027-01, months: 6}, initial_state: outside}\n"
    "    intervention:\n"
    "      effect: {transitions: [outside->employed], hazard_ratio: 1.4, months: 12}\n"
    "      costs: {per_participant: 10000}\n";

char *sr_test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/sirisk-test-XXXXXX", base && *base ? base : "/tmp");
    char *dir = mkdtemp(tmpl);
    cr_assert_not_null(dir, "mkdtemp failed");
    return strdup(dir);
}

char *sr_test_write_file(const char *dir, const char *name, const char *text)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return path;
}

/* The whole of a file, malloc'd; "" when it cannot be opened. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

char *sr_test_read_file(const char *path)
{
    cr_assert(sr_test_exists(path), "cannot read %s", path);
    return slurp(path);
}

int sr_test_run(const char *cmdline, char **out, char **err)
{
    char *dir = sr_test_tmpdir();
    size_t len = strlen(cmdline) + 2 * strlen(dir) + 64;
    char *full = malloc(len);
    snprintf(full, len, "(%s) >'%s/out' 2>'%s/err' </dev/null", cmdline, dir, dir);
    int status = system(full);
    free(full);
    char path[4096];
    if (out) {
        snprintf(path, sizeof path, "%s/out", dir);
        *out = slurp(path);
    }
    if (err) {
        snprintf(path, sizeof path, "%s/err", dir);
        *err = slurp(path);
    }
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    if (system(path) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(dir);
    if (status == -1 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

void sr_test_python(const char *dir, const char *script)
{
    free(sr_test_write_file(dir, "check.py", script));
    char cmdline[4200], *out = NULL, *err = NULL;
    snprintf(cmdline, sizeof cmdline, "cd '%s' && /usr/bin/python3 check.py", dir);
    int rc = sr_test_run(cmdline, &out, &err);
    cr_expect_eq(rc, 0, "the Python check failed: %s%s", out, err);
    free(out);
    free(err);
}

sr_scenario *sr_test_scenario(const char *yaml)
{
    sr_error err = {0};
    sr_scenario *sc = sr_scenario_load_text("test.yaml", yaml, strlen(yaml), NULL, 0, &err);
    cr_assert_not_null(sc, "scenario rejected: %s", err.msg);
    return sc;
}

sr_model *sr_test_take_model(sr_scenario *sc)
{
    sr_model *m = sc->model;
    sc->model = NULL;
    sr_scenario_free(sc);
    return m;
}

sr_model *sr_test_model(const char *yaml)
{
    return sr_test_take_model(sr_test_scenario(yaml));
}

int sr_test_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

const char *sr_test_cmd(const char *fmt, ...)
{
    static char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}

void sr_test_remove_dir(char *dir)
{
    char rm[4200];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    cr_expect_eq(system(rm), 0, "cannot remove %s", dir);
    free(dir);
}

sr_resultset *sr_test_run_model(const sr_model *m, int threads)
{
    sr_error err = {0};
    sr_run_options o = {.threads = threads};
    sr_resultset *rs = sr_run(m, NULL, &o, &err);
    cr_assert_not_null(rs, "run failed: %s", err.msg);
    return rs;
}

void sr_test_expect_failure(const char *scenario, bool results_dir, const char *args_in,
                            int code, const char *fragment)
{
    char *args = strdup(args_in);   /* args_in may be sr_test_cmd()'s buffer, reused below */
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "small.yaml", scenario));
    free(sr_test_write_file(dir, "old.h5", "an earlier result\n"));
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd %s && %s%s %s", dir, results_dir ? "mkdir results && " : "",
                                     SIRISK_BINARY, args),
                         NULL, &err);
    cr_expect_eq(rc, code, "sirisk %s: exit %d, expected %d: %s", args, rc, code, err);
    cr_expect(err != NULL && strstr(err, fragment) != NULL, "sirisk %s: message lacks '%s':\n%s",
              args, fragment, err);
    /* nothing but the two files (and results/, empty, if it was made) */
    const char *listing = results_dir ? "ls -A . results | grep -v -x -e small.yaml -e old.h5 "
                                        "-e results -e '' -e '.:' -e 'results:'"
                                      : "ls -A | grep -v -x -e small.yaml -e old.h5";
    int others = sr_test_run(sr_test_cmd("cd %s && %s", dir, listing), NULL, NULL);
    cr_expect_neq(others, 0, "sirisk %s left a file in %s", args, dir);
    int same = sr_test_run(sr_test_cmd("cd %s && grep -q 'an earlier result' old.h5", dir), NULL,
                           NULL);
    cr_expect_eq(same, 0, "sirisk %s changed old.h5", args);
    free(err);
    free(args);
    sr_test_remove_dir(dir);
}

sr_test_arm sr_test_arm_open(const sr_model *m, size_t programme)
{
    sr_test_arm a = {.m = m, .p = &m->programmes[programme]};
    a.v = calloc(m->n_num, sizeof *a.v);
    cr_assert_not_null(a.v);
    sr_model_mean_values(m, a.v);
    a.l = sr_layout_alloc(m);
    cr_assert_not_null(a.l);
    a.rates = sr_rates_alloc(a.l, 1, sr_effect_phases(a.p));
    cr_assert_not_null(a.rates);
    sr_rates_compute(a.rates, a.l, m, a.p, a.v, &sr_macro_neutral);
    int too_many = 0;
    a.progress = sr_progress_alloc(a.l, m, a.p, &too_many);
    cr_assert_not_null(a.progress);
    a.w = sr_arm_ws_alloc(a.l, m, a.progress->n_progress, a.progress->n_outcomes);
    a.r = sr_rng_alloc();
    a.normal_months = calloc(m->n_months, 1);
    cr_assert(a.w && a.r && a.normal_months);
    return a;
}

void sr_test_arm_close(sr_test_arm *a)
{
    free(a->normal_months);
    gsl_rng_free(a->r);
    sr_arm_ws_free(a->w);
    sr_progress_free(a->progress);
    sr_rates_free(a->rates);
    sr_layout_free(a->l);
    free(a->v);
}

sr_arm_spec sr_test_arm_spec(const sr_test_arm *a, bool treated, sr_draw_mode mode)
{
    const sr_programme *p = a->p;
    return (sr_arm_spec){.model = a->m,
                         .programme = p,
                         .values = a->v,
                         .rates = a->rates,
                         .cond_of_month = a->normal_months,
                         .draw = {mode, a->r},
                         .intake = p->intake,
                         .window = p->has_intervention ? p->effect_months + p->fade_months : 0,
                         .treated = treated,
                         .stop = SIZE_MAX,
                         .progress = a->progress};
}
