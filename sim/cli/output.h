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
 * path, SR_EXIT_USAGE for a name that ends as another format's, .csv or .xlsx, with the
 * export that makes it, SR_EXIT_SOFTWARE when out of memory). */
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

#endif
