/* Programmes in a scenario (docs/model.md: cohorts and intake, the arms and the
 * intervention, contracts, financing): their tables and what is read between their keys.
 * The intake tables are built with the rules of models/intake.h. */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/intake.h"
#include "sim/scenario/scenario_programme.h"
#include "sim/scenario/schema_walk.h"

#define SR_MAX_MONTHS_KEY 1200
#define SR_MAX_INTAKE_CELLS (1u << 24)

/* ---- intake ---------------------------------------------------------------------------- */

/* How a programme enrols: a window of months, or counts per calendar year. Month indices
 * count from simulation.start. */
struct sr_intake_plan {
    bool per_year;
    long start;                /* window: first month */
    unsigned months;           /* window: length */
    size_t n_years;
    long *january;             /* per_year: month index of each year's January */
    unsigned *count;           /* per_year: persons enrolled that year (cohort) */
    unsigned total;            /* cohort size */
    long first_month;          /* the first month with a positive intake (of any stratum) */
};

static void plan_clear(sr_intake_plan *p)
{
    free(p->january);
    free(p->count);
    memset(p, 0, sizeof *p);
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

/* per_year: a mapping of calendar years to persons enrolled, summing to the cohort's size;
 * a year with anyone enrolling lies wholly within the simulation. */
static int read_per_year(sr_sload *L, const sr_key *row, int per_year, void *target)
{
    sr_intake_plan *p = target;
    if (!per_year)
        return 0;
    if (!sr_ydoc_is_map(L->d, per_year))
        return sr_ydoc_fail(L->d, per_year, "must be a mapping of years to persons enrolled");
    const sr_key *count = &row->sub->keys[0];
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
        if (sr_sl_uint(L, v, count->lo, count->hi, &p->count[i]) != 0)
            return -1;
        p->january[i] = month_index(L->m, atoi(ys), 1);
        if (p->count[i] > 0 && (p->january[i] < 0 || p->january[i] + 12 > (long)L->m->n_months))
            return fail_window(L, k, p->january[i], 12);
        sum += p->count[i];
    }
    if (sum != p->total) {
        char got[64];
        snprintf(got, sizeof got, "a sum of %llu", sum);
        return sr_ydoc_fail_got(L->d, per_year, got, "the yearly counts must sum to cohort.size "
                                "(%u)", p->total);
    }
    return 0;
}

/* A window of months lies within the simulation. */
static int finish_intake(sr_sload *L, int node, void *target)
{
    const sr_intake_plan *p = target;
    if (p->per_year || (p->start >= 0 && p->start + (long)p->months <= (long)L->m->n_months))
        return 0;
    return fail_window(L, sr_sl_opt(L, node, p->start < 0 ? "start" : "months"), p->start,
                       p->months);
}

static const sr_key per_year_keys[] = {
    {"<year>", SR_KIND_INTEGER, "persons enrolled in the calendar year named by the key "
     "(YYYY), spread over its months January .. December", "persons", "2027: 500", .lo = 0,
     .hi = UINT32_MAX},
};

static const sr_table per_year_table = {
    .path = "programmes[].cohort.intake.per_year", .meaning = "A mapping of calendar years to "
    "persons enrolled; the counts sum to cohort.size, and a year with anyone enrolling lies "
    "wholly within the simulation. Each year's count is kept exactly and split over the "
    "strata by largest remainder (so a stratum's total may differ by a person from a split "
    "of the whole size); a control group scales the yearly counts to its size by largest "
    "remainder first.", SR_TABLE_KEYS(per_year_keys)};

static const sr_key intake_keys[] = {
    {"start", SR_KIND_MONTH, "the first month of enrolment", NULL, "2027-01",
     SR_AT(sr_intake_plan, start)},
    {"months", SR_KIND_INTEGER, "how many months enrolment lasts: each stratum's persons "
     "spread evenly, the first (n mod months) months taking one more", "months", "24", .lo = 1,
     .hi = SR_MAX_MONTHS_KEY, SR_AT(sr_intake_plan, months)},
    {"per_year", SR_KIND_NAMED, "persons enrolled per calendar year, instead of start and "
     "months", NULL, "{2027: 500, 2028: 500}", .sub = &per_year_table, .read = read_per_year},
};

