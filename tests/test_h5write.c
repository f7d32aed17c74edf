/* Result files (docs/results.md) read back by independent readers: h5py (numpy recomputes every
 * statistic from the trials) and h5dump; reproducibility to the byte but for created_utc
 * (docs/model.md); atomic replacement (README.md); and the summary table. The synthetic result set
 * has closed-form values, so the Python side knows every number without being told. */
#define _POSIX_C_SOURCE 200809L /* strdup, opendir, mkdir */

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "models/summary.h"
#include "sim/cli/summary_print.h"
#include "sim/engine/results.h"
#include "sim/resultset/h5check.h"
#include "sim/resultset/h5read.h"
#include "sim/resultset/h5write.h"
#include "tests/support.h"

#define PYTHON "/usr/bin/python3" /* Debian's, which has h5py */

/* More trials than the compression threshold, so /trials datasets are chunked. */
#define N_TRIALS 5000
#define N_YEARS 3
#define FIRST_YEAR 2027
#define SEED 20261127u

static const char scenario_text[] =
    "name: Synthetic portfolio   # for the writer's tests\n"
    "simulation: {trials: 5000, seed: 20261127, start: 2027-01, horizon_years: 3}\n";

/* Level 0 is the portfolio, 1 and 2 the programmes. The Python check below repeats these
 * formulas: keep them in step. */
static double trial_value(size_t m, size_t i, size_t level)
{
    return ((double)((i * 7919) % 1000) - 300.0) * (double)(m + 1) * 1000.0 + 0.5 * (double)m +
           1e5 * (double)level;
}

static double annual_value(size_t m, size_t i, size_t y, size_t level)
{
    return (double)(m + 1) * 1000.0 * (double)(y + 1) + (double)i + (double)level;
}

static double deterministic_value(size_t m, size_t level)
{
    return 1e6 * (double)(m + 1) + 1e5 * (double)level;
}

static void fill_level(sr_level *lv, size_t level)
{
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        double *t = sr_level_trials(lv, N_TRIALS, (sr_metric)m);
        for (size_t i = 0; i < N_TRIALS; i++) {
            t[i] = trial_value(m, i, level);
            if (!sr_metric_is((sr_metric)m, SR_METRIC_ANNUAL))
                continue;
            double *a = sr_level_annual(lv, N_TRIALS, N_YEARS, (sr_metric)m, i);
            for (size_t y = 0; y < N_YEARS; y++)
                a[y] = annual_value(m, i, y, level);
        }
        lv->deterministic[m] = deterministic_value(m, level);
    }
}

static sr_resultset *synthetic(const char *name1, const char *name2)
{
    sr_resultset *rs = sr_resultset_alloc(N_TRIALS, N_YEARS, FIRST_YEAR, 2);
    cr_assert_not_null(rs);
    rs->seed = SEED;
    rs->rng_name = "test-rng";
    rs->scenario_text = strdup(scenario_text);
    rs->programme_names[0] = strdup(name1);
    rs->programme_names[1] = strdup(name2);
    fill_level(&rs->portfolio, 0);
    fill_level(&rs->programme[0], 1);
    fill_level(&rs->programme[1], 2);
    /* one NaN, as an IRR without a root would give, and two infinities, as an overflow
     * would */
    sr_level_trials(&rs->portfolio, N_TRIALS, SR_M_SAVINGS_STATE)[3] = NAN;
    sr_level_trials(&rs->portfolio, N_TRIALS, SR_M_INVESTOR_MOIC)[5] = INFINITY;
    sr_level_trials(&rs->portfolio, N_TRIALS, SR_M_INVESTOR_MOIC)[6] = -INFINITY;
    return rs;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Entries of dir but . and .. (temporary files left behind would show here). */
static size_t dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot list %s", dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* Writes the synthetic result set to dir/name and returns the path. */
static char *write_synthetic(const char *dir, const char *name)
{
    sr_resultset *rs = synthetic("copenhagen", "aarhus");
    char *path = join(dir, name);
    sr_error err = {0};
    int rc = sr_h5_write(path, rs, &err);
    cr_assert_eq(rc, 0, "sr_h5_write: %s", err.msg);
    sr_resultset_free(rs);
    return path;
}

/* ---- read back by h5py ------------------------------------------------------------- */

/* tests/h5write_check.py repeats the formulas above in numpy. */
#define CHECK_PY SIRISK_SOURCE_DIR "/tests/h5write_check.py"

/* Comma-separated metric names, all or those with annual flows. */
static void metric_names(char *buf, size_t size, int annual_only)
{
    buf[0] = '\0';
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        if (annual_only && !sr_metric_is((sr_metric)m, SR_METRIC_ANNUAL))
            continue;
        if (buf[0] != '\0')
            strncat(buf, ",", size - strlen(buf) - 1);
        strncat(buf, sr_metrics[m].name, size - strlen(buf) - 1);
    }
}

