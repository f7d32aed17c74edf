/* The command line (README "Using it"). The command table below is the one place that
 * knows the commands: each row gives a command's name, its usage lines, its operand, the
 * options it takes and its handler; sim/cli/args.c parses the words after the name
 * against that row. A new command is a row and a handler here. This file is also the only
 * place that prints errors and chooses exit codes; whatever it prints of a scenario or a
 * command line is escaped (sim/base/text.h). */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <hdf5.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/base/error.h"
#include "sim/base/text.h"
#include "sim/cli/args.h"
#include "sim/cli/export.h"
#include "sim/cli/isolate.h"
#include "sim/cli/output.h"
#include "sim/cli/price_print.h"
#include "sim/cli/report.h"
#include "sim/cli/summary_print.h"
#include "sim/cli/voi_print.h"
#include "sim/engine/run.h"
#include "sim/resultset/h5write.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/schema.h"
#include "sim/variants/memory.h"
#include "sim/variants/price.h"
#include "sim/variants/stress.h"
#include "sim/variants/sweep.h"
#include "sim/variants/voi_run.h"

/* Set by SIGINT or SIGTERM: the run stops between trials, and no file is published. */
static volatile sig_atomic_t interrupted = 0;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* A command that only reads (`summary`) may spend long inside one HDF5 call on a large
 * file: an interrupt ends it at once (nothing to clean up, and no table is printed before
 * it is whole). write and _exit are async-signal-safe. */
static void exit_interrupted(int sig)
{
    (void)sig;
    static const char msg[] = "sirisk: interrupted\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing more can be said */
    }
    _exit(SR_EXIT_INTERRUPTED);
}

/* How the driver runs for this command line: threads, progress on a terminal, and the
 * interrupt flag. */
static sr_run_options run_options(const sr_cli_options *o)
{
    return (sr_run_options){
        .threads = o->threads,
        .progress = !o->quiet && isatty(STDERR_FILENO),
        .interrupted = &interrupted,
    };
}

/* What stress and sweep ask of their variants. */
static sr_variants_request variants_request(const sr_cli_options *o, const sr_run_options *ro,
                                            const char *output)
{
    return (sr_variants_request){
        .scenario = o->operand,
        .overrides = o->overrides,
        .n_overrides = o->n_overrides,
        .run = ro,
        .output = output,
    };
}

/* The result file of o's command, checked before anything runs. */
static char *prepare_output(const sr_cli_options *o, sr_error *err)
{
    return sr_cli_output_prepare(o->output, o->operand, o->command->output_suffix, err);
}

/* Writes the run's result set into a new file for output and publishes it. Signals are
 * held from the file's creation: an interrupt during the write waits until the file is
 * complete and in place. */
static int write_run(const char *output, const sr_resultset *rs, bool quiet, sr_error *err)
{
    sr_cli_hold_signals(true);
    sr_h5_file *f = interrupted ? NULL : sr_h5_file_create(output, err);
    if (f == NULL) {
        sr_cli_hold_signals(false);
        return interrupted ? sr_error_set(err, SR_EXIT_INTERRUPTED, "interrupted") : err->code;
    }
    if (sr_h5_write_layout(sr_h5_file_root(f), rs, err) != 0) {
        sr_error_prefix(err, "%s", output);
        sr_h5_file_abort(f);
        sr_cli_hold_signals(false);
        return err->code;
    }
    return sr_cli_output_publish(f, output, quiet, &interrupted, err);
}

/* The scenario's cautions (values valid but probably not what was meant), one "sirisk:
 * note:" line each on stderr, escaped, unless quiet. */
static void print_cautions(const sr_scenario *sc, bool quiet)
{
    for (const char *line = sc->cautions; !quiet && line != NULL && *line != '\0';) {
        const size_t len = strcspn(line, "\n");
        char *one = strndup(line, len);
        if (one != NULL) {
            fputs("sirisk: note: ", stderr);
            sr_text_write(stderr, one, NULL);
            fputc('\n', stderr);
            free(one);
        }
        line += len + (line[len] == '\n');
    }
}

