/* Writing the report's HTML: the page's frame and style, numbers that carry their value and
 * their place in the file, sentences, tables and figures. No script: the page is complete
 * as written, and prints as it shows. */
#ifndef SR_REPORT_PAGE_H
#define SR_REPORT_PAGE_H

#include <stdio.h>

#include "sim/cli/lang.h"
#include "sim/cli/sheets.h"
#include "sim/cli/words.h"

/* Numbers formatted for one sentence: slots that sr_page_num fills and a sentence uses. */
#define SR_PAGE_SLOTS 8
#define SR_PAGE_SLOT_BYTES 2048

typedef struct {
    FILE *out;
    sr_lang lang;
    const sr_words *w;
    unsigned figures;     /* figures written so far, for their ids */
    char slot[SR_PAGE_SLOTS][SR_PAGE_SLOT_BYTES];
} sr_page;

/* Escaped text. */
void sr_page_text(sr_page *p, const char *s);

/* A number as the page shows it, into slot i, with its unit after it (with_unit): a span
 * that holds the value as the file has it (data-v, exact), where the file has it (data-src,
 * sheets.h's expressions; omitted when source is NULL) and how it is shown (data-f: "f2",
 * "g4"; data-s: the scale), so that a reader can check the shown figure against the file.
 * source is a printf format. Returns the slot. */
const char *sr_page_num(sr_page *p, int i, double v, sr_show show, const char *source, ...)
    __attribute__((format(printf, 5, 6)));

/* Escaped text into slot i (a name in a sentence). Returns the slot. */
const char *sr_page_slot_text(sr_page *p, int i, const char *s);

/* A paragraph of class cls: fmt (words.h: no markup) with arguments that are HTML (slots,
 * escaped text). */
void sr_page_say(sr_page *p, const char *cls, const char *fmt, ...);

/* Table t (or its columns ids[0 .. n), when n > 0) under a caption; numbers right-aligned
 * as they are shown, a column's units after its heading as shown, and a "units" column's
 * units as shown. */
void sr_page_table(sr_page *p, const sr_sheet *t, const char *const *ids, size_t n,
                   const char *caption);

/* sr_page_table of the rows whose column `where` holds the text `is` only. */
void sr_page_table_where(sr_page *p, const sr_sheet *t, const char *const *ids, size_t n,
                         const char *caption, const char *where, const char *is);

/* Table t turned on its side: a row per column ids[0 .. n) that t has (its heading with its
 * units), a column per row of t, headed by the first of those columns' cells. */
void sr_page_table_turned(sr_page *p, const sr_sheet *t, const char *const *ids, size_t n,
                          const char *caption);

/* A figure: <figure> with its heading (figcaption), then whatever the caller writes (the
 * reading, the chart, its table), closed by sr_page_figure_end. Writes the figure's id
 * ("fig-N") into id. */
void sr_page_figure(sr_page *p, const char *heading, char *id, size_t size);
void sr_page_figure_end(sr_page *p);

/* A section's heading, with the id a link may point to. */
void sr_page_heading(sr_page *p, const char *text, const char *id);

/* Builds sheet id of r into t when r has it and nothing has failed yet (*rc 0); false, and
 * t empty, otherwise (*rc then says why, if anything failed). */
bool sr_page_sheet(const sr_result *r, sr_sheet_id id, sr_lang lang, sr_sheet *t, int *rc,
                   sr_error *err);

/* The page's head (language, title, style) and body's end. */
void sr_page_begin(sr_page *p, const char *title);
void sr_page_end(sr_page *p);

#endif