Test(h5write, h5py_reads_every_value_and_numpy_agrees_with_the_summary)
{
    char *dir = sr_test_tmpdir();
    char *path = write_synthetic(dir, "set.h5");
    char names[2048], annual[2048], cmd[8192];
    metric_names(names, sizeof names, 0);
    metric_names(annual, sizeof annual, 1);
    snprintf(cmd, sizeof cmd, PYTHON " '" CHECK_PY "' '%s' '%s' '%s'", path, names, annual);
    char *out = NULL, *err = NULL;
    int rc = sr_test_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "h5py check failed:\n%s%s", out, err);
    cr_assert_str_eq(out, "checked\n", "cmd: %s\nstderr: %s", cmd, err);
    free(out);
    free(err);
    free(path);
    sr_test_remove_dir(dir);
}

/* ---- read back by h5dump ----------------------------------------------------------- */

Test(h5write, h5dump_shows_utf8_labels_and_the_root_attributes)
{
    char *dir = sr_test_tmpdir();
    char *path = write_synthetic(dir, "set.h5");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "h5dump -A '%s'", path);
    char *out = NULL;
    cr_assert_eq(sr_test_run(cmd, &out, NULL), 0);
    const char *expect[] = {
        "ATTRIBUTE \"format_version\"", "H5T_STD_I32LE",
        "ATTRIBUTE \"seed\"",           "(0): 20261127",
        "ATTRIBUTE \"scenario_sha256\"", "ATTRIBUTE \"libyaml_version\"",
        "CSET H5T_CSET_UTF8",           "ATTRIBUTE \"tail_definition\"",
        "GROUP \"programmes\"",         "GROUP \"copenhagen\"",
        "DATASET \"savings_total\"",    "\"DKK (present value at the public rate)\"",
        "ATTRIBUTE \"es95_upper\"",     "ATTRIBUTE \"first_year\"",
        "(0): 2027",
    };
    for (size_t k = 0; k < sizeof expect / sizeof expect[0]; k++)
        cr_assert_not_null(strstr(out, expect[k]), "h5dump -A lacks %s", expect[k]);
    free(out);

    /* the summary dataset holds the mean, so a plain dump shows it */
    snprintf(cmd, sizeof cmd, "h5dump -d /deterministic/savings_total '%s'", path);
    cr_assert_eq(sr_test_run(cmd, &out, NULL), 0);
    cr_assert_not_null(strstr(out, "(0): 3e+06"), "%s", out);
    free(out);
    free(path);
    sr_test_remove_dir(dir);
}

/* ---- reproducibility --------------------------------------------------------------- */

Test(h5write, two_writes_differ_only_in_created_utc)
{
    char *dir1 = sr_test_tmpdir(), *dir2 = sr_test_tmpdir();
    char *a = write_synthetic(dir1, "set.h5");
    char *b = write_synthetic(dir2, "set.h5");

    /* the dumps, with the creation time masked, are equal (same file name, so the first
     * line of the dump matches too) */
    char cmd[4096];
    const char *mask = "sed -E 's/\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\"/T/'";
    char *out1 = NULL, *out2 = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s' && h5dump set.h5 | %s", dir1, mask);
    cr_assert_eq(sr_test_run(cmd, &out1, NULL), 0);
    snprintf(cmd, sizeof cmd, "cd '%s' && h5dump set.h5 | %s", dir2, mask);
    cr_assert_eq(sr_test_run(cmd, &out2, NULL), 0);
    cr_assert_gt(strlen(out1), 10000);
    cr_assert_str_eq(out1, out2);

    /* and the files themselves differ in at most the 20 bytes of "YYYY-MM-DDTHH:MM:SSZ":
     * no object timestamps, no other source of variation */
    char *diff = NULL;
    snprintf(cmd, sizeof cmd, "cmp -l '%s' '%s' | wc -l", a, b);
    cr_assert_eq(sr_test_run(cmd, &diff, NULL), 0);
    cr_assert_leq(atoi(diff), 20, "%s bytes differ", diff);
    free(diff);
    free(out1);
    free(out2);
    free(a);
    free(b);
    sr_test_remove_dir(dir1);
    sr_test_remove_dir(dir2);
}