static int command_run(const sr_cli_options *o, sr_error *err)
{
    sr_scenario *sc = sr_scenario_load(o->operand, o->overrides, o->n_overrides, err);
    if (sc == NULL)
        return err->code;
    print_cautions(sc, o->quiet);
    sr_run_options ro = run_options(o);
    sr_resultset *rs = NULL;
    char *output = prepare_output(o, err);
    int rc = output == NULL ? err->code : sr_memory_check(o->operand, &sc, NULL, 1, &ro, err);
    if (rc == 0 && (rs = sr_run(sc->model, sc->text, &ro, err)) == NULL)
        rc = err->code;
    if (rc == 0)
        rc = write_run(output, rs, o->quiet, err);
    sr_resultset_free(rs);
    sr_scenario_free(sc);
    free(output);
    return rc;
}

/* Runs what a command that fills a result file makes (stress, sweep, price) with
 * run(ctx), into o's result file, and publishes it. */
typedef int (*variants_runner)(const sr_cli_options *o, const sr_variants_request *rq,
                               void *ctx, sr_h5_file **file, sr_error *err);

static int run_variants(const sr_cli_options *o, variants_runner run, void *ctx, sr_error *err)
{
    char *output = prepare_output(o, err);
    if (output == NULL)
        return err->code;
    sr_run_options ro = run_options(o);
    sr_variants_request rq = variants_request(o, &ro, output);
    sr_h5_file *f = NULL;
    int rc = run(o, &rq, ctx, &f, err);
    if (rc == 0)
        rc = sr_cli_output_publish(f, output, o->quiet, &interrupted, err);
    free(output);
    return rc;
}

static int run_stresses(const sr_cli_options *o, const sr_variants_request *rq, void *ctx,
                        sr_h5_file **file, sr_error *err)
{
    (void)ctx;
    return sr_stress_run(rq, o->only, file, err);
}

static int run_sweep_points(const sr_cli_options *o, const sr_variants_request *rq,
                            void *ctx, sr_h5_file **file, sr_error *err)
{
    (void)ctx;
    return sr_sweep_run(rq, &o->sweep, NULL, NULL, NULL, file, err);
}

static int command_stress(const sr_cli_options *o, sr_error *err)
{
    return run_variants(o, run_stresses, NULL, err);
}

static int command_sweep(const sr_cli_options *o, sr_error *err)
{
    if (sr_sweep_spec_check(&o->sweep, err) != 0)
        return err->code;
    return run_variants(o, run_sweep_points, NULL, err);
}

static int run_price(const sr_cli_options *o, const sr_variants_request *rq, void *ctx,
                     sr_h5_file **file, sr_error *err)
{
    return sr_price_run(rq, &o->price, ctx, file, err);
}

/* A price search: one run, its trials settled again at each candidate term; the file's
 * summary (the result set at the answer, or the scenario as given for a map), then the
 * search's table. */
static int command_price(const sr_cli_options *o, sr_error *err)
{
    if (sr_price_spec_check(&o->price, err) != 0)
        return err->code;
    sr_price_result r = {0};
    int rc = run_variants(o, run_price, &r, err);
    if (rc == 0 && !o->quiet)
        rc = sr_price_print(stdout, &r, err);
    sr_price_result_clear(&r);
    return rc;
}

/* Whether path starts with HDF5's signature (a result file), not a scenario's text. */
static bool is_hdf5(const char *path)
{
    static const unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8];
    FILE *f = fopen(path, "rb");
    bool yes = f != NULL && fread(head, 1, 8, f) == 8 && memcmp(head, signature, 8) == 0;
    if (f != NULL)
        fclose(f);
    return yes;
}

static int probe_voi(void *rq, sr_error *err)
{
    return sr_voi_probe(rq, err);
}

/* Address space of the child that reads a result file for `voi` first: the trials of
 * every column it reads, which a run of millions of trials makes gigabytes. */
#define VOI_PROBE_MEMORY ((size_t)4 << 30)

/* The value of information of a scenario (run first) or of a result file: the result
 * file gets /voi (by default, a file given is replaced by its copy with /voi, atomically),
 * and the tables are printed. A result file is untrusted input: it is read first in a
 * child process (sim/cli/isolate.h), so that a file damaged below what sirisk checks
 * ends in exit 74, not in a crash or a hang. */
