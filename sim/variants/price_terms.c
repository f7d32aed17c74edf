/* The words of a price search: the term paths it can vary, the statistic it targets,
 * brackets and lists of values (price.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/summary.h"
#include "sim/variants/price.h"

#define TERM_FORMS                                                                         \
    "programmes[i].contract.outcomes[j].price, programmes[i].contract.outcomes[*].price (a " \
    "factor on every price), programmes[i].contract.share, programmes[i].contract.cap_total, " \
    "programmes[i].contract.annual_frame, programmes[i].financing.guarantee.first_loss or "  \
    "programmes[i].financing.surplus.cap_irr"

/* A finite number that is the whole of text. */
static bool parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool sr_price_numbers(const char *text, double *out, size_t max, size_t *n)
{
    char buf[64];
    *n = 0;
    for (const char *p = text;; p++) {
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof buf || *n == max)
            return false;
        memcpy(buf, p, len);
        buf[len] = '\0';
        if (!parse_number(buf, &out[(*n)++]))
            return false;
        p += len;
        if (*p == '\0')
            return true;
    }
}

/* ---- the spec's words -------------------------------------------------------------- */

static int check_map(const char *map, sr_error *err)
{
    const char *eq = strchr(map, '=');
    double values[SR_PRICE_MAX_VALUES];
    size_t n;
    if (eq == NULL || eq == map || !sr_price_numbers(eq + 1, values, SR_PRICE_MAX_VALUES, &n))
        return sr_error_set(err, SR_EXIT_USAGE, "--map: expected PATH=V1,V2,... (at most %d "
                            "numbers), got '%s'", SR_PRICE_MAX_VALUES, map);
    return 0;
}

int sr_price_spec_check(const sr_price_spec *s, sr_error *err)
{
    const bool solve = s->vary != NULL || s->target != NULL || s->bracket != NULL;
    const bool map = s->n_maps > 0 || s->investor_irr != NULL || s->municipality_risk != NULL;
    if (solve && map)
        return sr_error_set(err, SR_EXIT_USAGE, "either solve for a term (--vary, --target, "
                            "--bracket) or map terms (--map, --investor-irr, "
                            "--municipality-risk), not both");
    if (!solve && !map)
        return sr_error_set(err, SR_EXIT_USAGE, "give --vary PATH --target STATISTIC=VALUE, "
                            "or --map PATH=V1,V2,...");
    if (solve && (s->vary == NULL || s->target == NULL))
        return sr_error_set(err, SR_EXIT_USAGE, "%s needs %s", s->vary == NULL ? "--target"
                                                                                : "--vary",
                            s->vary == NULL ? "--vary PATH" : "--target STATISTIC=VALUE");
    if (map && s->n_maps == 0)
        return sr_error_set(err, SR_EXIT_USAGE, "%s needs --map PATH=V1,V2,...",
                            s->investor_irr != NULL ? "--investor-irr"
                                                    : "--municipality-risk");
    double v, b[3];
    size_t n;
    if (s->target != NULL) {
        const char *eq = strchr(s->target, '=');
        if (eq == NULL || eq == s->target || !parse_number(eq + 1, &v))
            return sr_error_set(err, SR_EXIT_USAGE, "--target: expected METRIC.STATISTIC="
                                "VALUE, e.g. investor_irr.q50=0.06, got '%s'", s->target);
    }
    if (s->bracket != NULL && (!sr_price_numbers(s->bracket, b, 2, &n) || n != 2 ||
                               !(b[0] < b[1])))
        return sr_error_set(err, SR_EXIT_USAGE, "--bracket: expected LO,HI with LO < HI, got "
                            "'%s'", s->bracket);
    for (size_t k = 0; k < s->n_maps; k++)
        if (check_map(s->map[k], err) != 0)
            return err->code;
    if (s->investor_irr != NULL && (!parse_number(s->investor_irr, &v) || v <= -1.0))
        return sr_error_set(err, SR_EXIT_USAGE, "--investor-irr: expected an annual rate "
                            "above -1, got '%s'", s->investor_irr);
    if (s->municipality_risk != NULL &&
        (!parse_number(s->municipality_risk, &v) || v < 0.0 || v > 1.0))
        return sr_error_set(err, SR_EXIT_USAGE, "--municipality-risk: expected a probability "
                            "from 0 to 1, got '%s'", s->municipality_risk);
    return 0;
}

/* ---- term paths ------------------------------------------------------------------------ */

/* Takes the literal lit at *p. */
static bool take(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n) != 0)
        return false;
    *p += n;
    return true;
}

/* Takes "<digits>]" at *p (an index below 10^9). */
static bool take_index(const char **p, size_t *out)
{
    size_t digits = strspn(*p, "0123456789");
    if (digits == 0 || digits > 9 || (*p)[digits] != ']')
        return false;
    *out = (size_t)strtoul(*p, NULL, 10);
    *p += digits + 1;
    return true;
}

/* The kind of term `rest` names after "programmes[i].", or -1; *outcome and *all for an
 * outcome's price ("[*]": all). */
