/* Programmes in a scenario (SPEC 2.4, 2.6, 2.8, 2.9): cohort and intake, intervention,
 * contract, financing. The intake tables are built with the rules of models/intake.h;
 * the decisions where SPEC is silent are listed at the top of scenario.c. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/intake.h"
#include "sim/scenario/scenario_internal.h"

#define SR_MAX_MONTHS_KEY 1200
#define SR_MAX_INTAKE_CELLS (1u << 24)

/* Notes that key (a node) is read but ignored, and why. */
static int note_ignored(sr_sload *L, int node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int note_ignored(sr_sload *L, int node, const char *fmt, ...)
{
    char path[512], why[512];
    sr_ydoc_path(L->d, node, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return sr_sl_note(L, "%s is ignored: %s", path, why);
}

/* ---- intake ---------------------------------------------------------------------------- */

/* How a programme enrols: a window of months, or counts per calendar year. Month indices
 * count from simulation.start. */
typedef struct {
    bool per_year;
    long start;                /* window: first month */
    unsigned months;           /* window: length */
    size_t n_years;
    long *january;             /* per_year: month index of each year's January */
    unsigned *count;           /* per_year: persons enrolled that year (cohort) */
    unsigned total;            /* cohort size */
} intake_plan;

static void plan_clear(intake_plan *p)
{
    free(p->january);
    free(p->count);
}

static long month_index(const sr_model *m, int year, int month)
{
    return ((long)year * 12 + month - 1) - ((long)m->start_year * 12 + m->start_month - 1);
}

static int fail_window(sr_sload *L, int node, long first, long months)
{
    char a[16], b[16], s[16], e[16];
    sr_sl_month_text(L->m, first, a, sizeof a);
    sr_sl_month_text(L->m, first + months - 1, b, sizeof b);
    sr_sl_month_text(L->m, 0, s, sizeof s);
    sr_sl_month_text(L->m, (long)L->m->n_months - 1, e, sizeof e);
    return sr_ydoc_fail(L->d, node, "enrols in %s .. %s, which must lie within the simulation "
                        "%s .. %s", a, b, s, e);
}

static int load_plan(sr_sload *L, int node, unsigned size, intake_plan *p)
{
    static const char *const keys[] = {"start", "months", "per_year", NULL};
    memset(p, 0, sizeof *p);
    p->total = size;
    if (sr_sl_map(L, node, keys) != 0)
        return -1;
    int start = sr_sl_opt(L, node, "start"), months = sr_sl_opt(L, node, "months");
    int per_year = sr_sl_opt(L, node, "per_year");
    if (per_year && (start || months))
        return sr_ydoc_fail(L->d, per_year, "give either start and months, or per_year");
    if (!per_year) {
        int y, mo;
        if (!start)
            return sr_ydoc_fail_missing(L->d, node, "start", "is required (with months), or give "
                                        "per_year");
        if (!months)
            return sr_ydoc_fail_missing(L->d, node, "months", "is required with start");
        if (sr_sl_month(L, start, &y, &mo) != 0
            || sr_sl_uint(L, months, 1, SR_MAX_MONTHS_KEY, &p->months) != 0)
            return -1;
        p->start = month_index(L->m, y, mo);
        if (p->start < 0 || p->start + (long)p->months > (long)L->m->n_months)
            return fail_window(L, p->start < 0 ? start : months, p->start, p->months);
        return 0;
    }
    if (!sr_ydoc_is_map(L->d, per_year))
        return sr_ydoc_fail(L->d, per_year, "must be a mapping of years to persons enrolled");
    p->per_year = true;
    p->n_years = sr_ydoc_len(L->d, per_year);
    p->january = calloc(p->n_years ? p->n_years : 1, sizeof *p->january);
    p->count = calloc(p->n_years ? p->n_years : 1, sizeof *p->count);
    if (!p->january || !p->count)
        return sr_sl_oom(L);
    unsigned long long sum = 0;
    for (size_t i = 0; i < p->n_years; i++) {
        int k, v;
        sr_ydoc_pair(L->d, per_year, i, &k, &v);
        const char *ys = sr_ydoc_text(L->d, k);
        size_t digits = strspn(ys, "0123456789");
        if (digits == 0 || digits > 4 || ys[digits] != '\0' || atoi(ys) < 1)
            return sr_ydoc_fail(L->d, k, "must be a calendar year such as 2027");
        if (sr_sl_uint(L, v, 0, UINT32_MAX, &p->count[i]) != 0)
            return -1;
        p->january[i] = month_index(L->m, atoi(ys), 1);
        if (p->count[i] > 0 && (p->january[i] < 0 || p->january[i] + 12 > (long)L->m->n_months))
            return fail_window(L, k, p->january[i], 12);
        sum += p->count[i];
    }
    if (sum != size) {
        char got[64];
        snprintf(got, sizeof got, "a sum of %llu", sum);
        return sr_ydoc_fail_got(L->d, per_year, got, "the yearly counts must sum to cohort.size "
                                "(%u)", size);
    }
    return 0;
}

/* Fills out[n_strata * n_months] with total persons enrolled by plan (scaled to total when
 * it is not the cohort's size, as for a control group). */
static int fill_intake(sr_sload *L, const intake_plan *p, unsigned total, unsigned *out)
{
    const sr_model *m = L->m;
    size_t ns = m->n_strata, nm = m->n_months;
    double *share = calloc(ns, sizeof *share);
    unsigned *per_stratum = malloc(ns * sizeof *per_stratum);
    unsigned *spread = malloc(12 * sizeof *spread + (p->per_year ? 0 : p->months * sizeof *spread));
    size_t wk = ns > p->n_years ? ns : p->n_years;
    uint64_t *work = malloc((wk ? wk : 1) * sizeof *work);
    double *yw = malloc((p->n_years ? p->n_years : 1) * sizeof *yw);
    unsigned *ycount = malloc((p->n_years ? p->n_years : 1) * sizeof *ycount);
    int rc = -1;
    if (!share || !per_stratum || !spread || !work || !yw || !ycount) {
        sr_sl_oom(L);
        goto out;
    }
    memset(out, 0, ns * nm * sizeof *out);
    for (size_t s = 0; s < ns; s++)
        share[s] = m->strata[s].share;
    if (!p->per_year) {
        sr_intake_split(total, share, ns, work, per_stratum);
        for (size_t s = 0; s < ns; s++) {
            sr_intake_spread(per_stratum[s], p->months, spread);
            for (size_t j = 0; j < p->months; j++)
                out[s * nm + (size_t)p->start + j] = spread[j];
        }
        rc = 0;
        goto out;
    }
    if (total == p->total) {
        memcpy(ycount, p->count, p->n_years * sizeof *ycount);
    } else {
        for (size_t y = 0; y < p->n_years; y++)
            yw[y] = p->count[y];
        sr_intake_split(total, yw, p->n_years, work, ycount);
    }
    for (size_t y = 0; y < p->n_years; y++) {
        if (ycount[y] == 0)
            continue;
        sr_intake_split(ycount[y], share, ns, work, per_stratum);
        for (size_t s = 0; s < ns; s++) {
            sr_intake_spread(per_stratum[s], 12, spread);
            for (size_t j = 0; j < 12; j++)
                out[s * nm + (size_t)p->january[y] + j] += spread[j];
        }
    }
    rc = 0;
out:
    free(share);
    free(per_stratum);
    free(spread);
    free(work);
    free(yw);
    free(ycount);
    return rc;
}

static int load_cohort(sr_sload *L, int node, sr_programme *p, intake_plan *plan)
{
    static const char *const keys[] = {"size", "intake", "initial_state", "initial_tenure", NULL};
    sr_model *m = L->m;
    int v;
    if (sr_sl_map(L, node, keys) != 0)
        return -1;
    if ((v = sr_sl_req(L, node, "size")) < 0 || sr_sl_uint(L, v, 1, UINT32_MAX, &p->size) != 0)
        return -1;
    if ((v = sr_sl_req(L, node, "initial_state")) < 0 || sr_sl_state(L, v, &p->initial_state) != 0)
        return -1;
    const sr_state *s0 = &m->states[p->initial_state];
    if (s0->absorbing)
        return sr_ydoc_fail(L->d, v, "is absorbing: an enrolee would never move");
    if ((v = sr_sl_opt(L, node, "initial_tenure"))) {
        if (sr_sl_uint(L, v, 0, 600, &p->initial_tenure) != 0)
            return -1;
        if (p->initial_tenure > s0->tenure_max) {
            char path[512];
            sr_ydoc_path(L->d, v, path, sizeof path);
            if (sr_sl_note(L, "%s %u is capped at the tenure_max (%u) of state %s", path,
                           p->initial_tenure, s0->tenure_max, s0->name) != 0)
                return -1;
        }
    }
    if ((v = sr_sl_req(L, node, "intake")) < 0 || load_plan(L, v, p->size, plan) != 0)
        return -1;
    p->intake = malloc(m->n_strata * m->n_months * sizeof *p->intake);
    if (!p->intake)
        return sr_sl_oom(L);
    return fill_intake(L, plan, p->size, p->intake);
}

/* The first month in which anyone enrols. */
static long first_intake_month(const sr_model *m, const unsigned *intake)
{
    long first = -1;
    for (size_t s = 0; s < m->n_strata; s++)
        for (size_t t = 0; t < m->n_months; t++)
            if (intake[s * m->n_months + t] && (first < 0 || (long)t < first)) {
                first = (long)t;
                break;
            }
    return first;
}

/* ---- intervention ----------------------------------------------------------------------- */

static int load_effect(sr_sload *L, int node, sr_programme *p)
{
    static const char *const keys[] = {"transitions", "hazard_ratio", "months", "fade_months",
                                       "scale", NULL};
    static const char *const k_scale[] = {"reference_size", "elasticity", NULL};
    int v;
    if (sr_sl_map(L, node, keys) != 0 || (v = sr_sl_req(L, node, "transitions")) < 0
        || sr_sl_seq(L, v) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, v);
    if (n == 0)
        return sr_ydoc_fail(L->d, v, "must name at least one transition from->to");
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, v, i);
        size_t j;
        if (sr_sl_transition(L, e, &j) != 0)
            return -1;
        if (p->effect_on[j])
            return sr_ydoc_fail(L->d, e, "names the same transition twice");
        p->effect_on[j] = true;
    }
    if (sr_sl_num_req(L, node, "hazard_ratio", &SR_RANGE_NONNEG, &p->hazard_ratio) != 0)
        return -1;
    if ((v = sr_sl_req(L, node, "months")) < 0
        || sr_sl_uint(L, v, 1, SR_MAX_MONTHS_KEY, &p->effect_months) != 0)
        return -1;
    if ((v = sr_sl_opt(L, node, "fade_months"))
        && sr_sl_uint(L, v, 0, SR_MAX_MONTHS_KEY, &p->fade_months) != 0)
        return -1;
    if ((v = sr_sl_opt(L, node, "scale"))) {
        if (sr_sl_map(L, v, k_scale) != 0
            || sr_sl_num_req(L, v, "reference_size", &SR_RANGE_POS, &p->scale_reference_size)
            || sr_sl_num_req(L, v, "elasticity", &SR_RANGE_ELASTICITY, &p->scale_elasticity))
            return -1;
        p->has_scale = true;
    }
    return 0;
}

