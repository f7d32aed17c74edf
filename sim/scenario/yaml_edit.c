/* Editing YAML documents for the scenario loader: override paths (`a.b[2].c`), grafting
 * an override's value into the document, and writing the document back as YAML. */
#define _POSIX_C_SOURCE 200809L /* strndup */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/yaml_doc_internal.h"

/* ---- override paths ------------------------------------------------------------------ */

void sr_ypath_free(sr_ypath_step *steps, size_t n_steps)
{
    if (!steps)
        return;
    for (size_t i = 0; i < n_steps; i++)
        free(steps[i].key);
    free(steps);
}

/* Appends a step; returns 0, or -1 (too deep) or -2 (out of memory) with why filled. */
static int push_step(sr_ypath_step **st, size_t *count, size_t *cap, size_t max_steps,
                     sr_ypath_step step, char *why, size_t n)
{
    if (*count >= max_steps) {
        snprintf(why, n, "deeper than %zu levels", max_steps);
        return -1;
    }
    if (*count == *cap) {
        size_t cap2 = *cap ? 2 * *cap : 8;
        sr_ypath_step *t = realloc(*st, cap2 * sizeof *t);
        if (!t) {
            snprintf(why, n, "out of memory");
            return -2;
        }
        *st = t;
        *cap = cap2;
    }
    (*st)[(*count)++] = step;
    return 0;
}

int sr_ypath_parse(const char *path, size_t max_steps, sr_ypath_step **steps, size_t *n_steps,
                   char *why, size_t n)
{
    sr_ypath_step *st = NULL;
    size_t count = 0, cap = 0;
    const char *p = path;
    int rc = -1;
    for (;;) {
        /* A key, then any number of [index], then '.' or the end. */
        size_t klen = strcspn(p, ".[]");
        if (klen == 0) {
            snprintf(why, n, "expected a key at character %zu", (size_t)(p - path) + 1);
            goto fail;
        }
        sr_ypath_step key = {.key = strndup(p, klen)};
        if (!key.key) {
            snprintf(why, n, "out of memory");
            rc = -2;
            goto fail;
        }
        const int pushed = push_step(&st, &count, &cap, max_steps, key, why, n);
        if (pushed != 0) {
            free(key.key);
            rc = pushed;
            goto fail;
        }
        p += klen;
        while (*p == '[') {
            const char *q = p + 1;
            size_t digits = strspn(q, "0123456789");
            if (digits == 0 || digits > 9 || q[digits] != ']') {
                snprintf(why, n, "expected an index like [0] at character %zu",
                         (size_t)(p - path) + 1);
                goto fail;
            }
            sr_ypath_step idx = {.is_index = true, .index = (size_t)strtoul(q, NULL, 10)};
            const int pushed_index = push_step(&st, &count, &cap, max_steps, idx, why, n);
            if (pushed_index != 0) {
                rc = pushed_index;
                goto fail;
            }
            p = q + digits + 1;
        }
        if (*p == '\0')
            break;
        if (*p != '.') {
            snprintf(why, n, "unexpected '%c' at character %zu", *p, (size_t)(p - path) + 1);
            goto fail;
        }
        p++;
    }
    *steps = st;
    *n_steps = count;
    return 0;
fail:
    sr_ypath_free(st, count);
    *steps = NULL;
    *n_steps = 0;
    return rc;
}

/* ---- overrides ----------------------------------------------------------------------- */

/* Copies node si of src into dst; returns the new index, 0 on allocation failure. Depth is
 * bounded because src passed check_events. */
static int copy_node(yaml_document_t *dst, yaml_document_t *src, int si)
{
    yaml_node_t *n = yaml_document_get_node(src, si);
    int di = 0;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return yaml_document_add_scalar(dst, NULL, n->data.scalar.value,
                                        (int)n->data.scalar.length, n->data.scalar.style);
    case YAML_SEQUENCE_NODE:
        di = yaml_document_add_sequence(dst, NULL, n->data.sequence.style);
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             di && it < n->data.sequence.items.top; it++) {
            int c = copy_node(dst, src, *it);
            if (!c || !yaml_document_append_sequence_item(dst, di, c))
                return 0;
        }
        return di;
    case YAML_MAPPING_NODE:
        di = yaml_document_add_mapping(dst, NULL, n->data.mapping.style);
        for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
             di && pr < n->data.mapping.pairs.top; pr++) {
            int k = copy_node(dst, src, pr->key);
            int v = k ? copy_node(dst, src, pr->value) : 0;
            if (!v || !yaml_document_append_mapping_pair(dst, di, k, v))
                return 0;
        }
        return di;
    default:
        return 0;
    }
}

