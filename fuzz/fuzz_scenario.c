/* libFuzzer target: the scenario loader with command-line overrides, as `sirisk validate`
 * runs it (load, apply every --set, validate, check every stress, print the model).
 *
 * Input: a scenario document, optionally followed by a line that is exactly `#--set` (a
 * YAML comment, so a seed stays a valid scenario file) and then one `--set` argument per
 * line, PATH=VALUE. An argument that sr_override_parse refuses ends the input there, as
 * it ends the command line. A document may hold any bytes, NUL included (a file can); an
 * argument stops at its first NUL, as argv does.
 *
 * Besides the sanitizers, every call checks the loader's contract: a model and no error,
 * or no model and an error with a code of 65 (or 70, out of memory) and a message of one
 * line, free of control characters, that names the document or the override. */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "sim/base/error.h"
#include "sim/scenario/scenario.h"

/* Stands for the file in messages; errors must name it. */
#define DOC_NAME "fuzz.yaml"
static const char separator[] = "\n#--set\n";

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();   /* as sirisk's main: GSL errors are return codes */
    devnull = fopen("/dev/null", "w");
    if (devnull == NULL) {
        perror("/dev/null");
        abort();
    }
    return 0;
}

/* The loader broke its contract: say how, with the message, and stop (a crash for libFuzzer). */
static void contract_broken(const char *what, const sr_error *err)
{
    fprintf(stderr, "fuzz_scenario: %s (code %d, message \"%s\")\n", what, err->code, err->msg);
    abort();
}

/* Whether s holds a control character: a message is one line and sends no terminal codes. */
static bool has_control(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            return true;
    return false;
}

/* A failed load's error: code 65 (70: out of memory), one line without control
 * characters, beginning with the document's name or with `--set ARG` of one of the
 * arguments (which is the user's own text, echoed as given). */
static void check_error(const sr_error *err, const char *const *set_args, size_t n_args)
{
    if (err->code != SR_EXIT_DATAERR && err->code != SR_EXIT_SOFTWARE)
        contract_broken("a failed load's code is neither 65 nor 70", err);
    const char *rest = NULL;
    if (strncmp(err->msg, DOC_NAME ":", strlen(DOC_NAME ":")) == 0)
        rest = err->msg;
    const size_t msg_len = strlen(err->msg), set_len = strlen("--set ");
    for (size_t k = 0; rest == NULL && k < n_args && strncmp(err->msg, "--set ", set_len) == 0;
         k++) {
        /* the argument as far as the message holds it (a long message is cut) */
        size_t arg_len = strlen(set_args[k]);
        size_t cmp = arg_len < msg_len - set_len ? arg_len : msg_len - set_len;
        if (memcmp(err->msg + set_len, set_args[k], cmp) == 0)
            rest = err->msg + set_len + cmp;
    }
    if (rest == NULL)
        contract_broken("an error message names neither the file nor an override", err);
    if (has_control(rest))
        contract_broken("an error message holds a control character", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    /* the document: everything before the separator line (all of it without one) */
    size_t doc_len = size;
    const char *args = NULL;
    size_t args_len = 0;
    const size_t sep_len = sizeof separator - 1;
    if (size >= sep_len - 1 && memcmp(text, separator + 1, sep_len - 1) == 0) {
        doc_len = 0;   /* the first line is the separator: an empty document */
        args = text + sep_len - 1;
        args_len = size - (sep_len - 1);
    }
    for (size_t i = 0; args == NULL && i + sep_len <= size; i++)
        if (memcmp(text + i, separator, sep_len) == 0) {
            doc_len = i + 1;   /* keeps the document's last newline */
            args = text + i + sep_len;
            args_len = size - (i + sep_len);
        }

    /* one argument per line; a last line without '\n' counts, an empty tail does not */
    size_t n_lines = 0;
    for (size_t i = 0; i < args_len; i++)
        n_lines += args[i] == '\n';
    n_lines += args_len > 0 && args[args_len - 1] != '\n';

    char **set_args = calloc(n_lines ? n_lines : 1, sizeof *set_args);
    sr_override *ov = calloc(n_lines ? n_lines : 1, sizeof *ov);
    size_t n_args = 0, n_ov = 0;
    sr_error err = {0};
    if (set_args == NULL || ov == NULL)
        abort();
    for (size_t start = 0; start < args_len;) {
        const char *nl = memchr(args + start, '\n', args_len - start);
        size_t len = nl != NULL ? (size_t)(nl - (args + start)) : args_len - start;
        set_args[n_args] = strndup(args + start, len);   /* stops at a NUL, as argv */
        if (set_args[n_args] == NULL)
            abort();
        n_args++;
        start += len + 1;
    }
    for (size_t k = 0; k < n_args; k++) {
        if (sr_override_parse(set_args[k], &ov[n_ov], &err) != 0) {
            check_error(&err, (const char *const *)set_args, n_args);
            goto done;
        }
        n_ov++;
    }

    sr_scenario *sc = sr_scenario_load_text(DOC_NAME, text, doc_len, ov, n_ov, &err);
    if (sc == NULL) {
        check_error(&err, (const char *const *)set_args, n_args);
    } else {
        if (err.code != 0)
            contract_broken("a scenario came back with an error set", &err);
        sr_scenario_print(devnull, sc);
        sr_scenario_free(sc);
    }

done:
    for (size_t k = 0; k < n_ov; k++)
        sr_override_clear(&ov[k]);
    for (size_t k = 0; k < n_args; k++)
        free(set_args[k]);
    free(ov);
    free(set_args);
    return 0;
}