static int load_costs(sr_sload *L, int node, sr_programme *p)
{
    static const char *const keys[] = {"fixed_per_year", "per_participant",
                                       "per_participant_month", "while_in", NULL};
    if (sr_sl_map(L, node, keys) != 0
        || sr_sl_num_opt(L, node, "fixed_per_year", &SR_RANGE_NONNEG, &p->cost_fixed_per_year)
        || sr_sl_num_opt(L, node, "per_participant", &SR_RANGE_NONNEG, &p->cost_per_participant)
        || sr_sl_num_opt(L, node, "per_participant_month", &SR_RANGE_NONNEG,
                         &p->cost_per_participant_month))
        return -1;
    int v = sr_sl_opt(L, node, "while_in");
    if (!v)
        return 0;
    if (sr_sl_seq(L, v) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, v);
    if (n == 0)
        return sr_ydoc_fail(L->d, v, "must name at least one state (or leave while_in out)");
    for (size_t s = 0; s < L->m->n_states; s++)
        p->while_in[s] = false;
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, v, i);
        size_t s;
        if (sr_sl_state(L, e, &s) != 0)
            return -1;
        if (p->while_in[s])
            return sr_ydoc_fail(L->d, e, "names the same state twice");
        p->while_in[s] = true;
    }
    return 0;
}

