/* The tables of `sirisk voi` (voi_print.h). Money is DKK, present values at the public
 * rate as the metrics are; per participant in DKK, for the cohort and the population in
 * millions (mDKK). */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include "sim/cli/voi_print.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "models/metric.h"
#include "sim/base/text.h"
#include "sim/resultset/h5check.h"

/* Width of the inputs' column. */
#define NAME_WIDTH 34
/* Characters of the longest bar of a tornado. */
#define BAR_WIDTH 30

/* A name from a result file made safe to print, in buf. */
static const char *shown(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s", name);
    sr_h5check_printable(buf);
    return buf;
}

/* A set of inputs joined by '+', made printable. */
static const char *set_name(const sr_voi_report *r, const sr_voi_set *s, char *buf, size_t size)
{
    sr_voi_set_name(r, s, buf, size);
    sr_h5check_printable(buf);
    return buf;
}

/* ---- variance attribution ------------------------------------------------------------- */

static void print_variance(FILE *out, const sr_voi_report *r, const sr_voi_variance *v,
                           size_t *order, double *values)
{
    char buf[256], n[32];
    fprintf(out, "\n%s (%s): ", sr_metrics[v->metric].name, sr_metrics[v->metric].units);
    if (v->n_used < 2) {
        fprintf(out, "no trial has a value: not attributed\n");
        return;
    }
    fprintf(out, "sd %.2f mDKK over %s trials", v->sd / 1e6,
            sr_text_count((double)v->n_used, n, sizeof n));
    if (v->n_used < r->n_trials)
        fprintf(out, " (%s without a value or with an input without one, left out)",
                sr_text_count((double)(r->n_trials - v->n_used), n, sizeof n));
    size_t varying = 0;
    for (size_t k = 0; k < r->n_inputs; k++)
        varying += r->varies[k];
    if (varying == 0) {
        fprintf(out, "\n  no uncertain input varies: all of the variance is the cohort's own "
                     "noise\n");
        return;
    }
    fprintf(out, "\n  %-*s %8s %8s\n", NAME_WIDTH, "input", "S", "se");
    for (size_t k = 0; k < r->n_inputs; k++)
        values[k] = r->varies[k] ? v->index[k].value : NAN;
    sr_voi_order(values, r->n_inputs, order);
    for (size_t j = 0; j < r->n_inputs; j++) {
        const size_t k = order[j];
        if (!r->varies[k])
            continue;
        const double s = v->index[k].value;
        const int bar = isfinite(s) ? (int)lround(fmax(s, 0.0) * BAR_WIDTH) : 0;
        fprintf(out, "  %-*s %8.4f %8.4f  %.*s\n", NAME_WIDTH,
                shown(r->inputs[k].name, buf, sizeof buf), s, v->index[k].se, bar,
                "##############################");
    }
    fprintf(out, "  sum of the indices %.3f; ", v->sum);
    if (r->max_correlation <= 0.1)
        fprintf(out, "1 - sum = %.3f is left to the cohort's own noise and to interactions "
                     "between inputs (the inputs are independent: largest correlation "
                     "%.3f)\n", 1.0 - v->sum, r->max_correlation);
    else {
        char a[128], b[128];
        fprintf(out, "the inputs are correlated (%s and %s: %.2f), so each index also holds "
                     "what it shares with others and 1 - sum is not the share of noise\n",
                shown(r->inputs[r->correlated[0]].name, a, sizeof a),
                shown(r->inputs[r->correlated[1]].name, b, sizeof b), r->max_correlation);
    }
}

/* ---- decisions ------------------------------------------------------------------------ */

/* One row of a value table: per participant (DKK), cohort and population (mDKK), se
 * (mDKK, cohort) and the share of the EVPI. */
static void value_row(FILE *out, const sr_voi_report *r, const char *label,
                      sr_voi_figure f, double evpi)
{
    const double per = f.value / r->persons;
    char share[16] = "-";   /* of an EVPI of 0: nothing to share */
    if (evpi > 0.0)
        snprintf(share, sizeof share, "%.1f", 100.0 * f.value / evpi);
    fprintf(out, "  %-*s %12.0f %12.3f %12.3f %10.3f %8s\n", NAME_WIDTH, label, per,
            f.value / 1e6, per * r->population / 1e6, f.se / 1e6, share);
}

static void print_pilots(FILE *out, const sr_voi_outcome *o, const sr_voi_decision *d)
{
    const sr_voi_report *r = &o->report;
    char n[32];
    fprintf(out, "\n  pilot of n persons with a control group of %.2f n, %u months "
                 "(EVSI: DKK per participant and mDKK for the population; cost and ENBS "
                 "mDKK)\n", o->pilot_control, o->pilot_months);
    fprintf(out, "  %10s %12s %12s %10s %10s %12s %10s\n", "n", "EVSI DKK/p", "EVSI pop",
            "se", "cost", "ENBS", "se");
    size_t best = SIZE_MAX;
    for (size_t p = 0; p < d->n_pilots; p++) {
        const double scale = r->population / r->persons;
        fprintf(out, "  %10s %12.0f %12.3f %10.3f %10.3f %12.3f %10.3f\n",
                sr_text_count(d->pilot_size[p], n, sizeof n), d->evsi[p].value / r->persons,
                d->evsi[p].value * scale / 1e6, d->evsi[p].se * scale / 1e6,
                d->pilot_cost[p] / 1e6, d->enbs[p].value / 1e6, d->enbs[p].se / 1e6);
        if (d->enbs[p].value > 0.0 && (best == SIZE_MAX || d->enbs[p].value > d->enbs[best].value))
            best = p;
    }
    if (best == SIZE_MAX)
        fprintf(out, "  ENBS-optimal pilot: none (no size's expected net benefit of sampling "
                     "is positive)\n");
    else
        fprintf(out, "  ENBS-optimal pilot: %s persons (ENBS %.3f mDKK, se %.3f) of the sizes "
                     "tried\n", sr_text_count(d->pilot_size[best], n, sizeof n),
                d->enbs[best].value / 1e6, d->enbs[best].se / 1e6);
}

