/* Scenario files (SPEC 3): YAML text in, a validated sr_model out.
 *
 * The file is read by sim/yaml_doc.c (hostile input stops there: NUL bytes, invalid UTF-8,
 * anchors, aliases, tags, several documents, deep nesting, too many values), overrides are
 * grafted into the document, and the schema below walks it once, filling the model. Typed
 * readers live in scenario_values.c, programmes in scenario_programme.c, the readable
 * print in scenario_print.c.
 *
 * Decisions where SPEC 3 is silent (each is what `validate` enforces):
 * - Scalars follow the YAML 1.2 core schema, plain scalars only; a quoted scalar is always
 *   a string. An integer key (sizes, months, tenures, trials, seed) takes an integer as
 *   written: `1e3` and `12.0` are floats and are refused there. Any real key takes an
 *   integer or a float. `.inf`, `.nan`, and the plain strings NaN, Inf, Infinity in any
 *   case and sign are refused wherever a number is expected.
 * - A null value (`key:`, `key: ~`) means "not given": an optional key takes its default,
 *   a required one is missing. So `--set programmes[0].contract.cap_total=~` removes a cap.
 * - `$name` may be written plain or quoted. A parameter is a number or a distribution,
 *   never another `$name`. Keys that cannot be uncertain (discount and indexation rates,
 *   stratum shares, correlations) accept `$name` of a fixed parameter. Each use of an
 *   uncertain parameter must fit the key's range over the whole support, like an inline
 *   distribution. A parameter nobody uses is noted.
 * - A beta distribution's support is the open (0, 1), so it fits a probability in [0, 1).
 *   A normal truncated to less than 1e-9 of its probability is refused.
 * - Keys of an option that is not selected (macro keys of another model, contract keys of
 *   another type, baseline keys of another method, financing without a contract, a frame
 *   overflow rule without a frame) are checked like selected ones and then ignored, with
 *   a note: switching an option with --set never uncovers a latent error.
 * - simulation.trials, seed and start are required: no hidden default seed. The horizon
 *   is at most 1200 months (100 years); tenure_max at most 600 months.
 * - States, strata, programmes, parameters, stresses and outcomes are names:
 *   [A-Za-z_][A-Za-z0-9_]*, at most 64 characters, unique in their list.
 * - Transitions: `from` may list states (no repeats); `to` may be absorbing; a by_tenure
 *   step above a source state's tenure_max (it could never apply) is an error. A from-list
 *   shares one number-table entry per number among its expanded transitions (one file
 *   number, one draw). The probability-form check sums the probabilities' means.
 * - `multiply` and `effect.transitions` name transitions `from->to`; spaces around the
 *   arrow are allowed. effect_multiplier is >= 0.
 * - Cash flows: every payer of every flow (base, by_tenure and from entries, one-off
 *   transition flows) is 0 when absent. A `from` month may precede simulation.start.
 * - Intake {start, months}: the whole window [start, start + months) must lie within
 *   [simulation.start, horizon). Intake per_year: each year's count is kept exactly, split
 *   over strata by largest remainder, and each (year, stratum) spread over January ..
 *   December by the even rule; every year with a positive count must lie wholly within
 *   the simulation. Stratum totals are then the sums over years, which can differ by a
 *   person from a split of the whole size. The control group with per_year scales the year
 *   counts to its size by largest remainder, then does the same.
 * - cohort.initial_state must not be absorbing; an initial_tenure above the state's
 *   tenure_max is allowed (the engine caps it) and noted.
 * - A contract's term counts from the programme's first month with a positive intake.
 *   rate_card needs at least one outcome; with baseline historical it needs a rate (an
 *   achievement share in [0, 1]) for every outcome, savings_share needs
 *   expenditure_per_person_month. baseline defaults to method none.
 * - Stresses are checked when the scenario is loaded: each is applied, after the
 *   command-line overrides, to the file and the result validated, so a broken stress is
 *   found by `validate`, not halfway through `stress`. When the stresses times the file's
 *   size exceed a work budget, they are only checked for syntax, and a note says so.
 * - Sizes are bounded so that memory is: strata x states <= 2^20 cash cells,
 *   strata x transitions <= 2^22 multipliers, programmes x strata x months <= 2^24 intake
 *   cells, programmes x (states + transitions) <= 2^24, correlated parameters <= 1000.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strndup, open, fstat */

#include "scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario_internal.h"

#define SR_MAX_HORIZON_MONTHS 1200
#define SR_MAX_TENURE 600
#define SR_MAX_CASH_CELLS (1u << 20)
#define SR_MAX_MULTIPLY_CELLS (1u << 22)
#define SR_MAX_CORRELATED 1000
/* Tenure steps and dated cash-flow entries, counted over every copy (from-lists and strata
 * copy them): bounds the memory a small file can ask for. */
#define SR_MAX_COPIED_STEPS (1u << 22)
/* Stress checks reload the file once per stress: stresses x values loaded at most this. */
#define SR_STRESS_CHECK_BUDGET (1u << 22)

/* ---- simulation, discount -------------------------------------------------------------- */

static int load_simulation(sr_sload *L, int root)
{
    static const char *const keys[] = {"trials", "seed", "start", "horizon_years",
                                       "horizon_months", NULL};
    sr_model *m = L->m;
    int sim = sr_sl_req(L, root, "simulation");
    if (sim < 0 || sr_sl_map(L, sim, keys) != 0)
        return -1;
    int v;
    if ((v = sr_sl_req(L, sim, "trials")) < 0 || sr_sl_uint(L, v, 1, UINT32_MAX, &m->trials) != 0)
        return -1;
    if ((v = sr_sl_req(L, sim, "seed")) < 0 || sr_sl_u64(L, v, &m->seed) != 0)
        return -1;
    if ((v = sr_sl_req(L, sim, "start")) < 0
        || sr_sl_month(L, v, &m->start_year, &m->start_month) != 0)
        return -1;
    int hy = sr_sl_opt(L, sim, "horizon_years"), hm = sr_sl_opt(L, sim, "horizon_months");
    if (hy && hm)
        return sr_ydoc_fail(L->d, hm, "give exactly one of horizon_years and horizon_months");
    if (!hy && !hm)
        return sr_ydoc_fail_missing(L->d, sim, "horizon_years", "is required (or horizon_months)");
    unsigned h;
    if (hy) {
        if (sr_sl_uint(L, hy, 1, SR_MAX_HORIZON_MONTHS / 12, &h) != 0)
            return -1;
        m->n_months = 12 * h;
    } else {
        if (sr_sl_uint(L, hm, 1, SR_MAX_HORIZON_MONTHS, &h) != 0)
            return -1;
        m->n_months = h;
    }
    return 0;
}

