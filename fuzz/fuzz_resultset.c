/* libFuzzer target: the result-file reader, as `sirisk summary FILE` runs it. The input's
 * bytes are the file: they are written to a temporary file of this process (the reader
 * takes a path, as the command does) and the summary is printed to /dev/null.
 *
 * Besides the sanitizers, every call checks the reader's contract: exit code 0 or 74 (the
 * file exists, so never 66), a one-line message on failure, and no HDF5 object left open
 * (an identifier the reader forgets keeps the file open: a leak that LeakSanitizer cannot
 * see, since HDF5 still holds it). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "sim/base/error.h"
#include "sim/cli/summary_print.h"

static FILE *devnull;
static char path[4096];   /* the temporary file; removed at exit */
static int fd = -1;

static void remove_file(void)
{
    if (fd >= 0)
        unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    H5dont_atexit();   /* as sirisk's main */
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/sirisk-fuzz-resultset-XXXXXX",
             dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    fd = mkstemp(path);
    devnull = fopen("/dev/null", "w");
    if (fd < 0 || devnull == NULL) {
        perror(fd < 0 ? path : "/dev/null");
        abort();
    }
    atexit(remove_file);
    return 0;
}

static void contract_broken(const char *what, const sr_error *err)
{
    fprintf(stderr, "fuzz_resultset: %s (code %d, message \"%s\")\n", what, err->code,
            err->msg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) {
        perror(path);
        abort();
    }
    sr_error err = {0};
    int rc = sr_h5_print_summary(path, devnull, &err);
    if (rc != 0 && rc != SR_EXIT_IOERR)
        contract_broken("the code is neither 0 nor 74", &err);
    if (rc != 0 && (err.code != rc || err.msg[0] == '\0'))
        contract_broken("a failure without its code or message", &err);
    if (strchr(err.msg, '\n') != NULL)
        contract_broken("an error message spans lines", &err);
    ssize_t open_objects = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
    if (open_objects != 0) {
        fprintf(stderr, "fuzz_resultset: %zd HDF5 object(s) left open by the reader (rc %d)\n",
                open_objects, rc);
        abort();
    }
    return 0;
}