static int command_voi(const sr_cli_options *o, sr_error *err)
{
    const bool from_file = is_hdf5(o->operand);
    if (from_file && o->n_overrides > 0)
        return sr_error_set(err, SR_EXIT_USAGE, "voi: --set, --trials and --seed apply to a "
                                                "scenario, not to a result file");
    if (!from_file) {   /* a scenario that cannot load fails before results/ is made */
        sr_scenario *sc = sr_scenario_load(o->operand, o->overrides, o->n_overrides, err);
        if (sc == NULL)
            return err->code;
        sr_scenario_free(sc);
    }
    char *output = from_file && o->output == NULL ? strdup(o->operand) : prepare_output(o, err);
    if (output == NULL)
        return err->code != 0 ? err->code : sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    sr_run_options ro = run_options(o);
    sr_voi_request rq = {
        .operand = o->operand,
        .from_file = from_file,
        .overrides = o->overrides,
        .n_overrides = o->n_overrides,
        .run = &ro,
        .output = output,
        .options = o->voi_options,
        .groups = o->voi_groups,
        .bootstrap = o->bootstrap,
        .population = o->population,
        .n_pilots = o->n_pilots,
        .pilot_months = o->pilot_months,
    };
    memcpy(rq.pilot_size, o->pilot_size, sizeof rq.pilot_size);
    sr_voi_outcome outcome = {0};
    sr_h5_file *f = NULL;
    int rc = 0;
    if (from_file) {
        struct stat st;
        double bytes = stat(o->operand, &st) == 0 ? (double)st.st_size : 0.0;
        rc = sr_isolate(probe_voi, &rq, o->operand, VOI_PROBE_MEMORY,
                        sr_isolate_cpu_seconds(bytes), err);
    }
    if (rc == 0)
        rc = sr_voi_run(&rq, &outcome, &f, err);
    if (rc == 0)
        rc = sr_cli_output_publish(f, output, true, &interrupted, err);
    if (rc == 0 && !o->quiet) {
        printf("wrote ");
        sr_text_write(stdout, output, NULL);
        printf("\n\n");
        rc = sr_voi_print(stdout, &outcome, err);
    }
    sr_voi_outcome_clear(&outcome);
    free(output);
    return rc;
}

static int command_validate(const sr_cli_options *o, sr_error *err)
{
    sr_scenario *sc = sr_scenario_load(o->operand, o->overrides, o->n_overrides, err);
    if (sc == NULL)
        return err->code;
    printf("%s: valid\n\n", o->operand);
    sr_scenario_print(stdout, sc);
    sr_run_options ro = run_options(o);
    putchar('\n');
    int rc = sr_memory_print(stdout, sc, &ro, err);
    sr_scenario_free(sc);
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
        rc = sr_error_set(err, SR_EXIT_IOERR, "cannot write the model: %s", strerror(errno));
    return rc;
}

static int print_summary(void *path, sr_error *err)
{
    return sr_h5_print_summary(path, stdout, err);
}

/* A result file is untrusted input: its table is read in a child process, so that a file
 * damaged below what sirisk checks cannot crash or exhaust sirisk (sim/cli/isolate.h). */
static int command_summary(const sr_cli_options *o, sr_error *err)
{
    struct stat st;
    double bytes = stat(o->operand, &st) == 0 ? (double)st.st_size : 0.0;
    return sr_isolate(print_summary, (void *)o->operand, o->operand, SR_ISOLATE_MEMORY,
                      sr_isolate_cpu_seconds(bytes), err);
}

/* The language --lang chose (English unless told). */
static sr_lang language(const sr_cli_options *o)
{
    return o->choice[SR_CLI_LANG] == 1 ? SR_LANG_DA : SR_LANG_EN;
}

typedef struct {
    const char *input;
    sr_lang lang;
} report_job;

static int write_report(void *arg, char *const *paths, sr_error *err)
{
    const report_job *job = arg;
    return sr_report_file(job->input, job->lang, paths[0], err);
}

/* The report of a result file: one HTML page, beside it unless -o. */
static int command_report(const sr_cli_options *o, sr_error *err)
{
    char *output = sr_cli_output_beside(o->output, o->operand, ".html", err);
    if (output == NULL)
        return err->code;
    report_job job = {o->operand, language(o)};
    int rc = sr_cli_output_from_result(o->operand, &output, 1, write_report, &job, o->quiet,
                                       &interrupted, err);
    free(output);
    return rc;
}

typedef struct {
    const char *input;
    sr_export_options options;
} export_job;