static int term_kind(const char *rest, size_t *outcome, bool *all)
{
    static const struct {
        const char *key;
        sr_term_kind kind;
    } keys[] = {
        {"contract.share", SR_TERM_SHARE},
        {"contract.cap_total", SR_TERM_CAP_TOTAL},
        {"contract.annual_frame", SR_TERM_ANNUAL_FRAME},
        {"financing.guarantee.first_loss", SR_TERM_FIRST_LOSS},
        {"financing.surplus.cap_irr", SR_TERM_CAP_IRR},
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (strcmp(rest, keys[k].key) == 0)
            return (int)keys[k].kind;
    const char *p = rest;
    if (!take(&p, "contract.outcomes["))
        return -1;
    *all = take(&p, "*]");
    if (!*all && !take_index(&p, outcome))
        return -1;
    return take(&p, ".price") && *p == '\0' ? (int)(*all ? SR_TERM_PRICE_SCALE : SR_TERM_PRICE)
                                            : -1;
}

static const char *term_units(sr_term_kind kind)
{
    switch (kind) {
    case SR_TERM_PRICE:
        return "DKK per achievement";
    case SR_TERM_PRICE_SCALE:
        return "1 (a factor on every price)";
    case SR_TERM_SHARE:
        return "1 (share of the measured savings)";
    case SR_TERM_CAP_TOTAL:
    case SR_TERM_ANNUAL_FRAME:
        return "DKK (nominal)";
    case SR_TERM_FIRST_LOSS:
        return "1 (share of paid-in)";
    case SR_TERM_CAP_IRR:
        return "per year (annual effective rate)";
    }
    return "";
}

/* The value the scenario gives the term (a distribution's mean), or NaN: none. */
static double as_given(const sr_model *m, const sr_programme *p, const sr_term *t)
{
    const sr_contract *c = &p->contract;
    const sr_financing *f = &p->financing;
    switch (t->kind) {
    case SR_TERM_PRICE:
        return sr_numdef_mean(&m->num[c->outcomes[t->outcome].price]);
    case SR_TERM_PRICE_SCALE:
        return 1.0;
    case SR_TERM_SHARE:
        return sr_numdef_mean(&m->num[c->share]);
    case SR_TERM_CAP_TOTAL:
        return c->has_cap_total ? sr_numdef_mean(&m->num[c->cap_total]) : NAN;
    case SR_TERM_ANNUAL_FRAME:
        return c->has_annual_frame ? sr_numdef_mean(&m->num[c->annual_frame]) : NAN;
    case SR_TERM_FIRST_LOSS:
        return f->has_guarantee ? sr_numdef_mean(&m->num[f->first_loss]) : NAN;
    case SR_TERM_CAP_IRR:
        return f->has_surplus_cap ? sr_numdef_mean(&m->num[f->cap_irr]) : NAN;
    }
    return NAN;
}

int sr_price_term_parse(const char *path, const sr_model *m, sr_price_term *out,
                        sr_error *err)
{
    const char *p = path;
    size_t programme = 0, outcome = 0;
    bool all = false;
    int kind = -1;
    if (take(&p, "programmes[") && take_index(&p, &programme) && take(&p, "."))
        kind = term_kind(p, &outcome, &all);
    if (kind < 0)
        return sr_error_set(err, SR_EXIT_USAGE, "'%s' is not a contract term a price search "
                            "can vary (those that never change the simulated paths): "
                            TERM_FORMS, path);
    if (programme >= m->n_programmes)
        return sr_error_set(err, SR_EXIT_DATAERR, "%s: the scenario has %zu programme%s",
                            path, m->n_programmes, m->n_programmes == 1 ? "" : "s");
    const sr_programme *pr = &m->programmes[programme];
    const sr_contract *c = &pr->contract;
    if (!pr->has_contract)
        return sr_error_set(err, SR_EXIT_DATAERR, "%s: programme '%s' has no contract", path,
                            pr->name);
    const bool card = c->type == SR_CONTRACT_RATE_CARD;
    if (kind == SR_TERM_SHARE && card)
        return sr_error_set(err, SR_EXIT_DATAERR, "%s: programme '%s' pays by a rate card, "
                            "which has no share", path, pr->name);
    if ((kind == SR_TERM_PRICE || kind == SR_TERM_PRICE_SCALE) && !card)
        return sr_error_set(err, SR_EXIT_DATAERR, "%s: programme '%s' pays a savings share, "
                            "which has no prices", path, pr->name);
    if (kind == SR_TERM_PRICE && outcome >= c->n_outcomes)
        return sr_error_set(err, SR_EXIT_DATAERR, "%s: programme '%s' has %zu outcome%s", path,
                            pr->name, c->n_outcomes, c->n_outcomes == 1 ? "" : "s");
    for (size_t o = 0; kind == SR_TERM_PRICE_SCALE && o < c->n_outcomes; o++)
        if (m->num[c->outcomes[o].price].kind != SR_DIST_FIXED)
            return sr_error_set(err, SR_EXIT_DATAERR, "%s: a factor on the prices needs "
                                "every price fixed, and programmes[%zu].contract.outcomes[%zu]"
                                ".price is a distribution (vary one price alone)", path,
                                programme, o);
    *out = (sr_price_term){
        .path = path,
        .term = {.kind = (sr_term_kind)kind, .programme = programme, .outcome = outcome},
        .units = term_units((sr_term_kind)kind),
    };
    out->as_given = as_given(m, pr, &out->term);
    return 0;
}

void sr_price_sets_free(char **sets, size_t n)
{
    for (size_t k = 0; sets != NULL && k < n; k++)
        free(sets[k]);
    free(sets);
}

/* "PATH=VALUE" with the value printed to read back as the same number. */
static char *set_of(const char *path, double v)
{
    int len = snprintf(NULL, 0, "%s=%.17g", path, v);
    char *s = malloc((size_t)len + 1);
    if (s != NULL)
        snprintf(s, (size_t)len + 1, "%s=%.17g", path, v);
    return s;
}

char **sr_price_term_sets(const sr_price_term *t, const sr_model *m, double v, size_t *n)
{
    const sr_contract *c = &m->programmes[t->term.programme].contract;
    *n = t->term.kind == SR_TERM_PRICE_SCALE ? c->n_outcomes : 1;
    char **sets = calloc(*n, sizeof *sets);
    if (sets == NULL)
        return NULL;
    if (t->term.kind != SR_TERM_PRICE_SCALE) {
        if ((sets[0] = set_of(t->path, v)) == NULL)
            goto fail;
        return sets;
    }
    for (size_t o = 0; o < c->n_outcomes; o++) {
        char path[96];
        snprintf(path, sizeof path, "programmes[%zu].contract.outcomes[%zu].price",
                 t->term.programme, o);
        /* the product sr_term_apply forms from the price each trial draws */
        if ((sets[o] = set_of(path, v * m->num[c->outcomes[o].price].p[0])) == NULL)
            goto fail;
    }
    return sets;
fail:
    sr_price_sets_free(sets, *n);
    return NULL;
}

/* ---- the target ------------------------------------------------------------------------ */

/* The names of every metric (or statistic) in a sentence's list, into buf. */
static void list_names(bool metrics, char *buf, size_t size)
{
    size_t at = 0, n = metrics ? SR_N_METRICS : SR_N_SUMMARY_STATS;
    buf[0] = '\0';
    for (size_t k = 0; k < n && at < size; k++) {
        const char *name = metrics ? sr_metrics[k].name : sr_summary_stat_name((int)k);
        int w = snprintf(buf + at, size - at, "%s%s", k == 0 ? "" : ", ", name);
        at += w > 0 ? (size_t)w : 0;
    }
}

int sr_price_target_parse(const char *text, const sr_model *m, sr_price_target *out,
                          sr_error *err)
{
    char buf[256], names[1024];
    const char *eq = strchr(text, '=');
    size_t len = eq != NULL ? (size_t)(eq - text) : 0;
    if (eq == NULL || len == 0 || len >= sizeof buf || !parse_number(eq + 1, &out->value))
        return sr_error_set(err, SR_EXIT_USAGE, "--target: expected METRIC.STATISTIC=VALUE, "
                            "e.g. investor_irr.q50=0.06, got '%s'", text);
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *name = buf, *slash = strchr(buf, '/'), *dot = strrchr(buf, '.');
    out->level = 0;
    if (slash != NULL) {
        *slash = '\0';
        name = slash + 1;
        out->level = SIZE_MAX;
        for (size_t p = 0; p < m->n_programmes; p++)
            if (strcmp(m->programmes[p].name, buf) == 0)
                out->level = 1 + p;
        if (out->level == SIZE_MAX)
            return sr_error_set(err, SR_EXIT_DATAERR, "--target %s: the scenario has no "
                                "programme '%s'", text, buf);
    }
    if (dot == NULL || dot < name)
        return sr_error_set(err, SR_EXIT_USAGE, "--target: expected METRIC.STATISTIC=VALUE, "
                            "e.g. investor_irr.q50=0.06, got '%s'", text);
    *dot = '\0';
    int metric = -1;
    for (size_t k = 0; k < SR_N_METRICS; k++)   /* a metric's former name is an alias */
        if (strcmp(sr_metrics[k].name, name) == 0 ||
            (sr_metrics[k].former_name != NULL && strcmp(sr_metrics[k].former_name, name) == 0))
            metric = (int)k;
    if (metric < 0) {
        list_names(true, names, sizeof names);
        return sr_error_set(err, SR_EXIT_USAGE, "--target: unknown metric '%s'; the metrics "
                            "are %s", name, names);
    }
    out->metric = (sr_metric)metric;
    if ((out->stat = sr_summary_stat_find(dot + 1)) < 0) {
        list_names(false, names, sizeof names);
        return sr_error_set(err, SR_EXIT_USAGE, "--target: unknown statistic '%s'; the "
                            "statistics are %s", dot + 1, names);
    }
    return 0;
}