static int add_plain(yaml_document_t *doc, const char *text)
{
    return yaml_document_add_scalar(doc, NULL, (yaml_char_t *)text, (int)strlen(text),
                                    YAML_PLAIN_SCALAR_STYLE);
}

/* The path of steps [0, upto) as a user wrote it. */
static void steps_text(const sr_ypath_step *st, size_t upto, char *buf, size_t n)
{
    sr_ybuf b = {0};
    sr_ybuf_str(&b, "");
    for (size_t i = 0; i < upto; i++) {
        if (st[i].is_index) {
            char idx[32];
            snprintf(idx, sizeof idx, "[%zu]", st[i].index);
            sr_ybuf_str(&b, idx);
        } else {
            if (i)
                sr_ybuf_str(&b, ".");
            sr_ybuf_str(&b, st[i].key);
        }
    }
    sr_ydoc_copy_truncated(buf, n, b.oom || !b.s ? "" : b.s);
    free(b.s);
}

static int override_fail(const sr_ydoc *d, size_t k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int override_fail(const sr_ydoc *d, size_t k, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sr_error_set(d->err, SR_EXIT_DATAERR, "--set %s=%s: %s", d->ov[k].path, d->ov[k].value, msg);
    return -1;
}

/* Override k cannot be grafted for want of memory (SR_EXIT_SOFTWARE). */
static int override_oom(const sr_ydoc *d, size_t k)
{
    sr_error_set(d->err, SR_EXIT_SOFTWARE, "--set %s=%s: out of memory", d->ov[k].path,
                 d->ov[k].value);
    return -1;
}

/* Fails override k at so_far, whose node cur is not what the next step needs. */
static int fail_step(const sr_ydoc *d, size_t k, const char *so_far, int cur, const char *why)
{
    char got[96];
    sr_ydoc_got(d, cur, got, sizeof got);
    return override_fail(d, k, "%s: %s, got %s", so_far, why, got);
}

/* Replaces what slot (pos) of container holds with node. */
static void set_slot(sr_ydoc *d, int container, size_t pos, int node)
{
    yaml_node_t *c = sr_ydoc_node(d, container);
    if (c->type == YAML_MAPPING_NODE)
        c->data.mapping.pairs.start[pos].value = node;
    else
        c->data.sequence.items.start[pos] = node;
}

int sr_ydoc_apply_override(sr_ydoc *d, size_t k)
{
    const sr_override *o = &d->ov[k];
    sr_ypath_step *st = NULL;
    size_t n_st = 0;
    char why[256];
    const int parsed = sr_ypath_parse(o->path, d->limits.max_depth, &st, &n_st, why, sizeof why);
    if (parsed == -2)
        return override_oom(d, k);
    if (parsed != 0)
        return override_fail(d, k, "invalid path: %s", why);

    /* The value: one YAML node (an empty value is null). */
    yaml_document_t vdoc;
    sr_yread_fail f = {0};
    int rc = sr_ydoc_load_text(&vdoc, o->value, strlen(o->value), d->limits, &f);
    if (rc < 0) {
        sr_ypath_free(st, n_st);
        if (f.oom)
            return override_oom(d, k);
        return override_fail(d, k, "cannot read the value: %s (at character %zu)", f.why, f.at);
    }
    int value = 0;
    if (rc == 1)
        value = add_plain(&d->doc, "");
    else
        value = copy_node(&d->doc, &vdoc, 1);
    if (rc == 0)
        yaml_document_delete(&vdoc);
    if (!value) {
        sr_ypath_free(st, n_st);
        return override_oom(d, k);
    }

    int result = -1;
    char so_far[512];
    int cur = sr_ydoc_root(d);
    int holder = 0;        /* the container of cur and its slot there (0 for the root) */
    size_t holder_pos = 0;
    for (size_t i = 0; i < n_st; i++) {
        bool last = i + 1 == n_st;
        steps_text(st, i, so_far, sizeof so_far);
        if (st[i].is_index) {
            if (!sr_ydoc_is_seq(d, cur)) {
                char wrong[96];
                snprintf(wrong, sizeof wrong, "is not a list, so [%zu] cannot index it",
                         st[i].index);
                fail_step(d, k, so_far, cur, wrong);
                goto out;
            }
            size_t len = sr_ydoc_len(d, cur);
            if (st[i].index >= len) {
                override_fail(d, k, "%s[%zu]: index out of range: %s has %zu item%s, got %zu",
                              so_far, st[i].index, so_far, len, len == 1 ? "" : "s", st[i].index);
                goto out;
            }
            if (last) {
                set_slot(d, cur, st[i].index, value);
            } else {
                holder = cur;
                holder_pos = st[i].index;
                cur = sr_ydoc_item(d, cur, st[i].index);
            }
            continue;
        }
        /* A key: a null on the way becomes an empty mapping to hold it. */
        if (holder && sr_ydoc_scalar(d, cur).kind == SR_Y_NULL) {
            int m = yaml_document_add_mapping(&d->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
            if (!m) {
                override_oom(d, k);
                goto out;
            }
            set_slot(d, holder, holder_pos, m);
            cur = m;
        }
        if (!sr_ydoc_is_map(d, cur)) {
            char wrong[600];
            snprintf(wrong, sizeof wrong, "is not a mapping, so it cannot hold key %s", st[i].key);
            fail_step(d, k, so_far, cur, wrong);
            goto out;
        }
        size_t len = sr_ydoc_len(d, cur);
        size_t j;
        int kn = 0, vn = 0;
        for (j = 0; j < len; j++) {
            sr_ydoc_pair(d, cur, j, &kn, &vn);
            if (sr_ydoc_is_scalar(d, kn) && strcmp(sr_ydoc_text(d, kn), st[i].key) == 0)
                break;
        }
        if (j < len) {
            if (last) {
                set_slot(d, cur, j, value);
            } else {
                holder = cur;
                holder_pos = j;
                cur = vn;
            }
            continue;
        }
        /* A missing key is added; a missing list cannot be indexed. */
        if (!last && st[i + 1].is_index) {
            char here[512];
            steps_text(st, i + 1, here, sizeof here);
            override_fail(d, k, "%s: does not exist, so [%zu] cannot index it, got nothing", here,
                          st[i + 1].index);
            goto out;
        }
        int key = add_plain(&d->doc, st[i].key);
        int child = last ? value : yaml_document_add_mapping(&d->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
        if (!key || !child || !yaml_document_append_mapping_pair(&d->doc, cur, key, child)) {
            override_oom(d, k);
            goto out;
        }
        holder = cur;
        holder_pos = len;
        cur = child;
    }
    if (sr_ydoc_grow_origin(d, (int)k) != 0) {
        override_oom(d, k);
        goto out;
    }
    result = 0;
out:
    sr_ypath_free(st, n_st);
    if (result != 0)
        sr_ydoc_grow_origin(d, (int)k);
    return result;
}

/* ---- writing the document ------------------------------------------------------------ */

static int emit_write(void *data, unsigned char *buffer, size_t size)
{
    sr_ybuf *b = data;
    sr_ybuf_put(b, (const char *)buffer, size);
    return !b->oom;
}

char *sr_ydoc_emit(sr_ydoc *d)
{
    if (!d->loaded)
        return NULL;
    /* libyaml writes an empty plain scalar inside a flow collection as '' (a string);
     * spell nulls out so the text reads back as it ran. */
    for (yaml_node_t *n = d->doc.nodes.start; n < d->doc.nodes.top; n++) {
        if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
            && n->data.scalar.length == 0) {
            yaml_char_t *v = malloc(5);
            if (!v) {
                sr_ydoc_oom(d);
                return NULL;
            }
            memcpy(v, "null", 5);
            free(n->data.scalar.value);   /* libyaml's yaml_free is free() */
            n->data.scalar.value = v;
            n->data.scalar.length = 4;
        }
    }
    sr_ybuf b = {0};
    yaml_emitter_t e;
    if (!yaml_emitter_initialize(&e)) {
        sr_ydoc_oom(d);
        return NULL;
    }
    yaml_emitter_set_output(&e, emit_write, &b);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, -1);
    yaml_emitter_set_indent(&e, 2);
    bool ok = yaml_emitter_open(&e) != 0;
    ok = ok && yaml_emitter_dump(&e, &d->doc) != 0;   /* consumes the document */
    d->loaded = false;
    ok = ok && yaml_emitter_close(&e) != 0 && yaml_emitter_flush(&e) != 0;
    const char *problem = e.problem;
    if (!ok || b.oom || !b.s) {
        if (b.oom || problem == NULL)   /* a write that ran out of memory, or libyaml's */
            sr_ydoc_oom(d);
        else
            sr_error_set(d->err, SR_EXIT_DATAERR, "%s: cannot write the scenario with its "
                         "overrides: %s", d->file, problem);
        yaml_emitter_delete(&e);
        free(b.s);
        return NULL;
    }
    yaml_emitter_delete(&e);
    return b.s;
}