/* ---- atomicity and errors ---------------------------------------------------------- */

Test(h5write, a_missing_directory_is_an_io_error_naming_the_path, .init = cr_redirect_stderr)
{
    char *dir = sr_test_tmpdir();
    char *missing = join(dir, "missing");
    char *path = join(missing, "set.h5");
    sr_resultset *rs = synthetic("copenhagen", "aarhus");
    sr_error err = {0};
    cr_assert_eq(sr_h5_write(path, rs, &err), SR_EXIT_IOERR);
    cr_assert_eq(err.code, 74);
    cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "No such file or directory"), "%s", err.msg);
    cr_assert_not(sr_test_exists(missing));
    cr_assert_eq(dir_entries(dir), 0);
    fflush(stderr);
    cr_assert_stderr_eq_str("", "the library printed");
    sr_resultset_free(rs);
    free(path);
    free(missing);
    sr_test_remove_dir(dir);
}

Test(h5write, a_regular_file_as_directory_is_an_io_error)
{
    char *dir = sr_test_tmpdir();
    char *plain = sr_test_write_file(dir, "plain", "not a directory\n");
    char *path = join(plain, "set.h5");
    sr_resultset *rs = synthetic("copenhagen", "aarhus");
    sr_error err = {0};
    cr_assert_eq(sr_h5_write(path, rs, &err), SR_EXIT_IOERR);
    cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "Not a directory"), "%s", err.msg);
    cr_assert_eq(dir_entries(dir), 1);
    sr_resultset_free(rs);
    free(path);
    free(plain);
    sr_test_remove_dir(dir);
}

/* A failure halfway through the file (HDF5 refuses the second group of the same name)
 * leaves the existing target as it was and no temporary file. */
Test(h5write, a_failed_write_keeps_the_existing_target, .init = cr_redirect_stderr)
{
    char *dir = sr_test_tmpdir();
    char *path = sr_test_write_file(dir, "set.h5", "precious\n");
    sr_resultset *rs = synthetic("copenhagen", "copenhagen");
    sr_error err = {0};
    cr_assert_eq(sr_h5_write(path, rs, &err), SR_EXIT_IOERR);
    cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "/programmes"), "names the object: %s", err.msg);
    cr_assert_not_null(strstr(err.msg, "copenhagen"), "%s", err.msg);
    char *kept = sr_test_read_file(path);
    cr_assert_str_eq(kept, "precious\n");
    cr_assert_eq(dir_entries(dir), 1, "a temporary file was left behind");
    fflush(stderr);
    cr_assert_stderr_eq_str("", "HDF5 printed its error stack");
    free(kept);
    sr_resultset_free(rs);
    free(path);
    sr_test_remove_dir(dir);
}

Test(h5write, a_programme_name_with_a_slash_is_refused_before_it_nests_groups)
{
    char *dir = sr_test_tmpdir();
    char *path = join(dir, "set.h5");
    sr_resultset *rs = synthetic("copenhagen", "north/south");
    sr_error err = {0};
    cr_assert_eq(sr_h5_write(path, rs, &err), SR_EXIT_IOERR);
    cr_assert_not_null(strstr(err.msg, "'north/south'"), "%s", err.msg);
    cr_assert_not(sr_test_exists(path));
    cr_assert_eq(dir_entries(dir), 0);
    sr_resultset_free(rs);
    free(path);
    sr_test_remove_dir(dir);
}

