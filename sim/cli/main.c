/* The command line (SPEC 4). Parses arguments, loads the scenario, checks the output path,
 * runs it, writes the result set atomically and prints its summary. The only place that
 * prints errors and chooses exit codes; whatever it prints of a scenario or a command line
 * is escaped (sim/base/text.h). */
#include <errno.h>
#include <hdf5.h>
#include <stdbool.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/base/error.h"
#include "sim/cli/isolate.h"
#include "sim/cli/summary_print.h"
#include "sim/resultset/h5write.h"
#include "sim/variants/memory.h"
#include "sim/resultset/outfile.h"
#include "sim/engine/run.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/schema.h"
#include "sim/variants/stress.h"
#include "sim/variants/sweep.h"
#include "sim/variants/variant_file.h"
#include "sim/base/text.h"

static const char usage[] =
    "usage:\n"
    "  sirisk run SCENARIO [-o FILE.h5] [--trials N] [--seed S] [--threads T]\n"
    "                      [--set PATH=VALUE]... [--quiet]\n"
    "  sirisk validate SCENARIO [--set PATH=VALUE]...\n"
    "  sirisk stress SCENARIO [--only NAME,...] [run options]\n"
    "  sirisk sweep SCENARIO --param PATH --values V1,V2,... [--param PATH --values ...]\n"
    "                        [run options]\n"
    "      (two --params: a grid; --param A,B --values [a1,b1],[a2,b2],...: A and B paired)\n"
    "  sirisk summary FILE.h5\n"
    "  sirisk schema\n"
    "  sirisk --version | --help\n";

static volatile sig_atomic_t interrupted = 0;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* `summary` only reads, and may spend long inside one HDF5 call on a large file: an
 * interrupt ends it at once (nothing to clean up, and no table is printed before it is
 * whole). write and _exit are async-signal-safe. */
static void exit_interrupted(int sig)
{
    (void)sig;
    static const char msg[] = "sirisk: interrupted\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing more can be said */
    }
    _exit(SR_EXIT_INTERRUPTED);
}

static int print_summary(void *path, sr_error *err)
{
    return sr_h5_print_summary(path, stdout, err);
}

/* A result file is untrusted input: its table is read in a child process, so that a file
 * damaged below what sirisk checks cannot crash or exhaust sirisk (sim/cli/isolate.h). */
static int command_summary(const char *path, sr_error *err)
{
    struct stat st;
    double bytes = stat(path, &st) == 0 ? (double)st.st_size : 0.0;
    return sr_isolate(print_summary, (void *)path, path, SR_ISOLATE_MEMORY,
                      sr_isolate_cpu_seconds(bytes), err);
}

/* What the command line asked for. */
typedef struct {
    const char *command;
    const char *scenario;
    const char *output;
    const char *only;         /* stress: comma-separated stress names */
    sr_sweep_spec sweep;      /* sweep: --param and --values */
    int threads;
    int quiet;
    int ran_options;          /* --trials or --seed given */
    size_t n_overrides;
    sr_override *overrides;   /* --set, then --trials and --seed as overrides */
} options;

static void options_clear(options *o)
{
    for (size_t i = 0; i < o->n_overrides; i++)
        sr_override_clear(&o->overrides[i]);
    free(o->overrides);
    sr_sweep_spec_clear(&o->sweep);
}

static int add_override(options *o, const char *arg, sr_error *err)
{
    sr_override *grown = realloc(o->overrides, (o->n_overrides + 1) * sizeof *grown);
    if (grown == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    o->overrides = grown;
    if (sr_override_parse(arg, &o->overrides[o->n_overrides], err) != 0)
        return err->code;
    o->n_overrides++;
    return 0;
}

/* A whole number in [lo, hi]. */
static int parse_count(const char *flag, const char *text, long long lo, long long hi,
                       long long *out, sr_error *err)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < lo || v > hi)
        return sr_error_set(err, SR_EXIT_USAGE, "%s: expected a whole number from %lld to %lld, got '%s'",
                            flag, lo, hi, text);
    *out = v;
    return 0;
}

