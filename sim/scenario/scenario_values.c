/* Typed readers of scenario values: integers, names, months, fixed and uncertain numbers,
 * distributions. Each checks one node against what its key allows and, when it does not,
 * fails with the node's position, key path and value (sim/scenario/yaml_doc.h). */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <gsl/gsl_cdf.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/dist.h"
#include "sim/scenario/scenario_values.h"
#include "sim/base/text.h"

/* Why the limits (scenario.h) hold a run's sums finite. */
#define SR_WHY_AMOUNT "so that no sum or product of a run can overflow"
#define SR_WHY_RATE "so that discount and indexation factors over the horizon stay finite"
#define SR_WHY_SCALE "so that the size-scaled hazard ratio stays finite"

const sr_range SR_RANGE_ANY = {-INFINITY, INFINITY, true, true, "a number",
                               -SR_SCENARIO_MAX_AMOUNT, SR_SCENARIO_MAX_AMOUNT, SR_WHY_AMOUNT};
const sr_range SR_RANGE_NONNEG = {0, INFINITY, false, true, "a number >= 0",
                                  0, SR_SCENARIO_MAX_AMOUNT, SR_WHY_AMOUNT};
const sr_range SR_RANGE_POS = {0, INFINITY, true, true, "a number > 0",
                               1, SR_SCENARIO_MAX_AMOUNT, SR_WHY_SCALE};
const sr_range SR_RANGE_ELASTICITY = {-INFINITY, INFINITY, true, true, "a number",
                                      -SR_SCENARIO_MAX_ELASTICITY, SR_SCENARIO_MAX_ELASTICITY,
                                      SR_WHY_SCALE};
const sr_range SR_RANGE_PROB = {0, 1, false, true, "a number in [0, 1)", 0, 0, NULL};
const sr_range SR_RANGE_UNIT = {0, 1, false, false, "a number in [0, 1]", 0, 0, NULL};
const sr_range SR_RANGE_RATE = {-1, INFINITY, true, true, "a rate > -1",
                                SR_SCENARIO_MIN_RATE, SR_SCENARIO_MAX_RATE, SR_WHY_RATE};
const sr_range SR_RANGE_SHARE = {0, 1, true, false, "a number in (0, 1]", 0, 0, NULL};
const sr_range SR_RANGE_RHO = {-1, 1, true, true, "a number in (-1, 1)", 0, 0, NULL};

/* Phi^-1(0.95): the lognormal's p95 is exp(mu + 1.6448536269514722 sigma). */
#define SR_Z95 1.6448536269514722
/* A truncated normal must keep at least this much of its parent's probability. */
#define SR_NORMAL_MIN_MASS 1e-9

/* ---- failures and notes -------------------------------------------------------------- */

int sr_sl_oom(sr_sload *L)
{
    sr_error_set(L->err, SR_EXIT_SOFTWARE, "%s: out of memory while loading the scenario",
                 L->d->file);
    return -1;
}

int sr_sl_note(sr_sload *L, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (L->notes_len + len + 2 > L->notes_cap) {
        size_t cap = L->notes_cap ? 2 * L->notes_cap : 256;
        while (cap < L->notes_len + len + 2)
            cap *= 2;
        char *t = realloc(L->notes, cap);
        if (!t)
            return sr_sl_oom(L);
        L->notes = t;
        L->notes_cap = cap;
    }
    if (L->notes_len)
        L->notes[L->notes_len++] = '\n';
    memcpy(L->notes + L->notes_len, line, len);
    L->notes_len += len;
    L->notes[L->notes_len] = '\0';
    return 0;
}

/* ---- structure ----------------------------------------------------------------------- */

const sr_key *sr_schema_key(const sr_table *t, const char *key)
{
    for (size_t i = 0; i < t->n_keys; i++)
        if (strcmp(t->keys[i].key, key) == 0)
            return &t->keys[i];
    return NULL;
}

int sr_sl_keys(sr_sload *L, int node, const sr_table *t)
{
    if (!sr_ydoc_is_map(L->d, node))
        return sr_ydoc_fail(L->d, node, "must be a mapping");
    size_t n = sr_ydoc_len(L->d, node);
    for (size_t i = 0; i < n; i++) {
        int k, v;
        sr_ydoc_pair(L->d, node, i, &k, &v);
        if (sr_schema_key(t, sr_ydoc_text(L->d, k)))
            continue;
        char known[512] = "";
        size_t used = 0;
        for (size_t j = 0; j < t->n_keys && used < sizeof known; j++)
            used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", j ? ", " : "",
                                     t->keys[j].key);
        return sr_ydoc_fail(L->d, k, "unknown key (expected %s)", known);
    }
    return 0;
}

int sr_sl_seq(sr_sload *L, int node)
{
    if (!sr_ydoc_is_seq(L->d, node))
        return sr_ydoc_fail(L->d, node, "must be a list");
    return 0;
}

