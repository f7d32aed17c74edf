/* Reading and indexing YAML documents for the scenario loader, and the messages that
 * point into them. See yaml_doc.h for the two-pass reading and why it exists. Overrides
 * and writing are in yaml_edit.c. Nothing here knows the schema. */
#define _POSIX_C_SOURCE 200809L /* strdup, strndup */

#include "sim/scenario/yaml_doc.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/yaml_doc_internal.h"

/* ---- a growing string ---------------------------------------------------------------- */

void sr_ybuf_put(sr_ybuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->oom = true;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sr_ybuf_str(sr_ybuf *b, const char *s) { sr_ybuf_put(b, s, strlen(s)); }

/* ---- positions in raw text ----------------------------------------------------------- */

/* 1-based line and column (in characters, as libyaml counts them) of byte offset off. A
 * line ends at LF, CR LF or a lone CR. */
static void offset_line_col(const unsigned char *s, size_t len, size_t off, size_t *line,
                            size_t *col)
{
    size_t l = 1, c = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if (s[i] != '\r' && (s[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Checks the bytes before libyaml sees them: valid UTF-8, no NUL, no control character
 * YAML forbids. Returns the offset of the first bad byte, or len when all is well. */
static size_t scan_bytes(const unsigned char *s, size_t len, char *why, size_t n)
{
    size_t i = 0;
    while (i < len) {
        unsigned b = s[i];
        unsigned cp;
        size_t k;
        if (b < 0x80) {
            cp = b;
            k = 1;
        } else if (b >= 0xC2 && b <= 0xDF) {
            cp = b & 0x1F;
            k = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            cp = b & 0x0F;
            k = 3;
        } else if (b >= 0xF0 && b <= 0xF4) {
            cp = b & 0x07;
            k = 4;
        } else {
            snprintf(why, n, "invalid UTF-8 (byte 0x%02x); the file must be UTF-8 text", b);
            return i;
        }
        if (i + k > len) {
            snprintf(why, n, "invalid UTF-8 (truncated sequence); the file must be UTF-8 text");
            return i;
        }
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) {
                snprintf(why, n, "invalid UTF-8 (byte 0x%02x); the file must be UTF-8 text", b);
                return i;
            }
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        bool overlong = (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000);
        if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            snprintf(why, n, "invalid UTF-8 (byte 0x%02x); the file must be UTF-8 text", b);
            return i;
        }
        if (cp == 0) {
            snprintf(why, n, "a NUL byte is not allowed (is this a binary file?)");
            return i;
        }
        bool control = (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F
                       || (cp >= 0x80 && cp <= 0x9F && cp != 0x85) || cp == 0xFFFE
                       || cp == 0xFFFF || (cp == 0xFEFF && i != 0);
        if (control) {
            snprintf(why, n, "control character U+%04X is not allowed", cp);
            return i;
        }
        i += k;
    }
    return len;
}

/* ---- reading ------------------------------------------------------------------------- */

static void fail_at_mark(sr_yread_fail *f, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_at_mark(sr_yread_fail *f, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->why, sizeof f->why, fmt, ap);
    va_end(ap);
    f->line = m.line + 1;
    f->col = m.column + 1;
    f->at = m.index + 1;
}

/* Whether the line (1-based) holds a tab in its leading white space. */
static bool line_indented_with_tab(const unsigned char *s, size_t len, size_t line)
{
    size_t l = 1, i = 0;
    while (i < len && l < line) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n')))
            l++;
        i++;
    }
    for (; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
        if (s[i] == '\t')
            return true;
    return false;
}

static void fail_from_parser(sr_yread_fail *f, const yaml_parser_t *p, const unsigned char *s,
                             size_t len)
{
    const char *problem = p->problem ? p->problem : "cannot parse";
    if (p->error == YAML_READER_ERROR) {
        offset_line_col(s, len, p->problem_offset, &f->line, &f->col);
        f->at = p->problem_offset + 1;
        snprintf(f->why, sizeof f->why, "%s", problem);
        return;
    }
    /* libyaml fails without recording an error only where an allocation failed (its copy
     * of a node's default tag) */
    if (p->error == YAML_MEMORY_ERROR || p->error == YAML_NO_ERROR) {
        snprintf(f->why, sizeof f->why, "out of memory while parsing");
        f->line = f->col = 1;
        f->oom = true;
        return;
    }
    f->line = p->problem_mark.line + 1;
    f->col = p->problem_mark.column + 1;
    f->at = p->problem_mark.index + 1;
    const char *hint = line_indented_with_tab(s, len, f->line)
                           ? "; tabs are not allowed for indentation, use spaces"
                           : "";
    /* where what was being parsed began, on an earlier line: often where the mistake is */
    if (p->context && p->context_mark.line != p->problem_mark.line)
        snprintf(f->why, sizeof f->why, "invalid YAML: %s (%s that starts at %zu:%zu)%s",
                 problem, p->context, (size_t)p->context_mark.line + 1,
                 (size_t)p->context_mark.column + 1, hint);
    else if (p->context)
        snprintf(f->why, sizeof f->why, "invalid YAML: %s (%s)%s", problem, p->context, hint);
    else
        snprintf(f->why, sizeof f->why, "invalid YAML: %s%s", problem, hint);
}

/* A parser reading s[len]; -1 (f says so) when memory runs out. */
static int open_parser(yaml_parser_t *p, const unsigned char *s, size_t len, sr_yread_fail *f)
{
    if (!yaml_parser_initialize(p)) {
        snprintf(f->why, sizeof f->why, "out of memory");
        f->line = f->col = 1;
        f->oom = true;
        return -1;
    }
    yaml_parser_set_input_string(p, s, len);
    return 0;
}

/* Checks the event stream: one document, no anchors, aliases or tags, bounded nesting and
 * node count. Stops at the first problem, so hostile input costs little. Returns 0, 1 when
 * the stream holds no document, -1 on a problem (f filled). */
static int check_events(const unsigned char *s, size_t len, sr_ylimits limits, sr_yread_fail *f)
{
    yaml_parser_t p;
    if (open_parser(&p, s, len, f) != 0)
        return -1;
    size_t depth = 0, nodes = 0, docs = 0;
    int rc = -1;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            fail_from_parser(f, &p, s, len);
            break;
        }
        const yaml_char_t *anchor = NULL, *tag = NULL;
        bool stop = false, is_node = false, opens = false;
        switch (e.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                fail_at_mark(f, e.start_mark, "only one YAML document is allowed per file");
                stop = true;
            }
            break;
        case YAML_ALIAS_EVENT:
            fail_at_mark(f, e.start_mark, "aliases (*%s) are not supported",
                         (const char *)e.data.alias.anchor);
            stop = true;
            break;
        case YAML_SCALAR_EVENT:
            anchor = e.data.scalar.anchor;
            tag = e.data.scalar.tag;
            is_node = true;
            break;
        case YAML_SEQUENCE_START_EVENT:
            anchor = e.data.sequence_start.anchor;
            tag = e.data.sequence_start.tag;
            is_node = opens = true;
            break;
        case YAML_MAPPING_START_EVENT:
            anchor = e.data.mapping_start.anchor;
            tag = e.data.mapping_start.tag;
            is_node = opens = true;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_STREAM_END_EVENT:
            if (docs == 0) {
                fail_at_mark(f, e.start_mark, "the file holds no YAML document");
                rc = 1;
            } else {
                rc = 0;
            }
            stop = true;
            break;
        default:
            break;
        }
        if (!stop && anchor) {
            fail_at_mark(f, e.start_mark, "anchors (&%s) are not supported", (const char *)anchor);
            stop = true;
        } else if (!stop && tag) {
            fail_at_mark(f, e.start_mark, "tags (%s) are not supported", (const char *)tag);
            stop = true;
        } else if (!stop && is_node && ++nodes > limits.max_nodes) {
            fail_at_mark(f, e.start_mark, "more than %zu values; the file is too large to be a scenario",
                         limits.max_nodes);
            stop = true;
        } else if (!stop && opens && ++depth > limits.max_depth) {
            fail_at_mark(f, e.start_mark, "nesting deeper than %zu levels", limits.max_depth);
            stop = true;
        }
        yaml_event_delete(&e);
        if (stop)
            break;
    }
    yaml_parser_delete(&p);
    return rc;
}

/* Reads text into doc (initialised only when 0 is returned). Returns 0, 1 for a stream
 * without a document, -1 on a problem (f filled). */
int sr_ydoc_load_text(yaml_document_t *doc, const char *text, size_t len, sr_ylimits limits,
                      sr_yread_fail *f)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t bad = scan_bytes(s, len, f->why, sizeof f->why);
    if (bad < len) {
        offset_line_col(s, len, bad, &f->line, &f->col);
        f->at = bad + 1;
        return -1;
    }
    int rc = check_events(s, len, limits, f);
    if (rc != 0)
        return rc;
    yaml_parser_t p;
    if (open_parser(&p, s, len, f) != 0)
        return -1;
    if (!yaml_parser_load(&p, doc)) {
        fail_from_parser(f, &p, s, len);
        yaml_parser_delete(&p);
        return -1;
    }
    yaml_parser_delete(&p);
    return 0;
}