static const sr_choice intake_form = {
    (const char *const[]){"start", "months", NULL}, (const char *const[]){"per_year", NULL},
    "give either start and months, or per_year", "is required (with months), or give per_year"};

static const sr_table intake_table = {
    .path = "programmes[].cohort.intake", .meaning = "When the cohort enrols: a window of "
    "months (start and months), or counts per calendar year (per_year), within the "
    "simulation.", SR_TABLE_KEYS(intake_keys), .choice = &intake_form, .finish = finish_intake};

/* Fills out[n_strata * n_months] with total persons enrolled by plan (scaled to total when
 * it is not the cohort's size, as for a control group). */
static int fill_intake(sr_sload *L, const sr_intake_plan *p, unsigned total, unsigned *out)
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

/* ---- cohort ------------------------------------------------------------------------------ */

static int read_intake(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_programme *p = target;
    sr_intake_plan *plan = L->plan;
    if (!node)
        return 0;
    plan->total = p->size;
    if (sr_schema_read(L, node, row->sub, plan) != 0)
        return -1;
    p->intake = malloc(L->m->n_strata * L->m->n_months * sizeof *p->intake);
    if (!p->intake)
        return sr_sl_oom(L);
    if (fill_intake(L, plan, p->size, p->intake) != 0)
        return -1;
    plan->first_month = first_intake_month(L->m, p->intake);
    return 0;
}

static int read_initial_state(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_programme *p = target;
    if (!node)
        return 0;
    if (sr_sl_state(L, node, &p->initial_state) != 0)
        return -1;
    if (L->m->states[p->initial_state].absorbing)
        return sr_ydoc_fail(L->d, node, "is absorbing: an enrolee would never move");
    return 0;
}

/* Above the state's tenure_max it is allowed, capped by the engine, and noted. */
static int read_initial_tenure(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_programme *p = target;
    p->initial_tenure = 0;
    if (!node)
        return 0;
    if (sr_sl_uint(L, node, row->lo, row->hi, &p->initial_tenure) != 0)
        return -1;
    const sr_state *s0 = &L->m->states[p->initial_state];
    if (p->initial_tenure <= s0->tenure_max)
        return 0;
    char path[512];
    sr_ydoc_path(L->d, node, path, sizeof path);
    return sr_sl_note(L, "%s %u is capped at the tenure_max (%u) of state %s", path,
                      p->initial_tenure, s0->tenure_max, s0->name);
}

enum { COHORT_SIZE, COHORT_INTAKE, COHORT_INITIAL_STATE, COHORT_INITIAL_TENURE, COHORT_KEYS };

static const sr_key cohort_keys[COHORT_KEYS] = {
    [COHORT_SIZE] = {"size", SR_KIND_INTEGER, "persons enrolled (the treated arm; the "
                     "counterfactual arm is the same persons without the intervention)",
                     "persons", "1000", .lo = 1, .hi = UINT32_MAX, .required = true,
                     SR_AT(sr_programme, size)},
    [COHORT_INTAKE] = {"intake", SR_KIND_MAPPING, "when they enrol", NULL,
                       "{start: 2027-01, months: 24}", .sub = &intake_table, .required = true,
                       .read = read_intake},
    [COHORT_INITIAL_STATE] = {"initial_state", SR_KIND_STATE, "the state each enrolee starts "
                              "in (not absorbing)", NULL, "outside", .required = true,
                              .read = read_initial_state},
    [COHORT_INITIAL_TENURE] = {"initial_tenure", SR_KIND_INTEGER, "the tenure each enrolee "
                               "starts with (above the state's tenure_max: capped, with a "
                               "note)", "months", "24", .lo = 0, .hi = SR_MAX_TENURE,
                               SR_DEFAULT(0), .read = read_initial_tenure},
};

