/* `sirisk report`: one self-contained HTML page that a city council or an investment
 * committee can read, made from a result set: key figures, the paying budget's net result
 * funding the programme itself and paying by results, budget years, the investors, the
 * programmes, stresses or a sweep, every figure of the portfolio and where they come from.
 * Every chart (report_svg.h) has a title, labelled axes with units, a one-sentence reading
 * of its data and the numbers behind it in a table (sheets.h). */
#ifndef SR_REPORT_H
#define SR_REPORT_H

#include <stdio.h>

#include "sim/base/error.h"
#include "sim/cli/lang.h"
#include "sim/cli/result.h"

/* Writes the page of r in lang to out. Returns 0, SR_EXIT_SOFTWARE when out of memory or
 * SR_EXIT_IOERR when out cannot be written. */
int sr_report_write(const sr_result *r, sr_lang lang, FILE *out, sr_error *err);

/* The report of the result file input, run where the file is read (a reader process):
 * reads it (refusing a file that is not a sirisk result set, exit 74) and writes the page
 * into path. */
int sr_report_file(const char *input, sr_lang lang, const char *path, sr_error *err);

#endif