static int load_intervention(sr_sload *L, int node, sr_programme *p)
{
    static const char *const keys[] = {"effect", "costs", NULL};
    int v;
    if (sr_sl_map(L, node, keys) != 0 || (v = sr_sl_req(L, node, "effect")) < 0
        || load_effect(L, v, p) != 0)
        return -1;
    if ((v = sr_sl_opt(L, node, "costs")) && load_costs(L, v, p) != 0)
        return -1;
    p->has_intervention = true;
    return 0;
}

const char *const SR_CONTRACT_TYPES[] = {"rate_card", "savings_share", NULL};
const char *const SR_BASELINE_METHODS[] = {"none", "historical", "control_group", NULL};

/* ---- contract ---------------------------------------------------------------------------- */

static int load_outcomes(sr_sload *L, int node, sr_contract *c, sr_names *names)
{
    static const char *const keys[] = {"name", "state", "tenure", "price", NULL};
    const sr_model *m = L->m;
    if (sr_sl_seq(L, node) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, node);
    c->outcomes = calloc(n ? n : 1, sizeof *c->outcomes);
    const char **list = calloc(n ? n : 1, sizeof *list);
    int *name_nodes = calloc(n ? n : 1, sizeof *name_nodes);
    int rc = -1;
    if (!c->outcomes || !list || !name_nodes) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, node, i), v;
        sr_outcome *o = &c->outcomes[i];
        const char *name;
        if (sr_sl_named_item(L, e, keys, &name, &v) != 0)
            goto out;
        name_nodes[i] = v;
        if (!(o->name = strdup(name))) {
            sr_sl_oom(L);
            goto out;
        }
        c->n_outcomes = i + 1;
        list[i] = o->name;
        o->historical_rate = L->zero;
        if ((v = sr_sl_req(L, e, "state")) < 0 || sr_sl_state(L, v, &o->state) != 0)
            goto out;
        if ((v = sr_sl_req(L, e, "tenure")) < 0 || sr_sl_uint(L, v, 0, 600, &o->tenure) != 0)
            goto out;
        if (o->tenure > m->states[o->state].tenure_max) {
            sr_ydoc_fail(L->d, v, "is above the tenure_max (%u) of state %s",
                         m->states[o->state].tenure_max, m->states[o->state].name);
            goto out;
        }
        if (sr_sl_num_req(L, e, "price", &SR_RANGE_ANY, &o->price) != 0)
            goto out;
    }
    size_t first, again;
    if (sr_names_build(names, list, n, &first, &again) != 0) {
        sr_sl_oom(L);
        goto out;
    }
    if (again < n) {
        sr_sl_fail_duplicate(L, name_nodes[first], name_nodes[again], "outcome");
        goto out;
    }
    rc = 0;
