/* Sweeps: the command line's --param/--values turned into per-point overrides, every point
 * checked before any runs, then run in order on the same seed, and each result set
 * condensed into a row of the sweep table. Why the points share their random numbers is
 * in sweep.h; nothing here touches a random stream. */
#include "sim/variants/sweep.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/summary.h"
#include "sim/resultset/h5write.h"
#include "sim/scenario/scenario.h"
#include "sim/variants/variant_file.h"

#define SR_UNITS_PP "DKK per participant (present value at the public rate)"

const sr_sweep_column_info sr_sweep_columns[SR_SWEEP_N_COLUMNS] = {
    [SR_SWEEP_PERSONS] = {
        "persons", "persons", "persons",
        "Participants: the sum of the programmes' cohort sizes in the point's scenario."},
    [SR_SWEEP_SAVINGS_PP_MEAN] = {
        "savings_per_participant_mean", "sav/p", SR_UNITS_PP,
        "Mean over trials of savings_total (portfolio) divided by the participants."},
    [SR_SWEEP_SAVINGS_PP_SD] = {
        "savings_per_participant_sd", "sd", SR_UNITS_PP,
        "Standard deviation over trials of savings_total divided by the participants "
        "(divisor trials - 1)."},
    [SR_SWEEP_SAVINGS_PP_MCSE] = {
        "savings_per_participant_mcse", "mcse", SR_UNITS_PP,
        "Monte Carlo standard error of savings_per_participant_mean: sd / sqrt(trials)."},
    [SR_SWEEP_SAVINGS_CV] = {
        "savings_cv", "CV", "1 (sd / mean)",
        "Coefficient of variation of savings_total over trials: sd / mean (NaN for a zero "
        "mean). Savings vary through the persons in which the treated and counterfactual "
        "arms differ, a number that grows with the cohort, so without systematic risk it "
        "falls like 1/sqrt(participants); parameter, macro and termination risk leave a "
        "floor."},
    [SR_SWEEP_COST_PP] = {
        "cost_per_participant", "cost/p", SR_UNITS_PP,
        "Mean over trials of programme_cost (portfolio) divided by the participants: fixed "
        "costs spread over more people."},
    [SR_SWEEP_POWER] = {
        "power", "power", "1 (share of trials)",
        "The evaluation's power: mean of evaluation_significant over the trials where it is "
        "defined (NaN without a control group or historical baseline)."},
    [SR_SWEEP_POWER_MCSE] = {
        "power_mcse", "mcse", "1 (share of trials)",
        "Monte Carlo standard error of the power: sd / sqrt(trials where it is defined)."},
    [SR_SWEEP_P_INVESTOR_LOSS] = {
        "p_investor_loss", "P(loss)", "1 (share of trials)",
        "Probability that investors receive less than they paid in: mean of investor_loss "
        "(NaN without a contract)."},
    [SR_SWEEP_IRR_Q50] = {
        "investor_irr_q50", "IRR q50", "per year (annual effective rate)",
        "Median over trials of investor_irr, over the trials where it exists."},
    [SR_SWEEP_IRR_Q05] = {
        "investor_irr_q05", "IRR q05", "per year (annual effective rate)",
        "5% quantile over trials of investor_irr, over the trials where it exists."},
    [SR_SWEEP_NET_SIB_MEAN] = {
        "municipality_net_sib_mean", "net mDKK", "DKK (present value at the public rate)",
        "The paying budget's expected net result under payment by results: mean over trials "
        "of municipality_net_sib (portfolio)."},
};

/* ---- the specification ------------------------------------------------------------- */