static int write_export(void *arg, char *const *paths, sr_error *err)
{
    const export_job *job = arg;
    return sr_export_files(job->input, &job->options, paths, err);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* What export's options ask for: the format (--format, else -o's extension, else xlsx),
 * the dialect and the table. Usage errors for a contradiction or an unknown table. */
static int export_options(const sr_cli_options *o, sr_export_options *eo, sr_error *err)
{
    const bool csv_name = o->output != NULL && ends_with(o->output, ".csv");
    const bool xlsx_name = o->output != NULL && ends_with(o->output, ".xlsx");
    *eo = (sr_export_options){.lang = language(o), .table = -1};
    if (o->choice[SR_CLI_FORMAT] >= 0)
        eo->format = o->choice[SR_CLI_FORMAT] == 1 ? SR_EXPORT_CSV : SR_EXPORT_XLSX;
    else
        eo->format = csv_name ? SR_EXPORT_CSV : SR_EXPORT_XLSX;
    if ((eo->format == SR_EXPORT_XLSX && csv_name) || (eo->format == SR_EXPORT_CSV && xlsx_name))
        return sr_error_set(err, SR_EXIT_USAGE, "export: -o %s does not name a %s file",
                            o->output, eo->format == SR_EXPORT_XLSX ? ".xlsx" : ".csv");
    if (o->choice[SR_CLI_DIALECT] >= 0 && eo->format != SR_EXPORT_CSV)
        return sr_error_set(err, SR_EXIT_USAGE, "export: --dialect applies to --format csv");
    eo->dialect = o->choice[SR_CLI_DIALECT] == 1 ? SR_CSV_DANISH : SR_CSV_RFC4180;
    if (o->table == NULL)
        return 0;
    char names[512] = "";
    for (int id = 0; id < SR_N_SHEETS; id++) {
        if (strcmp(o->table, sr_sheet_names[id]) == 0) {
            eo->table = id;
            return 0;
        }
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", id ? ", " : "", sr_sheet_names[id]);
    }
    return sr_error_set(err, SR_EXIT_USAGE, "export: --table: expected one of %s, got '%s'",
                        names, o->table);
}

/* The files of an export: the workbook; one CSV file; or a CSV file per table, named
 * <stem>-<table>.csv after -o (less its .csv) or the result file. */
static int export_paths(const sr_cli_options *o, const sr_export_options *eo, char **paths,
                        size_t *n, sr_error *err)
{
    char suffix[64];
    *n = 0;
    if (eo->format == SR_EXPORT_XLSX || eo->table >= 0) {
        if (eo->format == SR_EXPORT_CSV)
            snprintf(suffix, sizeof suffix, "-%s.csv", sr_sheet_names[eo->table]);
        paths[0] = sr_cli_output_beside(o->output, o->operand,
                                        eo->format == SR_EXPORT_XLSX ? ".xlsx" : suffix, err);
        *n = paths[0] != NULL;
        return paths[0] != NULL ? 0 : err->code;
    }
    /* the stem: -o without .csv, else the result file (its extension replaced) */
    char *stem = NULL;
    if (o->output != NULL) {
        size_t len = strlen(o->output) - (ends_with(o->output, ".csv") ? 4 : 0);
        stem = strndup(o->output, len);
    }
    for (int id = 0; id < SR_N_SHEETS; id++) {
        snprintf(suffix, sizeof suffix, "-%s.csv", sr_sheet_names[id]);
        char *given = NULL;
        if (stem != NULL && (given = malloc(strlen(stem) + strlen(suffix) + 1)) != NULL)
            sprintf(given, "%s%s", stem, suffix);
        paths[id] = (stem == NULL || given != NULL)
                        ? sr_cli_output_beside(given, o->operand, suffix, err)
                        : NULL;
        if (stem != NULL && given == NULL)
            sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        free(given);
        if (paths[id] == NULL) {
            free(stem);
            return err->code;
        }
        (*n)++;
    }
    free(stem);
    return 0;
}

/* The export of a result file: a workbook, or CSV files. */
static int command_export(const sr_cli_options *o, sr_error *err)
{
    export_job job = {.input = o->operand};
    char *paths[SR_N_SHEETS] = {0};
    size_t n = 0;
    int rc = export_options(o, &job.options, err);
    if (rc == 0)
        rc = export_paths(o, &job.options, paths, &n, err);
    if (rc == 0)
        rc = sr_cli_output_from_result(o->operand, paths, n, write_export, &job, o->quiet,
                                       &interrupted, err);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    return rc;
}