static void print_decision(FILE *out, const sr_voi_outcome *o, const sr_voi_decision *d,
                           size_t *order, double *values)
{
    const sr_voi_report *r = &o->report;
    const sr_voi_decision_spec *s = d->spec;
    char buf[512], n[32];
    fprintf(out, "\ndecision of %s:", s->title);
    for (size_t k = 0; k < s->n_options; k++)
        fprintf(out, "%s %s (%s)", k > 0 ? "," : "", s->options[k].name,
                s->options[k].metric == SR_VOI_ZERO ? "net benefit 0"
                                                    : sr_metrics[s->options[k].metric].name);
    fputc('\n', out);
    if (d->n_used < 2) {
        fprintf(out, "  no trial has every option's net benefit: no value of information\n");
        return;
    }
    fprintf(out, "  expected net benefit, mDKK (present value, the cohort):");
    for (size_t k = 0; k < s->n_options; k++)
        fprintf(out, "%s %s %.3f", k > 0 ? "," : "", s->options[k].name,
                d->mean[k] / 1e6);
    fprintf(out, "; chosen on current information: %s\n", s->options[d->best].name);
    fprintf(out, "  over %s trials", sr_text_count((double)d->n_used, n, sizeof n));
    if (d->n_used < r->n_trials)
        fprintf(out, " (%s without every option's net benefit, left out)",
                sr_text_count((double)(r->n_trials - d->n_used), n, sizeof n));
    fprintf(out, "; %s participants, population %s\n", sr_text_count(r->persons, n, sizeof n),
            sr_text_count(r->population, buf, sizeof buf));
    fprintf(out, "  %-*s %12s %12s %12s %10s %8s\n", NAME_WIDTH, "", "DKK/particip.",
            "cohort mDKK", "popul. mDKK", "se mDKK", "% EVPI");
    value_row(out, r, "EVPI (perfect information)", d->evpi, d->evpi.value);
    for (size_t k = 0; k < d->n_sets; k++)
        values[k] = d->evppi[k].value;
    sr_voi_order(values, d->n_sets, order);
    for (size_t j = 0; j < d->n_sets; j++) {
        char label[600];
        snprintf(label, sizeof label, "EVPPI %s", set_name(r, &d->sets[order[j]], buf, sizeof buf));
        value_row(out, r, label, d->evppi[order[j]], d->evpi.value);
    }
    if (d->n_pilots > 0)
        print_pilots(out, o, d);
}

static void print_report(FILE *out, const sr_voi_outcome *o, size_t *order, double *values)
{
    const sr_voi_report *r = &o->report;
    char n[32], buf[256];
    fprintf(out, "value of information: %s trials; standard errors from %s bootstrap "
                 "replicates of the trials\n", sr_text_count((double)r->n_trials, n, sizeof n),
            sr_text_count((double)r->bootstrap, buf, sizeof buf));
    fprintf(out, "uncertain inputs:");
    size_t constant = 0;
    for (size_t k = 0; k < r->n_inputs; k++)
        if (r->varies[k])
            fprintf(out, " %s", shown(r->inputs[k].name, buf, sizeof buf));
        else
            constant++;
    if (r->n_inputs == constant)
        fprintf(out, " none");
    fputc('\n', out);
    if (constant > 0) {
        fprintf(out, "fixed in every trial, left out:");
        for (size_t k = 0; k < r->n_inputs; k++)
            if (!r->varies[k])
                fprintf(out, " %s", shown(r->inputs[k].name, buf, sizeof buf));
        fputc('\n', out);
    }
    if (o->termination_unrecorded)
        fprintf(out, "note: a contract may be terminated, but this result set holds no "
                     "termination month per trial (/trials/termination_month): that risk is "
                     "counted with the cohort's noise below\n");
    fprintf(out, "\nvariance explained by each input alone: first-order index "
                 "S = Var(E[Y | input]) / Var(Y)\n");
    for (size_t v = 0; v < r->n_variance; v++)
        print_variance(out, r, &r->variance[v], order, values);
    for (size_t j = 0; j < r->n_decisions; j++)
        print_decision(out, o, &r->decisions[j], order, values);
}

int sr_voi_print(FILE *out, const sr_voi_outcome *o, sr_error *err)
{
    const sr_voi_report *r = &o->report;
    size_t most = r->n_inputs;
    for (size_t j = 0; j < r->n_decisions; j++)
        if (r->decisions[j].n_sets > most)
            most = r->decisions[j].n_sets;
    size_t *order = malloc((most + 1) * sizeof *order);
    double *values = malloc((most + 1) * sizeof *values);
    char *text = NULL;
    size_t size = 0;
    FILE *mem = order != NULL && values != NULL ? open_memstream(&text, &size) : NULL;
    if (mem == NULL) {
        free(order);
        free(values);
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for the tables");
    }
    print_report(mem, o, order, values);
    const bool failed = ferror(mem) != 0;
    int rc = fclose(mem) != 0 || failed
                 ? sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory for the tables")
                 : 0;
    if (rc == 0 && (fwrite(text, 1, size, out) != size || fflush(out) != 0 || ferror(out)))
        rc = sr_error_set(err, SR_EXIT_IOERR, "cannot write the tables: %s", strerror(errno));
    free(text);
    free(order);
    free(values);
    return rc;
}
