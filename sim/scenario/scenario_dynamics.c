/* The dynamics of a scenario (docs/model.md: states and tenure, transitions, strata, cash
 * flows, the macro labour market): their tables and what is read between their keys. Read
 * after the parameters, before the programmes. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario_dynamics.h"
#include "sim/scenario/schema_walk.h"

#define SR_MAX_CASH_CELLS (1u << 20)
#define SR_MAX_MULTIPLY_CELLS (1u << 22)
/* Tenure steps and dated cash-flow entries, counted over every copy (from-lists and strata
 * copy them): bounds the memory a small file can ask for. */
#define SR_MAX_COPIED_STEPS (1u << 22)

/* ---- states ---------------------------------------------------------------------------- */

static const sr_key state_keys[] = {
    {"name", SR_KIND_NAME, "the state's name, as transitions, cash flows and outcomes name it",
     NULL, "employed", .required = true, SR_AT(sr_state, name)},
    {"tenure_max", SR_KIND_INTEGER, "tenure is tracked up to this: the months spent in the "
     "state, 0 in the first, growing by one a month and stopping here (0: not tracked)",
     "months", "24", .lo = 0, .hi = SR_MAX_TENURE, SR_DEFAULT(0), SR_AT(sr_state, tenure_max)},
    {"absorbing", SR_KIND_BOOL, "nobody leaves the state (moved away, retired, died)", NULL,
     "true", SR_DEFAULT(false), SR_AT(sr_state, absorbing)},
};

const sr_table sr_state_table = {
    .path = "states[]", .meaning = "A state a person can be in; every enrolled person is in "
    "exactly one each month.", SR_TABLE_KEYS(state_keys)};

int sr_sl_states(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_model *m = L->m;
    if (sr_sl_seq(L, node) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, node);
    if (n == 0)
        return sr_ydoc_fail(L->d, node, "must list at least one state");
    m->states = calloc(n, sizeof *m->states);
    if (!m->states)
        return sr_sl_oom(L);
    if (sr_sl_named_list(L, node, &sr_state_table, m->states, sizeof *m->states,
                         offsetof(sr_state, name), &m->n_states, "state", &L->state_names,
                         NULL) != 0)
        return -1;
    if (!(L->state_mark = calloc(n, sizeof *L->state_mark)))
        return sr_sl_oom(L);
    return 0;
}

/* ---- tenure steps ------------------------------------------------------------------------ */

static const char step_pair[] = "a pair [tenure from (months), value]";

/* by_tenure: [[k, x], ...] read by the tuple table `pair` ([0] the tenure k, [1] the value
 * x, stored in dst[i] of `size` bytes), k strictly increasing and within the tenure_max of
 * every state in states[n_states] (above it, a step could never apply). */
static int read_tenure_steps(sr_sload *L, int node, const sr_table *pair, const size_t *states,
                             size_t n_states, unsigned **tenure_from, size_t *n_out, void **dst,
                             size_t size)
{
    if (sr_sl_seq(L, node) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, node);
    *tenure_from = calloc(n ? n : 1, sizeof **tenure_from);
    *dst = calloc(n ? n : 1, size);
    if (!*tenure_from || !*dst)
        return sr_sl_oom(L);
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, node, i);
        if (sr_sl_tuple(L, e, 2, step_pair) != 0)
            return -1;
        int kn = sr_ydoc_item(L->d, e, 0);
        unsigned k;
        if (sr_sl_uint(L, kn, pair->keys[0].lo, pair->keys[0].hi, &k) != 0)
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
        if (sr_schema_read_value(L, &pair->keys[1], sr_ydoc_item(L->d, e, 1),
                                 (char *)*dst + i * size) != 0)
            return -1;
        *n_out = i + 1;
    }
    return 0;
}

/* ---- transitions ------------------------------------------------------------------------ */

/* One transitions[i] as read, before it is expanded into one transition per source. */
typedef struct {
    sr_transition t;           /* to, rate, is_probability, macro, has_cash, cash */
    size_t *src;               /* [n_src]: the states of `from` */
    int *src_nodes;            /* [n_src]: where each is named */
    size_t n_src;
    unsigned *tenure_from;     /* [n_steps] */
    sr_num *mult;              /* [n_steps] */
    size_t n_steps;
} trans_item;

static void trans_item_clear(trans_item *x)
{
    free(x->src);
    free(x->src_nodes);
    free(x->tenure_from);
    free(x->mult);
}

