/* Helpers shared by the tests: temporary directories, running the sirisk binary, loading a
 * scenario from text. */
#ifndef SR_TEST_SUPPORT_H
#define SR_TEST_SUPPORT_H

#include <stddef.h>

#include "models/model.h"

/* A fresh empty directory under $TMPDIR (or /tmp); the path is static storage per call
 * site is not assumed: the caller frees it. */
char *sr_test_tmpdir(void);

/* Writes text to dir/name and returns the malloc'd path. */
char *sr_test_write_file(const char *dir, const char *name, const char *text);

/* Runs a shell command line; stdout and stderr are captured into malloc'd strings (either
 * pointer may be NULL to discard). Returns the exit status (0..255), or -1. */
int sr_test_run(const char *cmdline, char **out, char **err);

/* Runs a Python script (Debian's /usr/bin/python3, which has h5py and numpy) in dir and
 * expects it to exit 0; its output is shown when it does not. */
void sr_test_python(const char *dir, const char *script);

/* Loads a scenario from text; fails the test with the loader's message if it is invalid. */
sr_model *sr_test_model(const char *yaml);

/* Whether a file exists. */
int sr_test_exists(const char *path);

#endif