static int load_discount(sr_sload *L, int root)
{
    static const char *const keys[] = {"public", "investor", NULL};
    int dn = sr_sl_req(L, root, "discount");
    if (dn < 0 || sr_sl_map(L, dn, keys) != 0)
        return -1;
    int v;
    if ((v = sr_sl_req(L, dn, "public")) < 0
        || sr_sl_real(L, v, &SR_RANGE_RATE, &L->m->discount_public) != 0)
        return -1;
    if ((v = sr_sl_req(L, dn, "investor")) < 0
        || sr_sl_real(L, v, &SR_RANGE_RATE, &L->m->discount_investor) != 0)
        return -1;
    L->m->indexation = 0;
    if ((v = sr_sl_opt(L, root, "indexation")) != 0
        && sr_sl_real(L, v, &SR_RANGE_RATE, &L->m->indexation) != 0)
        return -1;
    return 0;
}

/* ---- parameters and correlations ------------------------------------------------------ */

static int load_parameters(sr_sload *L, int root)
{
    sr_model *m = L->m;
    int pn = sr_sl_opt(L, root, "parameters");
    size_t n = pn ? sr_ydoc_len(L->d, pn) : 0;
    if (pn && !sr_ydoc_is_map(L->d, pn))
        return sr_ydoc_fail(L->d, pn, "must be a mapping of names to numbers or distributions");
    m->parameters = calloc(n ? n : 1, sizeof *m->parameters);
    L->param_used = calloc(n ? n : 1, sizeof *L->param_used);
    const char **names = calloc(n ? n : 1, sizeof *names);
    if (!m->parameters || !L->param_used || !names) {
        free(names);
        return sr_sl_oom(L);
    }
    int rc = -1;
    for (size_t i = 0; i < n; i++) {
        int k, v;
        sr_ydoc_pair(L->d, pn, i, &k, &v);
        const char *name;
        if (sr_sl_name(L, k, &name) != 0)
            goto out;
        sr_numdef def = {.kind = SR_DIST_FIXED, .parameter = (int)i};
        if (sr_ydoc_is_map(L->d, v)) {
            if (sr_sl_dist(L, v, &def) != 0)
                goto out;
            def.parameter = (int)i;
        } else {
            sr_yscalar s = sr_ydoc_scalar(L->d, v);
            const char *text = sr_ydoc_text(L->d, v);
            if (sr_ydoc_is_scalar(L->d, v) && text[0] == '$') {
                sr_ydoc_fail(L->d, v, "must be a number or a distribution (a parameter cannot "
                                      "refer to another)");
                goto out;
            }
            if (s.kind == SR_Y_NONFINITE || (s.kind == SR_Y_STRING && sr_ydoc_is_plain(L->d, v)
                                             && sr_ydoc_looks_nonfinite(text))) {
                sr_ydoc_fail(L->d, v, "must be a finite number");
                goto out;
            }
            if (!sr_ydoc_is_scalar(L->d, v) || (s.kind != SR_Y_INT && s.kind != SR_Y_FLOAT)
                || (s.kind == SR_Y_INT && s.overflow)) {
                sr_ydoc_fail(L->d, v, "must be a number or a distribution {dist: ...}");
                goto out;
            }
            def.p[0] = s.x;
        }
        m->parameters[i].name = strdup(name);
        if (!m->parameters[i].name || sr_sl_push(L, def, &m->parameters[i].num) != 0)
            goto out;
        m->n_parameters = i + 1;
        names[i] = m->parameters[i].name;
    }
    size_t first, again;
    if (sr_names_build(&L->param_names, names, n, &first, &again) != 0) {
        sr_sl_oom(L);
        goto out;
    }
    rc = 0;
out:
    free(names);
    return rc;
}

typedef struct {
    size_t a, b;               /* a < b */
    size_t entry;              /* position in the correlations list */
} corr_key;

static int corr_key_cmp(const void *x, const void *y)
{
    const corr_key *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return (p->entry > q->entry) - (p->entry < q->entry);
}

/* A correlated parameter named at node (with or without `$`). */
static int correlated_parameter(sr_sload *L, int node, size_t *out)
{
    const char *s;
    if (sr_sl_str(L, node, &s) != 0)
        return -1;
    long i = sr_names_find(&L->param_names, s[0] == '$' ? s + 1 : s);
    if (i < 0)
        return sr_ydoc_fail(L->d, node, "undefined parameter (see parameters:)");
    if (L->m->num[L->m->parameters[i].num].kind == SR_DIST_FIXED)
        return sr_ydoc_fail(L->d, node, "must name an uncertain parameter (a distribution), but "
                                        "this one is fixed");
    *out = (size_t)i;
    return 0;
}

/* Cholesky of the k x k correlation matrix c (overwritten): whether it is positive
 * definite, and if not the parameter (row) where a pivot fails. */
static bool positive_definite(double *c, size_t k, size_t *bad_row)
{
    for (size_t j = 0; j < k; j++) {
        double d = c[j * k + j];
        for (size_t i = 0; i < j; i++)
            d -= c[j * k + i] * c[j * k + i];
        if (!(d > 0)) {
            *bad_row = j;
            return false;
        }
        double l = sqrt(d);
        c[j * k + j] = l;
        for (size_t r = j + 1; r < k; r++) {
            double s = c[r * k + j];
            for (size_t i = 0; i < j; i++)
                s -= c[r * k + i] * c[j * k + i];
            c[r * k + j] = s / l;
        }
    }
    return true;
}

static int load_correlations(sr_sload *L, int root)
{
    sr_model *m = L->m;
    int cn = sr_sl_opt(L, root, "correlations");
    if (!cn)
        return 0;
    if (sr_sl_seq(L, cn) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, cn);
    m->correlations = calloc(n ? n : 1, sizeof *m->correlations);
    corr_key *keys = calloc(n ? n : 1, sizeof *keys);
    size_t *slot = malloc((m->n_parameters ? m->n_parameters : 1) * sizeof *slot);
    size_t *members = NULL;
    double *c = NULL;
    int rc = -1;
    if (!m->correlations || !keys || !slot) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, cn, i);
        if (sr_sl_tuple(L, e, 3, "a triple [parameter, parameter, rho]") != 0)
            goto out;
        sr_correlation *r = &m->correlations[i];
        if (correlated_parameter(L, sr_ydoc_item(L->d, e, 0), &r->a) != 0
            || correlated_parameter(L, sr_ydoc_item(L->d, e, 1), &r->b) != 0
            || sr_sl_real(L, sr_ydoc_item(L->d, e, 2), &SR_RANGE_RHO, &r->rho) != 0)
            goto out;
        if (r->a == r->b) {
            sr_ydoc_fail(L->d, sr_ydoc_item(L->d, e, 1), "must differ from the first parameter");
            goto out;
        }
        m->n_correlations = i + 1;
        keys[i] = (corr_key){r->a < r->b ? r->a : r->b, r->a < r->b ? r->b : r->a, i};
    }
    qsort(keys, n, sizeof *keys, corr_key_cmp);
    size_t again = n;
    for (size_t i = 1; i < n; i++)
        if (keys[i].a == keys[i - 1].a && keys[i].b == keys[i - 1].b && keys[i].entry < again)
            again = keys[i].entry;
    if (again < n) {
        sr_ydoc_fail(L->d, sr_ydoc_item(L->d, cn, again),
                     "correlates a pair of parameters a second time");
        goto out;
    }
    /* The matrix over the parameters that appear, in order of first appearance. */
    size_t k = 0;
    for (size_t i = 0; i < m->n_parameters; i++)
        slot[i] = SIZE_MAX;
    members = malloc((2 * n + 1) * sizeof *members);
    if (!members) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t ab[2] = {m->correlations[i].a, m->correlations[i].b};
        for (int j = 0; j < 2; j++)
            if (slot[ab[j]] == SIZE_MAX) {
                slot[ab[j]] = k;
                members[k++] = ab[j];
            }
    }
    if (k > SR_MAX_CORRELATED) {
        sr_ydoc_fail(L->d, cn, "correlate at most %d parameters", SR_MAX_CORRELATED);
        goto out;
    }
    c = calloc(k > 0 ? k * k : 1, sizeof *c);
    if (!c) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t i = 0; i < k; i++)
        c[i * k + i] = 1;
    for (size_t i = 0; i < n; i++) {
        size_t a = slot[m->correlations[i].a], b = slot[m->correlations[i].b];
        c[a * k + b] = c[b * k + a] = m->correlations[i].rho;
    }
    size_t bad;
    if (!positive_definite(c, k, &bad)) {
        char got[160];
        snprintf(got, sizeof got, "a matrix that is not positive definite (it fails at "
                                  "parameter %s)", m->parameters[members[bad]].name);
        sr_ydoc_fail_got(L->d, cn, got, "the correlation matrix must be positive definite");
        goto out;
    }
    rc = 0;