Test(h5write, a_directory_in_the_way_of_the_target_is_left_alone)
{
    char *dir = sr_test_tmpdir();
    char *path = join(dir, "set.h5");
    cr_assert_eq(mkdir(path, 0755), 0);
    sr_resultset *rs = synthetic("copenhagen", "aarhus");
    sr_error err = {0};
    cr_assert_eq(sr_h5_write(path, rs, &err), SR_EXIT_IOERR);
    cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert(S_ISDIR(st.st_mode));
    cr_assert_eq(dir_entries(dir), 1);
    sr_resultset_free(rs);
    free(path);
    sr_test_remove_dir(dir);
}

Test(h5write, a_successful_write_replaces_the_target)
{
    char *dir = sr_test_tmpdir();
    char *old = sr_test_write_file(dir, "set.h5", "old contents\n");
    char *path = write_synthetic(dir, "set.h5");
    cr_assert_str_eq(old, path);
    FILE *f = fopen(path, "rb");
    unsigned char sig[8] = {0};
    cr_assert_eq(fread(sig, 1, 8, f), 8);
    fclose(f);
    cr_assert(memcmp(sig, "\211HDF\r\n\032\n", 8) == 0, "not an HDF5 file");
    cr_assert_eq(dir_entries(dir), 1);
    free(old);
    free(path);
    sr_test_remove_dir(dir);
}

/* ---- the summary table -------------------------------------------------------------- */

static char *print_summary(const char *path, int *rc, sr_error *err)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    *rc = sr_h5_print_summary(path, f, err);
    rewind(f);
    char *s = calloc(1, 1 << 16);
    size_t n = fread(s, 1, (1 << 16) - 1, f);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* The line of the table whose first cell is name, after the title `section`. */
static const char *row(const char *table, const char *section, const char *name)
{
    const char *s = strstr(table, section);
    cr_assert_not_null(s, "no section %s in:\n%s", section, table);
    char key[256];
    snprintf(key, sizeof key, "\n  %s ", name);
    const char *r = strstr(s, key);
    cr_assert_not_null(r, "no row %s under %s in:\n%s", name, section, table);
    return r + 1;
}

/* Asserts that the row r (up to and with its newline) contains text. */
static void assert_row_has(const char *r, const char *text)
{
    size_t len = strcspn(r, "\n") + 1;
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)len, r);
    cr_assert_not_null(strstr(line, text), "row lacks '%s': %s", text, line);
}

Test(h5write, the_summary_table_has_a_row_per_metric_for_each_level)
{
    char *dir = sr_test_tmpdir();
    char *path = write_synthetic(dir, "set.h5");
    sr_error err = {0};
    int rc;
    char *table = print_summary(path, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_not_null(strstr(table, "scenario    Synthetic portfolio\n"), "%s", table);
    cr_assert_not_null(strstr(table, "trials      5000\n"), "%s", table);
    cr_assert_not_null(strstr(table, "seed        20261127\n"), "%s", table);
    cr_assert_not_null(strstr(table, "sirisk      " SIRISK_VERSION), "%s", table);

    const char *sections[] = {"\nportfolio\n", "\nprogramme copenhagen\n",
                              "\nprogramme aarhus\n"};
    for (size_t s = 0; s < 3; s++)
        for (size_t m = 0; m < SR_N_METRICS; m++) {
            const char *r = row(table, sections[s], sr_metrics[m].name);
            const char *units = sr_metrics[m].units;
            char expect[64];
            if (strncmp(units, "DKK", 3) == 0)
                snprintf(expect, sizeof expect, " mDKK ");
            else
                snprintf(expect, sizeof expect, " %.*s ", (int)strcspn(units, " ("), units);
            assert_row_has(r, expect);
        }
    /* savings_total, portfolio: mean (499.5 - 300) 3000 + 1 DKK, deterministic 3e6 DKK */
    const char *r = row(table, sections[0], "savings_total");
    assert_row_has(r, " 0.60 ");
    assert_row_has(r, " 3.00\n");
    /* employed_end_treated (m = 8), aarhus (level 2): q50 of ((i 7919 mod 1000) - 300) 9000
     * + 0.5 8 + 2e5 persons over i < 5000; the residues take 0..999 five times each, so
     * q50 = 199.5 9000 + 4 + 2e5 = 1995504 */
    r = row(table, sections[2], "employed_end_treated");
    assert_row_has(r, " 1995504.0 ");
    free(table);
    free(path);
    sr_test_remove_dir(dir);
}

Test(h5write, summary_of_a_missing_file_is_noinput)
{
    char *dir = sr_test_tmpdir();
    char *path = join(dir, "absent.h5");
    sr_error err = {0};
    int rc;
    char *table = print_summary(path, &rc, &err);
    cr_assert_eq(rc, SR_EXIT_NOINPUT);
    cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
    cr_assert_str_eq(table, "");
    free(table);
    free(path);
    sr_test_remove_dir(dir);
}

Test(h5write, summary_of_a_text_file_says_it_is_not_a_result_set)
{
    char *dir = sr_test_tmpdir();
    char *path = sr_test_write_file(dir, "notes.h5", "name: not HDF5\n");
    sr_error err = {0};
    int rc;
    char *table = print_summary(path, &rc, &err);
    cr_assert_eq(rc, SR_EXIT_IOERR);
    cr_assert_not_null(strstr(err.msg, "not a sirisk result set"), "%s", err.msg);
    free(table);
    free(path);
    sr_test_remove_dir(dir);
}

/* HDF5 files that are not sirisk result sets, or of a newer format, made by h5py. */
static void check_refused(const char *py_body, const char *expect, const char *why)
{
    char *dir = sr_test_tmpdir();
    char *path = join(dir, "other.h5");
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             PYTHON " -c 'import h5py, numpy as np; f = h5py.File(\"%s\", \"w\"); %s; "
                    "f.close()'",
             path, py_body);
    char *err_text = NULL;
    cr_assert_eq(sr_test_run(cmd, NULL, &err_text), 0, "%s", err_text);
    free(err_text);
    sr_error err = {0};
    int rc;
    char *table = print_summary(path, &rc, &err);
    cr_assert_eq(rc, SR_EXIT_IOERR, "%s", why);
    cr_assert_not_null(strstr(err.msg, expect), "%s: %s", why, err.msg);
    cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
    free(table);
    free(path);
    sr_test_remove_dir(dir);
}