out:
    free(list);
    free(name_nodes);
    return rc;
}

static int load_rates(sr_sload *L, int node, sr_contract *c, const sr_names *names, bool required)
{
    if (!sr_ydoc_is_map(L->d, node))
        return sr_ydoc_fail(L->d, node, "must be a mapping of outcome names to achievements per "
                                        "enrolled person");
    size_t n = sr_ydoc_len(L->d, node);
    bool *seen = calloc(c->n_outcomes ? c->n_outcomes : 1, sizeof *seen);
    if (!seen)
        return sr_sl_oom(L);
    int rc = -1;
    for (size_t i = 0; i < n; i++) {
        int k, v;
        sr_ydoc_pair(L->d, node, i, &k, &v);
        long o = sr_names_find(names, sr_ydoc_text(L->d, k));
        if (o < 0) {
            sr_ydoc_fail(L->d, k, "undefined outcome (see contract.outcomes)");
            goto out;
        }
        seen[o] = true;
        if (sr_sl_num(L, v, &SR_RANGE_UNIT, &c->outcomes[o].historical_rate) != 0)
            goto out;
    }
    for (size_t o = 0; required && o < c->n_outcomes; o++) {
        if (!seen[o]) {
            sr_ydoc_fail_missing(L->d, node, c->outcomes[o].name, "is required: baseline "
                                 "historical needs a rate for every outcome");
            goto out;
        }
    }
    rc = 0;
out:
    free(seen);
    return rc;
}

