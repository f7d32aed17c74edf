/* `sirisk summary` on files it must not trust: result sets made with h5py
 * (tests/hostile_h5.py) that declare sizes they do not store, hold several values where
 * the layout has one, or a class, rank or link the layout does not have. Each is refused
 * with exit 74 and a message naming the object, quickly, in little memory, printing
 * nothing. The same reader prints valid files, notes on trials left out of a metric's
 * statistics, and stops at once on SIGINT and SIGTERM. Runs the built sirisk binary. */
#define _DEFAULT_SOURCE /* wait4 */

#include <criterion/criterion.h>
#include <stdbool.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

#define BIN SIRISK_BINARY
#define GENERATOR SIRISK_SOURCE_DIR "/tests/hostile_h5.py"

/* A refused file must cost the reader no more than this: what it stores (a few tens of
 * KB), not what it declares (up to exabytes). Bounds, not measurements: the reader
 * measured 14 MB and 0.03 s on each file of this test (release build); sanitizers add
 * their own memory. */
#define MAX_RSS_KB (256 * 1024)
#define MAX_SECONDS 5.0

/* Writes dir/<case>.h5 for each case named in the space-separated list. */
static void build(const char *dir, const char *cases)
{
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("/usr/bin/python3 '%s' '%s' %s", GENERATOR, dir, cases),
                         NULL, &err);
    cr_assert_eq(rc, 0, "hostile_h5.py %s failed: %s", cases, err);
    free(err);
}

/* How a run of `sirisk summary` ended. */
typedef struct {
    int code;          /* exit code; 128 + signal when killed by one; -1 when it had to be
                        * killed after MAX_SECONDS */
    double seconds;    /* from the start, or from the signal when one was sent */
    long max_rss_kb;
    char *out, *err;
} summary_run;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Runs `sirisk summary dir/<name>.h5` in dir; with sig > 0, sends sig after delay_ms. */
static summary_run run_summary(const char *dir, const char *name, int sig, long delay_ms)
{
    char file[4096], out_path[4096], err_path[4096];
    snprintf(file, sizeof file, "%s.h5", name);
    snprintf(out_path, sizeof out_path, "%s/%s.out", dir, name);
    snprintf(err_path, sizeof err_path, "%s/%s.err", dir, name);
    double start = now();
    pid_t pid = fork();
    cr_assert_neq(pid, -1, "fork: %s", strerror(errno));
    if (pid == 0) {
        if (chdir(dir) != 0 || !freopen(out_path, "w", stdout) || !freopen(err_path, "w", stderr))
            _exit(127);
        execl(BIN, "sirisk", "summary", file, (char *)NULL);
        _exit(127);
    }
    if (sig > 0) {
        struct timespec delay = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
        nanosleep(&delay, NULL);
        start = now();
        kill(pid, sig);
    }
    summary_run r = {.code = -1};
    int status;
    struct rusage usage;
    pid_t done;
    while ((done = wait4(pid, &status, WNOHANG, &usage)) == 0 && now() - start < MAX_SECONDS) {
        struct timespec tick = {0, 10000000L};
        nanosleep(&tick, NULL);
    }
    r.seconds = now() - start;
    if (done == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    } else {
        r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        r.max_rss_kb = usage.ru_maxrss;
    }
    r.out = sr_test_read_file(out_path);
    r.err = sr_test_read_file(err_path);
    return r;
}

static void summary_run_clear(summary_run *r)
{
    free(r->out);
    free(r->err);
}

/* Expects sirisk summary to refuse dir/<name>.h5: exit 74, nothing on stdout, one message
 * naming the file and containing object (the object's path, and more of the message),
 * in bounded time and memory. */
static void expect_refused(const char *dir, const char *name, const char *object)
{
    summary_run r = run_summary(dir, name, 0, 0);
    cr_expect_eq(r.code, 74, "%s: exit %d (a crash is 128 + its signal, a run past %.0f s "
                 "-1), expected 74; stderr: %s", name, r.code, MAX_SECONDS, r.err);
    char head[4200];
    snprintf(head, sizeof head, "sirisk: %s.h5: ", name);
    cr_expect(strncmp(r.err, head, strlen(head)) == 0 && strstr(r.err, object) != NULL,
              "%s: the message names neither the file nor %s: %s", name, object, r.err);
    cr_expect_str_empty(r.out, "%s: a refused file prints no table, printed:\n%s", name, r.out);
    cr_expect_lt(r.seconds, MAX_SECONDS, "%s: took %.1f s", name, r.seconds);
    cr_expect_lt(r.max_rss_kb, MAX_RSS_KB, "%s: used %ld KB", name, r.max_rss_kb);
    summary_run_clear(&r);
}