/* The states of `from`: one name or a list of names, no repeats. */
static int read_sources(sr_sload *L, const sr_key *row, int node, void *target)
{
    trans_item *x = target;
    if (!node)
        return 0;
    bool list = sr_ydoc_is_seq(L->d, node);
    size_t n = list ? sr_ydoc_len(L->d, node) : 1;
    if (n == 0)
        return sr_ydoc_fail(L->d, node, "must name at least one state");
    x->src = calloc(n, sizeof *x->src);
    x->src_nodes = calloc(n, sizeof *x->src_nodes);
    if (!x->src || !x->src_nodes)
        return sr_sl_oom(L);
    unsigned gen = ++L->mark_gen;
    for (size_t i = 0; i < n; i++) {
        int e = list ? sr_ydoc_item(L->d, node, i) : node;
        x->src_nodes[i] = e;
        if (sr_sl_state(L, e, &x->src[i]) != 0)
            return -1;
        if (L->state_mark[x->src[i]] == gen)
            return sr_ydoc_fail(L->d, e, "names a state twice in one from-list");
        L->state_mark[x->src[i]] = gen;
    }
    x->n_src = n;
    return 0;
}

/* `to`: a state other than each source, and no source absorbing. */
static int read_target(sr_sload *L, const sr_key *row, int node, void *target)
{
    trans_item *x = target;
    const sr_model *m = L->m;
    if (!node)
        return 0;
    if (sr_sl_state(L, node, &x->t.to) != 0)
        return -1;
    for (size_t s = 0; s < x->n_src; s++) {
        if (x->src[s] == x->t.to)
            return sr_ydoc_fail(L->d, node, "must differ from the state it leaves (%s)",
                                m->states[x->t.to].name);
        if (m->states[x->src[s]].absorbing)
            return sr_ydoc_fail(L->d, x->src_nodes[s], "is absorbing: nobody leaves it");
    }
    return 0;
}

static const sr_key multiplier_step_keys[] = {
    {"[0]", SR_KIND_INTEGER, "the tenure from which the multiplier applies (below the first "
     "step: 1)", "months", "12", .lo = 0, .hi = SR_MAX_TENURE,
     .required = true},
    {"[1]", SR_KIND_NUMBER, "the hazard multiplier", NULL, "0.8", .range = &SR_RANGE_NONNEG,
     .required = true},
};

static const sr_table multiplier_step = {
    .path = "transitions[].by_tenure[]", .meaning = "A step of a hazard's tenure multiplier: "
    "[tenure from, multiplier], at most the tenure_max of every source state.",
    SR_TABLE_KEYS(multiplier_step_keys), .tuple = true};

static int read_multiplier_steps(sr_sload *L, const sr_key *row, int node, void *target)
{
    trans_item *x = target;
    if (!node)
        return 0;
    return read_tenure_steps(L, node, row->sub, x->src, x->n_src, &x->tenure_from,
                             &x->n_steps, (void **)&x->mult, sizeof *x->mult);
}

static const char *const macro_senses[] = {"none", "pro", "counter", NULL};

static const sr_key transition_keys[] = {
    {"from", SR_KIND_STATES, "the state left, or a list of states each left the same way "
     "(one transition per state, sharing every number and its draw)", NULL,
     "[outside, education]", .type = "state, or list of states", .required = true,
     .read = read_sources},
    {"to", SR_KIND_STATE, "the state entered", NULL, "employed", .required = true,
     .read = read_target},
    {"hazard", SR_KIND_NUMBER, "the monthly hazard; a person leaves a state with hazards "
     "h1..hk with probability 1 - exp(-(h1 + ... + hk)) a month", "per month", "0.01",
     .range = &SR_RANGE_NONNEG, SR_AT(trans_item, t.rate)},
    {"probability", SR_KIND_NUMBER, "the monthly probability instead of a hazard, converted "
     "exactly; a state's transitions all give one form, and the probabilities out of it sum "
     "below 1 at their means and to at most 1 at their distributions' upper ends",
     "per month", "0.02", .range = &SR_RANGE_PROB,
     SR_AT(trans_item, t.rate), SR_GIVEN(trans_item, t.is_probability)},
    {"macro", SR_KIND_CHOICE, "how the macro model acts on it: pro (job finding, better in "
     "booms), counter (job loss, worse in recessions) or none", NULL, "pro",
     .choices = macro_senses, .def_value = SR_MACRO_NONE, SR_AT(trans_item, t.macro)},
    {"by_tenure", SR_KIND_LIST, "multiplies the hazard by tenure in the state left, piecewise "
     "constant", NULL, "[[0, 1.0], [12, 0.8]]", .type = "list of [tenure, multiplier]",
     .sub = &multiplier_step, .read = read_multiplier_steps},
    {"cashflow", SR_KIND_FLOW, "a one-off flow per person making the transition, at the end "
     "of its month (a result grant, say)", "DKK per person", "{municipality: -20000}",
     .sub = &sr_flow_table, SR_AT(trans_item, t.cash), SR_GIVEN(trans_item, t.has_cash)},
};