int sr_ydoc_grow_origin(sr_ydoc *d, int origin)
{
    size_t n = (size_t)(d->doc.nodes.top - d->doc.nodes.start);
    if (n + 1 > d->origin_cap) {
        size_t cap = d->origin_cap ? d->origin_cap : 64;
        while (cap < n + 1)
            cap *= 2;
        int *t = realloc(d->origin, cap * sizeof *t);
        if (!t)
            return -1;
        d->origin = t;
        d->origin_cap = cap;
    }
    /* Nodes beyond those already tagged are the newest: they get this origin. */
    for (size_t i = d->n_nodes + 1; i <= n; i++)
        d->origin[i] = origin;
    d->n_nodes = n;
    return 0;
}

int sr_ydoc_read(sr_ydoc *d, const char *file, const char *text, size_t len, sr_ylimits limits,
                 sr_error *err)
{
    memset(d, 0, sizeof *d);
    d->file = file;
    d->limits = limits;
    d->err = err;
    sr_yread_fail f = {0};
    int rc = sr_ydoc_load_text(&d->doc, text, len, limits, &f);
    if (rc != 0) {
        if (rc == 1)
            snprintf(f.why, sizeof f.why, "the file is empty: no YAML document (a scenario is a mapping of keys to values)");
        return sr_error_set(err, f.oom ? SR_EXIT_SOFTWARE : SR_EXIT_DATAERR, "%s:%zu:%zu: %s",
                            file, f.line, f.col, f.why),
               -1;
    }
    d->loaded = true;
    if (sr_ydoc_grow_origin(d, -1) != 0)
        return sr_ydoc_oom(d);
    int root = sr_ydoc_root(d);
    if (!sr_ydoc_is_map(d, root))
        return sr_ydoc_fail(d, root, "a scenario must be a mapping of keys to values");
    return 0;
}

