/* `sirisk voi` (voi_run.h): the trials from a run or a file, the decisions and input
 * groups asked for, the analysis, the pilots' EVSI, and the result file with /voi. */
#include "sim/variants/voi_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/pilot.h"
#include "sim/resultset/voi_file.h"
#include "sim/variants/memory.h"

/* ---- the decisions ------------------------------------------------------------------- */

/* The paying budget's options that need no definition. */
static const struct {
    const char *name;
    unsigned metric;
} known_options[] = {
    {"fund_itself", SR_M_MUNICIPALITY_NET_SELFFUND},
    {"pay_by_results", SR_M_MUNICIPALITY_NET_SIB},
    {"do_nothing", SR_VOI_ZERO},
};
#define N_KNOWN (sizeof known_options / sizeof known_options[0])

/* The metric named `name` of the metric table, "0" for SR_VOI_ZERO; SR_N_METRICS + 1 when
 * none. */
static unsigned metric_named(const char *name)
{
    if (strcmp(name, "0") == 0)
        return SR_VOI_ZERO;
    for (unsigned m = 0; m < SR_N_METRICS; m++)
        if (strcmp(sr_metrics[m].name, name) == 0)
            return m;
    return SR_N_METRICS + 1;
}

/* --options: NAME (a known option) or NAME=METRIC (a metric of the table, or 0), comma
 * separated, 2 to SR_VOI_MAX_OPTIONS of them with distinct names; NULL: the known three. */
