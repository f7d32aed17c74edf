/* Finding, checking and publishing a command's result file (output.h). */
#include "sim/cli/output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "sim/base/text.h"
#include "sim/cli/isolate.h"
#include "sim/cli/summary_print.h"
#include "sim/resultset/outfile.h"

/* results/<scenario file stem><suffix>.h5, malloc'd (NULL: out of memory). */
static char *default_output(const char *scenario, const char *suffix)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t stem = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot != NULL && dot != base)
        stem = (size_t)(dot - base);
    size_t n = stem + strlen(suffix) + sizeof "results/.h5";
    char *path = malloc(n);
    if (path != NULL)
        snprintf(path, n, "results/%.*s%s.h5", (int)stem, base, suffix);
    return path;
}

char *sr_cli_output_prepare(const char *given, const char *scenario, const char *suffix,
                            sr_error *err)
{
    char *path = given != NULL ? strdup(given) : default_output(scenario, suffix);
    if (path == NULL) {
        sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        return NULL;
    }
    if (sr_outfile_check(path, given == NULL, err) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

void sr_cli_hold_signals(bool hold)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* text with every occurrence of from replaced by to, malloc'd (NULL: out of memory). */
static char *replace_all(const char *text, const char *from, const char *to)
{
    size_t n_from = strlen(from), n_to = strlen(to), count = 0;
    for (const char *p = text; (p = strstr(p, from)) != NULL; p += n_from)
        count++;
    size_t len = strlen(text) - count * n_from + count * n_to;
    char *out = malloc(len + 1), *w = out;
    if (out == NULL)
        return NULL;
    for (const char *p = text, *at;; p = at + n_from) {
        at = strstr(p, from);
        size_t keep = at != NULL ? (size_t)(at - p) : strlen(p);
        memcpy(w, p, keep);
        w += keep;
        if (at == NULL)
            break;
        memcpy(w, to, n_to);
        w += n_to;
    }
    *w = '\0';
    return out;
}

/* The summary table of the complete file f, read from this run's own temporary file; the
 * table names the target, not the temporary. NULL and err filled when it cannot be read. */
static char *read_summary(const sr_h5_file *f, const char *output, sr_error *err)
{
    char *text = NULL, *shown = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem == NULL) {
        sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        return NULL;
    }
    int rc = sr_h5_print_summary(sr_h5_file_temp_path(f), mem, err);
    if (fclose(mem) != 0 && rc == 0)
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    if (rc == 0 && (shown = replace_all(text, sr_h5_file_temp_path(f), output)) == NULL)
        sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    free(text);
    return shown;
}

/* Completes f, reads its summary back (unless quiet) and renames it onto the target (call
 * with signals held); f is freed whatever the outcome. *summary is then the table to print
 * (NULL when quiet). */
static int publish(sr_h5_file *f, const char *output, bool quiet,
                   volatile sig_atomic_t *interrupted, char **summary, sr_error *err)
{
    sr_error summary_err = {0};
    int rc = *interrupted ? sr_error_set(err, SR_EXIT_INTERRUPTED, "interrupted")
                          : sr_h5_file_complete(f, err);
    if (rc != 0) {
        sr_h5_file_abort(f);
        return rc;
    }
    if (!quiet && (*summary = read_summary(f, output, &summary_err)) == NULL)
        sr_error_prefix(&summary_err, "%s: written, but its summary cannot be shown", output);
    rc = sr_h5_file_commit(f, err);
    if (rc == 0 && !quiet && *summary == NULL) {
        *err = summary_err;
        rc = err->code;
    }
    return rc;
}

/* "wrote FILE" and its summary table, escaped: the table quotes the scenario's name. */
static int print_written(const char *output, const char *summary, sr_error *err)
{
    printf("wrote ");
    sr_text_write(stdout, output, NULL);
    printf("\n\n");
    sr_text_write(stdout, summary, "\n");
    if (fflush(stdout) != 0 || ferror(stdout))
        return sr_error_set(err, SR_EXIT_IOERR, "%s: written, but its summary cannot be "
                            "printed: %s", output, strerror(errno));
    return 0;
}

int sr_cli_output_publish(sr_h5_file *f, const char *output, bool quiet,
                          volatile sig_atomic_t *interrupted, sr_error *err)
{
    char *summary = NULL;
    sr_cli_hold_signals(true);
    int rc = publish(f, output, quiet, interrupted, &summary, err);
    sr_cli_hold_signals(false);
    if (rc == 0 && summary != NULL && !*interrupted)
        rc = print_written(output, summary, err);
    free(summary);
    return rc;
}

char *sr_cli_output_beside(const char *given, const char *input, const char *suffix,
                           sr_error *err)
{
    char *path = NULL;
    if (given != NULL) {
        path = strdup(given);
    } else {
        const char *base = strrchr(input, '/');
        base = base ? base + 1 : input;
        const char *dot = strrchr(base, '.');
        size_t stem = dot != NULL && dot != base ? (size_t)(dot - input) : strlen(input);
        size_t n = stem + strlen(suffix) + 1;
        if ((path = malloc(n)) != NULL)
            snprintf(path, n, "%.*s%s", (int)stem, input, suffix);
    }
    if (path == NULL) {
        sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        return NULL;
    }
    if (sr_outfile_check(path, false, err) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

/* What the reader process runs: write() into names that reopen the temporaries this
 * process holds open (/proc/self/fd/N), so that it never creates a file by a name that an
 * interrupt may have removed meanwhile. */
typedef struct {
    sr_cli_write_fn write;
    void *arg;
    const sr_outfile *temps;
    size_t n;
} reader_job;

static int run_reader(void *arg, sr_error *err)
{
    const reader_job *job = arg;
    char **names = calloc(job->n + 1, sizeof *names);
    int rc = names == NULL ? sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory") : 0;
    for (size_t i = 0; rc == 0 && i < job->n; i++) {
        if ((names[i] = malloc(32)) == NULL)
            rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        else
            snprintf(names[i], 32, "/proc/self/fd/%d", job->temps[i].fd);
    }
    if (rc == 0)
        rc = job->write(job->arg, names, err);
    for (size_t i = 0; names != NULL && i < job->n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Publishes the temporaries the reader filled and removes the empty ones (signals held by
 * the caller). */
static int publish_filled(sr_outfile *temps, size_t n, bool quiet, sr_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (rc != 0 || fstat(temps[i].fd, &st) != 0 || st.st_size == 0) {
            sr_outfile_discard(&temps[i]);
            continue;
        }
        char *output = strdup(temps[i].path);
        if ((rc = sr_outfile_flush(&temps[i], err)) != 0) {
            sr_outfile_discard(&temps[i]);
        } else if ((rc = sr_outfile_publish(&temps[i], err)) == 0 && !quiet && output != NULL) {
            printf("wrote ");
            sr_text_write(stdout, output, NULL);
            putchar('\n');
        }
        free(output);
    }
    if (rc == 0 && !quiet && (fflush(stdout) != 0 || ferror(stdout)))
        rc = sr_error_set(err, SR_EXIT_IOERR, "written, but cannot say so: %s",
                          strerror(errno));
    return rc;
}

int sr_cli_output_from_result(const char *input, char *const *outputs, size_t n,
                              sr_cli_write_fn write, void *arg, bool quiet,
                              volatile sig_atomic_t *interrupted, sr_error *err)
{
    sr_outfile *temps = calloc(n + 1, sizeof *temps);
    char **names = calloc(n + 1, sizeof *names);
    int rc = temps == NULL || names == NULL ? sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory")
                                            : 0;
    size_t made = 0;
    for (; rc == 0 && made < n; made++) {
        if ((rc = sr_outfile_create(&temps[made], outputs[made], err)) != 0)
            break;
        names[made] = temps[made].tmp;
    }
    if (rc == 0) {
        struct stat st;
        double bytes = stat(input, &st) == 0 ? (double)st.st_size : 0.0;
        reader_job job = {write, arg, temps, n};
        sr_isolate_remove_on_interrupt(names, n);
        rc = sr_isolate(run_reader, &job, input, SR_ISOLATE_MEMORY,
                        sr_isolate_cpu_seconds(bytes), err);
    }
    sr_cli_hold_signals(true);
    sr_isolate_remove_on_interrupt(NULL, 0);
    if (rc == 0 && *interrupted)
        rc = sr_error_set(err, SR_EXIT_INTERRUPTED, "interrupted");
    if (rc == 0) {
        rc = publish_filled(temps, n, quiet, err);
    } else {
        for (size_t i = 0; i < made; i++)
            sr_outfile_discard(&temps[i]);
    }
    sr_cli_hold_signals(false);
    free(names);
    free(temps);
    return rc;
}