static int parse_options(int argc, char **argv, options *o, sr_error *err)
{
    o->command = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int takes_value = strcmp(a, "-o") == 0 || strcmp(a, "--trials") == 0 ||
                          strcmp(a, "--seed") == 0 || strcmp(a, "--threads") == 0 ||
                          strcmp(a, "--set") == 0 || strcmp(a, "--only") == 0 ||
                          strcmp(a, "--param") == 0 || strcmp(a, "--values") == 0;
        if (takes_value && value == NULL)
            return sr_error_set(err, SR_EXIT_USAGE, "%s needs a value", a);
        char buf[64];
        long long n;
        if (strcmp(a, "-o") == 0) {
            o->output = value;
        } else if (strcmp(a, "--only") == 0) {
            if (strcmp(o->command, "stress") != 0)
                return sr_error_set(err, SR_EXIT_USAGE, "--only is an option of stress");
            o->only = value;
        } else if (strcmp(a, "--param") == 0 || strcmp(a, "--values") == 0) {
            if (strcmp(o->command, "sweep") != 0)
                return sr_error_set(err, SR_EXIT_USAGE, "%s is an option of sweep", a);
            int rc = a[2] == 'p' ? sr_sweep_spec_param(&o->sweep, value, err)
                                 : sr_sweep_spec_values(&o->sweep, value, err);
            if (rc != 0)
                return rc;
        } else if (strcmp(a, "--trials") == 0) {
            if (parse_count(a, value, 1, 1000000000LL, &n, err) != 0)
                return err->code;
            snprintf(buf, sizeof buf, "simulation.trials=%lld", n);
            o->ran_options = 1;
            if (add_override(o, buf, err) != 0)
                return err->code;
        } else if (strcmp(a, "--seed") == 0) {
            char *end;
            errno = 0;
            unsigned long long seed = strtoull(value, &end, 10);
            if (errno != 0 || end == value || *end != '\0' || value[0] == '-')
                return sr_error_set(err, SR_EXIT_USAGE, "--seed: expected a whole number from "
                                    "0 to 18446744073709551615, got '%s'", value);
            snprintf(buf, sizeof buf, "simulation.seed=%llu", seed);
            o->ran_options = 1;
            if (add_override(o, buf, err) != 0)
                return err->code;
        } else if (strcmp(a, "--threads") == 0) {
            if (parse_count(a, value, 1, SR_MAX_THREADS, &n, err) != 0)
                return err->code;
            o->threads = (int)n;
        } else if (strcmp(a, "--set") == 0) {
            if (add_override(o, value, err) != 0)
                return err->code;
        } else if (strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
            continue;
        } else if (a[0] == '-' && a[1] != '\0') {
            return sr_error_set(err, SR_EXIT_USAGE, "unknown option '%s'", a);
        } else if (o->scenario == NULL) {
            o->scenario = a;
            continue;
        } else {
            return sr_error_set(err, SR_EXIT_USAGE, "unexpected argument '%s'", a);
        }
        i++; /* the option's value */
    }
    if (o->scenario == NULL)
        return sr_error_set(err, SR_EXIT_USAGE, "%s needs a %s", o->command,
                            strcmp(o->command, "summary") == 0 ? "result file" : "scenario file");
    return 0;
}

/* results/<scenario file stem><suffix>.h5 */
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

/* How the driver runs for this command line: threads, progress on a terminal, and the
 * interrupt flag. */
static sr_run_options run_options(const options *o)
{
    return (sr_run_options){
        .threads = o->threads,
        .progress = !o->quiet && isatty(STDERR_FILENO),
        .interrupted = &interrupted,
    };
}

/* Signals are held while a result file is committed: an interrupt then waits until the
 * file is complete and in place, so it never leaves half a file or a replaced one. */
static void hold_signals(bool hold)
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

/* The summary table of the complete file f, read from this run's own temporary file
 * before it replaces the target, so that another run writing the same path at the same
 * time cannot put its file in between; the table names the target, not the temporary.
 * NULL and err filled when it cannot be read. */
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

/* Publishes f, into which everything has been written, at output (call with signals
 * held): closes and flushes it, reads its summary back (unless quiet) and renames it onto
 * the target; f is freed whatever the outcome. *summary is then the table to print (NULL
 * when quiet). A summary that cannot be read does not keep the file from being published;
 * it is reported after. */
