/* Walking the schema's tables (schema.h) over a scenario document: missing keys,
 * alternatives, defaults, values by kind and the notes on keys that do not apply are
 * decided here and nowhere else. What one value must be (and that a mapping holds only its
 * table's keys) is checked by the typed readers below (scenario_values.c); what holds
 * between keys, by the tables' setters and finish hooks beside the code that reads them. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "sim/scenario/schema_walk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* In the order of sr_macro_model, sr_contract_type and sr_baseline_method. */
const char *const SR_MACRO_MODELS[] = {"none", "regime", "gaussian_factor", NULL};
const char *const SR_CONTRACT_TYPES[] = {"rate_card", "savings_share", NULL};
const char *const SR_BASELINE_METHODS[] = {"none", "historical", "control_group", NULL};

const sr_selector_def sr_selectors[SR_SEL_COUNT] = {
    [SR_SEL_MACRO_MODEL] = {SR_MACRO_MODELS, "macro.model %s", "macro.model is %s"},
    [SR_SEL_CONTRACT_TYPE] = {SR_CONTRACT_TYPES, "a %s contract", "the contract type is %s"},
    [SR_SEL_BASELINE] = {SR_BASELINE_METHODS, "baseline %s", "baseline.method is %s"},
    [SR_SEL_FRAME] = {NULL, "an annual_frame", "there is no annual_frame"},
    [SR_SEL_CONTRACT] = {NULL, "a contract", "the programme has no contract"},
};

/* ---- when a key applies ---------------------------------------------------------------- */

static bool clause_holds(const sr_sload *L, const sr_clause *c)
{
    return c->sel == SR_SEL_NONE || (L->sel[c->sel] < 32 && (c->values >> L->sel[c->sel]) & 1u);
}

bool sr_schema_applies(const sr_sload *L, const sr_key *row)
{
    return clause_holds(L, &row->when[0]) && clause_holds(L, &row->when[1]);
}

void sr_schema_when_text(const sr_key *row, char *buf, size_t n)
{
    buf[0] = '\0';
    size_t used = 0;
    for (int i = 0; i < 2 && used < n; i++) {
        const sr_clause *c = &row->when[i];
        if (c->sel == SR_SEL_NONE)
            continue;
        const sr_selector_def *s = &sr_selectors[c->sel];
        char values[160] = "";
        size_t vu = 0, count = 0, total = 0;
        for (unsigned v = 0; s->values && s->values[v]; v++)
            total += (c->values >> v) & 1u;
        for (unsigned v = 0; s->values && s->values[v] && vu < sizeof values; v++) {
            if (!((c->values >> v) & 1u))
                continue;
            count++;
            vu += (size_t)snprintf(values + vu, sizeof values - vu, "%s%s",
                                   count == 1 ? "" : count == total ? " or " : ", ", s->values[v]);
        }
        char noun[256];
        snprintf(noun, sizeof noun, s->noun, values);
        used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? " with " : "", noun);
    }
}

/* Why row does not apply: the innermost clause that fails (a key's own mapping's selector
 * before the one around it). */
static void ignored_reason(const sr_sload *L, const sr_key *row, char *buf, size_t n)
{
    for (int i = 1; i >= 0; i--) {
        const sr_clause *c = &row->when[i];
        if (clause_holds(L, c))
            continue;
        const sr_selector_def *s = &sr_selectors[c->sel];
        snprintf(buf, n, s->ignored, s->values ? s->values[L->sel[c->sel]] : "");
        return;
    }
    buf[0] = '\0';
}

static bool conditional(const sr_key *row)
{
    return row->when[0].sel != SR_SEL_NONE || row->when[1].sel != SR_SEL_NONE;
}

/* ---- storing --------------------------------------------------------------------------- */

/* x in the `width` bytes at p (an unsigned, or a signed month index, in two's complement). */
static void put_int(void *p, size_t width, long long x)
{
    switch (width) {
    case 1: {
        uint8_t v = (uint8_t)x;
        memcpy(p, &v, 1);
        break;
    }
    case 2: {
        uint16_t v = (uint16_t)x;
        memcpy(p, &v, 2);
        break;
    }
    case 4: {
        uint32_t v = (uint32_t)x;
        memcpy(p, &v, 4);
        break;
    }
    default: {
        uint64_t v = (uint64_t)x;
        memcpy(p, &v, 8);
        break;
    }
    }
}

static void *place(const sr_key *row, void *target)
{
    return row->stored ? (char *)target + row->at : target;
}