static int parse_options(const char *text, sr_voi_outcome *o, sr_error *err)
{
    sr_voi_decision_spec *d = &o->decision[0];
    *d = (sr_voi_decision_spec){.key = "payer", .title = "the paying budget"};
    if (text == NULL) {
        for (size_t k = 0; k < N_KNOWN; k++)
            d->options[d->n_options++] = (sr_voi_option){known_options[k].name,
                                                         known_options[k].metric};
        return 0;
    }
    if ((o->option_names = strdup(text)) == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    char *save = NULL;
    for (char *item = strtok_r(o->option_names, ",", &save); item != NULL;
         item = strtok_r(NULL, ",", &save)) {
        if (d->n_options == SR_VOI_MAX_OPTIONS)
            return sr_error_set(err, SR_EXIT_USAGE, "voi: --options: at most %d options",
                                SR_VOI_MAX_OPTIONS);
        char *eq = strchr(item, '=');
        unsigned metric = SR_N_METRICS + 1;
        if (eq != NULL) {
            *eq = '\0';
            metric = metric_named(eq + 1);
            if (metric > SR_VOI_ZERO)
                return sr_error_set(err, SR_EXIT_USAGE, "voi: --options: '%s' is not a "
                                    "metric (a name of /trials, or 0)", eq + 1);
        } else {
            for (size_t k = 0; k < N_KNOWN; k++)
                if (strcmp(item, known_options[k].name) == 0)
                    metric = known_options[k].metric;
            if (metric > SR_VOI_ZERO)
                return sr_error_set(err, SR_EXIT_USAGE, "voi: --options: unknown option '%s' "
                                    "(fund_itself, pay_by_results, do_nothing, or "
                                    "NAME=METRIC)", item);
        }
        if (item[0] == '\0')
            return sr_error_set(err, SR_EXIT_USAGE, "voi: --options: an option without a "
                                                    "name");
        for (size_t k = 0; k < d->n_options; k++)
            if (strcmp(d->options[k].name, item) == 0)
                return sr_error_set(err, SR_EXIT_USAGE, "voi: --options: '%s' given twice",
                                    item);
        d->options[d->n_options++] = (sr_voi_option){item, metric};
    }
    if (d->n_options < 2)
        return sr_error_set(err, SR_EXIT_USAGE, "voi: --options: a decision needs at least "
                                                "two options");
    return 0;
}

/* The input named name, or -1. */
static long input_named(const sr_voi_data *d, const char *name, size_t len)
{
    for (size_t k = 0; k < d->n_inputs; k++)
        if (strlen(d->inputs[k].name) == len && strncmp(d->inputs[k].name, name, len) == 0)
            return (long)k;
    return -1;
}

/* --groups: groups of 2 or 3 inputs joined by '+', comma separated. */
static int parse_groups(const char *text, const sr_voi_data *d, sr_voi_outcome *o,
                        size_t *n_groups, sr_error *err)
{
    *n_groups = 0;
    if (text == NULL)
        return 0;
    size_t max = 1;
    for (const char *c = text; *c; c++)
        max += *c == ',';
    if ((o->groups = calloc(max, sizeof *o->groups)) == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    for (const char *g = text; *g != '\0';) {
        const size_t glen = strcspn(g, ",");
        sr_voi_set set = {0};
        for (const char *a = g; a < g + glen;) {
            size_t alen = strcspn(a, "+,");
            long k = input_named(d, a, alen);
            if (k < 0)
                return sr_error_set(err, SR_EXIT_USAGE, "voi: --groups: '%.*s' is no input "
                                    "of the result set (its names under /parameters, "
                                    "macro.<name>, termination_month)", (int)alen, a);
            if (set.n == SR_VOI_MAX_GROUP)
                return sr_error_set(err, SR_EXIT_USAGE, "voi: --groups: '%.*s' has more "
                                    "than %d inputs", (int)glen, g, SR_VOI_MAX_GROUP);
            for (size_t j = 0; j < set.n; j++)
                if (set.member[j] == (size_t)k)
                    return sr_error_set(err, SR_EXIT_USAGE, "voi: --groups: '%.*s' names an "
                                        "input twice", (int)glen, g);
            set.member[set.n++] = (size_t)k;
            a += alen + (a[alen] == '+');
        }
        if (set.n < 2)
            return sr_error_set(err, SR_EXIT_USAGE, "voi: --groups: '%.*s' is not a group of "
                                "2 or 3 inputs joined by +", (int)glen, g);
        o->groups[(*n_groups)++] = set;
        g += glen + (g[glen] == ',');
    }
    return 0;
}

/* ---- the trials ----------------------------------------------------------------------- */

/* Adds a copy of x as the input name. */
static int take_input(sr_voi_data *d, const char *name, const double *x, sr_error *err)
{
    double *copy = malloc(d->n_trials * sizeof *copy);
    if (copy == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    memcpy(copy, x, d->n_trials * sizeof *copy);
    return sr_voi_data_add(d, "", name, copy, err);
}

/* The trials of a run in memory, as sr_voi_read reads them from its file. */
static int data_from_run(const sr_resultset *rs, const sr_metric *metrics, size_t n_metrics,
                         sr_voi_data *d, sr_error *err)
{
    memset(d, 0, sizeof *d);
    d->n_trials = rs->n_trials;
    d->seed = rs->seed;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n_metrics; k++) {
        if (d->metric[metrics[k]] != NULL)
            continue;
        if ((d->metric[metrics[k]] = malloc(rs->n_trials * sizeof(double))) == NULL)
            rc = sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        else
            memcpy(d->metric[metrics[k]], sr_level_trials(&rs->portfolio, rs->n_trials,
                                                          metrics[k]),
                   rs->n_trials * sizeof(double));
    }
    for (size_t k = 0; rc == 0 && k < rs->n_parameters; k++)
        rc = take_input(d, rs->parameter_names[k], rs->parameters + k * rs->n_trials, err);
    if (rc == 0 && rs->recession_months != NULL)
        rc = take_input(d, "macro.recession_months", rs->recession_months, err);
    if (rc == 0 && rs->factor_mean != NULL)
        rc = take_input(d, "macro.factor_mean", rs->factor_mean, err);
    return rc;
}

/* A contract never terminated in a trial has no termination month (NaN): for the
 * regressions it is the horizon's length, a month past every termination. */
static void termination_never(sr_voi_data *d, unsigned n_months)
{
    for (size_t k = 0; k < d->n_inputs; k++)
        if (strcmp(d->inputs[k].name, "termination_month") == 0)
            for (size_t i = 0; i < d->n_trials; i++)
                if (isnan(d->inputs[k].x[i]))
                    d->inputs[k].x[i] = (double)n_months;
}

static bool any_finite(const double *x, size_t n)
{
    for (size_t i = 0; x != NULL && i < n; i++)
        if (isfinite(x[i]))
            return true;
    return false;
}

/* The metrics whose variance is attributed: savings, the paying budget's net results (by
 * the metric table), investors' NPV (last, left out without investors). */
static size_t attributed_metrics(sr_metric out[SR_N_METRICS + 2])
{
    sr_metric payer[SR_N_METRICS];
    const size_t n_payer = sr_metrics_ranked(SR_METRIC_PAYER, payer);
    size_t n = 0;
    out[n++] = SR_M_SAVINGS_TOTAL;
    for (size_t k = 0; k < n_payer; k++)
        out[n++] = payer[k];
    out[n++] = SR_M_INVESTOR_NPV;
    return n;
}

/* The metrics the analysis reads: those attributed and those the options name. */
static size_t wanted_metrics(const sr_voi_outcome *o, sr_metric *out)
{
    size_t n = attributed_metrics(out);
    for (size_t k = 0; k < o->decision[0].n_options; k++) {
        const unsigned m = o->decision[0].options[k].metric;
        bool have = m == SR_VOI_ZERO;
        for (size_t j = 0; j < n; j++)
            have |= out[j] == m;
        if (!have)
            out[n++] = (sr_metric)m;
    }
    return n;
}

static bool has_contract(const sr_model *m)
{
    for (size_t p = 0; p < m->n_programmes; p++)
        if (m->programmes[p].has_contract)
            return true;
    return false;
}

/* Removes the option named name from d. */
static void drop_option(sr_voi_decision_spec *d, const char *name)
{
    size_t kept = 0;
    for (size_t k = 0; k < d->n_options; k++)
        if (strcmp(d->options[k].name, name) != 0)
            d->options[kept++] = d->options[k];
    d->n_options = kept;
}

/* Whether a contract of m may be terminated. */
static bool may_terminate(const sr_model *m)
{
    for (size_t p = 0; p < m->n_programmes; p++)
        if (m->programmes[p].has_contract && m->programmes[p].contract.has_termination)
            return true;
    return false;
}

static bool has_input(const sr_voi_data *d, const char *name)
{
    return input_named(d, name, strlen(name)) >= 0;
}

/* Participants: the programmes' cohort sizes summed. */
static double participants(const sr_model *m)
{
    double persons = 0.0;
    for (size_t p = 0; p < m->n_programmes; p++)
        persons += m->programmes[p].size;
    return persons;
}

/* ---- the command ---------------------------------------------------------------------- */

void sr_voi_outcome_clear(sr_voi_outcome *o)
{
    sr_voi_report_clear(&o->report);
    sr_voi_data_clear(&o->data);
    free(o->option_names);
    free(o->groups);
    memset(o, 0, sizeof *o);
}

/* The trials: read from the result file, or simulated; *sc is the scenario as run and
 * *rs the run's result set (NULL from a file). */
static int trials(const sr_voi_request *rq, sr_voi_outcome *o, const sr_metric *metrics,
                  size_t n_metrics, sr_scenario **sc, sr_resultset **rs, sr_error *err)
{
    *sc = NULL;
    *rs = NULL;
    if (rq->from_file) {
        sr_voi_source src;
        int rc = sr_voi_read(rq->operand, metrics, n_metrics, &o->data, &src, err);
        if (rc != 0)
            return rc;
        *sc = sr_scenario_load_text(rq->operand, src.scenario, strlen(src.scenario), NULL, 0,
                                    err);
        sr_voi_source_clear(&src);
        if (*sc == NULL) {
            sr_error_prefix(err, "the scenario the result set holds (/scenario)");
            return err->code;
        }
        return 0;
    }
    *sc = sr_scenario_load(rq->operand, rq->overrides, rq->n_overrides, err);
    if (*sc == NULL)
        return err->code;
    int rc = sr_memory_check(rq->operand, sc, NULL, 1, rq->run, err);
    if (rc == 0 && (*rs = sr_run((*sc)->model, (*sc)->text, rq->run, err)) == NULL)
        rc = err->code;
    if (rc == 0)
        rc = data_from_run(*rs, metrics, n_metrics, &o->data, err);
    return rc;
}

/* The result file: a copy of the result file read, or the run's result set, with /voi. */
static int build_file(const sr_voi_request *rq, const sr_resultset *rs,
                      const sr_voi_report *r, sr_h5_file **file, sr_error *err)
{
    sr_h5_file *f = rq->from_file ? sr_h5_file_copy(rq->operand, rq->output, err)
                                  : sr_h5_file_create(rq->output, err);
    if (f == NULL)
        return err->code;
    int rc = rs != NULL ? sr_h5_write_layout(sr_h5_file_root(f), rs, err) : 0;
    if (rc == 0)
        rc = sr_voi_write(sr_h5_file_root(f), r, err);
    if (rc != 0) {
        sr_error_prefix(err, "%s", rq->output);
        sr_h5_file_abort(f);
        return rc;
    }
    *file = f;
    return 0;
}

int sr_voi_probe(const sr_voi_request *rq, sr_error *err)
{
    sr_voi_outcome o = {0};
    sr_metric metrics[SR_N_METRICS + 2 + SR_VOI_MAX_OPTIONS];
    sr_voi_source src;
    int rc = parse_options(rq->options, &o, err);
    if (rc == 0)
        rc = sr_voi_read(rq->operand, metrics, wanted_metrics(&o, metrics), &o.data, &src, err);
    if (rc == 0)
        sr_voi_source_clear(&src);
    sr_voi_outcome_clear(&o);
    return rc;
}

int sr_voi_run(const sr_voi_request *rq, sr_voi_outcome *o, sr_h5_file **file, sr_error *err)
{
    memset(o, 0, sizeof *o);
    *file = NULL;
    sr_scenario *sc = NULL;
    sr_resultset *rs = NULL;
    sr_metric metrics[SR_N_METRICS + 2 + SR_VOI_MAX_OPTIONS];
    size_t n_groups = 0;
    int rc = parse_options(rq->options, o, err);
    if (rc != 0)
        return rc;
    const size_t n_metrics = wanted_metrics(o, metrics);
    if ((rc = trials(rq, o, metrics, n_metrics, &sc, &rs, err)) != 0)
        goto out;
    const sr_model *m = sc->model;
    if (rq->options == NULL && !has_contract(m))
        drop_option(&o->decision[0], "pay_by_results");   /* nobody to pay by results */
    o->data.persons = participants(m);
    termination_never(&o->data, m->n_months);
    o->termination_unrecorded = may_terminate(m) && !has_input(&o->data, "termination_month");
    if ((rc = parse_groups(rq->groups, &o->data, o, &n_groups, err)) != 0)
        goto out;
    size_t n_decisions = 1;
    if (any_finite(o->data.metric[SR_M_INVESTOR_NPV], o->data.n_trials))
        o->decision[n_decisions++] = (sr_voi_decision_spec){
            .key = "investor", .title = "investors", .n_options = 2,
            .options = {{"invest", SR_M_INVESTOR_NPV}, {"decline", SR_VOI_ZERO}}};
    sr_metric attributed[SR_N_METRICS + 2];
    const size_t n_attributed = attributed_metrics(attributed);
    const sr_voi_spec spec = {
        .n_decisions = n_decisions,
        .decisions = o->decision,
        .n_groups = n_groups,
        .groups = o->groups,
        .n_metrics = n_decisions > 1 ? n_attributed : n_attributed - 1,
        .metrics = attributed,
        .bootstrap = rq->bootstrap > 0 ? rq->bootstrap : SR_VOI_BOOTSTRAP,
        .threads = rq->run != NULL ? rq->run->threads : 0,
    };
    if ((rc = sr_voi_analyse(&o->data, &spec, &o->report, err)) != 0)
        goto out;
    o->report.population = rq->population > 0.0 ? rq->population : o->data.persons;
    if (rq->n_pilots > 0) {
        sr_pilot_spec ps = {.n_sizes = rq->n_pilots, .size = rq->pilot_size,
                            .months = rq->pilot_months};
        sr_pilot_result pr = {0};
        if ((rc = sr_pilot_run(m, &ps, o->data.n_trials, rq->run, &pr, err)) == 0)
            rc = sr_voi_evsi(&o->report, &o->data, &spec, rq->pilot_size, pr.cost,
                             rq->n_pilots, pr.stats, SR_PILOT_STATS, err);
        o->pilot_months = pr.months;
        o->pilot_control = pr.control_ratio;
        sr_pilot_result_clear(&pr);
        if (rc != 0)
            goto out;
    }
    if (rq->run != NULL && rq->run->interrupted != NULL && *rq->run->interrupted) {
        rc = sr_error_set(err, SR_EXIT_INTERRUPTED, "interrupted");
        goto out;
    }
    rc = build_file(rq, rs, &o->report, file, err);
out:
    sr_resultset_free(rs);
    sr_scenario_free(sc);
    return rc;
}
