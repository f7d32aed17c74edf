/* The result file a command writes: its path found and checked before anything is
 * simulated, and the finished file published there with its summary printed. */
#ifndef SR_CLI_OUTPUT_H
#define SR_CLI_OUTPUT_H

#include <signal.h>
#include <stdbool.h>

#include "sim/base/error.h"
#include "sim/resultset/h5write.h"

/* The path of a command's result file: `given` (-o), else results/<scenario file's stem>
 * <suffix>.h5 below the working directory. Checked completely (sr_outfile_check), and
 * results/ created if need be for the default, so that a path that cannot be written is
 * refused before anything is simulated. malloc'd; NULL with err (SR_EXIT_IOERR naming the
 * path, SR_EXIT_SOFTWARE when out of memory). */
char *sr_cli_output_prepare(const char *given, const char *scenario, const char *suffix,
                            sr_error *err);

/* Holds (or releases) SIGINT and SIGTERM: while held, an interrupt waits. */
void sr_cli_hold_signals(bool hold);

/* Publishes f, into which everything has been written, at output, with SIGINT and
 * SIGTERM held until it is in place or abandoned (they are released after, also when the
 * caller held them before), so that an interrupt never leaves half a file nor replaces
 * one: when *interrupted is set by then, f is abandoned and SR_EXIT_INTERRUPTED returned.
 * Unless quiet, the summary is read back from the file before it replaces the target (so
 * that another run writing the same path cannot put its file in between) and printed
 * after "wrote OUTPUT", escaped. f is freed whatever the outcome. Returns 0 or the error
 * code with err; a summary that cannot be read or printed does not keep the file from
 * being published, and is reported after. */
int sr_cli_output_publish(sr_h5_file *f, const char *output, bool quiet,
                          volatile sig_atomic_t *interrupted, sr_error *err);

/* The path of a file made from a result file (a report, an export): `given`, else the
 * result file's path with its extension replaced by suffix ("results/x.h5" and ".html"
 * give "results/x.html"), beside it. Checked as sr_cli_output_prepare checks. malloc'd;
 * NULL with err. */
char *sr_cli_output_beside(const char *given, const char *input, const char *suffix,
                           sr_error *err);

/* What a reader process writes: the files at paths[0 .. n) (each a name that reopens the
 * temporary that is open in this process). 0, or an exit code with err. */
typedef int (*sr_cli_write_fn)(void *arg, char *const *paths, sr_error *err);

/* Writes files made from the result file input, which is untrusted: a temporary beside
 * each of outputs[0 .. n) (checked already), then write() runs in a reader process
 * (sim/cli/isolate.h: a file that crashes HDF5 is exit 74, never sirisk's crash); then
 * every temporary it filled is published (renamed onto its output) and every one it left
 * empty removed, with SIGINT and SIGTERM held. A failure, or an interrupt (*interrupted
 * set, or a signal while the reader runs), removes them all and leaves the outputs as
 * they were. Unless quiet, "wrote OUTPUT" for each file published. */
int sr_cli_output_from_result(const char *input, char *const *outputs, size_t n,
                              sr_cli_write_fn write, void *arg, bool quiet,
                              volatile sig_atomic_t *interrupted, sr_error *err);

#endif