out:
    free(keys);
    free(slot);
    free(members);
    free(c);
    return rc;
}

/* ---- states ---------------------------------------------------------------------------- */

static int fail_duplicate_name(sr_sload *L, int first, int again, const char *what)
{
    size_t line, col;
    sr_ydoc_line_col(L->d, first, &line, &col);
    return sr_ydoc_fail(L->d, again, "duplicate %s name (first at line %zu, column %zu)", what,
                        line, col);
}

static int load_states(sr_sload *L, int root)
{
    static const char *const keys[] = {"name", "tenure_max", "absorbing", NULL};
    sr_model *m = L->m;
    int sn = sr_sl_req(L, root, "states");
    if (sn < 0 || sr_sl_seq(L, sn) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, sn);
    if (n == 0)
        return sr_ydoc_fail(L->d, sn, "must list at least one state");
    m->states = calloc(n, sizeof *m->states);
    const char **names = calloc(n, sizeof *names);
    int *name_nodes = calloc(n, sizeof *name_nodes);
    int rc = -1;
    if (!m->states || !names || !name_nodes) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, sn, i), v;
        const char *name;
        if (sr_sl_map(L, e, keys) != 0 || (v = sr_sl_req(L, e, "name")) < 0
            || sr_sl_name(L, v, &name) != 0)
            goto out;
        name_nodes[i] = v;
        sr_state *s = &m->states[i];
        if ((v = sr_sl_opt(L, e, "tenure_max")) && sr_sl_uint(L, v, 0, SR_MAX_TENURE, &s->tenure_max))
            goto out;
        if ((v = sr_sl_opt(L, e, "absorbing")) && sr_sl_bool(L, v, &s->absorbing))
            goto out;
        if (!(s->name = strdup(name))) {
            sr_sl_oom(L);
            goto out;
        }
        m->n_states = i + 1;
        names[i] = s->name;
    }
    size_t first, again;
    if (sr_names_build(&L->state_names, names, n, &first, &again) != 0) {
        sr_sl_oom(L);
        goto out;
    }
    if (again < n) {
        fail_duplicate_name(L, name_nodes[first], name_nodes[again], "state");
        goto out;
    }
    if (!(L->state_mark = calloc(n, sizeof *L->state_mark))) {
        sr_sl_oom(L);
        goto out;
    }
    rc = 0;
out:
    free(names);
    free(name_nodes);
    return rc;
}

/* ---- transitions ------------------------------------------------------------------------ */

/* by_tenure: [[k, x], ...] with k strictly increasing in [0, tenure limit]; items(k, x)
 * are read by `item` (a multiplier or a cash flow). Shared by transitions and cash flows. */
typedef int (*tenure_item_fn)(sr_sload *L, int node, void *dst, size_t i);

static int load_tenure_steps(sr_sload *L, int node, const size_t *states, size_t n_states,
                             unsigned **tenure_from, size_t *n_out, tenure_item_fn item,
                             void **dst, size_t dst_size)
{
    if (sr_sl_seq(L, node) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, node);
    *tenure_from = calloc(n ? n : 1, sizeof **tenure_from);
    *dst = calloc(n ? n : 1, dst_size);
    if (!*tenure_from || !*dst)
        return sr_sl_oom(L);
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, node, i);
        if (sr_sl_tuple(L, e, 2, "a pair [tenure from (months), value]") != 0)
            return -1;
        int kn = sr_ydoc_item(L->d, e, 0);
        unsigned k;
        if (sr_sl_uint(L, kn, 0, SR_MAX_TENURE, &k) != 0)
            return -1;
        if (i > 0 && k <= (*tenure_from)[i - 1])
            return sr_ydoc_fail(L->d, kn, "must be above the previous step's tenure (%u): steps "
                                          "are strictly increasing", (*tenure_from)[i - 1]);
        for (size_t s = 0; s < n_states; s++) {
            const sr_state *st = &L->m->states[states[s]];
            if (k > st->tenure_max)
                return sr_ydoc_fail(L->d, kn, "is above the tenure_max (%u) of state %s, so it "
                                              "would never apply", st->tenure_max, st->name);
        }
        (*tenure_from)[i] = k;
        if (item(L, sr_ydoc_item(L->d, e, 1), *dst, i) != 0)
            return -1;
        *n_out = i + 1;
    }
    return 0;
}

static int tenure_multiplier(sr_sload *L, int node, void *dst, size_t i)
{
    return sr_sl_num(L, node, &SR_RANGE_NONNEG, &((sr_num *)dst)[i]);
}

static int tenure_flow(sr_sload *L, int node, void *dst, size_t i)
{
    return sr_sl_flow(L, node, &((sr_flow *)dst)[i]);
}