void sr_ydoc_free(sr_ydoc *d)
{
    if (!d)
        return;
    if (d->loaded)
        yaml_document_delete(&d->doc);
    free(d->origin);
    free(d->parent);
    free(d->slot);
    free(d->is_key);
    memset(d, 0, sizeof *d);
}

/* ---- nodes --------------------------------------------------------------------------- */

int sr_ydoc_root(const sr_ydoc *d)
{
    return d->loaded && d->doc.nodes.top > d->doc.nodes.start ? 1 : 0;
}

bool sr_ydoc_is_scalar(const sr_ydoc *d, int i)
{
    yaml_node_t *n = sr_ydoc_node(d, i);
    return n && n->type == YAML_SCALAR_NODE;
}

bool sr_ydoc_is_map(const sr_ydoc *d, int i)
{
    yaml_node_t *n = sr_ydoc_node(d, i);
    return n && n->type == YAML_MAPPING_NODE;
}

bool sr_ydoc_is_seq(const sr_ydoc *d, int i)
{
    yaml_node_t *n = sr_ydoc_node(d, i);
    return n && n->type == YAML_SEQUENCE_NODE;
}

bool sr_ydoc_is_plain(const sr_ydoc *d, int i)
{
    yaml_node_t *n = sr_ydoc_node(d, i);
    return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

size_t sr_ydoc_len(const sr_ydoc *d, int i)
{
    yaml_node_t *n = sr_ydoc_node(d, i);
    if (!n)
        return 0;
    if (n->type == YAML_SEQUENCE_NODE)
        return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (n->type == YAML_MAPPING_NODE)
        return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    return 0;
}

int sr_ydoc_item(const sr_ydoc *d, int seq, size_t i)
{
    return sr_ydoc_node(d, seq)->data.sequence.items.start[i];
}

void sr_ydoc_pair(const sr_ydoc *d, int map, size_t i, int *key, int *value)
{
    yaml_node_pair_t *p = &sr_ydoc_node(d, map)->data.mapping.pairs.start[i];
    *key = p->key;
    *value = p->value;
}

const char *sr_ydoc_text(const sr_ydoc *d, int i)
{
    yaml_node_t *n = sr_ydoc_node(d, i);
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : "";
}

int sr_ydoc_get(const sr_ydoc *d, int map, const char *key)
{
    if (!sr_ydoc_is_map(d, map))
        return 0;
    size_t n = sr_ydoc_len(d, map);
    for (size_t i = 0; i < n; i++) {
        int k, v;
        sr_ydoc_pair(d, map, i, &k, &v);
        if (sr_ydoc_is_scalar(d, k) && strcmp(sr_ydoc_text(d, k), key) == 0)
            return v;
    }
    return 0;
}

/* ---- the core schema ----------------------------------------------------------------- */

static bool all_in(const char *s, const char *set)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!strchr(set, *s))
            return false;
    return true;
}