/* The initial state before its tenure; the intake last, once the size is known. */
static const unsigned char cohort_order[COHORT_KEYS] = {
    COHORT_SIZE, COHORT_INITIAL_STATE, COHORT_INITIAL_TENURE, COHORT_INTAKE};

static const sr_table cohort_table = {
    .path = "programmes[].cohort", .meaning = "Who enrols, when, and where they start; strata "
    "split the size by largest remainder, then each stratum's persons are spread over the "
    "intake's months.", SR_TABLE_KEYS(cohort_keys), .order = cohort_order};

/* ---- intervention ----------------------------------------------------------------------- */

/* A list at node of at least one name, resolved (a state or a transition) to an index
 * marked in marks[], none twice; `empty` and `twice` say what is wrong. */
static int read_marks(sr_sload *L, int node, int (*resolve)(sr_sload *, int, size_t *),
                      bool *marks, const char *empty, const char *twice)
{
    if (sr_sl_seq(L, node) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, node);
    if (n == 0)
        return sr_ydoc_fail(L->d, node, "%s", empty);
    for (size_t i = 0; i < n; i++) {
        int e = sr_ydoc_item(L->d, node, i);
        size_t j;
        if (resolve(L, e, &j) != 0)
            return -1;
        if (marks[j])
            return sr_ydoc_fail(L->d, e, "%s", twice);
        marks[j] = true;
    }
    return 0;
}

static int read_effect_transitions(sr_sload *L, const sr_key *row, int v, void *target)
{
    sr_programme *p = target;
    if (!v)
        return 0;
    return read_marks(L, v, sr_sl_transition, p->effect_on,
                      "must name at least one transition from->to",
                      "names the same transition twice");
}

static const sr_key scale_keys[] = {
    {"reference_size", SR_KIND_NUMBER, "the cohort size n0 at which the hazard ratio is HR",
     "persons", "1000", .range = &SR_RANGE_POS, .required = true, .def_value = 1,
     SR_AT(sr_programme, scale_reference_size)},
    {"elasticity", SR_KIND_NUMBER, "the elasticity e in HR(n) = max(0, 1 + (HR - 1) "
     "(n / n0)^e)", NULL,
     "-0.1", .range = &SR_RANGE_ELASTICITY, .required = true,
     SR_AT(sr_programme, scale_elasticity)},
};

static const sr_table scale_table = {
    .path = "programmes[].intervention.effect.scale", .meaning = "Makes the effect depend on "
    "the cohort's size n (peer effects, dilution).", SR_TABLE_KEYS(scale_keys)};

static const sr_key effect_keys[] = {
    {"transitions", SR_KIND_TRANSITION, "the transitions whose hazards the intervention "
     "multiplies", NULL, "[outside->employed]", .type = "list of transitions from->to",
     .required = true, .read = read_effect_transitions},
    {"hazard_ratio", SR_KIND_NUMBER, "the hazard ratio HR, multiplying their hazards in the "
     "treated arm",
     NULL, "1.35", .range = &SR_RANGE_HAZARD_RATIO, .required = true, .def_value = 1,
     SR_AT(sr_programme, hazard_ratio)},
    {"months", SR_KIND_INTEGER, "how long it acts: the transitions at the end of a person's "
     "enrolment month and the months after, this many in all", "months", "18", .lo = 1,
     .hi = SR_MAX_MONTHS_KEY, .required = true, SR_AT(sr_programme, effect_months)},
    {"fade_months", SR_KIND_INTEGER, "then fades linearly to 1: in fade month k (from 0) the "
     "ratio is 1 + (HR - 1)(fade_months - k) / (fade_months + 1)", "months", "12", .lo = 0,
     .hi = SR_MAX_MONTHS_KEY, SR_DEFAULT(0), SR_AT(sr_programme, fade_months)},
    {"scale", SR_KIND_MAPPING, "makes HR depend on the cohort's size", NULL,
     "{reference_size: 1000, elasticity: -0.1}", .sub = &scale_table, .def = "none",
     SR_GIVEN(sr_programme, has_scale)},
};