Test(h5read, valid_files_print_their_tables)
{
    char *dir = sr_test_tmpdir();
    build(dir, "valid valid_sweep");
    summary_run r = run_summary(dir, "valid", 0, 0);
    cr_expect_eq(r.code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "\nportfolio\n") && strstr(r.out, "\n  savings_total ") &&
                  strstr(r.out, "\ndecision ") && strstr(r.out, "trials      4\n"),
              "%s", r.out);
    /* every n_nan is 0 and there is no n_infinite: no note */
    cr_expect_null(strstr(r.out, "note:"), "%s", r.out);
    summary_run_clear(&r);

    r = run_summary(dir, "valid_sweep", 0, 0);
    cr_expect_eq(r.code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "(single, 3 points,") && strstr(r.out, "\n      2  1500 "),
              "%s", r.out);
    summary_run_clear(&r);
    sr_test_remove_dir(dir);
}

Test(h5read, numeric_attributes_holding_several_values_are_refused, .timeout = 120)
{
    char *dir = sr_test_tmpdir();
    build(dir, "multi_format_version multi_trials multi_seed multi_mean multi_n_nan");
    expect_refused(dir, "multi_format_version",
                   "/ attribute \"format_version\": expected a scalar whole number, found 3 "
                   "elements");
    expect_refused(dir, "multi_trials", "/ attribute \"trials\": expected a scalar whole number "
                   "from 1 to 4294967295, found 2 elements");
    expect_refused(dir, "multi_seed", "/ attribute \"seed\": expected a scalar whole number, "
                   "found 3 elements");
    expect_refused(dir, "multi_mean", "/summary/savings_total attribute \"mean\": expected a "
                   "scalar 64-bit float, found 3 elements");
    expect_refused(dir, "multi_n_nan", "/summary/investor_irr attribute \"n_nan\": expected a "
                   "scalar whole number from 0 to 4, found 2 elements");
    sr_test_remove_dir(dir);
}