static bool is_one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return true;
    return false;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool is_core_float(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    size_t digits = 0;
    while (*s >= '0' && *s <= '9')
        s++, digits++;
    if (*s == '.') {
        s++;
        size_t frac = 0;
        while (*s >= '0' && *s <= '9')
            s++, frac++;
        if (digits == 0 && frac == 0)
            return false;
    } else if (digits == 0) {
        return false;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        size_t exp = 0;
        while (*s >= '0' && *s <= '9')
            s++, exp++;
        if (exp == 0)
            return false;
    }
    return *s == '\0';
}

/* strtod reads the decimal point of the current locale; YAML's is always '.'. */
static double parse_double(const char *s, bool *range_error)
{
    char buf[512];
    const char *dp = localeconv()->decimal_point;
    const char *src = s;
    if (dp && dp[0] && strcmp(dp, ".") != 0 && strlen(s) < sizeof buf && strlen(dp) == 1) {
        strcpy(buf, s);
        char *dot = strchr(buf, '.');
        if (dot)
            *dot = dp[0];
        src = buf;
    }
    errno = 0;
    double x = strtod(src, NULL);
    *range_error = errno == ERANGE && isinf(x);
    return x;
}

static bool parse_uint(const char *s, unsigned base, uint64_t *out)
{
    uint64_t v = 0;
    bool overflow = false;
    for (; *s; s++) {
        unsigned dgt = (*s >= '0' && *s <= '9')   ? (unsigned)(*s - '0')
                       : (*s >= 'a' && *s <= 'f') ? (unsigned)(*s - 'a' + 10)
                                                  : (unsigned)(*s - 'A' + 10);
        if (v > (UINT64_MAX - dgt) / base)
            overflow = true;
        else
            v = v * base + dgt;
    }
    *out = v;
    return !overflow;
}

