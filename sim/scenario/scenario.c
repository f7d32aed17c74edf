/* Scenario files: YAML text in, a validated sr_model out.
 *
 * The file is read by yaml_doc.c (hostile input stops there: NUL bytes, invalid UTF-8,
 * anchors, aliases, tags, several documents, deep nesting, too many values), overrides are
 * grafted into the document (yaml_edit.c), and the schema's tables are walked over it once
 * (schema_walk.c), filling the model. This file holds the top level's table and those of the
 * simulation, discount, parameters, correlations and stresses, and checks each stress by
 * loading the file again under it; scenario_dynamics.c and scenario_programme.c hold the
 * other tables, scenario_values.c the typed readers, scenario_print.c the readable print.
 *
 * What a file may say, and every rule `validate` enforces, is the reference that
 * `sirisk schema` prints from the tables (docs/scenario-format.md). Two choices of the code
 * it does not state: a number's random stream is keyed by the key path that defines it
 * (sr_sl_push), so a draw does not move when other numbers come or go; and the numbers
 * enter the model's table in the order the keys are read, which the tables' `order` and
 * the setters keep fixed.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strndup, open, fstat */

#include "sim/scenario/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/scenario/scenario_values.h"
#include "sim/scenario/schema_walk.h"
#include "sim/scenario/scenario_dynamics.h"
#include "sim/scenario/scenario_programme.h"

#define SR_MAX_HORIZON_MONTHS 1200
#define SR_MAX_CORRELATED 1000
/* Stress checks reload the file once per stress: stresses x values loaded at most this. */
#define SR_STRESS_CHECK_BUDGET (1u << 22)

/* What a scenario document, and each override grafted into it, may hold. */
static const sr_ylimits scenario_limits = {SR_SCENARIO_MAX_NODES, SR_SCENARIO_MAX_DEPTH};

/* ---- simulation, discount -------------------------------------------------------------- */

static int read_start(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_model *m = target;
    return node ? sr_sl_month(L, node, &m->start_year, &m->start_month) : 0;
}

static int read_horizon_years(sr_sload *L, const sr_key *row, int node, void *target)
{
    sr_model *m = target;
    unsigned years;
    if (!node || sr_sl_uint(L, node, row->lo, row->hi, &years) != 0)
        return node ? -1 : 0;
    m->n_months = 12 * years;
    return 0;
}

static const sr_key simulation_keys[] = {
    {"trials", SR_KIND_INTEGER, "Monte Carlo trials: each draws the uncertain numbers and the "
     "macro path once and simulates every programme", "trials", "10000",
     .lo = 1, .hi = UINT32_MAX, .required = true, SR_AT(sr_model, trials)},
    {"seed", SR_KIND_SEED, "the seed of every random stream: the same scenario, seed and trials "
     "give the same result set on any number of threads", NULL, "20261127", .required = true,
     SR_AT(sr_model, seed)},
    {"start", SR_KIND_MONTH, "the first simulated month: month index 0, from which every month "
     "index and present value counts", NULL, "2027-01", .required = true, .read = read_start},
    {"horizon_years", SR_KIND_INTEGER, "the simulated time in years (12 months each)", "years",
     "10", .lo = 1, .hi = SR_MAX_HORIZON_MONTHS / 12, .read = read_horizon_years},
    {"horizon_months", SR_KIND_INTEGER, "the simulated time in months, instead of horizon_years",
     "months", "120", .lo = 1, .hi = SR_MAX_HORIZON_MONTHS, SR_AT(sr_model, n_months)},
};

static const sr_choice horizon = {
    (const char *const[]){"horizon_years", NULL}, (const char *const[]){"horizon_months", NULL},
    "give exactly one of horizon_years and horizon_months", "is required (or horizon_months)"};

static const sr_table simulation = {
    .path = "simulation", .meaning = "How many trials, from which seed, over which months.",
    SR_TABLE_KEYS(simulation_keys), .choice = &horizon};

static const sr_key discount_keys[] = {
    {"public", SR_KIND_FIXED, "the public sector's discount rate: present values of cash "
     "flows, costs and savings", "annual effective rate", "0.035", .range = &SR_RANGE_RATE,
     .required = true, SR_AT(sr_model, discount_public)},
    {"investor", SR_KIND_FIXED, "the investors' discount rate: investor_npv", "annual "
     "effective rate", "0.05", .range = &SR_RANGE_RATE, .required = true,
     SR_AT(sr_model, discount_investor)},
};