static void put_flag(const sr_key *row, void *target, bool given)
{
    if (row->flagged)
        memcpy((char *)target + row->given_at, &given, sizeof given);
}

static int store_default(sr_sload *L, const sr_key *row, void *target)
{
    put_flag(row, target, false);
    if (row->read)
        return row->read(L, row, 0, target);
    void *dst = place(row, target);
    switch (row->kind) {
    case SR_KIND_INTEGER:
    case SR_KIND_CHOICE:
    case SR_KIND_MONTH:
        put_int(dst, row->width, (long long)row->def_value);
        return 0;
    case SR_KIND_BOOL: {
        bool b = row->def_value != 0;
        memcpy(dst, &b, sizeof b);
        return 0;
    }
    case SR_KIND_FIXED:
        memcpy(dst, &row->def_value, sizeof row->def_value);
        return 0;
    case SR_KIND_NUMBER: {
        /* Only 0 and 1 are defaults of uncertain numbers: the loader's shared entries. */
        sr_num n = row->def_value == 1 ? L->one : L->zero;
        memcpy(dst, &n, sizeof n);
        return 0;
    }
    case SR_KIND_FLOW:
    case SR_KIND_MAPPING:
        return sr_schema_defaults(L, row->sub, dst);
    default:
        return 0;
    }
}

static bool in_list(const char *const *keys, const char *key)
{
    for (size_t i = 0; keys && keys[i]; i++)
        if (strcmp(keys[i], key) == 0)
            return true;
    return false;
}

static bool in_choice(const sr_choice *c, const char *key)
{
    return c && (in_list(c->a, key) || in_list(c->b, key));
}

int sr_schema_defaults(sr_sload *L, const sr_table *t, void *target)
{
    for (size_t i = 0; i < t->n_keys; i++)
        if (!in_choice(t->choice, t->keys[i].key) && store_default(L, &t->keys[i], target) != 0)
            return -1;
    return 0;
}

/* ---- reading --------------------------------------------------------------------------- */

/* Reads node as row says into dst; *choice receives a CHOICE's position. */
static int read_value(sr_sload *L, const sr_key *row, int node, void *dst, int *choice)
{
    switch (row->kind) {
    case SR_KIND_INTEGER: {
        long long x;
        if (sr_sl_int(L, node, row->lo, row->hi, &x) != 0)
            return -1;
        put_int(dst, row->width, x);
        return 0;
    }
    case SR_KIND_SEED:
        return sr_sl_u64(L, node, dst);
    case SR_KIND_BOOL:
        return sr_sl_bool(L, node, dst);
    case SR_KIND_TEXT:
    case SR_KIND_NAME: {
        const char *s;
        if ((row->kind == SR_KIND_TEXT ? sr_sl_text(L, node, &s) : sr_sl_name(L, node, &s)) != 0)
            return -1;
        char *copy = strdup(s);
        if (!copy)
            return sr_sl_oom(L);
        memcpy(dst, &copy, sizeof copy);
        return 0;
    }
    case SR_KIND_MONTH: {
        int y, mo;
        if (sr_sl_month(L, node, &y, &mo) != 0)
            return -1;
        put_int(dst, row->width, ((long long)y * 12 + mo - 1)
                                     - ((long long)L->m->start_year * 12 + L->m->start_month - 1));
        return 0;
    }
    case SR_KIND_CHOICE:
        if (sr_sl_enum(L, node, row->choices, choice) != 0)
            return -1;
        put_int(dst, row->width, *choice);
        return 0;
    case SR_KIND_FIXED:
        return sr_sl_real(L, node, row->range, dst);
    case SR_KIND_NUMBER:
        return sr_sl_num(L, node, row->range, dst);
    case SR_KIND_STATE:
        return sr_sl_state(L, node, dst);
    case SR_KIND_TRANSITION:
        return sr_sl_transition(L, node, dst);
    case SR_KIND_FLOW:
    case SR_KIND_MAPPING:
        return sr_schema_read(L, node, row->sub, dst);
    default:
        return sr_ydoc_fail(L->d, node, "cannot be read (the schema gives no reader)");
    }
}

int sr_schema_read_value(sr_sload *L, const sr_key *row, int node, void *dst)
{
    int choice = 0;
    return read_value(L, row, node, dst, &choice);
}