sr_yscalar sr_ydoc_scalar(const sr_ydoc *d, int node)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    static const char *const infs[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                                       "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL};
    sr_yscalar v = {.kind = SR_Y_STRING};
    if (!sr_ydoc_is_plain(d, node))
        return v;
    const char *s = sr_ydoc_text(d, node);
    if (is_one_of(s, nulls)) {
        v.kind = SR_Y_NULL;
    } else if (is_one_of(s, trues) || is_one_of(s, falses)) {
        v.kind = SR_Y_BOOL;
        v.b = is_one_of(s, trues);
    } else if (is_one_of(s, infs)) {
        v.kind = SR_Y_NONFINITE;
    } else if ((s[0] == '0' && s[1] == 'x' && all_in(s + 2, "0123456789abcdefABCDEF"))
               || (s[0] == '0' && s[1] == 'o' && all_in(s + 2, "01234567"))) {
        v.kind = SR_Y_INT;
        v.overflow = !parse_uint(s + 2, s[1] == 'x' ? 16 : 8, &v.mag);
        v.x = v.overflow ? HUGE_VAL : (double)v.mag;
    } else if (all_in(s + (s[0] == '-' || s[0] == '+'), "0123456789")) {
        v.kind = SR_Y_INT;
        v.neg = s[0] == '-';
        v.overflow = !parse_uint(s + (s[0] == '-' || s[0] == '+'), 10, &v.mag);
        bool range;
        v.x = parse_double(s, &range);
        if (v.neg && v.mag == 0)
            v.neg = false;   /* -0 is the integer 0 */
    } else if (is_core_float(s)) {
        bool range;
        v.x = parse_double(s, &range);
        v.kind = range || !isfinite(v.x) ? SR_Y_NONFINITE : SR_Y_FLOAT;
    }
    return v;
}

bool sr_ydoc_looks_nonfinite(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (*s == '.')
        s++;
    char low[16];
    size_t n = strlen(s);
    if (n >= sizeof low)
        return false;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
    return strcmp(low, "inf") == 0 || strcmp(low, "infinity") == 0 || strcmp(low, "nan") == 0;
}

/* ---- flow text ----------------------------------------------------------------------- */

/* Whether a plain scalar can be written plain inside a flow collection and read back the
 * same. Conservative: when in doubt, quote (only strings ever need quoting). */
static bool flow_plain_ok(const char *s)
{
    if (!*s || s[0] == ' ' || s[strlen(s) - 1] == ' ' || s[strlen(s) - 1] == ':')
        return false;
    if (strchr("?:!&*|>'\"%@`-", s[0]) && !(s[0] == '-' && s[1] && s[1] != ' '))
        return false;
    for (const char *p = s; *p; p++) {
        if (strchr(",[]{}#", *p) || (unsigned char)*p < 0x20)
            return false;
        if (*p == ':' && p[1] == ' ')
            return false;
    }
    return true;
}

static void put_quoted(sr_ybuf *b, const char *s, size_t len)
{
    sr_ybuf_put(b, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            sr_ybuf_put(b, esc, 2);
        } else if (c == '\n') {
            sr_ybuf_put(b, "\\n", 2);
        } else if (c == '\t') {
            sr_ybuf_put(b, "\\t", 2);
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(esc, sizeof esc, "\\x%02x", c);
            sr_ybuf_str(b, esc);
        } else {
            sr_ybuf_put(b, (const char *)&s[i], 1);
        }
    }
    sr_ybuf_put(b, "\"", 1);
}

static void put_flow(sr_ybuf *b, const sr_ydoc *d, int i)
{
    yaml_node_t *n = sr_ydoc_node(d, i);
    if (!n) {
        sr_ybuf_str(b, "null");
        return;
    }
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)n->data.scalar.value;
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && s[0] == '\0')
            sr_ybuf_str(b, "null");
        else if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && flow_plain_ok(s))
            sr_ybuf_str(b, s);
        else
            put_quoted(b, s, n->data.scalar.length);
        return;
    }
    bool seq = n->type == YAML_SEQUENCE_NODE;
    size_t len = sr_ydoc_len(d, i);
    sr_ybuf_str(b, seq ? "[" : "{");
    for (size_t j = 0; j < len; j++) {
        if (j)
            sr_ybuf_str(b, ", ");
        if (seq) {
            put_flow(b, d, sr_ydoc_item(d, i, j));
        } else {
            int k, v;
            sr_ydoc_pair(d, i, j, &k, &v);
            put_flow(b, d, k);
            sr_ybuf_str(b, ": ");
            put_flow(b, d, v);
        }
    }
    sr_ybuf_str(b, seq ? "]" : "}");
}