/* The states of `from`: one name or a list of names, no repeats. */
static int load_sources(sr_sload *L, int node, size_t **out, size_t *n_out, int **nodes)
{
    bool list = sr_ydoc_is_seq(L->d, node);
    size_t n = list ? sr_ydoc_len(L->d, node) : 1;
    if (n == 0)
        return sr_ydoc_fail(L->d, node, "must name at least one state");
    *out = calloc(n, sizeof **out);
    *nodes = calloc(n, sizeof **nodes);
    if (!*out || !*nodes)
        return sr_sl_oom(L);
    unsigned gen = ++L->mark_gen;
    for (size_t i = 0; i < n; i++) {
        int e = list ? sr_ydoc_item(L->d, node, i) : node;
        (*nodes)[i] = e;
        if (sr_sl_state(L, e, &(*out)[i]) != 0)
            return -1;
        if (L->state_mark[(*out)[i]] == gen)
            return sr_ydoc_fail(L->d, e, "names a state twice in one from-list");
        L->state_mark[(*out)[i]] = gen;
    }
    *n_out = n;
    return 0;
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Per expanded transition, the nodes its errors point at. */
typedef struct {
    int from_node;             /* the source's name in `from` */
    int rate_node;             /* hazard or probability */
    int entry;                 /* the transitions[i] mapping */
} trans_nodes;

static int check_transition_forms(sr_sload *L, const trans_nodes *tn)
{
    sr_model *m = L->m;
    /* The first transition out of each state sets its form; the probabilities' means
     * out of a state must leave room for staying. */
    long *first = malloc(m->n_states * sizeof *first);
    double *psum = calloc(m->n_states, sizeof *psum);
    long *last = malloc(m->n_states * sizeof *last);
    int rc = -1;
    if (!first || !psum || !last) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t s = 0; s < m->n_states; s++)
        first[s] = last[s] = -1;
    for (size_t j = 0; j < m->n_transitions; j++) {
        const sr_transition *t = &m->transitions[j];
        if (first[t->from] < 0) {
            first[t->from] = (long)j;
        } else if (m->transitions[first[t->from]].is_probability != t->is_probability) {
            const sr_transition *f = &m->transitions[first[t->from]];
            sr_ydoc_fail(L->d, tn[j].rate_node, "transitions out of state %s must all give a "
                         "hazard or all a probability, and transitions[%zu] gives a %s",
                         m->states[t->from].name, f->source_index,
                         f->is_probability ? "probability" : "hazard");
            goto out;
        }
        if (t->is_probability) {
            psum[t->from] += sr_numdef_mean(&m->num[t->rate]);
            last[t->from] = (long)j;
        }
    }
    for (size_t s = 0; s < m->n_states; s++) {
        if (last[s] >= 0 && !(psum[s] < 1)) {
            sr_ydoc_fail(L->d, tn[last[s]].rate_node, "the probabilities out of state %s sum to "
                         "%g (at their means), and must stay below 1", m->states[s].name, psum[s]);
            goto out;
        }
    }
    rc = 0;
out:
    free(first);
    free(psum);
    free(last);
    return rc;
}

static int load_transitions(sr_sload *L, int root)
{
    static const char *const keys[] = {"from", "to", "hazard", "probability", "macro",
                                       "by_tenure", "cashflow", NULL};
    static const char *const senses[] = {"none", "pro", "counter", NULL};
    sr_model *m = L->m;
    int tl = sr_sl_opt(L, root, "transitions");
    if (tl && sr_sl_seq(L, tl) != 0)
        return -1;
    size_t n = tl ? sr_ydoc_len(L->d, tl) : 0;
    /* Count the expanded transitions first: one per source state. */
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, tl, i);
        if (sr_sl_map(L, e, keys) != 0)
            return -1;
        int from = sr_sl_req(L, e, "from");
        if (from < 0)
            return -1;
        total += sr_ydoc_is_seq(L->d, from) ? sr_ydoc_len(L->d, from) : 1;
    }
    m->transitions = calloc(total ? total : 1, sizeof *m->transitions);
    L->trans_keys = calloc(total ? total : 1, sizeof *L->trans_keys);
    trans_nodes *tn = calloc(total ? total : 1, sizeof *tn);
    size_t *src = NULL;
    int *src_nodes = NULL;
    unsigned *tenure_from = NULL;
    sr_num *mult = NULL;
    int rc = -1;
    if (!m->transitions || !L->trans_keys || !tn) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, tl, i), v;
        size_t n_src = 0, to;
        free(src);
        free(src_nodes);
        src = NULL;
        src_nodes = NULL;
        if (load_sources(L, sr_sl_opt(L, e, "from"), &src, &n_src, &src_nodes) != 0)
            goto out;
        if ((v = sr_sl_req(L, e, "to")) < 0 || sr_sl_state(L, v, &to) != 0)
            goto out;
        for (size_t s = 0; s < n_src; s++) {
            if (src[s] == to) {
                sr_ydoc_fail(L->d, v, "must differ from the state it leaves (%s)", m->states[to].name);
                goto out;
            }
            if (m->states[src[s]].absorbing) {
                sr_ydoc_fail(L->d, src_nodes[s], "is absorbing: nobody leaves it");
                goto out;
            }
        }
        sr_transition t = {.to = to, .source_index = i};
        int hz = sr_sl_opt(L, e, "hazard"), pr = sr_sl_opt(L, e, "probability");
        if (hz && pr) {
            sr_ydoc_fail(L->d, pr, "give either hazard or probability, not both");
            goto out;
        }
        if (!hz && !pr) {
            sr_ydoc_fail_missing(L->d, e, "hazard", "is required (or probability)");
            goto out;
        }
        t.is_probability = pr != 0;
        if (sr_sl_num(L, hz ? hz : pr, hz ? &SR_RANGE_NONNEG : &SR_RANGE_PROB, &t.rate) != 0)
            goto out;
        int sense = 0;
        if ((v = sr_sl_opt(L, e, "macro")) && sr_sl_enum(L, v, senses, &sense) != 0)
            goto out;
        t.macro = sense == 1 ? SR_MACRO_PRO : sense == 2 ? SR_MACRO_COUNTER : SR_MACRO_NONE;
        size_t n_steps = 0;
        free(tenure_from);
        free(mult);
        tenure_from = NULL;
        mult = NULL;
        if ((v = sr_sl_opt(L, e, "by_tenure"))
            && load_tenure_steps(L, v, src, n_src, &tenure_from, &n_steps, tenure_multiplier,
                                 (void **)&mult, sizeof *mult) != 0)
            goto out;
        if ((v = sr_sl_opt(L, e, "cashflow"))) {
            if (sr_sl_flow(L, v, &t.cash) != 0)
                goto out;
            t.has_cash = true;
        }
        L->copied_steps += n_src * n_steps;
        if (L->copied_steps > SR_MAX_COPIED_STEPS) {
            sr_ydoc_fail(L->d, sr_sl_opt(L, e, "by_tenure"), "makes the model too large: more than "
                         "%u tenure steps over all transitions", SR_MAX_COPIED_STEPS);
            goto out;
        }
        for (size_t s = 0; s < n_src; s++) {
            sr_transition *x = &m->transitions[m->n_transitions];
            *x = t;
            x->from = src[s];
            x->n_by_tenure = n_steps;
            x->tenure_from = malloc((n_steps ? n_steps : 1) * sizeof *x->tenure_from);
            x->tenure_mult = malloc((n_steps ? n_steps : 1) * sizeof *x->tenure_mult);
            if (!x->tenure_from || !x->tenure_mult) {
                free(x->tenure_from);
                free(x->tenure_mult);
                x->tenure_from = NULL;
                x->tenure_mult = NULL;
                sr_sl_oom(L);
                goto out;
            }
            if (n_steps) {
                memcpy(x->tenure_from, tenure_from, n_steps * sizeof *tenure_from);
                memcpy(x->tenure_mult, mult, n_steps * sizeof *mult);
            }
            tn[m->n_transitions] = (trans_nodes){src_nodes[s], hz ? hz : pr, e};
            L->trans_keys[m->n_transitions] =
                (((uint64_t)x->from * m->n_states + x->to) << 20) | m->n_transitions;
            m->n_transitions++;
        }
    }
    qsort(L->trans_keys, m->n_transitions, sizeof *L->trans_keys, u64_cmp);
    size_t again = SIZE_MAX, first = 0;
    for (size_t j = 1; j < m->n_transitions; j++) {
        uint64_t a = L->trans_keys[j - 1], b = L->trans_keys[j];
        if (a >> 20 == b >> 20 && (b & 0xFFFFF) < again) {
            again = b & 0xFFFFF;
            first = a & 0xFFFFF;
        }
    }
    if (again != SIZE_MAX) {
        const sr_transition *t = &m->transitions[again];
        sr_ydoc_fail(L->d, tn[again].from_node, "repeats the transition from %s to %s (first in "
                     "transitions[%zu])", m->states[t->from].name, m->states[t->to].name,
                     m->transitions[first].source_index);
        goto out;
    }
    rc = check_transition_forms(L, tn);