Test(h5write, summary_refuses_hdf5_files_that_are_not_sirisk_result_sets,
     .init = cr_redirect_stderr)
{
    check_refused("f.create_group(\"summary\")", "format_version", "no format_version");
    check_refused("f.attrs[\"format_version\"] = np.int32(2)", "newer", "a newer format");
    fflush(stderr);
    cr_assert_stderr_eq_str("", "HDF5 printed its error stack");
}

Test(h5write, the_header_takes_a_quoted_scenario_name_as_yaml_reads_it)
{
    char *dir = sr_test_tmpdir();
    char *path = join(dir, "set.h5");
    sr_resultset *rs = synthetic("copenhagen", "aarhus");
    free(rs->scenario_text);
    rs->scenario_text = strdup("# a comment line\n"
                               "name: 'Mothers'' \"mentoring\" # not a comment'   # comment\n"
                               "programmes: [{name: inner}]\n");
    sr_error err = {0};
    cr_assert_eq(sr_h5_write(path, rs, &err), 0, "%s", err.msg);
    int rc;
    char *table = print_summary(path, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_not_null(strstr(table, "scenario    Mothers' \"mentoring\" # not a comment\n"),
                       "%s", table);
    free(table);
    sr_resultset_free(rs);
    free(path);
    sr_test_remove_dir(dir);
}

/* ---- the reader's figures and the writer's generic pieces ---------------------------- */

/* Collects what sr_h5_read_trials hands over: the trials seen, and whether every value of
 * column j is trial_value(metric[j], i, 0). */
typedef struct {
    sr_metric metric[2];
    uint64_t seen;
    size_t wrong;
} trial_blocks;

static int collect_blocks(void *ctx, uint64_t first, const double *const *columns,
                          size_t count, sr_error *err)
{
    (void)err;
    trial_blocks *b = ctx;
    cr_assert_eq(first, b->seen, "blocks come in trial order");
    for (size_t j = 0; j < 2; j++)
        for (size_t i = 0; i < count; i++)
            b->wrong += columns[j][i] != trial_value(b->metric[j], first + i, 0);
    b->seen += count;
    return 0;
}

/* Every figure the reader gives back is the one written: the provenance, each metric's
 * statistics as models/summary.c computes them from the trials (the writer stores those
 * doubles), units, deterministic value and trials left out; trials a block at a time. */
Test(h5write, the_reader_gives_back_every_figure_as_written)
{
    char *dir = sr_test_tmpdir();
    char *path = write_synthetic(dir, "set.h5");
    sr_resultset *rs = synthetic("copenhagen", "aarhus");
    sr_error err = {0};
    hid_t file = sr_h5check_open_file(path, &err);
    cr_assert_geq(file, 0, "%s", err.msg);
    hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    hid_t sg = H5Gopen2(root, "summary", H5P_DEFAULT);
    hid_t dg = H5Gopen2(root, "deterministic", H5P_DEFAULT);
    cr_assert(root >= 0 && sg >= 0 && dg >= 0);

    sr_h5_provenance p;
    cr_assert_eq(sr_h5_read_provenance(root, &p, &err), 0, "%s", err.msg);
    cr_assert(p.trials.known && p.trials.n == N_TRIALS && p.has_seed && p.seed == SEED);
    cr_assert_str_eq(p.scenario, scenario_text);
    cr_assert_str_eq(p.rng, "test-rng");
    cr_assert_str_eq(p.sirisk_version, SIRISK_VERSION);
    cr_assert_not_null(p.created_utc);

    double *scratch = malloc(N_TRIALS * sizeof *scratch);
    const char *const stats[] = {"mean", "sd", "q05", "q95"};
    for (size_t m = 0; m < SR_N_METRICS; m++) {
        sr_summary want;
        sr_summary_compute(sr_level_trials(&rs->portfolio, N_TRIALS, (sr_metric)m), N_TRIALS,
                           scratch, &want);
        double got[4];
        sr_h5_metric metric;
        bool found;
        int rc = sr_h5_read_metric(sg, dg, sr_metrics[m].name, stats, 4, &p.trials, got,
                                   &metric, &found, &err);
        cr_assert(rc == 0 && found, "%s: %s", sr_metrics[m].name, err.msg);
        const double expect[4] = {want.mean, want.sd, want.q[SR_Q05], want.q[SR_Q95]};
        for (size_t k = 0; k < 4; k++)
            cr_expect_eq(got[k], expect[k], "%s %s: %.17g, computed %.17g",
                         sr_metrics[m].name, stats[k], got[k], expect[k]);
        cr_expect_str_eq(metric.units, sr_metrics[m].units);
        cr_expect_eq(metric.deterministic, deterministic_value(m, 0));
        cr_expect_eq(metric.n_nan, m == SR_M_SAVINGS_STATE ? 1u : 0u, "%s", sr_metrics[m].name);
        cr_expect_eq(metric.n_infinite, m == SR_M_INVESTOR_MOIC ? 2u : 0u, "%s",
                     sr_metrics[m].name);
        cr_expect_eq(sr_h5_read_stat(root, sr_metrics[m].name, "max", &rc, &err), want.max);
        cr_assert_eq(rc, 0, "%s", err.msg);
        sr_h5_metric_clear(&metric);
    }

    /* absent figures are NaN or NULL, not errors; an error is sticky */
    int rc = 0;
    cr_expect(isnan(sr_h5_read_stat(root, "no_such_metric", "mean", &rc, &err)) && rc == 0);
    cr_expect(isnan(sr_h5_read_stat(root, "payments", "no_such_stat", &rc, &err)) && rc == 0);
    char *units = (char *)"";
    cr_expect_eq(sr_h5_read_units(root, "no_such_metric", &units, &err), 0);
    cr_expect_null(units);
    rc = SR_EXIT_IOERR;
    cr_expect(isnan(sr_h5_read_stat(root, "payments", "mean", &rc, &err)));
    cr_expect_eq(rc, SR_EXIT_IOERR);

    trial_blocks b = {.metric = {SR_M_SAVINGS_TOTAL, SR_M_PAYMENTS}};
    const char *const names[] = {"savings_total", "payments"};
    bool have;
    cr_assert_eq(sr_h5_read_trials(root, &p.trials, names, 2, collect_blocks, &b, &have, &err),
                 0, "%s", err.msg);
    cr_expect(have);
    cr_expect_eq(b.seen, N_TRIALS);
    cr_expect_eq(b.wrong, 0);
    const char *const missing[] = {"no_such_metric", "payments"};
    b.seen = 0;
    cr_assert_eq(sr_h5_read_trials(root, &p.trials, missing, 2, collect_blocks, &b, &have,
                                   &err), 0, "%s", err.msg);
    cr_expect(!have && b.seen == 0, "a level without a column hands over nothing");

    sr_h5_provenance_clear(&p);
    free(scratch);
    H5Gclose(dg);
    H5Gclose(sg);
    H5Gclose(root);
    H5Fclose(file);
    sr_resultset_free(rs);
    free(path);
    sr_test_remove_dir(dir);
}

/* The generic pieces that files of several runs are made of write what they are handed:
 * columns with their labels and further string attributes (one value a scalar, several an
 * array), a 2-D float dataset, a text dataset; a name that would nest groups is refused,
 * naming it. */
Test(h5write, generic_pieces_write_what_they_are_handed)
{
    char *dir = sr_test_tmpdir();
    char *path = join(dir, "pieces.h5");
    sr_error err = {0};
    sr_h5_file *f = sr_h5_file_create(path, &err);
    cr_assert_not_null(f, "%s", err.msg);
    hid_t g = sr_h5_group_create(sr_h5_file_root(f), "pieces", &err);
    cr_assert_geq(g, 0, "%s", err.msg);

    const double a[3] = {1.0, 2.0, 3.0}, b[3] = {-1.0, NAN, 0.5};
    const char *one[] = {"A"}, *two[] = {"first", "second"};
    const sr_h5_text_attr attrs_a[] = {{"heading", one, 1}}, attrs_b[] = {{"keys", two, 2}};
    const sr_h5_column cols[] = {
        {.name = "a", .units = "persons", .description = "Column a.", .values = a,
         .attrs = attrs_a, .n_attrs = 1},
        {.name = "b", .units = "1", .description = "Column b.", .values = b,
         .attrs = attrs_b, .n_attrs = 1},
    };
    cr_assert_eq(sr_h5_write_columns(g, "table", cols, 2, 3, &err), 0, "%s", err.msg);
    const double grid[6] = {1, 2, 3, 4, 5, 6};
    const hsize_t dims[2] = {3, 2};
    cr_assert_eq(sr_h5_write_floats(g, "grid", 2, dims, grid, "DKK", "A grid.", attrs_b, 1,
                                    &err), 0, "%s", err.msg);
    const char *text[3] = {"x", "[1, 2]", "z"};
    cr_assert_eq(sr_h5_write_texts(g, "text", 1, dims, text, "text (YAML)", "Texts.", &err), 0,
                 "%s", err.msg);
    const sr_h5_column nested = {.name = "c/d", .units = "1", .description = "Nested.",
                                 .values = a};
    cr_assert_eq(sr_h5_write_columns(g, "bad", &nested, 1, 3, &err), SR_EXIT_IOERR);
    cr_expect_not_null(strstr(err.msg, "'c/d'"), "%s", err.msg);
    cr_expect_eq(sr_h5_group_create(g, "", &err), H5I_INVALID_HID);
    cr_assert_eq(sr_h5_close(g, &err), 0, "%s", err.msg);
    cr_assert_eq(sr_h5_file_commit(f, &err), 0, "%s", err.msg);

    sr_test_python(dir,
                   "import h5py, math\n"
                   "f = h5py.File('pieces.h5', 'r')\n"
                   "t = f['pieces/table']\n"
                   "assert list(t) == ['a', 'b'], list(t)\n"
                   "assert list(t['a'][()]) == [1.0, 2.0, 3.0]\n"
                   "assert t['b'][0] == -1.0 and math.isnan(t['b'][1]) and t['b'][2] == 0.5\n"
                   "assert t['a'].attrs['units'] == 'persons'\n"
                   "assert t['a'].attrs['description'] == 'Column a.'\n"
                   "assert t['a'].attrs['heading'] == 'A'\n"
                   "assert list(t['b'].attrs['keys']) == ['first', 'second']\n"
                   "g = f['pieces/grid']\n"
                   "assert g.shape == (3, 2) and g[2, 1] == 6.0 and g.attrs['units'] == 'DKK'\n"
                   "assert [s.decode() for s in f['pieces/text'][()]] == ['x', '[1, 2]', 'z']\n");
    free(path);
    sr_test_remove_dir(dir);
}