char *sr_ydoc_flow_text(const sr_ydoc *d, int node)
{
    sr_ybuf b = {0};
    put_flow(&b, d, node);
    if (b.oom || !b.s) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* ---- messages ------------------------------------------------------------------------ */

/* Whether s[0..len) holds a control character (a line break, an escape): text that is
 * quoted with escapes in a message, which is one line and prints no terminal codes. */
static bool has_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return true;
    return false;
}

static void put_key(sr_ybuf *b, const char *k, bool first)
{
    bool bare = *k && !strpbrk(k, ".[]\" ") && !has_control(k, strlen(k));
    if (bare) {
        if (!first)
            sr_ybuf_str(b, ".");
        sr_ybuf_str(b, k);
    } else {
        sr_ybuf_str(b, "[");
        put_quoted(b, k, strlen(k));
        sr_ybuf_str(b, "]");
    }
}

void sr_ydoc_copy_truncated(char *buf, size_t n, const char *s)
{
    if (n == 0)
        return;
    size_t len = strlen(s);
    if (len < n) {
        memcpy(buf, s, len + 1);
        return;
    }
    /* Cut at a character boundary and mark the cut. */
    size_t cut = n > 4 ? n - 4 : 0;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(buf, s, cut);
    strcpy(buf + cut, n > 4 ? "..." : "");
}

/* Appends the path of node x, its ancestors' first; at most `left` more levels (the tree
 * is indexed to limits.max_depth, so the bound only guards against a damaged index). */
static void put_path(sr_ybuf *b, const sr_ydoc *d, int x, size_t left)
{
    int p = d->parent[x];
    if (p == 0 || left == 0)
        return;
    put_path(b, d, p, left - 1);
    if (sr_ydoc_is_map(d, p)) {
        put_key(b, sr_ydoc_text(d, d->slot[x]), d->parent[p] == 0);
    } else {
        char idx[32];
        snprintf(idx, sizeof idx, "[%d]", d->slot[x]);
        sr_ybuf_str(b, idx);
    }
}

int sr_ydoc_path(const sr_ydoc *d, int node, char *buf, size_t n)
{
    sr_ybuf b = {0};
    sr_ybuf_str(&b, "");
    if (d->parent && node > 0 && (size_t)node <= d->n_nodes)
        put_path(&b, d, node, 2 * d->limits.max_depth + 8);
    const bool oom = b.oom || !b.s;
    sr_ydoc_copy_truncated(buf, n, oom ? "" : b.s);
    free(b.s);
    return oom ? -1 : 0;
}

void sr_ydoc_got(const sr_ydoc *d, int node, char *buf, size_t n)
{
    yaml_node_t *y = sr_ydoc_node(d, node);
    char *s = NULL;
    if (y && y->type == YAML_SCALAR_NODE &&
        (y->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
         has_control((const char *)y->data.scalar.value, y->data.scalar.length))) {
        sr_ybuf b = {0};
        put_quoted(&b, (const char *)y->data.scalar.value, y->data.scalar.length);
        s = b.oom ? NULL : b.s;
        if (b.oom)
            free(b.s);
    } else if (y && y->type == YAML_SCALAR_NODE && y->data.scalar.value[0] == '\0') {
        s = strdup("null");
    } else if (y && y->type == YAML_SCALAR_NODE) {
        s = strdup((const char *)y->data.scalar.value);
    } else {
        s = sr_ydoc_flow_text(d, node);
    }
    sr_ydoc_copy_truncated(buf, n < 72 ? n : 72, s ? s : "?");
    free(s);
}