out:
    free(tn);
    free(src);
    free(src_nodes);
    free(tenure_from);
    free(mult);
    return rc;
}

/* ---- strata ---------------------------------------------------------------------------- */

static int load_multiply(sr_sload *L, int node, sr_stratum *st)
{
    if (!sr_ydoc_is_map(L->d, node))
        return sr_ydoc_fail(L->d, node, "must be a mapping of transitions from->to to multipliers");
    size_t n = sr_ydoc_len(L->d, node);
    bool *seen = calloc(L->m->n_transitions ? L->m->n_transitions : 1, sizeof *seen);
    if (!seen)
        return sr_sl_oom(L);
    for (size_t i = 0; i < n; i++) {
        int k, v;
        size_t j;
        sr_ydoc_pair(L->d, node, i, &k, &v);
        if (sr_sl_transition(L, k, &j) != 0
            || (seen[j] && sr_ydoc_fail(L->d, k, "names the same transition as an earlier key"))
            || sr_sl_num(L, v, &SR_RANGE_NONNEG, &st->multiply[j]) != 0) {
            free(seen);
            return -1;
        }
        seen[j] = true;
    }
    free(seen);
    return 0;
}

static int check_size(sr_sload *L, int node, double cells, double limit, const char *what)
{
    if (cells > limit)
        return sr_ydoc_fail(L->d, node, "makes the model too large: %.0f %s, at most %.0f", cells,
                            what, limit);
    return 0;
}

static int load_strata(sr_sload *L, int root, int **stratum_nodes)
{
    static const char *const keys[] = {"name", "share", "multiply", "cashflows",
                                       "effect_multiplier", NULL};
    sr_model *m = L->m;
    int sl = sr_sl_opt(L, root, "strata");
    if (sl && sr_sl_seq(L, sl) != 0)
        return -1;
    size_t n = sl ? sr_ydoc_len(L->d, sl) : 1;
    if (sl && n == 0)
        return sr_ydoc_fail(L->d, sl, "must list at least one stratum (or leave strata out)");
    if (sl && (check_size(L, sl, (double)n * m->n_states, SR_MAX_CASH_CELLS,
                          "strata x states cash-flow cells")
               || check_size(L, sl, (double)n * m->n_transitions, SR_MAX_MULTIPLY_CELLS,
                             "strata x transitions multipliers")))
        return -1;
    m->strata = calloc(n, sizeof *m->strata);
    *stratum_nodes = calloc(n, sizeof **stratum_nodes);
    const char **names = calloc(n, sizeof *names);
    int *name_nodes = calloc(n, sizeof *name_nodes);
    sr_names index = {0};
    int rc = -1;
    if (!m->strata || !*stratum_nodes || !names || !name_nodes) {
        sr_sl_oom(L);
        goto out;
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        sr_stratum *st = &m->strata[i];
        st->multiply = malloc((m->n_transitions ? m->n_transitions : 1) * sizeof *st->multiply);
        if (!st->multiply) {
            sr_sl_oom(L);
            goto out;
        }
        m->n_strata = i + 1;
        for (size_t j = 0; j < m->n_transitions; j++)
            st->multiply[j] = L->one;
        st->effect_multiplier = L->one;
        if (!sl) {
            st->share = 1.0;
            if (!(st->name = strdup("all"))) {
                sr_sl_oom(L);
                goto out;
            }
            names[i] = st->name;
            continue;
        }
        int e = sr_ydoc_item(L->d, sl, i), v;
        (*stratum_nodes)[i] = e;
        const char *name;
        if (sr_sl_map(L, e, keys) != 0 || (v = sr_sl_req(L, e, "name")) < 0
            || sr_sl_name(L, v, &name) != 0)
            goto out;
        name_nodes[i] = v;
        if (!(st->name = strdup(name))) {
            sr_sl_oom(L);
            goto out;
        }
        names[i] = st->name;
        if ((v = sr_sl_req(L, e, "share")) < 0 || sr_sl_real(L, v, &SR_RANGE_SHARE, &st->share) != 0)
            goto out;
        sum += st->share;
        if ((v = sr_sl_opt(L, e, "multiply")) && load_multiply(L, v, st) != 0)
            goto out;
        if (sr_sl_num_opt(L, e, "effect_multiplier", &SR_RANGE_NONNEG, &st->effect_multiplier))
            goto out;
        /* cashflows are read with the top-level cash flows they override. */
    }
    size_t first, again;
    if (sr_names_build(&index, names, n, &first, &again) != 0) {
        sr_sl_oom(L);
        goto out;
    }
    if (again < n) {
        fail_duplicate_name(L, name_nodes[first], name_nodes[again], "stratum");
        goto out;
    }
    if (sl && !(fabs(sum - 1.0) <= 1e-9)) {
        char got[64];
        snprintf(got, sizeof got, "a sum of %.12g", sum);
        sr_ydoc_fail_got(L->d, sl, got, "the shares must sum to 1 (within 1e-9)");
        goto out;
    }
    rc = 0;
out:
    sr_names_free(&index);
    free(names);
    free(name_nodes);
    return rc;
}

/* ---- cash flows ------------------------------------------------------------------------- */

static void cashspec_clear(sr_cashspec *c)
{
    free(c->tenure_from);
    free(c->by_tenure);
    free(c->dated_month);
    free(c->dated);
    memset(c, 0, sizeof *c);
}