static int publish(sr_h5_file *f, const char *output, bool quiet, char **summary,
                   sr_error *err)
{
    sr_error summary_err = {0};
    int rc = interrupted ? sr_error_set(err, SR_EXIT_INTERRUPTED, "interrupted")
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

/* Writes a run's result set (stress == NULL) or a stress file at output, and publishes
 * it; signals are held meanwhile. */
static int write_result(const char *output, const sr_resultset *rs,
                        const sr_stress_set *stress, bool quiet, sr_error *err)
{
    char *summary = NULL;
    hold_signals(true);
    sr_h5_file *f = NULL;
    int rc = interrupted ? sr_error_set(err, SR_EXIT_INTERRUPTED, "interrupted") : 0;
    if (rc == 0 && (f = sr_h5_file_create(output, err)) == NULL)
        rc = err->code;
    if (rc == 0) {
        rc = stress != NULL
                 ? sr_variant_file_stress(f, stress->names, stress->results, stress->n, err)
                 : sr_h5_write_layout(sr_h5_file_root(f), rs, err);
        if (rc != 0) {
            sr_error_prefix(err, "%s", output);
            sr_h5_file_abort(f);
        }
    }
    if (rc == 0)
        rc = publish(f, output, quiet, &summary, err);
    hold_signals(false);
    if (rc == 0 && summary != NULL && !interrupted)
        rc = print_written(output, summary, err);
    free(summary);
    return rc;
}

static int command_run(const options *o, sr_error *err)
{
    sr_model *m = sr_scenario_load(o->scenario, o->overrides, o->n_overrides, err);
    if (m == NULL)
        return err->code;
    char *output = o->output ? strdup(o->output) : default_output(o->scenario, "");
    sr_run_options ro = run_options(o);
    int rc = output == NULL ? sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory")
                            : sr_outfile_check(output, o->output == NULL, err);
    if (rc == 0)
        rc = sr_memory_check(o->scenario, &m, 1, SR_MEMORY_EACH, &ro, err);
    sr_resultset *rs = rc == 0 ? sr_run(m, &ro, err) : NULL;
    if (rc == 0 && rs == NULL)
        rc = err->code;
    if (rc == 0)
        rc = write_result(output, rs, NULL, o->quiet, err);
    sr_resultset_free(rs);
    sr_model_free(m);
    free(output);
    return rc;
}

static int command_stress(const options *o, sr_error *err)
{
    char *output = o->output ? strdup(o->output) : default_output(o->scenario, "-stress");
    if (output == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    sr_run_options ro = run_options(o);
    sr_stress_set set = {0};
    int rc = sr_outfile_check(output, o->output == NULL, err);
    if (rc == 0)
        rc = sr_stress_run(o->scenario, o->overrides, o->n_overrides, o->only, &ro, &set, err);
    if (rc == 0)
        rc = write_result(output, NULL, &set, o->quiet, err);
    sr_stress_set_clear(&set);
    free(output);
    return rc;
}

/* The sweep file, created when point 0 has run (every point's scenario is valid by then)
 * and filled point by point. */
typedef struct {
    const char *path;
    sr_h5_file *file;
} sweep_output;

static int write_sweep_point(void *ctx, const sr_sweep_result *s, size_t i, const sr_model *m,
                             const sr_resultset *rs, sr_error *err)
{
    (void)m;
    sweep_output *so = ctx;
    if (i == 0 && (so->file = sr_h5_file_create(so->path, err)) == NULL)
        return err->code;
    if (sr_variant_file_sweep_point(so->file, s, i, rs, err) != 0) {
        sr_error_prefix(err, "%s", so->path);
        return err->code;
    }
    return 0;
}

static int command_sweep(const options *o, sr_error *err)
{
    if (sr_sweep_spec_check(&o->sweep, err) != 0)
        return err->code;
    char *output = o->output ? strdup(o->output) : default_output(o->scenario, "-sweep");
    if (output == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    sr_run_options ro = run_options(o);
    sweep_output so = {.path = output};
    sr_sweep_result result = {0};
    char *summary = NULL;
    int rc = sr_outfile_check(output, o->output == NULL, err);
    if (rc == 0)
        rc = sr_sweep_run(o->scenario, o->overrides, o->n_overrides, &o->sweep, &ro,
                          write_sweep_point, &so, &result, err);
    if (rc == 0) {
        hold_signals(true);
        if (interrupted) {
            rc = sr_error_set(err, SR_EXIT_INTERRUPTED, "interrupted");
        } else if (sr_variant_file_sweep_table(so.file, &result, err) != 0) {
            sr_error_prefix(err, "%s", output);
            rc = err->code;
        } else {
            rc = publish(so.file, output, o->quiet, &summary, err);   /* frees the file */
            so.file = NULL;
        }
        sr_h5_file_abort(so.file);
        so.file = NULL;
        hold_signals(false);
    }
    sr_h5_file_abort(so.file);
    if (rc == 0 && summary != NULL && !interrupted)
        rc = print_written(output, summary, err);
    free(summary);
    sr_sweep_result_clear(&result);
    free(output);
    return rc;
}

static int command_validate(const options *o, sr_error *err)
{
    sr_model *m = sr_scenario_load(o->scenario, o->overrides, o->n_overrides, err);
    if (m == NULL)
        return err->code;
    printf("%s: valid\n\n", o->scenario);
    sr_scenario_print(stdout, m);
    sr_run_options ro = run_options(o);
    putchar('\n');
    sr_memory_print(stdout, m, &ro);
    sr_model_free(m);
    if (fflush(stdout) != 0 || ferror(stdout))
        return sr_error_set(err, SR_EXIT_IOERR, "cannot write the model: %s", strerror(errno));
    return 0;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    /* HDF5's own clean-up at exit would close again a file whose close failed (a full
     * disk), which crashes HDF5 1.10; every file is closed or abandoned explicitly. */
    H5dont_atexit();
    if (argc < 2) {
        fputs(usage, stderr);
        return SR_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("sirisk %s\n", SIRISK_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "schema") == 0) {
        if (argc > 2)
            return fprintf(stderr, "sirisk: schema takes no arguments\n%s", usage), SR_EXIT_USAGE;
        if (sr_schema_print(stdout) == 0)
            return 0;
        return fputs("sirisk: cannot write the reference\n", stderr), SR_EXIT_IOERR;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = strcmp(argv[1], "summary") == 0 ? exit_interrupted : on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    sr_error err = {0};
    options o = {0};
    int rc;
    if (strcmp(argv[1], "run") != 0 && strcmp(argv[1], "validate") != 0 &&
        strcmp(argv[1], "summary") != 0 && strcmp(argv[1], "stress") != 0 &&
        strcmp(argv[1], "sweep") != 0) {
        rc = sr_error_set(&err, SR_EXIT_USAGE, "unknown command '%s'", argv[1]);
    } else {
        rc = parse_options(argc, argv, &o, &err);
        if (rc == 0 && strcmp(o.command, "summary") == 0 &&
            (o.output || o.threads || o.n_overrides || o.quiet))
            rc = sr_error_set(&err, SR_EXIT_USAGE, "summary takes only a result file");
        if (rc == 0 && strcmp(o.command, "validate") == 0 &&
            (o.output || o.threads || o.quiet || o.ran_options))
            rc = sr_error_set(&err, SR_EXIT_USAGE, "validate takes a scenario and --set only");
    }
    if (rc == 0) {
        if (strcmp(o.command, "run") == 0)
            rc = command_run(&o, &err);
        else if (strcmp(o.command, "validate") == 0)
            rc = command_validate(&o, &err);
        else if (strcmp(o.command, "stress") == 0)
            rc = command_stress(&o, &err);
        else if (strcmp(o.command, "sweep") == 0)
            rc = command_sweep(&o, &err);
        else
            rc = command_summary(o.scenario, &err);
    }
    if (rc != 0) {
        /* escaped: messages quote the scenario's keys and values */
        fputs("sirisk: ", stderr);
        sr_text_write(stderr, err.msg, NULL);
        fputc('\n', stderr);
        if (rc == SR_EXIT_USAGE)
            fputs(usage, stderr);
    }
    options_clear(&o);
    return rc;
}