static const sr_table effect_table = {
    .path = "programmes[].intervention.effect", .meaning = "What the intervention does: a "
    "hazard ratio on some transitions, for some months after enrolment.",
    SR_TABLE_KEYS(effect_keys)};

static int read_while_in(sr_sload *L, const sr_key *row, int v, void *target)
{
    sr_programme *p = target;
    for (size_t s = 0; s < L->m->n_states; s++)
        p->while_in[s] = !v;
    if (!v)
        return 0;
    return read_marks(L, v, sr_sl_state, p->while_in,
                      "must name at least one state (or leave while_in out)",
                      "names the same state twice");
}

static const sr_key costs_keys[] = {
    {"fixed_per_year", SR_KIND_NUMBER, "a fixed cost, a twelfth of it in every month in which "
     "anyone is active", "DKK per year", "1500000", .range = &SR_RANGE_NONNEG, SR_DEFAULT(0),
     SR_AT(sr_programme, cost_fixed_per_year)},
    {"per_participant", SR_KIND_NUMBER, "paid once, at the end of a participant's enrolment "
     "month", "DKK per participant", "20000", .range = &SR_RANGE_NONNEG, SR_DEFAULT(0),
     SR_AT(sr_programme, cost_per_participant)},
    {"per_participant_month", SR_KIND_NUMBER, "paid for each month a participant is active",
     "DKK per participant-month", "1500", .range = &SR_RANGE_NONNEG, SR_DEFAULT(0),
     SR_AT(sr_programme, cost_per_participant_month)},
    {"while_in", SR_KIND_STATES, "a participant is active (for the effect's months, out of "
     "absorbing states) only while in one of these", NULL, "[outside, education]",
     .type = "list of states", .def = "every state", .read = read_while_in},
};

static const sr_table costs_table = {
    .path = "programmes[].intervention.costs", .meaning = "What the intervention costs; "
    "programme_cost is their present value at the public rate.", SR_TABLE_KEYS(costs_keys)};

static const sr_key intervention_keys[] = {
    {"effect", SR_KIND_MAPPING, "what it does", NULL,
     "{transitions: [outside->employed], hazard_ratio: 1.35, months: 18}",
     .sub = &effect_table, .required = true},
    {"costs", SR_KIND_MAPPING, "what it costs", NULL, "{per_participant: 20000}",
     .sub = &costs_table, .def = "none"},
};

static const sr_table intervention_table = {
    .path = "programmes[].intervention", .meaning = "The intervention of the treated arm; "
    "without one, both arms are the same.", SR_TABLE_KEYS(intervention_keys)};

/* ---- contract ---------------------------------------------------------------------------- */

static int read_outcome_tenure(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_outcome *o = target;
    if (!node)
        return 0;
    if (sr_sl_uint(L, node, row->lo, row->hi, &o->tenure) != 0)
        return -1;
    const sr_state *s = &L->m->states[o->state];
    if (o->tenure > s->tenure_max)
        return sr_ydoc_fail(L->d, node, "is above the tenure_max (%u) of state %s",
                            s->tenure_max, s->name);
    return 0;
}

static const sr_key outcome_keys[] = {
    {"name", SR_KIND_NAME, "the outcome's name", NULL, "job_6m", .required = true,
     SR_AT(sr_outcome, name)},
    {"state", SR_KIND_STATE, "the state to be reached", NULL, "employed", .required = true,
     SR_AT(sr_outcome, state)},
    {"tenure", SR_KIND_INTEGER, "achieved in the first month a person holds this tenure in "
     "the state, in a spell begun after enrolment (0: entering it); at most its tenure_max",
     "months", "6", .lo = 0, .hi = SR_MAX_TENURE, .required = true,
     .read = read_outcome_tenure},
    {"price", SR_KIND_NUMBER, "paid per attributable achievement", "DKK per achievement",
     "30000", .range = &SR_RANGE_ANY, .required = true, SR_AT(sr_outcome, price)},
};