static int load_baseline(sr_sload *L, int node, sr_contract *c, const sr_names *outcome_names)
{
    static const char *const keys[] = {"method", "size", "rates", "expenditure_per_person_month",
                                       NULL};
    const char *const *methods = SR_BASELINE_METHODS;
    int v, method;
    if (sr_sl_map(L, node, keys) != 0 || (v = sr_sl_req(L, node, "method")) < 0
        || sr_sl_enum(L, v, methods, &method) != 0)
        return -1;
    c->baseline = (sr_baseline_method)method;
    bool control = method == SR_BASELINE_CONTROL, historical = method == SR_BASELINE_HISTORICAL;
    bool rate_card = c->type == SR_CONTRACT_RATE_CARD;
    int size = sr_sl_opt(L, node, "size");
    if (control && !size)
        return sr_ydoc_fail_missing(L->d, node, "size", "is required for baseline control_group");
    if (size && (sr_sl_uint(L, size, 1, UINT32_MAX, &c->control_size) != 0
                 || (!control && note_ignored(L, size, "baseline.method is %s", methods[method]))))
        return -1;
    if (!control)
        c->control_size = 0;
    int rates = sr_sl_opt(L, node, "rates");
    bool rates_needed = historical && rate_card;
    if (rates_needed && !rates)
        return sr_ydoc_fail_missing(L->d, node, "rates", "is required for a rate_card contract "
                                    "with baseline historical");
    if (rates && (load_rates(L, rates, c, outcome_names, rates_needed) != 0
                  || (!rates_needed
                      && note_ignored(L, rates, historical ? "the contract type is savings_share"
                                                           : "baseline.method is %s",
                                      methods[method]))))
        return -1;
    if (!rates_needed)
        for (size_t o = 0; o < c->n_outcomes; o++)
            c->outcomes[o].historical_rate = L->zero;
    int exp = sr_sl_opt(L, node, "expenditure_per_person_month");
    bool exp_needed = historical && !rate_card;
    c->historical_expenditure.amount[SR_MUNICIPALITY] = L->zero;
    c->historical_expenditure.amount[SR_STATE] = L->zero;
    if (exp_needed && !exp)
        return sr_ydoc_fail_missing(L->d, node, "expenditure_per_person_month", "is required for a "
                                    "savings_share contract with baseline historical");
    if (exp) {
        sr_flow f;
        if (sr_sl_flow(L, exp, &f) != 0)
            return -1;
        if (exp_needed)
            c->historical_expenditure = f;
        else if (note_ignored(L, exp, historical ? "the contract type is rate_card"
                                                 : "baseline.method is %s", methods[method]))
            return -1;
    }
    return 0;
}