int sr_sl_opt(sr_sload *L, int map, const char *key)
{
    int v = sr_ydoc_get(L->d, map, key);
    if (v && sr_ydoc_scalar(L->d, v).kind == SR_Y_NULL)
        return 0;
    return v;
}

int sr_sl_req(sr_sload *L, int map, const char *key)
{
    int v = sr_sl_opt(L, map, key);
    if (v)
        return v;
    int present = sr_ydoc_get(L->d, map, key);
    if (present)
        return sr_ydoc_fail(L->d, present, "is required");
    return sr_ydoc_fail_missing(L->d, map, key, "is required");
}

int sr_sl_tuple(sr_sload *L, int node, size_t n, const char *what)
{
    if (!sr_ydoc_is_seq(L->d, node) || sr_ydoc_len(L->d, node) != n)
        return sr_ydoc_fail(L->d, node, "must be %s", what);
    return 0;
}

/* ---- scalars ------------------------------------------------------------------------- */

static int fail_int(sr_sload *L, int node, long long lo, long long hi, bool above)
{
    bool unbounded = hi >= (long long)UINT32_MAX;
    if (above || !unbounded)
        return sr_ydoc_fail(L->d, node, "must be an integer in [%lld, %lld]", lo, hi);
    if (lo == 1)
        return sr_ydoc_fail(L->d, node, "must be a positive integer");
    return sr_ydoc_fail(L->d, node, "must be an integer >= %lld", lo);
}

int sr_sl_int(sr_sload *L, int node, long long lo, long long hi, long long *out)
{
    sr_yscalar v = sr_ydoc_scalar(L->d, node);
    if (!sr_ydoc_is_scalar(L->d, node) || v.kind != SR_Y_INT)
        return fail_int(L, node, lo, hi, false);
    if (v.neg) {
        if (v.overflow || v.mag > (uint64_t)LLONG_MAX || -(long long)v.mag < lo)
            return fail_int(L, node, lo, hi, false);
        *out = -(long long)v.mag;
        return 0;
    }
    if (v.overflow || v.mag > (uint64_t)hi)
        return fail_int(L, node, lo, hi, true);
    if ((long long)v.mag < lo)
        return fail_int(L, node, lo, hi, false);
    *out = (long long)v.mag;
    return 0;
}

int sr_sl_uint(sr_sload *L, int node, long long lo, long long hi, unsigned *out)
{
    long long x = 0;
    if (sr_sl_int(L, node, lo, hi, &x) != 0)
        return -1;
    *out = (unsigned)x;
    return 0;
}

int sr_sl_u64(sr_sload *L, int node, uint64_t *out)
{
    sr_yscalar v = sr_ydoc_scalar(L->d, node);
    if (!sr_ydoc_is_scalar(L->d, node) || v.kind != SR_Y_INT || v.neg || v.overflow)
        return sr_ydoc_fail(L->d, node, "must be an integer in [0, 18446744073709551615]");
    *out = v.mag;
    return 0;
}

int sr_sl_bool(sr_sload *L, int node, bool *out)
{
    sr_yscalar v = sr_ydoc_scalar(L->d, node);
    if (!sr_ydoc_is_scalar(L->d, node) || v.kind != SR_Y_BOOL)
        return sr_ydoc_fail(L->d, node, "must be true or false");
    *out = v.b;
    return 0;
}

int sr_sl_str(sr_sload *L, int node, const char **out)
{
    if (!sr_ydoc_is_scalar(L->d, node) || sr_ydoc_scalar(L->d, node).kind != SR_Y_STRING
        || sr_ydoc_text(L->d, node)[0] == '\0')
        return sr_ydoc_fail(L->d, node, "must be a non-empty string");
    *out = sr_ydoc_text(L->d, node);
    return 0;
}

/* Fails at node when s holds a control or format character (sim/base/text.h): printed raw, it
 * would rewrite the terminal or reorder the text around it, in `validate`, in messages and
 * in every program that lists the result file's groups. */
static int check_plain_text(sr_sload *L, int node, const char *s)
{
    sr_text_control c;
    if (!sr_text_find_control(s, &c))
        return 0;
    return sr_ydoc_fail(L->d, node, "must not hold a control or format character, found %s "
                        "at character %zu", c.escaped, c.character);
}

int sr_sl_text(sr_sload *L, int node, const char **out)
{
    const char *s = NULL;
    if (sr_sl_str(L, node, &s) != 0 || check_plain_text(L, node, s) != 0)
        return -1;
    *out = s;
    return 0;
}

int sr_sl_name(sr_sload *L, int node, const char **out)
{
    const char *s = sr_ydoc_is_scalar(L->d, node) ? sr_ydoc_text(L->d, node) : "";
    if (check_plain_text(L, node, s) != 0)
        return -1;
    bool ok = sr_ydoc_is_scalar(L->d, node)
              && ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')
              && strlen(s) <= 64;
    for (const char *p = s; ok && *p; p++)
        ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')
             || *p == '_';
    /* true/false/null spell names too, but a reader would take them for values. */
    sr_ykind kind = sr_ydoc_scalar(L->d, node).kind;
    if (!ok || kind == SR_Y_BOOL || kind == SR_Y_NULL)
        return sr_ydoc_fail(L->d, node,
                            "must be a name: a letter or _, then letters, digits or _ (at most 64)");
    *out = s;
    return 0;
}