static int cashspec_copy(sr_sload *L, sr_cashspec *dst, const sr_cashspec *src)
{
    *dst = *src;
    dst->tenure_from = NULL;
    dst->by_tenure = NULL;
    dst->dated_month = NULL;
    dst->dated = NULL;
    size_t nt = src->n_by_tenure, nd = src->n_dated;
    if (nt) {
        dst->tenure_from = malloc(nt * sizeof *dst->tenure_from);
        dst->by_tenure = malloc(nt * sizeof *dst->by_tenure);
        if (!dst->tenure_from || !dst->by_tenure)
            return sr_sl_oom(L);
        memcpy(dst->tenure_from, src->tenure_from, nt * sizeof *dst->tenure_from);
        memcpy(dst->by_tenure, src->by_tenure, nt * sizeof *dst->by_tenure);
    }
    if (nd) {
        dst->dated_month = malloc(nd * sizeof *dst->dated_month);
        dst->dated = malloc(nd * sizeof *dst->dated);
        if (!dst->dated_month || !dst->dated)
            return sr_sl_oom(L);
        memcpy(dst->dated_month, src->dated_month, nd * sizeof *dst->dated_month);
        memcpy(dst->dated, src->dated, nd * sizeof *dst->dated);
    }
    return 0;
}

static int load_dated(sr_sload *L, int node, sr_cashspec *c)
{
    if (sr_sl_seq(L, node) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, node);
    c->dated_month = calloc(n ? n : 1, sizeof *c->dated_month);
    c->dated = calloc(n ? n : 1, sizeof *c->dated);
    if (!c->dated_month || !c->dated)
        return sr_sl_oom(L);
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, node, i);
        if (sr_sl_tuple(L, e, 2, "a pair [YYYY-MM, {municipality, state}]") != 0)
            return -1;
        int mn = sr_ydoc_item(L->d, e, 0), y, mo;
        if (sr_sl_month(L, mn, &y, &mo) != 0)
            return -1;
        int t = (y * 12 + mo - 1) - (L->m->start_year * 12 + L->m->start_month - 1);
        if (i > 0 && t <= c->dated_month[i - 1])
            return sr_ydoc_fail(L->d, mn, "must come after the previous entry's month: entries "
                                          "are in strictly increasing order");
        c->dated_month[i] = t;
        if (sr_sl_flow(L, sr_ydoc_item(L->d, e, 1), &c->dated[i]) != 0)
            return -1;
        c->n_dated = i + 1;
    }
    return 0;
}

/* A state's cashspec {municipality, state, by_tenure, from}. */
static int load_cashspec(sr_sload *L, int node, size_t state, sr_cashspec *c)
{
    static const char *const keys[] = {"municipality", "state", "by_tenure", "from", NULL};
    memset(c, 0, sizeof *c);
    c->base.amount[SR_MUNICIPALITY] = c->base.amount[SR_STATE] = L->zero;
    if (sr_sl_map(L, node, keys) != 0
        || sr_sl_num_opt(L, node, "municipality", &SR_RANGE_ANY, &c->base.amount[SR_MUNICIPALITY])
        || sr_sl_num_opt(L, node, "state", &SR_RANGE_ANY, &c->base.amount[SR_STATE]))
        return -1;
    int v;
    if ((v = sr_sl_opt(L, node, "by_tenure"))
        && load_tenure_steps(L, v, &state, 1, &c->tenure_from, &c->n_by_tenure, tenure_flow,
                             (void **)&c->by_tenure, sizeof *c->by_tenure) != 0)
        return -1;
    if ((v = sr_sl_opt(L, node, "from")) && load_dated(L, v, c) != 0)
        return -1;
    return 0;
}

/* Reads a mapping state -> cashspec into specs[n_states] (replacing what is there). */
static int load_cash_map(sr_sload *L, int node, sr_cashspec *specs)
{
    if (!sr_ydoc_is_map(L->d, node))
        return sr_ydoc_fail(L->d, node, "must be a mapping of states to cash flows");
    size_t n = sr_ydoc_len(L->d, node);
    for (size_t i = 0; i < n; i++) {
        int k, v;
        size_t s;
        sr_ydoc_pair(L->d, node, i, &k, &v);
        if (sr_sl_state(L, k, &s) != 0)
            return -1;
        cashspec_clear(&specs[s]);
        if (load_cashspec(L, v, s, &specs[s]) != 0)
            return -1;
    }
    return 0;
}

static int load_cash(sr_sload *L, int root, const int *stratum_nodes)
{
    sr_model *m = L->m;
    size_t ns = m->n_states;
    sr_cashspec *top = calloc(ns, sizeof *top);
    m->cash = calloc(m->n_strata * ns, sizeof *m->cash);
    int rc = -1;
    if (!top || !m->cash) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t s = 0; s < ns; s++)
        top[s].base.amount[SR_MUNICIPALITY] = top[s].base.amount[SR_STATE] = L->zero;
    int cn = sr_sl_opt(L, root, "cashflows");
    if (cn && load_cash_map(L, cn, top) != 0)
        goto out;
    size_t entries = 0;
    for (size_t s = 0; s < ns; s++)
        entries += top[s].n_by_tenure + top[s].n_dated;
    L->copied_steps += entries * m->n_strata;
    if (L->copied_steps > SR_MAX_COPIED_STEPS) {
        sr_ydoc_fail(L->d, cn, "makes the model too large: %zu tenure and dated entries copied to "
                     "%zu strata, at most %u in all", entries, m->n_strata, SR_MAX_COPIED_STEPS);
        goto out;
    }
    for (size_t k = 0; k < m->n_strata; k++) {
        for (size_t s = 0; s < ns; s++)
            if (cashspec_copy(L, &m->cash[k * ns + s], &top[s]) != 0)
                goto out;
        int sc = stratum_nodes[k] ? sr_sl_opt(L, stratum_nodes[k], "cashflows") : 0;
        if (sc && load_cash_map(L, sc, &m->cash[k * ns]) != 0)
            goto out;
    }
    rc = 0;
out:
    for (size_t s = 0; top && s < ns; s++)
        cashspec_clear(&top[s]);
    free(top);
    return rc;
}

/* ---- macro ----------------------------------------------------------------------------- */