static const sr_table outcome_table = {
    .path = "programmes[].contract.outcomes[]", .meaning = "An outcome of a rate card; each "
    "person achieves it at most once, within the contract's term.",
    SR_TABLE_KEYS(outcome_keys)};

static int prepare_outcome(sr_sload *L, void *item, size_t i)
{
    ((sr_outcome *)item)->historical_rate = L->zero;
    return 0;
}

static int read_outcomes(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_contract *c = target;
    if (!node)
        return 0;
    if (sr_schema_applies(L, row) && sr_ydoc_is_seq(L->d, node) && sr_ydoc_len(L->d, node) == 0)
        return sr_ydoc_fail(L->d, node, "must list at least one outcome for a rate_card contract");
    if (sr_sl_seq(L, node) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, node);
    c->outcomes = calloc(n ? n : 1, sizeof *c->outcomes);
    if (!c->outcomes)
        return sr_sl_oom(L);
    return sr_sl_named_list(L, node, row->sub, c->outcomes, sizeof *c->outcomes,
                            offsetof(sr_outcome, name), &c->n_outcomes, "outcome",
                            &L->outcome_names, prepare_outcome);
}

/* rates: one per outcome named (each required where the rates apply); node 0: none. */
static int read_rates(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_contract *c = target;
    for (size_t o = 0; o < c->n_outcomes; o++)
        c->outcomes[o].historical_rate = L->zero;
    if (!node)
        return 0;
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
        long o = sr_names_find(&L->outcome_names, sr_ydoc_text(L->d, k));
        if (o < 0) {
            sr_ydoc_fail(L->d, k, "undefined outcome (see contract.outcomes)");
            goto out;
        }
        seen[o] = true;
        if (sr_schema_read_value(L, &row->sub->keys[0], v, &c->outcomes[o].historical_rate))
            goto out;
    }
    for (size_t o = 0; sr_schema_applies(L, row) && o < c->n_outcomes; o++) {
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

static const sr_key rate_keys[] = {
    {"<outcome>", SR_KIND_NUMBER, "achievements of the outcome named by the key per enrolled "
     "person, as the contract fixes them", "per enrolled person", "job_6m: 0.2",
     .range = &SR_RANGE_UNIT},
};

static const sr_table rate_table = {
    .path = "programmes[].contract.baseline.rates", .meaning = "A mapping of outcome names to "
    "historical achievement rates.", SR_TABLE_KEYS(rate_keys)};

static const sr_key baseline_keys[] = {
    {"method", SR_KIND_CHOICE, "the measurement: none, every achievement (rate card) or the "
     "savings against the counterfactual arm (savings share) counts; historical, against "
     "figures fixed in the contract; control_group, against a control group of `size` "
     "persons", NULL, "control_group",
     .choices = SR_BASELINE_METHODS, .required = true, .sets = SR_SEL_BASELINE,
     SR_AT(sr_contract, baseline)},
    {"size", SR_KIND_INTEGER, "the control group's persons, split over strata and months like "
     "the cohort", "persons", "500", .lo = 1, .hi = UINT32_MAX, .required = true,
     .when = {SR_WHEN(SR_SEL_BASELINE, SR_BASELINE_CONTROL)},
     SR_AT(sr_contract, control_size)},
    {"rates", SR_KIND_NAMED, "the historical achievements of every outcome", NULL,
     "{job_6m: 0.2}", .sub = &rate_table, .required = true,
     .when = {SR_WHEN(SR_SEL_CONTRACT_TYPE, SR_CONTRACT_RATE_CARD),
              SR_WHEN(SR_SEL_BASELINE, SR_BASELINE_HISTORICAL)},
     .read = read_rates},
    {"expenditure_per_person_month", SR_KIND_FLOW, "the historical expenditure per enrolled "
     "person a month, nominal", "DKK per person-month", "{municipality: 7000, state: 2000}",
     .sub = &sr_flow_table, .required = true,
     .when = {SR_WHEN(SR_SEL_CONTRACT_TYPE, SR_CONTRACT_SAVINGS_SHARE),
              SR_WHEN(SR_SEL_BASELINE, SR_BASELINE_HISTORICAL)},
     SR_AT(sr_contract, historical_expenditure)},
};

static const sr_table baseline_table = {
    .path = "programmes[].contract.baseline", .meaning = "What results are measured against, "
    "cumulatively from the programme's start to the end of each budget year.",
    SR_TABLE_KEYS(baseline_keys)};

static int read_term(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_contract *c = target;
    const sr_model *m = L->m;
    if (!node)
        return 0;
    unsigned years;
    if (sr_sl_uint(L, node, row->lo, row->hi, &years) != 0)
        return -1;
    c->term_months = 12 * years;
    long first_month = L->plan->first_month;
    if (first_month + (long)c->term_months > (long)m->n_months) {
        char a[16], b[16], e[16];
        sr_sl_month_text(m, first_month, a, sizeof a);
        sr_sl_month_text(m, first_month + (long)c->term_months - 1, b, sizeof b);
        sr_sl_month_text(m, (long)m->n_months - 1, e, sizeof e);
        return sr_ydoc_fail(L->d, node, "runs %s .. %s from the first intake month, past the "
                            "horizon (%s)", a, b, e);
    }
    return 0;
}

static const sr_key termination_keys[] = {
    {"hazard_per_year", SR_KIND_NUMBER, "the hazard h of cancellation: the contract is "
     "cancelled in a month with probability 1 - exp(-h / 12); from then nothing more is "
     "settled, nobody more enrols and the intervention stops", "per year", "0.05",
     .range = &SR_RANGE_TERMINATION,
     .required = true, SR_AT(sr_contract, termination_hazard_per_year)},
    {"shared", SR_KIND_BOOL, "one cancellation for every programme marked shared, instead of "
     "one per programme", NULL, "true", SR_DEFAULT(false),
     SR_AT(sr_contract, termination_shared)},
};

static const sr_table termination_table = {
    .path = "programmes[].contract.termination", .meaning = "The risk that the contract is "
    "cancelled (a policy change).", SR_TABLE_KEYS(termination_keys)};

static const char *const payers[] = {"municipality", "state", NULL};
static const char *const overflows[] = {"deferred", "forfeited", NULL};

/* A savings-share contract's outcomes were checked (the baseline's rates name them), and are
 * no part of it. */
static int finish_contract(sr_sload *L, int node, void *target)
{
    sr_contract *c = target;
    if (c->type == SR_CONTRACT_RATE_CARD)
        return 0;
    for (size_t o = 0; o < c->n_outcomes; o++)
        free(c->outcomes[o].name);
    free(c->outcomes);
    c->outcomes = NULL;
    c->n_outcomes = 0;
    return 0;
}

static const sr_key contract_keys[] = {
    {"payer", SR_KIND_CHOICE, "who pays: the municipality or the state", NULL, "municipality",
     .choices = payers, .required = true, SR_AT(sr_contract, payer)},
    {"type", SR_KIND_CHOICE, "what is due: rate_card, a price per outcome achieved; "
     "savings_share, a share of the payer's measured savings", NULL, "savings_share", .choices = SR_CONTRACT_TYPES,
     .required = true, .sets = SR_SEL_CONTRACT_TYPE, SR_AT(sr_contract, type)},
    {"share", SR_KIND_NUMBER, "the share of the payer's measured savings that is due", NULL,
     "0.5", .range = &SR_RANGE_UNIT, .required = true,
     .when = {SR_WHEN(SR_SEL_CONTRACT_TYPE, SR_CONTRACT_SAVINGS_SHARE)},
     SR_AT(sr_contract, share)},
    {"outcomes", SR_KIND_LIST, "the outcomes paid for (at least one)", NULL,
     "[{name: job_6m, state: employed, tenure: 6, price: 30000}]", .sub = &outcome_table,
     .required = true, .when = {SR_WHEN(SR_SEL_CONTRACT_TYPE, SR_CONTRACT_RATE_CARD)},
     .read = read_outcomes},
    {"baseline", SR_KIND_MAPPING, "what results are measured against", NULL,
     "{method: control_group, size: 500}", .sub = &baseline_table, .def = "method none"},
    {"term_years", SR_KIND_INTEGER, "results are paid for this long from the programme's first "
     "intake month; the term must end within the horizon", "years", "6", .lo = 1, .hi = 100,
     .required = true, .read = read_term},
    {"cap_total", SR_KIND_NUMBER, "the most paid over the contract", "DKK, nominal",
     "40000000", .range = &SR_RANGE_NONNEG, .def = "no cap", SR_AT(sr_contract, cap_total),
     SR_GIVEN(sr_contract, has_cap_total)},
    {"annual_frame", SR_KIND_NUMBER, "the most paid at one annual settlement", "DKK, nominal",
     "8000000", .range = &SR_RANGE_NONNEG, .def = "no frame", .sets = SR_SEL_FRAME,
     SR_AT(sr_contract, annual_frame), SR_GIVEN(sr_contract, has_annual_frame)},
    {"frame_overflow", SR_KIND_CHOICE, "what the frame cuts: deferred to later settlements "
     "(until paid or the cap is reached) or forfeited", NULL, "forfeited",
     .choices = overflows, .def_value = SR_OVERFLOW_DEFERRED,
     .when = {SR_WHEN(SR_SEL_FRAME, 1)}, SR_AT(sr_contract, frame_overflow)},
    {"lag_months", SR_KIND_INTEGER, "each budget year is settled this long after its end",
     "months", "3", .lo = 0, .hi = SR_MAX_MONTHS_KEY, SR_DEFAULT(0),
     SR_AT(sr_contract, lag_months)},
    {"termination", SR_KIND_MAPPING, "the risk that the contract is cancelled", NULL,
     "{hazard_per_year: 0.05}", .sub = &termination_table, .def = "none",
     SR_GIVEN(sr_contract, has_termination)},
};

static const sr_table contract_table = {
    .path = "programmes[].contract", .meaning = "Payment by results: who pays what for which "
    "results, settled once a budget year. Keys of the type or baseline not selected are "
    "checked, then ignored with a note.", SR_TABLE_KEYS(contract_keys),
    .finish = finish_contract};

/* contract: the terms, then the control group its baseline may ask for (node 0: none). */
static int read_contract(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_programme *p = target;
    const sr_model *m = L->m;
    if (!node)
        return sr_schema_defaults(L, row->sub, &p->contract);
    int rc = sr_schema_read(L, node, row->sub, &p->contract);
    sr_names_free(&L->outcome_names);
    if (rc != 0)
        return -1;
    if (p->contract.baseline != SR_BASELINE_CONTROL)
        return 0;
    p->control_intake = malloc(m->n_strata * m->n_months * sizeof *p->control_intake);
    if (!p->control_intake)
        return sr_sl_oom(L);
    return fill_intake(L, L->plan, p->contract.control_size, p->control_intake);
}

/* ---- financing ---------------------------------------------------------------------------- */

static const sr_key guarantee_keys[] = {
    {"first_loss", SR_KIND_NUMBER, "the guaranteed share f: at the last settlement a guarantor "
     "pays the investors min(loss, f x paid in), loss = max(0, paid in - received)",
     "share of paid-in", "0.2",
     .range = &SR_RANGE_UNIT, .required = true, SR_AT(sr_financing, first_loss)},
};

static const sr_table guarantee_table = {
    .path = "programmes[].financing.guarantee", .meaning = "A first-loss guarantee for the "
    "investors.", SR_TABLE_KEYS(guarantee_keys)};

static const sr_key surplus_keys[] = {
    {"cap_irr", SR_KIND_NUMBER, "what investors would receive above this IRR goes to the "
     "provider's reinvestment pool (reinvested)", "annual rate", "0.06",
     .range = &SR_RANGE_CAP_IRR, .required = true, SR_AT(sr_financing, cap_irr)},
};

static const sr_table surplus_table = {
    .path = "programmes[].financing.surplus", .meaning = "A cap on the investors' return.",
    SR_TABLE_KEYS(surplus_keys)};

static const sr_key financing_keys[] = {
    {"guarantee", SR_KIND_MAPPING, "a first-loss guarantee", NULL, "{first_loss: 0.2}",
     .sub = &guarantee_table, .def = "none", SR_GIVEN(sr_financing, has_guarantee)},
    {"surplus", SR_KIND_MAPPING, "a cap on the investors' IRR", NULL, "{cap_irr: 0.06}",
     .sub = &surplus_table, .def = "none", SR_GIVEN(sr_financing, has_surplus_cap)},
};

static const sr_table financing_table = {
    .path = "programmes[].financing", .meaning = "Investors pay the intervention's costs as "
    "they fall and receive the contract's payments; these terms change what they get.",
    SR_TABLE_KEYS(financing_keys)};

/* ---- programmes -------------------------------------------------------------------------- */

static const sr_key programme_keys[] = {
    {"name", SR_KIND_NAME, "the programme's name (its group in the result file)", NULL,
     "copenhagen", .required = true, SR_AT(sr_programme, name)},
    {"cohort", SR_KIND_MAPPING, "who enrols and when", NULL,
     "{size: 1000, intake: {start: 2027-01, months: 24}, initial_state: outside}",
     .sub = &cohort_table, .required = true},
    {"intervention", SR_KIND_MAPPING, "what the treated arm gets", NULL,
     "{effect: {transitions: [outside->employed], hazard_ratio: 1.35, months: 18}}",
     .sub = &intervention_table, .def = "none (the arms are the same)",
     SR_GIVEN(sr_programme, has_intervention)},
    {"contract", SR_KIND_MAPPING, "the payment-by-results contract", NULL,
     "{payer: municipality, type: savings_share, share: 0.5, term_years: 6}",
     .sub = &contract_table, .def = "none (self-funded: no payments, no investors)",
     .sets = SR_SEL_CONTRACT, SR_GIVEN(sr_programme, has_contract), .read = read_contract},
    {"financing", SR_KIND_MAPPING, "the investors' terms", NULL, "{guarantee: {first_loss: 0.2}}",
     .sub = &financing_table, .def = "none", .when = {SR_WHEN(SR_SEL_CONTRACT, 1)},
     SR_AT(sr_programme, financing)},
};

const sr_table sr_programme_table = {
    .path = "programmes[]", .meaning = "A programme: a cohort, and what is done and paid for "
    "it. Each is simulated as a treated and a counterfactual arm (and a control group when "
    "its contract measures against one).", SR_TABLE_KEYS(programme_keys)};

/* Before a programme is read: nothing under the effect, active in every state. */
static int prepare_programme(sr_sload *L, void *item, size_t i)
{
    sr_programme *p = item;
    const sr_model *m = L->m;
    plan_clear(L->plan);
    p->effect_on = calloc(m->n_transitions ? m->n_transitions : 1, sizeof *p->effect_on);
    p->while_in = malloc(m->n_states * sizeof *p->while_in);
    if (!p->effect_on || !p->while_in)
        return sr_sl_oom(L);
    for (size_t s = 0; s < m->n_states; s++)
        p->while_in[s] = true;
    return 0;
}

int sr_sl_programmes(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_model *m = L->m;
    if (!node)
        return 0;
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
    if (!m->programmes)
        return sr_sl_oom(L);
    sr_intake_plan plan = {0};
    L->plan = &plan;
    int rc = sr_sl_named_list(L, node, row->sub, m->programmes, sizeof *m->programmes,
                              offsetof(sr_programme, name), &m->n_programmes, "programme", NULL,
                              prepare_programme);
    plan_clear(&plan);
    L->plan = NULL;
    return rc;
}