int sr_sl_enum(sr_sload *L, int node, const char *const *choices, int *out)
{
    const char *s = sr_ydoc_is_scalar(L->d, node) ? sr_ydoc_text(L->d, node) : NULL;
    for (int i = 0; s && choices[i]; i++) {
        if (strcmp(s, choices[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    char list[256] = "";
    size_t used = 0;
    for (int i = 0; choices[i] && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                 i == 0 ? "" : choices[i + 1] ? ", " : " or ", choices[i]);
    return sr_ydoc_fail(L->d, node, "must be %s", list);
}

int sr_sl_month(sr_sload *L, int node, int *year, int *month)
{
    const char *s = sr_ydoc_is_scalar(L->d, node) ? sr_ydoc_text(L->d, node) : "";
    bool shape = strlen(s) == 7 && s[4] == '-';
    for (int i = 0; shape && i < 7; i++)
        shape = i == 4 || (s[i] >= '0' && s[i] <= '9');
    int y = shape ? atoi(s) : 0, mo = shape ? atoi(s + 5) : 0;
    if (!sr_ydoc_is_scalar(L->d, node) || !shape || y < 1 || mo < 1 || mo > 12)
        return sr_ydoc_fail(L->d, node, "must be a month YYYY-MM (month 01..12)");
    *year = y;
    *month = mo;
    return 0;
}

void sr_sl_month_text(const sr_model *m, long t, char *buf, size_t n)
{
    long abs = (long)m->start_year * 12 + (m->start_month - 1) + t;
    long y = abs >= 0 ? abs / 12 : -((-abs + 11) / 12);
    snprintf(buf, n, "%04ld-%02ld", y, abs - y * 12 + 1);
}

/* ---- numbers ------------------------------------------------------------------------- */

static bool in_range(double x, const sr_range *r)
{
    bool lo = r->lo_open ? x > r->lo : x >= r->lo;
    bool hi = r->hi_open ? x < r->hi : x <= r->hi;
    return isfinite(x) && lo && hi;
}

void sr_sl_support(const sr_numdef *d, double *lo, double *hi, bool *lo_open, bool *hi_open)
{
    *lo_open = *hi_open = false;
    switch (d->kind) {
    case SR_DIST_FIXED:
        *lo = *hi = d->p[0];
        return;
    case SR_DIST_BETA:
        *lo = 0;
        *hi = 1;
        *lo_open = *hi_open = true;
        return;
    case SR_DIST_GAMMA:
    case SR_DIST_LOGNORMAL:
        *lo = 0;
        *hi = INFINITY;
        *lo_open = *hi_open = true;
        return;
    case SR_DIST_NORMAL:
        *lo = d->p[2];
        *hi = d->p[3];
        *lo_open = isinf(*lo);
        *hi_open = isinf(*hi);
        return;
    case SR_DIST_UNIFORM:
        *lo = d->p[0];
        *hi = d->p[1];
        return;
    case SR_DIST_PERT:
    case SR_DIST_TRIANGULAR:
        *lo = d->p[0];
        *hi = d->p[2];
        return;
    }
}

static bool support_in_range(const sr_numdef *d, const sr_range *r)
{
    double lo = 0.0, hi = 0.0;
    bool lo_open = false, hi_open = false;
    sr_sl_support(d, &lo, &hi, &lo_open, &hi_open);
    bool lo_ok = lo > r->lo || (lo == r->lo && (lo_open || !r->lo_open));
    bool hi_ok = hi < r->hi || (hi == r->hi && (hi_open || !r->hi_open));
    return lo_ok && hi_ok;
}

static const char *dist_name(sr_dist_kind k)
{
    static const char *const names[] = {"fixed", "beta", "gamma", "lognormal", "normal",
                                        "uniform", "pert", "triangular"};
    return (size_t)k < sizeof names / sizeof *names ? names[k] : "?";
}

static void describe_support(const sr_numdef *d, char *buf, size_t n)
{
    double lo = 0.0, hi = 0.0;
    bool lo_open = false, hi_open = false;
    sr_sl_support(d, &lo, &hi, &lo_open, &hi_open);
    snprintf(buf, n, "a %s distribution on %c%g, %g%c", dist_name(d->kind), lo_open ? '(' : '[',
             lo, hi, hi_open ? ')' : ']');
}

/* Whether x lies within r's limit (or r has none). */
static bool within_limit(double x, const sr_range *r)
{
    return r->limit_lo == r->limit_hi || (x >= r->limit_lo && x <= r->limit_hi);
}

/* The uniforms the engine draws numbers from lie in [SR_DRAW_U_MIN, SR_DRAW_U_MAX] (53
 * random bits, never 0 or 1; a copula's are held to the same), so every draw of d lies
 * between its quantiles at those two; the deterministic expectation takes d's mean, which
 * a heavy tail may put beyond them. *lo and *hi span both. */
static void draw_range(const sr_numdef *d, double *lo, double *hi)
{
    const double mean = sr_numdef_mean(d);
    *lo = fmin(sr_dist_quantile(d, SR_DRAW_U_MIN), mean);
    *hi = fmax(sr_dist_quantile(d, SR_DRAW_U_MAX), mean);
}

/* Fails at node unless every value of d (a fixed number or a distribution, possibly the
 * named parameter `$name`) lies within r's limit. */
static int check_limit(sr_sload *L, int node, const sr_range *r, const sr_numdef *d,
                       bool parameter)
{
    double lo, hi;
    draw_range(d, &lo, &hi);
    if (within_limit(lo, r) && within_limit(hi, r))
        return 0;
    if (d->kind == SR_DIST_FIXED && !parameter)
        return sr_ydoc_fail(L->d, node, "must lie within [%g, %g] %s", r->limit_lo,
                            r->limit_hi, r->limit_why);
    if (d->kind == SR_DIST_FIXED)
        return sr_ydoc_fail(L->d, node, "must lie within [%g, %g] %s, but the parameter is %g",
                            r->limit_lo, r->limit_hi, r->limit_why, d->p[0]);
    return sr_ydoc_fail(L->d, node, "must lie within [%g, %g] %s, but %s%s distribution "
                        "spans %.3g to %.3g (its draws and mean)%s", r->limit_lo, r->limit_hi, r->limit_why,
                        parameter ? "the parameter's " : "a ", dist_name(d->kind), lo, hi,
                        d->kind == SR_DIST_NORMAL ? " (bound it with min/max)" : "");
}

/* FNV-1a of a key path: the stream identity of the number defined there. */
static uint64_t path_hash(const char *path)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *c = (const unsigned char *)path; *c; c++)
        h = (h ^ *c) * 0x100000001b3ULL;
    return h;
}

int sr_sl_push(sr_sload *L, int node, sr_numdef def, sr_num *out)
{
    sr_model *m = L->m;
    char path[1024] = "";   /* the key path: the stream's identity, and the name of the
                             * number's draws in /parameters */
    if (node >= 0 && sr_ydoc_path(L->d, node, path, sizeof path) != 0)
        return sr_sl_oom(L);
    def.stream = path_hash(path);
    if (m->n_num == L->num_cap) {
        size_t cap = L->num_cap ? 2 * L->num_cap : 64;
        sr_numdef *t = realloc(m->num, cap * sizeof *t);
        if (!t)
            return sr_sl_oom(L);
        m->num = t;
        char **paths = realloc(m->num_path, cap * sizeof *paths);
        if (!paths)
            return sr_sl_oom(L);
        m->num_path = paths;
        L->num_cap = cap;
    }
    /* a distribution's draws are recorded per trial under its key path (/parameters) */
    m->num_path[m->n_num] = NULL;
    if (def.kind != SR_DIST_FIXED && (m->num_path[m->n_num] = strdup(path)) == NULL)
        return sr_sl_oom(L);
    m->num[m->n_num] = def;
    *out = (sr_num)m->n_num++;
    return 0;
}

/* A plain or quoted `$name`: a named parameter, whose index goes to *param. Returns 1 when
 * node is a reference, 0 when it is not, -1 when it names no parameter. */
static int parameter_ref(sr_sload *L, int node, size_t *param)
{
    if (!sr_ydoc_is_scalar(L->d, node))
        return 0;
    const char *s = sr_ydoc_text(L->d, node);
    if (s[0] != '$')
        return 0;
    long i = sr_names_find(&L->param_names, s + 1);
    if (i < 0)
        return sr_ydoc_fail(L->d, node, "undefined parameter (see parameters:)");
    *param = (size_t)i;
    L->param_used[i] = true;
    return 1;
}

/* A literal number of the core schema, finite. Returns 1 when node is one, 0 when node
 * is not a number at all, -1 (error) for a non-finite number. */
static int literal(sr_sload *L, int node, double *x)
{
    if (!sr_ydoc_is_scalar(L->d, node))
        return 0;
    sr_yscalar v = sr_ydoc_scalar(L->d, node);
    if (v.kind == SR_Y_NONFINITE
        || (v.kind == SR_Y_STRING && sr_ydoc_is_plain(L->d, node)
            && sr_ydoc_looks_nonfinite(sr_ydoc_text(L->d, node))))
        return sr_ydoc_fail(L->d, node, "must be a finite number");
    if (v.kind == SR_Y_INT && v.overflow)
        return sr_ydoc_fail(L->d, node, "must be a finite number of reasonable size");
    if (v.kind != SR_Y_INT && v.kind != SR_Y_FLOAT)
        return 0;
    *x = v.x;
    return 1;
}

int sr_sl_real(sr_sload *L, int node, const sr_range *r, double *out)
{
    size_t p = 0;
    int ref = parameter_ref(L, node, &p);
    if (ref < 0)
        return -1;
    if (ref) {
        const sr_numdef *d = &L->m->num[L->m->parameters[p].num];
        if (d->kind != SR_DIST_FIXED) {
            char sup[128];
            describe_support(d, sup, sizeof sup);
            return sr_ydoc_fail(L->d, node, "must be a fixed number (this key cannot be uncertain), "
                                            "but the parameter is %s", sup);
        }
        if (!in_range(d->p[0], r))
            return sr_ydoc_fail(L->d, node, "must be %s, but the parameter is %g", r->what, d->p[0]);
        if (check_limit(L, node, r, d, true) != 0)
            return -1;
        *out = d->p[0];
        return 0;
    }
    double x;
    int lit = literal(L, node, &x);
    if (lit < 0)
        return -1;
    if (lit == 0 && sr_ydoc_is_map(L->d, node))
        return sr_ydoc_fail(L->d, node, "must be %s (a fixed number: this key cannot be uncertain)",
                            r->what);
    if (lit == 0 || !in_range(x, r))
        return sr_ydoc_fail(L->d, node, "must be %s", r->what);
    const sr_numdef fixed = {.kind = SR_DIST_FIXED, .p = {x}, .parameter = -1};
    if (check_limit(L, node, r, &fixed, false) != 0)
        return -1;
    *out = x;
    return 0;
}

int sr_sl_num(sr_sload *L, int node, const sr_range *r, sr_num *out)
{
    size_t p = 0;
    int ref = parameter_ref(L, node, &p);
    if (ref < 0)
        return -1;
    if (ref) {
        sr_num n = L->m->parameters[p].num;
        const sr_numdef *d = &L->m->num[n];
        if (!support_in_range(d, r)) {
            if (d->kind == SR_DIST_FIXED)
                return sr_ydoc_fail(L->d, node, "must be %s, but the parameter is %g", r->what,
                                    d->p[0]);
            char sup[128];
            describe_support(d, sup, sizeof sup);
            return sr_ydoc_fail(L->d, node, "must be %s, but the parameter is %s, which can leave it",
                                r->what, sup);
        }
        if (check_limit(L, node, r, d, true) != 0)
            return -1;
        *out = n;
        return 0;
    }
    if (sr_ydoc_is_map(L->d, node)) {
        sr_numdef d;
        if (sr_sl_dist(L, node, &d) != 0)
            return -1;
        if (!support_in_range(&d, r)) {
            char sup[128];
            describe_support(&d, sup, sizeof sup);
            return sr_ydoc_fail(L->d, node, "must be %s, but %s can leave it%s", r->what, sup,
                                d.kind == SR_DIST_NORMAL ? " (bound it with min/max)" : "");
        }
        if (check_limit(L, node, r, &d, false) != 0)
            return -1;
        return sr_sl_push(L, node, d, out);
    }
    double x;
    int lit = literal(L, node, &x);
    if (lit < 0)
        return -1;
    if (lit == 0 || !in_range(x, r))
        return sr_ydoc_fail(L->d, node, "must be %s", r->what);
    sr_numdef d = {.kind = SR_DIST_FIXED, .p = {x}, .parameter = -1};
    if (check_limit(L, node, r, &d, false) != 0)
        return -1;
    return sr_sl_push(L, node, d, out);
}

static const sr_key flow_keys[] = {
    {"municipality", SR_KIND_NUMBER, "the municipality's part", "DKK", "9000",
     .range = &SR_RANGE_ANY, SR_DEFAULT(0), SR_AT(sr_flow, amount[SR_MUNICIPALITY])},
    {"state", SR_KIND_NUMBER, "the state's (the national government's) part", "DKK", "2500",
     .range = &SR_RANGE_ANY, SR_DEFAULT(0), SR_AT(sr_flow, amount[SR_STATE])},
};

const sr_table sr_flow_table = {
    .path = "<flow>", .meaning = "An amount of money for each payer, the municipality and the "
    "state; where a key takes a flow, a payer not given is 0.", SR_TABLE_KEYS(flow_keys)};

/* ---- distributions ------------------------------------------------------------------- */

/* A distribution's own parameter: a fixed literal (never `$name` or a distribution). */
static int dist_param(sr_sload *L, int map, const char *key, const char *dist, bool required,
                      double *out)
{
    int v = required ? sr_sl_req(L, map, key) : sr_sl_opt(L, map, key);
    if (v < 0)
        return -1;
    if (v == 0)
        return 1;
    double x;
    int lit = literal(L, v, &x);
    if (lit < 0)
        return -1;
    if (lit == 0)
        return sr_ydoc_fail(L->d, v, "must be a number (the parameters of a %s distribution are "
                                     "fixed numbers)", dist);
    *out = x;
    return 0;
}

static double truncated_mass(double mu, double sd, double lo, double hi)
{
    double a = (lo - mu) / sd, b = (hi - mu) / sd;
    if (a > 0)
        return gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b);
    if (b < 0)
        return gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    return 1.0 - gsl_cdf_ugaussian_P(a) - gsl_cdf_ugaussian_Q(b);
}

/* ---- distribution tables --------------------------------------------------------------- */

/* In the order of sr_dist_kind from SR_DIST_BETA. */
static const char *const dist_kinds[] = {"beta", "gamma", "lognormal", "normal", "uniform",
                                         "pert", "triangular", NULL};

#define DIST_ROW(kind)                                                                        \
    {"dist", SR_KIND_CHOICE, "the kind of distribution, here " kind, NULL, kind,              \
     .choices = dist_kinds,                                                                  \
     .required = true}
#define PARAMETER_ROW(key, meaning, example, needed)                                         \
    {key, SR_KIND_FIXED, meaning, NULL, example, .type = "number (a literal)",                \
     .required = needed}

static const sr_key beta_keys[] = {
    DIST_ROW("beta"),
    PARAMETER_ROW("mean", "the mean, in (0, 1)", "0.3", true),
    PARAMETER_ROW("sd", "the standard deviation, > 0 and below sqrt(mean (1 - mean))", "0.1",
                  true),
};

static const sr_key gamma_keys[] = {
    DIST_ROW("gamma"),
    PARAMETER_ROW("mean", "the mean, > 0", "0.008", true),
    PARAMETER_ROW("sd", "the standard deviation, > 0", "0.002", true),
};

static const sr_key lognormal_keys[] = {
    DIST_ROW("lognormal"),
    PARAMETER_ROW("median", "the median, > 0 (with p95)", "1.35", false),
    PARAMETER_ROW("p95", "the 95th percentile, above the median: sigma = ln(p95 / median) / "
                  "1.645", "1.9", false),
    PARAMETER_ROW("mean", "the mean, > 0 (with sd, instead of median and p95)", "1.4", false),
    PARAMETER_ROW("sd", "the standard deviation, > 0", "0.3", false),
};

static const sr_key normal_keys[] = {
    DIST_ROW("normal"),
    PARAMETER_ROW("mean", "the mean of the normal before truncation", "0.01", true),
    PARAMETER_ROW("sd", "its standard deviation, > 0", "0.005", true),
    PARAMETER_ROW("min", "truncates it below (none: -inf)", "0", false),
    PARAMETER_ROW("max", "truncates it above (none: +inf); [min, max] must hold at least "
                  "1e-9 of the normal's probability", "0.05", false),
};

static const sr_key uniform_keys[] = {
    DIST_ROW("uniform"),
    PARAMETER_ROW("min", "the lower end", "0.5", true),
    PARAMETER_ROW("max", "the upper end, above min", "1.5", true),
};

static const sr_key pert_keys[] = {
    DIST_ROW("pert"),
    PARAMETER_ROW("min", "the lower end", "1.0", true),
    PARAMETER_ROW("mode", "the most likely value, in [min, max]", "1.3", true),
    PARAMETER_ROW("max", "the upper end, above min", "2.0", true),
};

static const sr_key triangular_keys[] = {
    DIST_ROW("triangular"),
    PARAMETER_ROW("min", "the lower end", "1.0", true),
    PARAMETER_ROW("mode", "the most likely value, in [min, max]", "1.3", true),
    PARAMETER_ROW("max", "the upper end, above min", "2.0", true),
};

static const sr_table dist_tables[] = {
    {.path = "{dist: beta}", .meaning = "A beta distribution on (0, 1), by its mean and "
     "standard deviation.", SR_TABLE_KEYS(beta_keys)},
    {.path = "{dist: gamma}", .meaning = "A gamma distribution on (0, inf), by its mean and "
     "standard deviation.", SR_TABLE_KEYS(gamma_keys)},
    {.path = "{dist: lognormal}", .meaning = "A lognormal distribution on (0, inf), by median "
     "and p95 or by mean and sd (of the variable itself): one pair, not both.",
     SR_TABLE_KEYS(lognormal_keys)},
    {.path = "{dist: normal}", .meaning = "A normal distribution, truncated to [min, max] "
     "when they are given.", SR_TABLE_KEYS(normal_keys)},
    {.path = "{dist: uniform}", .meaning = "A uniform distribution on [min, max].",
     SR_TABLE_KEYS(uniform_keys)},
    {.path = "{dist: pert}", .meaning = "A PERT distribution on [min, max]: a beta with "
     "lambda 4 around the mode.", SR_TABLE_KEYS(pert_keys)},
    {.path = "{dist: triangular}", .meaning = "A triangular distribution on [min, max] with "
     "its peak at the mode.", SR_TABLE_KEYS(triangular_keys)},
};

const sr_table *const sr_schema_distributions[] = {
    &dist_tables[0], &dist_tables[1], &dist_tables[2], &dist_tables[3], &dist_tables[4],
    &dist_tables[5], &dist_tables[6], NULL};

int sr_sl_dist(sr_sload *L, int node, sr_numdef *out)
{
    sr_ydoc *d = L->d;
    int kn = sr_sl_opt(L, node, "dist");
    if (kn == 0)
        return sr_ydoc_fail_missing(d, node, "dist",
                                    "is required: a number given as a mapping is a distribution");
    int kind;
    if (sr_sl_enum(L, kn, dist_kinds, &kind) != 0)
        return -1;
    const char *name = dist_kinds[kind];
    const sr_table *keys = sr_schema_distributions[kind];
    *out = (sr_numdef){.kind = (sr_dist_kind)(kind + 1), .parameter = -1};
    double *p = out->p;
    switch (out->kind) {
    case SR_DIST_BETA:
    case SR_DIST_GAMMA: {
        if (sr_sl_keys(L, node, keys) != 0 || dist_param(L, node, "mean", name, true, &p[0])
            || dist_param(L, node, "sd", name, true, &p[1]))
            return -1;
        int mean = sr_sl_opt(L, node, "mean"), sd = sr_sl_opt(L, node, "sd");
        if (out->kind == SR_DIST_BETA && !(p[0] > 0 && p[0] < 1))
            return sr_ydoc_fail(d, mean, "must be in (0, 1) for a beta distribution");
        if (out->kind == SR_DIST_GAMMA && !(p[0] > 0))
            return sr_ydoc_fail(d, mean, "must be > 0 for a gamma distribution");
        if (!(p[1] > 0))
            return sr_ydoc_fail(d, sd, "must be > 0");
        if (out->kind == SR_DIST_BETA && !(p[1] * p[1] < p[0] * (1 - p[0])))
            return sr_ydoc_fail(d, sd, "must be below sqrt(mean (1 - mean)) = %g for a beta "
                                       "distribution with mean %g", sqrt(p[0] * (1 - p[0])), p[0]);
        return 0;
    }
    case SR_DIST_LOGNORMAL: {
        if (sr_sl_keys(L, node, keys) != 0)
            return -1;
        bool quantiles = sr_sl_opt(L, node, "median") || sr_sl_opt(L, node, "p95");
        bool moments = sr_sl_opt(L, node, "mean") || sr_sl_opt(L, node, "sd");
        if (quantiles == moments)
            return sr_ydoc_fail(d, node, "a lognormal distribution takes either median and p95, "
                                         "or mean and sd");
        double a, b;
        const char *ka = quantiles ? "median" : "mean", *kb = quantiles ? "p95" : "sd";
        if (dist_param(L, node, ka, name, true, &a) || dist_param(L, node, kb, name, true, &b))
            return -1;
        if (!(a > 0))
            return sr_ydoc_fail(d, sr_sl_opt(L, node, ka), "must be > 0 for a lognormal distribution");
        if (quantiles && !(b > a))
            return sr_ydoc_fail(d, sr_sl_opt(L, node, kb), "must be above the median (%g)", a);
        if (!quantiles && !(b > 0))
            return sr_ydoc_fail(d, sr_sl_opt(L, node, kb), "must be > 0");
        if (quantiles) {
            p[0] = log(a);
            p[1] = log(b / a) / SR_Z95;
        } else {
            double s2 = log1p((b / a) * (b / a));
            p[0] = log(a) - 0.5 * s2;
            p[1] = sqrt(s2);
        }
        if (!isfinite(p[0]) || !isfinite(p[1]) || !(p[1] > 0))
            return sr_ydoc_fail(d, node, "gives no usable lognormal distribution (mu %g, sigma %g)",
                                p[0], p[1]);
        return 0;
    }
    case SR_DIST_NORMAL: {
        p[2] = -INFINITY;
        p[3] = INFINITY;
        if (sr_sl_keys(L, node, keys) != 0 || dist_param(L, node, "mean", name, true, &p[0])
            || dist_param(L, node, "sd", name, true, &p[1])
            || dist_param(L, node, "min", name, false, &p[2]) < 0
            || dist_param(L, node, "max", name, false, &p[3]) < 0)
            return -1;
        if (!(p[1] > 0))
            return sr_ydoc_fail(d, sr_sl_opt(L, node, "sd"), "must be > 0");
        if (!(p[2] < p[3]))
            return sr_ydoc_fail(d, sr_sl_opt(L, node, "max"), "must be above min (%g)", p[2]);
        if (!(truncated_mass(p[0], p[1], p[2], p[3]) >= SR_NORMAL_MIN_MASS))
            return sr_ydoc_fail(d, node, "[min, max] holds less than %g of the normal's probability",
                                SR_NORMAL_MIN_MASS);
        return 0;
    }
    case SR_DIST_UNIFORM:
        if (sr_sl_keys(L, node, keys) != 0 || dist_param(L, node, "min", name, true, &p[0])
            || dist_param(L, node, "max", name, true, &p[1]))
            return -1;
        if (!(p[0] < p[1]))
            return sr_ydoc_fail(d, sr_sl_opt(L, node, "max"), "must be above min (%g)", p[0]);
        return 0;
    case SR_DIST_PERT:
    case SR_DIST_TRIANGULAR:
        if (sr_sl_keys(L, node, keys) != 0 || dist_param(L, node, "min", name, true, &p[0])
            || dist_param(L, node, "mode", name, true, &p[1])
            || dist_param(L, node, "max", name, true, &p[2]))
            return -1;
        if (!(p[0] < p[2]))
            return sr_ydoc_fail(d, sr_sl_opt(L, node, "max"), "must be above min (%g)", p[0]);
        if (!(p[0] <= p[1] && p[1] <= p[2]))
            return sr_ydoc_fail(d, sr_sl_opt(L, node, "mode"), "must lie in [min, max] = [%g, %g]",
                                p[0], p[2]);
        return 0;
    default:
        return sr_ydoc_fail(d, kn, "is not a known distribution");
    }
}

/* ---- names --------------------------------------------------------------------------- */

static int name_ref_cmp(const void *a, const void *b)
{
    const sr_name_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

int sr_names_build(sr_names *x, const char *const *names, size_t n, size_t *dup_first,
                   size_t *dup_again)
{
    x->n = n;
    x->e = malloc((n ? n : 1) * sizeof *x->e);
    *dup_first = *dup_again = n;
    if (!x->e)
        return -1;
    for (size_t i = 0; i < n; i++)
        x->e[i] = (sr_name_ref){names[i], i};
    qsort(x->e, n, sizeof *x->e, name_ref_cmp);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(x->e[i].name, x->e[i - 1].name) == 0 && x->e[i].index < *dup_again) {
            size_t g = i - 1;
            while (g > 0 && strcmp(x->e[g - 1].name, x->e[i].name) == 0)
                g--;
            *dup_first = x->e[g].index;
            *dup_again = x->e[i].index;
        }
    }
    return 0;
}