static char *copy_span(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (c != NULL) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

/* s[0..n) without leading and trailing blanks, as a new string. */
static char *copy_trimmed(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return copy_span(s, n);
}

/* Length of the item starting at s: up to the first ',' outside brackets, braces and
 * quotes, or the end. Sets *unbalanced when a bracket or quote is left open. */
static size_t item_length(const char *s, bool *unbalanced)
{
    int depth = 0;
    char quote = 0;
    size_t i = 0;
    for (; s[i] != '\0'; i++) {
        char c = s[i];
        if (quote) {
            if (quote == '"' && c == '\\' && s[i + 1] != '\0')
                i++;
            else if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            depth--;
        } else if (c == ',' && depth == 0) {
            break;
        }
    }
    *unbalanced = quote != 0 || depth != 0;
    return i;
}

/* Splits list at top-level commas into trimmed items (malloc'd array of malloc'd strings).
 * Returns the count, or 0 with err filled (`what` names the option in messages). */
static size_t split_items(const char *list, const char *what, char ***out, sr_error *err)
{
    size_t n = 0, cap = 0;
    char **items = NULL;
    const char *p = list;
    for (;;) {
        bool unbalanced;
        size_t len = item_length(p, &unbalanced);
        if (unbalanced) {
            sr_error_set(err, SR_EXIT_USAGE, "%s: unbalanced bracket or quote in '%s'", what,
                         list);
            goto fail;
        }
        char *item = copy_trimmed(p, len);
        if (item == NULL) {
            sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
            goto fail;
        }
        if (item[0] == '\0') {
            free(item);
            sr_error_set(err, SR_EXIT_USAGE, "%s: an empty value in '%s'", what, list);
            goto fail;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            char **grown = realloc(items, cap * sizeof *grown);
            if (grown == NULL) {
                free(item);
                sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
                goto fail;
            }
            items = grown;
        }
        items[n++] = item;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    *out = items;
    return n;
fail:
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    return 0;
}

static size_t total_keys(const sr_sweep_spec *s)
{
    size_t n = 0;
    for (size_t p = 0; p < s->n_params; p++)
        n += s->param[p].n_keys;
    return n;
}

int sr_sweep_spec_param(sr_sweep_spec *s, const char *text, sr_error *err)
{
    if (s->n_params > 0 && s->param[s->n_params - 1].n_values == 0)
        return sr_error_set(err, SR_EXIT_USAGE, "--param %s: the --param before it has no "
                            "--values", s->param[s->n_params - 1].key[0]);
    char **keys = NULL;
    size_t n = split_items(text, "--param", &keys, err);
    if (n == 0)
        return err->code;
    int rc = 0;
    if (total_keys(s) + n > SR_SWEEP_MAX_KEYS) {
        rc = sr_error_set(err, SR_EXIT_USAGE, "--param %s: a sweep sets at most %d keys "
                          "(two --params, or one with two paired keys)", text,
                          SR_SWEEP_MAX_KEYS);
        goto done;
    }
    for (size_t j = 0; j < n && rc == 0; j++) {
        for (size_t p = 0; p < s->n_params && rc == 0; p++)
            for (size_t q = 0; q < s->param[p].n_keys && rc == 0; q++)
                if (strcmp(s->param[p].key[q], keys[j]) == 0)
                    rc = sr_error_set(err, SR_EXIT_USAGE, "--param %s: key %s is swept "
                                      "twice", text, keys[j]);
        for (size_t q = 0; q < j && rc == 0; q++)
            if (strcmp(keys[q], keys[j]) == 0)
                rc = sr_error_set(err, SR_EXIT_USAGE, "--param %s: key %s is swept twice",
                                  text, keys[j]);
    }
    if (rc != 0)
        goto done;
    sr_sweep_param *sp = &s->param[s->n_params++];
    memset(sp, 0, sizeof *sp);
    sp->n_keys = n;
    for (size_t j = 0; j < n; j++) {
        sp->key[j] = keys[j];
        keys[j] = NULL;
    }
done:
    for (size_t j = 0; j < n; j++)
        free(keys[j]);
    free(keys);
    return rc;
}

int sr_sweep_spec_values(sr_sweep_spec *s, const char *list, sr_error *err)
{
    if (s->n_params == 0)
        return sr_error_set(err, SR_EXIT_USAGE, "--values %s: no --param before it", list);
    sr_sweep_param *sp = &s->param[s->n_params - 1];
    if (sp->n_values > 0)
        return sr_error_set(err, SR_EXIT_USAGE, "--values %s: --param %s has its --values "
                            "already", list, sp->key[0]);
    char **items = NULL;
    size_t n = split_items(list, "--values", &items, err);
    if (n == 0)
        return err->code;
    char **value = calloc(n * sp->n_keys, sizeof *value);
    if (value == NULL) {
        sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        goto fail;
    }
    for (size_t v = 0; v < n; v++) {
        if (sp->n_keys == 1) {
            if ((value[v] = copy_span(items[v], strlen(items[v]))) == NULL) {
                sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
                goto fail;
            }
            continue;
        }
        /* paired keys: a flow sequence [a, b] with one value per key */
        const char *it = items[v];
        size_t len = strlen(it);
        char **parts = NULL;
        size_t n_parts = 0;
        if (len >= 2 && it[0] == '[' && it[len - 1] == ']') {
            char *inner = copy_span(it + 1, len - 2);
            if (inner == NULL) {
                sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
                goto fail;
            }
            n_parts = split_items(inner, "--values", &parts, err);
            free(inner);
            if (n_parts == 0 && err->code == SR_EXIT_SOFTWARE)
                goto fail;
        }
        if (n_parts != sp->n_keys) {
            for (size_t j = 0; j < n_parts; j++)
                free(parts[j]);
            free(parts);
            sr_error_set(err, SR_EXIT_USAGE, "--values: '%s' is not a list of %zu values "
                         "[%s, ...] for the paired --param %s,%s", it, sp->n_keys,
                         sp->key[0], sp->key[0], sp->key[1]);
            goto fail;
        }
        for (size_t j = 0; j < n_parts; j++)
            value[v * sp->n_keys + j] = parts[j];
        free(parts);
    }
    sp->item = items;
    sp->value = value;
    sp->n_values = n;
    return 0;
fail:
    if (value != NULL)
        for (size_t i = 0; i < n * sp->n_keys; i++)
            free(value[i]);
    free(value);
    for (size_t v = 0; v < n; v++)
        free(items[v]);
    free(items);
    return err->code;
}

int sr_sweep_spec_check(const sr_sweep_spec *s, sr_error *err)
{
    if (s->n_params == 0)
        return sr_error_set(err, SR_EXIT_USAGE, "sweep needs --param PATH --values V1,V2,...");
    for (size_t p = 0; p < s->n_params; p++)
        if (s->param[p].n_values == 0)
            return sr_error_set(err, SR_EXIT_USAGE, "--param %s has no --values",
                                s->param[p].key[0]);
    return 0;
}

size_t sr_sweep_spec_points(const sr_sweep_spec *s)
{
    size_t k = s->n_params > 0 ? 1 : 0;
    for (size_t p = 0; p < s->n_params; p++)
        k *= s->param[p].n_values;
    return k;
}

void sr_sweep_spec_clear(sr_sweep_spec *s)
{
    for (size_t p = 0; p < s->n_params; p++) {
        sr_sweep_param *sp = &s->param[p];
        for (size_t j = 0; j < sp->n_keys; j++)
            free(sp->key[j]);
        for (size_t v = 0; v < sp->n_values; v++)
            free(sp->item[v]);
        for (size_t i = 0; i < sp->n_values * sp->n_keys; i++)
            free(sp->value[i]);
        free(sp->item);
        free(sp->value);
    }
    memset(s, 0, sizeof *s);
}

/* ---- the table ---------------------------------------------------------------------- */

void sr_sweep_row(const sr_model *m, const sr_resultset *rs, double *scratch, double *row)
{
    const size_t n = rs->n_trials;
    double persons = 0.0;
    for (size_t p = 0; p < m->n_programmes; p++)
        persons += m->programmes[p].size;
    sr_summary savings, cost, power, loss, irr, net;
    const sr_level *l = &rs->portfolio;
    sr_summary_compute(sr_level_trials(l, n, SR_M_SAVINGS_TOTAL), n, scratch, &savings);
    sr_summary_compute(sr_level_trials(l, n, SR_M_PROGRAMME_COST), n, scratch, &cost);
    sr_summary_compute(sr_level_trials(l, n, SR_M_EVALUATION_SIGNIFICANT), n, scratch, &power);
    sr_summary_compute(sr_level_trials(l, n, SR_M_INVESTOR_LOSS), n, scratch, &loss);
    sr_summary_compute(sr_level_trials(l, n, SR_M_INVESTOR_IRR), n, scratch, &irr);
    sr_summary_compute(sr_level_trials(l, n, SR_M_MUNICIPALITY_NET_SIB), n, scratch, &net);

    row[SR_SWEEP_PERSONS] = persons;
    row[SR_SWEEP_SAVINGS_PP_MEAN] = savings.mean / persons;
    row[SR_SWEEP_SAVINGS_PP_SD] = savings.sd / persons;
    row[SR_SWEEP_SAVINGS_PP_MCSE] = savings.mcse / persons;
    row[SR_SWEEP_SAVINGS_CV] = savings.mean != 0.0 ? savings.sd / savings.mean : NAN;
    row[SR_SWEEP_COST_PP] = cost.mean / persons;
    row[SR_SWEEP_POWER] = power.mean;
    row[SR_SWEEP_POWER_MCSE] = power.mcse;
    row[SR_SWEEP_P_INVESTOR_LOSS] = loss.mean;
    row[SR_SWEEP_IRR_Q50] = irr.q[SR_Q50];
    row[SR_SWEEP_IRR_Q05] = irr.q[SR_Q05];
    row[SR_SWEEP_NET_SIB_MEAN] = net.mean;
}

/* ---- running -------------------------------------------------------------------------- */

/* The number a YAML scalar denotes, or NaN when it is not a plain decimal number (a
 * string, a quoted scalar, a collection). */
static double numeric_value(const char *text)
{
    if (strchr("+-.0123456789", text[0]) == NULL || strpbrk(text, "xXoO_") != NULL)
        return NAN;
    char *end;
    double v = strtod(text, &end);
    return end != text && *end == '\0' && isfinite(v) ? v : NAN;
}

/* Each --param's value index at point i (grid: the first --param outermost). */
static void point_indices(const sr_sweep_spec *s, size_t i, size_t *idx)
{
    for (size_t p = s->n_params; p-- > 0;) {
        idx[p] = i % s->param[p].n_values;
        i /= s->param[p].n_values;
    }
}

/* Rewrites the loader's message for point i: "--param KEYS, value V: ..." instead of the
 * "--set PATH=VALUE: " it begins with when a swept value itself is invalid. */
static void point_error(sr_error *err, const sr_sweep_spec *s, const size_t *idx)
{
    char keys[1024] = "", values[1024] = "";
    for (size_t p = 0; p < s->n_params; p++) {
        const sr_sweep_param *sp = &s->param[p];
        size_t kl = strlen(keys), vl = strlen(values);
        snprintf(keys + kl, sizeof keys - kl, "%s--param ", p ? " " : "");
        for (size_t j = 0; j < sp->n_keys; j++) {
            kl = strlen(keys);
            snprintf(keys + kl, sizeof keys - kl, "%s%s", j ? "," : "", sp->key[j]);
        }
        snprintf(values + vl, sizeof values - vl, "%s%s", p ? " and " : "",
                 sp->item[idx[p]]);
        /* the loader's "--set PATH=VALUE: " prefix, if one of this point's keys failed */
        for (size_t j = 0; j < sp->n_keys; j++) {
            char prefix[1024];
            int n = snprintf(prefix, sizeof prefix, "--set %s=%s: ", sp->key[j],
                             sp->value[idx[p] * sp->n_keys + j]);
            if (n > 0 && (size_t)n < sizeof prefix && strncmp(err->msg, prefix, (size_t)n) == 0)
                memmove(err->msg, err->msg + n, strlen(err->msg + n) + 1);
        }
    }
    sr_error_prefix(err, "%s, value %s", keys, values);
}

/* The overrides of point i: the command line's, then the swept keys'. all has room for
 * n_overrides + SR_SWEEP_MAX_KEYS; returns how many are set. The strings are borrowed. */
static size_t point_overrides(const sr_sweep_spec *s, const size_t *idx,
                              const sr_override *overrides, size_t n_overrides,
                              sr_override *all)
{
    if (n_overrides > 0)
        memcpy(all, overrides, n_overrides * sizeof *all);
    size_t n = n_overrides;
    for (size_t p = 0; p < s->n_params; p++) {
        const sr_sweep_param *sp = &s->param[p];
        for (size_t j = 0; j < sp->n_keys; j++)
            all[n++] = (sr_override){sp->key[j], sp->value[idx[p] * sp->n_keys + j]};
    }
    return n;
}

static int fill_values(const sr_sweep_spec *s, sr_sweep_result *out, sr_error *err)
{
    size_t k = sr_sweep_spec_points(s), n_keys = total_keys(s);
    out->k = k;
    out->n_keys = n_keys;
    out->design = s->n_params == 2 ? "grid" : n_keys == 2 ? "paired" : "single";
    out->values = malloc(k * n_keys * sizeof *out->values);
    out->value_text = malloc(k * n_keys * sizeof *out->value_text);
    out->table = malloc(SR_SWEEP_N_COLUMNS * k * sizeof *out->table);
    if (out->values == NULL || out->value_text == NULL || out->table == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for a sweep of %zu points",
                            k);
    for (size_t c = 0; c < SR_SWEEP_N_COLUMNS * k; c++)
        out->table[c] = NAN;
    size_t j = 0;
    for (size_t p = 0; p < s->n_params; p++)
        for (size_t q = 0; q < s->param[p].n_keys; q++)
            out->key[j++] = s->param[p].key[q];
    size_t idx[SR_SWEEP_MAX_KEYS];
    for (size_t i = 0; i < k; i++) {
        point_indices(s, i, idx);
        size_t col = 0;
        for (size_t p = 0; p < s->n_params; p++) {
            const sr_sweep_param *sp = &s->param[p];
            for (size_t q = 0; q < sp->n_keys; q++, col++) {
                const char *text = sp->value[idx[p] * sp->n_keys + q];
                out->value_text[i * n_keys + col] = text;
                out->values[i * n_keys + col] = numeric_value(text);
            }
        }
    }
    return 0;
}

/* A sweep while its points run: the hooks' context. */
typedef struct {
    sr_sweep_result *out;     /* values filled; the table row by row */
    double *scratch;          /* [n_scratch]: sr_sweep_row's workspace */
    size_t n_scratch;
    sr_sweep_point_fn fn;     /* the caller's, after each point; may be NULL */
    void *ctx;
} sweep_run;

/* "sweep point 2/4: KEY=VALUE ..." on stderr before point i runs. */
static void show_point(void *ctx, size_t i)
{
    const sr_sweep_result *out = ((const sweep_run *)ctx)->out;
    fprintf(stderr, "sweep point %zu/%zu:", i + 1, out->k);
    for (size_t j = 0; j < out->n_keys; j++)
        fprintf(stderr, " %s=%s", out->key[j], out->value_text[i * out->n_keys + j]);
    fputc('\n', stderr);
}

/* Point i's row of the table, then the caller's function. */
static int point_done(void *ctx, size_t i, const sr_model *m, const sr_resultset *rs,
                      sr_error *err)
{
    sweep_run *r = ctx;
    /* points have the same trials unless simulation.trials is swept */
    if (rs->n_trials > r->n_scratch) {
        double *grown = realloc(r->scratch, rs->n_trials * sizeof *grown);
        if (grown == NULL)
            return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        r->scratch = grown;
        r->n_scratch = rs->n_trials;
    }
    double row[SR_SWEEP_N_COLUMNS];
    sr_sweep_row(m, rs, r->scratch, row);
    for (size_t c = 0; c < SR_SWEEP_N_COLUMNS; c++)
        r->out->table[c * r->out->k + i] = row[c];
    return r->fn != NULL ? r->fn(r->ctx, r->out, i, m, rs, err) : 0;
}

/* After the root layout: /sweep with its values, then /sweep/points, returned open. */
static hid_t open_points_group(void *ctx, sr_h5_file *f, sr_error *err)
{
    const sweep_run *r = ctx;
    return sr_variant_file_sweep_parent(f, r->out, err);
}

/* The variants of the sweep: point i is the scenario with the command line's overrides
 * and then the swept values of point i. Every point's scenario is loaded here, before any
 * runs: a bad value fails in a second, not after an hour of the points before it. */
static int load_points(const sr_variants_request *rq, const sr_sweep_spec *spec,
                       sr_variants *v, sr_error *err)
{
    const size_t k = sr_sweep_spec_points(spec);
    sr_override *all = calloc(rq->n_overrides + SR_SWEEP_MAX_KEYS, sizeof *all);
    if (all == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    int rc = sr_variants_alloc(v, k, err);
    size_t idx[SR_SWEEP_MAX_KEYS];
    for (size_t i = 0; i < k && rc == 0; i++) {
        point_indices(spec, i, idx);
        size_t n_all = point_overrides(spec, idx, rq->overrides, rq->n_overrides, all);
        sr_scenario *sc = sr_scenario_load(rq->scenario, all, n_all, err);
        if (sc == NULL) {
            if (err->code == SR_EXIT_DATAERR)
                point_error(err, spec, idx);
            rc = err->code;
            break;
        }
        char name[32], label[64];
        snprintf(name, sizeof name, "%zu", i);
        snprintf(label, sizeof label, "sweep point %zu of %zu", i + 1, k);
        rc = sr_variants_set(v, i, sc, name, label, err);
    }
    free(all);
    return rc;
}

int sr_sweep_run(const sr_variants_request *rq, const sr_sweep_spec *spec,
                 sr_sweep_point_fn fn, void *ctx, sr_sweep_result *out, sr_h5_file **file,
                 sr_error *err)
{
    sr_sweep_result own;
    if (out == NULL)
        out = &own;
    memset(out, 0, sizeof *out);
    if (file != NULL)
        *file = NULL;
    sr_variants v = {0};
    sweep_run r = {.out = out, .fn = fn, .ctx = ctx};
    sr_h5_file *f = NULL;
    int rc = sr_sweep_spec_check(spec, err);
    if (rc == 0)
        rc = fill_values(spec, out, err);
    if (rc == 0)
        rc = load_points(rq, spec, &v, err);
    if (rc == 0) {
        const sr_variant_hooks hooks = {.ctx = &r, .show_progress = show_point,
                                        .after_run = point_done,
                                        .open_parent = open_points_group};
        rc = sr_variants_run(&v, rq, &hooks, &f, err);
    }
    if (rc == 0 && f != NULL && sr_variant_file_sweep_table(f, out, err) != 0) {
        sr_error_prefix(err, "%s", rq->output);
        rc = err->code;
    }
    sr_variants_clear(&v);
    free(r.scratch);
    if (rc != 0 || out == &own)
        sr_sweep_result_clear(out);
    if (rc != 0 || file == NULL) {
        sr_h5_file_abort(f);
        f = NULL;
    }
    if (file != NULL)
        *file = f;
    return rc;
}

void sr_sweep_result_clear(sr_sweep_result *s)
{
    free(s->values);
    free(s->value_text);
    free(s->table);
    memset(s, 0, sizeof *s);
}