static int command_help(const sr_cli_options *o, sr_error *err);

static int command_version(const sr_cli_options *o, sr_error *err)
{
    (void)o;
    printf("sirisk %s\n", SIRISK_VERSION);
    if (fflush(stdout) != 0 || ferror(stdout))
        return sr_error_set(err, SR_EXIT_IOERR, "cannot write: %s", strerror(errno));
    return 0;
}

/* The commands, in the order the usage text lists them. */
/* The reference of every scenario key, from the schema tables (docs/scenario-format.md). */
static int command_schema(const sr_cli_options *o, sr_error *err)
{
    (void)o;
    if (sr_schema_print(stdout) != 0 || fflush(stdout) != 0 || ferror(stdout))
        return sr_error_set(err, SR_EXIT_IOERR, "cannot write the reference: %s",
                            strerror(errno));
    return 0;
}

static const sr_cli_command commands[] = {
    {.name = "run",
     .usage = "  sirisk run SCENARIO [-o FILE.h5] [--trials N] [--seed S] [--threads T]\n"
              "                      [--set PATH=VALUE]... [--quiet]\n",
     .operand = "scenario file",
     .takes = SR_CLI_RUN_OPTIONS,
     .takes_text = "a scenario and the run options",
     .output_suffix = "",
     .handler = command_run},
    {.name = "validate",
     .usage = "  sirisk validate SCENARIO [--set PATH=VALUE]...\n",
     .operand = "scenario file",
     .takes = SR_CLI_TAKES(SR_CLI_SET),
     .takes_text = "a scenario and --set only",
     .handler = command_validate},
    {.name = "stress",
     .usage = "  sirisk stress SCENARIO [--only NAME,...] [run options]\n",
     .operand = "scenario file",
     .takes = SR_CLI_RUN_OPTIONS | SR_CLI_TAKES(SR_CLI_ONLY),
     .takes_text = "a scenario, --only and the run options",
     .output_suffix = "-stress",
     .handler = command_stress},
    {.name = "sweep",
     .usage = "  sirisk sweep SCENARIO --param PATH --values V1,V2,... [--param PATH --values ...]\n"
              "                        [run options]\n"
              "      (two --params: a grid; --param A,B --values [a1,b1],[a2,b2],...: A and B "
              "paired)\n",
     .operand = "scenario file",
     .takes = SR_CLI_RUN_OPTIONS | SR_CLI_TAKES(SR_CLI_PARAM) | SR_CLI_TAKES(SR_CLI_VALUES),
     .takes_text = "a scenario, --param, --values and the run options",
     .output_suffix = "-sweep",
     .handler = command_sweep},
    {.name = "price",
     .usage = "  sirisk price SCENARIO --vary PATH --target [PROGRAMME/]METRIC.STATISTIC=VALUE\n"
              "                        [--bracket LO,HI] [run options]\n"
              "  sirisk price SCENARIO --map PATH=V1,V2,... [--map PATH=V1,V2,...]\n"
              "                        [--investor-irr R] [--municipality-risk P] [run options]\n",
     .operand = "scenario file",
     .takes = SR_CLI_RUN_OPTIONS | SR_CLI_TAKES(SR_CLI_VARY) | SR_CLI_TAKES(SR_CLI_TARGET) |
              SR_CLI_TAKES(SR_CLI_BRACKET) | SR_CLI_TAKES(SR_CLI_MAP) |
              SR_CLI_TAKES(SR_CLI_INVESTOR_IRR) | SR_CLI_TAKES(SR_CLI_MUNICIPALITY_RISK),
     .takes_text = "a scenario, --vary, --target, --bracket, --map, --investor-irr, "
                   "--municipality-risk and the run options",
     .output_suffix = "-price",
     .handler = command_price},
    {.name = "voi",
     .usage = "  sirisk voi SCENARIO|FILE.h5 [--options NAME,NAME=METRIC,...] [--groups A+B,...]\n"
              "                  [--pilot-sizes N1,N2,...] [--pilot-months M] [--population N]\n"
              "                  [--bootstrap B] [run options]\n",
     .operand = "scenario or result file",
     .takes = SR_CLI_RUN_OPTIONS | SR_CLI_TAKES(SR_CLI_OPTIONS) | SR_CLI_TAKES(SR_CLI_GROUPS) |
              SR_CLI_TAKES(SR_CLI_BOOTSTRAP) | SR_CLI_TAKES(SR_CLI_POPULATION) |
              SR_CLI_TAKES(SR_CLI_PILOT_SIZES) | SR_CLI_TAKES(SR_CLI_PILOT_MONTHS),
     .takes_text = "a scenario or result file, the value-of-information options and the run "
                   "options",
     .output_suffix = "-voi",
     .handler = command_voi},
    {.name = "summary",
     .usage = "  sirisk summary FILE.h5\n",
     .operand = "result file",
     .takes_text = "only a result file",
     .exit_on_interrupt = true,
     .handler = command_summary},
    {.name = "report",
     .usage = "  sirisk report FILE.h5 [-o FILE.html] [--lang en|da] [--quiet]\n",
     .operand = "result file",
     .takes = SR_CLI_TAKES(SR_CLI_OUTPUT) | SR_CLI_TAKES(SR_CLI_LANG) |
              SR_CLI_TAKES(SR_CLI_QUIET),
     .takes_text = "a result file, -o, --lang and --quiet",
     .handler = command_report},
    {.name = "export",
     .usage = "  sirisk export FILE.h5 [-o FILE] [--format xlsx|csv] [--table NAME]\n"
              "                         [--dialect rfc4180|danish] [--lang en|da] [--quiet]\n",
     .operand = "result file",
     .takes = SR_CLI_TAKES(SR_CLI_OUTPUT) | SR_CLI_TAKES(SR_CLI_LANG) |
              SR_CLI_TAKES(SR_CLI_QUIET) | SR_CLI_TAKES(SR_CLI_FORMAT) |
              SR_CLI_TAKES(SR_CLI_TABLE) | SR_CLI_TAKES(SR_CLI_DIALECT),
     .takes_text = "a result file, -o, --format, --table, --dialect, --lang and --quiet",
     .handler = command_export},
    {.name = "schema",
     .usage = "  sirisk schema                     # the scenario format reference (Markdown)\n",
     .takes_text = "nothing",
     .exit_on_interrupt = true,
     .handler = command_schema},
    {.name = "--version",
     .takes_text = "nothing",
     .handler = command_version},
    {.name = "--help",
     .usage = "  sirisk --version | --help\n"
              "  (an option's value follows it or an '=': --trials 10, --trials=10)\n",
     .takes_text = "nothing",
     .handler = command_help},
    {.name = "-h",
     .takes_text = "nothing",
     .handler = command_help},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *out)
{
    fputs("usage:\n", out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (commands[i].usage != NULL)
            fputs(commands[i].usage, out);
}

static int command_help(const sr_cli_options *o, sr_error *err)
{
    (void)o;
    print_usage(stdout);
    if (fflush(stdout) != 0 || ferror(stdout))
        return sr_error_set(err, SR_EXIT_IOERR, "cannot write: %s", strerror(errno));
    return 0;
}

static const sr_cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    /* HDF5's own clean-up at exit would close again a file whose close failed (a full
     * disk), which crashes HDF5 1.10; every file is closed or abandoned explicitly. */
    H5dont_atexit();
    if (argc < 2) {
        print_usage(stderr);
        return SR_EXIT_USAGE;
    }
    sr_error err = {0};
    sr_cli_options o = {0};
    const sr_cli_command *c = find_command(argv[1]);
    int rc = c == NULL ? sr_error_set(&err, SR_EXIT_USAGE, "unknown command '%s'", argv[1])
                       : sr_cli_parse(argc - 1, argv + 1, c, commands, N_COMMANDS, &o, &err);
    if (rc == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = c->exit_on_interrupt ? exit_interrupted : on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        rc = c->handler(&o, &err);
    }
    if (rc != 0) {
        /* escaped: messages quote the scenario's keys and values */
        fputs("sirisk: ", stderr);
        sr_text_write(stderr, err.msg, NULL);
        fputc('\n', stderr);
        if (rc == SR_EXIT_USAGE)
            print_usage(stderr);
    }
    sr_cli_options_clear(&o);
    return rc;
}