static int load_contract(sr_sload *L, int node, sr_programme *p, long first_month)
{
    static const char *const keys[] = {"payer", "type", "share", "outcomes", "baseline",
                                       "term_years", "cap_total", "annual_frame", "frame_overflow",
                                       "lag_months", "termination", NULL};
    static const char *const payers[] = {"municipality", "state", NULL};
    const char *const *types = SR_CONTRACT_TYPES;
    static const char *const overflows[] = {"deferred", "forfeited", NULL};
    static const char *const k_term[] = {"hazard_per_year", "shared", NULL};
    sr_model *m = L->m;
    sr_contract *c = &p->contract;
    sr_names outcome_names = {0};
    int v, payer, type, rc = -1;
    c->share = c->cap_total = c->annual_frame = c->termination_hazard_per_year = L->zero;
    c->historical_expenditure.amount[SR_MUNICIPALITY] = L->zero;
    c->historical_expenditure.amount[SR_STATE] = L->zero;
    if (sr_sl_map(L, node, keys) != 0 || (v = sr_sl_req(L, node, "payer")) < 0
        || sr_sl_enum(L, v, payers, &payer) != 0 || (v = sr_sl_req(L, node, "type")) < 0
        || sr_sl_enum(L, v, types, &type) != 0)
        goto out;
    c->payer = payer == 0 ? SR_MUNICIPALITY : SR_STATE;
    c->type = type == 0 ? SR_CONTRACT_RATE_CARD : SR_CONTRACT_SAVINGS_SHARE;
    bool rate_card = c->type == SR_CONTRACT_RATE_CARD;

    int share = sr_sl_opt(L, node, "share");
    if (!rate_card && !share) {
        sr_ydoc_fail_missing(L->d, node, "share", "is required for a savings_share contract");
        goto out;
    }
    if (share && (sr_sl_num(L, share, &SR_RANGE_UNIT, &c->share) != 0
                  || (rate_card && note_ignored(L, share, "the contract type is rate_card"))))
        goto out;
    if (rate_card)
        c->share = L->zero;

    int outcomes = sr_sl_opt(L, node, "outcomes");
    if (rate_card && (!outcomes || (sr_ydoc_is_seq(L->d, outcomes)
                                    && sr_ydoc_len(L->d, outcomes) == 0))) {
        if (outcomes)
            sr_ydoc_fail(L->d, outcomes, "must list at least one outcome for a rate_card contract");
        else
            sr_ydoc_fail_missing(L->d, node, "outcomes", "is required for a rate_card contract");
        goto out;
    }
    if (outcomes && (load_outcomes(L, outcomes, c, &outcome_names) != 0
                     || (!rate_card && note_ignored(L, outcomes, "the contract type is "
                                                                 "savings_share"))))
        goto out;

    c->baseline = SR_BASELINE_NONE;
    if ((v = sr_sl_opt(L, node, "baseline")) && load_baseline(L, v, c, &outcome_names) != 0)
        goto out;
    if (!rate_card) {
        /* Checked above, not part of a savings-share contract. */
        for (size_t o = 0; o < c->n_outcomes; o++)
            free(c->outcomes[o].name);
        free(c->outcomes);
        c->outcomes = NULL;
        c->n_outcomes = 0;
    }

    unsigned years;
    if ((v = sr_sl_req(L, node, "term_years")) < 0 || sr_sl_uint(L, v, 1, 100, &years) != 0)
        goto out;
    c->term_months = 12 * years;
    if (first_month + (long)c->term_months > (long)m->n_months) {
        char a[16], b[16], e[16];
        sr_sl_month_text(m, first_month, a, sizeof a);
        sr_sl_month_text(m, first_month + (long)c->term_months - 1, b, sizeof b);
        sr_sl_month_text(m, (long)m->n_months - 1, e, sizeof e);
        sr_ydoc_fail(L->d, v, "runs %s .. %s from the first intake month, past the horizon "
                     "(%s)", a, b, e);
        goto out;
    }
    int cap = sr_sl_opt(L, node, "cap_total"), frame = sr_sl_opt(L, node, "annual_frame");
    if (cap && sr_sl_num(L, cap, &SR_RANGE_NONNEG, &c->cap_total) != 0)
        goto out;
    if (frame && sr_sl_num(L, frame, &SR_RANGE_NONNEG, &c->annual_frame) != 0)
        goto out;
    c->has_cap_total = cap != 0;
    c->has_annual_frame = frame != 0;
    int overflow = 0;
    if ((v = sr_sl_opt(L, node, "frame_overflow"))
        && (sr_sl_enum(L, v, overflows, &overflow) != 0
            || (!frame && note_ignored(L, v, "there is no annual_frame"))))
        goto out;
    c->frame_overflow = overflow == 0 ? SR_OVERFLOW_DEFERRED : SR_OVERFLOW_FORFEITED;
    if ((v = sr_sl_opt(L, node, "lag_months"))
        && sr_sl_uint(L, v, 0, SR_MAX_MONTHS_KEY, &c->lag_months) != 0)
        goto out;
    if ((v = sr_sl_opt(L, node, "termination"))) {
        int s;
        if (sr_sl_map(L, v, k_term) != 0
            || sr_sl_num_req(L, v, "hazard_per_year", &SR_RANGE_NONNEG,
                             &c->termination_hazard_per_year) != 0
            || ((s = sr_sl_opt(L, v, "shared")) && sr_sl_bool(L, s, &c->termination_shared)))
            goto out;
        c->has_termination = true;
    }
    rc = 0;
out:
    sr_names_free(&outcome_names);
    return rc;
}

static int load_financing(sr_sload *L, int node, sr_programme *p)
{
    static const char *const keys[] = {"guarantee", "surplus", NULL};
    static const char *const k_guarantee[] = {"first_loss", NULL};
    static const char *const k_surplus[] = {"cap_irr", NULL};
    sr_financing *f = &p->financing;
    int v;
    if (sr_sl_map(L, node, keys) != 0)
        return -1;
    if ((v = sr_sl_opt(L, node, "guarantee"))) {
        if (sr_sl_map(L, v, k_guarantee) != 0
            || sr_sl_num_req(L, v, "first_loss", &SR_RANGE_UNIT, &f->first_loss) != 0)
            return -1;
        f->has_guarantee = true;
    }
    if ((v = sr_sl_opt(L, node, "surplus"))) {
        if (sr_sl_map(L, v, k_surplus) != 0
            || sr_sl_num_req(L, v, "cap_irr", &SR_RANGE_RATE, &f->cap_irr) != 0)
            return -1;
        f->has_surplus_cap = true;
    }
    if (!p->has_contract) {
        if (note_ignored(L, node, "the programme has no contract") != 0)
            return -1;
        f->has_guarantee = f->has_surplus_cap = false;
    }
    return 0;
}

