/* Internal to sim/scenario/yaml_doc.c and sim/scenario/yaml_edit.c: a growing string, the
 * raw reader, and the origin table's growth. Not for the schema. */
#ifndef SR_YAML_DOC_INTERNAL_H
#define SR_YAML_DOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/scenario/yaml_doc.h"

/* A growing NUL-terminated string; oom is sticky (later appends do nothing). */
typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} sr_ybuf;

void sr_ybuf_put(sr_ybuf *b, const char *s, size_t n);
void sr_ybuf_str(sr_ybuf *b, const char *s);

/* Why and where raw text could not be read. */
typedef struct {
    char why[512];
    size_t line, col;          /* 1-based */
    size_t at;                 /* 1-based character position in the text */
    bool oom;                  /* memory ran out: not the text's fault */
} sr_yread_fail;

/* Reads text into doc (initialised only when 0 is returned) through the byte scan and the
 * event pre-pass, within limits. Returns 0, 1 for a stream without a document, -1 on a
 * problem. */
int sr_ydoc_load_text(yaml_document_t *doc, const char *text, size_t len, sr_ylimits limits,
                      sr_yread_fail *f);

/* Tags the nodes added since the last call with origin (-1 file, k override k). */
int sr_ydoc_grow_origin(sr_ydoc *d, int origin);

/* Copies s into buf[n], cutting at a character boundary and marking the cut with "...". */
void sr_ydoc_copy_truncated(char *buf, size_t n, const char *s);

#endif