static int load_macro(sr_sload *L, int root)
{
    static const char *const keys[] = {"model", "switch", "recession", "start_in_recession",
                                       "rho", "persistence", NULL};
    static const char *const models[] = {"none", "regime", "gaussian_factor", NULL};
    static const char *const k_switch[] = {"to_recession", "to_normal", NULL};
    static const char *const k_recession[] = {"pro", "counter", NULL};
    sr_macro *x = &L->m->macro;
    x->model = SR_MACRO_MODEL_NONE;
    x->to_recession = x->to_normal = x->recession_pro = x->recession_counter = L->zero;
    x->rho = x->persistence = L->zero;
    int mn = sr_sl_opt(L, root, "macro");
    if (!mn)
        return 0;
    int v, model;
    if (sr_sl_map(L, mn, keys) != 0 || (v = sr_sl_req(L, mn, "model")) < 0
        || sr_sl_enum(L, v, models, &model) != 0)
        return -1;
    x->model = (sr_macro_model)model;
    /* Each key, whether its model is selected: read, then required or noted as ignored. */
    struct {
        const char *key;
        int owner;
        bool required;
    } owned[] = {{"switch", SR_MACRO_MODEL_REGIME, true},
                 {"recession", SR_MACRO_MODEL_REGIME, true},
                 {"start_in_recession", SR_MACRO_MODEL_REGIME, false},
                 {"rho", SR_MACRO_MODEL_GAUSSIAN, true},
                 {"persistence", SR_MACRO_MODEL_GAUSSIAN, true}};
    for (size_t i = 0; i < sizeof owned / sizeof *owned; i++) {
        int kn = sr_sl_opt(L, mn, owned[i].key);
        bool selected = owned[i].owner == model;
        if (!kn) {
            if (selected && owned[i].required)
                return sr_ydoc_fail_missing(L->d, mn, owned[i].key, "is required for macro.model %s",
                                            models[model]);
            continue;
        }
        int rc = 0;
        switch (i) {
        case 0:
            rc = sr_sl_map(L, kn, k_switch)
                 || sr_sl_num_req(L, kn, "to_recession", &SR_RANGE_UNIT, &x->to_recession)
                 || sr_sl_num_req(L, kn, "to_normal", &SR_RANGE_UNIT, &x->to_normal);
            break;
        case 1:
            rc = sr_sl_map(L, kn, k_recession)
                 || sr_sl_num_req(L, kn, "pro", &SR_RANGE_NONNEG, &x->recession_pro)
                 || sr_sl_num_req(L, kn, "counter", &SR_RANGE_NONNEG, &x->recession_counter);
            break;
        case 2:
            rc = sr_sl_bool(L, kn, &x->start_in_recession);
            break;
        case 3:
            rc = sr_sl_num(L, kn, &SR_RANGE_PROB, &x->rho);
            break;
        default:
            rc = sr_sl_num(L, kn, &SR_RANGE_PROB, &x->persistence);
            break;
        }
        if (rc)
            return -1;
        if (!selected && sr_sl_note(L, "macro.%s is ignored: macro.model is %s", owned[i].key,
                                    models[model]) != 0)
            return -1;
    }
    if (model != SR_MACRO_MODEL_REGIME)
        x->start_in_recession = false;
    return 0;
}

/* ---- stresses --------------------------------------------------------------------------- */

static int load_stresses(sr_sload *L, int root)
{
    sr_model *m = L->m;
    int sn = sr_sl_opt(L, root, "stresses");
    if (!sn)
        return 0;
    if (!sr_ydoc_is_map(L->d, sn))
        return sr_ydoc_fail(L->d, sn, "must be a mapping of stress names to overrides");
    size_t n = sr_ydoc_len(L->d, sn);
    m->stresses = calloc(n ? n : 1, sizeof *m->stresses);
    L->stress_nodes = calloc(n ? n : 1, sizeof *L->stress_nodes);
    if (!m->stresses || !L->stress_nodes)
        return sr_sl_oom(L);
    for (size_t i = 0; i < n; i++) {
        int k, v;
        const char *name;
        sr_ydoc_pair(L->d, sn, i, &k, &v);
        if (sr_sl_name(L, k, &name) != 0)
            return -1;
        if (!sr_ydoc_is_map(L->d, v))
            return sr_ydoc_fail(L->d, v, "must be a mapping of override paths to values");
        sr_stress *s = &m->stresses[i];
        size_t no = sr_ydoc_len(L->d, v);
        s->name = strdup(name);
        s->overrides = calloc(no ? no : 1, sizeof *s->overrides);
        m->n_stresses = i + 1;
        L->stress_nodes[i] = k;
        if (!s->name || !s->overrides)
            return sr_sl_oom(L);
        for (size_t j = 0; j < no; j++) {
            int pk, pv;
            sr_ydoc_pair(L->d, v, j, &pk, &pv);
            const char *path;
            if (sr_sl_str(L, pk, &path) != 0)
                return -1;
            sr_ypath_step *steps;
            size_t n_steps;
            char why[256];
            if (sr_ypath_parse(path, &steps, &n_steps, why, sizeof why) != 0)
                return sr_ydoc_fail(L->d, pk, "is not an override path: %s", why);
            sr_ypath_free(steps, n_steps);
            s->overrides[j].path = strdup(path);
            s->overrides[j].value = sr_ydoc_flow_text(L->d, pv);
            s->n_overrides = j + 1;
            if (!s->overrides[j].path || !s->overrides[j].value)
                return sr_sl_oom(L);
        }
    }
    return 0;
}

/* ---- the whole model ------------------------------------------------------------------- */

static int load_model(sr_sload *L)
{
    static const char *const keys[] = {"name", "simulation", "discount", "indexation",
                                       "parameters", "correlations", "states", "transitions",
                                       "strata", "cashflows", "macro", "programmes", "stresses",
                                       NULL};
    sr_model *m = L->m;
    int root = sr_ydoc_root(L->d), v;
    const char *name;
    if (sr_sl_map(L, root, keys) != 0)
        return -1;
    if ((v = sr_sl_req(L, root, "name")) < 0 || sr_sl_str(L, v, &name) != 0)
        return -1;
    if (!(m->name = strdup(name)))
        return sr_sl_oom(L);
    sr_numdef zero = {.kind = SR_DIST_FIXED, .p = {0}, .parameter = -1};
    sr_numdef one = {.kind = SR_DIST_FIXED, .p = {1}, .parameter = -1};
    if (sr_sl_push(L, zero, &L->zero) != 0 || sr_sl_push(L, one, &L->one) != 0)
        return -1;
    int *stratum_nodes = NULL;
    int rc = -1;
    if (load_simulation(L, root) || load_parameters(L, root) || load_correlations(L, root)
        || load_discount(L, root) || load_states(L, root) || load_transitions(L, root)
        || load_strata(L, root, &stratum_nodes) || load_cash(L, root, stratum_nodes)
        || load_macro(L, root))
        goto out;
    if ((v = sr_sl_req(L, root, "programmes")) < 0 || sr_sl_programmes(L, v) != 0)
        goto out;
    if (load_stresses(L, root) != 0)
        goto out;
    for (size_t i = 0; i < m->n_parameters; i++)
        if (!L->param_used[i]
            && sr_sl_note(L, "parameter %s is defined but not used", m->parameters[i].name) != 0)
            goto out;
    rc = 0;
out:
    free(stratum_nodes);
    return rc;
}

typedef struct {
    bool check_stresses;       /* apply and validate every stress (not in nested loads) */
    bool keep_source;          /* fill source_text */
} load_opts;

static sr_model *load(const char *name, const char *text, size_t len, const sr_override *ov,
                      size_t n_ov, load_opts opts, sr_error *err);