/* ---- programmes -------------------------------------------------------------------------- */

static int load_programme(sr_sload *L, int node, sr_programme *p)
{
    static const char *const keys[] = {"name", "cohort", "intervention", "contract", "financing",
                                       NULL};
    sr_model *m = L->m;
    intake_plan plan = {0};
    int v, rc = -1;
    const char *name;
    if (sr_sl_named_item(L, node, keys, &name, &v) != 0)
        goto out;
    p->name = strdup(name);
    p->effect_on = calloc(m->n_transitions ? m->n_transitions : 1, sizeof *p->effect_on);
    p->while_in = malloc(m->n_states * sizeof *p->while_in);
    if (!p->name || !p->effect_on || !p->while_in) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t s = 0; s < m->n_states; s++)
        p->while_in[s] = true;
    p->hazard_ratio = L->one;
    p->scale_reference_size = L->one;
    p->scale_elasticity = L->zero;
    p->cost_fixed_per_year = p->cost_per_participant = p->cost_per_participant_month = L->zero;
    p->financing.first_loss = L->zero;
    p->financing.cap_irr = L->zero;

    if ((v = sr_sl_req(L, node, "cohort")) < 0 || load_cohort(L, v, p, &plan) != 0)
        goto out;
    if ((v = sr_sl_opt(L, node, "intervention")) && load_intervention(L, v, p) != 0)
        goto out;
    if ((v = sr_sl_opt(L, node, "contract"))) {
        if (load_contract(L, v, p, first_intake_month(m, p->intake)) != 0)
            goto out;
        p->has_contract = true;
        if (p->contract.baseline == SR_BASELINE_CONTROL) {
            p->control_intake = malloc(m->n_strata * m->n_months * sizeof *p->control_intake);
            if (!p->control_intake) {
                sr_sl_oom(L);
                goto out;
            }
            if (fill_intake(L, &plan, p->contract.control_size, p->control_intake) != 0)
                goto out;
        }
    }
    if ((v = sr_sl_opt(L, node, "financing")) && load_financing(L, v, p) != 0)
        goto out;
    rc = 0;
out:
    plan_clear(&plan);
    return rc;
}

int sr_sl_programmes(sr_sload *L, int node)
{
    sr_model *m = L->m;
    if (sr_sl_seq(L, node) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, node);
    if (n == 0)
        return sr_ydoc_fail(L->d, node, "must list at least one programme");
    double cells = (double)n * m->n_strata * m->n_months;
    double flags = (double)n * (m->n_states + m->n_transitions);
    if (cells > SR_MAX_INTAKE_CELLS || flags > SR_MAX_INTAKE_CELLS)
        return sr_ydoc_fail(L->d, node, "makes the model too large: %.0f programme x stratum x "
                            "month intake cells, at most %u", cells > flags ? cells : flags,
                            SR_MAX_INTAKE_CELLS);
    m->programmes = calloc(n, sizeof *m->programmes);
    const char **names = calloc(n, sizeof *names);
    int *name_nodes = calloc(n, sizeof *name_nodes);
    sr_names index = {0};
    int rc = -1;
    if (!m->programmes || !names || !name_nodes) {
        sr_sl_oom(L);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, node, i);
        m->n_programmes = i + 1;
        if (load_programme(L, e, &m->programmes[i]) != 0)
            goto out;
        names[i] = m->programmes[i].name;
        name_nodes[i] = sr_ydoc_get(L->d, e, "name");
    }
    size_t first, again;
    if (sr_names_build(&index, names, n, &first, &again) != 0) {
        sr_sl_oom(L);
        goto out;
    }
    if (again < n) {
        sr_sl_fail_duplicate(L, name_nodes[first], name_nodes[again], "programme");
        goto out;
    }
    rc = 0;
out:
    sr_names_free(&index);
    free(names);
    free(name_nodes);
    return rc;
}