static const sr_choice rate_form = {
    (const char *const[]){"hazard", NULL}, (const char *const[]){"probability", NULL},
    "give either hazard or probability, not both", "is required (or probability)"};

const sr_table sr_transition_table = {
    .path = "transitions[]", .meaning = "A monthly move from one state to another: the "
    "transitions out of a state compete.", SR_TABLE_KEYS(transition_keys),
    .choice = &rate_form};

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Per expanded transition, the nodes its errors point at. */
typedef struct {
    int from_node;             /* the source's name in `from` */
    int rate_node;             /* hazard or probability */
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

/* transitions: each entry expanded into one transition per source state, all sharing
 * its number-table entries; then no pair from -> to twice and one form out of a state. */
int sr_sl_transitions(sr_sload *L, const sr_key *row, int tl, void *target)
{
    sr_model *m = L->m;
    if (tl && sr_sl_seq(L, tl) != 0)
        return -1;
    size_t n = tl ? sr_ydoc_len(L->d, tl) : 0;
    /* Count the expanded transitions first: one per source state. */
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, tl, i);
        if (sr_sl_keys(L, e, &sr_transition_table) != 0)
            return -1;
        int from = sr_sl_req(L, e, "from");
        if (from < 0)
            return -1;
        total += sr_ydoc_is_seq(L->d, from) ? sr_ydoc_len(L->d, from) : 1;
    }
    m->transitions = calloc(total ? total : 1, sizeof *m->transitions);
    L->trans_keys = calloc(total ? total : 1, sizeof *L->trans_keys);
    trans_nodes *tn = calloc(total ? total : 1, sizeof *tn);
    trans_item x = {0};
    int rc = -1;
    if (!m->transitions || !L->trans_keys || !tn) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, tl, i);
        trans_item_clear(&x);
        x = (trans_item){.t.source_index = i};
        if (sr_schema_read(L, e, &sr_transition_table, &x) != 0)
            goto out;
        L->copied_steps += x.n_src * x.n_steps;
        if (L->copied_steps > SR_MAX_COPIED_STEPS) {
            sr_ydoc_fail(L->d, sr_sl_opt(L, e, "by_tenure"), "makes the model too large: more than "
                         "%u tenure steps over all transitions", SR_MAX_COPIED_STEPS);
            goto out;
        }
        int rate_node = sr_sl_opt(L, e, x.t.is_probability ? "probability" : "hazard");
        for (size_t s = 0; s < x.n_src; s++) {
            sr_transition *t = &m->transitions[m->n_transitions];
            size_t k = x.n_steps;
            *t = x.t;
            t->from = x.src[s];
            t->n_by_tenure = k;
            t->tenure_from = malloc((k ? k : 1) * sizeof *t->tenure_from);
            t->tenure_mult = malloc((k ? k : 1) * sizeof *t->tenure_mult);
            if (!t->tenure_from || !t->tenure_mult) {
                free(t->tenure_from);
                free(t->tenure_mult);
                t->tenure_from = NULL;
                t->tenure_mult = NULL;
                sr_sl_oom(L);
                goto out;
            }
            if (k) {
                memcpy(t->tenure_from, x.tenure_from, k * sizeof *x.tenure_from);
                memcpy(t->tenure_mult, x.mult, k * sizeof *x.mult);
            }
            tn[m->n_transitions] = (trans_nodes){x.src_nodes[s], rate_node};
            L->trans_keys[m->n_transitions] =
                (((uint64_t)t->from * m->n_states + t->to) << 20) | m->n_transitions;
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
    trans_item_clear(&x);
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

static int read_flow_steps(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_cashspec *c = target;
    if (!node)
        return 0;
    return read_tenure_steps(L, node, row->sub, &L->cash_state, 1, &c->tenure_from,
                             &c->n_by_tenure, (void **)&c->by_tenure, sizeof *c->by_tenure);
}

static int read_dated(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_cashspec *c = target;
    if (!node)
        return 0;
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
        if (sr_schema_read_value(L, &row->sub->keys[1], sr_ydoc_item(L->d, e, 1), &c->dated[i]))
            return -1;
        c->n_dated = i + 1;
    }
    return 0;
}

