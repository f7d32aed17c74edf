/* A YAML document read defensively, with every node's position, origin and key path, so
 * that a schema read over it (the scenario loader's) can say exactly where a value is wrong.
 * Nothing here knows a schema: what a document may hold (sr_ylimits) is given by the reader.
 *
 * Reading is two passes over the text: a byte scan (NUL bytes, invalid UTF-8, control
 * characters), then libyaml's event parser, which stops at the first anchor, alias, tag,
 * second document, node past limits.max_nodes or nesting past limits.max_depth.
 * Only a stream that passed both is handed to yaml_parser_load, which never sees hostile
 * nesting (libyaml's scanner is quadratic in flow depth) nor an alias bomb. The result is a
 * tree: every node has at most one parent.
 *
 * Overrides (`--set PATH=VALUE`) are grafted into the document before it is indexed.
 * Nodes keep their origin: -1 for the file, k for override k, so that an error about a
 * grafted node begins with `--set PATH=VALUE:` instead of a file position.
 *
 * Reading, indexing and messages are in yaml_doc.c; override paths, grafting and writing
 * the document back in yaml_edit.c.
 *
 * Node indices are libyaml's: 1-based ints, 0 meaning "no node". Node pointers are not
 * stable while overrides are grafted (libyaml reallocates its node array); indices are. */
#ifndef SR_YAML_DOC_H
#define SR_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "sim/base/error.h"

/* An override: a key path (as `--set PATH=VALUE` gives it) and the value to put there, in
 * YAML flow syntax. */
typedef struct {
    char *path;
    char *value;
} sr_override;

/* What one document may hold: bounds on the memory and time a hostile text can take.
 * Overrides grafted into the document and their paths are held to the same. */
typedef struct {
    size_t max_nodes;          /* values: scalars, lists and mappings (about 160 bytes each) */
    size_t max_depth;          /* nesting of lists and mappings */
} sr_ylimits;

typedef struct {
    const char *file;          /* the name that stands for the file in messages (borrowed) */
    sr_ylimits limits;
    yaml_document_t doc;
    bool loaded;               /* doc must be deleted */
    const sr_override *ov;     /* the overrides applied, for messages (borrowed) */
    size_t n_ov;
    size_t n_nodes;            /* nodes indexed below (the document's count at indexing) */
    int *origin;               /* [n_nodes + 1]: -1 from the file, k from override k */
    int *parent;               /* [n_nodes + 1]: parent node, 0 for the root and orphans */
    int *slot;                 /* [n_nodes + 1]: under a mapping the key node's index,
                                * under a sequence the item's position */
    unsigned char *is_key;     /* [n_nodes + 1]: the node is a mapping key */
    size_t origin_cap;
    sr_error *err;             /* where failures are reported (borrowed) */
} sr_ydoc;

/* Reads text[len] as one YAML document whose root is a mapping, within limits. On failure
 * fills err (SR_EXIT_DATAERR, `FILE:LINE:COL: message`) and returns -1; d must still be
 * freed. */
int sr_ydoc_read(sr_ydoc *d, const char *file, const char *text, size_t len, sr_ylimits limits,
                 sr_error *err);

/* Grafts override k (d->ov[k]) into the document. Returns 0 or -1 (err set, message
 * beginning with `--set PATH=VALUE: `). */
int sr_ydoc_apply_override(sr_ydoc *d, size_t k);

/* Indexes the tree from the root (parents, key paths) and checks what holds for every
 * node whatever the schema: keys are scalars, no key twice in a mapping, no NUL in a
 * scalar, nesting within limits.max_depth. Returns 0 or -1 (err set). */
int sr_ydoc_index(sr_ydoc *d);

void sr_ydoc_free(sr_ydoc *d);

/* ---- reading nodes (after sr_ydoc_index) -------------------------------------------- */

static inline yaml_node_t *sr_ydoc_node(const sr_ydoc *d, int i)
{
    return yaml_document_get_node((yaml_document_t *)&d->doc, i);
}

int sr_ydoc_root(const sr_ydoc *d);
/* Items of a sequence, pairs of a mapping; 0 for a scalar. */
size_t sr_ydoc_len(const sr_ydoc *d, int node);
int sr_ydoc_item(const sr_ydoc *d, int seq, size_t i);
void sr_ydoc_pair(const sr_ydoc *d, int map, size_t i, int *key, int *value);
/* The value under key in a mapping, or 0. */
int sr_ydoc_get(const sr_ydoc *d, int map, const char *key);
/* A scalar's text (NUL-terminated, without NULs inside after sr_ydoc_index). */
const char *sr_ydoc_text(const sr_ydoc *d, int scalar);
bool sr_ydoc_is_scalar(const sr_ydoc *d, int node);
bool sr_ydoc_is_map(const sr_ydoc *d, int node);
bool sr_ydoc_is_seq(const sr_ydoc *d, int node);
bool sr_ydoc_is_plain(const sr_ydoc *d, int scalar);