/* Applies each stress after the command-line overrides and validates the result. */
static int check_stresses(sr_sload *L, const char *name, const char *text, size_t len,
                          const sr_override *ov, size_t n_ov)
{
    sr_model *m = L->m;
    if (m->n_stresses == 0)
        return 0;
    if ((double)m->n_stresses * (double)L->d->n_nodes > SR_STRESS_CHECK_BUDGET)
        return sr_sl_note(L, "the %zu stresses were checked for syntax only (the file is too "
                             "large to load once per stress); `sirisk stress` checks each",
                          m->n_stresses);
    int rc = 0;
    for (size_t i = 0; i < m->n_stresses && rc == 0; i++) {
        const sr_stress *s = &m->stresses[i];
        size_t n = n_ov + s->n_overrides;
        sr_override *all = malloc((n ? n : 1) * sizeof *all);
        if (!all)
            return sr_sl_oom(L);
        if (n_ov)
            memcpy(all, ov, n_ov * sizeof *ov);
        if (s->n_overrides)
            memcpy(all + n_ov, s->overrides, s->n_overrides * sizeof *all);
        sr_error e = {0};
        load_opts nested = {false, false};
        sr_model *sm = load(name, text, len, all, n, nested, &e);
        free(all);
        if (!sm) {
            char where[1024], path[512];
            sr_ydoc_where(L->d, L->stress_nodes[i], where, sizeof where);
            sr_ydoc_path(L->d, L->stress_nodes[i], path, sizeof path);
            sr_error_set(L->err, SR_EXIT_DATAERR, "%s: %s: %s", where, path, e.msg);
            rc = -1;
        }
        sr_model_free(sm);
    }
    return rc;
}

static sr_model *load(const char *name, const char *text, size_t len, const sr_override *ov,
                      size_t n_ov, load_opts opts, sr_error *err)
{
    sr_ydoc d;
    sr_sload L = {0};
    sr_model *m = calloc(1, sizeof *m);
    if (!m) {
        sr_error_set(err, SR_EXIT_DATAERR, "%s: out of memory", name);
        return NULL;
    }
    if (len > SR_SCENARIO_MAX_BYTES) {
        sr_error_set(err, SR_EXIT_DATAERR, "%s:1:1: the file is larger than %u bytes, too large "
                     "for a scenario, got %zu bytes", name, SR_SCENARIO_MAX_BYTES, len);
        free(m);
        return NULL;
    }
    bool ok = false;
    if (sr_ydoc_read(&d, name, text, len, err) != 0)
        goto out;
    d.ov = ov;
    d.n_ov = n_ov;
    for (size_t k = 0; k < n_ov; k++)
        if (sr_ydoc_apply_override(&d, k) != 0)
            goto out;
    if (sr_ydoc_index(&d) != 0)
        goto out;
    L.d = &d;
    L.m = m;
    L.err = err;
    if (load_model(&L) != 0)
        goto out;
    if (opts.check_stresses && check_stresses(&L, name, text, len, ov, n_ov) != 0)
        goto out;
    if (opts.keep_source) {
        m->source_text = n_ov ? sr_ydoc_emit(&d) : strndup(text, len);
        if (!m->source_text) {
            if (!n_ov)
                sr_sl_oom(&L);
            goto out;
        }
    }
    m->notes = L.notes;
    L.notes = NULL;
    ok = true;
out:
    sr_names_free(&L.state_names);
    sr_names_free(&L.param_names);
    free(L.trans_keys);
    free(L.param_used);
    free(L.state_mark);
    free(L.stress_nodes);
    free(L.notes);
    sr_ydoc_free(&d);
    if (!ok) {
        if (err && err->code == 0)
            sr_error_set(err, SR_EXIT_DATAERR, "%s: invalid scenario", name);
        sr_model_free(m);
        return NULL;
    }
    return m;
}

/* ---- the interface --------------------------------------------------------------------- */

sr_model *sr_scenario_load_text(const char *name, const char *text, size_t len,
                                const sr_override *overrides, size_t n_overrides, sr_error *err)
{
    if (err)
        err->code = 0;
    load_opts opts = {true, true};
    return load(name, text, len, overrides, n_overrides, opts, err);
}

sr_model *sr_scenario_load(const char *path, const sr_override *overrides, size_t n_overrides,
                           sr_error *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        sr_error_set(err, SR_EXIT_NOINPUT, "%s: cannot read the scenario: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        close(fd);
        sr_error_set(err, SR_EXIT_NOINPUT, "%s: cannot read the scenario: %s", path, strerror(e));
        return NULL;
    }
    /* Read at most one byte past the limit: enough to know the file is too large. */
    size_t cap = S_ISREG(st.st_mode) && (size_t)st.st_size <= SR_SCENARIO_MAX_BYTES
                     ? (size_t)st.st_size + 1
                     : (size_t)SR_SCENARIO_MAX_BYTES + 1;
    char *text = malloc(cap);
    size_t len = 0;
    if (!text) {
        close(fd);
        sr_error_set(err, SR_EXIT_DATAERR, "%s: out of memory", path);
        return NULL;
    }
    for (;;) {
        if (len == cap) {
            if (cap > SR_SCENARIO_MAX_BYTES)
                break;
            size_t cap2 = cap * 2 > (size_t)SR_SCENARIO_MAX_BYTES + 1 ? (size_t)SR_SCENARIO_MAX_BYTES + 1
                                                                     : cap * 2;
            char *t = realloc(text, cap2);
            if (!t) {
                free(text);
                close(fd);
                sr_error_set(err, SR_EXIT_DATAERR, "%s: out of memory", path);
                return NULL;
            }
            text = t;
            cap = cap2;
        }
        ssize_t got = read(fd, text + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(text);
            close(fd);
            sr_error_set(err, SR_EXIT_NOINPUT, "%s: cannot read the scenario: %s", path, strerror(e));
            return NULL;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    close(fd);
    if (len > SR_SCENARIO_MAX_BYTES) {
        free(text);
        sr_error_set(err, SR_EXIT_DATAERR, "%s:1:1: the file is larger than %u bytes, too large "
                     "for a scenario, got more", path, SR_SCENARIO_MAX_BYTES);
        return NULL;
    }
    sr_model *m = sr_scenario_load_text(path, text, len, overrides, n_overrides, err);
    free(text);
    return m;
}

int sr_override_parse(const char *arg, sr_override *out, sr_error *err)
{
    memset(out, 0, sizeof *out);
    const char *eq = strchr(arg, '=');
    if (!eq)
        return sr_error_set(err, SR_EXIT_USAGE, "--set %s: expected PATH=VALUE", arg), -1;
    if (eq == arg)
        return sr_error_set(err, SR_EXIT_USAGE, "--set %s: the path before '=' is empty", arg), -1;
    out->path = strndup(arg, (size_t)(eq - arg));
    out->value = strdup(eq + 1);
    if (!out->path || !out->value) {
        sr_override_clear(out);
        return sr_error_set(err, SR_EXIT_USAGE, "--set %s: out of memory", arg), -1;
    }
    return 0;
}

void sr_override_clear(sr_override *o)
{
    if (!o)
        return;
    free(o->path);
    free(o->value);
    o->path = NULL;
    o->value = NULL;
}