static const sr_key flow_step_keys[] = {
    {"[0]", SR_KIND_INTEGER, "the tenure from which the flow applies", "months", "12",
     .lo = 0, .hi = SR_MAX_TENURE, .required = true},
    {"[1]", SR_KIND_FLOW, "the flow from that tenure on (a payer not given: 0)",
     "DKK per person-month", "{municipality: 4000}", .sub = &sr_flow_table, .required = true},
};

static const sr_table flow_step = {
    .path = "cashflows.<state>.by_tenure[]", .meaning = "A step of a state's cash flow by "
    "tenure: [tenure from, flow], at most the state's tenure_max.",
    SR_TABLE_KEYS(flow_step_keys), .tuple = true};

static const sr_key dated_keys[] = {
    {"[0]", SR_KIND_MONTH, "the month from which the flow applies, to every tenure (may "
     "precede simulation.start); entries strictly increasing", NULL, "2028-01",
     .required = true},
    {"[1]", SR_KIND_FLOW, "the flow from that month on (a payer not given: 0)",
     "DKK per person-month", "{state: 2600}", .sub = &sr_flow_table, .required = true},
};

static const sr_table dated = {
    .path = "cashflows.<state>.from[]", .meaning = "A dated change of a state's cash flow "
    "(a benefit reform): [YYYY-MM, flow]; the last entry at or before a month applies, "
    "before any tenure step.", SR_TABLE_KEYS(dated_keys), .tuple = true};

static const sr_key cashspec_keys[] = {
    {"municipality", SR_KIND_NUMBER, "the municipality's net expenditure on a person in the "
     "state (benefits +, taxes -)", "DKK per person-month", "9000", .range = &SR_RANGE_ANY,
     SR_DEFAULT(0), SR_AT(sr_cashspec, base.amount[SR_MUNICIPALITY])},
    {"state", SR_KIND_NUMBER, "the state's (the national government's) net expenditure",
     "DKK per person-month", "2500", .range = &SR_RANGE_ANY, SR_DEFAULT(0),
     SR_AT(sr_cashspec, base.amount[SR_STATE])},
    {"by_tenure", SR_KIND_LIST, "the flow by tenure in the state, replacing the one above "
     "from each step's tenure", NULL, "[[12, {municipality: 4000}]]",
     .type = "list of [tenure, flow]", .sub = &flow_step, .read = read_flow_steps},
    {"from", SR_KIND_LIST, "the flow from a calendar month on, for every tenure", NULL,
     "[[2028-01, {state: 2600}]]", .type = "list of [YYYY-MM, flow]", .sub = &dated,
     .read = read_dated},
};

static const sr_table cashspec_table = {
    .path = "cashflows.<state>", .meaning = "The cash flow of one state: what a person in it "
    "costs each payer a month (positive: expenditure such as benefits; negative: revenue "
    "such as taxes on earnings).", SR_TABLE_KEYS(cashspec_keys)};

static const sr_key cash_entry_keys[] = {
    {"<state>", SR_KIND_MAPPING, "the cash flow of the state named by the key", NULL,
     "outside: {municipality: 9000, state: 2500}", .sub = &cashspec_table},
};

const sr_table sr_cashflows_table = {
    .path = "cashflows", .meaning = "A mapping of state names to cash flows; a state not "
    "named costs 0.", SR_TABLE_KEYS(cash_entry_keys)};

/* Reads a mapping state -> cashspec into specs[n_states] (replacing what is there). */
static int read_cash_map(sr_sload *L, int node, sr_cashspec *specs)
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
        L->cash_state = s;
        if (sr_schema_read(L, v, &cashspec_table, &specs[s]) != 0)
            return -1;
    }
    return 0;
}

/* cashflows: the top level's, copied to every stratum, where a stratum's own cashflows
 * replace a state's whole flow (node 0: none at the top level). */
int sr_sl_cash(sr_sload *L, const sr_key *row, int cn, void *target)
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
    if (cn && read_cash_map(L, cn, top) != 0)
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
        int sc = L->stratum_nodes[k] ? sr_sl_opt(L, L->stratum_nodes[k], "cashflows") : 0;
        if (sc && read_cash_map(L, sc, &m->cash[k * ns]) != 0)
            goto out;
    }
    rc = 0;