static const sr_table discount = {
    .path = "discount", .meaning = "Discount rates; a month's flow is discounted to "
    "simulation.start by (1 + r)^(-(t + 1) / 12).", SR_TABLE_KEYS(discount_keys)};

/* ---- parameters and correlations ------------------------------------------------------ */

/* parameters: a mapping of names to numbers or distributions, each its own entry of the
 * number table; node 0 (none given) still builds the empty lookup `$name` is resolved in. */
static int read_parameters(sr_sload *L, const sr_key *row, int pn, void *target)
{
    sr_model *m = L->m;
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
        if (!m->parameters[i].name) {
            sr_sl_oom(L);
            goto out;
        }
        if (sr_sl_push(L, v, def, &m->parameters[i].num) != 0)
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

/* Whether the leading n x n block of the correlation matrix c is positive definite: GSL's
 * Cholesky factorisation of a copy in work. */
static bool leading_block_definite(const gsl_matrix *c, gsl_matrix *work, size_t n)
{
    gsl_matrix_const_view from = gsl_matrix_const_submatrix(c, 0, 0, n, n);
    gsl_matrix_view to = gsl_matrix_submatrix(work, 0, 0, n, n);
    gsl_matrix_memcpy(&to.matrix, &from.matrix);
    return gsl_linalg_cholesky_decomp1(&to.matrix) == GSL_SUCCESS;
}

/* Whether the k x k correlation matrix of the parameters members[k] (slot[p]: parameter p's
 * row) is positive definite (*definite); if not, *bad_row is the row where its Cholesky
 * factorisation fails: the first whose leading block is not (the 1 x 1 block, a variance
 * of 1, always is), found by halving. Returns -1 when out of memory. GSL says "not positive
 * definite" through its error handler, which aborts unless switched off: off for these
 * calls, then as it was. */
static int check_definite(const sr_model *m, const size_t *slot, size_t k, bool *definite,
                          size_t *bad_row)
{
    gsl_error_handler_t *previous = gsl_set_error_handler_off();
    gsl_matrix *c = gsl_matrix_alloc(k, k), *work = gsl_matrix_alloc(k, k);
    int rc = -1;
    if (c && work) {
        gsl_matrix_set_identity(c);
        for (size_t i = 0; i < m->n_correlations; i++) {
            size_t a = slot[m->correlations[i].a], b = slot[m->correlations[i].b];
            gsl_matrix_set(c, a, b, m->correlations[i].rho);
            gsl_matrix_set(c, b, a, m->correlations[i].rho);
        }
        *definite = leading_block_definite(c, work, k);
        size_t lo = 1, hi = k; /* block lo is positive definite, block hi is not */
        while (!*definite && hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (leading_block_definite(c, work, mid))
                lo = mid;
            else
                hi = mid;
        }
        *bad_row = hi - 1;
        rc = 0;
    }
    gsl_matrix_free(c);
    gsl_matrix_free(work);
    gsl_set_error_handler(previous);
    return rc;
}

static int read_correlations(sr_sload *L, const sr_key *row, int cn, void *target)
{
    sr_model *m = L->m;
    if (!cn)
        return 0;
    if (sr_sl_seq(L, cn) != 0)
        return -1;
    size_t n = sr_ydoc_len(L->d, cn);
    m->correlations = calloc(n ? n : 1, sizeof *m->correlations);
    corr_key *keys = calloc(n ? n : 1, sizeof *keys);
    size_t *slot = malloc((m->n_parameters ? m->n_parameters : 1) * sizeof *slot);
    size_t *members = NULL;
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
            || sr_sl_real(L, sr_ydoc_item(L->d, e, 2), row->sub->keys[2].range, &r->rho) != 0)
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
    bool definite = true;
    size_t bad = 0;
    if (k > 0 && check_definite(m, slot, k, &definite, &bad) != 0) {
        sr_sl_oom(L);
        goto out;
    }
    if (!definite) {
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
    return rc;
}

/* ---- stresses --------------------------------------------------------------------------- */

static int read_stresses(sr_sload *L, const sr_key *row, int sn, void *target)
{
    sr_scenario *sc = L->scenario;
    if (!sn)
        return 0;
    if (!sr_ydoc_is_map(L->d, sn))
        return sr_ydoc_fail(L->d, sn, "must be a mapping of stress names to overrides");
    size_t n = sr_ydoc_len(L->d, sn);
    sc->stresses = calloc(n ? n : 1, sizeof *sc->stresses);
    L->stress_nodes = calloc(n ? n : 1, sizeof *L->stress_nodes);
    if (!sc->stresses || !L->stress_nodes)
        return sr_sl_oom(L);
    for (size_t i = 0; i < n; i++) {
        int k, v;
        const char *name;
        sr_ydoc_pair(L->d, sn, i, &k, &v);
        if (sr_sl_name(L, k, &name) != 0)
            return -1;
        if (!sr_ydoc_is_map(L->d, v))
            return sr_ydoc_fail(L->d, v, "must be a mapping of override paths to values");
        sr_stress *s = &sc->stresses[i];
        size_t no = sr_ydoc_len(L->d, v);
        s->name = strdup(name);
        s->overrides = calloc(no ? no : 1, sizeof *s->overrides);
        sc->n_stresses = i + 1;
        L->stress_nodes[i] = k;
        if (!s->name || !s->overrides)
            return sr_sl_oom(L);
        for (size_t j = 0; j < no; j++) {
            int pk, pv;
            sr_ydoc_pair(L->d, v, j, &pk, &pv);
            const char *path;
            if (sr_sl_text(L, pk, &path) != 0)
                return -1;
            sr_ypath_step *steps;
            size_t n_steps;
            char why[256];
            const int parsed = sr_ypath_parse(path, scenario_limits.max_depth, &steps,
                                              &n_steps, why, sizeof why);
            if (parsed == -2)
                return sr_sl_oom(L);
            if (parsed != 0)
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

/* ---- the tables of parameters, correlations and stresses --------------------------------- */

static const sr_key parameter_keys[] = {
    {"<name>", SR_KIND_NUMBER, "a parameter named by the key: a literal number or a "
     "distribution (not another `$name`); each use must fit its key's range over the whole "
     "support", NULL, "effect: {dist: lognormal, median: 1.35, p95: 1.9}",
     .type = "number or distribution"},
};

static const sr_table parameter_table = {
    .path = "parameters", .meaning = "A mapping of names to numbers or distributions. `$name` "
    "(plain or quoted) stands for one wherever a number is taken; every use of a name shares "
    "the trial's draw, and a key that cannot be uncertain takes only a fixed one. A "
    "parameter nobody uses is noted.",
    SR_TABLE_KEYS(parameter_keys)};

static const sr_key correlation_keys[] = {
    {"[0]", SR_KIND_PARAMETER, "an uncertain parameter (a distribution), with or without `$`",
     NULL, "effect", .required = true},
    {"[1]", SR_KIND_PARAMETER, "another one; each pair at most once", NULL, "job_finding",
     .required = true},
    {"[2]", SR_KIND_FIXED, "the correlation rho of the two parameters' latent normals", NULL,
     "0.5", .range = &SR_RANGE_RHO, .required = true},
};

static const sr_table correlation_table = {
    .path = "correlations[]", .meaning = "[parameter, parameter, rho]: a Gaussian copula over "
    "the parameters named (at most 1000); the matrix of their correlations must be positive "
    "definite.", SR_TABLE_KEYS(correlation_keys), .tuple = true};

static const sr_key override_keys[] = {
    {"<path>", SR_KIND_VALUE, "an override path (the key, as given to --set; quote one with "
     "brackets) and the value put there, applied on top of the scenario in order", NULL,
     "\"programmes[0].cohort.intake.start\": 2028-01", .type = "any value"},
};

static const sr_table override_table = {
    .path = "stresses.<name>", .meaning = "One stress: a mapping of override paths to values. "
    "Each stress is checked when the scenario is loaded, by applying it on top of the "
    "command line's overrides and validating the result: a broken stress is found by "
    "`validate`. With `--set`, one that no longer applies is a note (`sirisk stress` "
    "refuses it before running anything); when the stresses times the file's size pass a "
    "work budget, they are checked for syntax only, with a note.", SR_TABLE_KEYS(override_keys)};

static const sr_key stress_keys[] = {
    {"<name>", SR_KIND_NAMED, "a stress named by the key: `sirisk stress` runs the scenario "
     "with its overrides applied", NULL, "recession: {macro.start_in_recession: true}",
     .sub = &override_table},
};

static const sr_table stress_table = {
    .path = "stresses", .meaning = "A mapping of names to stresses.",
    SR_TABLE_KEYS(stress_keys)};

/* After the whole file: a parameter nobody uses is noted. */
static int finish_model(sr_sload *L, int node, void *target)
{
    sr_model *m = target;
    for (size_t i = 0; i < m->n_parameters; i++)
        if (!L->param_used[i]
            && sr_sl_note(L, "parameter %s is defined but not used", m->parameters[i].name) != 0)
            return -1;
    return 0;
}

enum {
    ROOT_NAME, ROOT_SIMULATION, ROOT_DISCOUNT, ROOT_INDEXATION, ROOT_PARAMETERS,
    ROOT_CORRELATIONS, ROOT_STATES, ROOT_TRANSITIONS, ROOT_STRATA, ROOT_CASHFLOWS, ROOT_MACRO,
    ROOT_PROGRAMMES, ROOT_STRESSES, ROOT_KEYS
};

static const sr_key root_keys[ROOT_KEYS] = {
    [ROOT_NAME] = {"name", SR_KIND_TEXT, "the scenario's name, shown by validate and stored "
                   "in the result file", NULL, "Neighbourhood-mothers job mentoring",
                   .required = true, SR_AT(sr_model, name)},
    [ROOT_SIMULATION] = {"simulation", SR_KIND_MAPPING, "trials, seed and horizon", NULL,
                         "{trials: 10000, seed: 20261127, start: 2027-01, horizon_years: 10}",
                         .sub = &simulation, .required = true},
    [ROOT_DISCOUNT] = {"discount", SR_KIND_MAPPING, "discount rates", NULL,
                       "{public: 0.035, investor: 0.05}", .sub = &discount, .required = true},
    [ROOT_INDEXATION] = {"indexation", SR_KIND_FIXED, "grows every cash flow and price by "
                         "(1 + r)^(t / 12) in month t", "annual rate", "0.02",
                         .range = &SR_RANGE_RATE, SR_DEFAULT(0), SR_AT(sr_model, indexation)},
    [ROOT_PARAMETERS] = {"parameters", SR_KIND_NAMED, "named numbers and distributions; "
                         "`$name` elsewhere uses one, and every use shares its draw", NULL,
                         "{effect: {dist: lognormal, median: 1.35, p95: 1.9}}",
                         .sub = &parameter_table, .def = "none", .read = read_parameters},
    [ROOT_CORRELATIONS] = {"correlations", SR_KIND_LIST, "couples uncertain parameters "
                           "through a Gaussian copula", NULL, "[[effect, job_finding, 0.5]]",
                           .type = "list of [parameter, parameter, rho]",
                           .sub = &correlation_table, .def = "none (independent)",
                           .read = read_correlations},
    [ROOT_STATES] = {"states", SR_KIND_LIST, "the states a person can be in", NULL,
                     "[{name: outside, tenure_max: 24}, {name: exited, absorbing: true}]",
                     .sub = &sr_state_table, .required = true, .read = sr_sl_states},
    [ROOT_TRANSITIONS] = {"transitions", SR_KIND_LIST, "the monthly moves between states",
                          NULL, "[{from: outside, to: employed, hazard: 0.01}]",
                          .sub = &sr_transition_table, .def = "none",
                          .read = sr_sl_transitions},
    [ROOT_STRATA] = {"strata", SR_KIND_LIST, "groups of the target population with their own "
                     "shares, hazards and cash flows", NULL, "[{name: a, share: 1}]",
                     .sub = &sr_stratum_table, .def = "one stratum, all", .read = sr_sl_strata},
    [ROOT_CASHFLOWS] = {"cashflows", SR_KIND_NAMED, "public expenditure per person-month in "
                        "each state", NULL, "{outside: {municipality: 9000, state: 2500}}",
                        .sub = &sr_cashflows_table, .def = "0 in every state", .read = sr_sl_cash},
    [ROOT_MACRO] = {"macro", SR_KIND_MAPPING, "the labour market's ups and downs, shared by "
                    "every programme of a trial", NULL, "{model: none}", .def = "none",
                    .sub = &sr_macro_table, SR_AT(sr_model, macro)},
    [ROOT_PROGRAMMES] = {"programmes", SR_KIND_LIST, "the programmes simulated", NULL,
                         "[{name: pilot, cohort: {size: 1000, intake: {start: 2027-01, "
                         "months: 24}, initial_state: outside}}]", .sub = &sr_programme_table,
                         .required = true, .read = sr_sl_programmes},
    [ROOT_STRESSES] = {"stresses", SR_KIND_NAMED, "named sets of overrides that `sirisk "
                       "stress` runs beside the scenario", NULL,
                       "{recession: {macro.start_in_recession: true}}", .sub = &stress_table,
                       .def = "none", .read = read_stresses},
};

/* Parameters before the keys that may name them; states, transitions and strata before
 * what refers to them. */
static const unsigned char root_order[ROOT_KEYS] = {
    ROOT_NAME, ROOT_SIMULATION, ROOT_PARAMETERS, ROOT_CORRELATIONS, ROOT_DISCOUNT,
    ROOT_INDEXATION, ROOT_STATES, ROOT_TRANSITIONS, ROOT_STRATA, ROOT_CASHFLOWS, ROOT_MACRO,
    ROOT_PROGRAMMES, ROOT_STRESSES};

const sr_table sr_schema_root = {
    .path = "", .meaning = "A scenario file is a mapping of these keys.", SR_TABLE_KEYS(root_keys),
    .order = root_order, .finish = finish_model};

static int load_model(sr_sload *L)
{
    sr_numdef zero = {.kind = SR_DIST_FIXED, .p = {0}, .parameter = -1};
    sr_numdef one = {.kind = SR_DIST_FIXED, .p = {1}, .parameter = -1};
    if (sr_sl_push(L, -1, zero, &L->zero) != 0 || sr_sl_push(L, -1, one, &L->one) != 0)
        return -1;
    return sr_schema_read(L, sr_ydoc_root(L->d), &sr_schema_root, L->m);
}

typedef struct {
    bool check_stresses;       /* apply and validate every stress (not in nested loads) */
    bool keep_text;            /* fill the scenario's text */
} load_opts;

static sr_scenario *load(const char *name, const char *text, size_t len, const sr_override *ov,
                         size_t n_ov, load_opts opts, sr_error *err);

sr_override *sr_stress_overrides(const sr_override *ov, size_t n_ov, const sr_stress *s,
                                 size_t *n, sr_error *err)
{
    *n = n_ov + s->n_overrides + 1;
    sr_override *all = calloc(*n, sizeof *all);
    if (all == NULL) {
        sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        return NULL;
    }
    for (size_t k = 0; k < n_ov; k++)
        all[k] = ov[k];
    for (size_t k = 0; k < s->n_overrides; k++)
        all[n_ov + k] = s->overrides[k];
    all[*n - 1] = (sr_override){(char *)"stresses", (char *)"~"};
    return all;
}

/* Loads the file as stress s makes it on top of the overrides ov[0..n_ov); returns whether
 * it is valid, and if not the error in e. */
static bool stress_loads(const char *name, const char *text, size_t len, const sr_override *ov,
                         size_t n_ov, const sr_stress *s, sr_error *e)
{
    size_t n_all;
    sr_override *all = sr_stress_overrides(ov, n_ov, s, &n_all, e);
    if (all == NULL)
        return false;
    load_opts nested = {false, false};
    sr_scenario *stressed = load(name, text, len, all, n_all, nested, e);
    free(all);
    const bool loads = stressed != NULL;
    sr_scenario_free(stressed);
    return loads;
}

/* Applies each stress on top of the command line's overrides ov[0..n_ov) and validates
 * the result. Without overrides a stress that fails is an error; with them it is a note
 * (the overrides may have changed what it addresses, e.g. made a distribution a fixed
 * number, and a run does not use it; `sirisk stress` refuses it before running any). */
static int check_stresses(sr_sload *L, const char *name, const char *text, size_t len,
                          const sr_override *ov, size_t n_ov)
{
    const sr_scenario *sc = L->scenario;
    if (sc->n_stresses == 0)
        return 0;
    if ((double)sc->n_stresses * (double)L->d->n_nodes > SR_STRESS_CHECK_BUDGET)
        return sr_sl_note(L, "the %zu stresses were checked for syntax only (the file is too "
                             "large to load once per stress); `sirisk stress` checks each",
                          sc->n_stresses);
    for (size_t i = 0; i < sc->n_stresses; i++) {
        const sr_stress *s = &sc->stresses[i];
        sr_error e = {0};
        if (stress_loads(name, text, len, ov, n_ov, s, &e))
            continue;
        if (e.code == SR_EXIT_SOFTWARE)
            return sr_error_set(L->err, e.code, "%s", e.msg);
        char where[1024], path[512];
        sr_ydoc_where(L->d, L->stress_nodes[i], where, sizeof where);
        sr_ydoc_path(L->d, L->stress_nodes[i], path, sizeof path);
        if (n_ov == 0)
            return sr_error_set(L->err, SR_EXIT_DATAERR, "%s: %s: %s", where, path, e.msg);
        if (sr_sl_note(L, "%s: %s does not apply on top of the command line's overrides: %s",
                       where, path, e.msg) != 0)
            return -1;
    }
    return 0;
}

static sr_scenario *load(const char *name, const char *text, size_t len, const sr_override *ov,
                         size_t n_ov, load_opts opts, sr_error *err)
{
    sr_ydoc d;
    sr_sload L = {0};
    if (len > SR_SCENARIO_MAX_BYTES) {
        sr_error_set(err, SR_EXIT_DATAERR, "%s:1:1: the file is larger than %u bytes, too large "
                     "for a scenario, got %zu bytes", name, SR_SCENARIO_MAX_BYTES, len);
        return NULL;
    }
    sr_scenario *sc = calloc(1, sizeof *sc);
    if (sc == NULL || (sc->model = calloc(1, sizeof *sc->model)) == NULL) {
        sr_error_set(err, SR_EXIT_SOFTWARE, "%s: out of memory", name);
        sr_scenario_free(sc);
        return NULL;
    }
    sr_model *m = sc->model;
    bool ok = false;
    if (sr_ydoc_read(&d, name, text, len, scenario_limits, err) != 0)
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
    L.scenario = sc;
    L.err = err;
    if (load_model(&L) != 0)
        goto out;
    if (opts.check_stresses && check_stresses(&L, name, text, len, ov, n_ov) != 0)
        goto out;
    if (opts.keep_text) {
        sc->text = n_ov ? sr_ydoc_emit(&d) : strndup(text, len);
        if (!sc->text) {
            if (!n_ov)
                sr_sl_oom(&L);
            goto out;
        }
    }
    sc->notes = L.notes;
    L.notes = NULL;
    ok = true;
out:
    sr_names_free(&L.state_names);
    sr_names_free(&L.param_names);
    free(L.trans_keys);
    free(L.param_used);
    free(L.state_mark);
    free(L.stress_nodes);
    free(L.stratum_nodes);
    sr_names_free(&L.outcome_names);
    free(L.notes);
    sr_ydoc_free(&d);
    if (!ok) {
        if (err && err->code == 0)
            sr_error_set(err, SR_EXIT_DATAERR, "%s: invalid scenario", name);
        sr_scenario_free(sc);
        return NULL;
    }
    return sc;
}

void sr_scenario_free(sr_scenario *sc)
{
    if (sc == NULL)
        return;
    for (size_t i = 0; i < sc->n_stresses; i++) {
        for (size_t j = 0; j < sc->stresses[i].n_overrides; j++)
            sr_override_clear(&sc->stresses[i].overrides[j]);
        free(sc->stresses[i].overrides);
        free(sc->stresses[i].name);
    }
    free(sc->stresses);
    free(sc->text);
    free(sc->notes);
    sr_model_free(sc->model);
    free(sc);
}

/* ---- the interface --------------------------------------------------------------------- */

sr_scenario *sr_scenario_load_text(const char *name, const char *text, size_t len,
                                   const sr_override *overrides, size_t n_overrides,
                                   sr_error *err)
{
    if (err)
        err->code = 0;
    load_opts opts = {true, true};
    return load(name, text, len, overrides, n_overrides, opts, err);
}

sr_scenario *sr_scenario_load(const char *path, const sr_override *overrides,
                              size_t n_overrides, sr_error *err)
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
        sr_error_set(err, SR_EXIT_SOFTWARE, "%s: out of memory", path);
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
                sr_error_set(err, SR_EXIT_SOFTWARE, "%s: out of memory", path);
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
    sr_scenario *sc = sr_scenario_load_text(path, text, len, overrides, n_overrides, err);
    free(text);
    return sc;
}

int sr_override_parse(const char *arg, sr_override *out, sr_error *err)
{
    memset(out, 0, sizeof *out);
    const char *eq = strchr(arg, '=');
    if (!eq)
        return sr_error_set(err, SR_EXIT_DATAERR, "--set %s: expected PATH=VALUE", arg), -1;
    if (eq == arg)
        return sr_error_set(err, SR_EXIT_DATAERR, "--set %s: the path before '=' is empty", arg), -1;
    out->path = strndup(arg, (size_t)(eq - arg));
    out->value = strdup(eq + 1);
    if (!out->path || !out->value) {
        sr_override_clear(out);
        return sr_error_set(err, SR_EXIT_SOFTWARE, "--set %s: out of memory", arg), -1;
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