long sr_names_find(const sr_names *x, const char *name)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(x->e[mid].name, name);
        if (c == 0) {
            /* The first of equal names (only duplicates, which are errors, are equal). */
            while (mid > 0 && strcmp(x->e[mid - 1].name, name) == 0)
                mid--;
            return (long)x->e[mid].index;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

void sr_names_free(sr_names *x)
{
    free(x->e);
    x->e = NULL;
    x->n = 0;
}

int sr_sl_fail_duplicate(sr_sload *L, int first, int again, const char *what)
{
    size_t line, col;
    sr_ydoc_line_col(L->d, first, &line, &col);
    return sr_ydoc_fail(L->d, again, "duplicate %s name (first at line %zu, column %zu)", what,
                        line, col);
}

int sr_sl_state(sr_sload *L, int node, size_t *out)
{
    const char *s = NULL;
    if (sr_sl_str(L, node, &s) != 0)
        return -1;
    long i = sr_names_find(&L->state_names, s);
    if (i < 0)
        return sr_ydoc_fail(L->d, node, "undefined state (see states:)");
    *out = (size_t)i;
    return 0;
}

long sr_sl_find_transition(const sr_sload *L, size_t from, size_t to)
{
    uint64_t want = (uint64_t)from * L->m->n_states + to;
    size_t lo = 0, hi = L->m->n_transitions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t k = L->trans_keys[mid] >> 20;
        if (k == want)
            return (long)(L->trans_keys[mid] & 0xFFFFF);
        if (k < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int sr_sl_transition(sr_sload *L, int node, size_t *out)
{
    const char *s = NULL;
    if (sr_sl_str(L, node, &s) != 0)
        return -1;
    const char *arrow = strstr(s, "->");
    char from[80], to[80];
    size_t fl = arrow ? (size_t)(arrow - s) : 0;
    if (!arrow || fl >= sizeof from || strlen(arrow + 2) >= sizeof to)
        return sr_ydoc_fail(L->d, node, "must name a transition as from->to");
    /* Spaces around the arrow are allowed: "outside -> employed". */
    memcpy(from, s, fl);
    from[fl] = '\0';
    strcpy(to, arrow + 2);
    char *f = from, *t = to;
    while (*f == ' ')
        f++;
    while (fl > 0 && from[fl - 1] == ' ')
        from[--fl] = '\0';
    while (*t == ' ')
        t++;
    for (size_t tl = strlen(t); tl > 0 && t[tl - 1] == ' ';)
        t[--tl] = '\0';
    long a = sr_names_find(&L->state_names, f), b = sr_names_find(&L->state_names, t);
    if (a < 0 || b < 0)
        return sr_ydoc_fail(L->d, node, "undefined state %s in a transition from->to",
                            a < 0 ? f : t);
    long j = sr_sl_find_transition(L, (size_t)a, (size_t)b);
    if (j < 0)
        return sr_ydoc_fail(L->d, node, "undefined transition (no transition from %s to %s)", f, t);
    *out = (size_t)j;
    return 0;
}