/* ---- scalars: the YAML 1.2 core schema ----------------------------------------------- */

typedef enum {
    SR_Y_NULL,         /* null, Null, NULL, ~, empty (plain only) */
    SR_Y_BOOL,         /* true/True/TRUE/false/False/FALSE */
    SR_Y_INT,          /* [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+ */
    SR_Y_FLOAT,        /* finite floats of the core schema */
    SR_Y_NONFINITE,    /* .inf/.nan and their spellings, or a float that overflows */
    SR_Y_STRING        /* anything else, and every quoted or block scalar */
} sr_ykind;

typedef struct {
    sr_ykind kind;
    bool b;            /* SR_Y_BOOL */
    bool neg;          /* SR_Y_INT: negative */
    bool overflow;     /* SR_Y_INT: magnitude >= 2^64 */
    uint64_t mag;      /* SR_Y_INT: magnitude */
    double x;          /* SR_Y_INT and SR_Y_FLOAT: the value (rounded for huge ints) */
} sr_yscalar;

/* Types a scalar node; a sequence or mapping is SR_Y_STRING with the caller's care. */
sr_yscalar sr_ydoc_scalar(const sr_ydoc *d, int node);
/* Whether a plain string spells a non-finite number the core schema does not know
 * (NaN, Inf, -Infinity, ...): rejected wherever a number is expected. */
bool sr_ydoc_looks_nonfinite(const char *s);

/* ---- messages ------------------------------------------------------------------------ */

/* The key path of a node: `programmes[0].cohort.size` (a key node: the path of its
 * value). Writes at most n bytes, truncating with "...". Returns 0, or -1 when memory ran
 * out (buf then holds ""). */
int sr_ydoc_path(const sr_ydoc *d, int node, char *buf, size_t n);

/* How a node reads in `got VALUE`: a scalar as written (quoted if it was), a collection as
 * YAML flow text, truncated. */
void sr_ydoc_got(const sr_ydoc *d, int node, char *buf, size_t n);

/* Fails for want of memory (SR_EXIT_SOFTWARE, `FILE: out of memory`). Returns -1. */
int sr_ydoc_oom(const sr_ydoc *d);

/* Fails with `LOCATION: PATH: MESSAGE, got VALUE` about node, LOCATION being FILE:LINE:COL
 * or `--set PATH=VALUE` for a grafted node. Returns -1. */
int sr_ydoc_fail(const sr_ydoc *d, int node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with an explicit VALUE. */
int sr_ydoc_fail_got(const sr_ydoc *d, int node, const char *got, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Fails about a key missing from map: `LOCATION(map): PATH(map).key: MESSAGE, got nothing`. */
int sr_ydoc_fail_missing(const sr_ydoc *d, int map, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* `LOCATION` of a node, as above. */
void sr_ydoc_where(const sr_ydoc *d, int node, char *buf, size_t n);
/* 1-based line and column of a node's start. */
void sr_ydoc_line_col(const sr_ydoc *d, int node, size_t *line, size_t *col);

/* ---- writing ------------------------------------------------------------------------- */

/* A node as one line of YAML flow text that reads back to the same typed values. NULL on
 * allocation failure. The caller frees. */
char *sr_ydoc_flow_text(const sr_ydoc *d, int node);

/* The document as YAML text (libyaml's emitter). Consumes the document: d holds no
 * document afterwards. NULL with err set on failure. The caller frees. */
char *sr_ydoc_emit(sr_ydoc *d);

/* ---- override paths ------------------------------------------------------------------ */

/* One step of an override path: a mapping key or a sequence index. */
typedef struct {
    bool is_index;
    size_t index;
    char *key;                 /* owned; NULL for an index */
} sr_ypath_step;

/* Parses `a.b[2].c` into at most max_steps steps (*steps malloc'd, free with sr_ypath_free).
 * On a syntax error or a deeper path writes a reason into why[n] and returns -1; -2 when
 * memory runs out. */
int sr_ypath_parse(const char *path, size_t max_steps, sr_ypath_step **steps, size_t *n_steps,
                   char *why, size_t n);
void sr_ypath_free(sr_ypath_step *steps, size_t n_steps);

#endif