out:
    for (size_t s = 0; top && s < ns; s++)
        cashspec_clear(&top[s]);
    free(top);
    return rc;
}

/* ---- strata ---------------------------------------------------------------------------- */

static const sr_key multiply_entry_keys[] = {
    {"<from->to>", SR_KIND_NUMBER, "the stratum's multiplier of the hazard of the transition "
     "named by the key (spaces around -> allowed)", NULL, "outside->employed: 0.7",
     .range = &SR_RANGE_NONNEG},
};

static const sr_table multiply_entry = {
    .path = "strata[].multiply", .meaning = "A mapping of transitions from->to to hazard "
    "multipliers; a transition not named: 1.", SR_TABLE_KEYS(multiply_entry_keys)};

static int read_multiply(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_stratum *st = target;
    if (!node)
        return 0;
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
            || sr_schema_read_value(L, &row->sub->keys[0], v, &st->multiply[j]) != 0) {
            free(seen);
            return -1;
        }
        seen[j] = true;
    }
    free(seen);
    return 0;
}

/* A stratum's cashflows are read with the top level's (read_cash), which they replace. */
static int read_later(sr_sload *L, const sr_key *row, int node, void *target)
{
    return 0;
}

static const sr_key stratum_keys[] = {
    {"name", SR_KIND_NAME, "the stratum's name", NULL, "on_benefits", .required = true,
     SR_AT(sr_stratum, name)},
    {"share", SR_KIND_FIXED, "its share of every cohort and control group (strata sizes by "
     "largest remainder); the shares sum to 1 within 1e-9", NULL, "0.3",
     .range = &SR_RANGE_SHARE, .required = true, SR_AT(sr_stratum, share)},
    {"multiply", SR_KIND_NAMED, "multiplies transitions' hazards for the stratum", NULL,
     "{outside->employed: 0.7}", .sub = &multiply_entry, .def = "1 for every transition",
     .read = read_multiply},
    {"cashflows", SR_KIND_NAMED, "replaces the whole cash flow of the states it names for the "
     "stratum (as cashflows)", NULL, "{outside: {municipality: 9000, state: 2500}}",
     .sub = &sr_cashflows_table, .def = "the top level's", .read = read_later},
    {"effect_multiplier", SR_KIND_NUMBER, "scales the intervention's hazard ratio HR for the "
     "stratum: 1 + (HR - 1) x", NULL, "0.5", .range = &SR_RANGE_NONNEG, SR_DEFAULT(1),
     SR_AT(sr_stratum, effect_multiplier)},
};

const sr_table sr_stratum_table = {
    .path = "strata[]", .meaning = "A group of the target population: its share of each "
    "cohort, its hazards and its cash flows.", SR_TABLE_KEYS(stratum_keys)};

static int check_size(sr_sload *L, int node, double cells, double limit, const char *what)
{
    if (cells > limit)
        return sr_ydoc_fail(L->d, node, "makes the model too large: %.0f %s, at most %.0f", cells,
                            what, limit);
    return 0;
}

/* Before a stratum is read: every multiplier 1. */
static int prepare_stratum(sr_sload *L, void *item, size_t i)
{
    sr_stratum *st = item;
    size_t nt = L->m->n_transitions;
    st->multiply = malloc((nt ? nt : 1) * sizeof *st->multiply);
    if (!st->multiply)
        return sr_sl_oom(L);
    for (size_t j = 0; j < nt; j++)
        st->multiply[j] = L->one;
    return 0;
}