/* The choice between t's alternatives in the mapping at node: one of them, whole. */
static int check_choice(sr_sload *L, int node, const sr_choice *c)
{
    int a = 0, b = 0;
    for (size_t i = 0; c->a[i] && !a; i++)
        a = sr_sl_opt(L, node, c->a[i]);
    for (size_t i = 0; c->b[i] && !b; i++)
        b = sr_sl_opt(L, node, c->b[i]);
    if (a && b)
        return sr_ydoc_fail(L->d, b, "%s", c->both);
    if (b)
        return 0;
    if (!sr_sl_opt(L, node, c->a[0]))
        return sr_ydoc_fail_missing(L->d, node, c->a[0], "%s", c->neither);
    for (size_t i = 1; c->a[i]; i++)
        if (!sr_sl_opt(L, node, c->a[i]))
            return sr_ydoc_fail_missing(L->d, node, c->a[i], "is required with %s", c->a[0]);
    return 0;
}

static int read_row(sr_sload *L, int map, const sr_key *row, bool alternative, void *target)
{
    bool applies = sr_schema_applies(L, row);
    int v = sr_sl_opt(L, map, row->key);
    if (!v) {
        if (applies && row->required && conditional(row)) {
            char when[256];
            sr_schema_when_text(row, when, sizeof when);
            return sr_ydoc_fail_missing(L->d, map, row->key, "is required for %s", when);
        }
        if (applies && row->required) {
            sr_sl_req(L, map, row->key); /* says whether it is null or missing */
            return -1;
        }
        if (alternative) {
            put_flag(row, target, false);
            return 0;
        }
        return store_default(L, row, target);
    }
    int choice = 1; /* a presence selector's value when the key is given */
    int rc = row->read ? row->read(L, row, v, target)
                       : read_value(L, row, v, place(row, target), &choice);
    if (rc != 0)
        return -1;
    if (row->sets != SR_SEL_NONE)
        L->sel[row->sets] = (unsigned)choice;
    if (applies) {
        put_flag(row, target, true);
        return 0;
    }
    char path[512], why[256];
    sr_ydoc_path(L->d, v, path, sizeof path);
    ignored_reason(L, row, why, sizeof why);
    if (sr_sl_note(L, "%s is ignored: %s", path, why) != 0)
        return -1;
    return store_default(L, row, target);
}

int sr_schema_read(sr_sload *L, int node, const sr_table *t, void *target)
{
    if (sr_sl_keys(L, node, t) != 0)
        return -1;
    for (size_t i = 0; i < t->n_keys; i++)
        if (t->keys[i].sets != SR_SEL_NONE)
            L->sel[t->keys[i].sets] = 0;
    bool chosen = false;
    for (size_t k = 0; k < t->n_keys; k++) {
        const sr_key *row = &t->keys[t->order ? t->order[k] : k];
        bool alternative = in_choice(t->choice, row->key);
        if (alternative && !chosen) {
            if (check_choice(L, node, t->choice) != 0)
                return -1;
            chosen = true;
        }
        if (read_row(L, node, row, alternative, target) != 0)
            return -1;
    }
    return t->finish ? t->finish(L, node, target) : 0;
}

/* ---- named lists ----------------------------------------------------------------------- */

int sr_sl_named_list(sr_sload *L, int node, const sr_table *t, void *items, size_t size,
                     size_t name_at, size_t *count, const char *what, sr_names *index,
                     int (*prepare)(sr_sload *L, void *item, size_t i))
{
    size_t n = sr_ydoc_len(L->d, node);
    const char **names = calloc(n ? n : 1, sizeof *names);
    int *name_nodes = calloc(n ? n : 1, sizeof *name_nodes);
    sr_names local = {0}, *x = index ? index : &local;
    int rc = -1;
    if (!names || !name_nodes) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, node, i);
        char *item = (char *)items + i * size;
        *count = i + 1;
        if ((prepare && prepare(L, item, i) != 0) || sr_schema_read(L, e, t, item) != 0)
            goto out;
        memcpy(&names[i], item + name_at, sizeof names[i]);
        name_nodes[i] = sr_ydoc_get(L->d, e, "name");
    }
    size_t first, again;
    if (sr_names_build(x, names, n, &first, &again) != 0) {
        sr_sl_oom(L);
        goto out;
    }
    if (again < n) {
        sr_sl_fail_duplicate(L, name_nodes[first], name_nodes[again], what);
        goto out;
    }
    rc = 0;
out:
    sr_names_free(&local);
    free(names);
    free(name_nodes);
    return rc;
}