void sr_ydoc_line_col(const sr_ydoc *d, int node, size_t *line, size_t *col)
{
    yaml_node_t *y = sr_ydoc_node(d, node);
    *line = y ? y->start_mark.line + 1 : 1;
    *col = y ? y->start_mark.column + 1 : 1;
}

void sr_ydoc_where(const sr_ydoc *d, int node, char *buf, size_t n)
{
    int origin = node > 0 && (size_t)node <= d->n_nodes ? d->origin[node] : -1;
    if (origin >= 0 && (size_t)origin < d->n_ov) {
        snprintf(buf, n, "--set %s=%s", d->ov[origin].path, d->ov[origin].value);
        return;
    }
    size_t line, col;
    sr_ydoc_line_col(d, node, &line, &col);
    snprintf(buf, n, "%s:%zu:%zu", d->file, line, col);
}

static int fail_v(const sr_ydoc *d, int where_node, const char *path, const char *got,
                  const char *fmt, va_list ap)
{
    char where[1024], msg[1024];
    sr_ydoc_where(d, where_node, where, sizeof where);
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (path[0])
        sr_error_set(d->err, SR_EXIT_DATAERR, "%s: %s: %s, got %s", where, path, msg, got);
    else
        sr_error_set(d->err, SR_EXIT_DATAERR, "%s: %s, got %s", where, msg, got);
    return -1;
}

/* fail_v about node at its path; got NULL: the node as written. */
static int fail_node(const sr_ydoc *d, int node, const char *got, const char *fmt, va_list ap)
{
    char path[512], written[96];
    sr_ydoc_path(d, node, path, sizeof path);
    if (!got) {
        sr_ydoc_got(d, node, written, sizeof written);
        got = written;
    }
    return fail_v(d, node, path, got, fmt, ap);
}

int sr_ydoc_oom(const sr_ydoc *d)
{
    return sr_error_set(d->err, SR_EXIT_SOFTWARE, "%s: out of memory", d->file), -1;
}

int sr_ydoc_fail(const sr_ydoc *d, int node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_node(d, node, NULL, fmt, ap);
    va_end(ap);
    return -1;
}

int sr_ydoc_fail_got(const sr_ydoc *d, int node, const char *got, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_node(d, node, got, fmt, ap);
    va_end(ap);
    return -1;
}

int sr_ydoc_fail_missing(const sr_ydoc *d, int map, const char *key, const char *fmt, ...)
{
    char path[512];
    sr_ydoc_path(d, map, path, sizeof path);
    sr_ybuf b = {0};
    sr_ybuf_str(&b, path);
    put_key(&b, key, path[0] == '\0');
    va_list ap;
    va_start(ap, fmt);
    fail_v(d, map, b.s && !b.oom ? b.s : key, "nothing", fmt, ap);
    va_end(ap);
    free(b.s);
    return -1;
}

/* ---- indexing ------------------------------------------------------------------------ */

typedef struct {
    const char *s;
    size_t len;
    size_t pos;
    int key;
} key_entry;

static int key_entry_cmp(const void *a, const void *b)
{
    const key_entry *x = a, *y = b;
    size_t m = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, m);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int fail_duplicate(const sr_ydoc *d, int first, int again)
{
    size_t line, col;
    sr_ydoc_line_col(d, first, &line, &col);
    if (d->origin[first] >= 0)
        return sr_ydoc_fail(d, again, "duplicate key (first given by an override)");
    return sr_ydoc_fail(d, again, "duplicate key (first at line %zu, column %zu)", line, col);
}

/* No key twice in a mapping: quadratic for small mappings, a sort for large ones so that
 * a hostile mapping with many keys costs n log n. */
