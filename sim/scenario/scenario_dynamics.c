/* The dynamics of a scenario (SPEC 2.2 - 2.5, 2.7): states, transitions, strata, cash
 * flows and the macro model. Read after the parameters, before the programmes. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario_internal.h"

#define SR_MAX_TENURE 600
#define SR_MAX_CASH_CELLS (1u << 20)
#define SR_MAX_MULTIPLY_CELLS (1u << 22)
/* Tenure steps and dated cash-flow entries, counted over every copy (from-lists and strata
 * copy them): bounds the memory a small file can ask for. */
#define SR_MAX_COPIED_STEPS (1u << 22)

/* ---- states ---------------------------------------------------------------------------- */

int sr_sl_states(sr_sload *L, int root)
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
        if (sr_sl_named_item(L, e, keys, &name, &v) != 0)
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
        sr_sl_fail_duplicate(L, name_nodes[first], name_nodes[again], "state");
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
    double *pmax = calloc(m->n_states, sizeof *pmax);
    long *last = malloc(m->n_states * sizeof *last);
    int rc = -1;
    if (!first || !psum || !pmax || !last) {
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
            pmax[t->from] += sr_numdef_upper(&m->num[t->rate]);
            last[t->from] = (long)j;
        }
    }
    for (size_t s = 0; s < m->n_states; s++) {
        if (last[s] >= 0 && !(psum[s] < 1)) {
            sr_ydoc_fail(L->d, tn[last[s]].rate_node, "the probabilities out of state %s sum to "
                         "%g (at their means), and must stay below 1", m->states[s].name, psum[s]);
            goto out;
        }
        /* A trial draws each probability from its distribution: a drawn sum of 1 or more
         * has no monthly hazard (nobody could stay), so the largest sum the draws can
         * reach must not pass 1. A sum of exactly 1 can only come from one probability at
         * the very end of its support (a beta drawn at 1), which the engine treats as
         * 1 - DBL_EPSILON. */
        if (last[s] >= 0 && pmax[s] > 1) {
            sr_ydoc_fail(L->d, tn[last[s]].rate_node, "the probabilities out of state %s can "
                         "sum to %g in a trial (the upper ends of their distributions; a beta "
                         "reaches 1), and must stay at or below 1: bound them (uniform, pert, "
                         "triangular or normal with max) or give hazards instead",
                         m->states[s].name, pmax[s]);
            goto out;
        }
    }
    rc = 0;
out:
    free(first);
    free(pmax);
    free(psum);
    free(last);
    return rc;
}

int sr_sl_transitions(sr_sload *L, int root)
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

int sr_sl_strata(sr_sload *L, int root, int **stratum_nodes)
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
        if (sr_sl_named_item(L, e, keys, &name, &v) != 0)
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
        sr_sl_fail_duplicate(L, name_nodes[first], name_nodes[again], "stratum");
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

int sr_sl_cash(sr_sload *L, int root, const int *stratum_nodes)
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

const char *const SR_MACRO_MODELS[] = {"none", "regime", "gaussian_factor", NULL};

int sr_sl_macro(sr_sload *L, int root)
{
    static const char *const keys[] = {"model", "switch", "recession", "start_in_recession",
                                       "rho", "persistence", NULL};
    const char *const *models = SR_MACRO_MODELS;
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