Test(h5read, several_strings_where_one_belongs_are_refused, .timeout = 120)
{
    char *dir = sr_test_tmpdir();
    build(dir, "vlen_units fixed_units vlen_version fixed_version vlen_scenario "
               "fixed_scenario vlen_design fixed_design vlen_heading fixed_heading");
    static const struct {
        const char *object, *message;
    } cases[] = {
        {"units", "/summary/savings_total attribute \"units\": expected one string, found 3 "
                  "strings"},
        {"version", "/ attribute \"sirisk_version\": expected one string, found 3 strings"},
        {"scenario", "/scenario: expected one string, found 1-D [3]"},
        {"design", "/sweep/values attribute \"design\": expected one string, found 3 strings"},
        {"heading", "/sweep/table/participants attribute \"heading\": expected one string, "
                    "found 3 strings"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (int fixed = 0; fixed < 2; fixed++) {
            char name[64];
            snprintf(name, sizeof name, "%s_%s", fixed ? "fixed" : "vlen", cases[i].object);
            expect_refused(dir, name, cases[i].message);
        }
    sr_test_remove_dir(dir);
}

/* 2^61 trials of 8 bytes are 2^64 bytes: an allocation size computed without a check
 * wraps to 0. */
Test(h5read, a_trial_count_beyond_what_sirisk_writes_is_refused)
{
    char *dir = sr_test_tmpdir();
    build(dir, "trials_2p61");
    expect_refused(dir, "trials_2p61", "/ attribute \"trials\": expected a scalar whole number "
                   "from 1 to 4294967295, found 2305843009213693952");
    sr_test_remove_dir(dir);
}

/* 2^28 trials declared by chunked datasets that never had a chunk written: 2 GiB each that
 * HDF5 would fill in. The file is 40 KB. */
Test(h5read, declared_trials_the_file_does_not_store_are_refused)
{
    char *dir = sr_test_tmpdir();
    build(dir, "trials_2p28_unwritten");
    expect_refused(dir, "trials_2p28_unwritten", "/trials/savings_total: declares 268435456 "
                   "values (2147483648 bytes) but the file stores 0 bytes of them");
    sr_test_remove_dir(dir);
}

/* A sweep table as long as /sweep/values declares would print for ever: 10^9 rows, or
 * 2^33 x 2^31 values (2^64, which does not even fit a count), for 3 points in the file. */
Test(h5read, sweeps_declaring_more_rows_than_they_hold_are_refused)
{
    char *dir = sr_test_tmpdir();
    build(dir, "sweep_1e9_rows sweep_2p33_by_2p31");
    expect_refused(dir, "sweep_1e9_rows", "/sweep/values: declares 1000000000 values "
                   "(8000000000 bytes) but the file stores 0 bytes of them");
    expect_refused(dir, "sweep_2p33_by_2p31", "/sweep/values: declares more values than can be "
                   "counted (2-D [8589934592 x 2147483648])");
    sr_test_remove_dir(dir);
}

Test(h5read, a_class_rank_or_link_the_layout_does_not_have_is_refused, .timeout = 120)
{
    char *dir = sr_test_tmpdir();
    build(dir, "string_format_version string_trials string_mean number_units "
               "string_sweep_values rank2_trials rank1_deterministic rank2_table_column "
               "n_nan_over_trials external_link soft_link");
    expect_refused(dir, "string_format_version", "/ attribute \"format_version\": expected a "
                   "scalar whole number, found a variable-length string");
    expect_refused(dir, "string_trials", "/ attribute \"trials\": expected a scalar whole "
                   "number from 1 to 4294967295, found a variable-length string");
    expect_refused(dir, "string_mean", "/summary/payments attribute \"mean\": expected a "
                   "scalar 64-bit float, found a variable-length string");
    expect_refused(dir, "number_units", "/summary/payments attribute \"units\": expected one "
                   "string, found a 64-bit float");
    expect_refused(dir, "string_sweep_values", "/sweep/values: expected a 64-bit float "
                   "dataset, found a variable-length string");
    expect_refused(dir, "rank2_trials", "/trials/payments: expected 1-D [4] (the root "
                   "attribute trials), found 2-D [4 x 2]");
    expect_refused(dir, "rank1_deterministic", "/deterministic/payments: expected a scalar "
                   "64-bit float, found 1-D [3]");
    expect_refused(dir, "rank2_table_column", "/sweep/table/participants: expected 1-D [3] "
                   "(one per row of /sweep/values), found 2-D [3 x 2]");
    /* more trials without a value than there are trials */
    expect_refused(dir, "n_nan_over_trials", "/summary/investor_irr attribute \"n_nan\": "
                   "expected a scalar whole number from 0 to 4, found 9");
    /* an external link would open another file; a soft link here makes a cycle */
    expect_refused(dir, "external_link", "/summary: an external link");
    expect_refused(dir, "soft_link", "/programmes/again: a soft link");
    sr_test_remove_dir(dir);
}

/* n_nan and n_infinite (hostile_h5.py, nonfinite: 1,120 NaN of investor_irr, 19 and 1
 * infinite of savings_total and investor_loss, out of 4,000 trials) are said after the
 * portfolio's table, in the order of its rows; metrics whose counts are 0 have no note. */
Test(h5read, trials_left_out_of_a_metrics_statistics_are_noted)
{
    char *dir = sr_test_tmpdir();
    build(dir, "nonfinite");
    summary_run r = run_summary(dir, "nonfinite", 0, 0);
    cr_assert_eq(r.code, 0, "%s", r.err);
    const char *notes =
        "  note: savings_total: 19 of 4,000 trials are infinite and are left out of its "
        "statistics\n"
        "  note: investor_irr: 1,120 of 4,000 trials have no value (NaN) and are left out of "
        "its statistics\n"
        "  note: investor_loss: 1 of 4,000 trials is infinite and is left out of its "
        "statistics\n"
        "\nprogramme pilot: the portfolio's only programme";
    const char *at = strstr(r.out, notes);
    cr_expect_not_null(at, "%s", r.out);
    /* right after the table's last row, and no other note */
    size_t n_notes = 0;
    for (const char *p = strstr(r.out, "note:"); p != NULL; p = strstr(p + 1, "note:"))
        n_notes++;
    cr_expect(at != NULL && strstr(r.out, "\n  investor_loss ") < at && n_notes == 3,
              "%s", r.out);
    summary_run_clear(&r);
    sr_test_remove_dir(dir);
}

/* Names from a file may hold terminal control sequences: they print as '?', byte for
 * byte, so that columns keep their widths. */
Test(h5read, control_characters_in_names_print_as_question_marks)
{
    char *dir = sr_test_tmpdir();
    build(dir, "escapes");
    summary_run r = run_summary(dir, "escapes", 0, 0);
    cr_assert_eq(r.code, 0, "%s", r.err);
    cr_expect_null(strchr(r.out, '\x1b'), "an escape reached the terminal:\n%s", r.out);
    cr_expect_null(strstr(r.out, "\u202e"), "a right-to-left override reached the terminal");
    cr_expect(strstr(r.out, "\nprogramme pilot?[2J\n") && strstr(r.out, "\nprogramme east???\n"),
              "%s", r.out);
    summary_run_clear(&r);
    sr_test_remove_dir(dir);
}

/* A valid file of 2^27 trials (every chunk stored) takes seconds to read (7 s measured,
 * release build); an interrupt 0.3 s in ends it within a second, with exit 130. */
static void expect_interrupted(int sig)
{
    char *dir = sr_test_tmpdir();
    build(dir, "slow");
    summary_run r = run_summary(dir, "slow", sig, 300);
    cr_expect_eq(r.code, 130, "%s: exit %d (-1: still running %.0f s after it), expected 130; "
                 "stderr: %s", strsignal(sig), r.code, MAX_SECONDS, r.err);
    cr_expect_lt(r.seconds, 1.0, "%s: %.2f s from the signal to the exit", strsignal(sig),
                 r.seconds);
    cr_expect_str_eq(r.err, "sirisk: interrupted\n");
    cr_expect_str_empty(r.out, "an interrupted summary prints no table:\n%s", r.out);
    summary_run_clear(&r);
    sr_test_remove_dir(dir);
}

Test(h5read, sigint_ends_a_long_summary_at_once, .timeout = 120)
{
    expect_interrupted(SIGINT);
}

Test(h5read, sigterm_ends_a_long_summary_at_once, .timeout = 120)
{
    expect_interrupted(SIGTERM);
}

/* Copies tests/data/damaged/<name>.h5 into dir. */
static void copy_damaged(const char *dir, const char *name)
{
    int rc = sr_test_run(sr_test_cmd("cp '%s/tests/data/damaged/%s.h5' '%s/'", SIRISK_SOURCE_DIR,
                                     name, dir), NULL, NULL);
    cr_assert_eq(rc, 0, "cannot copy %s.h5", name);
}

/* Files damaged below what sirisk checks make HDF5 itself fault (tests/data/damaged):
 * read in a child process, they end in exit 74 and a message, not in a crash. */
Test(h5read, a_file_on_which_hdf5_faults_is_refused, .timeout = 120)
{
    char *dir = sr_test_tmpdir();
    const char *names[] = {"heap_fault_attribute", "heap_fault_dataset"};
    for (size_t i = 0; i < 2; i++) {
        copy_damaged(dir, names[i]);
        /* a segmentation fault; under AddressSanitizer, whose report of the bad copy comes
         * first on stderr, an exit without a message */
        summary_run r = run_summary(dir, names[i], 0, 0);
        cr_expect_eq(r.code, 74, "%s: exit %d, expected 74; stderr: %s", names[i], r.code, r.err);
        char head[256];
        snprintf(head, sizeof head, "sirisk: %s.h5: cannot be read: the HDF5 library failed on "
                 "it (", names[i]);
        cr_expect_not_null(strstr(r.err, head), "%s: no message naming the file: %s", names[i],
                           r.err);
        cr_expect_str_empty(r.out, "%s: printed a table:\n%s", names[i], r.out);
        summary_run_clear(&r);
    }
    sr_test_remove_dir(dir);
}

/* Whether a process has `name` in its command line: the grep's pattern brackets the first
 * letter, so that the shell and grep running the search do not match themselves. */
static bool process_running(const char *name)
{
    char *out = NULL;
    int rc = sr_test_run(sr_test_cmd("grep -l -a '[%c]%s' /proc/[0-9]*/cmdline 2>/dev/null",
                                     name[0], name + 1), &out, NULL);
    bool found = rc == 0 && out != NULL && out[0] != '\0';
    free(out);
    return found;
}

/* HDF5 loops on heap_loop.h5 (30 s of processor time end it): SIGTERM ends the summary,
 * and the process reading it, within a second. */
Test(h5read, sigterm_ends_a_summary_stuck_inside_hdf5, .timeout = 120)
{
    char *dir = sr_test_tmpdir();
    copy_damaged(dir, "heap_loop");
    summary_run r = run_summary(dir, "heap_loop", SIGTERM, 500);
    cr_expect_eq(r.code, 130, "exit %d (-1: still running %.0f s after SIGTERM), expected 130; "
                 "stderr: %s", r.code, MAX_SECONDS, r.err);
    cr_expect_lt(r.seconds, 1.0, "%.2f s from SIGTERM to the exit", r.seconds);
    struct timespec settle = {0, 100000000L};
    nanosleep(&settle, NULL);
    cr_expect(!process_running("heap_loop.h5"), "a process still reads heap_loop.h5");
    summary_run_clear(&r);
    sr_test_remove_dir(dir);
}
