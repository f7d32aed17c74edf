/* Helpers shared by the tests: temporary directories, running the sirisk binary or a
 * Python check, loading a scenario from text, running a model. */
#ifndef SR_TEST_SUPPORT_H
#define SR_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "models/model.h"
#include "sim/engine/arm.h"
#include "sim/engine/results.h"
#include "sim/scenario/scenario.h"

/* The states most test scenarios use: outside and employed, each keeping tenure up to 12
 * months, and the absorbing exited; the scenario's transitions follow. */
#define SR_TEST_STATES                                                                      \
    "states:\n"                                                                             \
    "  - {name: outside, tenure_max: 12}\n"                                                 \
    "  - {name: employed, tenure_max: 12}\n"                                                \
    "  - {name: exited, absorbing: true}\n"                                                 \
    "transitions:\n"

/* A small scenario: 300 persons of a town enrolled over six months, an effect on finding
 * a job, three years, 500 trials. */
extern const char sr_test_small[];

/* A fresh empty directory under $TMPDIR (or /tmp); malloc'd: the caller frees it (or
 * sr_test_remove_dir removes and frees it). */
char *sr_test_tmpdir(void);

/* The whole of a file, malloc'd; fails the test when there is none. */
char *sr_test_read_file(const char *path);

/* Writes text to dir/name and returns the malloc'd path. */
char *sr_test_write_file(const char *dir, const char *name, const char *text);

/* Runs a shell command line; stdout and stderr are captured into malloc'd strings (either
 * pointer may be NULL to discard). Returns the exit status (0..255), or -1. */
int sr_test_run(const char *cmdline, char **out, char **err);

/* Runs a Python script (Debian's /usr/bin/python3, which has h5py and numpy) in dir and
 * expects it to exit 0; its output is shown when it does not. */
void sr_test_python(const char *dir, const char *script);

/* Loads a scenario from text; fails the test with the loader's message if it is invalid. */
sr_scenario *sr_test_scenario(const char *yaml);

/* The model of sc; the rest of sc is freed. */
sr_model *sr_test_take_model(sr_scenario *sc);

/* The model of a scenario loaded from text (sr_test_scenario). */
sr_model *sr_test_model(const char *yaml);

/* A command line built by printf, in a buffer that the next call reuses. */
const char *sr_test_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Removes a test's temporary directory (made by sr_test_tmpdir) and frees its name. */
void sr_test_remove_dir(char *dir);

/* Runs m with the given threads (0: all); fails the test with the driver's message. */
sr_resultset *sr_test_run_model(const sr_model *m, int threads);

/* Runs `sirisk ARGS` in a fresh directory holding `scenario` as small.yaml, an earlier
 * result old.h5 and, with results_dir, an empty results/; expects exit `code`, `fragment`
 * in the message, no other file left (and no results/ made without results_dir), and
 * old.h5 unchanged. args may be sr_test_cmd()'s buffer. */
void sr_test_expect_failure(const char *scenario, bool results_dir, const char *args,
                            int code, const char *fragment);

/* Whether a file exists. */
int sr_test_exists(const char *path);

/* One programme's arms, run directly (sim/engine/arm.h) rather than in a trial: every
 * number at its mean, no macro shock (every month in condition 0), the programme's rates,
 * rate-card progress tables and a workspace, and a generator. */
typedef struct {
    const sr_model *m;
    const sr_programme *p;
    double *v;                     /* [n_num]: the numbers' means */
    sr_layout *l;
    sr_rates *rates;
    sr_progress *progress;
    sr_arm_ws *w;
    gsl_rng *r;
    unsigned char *normal_months;  /* [n_months]: condition 0 */
} sr_test_arm;

sr_test_arm sr_test_arm_open(const sr_model *m, size_t programme);
void sr_test_arm_close(sr_test_arm *a);   /* frees what it opened (not the model) */

/* A spec for the arm (treated or not): its programme's intake and intervention window,
 * never stopped, drawn at random from a->r or as the expectation; the stream is 0 until
 * the caller keys one. */
sr_arm_spec sr_test_arm_spec(const sr_test_arm *a, bool treated, sr_draw_mode mode);

/* Python (h5py, numpy): compare(a, b) asserts two groups of result files equal in every
 * dataset and attribute but created_utc (and a's /price, which only a price file has), and
 * returns how many datasets it compared. */
#define SR_TEST_PY_COMPARE                                                                  \
    "import h5py, numpy as np\n"                                                            \
    "def same(x, y):\n"                                                                     \
    "    if isinstance(x, (np.ndarray, float, np.floating)):\n"                             \
    "        return np.array_equal(x, y, equal_nan=True)\n"                                 \
    "    return x == y\n"                                                                   \
    "def compare(a, b, path=''):\n"                                                         \
    "    n = 0\n"                                                                           \
    "    assert sorted(a.attrs) == sorted(b.attrs), path\n"                                 \
    "    for k in b.attrs:\n"                                                               \
    "        assert k == 'created_utc' or same(a.attrs[k], b.attrs[k]), (path, k)\n"        \
    "    assert sorted(k for k in a if k != 'price') == sorted(b), (path, list(a))\n"       \
    "    for k in b:\n"                                                                     \
    "        if isinstance(b[k], h5py.Group):\n"                                            \
    "            n += compare(a[k], b[k], path + '/' + k)\n"                                \
    "        else:\n"                                                                       \
    "            assert a[k].dtype == b[k].dtype and same(a[k][()], b[k][()]), path + '/' + k\n" \
    "            for at in b[k].attrs:\n"                                                   \
    "                assert same(a[k].attrs[at], b[k].attrs[at]), (path, k, at)\n"          \
    "            n += 1\n"                                                                  \
    "    return n\n"

#endif