/* strata: each stratum's node kept for its cash flows (node 0: one stratum, "all"). */
int sr_sl_strata(sr_sload *L, const sr_key *row, int sl, void *target)
{
    sr_model *m = L->m;
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
    L->stratum_nodes = calloc(n, sizeof *L->stratum_nodes);
    if (!m->strata || !L->stratum_nodes)
        return sr_sl_oom(L);
    if (!sl) {
        sr_stratum *st = &m->strata[0];
        m->n_strata = 1;
        st->share = 1.0;
        st->effect_multiplier = L->one;
        if (prepare_stratum(L, st, 0) != 0 || !(st->name = strdup("all")))
            return sr_sl_oom(L);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        L->stratum_nodes[i] = sr_ydoc_item(L->d, sl, i);
    if (sr_sl_named_list(L, sl, &sr_stratum_table, m->strata, sizeof *m->strata,
                         offsetof(sr_stratum, name), &m->n_strata, "stratum", NULL,
                         prepare_stratum) != 0)
        return -1;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += m->strata[i].share;
    if (!(fabs(sum - 1.0) <= 1e-9)) {
        char got[64];
        snprintf(got, sizeof got, "a sum of %.12g", sum);
        return sr_ydoc_fail_got(L->d, sl, got, "the shares must sum to 1 (within 1e-9)");
    }
    return 0;
}

/* ---- macro ----------------------------------------------------------------------------- */

static const sr_key switch_keys[] = {
    {"to_recession", SR_KIND_NUMBER, "the probability that a normal month is followed by a "
     "recession", "per month", "0.01", .range = &SR_RANGE_UNIT, .required = true,
     SR_AT(sr_macro, to_recession)},
    {"to_normal", SR_KIND_NUMBER, "the probability that a recession month is followed by a "
     "normal one", "per month", "0.05", .range = &SR_RANGE_UNIT, .required = true,
     SR_AT(sr_macro, to_normal)},
};

static const sr_table switch_table = {
    .path = "macro.switch", .meaning = "The regime chain's monthly switching probabilities.",
    SR_TABLE_KEYS(switch_keys)};

static const sr_key recession_keys[] = {
    {"pro", SR_KIND_NUMBER, "multiplies the hazards of macro: pro transitions in a recession",
     NULL, "0.6", .range = &SR_RANGE_NONNEG, .required = true,
     SR_AT(sr_macro, recession_pro)},
    {"counter", SR_KIND_NUMBER, "multiplies the hazards of macro: counter transitions in a "
     "recession", NULL, "1.5", .range = &SR_RANGE_NONNEG, .required = true,
     SR_AT(sr_macro, recession_counter)},
};

static const sr_table recession_table = {
    .path = "macro.recession", .meaning = "What a recession does to the hazards.",
    SR_TABLE_KEYS(recession_keys)};

static const sr_key macro_keys[] = {
    {"model", SR_KIND_CHOICE, "the macro model: none; regime, a two-state Markov chain of "
     "normal and recession months; gaussian_factor, a persistent standard normal factor "
     "shifting every pro and counter transition's probability", NULL, "regime",
     .choices = SR_MACRO_MODELS, .required = true, .sets = SR_SEL_MACRO_MODEL,
     SR_AT(sr_macro, model)},
    {"switch", SR_KIND_MAPPING, "the regime chain's switching probabilities", NULL,
     "{to_recession: 0.01, to_normal: 0.05}", .sub = &switch_table, .required = true,
     .when = {SR_WHEN(SR_SEL_MACRO_MODEL, SR_MACRO_MODEL_REGIME)}},
    {"recession", SR_KIND_MAPPING, "the recession's hazard multipliers", NULL,
     "{pro: 0.6, counter: 1.5}", .sub = &recession_table, .required = true,
     .when = {SR_WHEN(SR_SEL_MACRO_MODEL, SR_MACRO_MODEL_REGIME)}},
    {"start_in_recession", SR_KIND_BOOL, "the first month is a recession (else the regime is "
     "drawn from the chain's stationary distribution)", NULL, "true", SR_DEFAULT(false),
     .when = {SR_WHEN(SR_SEL_MACRO_MODEL, SR_MACRO_MODEL_REGIME)},
     SR_AT(sr_macro, start_in_recession)},
    {"rho", SR_KIND_NUMBER, "the factor's weight: the correlation of the latent normals of "
     "two persons' moves in one month", NULL, "0.2", .range = &SR_RANGE_PROB, .required = true,
     .when = {SR_WHEN(SR_SEL_MACRO_MODEL, SR_MACRO_MODEL_GAUSSIAN)}, SR_AT(sr_macro, rho)},
    {"persistence", SR_KIND_NUMBER, "the factor's monthly autocorrelation phi: Z(t) = phi "
     "Z(t-1) + sqrt(1 - phi^2) e(t)", "per month", "0.9", .range = &SR_RANGE_PROB,
     .required = true, .when = {SR_WHEN(SR_SEL_MACRO_MODEL, SR_MACRO_MODEL_GAUSSIAN)},
     SR_AT(sr_macro, persistence)},
};

const sr_table sr_macro_table = {
    .path = "macro", .meaning = "The macro labour market: one path per trial, shared by every "
    "programme, arm and stratum. Keys of a model not selected are checked, then ignored with "
    "a note.", SR_TABLE_KEYS(macro_keys)};