static int check_duplicates(sr_ydoc *d, int map)
{
    size_t n = sr_ydoc_len(d, map);
    if (n <= 16) {
        for (size_t j = 1; j < n; j++) {
            int kj, vj;
            sr_ydoc_pair(d, map, j, &kj, &vj);
            yaml_node_t *a = sr_ydoc_node(d, kj);
            for (size_t i = 0; i < j; i++) {
                int ki, vi;
                sr_ydoc_pair(d, map, i, &ki, &vi);
                yaml_node_t *b = sr_ydoc_node(d, ki);
                if (a->data.scalar.length == b->data.scalar.length
                    && memcmp(a->data.scalar.value, b->data.scalar.value, a->data.scalar.length) == 0)
                    return fail_duplicate(d, ki, kj);
            }
        }
        return 0;
    }
    key_entry *e = malloc(n * sizeof *e);
    if (!e)
        return sr_ydoc_oom(d);
    for (size_t i = 0; i < n; i++) {
        int k, v;
        sr_ydoc_pair(d, map, i, &k, &v);
        yaml_node_t *y = sr_ydoc_node(d, k);
        e[i] = (key_entry){(const char *)y->data.scalar.value, y->data.scalar.length, i, k};
    }
    qsort(e, n, sizeof *e, key_entry_cmp);
    /* Of all repeated keys, report the repetition that comes first in the file. */
    size_t best = n;
    int first = 0, again = 0;
    for (size_t i = 1; i < n; i++) {
        if (e[i].len == e[i - 1].len && memcmp(e[i].s, e[i - 1].s, e[i].len) == 0
            && e[i].pos < best) {
            size_t g = i - 1;
            while (g > 0 && e[g - 1].len == e[i].len && memcmp(e[g - 1].s, e[i].s, e[i].len) == 0)
                g--;
            best = e[i].pos;
            first = e[g].key;
            again = e[i].key;
        }
    }
    free(e);
    return best < n ? fail_duplicate(d, first, again) : 0;
}

enum { VISITED = 2 };

static int index_node(sr_ydoc *d, int i, size_t depth)
{
    yaml_node_t *n = sr_ydoc_node(d, i);
    if (d->is_key[i] & VISITED)
        return sr_ydoc_fail(d, i, "a node is reachable twice (internal error)");
    d->is_key[i] |= VISITED;
    if (n->type == YAML_SCALAR_NODE) {
        if (memchr(n->data.scalar.value, '\0', n->data.scalar.length))
            return sr_ydoc_fail(d, i, "a NUL character is not allowed in a value");
        return 0;
    }
    if (depth > d->limits.max_depth)
        return sr_ydoc_fail(d, i, "nesting deeper than %zu levels", d->limits.max_depth);
    size_t len = sr_ydoc_len(d, i);
    if (n->type == YAML_SEQUENCE_NODE) {
        for (size_t j = 0; j < len; j++) {
            int c = sr_ydoc_item(d, i, j);
            d->parent[c] = i;
            d->slot[c] = (int)j;
            if (index_node(d, c, depth + 1) != 0)
                return -1;
        }
        return 0;
    }
    for (size_t j = 0; j < len; j++) {
        int k, v;
        sr_ydoc_pair(d, i, j, &k, &v);
        d->parent[k] = i;
        d->slot[k] = k;
        d->is_key[k] |= 1;
        d->parent[v] = i;
        d->slot[v] = k;
        if (!sr_ydoc_is_scalar(d, k)) {
            /* Reported at the key's position under the mapping's own path. */
            d->parent[k] = d->parent[i];
            d->slot[k] = d->slot[i];
            return sr_ydoc_fail(d, k, "a key must be a plain name, not a list or mapping");
        }
        if (index_node(d, k, depth + 1) != 0 || index_node(d, v, depth + 1) != 0)
            return -1;
    }
    return check_duplicates(d, i);
}

int sr_ydoc_index(sr_ydoc *d)
{
    if (sr_ydoc_grow_origin(d, -1) != 0)
        return sr_ydoc_oom(d);
    size_t n = d->n_nodes + 1;
    free(d->parent);
    free(d->slot);
    free(d->is_key);
    d->parent = calloc(n, sizeof *d->parent);
    d->slot = calloc(n, sizeof *d->slot);
    d->is_key = calloc(n, 1);
    if (!d->parent || !d->slot || !d->is_key)
        return sr_ydoc_oom(d);
    int root = sr_ydoc_root(d);
    return root ? index_node(d, root, 1) : 0;
}
